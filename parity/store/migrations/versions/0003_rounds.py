"""Reporting rounds and their submissions: a round's figures are drafts until it is published.

Revision ID: 0003_rounds
Revises: 0002_users_audit
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003_rounds"
down_revision: str | None = "0002_users_audit"
branch_labels: str | None = None
depends_on: str | None = None


def tables() -> sa.MetaData:
    metadata = sa.MetaData()
    sa.Table("batches", metadata, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table(
        "rounds",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("due", sa.Date, nullable=False),
        sa.Column("entities", sa.String(8000), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.String(120), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True)),
        sa.Column("revision", sa.Integer, nullable=False),
        sqlite_autoincrement=True,
    )
    sa.Table(
        "submissions",
        metadata,
        sa.Column(
            "batch_id",
            sa.Integer,
            sa.ForeignKey("batches.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("entity", sa.String(120), primary_key=True),
        sa.Column("round_id", sa.Integer, sa.ForeignKey("rounds.id"), nullable=False, index=True),
        sa.Column("submitted_by", sa.String(120), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("flags", sa.String(8000), nullable=False),
    )
    return metadata


def upgrade() -> None:
    bind = op.get_bind()
    present = set(sa.inspect(bind).get_table_names())
    for table in tables().sorted_tables:
        if table.name != "batches" and table.name not in present:
            table.create(bind)


def downgrade() -> None:
    op.drop_table("submissions")
    op.drop_table("rounds")
