"""Flows: the share of women among appointments, promotions and separations, and the rates at
which women and men are promoted and leave."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Output, html

from parity import charts
from parity.filters import FilterState
from parity.i18n import N_, _
from parity.privacy import PrivacyRule
from parity.reference import Reference
from parity.views.flows import FlowsView, consistency_words, flows
from parity.views.text import chart_table
from parity.web.components import grid, grid_props
from parity.web.slots import Chart, Custom, DeclaredPage, Side, Summary, Table
from parity.web.source import Context

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


def _rates(event: str, title: str) -> Chart:
    def figure(view: FlowsView) -> Any:
        return charts.rates_by_gender(view.rates.data, event, f"{_(title)} {view.rates.title}")

    def table(view: FlowsView) -> dict[str, Any]:
        columns = [
            (f"{event}_rate_women", _("Women's rate"), "share"),
            (f"{event}_rate_men", _("Men's rate"), "share"),
        ]
        return chart_table(view.rates, columns=columns)

    return Chart(event, "flows", figure, table)


def _shares_table(view: FlowsView) -> dict[str, Any]:
    columns = [(f"{event}_share", _(header), "share") for event, header in SHARE_HEADERS.items()]
    return chart_table(view.shares, view.sentences["flows"], columns)


def _consistency_layout(page: str) -> Any:
    return dbc.Card(
        dbc.CardBody(
            [
                html.H2(_("Do stocks and flows agree?"), className="h5"),
                html.Div(id="flows-consistency"),
                html.Div(grid("flows-consistency-grid", rows=20), className="mt-2"),
            ]
        ),
        className="mb-3",
    )


CONSISTENCY = Custom(
    _consistency_layout,
    lambda page: [
        Output("flows-consistency", "children"),
        *[Output("flows-consistency-grid", prop) for prop in GRID_PROPS],
    ],
    lambda view: [consistency_card(view.consistency), *consistency_grid(view.consistency)],
)
SHARES = Chart(
    "shares",
    "flows",
    lambda view: charts.flow_shares(
        view.shares.data, view.shares.title, stock=view.shares.extra.get("stock")
    ),
    _shares_table,
)


def _ask(context: Context, query: str | None, options: dict[str, Any]) -> FlowsView:
    def build(
        frame: pd.DataFrame, filters: FilterState, rule: PrivacyRule, reference: Reference
    ) -> FlowsView:
        return flows(frame, context.source.flows(), filters, rule, reference)

    return context.view(build, query)


LEAD = N_("Who is appointed, promoted and leaves: the flows that move women's share, year by year.")
SLOTS = (
    Summary(lambda view: view.sentences["flows"]),
    SHARES,
    Side([(_rates(event, title), 6) for event, title in RATE_TITLES.items()]),
    CONSISTENCY,
    Table(N_("By staff category")),
)
PAGE = DeclaredPage("flows", "/flows", N_("Flows"), LEAD, flows, SLOTS, ask=_ask)
