"""Programme membership: which cities and counties of a dataset are programme sites, and why.

A dataset folder may hold ``programme_membership.csv`` (region_id, member, reason, source).
A row with region_id ``*`` is the default for every city and county; other rows name one
region each. Without the file every city and county is a member.

>>> from twentyten.atlas.loader import bundled_path
>>> m = members(bundled_path("dprk"))
>>> m["PRK-pyongyang-kangdong"].member, m["PRK-pyongyang-pyongyang"].member
(True, False)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from twentyten.schema_errors import exact_csv_rows

MEMBERSHIP_FILE = "programme_membership.csv"
COLUMNS = ("region_id", "member", "reason", "source")


class MembershipError(ValueError):
    """The membership file cannot be read: the file, the line and the reason."""


@dataclass(frozen=True)
class Membership:
    """Whether a region is a programme site, why, and where that comes from."""

    member: bool
    reason: str
    source: str


_DEFAULT = Membership(True, "every city and county is a site (no programme_membership.csv in the dataset)", "")


def members(dataset_dir: str | Path) -> dict[str, Membership]:
    """Membership of every city and county of the dataset, keyed by region id.

    Raises :class:`MembershipError` for a malformed file, an unknown region id or a
    region listed twice.
    """
    from twentyten.atlas.loader import load_atlas

    folder = Path(dataset_dir)
    counties = [r.id for r in load_atlas(folder).counties()]
    path = folder / MEMBERSHIP_FILE
    if not path.exists():
        return dict.fromkeys(counties, _DEFAULT)
    default, rows = _read(path, set(counties))
    return {rid: rows.get(rid, default) for rid in counties}


def _read(path: Path, known: set[str]) -> tuple[Membership, dict[str, Membership]]:
    rows: dict[str, Membership] = {}
    default = _DEFAULT
    for line, row in exact_csv_rows(path, COLUMNS, MembershipError):
        rid, flag, reason = row["region_id"].strip(), row["member"].strip().lower(), row["reason"].strip()
        if flag not in ("true", "false"):
            raise MembershipError(f"{path}:{line}: member {row['member']!r} must be true or false")
        if not reason:
            raise MembershipError(f"{path}:{line}: reason is empty; say why the region is or is not a site")
        m = Membership(flag == "true", reason, row["source"].strip())
        if rid == "*":
            default = m
            continue
        if rid not in known:
            raise MembershipError(f"{path}:{line}: region_id {rid!r} is not a city or county of the dataset")
        if rid in rows:
            raise MembershipError(f"{path}:{line}: region_id {rid!r} is listed twice")
        rows[rid] = m
    return default, rows
