"""``parity serve``: the dashboard served by gunicorn (or, with ``--debug``, by Flask's
development server on the loopback); the serving itself is parity.web.serve."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from parity.cli.common import Command, add_db, settings_for

if TYPE_CHECKING:
    from parity.cli.common import Subcommands


def add_parsers(sub: Subcommands) -> None:
    """``serve``."""
    serve = sub.add_parser("serve", help="serve the dashboard")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8050)
    serve.add_argument(
        "--workers",
        type=int,
        default=2,
        metavar="N",
        help="gunicorn worker processes, 4 threads each (default 2)",
    )
    serve.add_argument(
        "--debug",
        action="store_true",
        help="Flask's development server with Dash debug mode instead (loopback only)",
    )
    add_db(serve)


def cmd_serve(args: argparse.Namespace) -> int:
    from parity.web.serve import serve

    return serve(settings_for(args), args.host, args.port, args.workers, debug=args.debug)


COMMANDS: dict[str, Command] = {"serve": cmd_serve}
