"""Charts as text: the sentence and the table a screen reader (or anyone) reads in a chart's
place. The rows are the chart's own, already under the privacy rule: a withheld group shows
what the chart shows for it (its "fewer than 5"), never a number."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from parity.i18n import N_, _
from parity.views.base import Chart
from parity.views.columns import LABELS, MEN, PARITY_STATUS, WOMEN, WOMEN_SHARE
from parity.wording import count, label, percent, status_words

# column kind -> how a value is written
WRITERS: dict[str, Callable[[Any], str]] = {
    "count": count,
    "share": percent,
    "status": status_words,
    "text": lambda v: "—" if pd.isna(v) else str(v),
}
# a parity chart's figures, as (column, header, kind)
PARITY_COLUMNS = tuple((c.key, c.header, c.kind) for c in (WOMEN, MEN, WOMEN_SHARE, PARITY_STATUS))
# the headers of other figures a chart draws (else its column's name, capitalised)
COLUMN_WORDS = {
    "at_parity": N_("At parity"),
    "entities": N_("Entities"),
    "withheld": N_("Withheld"),
}


def _columns(data: pd.DataFrame, labels: list[str]) -> list[tuple[str, str, str]]:
    """The figures to show: women, men, share and status for a parity table; else every
    figure the chart draws (flows' shares and rates, a plan's paths), named from its column."""
    if "women" in data.columns:
        return list(PARITY_COLUMNS)
    out = []
    for column in data.columns:
        if column in labels or column in ("hidden", "hidden_text") or column.startswith("_"):
            continue
        values = data[column]
        if not pd.api.types.is_numeric_dtype(values):
            continue
        kind = "share" if ("share" in column or "rate" in column) else "count"
        if kind == "count" and not pd.api.types.is_integer_dtype(values.dropna()):
            kind = "share" if values.dropna().between(0, 1).all() else "count"
        out.append((column, COLUMN_WORDS.get(column, column.replace("_", " ").capitalize()), kind))
    return out


def _labels(data: pd.DataFrame) -> list[str]:
    """The columns naming a row: the dimensions before the first figure."""
    out = []
    for column in data.columns:
        if column not in LABELS:
            break
        out.append(column)
    return out


def chart_table(
    chart: Chart,
    sentence: str = "",
    columns: Sequence[tuple[str, str, str]] | None = None,
    pivot: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """The chart as {"sentence", "caption", "columns", "rows"} (every value as text).
    ``columns``: (column, header, kind) after the label columns (default: women, men, share,
    status). ``pivot``: (row label, column label) for a grid of women's shares (a heatmap)."""
    data = chart.data
    hidden = data["hidden_text"] if "hidden_text" in data else pd.Series([None] * len(data))
    if pivot is not None and not data.empty:
        row, column = pivot
        row_names = list(dict.fromkeys(map(str, data[row])))
        column_names = list(dict.fromkeys(map(str, data[column])))
        shares = {
            (str(r), str(c)): percent(v)
            for r, c, v in zip(data[row], data[column], data["women_share"], strict=True)
        }
        headers = [_(LABELS.get(row, row)), *column_names]
        rows = [[r, *(shares.get((r, c), "—") for c in column_names)] for r in row_names]
        caption = _("{title}: women's share by {rows} and {columns}").format(
            title=chart.title,
            rows=_(LABELS[row]).lower(),
            columns=_(LABELS.get(column, column)).lower(),
        )
    else:
        labels = _labels(data)
        chosen = [c for c in (columns or _columns(data, labels)) if c[0] in data.columns]
        headers = [_(LABELS[c]) for c in labels] + [_(header) for _key, header, _kind in chosen]
        rows = []
        for i in range(len(data)):
            withheld = isinstance(hidden.iat[i], str) and bool(hidden.iat[i])
            cells = [label(data[c].iat[i]) for c in labels]
            for column, _header, kind in chosen:
                value = data[column].iat[i]
                cells.append(
                    str(hidden.iat[i]) if withheld and kind != "status" else WRITERS[kind](value)
                )
            rows.append(cells)
        caption = chart.title
    note = f". {chart.note}" if chart.note else ""
    return {
        "sentence": sentence or summary_sentence(chart),
        "caption": caption + note,
        "columns": headers,
        "rows": rows,
    }


def _year(value: Any) -> str:
    """A year as written in a sentence: 2025, never 2025.0 (a chart's years may be floats)."""
    try:
        return str(int(value)) if float(value).is_integer() else str(value)
    except (TypeError, ValueError):
        return str(value)


def summary_sentence(chart: Chart) -> str:
    """A chart's takeaway when its view has none: the groups with the highest and the lowest
    women's share among those shown (over time: the first and the latest year)."""
    data = chart.data
    if not data.empty and {"year", "at_parity", "entities"} <= set(data.columns):
        last = data.iloc[-1]
        return _("In {year}, {at_parity} of {entities} entities shown were at parity.").format(
            year=_year(last["year"]),
            at_parity=count(last["at_parity"]),
            entities=count(last["entities"]),
        )
    if data.empty or "women_share" not in data:
        return ""
    shown = data[data["women_share"].notna()]
    if "hidden_text" in shown:
        shown = shown[~shown["hidden_text"].map(lambda t: isinstance(t, str) and bool(t))]
    labels = _labels(shown)
    if shown.empty or not labels:
        return ""
    if labels == ["year"]:
        first, last = shown.iloc[0], shown.iloc[-1]
        sentence = _("Women's share went from {first} in {first_year} to {last} in {last_year}.")
        return sentence.format(
            first=percent(first["women_share"]),
            first_year=_year(first["year"]),
            last=percent(last["women_share"]),
            last_year=_year(last["year"]),
        )
    name = labels[0]
    ranked = shown.sort_values("women_share", kind="stable")
    high, low = ranked.iloc[-1], ranked.iloc[0]
    if len(ranked) == 1:
        return _("Women's share: {share} ({name}).").format(
            share=percent(high["women_share"]), name=label(high[name])
        )
    return _("Highest women's share: {high} ({high_share}); lowest: {low} ({low_share}).").format(
        high=label(high[name]),
        high_share=percent(high["women_share"]),
        low=label(low[name]),
        low_share=percent(low["women_share"]),
    )
