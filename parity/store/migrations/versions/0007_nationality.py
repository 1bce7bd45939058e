"""Nationality, a dimension of staffing and flow counts.

Revision ID: 0007_nationality
Revises: 0006_audit_instance

- ``counts.nationality`` and ``flow_counts.nationality``: the country list's name of the
  nationality of the people counted (parity.geography), empty where the file did not give it
  (every row written before). Region and regional group are derived from it when the frame is
  read, as HQ/field is from the duty station.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007_nationality"
down_revision: str | None = "0006_audit_instance"
branch_labels: str | None = None
depends_on: str | None = None

TABLES = ("counts", "flow_counts")


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    for name in TABLES:
        if "nationality" not in {c["name"] for c in inspector.get_columns(name)}:
            with op.batch_alter_table(name) as table:
                table.add_column(sa.Column("nationality", sa.String(120), nullable=True))


def downgrade() -> None:
    for name in TABLES:
        with op.batch_alter_table(name) as table:
            table.drop_column("nationality")
