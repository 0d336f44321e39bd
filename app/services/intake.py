"""The intake of one client, as the caseworker's Intake tab and the team lead's review screen
show it, and every change made there.

Plain functions over a `Store`, no Qt. Answers are saved one field at a time (the form saves as
you type, and sync merges per field); submitting, resolving and reopening are commands the server
checks again. Comments are records of their own, written offline and sent with the next sync.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from app.domain.client import Client
from app.domain.errors import DomainError
from app.domain.intake import Intake, sections_for
from app.domain.intake_fields import IntakeSection
from app.domain.local_time import local_today
from app.domain.review import (
    IntakeRound,
    ReviewComment,
    Thread,
    changed_fields,
    threads,
)
from app.domain.roles import Role
from app.domain.states import IntakeStatus
from app.storage.store import Dossier, RecordNotFound, Store

__all__ = [
    "IntakeHistoryPoint",
    "IntakeView",
    "add_comment",
    "intake_view",
    "reopen_thread",
    "resolve_thread",
    "save_answers",
    "start_intake",
    "submit_intake",
]


@dataclass(frozen=True, slots=True)
class IntakeHistoryPoint:
    """One intake of the client over time: when, the ladder step, the mean score."""

    day: date
    ladder_step: int | None
    mean_score: float | None


@dataclass(frozen=True, slots=True)
class IntakeView:
    """A client's intake as the screens show it."""

    client: Client
    today: date
    # The client's schemes today: the parts of the form shown and required.
    schemes: tuple[str, ...]
    # The intake being worked on (the newest), or None when there is none yet.
    intake: Intake | None
    # The newest approved intake before it: the chart's "previous" outline.
    previous: Intake | None
    rounds: tuple[IntakeRound, ...]
    threads: tuple[Thread, ...]
    history: tuple[IntakeHistoryPoint, ...]

    @property
    def sections(self) -> tuple[IntakeSection, ...]:
        return sections_for(self.schemes)

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(self.intake.missing(self.schemes)) if self.intake is not None else ()

    @property
    def open_threads(self) -> int:
        return sum(1 for t in self.threads if t.open)

    def last_decided_round(self) -> IntakeRound | None:
        """The newest round the team lead decided on (what the current one is compared to)."""
        decided = [r for r in self.rounds if r.decision is not None]
        return decided[-1] if decided else None

    def changed_since_last_round(self) -> tuple[str, ...]:
        """The answers that differ from the last decided round: what a reviewer looks at."""
        last = self.last_decided_round()
        if last is None or self.intake is None:
            return ()
        return changed_fields(last.content, self.intake.content())


def _day(at: datetime | None) -> date | None:
    return at.astimezone(UTC).date() if at is not None else None


def _history_point(intake: Intake) -> IntakeHistoryPoint | None:
    day = _day(intake.reviewed_at) or _day(intake.submitted_at)
    if day is None:
        return None
    scored = [s.score for s in intake.scores.values() if s.score is not None]
    return IntakeHistoryPoint(
        day=day,
        ladder_step=intake.ladder_current,
        mean_score=round(sum(scored) / len(scored), 2) if scored else None,
    )


def _order(intake: Intake) -> tuple[int, datetime]:
    # Drafts are the newest; among the rest, the later submission is the newer intake.
    at = intake.submitted_at or datetime.max.replace(tzinfo=UTC)
    return (0 if intake.status is not IntakeStatus.DRAFT else 1, at)


def view_of(dossier: Dossier, *, today: date, intake_id: str | None = None) -> IntakeView:
    """The intake view from an opened dossier: the given intake, or the newest one."""
    intakes = sorted(dossier.intakes, key=_order)
    current = next((i for i in intakes if i.id == intake_id), None) if intake_id else None
    if current is None and intakes:
        current = intakes[-1]
    approved = [
        i
        for i in intakes
        if i.status is IntakeStatus.APPROVED and current is not None and i.id != current.id
    ]
    points = [p for p in (_history_point(i) for i in intakes) if p is not None]
    schemes = tuple(
        dict.fromkeys(e.scheme.value for e in dossier.enrollments if e.active_on(today))
    )
    mine = current.id if current is not None else None
    return IntakeView(
        client=dossier.client,
        today=today,
        schemes=schemes,
        intake=current,
        previous=approved[-1] if approved else None,
        rounds=tuple(r for r in dossier.intake_rounds if r.intake_id == mine),
        threads=threads(c for c in dossier.review_comments if c.intake_id == mine),
        history=tuple(sorted(points, key=lambda p: p.day)),
    )


def intake_view(
    store: Store, client_id: str, *, today: date | None = None, intake_id: str | None = None
) -> IntakeView:
    """Read a client's intake (not audited as an opening: the dossier's opening was)."""
    return view_of(store.read_dossier(client_id), today=today or local_today(), intake_id=intake_id)


def _intake(store: Store, intake_id: str) -> Intake:
    found = store.get(Intake, intake_id)
    if found is None:
        raise RecordNotFound(Intake.ENTITY)
    return found


def start_intake(store: Store, *, client_id: str, caseworker: str) -> Intake:
    """A new draft intake; refused while an earlier one is still a draft or waiting for the
    team lead (a new intake starts when the last one was decided)."""
    dossier = store.read_dossier(client_id)
    if any(i.status is not IntakeStatus.APPROVED for i in dossier.intakes):
        raise DomainError(
            "intake_open",
            "Deze cliënt heeft al een intake die nog niet is goedgekeurd.",
            "This client already has an intake that has not been approved yet.",
        )
    return store.create(Intake(client_id=client_id, caseworker=caseworker))


def save_answers(store: Store, *, intake_id: str, values: Mapping[str, Any]) -> Intake:
    """Save some answers of the form, named as fields; only what changed is journalled."""
    return store.update(_intake(store, intake_id).edited(values))


def submit_intake(
    store: Store, *, intake_id: str, schemes: tuple[str, ...], at: datetime | None = None
) -> Intake:
    """Indienen: checked for completeness here and again on the server, then read-only."""
    before = _intake(store, intake_id)
    after = before.submit(at=at or datetime.now(UTC), schemes=schemes)
    return store.command(before, after, command="submit")


def add_comment(
    store: Store,
    *,
    intake_id: str,
    section: IntakeSection,
    text: str,
    author: str,
    role: Role,
    thread_id: str | None = None,
    at: datetime | None = None,
) -> ReviewComment:
    """A new thread on a section, or (with `thread_id`) an answer in a thread."""
    intake = _intake(store, intake_id)
    if thread_id is not None:
        start = store.get(ReviewComment, thread_id)
        if start is None or start.intake_id != intake_id:
            raise RecordNotFound(ReviewComment.ENTITY)
        section = start.section
    comment = ReviewComment(
        client_id=intake.client_id,
        intake_id=intake_id,
        section=section,
        round=intake.round,
        author=author,
        author_role=role.value,
        text=text.strip(),
        written_at=at or datetime.now(UTC),
    )
    if thread_id is not None:
        comment = dataclasses.replace(comment, thread_id=thread_id)
    return store.create(comment)


def _thread(store: Store, thread_id: str) -> ReviewComment:
    start = store.get(ReviewComment, thread_id)
    if start is None:
        raise RecordNotFound(ReviewComment.ENTITY)
    return start


def resolve_thread(
    store: Store, *, thread_id: str, by: str, at: datetime | None = None
) -> ReviewComment:
    before = _thread(store, thread_id)
    after = before.resolved(by=by, at=at or datetime.now(UTC))
    return store.command(before, after, command="resolve")


def reopen_thread(store: Store, *, thread_id: str) -> ReviewComment:
    before = _thread(store, thread_id)
    return store.command(before, before.reopened(), command="reopen")
