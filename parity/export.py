"""Tables to files people open in spreadsheets: CSV and XLSX, formula-safe.

Text that comes from data and starts with ``=``, ``+``, ``-`` or ``@`` gets a leading apostrophe
(see ``output.neutralise``) and XLSX cells are written as strings, never as formulas.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import pandas as pd

from parity.output import neutralise, to_csv

PERCENT_COLUMNS = ("women_share",)
COUNT_COLUMNS = ("women", "men", "other", "total", "headcount", "count", "women_needed",
                 "men_needed", "women_to_50_50", "men_to_50_50")  # fmt: skip
"""Columns of whole numbers (in a table headed by its keys) shown with thousands separators."""
WIDEST = 56  # the widest column, in characters
PARAGRAPH = 100  # text longer than this wraps in a column WRAP_WIDTH wide
WRAP_WIDTH = 100
__all__ = ["table_to_csv", "tables_to_xlsx"]


def table_to_csv(table: pd.DataFrame) -> str:
    return to_csv(table)


def _safe(table: pd.DataFrame) -> pd.DataFrame:
    out = table.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    return out


def _shown_width(value: object) -> int:
    """About how many characters a cell shows: fractions as "12.3%", text as itself."""
    return 8 if isinstance(value, float) else len(str(value))


def tables_to_xlsx(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """One sheet per table: numbers as numbers, shares with a % format, frozen header row,
    columns wide enough to read (paragraphs wrap)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(
        buffer,
        engine="xlsxwriter",
        engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}},
    ) as writer:
        book = writer.book
        percent = book.add_format({"num_format": "0.0%"})
        decimal = book.add_format({"num_format": "0.0"})
        whole = book.add_format({"num_format": "#,##0"})  # counts with thousands separators
        header = book.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1})
        wrapped = book.add_format({"text_wrap": True, "valign": "top"})
        for name, table in sheets.items():
            sheet_name = name[:31]
            safe = _safe(table)
            safe.to_excel(writer, sheet_name=sheet_name, index=False)
            sheet = writer.sheets[sheet_name]
            sheet.freeze_panes(1, 0)
            kinds = table.attrs.get("kinds", {})  # header -> kind, for tables headed in words
            for i, column in enumerate(safe.columns):
                sheet.write(0, i, str(column), header)
                kind = kinds.get(column)
                width = max(len(str(column)), 6, *(_shown_width(v) for v in safe[column].head(200)))
                fmt = (
                    percent
                    if kind in ("share", "rate")
                    or column in PERCENT_COLUMNS
                    or column.endswith("_share")
                    else decimal
                    if kind == "pp" or column.endswith("_pp")
                    else whole
                    if kind == "count" or column in COUNT_COLUMNS
                    else None
                )
                if fmt is None and width > PARAGRAPH:
                    sheet.set_column(i, i, WRAP_WIDTH, wrapped)
                else:
                    sheet.set_column(i, i, min(width + 2, WIDEST), fmt)
    return buffer.getvalue()
