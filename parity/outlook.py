"""The outlook of one group: where it stands, where the recent trend and the recent flows lead,
what it takes, and one status against the goal (DOMAIN.md, "The outlook").

Two models answer "when is 50/50 reached", and both are stated, never as two answers to one
question:

- the recent trend (parity.projections: the UN reports' straight line of the annual change);
- the recent flows (parity.planning: the grade ladder run with the recent rates of appointment,
  promotion and separation). Run long enough, the ladder settles where appointments replace
  leavers at the recent mix; the share it reaches by the horizon (2100) is the level it levels
  off near. One grade of constant size with appointments a% women and separation rates r_w, r_m
  settles at s* = (a / r_w) / (a / r_w + (1 - a) / r_m).

Against the goal (parity at every level by 2028, or the entity's own target year): ``at_parity``
(inside the parity zone now: maintain), ``on_track`` (the recent trend enters the zone by the
goal year), ``off_track`` (otherwise), or ``no_trend`` (one year of data: nothing to judge).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from parity.metrics import PARITY_HIGH_PCT, PARITY_LOW_PCT
from parity.planning import (
    Ladder,
    appointments_a_year,
    first_year_at_parity,
    group_share,
    recent_hire_share,
    required_hire_share,
    simulate,
)
from parity.projections import HORIZON_YEAR, Projection

GOAL_STATUSES = ("at_parity", "on_track", "off_track", "no_trend")
AGREE_MARGIN = 0.005  # a level-off share within half a point of 50% counts as reaching it


@dataclass(frozen=True)
class Flows:
    """Where the recent appointments, promotions and separations lead a group, and what it
    takes to reach 50/50 by the goal year."""

    level_off: float  # the share the ladder reaches by the horizon at the recent rates
    year_at_parity: int | None  # the first year the ladder passes 50%, None if not by 2100
    hire_share: float  # women's share of the recent appointments
    required_share: float | None  # of appointments from next year to reach 50/50 by the goal
    appointments: float  # a year, at these levels, at the recent turnover


@dataclass(frozen=True)
class Outlook:
    """One group's outlook (shares are fractions)."""

    year: int
    women_share: float
    parity_status: str  # now: parity, women_under, men_under
    trend: Projection
    goal_year: int
    goal_status: str  # GOAL_STATUSES
    flows: Flows | None  # None: no flows recorded (or not in the public tables)

    @property
    def trend_year(self) -> int | None:
        """The year the trend reaches 50/50 (None: reached, not at the current trend, or no
        trend); a year after 2100 is kept for the words "after 2100", never printed."""
        return self.trend.projected_year if self.trend.projection_status == "projected" else None

    @property
    def disagree(self) -> bool:
        """Whether the trend and the flows tell different stories about 50/50 for a group
        below it: one reaches it by 2100 and the other does not."""
        if self.flows is None or self.women_share >= 0.5:
            return False
        by_trend = self.trend_year is not None and self.trend_year <= HORIZON_YEAR
        by_flows = self.flows.level_off >= 0.5 - AGREE_MARGIN
        return by_trend != by_flows


def goal_status(
    share: float, status: str, change_pp: float | None, base_year: int, goal_year: int
) -> str:
    """at_parity, on_track, off_track or no_trend (see the module's docstring), from the share
    and status in ``base_year`` and the trend's annual change in points (None: no trend)."""
    if status == "parity":
        return "at_parity"
    if change_pp is None or change_pp != change_pp:  # none, or NaN
        return "no_trend"
    years = max(goal_year - base_year, 0)
    at_goal = 100 * share + change_pp * years  # in percent
    if status == "women_under":
        return "on_track" if at_goal >= PARITY_LOW_PCT - 1e-9 else "off_track"
    return "on_track" if at_goal <= PARITY_HIGH_PCT + 1e-9 else "off_track"


def goal_statuses(table: pd.DataFrame, goal_year: int) -> list[str]:
    """``goal_status`` of each row of a table with women_share, parity_status, annual_change_pp
    (NaN or None: no trend) and base_year: a projection table, the scorecard's groups."""
    return [
        goal_status(float(share), str(status), None if pd.isna(change) else float(change),
                    int(base), goal_year)
        for share, status, change, base in zip(
            table["women_share"], table["parity_status"], table["annual_change_pp"],
            table["base_year"], strict=True,
        )
    ]  # fmt: skip


def flows_outlook(ladder: Ladder, members: np.ndarray, goal_year: int) -> Flows:
    """The ladder run at its recent rates to 2100 for the member grades; the share of
    appointments that reaches 50/50 by ``goal_year`` (None when even all of them is not
    enough) and the appointments a year those levels take."""
    path = group_share(simulate(ladder, HORIZON_YEAR), members)
    required = (
        required_hire_share(ladder, members, goal_year) if goal_year > ladder.base_year else None
    )
    return Flows(
        level_off=float(path[-1]),
        year_at_parity=first_year_at_parity(path, ladder.base_year),
        hire_share=recent_hire_share(ladder, members),
        required_share=required,
        appointments=appointments_a_year(ladder, members),
    )
