"""Entities: ranking by women's share and gap, a heatmap entity x grade, how many entities are
at parity each year, and the table of status and numbers needed per entity."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, dcc, html

from parity import charts
from parity.filters import FilterState
from parity.views.entities import EntitiesView, entities
from parity.web.components import chart, grid, grid_props, page_header
from parity.web.source import Context

NAME, PATH, LABEL = "entities", "/entities", "Entities"
CHARTS = ("ranking", "heatmap", "count")
GRID = "entities-grid"


def layout(context: Context, query: str = "") -> html.Div:
    return html.Div(
        [
            page_header(
                "Entities",
                "Which entities lead and which lag, at which grades, and "
                "how many are at parity each year.",
            ),
            dcc.Store(id="entities-init", data=1),
            html.P(id="entities-summary", className="summary-sentence"),
            chart("entities-ranking", "parity-status"),
            chart("entities-heatmap", "women-share"),
            chart("entities-count", "parity-status"),
            dbc.Card(
                dbc.CardBody(
                    [
                        html.H2("By entity", className="card-title h5", id="entities-table-title"),
                        grid(GRID),
                        html.P(id="entities-table-note", className="table-note small text-muted"),
                    ]
                ),
                className="mb-3",
            ),
        ]
    )


def outputs(view: EntitiesView) -> list[Any]:
    """The page's outputs from its view model, in the order of ``register``."""
    ranking = charts.share_bars(
        view.ranking.data, "entity", view.ranking.title, note=view.ranking.note
    )
    heatmap = charts.share_heatmap(
        view.heatmap.data,
        "entity",
        "grade",
        view.heatmap.title,
        column_order=view.heatmap.extra.get("column_order"),  # type: ignore[arg-type]
        note=view.heatmap.note,
    )
    count = charts.parity_count_trend(view.count.data, view.count.title)
    columns, rows, style = grid_props(view.table)
    return [
        view.sentences.get("ranking", ""),
        ranking,
        heatmap,
        count,
        view.table.title,
        columns,
        rows,
        style,
        view.table.note,
    ]


def register(app: Dash, context: Context) -> None:
    @app.callback(
        Output("entities-summary", "children"),
        *[Output(f"entities-{name}", "figure") for name in CHARTS],
        Output("entities-table-title", "children"),
        Output(GRID, "columnDefs"),
        Output(GRID, "rowData"),
        Output(GRID, "style"),
        Output("entities-table-note", "children"),
        Input("filters", "data"),
        Input("entities-init", "data"),
    )
    def update(query: str | None, _init: int) -> list[Any]:
        view = entities(
            context.source.frame(),
            FilterState.from_query(query or ""),
            context.rule,
            context.source.reference(),
        )
        return outputs(view)
