"""Load a dataset folder (or a single regions CSV) into an :class:`Atlas`.

A dataset folder holds ``regions.csv`` and optionally ``names.yaml`` (name-matching
rules, see :mod:`twentyten.atlas.names`), ``sources.csv`` (id, title,
url, licence, attribution), ``provenance.csv`` (region_id or ``*``, attribute,
sources, method, rule) and a GeoJSON of shapes (``regions.geojson``, or the
bundled ``counties_approx.geojson``). The bundled DPRK dataset is one such folder.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from twentyten.atlas import names
from twentyten.atlas.model import Atlas
from twentyten.atlas.schema import (
    COLUMN_NAMES,
    PROVENANCE_COLUMNS,
    REQUIRED,
    SOURCE_COLUMNS,
    AttributeSpec,
)
from twentyten.atlas.validate import (
    AtlasValidationError,
    DatasetNotFound,
    Problem,
    boxes_of,
    check_geojson,
    check_rows,
    read_table,
    validate_rows,
)
from twentyten.domain.region import Level, Method, Provenance, Region, Source

BUNDLED = ("dprk",)
GEOJSON_NAMES = ("regions.geojson", "counties_approx.geojson")


def bundled_path(name: str) -> Path:
    """Folder of a bundled dataset."""
    return Path(str(resources.files("twentyten") / "data" / name))


def resolve(dataset: str | Path | None) -> Path:
    """A dataset name (bundled) or a path to a folder or CSV file.

    Raises :class:`DatasetNotFound` (an :class:`AtlasValidationError`) naming the path and
    where it came from (an argument, or the ``dataset`` setting's environment variable).
    """
    given = "" if dataset is not None else _setting_origin()
    if dataset is None:
        from twentyten import settings

        dataset = settings.get("dataset")
    if isinstance(dataset, str) and dataset in BUNDLED:
        return bundled_path(dataset)
    path = Path(dataset).expanduser()
    if not path.exists():
        raise DatasetNotFound([Problem(
            str(dataset), None, None,
            f"no such dataset{given}: not a bundled dataset ({', '.join(BUNDLED)}), folder or CSV file",
        )])
    return path


def _setting_origin() -> str:
    from twentyten import settings

    env = next(s.env for s in settings.SETTINGS if s.name == "dataset")
    return f" (from {env})" if env in os.environ else ""


def dataset_folder(dataset: str | Path | None = None) -> Path:
    """The folder that holds a dataset's files (the dataset's own folder, or the folder of the
    CSV file it names): where programme.yaml, county_inputs.csv and the rest are looked for."""
    path = resolve(dataset)
    return path if path.is_dir() else path.parent


def load_atlas(dataset: str | Path | None = None, *, check_shapes: bool | None = None) -> Atlas:
    """Load and validate a dataset; raise :class:`AtlasValidationError` listing every problem.

    Every failure is that one type (a missing dataset too, as :class:`DatasetNotFound`), and
    nothing is loaded partially. ``check_shapes``: check the GeoJSON's polygons for
    self-intersection (needs shapely, the ``geo`` extra). By default a user's dataset is
    checked and a bundled one is not: its shapes are checked by the build script and the
    test suite, and the check costs the shapely import (`atlas validate` always checks).

    >>> atlas = load_atlas()            # the bundled DPRK atlas  # doctest: +SKIP
    >>> atlas.find("Sinpho").name       # doctest: +SKIP
    'Sinpho City'
    """
    path = resolve(dataset)
    folder, csv_path = (path, path / "regions.csv") if path.is_dir() else (path.parent, path)
    if not csv_path.exists():
        raise AtlasValidationError([Problem(str(csv_path), None, None, "file not found")])
    rows, header, problems = read_table(csv_path, COLUMN_NAMES, REQUIRED)
    parsed, more = check_rows(rows, str(csv_path), header)
    problems += more
    geojson = _find_geojson(folder) if path.is_dir() else None
    if geojson is not None:
        if check_shapes is None:
            check_shapes = folder.resolve() not in {bundled_path(b).resolve() for b in BUNDLED}
        problems += check_geojson(geojson, boxes_of(parsed), topology=check_shapes)
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
    by_region: dict[str, list[tuple[str, Provenance]]] = {}
    for region_id, attr, pr in prov:  # file order kept: '*' rows, then per-region rows refine
        by_region.setdefault(region_id, []).append((attr, pr))
    regions = tuple(_to_region(p, by_region, default_source) for p in parsed)
    return Atlas(regions=regions, sources=sources, folder=folder, geojson=geojson, name_rules=rules)


def validate_path(path: str | Path) -> list[Problem]:
    """Every problem in a dataset (folder or CSV), empty when it would load."""
    try:
        load_atlas(Path(path), check_shapes=True)
    except AtlasValidationError as e:
        return e.problems
    return []


def _find_geojson(folder: Path) -> Path | None:
    for n in GEOJSON_NAMES:
        if (folder / n).exists():
            return folder / n
    return None


def _names(columns: tuple[AttributeSpec, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """All column names of a table, and the required ones."""
    return tuple(c.name for c in columns), tuple(c.name for c in columns if c.required)


def _read_provenance(folder: Path) -> tuple[dict[str, Source], list[tuple[str, str, Provenance]], list[Problem]]:
    from twentyten.atlas.rows import ProvenanceRow, SourceRow

    sources: dict[str, Source] = {}
    prov: list[tuple[str, str, Provenance]] = []
    problems: list[Problem] = []
    sp = folder / "sources.csv"
    if sp.exists():
        rows, header, problems = read_table(sp, *_names(SOURCE_COLUMNS))
        parsed, more = validate_rows(SourceRow, SOURCE_COLUMNS, rows, str(sp), header)
        problems += more
        for i, r in enumerate(parsed, start=2):
            if r["id"] in sources:
                problems.append(Problem(str(sp), i, "id", f"duplicate source id {r['id']!r}"))
            elif r["id"] is not None:
                sources[r["id"]] = Source(r["id"], r["title"] or "", r["url"] or "", r["licence"] or "", r["attribution"] or "")  # type: ignore[arg-type]
    pp = folder / "provenance.csv"
    if pp.exists():
        rows, header, more = read_table(pp, *_names(PROVENANCE_COLUMNS))
        problems += more
        parsed, more = validate_rows(ProvenanceRow, PROVENANCE_COLUMNS, rows, str(pp), header)
        problems += more
        for i, r in enumerate(parsed, start=2):
            ids = tuple(r["sources"] or ())  # type: ignore[arg-type]
            for s in ids:
                if sources and s not in sources:
                    problems.append(Problem(str(pp), i, "sources", f"unknown source id {s!r} (not in sources.csv)"))
            if r["method"] is not None and r["region_id"] is not None and r["attribute"] is not None:
                prov.append((str(r["region_id"]), str(r["attribute"]), Provenance(ids, Method(r["method"]), str(r["rule"] or ""))))
    return sources, prov, problems


_ATTRS = ("name", "name_local", "aliases", "wikidata", "population", "lon", "lat", "bbox", "area_km2", "coastal", "physiography", "raw_materials")


def _to_region(p: dict[str, object], prov: dict[str, list[tuple[str, Provenance]]], default_source: str) -> Region:
    rid = str(p["id"])
    provenance: dict[str, Provenance] = dict(prov.get("*", ()))
    provenance.update(prov.get(rid, ()))
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
