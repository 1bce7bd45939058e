"""Where an uploaded file waits between its check and its import: one folder per upload, named
by a random token, inside a folder private to the server's user. The uploaded bytes are decoded
here (refused over the size limit), written, found again from a pending import's token and
deleted when the file is refused, imported or replaced; a day-old leftover goes with the next
upload. Beside it, what its check found (keep_checked), so that the import writes what was
checked without parsing the file again. Files only: no component, no store."""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import secrets
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.ipc as ipc

from parity.errors import ParityError
from parity.i18n import _, number
from parity.ingest import ParsedFile, sha256_of

UPLOAD_DIR = Path(tempfile.gettempdir()) / f"parity-uploads-{os.getuid()}"
"""Where checked files wait to be imported: private to the server's user (0700, refused when
another user owns it), never in a folder others can read or plant files in. An uploaded file
waits there, one folder per upload, between its check and its import; the folder goes when the
file is refused, imported or replaced by another upload, and any left behind (a closed tab) go
with the next upload once a day old."""
DEFAULT_UPLOAD_DIR = UPLOAD_DIR
STALE_SECONDS = 24 * 3600


def use_folder(folder: Path | None) -> None:
    """Stage uploads in ``folder`` (PARITY_UPLOAD_DIR: behind a load balancer, a folder every
    instance shares, since a file checked on one instance may be imported through another), or
    in this host's temporary folder when None. Checked as the server starts: created if
    missing, private to this server's user (0700) and writable; else ParityError naming the
    setting."""
    global UPLOAD_DIR
    if folder is None:
        UPLOAD_DIR = DEFAULT_UPLOAD_DIR
        return
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        status = folder.stat()
        if status.st_uid != os.getuid() or status.st_mode & 0o077:
            raise ParityError(
                f"PARITY_UPLOAD_DIR={folder} must belong to the server's user and be private to "
                f"it (chmod 700 {folder}): uploaded files wait there"
            )
        probe = folder / f".write-check-{secrets.token_hex(8)}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        raise ParityError(
            f"PARITY_UPLOAD_DIR={folder}: {error.strerror or error}; uploaded files wait there"
        ) from None
    UPLOAD_DIR = folder


TOKEN = re.compile(r"[0-9a-f]{32}")


def safe_name(name: str) -> str:
    """The uploaded file's name as it is stored: its last part, characters other than letters,
    digits, '.', '-', '_' and spaces replaced by '_', at most 120 of them ('upload.csv' when
    nothing is left)."""
    base = Path(name or "upload.csv").name
    safe = re.sub(r"[^\w.\- ]", "_", base)[:120]
    return safe if safe.strip(". ") else "upload.csv"


def over_limit(file_name: str, size: int, max_mb: int) -> str:
    """The refusal of a file of ``size`` bytes over the limit, from the server or the browser."""
    return _("{file}: {size} MB is over the {limit} MB limit; nothing was imported").format(
        file=file_name, size=number(size / 2**20, 1), limit=max_mb
    )


def decode_upload(contents: str, file_name: str, max_mb: int) -> bytes:
    """The uploaded bytes; refuses files over the size limit before decoding them."""
    payload = contents.partition(",")[2]
    size = len(payload) * 3 // 4
    if size > max_mb * 2**20:
        raise ParityError(over_limit(file_name, size, max_mb))
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise ParityError(
            _("{file}: the upload could not be read").format(file=file_name)
        ) from None


def stage(contents: str, name: str, max_mb: int) -> dict[str, str]:
    """Decode an upload and write it, as ``name`` (already a safe name), into a new folder of
    UPLOAD_DIR: the pending import that names it ({"token", "name"}). Raises ParityError (over
    the limit, unreadable) or OSError (UPLOAD_DIR not private to this server's user, a failed
    write), leaving nothing behind."""
    pending = {"token": secrets.token_hex(16), "name": name}
    path = UPLOAD_DIR / pending["token"] / name
    try:
        data = decode_upload(contents, name, max_mb)
        UPLOAD_DIR.mkdir(mode=0o700, exist_ok=True)
        if UPLOAD_DIR.stat().st_uid != os.getuid() or UPLOAD_DIR.stat().st_mode & 0o077:
            raise OSError(f"{UPLOAD_DIR} is not private to this server's user")
        path.parent.mkdir(mode=0o700, exist_ok=True)
        path.write_bytes(data)
    except (ParityError, OSError):
        discard(pending)
        raise
    return pending


def staged_path(pending: Any) -> Path | None:
    """The staged file a pending import names, or None when the token is not one of ours."""
    if not isinstance(pending, dict):
        return None
    token, name = pending.get("token"), pending.get("name")
    if not isinstance(token, str) or not TOKEN.fullmatch(token) or not isinstance(name, str):
        return None
    return UPLOAD_DIR / token / safe_name(name)


def discard(pending: Any) -> None:
    """Delete the staged file of a pending import (and its folder), if any."""
    path = staged_path(pending)
    if path is not None:
        shutil.rmtree(path.parent, ignore_errors=True)


def sweep(now: float | None = None) -> int:
    """Delete what uploads left in UPLOAD_DIR more than a day ago (a tab closed between check
    and import); returns how many entries went."""
    cutoff = (time.time() if now is None else now) - STALE_SECONDS
    removed = 0
    try:
        entries = list(UPLOAD_DIR.iterdir())
    except OSError:
        return 0
    for entry in entries:
        try:
            inner = list(entry.iterdir()) if entry.is_dir() else []
            newest = max([entry.lstat().st_mtime, *(p.lstat().st_mtime for p in inner)])
        except OSError:
            continue
        if newest >= cutoff:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed += 1
    return removed


CHECKED_FRAME, CHECKED_DESCRIPTION = "checked.arrow", "checked.json"
"""Beside a staged file, what its check found: the validated frame (Arrow IPC) and the rest of
the ParsedFile (JSON), so that its import writes what was checked and previewed, without
reading the file again."""


def keep_checked(pending: object, parsed: ParsedFile) -> None:
    """Keep the check's result beside the staged file of ``pending`` (best effort: without it,
    the import parses the staged file again)."""
    path = staged_path(pending)
    if path is None or not path.parent.is_dir():
        return
    frame = parsed.frame
    columns = {
        str(c): ["category", str(t.categories.dtype)]
        if isinstance(t, pd.CategoricalDtype)
        else ["plain", str(t)]
        for c, t in frame.dtypes.items()
    }
    description = {
        "fields": {
            "file_name": parsed.file_name,
            "sha256": parsed.sha256,
            "source_rows": parsed.source_rows,
            "kind": parsed.kind,
            "notes": list(parsed.notes),
            "signature": parsed.signature,
            "mapping": [list(pair) for pair in parsed.mapping],
        },
        "columns": columns,
        "asked": (pending.get("mapping") if isinstance(pending, dict) else None),
    }
    try:
        table = pa.Table.from_pandas(frame, preserve_index=False)
        with ipc.new_file(path.parent / CHECKED_FRAME, table.schema) as writer:
            writer.write_table(table)
        text = json.dumps(description, ensure_ascii=False)
        (path.parent / CHECKED_DESCRIPTION).write_text(text, encoding="utf-8")
    except (OSError, pa.ArrowException, TypeError, ValueError):
        forget_checked(pending)


def forget_checked(pending: object) -> None:
    path = staged_path(pending)
    if path is not None:
        for name in (CHECKED_FRAME, CHECKED_DESCRIPTION):
            (path.parent / name).unlink(missing_ok=True)


def checked_file(pending: object) -> ParsedFile | None:
    """The ParsedFile kept at the check of ``pending``; None when there is none, when it is
    damaged, or when it is not of the bytes staged now (sha256) read with the same column
    mapping: the import then parses the staged file again."""
    path = staged_path(pending)
    if path is None or not path.is_file():
        return None
    try:
        description = json.loads((path.parent / CHECKED_DESCRIPTION).read_text("utf-8"))
        fields, columns = description["fields"], description["columns"]
        asked = pending.get("mapping") if isinstance(pending, dict) else None
        if description["asked"] != asked or fields["sha256"] != sha256_of(path):
            return None
        with pa.memory_map(str(path.parent / CHECKED_FRAME)) as source:
            frame = ipc.open_file(source).read_all().to_pandas()
        if list(frame.columns) != list(columns):
            return None
        for name, (form, dtype) in columns.items():
            if form == "category":  # Arrow gives categories back as str: as they were
                categories = pd.Index(list(frame[name].cat.categories), dtype=dtype)
                frame[name] = frame[name].cat.rename_categories(categories)
            elif str(frame[name].dtype) != dtype:
                frame[name] = frame[name].astype(dtype)
        return ParsedFile(
            file_name=str(fields["file_name"]),
            sha256=str(fields["sha256"]),
            source_rows=int(fields["source_rows"]),
            frame=frame,
            kind=str(fields["kind"]),
            notes=tuple(map(str, fields["notes"])),
            signature=str(fields["signature"]),
            mapping=tuple((str(a), str(b)) for a, b in fields["mapping"]),
        )
    except (OSError, KeyError, TypeError, ValueError, AttributeError, pa.ArrowException):
        return None
