"""Charts of women's share laid out over two dimensions at once: a heatmap of one dimension
against another (entity x grade, say) and the duty stations on a world map. Withheld groups are
drawn grey, with no figures."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from parity.charts.base import (
    SHARE_SCALE,
    WITHHELD,
    Trace,
    _figure,
    _hover,
    _pct,
    _women_men,
    empty_figure,
    note_annotation,
    percent_sign,
    share_token,
    women_men_counts,
)
from parity.i18n import _


def share_heatmap(
    table: pd.DataFrame,
    rows: str,
    columns: str,
    title: str,
    *,
    column_order: Sequence[str] | None = None,
    note: str = "",
) -> go.Figure:
    """Women's share for each (row, column) pair, e.g. entity x grade; withheld cells (no
    figures in the view model) are left blank, with no hover."""
    if table.empty:
        return empty_figure(title)
    data = table.copy()
    data["women_share"] = data["women_share"].astype(float)
    data["total"] = data["total"].astype(float)
    grid = data.pivot_table(
        index=rows, columns=columns, values="women_share", aggfunc="first", dropna=False
    )
    people = data.pivot_table(
        index=rows, columns=columns, values="total", aggfunc="first", dropna=False
    )
    if column_order is not None:
        ordered = [c for c in column_order if c in grid.columns]
        grid, people = grid[ordered], people.reindex(columns=ordered)
    grid = grid.loc[grid.mean(axis=1).sort_values(na_position="first").index]
    people = people.reindex(index=grid.index)
    withheld = (
        data.assign(_withheld=data["hidden"].notna().astype(float))
        .pivot_table(index=rows, columns=columns, values="_withheld", aggfunc="max", dropna=False)
        .reindex(index=grid.index, columns=grid.columns)
        if "hidden" in data
        else grid * np.nan
    )
    traces: list[Trace] = [
        {
            "type": "heatmap",
            "z": 100 * grid.to_numpy(dtype=float),
            **_cells(grid),
            "colorscale": SHARE_SCALE,
            "zmin": 0,
            "zmax": 100,
            "zmid": 50,
            "customdata": people.to_numpy(dtype=float),
            "hovertemplate": _hover(
                _("{row}, {column}: <b>{share}</b> women of {total}"),
                row="%{y}",
                column="%{x}",
                share=share_token("z"),
                total="%{customdata:,.0f}",
            ),
            "colorbar": {"title": {"text": _("Women")}, "ticksuffix": percent_sign()},
        },
        {  # withheld cells: grey, and nothing but the reason in the hover
            "type": "heatmap",
            "z": np.where(withheld.to_numpy(dtype=float) > 0, 1.0, np.nan),
            **_cells(grid),
            "colorscale": [[0.0, WITHHELD], [1.0, WITHHELD]],
            "showscale": False,
            "hovertemplate": _hover(
                _("{row}, {column}: not shown (small group)"), row="%{y}", column="%{x}"
            ),
        },
    ]
    crowded = len(grid.columns) > 14  # NO-A ... NO-E and G-1 ... G-7 overlap when level
    layout = {
        "xaxis": {
            "title": None,
            "side": "top",
            "tickangle": -60 if crowded else 0,
            "tickfont": {"size": 11 if crowded else 13},
            "automargin": True,
        },
        "yaxis": {"title": None, "automargin": True},
        "margin": {"t": 130 if crowded else 96},
        "annotations": note_annotation(note, below=True),
    }
    return _figure(traces, title, layout, height=max(380, 18 * len(grid.index) + 200))


def _cells(grid: pd.DataFrame) -> dict[str, Any]:
    """A heatmap layer's columns and rows, from ``grid``'s, with no hover on an empty cell."""
    return {
        "x": [str(c) for c in grid.columns],
        "y": [str(r) for r in grid.index],
        "hoverongaps": False,
    }


def station_map(table: pd.DataFrame, title: str, *, note: str = "") -> go.Figure:
    """Duty stations on a world map: size = headcount, colour = women's share. Stations whose
    figures are withheld (no share in the view model) are grey dots with no figures."""
    located = table.dropna(subset=["latitude", "longitude"])
    if located.empty:
        return empty_figure(title, _("No duty station in this selection has coordinates."))
    big = located[located["women_share"].notna()]
    few = located[located["women_share"].isna()]
    traces: list[Trace] = []
    if not big.empty:
        total = big["total"].to_numpy(dtype=float)
        size = 8 + 30 * np.sqrt(total / max(float(total.max()), 1.0))
        marker = {
            "size": size,
            "color": _pct(big["women_share"]),
            "colorscale": SHARE_SCALE,
            "cmin": 0,
            "cmax": 100,
            "cmid": 50,
            "line": {"width": 0.6, "color": "#333"},
            "opacity": 0.9,
            "colorbar": {"title": {"text": _("Women")}, "ticksuffix": percent_sign()},
        }
        hover = _hover(
            _("{share} women<br>{counts}"),
            share=share_token("marker.color"),
            counts=women_men_counts(),
        )
        name = _("Duty stations")
        traces.append(_stations(big, name, marker, hover, customdata=_women_men(big)))
    if not few.empty:
        marker = {"size": 7, "color": WITHHELD}
        hover = _("not shown: too few people") + "<extra></extra>"
        traces.append(_stations(few, _("Not shown (small group)"), marker, hover))
    layout = {
        "geo": {
            "showcountries": True,
            "countrycolor": "#d1d5db",
            "showland": True,
            "landcolor": "#f8fafc",
            "showocean": True,
            "oceancolor": "#eef4fb",
            "projection": {"type": "natural earth"},
            "showframe": False,
            "coastlinecolor": "#cbd5e1",
        },
        "margin": {"l": 0, "r": 0, "t": 56, "b": 0},
        "legend": {"y": 0.02},
        "annotations": note_annotation(note),
    }
    return _figure(traces, title, layout, height=460)


def _stations(
    rows: pd.DataFrame, name: str, marker: dict[str, Any], hover: str, **extra: Any
) -> Trace:
    """Duty stations as points on the map, each hover headed by the station's name."""
    return {
        "type": "scattergeo",
        "lat": rows["latitude"].to_numpy(),
        "lon": rows["longitude"].to_numpy(),
        "text": [str(s) for s in rows["duty_station"]],
        "mode": "markers",
        "name": name,
        "marker": marker,
        **extra,
        "hovertemplate": f"<b>%{{text}}</b><br>{hover}",
    }
