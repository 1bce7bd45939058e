"""Charts of flows: women among appointments, promotions and separations, and rates by gender."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from parity.charts.base import (
    GENDERS,
    GRID,
    PARITY,
    Trace,
    _figure,
    _hover,
    _share_layout,
    _share_line,
    _women_men,
    _year_axis,
    empty_figure,
    percent_sign,
    share_token,
    women_men_counts,
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
        hover = _hover(
            _("{event} {year}: <b>{share}</b> women<br>{counts}"),
            event=_(label),
            counts=women_men_counts(),
        )
        traces.append(
            _share_line(
                rows,
                column,
                "series",
                hover,
                colour=EVENT_COLORS[event],
                mode="lines+markers",
                marker={"size": 6},
                customdata=_women_men(rows, f"{event}_"),
                name=_(EVENT_WOMEN[event]),
            )
        )
    if stock is not None and not stock.empty:
        hover = _hover(_("Staff {year}: {share} women"))
        traces.append(
            _share_line(stock, "women_share", "comparison", hover, name=_("Women among staff"))
        )
    return _figure(traces, title, _share_layout(_year_axis(table["year"])))


def rates_by_gender(table: pd.DataFrame, event: str, title: str) -> go.Figure:
    """The yearly rate of an event (events / headcount at the start of the year) for women and
    men."""
    rows = table[table[f"{event}_rate_women"].notna() | table[f"{event}_rate_men"].notna()]
    if rows.empty:
        return empty_figure(title, _("No flow data for this selection."))
    traces: list[Trace] = [
        _share_line(
            rows,
            f"{event}_rate_{gender}",
            "series",
            _hover(_("{group} {year}: {rate} a year"), group=_(label), rate=share_token()),
            colour=colour,
            mode="lines+markers",
            name=_(label),
        )
        for gender, (label, colour) in GENDERS.items()
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
