"""Weather series for the season simulation: read an hourly CSV, or build hourly values
from monthly normals (the bundled Pyongyang normals; method in data/grain/SOURCES.md)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from twentyten.grain.air import p_sat
from twentyten.grain.norms import data_dir


class WeatherError(ValueError):
    """A weather file that cannot be used; the message names the file, row and reason."""


@dataclass(frozen=True)
class Weather:
    start: datetime
    temp_c: np.ndarray  # hourly
    rh_pct: np.ndarray  # hourly
    source: str

    @property
    def hours(self) -> int:
        return len(self.temp_c)


def hourly_from_normals(tmax_c, tmin_c, start: datetime, days: int, source: str = "") -> Weather:
    """Hourly temperature and RH from 12 monthly mean daily maxima and minima.

    Monthly values sit at mid-month and are interpolated linearly to each day; a day's
    temperature follows a cosine with the minimum at 06:00 and the maximum at 15:00; the dew
    point is the day's minimum (FAO-56 eq. 48), so RH = e°(Tmin) / e°(T).
    """
    tmax = np.asarray(tmax_c, dtype=float)
    tmin = np.asarray(tmin_c, dtype=float)
    if tmax.shape != (12,) or tmin.shape != (12,):
        raise WeatherError("monthly normals need 12 maxima and 12 minima")
    day = np.arange(days)
    doy = np.array([(start + timedelta(days=int(d))).timetuple().tm_yday for d in day], dtype=float)
    mid = (np.arange(12) + 0.5) * 365.0 / 12.0
    xs = np.concatenate([mid - 365.0, mid, mid + 365.0])
    dmax = np.interp(doy - 0.5, xs, np.tile(tmax, 3))
    dmin = np.interp(doy - 0.5, xs, np.tile(tmin, 3))
    h = np.arange(24, dtype=float)
    # cosine from min (06:00) to max (15:00) and back to the next min
    rising = (h >= 6) & (h <= 15)
    phase = np.where(rising, (h - 6) / 9.0, np.where(h > 15, 1 - (h - 15) / 15.0, 1 - (h + 9) / 15.0))
    shape = 0.5 - 0.5 * np.cos(np.pi * phase)  # 0 at min, 1 at max
    temp = dmin[:, None] + (dmax - dmin)[:, None] * shape[None, :]
    rh = 100.0 * np.minimum(p_sat(dmin)[:, None] / p_sat(temp), 1.0)
    hours0 = start.hour
    return Weather(start, temp.ravel()[hours0:hours0 + days * 24], rh.ravel()[hours0:hours0 + days * 24],
                   source or "monthly normals")


def pyongyang(start: datetime, days: int) -> Weather:
    """The bundled Pyongyang normals as hourly values (see data/grain/SOURCES.md)."""
    with open(data_dir() / "pyongyang_normals.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return hourly_from_normals([float(r["tmax_c"]) for r in rows], [float(r["tmin_c"]) for r in rows], start, days,
                               "Pyongyang monthly normals (max quoted, min estimated; dew point = daily minimum)")


def read_weather(path: str | Path) -> Weather:
    """An hourly CSV with columns ``time`` (ISO 8601), ``temp_c``, ``rh_pct``, one row per hour."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise WeatherError(f"{path}: cannot read ({exc.strerror})") from None
    reader = csv.DictReader(text.splitlines())
    need = {"time", "temp_c", "rh_pct"}
    missing = need - set(reader.fieldnames or ())
    if missing:
        raise WeatherError(f"{path}: missing column(s) {', '.join(sorted(missing))} (need time, temp_c, rh_pct)")
    times, temps, rhs = [], [], []
    for i, r in enumerate(reader, start=2):
        try:
            t = datetime.fromisoformat((r["time"] or "").strip())
        except ValueError:
            raise WeatherError(f"{path}, row {i}: time {r['time']!r} is not ISO 8601") from None
        try:
            tc, rh = float(r["temp_c"]), float(r["rh_pct"])
        except (TypeError, ValueError):
            raise WeatherError(f"{path}, row {i}: temp_c and rh_pct must be numbers") from None
        if not -60 <= tc <= 60:
            raise WeatherError(f"{path}, row {i}: temp_c {tc} outside -60..60")
        if not 0 < rh <= 100:
            raise WeatherError(f"{path}, row {i}: rh_pct {rh} outside 0..100")
        if times and t - times[-1] != timedelta(hours=1):
            raise WeatherError(f"{path}, row {i}: time {t} does not follow {times[-1]} by one hour")
        times.append(t)
        temps.append(tc)
        rhs.append(rh)
    if not times:
        raise WeatherError(f"{path}: no rows")
    return Weather(times[0], np.array(temps), np.array(rhs), str(path))
