"""The bundled standards load, every norm is sourced or a named assumption, the standard
rises by year, and bad user files are reported with file, key and value."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from twentyten.standards import (
    FACILITY_TYPES,
    Quality,
    StandardsError,
    bundled_path,
    load_standards,
)


@pytest.fixture(scope="module")
def std():
    return load_standards()


def test_bundled_catalogue_has_every_facility_type(std):
    assert set(std.facility_types) == set(FACILITY_TYPES)
    assert std.facility_types["offshore_farm"].requires == "coastal"
    standard_set = {k for k, f in std.factories.items() if f.standard}
    assert standard_set == {"foodstuff", "daily_necessities", "garment"}
    assert {"paper", "fishery_processing"} <= set(std.factories)


def test_every_bundled_norm_has_a_source_or_is_a_named_assumption(std):
    for key, n in std.norms.items():
        if n.quality is Quality.ASSUMPTION:
            assert len(n.note) > 20, f"{key}: an assumption needs its rationale"
            assert n.citation == f"assumption:{key}"
        else:
            assert n.quality in (Quality.QUOTED, Quality.DERIVED, Quality.WEAK), key
            assert n.source_id in std.sources, f"{key}: source {n.source_id!r} not in sources.csv"
        assert n.unit, f"{key}: every norm states its unit"


def test_every_line_rule_and_improvement_cites_a_known_source(std):
    for rule in std.lines:
        assert rule.reason and rule.source in std.sources, rule.id
    for imp in std.improvements:
        assert imp.source_id == "" or imp.source_id in std.sources
        assert imp.key in std.norms


def test_quoted_norms_match_the_shared_research_tables(std, shared_dir):
    """Numbers copied from ../shared/data/norms keep the values printed there."""
    norms_dir = shared_dir / "data" / "norms"

    def rows(name):
        with (norms_dir / name).open(newline="", encoding="utf-8") as fh:
            return list(csv.DictReader(fh))

    grain = {r["item"]: r["value"] for r in rows("dprk_food_grain.csv")}
    assert std.norms["grain.ration_g_per_day"].value == float(grain["PDS official goal ration"])
    assert std.norms["grain.utilisation_kg_per_capita"].value == float(grain["FAO/WFP cereal utilization norm"])
    lib = {r["item"]: r["value"] for r in rows("library_space_factors.csv")}
    assert std.norms["leisure.seats_per_1000.upto_10000"].value == float(lib["seats per 1000, design population <10000"])
    assert std.norms["leisure.seats_per_1000.upto_35000"].value == float(lib["seats per 1000, 10000-35000"])
    assert "2000" in lib["public computers (Texas enhanced)"]
    assert std.norms["leisure.pop_per_computer"].value == 2000
    hosp = {r["indicator"]: r["value"] for r in rows("hospital_norms.csv")}
    assert std.norms["hospital.occupancy"].value * 100 == float(hosp["Hill-Burton occupancy design"])
    paper = {r["region"]: r["kg_per_capita"] for r in rows("paper_consumption_2014.csv")}
    assert std.norms["paper.kg_per_capita"].value == float(paper["Rest of Asia"])
    kelp = rows("mariculture_yields.csv")[0]
    assert std.norms["offshore.kelp_t_per_ha"].value == float(kelp["yield_t_per_ha"])
    facts = {r["factory"]: r["products_or_note"] for r in rows("regional_factories_20x10.csv")}
    assert "1:2:7" in facts["grain management centre"]
    g = [std.norms[f"grain.payer_{p}"].value for p in ("centre", "province", "county")]
    assert g == [0.1, 0.2, 0.7]


def test_rising_standard_applies_improvements_cumulatively(std):
    y24, y25, y33 = std.for_year(2024), std.for_year(2025), std.for_year(2033)
    assert y24.value("factory.coverage_target") == std.norms["factory.coverage_target"].value
    assert y25.value("factory.coverage_target") == pytest.approx(y24.value("factory.coverage_target") + 0.03)
    assert y33.value("factory.cost_per_m2") > y25.value("factory.cost_per_m2") > y24.value("factory.cost_per_m2")
    assert y33.value("leisure.pop_per_computer") == 1500  # Texas 'excellent' tier from 2028
    assert "factory.cost_per_m2" in y33.changed_by and "factory.cost_per_m2" not in y24.changed_by
    assert std.for_year(2040).values == y33.values  # after the last improvement the standard stays
    with pytest.raises(ValueError, match="base year"):
        std.for_year(2020)


def test_each_programme_year_has_named_improvements(std):
    for year in range(2025, 2034):
        names = {i.name for i in std.improvements_in(year)}
        assert names, f"no improvement in {year}"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_user_norms_file_replaces_and_extends(tmp_path):
    f = _write(
        tmp_path / "mine.csv",
        "key,value,unit,note\nhospital.occupancy,0.8,,US guideline minimum\nfood.kimchi_kg_per_capita,20,kg per person per year,our survey\n",
    )
    std = load_standards(overrides=f)
    assert std.for_year(2024).value("hospital.occupancy") == 0.8
    assert std.norms["hospital.occupancy"].quality is Quality.USER
    assert std.norms["hospital.occupancy"].origin == str(f)
    assert std.norms["food.kimchi_kg_per_capita"].value == 20
    assert std.overrides == (str(f),)


def test_user_norms_yaml_and_mapping(tmp_path):
    f = _write(tmp_path / "mine.yaml", "grain.months_held: 9\nhospital.alos_days: {value: 6, note: ward survey}\n")
    std = load_standards(overrides=f)
    assert std.norms["grain.months_held"].value == 9
    assert std.norms["hospital.alos_days"].note == "ward survey"
    std2 = load_standards(overrides={"grain.months_held": 10})
    assert std2.norms["grain.months_held"].value == 10


@pytest.mark.parametrize(
    ("text", "key", "value", "problem"),
    [
        ("key,value\nhospital.occupancy,lots\n", "hospital.occupancy", "lots", "not a number"),
        ("key,value\nhospital.occupancy,1.5\n", "hospital.occupancy", "1.5", "share"),
        ("key,value\nhospital.alos_days,-3\n", "hospital.alos_days", "-3", "negative"),
        ("key,value\nhospital.ocupancy,0.8\n", "hospital.ocupancy", "0.8", "did you mean hospital.occupancy"),
        ("key,value,unit\nhospital.alos_days,6,weeks\n", "hospital.alos_days", "6", "unit"),
        ("key,value\ngrain.payer_county,0.5\n", "grain.payer_*", 0.8, "sum to 1"),
    ],
)
def test_bad_user_norms_file_names_file_key_and_value(tmp_path, text, key, value, problem):
    f = _write(tmp_path / "bad.csv", text)
    with pytest.raises(StandardsError) as info:
        load_standards(overrides=f)
    err = info.value
    assert err.file == str(f)
    assert err.key == key
    assert err.value == value
    assert problem in str(err)
    assert str(f) in str(err) and key in str(err)


def test_bad_user_file_format_and_missing_column(tmp_path):
    with pytest.raises(StandardsError, match="missing column"):
        load_standards(overrides=_write(tmp_path / "a.csv", "name,value\nx,1\n"))
    with pytest.raises(StandardsError, match=r"\.csv, \.yaml"):
        load_standards(overrides=_write(tmp_path / "a.txt", "x"))
    with pytest.raises(StandardsError, match="no such norms file"):
        load_standards(overrides=tmp_path / "missing.csv")
    with pytest.raises(StandardsError, match="not valid YAML"):
        load_standards(overrides=_write(tmp_path / "a.yaml", "a: [1, 2\n"))


@pytest.fixture()
def copy(tmp_path):
    dest = tmp_path / "std"
    shutil.copytree(bundled_path(), dest)
    return dest


def test_another_countrys_folder_loads_and_errors_point_into_it(copy):
    std = load_standards(copy)
    assert std.origin == str(copy)
    cat = copy / "catalogue.yaml"
    cat.write_text(cat.read_text().replace("demand: food.bread_sweets_kg_per_capita", "demand: food.bread_kg"))
    with pytest.raises(StandardsError) as info:
        load_standards(copy)
    assert info.value.file == str(cat)
    assert "bread_sweets" in info.value.key and info.value.value == "food.bread_kg"


def test_bundled_norm_without_source_or_rationale_is_rejected(copy):
    norms = copy / "norms.csv"
    text = norms.read_text().replace(
        "hospital.min_beds,50,beds,hospital,quoted,kenya-levels,", "hospital.min_beds,50,beds,hospital,quoted,,"
    )
    norms.write_text(text)
    with pytest.raises(StandardsError, match="needs a source_id") as info:
        load_standards(copy)
    assert info.value.key == "hospital.min_beds source_id"


def test_improvement_taking_a_share_out_of_range_is_rejected(copy):
    imp = copy / "improvements.csv"
    imp.write_text(imp.read_text() + "2033,Too much,factory,factory.coverage_target,add,0.9,,oops\n")
    with pytest.raises(StandardsError, match="out of range") as info:
        load_standards(copy)
    assert info.value.file.endswith("improvements.csv") and info.value.key == "factory.coverage_target"


def test_user_value_pushed_out_of_range_by_improvements_names_the_user_file(tmp_path):
    f = _write(tmp_path / "mine.csv", "key,value\nfactory.coverage_target,0.95\n")
    with pytest.raises(StandardsError, match="improvements") as info:
        load_standards(overrides=f)
    assert info.value.file == str(f) and info.value.key == "factory.coverage_target" and info.value.value == 0.95


# -- ranges, encodings, all problems at once, nested YAML ----------------------------------


@pytest.mark.parametrize(
    ("key", "value"),
    [("hospital.alos_days", "0"), ("leisure.pop_per_computer", "0"), ("hospital.occupancy", "0"),
     ("grain.storage_t_per_m3", "0"), ("construction.crew_m2_per_month", "0"), ("hospital.max_beds", "0.5")],
)
def test_a_norm_outside_its_declared_range_is_rejected(tmp_path, key, value):
    f = _write(tmp_path / "bad.csv", f"key,value\n{key},{value}\n")
    with pytest.raises(StandardsError) as info:
        load_standards(overrides=f)
    assert (info.value.file, info.value.key, info.value.value) == (str(f), key, value)
    assert "must be" in str(info.value) and str(f) in str(info.value)


def test_every_bundled_norm_at_the_edge_of_its_range_still_designs(std):
    """Any value a norms file may give (the lowest of each range) designs without a crash."""
    from twentyten.design import design_package
    from twentyten.domain import Level, Region
    from twentyten.standards.load import parse_range

    county = Region("X-a", Level.COUNTY, "A", population=50_000, area_km2=800.0, coastal=True,
                    physiography="coastal", raw_materials=("timber", "seafood", "wild fruit", "grain"))
    for key, n in std.norms.items():
        bounds = dict(parse_range(n.bounds, n.unit))
        if ">=" in bounds:
            edge = bounds[">="]
        elif ">" in bounds:
            edge = bounds[">"] + 1e-6
        else:
            continue
        try:
            mine = load_standards(overrides={key: edge})
        except StandardsError as exc:  # payer shares must still sum to 1; a maximum stays above its minimum
            assert "sum to 1" in str(exc) or "is above the maximum" in str(exc), (key, exc)
            continue
        design_package(county, 2024, mine, explain=False)


def test_every_norm_used_as_a_divisor_in_the_catalogue_is_declared_positive(std):
    from twentyten.standards.load import parse_range

    for rule in std.lines:
        for expr in (rule.demand, rule.supply):
            for key, divide in (expr.terms if expr else ()):
                if divide:
                    assert (">", 0.0) in parse_range(std.norms[key].bounds, std.norms[key].unit), key


def test_all_problems_of_a_norms_file_are_reported_at_once(tmp_path):
    f = _write(tmp_path / "bad.csv",
               "key,value\nhospital.alos_days,0\nleisure.pop_per_computer,0\nhospital.occupancy,lots\ngrain.months_held,9\n")
    with pytest.raises(StandardsError) as info:
        load_standards(overrides=f)
    err = info.value
    assert [(p.key, p.value, p.line) for p in err.problems] == [
        ("hospital.alos_days", "0", 2), ("leisure.pop_per_computer", "0", 3), ("hospital.occupancy", "lots", 4),
    ]
    text = str(err)
    assert "3 problems" in text and text.count(str(f)) == 3
    assert (err.file, err.key, err.value) == (str(f), "hospital.alos_days", "0")


def test_a_bad_range_in_a_standards_folder_is_reported(copy):
    norms = copy / "norms.csv"
    lines = norms.read_text(encoding="utf-8").splitlines()
    lines = [line + "positive" if line.startswith("hospital.alos_days,") else line for line in lines]
    norms.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(StandardsError, match="range") as info:
        load_standards(copy)
    assert info.value.key == "hospital.alos_days range"


def test_a_norms_file_with_a_utf8_bom_loads(tmp_path):
    f = tmp_path / "excel.csv"
    f.write_bytes("\ufeffkey,value\nhospital.alos_days,7\n".encode())
    assert load_standards(overrides=f).norms["hospital.alos_days"].value == 7
    y = tmp_path / "excel.yaml"
    y.write_bytes("\ufeffhospital.alos_days: 6\n".encode())
    assert load_standards(overrides=y).norms["hospital.alos_days"].value == 6


def test_nested_yaml_norms(tmp_path):
    f = _write(tmp_path / "mine.yaml",
               "hospital:\n  alos_days: 6\n  occupancy: {value: 0.8, note: ward survey}\nfactory: {coverage_target: 0.6}\n")
    std = load_standards(overrides=f)
    assert std.norms["hospital.alos_days"].value == 6
    assert std.norms["hospital.occupancy"].note == "ward survey"
    assert std.norms["factory.coverage_target"].value == 0.6
    bad = _write(tmp_path / "bad.yaml", "factory:\n  coverage_target: high\n  utilisation: {unit: share}\n")
    with pytest.raises(StandardsError) as info:
        load_standards(overrides=bad)
    assert [(p.key, p.value) for p in info.value.problems] == [("factory.coverage_target", "high"),
                                                                 ("factory.utilisation", None)]
    assert "None" not in info.value.problems[0].problem


def test_the_last_standard_year_and_years_after_it(std):
    assert std.last_year == max(i.year for i in std.improvements)
    assert std.for_year(std.last_year).held == ""
    assert str(std.last_year) in std.for_year(std.last_year + 1).held
