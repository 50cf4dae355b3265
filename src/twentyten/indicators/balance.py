"""Regional balance indices, vectorised with numpy, population-weighted.

Regions i = 1..n have population p_i (shares s_i = p_i / P) and a value y_i >= 0 (for
example the facility types in service per county); ``ȳ = Σ s_i y_i``. Formulas (see
``../shared/data/norms/NOTES.md`` §6 and docs/indicators.md):

* Theil T: ``T = Σ s_i (y_i/ȳ) ln(y_i/ȳ)`` (= ``Σ (Y_i/Y) ln[(Y_i/Y)/(p_i/P)]`` with
  ``Y_i = p_i y_i``), 0 ln 0 = 0. Groups g (provinces) with shares S_g, means ȳ_g:
  ``T = Σ_g (S_g ȳ_g/ȳ) T_g  [within] + Σ_g (S_g ȳ_g/ȳ) ln(ȳ_g/ȳ)  [between]``.
* Theil L (mean log deviation): ``L = Σ s_i ln(ȳ/y_i)``; undefined (None) when a region
  with people has y_i = 0. Regions without people weigh nothing in any index. ``L = Σ_g S_g L_g [within] + Σ_g S_g ln(ȳ/ȳ_g) [between]``.
* Williamson (population-weighted coefficient of variation, Williamson 1965):
  ``V_w = sqrt(Σ s_i (y_i − ȳ)²) / ȳ``.
* Population-weighted Gini: ``G = Σ_i Σ_j s_i s_j |y_i − y_j| / (2 ȳ)``, computed in
  O(n log n) from the sorted values.

All are 0 when every region has the same value and do not change when y is scaled.
With ȳ = 0 (nothing anywhere) every index is 0: there is no inequality in nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def _shares(population: np.ndarray) -> np.ndarray:
    p = np.asarray(population, float)
    if p.ndim != 1 or (p < 0).any() or not np.isfinite(p).all() or p.sum() <= 0:
        raise ValueError("population must be finite, not negative, and not all zero")
    return p / p.sum()


def _values(y: np.ndarray, n: int) -> np.ndarray:
    v = np.asarray(y, float)
    if v.shape != (n,):
        raise ValueError(f"values have shape {v.shape}, expected {(n,)}")
    if (v < 0).any() or not np.isfinite(v).all():
        raise ValueError("values must be finite and not negative")
    return v


def _prepare(y: np.ndarray, population: np.ndarray, groups: np.ndarray | None = None):
    """Population shares and values of the regions with people (the others weigh nothing),
    values divided by their largest: the indices are scale-invariant, and tiny values
    (subnormal floats) would otherwise overflow their ratios to the mean."""
    s = _shares(population)
    v = _values(y, s.size)
    g = None if groups is None else _groups(groups, s.size)
    live = s > 0
    s, v = s[live], v[live]
    top = float(v.max()) if v.size else 0.0
    if top > 0:
        v = v / top
    return s, v, (None if g is None else g[live])


def _xlogx_ratio(r: np.ndarray) -> np.ndarray:
    """r ln r with 0 ln 0 = 0."""
    out = np.zeros_like(r)
    pos = r > 0
    out[pos] = r[pos] * np.log(r[pos])
    return out


def theil_t(y: np.ndarray, population: np.ndarray) -> float:
    s, v, _ = _prepare(y, population)
    m = float(s @ v)
    if m == 0:
        return 0.0
    return float(s @ _xlogx_ratio(v / m))


def theil_l(y: np.ndarray, population: np.ndarray) -> float | None:
    """Mean log deviation; None when a region with people has nothing (ln 0)."""
    s, v, _ = _prepare(y, population)
    m = float(s @ v)
    if m == 0:
        return 0.0
    if (v == 0).any():
        return None
    return float(s @ np.log(m / v))


def williamson(y: np.ndarray, population: np.ndarray) -> float:
    s, v, _ = _prepare(y, population)
    m = float(s @ v)
    if m == 0:
        return 0.0
    return float(np.sqrt(s @ (v - m) ** 2) / m)


def gini(y: np.ndarray, population: np.ndarray) -> float:
    s, v, _ = _prepare(y, population)
    m = float(s @ v)
    if m == 0:
        return 0.0
    order = np.argsort(v, kind="stable")
    v, s = v[order], s[order]
    below = np.cumsum(s) - s  # weight strictly before i in sorted order
    above = 1.0 - below - s
    # Σ_i Σ_j s_i s_j |y_i - y_j| = 2 Σ_i s_i y_i (below_i - above_i) for sorted y
    total = 2.0 * float(np.sum(s * v * (below - above)))
    return max(0.0, total / (2.0 * m))


@dataclass(frozen=True)
class Decomposition:
    """An index split into its within- and between-group parts (within + between = total)."""

    total: float | None
    within: float | None
    between: float | None


def _groups(groups: np.ndarray, n: int) -> np.ndarray:
    """Group labels as 0..G-1."""
    g = np.asarray(groups)
    if g.shape != (n,):
        raise ValueError(f"groups have shape {g.shape}, expected {(n,)}")
    return np.unique(g, return_inverse=True)[1]


def theil_t_decomposition(y: np.ndarray, population: np.ndarray, groups: np.ndarray) -> Decomposition:
    s, v, g = _prepare(y, population, groups)
    m = float(s @ v)
    if m == 0:
        return Decomposition(0.0, 0.0, 0.0)
    G = int(g.max()) + 1
    S = np.bincount(g, weights=s, minlength=G)
    mg = np.divide(np.bincount(g, weights=s * v, minlength=G), S, out=np.zeros(G), where=S > 0)
    share_y = S * mg / m  # each group's share of the total
    # T_g = Σ_{i∈g} (s_i/S_g) (y_i/ȳ_g) ln(y_i/ȳ_g)
    ratio = np.divide(v, mg[g], out=np.zeros_like(v), where=mg[g] > 0)
    tg = np.divide(np.bincount(g, weights=s * _xlogx_ratio(ratio), minlength=G), S, out=np.zeros(G), where=S > 0)
    within = float(share_y @ tg)
    between = float(share_y @ np.where(mg > 0, np.log(np.where(mg > 0, mg, 1) / m), 0.0))
    return Decomposition(within + between, within, between)


def theil_l_decomposition(y: np.ndarray, population: np.ndarray, groups: np.ndarray) -> Decomposition:
    s, v, g = _prepare(y, population, groups)
    m = float(s @ v)
    if m == 0:
        return Decomposition(0.0, 0.0, 0.0)
    if (v == 0).any():
        return Decomposition(None, None, None)
    G = int(g.max()) + 1
    S = np.bincount(g, weights=s, minlength=G)
    mg = np.divide(np.bincount(g, weights=s * v, minlength=G), S, out=np.ones(G), where=S > 0)
    lg_sum = np.bincount(g, weights=s * np.log(mg[g] / v), minlength=G)
    within = float(lg_sum.sum())  # Σ_g S_g L_g, L_g = Σ_{i∈g} (s_i/S_g) ln(ȳ_g/y_i)
    between = float(S[S > 0] @ np.log(m / mg[S > 0]))
    return Decomposition(within + between, within, between)


@dataclass(frozen=True)
class CapitalGap:
    """Mean value in the capital and in the other regions, their ratio and difference."""

    capital: float
    regions: float
    ratio: float | None  # None when the regions have nothing
    difference: float


def capital_gap(y: np.ndarray, population: np.ndarray, is_capital: np.ndarray) -> CapitalGap:
    s = _shares(population)
    v = _values(y, s.size)
    cap = np.asarray(is_capital, bool)
    if cap.shape != s.shape or not cap.any() or cap.all():
        raise ValueError("the capital must be some, not all, of the regions")
    mc = float(s[cap] @ v[cap] / s[cap].sum())
    mr = float(s[~cap] @ v[~cap] / s[~cap].sum())
    return CapitalGap(mc, mr, None if mr == 0 else mc / mr, mc - mr)
