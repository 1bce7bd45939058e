"""The Planning page's tables: the share of women among appointments each group shown needs for
50/50 by the target year, beside its recent share, the scenario's and its projected year; and the
progress of each uploaded target (entity × grade) against its path, withheld where the Grades page
withholds the group.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from parity.i18n import _, number
from parity.planning import Ladder, recent_hire_share
from parity.privacy import HIDDEN, PrivacyRule
from parity.reference import Reference
from parity.targets import STRATEGY_START, progress, target_path
from parity.views.base import Column, Selection, Table, protected_table
from parity.views.columns import CATEGORY, GRADE, PLAN_COLUMNS, TARGET_COLUMNS
from parity.views.planning.scenario import Outcome, Scenario
from parity.views.planning.sentences import year_band
from parity.wording import MAINTAIN, PLAN_WORDS, PROGRESS_WORDS, missing, percent, plural

GROUP_COLUMNS = {"grade": GRADE, "category": CATEGORY}


def required_table(
    title: str,
    scenario: Scenario,
    ladder: Ladder,
    outcome: Outcome,
    status: pd.DataFrame,
    shown_idx: list[int],
    appointed: np.ndarray,
    rule: PrivacyRule,
    note: str,
) -> Table:
    """The share of women among appointments each shown group (``shown_idx`` into
    ``outcome.labels``) needs for 50/50, with its women's share in the base year, its recent and
    scenario shares (withheld when they rest on 1 to min_cell - 1 appointments, as on the Flows
    page: ``appointed`` per grade of the ladder), its status (at parity — maintain inside the
    parity zone, by ``status``: the groups' protected table) and its projected year."""
    rows = []
    for i in shown_idx:
        plan = outcome.group_plans[i]
        label, members = outcome.labels[i], outcome.groups[i]
        in_zone = status.loc[label, "parity_status"] == "parity"
        # a share of 1 to 4 appointments is withheld, as on the Flows page
        few = rule.is_small(int(appointed[members].sum()))
        rows.append(
            {
                scenario.by: label,
                "women_share": plan.women_share,
                "recent_hire_share": None if few else recent_hire_share(ladder, members),
                "hire_share": None if few else plan.hire_share,
                "required_hire_share": plan.required_hire_share,
                "plan_status": "maintain" if in_zone else plan.plan_status,
                "status_words": _(MAINTAIN) if in_zone else _(PLAN_WORDS[plan.plan_status]),
                "reached_words": year_band(plan),
            }
        )
    years = {"base": ladder.base_year, "target": scenario.target_year}
    columns = (
        GROUP_COLUMNS.get(scenario.by, Column(scenario.by, scenario.by.capitalize())),
        *(replace(c, header=_(c.header).format(**years)) for c in PLAN_COLUMNS),
    )
    return Table(title, columns, pd.DataFrame(rows), note, id="planning-required")


def targets_table(
    sel: Selection, targets: pd.DataFrame, rule: PrivacyRule, reference: Reference
) -> tuple[Table, str]:
    """Uploaded targets for the entities in the selection, with the latest share and progress.
    A group withheld on the Grades page (entity x grade, its latest year) is withheld here."""
    columns = TARGET_COLUMNS
    empty = pd.DataFrame(columns=[c.key for c in columns])
    if targets.empty:
        return Table(_("Progress against targets"), columns, empty), _(
            "No targets uploaded: the charts use the System-wide Strategy's path, a "
            "straight line from 2017 to 50% in 2028. Upload targets (entity, grade, "
            "year, target_share, margin) on the Data page."
        )
    entities = set(sel.filters.entity) if sel.filters.entity else None
    chosen = targets if entities is None else targets[targets["entity"].isin(entities)]
    if chosen.empty:
        return Table(_("Progress against targets"), columns, empty), _(
            "No uploaded targets for the entities in this selection."
        )
    cells = protected_table(sel, ["entity", "grade", "year"], sel.through_year, rule, reference)
    rows = []
    withheld = 0
    for (entity, grade), points in chosen.groupby(["entity", "grade"], sort=True):
        series = cells[(cells["entity"] == entity) & (cells["grade"] == grade)]
        if series.empty:
            continue
        latest = series[series["year"] == series["year"].max()].iloc[0]
        final = points.sort_values("year").iloc[-1]
        target_words = _("{target} ± {margin} by {year}").format(
            target=percent(final["target_share"], 0),
            margin=number(100 * float(final["margin"])),
            year=int(final["year"]),
        )
        if not missing(latest[HIDDEN]):
            withheld += 1
            continue
        start = series[(series["year"] == STRATEGY_START) & series[HIDDEN].isna()]
        start_share = float(start["women_share"].iloc[0]) if not start.empty else None
        path = target_path(
            points[["year", "target_share", "margin"]],
            start_share,
            range(int(latest["year"]), int(points["year"].max()) + 1),
        )
        share = float(latest["women_share"])
        status = progress(share, path, int(latest["year"]))
        rows.append(
            {
                "entity": entity,
                "grade": grade,
                "target_words": target_words,
                "latest_share": share,
                "latest_year": int(latest["year"]),
                "path_share": float(path.iloc[0]["target_share"]) if not path.empty else None,
                "progress": status,
                "progress_words": _(PROGRESS_WORDS.get(status or "", "—")),
            }
        )
    note = (
        plural(
            withheld,
            "{n} target of groups with too few people to show left out",
            "{n} targets of groups with too few people to show left out",
        )
        if withheld
        else ""
    )
    return (
        Table(
            _("Progress against targets"),
            columns,
            pd.DataFrame(rows, columns=[*empty.columns, "progress"]),
            note,
            id="planning-targets-table",
        ),
        "",
    )
