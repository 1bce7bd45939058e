"""``parity ranges``: each member state's desirable range of posts and its staff against it
(parity.ranges), from the organisation's member-state table and the store's staff by
nationality; or, with ``--by-status``, each status's states, staff and women's share. Exact
figures, for the organisation's HR (the public view does not show them: a state's status tells
how many of its nationals there are)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from parity.cli.common import Command, add_db, add_filters
from parity.errors import ParityError

if TYPE_CHECKING:
    import pandas as pd

    from parity.cli.common import Subcommands

from parity.member_states import PARAMETERS


def add_parsers(sub: Subcommands) -> None:
    ranges = sub.add_parser(
        "ranges", help="desirable ranges of posts by member state, and the staff against them"
    )
    ranges.add_argument(
        "--member-states", type=Path, required=True, metavar="FILE",
        help="the member-state table (data/reference/member_states_template.csv's columns)",
    )  # fmt: skip
    ranges.add_argument("--parameters", choices=PARAMETERS, default="un-secretariat")
    ranges.add_argument("--base", type=float, help="the base figure of posts (default: the set's)")
    ranges.add_argument("--year", type=int)
    ranges.add_argument(
        "--by-status", action="store_true", help="one row per status: states, staff, women"
    )
    add_filters(ranges)
    add_db(ranges)


def staff_by_nationality(args: argparse.Namespace) -> pd.DataFrame:
    """Women and men of the selection's year (the latest by default) by their nationality's
    ISO code: the staff of --where and --scope (say, the posts subject to geographical
    distribution)."""
    from parity.analysis import resolve_year
    from parity.cli.reports import _frame_and_filters
    from parity.member_states import staff_by_member_state

    frame, filters = _frame_and_filters(args, args.year)
    return staff_by_member_state(frame[resolve_year(frame, filters).mask(frame)])


def cmd_ranges(args: argparse.Namespace) -> int:
    from parity.member_states import parameters, read_member_states
    from parity.output import render
    from parity.ranges import by_status, desirable_ranges, representation

    params = parameters(args.parameters, args.base)

    try:
        ranges = desirable_ranges(read_member_states(args.member_states), params)
        represented = representation(ranges, staff_by_nationality(args))
    except ValueError as error:
        raise ParityError(f"{args.member_states}: {error}") from None
    table = by_status(represented) if args.by_status else represented
    title = f"Desirable ranges ({args.parameters}, base {params.base:g} posts)"
    sys.stdout.write(render(table, args.format, title if args.format == "table" else None))
    return 0


COMMANDS: dict[str, Command] = {"ranges": cmd_ranges}
