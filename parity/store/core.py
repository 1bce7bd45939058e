"""The store's engine: opening, the write lock, the schema and the reference tables."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
from sqlalchemy import (
    create_engine,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from parity.errors import ParityError
from parity.i18n import _
from parity.reference import REFERENCE_DIR, Reference
from parity.store.migrations import SchemaState, read_state, stamp_head
from parity.store.models import BUSY_TIMEOUT_S, WRITE_LOCK_KEY, Base, DutyStationRow, GradeRow
from parity.store.records import BatchInfo, StoreVersion
from parity.store.sql import _batch_by_sha, _batch_info, _begin_sqlite_writes_immediately, _records


class StoreBase:
    """The engine and what every part of the store shares: opening (creating or checking the
    schema), the write lock, the reference tables and one batch's record."""

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
            from parity.store.migrations import upgrade as run_migrations

            run_migrations(conn, self.display_url)
        elif not state.expected <= state.tables:
            Base.metadata.create_all(conn)  # a table went missing: as it was created
        self._seed_reference(conn)
        return state

    def schema_state(self) -> SchemaState:
        """The revision the store records and the tables it has (see parity.store.migrations)."""
        with self.engine.connect() as conn:
            return read_state(conn, frozenset(Base.metadata.tables))

    def readiness(self) -> tuple[StoreVersion, SchemaState]:
        """The store's version and schema state, for a health check; ParityError when the store
        does not answer."""
        try:
            return self.version(), self.schema_state()  # type: ignore[attr-defined]
        except DBAPIError as error:
            raise ParityError(
                f"the store does not answer: {str(error.orig).strip().splitlines()[0]}"
            ) from None

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

    def batch(self, batch_id: int) -> BatchInfo:
        with self.engine.connect() as conn:
            return _batch_info(conn, batch_id)
