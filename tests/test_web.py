"""The dashboard without a browser: layouts as component trees, callbacks as plain functions.

Data: tests/e2e/data/staff.csv in a real SQLite file. 2025: Alpha 9 women / 15 men, Beta 14 / 11;
together 23 / 26 = 46.9% women. 2024: 20 women / 27 men = 42.6%.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from dash import no_update

from parity.definitions import ENTRIES
from parity.errors import ParityError
from parity.filters import FilterState
from parity.frame import load_frame
from parity.ingest import parse_file
from parity.settings import Settings
from parity.store import Store
from parity.web.app import create_app
from parity.web.filter_panel import (
    MULTI_FILTERS,
    controls_from_state,
    state_from_controls,
    sync_filters,
)
from parity.web.pages import PAGES, grades, overview, stations
from parity.web.pages.data.check import check_staged, stage_upload
from parity.web.pages.data.staging import decode_upload, discard, staged_path
from parity.web.pages.data.upload import import_staged
from parity.web.source import Context, DataSource

E2E_DATA = Path(__file__).parent / "e2e" / "data"


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    store = Store(f"sqlite:///{tmp_path / 'web.db'}")
    store.import_parsed(parse_file(E2E_DATA / "staff.csv", store.reference()))
    yield store
    store.dispose()


@pytest.fixture()
def frame(store: Store) -> pd.DataFrame:
    return load_frame(store)


def walk(component: Any) -> Iterator[Any]:
    yield component
    children = getattr(component, "children", None)
    if isinstance(children, list | tuple):
        for child in children:
            yield from walk(child)
    elif children is not None and hasattr(children, "to_plotly_json"):
        yield from walk(children)


def ids(component: Any) -> set[str]:
    return {c.id for c in walk(component) if isinstance(getattr(c, "id", None), str)}


def test_url_sets_the_panel_and_the_panel_writes_the_url() -> None:
    controls = [None, "", *[[] for _ in MULTI_FILTERS]]
    from_url = sync_filters("?year=2024&entity=Beta&location=Field", "url", controls)
    assert from_url[0] is no_update
    assert from_url[1] == "year=2024&entity=Beta&location=Field"
    assert from_url[2:5] == [2024, "Field", ["Beta"]]

    changed = [2025, "", ["Alpha", "Beta"], *[[] for _ in MULTI_FILTERS[1:]]]
    from_panel = sync_filters("?year=2024", "filter-entity", changed)
    assert from_panel[0] == "?year=2025&entity=Alpha&entity=Beta"
    assert from_panel[2:] == [no_update] * len(changed)
    # the panel already matches the URL: no new history entry
    same = sync_filters("?year=2025&entity=Alpha&entity=Beta", "filter-year", changed)
    assert same[0] is no_update


def test_controls_round_trip() -> None:
    state = FilterState(year=2025, entity=("A", "B"), grade=("P-4",), location=("HQ",))
    values = controls_from_state(state)
    assert state_from_controls(values[0], values[1], values[2:]) == state


def _overview(frame: pd.DataFrame, store: Store, filters: FilterState, min_cell: int) -> Any:
    from parity.privacy.linked import public_rule
    from parity.views.overview import overview as overview_view

    rule = public_rule(frame, None, store.reference(), min_cell)
    return overview_view(frame, filters, rule, store.reference())


def test_overview_figures(frame: pd.DataFrame, store: Store) -> None:
    view = _overview(frame, store, FilterState(), 5)
    cards = {s.label: (s.value, s.note) for s in view.stats}
    assert cards["Women's share"] == ("46.9%", "23 women of 49 people in 2025")
    # 50 - 46.94 = 3.06 points: said with who is under-represented, not as a bare sign
    assert cards["Parity gap"] == ("+3.1 pp", "Women under-represented by 3.1 points")
    # 23 of 49: 24 women is 49.0%, in the zone (47%); 50/50 is 24 or 25 of 49: 1 to 50/50 too
    assert cards["Needed for parity"][0] == "1 woman"
    assert "1 to 50/50" in cards["Needed for parity"][1]
    # Alpha 37.5% and Beta 56.0%: neither at parity in 2025; Beta (12/24) was in 2024
    assert cards["Entities at parity"] == (
        "0 of 2", "entities within 47–53% women; -1 since 2024"
    )  # fmt: skip
    # 42.55% -> 46.94%: +4.39 pp a year, 50% reached within 2026
    assert cards["Projected 50/50"][0] == "2026"
    # the page shows the view's figures, nothing recomputed
    out = overview.PAGE.values(view)
    # the page leads with the goal: the line reaches 46.94 + 3 x 4.39 = 60.1% by 2028, in the
    # zone by then (on track), and its sentence gives the same year as the card
    assert out[:2] == [
        "On track for parity by 2028 — all entities",
        "At the 10-year trend (+4.39 points a year), 50/50 is reached in 2026.",
    ]
    assert out[2:12] == [part for s in view.stats for part in (s.value, s.note)]
    assert out[14].layout.title.subtitle.text == "all entities, 2024–2025"


def test_the_headline_scope_where_the_public_tables_hold_it(
    frame: pd.DataFrame, store: Store
) -> None:
    from parity.privacy.linked import public_rule
    from parity.views.overview import overview as overview_view

    rule = public_rule(frame, None, store.reference(), 5)
    scope = "professional-and-higher"
    # by entity, the publication holds Professional and higher: the headline speaks of it
    beta = overview_view(frame, FilterState(entity=("Beta",)), rule, store.reference(),
                         headline_scope=scope)  # fmt: skip
    assert beta.scope == "Beta, Professional and higher"
    assert beta.stats[0].value == "56.0%"  # 14 of 25, every grade of the data is Professional
    # a duty station's Professional staff are not a public table: its headline is everyone's
    nairobi = overview_view(
        frame, FilterState(duty_station=("Nairobi",)), rule, store.reference(), headline_scope=scope
    )
    assert nairobi.scope == "all entities, Nairobi" and nairobi.stats[0].value == "56.0%"


def test_overview_hides_a_small_selection(frame: pd.DataFrame, store: Store) -> None:
    few = FilterState(entity=("Alpha",), grade=("D-1",))
    view = _overview(frame, store, few, 5)
    assert view.state == "small" and view.headline is None
    assert view.stats[0].value == "—"
    assert view.stats[0].note == "Not shown, to protect small groups."
    assert view.trend.data.empty  # no point of the trend either
    exact = _overview(frame, store, few, 0)
    assert exact.stats[0].value == "25.0%"


def test_overview_empty_selection(frame: pd.DataFrame, store: Store) -> None:
    view = _overview(frame, store, FilterState(entity=("Nobody",)), 5)
    assert view.stats[0].value == "—"
    assert view.stats[0].note == "No one matches this selection."
    trend = overview.PAGE.values(view)[14]
    assert trend.layout.annotations[0].text == "No one matches this selection."


def test_grades_glass_ceiling(frame: pd.DataFrame, store: Store) -> None:
    from parity.privacy import PrivacyRule
    from parity.views.grades import grades as grades_view

    view = grades_view(frame, FilterState(), PrivacyRule(0), store.reference())
    cards = {s.label: s.value for s in view.stats}
    # all grades 23/49 = 46.94%; D-1 and above 1/4 = 25%: index 1.88
    assert cards["Glass-ceiling index"] == "1.88"
    assert cards["Women at D-1 and above"] == "25.0%"
    # P-4 11 women / 9 men (55%, men under), P-3 11 / 14 (44%), D-1 1 / 3: none at parity
    assert cards["Grades at parity"] == "0 of 3"
    # public mode: D-1 (4 people, all Alpha's) is small; the publication withholds P-4 (20)
    # with it, and with Alpha's D-1 Alpha's P-4 (its "P-4 and above", 14, less P-4 would give
    # the D-1); P-3 (25: 11 women, 14 men) stays shown. One grade counted, two withheld.
    from parity.privacy.linked import public_rule

    rule = public_rule(frame, None, store.reference(), 5)
    public = grades_view(frame, FilterState(), rule, store.reference())
    parity_card = public.stats[2]
    assert (parity_card.value, parity_card.note) == (
        "0 of 1", "grades within 47–53% women; 2 not shown, to protect small groups"
    )  # fmt: skip
    assert public.stats[0].value == "—" and public.stats[1].value == "—"
    columns, rows, _style = grades.PAGE.values(public)[11:14]
    assert [r["grade"] for r in rows] == ["D-1", "P-4", "P-3"]
    assert [r["hidden_text"] for r in rows] == ["not shown", "not shown", None]
    assert all(r["women"] is None and r["women_share"] is None for r in rows[:2])
    assert (rows[2]["women"], rows[2]["men"]) == (11, 14)
    assert {c["field"] for c in columns} >= {"grade", "women", "women_share", "parity_status"}


def test_map_click_filters_to_the_station() -> None:
    click = {"points": [{"text": "Geneva"}]}
    assert stations.clicked_station(click, []) == ["Geneva"]
    assert stations.clicked_station(click, ["Geneva"]) == []  # a second click clears it
    assert stations.clicked_station(None, []) is no_update


def test_layout_has_every_filter_and_hides_empty_ones(store: Store) -> None:
    app = create_app(Settings(database_url=store.url.render_as_string(hide_password=False)))
    shell = app.layout()
    found = ids(shell)
    for dimension in (
        "year",
        "entity",
        "country",
        "duty_station",
        "grade",
        "category",
        "age_band",
        "contract_type",
        "personnel_type",
        "location",
    ):
        assert f"filter-{dimension}" in found
    wraps = {c.id: c for c in walk(shell) if str(getattr(c, "id", "")).endswith("-wrap")}
    assert wraps["filter-age_band-wrap"].hidden is True  # the file has no age bands
    assert wraps["filter-entity-wrap"].hidden is False
    assert "demo-badge" not in found


def test_every_help_link_points_at_a_definition(store: Store) -> None:
    anchors = {anchor for anchor, _, _ in ENTRIES}
    context = Context(DataSource(store), Settings(), uploads=False)
    links = [
        c.href
        for page in PAGES
        for c in walk(page.layout(context))
        if getattr(c, "className", None) == "help-link"
    ]
    assert links
    assert {link.split("#")[1] for link in links} <= anchors


def test_uploads_only_on_loopback_unless_enabled() -> None:
    assert Settings().uploads_enabled("127.0.0.1")
    assert not Settings().uploads_enabled("0.0.0.0")
    assert Settings(allow_upload=True).uploads_enabled("0.0.0.0")
    assert not Settings(allow_upload=False).uploads_enabled("127.0.0.1")


def test_upload_over_the_limit_is_refused_before_parsing() -> None:
    payload = base64.b64encode(b"x" * (2 * 2**20 + 10)).decode()
    with pytest.raises(ParityError, match="over the 2 MB limit"):
        decode_upload(f"data:text/csv;base64,{payload}", "big.csv", max_mb=2)


def test_staged_upload_lists_row_errors(store: Store) -> None:
    context = Context(DataSource(store), Settings(), uploads=True)
    content = base64.b64encode((E2E_DATA / "bad.csv").read_bytes()).decode()
    message, pending = stage_upload(f"data:text/csv;base64,{content}", "bad.csv", context)
    assert pending is None
    cells = [c.children for c in walk(message) if type(c).__name__ == "Td"]
    assert cells[:4] == [
        "3", "grade", "P-9", "is not a grade in the reference ladder; did you mean P-7 or P-6?"
    ]  # fmt: skip
    assert len(store.batches()) == 1


def test_scenario_lives_in_the_url_beside_the_filters() -> None:
    from parity.web.app_query import with_query
    from parity.web.pages.planning import Scenario

    scenario = Scenario(target_year=2030, turnover=1.2, offsets={"Professional": 10.0})
    search = with_query("?entity=A&target=2028", Scenario.keys(), scenario.pairs())
    assert search == "?entity=A&target=2030&turnover=1.2&hire_professional=10"
    assert Scenario.from_query(search) == scenario
    assert Scenario().pairs() == []  # defaults stay out of the URL
    # a filter change keeps the scenario
    controls = [None, "", ["B"], *[[] for _ in MULTI_FILTERS[1:]]]
    assert sync_filters(search, "filter-entity", controls)[0] == (
        "?entity=B&target=2030&turnover=1.2&hire_professional=10"
    )
    # a scenario change alone does not touch the filters store
    assert sync_filters(search, "url", controls, current="entity=A")[1] is no_update


def test_planning_view_on_small_flows(tmp_path: Path) -> None:
    from parity.frame import load_flows
    from parity.privacy import PrivacyRule
    from parity.views.planning.scenario import Scenario
    from parity.views.planning.view import planning

    store = Store(f"sqlite:///{tmp_path / 'p.db'}")
    (tmp_path / "s.csv").write_text(
        "year,entity,grade,women,men\n2024,A,P-4,30,70\n2025,A,P-4,30,70\n"
    )
    (tmp_path / "f.csv").write_text(
        "year,entity,grade,gender,event,count\n"
        "2025,A,P-4,F,separation,3\n2025,A,P-4,M,separation,7\n"
        "2025,A,P-4,F,appointment,3\n2025,A,P-4,M,appointment,7\n"
    )
    for name in ("s.csv", "f.csv"):
        store.import_parsed(parse_file(tmp_path / name, store.reference()))
    view = planning(
        load_frame(store),
        load_flows(store),
        store.read_targets(),
        FilterState(),
        Scenario(target_year=2030),
        PrivacyRule(0),
        store.reference(),
    )
    # one grade, 100 posts, 10% turnover, 30% women: the closed form gives
    # (50 - 30 * 0.9^5) / (100 * (1 - 0.9^5)) = 32.29 / 40.95 = 78.8% of appointments
    assert view.ready
    assert "79% of appointments from 2026 on must go to women (recently 30%)" in view.summary
    # in people: 100 posts losing 10 a year take 10 appointments; 79% of 10 is 8 women,
    # against 3 at the recent 30% (the swap count at constant headcount is not a hiring number)
    assert (
        "That is about 10 appointments a year at these levels, 8 of them women, against 3 "
        "recently." in view.summary
    )
    store.dispose()


def test_staged_flows_and_targets_uploads(store: Store) -> None:
    context = Context(DataSource(store), Settings(), uploads=True)
    files = {
        "flows.csv": (
            "year,entity,grade,gender,event,count\n2025,Alpha,P-4,F,appointment,2\n"
            "2025,Alpha,P-4,M,separation,3\n",
            "valid (flows): 1 entity, years 2025–2025, 5 events",
        ),
        "targets.csv": (
            "entity,grade,year,target_share\nAlpha,P-4,2028,50%\n",
            "valid (targets): 1 entity, years 2028–2028, 1 target",
        ),
    }
    for name, (text, expected) in files.items():
        content = base64.b64encode(text.encode()).decode()
        message, pending = stage_upload(f"data:text/csv;base64,{content}", name, context)
        assert pending is not None and pending["name"] == name
        texts = [c.children for c in walk(message) if getattr(c, "id", None) == "data-upload-valid"]
        assert expected in texts[0]


def test_upload_asks_which_column_is_which_and_remembers(store: Store) -> None:
    context = Context(DataSource(store), Settings(), uploads=True)
    text = "Exercice,Organisme,Echelon,Sexe,Effectif\n2025,Gamma,P-4,F,3\n2025,Gamma,P-4,M,2\n"
    content = base64.b64encode(text.encode()).decode()
    message, pending = stage_upload(f"data:text/csv;base64,{content}", "s.csv", context)
    # refused for the missing columns, the file kept, a choice offered per missing field
    assert pending is not None and staged_path(pending).is_file()  # type: ignore[union-attr]
    choices = [c.id["index"] for c in walk(message) if isinstance(getattr(c, "id", None), dict)]
    assert choices == ["year", "entity", "grade"]
    chosen = {**pending, "mapping": {"Exercice": "year", "Organisme": "entity", "Echelon": "grade"}}
    preview, staged = check_staged(chosen, context)
    assert "valid (staff): 1 entity, years 2025–2025, 5 people" in str(preview)
    done, imported = import_staged(staged, context)
    assert imported, done
    assert store.saved_mapping("echelon|exercice|gender|headcount|organisme") == {
        "Echelon": "grade", "Exercice": "year", "Organisme": "entity"
    }  # fmt: skip
    # the next file with these headers is read the same way at once
    again = base64.b64encode(text.replace("2025", "2026").encode()).decode()
    message, pending = stage_upload(f"data:text/csv;base64,{again}", "t.csv", context)
    assert "Used the column mapping saved for files with these headers." in str(message)
    discard(pending)


def test_an_upload_is_parsed_once_between_its_check_and_its_import(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import parity.web.pages.data.check as check
    from parity.web.pages.data.staging import CHECKED_DESCRIPTION

    context = Context(DataSource(store), Settings(), uploads=True)

    def staged(text: str, name: str) -> dict[str, Any]:
        content = base64.b64encode(text.encode()).decode()
        _message, pending = stage_upload(f"data:text/csv;base64,{content}", name, context)
        assert pending is not None
        return pending

    real_parse = check.parse_file
    gamma = staged("year,entity,grade,women,men\n2025,Gamma,P-4,3,4\n2025,Gamma,P-3,5,1\n", "g.csv")

    def parsed_again(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the checked file was parsed again")

    monkeypatch.setattr(check, "parse_file", parsed_again)
    _message, added = import_staged(gamma, context)
    assert added
    batch = store.batches()[-1]
    assert (batch.file_name, batch.source_rows, batch.entities, batch.years) == (
        "g.csv",
        2,
        1,
        "2025",
    )
    rows = load_frame(store)
    gamma_rows = rows[rows["entity"] == "Gamma"]
    # P-4: 3 women, 4 men; P-3: 5 women, 1 man (as checked, nothing lost)
    by_grade = gamma_rows.groupby(["grade", "gender"], observed=True)["headcount"].sum()
    assert by_grade.to_dict() == {
        ("P-3", "F"): 5,
        ("P-3", "M"): 1,
        ("P-4", "F"): 3,
        ("P-4", "M"): 4,
    }
    gone = staged_path(gamma)
    assert gone is not None and not gone.parent.exists()  # the staging goes with the import

    # a damaged record of the check, or staged bytes that changed since: parsed again
    monkeypatch.setattr(check, "parse_file", real_parse)
    delta = staged("year,entity,grade,women,men\n2025,Delta,P-4,2,2\n", "d.csv")
    path = staged_path(delta)
    assert path is not None
    (path.parent / CHECKED_DESCRIPTION).write_text("{not json")
    assert import_staged(delta, context)[1]
    epsilon = staged("year,entity,grade,women,men\n2025,Epsilon,P-4,2,2\n", "e.csv")
    path = staged_path(epsilon)
    assert path is not None
    path.write_text("year,entity,grade,women,men\n2025,Epsilon,P-4,7,7\n")
    assert import_staged(epsilon, context)[1]
    rows = load_frame(store)
    assert int(rows[rows["entity"] == "Epsilon"]["headcount"].sum()) == 14


def test_the_trends_controls_live_in_the_url() -> None:
    from parity.web.pages import trends

    controls = trends.PAGE.controls
    assert controls is not None
    # a choice goes into the URL beside the filters; back to the defaults, it leaves
    assert controls.search("?entity=A", "grade", 5, "ols") == (
        "?entity=A&trend_by=grade&trend_window=5&trend_method=ols"
    )
    assert controls.search("?entity=A&trend_by=grade", "category", 10, "increment") == "?entity=A"
    assert controls.search("?entity=A", "category", 10, "increment") is no_update
    # a shared link opens the same controls; what a link says wrongly reads as the default
    layout = trends.PAGE.layout(None, "entity=A&trend_by=grade&trend_window=5&trend_method=ols")  # type: ignore[arg-type]
    values = {c.id: c.value for c in walk(layout) if getattr(c, "id", None) in (
        "trends-by", "trends-window", "trends-method"
    )}  # fmt: skip
    assert values == {"trends-by": "grade", "trends-window": 5, "trends-method": "ols"}
    assert trends.from_query("trend_by=x&trend_window=99&trend_method=y") == (
        "category",
        10,
        "increment",
    )


def test_the_grade_filter_offers_named_scopes_first(frame: pd.DataFrame, store: Store) -> None:
    from parity.web.filter_panel import _choices

    options = _choices("grade", ["D-1", "P-3", "P-4"])
    assert [o["label"] for o in options[:4]] == [
        "Professional and higher", "D-1 and above", "P-5 and above", "P-4 and above"
    ]  # fmt: skip
    assert options[-3:] == [{"label": g, "value": g} for g in ("D-1", "P-3", "P-4")]
    controls = [
        None,
        "",
        [],
        [],
        [],
        [],
        ["P-3", "scope:p4-and-above"],
        *[[] for _ in MULTI_FILTERS[5:]],
    ]
    # a scope chosen after a grade replaces it, in the URL and in the panel
    search, query, *panel = sync_filters("?entity=A", "filter-grade", controls)
    assert (search, query) == ("?scope=p4-and-above", "scope=p4-and-above")
    assert panel[6] == ["scope:p4-and-above"] and panel[0] is no_update
    # a grade chosen after the scope replaces the scope
    controls[6] = ["scope:p4-and-above", "P-3"]
    assert sync_filters("?scope=p4-and-above", "filter-grade", controls)[1] == "grade=P-3"
    # the public view answers a scope as it answers its grades (the publication's scope cell)
    by_scope = FilterState(scope="p4-and-above").resolved(store.reference())
    by_grades = FilterState(grade=by_scope.grade)
    scoped, listed = _overview(frame, store, by_scope, 5), _overview(frame, store, by_grades, 5)
    assert [s.value for s in scoped.stats] == [s.value for s in listed.stats]
    assert scoped.scope == "all entities, P-4 and above"


def test_the_scorecard_of_entities(frame: pd.DataFrame, store: Store) -> None:
    """Each entity and staff category against 2028, and the entity's own targets met."""
    from parity.privacy import PrivacyRule
    from parity.views.entities import entities as entities_view

    targets = pd.DataFrame(
        {
            "entity": ["Alpha", "Alpha", "Alpha"],
            "grade": ["P-4", "P-4", "P-3"],
            "year": [2025, 2028, 2025],
            "target_share": [0.55, 0.5, 0.4],
            "margin": [0.03, 0.03, 0.03],
        }
    )
    view = entities_view(frame, FilterState(), PrivacyRule(0), store.reference(), targets=targets)
    card = view.table.rows.set_index("entity")
    assert [c.header for c in view.table.columns] == [
        "Entity", "Women's share", "Status", "Against 2028", "Own targets",
        "Directors: women", "Directors: against 2028",
        "Professional: women", "Professional: against 2028",
    ]  # fmt: skip
    # Alpha 8 of 23 (34.8%) -> 9 of 24 (37.5%): +2.72 a year, 45.7% in 2028, off track; its
    # D-1 1 of 4 both years (flat): off track; its P-3 and P-4 7 of 19 -> 8 of 20 (+3.16 a
    # year): 49.5% in 2028, on track. Targets: P-4 6 of 10 (60%) against 55% ± 3 in 2025,
    # ahead (met); P-3 2 of 10 (20%) against 40% ± 3, behind
    assert card.loc["Alpha", ["goal_words", "targets_words"]].tolist() == [
        "Off track",
        "1 of 2 met",
    ]
    assert card.loc["Alpha", ["directors_goal", "professional_goal"]].tolist() == [
        "Off track", "On track"
    ]  # fmt: skip
    assert card.loc["Alpha", "professional_share"] == pytest.approx(8 / 20)
    # Beta 12 of 24 -> 14 of 25 (56%, men under-represented, rising): off track; no targets,
    # no Directors
    assert card.loc["Beta", "goal_words"] == "Off track"
    assert pd.isna(card.loc["Beta", "targets_words"]) and pd.isna(
        card.loc["Beta", "directors_goal"]
    )


def test_a_refusal_to_upload_says_whose_role_allows_it() -> None:
    from types import SimpleNamespace

    from parity.auth import User
    from parity.web.pages.data.upload import read_only_reason

    def reason(sign_in: bool, user: User) -> str:
        return read_only_reason(SimpleNamespace(sign_in=sign_in, user=lambda: user))  # type: ignore[arg-type]

    ana = User("ana", "focal_point", ("Alpha",))
    assert reason(True, ana) == (
        "Your role (focal point) reads figures but does not import them: data stewards import "
        "their entities' files and administrators any file. To change the figures of Alpha, "
        "send the file to its data steward, or ask an administrator for the steward's role."
    )
    assert reason(True, User("public", "public")).startswith("Sign in to import figures")
    # without signing in, the server's setting is the reason
    assert "PARITY_ALLOW_UPLOAD=1" in reason(False, ana)
