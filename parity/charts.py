"""Chart functions: a DataFrame in, a plotly Figure out. No Dash, no database.

The same functions draw the dashboard and the briefings. Conventions: women's share on a 0-100%
axis, the 47-53% parity zone shaded, women and men in a colour-blind-safe pair (Okabe-Ito
vermillion and blue) used the same way everywhere, hover text with counts, and an explicit message
instead of an empty axis when a selection has no one in it. Groups smaller than ``min_cell`` people
are drawn without their figures (public mode), and the chart says how many were left out.
"""

from __future__ import annotations

from collections.abc import Sequence

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
GRID = "#e5e7eb"
STATUS_COLORS = {"parity": PARITY, "women_under": WOMEN, "men_under": MEN}
STATUS_LABELS = {
    "parity": "At parity",
    "women_under": "Women under-represented",
    "men_under": "Men under-represented",
}
# Women's share: vermillion (few women) - light grey (50%) - blue (many women).
SHARE_SCALE = [[0.0, WOMEN], [0.5, "#f2f2f2"], [1.0, MEN]]
FONT = "Inter, 'Segoe UI', 'Helvetica Neue', Arial, sans-serif"
EMPTY_MESSAGE = "No one matches this selection."
GOAL_YEAR = 2028  # System-wide Strategy on Gender Parity: parity at all levels by 2028


def _title(title: str) -> dict[str, object]:
    """'What — scope' becomes a bold title with the scope as subtitle, so long scopes wrap."""
    main, sep, scope = title.partition(" — ")
    spec: dict[str, object] = {"text": f"<b>{main}</b>", "x": 0, "xanchor": "left",
                               "font": {"size": 16, "color": INK}}
    if sep:
        spec["subtitle"] = {"text": scope, "font": {"size": 13, "color": "#4b5563"}}
    return spec


def _layout(fig: go.Figure, title: str, height: int = 420) -> go.Figure:
    fig.update_layout(
        title=_title(title),
        template="plotly_white",
        font={"family": FONT, "size": 13, "color": INK},
        height=height,
        margin={"l": 60, "r": 24, "t": 84, "b": 40},
        hoverlabel={"font": {"family": FONT}},
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0},
    )
    return fig


def empty_figure(title: str, message: str = EMPTY_MESSAGE, height: int = 420) -> go.Figure:
    """A figure that says why it is empty, with no axes."""
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper",
                       font={"size": 15, "color": "#6b7280"})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, title, height)


def _omitted_note(fig: go.Figure, omitted: int, min_cell: int) -> None:
    if omitted:
        noun = "group" if omitted == 1 else "groups"
        fig.add_annotation(
            text=f"{omitted} {noun} with fewer than {min_cell} people not shown",
            showarrow=False, xref="paper", yref="paper", x=1, y=1.06, xanchor="right",
            font={"size": 11, "color": "#6b7280"},
        )


def _parity_zone_h(fig: go.Figure) -> None:
    """The 47-53% band and the 50% line on a horizontal share axis (y)."""
    fig.add_hrect(y0=PARITY_LOW_PCT, y1=PARITY_HIGH_PCT, fillcolor=ZONE, line_width=0,
                  layer="below")
    fig.add_hline(y=50, line={"color": PARITY, "width": 1.5, "dash": "dash"},
                  annotation_text="50%", annotation_position="top left",
                  annotation_font={"color": PARITY, "size": 11})


def _parity_zone_v(fig: go.Figure) -> None:
    fig.add_vrect(x0=PARITY_LOW_PCT, x1=PARITY_HIGH_PCT, fillcolor=ZONE, line_width=0,
                  layer="below")
    fig.add_vline(x=50, line={"color": PARITY, "width": 1.5, "dash": "dash"})


def _year_axis(fig: go.Figure, years: pd.Series, projected: pd.DataFrame | None = None) -> None:
    """Whole years on the x axis (never 2,024.5), one tick a year when the span is short."""
    low, high = int(years.min()), int(years.max())
    if projected is not None and not projected.empty:
        high = max(high, int(projected["year"].max()))
    fig.update_xaxes(title=None, gridcolor=GRID, tickformat="d",
                     dtick=1 if high - low <= 12 else None)


def _pct(values: pd.Series) -> np.ndarray:
    return (100 * values.astype(float)).to_numpy()


def share_trend(
    series: pd.DataFrame,
    title: str,
    *,
    projected: pd.DataFrame | None = None,
    min_cell: int = 0,
) -> go.Figure:
    """Women's share over time (``year``, ``women``, ``men``, ``women_share``), with the parity
    zone; ``projected`` (year, share_pp) draws the projection as a dashed line."""
    if series.empty:
        return empty_figure(title)
    series = series.assign(other=series.get("other", 0))
    small = small_groups(series, min_cell) if min_cell else pd.Series(False, index=series.index)
    shown = series[~small]
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=shown["year"], y=_pct(shown["women_share"]), mode="lines+markers", name="Women's share",
        line={"color": WOMEN, "width": 3}, marker={"size": 7},
        customdata=np.stack([shown["women"], shown["men"]], axis=-1),
        hovertemplate="%{x}: <b>%{y:.1f}%</b> women<br>%{customdata[0]:,} women, "
        "%{customdata[1]:,} men<extra></extra>",
    ))
    if projected is not None and not projected.empty:
        fig.add_trace(go.Scatter(
            x=projected["year"], y=projected["share_pp"], mode="lines", name="Projection",
            line={"color": WOMEN, "width": 2, "dash": "dot"},
            hovertemplate="%{x}: %{y:.1f}% (projected)<extra></extra>",
        ))
    _parity_zone_h(fig)
    _omitted_note(fig, int(small.sum()), min_cell)
    fig.update_yaxes(title="Women's share", ticksuffix="%", range=[0, 100], gridcolor=GRID)
    _year_axis(fig, series["year"], projected)
    return _layout(fig, title)


def pipeline(table: pd.DataFrame, title: str, *, min_cell: int = 0) -> go.Figure:
    """Butterfly chart of the grade pipeline: women to the left, men to the right, one row per
    grade from the bottom of the ladder (first row of ``table``) to the top."""
    if table.empty:
        return empty_figure(title)
    small = small_groups(table, min_cell) if min_cell else pd.Series(False, index=table.index)
    shown = table[~small]
    grades = list(shown["grade"])
    share_text = [f"{100 * s:.0f}%" for s in shown["women_share"]]
    fig = go.Figure()
    fig.add_trace(go.Bar(
        y=grades, x=-shown["women"], orientation="h", name="Women", marker_color=WOMEN,
        text=share_text, textposition="outside", cliponaxis=False,
        customdata=np.stack([shown["women"], _pct(shown["women_share"])], axis=-1),
        hovertemplate="%{y}: %{customdata[0]:,} women (%{customdata[1]:.1f}%)<extra></extra>",
    ))
    fig.add_trace(go.Bar(
        y=grades, x=shown["men"], orientation="h", name="Men", marker_color=MEN,
        customdata=shown["men"],
        hovertemplate="%{y}: %{customdata:,} men<extra></extra>",
    ))
    largest = float(max(shown["women"].max(), shown["men"].max(), 1))
    ticks = np.linspace(-largest, largest, 5)
    fig.update_layout(barmode="overlay", bargap=0.25)
    fig.update_xaxes(tickvals=ticks, ticktext=[f"{abs(t):,.0f}" for t in ticks],
                     title="People (women ← | → men)", gridcolor=GRID,
                     range=[-largest * 1.25, largest * 1.1])
    fig.update_yaxes(categoryorder="array", categoryarray=grades, title=None)
    _omitted_note(fig, int(small.sum()), min_cell)
    return _layout(fig, title, height=max(360, 26 * len(grades) + 140))


def share_bars(
    table: pd.DataFrame, dimension: str, title: str, *, min_cell: int = 0, sort: bool = True,
    limit: int | None = None,
) -> go.Figure:
    """Women's share per group as horizontal bars coloured by parity status, parity zone drawn."""
    if table.empty:
        return empty_figure(title)
    small = small_groups(table, min_cell) if min_cell else pd.Series(False, index=table.index)
    shown = table[~small & table["women_share"].notna()]
    if shown.empty:
        return empty_figure(title, f"Every group has fewer than {min_cell} people.")
    if sort:
        shown = shown.sort_values("women_share")
        if limit is not None:
            shown = shown.tail(limit)
    else:
        shown = shown.iloc[::-1]  # horizontal bars are drawn bottom-up: keep the first on top
    labels = [str(v) if v is not None else "Not recorded" for v in shown[dimension]]
    colours = [STATUS_COLORS.get(s, OTHER) for s in shown["parity_status"]]
    needed = [
        f"{int(w)} more women needed" if w else (f"{int(m)} more men needed" if m else "at parity")
        for w, m in zip(shown["women_needed"], shown["men_needed"], strict=True)
    ]
    fig = go.Figure(go.Bar(
        y=labels, x=_pct(shown["women_share"]), orientation="h", marker_color=colours,
        text=[f"{100 * s:.1f}%" for s in shown["women_share"]], textposition="outside",
        cliponaxis=False, showlegend=False,
        customdata=np.stack([shown["women"], shown["men"], needed], axis=-1),
        hovertemplate="%{y}: <b>%{x:.1f}%</b> women<br>%{customdata[0]:,} women, "
        "%{customdata[1]:,} men<br>%{customdata[2]}<extra></extra>",
    ))
    for status, colour in STATUS_COLORS.items():  # legend entries for the status colours
        fig.add_trace(go.Bar(x=[None], y=[None], marker_color=colour, name=STATUS_LABELS[status],
                             orientation="h"))
    _parity_zone_v(fig)
    _omitted_note(fig, int(small.sum()), min_cell)
    fig.update_xaxes(title=None, ticksuffix="%", range=[0, 105], gridcolor=GRID)
    fig.update_yaxes(categoryorder="array", categoryarray=labels, title=None, automargin=True)
    return _layout(fig, title, height=max(360, 24 * len(labels) + 150))


def share_heatmap(
    table: pd.DataFrame, rows: str, columns: str, title: str, *,
    column_order: Sequence[str] | None = None, min_cell: int = 0,
) -> go.Figure:
    """Women's share for each (row, column) pair, e.g. entity x grade; small cells left blank."""
    if table.empty:
        return empty_figure(title)
    data = table.copy()
    if min_cell:
        data.loc[small_groups(data, min_cell), "women_share"] = np.nan
    grid = data.pivot_table(index=rows, columns=columns, values="women_share", aggfunc="first",
                            observed=True, dropna=False)
    people = data.pivot_table(index=rows, columns=columns, values="total", aggfunc="first",
                              observed=True, dropna=False)
    if column_order is not None:
        ordered = [c for c in column_order if c in grid.columns]
        grid, people = grid[ordered], people.reindex(columns=ordered)
    grid = grid.loc[grid.mean(axis=1).sort_values().index]
    people = people.reindex(index=grid.index)
    fig = go.Figure(go.Heatmap(
        z=100 * grid.to_numpy(dtype=float), x=[str(c) for c in grid.columns],
        y=[str(r) for r in grid.index], colorscale=SHARE_SCALE, zmin=0, zmax=100, zmid=50,
        customdata=people.to_numpy(dtype=float),
        hovertemplate="%{y}, %{x}: <b>%{z:.1f}%</b> women of %{customdata:,.0f}<extra></extra>",
        colorbar={"title": {"text": "Women"}, "ticksuffix": "%"}, hoverongaps=False,
    ))
    fig.update_xaxes(title=None, side="top", tickangle=0)
    fig.update_yaxes(title=None, automargin=True)
    fig = _layout(fig, title, height=max(380, 18 * len(grid.index) + 160))
    fig.update_layout(margin={"t": 96})
    return fig


def station_map(table: pd.DataFrame, title: str, *, min_cell: int = 0) -> go.Figure:
    """Duty stations on a world map: size = headcount, colour = women's share (small stations
    drawn in grey with no figures)."""
    located = table.dropna(subset=["latitude", "longitude"])
    if located.empty:
        return empty_figure(title, "No duty station in this selection has coordinates.")
    small = small_groups(located, min_cell) if min_cell else pd.Series(False, index=located.index)
    fig = go.Figure()
    big = located[~small]
    size = 8 + 30 * np.sqrt(big["total"] / max(float(big["total"].max()), 1.0))
    fig.add_trace(go.Scattergeo(
        lat=big["latitude"], lon=big["longitude"], text=big["duty_station"], mode="markers",
        name="Duty stations",
        marker={"size": size, "color": _pct(big["women_share"]), "colorscale": SHARE_SCALE,
                "cmin": 0, "cmax": 100, "cmid": 50, "line": {"width": 0.6, "color": "#333"},
                "colorbar": {"title": {"text": "Women"}, "ticksuffix": "%"}, "opacity": 0.9},
        customdata=np.stack([big["women"], big["men"], big["total"]], axis=-1),
        hovertemplate="<b>%{text}</b><br>%{marker.color:.1f}% women<br>%{customdata[0]:,} women, "
        "%{customdata[1]:,} men<extra></extra>",
    ))
    if small.any():
        few = located[small]
        fig.add_trace(go.Scattergeo(
            lat=few["latitude"], lon=few["longitude"], text=few["duty_station"], mode="markers",
            name=f"Fewer than {min_cell} people", marker={"size": 7, "color": "#bdbdbd"},
            hovertemplate=f"<b>%{{text}}</b><br>fewer than {min_cell} people<extra></extra>",
        ))
    fig.update_geos(showcountries=True, countrycolor="#d1d5db", showland=True,
                    landcolor="#f8fafc", showocean=True, oceancolor="#eef4fb",
                    projection_type="natural earth", showframe=False, coastlinecolor="#cbd5e1")
    fig = _layout(fig, title, height=460)
    fig.update_layout(margin={"l": 0, "r": 0, "t": 56, "b": 0}, legend={"y": 0.02})
    return fig


def women_men_bars(table: pd.DataFrame, dimension: str, title: str) -> go.Figure:
    """Women and men side by side per group (e.g. HQ vs field), share in the labels."""
    if table.empty:
        return empty_figure(title)
    labels = [str(v) if v is not None else "Not recorded" for v in table[dimension]]
    fig = go.Figure()
    fig.add_trace(go.Bar(
        x=labels, y=table["women"], name="Women", marker_color=WOMEN,
        text=[f"{100 * s:.1f}%" for s in table["women_share"]], textposition="outside",
        hovertemplate="%{x}: %{y:,} women<extra></extra>",
    ))
    fig.add_trace(go.Bar(x=labels, y=table["men"], name="Men", marker_color=MEN,
                         hovertemplate="%{x}: %{y:,} men<extra></extra>"))
    fig.update_layout(barmode="group")
    fig.update_yaxes(title="People", gridcolor=GRID)
    return _layout(fig, title, height=380)


def parity_count_trend(counts: pd.DataFrame, title: str) -> go.Figure:
    """Entities at parity per year (``year``, ``at_parity``, ``entities``)."""
    if counts.empty:
        return empty_figure(title)
    fig = go.Figure(go.Bar(
        x=counts["year"], y=counts["at_parity"], marker_color=PARITY, name="At parity",
        customdata=counts["entities"],
        hovertemplate="%{x}: <b>%{y}</b> of %{customdata} entities at parity<extra></extra>",
        text=counts["at_parity"], textposition="outside",
    ))
    fig.update_yaxes(title="Entities at parity", gridcolor=GRID,
                     range=[0, max(float(counts["entities"].max()), 1.0) * 1.05])
    _year_axis(fig, counts["year"])
    return _layout(fig, title, height=360)


def projection_lines(
    series: pd.DataFrame, projections: pd.DataFrame, group: str, title: str,
    *, show_goal: bool = True,
) -> go.Figure:
    """Women's share by group over time, each with its projected line to 50% (dotted) and, when
    present (ols), the 80% band of the year as a horizontal error bar on the crossing point."""
    if series.empty:
        return empty_figure(title)
    palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
               "#F0E442"]
    fig = go.Figure()
    for i, (name, rows) in enumerate(series.groupby(group, sort=False, observed=True)):
        colour = palette[i % len(palette)]
        fig.add_trace(go.Scatter(
            x=rows["year"], y=_pct(rows["women_share"]), mode="lines+markers", name=str(name),
            legendgroup=str(name), line={"color": colour, "width": 2}, marker={"size": 5},
            hovertemplate=f"{name} %{{x}}: %{{y:.1f}}%<extra></extra>",
        ))
        match = projections[projections[group] == name]
        if match.empty:
            continue
        p = match.iloc[0]
        if p["projection_status"] == "projected" and pd.notna(p["projected_year"]):
            x0, y0 = int(p["base_year"]), 100 * float(p["women_share"])
            x1 = int(p["projected_year"])
            fig.add_trace(go.Scatter(
                x=[x0, x1], y=[y0, 50], mode="lines+markers", showlegend=False,
                legendgroup=str(name), line={"color": colour, "width": 1.5, "dash": "dot"},
                marker={"size": [0, 9], "symbol": "diamond"},
                hovertemplate=f"{name}: 50% projected in {x1}<extra></extra>",
            ))
            low = p.get("projected_year_low")
            high = p.get("projected_year_high")
            if low is not None and pd.notna(low) and high is not None and pd.notna(high):
                fig.add_trace(go.Scatter(
                    x=[x1], y=[50], mode="markers", showlegend=False, legendgroup=str(name),
                    marker={"size": 1, "color": colour},
                    error_x={"type": "data", "symmetric": False, "array": [int(high) - x1],
                             "arrayminus": [x1 - int(low)], "color": colour, "thickness": 2},
                    hovertemplate=f"{name}: 80% interval {int(low)}-{int(high)}<extra></extra>",
                ))
    _parity_zone_h(fig)
    if show_goal:
        fig.add_vline(x=GOAL_YEAR, line={"color": "#6b7280", "width": 1, "dash": "dot"},
                      annotation_text="2028 goal", annotation_position="bottom right",
                      annotation_font={"size": 11, "color": "#6b7280"})
    fig.update_yaxes(title="Women's share", ticksuffix="%", range=[0, 100], gridcolor=GRID)
    fig.update_xaxes(title=None, gridcolor=GRID, tickformat="d")
    return _layout(fig, title, height=480)
