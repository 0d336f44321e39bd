"""What central office does to an existing account: deactivate it, move a caseworker to
another team, replace a password. Each is audited under `by`."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.domain.roles import Role
from server.crud import audit
from server.crud.devices import revoke_device
from server.crud.users import add_to_team, get_team, get_user
from server.errors import ApiError
from server.models import Device, TeamMember, User
from server.security import MIN_PASSWORD_LENGTH, hash_password


def deactivate_user(session: Session, *, username: str, by: str) -> User:
    """No more signing in or syncing: the account is inactive and its devices are revoked (they
    wipe their copy at their next contact). Its history stays."""
    user = get_user(session, username)
    if user.username == by:
        raise ApiError(422, "cannot_deactivate_self", "You cannot deactivate your own account.")
    if user.active:
        user.active = False
        audit.record(session, actor=by, action="deactivate", entity="user", record_id=username)
    for device_id in session.scalars(
        select(Device.id).where(Device.user_id == user.id, Device.revoked_at.is_(None))
    ):
        revoke_device(session, device_id=device_id, by=by)
    return user


def move_to_team(session: Session, *, username: str, team: str, by: str) -> TeamMember:
    """Put a caseworker in `team`, out of the team they were in (their next intakes go to the
    new team's lead)."""
    user = get_user(session, username)
    found = get_team(session, team)
    if user.role != Role.CASEWORKER:
        raise ApiError(422, "not_a_caseworker", "Only caseworkers are members of a team.")
    current = session.scalars(select(TeamMember).where(TeamMember.user_id == user.id)).first()
    if current is not None and current.team_id == found.id:
        return current
    if current is not None:
        session.execute(delete(TeamMember).where(TeamMember.user_id == user.id))
        session.flush()
    return add_to_team(session, team=team, username=username, by=by)


def set_password(session: Session, *, username: str, password: str, by: str) -> User:
    user = get_user(session, username)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ApiError(
            422, "weak_password", f"A password has at least {MIN_PASSWORD_LENGTH} characters."
        )
    user.password_hash = hash_password(password)
    audit.record(session, actor=by, action="reset_password", entity="user", record_id=username)
    return user
