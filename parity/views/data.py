"""The Data page: the figures behind the current view, by any dimensions, as one protected
table; the CSV and XLSX downloads are that same table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from parity.analysis import check_dimensions
from parity.privacy import HIDDEN, PrivacyRule
from parity.reference import Reference
from parity.views.base import Column, Selection, Table, protected_table

LABELS = {
    "year": "Year", "entity": "Entity", "grade": "Grade", "category": "Category",
    "duty_station": "Duty station", "country": "Country", "region": "Region",
    "location": "HQ / field", "age_band": "Age band", "contract_type": "Contract type",
    "personnel_type": "Personnel type",
}  # fmt: skip
DATA_COLUMNS = (
    Column("women", "Women", "count", "Number of women"),
    Column("men", "Men", "count", "Number of men"),
    Column("other", "Other or not recorded", "count", "People with another or unknown gender"),
    Column("total", "Total", "count", "Everyone: women + men + other"),
    Column("women_share", "Women's share", "share", "Women / (women + men)"),
    Column("gap_pp", "Gap (pp)", "pp", "50 − 100 × women's share, percentage points"),
    Column(
        "parity_status", "Status", "status",
        "At parity (47–53% women, or the closest split), women or men under-represented",
    ),
    Column(
        "women_needed", "Women needed (to zone)", "count",
        "Positions moving from men to women, same headcount, to reach 47% women",
    ),
    Column(
        "men_needed", "Men needed (to zone)", "count",
        "Positions moving from women to men, same headcount, to reach 47% men",
    ),
    Column("women_to_50_50", "Women to 50/50", "count", "The same, to the closest split to 50/50"),
    Column("men_to_50_50", "Men to 50/50", "count", "The same, to the closest split to 50/50"),
)  # fmt: skip
NOTE = Column("note", "Note", "text", "Why a row's figures are not shown")


@dataclass(frozen=True)
class DataView:
    table: Table


def data_table(
    frame: pd.DataFrame,
    filters: Any,
    by: list[str],
    rule: PrivacyRule,
    reference: Reference,
    *,
    selection: Selection | None = None,
) -> DataView:
    """One row per group of ``by`` (every year up to the selection's when ``year`` is among
    them and no year is chosen; else the selection's year), protected."""
    dims = check_dimensions(by)
    sel = selection or Selection.of(frame, filters)
    trend = "year" in dims and filters.year is None
    mask = sel.any_year if trend else sel.in_year
    table = protected_table(sel.frame, dims, mask, rule, reference)
    table["note"] = [rule.reason(h) for h in table[HIDDEN]]
    grouping = ", ".join(LABELS[d].lower() for d in dims) or "total"
    described = sel.filters.describe(with_year=not trend)
    columns = (*(Column(d, LABELS[d]) for d in dims), *DATA_COLUMNS, NOTE)
    return DataView(
        Table(
            f"Women's representation by {grouping} — {described}",
            columns,
            table.reset_index(drop=True),
            rule.note(table, "row"),
            id="data-grid",
        )
    )
