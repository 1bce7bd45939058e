"""Read a user's file (CSV in any common delimiter and encoding, gzipped CSV, XLSX) into a
validated canonical frame. Nothing here touches the store: see ``parity.store.Store.import_parsed``.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import re
import zipfile
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from parity.errors import FileRefused, MissingColumns, Problem
from parity.i18n import _, number
from parity.reference import Reference
from parity.schema import file_kind, header_score, normalise_column_name, validate

EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
SAMPLE_BYTES = 64 * 1024
CHUNK = 1 << 20
HEADER_ROWS = 20  # the header is looked for in a file's first 20 rows (titles above it)
DELIMITERS = ",;\t|"
# What reading a damaged or hostile file can raise, from pandas' parser, zlib, gzip and csv:
# each is a refusal of the file, never an unexpected error.
READ_ERRORS = (
    pd.errors.ParserError,
    ValueError,
    csv.Error,
    OSError,
    EOFError,
    zlib.error,
    UnicodeError,
)


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


@dataclass(frozen=True)
class ParsedFile:
    """A validated file, ready to be stored as one batch."""

    file_name: str
    sha256: str
    source_rows: int
    frame: pd.DataFrame
    kind: str = "staff"  # staff, flows or targets (see schema.file_kind)
    notes: tuple[str, ...] = ()  # what the import did beyond the contract's columns
    signature: str = ""  # of the header (see header_signature)
    mapping: tuple[tuple[str, str], ...] = ()  # the file's columns read as contract columns


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _refuse(name: str, message: str) -> FileRefused:
    return FileRefused(name, [Problem(None, None, None, message)])


def _open(path: Path) -> object:
    return gzip.open(path, "rb") if path.suffix.lower() == ".gz" else path.open("rb")


def _scan(path: Path, limits: Limits) -> tuple[bytes, bool]:
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
                    raise _refuse(
                        name,
                        _(
                            "is larger than {size} MB uncompressed (the limit); split it, or "
                            "raise PARITY_MAX_UNCOMPRESSED_MB"
                        ).format(size=number(limits.max_bytes / 2**20)),
                    )
                ends = np.flatnonzero(np.frombuffer(chunk, dtype=np.uint8) == 10)
                lines += len(ends)
                if lines > limits.max_rows:
                    raise _refuse(
                        name,
                        _("has more than {n} lines (the limit)").format(n=number(limits.max_rows)),
                    )
                if len(ends):
                    longest = max(line + int(ends[0]), int(np.diff(ends).max(initial=0)))
                    line = len(chunk) - int(ends[-1]) - 1
                else:
                    longest = line = line + len(chunk)
                if longest > limits.max_line:
                    raise _refuse(
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
        raise _refuse(
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
        raise _refuse(name, message.format(n=number(columns), maximum=limits.max_columns))


def _encoding(sample: bytes) -> str:
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as error:
        if error.start > len(sample) - 4:  # a character cut by the end of the sample
            return "utf-8"
    from charset_normalizer import from_bytes

    matches = list(from_bytes(sample))
    if not matches:
        return "cp1252"
    # Short samples fit several code pages equally well; Windows-1252 (Western European, the
    # usual Excel export) wins a tie.
    least_chaos = min(m.chaos for m in matches)
    tied = [m.encoding for m in matches if m.chaos == least_chaos]
    return "cp1252" if "cp1252" in tied else tied[0]


def _delimiter(text: str) -> str:
    lines = text.splitlines()[:50]
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _without_implicit_index(table: pd.DataFrame, name: str) -> pd.DataFrame:
    """Undo pandas' implicit index: when the first data row has one value more than the header,
    pandas takes the first column as the index and shifts every value one column left. Empty
    extra values (a delimiter at the end of each line) are harmless; any other is refused."""
    extra = table.iloc[:, -1].to_numpy()
    filled = [i for i, value in enumerate(extra) if not pd.isna(value) and value != ""]
    if filled:
        message = _("is one value more than the header has columns")
        raise FileRefused(name, [Problem(i + 2, None, str(extra[i]), message) for i in filled])
    values = table.iloc[:, :-1].to_numpy()
    columns = list(table.columns)
    shifted = {columns[0]: table.index.to_numpy()}
    shifted.update({column: values[:, i] for i, column in enumerate(columns[1:])})
    return pd.DataFrame(shifted)


def _check_workbook(path: Path, limits: Limits) -> None:
    """An XLSX file is a zip archive: refuse a damaged one, and one whose contents would
    expand past the size limit, before a byte of it is parsed."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise _refuse(
            name, _("cannot be read as an Excel workbook ({error})").format(error=error)
        ) from None
    expanded = sum(entry.file_size for entry in entries)
    if len(entries) > 10_000 or expanded > limits.max_bytes:
        raise _refuse(
            name,
            _("expands to {size} MB ({parts} parts): more than the {limit} MB limit").format(
                size=number(expanded / 2**20),
                parts=number(len(entries)),
                limit=number(limits.max_bytes / 2**20),
            ),
        )


def _read_workbook(path: Path, limits: Limits) -> tuple[pd.DataFrame, np.ndarray]:
    """The sheet holding the table (the one whose header, found in its first 20 rows, names
    the most contract columns; the first sheet when none does), from its header row down."""
    name = path.name
    _check_workbook(path, limits)
    try:
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_path(str(path))
        best: tuple[int, str, int] | None = None  # score, sheet, header index
        for sheet_name in book.sheet_names:
            sheet = book.get_sheet_by_name(sheet_name)
            if sheet.width > limits.max_columns:
                raise _refuse(
                    name,
                    _("sheet {sheet} has {n} columns; at most {maximum} allowed").format(
                        sheet=repr(sheet_name), n=number(sheet.width), maximum=limits.max_columns
                    ),
                )
            if sheet.height > limits.max_rows:
                raise _refuse(
                    name,
                    _("sheet {sheet} has more than {n} rows (the limit)").format(
                        sheet=repr(sheet_name), n=number(limits.max_rows)
                    ),
                )
            top = [
                ["" if c is None else str(c) for c in row]
                for row in sheet.to_python(skip_empty_area=False, nrows=HEADER_ROWS)
            ]
            header = _header_row(top)
            score = header_score(top[header]) if top else 0
            if best is None or score > best[0]:
                best = (score, sheet_name, header)
        if best is None:
            raise _refuse(name, _("the workbook has no sheets"))
        _score, sheet_name, header = best
        table = pd.read_excel(
            path,
            engine="calamine",
            sheet_name=sheet_name,
            header=header,
            dtype=str,
            keep_default_na=False,
        )
    except FileRefused:
        raise
    except Exception as error:  # calamine raises many kinds; all mean "cannot read it"
        raise _refuse(
            name, _("cannot be read as an Excel workbook ({error})").format(error=error)
        ) from None
    rows = table.index.to_numpy() + 2 + header
    # empty cells read as "" (not NaN): a row of empty or blank cells is a blank line
    cells = table.fillna("").astype(str)
    blank = cells.apply(lambda column: column.str.strip().eq("")).all(axis=1).to_numpy()
    table.attrs.update(header_row=header + 1, sheet=sheet_name, sheets=list(book.sheet_names))
    return table[~blank], rows[~blank]


def _read_text(path: Path, limits: Limits) -> tuple[pd.DataFrame, np.ndarray]:
    name = path.name
    sample, has_blank_line = _scan(path, limits)
    encoding = _encoding(sample)
    if b"\x00" in sample and not encoding.startswith("utf-16"):
        raise _refuse(name, _("is not a text (CSV) file; use CSV or XLSX"))
    text = sample.decode(encoding, errors="replace")
    if not text.strip():
        raise _refuse(name, _("the file is empty"))
    # An all-ASCII sample proves little: a Windows-1252 export may show its first accent
    # after it, and then reads as Windows-1252 (the same bytes for ASCII).
    encodings = [encoding, "cp1252"] if encoding == "utf-8" and sample.isascii() else [encoding]
    delimiter = _delimiter(text)
    lines = text.splitlines()[:HEADER_ROWS]
    header = _header_row(list(csv.reader(lines, delimiter=delimiter)))
    if header:  # titles above the header: the delimiter is the header's
        delimiter = _delimiter("\n".join(text.splitlines()[header:]))
    fast = None
    if not header and not has_blank_line and encoding in ("utf-8", "utf-8-sig", "ascii"):
        fast = _read_plain_csv(path, delimiter)
    if fast is not None:
        table = fast
        encodings = []
    for attempt in encodings:
        try:
            table = pd.read_csv(
                path,
                sep=delimiter,
                skiprows=header,
                dtype=str,
                keep_default_na=False,
                encoding=attempt,
                skip_blank_lines=False,
                compression="infer",
            )
        except UnicodeDecodeError as error:
            if attempt != encodings[-1]:
                continue
            raise _refuse(name, _("cannot be read as CSV ({error})").format(error=error)) from None
        except READ_ERRORS as error:
            message = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise _refuse(
                name, _("cannot be read as CSV ({error})").format(error=message)
            ) from None
        break
    if not isinstance(table.index, pd.RangeIndex):
        table = _without_implicit_index(table, name)
    rows = table.index.to_numpy() + 2 + header
    blank = (table == "").all(axis=1).to_numpy()
    table.attrs["header_row"] = header + 1
    return table[~blank], rows[~blank]


def _read_plain_csv(path: Path, delimiter: str) -> pd.DataFrame | None:
    """A plain file (UTF-8, header on the first line, no blank line, every row as wide as the
    header, no line break inside a value) read by Arrow's CSV reader on every core, each column
    as a categorical of its distinct texts: about five times faster than pandas' parser on a
    million rows. None for anything else, which pandas' parser then reads (and explains)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    try:
        options = pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True)
        # the header alone first, to give each column its type
        with pacsv.open_csv(str(path), parse_options=options) as reader:
            names = reader.schema.names
        if len(set(names)) < len(names) or any(not n.strip() for n in names):
            return None  # repeated or empty column names: pandas names and explains them
        table = pacsv.read_csv(
            str(path),
            parse_options=options,
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.dictionary(pa.int32(), pa.string()) for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                null_values=[],
            ),
        )
    except (pa.ArrowException, OSError, ValueError):
        return None
    columns = {}
    for name in names:
        encoded = table.column(name).combine_chunks()
        codes = encoded.indices.to_numpy(zero_copy_only=False)
        categories = pd.Index(encoded.dictionary.to_pylist(), dtype=object)
        columns[name] = pd.Categorical.from_codes(codes, categories=categories)
    del table
    pa.default_memory_pool().release_unused()  # the parser's buffers: ~130 MB a million rows
    return pd.DataFrame(columns)


def _header_row(rows: list[list[str]]) -> int:
    """The index of the header among a file's first rows: the first row naming the most
    contract columns (0 when none names two: the first row, as written)."""
    scores = [header_score(row) for row in rows[:HEADER_ROWS]]
    best = max(scores, default=0)
    return scores.index(best) if best >= 2 else 0


MANGLED = re.compile(r"^(.*)\.([1-9][0-9]*)$")  # pandas renames a repeated header 'x' to 'x.1'


def _check_cells(table: pd.DataFrame, rows: np.ndarray, name: str, limits: Limits) -> None:
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


def read_table(path: Path, limits: Limits | None = None) -> pd.DataFrame:
    """The file as strings, with ``_row``: the row number a spreadsheet would show (header = 1).
    Anything the file holds that cannot be read is a refusal (FileRefused), never another
    error."""
    limits = limits or Limits()
    name = path.name
    if not path.exists():
        raise _refuse(name, _("file not found"))
    if not path.is_file():
        raise _refuse(name, _("is not a file"))
    if path.stat().st_size == 0:
        raise _refuse(name, _("the file is empty"))
    if path.suffix.lower() in EXCEL_SUFFIXES:
        table, rows = _read_workbook(path, limits)
    else:
        table, rows = _read_text(path, limits)
    _check_cells(table, rows, name, limits)
    table = table.loc[
        :, [not str(c).startswith("Unnamed:") or table[c].ne("").any() for c in table.columns]
    ]
    out = table.assign(_row=rows).reset_index(drop=True)
    out.attrs.update(table.attrs)
    return out


def _unknown_stations(frame: pd.DataFrame, reference: Reference) -> str:
    """'duty stations not in the reference list (counted as field): Foo (did you mean
    Fooville?)'; empty when every station is known."""
    if "duty_station" not in frame.columns:
        return ""
    names = [str(n) for n in pd.unique(frame["duty_station"].dropna())]
    spelled = set(reference.station_spellings.values())
    unknown = [n for n in names if n not in spelled]
    if not unknown:
        return ""
    described = []
    for name in unknown[:10]:
        close = reference.closest_stations(name)
        described.append(
            _("{station} (did you mean {stations}?)").format(station=name, stations=_either(close))
            if close
            else name
        )
    if len(unknown) > 10:
        return _(
            "duty stations not in the reference list, counted as field: {stations} and {n} more"
        ).format(stations=", ".join(described), n=number(len(unknown) - 10))
    return _("duty stations not in the reference list, counted as field: {stations}").format(
        stations=", ".join(described)
    )


def _either(names: Sequence[str]) -> str:
    """'A', 'A or B', 'A or B or C' ('A ou B ou C' in French)."""
    text = names[0] if names else ""
    for name in names[1:]:
        text = _("{first} or {second}").format(first=text, second=name)
    return text


def header_signature(columns: Sequence[object]) -> str:
    """What identifies files of one source: their column names, normalised and sorted."""
    names = sorted(
        normalise_column_name(c)
        for c in columns
        if c != "_row" and not str(c).startswith("Unnamed:")
    )
    return "|".join(names)[:2000]


def parse_file(
    path: Path,
    reference: Reference,
    limits: Limits | None = None,
    entities: Sequence[str] = (),
    mapping: Mapping[str, str] | None = None,
    saved: Callable[[str], Mapping[str, str] | None] | None = None,
) -> ParsedFile:
    """Read and validate a staffing, flows or targets file (the kind follows from its columns).
    ``entities``: the entities the store holds, whose spelling a file's names take.
    ``mapping``: the file's columns to read as contract columns ("Sexe" -> "gender"); without
    one, ``saved`` looks up a mapping saved for files with the same header. Raises FileRefused
    naming rows, columns and values (MissingColumns when required columns are missing)."""
    path = Path(path)
    table = read_table(path, limits)
    signature = header_signature(list(table.columns))
    notes: list[str] = []
    chosen = dict(mapping) if mapping is not None else None
    if chosen is None and saved is not None:
        remembered = saved(signature)
        if remembered:
            chosen = dict(remembered)
            notes.append(_("used the column mapping saved for files with these headers"))
    if chosen:
        chosen = {k: v for k, v in chosen.items() if k in table.columns and v}
        table = table.rename(columns=chosen)
        read_as = ", ".join(
            # Translators: a column of the file read as a column of the format ('Sexe' as gender)
            _("{column} as {field}").format(column=repr(k), field=v)
            for k, v in chosen.items()
        )
        # Translators: {columns} is a list of "'Sexe' as gender"
        notes.append(_("read {columns}").format(columns=read_as))
    kind = file_kind([c for c in table.columns if c != "_row"])
    if table.attrs.get("sheet") is not None and len(table.attrs.get("sheets", [])) > 1:
        notes.append(_("read the sheet {sheet}").format(sheet=repr(table.attrs["sheet"])))
    if int(table.attrs.get("header_row", 1)) > 1:
        notes.append(
            _("the header is row {row}; the rows above it are titles").format(
                row=table.attrs["header_row"]
            )
        )
    try:
        frame = validate(table, path.name, reference, kind, notes, entities)
    except MissingColumns as missing:
        missing.signature = signature
        raise
    unknown = _unknown_stations(frame, reference)
    if unknown:
        notes.append(unknown)
    return ParsedFile(
        path.name,
        sha256_of(path),
        len(table),
        frame,
        kind,
        tuple(notes),
        signature,
        tuple((chosen or {}).items()),
    )
