"""Who may do what: the one place authorisation is decided. Every endpoint asks here.

- caseworker: reads and writes the clients assigned to them;
- team lead: reads the clients of their team's caseworkers and reviews those caseworkers'
  intakes; edits no dossier;
- admin: administers users, teams, devices and assignments; reads no dossier content.

A record outside someone's scope answers as if it did not exist (404), so ids cannot be probed;
an act the role never allows answers 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from server.errors import forbidden, not_found
from server.models import Assignment, Team, TeamMember, clients


@dataclass(frozen=True, slots=True)
class Actor:
    user_id: int
    username: str
    role: str
    device_id: str | None = None


class Action(StrEnum):
    READ_DOSSIER = "read_dossier"
    WRITE_DOSSIER = "write_dossier"
    REVIEW_INTAKE = "review_intake"
    ADMINISTER = "administer"


# Which roles may do an action at all, before looking at any record.
ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    "caseworker": frozenset({Action.READ_DOSSIER, Action.WRITE_DOSSIER}),
    "team_lead": frozenset({Action.READ_DOSSIER, Action.REVIEW_INTAKE}),
    "admin": frozenset({Action.ADMINISTER}),
}


def _team_caseworkers(lead_id: int) -> Select[int]:
    return (
        select(TeamMember.user_id)
        .join(Team, Team.id == TeamMember.team_id)
        .where(Team.lead_id == lead_id)
    )


def scope_client_ids(actor: Actor) -> Select[str]:
    """The ids of the clients this actor may read (a query, so callers can filter with it)."""
    current = (
        select(Assignment.client_id)
        .join(clients, clients.c.id == Assignment.client_id)
        .where(Assignment.ended_at.is_(None), clients.c.deleted.is_(False))
    )
    if actor.role == "caseworker":
        return current.where(Assignment.caseworker_id == actor.user_id)
    if actor.role == "team_lead":
        return current.where(Assignment.caseworker_id.in_(_team_caseworkers(actor.user_id)))
    return current.where(Assignment.client_id.is_(None))  # nobody's: admins read no dossiers


def allowed(actor: Actor, action: Action) -> bool:
    return action in ROLE_ACTIONS.get(actor.role, frozenset())


def in_scope(session: Session, actor: Actor, client_id: str) -> bool:
    query = scope_client_ids(actor).where(Assignment.client_id == client_id)
    return session.execute(query).first() is not None


def require(
    session: Session, actor: Actor, action: Action, *, client_id: str | None = None
) -> None:
    """Raise 403 when the role never may, 404 when the client is not in the actor's scope."""
    if not allowed(actor, action):
        raise forbidden()
    if action is Action.ADMINISTER:
        return
    if client_id is None or not in_scope(session, actor, client_id):
        raise not_found("client")
