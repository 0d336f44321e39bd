"""Property-based API tests: schemathesis generates requests from the OpenAPI document.

Every operation in /openapi.json gets schemathesis' examples and coverage phases plus up to
MAX_EXAMPLES fuzzed requests (positive and negative), on SQLite and on PostgreSQL alike (about a
minute per backend on a 2-core machine, so both get the full count). Each request is sent with real
device tokens of three users, a caseworker, the team lead of that caseworker's team and the
admin, so the calls reach the handlers instead of stopping at 401 (only negative cases that
leave the token out get a 401, as they should). Every response must:

- not be a 5xx (`not_a_server_error`);
- have a documented status code (`status_code_conformance`);
- have a documented content type (`content_type_conformance`);
- match the documented body schema (`response_schema_conformance`).

The database holds the demo data: a few clients with their whole dossier, intakes waiting for
review. Generated ids never name a real record, so a positive request with a path id (or a body
`client_id`) is also sent a second time with a real one: a client in or out of the caseworker's
caseload, a real intake, the team, a spare device. That way dossiers, assignment histories,
reviews and revocations are exercised on real rows too (so up to six calls per example). The
real value is picked from a hash of the generated request, so the same request gets the same one.

Each backend gets one fresh database for all its operations (seeding and enrolling cost Argon2
hashes; per operation they would double the run), and the state moves on as the requests go:
intakes get approved or returned, users, teams and assignments appear, spare devices get revoked,
failed enrollments throttle. That is what a server sees, and every later answer must still be
documented. The one change that would hollow the test out, a revoked test device, is repaired
before each call (`Accounts.headers`), and an operation fails if an account never got past 401.

A failure prints the check that failed, the response and a curl command (token filtered), then a
note with the account, the request and the command that replays it: the seed is random per run
(fixed in CI) unless VELDWERK_SCHEMATHESIS_SEED is set, and Hypothesis also keeps failing
examples in .hypothesis/ and tries them first next time.
"""

from __future__ import annotations

import os
import random
import shutil
import uuid
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis import Case
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import create_engine, delete, select, text

from server.config import Settings
from server.crud import devices
from server.db import make_engine, session_scope
from server.main import create_app
from server.migrations.runner import upgrade
from server.models import Device as DeviceRow
from server.models import LoginFailure, clients, intakes
from server.seed import DEMO_ADMIN, DEMO_CASEWORKERS, DEMO_TEAM, DEMO_TEAM_LEAD, seed_demo
from tests.server.conftest import BACKENDS, POSTGRES_ADMIN_URL, Device

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
# CI runs one fixed seed, so a red build is reproducible and never depends on the draw;
# developers' runs draw a new seed each time and keep exploring.
_FIXED_CI_SEED = 20261123
SEED = int(
    os.environ.get("VELDWERK_SCHEMATHESIS_SEED")
    or (_FIXED_CI_SEED if os.environ.get("CI") in ("true", "1") else random.getrandbits(64))
)

# The document does not depend on the database, so it is loaded once, at collection, from an app
# whose database is never opened; every call goes to the app of the test's backend (`app=`).
# (`schemathesis.pytest.from_fixture` would load it per backend, but schemathesis 4.32.5's lazy
# schema sets `Node._nodeid`, which pytest 9.2 no longer has.)
schema = schemathesis.openapi.from_asgi(
    "/openapi.json",
    create_app(Settings(database_url="sqlite://", log_level="WARNING")),
    config=schemathesis.Config(seed=SEED),
)


@dataclass
class Accounts:
    """Device tokens of the test accounts, and real ids to put into generated requests."""

    app: FastAPI
    api: TestClient
    passwords: dict[str, str]
    tokens: dict[str, tuple[str, str]] = field(default_factory=dict)  # user: (device id, token)
    real: dict[str, list[str]] = field(default_factory=dict)  # parameter name: real values
    statuses: dict[str, Counter[int]] = field(default_factory=dict)

    def enroll(self, username: str, device_name: str = "schemathesis") -> tuple[str, str]:
        with session_scope(self.app.state.sessionmaker) as session:
            # Generated enrollments with wrong passwords throttle per user name and per address
            # (the test client's); forget them, or enrolling here would be refused with a 429.
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
            revoked = session.scalar(select(DeviceRow.revoked_at).where(DeviceRow.id == device_id))
        if revoked is not None:
            self.tokens[username] = device_id, token = self.enroll(username)
        return {"Authorization": f"Bearer {token}"}

    def _pick(self, name: str, generated: Any) -> str:
        values = self.real[name]
        return values[zlib.crc32(repr(generated).encode()) % len(values)]

    def with_real_ids(self, case: Case[Any]) -> Case[Any] | None:
        """The same request with its path ids (and body `client_id`) replaced by real ones, or
        None when it has none, or is negative (an invalid id is the point of those)."""
        if case.meta is not None and case.meta.generation.mode.is_negative:
            return None
        path = {
            name: self._pick(name, value) if name in self.real else value
            for name, value in case.path_parameters.items()
        }
        body = case.body
        if isinstance(body, dict) and isinstance(body.get("client_id"), str):
            body = {**body, "client_id": self._pick("client_id", body)}
        if path == case.path_parameters and body is case.body:
            return None
        made: Case[Any] = case.operation.Case(
            path_parameters=path, query=dict(case.query), body=body, media_type=case.media_type
        )
        return made


@pytest.fixture(scope="module", params=BACKENDS)
def backend_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A migrated, empty database of each kind, for all operations of one backend.

    Not conftest's per-test `database_url`: seeding (four Argon2 hashes) and enrolling (one
    Argon2 check per device) take 2-3 s, per operation and backend another 1.5 minutes."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("schemathesis") / "central.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    request.getfixturevalue("postgres_template_url")  # fails the run clearly without PostgreSQL
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"veldwerk_schemathesis_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def world(backend_url: str) -> Iterator[Accounts]:
    """The app on the demo data, with the test accounts enrolled."""
    app = create_app(Settings(database_url=backend_url, log_level="WARNING"))
    with session_scope(app.state.sessionmaker) as session:
        seeded = seed_demo(session, clients=DEMO_CLIENTS, seed=7)
    found = Accounts(
        app, TestClient(app), {username: password for username, _, password in seeded.accounts}
    )
    for username in ACCOUNTS:
        found.tokens[username] = found.enroll(username)
    with session_scope(app.state.sessionmaker) as session:
        client_ids = list(session.scalars(select(clients.c.id).order_by(clients.c.id)))
        intake_ids = list(session.scalars(select(intakes.c.id).order_by(intakes.c.id)))
    assert client_ids, "the demo data should hold clients"
    assert intake_ids, "the demo data should hold intakes"
    # Devices the admin may revoke without taking the test's own tokens away.
    spare = [found.enroll(DEMO_CASEWORKERS[1], f"spare {n}")[0] for n in range(3)]
    found.real = {
        "client_id": client_ids,
        "intake_id": intake_ids,
        "device_id": spare,
        "team": [DEMO_TEAM],
    }
    yield found
    app.state.engine.dispose()


@pytest.fixture
def accounts(world: Accounts) -> Iterator[Accounts]:
    world.statuses = {username: Counter() for username in ACCOUNTS}
    yield world
    # Guard against a run that silently never got past authentication (a token the generated
    # request overrode, a failed repair): every account that was answered reached a handler.
    for username, seen in world.statuses.items():
        assert not seen or set(seen) - {401}, f"{username} only ever got 401: {dict(seen)}"


@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
@schema.parametrize()
def test_api_conforms_to_its_openapi_document(
    case: Case[Any], accounts: Accounts, request: pytest.FixtureRequest
) -> None:
    variants = [("as generated", case)]
    real = accounts.with_real_ids(case)
    if real is not None:
        variants.append(("with real ids", real))
    for variant, sent in variants:
        for username in ACCOUNTS:
            try:
                response = sent.call_and_validate(
                    headers=accounts.headers(username), checks=CHECKS, app=accounts.app
                )
            except BaseException as error:
                error.add_note(
                    f"\nSent {variant} as {username}: {sent!r}\n(an Authorization shown is the "
                    f"generated one; {username}'s token replaced it unless the case omits it)\n"
                    f"Replay: VELDWERK_SCHEMATHESIS_SEED={SEED} .venv/bin/pytest "
                    f"'{request.node.nodeid}'  (earlier operations of this backend changed the "
                    "data; add -k <backend> to replay them too)"
                )
                raise
            accounts.statuses[username][response.status_code] += 1


def test_admin_client_list_refuses_an_offset_beyond_64_bits(
    api: TestClient, enrolled: Callable[..., Device]
) -> None:
    """A finding of the run above kept as a fixed example, because only some seeds hit it:
    offset=2**63 reached the database (SQLite: OverflowError; PostgreSQL: bigint out of range),
    a 500 instead of a 422."""
    admin = enrolled("beheer", "admin")
    response = api.get(
        "/v1/admin/clients", params={"limit": 1, "offset": 2**63}, headers=admin.headers
    )
    assert response.status_code == 422, response.text
