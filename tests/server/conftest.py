"""Server tests run against SQLite and against the real PostgreSQL on 127.0.0.1:5432.

A PostgreSQL that cannot be reached fails the run (it is part of the machine and of CI); set
VELDWERK_TEST_POSTGRES_URL to point elsewhere. Each test session creates its own scratch databases
and drops them at the end; each test starts from empty tables.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session

from server.config import Settings
from server.crud import devices, users
from server.crud.reference import load_reference_data
from server.db import ServerSession, make_engine, session_scope
from server.main import create_app
from server.migrations.runner import upgrade
from server.models import metadata
from server.sync.feed import ensure_state

POSTGRES_ADMIN_URL = os.environ.get(
    "VELDWERK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
PASSWORD = "correct horse battery staple"
PROTECTED_TABLES = (
    ("audit_log", "audit_log_append_only"),
    ("destruction_statements", "destruction_statements_permanent"),
)
BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def postgres_template_url() -> Iterator[str]:
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"veldwerk_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 - any failure to reach PostgreSQL ends here
        admin.dispose()
        pytest.fail(
            f"PostgreSQL is required for the server tests and is not usable at "
            f"{admin.url.render_as_string(hide_password=True)}: {type(error).__name__}: {error}",
            pytrace=False,
        )
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("server-template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


def _empty_postgres(url: str) -> None:
    engine = make_engine(url)
    names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    with engine.begin() as conn:
        # The audit log and the destruction statements refuse TRUNCATE (append-only,
        # permanent); a test reset is the one exception.
        for table, trigger in PROTECTED_TABLES:
            conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}"))
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        for table, trigger in PROTECTED_TABLES:
            conn.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}"))
    with Session(engine) as session, session.begin():
        load_reference_data(session)
        ensure_state(session)
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty central database of each kind."""
    if request.param == "sqlite":
        path = tmp_path / "central.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_template_url")
    _empty_postgres(url)
    return url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def pg_engine(postgres_template_url: str) -> Iterator[Engine]:
    """An empty PostgreSQL database at the current schema, for what only PostgreSQL does."""
    _empty_postgres(postgres_template_url)
    engine = make_engine(postgres_template_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session for arranging data and checking it; commit what the app must see."""
    with ServerSession(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def app(database_url: str) -> Iterator[FastAPI]:
    app = create_app(Settings(database_url=database_url, log_level="WARNING"))
    yield app
    app.state.engine.dispose()


@pytest.fixture
def api(app: FastAPI) -> TestClient:
    return TestClient(app)


@dataclass(frozen=True)
class Device:
    username: str
    role: str
    device_id: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def make_user(app: FastAPI, username: str, role: str, *, team: str | None = None) -> None:
    with session_scope(app.state.sessionmaker) as s:
        users.create_user(
            s, by="test", username=username, display_name=username, role=role, password=PASSWORD
        )
        if team is not None:
            if role == "team_lead":
                users.create_team(s, by="test", name=team, lead=username)
            else:
                users.add_to_team(s, by="test", team=team, username=username)


def enroll(api: TestClient, app: FastAPI, username: str) -> Device:
    with session_scope(app.state.sessionmaker) as s:
        code = devices.issue_enrollment_code(s, username=username, by="test")
    response = api.post(
        "/v1/enroll",
        json={
            "username": username,
            "password": PASSWORD,
            "enrollment_code": code,
            "device_name": f"laptop of {username}",
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    return Device(username, body["role"], body["device_id"], body["token"])


@pytest.fixture
def enrolled(api: TestClient, app: FastAPI) -> Callable[..., Device]:
    """Create a user (optionally in a team) and enroll a device for them."""

    def make(username: str, role: str, *, team: str | None = None) -> Device:
        make_user(app, username, role, team=team)
        return enroll(api, app, username)

    return make
