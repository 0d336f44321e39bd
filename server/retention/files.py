"""What the retention schedule says of every client's file on a given day."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.reference import EnrollmentOutcome, Scheme
from app.domain.retention import FileRetention, FileStatus, RetentionScheduleError, Schedule
from app.domain.values import Bsn
from server.models import DestroyedClient, LegalHold, clients, enrollments
from server.retention.errors import already_destroyed, unknown_client


@dataclass(frozen=True, slots=True)
class StoredProvision:
    """An enrollment row as retention reads it (app.domain.retention.Provision)."""

    scheme: Scheme
    outcome: EnrollmentOutcome
    end_date: date | None


@dataclass(frozen=True, slots=True)
class DueFile:
    client_id: str
    category: str
    destroy_on: date


@dataclass(frozen=True, slots=True)
class Survey:
    """Every file's standing on `today`."""

    today: date
    due: tuple[DueFile, ...]  # due and not on hold: what a run destroys
    held: tuple[DueFile, ...]  # due, but a legal hold stops it
    scheduled: int  # every provision ended, not yet due
    running: int  # a provision without an end date
    no_provision: tuple[str, ...]  # never due automatically: for central office to review


def resolve_client(session: Session, given: str) -> str:
    """The id of the client named by id or BSN (deleted records included: their rows are a
    file too). Refuses a destroyed or unknown client."""
    text = given.strip()
    if session.get(DestroyedClient, text) is not None:
        raise already_destroyed()
    if session.execute(select(clients.c.id).where(clients.c.id == text)).first() is not None:
        return text
    if text.isdigit() and len(text) == 9:
        found = session.execute(select(clients.c.id).where(clients.c.bsn == Bsn(text).value))
        row = found.first()
        if row is not None:
            return str(row.id)
    raise unknown_client()


def provisions_of(
    session: Session, client_ids: Iterable[str] | None = None
) -> dict[str, list[StoredProvision]]:
    """The live enrollments of these clients (all clients when None), per client."""
    query = select(
        enrollments.c.client_id, enrollments.c.scheme, enrollments.c.outcome, enrollments.c.end_date
    ).where(enrollments.c.deleted.is_(False))
    if client_ids is not None:
        query = query.where(enrollments.c.client_id.in_(sorted(set(client_ids))))
    found: dict[str, list[StoredProvision]] = defaultdict(list)
    for row in session.execute(query):
        try:
            scheme = Scheme(str(row.scheme))
        except ValueError as error:
            raise RetentionScheduleError(
                f"de database noemt regeling '{row.scheme}', die het schema niet kent.",
                f"the database names scheme '{row.scheme}', which the schedule does not know.",
            ) from error
        found[str(row.client_id)].append(
            StoredProvision(
                scheme=scheme,
                outcome=EnrollmentOutcome(str(row.outcome)),
                end_date=date.fromisoformat(row.end_date) if row.end_date else None,
            )
        )
    return found


def held_clients(session: Session) -> set[str]:
    return {
        str(cid)
        for cid in session.scalars(select(LegalHold.client_id).where(LegalHold.lifted_at.is_(None)))
    }


def file_of(session: Session, schedule: Schedule, client_id: str) -> FileRetention:
    return schedule.file(provisions_of(session, [client_id]).get(client_id, []))


def survey(session: Session, *, today: date, schedule: Schedule) -> Survey:
    """Every client's file against the schedule. Reads everything first: a bad schedule or an
    unknown scheme raises before anything is changed."""
    provisions = provisions_of(session)
    holds = held_clients(session)
    due: list[DueFile] = []
    held: list[DueFile] = []
    scheduled = running = 0
    review: list[str] = []
    for client_id in sorted(str(cid) for cid in session.scalars(select(clients.c.id))):
        found = schedule.file(provisions.get(client_id, []))
        if found.status is FileStatus.NO_PROVISION:
            review.append(client_id)
        elif found.status is FileStatus.RUNNING:
            running += 1
        elif found.due(today):
            assert found.destroy_on is not None and found.category is not None
            item = DueFile(client_id, found.category.code, found.destroy_on)
            (held if client_id in holds else due).append(item)
        else:
            scheduled += 1
    return Survey(
        today=today,
        due=tuple(due),
        held=tuple(held),
        scheduled=scheduled,
        running=running,
        no_provision=tuple(review),
    )
