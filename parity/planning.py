"""Planning for parity: a grade-ladder stock-flow model and the hiring it takes to reach 50/50.

The model (assumptions, stated on the Definitions page):

- Each year, in every grade and for each gender, a share of the people leave (the separation
  rate) and a share are promoted into the next grade up the same track (the promotion rate):
  P-1 ... P-5, D-1, D-2, ASG, USG; NO-A ... NO-E; FS-2 ... FS-7; G-1 ... G-7 (the order of the
  reference ladder). Rates are pooled over a window of recent years:
  events in years (B - W, B] / headcount at the start of those years.
- Appointments then refill each grade to its headcount path (constant by default, or growing at
  a fixed rate). The share of women among appointments is the lever: the recent share (pooled
  over the same window) or a share set by the user.
- People of another or unknown gender are left out of the model, as they are out of the share.
- One grade of constant size N with separation rate r for both genders and women's appointment
  share s, and no promotions, gives W(t) = sN + (W0 - sN)(1 - r)^t: the model reproduces it.

``required_hire_share``: the share of women among appointments, from the year after the latest
snapshot on, with which the group's women's share reaches 50% at the snapshot of the target year
(found by bisection; for a group above 50%, the largest share with which it comes down to 50%).
None, with status ``infeasible``, when even 100% (0%) is not enough.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

import numpy as np
import pandas as pd

from parity.metrics import gender_counts
from parity.projections import HORIZON_YEAR
from parity.reference import Reference

DEFAULT_RUNS = 1000
BAND = (0.10, 0.90)  # the 80% band of the Monte Carlo runs
MC_HORIZON = 30  # years after the target year the Monte Carlo runs cover
PLAN_STATUSES = ("enough", "feasible", "infeasible")


@dataclass(frozen=True)
class Ladder:
    """The model's state and rates for one population (arrays over grades, then gender W/M)."""

    grades: tuple[str, ...]
    up: np.ndarray  # index of the grade promotions lead into, -1 for none
    stock: np.ndarray  # (G, 2) women and men at the base year
    separation_rate: np.ndarray  # (G, 2) a year
    promotion_rate: np.ndarray  # (G, 2) a year, out of the grade into grades[up]
    hire_share: np.ndarray  # (G,) women's share among appointments, recent
    base_year: int
    growth: float = 0.0  # yearly growth of each grade's headcount

    def with_changes(
        self,
        *,
        hire_share: np.ndarray | None = None,
        turnover: float = 1.0,
        growth: float | None = None,
    ) -> Ladder:
        """A scenario: other hire shares, turnover scaled (separations and promotions), growth."""
        return replace(
            self,
            hire_share=self.hire_share if hire_share is None else np.asarray(hire_share, float),
            separation_rate=np.clip(self.separation_rate * turnover, 0, 1),
            promotion_rate=np.clip(self.promotion_rate * turnover, 0, 1),
            growth=self.growth if growth is None else growth,
        )


def promotion_targets(grades: Sequence[str], reference: Reference) -> np.ndarray:
    """For each grade, the index of the next grade up the same CEB group among ``grades``."""
    info = reference.grades.set_index("grade")
    up = np.full(len(grades), -1)
    by_group: dict[str, list[tuple[int, int]]] = {}
    for i, grade in enumerate(grades):
        if grade in info.index:
            by_group.setdefault(str(info.at[grade, "ceb_group"]), []).append(
                (int(str(info.at[grade, "rank"])), i)
            )
    for members in by_group.values():
        ordered = sorted(members, reverse=True)  # bottom of the ladder first (largest rank)
        for (_, lower), (_, upper) in pairwise(ordered):
            up[lower] = upper
    return up


def estimate_ladder(
    stocks: pd.DataFrame,
    flows: pd.DataFrame,
    reference: Reference,
    *,
    stock_mask: np.ndarray | None = None,
    flow_mask: np.ndarray | None = None,
    window: int = 5,
) -> Ladder | None:
    """Rates and the base-year stock of a population from its snapshots and flows.
    None when the selection has no one in its latest year."""
    counts = gender_counts(stocks, ["year", "grade"], stock_mask)
    if counts.empty:
        return None
    base_year = int(counts["year"].max())
    base = counts[counts["year"] == base_year]
    base = base[(base["women"] + base["men"]) > 0]
    grades = tuple(str(g) for g in base["grade"])
    if not grades:
        return None
    index = {g: i for i, g in enumerate(grades)}
    up = promotion_targets(grades, reference)
    stock = base[["women", "men"]].to_numpy(dtype=float)

    years = set(range(base_year - window + 1, base_year + 1))
    start = counts[counts["year"].isin({y - 1 for y in years}) & counts["grade"].isin(grades)]
    start_total = np.zeros((len(grades), 2))
    for row in start.itertuples(index=False):
        start_total[index[str(row.grade)]] += (row.women, row.men)

    events = gender_counts(flows, ["year", "grade", "event"], flow_mask, weight="count")
    events = events[events["year"].isin(years) & events["grade"].isin(grades)]
    totals = {e: np.zeros((len(grades), 2)) for e in ("appointment", "promotion", "separation")}
    for row in events.itertuples(index=False):
        totals[str(row.event)][index[str(row.grade)]] += (row.women, row.men)
    # promotions are recorded at the grade they lead into: move them to the grade they left
    promoted_out = np.zeros((len(grades), 2))
    for lower, upper in enumerate(up):
        if upper >= 0:
            promoted_out[lower] = totals["promotion"][upper]

    with np.errstate(invalid="ignore", divide="ignore"):
        separation = np.where(start_total > 0, totals["separation"] / start_total, 0.0)
        promotion = np.where(start_total > 0, promoted_out / start_total, 0.0)
        hired = totals["appointment"].sum(axis=1)
        current = stock[:, 0] / np.maximum(stock.sum(axis=1), 1)
        hire_share = np.where(
            hired > 0, totals["appointment"][:, 0] / np.maximum(hired, 1), current
        )
    return Ladder(
        grades,
        up,
        stock,
        np.clip(separation, 0, 1),
        np.clip(promotion, 0, 1),
        hire_share,
        base_year,
    )


def _stay_and_hire(ladder: Ladder, stock: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A year's expected stayers of each grade (after separations and promotions, those
    promoted into it counted) and its appointments: the wanted headcount less the stayers."""
    separated = stock * ladder.separation_rate
    promoted = stock * ladder.promotion_rate
    arriving = np.zeros_like(stock)
    moving = ladder.up >= 0
    np.add.at(arriving, ladder.up[moving], promoted[moving])
    remaining = stock - separated - promoted + arriving
    wanted = stock.sum(axis=1) * (1 + ladder.growth)
    return remaining, np.maximum(wanted - remaining.sum(axis=1), 0.0)


def _step(ladder: Ladder, stock: np.ndarray) -> np.ndarray:
    """One year of the deterministic model (expected values; people can be fractional)."""
    remaining, hires = _stay_and_hire(ladder, stock)
    appointed = np.stack([hires * ladder.hire_share, hires * (1 - ladder.hire_share)], axis=1)
    return remaining + appointed


def appointments_a_year(ladder: Ladder, members: np.ndarray) -> float:
    """How many appointments a year the member grades take at the ladder's rates (its
    turnover and growth): those of the year after the base year, expected values. One grade
    of 100 posts losing 10% a year, nobody promoted, no growth: 10."""
    return float(_stay_and_hire(ladder, ladder.stock)[1][members].sum())


def simulate(ladder: Ladder, until: int) -> np.ndarray:
    """Stocks from the base year to ``until``: an array (years, grades, 2)."""
    path = [ladder.stock]
    for _ in range(ladder.base_year + 1, until + 1):
        path.append(_step(ladder, path[-1]))
    return np.stack(path)


def simulate_runs(
    ladder: Ladder, until: int, runs: int = DEFAULT_RUNS, seed: int = 2028
) -> np.ndarray:
    """Monte Carlo: every flow drawn from a binomial (separations, then promotions among those
    who stay, then women among the appointments). Returns (runs, years, grades, 2) stocks."""
    rng = np.random.default_rng(seed)
    stock = np.broadcast_to(np.rint(ladder.stock), (runs, *ladder.stock.shape)).astype(np.int64)
    stay_promotion = np.where(
        ladder.separation_rate < 1,
        ladder.promotion_rate / np.maximum(1 - ladder.separation_rate, 1e-9),
        0.0,
    )
    stay_promotion = np.clip(stay_promotion, 0, 1)
    moving = np.flatnonzero(ladder.up >= 0)
    path = [stock]
    for _ in range(ladder.base_year + 1, until + 1):
        separated = rng.binomial(stock, ladder.separation_rate)
        promoted = rng.binomial(stock - separated, stay_promotion)
        arriving = np.zeros_like(stock)
        np.add.at(arriving, (slice(None), ladder.up[moving]), promoted[:, moving])  # type: ignore[arg-type]
        remaining = stock - separated - promoted + arriving
        wanted = np.rint(stock.sum(axis=2) * (1 + ladder.growth)).astype(np.int64)
        hires = np.maximum(wanted - remaining.sum(axis=2), 0)
        women = rng.binomial(hires, np.broadcast_to(ladder.hire_share, hires.shape))
        stock = remaining + np.stack([women, hires - women], axis=2)
        path.append(stock)
    return np.stack(path, axis=1)


def recent_hire_share(ladder: Ladder, members: np.ndarray) -> float:
    """Women's share among the member grades' recent appointments (grades weighted by
    headcount)."""
    weights = ladder.stock[members].sum(axis=1)
    shares = ladder.hire_share[members]
    return float(np.average(shares, weights=weights)) if weights.sum() else float(shares.mean())


def group_share(path: np.ndarray, members: np.ndarray) -> np.ndarray:
    """Women's share of the member grades along a path (..., years, grades, 2) -> (..., years)."""
    women = path[..., members, 0].sum(axis=-1)
    total = path[..., members, :].sum(axis=(-1, -2))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, women / np.where(total > 0, total, 1), np.nan)


def first_year_at_parity(shares: np.ndarray, base_year: int) -> int | None:
    """The first year a path of women's shares is at 50% or more (None if never)."""
    hits = np.flatnonzero(shares >= 0.5)
    return base_year + int(hits[0]) if len(hits) else None


def required_hire_share(
    ladder: Ladder, members: np.ndarray, target_year: int, tolerance: float = 1e-4
) -> float | None:
    """The least share of women among the member grades' appointments (other grades keep
    theirs) with which the members' women's share is 50% or more at ``target_year``; None when
    even 100% is not enough. For a group already above 50%, the share that keeps it there."""

    def share_at_target(h: float) -> float:
        hire = np.where(members, h, ladder.hire_share)
        path = simulate(ladder.with_changes(hire_share=hire), target_year)
        return float(group_share(path, members)[-1])

    if share_at_target(1.0) < 0.5:
        return None
    if share_at_target(0.0) >= 0.5:
        return 0.0
    low, high = 0.0, 1.0  # share(low) < 0.5 <= share(high); the share rises with h
    while high - low > tolerance:
        middle = (low + high) / 2
        low, high = (low, middle) if share_at_target(middle) >= 0.5 else (middle, high)
    return high


@dataclass(frozen=True)
class GroupPlan:
    base_year: int
    women_share: float
    hire_share: float
    required_hire_share: float | None
    plan_status: str
    projected_year_at_hire_share: int | None
    projected_year_low: int | None
    projected_year_high: int | None  # None: later than the runs reach (or never)
    path: list[tuple[int, float]]  # deterministic path at hire_share, to the target year
    band: list[tuple[int, float, float, float]]  # year, 10th, 50th, 90th percentile share
    appointments_a_year: float = 0.0  # at the scenario's turnover and growth (expected)


def plan_groups(
    ladder: Ladder,
    groups: Sequence[np.ndarray],
    target_year: int,
    hire_share: float | np.ndarray | None = None,
    runs: int = DEFAULT_RUNS,
    seed: int = 2028,
    turnover: float = 1.0,
    growth: float = 0.0,
    mc_horizon: int = MC_HORIZON,
) -> list[GroupPlan]:
    """The plan for each group of grades (a boolean mask over ``ladder.grades``).

    The scenario (``hire_share`` for every grade or per grade, else each grade's recent share;
    turnover scaling separation and promotion rates; headcount growth a year) is simulated once
    deterministically and once as ``runs`` Monte Carlo runs; each group reads its path, its
    projected year and the 80% band of that year from them. The required share is computed
    under the same turnover and growth."""
    shares = None
    if hire_share is not None:
        shares = np.broadcast_to(np.asarray(hire_share, dtype=float), (len(ladder.grades),))
    ladder = ladder.with_changes(turnover=turnover, growth=growth)
    scenario = ladder.with_changes(hire_share=shares)
    long_path = simulate(scenario, HORIZON_YEAR)
    projected = [first_year_at_parity(group_share(long_path, m), ladder.base_year) for m in groups]
    latest = max([target_year, *(p for p in projected if p is not None)])
    # Runs go a little past the last deterministic crossing, and at most MC_HORIZON years past
    # the target: a band reaching beyond that is reported as open-ended.
    horizon = min(HORIZON_YEAR, latest + 10, target_year + mc_horizon)
    run_path = simulate_runs(scenario, horizon, runs=runs, seed=seed)
    never = np.iinfo(np.int32).max
    plans = []
    for members, year in zip(groups, projected, strict=True):
        shares = group_share(long_path, members)
        weights = scenario.stock[members].sum(axis=1)
        used = scenario.hire_share[members]
        used_share = (
            float(np.average(used, weights=weights)) if weights.sum() else float(used.mean())
        )
        required = required_hire_share(ladder, members, target_year)
        status = (
            "infeasible"
            if required is None
            else "enough"
            if used_share >= required - 1e-9
            else "feasible"
        )
        run_shares = group_share(run_path, members)  # (runs, years)
        reached = run_shares >= 0.5
        first = np.where(reached.any(axis=1), reached.argmax(axis=1), never)
        low_q, high_q = np.quantile(first, BAND, method="nearest")
        quantiles = np.nanquantile(run_shares, (BAND[0], 0.5, BAND[1]), axis=0)
        plans.append(
            GroupPlan(
                base_year=ladder.base_year,
                women_share=float(shares[0]),
                hire_share=used_share,
                required_hire_share=required,
                plan_status=status,
                projected_year_at_hire_share=year,
                projected_year_low=None if low_q == never else ladder.base_year + int(low_q),
                projected_year_high=None if high_q == never else ladder.base_year + int(high_q),
                path=[
                    (ladder.base_year + i, float(shares[i]))
                    for i in range(target_year - ladder.base_year + 1)
                ],
                band=[
                    (
                        ladder.base_year + i,
                        float(quantiles[0, i]),
                        float(quantiles[1, i]),
                        float(quantiles[2, i]),
                    )
                    for i in range(run_shares.shape[1])
                ],
                appointments_a_year=appointments_a_year(ladder, members),
            )
        )
    return plans


def ladder_steps(grades: Sequence[str], reference: Reference) -> dict[str, str]:
    """grade -> the next grade up its track, among ``grades`` (see promotion_targets)."""
    up = promotion_targets(grades, reference)
    return {grades[i]: grades[u] for i, u in enumerate(up) if u >= 0}
