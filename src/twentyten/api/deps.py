"""The request's database session and acting user, as FastAPI dependencies (tests override
``get_session`` through ``app.dependency_overrides`` when they need to)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Query, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from twentyten.service.actors import Actor
from twentyten.service.auth import actor_for_token
from twentyten.service.errors import Invalid, Unauthorized
from twentyten.service.reports import DesignedLines

oauth2 = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)


def get_session(request: Request) -> Iterator[Session]:
    with request.app.state.sessions() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def current_actor(session: SessionDep, token: Annotated[str | None, Depends(oauth2)]) -> Actor:
    if not token:
        raise Unauthorized("sign in: POST /api/auth/token, then send Authorization: Bearer <token>")
    return actor_for_token(session, token)


ActorDep = Annotated[Actor, Depends(current_actor)]


def if_match(value: Annotated[str | None, Header(alias="If-Match")] = None) -> int | None:
    """The version in an ``If-Match: "3"`` header (the ETag this API gives)."""
    if value is None:
        return None
    v = value.strip().removeprefix("W/").strip('"')
    if not v.isdigit() or len(v) > 12:
        raise Invalid(f"If-Match {value!r} is not an ETag of this API (\"<version>\")")
    return int(v)


IfMatch = Annotated[int | None, Depends(if_match)]


def designed_lines(request: Request) -> DesignedLines:
    """The request's view of the counties' designed factory lines: the atlas and standards are
    loaded once per app (on ``app.state``), each county is designed at most once per request."""
    state = request.app.state
    if getattr(state, "design_inputs", None) is None:
        from twentyten.atlas import load_atlas
        from twentyten.standards import load_standards

        state.design_inputs = (load_atlas(), load_standards())
    return DesignedLines(*state.design_inputs)


LinesDep = Annotated[DesignedLines, Depends(designed_lines)]


class Paging:
    def __init__(self, limit: Annotated[int, Query(ge=1, le=500)] = 50,
                 offset: Annotated[int, Query(ge=0, le=10**9)] = 0):
        self.limit, self.offset = limit, offset


PagingDep = Annotated[Paging, Depends()]
