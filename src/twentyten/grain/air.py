"""Moist-air properties used by the bed model and the advisor (SI; T in °C)."""

from __future__ import annotations

import numpy as np

P_ATM = 101_325.0  # Pa
C_AIR = 1.006  # kJ/kg K, dry air
C_VAP = 1.86  # kJ/kg K, water vapour
H_FG = 2501.0  # kJ/kg, latent heat at 0 °C
RHO_AIR = 1.2  # kg/m3


def p_sat(t_c):
    """Saturation vapour pressure over water, Pa (Magnus form, Alduchov & Eskridge 1996)."""
    t = np.asarray(t_c, dtype=float)
    return 610.94 * np.exp(17.625 * t / (t + 243.04))


def humidity_ratio(t_c, rh_frac):
    """kg water per kg dry air."""
    pw = np.asarray(rh_frac, dtype=float) * p_sat(t_c)
    return 0.622 * pw / (P_ATM - pw)


def rh_from_w(t_c, w):
    """Relative humidity (fraction) of air at ``t_c`` holding ``w`` kg/kg."""
    w = np.asarray(w, dtype=float)
    pw = w * P_ATM / (0.622 + w)
    return pw / p_sat(t_c)


def enthalpy(t_c, w):
    """kJ per kg dry air."""
    t = np.asarray(t_c, dtype=float)
    return C_AIR * t + w * (H_FG + C_VAP * t)
