"""Parity metrics: pure functions on the analysis frame (no Dash, no database).

Definitions (DOMAIN.md; the Definitions page of the dashboard quotes these docstrings):

- women_share = women / (women + men), a fraction. People of another or unknown gender (X) count in
  ``total`` but not in the share. Undefined (NaN) when a group has no women and no men.
- gap_pp = 50 - 100 * women_share, in percentage points; positive: women under-represented.
- parity_status: ``parity`` when women_share is within 50 +/- 3 pp (47%-53%, inclusive) or the split
  is the closest to 50/50 the group allows (women and men differ by at most one person);
  otherwise ``women_under`` or ``men_under``; missing for a group with no women or men.
- women_needed / men_needed: the least number of positions that must pass from men to women (or
  back), at constant headcount, for the group to be at parity (the Gender Parity Index of the UN
  system-wide dashboard). 0 for a group at parity or over-represented by women (men).
- women_to_50_50 / men_to_50_50: the same count to the closest whole split to 50/50 (women and
  men differ by at most one person), which is what a "50/50" projection aims at. A group inside
  the parity zone may still be some positions away from 50/50.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

PARITY_LOW_PCT, PARITY_HIGH_PCT = 47, 53
STATUSES = ("parity", "women_under", "men_under")
COUNT_COLUMNS = ("women", "men", "other", "total")
DERIVED_COLUMNS = (  # computed from the counts (the definitions above)
    "women_share",
    "gap_pp",
    "parity_status",
    "women_needed",
    "men_needed",
    "women_to_50_50",
    "men_to_50_50",
)
METRIC_COLUMNS = (*COUNT_COLUMNS, *DERIVED_COLUMNS)


def _codes(
    frame: pd.DataFrame, column: str, keep: np.ndarray | None
) -> tuple[np.ndarray, list[object]]:
    """Codes (0..n-1, n for missing; the column's own small integer type) and labels of one
    grouping column, over the rows in ``keep`` (all rows when None)."""
    series = frame[column]
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy()
        labels: list[object] = list(series.cat.categories)
    else:  # year and other integer columns
        codes = series.to_numpy()
        low = int(codes.min()) if len(codes) else 0
        high = int(codes.max()) if len(codes) else -1
        codes = codes - low
        labels = list(range(low, high + 1))
    if keep is not None:
        codes = codes[keep]
    missing = codes < 0
    if missing.any():
        codes = np.where(missing, len(labels), codes)
        labels = [*labels, None]
    return codes, labels


def gender_counts(
    frame: pd.DataFrame,
    by: Sequence[str] = (),
    mask: np.ndarray | None = None,
    *,
    weight: str = "headcount",
) -> pd.DataFrame:
    """Women, men and other per group of ``by``, over the rows in ``mask``.

    Aggregates with ``numpy.bincount`` over the categorical codes (a few ms on 1M rows). Groups
    with nobody in them are left out. Rows missing a grouping value form their own group (None).
    Output: the ``by`` columns (in category order) + women, men, other (int64).
    """
    keep = None if mask is None or mask.all() else mask  # no copies when every row counts
    gender = frame["gender"].cat.codes.to_numpy()
    weights = frame[weight].to_numpy()
    if keep is not None:
        gender, weights = gender[keep], weights[keep]
    # one flat cell index per row, built in place: cell = (((c1 * n2) + c2) * n3 + ...) * 3 + g
    flat = np.zeros(len(gender), dtype=np.int64)
    shape: list[int] = []
    labels: list[list[object]] = []
    for column in by:
        codes, column_labels = _codes(frame, column, keep)
        flat *= len(column_labels)
        flat += codes
        shape.append(len(column_labels))
        labels.append(column_labels)
    cells = math.prod(shape)
    occupied = None
    if cells > len(flat) + 1:
        # More possible groups than rows (several dimensions): number only the groups that
        # occur, or the table of every possible group can take gigabytes. np.unique sorts, so
        # the groups keep their category order.
        occupied, flat = np.unique(flat, return_inverse=True)
        cells = len(occupied)
    flat *= 3
    flat += gender
    sums = np.bincount(flat, weights=weights, minlength=cells * 3)
    table = np.rint(sums).astype(np.int64).reshape(cells, 3)
    present = np.flatnonzero(table.sum(axis=1) > 0)
    groups = present if occupied is None else occupied[present]
    out: dict[str, object] = {}
    for column, index, column_labels in zip(
        by, np.unravel_index(groups, shape) if shape else (), labels, strict=False
    ):
        out[column] = np.array(column_labels, dtype=object)[index]
    result = pd.DataFrame(out)
    for column in by:
        if column == "year":
            result[column] = result[column].astype("int64")
    result["women"] = table[present, 0]
    result["men"] = table[present, 1]
    result["other"] = table[present, 2]
    return result


def _ceil_div(numerator: np.ndarray, denominator: int) -> np.ndarray:
    return -(-numerator // denominator)


def parity_metrics(counts: pd.DataFrame) -> pd.DataFrame:
    """Add total, women_share, gap_pp, parity_status, women_needed, men_needed to a frame with
    ``women``, ``men`` and ``other`` columns. Integer arithmetic decides the status, so a share of
    exactly 47% or 53% is parity. See the module docstring for the definitions."""
    women = counts["women"].to_numpy(dtype=np.int64)
    men = counts["men"].to_numpy(dtype=np.int64)
    binary = women + men
    out = counts.copy()
    out["total"] = binary + counts["other"].to_numpy(dtype=np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(binary > 0, women / np.where(binary > 0, binary, 1), np.nan)
    out["women_share"] = share
    out["gap_pp"] = 50 - 100 * share

    in_band = (100 * women >= PARITY_LOW_PCT * binary) & (100 * women <= PARITY_HIGH_PCT * binary)
    closest = np.abs(women - men) <= 1
    at_parity = (in_band | closest) & (binary > 0)
    women_under = ~at_parity & (100 * women < PARITY_LOW_PCT * binary)
    men_under = ~at_parity & (binary > 0) & ~women_under
    status = np.full(len(out), None, dtype=object)
    status[at_parity] = "parity"
    status[women_under] = "women_under"
    status[men_under] = "men_under"
    out["parity_status"] = status

    # Moving k positions from men to women reaches the band when 100 (w + k) >= 47 n, and the
    # closest split when m - w - 2k <= 1; the least k is the smaller of the two.
    women_needed = np.minimum(
        _ceil_div(PARITY_LOW_PCT * binary - 100 * women, 100), _ceil_div(men - women - 1, 2)
    )
    men_needed = np.minimum(
        _ceil_div(PARITY_LOW_PCT * binary - 100 * men, 100), _ceil_div(women - men - 1, 2)
    )
    defined = binary > 0
    out["women_needed"] = pd.Series(
        np.where(women_under, women_needed, 0), index=out.index, dtype="Int64"
    ).where(defined, pd.NA)
    out["men_needed"] = pd.Series(
        np.where(men_under, men_needed, 0), index=out.index, dtype="Int64"
    ).where(defined, pd.NA)
    # to 50/50: moving k positions leaves |m - w - 2k| <= 1
    out["women_to_50_50"] = pd.Series(
        np.maximum(_ceil_div(men - women - 1, 2), 0), index=out.index, dtype="Int64"
    ).where(defined, pd.NA)
    out["men_to_50_50"] = pd.Series(
        np.maximum(_ceil_div(women - men - 1, 2), 0), index=out.index, dtype="Int64"
    ).where(defined, pd.NA)
    return out


def women_to_add(women: int, men: int) -> int:
    """The second reading of "women needed": women to add, men unchanged, to reach parity.

    Least a >= 0 with 100 (w + a) >= 47 (w + a + m), i.e. 53 (w + a) >= 47 m, or w + a >= m - 1.
    """
    if women + men == 0:
        return 0
    band = -(-(PARITY_LOW_PCT * men - (100 - PARITY_LOW_PCT) * women) // (100 - PARITY_LOW_PCT))
    return max(0, min(band, men - 1 - women))


def parity_table(
    frame: pd.DataFrame, by: Sequence[str] = (), mask: np.ndarray | None = None
) -> pd.DataFrame:
    """Gender counts and every parity metric per group of ``by``."""
    return parity_metrics(gender_counts(frame, by, mask))


def latest_year(frame: pd.DataFrame, mask: np.ndarray | None = None) -> int | None:
    """The most recent year with anyone in the selection (None if empty)."""
    years = frame["year"].to_numpy()
    weights = frame["headcount"].to_numpy()
    keep = (weights > 0) if mask is None else (mask & (weights > 0))
    return int(years[keep].max()) if keep.any() else None
