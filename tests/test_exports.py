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


def test_totals_rows_and_columns_are_checked_and_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "pivot.xlsx"
    path.write_bytes(
        workbook(
            {
                "Pivot": [
                    ["Headcount by grade and sex"],
                    ["Year", "Entity", "Grade", "Women", "Men", "Grand Total"],
                    [2025, "A", "P-4", 6, 4, 10],
                    [2025, "A", "P-3", 3, 9, 12],
                    [2025, "A", "P Total", 9, 13, 22],  # a sub-total of the two rows above
                    [2025, "A", "D-1", 1, 2, 3],
                    ["Grand Total", None, None, 10, 15, 25],
                ]
            }
        )
    )
    db = f"sqlite:///{tmp_path / 'p.db'}"
    assert main(["import", str(path), "--db", db]) == 0
    out = capsys.readouterr().out
    assert "note: left out 2 total rows (row 5, 7), each checked against the rows it totals" in out
    assert "note: left out the total column 'Grand Total', checked against the columns it " \
        "totals" in out  # fmt: skip
    assert main(["report", "--db", db, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert (rows[0]["women"], rows[0]["men"]) == (10, 15)  # nothing counted twice


def test_a_total_that_does_not_add_up_is_refused_with_both_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "total.csv"
    path.write_text(
        "year,entity,grade,Women,Men,Total\n2025,A,P-4,6,4,10\n2025,A,P-3,3,9,13\nTotal,,,9,14,23\n"
    )
    err = refusal(path, capsys)
    assert "row 3, column 'Total': '13' is not the sum of Women, Men (12)" in err
    assert "row 4, column 'Men': '14' is a total, but the rows it totals add up to 13" in err


def test_a_person_level_list_with_dates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "people.xlsx"
    path.write_bytes(
        workbook(
            {
                "Staff": [
                    ["Index Number", "Last Name", "Nationality", "Snapshot Date", "Entity",
                     "Grade", "Gender", "Date of Birth"],
                    [1001, "Doe", "Kenya", "31/12/2025", "A", "P-4", "Female", "1990-06-15"],
                    [1002, "Roe", "Chile", "31/12/2025", "A", "P-4", "Male", "1996-01-01"],
                    [1003, "Poe", "Nepal", "31/12/2025", "A", "P-4", "Not specified", "1960-12-31"],
                    [1004, "Loe", "Peru", "31/12/2025", "A", "P-4", "Prefer not to say",
                     "1965-12-31"],
                ]
            }
        )
    )  # fmt: skip
    db = f"sqlite:///{tmp_path / 'p.db'}"
    assert main(["import", str(path), "--db", db]) == 0
    out = capsys.readouterr().out
    assert "note: the year is taken from the column 'Snapshot Date'" in out
    assert "note: age bands worked out from 'Date of Birth' at the snapshot date; dates of " \
        "birth are not stored" in out  # fmt: skip
    # a nationality is a dimension of the counts (parity.geography); names and numbers are not
    assert "note: ignored (not part of the figures, never stored): Index Number, Last Name\n" \
        in out  # fmt: skip
    assert main(["report", "--by", "age_band", "--db", db, "--format", "json"]) == 0
    rows = {r["age_band"]: r for r in json.loads(capsys.readouterr().out)}
    # at 31 Dec 2025: 35 (30-39), 29 (Under 30), 65 on her birthday (60 and over), 60
    assert (rows["30-39"]["women"], rows["Under 30"]["men"]) == (1, 1)
    assert rows["60 and over"]["other"] == 2
    assert main(["report", "--db", db, "--format", "json"]) == 0
    (total,) = json.loads(capsys.readouterr().out)
    assert (total["women"], total["men"], total["other"]) == (1, 1, 2)
    # Kenya (a woman) is African; Chile and Peru Latin American and Caribbean; Nepal Asia-Pacific
    assert main(["report", "--by", "regional_group", "--db", db, "--format", "json"]) == 0
    groups = {r["regional_group"]: r for r in json.loads(capsys.readouterr().out)}
    assert groups["African"]["women"] == 1
    assert (groups["Latin American and Caribbean"]["men"], groups["Asia-Pacific"]["other"]) == (
        1,
        1,
    )
    # no personal identifier reached the store
    import sqlite3

    dump = "\n".join(sqlite3.connect(tmp_path / "p.db").iterdump())
    for secret in ("'Doe'", "'Roe'", "1990-06-15", "1996-01-01", "Index Number"):
        assert secret not in dump, secret


def test_french_headers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "effectifs.csv"
    path.write_text(
        "Année;Entité;Lieu d'affectation;Niveau;Sexe;Effectif\n"
        "2025;A;GENÈVE;P-4;Femme;5\n2025;A;Genève;P-4;Homme;7\n",
        encoding="cp1252",
    )
    rows = imported(path, capsys, "grade")
    assert [(r["grade"], r["women"], r["men"]) for r in rows] == [("P-4", 5, 7)]


def test_one_message_per_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "blanks.csv"
    # a wide file (each row checked once per count column) with a bad year, and a row with
    # three blank cells
    path.write_text("year,entity,grade,Women,Men\n20x5,A,P-4,1,2\n2025,,,3,4\n")
    lines = refusal(path, capsys).splitlines()
    assert lines == [
        "blanks.csv: refused, 2 problems; nothing was imported.",
        "blanks.csv: row 2, column 'year': '20x5' is not a year (1945-2100)",
        "blanks.csv: row 3: empty cells in columns 'entity', 'grade'",
    ]


def test_names_take_the_spelling_already_in_the_store_or_are_flagged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'n.db'}"
    first = tmp_path / "first.csv"
    first.write_text(HEADER + "2024,Agence Élan,Geneva,P-4,F,1\n")
    assert main(["import", str(first), "--db", db]) == 0
    later = tmp_path / "later.csv"
    later.write_text(HEADER + "2025,AGENCE  ELAN,Nairobbi,P-4,F,2\n")
    assert main(["import", str(later), "--db", db]) == 0
    out = capsys.readouterr().out
    assert "note: duty stations not in the reference list, counted as field: Nairobbi (did " \
        "you mean Nairobi?)" in out  # fmt: skip
    assert main(["report", "--by", "entity", "--db", db, "--format", "json"]) == 0
    assert [r["entity"] for r in json.loads(capsys.readouterr().out)] == ["Agence Élan"]


def test_a_column_mapping_is_remembered_for_the_same_headers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'm.db'}"
    header = "Exercice,Organisme,Echelon,Sexe,Effectif\n"  # 'Exercice', 'Organisme', 'Echelon'
    first = tmp_path / "first.csv"
    first.write_text(header + "2024,A,P-4,F,3\n")
    assert main(["import", str(first), "--db", db]) == 2
    err = capsys.readouterr().err
    assert "missing required column(s) 'year', 'entity', 'grade'; found: Exercice, Organisme, " \
        "Echelon, Sexe, Effectif" in err  # fmt: skip
    assert "say which of its columns is which with --map COLUMN=FIELD (e.g. --map " \
        "'Exercice=year')" in err  # fmt: skip
    maps = ["--map", "Exercice=year", "--map", "Organisme=entity", "--map", "Echelon=grade"]
    assert main(["import", str(first), "--db", db, *maps]) == 0
    assert "note: read 'Exercice' as year, 'Organisme' as entity, 'Echelon' as grade" in (
        capsys.readouterr().out
    )
    # a later file from the same source: the same headers, read the same way without asking
    later = tmp_path / "later.csv"
    later.write_text(header + "2025,A,P-4,F,4\n")
    assert main(["import", str(later), "--db", db]) == 0
    out = capsys.readouterr().out
    assert "note: used the column mapping saved for files with these headers" in out
    assert main(["report", "--by", "year", "--db", db, "--format", "json"]) == 0
    assert [(r["year"], r["women"]) for r in json.loads(capsys.readouterr().out)] == [
        (2024, 3), (2025, 4)
    ]  # fmt: skip
