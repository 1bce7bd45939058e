"""Parity metrics on tiny hand-checked tables (metrics)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from parity.frame import build_frame
from parity.metrics import (
    gender_counts,
    glass_ceiling_index,
    grade_pipeline,
    parity_metrics,
    women_to_add,
)
from parity.reference import Reference


def metrics(women: int, men: int, other: int = 0) -> pd.Series:
    table = pd.DataFrame({"women": [women], "men": [men], "other": [other]})
    return parity_metrics(table).iloc[0]


def test_share_gap_and_other() -> None:
    row = metrics(43, 57, other=5)
    assert row["total"] == 105
    assert row["women_share"] == pytest.approx(0.43)
    assert row["gap_pp"] == pytest.approx(7.0)


@pytest.mark.parametrize(
    ("women", "men", "status"),
    [(47, 53, "parity"), (53, 47, "parity"), (46, 54, "women_under"), (54, 46, "men_under"),
     (1, 2, "parity"), (2, 1, "parity"), (0, 3, "women_under"), (5, 6, "parity"),
     (6, 5, "parity"), (4, 7, "women_under"), (0, 1, "parity"), (940, 1060, "parity"),
     (939, 1061, "women_under")],
)  # fmt: skip
def test_parity_status(women: int, men: int, status: str) -> None:
    assert metrics(women, men)["parity_status"] == status


def test_no_women_no_men_has_no_status() -> None:
    row = metrics(0, 0, other=3)
    assert row["parity_status"] is None
    assert np.isnan(row["women_share"])
    assert pd.isna(row["women_needed"])


@pytest.mark.parametrize(
    ("women", "men", "women_needed", "men_needed"),
    [(10, 30, 9, 0),   # 19/40 = 47.5%; 18/40 = 45%
     (0, 3, 1, 0),     # 1 of 3 is the closest split
     (0, 10, 5, 0),    # 5/10: 4 and 6 differ by 2, 4.7 -> 5
     (30, 70, 17, 0),  # 47/100
     (47, 53, 0, 0),
     (60, 40, 0, 7),   # 53/100
     (9, 2, 0, 3),     # 6 women 5 men
     (3, 0, 0, 1)],
)  # fmt: skip
def test_numbers_needed_at_constant_headcount(
    women: int, men: int, women_needed: int, men_needed: int
) -> None:
    row = metrics(women, men)
    assert (row["women_needed"], row["men_needed"]) == (women_needed, men_needed)
    # moving that many positions reaches parity, one fewer does not
    if women_needed:
        assert metrics(women + women_needed, men - women_needed)["parity_status"] == "parity"
        assert (
            metrics(women + women_needed - 1, men - women_needed + 1)["parity_status"]
            == "women_under"
        )


def test_women_to_add_reading() -> None:
    assert women_to_add(10, 30) == 17  # 27/57 = 47.4%; 26/56 = 46.4%
    assert women_to_add(0, 3) == 2  # 2 and 3 differ by one
    assert women_to_add(50, 50) == 0


@pytest.fixture()
def frame(reference: Reference) -> pd.DataFrame:
    rows = [
        # year, entity, grade, station, gender, headcount
        (2025, "A", "P-3", "Geneva", "F", 6), (2025, "A", "P-3", "Geneva", "M", 4),
        (2025, "A", "D-1", "Geneva", "F", 1), (2025, "A", "D-1", "Geneva", "M", 3),
        (2025, "B", "P-3", "Juba", "F", 2), (2025, "B", "P-3", "Juba", "M", 8),
        (2025, "B", "G-4", None, "X", 1), (2025, "B", "G-4", None, "F", 3),
        (2024, "A", "P-3", "Geneva", "F", 5), (2024, "A", "P-3", "Geneva", "M", 5),
    ]  # fmt: skip
    raw = pd.DataFrame(
        rows, columns=["year", "entity", "grade", "duty_station", "gender", "headcount"]
    )
    for column in ("country", "category", "age_band", "contract_type", "personnel_type"):
        raw[column] = None
    raw["category"] = raw["grade"].map(reference.grade_category)
    for column in raw.columns:
        if column not in ("year", "headcount"):
            raw[column] = raw[column].astype("category")
    raw["year"] = raw["year"].astype("int16")
    raw["headcount"] = raw["headcount"].astype("int32")
    return build_frame(raw, reference)


def test_gender_counts_by_dimensions_with_a_mask(frame: pd.DataFrame) -> None:
    mask = frame["year"].to_numpy() == 2025
    table = gender_counts(frame, ["entity", "location"], mask)
    assert table.values.tolist()[:2] == [["A", "HQ", 7, 7, 0], ["B", "Field", 2, 8, 0]]
    # rows without a duty station form their own group, with a missing label
    last = table.iloc[2]
    assert last["entity"] == "B" and pd.isna(last["location"])
    assert last[["women", "men", "other"]].tolist() == [3, 0, 1]


def test_glass_ceiling_and_pipeline(frame: pd.DataFrame, reference: Reference) -> None:
    mask = frame["year"].to_numpy() == 2025
    # all grades: 12 women, 15 men (44.4%); D-1: 1 of 4 (25%) -> 1.78
    index = glass_ceiling_index(frame, reference.top_grades, mask)
    assert index == pytest.approx((12 / 27) / 0.25)
    pipeline = grade_pipeline(frame, mask)
    assert pipeline["grade"].tolist() == ["G-4", "P-3", "D-1"]  # bottom of the ladder first
    assert pipeline.set_index("grade").loc["P-3", ["women", "men"]].tolist() == [8, 12]


def test_no_women_at_the_top_means_no_index(frame: pd.DataFrame, reference: Reference) -> None:
    mask = (frame["entity"] == "B").to_numpy()
    assert glass_ceiling_index(frame, reference.top_grades, mask) is None
