"""Sentences a service writes for people, kept translatable.

A :class:`Msg` is a ``str`` (its English text, so the CLI, JSON and every caller that reads
it as text see exactly what they saw before) that also keeps its *template* and *named
parameters*. The template is the gettext message id; a face that speaks another language
renders the message again through its catalogue (:meth:`Msg.render`), and the numbers are
formatted by the template's own format specs, the same in every language.

>>> m = Msg("{row} is full ({used:.0f} of {limit:.0f})", row="year-cap[factory,2027]", used=40.0, limit=40.0)
>>> m
'year-cap[factory,2027] is full (40 of 40)'
>>> m.render({"{row} is full ({used:.0f} of {limit:.0f})": "{row}: 가득 참 ({limit:.0f} 중 {used:.0f})"}.get)
'year-cap[factory,2027]: 가득 참 (40 중 40)'

Parameters are numbers (formatted by the spec), other messages (rendered through the same
catalogue) or strings (data such as names and row ids, shown as given). A template built
elsewhere than in the ``Msg(...)`` call is marked for extraction with :func:`N_`
(``pybabel extract -k Msg -k N_``).
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

Gettext = Callable[[str], str]
_TEMPLATE = " template"  # not an identifier: no format field can be named so


def N_(template: str) -> str:
    """Mark ``template`` as a message id for extraction; returns it unchanged."""
    return template


class _Filler(string.Formatter):
    def __init__(self, gettext: Gettext | None):
        self.gettext = gettext

    def format_field(self, value: Any, format_spec: str) -> Any:
        if isinstance(value, Msg):
            return value.render(self.gettext)
        return format(value, format_spec)


class Msg(str):
    """A sentence: its English text (the string itself), ``template`` and ``params``.

    The parameters are fixed when the message is made (``params`` is read-only)."""

    def __new__(cls, template: str, /, **params: Any) -> Msg:
        # the English text: str.format is enough (a Msg parameter formats as its English text)
        self = super().__new__(cls, template.format_map(params))
        # the parameters are the instance's own dict, the template under a key no field can
        # have: a design makes tens of thousands of messages, and each object more is garbage
        # collector work for the rest of the run
        params[_TEMPLATE] = template
        self.__dict__ = params
        return self

    @property
    def template(self) -> str:
        """The message id: the English sentence with ``{name:spec}`` fields."""
        return self.__dict__[_TEMPLATE]

    @property
    def params(self) -> Mapping[str, Any]:
        """The named parameters (a read-only copy)."""
        return MappingProxyType({k: v for k, v in self.__dict__.items() if k != _TEMPLATE})

    def __getnewargs_ex__(self) -> tuple[tuple[str], dict[str, Any]]:
        return (self.template,), dict(self.params)

    def __reduce__(self):  # pickling and copying rebuild the message from its parts
        return (_rebuild, (self.template, dict(self.params)))

    def render(self, gettext: Gettext | None = None) -> str:
        """The sentence through ``gettext``: the template looked up, then filled (English without one)."""
        template = gettext(self.template) if gettext is not None else self.template
        return _Filler(gettext).vformat(template or self.template, (), self.params)


def _rebuild(template: str, params: dict[str, Any]) -> Msg:
    return Msg(template, **params)


def join(sep: str, parts: list[Msg] | tuple[Msg, ...]) -> Msg:
    """Messages joined by a separator, still translatable part by part."""
    names = [f"p{i}" for i in range(len(parts))]
    return Msg(sep.join("{" + n + "}" for n in names), **dict(zip(names, parts, strict=True)))


class Text(str):
    """Data text (a name, a line) in the dataset's language, with the variants in other
    languages that the dataset itself gives (``variants["ko"]``); the string is the dataset's
    own text, so everything that reads it as text sees what it saw before.

    >>> t = Text("Sports hall", ko="체육관")
    >>> t, t.variants["ko"]
    ('Sports hall', '체육관')
    """

    variants: Mapping[str, str]

    def __new__(cls, text: str, /, **variants: str) -> Text:
        self = super().__new__(cls, text)
        self.variants = MappingProxyType(dict(variants))
        return self

    def __reduce__(self):
        return (_text, (str(self), dict(self.variants)))


def _text(text: str, variants: dict[str, str]) -> Text:
    return Text(text, **variants)
