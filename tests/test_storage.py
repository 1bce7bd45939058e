"""The store on a real SQLite file and a real PostgreSQL server: batches, supersession, removal,
refusals that leave the store untouched, and identical results on both."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from parity.analysis import report
from parity.errors import FileRefused, ParityError
from parity.filters import FilterState
from parity.frame import load_flows, load_frame
from parity.importer import parse_file
from parity.storage import Store

V1 = """year,entity,grade,gender,headcount
2024,Alpha,P-4,F,4
2024,Alpha,P-4,M,6
2025,Alpha,P-4,F,5
2025,Alpha,P-4,M,5
2025,Beta,P-3,F,2
2025,Beta,P-3,M,8
"""
# A corrected 2025 file for Alpha only: supersedes Alpha 2025, leaves Alpha 2024 and Beta alone.
V2 = """year,entity,grade,gender,headcount
2025,Alpha,P-4,F,7
2025,Alpha,P-4,M,3
"""


def counts(store: Store) -> dict[tuple[int, str, str], int]:
    frame = load_frame(store)
    grouped = frame.groupby(["year", "entity", "gender"], observed=True)["headcount"].sum()
    return {k: int(v) for k, v in grouped.items() if v}


def load(store: Store, path: Path) -> int:
    return store.import_parsed(parse_file(path, store.reference())).id


def test_batches_supersede_per_entity_and_year(store: Store, write: Callable[..., Path]) -> None:
    first = load(store, write("v1.csv", V1))
    second = load(store, write("v2.csv", V2))
    assert counts(store) == {
        (2024, "Alpha", "F"): 4, (2024, "Alpha", "M"): 6,
        (2025, "Alpha", "F"): 7, (2025, "Alpha", "M"): 3,
        (2025, "Beta", "F"): 2, (2025, "Beta", "M"): 8,
    }  # fmt: skip
    info = store.batch(second)
    assert (info.file_name, info.source_rows, info.stored_rows, info.entities, info.years) == (
        "v2.csv",
        2,
        2,
        1,
        "2025",
    )
    assert len(info.sha256) == 64
    store.remove_batch(second)
    assert counts(store)[(2025, "Alpha", "F")] == 5  # the superseded rows are back
    assert [b.id for b in store.batches()] == [first]


def test_identical_file_is_refused(store: Store, write: Callable[..., Path]) -> None:
    path = write("v1.csv", V1)
    load(store, path)
    with pytest.raises(ParityError, match="already imported as batch 1"):
        load(store, path)
    assert len(store.batches()) == 1


def test_refused_file_leaves_the_store_as_it_was(store: Store, write: Callable[..., Path]) -> None:
    load(store, write("v1.csv", V1))
    before = counts(store)
    bad = write("bad.csv", V2 + "2025,Alpha,P-4,F,-1\n")
    with pytest.raises(FileRefused):
        load(store, bad)
    assert counts(store) == before
    assert len(store.batches()) == 1


def test_database_failure_rolls_the_batch_back(store: Store, write: Callable[..., Path]) -> None:
    load(store, write("v1.csv", V1))
    parsed = parse_file(write("v2.csv", V2), store.reference())
    # the second row breaks a NOT NULL constraint after the first row was written
    broken = parsed.frame.assign(entity=["Alpha", None])
    from dataclasses import replace

    with pytest.raises(ParityError, match="nothing was imported"):
        store.import_parsed(replace(parsed, frame=broken))
    assert len(store.batches()) == 1
    assert counts(store)[(2025, "Alpha", "F")] == 5


def test_flows_and_targets_are_kept_apart(store: Store, write: Callable[..., Path]) -> None:
    load(store, write("v1.csv", V1))
    load(
        store,
        write(
            "flows.csv",
            "year,entity,grade,gender,event,count\n"
            "2025,Alpha,P-4,F,appointment,2\n2025,Alpha,P-4,M,separation,1\n",
        ),
    )
    load(store, write("targets.csv", "entity,grade,year,target_share\nAlpha,P-4,2028,50%\n"))
    assert counts(store)[(2025, "Alpha", "F")] == 5  # a flows batch supersedes no staff rows
    flows = load_flows(store)
    assert flows.groupby("event", observed=True)["count"].sum().to_dict() == {
        "appointment": 2,
        "separation": 1,
    }
    targets = store.read_targets()
    assert targets[["entity", "grade", "year", "target_share", "margin"]].values.tolist() == [
        ["Alpha", "P-4", 2028, 0.5, 0.03]
    ]
    assert [b.kind for b in store.batches()] == ["staff", "flows", "targets"]


@pytest.mark.postgres
@pytest.mark.xdist_group("postgres")
def test_same_report_on_both_databases(tmp_path: Path, write: Callable[..., Path]) -> None:
    import os

    url = os.environ.get("PARITY_TEST_DATABASE_URL")
    if not url:
        pytest.skip("PARITY_TEST_DATABASE_URL is not set")
    import sqlalchemy as sa

    from tests.conftest import _pg_schema_url

    schema = "parity_test_compare"
    admin = sa.create_engine(url)
    with admin.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    stores = [Store(f"sqlite:///{tmp_path / 'a.db'}"), Store(_pg_schema_url(schema))]
    demo = Path(__file__).parent / "e2e" / "data" / "staff.csv"
    reports = []
    try:
        for store in stores:
            load(store, demo)
            load(store, write("v2.csv", V2))
            frame = load_frame(store)
            reports.append(report(frame, FilterState(), ["entity", "grade", "duty_station"]))
    finally:
        for store in stores:
            store.dispose()
        with admin.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
    pd.testing.assert_frame_equal(reports[0], reports[1])
    # Alpha's 2025 rows come from v2.csv (no duty station), Beta's from staff.csv
    assert reports[0][["entity", "grade", "women", "men"]].values.tolist() == [
        ["Alpha", "P-4", 7, 3],
        ["Beta", "P-4", 5, 5],
        ["Beta", "P-3", 9, 6],
    ]


def test_reading_only_some_entities(store: Store, write: Callable[..., Path]) -> None:
    load(store, write("q.csv", V1.replace("Beta", "O'Brien; DROP TABLE counts")))
    only = load_frame(store, ["O'Brien; DROP TABLE counts"])
    assert set(only["entity"]) == {"O'Brien; DROP TABLE counts"}
    assert int(only["headcount"].sum()) == 10
    assert int(load_frame(store)["headcount"].sum()) == 30  # nothing was dropped


def test_a_single_year_store_reads_back(store: Store, write: Callable[..., Path]) -> None:
    """Reads run in parts over disjoint years: one part is empty here."""
    load(
        store,
        write(
            "one.csv",
            "year,entity,grade,gender,headcount,age_band\n2025,A,P-4,F,3,\n2025,A,P-4,M,4,30-39\n",
        ),
    )
    frame = load_frame(store)
    assert frame["headcount"].sum() == 7
    assert frame["age_band"].isna().sum() == 1
