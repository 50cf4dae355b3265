"""Equilibrium moisture content (EMC) and equilibrium relative humidity (ERH), ASABE D245 forms.

All functions take numpy arrays (or scalars) and broadcast. Temperatures in °C; relative
humidity in % (0-100); moisture in % on the basis asked (``"wet"`` by default). Internally
moisture is a decimal dry-basis fraction.

Forms (NOTES.md §3.3, ``emc_coefficients.csv``):

* modified Henderson: ``1 - RH = exp(-K (T + C) (100 M)^N)``
* Chung–Pfost (D245.4): ``M = E - F ln(-(T + C) ln RH)``
* modified Chung–Pfost (D245.5): ``RH = exp(-A / (T + C) exp(-B M%))``
"""

from __future__ import annotations

from typing import Any

import numpy as np

from twentyten.grain.norms import Coefficients, Crop, crop

ArrayLike = Any


def wet_to_dry(m_wb_pct: ArrayLike) -> np.ndarray:
    """% wet basis -> decimal dry basis."""
    m = np.asarray(m_wb_pct, dtype=float) / 100.0
    return m / (1.0 - m)


def dry_to_wet(m_db: ArrayLike) -> np.ndarray:
    """Decimal dry basis -> % wet basis."""
    m = np.asarray(m_db, dtype=float)
    return 100.0 * m / (1.0 + m)


def emc_db(c: Coefficients, t_c: ArrayLike, rh_frac: ArrayLike) -> np.ndarray:
    """EMC as a decimal dry-basis fraction for coefficient set ``c``."""
    t = np.asarray(t_c, dtype=float)
    rh = np.asarray(rh_frac, dtype=float)
    a, b, cc = c.p
    with np.errstate(divide="ignore", invalid="ignore"):
        if c.model == "modified_henderson":
            return (np.log1p(-rh) / (-a * (t + cc))) ** (1.0 / b) / 100.0
        if c.model == "chung_pfost":
            return a - b * np.log(-(t + cc) * np.log(rh))
        if c.model == "modified_chung_pfost":
            return -np.log(-(t + cc) * np.log(rh) / a) / b / 100.0
    raise ValueError(f"unknown EMC model {c.model!r}")


def erh_frac(c: Coefficients, t_c: ArrayLike, m_db: ArrayLike) -> np.ndarray:
    """ERH as a fraction (0-1) for coefficient set ``c`` and decimal dry-basis moisture."""
    t = np.asarray(t_c, dtype=float)
    m = np.asarray(m_db, dtype=float)
    a, b, cc = c.p
    with np.errstate(over="ignore", invalid="ignore"):
        if c.model == "modified_henderson":
            return -np.expm1(-a * (t + cc) * (100.0 * m) ** b)
        if c.model == "chung_pfost":
            return np.exp(-np.exp((a - m) / b) / (t + cc))
        if c.model == "modified_chung_pfost":
            return np.exp(-a / (t + cc) * np.exp(-b * 100.0 * m))
    raise ValueError(f"unknown EMC model {c.model!r}")


def _crop(c: str | Crop) -> Crop:
    return crop(c) if isinstance(c, str) else c


def emc(crop_: str | Crop, t_c: ArrayLike, rh_pct: ArrayLike, basis: str = "wet") -> np.ndarray:
    """Equilibrium moisture content, % on ``basis`` (``"wet"`` or ``"dry"``).

    >>> round(float(emc("wheat", 25.0, 75.0)), 1)
    15.7
    """
    m = emc_db(_crop(crop_).emc, t_c, np.asarray(rh_pct, dtype=float) / 100.0)
    return dry_to_wet(m) if basis == "wet" else 100.0 * m


def erh(crop_: str | Crop, t_c: ArrayLike, moisture_pct: ArrayLike, basis: str = "wet") -> np.ndarray:
    """Equilibrium relative humidity, %, of grain at ``moisture_pct`` (on ``basis``) and ``t_c``."""
    m = wet_to_dry(moisture_pct) if basis == "wet" else np.asarray(moisture_pct, dtype=float) / 100.0
    return 100.0 * erh_frac(_crop(crop_).emc, t_c, m)


def valid_range(model: str) -> str:
    """Where the D245 forms were fitted: stated in outputs so users do not extrapolate blindly."""
    return "fitted roughly for 0-50 C and 10-90 % RH (ASABE D245); outside it the value is an extrapolation"
