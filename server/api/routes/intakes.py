from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from server.api.deps import CurrentActor, SessionDep
from server.api.routes.common import ERRORS
from server.api.schemas import RecordOut, ReviewRequest
from server.crud import records
from server.errors import forbidden
from server.policy import Action, allowed

router = APIRouter(tags=["intakes"], responses=ERRORS)

Status = Literal["draft", "submitted", "approved", "returned"]


@router.get("/v1/intakes", response_model=list[RecordOut])
def list_intakes(
    actor: CurrentActor, session: SessionDep, status: Annotated[Status | None, Query()] = None
) -> list[RecordOut]:
    """Intakes in the caller's scope; a team lead asks for status=submitted to review."""
    if not allowed(actor, Action.READ_DOSSIER):
        raise forbidden()
    return [RecordOut(**r) for r in records.list_intakes(session, actor, status=status)]


@router.post("/v1/intakes/{intake_id}/review", response_model=RecordOut)
def review_intake(
    body: ReviewRequest,
    actor: CurrentActor,
    session: SessionDep,
    intake_id: Annotated[str, Path(max_length=36)],
) -> RecordOut:
    """A team lead approves a submitted intake, or returns it with comments per section."""
    intake, version = records.review_intake(
        session,
        actor,
        intake_id=intake_id,
        approve=body.decision == "approve",
        comments={str(k): v for k, v in body.comments.items()},
    )
    session.commit()
    return RecordOut(id=intake.id, version=version, fields=intake.to_fields())
