"""Reference tables shipped in data/reference/: the grade ladder and the duty stations.

Both are built from the UN CEB HR code lists by scripts/build_reference.py. The ladder (order and
staff category of every grade) comes from that table, never from a hand-typed list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
REFERENCE_DIR = DATA_DIR / "reference"

STAFF_CATEGORIES = (
    "Senior leadership",
    "Directors",
    "Professional",
    "National Professional",
    "Field Service",
    "General Service",
)
# Glass-ceiling index: "top grades" are D-1 and above (DOMAIN.md).
TOP_GRADE_FLOOR = "D-1"


def grade_key(text: str) -> str:
    """Spelling-insensitive key of a grade: ``P5``, ``p-5``, ``P 5`` and ``P-5`` all give ``P5``."""
    return re.sub(r"[^A-Z0-9]", "", text.upper())


@dataclass(frozen=True)
class Reference:
    """The reference tables, read once from CSV files."""

    grades: pd.DataFrame
    duty_stations: pd.DataFrame

    @classmethod
    def load(cls, directory: Path = REFERENCE_DIR) -> Reference:
        grades = pd.read_csv(directory / "grades.csv", dtype={"grade": str})
        stations = pd.read_csv(directory / "duty_stations.csv", keep_default_na=False)
        stations["latitude"] = pd.to_numeric(stations["latitude"], errors="coerce")
        stations["longitude"] = pd.to_numeric(stations["longitude"], errors="coerce")
        return cls(grades=grades, duty_stations=stations)

    @cached_property
    def grade_aliases(self) -> dict[str, str]:
        """Spelling key -> canonical grade, from both our spelling and CEB's."""
        aliases: dict[str, str] = {}
        for grade, ceb in zip(self.grades["grade"], self.grades["ceb_code"], strict=True):
            aliases.setdefault(grade_key(ceb), grade)
            aliases[grade_key(grade)] = grade
        return aliases

    @cached_property
    def ladder(self) -> list[str]:
        """All grades from the top of the ladder (rank 1) down."""
        return list(self.grades.sort_values("rank")["grade"])

    @cached_property
    def grade_category(self) -> dict[str, str]:
        return dict(zip(self.grades["grade"], self.grades["category"], strict=True))

    @cached_property
    def top_grades(self) -> list[str]:
        """International grades at or above D-1: the 'top' of the glass-ceiling index."""
        floor = int(self.grades.loc[self.grades["grade"] == TOP_GRADE_FLOOR, "rank"].iloc[0])
        top = self.grades[
            (self.grades["rank"] <= floor)
            & (self.grades["ceb_group"] == "International Professional")
        ]
        return list(top["grade"])

    @cached_property
    def station_lookup(self) -> pd.DataFrame:
        """One row per duty-station name (lower case), main stations preferred on ties."""
        st = self.duty_stations.assign(key=self.duty_stations["duty_station"].str.lower())
        st = st.sort_values(["key", "main"], ascending=[True, False])
        return st.drop_duplicates("key").set_index("key")

    def station_info(self, names: pd.Index) -> pd.DataFrame:
        """Country, region, coordinates and HQ flag for duty-station names (NaN when unknown)."""
        info = self.station_lookup.reindex([str(n).lower() for n in names])
        info.index = names
        return info[["country", "region", "latitude", "longitude", "is_hq"]]
