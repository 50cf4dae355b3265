"""The :class:`Atlas`: regions of one country, queried by id or by a tolerant name."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from twentyten.atlas import names
from twentyten.domain.region import Level, Region, Source


class UnknownRegion(LookupError):
    """No region matches; ``suggestions`` holds the closest names."""

    def __init__(self, query: str, suggestions: list[Region]):
        self.query, self.suggestions = query, suggestions
        hint = ""
        if suggestions:
            hint = "; closest: " + ", ".join(f"{r.name} ({r.id})" for r in suggestions)
        super().__init__(f"no region matches {query!r}{hint}")


class AmbiguousRegion(LookupError):
    """Several regions match; ``matches`` lists them (narrow with the province)."""

    def __init__(self, query: str, matches: list[Region]):
        self.query, self.matches = query, matches
        super().__init__(f"{query!r} matches {len(matches)} regions: " + ", ".join(f"{r.name} ({r.id})" for r in matches))


@dataclass(frozen=True)
class Atlas:
    regions: tuple[Region, ...]
    sources: Mapping[str, Source] = field(default_factory=dict)
    folder: Path | None = None
    geojson: Path | None = None
    name_rules: names.NameRules = names.DEFAULT_RULES

    # ------------------------------------------------------------------ access
    @cached_property
    def _by_id(self) -> dict[str, Region]:
        return {r.id: r for r in self.regions}

    def __iter__(self) -> Iterator[Region]:
        return iter(self.regions)

    def __len__(self) -> int:
        return len(self.regions)

    def get(self, region_id: str) -> Region:
        try:
            return self._by_id[region_id]
        except KeyError:
            raise UnknownRegion(region_id, self.suggest(region_id)) from None

    def provinces(self) -> tuple[Region, ...]:
        return tuple(r for r in self.regions if r.level == Level.PROVINCE)

    def counties(self, province: str | None = None) -> tuple[Region, ...]:
        """Counties, optionally of one province (given by id or name)."""
        out = tuple(r for r in self.regions if r.level == Level.COUNTY)
        if province is not None:
            pid = self.find(province, level=Level.PROVINCE).id
            out = tuple(r for r in out if r.parent_id == pid)
        return out

    def province_of(self, region: Region) -> Region | None:
        return self._by_id.get(region.parent_id) if region.parent_id else None

    # ------------------------------------------------------------------ names
    @cached_property
    def _name_index(self) -> dict[str, list[str]]:
        idx: dict[str, list[str]] = {}

        def add(key: str, rid: str) -> None:
            if key and rid not in idx.setdefault(key, []):
                idx[key].append(rid)

        for r in self.regions:
            for n in (r.name, *r.aliases):
                add(names.fold(n, self.name_rules), r.id)
                add("~" + names.fold_variants(n, self.name_rules), r.id)
            if r.name_local:
                k = names.local_key(r.name_local)
                add(k, r.id)
                for suf in self.name_rules.local_suffixes:
                    if k.endswith(suf) and len(k) > len(suf) + 1:
                        add(k[: -len(suf)], r.id)
                        break
        return idx

    def find(self, query: str, *, province: str | None = None, level: Level | None = None) -> Region:
        """The one region whose id, name, alias or local name matches ``query``.

        Tolerates romanisation variants and a trailing "City"/"County". Raises
        :class:`UnknownRegion` with the closest names, or :class:`AmbiguousRegion`.
        """
        q = query.strip()
        if q in self._by_id:
            return self._by_id[q]
        key = names.local_key(q) if names.is_local_script(q) else names.fold(q, self.name_rules)
        ids = list(self._name_index.get(key, []))
        if not ids and not names.is_local_script(q):
            ids = list(self._name_index.get("~" + names.fold_variants(q, self.name_rules), []))
        if not ids and names.is_local_script(q):
            for suf in self.name_rules.local_suffixes:
                if key.endswith(suf):
                    ids = list(self._name_index.get(key[: -len(suf)], []))
                    break
        found = [self._by_id[i] for i in ids]
        if level is not None:
            found = [r for r in found if r.level == level]
        if province is not None and found:
            pid = self.find(province, level=Level.PROVINCE).id
            found = [r for r in found if r.parent_id == pid or r.id == pid]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            exact = [r for r in found if r.name.lower() == q.lower()]
            if len(exact) == 1:
                return exact[0]
            by_name = [r for r in found if names.fold(r.name, self.name_rules) == key]
            if len(by_name) == 1:  # a unit's own name outranks another unit's alias
                return by_name[0]
            counties = [r for r in found if r.level == Level.COUNTY]
            if len(counties) == 1 and len(found) - 1 == sum(1 for r in found if r.level == Level.PROVINCE):
                return counties[0]  # a city and the province named after it: the city
            raise AmbiguousRegion(query, found)
        suggestions = self.suggest(query, n=20)
        if level is not None:
            suggestions = [r for r in suggestions if r.level == level]
        raise UnknownRegion(query, suggestions[:5])

    def suggest(self, query: str, n: int = 5) -> list[Region]:
        key = names.local_key(query) if names.is_local_script(query) else names.fold(query, self.name_rules)
        index = {k: v for k, v in self._name_index.items() if not k.startswith("~")}
        return [self._by_id[i] for i in names.closest(key, index, n)]

    # ------------------------------------------------------------------ summaries
    def summary(self) -> list[dict[str, Any]]:
        """Counts and totals by province (and a national row)."""
        rows = []
        for p in self.provinces():
            cs = [c for c in self.counties() if c.parent_id == p.id]
            rows.append({
                "province": p.name,
                "counties": len(cs),
                "population": sum(c.population or 0 for c in cs),
                "coastal": sum(1 for c in cs if c.coastal),
                "area_km2": round(sum(c.area_km2 or 0 for c in cs), 0),
            })
        cs = self.counties()
        rows.append({
            "province": "Total",
            "counties": len(cs),
            "population": sum(c.population or 0 for c in cs),
            "coastal": sum(1 for c in cs if c.coastal),
            "area_km2": round(sum(c.area_km2 or 0 for c in cs), 0),
        })
        return rows

    def record(self, region: Region) -> dict[str, Any]:
        """One region as a JSON-ready object: attributes, each with its source."""
        prov = self.province_of(region)
        values: dict[str, Any] = {
            "name": region.name, "name_local": region.name_local, "aliases": list(region.aliases),
            "wikidata": region.wikidata, "population": region.population,
            "lon": region.lon, "lat": region.lat, "bbox": list(region.bbox) if region.bbox else None,
            "area_km2": region.area_km2, "coastal": region.coastal, "physiography": region.physiography,
            "raw_materials": list(region.raw_materials),
        }
        attributes = {}
        for k, v in values.items():
            if v in (None, "", []):
                continue
            attributes[k] = {"value": v, **(region.provenance[k].as_dict() if k in region.provenance else {})}
        return {
            "id": region.id,
            "level": str(region.level),
            "name": region.name,
            "province": prov.name if prov else None,
            "parent_id": region.parent_id,
            "attributes": attributes,
        }

    def flat(self, region: Region) -> dict[str, Any]:
        """One region as a flat row (for tables and CSV)."""
        prov = self.province_of(region)
        return {
            "id": region.id, "level": str(region.level), "name": region.name, "name_local": region.name_local,
            "province": prov.name if prov else "", "population": region.population,
            "area_km2": region.area_km2, "coastal": region.coastal, "physiography": region.physiography,
            "raw_materials": ";".join(region.raw_materials), "lon": region.lon, "lat": region.lat,
            "wikidata": region.wikidata,
        }

    # ------------------------------------------------------------------ geometry
    def shapes(self) -> dict[str, dict[str, Any]]:
        """GeoJSON geometry by region id (empty when the dataset has none)."""
        if self.geojson is None:
            return {}
        data = json.loads(self.geojson.read_text(encoding="utf-8"))
        return {f["properties"]["id"]: f for f in data["features"]}

    def outline(self) -> dict[str, Any] | None:
        """The national outline and coast (bundled Natural Earth extraction), if present."""
        if self.folder is None:
            return None
        p = self.folder / "outline.geojson"
        return json.loads(p.read_text(encoding="utf-8")) if p.exists() else None

    def to_geojson(self, regions: list[Region] | None = None) -> dict[str, Any]:
        """Regions as GeoJSON features: approximate shapes where present, else points."""
        shapes = self.shapes()
        feats = []
        for r in regions if regions is not None else self.regions:
            geom = shapes[r.id]["geometry"] if r.id in shapes else (
                {"type": "Point", "coordinates": [r.lon, r.lat]} if r.lon is not None else None)
            props = self.flat(r)
            props["geometry_approximate"] = r.id in shapes and bool(shapes[r.id]["properties"].get("approximate"))
            feats.append({"type": "Feature", "properties": props, "geometry": geom})
        return {"type": "FeatureCollection", "features": feats}
