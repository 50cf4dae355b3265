"""The error of a bad standards or norms file, and a collector that reports every problem
of a file at once."""

from __future__ import annotations

from pathlib import Path


class StandardsError(ValueError):
    """A bad standards or norms file: names the file, the key and the value.

    When several problems are found at once, ``problems`` holds every one of them (each a
    :class:`StandardsError`); ``file``, ``key``, ``value`` and ``line`` are those of the first.
    """

    def __init__(self, file: str | Path, key: str, value: object, problem: str, line: int | None = None):
        self.file = str(file)
        self.key = key
        self.value = value
        self.problem = problem
        self.line = line
        self.problems: tuple[StandardsError, ...] = (self,)
        super().__init__(self.where())

    def where(self) -> str:
        place = f"{self.file}" + (f" line {self.line}" if self.line else "")
        return f"{place}: {self.key} = {self.value!r}: {self.problem}"

    @classmethod
    def many(cls, problems: list[StandardsError]) -> StandardsError:
        """One error reporting every problem (the first gives file, key and value)."""
        if len(problems) == 1:
            return problems[0]
        first = problems[0]
        err = cls(first.file, first.key, first.value, first.problem, first.line)
        err.problems = tuple(problems)
        err.args = (f"{len(problems)} problems:\n" + "\n".join("  " + p.where() for p in problems),)
        return err


class Problems:
    """Collects the problems of a file so that all are reported at once."""

    def __init__(self) -> None:
        self.found: list[StandardsError] = []

    def add(self, err: StandardsError) -> None:
        self.found.extend(err.problems)

    def raise_any(self) -> None:
        if self.found:
            raise StandardsError.many(self.found)

