"""The data contract: the single list of column names, and how a file's header is read.

The canonical columns of each kind of file (STORED_COLUMNS for staffing snapshots, FLOW_COLUMNS
for appointments, promotions and separations, TARGET_COLUMNS for a parity plan's targets;
KEY_COLUMNS, the key whose rows are summed), the dimensions of the analysis frame, the spellings
accepted for column names (English and French), genders and events, the bounds of years and
counts, and the reading of a header: a column's name as the contract names it, which of a file's
first rows is its header, what kind of file its columns make, and the signature of files of one
source.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from parity.i18n import _

REQUIRED = ("year", "entity", "grade", "gender", "headcount")
OPTIONAL_DIMENSIONS = (
    "duty_station",
    "country",
    "category",
    "age_band",
    "contract_type",
    "personnel_type",
    "nationality",
)
STORED_COLUMNS = ("year", "entity", "grade", "gender", *OPTIONAL_DIMENSIONS, "headcount")
KEY_COLUMNS = tuple(c for c in STORED_COLUMNS if c != "headcount")
# Dimensions of the analysis frame: the stored ones plus region and location (HQ / Field),
# derived from the duty-station reference, and a nationality's region (UN M49) and UN regional
# group, derived from the country list (parity.geography).
DIMENSIONS = (
    "entity",
    "grade",
    "category",
    "duty_station",
    "country",
    "region",
    "location",
    "age_band",
    "contract_type",
    "personnel_type",
    "nationality",
    "nationality_region",
    "regional_group",
)
LOCATIONS = ("HQ", "Field")

GENDERS = ("F", "M", "X")
GENDER_SPELLINGS = {
    **dict.fromkeys(("f", "female", "woman", "w", "women", "femme", "féminin", "feminin"), "F"),
    **dict.fromkeys(("m", "male", "man", "men", "homme", "masculin"), "M"),
    **dict.fromkeys(
        (
            "x",
            "other",
            "non-binary",
            "nonbinary",
            "unknown",
            "not disclosed",
            "not specified",
            "unspecified",
            "prefer not to say",
            "not stated",
            "undisclosed",
            "autre",
            "non spécifié",
            "non specifie",
            "non précisé",
            "non precise",
            "inconnu",
        ),
        "X",
    ),
}
# Wide files: one count column per gender instead of gender + headcount.
WIDE_COLUMNS = {
    "women": "F", "f": "F", "female": "F",
    "men": "M", "m": "M", "male": "M",
    "other": "X", "x": "X",
}  # fmt: skip
COLUMN_ALIASES = {
    "sex": "gender",
    "count": "headcount",
    "head_count": "headcount",
    "staff": "headcount",
    "number": "headcount",
    "organization": "entity",
    "organisation": "entity",
    "agency": "entity",
    "level": "grade",
    "staff_category": "category",
    "age": "age_band",
    "age_group": "age_band",
    "contract": "contract_type",
    "appointment_type": "contract_type",
    "personnel": "personnel_type",
    "station": "duty_station",
    "citizenship": "nationality",
    "country_of_nationality": "nationality",
    "nationality_code": "nationality",
    "nationalite": "nationality",
    "pays_de_nationalite": "nationality",
    "event_type": "event",
    "movement": "event",
    "flow": "event",
    "target": "target_share",
    "target_women_share": "target_share",
    "tolerance": "margin",
    # French exports
    "annee": "year",
    "entite": "entity",
    "sexe": "gender",
    "genre": "gender",
    "niveau": "grade",
    "classe": "grade",
    "lieu_d_affectation": "duty_station",
    "lieu_d'affectation": "duty_station",
    "pays": "country",
    "effectif": "headcount",
    "effectifs": "headcount",
    "nombre": "headcount",
    "femmes": "women",
    "hommes": "men",
    "categorie": "category",
    "tranche_d_age": "age_band",
    "type_de_contrat": "contract_type",
    # person-level lists: the snapshot's date gives the year, a date of birth the age band
    "snapshot_date": "date",
    "as_of": "date",
    "as_of_date": "date",
    "reporting_date": "date",
    "report_date": "date",
    "date_du_rapport": "date",
    "dob": "date_of_birth",
    "birth_date": "date_of_birth",
    "birthdate": "date_of_birth",
    "date_de_naissance": "date_of_birth",
}
AGE_BANDS = ((30, "Under 30"), (40, "30-39"), (50, "40-49"), (60, "50-59"), (200, "60 and over"))
TOTAL_WORDS = re.compile(
    r"^(?:(?P<grand>grand[\s_-]*total|total[\s_-]*g[ée]n[ée]ral|totaux?)"
    r"|(?:.*[\s_-])?(?:sub[\s_-]*total|sous[\s_-]*total|total))$",
    re.IGNORECASE,
)
MIN_YEAR, MAX_YEAR = 1945, 2100
MAX_COUNT = 2**31 - 1  # counts are stored as 32-bit integers

# Flow files: events between the snapshot of year t-1 and that of year t, recorded for year t.
EVENTS = ("appointment", "promotion", "separation")
EVENT_SPELLINGS = {
    **dict.fromkeys(
        (
            "appointment",
            "appointments",
            "hire",
            "hires",
            "hiring",
            "recruitment",
            "entry",
            "entries",
            "appointed",
        ),
        "appointment",
    ),
    **dict.fromkeys(("promotion", "promotions", "promoted"), "promotion"),
    **dict.fromkeys(
        (
            "separation",
            "separations",
            "exit",
            "exits",
            "departure",
            "departures",
            "leaver",
            "leavers",
            "separated",
        ),
        "separation",
    ),
}
FLOW_COLUMNS = ("year", "entity", "grade", "gender", "event", *OPTIONAL_DIMENSIONS, "count")
TARGET_COLUMNS = ("entity", "grade", "year", "target_share", "margin")
KINDS = ("staff", "flows", "targets")


KNOWN_COLUMNS = {
    *STORED_COLUMNS, *FLOW_COLUMNS, *TARGET_COLUMNS, *WIDE_COLUMNS, "date", "date_of_birth",
    "location", "region",
}  # fmt: skip


def named_columns(raw: pd.DataFrame) -> list[str]:
    """A table's column names as the file has them, without the placeholders a reader gives a
    column with no name ("Unnamed: 3")."""
    return [str(c) for c in raw.columns if c != "_row" and not str(c).startswith("Unnamed:")]


def where_read(raw: pd.DataFrame) -> str:
    """Where the header was read: " (header in row 3 of sheet 'Data'; the workbook's sheets:
    'Read me', 'Data')" for a workbook, " (header in row 3)" for a file with rows above it."""
    header = int(raw.attrs.get("header_row", 1))
    sheet = raw.attrs.get("sheet")
    if sheet is not None:
        sheets = ", ".join(repr(str(s)) for s in raw.attrs.get("sheets", [sheet]))
        return " " + _(
            "(header in row {row} of sheet {sheet}; the workbook's sheets: {sheets})"
        ).format(row=header, sheet=repr(sheet), sheets=sheets)
    return " " + _("(header in row {row})").format(row=header) if header > 1 else ""


def header_score(cells: Sequence[object]) -> int:
    """How many of a row's cells name a column of the contract: the header row of a file is the
    first row of its first 20 with the highest score."""
    known = {*STORED_COLUMNS, *FLOW_COLUMNS, *TARGET_COLUMNS, *WIDE_COLUMNS}
    return len({n for n in (normalise_column_name(c) for c in cells) if n in known})


def normalise_column_name(name: object) -> str:
    """``' Duty Station '`` -> ``duty_station``, ``Année`` -> ``year``; known synonyms (English
    and French) map to the contract's names."""
    import unicodedata

    text = unicodedata.normalize("NFKD", str(name).strip().lower().lstrip("\ufeff"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[\s\-/]+", "_", text)
    return COLUMN_ALIASES.get(text, text)


def file_kind(columns: list[str]) -> str:
    """What a file holds, from its (normalised) columns: flows have an ``event`` column, targets
    a ``target_share`` column; anything else is a staffing snapshot."""
    names = {normalise_column_name(c) for c in columns}
    if "event" in names:
        return "flows"
    if "target_share" in names:
        return "targets"
    return "staff"


def header_signature(columns: Sequence[object]) -> str:
    """What identifies files of one source: their column names, normalised and sorted."""
    names = sorted(
        normalise_column_name(c)
        for c in columns
        if c != "_row" and not str(c).startswith("Unnamed:")
    )
    return "|".join(names)[:2000]
