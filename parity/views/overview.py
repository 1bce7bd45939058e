"""The Overview and a briefing's cover: headline figures, the trend toward 50/50, staff
categories and age bands."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from parity.i18n import _
from parity.outlook import Outlook
from parity.privacy import HIDDEN, PrivacyRule, shown
from parity.projections import DEFAULT_WINDOW, HORIZON_YEAR, project_shares
from parity.reference import Reference
from parity.views.base import (
    Chart,
    Selection,
    Stat,
    headline_selection,
    protected_table,
    selection_view,
)
from parity.views.headline import (
    Headline,
    category_sentence,
    headline_of,
    headline_sentence,
    headline_state,
    headline_stats,
    trend_sentence,
)
from parity.views.outlook import goal_words, outlook_sentence, selection_outlook
from parity.wording import GOAL_YEAR, STATUS_WORDS, missing


@dataclass(frozen=True)
class OverviewView:
    scope: str
    year: int | None
    state: str  # "shown", "empty", "small" (withheld in public) or "unpublished"
    headline: Headline | None
    stats: tuple[Stat, ...]
    trend: Chart
    categories: Chart
    age_bands: Chart
    entities: pd.DataFrame  # protected: year x entity for the year and the one before
    glass_ceiling: float | None
    window: int
    method: str
    sentences: dict[str, str]
    outlook: Outlook | None = None
    goal: str = ""  # the headline's status against the goal year, in words


def top_and_all(
    sel: Selection, reference: Reference, rule: PrivacyRule
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The selection at D-1 and above, and the whole selection, in its year: one protected
    row each (none when no one is there)."""
    grades = sel.frame["grade"]
    top_grades = reference.top_grades
    top = grades.cat.categories.get_indexer(pd.Index(top_grades))
    lookup = np.zeros(len(grades.cat.categories) + 1, dtype=bool)
    lookup[top[top >= 0]] = True
    is_top = lookup[grades.cat.codes.to_numpy()]
    top_row = protected_table(
        sel, [], sel.in_year & is_top, rule, reference, where={"grade": top_grades}
    )
    both = protected_table(sel, [], sel.in_year, rule, reference)
    return top_row, both


def glass_ceiling(
    sel: Selection, reference: Reference, rule: PrivacyRule
) -> tuple[float | None, str]:
    """Women's share across all grades / their share at D-1 and above, and a note. None when
    the top grades hold no women, no one, or a group the public view withholds."""
    top_rows, both = top_and_all(sel, reference, rule)
    top_people = int(top_rows["total"].iloc[0]) if not top_rows.empty and shown_row(top_rows) else 0
    if top_rows.empty:
        return None, _("No one at D-1 and above in this selection")
    if not shown_row(top_rows) or both.empty or not shown_row(both):
        return None, _("Not shown at D-1 and above, to protect small groups")
    if top_people == 0:
        return None, _("No one at D-1 and above in this selection")
    top_share = float(top_rows["women_share"].iloc[0])
    if not top_share > 0:
        return None, _("No women at D-1 and above: the index cannot be computed")
    index = float(both["women_share"].iloc[0]) / top_share
    note = (
        _("a glass ceiling: women are scarcer at the top")
        if index > 1.05
        else _("no glass ceiling at D-1 and above")
        if index <= 1.0
        else _("close to no ceiling")
    )
    return index, note


def shown_row(table: pd.DataFrame) -> bool:
    """Whether the one row of a protected table is shown."""
    return not table.empty and missing(table[HIDDEN].iloc[0])


@selection_view
def overview(
    whole: Selection,
    rule: PrivacyRule,
    reference: Reference,
    *,
    window: int = DEFAULT_WINDOW,
    method: str = "increment",
    headline_scope: str = "",
    flow_frame: pd.DataFrame | None = None,
    goal_year: int = GOAL_YEAR,
) -> OverviewView:
    """Every figure of the Overview for a selection, under the privacy rule: the headline
    (cards, sentences, trend, outlook) of its headline scope, the staff categories and age
    bands of the whole selection."""
    sel = headline_selection(whole, headline_scope, reference, rule)
    scope, year = sel.scope, sel.year
    totals = protected_table(sel, [], sel.in_year, rule, reference)
    series = protected_table(sel, ["year"], sel.through_year, rule, reference)
    series_shown = shown(series)
    series_shown = series_shown[series_shown["women_share"].notna()]
    projections = project_shares(series_shown, [], window=window, method=method)
    two_years = sel.through_year & (sel.frame["year"].to_numpy() >= (year or 0) - 1)
    entities = protected_table(sel, ["year", "entity"], two_years, rule, reference)
    categories = protected_table(whole, ["category"], whole.in_year, rule, reference)
    age_bands = protected_table(whole, ["age_band"], whole.in_year, rule, reference)
    index, index_note = glass_ceiling(whole, reference, rule)  # all grades / D-1 and above

    outlook = selection_outlook(
        sel,
        flow_frame,
        rule,
        reference,
        window=window,
        method=method,
        goal_year=goal_year,
        totals=totals,
        series=series,
    )
    state = headline_state(totals)
    h = None
    if state == "shown" and year is not None:
        proj = projections.iloc[0] if not projections.empty else None
        h = headline_of(totals.iloc[0], proj, year)
    entities_now = entities[entities["year"] == year]
    recorded_bands = age_bands[age_bands["age_band"].notna()]
    stats = headline_stats(state, h, entities, (index, index_note), window, method)
    trend = _trend_chart(series, series_shown, scope, h, rule)
    return OverviewView(
        scope=scope,
        year=year,
        state=state,
        headline=h,
        stats=stats,
        trend=trend,
        categories=Chart(
            categories,
            _("Women's share by staff category — {scope}").format(scope=whole.scope_year),
            rule.note(categories, "staff category"),
        ),
        age_bands=Chart(
            recorded_bands,
            _("Women's share by age band — {scope}").format(scope=whole.scope_year),
            rule.note(recorded_bands, "age band")
            if not recorded_bands.empty
            else _("no age band is recorded for this selection"),
        ),
        entities=entities_now,
        glass_ceiling=index,
        window=window,
        method=method,
        sentences={
            "headline": headline_sentence(state, h, scope, rule),
            "trend": trend_sentence(series_shown, h, window),
            "categories": category_sentence(categories),
            "outlook": outlook_sentence(outlook, window),
        },
        outlook=outlook,
        goal=_goal(outlook, scope),
    )


def _goal(outlook: Outlook | None, scope: str) -> str:
    """'Off track for parity by 2028 — Professional and higher, all entities'."""
    if outlook is None:
        return ""
    return _("{status} — {scope}").format(
        scope=scope, status=goal_words(outlook.goal_status, outlook.goal_year)
    )


def _trend_chart(
    series: pd.DataFrame,
    shown_points: pd.DataFrame,
    scope: str,
    h: Headline | None,
    rule: PrivacyRule,
) -> Chart:
    """The share over time (the points shown) with the projected line to 50%."""
    years = _span(shown_points)
    return Chart(
        shown_points[["year", "women", "men", "women_share"]].reset_index(drop=True),
        _("Women's share over time — {scope}, {years}").format(scope=scope, years=years)
        if years
        else _("Women's share over time — {scope}").format(scope=scope),
        rule.note(series, "year"),
        extra={"projected": _projection_line(h) if h is not None else None},
    )


def _span(series: pd.DataFrame) -> str:
    """The span of a series' years in words: '2011–2025', '2025', or nothing."""
    if series.empty:
        return ""
    first, last = int(series["year"].min()), int(series["year"].max())
    return str(last) if first == last else f"{first}–{last}"


def _projection_line(h: Headline) -> pd.DataFrame | None:
    """The projected straight line from the latest share, to 50% or to the horizon."""
    if (
        h.projection_status != "projected"
        or h.projected_year is None
        or h.women_share is None
        or h.annual_change_pp is None
    ):
        return None
    start = 100 * h.women_share
    end_year = min(h.projected_year, HORIZON_YEAR)  # the chart reaches the projected year
    end_share = min(50.0, start + h.annual_change_pp * (end_year - h.year))
    return pd.DataFrame({"year": [h.year, end_year], "share_pp": [start, end_share]})


__all__ = ["STATUS_WORDS", "Headline", "OverviewView", "overview"]
