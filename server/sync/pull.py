"""Pull: what a device must change to match the server for its scope, page by page.

Scope bookkeeping (which clients the device holds) is done with set queries in the database, so
an incremental pull costs the same for a device holding 50 clients as for one holding 5,000.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Select, Table, delete, insert, select, update
from sqlalchemy.orm import Session

from app.sync.protocol import Page, RecordState
from server.models import DeviceClient, DeviceHeldClient, DeviceSync
from server.policy import Actor, scope_client_ids
from server.sync.feed import Cursor, changes_after, parse_cursor, server_state, whole_clients

_CHUNK = 900
# Written on held rows entered or exited by the page being built, until its position is known.
PENDING = -1
held = cast(Table, DeviceClient.__table__)


def device_sync(session: Session, device_id: str) -> DeviceSync:
    state = session.get(DeviceSync, device_id)
    if state is None:
        state = DeviceSync(device_id=device_id, last_seq=0)
        session.add(state)
        session.flush()
    return state


def remember_held(session: Session, device_id: str, client_ids: Iterable[str]) -> None:
    """Record that the device holds these clients (kept for good: its late edits and audit
    events for a client it held are taken in, for one it never held refused)."""
    ever = cast(Table, DeviceHeldClient.__table__)
    for chunk in _chunks(client_ids):
        known = _ids(
            session,
            select(ever.c.client_id).where(
                ever.c.device_id == device_id, ever.c.client_id.in_(chunk)
            ),
        )
        fresh = [cid for cid in chunk if cid not in known]
        if fresh:
            session.execute(
                insert(ever), [{"device_id": device_id, "client_id": cid} for cid in fresh]
            )


def _ids(session: Session, query: Select[Any]) -> set[str]:
    return {str(cid) for cid in session.scalars(query)}


def _in_scope(session: Session, scope: Select[Any], ids: set[str]) -> set[str]:
    """Which of these (few) clients are in scope."""
    found: set[str] = set()
    for chunk in _chunks(ids):
        found |= _ids(session, scope.where(scope.selected_columns[0].in_(chunk)))
    return found


def _chunks(ids: Iterable[str]) -> Iterable[list[str]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start : start + _CHUNK]


def pull(session: Session, actor: Actor, *, cursor_text: str | None, limit: int) -> Page:
    assert actor.device_id is not None
    device = actor.device_id
    cursor = parse_cursor(session, cursor_text)
    state = device_sync(session, device)
    scope = scope_client_ids(actor)  # the one definition (server.policy)
    mine = held.c.device_id == device
    active = held.c.exited_at.is_(None)

    # Clients whose exit this device has seen (its cursor is past the page that carried it).
    session.execute(
        delete(held).where(mine, held.c.exited_at.is_not(None), held.c.exited_at <= cursor.position)
    )
    active_ids = select(held.c.client_id).where(mine, active)
    wanted = scope.subquery()
    entering = _ids(session, select(wanted.c[0]).where(wanted.c[0].not_in(active_ids)))
    leaving = _ids(
        session, select(held.c.client_id).where(mine, active, held.c.client_id.not_in(scope))
    )
    # An enter or exit the device may not have applied (it pulled from an older cursor since).
    # A device without a cursor (new, or reset) gets everything it should hold again.
    if cursor_text is None:
        re_enter = _ids(
            session, select(held.c.client_id).where(mine, active, held.c.client_id.in_(scope))
        )
    else:
        recent = _ids(
            session,
            select(held.c.client_id).where(mine, active, held.c.entered_at > cursor.position),
        )
        re_enter = _in_scope(session, scope, recent)
    re_exit = _ids(
        session,
        select(held.c.client_id).where(
            mine, held.c.exited_at.is_not(None), held.c.client_id.not_in(scope)
        ),
    )

    # The device's held set becomes the scope now; the page's position is written below, once
    # known (PENDING until then). The change feed is then filtered by this small, indexed table
    # rather than by the assignments query, so finding the few changed rows stays cheap.
    if entering:
        returning: set[str] = set()
        for chunk in _chunks(entering):
            returning |= _ids(
                session, select(held.c.client_id).where(mine, held.c.client_id.in_(chunk))
            )
            session.execute(
                update(held)
                .where(mine, held.c.client_id.in_(chunk))
                .values(entered_at=PENDING, exited_at=None)
            )
        new = entering - returning
        if new:
            session.execute(
                insert(held),
                [
                    {"device_id": device, "client_id": cid, "entered_at": PENDING}
                    for cid in sorted(new)
                ],
            )
            remember_held(session, device, new)
    for chunk in _chunks(leaving):
        session.execute(
            update(held).where(mine, held.c.client_id.in_(chunk)).values(exited_at=PENDING)
        )

    records, next_position, more = changes_after(
        session, position=cursor.position, device_id=device, role=actor.role, limit=limit
    )
    whole = whole_clients(session, sorted(entering | re_enter), actor.role)
    merged: dict[tuple[str, str], RecordState] = {}
    for record in [*whole, *records]:
        key = (record.entity, record.id)
        if key not in merged or merged[key].version <= record.version:
            merged[key] = record
    # Parents first: whole clients are already ordered by entity; changes by position.
    page_records = list(merged.values())

    if entering:
        session.execute(
            update(held).where(mine, held.c.entered_at == PENDING).values(entered_at=next_position)
        )
    if leaving:
        session.execute(
            update(held).where(mine, held.c.exited_at == PENDING).values(exited_at=next_position)
        )
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
