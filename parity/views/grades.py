"""The Grades page and a briefing's pipeline: women and men grade by grade, the glass-ceiling
index, the top grades, and the table of status and numbers needed per grade."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from parity.metrics import parity_table
from parity.privacy import PrivacyRule, shown
from parity.reference import Reference
from parity.views.base import (
    TOP_LEVEL,
    Chart,
    Column,
    Selection,
    Stat,
    Table,
    at_parity_words,
    protected_table,
)
from parity.views.overview import glass_ceiling
from parity.wording import percent, plural

METRIC_COLUMNS = (
    Column("women", "Women", "count"),
    Column("men", "Men", "count"),
    Column("total", "Total", "count"),
    Column("women_share", "Women's share", "share"),
    Column("gap_pp", "Gap (pp)", "pp"),
    Column("parity_status", "Status", "status"),
    Column("women_needed", "Women needed (to zone)", "count"),
    Column("men_needed", "Men needed (to zone)", "count"),
    Column("women_to_50_50", "Women to 50/50", "count"),
)
GRADE_COLUMNS = (Column("grade", "Grade"), Column("category", "Category"), *METRIC_COLUMNS)


@dataclass(frozen=True)
class GradesView:
    scope: str
    year: int | None
    stats: tuple[Stat, ...]
    table: Table  # top of the ladder first, protected
    pipeline: Chart  # bottom of the ladder first, shown grades only
    glass_ceiling: float | None
    sentences: dict[str, str]


def grades(
    frame: pd.DataFrame,
    filters: Any,
    rule: PrivacyRule,
    reference: Reference,
    *,
    selection: Selection | None = None,
) -> GradesView:
    sel = selection or Selection.of(frame, filters)
    table = protected_table(sel.frame, ["grade"], sel.in_year, rule, reference)
    index, index_note = glass_ceiling(sel, reference, rule)
    top = _top(sel, reference)
    stats = (
        Stat(
            "Glass-ceiling index", "—" if index is None else f"{index:.2f}", index_note,
            "glass-ceiling",
        ),
        _top_stat(top, rule),
        Stat("Grades at parity", *at_parity_words(table, "grade"), "parity-status"),
    )  # fmt: skip
    pipeline = shown(table).iloc[::-1].reset_index(drop=True)  # bottom of the ladder first
    return GradesView(
        scope=sel.scope,
        year=sel.year,
        stats=stats,
        table=Table(
            f"By grade — {sel.scope_year}",
            GRADE_COLUMNS,
            table.reset_index(drop=True),
            rule.note(table, "grade"),
            id="grades-metrics",
        ),
        pipeline=Chart(
            pipeline, f"Women and men by grade — {sel.scope_year}", rule.note(table, "grade")
        ),
        glass_ceiling=index,
        sentences={
            "pipeline": pipeline_sentence(table, index),
            "grades": grade_sentence(table),
        },
    )


def _top(sel: Selection, reference: Reference) -> pd.DataFrame:
    """Women, men and total at D-1 and above (one row, or none when no one is there)."""
    grades = sel.frame["grade"]
    top = grades.cat.categories.get_indexer(pd.Index(reference.top_grades))
    lookup = np.zeros(len(grades.cat.categories) + 1, dtype=bool)
    lookup[top[top >= 0]] = True
    return parity_table(sel.frame, (), sel.in_year & lookup[grades.cat.codes.to_numpy()])


def _top_stat(top: pd.DataFrame, rule: PrivacyRule) -> Stat:
    label, anchor = "Women at D-1 and above", "women-share"
    people = int(top["total"].iloc[0]) if not top.empty else 0
    if people == 0:
        return Stat(label, "—", "No one at D-1 and above", anchor)
    if rule.is_small(people):
        return Stat(label, "—", f"Fewer than {rule.min_cell} people", anchor)
    row = top.iloc[0]
    women = plural(int(row["women"]), "{n} woman", "{n} women")
    return Stat(label, percent(row["women_share"]), f"{women} of {people:,} people", anchor)


def pipeline_sentence(table: pd.DataFrame, index: float | None) -> str:
    """Women's share below D-1 and at D-1 and above, from the shown grades."""
    visible = shown(table)
    top = visible[visible["level"] == TOP_LEVEL]
    rest = visible[visible["level"] != TOP_LEVEL]

    def share(rows: pd.DataFrame) -> float | None:
        women, men = int(rows["women"].sum()), int(rows["men"].sum())
        return women / (women + men) if women + men else None

    if top.empty or rest.empty:
        return "Women's share grade by grade, from the bottom of the ladder to the top."
    sentence = (
        f"Women hold {percent(share(rest), 0)} of posts shown below D-1 but "
        f"{percent(share(top), 0)} at D-1 and above"
    )
    if index is not None:
        sentence += f" (glass-ceiling index {index:.2f}; 1 means no ceiling)"
    return sentence + "."


def grade_sentence(table: pd.DataFrame) -> str:
    """The grade with the most women needed to reach the parity zone, in one sentence."""
    visible = shown(table)
    needed = pd.to_numeric(visible["women_needed"], errors="coerce")
    if visible.empty or needed.isna().all():
        return "No grade has enough people to show its figures."
    if not (needed > 0).any():
        return "Every grade shown is at parity or has more women than men."
    row = visible.iloc[int(np.nanargmax(needed.to_numpy(dtype=float)))]
    return (
        f"Women hold {percent(row['women_share'], 0)} of {row['grade']} posts; "
        f"{int(row['women_needed']):,} more women are needed to reach the parity zone "
        f"({int(row['women_to_50_50']):,} to 50/50)."
    )
