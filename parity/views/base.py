"""What every view model is made of: the selection (filters applied once), headline figures,
tables as data, and protected metrics tables.

A view model holds only what a reader may see: every table in it has been through the
privacy rule, every sentence was built from protected figures.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Concatenate, Protocol, TypeVar

import numpy as np
import pandas as pd

from parity.filters import FilterState
from parity.i18n import N_, N_plural, _
from parity.metrics import latest_year, parity_table
from parity.privacy import HIDDEN, HIDDEN_TEXT, UNPUBLISHED, PrivacyRule
from parity.reference import Reference
from parity.wording import GOAL_YEAR, count, plural


@dataclass(frozen=True)
class Selection:
    """A FilterState applied to the analysis frame once per request.

    ``frame`` is the part of the analysis frame the entity filter can reach (one entity's slice);
    ``filters`` has its year resolved (the latest with anyone in the selection); the masks over
    ``frame`` are the selection in every year, in its year, and in every year up to it."""

    frame: pd.DataFrame
    filters: FilterState
    any_year: np.ndarray
    in_year: np.ndarray
    through_year: np.ndarray

    @classmethod
    def of(cls, frame: pd.DataFrame, filters: FilterState) -> Selection:
        rows = filters.entity_rows(frame)
        any_year = filters.mask(rows, use_year=False)
        year = filters.year if filters.year is not None else latest_year(rows, any_year)
        years = rows["year"].to_numpy()
        in_year = any_year & (years == year) if year is not None else any_year & False
        through = any_year & (years <= year) if year is not None else any_year
        return cls(rows, filters.with_year(year), any_year, in_year, through)

    @property
    def year(self) -> int | None:
        return self.filters.year

    @property
    def scope(self) -> str:
        """The selection in words, without the year."""
        return self.filters.describe(with_year=False)

    @property
    def scope_year(self) -> str:
        """The selection in words, with the year."""
        return self.filters.describe()


def headline_selection(
    sel: Selection, key: str, reference: Reference, rule: PrivacyRule
) -> Selection:
    """The selection the headline speaks of: the named scope ``key`` (the organisation's
    headline scope, PARITY_HEADLINE_SCOPE) within the selection when the selection names no
    scope or grade of its own; else the selection itself. In public, the scope only where the
    publication holds it (alone and by entity): a duty station's Professional staff are not
    one of its tables, so the station's headline stays over all its staff."""
    filters = sel.filters
    if not key or key == "all" or filters.scope or filters.grade:
        return sel
    scoped = Selection.of(sel.frame, replace(filters, scope=key).resolved(reference))
    if rule.active:
        total = protected_table(scoped, [], scoped.in_year, rule, reference)
        if not total.empty and total[HIDDEN].iloc[0] == UNPUBLISHED:
            return sel
    return scoped


V = TypeVar("V")
V_co = TypeVar("V_co", covariant=True)


class SelectionView(Protocol[V_co]):
    """A view as pages, briefings and the view cache call it."""

    def __call__(
        self,
        frame: pd.DataFrame,
        filters: FilterState,
        rule: PrivacyRule,
        reference: Reference,
        *,
        selection: Selection | None = None,
        **options: Any,
    ) -> V_co: ...


def selection_view(
    build: Callable[Concatenate[Selection, PrivacyRule, Reference, ...], V],
) -> SelectionView[V]:
    """``build(sel, rule, reference, **options)`` as a view of ``(frame, filters, rule,
    reference, *, selection=None, **options)``: the Selection of the frame and the filters made
    here, unless the caller passes one to share among views (a briefing's). The view keeps
    ``build``'s name, module and qualified name: the view cache keys on them."""

    @functools.wraps(build)
    def view(
        frame: pd.DataFrame,
        filters: FilterState,
        rule: PrivacyRule,
        reference: Reference,
        *,
        selection: Selection | None = None,
        **options: Any,
    ) -> V:
        return build(selection or Selection.of(frame, filters), rule, reference, **options)

    return view


@dataclass(frozen=True)
class Stat:
    """A headline figure: its label, its value as shown, a note under it, and the anchor of its
    definition."""

    label: str
    value: str
    note: str
    anchor: str


@dataclass(frozen=True)
class Column:
    """A column of a table: its key in the rows, its header in a reader's words, and its kind
    (how it is formatted): text, count, share, pp, status, year, rate, ratio, words."""

    key: str
    header: str
    kind: str = "text"
    description: str = ""

    def translated(self) -> Column:
        """The column with its header and description in the request's language (they are
        written with ``N_`` in the modules' tables of columns)."""
        return replace(
            self,
            header=_(self.header),
            description=_(self.description) if self.description else "",
        )


@dataclass(frozen=True)
class Table:
    """A table as data: protected rows (withheld cells empty, ``hidden`` says why), the
    columns to show, a title and a note on what is withheld."""

    title: str
    columns: tuple[Column, ...]
    rows: pd.DataFrame
    note: str = ""
    empty: str = N_("No one matches this selection.")
    id: str = ""

    def __post_init__(self) -> None:
        # a table is made for one request: its headers and its empty message in its language
        object.__setattr__(self, "columns", tuple(c.translated() for c in self.columns))
        object.__setattr__(self, "empty", _(self.empty))

    def records(self) -> list[dict[str, object]]:
        """The rows as plain records (for a data grid): numbers as numbers, withheld cells None,
        and ``hidden_text`` saying what a withheld cell stands for."""
        from parity.output import records

        keys = [c.key for c in self.columns]
        if HIDDEN_TEXT in self.rows:
            keys.append(HIDDEN_TEXT)
        return records(self.rows[[k for k in keys if k in self.rows]])

    def export(self, rule: PrivacyRule) -> pd.DataFrame:
        """The table as a file holds it: columns headed in words, statuses in words, withheld
        cells empty and a Note column saying why (when any row is withheld), numbers as
        numbers. ``attrs["kinds"]`` maps each header to its kind, for number formats."""
        from parity.wording import status_words

        out = pd.DataFrame(index=self.rows.index)
        kinds: dict[str, str] = {}
        for column in self.columns:
            values = self.rows.get(column.key, None)
            if column.kind == "status" and values is not None:
                women = self.rows.get("women", pd.Series(None, index=self.rows.index))
                men = self.rows.get("men", pd.Series(None, index=self.rows.index))
                values = pd.Series(
                    [
                        None if s is None or s != s else status_words(s, w, m)
                        for s, w, m in zip(values, women, men, strict=True)
                    ],
                    index=values.index,
                )
            if column.kind == "words" and values is not None:  # a year among words: a number
                values = values.map(lambda v: int(v) if isinstance(v, str) and v.isdigit() else v)
            out[column.header] = values
            kinds[column.header] = column.kind
        hidden = self.rows.get(HIDDEN, None)
        if hidden is not None and hidden.notna().any() and "note" not in self.rows:
            out[_("Note")] = [rule.reason(h) for h in hidden]
        out = out.reset_index(drop=True)
        out.attrs["kinds"] = kinds
        return out


@dataclass(frozen=True)
class Chart:
    """What a chart draws: its data (shown rows), its title and a note on what is left out."""

    data: pd.DataFrame
    title: str
    note: str = ""
    extra: dict[str, object] = field(default_factory=dict)


def protected_table(
    sel: Selection,
    dims: Sequence[str],
    mask: np.ndarray,
    rule: PrivacyRule,
    reference: Reference,
    *,
    where: Mapping[str, Sequence[str]] | None = None,
) -> pd.DataFrame:
    """Every parity metric per group of ``dims`` over the rows of the selection in ``mask``,
    under the privacy rule: in public, each group as the publication has it (shown, withheld or
    not public). ``where``: conditions beyond the selection's filters that ``mask`` applies
    (the grades of a scope, say), so that the publication is asked for the right group. A
    table over several years without ``year`` among its dimensions is a sum over years, which
    nothing publishes."""
    table = parity_table(sel.frame, dims, mask)
    year = sel.year
    if "year" not in dims and len(table):
        years = np.unique(sel.frame["year"].to_numpy()[mask])
        year = int(years[0]) if len(years) == 1 else None
    return rule.protect(table, dims, filters=sel.filters, year=year, where=where)


AT_PARITY_NOTES = {  # noun -> the note, and the note when some were withheld (whole messages)
    "entity": (
        N_("entities within 47–53% women"),
        N_plural(
            "entities within 47–53% women; {n} not shown, to protect small groups",
            "entities within 47–53% women; {n} not shown, to protect small groups",
        ),
    ),
    "grade": (
        N_("grades within 47–53% women"),
        N_plural(
            "grades within 47–53% women; {n} not shown, to protect small groups",
            "grades within 47–53% women; {n} not shown, to protect small groups",
        ),
    ),
    "station": (
        N_("stations within 47–53% women"),
        N_plural(
            "stations within 47–53% women; {n} not shown, to protect small groups",
            "stations within 47–53% women; {n} not shown, to protect small groups",
        ),
    ),
}


def at_parity_words(table: pd.DataFrame, noun: str) -> tuple[str, str]:
    """'5 of 20' and its note: groups at parity among those shown, and how many were withheld."""
    shown = table[table[HIDDEN].isna() & table["parity_status"].notna()]
    at_parity = int((shown["parity_status"] == "parity").sum())
    withheld = int(table[HIDDEN].notna().sum())
    value = _("{at_parity} of {shown}").format(at_parity=count(at_parity), shown=count(len(shown)))
    note, with_withheld = AT_PARITY_NOTES[noun]
    return value, plural(withheld, *with_withheld) if withheld else _(note)


__all__ = ["GOAL_YEAR", "Chart", "Column", "Selection", "Stat", "Table"]
