#!/usr/bin/env python
"""Regenerate the bundled DPRK atlas (src/twentyten/data/dprk/) from ../shared/data/.

Usage::

    python scripts/build_atlas.py [--shared ../shared] [--world-atlas PATH/countries-10m.json]

Reads only redistributable inputs (see ../shared/data/dprk/SOURCES.md): the 2008
census table, the geoBoundaries-derived points and boxes (CC BY 4.0), the
third-party hangul/coastal table (a starting point, cross-checked), the rollout
record, and Natural Earth (public domain) via the npm package world-atlas.
Nothing GADM-derived is read.

Fails (exit 1) when a count or a total does not match the census.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "twentyten" / "data" / "dprk"
sys.path.insert(0, str(REPO / "src"))

from twentyten.atlas import derive  # noqa: E402
from twentyten.atlas.geometry import area_km2, distance_km, voronoi_cells  # noqa: E402

NATIONAL_TOTAL = 23_349_859  # census 2008, Table 2 (private households + institutions)
N_COUNTIES = 179
N_PROVINCES = 11
NE_COUNTRY_ID = "408"  # ISO 3166 numeric, North Korea
COAST_TOLERANCE_KM = 1.0  # a cell this close to the coastline touches it
# The 1:10m coastline closes estuaries coarsely: a bounding box this close reaches the coast.
BOX_COAST_TOLERANCE_KM = 5.0
# Provinces of the northern highlands (Kaema plateau, Rangrim and Hamgyong ranges): their
# inland units are classed mountainous whatever their density.
MOUNTAIN_PROVINCES = {"Jagang", "Ryanggang"}

PROVINCE_HANGUL = {  # standard names of the province-level units (editorial)
    "Jagang": "자강도", "Kangwon": "강원도", "Nampo": "남포시", "North Hamgyong": "함경북도",
    "North Hwanghae": "황해북도", "North Pyongan": "평안북도", "Pyongyang": "평양시",
    "Ryanggang": "량강도", "South Hamgyong": "함경남도", "South Hwanghae": "황해남도",
    "South Pyongan": "평안남도",
}
PROVINCE_WIKIDATA = {  # SOURCES.md section 7, province mapping table
    "Kangwon": "Q41416", "Nampo": "Q109386", "North Hamgyong": "Q109361",
    "North Hwanghae": "Q109342", "North Pyongan": "Q109348", "Pyongyang": "Q18808",
    "Ryanggang": "Q110171", "South Hamgyong": "Q109368", "South Hwanghae": "Q626052",
    "South Pyongan": "Q109380",
}
# Hangul corrections: the third-party table is blank or names a district for these units.
HANGUL_FIX = {
    "PRK-pyongyang-pyongyang": ("평양시", "blank in the source table; standard name of the city"),
    "PRK-north-hamgyong-rason-city": ("라선시", "blank in the source table; standard name of the city"),
    "PRK-north-hwanghae-kaesong-city": ("개성시", "blank in the source table; standard name of the city"),
    "PRK-nampo-nampo-city": ("남포시", "source table gives 항구구역 (a district); the unit is the city proper"),
}
# Spelling variants seen in real sources (SOURCES.md, rollout_facts.csv, KCNA).
EXTRA_ALIASES = {
    "PRK-south-hwanghae-jaerong": ["Jaeryong"],
    "PRK-jagang-rangrim": ["Rangnim"],
    "PRK-south-hamgyong-rakwon": ["Ragwon"],
    "PRK-south-hwanghae-unryul": ["Unnyul"],
    "PRK-south-hamgyong-sinpho-city": ["Sinpho", "Sinpo"],
    "PRK-north-pyongan-cholsan": ["Cholwon (census)"],
    "PRK-south-hwanghae-ryongyon": ["Ryongchon (census)"],
    "PRK-nampo-nampo-city": ["Nampho City", "Nampho"],
    "PRK-south-pyongan-pyongsong-city": ["Phyongsong City"],
    "PRK-south-pyongan-pyongwon": ["Phyongwon"],
    "PRK-south-hwanghae-pyoksong": ["Phyoksong"],
}
# Taegwan and Thaechon: geometry swapped in the points file (SOURCES.md, "Known correction").
SWAP_GEOMETRY = ("PRK-north-pyongan-taegwan", "PRK-north-pyongan-thaechon")
# Coastal facts from the rollout record and the factory list: these decide a disagreement.
COASTAL_FACTS = {
    "PRK-south-hamgyong-rakwon": "Ragwon County Offshore Farm, groundbreaking 2025-02-14 (rollout_sites_by_year.csv)",
    "PRK-south-hamgyong-sinpho-city": "Sinpho offshore farm, inaugurated 2024-12-28 (rollout_sites_by_year.csv)",
    "PRK-north-hamgyong-orang": "Orang regional factory makes processed fishery products (regional_factories_20x10.csv)",
    "PRK-south-hamgyong-riwon": "modern marine aquaculture facility, 2026 (rollout_sites_by_year.csv)",
}
# Local raw materials named by facts about the county's own factories.
MATERIAL_FACTS = {
    "PRK-kangwon-kimhwa": [("timber", "Kimhwa pilot built a paper mill on local resources (regional_factories_20x10.csv)")],
    "PRK-north-hamgyong-orang": [("seafood", "Orang factory processes fishery products (regional_factories_20x10.csv)")],
    "PRK-south-pyongan-sukchon": [
        ("soybeans", "Sukchon foodstuff factory makes soybean paste, soy sauce, soya milk (regional_factories_20x10.csv)"),
        ("grain", "Sukchon foodstuff factory makes wheat paste, corn syrup, bread (regional_factories_20x10.csv)"),
    ],
    "PRK-north-hwanghae-jangphung": [("wild fruit", "Jangphung foodstuff factory makes jujube juice (regional_factories_20x10.csv)")],
    "PRK-south-hamgyong-sinpho-city": [("shellfish", "Sinpho offshore farm raises scallops (rollout_sites_by_year.csv, NK News 2024-12)")],
}

NAMES_YAML = """\
# Name-matching rules for the DPRK dataset (read by twentyten.atlas.names.NameRules).
# Romanised names of the same place differ between McCune-Reischauer, the DPRK's
# official system and Revised Romanization; these rules make them compare equal.
suffixes: [city, county, district, dist, gun, kun, si, guyok, kuyok, ri, province, do]
# light key: aspirate marks and Revised-Romanization vowels
folds: [[ph, p], [th, t], [kh, k], [eo, o], [eu, u]]
# variant key (regexes): voiced/unvoiced stops, ch/j, l/r, r assimilated to n after n/ng,
# y after r dropped (Jaeryong/Jaerong, Rangnim/Rangrim, Ragwon/Rakwon, Unryul/Unnyul)
variants: [[ch, j], [g, k], [b, p], [d, t], [l, r], ["(?<=n)r", n], [ry, r], [sh, s]]
# hangul names may be given with or without their administrative suffix
local_suffixes: [구역, 지구, 시, 군, 구, 도]
"""

SOURCES = [
    {"id": "census2008", "title": "DPR Korea 2008 Population Census, National Report, Table 2 (Central Bureau of Statistics, Pyongyang 2009); figures via advaitsridhar/DemographicMap",
     "url": "https://unstats.un.org/unsd/demographic/sources/census/wphc/North_Korea/Final%20national%20census%20report.pdf",
     "licence": "official statistical publication; no explicit licence", "attribution": "Central Bureau of Statistics, DPR Korea"},
    {"id": "geoboundaries", "title": "geoBoundaries PRK ADM2 (gbOpen/CGAZ) label points and bounding boxes, via advaitsridhar/DemographicMap site/data/admin2/PRK.json",
     "url": "https://www.geoboundaries.org", "licence": "CC BY 4.0",
     "attribution": "Runfola et al. (2020) geoBoundaries: A global database of political administrative boundaries. PLoS ONE 15(4): e0231866"},
    {"id": "wikidata", "title": "Wikidata item ids, via advaitsridhar/DemographicMap", "url": "https://www.wikidata.org", "licence": "CC0", "attribution": "Wikidata"},
    {"id": "korciv", "title": "Hangul names and hand-coded coastal flags, GitHub dehaka0508-ctrl/kor_civ (tools/build_map.py NK_NAMES; korciv/data/regions.csv)",
     "url": "https://github.com/dehaka0508-ctrl/kor_civ", "licence": "no licence found; only facts are taken from it (place names in hangul, a yes/no coastal flag used as a cross-check); no expression of the work is reproduced",
     "attribution": "dehaka0508-ctrl/kor_civ"},
    {"id": "naturalearth", "title": "Natural Earth 1:10m Admin 0 countries v4.1.0, via npm world-atlas 2.0.2 (countries-10m.json)",
     "url": "https://www.naturalearthdata.com", "licence": "public domain", "attribution": "Made with Natural Earth"},
    {"id": "rollout", "title": "20x10 rollout record (rollout_sites_by_year.csv, rollout_facts.csv): KCNA, NK News, Yonhap, 38 North and others, per row",
     "url": "", "licence": "facts from cited press reports", "attribution": "twentyten research notes"},
    {"id": "factories", "title": "Factories reported for 20x10 counties (regional_factories_20x10.csv): KCNA via kcnawatch.org, KFA, Yonhap",
     "url": "", "licence": "facts from cited press reports", "attribution": "twentyten research notes"},
    {"id": "editorial", "title": "Standard Korean names of cities and provinces and romanisation variants, supplied by the twentyten editors",
     "url": "", "licence": "CC0", "attribution": "twentyten"},
    {"id": "twentyten-derived", "title": "Computed by scripts/build_atlas.py with the rule given in each value's provenance",
     "url": "", "licence": "MIT", "attribution": "twentyten"},
]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def fail(msg: str) -> None:
    print(f"build_atlas: FAILED: {msg}", file=sys.stderr)
    sys.exit(1)


# --------------------------------------------------------------------------- Natural Earth
def extract_natural_earth(world_atlas: Path) -> dict:
    """Decode the TopoJSON and keep North Korea's outline, its coast and its land borders.

    An arc that North Korea shares with another country is a land border; an arc
    only North Korea uses is coast.
    """
    topo = json.loads(world_atlas.read_text())
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]

    def arc_coords(i: int) -> list[list[float]]:
        arc = topo["arcs"][i if i >= 0 else ~i]
        x = y = 0
        pts = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            pts.append([round(x * sx + tx, 6), round(y * sy + ty, 6)])
        return pts if i >= 0 else pts[::-1]

    def ring(idx: list[int]) -> list[list[float]]:
        out: list[list[float]] = []
        for k, i in enumerate(idx):
            pts = arc_coords(i)
            out.extend(pts if k == 0 else pts[1:])
        return out

    geoms = topo["objects"]["countries"]["geometries"]
    use: dict[int, set[str]] = {}
    for g in geoms:
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        for poly in polys:
            for r in poly:
                for i in r:
                    use.setdefault(i if i >= 0 else ~i, set()).add(g.get("id", "?"))
    prk = next(g for g in geoms if g.get("id") == NE_COUNTRY_ID)
    polys = prk["arcs"] if prk["type"] == "MultiPolygon" else [prk["arcs"]]
    outline = {"type": "MultiPolygon", "coordinates": [[ring(r) for r in poly] for poly in polys]}
    coast, border = [], []
    for poly in polys:
        for r in poly:
            for i in r:
                j = i if i >= 0 else ~i
                (border if len(use[j]) > 1 else coast).append(arc_coords(j))
    feature = lambda kind, geom: {"type": "Feature", "properties": {"kind": kind, "source": "naturalearth"}, "geometry": geom}  # noqa: E731
    return {
        "type": "FeatureCollection",
        "name": "Natural Earth 1:10m, North Korea: outline, coast, land borders",
        "features": [
            feature("outline", outline),
            feature("coast", {"type": "MultiLineString", "coordinates": coast}),
            feature("land_border", {"type": "MultiLineString", "coordinates": border}),
        ],
    }


# --------------------------------------------------------------------------- build
def build(shared: Path, world_atlas: Path | None, out: Path = OUT) -> None:
    from shapely.geometry import Point, box, mapping, shape

    dprk = shared / "data" / "dprk"
    census = read_csv(dprk / "prk_census2008_adm2_population.csv")
    points = read_csv(dprk / "prk_adm2_points_geoboundaries.csv")
    korciv = {r["id"]: r for r in read_csv(dprk / "prk_adm2_hangul_coastal_korciv.csv")}

    provinces = [r for r in census if r["level"] == "admin1"]
    counties = [r for r in census if r["level"] == "admin2"]
    if len(provinces) != N_PROVINCES or len(counties) != N_COUNTIES:
        fail(f"expected {N_PROVINCES} provinces and {N_COUNTIES} counties, got {len(provinces)} and {len(counties)}")
    total = sum(int(r["population_2008"]) for r in counties)
    if total != NATIONAL_TOTAL:
        fail(f"county populations sum to {total:,}, census total is {NATIONAL_TOTAL:,}")
    for p in provinces:
        s = sum(int(c["population_2008"]) for c in counties if c["parent_name"] == p["name"])
        if s != int(p["population_2008"]):
            fail(f"{p['name']}: counties sum to {s:,}, province total is {int(p['population_2008']):,}")

    by_key = {(r["name"], r["province"]): r for r in points}
    if len(by_key) != N_COUNTIES:
        fail(f"points file has {len(by_key)} distinct (name, province) pairs, expected {N_COUNTIES}")
    pt_of: dict[str, dict[str, str]] = {}
    for c in counties:
        key = (c["name"], c["parent_name"])
        if key not in by_key:
            fail(f"no point for census unit {key}")
        pt = by_key[key]
        if int(pt["population_2008"]) != int(c["population_2008"]):
            fail(f"population mismatch for {key}")
        pt_of[c["id"]] = dict(pt)
    a, b = SWAP_GEOMETRY
    geo_cols = ("point_lon", "point_lat", "bbox_w", "bbox_s", "bbox_e", "bbox_n")
    for col in geo_cols:
        pt_of[a][col], pt_of[b][col] = pt_of[b][col], pt_of[a][col]

    # Natural Earth outline: extract once; reuse the bundled extraction afterwards.
    ne_path = OUT / "outline.geojson"
    if world_atlas is not None:
        ne = extract_natural_earth(world_atlas)
        ne_path = out / "outline.geojson"
        ne_path.write_text(json.dumps(ne, separators=(",", ":")) + "\n")
    elif out != OUT:
        (out / ne_path.name).write_text(ne_path.read_text())
    if not ne_path.exists():
        fail(f"{ne_path} missing: pass --world-atlas node_modules/world-atlas/countries-10m.json (npm i world-atlas@2.0.2)")
    ne = json.loads(ne_path.read_text())
    geom = {f["properties"]["kind"]: shape(f["geometry"]) for f in ne["features"]}
    outline, coast = geom["outline"], geom["coast"]

    ids = [c["id"] for c in counties]
    pts = [(float(pt_of[i]["point_lon"]), float(pt_of[i]["point_lat"])) for i in ids]
    boxes = [tuple(float(pt_of[i][k]) for k in ("bbox_w", "bbox_s", "bbox_e", "bbox_n")) for i in ids]
    for i, (lon, lat), (w, s, e, n) in zip(ids, pts, boxes, strict=True):
        if not (w <= lon <= e and s <= lat <= n):
            fail(f"{i}: point ({lon}, {lat}) outside its bounding box")
    cells = voronoi_cells(pts, outline, clip_boxes=boxes)

    # Coastal flag: geometry, cross-checked; each disagreement resolved and recorded.
    decisions = []
    coastal: dict[str, tuple[bool, str, str]] = {}
    for i, cell, bx in zip(ids, cells, boxes, strict=True):
        cell_coast = distance_km(cell, coast) <= COAST_TOLERANCE_KM
        box_coast = distance_km(box(*bx), coast) <= BOX_COAST_TOLERANCE_KM
        flag_kc = korciv[i]["coastal_flag_korciv"].startswith("Y")
        fact = COASTAL_FACTS.get(i)
        value, rule = derive.decide_coastal(cell_coast, box_coast, flag_kc, fact is not None)
        coastal[i] = (value, rule, "derived")
        if cell_coast != flag_kc or fact:
            decisions.append({
                "region_id": i, "name": korciv[i]["name"], "cell_touches_coast": cell_coast,
                "bbox_touches_coast": box_coast, "korciv_flag": korciv[i]["coastal_flag_korciv"],
                "fact": fact or "", "decision": value, "rule": rule,
            })

    # Areas from approximate cells; density then physiography and raw materials by rule.
    rows = []
    for p in provinces:
        rows.append({
            "id": p["id"], "level": "province", "parent_id": "", "name": p["name"],
            "name_local": PROVINCE_HANGUL[p["name"]], "aliases": "",
            "wikidata": PROVINCE_WIKIDATA.get(p["name"], ""),
            "population": int(p["population_2008"]),
            "lon": "", "lat": "", "bbox_w": "", "bbox_s": "", "bbox_e": "", "bbox_n": "",
            "area_km2": "", "coastal": "", "physiography": "", "raw_materials": "",
        })
    prov_id = {p["name"]: p["id"] for p in provinces}
    features = []
    overrides = []
    for i, c, cell, (lon, lat), bx in zip(ids, counties, cells, pts, boxes, strict=True):
        area = round(area_km2(cell), 1)
        pop = int(c["population_2008"])
        is_city = c["name"].endswith(" City") or c["name"] == "Pyongyang"
        value, rule, _ = coastal[i]
        phys, phys_rule = derive.classify_physiography(
            coastal=value, is_city=is_city, population=pop, density=pop / area,
            mountain_province=c["parent_name"] in MOUNTAIN_PROVINCES,
        )
        mats = derive.raw_materials(phys, value, MATERIAL_FACTS.get(i, []))
        hangul = korciv[i]["name_hangul"]
        if i in HANGUL_FIX:
            hangul, why = HANGUL_FIX[i]
            overrides.append({"region_id": i, "attribute": "name_local", "sources": "editorial", "method": "corrected", "rule": why})
        aliases = [x for x in EXTRA_ALIASES.get(i, [])]
        if not cell.covers(Point(lon, lat)):
            fail(f"{i}: approximate cell does not contain its point")
        rows.append({
            "id": i, "level": "county", "parent_id": prov_id[c["parent_name"]], "name": c["name"],
            "name_local": hangul, "aliases": ";".join(aliases),
            "wikidata": pt_of[i]["wikidata"], "population": pop,
            "lon": lon, "lat": lat, "bbox_w": bx[0], "bbox_s": bx[1], "bbox_e": bx[2], "bbox_n": bx[3],
            "area_km2": area, "coastal": "true" if value else "false",
            "physiography": phys, "raw_materials": ";".join(m for m, _ in mats),
        })
        overrides.append({"region_id": i, "attribute": "coastal", "sources": "naturalearth;korciv" + (";rollout" if i in COASTAL_FACTS else ""), "method": "derived", "rule": rule})
        overrides.append({"region_id": i, "attribute": "physiography", "sources": "twentyten-derived", "method": "derived", "rule": phys_rule})
        overrides.append({"region_id": i, "attribute": "raw_materials", "sources": "twentyten-derived" + (";factories" if i in MATERIAL_FACTS else ""), "method": "derived",
                          "rule": _group_reasons(mats)})
        if i in SWAP_GEOMETRY:
            for attr in ("lon", "lat", "bbox"):
                overrides.append({"region_id": i, "attribute": attr, "sources": "geoboundaries", "method": "corrected",
                                  "rule": "geometry swapped between Taegwan and Thaechon: the points file has them the wrong way round (SOURCES.md, Known correction)"})
        features.append({"type": "Feature", "properties": {"id": i, "name": c["name"], "approximate": True},
                         "geometry": _rounded(mapping(cell))})

    # Province provenance (names are editorial, population quoted).
    for p in provinces:
        overrides.append({"region_id": p["id"], "attribute": "name_local", "sources": "editorial", "method": "quoted", "rule": ""})

    _write_csv(out / "regions.csv", rows)
    _write_csv(out / "provenance.csv", _default_provenance() + overrides)
    _write_csv(out / "sources.csv", SOURCES)
    _write_csv(out / "coastal_decisions.csv", decisions)
    (out / "counties_approx.geojson").write_text(json.dumps({
        "type": "FeatureCollection",
        "name": "Approximate county cells: Voronoi cells of the county points, clipped to the Natural Earth outline and each county's bounding box. NOT boundaries.",
        "features": features}, ensure_ascii=False, separators=(",", ":")) + "\n")
    build_rollout(dprk, {r["id"] for r in rows}, out)
    _write_attribution(out / "ATTRIBUTION.md")
    (out / "names.yaml").write_text(NAMES_YAML, encoding="utf-8")

    n_coastal = sum(1 for r in rows if r["coastal"] == "true")
    print(f"build_atlas: {len(rows) - N_PROVINCES} counties in {N_PROVINCES} provinces, population {total:,}; "
          f"{n_coastal} coastal; {len(decisions)} coastal decisions recorded; wrote {out}")


def build_rollout(dprk: Path, known_ids: set[str], out: Path) -> None:
    """Bundle the real rollout record, keyed to region ids (rows without an id are kept, unkeyed)."""
    rows = read_csv(dprk / "rollout_sites_by_year.csv")
    for r in rows:
        if r["census_id"] and r["census_id"] not in known_ids:
            fail(f"rollout_sites_by_year.csv: unknown census_id {r['census_id']}")
    sites = [{"year": r["year"], "region_id": r["census_id"], "county": r["county"], "programme": r["programme"],
            "facilities": r["facilities"], "groundbreaking_date": r["groundbreaking_date"],
            "inauguration_date": r["inauguration_date"], "confidence": r["confidence"], "source_urls": r["source_urls"]}
           for r in rows]
    _write_csv(out / "rollout_sites.csv", sites)
    facts = read_csv(dprk / "rollout_facts.csv")
    _write_csv(out / "rollout_facts.csv", facts)


def _write_attribution(path: Path) -> None:
    lines = [
        "# Bundled DPRK atlas: sources and attribution",
        "",
        "Generated by `scripts/build_atlas.py` from `../shared/data/dprk/` (see its SOURCES.md).",
        "Every value's source, method (quoted / derived / corrected / estimate) and rule are in",
        "`provenance.csv`; `twentyten atlas show COUNTY` prints them. Nothing GADM-derived is bundled.",
        "",
        "County shapes in `counties_approx.geojson` are NOT boundaries: they are Voronoi cells of the",
        "county label points, clipped to the Natural Earth outline and each county's bounding box,",
        "used for maps and an approximate area. The coastal decisions that differ between geometry",
        "and the third-party flag are in `coastal_decisions.csv`.",
        "",
        "Wikidata ids exist for 139 of the 179 counties and 10 of the 11 provinces (Jagang has none).",
        "",
        "| id | source | licence | attribution |",
        "| --- | --- | --- | --- |",
    ]
    for src in SOURCES:
        title = src["title"] + (f" <{src['url']}>" if src["url"] else "")
        lines.append(f"| {src['id']} | {title} | {src['licence']} | {src['attribution']} |")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _group_reasons(mats: list[tuple[str, str]]) -> str:
    groups: dict[str, list[str]] = {}
    for m, why in mats:
        groups.setdefault(why, []).append(m)
    return " | ".join(f"{', '.join(ms)}: {why}" for why, ms in groups.items())


def _default_provenance() -> list[dict[str, str]]:
    """Per-attribute default source (region_id '*'); per-region rows refine it."""
    d = [
        ("name", "census2008", "quoted", "census spelling as regrouped onto the geoBoundaries units"),
        ("population", "census2008", "quoted", ""),
        ("name_local", "korciv", "quoted", "third-party table, unverified"),
        ("aliases", "editorial;census2008", "quoted", "spelling variants in real sources"),
        ("wikidata", "wikidata", "quoted", ""),
        ("lon", "geoboundaries", "quoted", "label point of the boundary polygon"),
        ("lat", "geoboundaries", "quoted", "label point of the boundary polygon"),
        ("bbox", "geoboundaries", "quoted", "bounding box of the boundary polygon"),
        ("area_km2", "twentyten-derived;naturalearth;geoboundaries", "estimate",
         "area of the approximate cell: Voronoi cell of the county points, clipped to the Natural Earth outline and the county's bounding box (spherical area)"),
        ("coastal", "naturalearth;korciv", "derived", "see per-region rule"),
        ("physiography", "twentyten-derived", "derived", "see per-region rule"),
        ("raw_materials", "twentyten-derived", "derived", "see per-region rule"),
    ]
    return [{"region_id": "*", "attribute": a, "sources": s, "method": m, "rule": r} for a, s, m, r in d]


def _rounded(geom: dict) -> dict:
    """Coordinates rounded to 5 decimals (about 1 m); a sliver that rounding collapses to a
    line is dropped, so that every shape stays a valid polygon (the loader checks)."""
    from shapely.geometry import shape

    def rnd(x):
        if isinstance(x, (list, tuple)):
            return [rnd(v) for v in x]
        return round(x, 5)
    coords = rnd(geom["coordinates"])
    if geom["type"] == "MultiPolygon":
        kept = [c for c in coords if shape({"type": "Polygon", "coordinates": c}).is_valid]
        coords = kept or coords
    return {"type": geom["type"], "coordinates": coords}


def _write_csv(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--world-atlas", type=Path, default=None, help="countries-10m.json of npm world-atlas@2.0.2")
    ap.add_argument("--out", type=Path, default=OUT, help="output folder (default: the bundled data folder)")
    args = ap.parse_args()
    if not (args.shared / "data" / "dprk").is_dir():
        fail(f"{args.shared}/data/dprk not found (pass --shared)")
    args.out.mkdir(parents=True, exist_ok=True)
    build(args.shared, args.world_atlas, args.out)


if __name__ == "__main__":
    main()
