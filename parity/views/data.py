"""The Data page: the figures behind the current view, by any dimensions, as one protected
table; the CSV and XLSX downloads are that same table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from parity.analysis import check_dimensions
from parity.i18n import N_, _
from parity.privacy import HIDDEN, PrivacyRule
from parity.reference import Reference
from parity.views.base import Column, Selection, Table, protected_table

LABELS = {
    "year": N_("Year"), "entity": N_("Entity"), "grade": N_("Grade"),
    "category": N_("Category"), "duty_station": N_("Duty station"), "country": N_("Country"),
    "region": N_("Region"), "location": N_("HQ / field"), "age_band": N_("Age band"),
    "contract_type": N_("Contract type"), "personnel_type": N_("Personnel type"),
}  # fmt: skip
"""A dimension's name in a reader's words (in English: show it through ``_``)."""
DATA_COLUMNS = (
    Column("women", N_("Women"), "count", N_("Number of women")),
    Column("men", N_("Men"), "count", N_("Number of men")),
    Column(
        "other", N_("Other or not recorded"), "count",
        N_("People with another or unknown gender"),
    ),
    Column("total", N_("Total"), "count", N_("Everyone: women + men + other")),
    Column("women_share", N_("Women's share"), "share", N_("Women / (women + men)")),
    Column(
        "gap_pp", N_("Gap (pp)"), "pp", N_("50 − 100 × women's share, percentage points"),
    ),
    Column(
        "parity_status", N_("Status"), "status",
        N_("At parity (47–53% women, or the closest split), women or men under-represented"),
    ),
    Column(
        "women_needed", N_("Women needed (to zone)"), "count",
        N_("Positions moving from men to women, same headcount, to reach 47% women"),
    ),
    Column(
        "men_needed", N_("Men needed (to zone)"), "count",
        N_("Positions moving from women to men, same headcount, to reach 47% men"),
    ),
    Column(
        "women_to_50_50", N_("Women to 50/50"), "count",
        N_("The same, to the closest split to 50/50"),
    ),
    Column(
        "men_to_50_50", N_("Men to 50/50"), "count", N_("The same, to the closest split to 50/50"),
    ),
)  # fmt: skip
NOTE = Column("note", N_("Note"), "text", N_("Why a row's figures are not shown"))


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
    table = protected_table(sel, dims, mask, rule, reference)
    table["note"] = [rule.reason(h) for h in table[HIDDEN]]
    grouping = ", ".join(_(LABELS[d]).lower() for d in dims) or _("total")
    described = sel.filters.describe(with_year=not trend)
    columns = (*(Column(d, _(LABELS[d])) for d in dims), *DATA_COLUMNS, NOTE)
    return DataView(
        Table(
            _("Women's representation by {grouping} — {scope}").format(
                grouping=grouping, scope=described
            ),
            columns,
            table.reset_index(drop=True),
            rule.note(table, "row"),
            id="data-grid",
        )
    )
