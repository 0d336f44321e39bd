"""Late edits (orphaned changes) and uniqueness collisions, as central office may see them.

A late edit carries a dossier's values, so an administrator sees only how many wait, per client
(its random id) and caseworker; the new caseworker and the team lead deal with them (their
API, server.crud.team). A collision names no value (which field, whose client it is): central
office looks into it and marks it handled here, as over the admin API."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from server.api.deps import SessionDep
from server.console.forms import error_key, notice
from server.console.guard import CheckedForm, CurrentAdmin
from server.console.shown import moment
from server.console.web import PREFIX, redirect, render
from server.crud import collisions
from server.errors import ApiError
from server.models import Assignment, Device, OrphanedMutation, User

router = APIRouter(prefix=PREFIX, include_in_schema=False)


def _orphan_counts(session: SessionDep) -> list[dict[str, Any]]:
    sender = aliased(User)
    holder = aliased(User)
    rows = session.execute(
        select(
            OrphanedMutation.client_id,
            sender.username.label("sent_by"),
            holder.username.label("holder"),
            func.count().label("waiting"),
            func.min(OrphanedMutation.created_at).label("oldest"),
        )
        .outerjoin(Device, Device.id == OrphanedMutation.device_id)
        .outerjoin(sender, sender.id == Device.user_id)
        .outerjoin(
            Assignment,
            (Assignment.client_id == OrphanedMutation.client_id) & Assignment.ended_at.is_(None),
        )
        .outerjoin(holder, holder.id == Assignment.caseworker_id)
        .where(OrphanedMutation.handled_at.is_(None))
        .group_by(OrphanedMutation.client_id, sender.username, holder.username)
        .order_by(func.min(OrphanedMutation.created_at))
    )
    return [
        {
            "client_id": row.client_id,
            "sent_by": row.sent_by or "",
            "holder": row.holder or "",
            "count": int(row.waiting),
            "oldest": moment(row.oldest),
        }
        for row in rows
    ]


def _page(
    request: Request,
    session: SessionDep,
    admin: CurrentAdmin,
    *,
    status: int = 200,
    error: str | None = None,
) -> Response:
    everything = request.query_params.get("alles") == "1"
    found = [
        {**row, "at": moment(row["at"]), "handled": moment(row["handled_at"])}
        for row in collisions.open_collisions(session, include_handled=everything)
    ]
    return render(
        request,
        "findings.html",
        status=status,
        admin=admin,
        csrf=admin.csrf,
        orphans=_orphan_counts(session),
        collisions=found,
        everything=everything,
        error=error,
        notice=notice(request, "findings."),
    )


@router.get("/signalen")
def findings(request: Request, session: SessionDep, admin: CurrentAdmin) -> Response:
    return _page(request, session, admin)


@router.post("/signalen/dubbel/{collision_id}/afgehandeld")
def collision_handled(
    request: Request,
    collision_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    session: SessionDep,
    admin: CurrentAdmin,
    form: CheckedForm,
) -> Response:
    try:
        collisions.mark_handled(session, collision_id, by=admin.username)
        session.commit()
    except ApiError as error:
        session.rollback()
        return _page(request, session, admin, status=404, error=error_key(error, "findings.gone"))
    return redirect("/signalen", melding="findings.handled")
