"""Devices' audit events: stored append-only; the hash chain is checked per device and a break
is flagged (kept, with chain_ok false, and logged), never silently repaired.

The actor is the token's: an event naming another actor, or a client this device never held, is
refused and not stored (counted in the answer and logged); the gap it leaves breaks the chain,
which is flagged like any other break.

An event for a client whose file was destroyed is still taken in (the device held it, and the
access log must be complete), its details scrubbed like those kept at the destruction
(server.retention.scrub) once the chain has been checked against what the device sent."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from app.domain.audit_chain import GENESIS, first_break
from app.sync.protocol import AuditAnswer, AuditEventOut
from server.logs import log
from server.models import DestroyedClient, DeviceAuditEvent, DeviceHeldClient
from server.policy import Actor
from server.retention.scrub import scrubbed
from server.sync.pull import device_sync

events_table = cast(Table, DeviceAuditEvent.__table__)


def receive(session: Session, actor: Actor, events: list[AuditEventOut]) -> AuditAnswer:
    assert actor.device_id is not None
    state = device_sync(session, actor.device_id)
    ids = [e.event_id for e in events]
    known = set(
        session.scalars(select(DeviceAuditEvent.event_id).where(DeviceAuditEvent.event_id.in_(ids)))
    )
    named = {e.client_id for e in events if e.client_id}
    held = set(
        session.scalars(
            select(DeviceHeldClient.client_id).where(
                DeviceHeldClient.device_id == actor.device_id,
                DeviceHeldClient.client_id.in_(sorted(named)),
            )
        )
    )
    fresh = []
    refused = 0
    for event in events:
        if event.actor != actor.username or (event.client_id and event.client_id not in held):
            refused += 1
            continue
        # Stored once: a repeated id (a resend, or twice in one batch) adds nothing; if it was
        # not an honest resend, the chain check below flags the gap it leaves.
        if event.event_id not in known:
            known.add(event.event_id)
            fresh.append(event)
    if refused:
        log("audit_events_refused", logging.WARNING, device=actor.device_id, refused=refused)
    head = state.audit_head or GENESIS
    broken_at = first_break([e.model_dump() for e in fresh], head=head)
    destroyed = (
        set(
            session.scalars(
                select(DestroyedClient.client_id).where(DestroyedClient.client_id.in_(sorted(held)))
            )
        )
        if held
        else set()
    )
    rows = []
    for index, event in enumerate(fresh):
        fields = event.model_dump(exclude={"seq"})
        if event.client_id in destroyed:
            fields["details"] = scrubbed(event.details) or event.details
        ok = broken_at is None or index < broken_at
        rows.append({**fields, "device_id": actor.device_id, "chain_ok": ok})
    if rows:
        # One statement for the batch, not an object each for the session to flush.
        session.execute(insert(events_table), rows)
    if fresh:
        state.audit_head = fresh[-1].hash
    if broken_at is not None:
        state.audit_broken_at = datetime.now(UTC)
        log("audit_chain_broken", logging.WARNING, device=actor.device_id)
    return AuditAnswer(
        accepted=len(fresh),
        chain_ok=broken_at is None and not refused,
        head=state.audit_head or GENESIS,
        refused=refused,
    )
