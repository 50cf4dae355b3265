"""Equal inputs and seed give the same plan, byte for byte; nothing is written to the
process's standard output by the solver."""

from __future__ import annotations

import numpy as np
import pytest

from twentyten.plan.inputs import synthetic_inputs
from twentyten.plan.solve import SolveOptions, solve_plan

pytest.importorskip("highspy")


def test_same_inputs_and_seed_give_the_same_plan() -> None:
    inp = synthetic_inputs(14, np.random.default_rng(2), years=tuple(range(2024, 2030)))
    opt = SolveOptions(mip_rel_gap=1e-3, seed=3)
    a, b = solve_plan(inp, opt), solve_plan(inp, opt)
    assert a.year.tobytes() == b.year.tobytes()
    assert a.objective == b.objective


def test_solver_leaves_file_descriptors_alone() -> None:
    """No os.dup2 of descriptor 1: a server's stdout stays where it was."""
    import os
    from pathlib import Path

    from twentyten.plan import model

    src = Path(model.__file__).read_text()
    assert "dup2" not in src and "os.dup" not in src
    before = os.fstat(1)
    solve_plan(synthetic_inputs(6, np.random.default_rng(0), years=(2024, 2025, 2026)))
    after = os.fstat(1)
    assert (before.st_ino, before.st_dev) == (after.st_ino, after.st_dev)
