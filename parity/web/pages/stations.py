"""Duty stations: a map sized by headcount and coloured by women's share, HQ vs field, the
ranking of stations and the table of every station. Clicking a station on the map filters every
page to it."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, html, no_update

from parity import charts
from parity.i18n import N_, _
from parity.views.stations import StationsView, stations
from parity.views.text import chart_table
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

NAME, PATH, LABEL = "stations", "/stations", N_("Duty stations")
CHARTS = ("map", "location", "ranking")


def layout(context: Context, query: str = "") -> html.Div:
    return html.Div(
        [
            page_header(
                _("Duty stations"),
                _(
                    "Where women are, and are not, represented. Click a "
                    "station on the map to filter every page to it."
                ),
                page="stations",
            ),
            html.P(id="stations-summary", className="summary-sentence"),
            chart("stations-map", "women-share"),
            dbc.Row(
                [
                    dbc.Col(chart("stations-location", "women-share"), xs=12, xl=5),
                    dbc.Col(chart("stations-ranking", "parity-status"), xs=12, xl=7),
                ]
            ),
            table_card("stations", _("By duty station")),
        ]
    )


def outputs(view: StationsView) -> list[Any]:
    """The page's outputs from its view model, in the order of ``register``."""
    station_map = charts.station_map(view.map.data, view.map.title, note=view.map.note)
    location = charts.women_men_bars(
        view.location.data, "location", view.location.title, note=view.location.note
    )
    ranking = charts.share_bars(
        view.ranking.data, "duty_station", view.ranking.title, note=view.ranking.note
    )
    summary = view.sentences["stations"]
    return [
        summary,
        *chart_values(station_map, chart_table(view.map)),
        *chart_values(location, chart_table(view.location, view.sentences["stations"])),
        *chart_values(ranking, chart_table(view.ranking)),
        *table_values(view.table),
    ]


def clicked_station(click: dict[str, Any] | None, current: list[str] | None) -> Any:
    """The duty-station filter after a click on the map: the clicked station alone (a second
    click on the same station clears it)."""
    if not click or not click.get("points"):
        return no_update
    name = click["points"][0].get("text")
    if not name:
        return no_update
    return [] if current == [name] else [name]


def register(app: Dash, context: Context) -> None:
    @app.callback(
        Output("stations-summary", "children"),
        *[o for name in CHARTS for o in chart_outputs(f"stations-{name}")],
        *table_outputs("stations"),
        Input("filters", "data"),
        Input("stations-init", "data"),
    )
    def update(query: str | None, _init: int) -> list[Any]:
        return outputs(context.view(stations, query))

    @app.callback(
        Output("filter-duty_station", "value", allow_duplicate=True),
        Input("stations-map", "clickData"),
        State("filter-duty_station", "value"),
        prevent_initial_call=True,
    )
    def on_click(click: dict[str, Any] | None, current: list[str] | None) -> Any:
        return clicked_station(click, current)
