"""FilterState: rows, words and URLs (filters)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from parity.errors import ParityError
from parity.filters import FilterState


@pytest.fixture()
def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": np.array([2024, 2025, 2025, 2025, 2025], dtype="int16"),
            "entity": pd.Categorical(["A", "A", "B", "C", "A"]),
            "grade": pd.Categorical(["P-4", "P-4", "D-1", "P-4", "D-1"]),
            "location": pd.Categorical(
                ["HQ", "Field", "Field", None, "HQ"], categories=["HQ", "Field"]
            ),
        }
    )


@pytest.mark.parametrize(
    ("state", "rows"),
    [(FilterState(), [0, 1, 2, 3, 4]),
     (FilterState(year=2025), [1, 2, 3, 4]),
     (FilterState(entity=("A", "B")), [0, 1, 2, 4]),
     (FilterState(entity=("A", "B"), grade=("P-4",)), [0, 1]),
     (FilterState(year=2025, entity=("A",), grade=("D-1",), location=("HQ",)), [4]),
     (FilterState(year=2025, location=("Field",)), [1, 2]),  # a missing location is not Field
     (FilterState(year=2023), []),
     (FilterState(entity=("Nobody",)), []),                 # unknown values match nothing
     (FilterState(entity=("Nobody", "C")), [3])],
)  # fmt: skip
def test_mask(frame: pd.DataFrame, state: FilterState, rows: list[int]) -> None:
    assert np.flatnonzero(state.mask(frame)).tolist() == rows


def test_mask_without_the_year(frame: pd.DataFrame) -> None:
    state = FilterState(year=2025, entity=("A",))
    assert np.flatnonzero(state.mask(frame, use_year=False)).tolist() == [0, 1, 4]


@pytest.mark.parametrize(
    ("state", "words"),
    [(FilterState(), "all entities"),
     (FilterState(year=2025), "all entities, 2025"),
     (FilterState(year=2025, entity=("WFP",), location=("Field",)),
      "WFP, field duty stations, 2025"),
     (FilterState(entity=("A", "B"), grade=("P-4", "P-5")), "A and B, grades P-4 and P-5"),
     (FilterState(entity=("A", "B", "C", "D", "E")), "A, B, C and 2 more"),
     (FilterState(location=("HQ",), age_band=("30-39",)),
      "all entities, HQ duty stations, age 30-39"),
     (FilterState(grade=("D-1",), contract_type=("FT", "PM")),
      "all entities, grade D-1, contracts FT and PM")],
)  # fmt: skip
def test_describe(state: FilterState, words: str) -> None:
    assert state.describe() == words


def test_describe_without_the_year() -> None:
    assert FilterState(year=2025, entity=("A",)).describe(with_year=False) == "A"


def test_query_round_trip() -> None:
    state = FilterState(year=2025, entity=("A & B", "Ç"), grade=("P-4",))
    assert state.to_query() == "year=2025&entity=A+%26+B&entity=%C3%87&grade=P-4"
    assert FilterState.from_query(state.to_query()) == state
    assert FilterState.from_query("?" + state.to_query()) == state
    assert FilterState().to_query() == ""
    assert FilterState.from_query("") == FilterState()
    # a link edited by hand: unknown keys and a malformed year are ignored
    assert FilterState.from_query("year=abc&colour=red&entity=A") == FilterState(entity=("A",))


def test_from_where() -> None:
    state = FilterState.from_where(
        ["entity=A", "Entity=B", " location = Field ", "entity=A"], year=2024
    )
    assert state == FilterState(year=2024, entity=("A", "B"), location=("Field",))
    assert FilterState.from_where(["year=2023"]) == FilterState(year=2023)


@pytest.mark.parametrize(
    ("condition", "message"),
    [("entity", "--where expects DIM=VALUE, not 'entity'"),
     ("entity=", "--where expects DIM=VALUE, not 'entity='"),
     ("=A", "--where expects DIM=VALUE, not '=A'"),
     ("colour=red", "unknown filter 'colour'; choose from year, scope, entity, grade, category, "
      "duty_station, country, region, location, age_band, contract_type, personnel_type, "
      "nationality, nationality_region, regional_group"),
     ("year=last", "year must be a whole number, not 'last'")],
)  # fmt: skip
def test_from_where_errors(condition: str, message: str) -> None:
    with pytest.raises(ParityError) as caught:
        FilterState.from_where([condition])
    assert str(caught.value) == message


def test_a_named_scope_is_its_grades_and_keeps_its_name() -> None:
    from parity.reference import Reference

    reference = Reference.load()
    state = FilterState.from_query("year=2025&scope=d1-and-above&entity=A")
    assert state.scope == "d1-and-above" and state.grade == ()
    resolved = state.resolved(reference)
    # the ladder's international grades from D-1 up (data/reference/grades.csv), top first
    assert len(resolved.grade) == 18 and resolved.grade[-3:] == ("MGM-8", "SPEC-4", "D-1")
    assert {"USG", "ASG", "D-2"} <= set(resolved.grade)
    assert not any(g.startswith(("P-", "G-", "NO-", "FS-")) for g in resolved.grade)
    # named as a whole in words and links, never as its 18 grades
    assert resolved.describe() == "A, D-1 and above, 2025"
    assert resolved.to_query() == "year=2025&entity=A&scope=d1-and-above"
    assert FilterState.from_query(resolved.to_query()).resolved(reference) == resolved
    # within grades already chosen: the scope's among them
    both = FilterState(grade=("P-4", "D-1"), scope="d1-and-above").resolved(reference)
    assert both.grade == ("D-1",)
    # a link's unknown scope is ignored; the command line names the choices
    assert FilterState.from_query("scope=nope") == FilterState()
    with pytest.raises(ParityError, match="unknown scope 'nope'; choose from professional"):
        FilterState.from_where(["scope=nope"])


def test_an_organisation_defines_its_own_scopes(tmp_path: Path) -> None:
    from parity.reference import Reference
    from parity.scopes import read_scopes, use_organisation_scopes
    from parity.settings import Settings

    reference = Reference.load()
    path = tmp_path / "scopes.csv"
    path.write_text(
        "key,label,grades\n"
        "junior-professionals,Junior Professionals,P-1 P-2;P-3\n"
        "seniors,Senior staff,D-2 D-1\n"
    )
    try:
        Settings(scopes_file=path, headline_scope="seniors").use_scopes()
        state = FilterState.from_where(["scope=junior-professionals", "entity=A"])
        resolved = state.resolved(reference)
        assert resolved.grade == ("P-3", "P-2", "P-1")  # the ladder's order, top first
        assert resolved.describe() == "A, Junior Professionals"
        from parity.web.filter_panel import _choices

        labels = [o["label"] if isinstance(o, dict) else o for o in _choices("grade", ["P-4"])]
        assert labels.index("Junior Professionals") == labels.index("Field Service") + 1
    finally:
        use_organisation_scopes(None, reference)
    with pytest.raises(ParityError, match="unknown scope 'seniors'"):
        FilterState.from_where(["scope=seniors"])
    # a bad file names its row and column; a headline scope that is none is refused
    for body, message in [
        ("key,label,grades\nok,Fine,P-4\nBad Key,X,P-4\n", "row 3, column key"),
        ("key,label,grades\nall,Everyone,P-4\n", "row 2, column key"),
        ("key,label,grades\nx,X,P-4 P-9\n", "row 2, column grades: unknown grade 'P-9'"),
        ("key,label,grades\nx,,P-4\n", "row 2, column label"),
        ("key,name\nx,X\n", "needs the columns key, label and grades"),
    ]:
        path.write_text(body)
        with pytest.raises(ParityError, match=message):
            read_scopes(path, reference)
    with pytest.raises(ParityError, match="PARITY_HEADLINE_SCOPE must be one of"):
        Settings(headline_scope="p6-and-above").use_scopes()
