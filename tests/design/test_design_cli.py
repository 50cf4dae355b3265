"""`twentyten design` and `twentyten standards` as a user runs them, on the bundled atlas."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from twentyten.cli import cli


@pytest.fixture(scope="module")
def atlas():
    from twentyten.atlas import load_atlas

    return load_atlas()  # a broken atlas fails these tests; it never skips them


def run(*args):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result


def test_real_counties_sinpho_city_and_a_jagang_county(atlas):
    from twentyten.design import design_package
    from twentyten.standards import load_standards

    std = load_standards()
    sinpho = atlas.find("Sinpho City")
    jagang = next(c for c in atlas.counties("PRK-jagang") if c.physiography == "mountainous")
    p_sinpho, p_jagang = design_package(sinpho, 2025, std), design_package(jagang, 2025, std)
    assert len(p_sinpho.by_type("offshore_farm")) == 1
    assert p_jagang.by_type("offshore_farm") == ()
    fishery = [f for f in p_sinpho.by_type("factory") if "fish" in f.name.lower()]
    assert fishery
    jagang_lines = {line for f in p_jagang.by_type("factory") for line in f.lines}
    assert any("wild-fruit" in x.lower() or "herb" in x.lower() for x in jagang_lines)
    # the more populous of the two never gets fewer hospital beds
    (_, small), (_, big) = sorted([(sinpho.population, p_sinpho), (jagang.population, p_jagang)], key=lambda t: t[0])
    assert big.by_type("hospital")[0].capacity["beds"] >= small.by_type("hospital")[0].capacity["beds"]


def test_design_one_county_as_json(atlas):
    result = run("design", "Sinpho City", "--year", "2026", "--format", "json")
    assert result.exit_code == 0, result.output
    d = json.loads(result.output)
    assert d["county_id"] == atlas.find("Sinpho City").id and d["year"] == 2026
    types = {f["facility_type"] for f in d["facilities"]}
    assert types == {"factory", "hospital", "leisure_complex", "grain_storage", "offshore_farm"}
    assert all(f["reasons"] and f["basis"] for f in d["facilities"])
    assert set(d["cost_by_payer"]) == {"centre", "province", "county"}


def test_design_table_shows_reasons_and_sources(atlas):
    result = run("design", "Sinpho City", "--explain")
    assert result.exit_code == 0, result.output
    assert "Why" in result.output and "Offshore farm" in result.output
    assert "[upi-pds-2017]" in result.output  # citations survive the table (not eaten as markup)


def test_design_csv_is_long_format_with_numbers(atlas):
    result = run("design", "Sinpho City", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert {r["facility"] for r in rows} >= {"Foodstuff factory", "City/county hospital", "Offshore farm"}
    assert set(rows[0]) >= {"county_id", "facility_type", "facility", "kind", "quantity", "value", "unit", "basis"}
    for r in rows:
        float(r["value"])  # every value is a plain number, never "floor_m2 1,500; lines 3"
        assert r["unit"]
    beds = next(r for r in rows if r["facility_type"] == "hospital" and r["quantity"] == "beds")
    d = json.loads(run("design", "Sinpho City", "--format", "json").output)
    hospital = next(f for f in d["facilities"] if f["facility_type"] == "hospital")
    assert float(beds["value"]) == hospital["capacity"]["beds"] and beds["kind"] == "capacity"
    months = [r for r in rows if r["quantity"] == "build_months"]
    assert len(months) == len(d["facilities"]) and all(r["unit"] == "months" for r in months)


def test_design_all_json_gives_one_object_per_county(atlas):
    result = run("design", "--all", "--format", "json", "--year", "2025")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    left_out = result.stderr.count("left out, not a programme site")
    assert len(data) == len(atlas.counties()) - result.stderr.count("skipped:") - left_out and left_out == 2
    assert len({d["county_id"] for d in data}) == len(data)


def test_design_errors(atlas):
    r = run("design", "Nowhere-at-all")  # bad input: exit 2, like every command
    assert r.exit_code == 2 and "no region matches" in r.stderr
    r = run("design")
    assert r.exit_code == 2 and "COUNTY or --all" in r.stderr
    r = run("design", "Sinpho City", "--year", "2010")
    assert r.exit_code == 2 and "base year" in r.stderr


def test_design_with_a_bad_norms_file_names_file_key_value(atlas, tmp_path):
    f = tmp_path / "mine.csv"
    f.write_text("key,value\nhospital.occupancy,high\n")
    r = run("design", "Sinpho City", "--norms", str(f))
    assert r.exit_code == 2
    assert str(f) in r.stderr and "hospital.occupancy" in r.stderr and "'high'" in r.stderr


def test_design_with_own_norms_changes_the_package(atlas, tmp_path):
    f = tmp_path / "mine.yaml"
    f.write_text("hospital.tier_beds_per_1000_low: 0.8\nhospital.tier_beds_per_1000_high: 0.6\n")
    base = json.loads(run("design", "Sinpho City", "--format", "json").output)
    mine = json.loads(run("design", "Sinpho City", "--format", "json", "--norms", str(f)).output)

    def beds(d):
        return next(x for x in d["facilities"] if x["facility_type"] == "hospital")["capacity"]["beds"]

    assert beds(mine) > beds(base)


def test_standards_list_show_improvements_sources_check(tmp_path):
    r = run("standards", "list", "--year", "2028", "--format", "json")
    rows = json.loads(r.output)
    by_key = {x["key"]: x for x in rows}
    assert by_key["leisure.pop_per_computer"]["value"] == 1500
    assert by_key["grain.payer_county"]["source"] == "dailynk-hwangju-2025"
    r = run("standards", "list", "--quality", "assumption", "--format", "csv")
    assert all(x["quality"] == "assumption" for x in csv.DictReader(io.StringIO(r.output)))
    r = run("standards", "show", "factory", "--format", "json")
    d = json.loads(r.output)
    assert {x["line"] for x in d["lines"]} >= {"wild_fruit", "fish_products", "paper"}
    r = run("standards", "show", "bakery")
    assert r.exit_code == 2 and "unknown facility type" in r.stderr
    r = run("standards", "improvements", "--year", "2028", "--format", "json")
    assert {x["year"] for x in json.loads(r.output)} == {2028}
    r = run("standards", "sources", "--format", "json")
    assert any(x["id"] == "wheeler" and x["norms"] >= 6 for x in json.loads(r.output))
    f = tmp_path / "mine.csv"
    f.write_text("key,value\ngrain.months_held,9\n")
    r = run("standards", "check", str(f))
    assert r.exit_code == 0 and "1 norm(s) changed" in r.output
    f.write_text("key,value\ngrain.months_hold,9\n")
    r = run("standards", "check", str(f))
    assert r.exit_code == 2 and "grain.months_hold" in r.stderr and "did you mean grain.months_held" in r.stderr


def test_standards_export_then_use_the_copy(tmp_path):
    dest = tmp_path / "mystd"
    r = run("standards", "export", str(dest))
    assert r.exit_code == 0 and (dest / "norms.csv").is_file()
    r = run("standards", "list", "--standards", str(dest), "--type", "hospital", "--format", "json")
    assert r.exit_code == 0 and all(x["applies_to"] in ("hospital", "*") for x in json.loads(r.output))


def test_design_compare_shows_the_rising_standard_costed(atlas):
    r = run("design", "Kimhwa", "--year", "2030", "--compare", "2024", "--format", "json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    c = d["compared_with"]
    assert c["year"] == 2024 and c["cost_change"] > 0
    assert all(row["cost 2030"] >= row["cost 2024"] for row in c["facilities"])
    r = run("design", "Kimhwa", "--year", "2030", "--compare", "2024")
    assert "Compared with the 2024 standard" in r.output


def test_design_what_if_changes_the_county(atlas):
    base = json.loads(run("design", "Chosan", "--format", "json").output)
    r = run("design", "Chosan", "--format", "json", "--set", "population=400000", "--set", "raw_materials=livestock")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["what_if"] == ["population=400000", "raw_materials=livestock"]
    assert d["cost"] > base["cost"]
    lines = {x for f in d["facilities"] if f["facility_type"] == "factory" for x in f["lines"]}
    assert "Dairy products" in lines and not any("paper" in x.lower() for x in lines)
    r = run("design", "Chosan", "--set", "population=-5")
    assert r.exit_code == 2 and "population" in r.stderr
    r = run("design", "--all", "--set", "population=5")
    assert r.exit_code == 2


def test_design_province_tells_two_counties_apart(atlas):
    r = run("design", "Unsan")
    assert r.exit_code == 2 and "--province" in r.stderr
    north = json.loads(run("design", "Unsan", "--province", "North Pyongan", "--format", "json").output)
    south = json.loads(run("design", "Unsan", "-p", "South Pyongan", "--format", "json").output)
    assert north["county_id"] == "PRK-north-pyongan-unsan" and south["county_id"] == "PRK-south-pyongan-unsan"
    assert run("design", "--all", "--province", "North Pyongan").exit_code == 2


def test_design_what_if_physiography_must_be_a_known_class(atlas):
    r = run("design", "Chosan", "--set", "physiography=swamp")
    assert r.exit_code == 2 and "swamp" in r.stderr and "mountainous" in r.stderr
    assert run("design", "Chosan", "--set", "physiography=coastal", "--format", "json").exit_code == 0


@pytest.mark.parametrize("year", ["2034", "2100"])
def test_design_after_the_last_standard_says_it_is_held(atlas, year):
    r = run("design", "Kimhwa", "--year", year, "--format", "json")
    assert r.exit_code == 0
    assert "after 2033" in r.stderr and "held" in r.stderr
    d = json.loads(r.stdout)
    assert any("after 2033" in n for n in d["notes"])
    last = json.loads(run("design", "Kimhwa", "--year", "2033", "--format", "json").stdout)
    assert d["cost"] >= last["cost"]
    assert "after 2033" in run("standards", "list", "--year", year).stderr


def test_design_with_a_zero_divisor_norm_is_an_error_not_a_traceback(atlas, tmp_path):
    f = tmp_path / "mine.csv"
    f.write_text("key,value\nhospital.alos_days,0\nleisure.pop_per_computer,0\n")
    r = run("design", "Kimhwa", "--norms", str(f))
    assert r.exit_code == 2
    for text in (str(f), "hospital.alos_days", "leisure.pop_per_computer", "'0'"):
        assert text in r.stderr
    bom = tmp_path / "bom.csv"
    bom.write_bytes("\ufeffkey,value\nhospital.alos_days,6\n".encode())
    assert run("design", "Kimhwa", "--norms", str(bom)).exit_code == 0


def test_design_all_with_compare_and_explain(atlas):
    r = run("design", "--all", "--year", "2030", "--compare", "2024", "--format", "json")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert all(d["compared_with"]["year"] == 2024 and d["compared_with"]["cost_change"] > 0 for d in data)
    r = run("design", "--all", "--year", "2030", "--compare", "2024")
    assert r.exit_code == 0 and "At the 2024 standard" in r.stdout
    r = run("design", "--all", "--explain")
    assert r.exit_code == 2 and "--explain" in r.stderr
    r = run("design", "--all", "--explain", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert rows and all(row["basis"] for row in rows if row["quantity"] == "cost")
    plain = list(csv.DictReader(io.StringIO(run("design", "--all", "--format", "csv").stdout)))
    assert "basis" not in plain[0]


def test_build_months_across_the_bundled_atlas(atlas):
    """Factory sites take about 9-12 months (the 2024 sites took 10-11), not the floor."""
    from twentyten.design import design_all
    from twentyten.standards import load_standards

    std = load_standards()
    packages = design_all(atlas.counties(), 2024, std, skip_missing=True, explain=False)
    months = sorted(max(f.build_months for f in p.by_type("factory")) for p in packages.values())
    floor = std.norms["construction.min_build_months"].value
    assert sum(m <= floor for m in months) <= len(months) // 20
    assert 9.5 <= months[len(months) // 2] <= 11.5
    assert months[-1] <= std.norms["construction.target_build_months"].value
    kimhwa = packages[atlas.find("Kimhwa").id]
    assert 9 <= kimhwa.by_type("factory")[0].build_months <= 12.5
    # the yearly programme stays within the planner's default labour (~20 sites a year)
    labour = sorted(sum(f.labour_regiment_months for f in p.by_type("factory")) for p in packages.values())
    assert 6 <= labour[len(labour) // 2] <= 14


@pytest.mark.parametrize(
    ("setting", "reason"),
    [
        ("area_km2=inf", "not a finite number: 'inf'"),  # was a traceback (OverflowError)
        ("population=nan", "not a number: 'nan'"),
        ("population=1e30", "not a whole number in digits: '1e30'"),
        ("population=0", "a county to design has people (give a positive number)"),
        ("coastal=maybe", "not true/false: 'maybe'"),
    ],
)
def test_design_what_if_values_are_read_as_the_atlas_reads_them(atlas, setting, reason):
    key, _, value = setting.partition("=")
    r = run("design", "Chosan", "--set", setting)
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr.splitlines() == [f"error: --set {key}={value!r}: {reason}"]
