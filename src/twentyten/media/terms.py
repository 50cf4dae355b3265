"""Term groups: what counts as an article "on" a topic.

A group lists terms; an article matches when it contains any ``any`` term, every
``all`` clause and no ``not`` term. Each term is compiled to a regular expression
that both Python's :mod:`re` and DuckDB's RE2 accept, so the store and the pure
Python reference agree.

Variant rules
-------------
- **Space-tolerant (default).** Optional whitespace is allowed between adjacent
  Hangul syllables and wherever the term has a space: ``지방공업`` also matches
  ``지방 공업`` and ``지방\\n공업``; ``regional industry`` matches ``regional  industry``.
  Whitespace is never inserted inside a Latin word.
- **Exact spacing.** The term must appear as written (after NFKC, case-insensitive).
- **Orthography and synonyms are explicit.** ``{로|노}동`` expands to ``로동`` and
  ``노동``; ``{defence|defense} industr`` to two terms. North/South spelling is never
  rewritten automatically, because the initial-sound rule applies only to some
  word-initial Sino-Korean syllables.
- Matching is by substring, so particles (``지방공업을``) and plurals
  (``industr`` → industry, industries) are found without tokenising.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from twentyten.media.normalise import normalise_text

_ALTERNATION = re.compile(r"\{([^{}]*)\}")
_REGEX_SPECIAL = set(r"\.^$|?*+()[]{}-/#&~")
_WS = r"\s*"


class TermFileError(ValueError):
    """A term-group file that cannot be used; the message names file, group and key."""

    def __init__(self, source: str, message: str, group: str | None = None, key: str | None = None):
        where = source
        if group is not None:
            where += f": group {group!r}"
        if key is not None:
            where += f", key {key!r}"
        super().__init__(f"{where}: {message}")
        self.source = source
        self.group = group
        self.key = key


def _is_hangul(ch: str) -> bool:
    return "\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff" or "\u3130" <= ch <= "\u318f"


def _escape(ch: str) -> str:
    return "\\" + ch if ch in _REGEX_SPECIAL else ch


@dataclass(frozen=True)
class Term:
    """One literal term after NFKC, lower-casing and whitespace collapsing.

    >>> Term.parse("지방공업").pattern(space_tolerant=True)
    '지\\\\s*방\\\\s*공\\\\s*업'
    """

    text: str

    @classmethod
    def parse(cls, raw: str) -> Term:
        text = " ".join(normalise_text(raw).lower().split())
        if not text:
            raise ValueError("empty term")
        return cls(text)

    @property
    def cased(self) -> bool:
        return any(c.lower() != c.upper() for c in self.text)

    def pattern(self, space_tolerant: bool = True) -> str:
        """Regular expression (RE2 and Python ``re`` compatible) for this term."""
        out: list[str] = []
        prev = ""
        for ch in self.text:
            if ch == " ":
                out.append(_WS if space_tolerant else " ")
            else:
                if space_tolerant and prev and _is_hangul(prev) and _is_hangul(ch):
                    out.append(_WS)
                out.append(_escape(ch))
            prev = ch
        body = "".join(out)
        return "(?i)" + body if self.cased else body

    def compiled(self, space_tolerant: bool = True) -> re.Pattern[str]:
        return _compile(self.pattern(space_tolerant))

    def count(self, text: str, space_tolerant: bool = True) -> int:
        """Non-overlapping occurrences in ``text`` (already normalised)."""
        return sum(1 for _ in self.compiled(space_tolerant).finditer(text))


_CACHE: dict[str, re.Pattern[str]] = {}


def _compile(pattern: str) -> re.Pattern[str]:
    p = _CACHE.get(pattern)
    if p is None:
        p = _CACHE[pattern] = re.compile(pattern)
    return p


def expand(raw: str) -> list[str]:
    """Expand ``{a|b}`` alternations into every combination.

    >>> expand("{regional|local} industr")
    ['regional industr', 'local industr']
    """
    parts = _ALTERNATION.split(raw)
    # split() alternates literal, group, literal, group, ...
    choices = [[p] if i % 2 == 0 else p.split("|") for i, p in enumerate(parts)]
    if any("{" in p or "}" in p for p in parts[::2]):
        raise ValueError(f"unbalanced braces in {raw!r}")
    if any(not c.strip() for alts in choices[1::2] for c in alts):
        # {로|}동 would expand to 동, which matches almost every Korean text
        raise ValueError(f"empty alternative in {raw!r}; write each spelling out in full")
    return ["".join(c) for c in itertools.product(*choices)]


@dataclass(frozen=True)
class Group:
    """A named term group with boolean structure.

    ``any``: at least one must occur (when given); ``all``: every clause must occur,
    each clause being alternatives; ``none``: no term may occur (the file key is ``not``).
    """

    name: str
    label: str = ""
    any: tuple[Term, ...] = ()
    all: tuple[tuple[Term, ...], ...] = ()
    none: tuple[Term, ...] = ()
    exact_spacing: bool = False
    notes: str = ""
    redundant: tuple[str, ...] = field(default=(), compare=False)

    @property
    def positive_terms(self) -> tuple[Term, ...]:
        """Terms whose occurrences are counted: the ``any`` terms and the ``all`` clauses."""
        return self.any + tuple(t for clause in self.all for t in clause)

    def spacing(self, space_tolerant: bool) -> bool:
        """Whether this group matches space-tolerantly under a run-wide setting."""
        return space_tolerant and not self.exact_spacing

    def matches(self, text: str, space_tolerant: bool = True) -> bool:
        """Pure-Python reference for the store's SQL: does a normalised text match?"""
        st = self.spacing(space_tolerant)
        if self.any and not any(t.compiled(st).search(text) for t in self.any):
            return False
        if not all(any(t.compiled(st).search(text) for t in clause) for clause in self.all):
            return False
        return not any(t.compiled(st).search(text) for t in self.none)

    def occurrences(self, text: str, space_tolerant: bool = True) -> int:
        """Occurrences of the positive terms in ``text`` (0 when the group does not match)."""
        if not self.matches(text, space_tolerant):
            return 0
        st = self.spacing(space_tolerant)
        return sum(t.count(text, st) for t in self.positive_terms)

    def describe(self) -> str:
        parts = []
        if self.any:
            parts.append(" OR ".join(t.text for t in self.any))
        for clause in self.all:
            parts.append("(" + " OR ".join(t.text for t in clause) + ")")
        text = " AND ".join(f"({p})" if " OR " in p and len(parts) > 1 else p for p in parts)
        if self.none:
            text += " AND NOT (" + " OR ".join(t.text for t in self.none) + ")"
        return text


@dataclass(frozen=True)
class GroupFile:
    """All groups of one query file, plus the milestone words used by ``mentions``."""

    source: str
    groups: Mapping[str, Group]
    milestones: tuple[Term, ...] = ()

    def select(self, names: Iterable[str]) -> list[Group]:
        out = []
        for name in names:
            if name not in self.groups:
                import difflib

                known = ", ".join(sorted(self.groups))
                close = difflib.get_close_matches(name, list(self.groups), n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                raise TermFileError(self.source, f"no group {name!r}; {hint}known groups: {known}")
            out.append(self.groups[name])
        return out


def _terms(source: str, group: str, key: str, value: Any) -> list[Term]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise TermFileError(
            source, f"expected a list of terms, got {type(value).__name__}", group, key
        )
    out: list[Term] = []
    for item in value:
        if isinstance(item, list):
            out.extend(_terms(source, group, key, item))
            continue
        if not isinstance(item, str):
            raise TermFileError(source, f"term {item!r} is not text", group, key)
        try:
            out.extend(Term.parse(v) for v in expand(item))
        except ValueError as exc:
            raise TermFileError(source, f"term {item!r}: {exc}", group, key) from exc
    return out


def _drop_redundant(
    terms: Sequence[Term], space_tolerant: bool
) -> tuple[tuple[Term, ...], tuple[str, ...]]:
    """Drop duplicates and terms that contain another term of the same list.

    ``local industry`` is dropped when ``local industr`` is listed: every match of the
    longer is a match of the shorter, and counting both would count one mention twice.
    """
    kept: list[Term] = []
    dropped: list[str] = []
    for t in terms:
        if t in kept:
            continue
        kept.append(t)
    final = []
    for t in kept:
        shadow = [o for o in kept if o != t and o.compiled(space_tolerant).search(t.text)]
        if shadow:
            dropped.append(f"{t.text} (covered by {shadow[0].text})")
        else:
            final.append(t)
    return tuple(final), tuple(dropped)


_GROUP_KEYS = {"label", "any", "all", "not", "exact_spacing", "notes"}


def parse_groups(data: Any, source: str) -> GroupFile:
    """Build a :class:`GroupFile` from parsed YAML/TOML data."""
    if not isinstance(data, Mapping) or "groups" not in data:
        raise TermFileError(source, "expected a mapping with a top-level 'groups' key")
    raw_groups = data["groups"]
    if not isinstance(raw_groups, Mapping) or not raw_groups:
        raise TermFileError(source, "'groups' must map group names to definitions", key="groups")
    groups: dict[str, Group] = {}
    for name, spec in raw_groups.items():
        name = str(name)
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_\-]*", name):
            raise TermFileError(source, "group names are letters, digits, _ and -", group=name)
        if isinstance(spec, list):
            spec = {"any": spec}
        if not isinstance(spec, Mapping):
            raise TermFileError(
                source, "a group is a mapping (label, any, all, not) or a list of terms", name
            )
        unknown = set(spec) - _GROUP_KEYS
        if unknown:
            raise TermFileError(
                source,
                f"unknown key(s); allowed: {', '.join(sorted(_GROUP_KEYS))}",
                name,
                sorted(unknown)[0],
            )
        exact = spec.get("exact_spacing", False)
        if not isinstance(exact, bool):
            raise TermFileError(source, "must be true or false", name, "exact_spacing")
        any_terms, redundant = _drop_redundant(
            _terms(source, name, "any", spec.get("any", [])), not exact
        )
        all_raw = spec.get("all", [])
        if not isinstance(all_raw, list):
            raise TermFileError(source, "expected a list of clauses", name, "all")
        all_terms = tuple(tuple(_terms(source, name, "all", clause)) for clause in all_raw)
        if any(not clause for clause in all_terms):
            raise TermFileError(source, "an empty clause can never match", name, "all")
        none_terms = tuple(_terms(source, name, "not", spec.get("not", [])))
        if not any_terms and not all_terms:
            raise TermFileError(source, "a group needs at least one term in 'any' or 'all'", name)
        groups[name] = Group(
            name=name,
            label=str(spec.get("label", name)),
            any=any_terms,
            all=all_terms,
            none=none_terms,
            exact_spacing=exact,
            notes=str(spec.get("notes", "")),
            redundant=redundant,
        )
    milestones = tuple(_terms(source, "milestones", "milestones", data.get("milestones", [])))
    return GroupFile(source=source, groups=groups, milestones=milestones)


def load_groups(path: str | Path) -> GroupFile:
    """Read a term-group file (``.yaml``/``.yml`` or ``.toml``).

    Example file::

        groups:
          regional:
            label: Regional industry
            any: [지방공업, 지방경제, "{regional|local} industr"]
            not: [군수공업]
    """
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise TermFileError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    try:
        if path.suffix.lower() == ".toml":
            import tomllib

            data = tomllib.loads(raw)
        else:
            import yaml

            data = yaml.safe_load(raw)
    except Exception as exc:  # the parser's own message names line and column
        raise TermFileError(str(path), f"cannot parse: {exc}") from exc
    return parse_groups(data, str(path))


def bundled_groups() -> GroupFile:
    """The groups shipped with twentyten (``twentyten/media/groups.yaml``)."""
    from importlib.resources import files

    import yaml

    resource = files("twentyten.media") / "groups.yaml"
    return parse_groups(
        yaml.safe_load(resource.read_text(encoding="utf-8")), "groups.yaml (bundled)"
    )
