"""The atlas as a map page: counties coloured by an attribute, with the table beneath."""

from __future__ import annotations

from twentyten.atlas.model import Atlas
from twentyten.report import svgmap
from twentyten.report.page import page, table

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


def atlas_map_svg(atlas: Atlas, by: str) -> str:
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
    return svgmap.render(county_layers(atlas, colours, tips), outline=outline, coast=coast, legend=legend,
                         title=f"Counties by {by}")


def atlas_page(atlas: Atlas, by: str) -> str:
    rows = [{k: v for k, v in atlas.flat(c).items() if k not in ("lon", "lat", "wikidata")} for c in atlas.counties()]
    body = (f'<div class="flex"><div>{atlas_map_svg(atlas, by)}</div>'
            f'<div>{table(atlas.summary(), numeric={"counties", "population", "coastal", "area_km2"})}</div></div>'
            '<p class="note">Shapes are approximate (Voronoi cells of the county points clipped to the national '
            'outline), not boundaries. Blue line: coast.</p>'
            f"<h2>Counties</h2>{table(rows, numeric={'population', 'area_km2'})}")
    return page(f"Atlas: counties by {by}", body, subtitle=f"{len(rows)} counties")
