"""Saved plans: plan.json rebuilds the PlanResult it was written from, and the output folder
holds the old plan or the new one, never a mix, and nothing of the user's is removed."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from twentyten.plan.explain import explain_county
from twentyten.plan.inputs import synthetic_inputs
from twentyten.plan.report import OUTPUTS, OutputError, check_writable, write_all
from twentyten.plan.saved import SavedPlanError, load_result, plan_rows, read_plan
from twentyten.plan.solve import solve_greedy


def _result(seed: int, n: int = 12):
    return solve_greedy(synthetic_inputs(n, np.random.default_rng(seed)))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), n=st.integers(3, 30))
def test_saved_plan_rebuilds_the_result(tmp_path, seed, n) -> None:
    res = _result(seed, n)
    out = tmp_path / f"p{seed}-{n}"
    write_all(res, out)
    _, back = load_result(out / "plan.json")
    assert np.array_equal(back.year, res.year)
    assert back.objective == res.objective and back.status == res.status
    assert np.array_equal(back.counts(), res.counts())
    for r in res.inputs.use:
        assert np.array_equal(back.load(r), res.load(r))
        assert np.array_equal(back.inputs.capacity[r], res.inputs.capacity[r])
    assert back.inputs.commitments == res.inputs.commitments and back.inputs.bundles == res.inputs.bundles
    cid = res.inputs.counties[seed % n]
    assert explain_county(back, cid).lines() == explain_county(res, cid).lines()
    assert [r.model_dump() for r in plan_rows(back)] == [r.model_dump() for r in plan_rows(res)]


def test_csv_geojson_and_json_rows_agree(tmp_path) -> None:
    res = _result(1)
    write_all(res, tmp_path / "o")
    with open(tmp_path / "o" / "plan.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    saved = read_plan(tmp_path / "o" / "plan.json")
    assert len(rows) == len(saved.plan)
    for a, b in zip(rows, saved.plan, strict=True):
        assert a["county_id"] == b.county_id and a["status"] == b.status
        assert a["year"] == ("" if b.year is None else str(b.year))
    gj = json.loads((tmp_path / "o" / "plan.geojson").read_text())
    by = {f["properties"]["id"]: f["properties"] for f in gj["features"]}
    for b in saved.plan:
        assert by[b.county_id][f"{b.facility_type}_year"] == b.year


def test_existing_folder_keeps_user_files_and_gets_the_new_plan(tmp_path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    write_all(_result(1), out)
    write_all(_result(2), out)
    assert (out / "notes.txt").read_text() == "mine"
    assert read_plan(out / "plan.json").result.objective == _result(2).objective
    assert sorted(p.name for p in out.iterdir()) == sorted([*OUTPUTS, "notes.txt"])


def test_a_failed_write_leaves_the_old_plan_whole(tmp_path) -> None:
    out = tmp_path / "out"
    write_all(_result(1), out)
    before = {n: (out / n).read_bytes() for n in OUTPUTS}
    # the last output cannot be replaced: a user's folder sits where the report goes
    (out / "report.html").unlink()
    (out / "report.html").mkdir()
    (out / "report.html" / "keep.txt").write_text("mine")
    with pytest.raises(OSError):
        write_all(_result(2), out)
    for n in OUTPUTS[:-1]:
        assert (out / n).read_bytes() == before[n]  # the old plan, not a mix
    assert (out / "report.html" / "keep.txt").read_text() == "mine"
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUTS)  # no temporary folder left


def test_new_folder_appears_whole_with_the_usual_mode(tmp_path) -> None:
    out = tmp_path / "a" / "b"
    write_all(_result(1), out)
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUTS)
    mask = os.umask(0)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o777 & ~mask
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["b"]


def test_unwritable_places_are_refused(tmp_path) -> None:
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(OutputError, match="exists and is not a folder"):
        check_writable(f)
    with pytest.raises(OutputError, match="is not a folder"):
        check_writable(f / "sub")
    check_writable(tmp_path / "new" / "deeper")  # creatable: fine, and nothing made
    assert not (tmp_path / "new").exists()


def test_not_a_plan(tmp_path) -> None:
    p = tmp_path / "plan.json"
    p.write_text("[1, 2]")
    with pytest.raises(SavedPlanError, match="not a saved plan"):
        read_plan(p)
    p.write_text("{not json")
    with pytest.raises(SavedPlanError) as e:
        read_plan(p)
    assert str(e.value).startswith(f"{p}: (top level): not valid JSON (key must be a string at line 1 column 2)")


def test_identity_is_checked_only_on_the_inputs_named(tmp_path) -> None:
    from twentyten.plan.instance import fingerprint
    from twentyten.plan.saved import check_identity, identity
    from twentyten.plan.scenario import load_scenario

    fp = fingerprint(load_scenario())
    res = _result(3)
    write_all(res, tmp_path / "o", identity=identity(fp, res))
    saved = read_plan(tmp_path / "o" / "plan.json")
    check_identity(saved, fp, "plan.json")  # the same inputs
    other = fingerprint(load_scenario(Path(__file__).resolve().parents[2] / "examples" / "scenario_less_labour.yaml"))
    with pytest.raises(SavedPlanError, match="was not made from these inputs: scenario"):
        check_identity(saved, other, "plan.json")
    check_identity(saved, other, "plan.json", {"dataset", "standards"})  # scenario not named
    fb = fingerprint(load_scenario(), fallback_resources=True)
    with pytest.raises(SavedPlanError, match="resource use from design, not fallback"):
        check_identity(saved, fb, "plan.json", {"resource_use"})
