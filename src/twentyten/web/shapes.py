"""The map's GeoJSON: every county's approximate shape, and each province's border as the
union of its counties (shapely, from the geo extra; without it the map has no borders)."""

from __future__ import annotations

import json
from typing import Any


def _round(coords: Any, digits: int = 4) -> Any:
    if isinstance(coords, (int, float)):
        return round(coords, digits)
    return [_round(c, digits) for c in coords]


def shapes_document(atlas) -> bytes:
    """A FeatureCollection: ``kind: county`` features (``id``) then ``kind: province`` borders."""
    shapes = atlas.shapes()
    feats = []
    by_province: dict[str, list[dict]] = {}
    for c in atlas.counties():
        f = shapes.get(c.id)
        geom = f["geometry"] if f else ({"type": "Point", "coordinates": [c.lon, c.lat]} if c.lon is not None else None)
        if geom is None:
            continue
        feats.append({"type": "Feature", "properties": {"kind": "county", "id": c.id},
                      "geometry": {"type": geom["type"], "coordinates": _round(geom["coordinates"])}})
        if geom["type"] in ("Polygon", "MultiPolygon"):
            by_province.setdefault(c.parent_id or "", []).append(geom)
    try:
        from shapely.geometry import mapping, shape
        from shapely.ops import unary_union
    except ImportError:
        by_province = {}
    for pid, geoms in by_province.items():
        union = unary_union([shape(g).buffer(0) for g in geoms]).boundary.simplify(0.003)
        g = mapping(union)
        feats.append({"type": "Feature", "properties": {"kind": "province", "id": pid},
                      "geometry": {"type": g["type"], "coordinates": _round(g["coordinates"])}})
    return json.dumps({"type": "FeatureCollection", "features": feats}, separators=(",", ":")).encode()
