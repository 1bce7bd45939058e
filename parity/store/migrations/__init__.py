"""Versions of the store's schema, kept with Alembic.

The revisions are in ``versions/``; ``env.py`` runs them on a connection the caller hands over
(no alembic.ini is needed at run time). The store records the revision it is at in the
``alembic_version`` table.

- A new, empty store is created from the models of ``parity.store`` and recorded at the
  latest revision (``Store.__init__``).
- A store at an older revision, or one created before revisions were recorded (no
  ``alembic_version`` table), is refused by every command until ``parity db upgrade`` brings it
  up to date; ``parity db status`` says where a store is.
- Stores created before revisions were recorded hold the tables of the code that made them:
  the earliest lack ``flow_counts`` and ``targets``, later ones ``column_mappings``. The first
  revisions therefore create only the tables a store lacks (and check the columns of those it
  has), so every such store reaches the latest revision with its data untouched; one that
  already has every table is simply recorded ("stamped") at them.

A change to the models needs a new revision: make one with the ``alembic`` command and the
repository's ``alembic.ini``, on a store at the latest revision, e.g.
``alembic -x db=sqlite:///x.db revision --autogenerate --rev-id 0003_name -m "what changes"``
(``-x db`` defaults to PARITY_DATABASE_URL), then read and edit it. tests/test_migrations.py
checks that upgrading any earlier store gives the schema of the models.
"""

from __future__ import annotations

import ast
import shlex
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from parity.errors import ParityError

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Connection

MIGRATIONS_DIR = Path(__file__).resolve().parent
VERSIONS_DIR = MIGRATIONS_DIR / "versions"
VERSION_TABLE = "alembic_version"


class StoreNeedsUpgrade(ParityError):
    """A store whose schema is older than this parity's."""


@cache
def head() -> str:
    """The latest revision, read from the revision files without importing Alembic (which
    takes longer than opening the store); tests/test_migrations.py checks it against
    Alembic's own answer."""
    parents: dict[str, str | None] = {}
    for path in sorted(VERSIONS_DIR.glob("*.py")):
        if path.name.startswith("_"):
            continue
        found: dict[str, str | None] = {}
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            value: ast.expr | None
            if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
                name, value = node.targets[0].id, node.value
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                name, value = node.target.id, node.value
            else:
                continue
            if name in ("revision", "down_revision") and value is not None:
                found[name] = ast.literal_eval(value)
        parents[str(found["revision"])] = found.get("down_revision")
    heads = sorted(set(parents) - set(parents.values()))
    if len(heads) != 1:
        raise RuntimeError(f"parity's migrations must have one head, not {heads}")
    return heads[0]


@dataclass(frozen=True)
class SchemaState:
    """Where a store's schema is: the revision it records, and the tables it has."""

    current: str | None  # None: no revision recorded
    tables: frozenset[str]  # the store's tables (of its schema, on PostgreSQL)
    expected: frozenset[str]  # the tables of the models

    @property
    def head(self) -> str:
        return head()

    @property
    def empty(self) -> bool:
        """No table of parity's and no revision: a new store."""
        return self.current is None and not (self.tables & self.expected)

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head

    def describe(self) -> str:
        """The current revision, in words."""
        if self.empty:
            return "none (an empty database: any command creates the store, at the latest)"
        if self.current is None:
            missing = sorted(self.expected - self.tables)
            lacks = f"; it lacks {', '.join(missing)}" if missing else ""
            return f"none (a store created before revisions were recorded{lacks})"
        if not known(self.current):
            return f"{self.current} (unknown to this parity: a newer one upgraded the store)"
        return self.current

    def refusal(self, display_url: str) -> ParityError:
        """The one-line refusal of a store that is not at the latest revision."""
        if self.current is not None and not known(self.current):
            return unknown_revision(self.current, display_url)
        command = f"parity db upgrade --db {shlex.quote(display_url)}"
        if self.current is None:
            why = "was created before its schema had revisions"
        else:
            why = f"is at schema revision {self.current} and this parity needs {self.head}"
        return StoreNeedsUpgrade(f"the store {display_url} {why}: to upgrade it, run {command}")


def read_state(conn: Connection, expected: frozenset[str]) -> SchemaState:
    """The state of the store on ``conn`` (read only)."""
    from sqlalchemy import inspect, text

    tables = frozenset(inspect(conn).get_table_names())
    current = None
    if VERSION_TABLE in tables:
        current = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
    return SchemaState(current=current, tables=tables - {VERSION_TABLE}, expected=expected)


def config(connection: Connection | None = None) -> Config:
    """Alembic's configuration, made in code: this package's scripts, and the connection
    ``env.py`` runs them on."""
    from alembic.config import Config

    result = Config()
    result.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        result.attributes["connection"] = connection
    return result


def known(revision: str) -> bool:
    """Whether ``revision`` is one of this parity's."""
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    try:
        return ScriptDirectory.from_config(config()).get_revision(revision) is not None
    except CommandError:
        return False


def unknown_revision(revision: str, display_url: str) -> ParityError:
    return ParityError(
        f"the store {display_url} is at schema revision {revision}, which this parity does not "
        f"know (its latest is {head()}): a newer parity upgraded it; use that one"
    )


def upgrade(conn: Connection, display_url: str) -> None:
    """Bring the store on ``conn`` to the latest revision inside the caller's transaction
    (which holds the store's write lock): all of it is done, or none."""
    from alembic import command

    current = read_state(conn, frozenset()).current
    if current is not None and not known(current):
        raise unknown_revision(current, display_url)
    command.upgrade(config(conn), "head")


def stamp_head(conn: Connection) -> None:
    """Record the latest revision in a store just created from the models."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(config())
    MigrationContext.configure(conn).stamp(script, "head")
