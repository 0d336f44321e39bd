"""Administrators' second factor: TOTP (RFC 6238, 30-second steps, 6 digits) with pyotp.

A code is accepted for the current step and the one before or after it (clocks drift), and
only for a step after the last one accepted, so a code seen over someone's shoulder cannot be
used again."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pyotp
from sqlalchemy.orm import Session

from server.crud import audit
from server.crud.users import get_user
from server.errors import ApiError
from server.models import AdminSecondFactor, User

ISSUER = "Veldwerk beheer"
STEP_SECONDS = 30


def set_up(session: Session, *, username: str, by: str) -> tuple[str, str]:
    """A new secret for this administrator (replacing any old one). Returns (secret, otpauth
    URI) to be shown once, for an authenticator app."""
    user = get_user(session, username)
    if user.role != "admin":
        raise ApiError(422, "not_an_admin", "Only administrators sign in to the console.")
    secret = pyotp.random_base32()
    factor = session.get(AdminSecondFactor, user.id)
    if factor is None:
        session.add(
            AdminSecondFactor(
                user_id=user.id, secret=secret, created_at=datetime.now(UTC), last_step=0
            )
        )
    else:
        factor.secret, factor.created_at, factor.last_step = secret, datetime.now(UTC), 0
    audit.record(session, actor=by, action="set_second_factor", entity="user", record_id=username)
    uri = pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)
    return secret, uri


def has_second_factor(session: Session, user: User) -> bool:
    return session.get(AdminSecondFactor, user.id) is not None


def accept(session: Session, user: User, code: str, *, now: float | None = None) -> bool:
    """Whether `code` is this user's current TOTP code and was not used before (then it is
    used up)."""
    factor = session.get(AdminSecondFactor, user.id)
    digits = "".join(code.split())
    if factor is None or len(digits) != 6 or not digits.isdigit():
        return False
    totp = pyotp.TOTP(factor.secret)
    moment = time.time() if now is None else now
    step = int(moment // STEP_SECONDS)
    for candidate in (step - 1, step, step + 1):
        if candidate > factor.last_step and pyotp.utils.strings_equal(
            totp.at(candidate * STEP_SECONDS), digits
        ):
            factor.last_step = candidate
            return True
    return False
