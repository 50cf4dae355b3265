"""Choropleth maps as inline SVG: region shapes (or points) coloured by a value.

Pure string building, no plotting library: the result embeds in any HTML page and
works offline.
"""

from __future__ import annotations

import html
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


def _attrs(attrs: Mapping[str, str]) -> str:
    return "".join(f' {k}="{html.escape(str(v))}"' for k, v in attrs.items())


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


def render(
    layers: Sequence[MapLayer],
    *,
    outline: Mapping[str, Any] | None = None,
    coast: Mapping[str, Any] | None = None,
    legend: Legend | None = None,
    width: int = 640,
    height: int = 720,
    title: str = "",
) -> str:
    """An SVG map. Regions get a ``<title>`` tooltip and a ``data-id`` attribute."""
    geoms = [lay.geometry for lay in layers if lay.geometry]
    if outline is not None:
        geoms.append(outline)
    proj = _Projection(_bounds(geoms), width, height, pad=12)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
           f'role="img" aria-label="{html.escape(title)}" class="twentyten-map">']
    if outline is not None:
        out.append(f'<path d="{_path(outline, proj)}" fill="#f7f7f7" stroke="#999" stroke-width="0.8"/>')
    for lay in layers:
        tip = html.escape(lay.tooltip or lay.label)
        data = f'class="county" data-id="{html.escape(lay.id)}"' + _attrs(lay.attrs)
        if lay.geometry["type"] == "Point":
            x, y = proj(*lay.geometry["coordinates"][:2])
            out.append(f'<circle {data} cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{lay.colour}" stroke="#333" '
                       f'stroke-width="0.4"><title>{tip}</title></circle>')
        else:
            out.append(f'<path {data} d="{_path(lay.geometry, proj)}" fill="{lay.colour}" stroke="#fff" '
                       f'stroke-width="0.5"><title>{tip}</title></path>')
    if coast is not None:
        out.append(f'<path d="{_path(coast, proj)}" fill="none" stroke="#1f78b4" stroke-width="1.2"/>')
    if legend is not None and legend.items:
        y0 = height - 18 * len(legend.items) - 30
        out.append(f'<g class="legend-box" font-family="sans-serif" font-size="12"><text x="{width - 170}" y="{y0}" font-weight="bold">{html.escape(legend.title)}</text>')
        for k, (colour, label) in enumerate(legend.items):
            y = y0 + 8 + 18 * k
            extra = _attrs(legend.attrs[k]) if k < len(legend.attrs) else ""
            out.append(f'<rect class="legend"{extra} x="{width - 170}" y="{y}" width="14" height="14" fill="{colour}" '
                       f'stroke="#333" stroke-width="0.3"/><text x="{width - 150}" y="{y + 11}">{html.escape(label)}</text>')
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)


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
