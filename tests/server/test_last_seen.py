"""A device's last contact is kept to the minute: every request of a sync round authenticates,
and writing the time on each made each request wait for a commit to reach the disk."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from server.crud.devices import LAST_SEEN_RESOLUTION
from server.models import Device as DeviceRow
from tests.server.conftest import enroll, make_user


def _seen(session: Session, device_id: str) -> Any:
    session.rollback()
    seen = session.scalar(select(DeviceRow.last_seen).where(DeviceRow.id == device_id))
    assert seen is not None
    return seen if seen.tzinfo else seen.replace(tzinfo=UTC)


def _set_seen(session: Session, device_id: str, moment: datetime) -> None:
    session.execute(update(DeviceRow).where(DeviceRow.id == device_id).values(last_seen=moment))
    session.commit()


def _pull(api: TestClient, headers: dict[str, str]) -> int:
    return int(api.post("/v1/sync/pull", json={"limit": 10}, headers=headers).status_code)


def test_last_contact_is_written_once_a_minute(
    api: TestClient, app: FastAPI, session: Session
) -> None:
    make_user(app, "k.dijkstra", "caseworker")
    device = enroll(api, app, "k.dijkstra")
    recent = datetime.now(UTC) - LAST_SEEN_RESOLUTION / 2
    _set_seen(session, device.device_id, recent)
    for _ in range(3):
        assert _pull(api, device.headers) == 200
    assert _seen(session, device.device_id) == recent  # within the minute: not written again

    stale = datetime.now(UTC) - LAST_SEEN_RESOLUTION - timedelta(seconds=5)
    _set_seen(session, device.device_id, stale)
    before = datetime.now(UTC)
    assert _pull(api, device.headers) == 200
    assert _seen(session, device.device_id) >= before - timedelta(seconds=1)


def test_a_contact_time_in_the_future_is_corrected(
    api: TestClient, app: FastAPI, session: Session
) -> None:
    """A clock that was set back (or a bad restore) must not freeze the last contact."""
    make_user(app, "k.dijkstra", "caseworker")
    device = enroll(api, app, "k.dijkstra")
    _set_seen(session, device.device_id, datetime.now(UTC) + timedelta(days=2))
    before = datetime.now(UTC)
    assert _pull(api, device.headers) == 200
    seen = _seen(session, device.device_id)
    assert before - timedelta(seconds=1) <= seen <= datetime.now(UTC) + timedelta(seconds=1)
