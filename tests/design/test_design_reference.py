"""The factories actually built (shared/data/norms/regional_factories_20x10.csv) are what the
design gives those counties: the standard set, Kimhwa's paper mill, Orang's fishery processing,
and the product lines reported for Jangphung and Sukchon."""

from __future__ import annotations

import csv

import pytest

from twentyten.design import design_package
from twentyten.standards import load_standards

NAMES = {
    "foodstuff factory": "Foodstuff factory",
    "garment factory": "Garment factory",
    "daily-necessities factory": "Daily-necessities factory",
    "paper mill": "Paper mill",
}


@pytest.fixture(scope="module")
def atlas():
    from twentyten.atlas import load_atlas

    return load_atlas()  # a broken atlas fails these tests; it never skips them


@pytest.fixture(scope="module")
def reported(shared_dir):
    with (shared_dir / "data" / "norms" / "regional_factories_20x10.csv").open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _package(atlas, county):
    return design_package(atlas.find(county), 2024, load_standards())


def test_reported_factories_are_in_the_designed_packages(atlas, reported):
    checked = 0
    for row in reported:
        name = NAMES.get(row["factory"])
        fishery = "fishery" in row["products_or_note"]
        if name is None and not fishery:
            continue  # grain centre, hospital, or an unnamed factory set
        pkg = _package(atlas, row["county"])
        got = {f.name for f in pkg.by_type("factory")}
        assert (name or "Fishery-processing factory") in got, (row["county"], row["factory"], got)
        checked += 1
    assert checked >= 10


def test_reported_product_lines(atlas):
    def lines(county):
        return {k.removesuffix("_t_per_year") for f in _package(atlas, county).by_type("factory")
                for k in f.capacity if k.endswith("_t_per_year")}

    # Sukchon: soybean paste, soy sauce, cooking oil, soya milk, laundry soap, plastics, wooden items
    assert {"bean_paste", "soy_sauce", "cooking_oil", "soap", "plastic_goods", "furniture"} <= lines("Sukchon")
    # Jangphung: jujube juice, padded clothes for farmers, furniture, fragrant soap
    assert {"wild_fruit", "work_clothes", "furniture", "soap"} <= lines("Jangphung")
    # Kimhwa (mountainous pilot): paper from local timber
    assert "paper" in lines("Kimhwa")


def test_offshore_farms_where_they_were_built(atlas):
    for county in ("Sinpho City", "Ragwon"):
        assert len(_package(atlas, county).by_type("offshore_farm")) == 1
