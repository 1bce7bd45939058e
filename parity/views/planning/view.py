"""The Planning page's view model: the selection's grade-ladder model estimated over the
scenario's window, the checks that stop a plan (no flows, a target already reached, the
selection withheld, the model's inputs not all in the public view), and for a plan the charts'
data (the shown groups' history and paths, everyone's history with the range of simulated
futures and the target path), the tables and the summary sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from parity.filters import FilterState
from parity.i18n import _
from parity.planning import Ladder
from parity.privacy import HIDDEN, PrivacyRule
from parity.reference import Reference
from parity.targets import STRATEGY_START, target_path
from parity.views.base import Chart, Selection, Table, protected_table
from parity.views.ladder import estimate, inputs_published
from parity.views.ladder import flow_rows as selection_flows
from parity.views.planning.scenario import RUNS, Outcome, Scenario, run_scenario
from parity.views.planning.sentences import (
    left_out_note,
    no_ladder_reason,
    not_public_reason,
    summary_sentence,
    withheld_reason,
)
from parity.views.planning.tables import required_table, targets_table
from parity.wording import missing


@dataclass(frozen=True)
class PlanningView:
    """The Planning page: the plan (or why none is shown) and the progress against targets."""

    ready: bool  # False: no flows, or the data already reach the target year
    summary: str
    # not ready: both charts empty, their extra holds "message" (a short reason for the figure)
    paths: Chart  # recorded history of shown groups; extra: paths, target_year, by
    fan: Chart  # recorded total; extra: band, target
    table: Table
    targets: Table
    targets_message: str


def _appointments(
    flow_rows: pd.DataFrame, flow_mask: np.ndarray, ladder: Any, window: int
) -> np.ndarray:
    """Appointments per grade of the ladder over the rates' window (the years up to the base
    year), women and men together."""
    years = flow_rows["year"].to_numpy()
    recent = flow_mask & (years > ladder.base_year - window) & (years <= ladder.base_year)
    recent &= (flow_rows["event"] == "appointment").to_numpy()
    counts = (
        flow_rows.loc[recent]
        .groupby("grade", observed=True)["count"]
        .sum()
        .reindex(list(ladder.grades), fill_value=0)
    )
    return counts.to_numpy(dtype=np.int64)


def no_plan(
    reason: str, short: str, titles: tuple[str, str, str], targets: Table, message: str
) -> PlanningView:
    """The view when no plan can be shown: ``reason`` in words, ``short`` inside the empty
    charts; the targets table still shown."""
    paths, fan, table = titles
    empty = pd.DataFrame()
    return PlanningView(
        False,
        reason,
        Chart(empty, paths, reason, extra={"message": short}),
        Chart(empty, fan, reason, extra={"message": short}),
        Table(table, (), empty, empty=reason),
        targets,
        message,
    )


def planning(
    frame: pd.DataFrame,
    flow_frame: pd.DataFrame,
    targets: pd.DataFrame,
    filters: FilterState,
    scenario: Scenario,
    rule: PrivacyRule,
    reference: Reference,
    *,
    runs: int = RUNS,
    selection: Selection | None = None,
) -> PlanningView:
    """The Planning page of a selection under a scenario: the plan, or why none is shown (with
    the targets table in either case)."""
    sel = selection or Selection.of(frame, filters)
    flow_rows, flow_mask = selection_flows(sel, flow_frame)
    ladder = estimate(sel, flow_rows, flow_mask, scenario.window, reference)
    titles = _titles(sel.scope, scenario)
    target_table, target_message = targets_table(sel, targets, rule, reference)
    if ladder is None or ladder.base_year >= scenario.target_year:
        reason, short = no_ladder_reason(ladder)
        return no_plan(reason, short, titles, target_table, target_message)
    base = sel.through_year & (sel.frame["year"].to_numpy() == ladder.base_year)
    groups_table = protected_table(sel, [scenario.by], base, rule, reference)
    overall = protected_table(sel, [], base, rule, reference)
    if overall.empty or overall[HIDDEN].notna().iloc[0]:
        reason, short = withheld_reason(rule)
        return no_plan(reason, short, titles, target_table, target_message)
    if rule.active and not inputs_published(
        sel, flow_rows, flow_mask, ladder.base_year, scenario.window, rule
    ):
        reason, short = not_public_reason()
        return no_plan(reason, short, titles, target_table, target_message)

    outcome = run_scenario(ladder, scenario, reference, runs)
    status = groups_table.set_index(scenario.by)
    visible = {
        str(k) for k, hidden in zip(status.index, status[HIDDEN], strict=True) if missing(hidden)
    }
    shown_idx = [i for i, label in enumerate(outcome.labels) if label in visible]
    note = left_out_note(len(outcome.labels) - len(shown_idx))
    appointed = _appointments(flow_rows, flow_mask, ladder, scenario.window)
    title_paths, title_fan, table_title = titles
    return PlanningView(
        True,
        summary_sentence(
            sel.scope,
            scenario,
            ladder,
            outcome.total,
            outcome.everyone,
            overall["parity_status"].iloc[0] == "parity",
            few_appointments=rule.is_small(int(appointed.sum())),
        ),
        _paths_chart(
            sel, scenario, rule, reference, outcome, visible, shown_idx, title_paths, note
        ),
        _fan_chart(sel, scenario, rule, reference, ladder, outcome, title_fan),
        required_table(
            table_title, scenario, ladder, outcome, status, shown_idx, appointed, rule, note
        ),
        target_table,
        target_message,
    )


def _titles(scope: str, scenario: Scenario) -> tuple[str, str, str]:
    """The titles of the paths chart, the fan chart and the table of needed shares."""
    title_paths = _("Women's share under the scenario — {scope}").format(scope=scope)
    title_fan = _("All levels: range of simulated futures — {scope}").format(scope=scope)
    table_title = _(
        "Share of women among appointments needed for 50/50 — {scope} ({window}-year rates)"
    ).format(scope=scope, window=scenario.window)
    return title_paths, title_fan, table_title


def _paths_chart(
    sel: Selection,
    scenario: Scenario,
    rule: PrivacyRule,
    reference: Reference,
    outcome: Outcome,
    visible: set[str],
    shown_idx: list[int],
    title: str,
    note: str,
) -> Chart:
    """The recorded women's share of each shown group since the Strategy's start (its shown
    years), with its path under the scenario in ``extra``."""
    by = scenario.by
    history = protected_table(sel, [by, "year"], sel.through_year & _since(sel), rule, reference)
    history = history[history[HIDDEN].isna() & history[by].isin(visible)]
    paths = pd.DataFrame(
        [
            {by: outcome.labels[i], "year": year, "women_share": share}
            for i in shown_idx
            for year, share in outcome.group_plans[i].path
        ],
        columns=[by, "year", "women_share"],
    )
    return Chart(
        history,
        title,
        note,
        extra={"paths": paths, "target_year": scenario.target_year, "by": by},
    )


def _fan_chart(
    sel: Selection,
    scenario: Scenario,
    rule: PrivacyRule,
    reference: Reference,
    ladder: Ladder,
    outcome: Outcome,
    title: str,
) -> Chart:
    """Everyone's recorded women's share since the Strategy's start (its shown years), with the
    range of simulated futures (``band``: 10th, 50th and 90th percentile, to the target year or
    five years past the base year, whichever is later) and the Strategy's path to 50/50 from the
    start year's share (``target``)."""
    total_history = protected_table(sel, ["year"], sel.through_year & _since(sel), rule, reference)
    total_history = total_history[total_history[HIDDEN].isna()]
    start = total_history[total_history["year"] == STRATEGY_START]
    start_share = float(start["women_share"].iloc[0]) if not start.empty else None
    target = target_path(
        pd.DataFrame(columns=["year", "target_share", "margin"]),
        start_share,
        range(STRATEGY_START, scenario.target_year + 1),
    )
    band = pd.DataFrame(outcome.total.band, columns=["year", "low", "median", "high"])
    band = band[band["year"] <= max(scenario.target_year, ladder.base_year + 5)]
    return Chart(total_history, title, extra={"band": band, "target": target})


def _since(sel: Selection) -> np.ndarray:
    return sel.frame["year"].to_numpy() >= STRATEGY_START  # the Strategy's years


__all__ = ["PlanningView", "planning"]
