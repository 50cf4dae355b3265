"""County-specific inputs: raw materials the record shows a county has, beyond those of its
physiographic class in the atlas.

A dataset folder may hold ``county_inputs.csv`` (region_id, raw_materials as ``a;b``,
quality — quoted, derived or estimate —, source, note). :func:`with_inputs` adds a county's
materials to its :class:`~twentyten.domain.Region` before it is designed, so its lines follow
the county rather than its class.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from twentyten.domain.region import Region
from twentyten.schema_errors import exact_csv_rows

INPUTS_FILE = "county_inputs.csv"
COLUMNS = ("region_id", "raw_materials", "quality", "source", "note")
QUALITIES = ("quoted", "derived", "estimate")


class InputsError(ValueError):
    """The inputs file cannot be read: the file, the line and the reason."""


@dataclass(frozen=True)
class CountyInputs:
    raw_materials: tuple[str, ...]
    quality: str
    source: str
    note: str


def load_inputs(dataset_dir: str | Path, known: set[str] | None = None) -> dict[str, CountyInputs]:
    """The county inputs of a dataset, keyed by region id ({} without the file)."""
    path = Path(dataset_dir) / INPUTS_FILE
    if not path.is_file():
        return {}
    out: dict[str, CountyInputs] = {}
    for line, row in exact_csv_rows(path, COLUMNS, InputsError):
        rid = row["region_id"].strip()
        if known is not None and rid not in known:
            raise InputsError(f"{path}:{line}: region_id {rid!r} is not a city or county of the dataset")
        if rid in out:
            raise InputsError(f"{path}:{line}: region_id {rid!r} is listed twice")
        if row["quality"] not in QUALITIES:
            raise InputsError(f"{path}:{line}: quality {row['quality']!r} must be one of {', '.join(QUALITIES)}")
        materials = tuple(m.strip() for m in row["raw_materials"].split(";") if m.strip())
        if not materials or not row["source"].strip():
            raise InputsError(f"{path}:{line}: raw_materials and source are required")
        out[rid] = CountyInputs(materials, row["quality"], row["source"].strip(), row["note"].strip())
    return out


def with_inputs(region: Region, inputs: dict[str, CountyInputs]) -> Region:
    """The region with the raw materials its inputs add (unchanged when it has none)."""
    extra = inputs.get(region.id)
    if extra is None:
        return region
    materials = tuple(dict.fromkeys((*region.raw_materials, *extra.raw_materials)))
    return replace(region, raw_materials=materials)


def designed_regions(atlas, dataset: str | Path | None = None) -> dict[str, Region]:
    """Every city and county of ``atlas`` as it is designed: with the raw materials the
    dataset's ``county_inputs.csv`` adds (the one place plan, design, indicators, the record
    and the web get a county's design inputs from). Raises :class:`InputsError` for a bad file."""
    from twentyten.atlas.loader import dataset_folder

    folder = dataset_folder(dataset)
    counties = list(atlas.counties())
    inputs = load_inputs(folder, {r.id for r in counties}) if folder.is_dir() else {}
    return {r.id: with_inputs(r, inputs) for r in counties}
