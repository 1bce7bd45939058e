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


class _Attacker:
    """What an attacker knows of one layout: each cell over the finest nonzero cells, each
    entity's total family by family, and that the families of one entity hold the same people
    (an identity the attacker knows, whatever is withheld)."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        nonzero = np.flatnonzero(layout.nonzero)
        self.cell_rows = layout.incidence[:, nonzero].tocsr()
        self.totals = layout.totals[:, nonzero].tocsr()
        self.owners = np.array(layout.total_owner)
        self.base_rows = np.flatnonzero(layout.total_family == 0)
        self.identity = [
            self.totals[np.flatnonzero(layout.total_family == f)] - self.totals[self.base_rows]
            for f in range(1, len(layout.families))
        ]
        self.grand = layout.table.index.get((TOTAL, ALL, ""))

    def system(self, withheld: np.ndarray) -> tuple[sparse.csr_matrix, np.ndarray]:
        """The equations the published cells give (women and men), over the finest cells."""
        layout, table = self.layout, self.layout.table
        published = np.flatnonzero(~withheld & (table.people > 0) & ~layout.is_total)
        pieces = [self.cell_rows[published], *self.identity]
        right = [
            table.counts[published, :2].astype(float),
            *[np.zeros((i.shape[0], 2)) for i in self.identity],
        ]
        for e in range(len(layout.slab.entities)):
            cell = layout.total_cell[e]
            if cell >= 0 and not withheld[cell]:
                rows = np.flatnonzero(self.owners == e)
                pieces.append(self.totals[rows])
                right.append(np.repeat(table.counts[cell, :2][None, :].astype(float), len(rows), 0))
        if self.grand is not None and not withheld[self.grand]:
            for f in range(len(layout.families)):
                family_totals = self.totals[layout.total_family == f].sum(axis=0)
                pieces.append(sparse.csr_matrix(family_totals))
                right.append(table.counts[self.grand, :2][None, :].astype(float))
        return sparse.vstack(pieces).tocsr(), np.vstack(right)

    def estimates(self, withheld: np.ndarray) -> np.ndarray:
        """Every cell's women and men at the least-squares solution of least norm."""
        from scipy.sparse.linalg import lsqr

        layout = self.layout
        matrix, right = self.system(withheld)
        estimates = np.zeros((len(layout.table.keys), 2))
        for g in range(2):
            solution = lsqr(matrix, right[:, g], atol=1e-12, btol=1e-12, iter_lim=20_000)[0]
            estimates[:, g] = self.cell_rows @ solution
            entity_totals = self.totals[self.base_rows] @ solution  # by each first family
            owners = self.owners[self.base_rows].tolist()
            for e, value in zip(owners, entity_totals.tolist(), strict=True):
                if layout.total_cell[e] >= 0:
                    estimates[layout.total_cell[e], g] = value
            if self.grand is not None:
                estimates[self.grand, g] = float(entity_totals.sum())
        return estimates


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
    table = layout.table
    if not (small & withheld).any():
        return
    attacker = _Attacker(layout)
    for _round in range(LEAST_SQUARES_ROUNDS):
        estimates = attacker.estimates(withheld)
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
