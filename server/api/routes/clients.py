from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from server.api.deps import CurrentActor, SessionDep
from server.api.routes.common import ERRORS
from server.api.schemas import ClientSummary, Dossier, RecordOut
from server.crud import records
from server.errors import forbidden
from server.policy import Action, allowed

router = APIRouter(tags=["dossiers"], responses=ERRORS)


@router.get("/v1/clients", response_model=list[ClientSummary])
def list_clients(actor: CurrentActor, session: SessionDep) -> list[ClientSummary]:
    """The caller's clients: a caseworker's caseload, or the clients of a team lead's team."""
    if not allowed(actor, Action.READ_DOSSIER):
        raise forbidden()
    return [ClientSummary(**row) for row in records.list_clients(session, actor)]


@router.get("/v1/clients/{client_id}", response_model=Dossier)
def get_dossier(
    actor: CurrentActor, session: SessionDep, client_id: Annotated[str, Path(max_length=36)]
) -> Dossier:
    """Everything about one client in the caller's scope. Reading it is audited."""
    found = records.dossier(session, actor, client_id)
    session.commit()
    return Dossier(
        records={entity: [RecordOut(**r) for r in rows] for entity, rows in found.items()}
    )
