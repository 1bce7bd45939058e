"""An entity's submission beside its published history, as the round's checks read it: the
submission's latest year and the latest published year, people per grade and per duty station
on each side, women and men of a grade, and the reference's order of grades (top of the ladder
first, grades the ladder does not know last, by name).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from parity.reference import Reference


def latest_year(frame: pd.DataFrame) -> tuple[int, pd.DataFrame]:
    """The frame's latest year and its rows."""
    year = int(frame["year"].max())
    return year, frame[frame["year"] == year]


def has_stations(frame: pd.DataFrame) -> bool:
    """Whether any row of the frame has a duty station."""
    return "duty_station" in frame.columns and bool(frame["duty_station"].notna().any())


def _people_by(frame: pd.DataFrame, column: str) -> dict[str, int]:
    """People per value of ``column`` (rows without a value left out), values with people only."""
    known = frame[frame[column].notna()]
    sums = known.groupby(known[column].astype(str))["headcount"].sum()
    return {str(k): int(v) for k, v in sums.items() if v > 0}


def _by_gender(frame: pd.DataFrame, value: str, column: str = "grade") -> tuple[int, int]:
    """(women, men) of a grade (or of a value of ``column``, a duty station)."""
    rows = frame[frame[column].astype(str) == value]
    women = int(rows.loc[rows["gender"] == "F", "headcount"].sum())
    men = int(rows.loc[rows["gender"] == "M", "headcount"].sum())
    return women, men


@dataclass(frozen=True)
class Comparison:
    """An entity's submission beside its published history: the submission's latest ``year``
    and its rows (``now``), the previous latest year (``before_year``) and its rows (``then``),
    all the published rows (``history``), people per grade on both sides, and the reference's
    order of grades (grade -> rank on the ladder)."""

    entity: str
    year: int
    now: pd.DataFrame
    before_year: int
    then: pd.DataFrame
    history: pd.DataFrame
    grades_now: dict[str, int]
    grades_then: dict[str, int]
    order: dict[str, int]

    @classmethod
    def of(
        cls,
        entity: str,
        year: int,
        now: pd.DataFrame,
        history: pd.DataFrame,
        reference: Reference,
    ) -> Comparison:
        """The comparison of a submission's latest year with a non-empty ``history``."""
        before_year, then = latest_year(history)
        return cls(
            entity,
            year,
            now,
            before_year,
            then,
            history,
            _people_by(now, "grade"),
            _people_by(then, "grade"),
            {grade: rank for rank, grade in enumerate(reference.ladder)},
        )

    def sorted_grades(self, grades: Iterable[str]) -> list[str]:
        """Top of the ladder first; grades the ladder does not know last, by name."""
        return sorted(grades, key=lambda g: (self.order.get(g, len(self.order)), g))

    def appearing_grades(self) -> list[str]:
        """Grades with people now, none in the previous latest year."""
        return self.sorted_grades(self.grades_now.keys() - self.grades_then.keys())

    def vanishing_grades(self) -> list[str]:
        """Grades with people in the previous latest year, none now."""
        return self.sorted_grades(self.grades_then.keys() - self.grades_now.keys())

    def ever_used(self) -> set[str]:
        """The grades with people in any published year."""
        return set(_people_by(self.history, "grade"))

    def published_years(self) -> str:
        """The published years, as one year or a range: "2024", "2019-2024"."""
        published = sorted({int(y) for y in self.history["year"].unique()})
        return str(published[0]) if len(published) == 1 else f"{published[0]}-{published[-1]}"

    def stations(self) -> tuple[dict[str, int], dict[str, int]] | None:
        """People per duty station (previous latest year, now), when both sides have duty
        stations; else None: duty stations are then not compared."""
        if not (has_stations(self.then) and has_stations(self.now)):
            return None
        return _people_by(self.then, "duty_station"), _people_by(self.now, "duty_station")

    def women_and_men(
        self, value: str, column: str = "grade"
    ) -> tuple[tuple[int, int], tuple[int, int]]:
        """(women, men) of a grade (or a duty station) in the previous latest year, then now."""
        return _by_gender(self.then, value, column), _by_gender(self.now, value, column)
