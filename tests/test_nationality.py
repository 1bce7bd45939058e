"""Nationality as a dimension of counts (issue 24): any common spelling stored as the country
list's name, its region and UN regional group derived, reported by the command line, and
protected in the public publication (for all entities together; an entity's are for its
signed-in users), on a data set built to hold small groups of nationals. Figures worked out
by hand from STAFF."""

from __future__ import annotations

import io
import itertools
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from parity.cli import main
from parity.errors import FileRefused
from parity.frame import load_frame
from parity.ingest import parse_file
from parity.privacy import linked
from parity.privacy.linked import public_rule
from parity.privacy.programs import Layout
from parity.privacy.publication import NOT_HELD, SHOWN, WITHHELD
from parity.privacy.ranges import audit
from parity.privacy.slabs import cells, slabs
from parity.store import Store

# 2025. Big: P-4 Kenya 16/15, France 14/16, Nepal 1/0; P-3 Kenya 13/13, Chile 2/1, France
# 15/15. Mid: P-4 Chile 13/14, Nepal 1/1, Kenya 2/2; P-3 France 10/10. Spellings vary: one
# country, one stored name.
STAFF = """year,entity,grade,gender,nationality,headcount
2025,Big,P-4,F,Kenya,16
2025,Big,P-4,M,KEN,15
2025,Big,P-4,F,France,14
2025,Big,P-4,M,fr,16
2025,Big,P-4,F,Népal,1
2025,Big,P-3,F,KE,13
2025,Big,P-3,M,kenya,13
2025,Big,P-3,F,Chili,2
2025,Big,P-3,M,CHL,1
2025,Big,P-3,F,FRA,15
2025,Big,P-3,M,République française,15
2025,Mid,P-4,F,Chile,13
2025,Mid,P-4,M,Chile,14
2025,Mid,P-4,F,NPL,1
2025,Mid,P-4,M,Nepal,1
2025,Mid,P-4,F,Kenya,2
2025,Mid,P-4,M,Kenya,2
2025,Mid,P-3,F,France,10
2025,Mid,P-3,M,France,10
"""
# by nationality, all entities (women, men)
NATIONALS = {"Kenya": (31, 30), "France": (39, 41), "Chile": (15, 15), "Nepal": (2, 1)}
GROUPS = {  # the UN regional groups of those four
    "African": (31, 30),
    "Western European and Others": (39, 41),
    "Latin American and Caribbean": (15, 15),
    "Asia-Pacific": (2, 1),
}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    folder = tmp_path_factory.mktemp("nationality")
    (folder / "staff.csv").write_text(STAFF)
    made = Store(f"sqlite:///{folder / 'n.db'}")
    made.import_parsed(parse_file(folder / "staff.csv", made.reference()))
    return made


def test_spellings_are_stored_as_one_name_with_region_and_group(store: Store) -> None:
    frame = load_frame(store)
    by = frame.groupby(["nationality", "gender"], observed=True)["headcount"].sum()
    assert {n: (int(by[n, "F"]), int(by[n, "M"])) for n in NATIONALS} == NATIONALS
    assert sorted(frame["nationality"].cat.categories) == ["Chile", "France", "Kenya", "Nepal"]
    derived = frame.drop_duplicates("nationality").set_index("nationality")
    assert derived.loc["Kenya", "regional_group"] == "African"
    assert derived.loc["Nepal", "regional_group"] == "Asia-Pacific"
    assert derived.loc["Chile", "nationality_region"] == "Americas"
    assert derived.loc["France", "nationality_region"] == "Europe"


def test_an_unknown_nationality_is_refused_naming_the_closest(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("year,entity,grade,gender,nationality,headcount\n2025,A,P-4,F,Kenia,3\n")
    with pytest.raises(FileRefused) as refused:
        parse_file(path, store.reference())
    assert str(refused.value).splitlines()[1] == (
        "bad.csv: row 2, column 'nationality': 'Kenia' is not a country in the reference list; "
        "did you mean Kenya?"
    )


def test_reports_by_nationality_region_and_group(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    db = store.url.render_as_string(hide_password=False)
    for by, expected in (("nationality", NATIONALS), ("regional_group", GROUPS)):
        assert main(["report", "--by", by, "--db", db, "--format", "json"]) == 0
        rows = {r[by]: (r["women"], r["men"]) for r in json.loads(capsys.readouterr().out)}
        assert rows == expected
    where = ["--where", "regional_group=African", "--by", "entity"]
    assert main(["report", *where, "--db", db, "--format", "json"]) == 0
    rows = {r["entity"]: (r["women"], r["men"]) for r in json.loads(capsys.readouterr().out)}
    assert rows == {"Big": (29, 28), "Mid": (2, 2)}


def test_small_groups_of_nationals_are_withheld_and_an_entitys_are_not_public(
    store: Store,
) -> None:
    """Nepal (3 people) and Asia-Pacific (Nepal's 3): withheld; an entity's nationals (Big's
    Chileans, 3; Big's Kenyans, 57), region or group: not in the public tables at all; large
    groups shown unless a difference of shown figures would give a small one; and the
    publication's own audit holds for the nationality family (no withheld cell can be narrowed
    below 5 people)."""
    frame = load_frame(store)
    rule = public_rule(frame, None, store.reference(), 5)
    small = [((), {"nationality": ("Nepal",)}), ((), {"regional_group": ("Asia-Pacific",)})]
    for entities, conditions in small:
        assert rule.status(2025, entities, conditions) == WITHHELD, (entities, conditions)
    by_entity = [
        (("Big",), {"nationality": ("Chile",)}),
        (("Big",), {"nationality": ("Kenya",)}),
        (("Mid",), {"regional_group": ("African",)}),
        (("Big",), {"nationality_region": ("Asia",)}),
    ]
    for entities, conditions in by_entity:
        assert rule.status(2025, entities, conditions) == NOT_HELD, (entities, conditions)
    # all entities: Kenya (61) and France (80) shown; Chile (30) withheld with Nepal, or the
    # total (174) less Kenya, France and Chile would be Nepal's 3
    statuses = {n: rule.status(2025, (), {"nationality": (n,)}) for n in NATIONALS}
    assert statuses == {"Kenya": SHOWN, "France": SHOWN, "Chile": WITHHELD, "Nepal": WITHHELD}
    assert rule.status(2025, (), {}) == SHOWN
    for slab in slabs(frame, store.reference()):
        table = cells(slab)
        published = rule.publication.published(slab.kind, slab.year)  # type: ignore[union-attr]
        withheld = np.array(
            [linked.named(slab, key) in published.withheld for key in table.keys], dtype=bool
        )
        people = table.people
        assert (withheld >= ((people > 0) & (people < 5))).all()
        failing, _solved = audit(Layout(slab, table), withheld, 5)
        assert failing == [], (slab.kind, slab.year)


MEMBERS = """country,iso3,member,contribution_share,population
France,,true,0.6,60000000
Kenya,KEN,true,10%,50000000
Chili,,true,0.2,20000000
Nepal,NPL,true,0.1,30000000
Peru,PER,true,0,30000000
Holy See,VAT,false,0,800
"""


def test_desirable_ranges_of_the_staff_by_nationality(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Base 300, the UN's weights, five members: membership 120 / 5 = 24 posts each;
    contribution 165 x share (France 99, Kenya 16.5, Chile 33, Nepal 16.5, Peru 0); population
    15 x its share of 190 million (Kenya 3.947). Kenya's midpoint 44.447, flexibility 15% =
    6.667: 37.780 to 51.114, its 61 nationals over; Peru's midpoint 26.368, flexibility 4.8
    (15% is 3.96): 21.568 to 31.168, no national: unrepresented; France (80 of 108.6 to 146.9),
    Chile (30 of 49.8 to 67.4) and Nepal (3 of 36.4 to 49.3) under."""
    path = tmp_path / "members.csv"
    path.write_text(MEMBERS)
    db = store.url.render_as_string(hide_password=False)
    ranges = ["ranges", "--member-states", str(path), "--base", "300", "--db", db]
    assert main([*ranges, "--format", "json"]) == 0
    rows = {r["iso3"]: r for r in json.loads(capsys.readouterr().out)}
    assert {k: r["status"] for k, r in rows.items()} == {
        "FRA": "under", "KEN": "over", "CHL": "under", "NPL": "under", "PER": "unrepresented"
    }  # fmt: skip
    assert round(rows["KEN"]["midpoint"], 3) == 44.447
    assert (round(rows["KEN"]["lower"], 3), round(rows["KEN"]["upper"], 3)) == (37.78, 51.114)
    assert (round(rows["PER"]["lower"], 3), round(rows["PER"]["upper"], 3)) == (21.568, 31.168)
    assert (rows["KEN"]["women"], rows["KEN"]["men"]) == (31, 30)
    assert main([*ranges, "--by-status", "--format", "json"]) == 0
    statuses = {r["status"]: r for r in json.loads(capsys.readouterr().out)}
    assert (statuses["under"]["states"], statuses["under"]["women"]) == (3, 39 + 15 + 2)
    bad = tmp_path / "bad.csv"
    bad.write_text(MEMBERS.replace("Peru,PER", "Peruu,"))
    assert main(["ranges", "--member-states", str(bad), "--db", db]) == 2
    assert "row 6, column 'country': 'Peruu' is unknown (did you mean Peru?)" in (
        capsys.readouterr().err
    )


ATOMS = {  # (entity, nationality): people, from STAFF
    ("Big", "Kenya"): 57,
    ("Big", "France"): 60,
    ("Big", "Nepal"): 1,
    ("Big", "Chile"): 3,
    ("Mid", "Chile"): 27,
    ("Mid", "Nepal"): 2,
    ("Mid", "Kenya"): 4,
    ("Mid", "France"): 20,
}
GROUP_OF = {
    "Kenya": "African",
    "France": "Western European and Others",
    "Chile": "Latin American and Caribbean",
    "Nepal": "Asia-Pacific",
}
REGION_OF = {"Kenya": "Africa", "France": "Europe", "Chile": "Americas", "Nepal": "Asia"}


def _harvest(store: Store) -> set[frozenset[tuple[str, str]]]:
    """Every group the Geography page shows in the public view, over every selection of entity,
    regional group and nationality: each as the set of (entity, nationality) it covers."""
    from parity.filters import FilterState
    from parity.views.geography import geography

    frame = load_frame(store)
    rule = public_rule(frame, None, store.reference(), 5)
    shown: set[frozenset[tuple[str, str]]] = set()
    selections = [{}] + [{"regional_group": (g,)} for g in GROUP_OF.values()]
    selections += [{"nationality": (n,)} for n in GROUP_OF]
    for entity in (None, "Big", "Mid"):
        for extra in selections:
            filters = FilterState(entity=(entity,) if entity else (), **extra)
            view = geography(frame, filters, rule, store.reference())
            for table, dim, value_of in (
                (view.groups.data, "regional_group", GROUP_OF),
                (view.regions.data, "nationality_region", REGION_OF),
                (view.table.rows, "nationality", {n: n for n in GROUP_OF}),
            ):
                for _i, row in table.iterrows():
                    if pd.isna(row.get("women")):
                        continue  # withheld
                    atoms = frozenset(
                        (e, n)
                        for (e, n) in ATOMS
                        if (entity is None or e == entity)
                        and value_of[n] == row[dim]
                        and all(
                            (n in v) if d == "nationality" else (GROUP_OF[n] in v)
                            for d, v in extra.items()
                        )
                    )
                    if atoms:
                        assert sum(ATOMS[a] for a in atoms) == int(row["women"] + row["men"])
                        shown.add(atoms)
    return shown


def test_no_small_group_of_nationals_is_a_difference_of_shown_figures(store: Store) -> None:
    """The attack: harvest every figure the Geography page shows publicly across selections
    (entity, regional group, nationality), then subtract one or two shown groups from another:
    no result is a group of 1 to 4 people (Big's Nepalese, Big's Chileans, Mid's Nepalese, Mid's
    Kenyans, Nepal's 3 nationals, or any union of them under 5)."""
    shown = _harvest(store)
    # all entities' Kenyans (61) and French (80), as nationals, region and group: nothing else
    kenya = frozenset({("Big", "Kenya"), ("Mid", "Kenya")})
    assert shown == {kenya, frozenset({("Big", "France"), ("Mid", "France")})}
    atoms = list(ATOMS)
    small = [
        frozenset(c)
        for k in (1, 2)
        for c in itertools.combinations(atoms, k)
        if 0 < sum(ATOMS[a] for a in c) < 5
    ]
    routes = []
    for target in small:
        for whole in shown:
            if not target < whole:
                continue
            rest = whole - target
            if rest in shown or any(part < rest and rest - part in shown for part in shown):
                routes.append((sorted(target), sorted(whole)))
    assert routes == []
    assert not any(group in shown for group in small)


def test_nationalities_at_each_level_only_in_exact_views(store: Store) -> None:
    """Exact: Professional (P-4 and P-3, everyone here) holds 4 nationalities, 174 people, 87
    women of 174 (31 + 39 + 15 + 2): 50.0%. Public: empty, saying why (a count by level and
    nationality would tell where one national works)."""
    from parity.filters import FilterState
    from parity.privacy import PrivacyRule
    from parity.views.geography import geography

    frame = load_frame(store)
    exact = geography(frame, FilterState(), PrivacyRule(0), store.reference()).levels.rows
    row = exact.set_index("category").loc["Professional"]
    assert (int(row["nationalities"]), int(row["total"])) == (4, 174)
    assert float(row["women_share"]) == 87 / 174 == 0.5
    rule = public_rule(frame, None, store.reference(), 5)
    public = geography(frame, FilterState(), rule, store.reference()).levels
    assert public.rows.empty and "signed-in users" in public.empty


def _small_store(folder: Path, rows: list[str]) -> Store:
    """A store of the CSV lines ``rows`` (its header first)."""
    (folder / "staff.csv").write_text("\n".join(rows) + "\n")
    made = Store(f"sqlite:///{folder / 'small.db'}")
    made.import_parsed(parse_file(folder / "staff.csv", made.reference()))
    return made


def test_senior_levels_by_region_of_nationality(tmp_path: Path) -> None:
    """D-1 and above only: Africa (D-1 Kenyans 2 women, 3 men; the P-4 Kenyans left out) 5
    people, 40.0%; Europe (an ASG, French, a woman) 1, 100%; exact views only."""
    from parity.filters import FilterState
    from parity.privacy import PrivacyRule
    from parity.views.geography import geography

    made = _small_store(tmp_path, [
        "year,entity,grade,gender,nationality,headcount",
        "2025,A,D-1,F,Kenya,2", "2025,A,D-1,M,Kenya,3", "2025,A,ASG,F,France,1",
        "2025,A,P-4,F,Kenya,10", "2025,A,P-4,M,Kenya,10", "2025,A,P-4,M,France,10",
    ])  # fmt: skip
    frame = load_frame(made)
    senior = geography(frame, FilterState(), PrivacyRule(0), made.reference()).senior.rows
    assert senior["nationality_region"].tolist() == ["Africa", "Europe"]
    assert senior["total"].tolist() == [5, 1] and senior["women"].tolist() == [2, 1]
    assert senior["women_share"].tolist() == [0.4, 1.0]
    rule = public_rule(frame, None, made.reference(), 5)
    public = geography(frame, FilterState(), rule, made.reference()).senior
    assert public.rows.empty and "signed-in users" in public.empty
    made.dispose()


def test_an_entitys_nationalities_are_for_its_signed_in_users(tmp_path: Path) -> None:
    """The publication holds nationality, region and regional group for all entities together.
    Two entities of Kenyans, Ugandans (African), French and Germans (Western European and
    Others), no group small. Public, all entities: Kenya 20 + 8 = 28 shown, African 28 + 26 =
    54. Public, A: its nationalities and groups not public (the tables and charts say so rather
    than listing rows of "not public"); A's figures by group in exact views: African 40."""
    from parity.filters import FilterState
    from parity.privacy import PrivacyRule
    from parity.views.geography import geography

    rows = ["year,entity,grade,gender,nationality,headcount"]
    people = {"A": (10, 10, 10, 10), "B": (4, 3, 3, 4)}  # women, and as many men
    for entity, counts in people.items():
        for nationality, n in zip(("Kenya", "Uganda", "France", "Germany"), counts, strict=True):
            rows += [f"2025,{entity},P-4,{g},{nationality},{n}" for g in "FM"]
    made = _small_store(tmp_path, rows)
    frame = load_frame(made)
    rule = public_rule(frame, None, made.reference(), 5)
    everyone = geography(frame, FilterState(), rule, made.reference())
    assert everyone.table.rows.set_index("nationality")["total"].astype(int).to_dict() == {
        "Kenya": 28, "Uganda": 26, "France": 26, "Germany": 28
    }  # fmt: skip
    groups = everyone.groups.data.set_index("regional_group")["total"].astype(int).to_dict()
    assert groups == {"African": 54, "Western European and Others": 54}
    a = geography(frame, FilterState(entity=("A",)), rule, made.reference())
    assert a.table.rows.empty and "for all entities and all staff together" in a.table.empty
    assert a.groups.data.empty and "signed-in users" in a.groups.note
    assert a.sentences["geography"] == ""
    exact = geography(frame, FilterState(entity=("A",)), PrivacyRule(0), made.reference())
    assert int(exact.groups.data.set_index("regional_group").loc["African", "total"]) == 40
    made.dispose()


def test_a_briefing_carries_the_nationalities(store: Store, tmp_path: Path) -> None:
    """Exact figures: the PDF's 'By nationality' page (France 39 women, 41 men, first: the
    largest), the workbook's sheet of the same rows, the deck's two slides; a briefing of a
    store without nationalities has neither (tests/test_briefing.py's pages)."""
    from openpyxl import load_workbook
    from pptx import Presentation
    from pypdf import PdfReader

    from parity.briefing import build_briefing, write_briefing
    from parity.filters import FilterState
    from parity.privacy import PrivacyRule

    frame = load_frame(store)
    b = build_briefing(frame, FilterState(), store.reference(), rule=PrivacyRule(0))
    assert b.geography is not None
    workbook = tmp_path / "b.xlsx"
    workbook.write_bytes(write_briefing(b, "xlsx"))
    sheet = load_workbook(workbook)["By nationality"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows[0][:2] == ("France", "Western European and Others")
    assert [r[0] for r in rows] == ["France", "Kenya", "Chile", "Nepal"]
    # the deck: a native chart of the groups (Asia-Pacific 2 of 3, African 31 of 61, Latin
    # American 15 of 30, Western European 39 of 80), then the nationalities' table
    deck = Presentation(io.BytesIO(write_briefing(b, "pptx")))
    titled = {s.shapes[0].text_frame.text: s for s in deck.slides if s.shapes[0].has_text_frame}
    chart = next(s.chart for s in titled["By UN regional group, 2025"].shapes if s.has_chart)
    plot = chart.plots[0]
    shares = dict(zip(plot.categories, plot.series[0].values, strict=True))
    assert {k: round(v, 4) for k, v in shares.items()} == {
        "Asia-Pacific": 0.6667, "African": 0.5082, "Latin American and Caribbean": 0.5,
        "Western European and Others": 0.4875,
    }  # fmt: skip
    grid = next(s.table for s in titled["By nationality, 2025"].shapes if s.has_table)
    assert [grid.cell(r, 0).text for r in range(1, 5)] == ["France", "Kenya", "Chile", "Nepal"]
    if not Path("/usr/bin/chromium").exists():
        return  # the PDF's charts need Chromium
    pdf = tmp_path / "b.pdf"
    pdf.write_bytes(write_briefing(b, "pdf"))
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "By nationality, 2025" in text and "Staff of 4 nationalities shown." in text


def test_the_geography_page_sets_staff_against_desirable_ranges(
    store: Store, tmp_path: Path
) -> None:
    """The member states of MEMBERS, base 300 (test above): under-represented France, Chile and
    Nepal (80 + 30 + 3 = 113 staff, 39 + 15 + 2 = 56 women), over Kenya (61, 31 women),
    unrepresented Peru; in exact views only."""
    from parity.filters import FilterState
    from parity.member_states import Ranges, parameters, read_member_states
    from parity.privacy import PrivacyRule
    from parity.views.geography import geography

    path = tmp_path / "members.csv"
    path.write_text(MEMBERS)
    ranges = Ranges(read_member_states(path), parameters("un-secretariat", 300))
    frame = load_frame(store)
    view = geography(frame, FilterState(), PrivacyRule(0), store.reference(), ranges=ranges)
    assert view.ranges is not None
    rows = view.ranges.rows.set_index("status")
    assert (rows.loc["under", "states"], rows.loc["under", "staff"]) == (3, 113)
    assert rows.loc["under", "women_share"] == 56 / 113
    assert (rows.loc["over", "states"], rows.loc["over", "women"]) == (1, 31)
    assert (rows.loc["unrepresented", "states"], rows.loc["within_below", "states"]) == (1, 0)
    public = public_rule(frame, None, store.reference(), 5)
    hidden = geography(frame, FilterState(), public, store.reference(), ranges=ranges).ranges
    assert hidden is not None and hidden.rows.empty and "exact figures" in hidden.empty


def test_the_demo_data_gets_nationalities_and_nothing_else_moves(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The demo generator (3 entities): every staff row has a nationality; national staff hold
    their duty station's country, international staff one of the mix; a row's nationality is
    the same every year; and every other column and row is what the generator gives without
    nationalities (their draw has its own random stream)."""
    from parity.demo import simulation
    from parity.demo.nationality import international_mix
    from parity.reference import Reference

    staff, _flows = simulation.generate_with_flows(3, seed=7)
    assert staff["nationality"].notna().all()
    reference = Reference.load()
    category = staff["grade"].map(reference.grade_category)
    national = category.isin(["National Professional", "General Service"])
    stations = reference.station_info(pd.Index(staff["duty_station"].unique()))["country"]
    home = staff["duty_station"].map(dict(zip(stations.index, stations, strict=True)))
    assert (staff.loc[national, "nationality"] == home[national]).all()
    assert set(staff.loc[~national, "nationality"]) <= set(international_mix()["nationality"])
    keys = ["entity", "duty_station", "grade", "age_band", "contract_type", "gender"]
    assert (staff.groupby(keys)["nationality"].nunique() == 1).all()
    monkeypatch.setattr(
        simulation, "add_nationalities", lambda rows, seed: rows.assign(nationality="")
    )
    without, _flows = simulation.generate_with_flows(3, seed=7)
    assert staff.drop(columns="nationality").equals(without.drop(columns="nationality"))
