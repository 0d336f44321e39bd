"""Retention in the console (issue #15's back end, server.retention): what is due today and a
dry run of the retention run, then the run itself behind a confirmation; legal holds; erasure
requests on their three-month clock, carried out (confirmed first) or refused with a reason;
and the destruction statements, each as a PDF to print and sign.

As the command line (`veldwerk-server retention …`, `erasure …`): a client is found by its id
or BSN and named by its random id only; nothing of a dossier is shown, nor the free-text
reasons of holds and refusals once recorded (they may name people). Every change is audited
by server.retention in the administrator's name; a statement's download is audited as an
export. A refusal changes nothing and keeps what was typed.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from app.domain.errors import VeldwerkError
from app.domain.local_time import local_today
from app.domain.retention import schedule
from server.api.deps import SessionDep
from server.console.audit_page import parse_day
from server.console.forms import notice, text_field
from server.console.guard import CheckedForm, CurrentAdmin
from server.console.shown import moment
from server.console.text import TEXT, translator
from server.console.web import PREFIX, SECURITY_HEADERS, language_of, redirect, render
from server.crud import audit
from server.models import ErasureRequest
from server.retention import erasure, holds, statements
from server.retention.files import survey
from server.retention.holds import MAX_REASON
from server.retention.run import RunPlan, plan_run, run

router = APIRouter(prefix=PREFIX, include_in_schema=False)

RequestId = Annotated[int, Path(ge=1, le=2**31 - 1)]
ClientId = Annotated[str, Path(max_length=36)]
# The clients without any provision are listed by id for review; a long list is cut here.
SHOWN_IDS = 200


def _today() -> date:
    """The day retention counts with: central office's local date (a test sets another)."""
    return local_today()


def _now() -> datetime:
    return datetime.now(UTC)


def refusal(error: VeldwerkError) -> str:
    """The text key of a refused retention command, by its code (the catalogue words them for
    a page, not for a command line)."""
    key = f"error.{error.code}"
    return key if key in TEXT else "retention.refused"


def _category(code: str, language: str) -> str:
    found = schedule().categories.get(code)
    if found is not None:
        return found.label.text(language)
    return translator(language)("retention.no_provision") if code == erasure.NO_PROVISION else code


def _term(code: str, language: str) -> str:
    found = schedule().categories.get(code)
    return found.term.text(language) if found is not None else ""


def _day(day: date | None) -> str:
    return f"{day:%d-%m-%Y}" if day is not None else ""


# ------------------------------------------------------------------------ due and the run


def fingerprint(plan: RunPlan) -> str:
    """What a dry run showed, as a digest: the run goes ahead only if it would do the same."""
    shown = {
        "today": plan.today.isoformat(),
        "clients": sorted(plan.destruction.client_ids),
        "totals": plan.totals,
        "lines": [line.as_json() for line in plan.lines],
    }
    return hashlib.sha256(json.dumps(shown, sort_keys=True).encode()).hexdigest()


@router.get("/bewaren")
def due(request: Request, session: SessionDep, admin: CurrentAdmin) -> Response:
    today = _today()
    language = language_of(request)
    found = survey(session, today=today, schedule=schedule())
    per_category = Counter(f.category for f in found.due)
    return render(
        request,
        "retention.html",
        admin=admin,
        csrf=admin.csrf,
        today=_day(today),
        categories=[
            {"name": _category(code, language), "term": _term(code, language), "files": count}
            for code, count in sorted(per_category.items())
        ],
        due_files=len(found.due),
        held=len(found.held),
        scheduled=found.scheduled,
        running=found.running,
        review=list(found.no_provision[:SHOWN_IDS]),
        more_review=max(0, len(found.no_provision) - SHOWN_IDS),
        review_count=len(found.no_provision),
        notice=notice(request, "retention.nothing"),
    )


def _dry_run_page(
    request: Request,
    session: SessionDep,
    admin: CurrentAdmin,
    plan: RunPlan,
    *,
    status: int = 200,
    error: str | None = None,
) -> Response:
    language = language_of(request)
    totals = plan.totals
    return render(
        request,
        "retention_dry_run.html",
        status=status,
        admin=admin,
        csrf=admin.csrf,
        today=_day(plan.today),
        lines=[
            {
                "name": _category(line.category, language),
                "term": _term(line.category, language),
                "month": line.month,
                "files": line.files,
                "records": line.records,
            }
            for line in plan.lines
        ],
        totals=totals,
        cutoff=_day(plan.contact.cutoff.date()),
        changes=plan.changes_anything,
        plan=fingerprint(plan),
        error=error,
    )


@router.get("/bewaren/proefdraai")
def dry_run(request: Request, session: SessionDep, admin: CurrentAdmin) -> Response:
    plan = plan_run(session, today=_today())
    session.rollback()  # a dry run reads only; nothing is kept
    return _dry_run_page(request, session, admin, plan)


@router.post("/bewaren/vernietigen")
def destroy_due(
    request: Request, session: SessionDep, admin: CurrentAdmin, form: CheckedForm
) -> Response:
    """The run, exactly as the dry run the administrator confirmed: when anything changed in
    between (a hold placed, a file come due), nothing is destroyed and the new dry run shown."""
    shown = text_field(form, "plan", 64)
    try:
        result = run(session, today=_today(), now=_now(), by=admin.username, dry_run=False)
    except VeldwerkError as error:
        session.rollback()
        plan = plan_run(session, today=_today())
        session.rollback()
        return _dry_run_page(request, session, admin, plan, status=422, error=refusal(error))
    if fingerprint(result.plan) != shown:
        session.rollback()
        plan = plan_run(session, today=_today())
        session.rollback()
        return _dry_run_page(request, session, admin, plan, status=409, error="retention.changed")
    session.commit()
    if result.statement_id is None:
        return redirect("/bewaren", melding="retention.nothing")
    return redirect(
        "/bewaren/verklaringen",
        melding="retention.done",
        aantal=str(result.plan.totals["files"]),
        naam=str(result.statement_id),
    )


# ----------------------------------------------------------------------------- legal holds


def _holds_page(
    request: Request,
    session: SessionDep,
    admin: CurrentAdmin,
    *,
    status: int = 200,
    error: str | None = None,
    entered: dict[str, str] | None = None,
) -> Response:
    return render(
        request,
        "holds.html",
        status=status,
        admin=admin,
        csrf=admin.csrf,
        holds=[
            {"client_id": hold.client_id, "placed": moment(hold.placed_at), "by": hold.placed_by}
            for hold in holds.in_force(session)
        ],
        max_reason=MAX_REASON,
        error=error,
        entered=entered or {},
        notice=notice(request, "holds."),
    )


@router.get("/bewaren/bewaarplicht")
def hold_list(request: Request, session: SessionDep, admin: CurrentAdmin) -> Response:
    return _holds_page(request, session, admin)


@router.post("/bewaren/bewaarplicht")
def place_hold(
    request: Request, session: SessionDep, admin: CurrentAdmin, form: CheckedForm
) -> Response:
    client = text_field(form, "client", 64)
    reason = text_field(form, "reason", MAX_REASON + 1)
    try:
        hold = holds.place(session, client=client, reason=reason, by=admin.username, now=_now())
        session.commit()
    except VeldwerkError as error:
        session.rollback()
        return _holds_page(
            request,
            session,
            admin,
            status=422,
            error=refusal(error),
            entered={"client": client, "reason": reason},
        )
    return redirect("/bewaren/bewaarplicht", melding="holds.placed", naam=hold.client_id)


@router.post("/bewaren/bewaarplicht/{client_id}/opheffen")
def lift_hold(
    request: Request,
    client_id: ClientId,
    session: SessionDep,
    admin: CurrentAdmin,
    form: CheckedForm,
) -> Response:
    try:
        hold = holds.lift(session, client=client_id, by=admin.username, now=_now())
        session.commit()
    except VeldwerkError as error:
        session.rollback()
        return _holds_page(request, session, admin, status=422, error=refusal(error))
    return redirect("/bewaren/bewaarplicht", melding="holds.lifted", naam=hold.client_id)


# ------------------------------------------------------------------------- erasure requests


def _clock(view: erasure.RequestView) -> tuple[str, dict[str, Any]]:
    status = view.request.status
    if view.days_left is None:
        return ("erasure.carried_out" if status == erasure.CARRIED_OUT else "erasure.refused"), {}
    if view.overdue:
        return "erasure.overdue", {"count": -view.days_left}
    return "erasure.days_left", {"count": view.days_left}


def _request_row(view: erasure.RequestView, language: str) -> dict[str, Any]:
    r = view.request
    clock, values = _clock(view)
    return {
        "id": r.id,
        "client_id": r.client_id,
        "received": _day(r.received_on),
        "due": _day(r.due_on),
        "open": r.status == erasure.OPEN,
        "overdue": view.overdue,
        "clock": clock,
        "clock_values": values,
        "statutory": r.statutory,
        "on_hold": view.on_hold,
        "kept_for": [_category(code, language) for code in view.kept_for],
        "decided": moment(r.decided_at),
        "decided_by": r.decided_by or "",
        "statement_id": r.statement_id,
        "recorded_by": r.recorded_by,
    }


def _requests_page(
    request: Request,
    session: SessionDep,
    admin: CurrentAdmin,
    *,
    status: int = 200,
    error: str | None = None,
    entered: dict[str, str] | None = None,
) -> Response:
    everything = request.query_params.get("alles") == "1"
    language = language_of(request)
    today = _today()
    found = erasure.listing(session, today=today, include_decided=everything)
    return render(
        request,
        "erasure.html",
        status=status,
        admin=admin,
        csrf=admin.csrf,
        requests=[_request_row(view, language) for view in found],
        everything=everything,
        today=today.isoformat(),
        error=error,
        entered=entered or {},
        notice=notice(request, "erasure."),
    )


@router.get("/bewaren/verzoeken")
def request_list(request: Request, session: SessionDep, admin: CurrentAdmin) -> Response:
    return _requests_page(request, session, admin)


@router.post("/bewaren/verzoeken")
def record_request(
    request: Request, session: SessionDep, admin: CurrentAdmin, form: CheckedForm
) -> Response:
    client = text_field(form, "client", 64)
    received_text = text_field(form, "received", 10)
    entered = {"client": client, "received": received_text}
    received = parse_day(received_text) if received_text else None
    if received is None:
        return _requests_page(
            request, session, admin, status=422, error="erasure.invalid_date", entered=entered
        )
    try:
        found = erasure.record_request(
            session,
            client=client,
            received=received,
            today=_today(),
            by=admin.username,
            now=_now(),
        )
        session.commit()
    except VeldwerkError as error:
        session.rollback()
        return _requests_page(
            request, session, admin, status=422, error=refusal(error), entered=entered
        )
    return redirect(
        "/bewaren/verzoeken",
        melding="erasure.recorded" if found.statutory else "erasure.recorded_not_statutory",
        naam=str(found.id),
        team=_day(found.due_on),
    )


def _open_view(session: SessionDep, request_id: int) -> erasure.RequestView | None:
    for view in erasure.listing(session, today=_today(), include_decided=True):
        if view.request.id == request_id:
            return view
    return None


def _decision_page(
    request: Request,
    session: SessionDep,
    admin: CurrentAdmin,
    request_id: int,
    template: str,
    *,
    status: int = 200,
    error: str | None = None,
    reason: str = "",
) -> Response:
    view = _open_view(session, request_id)
    if view is None:
        return _requests_page(request, session, admin, status=404, error="error.unknown_request")
    return render(
        request,
        template,
        status=status,
        admin=admin,
        csrf=admin.csrf,
        row=_request_row(view, language_of(request)),
        max_reason=MAX_REASON,
        reason=reason,
        error=error,
    )


@router.get("/bewaren/verzoeken/{request_id}/uitvoeren")
def confirm_carry_out(
    request: Request, request_id: RequestId, session: SessionDep, admin: CurrentAdmin
) -> Response:
    return _decision_page(request, session, admin, request_id, "erasure_carry_out.html")


@router.post("/bewaren/verzoeken/{request_id}/uitvoeren")
def carry_out(
    request: Request,
    request_id: RequestId,
    session: SessionDep,
    admin: CurrentAdmin,
    form: CheckedForm,
) -> Response:
    try:
        done = erasure.carry_out(
            session, request_id=request_id, by=admin.username, now=_now(), today=_today()
        )
        session.commit()
    except VeldwerkError as error:
        session.rollback()
        status = 404 if error.code == "unknown_request" else 422
        return _requests_page(request, session, admin, status=status, error=refusal(error))
    return redirect(
        "/bewaren/verzoeken",
        melding="erasure.done",
        naam=str(done.id),
        aantal=str(done.statement_id),
    )


@router.get("/bewaren/verzoeken/{request_id}/weigeren")
def refusal_form(
    request: Request, request_id: RequestId, session: SessionDep, admin: CurrentAdmin
) -> Response:
    return _decision_page(request, session, admin, request_id, "erasure_refuse.html")


@router.post("/bewaren/verzoeken/{request_id}/weigeren")
def refuse(
    request: Request,
    request_id: RequestId,
    session: SessionDep,
    admin: CurrentAdmin,
    form: CheckedForm,
) -> Response:
    reason = text_field(form, "reason", MAX_REASON + 1)
    try:
        done = erasure.refuse(
            session, request_id=request_id, reason=reason, by=admin.username, now=_now()
        )
        session.commit()
    except VeldwerkError as error:
        session.rollback()
        if session.get(ErasureRequest, request_id) is None:
            return _requests_page(request, session, admin, status=404, error=refusal(error))
        return _decision_page(
            request,
            session,
            admin,
            request_id,
            "erasure_refuse.html",
            status=422,
            error=refusal(error),
            reason=reason,
        )
    return redirect("/bewaren/verzoeken", melding="erasure.refused_now", naam=str(done.id))


# ---------------------------------------------------------------------- destruction statements


@router.get("/bewaren/verklaringen")
def statement_list(request: Request, session: SessionDep, admin: CurrentAdmin) -> Response:
    return render(
        request,
        "statements.html",
        admin=admin,
        csrf=admin.csrf,
        statements=[
            {
                "id": s.id,
                "made": moment(s.made_at),
                "by": s.made_by,
                "kind": s.kind,
                "as_of": _day(s.as_of),
                "files": int(s.totals.get("files", 0)),
                "records": int(s.totals.get("records", 0)),
            }
            for s in reversed(statements.listed(session))
        ],
        notice=notice(request, "retention.done"),
    )


@router.get("/bewaren/verklaringen/{statement_id}/pdf")
def statement_pdf(
    request: Request,
    statement_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    session: SessionDep,
    admin: CurrentAdmin,
) -> Response:
    """The statement to print and sign (no personal data in it); its download is audited."""
    try:
        found = statements.get(session, statement_id)
    except VeldwerkError as error:
        return render(request, "refused.html", status=404, admin=admin, error=refusal(error))
    data = statements.pdf(found, schedule())
    audit.record(
        session,
        actor=admin.username,
        action="export",
        entity="destruction_statement",
        record_id=str(found.id),
        format="pdf",
    )
    session.commit()
    name = f"verklaring-van-vernietiging-{found.id}.pdf"
    return Response(
        data,
        media_type="application/pdf",
        headers={**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="{name}"'},
    )
