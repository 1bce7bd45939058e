"""Targets for women's share, as in UN entities' gender parity implementation plans.

An uploaded target is (entity, grade, year, target_share, margin): the entity means to have
``target_share`` women at that grade in that year, give or take ``margin``. Between two target
years the path is a straight line; before the first, a straight line from the group's share in
2017 (the year of the System-wide Strategy on Gender Parity); after the last, the last target.

Without uploaded targets, the default path is the Strategy's: a straight line from the group's
2017 share to 50% in 2028, with a margin of 3 percentage points (the parity zone).

Progress compares the latest recorded share with the path in that year: ``on_target`` within
the margin, ``behind`` below it, ``ahead`` above it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

STRATEGY_START, STRATEGY_END = 2017, 2028
DEFAULT_MARGIN = 0.03


def target_path(
    points: pd.DataFrame, start_share: float | None, years: range, start_year: int = STRATEGY_START
) -> pd.DataFrame:
    """The yearly target (``year``, ``target_share``, ``margin``) through the target points
    (``year``, ``target_share``, ``margin``), starting from ``start_share`` in ``start_year``;
    the default Strategy path when ``points`` is empty."""
    if points.empty:
        points = pd.DataFrame(
            {"year": [STRATEGY_END], "target_share": [0.5], "margin": [DEFAULT_MARGIN]}
        )
    points = points.sort_values("year")
    xs = [float(y) for y in points["year"]]
    ys = [float(v) for v in points["target_share"]]
    margins = [float(m) for m in points["margin"]]
    if start_share is not None and not np.isnan(start_share) and start_year < xs[0]:
        xs, ys, margins = [start_year, *xs], [start_share, *ys], [margins[0], *margins]
    year_values = np.array(list(years), dtype=float)
    shares = np.interp(year_values, xs, ys, left=np.nan, right=ys[-1])
    margin = np.interp(year_values, xs, margins, left=np.nan, right=margins[-1])
    out = pd.DataFrame({"year": year_values.astype(int), "target_share": shares, "margin": margin})
    return out.dropna().reset_index(drop=True)


def progress(share: float | None, target: pd.DataFrame, year: int) -> str | None:
    """``on_target``, ``behind`` or ``ahead`` of the path in ``year``; None without a path."""
    row = target[target["year"] == year]
    if share is None or row.empty:
        return None
    goal, margin = float(row["target_share"].iloc[0]), float(row["margin"].iloc[0])
    if share < goal - margin - 1e-12:
        return "behind"
    if share > goal + margin + 1e-12:
        return "ahead"
    return "on_target"
