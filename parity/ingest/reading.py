"""Opening a user's file: CSV in any common delimiter and encoding, gzipped CSV, and XLSX.

``read_table`` gives a file's cells as text, with ``_row``, the row number a spreadsheet would
show. It finds the encoding (UTF-8 or UTF-16 by their marks, else the likeliest code page), the
delimiter, and the header among the first 20 rows (titles above it); in a workbook, the sheet
whose header names the most contract columns. A plain UTF-8 CSV is read by Arrow's reader on
every core, anything else by pandas' parser. The limits (parity.ingest.limits) are checked as
the file is read; anything that cannot be read is a refusal (FileRefused), never another error.
"""

from __future__ import annotations

import csv
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from parity.errors import FileRefused, Problem
from parity.i18n import _, number
from parity.ingest.contract import header_score
from parity.ingest.limits import Limits, check_cells, check_workbook, refusal, scan

EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
HEADER_ROWS = 20  # the header is looked for in a file's first 20 rows (titles above it)
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


def _read_workbook(path: Path, limits: Limits) -> tuple[pd.DataFrame, np.ndarray]:
    """The sheet holding the table (the one whose header, found in its first 20 rows, names
    the most contract columns; the first sheet when none does), from its header row down."""
    name = path.name
    check_workbook(path, limits)
    try:
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_path(str(path))
        best: tuple[int, str, int] | None = None  # score, sheet, header index
        for sheet_name in book.sheet_names:
            sheet = book.get_sheet_by_name(sheet_name)
            if sheet.width > limits.max_columns:
                raise refusal(
                    name,
                    _("sheet {sheet} has {n} columns; at most {maximum} allowed").format(
                        sheet=repr(sheet_name), n=number(sheet.width), maximum=limits.max_columns
                    ),
                )
            if sheet.height > limits.max_rows:
                raise refusal(
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
            raise refusal(name, _("the workbook has no sheets"))
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
        raise refusal(
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
    sample, has_blank_line = scan(path, limits)
    encoding = _encoding(sample)
    if b"\x00" in sample and not encoding.startswith("utf-16"):
        raise refusal(name, _("is not a text (CSV) file; use CSV or XLSX"))
    text = sample.decode(encoding, errors="replace")
    if not text.strip():
        raise refusal(name, _("the file is empty"))
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
            raise refusal(name, _("cannot be read as CSV ({error})").format(error=error)) from None
        except READ_ERRORS as error:
            message = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise refusal(
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


def read_table(path: Path, limits: Limits | None = None) -> pd.DataFrame:
    """The file as strings, with ``_row``: the row number a spreadsheet would show (header = 1).
    Anything the file holds that cannot be read is a refusal (FileRefused), never another
    error."""
    limits = limits or Limits()
    name = path.name
    if not path.exists():
        raise refusal(name, _("file not found"))
    if not path.is_file():
        raise refusal(name, _("is not a file"))
    if path.stat().st_size == 0:
        raise refusal(name, _("the file is empty"))
    if path.suffix.lower() in EXCEL_SUFFIXES:
        table, rows = _read_workbook(path, limits)
    else:
        table, rows = _read_text(path, limits)
    check_cells(table, rows, name, limits)
    table = table.loc[
        :, [not str(c).startswith("Unnamed:") or table[c].ne("").any() for c in table.columns]
    ]
    out = table.assign(_row=rows).reset_index(drop=True)
    out.attrs.update(table.attrs)
    return out
