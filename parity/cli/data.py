"""The data commands: ``parity import`` (a checked file stored as a batch, or submitted to a
round), ``parity batches`` (the batches stored, or one removed) and ``parity demo`` (the bundled
demo data, loaded once). Imports and removals go through parity.services, which then write the
dashboard's frames for the store as it now is; the demo writes them itself."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from parity.cli.common import Command, add_db, add_lang, open_store, operator_user, settings_for
from parity.errors import ParityError
from parity.settings import Settings

if TYPE_CHECKING:
    from parity.cli.common import Subcommands
    from parity.errors import MissingColumns
    from parity.store import BatchInfo, Store

DEMO_DIR = Path(__file__).resolve().parents[2] / "data" / "demo"
DEMO_FILES = (
    DEMO_DIR / "parity-demo-staff.csv.gz",
    DEMO_DIR / "parity-demo-flows.csv.gz",
    DEMO_DIR / "parity-demo-targets.csv",
)


def add_parsers(sub: Subcommands) -> None:
    """``demo``, ``import`` and ``batches``."""
    demo = sub.add_parser("demo", help="load the bundled demo data (once)")
    add_db(demo)

    imp = sub.add_parser("import", help="validate a staffing file and store it as a batch")
    imp.add_argument("file", type=Path)
    imp.add_argument("--round", type=int, metavar="N", help="submit the file to round N")
    imp.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="COLUMN=FIELD",
        help="read the file's COLUMN as FIELD (e.g. --map Niveau=grade); remembered for files "
        "with the same headers",
    )
    add_lang(imp)
    add_db(imp)

    batches = sub.add_parser("batches", help="list imported batches, or remove one")
    batches.add_argument("--remove", type=int, metavar="N")
    add_db(batches)


def _print_batch(prefix: str, info: BatchInfo) -> None:
    kind = "" if info.kind == "staff" else f" ({info.kind})"
    print(f"{prefix} batch {info.id}{kind}: {info.file_name}, {info.summary()}")


def _mapping(pairs_given: list[str]) -> dict[str, str] | None:
    """The columns of every --map COLUMN=FIELD, or None without any."""
    if not pairs_given:
        return None
    pairs = [m.split("=", 1) for m in pairs_given]
    if any(len(p) != 2 or not p[0].strip() or not p[1].strip() for p in pairs):
        raise ParityError("--map takes COLUMN=FIELD, e.g. --map Niveau=grade")
    return {column.strip(): field.strip() for column, field in pairs}


def _with_map_hint(error: MissingColumns) -> MissingColumns:
    """The same error, with a hint that --map names the file's columns (not counted as one more
    problem)."""
    from parity.errors import MissingColumns, Problem
    from parity.ingest.contract import KNOWN_COLUMNS, normalise_column_name

    spare = [c for c in error.found if normalise_column_name(c) not in KNOWN_COLUMNS]
    example = f"{spare[0] if spare else 'Niveau'}={error.missing[0]}"
    hint = f"say which of its columns is which with --map COLUMN=FIELD (e.g. --map '{example}')"
    return MissingColumns(
        error.file_name,
        [*error.problems, Problem(None, None, None, hint)],
        error.missing,
        error.found,
        total=error.total,  # the hint is not one more problem
    )


def cmd_import(args: argparse.Namespace) -> int:
    from parity.errors import MissingColumns
    from parity.ingest import parse_file

    store = open_store(args)
    if sys.stderr.isatty():
        print(f"reading and validating {args.file.name} ...", file=sys.stderr, flush=True)
    mapping = _mapping(args.map)
    try:
        parsed = parse_file(
            args.file,
            store.reference(),
            settings_for(args).limits,
            store.entity_names(),
            mapping=mapping,
            saved=store.saved_mapping,
        )
    except MissingColumns as error:
        raise _with_map_hint(error) from None
    from parity.services.imports import import_file

    imported = import_file(
        store,
        parsed,
        operator_user(),
        min_cell=settings_for(args).effective_min_cell,
        round_id=args.round,
        save_mapping=bool(mapping),
        progress=sys.stderr.isatty(),
    )
    for entity, messages in imported.flags.items():
        more = f": {len(messages)} to check" if messages else ""
        print(f"submitted {entity} to round {args.round}{more}")
        for message in messages:
            print(f"  check: {message}")
    _print_batch("imported", imported.batch)
    for note in parsed.notes:
        print(f"  note: {note}", flush=True)
    return 0


def _refresh_frames(store: Store) -> None:
    """Write the dashboard's frames and public publication for the store as it now is
    (parity.framecache), so that a server reads them from disk."""
    from parity import framecache

    if sys.stderr.isatty():
        print("preparing the dashboard's frames and public tables ...", file=sys.stderr,
              flush=True)  # fmt: skip
    framecache.refresh(store, Settings.from_env().effective_min_cell)


def cmd_demo(args: argparse.Namespace) -> int:
    from parity.ingest import parse_file, sha256_of
    from parity.services.imports import import_file

    store = open_store(args)
    min_cell = settings_for(args).effective_min_cell
    for path in DEMO_FILES:
        existing = store.find_batch_by_sha(sha256_of(path))
        if existing is not None:
            print(f"demo data {path.name} already loaded (batch {existing}); nothing to do")
            continue
        parsed = parse_file(path, store.reference())
        imported = import_file(
            store, parsed, operator_user(), min_cell=min_cell, progress=sys.stderr.isatty()
        )
        _print_batch("loaded demo data as", imported.batch)
    _refresh_frames(store)  # when everything was there already: the frames' files too
    return 0


def cmd_batches(args: argparse.Namespace) -> int:
    store = open_store(args)
    if args.remove is not None:
        from parity.services.imports import remove_batch

        info = remove_batch(
            store, operator_user(), args.remove, min_cell=settings_for(args).effective_min_cell
        )
        _print_batch("removed", info)
        return 0
    batches = store.batches()
    if not batches:
        print("no batches yet: 'parity import FILE' or 'parity demo'")
        return 0
    print(
        f"{'batch':>5}  {'kind':<7}  {'imported (UTC)':<16}  {'rows':>9}  {'counts':>9}  "
        f"{'entities':>8}  {'years':<9}  file"
    )
    for b in batches:
        print(
            f"{b.id:>5}  {b.kind:<7}  {b.imported_at:%Y-%m-%d %H:%M}  {b.source_rows:>9}  "
            f"{b.stored_rows:>9}  {b.entities:>8}  {b.years:<9}  {b.file_name}  "
            f"sha256:{b.sha256[:12]}"
        )
    return 0


COMMANDS: dict[str, Command] = {"demo": cmd_demo, "import": cmd_import, "batches": cmd_batches}
