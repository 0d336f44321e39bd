"""Central office administration: users, teams, assignments, enrollment codes, devices.

Admins read no dossier content here: a client is an id, a village and a caseworker.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from sqlalchemy import select

from server.api.deps import AdminActor, SessionDep, SettingsDep
from server.api.routes.common import ERRORS
from server.api.schemas import (
    AdminClient,
    AssignmentIn,
    AssignmentOut,
    AuditOut,
    CollisionOut,
    DeviceOut,
    EnrollmentCodeIn,
    EnrollmentCodeOut,
    TeamIn,
    TeamMemberIn,
    TeamOut,
    UserIn,
    UserOut,
)
from server.crud import assignments, audit, devices, users
from server.crud import collisions as collision_list
from server.crud.records import client_exists
from server.errors import not_found
from server.models import Assignment, Device, User, clients

router = APIRouter(prefix="/v1/admin", tags=["admin"], responses=ERRORS)


def _user_out(user: User) -> UserOut:
    return UserOut(
        username=user.username, display_name=user.display_name, role=user.role, active=user.active
    )


def _device_out(device: Device, username: str) -> DeviceOut:
    return DeviceOut(
        id=device.id,
        username=username,
        name=device.name,
        enrolled_at=device.enrolled_at,
        last_seen=device.last_seen,
        revoked_at=device.revoked_at,
    )


@router.get("/users", response_model=list[UserOut])
def list_users(actor: AdminActor, session: SessionDep) -> list[UserOut]:
    return [_user_out(u) for u in users.list_users(session)]


@router.post("/users", response_model=UserOut, status_code=201)
def create_user(body: UserIn, actor: AdminActor, session: SessionDep) -> UserOut:
    user = users.create_user(
        session,
        username=body.username,
        display_name=body.display_name,
        role=body.role,
        password=body.password,
        by=actor.username,
    )
    session.commit()
    return _user_out(user)


@router.get("/teams", response_model=list[TeamOut])
def list_teams(actor: AdminActor, session: SessionDep) -> list[TeamOut]:
    result = []
    for team, members in users.list_teams(session):
        lead = session.get(User, team.lead_id) if team.lead_id is not None else None
        result.append(
            TeamOut(name=team.name, lead=lead.username if lead else None, members=members)
        )
    return result


@router.post("/teams", response_model=TeamOut, status_code=201)
def create_team(body: TeamIn, actor: AdminActor, session: SessionDep) -> TeamOut:
    team = users.create_team(session, name=body.name, lead=body.lead, by=actor.username)
    session.commit()
    return TeamOut(name=team.name, lead=body.lead, members=[])


@router.post("/teams/{team}/members", response_model=TeamOut, status_code=201)
def add_member(
    body: TeamMemberIn,
    actor: AdminActor,
    session: SessionDep,
    team: Annotated[str, Path(max_length=100)],
) -> TeamOut:
    users.add_to_team(session, team=team, username=body.username, by=actor.username)
    session.commit()
    for found, members in users.list_teams(session):
        if found.name == team:
            lead = session.get(User, found.lead_id) if found.lead_id is not None else None
            return TeamOut(name=found.name, lead=lead.username if lead else None, members=members)
    raise not_found("team")


@router.get("/clients", response_model=list[AdminClient])
def list_clients(
    actor: AdminActor,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[AdminClient]:
    rows = session.execute(
        select(clients.c.id, clients.c.village, User.username)
        .outerjoin(
            Assignment, (Assignment.client_id == clients.c.id) & Assignment.ended_at.is_(None)
        )
        .outerjoin(User, User.id == Assignment.caseworker_id)
        .where(clients.c.deleted.is_(False))
        .order_by(clients.c.id)
        .limit(limit)
        .offset(offset)
    )
    return [AdminClient(id=r.id, village=r.village, caseworker=r.username) for r in rows]


@router.post("/assignments", response_model=AssignmentOut, status_code=201)
def assign(body: AssignmentIn, actor: AdminActor, session: SessionDep) -> AssignmentOut:
    made = assignments.assign(
        session, client_id=body.client_id, caseworker=body.caseworker, by=actor.username
    )
    session.commit()
    return AssignmentOut(
        caseworker=body.caseworker,
        assigned_at=made.assigned_at,
        assigned_by=made.assigned_by,
        ended_at=made.ended_at,
    )


@router.get("/clients/{client_id}/assignments", response_model=list[AssignmentOut])
def assignment_history(
    actor: AdminActor, session: SessionDep, client_id: Annotated[str, Path(max_length=36)]
) -> list[AssignmentOut]:
    if not client_exists(session, client_id):
        raise not_found("client")
    return [AssignmentOut(**row) for row in assignments.history(session, client_id)]


@router.post("/enrollment-codes", response_model=EnrollmentCodeOut, status_code=201)
def enrollment_code(
    body: EnrollmentCodeIn, actor: AdminActor, session: SessionDep, settings: SettingsDep
) -> EnrollmentCodeOut:
    code = devices.issue_enrollment_code(
        session, username=body.username, by=actor.username, hours=settings.enrollment_code_hours
    )
    session.commit()
    return EnrollmentCodeOut(
        username=body.username, code=code, valid_hours=settings.enrollment_code_hours
    )


@router.get("/devices", response_model=list[DeviceOut])
def list_devices(actor: AdminActor, session: SessionDep) -> list[DeviceOut]:
    return [_device_out(d, username) for d, username in devices.list_devices(session)]


@router.post("/devices/{device_id}/revoke", response_model=DeviceOut)
def revoke_device(
    actor: AdminActor, session: SessionDep, device_id: Annotated[str, Path(max_length=36)]
) -> DeviceOut:
    device = devices.revoke_device(session, device_id=device_id, by=actor.username)
    session.commit()
    owner = session.get(User, device.user_id)
    return _device_out(device, owner.username if owner else "")


@router.get("/audit", response_model=list[AuditOut])
def audit_log(
    actor: AdminActor, session: SessionDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> list[AuditOut]:
    return [
        AuditOut(
            at=e.at,
            actor=e.actor,
            device_id=e.device_id,
            action=e.action,
            entity=e.entity,
            record_id=e.record_id,
        )
        for e in audit.recent(session, limit=limit)
    ]


@router.get("/collisions", response_model=list[CollisionOut])
def collisions(
    actor: AdminActor, session: SessionDep, include_handled: bool = False
) -> list[CollisionOut]:
    """Clients registered on a device with a BSN that already belongs to a client outside that
    caseworker's caseload: the device was refused without being told why; decide here."""
    return [
        CollisionOut(**row)
        for row in collision_list.open_collisions(session, include_handled=include_handled)
    ]


@router.post("/collisions/{collision_id}/handled", response_model=CollisionOut)
def collision_handled(
    actor: AdminActor,
    session: SessionDep,
    collision_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
) -> CollisionOut:
    """Mark a collision as dealt with (audited)."""
    row = collision_list.mark_handled(session, collision_id, by=actor.username)
    session.commit()
    return CollisionOut(**row)
