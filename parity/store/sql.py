"""Small helpers over a connection, shared by the store's parts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pandas as pd
from sqlalchemy import (
    event,
    func,
    insert,
    select,
)
from sqlalchemy.engine import Connection, Engine

from parity.audit import instance
from parity.errors import ParityError
from parity.i18n import _
from parity.store.models import BUSY_TIMEOUT_S, AuditRow, Batch, BatchScope
from parity.store.records import BatchInfo


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def _add_audit(conn: Connection, who: str, action: str, detail: str) -> None:
    """An audit record, in the caller's transaction. Kept as given (control characters
    included): whoever shows it escapes them (parity.audit.printable)."""
    conn.execute(
        insert(AuditRow).values(
            at=datetime.now(UTC),
            who=who[:120],
            action=action[:40],
            detail=detail[:2000],
            instance=instance()[:120],
        )
    )


def _batch_by_sha(conn: Connection, sha256: str) -> int | None:
    return conn.execute(select(Batch.id).where(Batch.sha256 == sha256).order_by(Batch.id)).scalar()


def _batch_info(conn: Connection, batch_id: int) -> BatchInfo:
    batch = conn.execute(select(Batch.__table__).where(Batch.id == batch_id)).first()
    if batch is None:
        raise ParityError(
            _("there is no batch {batch} (see 'parity batches')").format(batch=batch_id)
        )
    scope = conn.execute(
        select(
            func.count(func.distinct(BatchScope.entity)),
            func.min(BatchScope.year),
            func.max(BatchScope.year),
        ).where(BatchScope.batch_id == batch_id)
    ).one()
    years = f"{scope[1]}" if scope[1] == scope[2] else f"{scope[1]}-{scope[2]}"
    # SQLite gives back the naive UTC time it stored, PostgreSQL an aware time in the
    # session's zone: the same aware UTC time on both
    imported_at = batch.imported_at
    if imported_at.tzinfo is None:
        imported_at = imported_at.replace(tzinfo=UTC)
    return BatchInfo(
        id=batch.id,
        kind=batch.kind,
        file_name=batch.file_name,
        sha256=batch.sha256,
        imported_at=imported_at.astimezone(UTC),
        source_rows=batch.source_rows,
        stored_rows=batch.stored_rows,
        entities=int(scope[0] or 0),
        years=years if scope[1] is not None else "",
    )


def _begin_sqlite_writes_immediately(engine: Engine) -> None:
    """SQLite: transactions begin as SQLAlchemy says, not as the driver decides, and a write
    transaction (see Store._writing) begins with BEGIN IMMEDIATE, taking the write lock before
    its first read. The pysqlite driver's own transaction handling is turned off, as the
    SQLAlchemy documentation describes for SQLite; reads begin a deferred transaction, so they
    see one state of the store without taking the write lock (they wait, up to the busy
    timeout, only while a writer holds the file exclusively)."""

    @event.listens_for(engine, "connect")
    def _no_driver_transactions(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("parity_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _adbc_sqlite(path: str, autocommit: bool = False) -> Any:
    """An ADBC connection to a SQLite file that waits for another writer's lock (up to
    BUSY_TIMEOUT_S) instead of failing with 'database is locked'."""
    import adbc_driver_sqlite.dbapi as adbc_sqlite

    conn = adbc_sqlite.connect(path, autocommit=autocommit)
    try:
        with conn.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
    except BaseException:
        conn.close()
        raise
    return conn
