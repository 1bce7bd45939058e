"""The audit names the instance that served each event.

Revision ID: 0006_audit_instance
Revises: 0005_sessions

- ``audit.instance``: the host name and process id of the server (or command) that wrote the
  record ("web-2:4121"), so that a deployment of several instances behind a load balancer can
  tell which one served a sign-in, an import or a download. Records written before: empty.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006_audit_instance"
down_revision: str | None = "0005_sessions"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("audit")}
    if "instance" not in columns:
        with op.batch_alter_table("audit") as table:
            table.add_column(
                sa.Column("instance", sa.String(120), nullable=False, server_default="")
            )


def downgrade() -> None:
    with op.batch_alter_table("audit") as table:
        table.drop_column("instance")
