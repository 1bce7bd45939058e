"""One FilterState decides which rows a view covers, and how to say so in words.

Every page, export and CLI command goes through it: ``mask(frame)`` turns the selection into a
boolean row mask (on categorical codes, so it costs a few milliseconds on a million rows),
``describe()`` turns it into the words used in titles and captions, and ``to_query`` /
``from_query`` make it a bookmarkable URL.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from urllib.parse import parse_qs, urlencode

import numpy as np
import pandas as pd

from parity.errors import ParityError
from parity.i18n import N_, _
from parity.ingest.contract import DIMENSIONS
from parity.reference import Reference
from parity.scopes import scope as named_scope
from parity.scopes import scope_keys
from parity.wording import count, listing

# How a selection of each dimension is named in a description (one value, several), and how
# many values are listed before "and N more". None: the values alone.
_LABELS: dict[str, tuple[str, str] | None] = {
    "entity": None,
    "grade": (N_("grade {values}"), N_("grades {values}")),
    "category": None,
    "duty_station": None,
    "country": None,
    "region": None,
    "location": None,
    "age_band": (N_("age {values}"), N_("ages {values}")),
    "contract_type": (N_("contract {values}"), N_("contracts {values}")),
    "personnel_type": None,
    "nationality": (N_("nationals of {values}"), N_("nationals of {values}")),
    "nationality_region": (N_("nationals of {values}"), N_("nationals of {values}")),
    "regional_group": (N_("{values} Group"), N_("{values} Groups")),
}
_LISTED = 3


def _listing(values: tuple[str, ...]) -> str:
    shown = list(values[:_LISTED])
    if len(values) > _LISTED:
        return _("{values} and {n} more").format(
            values=", ".join(shown), n=count(len(values) - _LISTED)
        )
    return listing(shown)


@dataclass(frozen=True)
class FilterState:
    """A selection: one optional year and, per dimension, the values kept (empty = all)."""

    year: int | None = None
    entity: tuple[str, ...] = ()
    grade: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    duty_station: tuple[str, ...] = ()
    country: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    location: tuple[str, ...] = ()
    age_band: tuple[str, ...] = ()
    contract_type: tuple[str, ...] = ()
    personnel_type: tuple[str, ...] = ()
    nationality: tuple[str, ...] = ()
    nationality_region: tuple[str, ...] = ()
    regional_group: tuple[str, ...] = ()
    scope: str = ""  # a named scope's key (parity.scopes): its grades, named as a whole

    def selections(self) -> dict[str, tuple[str, ...]]:
        """The dimensions with a selection, in a stable order."""
        return {d: getattr(self, d) for d in DIMENSIONS if getattr(self, d)}

    def with_year(self, year: int | None) -> FilterState:
        return replace(self, year=year)

    def without_year(self) -> FilterState:
        return replace(self, year=None)

    def resolved(self, reference: Reference) -> FilterState:
        """The selection with its named scope's grades as its grade selection (within the
        grades already chosen, if any): what the rows, the public rule and the views read. The
        scope's name stays, for the words."""
        if not self.scope:
            return self
        grades = named_scope(self.scope).grades(reference)
        if self.grade:
            grades = [g for g in grades if g in self.grade]
        return replace(self, grade=tuple(grades))

    # -- rows -------------------------------------------------------------------------------
    def mask(self, frame: pd.DataFrame, *, use_year: bool = True) -> np.ndarray:
        """Boolean mask of the rows in the selection. A value absent from the data matches
        nothing (so a selection of only unknown values gives an empty view, not everything)."""
        keep = np.ones(len(frame), dtype=bool)
        if use_year and self.year is not None:
            keep &= frame["year"].to_numpy() == self.year
        for dimension, values in self.selections().items():
            column = frame[dimension]
            categories = column.cat.categories
            lookup = np.zeros(len(categories) + 1, dtype=bool)  # last slot: missing (-1)
            positions = categories.get_indexer(pd.Index(list(values)))
            lookup[positions[positions >= 0]] = True
            keep &= lookup[column.cat.codes.to_numpy()]
        return keep

    def history_mask(self, frame: pd.DataFrame) -> np.ndarray:
        """Rows of the selection in every year up to the filter's year (every year when none):
        what trends, projections and plans read."""
        keep = self.mask(frame, use_year=False)
        if self.year is not None:
            keep &= frame["year"].to_numpy() <= self.year
        return keep

    def entity_rows(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The part of ``frame`` that can match the entity filter: the frame itself without one;
        with one, its slice of the frame (the analysis frame is sorted by entity, then year, so
        an entity's rows are contiguous) and nothing else is read."""
        if not self.entity or frame.attrs.get("sorted_by") != ("entity", "year"):
            return frame
        column = frame["entity"]
        codes = column.cat.codes.to_numpy()
        wanted = np.sort(column.cat.categories.get_indexer(pd.Index(list(self.entity))))
        wanted = wanted[wanted >= 0]
        starts = np.searchsorted(codes, wanted, side="left")
        ends = np.searchsorted(codes, wanted, side="right")
        if len(wanted) == 0:
            return frame.iloc[0:0]
        if len(wanted) == 1:
            return frame.iloc[int(starts[0]) : int(ends[0])]
        rows = np.concatenate([np.arange(a, b) for a, b in zip(starts, ends, strict=True)])
        return frame.take(rows)

    # -- words ------------------------------------------------------------------------------
    def describe(self, *, with_year: bool = True) -> str:
        """The selection in words, e.g. ``WFP, field duty stations, grades P-4 and P-5, 2025``."""
        parts = []
        selected = self.selections()
        parts.append(_listing(selected["entity"]) if "entity" in selected else _("all entities"))
        for dimension, values in selected.items():
            if dimension == "entity" or (dimension == "grade" and self.scope):
                continue
            if dimension == "location":
                if len(values) == 1:
                    parts.append(
                        _("HQ duty stations") if values[0] == "HQ" else _("field duty stations")
                    )
                continue
            label = _LABELS[dimension]
            if label is None:
                parts.append(_listing(values))
            else:
                words = label[0] if len(values) == 1 else label[1]
                parts.append(_(words).format(values=_listing(values)))
        if self.scope:
            parts.insert(1, _(named_scope(self.scope).label))
        if with_year and self.year is not None:
            parts.append(str(self.year))
        return ", ".join(parts)

    # -- URL --------------------------------------------------------------------------------
    def to_query(self) -> str:
        """A query string (without '?'): ``year=2025&entity=A&entity=B``; empty for no filter."""
        pairs: list[tuple[str, str]] = []
        if self.year is not None:
            pairs.append(("year", str(self.year)))
        for dimension, values in self.selections().items():
            if dimension == "grade" and self.scope:
                continue  # the scope names them
            pairs.extend((dimension, v) for v in values)
        if self.scope:
            pairs.append(("scope", self.scope))
        return urlencode(pairs)

    @classmethod
    def from_query(cls, query: str) -> FilterState:
        """Inverse of ``to_query``; unknown keys and a malformed year are ignored."""
        parsed = parse_qs(query.lstrip("?"), keep_blank_values=False)
        return cls.from_mapping(parsed, strict=False)

    @classmethod
    def from_mapping(
        cls, selection: Mapping[str, Iterable[str]], *, strict: bool = True
    ) -> FilterState:
        names = {f.name for f in fields(cls)}
        values: dict[str, object] = {}
        for key, raw in selection.items():
            items = [str(v) for v in raw]
            if key not in names:
                if strict:
                    raise ParityError(
                        f"unknown filter {key!r}; choose from year, scope, {', '.join(DIMENSIONS)}"
                    )
                continue
            if key == "scope":
                chosen = items[-1] if items else ""
                if chosen and chosen not in scope_keys():
                    if strict:
                        raise ParityError(
                            f"unknown scope {chosen!r}; choose from {', '.join(scope_keys())}"
                        )
                    continue
                values["scope"] = chosen
            elif key == "year":
                try:
                    values["year"] = int(items[-1]) if items else None
                except ValueError:
                    if strict:
                        raise ParityError(
                            f"year must be a whole number, not {items[-1]!r}"
                        ) from None
                    continue
            else:
                values[key] = tuple(dict.fromkeys(items))
        return cls(**values)  # type: ignore[arg-type]

    @classmethod
    def from_where(cls, conditions: Iterable[str], year: int | None = None) -> FilterState:
        """From CLI ``--where DIM=VALUE`` conditions (repeat a dimension to keep several values)."""
        selection: dict[str, list[str]] = {}
        for condition in conditions:
            key, sep, value = condition.partition("=")
            if not sep or not key.strip() or not value.strip():
                raise ParityError(f"--where expects DIM=VALUE, not {condition!r}")
            selection.setdefault(key.strip().lower(), []).append(value.strip())
        if year is not None:
            selection["year"] = [str(year)]
        return cls.from_mapping(selection)
