"""A real central server for the tests that need one: `veldwerk-server serve` as a child process
on 127.0.0.1, over a database seeded with demo data (nothing in it is real)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from server.crud import devices
from server.db import make_engine, make_sessionmaker, session_scope
from server.migrations.runner import upgrade
from server.seed import seed_demo

SERVER_COMMAND = (sys.executable, "-m", "server.cli")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(
    database_url: str,
    port: int,
    *tls: str,
    command: Sequence[str] = SERVER_COMMAND,
) -> subprocess.Popen[bytes]:
    """Serve on `port` (with TLS when a certificate and key file are given); returns once the
    port accepts connections, and fails the test if the server stops or never listens."""
    extra = ["--tls-cert", tls[0], "--tls-key", tls[1]] if tls else []
    server = subprocess.Popen(
        [*command, "--database-url", database_url, "serve", "--port", str(port), *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "VELDWERK_LOG_LEVEL": "WARNING"},
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the server stopped with {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    pytest.fail("the server did not start")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.terminate()  # uvicorn waits for open connections; a few seconds is plenty here
    try:
        server.wait(timeout=5)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@dataclass
class Central:
    url: str
    database_url: str
    passwords: dict[str, str]

    def run(self, fn: Callable[..., Any], **kwargs: Any) -> Any:
        """`fn(session, **kwargs)` in one committed unit of work on the server's database."""
        engine = make_engine(self.database_url)
        try:
            with session_scope(make_sessionmaker(engine)) as session:
                return fn(session, **kwargs)
        finally:
            engine.dispose()

    def code(self, username: str) -> str:
        return str(self.run(devices.issue_enrollment_code, username=username, by="test"))


@contextmanager
def running_central(database_url: str, *, clients: int, seed: int) -> Iterator[Central]:
    """Migrate and seed the database with the demo generator, then serve it."""
    engine = make_engine(database_url)
    try:
        upgrade(engine)
        with session_scope(make_sessionmaker(engine)) as session:
            seeded = seed_demo(session, clients=clients, seed=seed)
    finally:
        engine.dispose()
    port = free_port()
    server = start_server(database_url, port)
    try:
        yield Central(
            f"http://127.0.0.1:{port}",
            database_url,
            {username: password for username, _role, password in seeded.accounts},
        )
    finally:
        stop_server(server)


POSTGRES_ADMIN = os.environ.get(
    "VELDWERK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@contextmanager
def central_on(backend: str, scratch: Path, *, clients: int, seed: int) -> Iterator[Central]:
    """`running_central` on a fresh database of `backend` ("sqlite" in `scratch`, or a new
    PostgreSQL database dropped afterwards)."""
    if backend == "sqlite":
        with running_central(
            f"sqlite:///{scratch / 'central.db'}", clients=clients, seed=seed
        ) as c:
            yield c
        return
    admin = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
    name = f"veldwerk_e2e_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = admin.url.set(database=name).render_as_string(hide_password=False)
        with running_central(url, clients=clients, seed=seed) as running:
            yield running
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
