"""The store: SQLAlchemy models and every read and write of the database.

This is the only package that imports SQLAlchemy, which defines the tables and does the small
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

The package's parts: ``models`` (the tables), ``records`` (typed records the store gives back),
``core`` (the engine, the write lock, the schema), ``ingest`` and ``statements`` (writing a batch),
``batches``, ``rounds``, ``people`` (users, sign-in failures, the audit) and ``reading`` (the
active rows as Arrow). ``Store`` is all of them on one engine.
"""

from parity.store.batches import Batches
from parity.store.ingest import Ingestion
from parity.store.models import DEMO_PREFIX, KIND_TABLES, Base
from parity.store.people import People
from parity.store.reading import READ_PARTS, Reading, arrow_to_categoricals
from parity.store.records import BatchInfo, Failures, StoreVersion, Submission, UserRecord
from parity.store.rounds import Rounds


class Store(Ingestion, Batches, Rounds, People, Reading):
    """A parity database: one engine per process, created from a SQLAlchemy URL.

    Opening an empty database creates the store, recorded at the latest schema revision (see
    parity.store.migrations); a store at an older revision is refused (StoreNeedsUpgrade) until
    ``upgrade`` brings it up to date. ``as_is`` opens the database without creating or checking
    anything (for ``parity db status`` and ``parity db upgrade``)."""


__all__ = [
    "DEMO_PREFIX",
    "KIND_TABLES",
    "READ_PARTS",
    "Base",
    "BatchInfo",
    "Failures",
    "Store",
    "StoreVersion",
    "Submission",
    "UserRecord",
    "arrow_to_categoricals",
]
