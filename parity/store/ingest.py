"""Writing a checked file as one batch: the three back ends (ADBC on SQLite and PostgreSQL,
SQLAlchemy elsewhere)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import suppress
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import (
    insert,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from parity.i18n import _
from parity.ingest import ParsedFile
from parity.store.core import StoreBase
from parity.store.models import INSERT_CHUNK, KIND_TABLES, WRITE_LOCK_KEY, Batch, BatchScope
from parity.store.records import BatchInfo, Submission
from parity.store.sql import _adbc_sqlite, _batch_by_sha
from parity.store.statements import _already_imported, _Records, _refused, _statements


def _progress(total: int, enabled: bool, label: str) -> Any:
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="rows", desc=label, file=sys.stderr, leave=False)


def _arrow_rows(part: pd.DataFrame, batch_id: int, names: tuple[str, ...]) -> pa.Table:
    """Rows of a batch as Arrow columns: integers as int64, text as strings (missing -> null).
    A categorical column is decoded by Arrow from its codes: no text value passes Python."""
    columns: dict[str, pa.Array] = {"batch_id": pa.array(np.full(len(part), batch_id))}
    for name in names:
        values = part[name]
        if name in ("year", "headcount", "count"):
            columns[name] = pa.array(values.to_numpy().astype("int64"))
        elif name in ("target_share", "margin"):
            columns[name] = pa.array(values.to_numpy().astype("float64"))
        elif isinstance(values.dtype, pd.CategoricalDtype):
            codes = values.cat.codes.to_numpy()
            dictionary = pa.array([str(c) for c in values.cat.categories], pa.string())
            columns[name] = pc.take(dictionary, pa.array(codes, mask=codes < 0))
        else:
            text = values.to_numpy(dtype=object, copy=True)
            text[pd.isna(text)] = None  # missing values become SQL NULL
            columns[name] = pa.array(text, pa.string())
    return pa.table(columns)


def _chunks(
    frame: pd.DataFrame, batch_id: int, names: tuple[str, ...]
) -> Iterator[list[tuple[Any, ...]]]:
    columns = [frame[c].tolist() for c in names]
    ids = [batch_id] * INSERT_CHUNK
    for start in range(0, len(frame), INSERT_CHUNK):
        stop = start + INSERT_CHUNK
        yield list(zip(ids, *(c[start:stop] for c in columns), strict=False))


def _ingest(
    cursor: Any,
    parsed: ParsedFile,
    scope: pd.DataFrame,
    batch_id: int,
    bar: Any,
    widths: Callable[[pa.Table], pa.Table] = lambda table: table,
) -> None:
    """A batch's scope and rows through an ADBC cursor's bulk ingestion, in the transaction
    the caller holds; ``widths`` casts the columns to the database's own widths."""
    table, names = KIND_TABLES[parsed.kind]
    scope_rows = pa.table(
        {
            "batch_id": pa.array([batch_id] * len(scope), pa.int64()),
            "entity": pa.array(scope["entity"].astype(str).tolist(), pa.string()),
            "year": pa.array(scope["year"].astype("int64"), pa.int64()),
        }
    )
    cursor.adbc_ingest("batch_scope", widths(scope_rows), mode="append")
    frame = parsed.frame
    for start in range(0, len(frame), 5 * INSERT_CHUNK):
        part = frame.iloc[start : start + 5 * INSERT_CHUNK]
        cursor.adbc_ingest(table, widths(_arrow_rows(part, batch_id, names)), mode="append")
        if bar is not None:
            bar.update(len(part))


def _postgres_types(table: pa.Table) -> pa.Table:
    """Arrow columns as wide as the PostgreSQL columns they go to: binary COPY sends each value
    in its column's own width (SMALLINT year, INTEGER ids and counts)."""
    widths = {"year": pa.int16(), "batch_id": pa.int32(), "headcount": pa.int32()}
    widths["count"] = pa.int32()
    return table.cast(
        pa.schema([pa.field(f.name, widths.get(f.name, f.type)) for f in table.schema])
    )


class Ingestion(StoreBase):
    def import_parsed(
        self,
        parsed: ParsedFile,
        progress: bool = False,
        *,
        who: str | None = None,
        submission: Submission | None = None,
    ) -> BatchInfo:
        """Write a validated file as one batch, in one transaction. The file is refused if the
        same bytes are already imported: checked again inside the transaction, under the write
        lock, so two processes importing one file at once store it once.

        ``who``: the audit record of the import is written in the same transaction. With
        ``submission``, the batch is that round's submission: the round is checked (open, its
        entities) and the submission rows with their flags and audit records are written in the
        same transaction too, so that no reader ever sees the batch without its round (as
        published figures) and a process killed at any point leaves nothing or a whole draft."""
        existing = self.find_batch_by_sha(parsed.sha256)  # quick: no need to wait for the lock
        if existing is not None:
            raise _already_imported(parsed, existing)
        scope = parsed.frame[["entity", "year"]].drop_duplicates()
        bar = _progress(
            len(parsed.frame), progress, _("storing {file}").format(file=parsed.file_name)
        )
        records = _Records(parsed, scope, who, submission)
        backend = self.url.get_backend_name()
        try:
            if backend == "sqlite" and self.url.database not in (None, "", ":memory:"):
                batch_id = self._import_sqlite(parsed, scope, bar, records)
            elif backend == "postgresql":
                batch_id = self._import_postgresql(parsed, scope, bar, records)
            else:  # an in-memory SQLite database: through SQLAlchemy
                batch_id = self._import_sqlalchemy(parsed, scope, bar, records)
        finally:
            if bar is not None:
                bar.close()
        return self.batch(batch_id)

    def _import_sqlalchemy(
        self, parsed: ParsedFile, scope: pd.DataFrame, bar: Any, records: _Records
    ) -> int:
        """The whole batch in one write transaction of SQLAlchemy, rows by executemany."""
        try:
            with self._writing() as conn:
                existing = _batch_by_sha(conn, parsed.sha256)
                if existing is not None:
                    raise _already_imported(parsed, existing)
                now = datetime.now(UTC)  # taken under the lock: times follow batch numbers
                batch_id: int = conn.execute(
                    insert(Batch).returning(Batch.id),
                    {
                        "kind": parsed.kind,
                        "file_name": parsed.file_name,
                        "sha256": parsed.sha256,
                        "imported_at": now,
                        "source_rows": parsed.source_rows,
                        "stored_rows": len(parsed.frame),
                    },
                ).scalar_one()
                conn.execute(
                    insert(BatchScope),
                    [
                        {"batch_id": batch_id, "entity": e, "year": int(y)}
                        for e, y in zip(scope["entity"], scope["year"], strict=True)
                    ],
                )
                self._bulk_insert(conn, parsed.kind, parsed.frame, batch_id, bar)
                raw: Any = conn.connection.dbapi_connection
                records.write(_statements(raw.cursor(), "?"), batch_id)
        except (SQLAlchemyError, self.engine.dialect.loaded_dbapi.Error) as error:
            # the rows go through the driver directly, so its own errors arrive unwrapped
            raise _refused(parsed, getattr(error, "orig", error)) from None
        return batch_id

    def _import_sqlite(
        self, parsed: ParsedFile, scope: pd.DataFrame, bar: Any, records: _Records
    ) -> int:
        """The whole batch in one transaction on an ADBC connection: Arrow ingestion writes a
        million rows in well under a second, where executemany takes about three.

        The connection is in autocommit mode so that the transaction can begin with BEGIN
        IMMEDIATE (the driver's own transactions begin deferred): the write lock is taken
        before the duplicate check, and held until COMMIT or ROLLBACK."""
        import adbc_driver_manager

        assert self.url.database is not None
        try:
            with (
                _adbc_sqlite(self.url.database, autocommit=True) as conn,
                conn.cursor() as cursor,
            ):
                cursor.execute("BEGIN IMMEDIATE")  # waits up to BUSY_TIMEOUT_S for the lock
                try:
                    batch_id = self._write_sqlite_batch(cursor, parsed, scope, bar)
                    records.write(_statements(cursor, "?"), batch_id)
                except BaseException:
                    # closing the connection would roll back too; after some errors SQLite has
                    # already rolled back, and ROLLBACK then fails: the first error is the one
                    with suppress(adbc_driver_manager.Error):
                        cursor.execute("ROLLBACK")
                    raise
                cursor.execute("COMMIT")
        except (adbc_driver_manager.Error, pa.ArrowException) as error:
            raise _refused(parsed, error) from None
        return batch_id

    def _import_postgresql(
        self, parsed: ParsedFile, scope: pd.DataFrame, bar: Any, records: _Records
    ) -> int:
        """The whole batch in one transaction on an ADBC connection, whose ingestion is
        PostgreSQL's binary COPY: the write lock (the advisory lock every writer takes), the
        duplicate check, the batch, its scope and its rows, then COMMIT."""
        import adbc_driver_manager
        import adbc_driver_postgresql.dbapi as adbc_pg

        uri = self.url.set(drivername="postgresql").render_as_string(hide_password=False)
        try:
            with adbc_pg.connect(uri) as conn:  # not autocommit: one transaction until commit
                with conn.cursor() as cursor:
                    cursor.execute(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")
                    cursor.fetchall()
                    cursor.execute(
                        "SELECT id FROM batches WHERE sha256 = $1 ORDER BY id LIMIT 1",
                        (parsed.sha256,),
                    )
                    row = cursor.fetchone()
                    if row is not None:
                        raise _already_imported(parsed, int(row[0]))
                    cursor.execute(
                        "INSERT INTO batches (kind, file_name, sha256, imported_at, source_rows, "
                        "stored_rows) VALUES ($1, $2, $3, now(), $4, $5) RETURNING id",
                        (parsed.kind, parsed.file_name, parsed.sha256, parsed.source_rows,
                         len(parsed.frame)),
                    )  # fmt: skip
                    row = cursor.fetchone()
                    assert row is not None
                    batch_id = int(row[0])
                    _ingest(cursor, parsed, scope, batch_id, bar, _postgres_types)
                    records.write(_statements(cursor, "$"), batch_id)
                conn.commit()
        except (adbc_driver_manager.Error, pa.ArrowException) as error:
            raise _refused(parsed, error) from None
        return batch_id

    def _write_sqlite_batch(
        self, cursor: Any, parsed: ParsedFile, scope: pd.DataFrame, bar: Any
    ) -> int:
        """The duplicate check and the writes of _import_sqlite, inside its transaction."""
        cursor.execute(
            "SELECT id FROM batches WHERE sha256 = ? ORDER BY id LIMIT 1", (parsed.sha256,)
        )
        row = cursor.fetchone()
        if row is not None:
            raise _already_imported(parsed, int(row[0]))
        now = datetime.now(UTC)  # taken under the lock: times follow batch numbers
        cursor.execute(
            "INSERT INTO batches (kind, file_name, sha256, imported_at, source_rows, "
            "stored_rows) VALUES (?, ?, ?, ?, ?, ?)",
            (
                parsed.kind,
                parsed.file_name,
                parsed.sha256,
                now.strftime("%Y-%m-%d %H:%M:%S.%f"),  # SQLAlchemy's SQLite format
                parsed.source_rows,
                len(parsed.frame),
            ),
        )
        cursor.execute("SELECT last_insert_rowid()")
        row = cursor.fetchone()
        assert row is not None
        batch_id = int(row[0])
        _ingest(cursor, parsed, scope, batch_id, bar)
        return batch_id

    def _bulk_insert(
        self, conn: Connection, kind: str, frame: pd.DataFrame, batch_id: int, bar: Any
    ) -> None:
        raw: Any = conn.connection.dbapi_connection  # the driver's own connection: bulk paths
        assert raw is not None
        table, names = KIND_TABLES[kind]
        columns = ", ".join(("batch_id", *names))
        marks = ", ".join("?" for _ in range(len(names) + 1))
        cursor = raw.cursor()
        for rows in _chunks(frame, batch_id, names):
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
            if bar is not None:
                bar.update(len(rows))
