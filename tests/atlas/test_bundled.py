"""The bundled DPRK atlas: counts, totals, corrections and provenance a user would check."""

from __future__ import annotations

import csv
import re

import pytest

from twentyten.atlas import load_atlas

NATIONAL = 23_349_859


@pytest.fixture(scope="module")
def atlas():
    return load_atlas("dprk")


def test_counts_and_national_total(atlas):
    assert len(atlas.provinces()) == 11
    assert len(atlas.counties()) == 179
    assert sum(c.population for c in atlas.counties()) == NATIONAL


def test_each_province_sums_to_its_census_total(atlas):
    for p in atlas.provinces():
        assert sum(c.population for c in atlas.counties(p.id)) == p.population, p.name


def test_province_totals_match_the_census_file(atlas, shared_dir):
    with open(shared_dir / "data/dprk/prk_census2008_adm2_population.csv", encoding="utf-8") as f:
        census = {r["id"]: int(r["population_2008"]) for r in csv.DictReader(f)}
    for r in atlas.regions:
        assert census[r.id] == r.population, r.id


def test_every_county_has_point_box_hangul_area_class(atlas):
    for c in atlas.counties():
        w, s, e, n = c.bbox
        assert w <= c.lon <= e and s <= c.lat <= n, c.id
        assert 124 < c.lon < 131 and 37.5 < c.lat < 43.1
        assert c.name_local and re.search("[가-힣]", c.name_local), c.id
        assert c.area_km2 > 0
        assert c.physiography in {"mountainous", "lowland", "coastal", "industrial-urban"}
        assert c.raw_materials, c.id
        assert c.coastal in (True, False)


def test_wikidata_ids_are_qids(atlas):
    qids = [c.wikidata for c in atlas.counties() if c.wikidata]
    assert len(qids) == 139  # 40 of the 179 records have none
    assert all(re.fullmatch(r"Q\d+", q) for q in qids)


def test_taegwan_and_thaechon_geometry_is_swapped_back(atlas):
    taegwan, thaechon = atlas.find("Taegwan"), atlas.find("Thaechon")
    # Taegwan lies on the province's northern side, Thaechon to the south near Pakchon
    assert taegwan.lat > thaechon.lat
    assert taegwan.provenance["lat"].method == "corrected"


def test_rakwon_is_coastal_with_the_reason_recorded(atlas):
    r = atlas.find("Ragwon")
    assert r.coastal is True
    assert "rollout" in r.provenance["coastal"].sources
    assert "offshore farm" in r.provenance["coastal"].rule


def test_known_coastal_and_inland_units(atlas):
    for name in ("Sinpho City", "Orang", "Wonsan City", "Haeju City", "Sinuiju City"):
        assert atlas.find(name).coastal, name
    for name in ("Kimhwa", "Kanggye City", "Samjiyon", "Sariwon City"):
        assert not atlas.find(name).coastal, name
    assert all(not c.coastal for c in atlas.counties("Jagang"))


def test_jagang_and_ryanggang_are_mountainous(atlas):
    for c in atlas.counties("Jagang") + atlas.counties("Ryanggang"):
        if c.physiography != "industrial-urban":
            assert c.physiography == "mountainous"
            assert "medicinal herbs" in c.raw_materials


def test_coastal_units_have_sea_materials(atlas):
    for c in atlas.counties():
        if c.coastal:
            assert {"seafood", "seaweed"} <= set(c.raw_materials), c.id


def test_every_attribute_value_has_a_known_source(atlas):
    for r in atlas.regions:
        for attr, prov in r.provenance.items():
            assert prov.sources, (r.id, attr)
            for s in prov.sources:
                assert s in atlas.sources, (r.id, attr, s)
        for attr in ("population", "name"):
            assert attr in r.provenance


def test_derived_values_are_marked_and_carry_their_rule(atlas):
    c = atlas.find("Kimhwa")
    for attr in ("coastal", "physiography", "raw_materials", "area_km2"):
        assert c.provenance[attr].is_estimate, attr
        assert c.provenance[attr].rule, attr
    assert "paper mill" in c.provenance["raw_materials"].rule


def test_no_gadm_derived_source_and_attribution_shipped(atlas):
    assert not any("gadm" in (s.title + s.url).lower() for s in atlas.sources.values())
    text = (atlas.folder / "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in text and "geoBoundaries" in text and "Natural Earth" in text


def test_approximate_shapes_cover_every_county(atlas):
    shapes = atlas.shapes()
    assert set(shapes) == {c.id for c in atlas.counties()}
    assert all(f["properties"]["approximate"] for f in shapes.values())


def test_bundled_shapes_pass_every_check_a_users_dataset_gets():
    """A load of the bundled dataset skips the self-intersection check (it costs the shapely
    import); this test is why it may: every shipped shape is valid and inside its box."""
    from twentyten.atlas import bundled_path, validate_path
    from twentyten.atlas.validate import topology_checked

    assert topology_checked(), "shapely (the geo extra) is needed to check the bundled shapes"
    assert validate_path(bundled_path("dprk")) == []
