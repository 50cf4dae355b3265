"""Choropleth maps as inline SVG: region shapes (or points) coloured by a value.

The geometry is computed here (:func:`layout`); the markup comes from the ``svg_map``
macro in ``templates/_map.svg``, autoescaped like every page. No plotting library: the
result embeds in any HTML page and works offline.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# Colour-blind-safe qualitative palette (Okabe-Ito) and a sequential ramp (viridis stops).
QUALITATIVE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
SEQUENTIAL = ("#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6ece58", "#b5de2b", "#fde725")
NO_DATA = "#dddddd"


@dataclass(frozen=True)
class MapLayer:
    """One region on the map: its GeoJSON geometry (Polygon, MultiPolygon or Point)."""

    id: str
    label: str
    geometry: Mapping[str, Any]
    colour: str = NO_DATA
    tooltip: str = ""
    attrs: Mapping[str, str] = field(default_factory=dict)  # extra data-* attributes


@dataclass(frozen=True)
class Legend:
    title: str
    items: Sequence[tuple[str, str]] = field(default_factory=tuple)  # (colour, label)
    attrs: Sequence[Mapping[str, str]] = field(default_factory=tuple)  # per item, extra attributes


class _Projection:
    """Equirectangular with the x axis scaled by cos(mean latitude): fine at country scale."""

    def __init__(self, bounds: tuple[float, float, float, float], width: float, height: float, pad: float):
        w, s, e, n = bounds
        self.k = math.cos(math.radians((s + n) / 2))
        sx = (width - 2 * pad) / max((e - w) * self.k, 1e-9)
        sy = (height - 2 * pad) / max(n - s, 1e-9)
        self.scale = min(sx, sy)
        self.w, self.n, self.pad = w, n, pad

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return (self.pad + (lon - self.w) * self.k * self.scale, self.pad + (self.n - lat) * self.scale)


def _rings(geom: Mapping[str, Any]) -> Iterable[Sequence[Sequence[float]]]:
    t = geom["type"]
    if t == "Polygon":
        yield from geom["coordinates"]
    elif t == "MultiPolygon":
        for poly in geom["coordinates"]:
            yield from poly
    elif t in ("LineString",):
        yield geom["coordinates"]
    elif t == "MultiLineString":
        yield from geom["coordinates"]


def _bounds(geoms: Iterable[Mapping[str, Any]]) -> tuple[float, float, float, float]:
    xs, ys = [], []
    for g in geoms:
        if g["type"] == "Point":
            xs.append(g["coordinates"][0])
            ys.append(g["coordinates"][1])
        for ring in _rings(g):
            xs.extend(p[0] for p in ring)
            ys.extend(p[1] for p in ring)
    return min(xs), min(ys), max(xs), max(ys)


def _path(geom: Mapping[str, Any], proj: _Projection) -> str:
    parts = []
    for ring in _rings(geom):
        pts = [proj(p[0], p[1]) for p in ring]
        closed = geom["type"] in ("Polygon", "MultiPolygon")
        parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in pts) + ("Z" if closed else ""))
    return "".join(parts)


@dataclass(frozen=True)
class Shape:
    """One region as drawn: an SVG path (``d``) or a point (``cx``, ``cy``)."""

    layer: MapLayer
    d: str = ""
    cx: float = 0.0
    cy: float = 0.0

    @property
    def is_point(self) -> bool:
        return not self.d


@dataclass(frozen=True)
class MapView:
    """A map laid out in SVG coordinates, ready for the ``svg_map`` template macro."""

    width: int
    height: int
    title: str
    shapes: Sequence[Shape]
    outline: str = ""
    coast: str = ""
    legend: Legend | None = None

    @property
    def legend_top(self) -> int:
        n = len(self.legend.items) if self.legend is not None else 0
        return self.height - 18 * n - 30


def layout(
    layers: Sequence[MapLayer],
    *,
    outline: Mapping[str, Any] | None = None,
    coast: Mapping[str, Any] | None = None,
    legend: Legend | None = None,
    width: int = 640,
    height: int = 720,
    title: str = "",
) -> MapView:
    """Project the layers (and the outline and coast) into a ``width`` × ``height`` box."""
    geoms = [lay.geometry for lay in layers if lay.geometry]
    if outline is not None:
        geoms.append(outline)
    proj = _Projection(_bounds(geoms), width, height, pad=12)
    shapes = []
    for lay in layers:
        if lay.geometry["type"] == "Point":
            x, y = proj(*lay.geometry["coordinates"][:2])
            shapes.append(Shape(lay, cx=round(x, 1), cy=round(y, 1)))
        else:
            shapes.append(Shape(lay, d=_path(lay.geometry, proj)))
    return MapView(width, height, title, shapes,
                   outline=_path(outline, proj) if outline is not None else "",
                   coast=_path(coast, proj) if coast is not None else "",
                   legend=legend if legend is not None and legend.items else None)


def render(layers: Sequence[MapLayer], *, env: Any = None, **options: Any) -> str:
    """An SVG map as markup (see :func:`layout` for the options). Regions get a
    ``<title>`` tooltip, ``class="county"`` and a ``data-id`` attribute."""
    from markupsafe import Markup

    from twentyten.report.page import render as render_page

    return Markup(render_page("map.svg", env, map=layout(layers, **options)))


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def ramp(n: int, lo: float = 0.0, hi: float = 0.85) -> list[str]:
    """``n`` colours along the sequential ramp from ``lo`` to ``hi`` (0 = darkest, 1 = lightest).

    The default stops short of the ramp's pale end, so every class stays visible on a
    white page. Colours are interpolated between the ramp's stops.

    >>> ramp(3)
    ['#440154', '#287d8e', '#9cd83b']
    """
    if n <= 0:
        return []
    out = []
    last = len(SEQUENTIAL) - 1
    for i in range(n):
        t = (lo + (hi - lo) * (i / (n - 1) if n > 1 else 0.5)) * last
        j = min(int(t), last - 1)
        f = t - j
        a, b = _rgb(SEQUENTIAL[j]), _rgb(SEQUENTIAL[j + 1])
        out.append("#" + "".join(f"{round(x + (y - x) * f):02x}" for x, y in zip(a, b, strict=True)))
    return out


def categorical(values: Mapping[str, str], order: Sequence[str] | None = None) -> tuple[dict[str, str], Legend]:
    """Colour per id for categorical values, and the legend."""
    cats = list(order) if order else sorted({v for v in values.values() if v})
    colour = {c: QUALITATIVE[i % len(QUALITATIVE)] for i, c in enumerate(cats)}
    return {k: colour.get(v, NO_DATA) for k, v in values.items()}, Legend("", [(colour[c], c) for c in cats])


def sequential(values: Mapping[str, float], bins: int = 5, fmt: str = "{:,.0f}") -> tuple[dict[str, str], Legend]:
    """Colour per id by quantile bins of a numeric value, and the legend."""
    vals = sorted(v for v in values.values() if v is not None)
    if not vals:
        return {k: NO_DATA for k in values}, Legend("")
    edges = [vals[min(len(vals) - 1, int(len(vals) * q / bins))] for q in range(bins)] + [vals[-1]]
    ramp = [SEQUENTIAL[round(i * (len(SEQUENTIAL) - 1) / max(bins - 1, 1))] for i in range(bins)]

    def pick(v: float | None) -> str:
        if v is None:
            return NO_DATA
        for i in range(bins):
            if v <= edges[i + 1]:
                return ramp[i]
        return ramp[-1]

    items = [(ramp[i], f"{fmt.format(edges[i])} – {fmt.format(edges[i + 1])}") for i in range(bins)]
    return {k: pick(v) for k, v in values.items()}, Legend("", items)
