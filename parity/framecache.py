"""The analysis frames kept on disk, so that a server starts in a fraction of a second.

Building the analysis frame reads every active row from the store and derives its columns:
about a second per million rows. The frame is written once per state of the store, as an Arrow
IPC file named by the store's version (batches, latest batch, publications), and read back
memory-mapped: numbers are read in place, and the workers of one server share the pages. A new
import changes the version: the next read builds the frame again (``parity import`` does it at
once, so that the dashboard need not). A damaged or unreadable file is built again, never
trusted; a file is written under a temporary name and renamed, so a reader never sees half.

Where: beside a SQLite store (``parity.db.frames/``), else in a private directory of the
system's temporary directory named by a hash of the store's address.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from parity.privacy.publication import Publication
from parity.reference import Reference
from parity.store import KIND_TABLES, BatchInfo, Store, StoreVersion, arrow_to_categoricals

FORMAT = 1  # raise when the frame's columns or their meaning change: older files are ignored
KINDS = ("staff", "flows", "drafts")


def cache_dir(store: Store) -> Path | None:
    """The directory of ``store``'s frames; None when none can be used safely."""
    url = store.url
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:"):
            return None
        path = Path(url.database)
        return path.with_name(path.name + ".frames")
    address = url.render_as_string(hide_password=True)
    name = hashlib.sha256(address.encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"parity-frames-{os.getuid()}" / name


def _usable(directory: Path) -> bool:
    """Create ``directory`` (private to this user) if need be; refuse one another user owns."""
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        return directory.stat().st_uid == os.getuid()
    except OSError:
        return False


def _file(
    store: Store,
    directory: Path,
    kind: str,
    version: tuple[int, ...],
    batches: list[BatchInfo] | None = None,
) -> Path:
    """The file of a frame: the version in its name, and a digest of every batch's number,
    content and import time (``batches``, else the store's), so that a store deleted and made
    again (the same version, other figures) never meets the frames of the old one."""
    listed = store.batches() if batches is None else batches
    text = "|".join(f"{b.id}:{b.sha256}:{b.imported_at.isoformat()}" for b in listed)
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    return directory / f"{kind}-{'-'.join(map(str, version))}-{digest}-f{FORMAT}.arrow"


def _build(store: Store, kind: str) -> pd.DataFrame:
    from parity.frame import load_flows, load_frame

    if kind == "flows":
        return load_flows(store)
    return load_frame(store, drafts=kind == "drafts")


def _active(store: Store, kind: str) -> pd.DataFrame:
    """The batch active for each (entity, year) in the frame of ``kind``."""
    return store.active_batches("flows" if kind == "flows" else "staff", drafts=kind == "drafts")


def frame(store: Store, kind: str, version: tuple[int, ...]) -> pd.DataFrame:
    """The frame of ``kind`` (staff, flows, or drafts: staff with the figures submitted to
    rounds not yet published) for the store at ``version``: read from its file; else made from
    the frame of an earlier state on disk and the rows of the (entity, year) pairs whose active
    batch changed since (a batch removed, a round published), else built from the store; and
    written for next time, unless the store changed meanwhile."""
    directory = cache_dir(store)
    if directory is None or not _usable(directory):
        return _build(store, kind)
    path = _file(store, directory, kind, version)
    if path.exists():
        try:
            return read(path)
        except (OSError, pa.ArrowException, ValueError, KeyError):
            pass  # damaged: built again below, and replaced
    active = _active(store, kind)
    made = _from_earlier(store, kind, directory, path, active)
    if made is None:
        made = _build(store, kind)
    if store.version() == tuple(version):  # rows, active map and name of one state
        write(path, made, active)
    return made


def _from_earlier(
    store: Store, kind: str, directory: Path, path: Path, active: pd.DataFrame
) -> pd.DataFrame | None:
    """The frame made from the newest other file of ``kind`` and the store's rows of the
    (entity, year) pairs whose active batch differs; None when there is no such file, or when
    most pairs changed (building anew is then as quick)."""
    others = [p for p in directory.glob(f"{kind}-*.arrow") if p != path]
    if not others:
        return None
    newest = max(others, key=lambda p: p.stat().st_mtime)
    try:
        earlier = read_active(newest)
        if earlier is None:
            return None
        both = earlier.merge(active, on=["entity", "year"], how="outer", suffixes=("_was", ""))
        changed = both[both["batch_id_was"].ne(both["batch_id"])]  # NaN differs from all
        if len(changed) > len(both) // 2:
            return None
        old = read(newest)
    except (OSError, pa.ArrowException, ValueError, KeyError):
        return None
    if changed.empty:  # another kind changed (a targets file): the same rows
        return old
    entities = sorted(set(changed["entity"]))
    if kind == "flows":
        fresh = store.read_flows(entities)
    else:
        fresh = arrow_to_categoricals(store.read_active_counts(entities, kind == "drafts"))
    pairs = changed[["entity", "year"]]
    if len(fresh):
        wanted = set(zip(pairs["entity"], pairs["year"].astype(int), strict=True))
        keep = [
            (str(e), int(y)) in wanted for e, y in zip(fresh["entity"], fresh["year"], strict=True)
        ]
        fresh = fresh[keep]
    return merge(old, fresh, store.reference(), pairs=pairs)


def write(path: Path, frame: pd.DataFrame, active: pd.DataFrame | None = None) -> None:
    """Write ``frame`` to ``path`` atomically; older frames of the same kind are removed. A
    failure to write costs only the next start's speed: it is not an error."""
    kind = path.name.split("-", 1)[0]
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        table = pa.Table.from_pandas(frame, preserve_index=False)
        sorted_by = ",".join(frame.attrs.get("sorted_by", ()))
        as_object = ",".join(  # categories held as Python objects rather than pandas' strings
            str(c)
            for c in frame.columns
            if isinstance(frame[c].dtype, pd.CategoricalDtype)
            and frame[c].cat.categories.dtype == object
        )
        metadata = {
            b"parity.sorted_by": sorted_by.encode(),
            b"parity.as_object": as_object.encode(),
        }
        if active is not None:  # which batch each (entity, year) comes from: see _from_earlier
            rows = active[["entity", "year", "batch_id"]].astype(object).values.tolist()
            metadata[b"parity.active"] = json.dumps(rows).encode()
        table = table.replace_schema_metadata(metadata)
        with pa.OSFile(str(temporary), "wb") as sink, pa.ipc.new_file(sink, table.schema) as out:
            out.write_table(table)
        os.replace(temporary, path)
    except (OSError, pa.ArrowException):
        temporary.unlink(missing_ok=True)
        return
    for other in path.parent.glob(f"{kind}-*.arrow"):
        if other != path:
            other.unlink(missing_ok=True)


def read_active(path: Path) -> pd.DataFrame | None:
    """The (entity, year, batch_id) map a frame's file was written with, if any."""
    with pa.memory_map(str(path)) as source:
        metadata = pa.ipc.open_file(source).schema.metadata or {}
    if b"parity.active" not in metadata:
        return None
    rows = json.loads(metadata[b"parity.active"])
    return pd.DataFrame(
        [(str(e), int(y), int(b)) for e, y, b in rows], columns=["entity", "year", "batch_id"]
    )


def read(path: Path) -> pd.DataFrame:
    """A frame written by ``write``, memory-mapped: each categorical's codes and each number
    column are read in place from the file's pages; the categories are the file's dictionaries,
    in their order (grades in ladder order)."""
    with pa.memory_map(str(path)) as source:
        table = pa.ipc.open_file(source).read_all()
    metadata = table.schema.metadata or {}
    as_object = set(metadata.get(b"parity.as_object", b"").decode().split(","))
    columns: dict[str, object] = {}
    for name in table.column_names:
        column = table.column(name)
        if pa.types.is_dictionary(column.type):
            encoded = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
            indices = encoded.indices
            if indices.null_count:  # missing values: pandas' code -1
                indices = indices.fill_null(-1)
            codes = indices.to_numpy()
            categories = pd.Index(
                encoded.dictionary.to_pylist(), dtype=object if name in as_object else None
            )
            columns[name] = pd.Categorical.from_codes(codes, categories=categories)
        else:
            columns[name] = column.to_numpy()
    out = pd.DataFrame(columns, copy=False)
    sorted_by = metadata.get(b"parity.sorted_by", b"").decode()
    if sorted_by:
        out.attrs["sorted_by"] = tuple(sorted_by.split(","))
    return out


def refresh(store: Store, min_cell: int | None = None) -> None:
    """Build the frames of the store as it is now, unless their files exist (after an import,
    so that the dashboard's next start or callback finds them); with ``min_cell``, the public
    publication of that rule too."""
    version = store.version()
    for kind in ("staff", "flows"):
        frame(store, kind, version)
    if min_cell is not None and min_cell > 1:
        publication(store, version, min_cell)


def publication(store: Store, version: tuple[int, ...], min_cell: int) -> Publication:
    """The protected public publication of the store at ``version`` for ``min_cell``
    (parity.privacy.linked): read from its file beside the frames, else made (from the earlier
    publication's slabs where their counts did not change) and written for next time, unless
    the store changed meanwhile. A damaged file is made again, never trusted."""
    from parity.privacy.linked import RULES, protect
    from parity.privacy.publication import Publication

    name = f"publication.m{min_cell}r{RULES}"  # a file of other rules is made again
    directory = cache_dir(store)
    usable = directory is not None and _usable(directory)
    path = None
    earlier = None
    if usable and directory is not None:
        path = _file(store, directory, name, version).with_suffix(".json")
        if path.exists():
            try:
                return Publication.from_json(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError, KeyError, TypeError):
                pass  # damaged: made again below, and replaced
        others = [p for p in directory.glob(f"{name}-*.json") if p != path]
        if others:
            newest = max(others, key=lambda p: p.stat().st_mtime)
            try:
                earlier = Publication.from_json(json.loads(newest.read_text(encoding="utf-8")))
            except (OSError, ValueError, KeyError, TypeError):
                earlier = None
    has_flows = any(b.kind == "flows" for b in store.batches())
    made = protect(
        frame(store, "staff", version),
        frame(store, "flows", version) if has_flows else None,
        store.reference(),
        min_cell,
        earlier,
    )
    if path is not None and store.version() == tuple(version):
        _write_json(path, made.to_json())
    return made


def _write_json(path: Path, data: object) -> None:
    """Write ``data`` to ``path`` atomically; older files of the same name prefix go."""
    prefix = path.name.split("-", 1)[0]
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
        return
    for other in path.parent.glob(f"{prefix}-*.json"):
        if other != path:
            other.unlink(missing_ok=True)


def after_import(store: Store, before: StoreVersion, batch: BatchInfo, rows: pd.DataFrame) -> None:
    """The frames after ``batch`` (its validated ``rows``) joined the store at state
    ``before``, without reading the store again: the old frame's rows outside the batch's
    (entity, year) pairs, and the batch's. A frame of another kind is only renamed. Anything
    else (another import meanwhile, a frame not on disk) builds them from the store."""
    directory = cache_dir(store)
    if directory is None or not _usable(directory):
        return
    version = store.version()
    batches = store.batches()
    earlier = [b for b in batches if b.id != batch.id]
    expected = before._replace(batches=before.batches + 1, latest_batch=batch.id)
    if version != expected or batch.id <= before.latest_batch:
        refresh(store)
        return
    for kind in ("staff", "flows"):
        old = _file(store, directory, kind, before, earlier)
        new = _file(store, directory, kind, version, batches)
        first = not any(b.kind == kind for b in earlier)  # the store had none of this kind
        if kind != batch.kind:  # untouched by this batch: the same frame, renamed
            if old.exists():
                os.replace(old, new)
            elif not first:
                frame(store, kind, version)
            continue
        try:
            merged = merge(None if first else read(old), rows, store.reference())
        except (OSError, pa.ArrowException, ValueError, KeyError):  # no file, or damaged
            frame(store, kind, version)
            continue
        write(new, merged, _active(store, kind))


def merge(
    old: pd.DataFrame | None,
    rows: pd.DataFrame | None,
    reference: Reference,
    pairs: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """An analysis frame (staff or flows) with ``rows`` in place of the rows of the (entity,
    year) ``pairs`` (by default those ``rows`` cover): what the store's active rows become
    after a batch (``old`` None: the store held none of this kind)."""
    from parity.frame import build_frame

    base = old if old is not None else rows
    assert base is not None
    names = list(KIND_TABLES["flows" if "event" in base.columns else "staff"][1])
    parts = [rows] if rows is not None else []
    if old is None:
        return build_frame(_raw(parts, names), reference)
    covering = pairs if pairs is not None else rows
    assert covering is not None
    scope = covering[["entity", "year"]].drop_duplicates()
    codes = pd.Index(old["entity"].cat.categories).get_indexer(scope["entity"].astype(str))
    years = scope["year"].to_numpy().astype(np.int64)
    covered = codes.astype(np.int64)[codes >= 0] * 10_000 + years[codes >= 0]
    keys = old["entity"].cat.codes.to_numpy().astype(np.int64) * 10_000 + old["year"].to_numpy()
    kept = old[~np.isin(keys, covered)]
    return build_frame(_raw([kept, *parts], names), reference)


def _raw(parts: list[pd.DataFrame], names: list[str]) -> pd.DataFrame:
    """The stored columns of ``parts``, one after the other, as the store gives them back
    (dimensions as categoricals, years int16, counts int32)."""
    return pd.DataFrame(
        {
            name: (
                pd.concat([p[name] for p in parts], ignore_index=True).astype(
                    "int16" if name == "year" else "int32"
                )
                if name in ("year", "headcount", "count")
                else _union([p[name] for p in parts])
            )
            for name in names
        }
    )


def _union(columns: list[pd.Series]) -> pd.Categorical[str]:
    """Columns of text, one categorical over the categories of all (codes mapped, no text
    copied row by row)."""
    parts = [
        c if isinstance(c.dtype, pd.CategoricalDtype) else c.astype("category") for c in columns
    ]
    categories = pd.Index(list(dict.fromkeys(str(v) for p in parts for v in p.cat.categories)))
    codes = [
        np.append(categories.get_indexer(p.cat.categories.astype(str)), -1)[p.cat.codes.to_numpy()]
        for p in parts
    ]
    joined = np.concatenate(codes)
    # as the store gives them: only the values it holds (counted, not sorted: 12M rows)
    used = np.bincount(joined + 1, minlength=len(categories) + 1)[1:] > 0
    position = np.append(np.cumsum(used) - 1, -1)  # old code -> new code; -1 stays -1
    return pd.Categorical.from_codes(position[joined], categories=categories[used])
