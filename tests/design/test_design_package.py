"""Packages: known contrasts, monotonic growth with population and year, what the planner
needs on every facility."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twentyten.design import (
    DesignError,
    design_all,
    design_package,
    design_years,
    package_dict,
    package_frame,
)
from twentyten.domain import Level, Region
from twentyten.standards import load_standards

STD = load_standards()

JAGANG = Region(
    "PRK-jagang-test", Level.COUNTY, "Small Jagang county", parent_id="PRK-jagang", population=40_000,
    area_km2=600.0, coastal=False, physiography="mountainous",
    raw_materials=("wild fruit", "medicinal herbs", "timber"),
)
COASTAL_CITY = Region(
    "PRK-coast-city", Level.COUNTY, "Large coastal city", parent_id="PRK-south-hamgyong", population=600_000,
    area_km2=250.0, coastal=True, physiography="coastal", raw_materials=("seafood", "seaweed"),
)
GRAIN = Region(
    "PRK-grain", Level.COUNTY, "Lowland grain county", population=120_000, area_km2=500.0, coastal=False,
    physiography="lowland", raw_materials=("grain", "soybeans", "livestock"),
)


def one(pkg, facility_type):
    (f,) = pkg.by_type(facility_type)
    return f


def line_ids(pkg):
    return {k.removesuffix("_t_per_year") for f in pkg.by_type("factory") for k in f.capacity if k.endswith("_t_per_year")}


def test_mountainous_jagang_county_vs_large_coastal_city():
    small = design_package(JAGANG, 2025, STD)
    city = design_package(COASTAL_CITY, 2025, STD)
    # the city needs more of everything that is sized by people
    assert one(city, "hospital").capacity["beds"] > one(small, "hospital").capacity["beds"]
    assert one(city, "leisure_complex").capacity["reader_seats"] > one(small, "leisure_complex").capacity["reader_seats"]
    assert one(city, "leisure_complex").capacity["computers"] > one(small, "leisure_complex").capacity["computers"]
    assert one(city, "grain_storage").capacity["storage_t"] > one(small, "grain_storage").capacity["storage_t"]
    assert city.cost > small.cost and city.labour_regiment_months > small.labour_regiment_months
    # characteristic lines
    assert {"wild_fruit", "medicinal_herbs", "wood_products", "paper"} <= line_ids(small)
    assert not {"fish_products", "seaweed_products"} & line_ids(small)
    assert {"fish_products", "seaweed_products"} <= line_ids(city)
    assert not {"wild_fruit", "medicinal_herbs", "wood_products", "paper"} & line_ids(city)
    # an offshore farm for the coast only, and the reason for its absence inland
    assert len(city.by_type("offshore_farm")) == 1
    assert small.by_type("offshore_farm") == ()
    assert any("offshore farm" in n and "coast" in n for n in small.notes)
    names = {f.name for f in small.by_type("factory")}
    assert "Paper mill" in names and "Fishery-processing factory" not in names
    assert "Fishery-processing factory" in {f.name for f in city.by_type("factory")}


def test_grain_area_gets_paste_sauce_noodles_and_livestock_lines():
    ids = line_ids(design_package(GRAIN, 2024, STD))
    assert {"bean_paste", "soy_sauce", "noodles", "dairy", "meat", "cooking_oil"} <= ids
    assert "wild_fruit" not in ids


def test_every_county_gets_the_standard_set_and_the_three_essential_facilities():
    for region in (JAGANG, COASTAL_CITY, GRAIN):
        pkg = design_package(region, 2026, STD)
        names = {f.name for f in pkg.by_type("factory")}
        assert {"Foodstuff factory", "Daily-necessities factory", "Garment factory"} <= names
        for t in ("hospital", "leisure_complex", "grain_storage"):
            assert len(pkg.by_type(t)) == 1


def test_every_facility_states_what_the_planner_needs_and_why():
    pkg = design_package(COASTAL_CITY, 2027, STD)
    for f in pkg.facilities:
        assert f.cost > 0 and f.labour_regiment_months > 0 and f.materials_t > 0
        assert f.build_months >= STD.norms["construction.min_build_months"].value
        assert f.workforce > 0 and f.outputs and f.capacity
        assert f.payer_split is not None
        assert f.reasons and f.sources and f.lines
        for key in ("cost", "labour_regiment_months", "materials_t", "build_months", "payer_split"):
            assert key in f.basis, (f.name, key)
        # every source cited is a known source or a named norm
        for s in f.sources:
            assert s in STD.sources or s.split(":", 1)[1] in STD.norms, s
    assert pkg.cost == pytest.approx(sum(f.cost for f in pkg.facilities))


def test_grain_storage_cost_is_split_1_2_7():
    f = one(design_package(JAGANG, 2025, STD), "grain_storage")
    assert (f.payer_split.centre, f.payer_split.province, f.payer_split.county) == (0.1, 0.2, 0.7)
    assert "dailynk-hwangju-2025" in f.sources
    assert any("1:2:7" in r for r in f.reasons)


def test_hospital_beds_follow_the_tier_norm_with_a_minimum():
    """Beds by hand from the first-referral tier: the bed rate falls linearly in population
    from the low end of the band to the high end, and never below the tier's minimum."""
    v = STD.for_year(2024).value
    lo, hi = v("hospital.tier_pop_low"), v("hospital.tier_pop_high")
    r_lo, r_hi = v("hospital.tier_beds_per_1000_low"), v("hospital.tier_beds_per_1000_high")
    for pop in (80_000, 250_000, 600_000, 2_000_000):
        share = min(1.0, max(0.0, (pop - lo) / (hi - lo)))
        expected = max(v("hospital.min_beds"), pop * (r_lo - (r_lo - r_hi) * share) / 1000)
        f = one(design_package(replace(COASTAL_CITY, population=pop), 2024, STD), "hospital")
        assert f.capacity["beds"] == math.ceil(expected - 1e-9), pop
    # not a flat rate: a county of 600,000 gets fewer beds a head than one of 250,000
    per_head = [one(design_package(replace(COASTAL_CITY, population=p), 2024, STD), "hospital").capacity["beds"] / p
                for p in (250_000, 600_000)]
    assert per_head[1] < per_head[0]
    # the admissions formula stays beside it as a cross-check, not as the beds
    f = one(design_package(COASTAL_CITY, 2024, STD), "hospital")
    assert "cross-check" in f.basis["beds_by_admissions"]
    tiny = replace(JAGANG, population=5_000)
    assert one(design_package(tiny, 2024, STD), "hospital").capacity["beds"] == v("hospital.min_beds")
    # first-aid posts come from the area: one per circle of the catchment radius beyond the hospital's
    assert one(design_package(JAGANG, 2024, STD), "hospital").capacity["first_aid_posts"] == 1  # 600 km² / 314
    big = replace(JAGANG, area_km2=1600.0)
    assert one(design_package(big, 2024, STD), "hospital").capacity["first_aid_posts"] == 5


def test_library_norms_wheeler_texas_egranary():
    f = one(design_package(JAGANG, 2024, STD), "leisure_complex")
    # Wheeler marginal bands: 10 × 10 + 25 × 5 + 5 × 3 per 1,000 = 240 seats for 40,000
    assert f.capacity["reader_seats"] == 240
    assert f.capacity["computers"] == 20  # 1 per 2,000
    assert f.capacity["server_tb"] == 8
    later = one(design_package(JAGANG, 2028, STD), "leisure_complex")
    assert later.capacity["computers"] == 27  # 1 per 1,500 from 2028


def test_local_supply_caps_a_line_when_the_county_is_small():
    crowded = replace(JAGANG, population=400_000, area_km2=50.0)
    f = next(f for f in design_package(crowded, 2024, STD).by_type("factory") if f.name == "Foodstuff factory")
    supply = 50.0 * STD.norms["supply.wild_fruit_t_per_km2"].value
    assert f.capacity["wild_fruit_t_per_year"] == pytest.approx(supply, abs=0.1)
    assert any("local supply" in r for r in f.reasons)


def test_unknown_population_and_provinces_are_refused():
    with pytest.raises(DesignError, match="population is unknown"):
        design_package(replace(JAGANG, population=None), 2024, STD)
    province = Region("PRK-jagang", Level.PROVINCE, "Jagang", population=1_299_830)
    with pytest.raises(DesignError, match="province"):
        design_package(province, 2024, STD)
    got = design_all([JAGANG, replace(COASTAL_CITY, population=None), province], 2024, STD, skip_missing=True)
    assert list(got) == [JAGANG.id]
    with pytest.raises(DesignError):
        design_all([replace(COASTAL_CITY, population=None)], 2024, STD)


def test_user_norms_change_the_design():
    std = load_standards(overrides={"hospital.tier_beds_per_1000_high": 0.45})
    assert one(design_package(COASTAL_CITY, 2024, std), "hospital").capacity["beds"] > one(
        design_package(COASTAL_CITY, 2024, STD), "hospital"
    ).capacity["beds"]


def test_design_years_and_frame_for_the_planner():
    got = design_years([JAGANG, COASTAL_CITY], range(2024, 2027), STD)
    assert set(got) == {(r.id, y) for r in (JAGANG, COASTAL_CITY) for y in (2024, 2025, 2026)}
    assert all(f.basis == {} for p in got.values() for f in p.facilities)  # fast path
    frame = package_frame(got.values())
    assert set(frame["facility_type"]) == {"factory", "hospital", "leisure_complex", "grain_storage", "offshore_farm"}
    assert frame["cost"].sum() == pytest.approx(sum(p.cost for p in got.values()))
    explained = design_package(JAGANG, 2024, STD)
    fast = got[(JAGANG.id, 2024)]
    assert [f.capacity for f in fast.facilities] == [f.capacity for f in explained.facilities]
    assert fast.cost == explained.cost


def test_package_dict_is_json_ready():
    import json

    d = package_dict(design_package(COASTAL_CITY, 2024, STD), STD)
    assert json.loads(json.dumps(d))["cost_unit"] == "kUSD"
    assert sum(d["cost_by_payer"].values()) == pytest.approx(d["cost"], abs=1)


# -- properties ------------------------------------------------------------------------

MATERIALS = ("wild fruit", "medicinal herbs", "timber", "seafood", "seaweed", "grain", "soybeans",
             "livestock", "industrial crops", "building stone", "tourism")
regions = st.builds(
    lambda pop, area, coastal, phys, mats: Region(
        "PRK-x", Level.COUNTY, "X", population=pop, area_km2=area, coastal=coastal, physiography=phys,
        raw_materials=tuple(mats),
    ),
    st.integers(5_000, 3_000_000),
    st.one_of(st.none(), st.floats(10, 5_000)),
    st.booleans(),
    st.sampled_from(["mountainous", "lowland", "coastal", "industrial-urban", ""]),
    st.sets(st.sampled_from(MATERIALS), max_size=6),
)


def _numbers(pkg):
    out = {}
    for f in pkg.facilities:
        for k, v in {**f.capacity, **f.outputs}.items():
            out[(f.facility_type, f.name, k)] = v
        out[(f.facility_type, f.name, "cost")] = f.cost
        out[(f.facility_type, f.name, "labour")] = f.labour_regiment_months
        out[(f.facility_type, f.name, "materials")] = f.materials_t
    return out


def _not_lower(a, b, skip=()):
    na, nb = _numbers(a), _numbers(b)
    assert set(na) <= set(nb)
    for k, v in na.items():
        if k[2] in skip:
            continue
        assert nb[k] >= v - 1e-9, (k, v, nb[k])


@settings(max_examples=150, deadline=None)
@given(regions, st.integers(1, 2_000_000), st.integers(2024, 2033))
def test_capacities_grow_monotonically_with_population(region, extra, year):
    # first-aid posts depend on area only; a more populous county's numbers never fall
    bigger = replace(region, population=region.population + extra)
    _not_lower(design_package(region, year, STD), design_package(bigger, year, STD))


@settings(max_examples=150, deadline=None)
@given(regions, st.integers(2024, 2032), st.integers(1, 9))
def test_a_later_year_package_is_never_lower(region, year, later):
    later_year = min(2033, year + later)
    early, late = design_package(region, year, STD), design_package(region, later_year, STD)
    _not_lower(early, late)
    assert late.cost >= early.cost
    if later_year >= 2025 and year < later_year:
        assert late.cost > early.cost  # the standard rises every year


@settings(max_examples=80, deadline=None)
@given(regions, st.floats(1.0, 3.0))
def test_capacities_grow_with_per_capita_demand(region, factor):
    """More demand per person (a user norm) never gives a smaller factory."""
    keys = [k for k in STD.norms if k.startswith(("food.", "daily.", "garment.fibre"))]
    richer = load_standards(overrides={k: STD.norms[k].value * factor for k in keys})
    _not_lower(design_package(region, 2024, STD), design_package(region, 2024, richer))


def test_importing_design_and_standards_is_light_and_reads_no_files():
    """An audit hook sees every file opened (``open``, ``io.open``, ``Path.open``,
    ``read_text``): importing opens no data file, and the hook does see load_standards read."""
    import json
    import subprocess
    import sys

    code = (
        "import sys, json; opened = []\n"
        "sys.addaudithook(lambda ev, args: opened.append(str(args[0])) if ev == 'open' else None)\n"
        "import twentyten.standards, twentyten.design\n"
        "at_import = list(opened); mods = sorted(sys.modules)\n"
        "twentyten.standards.load_standards()\n"
        "print(json.dumps({'mods': mods, 'at_import': at_import, 'after_load': opened[len(at_import):]}))"
    )
    out = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
    loaded = {m.split(".")[0] for m in out["mods"]}
    assert not loaded & {"pandas", "rich", "yaml", "click"}, loaded & {"pandas", "rich", "yaml", "click"}

    def data_files(paths):
        return [f for f in paths if f.endswith((".csv", ".yaml", ".yml"))]

    assert data_files(out["at_import"]) == []
    # the spy works: loading the standards opens the bundled files, and the hook sees it
    assert {Path(f).name for f in data_files(out["after_load"])} >= {"norms.csv", "catalogue.yaml", "sources.csv"}


def test_package_names_the_improvements_it_was_built_to():
    f = next(iter(design_package(JAGANG, 2027, STD).by_type("factory")))
    assert any(r.startswith("Built to the 2027 standard") and "More automated lines" in r for r in f.reasons)
    base = next(iter(design_package(JAGANG, STD.base_year, STD).by_type("factory")))  # the Kimhwa pilot
    assert not any(r.startswith("Built to") for r in base.reasons)


def test_every_number_of_a_facility_has_its_basis():
    for region in (JAGANG, COASTAL_CITY, GRAIN):
        for f in design_package(region, 2026, STD).facilities:
            numbers = [*f.capacity, "cost", "workforce", "labour_regiment_months", "materials_t", "build_months"]
            numbers += [k for k in f.outputs if k not in f.capacity]  # factory outputs: capacity × utilisation
            missing = [k for k in numbers if k not in f.basis]
            assert not missing, (f.name, missing)
            assert "outputs" in f.basis or all(k in f.basis for k in f.outputs)
