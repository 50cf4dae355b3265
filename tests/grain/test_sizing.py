"""Sizing from the design's grain storage."""

from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner

from twentyten.cli import cli
from twentyten.grain.norms import crop
from twentyten.grain.sizing import SizingConfig, size_storage

NORMS = {"grain.stack_height_m": 6.0, "grain.dryer_t_per_batch": 20.0, "grain.dryer_batches_per_day": 2.0}
CAP = {"storage_t": 6200, "storage_m3": 10000, "aeration_m3_per_min": 855.6, "dryers": 2, "dryer_t_per_day": 70.0}


def test_bins_fans_and_dryers_follow_the_design_capacity():
    s = size_storage("X-a", "A", CAP, NORMS, crop("paddy"), SizingConfig(bin_diameter_m=10.0))
    assert s.bins == math.ceil(10000 / (math.pi / 4 * 100 * 6))
    assert s.airflow_m3_min == pytest.approx(855.6)
    assert s.fan_kw_total == pytest.approx(855.6 / 60 * 500 / 0.5 / 1000, abs=0.05)
    assert s.dryer_fan_kw == pytest.approx(2 * 20 * 2.0)
    assert s.dryer_t_per_day_installed == pytest.approx(80.0) and s.dryer_t_per_day_installed >= s.dryer_t_per_day
    big = size_storage("X-a", "A", {**CAP, "storage_t": 12400, "storage_m3": 20000, "aeration_m3_per_min": 1711.2},
                       NORMS, crop("paddy"))
    assert big.bins >= 2 * s.bins - 1 and big.fan_kw_total == pytest.approx(2 * s.fan_kw_total, rel=0.01)
    assert "assumption" in s.basis["fan_kw_total"]


def test_cli_size_reads_the_design():
    r = CliRunner().invoke(cli, ["grain", "size", "Kimhwa", "--format", "json"])
    assert r.exit_code == 0, r.output
    row = json.loads(r.stdout)[0]
    d = CliRunner().invoke(cli, ["design", "Kimhwa", "--format", "json"])
    grain = next(f for f in json.loads(d.stdout)["facilities"] if f["facility_type"] == "grain_storage")
    assert row["storage_t"] == grain["capacity"]["storage_t"]
    assert row["airflow_m3_min"] == grain["capacity"]["aeration_m3_per_min"]
    assert row["dryers"] == grain["capacity"]["dryers"]


def test_cli_size_needs_one_county_or_all():
    r = CliRunner().invoke(cli, ["grain", "size"])
    assert r.exit_code == 2 and "COUNTY or --all" in r.stderr


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["Nowhere-at-all"], "error: no region matches 'Nowhere-at-all'"),
        (["Jagang"], "error: Jagang is a province; give one of its cities or counties"),
        (["Kimhwa", "--year", "1990"], "error: --year 1990: no standard before the base year 2022"),
    ],
)
def test_cli_size_bad_county_or_year_is_bad_input(args, line):
    """Exit 2 with the reason first, never a traceback (a year before the standard was one)."""
    r = CliRunner().invoke(cli, ["grain", "size", *args])
    assert r.exit_code == 2 and isinstance(r.exception, SystemExit), r.output
    assert r.stderr.splitlines()[0] == line and r.stdout == ""


def test_cli_size_says_a_later_year_holds_the_last_standard():
    r = CliRunner().invoke(cli, ["grain", "size", "Kimhwa", "--year", "2050", "--format", "json"])
    assert r.exit_code == 0, r.output
    assert "note (--year 2050): No standard is defined after 2033" in r.stderr


def test_cli_size_and_design_default_to_the_same_standard():
    """`grain size COUNTY` sizes the package `design COUNTY` shows: the same default year."""
    d = json.loads(CliRunner().invoke(cli, ["design", "Kimhwa", "--format", "json"]).stdout)
    r = CliRunner().invoke(cli, ["grain", "size", "Kimhwa"])
    assert r.exit_code == 0, r.output
    assert f"({d['year']} standard)" in r.stdout
