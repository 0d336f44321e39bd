"""The review cycle on the server: what submitting, approving and returning an intake store
besides the intake itself (its round, the threads a return opens), and the checks that need the
database (the client's schemes for completeness, the open threads for a decision).

Decided here once for both paths that change an intake's state — a device's command in a push
and the REST route — so the two cannot disagree. Callers have asked the one scope function
first; this module stores nothing itself, it says what to store.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.domain.errors import DomainError
from app.domain.intake import Intake
from app.domain.intake_fields import IntakeSection
from app.domain.reference import EnrollmentOutcome
from app.domain.review import Decision, IntakeRound, ReviewComment, ThreadStatus
from app.domain.roles import Role
from server.models import RECORD_BOOKKEEPING, enrollments, intake_rounds, review_comments


@dataclass(slots=True)
class ReviewOutcome:
    intake: Intake
    # A record to insert (a new round) or to update against its stored row (a decided round).
    new_round: IntakeRound | None = None
    decided_round: tuple[IntakeRound, Mapping[str, Any]] | None = None
    threads: list[ReviewComment] = field(default_factory=list)


def client_schemes(session: Session, client_id: str, *, at: datetime) -> set[str]:
    """The schemes the client is enrolled in today: the parts their intake must have."""
    today = at.date().isoformat()
    query = select(enrollments.c.scheme).where(
        enrollments.c.client_id == client_id,
        enrollments.c.deleted.is_(False),
        # Granted, started and not ended, as the device's form decides (Enrollment.active_on).
        enrollments.c.start_date <= today,
        or_(enrollments.c.end_date.is_(None), enrollments.c.end_date >= today),
        enrollments.c.outcome == EnrollmentOutcome.GRANTED.value,
    )
    return {str(s) for s in session.scalars(query)}


def open_threads(session: Session, intake_id: str) -> int:
    query = select(func.count()).where(
        review_comments.c.intake_id == intake_id,
        review_comments.c.thread_id == review_comments.c.id,
        review_comments.c.status == ThreadStatus.OPEN.value,
        review_comments.c.deleted.is_(False),
    )
    return int(session.execute(query).scalar_one())


def submitted(session: Session, intake: Intake, *, at: datetime) -> ReviewOutcome:
    decided = intake.submit(at=at, schemes=client_schemes(session, intake.client_id, at=at))
    return ReviewOutcome(decided, new_round=IntakeRound.of(decided))


def _current_round(
    session: Session, intake: Intake
) -> tuple[IntakeRound, Mapping[str, Any]] | None:
    row = session.execute(
        select(intake_rounds).where(
            intake_rounds.c.intake_id == intake.id,
            intake_rounds.c.number == intake.round,
            intake_rounds.c.deleted.is_(False),
        )
    ).first()
    if row is None:
        return None
    mapping = dict(row._mapping)
    fields = {k: v for k, v in mapping.items() if k not in RECORD_BOOKKEEPING}
    return IntakeRound.from_fields(str(row.id), fields), mapping


def decided(
    session: Session,
    *,
    reviewer: str,
    intake: Intake,
    approve: bool,
    comments: Mapping[str, str],
    at: datetime | None = None,
) -> ReviewOutcome:
    """Approve (every thread resolved) or return (with at least one open thread; `comments`
    per section open new ones, as the REST route and older devices send them)."""
    now = at or datetime.now(UTC)
    if approve and any(text.strip() for text in comments.values()):
        raise DomainError(
            "comments_with_approval",
            "Een goedkeuring heeft geen opmerkingen; stuur de intake terug als er iets moet "
            "veranderen.",
            "An approval carries no comments; return the intake if something has to change.",
        )
    known = {s.value for s in IntakeSection}
    unknown = sorted(set(comments) - known)
    if unknown:
        raise DomainError(
            "unknown_section",
            "Een opmerking noemt een onderdeel dat het intakeformulier niet heeft.",
            "A comment names a section the intake form does not have.",
        )
    threads = [
        ReviewComment(
            client_id=intake.client_id,
            intake_id=intake.id,
            section=IntakeSection(section),
            round=intake.round,
            author=reviewer,
            author_role=Role.TEAM_LEAD.value,
            text=text.strip(),
            written_at=now,
        )
        for section, text in sorted(comments.items())
        if text.strip()
    ]
    still_open = open_threads(session, intake.id) + len(threads)
    result = (
        intake.approve(reviewer=reviewer, at=now, open_threads=still_open)
        if approve
        else intake.return_for_changes(reviewer=reviewer, at=now, open_threads=still_open)
    )
    outcome = ReviewOutcome(result, threads=threads)
    decision = Decision.APPROVED if approve else Decision.RETURNED
    found = _current_round(session, intake)
    if found is None:
        # Submitted before rounds were kept: the round is written now, as it stands.
        snapshot = IntakeRound.of(intake)
        outcome.new_round = snapshot.decided(decision, reviewer=reviewer, at=now)
    else:
        record, row = found
        outcome.decided_round = (record.decided(decision, reviewer=reviewer, at=now), row)
    return outcome
