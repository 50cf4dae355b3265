"""The grain storage plant (bins, fans, dryers) is shown with the design's other facilities and
agrees with `twentyten grain size`."""

from __future__ import annotations

import json
import math

from click.testing import CliRunner

from twentyten.cli import cli


def test_design_shows_the_grain_plant_that_grain_size_computes() -> None:
    r = CliRunner().invoke(cli, ["design", "Chosan", "--year", "2026", "--format", "json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    plant = d["grain_plant"]
    storage = next(f for f in d["facilities"] if f["facility_type"] == "grain_storage")
    assert plant["storage_t"] == storage["capacity"]["storage_t"]
    # bins hold the whole volume, one fewer bin would not
    assert plant["bins"] * plant["bin_capacity_t"] >= plant["storage_t"] - plant["bins"]
    assert plant["bins"] == max(1, math.ceil(float(plant["basis"]["bins"].split("=")[1].split("->")[0])))
    s = CliRunner().invoke(cli, ["grain", "size", "Chosan", "--year", "2026", "--format", "json"])
    assert s.exit_code == 0, s.output
    row = json.loads(s.stdout)[0]
    for key in ("bins", "fan_kw_total", "dryers", "dryer_t_per_day_installed"):
        assert row[key] == plant[key], key


def test_design_table_has_the_plant_section() -> None:
    r = CliRunner().invoke(cli, ["design", "Chosan", "--year", "2026"])
    assert r.exit_code == 0
    assert "Grain storage plant" in r.stdout and "aeration fans" in r.stdout
