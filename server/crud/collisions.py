"""Uniqueness collisions: a device registered a client whose BSN belongs to a client outside its
user's scope. The device got the generic refusal; central office sees them here and acts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.crud import audit
from server.crud.assignments import current_caseworker
from server.errors import not_found
from server.models import UniquenessCollision


def _row(session: Session, found: UniquenessCollision) -> dict[str, Any]:
    return {
        "id": found.id,
        "at": found.at,
        "username": found.username,
        "device_id": found.device_id,
        "entity": found.entity,
        "record_id": found.record_id,
        "field": found.field,
        "existing_client_id": found.existing_client_id,
        "existing_caseworker": current_caseworker(session, found.existing_client_id),
        "handled_at": found.handled_at,
    }


def open_collisions(session: Session, *, include_handled: bool = False) -> list[dict[str, Any]]:
    query = select(UniquenessCollision).order_by(UniquenessCollision.id)
    if not include_handled:
        query = query.where(UniquenessCollision.handled_at.is_(None))
    return [_row(session, found) for found in session.scalars(query)]


def mark_handled(session: Session, collision_id: int, *, by: str) -> dict[str, Any]:
    found = session.get(UniquenessCollision, collision_id)
    if found is None:
        raise not_found("collision")
    if found.handled_at is None:
        found.handled_at = datetime.now(UTC)
        audit.record(
            session,
            actor=by,
            action="collision_handled",
            entity="client",
            record_id=found.existing_client_id,
        )
    return _row(session, found)
