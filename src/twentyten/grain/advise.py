"""Aeration advice from temperature-cable readings: fans hour by hour with reasons, alerts,
and per-lot dry-matter loss and days left.

The core takes arrays (``grain_t[bin, hour, sensor]``, ambient ``[bin, hour]``); the file
adapter is :mod:`twentyten.grain.readings`. Rules and their sources:

* cool when the air is cooler than the bin's mean grain temperature by ``margin_c``
  (assumption 3 °C; "fan on when grain exceeds ambient", aeration_rules.csv) while the
  warmest sensor is above the crop's cooling target (crops.csv);
* stop above the RH limit (85 %, storedgrain.com.au) or when the air's EMC exceeds the
  target moisture (the air would wet the grain);
* once a cooling cycle starts, keep the fan on for the cooling-front hours of the airflow
  (``15 / (cfm/bu)``, aeration_rules.csv, weak) unless RH or EMC forbid or the air is
  warmer than the grain.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from twentyten.grain import spoilage
from twentyten.grain.emc import emc_db, wet_to_dry
from twentyten.grain.norms import Crop, rh_limit_pct, safe_moisture, taxa

OFF_NOT_COOLER, OFF_RH, OFF_WET, OFF_COOL_ENOUGH, ON_COOL, ON_FRONT = range(6)
REASONS = {
    OFF_NOT_COOLER: "off: air {air_t:.1f} C is not {margin:g} C cooler than the grain ({grain_t:.1f} C)",
    OFF_RH: "off: ambient RH {rh:.0f} % above the {rh_limit:g} % limit",
    OFF_WET: "off: the air's EMC {air_emc:.1f} % would wet the grain beyond the {target:g} % target",
    OFF_COOL_ENOUGH: "off: warmest grain {grain_max:.1f} C is at or below the {cool_to:g} C cooling target",
    ON_COOL: "on: air {air_t:.1f} C is {diff:.1f} C cooler than the grain ({grain_t:.1f} C)",
    ON_FRONT: "on: finishing the cooling front ({front:.0f} of {front_h:.0f} h)",
}


@dataclass(frozen=True)
class AdvisorConfig:
    target_moisture_wb_pct: float = 14.0
    airflow_m3_min_per_t: float = 0.1
    margin_c: float = 3.0
    rh_limit_pct: float | None = None  # default: aeration_rules.csv (85 %)
    hot_spot_c: float = 29.5  # insect development optimum (insect_thresholds.csv, Navarro 2002)
    hot_spot_rise_c_per_day: float = 1.0  # assumption: faster than the bin's other sensors
    insect_dd_per_week: float = 7.0  # assumption: a taxon gains 7 degree-days in 7 days
    storage_months: float = 6.0
    lot_moisture_wb_pct: float | None = None  # used when readings carry no grain moisture


@dataclass(frozen=True)
class Alert:
    bin: int
    hour: int
    sensor: int  # -1: the whole bin
    kind: str  # hot_spot | moisture | insects
    message: str


@dataclass(frozen=True)
class AdviceResult:
    fan: np.ndarray  # bool [bin, hour]
    reason: np.ndarray  # int8 [bin, hour]
    grain_mean_c: np.ndarray
    grain_max_c: np.ndarray
    air_t_c: np.ndarray
    air_rh_pct: np.ndarray
    air_emc_wb_pct: np.ndarray
    front: np.ndarray  # hours of the current cooling cycle
    front_hours: float
    dml_pct: np.ndarray  # [bin] accumulated so far (warmest sensor, wettest reading)
    days_left: np.ndarray  # [bin] to 0.5 % DML at the last conditions
    insect_dd: dict[str, np.ndarray]  # taxon -> [bin]
    alerts: list[Alert]
    config: AdvisorConfig
    crop: str
    cool_to_c: float
    rh_limit_pct: float
    warnings: tuple[str, ...] = field(default=())

    def reason_text(self, b: int, h: int) -> str:
        """The reason of one hour, built from the numbers the decision used."""
        cfg = self.config
        return REASONS[int(self.reason[b, h])].format(
            air_t=self.air_t_c[b, h], grain_t=self.grain_mean_c[b, h], grain_max=self.grain_max_c[b, h],
            margin=cfg.margin_c, rh=self.air_rh_pct[b, h], rh_limit=self.rh_limit_pct, air_emc=self.air_emc_wb_pct[b, h],
            target=cfg.target_moisture_wb_pct, cool_to=self.cool_to_c, diff=self.grain_mean_c[b, h] - self.air_t_c[b, h],
            front=self.front[b, h], front_h=self.front_hours,
        )


def _rh_limit(cfg: AdvisorConfig) -> float:
    return rh_limit_pct() if cfg.rh_limit_pct is None else cfg.rh_limit_pct


def cooling_front_hours(crop: Crop, airflow_m3_min_per_t: float) -> float:
    """Hours for a cooling front to pass: 15 / (cfm per bushel) (aeration_rules.csv, weak: cites MWPS-13).

    cfm/bu = m³/min per t × t/m³ × 1.2445 ft³ per bushel.
    """
    cfm_bu = airflow_m3_min_per_t * crop.bulk_t_per_m3 * 1.2445
    return 15.0 / cfm_bu


CHUNK_BINS = 2  # bins per pass over the sensor array: keeps each pass in cache


def _sensor_pass(g: np.ndarray, cfg: AdvisorConfig) -> tuple[np.ndarray, np.ndarray, list[tuple[int, int, int]]]:
    """Bin mean and max per hour, and the onsets of hot-spot alerts as (bin, hour, sensor).

    A sensor is hot when above ``hot_spot_c`` or when its 24-h rise exceeds the mean rise of
    the bin's other sensors by ``hot_spot_rise_c_per_day``. Processed a few bins at a time so
    that each pass stays in cache; only the (few) hot sensors are listed.
    """
    B, H, K = g.shape
    gmean = np.empty((B, H))
    gmax = np.empty((B, H))
    onsets: list[tuple[int, int, int]] = []
    thr = np.asarray(cfg.hot_spot_rise_c_per_day, dtype=g.dtype)
    for b0 in range(0, B, CHUNK_BINS):
        gb = g[b0:b0 + CHUNK_BINS]
        nb = len(gb)
        gs = gb.sum(axis=2)
        gmean[b0:b0 + nb] = gs / K
        mx = gb.max(axis=2)
        gmax[b0:b0 + nb] = mx
        over_bh = np.argwhere(mx > cfg.hot_spot_c)  # over the threshold: rare, checked per sensor
        idx = []
        if len(over_bh):
            sub = gb[over_bh[:, 0], over_bh[:, 1]] > cfg.hot_spot_c
            r, k = np.nonzero(sub)
            idx.append(((over_bh[r, 0] * H + over_bh[r, 1]) * K + k).astype(np.int64))
        if H > 24 and K > 1:
            rise = gb[:, 24:] - gb[:, :-24]
            # rise_k - mean(others) > thr  <=>  rise_k > (thr + sum of rises / (K-1)) (K-1) / K,
            # and the sum of rises is the change of the bin's sum
            lim = (thr + (gs[:, 24:] - gs[:, :-24]) / (K - 1)) * ((K - 1) / K)
            f = np.flatnonzero(rise > lim[:, :, None])
            bb, rest = np.divmod(f, (H - 24) * K)
            idx.append((bb * H * K + rest + 24 * K).astype(np.int64))
        if not idx:
            continue
        allf = np.unique(np.concatenate(idx))
        first = ~np.isin(allf - K, allf) | ((allf // K) % H == 0)  # not hot the hour before: an onset
        for fi in allf[first]:
            bh, k = divmod(int(fi), K)
            b, h = divmod(bh, H)
            onsets.append((b0 + b, h, k))
    return gmean, gmax, onsets


def advise_arrays(crop: Crop, grain_t, ambient_t, ambient_rh, cfg: AdvisorConfig,
                  moisture=None) -> AdviceResult:
    """Advice for ``grain_t[bin, hour, sensor]`` (hourly) and ambient ``[bin, hour]``.

    ``moisture[bin, hour, sensor]`` (% w.b., NaN where not measured) is optional; without it
    the lot moisture of ``cfg`` is used (or the target moisture, with a warning).
    """
    g = np.asarray(grain_t)
    B, H, K = g.shape
    at = np.asarray(ambient_t, dtype=float)
    rh = np.asarray(ambient_rh, dtype=float)
    gmean, gmax, hot_idx = _sensor_pass(g, cfg)
    rh_lim = _rh_limit(cfg)
    target_db = float(wet_to_dry(cfg.target_moisture_wb_pct))
    air_emc = emc_db(crop.emc, at, rh / 100.0)
    front_h = cooling_front_hours(crop, cfg.airflow_m3_min_per_t)
    warnings = list(crop.warnings())
    warnings.append(f"cooling-front hours {front_h:.0f} h from the weak rule 15 / (cfm per bushel)")

    rh_bad = rh > rh_lim
    wet = ~(air_emc <= target_db)
    cooler = at <= gmean - cfg.margin_c
    warmer = at >= gmean
    need = gmax > crop.cool_to_c
    allowed = ~rh_bad & ~wet
    fan = np.zeros((B, H), dtype=bool)
    kept = np.zeros((B, H), dtype=bool)
    front = np.zeros((B, H))
    start_ok = need & cooler & allowed
    keep_ok = allowed & ~warmer
    cyc = np.zeros(B)
    for h in range(H):  # the cooling cycle is a state: loop over hours, vectorised over bins
        in_cycle = (cyc > 0) & (cyc < front_h) & keep_ok[:, h]
        on = in_cycle | start_ok[:, h]
        cyc = (cyc + 1) * on
        fan[:, h] = on
        kept[:, h] = in_cycle
        front[:, h] = cyc
    reason = np.select([kept & ~start_ok, start_ok, ~need, rh_bad, wet],
                       [ON_FRONT, ON_COOL, OFF_COOL_ENOUGH, OFF_RH, OFF_WET], OFF_NOT_COOLER).astype(np.int8)

    alerts: list[Alert] = []
    for b, h, k in hot_idx:
        v = float(g[b, h, k])
        r = float(g[b, h, k] - g[b, h - 24, k]) if h >= 24 else float("nan")
        why = (f"sensor {v:.1f} C above {cfg.hot_spot_c:g} C" if v > cfg.hot_spot_c else
               f"sensor rose {r:.1f} C in 24 h, more than {cfg.hot_spot_rise_c_per_day:g} C/day above the bin's other sensors")
        alerts.append(Alert(int(b), int(h), int(k), "hot_spot", why))

    # lot moisture: wettest reading where given
    if moisture is not None:
        mo = np.asarray(moisture, dtype=float)
        with np.errstate(invalid="ignore"):
            mlot = np.fmax.reduce(mo, axis=2)
        fill = cfg.lot_moisture_wb_pct if cfg.lot_moisture_wb_pct is not None else cfg.target_moisture_wb_pct
        mlot = np.where(np.isnan(mlot), fill, mlot)
    else:
        fill = cfg.lot_moisture_wb_pct
        if fill is None:
            fill = cfg.target_moisture_wb_pct
            warnings.append(f"no grain moisture in the readings: the target {fill:g} % is assumed for dry-matter loss")
        mlot = np.full((B, H), float(fill))
    mult = spoilage.multipliers(gmax, mlot)
    te = np.cumsum(1.0 / mult, axis=1)
    dml = spoilage.dml_from_te(te[:, -1])
    left = spoilage.days_left(dml, gmax[:, -1], mlot[:, -1])
    warnings += spoilage.warnings_for(gmax, mlot)

    # moisture above the safe level for the intended storage time
    store_days = cfg.storage_months * 30.44
    elapsed = np.arange(H) / 24.0
    ast = spoilage.TE_LIMIT_H * mult / 24.0
    too_wet = ast < (store_days - elapsed)[None, :]
    table = [m for months, m in safe_moisture(crop.name) if months >= cfg.storage_months]
    safe_mc = table[0] if table else None
    if safe_mc is not None:
        too_wet |= mlot > safe_mc
    wet_on = too_wet.copy()
    wet_on[:, 1:] &= ~too_wet[:, :-1]
    for b, h in zip(*np.nonzero(wet_on), strict=True):
        m = float(mlot[b, h])
        if safe_mc is not None and m > safe_mc:
            why = f"moisture {m:.1f} % above the safe {safe_mc:g} % for {cfg.storage_months:g} months (IRRI)"
        else:
            why = (f"moisture {m:.1f} % at {gmax[b, h]:.1f} C allows {ast[b, h]:.0f} days to 0.5 % DML, "
                   f"less than the {store_days - elapsed[h]:.0f} days of storage left")
        alerts.append(Alert(int(b), int(h), -1, "moisture", why))

    # insect development: degree-days of the warmest sensor above each taxon's threshold, by day
    dd = {}
    days = -(-H // 24)
    pad = np.full((B, days * 24), -np.inf)
    pad[:, :H] = gmax
    by_thr: dict[float, tuple[np.ndarray, np.ndarray]] = {}
    for tx in taxa():
        if tx.threshold_c not in by_thr:
            daily = np.maximum(pad - tx.threshold_c, 0.0).reshape(B, days, 24).sum(axis=2) / 24.0
            cum = np.cumsum(daily, axis=1)
            week = cum.copy()
            week[:, 7:] -= cum[:, :-7]
            by_thr[tx.threshold_c] = (cum[:, -1], week)
        total, week = by_thr[tx.threshold_c]
        dd[tx.name] = total
        risk = week > cfg.insect_dd_per_week
        r_on = risk.copy()
        r_on[:, 1:] &= ~risk[:, :-1]
        for b, d in zip(*np.nonzero(r_on), strict=True):
            h = min(int(d) * 24 + 23, H - 1)  # the alert is raised at the end of the day
            alerts.append(Alert(int(b), h, -1, "insects",
                                f"{tx.name}: {week[b, d]:.1f} degree-days above {tx.threshold_c:g} C in the last 7 days"
                                + (" (threshold weak)" if tx.quality.startswith("weak") else "")))
    alerts.sort(key=lambda a: (a.bin, a.hour, a.kind))
    with np.errstate(invalid="ignore"):  # saturated air: EMC inf -> shown as 100 %
        air_emc_wb = np.where(np.isfinite(air_emc), 100 * air_emc / (1 + air_emc), 100.0)
    return AdviceResult(fan, reason, gmean, gmax, at, rh, air_emc_wb, front, front_h, dml, left, dd,
                        alerts, cfg, crop.name, crop.cool_to_c, rh_lim, tuple(warnings))
