"""Projected year of parity: when a straight-line trend in women's share reaches 50%.

Methods (DOMAIN.md; the UN status-of-women reports use ``increment``):

- ``increment``: annual_change_pp = (share_end - share_start) * 100 / (end - start), where end is
  the group's latest year (``base_year``) and start the earliest year with data in the window
  [end - window, end]. The line is extended from the latest share.
- ``ols``: least-squares line through every year in the same window, with an 80% prediction
  interval on the year (inverse prediction: the years whose 80% prediction interval for the share
  contains 50%).

Statuses: ``reached`` (latest share >= 50%), ``projected`` (projected_year = the first whole year in
which the line reaches 50%), ``not_at_current_trend`` (share below 50% and flat or falling), and
``insufficient_data`` (a single year in the window: no trend can be drawn).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from parity.metrics import gender_counts

METHODS = ("increment", "ols")
DEFAULT_WINDOW = 10
HORIZON_YEAR = 2100
"""No projected year after it is stated (DOMAIN.md, "The outlook"): a straight line that far says
nothing, and a later crossing reads "after 2100"."""
INTERVAL_LEVEL = 0.80
PROJECTION_STATUSES = ("reached", "projected", "not_at_current_trend", "insufficient_data")
PROJECTION_COLUMNS = (
    "base_year",
    "women_share",
    "annual_change_pp",
    "projection_status",
    "projected_year",
)
INTERVAL_COLUMNS = ("projected_year_low", "projected_year_high")
_EPS = 1e-9


@dataclass(frozen=True)
class Projection:
    base_year: int
    women_share: float  # fraction, at base_year
    annual_change_pp: float | None
    projection_status: str
    projected_year: int | None
    projected_year_low: int | None = None
    projected_year_high: int | None = None
    start_year: int | None = None
    intercept_pp: float | None = None  # ols line: share_pp = intercept + slope * (year - base)


def _first_year_reaching_50(base_year: int, crossing: float) -> int:
    """First whole year at or after ``crossing`` (a fractional year), and after base_year."""
    return max(base_year + 1, math.ceil(crossing - _EPS))


def _ols_interval(
    x: np.ndarray, y: np.ndarray, slope: float, base_year: int
) -> tuple[int | None, int | None]:
    n = len(x)
    if n < 3:
        return None, None
    from scipy.stats import t as student_t

    xbar, ybar = x.mean(), y.mean()
    sxx = float(((x - xbar) ** 2).sum())
    residuals = y - (ybar + slope * (x - xbar))
    s2 = float((residuals**2).sum()) / (n - 2)
    tq = float(student_t.ppf(0.5 + INTERVAL_LEVEL / 2, n - 2))
    k0, k1 = tq**2 * s2 * (1 + 1 / n), tq**2 * s2 / sxx
    c0 = 50.0 - ybar
    # (c0 - slope d)^2 <= k0 + k1 d^2, with d = year - xbar
    a, b, c = slope**2 - k1, -2 * slope * c0, c0**2 - k0
    if a <= 1e-9 * slope**2:  # a is 0 up to rounding: the upper bound would be a float artefact
        return None, None  # the trend is too uncertain to bound the year
    root = math.sqrt(max(b * b - 4 * a * c, 0.0))
    low, high = (-b - root) / (2 * a) + xbar, (-b + root) / (2 * a) + xbar
    return _first_year_reaching_50(base_year, low), _first_year_reaching_50(base_year, high)


def project_series(
    years: Sequence[int] | np.ndarray,
    shares: Sequence[float] | np.ndarray,
    window: int = DEFAULT_WINDOW,
    method: str = "increment",
) -> Projection:
    """Project one group's series of women's shares (fractions, one per year; NaN = no data)."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}")
    if window < 1:
        raise ValueError("window must be at least 1 year")
    year_arr = np.asarray(years, dtype=np.int64)
    share_arr = np.asarray(shares, dtype=np.float64)
    known = ~np.isnan(share_arr)
    year_arr, share_arr = year_arr[known], share_arr[known]
    order = np.argsort(year_arr)
    year_arr, share_arr = year_arr[order], share_arr[order]
    base_year = int(year_arr[-1])
    latest = float(share_arr[-1])
    in_window = year_arr >= base_year - window
    x, y = year_arr[in_window].astype(np.float64), share_arr[in_window] * 100
    start = int(x[0])

    if len(x) < 2:
        status = "reached" if latest >= 0.5 else "insufficient_data"
        return Projection(base_year, latest, None, status, None, start_year=start)

    if method == "increment":
        change = (y[-1] - y[0]) / (x[-1] - x[0])
        intercept = y[-1]
        crossing = base_year + (50 - y[-1]) / change if change > 0 else math.inf
    else:
        xbar = x.mean()
        change = float(((x - xbar) * (y - y.mean())).sum() / ((x - xbar) ** 2).sum())
        intercept = float(y.mean() + change * (base_year - xbar))
        crossing = base_year + (50 - intercept) / change if change > 0 else math.inf

    if latest >= 0.5:
        return Projection(
            base_year, latest, change, "reached", None, start_year=start, intercept_pp=intercept
        )
    if change <= 0:
        return Projection(
            base_year,
            latest,
            change,
            "not_at_current_trend",
            None,
            start_year=start,
            intercept_pp=intercept,
        )
    projected = _first_year_reaching_50(base_year, crossing)
    low = high = None
    if method == "ols":
        low, high = _ols_interval(x, y, change, base_year)
    return Projection(
        base_year,
        latest,
        change,
        "projected",
        projected,
        low,
        high,
        start_year=start,
        intercept_pp=intercept,
    )


def annual_increments(
    series: pd.DataFrame, by: Sequence[str], window: int = DEFAULT_WINDOW
) -> pd.DataFrame:
    """The ``increment`` method's annual change of every group at once, indexed by ``by``:
    base_year (the group's latest year) and annual_change_pp (NaN with one year in the window),
    the same figures as ``project_series`` gives group by group, for a view of many groups."""
    points = series[[*by, "year", "women_share"]]
    base = points.groupby(list(by), observed=True)["year"].transform("max")
    recent = points[points["year"] >= base - window].sort_values("year", kind="stable")
    ends = recent.groupby(list(by), observed=True, sort=False).agg(
        first_year=("year", "first"),
        first=("women_share", "first"),
        base_year=("year", "last"),
        last=("women_share", "last"),
    )
    span = (ends["base_year"] - ends["first_year"]).astype(float)
    ends["annual_change_pp"] = (100 * (ends["last"] - ends["first"]) / span).where(span > 0)
    return ends[["base_year", "annual_change_pp"]]


def share_by_year(
    frame: pd.DataFrame, by: Sequence[str] = (), mask: np.ndarray | None = None
) -> pd.DataFrame:
    """Women, men and women_share per group and year (years with no women or men left out)."""
    counts = gender_counts(frame, (*by, "year"), mask)
    binary = counts["women"] + counts["men"]
    counts = counts[binary > 0].copy()
    counts["women_share"] = counts["women"] / (counts["women"] + counts["men"])
    return counts.reset_index(drop=True)


def project(
    frame: pd.DataFrame,
    by: Sequence[str] = (),
    mask: np.ndarray | None = None,
    window: int = DEFAULT_WINDOW,
    method: str = "increment",
) -> pd.DataFrame:
    """One row per group: the ``by`` columns + base_year, women_share, annual_change_pp,
    projection_status, projected_year (and, for ``ols``, projected_year_low/high: the 80% band)."""
    return project_shares(share_by_year(frame, by, mask), by, window=window, method=method)


def project_shares(
    series: pd.DataFrame,
    by: Sequence[str] = (),
    window: int = DEFAULT_WINDOW,
    method: str = "increment",
) -> pd.DataFrame:
    """``project`` on a share-by-year table (``by`` columns, year, women_share): the points a
    view may show, so that no projection rests on a withheld point."""
    rows = []
    groups = series.groupby(list(by), sort=False, dropna=False) if by else [((), series)]
    for key, group in groups:
        if group.empty:
            continue
        labels = key if isinstance(key, tuple) else (key,)
        p = project_series(
            group["year"].to_numpy(), group["women_share"].to_numpy(dtype=float), window, method
        )
        row: dict[str, object] = dict(zip(by, labels, strict=True))
        row.update({c: getattr(p, c) for c in PROJECTION_COLUMNS})
        if method == "ols":
            row.update({c: getattr(p, c) for c in INTERVAL_COLUMNS})
        rows.append(row)
    columns = [*by, *PROJECTION_COLUMNS, *(INTERVAL_COLUMNS if method == "ols" else ())]
    out = pd.DataFrame(rows, columns=columns)
    for column in ("base_year", "projected_year", *INTERVAL_COLUMNS):
        if column in out:
            out[column] = out[column].astype("Int64")
    return out
