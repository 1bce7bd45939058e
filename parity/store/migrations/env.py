"""Alembic's environment: runs the revisions on the connection parity hands over (see
parity.store.migrations.upgrade), inside that connection's transaction.

Run by the ``alembic`` command (a developer making a revision with the repository's
alembic.ini), it connects to ``-x db=URL``, or else to PARITY_DATABASE_URL.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection

from parity.store.models import Base


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite alters a table by copying it: revisions that alter one use batch_alter_table
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():  # a no-op inside parity's own transaction
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("parity's revisions look at the store as they run: no offline (--sql) mode")
given = context.config.attributes.get("connection")
if given is not None:
    run(given)
else:
    from parity.settings import Settings

    url = context.get_x_argument(as_dictionary=True).get("db") or Settings.from_env().database_url
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            run(connection)
    finally:
        engine.dispose()
