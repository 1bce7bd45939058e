"""The reporting commands, which read the store and change nothing: ``parity report`` (parity
metrics by group), ``parity project`` (the projected year of parity), ``parity plan`` (the
hiring it takes to reach parity by a target year), ``parity consistency`` (where stocks and flows
disagree) and ``parity brief`` (the current view as a PDF, slide deck or workbook). The tables
are written on stdout in the ``--format`` asked for (parity.output)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from parity.cli.common import (
    Command,
    add_db,
    add_filters,
    add_lang,
    add_options,
    open_store,
    operator_user,
    settings_for,
)
from parity.errors import ParityError
from parity.output import FORMATS, render
from parity.projections import DEFAULT_WINDOW, METHODS

if TYPE_CHECKING:
    import pandas as pd

    from parity.cli.common import Subcommands
    from parity.filters import FilterState
    from parity.store import Store


def _share(text: str) -> float:
    """'45%', '45' and '0.45' all mean 45%."""
    from parity.ingest.cells import parse_share

    value = parse_share(text)
    if value is None:
        raise argparse.ArgumentTypeError(f"not a share between 0 and 100%: {text!r}")
    return value


def add_parsers(sub: Subcommands) -> None:
    """``report``, ``project``, ``brief``, ``plan`` and ``consistency``, in that order."""
    report = sub.add_parser("report", help="parity metrics by one or more dimensions")
    report.add_argument("--by", action="append", default=[], metavar="DIM[,DIM...]")
    report.add_argument("--year", type=int)
    add_filters(report)
    add_db(report)

    proj = sub.add_parser("project", help="projected year of parity by group")
    proj.add_argument("--by", action="append", default=[], metavar="DIM[,DIM...]")
    proj.add_argument("--window", type=int, default=DEFAULT_WINDOW)
    proj.add_argument("--method", choices=METHODS, default="increment")
    add_filters(proj)
    add_db(proj)

    _add_brief_parser(sub)
    _add_plan_parser(sub)

    check = sub.add_parser(
        "consistency", help="where recorded stocks and flows disagree, and by how much"
    )
    check.add_argument("--where", action="append", default=[], metavar="DIM=VALUE")
    check.add_argument("--format", choices=FORMATS, default="table")
    add_db(check)


def _add_brief_parser(sub: Subcommands) -> None:
    brief = sub.add_parser("brief", help="the current view as a PDF, slide deck or workbook")
    brief.add_argument("--year", type=int)
    brief.add_argument("--where", action="append", default=[], metavar="DIM=VALUE")
    add_options(brief, "--scope")
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
    add_lang(brief)
    add_db(brief)


def _add_plan_parser(sub: Subcommands) -> None:
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
    add_filters(plan)
    add_db(plan)


def _frame_and_filters(
    args: argparse.Namespace, year: int | None
) -> tuple[pd.DataFrame, FilterState]:
    """The analysis frame of the selection's entities, and the selection of --where (with
    ``year``)."""
    from parity.frame import load_frame

    store = open_store(args)
    filters = _filters_of(args, year, store)
    return load_frame(store, filters.entity or None), filters


def _store_and_filters(
    args: argparse.Namespace, year: int | None = None
) -> tuple[Store, FilterState]:
    """The store (opened first), and the selection of --where (with ``year``)."""

    store = open_store(args)
    return store, _filters_of(args, year, store)


def _filters_of(args: argparse.Namespace, year: int | None, store: Store) -> FilterState:
    """The selection of --where and --scope (with ``year``), the scope's grades resolved."""
    from parity.filters import FilterState

    scope = getattr(args, "scope", None)
    conditions = [*args.where, *([f"scope={scope}"] if scope else [])]
    return FilterState.from_where(conditions, year=year).resolved(store.reference())


def _frames(store: Store, filters: FilterState) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The analysis frame and the flows of the selection's entities."""
    from parity.frame import load_flows, load_frame

    entities = filters.entity or None
    return load_frame(store, entities), load_flows(store, entities)


def _dimensions(values: list[str]) -> list[str]:
    """Every --by, each a comma-separated list: `--by grade --by entity` is `--by grade,entity`."""
    return [d.strip() for value in values for d in value.split(",") if d.strip()]


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


def cmd_brief(args: argparse.Namespace) -> int:
    from parity.privacy import PrivacyRule
    from parity.services.briefings import make_briefing

    settings = settings_for(args)
    store, filters = _store_and_filters(args, args.year)
    if args.window < 1:
        raise ParityError("--window must be at least 1 year")
    min_cell = settings.effective_min_cell if args.min_cell is None else max(args.min_cell, 0)
    if args.format == "pdf":  # its charts: Chromium starts in the background while data loads
        from parity.briefing.images import start_browser

        start_browser()
    frame, flows = _frames(store, filters)
    publication = None
    if min_cell > 1:  # the public view's figures: from the protected publication
        from parity import framecache

        publication = framecache.publication(store, store.version(), min_cell)
    briefing, content = make_briefing(
        store,
        operator_user(),
        frame,
        filters,
        store.reference(),
        rule=PrivacyRule(min_cell, publication=publication),
        fmt=args.format,
        flow_frame=flows,
        targets=store.read_targets(),
        demo=store.holds_demo_data(),
        window=args.window,
        method=args.method,
        title=args.title,
        headline_scope=settings.headline_scope,
    )
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


COMMANDS: dict[str, Command] = {
    "report": cmd_report,
    "project": cmd_project,
    "plan": cmd_plan,
    "brief": cmd_brief,
    "consistency": cmd_consistency,
}
