"""The data contract: spellings accepted, values refused, shapes normalised (schema.validate)."""

from __future__ import annotations

import pandas as pd
import pytest

from parity.errors import FileRefused
from parity.reference import Reference
from parity.schema import validate


def table(rows: list[dict[str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, dtype=str)
    return frame.assign(_row=range(2, len(frame) + 2))


def refused(raw: pd.DataFrame, reference: Reference) -> FileRefused:
    with pytest.raises(FileRefused) as caught:
        validate(raw, "staff.csv", reference)
    return caught.value


@pytest.mark.parametrize(
    ("spelling", "gender"),
    [("F", "F"), ("female", "F"), ("Woman", "F"), ("w", "F"), ("WOMEN", "F"),
     ("M", "M"), ("Male", "M"), ("man", "M"), ("Men", "M"),
     ("X", "X"), ("Other", "X"), ("non-binary", "X"), ("Unknown", "X"), ("Not disclosed", "X")],
)  # fmt: skip
def test_gender_spellings(reference: Reference, spelling: str, gender: str) -> None:
    raw = table(
        [{"year": "2025", "entity": "A", "grade": "P-4", "gender": spelling, "headcount": "3"}]
    )
    assert validate(raw, "f.csv", reference)["gender"].tolist() == [gender]


@pytest.mark.parametrize(
    ("spelling", "grade"),
    [("P5", "P-5"), ("p-5", "P-5"), ("P 5", "P-5"), ("d1", "D-1"), ("G5", "G-5"),
     ("g-7", "G-7"), ("NOA", "NO-A"), ("no a", "NO-A"), ("NO-C", "NO-C"), ("FS4", "FS-4"),
     ("usg", "USG"), ("ASG", "ASG"), ("UG", "UG")],
)  # fmt: skip
def test_grade_spellings(reference: Reference, spelling: str, grade: str) -> None:
    raw = table(
        [{"year": "2025", "entity": "A", "grade": spelling, "gender": "F", "headcount": "1"}]
    )
    assert validate(raw, "f.csv", reference)["grade"].tolist() == [grade]


def test_column_names_in_any_case_and_synonyms(reference: Reference) -> None:
    raw = table(
        [
            {
                "Year": "2025",
                "Entity": "A",
                "Duty Station": "Geneva",
                "Grade": "P-4",
                "Sex": "F",
                "Count": "7",
            }
        ]
    )
    out = validate(raw, "f.csv", reference)
    assert out.loc[
        0, ["year", "entity", "duty_station", "grade", "gender", "headcount"]
    ].tolist() == [2025, "A", "Geneva", "P-4", "F", 7]


def test_wide_file_is_melted(reference: Reference) -> None:
    raw = table(
        [{"year": "2025", "entity": "A", "grade": "P-4", "Women": "3", "Men": "5", "Other": "1"}]
    )
    out = validate(raw, "f.csv", reference).set_index("gender")["headcount"]
    assert out.to_dict() == {"F": 3, "M": 5, "X": 1}


def test_person_level_file_counts_rows(reference: Reference) -> None:
    raw = table(
        [
            {"year": "2025", "entity": "A", "grade": "P-4", "gender": g}
            for g in ("F", "F", "M", "female")
        ]
    )
    out = validate(raw, "f.csv", reference).set_index("gender")["headcount"]
    assert out.to_dict() == {"F": 3, "M": 1}


def test_same_key_rows_are_summed_and_category_derived(reference: Reference) -> None:
    raw = table(
        [
            {"year": "2025", "entity": "A", "grade": "P-4", "gender": "F", "headcount": "2"},
            {"year": "2025", "entity": "A", "grade": "p4", "gender": "Woman", "headcount": "3"},
            {"year": "2025", "entity": "A", "grade": "D-1", "gender": "M", "headcount": "1"},
        ]
    )
    out = validate(raw, "f.csv", reference).set_index("grade")
    assert out.loc["P-4", "headcount"] == 5
    assert out.loc["P-4", "category"] == "Professional"
    assert out.loc["D-1", "category"] == "Directors"


def test_every_bad_value_is_named_with_its_row_and_column(reference: Reference) -> None:
    raw = table(
        [
            {"year": "2025", "entity": "A", "grade": "P-4", "gender": "F", "headcount": "2"},
            {"year": "2025", "entity": "A", "grade": "P-9", "gender": "F", "headcount": "2"},
            {"year": "2025", "entity": "A", "grade": "P-4", "gender": "Q", "headcount": "2"},
            {"year": "2025", "entity": "A", "grade": "P-4", "gender": "M", "headcount": "-1"},
            {"year": "2025", "entity": "A", "grade": "P-4", "gender": "M", "headcount": "2.5"},
            {"year": "2025", "entity": "A", "grade": "P-4", "gender": "M", "headcount": "many"},
            {"year": "20x5", "entity": "A", "grade": "P-4", "gender": "M", "headcount": "1"},
            {"year": "2025", "entity": " ", "grade": "P-4", "gender": "M", "headcount": "1"},
        ]
    )
    error = refused(raw, reference)
    found = [(p.row, p.column, p.value) for p in error.problems]
    assert found == [
        (3, "grade", "P-9"),
        (4, "gender", "Q"),
        (5, "headcount", "-1"),
        (6, "headcount", "2.5"),
        (7, "headcount", "many"),
        (8, "year", "20x5"),
        (9, "entity", " "),
    ]
    text = str(error)
    assert text.splitlines()[0] == "staff.csv: refused, 7 problems; nothing was imported."
    assert "staff.csv: row 3, column 'grade': 'P-9' is not a grade in the reference ladder" in text


def test_wide_file_errors_name_the_count_column(reference: Reference) -> None:
    raw = table([{"year": "2025", "entity": "A", "grade": "P-4", "Women": "3", "Men": "-2"}])
    error = refused(raw, reference)
    assert [(p.row, p.column, p.value) for p in error.problems] == [(2, "men", "-2")]


def test_missing_required_column(reference: Reference) -> None:
    raw = table([{"year": "2025", "entity": "A", "gender": "F", "headcount": "1"}])
    error = refused(raw, reference)
    assert "missing required column(s) 'grade'" in str(error)


def test_at_most_twenty_problems_then_a_count(reference: Reference) -> None:
    raw = table(
        [{"year": "2025", "entity": "A", "grade": "P-4", "gender": "F", "headcount": "-1"}] * 25
    )
    lines = str(refused(raw, reference)).splitlines()
    assert lines[0] == "staff.csv: refused, 25 problems; nothing was imported."
    assert len(lines) == 1 + 20 + 1
    assert lines[-1] == "... and 5 more problems"


def test_flows_and_targets(reference: Reference) -> None:
    flows = table(
        [
            {
                "year": "2025",
                "entity": "A",
                "grade": "P4",
                "gender": "F",
                "event": "hires",
                "count": "2",
            },
            {
                "year": "2025",
                "entity": "A",
                "grade": "P-4",
                "gender": "F",
                "event": "Appointment",
                "count": "3",
            },
            {
                "year": "2025",
                "entity": "A",
                "grade": "P-4",
                "gender": "M",
                "event": "leaver",
                "count": "1",
            },
        ]
    )
    out = validate(flows, "f.csv", reference, "flows").set_index("event")["count"]
    assert out.to_dict() == {"appointment": 5, "separation": 1}
    bad = table(
        [
            {
                "year": "2025",
                "entity": "A",
                "grade": "P-4",
                "gender": "F",
                "event": "transfer",
                "count": "1",
            }
        ]
    )
    with pytest.raises(FileRefused, match="'transfer' is not an event"):
        validate(bad, "f.csv", reference, "flows")
    targets = table(
        [
            {"entity": "A", "grade": "D1", "year": "2028", "target_share": "45%"},
            {"entity": "A", "grade": "P-5", "year": "2028", "target_share": "0.5", "margin": "2"},
        ]
    )
    out = validate(targets, "t.csv", reference, "targets")
    assert out[["grade", "target_share", "margin"]].values.tolist() == [
        ["D-1", 0.45, 0.03],
        ["P-5", 0.5, 0.02],
    ]
