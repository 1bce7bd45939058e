"""FilterState: rows, words and URLs (filters)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from parity.errors import ParityError
from parity.filters import FilterState


@pytest.fixture()
def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": np.array([2024, 2025, 2025, 2025], dtype="int16"),
            "entity": pd.Categorical(["A", "A", "B", "C"]),
            "grade": pd.Categorical(["P-4", "P-4", "D-1", "P-4"]),
            "location": pd.Categorical(["HQ", "Field", "Field", None], categories=["HQ", "Field"]),
        }
    )


@pytest.mark.parametrize(
    ("state", "rows"),
    [(FilterState(), [0, 1, 2, 3]),
     (FilterState(year=2025), [1, 2, 3]),
     (FilterState(entity=("A", "B")), [0, 1, 2]),
     (FilterState(entity=("A", "B"), grade=("P-4",)), [0, 1]),
     (FilterState(year=2025, location=("Field",)), [1, 2]),
     (FilterState(entity=("Nobody",)), []),
     (FilterState(entity=("Nobody", "C")), [3])],
)  # fmt: skip
def test_mask(frame: pd.DataFrame, state: FilterState, rows: list[int]) -> None:
    assert np.flatnonzero(state.mask(frame)).tolist() == rows


@pytest.mark.parametrize(
    ("state", "words"),
    [(FilterState(), "all entities"),
     (FilterState(year=2025, entity=("WFP",), location=("Field",)),
      "WFP, field duty stations, 2025"),
     (FilterState(entity=("A", "B"), grade=("P-4", "P-5")), "A and B, grades P-4 and P-5"),
     (FilterState(entity=("A", "B", "C", "D", "E")), "A, B, C and 2 more"),
     (FilterState(location=("HQ",), age_band=("30-39",)), "all entities, HQ duty stations, "
      "age 30-39")],
)  # fmt: skip
def test_describe(state: FilterState, words: str) -> None:
    assert state.describe() == words


def test_query_round_trip() -> None:
    state = FilterState(year=2025, entity=("A & B", "Ç"), grade=("P-4",))
    assert FilterState.from_query(state.to_query()) == state
    assert FilterState.from_query("?year=abc&colour=red&entity=A") == FilterState(entity=("A",))


def test_from_where() -> None:
    state = FilterState.from_where(["entity=A", "Entity=B", "location = Field"], year=2024)
    assert state == FilterState(year=2024, entity=("A", "B"), location=("Field",))
    with pytest.raises(ParityError, match="DIM=VALUE"):
        FilterState.from_where(["entity"])
    with pytest.raises(ParityError, match="unknown filter 'colour'"):
        FilterState.from_where(["colour=red"])
