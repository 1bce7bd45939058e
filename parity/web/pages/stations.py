"""Duty stations: a map sized by headcount and coloured by women's share, HQ vs field, the
ranking of stations and the table of every station. Clicking a station on the map filters every
page to it."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, State, no_update

from parity import charts
from parity.i18n import N_
from parity.views.stations import stations
from parity.views.text import chart_table
from parity.web.slots import Chart, DeclaredPage, Side, Summary, Table
from parity.web.source import Context

MAP = Chart(
    "map",
    "women-share",
    lambda view: charts.station_map(view.map.data, view.map.title, note=view.map.note),
    lambda view: chart_table(view.map),
)
LOCATION = Chart(
    "location",
    "women-share",
    lambda view: charts.women_men_bars(
        view.location.data, "location", view.location.title, note=view.location.note
    ),
    lambda view: chart_table(view.location, view.sentences["stations"]),
)
RANKING = Chart(
    "ranking",
    "parity-status",
    lambda view: charts.share_bars(
        view.ranking.data, "duty_station", view.ranking.title, note=view.ranking.note
    ),
    lambda view: chart_table(view.ranking),
)


def clicked_station(click: dict[str, Any] | None, current: list[str] | None) -> Any:
    """The duty-station filter after a click on the map: the clicked station alone (a second
    click on the same station clears it)."""
    if not click or not click.get("points"):
        return no_update
    name = click["points"][0].get("text")
    if not name:
        return no_update
    return [] if current == [name] else [name]


class StationsPage(DeclaredPage):
    def register(self, app: Dash, context: Context) -> None:
        super().register(app, context)

        @app.callback(
            Output("filter-duty_station", "value", allow_duplicate=True),
            Input("stations-map", "clickData"),
            State("filter-duty_station", "value"),
            prevent_initial_call=True,
        )
        def on_click(click: dict[str, Any] | None, current: list[str] | None) -> Any:
            return clicked_station(click, current)


LEAD = N_(
    "Where women are, and are not, represented. Click a station on the map to filter every "
    "page to it."
)
SLOTS = (
    Summary(lambda view: view.sentences["stations"]),
    MAP,
    Side(((LOCATION, 5), (RANKING, 7))),
    Table(N_("By duty station")),
)
PAGE = StationsPage("stations", "/stations", N_("Duty stations"), LEAD, stations, SLOTS)
