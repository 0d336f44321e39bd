"""The team lead's review of an intake: every submission kept as a round, and comment threads
per section that travel back to the caseworker's laptop and are answered there.

A round is written by the server when an intake is submitted and decided when the team lead
approves or returns it; devices only read rounds. A thread is a first comment on one section of
one intake, with its answers as comments of the same thread; it is open until one side marks it
resolved (a command, so who and when come from the server). Approving waits for every thread of
the intake to be resolved; returning needs at least one open thread to say what must change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar, Self

from app.domain.errors import DomainError, ValidationError
from app.domain.fields import Fields, aware, datetime_in, datetime_out, enum_in, text_in
from app.domain.ids import new_id
from app.domain.intake import Intake
from app.domain.intake_fields import IntakeSection, content_fields, section_of
from app.domain.merge import same_value
from app.domain.roles import Role
from app.domain.states import IntakeStatus


class Decision(StrEnum):
    APPROVED = "approved"
    RETURNED = "returned"


@dataclass(frozen=True, slots=True)
class IntakeRound:
    """One submission of an intake, as it was submitted, and what the team lead decided."""

    ENTITY: ClassVar[str] = "intake_round"

    client_id: str
    intake_id: str
    number: int
    submitted_at: datetime
    submitted_by: str
    content: dict[str, Any]
    decision: Decision | None = None
    reviewer: str | None = None
    decided_at: datetime | None = None
    id: str = field(default_factory=new_id)

    @classmethod
    def of(cls, intake: Intake) -> IntakeRound:
        if intake.status is not IntakeStatus.SUBMITTED or intake.submitted_at is None:
            raise DomainError(
                "intake_not_submitted",
                "Alleen een ingediende intake heeft een ronde.",
                "Only a submitted intake has a round.",
            )
        return cls(
            client_id=intake.client_id,
            intake_id=intake.id,
            number=intake.round,
            submitted_at=intake.submitted_at,
            submitted_by=intake.caseworker,
            content=intake.content(),
        )

    def decided(self, decision: Decision, *, reviewer: str, at: datetime) -> IntakeRound:
        if self.decision is not None:
            raise DomainError(
                "round_decided",
                "Over deze ronde is al besloten.",
                "This round has already been decided.",
            )
        return replace(self, decision=decision, reviewer=reviewer, decided_at=aware(at))

    def to_fields(self) -> Fields:
        return {
            "client_id": self.client_id,
            "intake_id": self.intake_id,
            "number": self.number,
            "submitted_at": datetime_out(self.submitted_at),
            "submitted_by": self.submitted_by,
            "content": dict(self.content),
            "decision": self.decision.value if self.decision else None,
            "reviewer": self.reviewer,
            "decided_at": datetime_out(self.decided_at),
        }

    @classmethod
    def from_fields(cls, record_id: str, data: dict[str, Any]) -> Self:
        submitted = datetime_in(data.get("submitted_at"), "submitted_at")
        if submitted is None:
            raise ValidationError(
                "date_required", "Tijdstip van indienen ontbreekt.", "Submission time missing."
            )
        decision = data.get("decision")
        return cls(
            id=record_id,
            client_id=text_in(data.get("client_id")),
            intake_id=text_in(data.get("intake_id")),
            number=int(data.get("number") or 0),
            submitted_at=submitted,
            submitted_by=text_in(data.get("submitted_by")),
            content=dict(data.get("content") or {}),
            decision=enum_in(Decision, decision, "decision") if decision else None,
            reviewer=data.get("reviewer"),
            decided_at=datetime_in(data.get("decided_at"), "decided_at"),
        )


class ThreadStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


MAX_COMMENT_CHARS = 4_000


@dataclass(frozen=True, slots=True)
class ReviewComment:
    """A comment on a section of an intake. The first comment of a thread has `thread_id`
    equal to its own id and carries the thread's status; answers point at it."""

    ENTITY: ClassVar[str] = "review_comment"

    client_id: str
    intake_id: str
    section: IntakeSection
    round: int
    author: str
    text: str
    written_at: datetime
    author_role: str = Role.CASEWORKER.value
    thread_id: str = ""
    status: ThreadStatus = ThreadStatus.OPEN
    resolved_by: str | None = None
    resolved_at: datetime | None = None
    id: str = field(default_factory=new_id)

    def __post_init__(self) -> None:
        if not self.thread_id:
            object.__setattr__(self, "thread_id", self.id)
        if not self.text.strip():
            raise ValidationError(
                "comment_empty", "Een opmerking mag niet leeg zijn.", "A comment cannot be empty."
            )
        if len(self.text) > MAX_COMMENT_CHARS:
            raise ValidationError(
                "too_long",
                f"Een opmerking is hoogstens {MAX_COMMENT_CHARS} tekens.",
                f"A comment is at most {MAX_COMMENT_CHARS} characters.",
            )
        aware(self.written_at)

    @property
    def starts_thread(self) -> bool:
        return self.thread_id == self.id

    def _ensure_thread(self) -> None:
        if not self.starts_thread:
            raise DomainError(
                "not_a_thread",
                "Alleen een hele discussie kan worden opgelost of heropend.",
                "Only a whole thread can be resolved or reopened.",
            )

    def resolved(self, *, by: str, at: datetime) -> ReviewComment:
        self._ensure_thread()
        if self.status is ThreadStatus.RESOLVED:
            return self
        return replace(self, status=ThreadStatus.RESOLVED, resolved_by=by, resolved_at=aware(at))

    def reopened(self) -> ReviewComment:
        self._ensure_thread()
        return replace(self, status=ThreadStatus.OPEN, resolved_by=None, resolved_at=None)

    def to_fields(self) -> Fields:
        return {
            "client_id": self.client_id,
            "intake_id": self.intake_id,
            "thread_id": self.thread_id,
            "section": self.section.value,
            "round": self.round,
            "author": self.author,
            "author_role": self.author_role,
            "text": self.text,
            "written_at": datetime_out(self.written_at),
            "status": self.status.value,
            "resolved_by": self.resolved_by,
            "resolved_at": datetime_out(self.resolved_at),
        }

    @classmethod
    def from_fields(cls, record_id: str, data: dict[str, Any]) -> Self:
        written = datetime_in(data.get("written_at"), "written_at")
        if written is None:
            raise ValidationError(
                "date_required", "Tijdstip van de opmerking ontbreekt.", "Comment time missing."
            )
        return cls(
            id=record_id,
            client_id=text_in(data.get("client_id")),
            intake_id=text_in(data.get("intake_id")),
            thread_id=text_in(data.get("thread_id")) or record_id,
            section=enum_in(IntakeSection, data.get("section"), "section"),
            round=int(data.get("round") or 0),
            author=text_in(data.get("author")),
            author_role=text_in(data.get("author_role")) or Role.CASEWORKER.value,
            text=text_in(data.get("text")),
            written_at=written,
            status=enum_in(ThreadStatus, data.get("status") or "open", "status"),
            resolved_by=data.get("resolved_by"),
            resolved_at=datetime_in(data.get("resolved_at"), "resolved_at"),
        )


@dataclass(frozen=True, slots=True)
class Thread:
    """A thread as people read it: its first comment and the answers, oldest first."""

    start: ReviewComment
    answers: tuple[ReviewComment, ...]

    @property
    def open(self) -> bool:
        return self.start.status is ThreadStatus.OPEN

    @property
    def section(self) -> IntakeSection:
        return self.start.section

    @property
    def comments(self) -> tuple[ReviewComment, ...]:
        return (self.start, *self.answers)


def threads(comments: Iterable[ReviewComment]) -> tuple[Thread, ...]:
    """Group comments into threads, in form order of their section, oldest thread first. An
    answer whose first comment is not here (not synced yet) is left out."""
    by_thread: dict[str, list[ReviewComment]] = {}
    starts: dict[str, ReviewComment] = {}
    for comment in comments:
        if comment.starts_thread:
            starts[comment.id] = comment
        else:
            by_thread.setdefault(comment.thread_id, []).append(comment)
    order = list(IntakeSection)
    found = [
        Thread(start, tuple(sorted(by_thread.get(tid, []), key=lambda c: (c.written_at, c.id))))
        for tid, start in starts.items()
    ]
    return tuple(
        sorted(found, key=lambda t: (order.index(t.section), t.start.written_at, t.start.id))
    )


def open_thread_count(comments: Iterable[ReviewComment]) -> int:
    return sum(1 for c in comments if c.starts_thread and c.status is ThreadStatus.OPEN)


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[str, ...]:
    """The answers that differ between two rounds' content, in form order."""
    return tuple(
        name
        for name in content_fields()
        if not same_value(before.get(name), after.get(name))
        and not (before.get(name) in (None, "") and after.get(name) in (None, ""))
    )


def changed_sections(before: Mapping[str, Any], after: Mapping[str, Any]) -> set[IntakeSection]:
    return {section_of(name) for name in changed_fields(before, after)}
