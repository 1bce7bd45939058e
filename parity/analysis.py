"""Reports on the analysis frame for a FilterState: what the CLI, the pages and the briefings ask.

Each function takes the frame and a FilterState, and returns a plain DataFrame.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from parity.errors import ParityError
from parity.filters import FilterState
from parity.ingest.contract import DIMENSIONS
from parity.metrics import (
    METRIC_COLUMNS,
    gender_counts,
    latest_year,
    parity_metrics,
    parity_table,
)
from parity.outlook import goal_statuses
from parity.planning import DEFAULT_RUNS, Ladder, estimate_ladder, plan_groups
from parity.projections import (
    DEFAULT_WINDOW,
    HORIZON_YEAR,
    INTERVAL_COLUMNS,
    METHODS,
    project_shares,
    share_by_year,
)
from parity.reference import Reference
from parity.wording import GOAL_YEAR

GROUPABLE = ("year", *DIMENSIONS)


def check_dimensions(by: Sequence[str]) -> list[str]:
    """Validate grouping dimensions (a clear error names the unknown one)."""
    dims = [d.strip().lower() for d in by if d.strip()]
    for dim in dims:
        if dim not in GROUPABLE:
            raise ParityError(f"unknown dimension {dim!r}; choose from {', '.join(GROUPABLE)}")
    if len(set(dims)) != len(dims):
        raise ParityError("a dimension is repeated in --by")
    return dims


def resolve_year(frame: pd.DataFrame, filters: FilterState) -> FilterState:
    """The filters with their year set: the one asked for, else the latest year with data."""
    if filters.year is not None:
        return filters
    year = latest_year(frame, filters.mask(frame, use_year=False))
    return filters.with_year(year)


def report(frame: pd.DataFrame, filters: FilterState, by: Sequence[str]) -> pd.DataFrame:
    """One row per group of ``by`` in the filtered year: dimensions + every parity metric."""
    dims = check_dimensions(by)
    if "year" in dims and filters.year is None:
        mask = filters.mask(frame, use_year=False)  # a trend: every year
    else:
        mask = resolve_year(frame, filters).mask(frame)
    table = parity_table(frame, dims, mask)
    return table[[*dims, *METRIC_COLUMNS]]


def projection_report(
    frame: pd.DataFrame,
    filters: FilterState,
    by: Sequence[str],
    window: int = DEFAULT_WINDOW,
    method: str = "increment",
) -> pd.DataFrame:
    """One row per group of ``by``: the projected year of parity over all years up to the
    filter's year (or the latest)."""
    dims = check_dimensions(by)
    if "year" in dims:
        raise ParityError("projections run over years: 'year' cannot be a --by dimension")
    if method not in METHODS:
        raise ParityError(f"unknown method {method!r}; choose from {', '.join(METHODS)}")
    if window < 1:
        raise ParityError("--window must be at least 1 year")
    series = share_by_year(frame, dims, filters.history_mask(frame))
    table = project_shares(series, dims, window=window, method=method)
    table = _with_goal_status(table, series, dims)
    # no year after the horizon is stated (DOMAIN.md, the outlook): the status says it
    beyond = pd.to_numeric(table["projected_year"], errors="coerce") > HORIZON_YEAR
    if beyond.any():
        table["projection_status"] = table["projection_status"].astype(object)
        table.loc[beyond, "projection_status"] = f"after_{HORIZON_YEAR}"
        for column in ("projected_year", *INTERVAL_COLUMNS):
            if column in table:
                table[column] = table[column].astype("Int64").mask(beyond)
    return table


def _with_goal_status(table: pd.DataFrame, series: pd.DataFrame, dims: list[str]) -> pd.DataFrame:
    """Each group's status now and against the goal (parity.outlook: at parity — maintain, on
    track, off track or no trend), from its latest year and the projection's annual change."""
    latest = parity_metrics(series.assign(other=0))
    status = {
        (*tuple(row[d] for d in dims), int(row["year"])): row["parity_status"]
        for _i, row in latest.iterrows()
    }
    now = [
        status[(*tuple(row[d] for d in dims), int(row["base_year"]))]
        for _i, row in table.iterrows()
    ]
    goal = goal_statuses(table.assign(parity_status=now), GOAL_YEAR)
    return table.assign(parity_status=now, goal_status=goal)


PLAN_FIELDS = (  # the figures of a GroupPlan, reported as they are
    "base_year", "women_share", "hire_share", "required_hire_share", "plan_status",
    "projected_year_at_hire_share", "projected_year_low", "projected_year_high",
)  # fmt: skip
PLAN_COLUMNS = (*PLAN_FIELDS, "target_year", "path")
GRADE_GROUPINGS = ("grade", "category")


def plan_report(
    frame: pd.DataFrame,
    flows: pd.DataFrame,
    reference: Reference,
    filters: FilterState,
    by: Sequence[str],
    *,
    target_year: int = GOAL_YEAR,
    hire_share: float | None = None,
    window: int = 5,
    runs: int = DEFAULT_RUNS,
    seed: int = 2028,
    turnover: float = 1.0,
    growth: float = 0.0,
) -> pd.DataFrame:
    """One row per group: the share of women among appointments needed for 50% by the target
    year, the projected year at the given (or recent) share with its 80% Monte Carlo band, and
    the yearly path. ``grade`` or ``category`` in ``by`` split the ladder into groups of grades;
    other dimensions run a separate model for each of their values."""
    dims = check_dimensions(by)
    _check_plan(dims, flows, hire_share, window)
    grade_dim = next((d for d in dims if d in GRADE_GROUPINGS), None)
    model_dims = [d for d in dims if d not in GRADE_GROUPINGS]
    stock_mask = filters.history_mask(frame)
    flow_mask = filters.history_mask(flows)
    latest = latest_year(frame, stock_mask)
    if latest is not None and target_year <= latest:
        raise ParityError(f"--target-year must be after the latest snapshot ({latest})")

    rows: list[dict[str, object]] = []
    for values in _populations(frame, model_dims, stock_mask):
        s_mask, f_mask = stock_mask.copy(), flow_mask.copy()
        for dim, value in zip(model_dims, values, strict=True):
            s_mask &= _equals(frame, dim, value)
            f_mask &= _equals(flows, dim, value)
        ladder = estimate_ladder(
            frame, flows, reference, stock_mask=s_mask, flow_mask=f_mask, window=window
        )
        if ladder is None or ladder.base_year >= target_year:
            continue
        labels, groups = _grade_groups(ladder, grade_dim, reference)
        plans = plan_groups(
            ladder,
            groups,
            target_year,
            hire_share=hire_share,
            runs=runs,
            seed=seed,
            turnover=turnover,
            growth=growth,
        )
        for label, plan in zip(labels, plans, strict=True):
            row: dict[str, object] = dict(zip(model_dims, values, strict=True))
            if grade_dim is not None:
                row[grade_dim] = label
            row.update({name: getattr(plan, name) for name in PLAN_FIELDS})
            row["target_year"] = target_year
            row["path"] = [{"year": y, "women_share": round(v, 6)} for y, v in plan.path]
            rows.append(row)
    return _plan_table(rows, dims)


def _check_plan(
    dims: Sequence[str], flows: pd.DataFrame, hire_share: float | None, window: int
) -> None:
    """Refuse a plan that cannot run: by year, by both grade and category, without flows, with
    a hire share outside [0, 1] or a window under a year."""
    if "year" in dims:
        raise ParityError("a plan runs over years: 'year' cannot be a --by dimension")
    if len([d for d in dims if d in GRADE_GROUPINGS]) > 1:
        raise ParityError("plan by grade or by category, not both")
    if flows.empty:
        raise ParityError(
            "no flow data in the store: import a file of appointments, "
            "promotions and separations (a file with an 'event' column)"
        )
    if hire_share is not None and not 0 <= hire_share <= 1:
        raise ParityError("--hire-share must be between 0 and 1 (or 0% and 100%)")
    if window < 1:
        raise ParityError("--window must be at least 1 year")


def _populations(
    frame: pd.DataFrame, model_dims: list[str], stock_mask: np.ndarray
) -> list[tuple[object, ...]]:
    """The values of ``model_dims`` each modelled separately (one empty tuple without any)."""
    if not model_dims:
        return [()]
    counts = gender_counts(frame, model_dims, stock_mask)
    return list(counts[model_dims].itertuples(index=False, name=None))


def _grade_groups(
    ladder: Ladder, grade_dim: str | None, reference: Reference
) -> tuple[list[object], list[np.ndarray]]:
    """The labels and grade masks of the groups a ladder is planned for: the whole ladder,
    each grade, or each grade category (in ladder order)."""
    if grade_dim is None:
        return [None], [np.ones(len(ladder.grades), dtype=bool)]
    if grade_dim == "grade":
        labels: list[object] = list(ladder.grades)
        return labels, [np.array([g == name for g in ladder.grades]) for name in ladder.grades]
    category = reference.grade_category
    labels = [c for c in dict.fromkeys(category.get(g) for g in ladder.grades)]
    return labels, [np.array([category.get(g) == c for g in ladder.grades]) for c in labels]


def _plan_table(rows: list[dict[str, object]], dims: Sequence[str]) -> pd.DataFrame:
    """The plan's rows as a table: the groups' dimensions, then PLAN_COLUMNS, years as Int64."""
    out = pd.DataFrame(rows, columns=[*dims, *PLAN_COLUMNS])
    for column in (
        "base_year",
        "projected_year_at_hire_share",
        "projected_year_low",
        "projected_year_high",
        "target_year",
    ):
        out[column] = out[column].astype("Int64")
    return out


def _equals(frame: pd.DataFrame, dimension: str, value: object) -> np.ndarray:
    column = frame[dimension]
    if value is None:
        return column.isna().to_numpy()
    return (column == value).to_numpy()
