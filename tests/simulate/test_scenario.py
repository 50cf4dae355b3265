"""The simulation scenario: bundled defaults cite their basis; bad files are refused with the
file, key path and reason."""

from __future__ import annotations

import numpy as np
import pytest

from twentyten.simulate.scenario import (
    UNCERTAINTIES,
    SimulationScenarioError,
    TriangularShare,
    load_uncertainty,
)


def test_bundled_defaults_give_every_uncertainty_with_its_basis():
    unc = load_uncertainty()
    assert unc.duration.basis is not None
    assert unc.diversion.basis is not None and unc.diversion.share.basis is not None
    for r, d in unc.shortfall.items():
        assert d.basis is not None, r
    assert set(UNCERTAINTIES) == {"duration", "diversion", *(f"shortfall.{r}" for r in unc.shortfall)}


def _write(tmp_path, text: str):
    p = tmp_path / "unc.yaml"
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize("text, where", [
    ("duraton: {dist: fixed, value: 1.0}\n", "duraton"),
    ("diversion: {probability: 1.5, share: {dist: fixed, value: 0.1}}\n", "diversion.probability"),
    ("diversion: {probability: '0.2', share: {dist: fixed, value: 0.1}}\n", "diversion.probability"),
    ("shortfall: {labour: {dist: uniform, low: 0.3, high: 0.1}}\n", "shortfall.labour"),
    ("shortfall: {water: {dist: fixed, value: 0.1}}\n", "shortfall"),
    ("duration: {dist: lognormal, median: 1.0, sigma: -0.1}\n", "duration"),
    ("shortfall: {labour: {dist: gamma, value: 0.1}}\n", "shortfall.labour"),
])
def test_bad_scenarios_are_refused_with_file_and_key(tmp_path, text, where):
    p = _write(tmp_path, text)
    with pytest.raises(SimulationScenarioError) as e:
        load_uncertainty(p)
    assert str(p) in str(e.value)
    assert where in str(e.value)


def test_not_yaml_and_not_a_mapping(tmp_path):
    with pytest.raises(SimulationScenarioError, match="not valid YAML"):
        load_uncertainty(_write(tmp_path, "duration: [1,\n"))
    with pytest.raises(SimulationScenarioError, match="expected a mapping"):
        load_uncertainty(_write(tmp_path, "- 1\n"))


def test_a_scenario_overrides_key_by_key(tmp_path):
    p = _write(tmp_path, "shortfall: {labour: {dist: fixed, value: 0.3}}\n")
    unc = load_uncertainty(p)
    base = load_uncertainty()
    assert unc.shortfall["labour"].value == 0.3
    assert unc.shortfall["budget"] == base.shortfall["budget"]
    assert unc.duration == base.duration and unc.diversion == base.diversion


def test_switching_off_and_stronger():
    unc = load_uncertainty()
    z = unc.zero_variance()
    u = np.linspace(0, 1, 11)
    assert (z.shortfall["labour"].from_uniform(u) == 0).all()
    assert z.diversion.probability == 0
    assert (z.duration.from_normal(np.linspace(-3, 3, 7)) == 1.0).all()
    s = unc.stronger("diversion")
    assert s.diversion.probability == pytest.approx(min(1.0, 2 * unc.diversion.probability))


def test_triangular_inverse_cdf_has_the_right_mean():
    t = TriangularShare(dist="triangular", low=0.0, mode=0.05, high=0.25)
    x = t.from_uniform(np.random.default_rng(0).random(200_000))
    assert x.min() >= 0 and x.max() <= 0.25
    assert x.mean() == pytest.approx((0.0 + 0.05 + 0.25) / 3, abs=1e-3)
