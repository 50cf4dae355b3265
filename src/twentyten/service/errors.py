"""Errors of the use cases; the API maps each to an HTTP status and a problem+json body,
the CLI to exit code 2 (bad input) or 1."""

from __future__ import annotations

from dataclasses import dataclass, field


class ServiceError(Exception):
    status = 400
    title = "Bad request"

    def __init__(self, detail: str, errors: list[dict] | None = None):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []


class Invalid(ServiceError):
    """Input that breaks a rule; ``errors`` name the row/column or key path of each problem."""

    status = 422
    title = "Invalid input"


class NotFound(ServiceError):
    status = 404
    title = "Not found"


class Forbidden(ServiceError):
    status = 403
    title = "Forbidden"


class Unauthorized(ServiceError):
    status = 401
    title = "Not signed in"


class Conflict(ServiceError):
    """A stale version (someone else wrote first), a duplicate, or a locked record."""

    status = 409
    title = "Conflict"


class PreconditionFailed(ServiceError):
    """``If-Match`` names a version that is no longer current."""

    status = 412
    title = "Precondition failed"


class PreconditionRequired(ServiceError):
    status = 428
    title = "Precondition required"


class Unavailable(ServiceError):
    """The database refused or could not be reached: the request may be tried again; nothing
    was half-written."""

    status = 503
    title = "Database unavailable"

    @classmethod
    def of(cls, e: BaseException) -> Unavailable:
        """The driver's error as one line: its type and the first line of its message."""
        first = (str(e).splitlines() or [""])[0][:300]
        return cls(f"{type(e).__name__}: {first}")


@dataclass(frozen=True)
class Problem:
    """One problem of an import or a request: where, and why."""

    where: str
    reason: str
    extra: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"

    def as_dict(self) -> dict:
        return {"where": self.where, "reason": self.reason}
