"""Temperature-cable readings from CSV or JSON, checked row by row.

Columns (CSV header or JSON object keys): ``bin``, ``cable``, ``depth``, ``time`` (ISO 8601,
hourly), ``grain_temp_c``, optional ``grain_moisture_pct``, ``ambient_temp_c``,
``ambient_rh_pct``. Any bad row (missing value, impossible value, a duplicate timestamp, time
going backwards for a sensor), a missing sensor at an hour, or a gap in the hours makes the
whole file bad: every problem is listed with file, row and reason, and nothing is advised.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path

import numpy as np

REQUIRED = ("bin", "cable", "depth", "time", "grain_temp_c", "ambient_temp_c", "ambient_rh_pct")
OPTIONAL = ("grain_moisture_pct",)
LIMITS = {
    "grain_temp_c": (-40.0, 80.0), "ambient_temp_c": (-50.0, 60.0), "ambient_rh_pct": (0.0, 100.0),
    "grain_moisture_pct": (5.0, 40.0),
}
MAX_SHOWN = 50


class ReadingsError(ValueError):
    """Bad readings: ``problems`` lists every one as 'file, row N: reason'."""

    def __init__(self, path: str, problems: list[str]):
        self.problems = problems
        super().__init__(f"{path}: {len(problems)} problem(s) in the readings; nothing was advised")


@dataclass(frozen=True)
class BinReadings:
    """One bin's readings as arrays on its hourly axis."""

    bin: str
    times: list[datetime]
    sensors: list[tuple[str, float]]  # (cable, depth)
    grain_t: np.ndarray  # [hour, sensor]
    moisture: np.ndarray | None  # [hour, sensor], NaN where not measured
    ambient_t: np.ndarray  # [hour] (mean of the hour's rows)
    ambient_rh: np.ndarray


def _load_rows(path: Path) -> list[dict]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ReadingsError(str(path), [f"{path}: cannot read ({exc.strerror})"]) from None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ReadingsError(str(path), [f"{path}, line {exc.lineno}: not valid JSON ({exc.msg})"]) from None
        if isinstance(data, dict) and "readings" in data:
            data = data["readings"]
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise ReadingsError(str(path), [f"{path}: expected a list of reading objects (or {{\"readings\": [...]}})"])
        return data
    rows = list(csv.DictReader(text.splitlines()))
    return rows


def read_readings(path: str | Path) -> list[BinReadings]:
    """Read and check a readings file; raise :class:`ReadingsError` listing every problem."""
    path = Path(path)
    rows = _load_rows(path)
    return check_rows(rows, str(path), is_json=path.suffix.lower() == ".json")


def check_rows(rows: list[dict], source: str, is_json: bool) -> list[BinReadings]:
    """Check reading rows (CSV rows of strings, or JSON objects) and group them by bin.

    ``source`` names them in every problem ('source, row N: reason'); JSON items are
    numbered from 1 and CSV rows from 2 (row 1 is the header). Raises :class:`ReadingsError`
    listing every problem; nothing is returned from bad rows.
    """
    path = source
    row0 = 1 if is_json else 2
    what = "item" if is_json else "row"
    problems: list[str] = []
    if not rows:
        raise ReadingsError(str(path), [f"{path}: no readings"])
    known = set(REQUIRED) | set(OPTIONAL)
    good: list[tuple[int, str, str, float, datetime, dict[str, float]]] = []
    zone: tuple[bool, int] | None = None  # (has a UTC offset, first row): every time alike
    for i, r in enumerate(rows, start=row0):
        where = f"{path}, {what} {i}"
        if not isinstance(r, dict):
            problems.append(f"{where}: expected an object of reading fields, not {type(r).__name__}")
            continue
        extra = set(r) - known
        if extra:
            problems.append(f"{where}: unknown field(s) {', '.join(sorted(map(str, extra)))}")
            continue
        bad = False
        vals: dict[str, float] = {}
        for k in REQUIRED:
            v = r.get(k)
            if v is None or (isinstance(v, str) and not v.strip()):
                problems.append(f"{where}: missing {k} (sensor value missing)")
                bad = True
        if bad:
            continue
        if is_json:
            kinds = {"bin": (str, int), "cable": (str, int), "time": (str,), "depth": (int, float)}
            wrong = [k for k, ok in kinds.items() if isinstance(r[k], bool) or not isinstance(r[k], ok)]
            for k in wrong:
                problems.append(f"{where}: {k} must be {' or '.join(ty.__name__ for ty in kinds[k])}, "
                                f"not {type(r[k]).__name__}")
            if wrong:
                continue
        try:
            t = datetime.fromisoformat(str(r["time"]).strip())
        except ValueError:
            problems.append(f"{where}: time {r['time']!r} is not ISO 8601")
            continue
        if zone is None:
            zone = (t.tzinfo is not None, i)
        elif (t.tzinfo is not None) != zone[0]:
            problems.append(f"{where}: time {r['time']!r} {'has' if t.tzinfo else 'lacks'} a UTC offset, "
                            f"unlike {what} {zone[1]}: give every time alike")
            continue
        try:
            depth = float(r["depth"])
        except (TypeError, ValueError, OverflowError):
            problems.append(f"{where}: depth {r['depth']!r} is not a number")
            continue
        if not np.isfinite(depth):
            problems.append(f"{where}: depth {r['depth']!r} is not a finite number")
            continue
        for k, (lo, hi) in LIMITS.items():
            v = r.get(k)
            if v is None or (isinstance(v, str) and not v.strip()):
                continue
            if isinstance(v, bool) or (is_json and not isinstance(v, (int, float))):
                problems.append(f"{where}: {k} must be a number, not {type(v).__name__}")
                bad = True
                continue
            try:
                x = float(v)
            except (TypeError, ValueError, OverflowError):
                problems.append(f"{where}: {k} {v!r} is not a number")
                bad = True
                continue
            if not (lo <= x <= hi) or x != x:
                problems.append(f"{where}: {k} {x:g} is impossible (allowed {lo:g}..{hi:g})")
                bad = True
            vals[k] = x
        if bad:
            continue
        good.append((i, str(r["bin"]).strip(), str(r["cable"]).strip(), depth, t, vals))

    # duplicates and time going backwards, per sensor in file order
    last: dict[tuple[str, str, float], tuple[datetime, int]] = {}
    seen: dict[tuple[str, str, float, datetime], int] = {}
    for i, b, c, d, t, _ in good:
        key = (b, c, d)
        if (b, c, d, t) in seen:
            problems.append(f"{path}, {what} {i}: duplicate timestamp {t.isoformat()} for bin {b} cable {c} "
                            f"depth {d:g} (first at {what} {seen[(b, c, d, t)]})")
            continue
        seen[(b, c, d, t)] = i
        if key in last and t < last[key][0]:
            problems.append(f"{path}, {what} {i}: time goes backwards for bin {b} cable {c} depth {d:g} "
                            f"({t.isoformat()} after {last[key][0].isoformat()} at {what} {last[key][1]})")
        last[key] = (max(t, last.get(key, (t, i))[0]), i)

    bins: dict[str, list] = {}
    for g in good:
        bins.setdefault(g[1], []).append(g)
    out: list[BinReadings] = []
    for b, items in bins.items():
        sensors = sorted({(c, d) for _, _, c, d, _, _ in items})
        times = sorted({t for *_, t, _ in items})
        for t0, t1 in pairwise(times):
            if t1 - t0 != timedelta(hours=1):
                problems.append(f"{path}: bin {b}: readings jump from {t0.isoformat()} to {t1.isoformat()} "
                                "(hourly readings expected)")
        si = {s: k for k, s in enumerate(sensors)}
        ti = {t: h for h, t in enumerate(times)}
        gt = np.full((len(times), len(sensors)), np.nan)
        mo = np.full((len(times), len(sensors)), np.nan)
        amb_t = np.zeros(len(times))
        amb_rh = np.zeros(len(times))
        n = np.zeros(len(times))
        rows_at: dict[int, list[int]] = {}
        for i, _, c, d, t, v in items:
            h, k = ti[t], si[(c, d)]
            gt[h, k] = v["grain_temp_c"]
            mo[h, k] = v.get("grain_moisture_pct", np.nan)
            amb_t[h] += v["ambient_temp_c"]
            amb_rh[h] += v["ambient_rh_pct"]
            n[h] += 1
            rows_at.setdefault(h, []).append(i)
        for h, k in zip(*np.nonzero(np.isnan(gt)), strict=True):
            c, d = sensors[k]
            near = rows_at.get(int(h), [])
            problems.append(f"{path}: bin {b} cable {c} depth {d:g}: missing sensor reading at {times[h].isoformat()}"
                            + (f" ({what}s {min(near)}-{max(near)} hold that hour)" if near else ""))
        out.append(BinReadings(b, times, sensors, gt, None if np.isnan(mo).all() else mo,
                               amb_t / np.maximum(n, 1), amb_rh / np.maximum(n, 1)))
    if problems:
        raise ReadingsError(str(path), problems)
    return out
