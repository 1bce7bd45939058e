"""Reshaping a file's table into the contract's long shape, and summing it.

Columns renamed as the contract names them (two columns of one meaning refuse the file); a
person-level list's dates turned into the year and age bands (dates of birth never kept); the
columns the figures do not use noted as ignored; the wide shape (a count column per gender)
melted into the long one (gender + headcount), a person-level list counted one per row, and the
required columns asked for; finally rows with the same key summed, without comparing text.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from parity.errors import FileRefused, MissingColumns, Problem
from parity.i18n import _
from parity.ingest.contract import (
    AGE_BANDS,
    KEY_COLUMNS,
    KNOWN_COLUMNS,
    REQUIRED,
    WIDE_COLUMNS,
    named_columns,
    normalise_column_name,
    where_read,
)
from parity.wording import count, listing


def renamed(raw: pd.DataFrame, file_name: str) -> pd.DataFrame:
    """The table with its columns named as the contract names them; two columns of one meaning
    (``Sex`` next to ``Gender``, ``Count`` next to ``Headcount``) refuse the file."""
    frame = raw.rename(columns={c: normalise_column_name(c) for c in raw.columns if c != "_row"})
    duplicated = frame.columns[frame.columns.duplicated()]
    if len(duplicated):
        originals = [c for c in raw.columns if c != "_row"]
        problems = []
        for meaning in dict.fromkeys(duplicated):
            names = [str(c) for c in originals if normalise_column_name(c) == meaning]
            problems.append(
                Problem(
                    1,
                    None,
                    None,
                    _("columns {columns} both mean {meaning}; keep one").format(
                        columns=listing([repr(n) for n in names]), meaning=repr(meaning)
                    ),
                )
            )
        raise FileRefused(file_name, problems)
    return frame


def year_and_age_from_dates(
    frame: pd.DataFrame, file_name: str, names: dict[str, str], notes: list[str]
) -> pd.DataFrame:
    """A person-level list's dates: the snapshot date gives the year (when there is no year
    column); a date of birth gives the age band at the snapshot date (31 December of the year
    without one). Dates of birth are never kept."""
    if "date" not in frame.columns and "date_of_birth" not in frame.columns:
        return frame
    problems: list[Problem] = []

    def parsed(column: str) -> pd.Series:
        text = frame[column].astype(str).str.strip()
        iso = pd.to_datetime(text, errors="coerce", format="ISO8601")
        other = pd.to_datetime(text[iso.isna()], errors="coerce", dayfirst=True, format="mixed")
        dates = iso.where(iso.notna(), other.reindex(iso.index))
        for i in np.flatnonzero(dates.isna().to_numpy())[:20].tolist():
            problems.append(
                Problem(
                    int(frame["_row"].to_numpy()[i]),
                    names[column],
                    str(text.iat[i]),
                    _("is not a date"),
                )
            )
        return dates

    out = frame
    snapshot = parsed("date") if "date" in frame.columns else None
    if snapshot is not None and "year" not in frame.columns:
        out = out.assign(year=snapshot.dt.year.astype("Int64").astype(str))
        notes.append(
            _("the year is taken from the column {column}").format(column=repr(names["date"]))
        )
    if "date_of_birth" in frame.columns and "age_band" not in frame.columns:
        born = parsed("date_of_birth")
        if snapshot is None:
            years = pd.to_numeric(out["year"], errors="coerce")
            snapshot = pd.to_datetime(years.astype("Int64").astype(str) + "-12-31", errors="coerce")
        age = (
            snapshot.dt.year
            - born.dt.year
            - (
                (snapshot.dt.month * 100 + snapshot.dt.day) < (born.dt.month * 100 + born.dt.day)
            ).astype(int)
        )
        bands = pd.Series(None, index=frame.index, dtype=object)
        for below, band in reversed(AGE_BANDS):
            bands = bands.where(~(age < below), band)
        out = out.assign(age_band=bands.where(age.notna(), ""))
        notes.append(
            _(
                "age bands worked out from {column} at the snapshot date; "
                "dates of birth are not stored"
            ).format(column=repr(names["date_of_birth"]))
        )
    if problems:
        raise FileRefused(file_name, problems)
    return out.drop(columns=[c for c in ("date", "date_of_birth") if c in out.columns])


def note_ignored(frame: pd.DataFrame, given: dict[str, str], notes: list[str]) -> None:
    """Tell the preview which of the file's columns the figures do not use (never stored): the
    first 12 by name, then how many more. ``given``: the file's name of each renamed column."""
    ignored = [
        given[c]
        for c in frame.columns
        if c in given and c not in KNOWN_COLUMNS and not given[c].startswith("Unnamed:")
    ]
    if len(ignored) > 12:
        notes.append(
            _("ignored (not part of the figures, never stored): {columns} and {n} more").format(
                columns=", ".join(ignored[:12]), n=count(len(ignored) - 12)
            )
        )
    elif ignored:
        notes.append(
            _("ignored (not part of the figures, never stored): {columns}").format(
                columns=", ".join(ignored)
            )
        )


def long_shape(frame: pd.DataFrame, raw: pd.DataFrame, file_name: str) -> pd.DataFrame:
    """The table in the long shape (gender + headcount): a wide file's count columns per gender
    (exactly one for women and one for men, at most one for other) melted into rows, a
    person-level list (no count column) counted one per row. A file that mixes both shapes is
    refused. ``raw``: the table as read, for the file's own column names."""
    wide = {c: WIDE_COLUMNS[c] for c in frame.columns if c in WIDE_COLUMNS}
    long = [c for c in ("gender", "headcount") if c in frame.columns]
    if wide and long:
        named = [str(c) for c in raw.columns if normalise_column_name(c) in {*wide, *long}]
        raise FileRefused(
            file_name,
            [
                Problem(
                    1,
                    None,
                    None,
                    _(
                        "mixes the long shape (a gender and a count column) with the wide shape "
                        "(a count column per gender): {columns}; use one shape"
                    ).format(columns=", ".join(named)),
                )
            ],
        )
    if wide:
        genders = sorted(wide.values())
        if "F" not in genders or "M" not in genders or len(set(genders)) < len(genders):
            # a count column for women alone would show 100% women; two would count them twice
            raise FileRefused(
                file_name,
                [
                    Problem(
                        1,
                        None,
                        None,
                        _(
                            "a file with a count column per gender needs exactly one for women "
                            "and one for men (and at most one for other); found: {columns}"
                        ).format(
                            columns=", ".join(
                                str(c) for c in raw.columns if normalise_column_name(c) in wide
                            )
                        ),
                    )
                ],
            )
        frame = _melt_wide(frame, wide)
    elif "headcount" not in frame.columns:
        frame = frame.assign(headcount="1")  # person-level file: each row is one person
    return frame


def _melt_wide(frame: pd.DataFrame, wide: dict[str, str]) -> pd.DataFrame:
    parts = []
    for column, gender in wide.items():
        part = frame.drop(columns=list(wide)).assign(gender=gender, headcount=frame[column])
        part["_source_column"] = column
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def require_columns(frame: pd.DataFrame, raw: pd.DataFrame, file_name: str, kind: str) -> None:
    """Refuse a table without the required columns (and ``event`` for flows) with
    MissingColumns, saying which columns the file has and where its header was read."""
    required = (*REQUIRED, "event") if kind == "flows" else REQUIRED
    missing = [c for c in required if c not in frame.columns]
    if missing:
        listed = ", ".join(repr(c) for c in missing)
        header = int(raw.attrs.get("header_row", 1))
        raise MissingColumns(
            file_name,
            [
                Problem(
                    header,
                    None,
                    None,
                    _("missing required column(s) {missing}; found: {found}{where}").format(
                        missing=listed,
                        found=", ".join(named_columns(raw)) or _("no named columns"),
                        where=where_read(raw),
                    ),
                )
            ],
            missing,
            named_columns(raw),
        )


def summed(frame: pd.DataFrame, keys: tuple[str, ...] = KEY_COLUMNS) -> pd.DataFrame:
    """Sum rows with the same key (missing optional values count as one key), in the order of
    each key's first row. Dimensions come out as categoricals (missing = NaN), year as int16,
    counts as int64. The key is built from the columns' integer codes: no text is compared."""
    names = list(keys)
    key = np.zeros(len(frame), dtype=np.int64)
    for column in names:
        values = frame[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            codes = values.cat.codes.to_numpy()
            size = len(values.cat.categories) + 1
        else:
            codes, distinct = pd.factorize(values.to_numpy(), use_na_sentinel=True)
            size = len(distinct) + 1
        if int(key.max(initial=0)) >= (2**62) // size:  # keep the combined key in 64 bits
            key = pd.factorize(key)[0].astype(np.int64)
        key *= size  # in place: a 10M-row file holds a dozen such columns
        key += codes
        key += 1  # missing (-1) is a value of its own
    # rows with one key are neighbours once sorted (a stable sort keeps each key's first row
    # first): no hash table of millions of keys
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    del ordered, key
    counts = frame["headcount"].to_numpy().astype(np.int64)
    if len(starts) == len(frame):  # no two rows share a key: nothing to add up
        out = frame[names].reset_index(drop=True)
        out["headcount"] = counts
    else:
        first = order[starts]
        sums = np.add.reduceat(counts[order], starts)
        by_first = np.argsort(first, kind="stable")  # keys in the order of their first rows
        out = frame[names].take(first[by_first]).reset_index(drop=True)
        out["headcount"] = sums[by_first]
    for column in names:
        if column == "year":
            out[column] = out[column].astype("int16")
        elif not isinstance(out[column].dtype, pd.CategoricalDtype):
            out[column] = out[column].astype("category")
    return out[[*names, "headcount"]]
