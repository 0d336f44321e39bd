"""Server audit log: append-only, no field values (who, what, which record, which device, when)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from server.models import AuditEntry


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    record_id: str | None = None,
    device_id: str | None = None,
    **details: Any,
) -> None:
    session.add(
        AuditEntry(
            at=datetime.now(UTC),
            actor=actor,
            device_id=device_id,
            action=action,
            entity=entity,
            record_id=record_id,
            details=details,
        )
    )


def row(
    *,
    actor: str,
    action: str,
    entity: str,
    record_id: str | None = None,
    device_id: str | None = None,
    **details: Any,
) -> dict[str, Any]:
    """An audit entry as a row, for callers that insert many at once (`insert_rows`)."""
    return {
        "at": datetime.now(UTC),
        "actor": actor,
        "device_id": device_id,
        "action": action,
        "entity": entity,
        "record_id": record_id,
        "details": details,
    }


def insert_rows(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        # Core, not the ORM's bulk path: plain values, and its bookkeeping per row cost more.
        session.execute(insert(cast(Table, AuditEntry.__table__)), rows)


def recent(session: Session, *, limit: int = 100) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    return list(session.scalars(query))
