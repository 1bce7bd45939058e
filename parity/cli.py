"""The ``parity`` command line. Errors are one clear message on stderr and exit status 2."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from parity import i18n
from parity.auth import ROLES, User
from parity.errors import ParityError
from parity.output import FORMATS, render
from parity.projections import DEFAULT_WINDOW, METHODS
from parity.settings import Settings

if TYPE_CHECKING:
    import pandas as pd

    from parity.filters import FilterState
    from parity.store import BatchInfo, Store

EXIT_USER_ERROR = 2
DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"
DEMO_FILES = (
    DEMO_DIR / "parity-demo-staff.csv.gz",
    DEMO_DIR / "parity-demo-flows.csv.gz",
    DEMO_DIR / "parity-demo-targets.csv",
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # one line, like every other error; the usage is one --help away
        print(f"{self.prog}: {message} (see '{self.prog} --help')", file=sys.stderr)
        raise SystemExit(EXIT_USER_ERROR)


def _add_lang(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang",
        choices=sorted(i18n.LANGUAGES),
        default=i18n.DEFAULT,
        help="the language of the file and of the messages: en (default) or fr",
    )


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="SQLAlchemy database URL (default: $PARITY_DATABASE_URL or data/parity.db)",
    )


def _add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--where",
        action="append",
        default=[],
        metavar="DIM=VALUE",
        help="keep rows where DIM is VALUE (repeat; the same DIM twice keeps both values)",
    )
    parser.add_argument("--format", choices=FORMATS, default="table")


def _share(text: str) -> float:
    """'45%', '45' and '0.45' all mean 45%."""
    from parity.schema import _parse_share

    value = _parse_share(text)
    if value is None:
        raise argparse.ArgumentTypeError(f"not a share between 0 and 100%: {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="parity", description="Gender parity analytics.")
    _add_db(parser)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    demo = sub.add_parser("demo", help="load the bundled demo data (once)")
    _add_db(demo)

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
    _add_lang(imp)
    _add_db(imp)

    batches = sub.add_parser("batches", help="list imported batches, or remove one")
    batches.add_argument("--remove", type=int, metavar="N")
    _add_db(batches)

    report = sub.add_parser("report", help="parity metrics by one or more dimensions")
    report.add_argument("--by", action="append", default=[], metavar="DIM[,DIM...]")
    report.add_argument("--year", type=int)
    _add_filters(report)
    _add_db(report)

    proj = sub.add_parser("project", help="projected year of parity by group")
    proj.add_argument("--by", action="append", default=[], metavar="DIM[,DIM...]")
    proj.add_argument("--window", type=int, default=DEFAULT_WINDOW)
    proj.add_argument("--method", choices=METHODS, default="increment")
    _add_filters(proj)
    _add_db(proj)

    brief = sub.add_parser("brief", help="the current view as a PDF, slide deck or workbook")
    brief.add_argument("--year", type=int)
    brief.add_argument("--where", action="append", default=[], metavar="DIM=VALUE")
    brief.add_argument("--format", choices=("pdf", "pptx", "xlsx"), required=True)
    brief.add_argument("--output", type=Path, required=True, metavar="FILE")
    brief.add_argument("--title", help="the briefing's title")
    brief.add_argument("--window", type=int, default=DEFAULT_WINDOW)
    brief.add_argument("--method", choices=METHODS, default="increment")
    brief.add_argument(
        "--min-cell",
        type=int,
        metavar="N",
        help="hide groups under N people (default: PARITY_MIN_CELL in public mode)",
    )
    _add_lang(brief)
    _add_db(brief)

    plan = sub.add_parser("plan", help="the hiring it takes to reach parity by a target year")
    plan.add_argument("--by", action="append", default=[], metavar="DIM[,DIM...]")
    plan.add_argument("--target-year", type=int, default=2028)
    plan.add_argument(
        "--hire-share",
        type=_share,
        metavar="S",
        help="women's share among appointments to test (0.45 or 45%%); "
        "default: each grade's recent share",
    )
    plan.add_argument(
        "--window",
        type=int,
        default=5,
        help="years of flows the rates are averaged over (default 5)",
    )
    plan.add_argument("--runs", type=int, default=1000, help="Monte Carlo runs (default 1000)")
    plan.add_argument(
        "--turnover",
        type=float,
        default=1.0,
        help="scale separation and promotion rates (default 1: recent rates)",
    )
    plan.add_argument(
        "--growth",
        type=_share,
        default=0.0,
        metavar="G",
        help="headcount growth a year (e.g. 2%%; default 0)",
    )
    plan.add_argument("--seed", type=int, default=2028)
    _add_filters(plan)
    _add_db(plan)

    check = sub.add_parser(
        "consistency", help="where recorded stocks and flows disagree, and by how much"
    )
    check.add_argument("--where", action="append", default=[], metavar="DIM=VALUE")
    check.add_argument("--format", choices=FORMATS, default="table")
    _add_db(check)

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
    _add_db(rounds)

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
    _add_db(users)

    audit = sub.add_parser("audit", help="who signed in, imported, removed, downloaded, when")
    audit.add_argument("--limit", type=int, default=50)
    _add_db(audit)

    db = sub.add_parser("db", help="the store's schema revision; upgrading an older store")
    db_commands = db.add_subparsers(dest="db_command", required=True, parser_class=_Parser)
    _add_db(db_commands.add_parser("status", help="the store's revision and this parity's latest"))
    _add_db(
        db_commands.add_parser(
            "upgrade", help="bring the store to the latest revision, its data kept (or create it)"
        )
    )
    _add_db(db)

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
    _add_db(serve)
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    settings = Settings.from_env()
    url = getattr(args, "db", None)
    if url:
        from dataclasses import replace

        settings = replace(settings, database_url=url)
    return settings


def _store(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from parity.store import Store

    return Store(_settings(args).database_url)


def _print_batch(prefix: str, info: BatchInfo) -> None:
    kind = "" if info.kind == "staff" else f" ({info.kind})"
    print(f"{prefix} batch {info.id}{kind}: {info.file_name}, {info.summary()}")


def cmd_import(args: argparse.Namespace) -> int:
    from parity.errors import MissingColumns, Problem
    from parity.importer import parse_file

    store = _store(args)
    if sys.stderr.isatty():
        print(f"reading and validating {args.file.name} ...", file=sys.stderr, flush=True)
    mapping = None
    if args.map:
        pairs = [m.split("=", 1) for m in args.map]
        if any(len(p) != 2 or not p[0].strip() or not p[1].strip() for p in pairs):
            raise ParityError("--map takes COLUMN=FIELD, e.g. --map Niveau=grade")
        mapping = {column.strip(): field.strip() for column, field in pairs}
    try:
        parsed = parse_file(
            args.file,
            store.reference(),
            _settings(args).limits,
            store.entity_names(),
            mapping=mapping,
            saved=store.saved_mapping,
        )
    except MissingColumns as error:
        from parity.schema import KNOWN_COLUMNS, normalise_column_name

        spare = [c for c in error.found if normalise_column_name(c) not in KNOWN_COLUMNS]
        example = f"{spare[0] if spare else 'Niveau'}={error.missing[0]}"
        hint = f"say which of its columns is which with --map COLUMN=FIELD (e.g. --map '{example}')"
        raise MissingColumns(
            error.file_name,
            [*error.problems, Problem(None, None, None, hint)],
            error.missing,
            error.found,
            total=error.total,  # the hint is not one more problem
        ) from None
    from parity.services.imports import import_file

    imported = import_file(
        store,
        parsed,
        _operator_user(),
        min_cell=_settings(args).effective_min_cell,
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
    from parity.importer import parse_file, sha256_of

    store = _store(args)
    for path in DEMO_FILES:
        existing = store.find_batch_by_sha(sha256_of(path))
        if existing is not None:
            print(f"demo data {path.name} already loaded (batch {existing}); nothing to do")
            continue
        info = store.import_parsed(
            parse_file(path, store.reference()), progress=sys.stderr.isatty()
        )
        _print_batch("loaded demo data as", info)
    _refresh_frames(store)
    return 0


def cmd_batches(args: argparse.Namespace) -> int:
    store = _store(args)
    if args.remove is not None:
        from parity.services.imports import remove_batch

        info = remove_batch(
            store, _operator_user(), args.remove, min_cell=_settings(args).effective_min_cell
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


def _frame_and_filters(args: argparse.Namespace, year: int | None):  # type: ignore[no-untyped-def]
    from parity.filters import FilterState
    from parity.frame import load_frame

    filters = FilterState.from_where(args.where, year=year)
    return load_frame(_store(args), filters.entity or None), filters


def _store_and_filters(
    args: argparse.Namespace, year: int | None = None
) -> tuple[Store, FilterState]:
    """The store (opened first), and the selection of --where (with ``year``)."""
    from parity.filters import FilterState

    store = _store(args)
    return store, FilterState.from_where(args.where, year=year)


def _frames(store: Store, filters: FilterState) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The analysis frame and the flows of the selection's entities."""
    from parity.frame import load_flows, load_frame

    entities = filters.entity or None
    return load_frame(store, entities), load_flows(store, entities)


def _write(table: pd.DataFrame, output_format: str, title: str | None) -> int:
    """The table on stdout in the format asked for; the title heads a plain-text table only."""
    sys.stdout.write(render(table, output_format, title if output_format == "table" else None))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from parity.analysis import report, resolve_year

    frame, filters = _frame_and_filters(args, args.year)
    by = _dimensions(args.by)
    table = report(frame, filters, by)
    title = None
    if args.format == "table":
        shown = filters if "year" in by and filters.year is None else resolve_year(frame, filters)
        title = f"Women's representation - {shown.describe()}"
    return _write(table, args.format, title)


def cmd_project(args: argparse.Namespace) -> int:
    from parity.analysis import projection_report

    frame, filters = _frame_and_filters(args, None)
    by = _dimensions(args.by)
    table = projection_report(frame, filters, by, window=args.window, method=args.method)
    title = (
        f"Projected year of parity ({args.method}, {args.window}-year window) - "
        f"{filters.describe()}"
    )
    return _write(table, args.format, title)


def cmd_plan(args: argparse.Namespace) -> int:
    from parity.analysis import plan_report

    store, filters = _store_and_filters(args)
    frame, flows = _frames(store, filters)
    table = plan_report(
        frame,
        flows,
        store.reference(),
        filters,
        _dimensions(args.by) or ["grade"],
        target_year=args.target_year,
        hire_share=args.hire_share,
        window=args.window,
        runs=args.runs,
        seed=args.seed,
        turnover=args.turnover,
        growth=args.growth,
    )
    if args.format != "json":
        table = table.assign(
            path=[
                "; ".join(f"{p['year']} {100 * p['women_share']:.1f}%" for p in path)
                for path in table["path"]
            ]
        )
    share = (
        "each grade's recent share of women among appointments"
        if args.hire_share is None
        else f"{100 * args.hire_share:.0f}% women among appointments"
    )
    title = (
        f"Parity by {args.target_year}: required share of women among appointments "
        f"({share}; {args.window}-year rates) - {filters.describe()}"
    )
    return _write(table, args.format, title)


def _dimensions(values: list[str]) -> list[str]:
    """Every --by, each a comma-separated list: `--by grade --by entity` is `--by grade,entity`."""
    return [d.strip() for value in values for d in value.split(",") if d.strip()]


def cmd_brief(args: argparse.Namespace) -> int:
    from parity.briefing import build_briefing, write_briefing
    from parity.privacy import PrivacyRule

    settings = _settings(args)
    store, filters = _store_and_filters(args, args.year)
    if args.window < 1:
        raise ParityError("--window must be at least 1 year")
    min_cell = settings.effective_min_cell if args.min_cell is None else max(args.min_cell, 0)
    if args.format != "xlsx":  # charts: Chromium starts in the background while data loads
        from parity.briefing.images import start_browser

        start_browser()
    frame, flows = _frames(store, filters)
    publication = None
    if min_cell > 1:  # the public view's figures: from the protected publication
        from parity import framecache

        publication = framecache.publication(store, store.version(), min_cell)
    briefing = build_briefing(
        frame,
        filters,
        store.reference(),
        rule=PrivacyRule(min_cell, publication=publication),
        flow_frame=flows,
        targets=store.read_targets(),
        demo=store.holds_demo_data(),
        window=args.window,
        method=args.method,
        title=args.title,
    )
    content = write_briefing(briefing, args.format)
    try:
        args.output.write_bytes(content)
    except OSError as error:
        raise ParityError(f"cannot write {args.output}: {error.strerror}") from None
    print(
        f"wrote {args.output} ({args.format.upper()}, {len(content) / 1024:.0f} KB): "
        f"{briefing.scope}, {briefing.year}"
    )
    return 0


def cmd_consistency(args: argparse.Namespace) -> int:
    from parity.flows import consistency
    from parity.planning import ladder_steps

    store, filters = _store_and_filters(args)
    stocks, flows = _frames(store, filters)
    if flows.empty:
        raise ParityError("no flow data in the store: import a file with an 'event' column")
    steps = ladder_steps([str(g) for g in stocks["grade"].cat.categories], store.reference())
    table, checked = consistency(
        stocks,
        flows,
        steps,
        filters.without_year().mask(stocks),
        filters.without_year().mask(flows),
    )
    title = (
        f"Stocks and flows: {len(table)} of {checked} cells (entity, grade, gender, year) "
        f"disagree - {filters.describe(with_year=False)}"
    )
    return _write(table, args.format, title)


def cmd_db(args: argparse.Namespace) -> int:
    """``parity db status`` and ``parity db upgrade`` (see parity.store.migrations)."""
    import shlex

    from parity.store import Store

    store = Store(_settings(args).database_url, as_is=True)
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


def cmd_serve(args: argparse.Namespace) -> int:
    from parity.web.serve import serve

    return serve(_settings(args), args.host, args.port, args.workers, debug=args.debug)


def _operator() -> str:
    """Who runs a command, for the audit: 'cli:' and the login name."""
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


def _operator_user() -> User:
    """The person running a command: they hold the store, so they act as an administrator."""
    return User(_operator(), "admin")


def cmd_users(args: argparse.Namespace) -> int:
    from parity.auth import check_role, hash_password

    store = _store(args)
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
        users.remove_user(store, _operator_user(), args.name)
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
    users.put_user(store, _operator_user(), args.name, role, entities, password_hash)
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


def cmd_rounds(args: argparse.Namespace) -> int:
    import pandas as pd

    from parity.rounds import round_board
    from parity.services import rounds

    store = _store(args)
    if args.action == "list":
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
    if not args.target:
        raise ParityError(
            f"rounds {args.action} needs a round "
            f"({'a name' if args.action == 'open' else 'its number'})"
        )
    if args.action == "open":
        if not args.as_of or not args.due:
            raise ParityError("rounds open needs --as-of and --due (YYYY-MM-DD)")
        try:
            as_of, due = date.fromisoformat(args.as_of), date.fromisoformat(args.due)
        except ValueError:
            raise ParityError("--as-of and --due are dates: YYYY-MM-DD") from None
        entities = args.entity or store.entity_names()
        if not entities:
            raise ParityError("no entity to take part: name them with --entity")
        number = rounds.open_round(store, _operator_user(), args.target, as_of, due, entities)
        print(
            f"opened round {number}: {args.target}, as of {as_of}, due {due}, "
            f"{len(entities)} entities"
        )
        return 0
    try:
        round_id = int(args.target)
    except ValueError:
        raise ParityError(f"a round's number, not {args.target!r}") from None
    if args.action == "status":
        board = round_board(store, round_id)
        shown = board.drop(columns=["to check"])
        sys.stdout.write(render(shown, "table", f"Round {round_id}"))
        if args.missing_csv is not None:
            missing = board[board["status"].isin(["not started", "late"])][["entity", "status"]]
            missing.to_csv(args.missing_csv, index=False)
            print(f"wrote {args.missing_csv}: {len(missing)} entities missing")
        return 0
    if args.action == "confirm":
        if not args.entity_name:
            raise ParityError("rounds confirm N ENTITY")
        rounds.confirm(store, _operator_user(), round_id, args.entity_name)
        print(f"confirmed {args.entity_name}'s submission to round {round_id}")
        return 0
    if sys.stderr.isatty():
        print("preparing the dashboard's frames and public tables ...", file=sys.stderr)
    rounds.set_published(
        store,
        _operator_user(),
        round_id,
        args.action == "publish",
        min_cell=_settings(args).effective_min_cell,
    )
    print(f"{args.action}ed round {round_id}")
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    import pandas as pd

    from parity.audit import printable

    store = _store(args)
    rows = [  # each record on one line, its control characters escaped (parity.audit)
        {
            "when (UTC)": f"{at:%Y-%m-%d %H:%M:%S}",
            "who": printable(who),
            "action": printable(action),
            "detail": printable(detail),
        }
        for at, who, action, detail in store.audit_log(args.limit)
    ]
    table = pd.DataFrame(rows, columns=["when (UTC)", "who", "action", "detail"])
    sys.stdout.write(render(table, "table", "Audit, newest first"))
    return 0


COMMANDS = {
    "rounds": cmd_rounds,
    "users": cmd_users,
    "audit": cmd_audit,
    "demo": cmd_demo,
    "import": cmd_import,
    "batches": cmd_batches,
    "report": cmd_report,
    "project": cmd_project,
    "plan": cmd_plan,
    "brief": cmd_brief,
    "consistency": cmd_consistency,
    "serve": cmd_serve,
    "db": cmd_db,
}


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


if __name__ == "__main__":
    raise SystemExit(main())
