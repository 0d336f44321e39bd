from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from server.api.deps import CurrentActor, SessionDep
from server.api.routes.common import ERRORS
from server.api.schemas import ClientSummary, Dossier, OrphanedChangeOut, RecordOut
from server.crud import orphans, records
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


@router.get("/v1/clients/{client_id}/orphaned-changes", response_model=list[OrphanedChangeOut])
def orphaned_changes(
    actor: CurrentActor, session: SessionDep, client_id: Annotated[str, Path(max_length=36)]
) -> list[OrphanedChangeOut]:
    """Edits of this client that arrived from a device after the client had moved to another
    caseworker: never dropped, listed here for the client's caseworker and team lead."""
    rows = orphans.for_client(session, actor, client_id)
    session.commit()  # the view's audit entry
    return [OrphanedChangeOut(**row) for row in rows]


@router.post(
    "/v1/clients/{client_id}/orphaned-changes/{change_id}/handled",
    response_model=OrphanedChangeOut,
)
def orphaned_change_handled(
    actor: CurrentActor,
    session: SessionDep,
    client_id: Annotated[str, Path(max_length=36)],
    change_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
) -> OrphanedChangeOut:
    """Mark an orphaned edit as dealt with (taken over by hand, or set aside). Audited."""
    row = orphans.mark_handled(session, actor, client_id, change_id)
    session.commit()
    return OrphanedChangeOut(**row)
