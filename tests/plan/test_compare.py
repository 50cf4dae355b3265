"""compare leads with a summary (what moved, by year and province, the few reasons), and the
rows keep the model's row names (``construction-capacity[2027]``) in every format."""

from __future__ import annotations

import dataclasses

import numpy as np
from click.testing import CliRunner

from twentyten.cli import cli
from twentyten.plan.compare import compare_plans
from twentyten.plan.inputs import synthetic_inputs
from twentyten.plan.report import write_all
from twentyten.plan.solve import solve_greedy


def _pair():
    a = synthetic_inputs(40, np.random.default_rng(7))
    b = dataclasses.replace(a, capacity={**a.capacity, "labour": a.capacity["labour"] * 0.6})
    return solve_greedy(a), solve_greedy(b)


def test_summary_counts_add_up() -> None:
    ra, rb = _pair()
    cmp = compare_plans(ra, rb)
    h = cmp.headline()
    assert h["moved"] == len(cmp.moves) > 0
    assert h["later"] + h["earlier"] + h["dropped"] + h["added"] == h["moved"]
    assert sum(la + ea + ot for _, la, ea, ot in cmp.province_moves) == h["moved"]
    for y, a, b in cmp.year_changes():
        j = ra.inputs.years.index(y)
        assert (a, b) == (ra.counts()[:, j].sum(), rb.counts()[:, j].sum()) and a != b
    lines = cmp.lines()
    assert lines[0].startswith("objective:") and any(line.startswith("setting: labour capacity") for line in lines)
    reasons = cmp.reasons()
    assert 1 <= len(reasons) <= 5 and reasons == sorted(reasons, key=lambda r: -r[1])
    assert all("<year>" in w or not any(str(y) in w for y in ra.inputs.years) for w, _ in reasons)


def test_cli_compare_of_saved_plans_keeps_row_names(tmp_path) -> None:
    ra, rb = _pair()
    write_all(ra, tmp_path / "a")
    write_all(rb, tmp_path / "b")
    r = CliRunner().invoke(cli, ["plan", "compare", str(tmp_path / "a" / "plan.json"), str(tmp_path / "b" / "plan.json")])
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert out.index("packages moved") < out.index("What moved")  # the summary leads
    table = out.split("What moved", 1)[1]
    assert "year-cap[factory,20" in table and "construction-capacity[20" in table  # not eaten as markup
    r = CliRunner().invoke(cli, ["plan", "compare", str(tmp_path / "a" / "plan.json"),
                                 str(tmp_path / "b" / "plan.json"), "--format", "json"])
    import json

    data = json.loads(r.stdout)
    assert data["moved"] == len(data["moves"]) and data["reasons"]
