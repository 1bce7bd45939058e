"""Charts of women's share and of women and men: by year, by grade, by group, by two
dimensions, and on a map."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from parity import i18n
from parity.charts.base import (  # fmt: skip
    GRID,
    MEN,
    OTHER,
    PARITY,
    SHARE_SCALE,
    STATUS_COLORS,
    STATUS_LABELS,
    WITHHELD,
    WOMEN,
    Trace,
    _by_year,
    _empty,
    _figure,
    _ints,
    _merge,
    _nums,
    _pct,
    _scatter,
    _women_men,
    _year_axis,
    _zone_h,
    _zone_v,
    empty_figure,
    note_annotation,
    percent_sign,
    share_axis,
    share_token,
    women_men_hover,
)
from parity.i18n import _


def share_trend(
    series: pd.DataFrame,
    title: str,
    *,
    projected: pd.DataFrame | None = None,
    note: str = "",
) -> go.Figure:
    """Women's share over time (``year``, ``women``, ``men``, ``women_share``: the years shown),
    with the parity zone; ``projected`` (year, share_pp) draws the projection as a dotted line."""
    if series.empty:
        return empty_figure(title)
    shown = series
    traces: list[Trace] = [
        _by_year(
            shown,
            "women_share",
            "lines+markers",
            name=_("Women's share"),
            line={"color": WOMEN, "width": 3},
            marker={"size": 7},
            customdata=_women_men(shown),
            hovertemplate=_("{year}: <b>{share}</b> women<br>{counts}").format(
                year="%{x}", share=share_token(), counts=women_men_hover()
            ),
        )
    ]
    last = None
    if projected is not None and not projected.empty:
        last = int(projected["year"].max())
        traces.append(
            _scatter(
                _ints(projected["year"]),
                list(projected["share_pp"]),  # already in percent
                "lines",
                name=_("Projection"),
                line={"color": WOMEN, "width": 2, "dash": "dot"},
                hovertemplate=_("{year}: {share} (projected)").format(
                    year="%{x}", share=share_token()
                )
                + "<extra></extra>",
            )
        )
    layout = _merge(
        _zone_h(),
        {
            "annotations": note_annotation(note),
            "yaxis": share_axis(),
            "xaxis": _year_axis(series["year"], last),
        },
    )
    return _figure(traces, title, layout)


def pipeline(table: pd.DataFrame, title: str, *, note: str = "") -> go.Figure:
    """Butterfly chart of the grade pipeline: women to the left, men to the right, one row per
    grade shown, from the bottom of the ladder (first row of ``table``) to the top."""
    if table.empty:
        return _empty(title, note)
    shown = table
    grades = [str(g) for g in shown["grade"]]
    traces: list[Trace] = [
        {
            "type": "bar",
            "y": grades,
            "x": -_nums(shown["women"]),
            "orientation": "h",
            "name": _("Women"),
            "marker": {"color": WOMEN},
            "text": [i18n.percent(float(s), 0) for s in shown["women_share"]],
            "textposition": "outside",
            "cliponaxis": False,
            "customdata": np.stack([_nums(shown["women"]), _pct(shown["women_share"])], axis=-1),
            "hovertemplate": _("{grade}: {women} women ({share})").format(
                grade="%{y}", women="%{customdata[0]:,}", share=share_token("customdata[1]")
            )
            + "<extra></extra>",
        },
        {
            "type": "bar",
            "y": grades,
            "x": _nums(shown["men"]),
            "orientation": "h",
            "name": _("Men"),
            "marker": {"color": MEN},
            "customdata": _nums(shown["men"]),
            "hovertemplate": _("{grade}: {men} men").format(grade="%{y}", men="%{customdata:,}")
            + "<extra></extra>",
        },
    ]
    largest = float(max(shown["women"].max(), shown["men"].max(), 1))
    ticks = np.linspace(-largest, largest, 5)
    layout = {
        "barmode": "overlay",
        "bargap": 0.25,
        "annotations": note_annotation(note),
        "xaxis": {
            "tickvals": list(ticks),
            "ticktext": [i18n.number(abs(t)) for t in ticks],
            "title": {"text": _("People (women ← | → men)")},
            "gridcolor": GRID,
            "range": [-largest * 1.25, largest * 1.1],
        },
        "yaxis": {"categoryorder": "array", "categoryarray": grades, "title": None},
    }
    return _figure(traces, title, layout, height=max(360, 26 * len(grades) + 140))


def share_bars(
    table: pd.DataFrame,
    dimension: str,
    title: str,
    *,
    note: str = "",
    sort: bool = True,
    limit: int | None = None,
) -> go.Figure:
    """Women's share per group shown as horizontal bars coloured by parity status, parity zone
    drawn. Sorted by share (highest on top), or in the table's order (first on top)."""
    shown = table[table["women_share"].notna()]
    if shown.empty:
        return _empty(title, note)
    if sort:
        shown = shown.sort_values("women_share")
        if limit is not None:
            shown = shown.tail(limit)
    else:
        shown = shown.iloc[::-1]  # horizontal bars are drawn bottom-up: keep the first on top
    labels = [str(v) if v is not None else _("Not recorded") for v in shown[dimension]]
    needed = [
        _("{n} more women needed to reach the parity zone").format(n=i18n.number(int(w)))
        if w
        else (
            _("{n} more men needed to reach the parity zone").format(n=i18n.number(int(m)))
            if m
            else _("at parity")
        )
        for w, m in zip(shown["women_needed"], shown["men_needed"], strict=True)
    ]
    traces: list[Trace] = [
        {
            "type": "bar",
            "y": labels,
            "x": _pct(shown["women_share"]),
            "orientation": "h",
            "marker": {"color": [STATUS_COLORS.get(s, OTHER) for s in shown["parity_status"]]},
            "text": [i18n.percent(float(s)) for s in shown["women_share"]],
            "textposition": "outside",
            "cliponaxis": False,
            "showlegend": False,
            "customdata": np.stack(
                [
                    [i18n.number(int(v)) for v in shown["women"]],
                    [i18n.number(int(v)) for v in shown["men"]],
                    needed,
                ],
                axis=-1,
            ),
            "hovertemplate": _(
                "{group}: <b>{share}</b> women<br>{women} women, {men} men<br>{needed}"
            ).format(
                group="%{y}",
                share=share_token("x"),
                women="%{customdata[0]}",
                men="%{customdata[1]}",
                needed="%{customdata[2]}",
            )
            + "<extra></extra>",
        }
    ]
    for status, colour in STATUS_COLORS.items():  # legend entries for the status colours
        traces.append(
            {
                "type": "bar",
                "x": [None],
                "y": [None],
                "marker": {"color": colour},
                "name": _(STATUS_LABELS[status]),
                "orientation": "h",
            }
        )
    layout = _merge(
        _zone_v(),
        {
            "annotations": note_annotation(note),
            "xaxis": {
                "title": None,
                "ticksuffix": percent_sign(),
                "range": [0, 105],
                "gridcolor": GRID,
            },
            "yaxis": {
                "categoryorder": "array",
                "categoryarray": labels,
                "title": None,
                "automargin": True,
            },
            "margin": {"b": 100},  # room for the status legend, which wraps on narrow cards
        },
    )
    return _figure(traces, title, layout, height=max(380, 24 * len(labels) + 180))


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
            "x": [str(c) for c in grid.columns],
            "y": [str(r) for r in grid.index],
            "colorscale": SHARE_SCALE,
            "zmin": 0,
            "zmax": 100,
            "zmid": 50,
            "customdata": people.to_numpy(dtype=float),
            "hoverongaps": False,
            "hovertemplate": _("{row}, {column}: <b>{share}</b> women of {total}").format(
                row="%{y}", column="%{x}", share=share_token("z"), total="%{customdata:,.0f}"
            )
            + "<extra></extra>",
            "colorbar": {"title": {"text": _("Women")}, "ticksuffix": percent_sign()},
        },
        {  # withheld cells: grey, and nothing but the reason in the hover
            "type": "heatmap",
            "z": np.where(withheld.to_numpy(dtype=float) > 0, 1.0, np.nan),
            "x": [str(c) for c in grid.columns],
            "y": [str(r) for r in grid.index],
            "colorscale": [[0.0, WITHHELD], [1.0, WITHHELD]],
            "showscale": False,
            "hoverongaps": False,
            "hovertemplate": _("{row}, {column}: not shown (small group)").format(
                row="%{y}", column="%{x}"
            )
            + "<extra></extra>",
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
        hover = _("{share} women<br>{counts}").format(
            share=share_token("marker.color"), counts=women_men_hover()
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


def women_men_bars(table: pd.DataFrame, dimension: str, title: str, *, note: str = "") -> go.Figure:
    """Women and men side by side per group shown (e.g. HQ vs field), share in the labels."""
    shown = table
    if shown.empty:
        return _empty(title, note)
    labels = [str(v) if v is not None else _("Not recorded") for v in shown[dimension]]
    traces: list[Trace] = [
        {
            "type": "bar",
            "x": labels,
            "y": shown["women"].to_numpy(dtype=float),
            "name": _("Women"),
            "marker": {"color": WOMEN},
            "text": [i18n.percent(float(s)) for s in shown["women_share"]],
            "textposition": "outside",
            "hovertemplate": _("{group}: {women} women").format(group="%{x}", women="%{y:,}")
            + "<extra></extra>",
        },
        {
            "type": "bar",
            "x": labels,
            "y": shown["men"].to_numpy(dtype=float),
            "name": _("Men"),
            "marker": {"color": MEN},
            "hovertemplate": _("{group}: {men} men").format(group="%{x}", men="%{y:,}")
            + "<extra></extra>",
        },
    ]
    layout = {
        "barmode": "group",
        "annotations": note_annotation(note),
        "yaxis": {"title": {"text": _("People")}, "gridcolor": GRID},
    }
    return _figure(traces, title, layout, height=380)


def parity_count_trend(counts: pd.DataFrame, title: str) -> go.Figure:
    """Entities at parity per year among those shown (``year``, ``at_parity``, ``entities``,
    and ``withheld``: entities too small to show)."""
    if counts.empty:
        return empty_figure(title)
    traces: list[Trace] = [
        {
            "type": "bar",
            "x": _ints(counts["year"]),
            "y": _ints(counts["at_parity"]),
            "marker": {"color": PARITY},
            "name": _("At parity"),
            "customdata": np.stack(
                [_ints(counts["entities"]), _ints(counts.get("withheld", 0 * counts["entities"]))],
                axis=-1,
            ),
            "text": _ints(counts["at_parity"]),
            "textposition": "outside",
            "hovertemplate": _(
                "{year}: <b>{at_parity}</b> of {entities} entities shown at parity "
                "({withheld} not shown)"
            ).format(
                year="%{x}",
                at_parity="%{y}",
                entities="%{customdata[0]}",
                withheld="%{customdata[1]}",
            )
            + "<extra></extra>",
        }
    ]
    layout = {
        "yaxis": {
            "title": {"text": _("Entities at parity")},
            "gridcolor": GRID,
            "range": [0, max(float(counts["entities"].max()), 1.0) * 1.05],
        },
        "xaxis": _year_axis(counts["year"]),
    }
    return _figure(traces, title, layout, height=360)
