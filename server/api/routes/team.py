"""The team lead's view of their team: figures without personal data, who was given access, and
the late edits of the team's clients (SYNC.md rule 9), which the lead answers for.

Every route here is a WATCH_TEAM act; its scope is `policy.team_client_ids` (the clients of the
team's caseworkers), not the dossier scope."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from server.api.deps import CurrentActor, SessionDep
from server.api.routes.common import ERRORS
from server.api.schemas import (
    AccessGrantOut,
    FigureTableOut,
    TeamFigures,
    TeamMemberFigures,
    TeamOrphanedChangeOut,
)
from server.crud import team
from server.errors import forbidden
from server.policy import Action, allowed

router = APIRouter(prefix="/v1/team", tags=["team"], responses=ERRORS)


@router.get("/figures", response_model=TeamFigures)
def figures(actor: CurrentActor, session: SessionDep) -> TeamFigures:
    """Per caseworker of the lead's team: clients, intakes by status (waiting, returned, approved
    this month), statutory clocks due soon or overdue, devices and how many have not synced for
    3 and for 14 days, open conflicts, unhandled late edits. Counts only; no client is named.
    For the team as a whole, the council report's figures (this half year so far and the last),
    with its disclosure control: counts below 10 withheld, others rounded to 5."""
    if not allowed(actor, Action.WATCH_TEAM):
        raise forbidden()
    found = team.figures(session, actor)
    return TeamFigures(
        team=found["team"],
        members=[TeamMemberFigures(**m) for m in found["members"]],
        period=found["period"],
        previous_period=found["previous_period"],
        counted_until=found["counted_until"],
        figures=[FigureTableOut(**table) for table in found["figures"]],
    )


@router.get("/access-grants", response_model=list[AccessGrantOut])
def access_grants(
    actor: CurrentActor,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[AccessGrantOut]:
    """Administrators' acts that gave someone a way into this team's dossiers (accounts,
    memberships, assignments, enrollment codes), newest first, with the administrator's name."""
    if not allowed(actor, Action.WATCH_TEAM):
        raise forbidden()
    return [AccessGrantOut(**row) for row in team.access_grants(session, actor, limit=limit)]


@router.get(
    "/orphaned-changes",
    response_model=list[TeamOrphanedChangeOut],
    response_model_exclude_unset=True,
)
def orphaned_changes(
    actor: CurrentActor,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[TeamOrphanedChangeOut]:
    """Edits of the team's clients that a device sent after the client had moved to another
    caseworker, unhandled first, then newest first. The changed fields are always named; their
    values only for the kinds of record a team lead sees of a dossier. Audited as a view."""
    if not allowed(actor, Action.WATCH_TEAM):
        raise forbidden()
    rows = team.orphaned_changes(session, actor, limit=limit)
    session.commit()  # the view's audit entry
    return [TeamOrphanedChangeOut(**row) for row in rows]


@router.post(
    "/orphaned-changes/{change_id}/handled",
    response_model=TeamOrphanedChangeOut,
    response_model_exclude_unset=True,
)
def orphaned_change_handled(
    actor: CurrentActor,
    session: SessionDep,
    change_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
) -> TeamOrphanedChangeOut:
    """Mark a late edit of the team's clients as dealt with. Audited with the lead's name; an
    edit outside the team answers exactly as one that does not exist."""
    if not allowed(actor, Action.WATCH_TEAM):
        raise forbidden()
    row = team.mark_orphan_handled(session, actor, change_id)
    session.commit()
    return TeamOrphanedChangeOut(**row)
