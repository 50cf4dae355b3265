"""A planning instance from the dataset, the standards, the design and the record."""

from __future__ import annotations

import numpy as np
import pytest

from twentyten.domain import Level, Region
from twentyten.plan.adapter import DesignFailed, need_scores, record_commitments, record_types
from twentyten.plan.instance import InstanceError, fingerprint, inputs_from_atlas, load_instance
from twentyten.plan.scenario import ScenarioError, load_programme, load_scenario

KEYWORDS = load_programme().record.keywords


def _record_text() -> str:
    from twentyten.atlas.loader import resolve

    return (resolve("dprk") / "rollout_sites.csv").read_text()


@pytest.mark.parametrize(
    ("programme", "facilities", "types"),
    [
        ("20x10 regional-industry", "foodstuff; daily necessities; clothing", ("factory",)),
        ("20x10 regional-industry + pilot hospital", "factories; hospital", ("factory", "hospital")),
        ("20x10 regional-industry + cultural/service complex", "factories; cultural and service complex",
         ("factory", "leisure_complex")),
        ("20x10 regional-industry + grain management facility", "factories; grain management facility",
         ("factory", "grain_storage")),
        ("offshore farm (special project)", "offshore aquaculture farm", ("offshore_farm",)),
        ("marine aquaculture", "modern marine aquaculture facility", ("offshore_farm",)),
        ("pilot hospital", "hospital", ("hospital",)),
    ],
)
def test_record_types(programme, facilities, types) -> None:
    assert record_types(programme, facilities, KEYWORDS) == types


def test_record_keywords_are_the_datasets() -> None:
    assert record_types("x", "a water park", {"leisure_complex": ["water park"]}) == ("leisure_complex",)
    assert record_types("20x10 regional-industry", "", {}) == ()


def test_record_commitments_from_bundled_record() -> None:
    from twentyten.atlas import load_atlas

    ids = [r.id for r in load_atlas().counties()]
    cms, notes = record_commitments(ids, tuple(range(2024, 2034)), _record_text(), KEYWORDS)
    by = {(c.county, c.facility_type): c.year for c in cms}
    assert by[("PRK-south-pyongan-songchon", "factory")] == 2024
    assert by[("PRK-south-hamgyong-sinpho-city", "offshore_farm")] == 2024
    assert by[("PRK-nampo-ryonggang", "hospital")] == 2025
    assert by[("PRK-south-hamgyong-riwon", "offshore_farm")] == 2026
    assert sum(1 for c in cms if c.year == 2024 and c.facility_type == "factory") == 19
    assert any("Unsan" in n for n in notes)  # no county id: left out, said so


def test_need_score_terms() -> None:
    near = Region("a", Level.COUNTY, "A", population=200_000, area_km2=200, lon=125.8, lat=39.1,
                  physiography="lowland")
    far = Region("b", Level.COUNTY, "B", population=30_000, area_km2=1500, lon=129.0, lat=41.8,
                 physiography="mountainous")
    need, comp = need_scores([near, far], {"remoteness": 1, "sparsity": 1, "mountainous": 1})
    assert need[1] > need[0]
    assert comp["mountainous"].tolist() == [0.0, 1.0]
    assert need.min() >= 0 and need.max() <= 1


def test_bundled_inputs() -> None:
    inp = inputs_from_atlas()
    assert len(inp.counties) == 179
    k = inp.type_index("offshore_farm")
    from twentyten.atlas import load_atlas

    coastal = np.array([bool(r.coastal) for r in load_atlas().counties()])
    assert not inp.eligible[~coastal, k, :].any()
    assert inp.replan_from == 2026
    assert (inp.use["labour"] >= 0).all()


def test_fallback_resources_only_when_asked_and_labelled() -> None:
    inp = inputs_from_atlas(fallback_resources=True)
    assert any("FALLBACK" in n for n in inp.notes)
    assert inp.use["labour"][:, inp.type_index("factory"), :].mean() > 0
    assert not any("FALLBACK" in n for n in inputs_from_atlas().notes)


def test_a_design_failure_stops_the_plan() -> None:
    def broken(region, year):
        raise ValueError("norm missing")

    with pytest.raises(DesignFailed, match=r"design of .* for 2024 failed: ValueError: norm missing"):
        load_instance(design=broken)


def test_norms_reach_the_plan(tmp_path) -> None:
    """A user's norms change the design and so the plan's resource use (and the fingerprint)."""
    norms = tmp_path / "norms.csv"
    norms.write_text("key,value\nconstruction.crew_m2_per_month,140\n")  # half the productivity
    base, mine = load_instance(), load_instance(norms=[str(norms)])
    assert not np.allclose(base.inputs.use["labour"], mine.inputs.use["labour"])
    assert base.fingerprint.standards_sha256 != mine.fingerprint.standards_sha256
    assert base.fingerprint.dataset_sha256 == mine.fingerprint.dataset_sha256


def test_commitments_come_from_the_dataset_given(tmp_path) -> None:
    """The record of the dataset named, not of the settings' default dataset."""
    from twentyten.atlas.loader import resolve

    src = resolve("dprk")
    for f in src.iterdir():
        if f.is_file():
            (tmp_path / f.name).write_bytes(f.read_bytes())
    lines = (src / "rollout_sites.csv").read_text().splitlines()
    (tmp_path / "rollout_sites.csv").write_text("\n".join(lines[:3]) + "\n")  # two sites only
    inst = load_instance(dataset=str(tmp_path), fallback_resources=True)
    assert len(inst.inputs.commitments) == 2
    assert inst.fingerprint.dataset_sha256 != fingerprint(load_scenario(), "dprk").dataset_sha256


def test_a_missing_dataset_is_bad_input() -> None:
    with pytest.raises(InstanceError, match="'/nonexistent': no such bundled dataset"):
        load_instance(dataset="/nonexistent")


def test_unknown_counties_in_commitments_are_refused(tmp_path) -> None:
    p = tmp_path / "s.yaml"
    p.write_text("commitments: {drop: [PRK-nowhere]}\n")
    with pytest.raises(ScenarioError, match=r"commitments.drop\[0\] = 'PRK-nowhere': not a county id"):
        load_instance(p, fallback_resources=True)


def test_large_package_note_names_the_county_and_numbers() -> None:
    from twentyten.plan.adapter import large_package_notes
    from twentyten.plan.inputs import FACILITY_TYPES, Bundle

    regions = [Region(f"r{i}", Level.COUNTY, f"R{i}") for i in range(3)]
    labour = np.zeros((3, len(FACILITY_TYPES), 2))
    labour[:, 0, :] = [[10.0, 10.0], [60.0, 40.0], [20.0, 20.0]]  # factory
    labour[2, 1, :] = 10.0  # hospital: R2's bundle is 30 of 100
    capacity = np.array([100.0, 100.0])
    bundles = (Bundle("factory", ("hospital",), 2024),)
    notes = large_package_notes(regions, labour, capacity, bundles)
    assert len(notes) == 2
    assert notes[0].startswith("R1 (r1)") and "needs 40 regiment-months, 40 % of the year's capacity 100" in notes[0]
    assert notes[1].startswith("R2 (r2)") and "needs 30 regiment-months, 30 %" in notes[1]
    assert "cannot be built" not in " ".join(notes)
    over = large_package_notes(regions, labour * 4, capacity, bundles)
    assert "cannot be built" in over[1] and "cannot be built" not in over[0]


def test_bundled_capital_package_is_flagged() -> None:
    inp = inputs_from_atlas()
    c = int(np.argmax(inp.population))
    assert any(n.startswith(f"{inp.county_names[c]} ({inp.counties[c]})") for n in inp.notes)
