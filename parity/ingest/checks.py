"""Checking a file's cells, every problem collected before the file is refused.

``Collector`` gathers the problems of every check (the row as a spreadsheet shows it, the
column, the value) and refuses the file once, listing them in row order. The checks: years
within bounds, entities not empty (spelled as the store spells them), genders and events among
their accepted spellings, grades in the reference ladder, counts written as whole numbers in
digits, and sums of rows that still fit the store's integers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from parity.errors import FileRefused, Problem
from parity.i18n import N_, _, either, number
from parity.ingest.cells import map_category, parse_counts, parse_numbers, reference_spelling
from parity.ingest.contract import EVENT_SPELLINGS, GENDER_SPELLINGS, MAX_COUNT, MAX_YEAR, MIN_YEAR
from parity.reference import Reference, name_key


class Collector:
    """Collects problems; counts all of them but keeps only the first few of each check for the
    message (per check, so that sorting by row still puts the file's first problems first)."""

    def __init__(self, limit: int = 200) -> None:
        self.problems: list[Problem] = []
        self.total = 0
        self.limit = limit

    def add_mask(
        self,
        frame: pd.DataFrame,
        bad: np.ndarray,
        column: str,
        message: str | Callable[[str], str],
    ) -> None:
        hits = np.flatnonzero(bad)
        self.total += len(hits)
        for i in hits[: self.limit]:
            value = str(frame[column].iat[i])
            text = message(value) if callable(message) else message
            if not value.strip():  # a blank cell: one message, whatever the column expects
                text = _("is empty")
            self.problems.append(Problem(int(frame["_row"].to_numpy()[i]), column, value, text))

    def add(self, problem: Problem) -> None:
        self.total += 1
        if len(self.problems) < self.limit:
            self.problems.append(problem)

    def refuse_if_any(self, file_name: str) -> None:
        """Refuse the file when any problem was found, listing them in row order: one message
        per problem (a wide file's row is checked once per count column: said once), and a
        row's empty cells in one message."""
        if not self.total:
            return
        unique = list(dict.fromkeys(self.problems))
        repeated = len(self.problems) - len(unique)
        empty: dict[int | None, list[Problem]] = {}
        kept = []
        is_empty = _("is empty")  # the message of an empty cell, in the language of the request
        for problem in unique:
            if problem.message == is_empty and problem.column is not None:
                empty.setdefault(problem.row, []).append(problem)
            else:
                kept.append(problem)
        merged = sum(len(cells) - 1 for cells in empty.values())
        for row, cells in empty.items():
            if len(cells) == 1:
                kept.append(cells[0])
            else:
                listed = ", ".join(repr(c.column) for c in cells)
                kept.append(
                    Problem(
                        row,
                        None,
                        None,
                        _("empty cells in columns {columns}").format(columns=listed),
                    )
                )
        ordered = sorted(kept, key=lambda p: (p.row or 0, p.column or ""))
        raise FileRefused(file_name, ordered, self.total - repeated - merged)


def check_year_and_entity(
    frame: pd.DataFrame, collector: Collector, entities: Sequence[str] = ()
) -> tuple[np.ndarray, pd.Series]:
    """Years (as floats; whole numbers in range, else a problem) and entities (not empty; an
    entity the store already holds is spelled as the store spells it)."""
    year_values = parse_numbers(frame["year"])
    with np.errstate(invalid="ignore"):
        bad_year = (
            np.isnan(year_values)
            | (np.floor(year_values) != year_values)
            | (year_values < MIN_YEAR)
            | (year_values > MAX_YEAR)
        )
    collector.add_mask(
        frame,
        bad_year,
        "year",
        _("is not a year ({first}-{last})").format(first=MIN_YEAR, last=MAX_YEAR),
    )
    known = {name_key(e): e for e in reversed(list(entities))}  # the first spelling wins
    entity = reference_spelling(frame["entity"], known)
    collector.add_mask(frame, entity.isna().to_numpy(), "entity", _("is empty"))
    return year_values, entity


def _check_category(
    frame: pd.DataFrame,
    collector: Collector,
    column: str,
    mapping: Callable[[str], str | None],
    message: str,
) -> pd.Series:
    """A column's values mapped to the contract's (see map_category); a problem, with
    ``message``, for each value the mapping refuses."""
    mapped = map_category(frame[column], mapping)
    collector.add_mask(frame, mapped.isna().to_numpy(), column, message)
    return mapped


SPELLED = {  # column: its accepted spellings (lower case), what a value not among them is told
    "gender": (
        GENDER_SPELLINGS,
        N_("is not a known gender (use F/Female/Woman, M/Male/Man or X/Other/Unknown)"),
    ),
    # Translators: appointment, promotion and separation are the values the file may hold
    "event": (EVENT_SPELLINGS, N_("is not an event (use appointment, promotion or separation)")),
}


def check_spelling(frame: pd.DataFrame, collector: Collector, column: str) -> pd.Series:
    """A column of SPELLED in the contract's words, whatever the case, else a problem."""
    spellings, message = SPELLED[column]
    return _check_category(frame, collector, column, lambda v: spellings.get(v.lower()), _(message))


def check_grade(frame: pd.DataFrame, collector: Collector, reference: Reference) -> pd.Series:
    """Grades as the reference ladder names them (any alias it knows), else a problem."""
    grade = map_category(frame["grade"], reference.resolve_grade)
    collector.add_mask(
        frame,
        grade.isna().to_numpy(),
        "grade",
        lambda v: _("is not a grade in the reference ladder") + reference.suggest_grade(v),
    )
    return grade


def check_nationality(frame: pd.DataFrame, collector: Collector) -> pd.Series:
    """Nationalities as the country list names them, from any common spelling, English or
    French, or an ISO code (parity.geography); blank where not recorded; an unknown one is a
    problem naming the closest countries."""
    from parity.geography import closest, resolve

    def name(value: str) -> str | None:
        found = resolve(value)
        return found.name if found is not None else None

    def unknown(value: str) -> str:
        near = closest(value)
        if not near:
            return _("is not a country in the reference list")
        return _("is not a country in the reference list; did you mean {countries}?").format(
            countries=either(near)
        )

    given = frame["nationality"]
    blank = given.isna().to_numpy() | (given.astype(str).str.strip() == "").to_numpy()
    resolved = map_category(given.where(~blank), name)
    collector.add_mask(frame, resolved.isna().to_numpy() & ~blank, "nationality", unknown)
    return resolved


def check_counts(frame: pd.DataFrame, collector: Collector) -> np.ndarray:
    """The ``headcount`` column as integers (0 where a count is refused); a problem for each
    count that is not a whole number written in digits from 0 to MAX_COUNT, in the column of the
    file that holds it (a wide file's count column per gender)."""
    count_column = frame.get("_source_column")

    def count_name(i: int) -> str:
        return str(count_column.iat[i]) if count_column is not None else "headcount"

    counts, non_numeric, negative, fractional, too_large, not_digits = parse_counts(
        frame["headcount"]
    )
    for bad, message in (
        (non_numeric, _("is not a number")),
        (negative, _("is negative")),
        (fractional, _("is not a whole number")),
        (not_digits, _("is not a count written in digits (no sign, exponent or separator)")),
        (too_large, _("is too large (at most {maximum})").format(maximum=number(MAX_COUNT))),
    ):
        hits = np.flatnonzero(bad)
        collector.total += len(hits)
        for i in hits[: collector.limit]:
            value = str(frame["headcount"].iat[i])
            collector.problems.append(
                Problem(
                    int(frame["_row"].to_numpy()[i]),
                    count_name(i),
                    value,
                    message if value.strip() else _("is empty"),
                )
            )
    return counts


def within_maximum(frame: pd.DataFrame, file_name: str) -> pd.DataFrame:
    """Rows with the same key are summed: each sum must fit the store's 32-bit integers on every
    database (SQLite would take more; PostgreSQL would not)."""
    over = frame[frame["headcount"] > MAX_COUNT]
    if over.empty:
        return frame
    problems = [
        Problem(
            None,
            "headcount",
            str(int(row["headcount"])),
            _("is the sum of the rows for {entity}, {grade}, {year}: more than {maximum}").format(
                entity=row["entity"],
                grade=row["grade"],
                year=row["year"],
                maximum=number(MAX_COUNT),
            ),
        )
        for _index, row in over.head(20).iterrows()
    ]
    raise FileRefused(file_name, problems, total=len(over))
