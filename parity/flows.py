"""Flow metrics: who is appointed, promoted and separated, and at what rates.

Events recorded for year t happen between the snapshots of years t-1 and t. Definitions:

- share of women among appointments (promotions, separations) = women's events / (women's +
  men's events), a fraction; people of another or unknown gender are left out, as in the share.
- rate of an event for a gender = events in year t / headcount of that gender at the snapshot of
  t-1 (a fraction a year); undefined when the headcount was zero.
- promotion_rate_ratio = women's promotion rate / men's (1 = equal chances; below 1, women are
  promoted less often).
- attrition_gap_pp = (women's separation rate - men's) * 100, in percentage points.
- Promotions are recorded at the grade they lead into; a promotion rate is reported at that grade
  (promotions into the grade / headcount of the grade below a year earlier) by ``ladder``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from parity.metrics import gender_counts
from parity.schema import EVENTS

FLOW_COLUMNS = (
    "appointment_women", "appointment_men", "promotion_women", "promotion_men",
    "separation_women", "separation_men", "women_start", "men_start",
    "appointment_share", "promotion_share", "separation_share",
    "appointment_rate_women", "appointment_rate_men", "promotion_rate_women",
    "promotion_rate_men", "separation_rate_women", "separation_rate_men",
    "promotion_rate_ratio", "attrition_gap_pp",
)  # fmt: skip


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    values = numerator.to_numpy(dtype=float)
    below = denominator.to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(below > 0, values / np.where(below > 0, below, 1), np.nan)
    return pd.Series(out, index=numerator.index)


def flow_rates(
    stocks: pd.DataFrame,
    flows: pd.DataFrame,
    by: Sequence[str] = (),
    stock_mask: np.ndarray | None = None,
    flow_mask: np.ndarray | None = None,
) -> pd.DataFrame:
    """One row per group of ``by`` and year with flows: event counts by gender, the headcount at
    the start of the year (previous snapshot), women's shares among events, rates by gender, the
    promotion-rate ratio and the attrition gap (see the module docstring)."""
    dims = [d for d in by if d != "year"]
    events = gender_counts(flows, [*dims, "year", "event"], flow_mask, weight="count")
    if events.empty:
        return pd.DataFrame(columns=[*dims, "year", *FLOW_COLUMNS])
    wide = events.pivot_table(
        index=[*dims, "year"],
        columns="event",
        values=["women", "men"],
        aggfunc="sum",
        fill_value=0,
        observed=True,
    )
    table = pd.DataFrame(index=wide.index)
    for event in EVENTS:
        for gender in ("women", "men"):
            column = (gender, event)
            table[f"{event}_{gender}"] = wide[column] if column in wide.columns else 0
    start = gender_counts(stocks, [*dims, "year"], stock_mask)
    start["year"] = start["year"] + 1  # the snapshot of t-1 is the start of year t
    start = start.set_index([*dims, "year"])
    table = table.join(
        start[["women", "men"]].rename(columns={"women": "women_start", "men": "men_start"})
    )
    table[["women_start", "men_start"]] = table[["women_start", "men_start"]].fillna(0)
    for event in EVENTS:
        women, men = table[f"{event}_women"], table[f"{event}_men"]
        table[f"{event}_share"] = _ratio(women, women + men)
        table[f"{event}_rate_women"] = _ratio(women, table["women_start"])
        table[f"{event}_rate_men"] = _ratio(men, table["men_start"])
    table["promotion_rate_ratio"] = _ratio(
        table["promotion_rate_women"], table["promotion_rate_men"]
    )
    table["attrition_gap_pp"] = 100 * (
        table["separation_rate_women"] - table["separation_rate_men"]
    )
    table = table.reset_index()
    for name in table.columns:
        if str(name).endswith(("_women", "_men", "_start")) and "rate" not in str(name):
            table[name] = table[name].astype("int64")
    return table[[*dims, "year", *FLOW_COLUMNS]]
