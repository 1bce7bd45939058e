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

4. **Coincidences** (parity.privacy.coincidence): where the data make a cell of one family hold
   exactly the people of a withheld cell of another, or a shown cell less a small group equal
   another shown cell (all of a nationality's staff but one entity's at one duty station), the
   shown cell is withheld too.

The linear programs treat counts as real numbers (the usual relaxation: an attacker with whole
numbers knows the same ranges, rounded inward); the families are independent given the entity
totals, so their finest cells are all an attacker could reconstruct.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from parity.privacy import PrivacyRule
from parity.privacy.coincidence import guard_coincidences
from parity.privacy.guards import guard_least_squares, release, release_totals
from parity.privacy.programs import Layout
from parity.privacy.publication import Publication, Published
from parity.privacy.ranges import audit
from parity.privacy.relations import SHOWN_FROM, TRIES, Relations
from parity.privacy.slabs import ALL, STAFF, Slab, cells, slabs
from parity.reference import Reference

SMALL, SECONDARY = "small", "secondary"  # as parity.privacy's
RULES = 2
"""The protection's rules, numbered: a publication kept by rules of another number is made again
(2: nationality for all entities only, and the coincidence guard)."""


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
        closure = Relations(table)
        protected = small.copy()  # cells that must not be the one withheld in a relation
        closure.run(withheld, protected)
        layout = Layout(slab, table)
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
        guard_least_squares(layout, closure, withheld, protected, small)
        lp_solved += release_totals(layout, closure, withheld, small, min_cell)
        lp_solved += release(layout, withheld, small)
        guard_coincidences(slab, table, closure, withheld, protected, small)
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
            named(slab, table.keys[i]): SMALL if small[i] else SECONDARY
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


def named(slab: Slab, key: tuple[str, int, str]) -> tuple[str, str | None, str]:
    table, entity, value = key
    return table, None if entity == ALL else slab.entities[entity], value


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
