"""After the audit passes (parity.privacy.linked): cells more where a least-squares guess lands
on a small group's figures, and cells back where they protect nothing (totals the audit lets
go, and cells the published ones give anyway)."""

from __future__ import annotations

import os
import sys

import numpy as np
from scipy import sparse

from parity.privacy import programs
from parity.privacy.programs import Layout
from parity.privacy.ranges import audit
from parity.privacy.relations import Relations
from parity.privacy.slabs import ALL, TOTAL
from parity.privacy.solver import TOLERANCE, Solver

LEAST_SQUARES_ROUNDS = 6
"""How many times withheld cells are added so that no small group's least-squares estimate
rounds to its figures."""


def guard_least_squares(
    layout: Layout,
    closure: Relations,
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


def release_totals(
    layout: Layout, closure: Relations, withheld: np.ndarray, small: np.ndarray, min_cell: int
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


def release(layout: Layout, withheld: np.ndarray, small: np.ndarray) -> int:
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
        program = programs.program(layout, withheld, family)
        if not program.unknowns:
            continue
        solver = Solver(program)
        for cell in cells_of_family:
            columns, _constant = programs.members(layout, program, cell)
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
