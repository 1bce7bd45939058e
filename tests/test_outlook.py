"""The outlook of a group (parity.outlook): the status against the goal from the recent trend,
and where the recent flows lead. Figures worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from parity.outlook import flows_outlook, goal_status
from parity.planning import Ladder
from parity.projections import project_series


def one_grade(women: float, men: float, hire_share: float, r_w: float, r_m: float) -> Ladder:
    """One grade of constant size, no promotions."""
    return Ladder(
        grades=("P-4",),
        up=np.array([-1]),
        stock=np.array([[women, men]]),
        separation_rate=np.array([[r_w, r_m]]),
        promotion_rate=np.zeros((1, 2)),
        hire_share=np.array([hire_share]),
        base_year=2025,
    )


@pytest.mark.parametrize(
    ("shares", "expected"),
    [
        # 45% in 2025, +0.5 points a year: 46.5% in 2028, outside the zone
        ([0.435, 0.44, 0.445, 0.45], "off_track"),
        # +0.7 a year: 45% + 2.1 = 47.1% in 2028, inside
        ([0.429, 0.436, 0.443, 0.45], "on_track"),
        ([0.47, 0.48], "at_parity"),  # in the zone now: maintain
        # men under-represented: 56% falling 1 point a year is 53% in 2028 (the zone's edge)
        ([0.58, 0.57, 0.56], "on_track"),
        ([0.578, 0.569, 0.56], "off_track"),  # -0.9 a year: 53.3% in 2028
        ([0.40], "no_trend"),
    ],
)
def test_status_against_the_goal(shares: list[float], expected: str) -> None:
    years = list(range(2026 - len(shares), 2026))
    trend = project_series(years, shares, window=10)
    share = shares[-1]
    status = "parity" if 0.47 <= share <= 0.53 else "women_under" if share < 0.5 else "men_under"
    assert goal_status(share, status, trend.annual_change_pp, 2025, 2028) == expected


def test_the_flows_level_off_where_appointments_replace_leavers() -> None:
    # equal separation rates (10%), appointments 41% women: W(t) = 41 + (35 - 41) 0.9^t, so
    # by 2100 (75 years) the share is 41% within 0.01 points, and 50/50 is never passed
    flows = flows_outlook(one_grade(35, 65, 0.41, 0.1, 0.1), np.array([True]), 2028)
    assert flows.level_off == pytest.approx(0.41, abs=1e-4)
    assert flows.year_at_parity is None
    assert flows.hire_share == pytest.approx(0.41)
    assert flows.appointments == pytest.approx(10.0)  # 10% of 100 posts a year
    # unequal rates: a = 50%, r_w = 20%, r_m = 10%: s* = (0.5/0.2) / (0.5/0.2 + 0.5/0.1) = 1/3
    unequal = flows_outlook(one_grade(50, 50, 0.5, 0.2, 0.1), np.array([True]), 2028)
    assert unequal.level_off == pytest.approx(1 / 3, abs=1e-4)


def test_what_it_takes_by_the_goal_year() -> None:
    # 100 posts, 40 women, 10% leave a year: after three years W = 40 * 0.729 + h * 27.1,
    # which is 50 when h = (50 - 29.16) / 27.1 = 76.9%
    flows = flows_outlook(one_grade(40, 60, 0.4, 0.1, 0.1), np.array([True]), 2028)
    assert flows.required_share == pytest.approx((50 - 29.16) / 27.1, abs=2e-4)
    # 20 women of 100 and 5% turnover: even all-women appointments give 20 * 0.857 + 14.3 =
    # 31.4 by 2028, out of reach by hiring alone
    hard = flows_outlook(one_grade(20, 80, 0.4, 0.05, 0.05), np.array([True]), 2028)
    assert hard.required_share is None


def test_the_outlook_in_words_when_the_two_models_disagree() -> None:
    from parity.outlook import Flows, Outlook
    from parity.projections import Projection
    from parity.views.outlook import outlook_sentence

    def outlook(change: float, year: int | None, level: float, passes: int | None) -> Outlook:
        status = "projected" if year else "not_at_current_trend"
        trend = Projection(2025, 0.41, change, status, year)
        flows = Flows(level, passes, 0.41, None, 100.0)
        return Outlook(2025, 0.41, "women_under", trend, 2028, "off_track", flows)

    # the rise says 2051, the appointments say 41%: both said, and why
    assert outlook_sentence(outlook(0.35, 2051, 0.41, None)) == (
        "At the 10-year trend (+0.35 points a year), 50/50 is reached in 2051. But at the "
        "recent share of women among appointments (41%), the share levels off near 41%: the "
        "trend will not last unless appointments change. To reach 50/50 by 2028, hiring alone "
        "is not enough: promotions and separations must change too."
    )
    # flat trend, appointments passing 50% in 2040; appointments levelling off at 49.7%
    assert "would pass 50/50 in 2040" in outlook_sentence(outlook(-0.1, None, 0.55, 2040))
    near = outlook_sentence(outlook(-0.1, None, 0.497, None))
    assert "would level off near 50%, close to 50/50" in near and "after" not in near
    # both reach it: one sentence of agreement
    assert "lead the same way: 50/50 in 2049" in outlook_sentence(outlook(0.4, 2048, 0.6, 2049))
