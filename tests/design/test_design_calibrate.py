"""`twentyten design calibrate`: the design beside every numeric fact of the record."""

from __future__ import annotations

import csv
import json
import math
import shutil

import pytest
from click.testing import CliRunner

from twentyten.atlas.loader import bundled_path
from twentyten.cli import cli
from twentyten.design.calibrate import (
    FACTS_FILE,
    FINDING_LOG_RATIO,
    GOAL_MEDIAN,
    CalibrationError,
    read_facts,
)

#: Kinds that meet the goal today; a change that breaks one of them fails here.
MEETS_GOAL = ("build_months:factory", "build_months:hospital", "factory_count", "payer_share")


@pytest.fixture(scope="module")
def report():
    result = CliRunner().invoke(cli, ["design", "calibrate", "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_every_fact_of_the_record_is_reported_with_its_source(report):
    with (bundled_path("dprk") / FACTS_FILE).open(newline="", encoding="utf-8") as fh:
        facts = list(csv.DictReader(fh))
    assert len(report["facts"]) == len(facts) >= 30
    for row in report["facts"]:
        assert row["source"] and row["design"] is not None, row
        assert row["ratio"] == pytest.approx(row["design"] / row["record"], abs=0.01)


def test_summary_meets_the_goal_where_the_record_has_three_facts(report):
    summary = {s["kind"]: s for s in report["summary"]}
    for kind in MEETS_GOAL:
        assert summary[kind]["facts"] >= 3
        assert summary[kind]["median_abs_log_ratio"] <= GOAL_MEDIAN, summary[kind]
        assert summary[kind]["goal"] == "met"
    for s in report["summary"]:
        logs = sorted(r["abs_log_ratio"] for r in report["facts"] if r["kind"] == s["kind"])
        mid = len(logs) // 2
        median = logs[mid] if len(logs) % 2 else (logs[mid - 1] + logs[mid]) / 2
        assert s["median_abs_log_ratio"] == pytest.approx(median, abs=0.002)
        assert s["worst_abs_log_ratio"] == pytest.approx(logs[-1], abs=0.002)


def test_a_fact_far_from_the_design_is_a_finding_with_its_reason(report):
    for row in report["facts"]:
        if row["abs_log_ratio"] > FINDING_LOG_RATIO:
            assert len(row["finding"]) > 40, (row["county"], row["kind"], row["ratio"])


def test_known_facts_reproduced_from_the_norms(report):
    rows = {(r["kind"], r["county"], r["record"]): r for r in report["facts"]}
    # Hwangju's grain centre: central:province:county = 1:2:7, as quoted
    for share in (0.1, 0.2, 0.7):
        assert rows[("payer_share", "Hwangju", share)]["design"] == share
    # Sinpho's offshore farm: about 5.5 months (July to 28 December 2024)
    sinpho = rows[("build_months:offshore_farm", "Sinpho City", 5.5)]
    assert abs(math.log(sinpho["design"] / 5.5)) < 0.15
    # Kimhwa, the pilot of 2021-22, is designed at the 2022 standard with its four factories
    assert rows[("factory_count", "Kimhwa", 4.0)]["design"] == 4


def _dataset_copy(tmp_path):
    folder = tmp_path / "ds"
    shutil.copytree(bundled_path("dprk"), folder)
    return folder


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("build_months,PRK-kangwon-kimhwa,2022,factory,,-3,months,x,,\n", "value"),
        ("build_months,PRK-kangwon-kimhwa,2022,factory,,nan,months,x,,\n", "not a finite number"),
        ("build_months,PRK-kangwon-kimhwa,2022,factory,,3,months,x,,,extra\n", "fields"),
        ("build_months,PRK-kangwon-kimhwa,2022,castle,,3,months,x,,\n", "not a facility type"),
        ("build_months,PRK-nowhere,2022,factory,,3,months,x,,\n", "not in the atlas"),
        ("speed,PRK-kangwon-kimhwa,2022,factory,,3,months,x,,\n", "unknown kind"),
    ],
)
def test_a_bad_fact_is_refused_naming_the_file(tmp_path, row, reason):
    folder = _dataset_copy(tmp_path)
    with (folder / FACTS_FILE).open("a", encoding="utf-8") as fh:
        fh.write(row)
    out = tmp_path / "report.json"
    result = CliRunner().invoke(cli, ["design", "calibrate", "--dataset", str(folder), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert reason in result.stderr and FACTS_FILE in result.stderr
    assert "Traceback" not in result.output and not out.exists()


def test_read_facts_forbids_unknown_columns(tmp_path):
    path = tmp_path / FACTS_FILE
    path.write_text("kind,region_id,year,facility_type,facility,value,unit,source,note,finding,colour\n"
                    "build_months,X,2024,factory,,3,months,s,,,red\n", encoding="utf-8")
    with pytest.raises(CalibrationError, match="colour"):
        read_facts(path)


def test_out_writes_the_whole_report_and_status_goes_to_stderr(tmp_path):
    out = tmp_path / "calibration.csv"
    result = CliRunner().invoke(cli, ["design", "calibrate", "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "written" in result.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows and {"kind", "county", "record", "design", "ratio", "source", "finding"} <= set(rows[0])


def test_calibrate_refuses_options_of_one_county():
    result = CliRunner().invoke(cli, ["design", "calibrate", "--year", "2025"])
    assert result.exit_code == 2 and "calibrate takes only" in result.stderr


def test_regiments_on_site_are_labour_over_the_working_months(report):
    from twentyten.atlas import load_atlas
    from twentyten.design import design_package
    from twentyten.standards import load_standards

    std = load_standards()
    pkg = design_package(load_atlas().find("Sukchon"), 2024, std, explain=False)
    factories = pkg.by_type("factory")
    working = factories[0].build_months - std.for_year(2024).value("construction.setup_months")
    expected = sum(f.labour_regiment_months for f in factories) / working
    row = next(r for r in report["facts"] if r["kind"] == "regiments_on_site" and r["county"] == "Sukchon")
    assert row["design"] == pytest.approx(expected, abs=0.01)
