"""Flows: the share of women among appointments, promotions and separations, and the rates at
which women and men are promoted and leave."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, html

from parity import charts
from parity.i18n import N_, _
from parity.views.flows import FlowsView, consistency_words, flows
from parity.views.text import chart_table
from parity.web.components import (
    chart,
    chart_outputs,
    chart_values,
    grid,
    grid_props,
    page_header,
    table_card,
    table_outputs,
    table_values,
)
from parity.web.source import Context

NAME, PATH, LABEL = "flows", "/flows", N_("Flows")
CHARTS = ("shares", "promotion", "separation")
GRID_PROPS = ("columnDefs", "rowData", "style")
RATE_TITLES = {
    "promotion": N_("Promotion rate, women and men"),
    "separation": N_("Separation rate, women and men"),
}
SHARE_HEADERS = {
    "appointment": N_("Women's share of appointments"),
    "promotion": N_("Women's share of promotions"),
    "separation": N_("Women's share of separations"),
}


def layout(context: Context, query: str = "") -> html.Div:
    return html.Div(
        [
            page_header(
                _("Flows"),
                _(
                    "Who is appointed, promoted and leaves: the flows that move "
                    "women's share, year by year."
                ),
                page="flows",
            ),
            html.P(id="flows-summary", className="summary-sentence"),
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
                        html.H2(_("Do stocks and flows agree?"), className="h5"),
                        html.Div(id="flows-consistency"),
                        html.Div(grid("flows-consistency-grid", rows=20), className="mt-2"),
                    ]
                ),
                className="mb-3",
            ),
            table_card("flows", _("By staff category")),
        ]
    )


def consistency_card(check: dict[str, Any]) -> Any:
    """Whether recorded stocks and flows agree, in words (the cells themselves, when the view
    has them, go to the consistency grid)."""
    words = consistency_words(check)
    if check["checked"] == 0:
        return html.P(words)
    if check["disagreeing"] == 0:
        return dbc.Alert(words, color="success", id="flows-consistent")
    return dbc.Alert(words, color="warning", id="flows-inconsistent")


def consistency_grid(check: dict[str, Any]) -> tuple[Any, Any, dict[str, str]]:
    """The consistency grid's props: the disagreeing cells in exact mode, else a hidden grid."""
    table = check.get("table")
    if table is None or check["disagreeing"] == 0:
        return [], [], {"display": "none"}
    return grid_props(table)


def outputs(view: FlowsView) -> list[Any]:
    """The page's outputs from its view model, in the order of ``register``."""
    shares = charts.flow_shares(
        view.shares.data,
        view.shares.title,
        stock=view.shares.extra.get("stock"),  # type: ignore[arg-type]
    )
    rates = [
        charts.rates_by_gender(view.rates.data, event, f"{_(title)} {view.rates.title}")
        for event, title in RATE_TITLES.items()
    ]
    share_columns = [
        (f"{event}_share", _(header), "share") for event, header in SHARE_HEADERS.items()
    ]
    rate_tables = [
        chart_table(
            view.rates,
            columns=[
                (f"{event}_rate_women", _("Women's rate"), "share"),
                (f"{event}_rate_men", _("Men's rate"), "share"),
            ],
        )
        for event in RATE_TITLES
    ]
    return [
        view.sentences["flows"],
        *chart_values(shares, chart_table(view.shares, view.sentences["flows"], share_columns)),
        *[
            v
            for figure, table in zip(rates, rate_tables, strict=True)
            for v in chart_values(figure, table)
        ],
        consistency_card(view.consistency),
        *consistency_grid(view.consistency),
        *table_values(view.table),
    ]


def register(app: Dash, context: Context) -> None:
    @app.callback(
        Output("flows-summary", "children"),
        *[o for name in CHARTS for o in chart_outputs(f"flows-{name}")],
        Output("flows-consistency", "children"),
        *[Output("flows-consistency-grid", prop) for prop in GRID_PROPS],
        *table_outputs("flows"),
        Input("filters", "data"),
        Input("flows-init", "data"),
    )
    def update(query: str | None, _init: int) -> list[Any]:
        def build(frame: Any, filters: Any, rule: Any, reference: Any) -> FlowsView:
            return flows(frame, context.source.flows(), filters, rule, reference)

        return outputs(context.view(build, query))
