"""Tombstones are purged after the retention; a cursor from before the horizon must reset."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.domain.visit import Visit, VisitPurpose
from server.models import clients, visits
from server.sync.tombstones import purge_tombstones
from tests.server.conftest import Device
from tests.server.sync_entries import entry
from tests.server.test_policy_matrix import fake_client


def _push(api: TestClient, device: Device, *entries: dict[str, Any]) -> list[dict[str, Any]]:
    answer = api.post("/v1/sync/push", json={"entries": list(entries)}, headers=device.headers)
    assert answer.status_code == 200, answer.text
    answers: list[dict[str, Any]] = answer.json()["answers"]
    assert {a["status"] for a in answers} == {"applied"}, answers
    return answers


def _pull_all(api: TestClient, device: Device, cursor: str | None = None) -> str:
    while True:
        params = {"cursor": cursor} if cursor else {}
        page = api.get("/v1/sync/pull", params=params, headers=device.headers)
        assert page.status_code == 200, page.text
        cursor = str(page.json()["cursor"])
        if not page.json()["more"]:
            return cursor


def test_old_tombstones_go_and_an_older_cursor_must_reset(
    api: TestClient, session: Session, enrolled: Callable[..., Device]
) -> None:
    device = enrolled("k.dijkstra", "caseworker")
    client = fake_client(1, "111222333", caseworker="k.dijkstra")
    old_visit = Visit(
        client_id=client.id,
        planned_at=datetime(2026, 3, 2, 10, 0, tzinfo=UTC),
        purpose=VisitPurpose.VOORTGANG,
        caseworker="k.dijkstra",
    )
    new_visit = Visit(
        client_id=client.id,
        planned_at=datetime(2026, 11, 2, 10, 0, tzinfo=UTC),
        purpose=VisitPurpose.VOORTGANG,
        caseworker="k.dijkstra",
    )
    _push(
        api,
        device,
        entry(1, "client", client.id, client.id, "create", client.to_fields()),
        entry(2, "visit", old_visit.id, client.id, "create", old_visit.to_fields()),
        entry(3, "visit", new_visit.id, client.id, "create", new_visit.to_fields()),
    )
    before_delete = _pull_all(api, device)
    _push(
        api,
        device,
        entry(4, "visit", old_visit.id, client.id, "delete"),
        entry(5, "visit", new_visit.id, client.id, "delete"),
    )
    after_delete = _pull_all(api, device, before_delete)

    # One tombstone is older than the retention, the other is recent.
    session.execute(
        update(visits)
        .where(visits.c.id == old_visit.id)
        .values(updated_at=datetime.now(UTC) - timedelta(days=181))
    )
    purged = purge_tombstones(session)
    session.commit()

    assert purged.removed == {"visit": 1}
    remaining = set(session.scalars(select(visits.c.id)))
    assert old_visit.id not in remaining and new_visit.id in remaining
    assert session.execute(select(clients.c.id).where(clients.c.id == client.id)).first()
    session.commit()  # SQLite: let go of the write lock before the API runs

    # A device that had not seen the removed tombstone downloads again; one that had goes on.
    stale = api.get("/v1/sync/pull", params={"cursor": before_delete}, headers=device.headers)
    assert stale.status_code == 409 and stale.json()["code"] == "reset_required"
    current = api.get("/v1/sync/pull", params={"cursor": after_delete}, headers=device.headers)
    assert current.status_code == 200, current.text


def test_nothing_to_purge_keeps_the_horizon(session: Session) -> None:
    first = purge_tombstones(session)
    again = purge_tombstones(session)
    assert first.removed == again.removed == {}
    assert again.horizon == first.horizon


def test_retention_below_180_days_is_refused(session: Session) -> None:
    with pytest.raises(ValueError, match="180"):
        purge_tombstones(session, days=30)
