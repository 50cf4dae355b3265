"""Assemble the rollout MIP as a sparse matrix and hand it to HiGHS.

The model is maximise ``sum benefit[c,k,y] × build[c,k,y]`` subject to the families of
:mod:`twentyten.plan.constraints`. ``highspy`` is imported only inside :func:`to_highs`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from twentyten.plan.constraints import Columns, all_families, family_of, make_columns, plan_years
from twentyten.plan.inputs import PlanInputs


@dataclass(frozen=True)
class RolloutModel:
    """The MIP in column-compressed form with named rows and columns."""

    inputs: PlanInputs
    cols: Columns
    col_names: tuple[str, ...]
    row_names: tuple[str, ...]
    cost: np.ndarray  # maximised
    col_lo: np.ndarray
    col_hi: np.ndarray
    integer: np.ndarray  # bool per column
    row_lo: np.ndarray
    row_hi: np.ndarray
    a_start: np.ndarray  # CSC
    a_index: np.ndarray
    a_value: np.ndarray

    @property
    def n_cols(self) -> int:
        return len(self.col_names)

    @property
    def n_rows(self) -> int:
        return len(self.row_names)

    @property
    def nnz(self) -> int:
        return int(self.a_value.size)

    @property
    def n_binaries(self) -> int:
        return int(self.integer.sum())

    def rows_of_family(self, family: str) -> np.ndarray:
        return np.array([i for i, n in enumerate(self.row_names) if family_of(n) == family], int)

    def row_activity(self, x: np.ndarray) -> np.ndarray:
        """A @ x for a full column vector x."""
        out = np.zeros(self.n_rows)
        cols = np.repeat(np.arange(self.n_cols), np.diff(self.a_start))
        np.add.at(out, self.a_index, self.a_value * x[cols])
        return out

    def plan_years(self, x: np.ndarray) -> np.ndarray:
        """Decode a column vector into a plan (see :func:`constraints.plan_years`)."""
        return plan_years(self.cols, x)

    def column_vector(self, year: np.ndarray) -> np.ndarray:
        """The column vector of a plan given as year index per (county, type), -1 = not built."""
        c = self.cols
        x = np.zeros(self.n_cols)
        x[: c.n_build] = (year[c.vc, c.vk] == c.vt).astype(float)
        K, Y = c.built_col.shape
        counts = np.zeros((K, Y))
        np.add.at(counts, (c.vk, c.vt), x[: c.n_build])
        x[c.built_col.ravel()] = counts.ravel()
        return x


def build_model(inp: PlanInputs) -> RolloutModel:
    """Build the rollout MIP from :class:`PlanInputs`.

    Example
    -------
    >>> import numpy as np
    >>> from twentyten.plan.inputs import synthetic_inputs
    >>> m = build_model(synthetic_inputs(12, np.random.default_rng(0)))
    >>> m.col_names[0].startswith("build[")
    True
    """
    cols = make_columns(inp)
    rows = all_families(inp, cols)
    obj = inp.objective()
    cost = np.concatenate([obj[cols.vc, cols.vk, cols.vt], np.zeros(cols.built_col.size)])
    n = cols.n
    integer = np.zeros(n, dtype=bool)
    integer[: cols.n_build] = True
    col_lo = np.zeros(n)
    col_hi = np.concatenate([np.ones(cols.n_build), np.full(cols.built_col.size, np.inf)])
    ri = np.concatenate(rows.ri) if rows.ri else np.zeros(0, np.int64)
    ci = np.concatenate(rows.ci) if rows.ci else np.zeros(0, np.int64)
    va = np.concatenate(rows.vals) if rows.vals else np.zeros(0)
    order = np.lexsort((ri, ci))
    ri, ci, va = ri[order], ci[order], va[order]
    start = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(ci, minlength=n), out=start[1:])
    col_names = [
        f"build[{inp.counties[c]},{inp.types[k]},{inp.years[y]}]"
        for c, k, y in zip(cols.vc, cols.vk, cols.vt, strict=True)
    ]
    K, Y = cols.built_col.shape
    col_names += [f"built[{inp.types[k]},{inp.years[y]}]" for k in range(K) for y in range(Y)]
    return RolloutModel(
        inputs=inp,
        cols=cols,
        col_names=tuple(col_names),
        row_names=tuple(rows.names),
        cost=cost,
        col_lo=col_lo,
        col_hi=col_hi,
        integer=integer,
        row_lo=np.asarray(rows.lo, float),
        row_hi=np.asarray(rows.hi, float),
        a_start=start,
        a_index=ri,
        a_value=va,
    )


def to_highs(
    model: RolloutModel, relax: bool = False, seed: int = 0, threads: int | None = None
):
    """A ``highspy.Highs`` object holding the model (maximisation), silent, seeded."""
    import highspy

    h = new_highs(seed=seed, threads=threads)
    lp = highspy.HighsLp()
    lp.num_col_ = model.n_cols
    lp.num_row_ = model.n_rows
    inf = highspy.kHighsInf
    lp.col_cost_ = model.cost
    lp.col_lower_ = model.col_lo
    lp.col_upper_ = np.where(np.isinf(model.col_hi), inf, model.col_hi)
    lp.row_lower_ = np.where(np.isinf(model.row_lo), -inf, model.row_lo)
    lp.row_upper_ = np.where(np.isinf(model.row_hi), inf, model.row_hi)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = model.a_start
    lp.a_matrix_.index_ = model.a_index
    lp.a_matrix_.value_ = model.a_value
    lp.a_matrix_.num_col_ = model.n_cols
    lp.a_matrix_.num_row_ = model.n_rows
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.col_names_ = list(model.col_names)
    lp.row_names_ = list(model.row_names)
    if not relax:
        lp.integrality_ = [
            highspy.HighsVarType.kInteger if b else highspy.HighsVarType.kContinuous
            for b in model.integer
        ]
    h.passModel(lp)
    return h


def new_highs(seed: int = 0, threads: int | None = None):
    """A ``highspy.Highs`` with its log off (``output_flag``, ``log_to_console``) and a fixed
    random seed, so that equal inputs give equal plans.

    ``threads`` None keeps HiGHS's default. HiGHS fixes its thread count for the whole
    process at the first solve (a later, different count makes ``run`` fail), so a server
    should pass the same value, or none, to every solve.

    Nothing here touches the process's file descriptors. HiGHS itself writes a one-line
    banner to standard output when the first ``Highs`` object of a process is created;
    a command-line entry point that prints data on standard output should create one
    before it prints anything (see ``twentyten.cli``)."""
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("log_to_console", False)
    h.setOptionValue("random_seed", int(seed))
    if threads:
        h.setOptionValue("threads", int(threads))
    return h


def export_mps(model: RolloutModel, path: str) -> None:
    """Write the exact model solved to an MPS file (free format, named rows and columns)."""
    h = to_highs(model)
    h.writeModel(str(path))
