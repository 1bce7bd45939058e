"""The linear system of a slab given its withheld cells (parity.privacy.linked): the unknowns
are each family's finest cells that no published cell gives alone (and the withheld entity
totals); each published cell is an equation; each cell an expression over the unknowns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

from parity.privacy.slabs import ALL, SCOPE, TOTAL, Cells, Slab


def family_of(slab: Slab, dim: str) -> str:
    return next(name for name, f in slab.families.items() if dim in f.family.dims)


class Layout:
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
                name = family_of(slab, table_name)
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
class Program:
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


def _unknown_cells(
    layout: Layout, withheld: np.ndarray, family: int | None, entities: np.ndarray | None
) -> np.ndarray:
    """The finest cells the program solves for: nonzero, not given alone by a published cell
    of one entity, within ``family`` and ``entities`` when given."""
    nonzero = layout.nonzero.astype(float)
    published = ~withheld
    # a published cell of one entity holding a single nonzero finest cell gives it alone
    alone = published & layout.partition & (layout.incidence @ nonzero == 1)
    known = np.zeros(layout.width, dtype=bool)
    if alone.any():
        given = layout.incidence[alone].multiply(nonzero[None, :]).tocoo()
        known[given.col] = True
    unknown = layout.nonzero & ~known
    if family is not None:
        unknown &= layout.column_family == family
    if entities is not None:
        unknown &= np.isin(layout.column_entity, entities)
    return unknown


class _Rows:
    """The program's equations as they are stated: blocks of rows, their right-hand sides and
    the published cell each states."""

    def __init__(self) -> None:
        self.parts: list[Any] = []
        self.rhs: list[np.ndarray] = []
        self.cells: list[np.ndarray] = []

    def add(self, matrix: Any, right: np.ndarray, cells: np.ndarray) -> None:
        self.parts.append(matrix.tocsr())
        self.rhs.append(right)
        self.cells.append(cells)

    def stacked(self, width: int) -> tuple[Any, np.ndarray, np.ndarray]:
        """The matrix, right-hand sides and cells, without the rows that hold no unknown."""
        if not self.parts:
            return sparse.csr_matrix((0, width)), np.zeros((0, 3)), np.zeros(0, dtype=np.int64)
        matrix = sparse.vstack(self.parts).tocsr()
        right = np.vstack(self.rhs).astype(float)
        cells = np.concatenate(self.cells).astype(np.int64)
        used = matrix.getnnz(axis=1) > 0
        return matrix[used], right[used], cells[used]


def _entity_total_rows(
    layout: Layout,
    rows: _Rows,
    family: int | None,
    unknown: np.ndarray,
    total_column: np.ndarray,
    known_counts: np.ndarray,
) -> None:
    """Each entity's total, family by family (a withheld total is an unknown of its own)."""
    owners = np.array(layout.total_owner, dtype=np.int64)
    totals_matrix = layout.totals
    if family is not None:
        mine = layout.total_family == family
        owners, totals_matrix = owners[mine], totals_matrix[np.flatnonzero(mine)]
    if not len(owners):
        return
    first_total = int(unknown.sum())
    withheld = total_column[owners] >= 0
    extra = sparse.csr_matrix(
        (
            -np.ones(int(withheld.sum())),
            (np.flatnonzero(withheld), total_column[owners][withheld] - first_total),
        ),
        shape=(len(owners), int((total_column >= 0).sum())),
    )
    given_totals = layout.slab.totals[owners] * (~withheld)[:, None]
    rows.add(
        sparse.hstack([totals_matrix[:, unknown], extra]),
        given_totals - totals_matrix @ known_counts,
        np.where(~withheld, layout.total_cell[owners], -1),
    )


def program(
    layout: Layout,
    withheld: np.ndarray,
    family: int | None = None,
    entities: np.ndarray | None = None,
) -> Program:
    """The program of every family, or of one (``family``: only when no entity total is
    withheld, the families then sharing nothing); with ``entities``, only their cells are
    unknowns, the others held at their true values: every range it gives lies within the true
    one (a range wide enough there is wide enough)."""
    table, incidence = layout.table, layout.incidence
    published = ~withheld
    unknown = _unknown_cells(layout, withheld, family, entities)
    first_total = int(unknown.sum())
    column = np.full(layout.width, -1, dtype=np.int64)
    column[unknown] = np.arange(first_total)
    n = len(layout.slab.entities)
    total_column = np.full(n, -1, dtype=np.int64)
    withheld_totals = [
        e for e in range(n) if layout.total_cell[e] >= 0 and withheld[layout.total_cell[e]]
    ]
    assert family is None or not withheld_totals
    total_column[withheld_totals] = np.arange(len(withheld_totals)) + first_total
    width = first_total + len(withheld_totals)
    known_counts = layout.finest * (layout.nonzero & ~unknown)[:, None]
    rows = _Rows()
    # the published cells (not the entity totals: those are per family, below)
    cells = np.flatnonzero(published & ~layout.is_total)
    if family is not None:
        cells = cells[layout.cell_family[cells] == family]
    if len(cells):
        block = incidence[cells]
        empty = sparse.csr_matrix((len(cells), len(withheld_totals)))
        rows.add(
            sparse.hstack([block[:, unknown], empty]),
            table.counts[cells] - block @ known_counts,
            cells,
        )
    _entity_total_rows(layout, rows, family, unknown, total_column, known_counts)
    # the total of all entities, when published and some entity's total is withheld
    grand = table.index.get((TOTAL, ALL, ""))
    if grand is not None and published[grand] and withheld_totals:
        row = np.zeros((1, width))
        row[0, first_total:] = 1.0
        rest = [e for e in range(n) if total_column[e] < 0]
        given = (table.counts[grand] - layout.slab.totals[rest].sum(axis=0))[None, :]
        rows.add(sparse.csr_matrix(row), given, np.array([grand]))
    matrix, right, cells_of_rows = rows.stacked(width)
    return Program(matrix.tocsc(), right, unknown, column, total_column, cells_of_rows)


def members(layout: Layout, program: Program, cell: int) -> tuple[np.ndarray, np.ndarray]:
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
