"""Overview: the headline figures and the trend of women's share toward 50/50."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, dcc, html

from parity import charts
from parity.filters import FilterState
from parity.views.overview import OverviewView, overview
from parity.web.components import chart, page_header, stat, stat_parts
from parity.web.source import Context

NAME, PATH, LABEL = "overview", "/", "Overview"
STATS = ("share", "gap", "needed", "entities", "projection")
LABELS = (
    ("Women's share", "women-share"),
    ("Parity gap", "parity-gap"),
    ("Needed for parity", "women-needed"),
    ("Entities at parity", "parity-status"),
    ("Projected 50/50", "projection"),
)
CHARTS = ("trend", "categories", "age-bands")


def layout(context: Context, query: str = "") -> html.Div:
    cards = [
        dbc.Col(
            stat(f"overview-{name}", label, anchor),
            xs=12,
            sm=12 if name == "projection" else 6,
            xl=True,
            className="mb-3",
        )
        for name, (label, anchor) in zip(STATS, LABELS, strict=True)
    ]
    return html.Div(
        [
            page_header(
                "Overview",
                "Where the selection stands on gender parity this year, and where the trend leads.",
            ),
            dcc.Store(id="overview-init", data=1),
            dbc.Row(cards, className="stats-row"),
            html.P(id="overview-summary", className="summary-sentence"),
            dbc.Row(
                [
                    dbc.Col(chart("overview-trend", "projection"), xs=12, xl=7),
                    dbc.Col(chart("overview-categories", "parity-status"), xs=12, xl=5),
                ]
            ),
            dbc.Row(dbc.Col(chart("overview-age-bands", "women-share"), xs=12, xl=7)),
        ]
    )


def outputs(view: OverviewView) -> list[Any]:
    """The page's outputs from its view model, in the order of ``register``."""
    labels = [stat.label for stat in view.stats]
    values = stat_parts(view.stats)
    trend = charts.share_trend(
        view.trend.data,
        view.trend.title,
        projected=view.trend.extra.get("projected"),  # type: ignore[arg-type]
        note=view.trend.note,
    )
    categories = charts.share_bars(
        view.categories.data,
        "category",
        view.categories.title,
        note=view.categories.note,
        sort=False,
    )
    age_bands = charts.share_bars(
        view.age_bands.data, "age_band", view.age_bands.title, note=view.age_bands.note, sort=False
    )
    summary = " ".join(s for s in (view.sentences["headline"], view.sentences["trend"]) if s)
    return [*values, labels[3], summary, trend, categories, age_bands]


def register(app: Dash, context: Context) -> None:
    stat_outputs = [
        Output(f"overview-{n}-{p}", "children") for n in STATS for p in ("value", "note")
    ]

    @app.callback(
        *stat_outputs,
        Output("overview-entities-label", "children"),
        Output("overview-summary", "children"),
        *[Output(f"overview-{name}", "figure") for name in CHARTS],
        Input("filters", "data"),
        Input("overview-init", "data"),
    )
    def update(query: str | None, _init: int) -> list[Any]:
        view = overview(
            context.source.frame(),
            FilterState.from_query(query or ""),
            context.rule,
            context.source.reference(),
        )
        return outputs(view)
