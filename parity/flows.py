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

from parity.ingest.contract import EVENTS
from parity.metrics import gender_counts

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


CONSISTENCY_COLUMNS = (
    "year", "entity", "grade", "gender", "start", "appointments", "promotions_in",
    "promotions_out", "separations", "expected", "recorded", "difference",
)  # fmt: skip


def _long(counts: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """women/men/other columns -> one row per gender (F, M, X)."""
    parts = [
        counts[keys].assign(gender=g, value=counts[c])
        for g, c in (("F", "women"), ("M", "men"), ("X", "other"))
    ]
    return pd.concat(parts, ignore_index=True)


def consistency(
    stocks: pd.DataFrame,
    flows: pd.DataFrame,
    promotion_up: dict[str, str],
    stock_mask: np.ndarray | None = None,
    flow_mask: np.ndarray | None = None,
) -> tuple[pd.DataFrame, int]:
    """Where recorded stocks and flows disagree, and by how much.

    For every entity, grade and gender, and every year t with flows for that entity:
    expected(t) = stock(t-1) + appointments(t) + promotions into the grade(t) - promotions out
    of it(t) - separations(t), where promotions out of a grade are those recorded into the next
    grade up (``promotion_up``: grade -> next grade). Returns the cells whose recorded stock
    differs (difference = recorded - expected, largest first) and the number of cells checked.
    """
    keys = ["year", "entity", "grade"]
    stock = _long(gender_counts(stocks, keys, stock_mask), keys)
    events = gender_counts(flows, [*keys, "event"], flow_mask, weight="count")
    if events.empty or stock.empty:
        return pd.DataFrame(columns=list(CONSISTENCY_COLUMNS)), 0
    index = ["year", "entity", "grade", "gender"]

    def moves(event: str) -> pd.Series:
        """One event's counts per cell (gender_counts gives one row per key: no summing)."""
        rows = events[events["event"] == event]
        return _long(rows, keys).set_index(index)["value"]

    appointments, promotions, separations = (moves(e) for e in EVENTS)
    below = {upper: lower for lower, upper in promotion_up.items()}
    moved = promotions.reset_index()
    moved["grade"] = moved["grade"].map(below)
    promoted_out = moved.dropna(subset=["grade"]).groupby(index, observed=True)["value"].sum()
    recorded = stock.set_index(index)["value"]
    start = stock.assign(year=stock["year"] + 1).set_index(index)["value"]
    checked_years = pd.MultiIndex.from_arrays([events["year"], events["entity"]]).unique()
    cells = recorded.index
    for other in (appointments, promotions, separations, start):
        cells = cells.union(other.index)
    year_entity = pd.MultiIndex.from_arrays(
        [cells.get_level_values("year"), cells.get_level_values("entity")]
    )
    cells = cells[year_entity.isin(checked_years)]
    frame = pd.DataFrame(index=cells)
    frame["start"] = start.reindex(cells, fill_value=0)
    frame["appointments"] = appointments.reindex(cells, fill_value=0)
    frame["promotions_in"] = promotions.reindex(cells, fill_value=0)
    frame["promotions_out"] = promoted_out.reindex(cells, fill_value=0)
    frame["separations"] = separations.reindex(cells, fill_value=0)
    frame["expected"] = (
        frame["start"]
        + frame["appointments"]
        + frame["promotions_in"]
        - frame["promotions_out"]
        - frame["separations"]
    )
    frame["recorded"] = recorded.reindex(cells, fill_value=0)
    frame["difference"] = frame["recorded"] - frame["expected"]
    frame = frame.astype("int64").reset_index()
    disagree = frame[frame["difference"] != 0]
    disagree = disagree.reindex(disagree["difference"].abs().sort_values(ascending=False).index)
    return disagree[list(CONSISTENCY_COLUMNS)].reset_index(drop=True), len(frame)
