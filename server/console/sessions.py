"""Console sessions: a random token in the browser's cookie, its hash in `console_sessions`.

A session begins half, after the password; the second factor makes it whole and gives it a new
token (a token seen before the second factor is worth nothing after it). It ends when signed
out, after `console_idle_minutes` without a request, or `console_max_hours` after it began."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from server.models import ConsoleSession, User
from server.security import token_hash

COOKIE = "veldwerk_beheer"


@dataclass(frozen=True, slots=True)
class Limits:
    idle: timedelta
    lifetime: timedelta


@dataclass(frozen=True, slots=True)
class Found:
    session: ConsoleSession
    user: User


def _now() -> datetime:
    return datetime.now(UTC)


def begin(session: Session, user: User) -> str:
    """A half session (password given) for `user`; returns the cookie's token."""
    token = secrets.token_urlsafe(32)
    now = _now()
    session.add(
        ConsoleSession(
            token_hash=token_hash(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            second_factor_at=None,
            failed_codes=0,
            csrf_token=secrets.token_urlsafe(32),
        )
    )
    return token


def complete(session: Session, found: Found) -> str:
    """The second factor was given: the session is whole, under a new token (returned)."""
    old = found.session
    token = secrets.token_urlsafe(32)
    now = _now()
    session.delete(old)
    session.add(
        ConsoleSession(
            token_hash=token_hash(token),
            user_id=old.user_id,
            created_at=old.created_at,
            last_seen_at=now,
            second_factor_at=now,
            failed_codes=0,
            csrf_token=secrets.token_urlsafe(32),
        )
    )
    return token


def find(session: Session, token: str | None, limits: Limits) -> Found | None:
    """The live session of this cookie token, touched; None when there is none (unknown,
    expired, or its user was deactivated or is no administrator any more)."""
    if not token:
        return None
    row = session.get(ConsoleSession, token_hash(token))
    if row is None:
        return None
    now = _now()
    user = session.get(User, row.user_id)
    if (
        user is None
        or not user.active
        or user.role != "admin"
        or now - row.last_seen_at > limits.idle
        or now - row.created_at > limits.lifetime
    ):
        session.delete(row)
        return None
    row.last_seen_at = now
    return Found(row, user)


def end(session: Session, found: Found) -> None:
    session.delete(found.session)


def end_all(session: Session, user_id: int) -> None:
    """Every console session of this user (deactivated, or its password was reset)."""
    session.execute(delete(ConsoleSession).where(ConsoleSession.user_id == user_id))


def purge_expired(session: Session, limits: Limits) -> None:
    now = _now()
    session.execute(
        delete(ConsoleSession).where(
            (ConsoleSession.last_seen_at < now - limits.idle)
            | (ConsoleSession.created_at < now - limits.lifetime)
        )
    )
