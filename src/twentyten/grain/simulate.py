"""A grain bed through a season: explicit finite-volume model of cooling and drying fronts.

Model (named "local-equilibrium deep-bed model"): the bed is split into ``layers`` along the
airflow. Air leaves each layer in equilibrium with it (the layer's temperature and its
ERH): the equilibrium class of deep-bed models reviewed by Sharp (1982, J. Agric. Eng. Res.
27:169-190) and the equilibrium assumption of Thompson, Peart & Foster (1968, Trans. ASAE
11:582-586), without Thompson's thin-layer drying rate. This is justified at aeration and
near-ambient airflows (0.05-0.2 m³/min/t, 10-50x below drying airflows: aeration_rules.csv),
where the air reaches equilibrium within a short depth of grain.

Per time step ``dt`` and layer i (upwind: layer i receives the air that left layer i-1):

* water: ``m_dm ΔM_i = m_a (W_in - W_out,i)``
* energy: ``Δ[m_dm (c_dm + c_w M_i) T_i] = m_a (h_in - h_out,i)`` (heat of sorption neglected)

with ``m_a`` the dry-air mass of the step. The scheme is explicit; the step count per hour is
chosen so that each layer exchanges at most half of its heat capacity per step (stability).
No respiration heat: at storage moisture it is small next to the aeration; dry-matter loss
is accumulated from the layer states (D535, :mod:`twentyten.grain.spoilage`).

Fan strategies, vectorised side by side:

* ``continuous`` — fan always on;
* ``temperature`` — on when the air (plus fan heat) is cooler than the warmest layer by the
  margin and that layer is above the crop's cooling target;
* ``rh_limited`` — on when ambient RH is at or below the limit (85 %) and the air's EMC
  does not exceed the target moisture (natural-air drying/holding, any temperature);
* ``combined`` — ``temperature`` and ``rh_limited`` together (what ``grain advise`` does).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from twentyten.grain import air, spoilage
from twentyten.grain.emc import dry_to_wet, emc_db, wet_to_dry
from twentyten.grain.norms import Crop, rh_limit_pct, taxa
from twentyten.grain.weather import Weather

STRATEGIES = ("continuous", "temperature", "rh_limited", "combined")
C_DM = 1.6  # kJ/kg K, dry matter of cereal grain (assumption, typical value)
C_W = 4.186  # kJ/kg K, water


@dataclass(frozen=True)
class SimConfig:
    start_moisture_wb_pct: float
    start_temp_c: float
    airflow_m3_min_per_t: float = 0.1
    depth_m: float = 6.0
    layers: int = 20
    target_moisture_wb_pct: float = 14.0
    margin_c: float = 3.0
    fan_heat_c: float = 0.5  # assumption: fan work warms the air ~0.5 °C at ~500 Pa
    rh_limit_pct: float | None = None  # default: aeration_rules.csv
    strategies: tuple[str, ...] = STRATEGIES
    compare_airflows: tuple[float, ...] = ()  # more airflows run side by side with the first

    @property
    def airflows(self) -> tuple[float, ...]:
        return (self.airflow_m3_min_per_t, *(q for q in self.compare_airflows if q != self.airflow_m3_min_per_t))


@dataclass(frozen=True)
class StrategyResult:
    strategy: str
    airflow_m3_min_per_t: float
    fan_hours: float
    final_moisture_wb_pct: float
    max_layer_moisture_wb_pct: float
    final_temp_c: float
    max_dml_pct: float
    mean_dml_pct: float
    insect_dd: dict[str, float]


@dataclass(frozen=True)
class SimResult:
    crop: str
    config: SimConfig
    weather_source: str
    results: tuple[StrategyResult, ...]
    daily_temp_c: np.ndarray  # (strategies, days) mean grain temperature
    daily_moisture_wb_pct: np.ndarray  # (strategies, days)
    daily_ambient_c: np.ndarray
    substeps: int
    warnings: tuple[str, ...] = field(default=())


def _erh_fast(c):
    """ERH (fraction) of decimal dry-basis moisture for set ``c``, without numpy error-state overhead."""
    a, b, cc = c.p
    if c.model == "modified_henderson":
        return lambda t, m: -np.expm1(-a * (t + cc) * (100.0 * m) ** b)
    if c.model == "chung_pfost":
        return lambda t, m: np.exp(-np.exp((a - m) / b) / (t + cc))
    return lambda t, m: np.exp(-a / (t + cc) * np.exp(-b * 100.0 * m))


def _substeps(cfg: SimConfig, m_dm: float, g_air_h: float, tmax: float) -> int:
    ws = air.humidity_ratio(tmax + 1.0, 1.0) - air.humidity_ratio(tmax, 1.0)
    c_eff = air.C_AIR + air.H_FG * float(ws)
    rate = g_air_h * c_eff / (m_dm * C_DM)
    return max(1, int(np.ceil(2.0 * rate)))


def simulate(crop: Crop, weather: Weather, cfg: SimConfig) -> SimResult:
    """Run every strategy of ``cfg`` through ``weather``; returns per-strategy energy and quality.

    With the air at the grain's temperature and ERH (and no fan heat) the grain is unchanged:
    each layer's inlet and outlet air are then the same.
    """
    c = crop.emc
    runs = [(st, q) for q in cfg.airflows for st in cfg.strategies]
    S, N = len(runs), cfg.layers
    rho = crop.bulk_t_per_m3 * 1000.0  # kg wet grain per m3
    m_wet = rho * cfg.depth_m / N  # kg wet grain per m2 of floor per layer
    m0 = float(wet_to_dry(cfg.start_moisture_wb_pct))
    m_dm = m_wet / (1.0 + m0)
    # kg dry air per hour per m2 of floor, one per run
    g_air_h = np.array([q for _, q in runs]) * 60.0 * (rho * cfg.depth_m / 1000.0) * air.RHO_AIR
    rh_lim = rh_limit_pct() if cfg.rh_limit_pct is None else cfg.rh_limit_pct
    target_db = float(wet_to_dry(cfg.target_moisture_wb_pct))
    n_sub = _substeps(cfg, m_dm, float(g_air_h.max()), float(np.max(weather.temp_c)) + cfg.fan_heat_c)
    dt = 1.0 / n_sub

    T = np.full((S, N), float(cfg.start_temp_c))
    M = np.full((S, N), m0)
    ttax = np.array([x.threshold_c for x in taxa()])
    fan_hours = np.zeros(S, dtype=int)
    H = weather.hours
    days = H // 24
    mean_T = np.zeros((S, 0))
    mean_M = np.zeros((S, 0))

    amb_t = weather.temp_c + cfg.fan_heat_c
    amb_rh = np.minimum(weather.rh_pct / 100.0 * air.p_sat(weather.temp_c) / air.p_sat(amb_t), 1.0)
    amb_w = air.humidity_ratio(weather.temp_c, weather.rh_pct / 100.0)  # fan heat keeps W
    amb_h = air.enthalpy(amb_t, amb_w)
    amb_emc = emc_db(c, weather.temp_c, weather.rh_pct / 100.0)
    rh_ok = (weather.rh_pct <= rh_lim) & (amb_emc <= target_db)
    codes = np.array([STRATEGIES.index(st) for st, _ in runs])
    cool_to = crop.cool_to_c
    del amb_rh
    erh_fn = _erh_fast(c)
    hist_T = np.empty((H, S, N))
    hist_M = np.empty((H, S, N))
    W = np.empty((S, N + 1))  # column 0: the inlet air; column i: air leaving layer i-1
    HH = np.empty((S, N + 1))
    k1 = (g_air_h * dt / m_dm)[:, None]
    kinds = codes.tolist()
    rh_ok_l = rh_ok.tolist()
    amb_t_l = amb_t.tolist()
    margin = cfg.margin_c
    on_l = [False] * S
    for h in range(H):
        # the fan decisions: a few scalars, cheaper in plain Python than as numpy calls
        tg = T.max(axis=1).tolist()
        ok = rh_ok_l[h]
        a_t = amb_t_l[h]
        n_on = 0
        for i in range(S):
            cool = a_t <= tg[i] - margin and tg[i] > cool_to
            k = kinds[i]
            o = k == 0 or (k == 1 and cool) or (k == 2 and ok) or (k == 3 and cool and ok)
            on_l[i] = o
            n_on += o
        if n_on:
            on = np.array(on_l)
            fan_hours += on
            sel = None if n_on == S else on[:, None]
            W[:, 0] = amb_w[h]
            HH[:, 0] = amb_h[h]
            for _ in range(n_sub):
                pw = erh_fn(T, M) * (610.94 * np.exp(17.625 * T / (T + 243.04)))
                w_out = W[:, 1:]
                np.divide(0.622 * pw, air.P_ATM - pw, out=w_out)
                HH[:, 1:] = air.C_AIR * T + w_out * (air.H_FG + air.C_VAP * T)
                dM = W[:, :-1] - w_out
                dH = HH[:, :-1] - HH[:, 1:]
                if sel is not None:
                    dM *= sel
                    dH *= sel
                dM *= k1
                T = T + (k1 * dH - C_W * T * dM) / (C_DM + C_W * (M + dM))
                M = M + dM
        hist_T[h] = T
        hist_M[h] = M
    hist_wb = dry_to_wet(hist_M)
    te = (1.0 / spoilage.multipliers(hist_T, hist_wb)).sum(axis=0)
    tworst = hist_T.max(axis=2)  # (H, S)
    dd = np.maximum(tworst[:, :, None] - ttax[None, None, :], 0.0).sum(axis=0) / 24.0
    if days:
        mean_T = hist_T[: days * 24].mean(axis=2).reshape(days, 24, S).mean(axis=1).T
        mean_M = hist_wb[: days * 24].mean(axis=2).reshape(days, 24, S).mean(axis=1).T
    fan_hours = fan_hours.astype(float)

    mwb = dry_to_wet(M)
    dml = spoilage.dml_from_te(te)
    names = [x.name for x in taxa()]
    results = tuple(
        StrategyResult(
            s, q, float(fan_hours[i]), float(mwb[i].mean()), float(mwb[i].max()), float(T[i].mean()),
            float(dml[i].max()), float(dml[i].mean()), {n: float(v) for n, v in zip(names, dd[i], strict=True)},
        ) for i, (s, q) in enumerate(runs)
    )
    daily_amb = weather.temp_c[: days * 24].reshape(days, 24).mean(axis=1) if days else np.zeros(0)
    warns = list(crop.warnings()) + spoilage.warnings_for(T, mwb)
    if weather.source.startswith("Pyongyang monthly normals"):
        warns.append("weather: hourly values made from monthly normals (RH from dew point = daily minimum: "
                     "an assumption that overstates night humidity)")
    return SimResult(crop.name, cfg, weather.source, results, mean_T[:, :days], mean_M[:, :days], daily_amb,
                     n_sub, tuple(warns))


def simulate_python(crop: Crop, weather: Weather, cfg: SimConfig) -> list[float]:
    """The same bed model, one strategy (the first) written as plain-Python loops over layers.

    Used only as the baseline of ``benchmarks/bench_grain.py``; returns final layer moistures.
    """
    import math

    c = crop.emc
    N = cfg.layers
    rho = crop.bulk_t_per_m3 * 1000.0
    m_wet = rho * cfg.depth_m / N
    m0 = cfg.start_moisture_wb_pct / 100 / (1 - cfg.start_moisture_wb_pct / 100)
    m_dm = m_wet / (1.0 + m0)
    g_air_h = cfg.airflow_m3_min_per_t * 60.0 * (rho * cfg.depth_m / 1000.0) * air.RHO_AIR
    n_sub = _substeps(cfg, m_dm, g_air_h, float(np.max(weather.temp_c)) + cfg.fan_heat_c)
    ma = g_air_h / n_sub
    K, Nn, C = c.p
    T = [float(cfg.start_temp_c)] * N
    M = [m0] * N

    def w_of(t, rh):
        pw = rh * 610.94 * math.exp(17.625 * t / (t + 243.04))
        return 0.622 * pw / (101325.0 - pw)

    def erh(t, m):  # modified Henderson only (baseline)
        return -math.expm1(-K * (t + C) * (100.0 * m) ** Nn)

    for h in range(weather.hours):
        t_in = float(weather.temp_c[h]) + cfg.fan_heat_c
        w_in0 = w_of(float(weather.temp_c[h]), float(weather.rh_pct[h]) / 100.0)
        for _ in range(n_sub):
            w_prev, h_prev = w_in0, 1.006 * t_in + w_in0 * (2501.0 + 1.86 * t_in)
            for i in range(N):
                w_out = w_of(T[i], erh(T[i], M[i]))
                h_out = 1.006 * T[i] + w_out * (2501.0 + 1.86 * T[i])
                dM = ma * (w_prev - w_out) / m_dm
                dE = ma * (h_prev - h_out)
                w_prev, h_prev = w_out, h_out
                T[i] += (dE - m_dm * C_W * T[i] * dM) / (m_dm * (C_DM + C_W * (M[i] + dM)))
                M[i] += dM
    return [100 * m / (1 + m) for m in M]
