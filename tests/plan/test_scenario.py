"""Scenario files: defaults, the example file, and errors that name file, key and value."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from twentyten.plan.scenario import (
    DEFAULT_YAML,
    Scenario,
    ScenarioError,
    load_scenario,
    scenario_from_dict,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_default_yaml_is_the_defaults() -> None:
    s = scenario_from_dict(yaml.safe_load(DEFAULT_YAML), "x")
    assert s == Scenario(source="x")


def test_example_file_is_the_defaults() -> None:
    s = load_scenario(EXAMPLES / "scenario.yaml")
    assert s == Scenario(source=str(EXAMPLES / "scenario.yaml"))


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
    assert s.capacity["labour"].value(2030) == 500
    assert s.balance_strength == 0.5 and s.use_record is False
    assert s.add_commitments[0].facility_type == "hospital"


@pytest.mark.parametrize(
    ("raw", "needle"),
    [
        ({"caps": {"factroy": 20}}, "caps.factroy"),
        ({"caps": {"factory": {"per_year": -3}}}, "caps.factory.per_year = -3"),
        ({"capacity": {"labour": "lots"}}, "capacity.labour = 'lots'"),
        ({"horizon": {"start": 2030, "end": 2024}}, "horizon.end = 2024"),
        ({"weights": {"types": {"school": 1}}}, "weights.types.school"),
        ({"commitments": {"add": [{"county": "X", "facility": "hospital", "year": 2050}]}},
         "commitments.add[0].year = 2050"),
        ({"bogus": 1}, "bogus = 1"),
    ],
)
def test_errors_name_file_key_value(raw, needle, tmp_path) -> None:
    p = tmp_path / "bad.yaml"
    p.write_text(yaml.safe_dump(raw))
    with pytest.raises(ScenarioError) as e:
        load_scenario(p)
    assert str(p) in str(e.value)
    assert needle in str(e.value)
