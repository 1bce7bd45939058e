"""Reading files: delimiters, encodings, gzip, XLSX, and unreadable input (ingest.reading)."""

from __future__ import annotations

import gzip
import hashlib
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from parity.errors import FileRefused
from parity.ingest import parse_file
from parity.reference import Reference

HEADER = "year{d}entity{d}duty_station{d}grade{d}gender{d}headcount\n"
ROWS = ["2025{d}Agence{d}Genève{d}P-4{d}F{d}3\n", "2025{d}Agence{d}Genève{d}P-4{d}M{d}4\n"]
LONG = "year,entity,grade,gender,headcount\n"


def text(delimiter: str) -> str:
    return "".join(line.format(d=delimiter) for line in [HEADER, *ROWS])


def counts(path: Path, reference: Reference) -> dict[tuple[str, str], int]:
    frame = parse_file(path, reference).frame
    return {(g, s): int(n) for g, s, n in frame[["gender", "duty_station", "headcount"]].values}


def refusal(path: Path, reference: Reference) -> str:
    with pytest.raises(FileRefused) as caught:
        parse_file(path, reference)
    return str(caught.value)


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters(write: Callable[..., Path], reference: Reference, delimiter: str) -> None:
    path = write("f.csv", text(delimiter))
    assert counts(path, reference) == {("F", "Genève"): 3, ("M", "Genève"): 4}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"])
def test_encodings(write: Callable[..., Path], reference: Reference, encoding: str) -> None:
    path = write("f.csv", text(","), encoding=encoding)
    # "Genève" read back whole, and no byte-order mark left in the first column's name
    assert counts(path, reference) == {("F", "Genève"): 3, ("M", "Genève"): 4}


def test_windows_1252_with_its_first_accent_far_into_the_file(
    write: Callable[..., Path], reference: Reference
) -> None:
    """The encoding is guessed from the first 64 KiB; here they are plain ASCII."""
    filler = "".join(f"2025,Agence,Geneva,P-{1 + i % 5},F,1\n" for i in range(3000))
    path = write("late.csv", HEADER.format(d=",") + filler + ROWS[0].format(d=","), "cp1252")
    assert path.stat().st_size > 64 * 1024
    frame = parse_file(path, reference).frame
    assert frame.loc[frame["duty_station"] == "Genève", "headcount"].tolist() == [3]


def test_gzipped_csv(write: Callable[..., Path], reference: Reference) -> None:
    path = write("f.csv.gz", gzip.compress(text(";").encode("cp1252")))
    assert counts(path, reference) == {("F", "Genève"): 3, ("M", "Genève"): 4}


def test_provenance(write: Callable[..., Path], reference: Reference) -> None:
    content = LONG + "2025,A,P-4,F,2\n2025,A,p4,female,3\n2025,A,P-4,M,1\n"
    parsed = parse_file(write("staff.csv", content), reference)
    assert (parsed.file_name, parsed.source_rows, len(parsed.frame), parsed.kind) == (
        "staff.csv",
        3,  # rows in the file
        2,  # rows after summing the two spellings of the same key
        "staff",
    )
    assert parsed.sha256 == hashlib.sha256(content.encode()).hexdigest()


def test_xlsx(tmp_path: Path, reference: Reference) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Year", "Entity", "Grade", "Women", "Men"])
    sheet.append([2025, "Agence", "P5", 2, 6])
    sheet.append([None, None, None, None, None])  # a blank row keeps its number
    sheet.append([2025, "Agence", "D-1", 1, -1])
    path = tmp_path / "staff.xlsx"
    book.save(path)
    with pytest.raises(FileRefused) as caught:
        parse_file(path, reference)
    assert str(caught.value).splitlines()[1] == (
        "staff.xlsx: row 4, column 'men': '-1' is negative"
    )
    sheet["E4"] = 3
    book.save(path)
    frame = parse_file(path, reference).frame.set_index(["grade", "gender"])["headcount"]
    assert frame.to_dict() == {("P-5", "F"): 2, ("P-5", "M"): 6, ("D-1", "F"): 1, ("D-1", "M"): 3}


def test_blank_lines_keep_spreadsheet_row_numbers(
    write: Callable[..., Path], reference: Reference
) -> None:
    path = write("f.csv", LONG + "2025,A,P-4,F,1\n\n2025,A,P-4,M,x\n")
    assert refusal(path, reference).splitlines()[1] == (
        "f.csv: row 4, column 'headcount': 'x' is not a number"
    )


def test_a_delimiter_at_the_end_of_each_line(
    write: Callable[..., Path], reference: Reference
) -> None:
    path = write("f.csv", LONG + "2025,A,P-4,F,3,\n2025,A,P-4,M,4,\n")
    frame = parse_file(path, reference).frame
    assert frame[["year", "entity", "gender", "headcount"]].values.tolist() == [
        [2025, "A", "F", 3],
        [2025, "A", "M", 4],
    ]


@pytest.mark.parametrize(
    ("content", "line"),
    [(LONG + "2025,A,P-4,F,3,9\n2025,A,P-4,M,4\n",
      "f.csv: row 2: '9' is one value more than the header has columns"),
     (LONG + "2025,A,P-4,F,3\n2025,A,P-4,M,4,9\n",
      "f.csv: cannot be read as CSV (Error tokenizing data. C error: Expected 5 fields in line 3, "
      "saw 6)")],
)  # fmt: skip
def test_a_row_longer_than_the_header(
    write: Callable[..., Path], reference: Reference, content: str, line: str
) -> None:
    assert refusal(write("f.csv", content), reference).splitlines()[1] == line


def _truncated_gzip(rows: int) -> bytes:
    """A gzipped CSV of ``rows`` random rows, cut in the middle of the stream."""
    rng = random.Random(7)
    lines = [f"2025,E{rng.randrange(10**6)},P-4,F,{rng.randrange(99)}\n" for _ in range(rows)]
    data = gzip.compress((LONG + "".join(lines)).encode(), mtime=0)
    return data[: len(data) // 2]


# fmt: off
UNREADABLE = [
    ("empty.csv", b"", "empty.csv: the file is empty"),
    ("blank.csv", b"\n\n", "blank.csv: the file is empty"),
    ("empty.csv.gz", gzip.compress(b"", mtime=0), "empty.csv.gz: the file is empty"),
    ("binary.csv", bytes(range(256)) * 4, "binary.csv: is not a text (CSV) file; use CSV or XLSX"),
    ("broken.xlsx", b"PK\x03\x04 not really a workbook",
     "broken.xlsx: cannot be read as an Excel workbook"),
    ("plain.csv.gz", LONG.encode(),
     "plain.csv.gz: cannot be read as a gzipped file (Not a gzipped file (b'ye'))"),
    ("cut.csv.gz", _truncated_gzip(100),
     "cut.csv.gz: cannot be read as a gzipped file (Compressed file ended before"),
    ("long-cut.csv.gz", _truncated_gzip(20_000),  # cut after the part sampled for the encoding
     "long-cut.csv.gz: cannot be read as a gzipped file (Compressed file ended before"),
    ("header.csv", LONG.encode(), "header.csv: the file has no data rows"),
    ("other.csv", b"name,age\nAda,36\n",
     "other.csv: row 1: missing required column(s) 'year', 'entity', 'grade', 'gender'; "
     "found: name, age")
]
# fmt: on


@pytest.mark.parametrize(
    ("name", "content", "line"), [pytest.param(*case, id=case[0]) for case in UNREADABLE]
)
def test_unreadable_files(
    write: Callable[..., Path], reference: Reference, name: str, content: bytes, line: str
) -> None:
    lines = refusal(write(name, content), reference).splitlines()
    assert lines[0] == f"{name}: refused, 1 problem; nothing was imported."
    assert lines[1].startswith(line)
    assert len(lines) == 2


def test_missing_file_and_directory(tmp_path: Path, reference: Reference) -> None:
    assert refusal(tmp_path / "nope.csv", reference).endswith("nope.csv: file not found")
    (tmp_path / "folder.csv").mkdir()
    assert refusal(tmp_path / "folder.csv", reference).endswith("folder.csv: is not a file")


def test_kind_follows_the_columns(write: Callable[..., Path], reference: Reference) -> None:
    flows = write("flows.csv", "year,entity,grade,sex,event,count\n2025,A,P-4,F,promotion,2\n")
    targets = write("targets.csv", "entity,grade,year,target\nA,P-4,2028,50%\n")
    assert parse_file(flows, reference).kind == "flows"
    assert parse_file(targets, reference).kind == "targets"
    assert parse_file(write("s.csv", text(",")), reference).kind == "staff"


def test_the_fast_reader_and_pandas_read_a_plain_file_alike(
    tmp_path: Path, reference: Reference, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Arrow's CSV reader takes plain UTF-8 files; pandas' parser everything else. On a file
    with quoted delimiters, a line break inside a quoted value, accents, spaces around values and
    a count written '007', both give the same cells, row numbers and figures."""
    from parity.ingest import reading

    path = tmp_path / "plain.csv"
    path.write_text(
        "year,entity,grade,gender,headcount,duty_station\n"
        '2024,"Office, Genève",P-4,F,007,"New\nYork"\n'
        '2024,"Office, Genève",P-4, M ,3, Nairobi \n'
        "2024,Bureau,D-1,F,2,\n",
        encoding="utf-8",
    )
    fast = reading.read_table(path)
    assert list(fast.dtypes.map(str))[:2] == ["category", "category"]  # the fast path ran
    monkeypatch.setattr(reading, "_read_plain_csv", lambda *_: None)
    slow = reading.read_table(path)
    assert fast.astype(str).to_dict("records") == slow.astype(str).to_dict("records")
    assert fast["_row"].tolist() == [2, 3, 4]
    assert fast.loc[0, "entity"] == "Office, Genève" and fast.loc[0, "headcount"] == "007"
    assert fast.loc[0, "duty_station"] == "New\nYork"
    parsed = parse_file(path, reference)
    assert sorted(parsed.frame["headcount"].tolist()) == [2, 3, 7]
