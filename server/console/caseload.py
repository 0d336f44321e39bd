"""Caseload: who holds which client, searching clients by BSN or name, and (re)assigning one or
many. An administrator sees what assigning needs (name, BSN masked, village, caseworker) and
nothing of a dossier; each listing that names clients is audited as a view, with their ids."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import Select, func, select
from stdnum.nl import bsn as stdnum_bsn

from app.domain.roles import Role
from server.api.deps import SessionDep
from server.console.forms import error_key, notice, page_number, text_field
from server.console.guard import CheckedForm, CurrentAdmin
from server.console.shown import bsn, client_name
from server.console.web import PREFIX, redirect, render
from server.crud import assignments, audit, users
from server.errors import ApiError
from server.models import Assignment, Team, TeamMember, User, clients

router = APIRouter(prefix=PREFIX, include_in_schema=False)

PAGE_SIZE = 100
MAX_CHOSEN = 1000
UNASSIGNED = "-"
_CHUNK = 900


def _listing() -> Select[Any]:
    return (
        select(
            clients.c.id,
            clients.c.bsn,
            clients.c.initials,
            clients.c.first_names,
            clients.c.name_prefix,
            clients.c.surname,
            clients.c.village,
            User.username,
        )
        .outerjoin(
            Assignment, (Assignment.client_id == clients.c.id) & Assignment.ended_at.is_(None)
        )
        .outerjoin(User, User.id == Assignment.caseworker_id)
        .where(clients.c.deleted.is_(False))
        .order_by(clients.c.surname, clients.c.name_prefix, clients.c.initials, clients.c.id)
    )


def _holders(session: SessionDep) -> tuple[list[dict[str, Any]], int]:
    """Every caseworker with the number of clients they hold, and the number held by nobody."""
    held: dict[int, int] = {
        int(user_id): int(count)
        for user_id, count in session.execute(
            select(Assignment.caseworker_id, func.count())
            .join(clients, clients.c.id == Assignment.client_id)
            .where(Assignment.ended_at.is_(None), clients.c.deleted.is_(False))
            .group_by(Assignment.caseworker_id)
        )
    }
    team_of: dict[int, str] = {
        int(user_id): str(name)
        for user_id, name in session.execute(
            select(TeamMember.user_id, Team.name).join(Team, Team.id == TeamMember.team_id)
        )
    }
    holders = [
        {
            "user": user,
            "team": team_of.get(user.id, ""),
            "clients": held.get(user.id, 0),
        }
        for user in users.list_users(session)
        if user.role == Role.CASEWORKER and (user.active or held.get(user.id))
    ]
    total = session.scalar(
        select(func.count()).select_from(clients).where(clients.c.deleted.is_(False))
    )
    return holders, int(total or 0) - sum(held.values())


def _shown(
    session: SessionDep, admin: CurrentAdmin, query: Select[Any], how: str, *, offset: int = 0
) -> tuple[list[dict[str, Any]], bool]:
    rows = list(session.execute(query.limit(PAGE_SIZE + 1).offset(offset)))
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    if rows:
        # Names and BSNs of clients were shown: a view, with the clients it showed.
        audit.record(
            session,
            actor=admin.username,
            action="view",
            entity="caseload",
            search=how,
            clients=[str(row.id) for row in rows],
        )
        session.commit()
    return [
        {
            "id": row.id,
            "name": client_name(row),
            "bsn": bsn(row.bsn),
            "village": row.village,
            "caseworker": row.username,
        }
        for row in rows
    ], more


def _page(
    request: Request,
    session: SessionDep,
    admin: CurrentAdmin,
    *,
    status: int = 200,
    error: str | None = None,
    found: list[dict[str, Any]] | None = None,
    more: bool = False,
    heading: tuple[str, dict[str, str]] | None = None,
    searched: str = "",
    back: str = "",
    page: int = 1,
) -> Response:
    holders, unassigned = _holders(session)
    return render(
        request,
        "caseload.html",
        status=status,
        admin=admin,
        csrf=admin.csrf,
        holders=holders,
        unassigned=unassigned,
        caseworkers=[h["user"] for h in holders if h["user"].active],
        found=found,
        more=more,
        heading=heading,
        searched=searched,
        back=back,
        page=page,
        error=error,
        notice=notice(request, "caseload."),
    )


def _of_caseworker(
    request: Request, session: SessionDep, admin: CurrentAdmin, holder: str, **shown: Any
) -> Response:
    page = page_number(request)
    query = _listing()
    heading: tuple[str, dict[str, str]]
    if holder == UNASSIGNED:
        query = query.where(Assignment.id.is_(None))
        heading = ("caseload.unassigned_title", {})
    else:
        query = query.where(User.username == holder)
        heading = ("caseload.of", {"name": holder})
    found, more = _shown(session, admin, query, "caseworker", offset=(page - 1) * PAGE_SIZE)
    return _page(
        request,
        session,
        admin,
        found=found,
        more=more,
        heading=heading,
        back=holder,
        page=page,
        **shown,
    )


@router.get("/caseload")
def caseload(request: Request, session: SessionDep, admin: CurrentAdmin) -> Response:
    holder = request.query_params.get("klantmanager", "")[:64]
    if holder:
        return _of_caseworker(request, session, admin, holder)
    return _page(request, session, admin)


def _search_query(term: str) -> Select[Any] | str:
    """The listing for a BSN (nine digits; spaces, dots and dashes allowed) or a part of a name;
    a text key when the term cannot be searched for."""
    compact = "".join(c for c in term if c not in " .-")
    if compact.isdigit():
        if not stdnum_bsn.is_valid(compact):
            return "error.invalid_bsn"
        return _listing().where(clients.c.bsn == compact)
    if len(term) < 2:
        return "caseload.too_short"
    wanted = term.casefold()
    whole = func.lower(clients.c.name_prefix + " " + clients.c.surname)
    return _listing().where(
        func.lower(clients.c.surname).contains(wanted, autoescape=True)
        | whole.contains(wanted, autoescape=True)
    )


@router.post("/caseload/zoeken")
def search(
    request: Request, session: SessionDep, admin: CurrentAdmin, form: CheckedForm
) -> Response:
    """A POST, so that a BSN or a name typed here never stands in an address, a browser's
    history or a log."""
    term = text_field(form, "zoek", 100)
    query = _search_query(term)
    if isinstance(query, str):
        return _page(request, session, admin, status=422, error=query, searched=term)
    how = "name" if any(c.isalpha() for c in term) else "bsn"
    found, more = _shown(session, admin, query, how)
    return _page(
        request,
        session,
        admin,
        found=found,
        more=more,
        heading=("caseload.results", {}),
        # A whole BSN is not written back (the results show it masked); a name is.
        searched=term if how == "name" else "",
    )


def _existing(session: SessionDep, ids: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        found |= set(
            session.scalars(
                select(clients.c.id).where(clients.c.id.in_(chunk), clients.c.deleted.is_(False))
            )
        )
    return found


@router.post("/caseload/toewijzen")
def assign(
    request: Request, session: SessionDep, admin: CurrentAdmin, form: CheckedForm
) -> Response:
    caseworker = text_field(form, "caseworker", 64)
    back = text_field(form, "terug", 64)
    chosen = sorted({v[:36] for v in form.getlist("client") if isinstance(v, str) and v})

    def refused(key: str) -> Response:
        session.rollback()
        if back:
            return _of_caseworker(request, session, admin, back, status=422, error=key)
        return _page(request, session, admin, status=422, error=key)

    if not chosen:
        return refused("caseload.none_chosen")
    if len(chosen) > MAX_CHOSEN:
        return refused("caseload.too_many")
    if _existing(session, chosen) != set(chosen):
        return refused("caseload.gone")
    try:
        moved = assignments.assign_many(
            session, [(client_id, caseworker) for client_id in chosen], by=admin.username
        )
        session.commit()
    except ApiError as error:
        return refused(error_key(error, "devices.no_such_user"))
    return redirect(
        "/caseload",
        klantmanager=caseworker,
        melding="caseload.assigned",
        aantal=str(moved),
        naam=caseworker,
    )
