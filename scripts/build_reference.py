"""Build the reference tables in data/reference/ from the CEB HR code lists.

Usage: python scripts/build_reference.py [CEB_DIR]

CEB_DIR defaults to ../shared/reference/ceb-hr-codes (a copy of CEB-HLCM/HR-Public-Codes).
The outputs are committed, so the app never needs the CEB files at run time.

- grades.csv: every non-obsolete CEB grade, spelled the way people write it (``G5`` -> ``G-5``,
  ``NOA`` -> ``NO-A``), with its CEB group, its rank inside the group, our staff category and one
  global ``rank`` (1 = top of the ladder) so that charts can order the pipeline.
- duty_stations.csv: every CEB duty station (deduplicated by name and country) with country,
  region, subregion, coordinates, an ``is_hq`` flag for the headquarters duty stations of the UN
  system and a ``main`` flag for the main duty stations, preferred when a name is ambiguous.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "reference"

GROUP_ORDER = {
    "International Professional": 0,
    "National Professional": 1,
    "Field Service": 2,
    "General Service": 3,
}
# Headquarters duty stations of the UN system: the four Secretariat headquarters and the seats
# of the specialised agencies, funds and programmes. Everything else counts as field.
HQ_STATIONS = {
    ("New York", "United States of America"),
    ("Geneva", "Switzerland"),
    ("Vienna", "Austria"),
    ("Nairobi", "Kenya"),
    ("Rome", "Italy"),
    ("Paris", "France"),
    ("Washington", "United States of America"),
    ("Copenhagen", "Denmark"),
    ("Bonn", "Germany"),
    ("Montreal", "Canada"),
    ("The Hague", "Netherlands"),
    ("Madrid", "Spain"),
    ("London", "United Kingdom of Great Britain and Northern Ireland"),
    ("Bern", "Switzerland"),
}
# Main field duty stations (used by the demo data and to settle ambiguous names).
MAIN_FIELD = {
    "Addis Ababa": "Ethiopia",
    "Bangkok": "Thailand",
    "Santiago": "Chile",
    "Beirut": "Lebanon",
    "Juba": "South Sudan",
    "Kabul": "Afghanistan",
    "Goma": "Democratic Republic of the Congo",
    "Kinshasa": "Democratic Republic of the Congo",
    "Bamako": "Mali",
    "Amman": "Jordan",
    "Dakar": "Senegal",
    "Cairo": "Egypt",
    "Gaza": "State of Palestine",
    "Port-Au-Prince": "Haiti",
    "Erbil": "Iraq",
    "Baghdad": "Iraq",
    "Mogadishu": "Somalia",
    "Khartoum": "Sudan",
    "Damascus": "Syrian Arab Republic",
    "Islamabad": "Pakistan",
    "Dhaka": "Bangladesh",
    "New Delhi": "India",
    "Jakarta": "Indonesia",
    "Manila": "Philippines",
    "Beijing": "China",
    "Pretoria": "South Africa",
    "Brasilia": "Brazil",
    "Bogota": "Colombia",
    "Lima": "Peru",
    "Mexico City": "Mexico",
    "Istanbul": "Türkiye",
    "Tunis": "Tunisia",
    "Abuja": "Nigeria",
    "Kampala": "Uganda",
    "Harare": "Zimbabwe",
    "Lusaka": "Zambia",
    "Maputo": "Mozambique",
    "Bangui": "Central African Republic",
    "Niamey": "Niger",
    "Ndjamena": "Chad",
    "Kyiv": "Ukraine",
    "Tbilisi": "Georgia",
    "Tashkent": "Uzbekistan",
    "Yangon": "Myanmar",
    "Suva": "Fiji",
    "Kathmandu": "Nepal",
    "Colombo": "Sri Lanka",
}

# Grades of the UN common system ladder come first when CEB gives two grades the same rank.
_COMMON_LADDER = re.compile(r"^(SG|DSG|USG|ASG|UG|D-\d|P-\d|NO-[A-E]|FS-\d|G-\d+[AB]?)$")
_HYPHENATE = re.compile(r"^(G|FS|NO|TC|IA|IN|LT|TR|R)-?(\d+[AB]?|[A-E])$")


def canonical_grade(code: str) -> str:
    """CEB code -> the spelling used in the product (``G5`` -> ``G-5``, ``NOA`` -> ``NO-A``)."""
    code = code.strip()
    return _HYPHENATE.sub(r"\1-\2", code)


def staff_category(grade: str, group: str, order: int) -> str:
    if group == "International Professional":
        if grade.startswith("D-"):
            return "Directors"
        if order <= 3:
            return "Senior leadership"
        return "Professional"
    return {
        "National Professional": "National Professional",
        "Field Service": "Field Service",
        "General Service": "General Service",
    }[group]


def _level(grade: str) -> int:
    """Tie-break inside a CEB rank: the higher number is the higher grade (P-7 above P-5)."""
    digits = re.findall(r"\d+", grade)
    return int(digits[-1]) if digits else 0


def build_grades(ceb: Path) -> pd.DataFrame:
    raw = pd.read_csv(ceb / "GRADE.csv", dtype=str).apply(lambda s: s.str.strip())
    raw = raw[raw["OBSOLETE"] == "0"]
    rows = []
    for rec in raw.itertuples(index=False):
        grade = canonical_grade(rec.GRADE)
        order = int(rec.ORDER)
        rows.append(
            {
                "grade": grade,
                "name": rec.NAME,
                "ceb_code": rec.GRADE,
                "ceb_group": rec.GROUP,
                "group_rank": order,
                "category": staff_category(grade, rec.GROUP, order),
                "_g": GROUP_ORDER[rec.GROUP],
                "_lvl": _level(grade),
                "_common": 0 if _COMMON_LADDER.match(grade) else 1,
            }
        )
    grades = pd.DataFrame(rows).drop_duplicates("grade")
    grades = grades.sort_values(
        ["_g", "group_rank", "_common", "_lvl", "grade"], ascending=[1, 1, 1, 0, 1]
    )
    grades["rank"] = range(1, len(grades) + 1)
    return grades.drop(columns=["_g", "_lvl", "_common"]).reset_index(drop=True)


def build_duty_stations(ceb: Path) -> pd.DataFrame:
    raw = pd.read_csv(ceb / "DSCITYCD.csv", dtype=str, keep_default_na=False)
    raw = raw[raw["OBSOLETE"].str.strip() == "0"].copy()
    for col in ("CITY_NAME", "COUNTRY_NAME", "REGION", "SUBREGION"):
        raw[col] = raw[col].str.strip()
    raw = raw.drop_duplicates(["CITY_NAME", "COUNTRY_NAME"])
    stations = pd.DataFrame(
        {
            "duty_station": raw["CITY_NAME"],
            "country": raw["COUNTRY_NAME"],
            "region": raw["REGION"],
            "subregion": raw["SUBREGION"],
            "latitude": pd.to_numeric(raw["LATITUDE"], errors="coerce").round(4),
            "longitude": pd.to_numeric(raw["LONGITUDE"], errors="coerce").round(4),
        }
    )
    pairs = list(zip(stations["duty_station"], stations["country"], strict=True))
    stations["is_hq"] = [int(p in HQ_STATIONS) for p in pairs]
    stations["main"] = [int(p in HQ_STATIONS or MAIN_FIELD.get(p[0]) == p[1]) for p in pairs]
    missing = {f"{c} ({k})" for c, k in HQ_STATIONS} | {f"{c} ({k})" for c, k in MAIN_FIELD.items()}
    missing -= {f"{c} ({k})" for c, k in pairs}
    if missing:
        raise SystemExit(f"main duty stations not in the CEB list: {sorted(missing)}")
    return stations.sort_values(["duty_station", "country"]).reset_index(drop=True)


def main() -> None:
    ceb = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared/reference/ceb-hr-codes"
    OUT.mkdir(parents=True, exist_ok=True)
    build_grades(ceb).to_csv(OUT / "grades.csv", index=False)
    build_duty_stations(ceb).to_csv(OUT / "duty_stations.csv", index=False)
    print(f"wrote {OUT / 'grades.csv'} and {OUT / 'duty_stations.csv'}")


if __name__ == "__main__":
    main()
