"""People from the command line: ``parity users`` (local accounts and their roles: add, list,
remove, set-role, each change through parity.services.users as the operator) and ``parity
audit`` (who signed in, imported, removed or downloaded what, and when)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from parity.auth import ROLES
from parity.cli.common import Command, add_db, open_store, operator_user
from parity.errors import ParityError
from parity.output import render

if TYPE_CHECKING:
    from parity.cli.common import Subcommands


def add_parsers(sub: Subcommands) -> None:
    """``users`` and ``audit``."""
    users = sub.add_parser("users", help="local accounts and roles: add, list, remove, set-role")
    users.add_argument("action", choices=("add", "list", "remove", "set-role"))
    users.add_argument("name", nargs="?")
    users.add_argument("--role", choices=ROLES)
    users.add_argument(
        "--entity", action="append", default=[], help="an entity of the user's scope (repeat)"
    )
    users.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input (else asked for, hidden, on a terminal); "
        "accounts without one sign in through the identity provider",
    )
    add_db(users)

    audit = sub.add_parser("audit", help="who signed in, imported, removed, downloaded, when")
    audit.add_argument("--limit", type=int, default=50)
    add_db(audit)


def cmd_users(args: argparse.Namespace) -> int:
    from parity.auth import check_role, hash_password

    store = open_store(args)
    import pandas as pd

    if args.action == "list":
        rows = [
            {"name": n, "role": r, "entities": ", ".join(e), "password": "yes" if p else "no"}
            for n, r, e, p in store.users()
        ]
        sys.stdout.write(
            render(
                pd.DataFrame(rows, columns=["name", "role", "entities", "password"]),
                "table",
                "Users",
            )
        )
        return 0
    if not args.name:
        raise ParityError(f"users {args.action} needs a user name")
    from parity.services import users

    if args.action == "remove":
        users.remove_user(store, operator_user(), args.name)
        print(f"removed user {args.name}")
        return 0
    existing = store.user(args.name)
    if args.action == "add" and existing is not None:
        raise ParityError(f"user {args.name!r} exists; use users set-role")
    if args.action == "set-role" and existing is None:
        raise ParityError(f"no user {args.name!r}; use users add")
    role = args.role or (existing.role if existing else None)
    if role is None:
        raise ParityError("--role is needed: " + ", ".join(ROLES))
    entities = tuple(args.entity) or (existing.entities if existing else ())
    check_role(role, entities)
    password_hash = None
    if args.action == "add" or args.password_stdin:
        password = _read_password(args.password_stdin)
        password_hash = hash_password(password, args.name) if password else None
    users.put_user(store, operator_user(), args.name, role, entities, password_hash)
    scope = f" for {', '.join(entities)}" if entities else ""
    print(f"{'added' if args.action == 'add' else 'changed'} user {args.name}: {role}{scope}")
    return 0


def _read_password(from_stdin: bool) -> str:
    """A password from standard input, or asked for twice, hidden, on a terminal; empty for an
    account that signs in through the identity provider only."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    if not sys.stdin.isatty():
        return ""
    import getpass

    first = getpass.getpass("password (empty: sign in through the identity provider only): ")
    if first and getpass.getpass("again: ") != first:
        raise ParityError("the two passwords differ; nothing was changed")
    return first


def cmd_audit(args: argparse.Namespace) -> int:
    import pandas as pd

    from parity.audit import printable

    store = open_store(args)
    rows = [  # each record on one line, its control characters escaped (parity.audit)
        {
            "when (UTC)": f"{at:%Y-%m-%d %H:%M:%S}",
            "who": printable(who),
            "action": printable(action),
            "detail": printable(detail),
            "instance": printable(instance),
        }
        for at, who, action, detail, instance in store.audit_log(args.limit)
    ]
    table = pd.DataFrame(rows, columns=["when (UTC)", "who", "action", "detail", "instance"])
    sys.stdout.write(render(table, "table", "Audit, newest first"))
    return 0


COMMANDS: dict[str, Command] = {"users": cmd_users, "audit": cmd_audit}
