"""The small-cell rule of public mode: no group small enough to identify a person is shown, and
no hidden group can be worked out from the figures that are shown.

This module owns the rule (statistical disclosure control, as national statistics offices apply
it to published tables):

- **Primary suppression.** A group with 1 to ``min_cell - 1`` people (women + men + other) is
  *small*: its counts, share, gap, status and numbers needed are withheld. A group of 0 people
  is empty, not small.
- **Secondary (complementary) suppression.** Every breakdown is assumed to have its total
  published (the same selection one level up is always on some page: the Overview's headline, an
  entity's row, a staff category). Wherever exactly one cell of a breakdown is hidden, the
  smallest other cell of the same breakdown is hidden too, so that no hidden count equals a
  shown total minus the shown cells. This is repeated until every breakdown has no hidden cell
  or at least two. The breakdowns of a table grouped by several dimensions are its rows and its
  columns (each dimension across the others, year never summed), plus the nested groups a page
  also shows a total for: the grades of a staff category, the top grades (D-1 and above), the
  duty stations of HQ or of the field.
- **Counts of groups** ("grades at parity") count only the groups shown and say how many were
  hidden.

The rule is a required argument wherever figures are made for people to read: there is no
default. ``PrivacyRule(0)`` gives exact figures (the data holders' command line, and focal points
for their own entities).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from parity.i18n import N_plural, _
from parity.wording import plural

HIDDEN = "hidden"
"""Column of a protected table: None when shown, ``SMALL`` or ``SECONDARY`` when withheld."""
HIDDEN_TEXT = "hidden_text"
"""Column of a protected table: what a withheld cell reads as ("fewer than 5", "not shown")."""
SMALL, SECONDARY = "small", "secondary"
COUNT_COLUMNS = ("women", "men", "other", "total")
DERIVED_COLUMNS = (
    "women_share",
    "gap_pp",
    "parity_status",
    "women_needed",
    "men_needed",
    "women_to_50_50",
    "men_to_50_50",
)
NEVER_SUMMED = ("year",)  # a sum over years is not a figure anyone publishes


NOT_SHOWN = {  # a note's noun -> its forms: whole messages, French forms agree with the noun
    "grade": N_plural("{n} grade not shown", "{n} grades not shown"),
    "entity": N_plural("{n} entity not shown", "{n} entities not shown"),
    "station": N_plural("{n} station not shown", "{n} stations not shown"),
    "staff category": N_plural("{n} staff category not shown", "{n} staff categories not shown"),
    "age band": N_plural("{n} age band not shown", "{n} age bands not shown"),
    "year": N_plural("{n} year not shown", "{n} years not shown"),
    "cell": N_plural("{n} cell not shown", "{n} cells not shown"),
    "row": N_plural("{n} row not shown", "{n} rows not shown"),
    "group": N_plural("{n} group not shown", "{n} groups not shown"),
}


@dataclass(frozen=True)
class PrivacyRule:
    """The minimum cell size in force: groups of 1 to ``min_cell - 1`` people are withheld.
    ``min_cell`` 0 (or 1) shows every figure exactly."""

    min_cell: int

    def __post_init__(self) -> None:
        if self.min_cell < 0:
            raise ValueError("the minimum cell size cannot be negative")

    @property
    def active(self) -> bool:
        return self.min_cell > 1

    def is_small(self, people: int) -> bool:
        """A group with at least one person and fewer than min_cell."""
        return 0 < people < self.min_cell

    @property
    def fewer_than(self) -> str:
        return _("fewer than {n}").format(n=self.min_cell)

    def reason(self, hidden: str | None) -> str:
        """Why a row is withheld, in words (empty for a shown row)."""
        if hidden == SMALL:
            return _("Fewer than {n} people: not shown").format(n=self.min_cell)
        if hidden == SECONDARY:
            return _("Not shown, so that a small group cannot be worked out by subtraction")
        return ""

    def protect(
        self,
        table: pd.DataFrame,
        dims: Sequence[str],
        *,
        parents: Mapping[str, Sequence[str]] | None = None,
        groups: Sequence[np.ndarray] = (),
        also: Sequence[str] = (),
    ) -> pd.DataFrame:
        """A copy of a metrics table (one row per group of ``dims``, with women, men, other) with
        a ``hidden`` column and every figure of hidden rows blanked: counts become <NA>, shares
        and gaps NaN, statuses None, and so do the ``also`` columns.

        ``parents`` names, for a dimension, columns of the table that nest it (``{"grade":
        ["category"]}``): the grades of each category are one more breakdown. ``groups`` are
        boolean row masks of further sets whose total is shown (the top grades)."""
        out = table.copy()
        people = _people(out)
        hidden = np.full(len(out), None, dtype=object)
        if self.active and len(out):
            small = (people > 0) & (people < self.min_cell)
            partitions = _partitions(out, list(dims), parents or {})
            secondary = _secondary(people, small, partitions, [np.asarray(g) for g in groups])
            hidden[small] = SMALL
            hidden[secondary] = SECONDARY
        out[HIDDEN] = hidden
        fewer_than, not_shown = self.fewer_than, _("not shown")
        out[HIDDEN_TEXT] = [
            fewer_than if h == SMALL else not_shown if h == SECONDARY else None for h in hidden
        ]
        withheld = pd.notna(out[HIDDEN]).to_numpy(dtype=bool)
        for column in (*COUNT_COLUMNS, *DERIVED_COLUMNS, *also):
            if column not in out:
                continue
            if column in COUNT_COLUMNS or column.endswith(("_needed", "_50_50")):
                values = out[column].astype("Int64")
                out[column] = values.mask(withheld)
            elif out[column].dtype == object or isinstance(out[column].dtype, pd.StringDtype):
                out[column] = out[column].astype(object).where(~withheld, None)
            else:
                out[column] = out[column].astype(float).where(~withheld, np.nan)
        return out

    def note(self, table: pd.DataFrame, noun: str = "group") -> str:
        """'2 grades not shown: 1 with fewer than 5 people, 1 more so that it cannot be worked
        out'; empty when nothing is hidden."""
        if HIDDEN not in table or table.empty:
            return ""
        small = int((table[HIDDEN] == SMALL).sum())
        secondary = int((table[HIDDEN] == SECONDARY).sum())
        if not small and not secondary:
            return ""
        words = plural(small + secondary, *NOT_SHOWN[noun])
        if secondary:
            return _(
                "{withheld}: {small} with fewer than {n} people, {secondary} more so that they "
                "cannot be worked out by subtraction"
            ).format(withheld=words, small=small, n=self.min_cell, secondary=secondary)
        return _("{withheld}: fewer than {n} people").format(withheld=words, n=self.min_cell)


def shown(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of a protected table that are shown."""
    if HIDDEN not in table:
        return table
    return table[table[HIDDEN].isna()]


def hidden_count(table: pd.DataFrame) -> int:
    return 0 if HIDDEN not in table else int(table[HIDDEN].notna().sum())


def _people(table: pd.DataFrame) -> np.ndarray:
    if "total" in table:
        return table["total"].to_numpy(dtype=np.int64)
    other = table.get("other", 0)
    return (table["women"] + table["men"] + other).to_numpy(dtype=np.int64)


def _group_ids(table: pd.DataFrame, keys: list[str]) -> np.ndarray:
    if not keys:
        return np.zeros(len(table), dtype=np.int64)
    frame = table[keys].astype(object)
    return frame.groupby(keys, dropna=False, sort=False).ngroup().to_numpy(dtype=np.int64)


def _partitions(
    table: pd.DataFrame, dims: list[str], parents: Mapping[str, Sequence[str]]
) -> list[np.ndarray]:
    """One set id per row for each breakdown: a dimension across the other dimensions (and
    across them plus each parent of the dimension)."""
    out = []
    for dim in dims:
        if dim in NEVER_SUMMED:
            continue
        others = [d for d in dims if d != dim]
        out.append(_group_ids(table, others))
        for parent in parents.get(dim, ()):
            if parent in table:
                out.append(_group_ids(table, [*others, parent]))
    return out


def _secondary(
    people: np.ndarray, small: np.ndarray, partitions: list[np.ndarray], groups: list[np.ndarray]
) -> np.ndarray:
    """Rows to hide so that no breakdown has exactly one hidden row (smallest rows first)."""
    secondary = np.zeros(len(people), dtype=bool)
    sets = list(partitions)
    for group in groups:  # a set of rows with a shown total: set 0, every other row -1
        sets.append(np.where(group, 0, -1))
    if not small.any():
        return secondary
    changed = True
    while changed:
        changed = False
        for ids in sets:
            member = ids >= 0
            off = small | secondary
            size = int(ids.max()) + 1 if member.any() else 0
            hidden_in_set = np.bincount(ids[member], weights=off[member], minlength=size)
            lonely = np.zeros(len(ids), dtype=bool)
            lonely[member] = hidden_in_set[ids[member]] == 1
            candidates = np.flatnonzero(lonely & ~off & (people > 0))
            if not len(candidates):
                continue
            order = np.lexsort((candidates, people[candidates], ids[candidates]))
            candidates = candidates[order]
            first = np.r_[True, ids[candidates][1:] != ids[candidates][:-1]]
            secondary[candidates[first]] = True
            changed = True
    return secondary
