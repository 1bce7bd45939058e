"""Overview: the headline figures and the trend of women's share toward 50/50."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import Output, html

from parity import charts
from parity.filters import FilterState
from parity.i18n import N_
from parity.privacy import PrivacyRule
from parity.reference import Reference
from parity.views.overview import OverviewView, overview
from parity.views.text import chart_table
from parity.web.slots import Chart, Custom, DeclaredPage, Side, Stats, Summary
from parity.web.source import Context

CARDS = (  # in the order of the view's stats
    ("share", N_("Women's share"), "women-share"),
    ("gap", N_("Parity gap"), "parity-gap"),
    ("needed", N_("Needed for parity"), "women-needed"),
    ("entities", N_("Entities at parity"), "parity-status"),
    ("projection", N_("Projected 50/50"), "projection"),
)

TREND = Chart(
    "trend",
    "projection",
    lambda view: charts.share_trend(
        view.trend.data,
        view.trend.title,
        projected=view.trend.extra.get("projected"),
        note=view.trend.note,
    ),
    lambda view: chart_table(view.trend, view.sentences["trend"]),
)
CATEGORIES = Chart(
    "categories",
    "parity-status",
    lambda view: charts.share_bars(
        view.categories.data,
        "category",
        view.categories.title,
        note=view.categories.note,
        sort=False,
    ),
    lambda view: chart_table(view.categories, view.sentences["categories"]),
)
AGE_BANDS = Chart(
    "age-bands",
    "women-share",
    lambda view: charts.share_bars(
        view.age_bands.data, "age_band", view.age_bands.title, note=view.age_bands.note, sort=False
    ),
    lambda view: chart_table(view.age_bands),
)

GOAL = Custom(  # the headline scope's status against the goal year, and its outlook
    lambda page: html.Div(
        [
            html.H2(id=f"{page}-goal", className="goal-status h5"),
            html.P(id=f"{page}-outlook", className="outlook-sentence"),
        ],
        className="goal-block",
    ),
    lambda page: [Output(f"{page}-goal", "children"), Output(f"{page}-outlook", "children")],
    lambda view: [view.goal, view.sentences["outlook"]],
)


def _ask(context: Context, query: str | None, options: dict[str, Any]) -> OverviewView:
    """The Overview with the flows (the outlook's second model) and the organisation's
    headline scope."""
    settings = context.settings

    def build(
        frame: pd.DataFrame, filters: FilterState, rule: PrivacyRule, reference: Reference
    ) -> OverviewView:
        return overview(
            frame,
            filters,
            rule,
            reference,
            headline_scope=settings.headline_scope,
            flow_frame=context.source.flows(),
        )

    return context.view(build, query)


LEAD = N_("Where the selection stands on gender parity this year, and where the trend leads.")
SLOTS = (
    GOAL,
    Stats(CARDS, {"xs": 12, "sm": 6, "xl": True}, labels=("entities",)),
    Summary(
        lambda view: " ".join(s for s in (view.sentences["headline"], view.sentences["trend"]) if s)
    ),
    Side(((TREND, 7), (CATEGORIES, 5))),
    Side(((AGE_BANDS, 7),)),
)
PAGE = DeclaredPage("overview", "/", N_("Overview"), LEAD, overview, SLOTS, ask=_ask)
