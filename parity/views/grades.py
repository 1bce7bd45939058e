"""The Grades page and a briefing's pipeline: women and men grade by grade, the glass-ceiling
index, the top grades, and the table of status and numbers needed per grade."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from parity import i18n
from parity.i18n import _, ngettext
from parity.privacy import HIDDEN, PrivacyRule, shown
from parity.reference import Reference
from parity.views.base import (
    Chart,
    Selection,
    Stat,
    Table,
    at_parity_words,
    protected_table,
    selection_view,
)
from parity.views.columns import GRADE_COLUMNS
from parity.views.overview import glass_ceiling, shown_row, top_and_all
from parity.wording import count, percent, plural


@dataclass(frozen=True)
class GradesView:
    scope: str
    year: int | None
    stats: tuple[Stat, ...]
    table: Table  # top of the ladder first, protected
    pipeline: Chart  # bottom of the ladder first, shown grades only
    glass_ceiling: float | None
    sentences: dict[str, str]


@selection_view
def grades(sel: Selection, rule: PrivacyRule, reference: Reference) -> GradesView:
    table = protected_table(sel, ["grade"], sel.in_year, rule, reference)
    table["category"] = table["grade"].map(reference.grade_category)
    index, index_note = glass_ceiling(sel, reference, rule)
    top, both = top_and_all(sel, reference, rule)
    stats = (
        Stat(
            _("Glass-ceiling index"), "—" if index is None else i18n.number(index, 2), index_note,
            "glass-ceiling",
        ),
        _top_stat(top, rule),
        Stat(_("Grades at parity"), *at_parity_words(table, "grade"), "parity-status"),
    )  # fmt: skip
    pipeline = shown(table).iloc[::-1].reset_index(drop=True)  # bottom of the ladder first
    return GradesView(
        scope=sel.scope,
        year=sel.year,
        stats=stats,
        table=Table(
            _("By grade — {scope}").format(scope=sel.scope_year),
            GRADE_COLUMNS,
            table.reset_index(drop=True),
            rule.note(table, "grade"),
            id="grades-metrics",
        ),
        pipeline=Chart(
            pipeline,
            _("Women and men by grade — {scope}").format(scope=sel.scope_year),
            rule.note(table, "grade"),
        ),
        glass_ceiling=index,
        sentences={
            "pipeline": pipeline_sentence(top, both, index),
            "grades": grade_sentence(table),
        },
    )


def _top_stat(top: pd.DataFrame, rule: PrivacyRule) -> Stat:
    label, anchor = _("Women at D-1 and above"), "women-share"
    if top.empty or (shown_row(top) and int(top["total"].iloc[0]) == 0):
        return Stat(label, "—", _("No one at D-1 and above"), anchor)
    if not shown_row(top):
        return Stat(label, "—", rule.reason(top[HIDDEN].iloc[0]), anchor)
    row = top.iloc[0]
    people = int(row["total"])
    women = plural(int(row["women"]), "{n} woman", "{n} women")
    note = _("{women} of {people} people").format(women=women, people=count(people))
    return Stat(label, percent(row["women_share"]), note, anchor)


def pipeline_sentence(top: pd.DataFrame, both: pd.DataFrame, index: float | None) -> str:
    """Women's share of all posts and at D-1 and above: the two shares the glass-ceiling index
    divides (all / top), read from the same two groups as the card and the index, so that a
    reader can divide them and find the index."""
    if not (shown_row(top) and shown_row(both)):
        return _("Women's share grade by grade, from the bottom of the ladder to the top.")
    women, men = int(both["women"].iloc[0]), int(both["men"].iloc[0])
    top_women, top_men = int(top["women"].iloc[0]), int(top["men"].iloc[0])
    if not (women + men) or not (top_women + top_men):
        return _("Women's share grade by grade, from the bottom of the ladder to the top.")
    figures = {
        "all": percent(women / (women + men), 1),
        "top": percent(top_women / (top_women + top_men), 1),
    }
    if index is not None:
        return _(
            "Women hold {all} of all posts but {top} at D-1 and above: a glass-ceiling index "
            "of {index} ({all} / {top}; 1 means no ceiling)."
        ).format(**figures, index=i18n.number(index, 2))
    return _("Women hold {all} of all posts but {top} at D-1 and above.").format(**figures)


def grade_sentence(table: pd.DataFrame) -> str:
    """The grade with the most women needed to reach the parity zone, in one sentence."""
    visible = shown(table)
    needed = pd.to_numeric(visible["women_needed"], errors="coerce")
    if visible.empty or needed.isna().all():
        return _("No grade has enough people to show its figures.")
    if not (needed > 0).any():
        return _("Every grade shown is at parity or has more women than men.")
    row = visible.iloc[int(np.nanargmax(needed.to_numpy(dtype=float)))]
    women_needed = int(row["women_needed"])
    return ngettext(
        "Women hold {share} of {grade} posts; {n} more woman is needed to reach the parity "
        "zone ({to_50_50} to 50/50).",
        "Women hold {share} of {grade} posts; {n} more women are needed to reach the parity "
        "zone ({to_50_50} to 50/50).",
        women_needed,
    ).format(
        share=percent(row["women_share"], 0),
        grade=row["grade"],
        n=count(women_needed),
        to_50_50=count(int(row["women_to_50_50"])),
    )
