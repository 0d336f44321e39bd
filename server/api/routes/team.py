"""The team lead's view of their team: figures without personal data, and who was given access."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from server.api.deps import CurrentActor, SessionDep
from server.api.routes.common import ERRORS
from server.api.schemas import AccessGrantOut, TeamFigures, TeamMemberFigures
from server.crud import team
from server.errors import forbidden
from server.policy import Action, allowed

router = APIRouter(prefix="/v1/team", tags=["team"], responses=ERRORS)


@router.get("/figures", response_model=TeamFigures)
def figures(actor: CurrentActor, session: SessionDep) -> TeamFigures:
    """Per caseworker of the lead's team: clients, intakes by status, devices and how many have
    not synced for 14 days, open conflicts. Counts only; no client is named."""
    if not allowed(actor, Action.WATCH_TEAM):
        raise forbidden()
    found = team.figures(session, actor)
    return TeamFigures(
        team=found["team"], members=[TeamMemberFigures(**m) for m in found["members"]]
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
