"""Aeration advice from readings: decisions with reasons, alerts, lots, and bad readings."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta

import numpy as np
import pytest
from click.testing import CliRunner

from twentyten.cli import cli
from twentyten.grain.advise import (
    OFF_COOL_ENOUGH,
    OFF_RH,
    OFF_WET,
    ON_COOL,
    ON_FRONT,
    AdvisorConfig,
    advise_arrays,
)
from twentyten.grain.norms import crop

FIELDS = ["bin", "cable", "depth", "time", "grain_temp_c", "grain_moisture_pct", "ambient_temp_c", "ambient_rh_pct"]
T0 = datetime(2025, 10, 1)


def _rows(hours=72, hot=False, moisture=14.0):
    rows = []
    for h in range(hours):
        amb = 8.0 + 8.0 * np.sin(2 * np.pi * (h - 9) / 24)  # 0-16 C
        rh = 95.0 if h % 24 == 5 else 60.0
        for cable in ("A", "B"):
            for depth in (1.0, 3.0):
                gt = 20.0 + (3.0 * h / 24 if hot and cable == "B" and depth == 3.0 else 0.0)
                rows.append({"bin": "B1", "cable": cable, "depth": depth, "time": (T0 + timedelta(hours=h)).isoformat(),
                             "grain_temp_c": round(gt, 2), "grain_moisture_pct": moisture,
                             "ambient_temp_c": round(amb, 2), "ambient_rh_pct": rh})
    return rows


def _write_csv(path, rows):
    with open(path, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=FIELDS)
        w.writeheader()
        w.writerows(rows)
    return path


def _run(*args):
    return CliRunner().invoke(cli, ["grain", "advise", *map(str, args)])


def test_core_decisions_and_reasons():
    c = crop("paddy")
    H = 6
    g = np.full((1, H, 4), 20.0)
    at = np.array([[10.0, 10.0, 10.0, 19.0, 10.0, 10.0]])
    rh = np.array([[60.0, 90.0, 60.0, 60.0, 60.0, 99.0]])
    r = advise_arrays(c, g, at, rh, AdvisorConfig(target_moisture_wb_pct=14.0))
    assert r.fan[0].tolist() == [True, False, True, True, True, False]
    assert r.reason[0, 0] == ON_COOL and r.reason[0, 1] == OFF_RH
    assert r.reason[0, 3] == ON_FRONT  # air only 1 C cooler: kept on to finish the cooling front
    assert "finishing the cooling front (2 of" in r.reason_text(0, 3)
    assert "RH 90 % above the 85 % limit" in r.reason_text(0, 1)
    # grain already below the cooling target: no fan
    cold = advise_arrays(c, np.full((1, 2, 4), 5.0), np.array([[0.0, 0.0]]), np.array([[50.0, 50.0]]), AdvisorConfig())
    assert not cold.fan.any() and (cold.reason == OFF_COOL_ENOUGH).all()
    # air whose EMC is above the target is refused even when cool
    wet = advise_arrays(c, np.full((1, 1, 4), 20.0), np.array([[10.0]]), np.array([[84.0]]),
                        AdvisorConfig(target_moisture_wb_pct=13.0))
    assert not wet.fan.any() and wet.reason[0, 0] == OFF_WET


def test_cooling_front_is_kept_for_its_hours_then_stops():
    c = crop("paddy")
    cfg = AdvisorConfig(airflow_m3_min_per_t=0.3)
    H = 120
    at = np.full((1, H), 19.0)  # only 1 C cooler than the grain: not enough to start
    at[0, 0] = 10.0  # a cold hour starts the cycle
    r = advise_arrays(c, np.full((1, H, 4), 20.0), at, np.full((1, H), 60.0), cfg)
    n = int(np.ceil(r.front_hours))
    assert 60 < n < H
    assert r.fan[0, :n].all() and not r.fan[0, n:].any()
    assert (r.reason[0, 1:n] == ON_FRONT).all()


def test_cli_advise_hours_alerts_and_lots(tmp_path):
    f = _write_csv(tmp_path / "r.csv", _rows(hot=True, moisture=18.0))
    r = _run(f, "--crop", "paddy", "--format", "json")
    assert r.exit_code == 0, r.output
    hours = json.loads(r.stdout)
    assert len(hours) == 72 and {h["fan"] for h in hours} == {"on", "off"}
    assert all(h["reason"].startswith(h["fan"]) for h in hours)
    r = _run(f, "--crop", "paddy", "--show", "alerts", "--format", "json")
    alerts = json.loads(r.stdout)
    kinds = {a["kind"] for a in alerts}
    assert {"hot_spot", "moisture", "insects"} <= kinds
    hot = [a for a in alerts if a["kind"] == "hot_spot"]
    assert [(a["cable"], a["depth"]) for a in hot] == [("B", 3.0)]  # one alert at the onset, not one an hour
    r = _run(f, "--crop", "paddy", "--show", "lots", "--format", "json")
    lot = json.loads(r.stdout)[0]
    assert lot["dml_pct"] > 0 and lot["days_left_to_0.5pct_dml"] > 0


def test_json_readings_give_the_same_advice(tmp_path):
    rows = _rows()
    fc = _write_csv(tmp_path / "r.csv", rows)
    fj = tmp_path / "r.json"
    fj.write_text(json.dumps(rows))
    a = _run(fc, "--format", "csv").stdout
    b = _run(fj, "--format", "csv").stdout
    assert a == b and a.count("\n") == 73


def test_out_file_is_written_whole(tmp_path):
    f = _write_csv(tmp_path / "r.csv", _rows(hours=30))
    out = tmp_path / "advice.csv"
    r = _run(f, "--out", out)
    assert r.exit_code == 0 and out.read_text().count("\n") == 31
    assert sorted(p.name for p in tmp_path.iterdir()) == ["advice.csv", "r.csv"]


@pytest.mark.parametrize("mutate, expect", [
    (lambda rows: rows[5].update(grain_temp_c=""), "row 7: missing grain_temp_c"),
    (lambda rows: rows[9].update(ambient_rh_pct=150), "row 11: ambient_rh_pct 150 is impossible"),
    (lambda rows: rows[9].update(grain_temp_c="hot"), "row 11: grain_temp_c 'hot' is not a number"),
    (lambda rows: rows.insert(20, dict(rows[4])), "duplicate timestamp"),
    (lambda rows: rows.__setitem__(8, dict(rows[8], time=(T0 - timedelta(hours=3)).isoformat())), "time goes backwards"),
    (lambda rows: rows.pop(13), "missing sensor reading"),
    (lambda rows: rows[3].update(time="yesterday"), "row 5: time 'yesterday' is not ISO 8601"),
    (lambda rows: [rows.pop(20) for _ in range(4)], "readings jump from 2025-10-01T04:00:00 to 2025-10-01T06:00:00"),
])
def test_bad_readings_are_reported_and_nothing_is_advised(tmp_path, mutate, expect):
    rows = _rows(hours=10)
    mutate(rows)
    out = tmp_path / "advice.csv"
    f = _write_csv(tmp_path / "r.csv", rows)
    r = _run(f, "--out", out)
    assert r.exit_code == 2
    assert expect in r.stderr and str(f) in r.stderr
    assert "nothing was advised" in r.stderr
    assert r.stdout == "" and not out.exists()


def test_bad_json_names_the_item(tmp_path):
    rows = _rows(hours=3)
    rows[2]["grain_temp_c"] = -99
    rows[4]["colour"] = "red"
    rows[6]["ambient_rh_pct"] = "60"
    f = tmp_path / "r.json"
    f.write_text(json.dumps({"readings": rows}))
    r = _run(f)
    assert r.exit_code == 2
    assert "item 3: grain_temp_c -99 is impossible" in r.stderr
    assert "item 5: unknown field(s) colour" in r.stderr
    assert "item 7: ambient_rh_pct must be a number, not str" in r.stderr


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["--storage-months", "-2"], "error: --storage-months -2: outside 0..120 months"),
        (["--margin", "nan"], "error: --margin nan: outside 0..20 C"),
        (["--margin", "-1"], "error: --margin -1: outside 0..20 C"),
    ],
)
def test_settings_that_mean_nothing_are_refused(tmp_path, args, line):
    """A NaN margin turned every cooling decision off without a word; negative months too."""
    f = _write_csv(tmp_path / "r.csv", _rows(hours=3))
    r = _run(f, *args)
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr.splitlines() == [line]


def test_an_out_file_in_a_missing_folder_is_refused_before_advising(tmp_path):
    f = _write_csv(tmp_path / "r.csv", _rows(hours=3))
    target = tmp_path / "no" / "a.csv"
    r = _run(f, "--out", target)
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr.splitlines() == [f"error: --out {target}: folder {target.parent} does not exist"]
