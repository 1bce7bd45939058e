"""Read a user's file (CSV in any common delimiter and encoding, gzipped CSV, XLSX) into a
validated canonical frame. Nothing here touches the store: see ``storage.Store.import_frame``.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from parity.errors import FileRefused, Problem
from parity.reference import Reference
from parity.schema import file_kind, validate

EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
SAMPLE_BYTES = 64 * 1024


@dataclass(frozen=True)
class ParsedFile:
    """A validated file, ready to be stored as one batch."""

    file_name: str
    sha256: str
    source_rows: int
    frame: pd.DataFrame
    kind: str = "staff"  # staff, flows or targets (see schema.file_kind)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _refuse(name: str, message: str) -> FileRefused:
    return FileRefused(name, [Problem(None, None, None, message)])


def _sample(path: Path) -> bytes:
    if path.suffix.lower() == ".gz":
        import gzip

        with gzip.open(path, "rb") as handle:
            return handle.read(SAMPLE_BYTES)
    with path.open("rb") as handle:
        return handle.read(SAMPLE_BYTES)


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
        message = "is one value more than the header has columns"
        raise FileRefused(name, [Problem(i + 2, None, str(extra[i]), message) for i in filled])
    values = table.iloc[:, :-1].to_numpy()
    columns = list(table.columns)
    shifted = {columns[0]: table.index.to_numpy()}
    shifted.update({column: values[:, i] for i, column in enumerate(columns[1:])})
    return pd.DataFrame(shifted)


def read_table(path: Path) -> pd.DataFrame:
    """The file as strings, with ``_row``: the row number a spreadsheet would show (header = 1)."""
    name = path.name
    if not path.exists():
        raise _refuse(name, "file not found")
    if not path.is_file():
        raise _refuse(name, "is not a file")
    if path.stat().st_size == 0:
        raise _refuse(name, "the file is empty")
    if path.suffix.lower() in EXCEL_SUFFIXES:
        try:
            table = pd.read_excel(path, engine="calamine", dtype=str, keep_default_na=False)
        except Exception as error:  # calamine raises many kinds; all mean "cannot read it"
            raise _refuse(name, f"cannot be read as an Excel workbook ({error})") from None
        rows = table.index.to_numpy() + 2
        # empty cells read as "" (not NaN): a row of empty or blank cells is a blank line
        cells = table.fillna("").astype(str)
        blank = cells.apply(lambda column: column.str.strip().eq("")).all(axis=1).to_numpy()
        table, rows = table[~blank], rows[~blank]
    else:
        try:
            sample = _sample(path)
        except (OSError, EOFError) as error:  # gzip.BadGzipFile is an OSError
            raise _refuse(name, f"cannot be read as a gzipped file ({error})") from None
        encoding = _encoding(sample)
        if b"\x00" in sample and not encoding.startswith("utf-16"):
            raise _refuse(name, "is not a text (CSV) file; use CSV or XLSX")
        text = sample.decode(encoding, errors="replace")
        if not text.strip():
            raise _refuse(name, "the file is empty")
        # An all-ASCII sample proves little: a Windows-1252 export may show its first accent
        # after it, and then reads as Windows-1252 (the same bytes for ASCII).
        encodings = [encoding, "cp1252"] if encoding == "utf-8" and sample.isascii() else [encoding]
        for attempt in encodings:
            try:
                table = pd.read_csv(
                    path,
                    sep=_delimiter(text),
                    dtype=str,
                    keep_default_na=False,
                    encoding=attempt,
                    skip_blank_lines=False,
                    compression="infer",
                )
            except UnicodeDecodeError as error:
                if attempt != encodings[-1]:
                    continue
                raise _refuse(name, f"cannot be read as CSV ({error})") from None
            except (pd.errors.ParserError, ValueError) as error:
                message = str(error).splitlines()[0]
                raise _refuse(name, f"cannot be read as CSV ({message})") from None
            except (OSError, EOFError) as error:  # a gzipped file cut short after the sample
                raise _refuse(name, f"cannot be read as a gzipped file ({error})") from None
            break
        if not isinstance(table.index, pd.RangeIndex):
            table = _without_implicit_index(table, name)
        rows = table.index.to_numpy() + 2
        blank = (table == "").all(axis=1).to_numpy()
        table, rows = table[~blank], rows[~blank]
    table = table.loc[
        :, [not str(c).startswith("Unnamed:") or table[c].ne("").any() for c in table.columns]
    ]
    return table.assign(_row=rows).reset_index(drop=True)


def parse_file(path: Path, reference: Reference) -> ParsedFile:
    """Read and validate a staffing, flows or targets file (the kind follows from its columns).
    Raises FileRefused naming rows, columns and values."""
    path = Path(path)
    table = read_table(path)
    kind = file_kind([c for c in table.columns if c != "_row"])
    frame = validate(table, path.name, reference, kind)
    return ParsedFile(path.name, sha256_of(path), len(table), frame, kind)
