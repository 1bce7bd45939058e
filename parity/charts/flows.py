"""Charts of flows: women among appointments, promotions and separations, and rates by gender."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from parity.charts.base import (
    GRID,
    MEN,
    PARITY,
    SHARE_AXIS,
    WOMEN,
    WOMEN_MEN_HOVER,
    Trace,
    _by_year,
    _figure,
    _merge,
    _women_men,
    _year_axis,
    _zone_h,
    empty_figure,
)

EVENT_LABELS = {
    "appointment": "Appointments",
    "promotion": "Promotions",
    "separation": "Separations",
}
EVENT_COLORS = {"appointment": PARITY, "promotion": "#CC79A7", "separation": "#E69F00"}


def flow_shares(table: pd.DataFrame, title: str, *, stock: pd.DataFrame | None = None) -> go.Figure:
    """Women's share among appointments, promotions and separations by year (``year`` and
    ``<event>_share`` columns), with women's share of staff (``stock``) for comparison."""
    if table.empty:
        return empty_figure(
            title, "No flow data (appointments, promotions, separations) for this selection."
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
                name=f"Women among {label.lower()}",
                line={"color": EVENT_COLORS[event], "width": 2.5},
                marker={"size": 6},
                customdata=_women_men(rows, f"{event}_"),
                hovertemplate=f"{label} %{{x}}: <b>%{{y:.1f}}%</b> women<br>{WOMEN_MEN_HOVER}",
            )
        )
    if stock is not None and not stock.empty:
        traces.append(
            _by_year(
                stock,
                "women_share",
                name="Women among staff",
                line={"color": WOMEN, "width": 3, "dash": "dot"},
                hovertemplate="Staff %{x}: %{y:.1f}% women<extra></extra>",
            )
        )
    layout = _merge(_zone_h(), {"yaxis": SHARE_AXIS, "xaxis": _year_axis(table["year"])})
    return _figure(traces, title, layout)


def rates_by_gender(table: pd.DataFrame, event: str, title: str) -> go.Figure:
    """The yearly rate of an event (events / headcount at the start of the year) for women and
    men."""
    rows = table[table[f"{event}_rate_women"].notna() | table[f"{event}_rate_men"].notna()]
    if rows.empty:
        return empty_figure(title, "No flow data for this selection.")
    traces: list[Trace] = [
        _by_year(
            rows,
            f"{event}_rate_{g}",
            "lines+markers",
            name=name,
            line={"color": colour, "width": 2.5},
            hovertemplate=f"{name} %{{x}}: %{{y:.1f}}% a year<extra></extra>",
        )
        for g, name, colour in (("women", "Women", WOMEN), ("men", "Men", MEN))
    ]
    layout = {
        "yaxis": {
            "title": {"text": f"{EVENT_LABELS[event]} a year"},
            "ticksuffix": "%",
            "rangemode": "tozero",
            "gridcolor": GRID,
        },
        "xaxis": _year_axis(rows["year"]),
    }
    return _figure(traces, title, layout, height=360)
