"""Property-based fuzzing of file import: valid files of every shape (long, wide, person-level,
flows, targets; CSV in four encodings and four delimiters, gzipped CSV, XLSX), mutated at
random, are either imported (exit 0) or refused (exit 2; ``FileRefused`` from ``parse_file``),
never an unexpected error (exit 1); and a refused file leaves the store as it was.

``make test`` runs a few hundred examples (the "ci" profile, derandomized so that a run is
repeatable); ``make fuzz`` runs thousands on fresh random seeds (``HYPOTHESIS_PROFILE=fuzz``),
keeping failing examples in tests/artifacts/hypothesis to replay them.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import os
import re
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.database import DirectoryBasedExampleDatabase

from parity.cli import main
from parity.errors import FileRefused, ParityError
from parity.ingest import ParsedFile, parse_file
from parity.ingest.contract import EVENTS, GENDERS, MAX_COUNT, MAX_YEAR, MIN_YEAR
from parity.reference import Reference
from parity.store import Store

ARTIFACTS = Path(__file__).parent / "artifacts"
_COMMON = {
    "deadline": None,
    "print_blob": True,
    "suppress_health_check": [
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
}
# max_examples is the total over the three fuzz tests, shared out by examples() below
settings.register_profile("ci", max_examples=300, derandomize=True, database=None, **_COMMON)
settings.register_profile(
    "fuzz",
    max_examples=10_000,
    database=DirectoryBasedExampleDatabase(str(ARTIFACTS / "hypothesis")),
    **_COMMON,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def examples(share: float) -> settings:
    """This test's share of the profile's examples."""
    return settings(max_examples=max(10, round(settings.default.max_examples * share)))


# -- valid files of every shape ------------------------------------------------------------
Table = list[list[str]]

SHAPES: dict[str, Table] = {
    "long": [
        ["year", "entity", "duty_station", "grade", "gender", "headcount"],
        ["2024", "Agence", "Genève", "P-4", "F", "3"],
        ["2024", "Agence", "Genève", "P-4", "M", "4"],
        ["2025", "UNDP", "New York", "D-1", "F", "1"],
        ["2025", "UNDP", "New York", "D-1", "M", "2"],
    ],
    "wide": [
        ["year", "entity", "grade", "Women", "Men"],
        ["2025", "Agence", "P-5", "2", "6"],
        ["2025", "Agence", "D-1", "1", "3"],
        ["2025", "Entité", "P-2", "0", "5"],
    ],
    "person": [
        ["year", "entity", "grade", "gender"],
        ["2025", "Agence", "P-4", "F"],
        ["2025", "Agence", "P-4", "F"],
        ["2025", "Agence", "P-4", "M"],
        ["2025", "Agence", "D-1", "female"],
        ["2025", "Entité", "P-3", "M"],
    ],
    "flows": [
        ["year", "entity", "grade", "gender", "event", "count"],
        ["2025", "Agence", "P-4", "F", "appointment", "2"],
        ["2025", "Agence", "P-4", "M", "appointment", "1"],
        ["2025", "Agence", "P-5", "F", "promotion", "1"],
        ["2025", "Agence", "D-1", "M", "separation", "3"],
    ],
    "targets": [
        ["entity", "grade", "year", "target", "margin"],
        ["Agence", "P-4", "2028", "50%", "3%"],
        ["Agence", "D-1", "2028", "0.45", "0.05"],
    ],
}
CONTAINERS = [
    ("csv", "utf-8"),
    ("csv", "utf-8-sig"),
    ("csv", "cp1252"),
    ("csv", "utf-16"),
    ("gz", "utf-8"),
    ("gz", "cp1252"),
    ("xlsx", None),
]
SUFFIXES = {"csv": ".csv", "gz": ".csv.gz", "xlsx": ".xlsx"}
INTEGER = re.compile(r"[0-9]{1,15}")


def _csv_text(table: Table, delimiter: str, newline: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=newline).writerows(table)
    return out.getvalue()


def _xlsx(table: Table) -> bytes:
    """The table as a workbook, as Excel would hold it: whole numbers as numbers."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in table:
        cells: list[object] = []
        for value in row:
            if INTEGER.fullmatch(value):
                cells.append(int(value))
            else:  # what a workbook cannot hold: control characters, over 32,767 characters
                cells.append(ILLEGAL_CHARACTERS_RE.sub("", value)[:32_767])
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def serialize(table: Table, container: str, encoding: str | None, delimiter: str, newline: str):
    """(the file's bytes, the bytes inside its container: the CSV text of a gzip file, None
    for a workbook)."""
    if container == "xlsx":
        return _xlsx(table), None
    assert encoding is not None
    payload = _csv_text(table, delimiter, newline).encode(encoding, errors="replace")
    if container == "gz":
        return gzip.compress(payload, mtime=0), payload
    return payload, payload


# -- mutations -----------------------------------------------------------------------------
NUMBERS = [
    "1e9", "+5", "-1", "5.0", "5.", "5.000", "-0", "0", "00", "99999999999", "2147483647",
    "2147483648", "4294967296", "9" * 40, "0x10", "1_000", "1,000", "1 000", "١٢", "５", "²",
    "Infinity", "-inf", "nan", "NaN", "1e-9", "1e400", ".5", "3 ", " 3", "\t3",
]  # fmt: skip
WORDS = [
    "", " ", "F", "M", "X", "female", "Other", "unknown", "P-4", "p4", "D-1", "USG", "SG",
    "appointment", "promotion", "separation", "exit", "2025", "1945", "1944", "2100", "2101",
    "2025.0", "2025.5", "99%", "150%", "-5%", "0.5", "Genève", "\x00", "a\x00b", "\ufeff", "\r",
    "\n", "\r\n", '"', '""', "'", ";", ",", "\t", "|", "=1+1", '=HYPERLINK("x")', "NULL", "None",
    "#N/A", "Unnamed: 0", "\u202e", "\ud7ff", "😀", "\x85", "\u2028",
]  # fmt: skip
HEADERS = [
    "year", "entity", "grade", "gender", "headcount", "Women", "Men", "Other", "sex", "Sex",
    "count", "Count", "staff", "event", "movement", "target", "margin", "duty_station",
    "Duty Station", "category", "country", "age_band", "contract_type", "personnel_type",
    "Unnamed: 0", "year.1", "headcount.1", "", " Year ", "YEAR", "\ufeffyear", "f", "m", "x",
]  # fmt: skip

cells = st.one_of(
    st.sampled_from(NUMBERS + WORDS),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats().map(str),
    st.text(max_size=12),
    st.text(st.characters(codec=None, exclude_categories=("Cs",)), max_size=12),
    st.builds(
        lambda text, n: text * n,
        st.sampled_from(["A", "é", "€", "😀", "\x00", " ", ",", '"', "\n", "P-4,"]),
        st.sampled_from([999, 1000, 1001, 4_000, 70_000]),
    ),
)
RESPELL = {
    "upper": str.upper,
    "lower": str.lower,
    "title": str.title,
    "pad": lambda v: f"  {v} ",
    "tab": lambda v: f"\t{v}",
    "nbsp": lambda v: f"\xa0{v}\xa0",
    "dot0": lambda v: f"{v}.0",
    "quote": lambda v: f'"{v}"',
}
header_names = st.one_of(st.sampled_from(HEADERS), st.text(max_size=10))
index = st.integers(min_value=0, max_value=10_000)

TABLE_OPS = st.one_of(
    st.tuples(st.just("cell"), index, index, cells),
    st.tuples(st.just("header"), index, header_names),
    st.tuples(st.just("swap_headers"), index, index),
    st.tuples(st.just("add_column"), header_names, cells),
    st.tuples(st.just("drop_column"), index),
    st.tuples(st.just("duplicate_line"), index),
    st.tuples(st.just("drop_line"), index),
    st.tuples(st.just("extra_cell"), index, cells),
    st.tuples(st.just("short_row"), index),
    # the same value spelt as people do: mostly still valid, and exercising the normalising
    st.tuples(st.just("respell"), index, index, st.sampled_from(sorted(RESPELL))),
)
# Changes that leave most files valid, so that imports as well as refusals are exercised: a
# value respelt, a row repeated, a column added, free text in the text columns, any count
FREE_TEXT = st.text(st.characters(codec=None, exclude_categories=("Cs",)), min_size=1, max_size=40)
MILD_OPS = st.one_of(
    st.tuples(st.just("respell"), index, index, st.sampled_from(sorted(RESPELL))),
    st.tuples(st.just("duplicate_line"), st.integers(min_value=1, max_value=10_000)),
    st.tuples(st.just("add_column"), header_names, cells),
    st.tuples(st.just("cell_in"), st.sampled_from(["entity", "duty_station"]), index, FREE_TEXT),
    st.tuples(
        st.just("cell_in"),
        st.sampled_from(["headcount", "count", "Women", "Men"]),
        index,
        st.one_of(
            st.integers(min_value=0, max_value=MAX_COUNT).map(str),
            st.sampled_from(["0", "5.0", "2147483647", "1073741824", " 7 "]),
        ),
    ),
)
# "inner": the bytes inside a container (the CSV text of a gzip file, a part of a workbook);
# "outer": the file's own bytes (a CSV file's are both)
place = st.sampled_from(["inner", "outer"])
BYTE_OPS = st.one_of(
    st.tuples(st.just("flip"), place, index, st.integers(min_value=1, max_value=255)),
    st.tuples(st.just("insert"), place, index, st.binary(min_size=1, max_size=8)),
    st.tuples(st.just("delete"), place, index, st.integers(min_value=1, max_value=16)),
    st.tuples(st.just("truncate"), place, index),
)


def apply_table_op(table: Table, op: tuple) -> None:
    kind, *args = op
    header = table[0]
    if kind == "cell":
        row = table[args[0] % len(table)]
        if row:
            row[args[1] % len(row)] = args[2]
    elif kind == "header":
        if header:
            header[args[0] % len(header)] = args[1]
    elif kind == "swap_headers":
        if header:
            i, j = args[0] % len(header), args[1] % len(header)
            header[i], header[j] = header[j], header[i]
    elif kind == "add_column":
        header.append(args[0])
        for row in table[1:]:
            row.append(args[1])
    elif kind == "drop_column":
        column = args[0] % max(1, len(header))
        for row in table:
            if column < len(row):
                del row[column]
    elif kind == "duplicate_line":
        i = args[0] % len(table)
        table.insert(i, list(table[i]))
    elif kind == "drop_line":
        if len(table) > 1:
            del table[args[0] % len(table)]
    elif kind == "extra_cell":
        table[args[0] % len(table)].append(args[1])
    elif kind == "cell_in":
        if args[0] in header and len(table) > 1:
            row = table[1 + args[1] % (len(table) - 1)]
            column = header.index(args[0])
            if column < len(row):
                row[column] = args[2]
    elif kind == "respell":
        row = table[args[0] % len(table)]
        if row:
            column = args[1] % len(row)
            row[column] = RESPELL[args[2]](row[column])
    elif kind == "short_row":
        row = table[args[0] % len(table)]
        if row:
            row.pop()


def apply_byte_op(data: bytes, op: tuple) -> bytes:
    kind, _, at, *args = op
    at %= len(data) + 1
    if kind == "flip":
        if not data:
            return data
        at %= len(data)
        return data[:at] + bytes([data[at] ^ args[0]]) + data[at + 1 :]
    if kind == "insert":
        return data[:at] + args[0] + data[at:]
    if kind == "delete":
        return data[:at] + data[at + args[0] :]
    return data[:at]  # truncate


def _mutate_workbook_part(data: bytes, ops: list[tuple], part: int) -> bytes:
    """Mutate one part of the workbook's zip archive, keeping the archive itself sound."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = [(info.filename, archive.read(info)) for info in archive.infolist()]
    name, content = parts[part % len(parts)]
    for op in ops:
        content = apply_byte_op(content, op)
    parts[part % len(parts)] = (name, content)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for part_name, part_content in parts:
            archive.writestr(part_name, part_content)
    return out.getvalue()


@dataclass
class Case:
    """A mutated file: how it was made (shown when a test fails) and its bytes."""

    shape: str
    container: str
    encoding: str | None
    delimiter: str
    table_ops: list[tuple]
    byte_ops: list[tuple]
    suffix: str
    content: bytes = field(repr=False)

    def __repr__(self) -> str:
        shown = repr(self.content) if len(self.content) <= 3000 else f"<{len(self.content)} bytes>"
        return (
            f"Case(shape={self.shape!r}, container={self.container!r}, "
            f"encoding={self.encoding!r}, delimiter={self.delimiter!r}, "
            f"table_ops={self.table_ops!r}, byte_ops={self.byte_ops!r}, "
            f"suffix={self.suffix!r}, content={shown})"
        )


@st.composite
def mutated_files(draw: st.DrawFn) -> Case:
    shape = draw(st.sampled_from(sorted(SHAPES)))
    container, encoding = draw(st.sampled_from(CONTAINERS))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    if draw(st.booleans()):  # mild: the file is likely to stay valid
        table_ops = draw(st.lists(MILD_OPS, min_size=1, max_size=3))
        byte_ops = []
    else:
        table_ops = draw(st.lists(TABLE_OPS, max_size=3))
        # half of these keep their bytes as written: only their table is changed
        byte_ops = draw(st.one_of(st.just([]), st.lists(BYTE_OPS, min_size=1, max_size=3)))
        if not table_ops and not byte_ops:
            table_ops = [draw(TABLE_OPS)]
    table = [list(row) for row in SHAPES[shape]]
    for op in table_ops:
        apply_table_op(table, op)
    content, payload = serialize(table, container, encoding, delimiter, newline)
    inner = [op for op in byte_ops if op[1] == "inner"]
    outer = [op for op in byte_ops if op[1] == "outer"]
    if container == "gz" and inner:
        assert payload is not None
        for op in inner:
            payload = apply_byte_op(payload, op)
        content = gzip.compress(payload, mtime=0)
    elif container == "xlsx" and inner:
        content = _mutate_workbook_part(content, inner, draw(index))
    else:
        outer = byte_ops
    for op in outer:
        content = apply_byte_op(content, op)
    # now and then a file named for another container than the one it is
    suffix = draw(
        st.sampled_from([SUFFIXES[container]] * 6 + [".csv", ".csv.gz", ".xlsx", ".txt", ""])
    )
    return Case(shape, container, encoding, delimiter, table_ops, byte_ops, suffix, content)


# -- checks --------------------------------------------------------------------------------
@contextlib.contextmanager
def written(directory: Path, case: Case) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(dir=directory) as folder:
        path = Path(folder) / f"fuzz{case.suffix}"
        path.write_bytes(case.content)
        yield path


def check_parsed(parsed: ParsedFile) -> None:
    """What an imported file holds, whatever it was: the contract's values only."""
    frame = parsed.frame
    assert parsed.kind in ("staff", "flows", "targets")
    assert len(frame) > 0
    years = frame["year"].to_numpy()
    assert ((years >= MIN_YEAR) & (years <= MAX_YEAR)).all()
    if parsed.kind == "targets":
        assert frame["target_share"].between(0, 1).all()
        return
    assert set(frame["gender"]) <= set(GENDERS)
    counts = frame["count" if parsed.kind == "flows" else "headcount"].to_numpy(dtype=np.int64)
    assert ((counts >= 0) & (counts <= MAX_COUNT)).all()
    if parsed.kind == "flows":
        assert set(frame["event"]) <= set(EVENTS)


def parse_or_refuse(
    path: Path, reference: Reference, entities: Sequence[str] = ()
) -> ParsedFile | None:
    """The parsed file, or None when it was refused: any other exception fails the test."""
    try:
        parsed = parse_file(path, reference, entities=entities)
    except FileRefused as refusal:
        assert refusal.problems, str(refusal)
        event("refused")
        return None
    check_parsed(parsed)
    event("imported")
    return parsed


DATA_TABLES = ("batches", "batch_scope", "counts", "flow_counts", "targets")
TABLE_OF_KIND = {"staff": "counts", "flows": "flow_counts", "targets": "targets"}


def snapshot(store: Store) -> tuple[list[tuple[object, ...]], dict[str, int]]:
    """The store's batches (id, kind, sha256, stored rows) and the rows of each table that
    holds a batch's data."""
    with store.engine.connect() as conn:
        batches = [
            tuple(row)
            for row in conn.execute(
                sa.text("SELECT id, kind, sha256, stored_rows FROM batches ORDER BY id")
            )
        ]
        rows = {
            table: int(conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one())
            for table in DATA_TABLES
        }
    return batches, rows


def check_imported(before: tuple, after: tuple) -> tuple[object, ...]:
    """One batch more, its rows stored in its kind's table, nothing else changed; the new
    batch (id, kind, sha256, stored rows)."""
    (batches, rows), (batches_after, rows_after) = before, after
    assert len(batches_after) == len(batches) + 1
    assert batches_after[:-1] == batches
    new = batches_after[-1]
    grown = {t: rows_after[t] - rows[t] for t in rows}
    assert grown.pop("batches") == 1
    assert grown.pop(TABLE_OF_KIND[str(new[1])]) == new[3]
    assert grown.pop("batch_scope") >= 1
    assert set(grown.values()) == {0}
    return new


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def fuzz_store(workdir: Path) -> Iterator[tuple[Store, str]]:
    """A real SQLite store holding a batch of each kind, so that "unchanged" means something."""
    url = f"sqlite:///{workdir / 'fuzz.db'}"
    store = Store(url)
    for shape in ("long", "flows", "targets"):
        content, _ = serialize(SHAPES[shape], "csv", "utf-8", ",", "\n")
        path = workdir / f"seed-{shape}.csv"
        path.write_bytes(content)
        store.import_parsed(parse_file(path, store.reference()))
    yield store, url
    store.dispose()


# -- the tests -----------------------------------------------------------------------------
@pytest.mark.parametrize("container", CONTAINERS, ids=lambda c: "-".join(filter(None, c)))
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_unmutated_shape_imports(
    workdir: Path, reference: Reference, shape: str, container: tuple[str, str | None]
) -> None:
    """The starting points are valid: what the fuzzer refuses, its mutations made invalid."""
    content, _ = serialize(SHAPES[shape], container[0], container[1], ",", "\n")
    case = Case(shape, container[0], container[1], ",", [], [], SUFFIXES[container[0]], content)
    with written(workdir, case) as path:
        parsed = parse_file(path, reference)
    check_parsed(parsed)
    assert parsed.kind == {"flows": "flows", "targets": "targets"}.get(shape, "staff")
    assert parsed.source_rows == len(SHAPES[shape]) - 1


@pytest.mark.slow
@examples(0.6)
@given(case=mutated_files())
def test_a_mutated_file_is_parsed_or_refused(
    workdir: Path, reference: Reference, case: Case
) -> None:
    with written(workdir, case) as path:
        parse_or_refuse(path, reference)


@pytest.mark.slow
@examples(0.25)
@given(case=mutated_files())
def test_a_refused_file_leaves_the_store_unchanged(
    workdir: Path, fuzz_store: tuple[Store, str], case: Case
) -> None:
    store, _ = fuzz_store
    before = snapshot(store)
    with written(workdir, case) as path:
        parsed = parse_or_refuse(path, store.reference(), store.entity_names())
    if parsed is None:
        assert snapshot(store) == before
        return
    try:
        store.import_parsed(parsed)
    except ParityError:  # the same bytes already imported, or the database refused the batch
        assert snapshot(store) == before
        return
    new = check_imported(before, snapshot(store))
    assert (new[1], new[2], new[3]) == (parsed.kind, parsed.sha256, len(parsed.frame))


def _run_cli(path: Path, url: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        status = main(["import", str(path), "--db", url])
    return status, err.getvalue()


@pytest.mark.slow
@examples(0.15)
@given(case=mutated_files())
def test_the_cli_exits_0_or_2_never_1(
    workdir: Path, fuzz_store: tuple[Store, str], case: Case
) -> None:
    store, url = fuzz_store
    before = snapshot(store)
    with written(workdir, case) as path:
        status, err = _run_cli(path, url)
        if status == 1:  # again, letting the exception out: its traceback is the report
            with mock.patch.dict(os.environ, {"PARITY_DEBUG": "1"}):
                _run_cli(path, url)
    assert status in (0, 2), err
    assert "unexpected error" not in err
    if status == 0:
        check_imported(before, snapshot(store))
        return
    assert snapshot(store) == before
    # a one-line reason per problem: the refusal's first line, then one line each
    name = path.name
    lines = err.rstrip("\n").split("\n")
    assert lines, "exit 2 without a reason"
    for line in lines:
        assert line.startswith((f"{name}: ", "parity: ", "... and ")), lines


# -- what the fuzzer found ---------------------------------------------------------------
# Product bugs the fuzzer found (fixed): each kept as a named test.
TWO_COLUMNS_OF_ONE_MEANING = [
    "entity,grade,year,target,margin, Year \nAgence,P-4,2028,50%,3%,1e9\n",
    "Entity,entity,grade,year,target\nA,A,P-4,2028,50%\n",
    "entity,grade,year,target,target_share\nA,P-4,2028,50%,40%\n",
]


@pytest.mark.parametrize("content", TWO_COLUMNS_OF_ONE_MEANING, ids=["year", "entity", "target"])
def test_found_a_targets_file_with_two_columns_of_one_meaning(
    workdir: Path, fuzz_store: tuple[Store, str], content: str
) -> None:
    store, url = fuzz_store
    before = snapshot(store)
    case = Case("targets", "csv", "utf-8", ",", [], [], ".csv", content.encode())
    with written(workdir, case) as path:
        with pytest.raises(FileRefused, match="both mean"):
            parse_file(path, store.reference())
        assert _run_cli(path, url)[0] == 2
    assert snapshot(store) == before


def test_found_a_column_name_with_a_line_break_in_a_refusal(
    workdir: Path, fuzz_store: tuple[Store, str]
) -> None:
    content = 'entity,grade,gender,event,count,"a\nb"\nAgence,P-4,F,appointment,2,1\n'
    case = Case("flows", "csv", "utf-8", ",", [], [], ".csv", content.encode())
    with written(workdir, case) as path:
        status, err = _run_cli(path, fuzz_store[1])
    assert status == 2
    assert all(line.startswith("fuzz.csv: ") for line in err.rstrip("\n").split("\n")), err
