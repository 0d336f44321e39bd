"""Which caseworker holds which client, with history."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.crud import audit
from server.crud.records import client_exists
from server.crud.users import get_user
from server.errors import ApiError, not_found
from server.models import Assignment, User


def assign(session: Session, *, client_id: str, caseworker: str, by: str) -> Assignment:
    """Make `caseworker` responsible for the client; a no-op when they already are."""
    if not client_exists(session, client_id):
        raise not_found("client")
    user = get_user(session, caseworker)
    if user.role != "caseworker" or not user.active:
        raise ApiError(422, "not_a_caseworker", "Clients are assigned to active caseworkers only.")
    current = session.scalars(
        select(Assignment).where(Assignment.client_id == client_id, Assignment.ended_at.is_(None))
    ).first()
    if current is not None and current.caseworker_id == user.id:
        return current
    now = datetime.now(UTC)
    if current is not None:
        current.ended_at = now
        session.flush()  # the unique index on open assignments sees the old one closed first
    assignment = Assignment(
        client_id=client_id, caseworker_id=user.id, assigned_at=now, assigned_by=by
    )
    session.add(assignment)
    session.flush()
    audit.record(
        session,
        actor=by,
        action="assign",
        entity="client",
        record_id=client_id,
        caseworker=caseworker,
    )
    return assignment


def history(session: Session, client_id: str) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Assignment, User.username)
        .join(User, User.id == Assignment.caseworker_id)
        .where(Assignment.client_id == client_id)
        .order_by(Assignment.assigned_at, Assignment.id)
    )
    return [
        {
            "caseworker": username,
            "assigned_at": a.assigned_at,
            "assigned_by": a.assigned_by,
            "ended_at": a.ended_at,
        }
        for a, username in rows
    ]


def current_caseworker(session: Session, client_id: str) -> str | None:
    row = session.execute(
        select(User.username)
        .join(Assignment, Assignment.caseworker_id == User.id)
        .where(Assignment.client_id == client_id, Assignment.ended_at.is_(None))
    ).first()
    return str(row.username) if row else None
