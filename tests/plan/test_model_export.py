"""The model's names, the MPS export, and the light import."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from tests.plan.helpers import tiny

from twentyten.plan.constraints import FAMILIES, family_of
from twentyten.plan.model import build_model, export_mps
from twentyten.plan.solve import SolveOptions, solve_plan

highspy = pytest.importorskip("highspy")


def test_names_say_county_facility_year() -> None:
    inp = tiny(np.random.default_rng(1), bundle_from=2025, balance=True)
    m = build_model(inp)
    assert "build[C0,factory,2024]" in m.col_names
    assert {family_of(n) for n in m.row_names} <= set(FAMILIES)
    assert any(n.startswith("year-cap[factory,2024]") for n in m.row_names)
    assert any(n.startswith("bundle[") for n in m.row_names)
    assert any(n.startswith("province-balance[") for n in m.row_names)


def test_export_model_resolves_to_same_objective(tmp_path) -> None:
    inp = tiny(np.random.default_rng(2), C=4, Y=3, bundle_from=2025)
    res = solve_plan(inp, SolveOptions(time_limit=10, mip_rel_gap=0.0))
    path = tmp_path / "plan.mps"
    export_mps(build_model(inp), str(path))
    text = path.read_text()
    assert "build[C0,factory,2024]" in text
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.readModel(str(path))
    h.setOptionValue("mip_rel_gap", 0.0)
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    assert h.getInfo().objective_function_value == pytest.approx(res.objective, rel=1e-9)


def test_import_does_not_load_the_solver() -> None:
    code = (
        "import sys, twentyten, twentyten.plan, twentyten.plan.inputs, twentyten.plan.model, "
        "twentyten.plan.solve, twentyten.plan.scenario; "
        "print('highspy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
