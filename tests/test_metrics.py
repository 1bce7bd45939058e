"""Parity metrics on tiny hand-checked tables (metrics)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
import pytest

from parity.metrics import (
    gender_counts,
    latest_year,
    parity_metrics,
    women_to_add,
)
from parity.reference import Reference
from tests.conftest import analysis_frame


def metrics(women: int, men: int, other: int = 0) -> pd.Series:
    table = pd.DataFrame({"women": [women], "men": [men], "other": [other]})
    return parity_metrics(table).iloc[0]


def test_share_and_gap_leave_other_out_of_the_share() -> None:
    row = metrics(43, 57, other=5)
    assert (row["women"], row["men"], row["other"], row["total"]) == (43, 57, 5, 105)
    assert row["women_share"] == pytest.approx(0.43)  # 43 / (43 + 57), not 43 / 105
    assert row["gap_pp"] == pytest.approx(7.0)
    assert metrics(60, 40)["gap_pp"] == pytest.approx(-10.0)  # negative: men under-represented


@pytest.mark.parametrize(
    ("women", "men", "status"),
    [(47, 53, "parity"), (53, 47, "parity"),          # the band's edges are inside it
     (46, 54, "women_under"), (54, 46, "men_under"),
     (940, 1060, "parity"), (939, 1061, "women_under"),  # 47.0% and 46.95%
     (1, 2, "parity"), (2, 1, "parity"), (0, 3, "women_under"), (3, 0, "men_under"),
     (5, 6, "parity"), (6, 5, "parity"), (4, 7, "women_under"), (7, 4, "men_under"),
     (0, 1, "parity"), (1, 0, "parity")],             # one person: the closest split there is
)  # fmt: skip
def test_parity_status(women: int, men: int, status: str) -> None:
    assert metrics(women, men)["parity_status"] == status


def test_no_women_and_no_men_has_no_status() -> None:
    row = metrics(0, 0, other=3)
    assert row["total"] == 3
    assert pd.isna(row["parity_status"])
    assert np.isnan(row["women_share"]) and np.isnan(row["gap_pp"])
    assert pd.isna(row["women_needed"]) and pd.isna(row["men_needed"])


@pytest.mark.parametrize(
    ("women", "men", "women_needed", "men_needed"),
    [(10, 30, 9, 0),   # 19/40 = 47.5% is parity; 18/40 = 45% is not
     (0, 3, 1, 0),     # 1 of 3 is the closest split
     (0, 10, 5, 0),    # 5/10; 4/10 is 40% and 4 vs 6 differ by two
     (30, 70, 17, 0),  # 47/100
     (47, 53, 0, 0),
     (60, 40, 0, 7),   # 53 women, 47 men
     (9, 2, 0, 3),     # 6 women, 5 men
     (3, 0, 0, 1)],    # 2 women, 1 man
)  # fmt: skip
def test_numbers_needed_at_constant_headcount(
    women: int, men: int, women_needed: int, men_needed: int
) -> None:
    row = metrics(women, men)
    assert (row["women_needed"], row["men_needed"]) == (women_needed, men_needed)


def _status(women: int, men: int) -> str | None:
    """The definition, read literally with exact fractions."""
    if women + men == 0:
        return None
    share = Fraction(women, women + men)
    if Fraction(47, 100) <= share <= Fraction(53, 100) or abs(women - men) <= 1:
        return "parity"
    return "women_under" if share < Fraction(47, 100) else "men_under"


def test_status_and_numbers_needed_agree_with_the_definition_for_every_small_group() -> None:
    """Every split of every group of up to 60 people: the status is the definition's, and the
    number needed is the least number of positions to move for the status to become parity."""
    pairs = [(w, m) for w in range(61) for m in range(61) if w + m <= 60]
    table = parity_metrics(
        pd.DataFrame({"women": [w for w, _ in pairs], "men": [m for _, m in pairs], "other": 0})
    )
    for (w, m), status, women_needed, men_needed in zip(
        pairs, table["parity_status"], table["women_needed"], table["men_needed"], strict=True
    ):
        expected = _status(w, m)
        assert (status if pd.notna(status) else None) == expected, (w, m)
        if expected is None:
            continue
        least_women = least_men = 0
        if expected == "women_under":
            least_women = next(k for k in range(m + 1) if _status(w + k, m - k) == "parity")
        if expected == "men_under":
            least_men = next(k for k in range(w + 1) if _status(w - k, m + k) == "parity")
        assert (women_needed, men_needed) == (least_women, least_men), (w, m)


def test_women_to_add_reading() -> None:
    assert women_to_add(10, 30) == 17  # 27/57 = 47.4%; 26/56 = 46.4%
    assert women_to_add(0, 3) == 2  # 2 and 3 differ by one
    assert women_to_add(50, 50) == 0
    assert women_to_add(0, 0) == 0


@pytest.fixture()
def frame(reference: Reference) -> pd.DataFrame:
    return analysis_frame(
        [
            (2025, "A", "P-3", "Geneva", "F", 6), (2025, "A", "P-3", "Geneva", "M", 4),
            (2025, "A", "D-1", "Geneva", "F", 1), (2025, "A", "D-1", "Geneva", "M", 3),
            (2025, "B", "P-3", "Juba", "F", 2), (2025, "B", "P-3", "Juba", "M", 8),
            (2025, "B", "G-4", None, "X", 1), (2025, "B", "G-4", None, "F", 3),
            (2024, "A", "P-3", "Geneva", "F", 5), (2024, "A", "P-3", "Geneva", "M", 5),
            (2026, "B", "P-3", "Juba", "F", 0),
        ],
        reference,
    )  # fmt: skip


def test_gender_counts_by_several_dimensions_with_a_mask(frame: pd.DataFrame) -> None:
    mask = frame["year"].to_numpy() == 2025
    table = gender_counts(frame, ["entity", "location", "grade"], mask)
    rows = table.astype(object).where(table.notna(), None).values.tolist()
    assert rows == [
        ["A", "HQ", "D-1", 1, 3, 0],  # grades in ladder order, top first
        ["A", "HQ", "P-3", 6, 4, 0],
        ["B", "Field", "P-3", 2, 8, 0],
        ["B", None, "G-4", 3, 0, 1],  # no duty station: a group of its own, with no label
    ]


def test_gender_counts_by_many_dimensions_counts_only_the_groups_that_occur(
    frame: pd.DataFrame,
) -> None:
    """Ten thousand labels in each of four dimensions make 10^16 possible groups: only the
    three that hold people may cost anything."""
    wide = frame.copy()
    for column in ("entity", "duty_station", "country", "age_band"):
        extra = [f"{column}-{i}" for i in range(10_000)]
        wide[column] = wide[column].cat.add_categories(extra)
    mask = wide["year"].to_numpy() == 2025
    table = gender_counts(wide, ["entity", "duty_station", "country", "age_band"], mask)
    assert table[["entity", "duty_station", "women", "men", "other"]].fillna(
        "-"
    ).values.tolist() == [
        ["A", "Geneva", 7, 7, 0],
        ["B", "Juba", 2, 8, 0],
        ["B", "-", 3, 0, 1],
    ]


def test_gender_counts_by_year_and_with_no_dimension(frame: pd.DataFrame) -> None:
    by_year = gender_counts(frame, ["year"])
    assert by_year.values.tolist() == [[2024, 5, 5, 0], [2025, 12, 15, 1]]  # 2026 has nobody
    assert gender_counts(frame).values.tolist() == [[17, 20, 1]]
    assert len(gender_counts(frame, ["entity"], np.zeros(len(frame), dtype=bool))) == 0


def test_latest_year_has_people_in_it(frame: pd.DataFrame) -> None:
    assert latest_year(frame) == 2025  # 2026 holds a row with a headcount of 0
    assert latest_year(frame, (frame["entity"] == "A").to_numpy()) == 2025
    assert latest_year(frame, np.zeros(len(frame), dtype=bool)) is None


def test_glass_ceiling_index(frame: pd.DataFrame, reference: Reference) -> None:
    """The index the product shows (parity.views.overview.glass_ceiling, exact rule)."""
    from parity.filters import FilterState
    from parity.privacy import PrivacyRule
    from parity.views.base import Selection
    from parity.views.overview import glass_ceiling

    # all grades: 12 women, 15 men (44.4%); D-1 and above: 1 of 4 (25%) -> 1.78
    everyone = Selection.of(frame, FilterState(year=2025))
    index, _note = glass_ceiling(everyone, reference, PrivacyRule(0))
    assert index == pytest.approx((12 / 27) / (1 / 4))
    # entity B has nobody in the top grades: no index
    only_b = Selection.of(frame, FilterState(year=2025, entity=("B",)))
    assert glass_ceiling(only_b, reference, PrivacyRule(0))[0] is None


def test_top_grades_are_d1_and_above(reference: Reference) -> None:
    top = reference.top_grades
    assert {"D-1", "D-2", "ASG", "USG", "UG", "SG"} <= set(top)
    assert not {"P-5", "NO-E", "FS-7", "G-7"} & set(top)


def pipeline_of(frame: pd.DataFrame, reference: Reference, year: int | None = None) -> Any:
    """The Grades page's pipeline (parity.views.grades, exact rule): bottom of the ladder first,
    with each grade's category."""
    from parity.filters import FilterState
    from parity.privacy import PrivacyRule
    from parity.views.grades import grades

    return grades(frame, FilterState(year=year), PrivacyRule(0), reference).pipeline.data


def test_grade_pipeline_runs_bottom_to_top(frame: pd.DataFrame, reference: Reference) -> None:
    pipeline = pipeline_of(frame, reference, 2025)
    assert pipeline[["grade", "category", "women", "men", "other"]].values.tolist() == [
        ["G-4", "General Service", 3, 0, 1],
        ["P-3", "Professional", 8, 12, 0],
        ["D-1", "Directors", 1, 3, 0],
    ]
    assert pipeline["parity_status"].tolist() == ["men_under", "women_under", "women_under"]


def test_grade_pipeline_has_one_row_per_grade(reference: Reference) -> None:
    """Files that name a grade's category differently still give one bar per grade."""
    frame = analysis_frame(
        [
            (2025, "A", "P-3", "Geneva", "F", 3, "Professional and higher"),
            (2025, "A", "P-3", "Geneva", "M", 1, "Professional and higher"),
            (2025, "B", "P-3", "Juba", "F", 1),
            (2025, "B", "P-3", "Juba", "M", 5),
        ],
        reference,
    )
    pipeline = pipeline_of(frame, reference)
    assert pipeline[["grade", "women", "men"]].values.tolist() == [["P-3", 4, 6]]
