"""Reading files: delimiters, encodings, gzip, XLSX, and unreadable input (importer)."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

import pytest

from parity.errors import FileRefused
from parity.importer import parse_file
from parity.reference import Reference

HEADER = "year{d}entity{d}duty_station{d}grade{d}gender{d}headcount\n"
ROWS = ["2025{d}Agence{d}Genève{d}P-4{d}F{d}3\n", "2025{d}Agence{d}Genève{d}P-4{d}M{d}4\n"]


def text(delimiter: str) -> str:
    return "".join(line.format(d=delimiter) for line in [HEADER, *ROWS])


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters(write: Callable[..., Path], reference: Reference, delimiter: str) -> None:
    parsed = parse_file(write("f.csv", text(delimiter)), reference)
    assert parsed.frame["headcount"].sum() == 7
    assert parsed.frame["duty_station"].iloc[0] == "Genève"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"])
def test_encodings(write: Callable[..., Path], reference: Reference, encoding: str) -> None:
    parsed = parse_file(write("f.csv", text(","), encoding=encoding), reference)
    assert set(parsed.frame["duty_station"]) == {"Genève"}
    assert list(parsed.frame.columns[:2]) == ["year", "entity"]  # no BOM left in a name


def test_gzipped_csv(write: Callable[..., Path], reference: Reference) -> None:
    path = write("f.csv.gz", gzip.compress(text(",").encode()))
    assert parse_file(path, reference).frame["headcount"].sum() == 7


def test_xlsx(tmp_path: Path, reference: Reference) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Year", "Entity", "Grade", "Women", "Men"])
    sheet.append([2025, "Agence", "P5", 2, 6])
    sheet.append([2025, "Agence", "D-1", 1, -1])
    path = tmp_path / "staff.xlsx"
    book.save(path)
    with pytest.raises(FileRefused) as caught:
        parse_file(path, reference)
    assert [(p.row, p.column, p.value) for p in caught.value.problems] == [(3, "men", "-1")]
    sheet["E3"] = 3
    book.save(path)
    frame = parse_file(path, reference).frame.set_index(["grade", "gender"])["headcount"]
    assert frame.to_dict() == {("P-5", "F"): 2, ("P-5", "M"): 6, ("D-1", "F"): 1, ("D-1", "M"): 3}


def test_blank_lines_keep_spreadsheet_row_numbers(
    write: Callable[..., Path], reference: Reference
) -> None:
    path = write("f.csv", "year,entity,grade,gender,headcount\n2025,A,P-4,F,1\n\n2025,A,P-4,M,x\n")
    with pytest.raises(FileRefused) as caught:
        parse_file(path, reference)
    assert caught.value.problems[0].row == 4


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [("empty.csv", b"", "the file is empty"),
     ("blank.csv", b"\n\n", "the file is empty"),
     ("binary.csv", bytes(range(256)) * 4, "is not a text (CSV) file"),
     ("broken.xlsx", b"PK\x03\x04 not really a workbook", "cannot be read as an Excel workbook"),
     ("header.csv", b"year,entity,grade,gender,headcount\n", "the file has no data rows")],
)  # fmt: skip
def test_unreadable_files(
    write: Callable[..., Path], reference: Reference, name: str, content: bytes, message: str
) -> None:
    with pytest.raises(FileRefused) as caught:
        parse_file(write(name, content), reference)
    assert message in str(caught.value)
    assert str(caught.value).startswith(f"{name}: refused")


def test_missing_file(tmp_path: Path, reference: Reference) -> None:
    with pytest.raises(FileRefused, match="file not found"):
        parse_file(tmp_path / "nope.csv", reference)


def test_kind_follows_the_columns(write: Callable[..., Path], reference: Reference) -> None:
    flows = write("flows.csv", "year,entity,grade,sex,event,count\n2025,A,P-4,F,promotion,2\n")
    targets = write("targets.csv", "entity,grade,year,target\nA,P-4,2028,50%\n")
    assert parse_file(flows, reference).kind == "flows"
    assert parse_file(targets, reference).kind == "targets"
    assert parse_file(write("s.csv", text(",")), reference).kind == "staff"
