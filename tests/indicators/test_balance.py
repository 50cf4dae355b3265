"""Balance indices: properties (hypothesis) and agreement with PySAL's ``inequality``."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from twentyten.indicators import balance as b

values = st.lists(st.floats(0.01, 1000.0), min_size=2, max_size=40)


def _pops(n: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).uniform(1_000, 500_000, n)


@given(st.floats(0.01, 1e6), st.integers(2, 50), st.integers(0, 2**31))
@settings(max_examples=60, deadline=None)
def test_zero_for_equal_shares(value, n, seed):
    y, p = np.full(n, value), _pops(n, seed)
    g = np.arange(n) % 3
    assert b.theil_t(y, p) == pytest.approx(0, abs=1e-12)
    assert b.theil_l(y, p) == pytest.approx(0, abs=1e-12)
    assert b.williamson(y, p) == pytest.approx(0, abs=1e-12)
    assert b.gini(y, p) == pytest.approx(0, abs=1e-12)
    d = b.theil_t_decomposition(y, p, g)
    assert d.between == pytest.approx(0, abs=1e-12) and d.within == pytest.approx(0, abs=1e-12)


@given(values, st.floats(0.001, 1000.0), st.integers(0, 2**31))
@settings(max_examples=80, deadline=None)
def test_scale_invariance(ys, k, seed):
    y, p = np.array(ys), _pops(len(ys), seed)
    for f in (b.theil_t, b.theil_l, b.williamson, b.gini):
        assert f(k * y, p) == pytest.approx(f(y, p), rel=1e-9, abs=1e-12)
        assert f(y, 7.0 * p) == pytest.approx(f(y, p), rel=1e-9, abs=1e-12)  # only shares count


@given(values, st.integers(1, 6), st.integers(0, 2**31))
@settings(max_examples=80, deadline=None)
def test_between_plus_within_is_total(ys, groups, seed):
    y, p = np.array(ys), _pops(len(ys), seed)
    g = np.random.default_rng(seed).integers(0, groups, y.size)
    for dec, total in ((b.theil_t_decomposition, b.theil_t), (b.theil_l_decomposition, b.theil_l)):
        d = dec(y, p, g)
        assert d.within + d.between == pytest.approx(d.total, rel=1e-9, abs=1e-12)
        assert d.total == pytest.approx(total(y, p), rel=1e-9, abs=1e-12)
        assert d.within >= -1e-12 and d.between >= -1e-12


@given(values, st.integers(0, 2**31))
@settings(max_examples=60, deadline=None)
def test_indices_are_non_negative_and_gini_below_one(ys, seed):
    y, p = np.array(ys), _pops(len(ys), seed)
    assert b.theil_t(y, p) >= -1e-12 and b.theil_l(y, p) >= -1e-12 and b.williamson(y, p) >= -1e-12
    assert 0 <= b.gini(y, p) < 1


def test_known_values():
    # two equal halves, one with nothing: G = 0.5, V_w = 1, T = ln 2, L undefined
    y, p = np.array([0.0, 1.0]), np.array([1.0, 1.0])
    assert b.gini(y, p) == pytest.approx(0.5)
    assert b.williamson(y, p) == pytest.approx(1.0)
    assert b.theil_t(y, p) == pytest.approx(np.log(2))
    assert b.theil_l(y, p) is None
    gap = b.capital_gap(np.array([4.0, 1.0, 2.0]), np.array([1.0, 1.0, 3.0]), np.array([True, False, False]))
    assert gap.capital == 4.0 and gap.regions == pytest.approx((1 + 6) / 4) and gap.ratio == pytest.approx(16 / 7)


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="population"):
        b.gini(np.array([1.0, 2.0]), np.array([0.0, 0.0]))
    with pytest.raises(ValueError, match="not negative"):
        b.theil_t(np.array([-1.0, 2.0]), np.array([1.0, 1.0]))
    with pytest.raises(ValueError, match="shape"):
        b.williamson(np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0]))
    with pytest.raises(ValueError, match="capital"):
        b.capital_gap(np.array([1.0, 2.0]), np.array([1.0, 1.0]), np.array([True, True]))


# agreement with PySAL's inequality package (an independent implementation) -------------
inequality = pytest.importorskip("inequality", reason="PySAL's inequality package (test extra) is not installed")


@given(values, st.integers(1, 5), st.integers(0, 2**31))
@settings(max_examples=40, deadline=None)
def test_equal_populations_agree_with_pysal(ys, groups, seed):
    from inequality.gini import Gini
    from inequality.theil import Theil, TheilD

    y = np.array(ys)
    p = np.ones(y.size)
    g = np.random.default_rng(seed).integers(0, groups, y.size)
    assume(np.unique(g).size >= 1)
    assert b.theil_t(y, p) == pytest.approx(float(np.squeeze(Theil(y).T)), rel=1e-7, abs=1e-10)
    d = b.theil_t_decomposition(y, p, g)
    td = TheilD(y, g)
    assert d.between == pytest.approx(float(np.squeeze(td.bg)), rel=1e-7, abs=1e-10)
    assert d.within == pytest.approx(float(np.squeeze(td.wg)), rel=1e-7, abs=1e-10)
    assert b.gini(y, p) == pytest.approx(Gini(y).g, rel=1e-7, abs=1e-10)


@given(st.lists(st.tuples(st.floats(0.01, 100.0), st.integers(1, 30)), min_size=2, max_size=15),
       st.integers(0, 2**31))
@settings(max_examples=40, deadline=None)
def test_population_weights_agree_with_pysal_on_the_people(rows, seed):
    """Weighting a region by p_i people is the same as repeating its value p_i times."""
    from inequality.gini import Gini
    from inequality.theil import Theil, TheilD

    y = np.array([r[0] for r in rows])
    p = np.array([r[1] for r in rows], float)
    g = np.random.default_rng(seed).integers(0, 3, y.size)
    people = np.repeat(y, p.astype(int))
    people_g = np.repeat(g, p.astype(int))
    assert b.theil_t(y, p) == pytest.approx(float(np.squeeze(Theil(people).T)), rel=1e-7, abs=1e-10)
    td = TheilD(people, people_g)
    d = b.theil_t_decomposition(y, p, g)
    assert d.between == pytest.approx(float(np.squeeze(td.bg)), rel=1e-7, abs=1e-10)
    assert d.within == pytest.approx(float(np.squeeze(td.wg)), rel=1e-7, abs=1e-10)
    assert b.gini(y, p) == pytest.approx(Gini(people).g, rel=1e-7, abs=1e-10)
    # Williamson and Theil L against plain numpy on the people (PySAL has neither weighted)
    assert b.williamson(y, p) == pytest.approx(people.std() / people.mean(), rel=1e-9)
    assert b.theil_l(y, p) == pytest.approx(float(np.mean(np.log(people.mean() / people))), rel=1e-9, abs=1e-12)


def test_mean_of_exactly_one_and_nothing_anywhere():
    y, p = np.array([0.5, 1.5]), np.array([1.0, 1.0])  # mean exactly 1: not a special case
    assert b.theil_t(y, p) == pytest.approx(0.5 * (0.5 * np.log(0.5) + 1.5 * np.log(1.5)))
    assert b.theil_l(y, p) == pytest.approx(0.5 * (np.log(2) + np.log(1 / 1.5)))
    assert b.williamson(y, p) == pytest.approx(0.5)
    assert b.gini(y, p) == pytest.approx(0.25)
    g = np.array([0, 1])
    assert b.theil_t_decomposition(y, p, g).between == pytest.approx(b.theil_t(y, p))
    assert b.theil_l_decomposition(y, p, g).between == pytest.approx(b.theil_l(y, p))
    zero = np.zeros(3)
    for f in (b.theil_t, b.theil_l, b.williamson, b.gini):
        assert f(zero, np.ones(3)) == 0.0
    d = b.theil_t_decomposition(zero, np.ones(3), np.array([0, 0, 1]))
    assert (d.total, d.within, d.between) == (0.0, 0.0, 0.0)


@given(st.lists(st.tuples(st.floats(0.0, 100.0), st.integers(0, 5), st.integers(0, 4)), min_size=2, max_size=30))
@settings(max_examples=300, deadline=None)
def test_theil_t_split_with_empty_groups_and_counties_without_people(rows):
    """Zero values (and subnormal ones), groups whose counties have nothing, counties
    without people."""
    y = np.array([r[0] for r in rows])
    p = np.array([float(r[1]) for r in rows])
    g = np.array([r[2] for r in rows])
    assume(p.sum() > 0)
    d = b.theil_t_decomposition(y, p, g)
    assert d.within + d.between == pytest.approx(d.total, rel=1e-9, abs=1e-12)
    assert d.total == pytest.approx(b.theil_t(y, p), rel=1e-9, abs=1e-12)
    if (y[p > 0] > 1e-6).all():  # Theil L is defined (and its logs finite): its split adds up too
        dl = b.theil_l_decomposition(y, p, g)
        assert dl.within + dl.between == pytest.approx(dl.total, rel=1e-9, abs=1e-12)
        assert dl.total == pytest.approx(b.theil_l(y, p), rel=1e-9, abs=1e-12)
    # against the people themselves (PySAL-free: repeat each value once per person)
    people = np.repeat(y, p.astype(int))
    if people.max() > 0:
        people = people / people.max()  # scale-free; keeps subnormal values from overflowing
        r = people / people.mean()
        direct = float(np.mean(np.where(r > 0, r * np.log(np.where(r > 0, r, 1)), 0.0)))
        assert d.total == pytest.approx(direct, rel=1e-9, abs=1e-12)


def test_tiny_values_do_not_overflow():
    y, p = np.array([5e-324, 0.0, 1e-310]), np.array([1.0, 1.0, 1.0])
    for f in (b.theil_t, b.williamson, b.gini):
        assert np.isfinite(f(y, p)) and f(y, p) == pytest.approx(f(y * 1e300, p))
    d = b.theil_t_decomposition(y, p, np.array([0, 0, 1]))
    assert d.within + d.between == pytest.approx(d.total)


def test_gini_with_ties_and_weights_by_hand():
    # values 1, 1, 4 with populations 1, 1, 2: mean 2.5; sum_ij s_i s_j |yi-yj| = 2*(2*.25*.5*3) = 1.5
    assert b.gini(np.array([1.0, 4.0, 1.0]), np.array([1.0, 2.0, 1.0])) == pytest.approx(1.5 / (2 * 2.5))


def test_capital_gap_ratio_none_when_regions_have_nothing():
    gap = b.capital_gap(np.array([3.0, 0.0, 0.0]), np.array([2.0, 1.0, 1.0]), np.array([1, 0, 0]))
    assert gap.capital == 3.0 and gap.regions == 0.0 and gap.ratio is None and gap.difference == 3.0
