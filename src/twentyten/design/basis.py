"""Quantities that carry their own explanation: the text is built by the same arithmetic
that gives the number, so an explanation cannot drift from the result.

>>> a, b = Q(3, "a (3 m)"), Q(4, "b (4 m)")
>>> (a * b).basis("m²")
'a (3 m) × b (4 m) = 12 m²'
>>> (a / (b * 2)).basis()
'a (3 m) / (b (4 m) × 2) = 0.375'
>>> ((a + b) / 2).basis()
'(a (3 m) + b (4 m)) / 2 = 3.5'
>>> qmax(Q(5, "floor 5"), a * b).basis()
'max(floor 5, a (3 m) × b (4 m) = 12) = 12'
>>> (a * b).called("area", "m²").text
'area 12 m²'
>>> qceil(a / 2).basis()
'ceil(a (3 m) / 2 = 1.5) = 2'
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from twentyten.standards.model import _fmt


@dataclass(frozen=True)
class Q:
    """A number and the formula that produced it (``text`` is '' when not explaining)."""

    value: float
    text: str = ""
    sum: bool = False  # the text is a sum or difference: bracketed inside a product

    def _op(self, other: Q | float, sym: str, value: float) -> Q:
        o = other if isinstance(other, Q) else Q(float(other), _fmt(other))
        if not (self.text and o.text):
            return Q(value)
        product = sym in ("×", "/")
        left = f"({self.text})" if product and self.sum else self.text
        # a divisor that is itself a product or quotient is bracketed too: a / (b × c)
        compound = o.sum or (sym == "/" and any(s in o.text for s in (" × ", " / ")))
        right = f"({o.text})" if (product or sym == "−") and compound else o.text
        return Q(value, f"{left} {sym} {right}", sum=not product)

    def __add__(self, o: Q | float) -> Q:
        return self._op(o, "+", self.value + _v(o))

    def __sub__(self, o: Q | float) -> Q:
        return self._op(o, "−", self.value - _v(o))

    def __mul__(self, o: Q | float) -> Q:
        return self._op(o, "×", self.value * _v(o))

    def __truediv__(self, o: Q | float) -> Q:
        return self._op(o, "/", self.value / _v(o))

    def called(self, label: str, unit: str = "") -> Q:
        """The same value, shown from now on by its name (its formula is in its own basis line)."""
        if not self.text:
            return Q(self.value)
        return Q(self.value, f"{label} {_fmt(self.value)}{(' ' + unit) if unit else ''}")

    def basis(self, unit: str = "") -> str:
        """``formula = value unit``, as a facility's basis shows it."""
        return f"{self.text} = {_fmt(self.value)}{(' ' + unit) if unit else ''}"

    def _shown(self) -> str:
        # a term inside min/max: a computed term shows its value too
        return self.basis() if (self.sum or any(s in self.text for s in (" × ", " / "))) else self.text


def _v(x: Q | float) -> float:
    return x.value if isinstance(x, Q) else float(x)


def _pick(name: str, qs: tuple[Q, ...], value: float) -> Q:
    text = f"{name}({', '.join(q._shown() for q in qs)})" if all(q.text for q in qs) else ""
    return Q(value, text)


def qmin(*qs: Q) -> Q:
    """The smallest, shown as ``min(a, b)``."""
    return _pick("min", qs, min(q.value for q in qs))


def qmax(*qs: Q) -> Q:
    """The largest, shown as ``max(a, b)``."""
    return _pick("max", qs, max(q.value for q in qs))


def qceil(q: Q) -> Q:
    """The next whole number up, shown as ``ceil(a)`` (2.0000000001 stays 2)."""
    value = float(math.ceil(round(q.value, 9)))
    return Q(value, f"ceil({q._shown()})" if q.text else "")


def const(value: float) -> Q:
    """A bare number that shows itself (0, 1, π) inside a formula."""
    return Q(float(value), "π" if value == math.pi else _fmt(value))
