"""Trends & projections: women's share by grade or category over time, each with its straight-
line projection to 50% and the projected year (window and method selectable)."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Dash, Input, Output, dcc, html

from parity import charts
from parity.analysis import projection_report
from parity.filters import FilterState
from parity.privacy import small_groups
from parity.projections import DEFAULT_WINDOW, share_by_year
from parity.web.components import chart, page_header
from parity.web.source import Context

NAME, PATH, LABEL = "trends", "/trends", "Trends & projections"
GROUPINGS = [{"label": "Staff category", "value": "category"}, {"label": "Grade", "value": "grade"}]
METHODS = [
    {"label": "Average annual increment (UN reports)", "value": "increment"},
    {"label": "Least squares, with 80% interval", "value": "ols"},
]


def layout(context: Context, query: str = "") -> html.Div:
    return html.Div(
        [
            page_header(
                "Trends & projections",
                "If recent trends continue, when does each "
                "level reach 50% women? Straight lines, stated plainly.",
            ),
            dbc.Card(
                dbc.CardBody(
                    dbc.Row(
                        [
                            dbc.Col(
                                [
                                    dbc.Label("Group by", html_for="trends-by"),
                                    dcc.RadioItems(
                                        id="trends-by",
                                        options=GROUPINGS,
                                        value="category",
                                        inline=True,
                                    ),
                                ],
                                xs=12,
                                md=3,
                            ),
                            dbc.Col(
                                [
                                    dbc.Label("Trend window (years)", html_for="trends-window"),
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
                                    dbc.Label("Method", html_for="trends-method"),
                                    dcc.RadioItems(
                                        id="trends-method", options=METHODS, value="increment"
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
            chart("trends-chart", "projection"),
            dbc.Card(
                dbc.CardBody(
                    [
                        html.H2(
                            "Projected year of parity", className="h5", id="trends-table-title"
                        ),
                        html.Div(id="trends-table"),
                    ]
                ),
                className="mb-3",
            ),
        ]
    )


def status_words(row: pd.Series) -> str:
    status = row["projection_status"]
    if status == "reached":
        return "Reached"
    if status == "not_at_current_trend":
        return "Not at current trend"
    if status == "insufficient_data":
        return "Not enough years of data"
    text = str(int(row["projected_year"]))
    low, high = row.get("projected_year_low"), row.get("projected_year_high")
    if low is not None and pd.notna(low) and high is not None and pd.notna(high):
        text += f" (80%: {int(low)}–{int(high)})"
    elif "projected_year_low" in row.index:
        text += " (interval unbounded)"
    return text


def view(
    frame: pd.DataFrame, filters: FilterState, by: str, window: int, method: str, min_cell: int
) -> dict[str, Any]:
    mask = filters.mask(frame, use_year=False)
    if filters.year is not None:
        mask &= frame["year"].to_numpy() <= filters.year
    series = share_by_year(frame, [by], mask)
    projections = projection_report(frame, filters, [by], window=window, method=method)
    if min_cell and not series.empty:
        latest = series.sort_values("year").groupby(by, observed=True).tail(1)
        tiny = set(latest.loc[small_groups(latest.assign(other=0), min_cell), by])
        series = series[~series[by].isin(tiny)]
        projections = projections[~projections[by].isin(tiny)]
    label = "grade" if by == "grade" else "staff category"
    method_words = "average annual increment" if method == "increment" else "least squares"
    scope = filters.describe(with_year=False)
    title = f"Women's share by {label}, projected to 50% — {scope}"
    figure = charts.projection_lines(series, projections, by, title)
    rows = []
    for _, row in projections.iterrows():
        rows.append(
            html.Tr(
                [
                    html.Td(str(row[by])),
                    html.Td(
                        f"{100 * row['women_share']:.1f}% ({int(row['base_year'])})",
                        className="num",
                    ),
                    html.Td(
                        "—"
                        if pd.isna(row["annual_change_pp"])
                        else f"{row['annual_change_pp']:+.2f}",
                        className="num",
                    ),
                    html.Td(status_words(row), className=f"proj {row['projection_status']}"),
                ]
            )
        )
    table = (
        dbc.Table(
            [
                html.Thead(
                    html.Tr(
                        [
                            html.Th(label.capitalize()),
                            html.Th("Latest share", className="num"),
                            html.Th("Change a year (pp)", className="num"),
                            html.Th("Parity (50%)"),
                        ]
                    )
                ),
                html.Tbody(rows),
            ],
            id="trends-projections",
            size="sm",
            hover=True,
            responsive=True,
            className="metrics-table",
        )
        if rows
        else html.P("No one matches this selection.")
    )
    return {
        "chart": figure,
        "table-title": f"Projected year of parity — {method_words}, {window}-year window",
        "table": table,
    }


def register(app: Dash, context: Context) -> None:
    @app.callback(
        Output("trends-chart", "figure"),
        Output("trends-table-title", "children"),
        Output("trends-table", "children"),
        Input("filters", "data"),
        Input("trends-by", "value"),
        Input("trends-window", "value"),
        Input("trends-method", "value"),
    )
    def update(query: str | None, by: str, window: int, method: str) -> list[Any]:
        result = view(
            context.source.frame(),
            FilterState.from_query(query or ""),
            by,
            int(window or DEFAULT_WINDOW),
            method or "increment",
            context.min_cell,
        )
        return [result["chart"], result["table-title"], result["table"]]
