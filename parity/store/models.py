"""The store's tables (SQLAlchemy models) and its constants."""

from __future__ import annotations

from datetime import date, datetime

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
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from parity.ingest.contract import FLOW_COLUMNS, STORED_COLUMNS, TARGET_COLUMNS

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
    # the country list's name of the people's nationality (parity.geography): a dimension of
    # counts, never a column of a person
    nationality: Mapped[str | None] = mapped_column(String(120))


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
    # which server or command wrote it: host name and process ("web-2:4121")
    instance: Mapped[str] = mapped_column(String(120), default="", server_default="")


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
