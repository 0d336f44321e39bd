"""Devices push their audit events; the server checks each device's hash chain and flags a break."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.audit_chain import GENESIS, event_hash
from server.models import DeviceAuditEvent, DeviceHeldClient, DeviceSync
from tests.server.conftest import Device


def chain(count: int, *, head: str = GENESIS, start: int = 1) -> list[dict[str, Any]]:
    return chain_of([{}] * count, head=head, start=start)


def chain_of(
    items: list[dict[str, Any]], *, head: str = GENESIS, start: int = 1
) -> list[dict[str, Any]]:
    """Events with the given overrides, correctly chained (so only an override is at fault)."""
    events = []
    prev = head
    for seq, overrides in enumerate(items, start=start):
        fields: dict[str, Any] = {
            "event_id": str(uuid.uuid4()),
            "at": "2026-11-23T09:00:00+00:00",
            "actor": "k.dijkstra",
            "action": "view",
            "entity": "client",
            "record_id": str(uuid.uuid4()),
            "client_id": None,
            "details": {},
            **overrides,
        }
        digest = event_hash(prev, fields)
        events.append({"seq": seq, **fields, "prev_hash": prev, "hash": digest})
        prev = digest
    return events


def test_a_continuous_chain_is_accepted_once(
    api: TestClient, enrolled: Callable[..., Device], session: Session
) -> None:
    device = enrolled("k.dijkstra", "caseworker")
    events = chain(5)
    first = api.post("/v1/sync/audit", json={"events": events}, headers=device.headers)
    assert first.status_code == 200, first.text
    assert first.json() == {
        "accepted": 5,
        "chain_ok": True,
        "head": events[-1]["hash"],
        "refused": 0,
    }
    again = api.post("/v1/sync/audit", json={"events": events}, headers=device.headers)
    assert again.json()["accepted"] == 0
    more = chain(3, head=events[-1]["hash"], start=6)
    assert api.post("/v1/sync/audit", json={"events": more}, headers=device.headers).json()[
        "chain_ok"
    ]
    stored = session.scalars(select(DeviceAuditEvent)).all()
    assert len(stored) == 8 and all(e.chain_ok for e in stored)


def test_an_edited_or_missing_event_is_flagged(
    api: TestClient, enrolled: Callable[..., Device], session: Session
) -> None:
    device = enrolled("k.dijkstra", "caseworker")
    events = chain(6)
    api.post("/v1/sync/audit", json={"events": events[:2]}, headers=device.headers)
    # Event 3 never arrives (truncated or deleted on the device): the chain breaks at event 4.
    answer = api.post("/v1/sync/audit", json={"events": events[3:]}, headers=device.headers)
    assert answer.json()["chain_ok"] is False
    state = session.get(DeviceSync, device.device_id)
    assert state is not None and state.audit_broken_at is not None
    flagged = session.scalars(
        select(DeviceAuditEvent).where(DeviceAuditEvent.chain_ok.is_(False))
    ).all()
    assert [e.event_id for e in flagged] == [e["event_id"] for e in events[3:]]
    session.rollback()  # end the read: on SQLite it holds the write lock (BEGIN IMMEDIATE)

    other = enrolled("m.bakker", "caseworker")
    edited = chain(2)
    edited[1]["action"] = "export"  # changed after hashing
    answer = api.post("/v1/sync/audit", json={"events": edited}, headers=other.headers)
    assert answer.json()["chain_ok"] is False


def test_a_repeated_event_id_in_one_batch_is_stored_once(
    api: TestClient, enrolled: Callable[..., Device], session: Session
) -> None:
    device = enrolled("k.dijkstra", "caseworker")
    events = chain(2)
    answer = api.post(
        "/v1/sync/audit", json={"events": [events[0], events[0], events[1]]}, headers=device.headers
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["accepted"] == 2 and answer.json()["chain_ok"] is True
    assert len(session.scalars(select(DeviceAuditEvent)).all()) == 2


def test_events_naming_another_actor_or_a_client_never_held_are_refused(
    api: TestClient, enrolled: Callable[..., Device], session: Session
) -> None:
    device = enrolled("k.dijkstra", "caseworker")
    held, stranger = str(uuid.uuid4()), str(uuid.uuid4())
    session.add(DeviceHeldClient(device_id=device.device_id, client_id=held))
    session.commit()
    events = chain_of(
        [
            {"client_id": held, "record_id": held},
            {"actor": "t.mulder"},  # the token is k.dijkstra's
            {"client_id": stranger, "record_id": stranger},
        ]
    )
    answer = api.post("/v1/sync/audit", json={"events": events}, headers=device.headers)
    assert answer.status_code == 200, answer.text
    assert answer.json()["accepted"] == 1
    assert answer.json()["refused"] == 2
    assert answer.json()["chain_ok"] is False
    stored = session.scalars(select(DeviceAuditEvent)).all()
    session.commit()
    assert [(e.actor, e.client_id) for e in stored] == [("k.dijkstra", held)]
