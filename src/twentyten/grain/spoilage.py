"""Dry-matter loss (DML) and allowable storage time (AST): ASAE D535 after Saul & Steele (1966).

The equations were fitted to shelled corn (``grain_storage_rules.csv``):

* ``CO2 [g/kg DM] = 1.3 (exp(0.006 te) - 1) + 0.015 te``, ``te = t / (M_T M_M M_D)`` in hours;
* ``M_M = 0.103 (exp(455 / Mdb^1.53) - 0.00845 Mdb + 1.558)``, Mdb in % dry basis;
* ``M_T = 128.389 exp(-4.86 T_F / 60)`` below 15.6 °C, ``32.3 exp(-3.48 T_F / 60)`` above;
* ``M_D = 2.08 exp(-0.0239 D)``, D the % damaged kernels.

DML (%) = CO2 / 14.7 (1 g glucose respired gives 1.47 g CO2, NOTES.md §3.4). The 0.5 % DML
threshold defines the allowable storage time.

Not modelled: the D535 branch for grain wetter than 19 % above 15.6 °C, whose transcription
in the norms is inconsistent; the below-19 % multiplier is used there instead, which gives
*more* loss than that branch would (its extra term raises M_T): a conservative choice,
reported as a warning by :func:`warnings_for`.

For paddy, wheat, soybean and barley the same maize equations are used as a proxy: no
crop-specific DML or AST equation was found (NOTES.md §3.4). Their direction agrees with
the IRRI/ACIAR rules (storage life halves per +1 % moisture or about +5 °C).
"""

from __future__ import annotations

import numpy as np

from twentyten.grain.emc import wet_to_dry

CO2_PER_PCT_DML = 14.7  # g CO2 per kg DM for 1 % dry-matter loss
DML_LIMIT_PCT = 0.5  # quoted: Sukup manual, "shelf life" = time to 0.5 % DML
REFERENCE_DAMAGE_PCT = 30.0  # assumption: M_D ~ 1 (the equation's reference)


def _te_at_limit(limit_pct: float = DML_LIMIT_PCT) -> float:
    """Equivalent hours at reference conditions that give ``limit_pct`` DML (Newton on the CO2 curve)."""
    target = limit_pct * CO2_PER_PCT_DML
    t = 200.0
    for _ in range(50):
        f = 1.3 * np.expm1(0.006 * t) + 0.015 * t - target
        t -= f / (1.3 * 0.006 * np.exp(0.006 * t) + 0.015)
    return float(t)


TE_LIMIT_H = _te_at_limit()


def multipliers(t_c, m_wb_pct, damage_pct: float = REFERENCE_DAMAGE_PCT) -> np.ndarray:
    """Product M_T · M_M · M_D (>1: slower deterioration than at 15.6 °C, 25 % w.b., 30 % damage)."""
    t = np.asarray(t_c, dtype=float)
    mdb = 100.0 * wet_to_dry(m_wb_pct)
    tf = 1.8 * t + 32.0
    mt = np.where(t < 15.6, 128.389 * np.exp(-4.86 * tf / 60.0), 32.3 * np.exp(-3.48 * tf / 60.0))
    mm = 0.103 * (np.exp(455.0 / mdb**1.53) - 0.00845 * mdb + 1.558)
    md = 2.08 * np.exp(-0.0239 * damage_pct)
    return mt * mm * md


def dml_from_te(te_h) -> np.ndarray:
    """DML % after ``te_h`` equivalent hours."""
    te = np.asarray(te_h, dtype=float)
    with np.errstate(over="ignore"):  # inf: far past any limit
        return (1.3 * np.expm1(0.006 * te) + 0.015 * te) / CO2_PER_PCT_DML


def te_from_dml(dml_pct) -> np.ndarray:
    """Inverse of :func:`dml_from_te` (Newton, vectorised)."""
    target = np.asarray(dml_pct, dtype=float) * CO2_PER_PCT_DML
    t = np.full_like(target, 200.0)
    for _ in range(40):
        f = 1.3 * np.expm1(0.006 * t) + 0.015 * t - target
        t = t - f / (1.3 * 0.006 * np.exp(0.006 * t) + 0.015)
    return np.maximum(t, 0.0)


def dml(t_c, m_wb_pct, hours, damage_pct: float = REFERENCE_DAMAGE_PCT) -> np.ndarray:
    """DML % after ``hours`` at constant temperature and moisture.

    >>> round(float(dml(15.6, 15.0, 275 * 24)), 2)   # 275 days at 60 F, 15 %: ~0.5 %
    0.49
    """
    return dml_from_te(np.asarray(hours, dtype=float) / multipliers(t_c, m_wb_pct, damage_pct))


def ast_days(t_c, m_wb_pct, damage_pct: float = REFERENCE_DAMAGE_PCT) -> np.ndarray:
    """Allowable storage time (days to 0.5 % DML) at constant conditions."""
    return TE_LIMIT_H * multipliers(t_c, m_wb_pct, damage_pct) / 24.0


def dml_series(t_c, m_wb_pct, dt_h: float = 1.0, axis: int = -1,
               damage_pct: float = REFERENCE_DAMAGE_PCT) -> np.ndarray:
    """Cumulative DML % along ``axis`` of hourly (``dt_h``) temperature and moisture series.

    Equivalent time accumulates as ``sum dt / (M_T M_M M_D)`` (the dynamic form used for
    varying conditions).
    """
    te = np.cumsum(dt_h / multipliers(t_c, m_wb_pct, damage_pct), axis=axis)
    return dml_from_te(te)


def days_left(dml_now_pct, t_c, m_wb_pct, damage_pct: float = REFERENCE_DAMAGE_PCT) -> np.ndarray:
    """Days until 0.5 % DML if the current temperature and moisture held (0 when past it)."""
    te_now = te_from_dml(dml_now_pct)
    left_h = np.maximum(TE_LIMIT_H - te_now, 0.0) * multipliers(t_c, m_wb_pct, damage_pct)
    return left_h / 24.0


def warnings_for(t_c, m_wb_pct) -> list[str]:
    t = np.asarray(t_c, dtype=float)
    m = np.asarray(m_wb_pct, dtype=float)
    if np.any((m > 19.0) & (t >= 15.6)):
        return ["grain wetter than 19 % above 15.6 C: the D535 branch for these conditions is not used; "
                "the drier-grain temperature multiplier overstates loss (conservative)"]
    return []
