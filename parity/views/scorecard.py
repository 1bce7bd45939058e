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
from parity.outlook import goal_statuses
from parity.privacy import HIDDEN, PrivacyRule, shown
from parity.projections import DEFAULT_WINDOW, annual_increments
from parity.reference import Reference
from parity.views.base import Column, Selection, Table, protected_table
from parity.views.columns import ENTITY
from parity.views.outlook import goal_words
from parity.wording import GOAL_YEAR, label, status_words


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def goal_table(
    sel: Selection,
    by: list[str],
    rule: PrivacyRule,
    reference: Reference,
    series: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per group of ``by`` shown in the selection's year: women_share, parity_status (with
    women and men) and goal_status, the trend read from the group's shown years (the annual
    increment over the window, parity.projections.annual_increments)."""
    if series is None:  # the groups by year, in the trend's window up to the selection's year
        recent = sel.frame["year"].to_numpy() >= (sel.year or 0) - DEFAULT_WINDOW
        series = protected_table(sel, [*by, "year"], sel.through_year & recent, rule, reference)
    now = series[(series["year"] == sel.year) & series[HIDDEN].isna()]
    now = now[now["women_share"].notna()]
    points = shown(series)
    changes = annual_increments(points[points["women_share"].notna()], by, DEFAULT_WINDOW)
    trend = now.merge(changes[["annual_change_pp"]], left_on=by, right_index=True, how="left")
    goals = goal_statuses(trend.assign(base_year=trend["year"]), GOAL_YEAR)
    out = now[[*by, "women", "men", "women_share", "parity_status"]].reset_index(drop=True)
    return out.assign(goal_status=goals)


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
    by_year: pd.DataFrame | None = None,
) -> Table:
    """One row per entity shown: its share, status now and against the goal, its own targets
    met (when it uploaded any), then the same for each staff category (a dash where the
    category has no one or is not shown). ``by_year``: the entities by year, when the caller
    has them (the protected table of entity and year, every year up to the selection's)."""
    whole = goal_table(sel, ["entity"], rule, reference, by_year)
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
            Column(f"{slug}_share", _("{level}: women").format(level=label(category)), "share"),
            Column(
                f"{slug}_goal",
                _("{level}: against {year}").format(level=label(category), year=GOAL_YEAR),
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
