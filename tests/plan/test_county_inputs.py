"""The plan designs each county as `twentyten design` does: with the raw materials the
dataset's county_inputs.csv adds (one place, design.inputs.designed_regions)."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from twentyten.atlas import load_atlas
from twentyten.atlas.loader import bundled_path
from twentyten.design import design_package
from twentyten.design.inputs import INPUTS_FILE, designed_regions
from twentyten.plan.adapter import RESOURCE_FIELDS
from twentyten.plan.instance import load_instance
from twentyten.standards import load_standards


@pytest.fixture(scope="module")
def instance():
    return load_instance()


def _with_inputs() -> list[str]:
    with (bundled_path("dprk") / INPUTS_FILE).open(newline="", encoding="utf-8") as fh:
        return [row["region_id"] for row in csv.DictReader(fh)]


def test_plan_uses_the_county_inputs_as_design_does(instance) -> None:
    inp = instance.inputs
    atlas, std = load_atlas(), load_standards()
    designed = designed_regions(atlas)
    ids = _with_inputs()
    assert ids, "the bundled dataset has county inputs"
    changed = 0
    for rid in ids:
        c = inp.counties.index(rid)
        for t, y in enumerate(inp.years[:3]):
            mine = design_package(designed[rid], y, std, explain=False)
            plain = design_package(atlas.get(rid), y, std, explain=False)
            for r, attr in RESOURCE_FIELDS.items():
                want = sum(float(getattr(f, attr) or 0.0) for f in mine.facilities)
                assert inp.use[r][c, :, t].sum() == pytest.approx(want), (rid, y, r)
            changed += not np.isclose(sum(f.cost or 0 for f in mine.facilities),
                                      sum(f.cost or 0 for f in plain.facilities))
    assert changed, "the county inputs change some county's cost (else this test proves nothing)"


def test_a_bad_inputs_file_stops_the_plan(tmp_path) -> None:
    import shutil

    from twentyten.plan.instance import InstanceError

    folder = tmp_path / "ds"
    shutil.copytree(bundled_path("dprk"), folder)
    (folder / INPUTS_FILE).write_text("region_id,raw_materials,quality,source,note\n"
                                      "PRK-nowhere,timber,estimate,x,y\n", encoding="utf-8")
    with pytest.raises(InstanceError, match="PRK-nowhere"):
        load_instance(dataset=str(folder), fallback_resources=True)
