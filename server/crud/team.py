"""What a team lead sees of their team beyond the intakes under review: figures without personal
data, and the administrators' acts that gave someone access to the team's dossiers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from app.domain.states import IntakeStatus
from server.errors import not_found
from server.models import (
    Assignment,
    AuditEntry,
    Conflict,
    Device,
    Team,
    TeamMember,
    User,
    clients,
    intakes,
)
from server.policy import Actor

STALE_AFTER = timedelta(days=14)
# The acts that give an account a way into dossiers (server.crud.users, assignments, devices).
GRANTS = {
    "user": ("create", "issue_enrollment_code"),
    "team": ("create", "add_member"),
    "client": ("assign",),
}


def led_team(session: Session, actor: Actor) -> Team:
    team = session.scalars(select(Team).where(Team.lead_id == actor.user_id)).first()
    if team is None:
        raise not_found("team")
    return team


def _members(session: Session, team: Team) -> list[tuple[int, str]]:
    rows = session.execute(
        select(User.id, User.username)
        .join(TeamMember, TeamMember.user_id == User.id)
        .where(TeamMember.team_id == team.id)
        .order_by(User.username)
    )
    return [(int(r.id), str(r.username)) for r in rows]


def figures(session: Session, actor: Actor, *, now: datetime | None = None) -> dict[str, Any]:
    """Per caseworker of the lead's team: counts only."""
    team = led_team(session, actor)
    now = now or datetime.now(UTC)
    members = []
    for user_id, username in _members(session, team):
        held = (
            select(Assignment.client_id)
            .join(clients, clients.c.id == Assignment.client_id)
            .where(
                Assignment.caseworker_id == user_id,
                Assignment.ended_at.is_(None),
                clients.c.deleted.is_(False),
            )
        )
        client_count = session.scalar(select(func.count()).select_from(held.subquery())) or 0
        by_status = {status.value: 0 for status in IntakeStatus}
        for status, count in session.execute(
            select(intakes.c.status, func.count())
            .where(intakes.c.client_id.in_(held), intakes.c.deleted.is_(False))
            .group_by(intakes.c.status)
        ):
            by_status[str(status)] = int(count)
        devices = list(
            session.execute(
                select(Device.id, Device.last_seen).where(
                    Device.user_id == user_id, Device.revoked_at.is_(None)
                )
            )
        )
        seen = [d.last_seen for d in devices if d.last_seen is not None]
        stale = sum(1 for d in devices if d.last_seen is None or now - d.last_seen > STALE_AFTER)
        device_ids = [str(d.id) for d in devices]
        conflicts = (
            session.scalar(
                select(func.count())
                .select_from(Conflict)
                .where(Conflict.device_id.in_(device_ids), Conflict.resolved_at.is_(None))
            )
            if device_ids
            else 0
        )
        members.append(
            {
                "username": username,
                "clients": int(client_count),
                "intakes": by_status,
                "devices": len(devices),
                "devices_not_synced_14_days": stale,
                "last_contact": max(seen) if seen else None,
                "open_conflicts": int(conflicts or 0),
            }
        )
    return {"team": team.name, "members": members}


def access_grants(session: Session, actor: Actor, *, limit: int = 200) -> list[dict[str, Any]]:
    """The newest administrators' acts that gave access to this team's dossiers: accounts and
    enrollment codes of its members and its lead, its memberships, assignments to its members."""
    team = led_team(session, actor)
    people = [name for _id, name in _members(session, team)] + [actor.username]
    caseworker = AuditEntry.details["caseworker"].as_string()
    query = (
        select(AuditEntry)
        .where(
            or_(
                and_(
                    AuditEntry.entity == "user",
                    AuditEntry.action.in_(GRANTS["user"]),
                    AuditEntry.record_id.in_(people),
                ),
                and_(
                    AuditEntry.entity == "team",
                    AuditEntry.action.in_(GRANTS["team"]),
                    AuditEntry.record_id == team.name,
                ),
                and_(
                    AuditEntry.entity == "client",
                    AuditEntry.action.in_(GRANTS["client"]),
                    caseworker.in_(people),
                ),
            )
        )
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    )
    result = []
    for entry in session.scalars(query):
        details = entry.details or {}
        subject = details.get("username") or details.get("caseworker")
        if entry.entity == "user":
            subject = entry.record_id
        result.append(
            {
                "at": entry.at,
                "actor": entry.actor,
                "action": entry.action,
                "entity": entry.entity,
                "record_id": entry.record_id,
                "username": subject,
            }
        )
    return result
