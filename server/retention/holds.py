"""Legal holds: central office stops the destruction of one client's file, with a reason (a
lawsuit, an objection procedure, a request of the Inspectie), until it lifts the hold. A run
skips a held file and counts it; an erasure cannot be carried out while a hold is in force.

The reason is free text for central office; it is never written to the audit log or a
statement, and it goes with the file when the file is finally destroyed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.crud import audit
from server.models import LegalHold
from server.retention.errors import RetentionError
from server.retention.files import resolve_client

MAX_REASON = 2000


def current(session: Session, client_id: str) -> LegalHold | None:
    return session.scalars(
        select(LegalHold).where(LegalHold.client_id == client_id, LegalHold.lifted_at.is_(None))
    ).first()


def reason_text(reason: str | None, *, what_nl: str, what_en: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise RetentionError(
            "reason_required",
            f"Geef een reden voor {what_nl}.",
            f"Give a reason for {what_en}.",
        )
    if len(text) > MAX_REASON:
        raise RetentionError(
            "reason_too_long",
            f"De reden is langer dan {MAX_REASON} tekens.",
            f"The reason is longer than {MAX_REASON} characters.",
        )
    return text


def place(session: Session, *, client: str, reason: str, by: str, now: datetime) -> LegalHold:
    client_id = resolve_client(session, client)
    text = reason_text(reason, what_nl="de bewaarplicht", what_en="the legal hold")
    if current(session, client_id) is not None:
        raise RetentionError(
            "hold_exists",
            "Voor deze cliënt geldt al een bewaarplicht (legal hold).",
            "A legal hold is in force for this client already.",
        )
    hold = LegalHold(client_id=client_id, reason=text, placed_by=by, placed_at=now)
    session.add(hold)
    session.flush()
    audit.record(
        session, actor=by, action="legal_hold_placed", entity="client", record_id=client_id
    )
    return hold


def lift(session: Session, *, client: str, by: str, now: datetime) -> LegalHold:
    client_id = resolve_client(session, client)
    hold = current(session, client_id)
    if hold is None:
        raise RetentionError(
            "no_hold",
            "Voor deze cliënt geldt geen bewaarplicht (legal hold).",
            "No legal hold is in force for this client.",
        )
    hold.lifted_by = by
    hold.lifted_at = now
    audit.record(
        session, actor=by, action="legal_hold_lifted", entity="client", record_id=client_id
    )
    return hold


def in_force(session: Session) -> list[LegalHold]:
    return list(
        session.scalars(
            select(LegalHold).where(LegalHold.lifted_at.is_(None)).order_by(LegalHold.placed_at)
        )
    )
