"""Grades: the pipeline from the bottom of the ladder to USG, the glass-ceiling index, and the
table of status and numbers needed per grade."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, dcc, html

from parity import charts
from parity.filters import FilterState
from parity.views.grades import GradesView, grades
from parity.web.components import chart, grid, grid_props, page_header, stat, stat_parts
from parity.web.source import Context

NAME, PATH, LABEL = "grades", "/grades", "Grades"
STATS = ("ceiling", "top", "parity")  # in the order of the view's stats
LABELS = (
    ("Glass-ceiling index", "glass-ceiling"),
    ("Women at D-1 and above", "women-share"),
    ("Grades at parity", "parity-status"),
)
GRID = "grades-grid"


def layout(context: Context, query: str = "") -> html.Div:
    cards = [
        dbc.Col(stat(f"grades-{name}", label, anchor), xs=12, md=4, className="mb-3")
        for name, (label, anchor) in zip(STATS, LABELS, strict=True)
    ]
    return html.Div(
        [
            page_header(
                "Grades",
                "How women's representation changes up the ladder, and how "
                "many people must move at each grade for parity.",
            ),
            dcc.Store(id="grades-init", data=1),
            dbc.Row(cards, className="stats-row"),
            html.P(id="grades-summary", className="summary-sentence"),
            chart("grades-pipeline", "pipeline"),
            dbc.Card(
                dbc.CardBody(
                    [
                        html.H2("By grade", className="card-title h5", id="grades-table-title"),
                        grid(GRID),
                        html.P(id="grades-table-note", className="table-note small text-muted"),
                    ]
                ),
                className="mb-3",
            ),
        ]
    )


def outputs(view: GradesView) -> list[Any]:
    """The page's outputs from its view model, in the order of ``register``."""
    pipeline = charts.pipeline(view.pipeline.data, view.pipeline.title, note=view.pipeline.note)
    columns, rows, style = grid_props(view.table)
    return [
        *stat_parts(view.stats),
        view.sentences["pipeline"],
        pipeline,
        view.table.title,
        columns,
        rows,
        style,
        view.table.note,
    ]


def register(app: Dash, context: Context) -> None:
    stat_outputs = [Output(f"grades-{n}-{p}", "children") for n in STATS for p in ("value", "note")]

    @app.callback(
        *stat_outputs,
        Output("grades-summary", "children"),
        Output("grades-pipeline", "figure"),
        Output("grades-table-title", "children"),
        Output(GRID, "columnDefs"),
        Output(GRID, "rowData"),
        Output(GRID, "style"),
        Output("grades-table-note", "children"),
        Input("filters", "data"),
        Input("grades-init", "data"),
    )
    def update(query: str | None, _init: int) -> list[Any]:
        view = grades(
            context.source.frame(),
            FilterState.from_query(query or ""),
            context.rule,
            context.source.reference(),
        )
        return outputs(view)
