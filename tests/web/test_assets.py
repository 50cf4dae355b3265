"""The vendored browser libraries: each comes with its licence, at the version package-lock.json
pins, and the pages load nothing that is not in the package."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "src" / "twentyten" / "web" / "static" / "vendor"
TEMPLATES = ROOT / "src" / "twentyten" / "web" / "templates"


def test_every_vendored_library_has_its_licence():
    libs = [d for d in VENDOR.iterdir() if d.is_dir()]
    assert {d.name for d in libs} >= {"leaflet", "vega", "vega-lite", "vega-embed"}
    for d in libs:
        assert any(f.name.upper().startswith(("LICENSE", "LICENCE")) for f in d.iterdir()), d.name
    for d in (VENDOR / "vega-embed" / "bundled").iterdir():
        assert any(f.name.upper().startswith("LICEN") for f in d.iterdir()), d.name


def test_vendored_versions_are_the_pinned_ones():
    lock = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    pinned = json.loads((ROOT / "package.json").read_text())["dependencies"]
    for name, version in pinned.items():
        assert lock[f"node_modules/{name}"]["version"] == version, name
    head = (VENDOR / "leaflet" / "leaflet.js").read_text()[:300]
    assert f"Leaflet {pinned['leaflet']}" in head


def test_pages_reference_only_local_files():
    for t in TEMPLATES.glob("*.html"):
        for url in re.findall(r'(?:src|href)="([^"{]+)"', t.read_text()):
            assert url.startswith(("/", "#")) or url.startswith("https://example"), f"{t.name}: {url}"
