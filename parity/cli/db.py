"""``parity db``: the store's schema revision (``status``) and bringing an older store to the
latest revision with its data kept, or creating a new one (``upgrade``); the revisions
themselves live in parity.store.migrations."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from parity.cli.common import Command, Parser, add_db, settings_for

if TYPE_CHECKING:
    from parity.cli.common import Subcommands


def add_parsers(sub: Subcommands) -> None:
    """``db status`` and ``db upgrade``."""
    db = sub.add_parser("db", help="the store's schema revision; upgrading an older store")
    db_commands = db.add_subparsers(dest="db_command", required=True, parser_class=Parser)
    add_db(db_commands.add_parser("status", help="the store's revision and this parity's latest"))
    add_db(
        db_commands.add_parser(
            "upgrade", help="bring the store to the latest revision, its data kept (or create it)"
        )
    )
    add_db(db)


def cmd_db(args: argparse.Namespace) -> int:
    """``parity db status`` and ``parity db upgrade`` (see parity.store.migrations)."""
    import shlex

    from parity.store import Store

    store = Store(settings_for(args).database_url, as_is=True)
    url = store.display_url
    if args.db_command == "status":
        state = store.schema_state()
        print(f"store:   {url}")
        print(f"current: {state.describe()}")
        print(f"latest:  {state.head}")
        if not state.up_to_date and not state.empty:
            print(f"to upgrade it, run parity db upgrade --db {shlex.quote(url)}")
        return 0
    before = store.upgrade()
    head = before.head
    if before.empty:
        print(f"created the store {url} at schema revision {head}")
    elif before.up_to_date:
        print(f"the store {url} is at the latest schema revision, {head}: nothing to do")
    elif before.current is None:
        added = sorted(before.expected - before.tables)
        created = f"; created {', '.join(added)}" if added else ""
        print(f"upgraded the store {url} to schema revision {head} (it had none{created})")
    else:
        print(f"upgraded the store {url} from schema revision {before.current} to {head}")
    return 0


COMMANDS: dict[str, Command] = {"db": cmd_db}
