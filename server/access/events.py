"""Who accessed one client's dossier, and when: NEN 7513's fields for each access.

Two logs hold the accesses:

* the server's audit log (`AuditEntry`): views through the API, edits as the server applies a
  device's push, assignments, reviews, exports. It has no client column: an entry is the client's
  when it names the client itself or one of the client's records (found in the record tables,
  tombstones included, and in the late edits kept for the client), or, for a listing that showed
  several clients, when its details name the client;
* the devices' audit events (`DeviceAuditEvent`), synced later, dossiers opened offline included.
  They carry the client; a device's purge (its copy removed) names the client only as its record.

The same edit reaches both logs: the device records it when the caseworker makes it, and the
server records it again when it applies the pushed change. Such a pair is one access, reported
once, from the device (its time is when it happened; its device is where), with the server's
entry id beside it. The pairing is by device, user, action and record, in order: the n-th change
a device pushed of a record goes with the n-th change of it that the device recorded. A change
the server did not apply (refused, all conflicts) has no server entry and stays the device's.

"On whose behalf" is the acting user's team (a caseworker's team, or the team a lead leads);
central office staff are in no team and act in their own name, so it is the user themself. Role
and team are as they are now: the users table keeps no history of them.

Whether a device was offline when it recorded an event is not known: the device does not record
its connection, and the server keeps no history of a device's contacts. `offline` is therefore
None; `source` "device" says the event was recorded on the device, with or without a network.

Nothing here reads a field's value. Of an entry's details only the names of changed fields are
kept (and only names the record really has), never free text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.access_log import AccessCategory, category_of
from app.domain.schema import FIELDS, field_names
from server.access.errors import InvalidPeriod, UnknownClient
from server.models import (
    RECORD_TABLES,
    AuditEntry,
    Device,
    DeviceAuditEvent,
    OrphanedMutation,
    Team,
    TeamMember,
    User,
    clients,
)

__all__ = ["AccessEvent", "Source", "access_events"]

Source = Literal["server", "device"]

# The server's entries that record applying a device's journal entry (server.sync.push): the
# device recorded the same change itself.
APPLIED_FROM_DEVICE = frozenset(
    {
        "create",
        "update",
        "delete",
        "submit",
        "approve",
        "return",
        "resolve",
        "reopen",
        "sign",
        "activate",
        "close",
    }
)
# Entries about a listing of several clients, naming them in details["clients"].
# The console's caseload listings (server.console.caseload) show names and BSNs to an admin.
LISTING_ENTITIES = ("orphaned_change", "caseload")
_CHUNK = 900  # ids per IN (...), well under every backend's limit on bound parameters
_LATEST = datetime.max.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class AccessEvent:
    """One access to the dossier. `at` is UTC; None when a device sent a time that cannot be
    read (kept, never dropped, and counted in every period: it cannot be placed outside one)."""

    event_id: str  # "server:<entry id>" or "device:<event id>"
    category: AccessCategory  # NEN 7513: create, read, update, delete, export
    action: str  # the log's own name for it ("view", "sign", "purge", ...)
    entity: str
    record_id: str | None
    fields: tuple[str, ...]  # names of the changed fields, for an update
    at: datetime | None
    user: str  # the account name, as logged ("k.dijkstra", "cli:root")
    user_name: str  # display name; the account name when the user is not known
    role: str | None  # the user's role; None when the actor is no user (a server command)
    on_behalf_of: str
    device_id: str | None
    device_name: str | None
    source: Source
    offline: bool | None  # not known (see the module's docstring)
    chain_ok: bool | None  # a device event: whether its hash chain was intact; None for server
    server_entry_id: int | None  # the server's entry of the same change, when both logged it


def access_events(
    session: Session,
    client_id: str,
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[AccessEvent]:
    """Every access to the client's dossier with `start <= at < end` (aware datetimes; None is
    an open end), oldest first. `UnknownClient` for an id that is no client, `InvalidPeriod`
    when `end` is before `start`."""
    for bound in (start, end):
        if bound is not None and bound.tzinfo is None:
            raise ValueError("naive datetime")
    if start is not None and end is not None and end < start:
        raise InvalidPeriod()
    if session.execute(select(clients.c.id).where(clients.c.id == client_id)).first() is None:
        raise UnknownClient()
    records = _records_of(session, client_id)
    entries = _server_entries(session, client_id, records)
    device_events = _device_events(session, client_id, records)
    paired = _pair(entries, device_events)
    people = _people(session, {e.actor for e in entries} | {e.actor for e in device_events})
    names = _device_names(
        session, {e.device_id for e in entries} | {e.device_id for e in device_events}
    )
    merged = set(paired.values())  # reported once, as the device's
    found = [
        *(_from_server(e, people, names) for e in entries if e.id not in merged),
        *(_from_device(e, people, names, paired.get(e.id)) for e in device_events),
    ]
    within = [e for e in found if _within(e.at, start, end)]
    # Oldest first, an unreadable time last; the sort is stable, so events of the same moment
    # keep the order each log gave them (its ids), and two runs agree.
    return sorted(within, key=lambda e: e.at or _LATEST)


# ----------------------------------------------------------------------------- which rows


def _records_of(session: Session, client_id: str) -> set[tuple[str, str]]:
    """(entity, id) of the client and every record of theirs, deleted ones included, and of
    the late edits kept for them (records the server may never have created)."""
    found = {("client", client_id)}
    for entity, table in RECORD_TABLES.items():
        if entity == "client":
            continue
        rows = session.execute(select(table.c.id).where(table.c.client_id == client_id))
        found.update((entity, str(row.id)) for row in rows)
    # Only the two ids out of a late edit: its values stay where they are.
    late = select(
        OrphanedMutation.entry["entity"].as_string(),
        OrphanedMutation.entry["record_id"].as_string(),
    ).where(OrphanedMutation.client_id == client_id)
    found.update(
        (str(entity), str(record_id))
        for entity, record_id in session.execute(late)
        if entity and record_id
    )
    return found


def _chunks(values: Iterable[str]) -> list[list[str]]:
    ordered = sorted(set(values))
    return [ordered[i : i + _CHUNK] for i in range(0, len(ordered), _CHUNK)]


def _server_entries(
    session: Session, client_id: str, records: set[tuple[str, str]]
) -> list[AuditEntry]:
    found: dict[int, AuditEntry] = {}
    for chunk in _chunks(record_id for _, record_id in records):
        for entry in session.scalars(select(AuditEntry).where(AuditEntry.record_id.in_(chunk))):
            # The entity too: an id is only the client's as a record of that kind.
            if (entry.entity, entry.record_id) in records:
                found[entry.id] = entry
    listings = select(AuditEntry).where(AuditEntry.entity.in_(LISTING_ENTITIES))
    for entry in session.scalars(listings):
        named = (entry.details or {}).get("clients")
        if isinstance(named, list) and client_id in named:
            found[entry.id] = entry
    return sorted(found.values(), key=lambda e: e.id)


def _device_events(
    session: Session, client_id: str, records: set[tuple[str, str]]
) -> list[DeviceAuditEvent]:
    found = {
        e.id: e
        for e in session.scalars(
            select(DeviceAuditEvent).where(DeviceAuditEvent.client_id == client_id)
        )
    }
    for chunk in _chunks(record_id for _, record_id in records):
        query = select(DeviceAuditEvent).where(
            DeviceAuditEvent.client_id.is_(None), DeviceAuditEvent.record_id.in_(chunk)
        )
        for event in session.scalars(query):
            if (event.entity, event.record_id) in records:
                found[event.id] = event
    return sorted(found.values(), key=lambda e: e.id)


def _pair(entries: Sequence[AuditEntry], events: Sequence[DeviceAuditEvent]) -> dict[int, int]:
    """Device event row id -> the server entry id of the same change (see the docstring)."""
    waiting: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for entry in entries:  # in id order, the order the server applied them
        if entry.device_id is not None and entry.action in APPLIED_FROM_DEVICE:
            key = (entry.device_id, entry.actor, entry.action, entry.entity, entry.record_id)
            waiting[key].append(entry.id)
    paired: dict[int, int] = {}
    for event in events:  # in arrival order, which is each device's chain order
        key = (event.device_id, event.actor, event.action, event.entity, event.record_id)
        if waiting.get(key):
            paired[event.id] = waiting[key].pop(0)
    return paired


# ----------------------------------------------------------------------------- who, where


@dataclass(frozen=True, slots=True)
class _Person:
    name: str
    role: str | None
    on_behalf_of: str


def _people(session: Session, actors: set[str]) -> dict[str, _Person]:
    users = list(session.scalars(select(User).where(User.username.in_(sorted(actors)))))
    ids = [u.id for u in users]
    member_of = {
        row.user_id: row.name
        for row in session.execute(
            select(TeamMember.user_id, Team.name)
            .join(Team, Team.id == TeamMember.team_id)
            .where(TeamMember.user_id.in_(ids))
        )
    }
    leads = {
        row.lead_id: row.name
        for row in session.execute(select(Team.lead_id, Team.name).where(Team.lead_id.in_(ids)))
    }
    return {
        u.username: _Person(
            name=u.display_name or u.username,
            role=u.role,
            on_behalf_of=member_of.get(u.id) or leads.get(u.id) or u.display_name or u.username,
        )
        for u in users
    }


def _person(actor: str, people: dict[str, _Person]) -> _Person:
    # A server command's operator ("cli:root") or a process is no user: it acts in its own name.
    return people.get(actor) or _Person(name=actor, role=None, on_behalf_of=actor)


def _device_names(session: Session, ids: set[str | None]) -> dict[str, str]:
    wanted = sorted(i for i in ids if i)
    query = select(Device.id, Device.name).where(Device.id.in_(wanted))
    return {row.id: row.name for row in session.execute(query)}


# ----------------------------------------------------------------------------- events


def _fields(entity: str, details: Any) -> tuple[str, ...]:
    named = details.get("fields") if isinstance(details, dict) else None
    if not isinstance(named, list) or entity not in FIELDS:
        return ()
    known = set(field_names(entity))
    return tuple(str(f) for f in named if f in known)


def _device_time(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _from_server(
    entry: AuditEntry, people: dict[str, _Person], names: dict[str, str]
) -> AccessEvent:
    person = _person(entry.actor, people)
    return AccessEvent(
        event_id=f"server:{entry.id}",
        category=category_of(entry.action),
        action=entry.action,
        entity=entry.entity,
        record_id=entry.record_id,
        fields=_fields(entry.entity, entry.details),
        at=entry.at.astimezone(UTC),
        user=entry.actor,
        user_name=person.name,
        role=person.role,
        on_behalf_of=person.on_behalf_of,
        device_id=entry.device_id,
        device_name=names.get(entry.device_id) if entry.device_id else None,
        source="server",
        offline=None,
        chain_ok=None,
        server_entry_id=entry.id,
    )


def _from_device(
    event: DeviceAuditEvent,
    people: dict[str, _Person],
    names: dict[str, str],
    server_entry_id: int | None,
) -> AccessEvent:
    person = _person(event.actor, people)
    return AccessEvent(
        event_id=f"device:{event.event_id}",
        category=category_of(event.action),
        action=event.action,
        entity=event.entity,
        record_id=event.record_id,
        fields=_fields(event.entity, event.details),
        at=_device_time(event.at),
        user=event.actor,
        user_name=person.name,
        role=person.role,
        on_behalf_of=person.on_behalf_of,
        device_id=event.device_id,
        device_name=names.get(event.device_id),
        source="device",
        offline=None,
        chain_ok=event.chain_ok,
        server_entry_id=server_entry_id,
    )


def _within(at: datetime | None, start: datetime | None, end: datetime | None) -> bool:
    if at is None:
        return True
    return (start is None or at >= start) and (end is None or at < end)
