"""Render result tables for people (aligned text) and programs (CSV, JSON).

Strings that come from data and start with ``=``, ``+``, ``-`` or ``@`` are neutralised in CSV
(a leading apostrophe) so that a spreadsheet never runs them as formulas.
"""

from __future__ import annotations

import io
import json
import math
from typing import Any

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("table", "csv", "json")


def neutralise(value: Any) -> Any:
    """Prefix a text that a spreadsheet would read as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _plain(value: Any) -> Any:
    """numpy / pandas scalars -> JSON-ready Python values (missing -> None)."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
        if isinstance(value, float) and math.isnan(value):
            return None
    return value


def records(table: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {column: _plain(value) for column, value in zip(table.columns, row, strict=True)}
        for row in table.itertuples(index=False, name=None)
    ]


def to_json(table: pd.DataFrame) -> str:
    return json.dumps(records(table), ensure_ascii=False, indent=1)


def to_csv(table: pd.DataFrame) -> str:
    safe = table.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    buffer = io.StringIO()
    safe.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


def _cell(column: str, value: Any) -> str:
    value = _plain(value)
    if value is None:
        return "-"
    if column.endswith("_share") and "year" not in column:
        return f"{100 * value:.1f}%"
    if column.endswith("_pp"):
        return f"{value:+.1f}"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def to_table(table: pd.DataFrame, title: str | None = None) -> str:
    headers = list(table.columns)
    rows = [
        [_cell(c, v) for c, v in zip(headers, row, strict=True)]
        for row in table.itertuples(index=False, name=None)
    ]
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    numeric = [pd.api.types.is_numeric_dtype(table[c]) for c in headers]

    def line(cells: list[str]) -> str:
        return "  ".join(
            cell.rjust(w) if is_num else cell.ljust(w)
            for cell, w, is_num in zip(cells, widths, numeric, strict=True)
        ).rstrip()

    out = [title, ""] if title else []
    out += [line(headers), line(["-" * w for w in widths])]
    out += [line(r) for r in rows]
    if not rows:
        out.append("(no data for this selection)")
    return "\n".join(out) + "\n"


def render(table: pd.DataFrame, fmt: str, title: str | None = None) -> str:
    if fmt == "json":
        return to_json(table) + "\n"
    if fmt == "csv":
        return to_csv(table)
    return to_table(table, title)
