"""Erasure on request: a client asks for their file to be destroyed.

The Wmo 2015 and the Jeugdwet give a client of a Wmo or youth-care file that right: the file is
destroyed within three months of the request, unless a legal rule or a third party's
substantial interest prevents it. Central office records the request (the day it was received
sets the clock), sees the days left on its list, and records a decision: carry out — the file
is destroyed at once, by the same path as retention, with its own destruction statement — or
refuse, with the reason.

A client without any Wmo or youth provision has no such right under those acts (AVG article 17
yields to the legal duty to keep the file, art. 17(3)(b)); a request from them is still recorded
and decided the same way, with the same three-month clock (AVG art. 12(3): one month, extended
by two at most), and the list marks it as not statutory. Since the whole file is the unit that
is destroyed, the list also names the other categories still under retention in the file
(a Participatiewet benefit, say): the usual legal rule that stands in the way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.retention import FileStatus, Schedule
from app.domain.retention import schedule as shipped_schedule
from server.crud import audit
from server.models import DestroyedClient, ErasureRequest
from server.retention import holds, statements
from server.retention.destroy import destroy, plan_destruction
from server.retention.errors import RetentionError, already_destroyed
from server.retention.files import StoredProvision, provisions_of, resolve_client

OPEN = "open"
CARRIED_OUT = "carried_out"
REFUSED = "refused"
# The statement's category for a file without any provision.
NO_PROVISION = "no_provision"


@dataclass(frozen=True, slots=True)
class RequestView:
    request: ErasureRequest
    days_left: int | None  # while open: days to the due date (negative: overdue)
    on_hold: bool
    kept_for: tuple[str, ...]  # categories in the file outside the erasure schemes

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0


def record_request(
    session: Session,
    *,
    client: str,
    received: date,
    today: date,
    by: str,
    now: datetime,
    schedule: Schedule | None = None,
) -> ErasureRequest:
    rules = schedule or shipped_schedule()
    client_id = resolve_client(session, client)
    if received > today:
        raise RetentionError(
            "received_in_future",
            "De datum van ontvangst ligt in de toekomst.",
            "The date received is in the future.",
        )
    if session.scalars(
        select(ErasureRequest.id).where(
            ErasureRequest.client_id == client_id, ErasureRequest.status == OPEN
        )
    ).first():
        raise RetentionError(
            "erasure_request_open",
            "Voor deze cliënt loopt al een verzoek om vernietiging.",
            "An erasure request for this client is open already.",
        )
    schemes = [p.scheme for p in provisions_of(session, [client_id]).get(client_id, [])]
    request = ErasureRequest(
        client_id=client_id,
        received_on=received,
        due_on=rules.erasure_due(received),
        statutory=rules.statutory_erasure(schemes),
        status=OPEN,
        recorded_by=by,
        recorded_at=now,
    )
    session.add(request)
    session.flush()
    audit.record(
        session,
        actor=by,
        action="erasure_requested",
        entity="client",
        record_id=client_id,
        request=request.id,
    )
    return request


def _kept_for(rules: Schedule, provisions: list[StoredProvision], today: date) -> tuple[str, ...]:
    found = []
    for provision in provisions:
        if provision.scheme in rules.erasure_schemes:
            continue
        each = rules.provision(provision)
        if each.destroy_on is None or each.destroy_on > today:
            found.append(each.category.code)
    return tuple(sorted(set(found)))


def listing(
    session: Session,
    *,
    today: date,
    include_decided: bool = False,
    schedule: Schedule | None = None,
) -> list[RequestView]:
    """Requests, oldest due date first; open ones only unless `include_decided`."""
    rules = schedule or shipped_schedule()
    query = select(ErasureRequest).order_by(ErasureRequest.due_on, ErasureRequest.id)
    if not include_decided:
        query = query.where(ErasureRequest.status == OPEN)
    requests = list(session.scalars(query))
    provisions = provisions_of(session, [r.client_id for r in requests]) if requests else {}
    held = {h.client_id for h in holds.in_force(session)}
    return [
        RequestView(
            request=r,
            days_left=(r.due_on - today).days if r.status == OPEN else None,
            on_hold=r.client_id in held,
            kept_for=_kept_for(rules, provisions.get(r.client_id, []), today),
        )
        for r in requests
    ]


def _request(session: Session, request_id: int) -> ErasureRequest:
    request = session.get(ErasureRequest, request_id)
    if request is None:
        raise RetentionError(
            "unknown_request",
            "Er is geen verzoek om vernietiging met dit nummer.",
            "There is no erasure request with this number.",
        )
    if request.status != OPEN:
        raise RetentionError(
            "erasure_decided",
            "Over dit verzoek is al besloten.",
            "This request has been decided already.",
        )
    return request


def refuse(
    session: Session, *, request_id: int, reason: str | None, by: str, now: datetime
) -> ErasureRequest:
    request = _request(session, request_id)
    request.reason = holds.reason_text(reason, what_nl="de weigering", what_en="the refusal")
    request.status = REFUSED
    request.decided_by = by
    request.decided_at = now
    audit.record(
        session,
        actor=by,
        action="erasure_refused",
        entity="client",
        record_id=request.client_id,
        request=request.id,
    )
    return request


def _statement_category(rules: Schedule, provisions: list[StoredProvision]) -> str:
    """The file's category for the statement: the governing one when every provision has
    ended; while some run (the usual erasure), the running one with the longest term."""
    found = rules.file(provisions)
    if found.category is not None:
        return found.category.code
    if found.status is FileStatus.NO_PROVISION:
        return NO_PROVISION
    running = [p.category for p in found.provisions if p.destroy_on is None]
    return max(running, key=lambda c: c.term.after(date(2000, 1, 1))).code


def carry_out(
    session: Session,
    *,
    request_id: int,
    by: str,
    now: datetime,
    today: date,
    schedule: Schedule | None = None,
) -> ErasureRequest:
    rules = schedule or shipped_schedule()
    request = _request(session, request_id)
    client_id = request.client_id
    if session.get(DestroyedClient, client_id) is not None:
        raise already_destroyed()
    if holds.current(session, client_id) is not None:
        raise RetentionError(
            "legal_hold",
            "Voor deze cliënt geldt een bewaarplicht (legal hold): hef die eerst op, of weiger "
            "het verzoek met de reden.",
            "A legal hold is in force for this client: lift it first, or refuse the request "
            "with the reason.",
        )
    category = _statement_category(rules, provisions_of(session, [client_id]).get(client_id, []))
    plan = plan_destruction(session, [client_id])
    lines = statements.lines_of([(category, today, plan.record_count)])
    totals = {
        "files": 1,
        "records": plan.record_count,
        "attachments": len(plan.blobs),
        "audit_scrubbed": len(plan.scrub.audit_entries) + len(plan.scrub.device_events),
    }
    destroy(session, plan, now=now)
    statement = statements.write(
        session,
        kind=statements.ERASURE,
        as_of=today,
        lines=lines,
        totals=totals,
        by=by,
        now=now,
    )
    request.status = CARRIED_OUT
    request.decided_by = by
    request.decided_at = now
    request.carried_out_at = now
    request.statement_id = statement.id
    audit.record(
        session,
        actor=by,
        action="erasure_carried_out",
        entity="client",
        record_id=client_id,
        request=request.id,
        statement=statement.id,
    )
    return request
