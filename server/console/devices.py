"""Devices per user (last contact, app version, revoked) with revocation, and enrollment codes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from app.domain.roles import Role
from server.api.deps import SessionDep, SettingsDep
from server.console.forms import error_key, notice, text_field
from server.console.guard import CheckedForm, CurrentAdmin
from server.console.shown import moment
from server.console.web import PREFIX, redirect, render
from server.crud import devices, users
from server.errors import ApiError
from server.models import Device

router = APIRouter(prefix=PREFIX, include_in_schema=False)

DeviceId = Annotated[str, Path(max_length=36)]


def _rows(session: SessionDep) -> list[dict[str, object]]:
    names = {user.username: user.display_name for user in users.list_users(session)}
    return [
        {
            "id": device.id,
            "username": username,
            "display_name": names.get(username, ""),
            "name": device.name,
            "enrolled": moment(device.enrolled_at),
            "last_seen": moment(device.last_seen),
            "app_version": device.app_version or "",
            "revoked": moment(device.revoked_at),
        }
        for device, username in devices.list_devices(session)
    ]


def _page(
    request: Request,
    session: SessionDep,
    admin: CurrentAdmin,
    *,
    status: int = 200,
    error: str | None = None,
) -> Response:
    # Enrollment codes are for the people who carry a laptop: caseworkers and team leads.
    people = [
        user
        for user in users.list_users(session)
        if user.active and user.role in (Role.CASEWORKER, Role.TEAM_LEAD)
    ]
    return render(
        request,
        "devices.html",
        status=status,
        admin=admin,
        csrf=admin.csrf,
        devices=_rows(session),
        people=people,
        error=error,
        notice=notice(request, "devices."),
    )


@router.get("/apparaten")
def device_list(request: Request, session: SessionDep, admin: CurrentAdmin) -> Response:
    return _page(request, session, admin)


@router.get("/apparaten/{device_id}/intrekken")
def confirm_revoke(
    request: Request, device_id: DeviceId, session: SessionDep, admin: CurrentAdmin
) -> Response:
    device = session.get(Device, device_id)
    if device is None:
        return _page(request, session, admin, status=404, error="devices.gone")
    row = next(r for r in _rows(session) if r["id"] == device.id)
    return render(request, "revoke.html", admin=admin, csrf=admin.csrf, device=row)


@router.post("/apparaten/{device_id}/intrekken")
def revoke(
    request: Request,
    device_id: DeviceId,
    session: SessionDep,
    admin: CurrentAdmin,
    form: CheckedForm,
) -> Response:
    try:
        device = devices.revoke_device(session, device_id=device_id, by=admin.username)
        session.commit()
    except ApiError as error:
        session.rollback()
        return _page(request, session, admin, status=404, error=error_key(error, "devices.gone"))
    return redirect("/apparaten", melding="devices.revoked", naam=device.name)


@router.post("/koppelcodes")
def enrollment_code(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    admin: CurrentAdmin,
    form: CheckedForm,
) -> Response:
    """The code is in this answer only (never in a URL, never stored readable, never cached):
    the person it is for types it into the laptop being enrolled."""
    username = text_field(form, "username", 64)
    try:
        code = devices.issue_enrollment_code(
            session, username=username, by=admin.username, hours=settings.enrollment_code_hours
        )
        session.commit()
    except ApiError as error:
        session.rollback()
        return _page(
            request, session, admin, status=422, error=error_key(error, "devices.no_such_user")
        )
    return render(
        request,
        "enrollment_code.html",
        admin=admin,
        csrf=admin.csrf,
        username=username,
        code=code,
        hours=settings.enrollment_code_hours,
    )
