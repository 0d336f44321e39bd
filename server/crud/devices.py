"""Device enrollment, authentication and revocation, and enrollment throttling.

Enrollment takes a user name, the user's password and a one-time enrollment code from central
office. Every failure (unknown or inactive user, wrong password, wrong, used or expired code, or
a code lost to a concurrent enrollment) gets the same answer: 401 `invalid_credentials` with one
message, after exactly one Argon2id check. Distinct answers would let anyone holding a stolen or
used code test passwords (a password oracle).

Failures are stored (`LoginFailure`, committed at once so the failing request's rollback does not
undo them) and throttle in two ways, both answering 429 `too_many_attempts` with Retry-After:

- Per address: `login_max_failures` failures from one address within `login_window_seconds`
  refuse that address, valid code or not, until fewer are left in the window.
- Per user name, only for attempts without a valid enrollment code (unused, unexpired, issued to
  that user): from the third failure in the window on, the next attempt must wait 2^(n-2)
  seconds after the last failure (n failures in the window), at most
  `login_delay_cap_seconds`. This slows guessing a user's password from many addresses, yet an
  attacker cannot lock the real user out: an attempt with a valid code is never held back per
  user, only per address. A code is 12 characters from a 31-letter alphabet (about 59 bits), so
  an attacker cannot obtain that pass by guessing.

Whether the per-user delay applies depends on the code, so a 429 during a delay tells that the
presented code is not valid for that user. That reveals nothing about the password, and a code
cannot be found by guessing within the per-address limit; the answer that ends every attempt
that is let through stays the generic 401.
"""

from __future__ import annotations

import math
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

# The message of every failed enrollment (see the module docstring).
INVALID_MESSAGE = "Wrong user name, password or enrollment code."
# Failures per user name in the window that cost nothing; each further one doubles the delay.
FREE_FAILURES = 2
# How finely a device's last contact is kept (central office reads it in days).
LAST_SEEN_RESOLUTION = timedelta(minutes=1)


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


def _too_many(wait: float) -> ApiError:
    # Whole seconds, rounded up, at least one: a client that waits exactly this long is let in.
    return ApiError(
        429,
        "too_many_attempts",
        "Too many failed attempts; try again later.",
        headers={"Retry-After": str(max(1, math.ceil(wait)))},
    )


def _invalid() -> ApiError:
    # One answer for every failure, so it tells nothing about which part was wrong.
    return ApiError(401, "invalid_credentials", INVALID_MESSAGE)


def user_delay(failures: int, cap: int) -> int:
    """Seconds an attempt must wait after the last of `failures` failures for a user name."""
    if failures < FREE_FAILURES + 1:
        return 0
    # Compared before computing the power, so a long run of failures cannot make a huge number.
    exponent = failures - FREE_FAILURES
    return cap if exponent >= cap.bit_length() else min(2**exponent, cap)


def _address_wait(
    session: Session, *, address: str, now: datetime, since: datetime, limit: int, window: int
) -> float:
    """Seconds until this address is below its limit again, or 0."""
    # The limit-th most recent failure: once it leaves the window, fewer than `limit` remain.
    oldest_counted = session.scalars(
        select(LoginFailure.at)
        .where(LoginFailure.address == address, LoginFailure.at >= since)
        .order_by(LoginFailure.at.desc())
        .offset(limit - 1)
        .limit(1)
    ).first()
    if oldest_counted is None:
        return 0.0
    return max(0.0, (oldest_counted + timedelta(seconds=window) - now).total_seconds())


def _user_wait(
    session: Session, *, username: str, now: datetime, since: datetime, cap: int
) -> float:
    """Seconds until this user name may be tried again without a valid code, or 0."""
    failures, last = session.execute(
        select(func.count(), func.max(LoginFailure.at)).where(
            LoginFailure.username == username, LoginFailure.at >= since
        )
    ).one()
    delay = user_delay(int(failures), cap)
    if not delay or last is None:
        return 0.0
    return max(0.0, (last + timedelta(seconds=delay) - now).total_seconds())


def _count_failure(session: Session, *, username: str, address: str) -> None:
    # Committed at once: the request is about to fail, and its rollback must not undo the count.
    session.add(LoginFailure(username=username, address=address, at=_now()))
    session.commit()


def check_login_throttle(
    session: Session,
    *,
    username: str,
    address: str,
    max_failures: int,
    window_seconds: int,
    delay_cap_seconds: int,
) -> None:
    """The same two throttles for another sign-in (the console's): 429 `too_many_attempts`
    while this address, or this user name, must wait. Old failures are forgotten here."""
    now = _now()
    since = now - timedelta(seconds=window_seconds)
    session.execute(delete(LoginFailure).where(LoginFailure.at < since))
    wait = max(
        _address_wait(
            session,
            address=address,
            now=now,
            since=since,
            limit=max_failures,
            window=window_seconds,
        ),
        _user_wait(session, username=username, now=now, since=since, cap=delay_cap_seconds),
    )
    if wait:
        raise _too_many(wait)


def count_login_failure(session: Session, *, username: str, address: str) -> None:
    """Count a failed sign-in (committed at once, see the module docstring)."""
    _count_failure(session, username=username, address=address)


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
    delay_cap_seconds: int = 300,
) -> Enrolled:
    """Exchange user name, password and enrollment code for a device token; the module
    docstring describes the throttling and why every failure answers alike."""
    now = _now()
    since = now - timedelta(seconds=window_seconds)
    session.execute(delete(LoginFailure).where(LoginFailure.at < since))
    wait = _address_wait(
        session, address=address, now=now, since=since, limit=max_failures, window=window_seconds
    )
    if wait:
        raise _too_many(wait)
    user = session.scalars(select(User).where(User.username == username)).first()
    # Looked up by its hash alone (unique), whoever asks, so the lookup costs the same whether
    # or not the user exists; whose code it is is compared afterwards.
    stored = session.scalars(
        select(EnrollmentCode).where(EnrollmentCode.code_hash == code_hash(code))
    ).first()
    code_ok = (
        user is not None
        and stored is not None
        and stored.user_id == user.id
        and stored.used_at is None
        and stored.expires_at > now
    )
    if not code_ok:
        wait = _user_wait(session, username=username, now=now, since=since, cap=delay_cap_seconds)
        if wait:
            raise _too_many(wait)
    # Always one Argon2id check, so the answer's timing tells nothing about the account.
    if user is None:
        burn_password_check(password)
        password_ok = False
    else:
        password_ok = verify_password(user.password_hash, password)
    if user is None or stored is None or not user.active or not password_ok or not code_ok:
        _count_failure(session, username=username, address=address)
        raise _invalid()
    # Claim the code with a conditional update: of two enrollments racing with one code, only
    # one sees a row change.
    claimed = session.execute(
        update(EnrollmentCode)
        .where(EnrollmentCode.id == stored.id, EnrollmentCode.used_at.is_(None))
        .values(used_at=now)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        _count_failure(session, username=username, address=address)
        raise _invalid()
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
    # The device and its person in one statement: every request of every sync round asks.
    found = session.execute(
        select(Device, User)
        .outerjoin(User, User.id == Device.user_id)
        .where(Device.token_hash == token_hash(token))
    ).first()
    if found is None:
        raise ApiError(
            401,
            "invalid_token",
            "Unknown device token; enroll this device again.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    device, user = found
    if device.revoked_at is not None:
        raise ApiError(
            401,
            "device_revoked",
            "This device was revoked by central office; its data will be removed.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if user is None or not user.active:
        raise ApiError(
            401,
            "user_inactive",
            "This user is not active.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    now = _now()
    seen = device.last_seen
    if seen is not None and seen.tzinfo is None:  # SQLite gives the stored UTC back naive
        seen = seen.replace(tzinfo=UTC)
    # Written at most once a minute: every request of a sync round asks, and writing each time
    # made each one wait for a commit to reach the disk.
    if seen is None or not timedelta(0) <= now - seen < LAST_SEEN_RESOLUTION:
        device.last_seen = now
    session.info[_VERSION_READ] = (device.id, device.app_version)
    return Actor(user_id=user.id, username=user.username, role=user.role, device_id=device.id)


# What authentication read of the device's app version, for `remember_app_version`.
_VERSION_READ = "veldwerk.device_app_version"


def remember_app_version(session: Session, device_id: str, version: str) -> None:
    """Store the app version a device reports in its hello, written only when it differs from
    what this request's authentication read: every sync round reports it, and reading the
    device again for that (authentication's commit expires what it read) cost a statement a
    round."""
    if session.info.get(_VERSION_READ) == (device_id, version):
        return
    # Not noted as stored: a push that is rolled back and done again writes it again.
    session.execute(update(Device).where(Device.id == device_id).values(app_version=version))


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
