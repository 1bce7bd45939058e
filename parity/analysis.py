"""Reports on the analysis frame for a FilterState: what the CLI, the pages and the briefings ask.

Each function takes the frame and a FilterState, and returns a plain DataFrame.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from parity.errors import ParityError
from parity.filters import FilterState
from parity.metrics import METRIC_COLUMNS, latest_year, parity_table
from parity.projections import DEFAULT_WINDOW, METHODS, project
from parity.schema import DIMENSIONS

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
    return filters.with_(year=year)


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
    mask = filters.mask(frame, use_year=False)
    if filters.year is not None:
        mask &= frame["year"].to_numpy() <= filters.year
    return project(frame, dims, mask, window=window, method=method)
