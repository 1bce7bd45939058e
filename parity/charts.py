"""Chart functions: a DataFrame in, a plotly Figure out. No Dash, no database.

The same functions draw the dashboard and the briefings. Conventions: women's share on a 0-100%
axis, the 47-53% parity zone shaded, women and men in a colour-blind-safe pair (Okabe-Ito
vermillion and blue) used the same way everywhere, hover text with counts, and an explicit message
instead of an empty axis when a selection has no one in it. Groups smaller than ``min_cell`` people
are drawn without their figures (public mode), and the chart says how many were left out.

Figures are assembled as plain trace and layout dicts and wrapped once, without plotly's property
validation: validating a figure property by property costs 20-60 ms, most of a callback's budget.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from parity.metrics import PARITY_HIGH_PCT, PARITY_LOW_PCT
from parity.privacy import small_groups

WOMEN = "#D55E00"  # Okabe-Ito vermillion
MEN = "#0072B2"  # Okabe-Ito blue
OTHER = "#999999"
PARITY = "#009E73"  # Okabe-Ito bluish green
ZONE = "rgba(0, 158, 115, 0.12)"
INK = "#1f2a37"
MUTED = "#6b7280"
GRID = "#e5e7eb"
STATUS_COLORS = {"parity": PARITY, "women_under": WOMEN, "men_under": MEN}
STATUS_LABELS = {
    "parity": "At parity",
    "women_under": "Women under-represented",
    "men_under": "Men under-represented",
}
# Women's share: vermillion (few women) - light grey (50%) - blue (many women).
SHARE_SCALE = [[0.0, WOMEN], [0.5, "#f2f2f2"], [1.0, MEN]]
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
FONT = "Inter, 'Segoe UI', 'Helvetica Neue', Arial, sans-serif"
EMPTY_MESSAGE = "No one matches this selection."
GOAL_YEAR = 2028  # System-wide Strategy on Gender Parity: parity at all levels by 2028
TEMPLATE = {
    "layout": {
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "colorway": PALETTE,
        "xaxis": {"gridcolor": GRID, "zerolinecolor": GRID, "linecolor": GRID},
        "yaxis": {"gridcolor": GRID, "zerolinecolor": GRID, "linecolor": GRID},
    }
}

Trace = dict[str, Any]


def _title(title: str) -> dict[str, Any]:
    """'What — scope' becomes a bold title with the scope as subtitle, so long scopes wrap."""
    main, sep, scope = title.partition(" — ")
    spec: dict[str, Any] = {
        "text": f"<b>{main}</b>",
        "x": 0,
        "xanchor": "left",
        "font": {"size": 16, "color": INK},
    }
    if sep:
        spec["subtitle"] = {"text": scope, "font": {"size": 13, "color": "#4b5563"}}
    return spec


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        elif isinstance(value, list) and isinstance(out.get(key), list):
            out[key] = out[key] + value
        else:
            out[key] = value
    return out


def _figure(
    traces: list[Trace], title: str, layout: dict[str, Any] | None = None, height: int = 420
) -> go.Figure:
    base = {
        "title": _title(title),
        "template": TEMPLATE,
        "font": {"family": FONT, "size": 13, "color": INK},
        "height": height,
        "margin": {"l": 60, "r": 24, "t": 84, "b": 70},
        "hoverlabel": {"font": {"family": FONT}},
        # the legend sits at the foot of the figure, below the axis labels
        "legend": {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0},
        "shapes": [],
        "annotations": [],
    }
    return go.Figure(data=traces, layout=_merge(base, layout or {}), _validate=False)


def empty_figure(title: str, message: str = EMPTY_MESSAGE, height: int = 420) -> go.Figure:
    """A figure that says why it is empty, with no axes."""
    note = {
        "text": message,
        "showarrow": False,
        "x": 0.5,
        "y": 0.5,
        "xref": "paper",
        "yref": "paper",
        "font": {"size": 15, "color": MUTED},
    }
    return _figure(
        [],
        title,
        {"annotations": [note], "xaxis": {"visible": False}, "yaxis": {"visible": False}},
        height,
    )


def _omitted_note(omitted: int, min_cell: int) -> list[dict[str, Any]]:
    if not omitted:
        return []
    noun = "group" if omitted == 1 else "groups"
    return [
        {
            "text": f"{omitted} {noun} with fewer than {min_cell} people not shown",
            "showarrow": False,
            "xref": "paper",
            "yref": "paper",
            "x": 1,
            "y": 1.06,
            "xanchor": "right",
            "font": {"size": 11, "color": MUTED},
        }
    ]


def _zone_h() -> dict[str, Any]:
    """The 47-53% band and the 50% line across a plot whose y axis is women's share."""
    return {
        "shapes": [
            {
                "type": "rect",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": PARITY_LOW_PCT,
                "y1": PARITY_HIGH_PCT,
                "fillcolor": ZONE,
                "line": {"width": 0},
                "layer": "below",
            },
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": 50,
                "y1": 50,
                "line": {"color": PARITY, "width": 1.5, "dash": "dash"},
            },
        ],
        "annotations": [
            {
                "text": "50%",
                "xref": "paper",
                "x": 0,
                "y": 50,
                "xanchor": "left",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"color": PARITY, "size": 11},
            }
        ],
    }


def _zone_v() -> dict[str, Any]:
    """The 47-53% band and the 50% line down a plot whose x axis is women's share."""
    return {
        "shapes": [
            {
                "type": "rect",
                "yref": "paper",
                "y0": 0,
                "y1": 1,
                "x0": PARITY_LOW_PCT,
                "x1": PARITY_HIGH_PCT,
                "fillcolor": ZONE,
                "line": {"width": 0},
                "layer": "below",
            },
            {
                "type": "line",
                "yref": "paper",
                "y0": 0,
                "y1": 1,
                "x0": 50,
                "x1": 50,
                "line": {"color": PARITY, "width": 1.5, "dash": "dash"},
            },
        ]
    }


def _year_axis(years: pd.Series, last: int | None = None) -> dict[str, Any]:
    """Whole years on the x axis (never 2,024.5), one tick a year when the span is short."""
    low, high = int(years.min()), int(years.max())
    if last is not None:
        high = max(high, last)
    axis: dict[str, Any] = {"title": None, "gridcolor": GRID, "tickformat": "d"}
    if high - low <= 12:
        axis["dtick"] = 1
    return axis


SHARE_AXIS = {
    "title": {"text": "Women's share"},
    "ticksuffix": "%",
    "range": [0, 100],
    "gridcolor": GRID,
}


def _pct(values: pd.Series) -> np.ndarray:
    return (100 * values.astype(float)).to_numpy()


def _ints(values: pd.Series) -> list[int]:
    return [int(v) for v in values]


def _not_small(table: pd.DataFrame, min_cell: int) -> tuple[pd.DataFrame, int]:
    """The groups that may be shown, and how many were left out as too small."""
    if not min_cell or table.empty:
        return table, 0
    small = small_groups(table.assign(other=table.get("other", 0)), min_cell)
    return table[~small], int(small.sum())


def share_trend(
    series: pd.DataFrame,
    title: str,
    *,
    projected: pd.DataFrame | None = None,
    min_cell: int = 0,
) -> go.Figure:
    """Women's share over time (``year``, ``women``, ``men``, ``women_share``), with the parity
    zone; ``projected`` (year, share_pp) draws the projection as a dotted line."""
    if series.empty:
        return empty_figure(title)
    shown, omitted = _not_small(series, min_cell)
    traces: list[Trace] = [
        {
            "type": "scatter",
            "x": _ints(shown["year"]),
            "y": _pct(shown["women_share"]),
            "mode": "lines+markers",
            "name": "Women's share",
            "line": {"color": WOMEN, "width": 3},
            "marker": {"size": 7},
            "customdata": np.stack([shown["women"], shown["men"]], axis=-1),
            "hovertemplate": "%{x}: <b>%{y:.1f}%</b> women<br>%{customdata[0]:,} women, "
            "%{customdata[1]:,} men<extra></extra>",
        }
    ]
    last = None
    if projected is not None and not projected.empty:
        last = int(projected["year"].max())
        traces.append(
            {
                "type": "scatter",
                "x": _ints(projected["year"]),
                "y": list(projected["share_pp"]),
                "mode": "lines",
                "name": "Projection",
                "line": {"color": WOMEN, "width": 2, "dash": "dot"},
                "hovertemplate": "%{x}: %{y:.1f}% (projected)<extra></extra>",
            }
        )
    layout = _merge(
        _zone_h(),
        {
            "annotations": _omitted_note(omitted, min_cell),
            "yaxis": SHARE_AXIS,
            "xaxis": _year_axis(series["year"], last),
        },
    )
    return _figure(traces, title, layout)


def pipeline(table: pd.DataFrame, title: str, *, min_cell: int = 0) -> go.Figure:
    """Butterfly chart of the grade pipeline: women to the left, men to the right, one row per
    grade from the bottom of the ladder (first row of ``table``) to the top."""
    if table.empty:
        return empty_figure(title)
    shown, omitted = _not_small(table, min_cell)
    if shown.empty:
        return empty_figure(title, f"Every grade has fewer than {min_cell} people.")
    grades = [str(g) for g in shown["grade"]]
    traces: list[Trace] = [
        {
            "type": "bar",
            "y": grades,
            "x": -shown["women"].to_numpy(),
            "orientation": "h",
            "name": "Women",
            "marker": {"color": WOMEN},
            "text": [f"{100 * s:.0f}%" for s in shown["women_share"]],
            "textposition": "outside",
            "cliponaxis": False,
            "customdata": np.stack([shown["women"], _pct(shown["women_share"])], axis=-1),
            "hovertemplate": "%{y}: %{customdata[0]:,} women (%{customdata[1]:.1f}%)"
            "<extra></extra>",
        },
        {
            "type": "bar",
            "y": grades,
            "x": shown["men"].to_numpy(),
            "orientation": "h",
            "name": "Men",
            "marker": {"color": MEN},
            "customdata": shown["men"].to_numpy(),
            "hovertemplate": "%{y}: %{customdata:,} men<extra></extra>",
        },
    ]
    largest = float(max(shown["women"].max(), shown["men"].max(), 1))
    ticks = np.linspace(-largest, largest, 5)
    layout = {
        "barmode": "overlay",
        "bargap": 0.25,
        "annotations": _omitted_note(omitted, min_cell),
        "xaxis": {
            "tickvals": list(ticks),
            "ticktext": [f"{abs(t):,.0f}" for t in ticks],
            "title": {"text": "People (women ← | → men)"},
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
    min_cell: int = 0,
    sort: bool = True,
    limit: int | None = None,
) -> go.Figure:
    """Women's share per group as horizontal bars coloured by parity status, parity zone drawn.
    Sorted by share (highest on top), or in the table's order (first on top)."""
    if table.empty:
        return empty_figure(title)
    shown, omitted = _not_small(table[table["women_share"].notna()], min_cell)
    if shown.empty:
        return empty_figure(title, f"Every group has fewer than {min_cell} people.")
    if sort:
        shown = shown.sort_values("women_share")
        if limit is not None:
            shown = shown.tail(limit)
    else:
        shown = shown.iloc[::-1]  # horizontal bars are drawn bottom-up: keep the first on top
    labels = [str(v) if v is not None else "Not recorded" for v in shown[dimension]]
    needed = [
        f"{int(w)} more women needed" if w else (f"{int(m)} more men needed" if m else "at parity")
        for w, m in zip(shown["women_needed"], shown["men_needed"], strict=True)
    ]
    traces: list[Trace] = [
        {
            "type": "bar",
            "y": labels,
            "x": _pct(shown["women_share"]),
            "orientation": "h",
            "marker": {"color": [STATUS_COLORS.get(s, OTHER) for s in shown["parity_status"]]},
            "text": [f"{100 * s:.1f}%" for s in shown["women_share"]],
            "textposition": "outside",
            "cliponaxis": False,
            "showlegend": False,
            "customdata": np.stack(
                [shown["women"].astype(str), shown["men"].astype(str), needed], axis=-1
            ),
            "hovertemplate": "%{y}: <b>%{x:.1f}%</b> women<br>%{customdata[0]} women, "
            "%{customdata[1]} men<br>%{customdata[2]}<extra></extra>",
        }
    ]
    for status, colour in STATUS_COLORS.items():  # legend entries for the status colours
        traces.append(
            {
                "type": "bar",
                "x": [None],
                "y": [None],
                "marker": {"color": colour},
                "name": STATUS_LABELS[status],
                "orientation": "h",
            }
        )
    layout = _merge(
        _zone_v(),
        {
            "annotations": _omitted_note(omitted, min_cell),
            "xaxis": {"title": None, "ticksuffix": "%", "range": [0, 105], "gridcolor": GRID},
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
    min_cell: int = 0,
) -> go.Figure:
    """Women's share for each (row, column) pair, e.g. entity x grade; small cells left blank."""
    if table.empty:
        return empty_figure(title)
    data = table.copy()
    data["women_share"] = data["women_share"].astype(float)
    if min_cell:
        data.loc[small_groups(data, min_cell), "women_share"] = np.nan
    grid = data.pivot_table(
        index=rows, columns=columns, values="women_share", aggfunc="first", dropna=False
    )
    people = data.pivot_table(
        index=rows, columns=columns, values="total", aggfunc="first", dropna=False
    )
    if column_order is not None:
        ordered = [c for c in column_order if c in grid.columns]
        grid, people = grid[ordered], people.reindex(columns=ordered)
    grid = grid.loc[grid.mean(axis=1).sort_values().index]
    people = people.reindex(index=grid.index)
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
            "hovertemplate": "%{y}, %{x}: <b>%{z:.1f}%</b> women of %{customdata:,.0f}"
            "<extra></extra>",
            "colorbar": {"title": {"text": "Women"}, "ticksuffix": "%"},
        }
    ]
    layout = {
        "xaxis": {"title": None, "side": "top", "tickangle": 0},
        "yaxis": {"title": None, "automargin": True},
        "margin": {"t": 96},
    }
    return _figure(traces, title, layout, height=max(380, 18 * len(grid.index) + 160))


def station_map(table: pd.DataFrame, title: str, *, min_cell: int = 0) -> go.Figure:
    """Duty stations on a world map: size = headcount, colour = women's share (small stations
    drawn in grey with no figures)."""
    located = table.dropna(subset=["latitude", "longitude"])
    if located.empty:
        return empty_figure(title, "No duty station in this selection has coordinates.")
    big, _ = _not_small(located, min_cell)
    few = located.loc[located.index.difference(big.index)]
    traces: list[Trace] = []
    if not big.empty:
        size = 8 + 30 * np.sqrt(big["total"].to_numpy() / max(float(big["total"].max()), 1.0))
        traces.append(
            {
                "type": "scattergeo",
                "lat": big["latitude"].to_numpy(),
                "lon": big["longitude"].to_numpy(),
                "text": [str(s) for s in big["duty_station"]],
                "mode": "markers",
                "name": "Duty stations",
                "marker": {
                    "size": size,
                    "color": _pct(big["women_share"]),
                    "colorscale": SHARE_SCALE,
                    "cmin": 0,
                    "cmax": 100,
                    "cmid": 50,
                    "line": {"width": 0.6, "color": "#333"},
                    "opacity": 0.9,
                    "colorbar": {"title": {"text": "Women"}, "ticksuffix": "%"},
                },
                "customdata": np.stack([big["women"], big["men"]], axis=-1),
                "hovertemplate": "<b>%{text}</b><br>%{marker.color:.1f}% women<br>"
                "%{customdata[0]:,} women, %{customdata[1]:,} men<extra></extra>",
            }
        )
    if not few.empty:
        traces.append(
            {
                "type": "scattergeo",
                "lat": few["latitude"].to_numpy(),
                "lon": few["longitude"].to_numpy(),
                "text": [str(s) for s in few["duty_station"]],
                "mode": "markers",
                "name": f"Fewer than {min_cell} people",
                "marker": {"size": 7, "color": "#bdbdbd"},
                "hovertemplate": f"<b>%{{text}}</b><br>fewer than {min_cell} people<extra></extra>",
            }
        )
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
    }
    return _figure(traces, title, layout, height=460)


def women_men_bars(
    table: pd.DataFrame, dimension: str, title: str, *, min_cell: int = 0
) -> go.Figure:
    """Women and men side by side per group (e.g. HQ vs field), share in the labels."""
    shown, omitted = _not_small(table, min_cell)
    if shown.empty:
        return empty_figure(title)
    labels = [str(v) if v is not None else "Not recorded" for v in shown[dimension]]
    traces: list[Trace] = [
        {
            "type": "bar",
            "x": labels,
            "y": shown["women"].to_numpy(),
            "name": "Women",
            "marker": {"color": WOMEN},
            "text": [f"{100 * s:.1f}%" for s in shown["women_share"]],
            "textposition": "outside",
            "hovertemplate": "%{x}: %{y:,} women<extra></extra>",
        },
        {
            "type": "bar",
            "x": labels,
            "y": shown["men"].to_numpy(),
            "name": "Men",
            "marker": {"color": MEN},
            "hovertemplate": "%{x}: %{y:,} men<extra></extra>",
        },
    ]
    layout = {
        "barmode": "group",
        "annotations": _omitted_note(omitted, min_cell),
        "yaxis": {"title": {"text": "People"}, "gridcolor": GRID},
    }
    return _figure(traces, title, layout, height=380)


def parity_count_trend(counts: pd.DataFrame, title: str) -> go.Figure:
    """Entities at parity per year (``year``, ``at_parity``, ``entities``)."""
    if counts.empty:
        return empty_figure(title)
    traces: list[Trace] = [
        {
            "type": "bar",
            "x": _ints(counts["year"]),
            "y": _ints(counts["at_parity"]),
            "marker": {"color": PARITY},
            "name": "At parity",
            "customdata": _ints(counts["entities"]),
            "text": _ints(counts["at_parity"]),
            "textposition": "outside",
            "hovertemplate": "%{x}: <b>%{y}</b> of %{customdata} entities at parity<extra></extra>",
        }
    ]
    layout = {
        "yaxis": {
            "title": {"text": "Entities at parity"},
            "gridcolor": GRID,
            "range": [0, max(float(counts["entities"].max()), 1.0) * 1.05],
        },
        "xaxis": _year_axis(counts["year"]),
    }
    return _figure(traces, title, layout, height=360)


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


def _year_marker(year: int, text: str) -> dict[str, Any]:
    """A dotted vertical line at a year, labelled at its foot (the 2028 goal, a target)."""
    return {
        "shapes": [
            {
                "type": "line",
                "yref": "paper",
                "y0": 0,
                "y1": 1,
                "x0": year,
                "x1": year,
                "line": {"color": MUTED, "width": 1, "dash": "dot"},
            }
        ],
        "annotations": [
            {
                "text": text,
                "x": year,
                "yref": "paper",
                "y": 0,
                "xanchor": "left",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 11, "color": MUTED},
            }
        ],
    }


def projection_lines(
    series: pd.DataFrame,
    projections: pd.DataFrame,
    group: str,
    title: str,
    *,
    show_goal: bool = True,
) -> go.Figure:
    """Women's share by group over time, each with its projected line to 50% (dotted) and, when
    present (ols), the 80% interval of the year as a horizontal bar on the crossing point."""
    if series.empty:
        return empty_figure(title)
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
    layout = _merge(
        _zone_h(),
        {"yaxis": SHARE_AXIS, "xaxis": {"title": None, "gridcolor": GRID, "tickformat": "d"}},
    )
    if show_goal:
        layout = _merge(layout, _year_marker(GOAL_YEAR, f"{GOAL_YEAR} goal"))
    return _figure(traces, title, layout, height=480)


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
            {
                "type": "scatter",
                "x": _ints(rows["year"]),
                "y": _pct(rows[column]),
                "mode": "lines+markers",
                "name": f"Women among {label.lower()}",
                "line": {"color": EVENT_COLORS[event], "width": 2.5},
                "marker": {"size": 6},
                "customdata": np.stack([rows[f"{event}_women"], rows[f"{event}_men"]], axis=-1),
                "hovertemplate": f"{label} %{{x}}: <b>%{{y:.1f}}%</b> women<br>"
                "%{customdata[0]:,} women, %{customdata[1]:,} men<extra></extra>",
            }
        )
    if stock is not None and not stock.empty:
        traces.append(
            {
                "type": "scatter",
                "x": _ints(stock["year"]),
                "y": _pct(stock["women_share"]),
                "mode": "lines",
                "name": "Women among staff",
                "line": {"color": WOMEN, "width": 3, "dash": "dot"},
                "hovertemplate": "Staff %{x}: %{y:.1f}% women<extra></extra>",
            }
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
        {
            "type": "scatter",
            "x": _ints(rows["year"]),
            "y": _pct(rows[f"{event}_rate_{g}"]),
            "mode": "lines+markers",
            "name": name,
            "line": {"color": colour, "width": 2.5},
            "hovertemplate": f"{name} %{{x}}: %{{y:.1f}}% a year<extra></extra>",
        }
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
    layout = _merge(layout, _year_marker(target_year, f"target {target_year}"))
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
