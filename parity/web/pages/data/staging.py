"""Where an uploaded file waits between its check and its import: one folder per upload, named
by a random token, inside a folder private to the server's user. The uploaded bytes are decoded
here (refused over the size limit), written, found again from a pending import's token and
deleted when the file is refused, imported or replaced; a day-old leftover goes with the next
upload. Files only: no component, no store."""

from __future__ import annotations

import base64
import binascii
import os
import re
import secrets
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from parity.errors import ParityError
from parity.i18n import _, number

UPLOAD_DIR = Path(tempfile.gettempdir()) / f"parity-uploads-{os.getuid()}"
"""Where checked files wait to be imported: private to the server's user (0700, refused when
another user owns it), never in a folder others can read or plant files in. An uploaded file
waits there, one folder per upload, between its check and its import; the folder goes when the
file is refused, imported or replaced by another upload, and any left behind (a closed tab) go
with the next upload once a day old."""
STALE_SECONDS = 24 * 3600
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
