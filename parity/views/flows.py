"""The Flows page and a briefing's flows section: women's share among appointments, promotions
and separations, the rates at which women and men are promoted and leave, and whether recorded
stocks and flows agree.

Each event of a year (appointments in 2024, say) is a group of people: in public each is read
from the protected publication (parity.privacy.publication), withheld with its share and its
rates where the publication withholds it; a rate is also withheld where the headcount it divides
by is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from parity.filters import FilterState
from parity.flows import consistency, flow_rates
from parity.i18n import N_, _, ngettext
from parity.ingest.contract import EVENTS
from parity.planning import ladder_steps
from parity.privacy import HIDDEN, PrivacyRule
from parity.reference import Reference
from parity.views.base import Chart, Selection, Table, protected_table
from parity.views.columns import CONSISTENCY_COLUMNS, FLOW_COLUMNS
from parity.wording import count, listing, percent

RATE_COLUMNS = {
    "appointment": ("appointment_rate_women", "appointment_rate_men"),
    "promotion": ("promotion_rate_women", "promotion_rate_men", "promotion_rate_ratio"),
    "separation": ("separation_rate_women", "separation_rate_men", "attrition_gap_pp"),
}


@dataclass(frozen=True)
class FlowsView:
    has_flows: bool
    shares: Chart  # by year: <event>_share, <event>_women/men; extra: stock
    rates: Chart  # by year: rates by gender
    table: Table  # by category, the latest year with flows
    consistency: dict[str, Any]  # checked, disagreeing, rows and table (exact mode only)
    sentences: dict[str, str]


def protect_flows(
    table: pd.DataFrame, dims: list[str], rule: PrivacyRule, filters: FilterState
) -> pd.DataFrame:
    """Each event's counts, share and rates as the public publication has them (the event's
    group of the selection, ``filters``, by ``dims`` and year: shown or withheld), and every
    rate withheld where the headcount it divides by (the same group a year before) is."""
    out = table.copy()
    keys = {d: out[d] for d in [*dims, "year"]}
    for event in EVENTS:
        counts = pd.DataFrame(
            {**keys, "women": out[f"{event}_women"], "men": out[f"{event}_men"], "other": 0}
        )
        protected = rule.protect(counts, [*dims, "year"], filters=filters, kind=event)
        hidden = protected[HIDDEN].notna().to_numpy()
        columns = [f"{event}_women", f"{event}_men", f"{event}_share", *RATE_COLUMNS[event]]
        for column in columns:
            values = out[column].astype(float)
            out[column] = values.where(~hidden, np.nan)
    start = pd.DataFrame(
        {
            **{d: out[d] for d in dims},
            "year": out["year"] - 1,
            "women": out["women_start"],
            "men": out["men_start"],
            "other": 0,
        }
    )
    protected_start = rule.protect(start, [*dims, "year"], filters=filters)
    start_hidden = protected_start[HIDDEN].notna().to_numpy()
    for event in EVENTS:
        for column in RATE_COLUMNS[event]:
            out[column] = out[column].astype(float).where(~start_hidden, np.nan)
    for column in ("women_start", "men_start"):
        out[column] = out[column].astype(float).where(~start_hidden, np.nan)
    return out


def flows(
    frame: pd.DataFrame,
    flow_frame: pd.DataFrame,
    filters: FilterState,
    rule: PrivacyRule,
    reference: Reference,
    *,
    selection: Selection | None = None,
) -> FlowsView:
    sel = selection or Selection.of(frame, filters)
    flow_rows = sel.filters.entity_rows(flow_frame)
    flow_mask = sel.filters.history_mask(flow_rows)
    scope = sel.scope
    total = flow_rates(sel.frame, flow_rows, [], sel.through_year, flow_mask)
    by_category = flow_rates(sel.frame, flow_rows, ["category"], sel.through_year, flow_mask)
    stock = protected_table(sel, ["year"], sel.through_year, rule, reference)
    total = protect_flows(total, [], rule, sel.filters)
    exact_by_category = by_category
    by_category = protect_flows(by_category, ["category"], rule, sel.filters)
    stock_shown = stock[stock[HIDDEN].isna()][["year", "women_share"]]
    table_title = _("By staff category")
    latest = by_category.iloc[0:0]
    table_note = ""
    if not by_category.empty:
        year = int(by_category["year"].max())
        latest = by_category[by_category["year"] == year].copy()
        table_note = withheld_note(exact_by_category.loc[latest.index], latest, rule)
        order = {c: i for i, c in enumerate(sel.frame["category"].cat.categories)}
        latest = latest.sort_values("category", key=lambda s: s.map(order))
        table_title = _("By staff category — {scope}, {year}").format(scope=scope, year=year)
    check = _consistency(sel, flow_rows, flow_mask, reference, rule)
    return FlowsView(
        has_flows=not total.empty,
        shares=Chart(
            total,
            _("Women among appointments, promotions and separations — {scope}").format(scope=scope),
            extra={"stock": stock_shown},
        ),
        rates=Chart(total, f"— {scope}"),
        table=Table(
            table_title,
            FLOW_COLUMNS,
            latest.reset_index(drop=True),
            empty=_(
                "No flow data for this selection: import a file of appointments, promotions "
                "and separations on the Data page."
            ),
            note=table_note,
            id="flows-metrics",
        ),
        consistency=check,
        sentences={"flows": flows_sentence(total)},
    )


def _consistency(
    sel: Selection,
    flow_rows: pd.DataFrame,
    flow_mask: np.ndarray,
    reference: Reference,
    rule: PrivacyRule,
) -> dict[str, Any]:
    """Where recorded stocks and flows disagree. The cells are (entity, grade, gender, year):
    in public mode only how many disagree is shown, the cells themselves being for the people
    who hold the data (exact figures, or ``parity consistency``)."""
    steps = ladder_steps([str(g) for g in sel.frame["grade"].cat.categories], reference)
    table, checked = consistency(sel.frame, flow_rows, steps, sel.through_year, flow_mask)
    rows = None if rule.active else table.head(20)
    return {
        "checked": checked,
        "disagreeing": len(table),
        "rows": rows,
        "table": (
            None
            if rows is None
            else Table(
                _("Where stocks and flows disagree"),
                CONSISTENCY_COLUMNS,
                rows.reset_index(drop=True),
                empty=_("Stocks and flows agree."),
                id="flows-consistency-cells",
            )
        ),
    }


def withheld_note(exact: pd.DataFrame, shown: pd.DataFrame, rule: PrivacyRule) -> str:
    """How many of the table's figures the privacy rule withheld (a figure that is empty in the
    exact table too, such as a share of no events, is not counted)."""
    keys = [c.key for c in FLOW_COLUMNS if c.kind != "text"]
    withheld = int((exact[keys].notna().to_numpy() & shown[keys].isna().to_numpy()).sum())
    if not withheld:
        return ""
    return ngettext(
        "{n} figure not shown, to protect small groups (fewer than {min_cell} events, or people "
        "at the start of the year).",
        "{n} figures not shown, to protect small groups (fewer than {min_cell} events, or people "
        "at the start of the year).",
        withheld,
    ).format(n=count(withheld), min_cell=count(rule.min_cell))


def consistency_words(check: dict[str, Any]) -> str:
    if check["checked"] == 0:
        return _("No flow data to check.")
    if check["disagreeing"] == 0:
        return _(
            "Stocks and flows agree in all {n} cells (entity, grade, gender and year with flows)."
        ).format(n=count(check["checked"]))
    words = ngettext(
        "{disagreeing} of {n} cell disagree: the recorded stock is not the previous stock plus "
        "the year's flows.",
        "{disagreeing} of {n} cells disagree: the recorded stock is not the previous stock plus "
        "the year's flows.",
        check["checked"],
    ).format(disagreeing=count(check["disagreeing"]), n=count(check["checked"]))
    if check["rows"] is None:
        words += " " + _(
            "The cells are listed for the holders of the data only (public mode hides small "
            "groups): run 'parity consistency'."
        )
    else:
        words += " " + _("The largest differences:")
    return words


def flows_sentence(total: pd.DataFrame) -> str:
    if total.empty:
        return _("No flow data for this selection.")
    latest = total.sort_values("year").iloc[-1]
    parts = []
    for event, words in (
        ("appointment", N_("{share} of appointments")),
        ("promotion", N_("{share} of promotions")),
        ("separation", N_("{share} of separations")),
    ):
        share = latest[f"{event}_share"]
        if not pd.isna(share):
            parts.append(_(words).format(share=percent(share, 0)))
    if not parts:
        return _("Too few appointments, promotions or separations to show.")
    return _("In {year}, women were {shares}.").format(
        year=int(latest["year"]), shares=listing(parts)
    )
