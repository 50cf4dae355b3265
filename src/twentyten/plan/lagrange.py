"""A Lagrangian bound and price-directed plans for large instances.

For thousands of counties the full MIP (and even its LP relaxation) is too slow on a
small machine, so the large path starts without a solver:

* **bound**: relax the coupling rows (``year-cap``, ``construction-capacity``, ``budget``,
  ``materials``) with prices, drop ``province-balance`` and ``precedence`` (dropping rows
  only raises the optimum, so the bound stays valid), and the problem splits by county:
  each county picks its best year per package (bundles respected) given the prices.
  Subgradient steps on the prices tighten the bound;
* **plans**: the greedy filler, ordered by the year each package would choose under the
  current prices, gives feasible plans along the way (checked by every family); the
  solver then improves the best one two years at a time
  (:func:`twentyten.plan.heuristics.improve_by_windows`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from twentyten.plan.check import check_plan
from twentyten.plan.constraints import Columns, bundle_rules, can_get, make_columns
from twentyten.plan.greedy import greedy_plan
from twentyten.plan.inputs import PlanInputs

NEG = -1e18


@dataclass(frozen=True)
class LagrangeResult:
    bound: float
    year: np.ndarray | None  # best feasible plan found
    objective: float
    iterations: int
    seconds: float
    trajectory: tuple[tuple[float, float, float], ...]  # (seconds, primal, bound)
    cut_short: bool = False  # the safety time limit stopped it before ``iterations``


def _county_choice(inp: PlanInputs, cols: Columns, red: np.ndarray):
    """Each county's best schedule given reduced values red (C, K, Y) (NEG = not allowed).

    Returns value per county (C,) and the chosen year index per (C, K) (-1 none)."""
    C, K, Y = red.shape
    fixed = inp.fixed_year()
    none_ok = fixed < 0
    best_t = red.argmax(axis=2)
    best_v = red.max(axis=2)
    take = (best_v > 0) | ~none_ok
    value = np.where(take, best_v, 0.0)
    choice = np.where(take, best_t, -1)
    can = can_get(inp)
    for rule in bundle_rules(inp):  # the options the bundle rule leaves each county
        kl, ms, F = rule.lead, list(rule.members), rule.first
        m_ok = can[:, ms]  # (C, M) members the rule requires
        rl = red[:, kl, :]
        rm = red[:, ms, :]  # (C, M, Y)
        # A1: lead before F, members alone anywhere
        a1_lead = rl[:, :F].max(axis=1) if F > 0 else np.full(C, NEG)
        a1_lead_t = rl[:, :F].argmax(axis=1) if F > 0 else np.zeros(C, int)
        m_free_v = np.where(rm.max(axis=2) > 0, rm.max(axis=2), 0.0)
        m_free_v = np.where(none_ok[:, ms], m_free_v, rm.max(axis=2))
        a1 = a1_lead + m_free_v.sum(axis=1)
        # A0: lead not built; members only before F
        pre = rm[:, :, :F].max(axis=2) if F > 0 else np.full((C, len(ms)), NEG)
        pre_v = np.where(pre > 0, pre, 0.0)
        pre_v = np.where(none_ok[:, ms], pre_v, pre)
        a0 = np.where(none_ok[:, kl], 0.0, NEG) + pre_v.sum(axis=1)
        # B: lead at t >= F; each member with it at t, or built before F (then not again);
        # members the county cannot get are not required
        mem_v = np.maximum(rm[:, :, F:], pre[:, :, None])  # (C, M, Y - F)
        mem_with = rm[:, :, F:] >= pre[:, :, None]
        together = rl[:, F:] + np.where(m_ok[:, :, None], mem_v, 0.0).sum(axis=1)
        b_v = together.max(axis=1) if F < Y else np.full(C, NEG)
        b_t = together.argmax(axis=1) + F if F < Y else np.zeros(C, int)
        opts = np.stack([a0, a1, b_v], axis=1)
        pick = opts.argmax(axis=1)
        # replace the bundle types' independent choice by the joint one
        value[:, kl] = 0.0
        value[:, ms] = 0.0
        value[:, kl] = opts[np.arange(C), pick]
        choice[:, kl] = np.where(pick == 1, a1_lead_t, np.where(pick == 2, b_t, -1))
        for j, m in enumerate(ms):
            alone_t = rm[:, j, :].argmax(axis=1)
            alone = np.where((m_free_v[:, j] > 0) | ~none_ok[:, m], alone_t, -1)
            pre_t = np.where((pre_v[:, j] > 0) | ~none_ok[:, m], rm[:, j, :F].argmax(axis=1) if F else -1, -1)
            if F < Y:
                at_b = mem_with[np.arange(C), j, b_t - F]
                pre_at = rm[:, j, :F].argmax(axis=1) if F else np.full(C, -1)
                with_lead = np.where(m_ok[:, j], np.where(at_b, b_t, pre_at), -1)
            else:
                with_lead = np.full(C, -1)
            choice[:, m] = np.where(pick == 1, alone, np.where(pick == 2, with_lead, pre_t))
    return value.sum(axis=1), choice


def lagrangian_plan(
    inp: PlanInputs, time_limit: float = 30.0, iterations: int = 400, cols: Columns | None = None,
    greedy_every: int = 10,
) -> LagrangeResult:
    """Subgradient on the coupling rows; returns the best bound and the best plan."""
    t0 = time.perf_counter()
    cols = cols or make_columns(inp)
    C, K, Y = inp.shape
    obj = inp.objective()
    allowed = cols.col >= 0
    res = [r for r in inp.capacity if r in inp.use and np.isfinite(inp.capacity[r]).any()]
    capa = {r: np.where(np.isfinite(inp.capacity[r]), inp.capacity[r], 0.0) for r in res}
    finite = {r: np.isfinite(inp.capacity[r]) for r in res}
    capk = inp.cap.astype(float)
    capk_on = inp.cap < 10**8
    lam = {r: np.zeros(Y) for r in res}
    capk_scale = float(np.mean(capk[capk_on])) if capk_on.any() else 1.0
    capa_scale = {r: float(np.mean(capa[r][finite[r]])) for r in res}
    mu = np.zeros((K, Y))
    best_bound, best_obj, best_year = np.inf, -np.inf, None
    traj: list[tuple[float, float, float]] = []
    g0 = greedy_plan(inp, cols)
    if not check_plan(inp, g0):
        best_year, best_obj = g0, float(obj[np.nonzero(g0 >= 0)[0], np.nonzero(g0 >= 0)[1], g0[g0 >= 0]].sum())
    scale = max(abs(best_obj), 1.0) if np.isfinite(best_obj) else float(np.abs(obj).max() * C)
    it = 0
    theta, stall = 2.0, 0
    avg = np.zeros((C, K))  # ergodic mean of the chosen years (never built = Y)
    n_avg = 0
    cut_short = False
    for it in range(1, iterations + 1):
        if time.perf_counter() - t0 > time_limit:
            cut_short = True
            break
        red = obj - mu[None, :, :]
        for r in res:
            red = red - inp.use[r] * lam[r][None, None, :]
        red = np.where(allowed, red, NEG)
        val, choice = _county_choice(inp, cols, red)
        bound = float(val.sum() + sum((lam[r] * capa[r]).sum() for r in res) + (mu * np.where(capk_on, capk, 0)).sum())
        if bound < best_bound - 1e-9 * scale:
            best_bound, stall = bound, 0
        else:
            stall += 1
            if stall >= 25:
                theta, stall = theta / 2, 0
        # subgradients (capacity minus use)
        cc, kk = np.nonzero(choice >= 0)
        tt = choice[cc, kk]
        cnt = np.zeros((K, Y))
        np.add.at(cnt, (kk, tt), 1)
        g_mu = np.where(capk_on, capk - cnt, 0.0)
        g_lam = {}
        for r in res:
            load = np.zeros(Y)
            np.add.at(load, tt, inp.use[r][cc, kk, tt])
            g_lam[r] = np.where(finite[r], capa[r] - load, 0.0)
        avg += np.where(choice >= 0, choice, Y)
        n_avg += 1
        if it % greedy_every == 0:
            y = greedy_plan(inp, cols, priority=-avg / n_avg)
            if not check_plan(inp, y):
                o = float(obj[np.nonzero(y >= 0)[0], np.nonzero(y >= 0)[1], y[y >= 0]].sum())
                if o > best_obj:
                    best_obj, best_year = o, y
        if it % (4 * greedy_every) == 0:
            avg[:] = 0.0  # forget the early, poorly priced iterations
            n_avg = 0
        if it % greedy_every == 1 or it == iterations:
            # chosen year first; within it, the package that loses most by waiting a year
            nxt = np.concatenate([red[:, :, 1:], np.full((C, K, 1), NEG)], axis=2)
            now = np.take_along_axis(red, np.clip(choice, 0, None)[:, :, None], 2)[:, :, 0]
            later = np.take_along_axis(nxt, np.clip(choice, 0, None)[:, :, None], 2)[:, :, 0]
            regret = np.clip(now - np.maximum(later, 0.0), 0, None)
            regret = regret / max(float(regret.max()), 1e-12)
            pri = np.where(choice >= 0, -choice.astype(float), -float(Y)) + 0.999 * regret
            y = greedy_plan(inp, cols, priority=pri)
            if not check_plan(inp, y):
                o = float(obj[np.nonzero(y >= 0)[0], np.nonzero(y >= 0)[1], y[y >= 0]].sum())
                if o > best_obj:
                    best_obj, best_year = o, y
        traj.append((time.perf_counter() - t0, best_obj, best_bound))
        # preconditioned step: each row's violation relative to its own right-hand side
        d_mu = g_mu / np.maximum(capk_scale, 1.0) ** 2
        d_lam = {r: g_lam[r] / np.maximum(capa_scale[r], 1e-9) ** 2 for r in res}
        norm = float((g_mu * d_mu).sum() + sum((g_lam[r] * d_lam[r]).sum() for r in res))
        if norm < 1e-18:
            break
        target = best_obj if np.isfinite(best_obj) else bound - 0.05 * scale
        step = theta * max(bound - target, 1e-5 * scale) / norm
        mu = np.maximum(0.0, mu - step * d_mu)
        for r in res:
            lam[r] = np.maximum(0.0, lam[r] - step * d_lam[r])
    return LagrangeResult(
        best_bound, best_year, best_obj, it, time.perf_counter() - t0, tuple(traj), cut_short
    )
