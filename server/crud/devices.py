"""Device enrollment, authentication and revocation, and password throttling."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from server.crud import audit
from server.crud.users import get_user
from server.errors import ApiError, not_found
from server.models import Device, EnrollmentCode, LoginFailure, User
from server.policy import Actor
from server.security import (
    burn_password_check,
    code_hash,
    new_enrollment_code,
    new_token,
    token_hash,
    verify_password,
)


@dataclass(frozen=True, slots=True)
class Enrolled:
    device_id: str
    token: str
    user: User


def _now() -> datetime:
    return datetime.now(UTC)


def issue_enrollment_code(session: Session, *, username: str, by: str, hours: int = 24) -> str:
    user = get_user(session, username)
    if not user.active:
        raise ApiError(422, "user_inactive", "This user is not active.")
    code = new_enrollment_code()
    now = _now()
    session.add(
        EnrollmentCode(
            user_id=user.id,
            code_hash=code_hash(code),
            created_by=by,
            created_at=now,
            expires_at=now + timedelta(hours=hours),
        )
    )
    audit.record(
        session, actor=by, action="issue_enrollment_code", entity="user", record_id=username
    )
    return code


def _throttled(session: Session, *, username: str, address: str, limit: int, window: int) -> int:
    """Seconds to wait, or 0. Counted per user name and per address, so neither spraying one
    password over many names nor many passwords at one name gets far."""
    since = _now() - timedelta(seconds=window)
    session.execute(delete(LoginFailure).where(LoginFailure.at < since))
    for column, value in ((LoginFailure.username, username), (LoginFailure.address, address)):
        failures = session.scalars(
            select(func.count())
            .select_from(LoginFailure)
            .where(LoginFailure.at >= since, column == value)
        ).one()
        if failures >= limit:
            return window
    return 0


def _count_failure(session: Session, *, username: str, address: str) -> None:
    # Committed at once: the request is about to fail, and its rollback must not undo the count.
    session.add(LoginFailure(username=username, address=address, at=_now()))
    session.commit()


def enroll(
    session: Session,
    *,
    username: str,
    password: str,
    code: str,
    device_name: str,
    address: str,
    max_failures: int = 5,
    window_seconds: int = 900,
) -> Enrolled:
    wait = _throttled(
        session, username=username, address=address, limit=max_failures, window=window_seconds
    )
    if wait:
        raise ApiError(
            429,
            "too_many_attempts",
            "Too many failed attempts; try again later.",
            headers={"Retry-After": str(wait)},
        )
    user = session.scalars(select(User).where(User.username == username)).first()
    # Always one Argon2id check, so the answer's timing tells nothing about the account.
    if user is None:
        burn_password_check(password)
        password_ok = False
    else:
        password_ok = verify_password(user.password_hash, password)
    if user is None or not user.active or not password_ok:
        _count_failure(session, username=username, address=address)
        raise ApiError(401, "invalid_credentials", "Wrong user name or password.")
    now = _now()
    stored = session.scalars(
        select(EnrollmentCode).where(
            EnrollmentCode.code_hash == code_hash(code), EnrollmentCode.user_id == user.id
        )
    ).first()
    if stored is None or stored.used_at is not None or stored.expires_at <= now:
        _count_failure(session, username=username, address=address)
        raise ApiError(
            401,
            "invalid_enrollment_code",
            "The enrollment code is wrong, used or expired; ask central office for a new one.",
        )
    # Claim the code with a conditional update: of two enrollments racing with one code, only
    # one sees a row change.
    claimed = session.execute(
        update(EnrollmentCode)
        .where(EnrollmentCode.id == stored.id, EnrollmentCode.used_at.is_(None))
        .values(used_at=now)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        _count_failure(session, username=username, address=address)
        raise ApiError(
            401,
            "invalid_enrollment_code",
            "The enrollment code is wrong, used or expired; ask central office for a new one.",
        )
    token = new_token()
    device = Device(
        id=str(uuid.uuid4()),
        user_id=user.id,
        name=device_name.strip()[:100] or "device",
        token_hash=token_hash(token),
        enrolled_at=now,
        last_seen=now,
    )
    session.add(device)
    audit.record(
        session,
        actor=user.username,
        action="enroll",
        entity="device",
        record_id=device.id,
        device_id=device.id,
    )
    return Enrolled(device_id=device.id, token=token, user=user)


def authenticate(session: Session, token: str) -> Actor:
    device = session.scalars(select(Device).where(Device.token_hash == token_hash(token))).first()
    if device is None:
        raise ApiError(
            401,
            "invalid_token",
            "Unknown device token; enroll this device again.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if device.revoked_at is not None:
        raise ApiError(
            401,
            "device_revoked",
            "This device was revoked by central office; its data will be removed.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    user = session.get(User, device.user_id)
    if user is None or not user.active:
        raise ApiError(
            401,
            "user_inactive",
            "This user is not active.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    device.last_seen = _now()
    return Actor(user_id=user.id, username=user.username, role=user.role, device_id=device.id)


def list_devices(session: Session) -> list[tuple[Device, str]]:
    rows = session.execute(
        select(Device, User.username)
        .join(User, User.id == Device.user_id)
        .order_by(User.username, Device.enrolled_at)
    )
    return [(device, username) for device, username in rows]


def revoke_device(session: Session, *, device_id: str, by: str) -> Device:
    device = session.get(Device, device_id)
    if device is None:
        raise not_found("device")
    if device.revoked_at is None:
        device.revoked_at = _now()
        audit.record(session, actor=by, action="revoke", entity="device", record_id=device_id)
    return device
