"""Load a dataset folder (or a single regions CSV) into an :class:`Atlas`.

A dataset folder holds ``regions.csv`` and optionally ``names.yaml`` (name-matching
rules, see :mod:`twentyten.atlas.names`), ``sources.csv`` (id, title,
url, licence, attribution), ``provenance.csv`` (region_id or ``*``, attribute,
sources, method, rule) and a GeoJSON of shapes (``regions.geojson``, or the
bundled ``counties_approx.geojson``). The bundled DPRK dataset is one such folder.
"""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

from twentyten.atlas import names
from twentyten.atlas.model import Atlas
from twentyten.atlas.validate import (
    AtlasValidationError,
    Problem,
    check_geojson,
    check_rows,
    read_rows,
)
from twentyten.domain.region import Level, Method, Provenance, Region, Source

BUNDLED = ("dprk",)
GEOJSON_NAMES = ("regions.geojson", "counties_approx.geojson")


def bundled_path(name: str) -> Path:
    """Folder of a bundled dataset."""
    return Path(str(resources.files("twentyten") / "data" / name))


def resolve(dataset: str | Path | None) -> Path:
    """A dataset name (bundled) or a path to a folder or CSV file."""
    if dataset is None:
        from twentyten import settings

        dataset = settings.get("dataset")
    if isinstance(dataset, str) and dataset in BUNDLED:
        return bundled_path(dataset)
    path = Path(dataset).expanduser()
    if not path.exists():
        raise FileNotFoundError(f"dataset {str(dataset)!r}: no such bundled dataset ({', '.join(BUNDLED)}) or path")
    return path


def load_atlas(dataset: str | Path | None = None) -> Atlas:
    """Load and validate a dataset; raise :class:`AtlasValidationError` listing every problem.

    >>> atlas = load_atlas()            # the bundled DPRK atlas  # doctest: +SKIP
    >>> atlas.find("Sinpho").name       # doctest: +SKIP
    'Sinpho City'
    """
    path = resolve(dataset)
    folder, csv_path = (path, path / "regions.csv") if path.is_dir() else (path.parent, path)
    if not csv_path.exists():
        raise AtlasValidationError([Problem(str(csv_path), None, None, "file not found")])
    rows, problems = read_rows(csv_path)
    parsed, more = check_rows(rows, str(csv_path))
    problems += more
    geojson = _find_geojson(folder) if path.is_dir() else None
    if geojson is not None:
        problems += check_geojson(geojson, {str(p["id"]) for p in parsed if p.get("id")})
    rules = names.DEFAULT_RULES
    if path.is_dir() and (folder / "names.yaml").exists():
        try:
            rules = names.NameRules.from_yaml(folder / "names.yaml")
        except ValueError as e:
            problems.append(Problem(str(folder / "names.yaml"), None, None, str(e).split(": ", 1)[-1]))
    sources, prov = {}, []
    if path.is_dir():
        sources, prov, p2 = _read_provenance(folder)
        problems += p2
    if problems:
        raise AtlasValidationError(problems)
    default_source = "user:" + csv_path.name
    if not sources:
        sources = {default_source: Source(default_source, f"user file {csv_path.name}")}
    regions = tuple(_to_region(p, prov, default_source) for p in parsed)
    return Atlas(regions=regions, sources=sources, folder=folder, geojson=geojson, name_rules=rules)


def validate_path(path: str | Path) -> list[Problem]:
    """Every problem in a dataset (folder or CSV), empty when it would load."""
    try:
        load_atlas(Path(path))
    except AtlasValidationError as e:
        return e.problems
    except FileNotFoundError as e:
        return [Problem(str(path), None, None, str(e))]
    return []


def _find_geojson(folder: Path) -> Path | None:
    for n in GEOJSON_NAMES:
        if (folder / n).exists():
            return folder / n
    return None


def _read_provenance(folder: Path) -> tuple[dict[str, Source], list[tuple[str, str, Provenance]], list[Problem]]:
    sources: dict[str, Source] = {}
    prov: list[tuple[str, str, Provenance]] = []
    problems: list[Problem] = []
    sp = folder / "sources.csv"
    if sp.exists():
        with sp.open(encoding="utf-8-sig", newline="") as f:
            for r in csv.DictReader(f):
                sources[r["id"]] = Source(r["id"], r.get("title", ""), r.get("url", ""), r.get("licence", ""), r.get("attribution", ""))
    pp = folder / "provenance.csv"
    if pp.exists():
        with pp.open(encoding="utf-8-sig", newline="") as f:
            for i, r in enumerate(csv.DictReader(f), start=2):
                ids = tuple(s for s in r["sources"].split(";") if s)
                for s in ids:
                    if sources and s not in sources:
                        problems.append(Problem(str(pp), i, "sources", f"unknown source id {s!r} (not in sources.csv)"))
                try:
                    method = Method(r["method"])
                except ValueError:
                    problems.append(Problem(str(pp), i, "method", f"unknown method {r['method']!r} (expected one of {', '.join(m.value for m in Method)})"))
                    continue
                prov.append((r["region_id"], r["attribute"], Provenance(ids, method, r.get("rule", ""))))
    return sources, prov, problems


_ATTRS = ("name", "name_local", "aliases", "wikidata", "population", "lon", "lat", "bbox", "area_km2", "coastal", "physiography", "raw_materials")


def _to_region(p: dict[str, object], prov: list[tuple[str, str, Provenance]], default_source: str) -> Region:
    rid = str(p["id"])
    provenance: dict[str, Provenance] = {}
    for region_id, attr, pr in prov:  # '*' rows first in file order, then per-region rows refine
        if region_id in ("*", rid):
            provenance[attr] = pr
    bbox = tuple(p.get(k) for k in ("bbox_w", "bbox_s", "bbox_e", "bbox_n"))
    present = {a for a in _ATTRS if (p.get(a) is not None if a != "bbox" else bbox[0] is not None)}
    for a in present:
        provenance.setdefault(a, Provenance((default_source,), Method.USER))
    provenance = {a: v for a, v in provenance.items() if a in present}
    return Region(
        id=rid,
        level=Level(str(p["level"])),
        name=str(p["name"]),
        parent_id=p.get("parent_id") or None,  # type: ignore[arg-type]
        name_local=str(p.get("name_local") or ""),
        aliases=tuple(p.get("aliases") or ()),  # type: ignore[arg-type]
        population=p.get("population"),  # type: ignore[arg-type]
        lon=p.get("lon"),  # type: ignore[arg-type]
        lat=p.get("lat"),  # type: ignore[arg-type]
        bbox=bbox if bbox[0] is not None else None,  # type: ignore[arg-type]
        area_km2=p.get("area_km2"),  # type: ignore[arg-type]
        coastal=p.get("coastal"),  # type: ignore[arg-type]
        physiography=str(p.get("physiography") or ""),
        raw_materials=tuple(p.get("raw_materials") or ()),  # type: ignore[arg-type]
        wikidata=str(p.get("wikidata") or ""),
        provenance=provenance,
    )
