"""The store on a real SQLite file and a real PostgreSQL server: batches and their provenance,
supersession, removal, refusals that leave the store untouched, and identical results on both."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from parity.analysis import projection_report, report
from parity.errors import ParityError
from parity.filters import FilterState
from parity.frame import load_flows, load_frame
from parity.ingest import parse_file
from parity.store import Store
from tests.conftest import DATA, postgres_schema

V1 = """year,entity,grade,gender,headcount
2024,Alpha,P-4,F,4
2024,Alpha,P-4,M,6
2025,Alpha,P-4,F,5
2025,Alpha,P-4,M,5
2025,Alpha,P-3,F,1
2025,Alpha,P-3,M,1
2025,Beta,P-3,F,2
2025,Beta,P-3,M,8
"""
# A corrected 2025 file for Alpha: replaces all of Alpha 2025 (P-3 included), and leaves
# Alpha 2024 and Beta 2025 alone.
V2 = """year,entity,grade,gender,headcount
2025,Alpha,P-4,F,7
2025,Alpha,P-4,M,3
"""
V1_ROWS = [
    (2024, "Alpha", "P-4", "F", 4), (2024, "Alpha", "P-4", "M", 6),
    (2025, "Alpha", "P-3", "F", 1), (2025, "Alpha", "P-3", "M", 1),
    (2025, "Alpha", "P-4", "F", 5), (2025, "Alpha", "P-4", "M", 5),
    (2025, "Beta", "P-3", "F", 2), (2025, "Beta", "P-3", "M", 8),
]  # fmt: skip


def active(store: Store) -> list[tuple[int, str, str, str, int]]:
    """The active rows, sorted: (year, entity, grade, gender, headcount)."""
    frame = load_frame(store)
    rows = frame[["year", "entity", "grade", "gender", "headcount"]].astype(object).values
    return sorted((int(y), e, g, s, int(n)) for y, e, g, s, n in rows)


def batch_list(store: Store) -> list[tuple[object, ...]]:
    return [
        (b.id, b.kind, b.file_name, b.source_rows, b.stored_rows, b.entities, b.years)
        for b in store.batches()
    ]


def load(store: Store, path: Path) -> int:
    return store.import_parsed(parse_file(path, store.reference())).id


def test_a_batch_records_its_provenance(store: Store, write: Callable[..., Path]) -> None:
    path = write("v1.csv", V1 + "2025,Beta,p3,Woman,1\n")  # same key as a row above: summed
    before = datetime.now(UTC)
    info = store.import_parsed(parse_file(path, store.reference()))
    after = datetime.now(UTC)
    assert (info.id, info.kind, info.file_name, info.source_rows, info.stored_rows) == (
        1,
        "staff",
        "v1.csv",
        9,
        8,
    )
    assert (info.entities, info.years) == (2, "2024-2025")
    assert info.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert info.imported_at.utcoffset() == timedelta(0)
    assert before - timedelta(seconds=1) <= info.imported_at <= after + timedelta(seconds=1)
    assert store.batches() == [info]
    assert (2025, "Beta", "P-3", "F", 3) in active(store)


def test_a_batch_supersedes_each_entity_and_year_it_holds(
    store: Store, write: Callable[..., Path]
) -> None:
    load(store, write("v1.csv", V1))
    second = load(store, write("v2.csv", V2))
    assert active(store) == [
        (2024, "Alpha", "P-4", "F", 4), (2024, "Alpha", "P-4", "M", 6),  # batch 1
        (2025, "Alpha", "P-4", "F", 7), (2025, "Alpha", "P-4", "M", 3),  # batch 2 (no P-3)
        (2025, "Beta", "P-3", "F", 2), (2025, "Beta", "P-3", "M", 8),  # batch 1
    ]  # fmt: skip
    assert batch_list(store) == [
        (1, "staff", "v1.csv", 8, 8, 2, "2024-2025"),
        (2, "staff", "v2.csv", 2, 2, 1, "2025"),
    ]
    removed = store.remove_batch(second)
    assert removed.file_name == "v2.csv"
    assert active(store) == V1_ROWS  # the superseded rows are back
    assert batch_list(store) == [(1, "staff", "v1.csv", 8, 8, 2, "2024-2025")]


def test_removing_the_older_batch_keeps_the_newer(store: Store, write: Callable[..., Path]) -> None:
    first = load(store, write("v1.csv", V1))
    load(store, write("v2.csv", V2))
    store.remove_batch(first)
    assert active(store) == [(2025, "Alpha", "P-4", "F", 7), (2025, "Alpha", "P-4", "M", 3)]
    with pytest.raises(ParityError, match=r"^there is no batch 1 \(see 'parity batches'\)$"):
        store.remove_batch(first)


def test_an_identical_file_is_refused(store: Store, write: Callable[..., Path]) -> None:
    load(store, write("v1.csv", V1))
    with pytest.raises(ParityError) as caught:
        load(store, write("copy.csv", V1))  # same bytes, another name
    assert str(caught.value) == (
        "copy.csv: this exact file is already imported as batch 1; nothing was imported "
        "(remove that batch first to import it again)"
    )
    assert batch_list(store) == [(1, "staff", "v1.csv", 8, 8, 2, "2024-2025")]
    assert store.version() == (1, 1, 0, 0)
    store.remove_batch(1)
    # once removed it can come back, under a new number (never a removed batch's number)
    assert load(store, write("copy.csv", V1)) == 2
    assert store.version() == (1, 2, 0, 0)


def test_a_database_failure_rolls_the_batch_back(store: Store, write: Callable[..., Path]) -> None:
    load(store, write("v1.csv", V1))
    parsed = parse_file(write("v2.csv", V2), store.reference())
    # the second row breaks a NOT NULL constraint after the first row went through
    broken = replace(parsed, frame=parsed.frame.assign(entity=["Alpha", None]))
    with pytest.raises(ParityError, match=r"^v2\.csv: the database refused the batch, nothing"):
        store.import_parsed(broken)
    assert batch_list(store) == [(1, "staff", "v1.csv", 8, 8, 2, "2024-2025")]
    assert active(store) == V1_ROWS


def test_an_empty_store_reads_as_an_empty_frame(store: Store, write: Callable[..., Path]) -> None:
    frame = load_frame(store)
    assert len(frame) == 0
    assert list(report(frame, FilterState(), ["entity"]).columns[:3]) == ["entity", "women", "men"]
    assert len(report(frame, FilterState(), ["entity"])) == 0
    load(store, write("v1.csv", V1))
    assert len(load_frame(store, ["Nobody"])) == 0


def test_reading_only_some_entities(store: Store, write: Callable[..., Path]) -> None:
    name = "O'Brien; DROP TABLE counts"
    load(store, write("q.csv", V1.replace("Beta", name)))
    only = load_frame(store, [name])
    assert set(only["entity"]) == {name}
    assert int(only["headcount"].sum()) == 10
    assert int(load_frame(store)["headcount"].sum()) == 32  # nothing was dropped


def test_missing_optional_values_read_back_as_missing(
    store: Store, write: Callable[..., Path]
) -> None:
    """One year only, so one of the parallel reads of the SQLite store is empty."""
    load(
        store,
        write(
            "one.csv",
            "year,entity,grade,gender,headcount,age_band\n2025,A,P-4,F,3,\n2025,A,P-4,M,4,30-39\n",
        ),
    )
    by_gender = load_frame(store).set_index("gender")
    assert by_gender["headcount"].to_dict() == {"F": 3, "M": 4}
    assert pd.isna(by_gender.loc["F", "age_band"])
    assert by_gender.loc["M", "age_band"] == "30-39"


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
    assert active(store) == V1_ROWS  # a flows batch supersedes no staff rows
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
def test_same_results_on_sqlite_and_postgresql(tmp_path: Path, write: Callable[..., Path]) -> None:
    correction = write("alpha-2025.csv", V2)
    # names that CSV quoting, SQL quoting and encodings could each get wrong
    awkward = write(
        "awkward.csv",
        "year,entity,grade,gender,headcount,duty_station\n"
        '2025,"Cité ""Nord"", Inc.",P-4,F,2,Genève\n'
        "2025,O'Brien,P-4,M,1,\\N\n",
    )
    results = []
    with postgres_schema() as pg_url:
        for url in (f"sqlite:///{tmp_path / 'same.db'}", pg_url):
            store = Store(url)
            try:
                load(store, DATA / "staff.csv")
                load(store, correction)
                load(store, awkward)
                frame = load_frame(store)
                results.append(
                    (
                        report(frame, FilterState(), ["entity", "grade", "duty_station"]),
                        report(frame, FilterState(), ["year", "location"]),
                        projection_report(frame, FilterState(), ["entity"], window=10),
                        [replace(b, imported_at=None) for b in store.batches()],
                    )
                )
            finally:
                store.dispose()
    sqlite, postgresql = results
    for left, right in zip(sqlite[:3], postgresql[:3], strict=True):
        pd.testing.assert_frame_equal(left, right)
    assert sqlite[3] == postgresql[3]
    # Alpha's 2025 rows come from the correction (no duty station), Beta's from staff.csv
    by_station = sqlite[0].fillna({"duty_station": "-"})
    assert by_station[["entity", "grade", "duty_station", "women", "men"]].values.tolist() == [
        ["Alpha", "P-4", "-", 7, 3],
        ["Beta", "P-4", "Nairobi", 5, 5],
        ["Beta", "P-3", "Nairobi", 9, 6],
        ['Cité "Nord", Inc.', "P-4", "Genève", 2, 0],
        ["O'Brien", "P-4", "\\N", 0, 1],
    ]
