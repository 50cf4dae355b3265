"""Build duration and labour from floor area and crew productivity; very large counties
get several hospitals and a capped cinema; every hospital has first-aid posts; years after
the last standard say so; no programme-specific text in the design code."""

from __future__ import annotations

import math
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twentyten.design import design_package
from twentyten.domain import Level, Region
from twentyten.standards import bundled_path, load_standards

STD = load_standards()
DESIGN_SRC = Path(__file__).resolve().parents[2] / "src" / "twentyten" / "design"

MEDIAN = Region(
    "X-median", Level.COUNTY, "Median county", population=94_000, area_km2=600.0, coastal=False,
    physiography="lowland", raw_materials=("grain", "soybeans"),
)
SMALL = replace(MEDIAN, id="X-small", population=25_000, physiography="mountainous", raw_materials=())
CAPITAL = Region(
    "X-capital", Level.COUNTY, "Capital", population=2_750_000, area_km2=2_000.0, coastal=False,
    physiography="industrial-urban", raw_materials=(),
)


def one(pkg, facility_type):
    (f,) = pkg.by_type(facility_type)
    return f


def v(key, year=2024, std=STD):
    return std.for_year(year).value(key)


# -- build duration ----------------------------------------------------------------------


def test_a_typical_factory_site_takes_about_ten_months_not_the_floor():
    months = {f.build_months for f in design_package(MEDIAN, 2024, STD).by_type("factory")}
    # the county's factories are built together by the site's regiment: one duration
    assert len(months) == 1
    (m,) = months
    assert 9 <= m <= 12, m
    assert m > v("construction.min_build_months")


def test_duration_is_set_up_plus_work_over_crew_productivity():
    factories = design_package(SMALL, 2024, STD).by_type("factory")
    floor = sum(f.capacity["floor_m2"] for f in factories)
    crews = v("factory.crews_per_site")
    expected = v("construction.setup_months") + floor * v("factory.work_factor") / v("construction.crew_m2_per_month") / crews
    assert factories[0].build_months == pytest.approx(expected, abs=0.06)
    # a less productive crew takes longer
    slow = load_standards(overrides={"construction.crew_m2_per_month": v("construction.crew_m2_per_month") / 2})
    assert design_package(SMALL, 2024, slow).by_type("factory")[0].build_months > factories[0].build_months


def test_a_hospital_is_built_in_about_nine_months_like_kangdong():
    kangdong = replace(MEDIAN, id="X-kangdong", population=220_000)
    h = one(design_package(kangdong, 2026, STD), "hospital")
    assert 7.5 <= h.build_months <= v("hospital.target_build_months")
    assert h.build_months > v("construction.min_build_months")


def test_durations_spread_between_the_floor_and_the_target():
    months = set()
    for pop in (10_000, 40_000, 94_000, 200_000, 500_000, 1_000_000):
        pkg = design_package(replace(MEDIAN, population=pop), 2024, STD)
        for f in pkg.by_type("factory"):
            assert f.build_months <= v("construction.target_build_months") + 1e-9
            months.add(f.build_months)
    assert len(months) >= 4, months  # not one value everywhere


def test_labour_per_m2_is_the_same_productivity_scaled_by_the_work_factor():
    pkg = design_package(MEDIAN, 2024, STD)
    rate = v("construction.crew_m2_per_month") * v("construction.crews_per_regiment")

    def per_1000m2(f):
        return f.labour_regiment_months / f.capacity["floor_m2"] * 1000

    for ftype, key in (("factory", "factory.work_factor"), ("hospital", "hospital.work_factor"),
                       ("leisure_complex", "leisure.work_factor"), ("grain_storage", "grain.work_factor")):
        for f in pkg.by_type(ftype):
            assert per_1000m2(f) == pytest.approx(1000 * v(key) / rate, rel=0.02), (ftype, per_1000m2(f))
    # a hospital m² takes at least as much labour as a factory m², not 3.4 times less
    assert per_1000m2(one(pkg, "hospital")) >= per_1000m2(pkg.by_type("factory")[0])


# -- very large counties -----------------------------------------------------------------


def test_a_very_large_county_gets_several_hospitals_and_a_capped_cinema():
    pkg = design_package(CAPITAL, 2026, STD)
    h = one(pkg, "hospital")
    max_beds = v("hospital.max_beds")
    assert h.capacity["hospitals"] == math.ceil(h.capacity["beds"] / max_beds) > 1
    assert any("Split into" in r for r in h.reasons)
    # each hospital building stays within the target time
    assert h.build_months <= v("hospital.target_build_months")
    leisure = one(pkg, "leisure_complex")
    assert leisure.capacity["cinema_seats"] == v("leisure.max_cinema_seats")
    assert any("Cinema capped" in r for r in leisure.reasons)
    # a county below the cap gets one hospital and no cap reason
    small = design_package(MEDIAN, 2026, STD)
    assert one(small, "hospital").capacity["hospitals"] == 1
    assert not any("capped" in r for r in one(small, "leisure_complex").reasons)


def test_the_caps_are_overridable_norms():
    mine = load_standards(overrides={"hospital.max_beds": 10_000, "leisure.max_cinema_seats": 100_000})
    pkg = design_package(CAPITAL, 2026, mine)
    assert one(pkg, "hospital").capacity["hospitals"] == 1
    assert one(pkg, "leisure_complex").capacity["cinema_seats"] > v("leisure.max_cinema_seats")


# -- first-aid posts ---------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(st.integers(2_000, 3_000_000), st.one_of(st.none(), st.floats(1, 5_000)))
def test_every_hospital_has_a_first_aid_post_and_no_zero_line(pop, area):
    region = replace(MEDIAN, population=pop, area_km2=area)
    h = one(design_package(region, 2024, STD), "hospital")
    assert h.capacity["first_aid_posts"] >= h.capacity["hospitals"] * v("hospital.min_first_aid_posts")
    assert not any(re.search(r"\(0\)", line) for line in h.lines), h.lines


def test_without_a_minimum_a_small_county_has_no_post_line_and_says_why():
    mine = load_standards(overrides={"hospital.min_first_aid_posts": 0})
    tiny = replace(MEDIAN, area_km2=100.0)
    h = one(design_package(tiny, 2024, mine), "hospital")
    assert h.capacity["first_aid_posts"] == 0
    assert not any("First-aid posts" in line for line in h.lines)
    assert any(r.startswith("No first-aid posts") for r in h.reasons)


# -- years after the last standard ---------------------------------------------------------


def test_a_year_after_the_last_standard_is_held_and_says_so():
    last = STD.last_year
    assert last == 2033
    held = design_package(MEDIAN, last + 1, STD)
    assert any(f"after {last}" in n and "held" in n for n in held.notes)
    assert not any("held" in n for n in design_package(MEDIAN, last, STD).notes)
    far = design_package(MEDIAN, 2100, STD)
    assert far.cost >= design_package(MEDIAN, last, STD).cost  # a later year is never lower


# -- nothing programme-specific in code -------------------------------------------------------


def test_design_code_names_no_source_or_place_of_the_bundled_programme():
    code = "\n".join(p.read_text(encoding="utf-8") for p in DESIGN_SRC.glob("*.py"))
    ids = [s for s in STD.sources if re.search(rf"\b{re.escape(s)}\b", code)]
    assert ids == [], f"source ids hard-coded in design/: {ids}"
    for word in ("Hwangju", "Sinpho", "Ragwon", "Kangdong", "Kimhwa", "ri clinic", "public distribution", "DPRK"):
        assert word not in code, word


def test_another_countrys_catalogue_says_its_own_thing(tmp_path):
    dest = tmp_path / "std"
    shutil.copytree(bundled_path(), dest)
    cat = dest / "catalogue.yaml"
    text = cat.read_text(encoding="utf-8")
    text = text.replace("Coastal counties make use of the sea: offshore farms like those of Sinpho City and",
                        "Our coastal districts farm mussels, like")
    cat.write_text(text, encoding="utf-8")
    norms = dest / "norms.csv"
    norms.write_text(norms.read_text(encoding="utf-8").replace(
        "Hwangju grain centre: central:province:county = 1:2:7.", "Our ministry's rule for grain stores."),
        encoding="utf-8")
    mine = load_standards(dest)
    coast = replace(MEDIAN, coastal=True, physiography="coastal")
    pkg = design_package(coast, 2024, mine)
    assert one(pkg, "offshore_farm").reasons[0].startswith("Our coastal districts farm mussels")
    grain = one(pkg, "grain_storage")
    assert any("Our ministry's rule for grain stores" in r for r in grain.reasons)
    assert not any("Hwangju" in r for r in grain.reasons)


def test_facilities_are_made_by_one_helper():
    makers = [p.name for p in DESIGN_SRC.glob("*.py") if "FacilityDesign(" in p.read_text(encoding="utf-8")]
    assert makers == ["_common.py"]


def _standards_copy(tmp_path, texts_yaml):
    from twentyten.atlas.loader import bundled_path

    folder = tmp_path / "standards"
    shutil.copytree(bundled_path("standards"), folder)
    (folder / "design_texts.yaml").write_text(texts_yaml, encoding="utf-8")
    return folder


def test_facility_names_and_fixed_lines_are_data(tmp_path):
    from twentyten.design import design_hospital, design_leisure_complex
    from twentyten.design._common import DesignError
    from twentyten.domain import Level, Region
    from twentyten.standards import load_standards

    county = Region("X-a", Level.COUNTY, "A", population=40_000, area_km2=600, physiography="lowland")
    mine = load_standards(_standards_copy(tmp_path, "hospital:\n  name: District hospital\n  fixed_lines: [Maternity]\n"))
    (h,) = design_hospital(county, mine.for_year(2024)).facilities
    assert h.name == "District hospital" and "Maternity" in h.lines
    assert not any("Pharmacy" in x for x in h.lines)
    (lc,) = design_leisure_complex(county, mine.for_year(2024)).facilities
    assert lc.name == mine.facility_types["leisure_complex"].name  # not in the file: the catalogue's name
    bundled = design_hospital(county, load_standards().for_year(2024)).facilities[0]
    assert bundled.name == "City/county hospital" and "Pharmacy and medicine store" in bundled.lines
    bad = load_standards(_standards_copy(tmp_path / "b", "hospital:\n  name: H\n  colour: red\n"))
    with pytest.raises(DesignError, match=r"design_texts.yaml: hospital.colour"):
        design_hospital(county, bad.for_year(2024))


@settings(max_examples=40, deadline=None)
@given(st.integers(1_000, 3_000_000))
def test_offshore_basis_is_built_by_the_same_arithmetic(pop):
    """Each basis line ends with the number the design reports (one computation, two views)."""
    from twentyten.design import design_offshore_farm
    from twentyten.domain import Level, Region
    from twentyten.standards import load_standards

    county = Region("X-c", Level.COUNTY, "C", population=pop, area_km2=300, physiography="coastal", coastal=True)
    (farm,) = design_offshore_farm(county, load_standards().for_year(2026)).facilities
    shown = {**farm.capacity, **farm.outputs, "cost": farm.cost, "workforce": farm.workforce}
    for key in ("area_ha", "kelp_ha", "shellfish_ha", "kelp_t_per_year", "shellfish_t_per_year", "cost", "workforce"):
        last = farm.basis[key].rsplit(" = ", 1)[1].split()[0].replace(",", "")
        assert float(last) == pytest.approx(float(shown[key]), rel=0.01, abs=1), (key, farm.basis[key])


def test_offshore_labour_is_the_shore_base_plus_the_work_at_sea():
    """Labour computed by hand from the norms: building work in crew-months over crews per
    regiment, plus the regiment-months at sea."""
    from twentyten.design import design_offshore_farm
    from twentyten.domain import Level, Region
    from twentyten.standards import load_standards

    std = load_standards().for_year(2024)
    v = std.value
    county = Region("X-s", Level.COUNTY, "S", population=300_000, area_km2=300, physiography="coastal", coastal=True)
    (farm,) = design_offshore_farm(county, std).facilities
    ha = farm.capacity["area_ha"]
    base = v("offshore.shore_base_m2") * v("offshore.work_factor") / v("construction.crew_m2_per_month")
    expected = base / v("construction.crews_per_regiment") + ha / 100 * v("offshore.regiment_months_per_100ha")
    assert farm.labour_regiment_months == pytest.approx(expected, abs=0.01)
    assert farm.capacity["kelp_ha"] + farm.capacity["shellfish_ha"] == pytest.approx(ha, abs=0.15)
    assert farm.capacity["kelp_ha"] == pytest.approx(ha * v("offshore.kelp_share"), abs=0.1)
    big = replace(county, population=5_000_000)
    assert design_offshore_farm(big, std).facilities[0].capacity["area_ha"] == v("offshore.max_ha")


def test_several_hospitals_are_built_side_by_side_in_the_time_of_one():
    """A county needing two hospitals builds each like the one hospital of a county half its size
    (one crew per building, no target months, so the duration shows the work of one building)."""
    from twentyten.design import design_hospital
    from twentyten.domain import Level, Region
    from twentyten.standards import load_standards

    # a flat tier rate (0.5 beds per 1,000) and hospitals of at most 100 beds: 95 beds, then 190 in two
    std = load_standards(overrides={
        "hospital.target_build_months": 0, "hospital.tier_beds_per_1000_high": 0.5, "hospital.max_beds": 100,
    }).for_year(2024)
    one = Region("X-h1", Level.COUNTY, "H1", population=190_000, area_km2=50, physiography="lowland")
    (h1,) = design_hospital(one, std).facilities
    assert h1.capacity["hospitals"] == 1
    two = replace(one, id="X-h2", population=380_000)
    (h2,) = design_hospital(two, std).facilities
    assert h2.capacity["hospitals"] == 2 and abs(h2.capacity["beds"] - 2 * h1.capacity["beds"]) <= 1
    assert h2.build_months == pytest.approx(h1.build_months, abs=0.1)
    assert h2.labour_regiment_months == pytest.approx(2 * h1.labour_regiment_months, rel=0.02)


def test_a_fourth_factory_is_a_hall_in_the_first_factorys_building():
    """At most factory.max_buildings_per_site buildings: the optional fourth factory (fishery
    processing) has no minimum floor of its own; the three standard ones keep theirs."""
    from twentyten.design import design_factories
    from twentyten.domain import Level, Region
    from twentyten.standards import load_standards

    std = load_standards().for_year(2024)
    small = Region("X-f", Level.COUNTY, "F", population=8_000, area_km2=200, physiography="coastal", coastal=True,
                   raw_materials=("seafood", "seaweed", "grain"))
    factories = design_factories(small, std).facilities
    assert len(factories) == 4
    halls = [f for f in factories if f.capacity["shared_building"] == 1]
    assert [f.name for f in halls] == ["Fishery-processing factory"]
    assert halls[0].capacity["floor_m2"] < std.value("factory.min_floor_m2")
    assert any("hall in the building" in r for r in halls[0].reasons)
    own = [f for f in factories if f.capacity["shared_building"] == 0]
    assert len(own) == std.value("factory.max_buildings_per_site")
    assert all(f.capacity["floor_m2"] >= std.value("factory.min_floor_m2") for f in own)


def test_factory_workforce_cost_and_output_from_the_norms_by_hand():
    """Each factory's workforce, cost and outputs recomputed from its capacity and the norms."""
    from twentyten.design import design_factories
    from twentyten.domain import Level, Region
    from twentyten.standards import load_standards

    std = load_standards().for_year(2026)
    v = std.value
    county = Region("X-w", Level.COUNTY, "W", population=120_000, area_km2=500, physiography="lowland",
                    raw_materials=("grain", "soybeans", "livestock"))
    for f in design_factories(county, std).facilities:
        lines = {k: t for k, t in f.capacity.items() if k.endswith("_t_per_year")}
        for key, t in lines.items():
            assert f.outputs[key] == pytest.approx(t * v("factory.utilisation"), abs=0.1)
        expected_cost = (f.capacity["floor_m2"] * v("factory.cost_per_m2") + f.capacity["lines"]
                         * v("factory.equipment_cost_per_line") + f.capacity["solar_kw"] * v("energy.solar_cost_per_kw"))
        assert f.cost == pytest.approx(expected_cost, rel=0.002), f.name
        per_worker = {"Garment factory": "factory.garment.t_per_worker_year"}.get(f.name, "factory.t_per_worker_year")
        if f.name in ("Foodstuff factory", "Garment factory"):
            assert f.workforce == math.ceil(sum(lines.values()) / v(per_worker) - 1e-9), f.name


def test_hospital_staff_and_floor_from_the_norms_by_hand():
    from twentyten.design import design_hospital
    from twentyten.domain import Level, Region
    from twentyten.standards import load_standards

    std = load_standards().for_year(2024)
    v = std.value
    for pop, area in ((30_000, 900.0), (250_000, 300.0)):
        county = Region("X-h", Level.COUNTY, "H", population=pop, area_km2=area, physiography="mountainous")
        (h,) = design_hospital(county, std).facilities
        c = h.capacity
        surgeons = math.ceil(pop * v("hospital.sao_per_100k") / 100_000)
        assert c["doctors"] == max(math.ceil(c["beds"] * v("hospital.doctors_per_bed") - 1e-9), surgeons)
        floor = c["beds"] * v("hospital.m2_per_bed") + c["first_aid_posts"] * v("hospital.first_aid_post_m2")
        assert c["floor_m2"] == round(floor)
        assert c["first_aid_posts"] >= 1


def test_grain_storage_holds_the_larger_of_rations_and_procured_harvest():
    from twentyten.design import design_grain_storage
    from twentyten.domain import Level, Region
    from twentyten.standards import load_standards

    std = load_standards().for_year(2024)
    v = std.value
    pop = 100_000
    rations = pop * v("grain.pds_share") * v("grain.ration_g_per_day") * 365 / 1e6 * v("grain.months_held") / 12
    for phys in ("lowland", "mountainous"):
        county = Region("X-g", Level.COUNTY, "G", population=pop, area_km2=400, physiography=phys)
        (g,) = design_grain_storage(county, std).facilities
        harvest = pop * v("grain.utilisation_kg_per_capita") / 1000 * v(f"grain.harvest_factor.{phys}")
        expected = max(rations, harvest * v("grain.procurement_share"))
        c = g.capacity
        assert c["storage_t"] == round(expected), phys
        volume = expected / v("grain.storage_t_per_m3")
        assert c["storage_m3"] == round(volume)
        dry = harvest * v("grain.mech_dried_share") / v("grain.harvest_window_days")
        assert c["dryers"] == max(1, math.ceil(dry / (v("grain.dryer_t_per_batch") * v("grain.dryer_batches_per_day"))))
        per_day = (expected + harvest) / v("grain.processing_days_per_year")
        floor = (volume / v("grain.stack_height_m") + v("grain.processing_hall_m2")
                 + per_day * v("grain.processing_m2_per_t_day"))
        assert c["floor_m2"] == round(floor)
    lowland = design_grain_storage(replace(county, physiography="lowland"), std).facilities[0]
    mountain = design_grain_storage(county, std).facilities[0]
    assert lowland.capacity["storage_t"] > mountain.capacity["storage_t"]  # the grain county stores more
    tiny = design_grain_storage(replace(county, population=300), std).facilities[0]
    assert tiny.capacity["dryers"] == 1  # at least one dryer, however small the harvest


def test_surgical_physicians_set_the_doctors_where_beds_ask_for_fewer():
    from twentyten.design import design_hospital
    from twentyten.domain import Level, Region
    from twentyten.standards import load_standards

    std = load_standards(overrides={"hospital.doctors_per_bed": 0.01}).for_year(2024)
    county = Region("X-d", Level.COUNTY, "D", population=200_000, area_km2=300, physiography="lowland")
    (h,) = design_hospital(county, std).facilities
    assert h.capacity["doctors"] == math.ceil(200_000 * std.value("hospital.sao_per_100k") / 100_000)
    assert h.capacity["doctors"] > h.capacity["beds"] * 0.01


def test_leisure_floor_is_library_cinema_and_services():
    from twentyten.design import design_leisure_complex
    from twentyten.domain import Level, Region
    from twentyten.standards import load_standards

    std = load_standards().for_year(2024)
    county = Region("X-l", Level.COUNTY, "L", population=120_000, area_km2=300, physiography="lowland")
    c = design_leisure_complex(county, std).facilities[0].capacity
    cinema = c["cinema_seats"] * std.value("leisure.cinema_m2_per_seat")
    assert c["floor_m2"] == pytest.approx(c["library_m2"] + cinema + c["services_m2"], abs=2)


def test_a_county_without_harvest_still_gets_one_dryer():
    from twentyten.design import design_grain_storage
    from twentyten.domain import Level, Region
    from twentyten.standards import load_standards

    std = load_standards(overrides={"grain.harvest_factor.industrial-urban": 0}).for_year(2024)
    city = Region("X-u", Level.COUNTY, "U", population=50_000, area_km2=40, physiography="industrial-urban")
    assert design_grain_storage(city, std).facilities[0].capacity["dryers"] == 1


def test_basis_quantities_compute_and_show_the_same_formula():
    from twentyten.design.basis import Q, qmin

    a, b, c = Q(10, "a"), Q(3, "b"), Q(2, "c")
    d = a - (b + c)
    assert d.value == 5 and d.text == "a − (b + c)"
    e = (a - b) * c
    assert e.value == 14 and e.text == "(a − b) × c"
    assert qmin(a, b).value == 3 and qmin(a, b).text == "min(a, b)"
    assert (a * 2).basis("t") == "a × 2 = 20 t"
    assert (Q(1) + a).text == ""  # nothing to explain when a term has no text


def _last_number(text: str) -> float:
    return float(text.rsplit(" = ", 1)[1].split()[0].replace(",", ""))


@settings(max_examples=40, deadline=None)
@given(st.integers(1_000, 3_000_000), st.one_of(st.none(), st.floats(5, 5_000)))
def test_hospital_basis_is_built_by_the_same_arithmetic(pop, area):
    """Each hospital basis line ends with the number the design reports, for any county size,
    with or without a known area."""
    from twentyten.design import design_hospital
    from twentyten.domain import Level, Region
    from twentyten.standards import load_standards

    county = Region("X-q", Level.COUNTY, "Q", population=pop, area_km2=area, physiography="lowland")
    (h,) = design_hospital(county, load_standards().for_year(2026)).facilities
    shown = {**h.capacity, **h.outputs, "cost": h.cost, "workforce": h.workforce}
    for key, value in shown.items():
        assert _last_number(h.basis[key]) == pytest.approx(float(value), rel=0.01, abs=1), (key, h.basis[key])


@settings(max_examples=30, deadline=None)
@given(st.integers(1_000, 3_000_000), st.one_of(st.none(), st.floats(5, 5_000)),
       st.sampled_from(["lowland", "mountainous", "coastal", "industrial-urban"]), st.sampled_from([2022, 2024, 2030]))
def test_factory_leisure_grain_basis_is_built_by_the_same_arithmetic(pop, area, physiography, year):
    """Each factory, leisure-complex and grain-storage basis line ends with the number the
    design reports: line sizes, floors, products, solar, cost, workforce, seats, computers,
    books, cinema, tonnes, dryers, aeration."""
    from twentyten.design import design_factories, design_grain_storage, design_leisure_complex
    from twentyten.domain import Level, Region
    from twentyten.standards import load_standards

    county = Region("X-f", Level.COUNTY, "F", population=pop, area_km2=area, physiography=physiography,
                    coastal=physiography == "coastal")
    std = load_standards().for_year(year)
    facilities = (*design_factories(county, std).facilities, *design_leisure_complex(county, std).facilities,
                  *design_grain_storage(county, std).facilities)
    checked = 0
    for f in facilities:
        shown = {**f.capacity, "cost": f.cost, "workforce": f.workforce}
        if f.facility_type == "grain_storage":
            shown.update(f.outputs)
        for key, value in shown.items():
            # a count of the lines list, a flag, norms shown as themselves
            if key in ("lines", "shared_building", "server_tb", "max_grain_temp_c", "max_moisture_pct"):
                continue
            assert _last_number(f.basis[key]) == pytest.approx(float(value), rel=0.01, abs=1), (key, f.basis[key])
            checked += 1
    assert checked >= 3 * len(facilities)


def test_facility_texts_carry_the_files_translations(tmp_path):
    """design_texts.yaml's translations travel with the names and lines (the English unchanged);
    a translation with a different number of lines is refused, naming the key."""
    from twentyten.design import design_hospital
    from twentyten.design._common import DesignError
    from twentyten.domain import Level, Region
    from twentyten.standards import load_standards

    county = Region("X-a", Level.COUNTY, "A", population=40_000, area_km2=600, physiography="lowland")
    (h,) = design_hospital(county, load_standards().for_year(2024)).facilities
    assert h.name == "City/county hospital" and h.name.variants["ko"] == "시·군 병원"
    assert [x.variants["ko"] for x in h.lines if getattr(x, "variants", None)] == [
        "외래 및 진단과", "약국과 의약품 창고", "직원 기술강습실"]
    bad = load_standards(_standards_copy(tmp_path, "hospital:\n  name: H\n  fixed_lines: [A, B]\n"
                                                   "  translations:\n    ko:\n      name: 병원\n      fixed_lines: [가]\n"))
    with pytest.raises(DesignError, match=r"design_texts.yaml: hospital.translations.ko.fixed_lines: 1 lines"):
        design_hospital(county, bad.for_year(2024))
