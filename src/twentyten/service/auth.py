"""Users, passwords (argon2) and bearer tokens (random, stored as SHA-256, expiring, revocable)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from twentyten.service import audit
from twentyten.service.actors import SYSTEM, Actor, Role
from twentyten.service.errors import Conflict, Invalid, NotFound, Unauthorized
from twentyten.store.models import Region, Token, User

TOKEN_TTL = dt.timedelta(hours=8)


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


def _utc(t: dt.datetime) -> dt.datetime:
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


def add_user(session: Session, name: str, role: str, password: str, region: str | None = None,
             actor: Actor = SYSTEM) -> User:
    """Create a user. Province and county users need their region (id or exact name)."""
    try:
        r = Role(role)
    except ValueError:
        raise Invalid(f"role {role!r} is not one of {', '.join(Role)}") from None
    if not name.strip():
        raise Invalid("the user name is empty")
    if len(password) < 8:
        raise Invalid("the password needs at least 8 characters")
    region_id = None
    if r in (Role.PROVINCE, Role.COUNTY):
        if not region:
            raise Invalid(f"a {r} user needs --region (a {r} id or name)")
        reg = session.get(Region, region) or session.scalars(
            select(Region).where(Region.name == region, Region.level == r.value)).first()
        if reg is None or reg.level != r.value:
            raise Invalid(f"region {region!r} is not a {r} of the database (run `twentyten db init` first?)")
        region_id = reg.id
    elif region:
        raise Invalid(f"a {r} user has no region; leave out --region")
    if session.scalars(select(User).where(User.name == name)).first():
        raise Conflict(f"user {name!r} exists already")
    user = User(name=name, role=r.value, region_id=region_id, password_hash=_hasher().hash(password), active=True)
    session.add(user)
    session.flush()
    audit.record(session, actor, "create", "user", user.id, _province_of(session, region_id), None,
                 {"name": name, "role": r.value, "region_id": region_id})
    session.commit()
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.name)))


def _province_of(session: Session, region_id: str | None) -> str | None:
    if region_id is None:
        return None
    reg = session.get(Region, region_id)
    return reg.id if reg.level == "province" else reg.parent_id


def actor_of(session: Session, user: User) -> Actor:
    role = Role(user.role)
    if role == Role.COUNTY:
        return Actor(user.name, role, _province_of(session, user.region_id), user.region_id)
    return Actor(user.name, role, user.region_id if role == Role.PROVINCE else None)


def issue_token(session: Session, name: str, password: str, ttl: dt.timedelta = TOKEN_TTL) -> tuple[str, dt.datetime]:
    """A new bearer token for a correct name and password (the same refusal for either wrong)."""
    from argon2.exceptions import InvalidHashError, VerificationError

    user = session.scalars(select(User).where(User.name == name)).first()
    try:
        if user is None or not user.active:
            raise Unauthorized("wrong user name or password")
        _hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        raise Unauthorized("wrong user name or password") from None
    token = secrets.token_urlsafe(32)
    expires = dt.datetime.now(dt.UTC) + ttl
    session.add(Token(token_hash=_digest(token), user_id=user.id, expires_at=expires))
    session.commit()
    return token, expires


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def actor_for_token(session: Session, token: str) -> Actor:
    return actor_and_expiry(session, token)[0]


def actor_and_expiry(session: Session, token: str) -> tuple[Actor, dt.datetime]:
    """The acting user of a valid token, and when the token expires (one indexed query, and
    one more for a county user's province)."""
    row = session.execute(select(Token.revoked_at, Token.expires_at, User).join(User, User.id == Token.user_id)
                          .where(Token.token_hash == _digest(token))).first()
    now = dt.datetime.now(dt.UTC)
    if row is None or row[0] is not None or _utc(row[1]) <= now:
        raise Unauthorized("the token is unknown, expired or revoked; ask for a new one at /api/auth/token")
    user = row[2]
    if not user.active:
        raise Unauthorized("the token's user is disabled")
    return actor_of(session, user), _utc(row[1])


def revoke_token(session: Session, token: str) -> None:
    t = session.scalars(select(Token).where(Token.token_hash == _digest(token))).first()
    if t is None:
        raise NotFound("no such token")
    t.revoked_at = dt.datetime.now(dt.UTC)
    session.commit()


def revoke_user_tokens(session: Session, name: str, actor: Actor = SYSTEM) -> int:
    """Revoke every live token of a user; the number revoked."""
    user = session.scalars(select(User).where(User.name == name)).first()
    if user is None:
        raise NotFound(f"no user {name!r}")
    now = dt.datetime.now(dt.UTC)
    n = session.execute(update(Token).where(Token.user_id == user.id, Token.revoked_at.is_(None))
                        .values(revoked_at=now)).rowcount
    audit.record(session, actor, "revoke-tokens", "user", user.id, _province_of(session, user.region_id),
                 None, {"revoked": n})
    session.commit()
    return n
