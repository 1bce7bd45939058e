"""Desirable ranges on tiny memberships worked out by hand (ranges)."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from parity.ranges import (
    RANGE_COLUMNS,
    STATE_COLUMNS,
    STATUSES,
    UN_SECRETARIAT,
    UNESCO,
    RangeParameters,
    by_status,
    desirable_ranges,
    representation,
    status_of,
)

TEMPLATE = Path(__file__).resolve().parents[1] / "data/reference/member_states_template.csv"


def states(contributions: tuple[float, ...] = (0.6, 0.3, 0.1)) -> pd.DataFrame:
    """Three members (A, B, C) of 50, 30 and 20 million people and a non-member (D)."""
    return pd.DataFrame(
        {
            "country": ["Aland", "Borduria", "Carpania", "Dorsia"],
            "iso3": ["AAA", "BBB", "CCC", "DDD"],
            "member": [True, True, True, False],
            "contribution_share": [*contributions, 0.0],
            "population": [50e6, 30e6, 20e6, 10e6],
        }
    )


def column(frame: pd.DataFrame, name: str) -> list[float]:
    return [float(v) for v in frame[name]]


def test_the_three_factors_midpoint_and_flexibility_on_a_base_of_100() -> None:
    # UN weights on a base of 100 posts, three members (D, not a member, is left out):
    # membership   = 40% x 100 / 3                    = 13.3333 each
    # contribution = 55% x 100 x (0.6, 0.3, 0.1)      = 33, 16.5, 5.5
    # population   = 5% x 100 x (50, 30, 20) / 100 m  = 2.5, 1.5, 1.0
    # midpoint     = 48.8333, 31.3333, 19.8333 (they add up to the base, 100)
    # 15% of it    = 7.325 (A: kept), 4.7 and 2.975 (B, C: below 4.8, so 4.8 each way)
    # lower, upper = A 41.508333, 56.158333; B 26.533333, 36.133333; C 15.033333, 24.633333
    ranges = desirable_ranges(states(), dataclasses.replace(UN_SECRETARIAT, base=100))
    assert list(ranges.columns) == list(RANGE_COLUMNS)
    assert list(ranges["iso3"]) == ["AAA", "BBB", "CCC"]
    third = 40 / 3
    assert column(ranges, "membership_posts") == pytest.approx([third] * 3, abs=1e-12)
    assert column(ranges, "contribution_posts") == pytest.approx([33, 16.5, 5.5], abs=1e-12)
    assert column(ranges, "population_posts") == pytest.approx([2.5, 1.5, 1.0], abs=1e-12)
    midpoints = [third + 35.5, third + 18.0, third + 6.5]
    assert column(ranges, "midpoint") == pytest.approx(midpoints, abs=1e-12)
    assert sum(column(ranges, "midpoint")) == pytest.approx(100, abs=1e-12)
    a, b, c = midpoints
    assert column(ranges, "lower") == pytest.approx([a * 0.85, b - 4.8, c - 4.8], abs=1e-12)
    assert column(ranges, "upper") == pytest.approx([a * 1.15, b + 4.8, c + 4.8], abs=1e-12)
    assert column(ranges, "lower") == pytest.approx([41.508333, 26.533333, 15.033333], abs=1e-6)
    assert column(ranges, "upper") == pytest.approx([56.158333, 36.133333, 24.633333], abs=1e-6)


def test_the_upper_limit_is_raised_to_14_posts_on_a_base_of_30() -> None:
    # base 30: membership 40% x 30 / 3 = 4; contribution 16.5 x (0.6, 0.3, 0.1) = 9.9, 4.95, 1.65;
    # population 1.5 x (0.5, 0.3, 0.2) = 0.75, 0.45, 0.3; midpoints 14.65, 9.4, 5.95.
    # 15% of them is below 4.8 for all three: lower 9.85, 4.6, 1.15; upper 19.45, 14.2 (above 14,
    # kept) and 10.75, raised to 14 for C.
    ranges = desirable_ranges(states(), dataclasses.replace(UN_SECRETARIAT, base=30))
    assert column(ranges, "midpoint") == pytest.approx([14.65, 9.4, 5.95], abs=1e-12)
    assert column(ranges, "lower") == pytest.approx([9.85, 4.6, 1.15], abs=1e-12)
    assert column(ranges, "upper") == pytest.approx([19.45, 14.2, 14.0], abs=1e-12)


def test_contribution_shares_are_rescaled_over_the_members() -> None:
    # percentages typed instead of fractions (60, 30, 10) give the same ranges as 0.6, 0.3, 0.1
    params = dataclasses.replace(UN_SECRETARIAT, base=100)
    as_fractions = desirable_ranges(states(), params)
    as_percent = desirable_ranges(states((60.0, 30.0, 10.0)), params)
    assert column(as_percent, "contribution_share") == pytest.approx([0.6, 0.3, 0.1])
    for name in ("contribution_posts", "midpoint", "lower", "upper"):
        assert column(as_percent, name) == pytest.approx(column(as_fractions, name), abs=1e-12)


def test_unesco_parameters_on_three_members() -> None:
    # base 850: membership 65% x 850 / 3 = 552.5 / 3 = 184.166667 each (above the floor of 2);
    # contribution 30% x 850 = 255 x (0.6, 0.3, 0.1) = 153, 76.5, 25.5;
    # population 5% x 850 = 42.5 x (0.5, 0.3, 0.2) = 21.25, 12.75, 8.5;
    # midpoints 358.416667, 273.416667, 218.166667; 15% each way (no minimum in UNESCO's here):
    # lower 304.654167, 232.404167, 185.441667; upper 412.179167, 314.429167, 250.891667
    ranges = desirable_ranges(states(), UNESCO)
    assert column(ranges, "membership_posts") == pytest.approx([552.5 / 3] * 3, abs=1e-12)
    assert column(ranges, "contribution_posts") == pytest.approx([153, 76.5, 25.5], abs=1e-12)
    assert column(ranges, "population_posts") == pytest.approx([21.25, 12.75, 8.5], abs=1e-12)
    assert column(ranges, "midpoint") == pytest.approx(
        [358.416667, 273.416667, 218.166667], abs=1e-6
    )
    assert column(ranges, "lower") == pytest.approx([304.654167, 232.404167, 185.441667], abs=1e-6)
    assert column(ranges, "upper") == pytest.approx([412.179167, 314.429167, 250.891667], abs=1e-6)


def test_unesco_gives_every_member_at_least_two_posts_for_membership() -> None:
    # base 6: 65% x 6 / 3 = 1.3 posts each, raised to UNESCO's minimum of 2; contribution
    # 1.8 x (0.6, 0.3, 0.1) = 1.08, 0.54, 0.18; population 0.3 x (0.5, 0.3, 0.2) = 0.15, 0.09, 0.06;
    # midpoints 3.23, 2.63, 2.24 (more than the base: the floor adds posts); range +/- 15%
    ranges = desirable_ranges(states(), dataclasses.replace(UNESCO, base=6))
    assert column(ranges, "membership_posts") == [2.0, 2.0, 2.0]
    assert column(ranges, "midpoint") == pytest.approx([3.23, 2.63, 2.24], abs=1e-12)
    assert column(ranges, "lower") == pytest.approx([2.7455, 2.2355, 1.904], abs=1e-12)
    assert column(ranges, "upper") == pytest.approx([3.7145, 3.0245, 2.576], abs=1e-12)


@pytest.mark.parametrize(
    "weights", [(0.40, 0.55, 0.10), (0.40, 0.50, 0.05), (0.65, 0.30, 0.0), (1.1, -0.1, 0.0)]
)
def test_weights_must_add_up_to_one(weights: tuple[float, float, float]) -> None:
    with pytest.raises(ValueError, match="membership_weight \\+ contribution_weight"):
        RangeParameters(100, *weights)


def test_named_parameters() -> None:
    assert (UN_SECRETARIAT.membership_weight, UN_SECRETARIAT.contribution_weight) == (0.40, 0.55)
    assert (UN_SECRETARIAT.population_weight, UN_SECRETARIAT.flexibility) == (0.05, 0.15)
    assert (UN_SECRETARIAT.minimum_flexibility, UN_SECRETARIAT.minimum_upper) == (4.8, 14.0)
    assert (UNESCO.base, UNESCO.membership_weight, UNESCO.contribution_weight) == (850, 0.65, 0.30)
    assert (UNESCO.population_weight, UNESCO.minimum_membership_posts) == (0.05, 2.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        UNESCO.base = 900  # type: ignore[misc]


@pytest.mark.parametrize(
    ("staff", "status"),
    [(0, "unrepresented"), (9, "under"),
     (10, "within_below"),   # exactly at the lower limit: within the range
     (14, "within_below"),
     (15, "within_above"),   # exactly at the midpoint: at or above it
     (20, "within_above"),   # exactly at the upper limit: still within the range
     (21, "over")],
)  # fmt: skip
def test_status_at_the_boundaries(staff: int, status: str) -> None:
    assert status_of(staff, lower=10, midpoint=15, upper=20) == status


def test_a_limit_computed_in_floating_point_is_still_the_limit() -> None:
    assert status_of(15, 10, 15.000000000000002, 20) == "within_above"
    assert status_of(14, 14.000000000000002, 15, 20) == "within_below"
    assert status_of(1, 0.0, 3.0, 14.0) == "within_below"  # a lower limit read as zero


def hand_ranges(n: int) -> pd.DataFrame:
    """n members with the range 10 - 15 - 20."""
    return pd.DataFrame(
        {
            "country": [f"S{i}" for i in range(n)],
            "iso3": [f"S{i:02}" for i in range(n)],
            "midpoint": [15.0] * n,
            "lower": [10.0] * n,
            "upper": [20.0] * n,
        }
    )


def staffed() -> pd.DataFrame:
    # S0 has no staff row; S3 has two rows (3 + 2 women, 4 + 1 men); XXX is not a member
    staff = pd.DataFrame(
        {
            "iso3": ["S01", "S02", "S03", "S03", "S04", "S05", "XXX"],
            "women": [4, 5, 3, 2, 10, 6, 7],
            "men": [5, 5, 4, 1, 10, 15, 7],
        }
    )
    return representation(hand_ranges(6), staff)


def test_representation_adds_staff_status_and_women_share() -> None:
    out = staffed()
    assert list(out["iso3"]) == ["S00", "S01", "S02", "S03", "S04", "S05"]  # XXX left out
    assert list(out["women"]) == [0, 4, 5, 5, 10, 6]
    assert list(out["men"]) == [0, 5, 5, 5, 10, 15]
    assert list(out["staff"]) == [0, 9, 10, 10, 20, 21]
    assert list(out["status"]) == [
        "unrepresented", "under", "within_below", "within_below", "within_above", "over"
    ]  # fmt: skip
    shares = column(out, "women_share")
    assert math.isnan(shares[0])  # no staff, no share
    assert shares[1:] == pytest.approx([4 / 9, 0.5, 0.5, 0.5, 6 / 21])


def test_by_status_counts_states_staff_and_gender() -> None:
    out = by_status(staffed())
    assert list(out["status"]) == list(STATUSES)  # all five, in order, even when empty
    assert list(out["states"]) == [1, 1, 2, 1, 1]
    assert list(out["staff"]) == [0, 9, 20, 20, 21]
    assert list(out["women"]) == [0, 4, 10, 10, 6]
    assert list(out["men"]) == [0, 5, 10, 10, 15]
    shares = column(out, "women_share")
    assert math.isnan(shares[0])
    assert shares[1:] == pytest.approx([4 / 9, 0.5, 0.5, 6 / 21])


def test_by_status_of_a_status_nobody_is_in() -> None:
    out = by_status(representation(hand_ranges(1), pd.DataFrame(columns=["iso3", "women", "men"])))
    assert list(out["states"]) == [1, 0, 0, 0, 0]
    assert list(out["staff"]) == [0, 0, 0, 0, 0]
    assert out["women_share"].isna().all()


def test_the_template_is_read_as_it_is() -> None:
    template = pd.read_csv(TEMPLATE)
    assert tuple(template.columns) == STATE_COLUMNS
    assert 3 <= len(template) <= 4
    ranges = desirable_ranges(template, UN_SECRETARIAT)
    assert list(ranges["iso3"]) == list(template.loc[template["member"], "iso3"])
    assert len(ranges) < len(template)  # the template shows a non-member too


def test_no_member_gives_an_empty_table() -> None:
    none = states().assign(member=False)
    ranges = desirable_ranges(none, UN_SECRETARIAT)
    assert ranges.empty
    assert list(ranges.columns) == list(RANGE_COLUMNS)


@pytest.mark.parametrize(
    ("change", "message"),
    [(lambda t: t.drop(columns="population"), "lacks the column"),
     (lambda t: t.assign(member=["yes", "yes", "yes", "no"]), "true or false"),
     (lambda t: t.assign(population=[50e6, -1, 20e6, 10e6]), "not negative"),
     (lambda t: t.assign(iso3=["AAA", "AAA", "CCC", "DDD"]), "listed twice"),
     (lambda t: t.assign(contribution_share=0.0), "add up to zero")],
)  # fmt: skip
def test_a_table_that_cannot_give_ranges(
    change: Callable[[pd.DataFrame], pd.DataFrame], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        desirable_ranges(change(states()), UN_SECRETARIAT)
