"""Users and the audit: local accounts with their roles and scopes, and who did what, when.

Revision ID: 0002_users_audit
Revises: 0001_baseline

Created only where missing, like the baseline's tables: stores made by the code that added
them, before revisions were recorded, already have them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002_users_audit"
down_revision: str | None = "0001_baseline"
branch_labels: str | None = None
depends_on: str | None = None


def tables() -> sa.MetaData:
    metadata = sa.MetaData()
    sa.Table(
        "users",
        metadata,
        sa.Column("name", sa.String(120), primary_key=True),
        sa.Column("password_hash", sa.String(200)),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("entities", sa.String(4000), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    sa.Table(
        "audit",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime, nullable=False, index=True),
        sa.Column("who", sa.String(120), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("detail", sa.String(2000), nullable=False),
    )
    return metadata


def upgrade() -> None:
    bind = op.get_bind()
    present = set(sa.inspect(bind).get_table_names())
    for table in tables().sorted_tables:
        if table.name not in present:
            table.create(bind)


def downgrade() -> None:
    op.drop_table("audit")
    op.drop_table("users")
