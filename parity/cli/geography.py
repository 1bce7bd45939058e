"""``parity ranges``: each member state's desirable range of posts and its staff against it
(parity.ranges), from the organisation's member-state table and the store's staff by
nationality; or, with ``--by-status``, each status's states, staff and women's share. Exact
figures, for the organisation's HR (the public view does not show them: a state's status tells
how many of its nationals there are)."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from parity.cli.common import Command, add_db, add_filters
from parity.errors import ParityError

if TYPE_CHECKING:
    import pandas as pd

    from parity.cli.common import Subcommands

PARAMETERS = ("un-secretariat", "unesco")


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


def read_member_states(path: Path) -> pd.DataFrame:
    """The member-state table of ``path``: refused naming the file, row and column of the first
    problems (an unknown country, a member flag that is not true or false, a share or a
    population that is not a number)."""
    import pandas as pd

    from parity.geography import closest, resolve

    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError) as error:
        raise ParityError(f"{path}: cannot be read ({error})") from None
    missing = [c for c in ("country", "iso3", "member", "contribution_share", "population")
               if c not in raw.columns]  # fmt: skip
    if missing:
        raise ParityError(f"{path}: missing column(s) {', '.join(missing)}")
    problems, rows = [], []
    for i, row in enumerate(raw.to_dict("records"), start=2):
        found = resolve(row["iso3"]) or resolve(row["country"])
        member = row["member"].strip().lower()
        if found is None:
            near = closest(row["country"])
            hint = f" (did you mean {' or '.join(near)}?)" if near else ""
            problems.append(f"row {i}, column 'country': {row['country']!r} is unknown{hint}")
        if member not in ("true", "false", "1", "0", "yes", "no"):
            problems.append(f"row {i}, column 'member': {row['member']!r} is not true or false")
        numbers = {}
        for column in ("contribution_share", "population"):
            text = row[column].strip().replace(",", "")
            try:
                numbers[column] = float(text[:-1]) / 100 if text.endswith("%") else float(text)
            except ValueError:
                problems.append(f"row {i}, column '{column}': {row[column]!r} is not a number")
        if found is not None and len(numbers) == 2:
            rows.append({"country": found.name, "iso3": found.iso3,
                         "member": member in ("true", "1", "yes"), **numbers})  # fmt: skip
    if problems:
        shown = "\n".join(f"{path}: {p}" for p in problems[:10])
        raise ParityError(f"{path}: refused, {len(problems)} problem(s):\n{shown}")
    return pd.DataFrame(rows)


def staff_by_nationality(args: argparse.Namespace) -> pd.DataFrame:
    """Women and men of the selection's year (the latest by default) by their nationality's
    ISO code: the staff of --where and --scope (say, the posts subject to geographical
    distribution)."""
    import pandas as pd

    from parity.analysis import resolve_year
    from parity.cli.reports import _frame_and_filters
    from parity.geography import resolve

    frame, filters = _frame_and_filters(args, args.year)
    filters = resolve_year(frame, filters)
    rows = frame[filters.mask(frame)]
    counted = (
        rows[rows["gender"].isin(["F", "M"])]
        .groupby(["nationality", "gender"], observed=True)["headcount"]
        .sum()
        .unstack("gender", fill_value=0)
    )
    out = []
    for name, counts in counted.iterrows():
        found = resolve(str(name))
        if found is not None:
            out.append({"iso3": found.iso3, "women": int(counts.get("F", 0)),
                        "men": int(counts.get("M", 0))})  # fmt: skip
    return pd.DataFrame(out, columns=["iso3", "women", "men"])


def cmd_ranges(args: argparse.Namespace) -> int:
    from parity.output import render
    from parity.ranges import UN_SECRETARIAT, UNESCO, by_status, desirable_ranges, representation

    params = UN_SECRETARIAT if args.parameters == "un-secretariat" else UNESCO
    if args.base is not None:
        params = replace(params, base=args.base)
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
