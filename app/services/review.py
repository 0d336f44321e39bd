"""The team lead's Beoordelen: the queue of submitted intakes and the decisions on them.

A team lead's device holds the team's clients whose intake waits for review (the server's scope),
so the queue is read from the local copy, offline too. Approving and returning are commands the
server checks again (the four-eyes rule, the team, the open threads); comments are records of
their own that travel with the next sync, before the decision that depends on them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from app.domain.clocks import Clock, most_urgent
from app.domain.errors import DomainError
from app.domain.intake import Intake
from app.domain.local_time import local_today
from app.domain.review import ThreadStatus
from app.domain.states import IntakeStatus
from app.services.clocks import clocks_of
from app.storage.queries.review import queued_intakes
from app.storage.store import RecordNotFound, Store

__all__ = ["QueueItem", "approve_intake", "return_intake", "review_queue"]


@dataclass(frozen=True, slots=True)
class QueueItem:
    intake_id: str
    client_id: str
    client_name: str  # "Jan de Vries"
    sort_name: str  # "Vries, J. de"
    village: str
    caseworker: str
    submitted_at: datetime
    waiting_days: int
    round: int
    open_threads: int
    clock: Clock | None  # the most urgent running statutory term, if any


def review_queue(store: Store, *, today: date | None = None) -> tuple[QueueItem, ...]:
    """Submitted intakes, the longest waiting first."""
    day = today or local_today()
    items = []
    for queued in queued_intakes(store):
        intake = queued.intake
        submitted = intake.submitted_at or datetime.now(UTC)
        items.append(
            QueueItem(
                intake_id=intake.id,
                client_id=intake.client_id,
                client_name=queued.name.display(),
                sort_name=queued.name.formal(),
                village=queued.village,
                caseworker=intake.caseworker,
                submitted_at=submitted,
                waiting_days=max(0, (day - submitted.astimezone(UTC).date()).days),
                round=intake.round,
                open_threads=queued.open_threads,
                clock=most_urgent(clocks_of(intake), day),
            )
        )
    return tuple(items)


def _submitted(store: Store, intake_id: str) -> Intake:
    found = store.get(Intake, intake_id)
    if found is None:
        raise RecordNotFound(Intake.ENTITY)
    if found.status is not IntakeStatus.SUBMITTED:
        raise DomainError(
            "intake_not_waiting",
            "Deze intake wacht niet (meer) op beoordeling.",
            "This intake is not waiting for review (any more).",
        )
    return found


def _open_threads(store: Store, intake: Intake) -> int:
    dossier = store.read_dossier(intake.client_id)
    return sum(
        1
        for c in dossier.review_comments
        if c.intake_id == intake.id and c.starts_thread and c.status is ThreadStatus.OPEN
    )


def approve_intake(
    store: Store, *, intake_id: str, reviewer: str, at: datetime | None = None
) -> Intake:
    """Goedkeuren: refused here already while a thread is open (the server checks again)."""
    before = _submitted(store, intake_id)
    after = before.approve(
        reviewer=reviewer, at=at or datetime.now(UTC), open_threads=_open_threads(store, before)
    )
    return store.command(before, after, command="approve")


def return_intake(
    store: Store, *, intake_id: str, reviewer: str, at: datetime | None = None
) -> Intake:
    """Terugsturen with the open threads: at least one says what must change."""
    before = _submitted(store, intake_id)
    after = before.return_for_changes(
        reviewer=reviewer, at=at or datetime.now(UTC), open_threads=_open_threads(store, before)
    )
    return store.command(before, after, command="return")
