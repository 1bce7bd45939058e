"""Files shaped like real HR exports import as they come (issue 14): titles above the header,
the data on another sheet, GS grades, padded levels, stations in capitals, totals, person-level
lists with dates. Each imported through the CLI and read back from the store."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from parity.cli import main

HEADER = "year,entity,duty_station,grade,gender,headcount\n"


def workbook(sheets: dict[str, list[list[object]]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def imported(path: Path, capsys: pytest.CaptureFixture[str], *by: str) -> list[dict[str, object]]:
    """Import ``path`` into a fresh store, then the report by ``by`` as records."""
    db = f"sqlite:///{path.parent / 'x.db'}"
    status = main(["import", str(path), "--db", db])
    err = capsys.readouterr().err
    assert status == 0, err
    assert (
        main(["report", "--db", db, "--format", "json", *(("--by", ",".join(by)) if by else ())])
        == 0
    )
    return list(json.loads(capsys.readouterr().out))


def refusal(path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    status = main(["import", str(path), "--db", f"sqlite:///{path.parent / 'r.db'}"])
    err = capsys.readouterr().err
    assert status == 2, err
    return err


def test_station_names_take_the_reference_spelling(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "caps.csv"
    path.write_text(
        HEADER + "2025,A,NEW YORK,P-4,F,3\n2025,A,new-york,P-4,M,2\n2025,A, New  York ,P-3,F,1\n"
    )
    rows = imported(path, capsys, "duty_station", "country")
    # one station, as the reference spells it, with its country
    assert [(r["duty_station"], r["country"], r["women"], r["men"]) for r in rows] == [
        ("New York", "United States of America", 4, 2)
    ]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("GS-5", "G-5"), ("GS5", "G-5"), ("gs05", "G-5"), ("P04", "P-4"), ("p 4", "P-4")],
)
def test_grades_as_hr_systems_write_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], typed: str, stored: str
) -> None:
    path = tmp_path / "grades.csv"
    path.write_text(f"{HEADER}2025,A,Geneva,{typed},F,2\n2025,A,Geneva,{typed},M,3\n")
    rows = imported(path, capsys, "grade")
    assert [(r["grade"], r["women"], r["men"]) for r in rows] == [(stored, 2, 3)]


def test_an_unknown_grade_gets_the_nearest_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(f"{HEADER}2025,A,Geneva,GS-12,F,2\n2025,A,Geneva,D-3,M,1\n")
    err = refusal(path, capsys)
    assert "row 2, column 'grade': 'GS-12' is not a grade in the reference ladder; did you mean " \
        "G-10 or G-9?" in err  # fmt: skip
    assert "row 3, column 'grade': 'D-3' is not a grade in the reference ladder; did you mean " \
        "D-2 or D-1?" in err  # fmt: skip


def test_titles_above_the_header(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "titled.csv"
    path.write_text(
        "Staff by grade and sex, 31 December 2025,,,,,\n"
        "Source: HR system export,,,,,\n"
        ",,,,,\n" + HEADER + "2025,A,Geneva,P-4,F,3\n2025,A,Geneva,P-4,M,4\n"
    )
    rows = imported(path, capsys)
    assert (rows[0]["women"], rows[0]["men"]) == (3, 4)


def test_a_bad_value_below_titles_names_its_row_as_a_spreadsheet_shows_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "titled.csv"
    path.write_text("Staff by grade and sex\n\n" + HEADER + "2025,A,Geneva,P-4,F,-3\n")
    assert "row 4, column 'headcount': '-3' is negative" in refusal(path, capsys)


def test_the_sheet_with_the_table_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "export.xlsx"
    path.write_bytes(
        workbook(
            {
                "Read me": [["This workbook holds staffing figures."], ["See the Data sheet."]],
                "Data": [
                    ["Staff by grade, 2025"],
                    [],
                    ["Year", "Entity", "Duty Station", "Grade", "Sex", "Count"],
                    [2025, "A", "GENEVA", "P-4", "Female", 6],
                    [2025, "A", "GENEVA", "P-4", "Male", 4],
                ],
            }
        )
    )
    rows = imported(path, capsys, "duty_station")
    assert [(r["duty_station"], r["women"], r["men"]) for r in rows] == [("Geneva", 6, 4)]


def test_a_workbook_without_the_columns_says_where_it_looked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_bytes(
        workbook(
            {
                "Notes": [["Entity", None, "Comment"], ["A", None, "late"]],
                "Other": [["Nothing here"]],
            }
        )
    )
    err = refusal(path, capsys)
    # no placeholder name of the unnamed column reaches the message
    assert (
        "missing required column(s) 'year', 'grade', 'gender'; found: Entity, Comment (header "
        "in row 1 of sheet 'Notes'; the workbook's sheets: 'Notes', 'Other')"
    ) in err
    assert "Unnamed" not in err
