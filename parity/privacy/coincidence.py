"""Cells of different tables that hold the same people (parity.privacy.linked's last step).

The audit (parity.privacy.ranges) treats each family of tables (grades, duty stations,
nationalities, ...) as its own breakdown of each entity's people, tied to the others by the
entities' totals only. The data can tie them closer: in one year every national of Nepal may
work for two entities, all of one entity's at one duty station, so that "Nepal" (a nationality)
less "Kabul" (a duty station) is the other entity's Nepalese, two people. A reader who knows how
the two breakdowns meet (a colleague, say) reads them off two shown cells.

So, over the data's own cells (every dimension at once, slabs.Microcells), each published cell
is the set of people it holds, and:

1. a cell that holds exactly the people of a withheld cell is withheld too;
2. where a shown cell less a withheld small group is another shown cell, that other cell is
   withheld (the difference is then no longer one subtraction away),

each such cell with a partner in every relation it is in (parity.privacy.relations: else it
would be its relation's total less its shown cells), until neither rule finds anything.

Sets are compared by signatures: the sums of random whole-number weights of their data cells
(two of them, exact in floating point), equal for equal sets and, short of a chance of about one
in 2^64, for no others. Only cells are withheld here, never shown: the audit's ranges only
widen.
"""

from __future__ import annotations

import numpy as np

from parity.privacy.relations import Relations
from parity.privacy.slabs import ALL, SCOPE, TOTAL, Cells, Slab

WEIGHT_BITS = 32  # a data cell's weight: below 2^32, so that sums of a million stay exact


def signatures(slab: Slab, table: Cells) -> np.ndarray:
    """Each cell's signature (a complex number: two weighted sums) of the data cells it holds."""
    micro = slab.microcells
    assert micro is not None
    n = len(micro.entity)
    weights = np.random.default_rng(2028).integers(1, 2**WEIGHT_BITS, size=(2, n)).astype(float)
    weights[:, micro.counts.sum(axis=1) == 0] = 0.0  # an empty data cell holds no one
    found = np.zeros(len(table.keys), dtype=complex)
    entities = len(slab.entities)

    def put(name: str, block: np.ndarray, values: list[str]) -> None:
        """The cells of table ``name``: data cell i is in its value ``block[i]`` (-1: none)."""
        inside = block >= 0
        size = len(values)
        for g in range(2):
            w = np.where(inside, weights[g], 0.0)
            whole = np.bincount(np.where(inside, block, 0), w, minlength=size)
            each = np.bincount(
                np.where(inside, micro.entity * size + block, 0), w, minlength=entities * size
            ).reshape(entities, size)
            for b, value in enumerate(values):
                for e, total in [(ALL, whole[b]), *enumerate(each[:, b].tolist())]:
                    i = table.index.get((name, e, value))
                    if i is not None:
                        found[i] += total if g == 0 else 1j * total

    put(TOTAL, np.zeros(n, dtype=np.int64), [""])
    for family in slab.families.values():
        position = micro.tuples[family.family.name]
        for dim in family.family.dims:
            block, values = family.blocks(dim)
            put(dim, block[position], values)
    grades = micro.tuples["grade"]
    for key in slab.scopes:
        members = slab.scope_members(key)
        put(SCOPE, np.where(members[grades], 0, -1), [key])
    return found


def guard_coincidences(
    slab: Slab,
    table: Cells,
    closure: Relations,
    withheld: np.ndarray,
    protected: np.ndarray,
    small: np.ndarray,
) -> int:
    """Withhold (in ``withheld``, and ``protected``) the published cells the module's two rules
    find, each with a partner in every relation it is in (else it would be the difference of
    its relation's shown cells); returns how many cells the rules chose."""
    if slab.microcells is None or not (small & withheld).any():
        return 0
    sig = signatures(slab, table)
    people = table.people
    added = 0
    while True:
        shown = np.flatnonzero(~withheld & (people > 0))
        order = np.argsort(sig[shown], kind="stable")
        ranked = sig[shown][order]
        found: set[int] = set()
        hidden = set(sig[withheld & (people > 0)].tolist())
        found.update(int(i) for i in shown if sig[i] in hidden)  # 1. the same people
        for target in np.flatnonzero(small & withheld):  # 2. one subtraction away
            rests = sig[shown] - sig[target]
            at = np.minimum(np.searchsorted(ranked, rests), len(ranked) - 1)
            hits = np.flatnonzero(ranked[at] == rests)
            found.update(int(shown[order[at[h]]]) for h in hits)
        if not found:
            return added
        chosen = np.array(sorted(found), dtype=np.int64)
        withheld[chosen] = protected[chosen] = True
        closure.run(withheld, protected)
        added += len(chosen)
