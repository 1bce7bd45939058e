"""Overview: the headline figures and the trend of women's share toward 50/50."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, html

from parity import charts
from parity.i18n import N_, _
from parity.views.overview import OverviewView, overview
from parity.views.text import chart_table
from parity.web.components import (
    chart,
    chart_outputs,
    chart_values,
    page_header,
    stat_outputs,
    stat_parts,
    stat_row,
)
from parity.web.source import Context

NAME, PATH, LABEL = "overview", "/", N_("Overview")
CARDS = (  # in the order of the view's stats
    ("share", N_("Women's share"), "women-share"),
    ("gap", N_("Parity gap"), "parity-gap"),
    ("needed", N_("Needed for parity"), "women-needed"),
    ("entities", N_("Entities at parity"), "parity-status"),
    ("projection", N_("Projected 50/50"), "projection"),
)
CHARTS = ("trend", "categories", "age-bands")


def layout(context: Context, query: str = "") -> html.Div:
    return html.Div(
        [
            page_header(
                _("Overview"),
                _(
                    "Where the selection stands on gender parity this year, "
                    "and where the trend leads."
                ),
                page="overview",
            ),
            stat_row("overview", CARDS, xs=12, sm=6, xl=True),
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
    return [
        *values,
        _(labels[3]),
        summary,
        *chart_values(trend, chart_table(view.trend, view.sentences["trend"])),
        *chart_values(categories, chart_table(view.categories, view.sentences["categories"])),
        *chart_values(age_bands, chart_table(view.age_bands)),
    ]


def register(app: Dash, context: Context) -> None:
    @app.callback(
        *stat_outputs("overview", CARDS),
        Output("overview-entities-label", "children"),
        Output("overview-summary", "children"),
        *[o for name in CHARTS for o in chart_outputs(f"overview-{name}")],
        Input("filters", "data"),
        Input("overview-init", "data"),
    )
    def update(query: str | None, _init: int) -> list[Any]:
        return outputs(context.view(overview, query))
