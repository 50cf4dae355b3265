"""Candidate evidence for the tracker: articles naming a county with a milestone word.

An article qualifies when it names the county (any of its spellings) and a
milestone word (착공 ground-breaking, 준공 completion, inauguration...). These are
candidates for a person to confirm, not evidence by themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from twentyten.media.store import ArticleFilter, MediaStore
from twentyten.media.terms import Term

SNIPPET_CHARS = 90


@dataclass(frozen=True)
class MentionQuery:
    names: tuple[str, ...]
    milestones: tuple[Term, ...]
    where: ArticleFilter = field(default_factory=ArticleFilter)
    limit: int | None = 50
    space_tolerant: bool = True
    within: int | None = None  # keep only articles with a pair at most this many characters apart


@dataclass(frozen=True)
class Mention:
    article_id: int
    date: date
    outlet: str
    title: str
    link: str | None
    county_term: str
    milestones: tuple[str, ...]
    distance: int  # characters between the closest county name and milestone word
    snippet: str

    def as_row(self) -> dict[str, Any]:
        return {
            "date": str(self.date),
            "outlet": self.outlet,
            "title": self.title,
            "county": self.county_term,
            "milestones": list(self.milestones),
            "distance": self.distance,
            "snippet": self.snippet,
            "link": self.link or "",
        }


@dataclass(frozen=True)
class CountyNames:
    """The spellings to search for a county, and what the atlas said about it.

    ``note`` is empty when the atlas knew the county (or was not asked); otherwise it
    says that the name is unknown (with the closest names) or ambiguous (with the
    counties it could mean), so that a user is not left guessing why no Korean name
    was added.
    """

    names: tuple[str, ...]
    note: str = ""


def _describe_region(atlas: Any, region: Any) -> str:
    province = atlas.province_of(region) if hasattr(atlas, "province_of") else None
    local = getattr(region, "name_local", "")
    where = f", {province.name}" if province is not None else ""
    return f"{region.name}{where}" + (f" ({local})" if local else "")


def _atlas_lookup(county: str) -> tuple[tuple[str, ...], str]:
    try:
        from twentyten.atlas import AmbiguousRegion, UnknownRegion, load_atlas
    except ImportError:
        return (), ""
    atlas = load_atlas()
    try:
        region = atlas.find(county)
    except AmbiguousRegion as exc:
        options = "; ".join(_describe_region(atlas, r) for r in exc.matches)
        return (), (
            f"{county!r} names {len(exc.matches)} counties: {options}. Searching the name as "
            "given finds all of them; pass the local name or --variant to pick one"
        )
    except UnknownRegion as exc:
        close = ", ".join(_describe_region(atlas, r) for r in exc.suggestions)
        return (), (
            f"{county!r} is not in the atlas"
            + (f"; closest: {close}" if close else " and no name is close to it")
            + ". Searching the name as given"
        )
    names = tuple(
        n
        for n in (
            getattr(region, "name", ""),
            getattr(region, "name_local", ""),
            *getattr(region, "aliases", ()),
        )
        if n
    )
    given = " ".join(county.split()).lower()
    # the atlas tolerates spelling variants: say which county a loose spelling became
    note = (
        ""
        if given in {n.lower() for n in names} or given == getattr(region, "id", "").lower()
        else f"{county!r} read as {_describe_region(atlas, region)}"
    )
    return names, note


def atlas_names(county: str) -> tuple[str, ...]:
    """The county's names from the atlas (romanised, local script, aliases), or ()
    when the atlas is not installed or does not know the county unambiguously."""
    return _atlas_lookup(county)[0]


def resolve_county(
    county: str, variants: Sequence[str] = (), use_atlas: bool = True
) -> CountyNames:
    """The spellings to search for: the given name, explicit variants, then the atlas's.

    >>> resolve_county("Kimhwa").names  # doctest: +SKIP
    ('Kimhwa', '김화군')
    """
    from_atlas, note = _atlas_lookup(county) if use_atlas else ((), "")
    out: list[str] = []
    for n in (county, *variants, *from_atlas):
        n = " ".join(n.split())
        if n and n.lower() not in {o.lower() for o in out}:
            out.append(n)
    return CountyNames(tuple(out), note)


def county_names(
    county: str, variants: Sequence[str] = (), use_atlas: bool = True
) -> tuple[str, ...]:
    """The spellings to search for (see :func:`resolve_county`)."""
    return resolve_county(county, variants, use_atlas).names


def find_mentions(store: MediaStore, query: MentionQuery) -> list[Mention]:
    """Articles in ``store`` that name the county together with a milestone word."""
    names = {Term.parse(n): n for n in query.names}
    if not names or not query.milestones:
        return []
    st = query.space_tolerant
    rows = store.articles_matching(
        list(names),
        query.milestones,
        query.where,
        None if query.within is not None else query.limit,
        st,
    )
    found = [_mention(r, names, query.milestones, st) for r in rows]
    if query.within is not None:
        found = [m for m in found if m.distance <= query.within][: query.limit or None]
    return found


def _mention(
    row: dict[str, Any], names: dict[Term, str], milestones: Sequence[Term], st: bool
) -> Mention:
    body: str = row["body"]
    county_hits = [
        (m.start(), m.end(), name)
        for t, name in names.items()
        for m in t.compiled(st).finditer(body)
    ]
    mile_hits = [
        (m.start(), m.end(), t.text) for t in milestones for m in t.compiled(st).finditer(body)
    ]
    best = min(
        ((abs(c[0] - m[0]), c, m) for c in county_hits for m in mile_hits),
        key=lambda x: x[0],
    )
    dist, c, m = best
    lo = max(0, min(c[0], m[0]) - SNIPPET_CHARS // 2)
    hi = min(len(body), max(c[1], m[1]) + SNIPPET_CHARS // 2)
    snippet = " ".join(body[lo:hi].split())
    return Mention(
        article_id=row["id"],
        date=row["date"],
        outlet=row["outlet"],
        title=row["title"],
        link=row["link"],
        county_term=c[2],
        milestones=tuple(dict.fromkeys(h[2] for h in sorted(mile_hits))),
        distance=dist,
        snippet=("…" if lo > 0 else "") + snippet + ("…" if hi < len(body) else ""),
    )
