"""Projected year of parity: every status, both methods, and the UN's published table."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from parity.projections import project_series

PUBLISHED = Path(__file__).parent / "data" / "un-system-women-by-level-2003-2013.csv"


def test_increment_projection() -> None:
    # 40% in 2015, 44% in 2025: +0.4 pp a year; 6 pp to go -> 15 years -> 2040
    p = project_series([2015, 2020, 2025], [0.40, 0.47, 0.44], window=10)
    assert p.projection_status == "projected"
    assert p.annual_change_pp == pytest.approx(0.4)
    assert p.projected_year == 2040
    assert p.start_year == 2015


def test_first_whole_year_and_window_start() -> None:
    # window 3 from 2025: the earliest year with data in [2022, 2025] is 2023 (none in 2022)
    p = project_series([2015, 2023, 2025], [0.10, 0.45, 0.46], window=3)
    assert p.start_year == 2023
    assert p.annual_change_pp == pytest.approx(0.5)
    assert p.projected_year == 2033  # 4 pp at 0.5 a year: 8 years
    q = project_series([2024, 2025], [0.449, 0.46], window=10)  # 1.1 pp a year, 3.64 years
    assert q.projected_year == 2029


def test_reached_flat_falling_and_single_year() -> None:
    assert project_series([2020, 2025], [0.52, 0.50]).projection_status == "reached"
    flat = project_series([2020, 2025], [0.45, 0.45])
    assert (flat.projection_status, flat.projected_year) == ("not_at_current_trend", None)
    falling = project_series([2020, 2025], [0.45, 0.40])
    assert falling.annual_change_pp == pytest.approx(-1.0)
    assert falling.projection_status == "not_at_current_trend"
    assert project_series([2025], [0.30]).projection_status == "insufficient_data"
    assert project_series([2025], [0.60]).projection_status == "reached"
    # years outside the window are ignored: one year left in it
    assert project_series([2010, 2025], [0.2, 0.3], window=5).projection_status == (
        "insufficient_data"
    )


def test_ols_line_and_its_interval() -> None:
    years = list(range(2016, 2026))
    perfect = project_series(years, [0.40 + 0.01 * i for i in range(10)], method="ols")
    # 49% in 2025 rising 1 pp a year: 50% in 2026, with no uncertainty
    assert perfect.annual_change_pp == pytest.approx(1.0)
    assert perfect.projected_year == 2026
    assert (perfect.projected_year_low, perfect.projected_year_high) == (2026, 2026)
    noisy_shares = [0.30 + 0.005 * i + (0.01 if i % 2 else -0.01) for i in range(10)]
    noisy = project_series(years, noisy_shares, method="ols")
    assert noisy.projection_status == "projected"
    assert noisy.projected_year_low <= noisy.projected_year <= noisy.projected_year_high
    assert noisy.projected_year_high - noisy.projected_year_low >= 2


def test_published_un_table() -> None:
    """A/69/346: 2003-2013, P-1 to UG. Shares are rounded in the source while the published
    changes come from unrounded shares, so rebuilding 2003 as share_2013 - change and
    projecting lands within a year of the published year, except P-3 (see below)."""
    table = pd.read_csv(PUBLISHED)
    for row in table.itertuples(index=False):
        start = (row.women_share_2013_pct - row.change_2003_2013_pp) / 100
        p = project_series([2003, 2013], [start, row.women_share_2013_pct / 100], window=10)
        assert p.annual_change_pp == pytest.approx(row.change_2003_2013_pp / 10)
        if row.published_parity_year == "Reached":
            assert p.projection_status == "reached", row.level
            continue
        published = int(row.published_parity_year)
        if row.level == "P-3":
            # 45% (rounded) and +0.2 pp a year give 2038; the unrounded 2013 share (about
            # 45.4%) gives the published 2036. Two years off, from rounding alone.
            assert p.projected_year == 2038
            assert math.isclose(2013 + (50 - 45.4) / 0.2, 2036)
            continue
        assert abs(p.projected_year - published) <= 1, row.level
