"""Users and teams."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.roles import Role
from server.crud import audit
from server.errors import ApiError, conflict, not_found
from server.models import ROLES, Team, TeamMember, User
from server.security import MIN_PASSWORD_LENGTH, hash_password

_USERNAME = re.compile(r"^[a-z][a-z0-9._-]{1,63}$")
_TEAM_NAME = re.compile(r"[\w .,()'-]{1,100}")


def create_user(
    session: Session, *, username: str, display_name: str, role: str, password: str, by: str
) -> User:
    """A new account; audited under `by` (an account is a way into dossiers)."""
    if not _USERNAME.fullmatch(username):
        raise ApiError(
            422,
            "invalid_username",
            "A user name: 2-64 lowercase letters, digits, '.', '_' or '-', starting with a letter.",
        )
    if role not in ROLES:
        raise ApiError(422, "invalid_role", f"Role must be one of: {', '.join(ROLES)}.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ApiError(
            422, "weak_password", f"A password has at least {MIN_PASSWORD_LENGTH} characters."
        )
    if find_user(session, username) is not None:
        raise conflict("user_exists", "A user with this name already exists.")
    user = User(
        username=username,
        display_name=display_name.strip() or username,
        role=role,
        password_hash=hash_password(password),
        active=True,
        created_at=datetime.now(UTC),
    )
    session.add(user)
    session.flush()
    audit.record(session, actor=by, action="create", entity="user", record_id=username, role=role)
    return user


def find_user(session: Session, username: str) -> User | None:
    return session.scalars(select(User).where(User.username == username)).first()


def get_user(session: Session, username: str) -> User:
    user = find_user(session, username)
    if user is None:
        raise not_found("user")
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def create_team(session: Session, *, name: str, lead: str | None = None, by: str) -> Team:
    name = " ".join(name.split())
    if not _TEAM_NAME.fullmatch(name):
        # The name is part of URLs (/v1/admin/teams/{team}/members), so no slashes or controls.
        raise ApiError(
            422,
            "invalid_team_name",
            "A team name is 1-100 letters, digits, spaces, '-', '.', ',', '(', ')' or apostrophes.",
        )
    if session.scalars(select(Team).where(Team.name == name)).first() is not None:
        raise conflict("team_exists", "A team with this name already exists.")
    team = Team(name=name, lead_id=None)
    if lead is not None:
        lead_user = get_user(session, lead)
        if lead_user.role != Role.TEAM_LEAD:
            raise ApiError(
                422, "not_a_team_lead", "The lead of a team must have the team_lead role."
            )
        team.lead_id = lead_user.id
    session.add(team)
    session.flush()
    audit.record(session, actor=by, action="create", entity="team", record_id=name, lead=lead)
    return team


def get_team(session: Session, name: str) -> Team:
    team = session.scalars(select(Team).where(Team.name == name)).first()
    if team is None:
        raise not_found("team")
    return team


def add_to_team(session: Session, *, team: str, username: str, by: str) -> TeamMember:
    """Put a caseworker in a team (its lead then reviews their intakes); audited under `by`."""
    found = get_team(session, team)
    user = get_user(session, username)
    if user.role != Role.CASEWORKER:
        raise ApiError(422, "not_a_caseworker", "Only caseworkers are members of a team.")
    existing = session.get(TeamMember, (found.id, user.id))
    if existing is not None:
        return existing
    if session.scalars(select(TeamMember).where(TeamMember.user_id == user.id)).first():
        raise conflict("already_in_team", "This caseworker already belongs to another team.")
    member = TeamMember(team_id=found.id, user_id=user.id)
    session.add(member)
    session.flush()
    audit.record(
        session,
        actor=by,
        action="add_member",
        entity="team",
        record_id=found.name,
        username=username,
    )
    return member


def list_teams(session: Session) -> list[tuple[Team, list[str]]]:
    teams = list(session.scalars(select(Team).order_by(Team.name)))
    result = []
    for team in teams:
        members = session.scalars(
            select(User.username)
            .join(TeamMember, TeamMember.user_id == User.id)
            .where(TeamMember.team_id == team.id)
            .order_by(User.username)
        )
        result.append((team, list(members)))
    return result
