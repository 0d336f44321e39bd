"""Which caseworker holds which client, with history."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from app.domain.roles import Role
from server.crud.records import client_exists
from server.crud.users import get_user
from server.errors import ApiError, not_found
from server.models import Assignment, AuditEntry, User, clients
from server.sync.feed import mark_touched


def _caseworker_id(session: Session, username: str) -> int:
    user = get_user(session, username)
    if user.role != Role.CASEWORKER or not user.active:
        raise ApiError(422, "not_a_caseworker", "Clients are assigned to active caseworkers only.")
    return user.id


def assign(session: Session, *, client_id: str, caseworker: str, by: str) -> Assignment:
    """Make `caseworker` responsible for the client; a no-op when they already are."""
    if not client_exists(session, client_id):
        raise not_found("client")
    _caseworker_id(session, caseworker)
    assign_many(session, [(client_id, caseworker)], by=by)
    current = session.scalars(
        select(Assignment).where(Assignment.client_id == client_id, Assignment.ended_at.is_(None))
    ).one()
    return current


def assign_many(session: Session, pairs: list[tuple[str, str]], *, by: str) -> int:
    """Assign clients (client id, caseworker user name) in bulk; returns how many changed hands.

    Closes the open assignment of each client that moves, opens the new one, keeps the client
    record's `caseworker` field in step (one version up when it changes) and audits each move.
    """
    wanted = dict(pairs)
    ids = {name: _caseworker_id(session, name) for name in set(wanted.values())}
    current: dict[str, int] = {}
    client_ids = list(wanted)
    for start in range(0, len(client_ids), 900):
        chunk = client_ids[start : start + 900]
        for client_id, caseworker_id in session.execute(
            select(Assignment.client_id, Assignment.caseworker_id).where(
                Assignment.client_id.in_(chunk), Assignment.ended_at.is_(None)
            )
        ):
            current[client_id] = caseworker_id
    moving = [cid for cid, name in wanted.items() if current.get(cid) != ids[name]]
    if not moving:
        return 0
    now = datetime.now(UTC)
    for start in range(0, len(moving), 900):
        chunk = moving[start : start + 900]
        session.execute(
            update(Assignment)
            .where(Assignment.client_id.in_(chunk), Assignment.ended_at.is_(None))
            .values(ended_at=now)
        )
    session.execute(
        insert(Assignment),
        [
            {
                "client_id": cid,
                "caseworker_id": ids[wanted[cid]],
                "assigned_at": now,
                "assigned_by": by,
            }
            for cid in moving
        ],
    )
    for name in {wanted[cid] for cid in moving}:
        movers = [cid for cid in moving if wanted[cid] == name]
        for start in range(0, len(movers), 900):
            chunk = movers[start : start + 900]
            session.execute(
                update(clients)
                .where(clients.c.id.in_(chunk), clients.c.caseworker != name)
                .values(
                    caseworker=name,
                    version=clients.c.version + 1,
                    updated_at=now,
                    updated_by=by,
                    position=None,
                )
            )
    mark_touched(session, "client")
    session.execute(
        insert(AuditEntry),
        [
            {
                "at": now,
                "actor": by,
                "action": "assign",
                "entity": "client",
                "record_id": cid,
                "details": {"caseworker": wanted[cid]},
            }
            for cid in moving
        ],
    )
    return len(moving)


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
