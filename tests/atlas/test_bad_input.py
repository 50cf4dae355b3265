"""Every bad dataset is refused the same way: exit 2, one clear line per problem (file,
row or feature, column, reason), nothing on stdout, nothing written, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from twentyten.atlas import AtlasValidationError, DatasetNotFound, load_atlas, validate_path
from twentyten.atlas.schema import parse_float, parse_int
from twentyten.cli import cli

HEADER = "id,level,parent_id,name,population,lon,lat,bbox_w,bbox_s,bbox_e,bbox_n\n"
PROVINCE = "P,province,,Pro,{pop},,,,,,\n"
COUNTY = "C,county,P,Cou,{pop},0.5,0.5,0,0,1,1\n"


def dataset(folder: Path, rows: str | None = None, features: list | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = rows if rows is not None else HEADER + PROVINCE.format(pop=5) + COUNTY.format(pop=5)
    (folder / "regions.csv").write_text(text, encoding="utf-8")
    if features is not None:
        (folder / "regions.geojson").write_text(
            json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return folder


def feature(fid: str, ring: list) -> dict:
    return {"type": "Feature", "properties": {"id": fid}, "geometry": {"type": "Polygon", "coordinates": [ring]}}


SQUARE = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]


def refused(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real command line (as a user would) and check the refusal's shape."""
    r = subprocess.run([sys.executable, "-m", "twentyten", *args], capture_output=True, text=True,
                       env={**os.environ, **(env or {})}, timeout=120)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""
    assert r.stderr.startswith("error: ")
    return r


# -- numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(("bad", "reason"), [
    ("4,36,14", "digits grouped wrongly: '4,36,14' (write 43614 or 43,614)"),
    ("436,14", "digits grouped wrongly: '436,14' (write 43614 or 43,614)"),
    ("43,61,4", "digits grouped wrongly"),
    (",436", "not a number"),
    ("43614,", "digits grouped wrongly"),
    ("4,3614", "digits grouped wrongly"),
    ("43,614.0", "not a whole number in digits: '43,614.0'"),
    ("4.3614e4", "not a whole number in digits"),
    ("1_000", "not a number"),
    ("٤٣", "not a number"),
    ("43 614", "not a number"),
])
def test_a_population_not_written_as_digits_or_in_threes_is_refused(tmp_path, bad, reason):
    rows = HEADER + PROVINCE.format(pop=5) + COUNTY.format(pop=f'"{bad}"')
    problems = validate_path(dataset(tmp_path, rows))
    mine = [p for p in problems if (p.row, p.column) == (3, "population")]
    assert len(mine) == 1 and mine[0].reason.startswith(reason), problems


def test_the_issues_two_numbers_print_one_line_each(tmp_path):
    rows = HEADER + PROVINCE.format(pop='"4,36,14"') + COUNTY.format(pop='"436,14"')
    r = refused("atlas", "validate", str(dataset(tmp_path, rows)))
    assert f"{tmp_path / 'regions.csv'}, row 2, column 'population': digits grouped wrongly: '4,36,14' (write 43614 or 43,614)" in r.stderr
    assert f"{tmp_path / 'regions.csv'}, row 3, column 'population': digits grouped wrongly: '436,14' (write 43614 or 43,614)" in r.stderr


def test_correctly_grouped_populations_load(tmp_path):
    rows = HEADER + PROVINCE.format(pop='"1,299,830"') + COUNTY.format(pop='"1,299,830"')
    atlas = load_atlas(dataset(tmp_path, rows))
    assert atlas.get("C").population == 1_299_830 == atlas.get("P").population


@given(st.integers(-10**15, 10**15))
def test_any_integer_in_digits_or_grouped_by_threes_parses_back(n):
    assert parse_int(str(n)) == n
    assert parse_int(f"{n:,}") == n
    assert parse_float(f"{n:,}") == float(n)


@st.composite
def misgrouped(draw):
    """A number's digits with commas anywhere except exactly every three from the right."""
    digits = str(draw(st.integers(10, 10**12)))
    right = {len(digits) - k for k in range(3, len(digits), 3)}
    cuts = draw(st.sets(st.integers(1, len(digits) - 1), min_size=1).filter(lambda s: s != right))
    text = "".join(("," if i in cuts else "") + d for i, d in enumerate(digits))
    frac = draw(st.sampled_from(["", ".5"]))
    return text + frac


@given(misgrouped())
def test_any_misgrouped_number_is_refused_and_the_fix_is_given(text):
    for parse in (parse_int, parse_float):
        with pytest.raises(ValueError, match="grouped wrongly") as info:
            parse(text)
        whole = text.split(".")[0].replace(",", "")
        assert f"write {whole}" in str(info.value)


# -- structure -------------------------------------------------------------------------


def test_a_province_that_is_its_own_parent_is_refused(tmp_path):
    rows = HEADER + "P,province,P,Pro,5,,,,,,\n" + COUNTY.format(pop=5)
    r = refused("atlas", "validate", str(dataset(tmp_path, rows)))
    assert r.stderr.strip() == (f"error: {tmp_path / 'regions.csv'}, row 2, column 'parent_id': "
                                "province 'P' is its own parent; it would not load")


def test_a_province_with_a_parent_and_a_county_of_its_own_are_refused(tmp_path):
    rows = HEADER + PROVINCE.format(pop=5) + "Q,province,P,Q,0,,,,,,\n" + COUNTY.format(pop=5) + "D,county,D,D,0,,,,,,\n"
    reasons = {(p.row, p.reason) for p in validate_path(dataset(tmp_path, rows))}
    assert (3, "a province has no parent (got 'P'); leave parent_id empty") in reasons
    assert (5, "county 'D' is its own parent") in reasons


def test_a_self_intersecting_polygon_is_refused(tmp_path):
    bow_tie = [[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]
    r = refused("atlas", "validate", str(dataset(tmp_path, features=[feature("C", bow_tie)])))
    line = f"{tmp_path / 'regions.geojson'}, feature 1 (id 'C'), geometry: polygon crosses itself near (0.5, 0.5)"
    assert line in r.stderr
    with pytest.raises(AtlasValidationError, match=r"polygon crosses itself"):
        load_atlas(tmp_path)  # loading a user's dataset checks its shapes too, not only `atlas validate`


def test_duplicate_feature_ids_are_refused(tmp_path):
    r = refused("atlas", "validate", str(dataset(tmp_path, features=[feature("C", SQUARE), feature("C", SQUARE)])))
    assert "feature 2, id: duplicate feature id 'C' (first at feature 1)" in r.stderr


def test_a_polygon_far_outside_its_countys_box_is_refused(tmp_path):
    far = [[x + 5, y + 5] for x, y in SQUARE]  # ~ 550 km north-east of the county's box (0, 0, 1, 1)
    (p,) = validate_path(dataset(tmp_path, features=[feature("C", far)]))
    assert (p.unit, p.row, p.key, p.column) == ("feature", 1, "id 'C'", "geometry")
    assert "km outside the region's bounding box" in p.reason
    assert 500 < float(p.reason.split("reaches ")[1].split(" km")[0].replace(",", "")) < 900
    near = [[x * 1.05, y * 1.05] for x, y in SQUARE]  # a few km over the edge: an approximate shape may
    assert validate_path(dataset(tmp_path / "near", features=[feature("C", near)])) == []


def test_a_megabyte_cell_is_a_clear_problem_not_a_traceback(tmp_path):
    rows = HEADER + PROVINCE.format(pop=5) + 'C,county,P,"' + "x" * 1_000_000 + '",5,,,,,,\n'
    r = refused("atlas", "validate", str(dataset(tmp_path, rows)))
    assert "row 3: a cell longer than 131,072 characters" in r.stderr


def test_an_unterminated_quote_is_a_problem_not_a_swallowed_row(tmp_path):
    rows = HEADER + PROVINCE.format(pop=5) + 'C,county,P,"Cou,5,,,,,,\nD,county,P,Dee,0,,,,,,\n'
    problems = validate_path(dataset(tmp_path, rows))
    assert any("line break inside a cell" in p.reason for p in problems), problems


# -- the dataset itself ----------------------------------------------------------------


def test_a_missing_dataset_from_the_environment_names_the_path_and_the_variable():
    r = refused("atlas", "list", env={"TWENTYTEN_DATASET": "/nonexistent"})
    assert r.stderr.splitlines() == [
        "error: /nonexistent: no such dataset (from TWENTYTEN_DATASET): not a bundled dataset (dprk), "
        "folder or CSV file; nothing was loaded"]


def test_a_missing_dataset_is_the_atlas_error_type(monkeypatch):
    monkeypatch.setenv("TWENTYTEN_DATASET", "/nonexistent")
    with pytest.raises(AtlasValidationError) as info:
        load_atlas()
    assert isinstance(info.value, DatasetNotFound)
    assert str(info.value).startswith("/nonexistent: no such dataset (from TWENTYTEN_DATASET)")
    with pytest.raises(DatasetNotFound, match="no such dataset: "):
        load_atlas("/nonexistent")


# -- nothing written, and the output conventions ---------------------------------------


def test_bad_input_writes_nothing(tmp_path):
    bad = dataset(tmp_path / "bad", HEADER + PROVINCE.format(pop='"4,36,14"') + COUNTY.format(pop=5))
    for cmd in (["list", "--format", "csv"], ["summary"], ["sources"], ["map"]):
        out = tmp_path / f"{cmd[0]}.out"
        r = CliRunner().invoke(cli, ["atlas", *cmd, "--dataset", str(bad), "--out", str(out)])
        assert r.exit_code == 2 and "grouped wrongly" in r.stderr and r.stdout == "", cmd
        assert not out.exists(), cmd
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad"]


def test_out_replaces_a_file_whole_and_says_so_on_stderr(tmp_path):
    out = tmp_path / "counties.csv"
    out.write_text("old\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["atlas", "list", "--format", "csv", "--out", str(out)])
    assert r.exit_code == 0 and r.stdout == "" and f"wrote {out}" in r.stderr
    assert out.read_text(encoding="utf-8").splitlines()[0].startswith("id,level,name")
    assert len(out.read_text(encoding="utf-8").splitlines()) == 180
    assert [p.name for p in tmp_path.iterdir()] == ["counties.csv"]  # no temporary file left


def test_out_into_a_missing_folder_is_bad_usage(tmp_path):
    r = CliRunner().invoke(cli, ["atlas", "summary", "--out", str(tmp_path / "no" / "s.csv")])
    assert r.exit_code == 2 and "does not exist" in r.stderr and not (tmp_path / "no").exists()


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_validate_can_give_the_problems_as_data(tmp_path, fmt):
    rows = HEADER + PROVINCE.format(pop='"4,36,14"') + COUNTY.format(pop=5)
    r = CliRunner().invoke(cli, ["atlas", "validate", str(dataset(tmp_path, rows)), "--format", fmt])
    assert r.exit_code == 2 and "1 problem in" in r.stderr
    if fmt == "json":
        (p,) = json.loads(r.stdout)
        assert (p["row"], p["column"]) == (2, "population") and "grouped wrongly" in p["reason"]
    else:
        assert r.stdout.splitlines()[0] == "file,unit,row,key,column,reason"
        assert "grouped wrongly" in r.stdout.splitlines()[1]


def test_show_csv_and_out(tmp_path):
    r = CliRunner().invoke(cli, ["atlas", "show", "Chosan", "--format", "csv"])
    assert r.exit_code == 0 and r.stdout.splitlines()[0] == "attribute,value,method,sources,rule"
    assert any(line.startswith("population,43614,quoted") for line in r.stdout.splitlines())


@pytest.mark.parametrize(("text", "words"), [
    ("suffixes: 5\n", "suffixes: expected a list of texts, got 5"),
    ("local_suffixes: [1, 2]\n", "local_suffixes: expected a list of texts"),
    ("folds: [[ph]]\n", "folds: each entry must be a pair"),
    ("fold: []\n", "unknown key(s) fold"),
])
def test_a_bad_names_file_is_a_problem_not_a_traceback(tmp_path, text, words):
    folder = dataset(tmp_path)
    (folder / "names.yaml").write_text(text, encoding="utf-8")
    (p,) = validate_path(folder)
    assert p.file.endswith("names.yaml") and words in p.reason
