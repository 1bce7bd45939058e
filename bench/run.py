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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import partial
from itertools import pairwise
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
    section: str,
    name: str,
    value: float,
    unit: str,
    target: float | None = None,
    note: str = "",
    at_10m: float | None = None,
) -> Result:
    """A figure and its target: ``target`` at the 1M-row scale (ratios, unit "x", at every
    scale), ``at_10m`` at 10M rows and more; no target at other scales."""
    rows = SCALE["rows"]
    if unit == "x" or section == "many_grades":  # many_grades is always ~1M rows
        pass
    elif rows >= 10 * TARGET_ROWS:
        target = at_10m
    elif rows != TARGET_ROWS:
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
    measured: dict[str, float] = field(default_factory=dict)  # figures sections share


def median_ms(fn: Callable[[], Any], runs: int = 30) -> float:
    fn()  # warm
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def paired_median_ms(
    first: Callable[[], Any], second: Callable[[], Any], runs: int = 30
) -> tuple[float, float]:
    """Medians of two functions timed in alternation, so that both see the same machine load."""
    first(), second()  # warm
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for fn, out in ((first, times[0]), (second, times[1])):
            start = time.perf_counter()
            fn()
            out.append(time.perf_counter() - start)
    return 1000 * statistics.median(times[0]), 1000 * statistics.median(times[1])


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
        from parity.demo.simulation import generate_with_flows

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


DUCKDB_IMPORT = """
import sys, duckdb
connection = duckdb.connect(sys.argv[2])
connection.execute("CREATE TABLE staff AS SELECT * FROM read_csv(?)", [sys.argv[1]])
connection.close()
"""


def _duckdb_file(ctx: Context) -> Path:
    return Path(ctx.db_url.removeprefix("sqlite:///")).with_suffix(".duckdb")


def section_import(ctx: Context) -> list[Result]:
    """`parity import` of the staffing CSV into a new SQLite store (reading, checking every
    row, writing one batch in one transaction, then the dashboard's frames), beside DuckDB
    reading the same CSV into a table of a new database file, each in a fresh process."""
    import shutil

    from parity import framecache
    from parity.store import Store

    _fresh_sqlite(ctx)
    frames = framecache.cache_dir(Store(ctx.db_url, as_is=True))
    if frames is not None:
        shutil.rmtree(frames, ignore_errors=True)
    _fresh_sqlite(ctx)
    seconds, peak, _ = run_measured(
        [PYTHON, "-m", "parity", "import", str(ctx.csv), "--db", ctx.db_url]
    )
    run_measured([PYTHON, "-m", "parity", "import", str(ctx.flows), "--db", ctx.db_url])
    duck = _duckdb_file(ctx)
    duck.unlink(missing_ok=True)
    duck_seconds, duck_peak, _ = run_measured(
        [PYTHON, "-c", DUCKDB_IMPORT, str(ctx.csv), str(duck)]
    )
    ctx.measured["sqlite import s"] = seconds
    duck_note = f"DuckDB {duck_seconds:.2f} s, {duck_peak:.0f} MB"
    return [
        check("import", "import of the CSV, end to end (SQLite)", seconds, "s", 10.0, duck_note),
        check(
            "import",
            "import time, ratio to DuckDB's CSV to table",
            seconds / duck_seconds,
            "x",
            2.0,
        ),
        check("import", "import peak resident memory", peak, "MB", 1536.0, duck_note),
        check("import", "import peak memory, ratio to DuckDB's", peak / duck_peak, "x", 2.0),
    ]


LOAD_SCRIPT = """
import json, sys, time
from parity.store import Store
from parity.frame import load_frame
store = Store(sys.argv[1])
start = time.perf_counter()
frame = load_frame(store)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "mb": frame.memory_usage(deep=True).sum() / 2**20,
                  "rows": len(frame)}))
"""


def section_frame(ctx: Context) -> list[Result]:
    """Cold load of the analysis frame in fresh processes (the section was called `load` before
    the load run of many users took that name)."""
    results = []
    samples = []
    for _ in range(3):
        _, _, out = run_measured([PYTHON, "-c", LOAD_SCRIPT, ctx.db_url])
        samples.append(json.loads(out))
    best = statistics.median(s["seconds"] for s in samples)
    results.append(
        check(
            "frame",
            "cold load of the analysis frame (SQLite, median of 3 fresh processes)",
            best,
            "s",
            1.5,
        )
    )
    results.append(
        check(
            "frame",
            "analysis frame memory",
            samples[0]["mb"],
            "MB",
            150.0,
            f"{samples[0]['rows']:,} rows",
        )
    )
    return results


FRAME_AFTER_CHANGE = """
import json, sys, time
from parity.store import Store
from parity.web.source import DataSource
store = Store(sys.argv[1])
start = time.perf_counter()
frame = DataSource(store).frame()
print(json.dumps({"seconds": time.perf_counter() - start, "rows": len(frame)}))
"""


def section_correction(ctx: Context) -> list[Result]:
    """A small correction on the big store, as a focal point sends one: `parity import` of one
    entity's latest year (its frames made from the old ones and the batch), then `parity
    batches --remove` of it and the dashboard's frame in a fresh process (made from the earlier
    frame and the rows of the pairs that changed)."""
    import re

    from parity import framecache
    from parity.store import Store

    store = Store(ctx.db_url)
    framecache.refresh(store)
    frame = framecache.frame(store, "staff", store.version())
    entity = str(frame["entity"].cat.categories[0])
    year = int(frame["year"].max())
    rows = frame[(frame["entity"] == entity) & (frame["year"] == year)]
    correction = DATA / "correction.csv"
    columns = ["year", "entity", "grade", "gender", "duty_station", "headcount"]
    rows[columns].assign(headcount=rows["headcount"] + 1).to_csv(correction, index=False)
    store.dispose()
    seconds, peak, out = run_measured(
        [PYTHON, "-m", "parity", "import", str(correction), "--db", ctx.db_url]
    )
    batch = re.search(r"batch (\d+)", out)
    assert batch is not None, out
    removed, _, _ = run_measured(
        [PYTHON, "-m", "parity", "batches", "--remove", batch.group(1), "--db", ctx.db_url]
    )
    _, _, out = run_measured([PYTHON, "-c", FRAME_AFTER_CHANGE, ctx.db_url])
    after = json.loads(out)
    correction.unlink()
    note = f"{len(rows):,} rows of {entity}, {year}, into {len(frame):,}"
    return [
        check("correction", "import of one entity's year, end to end", seconds, "s", note=note),
        check("correction", "its peak resident memory", peak, "MB"),
        check("correction", "removal of that batch, end to end", removed, "s"),
        check(
            "correction",
            "then the dashboard's frame, fresh process (from the frame on disk)",
            after["seconds"],
            "s",
            note=f"{after['rows']:,} rows",
        ),
    ]


def _frame(ctx: Context) -> Any:
    from parity.frame import load_frame
    from parity.store import Store

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
        ours = median_ms(partial(report, frame, filters, by))
        sql = (
            f"SELECT {', '.join(by)}, gender, SUM(headcount) FROM staff WHERE {where} "
            f"GROUP BY {', '.join(by)}, gender"
        )
        theirs = median_ms(partial(lambda sql: connection.execute(sql).fetchall(), sql))
        results.append(
            check("report", f"report {name}", ours, "ms", 100.0, f"DuckDB {theirs:.1f} ms")
        )
        results.append(check("report", f"ratio to DuckDB, {name}", ours / theirs, "x", 2.0))
    return results


CALLBACK_RUNS = 15


@dataclass(frozen=True)
class PageCallback:
    """One page's callback as the server runs it: ``view`` builds the view model from the URL's
    query string (the view function builds its one Selection from the FilterState), ``outputs``
    turns it into the callback's outputs (figures, grid rows, texts)."""

    view: Callable[[str], Any]
    outputs: Callable[[Any], list[Any]]

    def __call__(self, query: str) -> str:
        """The response body as Dash sends it."""
        from plotly.io.json import to_json_plotly

        return str(to_json_plotly(self.outputs(self.view(query))))


def page_callbacks(source: Any, rule: Any) -> dict[str, PageCallback]:
    """Every page's main callback, with the server's defaults for the page's own controls.
    ``source`` is the server's DataSource (a version query per call, frames cached)."""
    from parity.filters import FilterState
    from parity.views.data import data_table
    from parity.views.entities import entities
    from parity.views.flows import flows
    from parity.views.grades import grades
    from parity.views.overview import overview
    from parity.views.planning.scenario import Scenario
    from parity.views.planning.view import planning
    from parity.views.stations import stations
    from parity.views.trends import DEFAULT_WINDOW, trends
    from parity.web import pages

    def state(query: str) -> FilterState:
        return FilterState.from_query(query)

    def views() -> dict[str, Callable[[str], Any]]:
        return {
            "overview": lambda q: overview(source.frame(), state(q), rule, source.reference()),
            "grades": lambda q: grades(source.frame(), state(q), rule, source.reference()),
            "stations": lambda q: stations(source.frame(), state(q), rule, source.reference()),
            "entities": lambda q: entities(source.frame(), state(q), rule, source.reference()),
            "trends": lambda q: trends(
                source.frame(),
                state(q),
                rule,
                source.reference(),
                by="category",
                window=DEFAULT_WINDOW,
                method="increment",
            ),
            "flows": lambda q: flows(
                source.frame(), source.flows(), state(q), rule, source.reference()
            ),
            "planning": lambda q: planning(
                source.frame(),
                source.flows(),
                source.targets(),
                state(q),
                Scenario(),
                rule,
                source.reference(),
            ),
            "data": lambda q: data_table(
                source.frame(), state(q), list(pages.data.grid.DEFAULT_BY), rule, source.reference()
            ),
        }

    def outputs_of(name: str) -> Callable[[Any], list[Any]]:
        module = getattr(pages, name)
        if name == "data":
            return module.grid.outputs  # the Data page's are its grid's
        declared = getattr(module, "PAGE", None)  # a page declared from its slots
        return declared.values if declared is not None else module.outputs

    return {name: PageCallback(view, outputs_of(name)) for name, view in views().items()}


def duckdb_queries(entity: str, year: int) -> dict[str, list[str]]:
    """For each page, the GROUP BYs a database would run for the page's tables over one entity's
    field duty stations (the aggregation only: no privacy rule, no figures, no JSON)."""
    where = f"entity = '{entity.replace(chr(39), chr(39) * 2)}' AND location = 'Field'"

    def stock(by: str, through: bool = False) -> str:
        years = f"year <= {year}" if through else f"year = {year}"
        return (
            f"SELECT {by}, gender, SUM(headcount) FROM staff WHERE {where} AND {years} "
            f"GROUP BY {by}, gender"
        )

    def moves(by: str) -> str:
        return (
            f"SELECT {by}, event, gender, SUM(count) FROM flows WHERE {where} AND year <= {year} "
            f"GROUP BY {by}, event, gender"
        )

    return {
        "overview": [stock("year", through=True), stock("category"), stock("age_band")],
        "grades": [stock("grade")],
        "stations": [stock("duty_station"), stock("location")],
        "entities": [stock("entity"), stock("entity, grade"), stock("year, entity", through=True)],
        "trends": [stock("year, category", through=True)],
        "flows": [
            stock("year", through=True),
            stock("year, category", through=True),
            moves("year"),
            moves("year, category"),
        ],
        "planning": [stock("year, category", through=True), moves("year, category")],
        "data": [stock("entity, grade")],
    }


def time_pages(section: str, db_url: str) -> list[Result]:
    """Each page's callback (view + outputs + JSON) for no filter and for one entity's field duty
    stations; the one-entity view models against DuckDB's GROUP BYs over the same rows."""
    import duckdb

    from parity.filters import FilterState
    from parity.privacy import PrivacyRule
    from parity.store import Store
    from parity.views.base import Selection
    from parity.web.source import DataSource

    source = DataSource(Store(db_url))
    frame, flow_frame = source.frame(), source.flows()
    callbacks = page_callbacks(source, PrivacyRule(5, publication=source.publication(5)))
    entity = str(frame["entity"].cat.categories[0])
    one = FilterState(entity=(entity,), location=("Field",))
    year = Selection.of(frame, one).year
    assert year is not None
    connection = duckdb.connect()
    connection.register("staff", frame)
    connection.register("flows", flow_frame)
    queries = duckdb_queries(entity, year)

    def run_all(sqls: list[str]) -> None:
        for sql in sqls:
            connection.execute(sql).fetchall()

    results = []
    for name, callback in callbacks.items():
        for label, filters in (("all", FilterState()), ("one entity, field", one)):
            query = filters.to_query()
            ms = median_ms(partial(callback, query), runs=CALLBACK_RUNS)
            results.append(check(section, f"callback {name} ({label})", ms, "ms", 100.0))
        query = one.to_query()
        ours, theirs = paired_median_ms(
            partial(callback.view, query), partial(run_all, queries[name]), runs=CALLBACK_RUNS
        )
        results.append(
            check(
                section,
                f"ratio to DuckDB, {name} view (one entity, field)",
                ours / theirs,
                "x",
                1.0,
                f"view {ours:.1f} ms, DuckDB {theirs:.1f} ms ({len(queries[name])} GROUP BY)",
            )
        )
    connection.close()
    source.store.dispose()
    return results


def section_dashboard(ctx: Context) -> list[Result]:
    """Each page's callback on the server (view function + outputs + JSON as Dash sends it),
    median; the one-entity views against DuckDB on the same frame."""
    return time_pages("dashboard", ctx.db_url)


@contextmanager
def serve(db_url: str, workers: int = 1) -> Iterator[tuple[str, int]]:
    """`parity serve` with ``workers`` workers on a free port: (its URL, the gunicorn master's
    process id) once it answers."""
    import socket
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [PYTHON, "-m", "parity", "serve", "--workers", str(workers)]
    server = subprocess.Popen(
        [*command, "--port", str(port), "--db", db_url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        yield url, server.pid
    finally:
        server.terminate()
        server.wait(timeout=10)


DUCKDB_OVERVIEW = """
import sys, time, duckdb
start = time.perf_counter()
connection = duckdb.connect(sys.argv[1], read_only=True)
year = connection.execute("SELECT max(year) FROM staff").fetchone()[0]
for by in ("year", "grade", "age_band", "duty_station"):
    connection.execute(
        f"SELECT {by}, gender, SUM(headcount) FROM staff WHERE year <= {year} "
        f"GROUP BY {by}, gender"
    ).fetchall()
print(time.perf_counter() - start)
"""


def _cold_start(db_url: str, content: dict[str, Any], update: dict[str, Any]) -> dict[str, float]:
    """Seconds from launching `parity serve` to: /healthz answering, the page shell (GET /),
    and the Overview's first callback (its content, then its update) answering."""
    import socket
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    start = time.perf_counter()
    server = subprocess.Popen(
        [PYTHON, "-m", "parity", "serve", "--workers", "1", "--port", str(port), "--db", db_url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    try:
        while True:
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=5).read()
                break
            except OSError:
                if server.poll() is not None or time.perf_counter() - start > 120:
                    raise RuntimeError("parity serve did not answer /healthz") from None
                time.sleep(0.01)
        health = time.perf_counter() - start
        urllib.request.urlopen(f"{url}/", timeout=60).read()
        shell = time.perf_counter() - start
        _post_callback(url, content)
        _post_callback(url, update)
        first = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"health": health, "shell": shell, "first": first, "callback": first - shell}


def section_cold_start(ctx: Context) -> list[Result]:
    """A server started on the store as an import leaves it (the frames written on disk): time
    to /healthz, to the page shell and to the Overview's first callback, median of 3 starts;
    then once with no frame on disk (as after an upgrade). Beside it, DuckDB in a fresh process
    opening its database file and running the Overview's GROUP BYs."""
    import shutil

    from parity import framecache
    from parity.store import Store

    store = Store(ctx.db_url)
    framecache.refresh(store)
    with serve(ctx.db_url) as (url, _):
        pages = SimulatedPages(url)
        content, update = pages.content("/", ""), pages.update("/", "")
    samples = [_cold_start(ctx.db_url, content, update) for _ in range(3)]
    median = {k: statistics.median(s[k] for s in samples) for k in samples[0]}
    frames = framecache.cache_dir(store)
    assert frames is not None
    shutil.rmtree(frames)
    cold = _cold_start(ctx.db_url, content, update)
    duck = _duckdb_file(ctx)
    duck_note = ""
    if duck.exists():
        _, _, out = run_measured([PYTHON, "-c", DUCKDB_OVERVIEW, str(duck)])
        duck_note = f"DuckDB, fresh process: {float(out):.2f} s"
    return [
        # no target: Python starting and importing the web stack; no data is read before it
        check("cold_start", "server start to /healthz answering", median["health"], "s"),
        check(
            "cold_start", "server start to the page shell", median["shell"], "s", 1.5, at_10m=3.0
        ),
        check(
            "cold_start",
            "server start to the Overview's first callback answered",
            median["first"],
            "s",
            1.5,
            duck_note,
            at_10m=3.0,
        ),
        check("cold_start", "the first callback itself (after the shell)", median["callback"], "s"),
        check(
            "cold_start",
            "start to first callback with no frame on disk (built from the store)",
            cold["first"],
            "s",
        ),
    ]


CHROMIUM_ARGS = [
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
IDLE = "!document.querySelector('[data-dash-is-loading=\"true\"]')"


def section_browser(ctx: Context) -> list[Result]:
    """First render and a filter change in headless Chromium against `parity serve` with the
    1M-row store; the server's resident memory after every page has been opened."""
    import psutil
    from playwright.sync_api import sync_playwright

    results = []
    with serve(ctx.db_url) as (url, pid), sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        page = browser.new_page(
            viewport={"width": 1280, "height": 800}, bypass_csp=True
        )  # its waits evaluate scripts
        # warm the server's frame cache once, then time a first visit in a new page
        page.goto(url + "/")
        page.wait_for_selector("#overview-share-value:not(:has-text('…'))", timeout=60000)
        page.close()
        page = browser.new_page(
            viewport={"width": 1280, "height": 800}, bypass_csp=True
        )  # its waits evaluate scripts
        start = time.perf_counter()
        page.goto(url + "/")
        page.wait_for_function(
            "document.querySelector('#overview-share-value')?.textContent.includes('%') && "
            f"document.querySelectorAll('#page .js-plotly-plot .main-svg').length >= 2 && {IDLE}",
            timeout=60000,
        )
        results.append(
            check("browser", "first page fully rendered", time.perf_counter() - start, "s", 3.0)
        )
        changes = []
        for label in ("HQ", "Field", "All"):
            before = page.inner_text("#overview-share-value")
            start = time.perf_counter()
            page.get_by_role("radio", name=label, exact=True).check()
            page.wait_for_function(
                "([before]) => document.querySelector('#overview-share-value')"
                f".textContent !== before && {IDLE}",
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
        # the worker that served every page (each worker holds its own copy of the data)
        (worker,) = psutil.Process(pid).children()
        rss = worker.memory_info().rss / 2**20
        results.append(
            check(
                "browser",
                "server (worker) resident memory, every page opened",
                rss,
                "MB",
                400.0,
                f"{ctx.rows:,} rows",
                at_10m=1024.0,
            )
        )
    return results


# -- load: many users at once, simulated at the HTTP level ----------------------------------
LOAD_USERS = 50
LOAD_WORKERS = 2
LOAD_SECONDS = 60.0  # users begin actions for this long (each one's first within a think time)
LOAD_THINK_S = (3.0, 7.0)  # a user's pause before each action: uniform, 5 s on average
LOAD_VISITS = 0.4  # the share of actions that open a page; the others change a filter
LOAD_PAGES = ("/", "/grades", "/stations", "/entities", "/trends", "/flows", "/planning", "/data")
CALLBACK = "/_dash-update-component"


def _components(node: Any) -> Iterator[tuple[Any, dict[str, Any]]]:
    """(id, props) of every component with an id in a Dash layout as JSON."""
    if isinstance(node, list):
        for item in node:
            yield from _components(item)
    elif isinstance(node, dict):
        props = node.get("props") if "namespace" in node else None
        if isinstance(props, dict) and "id" in props:
            yield props["id"], props
        for value in (props or node).values():
            yield from _components(value)


def _outputs(output: str) -> list[dict[str, Any]]:
    """A callback's outputs from its ``output`` ("..a.children...b.figure.." or "a.children");
    a pattern id (a chart's table rows) as its dict, as the browser sends it."""
    outputs = []
    for part in output.strip(".").split("..."):
        cid, prop = part.rsplit(".", 1)
        outputs.append({"id": json.loads(cid) if cid.startswith("{") else cid, "property": prop})
    return outputs


def _callback_body(
    spec: dict[str, Any],
    components: list[tuple[Any, dict[str, Any]]],
    values: dict[str, Any],
    changed: str,
) -> dict[str, Any]:
    """The body the browser posts for the callback ``spec`` (of /_dash-dependencies): each input
    and state from ``values`` (by "id.property"), else from that property of the component in
    ``components``; a pattern id (ALL) gives the list of every component it matches."""
    by_id = {cid: props for cid, props in components if isinstance(cid, str)}

    def entry(dependency: dict[str, str]) -> Any:
        cid, prop = dependency["id"], dependency["property"]
        if cid.startswith("{"):
            pattern = json.loads(cid)
            return [
                {"id": other, "property": prop, "value": props.get(prop)}
                for other, props in components
                if isinstance(other, dict)
                and other.keys() == pattern.keys()
                and all(v == ["ALL"] or other[k] == v for k, v in pattern.items())
            ]
        key = f"{cid}.{prop}"
        value = values[key] if key in values else by_id[cid].get(prop)
        return {"id": cid, "property": prop, "value": value}

    outputs = _outputs(spec["output"])
    return {
        "output": spec["output"],
        "outputs": outputs if spec["output"].startswith("..") else outputs[0],
        "inputs": [entry(d) for d in spec["inputs"]],
        "state": [entry(d) for d in spec["state"]],
        "changedPropIds": [changed],
    }


def _post_callback(url: str, body: dict[str, Any]) -> bytes:
    """POST a callback as the browser does (same Origin); an answer other than 200 raises."""
    import urllib.request

    request = urllib.request.Request(
        url + CALLBACK,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Origin": url},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        content: bytes = response.read()
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}")
    return content


class SimulatedPages:
    """What a browser posts for each page: its content when opened (the shell's callback on the
    path), then the page's update callback (inputs: the filters and the page's own controls at
    their defaults), which a filter change posts again with the new filters."""

    def __init__(self, url: str) -> None:
        import urllib.request

        def get(path: str) -> Any:
            with urllib.request.urlopen(url + path, timeout=60) as response:
                return json.loads(response.read())

        specs = get("/_dash-dependencies")
        shell = list(_components(get("/_dash-layout")))
        self.url = url
        self.content_spec = next(s for s in specs if s["output"] == "page.children")
        self.updates: dict[str, tuple[dict[str, Any], list[tuple[Any, dict[str, Any]]]]] = {}
        for path in LOAD_PAGES:
            page = list(_components(json.loads(_post_callback(url, self.content(path, "")))))
            ids = {cid for cid, _ in page if isinstance(cid, str)}
            (spec,) = (
                s
                for s in specs
                if any(i["id"] == "filters" for i in s["inputs"])
                and all(
                    not isinstance(o["id"], str) or o["id"] in ids for o in _outputs(s["output"])
                )
            )
            self.updates[path] = (spec, shell + page)
        options = {cid: props.get("options") or [] for cid, props in shell}
        self.entities = [o["value"] if isinstance(o, dict) else o for o in options["filter-entity"]]
        self.years = [int(o["value"]) for o in options["filter-year"]]

    def content(self, path: str, query: str) -> dict[str, Any]:
        values = {"url.pathname": path, "url.search": f"?{query}" if query else ""}
        return _callback_body(self.content_spec, [], values, "url.pathname")

    def update(self, path: str, query: str) -> dict[str, Any]:
        spec, components = self.updates[path]
        return _callback_body(spec, components, {"filters.data": query}, "filters.data")


def _wait_idle(pid: int, limit_s: float = 30.0) -> None:
    """Until the server's processes are idle (workers booted, frames loaded), at most limit_s."""
    import psutil

    server = psutil.Process(pid)
    end = time.perf_counter() + limit_s
    while time.perf_counter() < end:
        processes = [server, *server.children()]
        before = sum(sum(p.cpu_times()[:2]) for p in processes)
        time.sleep(0.5)
        if sum(sum(p.cpu_times()[:2]) for p in processes) - before < 0.05:
            return


def section_load(ctx: Context) -> list[Result]:
    """LOAD_USERS simulated users for LOAD_SECONDS against `parity serve --workers 2` with the
    1M-row store (public mode, loopback): each pauses ~5 s (randomised) between actions and opens
    a page or changes a filter (entity, location or year) on the page it is on, by posting the
    callbacks the browser would (no browser). Every callback's latency is timed at the client;
    an answer other than 200, or none, is an error. Resident memory of each process at the end."""
    import random
    from concurrent.futures import ThreadPoolExecutor

    import psutil

    from parity.filters import FilterState

    records: list[tuple[str, str, str, float, bool]] = []  # action, page, filters, s, answered
    failures: list[str] = []
    with serve(ctx.db_url, workers=LOAD_WORKERS) as (url, pid):
        pages = SimulatedPages(url)
        # both workers load their frames (on first use), not timed; with filters no user sets,
        # so that the views users ask for are not in the workers' view caches beforehand
        warm = [
            pages.update(p, f"category={c}")
            for c in ("Directors", "Professional")
            for p in LOAD_PAGES
        ]
        with ThreadPoolExecutor(2 * 4) as pool:
            answers = [json.loads(a) for a in pool.map(partial(_post_callback, url), warm)]
        if not all("response" in a for a in answers):  # the bodies are right: Dash answers them
            raise RuntimeError("a page's update callback did not answer with its outputs")
        machine_load = os.getloadavg()[0]
        _wait_idle(pid)
        workers_before = {p.pid for p in psutil.Process(pid).children()}

        def timed(kind: str, path: str, query: str, body: dict[str, Any]) -> None:
            start = time.perf_counter()
            try:
                _post_callback(url, body)
                answered = True
            except Exception as error:  # any failure counts, and the user goes on
                answered = False
                failures.append(f"{kind}: {error!r}")
            records.append((kind, path, query, time.perf_counter() - start, answered))

        start = time.perf_counter()
        deadline = start + LOAD_SECONDS

        def user(seed: int) -> None:
            rng = random.Random(seed)
            chosen: dict[str, Any] = {"entity": None, "location": None, "year": None}
            path = rng.choice(LOAD_PAGES)
            query = ""
            time.sleep(rng.uniform(0, LOAD_THINK_S[1]))  # users arrive over the first pause
            timed("page content", path, query, pages.content(path, query))
            timed("page update (opened)", path, query, pages.update(path, query))
            while True:
                pause = rng.uniform(*LOAD_THINK_S)
                if time.perf_counter() + pause > deadline:
                    return
                time.sleep(pause)
                if rng.random() < LOAD_VISITS:
                    path = rng.choice(LOAD_PAGES)
                    timed("page content", path, query, pages.content(path, query))
                    timed("page update (opened)", path, query, pages.update(path, query))
                    continue
                dimension = rng.choice(list(chosen))
                if chosen[dimension] is not None and rng.random() < 0.25:
                    chosen[dimension] = None  # back to all
                else:
                    choices = {
                        "entity": pages.entities,
                        "location": ["HQ", "Field"],
                        "year": pages.years,
                    }[dimension]
                    chosen[dimension] = rng.choice([c for c in choices if c != chosen[dimension]])
                query = FilterState(
                    year=chosen["year"],
                    entity=(chosen["entity"],) if chosen["entity"] else (),
                    location=(chosen["location"],) if chosen["location"] else (),
                ).to_query()
                timed("filter change", path, query, pages.update(path, query))

        client = psutil.Process()
        cpu_before = sum(client.cpu_times()[:2])
        server_before = sum(sum(p.cpu_times()[:2]) for p in psutil.Process(pid).children())
        users = [threading.Thread(target=user, args=(n,), daemon=True) for n in range(LOAD_USERS)]
        for thread in users:
            thread.start()
        for thread in users:
            thread.join(timeout=LOAD_SECONDS + 120)
        elapsed = time.perf_counter() - start
        client_cpu = sum(client.cpu_times()[:2]) - cpu_before
        master = psutil.Process(pid)
        workers = sorted(master.children(), key=lambda p: p.pid)
        server_cpu = sum(sum(p.cpu_times()[:2]) for p in workers) - server_before
        worker_mb = [p.memory_info().rss / 2**20 for p in workers]
        master_mb = master.memory_info().rss / 2**20
        restarted = workers_before != {p.pid for p in workers}

    def p95(values: list[float]) -> float:
        return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else max(values)

    seconds = [s for *_, s, _ in records]
    errors = sum(not answered for *_, answered in records)
    by_kind: dict[str, list[float]] = {}
    by_page: dict[str, list[float]] = {}  # the pages' update callbacks, opened or filtered
    for kind, path, _, s, _ in records:
        by_kind.setdefault(kind, []).append(s)
        if kind != "page content":
            by_page.setdefault(path, []).append(s)
    slowest = max(by_page, key=lambda path: p95(by_page[path]))
    per_kind = "; ".join(f"{k} ({len(v)}) {1000 * p95(v):.0f}" for k, v in sorted(by_kind.items()))
    updates = [(path, query) for kind, path, query, *_ in records if kind != "page content"]
    latency_note = (
        f"p95 ms by action: {per_kind}; slowest page {slowest} {1000 * p95(by_page[slowest]):.0f};"
        f" max {1000 * max(seconds):.0f}; the update callbacks asked for "
        f"{len(set(updates))} distinct views in {len(updates)}"
        " (a worker caches its last 256, up to 64 MB)"
    )
    section = f"{LOAD_USERS} users, {LOAD_SECONDS:g} s, {LOAD_WORKERS} workers"
    results = [
        check(
            "load",
            f"callbacks answered or not ({section})",
            len(records),
            "req",
            None,
            f"{len(records) / elapsed:.1f}/s over {elapsed:.0f} s; CPU: server workers "
            f"{server_cpu:.0f} s, this client {client_cpu:.0f} s, of {os.cpu_count()} cores; "
            f"load average before {machine_load:.1f}",
        ),
        check(
            "load",
            "errors (an answer other than 200, or none)",
            errors,
            "req",
            0.0,
            "; ".join(sorted(set(failures))[:3]),
        ),
        check(
            "load", "callback latency p50 (at the client)", 1000 * statistics.median(seconds), "ms"
        ),
        check(
            "load",
            "callback latency p95 (at the client)",
            1000 * p95(seconds),
            "ms",
            1000.0,
            latency_note,
        ),
    ]
    for n, mb in enumerate(worker_mb, 1):
        note = "a worker was restarted during the run" if restarted else "every page"
        results.append(
            check(
                "load",
                f"worker {n} resident memory at the end",
                mb,
                "MB",
                400.0,
                note,
                at_10m=1024.0,
            )
        )
    results.append(check("load", "gunicorn master resident memory at the end", master_mb, "MB"))
    return results


# -- many grades: 80 grades, 300 duty stations, ~1M rows ------------------------------------
MANY_DB = DATA / "many-grades.db"
MANY_STAFF, MANY_FLOWS = DATA / "many-grades-staff.csv", DATA / "many-grades-flows.csv"
ENTITY_CHANGES = 5  # entity changes timed in the browser (each kind)

# In the browser, the Grades page shows a selection when the grid's title, the pipeline chart's
# subtitle and the grid's first rows are those of that selection and no callback is running.
GRADES_SHOWN = (
    "([title, subtitle, rows]) => {"
    f"  if (!({IDLE})) return false;"
    "  if (document.querySelector('#grades-table-title')?.textContent !== title) return false;"
    "  const plot = document.querySelector('#grades-pipeline .js-plotly-plot');"
    "  if (!plot || !plot.textContent.includes(subtitle)) return false;"
    "  for (const [i, digits] of rows) {"
    "    const cell = document.querySelector('#grades-grid .ag-center-cols-container "
    '.ag-row[row-index="\' + i + \'"] [col-id="total"]\');'
    "    if (!cell || cell.textContent.replace(/\\D/g, '') !== digits) return false;"
    "  }"
    "  return [performance.now() - (window.__benchStart ?? performance.now())];"
    "}"
)
# the time of the first press (on an option of the entity filter) of a timed change
MARK_PRESS = (
    "() => { window.__benchStart = undefined; document.addEventListener('pointerdown', () => {"
    " window.__benchStart ??= performance.now(); }, {capture: true, once: true}); }"
)


def _many_grades_data() -> list[Result]:
    """Generate and import the many-grades store once (deterministic), reuse it afterwards."""
    from bench import many_grades
    from parity.reference import Reference

    reference = Reference.load()
    if not MANY_DB.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        staff, flows = many_grades.generate(reference)
        staff.to_csv(MANY_STAFF, index=False)
        flows.to_csv(MANY_FLOWS, index=False)
        print(
            f"generated {len(staff):,} rows ({staff['entity'].nunique()} entities, "
            f"{staff['grade'].nunique()} grades, {staff['duty_station'].nunique()} duty stations) "
            f"in {time.perf_counter() - start:.1f} s"
        )
        try:
            for path in (MANY_STAFF, MANY_FLOWS):
                run_measured([PYTHON, "-m", "parity", "import", str(path), "--db", _many_url()])
        except BaseException:
            MANY_DB.unlink(missing_ok=True)
            raise
    from parity.frame import load_frame
    from parity.store import Store

    store = Store(_many_url())
    frame = load_frame(store)
    store.dispose()
    people = frame[frame["headcount"] > 0]
    ladder = len(reference.ladder)
    return [
        check("many_grades", "rows in the many-grades store", len(frame), "rows"),
        check(
            "many_grades",
            "distinct grades",
            people["grade"].nunique(),
            "grades",
            note=f"of {ladder} in the reference ladder",
        ),
        check("many_grades", "distinct duty stations", people["duty_station"].nunique(), "st."),
        check("many_grades", "entities", people["entity"].nunique(), "ent."),
    ]


def _many_url() -> str:
    return f"sqlite:///{MANY_DB}"


def _grades_shown(frame: Any, reference: Any, filters: Any) -> list[Any]:
    """What GRADES_SHOWN waits for, from the view the server builds for ``filters``."""
    from parity.privacy import PrivacyRule
    from parity.views.grades import grades

    view = grades(frame, filters, PrivacyRule(5), reference)
    records = view.table.records()
    rows = [
        [i, str(round(total))]
        for i, r in enumerate(records[:8])
        if isinstance(total := r.get("total"), int | float)
    ]
    return [view.table.title, view.pipeline.title.partition(" — ")[2], rows]


def _browser_grades(frame: Any, reference: Any) -> list[Result]:
    """Entity filter changes on /grades in headless Chromium against `parity serve` with the
    many-grades store, timed in the page from the press on the option to the frame where the
    grid and the pipeline chart show the new selection."""
    from playwright.sync_api import sync_playwright

    from parity.filters import FilterState

    names = [str(e) for e in frame["entity"].cat.categories[: ENTITY_CHANGES + 1]]
    shown = {name: _grades_shown(frame, reference, FilterState(entity=(name,))) for name in names}
    everyone = _grades_shown(frame, reference, FilterState())
    picks, switches, clears = [], [], []
    with serve(_many_url()) as (url, _), sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        page = browser.new_page(
            viewport={"width": 1280, "height": 800}, bypass_csp=True
        )  # its waits evaluate scripts
        page.goto(url + "/grades")
        page.wait_for_function(GRADES_SHOWN, arg=everyone, timeout=60000, polling="raf")

        def option(name: str) -> Any:
            return page.get_by_role("option", name=name, exact=True)

        def timed(clicks: list[str], expected: list[Any]) -> float:
            if page.get_attribute("#filter-entity", "aria-expanded") != "true":
                page.click("#filter-entity")
            page.evaluate(MARK_PRESS)
            for name in clicks:
                option(name).click()
            ms = page.wait_for_function(GRADES_SHOWN, arg=expected, timeout=30000, polling="raf")
            return float(ms.json_value()[0])

        for old, new in pairwise(names):
            picks.append(timed([old], shown[old]))  # all entities -> one
            switches.append(timed([new, old], shown[new]))  # one -> another (pick, unpick)
            clears.append(timed([new], everyone))  # one -> all entities
        page.keyboard.press("Escape")
        browser.close()

    def samples(values: list[float]) -> str:
        return "samples " + ", ".join(f"{v:.0f}" for v in values) + " ms"

    n = len(switches)
    return [
        check(
            "many_grades",
            f"browser /grades: switch entity, grid + pipeline repainted (median of {n})",
            statistics.median(switches),
            "ms",
            300.0,
            "pick the new entity, unpick the old one (two filter changes); " + samples(switches),
        ),
        check(
            "many_grades",
            f"browser /grades: all entities -> one entity, repainted (median of {n})",
            statistics.median(picks),
            "ms",
            300.0,
            samples(picks),
        ),
        check(
            "many_grades",
            f"browser /grades: one entity -> all entities, repainted (median of {n})",
            statistics.median(clears),
            "ms",
            300.0,
            samples(clears),
        ),
    ]


def section_many_grades(ctx: Context) -> list[Result]:
    """A store with 80 grades and 300 duty stations (~1M rows): each page's callback as in the
    dashboard section, and entity filter changes on the Grades page in headless Chromium."""
    from parity.frame import load_frame
    from parity.store import Store

    results = _many_grades_data()
    results += time_pages("many_grades", _many_url())
    store = Store(_many_url())
    frame, reference = load_frame(store), store.reference()
    store.dispose()
    results += _browser_grades(frame, reference)
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
    sqlite = ctx.measured.get("sqlite import s")
    ratio = (
        [check("postgres", "PostgreSQL import, ratio to SQLite's", seconds / sqlite, "x", 2.0)]
        if sqlite
        else []
    )
    return [
        *ratio,
        check("postgres", "import of the CSV, end to end (PostgreSQL)", seconds, "s"),
        check("postgres", "import peak resident memory (PostgreSQL)", peak, "MB"),
        check("postgres", "cold load of the analysis frame (PostgreSQL)", load["seconds"], "s"),
    ]


def section_publication(ctx: Context) -> list[Result]:
    """The public publication (issue 20): its computation from the store's frames, and what it
    withholds beyond the small cells, table by table (the share of each table's nonzero cells;
    targets: none withheld of 100 people or more)."""
    from parity.frame import load_flows, load_frame
    from parity.privacy.linked import protect
    from parity.store import Store

    store = Store(ctx.db_url)
    frame, flows = load_frame(store), load_flows(store)
    started = time.perf_counter()
    publication = protect(frame, flows, store.reference(), 5)
    seconds = time.perf_counter() - started
    results = [
        check("publication", "protected publication, every year, staff and flows", seconds, "s",
              60, note=f"{publication.stats['lp_solved']:,} linear programs", at_10m=None),
    ]  # fmt: skip
    big = 0
    for table, (cells, small, secondary, large) in sorted(publication.stats["tables"].items()):
        big += large
        if table.startswith("staff:entity×") or table in ("staff:grade", "staff:duty_station"):
            results.append(
                check(
                    "publication",
                    f"{table}: withheld beyond the small cells",
                    100 * secondary / max(cells, 1),
                    "%",
                    note=f"{cells:,} cells, {small:,} small, {secondary:,} more, "
                    f"{large:,} of 100 people or more",
                )
            )
    flows_tables = {t: v for t, v in publication.stats["tables"].items() if ":" in t}
    for event in ("appointment", "promotion", "separation"):
        cells = sum(v[0] for t, v in flows_tables.items() if t.startswith(f"{event}:"))
        small = sum(v[1] for t, v in flows_tables.items() if t.startswith(f"{event}:"))
        more = sum(v[2] for t, v in flows_tables.items() if t.startswith(f"{event}:"))
        results.append(
            check("publication", f"{event}s, every table: withheld beyond the small cells",
                  100 * more / max(cells, 1), "%",
                  note=f"{cells:,} cells, {small:,} small, {more:,} more")
        )  # fmt: skip
    results.append(
        check("publication", "cells of 100 people (or events) or more withheld", big, "cells", 0)
    )
    store.dispose()
    return results


SECTIONS: dict[str, Callable[[Context], list[Result]]] = {
    "data": section_data,
    "import": section_import,
    "frame": section_frame,
    "cold_start": section_cold_start,
    "correction": section_correction,
    "report": section_report,
    "dashboard": section_dashboard,
    "browser": section_browser,
    "load": section_load,
    "many_grades": section_many_grades,
    "plan": section_plan,
    "briefing": section_briefing,
    "publication": section_publication,
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
