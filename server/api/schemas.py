"""Request and response bodies of the API (kept apart from the database models)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.domain.roles import Role
from app.sync import protocol


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _refuse_nul(cls, data: Any) -> Any:
        # PostgreSQL cannot store NUL in text; refuse it here rather than fail in the database.
        if protocol.has_nul(data):
            raise ValueError("text may not contain NUL characters")
        return data


class ErrorBody(BaseModel):
    code: str
    message: str


class Health(BaseModel):
    status: Literal["ok"]
    version: str


# Enrollment is part of the device protocol: both sides use the same types.
EnrollRequest = protocol.EnrollRequest
EnrollResponse = protocol.Enrolled


class Me(BaseModel):
    username: str
    role: str
    device_id: str


class ClientSummary(BaseModel):
    id: str
    bsn: str
    initials: str
    name_prefix: str
    surname: str
    village: str
    version: int
    caseworker: str


class RecordOut(BaseModel):
    id: str
    version: int
    fields: dict[str, Any]


class Dossier(BaseModel):
    records: dict[str, list[RecordOut]]


class ReviewRequest(Body):
    decision: Literal["approve", "return"]
    comments: dict[
        Literal[
            "scores",
            "participation",
            "barriers",
            "strengths",
            "household",
            "consent",
            "participatiewet",
            "wmo",
            "general",
        ],
        Annotated[str, Field(max_length=4000)],
    ] = Field(default_factory=dict)


class UserIn(Body):
    username: str = Field(min_length=1, max_length=64)
    display_name: str = Field(default="", max_length=200)
    role: Role
    password: str = Field(min_length=1, max_length=1024)


class UserOut(BaseModel):
    username: str
    display_name: str
    role: str
    active: bool


class TeamIn(Body):
    name: str = Field(min_length=1, max_length=100)
    lead: str | None = Field(default=None, max_length=64)


class TeamMemberIn(Body):
    username: str = Field(min_length=1, max_length=64)


class TeamOut(BaseModel):
    name: str
    lead: str | None
    members: list[str]


class AdminClient(BaseModel):
    """What central office sees of a client through the API: no dossier content."""

    id: str
    village: str
    caseworker: str | None


class AssignmentIn(Body):
    client_id: str = Field(min_length=1, max_length=36)
    caseworker: str = Field(min_length=1, max_length=64)


class AssignmentOut(BaseModel):
    caseworker: str
    assigned_at: datetime
    assigned_by: str
    ended_at: datetime | None


class EnrollmentCodeIn(Body):
    username: str = Field(min_length=1, max_length=64)


class EnrollmentCodeOut(BaseModel):
    username: str
    code: str
    valid_hours: int


class DeviceOut(BaseModel):
    id: str
    username: str
    name: str
    enrolled_at: datetime
    last_seen: datetime | None
    revoked_at: datetime | None


class AuditOut(BaseModel):
    at: datetime
    actor: str
    device_id: str | None
    action: str
    entity: str
    record_id: str | None


class OrphanedChangeOut(BaseModel):
    """An edit a device sent after its client had left that device's scope: kept, not applied,
    for the client's caseworker and team lead to take over or set aside."""

    id: int
    device_id: str
    username: str | None
    created_at: datetime
    handled_at: datetime | None
    entity: str
    record_id: str
    op: str
    new_values: dict[str, Any]


class TeamMemberFigures(BaseModel):
    """One caseworker of the team, in counts: no client, no name of a client, no field value."""

    username: str
    clients: int
    intakes: dict[str, int]  # by status
    devices: int
    devices_not_synced_14_days: int
    last_contact: datetime | None
    open_conflicts: int
    intakes_waiting: int  # submitted, waiting for the team lead's review
    intakes_returned: int
    approved_this_month: int  # approved in the current calendar month (Europe/Amsterdam)
    # Intakes not yet approved whose most urgent statutory clock is due soon / overdue.
    clocks_due_soon: int
    clocks_overdue: int
    devices_not_synced_3_days: int
    orphaned_changes: int  # unhandled late edits of this caseworker's clients, every kind


class FigureTableOut(BaseModel):
    """One table of the council report's figures for the team (server.council): withheld
    counts are null; no row names a client."""

    name: str
    columns: list[str]
    rows: list[list[str | int | float | None]]
    counts: int
    withheld: int


class TeamFigures(BaseModel):
    team: str
    members: list[TeamMemberFigures]
    # The team as a whole, as the council report counts it: this half year so far and the last.
    period: str | None = None
    previous_period: str | None = None
    counted_until: date | None = None
    figures: list[FigureTableOut] = []


class TeamOrphanedField(BaseModel):
    """One field a late edit changed: its name always; its value only when the record is of a
    kind a team lead may see (the key is left out otherwise)."""

    name: str
    value: Any = None


class TeamOrphanedChangeOut(BaseModel):
    """A late edit of a client of the team (SYNC.md rule 9), for the team lead who answers for
    that client: who sent it, of which client and record, and which fields it changed."""

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
    fields: list[TeamOrphanedField]


class AccessGrantOut(BaseModel):
    """An administrator's act that gave someone a way into dossiers of the team: an account, a
    team membership, an assignment, an enrollment code."""

    at: datetime
    actor: str
    action: str
    entity: str
    record_id: str | None
    username: str | None


class CollisionOut(BaseModel):
    """A device registered a client whose BSN belongs to a client outside its user's scope; the
    device was told nothing. Central office decides (assign the existing client, or correct)."""

    id: int
    at: datetime
    username: str
    device_id: str
    entity: str
    record_id: str
    field: str
    existing_client_id: str
    existing_caseworker: str | None
    handled_at: datetime | None
