"""What a briefing says: the view models of the dashboard's pages for one selection, assembled.

Nothing is computed here: every figure, table, chart's data and sentence comes from
``parity.views`` under the privacy rule in force, exactly as the pages show it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from parity import charts, i18n
from parity.errors import ParityError
from parity.filters import FilterState
from parity.i18n import _
from parity.privacy import PrivacyRule
from parity.projections import DEFAULT_WINDOW
from parity.reference import Reference
from parity.views.base import Selection
from parity.views.base import Table as ViewTable
from parity.views.flows import FlowsView, flows
from parity.views.geography import GeographyView, geography
from parity.views.grades import GradesView, grades
from parity.views.overview import Headline, OverviewView, overview
from parity.views.planning.scenario import Scenario
from parity.views.planning.view import PlanningView, planning
from parity.views.scorecard import scorecard
from parity.views.stations import StationsView, stations
from parity.views.trends import TrendsView, trends
from parity.wording import STATUS_WORDS, percent, projection_words

# definitions that briefings leave out: about dashboard pages a briefing does not have
NOT_IN_BRIEFINGS = ("hq-field",)
KEY_POINTS = ("goal", "headline", "outlook", "pipeline", "grades", "projections")
"""The key points of a briefing, in order: the headline scope's status against the goal, where
it stands, its outlook (the trend, the flows, what it takes: one answer to "when"), the
pipeline, the grades and the staff categories' projections."""


class _Table:
    """A table of a briefing, read from one of its view models (``read``, checked by mypy): the
    writers name it as they read it, the view model keeps it."""

    def __init__(self, read: Callable[[Briefing], pd.DataFrame]) -> None:
        self._read = read

    def __get__(self, briefing: Briefing, owner: type | None = None) -> pd.DataFrame:
        return self._read(briefing)


@dataclass(frozen=True)
class Briefing:
    """A briefing's content: the view models of one selection, chart figures and key points."""

    title: str
    scope: str  # the selection in words, without the year
    year: int | None
    generated: date
    demo: bool
    rule: PrivacyRule
    window: int
    method: str
    overview: OverviewView
    grade_view: GradesView
    station_view: StationsView
    category_trends: TrendsView
    grade_trends: TrendsView
    plan: PlanningView | None
    flow_view: FlowsView | None
    figures: dict[str, go.Figure] = field(default_factory=dict)
    takeaways: dict[str, str] = field(default_factory=dict)
    scorecard: ViewTable | None = None  # each entity and staff category against the goal
    geography: GeographyView | None = None  # by nationality: when the selection records any

    # what the writers lay out, named as they read it; by grade: top of the ladder first
    grades = _Table(lambda b: b.grade_view.table.rows)
    projections = _Table(lambda b: b.grade_trends.projections)
    category_projections = _Table(lambda b: b.category_trends.projections)
    trend = _Table(lambda b: b.overview.trend.data)
    categories = _Table(lambda b: b.overview.categories.data)
    stations = _Table(lambda b: b.station_view.table.rows)
    entities = _Table(lambda b: b.overview.entities)

    @property
    def min_cell(self) -> int:
        return self.rule.min_cell if self.rule.active else 0

    @property
    def headline(self) -> Headline:
        assert self.overview.headline is not None  # build_briefing refuses a selection without
        return self.overview.headline

    @property
    def horizon(self) -> int | None:
        value = self.category_trends.chart.extra.get("horizon")
        return None if value is None else int(value)  # type: ignore[call-overload]

    def key_points(self) -> list[str]:
        """The key points, leadership first."""
        return [self.takeaways[k] for k in KEY_POINTS if self.takeaways.get(k)]


def headline_cards(briefing: Briefing) -> list[tuple[str, str, str]]:
    """The cover's five figures as (label, value, note): the Overview's cards."""
    return [(s.label, s.value, s.note) for s in briefing.overview.stats]


def generated_on(value: date, english: str = "%d %B %Y") -> str:
    """The day a briefing was made, as it prints: ``english`` (a strftime format: '24 November
    2026', as briefings have always read) in English, parity.i18n.day's form in other languages
    ('24 nov. 2026')."""
    if i18n.language() == i18n.DEFAULT:
        return f"{value:{english}}"
    return i18n.day(value)


def build_briefing(
    frame: pd.DataFrame,
    filters: FilterState,
    reference: Reference,
    *,
    rule: PrivacyRule,
    flow_frame: pd.DataFrame | None = None,
    targets: pd.DataFrame | None = None,
    demo: bool = False,
    window: int = DEFAULT_WINDOW,
    method: str = "increment",
    title: str | None = None,
    today: date | None = None,
    headline_scope: str = "",
) -> Briefing:
    """The briefing of a selection (the year defaults to the latest with data), from the same
    view models as the dashboard's pages.

    Raises ParityError when no one matches the selection, or when it is a small group: a
    briefing about no one says nothing, and one about a few people could identify them.
    """
    sel = Selection.of(frame, filters)
    common: dict[str, Any] = {"window": window, "method": method, "selection": sel}
    args = (frame, filters, rule, reference)
    over = overview(*args, **common, headline_scope=headline_scope, flow_frame=flow_frame)
    _refuse_unbriefable(over, sel, rule)
    grade_view = grades(*args, selection=sel)
    station_view = stations(*args, selection=sel)
    by_category = trends(*args, by="category", **common)
    by_grade = trends(*args, by="grade", **common, headline_scope=headline_scope)
    plan, flow_view = _plan_and_flows(
        frame, flow_frame, targets, filters, rule, reference, window=window, selection=sel
    )
    figures = _figures(over, grade_view, by_category)
    takeaways = {
        "goal": f"{over.goal}." if over.goal else "",
        **over.sentences,
        **grade_view.sentences,
        **by_grade.sentences,
        "category_projections": by_category.sentences["projections"],
        **station_view.sentences,
        **(flow_view.sentences if flow_view else {}),
        "planning": plan.summary if plan else "",
    }
    return Briefing(
        title=title or _("Gender parity briefing"),
        scope=sel.scope,
        year=sel.year,
        generated=today or date.today(),
        demo=demo,
        rule=rule,
        window=window,
        method=method,
        overview=over,
        grade_view=grade_view,
        station_view=station_view,
        category_trends=by_category,
        grade_trends=by_grade,
        plan=plan,
        flow_view=flow_view,
        figures=figures,
        takeaways=takeaways,
        scorecard=scorecard(sel, rule, reference, targets=targets),
        geography=_geography(sel, rule, reference),
    )


def _geography(sel: Selection, rule: PrivacyRule, reference: Reference) -> GeographyView | None:
    """The selection's figures by nationality, when its files record nationalities."""
    if not sel.frame["nationality"].notna().to_numpy()[sel.in_year].any():
        return None
    return geography(sel.frame, sel.filters, rule, reference, selection=sel)


def _refuse_unbriefable(over: OverviewView, sel: Selection, rule: PrivacyRule) -> None:
    """Raise ParityError when the selection's overview is of no one, or of a group the public
    view does not show (not in the public tables, or too small)."""
    scope = sel.scope
    if over.state == "empty" or (
        over.headline is None and over.state not in ("small", "unpublished")
    ):
        year = "" if sel.year is None else f", {sel.year}"
        raise ParityError(
            _("no one matches this selection ({selection}): nothing to brief").format(
                selection=f"{scope}{year}"
            )
        )
    if over.state == "unpublished":
        raise ParityError(
            _(
                "this combination ({scope}, {year}) is not in the public tables: signed-in "
                "users of the entity can brief it; choose fewer filters"
            ).format(scope=scope, year=sel.year)
        )
    if over.state == "small":
        raise ParityError(
            _(
                "this selection ({scope}, {year}) is not shown in the public view, to protect "
                "small groups (fewer than {n} people): a briefing could identify them; widen "
                "the selection"
            ).format(scope=scope, year=sel.year, n=rule.min_cell)
        )


def _plan_and_flows(
    frame: pd.DataFrame,
    flow_frame: pd.DataFrame | None,
    targets: pd.DataFrame | None,
    filters: FilterState,
    rule: PrivacyRule,
    reference: Reference,
    *,
    window: int,
    selection: Selection,
) -> tuple[PlanningView | None, FlowsView | None]:
    """(plan, flows) of the selection: each None when the store holds no flows, when the plan
    is not ready, or when the selection has no flows."""
    if flow_frame is None or flow_frame.empty:
        return None, None
    flow_view = flows(frame, flow_frame, filters, rule, reference, selection=selection)
    plan = planning(
        frame,
        flow_frame,
        targets if targets is not None else pd.DataFrame(),
        filters,
        Scenario(window=window),
        rule,
        reference,
        selection=selection,
    )
    return (plan if plan.ready else None), (flow_view if flow_view.has_flows else None)


def _figures(
    over: OverviewView, grade_view: GradesView, by_category: TrendsView
) -> dict[str, go.Figure]:
    """The briefing's charts, drawn by the dashboard's chart functions from the views' data."""
    chart = by_category.chart
    projection_figure = charts.projection_lines(
        chart.data,
        by_category.projections,
        "category",
        chart.title,
        horizon=chart.extra.get("horizon"),  # type: ignore[arg-type]
        note=chart.note,
    )
    # at print width the legend wraps, a row for about four groups: room for it under the axis
    legend_rows = -(-chart.data["category"].nunique() // 4) if not chart.data.empty else 1
    projection_figure.update_layout(margin={"b": 50 + 24 * max(legend_rows, 1)})
    return {
        "trend": charts.share_trend(
            over.trend.data,
            over.trend.title,
            projected=over.trend.extra.get("projected"),  # type: ignore[arg-type]
            note=over.trend.note,
        ),
        "pipeline": charts.pipeline(
            grade_view.pipeline.data, grade_view.pipeline.title, note=grade_view.pipeline.note
        ),
        "categories": charts.share_bars(
            over.categories.data,
            "category",
            over.categories.title,
            note=over.categories.note,
            sort=False,
        ),
        "projections": projection_figure,
    }


__all__ = [
    "NOT_IN_BRIEFINGS",
    "STATUS_WORDS",
    "Briefing",
    "build_briefing",
    "generated_on",
    "headline_cards",
    "percent",
    "projection_words",
]
