"""The team lead's overview: figures per caseworker of the team, and the late edits of the team's
clients that a device sent after the client had moved to another caseworker (SYNC.md rule 9).

Both live on the central office server and are never stored on this device: every call goes to
the server through the profile's own authenticated transport (`sync.transport_for`). Without a
connection a call raises the transport's `SyncError` ("server_unreachable"), which a screen tells
apart by its code, as the sync screen does. No local audit event is written: the server audits
the listing (it names clients this device does not hold, which a device's own audit chain may not
name) and the marking.

    overview = team_overview(store)
    overview.figure("seen_at_home").value("share_seen", period=overview.period)
    changes = orphaned_changes(store, language="nl")
    mark_orphan_handled(store, change_id=changes[0].id)
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from pydantic import BaseModel, RootModel

from app.domain.errors import VeldwerkError
from app.domain.schema import PARENT_FIELD, entity_label, field_label
from app.services.conflicts import format_value
from app.services.sync import SERVER, transport_for
from app.storage.store import Store
from app.sync.client import SyncError, Transport

__all__ = [
    "ChangedField",
    "FigureTable",
    "MemberFigures",
    "NotEnrolled",
    "OrphanedChange",
    "SyncError",
    "TeamOverview",
    "mark_orphan_handled",
    "orphaned_changes",
    "team_overview",
]

# A page waits for these calls: try twice, not the five times of a sync round.
ATTEMPTS = 2
READ_TIMEOUT_S = 30.0


# ------------------------------------------------------------------------ the server's answers


class _MemberAnswer(BaseModel):
    username: str
    clients: int
    intakes: dict[str, int]
    devices: int
    devices_not_synced_14_days: int
    last_contact: datetime | None
    open_conflicts: int
    intakes_waiting: int
    intakes_returned: int
    approved_this_month: int
    clocks_due_soon: int
    clocks_overdue: int
    devices_not_synced_3_days: int
    orphaned_changes: int


class _TableAnswer(BaseModel):
    name: str
    columns: list[str]
    rows: list[list[str | int | float | None]]
    counts: int
    withheld: int


class _FiguresAnswer(BaseModel):
    team: str
    members: list[_MemberAnswer]
    # An older server sends no council figures; the overview then has none.
    period: str | None = None
    previous_period: str | None = None
    counted_until: date | None = None
    figures: list[_TableAnswer] = []


class _FieldAnswer(BaseModel):
    name: str
    value: Any = None


class _OrphanAnswer(BaseModel):
    id: int
    created_at: datetime
    handled_at: datetime | None
    sent_by: str | None
    entity: str
    op: str
    record_id: str
    client_id: str
    client_name: str
    current_caseworker: str | None
    values_shown: bool
    fields: list[_FieldAnswer]


class _OrphanList(RootModel[list[_OrphanAnswer]]):
    pass


# ----------------------------------------------------------------------------- what screens get


@dataclass(frozen=True, slots=True)
class MemberFigures:
    """One caseworker of the team, in counts (no client, no value)."""

    username: str
    clients: int
    intakes_waiting: int  # submitted, waiting for review
    intakes_returned: int
    approved_this_month: int
    clocks_due_soon: int  # intakes not yet approved whose most urgent clock is due soon
    clocks_overdue: int  # ... or overdue
    devices: int
    devices_not_synced_3_days: int
    devices_not_synced_14_days: int
    last_contact: datetime | None
    open_conflicts: int
    orphaned_changes: int  # unhandled late edits of this caseworker's clients


FigureValue = str | int | float | None


@dataclass(frozen=True, slots=True)
class FigureTable:
    """One table of the council report's figures for the whole team, as the server published
    it: withheld counts are None, published ones rounded to 5; no row names a client."""

    name: str  # "clients_per_scheme", "ladder_movement", ... (server.council.texts)
    columns: tuple[str, ...]
    rows: tuple[tuple[FigureValue, ...], ...]
    counts: int
    withheld: int

    def value(self, column: str, **where: str) -> FigureValue:
        """The value of `column` in the first row whose columns equal `where`; None if none."""
        at = {name: i for i, name in enumerate(self.columns)}
        if column not in at or any(key not in at for key in where):
            return None
        for row in self.rows:
            if all(row[at[key]] == value for key, value in where.items()):
                return row[at[column]]
        return None


@dataclass(frozen=True, slots=True)
class TeamOverview:
    team: str
    members: tuple[MemberFigures, ...]
    fetched_at: datetime  # when this device received it (UTC)
    # The team as a whole, as the council report counts it (empty from an older server).
    period: str = ""  # "2026-H2", counted up to `counted_until`
    previous_period: str = ""
    counted_until: date | None = None
    figures: tuple[FigureTable, ...] = ()

    def figure(self, name: str) -> FigureTable | None:
        return next((table for table in self.figures if table.name == name), None)


@dataclass(frozen=True, slots=True)
class ChangedField:
    """A field a late edit changed: its caption, and its value as a person reads it, or None
    when the server does not show values of this kind of record to a team lead."""

    name: str
    label: str
    value: str | None


@dataclass(frozen=True, slots=True)
class OrphanedChange:
    """A late edit of a client of the team, as the team lead sees it."""

    id: int
    created_at: datetime
    handled_at: datetime | None
    sent_by: str  # the user whose device sent it; "" if that device is gone
    entity: str
    entity_label: str  # "Notitie", "Regeling", ...
    op: str  # create / update / delete / command
    record_id: str
    client_id: str
    client_name: str  # "T. de Vries"
    current_caseworker: str  # "" when the client has none now
    values_shown: bool
    fields: tuple[ChangedField, ...]

    @property
    def handled(self) -> bool:
        return self.handled_at is not None


class NotEnrolled(VeldwerkError):
    def __init__(self) -> None:
        super().__init__(
            "not_enrolled",
            "Dit profiel is niet aan een server gekoppeld.",
            "This profile is not linked to a server.",
        )


# ------------------------------------------------------------------------------------ calls


def _transport(store: Store, cancel: threading.Event | None) -> Transport:
    if store.setting(SERVER) is None:
        raise NotEnrolled()
    extra: dict[str, Any] = {"cancel": cancel} if cancel is not None else {}
    return transport_for(store, attempts=ATTEMPTS, read_timeout=READ_TIMEOUT_S, **extra)


def team_overview(store: Store, *, cancel: threading.Event | None = None) -> TeamOverview:
    """The figures per caseworker of the team this profile's user leads, fresh from the server.
    Raises `SyncError` when the server cannot be reached or refuses (a caseworker: forbidden;
    a team lead without a team: not_found)."""
    transport = _transport(store, cancel)
    try:
        answer = transport.request("GET", "/v1/team/figures", _FiguresAnswer)
    finally:
        transport.close()
    return TeamOverview(
        team=answer.team,
        members=tuple(
            MemberFigures(
                username=m.username,
                clients=m.clients,
                intakes_waiting=m.intakes_waiting,
                intakes_returned=m.intakes_returned,
                approved_this_month=m.approved_this_month,
                clocks_due_soon=m.clocks_due_soon,
                clocks_overdue=m.clocks_overdue,
                devices=m.devices,
                devices_not_synced_3_days=m.devices_not_synced_3_days,
                devices_not_synced_14_days=m.devices_not_synced_14_days,
                last_contact=m.last_contact,
                open_conflicts=m.open_conflicts,
                orphaned_changes=m.orphaned_changes,
            )
            for m in answer.members
        ),
        fetched_at=datetime.now(UTC),
        period=answer.period or "",
        previous_period=answer.previous_period or "",
        counted_until=answer.counted_until,
        figures=tuple(
            FigureTable(
                name=table.name,
                columns=tuple(table.columns),
                rows=tuple(tuple(row) for row in table.rows),
                counts=table.counts,
                withheld=table.withheld,
            )
            for table in answer.figures
        ),
    )


def _change(found: _OrphanAnswer, language: str) -> OrphanedChange:
    entity = found.entity
    shown = found.values_shown
    return OrphanedChange(
        id=found.id,
        created_at=found.created_at,
        handled_at=found.handled_at,
        sent_by=found.sent_by or "",
        entity=entity,
        entity_label=entity_label(entity, language),
        op=found.op,
        record_id=found.record_id,
        client_id=found.client_id,
        client_name=found.client_name,
        current_caseworker=found.current_caseworker or "",
        values_shown=shown,
        fields=tuple(
            ChangedField(
                name=f.name,
                label=field_label(entity, f.name, language),
                value=format_value(entity, f.name, f.value, language)
                if shown and "value" in f.model_fields_set
                else None,
            )
            # The client it belongs to is shown by name already.
            for f in found.fields
            if f.name != PARENT_FIELD
        ),
    )


def orphaned_changes(
    store: Store, *, language: str = "nl", cancel: threading.Event | None = None
) -> tuple[OrphanedChange, ...]:
    """The late edits of the team's clients, unhandled first, then newest first, with captions
    and values in `language`. Raises `SyncError` as `team_overview` does."""
    transport = _transport(store, cancel)
    try:
        answer = transport.request("GET", "/v1/team/orphaned-changes", _OrphanList)
    finally:
        transport.close()
    return tuple(_change(found, language) for found in answer.root)


def mark_orphan_handled(
    store: Store, *, change_id: int, cancel: threading.Event | None = None
) -> None:
    """Mark a late edit as dealt with (taken over by hand, or set aside); the server audits it
    with this user's name. Marking one that is handled already changes nothing. One outside the
    team, or gone, raises `SyncError` with code "not_found"."""
    transport = _transport(store, cancel)
    try:
        transport.request(
            "POST", f"/v1/team/orphaned-changes/{int(change_id)}/handled", _OrphanAnswer
        )
    finally:
        transport.close()
