"""Device enrollment: user name + password + a one-time code from central office give a token.

Secrets are stored only hashed (tokens and codes SHA-256, passwords Argon2id); every failure
answers alike; failed attempts survive the failed request and throttle per address (a limit) and
per user name without a valid code (a growing delay), never locking out the holder of a valid
code (server/crud/devices.py).
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from server import security
from server.crud import devices, users
from server.db import make_engine
from server.errors import ApiError
from server.models import Device as DeviceRow
from server.models import EnrollmentCode, LoginFailure, User
from tests.server.conftest import PASSWORD, Device, _empty_postgres, make_user

WRONG = "not the right password at all"
# A well-formed code nobody was given.
GUESSED_CODE = "AAAA-BBBB-CCCC"


class Clock:
    """The server's clock in these tests: it moves only when told to."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(devices, "_now", clock)
    return clock


def issue_code(session: Session, username: str) -> str:
    code = devices.issue_enrollment_code(session, username=username, by="beheer")
    session.commit()
    return code


def body(username: str, code: str, password: str = PASSWORD) -> dict[str, Any]:
    return {
        "username": username,
        "password": password,
        "enrollment_code": code,
        "device_name": "Laptop 17",
    }


def from_address(app: FastAPI, address: str) -> TestClient:
    return TestClient(app, client=(address, 50000))


def assert_error(response: Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["code"] == code, response.text


def app_post(app: FastAPI, address: str, attempt: dict[str, Any]) -> Response:
    response: Response = from_address(app, address).post("/v1/enroll", json=attempt)
    return response


def rows(session: Session, query: Any) -> list[Any]:
    found = list(session.execute(query).all())
    session.commit()  # end the read: SQLite's BEGIN IMMEDIATE would block the app otherwise
    return found


def test_password_and_code_give_a_token_that_works(
    api: TestClient, app: FastAPI, session: Session
) -> None:
    make_user(app, "k.dijkstra", "caseworker")
    code = issue_code(session, "k.dijkstra")
    response = api.post("/v1/enroll", json=body("k.dijkstra", code))
    assert response.status_code == 201, response.text
    enrolled = response.json()
    assert set(enrolled) == {"device_id", "token", "username", "role", "display_name"}
    assert (enrolled["username"], enrolled["role"]) == ("k.dijkstra", "caseworker")
    # The name documents carry (make_user gives the user name as display name).
    assert enrolled["display_name"] == "k.dijkstra"
    assert len(enrolled["token"]) >= 40
    me = api.get("/v1/me", headers={"Authorization": f"Bearer {enrolled['token']}"})
    assert me.status_code == 200, me.text
    assert me.json() == {
        "username": "k.dijkstra",
        "role": "caseworker",
        "device_id": enrolled["device_id"],
    }
    [(name, last_seen)] = rows(session, select(DeviceRow.name, DeviceRow.last_seen))
    assert name == "Laptop 17"
    assert last_seen is not None


def test_a_code_is_single_use(api: TestClient, app: FastAPI, session: Session) -> None:
    make_user(app, "k.dijkstra", "caseworker")
    code = issue_code(session, "k.dijkstra")
    assert api.post("/v1/enroll", json=body("k.dijkstra", code)).status_code == 201
    again = api.post("/v1/enroll", json=body("k.dijkstra", code))
    assert_error(again, 401, "invalid_credentials")
    assert rows(session, select(func.count()).select_from(DeviceRow)) == [(1,)]


def test_an_expired_code_fails(api: TestClient, app: FastAPI, session: Session) -> None:
    make_user(app, "k.dijkstra", "caseworker")
    code = issue_code(session, "k.dijkstra")
    session.execute(
        update(EnrollmentCode).values(expires_at=datetime.now(UTC) - timedelta(minutes=1))
    )
    session.commit()
    assert_error(api.post("/v1/enroll", json=body("k.dijkstra", code)), 401, "invalid_credentials")
    assert rows(session, select(func.count()).select_from(DeviceRow)) == [(0,)]


def test_a_code_issued_for_another_user_fails(
    api: TestClient, app: FastAPI, session: Session
) -> None:
    make_user(app, "k.dijkstra", "caseworker")
    make_user(app, "m.bakker", "caseworker")
    code = issue_code(session, "m.bakker")
    assert_error(api.post("/v1/enroll", json=body("k.dijkstra", code)), 401, "invalid_credentials")
    # The misuse does not spend the code of its owner.
    mine = api.post("/v1/enroll", json=body("m.bakker", code))
    assert mine.status_code == 201, mine.text
    assert mine.json()["username"] == "m.bakker"


def test_a_code_is_accepted_as_typed_from_paper(
    api: TestClient, app: FastAPI, session: Session
) -> None:
    make_user(app, "k.dijkstra", "caseworker")
    code = issue_code(session, "k.dijkstra")
    typed = code.replace("-", " ").lower()
    assert api.post("/v1/enroll", json=body("k.dijkstra", typed)).status_code == 201


def test_every_failure_answers_alike(
    api: TestClient, app: FastAPI, session: Session, clock: Clock
) -> None:
    """Wrong password, wrong code, unknown or inactive user: one status, byte-identical bodies.
    Otherwise a stolen or used code would let anyone test passwords (a password oracle)."""
    make_user(app, "k.dijkstra", "caseworker")
    make_user(app, "m.bakker", "caseworker")
    make_user(app, "i.inactief", "caseworker")
    code = issue_code(session, "k.dijkstra")
    used = issue_code(session, "k.dijkstra")
    expired = issue_code(session, "k.dijkstra")
    others = issue_code(session, "m.bakker")
    inactive_code = issue_code(session, "i.inactief")
    now = clock.now
    session.execute(
        update(EnrollmentCode)
        .where(EnrollmentCode.code_hash == security.code_hash(used))
        .values(used_at=now)
    )
    session.execute(
        update(EnrollmentCode)
        .where(EnrollmentCode.code_hash == security.code_hash(expired))
        .values(expires_at=now - timedelta(minutes=1))
    )
    session.execute(update(User).where(User.username == "i.inactief").values(active=False))
    session.commit()
    attempts = {
        "wrong password, valid code": body("k.dijkstra", code, WRONG),
        "right password, guessed code": body("k.dijkstra", GUESSED_CODE),
        "right password, used code": body("k.dijkstra", used),
        "right password, expired code": body("k.dijkstra", expired),
        "right password, another user's code": body("k.dijkstra", others),
        "unknown user": body("x.onbekend", code),
        "inactive user, right password, valid code": body("i.inactief", inactive_code),
    }
    answers = {}
    for number, (kind, attempt) in enumerate(attempts.items()):
        # From an address each and spread over time, so no throttling answers instead.
        response = from_address(app, f"10.0.{number}.1").post("/v1/enroll", json=attempt)
        answers[kind] = (response.status_code, response.content)
        clock.advance(app.state.settings.login_window_seconds + 1)
    status, content = answers["wrong password, valid code"]
    assert status == 401
    assert json.loads(content) == {
        "code": "invalid_credentials",
        "message": "Wrong user name, password or enrollment code.",
    }
    different = {kind: answer for kind, answer in answers.items() if answer != (status, content)}
    assert not different, f"answered differently from a wrong password: {different}"
    # None of the failures spent the code, which still enrolls its user.
    assert api.post("/v1/enroll", json=body("k.dijkstra", code)).status_code == 201
    assert api.post("/v1/enroll", json=body("m.bakker", others)).status_code == 201


def test_failures_are_persisted_although_the_request_failed(
    api: TestClient, app: FastAPI, session: Session
) -> None:
    make_user(app, "k.dijkstra", "caseworker")
    code = issue_code(session, "k.dijkstra")
    assert api.post("/v1/enroll", json=body("k.dijkstra", code, WRONG)).status_code == 401
    assert api.post("/v1/enroll", json=body("x.onbekend", code)).status_code == 401
    assert api.post("/v1/enroll", json=body("k.dijkstra", "AAAA-BBBB-CCCC")).status_code == 401
    found = rows(session, select(LoginFailure.username, LoginFailure.address))
    assert sorted(found) == [
        ("k.dijkstra", "testclient"),
        ("k.dijkstra", "testclient"),
        ("x.onbekend", "testclient"),
    ]


def test_an_attacker_elsewhere_does_not_stop_the_user_with_a_valid_code(
    app: FastAPI, session: Session, clock: Clock
) -> None:
    """Many wrong guesses for a user name, from one address and then from many: the guesser is
    slowed down, yet the user (right password and a valid code, from their own address) enrolls
    at once, even after mistyping the password."""
    make_user(app, "k.dijkstra", "caseworker")
    code = issue_code(session, "k.dijkstra")
    settings = app.state.settings
    attacker = from_address(app, "203.0.113.66")
    answers = [
        attacker.post("/v1/enroll", json=body("k.dijkstra", GUESSED_CODE, f"gok {n}")).status_code
        for n in range(3 * settings.login_max_failures)
    ]
    assert answers.count(401) >= 2 and answers[-1] == 429, answers
    # A botnet: an address per guess, each waiting out the delay, until it is at its cap.
    for n in range(12):
        clock.advance(settings.login_delay_cap_seconds / 10)
        from_address(app, f"198.51.100.{n + 1}").post(
            "/v1/enroll", json=body("k.dijkstra", GUESSED_CODE, f"gok {n}")
        )
    slowed = from_address(app, "198.51.100.200").post(
        "/v1/enroll", json=body("k.dijkstra", GUESSED_CODE)
    )
    assert_error(slowed, 429, "too_many_attempts")
    assert int(slowed.headers["Retry-After"]) > 0

    user = from_address(app, "192.0.2.10")
    mistyped = user.post("/v1/enroll", json=body("k.dijkstra", code, WRONG))
    assert_error(mistyped, 401, "invalid_credentials")
    enrolled = user.post("/v1/enroll", json=body("k.dijkstra", code))
    assert enrolled.status_code == 201, enrolled.text
    assert enrolled.json()["username"] == "k.dijkstra"


def test_the_delay_per_user_grows_and_is_capped(
    app: FastAPI, session: Session, clock: Clock
) -> None:
    """Without a valid code: free for two failures, then 2, 4, 8 ... seconds after the last
    failure, at most login_delay_cap_seconds; too early is 429 with the seconds still to wait."""
    make_user(app, "k.dijkstra", "caseworker")
    code = issue_code(session, "k.dijkstra")
    cap = app.state.settings.login_delay_cap_seconds
    addresses = (f"10.1.{n // 200}.{n % 200 + 1}" for n in itertools.count())

    def guess() -> Response:
        # A fresh address each time: this is about the user name, not the address.
        return app_post(app, next(addresses), body("k.dijkstra", GUESSED_CODE, WRONG))

    assert_error(guess(), 401, "invalid_credentials")
    delays: list[int] = []  # delays[i]: the wait after i + 1 failures
    while len(delays) < 11:
        probe = guess()
        if probe.status_code == 401:  # not held back, so the probe was the next failure
            delays.append(0)
            continue
        assert_error(probe, 429, "too_many_attempts")
        wait = int(probe.headers["Retry-After"])
        delays.append(wait)
        clock.advance(wait - 1)
        almost = guess()
        assert_error(almost, 429, "too_many_attempts")
        assert almost.headers["Retry-After"] == "1"
        clock.advance(1)
        assert_error(guess(), 401, "invalid_credentials")
    assert cap == 300  # the setting's default, which the list below assumes
    assert delays == [0, 0, 2, 4, 8, 16, 32, 64, 128, 256, cap]
    assert devices.user_delay(10**6, cap) == cap
    # A valid code is not held back, even now.
    assert app_post(app, next(addresses), body("k.dijkstra", code)).status_code == 201


def test_the_delay_ends_with_the_window(app: FastAPI, session: Session, clock: Clock) -> None:
    make_user(app, "k.dijkstra", "caseworker")
    settings = app.state.settings
    for n in range(3):
        app_post(app, f"10.3.{n}.1", body("k.dijkstra", GUESSED_CODE, WRONG))
    assert_error(
        app_post(app, "10.3.9.1", body("k.dijkstra", GUESSED_CODE)), 429, "too_many_attempts"
    )
    clock.advance(settings.login_window_seconds + 1)
    assert_error(
        app_post(app, "10.3.9.1", body("k.dijkstra", GUESSED_CODE)), 401, "invalid_credentials"
    )
    # The failures of the old window are gone: only the new one is left.
    assert rows(session, select(func.count()).select_from(LoginFailure)) == [(1,)]


def test_throttled_per_address_over_any_user_names(
    app: FastAPI, session: Session, clock: Clock
) -> None:
    make_user(app, "k.dijkstra", "caseworker")
    code = issue_code(session, "k.dijkstra")
    settings = app.state.settings
    sprayer = from_address(app, "192.0.2.7")
    for attempt in range(settings.login_max_failures):
        failed = sprayer.post("/v1/enroll", json=body(f"gok{attempt}", code, WRONG))
        assert_error(failed, 401, "invalid_credentials")
        clock.advance(10)
    # Refused even with a valid code and the right password, until the first failure of the
    # address leaves the window.
    blocked = sprayer.post("/v1/enroll", json=body("k.dijkstra", code))
    assert_error(blocked, 429, "too_many_attempts")
    first_leaves = settings.login_window_seconds - 10 * settings.login_max_failures
    assert int(blocked.headers["Retry-After"]) == first_leaves
    # The refused attempt did not spend the code, and another address is not affected.
    assert rows(session, select(EnrollmentCode.used_at)) == [(None,)]
    elsewhere = from_address(app, "192.0.2.8").post("/v1/enroll", json=body("k.dijkstra", code))
    assert elsewhere.status_code == 201, elsewhere.text


def test_the_address_limit_ends_as_failures_leave_the_window(
    app: FastAPI, session: Session, clock: Clock
) -> None:
    make_user(app, "k.dijkstra", "caseworker")
    code = issue_code(session, "k.dijkstra")
    settings = app.state.settings
    for attempt in range(settings.login_max_failures):
        app_post(app, "192.0.2.7", body(f"gok{attempt}", code, WRONG))
    clock.advance(settings.login_window_seconds - 1)
    blocked = app_post(app, "192.0.2.7", body("k.dijkstra", code))
    assert_error(blocked, 429, "too_many_attempts")
    assert blocked.headers["Retry-After"] == "1"
    clock.advance(1)
    assert app_post(app, "192.0.2.7", body("k.dijkstra", code)).status_code == 201


def test_user_and_address_limits_are_counted_separately(
    api: TestClient, app: FastAPI, session: Session
) -> None:
    """Failures for the user from elsewhere do not count against the address, and a shared
    office address where others mistyped does not refuse a user below its limit."""
    make_user(app, "k.dijkstra", "caseworker")
    code = issue_code(session, "k.dijkstra")
    below = app.state.settings.login_max_failures - 1
    for attempt in range(below):
        from_address(app, f"10.0.0.{attempt + 1}").post(
            "/v1/enroll", json=body("k.dijkstra", code, WRONG)
        )
    office = from_address(app, "192.0.2.50")
    for attempt in range(below):
        office.post("/v1/enroll", json=body(f"collega{attempt}", code, WRONG))
    response = office.post("/v1/enroll", json=body("k.dijkstra", code))
    assert response.status_code == 201, (
        f"{below} failures for the user and {below} from the address, limit "
        f"{below + 1} per address, yet: {response.status_code} {response.text}"
    )


def test_the_device_token_is_stored_only_hashed(
    api: TestClient, app: FastAPI, session: Session
) -> None:
    make_user(app, "k.dijkstra", "caseworker")
    code = issue_code(session, "k.dijkstra")
    token = api.post("/v1/enroll", json=body("k.dijkstra", code)).json()["token"]
    [device] = rows(session, select(DeviceRow.__table__))
    for column, value in device._mapping.items():
        assert token not in str(value), f"devices.{column} holds the token"
    assert device.token_hash == hashlib.sha256(token.encode()).hexdigest()
    audit = rows(session, text("SELECT * FROM audit_log"))
    assert all(token not in str(tuple(row)) for row in audit)


def test_the_enrollment_code_is_stored_only_hashed(
    api: TestClient, app: FastAPI, session: Session
) -> None:
    make_user(app, "k.dijkstra", "caseworker")
    code = issue_code(session, "k.dijkstra")
    compact = code.replace("-", "")
    for row in rows(session, select(EnrollmentCode.__table__)):
        for column, value in row._mapping.items():
            assert code not in str(value), f"enrollment_codes.{column} holds the code"
            assert compact not in str(value), f"enrollment_codes.{column} holds the code"
    for row in rows(session, text("SELECT * FROM audit_log")):
        assert code not in str(tuple(row)) and compact not in str(tuple(row))


def test_an_inactive_user_cannot_enroll(api: TestClient, app: FastAPI, session: Session) -> None:
    make_user(app, "k.dijkstra", "caseworker")
    code = issue_code(session, "k.dijkstra")
    session.execute(update(User).where(User.username == "k.dijkstra").values(active=False))
    session.commit()
    response = api.post("/v1/enroll", json=body("k.dijkstra", code))
    assert_error(response, 401, "invalid_credentials")
    assert rows(session, select(EnrollmentCode.used_at)) == [(None,)]
    assert rows(session, select(func.count()).select_from(DeviceRow)) == [(0,)]


def test_the_devices_of_a_deactivated_user_stop_working(
    api: TestClient, session: Session, enrolled: Callable[..., Device]
) -> None:
    device = enrolled("k.dijkstra", "caseworker")
    assert api.get("/v1/me", headers=device.headers).status_code == 200
    session.execute(update(User).where(User.username == "k.dijkstra").values(active=False))
    session.commit()
    refused = api.get("/v1/me", headers=device.headers)
    assert_error(refused, 401, "user_inactive")
    # Every 401 carries the challenge (RFC 9110 section 11.6.1), as the token errors do.
    assert refused.headers.get("WWW-Authenticate") == "Bearer"


def test_passwords_are_argon2id_hashes(app: FastAPI, session: Session) -> None:
    make_user(app, "k.dijkstra", "caseworker")
    users.create_user(
        session,
        by="test",
        username="beheer",
        display_name="",
        role="admin",
        password="een ander wachtwoord",
    )
    session.commit()
    stored = dict(rows(session, select(User.username, User.password_hash)))
    assert set(stored) == {"k.dijkstra", "beheer"}
    for username, value in stored.items():
        assert value.startswith("$argon2id$"), username
        assert PASSWORD not in value and "een ander wachtwoord" not in value
    assert stored["k.dijkstra"] != stored["beheer"]


def test_one_code_cannot_enroll_two_devices_at_once(postgres_template_url: str) -> None:
    """Two enrollments racing with one code on PostgreSQL: at most one device may result.

    The first enrollment has written (not committed) when the second one reads the code. The
    second must then wait for the first (and find the code used) or give up; a lock wait longer
    than lock_timeout counts as giving up, so the test never hangs."""
    _empty_postgres(postgres_template_url)
    engine = make_engine(postgres_template_url)
    try:
        with Session(engine) as setup:
            users.create_user(
                setup,
                by="test",
                username="k.dijkstra",
                display_name="",
                role="caseworker",
                password=PASSWORD,
            )
            code = devices.issue_enrollment_code(setup, username="k.dijkstra", by="beheer")
            setup.commit()
        attempt: dict[str, Any] = {
            "username": "k.dijkstra",
            "password": PASSWORD,
            "code": code,
            "device_name": "laptop",
        }
        succeeded = 0
        with Session(engine) as first, Session(engine) as second:
            devices.enroll(first, address="10.0.0.1", **attempt)
            first.flush()
            second.execute(text("SET LOCAL lock_timeout = '100ms'"))
            try:
                devices.enroll(second, address="10.0.0.2", **attempt)
            except ApiError as refused:
                # Losing the race answers as every other failure does.
                assert (refused.status, refused.code) == (401, "invalid_credentials")
                second.rollback()
            except OperationalError:
                second.rollback()
            else:
                succeeded += 1
            first.commit()
            succeeded += 1
            if succeeded == 2:
                second.commit()
        with Session(engine) as check:
            count = check.scalar(select(func.count()).select_from(DeviceRow))
        assert count == 1, f"one enrollment code enrolled {count} devices"
    finally:
        engine.dispose()
