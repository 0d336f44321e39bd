"""Pull: what a device must change to match the server for its scope, page by page."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.states import IntakeStatus
from app.sync.protocol import Page, RecordState
from server.models import DeviceClient, DeviceSync, intakes
from server.policy import Actor, scope_client_ids
from server.sync.feed import Cursor, changes_after, parse_cursor, server_state, whole_clients


def scope_now(session: Session, actor: Actor) -> set[str]:
    """The clients this device should hold now. A team lead holds the clients whose intakes
    wait for their review; a caseworker holds their caseload."""
    in_scope = scope_client_ids(actor)
    if actor.role == "team_lead":
        query = select(intakes.c.client_id).where(
            intakes.c.client_id.in_(in_scope),
            intakes.c.status == IntakeStatus.SUBMITTED.value,
            intakes.c.deleted.is_(False),
        )
        return {str(cid) for cid in session.scalars(query)}
    return {str(cid) for cid in session.scalars(in_scope)}


def device_sync(session: Session, device_id: str) -> DeviceSync:
    state = session.get(DeviceSync, device_id)
    if state is None:
        state = DeviceSync(device_id=device_id, last_seq=0)
        session.add(state)
        session.flush()
    return state


def pull(session: Session, actor: Actor, *, cursor_text: str | None, limit: int) -> Page:
    assert actor.device_id is not None
    cursor = parse_cursor(session, cursor_text)
    state = device_sync(session, actor.device_id)
    held = {
        row.client_id: row
        for row in session.scalars(
            select(DeviceClient).where(DeviceClient.device_id == actor.device_id)
        )
    }
    # Clients whose exit this device has seen (its cursor is past the page that carried it).
    for client_id, row in list(held.items()):
        if row.exited_at is not None and row.exited_at <= cursor.position:
            session.delete(row)
            del held[client_id]
    active = {cid for cid, row in held.items() if row.exited_at is None}
    scope = scope_now(session, actor)
    entering = scope - active
    leaving = active - scope
    # An enter or exit the device may not have applied (it pulled from an older cursor since).
    # A device without a cursor (new, or reset) gets everything it should hold again.
    re_enter = {
        cid
        for cid in active & scope
        if cursor_text is None or held[cid].entered_at > cursor.position
    }
    re_exit = {cid for cid, row in held.items() if row.exited_at is not None and cid not in scope}

    records, next_position, more = changes_after(
        session, position=cursor.position, client_ids=scope, role=actor.role, limit=limit
    )
    whole = whole_clients(session, sorted(entering | re_enter), actor.role)
    merged: dict[tuple[str, str], RecordState] = {}
    for record in [*whole, *records]:
        key = (record.entity, record.id)
        if key not in merged or merged[key].version <= record.version:
            merged[key] = record
    # Parents first: whole clients are already ordered by entity; changes by position.
    page_records = list(merged.values())

    for cid in entering:
        if cid in held:
            held[cid].entered_at = next_position
            held[cid].exited_at = None
        else:
            session.add(
                DeviceClient(device_id=actor.device_id, client_id=cid, entered_at=next_position)
            )
    for cid in leaving:
        held[cid].exited_at = next_position
    state.last_pull_at = datetime.now(UTC)
    epoch = server_state(session).epoch
    return Page(
        records=page_records,
        scope_enter=sorted(entering | re_enter),
        scope_exit=sorted(leaving | re_exit),
        cursor=Cursor(epoch, next_position).encode(),
        more=more,
        last_applied_seq=state.last_seq,
    )
