"""``parity rounds``: reporting rounds from the command line. ``open`` a round for a set of
entities, ``list`` the rounds, show a round's ``status`` (who has submitted, who is late),
``confirm`` an entity's submission, and ``publish`` or ``unpublish`` a round; every change goes
through parity.services.rounds as the operator."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from parity.cli.common import Command, add_db, open_store, operator_user, settings_for
from parity.errors import ParityError
from parity.output import render

if TYPE_CHECKING:
    from parity.cli.common import Subcommands
    from parity.store import Store


def add_parsers(sub: Subcommands) -> None:
    """``rounds ACTION [TARGET] [ENTITY]``."""
    rounds = sub.add_parser(
        "rounds", help="reporting rounds: open, list, status, confirm, publish, unpublish"
    )
    rounds.add_argument(
        "action", choices=("open", "list", "status", "confirm", "publish", "unpublish")
    )
    rounds.add_argument("target", nargs="?", help="the round's name (open) or number")
    rounds.add_argument("entity_name", nargs="?", help="the entity (confirm)")
    rounds.add_argument("--as-of", help="the date the figures describe (open), YYYY-MM-DD")
    rounds.add_argument("--due", help="the date submissions are due (open), YYYY-MM-DD")
    rounds.add_argument("--entity", action="append", default=[], help="a participating entity")
    rounds.add_argument("--missing-csv", type=Path, help="status: write the entities missing")
    rounds.add_argument(
        "--force",
        action="store_true",
        help="publish: even with flagged figures not confirmed or entities that submitted nothing",
    )
    add_db(rounds)


def _list_rounds(store: Store) -> int:
    import pandas as pd

    rows = [
        {
            "round": r["id"], "name": r["name"], "as of": f"{r['as_of']}", "due": f"{r['due']}",
            "entities": len(r["entities"]),
            "published": f"{r['published_at']:%Y-%m-%d %H:%M}" if r["published_at"] else "no",
        }
        for r in store.rounds()
    ]  # fmt: skip
    columns = ["round", "name", "as of", "due", "entities", "published"]
    sys.stdout.write(render(pd.DataFrame(rows, columns=columns), "table", "Rounds"))
    return 0


def _open_round(store: Store, args: argparse.Namespace) -> int:
    from parity.services import rounds

    if not args.as_of or not args.due:
        raise ParityError("rounds open needs --as-of and --due (YYYY-MM-DD)")
    try:
        as_of, due = date.fromisoformat(args.as_of), date.fromisoformat(args.due)
    except ValueError:
        raise ParityError("--as-of and --due are dates: YYYY-MM-DD") from None
    entities = args.entity or store.entity_names()
    if not entities:
        raise ParityError("no entity to take part: name them with --entity")
    number = rounds.open_round(store, operator_user(), args.target, as_of, due, entities)
    print(
        f"opened round {number}: {args.target}, as of {as_of}, due {due}, "
        f"{_entities(len(entities))}"
    )
    return 0


def _entities(n: int) -> str:
    return f"{n:,} entity" if n == 1 else f"{n:,} entities"


def _round_status(store: Store, round_id: int, missing_csv: Path | None) -> int:
    """The round's board on stdout; with ``missing_csv``, the entities missing written there."""
    from parity.rounds.board import round_board

    board = round_board(store, round_id)
    shown = board.drop(columns=["to check"])
    sys.stdout.write(render(shown, "table", f"Round {round_id}"))
    if missing_csv is not None:
        missing = board[board["status"].isin(["not started", "late"])][["entity", "status"]]
        missing.to_csv(missing_csv, index=False)
        print(f"wrote {missing_csv}: {_entities(len(missing))} missing")
    return 0


def cmd_rounds(args: argparse.Namespace) -> int:
    from parity.services import rounds

    store = open_store(args)
    if args.action == "list":
        return _list_rounds(store)
    if not args.target:
        raise ParityError(
            f"rounds {args.action} needs a round "
            f"({'a name' if args.action == 'open' else 'its number'})"
        )
    if args.action == "open":
        return _open_round(store, args)
    try:
        round_id = int(args.target)
    except ValueError:
        raise ParityError(f"a round's number, not {args.target!r}") from None
    if args.action == "status":
        return _round_status(store, round_id, args.missing_csv)
    if args.action == "confirm":
        if not args.entity_name:
            raise ParityError("rounds confirm N ENTITY")
        rounds.confirm(store, operator_user(), round_id, args.entity_name)
        print(f"confirmed {args.entity_name}'s submission to round {round_id}")
        return 0
    if sys.stderr.isatty():
        print("preparing the dashboard's frames and public tables ...", file=sys.stderr)
    try:
        rounds.set_published(
            store,
            operator_user(),
            round_id,
            args.action == "publish",
            min_cell=settings_for(args).effective_min_cell,
            force=args.force,
        )
    except rounds.Unready as unready:
        raise ParityError(f"{unready} (--force publishes it anyway)") from None
    print(f"{args.action}ed round {round_id}")
    return 0


COMMANDS: dict[str, Command] = {"rounds": cmd_rounds}
