"""Duty stations: a map sized by headcount and coloured by women's share, HQ vs field, and the
ranking of stations. Clicking a station on the map filters every page to it."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Dash, Input, Output, State, dcc, html, no_update

from parity import charts
from parity.analysis import report, resolve_year
from parity.filters import FilterState
from parity.reference import Reference
from parity.web.components import chart, page_header
from parity.web.source import Context

NAME, PATH, LABEL = "stations", "/stations", "Duty stations"


def layout(context: Context, query: str = "") -> html.Div:
    return html.Div(
        [
            page_header(
                "Duty stations",
                "Where women are, and are not, represented. Click a "
                "station on the map to filter every page to it.",
            ),
            dcc.Store(id="stations-init", data=1),
            chart("stations-map", "women-share"),
            dbc.Row(
                [
                    dbc.Col(chart("stations-location", "women-share"), xs=12, xl=5),
                    dbc.Col(chart("stations-ranking", "parity-status"), xs=12, xl=7),
                ]
            ),
        ]
    )


def station_table(frame: pd.DataFrame, filters: FilterState, reference: Reference) -> pd.DataFrame:
    """Metrics per duty station with coordinates from the reference (NaN when unknown)."""
    table = report(frame, filters, ["duty_station"])
    table = table[table["duty_station"].notna()].reset_index(drop=True)
    info = reference.station_info(pd.Index(table["duty_station"]))
    return pd.concat([table, info[["latitude", "longitude"]].reset_index(drop=True)], axis=1)


def view(
    frame: pd.DataFrame, filters: FilterState, reference: Reference, min_cell: int
) -> dict[str, Any]:
    filters = resolve_year(frame, filters)
    scope = filters.describe()
    stations = station_table(frame, filters, reference)
    by_location = report(frame, filters, ["location"])
    by_location = by_location[by_location["location"].notna()]
    return {
        "map": charts.station_map(
            stations, f"Women's share by duty station — {scope}", min_cell=min_cell
        ),
        "location": charts.women_men_bars(by_location, "location", f"HQ and field — {scope}"),
        "ranking": charts.share_bars(
            stations, "duty_station", f"Duty stations by women's share — {scope}", min_cell=min_cell
        ),
    }


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
        Output("stations-map", "figure"),
        Output("stations-location", "figure"),
        Output("stations-ranking", "figure"),
        Input("filters", "data"),
        Input("stations-init", "data"),
    )
    def update(query: str | None, _init: int) -> list[Any]:
        result = view(
            context.source.frame(),
            FilterState.from_query(query or ""),
            context.source.reference(),
            context.min_cell,
        )
        return [result["map"], result["location"], result["ranking"]]

    @app.callback(
        Output("filter-duty_station", "value", allow_duplicate=True),
        Input("stations-map", "clickData"),
        State("filter-duty_station", "value"),
        prevent_initial_call=True,
    )
    def on_click(click: dict[str, Any] | None, current: list[str] | None) -> Any:
        return clicked_station(click, current)
