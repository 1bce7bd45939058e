"""The grade-ladder model of a selection, as the Planning page and the outlook read it: its
rates estimated from the selection's own rows and flows, and whether every figure the model
reads is in the public publication (the model computes from them alone: with one withheld,
its results would carry it)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from parity.ingest.contract import EVENTS
from parity.metrics import gender_counts
from parity.planning import Ladder, estimate_ladder
from parity.privacy import HIDDEN, PrivacyRule
from parity.reference import Reference
from parity.views.base import Selection


def flow_rows(sel: Selection, flow_frame: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """The flows the selection's entity filter reaches, and the selection's mask over them (every
    year up to the selection's)."""
    rows = sel.filters.entity_rows(flow_frame)
    return rows, sel.filters.history_mask(rows)


def estimate(
    sel: Selection,
    flows: pd.DataFrame,
    flow_mask: np.ndarray,
    window: int,
    reference: Reference,
) -> Ladder | None:
    """The selection's grade-ladder model, its rates over ``window`` years; None without
    flows."""
    if flows.empty:
        return None
    return estimate_ladder(
        sel.frame,
        flows,
        reference,
        stock_mask=sel.through_year,
        flow_mask=flow_mask,
        window=window,
    )


def inputs_published(
    sel: Selection,
    flows: pd.DataFrame,
    flow_mask: np.ndarray,
    base_year: int,
    window: int,
    rule: PrivacyRule,
) -> bool:
    """Whether every figure the grade-ladder model reads is in the public publication: the
    selection's people by grade in each year of the window, and its appointments, promotions
    and separations by grade in each of those years."""
    first = base_year - window
    years = sel.frame["year"].to_numpy()
    stock = gender_counts(sel.frame, ("grade", "year"), sel.through_year & (years >= first))
    shown_stock = rule.protect(stock, ["grade", "year"], filters=sel.filters)
    if shown_stock[HIDDEN].notna().any():
        return False
    recent = flow_mask & (flows["year"].to_numpy() > first)
    counts = gender_counts(flows, ("event", "grade", "year"), recent, weight="count")
    for event in EVENTS:
        events = counts[counts["event"] == event].drop(columns="event")
        events = events[(events["women"] + events["men"] + events["other"]) > 0]
        if events.empty:
            continue
        shown_events = rule.protect(
            events.reset_index(drop=True), ["grade", "year"], filters=sel.filters, kind=event
        )
        if shown_events[HIDDEN].notna().any():
            return False
    return True
