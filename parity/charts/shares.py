"""Charts of women's share and of women and men over the years and by group: the share by year,
entities at parity by year, the grade pipeline, the share by group and women and men by group.
Shares over two dimensions and on a map are in parity.charts.maps."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from parity import i18n
from parity.charts.base import (  # fmt: skip
    GRID,
    OTHER,
    PARITY,
    STATUS_COLORS,
    STATUS_LABELS,
    Trace,
    _empty,
    _figure,
    _gender_bar,
    _hover,
    _ints,
    _line,
    _merge,
    _nums,
    _pct,
    _share_layout,
    _share_line,
    _women_men,
    _year_axis,
    _zone_v,
    empty_figure,
    note_annotation,
    percent_sign,
    share_token,
    women_men_counts,
)
from parity.i18n import _
from parity.wording import label


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
    traces: list[Trace] = [
        _share_line(
            series,
            "women_share",
            "recorded",
            _hover(_("{year}: <b>{share}</b> women<br>{counts}"), counts=women_men_counts()),
            mode="lines+markers",
            marker={"size": 7},
            customdata=_women_men(series),
            name=_("Women's share"),
        )
    ]
    last = None
    if projected is not None and not projected.empty:
        last = int(projected["year"].max())
        years, shares = _ints(projected["year"]), list(projected["share_pp"])  # in percent
        hover = _hover(_("{year}: {share} (projected)"))
        traces.append(_line(years, shares, "projected", hover, name=_("Projection")))
    layout = _share_layout(_year_axis(series["year"], last), annotations=note_annotation(note))
    return _figure(traces, title, layout)


def pipeline(table: pd.DataFrame, title: str, *, note: str = "") -> go.Figure:
    """Butterfly chart of the grade pipeline: women to the left, men to the right, one row per
    grade shown, from the bottom of the ladder (first row of ``table``) to the top."""
    if table.empty:
        return _empty(title, note)
    shown = table
    grades = [str(g) for g in shown["grade"]]
    traces: list[Trace] = [
        _gender_bar(
            "women",
            {"y": grades, "x": -_nums(shown["women"]), "orientation": "h"},
            _hover(
                _("{grade}: {women} women ({share})"),
                grade="%{y}",
                women="%{customdata[0]:,}",
                share=share_token("customdata[1]"),
            ),
            text=[i18n.percent(float(s), 0) for s in shown["women_share"]],
            textposition="outside",
            cliponaxis=False,
            customdata=np.stack([_nums(shown["women"]), _pct(shown["women_share"])], axis=-1),
        ),
        _gender_bar(
            "men",
            {"y": grades, "x": _nums(shown["men"]), "orientation": "h"},
            _hover(_("{grade}: {men} men"), grade="%{y}", men="%{customdata:,}"),
            customdata=_nums(shown["men"]),
        ),
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
    labels = [label(v) if v is not None else _("Not recorded") for v in shown[dimension]]
    traces: list[Trace] = [_share_bar(shown, labels), *_status_legend()]
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


def _share_bar(shown: pd.DataFrame, labels: list[str]) -> Trace:
    """The bars of ``share_bars``: one per group, coloured by its parity status, the hover
    giving its women and men and what it needs to reach the parity zone."""
    return {
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
                _needed_words(shown),
            ],
            axis=-1,
        ),
        "hovertemplate": _hover(
            _("{group}: <b>{share}</b> women<br>{women} women, {men} men<br>{needed}"),
            group="%{y}",
            share=share_token("x"),
            women="%{customdata[0]}",
            men="%{customdata[1]}",
            needed="%{customdata[2]}",
        ),
    }


def _needed_words(shown: pd.DataFrame) -> list[str]:
    """For each group, the women (or else the men) it needs to reach the parity zone, in words;
    "at parity" when it needs neither."""
    return [
        _("{n} more women needed to reach the parity zone").format(n=i18n.number(int(w)))
        if w
        else (
            _("{n} more men needed to reach the parity zone").format(n=i18n.number(int(m)))
            if m
            else _("at parity")
        )
        for w, m in zip(shown["women_needed"], shown["men_needed"], strict=True)
    ]


def _status_legend() -> list[Trace]:
    """Empty bars that only show the parity status colours in the legend."""
    return [
        {
            "type": "bar",
            "x": [None],
            "y": [None],
            "marker": {"color": colour},
            "name": _(STATUS_LABELS[status]),
            "orientation": "h",
        }
        for status, colour in STATUS_COLORS.items()
    ]


def women_men_bars(table: pd.DataFrame, dimension: str, title: str, *, note: str = "") -> go.Figure:
    """Women and men side by side per group shown (e.g. HQ vs field), share in the labels."""
    shown = table
    if shown.empty:
        return _empty(title, note)
    labels = [str(v) if v is not None else _("Not recorded") for v in shown[dimension]]
    traces: list[Trace] = [
        _gender_bar(
            "women",
            {"x": labels, "y": shown["women"].to_numpy(dtype=float)},
            _hover(_("{group}: {women} women"), group="%{x}", women="%{y:,}"),
            text=[i18n.percent(float(s)) for s in shown["women_share"]],
            textposition="outside",
        ),
        _gender_bar(
            "men",
            {"x": labels, "y": shown["men"].to_numpy(dtype=float)},
            _hover(_("{group}: {men} men"), group="%{x}", men="%{y:,}"),
        ),
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
            "hovertemplate": _hover(
                _(
                    "{year}: <b>{at_parity}</b> of {entities} entities shown at parity "
                    "({withheld} not shown)"
                ),
                at_parity="%{y}",
                entities="%{customdata[0]}",
                withheld="%{customdata[1]}",
            ),
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
