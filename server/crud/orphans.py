"""Orphaned mutations: device edits that arrived after their client left the device's scope."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.crud import audit
from server.errors import ApiError
from server.models import Device, OrphanedMutation, User
from server.policy import Action, Actor, require, visible_entities


def _row(change: OrphanedMutation, username: str | None) -> dict[str, Any]:
    entry = change.entry
    return {
        "id": change.id,
        "device_id": change.device_id,
        "username": username,
        "created_at": change.created_at,
        "handled_at": change.handled_at,
        "entity": str(entry.get("entity", "")),
        "record_id": str(entry.get("record_id", "")),
        "op": str(entry.get("op", "")),
        "new_values": dict(entry.get("new_values") or {}),
    }


def for_client(session: Session, actor: Actor, client_id: str) -> list[dict[str, Any]]:
    """The orphaned edits of a client in scope, of the kinds of record the actor sees (a team
    lead is not shown a late visit report or note through this back door)."""
    require(session, actor, Action.READ_DOSSIER, client_id=client_id)
    rows = session.execute(
        select(OrphanedMutation, User.username)
        .outerjoin(Device, Device.id == OrphanedMutation.device_id)
        .outerjoin(User, User.id == Device.user_id)
        .where(OrphanedMutation.client_id == client_id)
        .order_by(OrphanedMutation.id)
    ).all()
    kinds = visible_entities(actor.role)
    shown = [
        _row(change, username)
        for change, username in rows
        if str(change.entry.get("entity", "")) in kinds
    ]
    if shown:
        # The late edits hold the dossier's values: reading them is a view of it, as the team
        # lead's listing of them is (server.crud.team.orphaned_changes).
        audit.record(
            session,
            actor=actor.username,
            device_id=actor.device_id,
            action="view",
            entity="orphaned_change",
            clients=[client_id],
        )
    return shown


def mark_handled(session: Session, actor: Actor, client_id: str, change_id: int) -> dict[str, Any]:
    require(session, actor, Action.READ_DOSSIER, client_id=client_id)
    found = session.execute(
        select(OrphanedMutation, User.username)
        .outerjoin(Device, Device.id == OrphanedMutation.device_id)
        .outerjoin(User, User.id == Device.user_id)
        .where(OrphanedMutation.id == change_id, OrphanedMutation.client_id == client_id)
    ).first()
    if found is None or str(found[0].entry.get("entity", "")) not in visible_entities(actor.role):
        raise ApiError(404, "not_found", "No such orphaned change for this client.")
    change, username = found
    if change.handled_at is None:
        change.handled_at = datetime.now(UTC)
        audit.record(
            session,
            actor=actor.username,
            action="orphaned_change_handled",
            entity=str(change.entry.get("entity", "")),
            record_id=str(change.entry.get("record_id", "")),
        )
    return _row(change, username)
