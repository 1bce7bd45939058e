"""Desirable ranges of posts by member state, as in the UN Secretariat's geographical distribution.

An organisation gives each member state a *desirable range* of the posts subject to geographical
distribution (international Professional and higher posts on the regular budget). Out of a
**base figure** of posts, a state's **midpoint** is the sum of three factors (in posts):

- membership   = membership_weight * base / number of members (equal for every member);
- contribution = contribution_weight * base * the state's share of the assessed contributions;
- population   = population_weight * base * the state's population / the members' population.

The range is the midpoint minus and plus its **flexibility**, 15% of the midpoint but not less than
a minimum number of posts each way; the upper limit is then raised to a minimum if it falls short.
A state is ``unrepresented`` with no national in these posts, ``under`` with fewer than its lower
limit, ``within_below`` from its lower limit to below its midpoint, ``within_above`` from its
midpoint to its upper limit (both limits inside the range), ``over`` above its upper limit.

Sources (stored copies read through the search tool; the English text of the Secretary-General's
reports "Composition of the Secretariat", e.g. A/77/577 and A/78/569, was not among them):

- The three factors and the UN Secretariat's weights, membership 40%, population 5%, contribution
  55% of the base figure: the system of General Assembly resolution 42/220 A (1987), as an FAO
  governing-body document describes the "formula implemented in the UN Secretariat" that FAO
  adopted in 2003 (fao.org/4/k2752f, para. 346). The base figure is "related to the actual number
  of posts subject to geographical distribution" (resolution 41/206 C, criterion (a)).
- The flexibility, from a report on the composition of the Secretariat (its Spanish and Chinese
  texts): the range is the midpoint 15% up and down, but not less than 4.8 posts up and down, with
  an upper limit not less than 14 posts (our translation of "no menos de 415 puntos por encima y
  por debajo (4,8 multiplicado por 86,37) ... límite superior de 1.209 puntos como mínimo (14
  multiplicado por 86,37)", its table of weighted ranges at 86.37 points a post). The minimum
  flexibility is thus 4.8 posts *each way*: a range at least 9.6 posts wide.
- The statuses, from the same reports (French text): "non représenté" when none of its nationals
  holds a post subject to geographical distribution, "sous-représenté" when their number is below
  the lower limit, "dans la fourchette souhaitable" when it lies between the lower and upper limits,
  "surreprésenté" when it is above the upper limit: both limits are inside the range. The split of
  "within range" into "below midpoint" and "above midpoint" is the Secretariat's Staff Selection
  System manual's (2023); that a state exactly at its midpoint is "above" it is our reading.
- UNESCO (HRM/PPL, "Geographical distribution ... as at June 2019"): base figure 850 posts
  (25 C/Resolution 40), membership 65% ("This number is equal for all Member States. A minimum of
  two posts is attributed to each Member State"), contribution 30%, population 5%, the method of
  32 C/Resolution 71 (2003). The minimum of two posts is read as a floor on the membership factor.

Contribution shares are rescaled to add up to 1 over the members, so that the contribution factor
always hands out exactly ``contribution_weight * base`` posts: the UN scale of assessments already
adds up to 1 over the members (nothing changes), an agency's own scale or a rounded copy may not.
The figures are fractions of posts, never rounded here (rounding is for display). A lower limit
below zero is read as zero (a small state under a small base): our choice, not the sources'.

The member-state table an organisation fills in (data/reference/member_states_template.csv), one
row per state, a header and no comments:

- ``country``: the state's name, as the organisation writes it;
- ``iso3``: its ISO 3166-1 alpha-3 code (the key the staff counts are joined on);
- ``member``: ``true`` or ``false``; non-members (observer states, territories) are left out;
- ``contribution_share``: its share of the assessed budget as a fraction (0.22 for 22%), 0 for a
  state that pays none;
- ``population``: its population in people.

The template's figures are illustrative; the organisation enters the scale of assessments in force
and current population estimates. Staff counts (``iso3``, ``women``, ``men``) are the staff in
posts subject to geographical distribution, by nationality.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

STATE_COLUMNS = ("country", "iso3", "member", "contribution_share", "population")
STAFF_COLUMNS = ("iso3", "women", "men")
FACTOR_COLUMNS = ("membership_posts", "contribution_posts", "population_posts")
RANGE_COLUMNS = (
    "country",
    "iso3",
    "contribution_share",
    "population_share",
    *FACTOR_COLUMNS,
    "midpoint",
    "lower",
    "upper",
)
STATUSES = ("unrepresented", "under", "within_below", "within_above", "over")
# A state exactly at a limit computed in floating point (14.000000000000002) is at the limit.
TOLERANCE = 1e-9


@dataclass(frozen=True)
class RangeParameters:
    """How an organisation computes desirable ranges (all counts in posts, weights as fractions).

    ``membership_weight + contribution_weight + population_weight`` must add up to 1.
    ``flexibility`` is the fraction of the midpoint each way, at least ``minimum_flexibility``
    posts each way; the upper limit is at least ``minimum_upper``; each member's membership factor
    is at least ``minimum_membership_posts`` (UNESCO's "minimum of two posts").
    """

    base: float
    membership_weight: float
    contribution_weight: float
    population_weight: float
    flexibility: float = 0.15
    minimum_flexibility: float = 0.0
    minimum_upper: float = 0.0
    minimum_membership_posts: float = 0.0

    def __post_init__(self) -> None:
        weights = (self.membership_weight, self.contribution_weight, self.population_weight)
        if any(w < 0 for w in weights) or not math.isclose(sum(weights), 1.0, abs_tol=TOLERANCE):
            raise ValueError(
                "membership_weight + contribution_weight + population_weight must add up to 1, "
                f"not {' + '.join(f'{w:g}' for w in weights)} = {sum(weights):g}"
            )
        if self.base <= 0:
            raise ValueError(f"base must be a positive number of posts, not {self.base:g}")
        floors = (self.flexibility, self.minimum_flexibility, self.minimum_upper)
        if min(*floors, self.minimum_membership_posts) < 0:
            raise ValueError("flexibility and the minimums cannot be negative")


# The UN Secretariat. Weights 40/55/5: General Assembly resolution 42/220 A (see above).
# Flexibility 15% each way, at least 4.8 posts each way, upper limit at least 14 posts: the
# Secretary-General's reports on the composition of the Secretariat (see the module docstring).
# Base: the number of posts subject to geographical distribution changes with each budget; 3,600
# is the "approximately 3,600 established positions funded from the regular budget" of the
# Secretariat's Staff Selection System manual (May 2023). Use the year's figure:
# ``dataclasses.replace(UN_SECRETARIAT, base=...)``.
UN_SECRETARIAT = RangeParameters(
    base=3600,
    membership_weight=0.40,
    contribution_weight=0.55,
    population_weight=0.05,
    flexibility=0.15,
    minimum_flexibility=4.8,
    minimum_upper=14.0,
)

# UNESCO. Base 850 posts (25 C/Resolution 40, from 1 January 1990); membership 65%, contribution
# 30%, population 5% and "a minimum of two posts ... to each Member State" (32 C/Resolution 71, as
# HRM/PPL's June 2019 note states them). The 15% flexibility is assumed from the UN's; UNESCO's
# own width of the range (and whether it has minimums) was not found: no minimum flexibility and
# no minimum upper limit here.
UNESCO = RangeParameters(
    base=850,
    membership_weight=0.65,
    contribution_weight=0.30,
    population_weight=0.05,
    flexibility=0.15,
    minimum_membership_posts=2.0,
)


def _members(states: pd.DataFrame) -> pd.DataFrame:
    """The member rows of a member-state table, checked: the columns are there, ``member`` is
    boolean, shares and populations are not negative, no ISO code is repeated among members."""
    missing = [c for c in STATE_COLUMNS if c not in states.columns]
    if missing:
        raise ValueError(f"the member-state table lacks the column(s) {', '.join(missing)}")
    if not pd.api.types.is_bool_dtype(states["member"]):
        raise ValueError("the member column must be true or false")
    members = states.loc[states["member"], list(STATE_COLUMNS)].reset_index(drop=True)
    for column in ("contribution_share", "population"):
        values = pd.to_numeric(members[column], errors="coerce")
        if values.isna().any() or (values < 0).any():
            raise ValueError(f"{column} must be a number, not negative, for every member")
        members[column] = values.astype(float)
    repeated = members["iso3"][members["iso3"].duplicated()].unique()
    if len(repeated):
        raise ValueError(f"member state(s) listed twice: {', '.join(map(str, repeated))}")
    return members


def _shares(values: pd.Series, what: str) -> pd.Series:
    total = float(values.sum())
    if total <= 0:
        raise ValueError(f"the members' {what} add up to zero")
    return values / total


def desirable_ranges(states: pd.DataFrame, params: RangeParameters) -> pd.DataFrame:
    """Each member state's factors and desirable range, in posts (floats, not rounded).

    With n members, C_i their contribution shares rescaled to add up to 1 and P_i their shares of
    the members' population:

    - membership_posts = max(membership_weight * base / n, minimum_membership_posts)
    - contribution_posts = contribution_weight * base * C_i
    - population_posts = population_weight * base * P_i
    - midpoint = the sum of the three
    - flex = max(flexibility * midpoint, minimum_flexibility)
    - lower = max(midpoint - flex, 0); upper = max(midpoint + flex, minimum_upper)

    Non-members are left out. Columns: ``RANGE_COLUMNS``, one row per member in the input's order;
    an empty table (with those columns) when there is no member. Raises ValueError on a missing
    column, a non-boolean ``member``, a negative or missing share or population, a member listed
    twice, or members whose contributions (or populations) add up to zero.
    """
    members = _members(states)
    if members.empty:
        return pd.DataFrame({c: pd.Series(dtype=float) for c in RANGE_COLUMNS}).astype(
            {"country": object, "iso3": object}
        )
    base = float(params.base)
    contribution_share = _shares(members["contribution_share"], "contribution shares")
    population_share = _shares(members["population"], "populations")
    membership = max(
        params.membership_weight * base / len(members), params.minimum_membership_posts
    )
    out = pd.DataFrame(
        {
            "country": members["country"],
            "iso3": members["iso3"],
            "contribution_share": contribution_share,
            "population_share": population_share,
            "membership_posts": np.full(len(members), membership),
            "contribution_posts": params.contribution_weight * base * contribution_share,
            "population_posts": params.population_weight * base * population_share,
        }
    )
    midpoint = out[list(FACTOR_COLUMNS)].sum(axis=1)
    flex = np.maximum(params.flexibility * midpoint, params.minimum_flexibility)
    out["midpoint"] = midpoint
    out["lower"] = np.maximum(midpoint - flex, 0.0)
    out["upper"] = np.maximum(midpoint + flex, params.minimum_upper)
    return out


def status_of(staff: float, lower: float, midpoint: float, upper: float) -> str:
    """The state's status from its number of staff and its range (limits inclusive, see above)."""
    if staff <= 0:
        return "unrepresented"
    if staff < lower - TOLERANCE:
        return "under"
    if staff < midpoint - TOLERANCE:
        return "within_below"
    if staff <= upper + TOLERANCE:
        return "within_above"
    return "over"


def representation(ranges: pd.DataFrame, staff: pd.DataFrame) -> pd.DataFrame:
    """The ranges with each member's staff and status.

    ``staff`` has ``iso3``, ``women`` and ``men`` (staff in posts subject to geographical
    distribution; several rows of a state are added up). Adds ``women``, ``men``, ``staff`` =
    women + men, ``status`` (one of ``STATUSES``) and ``women_share`` = women / staff, a fraction,
    NaN for a state with no staff. A member without a staff row has 0 staff (``unrepresented``);
    staff of states that are not in ``ranges`` (non-members) are left out.
    """
    missing = [c for c in STAFF_COLUMNS if c not in staff.columns]
    if missing:
        raise ValueError(f"the staff table lacks the column(s) {', '.join(missing)}")
    counts = staff.groupby("iso3", sort=False)[["women", "men"]].sum()
    out = ranges.copy()
    for column in ("women", "men"):
        out[column] = out["iso3"].map(counts[column]).fillna(0).astype(int)
    out["staff"] = out["women"] + out["men"]
    out["status"] = [
        status_of(s, lo, mid, up)
        for s, lo, mid, up in zip(
            out["staff"], out["lower"], out["midpoint"], out["upper"], strict=True
        )
    ]
    out["women_share"] = (out["women"] / out["staff"].where(out["staff"] > 0)).astype(float)
    return out


def by_status(represented: pd.DataFrame) -> pd.DataFrame:
    """Per status (all five, in ``STATUSES`` order): the number of ``states``, their ``staff``,
    ``women`` and ``men``, and ``women_share`` = women / staff (a fraction; NaN for a status with
    no staff, such as ``unrepresented``). ``represented`` is ``representation``'s output."""
    grouped = represented.groupby("status")
    out = pd.DataFrame(
        {
            "states": grouped.size(),
            "staff": grouped["staff"].sum(),
            "women": grouped["women"].sum(),
            "men": grouped["men"].sum(),
        }
    )
    out = out.reindex(list(STATUSES)).fillna(0).astype(int)
    out["women_share"] = (out["women"] / out["staff"].where(out["staff"] > 0)).astype(float)
    return out.rename_axis("status").reset_index()
