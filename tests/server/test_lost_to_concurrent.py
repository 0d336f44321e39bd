"""A request whose transaction lost to a concurrent one (on PostgreSQL a serialization failure:
a device's two page requests overlapping in REPEATABLE READ, both updating its sync state; on
SQLite another writer holding the database past the busy timeout) is answered 503 with
Retry-After, which a device waits out and sends again, not 500 and an error in the log."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, update
from sqlalchemy.exc import DBAPIError

from server.db import ServerSession, lost_to_concurrent, make_engine
from server.models import DeviceSync
from server.sync.pull import device_sync
from tests.server.conftest import Device


def _lose(engine: Engine, device_id: str) -> DBAPIError:
    """A real conflict on this backend: a transaction that read the device's sync state loses
    to another that updated it first (PostgreSQL), or waits past its busy timeout for another
    that holds the write lock (SQLite)."""
    with ServerSession(engine) as setup:
        device_sync(setup, device_id)
        setup.commit()
    url = engine.url.render_as_string(hide_password=False)
    other = make_engine(url)
    if engine.dialect.name == "sqlite":

        @event.listens_for(other, "connect")
        def _impatient(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute("PRAGMA busy_timeout = 50")

    first = ServerSession(engine)
    second = ServerSession(other)
    try:
        if engine.dialect.name == "postgresql":
            first.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            device_sync(first, device_id)  # its snapshot is taken here
            second.execute(
                update(DeviceSync).where(DeviceSync.device_id == device_id).values(last_order=7)
            )
            second.commit()
            statement = update(DeviceSync).where(DeviceSync.device_id == device_id)
            with pytest.raises(DBAPIError) as lost:
                first.execute(statement.values(last_order=8))
        else:
            device_sync(first, device_id)  # BEGIN IMMEDIATE: the database's write lock
            with pytest.raises(DBAPIError) as lost:
                device_sync(second, device_id)
        return lost.value
    finally:
        first.close()
        second.close()
        other.dispose()


def test_a_real_conflict_is_one_that_lost_to_a_concurrent_transaction(
    app: FastAPI, enrolled: Callable[..., Device]
) -> None:
    device = enrolled("k.dijkstra", "caseworker")
    error = _lose(app.state.engine, device.device_id)
    assert lost_to_concurrent(error)
    assert not lost_to_concurrent(RuntimeError("database is locked"))


def test_a_request_that_lost_is_answered_busy_and_one_that_failed_is_not(
    app: FastAPI,
    api: TestClient,
    enrolled: Callable[..., Device],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    device = enrolled("k.dijkstra", "caseworker")
    lost = _lose(app.state.engine, device.device_id)
    raised: list[BaseException] = [lost]

    def page(*_args: Any, **_kwargs: Any) -> Any:
        raise raised[0]

    monkeypatch.setattr("server.api.routes.sync.pull_page", page)
    with caplog.at_level(logging.WARNING):
        answer = api.post("/v1/sync/pull", json={"limit": 10}, headers=device.headers)
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "1"
    assert answer.json() == {
        "code": "busy",
        "message": "The server was busy with a request that touched the same data; try again.",
    }
    assert "lost_to_concurrent" in caplog.text
    assert "unhandled_error" not in caplog.text

    # Any other database error is still an internal error, logged as one.
    raised[0] = DBAPIError("SELECT 1", {}, ValueError("broken"))
    caplog.clear()
    quiet = TestClient(app, raise_server_exceptions=False)
    with caplog.at_level(logging.WARNING):
        failed = quiet.post("/v1/sync/pull", json={"limit": 10}, headers=device.headers)
    assert failed.status_code == 500
    assert failed.json()["code"] == "internal_error"
    assert "unhandled_error" in caplog.text
