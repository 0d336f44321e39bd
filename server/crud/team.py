"""What a team lead sees of their team beyond the intakes under review: figures without personal
data, the administrators' acts that gave someone access to the team's dossiers, and the late edits
of the team's clients that a device sent after the client had moved (SYNC.md rule 9).

The figures and the late edits are WATCH_TEAM acts: their scope is `policy.team_client_ids` (every
client currently assigned to a caseworker of the team), not the dossier scope. A late edit shows
its field values only for the kinds of record a team lead sees of a dossier
(`policy.visible_entities`); of any other kind (a visit report, a note) it names the fields only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import Session, aliased

from app.domain.clocks import ClockState, intake_clocks, most_urgent
from app.domain.formatting import full_name
from app.domain.local_time import ZONE
from app.domain.roles import Role
from app.domain.schema import FIELDS, field_names
from app.domain.states import IntakeStatus
from server.council.team import team_council_figures
from server.crud import audit
from server.errors import not_found
from server.models import (
    Assignment,
    AuditEntry,
    Device,
    DeviceSync,
    OrphanedMutation,
    Team,
    TeamMember,
    User,
    clients,
    intakes,
)
from server.policy import Actor, team_client_ids, visible_entities

STALE_AFTER = timedelta(days=14)
# A device this long without contact is worth a word with its caseworker before the lease runs out.
STALE_SOON_AFTER = timedelta(days=3)
# The acts that give an account a way into dossiers (server.crud.users, assignments, devices).
GRANTS = {
    "user": ("create", "issue_enrollment_code"),
    "team": ("create", "add_member"),
    "client": ("assign",),
}
# What the figures read of an intake: its status, when it was decided, and the clocks' dates.
_INTAKE_COLUMNS = (
    intakes.c.status,
    intakes.c.reviewed_at,
    intakes.c.wmo_melding_date,
    intakes.c.wmo_report_given_date,
    intakes.c.wmo_aanvraag_date,
    intakes.c.pw_aanvraag_date,
)


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


def _moment(value: object) -> datetime | None:
    """A stored ISO moment (naive means UTC, as synced times are written); None if unreadable."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _day(value: object) -> date | None:
    """A stored ISO date; None if empty or unreadable."""
    if not value:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _decided(status: str, reviewed_at: object) -> date | None:
    """The day an intake was decided: the local day of its approval, else none yet."""
    moment = _moment(reviewed_at) if status == IntakeStatus.APPROVED else None
    return moment.astimezone(ZONE).date() if moment is not None else None


def _quiet(devices: Iterable[Any], now: datetime, after: timedelta) -> int:
    """How many of these devices (rows with `last_seen`) have had no contact for `after`."""
    return sum(1 for d in devices if d.last_seen is None or now - d.last_seen > after)


def intake_figures(rows: Iterable[Mapping[Any, Any]], *, now: datetime) -> dict[str, Any]:
    """Counts over one caseworker's intakes (rows with the `_INTAKE_COLUMNS`): by status, the
    approvals of the current calendar month in Europe/Amsterdam, and the intakes not yet approved
    whose most urgent statutory clock is due soon or overdue."""
    local_now = now.astimezone(ZONE)
    today, month = local_now.date(), (local_now.year, local_now.month)
    by_status = {status.value: 0 for status in IntakeStatus}
    approved_this_month = due_soon = overdue = 0
    for row in rows:
        status = str(row["status"])
        by_status[status] = by_status.get(status, 0) + 1
        if status == IntakeStatus.APPROVED:
            moment = _moment(row["reviewed_at"])
            local = moment.astimezone(ZONE) if moment is not None else None
            approved_this_month += local is not None and (local.year, local.month) == month
            continue
        clock = most_urgent(
            intake_clocks(
                wmo_melding=_day(row["wmo_melding_date"]),
                wmo_report_given=_day(row["wmo_report_given_date"]),
                wmo_aanvraag=_day(row["wmo_aanvraag_date"]),
                pw_aanvraag=_day(row["pw_aanvraag_date"]),
                decided=_decided(status, row["reviewed_at"]),
            ),
            today,
        )
        state = clock.state(today) if clock is not None else None
        due_soon += state is ClockState.DUE_SOON
        overdue += state is ClockState.OVERDUE
    return {
        "intakes": by_status,
        "intakes_waiting": by_status[IntakeStatus.SUBMITTED.value],
        "intakes_returned": by_status[IntakeStatus.RETURNED.value],
        "approved_this_month": approved_this_month,
        "clocks_due_soon": due_soon,
        "clocks_overdue": overdue,
    }


def figures(session: Session, actor: Actor, *, now: datetime | None = None) -> dict[str, Any]:
    """Per caseworker of the lead's team: counts only (clients, intakes, clocks, devices,
    conflicts, late edits), of the clients currently assigned to that caseworker; and for the
    team as a whole the council report's figures (server.council.team)."""
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
        intake_rows = (
            session.execute(
                select(*_INTAKE_COLUMNS).where(
                    intakes.c.client_id.in_(held), intakes.c.deleted.is_(False)
                )
            )
            .mappings()
            .all()
        )
        devices = list(
            session.execute(
                select(Device.id, Device.last_seen).where(
                    Device.user_id == user_id, Device.revoked_at.is_(None)
                )
            )
        )
        seen = [d.last_seen for d in devices if d.last_seen is not None]
        device_ids = [str(d.id) for d in devices]
        # Conflicts are settled on the device; the count is what each device last reported.
        conflicts = (
            session.scalar(
                select(func.sum(DeviceSync.open_conflicts)).where(
                    DeviceSync.device_id.in_(device_ids)
                )
            )
            if device_ids
            else 0
        )
        orphaned = session.scalar(
            select(func.count())
            .select_from(OrphanedMutation)
            .where(OrphanedMutation.client_id.in_(held), OrphanedMutation.handled_at.is_(None))
        )
        members.append(
            {
                "username": username,
                "clients": int(client_count),
                **intake_figures(intake_rows, now=now),
                "devices": len(devices),
                "devices_not_synced_14_days": _quiet(devices, now, STALE_AFTER),
                "devices_not_synced_3_days": _quiet(devices, now, STALE_SOON_AFTER),
                "last_contact": max(seen) if seen else None,
                "open_conflicts": int(conflicts or 0),
                "orphaned_changes": int(orphaned or 0),
            }
        )
    # The council report's figures for the team as a whole, under the same disclosure rules.
    return {"team": team.name, "members": members, **team_council_figures(session, team, now=now)}


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


# ------------------------------------------------------------------------- late edits


def _orphans_of_team(actor: Actor) -> Select[Any]:
    """The late edits of the team's clients, with who sent them, the client's name parts and
    the caseworker who holds the client now: unhandled first, then newest first."""
    sender = aliased(User)
    holder = aliased(User)
    return (
        select(
            OrphanedMutation,
            sender.username.label("sent_by"),
            clients.c.initials,
            clients.c.name_prefix,
            clients.c.surname,
            holder.username.label("current_caseworker"),
        )
        .join(clients, clients.c.id == OrphanedMutation.client_id)
        .outerjoin(Device, Device.id == OrphanedMutation.device_id)
        .outerjoin(sender, sender.id == Device.user_id)
        .outerjoin(
            Assignment,
            and_(
                Assignment.client_id == OrphanedMutation.client_id,
                Assignment.ended_at.is_(None),
            ),
        )
        .outerjoin(holder, holder.id == Assignment.caseworker_id)
        .where(OrphanedMutation.client_id.in_(team_client_ids(actor)))
        .order_by(
            case((OrphanedMutation.handled_at.is_(None), 0), else_=1),
            OrphanedMutation.created_at.desc(),
            OrphanedMutation.id.desc(),
        )
    )


def _ordered_names(entity: str, names: Iterable[str]) -> list[str]:
    """Field names in the record's own order; names it does not know (a command) after them."""
    known = field_names(entity) if entity in FIELDS else ()
    given = set(names)
    return [n for n in known if n in given] + sorted(given.difference(known))


def _orphan_row(found: Any) -> dict[str, Any]:
    change: OrphanedMutation = found[0]
    entry = change.entry
    entity = str(entry.get("entity", ""))
    values = dict(entry.get("new_values") or {})
    shown = entity in visible_entities(Role.TEAM_LEAD)
    return {
        "id": change.id,
        "created_at": change.created_at,
        "handled_at": change.handled_at,
        "sent_by": found.sent_by,
        "entity": entity,
        "op": str(entry.get("op", "")),
        "record_id": str(entry.get("record_id", "")),
        "client_id": change.client_id,
        "client_name": full_name(
            surname=str(found.surname or ""),
            initials=str(found.initials or ""),
            name_prefix=str(found.name_prefix or ""),
        ),
        "current_caseworker": found.current_caseworker,
        "values_shown": shown,
        # A value of another kind of record is left out altogether, not sent as null.
        "fields": [
            {"name": name, "value": values[name]} if shown else {"name": name}
            for name in _ordered_names(entity, values)
        ],
    }


def orphaned_changes(session: Session, actor: Actor, *, limit: int = 200) -> list[dict[str, Any]]:
    """The late edits of clients of the lead's team, unhandled first, then newest first. They
    name clients (and may hold values), so a listing that shows any is audited as a view, with
    the clients it showed. The device cannot audit it: its chain only names clients it holds."""
    rows = [_orphan_row(found) for found in session.execute(_orphans_of_team(actor).limit(limit))]
    if rows:
        audit.record(
            session,
            actor=actor.username,
            device_id=actor.device_id,
            action="view",
            entity="orphaned_change",
            clients=sorted({str(row["client_id"]) for row in rows}),
        )
    return rows


def mark_orphan_handled(session: Session, actor: Actor, change_id: int) -> dict[str, Any]:
    """Mark a late edit of the team as dealt with (taken over by hand, or set aside); audited
    once, with the lead's name. One outside the team answers exactly as one that does not
    exist."""
    found = session.execute(_orphans_of_team(actor).where(OrphanedMutation.id == change_id)).first()
    if found is None:
        raise not_found("orphaned change")
    change: OrphanedMutation = found[0]
    if change.handled_at is None:
        change.handled_at = datetime.now(UTC)
        audit.record(
            session,
            actor=actor.username,
            device_id=actor.device_id,
            action="orphaned_change_handled",
            entity=str(change.entry.get("entity", "")),
            record_id=str(change.entry.get("record_id", "")),
        )
    return _orphan_row(found)
