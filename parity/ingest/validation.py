"""Validating an incoming table: what a file holds becomes the canonical frame, or is refused.

A file is validated once, here, at the edge: its columns are renamed, its totals and dates dealt
with, its shape made long (parity.ingest.totals, parity.ingest.reshaping), and every cell
checked; every problem is collected (row as a person sees it in a spreadsheet, column, value)
and the whole file is refused if there is any (parity.ingest.checks). What passes comes out in
one canonical shape:

    year (int16), entity, grade, gender (F/M/X), headcount (int64) + the optional dimensions.

A parity plan's targets (entity, grade, year, target share, margin) are validated here too.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from parity.errors import FileRefused, Problem
from parity.i18n import _
from parity.ingest.cells import parse_share, reference_spelling, text_category
from parity.ingest.checks import (
    Collector,
    check_counts,
    check_grade,
    check_nationality,
    check_spelling,
    check_year_and_entity,
    within_maximum,
)
from parity.ingest.contract import (
    FLOW_COLUMNS,
    KEY_COLUMNS,
    OPTIONAL_DIMENSIONS,
    TARGET_COLUMNS,
    normalise_column_name,
)
from parity.ingest.reshaping import (
    long_shape,
    note_ignored,
    renamed,
    require_columns,
    summed,
    year_and_age_from_dates,
)
from parity.ingest.totals import drop_totals
from parity.reference import Reference


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
    frame = renamed(raw, file_name)
    if frame.empty:
        raise FileRefused(file_name, [Problem(None, None, None, _("the file has no data rows"))])
    given = {normalise_column_name(c): str(c) for c in raw.columns if c != "_row"}
    frame = drop_totals(frame, file_name, given, notes)
    frame = year_and_age_from_dates(frame, file_name, given, notes)
    note_ignored(frame, given, notes)
    frame = long_shape(frame, raw, file_name)
    require_columns(frame, raw, file_name, kind)

    collector = Collector()
    year_values, entity = check_year_and_entity(frame, collector, entities)

    gender = check_spelling(frame, collector, "gender")
    grade = check_grade(frame, collector, reference)
    event = check_spelling(frame, collector, "event") if kind == "flows" else None
    counts = check_counts(frame, collector)
    if "nationality" in frame.columns:
        frame = frame.assign(nationality=check_nationality(frame, collector))

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
    _add_dimensions(clean, frame, reference)
    clean["headcount"] = counts
    if event is None:
        return within_maximum(summed(clean), file_name)
    clean.insert(4, "event", event.to_numpy(dtype=object))
    flows = within_maximum(
        summed(clean, keys=(*KEY_COLUMNS[:4], "event", *KEY_COLUMNS[4:])), file_name
    )
    return flows.rename(columns={"headcount": "count"})[list(FLOW_COLUMNS)]


def _add_dimensions(clean: pd.DataFrame, frame: pd.DataFrame, reference: Reference) -> None:
    """Add the optional dimensions to the canonical frame being built, as categoricals: duty
    stations and countries spelled as the reference spells them, the others as trimmed text,
    those the file lacks empty; the staff category derived from the grade where not given."""
    spellings = {
        "duty_station": reference.station_spellings,
        "country": reference.country_spellings,
    }
    for column in OPTIONAL_DIMENSIONS:
        if column in spellings and column in frame.columns:
            clean[column] = reference_spelling(frame[column], spellings[column]).array
        elif column in frame.columns:
            clean[column] = text_category(frame[column]).array
        else:
            clean[column] = pd.Categorical(
                [None] * len(clean), categories=pd.Index([], dtype=object)
            )
    clean["category"] = _fill_category(clean["category"], clean["grade"], reference)


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


def validate_targets(
    raw: pd.DataFrame, file_name: str, reference: Reference, entities: Sequence[str] = ()
) -> pd.DataFrame:
    """Targets of an entity's parity plan: entity, grade, year, target_share (a fraction; "45%",
    45 and 0.45 are accepted) and margin (a fraction; default 0.03, i.e. target +/- 3 pp)."""
    frame = renamed(raw, file_name)
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
    collector = Collector()
    year_values, entity = check_year_and_entity(frame, collector, entities)
    grade = check_grade(frame, collector, reference)
    shares = [parse_share(str(v)) for v in frame["target_share"]]
    collector.add_mask(
        frame,
        np.array([s is None for s in shares]),
        "target_share",
        _("is not a share (e.g. 50%, 0.5)"),
    )
    margins = [
        0.03 if pd.isna(v) or not str(v).strip() else parse_share(str(v)) for v in frame["margin"]
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
