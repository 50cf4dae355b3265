"""Programme membership is data: which cities and counties are programme sites, and why."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from twentyten.atlas import load_atlas
from twentyten.atlas.loader import bundled_path
from twentyten.atlas.programme import MEMBERSHIP_FILE, MembershipError, members
from twentyten.cli import cli


def test_pyongyang_proper_is_not_a_site_and_its_counties_are():
    m = members(bundled_path("dprk"))
    assert len(m) == len(load_atlas().counties())
    assert not m["PRK-pyongyang-pyongyang"].member and "capital" in m["PRK-pyongyang-pyongyang"].reason
    assert not m["PRK-pyongyang-unjong-dist"].member
    assert m["PRK-pyongyang-kangdong"].member and m["PRK-pyongyang-kangdong"].source.startswith("https://")
    assert sum(not x.member for x in m.values()) == 2
    assert all(x.reason and x.source for x in m.values())


def test_design_all_leaves_out_non_members_and_says_why():
    r = CliRunner().invoke(cli, ["design", "--all", "--format", "json"], catch_exceptions=False)
    assert r.exit_code == 0, r.stderr
    ids = {d["county_id"] for d in json.loads(r.stdout)}
    assert "PRK-pyongyang-pyongyang" not in ids and "PRK-pyongyang-kangdong" in ids
    assert "not a programme site: Pyongyang" in r.stderr


def _copy(tmp_path, text):
    folder = tmp_path / "ds"
    shutil.copytree(bundled_path("dprk"), folder)
    (folder / MEMBERSHIP_FILE).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("region_id,member,reason,source\nPRK-nowhere,false,gone,x\n", "not a city or county"),
        ("region_id,member,reason,source\nPRK-pyongyang-kangdong,maybe,why,x\n", "true or false"),
        ("region_id,member,reason,source\nPRK-pyongyang-kangdong,false,,x\n", "reason is empty"),
        ("region_id,member,reason,source\nPRK-pyongyang-kangdong,false,a,x\nPRK-pyongyang-kangdong,true,b,x\n", "twice"),
        ("region_id,member,why,source\n", "columns"),
    ],
)
def test_a_bad_membership_file_is_refused(tmp_path, text, reason):
    folder = _copy(tmp_path, text)
    with pytest.raises(MembershipError, match=reason):
        members(folder)
    r = CliRunner().invoke(cli, ["design", "--all", "--dataset", str(folder), "--format", "csv"])
    assert r.exit_code == 2 and MEMBERSHIP_FILE in r.stderr and "Traceback" not in r.output


def test_without_the_file_every_county_is_a_member(tmp_path):
    folder = tmp_path / "ds"
    shutil.copytree(bundled_path("dprk"), folder)
    (folder / MEMBERSHIP_FILE).unlink()
    assert all(m.member for m in members(folder).values())
