"""The change feed: positions in commit order, opaque cursors with an epoch, pull pages.

Every write marks the entities it touched and leaves `position` null on the rows it wrote. Just
before the transaction commits, `stamp_positions` takes the next value of the one counter row
(an UPDATE, so the row lock is held until commit) and writes it on those rows. Writers therefore
get positions in the order they commit, and a pull that has seen position N can never later meet
a row committed with a position below N. A pull reads in one snapshot.
"""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, exists, select, update
from sqlalchemy.orm import Session

from app.sync.protocol import RecordState
from server.errors import ApiError
from server.models import RECORD_BOOKKEEPING, RECORD_TABLES, DeviceClient, ServerState, SyncCounter
from server.policy import visible_entities

_TOUCHED = "veldwerk.touched_entities"


def mark_touched(session: Session, entity: str) -> None:
    session.info.setdefault(_TOUCHED, set()).add(entity)


def stamp_positions(session: Session) -> int | None:
    touched: set[str] = session.info.pop(_TOUCHED, set())
    if not touched:
        return None
    position = int(
        session.execute(
            update(SyncCounter)
            .where(SyncCounter.id == 1)
            .values(value=SyncCounter.value + 1)
            .returning(SyncCounter.value)
        ).scalar_one()
    )
    for entity in touched:
        table = RECORD_TABLES[entity]
        session.execute(update(table).where(table.c.position.is_(None)).values(position=position))
    return position


def server_state(session: Session) -> ServerState:
    return session.get_one(ServerState, 1)


def current_position(session: Session) -> int:
    return int(session.execute(select(SyncCounter.value).where(SyncCounter.id == 1)).scalar_one())


@dataclass(frozen=True, slots=True)
class Cursor:
    epoch: str
    position: int

    def encode(self) -> str:
        raw = json.dumps({"e": self.epoch, "p": self.position}, separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def reset_required(reason: str) -> ApiError:
    return ApiError(409, "reset_required", f"Download everything again: {reason}.")


def parse_cursor(session: Session, text: str | None) -> Cursor:
    state = server_state(session)
    if not text:
        return Cursor(state.epoch, 0)
    try:
        padded = text + "=" * (-len(text) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        cursor = Cursor(str(data["e"]), int(data["p"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise ApiError(
            422, "invalid_cursor", "The cursor is not one this server handed out."
        ) from exc
    if cursor.epoch != state.epoch:
        raise reset_required("the server's data was recreated or restored")
    if cursor.position > current_position(session):
        raise reset_required("the cursor is ahead of the server (restored from a backup?)")
    if 0 < cursor.position < state.horizon:
        raise reset_required("the device was away longer than deleted records are kept")
    return cursor


def record_state(entity: str, row: Any) -> RecordState:
    mapping = row._mapping
    return RecordState(
        entity=entity,
        id=str(mapping["id"]),
        client_id=str(mapping["id"] if entity == "client" else mapping["client_id"]),
        version=int(mapping["version"]),
        deleted=bool(mapping["deleted"]),
        fields={
            k: v for k, v in mapping.items() if k not in RECORD_BOOKKEEPING and k != "position"
        },
    )


def _client_key(entity: str, table: Table) -> Any:
    return table.c.id if entity == "client" else table.c.client_id


def entities_for(role: str) -> tuple[str, ...]:
    return visible_entities(role)


def whole_clients(session: Session, client_ids: list[str], role: str) -> list[RecordState]:
    """Everything of these clients (tombstones left out), parents first."""
    found: list[RecordState] = []
    for entity in entities_for(role):
        table = RECORD_TABLES[entity]
        key = _client_key(entity, table)
        for start in range(0, len(client_ids), 900):
            chunk = client_ids[start : start + 900]
            rows = session.execute(
                select(table).where(key.in_(chunk), table.c.deleted.is_(False)).order_by(table.c.id)
            )
            found.extend(record_state(entity, row) for row in rows)
    return found


def _changed_rows(
    session: Session,
    *,
    device_id: str,
    role: str,
    after: int,
    up_to: int | None = None,
    limit: int | None = None,
) -> list[tuple[int, int, Any, str]]:
    """(position, entity order, row, entity) of rows changed in (after, up_to] of the clients
    the device holds. The position index finds the few changed rows and each is checked against
    the device's held clients by primary key, so the work follows the changes, not the size of
    the caseload."""
    held = cast(Table, DeviceClient.__table__)
    found: list[tuple[int, int, Any, str]] = []
    for order, entity in enumerate(entities_for(role)):
        table = RECORD_TABLES[entity]
        holds = exists().where(
            held.c.device_id == device_id,
            held.c.client_id == _client_key(entity, table),
            held.c.exited_at.is_(None),
        )
        query = select(table).where(table.c.position > after, holds)
        if up_to is not None:
            query = query.where(table.c.position <= up_to)
        query = query.order_by(table.c.position)
        if limit is not None:
            query = query.limit(limit)
        found.extend((int(r.position), order, r, entity) for r in session.execute(query))
    found.sort(key=lambda c: (c[0], c[1]))
    return found


def changes_after(
    session: Session, *, position: int, device_id: str, role: str, limit: int
) -> tuple[list[RecordState], int, bool]:
    """Records changed after `position` for the clients the device holds (`device_clients`), in
    whole positions: a page never splits one transaction's changes, and parents come before
    children within a position.

    Returns (records, the position the next page starts after, more)."""
    head = current_position(session)
    probe = _changed_rows(session, device_id=device_id, role=role, after=position, limit=limit + 1)
    if not probe:
        return [], head, False
    positions = sorted({c[0] for c in probe})
    cut = positions[0]
    counted = 0
    for pos in positions:
        counted += sum(1 for c in probe if c[0] == pos)
        if counted > limit and pos != positions[0]:
            break
        cut = pos
    rows = _changed_rows(session, device_id=device_id, role=role, after=position, up_to=cut)
    more = bool(_changed_rows(session, device_id=device_id, role=role, after=cut, limit=1))
    records = [record_state(entity, row) for _p, _o, row, entity in rows]
    return records, (cut if more else head), more


def ensure_state(session: Session) -> None:
    """The epoch row and the counter row exist (the migration makes them; a wiped test database
    or a hand-made one may lack them)."""
    if session.get(ServerState, 1) is None:
        session.add(ServerState(id=1, epoch=str(uuid.uuid4()), horizon=0))
    if session.get(SyncCounter, 1) is None:
        session.add(SyncCounter(id=1, value=0))
    session.flush()
