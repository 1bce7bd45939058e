"""The rows and columns an export adds to total others, checked and left out.

Exports carry Total, Grand Total, Sub-total, "P-4 Total", Total général or Sous-total rows, and
a total column beside the count columns per gender. Each is checked against what it totals (a
sub-total against the rows since the previous total, a grand total against every row above it)
and left out; a total that does not match refuses the file, naming both numbers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from parity.errors import FileRefused, Problem
from parity.i18n import _, ngettext, number
from parity.ingest.cells import as_category
from parity.ingest.contract import TOTAL_WORDS, WIDE_COLUMNS
from parity.wording import count


def _numbers(values: pd.Series) -> np.ndarray:
    return pd.to_numeric(values.astype(str).str.strip(), errors="coerce").to_numpy(dtype=float)


def _problem(
    frame: pd.DataFrame, position: int, column: str, names: dict[str, str], message: str
) -> Problem:
    """The problem of the cell at ``position`` (from 0) of ``column``: its spreadsheet row, the
    column's name in the file, the value as given."""
    return Problem(
        int(frame["_row"].to_numpy()[position]),
        names.get(column, column),
        str(frame[column].iat[position]),
        message,
    )


def drop_totals(
    frame: pd.DataFrame, file_name: str, names: dict[str, str], notes: list[str]
) -> pd.DataFrame:
    """Leave out the rows and columns an export adds to total others (Total, Grand Total,
    Sub-total, P-4 Total, Total général, Sous-total), each checked first against the rows or
    columns it totals: a total that does not match refuses the file, naming both numbers."""
    counts = [c for c in frame.columns if c == "headcount" or c in WIDE_COLUMNS]
    total_columns = [c for c in frame.columns if c != "_row" and TOTAL_WORDS.match(str(c))]
    wide = [c for c in counts if c in WIDE_COLUMNS]
    problems = _check_total_columns(frame, total_columns, wide, names)
    dims = [c for c in frame.columns if c not in (*counts, *total_columns, "_row")]
    is_total, grand = _total_rows(frame, dims)
    rows = np.flatnonzero(is_total)
    problems += _check_total_rows(frame, counts, rows, is_total, grand, names)
    if problems:
        raise FileRefused(file_name, problems)
    _note_totals(frame, rows, total_columns, bool(wide), names, notes)
    return frame.loc[~is_total, [c for c in frame.columns if c not in total_columns]]


def _check_total_columns(
    frame: pd.DataFrame, total_columns: list[str], wide: list[str], names: dict[str, str]
) -> list[Problem]:
    """A total column beside count columns per gender must be their sum on each row (a total
    that is not a number is not checked): a problem for each of the first 20 rows where it is
    not."""
    problems: list[Problem] = []
    for column in total_columns:
        if wide:
            given = _numbers(frame[column])
            expected = sum(np.nan_to_num(_numbers(frame[c])) for c in wide)
            for i in np.flatnonzero(~np.isnan(given) & (given != expected))[:20].tolist():
                problems.append(
                    _problem(
                        frame,
                        i,
                        column,
                        names,
                        _("is not the sum of {columns} ({total})").format(
                            columns=", ".join(names.get(c, c) for c in wide),
                            total=number(int(expected[i])),
                        ),
                    )
                )
    return problems


def _total_rows(frame: pd.DataFrame, dims: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Which rows are totals (a dimension's value says Total, Sub-total, P-4 Total...) and which
    of them are grand totals, of every row above them (Grand Total, Total général, or Total or
    Totaux alone)."""
    is_total = np.zeros(len(frame), dtype=bool)
    grand = np.zeros(len(frame), dtype=bool)
    for column in dims:  # each distinct value is matched once
        values = as_category(frame[column])
        codes = values.cat.codes.to_numpy()
        text = pd.Series(values.cat.categories, dtype=object).astype(str)
        found = text.str.match(TOTAL_WORDS).to_numpy(dtype=bool)
        total_grand = found & text.str.match(r"(?i)^(grand|total[\s_-]*g[ée]n|totaux?$)").to_numpy(
            dtype=bool
        )
        is_total |= np.append(found, False)[codes]
        grand |= np.append(total_grand, False)[codes]
    return is_total, grand


def _check_total_rows(
    frame: pd.DataFrame,
    counts: list[str],
    rows: np.ndarray,
    is_total: np.ndarray,
    grand: np.ndarray,
    names: dict[str, str],
) -> list[Problem]:
    """Each total row's counts against the rows it totals: a grand total against every row
    above it that is not a total; any other total against those since the previous total row,
    or against every row above (an export's total of the whole). A problem for each mismatch."""
    problems: list[Problem] = []
    since = 0
    for position in rows.tolist():
        for column in counts:
            value = _numbers(frame[column].iloc[[position]])[0]
            if np.isnan(value):
                continue
            detail = ~is_total[:position]
            values = np.nan_to_num(_numbers(frame[column].iloc[:position]))
            everything = float(values[detail].sum())
            group = float(values[since:position][detail[since:]].sum())
            if value == everything or (not grand[position] and value == group):
                continue
            problems.append(
                _problem(
                    frame,
                    position,
                    column,
                    names,
                    _("is a total, but the rows it totals add up to {total}").format(
                        total=number(int(everything if grand[position] else group))
                    ),
                )
            )
        since = position + 1
    return problems


def _note_totals(
    frame: pd.DataFrame,
    rows: np.ndarray,
    total_columns: list[str],
    wide: bool,
    names: dict[str, str],
    notes: list[str],
) -> None:
    """Tell the preview which total rows and columns were left out (and that they were
    checked)."""
    if len(rows):
        listed = ", ".join(str(int(r)) for r in frame["_row"].to_numpy()[rows][:10])
        notes.append(
            ngettext(
                "left out {n} total row (row {rows}), each checked against the rows it totals",
                "left out {n} total rows (row {rows}), each checked against the rows it totals",
                len(rows),
            ).format(n=count(len(rows)), rows=listed)
        )
    if total_columns:
        columns = ", ".join(repr(names.get(c, c)) for c in total_columns)
        notes.append(
            _("left out the total column {columns}, checked against the columns it totals").format(
                columns=columns
            )
            if wide
            else _("left out the total column {columns}").format(columns=columns)
        )
