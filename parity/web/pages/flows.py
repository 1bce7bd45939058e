"""Flows: the share of women among appointments, promotions and separations, and the rates at
which women and men are promoted and leave."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Dash, Input, Output, dcc, html

from parity import charts
from parity.analysis import trend
from parity.filters import FilterState
from parity.flows import consistency, flow_rates
from parity.planning import ladder_steps
from parity.reference import Reference
from parity.web.components import chart, page_header
from parity.web.source import Context

NAME, PATH, LABEL = "flows", "/flows", "Flows"
TABLE = [
    ("appointment_share", "Women among appointments"),
    ("promotion_share", "Women among promotions"),
    ("separation_share", "Women among separations"),
    ("promotion_rate_ratio", "Promotion-rate ratio (W/M)"),
    ("attrition_gap_pp", "Attrition gap (pp)"),
]


def layout(context: Context, query: str = "") -> html.Div:
    return html.Div(
        [
            page_header(
                "Flows",
                "Who is appointed, promoted and leaves: the flows that move "
                "women's share, year by year.",
            ),
            dcc.Store(id="flows-init", data=1),
            chart("flows-shares", "flows"),
            dbc.Row(
                [
                    dbc.Col(chart("flows-promotion", "flows"), xs=12, xl=6),
                    dbc.Col(chart("flows-separation", "flows"), xs=12, xl=6),
                ]
            ),
            dbc.Card(
                dbc.CardBody(
                    [
                        html.H2("Do stocks and flows agree?", className="h5"),
                        html.Div(id="flows-consistency"),
                    ]
                ),
                className="mb-3",
            ),
            dbc.Card(
                dbc.CardBody(
                    [
                        html.H2("By staff category", className="h5", id="flows-table-title"),
                        html.Div(id="flows-table"),
                    ]
                ),
                className="mb-3",
            ),
        ]
    )


def _cell(column: str, value: Any) -> str:
    if value is None or pd.isna(value):
        return "—"
    if column.endswith("_share"):
        return f"{100 * value:.1f}%"
    if column.endswith("_pp"):
        return f"{value:+.1f}"
    return f"{value:.2f}"


def consistency_card(
    frame: pd.DataFrame, flows: pd.DataFrame, reference: Reference, stock_mask: Any, flow_mask: Any
) -> Any:
    """Where recorded stocks and flows disagree (the largest differences first)."""
    steps = ladder_steps([str(g) for g in frame["grade"].cat.categories], reference)
    table, checked = consistency(frame, flows, steps, stock_mask, flow_mask)
    if checked == 0:
        return html.P("No flow data to check.")
    if table.empty:
        return dbc.Alert(
            f"Stocks and flows agree in all {checked:,} cells (entity, grade, "
            "gender and year with flows).",
            color="success",
            id="flows-consistent",
        )
    head = [
        "Year",
        "Entity",
        "Grade",
        "Gender",
        "Start",
        "Appointed",
        "Promoted in",
        "Promoted out",
        "Separated",
        "Expected",
        "Recorded",
        "Difference",
    ]
    rows = [
        html.Tr([html.Td(str(v)) for v in record])
        for record in table.head(20).itertuples(index=False)
    ]
    return html.Div(
        [
            dbc.Alert(
                f"{len(table):,} of {checked:,} cells disagree: the recorded stock is not the "
                "previous stock plus the year's flows. The largest differences:",
                color="warning",
                id="flows-inconsistent",
            ),
            dbc.Table(
                [html.Thead(html.Tr([html.Th(h) for h in head])), html.Tbody(rows)],
                size="sm",
                responsive=True,
                className="metrics-table",
            ),
        ]
    )


def view(
    frame: pd.DataFrame,
    flows: pd.DataFrame,
    filters: FilterState,
    reference: Reference | None = None,
) -> dict[str, Any]:
    scope = filters.describe(with_year=False)
    stock_mask = filters.mask(frame, use_year=False)
    flow_mask = filters.mask(flows, use_year=False)
    if filters.year is not None:
        stock_mask &= frame["year"].to_numpy() <= filters.year
        flow_mask &= flows["year"].to_numpy() <= filters.year
    total = flow_rates(frame, flows, [], stock_mask, flow_mask)
    by_category = flow_rates(frame, flows, ["category"], stock_mask, flow_mask)
    out: dict[str, Any] = {
        "shares": charts.flow_shares(
            total,
            f"Women among appointments, promotions and separations — {scope}",
            stock=trend(frame, filters),
        ),
        "promotion": charts.rates_by_gender(
            total, "promotion", f"Promotion rate, women and men — {scope}"
        ),
        "separation": charts.rates_by_gender(
            total, "separation", f"Separation rate, women and men — {scope}"
        ),
    }
    out["consistency"] = (
        consistency_card(frame, flows, reference, stock_mask, flow_mask)
        if reference is not None
        else html.P("—")
    )
    if by_category.empty:
        out["table-title"] = "By staff category"
        out["table"] = html.P(
            "No flow data for this selection: import a file of "
            "appointments, promotions and separations on the Data page."
        )
        return out
    year = int(by_category["year"].max())
    latest = by_category[by_category["year"] == year].copy()
    order = {c: i for i, c in enumerate(frame["category"].cat.categories)}
    latest = latest.sort_values("category", key=lambda s: s.map(order))
    out["table-title"] = f"By staff category — {filters.describe(with_year=False)}, {year}"
    head = html.Thead(
        html.Tr([html.Th("Category"), *[html.Th(label, className="num") for _, label in TABLE]])
    )
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(str(row["category"])),
                    *[html.Td(_cell(c, row[c]), className="num") for c, _ in TABLE],
                ]
            )
            for _, row in latest.iterrows()
        ]
    )
    out["table"] = dbc.Table(
        [head, body],
        id="flows-metrics",
        size="sm",
        hover=True,
        responsive=True,
        className="metrics-table",
    )
    return out


def register(app: Dash, context: Context) -> None:
    keys = ["shares", "promotion", "separation"]

    @app.callback(
        *[Output(f"flows-{k}", "figure") for k in keys],
        Output("flows-table-title", "children"),
        Output("flows-table", "children"),
        Output("flows-consistency", "children"),
        Input("filters", "data"),
        Input("flows-init", "data"),
    )
    def update(query: str | None, _init: int) -> list[Any]:
        source = context.source
        result = view(
            source.frame(), source.flows(), FilterState.from_query(query or ""), source.reference()
        )
        return [
            *(result[k] for k in keys),
            result["table-title"],
            result["table"],
            result["consistency"],
        ]
