"""The audit of withheld small cells (parity.privacy.linked): the lowest and highest counts
every solution of the published cells allows; a withheld small cell is protected when its people
span 0 to the minimum cell size and its women, men and other can each be none."""

from __future__ import annotations

import numpy as np

from parity.privacy import programs
from parity.privacy.programs import Layout, Program
from parity.privacy.slabs import ALL
from parity.privacy.solver import TOLERANCE, Solver

LOCAL_FROM = 100
"""With more entities than this, a small cell is audited among the nearest entities first."""


def audit(
    layout: Layout,
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
    for family, chosen in groups.items():
        whole: tuple[Program, Solver | None] | None = None  # made only when needed
        local: dict[tuple[int, ...], tuple[Program, Solver | None]] = {}
        seen: dict[tuple[int, ...], bool] = {}
        for target in chosen:
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
                near = neighbourhood(layout, withheld, target, family)
                if near not in local:
                    program = programs.program(layout, withheld, family, np.array(near))
                    local[near] = (program, Solver(program) if program.unknowns else None)
                ok = protected(layout, *local[near], target, min_cell)
            if not ok:
                if whole is None:
                    program = programs.program(layout, withheld, family)
                    whole = (program, Solver(program) if program.unknowns else None)
                held: list[int] | None = [] if binding is not None else None
                ok = protected(layout, *whole, target, min_cell, held)
                if binding is not None and held is not None:
                    binding[target] = [c for c in held if c >= 0]
            seen[key] = ok
            if not ok:
                failing.append(target)
        for _unused, solver in [*local.values(), *([whole] if whole else [])]:
            solved += solver.solved if solver is not None else 0
    return failing, solved


def neighbourhood(
    layout: Layout, withheld: np.ndarray, target: int, family: int
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


def protected(
    layout: Layout,
    program: Program,
    solver: Solver | None,
    target: int,
    min_cell: int,
    binding: list[int] | None = None,
) -> bool:
    """Whether a withheld small cell's people span 0 to min_cell and its women, men and other
    can each be 0, over every solution of the program. When not, the published cells that hold
    the failing bound where it is are added to ``binding`` (withholding one relaxes it)."""
    columns, constant = programs.members(layout, program, target)
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


def covers(bounds: tuple[float, float], top: int) -> bool:
    """Whether a range spans at least 0 to ``top``."""
    low, high = bounds
    return low <= TOLERANCE and high >= top - TOLERANCE
