"""The public view as one protected publication: a fixed set of linked tables, protected together.

For each year, and for staff and each kind of flow event (appointments, promotions,
separations), the publication holds:

- the total of all entities, and each entity's total;
- every table alone (all entities) and entity × table, where the tables are the dimensions of
  the data (grade, staff category, duty station, country, region, HQ/field, age band, contract
  type, personnel type) and the named scopes that are not a category (Professional and higher,
  D-1 and above, P-5 and above, P-4 and above: parity.scopes);
- in every cell, women, men and other.

Tables come in **families** that share their finest breakdown: a grade and its staff category;
a duty station, its country, region and HQ/field; an age band; a contract type; a personnel
type. Every table of a family is a sum of the family's finest cells (the combinations of its
dimensions found in the data), and families share only the entity totals. So the cells an
attacker could work out from everything published are those a linear program over each
family's finest cells can pin down (parity.privacy.linked), and any selection the publication
does not hold (two families together: a grade at a duty station) is not answered publicly.

Cells are protected in parity.privacy.linked; here the publication is counted (``slabs``),
kept (``Publication``) and read (``Publication.status``): a group of a page is shown when it is
one published cell or a sum of published cells, withheld when any of them is withheld, and not
held when no set of published cells makes it up.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from parity.privacy.slabs import FAMILIES, FAMILY_OF, SCOPE, STAFF, TOTAL, Family

# -- the publication, and the status of a group --------------------------------------------------

SHOWN, WITHHELD, NOT_HELD = "shown", "withheld", "not held"
STATUS_CACHE = 200_000  # groups whose status a slab keeps (a few MB)


@dataclass
class Published:
    """One slab's publication: what the lookup needs (its entities, each family's finest
    combinations) and the withheld cells, by key (table, entity name or None, value), with
    the reason (parity.privacy.SMALL or SECONDARY)."""

    kind: str
    year: int
    entities: list[str]
    tuples: dict[str, list[tuple[str, ...]]]
    scopes: dict[str, frozenset[str]]
    withheld: dict[tuple[str, str | None, str], str]
    entity_tables: frozenset[str] | None = None  # tables published by entity (None: all)
    digest: str = ""  # of the slab it was made from (Slab.digest)
    present: dict[str, list[list[int]]] = field(default_factory=dict)
    """family -> for each entity, the finest combinations it has people in."""

    @cached_property
    def _entity_set(self) -> frozenset[str]:
        return frozenset(self.entities)

    def cells_of(
        self, entities: Sequence[str], conditions: Mapping[str, Iterable[str]]
    ) -> list[tuple[str, str | None, str]] | None:
        """The published cells whose sum is the group (``entities``: empty for all; the
        ``conditions``: dimension -> values kept), or None when no set of cells makes it up."""
        wanted = set(entities)
        if not wanted or wanted >= self._entity_set:
            owners: list[str | None] = [None]
        else:
            owners = list(sorted(wanted & self._entity_set))
            if not owners:
                return []  # no one of these entities in this year: an empty group
        families = {FAMILY_OF[d].name for d in conditions}
        if len(families) > 1:
            return None
        if not families:
            return [(TOTAL, owner, "") for owner in owners]
        name = families.pop()
        tuples = self.tuples[name]
        frozen = tuple(sorted((d, tuple(sorted(set(map(str, v))))) for d, v in conditions.items()))
        kept_index = self._kept(name, frozen)
        if len(kept_index) == len(tuples):
            return [(TOTAL, owner, "") for owner in owners]
        if not kept_index:
            return []
        if owners != [None] and name in self.present:
            # the entities chosen hold everyone of the group: it is the group of all entities
            chosen = set(kept_index)
            holders = {
                self.entities[e]
                for e, held in enumerate(self.present[name])
                if chosen.intersection(held)
            }
            if holders <= wanted:
                owners = [None]
        allowed = None if owners == [None] else self.entity_tables
        blocks = self._blocks(name, frozen, allowed)
        if blocks is None:
            return None
        return [(table, owner, value) for owner in owners for table, value in blocks]

    def _kept(self, name: str, conditions: tuple[tuple[str, tuple[str, ...]], ...]) -> list[int]:
        """The finest combinations of a family a group's conditions keep (kept per slab)."""
        cache = self.__dict__.setdefault("_kept_cache", {})
        key = (name, conditions)
        if key not in cache:
            family = next(f for f in FAMILIES if f.name == name)
            wanted = [(family.dims.index(d), set(v)) for d, v in conditions]
            cache[key] = [
                i
                for i, t in enumerate(self.tuples[name])
                if all(t[position] in values for position, values in wanted)
            ]
        found: list[int] = cache[key]
        return found

    def _blocks(
        self,
        name: str,
        conditions: tuple[tuple[str, tuple[str, ...]], ...],
        allowed: frozenset[str] | None,
    ) -> list[tuple[str, str]] | None:
        """The published cells (table, value) a group's combinations make up (kept per slab)."""
        cache = self.__dict__.setdefault("_blocks_cache", {})
        key = (name, conditions, allowed)
        if key not in cache:
            family = next(f for f in FAMILIES if f.name == name)
            tuples = self.tuples[name]
            kept = [tuples[i] for i in self._kept(name, conditions)]
            usable = allowed is None or SCOPE in allowed
            scopes = self.scopes if name == "grade" and usable else {}
            cache[key] = _decompose(family, tuples, kept, scopes, allowed)
        found: list[tuple[str, str]] | None = cache[key]
        return found

    def status(self, entities: Sequence[str], conditions: Mapping[str, Iterable[str]]) -> str:
        """SHOWN, WITHHELD or NOT_HELD (kept: pages ask the same groups again and again)."""
        cache: dict[Any, str] = self.__dict__.setdefault("_status_cache", {})
        key = (tuple(entities), tuple(sorted((d, tuple(v)) for d, v in conditions.items())))
        found = cache.get(key)
        if found is None:
            cells = self.cells_of(entities, conditions)
            if cells is None:
                found = NOT_HELD
            else:
                found = WITHHELD if any(c in self.withheld for c in cells) else SHOWN
            if len(cache) > STATUS_CACHE:
                cache.clear()
            cache[key] = found
        return found


def _decompose(
    family: Family,
    tuples: list[tuple[str, ...]],
    kept: list[tuple[str, ...]],
    scopes: Mapping[str, frozenset[str]],
    allowed: frozenset[str] | None = None,
) -> list[tuple[str, str]] | None:
    """The fewest published cells (table, value) of one table whose sum is the ``kept``
    combinations: a scope that is exactly them, else the coarsest table of the family (of the
    ``allowed`` tables: None, any) whose cells they fill whole; None when none does."""
    chosen = set(kept)
    if scopes:
        position = family.dims.index("grade")
        for key, grades in scopes.items():
            if {t for t in tuples if t[position] in grades} == chosen:
                return [(SCOPE, key)]
    best: list[tuple[str, str]] | None = None
    for position, dim in enumerate(family.dims):
        if allowed is not None and dim not in allowed:
            continue
        touched = {t[position] for t in kept}
        whole = all(t in chosen for t in tuples if t[position] in touched)
        if whole and (best is None or len(touched) < len(best)):
            best = [(dim, value) for value in sorted(touched)]
    return best


@dataclass
class Publication:
    """The protected publication of a store: every slab's withheld cells. Made by
    parity.privacy.linked.protect; read by the views through the privacy rule."""

    min_cell: int
    slabs: dict[tuple[str, int], Published]
    stats: dict[str, Any] = field(default_factory=dict)

    def published(self, kind: str, year: int) -> Published | None:
        return self.slabs.get((kind, int(year)))

    def status(
        self,
        year: int,
        entities: Sequence[str],
        conditions: Mapping[str, Iterable[str]],
        kind: str = STAFF,
    ) -> str:
        """SHOWN, WITHHELD or NOT_HELD for the group of ``entities`` (empty: all) and
        ``conditions`` in ``year`` (a year with no one of this kind: an empty group, shown)."""
        found = self.published(kind, year)
        if found is None:
            return SHOWN
        return found.status(entities, {d: tuple(v) for d, v in conditions.items() if v})

    # -- kept on disk beside the frames (parity.framecache) as JSON --------------------------
    def to_json(self) -> dict[str, Any]:
        return {
            "min_cell": self.min_cell,
            "stats": self.stats,
            "slabs": [
                {
                    "kind": p.kind,
                    "year": p.year,
                    "entities": p.entities,
                    "tuples": {k: [list(t) for t in v] for k, v in p.tuples.items()},
                    "scopes": {k: sorted(v) for k, v in p.scopes.items()},
                    "withheld": [[t, e, v, r] for (t, e, v), r in p.withheld.items()],
                    "entity_tables": None if p.entity_tables is None else sorted(p.entity_tables),
                    "digest": p.digest,
                    "present": p.present,
                }
                for p in self.slabs.values()
            ],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Publication:
        slabs = {}
        for s in data["slabs"]:
            published = Published(
                kind=str(s["kind"]),
                year=int(s["year"]),
                entities=[str(e) for e in s["entities"]],
                tuples={k: [tuple(t) for t in v] for k, v in s["tuples"].items()},
                scopes={k: frozenset(v) for k, v in s["scopes"].items()},
                withheld={(t, e, v): r for t, e, v, r in s["withheld"]},
                entity_tables=None
                if s.get("entity_tables") is None
                else frozenset(s["entity_tables"]),
                digest=str(s.get("digest", "")),
                present={
                    k: [list(map(int, e)) for e in v] for k, v in s.get("present", {}).items()
                },
            )
            slabs[(published.kind, published.year)] = published
        return cls(int(data["min_cell"]), slabs, dict(data.get("stats", {})))
