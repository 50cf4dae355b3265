"""Sizing a county's grain storage from its design: bins, aeration fans, dryer fans.

Reads the ``grain_storage`` facility of the county's package (``twentyten.design``):
storage tonnes and volume, stack height, design airflow, dryer count and daily drying
capacity, and adds what the operator needs: number of bins, airflow and fan power per bin
and in all, cooling-front hours, and dryer fan power (IRRI 1.5-2.5 kW per t, midpoint).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from twentyten.grain.advise import cooling_front_hours
from twentyten.grain.norms import Crop


@dataclass(frozen=True)
class SizingConfig:
    bin_diameter_m: float = 10.0  # assumption
    static_pressure_pa: float = 500.0  # assumption (Shedd curves not in the norms)
    fan_efficiency: float = 0.5  # assumption
    dryer_fan_kw_per_t: float = 2.0  # IRRI heated-air drying: 1.5-2.5 kW per t (midpoint)


@dataclass(frozen=True)
class Sizing:
    county_id: str
    county: str
    storage_t: float
    storage_m3: float
    bins: int
    bin_capacity_t: float
    airflow_m3_min_per_t: float
    airflow_m3_min: float
    fan_kw_per_bin: float
    fan_kw_total: float
    cooling_front_h: float
    dryers: int
    dryer_t_per_day: float
    dryer_t_per_day_installed: float
    dryer_fan_kw: float
    basis: dict[str, str]

    def row(self) -> dict:
        d = asdict(self)
        d.pop("basis")
        return d


def size_storage(county_id: str, county: str, capacity: dict, design_norms: dict[str, float], crop: Crop,
                 cfg: SizingConfig = SizingConfig()) -> Sizing:
    """Sizing from a design's ``grain_storage`` capacity dict (keys as the design writes them) and
    the design norms it used (``grain.stack_height_m``, ``grain.dryer_t_per_batch``,
    ``grain.dryer_batches_per_day``)."""
    stack_height_m = design_norms["grain.stack_height_m"]
    batch_t = design_norms["grain.dryer_t_per_batch"]
    batches = design_norms["grain.dryer_batches_per_day"]
    tonnes = float(capacity["storage_t"])
    volume = float(capacity["storage_m3"])
    airflow = float(capacity["aeration_m3_per_min"])
    q = airflow / tonnes if tonnes else 0.0
    bin_m3 = math.pi / 4 * cfg.bin_diameter_m**2 * stack_height_m
    bins = max(1, math.ceil(volume / bin_m3))
    bin_t = tonnes / bins
    fan_w = airflow / 60.0 * cfg.static_pressure_pa / cfg.fan_efficiency
    dryers = int(capacity["dryers"])
    dry_t_day = float(capacity["dryer_t_per_day"])
    installed = dryers * batch_t * batches
    dryer_kw = dryers * batch_t * cfg.dryer_fan_kw_per_t
    front = cooling_front_hours(crop, q) if q else float("inf")
    basis = {
        "bins": f"{volume:,.0f} m3 / (pi/4 x {cfg.bin_diameter_m:g} m)^2 x {stack_height_m:g} m stack "
                f"= {volume / bin_m3:.2f} -> {bins} (bin diameter: assumption)",
        "airflow_m3_min": f"design: {airflow:,.0f} m3/min for {tonnes:,.0f} t ({q:.3f} m3/min per t)",
        "fan_kw_total": f"{airflow:,.0f} m3/min / 60 x {cfg.static_pressure_pa:g} Pa / {cfg.fan_efficiency:g} "
                        f"= {fan_w / 1000:,.1f} kW (pressure and efficiency: assumptions)",
        "cooling_front_h": f"15 / ({q:.3f} x {crop.bulk_t_per_m3:g} t/m3 x 1.2445) = {front:,.0f} h (weak rule)",
        "dryer_t_per_day_installed": f"{dryers} dryers x {batch_t:g} t per batch x {batches:g} batches a day "
                                     f"= {installed:,.0f} t/day for {dry_t_day:,.1f} t/day needed in the harvest window",
        "dryer_fan_kw": f"{dryers} dryers x {batch_t:g} t per batch x {cfg.dryer_fan_kw_per_t:g} kW/t "
                        f"= {dryer_kw:,.0f} kW (IRRI 1.5-2.5 kW per t)",
    }
    return Sizing(county_id, county, tonnes, volume, bins, round(bin_t, 1), round(q, 4), airflow,
                  round(fan_w / 1000 / bins, 2), round(fan_w / 1000, 1), round(front, 1), dryers, dry_t_day, installed,
                  round(dryer_kw, 1), basis)
