"""Baseline: the schema of the stores made before revisions were recorded.

Revision ID: 0001_baseline
Revises: (none)

The tables as the models defined them when revisions began: batches, batch_scope, counts,
flow_counts, targets, column_mappings, grades, duty_stations. A store of that time has some or
all of them: flow_counts and targets came after the first stores, column_mappings later still.
So this revision creates each table (with its indexes) that a store lacks and leaves the others
as they are, after checking they have the columns expected; on SQLite it also gives ``batches``
the AUTOINCREMENT the earliest stores lacked (a removed batch's number is never given again).
A store that has it all is only recorded at this revision.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from parity.errors import ParityError

revision: str = "0001_baseline"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def _batch() -> sa.ForeignKey:
    """A reference to a batch: its rows go with it."""
    return sa.ForeignKey("batches.id", ondelete="CASCADE")


def _batches(metadata: sa.MetaData, name: str = "batches") -> sa.Table:
    """The batches table (named ``name``, indexed when it is ``batches``)."""
    return sa.Table(
        name,
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False, index=name == "batches"),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source_rows", sa.Integer, nullable=False),
        sa.Column("stored_rows", sa.Integer, nullable=False),
        sqlite_autoincrement=True,
    )


def _cells(metadata: sa.MetaData, name: str, index: str, *own: sa.Column[object]) -> None:
    """counts or flow_counts: their own columns, then those they share (the order of the
    models, whose mixin puts them last), and their index."""
    sa.Table(
        name,
        metadata,
        *own,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("batch_id", sa.Integer, _batch(), nullable=False),
        sa.Column("year", sa.SmallInteger, nullable=False),
        sa.Column("entity", sa.String(120), nullable=False),
        sa.Column("grade", sa.String(32), nullable=False),
        sa.Column("gender", sa.String(1), nullable=False),
        sa.Column("duty_station", sa.String(120)),
        sa.Column("country", sa.String(120)),
        sa.Column("category", sa.String(60)),
        sa.Column("age_band", sa.String(40)),
        sa.Column("contract_type", sa.String(60)),
        sa.Column("personnel_type", sa.String(40)),
        sa.Index(index, "batch_id", "entity", "year"),
    )


def baseline() -> sa.MetaData:
    """The tables of the baseline, in the order they are created."""
    metadata = sa.MetaData()
    _batches(metadata)
    sa.Table(
        "batch_scope",
        metadata,
        sa.Column("batch_id", sa.Integer, _batch(), primary_key=True),
        sa.Column("entity", sa.String(120), primary_key=True),
        sa.Column("year", sa.SmallInteger, primary_key=True),
    )
    _cells(
        metadata,
        "counts",
        "ix_counts_batch_entity_year",
        sa.Column("headcount", sa.Integer, nullable=False),
    )
    _cells(
        metadata,
        "flow_counts",
        "ix_flows_batch_entity_year",
        sa.Column("event", sa.String(16), nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
    )
    sa.Table(
        "targets",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "batch_id",
            sa.Integer,
            _batch(),
            nullable=False,
            index=True,
        ),
        sa.Column("entity", sa.String(120), nullable=False),
        sa.Column("grade", sa.String(32), nullable=False),
        sa.Column("year", sa.SmallInteger, nullable=False),
        sa.Column("target_share", sa.Float, nullable=False),
        sa.Column("margin", sa.Float, nullable=False),
    )
    sa.Table(
        "column_mappings",
        metadata,
        sa.Column("signature", sa.String(2000), primary_key=True),
        sa.Column("mapping", sa.String(4000), nullable=False),
        sa.Column("saved_at", sa.DateTime, nullable=False),
    )
    sa.Table(
        "grades",
        metadata,
        sa.Column("grade", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("ceb_code", sa.String(32), nullable=False),
        sa.Column("ceb_group", sa.String(60), nullable=False),
        sa.Column("group_rank", sa.Integer, nullable=False),
        sa.Column("category", sa.String(60), nullable=False),
        sa.Column("rank", sa.Integer, nullable=False),
    )
    sa.Table(
        "duty_stations",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("duty_station", sa.String(120), nullable=False, index=True),
        sa.Column("country", sa.String(120), nullable=False),
        sa.Column("region", sa.String(60), nullable=False),
        sa.Column("subregion", sa.String(60), nullable=False),
        sa.Column("latitude", sa.Float),
        sa.Column("longitude", sa.Float),
        sa.Column("is_hq", sa.Boolean, nullable=False),
        sa.Column("main", sa.Boolean, nullable=False),
    )
    return metadata


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    present = set(inspector.get_table_names())
    for table in baseline().sorted_tables:
        if table.name not in present:
            table.create(bind)
            continue
        have = {c["name"] for c in inspector.get_columns(table.name)}
        missing = [c.name for c in table.columns if c.name not in have]
        if missing:
            raise ParityError(
                f"the table {table.name} lacks the columns {', '.join(missing)}: "
                "not a parity store, or a damaged one; nothing was changed"
            )
        indexes = {i["name"] for i in inspector.get_indexes(table.name)}
        for index in table.indexes:
            if index.name not in indexes:
                index.create(bind)
    if bind.dialect.name == "sqlite":
        _autoincrement_batches(bind)


def _autoincrement_batches(bind: sa.Connection) -> None:
    """SQLite: rebuild ``batches`` with AUTOINCREMENT if the store was made without it (the
    rows, numbers included, are kept; the rows that refer to them are not touched)."""
    sql = bind.execute(
        sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'batches'")
    ).scalar_one()
    if "AUTOINCREMENT" in sql.upper():
        return
    if bind.execute(sa.text("PRAGMA foreign_keys")).scalar():
        # dropping the old table would delete every row that refers to it
        raise ParityError("cannot rebuild the batches table with foreign keys enforced")
    rebuilt = _batches(sa.MetaData(), "batches_rebuilt")
    rebuilt.create(bind)
    columns = ", ".join(c.name for c in rebuilt.columns)
    bind.execute(sa.text(f"INSERT INTO batches_rebuilt ({columns}) SELECT {columns} FROM batches"))
    op.drop_table("batches")  # its index goes with it
    op.rename_table("batches_rebuilt", "batches")
    op.create_index("ix_batches_sha256", "batches", ["sha256"])


def downgrade() -> None:
    raise NotImplementedError("the baseline is the first revision: there is nothing before it")
