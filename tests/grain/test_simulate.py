"""The season simulation: equilibrium, physics directions, strategies, weather and report."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest
from click.testing import CliRunner

from twentyten.cli import cli
from twentyten.grain.emc import erh
from twentyten.grain.norms import crop
from twentyten.grain.simulate import SimConfig, simulate, simulate_python
from twentyten.grain.weather import Weather, pyongyang


def _const(t, rh, hours=24 * 20):
    return Weather(datetime(2025, 1, 1), np.full(hours, float(t)), np.full(hours, float(rh)), "test")


@pytest.mark.parametrize("crop_name", ["paddy", "maize", "wheat"])
def test_air_at_equilibrium_leaves_grain_unchanged(crop_name):
    c = crop(crop_name)
    rh = float(erh(c, 18.0, 14.0))
    r = simulate(c, _const(18.0, rh), SimConfig(14.0, 18.0, 0.2, fan_heat_c=0.0, margin_c=0.0))
    cont = r.results[0]
    assert cont.strategy == "continuous" and cont.fan_hours == 24 * 20
    assert cont.final_moisture_wb_pct == pytest.approx(14.0, abs=1e-9)
    assert cont.max_layer_moisture_wb_pct == pytest.approx(14.0, abs=1e-9)
    assert cont.final_temp_c == pytest.approx(18.0, abs=1e-9)


def test_cool_air_cools_and_dry_air_dries_the_bed():
    c = crop("paddy")
    r = simulate(c, _const(5.0, 50.0, 24 * 60), SimConfig(16.0, 25.0, 0.2))
    cont = r.results[0]
    assert cont.final_temp_c < 12
    assert cont.final_moisture_wb_pct < 16.0
    # a temperature-controlled fan stops once the grain is at the crop's cooling target
    temp = next(x for x in r.results if x.strategy == "temperature")
    assert temp.fan_hours < cont.fan_hours


def test_temperature_control_waits_for_air_cooler_by_the_margin():
    c = crop("paddy")
    r = simulate(c, _const(19.0, 60.0, 48), SimConfig(14.0, 20.0, 0.1, fan_heat_c=0.0, margin_c=3.0))
    temp = next(x for x in r.results if x.strategy == "temperature")
    assert temp.fan_hours == 0
    r = simulate(c, _const(16.0, 60.0, 48), SimConfig(14.0, 20.0, 0.1, fan_heat_c=0.0, margin_c=3.0))
    assert next(x for x in r.results if x.strategy == "temperature").fan_hours > 0


def test_moisture_is_conserved_between_air_and_grain():
    """Water leaving the grain equals the water the air carried away (sum over layers)."""
    c = crop("maize")
    w = _const(10.0, 40.0, 24 * 5)
    r = simulate(c, w, SimConfig(18.0, 10.0, 0.5, fan_heat_c=0.0, layers=10, strategies=("continuous",)))
    # drier air removes water: mean moisture falls, wettest layer (top) still near start
    x = r.results[0]
    assert x.final_moisture_wb_pct < 18.0
    assert x.max_layer_moisture_wb_pct <= 18.0 + 1e-6


def test_vectorised_model_equals_plain_python_loop():
    c = crop("maize")
    w = pyongyang(datetime(2025, 10, 1), 10)
    cfg = SimConfig(17.0, 20.0, 0.3, layers=8, strategies=("continuous",))
    r = simulate(c, w, cfg)
    py = simulate_python(c, w, cfg)
    assert np.mean(py) == pytest.approx(r.results[0].final_moisture_wb_pct, abs=1e-9)


def test_pyongyang_hourly_weather_follows_the_normals():
    w = pyongyang(datetime(2025, 1, 1), 365)
    assert w.hours == 365 * 24
    jan = w.temp_c[: 31 * 24].reshape(31, 24)
    assert jan.max(axis=1).mean() == pytest.approx(-0.8, abs=1.0)
    assert w.rh_pct.min() > 0 and w.rh_pct.max() <= 100
    assert np.argmax(jan[15]) == 15 and np.argmin(jan[15]) == 6


def test_cli_simulate_writes_a_self_contained_report(tmp_path):
    out = tmp_path / "season.html"
    r = CliRunner().invoke(cli, ["grain", "simulate", "--crop", "paddy", "--start-moisture", "15", "--airflow", "0.1",
                                 "--days", "30", "--html", str(out), "--format", "json"])
    assert r.exit_code == 0, r.output
    html = out.read_text()
    assert "<svg" in html and "continuous" in html and "rh_limited" in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html and "<script" not in html
    assert [p.name for p in tmp_path.iterdir()] == ["season.html"]


def test_cli_simulate_reads_a_weather_file_and_rejects_a_bad_one(tmp_path):
    f = tmp_path / "w.csv"
    f.write_text("time,temp_c,rh_pct\n" + "".join(f"2025-10-01T{h:02d}:00,{10 + h % 5},{60 + h}\n" for h in range(24)))
    r = CliRunner().invoke(cli, ["grain", "simulate", "--weather", str(f), "--start-moisture", "15"])
    assert r.exit_code == 0, r.output
    f.write_text("time,temp_c,rh_pct\n2025-10-01T00:00,10,60\n2025-10-01T02:00,10,60\n")
    r = CliRunner().invoke(cli, ["grain", "simulate", "--weather", str(f), "--start-moisture", "15"])
    assert r.exit_code == 2
    assert "row 3" in r.stderr and "one hour" in r.stderr


def test_airflows_side_by_side_equal_separate_runs():
    c = crop("paddy")
    w = pyongyang(datetime(2025, 10, 1), 20)
    both = simulate(c, w, SimConfig(15.0, 18.0, 0.1, compare_airflows=(0.3,)))
    assert [(x.strategy, x.airflow_m3_min_per_t) for x in both.results][:5] == [
        ("continuous", 0.1), ("temperature", 0.1), ("rh_limited", 0.1), ("combined", 0.1), ("continuous", 0.3)]
    alone = simulate(c, w, SimConfig(15.0, 18.0, 0.3))
    for a, b in zip(both.results[4:], alone.results, strict=True):
        assert a.fan_hours == b.fan_hours
        # same physics; the shared step count may differ, so agree to a small tolerance
        assert a.final_moisture_wb_pct == pytest.approx(b.final_moisture_wb_pct, abs=0.02)
    faster = both.results[4]
    assert faster.final_temp_c <= both.results[0].final_temp_c + 1e-9  # more air cools faster in autumn


def test_cli_simulate_refuses_an_html_path_in_a_missing_folder(tmp_path):
    r = CliRunner().invoke(cli, ["grain", "simulate", "--start-moisture", "15", "--days", "3",
                                 "--html", str(tmp_path / "nope" / "x.html")])
    assert r.exit_code == 2 and "does not exist" in r.stderr and r.stdout == ""


@pytest.mark.parametrize("crop_name", ["paddy", "maize", "wheat"])
def test_cooling_front_time_agrees_with_the_rule_of_thumb(crop_name):
    """A 10 C step cools the bed in about the hours of 15 / (cfm per bushel) (MWPS-13 via
    aeration_rules.csv, weak): the model's 90 % cooling time is within 0.5-1.5x of it."""
    from twentyten.grain.advise import cooling_front_hours

    c = crop(crop_name)
    rh = float(erh(c, 10.0, 14.0))  # the air holds the grain's moisture: a pure cooling front
    r = simulate(c, _const(10.0, rh, 24 * 25), SimConfig(14.0, 20.0, 0.1, fan_heat_c=0.0, strategies=("continuous",)))
    day = int(np.argmax(r.daily_temp_c[0] <= 11.0))
    assert 0.5 < day * 24 / cooling_front_hours(c, 0.1) < 1.5


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["--start-temp", "nan"], "error: --start-temp nan: outside -40..80 C"),
        (["--target-moisture", "nan"], "error: --target-moisture nan: outside 8..30 % w.b."),
        (["--target-moisture", "3"], "error: --target-moisture 3: outside 8..30 % w.b."),
    ],
)
def test_cli_simulate_refuses_settings_that_mean_nothing(args, line):
    r = CliRunner().invoke(cli, ["grain", "simulate", "--crop", "paddy", "--start-moisture", "15", "--days", "3", *args])
    assert r.exit_code == 2 and r.stdout == "" and r.stderr.splitlines() == [line]
