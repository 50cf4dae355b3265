"""Finding a county by id, romanised name (with real-world spelling variants) or hangul."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from twentyten.atlas import AmbiguousRegion, UnknownRegion, load_atlas
from twentyten.atlas.names import fold

atlas = load_atlas("dprk")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Jaeryong", "PRK-south-hwanghae-jaerong"),
        ("Jaerong", "PRK-south-hwanghae-jaerong"),
        ("Rangnim", "PRK-jagang-rangrim"),
        ("Rangrim", "PRK-jagang-rangrim"),
        ("Ragwon", "PRK-south-hamgyong-rakwon"),
        ("Rakwon", "PRK-south-hamgyong-rakwon"),
        ("Unryul", "PRK-south-hwanghae-unryul"),
        ("Unnyul", "PRK-south-hwanghae-unryul"),
        ("Sinpho City", "PRK-south-hamgyong-sinpho-city"),
        ("Sinpho", "PRK-south-hamgyong-sinpho-city"),
        ("sinpho city", "PRK-south-hamgyong-sinpho-city"),
        ("Nampho", "PRK-nampo-nampo-city"),
        ("신포시", "PRK-south-hamgyong-sinpho-city"),
        ("재령군", "PRK-south-hwanghae-jaerong"),
        ("은산군", "PRK-south-pyongan-unsan"),
        ("운산군", "PRK-north-pyongan-unsan"),
        ("PRK-jagang-usi", "PRK-jagang-usi"),
        ("Pyongyang", "PRK-pyongyang-pyongyang"),
    ],
)
def test_lookup_variants(query, expected):
    assert atlas.find(query).id == expected


def test_two_unsans_need_the_province():
    with pytest.raises(AmbiguousRegion) as e:
        atlas.find("Unsan")
    assert {r.id for r in e.value.matches} == {"PRK-north-pyongan-unsan", "PRK-south-pyongan-unsan"}
    assert atlas.find("Unsan", province="South Pyongan").id == "PRK-south-pyongan-unsan"


def test_unknown_name_gets_closest_matches():
    with pytest.raises(UnknownRegion) as e:
        atlas.find("Sinuju")
    assert e.value.suggestions[0].id == "PRK-north-pyongan-sinuiju-city"


def test_every_county_is_found_by_its_own_name_or_hangul():
    for c in atlas.counties():
        if c.name == "Unsan":
            continue
        assert atlas.find(c.name).id == c.id
        assert atlas.find(c.name_local).id == c.id


_PROVINCE_NAMES = {p.name for p in atlas.provinces()}


# Counties whose bare name is also a province's (Nampo City / Nampo) resolve to the province
# when the "City" is dropped, by design; they are left out here.
@given(st.sampled_from([c for c in atlas.counties()
                        if c.name != "Unsan" and c.name.removesuffix(" City") not in _PROVINCE_NAMES]),
       st.sampled_from(["lower", "upper", "city", "spaces"]))
def test_case_suffix_and_spacing_do_not_matter(county, variant):
    name = county.name.removesuffix(" City")
    q = {"lower": name.lower(), "upper": name.upper(), "city": name + " County",
         "spaces": "  " + name + " "}[variant]
    assert fold(q) == fold(county.name)
    found = atlas.find(q)
    assert found.id == county.id
