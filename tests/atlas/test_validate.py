"""Loading another country's data: every problem reported at once, nothing loaded partially."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from twentyten.atlas import AtlasValidationError, load_atlas, validate_path
from twentyten.atlas.schema import COLUMN_NAMES

HEADER = ["id", "level", "parent_id", "name", "name_local", "population", "lon", "lat",
          "bbox_w", "bbox_s", "bbox_e", "bbox_n", "coastal", "physiography", "raw_materials"]


@st.composite
def datasets(draw):
    """A valid small country: 1-3 provinces, 1-6 districts each, consistent geometry."""
    rows = []
    n_prov = draw(st.integers(1, 3))
    for p in range(n_prov):
        pid = f"P{p}"
        kids = []
        for k in range(draw(st.integers(1, 6))):
            lon = draw(st.floats(-1.0, 1.0)) + p * 3
            lat = draw(st.floats(5.0, 7.0))
            pop = draw(st.integers(0, 2_000_000))
            kids.append({"id": f"{pid}-D{k}", "level": "county", "parent_id": pid, "name": f"District {p}{k}",
                         "name_local": "", "population": str(pop), "lon": f"{lon:.5f}", "lat": f"{lat:.5f}",
                         "bbox_w": f"{lon - 0.1:.5f}", "bbox_s": f"{lat - 0.1:.5f}", "bbox_e": f"{lon + 0.1:.5f}",
                         "bbox_n": f"{lat + 0.1:.5f}", "coastal": draw(st.sampled_from(["true", "false"])),
                         "physiography": draw(st.sampled_from(["mountainous", "lowland", "coastal", "industrial-urban"])),
                         "raw_materials": "cocoa;timber"})
        rows.append({"id": pid, "level": "province", "parent_id": "", "name": f"Region {p}", "name_local": "",
                     "population": str(sum(int(k["population"]) for k in kids)), "lon": "", "lat": "",
                     "bbox_w": "", "bbox_s": "", "bbox_e": "", "bbox_n": "", "coastal": "", "physiography": "",
                     "raw_materials": ""})
        rows.extend(kids)
    return rows


def write(path: Path, rows, header=HEADER, encoding="utf-8") -> Path:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=header, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


# (kind, column, bad value, words expected in the reason)
BREAKAGES = [
    ("missing population", "population", "", "missing value"),
    ("negative population", "population", "-5", "negative population"),
    ("non-numeric population", "population", "12a", "not a number"),
    ("non-numeric lon", "lon", "east", "not a number"),
    ("unknown parent", "parent_id", "P99", "unknown parent"),
    ("point outside box", "lat", "60.0", "outside its bounding box"),
    ("bad coastal", "coastal", "maybe", "not true/false"),
    ("bad class", "physiography", "swamp", "unknown class"),
]

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(datasets())
def test_generated_valid_datasets_load_with_same_values(tmp_path_factory, rows):
    path = write(tmp_path_factory.mktemp("ok") / "regions.csv", rows)
    atlas = load_atlas(path)
    assert len(atlas) == len(rows)
    for r in rows:
        reg = atlas.get(r["id"])
        assert reg.population == int(r["population"])
        assert reg.level == r["level"]
        if r["level"] == "county":
            assert reg.provenance["population"].sources == ("user:regions.csv",)


@SETTINGS
@given(datasets(), st.data())
def test_each_breakage_is_reported_with_row_and_column(tmp_path_factory, rows, data):
    kind, column, value, words = data.draw(st.sampled_from(BREAKAGES))
    counties = [i for i, r in enumerate(rows) if r["level"] == "county"]
    i = data.draw(st.sampled_from(counties))
    rows = [dict(r) for r in rows]
    rows[i][column] = value
    path = write(tmp_path_factory.mktemp("bad") / "regions.csv", rows)
    problems = validate_path(path)
    assert any(p.row == i + 2 and p.column == column and words in p.reason for p in problems), (kind, problems)
    with pytest.raises(AtlasValidationError):
        load_atlas(path)


@SETTINGS
@given(datasets(), st.data())
def test_several_problems_are_all_reported(tmp_path_factory, rows, data):
    counties = [i for i, r in enumerate(rows) if r["level"] == "county"]
    picks = data.draw(st.lists(st.sampled_from(counties), min_size=1, max_size=4, unique=True))
    rows = [dict(r) for r in rows]
    for i in picks:
        rows[i]["population"] = "-1"
    problems = validate_path(write(tmp_path_factory.mktemp("many") / "regions.csv", rows))
    assert {p.row for p in problems if p.column == "population" and "negative" in p.reason} == {i + 2 for i in picks}
    # a province whose county total cannot be read is not also told that it does not add up
    assert not [p for p in problems if "differs from the sum" in p.reason]


def test_duplicate_id_names_both_rows(tmp_path):
    rows = [
        {"id": "A", "level": "province", "name": "A", "population": "10"},
        {"id": "A-1", "level": "county", "parent_id": "A", "name": "One", "population": "5"},
        {"id": "A-1", "level": "county", "parent_id": "A", "name": "Two", "population": "5"},
    ]
    path = write(tmp_path / "r.csv", rows, header=["id", "level", "parent_id", "name", "population"])
    (p,) = validate_path(path)
    assert (p.row, p.column) == (4, "id") and "duplicate id 'A-1' (first at row 3)" in p.reason


def test_wrong_encoding_is_a_problem_not_a_crash(tmp_path):
    rows = [{"id": "A", "level": "province", "name": "Ségou", "population": "10"}]
    path = write(tmp_path / "r.csv", rows, header=["id", "level", "name", "population"], encoding="latin-1")
    (p,) = validate_path(path)
    assert "wrong encoding" in p.reason and p.row == 2


def test_missing_required_column_and_unknown_column(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("id,level,name,populaton\nA,province,A,10\n", encoding="utf-8")
    reasons = {(p.column, p.reason.split(" (")[0]) for p in validate_path(path)}
    assert ("population", "required column is missing") in reasons
    assert ("populaton", "unknown column") in reasons


def test_geojson_with_unknown_id_is_rejected(tmp_path):
    write(tmp_path / "regions.csv", [{"id": "A", "level": "province", "name": "A", "population": "1"},
                                     {"id": "A1", "level": "county", "parent_id": "A", "name": "A1", "population": "1"}],
          header=["id", "level", "parent_id", "name", "population"])
    (tmp_path / "regions.geojson").write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"B"},'
        '"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}', encoding="utf-8")
    (p,) = validate_path(tmp_path)
    assert p.file.endswith("regions.geojson") and "'B' is not a region" in p.reason


def test_schema_columns_are_documented_in_readme(repo_dir):
    readme = (repo_dir / "README.md").read_text(encoding="utf-8")
    for col in COLUMN_NAMES:
        assert f"`{col}`" in readme, col


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("[1, 2]", "expected a GeoJSON FeatureCollection"),
        ('{"type":"FeatureCollection","features":5}', "expected a list of features"),
        ('{"type":"FeatureCollection","features":[1]}', "feature is not an object"),
        ('{"type":"FeatureCollection","features":[{"properties":{"id":"A1"},"geometry":{"type":"Polygon","coordinates":[[["a",1]]]}}]}',
         "at least 4 positions"),
        ('{"type":"FeatureCollection","features":[{"properties":{"id":"A1"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}}]}',
         "must end where it starts"),
        ('{"type":"FeatureCollection","features":[{"properties":{"id":"A1"},"geometry":{"type":"Point","coordinates":[500,1]}}]}',
         "within range"),
        ("{not json", "not valid JSON"),
    ],
)
def test_broken_geojson_is_a_problem_not_a_crash(tmp_path, content, words):
    write(tmp_path / "regions.csv", [{"id": "A", "level": "province", "name": "A", "population": "1"},
                                     {"id": "A1", "level": "county", "parent_id": "A", "name": "A1", "population": "1"}],
          header=["id", "level", "parent_id", "name", "population"])
    (tmp_path / "regions.geojson").write_text(content, encoding="utf-8")
    problems = validate_path(tmp_path)
    assert any(words in p.reason and p.file.endswith("regions.geojson") for p in problems), problems


def test_header_problems_do_not_hide_row_problems(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("id,level,parent_id,name,population,foo,population\nP,province,,P,4,x,4\nC,county,P,C,-4,y,-4\n",
                    encoding="utf-8")
    reasons = [str(p) for p in validate_path(path)]
    assert any("column 'foo': unknown column" in r for r in reasons)
    assert any("column 'population': column appears 2 times" in r for r in reasons)
    assert any("row 3, column 'population': negative population" in r for r in reasons)


def test_totals_empty_province_and_empty_file(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("id,level,parent_id,name,population\nP,province,,P,999\nQ,province,,Q,0\nC,county,P,C,300\n",
                    encoding="utf-8")
    reasons = [str(p) for p in validate_path(path)]
    assert any("row 2, column 'population': province population 999 differs from the sum of its counties, 300" in r for r in reasons)
    assert any("row 3, column 'id': province 'Q' has no counties" in r for r in reasons)
    empty = tmp_path / "e.csv"
    empty.write_text("id,level,parent_id,name,population\n", encoding="utf-8")
    assert [p.reason for p in validate_path(empty)] == ["no data rows"]


def test_generic_dataset_uses_no_korean_name_rules(tmp_path):
    write(tmp_path / "regions.csv", [{"id": "A", "level": "province", "name": "Ashanti", "population": "3"},
                                     {"id": "A1", "level": "county", "parent_id": "A", "name": "Kumasi", "population": "1"},
                                     {"id": "A2", "level": "county", "parent_id": "A", "name": "Kumasi Rural", "population": "2"}],
          header=["id", "level", "parent_id", "name", "population"])
    atlas = load_atlas(tmp_path)
    assert atlas.find("kumasi city").id == "A1"   # generic suffix and case
    with pytest.raises(LookupError):
        atlas.find("Gumasi")                      # g/k folding is a DPRK rule, not a default


def test_bad_names_yaml_is_reported(tmp_path):
    write(tmp_path / "regions.csv", [{"id": "A", "level": "province", "name": "A", "population": "1"},
                                     {"id": "A1", "level": "county", "parent_id": "A", "name": "A1", "population": "1"}],
          header=["id", "level", "parent_id", "name", "population"])
    (tmp_path / "names.yaml").write_text("variants: [[\"(\", x]]\n", encoding="utf-8")
    (p,) = validate_path(tmp_path)
    assert p.file.endswith("names.yaml") and "bad pattern" in p.reason
