"""The entities' scorecard: each entity, and each of its staff categories (Senior leadership,
Directors, Professional, General Service…), with women's share now and one status against the
2028 goal (parity.outlook.goal_status: the rule of the Overview, Trends and ``parity
project``). A row per entity, sortable by any column.

Staff categories are the levels the public publication holds by entity (entity x category in
each year), so the public scorecard is read from it like every other public figure.
"""

from __future__ import annotations

import re

import pandas as pd

from parity.i18n import _
from parity.outlook import goal_status
from parity.privacy import HIDDEN, PrivacyRule, shown
from parity.projections import DEFAULT_WINDOW, project_shares
from parity.reference import Reference
from parity.views.base import Column, Selection, Table, protected_table
from parity.views.columns import ENTITY
from parity.views.outlook import goal_words
from parity.wording import GOAL_YEAR, status_words

OVERALL = "all"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def goal_table(
    sel: Selection, by: list[str], rule: PrivacyRule, reference: Reference
) -> pd.DataFrame:
    """Per group of ``by`` shown in the selection's year: women_share, parity_status (with
    women and men) and goal_status, the trend read from the group's shown years."""
    series = protected_table(sel, [*by, "year"], sel.through_year, rule, reference)
    now = series[(series["year"] == sel.year) & series[HIDDEN].isna()]
    now = now[now["women_share"].notna()]
    points = shown(series)
    points = points[points["women_share"].notna()]
    trends = project_shares(points, by, window=DEFAULT_WINDOW).set_index(by)
    rows = []
    for _i, row in now.iterrows():
        key = tuple(row[d] for d in by) if len(by) > 1 else row[by[0]]
        change = trends.loc[key, "annual_change_pp"] if key in trends.index else None
        rows.append(
            {
                **{d: row[d] for d in by},
                "women": row["women"],
                "men": row["men"],
                "women_share": float(row["women_share"]),
                "parity_status": row["parity_status"],
                "goal_status": goal_status(
                    float(row["women_share"]),
                    str(row["parity_status"]),
                    None if change is None or pd.isna(change) else float(change),
                    int(row["year"]),
                    GOAL_YEAR,
                ),
            }
        )
    return pd.DataFrame(rows, columns=[*by, "women", "men", "women_share", "parity_status",
                                       "goal_status"])  # fmt: skip


def _targets_met(
    sel: Selection, targets: pd.DataFrame, rule: PrivacyRule, reference: Reference
) -> dict[str, str]:
    """entity -> '1 of 2 met': its uploaded targets (entity x grade) on target or ahead of their
    path in the latest year, as Planning's progress table reads them (under the same rule)."""
    from parity.views.planning.tables import targets_table

    table, _message = targets_table(sel, targets, rule, reference)
    rows = table.rows
    if rows.empty:
        return {}
    met = rows["progress"].isin(["on_target", "ahead"])
    return {
        str(entity): _("{met} of {n} met").format(met=int(met[group.index].sum()), n=len(group))
        for entity, group in rows.groupby("entity", sort=False)
    }


def scorecard(
    sel: Selection,
    rule: PrivacyRule,
    reference: Reference,
    note: str = "",
    targets: pd.DataFrame | None = None,
) -> Table:
    """One row per entity shown: its share, status now and against the goal, its own targets
    met (when it uploaded any), then the same for each staff category (a dash where the
    category has no one or is not shown)."""
    whole = goal_table(sel, ["entity"], rule, reference)
    levels = goal_table(sel, ["entity", "category"], rule, reference)
    categories = [
        str(c) for c in sel.frame["category"].cat.categories if c in set(levels["category"])
    ]
    table = pd.DataFrame(
        {
            "entity": whole["entity"].astype(str),
            "women_share": whole["women_share"],
            "status_words": [
                status_words(s, w, m)
                for s, w, m in zip(
                    whole["parity_status"], whole["women"], whole["men"], strict=True
                )
            ],
            "goal_words": [goal_words(g, short=True) for g in whole["goal_status"]],
        }
    )
    columns = [
        ENTITY,
        Column("women_share", _("Women's share"), "share"),
        Column("status_words", _("Status"), "words"),
        Column("goal_words", _("Against {year}").format(year=GOAL_YEAR), "words"),
    ]
    if targets is not None and not targets.empty:
        table["targets_words"] = table["entity"].map(_targets_met(sel, targets, rule, reference))
        columns.append(Column("targets_words", _("Own targets"), "words"))
    for category in categories:
        part = levels[levels["category"] == category].set_index("entity")
        slug = _slug(category)
        table[f"{slug}_share"] = table["entity"].map(part["women_share"])
        table[f"{slug}_goal"] = table["entity"].map(
            part["goal_status"].map(lambda g: goal_words(g, short=True))
        )
        columns += [
            Column(f"{slug}_share", _("{level}: women").format(level=category), "share"),
            Column(
                f"{slug}_goal",
                _("{level}: against {year}").format(level=category, year=GOAL_YEAR),
                "words",
            ),
        ]
    table = table.sort_values("women_share", kind="stable").reset_index(drop=True)
    return Table(
        _("Scorecard: each entity and staff category against the {year} goal — {scope}").format(
            year=GOAL_YEAR, scope=sel.scope_year
        ),
        tuple(columns),
        table,
        note,
        id="entities-scorecard",
    )
