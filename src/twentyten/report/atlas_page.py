"""The atlas as a map page: counties coloured by an attribute, with the table beneath."""

from __future__ import annotations

from twentyten.atlas.model import Atlas
from twentyten.report import svgmap
from twentyten.report.page import render

ATTRIBUTES = ("physiography", "coastal", "population", "density", "province")


def county_layers(atlas: Atlas, colours: dict[str, str], tooltip: dict[str, str] | None = None) -> list[svgmap.MapLayer]:
    """Map layers of every county: approximate shape where the dataset has one, else its point."""
    shapes = atlas.shapes()
    layers = []
    for c in atlas.counties():
        geom = shapes[c.id]["geometry"] if c.id in shapes else (
            {"type": "Point", "coordinates": [c.lon, c.lat]} if c.lon is not None else None)
        if geom is None:
            continue
        layers.append(svgmap.MapLayer(c.id, c.name, geom, colours.get(c.id, svgmap.NO_DATA),
                                      (tooltip or {}).get(c.id, f"{c.name} {c.name_local}")))
    return layers


def outline_and_coast(atlas: Atlas) -> tuple[dict | None, dict | None]:
    data = atlas.outline()
    if not data:
        return None, None
    kinds = {f["properties"].get("kind"): f["geometry"] for f in data["features"]}
    return kinds.get("outline"), kinds.get("coast")


def atlas_map(atlas: Atlas, by: str) -> svgmap.MapView:
    """The atlas map laid out: counties coloured by attribute ``by``."""
    counties = atlas.counties()
    if by == "physiography":
        colours, legend = svgmap.categorical({c.id: c.physiography for c in counties},
                                             ["mountainous", "lowland", "coastal", "industrial-urban"])
    elif by == "coastal":
        colours, legend = svgmap.categorical({c.id: "coastal" if c.coastal else "inland" for c in counties},
                                             ["coastal", "inland"])
    elif by == "province":
        names = {p.id: p.name for p in atlas.provinces()}
        colours, legend = svgmap.categorical({c.id: names.get(c.parent_id or "", "") for c in counties})
    elif by == "population":
        colours, legend = svgmap.sequential({c.id: c.population for c in counties})
    elif by == "density":
        colours, legend = svgmap.sequential({c.id: c.density for c in counties}, fmt="{:,.0f}/km²")
    else:
        raise ValueError(f"cannot colour by {by!r}; choose one of {', '.join(ATTRIBUTES)}")
    tips = {c.id: f"{c.name} {c.name_local}: population {c.population:,}, {c.physiography}"
                  f"{', coastal' if c.coastal else ''}" for c in counties}
    outline, coast = outline_and_coast(atlas)
    legend = svgmap.Legend(by, legend.items)
    return svgmap.layout(county_layers(atlas, colours, tips), outline=outline, coast=coast, legend=legend,
                         title=f"Counties by {by}")


def atlas_map_svg(atlas: Atlas, by: str) -> str:
    """The atlas map as SVG markup."""
    from markupsafe import Markup

    return Markup(render("map.svg", map=atlas_map(atlas, by)))


def atlas_page(atlas: Atlas, by: str, env=None) -> str:
    """The whole page: the map, the province summary and the table of counties."""
    rows = [{k: v for k, v in atlas.flat(c).items() if k not in ("lon", "lat", "wikidata")} for c in atlas.counties()]
    return render("atlas_map.html", env, title=f"Atlas: counties by {by}", subtitle=f"{len(rows)} counties",
                  map=atlas_map(atlas, by), summary=atlas.summary(), counties=rows)
