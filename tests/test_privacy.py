"""Public mode under attack: the small-cell rule (parity.privacy) on hand-made tables, then every
page, download and briefing of a hostile data set read back and searched for small groups.

The hostile data (STAFF below), 2025, women/men:

    Big   94 (48/46)  New York (HQ)  D-1 3/4, P-4 12/13, P-3 10/10, G-5 15/10   77 (40/37)
                      Geneva (HQ)    P-4 6/6, P-2 1/2                          15 (7/8)
                      Juba (field)   P-3 1/1                                    2 (1/1)
    Mid   57 (26/31)  Nairobi (HQ)   P-4 10/12, G-5 8/9, D-1 1/3               43 (19/24)
                      Kabul (field)  P-3 6/7                                   13 (6/7)
                      Dakar (field)  P-3 1/0                                    1 (1/0)
    Tiny   4 (1/3)    Vienna (HQ)    P-3 1/3                                    4 (1/3)
    all  155 (75/80)

so the small groups (1 to 4 people) are a small entity (Tiny, 25.0% women), a small grade in a
big entity (Big's P-2, 3 people, the only P-2s), a small grade in a middling one (Mid's D-1, 4),
small duty stations (Dakar 1, Juba 2, Vienna 4) and a field location with 2 people (Big's field,
which is Juba). 2024 is much the same, one or two people fewer. Expected small groups are
computed here from the CSV text, never from the product.

The last tests are marked xfail(strict=True): each is a leak found while writing this file, worked
out by hand from figures the product publishes (see their docstrings). They pass (xfail) while
the leak is there and fail (XPASS) once it is fixed, so that the mark is then removed.
"""

from __future__ import annotations

import base64
import io
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from plotly.io.json import to_json_plotly

from parity.briefing import build_briefing, write_briefing
from parity.errors import ParityError
from parity.filters import FilterState
from parity.frame import load_flows, load_frame
from parity.importer import parse_file
from parity.metrics import parity_metrics
from parity.privacy import HIDDEN, HIDDEN_TEXT, SECONDARY, SMALL, PrivacyRule
from parity.reference import Reference
from parity.storage import Store
from parity.views.base import PARENTS, at_parity_words
from parity.views.data import data_table
from parity.views.entities import entities as entities_view
from parity.views.flows import flows as flows_view
from parity.views.grades import grades as grades_view
from parity.views.overview import overview as overview_view
from parity.views.planning import Scenario
from parity.views.planning import planning as planning_view
from parity.views.stations import stations as stations_view
from parity.views.trends import trends as trends_view
from parity.web.pages import data as data_page
from parity.web.pages import entities as entities_page
from parity.web.pages import flows as flows_page
from parity.web.pages import grades as grades_page
from parity.web.pages import overview as overview_page
from parity.web.pages import planning as planning_page
from parity.web.pages import stations as stations_page
from parity.web.pages import trends as trends_page

needs_chromium = pytest.mark.skipif(
    not Path("/usr/bin/chromium").exists(),
    reason="static charts need Chromium at /usr/bin/chromium (make browsers)",
)
RULE = PrivacyRule(5)
# one worker builds the hostile store, its pages and briefings once (make test: --dist loadgroup)
pytestmark = pytest.mark.xdist_group("privacy")


# -- 1. the rule on hand-made tables --------------------------------------------------------


def metrics(rows: list[tuple[Any, ...]], dims: list[str]) -> pd.DataFrame:
    """A metrics table as the views make one: one row per group (dims..., women, men)."""
    counts = pd.DataFrame(rows, columns=[*dims, "women", "men"]).assign(other=0)
    return parity_metrics(counts)


def withheld(table: pd.DataFrame, dims: list[str]) -> dict[Any, str]:
    """Group (a value, or a tuple of values) -> why it is withheld, for the withheld rows."""
    out = {}
    for _, row in table[table[HIDDEN].notna()].iterrows():
        key = tuple(row[d] for d in dims)
        out[key[0] if len(key) == 1 else key] = row[HIDDEN]
    return out


def test_one_small_cell_takes_the_smallest_nonempty_other_cell_with_it() -> None:
    table = metrics([("A", 1, 2), ("B", 0, 0), ("C", 6, 6), ("D", 4, 3), ("E", 15, 15)], ["grade"])
    out = PrivacyRule(5).protect(table, ["grade"])
    # A has 3 people: small. B has 0: empty, neither small nor a partner. Were A alone withheld,
    # the total (52) less C (12), D (7) and E (30) would give it: D, the smallest non-empty other
    # cell, is withheld too; then the breakdown has two withheld cells and stops.
    assert withheld(out, ["grade"]) == {"A": SMALL, "D": SECONDARY}
    rows = out.set_index("grade")
    assert rows.loc["A", HIDDEN_TEXT] == "fewer than 5"
    assert rows.loc["D", HIDDEN_TEXT] == "not shown"
    assert pd.isna(rows.loc["B", HIDDEN]) and pd.isna(rows.loc["B", HIDDEN_TEXT])
    for grade in ("A", "D"):  # every figure of a withheld row is blank
        for column in ("women", "men", "other", "total", "women_needed", "women_to_50_50"):
            assert pd.isna(rows.loc[grade, column]), (grade, column)
        assert np.isnan(rows.loc[grade, "women_share"]) and np.isnan(rows.loc[grade, "gap_pp"])
        assert rows.loc[grade, "parity_status"] is None
    assert (rows.loc["C", "women"], rows.loc["E", "total"]) == (6, 30)  # shown rows untouched
    assert table["women"].tolist() == [1, 0, 6, 4, 15]  # the input is not modified

    # two small cells protect each other: 3 + 4 = 7 is all the subtraction gives
    two = PrivacyRule(5).protect(metrics([("A", 1, 2), ("B", 2, 2), ("C", 9, 9)], ["g"]), ["g"])
    assert withheld(two, ["g"]) == {"A": SMALL, "B": SMALL}
    # a small cell whose only other cell is empty has no partner to take
    alone = PrivacyRule(5).protect(metrics([("A", 1, 1), ("B", 0, 0)], ["g"]), ["g"])
    assert withheld(alone, ["g"]) == {"A": SMALL}
    # 4 is small under 5, 5 is not
    edge = PrivacyRule(5).protect(metrics([("A", 2, 2), ("B", 2, 3), ("C", 2, 4)], ["g"]), ["g"])
    assert withheld(edge, ["g"]) == {"A": SMALL, "B": SECONDARY}


GRID = {  # entity x grade, people (women, men): one small cell, A/g1
    ("A", "g1"): (1, 1), ("A", "g2"): (15, 15), ("A", "g3"): (5, 5),
    ("B", "g1"): (4, 4), ("B", "g2"): (20, 20), ("B", "g3"): (25, 25),
    ("C", "g1"): (10, 10), ("C", "g2"): (4, 5), ("C", "g3"): (30, 30),
}  # fmt: skip


def test_secondary_suppression_cascades_across_rows_and_columns() -> None:
    #        g1   g2   g3
    #   A     2   30   10
    #   B     8   40   50
    #   C    20    9   60
    # Pass 1, columns (entities across each grade): g1 has A/g1 alone -> B/g1 (8 < 20).
    #   Rows: A has A/g1 alone -> A/g3 (10 < 30); B has B/g1 alone -> B/g2 (40 < 50).
    # Pass 2, columns: g2 has B/g2 alone -> C/g2 (9 < 30); g3 has A/g3 alone -> B/g3 (50 < 60).
    #   Rows: C has C/g2 alone -> C/g1 (20 < 60).
    # Pass 3: every row and column holds 0 or at least 2 withheld cells: stable.
    table = metrics([(e, g, w, m) for (e, g), (w, m) in GRID.items()], ["entity", "grade"])
    out = PrivacyRule(5).protect(table, ["entity", "grade"])
    assert withheld(out, ["entity", "grade"]) == {
        ("A", "g1"): SMALL,
        ("B", "g1"): SECONDARY,
        ("A", "g3"): SECONDARY,
        ("B", "g2"): SECONDARY,
        ("C", "g2"): SECONDARY,
        ("B", "g3"): SECONDARY,
        ("C", "g1"): SECONDARY,
    }
    for dim in ("entity", "grade"):
        for _, line in out.groupby(dim):
            assert line[HIDDEN].notna().sum() in (0, 2, 3), line
    # The two shown cells (A/g2 30, C/g3 60) and the six margins (rows 42, 98, 89; columns 30,
    # 79, 120) do not pin A/g1 down: its indicator is no combination of the rows' and columns'
    # withheld cells (the withheld cells form cycles, A/g1 on one of them).
    hidden_cells = [k for k, v in withheld(out, ["entity", "grade"]).items() if v]
    lines = [[1.0 * (cell[i] == value) for cell in hidden_cells] for i in (0, 1) for value in
             sorted({cell[i] for cell in hidden_cells})]  # fmt: skip
    target = [1.0 * (cell == ("A", "g1")) for cell in hidden_cells]
    assert np.linalg.matrix_rank(np.array([*lines, target])) > np.linalg.matrix_rank(lines)


def test_min_cell_0_and_1_hide_nothing() -> None:
    table = metrics([("A", 1, 0), ("B", 0, 2), ("C", 0, 0), ("D", 4, 3)], ["grade"])
    for rule in (PrivacyRule(0), PrivacyRule(1)):
        assert not rule.active and not rule.is_small(1)
        out = rule.protect(table, ["grade"])
        assert out[HIDDEN].isna().all() and out[HIDDEN_TEXT].isna().all()
        assert out["women"].tolist() == [1, 0, 0, 4] and out["total"].tolist() == [1, 2, 0, 7]
        assert rule.note(out, "grade") == ""
    # from 2 on, a group of 1 is small: A (1); B (2) is the smallest non-empty other cell
    two = PrivacyRule(2).protect(table, ["grade"])
    assert withheld(two, ["grade"]) == {"A": SMALL, "B": SECONDARY}


# grades nested in staff categories: (grade, category, women, men)
LADDER = [
    ("D-2", "Directors", 3, 3),
    ("D-1", "Directors", 4, 4),
    ("P-4", "Professional", 12, 13),
    ("P-3", "Professional", 10, 10),
    ("P-2", "Professional", 1, 2),
    ("G-5", "General Service", 1, 6),
]


def test_grades_nested_in_categories_are_a_breakdown_too() -> None:
    table = metrics(LADDER, ["grade", "category"])
    # Across all grades P-2 (3) is small and D-2 (6), the smallest other grade, goes with it:
    # enough for the grade breakdown alone...
    flat = PrivacyRule(5).protect(table, ["grade"])
    assert withheld(flat, ["grade"]) == {"P-2": SMALL, "D-2": SECONDARY}
    # ...but the Professional total (48, on the Overview) less P-4 (25) and P-3 (20) gives P-2,
    # and the Directors total (14) less D-1 gives D-2. With categories as parents: P-3 (20 <
    # 25) goes with P-2, D-1 (8) with D-2.
    nested = PrivacyRule(5).protect(table, ["grade"], parents={"grade": ["category"]})
    assert withheld(nested, ["grade"]) == {
        "P-2": SMALL,
        "D-2": SECONDARY,
        "D-1": SECONDARY,
        "P-3": SECONDARY,
    }
    # the top grades against the rest, as a row mask: D-2 withheld alone among D-1 and above
    # (a total on the Grades page) takes D-1 with it
    top = table["grade"].isin(["D-2", "D-1"]).to_numpy()
    grouped = PrivacyRule(5).protect(table, ["grade"], groups=[top])
    assert withheld(grouped, ["grade"]) == {"P-2": SMALL, "D-2": SECONDARY, "D-1": SECONDARY}

    # the note and the count of groups at parity say what is withheld, in words
    assert RULE.note(nested, "grade") == (
        "4 grades not shown: 1 with fewer than 5 people, 3 more so that they cannot be worked "
        "out by subtraction"
    )
    # shown: P-4 12 of 25 (48%, parity) and G-5 1 of 7 (women under): 1 of 2
    assert at_parity_words(nested, "grade") == (
        "1 of 2",
        "grades within 47–53% women; 4 not shown, to protect small groups",
    )


def test_note_and_at_parity_words() -> None:
    two_small = metrics([("A", 1, 2), ("B", 2, 2), ("C", 9, 9), ("D", 0, 0)], ["entity"])
    out = RULE.protect(two_small, ["entity"])
    assert RULE.note(out, "entity") == "2 entities not shown: fewer than 5 people"
    one = RULE.protect(metrics([("A", 1, 1), ("B", 0, 0)], ["grade"]), ["grade"])
    assert RULE.note(one, "grade") == "1 grade not shown: fewer than 5 people"
    # C (9 of 18) is at parity; D is empty (no status): neither counted among the shown groups
    # nor as withheld
    assert at_parity_words(out, "entity") == (
        "1 of 1",
        "entities within 47–53% women; 2 not shown, to protect small groups",
    )
    exact = PrivacyRule(0).protect(two_small, ["entity"])
    # A 1 of 3 (closest split: parity), B 2 of 4, C 9 of 18: all at parity, nothing withheld
    assert at_parity_words(exact, "entity") == (
        "3 of 3",
        "entities within 47–53% women",
    )
    assert RULE.note(exact, "entity") == ""


def test_a_negative_minimum_cell_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot be negative"):
        PrivacyRule(-1)


# -- 2. the hostile data set ------------------------------------------------------------------

STAFF = """year,entity,duty_station,grade,women,men
2024,Big,New York,D-1,3,4
2024,Big,New York,P-4,11,14
2024,Big,New York,P-3,9,11
2024,Big,New York,G-5,15,9
2024,Big,Geneva,P-4,6,5
2024,Big,Geneva,P-2,1,1
2024,Big,Juba,P-3,1,2
2024,Mid,Nairobi,P-4,9,12
2024,Mid,Nairobi,G-5,8,8
2024,Mid,Nairobi,D-1,1,3
2024,Mid,Kabul,P-3,5,7
2024,Mid,Dakar,P-3,1,1
2024,Tiny,Vienna,P-3,1,2
2025,Big,New York,D-1,3,4
2025,Big,New York,P-4,12,13
2025,Big,New York,P-3,10,10
2025,Big,New York,G-5,15,10
2025,Big,Geneva,P-4,6,6
2025,Big,Geneva,P-2,1,2
2025,Big,Juba,P-3,1,1
2025,Mid,Nairobi,P-4,10,12
2025,Mid,Nairobi,G-5,8,9
2025,Mid,Nairobi,D-1,1,3
2025,Mid,Kabul,P-3,6,7
2025,Mid,Dakar,P-3,1,0
2025,Tiny,Vienna,P-3,1,3
"""
# 2025 events. Appointments: all 10 women, 5 men (15); Big 8/5; Mid 1 woman; Tiny 1 woman.
# Promotions: Big's P-4 only, 2/1 (3: small everywhere). Separations: Big 1/2, Mid 0/1.
FLOWS = """year,entity,grade,gender,event,count
2025,Big,P-4,F,appointment,3
2025,Big,P-4,M,appointment,2
2025,Big,P-3,F,appointment,4
2025,Big,P-3,M,appointment,3
2025,Big,D-1,F,appointment,1
2025,Big,P-4,F,promotion,2
2025,Big,P-4,M,promotion,1
2025,Big,P-4,M,separation,2
2025,Big,P-3,F,separation,1
2025,Mid,P-4,F,appointment,1
2025,Mid,D-1,M,separation,1
2025,Tiny,P-3,F,appointment,1
"""
TARGETS = """entity,grade,year,target_share,margin
Big,P-4,2028,50%,3%
Big,P-2,2028,50%,3%
Mid,D-1,2028,50%,3%
Tiny,P-3,2028,50%,3%
"""
YEAR = 2025
SCOPES = (None, "Big", "Mid", "Tiny")
# what the reference says of the stations and grades used (data/reference)
STATIONS = {
    "New York": ("HQ", "United States of America"),
    "Geneva": ("HQ", "Switzerland"),
    "Nairobi": ("HQ", "Kenya"),
    "Vienna": ("HQ", "Austria"),
    "Juba": ("Field", "South Sudan"),
    "Kabul": ("Field", "Afghanistan"),
    "Dakar": ("Field", "Senegal"),
}
CATEGORIES = {
    "D-1": "Directors",
    "P-4": "Professional",
    "P-3": "Professional",
    "P-2": "Professional",
    "G-5": "General Service",
}
DIMS = ("entity", "grade", "category", "duty_station", "country", "location", "level")
GROUPINGS = (
    ("entity",), ("grade",), ("duty_station",), ("location",), ("category",), ("country",),
    ("entity", "grade"), ("entity", "duty_station"), ("entity", "location"),
    ("entity", "category"),
)  # fmt: skip
DATA_BYS = (
    ["entity", "grade"], ["duty_station"], ["entity", "location"], ["grade"], ["category"],
    ["location"], ["entity", "category"], ["entity", "duty_station"], ["country"],
)  # fmt: skip


def _stock() -> pd.DataFrame:
    stock = pd.read_csv(io.StringIO(STAFF))
    stock["location"] = stock["duty_station"].map(lambda s: STATIONS[s][0])
    stock["country"] = stock["duty_station"].map(lambda s: STATIONS[s][1])
    stock["category"] = stock["grade"].map(CATEGORIES)
    stock["level"] = np.where(stock["grade"] == "D-1", "D-1 and above", "below D-1")
    return stock


STOCK = _stock()
EVENTS = pd.read_csv(io.StringIO(FLOWS)).assign(category=lambda f: f["grade"].map(CATEGORIES))
LABEL_DIM = {str(v): d for d in DIMS[:-1] for v in STOCK[d].unique()}


def scoped(group: Mapping[str, Any], scope: str | None) -> dict[str, str]:
    """A group in a page's selection: the entity filter is one more condition."""
    out = {d: str(v) for d, v in group.items() if d in DIMS and v is not None}
    if scope is not None:
        out["entity"] = scope
    return out


def counts(group: Mapping[str, str], year: int = YEAR) -> tuple[int, int]:
    """(women, men) of a group, from the CSV text."""
    rows = STOCK[STOCK["year"] == year]
    for dim, value in group.items():
        rows = rows[rows[dim] == value]
    return int(rows["women"].sum()), int(rows["men"].sum())


def is_small(group: Mapping[str, str], year: int = YEAR) -> bool:
    return 0 < sum(counts(group, year)) < RULE.min_cell


def events(scope: str | None, event: str, year: int = YEAR, **where: str) -> int:
    rows = EVENTS[(EVENTS["year"] == year) & (EVENTS["event"] == event)]
    for dim, value in scoped(where, scope).items():
        rows = rows[rows[dim] == value]
    return int(rows["count"].sum())


def small_groups(scope: str | None, year: int = YEAR) -> list[tuple[dict[str, str], int, int]]:
    """Every group of GROUPINGS in the selection with 1 to 4 people: (group, women, men)."""
    rows = STOCK[STOCK["year"] == year]
    if scope is not None:
        rows = rows[rows["entity"] == scope]
    out: dict[frozenset[tuple[str, str]], tuple[dict[str, str], int, int]] = {}
    for grouping in GROUPINGS:
        dims = [d for d in grouping if not (scope and d == "entity")]
        if not dims:
            continue
        for key, g in rows.groupby(dims):
            women, men = int(g["women"].sum()), int(g["men"].sum())
            if 0 < women + men < RULE.min_cell:
                group = scoped(dict(zip(dims, (str(k) for k in key), strict=True)), scope)
                out[frozenset(group.items())] = (group, women, men)
    return list(out.values())


def test_the_hostile_data_has_the_small_groups_it_means_to() -> None:
    small = {tuple(sorted(g.items())): (w, m) for g, w, m in small_groups(None)}
    assert small == {
        (("entity", "Tiny"),): (1, 3),
        (("grade", "P-2"),): (1, 2),
        (("duty_station", "Dakar"),): (1, 0),
        (("duty_station", "Juba"),): (1, 1),
        (("duty_station", "Vienna"),): (1, 3),
        (("country", "Senegal"),): (1, 0),
        (("country", "South Sudan"),): (1, 1),
        (("country", "Austria"),): (1, 3),
        (("entity", "Big"), ("grade", "P-2")): (1, 2),
        (("entity", "Mid"), ("grade", "D-1")): (1, 3),
        (("entity", "Tiny"), ("grade", "P-3")): (1, 3),
        (("duty_station", "Juba"), ("entity", "Big")): (1, 1),
        (("duty_station", "Dakar"), ("entity", "Mid")): (1, 0),
        (("duty_station", "Vienna"), ("entity", "Tiny")): (1, 3),
        (("entity", "Big"), ("location", "Field")): (1, 1),
        (("entity", "Tiny"), ("location", "HQ")): (1, 3),
        (("category", "Directors"), ("entity", "Mid")): (1, 3),
        (("category", "Professional"), ("entity", "Tiny")): (1, 3),
    }
    assert counts({}) == (75, 80) and counts({"entity": "Big"}) == (48, 46)


# -- the pages of every selection ---------------------------------------------------------------


@dataclass
class Hostile:
    frame: pd.DataFrame
    flows: pd.DataFrame
    targets: pd.DataFrame
    reference: Reference


@dataclass
class Page:
    """A page's view, its callback outputs as JSON, and its protected tables with their dims."""

    name: str
    view: Any
    out: Any
    tables: list[tuple[str, pd.DataFrame, tuple[str, ...]]] = field(default_factory=list)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hostile]:
    folder = tmp_path_factory.mktemp("hostile")
    store = Store(f"sqlite:///{folder / 'h.db'}")
    for name, text in (("staff.csv", STAFF), ("flows.csv", FLOWS), ("targets.csv", TARGETS)):
        (folder / name).write_text(text)
        store.import_parsed(parse_file(folder / name, store.reference()))
    yield Hostile(load_frame(store), load_flows(store), store.read_targets(), store.reference())
    store.dispose()


def decode(node: Any) -> Any:
    """JSON from plotly with its typed arrays ({"dtype", "bdata", "shape"}) as plain lists."""
    if isinstance(node, dict):
        if "bdata" in node and "dtype" in node:
            array = np.frombuffer(base64.b64decode(node["bdata"]), dtype=np.dtype(node["dtype"]))
            if "shape" in node:
                array = array.reshape([int(s) for s in str(node["shape"]).split(",")])
            return array.tolist()
        return {k: decode(v) for k, v in node.items()}
    if isinstance(node, list):
        return [decode(v) for v in node]
    return node


def serialise(outputs: list[Any]) -> Any:
    """A callback's outputs as the browser receives them: figures with their hover data, grids'
    row data, components and words."""
    return decode(json.loads(to_json_plotly(outputs)))


def build_pages(h: Hostile, scope: str | None) -> list[Page]:
    f = FilterState(entity=(scope,)) if scope else FilterState()
    args = (h.frame, f, RULE, h.reference)
    pages = []
    view = overview_view(*args)
    pages.append(
        Page("overview", view, serialise(overview_page.outputs(view)), [
            ("overview entities", view.entities, ("entity",)),
            ("overview categories", view.categories.data, ("category",)),
        ])
    )  # fmt: skip
    view = grades_view(*args)
    pages.append(
        Page("grades", view, serialise(grades_page.outputs(view)),
             [("grades", view.table.rows, ("grade",))])
    )  # fmt: skip
    view = stations_view(*args)
    pages.append(
        Page("stations", view, serialise(stations_page.outputs(view)),
             [("stations", view.table.rows, ("duty_station",))])
    )  # fmt: skip
    view = entities_view(*args)
    pages.append(
        Page("entities", view, serialise(entities_page.outputs(view)), [
            ("entities", view.table.rows, ("entity",)),
            ("heatmap", view.heatmap.data, ("entity", "grade")),
        ])
    )  # fmt: skip
    for by in ("category", "grade"):
        view = trends_view(*args, by=by)
        pages.append(Page(f"trends by {by}", view, serialise(trends_page.outputs(view))))
    view = flows_view(h.frame, h.flows, f, RULE, h.reference)
    pages.append(Page("flows", view, serialise(flows_page.outputs(view))))
    for by in ("category", "grade"):
        view = planning_view(h.frame, h.flows, h.targets, f, Scenario(by=by), RULE, h.reference)
        pages.append(Page(f"planning by {by}", view, serialise(planning_page.outputs(view))))
    for by in DATA_BYS:
        view = data_table(h.frame, f, by, RULE, h.reference)
        pages.append(
            Page(f"data by {by}", view, serialise(data_page.outputs(view)),
                 [(f"data by {by}", view.table.rows, tuple(by))])
        )  # fmt: skip
    return pages


@pytest.fixture(scope="module")
def pages(hostile: Hostile) -> dict[str | None, list[Page]]:
    return {scope: build_pages(hostile, scope) for scope in SCOPES}


def walk(node: Any) -> Iterator[Any]:
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def grids(out: Any) -> Iterator[list[dict[str, Any]]]:
    """Every grid's rowData in a page's outputs: lists of records naming a group (column
    definitions carry a headerName; figures are left to the chart tests)."""
    if isinstance(out, dict) and not ("data" in out and "layout" in out):
        for value in out.values():
            yield from grids(value)
    elif isinstance(out, list):
        records = bool(out) and all(isinstance(r, dict) for r in out)
        if (
            records
            and not any("headerName" in r for r in out)
            and any(d in r for r in out for d in DIMS)
        ):
            yield out
            return
        for value in out:
            yield from grids(value)


def figures(out: Any) -> Iterator[dict[str, Any]]:
    for node in walk(out):
        if isinstance(node, dict) and isinstance(node.get("data"), list) and "layout" in node:
            yield node


def present(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, list):
        return any(present(v) for v in value)
    return not (isinstance(value, float) and np.isnan(value))


def chart_points(figure: dict[str, Any]) -> Iterator[tuple[tuple[str, ...], int, str]]:
    """(labels, year, trace) of every point of a chart that carries a figure (a bar, a heatmap
    cell, a station, a point of a line named after a group)."""
    for trace in figure["data"]:
        kind, hover = trace.get("type"), str(trace.get("hovertemplate", ""))
        if re.search(r"not shown( \(small group\)|: too few)", hover):  # the grey layers
            assert "customdata" not in trace and "%{z" not in hover, trace
            continue
        if kind == "bar":
            horizontal = trace.get("orientation") == "h"
            labels = trace.get("y" if horizontal else "x") or []
            values = trace.get("x" if horizontal else "y") or []
            for label, value in zip(labels, values, strict=False):
                if label is not None and present(value):
                    yield (str(label),), YEAR, "bar"
        elif kind == "heatmap":
            for i, row in enumerate(trace["y"]):
                for j, column in enumerate(trace["x"]):
                    if present(trace["z"][i][j]) or present(trace["customdata"][i][j]):
                        yield (str(row), str(column)), YEAR, "heatmap"
        elif kind == "scattergeo":
            for label, data in zip(trace["text"], trace.get("customdata") or [], strict=True):
                if present(data):
                    yield (str(label),), YEAR, "map"
        elif kind == "scatter":
            label = str(trace.get("legendgroup") or trace.get("name"))
            for x, y in zip(trace.get("x") or [], trace.get("y") or [], strict=False):
                if present(y):
                    year = int(x) if x in (2024, 2025) else YEAR  # projected years: the latest
                    yield (label,), year, "line"


def share_words(women: int, men: int) -> str:
    return f"{100 * women / (women + men):.1f}%" if women + men else "—"


def withheld_groups(pages: list[Page], scope: str | None) -> set[frozenset[tuple[str, str]]]:
    """Every group a protected table of the selection withholds (latest year)."""
    out = set()
    for page in pages:
        for _, rows, dims in page.tables:
            for _, row in rows[rows[HIDDEN].notna()].iterrows():
                out.add(frozenset(scoped({d: row[d] for d in dims}, scope).items()))
    return out


@pytest.mark.parametrize("scope", SCOPES, ids=lambda s: s or "all")
def test_no_small_group_in_any_grid(pages: dict[str | None, list[Page]], scope: str | None) -> None:
    """(i) Every grid row of a group of 1 to 4 people is withheld: no counts, no share, and a
    hidden_text; a grid without withheld rows (projections, plans, targets) leaves it out. Rows
    that are shown hold the exact figures worked out from the CSV (the rows are read right)."""
    checked = 0
    for page in pages[scope]:
        for rows in grids(page.out):
            for record in rows:
                if "appointment_share" in record:  # flows: events, see the flows test
                    continue
                group = scoped(record, scope)
                women, men = counts(group)
                if 0 < women + men < RULE.min_cell:
                    checked += 1
                    assert "women" in record, (page.name, record)  # no share-only row of it
                    assert record.get(HIDDEN_TEXT) == "fewer than 5", (page.name, record)
                    for key in ("women", "men", "total", "women_share", "gap_pp"):
                        assert record.get(key) is None, (page.name, key, record)
                    text = json.dumps(record, default=str)
                    assert share_words(women, men) not in text
                    assert f'"women": {women}, "men": {men}' not in text
                elif "women" in record and record.get(HIDDEN_TEXT) is None:
                    assert (record["women"], record["men"]) == (women, men), (page.name, record)
    # and no words of any output (sentences, notes, titles, hover templates) put a small group's
    # share or counts beside its name
    singles = [(g, w, m) for g, w, m in small_groups(scope) if len(g) == 1 + (scope is not None)]
    for page in pages[scope]:
        for text in (n for n in walk(page.out) if isinstance(n, str)):
            for group, women, men in singles:
                label = next(v for d, v in group.items() if d != "entity" or scope is None)
                for item in text_items([text]):
                    if re.search(rf"(^|\W){re.escape(label)}(\W|$)", item):
                        assert share_words(women, men) not in item, (page.name, item)
                        assert not re.search(rf"\b{women} wom[ae]n", item), (page.name, item)
    # all: P-2 on Grades, Dakar, Juba and Vienna on Stations, Tiny on Entities (5), and on the
    # Data grids: entity x grade 3, stations 3, entity x HQ/field 2 (Big's field, Tiny's HQ),
    # grade 1, entity x category 2 (Mid's Directors, Tiny's Professional), entity x station 3,
    # country 3. Big: P-2 and Juba, then one row on each Data grid but category and entity x
    # category. Mid: D-1 and Dakar, then Data grids but HQ/field ones. Tiny: one row on every
    # grid of people (3 pages, 9 Data grids).
    assert checked == {None: 22, "Big": 9, "Mid": 9, "Tiny": 12}[scope]


@pytest.mark.parametrize("scope", SCOPES, ids=lambda s: s or "all")
def test_no_small_or_withheld_group_in_any_chart(
    pages: dict[str | None, list[Page]], scope: str | None
) -> None:
    """Charts (with their hover data) draw no small group, and no group the same selection's
    tables withhold: bars, heatmap cells, stations on the map and lines named after a group."""
    hidden = withheld_groups(pages[scope], scope)
    drawn = 0
    for page in pages[scope]:
        for figure in figures(page.out):
            for labels, year, kind in chart_points(figure):
                if not all(label in LABEL_DIM for label in labels):
                    continue  # a year, "Women's share", "Projection"...
                group = scoped({LABEL_DIM[label]: label for label in labels}, scope)
                drawn += 1
                assert not is_small(group, year), (page.name, kind, group, year)
                if year == YEAR:
                    assert frozenset(group.items()) not in hidden, (page.name, kind, group)
    assert drawn > 0 or scope == "Tiny"


@pytest.mark.parametrize("scope", SCOPES, ids=lambda s: s or "all")
def test_every_breakdown_has_no_withheld_cell_or_at_least_two(
    pages: dict[str | None, list[Page]], scope: str | None
) -> None:
    """(ii) Within every protected table: the cells sharing all dimensions but one (and the same
    within each parent the table carries: a grade's category and level, a station's HQ/field
    and country) hold no withheld cell, or two or more, so that none is a shown total less the
    shown cells. The exception is a breakdown with one non-empty cell: its total is the cell."""
    for page in pages[scope]:
        for name, rows, dims in page.tables:
            assert HIDDEN in rows, name
            for dim in dims:
                others = [d for d in dims if d != dim]
                keys = [others, *([*others, p] for p in PARENTS.get(dim, ()) if p in rows)]
                for key in keys:
                    parts = [rows] if not key else [g for _, g in rows.groupby(key, dropna=False)]
                    for part in parts:
                        people = [
                            sum(counts(scoped({d: r[d] for d in dims}, scope)))
                            for _, r in part.iterrows()
                        ]
                        off = part[HIDDEN].notna().to_numpy()
                        nonempty = np.array(people) > 0
                        if off.sum() == 1:
                            assert nonempty.sum() == 1, (
                                page.name,
                                name,
                                key,
                                part[[*dims, HIDDEN]],
                            )
                        # a small cell is always withheld, and as small
                        for p, why in zip(people, part[HIDDEN], strict=True):
                            if 0 < p < RULE.min_cell:
                                assert why == SMALL


def test_grades_and_stations_withhold_what_the_hand_says(
    pages: dict[str | None, list[Page]],
) -> None:
    def grid_of(scope: str | None, name: str) -> list[dict[str, Any]]:
        page = next(p for p in pages[scope] if p.name == name)
        return next(grids(page.out))

    # All entities, by grade: D-1 11, P-4 59, P-3 40, P-2 3 (small), G-5 42. Across grades, D-1
    # (the smallest other) goes with P-2; within Professional (P-4, P-3, P-2), P-3 (40 < 59).
    rows = grid_of(None, "grades")
    assert [(r["grade"], r[HIDDEN_TEXT], r["women"], r["men"]) for r in rows] == [
        ("D-1", "not shown", None, None),
        ("P-4", None, 28, 31),
        ("P-3", "not shown", None, None),
        ("P-2", "fewer than 5", None, None),
        ("G-5", None, 23, 19),
    ]
    grades = next(p for p in pages[None] if p.name == "grades").view
    # P-4 28 of 59 (47.5%) at parity, G-5 23 of 42 (54.8%) not
    assert (grades.stats[2].value, grades.stats[2].note) == (
        "1 of 2",
        "grades within 47–53% women; 3 not shown, to protect small groups",
    )
    assert grades.table.note == (
        "3 grades not shown: 1 with fewer than 5 people, 2 more so that they cannot be worked "
        "out by subtraction"
    )
    # Mid: D-1 4 (small), P-4 22, P-3 14, G-5 17: P-3 goes with D-1 (14 is the smallest other),
    # then P-4, the only other Professional grade.
    assert [(r["grade"], r[HIDDEN_TEXT]) for r in grid_of("Mid", "grades")] == [
        ("D-1", "fewer than 5"),
        ("P-4", "not shown"),
        ("P-3", "not shown"),
        ("G-5", None),
    ]
    # Stations, all entities: Dakar 1, Juba 2 and Vienna 4 are small; among HQ stations Vienna
    # is alone, so Geneva (15 < 43 < 77) goes with it; in the field Juba and Dakar cover each
    # other.
    rows = grid_of(None, "stations")
    assert {r["duty_station"]: r[HIDDEN_TEXT] for r in rows} == {
        "New York": None,
        "Nairobi": None,
        "Kabul": None,
        "Dakar": "fewer than 5",
        "Geneva": "not shown",
        "Juba": "fewer than 5",
        "Vienna": "fewer than 5",
    }
    # Tiny is a small selection: the Overview says so and shows nothing
    overview = next(p for p in pages["Tiny"] if p.name == "overview").view
    assert overview.state == "small" and overview.headline is None
    assert {s.value for s in overview.stats} == {"—"}


@pytest.mark.parametrize("scope", SCOPES, ids=lambda s: s or "all")
def test_flows_withhold_small_events(
    pages: dict[str | None, list[Page]], scope: str | None
) -> None:
    """An event of a year with 1 to 4 occurrences (in the selection, or in a staff category)
    has no share, no women/men counts in the chart's hover and no rate ratio."""
    page = next(p for p in pages[scope] if p.name == "flows")
    labels = {"appointment": "appointments", "promotion": "promotions", "separation": "separations"}
    shares = next(figures(page.out))
    for trace in shares["data"]:
        name = str(trace.get("name", "")).lower()
        event = next((e for e, word in labels.items() if word in name), None)
        if event is None:
            continue
        for year in trace.get("x") or []:
            assert not 0 < events(scope, event, int(year)) < RULE.min_cell, (scope, event, year)
    # all: appointments 10 women of 15 are shown; promotions (3) and separations (4) are not
    if scope is None:
        assert page.view.sentences["flows"] == "In 2025, women were 67% of appointments."
    for rows in grids(page.out):
        for record in rows:
            if "appointment_share" not in record:
                continue
            for event in labels:
                n = events(scope, event, category=record["category"])
                if 0 < n < RULE.min_cell:
                    assert record[f"{event}_share"] is None, (scope, event, record)
                    if event == "promotion":
                        assert record["promotion_rate_ratio"] is None
                    if event == "separation":
                        assert record["attrition_gap_pp"] is None


# -- downloads and briefings ---------------------------------------------------------------------

HEADERS = {
    "Entity": "entity",
    "Grade": "grade",
    "Duty station": "duty_station",
    "HQ / field": "location",
    "Staff category": "category",
    "Category": "category",
    "Country": "country",
}
COUNTS = ("Women", "Men", "Total", "Women's share")


def check_sheet(frame: pd.DataFrame, scope: str | None, where: str) -> int:
    """Rows of a downloaded table naming a small group: every count and share empty, the note
    saying why; a table without counts (projections, plans, targets) does not list it. Shown rows
    hold the exact counts. Returns how many small groups it found."""
    found = 0
    keys = [h for h in frame.columns if h in HEADERS]
    if not keys:
        return 0
    for _, row in frame.iterrows():
        group = scoped({HEADERS[h]: str(row[h]).lstrip("'") for h in keys}, scope)
        women, men = counts(group)
        has_counts = "Women" in frame.columns
        if 0 < women + men < RULE.min_cell:
            found += 1
            assert has_counts, (where, group)
            for header in COUNTS:
                assert pd.isna(row[header]), (where, header, group)
            assert row["Note"] == "Fewer than 5 people: not shown", (where, group)
            line = " ".join(str(v) for v in row.to_numpy())
            assert share_words(women, men) not in line
        elif has_counts and pd.notna(row["Women"]):
            assert (int(row["Women"]), int(row["Men"])) == (women, men), (where, group)
    return found


@pytest.mark.parametrize("scope", SCOPES, ids=lambda s: s or "all")
def test_data_downloads_leave_small_groups_empty(
    pages: dict[str | None, list[Page]], scope: str | None
) -> None:
    from openpyxl import load_workbook

    found = 0
    for by in (["entity", "grade"], ["duty_station"], ["entity", "location"]):
        view = next(p for p in pages[scope] if p.name == f"data by {by}").view
        csv = pd.read_csv(io.BytesIO(data_page.download(view, "csv", RULE)))
        book = load_workbook(io.BytesIO(data_page.download(view, "xlsx", RULE)))
        cells = list(book["Data"].iter_rows(values_only=True))
        xlsx = pd.DataFrame(cells[1:], columns=cells[0])
        n = check_sheet(csv, scope, f"{by} csv")
        assert check_sheet(xlsx, scope, f"{by} xlsx") == n
        found += n
    # all: Big P-2, Mid D-1, Tiny P-3; Dakar, Juba, Vienna; Big field, Tiny HQ
    assert found == {None: 8, "Big": 3, "Mid": 2, "Tiny": 3}[scope]


@pytest.fixture(scope="module")
def briefings(hostile: Hostile) -> dict[str, Any]:
    out = {}
    for scope in ("Big", "Mid", None):
        f = FilterState(entity=(scope,)) if scope else FilterState()
        out[scope] = build_briefing(
            hostile.frame,
            f,
            hostile.reference,
            rule=RULE,
            flow_frame=hostile.flows,
            targets=hostile.targets,
        )
    return out


def test_briefing_of_a_small_entity_is_refused(hostile: Hostile) -> None:
    with pytest.raises(ParityError, match="fewer than 5 people"):
        build_briefing(
            hostile.frame, FilterState(entity=("Tiny",)), hostile.reference, rule=RULE,
            flow_frame=hostile.flows, targets=hostile.targets,
        )  # fmt: skip


@pytest.mark.parametrize("scope", [None, "Big", "Mid"], ids=lambda s: s or "all")
def test_briefing_workbook_leaves_small_groups_empty(
    briefings: dict[str | None, Any], scope: str | None
) -> None:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(write_briefing(briefings[scope], "xlsx")))
    found = 0
    for sheet in book:
        if sheet.title in ("Filters and definitions", "Trend"):
            continue
        cells = list(sheet.iter_rows(values_only=True))
        frame = pd.DataFrame(cells[1:], columns=cells[0])
        if sheet.title == "Flows":  # events: a share of 1 to 4 events is empty
            for _, row in frame.iterrows():
                for event, header in (
                    ("appointment", "Women among appointments"),
                    ("promotion", "Women among promotions"),
                    ("separation", "Women among separations"),
                ):
                    if 0 < events(scope, event, category=row["Category"]) < RULE.min_cell:
                        assert pd.isna(row[header]), (scope, event, row["Category"])
            continue
        found += check_sheet(frame, scope, sheet.title)
    # all: P-2 on By grade, Dakar, Juba and Vienna on By duty station, Tiny on By entity
    assert found == {None: 5, "Big": 2, "Mid": 2}[scope]


def text_items(texts: list[str]) -> Iterator[str]:
    for text in texts:
        yield from (item.strip() for item in re.split(r"[;\n]|\.\s", text))


@needs_chromium
@pytest.mark.parametrize("scope", [None, "Big", "Mid"], ids=lambda s: s or "all")
def test_briefing_slides_and_notes_say_only_fewer_than_5(
    briefings: dict[str | None, Any], scope: str | None
) -> None:
    from pptx import Presentation

    deck = Presentation(io.BytesIO(write_briefing(briefings[scope], "pptx")))
    texts = []
    for slide in deck.slides:
        texts += [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
        texts.append(slide.notes_slide.notes_text_frame.text)
    said = 0
    for group, women, men in small_groups(scope):
        named = [d for d in group if not (scope and d == "entity")]
        if len(named) != 1:  # the deck speaks of one dimension at a time
            continue
        label = group[named[0]]
        for item in text_items(texts):
            if not re.search(rf"(^|\W){re.escape(label)}(\W|$)", item):
                continue
            assert f"{women} women, {men} men" not in item, (group, item)
            assert share_words(women, men) not in item, (group, item)
            if item.startswith(f"{label}:"):
                said += 1
                assert item in (f"{label}: fewer than 5", f"{label}: not shown"), item
    # all and Big: "P-2: fewer than 5" on the pipeline's notes; Mid: "D-1: fewer than 5" there
    # and "Directors: fewer than 5" on the staff categories' notes
    assert said == {None: 1, "Big": 1, "Mid": 2}[scope]


# -- leaks found: figures a reader can subtract ------------------------------------------------


def _stat(page: Page, label: str) -> str:
    return next(s.note for s in page.view.stats if s.label == label)


def _women_of(note: str) -> tuple[int, int]:
    """'26 women of 57 people in 2025' -> (26, 57)."""
    found = re.match(r"([\d,]+) women of ([\d,]+) people", note)
    assert found, note
    return int(found[1].replace(",", "")), int(found[2].replace(",", ""))


def _row(rows: pd.DataFrame, **where: str) -> tuple[int, int]:
    """(women, total) of a shown row of a protected table."""
    for dim, value in where.items():
        rows = rows[rows[dim].astype(str) == value]
    assert len(rows) == 1 and rows[HIDDEN].isna().all(), rows
    return int(rows["women"].iloc[0]), int(rows["total"].iloc[0])


def _page(pages: dict[str | None, list[Page]], scope: str | None, name: str) -> Page:
    return next(p for p in pages[scope] if p.name == name)


def derive(
    pages: dict[str | None, list[Page]], case: str
) -> tuple[tuple[int, int], tuple[int, int]]:
    """(women, people) worked out by subtraction from published figures, and the truth."""
    if case == "Tiny":
        # All entities' Overview: 75 women of 155. The Entities page shows Big (48 of 94) and
        # withholds Mid as the partner of Tiny; but Mid's own Overview shows 26 women of 57.
        # 155 - 94 - 57 = 4 people, 75 - 48 - 26 = 1 woman: Tiny is 1 woman, 3 men (25.0%).
        everyone = _women_of(_stat(_page(pages, None, "overview"), "Women's share"))
        big = _row(_page(pages, None, "entities").view.table.rows, entity="Big")
        mid = _women_of(_stat(_page(pages, "Mid", "overview"), "Women's share"))
        return tuple(a - b - c for a, b, c in zip(everyone, big, mid, strict=True)), (1, 4)
    if case == "Mid D-1, across selections":
        # The Overview's staff categories: all entities, Directors 4 women of 11; Big, Directors
        # 3 of 7. D-1 is the only Directors grade: Mid's D-1 is 1 woman of 4.
        everyone = _row(_page(pages, None, "overview").view.categories.data, category="Directors")
        big = _row(_page(pages, "Big", "overview").view.categories.data, category="Directors")
        return (everyone[0] - big[0], everyone[1] - big[1]), (1, 4)
    if case == "Mid D-1, within Mid":
        # Mid alone (its Overview and Grades page, and its briefing, whose cover, category notes
        # and pipeline notes carry the same three figures): 26 women of 57 in all; Professional
        # 17 of 36 (categories chart, which withholds Directors and, as partner, General
        # Service); G-5 8 of 17 (grades table, which withholds D-1, P-3 and P-4 but shows G-5,
        # the only General Service grade). 57 - 36 - 17 = 4, 26 - 17 - 8 = 1.
        everyone = _women_of(_stat(_page(pages, "Mid", "overview"), "Women's share"))
        prof = _row(_page(pages, "Mid", "overview").view.categories.data, category="Professional")
        g5 = _row(_page(pages, "Mid", "grades").view.table.rows, grade="G-5")
        return tuple(a - b - c for a, b, c in zip(everyone, prof, g5, strict=True)), (1, 4)
    if case == "Juba (Big's field)":
        # Stations page, HQ and field chart: all entities, field 8 women of 16; Mid's, 7 of 14.
        # The rest of the field is Big's: Juba, 1 woman of 2.
        everyone = _row(_page(pages, None, "stations").view.location.data, location="Field")
        mid = _row(_page(pages, "Mid", "stations").view.location.data, location="Field")
        return (everyone[0] - mid[0], everyone[1] - mid[1]), (1, 2)
    assert case == "Dakar"
    # Mid's Stations page: field 7 women of 14 (chart), Kabul withheld as Dakar's partner; but
    # the all-entities Stations page shows Kabul, 6 women of 13, all of them Mid's: Dakar is 1
    # woman of 1.
    field_ = _row(_page(pages, "Mid", "stations").view.location.data, location="Field")
    kabul = _row(_page(pages, None, "stations").view.table.rows, duty_station="Kabul")
    return (field_[0] - kabul[0], field_[1] - kabul[1]), (1, 1)


@pytest.mark.xfail(
    strict=True,
    reason="leak: each page protects its own tables of its own selection; a partner withheld on "
    "one page is shown on another (an entity's own Overview, another selection's page, another "
    "table of the same selection)",
)
@pytest.mark.parametrize(
    "case",
    ["Tiny", "Mid D-1, across selections", "Mid D-1, within Mid", "Juba (Big's field)", "Dakar"],
)
def test_no_small_group_is_a_difference_of_published_figures(
    pages: dict[str | None, list[Page]], case: str
) -> None:
    derived, truth = derive(pages, case)
    assert derived != truth, f"{case}: {derived[0]} women of {derived[1]} people"


LATEST = STOCK[STOCK["year"] == YEAR]


def rows_of(group: Mapping[str, str]) -> frozenset[int]:
    """A group of the latest year as the set of its CSV rows: the same people, however named."""
    keep = np.ones(len(LATEST), dtype=bool)
    for dim, value in group.items():
        keep &= (LATEST[dim] == value).to_numpy()
    return frozenset(LATEST.index[keep])


def described(group: Mapping[str, str], scope: str | None, where: str) -> str:
    return f"{where} ({scope or 'all'}): " + ", ".join(
        f"{v}" for d, v in group.items() if d != "entity" or scope is None
    )


def published_groups(pages: dict[str | None, list[Page]]) -> dict[frozenset[int], str]:
    """Every group whose count (latest year) some page shows, as its set of CSV rows, and where:
    the shown rows of every protected table and chart, the headline and the top grades' card."""
    out: dict[frozenset[int], str] = {}
    for scope, listed in pages.items():
        whole = scoped({}, scope)
        if _page(pages, scope, "overview").view.headline is not None:
            out.setdefault(rows_of(whole), f"Overview headline ({scope or 'all'})")
        if _page(pages, scope, "grades").view.stats[1].value != "—":
            top = {**whole, "level": "D-1 and above"}
            out.setdefault(rows_of(top), f"Grades card 'Women at D-1 and above' ({scope or 'all'})")
        tables = [t for p in listed for t in p.tables]
        location = _page(pages, scope, "stations").view.location.data
        tables.append(("HQ and field chart", location, ("location",)))
        for name, rows, dims in tables:
            for _, row in rows.iterrows():
                if pd.isna(row.get(HIDDEN)) and row.get("total", 0) > 0:
                    group = scoped({d: row[d] for d in dims}, scope)
                    out.setdefault(rows_of(group), described(group, scope, name))
    out.pop(frozenset(), None)
    return out


def withheld_everywhere(pages: dict[str | None, list[Page]]) -> dict[frozenset[int], str]:
    """Every group some protected table withholds (latest year), as its set of CSV rows."""
    out: dict[frozenset[int], str] = {}
    for scope, listed in pages.items():
        for page in listed:
            for name, rows, dims in page.tables:
                for _, row in rows[rows[HIDDEN].notna()].iterrows():
                    group = scoped({d: row[d] for d in dims}, scope)
                    out.setdefault(
                        rows_of(group), described(group, scope, f"{name}, {row[HIDDEN]}")
                    )
    return out


@pytest.mark.xfail(
    strict=True,
    reason="leak: secondary cells chosen page by page are shown on other pages (or as the "
    "total of their parent on the same page: D-1 as 'Women at D-1 and above')",
)
def test_a_withheld_group_is_shown_nowhere(pages: dict[str | None, list[Page]]) -> None:
    """The root of the cases above: a group withheld on one page (the same people, however
    they are named) is shown on no other. Today, among 11: the Entities page withholds Mid,
    which Mid's own Overview shows (57 people); the unfiltered Grades page withholds D-1 (11) as
    P-2's partner while its card 'Women at D-1 and above' reads '4 women of 11 people' (D-1 is
    the only top grade); the heatmap withholds Big's P-4, which Big's Grades page shows (37);
    the Data page by entity and station withholds Big's New York and Mid's Kabul, which the
    Stations page shows (77 and 13: each station is one entity's); the Data page by entity and
    category withholds Mid's General Service, which the heatmap shows as Mid's G-5 (17)."""
    published = published_groups(pages)
    shown_anyway = [
        f"{why} -> shown as {published[rows]}"
        for rows, why in withheld_everywhere(pages).items()
        if rows in published
    ]
    assert shown_anyway == []


@pytest.mark.xfail(strict=True, reason="leak: see test_no_small_group_is_a_difference_of_...")
def test_no_small_group_is_a_combination_of_published_figures(
    pages: dict[str | None, list[Page]],
) -> None:
    """The general form of the cases above: a small group's count is worked out exactly when
    its rows are a linear combination of the groups whose counts are published (each is a 0/1
    vector over the CSV rows of the latest year); then so are its women."""
    latest = LATEST
    position = {index: i for i, index in enumerate(latest.index)}
    published = list(published_groups(pages))
    matrix = np.zeros((len(published), len(latest)))
    for i, group in enumerate(published):
        matrix[i, [position[r] for r in group]] = 1
    rank = np.linalg.matrix_rank(matrix)
    derivable = set()
    for scope in SCOPES:
        for group, _, _ in small_groups(scope):
            rows = latest
            for dim, value in group.items():
                rows = rows[rows[dim] == value]
            vector = np.zeros(len(latest))
            vector[[position[r] for r in rows.index]] = 1
            if np.linalg.matrix_rank(np.vstack([matrix, vector])) == rank:
                derivable.add(
                    " + ".join(f"{r.entity} {r.duty_station} {r.grade}" for r in rows.itertuples())
                )
    # today: Tiny (Vienna, P-3), Mid's D-1, Juba and Dakar; only Big's P-2 holds
    assert sorted(derivable) == []


def test_planning_shows_no_share_of_a_few_appointments(
    pages: dict[str | None, list[Page]],
) -> None:
    # All entities, plan by staff category: the only Directors appointment (2021-2025) is Big's
    # D-1, a woman. The Flows page withholds it (1 event); the plan's table says 100%.
    assert events(None, "appointment", category="Directors") == 1
    flows = next(grids(_page(pages, None, "flows").out))
    assert next(r for r in flows if r["category"] == "Directors")["appointment_share"] is None
    plan = next(grids(_page(pages, None, "planning by category").out))
    directors = next(r for r in plan if r["category"] == "Directors")
    assert directors["recent_hire_share"] is None, directors
