"""Public mode under attack (issue 20): the public view is one protected publication, and no
combination of public answers gives a small group away.

1. The linked protection on hand-made data, checked by hand (parity.privacy.linked).
2. A hostile data set (below) with small groups of every kind: a small entity, small grades,
   small duty stations, a small field location, small groups of nationals (alone, by entity,
   as their region and UN regional group). Every public answer is harvested: every table
   the privacy rule protects while the pages, downloads and briefings of every selection are
   built (no filter, each entity, each pair of entities, each value of each filter, entity ×
   each value, each year), with the group each shown row is of. Each answer is an equation over
   the data's rows (women and men apart). An attacker then tries, for every group of 1 to 4
   people: (a) every differencing route (an answer less one or two answers covering the rest);
   (b) the linear system of all answers: the group is recovered when the system determines it,
   or when rounding its least-squares solution gives the truth. Expected small groups are
   computed from the CSV text, never from the product.
3. The five routes and two general leaks found before the publication (they were strict xfails).
"""

from __future__ import annotations

import contextlib
import io
import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from parity.briefing import build_briefing
from parity.errors import ParityError
from parity.filters import FilterState
from parity.frame import load_flows, load_frame
from parity.ingest import parse_file
from parity.privacy import (
    FILTER_DIMENSIONS,
    HIDDEN,
    SECONDARY,
    SMALL,
    PrivacyRule,
    _conditions,
    linked,
)
from parity.privacy.linked import public_rule
from parity.privacy.programs import Layout, members, program
from parity.privacy.publication import SHOWN, WITHHELD
from parity.privacy.ranges import audit
from parity.privacy.slabs import cells, slabs
from parity.privacy.solver import Solver
from parity.reference import Reference
from parity.store import Store
from parity.views.data import data_table
from parity.views.entities import entities as entities_view
from parity.views.flows import flows as flows_view
from parity.views.geography import geography as geography_view
from parity.views.grades import grades as grades_view
from parity.views.overview import overview as overview_view
from parity.views.planning.scenario import Scenario
from parity.views.planning.view import planning as planning_view
from parity.views.stations import stations as stations_view
from parity.views.trends import trends as trends_view

# one worker builds the hostile store and harvests its answers once (make test: --dist loadgroup)
pytestmark = pytest.mark.xdist_group("privacy")


# -- 1. the linked protection on hand-made data ---------------------------------------------------

E2E = Path(__file__).parent / "e2e" / "data"


def publication_of(text: str, reference: Reference, tmp_path: Path) -> Any:
    path = tmp_path / "staff.csv"
    path.write_text(text)
    store = Store(f"sqlite:///{tmp_path / 'p.db'}")
    try:
        store.import_parsed(parse_file(path, store.reference()))
        frame = load_frame(store)
    finally:
        store.dispose()
    return frame, public_rule(frame, None, reference, 5)


def test_a_small_grade_and_the_cells_that_protect_it(reference: Reference, tmp_path: Path) -> None:
    """tests/e2e/data/staff.csv, 2025: Alpha Geneva P-4 6/4, Geneva D-1 1/3, Juba P-3 2/8;
    Beta Nairobi P-4 5/5, P-3 9/6. Alpha's D-1 (4 people) is small, and so D-1 of all entities
    (the same people), Alpha's Directors and its scopes D-1 and above, P-5 and above. Alpha's
    P-4 and above (14) less P-4 would give D-1: P-4 goes with it, and P-4 of all entities (or
    all's P-4, 20, less Beta's 10); Alpha's Professional (20) too (Alpha's 24 less it). Alpha's
    P-3 (10) stays shown: all entities' P-3 (25) less Beta's (15) gives it anyway."""
    frame, rule = publication_of((E2E / "staff.csv").read_text(), reference, tmp_path)
    published = rule.publication.published("staff", 2025)
    assert sorted(published.withheld.items(), key=str) == sorted(
        {
            ("grade", "Alpha", "D-1"): "small",
            ("grade", None, "D-1"): "small",
            ("category", "Alpha", "Directors"): "small",
            ("category", None, "Directors"): "small",
            ("scope", "Alpha", "d1-and-above"): "small",
            ("scope", None, "d1-and-above"): "small",
            ("scope", "Alpha", "p5-and-above"): "small",
            ("scope", None, "p5-and-above"): "small",
            ("grade", "Alpha", "P-4"): "secondary",
            ("grade", None, "P-4"): "secondary",
            ("category", "Alpha", "Professional"): "secondary",
            ("category", None, "Professional"): "secondary",
        }.items(),
        key=str,
    )
    # by hand, with everything published: D-1 + P-4 = 14 (Alpha's P-4 and above), Alpha's P-3
    # is 10 (25 - 15), and nothing else holds D-1: it could be 0 to 14 people; its women, 0 to
    # 7 (Alpha's 9 less P-3's 2); its men, 0 to 7 (15 - 8). The audit agrees.
    slab = next(s for s in slabs(frame, reference) if s.year == 2025)
    table = cells(slab)
    layout = Layout(slab, table)
    withheld = np.array(
        [linked.named(slab, key) in published.withheld for key in table.keys], dtype=bool
    )
    system = program(layout, withheld)
    solver = Solver(system)
    d1 = table.index[("grade", 0, "D-1")]
    columns, constant = members(layout, system, d1)
    ranges = [
        (
            constant[g] + solver.extreme(g, columns, False),
            constant[g] + solver.extreme(g, columns, True),
        )
        for g in range(2)
    ]
    assert ranges == [(0.0, 7.0), (0.0, 7.0)]
    failing, _solved = audit(layout, withheld, 5)
    assert failing == []


def test_a_tiny_entity_takes_another_entity_total_with_it(
    reference: Reference, tmp_path: Path
) -> None:
    """A fourth entity of 2 people (2025): its total is small. All entities' total (77) less
    the others' would give it: another entity's total goes with it — Alpha's, the smallest (10),
    and every cell that is Alpha's total under another name (its only grade, station, country,
    region, HQ) — while the total of all and the larger entities' totals stay shown."""
    text = (E2E / "staff.csv").read_text().replace("2025,Alpha,Juba,P-3,2,8\n", "").replace(
        "2025,Alpha,Geneva,D-1,1,3\n", ""
    ) + "2025,Delta,Bangkok,P-2,2,0\n"
    _frame, rule = publication_of(text, reference, tmp_path)
    withheld = rule.publication.published("staff", 2025).withheld
    assert withheld[("total", "Delta", "")] == "small"
    assert withheld[("total", "Alpha", "")] == "secondary"
    for key in (("grade", "Alpha", "P-4"), ("duty_station", "Alpha", "Geneva"),
                ("location", "Alpha", "HQ"), ("country", "Alpha", "Switzerland")):  # fmt: skip
        assert key in withheld, key
    for shown in (("total", None, ""), ("total", "Beta", "")):
        assert shown not in withheld, shown
    assert rule.status(2025, ("Beta",), {}) == SHOWN
    assert rule.status(2025, ("Alpha", "Delta"), {}) == WITHHELD
    assert rule.status(2025, (), {}) == SHOWN


def test_a_combination_the_publication_does_not_hold_is_not_answered(
    reference: Reference, tmp_path: Path
) -> None:
    _frame, rule = publication_of((E2E / "staff.csv").read_text(), reference, tmp_path)
    # a grade at a duty station: two families together
    assert rule.status(2025, ("Beta",), {"grade": ("P-4",), "duty_station": ("Nairobi",)}) == (
        "not held"
    )
    # a grade's staff category: one family; the grades of Professional: its cells
    assert rule.status(2025, ("Beta",), {"category": ("Professional",), "grade": ("P-4",)}) == (
        SHOWN
    )
    # two entities together: shown only when each is
    assert rule.status(2025, ("Alpha", "Beta"), {"grade": ("P-3",)}) == SHOWN
    assert rule.status(2025, ("Alpha", "Beta"), {"grade": ("P-4",)}) == WITHHELD


def test_exact_rules_hide_nothing() -> None:
    rule = PrivacyRule(0)
    table = pd.DataFrame({"grade": ["A"], "women": [1], "men": [0], "other": [0]})
    out = rule.protect(table, ["grade"])
    assert out[HIDDEN].isna().all() and int(out["women"].iloc[0]) == 1
    with pytest.raises(ValueError, match="cannot be negative"):
        PrivacyRule(-1)
    with pytest.raises(ValueError, match="needs its publication"):
        PrivacyRule(5).protect(table, ["grade"])


# -- 2. the hostile data set ------------------------------------------------------------------

STAFF = """year,entity,duty_station,grade,nationality,women,men
2024,Big,New York,D-1,France,3,4
2024,Big,New York,P-4,Kenya,11,14
2024,Big,New York,P-3,France,9,11
2024,Big,New York,G-5,Chile,15,9
2024,Big,Geneva,P-4,France,6,5
2024,Big,Geneva,P-2,Nepal,1,1
2024,Big,Juba,P-3,Uganda,1,2
2024,Mid,Nairobi,P-4,Kenya,9,12
2024,Mid,Nairobi,G-5,Kenya,8,8
2024,Mid,Nairobi,D-1,Chile,1,3
2024,Mid,Kabul,P-3,Nepal,5,7
2024,Mid,Dakar,P-3,France,1,1
2024,Tiny,Vienna,P-3,France,1,2
2025,Big,New York,D-1,France,3,4
2025,Big,New York,P-4,Kenya,12,13
2025,Big,New York,P-3,France,10,10
2025,Big,New York,G-5,Chile,15,10
2025,Big,Geneva,P-4,France,6,6
2025,Big,Geneva,P-2,Nepal,1,2
2025,Big,Juba,P-3,Uganda,1,1
2025,Mid,Nairobi,P-4,Kenya,10,12
2025,Mid,Nairobi,G-5,Kenya,8,9
2025,Mid,Nairobi,D-1,Chile,1,3
2025,Mid,Kabul,P-3,Nepal,6,7
2025,Mid,Dakar,P-3,France,1,0
2025,Tiny,Vienna,P-3,France,1,3
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
MIN_CELL = 5
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
# the nationalities' UN regional group and region (data/reference)
NATIONS = {
    "Kenya": ("African", "Africa"),
    "Uganda": ("African", "Africa"),
    "France": ("Western European and Others", "Europe"),
    "Chile": ("Latin American and Caribbean", "Americas"),
    "Nepal": ("Asia-Pacific", "Asia"),
}
DIMS = ("entity", "grade", "category", "duty_station", "country", "location", "nationality",
        "regional_group", "nationality_region", "level")  # fmt: skip
GROUPINGS = (
    ("entity",), ("grade",), ("duty_station",), ("location",), ("category",), ("country",),
    ("nationality",), ("regional_group",), ("nationality_region",),
    ("entity", "grade"), ("entity", "duty_station"), ("entity", "location"),
    ("entity", "category"), ("entity", "nationality"), ("entity", "regional_group"),
    ("entity", "nationality_region"),
)  # fmt: skip
DATA_BYS = (
    ["entity", "grade"], ["duty_station"], ["entity", "location"], ["grade"], ["category"],
    ["location"], ["entity", "category"], ["entity", "duty_station"], ["country"],
    ["nationality"], ["entity", "regional_group"], ["nationality_region"],
)  # fmt: skip


def _stock() -> pd.DataFrame:
    stock = pd.read_csv(io.StringIO(STAFF))
    stock["location"] = stock["duty_station"].map(lambda s: STATIONS[s][0])
    stock["country"] = stock["duty_station"].map(lambda s: STATIONS[s][1])
    stock["category"] = stock["grade"].map(CATEGORIES)
    stock["regional_group"] = stock["nationality"].map(lambda n: NATIONS[n][0])
    stock["nationality_region"] = stock["nationality"].map(lambda n: NATIONS[n][1])
    stock["level"] = np.where(stock["grade"] == "D-1", "D-1 and above", "below D-1")
    return stock


STOCK = _stock()
EVENTS = pd.read_csv(io.StringIO(FLOWS)).assign(category=lambda f: f["grade"].map(CATEGORIES))


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
    return 0 < sum(counts(group, year)) < MIN_CELL


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
            if 0 < women + men < MIN_CELL:
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
        # nationals: Uganda's (Big's Juba), Big's Nepalese (Geneva's P-2), Mid's Chilean
        # director, Mid's French (Dakar), Tiny's French; each also as its region and group
        (("nationality", "Uganda"),): (1, 1),
        (("entity", "Big"), ("nationality", "Uganda")): (1, 1),
        (("entity", "Big"), ("nationality", "Nepal")): (1, 2),
        (("entity", "Big"), ("nationality_region", "Asia")): (1, 2),
        (("entity", "Big"), ("regional_group", "Asia-Pacific")): (1, 2),
        (("entity", "Mid"), ("nationality", "Chile")): (1, 3),
        (("entity", "Mid"), ("nationality_region", "Americas")): (1, 3),
        (("entity", "Mid"), ("regional_group", "Latin American and Caribbean")): (1, 3),
        (("entity", "Mid"), ("nationality", "France")): (1, 0),
        (("entity", "Mid"), ("nationality_region", "Europe")): (1, 0),
        (("entity", "Mid"), ("regional_group", "Western European and Others")): (1, 0),
        (("entity", "Tiny"), ("nationality", "France")): (1, 3),
        (("entity", "Tiny"), ("nationality_region", "Europe")): (1, 3),
        (("entity", "Tiny"), ("regional_group", "Western European and Others")): (1, 3),
    }
    assert counts({}) == (75, 80) and counts({"entity": "Big"}) == (48, 46)
    assert counts({"regional_group": "African"}) == (31, 35)  # Kenya 30/34 and Uganda 1/1


@dataclass
class Hostile:
    frame: pd.DataFrame
    flows: pd.DataFrame
    targets: pd.DataFrame
    reference: Reference
    rule: PrivacyRule  # the public rule, with the hostile store's publication


# -- 3. every public answer, harvested -----------------------------------------------------------

EVENT_ROWS = (  # the flows' own cells: one per year, entity, grade and event
    EVENTS.assign(
        women=np.where(EVENTS["gender"] == "F", EVENTS["count"], 0),
        men=np.where(EVENTS["gender"] == "M", EVENTS["count"], 0),
    )
    .groupby(["year", "entity", "grade", "category", "event"], as_index=False)[["women", "men"]]
    .sum()
)


@dataclass(frozen=True)
class Answer:
    """A figure the public view gives: the group (its year, kind, entities, conditions) and
    its women and men, or that it is withheld."""

    kind: str
    year: int
    rows: frozenset[int]  # the group, as rows of STOCK (staff) or EVENT_ROWS (flows)
    women: int | None
    men: int | None
    where: str
    withheld: bool = False  # withheld to protect a small group (not: not in the public tables)
    family: str = "total"  # the family of tables it is a cell of (see FAMILY)


def group_rows(
    kind: str, year: int, entities: tuple[str, ...], conditions: Mapping[str, Any]
) -> frozenset[int]:
    """The rows of the data a group holds: the same people, however the group is named."""
    data = STOCK if kind == "staff" else EVENT_ROWS[EVENT_ROWS["event"] == kind]
    keep = (data["year"] == year).to_numpy().copy()
    if entities:
        keep &= data["entity"].isin(entities).to_numpy()
    for dim, values in conditions.items():
        if dim not in data:
            if any(str(v) != "" for v in values):  # flows have no station: no one there
                keep &= False
            continue
        keep &= data[dim].astype(str).isin([str(v) for v in values]).to_numpy()
    return frozenset(data.index[keep])


FAMILY = {
    "grade": "grade",
    "category": "grade",
    "duty_station": "station",
    "country": "station",
    "region": "station",
    "location": "station",
    "nationality": "nationality",
    "regional_group": "nationality",
    "nationality_region": "nationality",
}
"""The attacker's model of the tables: each a sum of the finest cells of its family (an entity's
grade, an entity's duty station), the families tied by the entities' totals."""


def family_of(conditions: Mapping[str, Any]) -> str:
    found = {FAMILY[d] for d in conditions if d in FAMILY}
    return found.pop() if len(found) == 1 else "total" if not found else "mixed"


def finest(kind: str, family: str, index: int) -> tuple[str, str]:
    """A data row's finest cell in a family: (entity, grade), (entity, duty station) or
    (entity, nationality)."""
    row = (STOCK if kind == "staff" else EVENT_ROWS).loc[index]
    if family == "station":
        return str(row["entity"]), str(row.get("duty_station", ""))
    if family == "nationality":
        return str(row["entity"]), str(row.get("nationality", ""))
    return str(row["entity"]), str(row["grade"])


@dataclass
class Harvest:
    answers: list[Answer]
    selections: int


def selections() -> Iterator[FilterState]:
    """No filter, each entity, each pair, each value of each filter alone and with each entity,
    in each year."""
    entities = sorted(STOCK["entity"].unique())
    values = {
        dim: sorted(STOCK[dim].astype(str).unique())
        for dim in ("grade", "category", "duty_station", "country", "location", "nationality",
                    "regional_group")
    }  # fmt: skip
    for year in (2024, 2025):
        yield FilterState(year=year)
        for entity in entities:
            yield FilterState(year=year, entity=(entity,))
        for pair in itertools.combinations(entities, 2):
            yield FilterState(year=year, entity=pair)
        for dim, listed in values.items():
            for value in listed:
                yield FilterState.from_mapping({"year": [str(year)], dim: [value]})
                for entity in entities:
                    yield FilterState.from_mapping(
                        {"year": [str(year)], "entity": [entity], dim: [value]}
                    )


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hostile]:
    folder = tmp_path_factory.mktemp("hostile")
    store = Store(f"sqlite:///{folder / 'h.db'}")
    for name, text in (("staff.csv", STAFF), ("flows.csv", FLOWS), ("targets.csv", TARGETS)):
        (folder / name).write_text(text)
        store.import_parsed(parse_file(folder / name, store.reference()))
    frame, flows, reference = load_frame(store), load_flows(store), store.reference()
    rule = public_rule(frame, flows, reference, 5)
    yield Hostile(frame, flows, store.read_targets(), reference, rule)
    store.dispose()


@pytest.fixture(scope="module")
def harvest(hostile: Hostile) -> Harvest:
    """Every answer the public rule gives while every page's view, every download's table and
    every briefing's content is built for every selection: each row of each table it protects,
    shown or withheld. (More than the pages show: tables the views make but do not display
    count too, so the attacker knows at least what a reader does.)"""
    answers: list[Answer] = []
    protect = PrivacyRule.protect

    def recording(self: PrivacyRule, table: pd.DataFrame, dims: Any, **kw: Any) -> pd.DataFrame:
        out = protect(self, table, dims, **kw)
        filters, kind = kw.get("filters"), kw.get("kind", "staff")
        base = _conditions(filters, kw.get("where"))
        entities = tuple(getattr(filters, "entity", ()) or ())
        for _, row in out.iterrows():
            year = row["year"] if "year" in dims else kw.get("year")
            if year is None or pd.isna(year):
                continue
            conditions = dict(base)
            owners = (str(row["entity"]),) if "entity" in dims else entities
            for dim in dims:
                if dim in FILTER_DIMENSIONS:
                    conditions[dim] = (str(row[dim]) if not pd.isna(row[dim]) else "",)
            rows = group_rows(kind, int(year), owners, conditions)
            shown = pd.isna(row[HIDDEN])
            answers.append(
                Answer(
                    kind,
                    int(year),
                    rows,
                    int(row["women"]) if shown else None,
                    int(row["men"]) if shown else None,
                    f"{kind} {int(year)} {owners or 'all'} {conditions}",
                    row[HIDDEN] in (SMALL, SECONDARY),
                    family_of(conditions),
                )
            )
        return out

    h = hostile
    count = 0
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(PrivacyRule, "protect", recording)
        for f in selections():
            count += 1
            args = (h.frame, f, h.rule, h.reference)
            overview_view(*args)
            grades_view(*args)
            stations_view(*args)
            entities_view(*args)
            for by in ("category", "grade"):
                trends_view(*args, by=by)
            flows_view(h.frame, h.flows, f, h.rule, h.reference)
            for by in ("category", "grade"):
                planning_view(h.frame, h.flows, h.targets, f, Scenario(by=by), h.rule, h.reference)
            for by in DATA_BYS:
                data_table(h.frame, f, by, h.rule, h.reference)
            geography_view(*args)
            if len(f.selections()) <= 1:  # the briefings of no filter and of each entity
                with contextlib.suppress(ParityError):  # refused: withheld, or empty
                    build_briefing(h.frame, f, h.reference, rule=h.rule, flow_frame=h.flows)
    return Harvest(answers, count)


def small_targets() -> list[tuple[str, int, frozenset[int], int, int, str, str]]:
    """Every group of 1 to 4 people (staff, each year) and of 1 to 4 events (flows, 2025) of
    the groupings a page can show, as (kind, year, rows, women, men, name)."""
    out = {}
    for year in (2024, 2025):
        for scope in SCOPES:
            for group, women, men in small_groups(scope, year):
                owners = (group["entity"],) if "entity" in group else ()
                conditions = {d: (v,) for d, v in group.items() if d != "entity"}
                rows = group_rows("staff", year, owners, conditions)
                family = family_of(conditions)
                out[("staff", year, rows)] = (women, men, f"staff {year} {group}", family)
    for event in ("appointment", "promotion", "separation"):
        data = EVENT_ROWS[EVENT_ROWS["event"] == event]
        for dims in (("entity",), ("grade",), ("category",), ("entity", "grade"),
                     ("entity", "category"), ()):  # fmt: skip
            for key, part in data.groupby(list(dims)) if dims else [((), data)]:
                women, men = int(part["women"].sum()), int(part["men"].sum())
                if 0 < women + men < 5:
                    key = key if isinstance(key, tuple) else (key,)
                    out[(event, 2025, frozenset(part.index))] = (
                        women,
                        men,
                        f"{event} 2025 {dict(zip(dims, key, strict=True))}",
                        family_of({d: () for d in dims if d != "entity"}),
                    )
    return [(k, y, rows, w, m, name, f) for (k, y, rows), (w, m, name, f) in out.items()]


@pytest.mark.slow
def test_the_harvest_is_wide(harvest: Harvest) -> None:
    """The attacker saw every selection and thousands of answers, most of them shown."""
    shown = [a for a in harvest.answers if a.women is not None]
    assert harvest.selections == 2 * (1 + 3 + 3 + 33 * 4)
    assert len(shown) > 1_000
    kinds = {a.kind for a in shown}
    assert kinds == {"staff", "appointment", "promotion", "separation"}


@pytest.mark.slow
def test_no_small_group_is_shown(harvest: Harvest) -> None:
    """No answer shows a group of 1 to 4 people (or events), whatever it is called."""
    small = {(k, y, rows) for k, y, rows, _w, _m, _n, _f in small_targets()}
    shown = [
        a for a in harvest.answers if a.women is not None and (a.kind, a.year, a.rows) in small
    ]
    assert shown == []


@pytest.mark.slow
def test_a_withheld_group_is_shown_nowhere(harvest: Harvest) -> None:
    """A group withheld in one answer (the same people, however named) is shown in no other:
    one publication decides, for every page, table and selection."""
    withheld = {(a.kind, a.year, a.rows): a.where for a in harvest.answers if a.withheld}
    shown_anyway = [
        f"{withheld[(a.kind, a.year, a.rows)]} -> shown as {a.where}"
        for a in harvest.answers
        if a.women is not None and a.rows and (a.kind, a.year, a.rows) in withheld
    ]
    assert shown_anyway == []


def least_squares(
    harvest: Harvest, kind: str, year: int
) -> tuple[np.ndarray, np.ndarray, dict[tuple[str, str, str], int]]:
    """The attacker's linear system of one kind and year: the unknowns are each family's finest
    cells; each shown answer sums those of its family (a total, those of the grade family),
    and each entity's families hold the same people. Its matrix, its rank's witness (the
    matrix), the solution of least norm for women and men, and the unknowns' positions."""
    data = STOCK if kind == "staff" else EVENT_ROWS[EVENT_ROWS["event"] == kind]
    rows = list(data.index[data["year"] == year])
    keys: dict[tuple[str, str, str], int] = {}
    for family in ("grade", "station", "nationality"):
        for r in rows:
            keys.setdefault((family, *finest(kind, family, r)), len(keys))
    equations: list[np.ndarray] = []
    values: list[tuple[int, int]] = []
    for a in harvest.answers:
        if (a.kind, a.year) != (kind, year) or a.women is None or not a.rows:
            continue
        family = "grade" if a.family == "total" else a.family
        vector = np.zeros(len(keys))
        for r in a.rows:
            vector[keys[(family, *finest(kind, family, r))]] = 1
        equations.append(vector)
        values.append((a.women, a.men))
    for entity in sorted({k[1] for k in keys}):  # an entity's grades are its stations' people
        for other in ("station", "nationality"):  # and its nationals'
            vector = np.zeros(len(keys))
            for (family, owner, _cell), i in keys.items():
                if owner == entity and family in ("grade", other):
                    vector[i] = 1 if family == "grade" else -1
            equations.append(vector)
            values.append((0, 0))
    matrix = np.array(equations)
    solution = np.linalg.lstsq(matrix, np.array(values, dtype=float), rcond=None)[0]
    return matrix, solution, keys


def target_vector(
    kind: str, group: frozenset[int], family: str, keys: dict[tuple[str, str, str], int]
) -> np.ndarray:
    family = "grade" if family == "total" else family
    vector = np.zeros(len(keys))
    for r in group:
        vector[keys[(family, *finest(kind, family, r))]] = 1
    return vector


@pytest.mark.slow
def test_no_differencing_route_gives_a_small_group(harvest: Harvest) -> None:
    """(a) For every small group: no answer less one or two others (covering exactly the rest
    of its people) is the group. Today's pages gave every one of them so."""
    shown: dict[tuple[str, int], set[frozenset[int]]] = {}
    for a in harvest.answers:
        if a.women is not None and a.rows:
            shown.setdefault((a.kind, a.year), set()).add(a.rows)
    routes = []
    for kind, year, rows, _w, _m, name, _family in small_targets():
        answers = shown.get((kind, year), set())
        for whole in answers:
            if not rows < whole:
                continue
            rest = whole - rows
            if rest in answers:
                routes.append(f"{name}: {sorted(whole)} less {sorted(rest)}")
                continue
            for part in answers:
                if part < rest and (rest - part) in answers:
                    routes.append(f"{name}: {sorted(whole)} less two answers")
                    break
    assert routes == []


@pytest.mark.slow
def test_no_small_group_is_recovered_from_all_answers_together(harvest: Harvest) -> None:
    """(b) The linear system of every shown answer: no small group is determined by it, and
    rounding its least-squares solution does not give any small group's women and men."""
    recovered = []
    for kind, year in sorted({(a.kind, a.year) for a in harvest.answers}):
        matrix, solution, keys = least_squares(harvest, kind, year)
        rank = np.linalg.matrix_rank(matrix)
        for target_kind, target_year, group, women, men, name, family in small_targets():
            if (target_kind, target_year) != (kind, year):
                continue
            vector = target_vector(kind, group, family, keys)
            if np.linalg.matrix_rank(np.vstack([matrix, vector])) == rank:
                recovered.append(f"{name}: determined")
                continue
            estimate = vector @ solution
            if (round(estimate[0]), round(estimate[1])) == (women, men):
                recovered.append(f"{name}: least squares {estimate.round(2).tolist()}")
    assert recovered == []


@pytest.mark.slow
def test_the_audit_passes_for_every_slab(hostile: Hostile) -> None:
    """The publication's own audit: every withheld small cell spans 0 to 5 people and could
    hold no woman and no man, given every published cell."""
    publication = hostile.rule.publication
    for slab in slabs(hostile.frame, hostile.reference) + slabs(
        hostile.flows, hostile.reference, count="count"
    ):
        table = cells(slab)
        published = publication.published(slab.kind, slab.year)
        withheld = np.array(
            [linked.named(slab, key) in published.withheld for key in table.keys], dtype=bool
        )
        people = table.people
        assert (withheld >= ((people > 0) & (people < 5))).all()  # every small cell
        failing, _solved = audit(Layout(slab, table), withheld, 5)
        assert failing == [], (slab.kind, slab.year)


# -- 4. the routes found before the publication --------------------------------------------------

ROUTES = {
    # all entities' Overview (75 women of 155) less Big's (48 of 94) and Mid's (26 of 57)
    "Tiny": [((), {}), (("Big",), {}), (("Mid",), {})],
    # the staff categories: Directors of all entities (4 women of 11) less Big's (3 of 7)
    "Mid D-1, across selections": [
        ((), {"category": ("Directors",)}),
        (("Big",), {"category": ("Directors",)}),
    ],
    # Mid: all (26 of 57) less Professional (17 of 36) less G-5 (8 of 17)
    "Mid D-1, within Mid": [
        (("Mid",), {}),
        (("Mid",), {"category": ("Professional",)}),
        (("Mid",), {"grade": ("G-5",)}),
    ],
    # the field of all entities (8 women of 16) less Mid's (7 of 14): Big's Juba
    "Juba (Big's field)": [
        ((), {"location": ("Field",)}),
        (("Mid",), {"location": ("Field",)}),
    ],
    # Mid's field (7 of 14) less Kabul (6 of 13, all Mid's): Dakar
    "Dakar": [(("Mid",), {"location": ("Field",)}), ((), {"duty_station": ("Kabul",)})],
    # tables that meet in the data: Nepal's nationals (7 of 16) less Kabul's staff (6 of 13,
    # all Nepalese): Big's Nepalese at Geneva (1 of 3); found by the harvest's differencing
    # attack once nationals were in it (parity.privacy.coincidence)
    "Big's Nepalese": [((), {"nationality": ("Nepal",)}), ((), {"duty_station": ("Kabul",)})],
}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(ROUTES))
def test_no_small_group_is_a_difference_of_published_figures(hostile: Hostile, case: str) -> None:
    """Each route subtracted groups the pages all showed; now at least one of them is withheld
    (the others may be shown)."""
    statuses = [hostile.rule.status(YEAR, e, c) for e, c in ROUTES[case]]
    assert WITHHELD in statuses, statuses
