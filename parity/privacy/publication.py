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

import numpy as np
import pandas as pd

from parity.reference import Reference
from parity.schema import EVENTS
from parity.scopes import PUBLISHED_SCOPES, scope

ALL = -1
"""The entity index of a cell of all entities."""
TOTAL, SCOPE = "total", "scope"
"""The table of totals (value ''), and of the named scopes (value: the scope's key)."""
STAFF = "staff"
KINDS = (STAFF, *EVENTS)
"""Staff, and each kind of flow event: each a publication of its own."""
FLOW_ENTITY_TABLES = frozenset({"category", "location", SCOPE})
"""The tables of flow events published entity by entity (every table is published for all
entities together). Events are few: at entity × grade, four in ten cells of the demo data's
appointments hold 1 to 4, and protecting them withheld three quarters of the table (and took
minutes at each import); so an entity's flows are published by staff category, scope and
HQ/field, and finer breakdowns are for signed-in users of the entity."""


@dataclass(frozen=True)
class Family:
    """Tables that share their finest breakdown: the combinations of ``dims`` in the data."""

    name: str
    dims: tuple[str, ...]


FAMILIES = (
    Family("grade", ("grade", "category")),
    Family("station", ("duty_station", "country", "region", "location")),
    Family("age_band", ("age_band",)),
    Family("contract_type", ("contract_type",)),
    Family("personnel_type", ("personnel_type",)),
)
FAMILY_OF = {dim: family for family in FAMILIES for dim in family.dims}


@dataclass
class FamilyCounts:
    """One family in one slab: its finest combinations (``tuples``, values '' where missing)
    and the people of each entity in each (``counts``: entities × tuples × women/men/other)."""

    family: Family
    tuples: list[tuple[str, ...]]
    counts: np.ndarray

    def blocks(self, dim: str) -> tuple[np.ndarray, list[str]]:
        """The partition of the tuples by ``dim``: each tuple's block, and the blocks' values."""
        position = self.family.dims.index(dim)
        values = sorted({t[position] for t in self.tuples})
        index = {v: i for i, v in enumerate(values)}
        return np.array([index[t[position]] for t in self.tuples], dtype=np.int64), values


@dataclass
class Microcells:
    """The data's own cells of a slab (one per combination of every dimension but gender): each
    one's entity, its combination in each family, and its women, men and other."""

    entity: np.ndarray
    tuples: dict[str, np.ndarray]
    counts: np.ndarray


@dataclass
class Slab:
    """The counts of one year of one kind (staff, or one event): what is published together."""

    kind: str
    year: int
    entities: list[str]
    families: dict[str, FamilyCounts]
    scopes: dict[str, frozenset[str]]  # published scope -> its grades
    entity_tables: frozenset[str] | None = None  # tables published by entity (None: all)
    microcells: Microcells | None = None

    @cached_property
    def digest(self) -> str:
        """What the slab's protection depends on: its entities, combinations and counts."""
        import hashlib

        text = hashlib.sha256()
        text.update(repr((self.kind, self.year, self.entities, sorted(self.scopes.items()),
                          sorted(self.entity_tables or ()))).encode())  # fmt: skip
        for name in sorted(self.families):
            family = self.families[name]
            text.update(repr(family.tuples).encode())
            text.update(np.ascontiguousarray(family.counts).tobytes())
        return text.hexdigest()

    def by_entity(self, table: str) -> bool:
        return self.entity_tables is None or table in self.entity_tables

    @cached_property
    def totals(self) -> np.ndarray:
        """Each entity's women, men, other (entities × 3)."""
        first = next(iter(self.families.values()))
        return first.counts.sum(axis=1)

    def scope_members(self, key: str) -> np.ndarray:
        """Which tuples of the grade family a scope holds."""
        grades = self.scopes[key]
        position = FAMILY_OF["grade"].dims.index("grade")
        return np.array([t[position] in grades for t in self.families["grade"].tuples], bool)


def slabs(
    frame: pd.DataFrame, reference: Reference, kind: str = STAFF, count: str = "headcount"
) -> list[Slab]:
    """The slabs of an analysis frame (staff), or of a flows frame (one per event): one per year
    with anyone in it."""
    if frame.empty:
        return []
    years = frame["year"].to_numpy()
    genders = frame["gender"].cat.codes.to_numpy().astype(np.int64)
    counts = frame[count].to_numpy().astype(np.int64)
    entity_codes = frame["entity"].cat.codes.to_numpy().astype(np.int64)
    entity_names = [str(e) for e in frame["entity"].cat.categories]
    codes = {
        dim: frame[dim].cat.codes.to_numpy().astype(np.int64)
        for family in FAMILIES
        for dim in family.dims
    }
    labels = {
        dim: np.array(["", *(str(c) for c in frame[dim].cat.categories)], dtype=object)
        for family in FAMILIES
        for dim in family.dims
    }
    scopes = {key: frozenset(scope(key).grades(reference)) for key in PUBLISHED_SCOPES}
    kinds = [(kind, np.ones(len(frame), bool))]
    if "event" in frame:
        events = frame["event"].astype(str).to_numpy()
        kinds = [(event, events == event) for event in EVENTS]
    out = []
    for name, of_kind in kinds:
        for year in sorted(set(years[of_kind & (counts > 0)].tolist())):
            rows = of_kind & (years == year) & (counts > 0) & (genders >= 0)
            out.append(
                _slab(name, int(year), rows, entity_codes, entity_names, genders, counts,
                      codes, labels, scopes)
            )  # fmt: skip
    return out


def _slab(
    kind: str,
    year: int,
    rows: np.ndarray,
    entity_codes: np.ndarray,
    entity_names: list[str],
    genders: np.ndarray,
    counts: np.ndarray,
    codes: Mapping[str, np.ndarray],
    labels: Mapping[str, np.ndarray],
    scopes: dict[str, frozenset[str]],
) -> Slab:
    present, entity = np.unique(entity_codes[rows], return_inverse=True)
    gender, people = genders[rows], counts[rows]
    families = {}
    tuple_of_row: dict[str, np.ndarray] = {}
    for family in FAMILIES:
        parts = [codes[d][rows] + 1 for d in family.dims]  # 0: missing
        sizes = [len(labels[d]) for d in family.dims]
        key = np.zeros(len(people), dtype=np.int64)
        for part, size in zip(parts, sizes, strict=True):
            key = key * size + part
        found, tuple_index = np.unique(key, return_inverse=True)
        decoded = []
        for value in found.tolist():
            combination = []
            for dim, size in zip(reversed(family.dims), reversed(sizes), strict=True):
                combination.append(str(labels[dim][value % size]))
                value //= size
            decoded.append(tuple(reversed(combination)))
        flat = (entity * len(found) + tuple_index) * 3 + gender
        cells = np.bincount(flat, weights=people, minlength=len(present) * len(found) * 3)
        families[family.name] = FamilyCounts(
            family, decoded, cells.astype(np.int64).reshape(len(present), len(found), 3)
        )
        tuple_of_row[family.name] = tuple_index.astype(np.int64)
    # the data's own cells (every dimension but gender): what an attacker could solve for
    key = entity.astype(np.int64)
    for family in FAMILIES:
        width = len(families[family.name].tuples)
        key = key * width + tuple_of_row[family.name]
    _found, micro = np.unique(key, return_inverse=True)
    first = np.zeros(len(_found), dtype=np.int64)
    first[micro[::-1]] = np.arange(len(micro))[::-1]
    micro_counts = np.bincount(micro * 3 + gender, weights=people, minlength=len(_found) * 3)
    microcells = Microcells(
        entity=entity[first].astype(np.int64),
        tuples={name: index[first] for name, index in tuple_of_row.items()},
        counts=micro_counts.astype(np.int64).reshape(len(_found), 3),
    )
    return Slab(
        kind,
        year,
        [entity_names[i] for i in present],
        families,
        scopes,
        None if kind == STAFF else FLOW_ENTITY_TABLES,
        microcells,
    )


# -- the cells of a slab, and how they add up ----------------------------------------------------


@dataclass
class Cells:
    """Every nonzero cell of a slab's tables: its key (table, entity index or ALL, value) and its
    women, men and other; and the relations among them (a cell = the sum of others)."""

    keys: list[tuple[str, int, str]]
    counts: np.ndarray  # cells × 3
    relations: list[tuple[int, np.ndarray]]  # (parent, children)
    index: dict[tuple[str, int, str], int] = field(default_factory=dict)

    @property
    def people(self) -> np.ndarray:
        return self.counts.sum(axis=1)


def cells(slab: Slab) -> Cells:
    """The cells of every table of the slab, and their relations: each entity's total (and the
    total of all) is the sum of each table's cells; a table's cell of all entities is the sum
    of the entities' cells; a coarser table's cell is the sum of the finer table's cells inside
    it (a country of its duty stations, a staff category of its grades), and a scope's cell the
    sum of its grades'. Zero cells are left out: they are published as empty."""
    keys: list[tuple[str, int, str]] = []
    parts: list[np.ndarray] = []
    index: dict[tuple[str, int, str], int] = {}

    def add(table: str, entities: Iterable[int], value: str, values: np.ndarray) -> None:
        for entity, count in zip(entities, values, strict=True):
            if count.sum() > 0:
                index[(table, entity, value)] = len(keys)
                keys.append((table, entity, value))
                parts.append(count)

    n = len(slab.entities)
    everyone = list(range(n))
    totals = slab.totals
    add(TOTAL, [ALL], "", totals.sum(axis=0, keepdims=True))
    add(TOTAL, everyone, "", totals)
    partitions: list[tuple[str, np.ndarray, list[str], str]] = []  # table, blocks, values, family
    for family in slab.families.values():
        for dim in family.family.dims:
            block, values = family.blocks(dim)
            onehot = np.zeros((len(family.tuples), len(values)), dtype=np.int64)
            onehot[np.arange(len(family.tuples)), block] = 1
            per_entity = np.einsum("eug,ub->ebg", family.counts, onehot)
            for b, value in enumerate(values):
                add(dim, [ALL], value, per_entity[:, b, :].sum(axis=0, keepdims=True))
                if slab.by_entity(dim):
                    add(dim, everyone, value, per_entity[:, b, :])
            partitions.append((dim, block, values, family.family.name))
    grade_family = slab.families["grade"]
    for key in slab.scopes:
        members = slab.scope_members(key)
        per_entity = grade_family.counts[:, members, :].sum(axis=1)
        add(SCOPE, [ALL], key, per_entity.sum(axis=0, keepdims=True))
        if slab.by_entity(SCOPE):
            add(SCOPE, everyone, key, per_entity)

    relations: list[tuple[int, np.ndarray]] = []

    def relate(parent: tuple[str, int, str], children: Iterable[tuple[str, int, str]]) -> None:
        if parent not in index:
            return
        found = [index[c] for c in children if c in index]
        if found:
            relations.append((index[parent], np.array(found, dtype=np.int64)))

    for table, _block, values, _family in partitions:
        for entity in [ALL, *everyone]:
            relate((TOTAL, entity, ""), [(table, entity, v) for v in values])
        for value in values:
            relate((table, ALL, value), [(table, e, value) for e in everyone])
    relate((TOTAL, ALL, ""), [(TOTAL, e, "") for e in everyone])
    for coarse, coarse_block, coarse_values, family_name in partitions:
        for fine, fine_block, fine_values, other in partitions:
            if fine == coarse or other != family_name:
                continue
            inside = _refines(fine_block, coarse_block)
            if inside is None:
                continue
            for c, value in enumerate(coarse_values):
                held = [fine_values[f] for f, parent in inside.items() if parent == c]
                for entity in [ALL, *everyone]:
                    relate((coarse, entity, value), [(fine, entity, m) for m in held])
    grade_block, grade_values = grade_family.blocks("grade")
    for key in slab.scopes:
        grades = sorted({grade_values[b] for b in grade_block[slab.scope_members(key)]})
        for entity in [ALL, *everyone]:
            relate((SCOPE, entity, key), [("grade", entity, g) for g in grades])
        relate((SCOPE, ALL, key), [(SCOPE, e, key) for e in everyone])
    counts = np.array(parts, dtype=np.int64).reshape(len(parts), 3)
    return Cells(keys, counts, relations, index)


def _refines(fine: np.ndarray, coarse: np.ndarray) -> dict[int, int] | None:
    """fine block -> the coarse block holding it, when every fine block lies in one coarse
    block (and the partitions differ); else None."""
    inside: dict[int, int] = {}
    for f, c in zip(fine.tolist(), coarse.tolist(), strict=True):
        if inside.setdefault(f, c) != c:
            return None
    if len(set(inside.values())) == len(inside):
        return None  # the same partition (one fine block per coarse block)
    return inside


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
