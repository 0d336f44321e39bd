"""The client's PDF: the events in words, on the letterhead of the client's municipality.

The server may use `app.reports` (pyproject.toml, the import contracts): the documents depend on
the domain only, and the client's report must look like the plan they signed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import date

from app.domain.access_log import describe_event
from app.domain.formatting import moment_text
from app.domain.roles import role_label
from app.reports import (
    AccessReportDocument,
    AccessRow,
    DocumentMeta,
    Party,
    access_report_pdf,
    letterhead_for,
)
from server.access.events import AccessEvent
from server.access.exports import event_record
from server.access.lookup import ClientFound
from server.access.period import Period

__all__ = ["report_document", "report_pdf"]

SERVER = "Centrale server"
UNKNOWN_TIME = "Tijd onbekend"


def _role(event: AccessEvent) -> str:
    if event.role:
        return role_label(event.role)
    # No user account: a command given on the server itself, or a process of the server.
    return "Beheer centrale server" if event.user.startswith("cli:") else "Systeem"


def _device(event: AccessEvent) -> str:
    if event.device_name:
        return event.device_name
    if event.device_id:
        return f"Apparaat {event.device_id[:8]}"  # since removed from the register
    return SERVER


def _row(event: AccessEvent) -> AccessRow:
    return AccessRow(
        moment=moment_text(event.at) if event.at is not None else UNKNOWN_TIME,
        category=event.category.label("nl"),
        what=describe_event(event.action, event.entity, event.fields, "nl"),
        who=event.user_name,
        role=_role(event),
        on_behalf_of=event.on_behalf_of,
        device=_device(event),
    )


def content_hash(events: Sequence[AccessEvent]) -> str:
    """Of the events as the JSON export has them: the PDF's footer prints its start, so a
    printed report can be matched with the privacy officer's file of the same run."""
    canonical = json.dumps([event_record(e) for e in events], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def report_document(
    client: ClientFound, period: Period, events: Sequence[AccessEvent], *, printed_on: date
) -> AccessReportDocument:
    municipality = client.letterhead(printed_on)
    return AccessReportDocument(
        meta=DocumentMeta(
            municipality=municipality,
            document_date=printed_on,
            reference=client.id,
            author=letterhead_for(municipality).sender,
            content_hash=content_hash(events),
        ),
        client=Party(name=client.name, lines=(f"BSN {client.masked_bsn}",)),
        period=period.text(printed_on),
        rows=tuple(_row(e) for e in events),
    )


def report_pdf(
    client: ClientFound, period: Period, events: Sequence[AccessEvent], *, printed_on: date
) -> bytes:
    return access_report_pdf(report_document(client, period, events, printed_on=printed_on))
