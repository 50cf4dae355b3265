"""Rules that derive attributes no source gives: coastal decision, physiographic class,
local raw materials. Each function returns its value *and* the rule in words, which
is stored as the value's provenance. Thresholds are named here and documented in
docs/atlas.md; a dataset can replace any derived value with its own."""

from __future__ import annotations

from collections.abc import Iterable

URBAN_MIN_POPULATION = 200_000  # a city this large is classed industrial-urban
MOUNTAIN_MAX_DENSITY = 100.0  # people per km² (approximate area); sparser units are mountainous


# class or flag -> materials, with the reason stated once
MATERIAL_RULES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("coastal", ("seafood", "seaweed"), "coastal county: fishing grounds and seaweed on its shore"),
    ("mountainous", ("wild fruit", "medicinal herbs", "timber"), "mountainous county: forests give wild fruit, herbs and wood"),
    ("lowland", ("grain", "soybeans", "industrial crops", "livestock"), "lowland county: arable plains grow grain, beans and fibre crops and feed livestock"),
    ("industrial-urban", ("grain", "livestock"), "city: supplied from its farm belt (grain, livestock)"),
)


def decide_coastal(cell_touches: bool, box_touches: bool, listed: bool, has_fact: bool) -> tuple[bool, str]:
    """Combine geometric and listed evidence into one coastal flag.

    Parameters
    ----------
    cell_touches : the approximate cell reaches the coastline.
    box_touches : the unit's true bounding box reaches the coastline.
    listed : a third-party table calls the unit coastal.
    has_fact : a coastal facility (offshore farm, fishery factory) is reported there.
    """
    if has_fact:
        return True, "coastal: a coastal facility (offshore farm or fishery processing) is reported in the unit"
    if cell_touches == listed:
        return listed, f"{'coastal' if listed else 'inland'}: approximate cell and the listed flag agree"
    if not box_touches:
        return False, "inland: the unit's bounding box does not reach the coastline"
    if listed:
        return True, "coastal: listed as coastal and its bounding box reaches the coastline (the approximate cell misses it)"
    return False, "inland: listed as inland; only the approximate cell reaches the coast (cells are not boundaries)"


def classify_physiography(
    *, coastal: bool, is_city: bool, population: int, density: float, mountain_province: bool
) -> tuple[str, str]:
    """Physiographic class by rule, in this order: industrial-urban, coastal, mountainous, lowland."""
    if is_city and population >= URBAN_MIN_POPULATION:
        return "industrial-urban", f"city of {population:,} ≥ {URBAN_MIN_POPULATION:,}"
    if coastal:
        return "coastal", "coastal flag is set"
    if mountain_province:
        return "mountainous", "inland unit of a province the dataset lists as mountainous"
    if density < MOUNTAIN_MAX_DENSITY:
        return "mountainous", f"density {density:.0f}/km² < {MOUNTAIN_MAX_DENSITY:.0f}/km² (approximate area)"
    return "lowland", f"inland, density {density:.0f}/km² ≥ {MOUNTAIN_MAX_DENSITY:.0f}/km²"


def raw_materials(
    physiography: str, coastal: bool, facts: Iterable[tuple[str, str]] = ()
) -> list[tuple[str, str]]:
    """Local raw materials with the reason for each: class rules, the coastal flag, then facts."""
    out: dict[str, str] = {}
    for key, materials, why in MATERIAL_RULES:
        if key == physiography or (key == "coastal" and coastal):
            for m in materials:
                out.setdefault(m, why)
    for m, why in facts:
        out[m] = f"{out[m]}; and {why}" if m in out else why
    return list(out.items())
