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

from parity import i18n
from parity.i18n import _

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


def name_key(text: str) -> str:
    """Case-, accent- and spacing-insensitive key of a name: ``NEW  YORK``, ``new-york`` and
    ``New York`` all give ``new york``; ``Genève`` gives ``geneve``."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


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

    def resolve_grade(self, text: str) -> str | None:
        """The ladder's grade for a spelling: any alias it knows (``p-5``, ``P5``), General
        Service written GS (``GS-5``, ``GS5`` -> ``G-5``), levels padded with zeros (``P04`` ->
        ``P-4``, ``GS05`` -> ``G-5``); None when it is none of these."""
        key = grade_key(text)
        if key in self.grade_aliases:
            return self.grade_aliases[key]
        match = re.fullmatch(r"([A-Z]+?)(?:-?)0*([0-9]+)([A-Z]?)", key)
        if match is None:
            return None
        letters, level, suffix = match.groups()
        for prefix in (letters, "G" if letters == "GS" else letters):
            found = self.grade_aliases.get(f"{prefix}{level}{suffix}")
            if found is not None:
                return found
        return None

    def suggest_grade(self, text: str) -> str:
        """'; did you mean P-4 or P-5?' for a grade the ladder does not know (empty when no
        grade is close)."""
        import difflib

        key = grade_key(text)
        match = re.fullmatch(r"([A-Z]+?)0*([0-9]+)", key)
        names: list[str] = []
        if match is not None:  # the same series, nearest levels first: P-9 -> P-7, P-6
            letters, level = match.group(1), int(match.group(2))
            series = {"G" if letters == "GS" else letters}
            levels = [
                (abs(int(m.group(2)) - level), grade)
                for k, grade in self.grade_aliases.items()
                if (m := re.fullmatch(r"([A-Z]+?)([0-9]+)", k)) and m.group(1) in series
            ]
            names = list(dict.fromkeys(g for _, g in sorted(levels)))[:2]
        if not names:
            close = difflib.get_close_matches(key, list(self.grade_aliases), n=6, cutoff=0.5)
            names = list(dict.fromkeys(self.grade_aliases[k] for k in close))[:3]
        if not names:
            return ""
        return _("; did you mean {grades}?").format(grades=i18n.either(names))

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

    @cached_property
    def station_spellings(self) -> dict[str, str]:
        """name_key -> the reference's spelling of a duty station (main stations first)."""
        st = self.duty_stations.sort_values("main", ascending=False, kind="stable")
        return {name_key(n): n for n in reversed(list(st["duty_station"]))}

    @cached_property
    def country_spellings(self) -> dict[str, str]:
        """name_key -> the reference's spelling of a country."""
        return {name_key(c): c for c in self.duty_stations["country"].unique() if c}

    def closest_stations(self, text: str, n: int = 3) -> list[str]:
        """Known duty stations whose names are closest to ``text`` (for an unknown one)."""
        import difflib

        keys = difflib.get_close_matches(name_key(text), list(self.station_spellings), n, 0.75)
        return [self.station_spellings[k] for k in keys]

    def station_info(self, names: pd.Index) -> pd.DataFrame:
        """Country, region, coordinates and HQ flag for duty-station names (NaN when unknown)."""
        info = self.station_lookup.reindex([str(n).lower() for n in names])
        info.index = names
        return info[["country", "region", "latitude", "longitude", "is_hq"]]
