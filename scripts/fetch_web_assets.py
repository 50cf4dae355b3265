"""Fetch the dashboard's browser libraries from npm at the versions pinned in
package-lock.json and copy the built files, each with its licence, into the package.

    python scripts/fetch_web_assets.py          # needs node + npm and the npm registry
    python scripts/fetch_web_assets.py --check  # exit 1 when the committed copies differ

The copies are committed, so ``pip install`` needs neither npm nor a network. axe-core is
for the browser tests only and goes under tests/web/vendor/.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "src" / "twentyten" / "web" / "static" / "vendor"
TEST_VENDOR = ROOT / "tests" / "web" / "vendor"

#: (npm package, files inside it, destination folder). Licences of the packages that
#: vega-embed bundles into its single file are copied with it.
FILES: tuple[tuple[str, tuple[str, ...], Path], ...] = (
    ("leaflet", ("dist/leaflet.js", "dist/leaflet.css", "LICENSE"), STATIC / "leaflet"),
    ("vega", ("build/vega.min.js", "LICENSE"), STATIC / "vega"),
    ("vega-lite", ("build/vega-lite.min.js", "LICENSE"), STATIC / "vega-lite"),
    ("vega-embed", ("build/vega-embed.min.js", "LICENSE"), STATIC / "vega-embed"),
    ("vega-tooltip", ("LICENSE",), STATIC / "vega-embed" / "bundled" / "vega-tooltip"),
    ("vega-themes", ("LICENSE",), STATIC / "vega-embed" / "bundled" / "vega-themes"),
    ("fast-json-patch", ("LICENSE",), STATIC / "vega-embed" / "bundled" / "fast-json-patch"),
    ("json-stringify-pretty-compact", ("LICENSE",), STATIC / "vega-embed" / "bundled" / "json-stringify-pretty-compact"),
    ("semver", ("LICENSE",), STATIC / "vega-embed" / "bundled" / "semver"),
    ("axe-core", ("axe.min.js", "LICENSE"), TEST_VENDOR / "axe-core"),
)


def _find(modules: Path, package: str) -> Path:
    direct = modules / package
    if direct.is_dir():
        return direct
    nested = sorted(modules.glob(f"*/node_modules/{package}"))
    if nested:
        return nested[0]
    raise SystemExit(f"package-lock.json: {package} was not installed; add it to package.json")


def install(workdir: Path) -> Path:
    for name in ("package.json", "package-lock.json"):
        shutil.copy2(ROOT / name, workdir / name)
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is not on PATH: install Node.js to refresh the vendored files")
    subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=workdir, check=True)
    return workdir / "node_modules"


def copy(modules: Path, check: bool) -> int:
    differ = 0
    for package, files, dest in FILES:
        src_root = _find(modules, package)
        for rel in files:
            src = src_root / rel
            if rel == "LICENSE" and not src.exists():  # LICENSE.md, LICENSE.txt, LICENCE ...
                found = sorted(src_root.glob("LICEN[CS]E*"))
                src = found[0] if found else src
            if not src.exists():
                raise SystemExit(f"{package}: {rel} is not in the npm package")
            target = dest / (src.name if rel == "LICENSE" else Path(rel).name)
            if check:
                if not target.exists() or not filecmp.cmp(src, target, shallow=False):
                    print(f"differs: {target.relative_to(ROOT)}", file=sys.stderr)
                    differ += 1
                continue
            dest.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(target.name + ".tmp")
            shutil.copy2(src, tmp)
            os.replace(tmp, target)  # whole or not at all
    return differ


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare with the committed copies, copy nothing")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        modules = install(Path(tmp))
        differ = copy(modules, args.check)
    if args.check:
        print(f"{differ} file(s) differ" if differ else "vendored files match package-lock.json", file=sys.stderr)
        return 1 if differ else 0
    print(f"copied into {STATIC.relative_to(ROOT)} and {TEST_VENDOR.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
