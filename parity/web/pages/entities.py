"""Entities: ranking by women's share and gap, a heatmap entity x grade, and how many entities
are at parity each year."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import Dash, Input, Output, dcc, html

from parity import charts
from parity.analysis import entities_at_parity, report, resolve_year
from parity.filters import FilterState
from parity.web.components import chart, page_header
from parity.web.source import Context

NAME, PATH, LABEL = "entities", "/entities", "Entities"


def layout(context: Context, query: str = "") -> html.Div:
    return html.Div(
        [
            page_header(
                "Entities",
                "Which entities lead and which lag, at which grades, and "
                "how many are at parity each year.",
            ),
            dcc.Store(id="entities-init", data=1),
            chart("entities-ranking", "parity-status"),
            chart("entities-heatmap", "women-share"),
            chart("entities-count", "parity-status"),
        ]
    )


def view(frame: pd.DataFrame, filters: FilterState, min_cell: int) -> dict[str, Any]:
    filters = resolve_year(frame, filters)
    scope = filters.describe()
    ranking = report(frame, filters, ["entity"])
    cells = report(frame, filters, ["entity", "grade"])
    grade_order = list(frame["grade"].cat.categories[::-1])  # bottom of the ladder first
    counts = entities_at_parity(frame, filters)
    return {
        "ranking": charts.share_bars(
            ranking, "entity", f"Entities by women's share — {scope}", min_cell=min_cell
        ),
        "heatmap": charts.share_heatmap(
            cells,
            "entity",
            "grade",
            f"Women's share by entity and grade — {scope}",
            column_order=grade_order,
            min_cell=min_cell,
        ),
        "count": charts.parity_count_trend(
            counts, f"Entities at parity each year — {filters.describe(with_year=False)}"
        ),
    }


def register(app: Dash, context: Context) -> None:
    @app.callback(
        Output("entities-ranking", "figure"),
        Output("entities-heatmap", "figure"),
        Output("entities-count", "figure"),
        Input("filters", "data"),
        Input("entities-init", "data"),
    )
    def update(query: str | None, _init: int) -> list[Any]:
        result = view(context.source.frame(), FilterState.from_query(query or ""), context.min_cell)
        return [result["ranking"], result["heatmap"], result["count"]]
