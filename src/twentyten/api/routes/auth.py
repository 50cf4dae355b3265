"""OAuth2 password flow: ``POST /api/auth/token`` gives an expiring bearer token;
``POST /api/auth/revoke`` revokes the token it is called with."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request

from twentyten.api.deps import ActorDep, SessionDep, oauth2
from twentyten.api.schemas import ProblemRead, TokenRead
from twentyten.service import auth

router = APIRouter(prefix="/api/auth", tags=["auth"], responses={401: {"model": ProblemRead}})


@router.post("/token", response_model=TokenRead)
def token(request: Request, session: SessionDep, username: Annotated[str, Form(max_length=200)],
          password: Annotated[str, Form(max_length=1000)]) -> TokenRead:
    t, expires = auth.issue_token(session, username, password, request.app.state.settings.token_ttl)
    return TokenRead(access_token=t, expires_at=expires.isoformat())


@router.post("/revoke", status_code=204)
def revoke(request: Request, session: SessionDep, actor: ActorDep,
           t: Annotated[str | None, Depends(oauth2)]) -> None:
    auth.revoke_token(session, t)
    if request.app.state.token_cache is not None:
        request.app.state.token_cache.drop(t)
