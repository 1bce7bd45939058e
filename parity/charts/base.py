"""What every chart shares: colours, line styles, the template, titles, the parity zone, axes,
hover templates, lines and bars of women and men, and the figure that says why it is empty.

Conventions: women's share on a 0-100% axis, the 47-53% parity zone shaded, women and men in a
colour-blind-safe pair (Okabe-Ito vermillion and blue) used the same way everywhere. Charts draw
what a view model gives them (parity.views): the privacy rule has already been applied, and a
chart only says, in its note, what was left out.

Figures are assembled as plain trace and layout dicts and wrapped once, without plotly's property
validation: validating a figure property by property costs 20-60 ms, most of a callback's budget.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from parity import i18n
from parity.i18n import N_, _
from parity.metrics import PARITY_HIGH_PCT, PARITY_LOW_PCT
from parity.wording import GOAL_YEAR, STATUS_WORDS

WOMEN = "#D55E00"  # Okabe-Ito vermillion
MEN = "#0072B2"  # Okabe-Ito blue
OTHER = "#888888"  # 3.5:1 on white (marks need 3:1)
WITHHELD = "#8a9099"  # a withheld group: grey, no figures (3.2:1 on white)
PARITY = "#009E73"  # Okabe-Ito bluish green
ZONE = "rgba(0, 158, 115, 0.12)"
INK = "#1f2a37"
MUTED = "#6b7280"
GRID = "#e5e7eb"
STATUS_COLORS = {"parity": PARITY, "women_under": WOMEN, "men_under": MEN}
STATUS_LABELS = STATUS_WORDS  # English: show them through _()
# How each kind of line is drawn, the same in every chart; its colour is the chart's choice.
LINES: dict[str, dict[str, Any]] = {
    "recorded": {"width": 3},  # women's share as recorded: a chart's main line
    "series": {"width": 2.5},  # one of a few series side by side (flows, rates)
    "group": {"width": 2},  # one group's recorded share among several
    "projected": {"width": 2, "dash": "dot"},  # a projection, a scenario, a median of runs
    "comparison": {"width": 3, "dash": "dot"},  # women among staff, beside the flows
    "to_parity": {"width": 1.5, "dash": "dot"},  # a group's straight line to 50%
    "target": {"width": 1.5, "dash": "dash"},  # a target path
}
GENDERS = {"women": (N_("Women"), WOMEN), "men": (N_("Men"), MEN)}  # label (show it through _())
# Women's share: vermillion (few women) - light grey (50%) - blue (many women).
SHARE_SCALE = [[0.0, WOMEN], [0.5, "#f2f2f2"], [1.0, MEN]]
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
FONT = "Inter, 'Segoe UI', 'Helvetica Neue', Arial, sans-serif"
EMPTY_MESSAGE = N_("No one matches this selection.")
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
        # the language's decimal and thousands separators, for ticks and hover numbers alike
        "separators": i18n.plotly_separators(),
        # the legend sits at the foot of the figure, below the axis labels
        "legend": {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0},
        "shapes": [],
        "annotations": [],
    }
    return go.Figure(data=traces, layout=_merge(base, layout or {}), _validate=False)


def empty_figure(title: str, message: str = EMPTY_MESSAGE, height: int = 420) -> go.Figure:
    """A figure that says why it is empty, with no axes (the message wrapped, so that a phone
    shows all of it)."""
    import textwrap

    message = _(message)
    note = {
        "text": "<br>".join(textwrap.wrap(message, 34)) or message,  # ~290 px at 15 px
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


def _empty(title: str, note: str = "") -> go.Figure:
    """The figure of a chart with nothing to draw: its note (what was left out, e.g. every group
    withheld) as the message, else EMPTY_MESSAGE."""
    if not note:
        return empty_figure(title, _(EMPTY_MESSAGE))
    sentence = note[:1].upper() + note[1:]  # the rest as written ("P-4", "UN")
    return empty_figure(title, sentence if sentence.endswith(".") else sentence + ".")


def note_annotation(note: str, below: bool = False) -> list[dict[str, Any]]:
    """What a chart leaves out (small groups), above its top right corner (or under the plot,
    for charts whose axis labels are on top)."""
    if not note:
        return []
    return [
        {
            "text": note,
            "showarrow": False,
            "xref": "paper",
            "yref": "paper",
            "x": 1,
            "y": -0.03 if below else 1.06,
            "xanchor": "right",
            "yanchor": "top" if below else "bottom",
            "font": {"size": 11, "color": MUTED},
        }
    ]


def _across(kind: str, span: str, low: float, high: float, **style: Any) -> dict[str, Any]:
    """A shape (``kind``: "rect" or "line") across the whole plot along ``span`` ("x" or "y",
    whose paper coordinates it fills), from ``low`` to ``high`` on the other axis."""
    at = "y" if span == "x" else "x"
    return {
        "type": kind,
        f"{span}ref": "paper",
        f"{span}0": 0,
        f"{span}1": 1,
        f"{at}0": low,
        f"{at}1": high,
        **style,
    }


def _zone(span: str) -> list[dict[str, Any]]:
    """The 47-53% band and the dashed 50% line across the plot along ``span`` ("x" when women's
    share is up the y axis, "y" when it is along the x axis)."""
    return [
        _across(
            "rect",
            span,
            PARITY_LOW_PCT,
            PARITY_HIGH_PCT,
            fillcolor=ZONE,
            line={"width": 0},
            layer="below",
        ),
        _across("line", span, 50, 50, line={"color": PARITY, "width": 1.5, "dash": "dash"}),
    ]


def _zone_h() -> dict[str, Any]:
    """The 47-53% band and the 50% line across a plot whose y axis is women's share."""
    return {
        "shapes": _zone("x"),
        "annotations": [
            {
                "text": i18n.percent(0.5, 0),
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
    return {"shapes": _zone("y")}


def _year_axis(years: pd.Series | None = None, last: int | None = None) -> dict[str, Any]:
    """Whole years on the x axis (never 2,024.5), one tick a year when the span of ``years``
    (to ``last``, when later) is short; plotly's ticks when no years are given."""
    axis: dict[str, Any] = {"title": None, "gridcolor": GRID, "tickformat": "d"}
    if years is None:
        return axis
    low, high = int(years.min()), int(years.max())
    if last is not None:
        high = max(high, last)
    if high - low <= 12:
        axis["dtick"] = 1
    return axis


def percent_sign() -> str:
    """What follows a percentage in the language: '%' in English, a no-break space and '%' in
    French (for tick suffixes and hover templates, whose numbers plotly formats)."""
    return i18n.percent(0, 0).removeprefix("0")


def share_token(value: str = "y") -> str:
    """A hover template's women's share, already in percent, to one decimal: '%{y:.1f}%'."""
    return f"%{{{value}:.1f}}{percent_sign()}"


def share_axis() -> dict[str, Any]:
    """Women's share, 0-100%, up an axis."""
    return {
        "title": {"text": _("Women's share")},
        "ticksuffix": percent_sign(),
        "range": [0, 100],
        "gridcolor": GRID,
    }


def _pct(values: pd.Series) -> np.ndarray:
    return (100 * values.astype(float)).to_numpy()


def _nums(values: pd.Series) -> np.ndarray:
    """Counts as floats for plotly (a withheld count would be NaN; views pass shown rows)."""
    return values.to_numpy(dtype=float, na_value=np.nan)


def _ints(values: pd.Series) -> list[int]:
    return [int(v) for v in values]


def _scatter(x: Any, y: Any, mode: str, **props: Any) -> Trace:
    """A scatter trace: its points and mode, then the given properties."""
    return {"type": "scatter", "x": x, "y": y, "mode": mode, **props}


def _by_year(rows: pd.DataFrame, column: str, mode: str = "lines", **props: Any) -> Trace:
    """A scatter trace of a share column (a fraction, drawn in percent) by ``year``."""
    return _scatter(_ints(rows["year"]), _pct(rows[column]), mode, **props)


def _line(
    x: Any,
    y: Any,
    style: str,
    hover: str,
    *,
    colour: str = WOMEN,
    mode: str = "lines",
    marker: dict[str, Any] | None = None,
    customdata: Any = None,
    **legend: Any,
) -> Trace:
    """A line in one of the LINES styles and ``colour``: its legend entry (``legend``: name,
    or legendgroup and showlegend), the line, its markers and customdata when given, and its
    ``hover`` template."""
    trace = _scatter(x, y, mode, **legend, line={"color": colour, **LINES[style]})
    if marker is not None:
        trace["marker"] = marker
    if customdata is not None:
        trace["customdata"] = customdata
    trace["hovertemplate"] = hover
    return trace


def _share_line(rows: pd.DataFrame, column: str, style: str, hover: str, **props: Any) -> Trace:
    """A ``_line`` of a share column (a fraction, drawn in percent) by ``year``."""
    return _line(_ints(rows["year"]), _pct(rows[column]), style, hover, **props)


def _gender_bar(gender: str, points: dict[str, Any], hover: str, **props: Any) -> Trace:
    """The bars of women or men (``gender``, a key of GENDERS) at ``points`` (x, y and their
    orientation), in the gender's colour and name, with ``props`` and a ``hover`` template."""
    label, colour = GENDERS[gender]
    return {
        "type": "bar",
        **points,
        "name": _(label),
        "marker": {"color": colour},
        **props,
        "hovertemplate": hover,
    }


def _share_layout(xaxis: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    """The parity zone, women's share up the y axis and whole years along the x axis
    (``xaxis``; by default plotly's ticks), with ``extra``."""
    axis = _year_axis() if xaxis is None else xaxis
    return _merge(_zone_h(), {"yaxis": share_axis(), "xaxis": axis, **extra})


def _hover(template: str, **fields: object) -> str:
    """A hover template from a translated ``template``: ``{year}`` is the point's x, ``{share}``
    its women's share (y, in percent), other fields as given; the trace's name box is hidden."""
    return template.format(**{"year": "%{x}", "share": share_token(), **fields}) + "<extra></extra>"


def women_men_counts() -> str:
    """A hover template's counts of women and men (customdata 0 and 1)."""
    return _("{women} women, {men} men").format(
        women="%{customdata[0]:,}", men="%{customdata[1]:,}"
    )


def _women_men(rows: pd.DataFrame, prefix: str = "") -> np.ndarray:
    """The counts of women and men of each row (``<prefix>women``, ``<prefix>men``), as the
    customdata that women_men_counts() reads."""
    return np.stack([_nums(rows[f"{prefix}women"]), _nums(rows[f"{prefix}men"])], axis=-1)


def year_marker(year: int, text: str) -> dict[str, Any]:
    """A dotted vertical line at a year, labelled at its foot (the 2028 goal, a target)."""
    return {
        "shapes": [
            _across("line", "y", year, year, line={"color": MUTED, "width": 1, "dash": "dot"})
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


__all__ = ["GOAL_YEAR", "empty_figure", "note_annotation", "year_marker"]
