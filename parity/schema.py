"""The data contract: column names, accepted spellings, and validation of an incoming table.

This is the single list of column names. A file is validated once, here, at the edge: every
problem is collected (row as a person sees it in a spreadsheet, column, value) and the whole file is
refused if there is any. What passes comes out in one canonical shape:

    year (int16), entity, grade, gender (F/M/X), headcount (int64) + the optional dimensions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from parity.errors import FileRefused, MissingColumns, Problem
from parity.i18n import N_, _, ngettext, number
from parity.reference import Reference, name_key
from parity.wording import count, listing

REQUIRED = ("year", "entity", "grade", "gender", "headcount")
OPTIONAL_DIMENSIONS = (
    "duty_station",
    "country",
    "category",
    "age_band",
    "contract_type",
    "personnel_type",
)
STORED_COLUMNS = ("year", "entity", "grade", "gender", *OPTIONAL_DIMENSIONS, "headcount")
KEY_COLUMNS = tuple(c for c in STORED_COLUMNS if c != "headcount")
# Dimensions of the analysis frame: the stored ones plus region and location (HQ / Field),
# derived from the duty-station reference.
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


class _Collector:
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


def _as_category(values: pd.Series) -> pd.Series:
    """Trimmed text as a categorical: each distinct value is trimmed once (a million rows hold
    a few hundred distinct values)."""
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    trimmed, positions = pd.factorize(pd.Index(distinct, dtype=object).astype(str).str.strip())
    lookup = np.append(trimmed, -1)  # a missing value (-1) stays missing
    return pd.Series(
        pd.Categorical.from_codes(lookup[codes], categories=pd.Index(positions, dtype=object)),
        index=values.index,
    )


def _map_category(values: pd.Series, mapping: Callable[[str], str | None]) -> pd.Series:
    """Map each distinct value once (files have few distinct values and many rows); a value
    the mapping refuses (None) becomes missing. Returns a categorical Series."""
    cat = _as_category(values)
    mapped = [mapping(str(c)) for c in cat.cat.categories]
    targets = sorted({m for m in mapped if m is not None})
    position = {t: i for i, t in enumerate(targets)}
    lookup = np.array([*(position.get(m, -1) if m is not None else -1 for m in mapped), -1])
    codes = lookup[cat.cat.codes.to_numpy()]
    return pd.Series(
        pd.Categorical.from_codes(codes, categories=pd.Index(targets, dtype=object)),
        index=values.index,
    )


def _parse_numbers(values: pd.Series) -> np.ndarray:
    """Numbers from text, parsing each distinct text once (NaN where it is not a number)."""
    cat = _as_category(values)
    numbers = pd.to_numeric(pd.Series(cat.cat.categories), errors="coerce").to_numpy(
        dtype="float64", na_value=np.nan
    )
    return np.append(numbers, np.nan)[cat.cat.codes.to_numpy()]


def _reference_spelling(values: pd.Series, spellings: dict[str, str]) -> pd.Series:
    """Names as the reference list spells them, whatever the case, accents and spacing typed
    ("NEW YORK" -> "New York"); a name it does not know keeps its own spelling, its spaces
    tidied. Empty is missing."""

    def spelled(value: str) -> str | None:
        tidy = " ".join(value.split())
        return spellings.get(name_key(tidy), tidy) if tidy else None

    return _map_category(values, spelled)


def _text_category(values: pd.Series) -> pd.Series:
    """Trimmed text as a categorical; empty text is missing."""
    cat = _as_category(values)
    if "" in cat.cat.categories:
        cat = cat.cat.remove_categories([""])
    return cat


DIGITS = r"[0-9]+(?:\.0*)?"  # a count as people write it: digits, perhaps a spreadsheet's ".0"


def _parse_counts(
    values: pd.Series,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Parse count strings. Returns (counts, non_numeric, negative, fractional, too_large,
    not_digits) arrays. 'inf' is not a number, a count must fit the store's 32-bit integers,
    and it is written in digits: '1e9' and '+5' are numbers, but not counts anyone types."""
    numbers = _parse_numbers(values)
    cat = _as_category(values)
    plain = pd.Series(cat.cat.categories).astype(str).str.fullmatch(DIGITS).to_numpy(dtype=bool)
    written = np.append(plain, False)[cat.cat.codes.to_numpy()]
    non_numeric = ~np.isfinite(numbers)
    with np.errstate(invalid="ignore"):
        negative = ~non_numeric & (numbers < 0)
        fractional = ~non_numeric & ~negative & (np.floor(numbers) != numbers)
        not_digits = ~non_numeric & ~negative & ~fractional & ~written
        too_large = ~non_numeric & ~fractional & ~not_digits & (numbers > MAX_COUNT)
    bad = non_numeric | negative | fractional | too_large | not_digits
    counts = np.where(bad, 0, numbers).astype("int64")
    return counts, non_numeric, negative, fractional, too_large, not_digits


def _check_year_and_entity(
    frame: pd.DataFrame, collector: _Collector, entities: Sequence[str] = ()
) -> tuple[np.ndarray, pd.Series]:
    """Years (as floats; whole numbers in range, else a problem) and entities (not empty; an
    entity the store already holds is spelled as the store spells it)."""
    year_values = _parse_numbers(frame["year"])
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
    entity = _reference_spelling(frame["entity"], known)
    collector.add_mask(frame, entity.isna().to_numpy(), "entity", _("is empty"))
    return year_values, entity


def _check_category(
    frame: pd.DataFrame,
    collector: _Collector,
    column: str,
    mapping: Callable[[str], str | None],
    message: str,
) -> pd.Series:
    """A column's values mapped to the contract's (see _map_category); a problem, with
    ``message``, for each value the mapping refuses."""
    mapped = _map_category(frame[column], mapping)
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


def _check_spelling(frame: pd.DataFrame, collector: _Collector, column: str) -> pd.Series:
    """A column of SPELLED in the contract's words, whatever the case, else a problem."""
    spellings, message = SPELLED[column]
    return _check_category(frame, collector, column, lambda v: spellings.get(v.lower()), _(message))


def _check_grade(frame: pd.DataFrame, collector: _Collector, reference: Reference) -> pd.Series:
    """Grades as the reference ladder names them (any alias it knows), else a problem."""
    grade = _map_category(frame["grade"], reference.resolve_grade)
    collector.add_mask(
        frame,
        grade.isna().to_numpy(),
        "grade",
        lambda v: _("is not a grade in the reference ladder") + reference.suggest_grade(v),
    )
    return grade


def _melt_wide(frame: pd.DataFrame, wide: dict[str, str]) -> pd.DataFrame:
    parts = []
    for column, gender in wide.items():
        part = frame.drop(columns=list(wide)).assign(gender=gender, headcount=frame[column])
        part["_source_column"] = column
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def file_kind(columns: list[str]) -> str:
    """What a file holds, from its (normalised) columns: flows have an ``event`` column, targets
    a ``target_share`` column; anything else is a staffing snapshot."""
    names = {normalise_column_name(c) for c in columns}
    if "event" in names:
        return "flows"
    if "target_share" in names:
        return "targets"
    return "staff"


def _renamed(raw: pd.DataFrame, file_name: str) -> pd.DataFrame:
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


def validate(
    raw: pd.DataFrame,
    file_name: str,
    reference: Reference,
    kind: str = "staff",
    notes: list[str] | None = None,
    entities: Sequence[str] = (),
) -> pd.DataFrame:
    """Validate and normalise a raw table of strings (plus a ``_row`` column of spreadsheet rows).

    Accepts long (gender + headcount), wide (Women/Men/Other count columns) and person-level
    (no count column: one row per person) shapes. Rows with the same key are summed; a missing
    category is derived from the grade. Raises FileRefused listing every problem.

    ``kind="flows"``: the same rules plus an ``event`` column (appointment, promotion into the
    grade given, separation); the counts come out in a ``count`` column.

    ``notes`` receives what was done beyond the contract's columns, for the preview: totals
    left out, the year taken from a date, age bands from dates of birth, columns ignored.
    """
    notes = [] if notes is None else notes
    if kind == "targets":
        return validate_targets(raw, file_name, reference, entities)
    frame = _renamed(raw, file_name)
    if frame.empty:
        raise FileRefused(file_name, [Problem(None, None, None, _("the file has no data rows"))])
    given = {normalise_column_name(c): str(c) for c in raw.columns if c != "_row"}
    frame = _drop_totals(frame, file_name, given, notes)
    frame = _dates(frame, file_name, given, notes)
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

    collector = _Collector()
    count_column = frame.get("_source_column")

    def count_name(i: int) -> str:
        return str(count_column.iat[i]) if count_column is not None else "headcount"

    year_values, entity = _check_year_and_entity(frame, collector, entities)

    gender = _check_spelling(frame, collector, "gender")
    grade = _check_grade(frame, collector, reference)
    event = _check_spelling(frame, collector, "event") if kind == "flows" else None

    # counts
    counts, non_numeric, negative, fractional, too_large, not_digits = _parse_counts(
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

    collector.refuse_if_any(file_name)

    # Categorical columns all the way: a million text values are never copied one by one.
    clean = pd.DataFrame(
        {
            "year": year_values.astype("int16"),
            "entity": entity.array,
            "grade": grade.array,
            "gender": gender.array,
        }
    )
    spellings = {
        "duty_station": reference.station_spellings,
        "country": reference.country_spellings,
    }
    for column in OPTIONAL_DIMENSIONS:
        if column in spellings and column in frame.columns:
            clean[column] = _reference_spelling(frame[column], spellings[column]).array
        elif column in frame.columns:
            clean[column] = _text_category(frame[column]).array
        else:
            clean[column] = pd.Categorical(
                [None] * len(clean), categories=pd.Index([], dtype=object)
            )
    clean["category"] = _fill_category(clean["category"], clean["grade"], reference)
    clean["headcount"] = counts
    if event is None:
        return _within_maximum(summed(clean), file_name)
    clean.insert(4, "event", event.to_numpy(dtype=object))
    flows = _within_maximum(
        summed(clean, keys=(*KEY_COLUMNS[:4], "event", *KEY_COLUMNS[4:])), file_name
    )
    return flows.rename(columns={"headcount": "count"})[list(FLOW_COLUMNS)]


def _within_maximum(frame: pd.DataFrame, file_name: str) -> pd.DataFrame:
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


KNOWN_COLUMNS = {
    *STORED_COLUMNS, *FLOW_COLUMNS, *TARGET_COLUMNS, *WIDE_COLUMNS, "date", "date_of_birth",
    "location", "region",
}  # fmt: skip


def _numbers(values: pd.Series) -> np.ndarray:
    return pd.to_numeric(values.astype(str).str.strip(), errors="coerce").to_numpy(dtype=float)


def _drop_totals(
    frame: pd.DataFrame, file_name: str, names: dict[str, str], notes: list[str]
) -> pd.DataFrame:
    """Leave out the rows and columns an export adds to total others (Total, Grand Total,
    Sub-total, P-4 Total, Total général, Sous-total), each checked first against the rows or
    columns it totals: a total that does not match refuses the file, naming both numbers."""
    counts = [c for c in frame.columns if c == "headcount" or c in WIDE_COLUMNS]
    total_columns = [c for c in frame.columns if c != "_row" and TOTAL_WORDS.match(str(c))]
    problems: list[Problem] = []
    wide = [c for c in counts if c in WIDE_COLUMNS]
    for column in total_columns:
        if wide:
            given = _numbers(frame[column])
            expected = sum(np.nan_to_num(_numbers(frame[c])) for c in wide)
            for i in np.flatnonzero(~np.isnan(given) & (given != expected))[:20].tolist():
                problems.append(
                    Problem(
                        int(frame["_row"].to_numpy()[i]),
                        names.get(column, column),
                        str(frame[column].iat[i]),
                        _("is not the sum of {columns} ({total})").format(
                            columns=", ".join(names.get(c, c) for c in wide),
                            total=number(int(expected[i])),
                        ),
                    )
                )
    dims = [c for c in frame.columns if c not in (*counts, *total_columns, "_row")]
    is_total = np.zeros(len(frame), dtype=bool)
    grand = np.zeros(len(frame), dtype=bool)
    for column in dims:  # each distinct value is matched once
        values = _as_category(frame[column])
        codes = values.cat.codes.to_numpy()
        text = pd.Series(values.cat.categories, dtype=object).astype(str)
        found = text.str.match(TOTAL_WORDS).to_numpy(dtype=bool)
        total_grand = found & text.str.match(r"(?i)^(grand|total[\s_-]*g[ée]n|totaux?$)").to_numpy(
            dtype=bool
        )
        is_total |= np.append(found, False)[codes]
        grand |= np.append(total_grand, False)[codes]
    rows = np.flatnonzero(is_total)
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
                Problem(
                    int(frame["_row"].to_numpy()[position]),
                    names.get(column, column),
                    str(frame[column].iat[position]),
                    _("is a total, but the rows it totals add up to {total}").format(
                        total=number(int(everything if grand[position] else group))
                    ),
                )
            )
        since = position + 1
    if problems:
        raise FileRefused(file_name, problems)
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
    return frame.loc[~is_total, [c for c in frame.columns if c not in total_columns]]


def _dates(
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


def _fill_category(given: pd.Series, grade: pd.Series, reference: Reference) -> pd.Categorical:
    """The staff category as given, else derived from the grade (both categorical)."""
    derived = [reference.grade_category.get(str(g)) for g in grade.cat.categories]
    categories = sorted(set(given.cat.categories) | {d for d in derived if d})
    position = {c: i for i, c in enumerate(categories)}
    derived_lookup = np.array([position[d] if d else -1 for d in derived] + [-1])
    given_lookup = np.array([position[c] for c in given.cat.categories] + [-1])
    given_codes = given_lookup[given.cat.codes.to_numpy()]
    codes = np.where(given_codes >= 0, given_codes, derived_lookup[grade.cat.codes.to_numpy()])
    return pd.Categorical.from_codes(codes, categories=pd.Index(categories, dtype=object))


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


def _parse_share(text: str) -> float | None:
    """'45%', '45' and '0.45' all mean 45% (a number above 1 is read as a percentage)."""
    value = text.strip().rstrip("%").strip()
    try:
        number = float(value)
    except ValueError:
        return None
    if text.strip().endswith("%") or number > 1:
        number /= 100
    return number if 0 <= number <= 1 else None


def validate_targets(
    raw: pd.DataFrame, file_name: str, reference: Reference, entities: Sequence[str] = ()
) -> pd.DataFrame:
    """Targets of an entity's parity plan: entity, grade, year, target_share (a fraction; "45%",
    45 and 0.45 are accepted) and margin (a fraction; default 0.03, i.e. target +/- 3 pp)."""
    frame = _renamed(raw, file_name)
    if frame.empty:
        raise FileRefused(file_name, [Problem(None, None, None, _("the file has no data rows"))])
    missing = [c for c in TARGET_COLUMNS[:4] if c not in frame.columns]
    if missing:
        names = ", ".join(repr(c) for c in missing)
        raise FileRefused(
            file_name,
            [
                Problem(
                    1, None, None, _("missing required column(s) {missing}").format(missing=names)
                )
            ],
        )
    if "margin" not in frame.columns:
        frame = frame.assign(margin="3%")
    collector = _Collector()
    year_values, entity = _check_year_and_entity(frame, collector, entities)
    grade = _check_grade(frame, collector, reference)
    shares = [_parse_share(str(v)) for v in frame["target_share"]]
    collector.add_mask(
        frame,
        np.array([s is None for s in shares]),
        "target_share",
        _("is not a share (e.g. 50%, 0.5)"),
    )
    margins = [
        0.03 if pd.isna(v) or not str(v).strip() else _parse_share(str(v)) for v in frame["margin"]
    ]
    collector.add_mask(
        frame,
        np.array([m is None for m in margins]),
        "margin",
        _("is not a margin (e.g. 3%, 0.03)"),
    )
    collector.refuse_if_any(file_name)
    out = pd.DataFrame(
        {
            "entity": entity.to_numpy(dtype=object),
            "grade": grade.to_numpy(dtype=object),
            "year": year_values.astype("int16"),
            "target_share": shares,
            "margin": margins,
        }
    )
    return out.drop_duplicates(["entity", "grade", "year"], keep="last").reset_index(drop=True)
