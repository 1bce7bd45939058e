"""Charts of projections and plans: lines to 50/50, scenario paths and the fan of simulated
futures."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from parity.charts.base import (
    GOAL_YEAR,
    INK,
    PALETTE,
    WOMEN,
    Trace,
    _by_year,
    _empty,
    _figure,
    _merge,
    _scatter,
    _year_axis,
    _zone_h,
    empty_figure,
    note_annotation,
    share_axis,
    share_token,
    year_marker,
)
from parity.i18n import _


def _group_line(rows: pd.DataFrame, label: str, colour: str, *, markers: bool) -> Trace:
    """One group's recorded women's share by year, as a line in its colour."""
    return _by_year(
        rows,
        "women_share",
        "lines+markers" if markers else "lines",
        marker={"size": 5},
        name=label,
        legendgroup=label,
        line={"color": colour, "width": 2},
        hovertemplate=_("{group} {year}: {share}").format(
            group=label, year="%{x}", share=share_token()
        )
        + "<extra></extra>",
    )


def _groups(series: pd.DataFrame, group: str) -> list[tuple[object, str, str, pd.DataFrame]]:
    """Each group's (value, label, colour, rows), in the order of ``series``."""
    return [
        (name, str(name), PALETTE[i % len(PALETTE)], rows)
        for i, (name, rows) in enumerate(series.groupby(group, sort=False, observed=True))
    ]


def _share_layout(**extra: Any) -> dict[str, Any]:
    """The parity zone, women's share up the y axis and whole years along the x axis, with
    ``extra`` (which may give its own x axis)."""
    return _merge(_zone_h(), {"yaxis": share_axis(), "xaxis": _year_axis(), **extra})


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
        return _empty(title, note)
    traces: list[Trace] = []
    for name, label, colour, rows in _groups(series, group):
        traces.append(_group_line(rows, label, colour, markers=True))
        match = projections[projections[group] == name]
        if match.empty:
            continue
        p = match.iloc[0]
        if p["projection_status"] != "projected" or pd.isna(p["projected_year"]):
            continue
        x0, y0, x1 = int(p["base_year"]), 100 * float(p["women_share"]), int(p["projected_year"])
        follows = {"showlegend": False, "legendgroup": label}  # shown and hidden with the line
        traces.append(
            _scatter(
                [x0, x1],
                [y0, 50],
                "lines+markers",
                **follows,
                line={"color": colour, "width": 1.5, "dash": "dot"},
                marker={"size": [0, 9], "symbol": "diamond"},
                hovertemplate=_("{group}: 50% projected in {year}").format(group=label, year=x1)
                + "<extra></extra>",
            )
        )
        low, high = p.get("projected_year_low"), p.get("projected_year_high")
        if low is not None and pd.notna(low) and high is not None and pd.notna(high):
            traces.append(
                _scatter(
                    [x1],
                    [50],
                    "markers",
                    **follows,
                    marker={"size": 1, "color": colour},
                    error_x={
                        "type": "data",
                        "symmetric": False,
                        "array": [int(high) - x1],
                        "arrayminus": [x1 - int(low)],
                        "color": colour,
                        "thickness": 2,
                    },
                    hovertemplate=_("{group}: 80% interval {low}–{high}").format(
                        group=label, low=int(low), high=int(high)
                    )
                    + "<extra></extra>",
                )
            )
    xaxis = _year_axis()
    if horizon is not None:
        xaxis["range"] = [int(series["year"].min()) - 0.5, horizon + 0.5]
    layout = _share_layout(xaxis=xaxis, annotations=note_annotation(note))
    if show_goal:
        layout = _merge(layout, year_marker(GOAL_YEAR, _("{year} goal").format(year=GOAL_YEAR)))
    return _figure(traces, title, layout, height=480)


def plan_paths(
    history: pd.DataFrame, paths: pd.DataFrame, group: str, title: str, target_year: int
) -> go.Figure:
    """Women's share by group: recorded (solid) then projected under the scenario (dotted),
    with the parity zone and the target year."""
    if history.empty:
        return empty_figure(title)
    traces: list[Trace] = []
    for name, label, colour, rows in _groups(history, group):
        traces.append(_group_line(rows, label, colour, markers=False))
        ahead = paths[paths[group] == name]
        if not ahead.empty:
            traces.append(
                _by_year(
                    ahead,
                    "women_share",
                    "lines+markers",
                    showlegend=False,
                    legendgroup=label,
                    line={"color": colour, "width": 2, "dash": "dot"},
                    marker={"size": 5},
                    hovertemplate=_("{group} {year}: {share} (scenario)").format(
                        group=label, year="%{x}", share=share_token()
                    )
                    + "<extra></extra>",
                )
            )
    target = _("target {year}").format(year=target_year)
    layout = _merge(_share_layout(), year_marker(target_year, target))
    return _figure(traces, title, layout, height=460)


def fan(
    history: pd.DataFrame, band: pd.DataFrame, target: pd.DataFrame | None, title: str
) -> go.Figure:
    """Recorded women's share, then the Monte Carlo fan (10th-90th percentile, shaded), its
    median, and the target path (dashed) when there is one."""
    if history.empty:
        return empty_figure(title)
    traces: list[Trace] = [
        _by_year(band, "high", line={"width": 0}, showlegend=False, hoverinfo="skip"),
        _by_year(
            band,
            "low",
            line={"width": 0},
            fill="tonexty",
            fillcolor="rgba(213, 94, 0, 0.18)",
            name=_("80% of simulated futures"),
            hoverinfo="skip",
        ),
        _by_year(
            band,
            "median",
            name=_("Scenario (median)"),
            line={"color": WOMEN, "width": 2, "dash": "dot"},
            hovertemplate=_("{year}: {share} (median of runs)").format(
                year="%{x}", share=share_token()
            )
            + "<extra></extra>",
        ),
        _by_year(
            history,
            "women_share",
            "lines+markers",
            name=_("Recorded"),
            line={"color": WOMEN, "width": 3},
            hovertemplate=_("{year}: {share}").format(year="%{x}", share=share_token())
            + "<extra></extra>",
        ),
    ]
    if target is not None and not target.empty:
        traces.append(
            _by_year(
                target,
                "target_share",
                name=_("Target path"),
                line={"color": INK, "width": 1.5, "dash": "dash"},
                hovertemplate=_("{year}: target {share}").format(year="%{x}", share=share_token())
                + "<extra></extra>",
            )
        )
    layout = _share_layout(margin={"b": 110})
    return _figure(traces, title, layout, height=480)
