"""The simulation scenario: what is uncertain, as named distributions (a YAML file).

The defaults belong to the dataset: its ``uncertainty.yaml`` (bundled:
``data/dprk/uncertainty.yaml``) gives each distribution with its basis. A user's scenario
file (same schema) overrides it key by key: ``duration`` and ``diversion`` whole,
``shortfall`` per resource. Errors name the file, the key path and the reason.

Every distribution draws from one standard variate per value (a uniform for shares, a
standard normal for the duration), so two scenarios run with the same seed see the same
random numbers (common random numbers): switching one uncertainty off changes nothing else.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from twentyten.plan.inputs import RESOURCES
from twentyten.plan.schema import Basis
from twentyten.schema_errors import read_yaml

UNCERTAINTY_FILE = "uncertainty.yaml"
Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Positive = Annotated[float, Field(gt=0, allow_inf_nan=False)]
NonNeg = Annotated[float, Field(ge=0, allow_inf_nan=False)]

STRICT = ConfigDict(extra="forbid", strict=True, frozen=True)


class SimulationScenarioError(ValueError):
    """A scenario file is invalid; ``lines`` has one line per problem (file, key path, reason)."""

    def __init__(self, lines: list[str] | str):
        self.lines = [lines] if isinstance(lines, str) else list(lines)
        super().__init__(self.lines[0])


class _Dist(BaseModel):
    model_config = STRICT
    basis: Basis | None = None


# share distributions: a share of a year's capacity in [0, 1], drawn from a uniform U ------
class FixedShare(_Dist):
    dist: Literal["fixed"]
    value: Share

    def from_uniform(self, u: np.ndarray) -> np.ndarray:
        return np.full(u.shape, self.value)

    def scaled(self, f: float) -> FixedShare:
        return self.model_copy(update={"value": min(1.0, self.value * f)})


class UniformShare(_Dist):
    dist: Literal["uniform"]
    low: Share
    high: Share

    @model_validator(mode="after")
    def _order(self) -> UniformShare:
        if self.low > self.high:
            raise ValueError("low must not be above high")
        return self

    def from_uniform(self, u: np.ndarray) -> np.ndarray:
        return self.low + u * (self.high - self.low)

    def scaled(self, f: float) -> UniformShare:
        return self.model_copy(update={"low": min(1.0, self.low * f), "high": min(1.0, self.high * f)})


class TriangularShare(_Dist):
    dist: Literal["triangular"]
    low: Share
    mode: Share
    high: Share

    @model_validator(mode="after")
    def _order(self) -> TriangularShare:
        if not self.low <= self.mode <= self.high:
            raise ValueError("expected low <= mode <= high")
        return self

    def from_uniform(self, u: np.ndarray) -> np.ndarray:
        a, c, b = self.low, self.mode, self.high
        if b == a:
            return np.full(u.shape, a)
        fc = (c - a) / (b - a)
        left = a + np.sqrt(u * (b - a) * (c - a))
        right = b - np.sqrt((1 - u) * (b - a) * (b - c))
        return np.where(u < fc, left, right)

    def scaled(self, f: float) -> TriangularShare:
        return self.model_copy(update={k: min(1.0, getattr(self, k) * f) for k in ("low", "mode", "high")})


ShareDist = Annotated[FixedShare | UniformShare | TriangularShare, Field(discriminator="dist")]


# the construction-duration multiplier, drawn from a standard normal Z --------------------
class FixedMultiplier(_Dist):
    dist: Literal["fixed"]
    value: Positive

    def from_normal(self, z: np.ndarray) -> np.ndarray:
        return np.full(z.shape, self.value)

    def scaled(self, f: float) -> FixedMultiplier:
        return self


class LogNormalMultiplier(_Dist):
    """``median × exp(sigma × Z)``: half the packages take longer than ``median`` × planned."""

    dist: Literal["lognormal"]
    median: Positive
    sigma: NonNeg

    def from_normal(self, z: np.ndarray) -> np.ndarray:
        return self.median * np.exp(self.sigma * z)

    def scaled(self, f: float) -> LogNormalMultiplier:
        return self.model_copy(update={"sigma": self.sigma * f})


DurationDist = Annotated[FixedMultiplier | LogNormalMultiplier, Field(discriminator="dist")]


class Diversion(BaseModel):
    """In each year, with ``probability``, a ``share`` of construction capacity (labour)
    goes to other priorities."""

    model_config = STRICT
    probability: Share
    share: ShareDist
    basis: Basis | None = None

    def scaled(self, f: float) -> Diversion:
        return self.model_copy(update={"probability": min(1.0, self.probability * f)})


class SimulationSpec(BaseModel):
    """A simulation scenario file (every key optional; the dataset's defaults fill the rest)."""

    model_config = STRICT
    name: str | None = None
    duration: DurationDist | None = None
    shortfall: dict[Literal[RESOURCES], ShareDist] = Field(default_factory=dict)  # type: ignore[valid-type]
    diversion: Diversion | None = None
    sensitivity_factor: Annotated[float, Field(gt=1, allow_inf_nan=False)] | None = None


#: The names of the uncertainties, in the order of the tornado chart.
UNCERTAINTIES: tuple[str, ...] = ("duration", *(f"shortfall.{r}" for r in RESOURCES), "diversion")


class Uncertainty(BaseModel):
    """A resolved scenario: every uncertainty given."""

    model_config = STRICT
    name: str
    duration: DurationDist
    shortfall: dict[str, ShareDist]
    diversion: Diversion
    sensitivity_factor: float = 2.0

    def without(self, which: str) -> Uncertainty:
        """This scenario with one uncertainty switched off (no variance, no loss)."""
        return self._replace(which, "off")

    def stronger(self, which: str) -> Uncertainty:
        """This scenario with one uncertainty ``sensitivity_factor`` times as severe."""
        return self._replace(which, "high")

    def zero_variance(self) -> Uncertainty:
        """Every uncertainty off: the plan runs as planned."""
        out = self
        for u in UNCERTAINTIES:
            out = out.without(u)
        return out

    def _replace(self, which: str, how: str) -> Uncertainty:
        f = self.sensitivity_factor
        if which == "duration":
            new = (FixedMultiplier(dist="fixed", value=1.0) if how == "off" else self.duration.scaled(f))
            return self.model_copy(update={"duration": new})
        if which == "diversion":
            new = (self.diversion.model_copy(update={"probability": 0.0}) if how == "off"
                   else self.diversion.scaled(f))
            return self.model_copy(update={"diversion": new})
        if which.startswith("shortfall."):
            r = which.split(".", 1)[1]
            cur = self.shortfall[r]
            new = FixedShare(dist="fixed", value=0.0) if how == "off" else cur.scaled(f)
            return self.model_copy(update={"shortfall": {**self.shortfall, r: new}})
        raise KeyError(which)

    def describe(self) -> dict[str, Any]:
        """The scenario as plain data (for JSON output and the report), bases included."""
        return self.model_dump(mode="json", exclude_none=True)


# reading --------------------------------------------------------------------------------
def parse_spec(raw: Any, src: str) -> SimulationSpec:
    """Validate a parsed scenario mapping (None is an empty scenario)."""
    from twentyten.schema_errors import validate_mapping

    return validate_mapping(SimulationSpec, raw, src, SimulationScenarioError, "uncertainties")


def defaults_path(dataset: str | Path | None = None) -> Path:
    """Where a dataset's uncertainty defaults are (it may not exist)."""
    from twentyten.atlas.loader import dataset_folder

    return dataset_folder(dataset) / UNCERTAINTY_FILE


def resolve_spec(defaults: SimulationSpec, user: SimulationSpec | None, src: str) -> Uncertainty:
    """The defaults with a user's spec on top; one line naming what is still missing."""
    user = user or SimulationSpec()
    shortfall = {**defaults.shortfall, **user.shortfall}
    missing = [k for k in ("duration", "diversion") if getattr(user, k) is None and getattr(defaults, k) is None]
    missing += [f"shortfall.{r}" for r in RESOURCES if r not in shortfall]
    if missing:
        raise SimulationScenarioError(f"{src}: {missing[0]}: missing (neither the scenario nor the dataset's "
                                      f"{UNCERTAINTY_FILE} gives it)")
    return Uncertainty(
        name=user.name or defaults.name or "uncertainty",
        duration=user.duration or defaults.duration,
        shortfall={r: shortfall[r] for r in RESOURCES},
        diversion=user.diversion or defaults.diversion,
        sensitivity_factor=user.sensitivity_factor or defaults.sensitivity_factor or 2.0,
    )


def load_uncertainty(path: str | Path | None = None, dataset: str | Path | None = None) -> Uncertainty:
    """The dataset's ``uncertainty.yaml`` with the scenario file ``path`` on top.

    Raises :class:`SimulationScenarioError` (file, key path, reason).
    """
    dpath = defaults_path(dataset)
    defaults = parse_spec(read_yaml(dpath, SimulationScenarioError), str(dpath)) if dpath.exists() else SimulationSpec()
    user = None
    src = str(dpath)
    if path is not None:
        p = Path(path)
        user = parse_spec(read_yaml(p, SimulationScenarioError), str(p))
        src = str(p)
    return resolve_spec(defaults, user, src)
