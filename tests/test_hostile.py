"""Hostile files: each refused fast with exit 2 and a one-line reason, nothing stored, exit 1
never (issue 9). Bombs run in a child process whose peak memory is measured."""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from parity.cli import main
from parity.store import Store

HEADER = "year,entity,grade,gender,headcount\n"


def import_file(path: Path, db: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(["import", str(path), "--db", db])
    return status, capsys.readouterr().err


def refused(path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """Import ``path`` into a fresh store: it must be refused with exit 2, nothing stored."""
    db = f"sqlite:///{tmp_path / 'h.db'}"
    status, err = import_file(path, db, capsys)
    assert status == 2, err
    assert err.startswith("parity: ") or f"{path.name}: refused" in err, err
    store = Store(db)
    try:
        assert store.batches() == []
    finally:
        store.dispose()
    return err


def gzip_stream(path: Path, header: bytes, line: bytes, repeat: int) -> None:
    """A gzip file of ``header`` then ``line`` ``repeat`` times, written without building it in
    memory (the repeated block compresses to almost nothing: a bomb)."""
    block = line * max(1, (1 << 20) // len(line))
    per_block = len(block) // len(line)
    with gzip.open(path, "wb", compresslevel=1) as handle:
        handle.write(header)
        for _ in range(repeat // per_block):
            handle.write(block)


def measured(args: list[str], env: dict[str, str] | None = None) -> tuple[int, str, float]:
    """Run ``python -m parity *args`` in a child: exit status, stderr, peak MB."""
    code = (
        "import json, resource, subprocess, sys\n"
        "r = subprocess.run([sys.executable, '-m', 'parity', *sys.argv[1:]], "
        "capture_output=True, text=True)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(json.dumps([r.returncode, r.stderr, peak]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True, env=env
    )
    status, err, peak = json.loads(out.stdout)
    return int(status), str(err), float(peak)


@pytest.mark.slow
def test_gzip_bomb_is_refused_small(tmp_path: Path) -> None:
    # 1.1 GB of 100-byte rows (11M lines, under the 20M-line limit) in a file of about 5 MB:
    # refused at the 1,000 MB uncompressed limit
    bomb = tmp_path / "bomb.csv.gz"
    line = b"2025," + b"A" * 84 + b",P-4,F,1\n"
    gzip_stream(bomb, HEADER.encode(), line, 11_500_000)
    assert bomb.stat().st_size < 20 * 2**20
    db = f"sqlite:///{tmp_path / 'b.db'}"
    status, err, peak = measured(["import", str(bomb), "--db", db])
    assert status == 2, err
    assert "is larger than 1,000 MB uncompressed (the limit)" in err
    assert peak < 500, peak


def test_newline_bomb_is_refused_at_the_line_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bomb = tmp_path / "lines.csv.gz"
    gzip_stream(bomb, HEADER.encode(), b"\n", 25_000_000)  # 25M blank lines, 25 KB of gzip
    err = refused(bomb, tmp_path, capsys)
    assert "has more than 20,000,000 lines (the limit)" in err


def test_a_header_of_100000_columns_is_refused_before_parsing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(100_000)) + "\n" + "1," * 99_999 + "1\n")
    err = refused(path, tmp_path, capsys)
    # the header runs past the first 64 KiB, where it is counted: "more than 10,950"
    assert "has more than 10,950 columns in its first line; at most 200 allowed" in err


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("cut.csv.gz", gzip.compress((HEADER + "2025,A,P-4,F,1\n" * 5000).encode())[:-6]),
        ("garbage.csv.gz", b"\x1f\x8b\x08\x00" + bytes(range(256)) * 4),
        ("flipped.csv.gz", (lambda b: b[:40] + bytes([b[40] ^ 0xFF]) + b[41:])(
            gzip.compress((HEADER + "2025,A,P-4,F,1\n" * 200).encode()))),
    ],
    ids=["truncated", "garbage", "flipped-byte"],
)  # fmt: skip
def test_a_corrupt_gzip_is_a_refusal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    err = refused(path, tmp_path, capsys)
    assert "cannot be read as a gzipped file" in err or "cannot be read as CSV" in err, err
    assert err.count("\n") <= 2  # the refusal and its one reason


def _workbook() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["year", "entity", "grade", "gender", "headcount"])
    for i in range(200):
        sheet.append([2025, "A", "P-4", "F" if i % 2 else "M", 1])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _zip_bomb() -> bytes:
    """An .xlsx whose one part expands to 1.2 GB (declared honestly in the zip directory)."""
    buffer = io.BytesIO()
    archive = zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
    with archive, archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
        block = b" " * (1 << 20)
        for _ in range(1200):
            part.write(block)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (lambda: _workbook()[:2000], "cannot be read as an Excel workbook"),
        (lambda: b"PK\x03\x04" + bytes(range(256)) * 8, "cannot be read as an Excel workbook"),
        (_zip_bomb, "more than the 1,000 MB limit"),
    ],
    ids=["truncated", "garbage", "zip-bomb"],
)
def test_a_damaged_or_bombed_workbook_is_a_refusal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: object, reason: str
) -> None:
    path = tmp_path / "book.xlsx"
    path.write_bytes(content())  # type: ignore[operator]
    assert reason in refused(path, tmp_path, capsys)


@pytest.mark.parametrize(
    ("header", "row", "expected"),
    [
        ("year,entity,grade,Women,Women,Men", "2025,A,P-4,1,2,3",
         "row 1, column 'Women': appears more than once in the header"),
        ("year,entity,grade,gender,headcount,headcount", "2025,A,P-4,F,1,2",
         "row 1, column 'headcount': appears more than once in the header"),
        ("year,entity,grade,Gender,Sex,headcount", "2025,A,P-4,F,F,1",
         "columns 'Gender' and 'Sex' both mean 'gender'; keep one"),
        ("year,entity,grade,gender,Headcount,Count", "2025,A,P-4,F,1,1",
         "columns 'Headcount' and 'Count' both mean 'headcount'; keep one"),
        ("year,entity,grade,gender,headcount,Women,Men", "2025,A,P-4,F,1,2,3",
         "mixes the long shape (a gender and a count column) with the wide shape (a count "
         "column per gender): gender, headcount, Women, Men; use one shape"),
    ],
    ids=["wide-twice", "count-twice", "sex-and-gender", "count-and-headcount", "long-and-wide"],
)  # fmt: skip
def test_ambiguous_columns_are_refused_by_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], header: str, row: str, expected: str
) -> None:
    path = tmp_path / "dup.csv"
    path.write_text(f"{header}\n{row}\n")
    assert expected in refused(path, tmp_path, capsys)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1e9", "'1e9' is not a count written in digits (no sign, exponent or separator)"),
        ("+5", "'+5' is not a count written in digits (no sign, exponent or separator)"),
        ("5.5", "'5.5' is not a whole number"),
        ("-2", "'-2' is negative"),
    ],
)
def test_counts_are_whole_numbers_in_digits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str, message: str
) -> None:
    path = tmp_path / "counts.csv"
    path.write_text(f"{HEADER}2025,A,P-4,F,{value}\n")
    assert f"row 2, column 'headcount': {message}" in refused(path, tmp_path, capsys)


def test_a_spreadsheet_whole_number_is_a_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "float.csv"
    path.write_text(f"{HEADER}2025,A,P-4,F,5.0\n2025,A,P-4,M, 7 \n")
    db = f"sqlite:///{tmp_path / 'f.db'}"
    assert import_file(path, db, capsys)[0] == 0
    status = main(["report", "--db", db, "--format", "json"])
    rows = json.loads(capsys.readouterr().out)
    assert status == 0 and (rows[0]["women"], rows[0]["men"]) == (5, 7)


def test_summed_counts_must_fit_every_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # two rows of the same key, each within 2^31 - 1, summed past it: refused on SQLite too
    path = tmp_path / "sum.csv"
    path.write_text(f"{HEADER}2025,A,P-4,F,2000000000\n2025,A,P-4,F,2000000000\n")
    err = refused(path, tmp_path, capsys)
    assert "'4000000000' is the sum of the rows for A, P-4, 2025: more than 2,147,483,647" in err


def test_a_nul_byte_after_the_first_64_kib_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = "".join(f"2025,Entity {i % 7},P-4,F,1\n" for i in range(5000))
    path = tmp_path / "nul.csv"
    path.write_text(HEADER + rows + "2025,Bad\x00Name,P-4,F,1\n")
    assert path.stat().st_size > 64 * 1024
    err = refused(path, tmp_path, capsys)
    assert "row 5002, column 'entity': 'Bad\\\\0Name' holds a NUL character" in err, err


def test_an_over_long_cell_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "long.csv"
    path.write_text(f"{HEADER}2025,{'A' * 1001},P-4,F,1\n")
    assert "is longer than 1,000 characters (the limit)" in refused(path, tmp_path, capsys)


def test_undecodable_text_is_a_refusal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "odd.csv"
    # a UTF-16 byte-order mark, then an odd number of bytes of which the last is cut
    path.write_bytes(b"\xff\xfe" + HEADER.encode("utf-16-le") + b"\x00\xd8\x41")
    err = refused(path, tmp_path, capsys)
    assert "refused" in err


def test_zlib_errors_never_escape_as_unexpected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's 181 corrupt .gz mutations all ended in exit 1; a sample of byte flips."""
    good = gzip.compress((HEADER + "2025,A,P-4,F,1\n" * 300).encode())
    db = f"sqlite:///{tmp_path / 'z.db'}"
    for position in range(10, len(good), max(1, len(good) // 40)):
        path = tmp_path / f"m{position}.csv.gz"
        path.write_bytes(good[:position] + bytes([good[position] ^ 0x55]) + good[position + 1 :])
        status, err = import_file(path, db, capsys)
        assert status in (0, 2), (position, err)
        assert "unexpected error" not in err


def test_the_limits_are_settings(tmp_path: Path) -> None:
    from parity.settings import Settings

    env = {"PARITY_MAX_UPLOAD_MB": "5", "PARITY_MAX_COLUMNS": "8", "PARITY_MAX_CELL": "20"}
    limits = Settings.from_env(env).limits
    # uncompressed: 20 x the upload limit unless set
    assert (limits.max_bytes, limits.max_columns, limits.max_cell) == (100 * 2**20, 8, 20)
    assert Settings.from_env({"PARITY_MAX_UNCOMPRESSED_MB": "7"}).limits.max_bytes == 7 * 2**20
    path = tmp_path / "nine.csv"
    path.write_text(",".join(f"c{i}" for i in range(9)) + "\n" + ",".join("1" * 9) + "\n")
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "parity",
            "import",
            str(path),
            "--db",
            f"sqlite:///{tmp_path / 's.db'}",
        ],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, **env},
    )
    assert out.returncode == 2
    assert "has 9 columns in its first line; at most 8 allowed" in out.stderr
