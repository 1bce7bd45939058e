"""Charts of projections and plans: lines to 50/50, scenario paths and the fan of simulated
futures."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from parity.charts.base import (
    GOAL_YEAR,
    INK,
    PALETTE,
    Trace,
    _by_year,
    _empty,
    _figure,
    _hover,
    _line,
    _merge,
    _scatter,
    _share_layout,
    _share_line,
    _year_axis,
    empty_figure,
    note_annotation,
    year_marker,
)
from parity.i18n import _
from parity.projections import HORIZON_YEAR
from parity.wording import label as shown_label
from parity.wording import parity_year


def _group_line(rows: pd.DataFrame, label: str, colour: str, *, markers: bool) -> Trace:
    """One group's recorded women's share by year, as a line in its colour."""
    return _share_line(
        rows,
        "women_share",
        "group",
        _hover(_("{group} {year}: {share}"), group=label),
        colour=colour,
        mode="lines+markers" if markers else "lines",
        marker={"size": 5},
        name=label,
        legendgroup=label,
    )


def _groups(series: pd.DataFrame, group: str) -> list[tuple[object, str, str, pd.DataFrame]]:
    """Each group's (value, label, colour, rows), in the order of ``series``."""
    return [
        (name, shown_label(name), PALETTE[i % len(PALETTE)], rows)
        for i, (name, rows) in enumerate(series.groupby(group, sort=False, observed=True))
    ]


def _to_parity(projection: pd.Series, label: str, colour: str) -> list[Trace]:
    """A group's dotted line from its base year to its projected 50%, with a diamond at the
    crossing and, when present (ols), the 80% interval of the year as a bar through it; none
    when the group is not projected to cross."""
    if projection["projection_status"] != "projected" or pd.isna(projection["projected_year"]):
        return []
    x0, x1 = int(projection["base_year"]), int(projection["projected_year"])  # base, crossing
    if x1 > HORIZON_YEAR:
        return []  # no year after 2100 is stated, not even in a hover (DOMAIN.md, the outlook)
    y0 = 100 * float(projection["women_share"])
    follows = {"showlegend": False, "legendgroup": label}  # shown and hidden with the line
    traces = [
        _line(
            [x0, x1],
            [y0, 50],
            "to_parity",
            _hover(_("{group}: 50% projected in {year}"), group=label, year=x1),
            colour=colour,
            mode="lines+markers",
            marker={"size": [0, 9], "symbol": "diamond"},
            **follows,
        )
    ]
    low = projection.get("projected_year_low")
    high = projection.get("projected_year_high")
    if low is not None and pd.notna(low) and high is not None and pd.notna(high):
        interval = {
            "type": "data",
            "symmetric": False,
            "array": [int(high) - x1],
            "arrayminus": [x1 - int(low)],
            "color": colour,
            "thickness": 2,
        }
        hover = _hover(
            _("{group}: 80% interval {low}–{high}"),
            group=label,
            low=int(low),
            high=parity_year(int(high)),
        )
        marker = {"size": 1, "color": colour}
        traces.append(
            _scatter(
                [x1],
                [50],
                "markers",
                **follows,
                marker=marker,
                error_x=interval,
                hovertemplate=hover,
            )
        )
    return traces


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
        if not match.empty:
            traces.extend(_to_parity(match.iloc[0], label, colour))
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
            hover = _hover(_("{group} {year}: {share} (scenario)"), group=label)
            traces.append(
                _share_line(
                    ahead,
                    "women_share",
                    "projected",
                    hover,
                    colour=colour,
                    mode="lines+markers",
                    marker={"size": 5},
                    showlegend=False,
                    legendgroup=label,
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
        _share_line(
            band,
            "median",
            "projected",
            _hover(_("{year}: {share} (median of runs)")),
            name=_("Scenario (median)"),
        ),
        _share_line(
            history,
            "women_share",
            "recorded",
            _hover(_("{year}: {share}")),
            mode="lines+markers",
            name=_("Recorded"),
        ),
    ]
    if target is not None and not target.empty:
        hover = _hover(_("{year}: target {share}"))
        traces.append(
            _share_line(target, "target_share", "target", hover, colour=INK, name=_("Target path"))
        )
    layout = _share_layout(margin={"b": 110})
    return _figure(traces, title, layout, height=480)
