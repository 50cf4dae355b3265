"""Scenario files: the dataset's programme defaults, the example files, and errors that name
file, key path and reason (unknown keys at any depth, wrong types, duplicates)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from twentyten.plan.scenario import (
    ScenarioError,
    load_programme,
    load_scenario,
    scenario_from_dict,
)
from twentyten.plan.schema import ScenarioSpec

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DPRK = Path(__file__).resolve().parents[2] / "src" / "twentyten" / "data" / "dprk"


def test_programme_defaults_are_the_policy() -> None:
    s = load_scenario()
    assert s.years == tuple(range(2024, 2034))
    assert s.caps["factory"].value(2027) == 20 and s.caps["hospital"].first_year == 2026
    assert s.capacity["labour"].value(2024) == 240 and s.capacity["labour"].value(2030) == 960
    assert s.capacity["budget"].value(2030) is None
    assert s.replan_from == 2026 and s.use_record


def test_every_default_cap_and_capacity_cites_its_basis() -> None:
    prog = load_programme()
    sources = {line.split(",")[0] for line in (DPRK / "sources.csv").read_text().splitlines()[1:]}
    d = prog.defaults
    limits = [getattr(d.caps, t) for t in type(d.caps).model_fields] + [getattr(d.capacity, r) for r in type(d.capacity).model_fields]
    assert all(lim is not None for lim in limits)
    for lim in limits:
        assert lim.basis is not None
        assert lim.basis.source in sources or len(lim.basis.assumption or "") > 20
    assert "20 full sites" in d.capacity.labour.basis.assumption  # the 960 is an assumption, said so


def test_example_file_is_the_defaults() -> None:
    s = load_scenario(EXAMPLES / "scenario.yaml")
    assert s.sha256() == load_scenario().sha256()
    assert s.caps == load_scenario().caps


def test_overrides() -> None:
    s = scenario_from_dict({
        "horizon": {"start": 2024, "end": 2030},
        "caps": {"factory": {"per_year": 15, "years": {2027: 10}}},
        "capacity": {"labour": 500},
        "balance": {"strength": 0.5},
        "commitments": {"record": False, "add": [{"county": "X", "facility": "hospital", "year": 2027}]},
    })
    assert s.years == tuple(range(2024, 2031))
    assert s.caps["factory"].value(2027) == 10 and s.caps["factory"].value(2028) == 15
    assert s.caps["hospital"].first_year == 2026  # untouched names keep the programme's limit
    assert s.capacity["labour"].value(2030) == 500 and s.capacity["labour"].value(2024) == 500
    assert s.balance_strength == 0.5 and s.balance_tolerance == 2.0 and s.use_record is False
    assert s.add_commitments[0].facility_type == "hospital"
    assert s.sha256() != load_scenario().sha256()


@pytest.mark.parametrize(
    ("raw", "needle"),
    [
        ({"caps": {"factroy": 20}}, "caps.factroy = 20: unknown key"),
        ({"caps": {"factory": {"per_year": -3}}}, "caps.factory.per_year = -3: must not be negative"),
        ({"capacity": {"labour": "lots"}}, "capacity.labour = 'lots'"),
        ({"horizon": {"start": 2030, "end": 2024}}, "end 2024 is before start 2030"),
        ({"weights": {"types": {"school": 1}}}, "weights.types.school"),
        ({"commitments": {"add": [{"county": "X", "facility": "hospital", "year": 2050}]}},
         "commitments.add[0].year = 2050"),
        ({"bogus": 1}, "bogus = 1: unknown key"),
        ({"solver": {"time_limt": 1}}, "solver.time_limt = 1: unknown key; expected one of time_limit, gap"),
        ({"commitments": {"recrod": False}}, "commitments.recrod = False: unknown key"),
        ({"weights": {"populaton": 0.5}}, "weights.populaton = 0.5: unknown key"),
        ({"balance": {"strenght": 1}}, "balance.strenght = 1: unknown key"),
        ({"caps": {"factory": {"per_yer": 3}}}, "caps.factory.per_yer = 3: unknown key"),
        ({"bundles": [{"lead": "factory", "members": ["hospital"], "from": 2026, "form": 1}]},
         "bundles[0].form = 1: unknown key"),
        ({"commitments": {"record": "false"}}, "commitments.record = 'false': expected true or false"),
        ({"horizon": {"start": True, "end": 2033}}, "horizon.start = True: expected a whole number"),
        ({"commitments": {"add": [{"county": "X", "facility": "factory", "year": 2027.9}]}},
         "commitments.add[0].year = 2027.9: expected a whole number"),
        ({"replan_from": "2026"}, "replan_from = '2026'"),
        ({"commitments": {"add": [{"county": "X", "facility": "factory", "year": 2027},
                                  {"county": "X", "facility": "factory", "year": 2028}]}},
         "commitments.add: X factory is committed twice (add[0] and add[1])"),
        ({"horizon": [2024, 2033]}, "horizon = [2024, 2033]: expected a mapping"),
        ({"weights": ["x"]}, "weights = ['x']: expected a mapping"),
        ({"solver": {"time_limit": float("nan")}}, "solver.time_limit = nan"),
        ({"solver": {"time_limit": -1}}, "solver.time_limit = -1"),
        ({"balance": {"types": ["school"]}}, "balance.types[0] = 'school': unknown facility type"),
    ],
)
def test_errors_name_file_key_reason(raw, needle, tmp_path) -> None:
    p = tmp_path / "bad.yaml"
    p.write_text(yaml.safe_dump(raw))
    with pytest.raises(ScenarioError) as e:
        load_scenario(p)
    line = str(e.value)
    assert line.startswith(f"{p}: ") and needle in line
    assert "\n" not in line


def test_not_a_mapping_and_bad_yaml(tmp_path) -> None:
    p = tmp_path / "s.yaml"
    p.write_text("- just\n- a list\n")
    with pytest.raises(ScenarioError, match="expected a mapping of settings"):
        load_scenario(p)
    p.write_text("{{{ ]]]\n")
    with pytest.raises(ScenarioError, match=r"not valid YAML \(line 1"):
        load_scenario(p)


def test_a_dataset_without_programme_needs_a_complete_scenario(tmp_path) -> None:
    (tmp_path / "regions.csv").write_text((DPRK / "regions.csv").read_text())
    with pytest.raises(ScenarioError, match="horizon: missing: neither the scenario nor"):
        load_scenario(None, tmp_path)
    full = tmp_path / "full.yaml"
    full.write_text(yaml.safe_dump(yaml.safe_load((DPRK / "programme.yaml").read_text())["defaults"]))
    assert load_scenario(full, tmp_path).caps == load_scenario().caps


def _dataset_copy(tmp_path: Path) -> Path:
    for f in DPRK.iterdir():
        if f.is_file():
            (tmp_path / f.name).write_bytes(f.read_bytes())
    return tmp_path


def test_programme_is_validated_by_the_same_schema(tmp_path) -> None:
    d = _dataset_copy(tmp_path)
    text = (d / "programme.yaml").read_text()
    assert "    time_limit: 600" in text
    (d / "programme.yaml").write_text(text.replace("    time_limit: 600", "    time_limt: 600"))
    with pytest.raises(ScenarioError, match=r"programme.yaml: defaults.solver.time_limt = 600: unknown key"):
        load_scenario(None, d)


def test_programme_bases_cite_known_sources(tmp_path) -> None:
    d = _dataset_copy(tmp_path)
    text = (d / "programme.yaml").read_text()
    (d / "programme.yaml").write_text(text.replace("basis: {source: rollout, note: \"20x10 Policy: regional",
                                                   "basis: {source: nowhere, note: \"20x10 Policy: regional"))
    with pytest.raises(ScenarioError, match=r"defaults.caps.factory.basis.source = 'nowhere': not a source id"):
        load_scenario(None, d)


def test_a_basis_is_a_source_or_an_assumption(tmp_path) -> None:
    p = tmp_path / "s.yaml"
    p.write_text("caps: {factory: {per_year: 3, basis: {note: because}}}\n")
    with pytest.raises(ScenarioError, match="give either a source id or an assumption"):
        load_scenario(p)


def _mappings(node, path=()):
    """Every mapping in a scenario (with its key path), except year -> value tables."""
    if isinstance(node, dict):
        if path and path[-1] == "years":
            return
        yield path, node
        for k, v in node.items():
            yield from _mappings(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _mappings(v, (*path[:-1], f"{path[-1]}[{i}]"))


_DEFAULTS = yaml.safe_load((EXAMPLES / "scenario.yaml").read_text())
_DEFAULTS["bundles"][0]["basis"] = {"assumption": "a basis is allowed where the schema has one"}
_PLACES = list(_mappings(_DEFAULTS))


@settings(max_examples=60, deadline=None)
@given(place=st.sampled_from(_PLACES), key=st.text("abcdefghijklmnopqrstuvwxyz_", min_size=3, max_size=12))
def test_an_unknown_key_anywhere_is_refused_with_its_path(place, key) -> None:
    path, _ = place
    assume(key not in {"per_year", "from", "years", "basis", "source", "assumption", "note"})
    raw = copy.deepcopy(_DEFAULTS)
    node = raw
    for part in path:
        name, _, idx = part.partition("[")
        node = node[name] if not idx else node[name][int(idx[:-1])]
    assume(key not in node and not (path == () and key in ScenarioSpec.model_fields))
    node[key] = 1
    with pytest.raises(ScenarioError) as e:
        scenario_from_dict(raw, "s.yaml")
    where = ".".join((*path, key))
    assert str(e.value).startswith(f"s.yaml: {where} = 1: unknown key"), str(e.value)


@pytest.mark.parametrize(
    ("raw", "line"),
    [
        ({"bundles": [{"lead": "factory", "members": ["factory"], "from": 2026}]},
         "bundles[0]: the lead factory is also a member: a bundle's members follow another type"),
        ({"precedence": [{"before": "hospital", "after": "hospital"}]},
         "precedence[0]: before and after are both hospital: a precedence orders two types"),
        ({"caps": {"factory": {"per_year": 20, "years": {1990: 3}}}},
         "caps.factory.years.1990: outside the horizon 2024-2033 (a value for a year the plan does not cover)"),
    ],
)
def test_settings_that_would_be_ignored_or_self_contradictory_are_refused(raw, line):
    """A bundle led by its own member, a type preceding itself, a cap for a year outside the
    horizon: each once passed and meant nothing (or made the baseline fail elsewhere)."""
    with pytest.raises(ScenarioError) as e:
        scenario_from_dict(raw, "s.yaml")
    where, _, reason = line.partition(": ")
    assert e.value.lines[0].startswith(f"s.yaml: {where}") and e.value.lines[0].endswith(reason)


def test_the_defaults_years_outside_a_shorter_horizon_are_not_the_users_mistake():
    """The programme gives labour for 2024 and 2025; a scenario planning from 2026 is fine."""
    s = scenario_from_dict({"horizon": {"start": 2026, "end": 2033}}, "s.yaml")
    assert s.start == 2026 and s.capacity["labour"].years == {2024: 240, 2025: 400}
