"""Grades: the pipeline from the bottom of the ladder to USG, the glass-ceiling index, and the
table of status and numbers needed per grade."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Dash, Input, Output, dcc, html

from parity import charts
from parity.analysis import resolve_year
from parity.filters import FilterState
from parity.metrics import glass_ceiling_index, grade_pipeline
from parity.privacy import suppress
from parity.reference import Reference
from parity.web.components import chart, metrics_table, page_header, stat
from parity.web.source import Context

NAME, PATH, LABEL = "grades", "/grades", "Grades"
TABLE_COLUMNS = [
    ("grade", "Grade"),
    ("category", "Category"),
    ("women", "Women"),
    ("men", "Men"),
    ("total", "Total"),
    ("women_share", "Women's share"),
    ("gap_pp", "Gap (pp)"),
    ("parity_status", "Status"),
    ("women_needed", "Women needed"),
    ("men_needed", "Men needed"),
]


def layout(context: Context, query: str = "") -> html.Div:
    return html.Div(
        [
            page_header(
                "Grades",
                "How women's representation changes up the ladder, and how "
                "many people must move at each grade for parity.",
            ),
            dcc.Store(id="grades-init", data=1),
            dbc.Row(
                [
                    dbc.Col(
                        stat("grades-ceiling", "Glass-ceiling index", "glass-ceiling"),
                        xs=12,
                        md=4,
                        className="mb-3",
                    ),
                    dbc.Col(
                        stat("grades-top", "Women at D-1 and above", "women-share"),
                        xs=12,
                        md=4,
                        className="mb-3",
                    ),
                    dbc.Col(
                        stat("grades-parity", "Grades at parity", "parity-status"),
                        xs=12,
                        md=4,
                        className="mb-3",
                    ),
                ]
            ),
            chart("grades-pipeline", "pipeline"),
            dbc.Card(
                dbc.CardBody(
                    [
                        html.H2("By grade", className="card-title h5", id="grades-table-title"),
                        html.Div(id="grades-table"),
                    ]
                ),
                className="mb-3",
            ),
        ]
    )


def view(
    frame: pd.DataFrame, filters: FilterState, reference: Reference, min_cell: int
) -> dict[str, Any]:
    filters = resolve_year(frame, filters)
    mask = filters.mask(frame)
    table = grade_pipeline(frame, mask)
    scope = filters.describe()
    out: dict[str, Any] = {}
    index = glass_ceiling_index(frame, reference.top_grades, mask)
    top = table[table["grade"].isin(reference.top_grades)]
    top_people = int(top["total"].sum())
    if index is None:
        out["ceiling-value"] = "—"
        out["ceiling-note"] = (
            "No women at D-1 and above: the index cannot be computed"
            if top_people
            else "No one at D-1 and above in this selection"
        )
    elif 0 < top_people < min_cell:
        out["ceiling-value"], out["ceiling-note"] = "—", f"Fewer than {min_cell} at D-1 and above"
    else:
        out["ceiling-value"] = f"{index:.2f}"
        out["ceiling-note"] = (
            "a glass ceiling: women are scarcer at the top"
            if index > 1.05
            else "no glass ceiling at D-1 and above"
            if index <= 1.0
            else "close to no ceiling"
        )
    if top_people == 0:
        out["top-value"], out["top-note"] = "—", "No one at D-1 and above"
    elif top_people < min_cell:
        out["top-value"], out["top-note"] = "—", f"Fewer than {min_cell} people"
    else:
        women = int(top["women"].sum())
        binary = women + int(top["men"].sum())
        out["top-value"] = f"{100 * women / binary:.1f}%" if binary else "—"
        out["top-note"] = f"{women:,} women of {top_people:,} people"
    statuses = table["parity_status"]
    out["parity-value"] = f"{int((statuses == 'parity').sum())} of {int(statuses.notna().sum())}"
    out["parity-note"] = "grades within 47–53% women"
    out["pipeline"] = charts.pipeline(table, f"Women and men by grade — {scope}", min_cell=min_cell)
    shown = suppress(table.iloc[::-1].reset_index(drop=True), min_cell)
    out["table-title"] = f"By grade — {scope}"
    out["table"] = (
        metrics_table(shown, TABLE_COLUMNS, "grades-metrics")
        if not shown.empty
        else html.P("No one matches this selection.")
    )
    return out


def register(app: Dash, context: Context) -> None:
    stats = [f"{n}-{p}" for n in ("ceiling", "top", "parity") for p in ("value", "note")]

    @app.callback(
        *[Output(f"grades-{k}", "children") for k in stats],
        Output("grades-pipeline", "figure"),
        Output("grades-table-title", "children"),
        Output("grades-table", "children"),
        Input("filters", "data"),
        Input("grades-init", "data"),
    )
    def update(query: str | None, _init: int) -> list[Any]:
        result = view(
            context.source.frame(),
            FilterState.from_query(query or ""),
            context.source.reference(),
            context.min_cell,
        )
        return [
            *(result[k] for k in stats),
            result["pipeline"],
            result["table-title"],
            result["table"],
        ]
