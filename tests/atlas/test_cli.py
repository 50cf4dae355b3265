"""The `twentyten atlas` commands as a user runs them."""

from __future__ import annotations

import json

from click.testing import CliRunner

from twentyten.cli import cli


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_list_json_has_level_and_sources_per_attribute():
    r = run("atlas", "list", "--province", "Jagang", "--format", "json")
    assert r.exit_code == 0
    data = json.loads(r.output)
    assert len(data) == 18
    for obj in data:
        assert obj["level"] == "county" and obj["province"] == "Jagang"
        assert obj["attributes"]["population"]["sources"] == ["census2008"]
        assert obj["attributes"]["coastal"]["estimate"] is True


def test_list_csv_and_geojson():
    r = run("atlas", "list", "--format", "csv")
    lines = r.output.strip().splitlines()
    assert lines[0].startswith("id,level,name") and len(lines) == 180
    g = json.loads(run("atlas", "list", "--province", "Nampo", "--format", "geojson").output)
    assert len(g["features"]) == 6
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in g["features"])


def test_show_by_variant_and_hangul():
    r = run("atlas", "show", "Unnyul", "--format", "json")
    assert json.loads(r.output)["id"] == "PRK-south-hwanghae-unryul"
    r = run("atlas", "show", "락원군")
    assert "Rakwon" in r.output and "offshore" in r.output


def test_unknown_county_exits_nonzero_with_suggestions():
    r = CliRunner().invoke(cli, ["atlas", "show", "Sinuju"])
    assert r.exit_code == 2 and isinstance(r.exception, SystemExit)  # bad input, handled, not a crash
    assert "Sinuiju City" in r.stderr and r.stdout == ""


def test_ambiguous_county_lists_both():
    r = CliRunner().invoke(cli, ["atlas", "show", "Unsan"])
    assert r.exit_code == 2 and "North Pyongan" in r.output and "South Pyongan" in r.output


def test_summary_totals():
    data = json.loads(run("atlas", "summary", "--format", "json").output)
    total = data[-1]
    assert total["province"] == "Total" and total["counties"] == 179 and total["population"] == 23_349_859
    assert len(data) == 12


def test_validate_reports_problems_and_exits_nonzero(tmp_path):
    bad = tmp_path / "regions.csv"
    bad.write_text("id,level,parent_id,name,population\nP,province,,P,x\nC,county,Q,C,-3\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["atlas", "validate", str(bad)])
    assert r.exit_code == 2 and r.stdout == ""
    assert "row 2, column 'population': not a number" in r.output
    assert "row 3, column 'population': negative population" in r.output
    assert "row 3, column 'parent_id': unknown parent 'Q'" in r.output


def test_validate_bundled_folder_ok():
    from twentyten.atlas import bundled_path

    r = run("atlas", "validate", str(bundled_path("dprk")))
    assert r.exit_code == 0 and "179 counties" in r.stderr and r.stdout == ""


def test_map_page_has_every_county_coloured_by_class(tmp_path):
    import re

    from twentyten.atlas import load_atlas
    from twentyten.report.svgmap import QUALITATIVE

    out = tmp_path / "atlas.html"
    r = run("atlas", "map", "--by", "physiography", "--out", str(out))
    assert r.exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page and "http" not in page.split("<svg")[0]
    fills = dict(re.findall(r'<path class="county" data-id="([^"]+)" d="[^"]+" fill="(#[0-9a-fA-F]{6})"', page))
    assert len(fills) == 179
    order = ["mountainous", "lowland", "coastal", "industrial-urban"]
    for c in load_atlas().counties():
        assert fills[c.id] == QUALITATIVE[order.index(c.physiography)], c.id


def test_province_filter_means_a_province():
    data = json.loads(run("atlas", "list", "--province", "Pyongyang", "--format", "json").output)
    assert {d["id"] for d in data} == {"PRK-pyongyang-kangdong", "PRK-pyongyang-pyongyang", "PRK-pyongyang-unjong-dist"}
    r = CliRunner().invoke(cli, ["atlas", "list", "--province", "Kimhwa"])
    assert r.exit_code == 2 and "no province matches 'Kimhwa'" in r.output
    r = CliRunner().invoke(cli, ["atlas", "show", "Unsan", "--province", "Nowhere"])
    assert r.exit_code == 2 and "no province matches 'Nowhere'" in r.output


def test_map_to_unwritable_path_is_a_clear_error(tmp_path):
    r = CliRunner().invoke(cli, ["atlas", "map", "--out", str(tmp_path / "missing" / "x.html")])
    assert r.exit_code == 2 and isinstance(r.exception, SystemExit) and "does not exist" in r.stderr
    assert not (tmp_path / "missing").exists()
