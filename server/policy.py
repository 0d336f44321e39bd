"""Who may see and do what: the one place authorisation is decided. Every path asks here — REST
routes, push entries, pull pages, blobs and device audit events.

Scope first, role second, on the record's *stored* client:

- scope (`scope_client_ids`, `visible_entities`): which clients, and which kinds of record of
  them, an actor may see at all.
  - caseworker: the clients currently assigned to them, every kind of record;
  - team lead: the clients of their team's caseworkers that have an intake waiting for review
    (submitted), and of those only what is shown beside the intake (client, household,
    enrollments, intakes with their rounds and comment threads). The same set over REST and
    over sync;
  - admin: no client. Central office administers; it reads no dossier.
- role (`ROLE_ACTIONS`): what an actor may do to what is in scope.

A record outside scope answers exactly as a record that does not exist (404 over REST, the generic
`not_found` refusal in a push answer), so ids cannot be probed; an act the role never allows on a
record in scope answers 403 (`forbidden`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.domain.roles import Role
from app.domain.states import IntakeStatus
from server.errors import forbidden, not_found
from server.models import RECORD_TABLES, Assignment, Team, TeamMember, clients, intakes


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
    # Write and answer comments on an intake under review, and resolve their threads.
    COMMENT_REVIEW = "comment_review"
    # A team's figures and the acts that gave access to its dossiers: counts and names of
    # colleagues, no client data.
    WATCH_TEAM = "watch_team"
    ADMINISTER = "administer"


# Which roles may do an action at all, before looking at any record.
ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.CASEWORKER: frozenset({Action.READ_DOSSIER, Action.WRITE_DOSSIER, Action.COMMENT_REVIEW}),
    Role.TEAM_LEAD: frozenset(
        {Action.READ_DOSSIER, Action.REVIEW_INTAKE, Action.COMMENT_REVIEW, Action.WATCH_TEAM}
    ),
    Role.ADMIN: frozenset({Action.ADMINISTER}),
}

# What a team lead sees of a client in scope: enough to review its intakes.
TEAM_LEAD_ENTITIES = (
    "client",
    "household_member",
    "enrollment",
    "intake",
    "intake_round",
    "review_comment",
)
_CHUNK = 900


def visible_entities(role: str) -> tuple[str, ...]:
    """The kinds of record a role sees of a client in its scope (parents first)."""
    if role == Role.TEAM_LEAD:
        return TEAM_LEAD_ENTITIES
    if role == Role.CASEWORKER:
        return tuple(RECORD_TABLES)
    return ()


def _team_caseworkers(lead_id: int) -> Select[Any]:
    return (
        select(TeamMember.user_id)
        .join(Team, Team.id == TeamMember.team_id)
        .where(Team.lead_id == lead_id)
    )


def _current_assignments() -> Select[Any]:
    return (
        select(Assignment.client_id)
        .join(clients, clients.c.id == Assignment.client_id)
        .where(Assignment.ended_at.is_(None), clients.c.deleted.is_(False))
    )


def scope_client_ids(actor: Actor) -> Select[Any]:
    """The ids of the clients this actor may see, as one query (callers filter with it). This is
    the only definition of scope; pull, push, blobs, audit and every REST route use it.

    It depends on the actor alone and reads nothing when it is built (no "today" or other value
    of the moment in it): pull keeps the statements it builds from it per person."""
    if actor.role == Role.CASEWORKER:
        return _current_assignments().where(Assignment.caseworker_id == actor.user_id)
    if actor.role == Role.TEAM_LEAD:
        return (
            select(intakes.c.client_id)
            .where(
                intakes.c.client_id.in_(
                    _current_assignments().where(
                        Assignment.caseworker_id.in_(_team_caseworkers(actor.user_id))
                    )
                ),
                intakes.c.status == IntakeStatus.SUBMITTED.value,
                intakes.c.deleted.is_(False),
            )
            .distinct()
        )
    return select(Assignment.client_id).where(Assignment.client_id.is_(None))  # nobody's


def team_client_ids(actor: Actor) -> Select[Any]:
    """The ids of the clients currently assigned to the caseworkers of the team this actor
    leads, as one query; nobody's for any other role.

    This is the scope of WATCH_TEAM acts (the team overview, the team's orphaned changes) and
    is distinct from the dossier scope of `scope_client_ids`: a team lead answers for every
    client of the team (SYNC.md rule 9: a late edit is kept for the new caseworker and the team
    lead), yet reads a dossier only while one of its intakes waits for review. Nothing here
    widens what `scope_client_ids`, pull, push or any dossier route lets a team lead see."""
    if actor.role == Role.TEAM_LEAD:
        return _current_assignments().where(
            Assignment.caseworker_id.in_(_team_caseworkers(actor.user_id))
        )
    return select(Assignment.client_id).where(Assignment.client_id.is_(None))  # nobody's


def clients_in_scope(session: Session, actor: Actor, client_ids: Iterable[str]) -> set[str]:
    """Which of these clients the actor may see (a few indexed lookups per 900 ids)."""
    scope = scope_client_ids(actor)
    column = scope.selected_columns[0]
    ordered = sorted(set(client_ids))
    found: set[str] = set()
    for start in range(0, len(ordered), _CHUNK):
        chunk = ordered[start : start + _CHUNK]
        found |= {str(cid) for cid in session.scalars(scope.where(column.in_(chunk)))}
    return found


def allowed(actor: Actor, action: Action) -> bool:
    return action in ROLE_ACTIONS.get(actor.role, frozenset())


def may_see(session: Session, actor: Actor, client_id: str, entity: str = "client") -> bool:
    """May this actor see this kind of record of this (stored) client?"""
    if entity not in visible_entities(actor.role):
        return False
    return bool(clients_in_scope(session, actor, [client_id]))


def require(
    session: Session,
    actor: Actor,
    action: Action,
    *,
    client_id: str | None = None,
    entity: str = "client",
) -> None:
    """Scope, then role. A record call (client_id given) outside scope raises 404 — the same as
    for an id that names nothing; inside scope, an act the role never allows raises 403. A call
    that names no record (a list, an administration) is decided by role alone."""
    named = client_id is not None and action is not Action.ADMINISTER
    if named and not may_see(session, actor, str(client_id), entity):
        raise not_found(entity.replace("_", " "))
    if not allowed(actor, action):
        raise forbidden()
