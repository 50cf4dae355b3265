"""The bundled grain norms (``twentyten/data/grain``) read into typed objects.

Files are read when a function is called, never at import time.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

CROPS = ("maize", "paddy", "wheat", "soybean", "barley")


class GrainNormsError(ValueError):
    """A bundled or user norms file is missing a row or holds a bad value."""


@dataclass(frozen=True)
class Coefficients:
    """One EMC coefficient set from ``emc_coefficients.csv``."""

    grain: str
    model: str  # modified_henderson | chung_pfost | modified_chung_pfost
    p: tuple[float, float, float]
    quality: str
    source: str

    @property
    def weak(self) -> bool:
        q = self.quality.lower()
        return q.startswith(("weak", "suspicious")) or "do not use" in q


@dataclass(frozen=True)
class Crop:
    name: str
    emc: Coefficients
    bulk_t_per_m3: float
    bulk_quality: str
    cool_to_c: float
    cool_to_quality: str
    dml_support: str

    def warnings(self) -> tuple[str, ...]:
        """What the user must know about the numbers used for this crop."""
        out = []
        if self.emc.weak:
            out.append(f"{self.name}: EMC coefficients ({self.emc.model}, {self.emc.grain}) are weak: "
                       f"{self.emc.quality}; source {self.emc.source}")
        if self.dml_support.startswith("proxy"):
            out.append(f"{self.name}: dry-matter loss uses {self.dml_support}")
        if self.bulk_quality in ("weak", "assumption"):
            out.append(f"{self.name}: bulk density {self.bulk_t_per_m3} t/m3 is {self.bulk_quality}")
        return tuple(out)


@dataclass(frozen=True)
class Taxon:
    name: str
    threshold_c: float
    parameter: str
    quality: str
    source: str


def data_dir() -> Path:
    return Path(str(resources.files("twentyten") / "data" / "grain"))


def _rows(name: str) -> list[dict[str, str]]:
    path = data_dir() / name
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            return list(csv.DictReader(fh))
    except OSError as exc:
        raise GrainNormsError(f"{path}: cannot read ({exc.strerror})") from None


_MODEL = {"modified_henderson": "modified_henderson", "chung_pfost_D245.4": "chung_pfost",
          "modified_chung_pfost": "modified_chung_pfost"}


def coefficient_sets() -> list[Coefficients]:
    out = []
    for i, r in enumerate(_rows("emc_coefficients.csv"), start=2):
        try:
            p = (float(r["p1"]), float(r["p2"]), float(r["p3"]))
        except ValueError:
            raise GrainNormsError(f"emc_coefficients.csv row {i}: a coefficient is not a number") from None
        if r["model"] not in _MODEL:
            raise GrainNormsError(f"emc_coefficients.csv row {i}: unknown model {r['model']!r}")
        out.append(Coefficients(r["grain"], _MODEL[r["model"]], p, r["quality"], r["source"]))
    return out


def crop(name: str, model: str | None = None) -> Crop:
    """The crop ``name`` (one of :data:`CROPS`) with its EMC set (``model`` overrides the default)."""
    rows = {r["crop"]: r for r in _rows("crops.csv")}
    if name not in rows:
        raise GrainNormsError(f"unknown crop {name!r}; one of {', '.join(rows)}")
    r = rows[name]
    want = model or r["emc_model"]
    sets = [c for c in coefficient_sets() if c.grain == r["emc_grain"] and c.model == want]
    sets = [c for c in sets if "do not use" not in c.quality]
    if not sets:
        have = sorted({c.model for c in coefficient_sets() if c.grain == r["emc_grain"] and "do not use" not in c.quality})
        raise GrainNormsError(f"no usable {want} coefficients for {name}; available: {', '.join(have)}")
    return Crop(name, sets[0], float(r["bulk_t_per_m3"]), r["bulk_quality"], float(r["cool_to_c"]),
                r["cool_to_quality"], r["dml_support"])


_DEV = ("lower development threshold", "development/breeding stops below", "breeding stops below",
        "reproduction stops below", "stop developing below")


def taxa() -> list[Taxon]:
    """Insect taxa with a development (not survival) threshold, from ``insect_thresholds.csv``."""
    out = []
    for r in _rows("insect_thresholds.csv"):
        if r["parameter"] in _DEV:
            out.append(Taxon(r["taxon"], float(r["value_C"]), r["parameter"], r["quality"], r["source"]))
    return out


def rule(file: str, name: str, column: str = "value") -> tuple[str, str, str]:
    """(value, quality, source) of the rule ``name`` in an aeration/storage rules file."""
    for r in _rows(file):
        if r["rule"] == name:
            return r[column], r["quality"], r["source"]
    raise GrainNormsError(f"{file}: no rule {name!r}")


def rh_limit_pct() -> float:
    return float(rule("aeration_rules.csv", "stop aeration when ambient RH above")[0])


def safe_moisture(crop_name: str) -> list[tuple[float, float]]:
    """(max storage months, max moisture % w.b.) rows for a crop, shortest storage first."""
    rows = [(float(r["max_storage_months"]), float(r["max_moisture_wb_pct"]))
            for r in _rows("safe_moisture.csv") if r["crop"] == crop_name]
    return sorted(rows)
