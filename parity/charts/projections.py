"""Charts of projections and plans: lines to 50/50, scenario paths and the fan of simulated
futures."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from parity.charts.base import (
    GOAL_YEAR,
    GRID,
    INK,
    PALETTE,
    SHARE_AXIS,
    WOMEN,
    Trace,
    _figure,
    _ints,
    _merge,
    _pct,
    _zone_h,
    empty_figure,
    note_annotation,
    year_marker,
)

EMPTY = "No one matches this selection."


def _group_line(rows: pd.DataFrame, label: str, colour: str, *, markers: bool) -> Trace:
    """One group's recorded women's share by year, as a line in its colour."""
    return {
        "type": "scatter",
        "x": _ints(rows["year"]),
        "y": _pct(rows["women_share"]),
        "mode": "lines+markers" if markers else "lines",
        "marker": {"size": 5},
        "name": label,
        "legendgroup": label,
        "line": {"color": colour, "width": 2},
        "hovertemplate": f"{label} %{{x}}: %{{y:.1f}}%<extra></extra>",
    }


def projection_lines(
    series: pd.DataFrame,
    projections: pd.DataFrame,
    group: str,
    title: str,
    *,
    show_goal: bool = True,
    horizon: int | None = None,
    note: str = "",
) -> go.Figure:
    """Women's share by group over time, each with its projected line to 50% (dotted) and, when
    present (ols), the 80% interval of the year as a horizontal bar on the crossing point.
    The x axis stops at ``horizon`` (a later crossing runs past the edge; the table gives it),
    so that a line to 2120 does not squeeze the recorded years into a sliver."""
    if series.empty:
        return empty_figure(title, note.capitalize() + "." if note else EMPTY)
    traces: list[Trace] = []
    for i, (name, rows) in enumerate(series.groupby(group, sort=False, observed=True)):
        colour = PALETTE[i % len(PALETTE)]
        label = str(name)
        traces.append(_group_line(rows, label, colour, markers=True))
        match = projections[projections[group] == name]
        if match.empty:
            continue
        p = match.iloc[0]
        if p["projection_status"] != "projected" or pd.isna(p["projected_year"]):
            continue
        x0, y0, x1 = int(p["base_year"]), 100 * float(p["women_share"]), int(p["projected_year"])
        traces.append(
            {
                "type": "scatter",
                "x": [x0, x1],
                "y": [y0, 50],
                "mode": "lines+markers",
                "showlegend": False,
                "legendgroup": label,
                "line": {"color": colour, "width": 1.5, "dash": "dot"},
                "marker": {"size": [0, 9], "symbol": "diamond"},
                "hovertemplate": f"{label}: 50% projected in {x1}<extra></extra>",
            }
        )
        low, high = p.get("projected_year_low"), p.get("projected_year_high")
        if low is not None and pd.notna(low) and high is not None and pd.notna(high):
            traces.append(
                {
                    "type": "scatter",
                    "x": [x1],
                    "y": [50],
                    "mode": "markers",
                    "showlegend": False,
                    "legendgroup": label,
                    "marker": {"size": 1, "color": colour},
                    "error_x": {
                        "type": "data",
                        "symmetric": False,
                        "array": [int(high) - x1],
                        "arrayminus": [x1 - int(low)],
                        "color": colour,
                        "thickness": 2,
                    },
                    "hovertemplate": f"{label}: 80% interval {int(low)}–{int(high)}<extra></extra>",
                }
            )
    xaxis: dict[str, Any] = {"title": None, "gridcolor": GRID, "tickformat": "d"}
    if horizon is not None:
        xaxis["range"] = [int(series["year"].min()) - 0.5, horizon + 0.5]
    layout = _merge(
        _zone_h(),
        {"yaxis": SHARE_AXIS, "xaxis": xaxis, "annotations": note_annotation(note)},
    )
    if show_goal:
        layout = _merge(layout, year_marker(GOAL_YEAR, f"{GOAL_YEAR} goal"))
    return _figure(traces, title, layout, height=480)


def plan_paths(
    history: pd.DataFrame, paths: pd.DataFrame, group: str, title: str, target_year: int
) -> go.Figure:
    """Women's share by group: recorded (solid) then projected under the scenario (dotted),
    with the parity zone and the target year."""
    if history.empty:
        return empty_figure(title)
    traces: list[Trace] = []
    for i, (name, rows) in enumerate(history.groupby(group, sort=False, observed=True)):
        colour = PALETTE[i % len(PALETTE)]
        label = str(name)
        traces.append(_group_line(rows, label, colour, markers=False))
        ahead = paths[paths[group] == name]
        if not ahead.empty:
            traces.append(
                {
                    "type": "scatter",
                    "x": _ints(ahead["year"]),
                    "y": _pct(ahead["women_share"]),
                    "mode": "lines+markers",
                    "showlegend": False,
                    "legendgroup": label,
                    "line": {"color": colour, "width": 2, "dash": "dot"},
                    "marker": {"size": 5},
                    "hovertemplate": f"{label} %{{x}}: %{{y:.1f}}% (scenario)<extra></extra>",
                }
            )
    layout = _merge(
        _zone_h(),
        {"yaxis": SHARE_AXIS, "xaxis": {"title": None, "gridcolor": GRID, "tickformat": "d"}},
    )
    layout = _merge(layout, year_marker(target_year, f"target {target_year}"))
    return _figure(traces, title, layout, height=460)


def fan(
    history: pd.DataFrame, band: pd.DataFrame, target: pd.DataFrame | None, title: str
) -> go.Figure:
    """Recorded women's share, then the Monte Carlo fan (10th-90th percentile, shaded), its
    median, and the target path (dashed) when there is one."""
    if history.empty:
        return empty_figure(title)
    traces: list[Trace] = [
        {
            "type": "scatter",
            "x": _ints(band["year"]),
            "y": _pct(band["high"]),
            "mode": "lines",
            "line": {"width": 0},
            "showlegend": False,
            "hoverinfo": "skip",
        },
        {
            "type": "scatter",
            "x": _ints(band["year"]),
            "y": _pct(band["low"]),
            "mode": "lines",
            "line": {"width": 0},
            "fill": "tonexty",
            "fillcolor": "rgba(213, 94, 0, 0.18)",
            "name": "80% of simulated futures",
            "hoverinfo": "skip",
        },
        {
            "type": "scatter",
            "x": _ints(band["year"]),
            "y": _pct(band["median"]),
            "mode": "lines",
            "name": "Scenario (median)",
            "line": {"color": WOMEN, "width": 2, "dash": "dot"},
            "hovertemplate": "%{x}: %{y:.1f}% (median of runs)<extra></extra>",
        },
        {
            "type": "scatter",
            "x": _ints(history["year"]),
            "y": _pct(history["women_share"]),
            "mode": "lines+markers",
            "name": "Recorded",
            "line": {"color": WOMEN, "width": 3},
            "hovertemplate": "%{x}: %{y:.1f}%<extra></extra>",
        },
    ]
    if target is not None and not target.empty:
        traces.append(
            {
                "type": "scatter",
                "x": _ints(target["year"]),
                "y": _pct(target["target_share"]),
                "mode": "lines",
                "name": "Target path",
                "line": {"color": INK, "width": 1.5, "dash": "dash"},
                "hovertemplate": "%{x}: target %{y:.1f}%<extra></extra>",
            }
        )
    layout = _merge(
        _zone_h(),
        {
            "yaxis": SHARE_AXIS,
            "margin": {"b": 110},
            "xaxis": {"title": None, "gridcolor": GRID, "tickformat": "d"},
        },
    )
    return _figure(traces, title, layout, height=480)
