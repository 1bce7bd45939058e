"""Trends & projections: women's share by grade or category over time, each with its straight-
line projection to 50% and the projected year (window and method selectable)."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, dcc, html

from parity import charts
from parity.i18n import N_, _
from parity.views.text import chart_table
from parity.views.trends import DEFAULT_WINDOW, TrendsView, trends
from parity.web.components import (
    chart,
    chart_outputs,
    chart_values,
    page_header,
    table_card,
    table_outputs,
    table_values,
)
from parity.web.source import Context

NAME, PATH, LABEL = "trends", "/trends", N_("Trends & projections")
GROUPINGS = [
    {"label": N_("Staff category"), "value": "category"},
    {"label": N_("Grade"), "value": "grade"},
]
METHODS = [
    {"label": N_("Average annual increment (UN reports)"), "value": "increment"},
    {"label": N_("Least squares, with 80% interval"), "value": "ols"},
]


def translated(options: list[dict[str, str]]) -> list[dict[str, str]]:
    """Radio options with their labels in the request's language."""
    return [{**option, "label": _(option["label"])} for option in options]


def layout(context: Context, query: str = "") -> html.Div:
    return html.Div(
        [
            page_header(
                _("Trends & projections"),
                _(
                    "If recent trends continue, when does each "
                    "level reach 50% women? Straight lines, stated plainly."
                ),
            ),
            dbc.Card(
                dbc.CardBody(
                    dbc.Row(
                        [
                            dbc.Col(
                                [
                                    dbc.Label(_("Group by"), html_for="trends-by"),
                                    dcc.RadioItems(
                                        id="trends-by",
                                        options=translated(GROUPINGS),
                                        value="category",
                                        inline=True,
                                    ),
                                ],
                                xs=12,
                                md=3,
                            ),
                            dbc.Col(
                                [
                                    dbc.Label(_("Trend window (years)"), html_for="trends-window"),
                                    dcc.Slider(
                                        id="trends-window",
                                        min=2,
                                        max=15,
                                        step=1,
                                        value=DEFAULT_WINDOW,
                                        marks={i: str(i) for i in (2, 5, 10, 15)},
                                    ),
                                ],
                                xs=12,
                                md=4,
                            ),
                            dbc.Col(
                                [
                                    dbc.Label(_("Method"), html_for="trends-method"),
                                    dcc.RadioItems(
                                        id="trends-method",
                                        options=translated(METHODS),
                                        value="increment",
                                    ),
                                ],
                                xs=12,
                                md=5,
                            ),
                        ]
                    )
                ),
                className="mb-3 controls-card",
            ),
            html.P(id="trends-summary", className="summary-sentence"),
            chart("trends-chart", "projection"),
            table_card("trends", _("Projected year of parity")),
        ]
    )


def outputs(view: TrendsView) -> list[Any]:
    """The page's outputs from its view model, in the order of ``register``."""
    horizon = view.chart.extra.get("horizon")
    figure = charts.projection_lines(
        view.chart.data,
        view.projections,
        view.by,
        view.chart.title,
        horizon=horizon if isinstance(horizon, int) else None,
        note=view.chart.note,
    )
    return [
        view.sentences["projections"],
        *chart_values(figure, chart_table(view.chart, view.sentences["projections"])),
        *table_values(view.table),
    ]


def register(app: Dash, context: Context) -> None:
    @app.callback(
        Output("trends-summary", "children"),
        *chart_outputs("trends-chart"),
        *table_outputs("trends"),
        Input("filters", "data"),
        Input("trends-by", "value"),
        Input("trends-window", "value"),
        Input("trends-method", "value"),
    )
    def update(
        query: str | None, by: str | None, window: int | None, method: str | None
    ) -> list[Any]:
        options = {"window": int(window or DEFAULT_WINDOW), "method": method or "increment"}
        return outputs(context.view(trends, query, by=by or "category", **options))
