"""Sessions the server can end, and failed sign-ins counted where every instance sees them.

Revision ID: 0005_sessions
Revises: 0004_rows_without_fk

- ``users.session_version``: a number every session of the user carries; sign-out, a change
  of role, entities or password, and removal raise it, which ends every session made before.
- ``sign_in_failures``: one row per failed sign-in (when, the name tried, the client address,
  the device cookie's id if any), read to throttle guessing per account, per address and per
  device. Kept a day; successes are never recorded here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005_sessions"
down_revision: str | None = "0004_rows_without_fk"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    bind = op.get_bind()
    columns = {c["name"] for c in sa.inspect(bind).get_columns("users")}
    if "session_version" not in columns:
        with op.batch_alter_table("users") as table:
            table.add_column(
                sa.Column("session_version", sa.Integer, nullable=False, server_default="0")
            )
    if "sign_in_failures" not in sa.inspect(bind).get_table_names():
        op.create_table(
            "sign_in_failures",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("at", sa.DateTime, nullable=False, index=True),
            sa.Column("name", sa.String(120), nullable=False, index=True),
            sa.Column("address", sa.String(64), nullable=False),
            sa.Column("device", sa.String(64), nullable=False),
        )


def downgrade() -> None:
    op.drop_table("sign_in_failures")
    with op.batch_alter_table("users") as table:
        table.drop_column("session_version")
