"""The store: SQLAlchemy models and every read and write of the database.

This is the only module that imports SQLAlchemy, which defines the tables and does the small
reads and writes. Bulk paths go through drivers underneath, each batch in one transaction so that
it is written whole or not at all: on a SQLite file, Arrow ingestion over an ADBC connection; on
PostgreSQL, COPY inside the SQLAlchemy transaction; elsewhere, executemany. The analysis rows are
read back as Arrow through ADBC (on SQLite in two parallel parts).

Writers take turns: every write transaction (an import, a removal, creating the tables) first
takes the store's write lock, so a check made inside it (is this file already imported?) still
holds when the transaction commits. On PostgreSQL the lock is a transaction-scoped advisory lock;
on SQLite the transaction starts with BEGIN IMMEDIATE, and a writer that finds the file locked
waits for its turn (up to BUSY_TIMEOUT_S) instead of failing.

Batches: every import is a numbered batch with provenance. For each (entity, year) it contains, a
batch supersedes the rows of earlier batches; superseded rows are kept, so removing the newer batch
brings them back. The active rows are those of the latest batch for their (entity, year).
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    create_engine,
    delete,
    event,
    func,
    insert,
    literal,
    select,
    text,
    update,
)
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from parity import i18n
from parity.errors import ParityError
from parity.i18n import _
from parity.importer import ParsedFile
from parity.migrations import SchemaState, read_state, stamp_head
from parity.reference import REFERENCE_DIR, Reference
from parity.schema import FLOW_COLUMNS, STORED_COLUMNS, TARGET_COLUMNS
from parity.wording import plural

# Where each kind of batch keeps its rows, and the columns written.
KIND_TABLES = {
    "staff": ("counts", STORED_COLUMNS),
    "flows": ("flow_counts", FLOW_COLUMNS),
    "targets": ("targets", TARGET_COLUMNS),
}

INSERT_CHUNK = 50_000
# A writer waits this long for another to finish before giving up (SQLite's busy timeout).
BUSY_TIMEOUT_S = 60
# The PostgreSQL advisory lock every write transaction takes (any constant: 'parity' + 1).
WRITE_LOCK_KEY = 0x7061_7269_7479_0001
DEMO_PREFIX = "parity-demo"  # file names of the bundled demo data (data/demo/)


class Base(DeclarativeBase):
    pass


class Batch(Base):
    """One imported file."""

    __tablename__ = "batches"
    # A removed batch's number is never given again (SQLite would reuse the highest one), so a
    # number names one file for good and Store.version() changes with every import.
    __table_args__ = ({"sqlite_autoincrement": True},)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default="staff")
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    source_rows: Mapped[int] = mapped_column(Integer)
    stored_rows: Mapped[int] = mapped_column(Integer)


class BatchScope(Base):
    """The (entity, year) pairs a batch covers: what it supersedes in earlier batches."""

    __tablename__ = "batch_scope"
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("batches.id", ondelete="CASCADE"), primary_key=True
    )
    entity: Mapped[str] = mapped_column(String(120), primary_key=True)
    year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)


class _Cell:
    """What a staffing count and a flow count share: their batch and their cell of the
    dimensions."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # no foreign key: PostgreSQL would check it once per row written (half an import's time);
    # rows are written in their batch's transaction and deleted with it (Store.remove_batch)
    batch_id: Mapped[int] = mapped_column(Integer)
    year: Mapped[int] = mapped_column(SmallInteger)
    entity: Mapped[str] = mapped_column(String(120))
    grade: Mapped[str] = mapped_column(String(32))
    gender: Mapped[str] = mapped_column(String(1))
    duty_station: Mapped[str | None] = mapped_column(String(120))
    country: Mapped[str | None] = mapped_column(String(120))
    category: Mapped[str | None] = mapped_column(String(60))
    age_band: Mapped[str | None] = mapped_column(String(40))
    contract_type: Mapped[str | None] = mapped_column(String(60))
    personnel_type: Mapped[str | None] = mapped_column(String(40))


class Count(_Cell, Base):
    """One staffing count: people of one gender in one cell of the dimensions."""

    __tablename__ = "counts"
    # Reading the active rows joins on (batch_id, entity, year): one index serves it and deletes.
    __table_args__ = (Index("ix_counts_batch_entity_year", "batch_id", "entity", "year"),)
    headcount: Mapped[int] = mapped_column(Integer)


class FlowCount(_Cell, Base):
    """Events between the snapshots of year t-1 and t, recorded for year t: appointments,
    promotions into the grade given, separations."""

    __tablename__ = "flow_counts"
    __table_args__ = (Index("ix_flows_batch_entity_year", "batch_id", "entity", "year"),)
    event: Mapped[str] = mapped_column(String(16))
    count: Mapped[int] = mapped_column(Integer)


class Target(Base):
    """An entity's target for women's share at a grade in a year, with its margin (fractions)."""

    __tablename__ = "targets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id", ondelete="CASCADE"), index=True)
    entity: Mapped[str] = mapped_column(String(120))
    grade: Mapped[str] = mapped_column(String(32))
    year: Mapped[int] = mapped_column(SmallInteger)
    target_share: Mapped[float] = mapped_column(Float)
    margin: Mapped[float] = mapped_column(Float)


class ColumnMapping(Base):
    """How the columns of files with a given header map to the contract's, as a user chose it
    once ("Sexe" -> gender): offered again for files with the same headers."""

    __tablename__ = "column_mappings"
    signature: Mapped[str] = mapped_column(String(2000), primary_key=True)
    mapping: Mapped[str] = mapped_column(String(4000))  # JSON: file's column -> contract column
    saved_at: Mapped[datetime] = mapped_column(DateTime)


class RoundRow(Base):
    """A reporting round: figures as of a date, due by another, from the entities taking part;
    its submissions are drafts until the round is published."""

    __tablename__ = "rounds"
    __table_args__ = ({"sqlite_autoincrement": True},)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    as_of: Mapped[date] = mapped_column(Date)
    due: Mapped[date] = mapped_column(Date)
    entities: Mapped[str] = mapped_column(String(8000))  # JSON list
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    opened_by: Mapped[str] = mapped_column(String(120))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)  # +1 at each publish/unpublish


class SubmissionRow(Base):
    """An entity's figures in a batch submitted to a round, with the flags found on them."""

    __tablename__ = "submissions"
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("batches.id", ondelete="CASCADE"), primary_key=True
    )
    entity: Mapped[str] = mapped_column(String(120), primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    submitted_by: Mapped[str] = mapped_column(String(120))
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(16))  # submitted, flagged, confirmed
    flags: Mapped[str] = mapped_column(String(8000))  # JSON list of messages


class UserRow(Base):
    """A user of a deployment: a local account (argon2 hash; never the password) or one known
    through the identity provider (no hash), with a role and the entities of its scope."""

    __tablename__ = "users"
    name: Mapped[str] = mapped_column(String(120), primary_key=True)
    password_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    role: Mapped[str] = mapped_column(String(20))
    entities: Mapped[str] = mapped_column(String(4000))  # JSON list
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # carried by every session of the user; raised to end them all (see Store.end_sessions)
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class SignInFailure(Base):
    """A failed sign-in: when, the name tried, the client's address and its device cookie's id
    ('' without one). Counted to throttle guessing (parity.web.auth); kept a day."""

    __tablename__ = "sign_in_failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    address: Mapped[str] = mapped_column(String(64))
    device: Mapped[str] = mapped_column(String(64))


class AuditRow(Base):
    """Who did what, when: sign-ins (and failed ones), imports, removals, downloads, briefings,
    changes of users and roles. The application only ever adds to it."""

    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    who: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(String(2000))


class GradeRow(Base):
    """The grade ladder (from the CEB code list): order and staff category of every grade."""

    __tablename__ = "grades"
    grade: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    ceb_code: Mapped[str] = mapped_column(String(32))
    ceb_group: Mapped[str] = mapped_column(String(60))
    group_rank: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(60))
    rank: Mapped[int] = mapped_column(Integer)


class DutyStationRow(Base):
    """Duty stations (from the CEB code list) with country, region and coordinates."""

    __tablename__ = "duty_stations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    duty_station: Mapped[str] = mapped_column(String(120), index=True)
    country: Mapped[str] = mapped_column(String(120))
    region: Mapped[str] = mapped_column(String(60))
    subregion: Mapped[str] = mapped_column(String(60))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    is_hq: Mapped[bool] = mapped_column(Boolean)
    main: Mapped[bool] = mapped_column(Boolean)


@dataclass(frozen=True)
class UserRecord:
    """A user as stored: role, entities of its scope, argon2 hash (None: signs in through the
    identity provider) and the version its sessions must carry."""

    name: str
    role: str
    entities: tuple[str, ...]
    password_hash: str | None
    session_version: int


class Failures(NamedTuple):
    """Failed sign-ins in a window (see Store.sign_in_failures)."""

    account: int  # for the name, from clients without its device cookie
    account_address: int  # for the name, from the address
    address: int  # from the address, clients without a device cookie
    device: int  # from the device cookie presented
    account_day: int  # for the name, from clients without its device cookie, in the last day


class StoreVersion(NamedTuple):
    """The state of the store's figures: what a frame or a cached view was made from. Each
    part only grows while the store lives (a removed batch's number is never given again), so
    a new state never takes an old one's name."""

    batches: int
    latest_batch: int
    publications: int  # publications and unpublications of rounds
    submissions: int  # submission rows of rounds


@dataclass(frozen=True)
class BatchInfo:
    id: int
    kind: str
    file_name: str
    sha256: str
    imported_at: datetime
    source_rows: int
    stored_rows: int
    entities: int
    years: str

    def summary(self) -> str:
        """'12 rows read, 24 counts stored, 1 entity, years 2024-2025'."""
        # Translators: '12 rows read', '24 counts stored', '1 entity' and the years ('2024-2025')
        return _("{rows}, {counts}, {entities}, years {years}").format(
            rows=plural(self.source_rows, "{n} row read", "{n} rows read"),
            counts=plural(self.stored_rows, "{n} count stored", "{n} counts stored"),
            entities=plural(self.entities, "{n} entity", "{n} entities"),
            years=self.years,
        )

    def audit_words(self) -> str:
        """What the audit records of an import: 'batch 3: staff.csv, 12 rows read, …', always
        in English (the audit is one record for every reader, whatever their language)."""
        with i18n.using("en"):
            return f"batch {self.id}: {self.file_name}, {self.summary()}"


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


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


class Store:
    """A parity database: one engine per process, created from a SQLAlchemy URL.

    Opening an empty database creates the store, recorded at the latest schema revision (see
    parity.migrations); a store at an older revision is refused (StoreNeedsUpgrade) until
    ``upgrade`` brings it up to date. ``as_is`` opens the database without creating or checking
    anything (for ``parity db status`` and ``parity db upgrade``)."""

    def __init__(self, url: str, *, as_is: bool = False) -> None:
        try:
            self.url = make_url(url)
            sqlite = self.url.get_backend_name() == "sqlite"
            if sqlite and self.url.database:
                Path(self.url.database).parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = create_engine(
                self.url, connect_args={"timeout": BUSY_TIMEOUT_S} if sqlite else {}
            )
        except (ArgumentError, NoSuchModuleError, ImportError, OSError) as error:
            raise ParityError(
                _("cannot use the database URL {url}: {error}").format(url=repr(url), error=error)
            ) from None
        if sqlite:
            _begin_sqlite_writes_immediately(self.engine)
        # the same engine, for write transactions (see _writing)
        self._writer = self.engine.execution_options(parity_write=True)
        try:
            if not as_is and not self._ready():
                # another process may be creating the store at this moment: take turns
                with self._writing() as conn:
                    self._prepare(conn, upgrade=False)
        except DBAPIError as error:  # cannot connect, or not a database (e.g. a text file)
            raise ParityError(
                _("cannot open the database {url}: {error}").format(
                    url=self.display_url, error=str(error.orig).strip().splitlines()[0]
                )
            ) from None
        self._reference: Reference | None = None

    @property
    def display_url(self) -> str:
        return self.url.render_as_string(hide_password=True)

    def dispose(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        """A write transaction holding the store's write lock until it commits or rolls back:
        on SQLite it begins with BEGIN IMMEDIATE (see _begin_sqlite_writes_immediately), on
        PostgreSQL it takes the advisory lock. Another writer waits for its turn."""
        with self._writer.begin() as conn:
            if self.url.get_backend_name() == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})
            yield conn

    def _ready(self) -> bool:
        """True when the store is at the latest schema revision with every table, and the
        reference tables are filled (read only). A store that needs upgrading is refused here,
        without waiting for the write lock."""
        with self.engine.connect() as conn:
            state = read_state(conn, frozenset(Base.metadata.tables))
            if not state.empty and not state.up_to_date:
                raise state.refusal(self.display_url)
            if state.empty or not state.expected <= state.tables:
                return False
            return bool(conn.execute(select(func.count()).select_from(GradeRow)).scalar_one())

    def _prepare(self, conn: Connection, upgrade: bool) -> SchemaState:
        """Under the write lock: create the store in an empty database (recorded at the latest
        revision), upgrade an older one (or refuse it unless ``upgrade``), and fill the
        reference tables. The state found, before any change."""
        state = read_state(conn, frozenset(Base.metadata.tables))
        if state.empty:
            Base.metadata.create_all(conn)
            stamp_head(conn)
        elif not state.up_to_date:
            if not upgrade:
                raise state.refusal(self.display_url)
            from parity.migrations import upgrade as run_migrations

            run_migrations(conn, self.display_url)
        elif not state.expected <= state.tables:
            Base.metadata.create_all(conn)  # a table went missing: as it was created
        self._seed_reference(conn)
        return state

    def schema_state(self) -> SchemaState:
        """The revision the store records and the tables it has (see parity.migrations)."""
        with self.engine.connect() as conn:
            return read_state(conn, frozenset(Base.metadata.tables))

    def upgrade(self) -> SchemaState:
        """Bring the store to the latest schema revision in one transaction under the write
        lock (an empty database: create the store). The state it was in."""
        try:
            with self._writing() as conn:
                return self._prepare(conn, upgrade=True)
        except DBAPIError as error:
            raise ParityError(
                _("cannot upgrade the store {url}, nothing was changed: {error}").format(
                    url=self.display_url, error=str(error.orig).strip().splitlines()[0]
                )
            ) from None

    # -- reference tables -------------------------------------------------------------------
    def _seed_reference(self, conn: Connection) -> None:
        if conn.execute(select(func.count()).select_from(GradeRow)).scalar_one():
            return
        seed = Reference.load(REFERENCE_DIR)
        conn.execute(insert(GradeRow), _records(seed.grades))
        stations = seed.duty_stations.astype({"is_hq": bool, "main": bool})
        stations = stations.astype(object).where(stations.notna(), None)
        conn.execute(insert(DutyStationRow), _records(stations))

    def reference(self) -> Reference:
        if self._reference is None:
            with self.engine.connect() as conn:
                grades = pd.DataFrame(conn.execute(select(GradeRow.__table__)).mappings().all())
                stations = pd.DataFrame(
                    conn.execute(select(DutyStationRow.__table__)).mappings().all()
                ).drop(columns="id")
            stations["is_hq"] = stations["is_hq"].astype(int)
            stations["main"] = stations["main"].astype(int)
            self._reference = Reference(grades=grades, duty_stations=stations)
        return self._reference

    # -- batches ----------------------------------------------------------------------------
    def find_batch_by_sha(self, sha256: str) -> int | None:
        with self.engine.connect() as conn:
            return _batch_by_sha(conn, sha256)

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

    # -- reporting rounds ------------------------------------------------------------------
    def open_round(
        self, name: str, as_of: date, due: date, entities: Sequence[str], by: str
    ) -> int:
        """Open a round; its number."""
        import json

        with self._writing() as conn:
            result = conn.execute(
                insert(RoundRow).values(
                    name=name,
                    as_of=as_of,
                    due=due,
                    entities=json.dumps(sorted(entities), ensure_ascii=False),
                    opened_at=datetime.now(UTC),
                    opened_by=by,
                    published_at=None,
                    revision=0,
                )
            )
            number = int(result.inserted_primary_key[0])  # type: ignore[index]
            _add_audit(conn, by, "round opened", f"round {number}: {name}, due {due}")
            return number

    def rounds(self) -> list[dict[str, Any]]:
        """Every round, newest first: id, name, as_of, due, entities, opened_at, published_at."""
        import json

        with self.engine.connect() as conn:
            rows = conn.execute(select(RoundRow).order_by(RoundRow.id.desc())).mappings().all()
        out = []
        for row in rows:
            record = dict(row)
            record["entities"] = json.loads(record["entities"])
            out.append(record)
        return out

    def round(self, round_id: int) -> dict[str, Any]:
        found = [r for r in self.rounds() if r["id"] == round_id]
        if not found:
            raise ParityError(_("no round {round}; see parity rounds list").format(round=round_id))
        return found[0]

    def submissions(self, round_id: int) -> list[dict[str, Any]]:
        """Each entity's latest submission to a round (batch, by, when, status, flags)."""
        import json

        with self.engine.connect() as conn:
            rows = (
                conn.execute(
                    select(SubmissionRow)
                    .where(SubmissionRow.round_id == round_id)
                    .order_by(SubmissionRow.batch_id)
                )
                .mappings()
                .all()
            )
        latest: dict[str, dict[str, Any]] = {}
        for row in rows:
            record = dict(row)
            record["flags"] = json.loads(record["flags"])
            latest[record["entity"]] = record
        return [latest[e] for e in sorted(latest)]

    def confirm(self, round_id: int, entity: str, who: str) -> None:
        """The steward confirms a flagged submission: the figures are right (with its audit
        record, in one transaction)."""
        latest = [s for s in self.submissions(round_id) if s["entity"] == entity]
        if not latest:
            raise ParityError(
                _("{entity} has no submission in round {round}").format(
                    entity=entity, round=round_id
                )
            )
        with self._writing() as conn:
            conn.execute(
                update(SubmissionRow)
                .where(SubmissionRow.batch_id == latest[0]["batch_id"])
                .where(SubmissionRow.entity == entity)
                .values(status="confirmed")
            )
            _add_audit(conn, who, "submission confirmed", f"round {round_id}: {entity}")

    def draft_entities(self) -> set[str]:
        """Entities with figures submitted to a round not yet published."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(SubmissionRow.entity)
                .join(RoundRow, RoundRow.id == SubmissionRow.round_id)
                .where(RoundRow.published_at.is_(None))
                .distinct()
            ).all()
        return {str(e) for (e,) in rows}

    def draft_batches(self) -> dict[int, set[str]]:
        """Batches submitted to rounds not yet published, with their entities."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(SubmissionRow.batch_id, SubmissionRow.entity)
                .join(RoundRow, RoundRow.id == SubmissionRow.round_id)
                .where(RoundRow.published_at.is_(None))
            ).all()
        drafts: dict[int, set[str]] = {}
        for batch_id, entity in rows:
            drafts.setdefault(int(batch_id), set()).add(str(entity))
        return drafts

    def set_published(self, round_id: int, published: bool, who: str) -> None:
        """Publish a round (its submissions become the figures everyone sees, at once) or
        unpublish it (the previous published figures come back), with its audit record in
        the same transaction. Nothing is deleted."""
        self.round(round_id)
        with self._writing() as conn:
            conn.execute(
                update(RoundRow)
                .where(RoundRow.id == round_id)
                .values(
                    published_at=datetime.now(UTC) if published else None,
                    revision=RoundRow.revision + 1,
                )
            )
            action = "round published" if published else "round unpublished"
            _add_audit(conn, who, action, f"round {round_id}")

    # -- users and the audit -------------------------------------------------------------
    def users(self) -> list[tuple[str, str, tuple[str, ...], bool]]:
        """(name, role, entities, has a local password) of every user, by name."""
        import json

        with self.engine.connect() as conn:
            rows = conn.execute(
                select(
                    UserRow.name, UserRow.role, UserRow.entities, UserRow.password_hash
                ).order_by(UserRow.name)
            ).all()
        return [(n, r, tuple(json.loads(e)), p is not None) for n, r, e, p in rows]

    def user(self, name: str) -> UserRecord | None:
        """A user's role, entities, password hash and session version, or None."""
        import json

        with self.engine.connect() as conn:
            row = conn.execute(
                select(
                    UserRow.role, UserRow.entities, UserRow.password_hash, UserRow.session_version
                ).where(UserRow.name == name)
            ).first()
        if row is None:
            return None
        return UserRecord(name, str(row[0]), tuple(json.loads(row[1])), row[2], int(row[3]))

    def put_user(
        self,
        name: str,
        role: str,
        entities: Sequence[str],
        password_hash: str | None,
        who: str | None = None,
    ) -> None:
        """Add a user, or change one's role and entities (and password, when one is given). A
        change of role, entities or password ends the user's sessions (see end_sessions). With
        ``who``, the audit record ("user added" or "user changed") in the same transaction."""
        import json

        scope = f" for {', '.join(entities)}" if entities else ""
        with self._writing() as conn:
            existing = conn.execute(
                select(UserRow.role, UserRow.entities).where(UserRow.name == name)
            ).first()
            values: dict[str, Any] = {
                "role": role,
                "entities": json.dumps(list(entities), ensure_ascii=False),
            }
            if existing is None:
                conn.execute(
                    insert(UserRow).values(
                        name=name,
                        password_hash=password_hash,
                        created_at=datetime.now(UTC),
                        session_version=0,
                        **values,
                    )
                )
                if who is not None:
                    _add_audit(conn, who, "user added", f"{name}: {role}{scope}")
                return
            changed = (existing[0], existing[1]) != (values["role"], values["entities"])
            if password_hash is not None:
                values["password_hash"] = password_hash
                changed = True
            if changed:
                values["session_version"] = UserRow.session_version + 1
            conn.execute(update(UserRow).where(UserRow.name == name).values(**values))
            if who is not None:
                _add_audit(conn, who, "user changed", f"{name}: {role}{scope}")

    def end_sessions(self, name: str) -> None:
        """End every session of a user (sign-out): each session carries the user's session
        version, which this raises."""
        with self._writing() as conn:
            conn.execute(
                update(UserRow)
                .where(UserRow.name == name)
                .values(session_version=UserRow.session_version + 1)
            )

    def remove_user(self, name: str, who: str | None = None) -> bool:
        """Remove a user (their sessions end with them), with the audit record (``who``)."""
        with self._writing() as conn:
            removed = bool(conn.execute(delete(UserRow).where(UserRow.name == name)).rowcount)
            if removed and who is not None:
                _add_audit(conn, who, "user removed", name)
            return removed

    def record_sign_in_failure(self, name: str, address: str, device: str) -> None:
        """A failed sign-in (with its audit record, in one transaction); failures older than a
        day are forgotten."""
        now = datetime.now(UTC)
        with self._writing() as conn:
            conn.execute(
                delete(SignInFailure).where(
                    SignInFailure.at < (now - timedelta(days=1)).replace(tzinfo=None)
                )
            )
            conn.execute(
                insert(SignInFailure).values(
                    at=now.replace(tzinfo=None),
                    name=name[:120],
                    address=address[:64],
                    device=device[:64],
                )
            )
            _add_audit(conn, name or "?", "sign-in failed", f"from {address}")

    def sign_in_failures(self, since: datetime, name: str, address: str, device: str) -> Failures:
        """Failed sign-ins since ``since`` (UTC): for ``name`` without a device cookie, for
        ``name`` and ``address`` together, from ``address`` without a device cookie, from the
        device ``device`` (when not ''); and for ``name`` without a device cookie in the last
        day (what is kept)."""
        untrusted = SignInFailure.device == ""

        def counted(*where: Any, start: datetime = since) -> Any:
            after = SignInFailure.at >= start.astimezone(UTC).replace(tzinfo=None)
            query = select(func.count()).select_from(SignInFailure).where(after, *where)
            return query.scalar_subquery()

        day = datetime.now(UTC) - timedelta(days=1)
        with self.engine.connect() as conn:
            row = conn.execute(
                select(
                    counted(SignInFailure.name == name, untrusted),
                    counted(SignInFailure.name == name, SignInFailure.address == address),
                    counted(SignInFailure.address == address, untrusted),
                    counted(SignInFailure.device == device) if device else literal(0),
                    counted(SignInFailure.name == name, untrusted, start=day),
                )
            ).one()
        return Failures(*(int(n) for n in row))

    def audit(self, who: str, action: str, detail: str = "") -> None:
        """Record an action (append only: nothing in parity changes or deletes a record)."""
        with self._writing() as conn:
            _add_audit(conn, who, action, detail)

    def audit_log(self, limit: int = 200) -> list[tuple[datetime, str, str, str]]:
        """The latest records, newest first: (when, who, action, detail)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(AuditRow.at, AuditRow.who, AuditRow.action, AuditRow.detail)
                .order_by(AuditRow.id.desc())
                .limit(limit)
            ).all()
        return [(at, who, action, detail) for at, who, action, detail in rows]

    def saved_mapping(self, signature: str) -> dict[str, str] | None:
        """The column mapping saved for files whose header has this signature, if any."""
        import json

        with self.engine.connect() as conn:
            text = conn.execute(
                select(ColumnMapping.mapping).where(ColumnMapping.signature == signature)
            ).scalar_one_or_none()
        return None if text is None else {str(k): str(v) for k, v in json.loads(text).items()}

    def save_mapping(self, signature: str, mapping: dict[str, str]) -> None:
        """Remember a column mapping for files whose header has this signature."""
        import json

        with self._writing() as conn:
            conn.execute(delete(ColumnMapping).where(ColumnMapping.signature == signature))
            conn.execute(
                insert(ColumnMapping).values(
                    signature=signature,
                    mapping=json.dumps(mapping, ensure_ascii=False, sort_keys=True),
                    saved_at=datetime.now(UTC),
                )
            )

    def batch_entities(self, batch_id: int) -> list[str]:
        """The entities a batch holds figures for."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(BatchScope.entity)
                .where(BatchScope.batch_id == batch_id)
                .distinct()
                .order_by(BatchScope.entity)
            ).all()
        return [str(e) for (e,) in rows]

    def entity_names(self) -> list[str]:
        """Every entity any batch has held, as it was first spelled (an import matches its
        entities to these, ignoring case, accents and spacing)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(BatchScope.entity, func.min(BatchScope.batch_id))
                .group_by(BatchScope.entity)
                .order_by(func.min(BatchScope.batch_id))
            ).all()
        return [str(entity) for entity, _ in rows]

    def batches(self) -> list[BatchInfo]:
        with self.engine.connect() as conn:
            ids = conn.execute(select(Batch.id).order_by(Batch.id)).scalars().all()
        return [self.batch(i) for i in ids]

    def batch(self, batch_id: int) -> BatchInfo:
        with self.engine.connect() as conn:
            return _batch_info(conn, batch_id)

    def remove_batch(self, batch_id: int, who: str | None = None) -> BatchInfo:
        """Delete a batch, its rows and its round submissions; rows it superseded become active
        again. Under the write lock, like an import: the batch is looked up in the transaction
        that deletes it, and the audit record (``who``) is written in it."""
        with self._writing() as conn:
            info = _batch_info(conn, batch_id)
            for model in (Count, FlowCount, Target, SubmissionRow):
                conn.execute(delete(model).where(model.batch_id == batch_id))
            conn.execute(delete(BatchScope).where(BatchScope.batch_id == batch_id))
            conn.execute(delete(Batch).where(Batch.id == batch_id))
            if who is not None:
                _add_audit(conn, who, "batch removed", f"batch {info.id}: {info.file_name}")
        return info

    def holds_demo_data(self) -> bool:
        """True when a batch of the bundled synthetic demo data is in the store."""
        return any(b.file_name.startswith(DEMO_PREFIX) for b in self.batches())

    def version(self) -> StoreVersion:
        """Changes whenever a batch is added or removed, a round published or unpublished, or
        a submission recorded (see StoreVersion)."""
        with self.engine.connect() as conn:
            count, top = conn.execute(select(func.count(Batch.id), func.max(Batch.id))).one()
            published = conn.execute(select(func.coalesce(func.sum(RoundRow.revision), 0))).one()
            submitted = conn.execute(select(func.count()).select_from(SubmissionRow)).one()
        return StoreVersion(int(count), int(top or 0), int(published[0]), int(submitted[0]))

    # -- reading ----------------------------------------------------------------------------
    def active_sql(
        self, kind: str = "staff", entities: Sequence[str] | None = None, drafts: bool = False
    ) -> str:
        """Rows of the latest batch of ``kind`` for each (entity, year); only ``entities``
        when given (a selection by entity is pushed down to the database). A batch submitted to
        a round not yet published is a draft: left out unless ``drafts``."""
        table, names = KIND_TABLES[kind]
        selected = ", ".join(
            f"c.{c}"
            if c in ("year", "headcount", "count", "target_share", "margin")
            else f"COALESCE(c.{c}, '') AS {c}"
            for c in names
        )
        return (
            f"SELECT {selected} FROM {table} c JOIN ({_latest_sql(kind, drafts)}) latest "
            "ON c.batch_id = latest.batch_id AND c.entity = latest.entity "
            "AND c.year = latest.year" + _entity_clause(entities)
        )

    def active_batches(self, kind: str = "staff", drafts: bool = False) -> pd.DataFrame:
        """(entity, year, batch_id): the batch whose rows of ``kind`` are active for each
        (entity, year) — what active_sql joins on (a few thousand rows, not the counts)."""
        with self.engine.connect() as conn:
            rows = conn.execute(text(_latest_sql(kind, drafts))).all()
        return pd.DataFrame(
            [(str(e), int(y), int(b)) for e, y, b in rows], columns=["entity", "year", "batch_id"]
        )

    def read_flows(self, entities: Sequence[str] | None = None) -> pd.DataFrame:
        """The active flow counts, with categorical dimensions ('' = missing)."""
        sql = self.active_sql("flows", entities)
        return arrow_to_categoricals(self._read_arrow(sql, "flows"))

    def read_targets(self) -> pd.DataFrame:
        """The active targets (entity, grade, year, target_share, margin)."""
        with self.engine.connect() as conn:
            return pd.read_sql(self.active_sql("targets"), conn)

    def read_active_counts(
        self, entities: Sequence[str] | None = None, drafts: bool = False
    ) -> pa.Table:
        """The active rows as an Arrow table (missing optional values as empty strings); with
        ``drafts``, the figures submitted to rounds not yet published take their place."""
        return self._read_arrow(self.active_sql("staff", entities, drafts), "staff")

    def _read_arrow(self, sql: str, kind: str) -> pa.Table:
        backend = self.url.get_backend_name()
        if backend == "sqlite" and self.url.database not in (None, "", ":memory:"):
            path = self.url.database
            table = _read_in_parts(sql, lambda: _adbc_sqlite(path))
        elif backend == "postgresql":
            import adbc_driver_postgresql.dbapi as adbc_pg

            uri = self.url.set(drivername="postgresql").render_as_string(hide_password=False)
            with adbc_pg.connect(uri) as conn, conn.cursor() as cursor:  # one query: the server
                cursor.execute(sql)  # joins faster than two half-queries
                table = cursor.fetch_arrow_table()
        else:
            with self.engine.connect() as connection:
                frame = pd.read_sql(sql, connection)
            table = pa.Table.from_pandas(frame, preserve_index=False)
        pa.default_memory_pool().release_unused()  # the drivers' buffers, once copied
        if table.num_rows == 0:
            names = KIND_TABLES[kind][1]
            return pa.table(
                {
                    c: pa.array(
                        [],
                        pa.int16()
                        if c == "year"
                        else pa.int64()
                        if c in ("headcount", "count")
                        else pa.string(),
                    )
                    for c in names
                }
            )
        return table


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


@dataclass(frozen=True)
class Submission:
    """A batch submitted to a round: the round, who submitted it, and each entity's flags (the
    messages of what looks like a mistake, computed before the batch is written)."""

    round_id: int
    by: str
    flags: Mapping[str, Sequence[str]]


class _Run:
    """Plain SQL on a driver's cursor inside the caller's transaction, written with ``?``
    placeholders: as they are for SQLite, numbered ``$1``, ``$2`` … for PostgreSQL (ADBC)."""

    def __init__(self, cursor: Any, style: str) -> None:
        self.cursor = cursor
        self.postgres = style == "$"

    def __call__(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        if self.postgres:
            head, *rest = sql.split("?")
            sql = head + "".join(f"${n}{part}" for n, part in enumerate(rest, 1))
        self.cursor.execute(sql, params)
        return self.cursor

    def stamp(self, aware: bool) -> str:
        """A timestamp parameter: SQLite stores SQLAlchemy's text; PostgreSQL casts it."""
        if not self.postgres:
            return "?"
        return "CAST(? AS TIMESTAMPTZ)" if aware else "CAST(? AS TIMESTAMP)"

    def time(self, at: datetime, aware: bool) -> str:
        if not self.postgres:
            return at.strftime("%Y-%m-%d %H:%M:%S.%f")  # SQLAlchemy's SQLite format
        return at.isoformat(sep=" ") if aware else at.replace(tzinfo=None).isoformat(sep=" ")


def _statements(cursor: Any, style: str) -> _Run:
    return _Run(cursor, style)


class _Records:
    """What is written with a batch, in its transaction: the round's check and submission rows
    (with ``submission``) and the audit records (with ``who``)."""

    def __init__(
        self,
        parsed: ParsedFile,
        scope: pd.DataFrame,
        who: str | None,
        submission: Submission | None,
    ) -> None:
        self.parsed, self.scope, self.who, self.submission = parsed, scope, who, submission

    def write(self, run: _Run, batch_id: int) -> None:
        import json

        now = datetime.now(UTC)
        submission = self.submission
        if submission is not None:
            self._check_round(run, submission)
            for entity, flags in submission.flags.items():
                run(
                    "INSERT INTO submissions (batch_id, entity, round_id, submitted_by, "
                    f"submitted_at, status, flags) VALUES (?, ?, ?, ?, {run.stamp(True)}, ?, ?)",
                    (
                        batch_id,
                        entity,
                        submission.round_id,
                        submission.by[:120],
                        run.time(now, True),
                        "flagged" if flags else "submitted",
                        json.dumps(list(flags), ensure_ascii=False),
                    ),
                )
        if self.who is None:
            return
        years = self.scope["year"]
        low, high = (int(years.min()), int(years.max())) if len(years) else (0, 0)
        info = BatchInfo(
            id=batch_id,
            kind=self.parsed.kind,
            file_name=self.parsed.file_name,
            sha256=self.parsed.sha256,
            imported_at=now,
            source_rows=self.parsed.source_rows,
            stored_rows=len(self.parsed.frame),
            entities=int(self.scope["entity"].nunique()),
            years="" if not len(years) else f"{low}" if low == high else f"{low}-{high}",
        )
        self._audit(run, now, "import", info.audit_words())
        if submission is not None:
            for entity in submission.flags:
                detail = f"round {submission.round_id}: {entity}, batch {batch_id}"
                self._audit(run, now, "submission", detail)

    def _audit(self, run: _Run, now: datetime, action: str, detail: str) -> None:
        assert self.who is not None
        run(
            f"INSERT INTO audit (at, who, action, detail) VALUES ({run.stamp(False)}, ?, ?, ?)",
            (run.time(now, False), self.who[:120], action[:40], detail[:2000]),
        )

    def _check_round(self, run: _Run, submission: Submission) -> None:
        """Under the write lock: the round exists, is not published, and takes part every
        entity of the batch (a publication between the first check and now is seen here)."""
        import json

        found = run(
            "SELECT published_at, entities FROM rounds WHERE id = ?", (submission.round_id,)
        ).fetchone()
        if found is None:
            raise ParityError(
                _("no round {round}; see parity rounds list").format(round=submission.round_id)
            )
        if found[0] is not None:
            raise ParityError(
                _("round {round} is published: unpublish it to submit").format(
                    round=submission.round_id
                )
            )
        outside = sorted(set(submission.flags) - set(json.loads(found[1])))
        if outside:
            raise ParityError(
                _("{file}: {entities} not in round {round}; nothing was imported").format(
                    file=self.parsed.file_name,
                    entities=", ".join(outside),
                    round=submission.round_id,
                )
            )


def _refused(parsed: ParsedFile, error: BaseException) -> ParityError:
    """The database's refusal of a batch, in one line: nothing was imported."""
    message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return ParityError(
        _("{file}: the database refused the batch, nothing was imported ({error})").format(
            file=parsed.file_name, error=message
        )
    )


def _postgres_types(table: pa.Table) -> pa.Table:
    """Arrow columns as wide as the PostgreSQL columns they go to: binary COPY sends each value
    in its column's own width (SMALLINT year, INTEGER ids and counts)."""
    widths = {"year": pa.int16(), "batch_id": pa.int32(), "headcount": pa.int32()}
    widths["count"] = pa.int32()
    return table.cast(
        pa.schema([pa.field(f.name, widths.get(f.name, f.type)) for f in table.schema])
    )


def _add_audit(conn: Connection, who: str, action: str, detail: str) -> None:
    """An audit record, in the caller's transaction. Kept as given (control characters
    included): whoever shows it escapes them (parity.audit.printable)."""
    conn.execute(
        insert(AuditRow).values(
            at=datetime.now(UTC), who=who[:120], action=action[:40], detail=detail[:2000]
        )
    )


def _batch_by_sha(conn: Connection, sha256: str) -> int | None:
    return conn.execute(select(Batch.id).where(Batch.sha256 == sha256).order_by(Batch.id)).scalar()


def _already_imported(parsed: ParsedFile, existing: int) -> ParityError:
    return ParityError(
        _(
            "{file}: this exact file is already imported as batch {batch}; nothing was "
            "imported (remove that batch first to import it again)"
        ).format(file=parsed.file_name, batch=existing)
    )


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


def _read_parts() -> int:
    """How many parts a read is split into: one per core (ADBC fetches without holding the
    GIL), at least one, at most four (beyond, the merge costs what the parts save)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(4, cores or 1))


READ_PARTS = _read_parts()


def _read_in_parts(sql: str, connect: Callable[[], Any]) -> pa.Table:
    """Run ``sql`` as READ_PARTS queries over disjoint sets of years, each on its own ADBC
    connection in its own thread, and concatenate the Arrow results (row order is not kept).
    Reading a million rows this way takes about half the time of one query."""
    glue = " AND " if " WHERE " in sql else " WHERE "
    parts: list[pa.Table | None] = [None] * READ_PARTS
    errors: list[BaseException] = []

    def read(index: int) -> None:
        try:
            with connect() as conn, conn.cursor() as cursor:
                cursor.execute(f"{sql}{glue}c.year % {READ_PARTS} = {index}")
                parts[index] = cursor.fetch_arrow_table()
        except BaseException as error:  # re-raised in the calling thread
            errors.append(error)

    threads = [threading.Thread(target=read, args=(i,)) for i in range(READ_PARTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    # an empty part carries whatever types the driver guessed: keep only parts with rows
    # (a Table with no rows is falsy: test for None, or an empty store would leave no part)
    tables = [t for t in parts if t is not None and t.num_rows] or [
        p for p in parts if p is not None
    ]
    schema = tables[0].schema
    return pa.concat_tables([t.cast(schema) if t.schema != schema else t for t in tables])


def _latest_sql(kind: str, drafts: bool) -> str:
    """(entity, year, batch_id) of the latest batch of ``kind`` for each (entity, year): a
    batch submitted to a round not yet published left out unless ``drafts``."""
    return (
        "SELECT s.entity, s.year, MAX(s.batch_id) AS batch_id FROM batch_scope s "
        f"JOIN batches b ON b.id = s.batch_id WHERE b.kind = '{kind}' "
        + (
            ""
            if drafts
            else "AND NOT EXISTS (SELECT 1 FROM submissions u JOIN rounds r ON "
            "r.id = u.round_id WHERE u.batch_id = b.id AND r.published_at IS NULL) "
        )
        + "GROUP BY s.entity, s.year"
    )


def _entity_clause(entities: Sequence[str] | None) -> str:
    if not entities:
        return ""
    quoted = ", ".join("'" + e.replace("'", "''") + "'" for e in entities)  # SQL string literals
    return f" WHERE c.entity IN ({quoted})"


def arrow_to_categoricals(table: pa.Table) -> pd.DataFrame:
    """Arrow table of the store -> DataFrame with categorical dimensions ('' becomes missing)."""
    data: dict[str, Any] = {}
    for name in table.column_names:
        column = table.column(name)
        if name == "year":
            data[name] = column.to_numpy().astype("int16")
        elif name in ("headcount", "count"):
            data[name] = column.to_numpy().astype("int32")
        else:
            encoded = column.dictionary_encode().combine_chunks()
            categories = encoded.dictionary.to_pylist()
            codes = encoded.indices.to_numpy(zero_copy_only=False).astype("int32")
            if "" in categories:
                empty = categories.index("")
                codes = np.where(codes == empty, -1, codes - (codes > empty))
                categories = categories[:empty] + categories[empty + 1 :]
            data[name] = pd.Categorical.from_codes(codes, categories=categories)
    return pd.DataFrame(data)
