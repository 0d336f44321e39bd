"""Device enrollment: user name + password + a one-time code from central office give a token.

Secrets are stored only hashed (tokens and codes SHA-256, passwords Argon2id); failed attempts
are counted per user name and per address and survive the failed request.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from server.crud import devices, users
from server.db import make_engine
from server.errors import ApiError
from server.models import Device as DeviceRow
from server.models import EnrollmentCode, LoginFailure, User
from tests.server.conftest import PASSWORD, Device, _empty_postgres, make_user

WRONG = "not the right password at all"


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
    assert set(enrolled) == {"device_id", "token", "username", "role"}
    assert (enrolled["username"], enrolled["role"]) == ("k.dijkstra", "caseworker")
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
    assert_error(again, 401, "invalid_enrollment_code")
    assert rows(session, select(func.count()).select_from(DeviceRow)) == [(1,)]


def test_an_expired_code_fails(api: TestClient, app: FastAPI, session: Session) -> None:
    make_user(app, "k.dijkstra", "caseworker")
    code = issue_code(session, "k.dijkstra")
    session.execute(
        update(EnrollmentCode).values(expires_at=datetime.now(UTC) - timedelta(minutes=1))
    )
    session.commit()
    assert_error(
        api.post("/v1/enroll", json=body("k.dijkstra", code)), 401, "invalid_enrollment_code"
    )
    assert rows(session, select(func.count()).select_from(DeviceRow)) == [(0,)]


def test_a_code_issued_for_another_user_fails(
    api: TestClient, app: FastAPI, session: Session
) -> None:
    make_user(app, "k.dijkstra", "caseworker")
    make_user(app, "m.bakker", "caseworker")
    code = issue_code(session, "m.bakker")
    assert_error(
        api.post("/v1/enroll", json=body("k.dijkstra", code)), 401, "invalid_enrollment_code"
    )
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


def test_wrong_password_and_unknown_user_answer_the_same(
    api: TestClient, app: FastAPI, session: Session
) -> None:
    make_user(app, "k.dijkstra", "caseworker")
    code = issue_code(session, "k.dijkstra")
    wrong = api.post("/v1/enroll", json=body("k.dijkstra", code, WRONG))
    unknown = api.post("/v1/enroll", json=body("x.onbekend", code))
    assert_error(wrong, 401, "invalid_credentials")
    assert unknown.status_code == wrong.status_code
    assert unknown.json() == wrong.json()
    # A wrong password does not spend the code.
    assert api.post("/v1/enroll", json=body("k.dijkstra", code)).status_code == 201


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


def test_throttled_per_user_from_any_address(
    api: TestClient, app: FastAPI, session: Session
) -> None:
    make_user(app, "k.dijkstra", "caseworker")
    code = issue_code(session, "k.dijkstra")
    settings = app.state.settings
    for attempt in range(settings.login_max_failures):
        failed = from_address(app, f"10.0.0.{attempt + 1}").post(
            "/v1/enroll", json=body("k.dijkstra", code, WRONG)
        )
        assert_error(failed, 401, "invalid_credentials")
    # Even the right password, from yet another address, now waits.
    blocked = from_address(app, "10.0.9.9").post("/v1/enroll", json=body("k.dijkstra", code))
    assert_error(blocked, 429, "too_many_attempts")
    assert int(blocked.headers["Retry-After"]) == settings.login_window_seconds
    # The refused attempt did not spend the code, and another user is not affected.
    assert rows(session, select(EnrollmentCode.used_at)) == [(None,)]
    make_user(app, "m.bakker", "caseworker")
    other = from_address(app, "10.0.9.9").post(
        "/v1/enroll", json=body("m.bakker", issue_code(session, "m.bakker"))
    )
    assert other.status_code == 201, other.text


def test_throttled_per_address_over_any_user_names(
    api: TestClient, app: FastAPI, session: Session
) -> None:
    make_user(app, "k.dijkstra", "caseworker")
    code = issue_code(session, "k.dijkstra")
    sprayer = from_address(app, "192.0.2.7")
    for attempt in range(app.state.settings.login_max_failures):
        failed = sprayer.post("/v1/enroll", json=body(f"gok{attempt}", code, WRONG))
        assert_error(failed, 401, "invalid_credentials")
    blocked = sprayer.post("/v1/enroll", json=body("k.dijkstra", code))
    assert_error(blocked, 429, "too_many_attempts")
    assert "Retry-After" in blocked.headers
    elsewhere = from_address(app, "192.0.2.8").post("/v1/enroll", json=body("k.dijkstra", code))
    assert elsewhere.status_code == 201, elsewhere.text


def test_user_and_address_limits_are_counted_separately(
    api: TestClient, app: FastAPI, session: Session
) -> None:
    """Below the limit per user and below it per address: not throttled (config.py: "Failed
    logins allowed per user and per address"). A shared office address where others mistyped
    must not lock a user out earlier than the limit says."""
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
        f"{below + 1} each, yet: {response.status_code} {response.text}"
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
        session, username="beheer", display_name="", role="admin", password="een ander wachtwoord"
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
                setup, username="k.dijkstra", display_name="", role="caseworker", password=PASSWORD
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
            except (ApiError, OperationalError):
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
