"""A dataset file that is not UTF-8 text is bad input for every command that reads it: one
line naming the file, exit 2, never a traceback (design, design calibrate and plan each read
files of the dataset folder that the atlas loader does not)."""

import shutil
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner

from twentyten.cli import cli


@pytest.fixture
def dataset(tmp_path) -> Path:
    folder = tmp_path / "ds"
    shutil.copytree(Path(str(resources.files("twentyten") / "data" / "dprk")), folder)
    return folder


@pytest.mark.parametrize(
    ("name", "command"),
    [
        ("county_inputs.csv", ["design", "Kimhwa"]),
        ("programme_membership.csv", ["design", "Kimhwa"]),
        ("programme_membership.csv", ["plan", "--method", "greedy"]),
        ("sources.csv", ["plan", "--method", "greedy"]),
        ("calibration_facts.csv", ["design", "calibrate"]),
        ("rollout_sites.csv", ["design", "calibrate"]),
    ],
)
def test_a_file_that_is_not_text_is_one_line(dataset, name, command):
    with (dataset / name).open("ab") as fh:
        fh.write(b"\xff\n")
    r = CliRunner().invoke(cli, [*command, "--dataset", str(dataset)])
    assert r.exit_code == 2 and isinstance(r.exception, SystemExit), r.output
    line = r.stderr.splitlines()[-1]
    assert line.startswith(f"error: {dataset / name}: not UTF-8 text (invalid start byte at byte "), r.stderr


def test_a_calibration_cohort_year_that_is_not_a_year_is_one_line(dataset):
    path = dataset / "rollout_sites.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = next(i for i, ln in enumerate(lines) if "foodstuff" in ln)
    cells = lines[row].split(",")
    cells[header.index("year")] = "soon"
    lines[row] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["design", "calibrate", "--dataset", str(dataset)])
    assert r.exit_code == 2 and isinstance(r.exception, SystemExit), r.output
    assert r.stderr.splitlines()[-1] == f"error: {path}:{row + 1}: year 'soon' is not a year"
