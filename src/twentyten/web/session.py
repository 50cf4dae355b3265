"""The browser session: a signed cookie (HttpOnly, SameSite=Lax) holding the record's bearer
token and a CSRF token. Signing keeps the cookie honest; the token itself is checked by
the service on every request, so revoking it (``twentyten users revoke``) signs the user out."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Any

COOKIE = "twentyten_session"
LANG_COOKIE = "twentyten_lang"
MAX_AGE = 8 * 3600


@dataclass(frozen=True)
class SessionData:
    csrf: str
    token: str | None = None
    user: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"csrf": self.csrf, "token": self.token, "user": self.user}


class Signer:
    """Signs and reads session cookies with one secret (per app; from TWENTYTEN_SECRET when set)."""

    def __init__(self, secret: str):
        from itsdangerous import URLSafeTimedSerializer

        self._s = URLSafeTimedSerializer(secret, salt="twentyten-web-session")

    def dumps(self, data: SessionData) -> str:
        return self._s.dumps(data.as_dict())

    def loads(self, raw: str | None) -> SessionData | None:
        from itsdangerous import BadSignature

        if not raw:
            return None
        try:
            d = self._s.loads(raw, max_age=MAX_AGE)
        except BadSignature:  # includes SignatureExpired
            return None
        if not isinstance(d, dict) or not isinstance(d.get("csrf"), str):
            return None
        tok, user = d.get("token"), d.get("user")
        return SessionData(d["csrf"], tok if isinstance(tok, str) else None, user if isinstance(user, str) else None)


def new_session(token: str | None = None, user: str | None = None) -> SessionData:
    return SessionData(secrets.token_urlsafe(24), token, user)


def csrf_ok(session: SessionData | None, given: str | None) -> bool:
    return session is not None and given is not None and hmac.compare_digest(session.csrf, given)
