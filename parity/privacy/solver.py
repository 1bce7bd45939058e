"""HiGHS, quiet and warm: one model per gender of a program, solved again for each objective."""

from __future__ import annotations

import os
import sys
import threading
from typing import Any

import numpy as np

from parity.privacy.programs import Program

TOLERANCE = 1e-6


_QUIET = threading.Lock()
_STARTED: list[bool] = []


def highs() -> Any:
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


class Solver:
    """One HiGHS model per gender of a program, solved again for each objective (warm start)."""

    def __init__(self, program: Program) -> None:
        import highspy

        self.highspy = highspy
        self.program = program
        self.models = []
        self.cost: list[np.ndarray] = []
        matrix = program.matrix
        for g in range(3):
            model = highs()
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
