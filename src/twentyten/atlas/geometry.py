"""Approximate geometry for regions that have points but no redistributable boundaries.

Everything here is a documented approximation, used for maps and for an area
estimate; results are labelled ``approximate`` wherever they are stored.
Requires the ``geo`` extra (shapely), imported lazily.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from shapely.geometry.base import BaseGeometry

EARTH_AUTHALIC_RADIUS_KM = 6371.0072


@dataclass(frozen=True)
class EqualArea:
    """Lambert cylindrical equal-area projection with a standard parallel.

    Areas measured in projected km² equal spherical areas (authalic radius).
    """

    standard_parallel: float

    def forward(self, lon: float, lat: float) -> tuple[float, float]:
        c = math.cos(math.radians(self.standard_parallel))
        x = EARTH_AUTHALIC_RADIUS_KM * math.radians(lon) * c
        y = EARTH_AUTHALIC_RADIUS_KM * math.sin(math.radians(lat)) / c
        return x, y

    def inverse(self, x: float, y: float) -> tuple[float, float]:
        c = math.cos(math.radians(self.standard_parallel))
        lon = math.degrees(x / (EARTH_AUTHALIC_RADIUS_KM * c))
        lat = math.degrees(math.asin(max(-1.0, min(1.0, y * c / EARTH_AUTHALIC_RADIUS_KM))))
        return lon, lat

    def project(self, geom: BaseGeometry) -> BaseGeometry:
        from shapely.ops import transform

        return transform(lambda x, y, z=None: _apply(self.forward, x, y), geom)

    def unproject(self, geom: BaseGeometry) -> BaseGeometry:
        from shapely.ops import transform

        return transform(lambda x, y, z=None: _apply(self.inverse, x, y), geom)


def _apply(fn: Any, xs: Any, ys: Any) -> tuple[Any, Any]:
    try:
        pairs = [fn(x, y) for x, y in zip(xs, ys, strict=True)]
        return tuple(p[0] for p in pairs), tuple(p[1] for p in pairs)
    except TypeError:  # scalars
        return fn(xs, ys)


def voronoi_cells(
    points: Sequence[tuple[float, float]],
    outline: BaseGeometry,
    clip_boxes: Sequence[tuple[float, float, float, float] | None] | None = None,
    island_radius_km: float = 3.0,
) -> list[BaseGeometry]:
    """Voronoi cell of each point, clipped to ``outline`` and, where given, to a box.

    Works in the equal-area projection so that "nearest point" means nearest on
    the ground. Input and output are lon/lat. ``clip_boxes[i]`` is (w, s, e, n).
    """
    from shapely.geometry import MultiPoint, Point, box
    from shapely.ops import voronoi_diagram

    lat0 = sum(p[1] for p in points) / len(points)
    proj = EqualArea(lat0)
    outline_p = proj.project(outline)
    pts = [Point(proj.forward(lon, lat)) for lon, lat in points]
    diagram = voronoi_diagram(MultiPoint(pts), envelope=outline_p.envelope.buffer(50))
    cells: list[BaseGeometry] = []
    for i, pt in enumerate(pts):
        raw = next(g for g in diagram.geoms if g.covers(pt))
        cell = raw.intersection(outline_p)
        if not cell.covers(pt):
            # a point off the outline (a small island the outline's scale omits):
            # keep a small disc around it so the unit still has a shape
            cell = cell.union(pt.buffer(island_radius_km).intersection(raw))
        if clip_boxes is not None and clip_boxes[i] is not None:
            w, s, e, n = clip_boxes[i]
            (x0, y0), (x1, y1) = proj.forward(w, s), proj.forward(e, n)
            clipped = cell.intersection(box(x0, y0, x1, y1).buffer(1.0))
            if not clipped.is_empty and clipped.covers(pt):
                cell = clipped
        cells.append(proj.unproject(cell))
    return cells


def area_km2(geom: BaseGeometry) -> float:
    """Spherical area in km² (equal-area projection at the geometry's mean latitude)."""
    c = geom.centroid
    return EqualArea(c.y).project(geom).area


def distance_km(a: BaseGeometry, b: BaseGeometry) -> float:
    """Ground distance in km between two geometries (equal-area projection, small extents)."""
    lat0 = (a.centroid.y + b.centroid.y) / 2
    proj = EqualArea(lat0)
    return proj.project(a).distance(proj.project(b))
