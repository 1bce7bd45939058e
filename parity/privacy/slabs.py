"""The counts of the public publication (parity.privacy.publication): for each year and kind
(staff, or one kind of flow event) a slab — every family's finest cells per entity, women, men
and other — and its cells: every table alone and by entity, and how they add up."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from parity.ingest.contract import EVENTS
from parity.reference import Reference
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
    Family("nationality", ("nationality", "nationality_region", "regional_group")),
)
FAMILY_OF = {dim: family for family in FAMILIES for dim in family.dims}
STAFF_ENTITY_TABLES = frozenset(
    {dim for family in FAMILIES for dim in family.dims if family.name != "nationality"} | {SCOPE}
)
"""The staff tables published entity by entity: all but the nationality family's. An entity's
nationals are few: in the demo data a third of the entity × nationality cells hold 1 to 4 people
(protecting them withheld two thirds of the table, and took some 270 s a year against 2 s
without them); by region of nationality and UN regional group, on the benchmark's million rows,
130 s a year against 2.4 s (some 16 minutes at every import). So nationality, its region and
regional group are published for all entities together (3.7 s a year), and an entity's are for
its signed-in users."""


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
        STAFF_ENTITY_TABLES if kind == STAFF else FLOW_ENTITY_TABLES,
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
