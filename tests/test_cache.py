"""The view cache. A worker's own cache keeps the latest views within a byte budget (issue 12:
a worker's memory may not grow with the size of the views). Shared through Redis, a view is
stored as signed data, never a pickle: every page's view comes back equal, field by field and
dtype by dtype; an entry that is a pickle, unsigned, signed with another key, moved to another
key or naming a class outside the view models is a miss, and nothing in it is run."""

from __future__ import annotations

import dataclasses
import importlib
import json
import math
import pickle
import pkgutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import parity.views
from parity.filters import FilterState
from parity.frame import load_flows, load_frame
from parity.ingest import parse_file
from parity.outlook import Flows, Outlook
from parity.privacy.linked import public_rule
from parity.projections import Projection
from parity.store import Store
from parity.views import base
from parity.views.base import Chart, Column, Selection, Stat, Table
from parity.views.data import data_table
from parity.views.entities import entities
from parity.views.flows import flows
from parity.views.grades import grades
from parity.views.overview import overview
from parity.views.planning.scenario import Outcome, Scenario
from parity.views.planning.view import planning
from parity.views.stations import stations
from parity.views.trends import DEFAULT_WINDOW, trends
from parity.web import cache
from parity.web.cache import MAC_BYTES, ViewCache
from parity.web.cache.decoding import decode
from parity.web.cache.encoding import encode
from parity.web.cache.registry import FORMAT, REGISTRY, Refused

E2E_DATA = Path(__file__).parent / "e2e" / "data"
QUERIES = ["", "entity=Alpha", "year=2024", "entity=Beta&grade=P-4"]
MIN_CELLS = (5, 0)  # the public rule, and a focal point's exact one


def test_the_oldest_views_leave_when_the_budget_is_spent(monkeypatch: pytest.MonkeyPatch) -> None:
    view = "x" * 300  # each view below: this and one digit, all of one pickled size
    size = len(pickle.dumps(view + "0", protocol=pickle.HIGHEST_PROTOCOL))
    monkeypatch.setattr(cache, "LOCAL_BYTES", 4 * size)  # room for four such views
    views = ViewCache(None)
    for n in range(6):
        views.put(f"k{n}", view + str(n))
    assert [views.get(f"k{n}") is not None for n in range(6)] == [False] * 2 + [True] * 4
    views.get("k2")  # read: now the latest, k3 the oldest
    views.put("k6", view + "6")
    assert views.get("k2") is not None and views.get("k3") is None
    views.put("big", "y" * (2 * size))  # over a quarter of the budget: not kept
    assert views.get("big") is None and views.get("k6") is not None


# --- views as the pages build them ----------------------------------------------------------


@dataclasses.dataclass
class Pages:
    """Every view the cached pages build, for QUERIES under MIN_CELLS, from the e2e data
    files."""

    views: dict[str, list[Any]]


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pages]:
    path = tmp_path_factory.mktemp("cache") / "a.db"
    store = Store(f"sqlite:///{path}")
    for name in ("staff.csv", "flows.csv"):
        store.import_parsed(parse_file(E2E_DATA / name, store.reference()))
    frame, flow_frame, reference = load_frame(store), load_flows(store), store.reference()
    targets = store.read_targets()
    rules = [public_rule(frame, flow_frame, reference, m) for m in MIN_CELLS]

    def flows_page(frame: Any, filters: Any, rule: Any, reference: Any) -> Any:
        return flows(frame, flow_frame, filters, rule, reference)  # the Flows page's build

    def planning_page(frame: Any, filters: Any, rule: Any, reference: Any) -> Any:
        return planning(frame, flow_frame, targets, filters, Scenario(), rule, reference)

    def data_page(frame: Any, filters: Any, rule: Any, reference: Any) -> Any:
        return data_table(frame, filters, ["year", "entity", "grade"], rule, reference)

    builders: dict[str, tuple[Callable[..., Any], dict[str, Any]]] = {
        "overview": (overview, {}),
        "grades": (grades, {}),
        "stations": (stations, {}),
        "entities": (entities, {}),
        "trends": (trends, {"by": "category", "window": DEFAULT_WINDOW, "method": "increment"}),
        "trends-grade-ols": (trends, {"by": "grade", "window": 2, "method": "ols"}),
        "flows": (flows_page, {}),
        "planning": (planning_page, {}),  # not cached by its page: every view model class
        "data": (data_page, {}),
    }
    views = {
        name: [
            build(frame, FilterState.from_query(q), rule, reference, **options)
            for q in QUERIES
            for rule in rules
        ]
        for name, (build, options) in builders.items()
    }
    yield Pages(views)
    store.dispose()


def assert_same(a: Any, b: Any, path: str = "view") -> None:
    """``b`` equals ``a``: the same types throughout, dataclasses field by field, frames with
    their dtypes, index, column labels, attrs and each cell's type."""
    assert type(a) is type(b), f"{path}: {type(a)} != {type(b)}"
    if dataclasses.is_dataclass(a):
        for field in dataclasses.fields(a):
            assert_same(getattr(a, field.name), getattr(b, field.name), f"{path}.{field.name}")
    elif isinstance(a, pd.DataFrame):
        assert_frame_equal(
            a, b, check_exact=True, check_index_type=True, check_column_type=True, obj=path
        )
        for i in range(a.shape[1]):
            for x, y in zip(a.iloc[:, i].tolist(), b.iloc[:, i].tolist(), strict=True):
                assert type(x) is type(y), f"{path}[{a.columns[i]!r}]: {x!r} != {y!r}"
        assert_same(a.attrs, b.attrs, f"{path}.attrs")
    elif isinstance(a, dict):
        assert list(a) == list(b), path
        for key in a:
            assert_same(a[key], b[key], f"{path}[{key!r}]")
    elif isinstance(a, list | tuple):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_same(x, y, f"{path}[{i}]")
    elif isinstance(a, float | np.floating) and np.isnan(a):
        assert np.isnan(b), path
    elif a is pd.NA:
        assert b is pd.NA, path
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"


@pytest.mark.parametrize(
    "page",
    [
        "overview",
        "grades",
        "stations",
        "entities",
        "trends",
        "trends-grade-ols",
        "flows",
        "planning",
        "data",
    ],
)
def test_every_page_view_comes_back_equal(pages: Pages, page: str) -> None:
    for view in pages.views[page]:
        payload = encode(view)
        assert not payload.startswith(b"\x80")  # not a pickle: a JSON document
        assert json.loads(payload)["format"] == FORMAT
        assert_same(view, decode(payload))


def test_the_views_hold_tables_with_rows_and_withheld_cells(pages: Pages) -> None:
    """The round trips above are not of empty frames only."""
    tables = [view.table.rows for name in ("grades", "entities") for view in pages.views[name]]
    assert any(len(t) > 1 for t in tables)
    assert any(t["hidden"].notna().any() for t in tables if "hidden" in t)


def test_every_kind_of_value_and_column_comes_back_equal() -> None:
    """What the pages' views do not all hold today, but a view may: categorical columns,
    objects mixing strings, None and NaN, nullable dtypes, numpy scalars, tuples, dicts with
    keys other than strings, non-finite floats, attrs, an index of labels."""
    n = 4
    frame = pd.DataFrame(
        {
            "grade": pd.Categorical(["P-4", "D-1", None, "P-4"], categories=["P-4", "D-1", "G"]),
            "level": pd.Categorical([1, 2, 2, 1], categories=[2, 1], ordered=True),
            "note": np.array(["a", None, float("nan"), ("x", 1)], dtype=object),
            "mixed": np.array([1, 2.5, True, pd.NA], dtype=object),
            "flag": np.array([True, False, True, True]),
            "small": np.array([1, 2, 3, 4], dtype=np.int32),
            "share": np.array([0.5, np.nan, np.inf, -0.0]),
            "count": pd.array([1, None, 3, 4], dtype="Int64"),
            "rate": pd.array([0.25, None, 1.0, 2.0], dtype="Float64"),
            "yes": pd.array([True, None, False, True], dtype="boolean"),
            "name": pd.array(["a", None, "c", "d"], dtype="str"),
            "python": pd.array(["a", None, "c", "d"], dtype=pd.StringDtype("python")),
            "na": pd.array(["a", None, "c", "d"], dtype=pd.StringDtype("pyarrow", pd.NA)),
            "when": np.array(["2024-01-01", "2025-06-30", "2025-12-31", "2026-01-01"], "M8[s]"),
        },
        index=pd.Index(["w", "x", "y", "z"], name="row"),
    )
    frame.attrs["kinds"] = {"Women": "count", "Share": "share"}
    numbered = pd.DataFrame({1: [1.0, 2.0], (2, "b"): ["x", "y"]}, index=pd.Index([2024, 2025]))
    chart = Chart(
        frame,
        "title",
        "note",
        extra={
            "numpy": (np.int64(3), np.float64(0.5), np.bool_(True), np.float32(np.nan)),
            "floats": [math.inf, -math.inf, math.nan, 1.0, 0],
            "keys": {2024: "year", ("a", 1): None, None: [], 1.5: {"nested": ("t",)}},
            "frames": [numbered, pd.DataFrame(), frame.iloc[:0], frame[[]]],
            "na": pd.NA,
        },
    )
    assert len(frame) == n
    back = decode(encode(chart))
    assert_same(chart, back)
    assert back.data["level"].cat.ordered and back.data["note"].iloc[3] == ("x", 1)
    assert back.data["note"].iloc[1] is None and back.data["mixed"].iloc[3] is pd.NA


def test_a_table_is_not_translated_again(pages: Pages, monkeypatch: pytest.MonkeyPatch) -> None:
    """Table.__post_init__ translates headers and the empty message: a decoded Table holds them
    as they were stored, whatever the language of the request that reads it."""
    view = pages.views["grades"][0]
    payload = encode(view)
    monkeypatch.setattr(base, "_", lambda text: f"again: {text}")
    assert Table("t", (Column("k", "Women"),), pd.DataFrame()).columns[0].header == "again: Women"
    back = decode(payload)
    assert_same(view, back)
    assert not any(c.header.startswith("again") for c in back.table.columns)
    assert not back.table.empty.startswith("again")


def test_the_registry_holds_every_view_model_and_nothing_else() -> None:
    defined = {
        cls
        for module in pkgutil.walk_packages(parity.views.__path__, "parity.views.")
        for cls in vars(importlib.import_module(module.name)).values()
        if dataclasses.is_dataclass(cls) and cls.__module__ == module.name
    }
    # Selection is a request's filters applied, Outcome a scenario's run: neither is shown; an
    # outlook (parity.outlook) and its trend's projection are held by the Overview's view model
    assert set(REGISTRY.values()) == (defined - {Selection, Outcome}) | {Outlook, Flows, Projection}
    assert all(name == f"{c.__module__}.{c.__qualname__}" for name, c in REGISTRY.items())


def refused(payload: dict[str, Any]) -> bool:
    with pytest.raises((Refused, KeyError, TypeError, ValueError)):
        decode(json.dumps(payload).encode())
    return True


def test_the_decoder_makes_only_view_models() -> None:
    stat = json.loads(encode(Stat("label", "1", "note", "anchor")))
    assert decode(json.dumps(stat).encode()) == Stat("label", "1", "note", "anchor")
    for name in ("subprocess.Popen", "builtins.eval", "parity.settings.Settings"):
        assert refused({**stat, "value": {**stat["value"], "class": name}})
    selection = "parity.views.base.Selection"  # a dataclass of parity.views, not a view model
    assert refused({**stat, "value": {**stat["value"], "class": selection}})
    extra = {**stat["value"]["fields"], "more": 1}
    assert refused({**stat, "value": {**stat["value"], "fields": extra}})
    assert refused({**stat, "value": {"$": "pickle", "v": "gASV"}})
    assert refused({"format": "parity-view/0", "value": stat["value"]})
    with pytest.raises(Refused):
        decode(b'{"format": "parity-view/1", "value": NaN}')


# --- shared through Redis -------------------------------------------------------------------


@dataclasses.dataclass
class Redis:
    url: str
    client: Any
    prefix: str  # this test's own keys

    def key(self, name: str) -> str:
        return self.prefix + name


@pytest.fixture()
def redis() -> Iterator[Redis]:
    module = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/0"
    client = module.Redis.from_url(url)
    try:
        client.ping()
    except module.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    shared = Redis(url, client, f"parity:test-cache:{uuid.uuid4().hex}:")
    yield shared
    for key in client.scan_iter(match=shared.prefix + "*"):
        client.delete(key)
    client.close()


SECRET = "s" * 40


def signed(views: ViewCache, key: str, payload: bytes) -> bytes:
    """An entry as ``views`` would sign ``payload`` under ``key``."""
    return views._mac(key, payload) + payload


def test_workers_with_one_secret_share_every_page_view(pages: Pages, redis: Redis) -> None:
    writer, reader = ViewCache(redis.url, SECRET), ViewCache(redis.url, SECRET)
    stranger, unkeyed = ViewCache(redis.url, "another secret"), ViewCache(redis.url)
    for page, views in pages.views.items():
        for n, view in enumerate(views):
            key = redis.key(f"{page}-{n}")
            writer.put(key, view)
            assert_same(view, reader.get(key), f"{page}[{n}]")
            assert stranger.get(key) is None and unkeyed.get(key) is None
    blob = redis.client.get(redis.key("overview-0"))
    assert json.loads(blob[MAC_BYTES:])["format"] == FORMAT  # data, not a pickle
    assert 0 < redis.client.ttl(redis.key("overview-0")) <= cache.TTL_SECONDS


def test_without_a_secret_a_cache_trusts_only_itself(pages: Pages, redis: Redis) -> None:
    view, key = pages.views["grades"][0], redis.key("own")
    one, two = ViewCache(redis.url), ViewCache(redis.url)
    one.put(key, view)
    assert_same(view, one.get(key))
    assert two.get(key) is None
    assert ViewCache(redis.url, b"bytes key").get(key) is None


class Plant:
    """A pickle that, loaded, creates the file ``marker``."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return Path.touch, (self.marker,)


def test_a_planted_pickle_is_never_loaded(pages: Pages, redis: Redis, tmp_path: Path) -> None:
    proof = tmp_path / "proof"
    pickle.loads(pickle.dumps(Plant(proof)))
    assert proof.exists()  # the plant works: loaded, it runs
    marker = tmp_path / "planted"
    plant = pickle.dumps(Plant(marker))
    views, key = ViewCache(redis.url, SECRET), redis.key("planted")
    for blob in (plant, b"\0" * MAC_BYTES + plant, signed(views, key, plant)):
        redis.client.set(key, blob)
        assert views.get(key) is None
        assert not marker.exists()
    views.put(key, pages.views["overview"][0])  # the key is the cache's again
    assert views.get(key) is not None


def test_unsigned_moved_or_altered_entries_are_refused(pages: Pages, redis: Redis) -> None:
    views = ViewCache(redis.url, SECRET)
    view, key = pages.views["grades"][0], redis.key("grades")
    views.put(key, view)
    blob = redis.client.get(key)
    mac, payload = blob[:MAC_BYTES], blob[MAC_BYTES:]
    altered = payload.replace(b'"value":"', b'"value":"9', 1)  # a planted figure (a Stat)
    assert altered != payload
    plants = {
        "no MAC": payload,
        "a MAC of zeros": b"\0" * MAC_BYTES + payload,
        "another secret's MAC": signed(ViewCache(None, "another secret"), key, payload),
        "altered figures": mac + altered,
        "short": mac[:10],
        "empty": b"",
    }
    for name, plant in plants.items():
        redis.client.set(key, plant)
        assert views.get(key) is None, name
    # an exact view moved to the key of another rule (or page): signed for its own key only
    moved = redis.key("grades-public")
    redis.client.set(moved, blob)
    assert views.get(moved) is None
    redis.client.set(key, signed(views, key, altered))  # only the MAC kept the figures out
    assert views.get(key).stats[0].value.startswith("9")


def test_signed_entries_that_do_not_decode_are_misses(redis: Redis) -> None:
    views = ViewCache(redis.url, SECRET)
    key = redis.key("signed")
    stat = json.loads(encode(Stat("label", "1", "note", "anchor")))
    outside = {**stat, "value": {**stat["value"], "class": "subprocess.Popen"}}
    for payload in (
        json.dumps(outside).encode(),
        b"\xff\xfe not UTF-8",
        b"[1, 2",
        b'{"format": "parity-view/1"}',
        json.dumps({"format": FORMAT, "value": {"$": "frame", "rows": -1}}).encode(),
    ):
        redis.client.set(key, signed(views, key, payload))
        assert views.get(key) is None


def test_a_view_the_format_cannot_hold_is_served_but_not_shared(redis: Redis) -> None:
    views, key = ViewCache(redis.url, SECRET), redis.key("odd")
    views.put(key, Chart(pd.DataFrame(), "title", extra={"odd": object()}))
    assert views.get(key) is None and redis.client.get(key) is None
