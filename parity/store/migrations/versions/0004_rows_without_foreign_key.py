"""Staffing and flow rows no longer carry a foreign key to their batch.

On PostgreSQL the key's check ran once per row written: half the time of importing a million
rows. The rows are written only in their batch's own transaction, after the batch, and
removed with it by Store.remove_batch (which deletes them first): the key guarded nothing
the code does not. SQLite never checked it (foreign keys are off by default); its tables are
rebuilt without it so that both databases have the models' schema.

Revision ID: 0004_rows_without_fk
Revises: 0003_rounds
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004_rows_without_fk"
down_revision: str | None = "0003_rounds"
branch_labels: str | None = None
depends_on: str | None = None

TABLES = {"counts": "ix_counts_batch_entity_year", "flow_counts": "ix_flows_batch_entity_year"}


def _cells(name: str, index: str, *own: sa.Column[object]) -> sa.Table:
    """counts or flow_counts as the models now define them (no foreign key on batch_id)."""
    return sa.Table(
        name,
        sa.MetaData(),
        *own,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("batch_id", sa.Integer, nullable=False),
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


def _definitions() -> dict[str, sa.Table]:
    return {
        "counts": _cells(
            "counts", TABLES["counts"], sa.Column("headcount", sa.Integer, nullable=False)
        ),
        "flow_counts": _cells(
            "flow_counts",
            TABLES["flow_counts"],
            sa.Column("event", sa.String(16), nullable=False),
            sa.Column("count", sa.Integer, nullable=False),
        ),
    }


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    definitions = _definitions()
    for name in TABLES:
        keys = [k for k in inspector.get_foreign_keys(name) if k["referred_table"] == "batches"]
        if not keys:
            continue
        if bind.dialect.name == "sqlite":  # SQLite cannot drop a constraint: a new table
            with op.batch_alter_table(name, copy_from=definitions[name], recreate="always"):
                pass
        else:
            for key in keys:
                op.drop_constraint(str(key["name"]), name, type_="foreignkey")


def downgrade() -> None:
    for name in TABLES:
        op.create_foreign_key(None, name, "batches", ["batch_id"], ["id"], ondelete="CASCADE")
