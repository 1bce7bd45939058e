"""Every chart as text (issue 13): its takeaway in a sentence and its figures as a table, under
the privacy rule. The figures are those of tests/e2e/data/staff.csv, worked out by hand."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from parity.filters import FilterState
from parity.privacy import PrivacyRule
from parity.privacy.linked import public_rule
from parity.reference import Reference
from parity.views.entities import entities
from parity.views.grades import grades
from parity.views.overview import overview
from parity.views.text import chart_table
from tests.conftest import analysis_frame

CELLS = [  # year, entity, station, grade, women, men (the e2e staffing file)
    (2024, "Alpha", "Geneva", "P-4", 5, 5),
    (2024, "Alpha", "Geneva", "D-1", 1, 3),
    (2024, "Alpha", "Juba", "P-3", 2, 7),
    (2024, "Beta", "Nairobi", "P-4", 4, 6),
    (2024, "Beta", "Nairobi", "P-3", 8, 6),
    (2025, "Alpha", "Geneva", "P-4", 6, 4),
    (2025, "Alpha", "Geneva", "D-1", 1, 3),
    (2025, "Alpha", "Juba", "P-3", 2, 8),
    (2025, "Beta", "Nairobi", "P-4", 5, 5),
    (2025, "Beta", "Nairobi", "P-3", 9, 6),
]


@pytest.fixture(scope="module")
def frame(reference: Reference) -> pd.DataFrame:
    rows = []
    for year, entity, station, grade, women, men in CELLS:
        rows += [
            (year, entity, grade, station, "F", women),
            (year, entity, grade, station, "M", men),
        ]
    return analysis_frame(rows, reference)


def test_exact_figures_and_the_takeaway(frame: pd.DataFrame, reference: Reference) -> None:
    view = grades(frame, FilterState(year=2025), PrivacyRule(0), reference)
    table = chart_table(view.pipeline)
    assert table["columns"] == ["Grade", "Women", "Men", "Women's share", "Status"]
    # 2025: P-3 2+9 women, 8+6 men; P-4 6+5, 4+5; D-1 1, 3 (the pipeline's order: bottom up)
    assert table["rows"] == [
        ["P-3", "11", "14", "44.0%", "Women under-represented"],
        ["P-4", "11", "9", "55.0%", "Men under-represented"],  # above 53%
        ["D-1", "1", "3", "25.0%", "Women under-represented"],
    ]
    assert table["sentence"] == "Highest women's share: P-4 (55.0%); lowest: D-1 (25.0%)."
    trend = overview(frame, FilterState(), PrivacyRule(0), reference).trend
    # 2024: 20 women, 27 men (20/47 = 42.6%); 2025: 23 and 26 (23/49 = 46.9%)
    assert chart_table(trend)["rows"] == [
        ["2024", "20", "27", "42.6%"],
        ["2025", "23", "26", "46.9%"],
    ]


def test_a_withheld_group_has_no_figure_in_the_table(
    frame: pd.DataFrame, reference: Reference
) -> None:
    """Alpha's D-1 (4 people, 2025) is under the rule of 5. The publication withholds with it
    Alpha's P-4 (else Alpha's "P-4 and above", 14, less P-4 would give the D-1 away) and the
    Professional category (else Alpha's total, 24, less Professional would give Directors);
    Alpha's P-3 (10) stays shown: the total of all, 25, less Beta's 15 gives it anyway. Every
    withheld cell reads alike ("not shown"): which are small is not told."""
    public = public_rule(frame, None, reference, 5)
    view = overview(frame, FilterState(entity=("Alpha",), year=2025), public, reference)
    table = chart_table(view.categories)
    assert table["rows"] == [
        ["Directors", "not shown", "not shown", "not shown", "—"],
        ["Professional", "not shown", "not shown", "not shown", "—"],
    ]
    assert "2 staff categories not shown, to protect small groups" in table["caption"]
    alpha = FilterState(entity=("Alpha",), year=2025)
    pipeline = chart_table(grades(frame, alpha, public, reference).pipeline)
    assert pipeline["rows"] == [["P-3", "2", "8", "20.0%", "Women under-represented"]]
    assert "2 grades not shown" in pipeline["caption"]
    assert not any(re.fullmatch(r"[\d,.]+%?", cell) for row in table["rows"] for cell in row)


def test_a_heatmap_reads_as_a_grid_of_shares(frame: pd.DataFrame, reference: Reference) -> None:
    view = entities(frame, FilterState(year=2025), PrivacyRule(0), reference)
    table = chart_table(view.heatmap, pivot=("entity", "grade"))
    assert table["columns"] == ["Entity", "D-1", "P-4", "P-3"]
    assert table["rows"] == [
        ["Alpha", "25.0%", "60.0%", "20.0%"],
        ["Beta", "—", "50.0%", "60.0%"],
    ]
