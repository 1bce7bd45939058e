"""The data contract: spellings accepted, values refused, shapes normalised (ingest.validate)."""

from __future__ import annotations

import pandas as pd
import pytest

from parity.errors import FileRefused
from parity.ingest import validate
from parity.reference import Reference

ROW = {"year": "2025", "entity": "A", "grade": "P-4", "gender": "F", "headcount": "1"}


def table(rows: list[dict[str, str]]) -> pd.DataFrame:
    """Raw rows as the importer hands them over: strings, plus the spreadsheet row (header = 1)."""
    frame = pd.DataFrame(rows, dtype=str)
    return frame.assign(_row=range(2, len(frame) + 2))


def refused(raw: pd.DataFrame, reference: Reference) -> FileRefused:
    with pytest.raises(FileRefused) as caught:
        validate(raw, "staff.csv", reference)
    return caught.value


def found(error: FileRefused) -> list[tuple[int | None, str | None, str | None]]:
    return [(p.row, p.column, p.value) for p in error.problems]


@pytest.mark.parametrize(
    ("spelling", "gender"),
    [("F", "F"), ("female", "F"), ("Woman", "F"), ("w", "F"), ("WOMEN", "F"), (" f ", "F"),
     ("M", "M"), ("Male", "M"), ("man", "M"), ("Men", "M"),
     ("X", "X"), ("Other", "X"), ("Non-binary", "X"), ("Unknown", "X"), ("Not disclosed", "X")],
)  # fmt: skip
def test_gender_spellings(reference: Reference, spelling: str, gender: str) -> None:
    out = validate(table([{**ROW, "gender": spelling}]), "f.csv", reference)
    assert out["gender"].tolist() == [gender]


@pytest.mark.parametrize(
    ("spelling", "grade"),
    [("P5", "P-5"), ("p-5", "P-5"), ("P 5", "P-5"), ("P-5", "P-5"), ("d1", "D-1"), ("D 2", "D-2"),
     ("G5", "G-5"), ("g-7", "G-7"), ("NOA", "NO-A"), ("NO-A", "NO-A"), ("no a", "NO-A"),
     ("NOC", "NO-C"), ("FS4", "FS-4"), ("fs-6", "FS-6"), ("usg", "USG"), ("ASG", "ASG"),
     ("UG", "UG")],
)  # fmt: skip
def test_grade_spellings(reference: Reference, spelling: str, grade: str) -> None:
    out = validate(table([{**ROW, "grade": spelling}]), "f.csv", reference)
    assert out["grade"].tolist() == [grade]


def test_column_names_in_any_case_with_spaces_and_synonyms(reference: Reference) -> None:
    raw = table(
        [{"Year": "2025", "ENTITY": "A", " Duty Station ": "Geneva", "Grade": "P-4", "Sex": "F",
          "Count": "7", "Age Band": "30-39"}]
    )  # fmt: skip
    out = validate(raw, "f.csv", reference)
    assert out.loc[
        0, ["year", "entity", "duty_station", "grade", "gender", "age_band", "headcount"]
    ].tolist() == [2025, "A", "Geneva", "P-4", "F", "30-39", 7]
    other = table(
        [{"year": "2025", "entity": "A", "grade": "P-4", "gender": "M", "Headcount": "4"}]
    )
    assert validate(other, "f.csv", reference)["headcount"].tolist() == [4]


@pytest.mark.parametrize(
    "columns", [("Women", "Men", "Other"), ("F", "M", "X"), ("Female", "Male", None)]
)
def test_wide_files_are_melted(reference: Reference, columns: tuple[str, str, str | None]) -> None:
    women, men, other = columns
    row = {"year": "2025", "entity": "A", "grade": "P-4", women: "3", men: "5"}
    if other:
        row[other] = "1"
    out = validate(table([row]), "f.csv", reference).set_index("gender")["headcount"]
    assert out.to_dict() == ({"F": 3, "M": 5, "X": 1} if other else {"F": 3, "M": 5})


@pytest.mark.parametrize(
    ("columns", "found"),
    [
        (("Women",), "Women"),
        (("Men", "Other"), "Men, Other"),
        (("Women", "F", "Men"), "Women, F, Men"),
    ],
)
def test_a_wide_file_needs_one_count_column_for_women_and_one_for_men(
    reference: Reference, columns: tuple[str, ...], found: str
) -> None:
    row = {"year": "2025", "entity": "A", "grade": "P-4", **dict.fromkeys(columns, "3")}
    assert str(refused(table([row]), reference)).splitlines()[1] == (
        "staff.csv: row 1: a file with a count column per gender needs exactly one for women and "
        f"one for men (and at most one for other); found: {found}"
    )


def test_person_level_file_counts_rows(reference: Reference) -> None:
    raw = table(
        [{"year": "2025", "entity": "A", "grade": "P-4", "gender": g}
         for g in ("F", "F", "M", "female", "X")]
    )  # fmt: skip
    out = validate(raw, "f.csv", reference).set_index("gender")["headcount"]
    assert out.to_dict() == {"F": 3, "M": 1, "X": 1}


def test_same_key_rows_are_summed_and_category_derived(reference: Reference) -> None:
    raw = table(
        [
            {**ROW, "grade": "P-4", "gender": "F", "headcount": "2"},
            {**ROW, "grade": "p4", "gender": "Woman", "headcount": "3"},
            {**ROW, "grade": "D-1", "gender": "M", "headcount": "1"},
            {**ROW, "grade": "G5", "gender": "M", "headcount": "4", "category": "Support"},
        ]
    )
    out = validate(raw, "f.csv", reference)
    assert out[["grade", "gender", "category", "headcount"]].values.tolist() == [
        ["P-4", "F", "Professional", 5],
        ["D-1", "M", "Directors", 1],
        ["G-5", "M", "Support", 4],  # a category given in the file is kept
    ]


def test_every_bad_value_is_named_with_its_row_and_column(reference: Reference) -> None:
    raw = table(
        [
            ROW,
            {**ROW, "grade": "P-9"},
            {**ROW, "gender": "Q"},
            {**ROW, "headcount": "-1"},
            {**ROW, "headcount": "2.5"},
            {**ROW, "headcount": "many"},
            {**ROW, "headcount": "inf"},
            {**ROW, "headcount": "1e30"},
            {**ROW, "year": "20x5"},
            {**ROW, "year": "1800"},
            {**ROW, "year": "2025.5"},
            {**ROW, "entity": " "},
        ]
    )
    error = refused(raw, reference)
    assert found(error) == [
        (3, "grade", "P-9"),
        (4, "gender", "Q"),
        (5, "headcount", "-1"),
        (6, "headcount", "2.5"),
        (7, "headcount", "many"),
        (8, "headcount", "inf"),
        (9, "headcount", "1e30"),
        (10, "year", "20x5"),
        (11, "year", "1800"),
        (12, "year", "2025.5"),
        (13, "entity", " "),
    ]
    assert str(error).splitlines() == [
        "staff.csv: refused, 11 problems; nothing was imported.",
        "staff.csv: row 3, column 'grade': 'P-9' is not a grade in the reference ladder; did you "
        "mean P-7 or P-6?",
        "staff.csv: row 4, column 'gender': 'Q' is not a known gender "
        "(use F/Female/Woman, M/Male/Man or X/Other/Unknown)",
        "staff.csv: row 5, column 'headcount': '-1' is negative",
        "staff.csv: row 6, column 'headcount': '2.5' is not a whole number",
        "staff.csv: row 7, column 'headcount': 'many' is not a number",
        "staff.csv: row 8, column 'headcount': 'inf' is not a number",
        "staff.csv: row 9, column 'headcount': '1e30' is not a count written in digits (no "
        "sign, exponent or separator)",
        "staff.csv: row 10, column 'year': '20x5' is not a year (1945-2100)",
        "staff.csv: row 11, column 'year': '1800' is not a year (1945-2100)",
        "staff.csv: row 12, column 'year': '2025.5' is not a year (1945-2100)",
        "staff.csv: row 13, column 'entity': ' ' is empty",
    ]


def test_wide_file_errors_name_the_count_column(reference: Reference) -> None:
    raw = table([{"year": "2025", "entity": "A", "grade": "P-4", "Women": "3", "Men": "-2"}])
    assert found(refused(raw, reference)) == [(2, "men", "-2")]


def test_missing_required_column(reference: Reference) -> None:
    raw = table([{"Year": "2025", "entity": "A", "gender": "F", "headcount": "1"}])
    assert str(refused(raw, reference)).splitlines()[1] == (
        "staff.csv: row 1: missing required column(s) 'grade'; "
        "found: Year, entity, gender, headcount"
    )


def test_a_column_given_twice_is_refused(reference: Reference) -> None:
    raw = table([{**ROW, "Sex": "M"}])  # "Sex" is another name for gender
    assert "staff.csv: row 1: columns 'gender' and 'Sex' both mean 'gender'; keep one" in str(
        refused(raw, reference)
    )


def test_at_most_twenty_problems_then_a_count(reference: Reference) -> None:
    raw = table([{**ROW, "headcount": "-1"}] * 25)
    lines = str(refused(raw, reference)).splitlines()
    assert lines[0] == "staff.csv: refused, 25 problems; nothing was imported."
    assert lines[1] == "staff.csv: row 2, column 'headcount': '-1' is negative"
    assert lines[20] == "staff.csv: row 21, column 'headcount': '-1' is negative"
    assert lines[21:] == ["... and 5 more problems"]


def test_the_first_problems_shown_are_the_first_rows(reference: Reference) -> None:
    """Hundreds of bad years must not hide a bad gender in the first data row."""
    raw = table([{**ROW, "year": "x"}] * 300)
    raw.loc[0, "gender"] = "Q"
    error = refused(raw, reference)
    assert error.total == 301
    assert found(error)[:3] == [(2, "gender", "Q"), (2, "year", "x"), (3, "year", "x")]


def test_flows_and_targets(reference: Reference) -> None:
    flows = table(
        [{**ROW, "grade": "P4", "event": "hires", "count": "2"},
         {**ROW, "event": "Appointment", "count": "3"},
         {**ROW, "gender": "M", "event": "leaver", "count": "1"}]
    )  # fmt: skip
    flows = flows.drop(columns="headcount")
    out = validate(flows, "f.csv", reference, "flows").set_index("event")["count"]
    assert out.to_dict() == {"appointment": 5, "separation": 1}
    bad = table([{**ROW, "event": "transfer", "count": "1"}]).drop(columns="headcount")
    with pytest.raises(FileRefused, match="row 2, column 'event': 'transfer' is not an event"):
        validate(bad, "f.csv", reference, "flows")
    targets = table(
        [{"entity": "A", "grade": "D1", "year": "2028", "target_share": "45%"},
         {"entity": "A", "grade": "P-5", "year": "2028", "target_share": "0.5", "margin": "2"}]
    )  # fmt: skip
    out = validate(targets, "t.csv", reference, "targets")
    assert out[["grade", "target_share", "margin"]].values.tolist() == [
        ["D-1", 0.45, 0.03],
        ["P-5", 0.5, 0.02],
    ]
