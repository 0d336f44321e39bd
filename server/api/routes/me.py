from __future__ import annotations

from fastapi import APIRouter

from server.api.deps import CurrentActor
from server.api.routes.common import ERRORS
from server.api.schemas import Me

router = APIRouter(tags=["devices"], responses=ERRORS)


@router.get("/v1/me", response_model=Me)
def me(actor: CurrentActor) -> Me:
    return Me(username=actor.username, role=actor.role, device_id=actor.device_id or "")
