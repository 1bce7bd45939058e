"""Reading and validating one file: ``parse_file`` and the ``ParsedFile`` it gives.

A file is read (parity.ingest.reading), its columns mapped as the user said or as a saved
mapping for files with the same header says, its kind found from its columns, and it is
validated (parity.ingest.validation). The result holds the canonical frame with what the import
did beyond the contract (for the preview), the file's checksum and its header's signature.
Nothing here touches the store: see ``parity.store.Store.import_parsed``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from parity.errors import MissingColumns
from parity.i18n import _, number
from parity.ingest.contract import file_kind, header_signature
from parity.ingest.limits import Limits
from parity.ingest.reading import read_table
from parity.ingest.validation import validate
from parity.reference import Reference


@dataclass(frozen=True)
class ParsedFile:
    """A validated file, ready to be stored as one batch."""

    file_name: str
    sha256: str
    source_rows: int
    frame: pd.DataFrame
    kind: str = "staff"  # staff, flows or targets (see contract.file_kind)
    notes: tuple[str, ...] = ()  # what the import did beyond the contract's columns
    signature: str = ""  # of the header (see contract.header_signature)
    mapping: tuple[tuple[str, str], ...] = ()  # the file's columns read as contract columns


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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
