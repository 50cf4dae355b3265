"""One line per problem of a settings file: the key path the user wrote (no pydantic
internals such as a union's tag), the value and a reason in words, for every schema that
uses :mod:`twentyten.schema_errors` (scenario, uncertainty scenario, saved plan)."""

import pytest

from twentyten.plan.scenario import ScenarioError, parse_scenario
from twentyten.schema_errors import key_path, read_yaml
from twentyten.simulate.scenario import SimulationScenarioError, parse_spec


def _sim_lines(raw) -> list[str]:
    with pytest.raises(SimulationScenarioError) as e:
        parse_spec(raw, "s.yaml")
    return e.value.lines


@pytest.mark.parametrize(
    ("raw", "line"),
    [
        # the tag of a distribution is not part of the key path the user wrote
        ({"shortfall": {"labour": {"dist": "fixed", "value": 2}}}, "s.yaml: shortfall.labour.value = 2: must be at most 1"),
        ({"diversion": {"probability": 0.1, "share": {"dist": "uniform", "low": 0.1, "high": 0.5, "hgh": 0.5}}},
         "s.yaml: diversion.share.hgh = 0.5: unknown key; expected one of dist, low, high"),
        # a resource is not a facility type
        ({"shortfall": {"cement": {"dist": "fixed", "value": 0.1}}},
         "s.yaml: shortfall.cement (name): unknown key; expected one of labour, budget, materials"),
        ({"duration": {"dist": "gamma"}}, "s.yaml: duration.dist = 'gamma': unknown value; expected one of fixed, lognormal"),
        ({"duration": {"median": 2}}, "s.yaml: duration.dist: missing; expected one of fixed, lognormal"),
        ({"sensitivity_factor": 0.5}, "s.yaml: sensitivity_factor = 0.5: must be more than 1"),
        ({"duration": {"dist": "lognormal", "median": 1, "sigma": -1}}, "s.yaml: duration.sigma = -1: must not be negative"),
        (3, "s.yaml: (top level) = 3: expected a mapping of uncertainties"),
    ],
)
def test_uncertainty_scenario_errors_name_the_key_the_user_wrote(raw, line):
    assert _sim_lines(raw) == [line]


def test_scenario_errors_keep_facility_type_wording():
    with pytest.raises(ScenarioError) as e:
        parse_scenario({"balance": {"types": ["school"]}, "caps": {"hospitl": 3}}, "p.yaml")
    assert e.value.lines == [
        "p.yaml: caps.hospitl = 3: unknown key; expected one of factory, hospital, leisure_complex, grain_storage, "
        "offshore_farm",
        "p.yaml: balance.types[0] = 'school': unknown facility type; expected one of factory, hospital, "
        "leisure_complex, grain_storage, offshore_farm",
    ]


def test_key_path():
    assert key_path(()) == "(top level)"
    assert key_path(("a", 0, "function-after[_x()]", "b")) == "a[0].b"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"a: [1, 2\n", "not valid YAML (line 2, column 1): expected ',' or ']', but got '<stream end>'"),
        (b"a: \xff\n", "not UTF-8 text (invalid start byte at byte 3)"),
        (None, "cannot read: No such file or directory"),
    ],
)
def test_read_yaml_one_line_per_unreadable_file(tmp_path, content, reason):
    p = tmp_path / "s.yaml"
    if content is not None:
        p.write_bytes(content)
    with pytest.raises(ValueError) as e:
        read_yaml(p, ValueError)
    assert str(e.value) == f"{p}: {reason}"
