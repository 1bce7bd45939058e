"""A planning scenario and its outcome: the scenario's parameters (target year, rate window,
turnover, headcount growth, a change in the share of women among appointments per staff
category) as the URL and the page's controls carry them, and the scenario run on the
grade-ladder model (parity.planning) for each group shown (staff category or grade) and for
everyone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import numpy as np

from parity.planning import GroupPlan, Ladder, plan_groups
from parity.reference import STAFF_CATEGORIES, Reference
from parity.wording import GOAL_YEAR

# The page answers within a callback budget: fewer runs (250) and a shorter run horizon than the
# `parity plan` command (1,000 runs, 30 years past the target), so its band is a coarser
# estimate; the command gives the reference figures.
RUNS = 250
RUN_HORIZON = 12


def slug(category: str) -> str:
    return re.sub(r"[^a-z]+", "-", category.lower()).strip("-")


@dataclass(frozen=True)
class Scenario:
    """A planning scenario; parameters at their default are left out of the URL."""

    target_year: int = GOAL_YEAR
    window: int = 5
    turnover: float = 1.0
    growth_pct: float = 0.0
    by: str = "category"
    offsets: dict[str, float] = field(default_factory=dict)  # category -> pp

    KEYS = ("target", "window", "turnover", "growth", "plan_by")

    @classmethod
    def keys(cls) -> set[str]:
        return {*cls.KEYS, *(f"hire_{slug(c)}" for c in STAFF_CATEGORIES)}

    def pairs(self) -> list[tuple[str, str]]:
        default = Scenario()
        out = []
        for key, value, base in (
            ("target", self.target_year, default.target_year),
            ("window", self.window, default.window),
            ("turnover", self.turnover, default.turnover),
            ("growth", self.growth_pct, default.growth_pct),
            ("plan_by", self.by, default.by),
        ):
            if value != base:
                out.append((key, f"{value:g}" if isinstance(value, float) else str(value)))
        for category in STAFF_CATEGORIES:
            offset = self.offsets.get(category, 0.0)
            if offset:
                out.append((f"hire_{slug(category)}", f"{offset:g}"))
        return out

    @classmethod
    def from_query(cls, query: str) -> Scenario:
        values = dict(parse_qsl(query.lstrip("?")))

        def number(key: str, default: float, low: float, high: float) -> float:
            try:
                return min(max(float(values[key]), low), high)
            except (KeyError, ValueError):
                return default

        offsets = {c: number(f"hire_{slug(c)}", 0.0, -50, 50) for c in STAFF_CATEGORIES}
        return cls(
            target_year=int(number("target", GOAL_YEAR, 2026, 2060)),
            window=int(number("window", 5, 1, 15)),
            turnover=number("turnover", 1.0, 0.2, 3.0),
            growth_pct=number("growth", 0.0, -10, 10),
            by="grade" if values.get("plan_by") == "grade" else "category",
            offsets={c: v for c, v in offsets.items() if v},
        )

    @classmethod
    def from_controls(
        cls, target: Any, window: Any, turnover: Any, growth: Any, by: Any, offsets: list[Any]
    ) -> Scenario:
        return cls(
            target_year=int(target or GOAL_YEAR),
            window=int(window or 5),
            turnover=float(turnover if turnover is not None else 1.0),
            growth_pct=float(growth or 0.0),
            by=by or "category",
            offsets={c: float(v) for c, v in zip(STAFF_CATEGORIES, offsets, strict=False) if v},
        )


@dataclass(frozen=True)
class Outcome:
    """The scenario run on the grade ladder: the groups (``labels``: the staff categories in
    their order, or the grades in the ladder's; ``groups``: each one's grades, a mask over the
    ladder's), the plan of each group (``group_plans``) and of everyone (``total``, over
    ``everyone``: every grade)."""

    labels: list[str]
    groups: list[np.ndarray]
    everyone: np.ndarray
    group_plans: list[GroupPlan]
    total: GroupPlan


def run_scenario(ladder: Ladder, scenario: Scenario, reference: Reference, runs: int) -> Outcome:
    """The plan of each group of ``scenario.by`` and of everyone: each grade's recent share of
    women among appointments moved by its staff category's offset (percentage points, the share
    kept within 0-1), with the scenario's turnover and growth, ``runs`` Monte Carlo runs."""
    category_of = reference.grade_category
    grade_categories = [category_of.get(g, "") for g in ladder.grades]
    offsets = np.array([scenario.offsets.get(c, 0.0) / 100 for c in grade_categories])
    hire = np.clip(ladder.hire_share + offsets, 0, 1)
    if scenario.by == "grade":
        labels = list(ladder.grades)
        groups = [np.array([g == name for g in ladder.grades]) for name in labels]
    else:
        labels = [c for c in STAFF_CATEGORIES if c in grade_categories]
        groups = [np.array([c == label for c in grade_categories]) for label in labels]
    everyone = np.ones(len(ladder.grades), dtype=bool)
    *group_plans, total = plan_groups(
        ladder,
        [*groups, everyone],
        scenario.target_year,
        hire_share=hire,
        runs=runs,
        mc_horizon=RUN_HORIZON,
        turnover=scenario.turnover,
        growth=scenario.growth_pct / 100,
    )
    return Outcome(labels, groups, everyone, group_plans, total)
