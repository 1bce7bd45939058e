"""The Data page: the figures behind the current view, by any dimensions, as one protected
table; the CSV and XLSX downloads are that same table."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from parity.analysis import check_dimensions
from parity.filters import FilterState
from parity.i18n import _
from parity.privacy import HIDDEN, PrivacyRule
from parity.reference import Reference
from parity.views.base import Selection, Table, protected_table
from parity.views.columns import DATA_COLUMNS, DIMENSION_COLUMNS, LABELS, NOTE


@dataclass(frozen=True)
class DataView:
    table: Table


def data_table(
    frame: pd.DataFrame,
    filters: FilterState,
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
    columns = (*(DIMENSION_COLUMNS[d] for d in dims), *DATA_COLUMNS, NOTE)
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
