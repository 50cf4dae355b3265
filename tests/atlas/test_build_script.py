"""The build script regenerates the bundled files exactly, and refuses data that don't add up."""

from __future__ import annotations

import shutil
import subprocess
import sys

from twentyten.atlas import bundled_path


def _run(repo_dir, *args):
    return subprocess.run([sys.executable, str(repo_dir / "scripts/build_atlas.py"), *args],
                          capture_output=True, text=True)


def test_regenerates_bundled_files_byte_for_byte(repo_dir, shared_dir, tmp_path):
    r = _run(repo_dir, "--shared", str(shared_dir), "--out", str(tmp_path))
    assert r.returncode == 0, r.stderr
    for f in bundled_path("dprk").iterdir():
        assert (tmp_path / f.name).read_bytes() == f.read_bytes(), f.name


def test_fails_when_a_total_does_not_match(repo_dir, shared_dir, tmp_path):
    fake = tmp_path / "shared"
    shutil.copytree(shared_dir / "data" / "dprk", fake / "data" / "dprk")
    p = fake / "data/dprk/prk_census2008_adm2_population.csv"
    text = p.read_text(encoding="utf-8").replace("PRK-jagang-chosan,admin2,Chosan,Jagang,43614", "PRK-jagang-chosan,admin2,Chosan,Jagang,43615")
    p.write_text(text, encoding="utf-8")
    r = _run(repo_dir, "--shared", str(fake), "--out", str(tmp_path / "out"))
    assert r.returncode == 1
    assert "23,349,860" in r.stderr
