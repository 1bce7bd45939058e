"""The small-cell rule of public mode: no group of 1 to min_cell - 1 people can be seen or worked
out, from any page, file or briefing, alone or together.

The public view is one protected publication (parity.privacy.publication): for each year, every
table alone and entity × table, protected together (parity.privacy.linked) so that no withheld
small group can be derived from everything published. Every public figure is read from it:
``PrivacyRule.protect`` marks each group of a page's table as shown (a published cell, or a sum
of published cells: its exact figures), withheld (it rests on a withheld cell) or not public (no
set of published cells makes it up: a grade at a duty station, say, is for signed-in users of
the entity). Withheld groups read alike whether they are small or withheld to protect a small
one ("not shown"): telling them apart would tell an attacker which are small.

The rule is a required argument wherever figures are made for people to read: there is no
default. ``PrivacyRule(0)`` gives exact figures (the data holders' command line, and focal points
for their own entities); an active rule needs its publication.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from parity.filters import FilterState
from parity.i18n import N_plural, _
from parity.ingest.contract import DIMENSIONS
from parity.metrics import COUNT_COLUMNS, DERIVED_COLUMNS
from parity.wording import plural

if TYPE_CHECKING:
    from parity.privacy.publication import Publication

HIDDEN = "hidden"
"""Column of a protected table: None when shown; ``SMALL`` or ``SECONDARY`` when withheld,
``UNPUBLISHED`` when the public tables do not hold the group."""
HIDDEN_TEXT = "hidden_text"
"""Column of a protected table: what a withheld cell reads as ("not shown", "not public")."""
SMALL, SECONDARY, UNPUBLISHED = "small", "secondary", "unpublished"
FILTER_DIMENSIONS = tuple(d for d in DIMENSIONS if d != "entity")
"""The dimensions a group of the publication is selected by (besides entity and year)."""
ROW_STATUSES = 500_000  # rows of pages' tables whose public status is kept (some tens of MB)
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
    """The minimum cell size in force: groups of 1 to ``min_cell - 1`` people are withheld,
    with the cells the ``publication`` withholds to protect them. ``min_cell`` 0 (or 1) shows
    every figure exactly."""

    min_cell: int
    publication: Publication | None = field(default=None, compare=False, repr=False)

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
        if hidden in (SMALL, SECONDARY):
            return _("Not shown, to protect small groups (fewer than {n} people)").format(
                n=self.min_cell
            )
        if hidden == UNPUBLISHED:
            return _("Not in the public tables: for signed-in users of the entity")
        return ""

    def status(
        self,
        year: int | None,
        entities: Sequence[str],
        conditions: Mapping[str, Sequence[str]],
        kind: str = "staff",
    ) -> str:
        """Whether the public may see a group (publication.SHOWN, WITHHELD or NOT_HELD): the
        people of ``entities`` (none: all) and ``conditions`` (dimension -> values) in
        ``year``, of ``kind`` (staff, or a flow event)."""
        from parity.privacy.publication import NOT_HELD, SHOWN

        if not self.active:
            return SHOWN
        if self.publication is None:
            raise ValueError("the public rule needs its publication (parity.privacy.linked)")
        if year is None:
            return NOT_HELD
        return self.publication.status(int(year), entities, conditions, kind)

    def protect(
        self,
        table: pd.DataFrame,
        dims: Sequence[str],
        *,
        filters: FilterState | None = None,
        year: int | None = None,
        where: Mapping[str, Sequence[str]] | None = None,
        kind: str = "staff",
        also: Sequence[str] = (),
    ) -> pd.DataFrame:
        """A copy of a metrics table (one row per group of ``dims``, with women, men, other) with
        a ``hidden`` column and every figure of hidden rows blanked: counts become <NA>, shares
        and gaps NaN, statuses None, and so do the ``also`` columns.

        Each row is the group of the selection (``filters``, a FilterState; ``where``: more
        conditions the table's rows were selected by) and the row's values of ``dims``, in its
        ``year`` (or the row's, when ``year`` is a dimension): the publication says whether it
        is shown."""
        from parity.privacy.publication import NOT_HELD, WITHHELD

        out = table.copy()
        people = _people(out)
        hidden = np.full(len(out), None, dtype=object)
        if self.active and len(out):
            base = _conditions(filters, where)
            base_key = tuple(sorted(base.items()))
            entities = tuple(getattr(filters, "entity", ()) or ())
            named = [d for d in dims if d in FILTER_DIMENSIONS and d in out]
            columns = [out[d].tolist() for d in named]
            years = out["year"].tolist() if "year" in dims and "year" in out else None
            owners_of = out["entity"].tolist() if "entity" in dims and "entity" in out else None
            # a page asks the same groups again and again: their status is kept with the
            # publication (whose state it is), bounded
            known = self._statuses()
            for i in range(len(out)):
                row_year = years[i] if years is not None else year
                owners = (str(owners_of[i]),) if owners_of is not None else entities
                values = tuple(column[i] for column in columns)
                key = (kind, row_year, owners, base_key, tuple(named), values)
                status = known.get(key)
                if status is None:
                    conditions = dict(base)
                    for dim, value in zip(named, values, strict=True):
                        conditions[dim] = ("" if _missing(value) else str(value),)
                    asked = None if row_year is None or _missing(row_year) else int(row_year)
                    status = self.status(asked, owners, conditions, kind)
                    if len(known) > ROW_STATUSES:
                        known.clear()
                    known[key] = status
                if status == WITHHELD:
                    hidden[i] = SMALL if self.is_small(int(people[i])) else SECONDARY
                elif status == NOT_HELD:
                    hidden[i] = UNPUBLISHED
        out[HIDDEN] = hidden
        not_shown, not_public = _("not shown"), _("not public")
        out[HIDDEN_TEXT] = [
            not_public if h == UNPUBLISHED else not_shown if h is not None else None for h in hidden
        ]
        withheld = pd.notna(out[HIDDEN]).to_numpy(dtype=bool)
        for column in (*COUNT_COLUMNS, *DERIVED_COLUMNS, *also):
            if column not in out:
                continue
            if column in COUNT_COLUMNS or column.endswith(("_needed", "_50_50")):
                out[column] = out[column].astype("Int64").mask(withheld)
            elif out[column].dtype == object or isinstance(out[column].dtype, pd.StringDtype):
                out[column] = out[column].astype(object).where(~withheld, None)
            else:
                out[column] = out[column].astype(float).where(~withheld, np.nan)
        return out

    def _statuses(self) -> dict[Any, str]:
        if self.publication is None:
            return {}
        found: dict[Any, str] = self.publication.__dict__.setdefault("_row_statuses", {})
        return found

    def note(self, table: pd.DataFrame, noun: str = "group") -> str:
        """'2 grades not shown, to protect small groups (fewer than 5 people)'; the groups the
        public tables do not hold are counted apart; empty when nothing is hidden."""
        if HIDDEN not in table or table.empty:
            return ""
        withheld = int(table[HIDDEN].isin([SMALL, SECONDARY]).sum())
        unpublished = int((table[HIDDEN] == UNPUBLISHED).sum())
        parts = []
        if withheld:
            parts.append(
                _("{withheld}, to protect small groups (fewer than {n} people)").format(
                    withheld=plural(withheld, *NOT_SHOWN[noun]), n=self.min_cell
                )
            )
        if unpublished:
            parts.append(
                _(
                    "{withheld}: this combination is not in the public tables (signed-in users "
                    "of the entity see it)"
                ).format(withheld=plural(unpublished, *NOT_SHOWN[noun]))
            )
        return "; ".join(parts)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA


def _conditions(
    filters: FilterState | None, where: Mapping[str, Sequence[str]] | None
) -> dict[str, tuple[str, ...]]:
    """The conditions of a selection besides entity and year: its filters, and ``where``."""
    conditions: dict[str, tuple[str, ...]] = {}
    for dim in FILTER_DIMENSIONS:
        values = tuple(getattr(filters, dim, ()) or ()) if filters is not None else ()
        if values:
            conditions[dim] = tuple(str(v) for v in values)
    for dim, given in (where or {}).items():
        wanted = tuple(str(v) for v in given)
        if dim in conditions:
            wanted = tuple(v for v in conditions[dim] if v in set(wanted))
        conditions[dim] = wanted
    return conditions


def shown(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of a protected table that are shown."""
    if HIDDEN not in table:
        return table
    return table[table[HIDDEN].isna()]


def _people(table: pd.DataFrame) -> np.ndarray:
    if "total" in table:
        return table["total"].to_numpy(dtype=np.int64)
    other = table.get("other", 0)
    return (table["women"] + table["men"] + other).to_numpy(dtype=np.int64)
