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
    """A term-group file that cannot be used; the message names the file and the key
    path (``groups.regional.any[2]``) and says why."""

    def __init__(self, source: str, message: str, path: str | None = None):
        super().__init__(f"{source}: {path}: {message}" if path else f"{source}: {message}")
        self.source = source
        self.path = path


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


def _terms(source: str, path: str, values: Sequence[str]) -> list[Term]:
    """The terms of a validated list, ``{a|b}`` expanded; ``path`` names the list."""
    out: list[Term] = []
    for i, item in enumerate(values):
        try:
            out.extend(Term.parse(v) for v in expand(item))
        except ValueError as exc:
            raise TermFileError(source, f"term {item!r}: {exc}", f"{path}[{i}]") from exc
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


_GROUP_NAME = r"^[A-Za-z][A-Za-z0-9_\-]*$"


def _flat(value: Any) -> Any:
    """A term list as written: one term, or a list whose items may be lists."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [x for item in value for x in (item if isinstance(item, list) else [item])]
    return value


def _schema():
    """The query-file schema (pydantic is imported when a file is read, not with the package)."""
    from typing import Annotated

    from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

    class GroupSpec(BaseModel):
        """One term group: ``any`` (at least one), ``all`` (every clause), ``not`` (none)."""

        model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)

        label: str | None = None
        any: list[str] = Field(default_factory=list)
        all: list[list[str]] = Field(default_factory=list)
        not_: list[str] = Field(default_factory=list, alias="not")
        exact_spacing: bool = False
        notes: str = ""

        @field_validator("any", "not_", mode="before")
        @classmethod
        def _term_list(cls, v: Any) -> Any:
            return _flat(v)

        @field_validator("all", mode="before")
        @classmethod
        def _clauses(cls, v: Any) -> Any:
            if isinstance(v, list):
                return [_flat(c) for c in v]
            return v

    GroupName = Annotated[str, StringConstraints(pattern=_GROUP_NAME)]

    class QueryFile(BaseModel):
        """A media query file: named term groups and the milestone words of ``mentions``."""

        model_config = ConfigDict(extra="forbid", strict=True)

        groups: dict[GroupName, GroupSpec] = Field(min_length=1)
        milestones: list[str] = Field(default_factory=list)

        @field_validator("groups", mode="before")
        @classmethod
        def _plain_lists(cls, v: Any) -> Any:
            # `regional: [지방공업, 지방경제]` is short for `regional: {any: [...]}`
            if isinstance(v, Mapping):
                return {k: {"any": g} if isinstance(g, list | str) else g for k, g in v.items()}
            return v

        @field_validator("milestones", mode="before")
        @classmethod
        def _milestone_list(cls, v: Any) -> Any:
            return _flat(v)

    return QueryFile


def _reason(err: Mapping[str, Any]) -> str:
    kind, msg = err["type"], err["msg"]
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return "required key is missing"
    if kind in ("model_type", "dict_type"):
        return f"expected a mapping, got {type(err['input']).__name__}"
    if kind == "too_short":
        return "needs at least one group"
    if kind == "string_pattern_mismatch":
        return f"group name {err['input']!r}: names are letters, digits, _ and -, starting with a letter"
    if "input" in err and kind.endswith("_type"):
        return f"{msg}, got {type(err['input']).__name__} {err['input']!r}"
    return msg


def parse_groups(data: Any, source: str) -> GroupFile:
    """Build a :class:`GroupFile` from parsed YAML/TOML data, validated by the query-file
    schema: unknown keys and wrong types are errors naming the key path."""
    from pydantic import ValidationError

    from twentyten.schema_errors import key_path

    try:
        spec = _schema().model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        found = "; ".join(f"{key_path(e['loc'])}: {_reason(e)}" for e in errors[:5])
        more = f"; and {len(errors) - 5} more" if len(errors) > 5 else ""
        raise TermFileError(source, found + more) from None
    groups: dict[str, Group] = {}
    for name, g in spec.groups.items():
        at = f"groups.{name}"
        any_terms, redundant = _drop_redundant(
            _terms(source, f"{at}.any", g.any), not g.exact_spacing
        )
        all_terms = []
        for i, clause in enumerate(g.all):
            terms = tuple(_terms(source, f"{at}.all[{i}]", clause))
            if not terms:
                raise TermFileError(source, "an empty clause can never match", f"{at}.all[{i}]")
            all_terms.append(terms)
        none_terms = tuple(_terms(source, f"{at}.not", g.not_))
        if not any_terms and not all_terms:
            raise TermFileError(source, "a group needs at least one term in 'any' or 'all'", at)
        groups[name] = Group(
            name=name,
            label=g.label if g.label is not None else name,
            any=any_terms,
            all=tuple(all_terms),
            none=none_terms,
            exact_spacing=g.exact_spacing,
            notes=g.notes,
            redundant=redundant,
        )
    milestones = tuple(_terms(source, "milestones", spec.milestones))
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
    import tomllib

    import yaml

    try:
        data = tomllib.loads(raw) if path.suffix.lower() == ".toml" else yaml.safe_load(raw)
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        # the parser's own message names line and column
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
