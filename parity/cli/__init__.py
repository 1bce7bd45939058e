"""The ``parity`` command line: ``main`` and the parser assembled from its command groups.

Each group declares its sub-commands and their handlers in its own module: data (import,
batches, demo), reports (report, project, brief, plan, consistency), rounds, users (users,
audit), db and serve; common holds what they share. Errors are one clear message on stderr and
exit status 2."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from parity import i18n
from parity.cli import data, db, geography, reports, rounds, serve, users
from parity.cli.common import EXIT_USER_ERROR, Command, Parser, add_db
from parity.errors import ParityError

GROUPS = (data, reports, geography, rounds, users, db, serve)  # in the order of `parity --help`
COMMANDS: dict[str, Command] = {
    name: command for group in GROUPS for name, command in group.COMMANDS.items()
}


def build_parser() -> argparse.ArgumentParser:
    """``parity [--db URL] COMMAND ...``, each group adding its sub-commands."""
    parser = Parser(prog="parity", description="Gender parity analytics.")
    add_db(parser)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    for group in GROUPS:
        group.add_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        with i18n.using(getattr(args, "lang", None)):
            return COMMANDS[args.command](args)
    except ParityError as error:
        print(f"parity: {error}" if "\n" not in str(error) else str(error), file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print(
            "parity: interrupted; nothing half-written (each batch is one transaction)",
            file=sys.stderr,
        )
        return 130
    except Exception as error:  # the last line of defence: never a traceback for a user
        if os.environ.get("PARITY_DEBUG"):
            raise
        print(
            f"parity: unexpected error ({type(error).__name__}: {error}); "
            "set PARITY_DEBUG=1 for details",
            file=sys.stderr,
        )
        return 1
