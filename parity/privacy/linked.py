"""Linked-table protection of the public publication (parity.privacy.publication): which cells
to withhold so that no small group can be worked out from everything published together.

As statistics offices protect a fixed set of published tables (tau-ARGUS, sdcTable):

1. **Primary suppression**: a cell of 1 to ``min_cell`` − 1 people is withheld.
2. **Secondary suppression**, by relations: wherever a cell is the sum of others (a total of a
   table's cells, all entities of each entity's, a country of its duty stations…), a small
   cell withheld alone among them would be the difference of the others; so another is
   withheld with it: the smallest child cell, preferring cells of one entity and of fewer than
   ``SHOWN_FROM`` people (a group that size should stay visible). Repeated until no relation
   has a small cell withheld alone. (A cell withheld to protect another may itself be worked
   out: it is no small group; the audit below counts what it gives away.)
3. **The audit**: for every withheld small cell, the lowest and highest counts consistent with
   every published cell, found by two linear programs (HiGHS, through scipy) over the unknown
   finest cells of each family (see publication.py), separately for women, men and other: its
   people must span at least 0 to ``min_cell`` (it could be empty, or a group large enough to
   show), and its women, its men and its other must each be able to be 0 (no one in it can be
   said to be a woman, a man or of another gender). A count of zero is not protected: a small
   group of a published group with no men has no men either. A cell that
   fails takes one more cell with it (the best of those it is related to, else of those related
   to them), and the relations and the audit run again, until every small cell passes. More
   withheld cells only widen the ranges, so a cell that passed is not audited again.

The linear programs treat counts as real numbers (the usual relaxation: an attacker with whole
numbers knows the same ranges, rounded inward); the families are independent given the entity
totals, so their finest cells are all an attacker could reconstruct.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from parity.privacy import PrivacyRule
from parity.privacy.publication import (
    ALL,
    SCOPE,
    STAFF,
    TOTAL,
    Cells,
    Publication,
    Published,
    Slab,
    cells,
    slabs,
)
from parity.reference import Reference

SMALL, SECONDARY = "small", "secondary"  # as parity.privacy's
SHOWN_FROM = 100
"""A cell of this many people or more is withheld only when nothing smaller will do."""
TOLERANCE = 1e-6
TRIES = 12
"""How many cells around a small cell that fails the audit are considered."""


def protect(
    frame: pd.DataFrame,
    flows: pd.DataFrame | None,
    reference: Reference,
    min_cell: int,
    earlier: Publication | None = None,
) -> Publication:
    """The protected publication of the staff ``frame`` and the ``flows`` frame (None: none).
    A slab whose counts are those of a slab of ``earlier`` (a publication of the same rule:
    after an import of one entity's year, every other year) keeps that slab's protection."""
    parts = slabs(frame, reference)
    if flows is not None and not flows.empty:
        parts += slabs(flows, reference, kind="flows", count="count")
    reused: dict[str, Published] = {}
    if earlier is not None and earlier.min_cell == min_cell:
        reused = {p.digest: p for p in earlier.slabs.values() if p.digest}
    todo = [slab for slab in parts if slab.digest not in reused]
    made = dict(zip((s.digest for s in todo), _protect_all(todo, min_cell), strict=True))
    published: dict[tuple[str, int], Published] = {}
    stats: dict[str, Any] = {"tables": {}, "lp_solved": 0, "slabs": len(parts),
                             "slabs_reused": len(parts) - len(todo)}  # fmt: skip
    for slab in parts:
        if slab.digest in reused:
            published[(slab.kind, slab.year)] = reused[slab.digest]
            continue
        found, slab_stats = made[slab.digest]
        published[(slab.kind, slab.year)] = found
        stats["lp_solved"] += slab_stats["lp_solved"]
        for table, (cells_n, small_n, secondary_n, big_n) in slab_stats["tables"].items():
            row = stats["tables"].setdefault(f"{slab.kind}:{table}", [0, 0, 0, 0])
            for i, value in enumerate((cells_n, small_n, secondary_n, big_n)):
                row[i] += value
    return Publication(min_cell, published, stats)


LOCAL_FROM = 100
"""With more entities than this, a small cell is audited among the nearest entities first."""
PARALLEL_FROM = 8
"""Slabs protected at once, in worker processes, from this many on."""


def _protect_all(parts: list[Slab], min_cell: int) -> Iterator[tuple[Published, dict[str, Any]]]:
    """Each slab protected: in worker processes (one per core) when there are many, the
    slabs being independent; processes are spawned, not forked (a server's threads)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if len(parts) < PARALLEL_FROM or (cores or 1) < 2:
        for slab in parts:
            yield protect_slab(slab, min_cell)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=cores, mp_context=context) as pool:
        # the largest first, so that no worker is left with a long one at the end
        order = sorted(range(len(parts)), key=lambda i: -len(parts[i].entities))
        futures = {i: pool.submit(protect_slab, parts[i], min_cell) for i in order}
        for i in range(len(parts)):
            yield futures[i].result()


def protect_slab(slab: Slab, min_cell: int) -> tuple[Published, dict[str, Any]]:
    """Withhold a slab's small cells and enough others that the audit passes."""
    table = cells(slab)
    people = table.people
    small = (people > 0) & (people < min_cell)
    withheld = small.copy()
    lp_solved = 0
    if min_cell > 1:
        closure = _Closure(table)
        protected = small.copy()  # cells that must not be the one withheld in a relation
        closure.run(withheld, protected)
        layout = _Layout(slab, table)
        holding: dict[int, list[int]] = {}
        failing, solved = audit(layout, withheld, min_cell, binding=holding)
        lp_solved += solved
        while failing:
            for target in failing:
                # the published cells that hold its range, and the cells inside them (one
                # of those withheld frees the sum rather than hiding it)
                held = set(holding.get(target, []))
                around = {c for p in held for c in closure.children[p]} | held
                candidates = sorted(
                    (c for c in around if not withheld[c]), key=lambda c: (closure.score[c], c)
                )[:TRIES]
                if not candidates:  # no equation to relax: try the cells around it
                    candidates = list(closure.partners(target, withheld))
                if not candidates:  # nothing related is published: its entity's cells
                    candidates = closure.same_entity(target, withheld)[:TRIES]
                if not candidates:  # then any published cell, the best first
                    candidates = sorted(
                        np.flatnonzero(~withheld & (people > 0)).tolist(),
                        key=lambda c: (closure.score[c], c),
                    )[:TRIES]
                if not candidates:  # everything is withheld: nothing can be worked out
                    break
                # the best candidate, and what keeps it from being worked out in turn
                withheld[candidates[0]] = protected[candidates[0]] = True
                closure.run(withheld, protected)
            holding = {}
            failing, solved = audit(layout, withheld, min_cell, failing, holding)
            lp_solved += solved
        _guard_least_squares(layout, closure, withheld, protected, small)
        lp_solved += _release_totals(layout, closure, withheld, small, min_cell)
        lp_solved += _release(layout, withheld, small)
    result = Published(
        kind=slab.kind,
        year=slab.year,
        entities=list(slab.entities),
        tuples={name: list(f.tuples) for name, f in slab.families.items()},
        scopes=dict(slab.scopes),
        entity_tables=slab.entity_tables,
        digest=slab.digest,
        present={
            name: [np.flatnonzero(counts.sum(axis=1) > 0).tolist() for counts in f.counts]
            for name, f in slab.families.items()
        },
        withheld={
            _named(slab, table.keys[i]): SMALL if small[i] else SECONDARY
            for i in np.flatnonzero(withheld)
        },
    )
    tables: dict[str, tuple[int, int, int, int]] = {}
    names = np.array([("entity×" if e != ALL else "") + t for t, e, _v in table.keys], dtype=object)
    for name in sorted(set(names.tolist())):
        mine = names == name
        tables[name] = (
            int(mine.sum()),
            int((mine & small).sum()),
            int((mine & withheld & ~small).sum()),
            int((mine & withheld & (people >= SHOWN_FROM)).sum()),
        )
    return result, {"lp_solved": lp_solved, "tables": tables}


def _named(slab: Slab, key: tuple[str, int, str]) -> tuple[str, str | None, str]:
    table, entity, value = key
    return table, None if entity == ALL else slab.entities[entity], value


# -- secondary suppression by relations ----------------------------------------------------------


class _Closure:
    """The relations of a slab's cells, flattened for quick passes."""

    def __init__(self, table: Cells) -> None:
        self.table = table
        relation, member, parent = [], [], []
        for r, (p, children) in enumerate(table.relations):
            relation += [r] * (len(children) + 1)
            member += [p, *children.tolist()]
            parent += [True] + [False] * len(children)
        self.relation = np.array(relation, dtype=np.int64)
        self.member = np.array(member, dtype=np.int64)
        self.is_parent = np.array(parent, dtype=bool)
        people = table.people
        entity_all = np.array([e == ALL for _t, e, _v in table.keys], dtype=bool)
        # a cell holding all its entity's people (or all people) is that total under another
        # name: withholding it withholds the total, and everything that adds up to it
        totals = {e: people[i] for i, (t, e, _v) in enumerate(table.keys) if t == TOTAL}
        whole = np.array(
            [t != TOTAL and people[i] == totals.get(e, -1) for i, (t, e, _v) in
             enumerate(table.keys)],
            dtype=bool,
        )  # fmt: skip
        is_total = np.array([t == TOTAL for t, _e, _v in table.keys], dtype=bool)
        # preference, smallest first: not a total (under any name), fewer than SHOWN_FROM
        # people, one entity's, fewest people
        self.score = (
            (whole | is_total) * 4.0e12
            + (people >= SHOWN_FROM) * 2.0e12
            + entity_all * 1.0e12
            + people
        )
        self.same = [(p, int(c[0])) for p, c in table.relations if len(c) == 1]
        self.of_cell: list[list[int]] = [[] for _ in range(len(people))]
        self.children: list[set[int]] = [set() for _ in range(len(people))]
        for r, (p, children) in enumerate(table.relations):
            self.of_cell[p].append(r)
            self.children[p].update(children.tolist())
            for c in children.tolist():
                self.of_cell[c].append(r)

    def run(self, withheld: np.ndarray, small: np.ndarray) -> None:
        """Until no relation has a ``small`` cell withheld alone: withhold the best other child
        of each such relation (its parent when it has no other). Cells that are one group
        (a relation of one child: an entity's total and its only grade, say) are withheld
        together, whatever withheld one of them."""
        count = len(self.table.relations)
        while count:
            for parent, child in self.same:
                if withheld[parent] != withheld[child]:
                    withheld[parent] = withheld[child] = True
            off = withheld[self.member]
            alone = np.bincount(self.relation, weights=off, minlength=count) == 1
            small_alone = np.bincount(
                self.relation, weights=off & small[self.member], minlength=count
            )
            lonely = alone & (small_alone == 1)
            in_lonely = lonely[self.relation]
            candidates = np.flatnonzero(in_lonely & ~off & ~self.is_parent)
            picks: dict[int, int] = {}
            if len(candidates):
                order = np.lexsort((self.score[self.member[candidates]], self.relation[candidates]))
                ranked = candidates[order]
                first = np.r_[True, self.relation[ranked][1:] != self.relation[ranked][:-1]]
                for index in ranked[first].tolist():
                    picks[int(self.relation[index])] = int(self.member[index])
            for r in np.flatnonzero(lonely).tolist():
                if r not in picks:  # no published child: the parent goes (it equals the rest)
                    parent = self.table.relations[r][0]
                    if not withheld[parent]:
                        picks[r] = parent
            if not picks:
                return
            withheld[list(picks.values())] = True

    def partners(self, target: int, withheld: np.ndarray, tries: int = TRIES) -> Iterator[int]:
        """Published cells to withhold with ``target``, best first, at most ``tries``: the
        cells related to it and to the withheld cells related to it, those related to the most
        of these withheld cells first (they close the cycles along which a withheld cell can
        change without changing any published one), then one entity's cells of fewer than
        SHOWN_FROM people, then the smallest."""
        near = {target}
        for r in self.of_cell[target]:
            parent, children = self.table.relations[r]
            near.update(m for m in (parent, *children.tolist()) if withheld[m])
        links: dict[int, set[int]] = {}
        for cell in near:
            for r in self.of_cell[cell]:
                parent, children = self.table.relations[r]
                for member in (parent, *children.tolist()):
                    if not withheld[member]:
                        links.setdefault(member, set()).add(cell)
        if not links:  # everything around is withheld: the nearest published cells
            links = {c: set() for c in self._nearest(target, withheld)}
        ranked = sorted(links, key=lambda c: (-len(links[c]), self.score[c], c))
        yield from ranked[:tries]

    def group_of(self, cell: int) -> set[int]:
        """The cells that are one group with ``cell`` (linked by relations of one child)."""
        if not hasattr(self, "_same_of"):
            self._same_of: dict[int, set[int]] = {}
            for parent, child in self.same:
                self._same_of.setdefault(parent, set()).add(child)
                self._same_of.setdefault(child, set()).add(parent)
        found, todo = {cell}, [cell]
        while todo:
            for other in self._same_of.get(todo.pop(), ()):
                if other not in found:
                    found.add(other)
                    todo.append(other)
        return found

    def same_entity(self, target: int, withheld: np.ndarray) -> list[int]:
        """The published cells of the target's entity (of all, for a cell of all), best
        first."""
        entity = self.table.keys[target][1]
        found = [
            i for i, (_t, e, _v) in enumerate(self.table.keys) if e == entity and not withheld[i]
        ]
        return sorted(found, key=lambda c: (self.score[c], c))

    def _nearest(self, target: int, withheld: np.ndarray) -> list[int]:
        """The published cells nearest to ``target`` through withheld cells."""
        seen, ring = {target}, [target]
        while ring:
            found: list[int] = []
            following: list[int] = []
            for cell in ring:
                for r in self.of_cell[cell]:
                    parent, children = self.table.relations[r]
                    for member in (parent, *children.tolist()):
                        if member not in seen:
                            seen.add(member)
                            (following if withheld[member] else found).append(member)
            if found:
                return found
            ring = following
        return []


# -- the audit -----------------------------------------------------------------------------------


def _family_of(slab: Slab, dim: str) -> str:
    return next(name for name, f in slab.families.items() if dim in f.family.dims)


class _Layout:
    """A slab's cells as sums of its finest cells, once per slab: one column per (family,
    entity, combination), one incidence row per cell (entity totals: one row per family)."""

    def __init__(self, slab: Slab, table: Cells) -> None:
        self.slab, self.table = slab, table
        n = len(slab.entities)
        offsets, start = {}, 0
        for name, family in slab.families.items():
            offsets[name] = start
            start += n * len(family.tuples)
        self.width = start
        self.offsets = offsets
        self.column_family = np.zeros(start, dtype=np.int64)
        self.column_entity = np.zeros(start, dtype=np.int64)
        self.column_tuple = np.zeros(start, dtype=np.int64)
        self.families = list(slab.families)
        for f, name in enumerate(self.families):
            width = len(slab.families[name].tuples)
            size = n * width
            self.column_family[offsets[name] : offsets[name] + size] = f
            self.column_entity[offsets[name] : offsets[name] + size] = np.arange(size) // width
            self.column_tuple[offsets[name] : offsets[name] + size] = np.arange(size) % width
        self.cell_family = np.full(len(table.keys), -1, dtype=np.int64)  # -1: a total
        finest = np.zeros((start, 3), dtype=np.int64)
        for name, family in slab.families.items():
            size = n * len(family.tuples)
            finest[offsets[name] : offsets[name] + size] = family.counts.reshape(size, 3)
        self.finest = finest
        self.nonzero = finest.sum(axis=1) > 0
        rows: list[int] = []
        cols: list[np.ndarray] = []
        self.is_total = np.zeros(len(table.keys), dtype=bool)
        self.entity = np.array([e for _t, e, _v in table.keys], dtype=np.int64)
        self.partition = np.zeros(len(table.keys), dtype=bool)  # a dimension's cell
        for i, (table_name, entity, value) in enumerate(table.keys):
            if table_name == TOTAL:
                self.is_total[i] = True
                continue
            if table_name == SCOPE:
                name, inside = "grade", np.flatnonzero(slab.scope_members(value))
                self.cell_family[i] = self.families.index(name)
            else:
                name = _family_of(slab, table_name)
                block, values = slab.families[name].blocks(table_name)
                inside = np.flatnonzero(block == values.index(value))
                self.partition[i] = entity != ALL
                self.cell_family[i] = self.families.index(name)
            owners = np.arange(n) if entity == ALL else np.array([entity])
            width = len(slab.families[name].tuples)
            columns = (offsets[name] + owners[:, None] * width + inside[None, :]).ravel()
            rows += [i] * len(columns)
            cols.append(columns)
        data = np.ones(len(rows))
        flat = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
        self.incidence = sparse.csr_matrix(
            (data, (np.array(rows, dtype=np.int64), flat)), shape=(len(table.keys), start)
        )
        # each entity's finest cells, family by family: the entity totals' equations
        total_rows: list[int] = []
        total_cols: list[np.ndarray] = []
        total_family: list[int] = []
        self.total_owner: list[int] = []
        for f, (name, family) in enumerate(slab.families.items()):
            width = len(family.tuples)
            for e in range(n):
                columns = offsets[name] + e * width + np.arange(width)
                total_rows += [len(self.total_owner)] * width
                total_cols.append(columns)
                self.total_owner.append(e)
                total_family.append(f)
        self.total_family = np.array(total_family, dtype=np.int64)
        self.totals = sparse.csr_matrix(
            (np.ones(len(total_rows)), (total_rows, np.concatenate(total_cols))),
            shape=(len(self.total_owner), start),
        )
        self.total_cell = np.array(
            [table.index.get((TOTAL, e, ""), -1) for e in range(n)], dtype=np.int64
        )


@dataclass
class _Program:
    """The linear system of one slab given its withheld cells: unknowns (the finest cells that
    no published cell gives alone, then the withheld entity totals), one equation per published
    cell (and per entity and family), and each cell's expression over the unknowns."""

    matrix: sparse.csc_matrix
    rhs: np.ndarray  # equations × 3 (women, men, other)
    unknown: np.ndarray  # finest columns that are unknowns
    column: np.ndarray  # finest column -> unknown's column, or -1
    total_column: np.ndarray  # entity -> unknown's column (its total withheld), or -1
    row_cell: np.ndarray  # equation -> the published cell it states (-1: none to withhold)

    @property
    def unknowns(self) -> int:
        return int(self.matrix.shape[1])


def _program(
    layout: _Layout,
    withheld: np.ndarray,
    family: int | None = None,
    entities: np.ndarray | None = None,
) -> _Program:
    """The program of every family, or of one (``family``: only when no entity total is
    withheld, the families then sharing nothing); with ``entities``, only their cells are
    unknowns, the others held at their true values: every range it gives lies within the true
    one (a range wide enough there is wide enough)."""
    table, incidence = layout.table, layout.incidence
    nonzero = layout.nonzero.astype(float)
    published = ~withheld
    # a published cell of one entity holding a single nonzero finest cell gives it alone
    alone = published & layout.partition & (incidence @ nonzero == 1)
    known = np.zeros(layout.width, dtype=bool)
    if alone.any():
        given = incidence[alone].multiply(nonzero[None, :]).tocoo()
        known[given.col] = True
    unknown = layout.nonzero & ~known
    if family is not None:
        unknown &= layout.column_family == family
    if entities is not None:
        unknown &= np.isin(layout.column_entity, entities)
    column = np.full(layout.width, -1, dtype=np.int64)
    column[unknown] = np.arange(int(unknown.sum()))
    n = len(layout.slab.entities)
    total_column = np.full(n, -1, dtype=np.int64)
    withheld_totals = [
        e for e in range(n) if layout.total_cell[e] >= 0 and withheld[layout.total_cell[e]]
    ]
    assert family is None or not withheld_totals
    total_column[withheld_totals] = np.arange(len(withheld_totals)) + int(unknown.sum())
    width = int(unknown.sum()) + len(withheld_totals)
    known_counts = layout.finest * (layout.nonzero & ~unknown)[:, None]
    parts, rhs, row_cells = [], [], []
    # the published cells (not the entity totals: those are per family, below)
    rows = np.flatnonzero(published & ~layout.is_total)
    if family is not None:
        rows = rows[layout.cell_family[rows] == family]
    if len(rows):
        block = incidence[rows]
        empty = sparse.csr_matrix((len(rows), len(withheld_totals)))
        a = sparse.hstack([block[:, unknown], empty])
        right = table.counts[rows] - block @ known_counts
        parts.append(a.tocsr())
        rhs.append(right)
        row_cells.append(rows)
    # each entity's total, family by family (a withheld total is an unknown of its own)
    owners = np.array(layout.total_owner, dtype=np.int64)
    totals_matrix = layout.totals
    if family is not None:
        mine = layout.total_family == family
        owners, totals_matrix = owners[mine], totals_matrix[np.flatnonzero(mine)]
    if len(owners):
        a = totals_matrix[:, unknown]
        extra = sparse.csr_matrix(
            (
                -np.ones(int((total_column[owners] >= 0).sum())),
                (
                    np.flatnonzero(total_column[owners] >= 0),
                    total_column[owners][total_column[owners] >= 0] - int(unknown.sum()),
                ),
            ),
            shape=(len(owners), len(withheld_totals)),
        )
        given_totals = layout.slab.totals[owners] * (total_column[owners] < 0)[:, None]
        parts.append(sparse.hstack([a, extra]).tocsr())
        rhs.append(given_totals - totals_matrix @ known_counts)
        row_cells.append(np.where(total_column[owners] < 0, layout.total_cell[owners], -1))
    # the total of all entities, when published and some entity's total is withheld
    grand = table.index.get((TOTAL, ALL, ""))
    if grand is not None and published[grand] and withheld_totals:
        row = np.zeros((1, width))
        row[0, int(unknown.sum()) :] = 1.0
        parts.append(sparse.csr_matrix(row))
        rest = [e for e in range(n) if total_column[e] < 0]
        rhs.append((table.counts[grand] - layout.slab.totals[rest].sum(axis=0))[None, :])
        row_cells.append(np.array([grand]))
    if parts:
        matrix = sparse.vstack(parts).tocsr()
        right = np.vstack(rhs).astype(float)
        cells_of_rows = np.concatenate(row_cells).astype(np.int64)
        used = matrix.getnnz(axis=1) > 0
        matrix, right, cells_of_rows = matrix[used], right[used], cells_of_rows[used]
    else:
        matrix, right = sparse.csr_matrix((0, width)), np.zeros((0, 3))
        cells_of_rows = np.zeros(0, dtype=np.int64)
    return _Program(matrix.tocsc(), right, unknown, column, total_column, cells_of_rows)


def _members(layout: _Layout, program: _Program, cell: int) -> tuple[np.ndarray, np.ndarray]:
    """A cell's unknowns (a column may come more than once), and the women/men/other of its
    known finest cells."""
    table_name, entity, _value = layout.table.keys[cell]
    if table_name == TOTAL:
        n = len(layout.slab.entities)
        owners = np.arange(n) if entity == ALL else np.array([entity])
        columns = program.total_column[owners]
        given = owners[columns < 0]
        return columns[columns >= 0], layout.slab.totals[given].sum(axis=0)
    finest = layout.incidence[cell].indices
    columns = program.column[finest]
    known = finest[(columns < 0) & layout.nonzero[finest]]
    return columns[columns >= 0], layout.finest[known].sum(axis=0)


_QUIET = threading.Lock()
_STARTED: list[bool] = []


def _highs() -> Any:
    """A silent HiGHS instance (the library prints a banner at its first instance in a process,
    to the process's standard output: kept from it)."""
    import highspy

    with _QUIET:
        if _STARTED:
            solver = highspy.Highs()
        else:
            sys.stdout.flush()
            saved = os.dup(1)
            try:
                with open(os.devnull, "w") as devnull:
                    os.dup2(devnull.fileno(), 1)
                    solver = highspy.Highs()
            finally:
                os.dup2(saved, 1)
                os.close(saved)
            _STARTED.append(True)
    solver.setOptionValue("output_flag", False)
    # each program is solved again and again with another objective: its last basis stays
    # feasible, which the primal simplex starts from (three times quicker than the default)
    solver.setOptionValue("presolve", "off")
    solver.setOptionValue("simplex_strategy", 4)
    return solver


class _Solver:
    """One HiGHS model per gender of a program, solved again for each objective (warm start)."""

    def __init__(self, program: _Program) -> None:
        import highspy

        self.highspy = highspy
        self.program = program
        self.models = []
        self.cost: list[np.ndarray] = []
        matrix = program.matrix
        for g in range(3):
            model = _highs()
            lp = highspy.HighsLp()
            lp.num_col_, lp.num_row_ = matrix.shape[1], matrix.shape[0]
            lp.col_cost_ = np.zeros(matrix.shape[1])
            lp.col_lower_ = np.zeros(matrix.shape[1])
            lp.col_upper_ = np.full(matrix.shape[1], highspy.kHighsInf)
            lp.row_lower_ = program.rhs[:, g].copy()
            lp.row_upper_ = program.rhs[:, g].copy()
            lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
            lp.a_matrix_.start_ = matrix.indptr.astype(np.int32)
            lp.a_matrix_.index_ = matrix.indices.astype(np.int32)
            lp.a_matrix_.value_ = matrix.data.astype(float)
            lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = matrix.shape[1], matrix.shape[0]
            model.passModel(lp)
            self.models.append(model)
            self.cost.append(np.zeros(0, dtype=np.int32))
        self.solved = 0
        self.last: Any = None

    def binding(self) -> np.ndarray:
        """The equations holding the last optimum where it is (nonzero duals)."""
        duals = np.asarray(self.last.getSolution().row_dual, dtype=float)
        return np.flatnonzero(np.abs(duals) > TOLERANCE)

    def extreme(self, g: int, columns: np.ndarray, maximize: bool) -> float:
        """The least (or greatest) sum of ``columns`` in gender ``g``'s system."""
        highspy, model = self.highspy, self.models[g]
        previous = self.cost[g]
        if len(previous):
            model.changeColsCost(len(previous), previous, np.zeros(len(previous)))
        wanted = np.unique(columns).astype(np.int32)
        weights = np.bincount(columns, minlength=int(columns.max()) + 1)[wanted].astype(float)
        model.changeColsCost(len(wanted), wanted, weights)
        self.cost[g] = wanted
        sense = highspy.ObjSense.kMaximize if maximize else highspy.ObjSense.kMinimize
        model.changeObjectiveSense(sense)
        model.run()
        self.solved += 1
        status = model.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            self.last = model
            return float(model.getInfo().objective_function_value)
        if status in (highspy.HighsModelStatus.kUnbounded,
                      highspy.HighsModelStatus.kUnboundedOrInfeasible) and maximize:  # fmt: skip
            return np.inf
        # the true counts are a solution: anything else is a numerical failure
        raise RuntimeError(f"the audit's linear program failed: {status}")


def audit(
    layout: _Layout,
    withheld: np.ndarray,
    min_cell: int,
    targets: list[int] | None = None,
    binding: dict[int, list[int]] | None = None,
) -> tuple[list[int], int]:
    """The withheld small cells whose range an attacker could narrow (see the module's
    docstring), and how many linear programs it took; with ``binding``, for each failing cell
    the published cells holding its range (see _protected)."""
    people = layout.table.people
    if targets is None:
        targets = np.flatnonzero(withheld & (people > 0) & (people < min_cell)).tolist()
    if not targets:
        return [], 0
    totals_withheld = bool((withheld[layout.total_cell[layout.total_cell >= 0]]).any())
    groups: dict[int | None, list[int]] = {}
    for target in targets:
        family = None if totals_withheld else int(layout.cell_family[target])
        groups.setdefault(None if family == -1 else family, []).append(target)
    failing, solved = [], 0
    for family, members in groups.items():
        whole: tuple[_Program, _Solver | None] | None = None  # made only when needed
        local: dict[tuple[int, ...], tuple[_Program, _Solver | None]] = {}
        seen: dict[tuple[int, ...], bool] = {}
        for target in members:
            # cells of the same finest cells (a country of one duty station) are one group
            key = (
                (-1, *layout.table.keys[target][1:2])
                if layout.is_total[target]
                else tuple(layout.incidence[target].indices.tolist())
            )
            if key in seen:
                if not seen[key]:
                    failing.append(target)
                continue
            ok = False
            if whole is None and family is not None and len(layout.slab.entities) > LOCAL_FROM:
                # among the nearest entities only first: quicker than the whole family's
                near = _neighbourhood(layout, withheld, target, family)
                if near not in local:
                    program = _program(layout, withheld, family, np.array(near))
                    local[near] = (program, _Solver(program) if program.unknowns else None)
                ok = _protected(layout, *local[near], target, min_cell)
            if not ok:
                if whole is None:
                    program = _program(layout, withheld, family)
                    whole = (program, _Solver(program) if program.unknowns else None)
                held: list[int] | None = [] if binding is not None else None
                ok = _protected(layout, *whole, target, min_cell, held)
                if binding is not None and held is not None:
                    binding[target] = [c for c in held if c >= 0]
            seen[key] = ok
            if not ok:
                failing.append(target)
        for _unused, solver in [*local.values(), *([whole] if whole else [])]:
            solved += solver.solved if solver is not None else 0
    return failing, solved


LEAST_SQUARES_ROUNDS = 6
"""How many times withheld cells are added so that no small group's least-squares estimate
rounds to its figures."""


def _guard_least_squares(
    layout: _Layout,
    closure: _Closure,
    withheld: np.ndarray,
    protected: np.ndarray,
    small: np.ndarray,
) -> None:
    """An attacker who cannot pin a small group down may still guess it: the least-squares
    solution of every published cell (the one of least norm, over each family's finest cells,
    the families tied by the entities' totals) gives an estimate of each withheld group. Where
    that estimate rounds to a small group's women and men, one more cell around it is withheld,
    until none does: a guess that lands by chance is still a disclosure to whoever checks it."""
    from scipy.sparse.linalg import lsqr

    table = layout.table
    if not (small & withheld).any():
        return
    nonzero = np.flatnonzero(layout.nonzero)
    column = np.full(layout.width, -1, dtype=np.int64)
    column[nonzero] = np.arange(len(nonzero))
    cell_rows = layout.incidence[:, nonzero].tocsr()  # each cell over the finest cells
    # each entity's finest cells, family by family: its total; the families of one entity hold
    # the same people (an identity the attacker knows, whatever is withheld)
    totals = layout.totals[:, nonzero].tocsr()
    owners = np.array(layout.total_owner)
    first_family = layout.total_family == 0
    identity = []
    for f in range(1, len(layout.families)):
        mine = np.flatnonzero(layout.total_family == f)
        base = np.flatnonzero(first_family)
        identity.append(totals[mine] - totals[base])
    estimates = np.zeros((len(table.keys), 2))
    for _round in range(LEAST_SQUARES_ROUNDS):
        published = np.flatnonzero(~withheld & (table.people > 0) & ~layout.is_total)
        pieces = [cell_rows[published], *identity]
        right_w = [
            table.counts[published, :2].astype(float),
            *[np.zeros((i.shape[0], 2)) for i in identity],
        ]
        for e in range(len(layout.slab.entities)):
            cell = layout.total_cell[e]
            if cell >= 0 and not withheld[cell]:
                rows = np.flatnonzero(owners == e)
                pieces.append(totals[rows])
                right_w.append(
                    np.repeat(table.counts[cell, :2][None, :].astype(float), len(rows), 0)
                )
        grand = table.index.get((TOTAL, ALL, ""))
        if grand is not None and not withheld[grand]:
            for f in range(len(layout.families)):
                pieces.append(sparse.csr_matrix(totals[layout.total_family == f].sum(axis=0)))
                right_w.append(table.counts[grand, :2][None, :].astype(float))
        matrix = sparse.vstack(pieces).tocsr()
        right = np.vstack(right_w)
        base_rows = np.flatnonzero(first_family)
        for g in range(2):
            solution = lsqr(matrix, right[:, g], atol=1e-12, btol=1e-12, iter_lim=20_000)[0]
            estimates[:, g] = cell_rows @ solution
            entity_totals = totals[base_rows] @ solution  # each entity, by its first family
            for e, value in zip(owners[base_rows].tolist(), entity_totals.tolist(), strict=True):
                if layout.total_cell[e] >= 0:
                    estimates[layout.total_cell[e], g] = value
            if grand is not None:
                estimates[grand, g] = float(entity_totals.sum())
        guessed = [
            t
            for t in np.flatnonzero(small & withheld).tolist()
            if round(estimates[t, 0]) == table.counts[t, 0]
            and round(estimates[t, 1]) == table.counts[t, 1]
        ]
        if os.environ.get("PARITY_DEBUG_LSQ"):
            print("lsq round", _round, len(guessed), int(withheld.sum()), file=sys.stderr)
        if not guessed:
            return
        for target in guessed:
            around = sorted(closure.partners(target, withheld), key=lambda c: (closure.score[c], c))
            candidate = around[0] if around else None
            if candidate is None:
                candidate = next(iter(closure.same_entity(target, withheld)), None)
            if candidate is None:
                continue
            withheld[candidate] = protected[candidate] = True
        closure.run(withheld, protected)


def _release_totals(
    layout: _Layout, closure: _Closure, withheld: np.ndarray, small: np.ndarray, min_cell: int
) -> int:
    """Publish again, when the audit still passes without them, the totals withheld to protect
    others (the total of all first, then each entity's, the largest first), with the cells that
    are the same group: the figures readers need most. A greedy choice around a tiny entity can
    withhold them when other cells would have done; the linear programs it took."""
    totals = [i for i, key in enumerate(layout.table.keys) if key[0] == TOTAL]
    order = sorted(
        (i for i in totals if withheld[i] and not small[i]),
        key=lambda i: (layout.table.keys[i][1] != ALL, -int(layout.table.people[i])),
    )
    solved = 0
    for cell in order:
        group = closure.group_of(cell)
        trial = withheld.copy()
        trial[list(group)] = False
        trial |= small  # a small cell stays withheld, whatever it is the same group as
        failing, count = audit(layout, trial, min_cell)
        solved += count
        if not failing:
            withheld[:] = trial
    return solved


def _release(layout: _Layout, withheld: np.ndarray, small: np.ndarray) -> int:
    """Publish again the cells withheld to protect others whose counts the published cells
    give anyway (a total less the other shown parts): their figures add nothing an attacker
    lacks, and readers get them. The linear programs it took."""
    secondary = np.flatnonzero(withheld & ~small)
    if not len(secondary):
        return 0
    totals_withheld = bool(withheld[layout.total_cell[layout.total_cell >= 0]].any())
    groups: dict[int | None, list[int]] = {}
    for cell in secondary.tolist():
        family = None if totals_withheld else int(layout.cell_family[cell])
        groups.setdefault(None if family == -1 else family, []).append(cell)
    released, solved = [], 0
    for family, cells_of_family in groups.items():
        program = _program(layout, withheld, family)
        if not program.unknowns:
            continue
        solver = _Solver(program)
        for cell in cells_of_family:
            columns, _constant = _members(layout, program, cell)
            if not len(columns):
                released.append(cell)  # its finest cells are all known
                continue
            fixed = True
            for g in range(3):
                low = solver.extreme(g, columns, maximize=False)
                high = solver.extreme(g, columns, maximize=True)
                if high - low > TOLERANCE:
                    fixed = False
                    break
            if fixed:
                released.append(cell)
        solved += solver.solved
    withheld[released] = False
    return solved


def _neighbourhood(
    layout: _Layout, withheld: np.ndarray, target: int, family: int
) -> tuple[int, ...]:
    """The entities whose withheld cells of the family share a finest combination with the
    target (its own entity's, and the other entities' along its cells of all entities)."""
    tuples = np.unique(layout.column_tuple[layout.incidence[target].indices])
    mine = {int(layout.entity[target])} if layout.entity[target] != ALL else set()
    cells = np.flatnonzero(withheld & (layout.cell_family == family) & (layout.entity != ALL))
    if len(cells):
        block = layout.incidence[cells]
        hit = np.isin(layout.column_tuple[block.indices], tuples)
        rows = np.repeat(np.arange(len(cells)), np.diff(block.indptr))[hit]
        mine.update(layout.entity[cells[np.unique(rows)]].tolist())
    return tuple(sorted(mine))


def _protected(
    layout: _Layout,
    program: _Program,
    solver: _Solver | None,
    target: int,
    min_cell: int,
    binding: list[int] | None = None,
) -> bool:
    """Whether a withheld small cell's people span 0 to min_cell and its women, men and other
    can each be 0, over every solution of the program. When not, the published cells that hold
    the failing bound where it is are added to ``binding`` (withholding one relaxes it)."""
    columns, constant = _members(layout, program, target)
    low = constant.astype(float).copy()
    high = constant.astype(float).copy()
    if solver is None or not len(columns):
        return bool((low <= TOLERANCE).all() and high.sum() >= min_cell - TOLERANCE)
    for g in range(3):
        low[g] += solver.extreme(g, columns, maximize=False)
        if low[g] > TOLERANCE:
            if binding is not None:
                binding += program.row_cell[solver.binding()].tolist()
            return False
    for g in range(3):
        high[g] += solver.extreme(g, columns, maximize=True)
        if binding is not None and np.isfinite(high[g]):
            binding += program.row_cell[solver.binding()].tolist()
        if high.sum() >= min_cell - TOLERANCE:
            return True
    return False


def _covers(bounds: tuple[float, float], top: int) -> bool:
    """Whether a range spans at least 0 to ``top``."""
    low, high = bounds
    return low <= TOLERANCE and high >= top - TOLERANCE


def iter_withheld(
    publication: Publication,
) -> Iterator[tuple[str, int, tuple[str, str | None, str], str]]:
    """Every withheld cell of a publication: (kind, year, key, reason)."""
    for (kind, year), published in publication.slabs.items():
        for key, reason in published.withheld.items():
            yield kind, year, key, reason


__all__ = [
    "SHOWN_FROM",
    "STAFF",
    "audit",
    "iter_withheld",
    "protect",
    "protect_slab",
    "public_rule",
]


def public_rule(
    frame: pd.DataFrame, flows: pd.DataFrame | None, reference: Reference, min_cell: int
) -> PrivacyRule:
    """The public rule of ``min_cell`` with the publication of these frames (protected here:
    a store's is kept beside its frames, parity.framecache.publication); exact figures for
    ``min_cell`` 0 or 1."""
    if min_cell <= 1:
        return PrivacyRule(min_cell)
    return PrivacyRule(min_cell, publication=protect(frame, flows, reference, min_cell))
