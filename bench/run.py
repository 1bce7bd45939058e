"""make bench: speed and memory of parity on a 1M-row data set (and optionally 10M).

Sections can be run alone: ``python -m bench.run --only import,report``. Each section returns
result records (name, value, unit, target, ok, note); all of them go to bench/results.json.
Timings are wall-clock medians on this machine; the figures, not timed tests, guard speed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "results.json"  # the 1M-row run; other sizes get their own file
TARGET_ROWS = 1_000_000  # the issues' targets are for the 1M-row data set
ROWS_PER_ENTITY = 16_800  # the demo generator's yield, to size the data set
PYTHON = sys.executable


@dataclass
class Result:
    section: str
    name: str
    value: float
    unit: str
    target: float | None = None
    ok: bool | None = None
    note: str = ""


SCALE = {"rows": TARGET_ROWS}  # set by main(): targets apply only at the 1M-row scale


def check(
    section: str, name: str, value: float, unit: str, target: float | None = None, note: str = ""
) -> Result:
    if SCALE["rows"] != TARGET_ROWS:
        target = None
    return Result(
        section,
        name,
        round(value, 4),
        unit,
        target,
        None if target is None else value <= target,
        note,
    )


@dataclass
class Context:
    rows: int
    csv: Path
    flows: Path
    db_url: str
    pg_url: str | None


def median_ms(fn: Callable[[], Any], runs: int = 30) -> float:
    fn()  # warm
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def run_measured(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Wall time (s), peak resident memory (MB) and stdout of a child process."""
    import psutil

    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
    )
    peak = 0
    watched = psutil.Process(process.pid)
    done = threading.Event()

    def poll() -> None:
        nonlocal peak
        while not done.is_set():
            try:
                rss = watched.memory_info().rss
                rss += sum(c.memory_info().rss for c in watched.children(recursive=True))
                peak = max(peak, rss)
            except psutil.Error:
                pass
            time.sleep(0.02)

    thread = threading.Thread(target=poll, daemon=True)
    thread.start()
    out, err = process.communicate()
    done.set()
    thread.join()
    elapsed = time.perf_counter() - start
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {err}")
    return elapsed, peak / 2**20, out


# -- sections -------------------------------------------------------------------------------
def section_data(ctx: Context) -> list[Result]:
    """Generate the data set once (deterministic), reuse it afterwards."""
    if not ctx.csv.exists() or not ctx.flows.exists():
        from parity.demo import generate_with_flows

        entities = max(1, round(ctx.rows / ROWS_PER_ENTITY))
        start = time.perf_counter()
        staff, flows = generate_with_flows(entities, seed=2028)
        DATA.mkdir(parents=True, exist_ok=True)
        staff.to_csv(ctx.csv, index=False)
        flows.to_csv(ctx.flows, index=False)
        print(
            f"generated {len(staff):,} rows ({entities} entities) in "
            f"{time.perf_counter() - start:.1f} s"
        )
    rows = sum(1 for _ in ctx.csv.open()) - 1
    return [check("data", "rows in the staffing CSV", rows, "rows")]


def _fresh_sqlite(ctx: Context) -> None:
    path = Path(ctx.db_url.removeprefix("sqlite:///"))
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def section_import(ctx: Context) -> list[Result]:
    _fresh_sqlite(ctx)
    seconds, peak, _ = run_measured(
        [PYTHON, "-m", "parity", "import", str(ctx.csv), "--db", ctx.db_url]
    )
    run_measured([PYTHON, "-m", "parity", "import", str(ctx.flows), "--db", ctx.db_url])
    return [
        check("import", "import of the CSV, end to end (SQLite)", seconds, "s", 10.0),
        check("import", "import peak resident memory", peak, "MB", 1536.0),
    ]


LOAD_SCRIPT = """
import json, sys, time
from parity.storage import Store
from parity.frame import load_frame
store = Store(sys.argv[1])
start = time.perf_counter()
frame = load_frame(store)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "mb": frame.memory_usage(deep=True).sum() / 2**20,
                  "rows": len(frame)}))
"""


def section_load(ctx: Context) -> list[Result]:
    results = []
    samples = []
    for _ in range(3):
        _, _, out = run_measured([PYTHON, "-c", LOAD_SCRIPT, ctx.db_url])
        samples.append(json.loads(out))
    best = statistics.median(s["seconds"] for s in samples)
    results.append(
        check(
            "load",
            "cold load of the analysis frame (SQLite, median of 3 fresh processes)",
            best,
            "s",
            1.5,
        )
    )
    results.append(
        check(
            "load",
            "analysis frame memory",
            samples[0]["mb"],
            "MB",
            150.0,
            f"{samples[0]['rows']:,} rows",
        )
    )
    return results


def _frame(ctx: Context) -> Any:
    from parity.frame import load_frame
    from parity.storage import Store

    store = Store(ctx.db_url)
    frame = load_frame(store)
    return store, frame


def section_report(ctx: Context) -> list[Result]:
    import duckdb

    from parity.analysis import report
    from parity.filters import FilterState

    _, frame = _frame(ctx)
    entities = list(frame["entity"].cat.categories[:2])
    year = int(frame["year"].max())
    cases = [
        (
            "by grade; year + two entities",
            ["grade"],
            FilterState(year=year, entity=tuple(entities)),
            f"year = {year} AND entity IN ('{entities[0]}', '{entities[1]}')",
        ),
        (
            "by grade, location; year + category",
            ["grade", "location"],
            FilterState(year=year, category=("Professional",)),
            f"year = {year} AND category = 'Professional'",
        ),
        (
            "by entity; year + field",
            ["entity"],
            FilterState(year=year, location=("Field",)),
            f"year = {year} AND location = 'Field'",
        ),
        (
            "by year; grade + field (a trend)",
            ["year"],
            FilterState(grade=("P-2",), location=("Field",)),
            "grade = 'P-2' AND location = 'Field'",
        ),
    ]
    connection = duckdb.connect()
    connection.register("staff", frame)
    results = []
    for name, by, filters, where in cases:
        ours = median_ms(lambda by=by, filters=filters: report(frame, filters, by))
        sql = (
            f"SELECT {', '.join(by)}, gender, SUM(headcount) FROM staff WHERE {where} "
            f"GROUP BY {', '.join(by)}, gender"
        )
        theirs = median_ms(lambda sql=sql: connection.execute(sql).fetchall())
        results.append(
            check("report", f"report {name}", ours, "ms", 100.0, f"DuckDB {theirs:.1f} ms")
        )
        results.append(check("report", f"ratio to DuckDB, {name}", ours / theirs, "x", 2.0))
    return results


def section_dashboard(ctx: Context) -> list[Result]:
    """Each page's callback on the server (view function + JSON as Dash sends it), median."""
    import plotly.io as pio

    from parity.filters import FilterState
    from parity.frame import load_flows
    from parity.web.pages import data, entities, flows, grades, overview, planning, stations, trends

    store, frame = _frame(ctx)
    flow_frame = load_flows(store)
    reference = store.reference()
    targets = store.read_targets()
    entity = str(frame["entity"].cat.categories[0])
    selection = FilterState(entity=(entity,), location=("Field",))

    def serialise(result: dict[str, Any]) -> None:
        pio.json.to_json_plotly(
            {
                k: v.to_plotly_json() if hasattr(v, "to_plotly_json") else v
                for k, v in result.items()
            }
        )

    pages: dict[str, Callable[[FilterState], dict[str, Any]]] = {
        "overview": lambda f: overview.view(frame, f, 5),
        "grades": lambda f: grades.view(frame, f, reference, 5),
        "stations": lambda f: stations.view(frame, f, reference, 5),
        "entities": lambda f: entities.view(frame, f, 5),
        "trends": lambda f: trends.view(frame, f, "category", 10, "increment", 5),
        "flows": lambda f: flows.view(frame, flow_frame, f),
        "planning": lambda f: planning.view(
            frame, flow_frame, targets, reference, f, planning.Scenario(), 5
        ),
        "data": lambda f: {
            "table": data.view_table(frame, f, ["entity", "grade"], 5)[0].to_dict("records")
        },
    }
    results = []
    for name, view in pages.items():
        for label, filters in (("all", FilterState()), ("one entity, field", selection)):
            ms = median_ms(lambda view=view, filters=filters: serialise(view(filters)), runs=15)
            results.append(check("dashboard", f"callback {name} ({label})", ms, "ms", 150.0))
    return results


def section_browser(ctx: Context) -> list[Result]:
    """First render and a filter change in headless Chromium against `parity serve` with the
    1M-row store; the server's resident memory after every page has been opened."""
    import socket
    import urllib.request

    import psutil
    from playwright.sync_api import sync_playwright

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [PYTHON, "-m", "parity", "serve", "--port", str(port), "--db", ctx.db_url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    url = f"http://127.0.0.1:{port}"
    results = []
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        args = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=args)
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            # warm the server's frame cache once, then time a first visit in a new page
            page.goto(url + "/")
            page.wait_for_selector("#overview-share-value:not(:has-text('…'))", timeout=60000)
            page.close()
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            start = time.perf_counter()
            page.goto(url + "/")
            page.wait_for_function(
                "document.querySelector('#overview-share-value')?.textContent.includes('%') && "
                "document.querySelectorAll('#page .js-plotly-plot .main-svg').length >= 2 && "
                "!document.querySelector('[data-dash-is-loading=\"true\"]')",
                timeout=60000,
            )
            results.append(
                check("browser", "first page fully rendered", time.perf_counter() - start, "s", 3.0)
            )
            changes = []
            for value in ("HQ", "Field", ""):
                label = {"HQ": "HQ", "Field": "Field", "": "All"}[value]
                before = page.inner_text("#overview-share-value")
                start = time.perf_counter()
                page.get_by_role("radio", name=label, exact=True).check()
                page.wait_for_function(
                    "([before]) => document.querySelector('#overview-share-value')"
                    ".textContent !== before && "
                    "!document.querySelector('[data-dash-is-loading=\"true\"]')",
                    arg=[before],
                    timeout=30000,
                )
                changes.append(time.perf_counter() - start)
            results.append(
                check(
                    "browser",
                    "filter change: every chart on the page updated (median of 3)",
                    statistics.median(changes),
                    "s",
                    1.0,
                )
            )
            for path in (
                "/grades",
                "/stations",
                "/entities",
                "/trends",
                "/flows",
                "/planning",
                "/data",
            ):
                page.goto(url + path)
                page.wait_for_load_state("networkidle")
            browser.close()
        rss = psutil.Process(server.pid).memory_info().rss / 2**20
        results.append(
            check("browser", "server resident memory, 1M rows, every page opened", rss, "MB", 600.0)
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
    return results


def section_plan(ctx: Context) -> list[Result]:
    from parity.analysis import plan_report
    from parity.filters import FilterState
    from parity.frame import load_flows

    store, frame = _frame(ctx)
    flows = load_flows(store)
    entity = str(frame["entity"].cat.categories[0])
    filters = FilterState(entity=(entity,))
    compute = (
        median_ms(
            lambda: plan_report(frame, flows, store.reference(), filters, ["grade"], runs=1000),
            runs=5,
        )
        / 1000
    )
    seconds, _, _ = run_measured(
        [
            PYTHON,
            "-m",
            "parity",
            "plan",
            "--by",
            "grade",
            "--where",
            f"entity={entity}",
            "--db",
            ctx.db_url,
        ]
    )
    return [
        check(
            "plan",
            "plan for every grade of one entity, 1,000 Monte Carlo runs (computation)",
            compute,
            "s",
            2.0,
        ),
        check(
            "plan",
            "parity plan command, end to end (process start and data load included)",
            seconds,
            "s",
            2.0,
        ),
    ]


def section_briefing(ctx: Context) -> list[Result]:
    """A full PDF briefing for one entity, as a user runs it: a fresh `parity brief` process
    (start, data load, charts through Chromium, PDF)."""
    _, frame = _frame(ctx)
    entity = str(frame["entity"].cat.categories[0])
    output = DATA / "briefing.pdf"
    seconds, peak, _ = run_measured(
        [
            PYTHON,
            "-m",
            "parity",
            "brief",
            "--where",
            f"entity={entity}",
            "--format",
            "pdf",
            "--output",
            str(output),
            "--db",
            ctx.db_url,
        ]
    )
    return [
        check(
            "briefing",
            "PDF briefing for one entity, 1M rows, end to end",
            seconds,
            "s",
            10.0,
            f"{output.stat().st_size / 1024:.0f} KB",
        ),
        check("briefing", "PDF briefing peak resident memory (with Chromium)", peak, "MB"),
    ]


def section_postgres(ctx: Context) -> list[Result]:
    if not ctx.pg_url:
        return [check("postgres", "skipped: set PARITY_TEST_DATABASE_URL or --pg", 0, "")]
    import sqlalchemy as sa

    schema = "parity_bench"
    admin = sa.create_engine(ctx.pg_url)
    with admin.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in ctx.pg_url else "?"
    url = f"{ctx.pg_url}{separator}options=-csearch_path%3D{schema}"
    try:
        seconds, peak, _ = run_measured(
            [PYTHON, "-m", "parity", "import", str(ctx.csv), "--db", url]
        )
        _, _, out = run_measured([PYTHON, "-c", LOAD_SCRIPT, url])
        load = json.loads(out)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
    return [
        check("postgres", "import of the CSV, end to end (PostgreSQL)", seconds, "s"),
        check("postgres", "import peak resident memory (PostgreSQL)", peak, "MB"),
        check("postgres", "cold load of the analysis frame (PostgreSQL)", load["seconds"], "s"),
    ]


SECTIONS: dict[str, Callable[[Context], list[Result]]] = {
    "data": section_data,
    "import": section_import,
    "load": section_load,
    "report": section_report,
    "dashboard": section_dashboard,
    "browser": section_browser,
    "plan": section_plan,
    "briefing": section_briefing,
    "postgres": section_postgres,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--only", help="comma-separated sections: " + ", ".join(SECTIONS))
    parser.add_argument("--pg", default=os.environ.get("PARITY_TEST_DATABASE_URL"))
    args = parser.parse_args()
    tag = f"{args.rows // 1_000_000}m" if args.rows >= 1_000_000 else str(args.rows)
    SCALE["rows"] = args.rows
    results_file = RESULTS if args.rows == TARGET_ROWS else RESULTS.with_name(f"results-{tag}.json")
    ctx = Context(
        rows=args.rows,
        csv=DATA / f"staff-{tag}.csv",
        flows=DATA / f"flows-{tag}.csv",
        db_url=f"sqlite:///{DATA / f'bench-{tag}.db'}",
        pg_url=args.pg,
    )
    chosen = args.only.split(",") if args.only else list(SECTIONS)
    if "data" not in chosen:
        chosen.insert(0, "data")
    if not Path(ctx.db_url.removeprefix("sqlite:///")).exists() and "import" not in chosen:
        chosen.insert(1, "import")
    results: list[Result] = []
    for name in chosen:
        print(f"== {name}", flush=True)
        for result in SECTIONS[name](ctx):
            results.append(result)
            target = "" if result.target is None else f"<= {result.target:g}"
            verdict = {True: "ok", False: "OVER", None: ""}[result.ok]
            print(
                f"  {result.name:<72} {result.value:>10.3f} {result.unit:<3} {target:<9} "
                f"{verdict:<4} {result.note}",
                flush=True,
            )
    previous = json.loads(results_file.read_text()) if results_file.exists() and args.only else {}
    kept = [r for r in previous.get("results", []) if r["section"] not in chosen]
    payload = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "rows": args.rows,
        "results": kept + [asdict(r) for r in results],
    }
    results_file.write_text(json.dumps(payload, indent=1) + "\n")
    failed = [r for r in results if r.ok is False]
    print(f"wrote {results_file}; {len(failed)} figure(s) over target")


if __name__ == "__main__":
    main()
