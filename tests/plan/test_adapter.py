"""A planning instance from the dataset, the standards, the design and the record."""

from __future__ import annotations

import numpy as np
import pytest

from twentyten.domain import Level, Region
from twentyten.plan.adapter import DesignFailed, need_scores, record_commitments, record_types
from twentyten.plan.instance import InstanceError, fingerprint, inputs_from_atlas, load_instance
from twentyten.plan.scenario import ScenarioError, load_programme, load_scenario

KEYWORDS = load_programme().record.keywords


@pytest.fixture(scope="module")
def bundled():
    """The bundled instance, sized by the design (loaded once for this module)."""
    return inputs_from_atlas()


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


def test_bundled_inputs(bundled) -> None:
    inp = bundled
    from twentyten.atlas import load_atlas

    regions = {r.id: r for r in load_atlas().counties()}
    assert len(regions) == 179 and len(inp.counties) == 177  # Pyongyang proper and Unjong are not sites
    assert "PRK-pyongyang-pyongyang" not in inp.counties and "PRK-pyongyang-kangdong" in inp.counties
    k = inp.type_index("offshore_farm")
    coastal = np.array([bool(regions[c].coastal) for c in inp.counties])
    assert not inp.eligible[~coastal, k, :].any()
    assert inp.replan_from == 2026
    assert (inp.use["labour"] >= 0).all()


def test_fallback_resources_only_when_asked_and_labelled() -> None:
    inp = inputs_from_atlas(fallback_resources=True)
    assert any("FALLBACK" in n for n in inp.notes)
    assert inp.use["labour"][:, inp.type_index("factory"), :].mean() > 0



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


def _big(scale: float = 1.0, C: int = 3, Y: int = 2):
    """R1's factory takes 60 then 40 of 100; R2's factory 20 with a 10 hospital it must bring."""
    from tests.plan.helpers import tiny

    inp = tiny(np.random.default_rng(0), C=C, types=("factory", "hospital"), Y=Y, cap=C, labour=100.0,
               bundle_from=2024)
    lab = inp.use["labour"]
    lab[:] = 0.0
    lab[:3, 0, :] = np.array([[10.0, 10.0], [60.0, 40.0], [20.0, 20.0]])[:, :Y] * scale
    lab[2, 1, :] = 10.0 * scale
    return inp


def test_large_package_note_is_a_pre_solve_fact_from_the_bundle_rule() -> None:
    from twentyten.plan.adapter import large_package_notes

    notes = large_package_notes(_big())
    assert len(notes) == 2
    assert notes[0].startswith("County 1 (C1): before solving, its factory package (with hospital, built together)")
    assert "needs at least 40 regiment-months, 40 % of the labour capacity 100 of 2025" in notes[0]
    assert notes[1].startswith("County 2 (C2)") and "needs at least 30 regiment-months, 30 %" in notes[1]
    assert "cannot be built" not in " ".join(notes)
    assert "built whole in one year or not at all" in notes[0]
    over = large_package_notes(_big(scale=3.0))  # R1 120 %, R2 90 %, R0 30 %
    assert [n.split(":")[0] for n in over] == ["County 0 (C0)", "County 1 (C1)", "County 2 (C2)"]
    assert "cannot be built" in over[1] and "cannot be built" not in over[0] + over[2]


@pytest.mark.parametrize("scale", [1.0, 3.0, 5.0])
def test_large_package_verdict_says_what_the_plan_did(scale: float) -> None:
    from twentyten.plan.adapter import large_package_verdicts, large_packages
    from twentyten.plan.solve import solve_plan

    inp = _big(scale)
    res = solve_plan(inp)
    verdicts = large_package_verdicts(res)
    assert len(verdicts) == len(large_packages(inp)) > 0
    for lp, v in zip(large_packages(inp), verdicts, strict=True):
        y = res.planned_year(inp.counties[lp.county], "factory")
        assert v.startswith(f"{inp.county_names[lp.county]} ({inp.counties[lp.county]})")
        assert (f"is built in {y} in this plan" in v) == (y is not None)
        if not lp.fits():
            assert y is None and "is not built: it needs" in v


def test_bundled_large_packages_say_what_the_plan_does(bundled) -> None:
    """Hamhung City's package is noted before solving as a fact, and after solving with the year
    the plan builds it in (or that it does not)."""
    from twentyten.plan.adapter import large_package_notes, large_package_verdicts
    from twentyten.plan.solve import solve_greedy

    # the threshold is the share of a year's labour; Hamhung City has the largest package, so a
    # threshold just under its share makes it (and only the largest ones) "large"
    share = 0.05
    note = next(n for n in large_package_notes(bundled, share) if n.startswith("Hamhung City"))
    assert "before solving, its factory package (with hospital and leisure complex" in note
    assert "planned as one package" not in note
    res = solve_greedy(bundled)
    v = next(n for n in large_package_verdicts(res, share) if n.startswith("Hamhung City"))
    y = res.planned_year("PRK-south-hamgyong-hamhung-city", "factory")
    assert (f"is built in {y} in this plan" in v) if y is not None else ("is not built" in v)


def _dataset_with(tmp_path, membership: str):
    from twentyten.atlas.loader import resolve

    src = resolve("dprk")
    for f in src.iterdir():
        if f.is_file():
            (tmp_path / f.name).write_bytes(f.read_bytes())
    (tmp_path / "programme_membership.csv").write_text(membership)
    return tmp_path


def test_a_county_that_is_not_a_programme_site_gets_no_package(tmp_path) -> None:
    d = _dataset_with(tmp_path, "region_id,member,reason,source\n"
                      "*,true,every county,test\n"
                      "PRK-jagang-chosan,false,a test county left out,test\n")
    inst = load_instance(dataset=str(d), fallback_resources=True)
    assert "PRK-jagang-chosan" not in inst.inputs.counties
    assert "PRK-pyongyang-pyongyang" in inst.inputs.counties  # this file makes it a site
    assert len(inst.inputs.counties) == 178
    assert any(n.startswith("not planned: Chosan (PRK-jagang-chosan) is not a programme site") and
               "a test county left out" in n for n in inst.inputs.notes)
    from twentyten.plan.solve import solve_greedy

    assert not solve_greedy(inst.inputs).violations
    (tmp_path / "every").mkdir()
    every = _dataset_with(tmp_path / "every", "region_id,member,reason,source\n*,true,every county,test\n")
    assert fingerprint(load_scenario(), str(d)).dataset_sha256 != fingerprint(load_scenario(), str(every)).dataset_sha256


def test_a_record_site_or_commitment_outside_the_programme(tmp_path) -> None:
    d = _dataset_with(tmp_path, "region_id,member,reason,source\n"
                      "*,true,every county,test\n"
                      "PRK-south-pyongan-songchon,false,left out,test\n")
    inst = load_instance(dataset=str(d), fallback_resources=True)
    assert not any(c.county == "PRK-south-pyongan-songchon" for c in inst.inputs.commitments)
    assert any(n.startswith("record PRK-south-pyongan-songchon factory") and "not a programme site" in n
               for n in inst.inputs.notes)
    p = tmp_path / "s.yaml"
    p.write_text("commitments: {add: [{county: PRK-south-pyongan-songchon, facility: hospital, year: 2027}]}\n")
    with pytest.raises(ScenarioError, match="'PRK-south-pyongan-songchon': not a programme site of the dataset"):
        load_instance(p, dataset=str(d), fallback_resources=True)


def test_a_bad_membership_file_is_bad_input(tmp_path) -> None:
    d = _dataset_with(tmp_path, "region_id,member,reason,source\nPRK-jagang-chosan,maybe,x,y\n")
    with pytest.raises(InstanceError, match="programme_membership.csv:2: member 'maybe' must be true or false"):
        load_instance(dataset=str(d), fallback_resources=True)
