"""What is kept of a destroyed file, and without what.

Audit entries (server) and audit events (devices) of the destroyed records stay: the audit trail
must show that people acted, and when (SECURITY.md S10). They keep the record's id and the
client's id: those are random UUIDs (client_import and the demo draw them at random, never from a
BSN), and once the file is gone nothing maps them to a person, so by themselves they are no
personal data. Rewriting them would also break each device's audit hash chain, which covers
record_id and client_id. What may be personal is free text or a value in `details`: only keys
known to hold codes, counts, field names or staff user names are kept (`SAFE_DETAIL_KEYS`); any
other key is dropped and the entry marked `"scrubbed": true`. Today no writer puts anything else
in the details of a record's audit entry, so a scrub normally changes nothing; it is the guard
for the day one does. The audit log's trigger allows exactly this change and no other.

A device event's stored hash covers its original details, so a scrubbed event no longer
verifies on its own; its `scrubbed` mark says why, and its neighbours still link to its hash.

Stored push answers (`device_mutations`) may carry a record's values (a refusal, a conflict, a
command's result): for a destroyed client they keep their verdict and lose the values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from server.models import RECORD_TABLES, AuditEntry, DeviceAuditEvent, DeviceMutation
from server.sync.id_sets import among, chunks

SCRUBBED = "scrubbed"

# Detail keys whose values are codes, counts, field names or staff user names, never a client's
# data (see every audit.record / record_event call): what a scrub keeps.
SAFE_DETAIL_KEYS = frozenset(
    {
        SCRUBBED,
        "fields",  # names of the fields an update changed
        "field",
        "choice",  # mine / theirs of a resolved conflict
        "conflicts",
        "command",
        "format",
        "copies",
        "pages",
        "version",
        "revision",
        "role",
        "caseworker",  # the staff member a client was assigned to
        "statement",  # the number of a destruction statement
        "request",  # the number of an erasure request
        "records",
    }
)

# Answer members that carry record values.
ANSWER_PAYLOAD = ("server_values", "conflicts")


def scrubbed(details: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The details without unsafe keys and marked, or None when nothing needs to go."""
    if not details:
        return None
    unsafe = set(details) - SAFE_DETAIL_KEYS
    if not unsafe:
        return None
    kept = {key: value for key, value in details.items() if key not in unsafe}
    kept[SCRUBBED] = True
    return kept


@dataclass(frozen=True, slots=True)
class ScrubPlan:
    audit_entries: dict[int, dict[str, Any]]  # id -> scrubbed details
    device_events: dict[int, dict[str, Any]]
    answers: list[tuple[str, int, dict[str, Any]]]  # (device, seq, stripped answer)


def plan_scrub(session: Session, *, record_ids: set[str], client_ids: set[str]) -> ScrubPlan:
    """What the destruction of these records (and clients) changes in audit trails and answers."""
    entries: dict[int, dict[str, Any]] = {}
    for chunk in chunks(session, record_ids):
        query = select(AuditEntry.id, AuditEntry.details).where(
            among(session, AuditEntry.record_id, chunk),
            AuditEntry.entity.in_(sorted(RECORD_TABLES)),
        )
        for row in session.execute(query):
            if (clean := scrubbed(row.details)) is not None:
                entries[int(row.id)] = clean
    events: dict[int, dict[str, Any]] = {}
    answers: list[tuple[str, int, dict[str, Any]]] = []
    for chunk in chunks(session, client_ids):
        for event in session.execute(
            select(DeviceAuditEvent.id, DeviceAuditEvent.details).where(
                among(session, DeviceAuditEvent.client_id, chunk)
            )
        ):
            if (clean := scrubbed(event.details)) is not None:
                events[int(event.id)] = clean
        for mutation in session.execute(
            select(DeviceMutation.device_id, DeviceMutation.seq, DeviceMutation.answer).where(
                among(session, DeviceMutation.client_id, chunk)
            )
        ):
            stripped = stripped_answer(mutation.answer)
            if stripped is not None:
                answers.append((str(mutation.device_id), int(mutation.seq), stripped))
    return ScrubPlan(entries, events, answers)


def stripped_answer(answer: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The answer without record values, or None when it carries none."""
    if not answer or not any(answer.get(key) for key in ANSWER_PAYLOAD):
        return None
    return {**answer, "server_values": {}, "conflicts": []}


def apply_scrub(session: Session, plan: ScrubPlan) -> None:
    for entry_id, details in plan.audit_entries.items():
        session.execute(update(AuditEntry).where(AuditEntry.id == entry_id).values(details=details))
    for event_id, details in plan.device_events.items():
        session.execute(
            update(DeviceAuditEvent).where(DeviceAuditEvent.id == event_id).values(details=details)
        )
    write_answers(session, plan.answers)


def write_answers(session: Session, answers: Iterable[tuple[str, int, dict[str, Any]]]) -> None:
    for device_id, seq, answer in answers:
        session.execute(
            update(DeviceMutation)
            .where(DeviceMutation.device_id == device_id, DeviceMutation.seq == seq)
            .values(answer=answer)
        )
