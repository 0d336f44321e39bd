"""The hash-chained audit log: who did what to which record, when.

Each event's hash covers its own content and the previous event's hash, so editing, reordering or
removing an event breaks the chain at that point. The chain is checked here and, once the events
are synced, again by the server.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select

from app.domain.audit_chain import GENESIS, event_hash
from app.domain.errors import VeldwerkError
from app.storage.tables import audit_events

__all__ = ["GENESIS", "AuditChainBroken", "AuditEvent", "append", "event_hash", "verify_chain"]


@dataclass(frozen=True, slots=True)
class AuditEvent:
    seq: int
    event_id: str
    at: str
    actor: str
    action: str
    entity: str
    record_id: str | None
    client_id: str | None
    details: dict[str, Any]
    prev_hash: str
    hash: str


class AuditChainBroken(VeldwerkError):
    def __init__(self, seq: int) -> None:
        super().__init__(
            "audit_chain_broken",
            f"Het auditlogboek is gewijzigd of onvolledig (bij gebeurtenis {seq}).",
            f"The audit log was altered or is incomplete (at event {seq}).",
        )
        self.seq = seq


def last_hash(conn: Connection) -> str:
    row = conn.execute(
        select(audit_events.c.hash).order_by(audit_events.c.seq.desc()).limit(1)
    ).first()
    return str(row.hash) if row else GENESIS


def new_event(
    prev_hash: str,
    *,
    at: str,
    actor: str,
    action: str,
    entity: str,
    record_id: str | None = None,
    client_id: str | None = None,
    details: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The row of one event chained onto `prev_hash` (not yet written)."""
    fields: dict[str, Any] = {
        "event_id": str(uuid.uuid4()),
        "at": at,
        "actor": actor,
        "action": action,
        "entity": entity,
        "record_id": record_id,
        "client_id": client_id,
        "details": dict(details or {}),
    }
    return {**fields, "prev_hash": prev_hash, "hash": event_hash(prev_hash, fields)}


def append(conn: Connection, *, prev_hash: str | None = None, **event: Any) -> str:
    """Append one event inside the caller's transaction; returns its hash.

    `prev_hash` lets a writer that holds the write lock skip looking up the chain's end again.
    """
    row = new_event(last_hash(conn) if prev_hash is None else prev_hash, **event)
    conn.execute(insert(audit_events), row)
    return str(row["hash"])


def append_rows(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Write events made with `new_event`, already chained, in one statement."""
    if rows:
        conn.execute(insert(audit_events), rows)


def events(conn: Connection, *, client_id: str | None = None) -> list[AuditEvent]:
    query = select(audit_events).order_by(audit_events.c.seq)
    if client_id is not None:
        query = query.where(audit_events.c.client_id == client_id)
    return [AuditEvent(**row._asdict()) for row in conn.execute(query)]


def events_after(conn: Connection, seq: int, *, limit: int) -> list[AuditEvent]:
    query = (
        select(audit_events)
        .where(audit_events.c.seq > seq)
        .order_by(audit_events.c.seq)
        .limit(limit)
    )
    return [AuditEvent(**row._asdict()) for row in conn.execute(query)]


def verify_chain(conn: Connection) -> int:
    """Check every link; returns the event count, raises AuditChainBroken at the first bad one."""
    prev = GENESIS
    count = 0
    for row in conn.execute(select(audit_events).order_by(audit_events.c.seq)):
        fields = row._asdict()
        if fields["prev_hash"] != prev or event_hash(prev, fields) != fields["hash"]:
            raise AuditChainBroken(int(fields["seq"]))
        prev = fields["hash"]
        count += 1
    return count
