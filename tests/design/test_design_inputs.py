"""County-specific inputs (county_inputs.csv): the record's materials reach the design."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from twentyten.atlas import load_atlas
from twentyten.atlas.loader import bundled_path
from twentyten.cli import cli
from twentyten.design.inputs import INPUTS_FILE, InputsError, load_inputs, with_inputs


def _lines(*args):
    r = CliRunner().invoke(cli, ["design", *args, "--format", "json"], catch_exceptions=False)
    assert r.exit_code == 0, r.stderr
    return {x for f in json.loads(r.stdout)["facilities"] if f["facility_type"] == "factory" for x in f["lines"]}


def test_kimhwa_works_its_building_stone_as_the_record_says():
    assert "Building stone and tiles" in _lines("Kimhwa")
    # a mountainous county without that record does not get the line
    assert "Building stone and tiles" not in _lines("Kim Hyong Jik")


def test_inputs_add_materials_once_and_say_where_they_come_from():
    atlas = load_atlas()
    inputs = load_inputs(bundled_path("dprk"), {r.id for r in atlas.counties()})
    kimhwa = atlas.find("Kimhwa")
    added = with_inputs(kimhwa, inputs)
    assert set(added.raw_materials) == {*kimhwa.raw_materials, "building stone"}
    assert with_inputs(added, inputs).raw_materials == added.raw_materials
    assert all(x.source.startswith("http") and x.quality in ("quoted", "derived", "estimate") for x in inputs.values())


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("PRK-nowhere,timber,estimate,http://x,n\n", "not a city or county"),
        ("PRK-kangwon-kimhwa,timber,guess,http://x,n\n", "quality"),
        ("PRK-kangwon-kimhwa,,estimate,http://x,n\n", "required"),
    ],
)
def test_a_bad_inputs_file_is_refused(tmp_path, row, reason):
    folder = tmp_path / "ds"
    shutil.copytree(bundled_path("dprk"), folder)
    (folder / INPUTS_FILE).write_text("region_id,raw_materials,quality,source,note\n" + row, encoding="utf-8")
    with pytest.raises(InputsError, match=reason):
        load_inputs(folder, {r.id for r in load_atlas(folder).counties()})
    r = CliRunner().invoke(cli, ["design", "Kimhwa", "--dataset", str(folder)])
    assert r.exit_code == 2 and INPUTS_FILE in r.stderr and "Traceback" not in r.output
