"""Two processes writing to one store at the same moment (issue 9), on a real SQLite file and a
real PostgreSQL server: the identical file lands once, the other process is told it is already
imported. On SQLite, two different files at once both land, the second waiting its turn.

Each import is a real ``python -m parity import FILE --db URL`` process. A small hook, run before
the command line, holds every process at a barrier (files in a directory) after the file has
been read and validated, just before ``Store.import_parsed``, so that the writes start together.
The hook also records what the quick duplicate lookup before the import transaction saw, and
when the import started and ended: the test asserts the imports overlapped, and for the
identical file that both processes got past that lookup (so only the check inside the locked
transaction can have stopped the second).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from parity.reference import Reference
from parity.store import Store

ROWS = 300_000  # large enough that writing one batch takes a good fraction of a second
PARTIES = 2

# Runs in each child, then the real command line. argv: sync directory, then parity's arguments.
HOOK = """
import json, os, sys, time
from pathlib import Path

from parity import store as storage
from parity.cli import main

sync = Path(sys.argv[1])
record = {"pid": os.getpid(), "prechecks": []}
find_batch_by_sha = storage.Store.find_batch_by_sha
import_parsed = storage.Store.import_parsed


def find(self, sha256):
    found = find_batch_by_sha(self, sha256)
    record["prechecks"].append(found)
    return found


def hold_then_import(self, parsed, progress=False, **records):
    (sync / f"{os.getpid()}.ready").touch()
    deadline = time.monotonic() + 30
    while len(list(sync.glob("*.ready"))) < int(os.environ["PARTIES"]):
        if time.monotonic() > deadline:
            raise SystemExit("barrier: the other process never arrived")
        time.sleep(0.001)
    record["started"] = time.time()
    try:
        return import_parsed(self, parsed, progress, **records)
    finally:
        record["ended"] = time.time()
        (sync / f"{os.getpid()}.json").write_text(json.dumps(record))


storage.Store.find_batch_by_sha = find
storage.Store.import_parsed = hold_then_import
raise SystemExit(main(sys.argv[2:]))
"""


@dataclass
class Outcome:
    status: int
    out: str
    err: str
    record: dict[str, Any]


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """ROWS distinct staffing counts: 25 years x 500 entities x 12 grades x 2 genders."""
    grades = Reference.load().grades["grade"].tolist()[:12]
    entities = [f"Entity {i:03d}" for i in range(ROWS // (25 * len(grades) * 2))]
    frame = pd.MultiIndex.from_product(
        [range(2001, 2026), entities, grades, ["F", "M"]],
        names=["year", "entity", "grade", "gender"],
    ).to_frame(index=False)
    frame["headcount"] = np.arange(len(frame)) % 7 + 1
    assert len(frame) == ROWS
    path = tmp_path_factory.mktemp("concurrency") / "big.csv"
    frame.to_csv(path, index=False)
    return path


def import_at_once(files: list[Path], url: str, sync: Path) -> list[Outcome]:
    """Run ``parity import FILE --db URL`` for each file, all at once; wait for all of them."""
    sync.mkdir()
    # exact figures: no public publication to protect after each import (its cost, on 500
    # entities of small groups, is not what these tests time)
    env = {k: v for k, v in os.environ.items() if k != "PARITY_DEBUG"} | {
        "PARTIES": str(len(files)),
        "PARITY_PUBLIC": "0",
    }
    children = [
        subprocess.Popen(
            [sys.executable, "-c", HOOK, str(sync), "import", str(f), "--db", url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for f in files
    ]
    outcomes = []
    for child in children:
        out, err = child.communicate(timeout=120)
        record_file = sync / f"{child.pid}.json"
        record = json.loads(record_file.read_text()) if record_file.exists() else {}
        outcomes.append(Outcome(child.returncode, out, err, record))
    return outcomes


def assert_overlapped(outcomes: list[Outcome]) -> None:
    """Every import started before any of them ended."""
    started = [o.record["started"] for o in outcomes]
    ended = [o.record["ended"] for o in outcomes]
    assert max(started) < min(ended), (started, ended)


@pytest.mark.slow
def test_the_same_file_at_once_lands_once(db_url: str, big_csv: Path, tmp_path: Path) -> None:
    outcomes = import_at_once([big_csv, big_csv], db_url, tmp_path / "sync")
    for o in outcomes:
        assert "Traceback" not in o.err and "unexpected error" not in o.err, o.err
        assert "locked" not in o.err, o.err
    assert sorted(o.status for o in outcomes) == [0, 2], [(o.status, o.err) for o in outcomes]
    won = next(o for o in outcomes if o.status == 0)
    lost = next(o for o in outcomes if o.status == 2)
    assert won.err == "" and won.out.startswith("imported batch 1: big.csv, 300,000 rows read")
    assert lost.out == ""
    assert lost.err == (
        "parity: big.csv: this exact file is already imported as batch 1; nothing was imported "
        "(remove that batch first to import it again)\n"
    )
    # the race was real: both got past the lookup before the import transaction, and the
    # imports ran at the same time; only the check inside the locked transaction stopped one
    prechecks = [o.record["prechecks"] for o in outcomes]
    assert prechecks == [[None], [None]], f"the race was not exercised: {prechecks}"
    assert_overlapped(outcomes)

    store = Store(db_url)
    try:
        assert [(b.id, b.file_name, b.stored_rows) for b in store.batches()] == [
            (1, "big.csv", ROWS)
        ]
        assert store.read_active_counts().num_rows == ROWS  # nothing of the refused import
    finally:
        store.dispose()


@pytest.mark.slow
def test_two_different_files_at_once_both_land_on_sqlite(big_csv: Path, tmp_path: Path) -> None:
    """The second writer waits for the first one's lock: no 'database is locked'."""
    db_url = f"sqlite:///{tmp_path / 'parity.db'}"
    other = tmp_path / "other.csv"
    # the same counts for another entity: another file, and nothing superseded
    other.write_text(big_csv.read_text().replace("Entity ", "Other "))
    outcomes = import_at_once([big_csv, other], db_url, tmp_path / "sync")
    for o in outcomes:
        assert (o.status, o.err) == (0, ""), o.err
    assert_overlapped(outcomes)
    assert sorted(o.out.split(":")[0] for o in outcomes) == ["imported batch 1", "imported batch 2"]

    store = Store(db_url)
    try:
        assert sorted((b.file_name, b.stored_rows) for b in store.batches()) == [
            ("big.csv", ROWS),
            ("other.csv", ROWS),
        ]
        assert store.read_active_counts().num_rows == 2 * ROWS
    finally:
        store.dispose()
