"""Property-based API tests: schemathesis generates requests from the OpenAPI document.

Every operation in /openapi.json gets up to MAX_EXAMPLES generated requests (positive and
negative, plus schemathesis' examples and coverage phases), and every request is sent three times:
as a caseworker, as the team lead of that caseworker's team and as the admin, each with a real
device token, so the calls reach the handlers instead of stopping at 401. Each response must:

- not be a 5xx (`not_a_server_error`);
- have a documented status code (`status_code_conformance`);
- have a documented content type (`content_type_conformance`);
- match the documented body schema (`response_schema_conformance`).

The database holds the demo data (a few clients with their whole dossier, intakes waiting for
review), on SQLite and on PostgreSQL. Random path parameters never name a real record, so for
positive cases Hypothesis may swap a path parameter (and a body's `client_id`) for a real one:
a client in or out of the caseworker's caseload, a real intake, the team, a spare device. That
way dossiers, assignment histories, reviews and revocations are exercised on real rows too.

State changes as the run goes: intakes get approved or returned, users, teams and assignments
appear, spare devices get revoked, failed enrollments throttle. That is what a server sees, and
every later answer must still be documented. The one change that would hollow the test out, a
revoked or throttled test device, is repaired before each call (see `Accounts.headers`).

A failure prints the check that failed, the response, a curl command (token filtered) and, from
Hypothesis, the falsifying example with the account; `print_blob` adds a `@reproduce_failure`
line that replays it exactly.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, note, settings
from hypothesis import strategies as st
from schemathesis import Case
from schemathesis.checks import not_a_server_error
from schemathesis.schemas import BaseSchema
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import delete, select

from server.crud import devices
from server.db import session_scope
from server.models import Device as DeviceRow
from server.models import LoginFailure, clients, intakes
from server.seed import DEMO_ADMIN, DEMO_CASEWORKERS, DEMO_TEAM, DEMO_TEAM_LEAD, seed_demo

MAX_EXAMPLES = 100
DEMO_CLIENTS = 6
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
CASEWORKER = DEMO_CASEWORKERS[0]
ACCOUNTS = (CASEWORKER, DEMO_TEAM_LEAD, DEMO_ADMIN)


@dataclass
class Accounts:
    """Device tokens of the test accounts, and real ids to put into generated requests."""

    app: FastAPI
    api: TestClient
    passwords: dict[str, str]
    tokens: dict[str, tuple[str, str]] = field(default_factory=dict)  # user -> (device, token)
    real: dict[str, list[str]] = field(default_factory=dict)  # path parameter -> real values
    reenrolled: int = 0

    def enroll(self, username: str, device_name: str = "schemathesis") -> tuple[str, str]:
        with session_scope(self.app.state.sessionmaker) as session:
            # Generated enrollments with wrong passwords throttle by user name and by address
            # (the test client's); forget them, or a repair would be refused with a 429.
            session.execute(delete(LoginFailure))
            code = devices.issue_enrollment_code(session, username=username, by="test")
        response = self.api.post(
            "/v1/enroll",
            json={
                "username": username,
                "password": self.passwords[username],
                "enrollment_code": code,
                "device_name": device_name,
            },
        )
        assert response.status_code == 201, response.text
        body = response.json()
        return str(body["device_id"]), str(body["token"])

    def headers(self, username: str) -> dict[str, str]:
        """The account's token; a new device first if a generated request revoked this one."""
        device_id, token = self.tokens[username]
        with session_scope(self.app.state.sessionmaker) as session:
            revoked = session.scalar(
                select(DeviceRow.revoked_at).where(DeviceRow.id == device_id)
            )
        if revoked is not None:
            self.tokens[username] = device_id, token = self.enroll(username)
            self.reenrolled += 1
        return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def accounts(app: FastAPI, api: TestClient) -> Accounts:
    with session_scope(app.state.sessionmaker) as session:
        seeded = seed_demo(session, clients=DEMO_CLIENTS, seed=7)
    found = Accounts(app, api, {username: password for username, _, password in seeded.accounts})
    for username in ACCOUNTS:
        found.tokens[username] = found.enroll(username)
    with session_scope(app.state.sessionmaker) as session:
        client_ids = list(session.scalars(select(clients.c.id).order_by(clients.c.id)))
        intake_ids = list(session.scalars(select(intakes.c.id).order_by(intakes.c.id)))
    assert client_ids and intake_ids, "the demo data should hold clients and intakes"
    spare = [found.enroll(DEMO_CASEWORKERS[1], f"spare {n}")[0] for n in range(3)]
    found.real = {
        "client_id": client_ids,
        "intake_id": intake_ids,
        "device_id": spare,
        "team": [DEMO_TEAM],
    }
    return found


@pytest.fixture
def api_schema(app: FastAPI, accounts: Accounts) -> BaseSchema:
    return schemathesis.openapi.from_asgi("/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


def _use_real_ids(case: Case, accounts: Accounts, data: st.DataObject) -> None:
    """Maybe swap generated ids for real ones (positive cases only: a negative case's point is
    its invalid parameter)."""
    if case.meta is not None and case.meta.generation.mode.is_negative:
        return
    for name in list(case.path_parameters or {}):
        values = accounts.real.get(name)
        if values and data.draw(st.booleans(), label=f"real {name}"):
            case.path_parameters[name] = data.draw(st.sampled_from(values), label=name)
    body = case.body
    if (
        isinstance(body, dict)
        and isinstance(body.get("client_id"), str)
        and data.draw(st.booleans(), label="real body client_id")
    ):
        body["client_id"] = data.draw(st.sampled_from(accounts.real["client_id"]), label="id")


@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
@schema.parametrize()
@schema.given(data=st.data())
def test_api_conforms_to_its_openapi_document(
    case: Case, data: st.DataObject, accounts: Accounts
) -> None:
    _use_real_ids(case, accounts, data)
    for username in ACCOUNTS:
        note(f"as {username}")
        case.call_and_validate(headers=accounts.headers(username), checks=CHECKS)
