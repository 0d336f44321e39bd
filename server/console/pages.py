"""The console's overview and its users-and-teams page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import func, select
from starlette.datastructures import FormData

from server.api.deps import SessionDep
from server.console import sessions
from server.console.guard import CheckedForm, CurrentAdmin
from server.console.text import TEXT
from server.console.web import PREFIX, redirect, render
from server.crud import accounts, users
from server.errors import ApiError
from server.models import (
    ROLES,
    Device,
    OrphanedMutation,
    Team,
    TeamMember,
    UniquenessCollision,
    User,
)

router = APIRouter(prefix=PREFIX, include_in_schema=False)


def _notice(request: Request) -> tuple[str, dict[str, str]] | None:
    """A message a form's redirect asked for: its key (one of ours only) and the names in it
    (shown escaped, as any text)."""
    key = request.query_params.get("melding", "")
    if key not in TEXT or not key.startswith("people."):
        return None
    query = request.query_params
    return key, {"name": query.get("naam", "")[:100], "team": query.get("team", "")[:100]}


def _text(form: FormData, name: str, limit: int = 200) -> str:
    value = form.get(name, "")
    return value.strip()[:limit] if isinstance(value, str) else ""


@router.get("")
def home(request: Request, session: SessionDep, admin: CurrentAdmin) -> Response:
    counts = {
        "users": session.scalar(select(func.count()).select_from(User)) or 0,
        "active_users": session.scalar(
            select(func.count()).select_from(User).where(User.active.is_(True))
        )
        or 0,
        "teams": session.scalar(select(func.count()).select_from(Team)) or 0,
        "devices": session.scalar(
            select(func.count()).select_from(Device).where(Device.revoked_at.is_(None))
        )
        or 0,
        "findings": (
            session.scalar(
                select(func.count())
                .select_from(UniquenessCollision)
                .where(UniquenessCollision.handled_at.is_(None))
            )
            or 0
        )
        + (
            session.scalar(
                select(func.count())
                .select_from(OrphanedMutation)
                .where(OrphanedMutation.handled_at.is_(None))
            )
            or 0
        ),
    }
    return render(request, "home.html", admin=admin, csrf=admin.csrf, counts=counts)


def _people_page(
    request: Request,
    session: SessionDep,
    admin: CurrentAdmin,
    *,
    status: int = 200,
    error: str | None = None,
    entered: dict[str, str] | None = None,
) -> Response:
    teams = users.list_teams(session)
    # Pairs unpacked by hand: dict() of a Result asks it for keys() (its column names).
    team_of: dict[int, str] = {
        int(user_id): str(name)
        for user_id, name in session.execute(
            select(TeamMember.user_id, Team.name).join(Team, Team.id == TeamMember.team_id)
        )
    }
    leads = {team.lead_id: team.name for team, _members in teams if team.lead_id is not None}
    people = [
        {
            "user": user,
            "team": team_of.get(user.id) or leads.get(user.id),
        }
        for user in users.list_users(session)
    ]
    lead_names = {
        user.id: user.username for user in users.list_users(session) if user.role == "team_lead"
    }
    return render(
        request,
        "people.html",
        status=status,
        admin=admin,
        csrf=admin.csrf,
        people=people,
        teams=[
            {"team": team, "members": members, "lead": lead_names.get(team.lead_id or -1)}
            for team, members in teams
        ],
        team_leads=sorted(lead_names.values()),
        roles=ROLES,
        error=error,
        entered=entered or {},
        notice=_notice(request),
    )


@router.get("/gebruikers")
def people(request: Request, session: SessionDep, admin: CurrentAdmin) -> Response:
    return _people_page(request, session, admin)


def _refused(
    request: Request, session: SessionDep, admin: CurrentAdmin, error: ApiError, **entered: str
) -> Response:
    session.rollback()
    return _people_page(
        request, session, admin, status=422, error=f"error.{error.code}", entered=entered
    )


@router.post("/gebruikers")
def create_user(
    request: Request, session: SessionDep, admin: CurrentAdmin, form: CheckedForm
) -> Response:
    username, name, role = (
        _text(form, "username", 64),
        _text(form, "display_name"),
        _text(form, "role", 20),
    )
    password = form.get("password", "")
    try:
        users.create_user(
            session,
            username=username,
            display_name=name,
            role=role,
            password=password if isinstance(password, str) else "",
            by=admin.username,
        )
        session.commit()
    except ApiError as error:
        return _refused(
            request, session, admin, error, username=username, display_name=name, role=role
        )
    return redirect("/gebruikers", melding="people.created", naam=username)


@router.post("/teams")
def create_team(
    request: Request, session: SessionDep, admin: CurrentAdmin, form: CheckedForm
) -> Response:
    name, lead = _text(form, "team_name", 100), _text(form, "lead", 64) or None
    try:
        team = users.create_team(session, name=name, lead=lead, by=admin.username)
        session.commit()
    except ApiError as error:
        return _refused(request, session, admin, error, team_name=name)
    return redirect("/gebruikers", melding="people.team_created", naam=team.name)


@router.post("/gebruikers/{username}/team")
def move(
    request: Request, username: str, session: SessionDep, admin: CurrentAdmin, form: CheckedForm
) -> Response:
    team = _text(form, "team", 100)
    try:
        accounts.move_to_team(session, username=username, team=team, by=admin.username)
        session.commit()
    except ApiError as error:
        return _refused(request, session, admin, error)
    return redirect("/gebruikers", melding="people.moved", naam=username, team=team)


@router.get("/gebruikers/{username}/deactiveren")
def confirm_deactivate(
    request: Request, username: str, session: SessionDep, admin: CurrentAdmin
) -> Response:
    user = users.find_user(session, username)
    if user is None:
        return _people_page(request, session, admin, status=404, error="error.not_found")
    return render(request, "deactivate.html", admin=admin, csrf=admin.csrf, user=user)


@router.post("/gebruikers/{username}/deactiveren")
def deactivate(
    request: Request, username: str, session: SessionDep, admin: CurrentAdmin, form: CheckedForm
) -> Response:
    try:
        user = accounts.deactivate_user(session, username=username, by=admin.username)
        sessions.end_all(session, user.id)
        session.commit()
    except ApiError as error:
        return _refused(request, session, admin, error)
    return redirect("/gebruikers", melding="people.deactivated", naam=username)


@router.post("/gebruikers/{username}/wachtwoord")
def reset_password(
    request: Request, username: str, session: SessionDep, admin: CurrentAdmin, form: CheckedForm
) -> Response:
    password = form.get("password", "")
    try:
        user = accounts.set_password(
            session,
            username=username,
            password=password if isinstance(password, str) else "",
            by=admin.username,
        )
        sessions.end_all(session, user.id)
        session.commit()
    except ApiError as error:
        return _refused(request, session, admin, error)
    return redirect("/gebruikers", melding="people.password_reset", naam=username)
