"""Charts of flows: women among appointments, promotions and separations, and rates by gender."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from parity.charts.base import (
    GRID,
    MEN,
    PARITY,
    WOMEN,
    Trace,
    _by_year,
    _figure,
    _merge,
    _women_men,
    _year_axis,
    _zone_h,
    empty_figure,
    percent_sign,
    share_axis,
    share_token,
    women_men_hover,
)
from parity.i18n import N_, _

EVENT_LABELS = {  # English: show them through _()
    "appointment": N_("Appointments"),
    "promotion": N_("Promotions"),
    "separation": N_("Separations"),
}
EVENT_WOMEN = {
    "appointment": N_("Women among appointments"),
    "promotion": N_("Women among promotions"),
    "separation": N_("Women among separations"),
}
EVENT_COLORS = {"appointment": PARITY, "promotion": "#CC79A7", "separation": "#E69F00"}


def flow_shares(table: pd.DataFrame, title: str, *, stock: pd.DataFrame | None = None) -> go.Figure:
    """Women's share among appointments, promotions and separations by year (``year`` and
    ``<event>_share`` columns), with women's share of staff (``stock``) for comparison."""
    if table.empty:
        return empty_figure(
            title, _("No flow data (appointments, promotions, separations) for this selection.")
        )
    traces: list[Trace] = []
    for event, label in EVENT_LABELS.items():
        column = f"{event}_share"
        rows = table[table[column].notna()]
        traces.append(
            _by_year(
                rows,
                column,
                "lines+markers",
                name=_(EVENT_WOMEN[event]),
                line={"color": EVENT_COLORS[event], "width": 2.5},
                marker={"size": 6},
                customdata=_women_men(rows, f"{event}_"),
                hovertemplate=_("{event} {year}: <b>{share}</b> women<br>{counts}").format(
                    event=_(label), year="%{x}", share=share_token(), counts=women_men_hover()
                ),
            )
        )
    if stock is not None and not stock.empty:
        traces.append(
            _by_year(
                stock,
                "women_share",
                name=_("Women among staff"),
                line={"color": WOMEN, "width": 3, "dash": "dot"},
                hovertemplate=_("Staff {year}: {share} women").format(
                    year="%{x}", share=share_token()
                )
                + "<extra></extra>",
            )
        )
    layout = _merge(_zone_h(), {"yaxis": share_axis(), "xaxis": _year_axis(table["year"])})
    return _figure(traces, title, layout)


def rates_by_gender(table: pd.DataFrame, event: str, title: str) -> go.Figure:
    """The yearly rate of an event (events / headcount at the start of the year) for women and
    men."""
    rows = table[table[f"{event}_rate_women"].notna() | table[f"{event}_rate_men"].notna()]
    if rows.empty:
        return empty_figure(title, _("No flow data for this selection."))
    traces: list[Trace] = [
        _by_year(
            rows,
            f"{event}_rate_{g}",
            "lines+markers",
            name=name,
            line={"color": colour, "width": 2.5},
            hovertemplate=_("{group} {year}: {rate} a year").format(
                group=name, year="%{x}", rate=share_token()
            )
            + "<extra></extra>",
        )
        for g, name, colour in (("women", _("Women"), WOMEN), ("men", _("Men"), MEN))
    ]
    layout = {
        "yaxis": {
            "title": {"text": _("{event} a year").format(event=_(EVENT_LABELS[event]))},
            "ticksuffix": percent_sign(),
            "rangemode": "tozero",
            "gridcolor": GRID,
        },
        "xaxis": _year_axis(rows["year"]),
    }
    return _figure(traces, title, layout, height=360)
