"""What a file may hold, checked before and while it is read.

``Limits`` (size uncompressed, columns, rows, characters in a cell) and the guards that enforce
them on hostile input: a streaming scan of the (decompressed) text that refuses a compressed
bomb, a newline bomb or an endless line as soon as it passes a limit, the check of a workbook's
zip archive before a byte of it is parsed, and the check of the cells read (repeated header
names, NUL characters, over-long cells). Each refusal is a FileRefused naming the file.
"""

from __future__ import annotations

import gzip
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from parity.errors import FileRefused, Problem
from parity.i18n import _, number

SAMPLE_BYTES = 64 * 1024
CHUNK = 1 << 20
DELIMITERS = ",;\t|"


@dataclass(frozen=True)
class Limits:
    """What a file may hold before it is refused unread: checked while reading, so that a
    compressed bomb, a newline bomb or a header of 100,000 columns costs seconds, not memory."""

    max_bytes: int = 1000 * 2**20  # uncompressed: 20 x the 50 MB upload limit
    max_columns: int = 200
    max_rows: int = 20_000_000
    max_cell: int = 1_000  # characters in one cell

    @property
    def max_line(self) -> int:
        """Bytes in one line of text: every column at the longest cell, quoted, in UTF-8."""
        return self.max_columns * (4 * self.max_cell + 3)

    def words(self) -> str:
        return _(
            "at most {size} MB uncompressed, {columns} columns, {rows} rows and {cell} "
            "characters a cell"
        ).format(
            size=number(self.max_bytes / 2**20),
            columns=number(self.max_columns),
            rows=number(self.max_rows),
            cell=number(self.max_cell),
        )


def refusal(name: str, message: str) -> FileRefused:
    """The refusal of a whole file, for one reason (no row, column or value)."""
    return FileRefused(name, [Problem(None, None, None, message)])


def _open(path: Path) -> object:
    return gzip.open(path, "rb") if path.suffix.lower() == ".gz" else path.open("rb")


def scan(path: Path, limits: Limits) -> tuple[bytes, bool]:
    """Read the whole (decompressed) file once, as a stream, and refuse it as soon as it passes
    a limit: its size, its number of lines, the length of a line, or the columns of its first
    line. A corrupt or truncated gzip stream is a refusal too. Returns the first SAMPLE_BYTES
    and whether the file has a blank line (whose row the fast parser would not count)."""
    name = path.name
    sample = b""
    size = lines = 0
    line = 0  # bytes since the last newline
    header_checked = False
    blank = False
    tail = b"\n"  # the last bytes of the previous chunk (a file's start is a line's start)
    try:
        with _open(path) as handle:  # type: ignore[attr-defined]
            while True:
                chunk = handle.read(CHUNK)
                if not chunk:
                    break
                if len(sample) < SAMPLE_BYTES:
                    sample += chunk[: SAMPLE_BYTES - len(sample)]
                if not header_checked and (b"\n" in sample or len(sample) >= SAMPLE_BYTES):
                    _check_header(sample, name, limits)
                    header_checked = True
                joined = tail + chunk[:2]
                blank = blank or any(b in chunk or b in joined for b in (b"\n\n", b"\n\r\n"))
                tail = chunk[-2:]
                size += len(chunk)
                if size > limits.max_bytes:
                    raise refusal(
                        name,
                        _(
                            "is larger than {size} MB uncompressed (the limit); split it, or "
                            "raise PARITY_MAX_UNCOMPRESSED_MB"
                        ).format(size=number(limits.max_bytes / 2**20)),
                    )
                ends = np.flatnonzero(np.frombuffer(chunk, dtype=np.uint8) == 10)
                lines += len(ends)
                if lines > limits.max_rows:
                    raise refusal(
                        name,
                        _("has more than {n} lines (the limit)").format(n=number(limits.max_rows)),
                    )
                if len(ends):
                    longest = max(line + int(ends[0]), int(np.diff(ends).max(initial=0)))
                    line = len(chunk) - int(ends[-1]) - 1
                else:
                    longest = line = line + len(chunk)
                if longest > limits.max_line:
                    raise refusal(
                        name,
                        _(
                            "has a line longer than {n} bytes: not a table of at most {columns} "
                            "columns of {cell} characters"
                        ).format(
                            n=number(limits.max_line),
                            columns=limits.max_columns,
                            cell=number(limits.max_cell),
                        ),
                    )
    except (OSError, EOFError, zlib.error) as error:  # gzip.BadGzipFile is an OSError
        raise refusal(
            name, _("cannot be read as a gzipped file ({error})").format(error=error)
        ) from None
    if not header_checked and sample:
        _check_header(sample, name, limits)
    return sample, blank


def _check_header(sample: bytes, name: str, limits: Limits) -> None:
    """Refuse a first line with more columns than the limit, before anything parses it."""
    first = sample.split(b"\n", 1)[0]
    if first.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: every other byte is NUL
        first = first.replace(b"\x00", b"")
    columns = 1 + max(first.count(d.encode()) for d in DELIMITERS)
    if columns > limits.max_columns:
        if b"\n" in sample:
            message = _("has {n} columns in its first line; at most {maximum} allowed")
        else:  # the line runs on past the sample
            message = _("has more than {n} columns in its first line; at most {maximum} allowed")
        raise refusal(name, message.format(n=number(columns), maximum=limits.max_columns))


def check_workbook(path: Path, limits: Limits) -> None:
    """An XLSX file is a zip archive: refuse a damaged one, and one whose contents would
    expand past the size limit, before a byte of it is parsed."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise refusal(
            name, _("cannot be read as an Excel workbook ({error})").format(error=error)
        ) from None
    expanded = sum(entry.file_size for entry in entries)
    if len(entries) > 10_000 or expanded > limits.max_bytes:
        raise refusal(
            name,
            _("expands to {size} MB ({parts} parts): more than the {limit} MB limit").format(
                size=number(expanded / 2**20),
                parts=number(len(entries)),
                limit=number(limits.max_bytes / 2**20),
            ),
        )


MANGLED = re.compile(r"^(.*)\.([1-9][0-9]*)$")  # pandas renames a repeated header 'x' to 'x.1'


def check_cells(table: pd.DataFrame, rows: np.ndarray, name: str, limits: Limits) -> None:
    """Refuse repeated header names, a NUL character anywhere, and over-long cells, naming the
    row and column."""
    columns = [str(c) for c in table.columns]
    repeated = sorted(
        {m.group(1) for c in columns if (m := MANGLED.match(c)) and m.group(1) in columns}
    )
    if repeated:
        raise FileRefused(
            name,
            [Problem(1, c, None, _("appears more than once in the header")) for c in repeated],
        )
    problems = [
        Problem(1, None, c[:40], _("a column name holds a NUL character"))
        for c in columns
        if "\x00" in c
    ]
    problems += [
        Problem(
            1,
            c[:40] + "...",
            None,
            _("a column name is longer than {n}").format(n=number(limits.max_cell)),
        )
        for c in columns
        if len(c) > limits.max_cell
    ]
    for column in table.columns:
        values = table[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            distinct = pd.Series(values.cat.categories, dtype=object).astype(str)
        else:
            distinct = pd.Series(pd.unique(values.to_numpy(dtype=object)), dtype=object).astype(str)
        nul = distinct[distinct.str.contains("\x00", regex=False)]
        long = distinct[distinct.str.len() > limits.max_cell]
        for bad, message in (
            (nul, _("holds a NUL character")),
            (
                long,
                _("is longer than {n} characters (the limit)").format(n=number(limits.max_cell)),
            ),
        ):
            if bad.empty:
                continue
            at = np.flatnonzero(values.astype(str).isin(set(bad)).to_numpy())[0]
            shown = str(values.iat[at]).replace("\x00", "\\0")[:40]
            problems.append(Problem(int(rows[at]), str(column), shown, message))
    if problems:
        raise FileRefused(name, problems)
