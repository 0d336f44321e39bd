"""Beoordelen verbs (team leads): the queue of submitted intakes, and the decision on one.

    review.load_queue(parent=self, session=s).success(self._on_queue).run()
    review.approve_intake(
        parent=self, session=s, intake_id=item.intake_id, client_id=item.client_id
    ).success(self._on_approved).run()

Comments and threads on the intake under review go through `operations.intake`.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QWidget

from app.domain.changes import SYNC, Changes
from app.domain.intake import Intake
from app.domain.review import IntakeRound, ReviewComment
from app.services import review as service
from app.services.review import QueueItem
from app.ui.operations.op import Op, QueryOp
from app.ui.session import Session

__all__ = ["REVIEW_TOPICS", "approve_intake", "load_queue", "return_intake"]

# What the queue and the review screen show: the intakes, their rounds and comment threads, and
# whatever a sync round brought in (new submissions, answers from the caseworker).
REVIEW_TOPICS: tuple[str, ...] = (
    Intake.ENTITY,
    IntakeRound.ENTITY,
    ReviewComment.ENTITY,
    SYNC,
)


def _decision_changes(client_id: str) -> Changes:
    return Changes.of(Intake.ENTITY, IntakeRound.ENTITY, client_id=client_id)


def load_queue(
    *, parent: QWidget, session: Session, today: date | None = None
) -> QueryOp[tuple[QueueItem, ...]]:
    """The intakes waiting for review on this device, the longest waiting first; waiting days
    and statutory clocks counted on `today` (the real day when not given)."""
    store = session.store
    return QueryOp(
        parent=parent,
        context=session,
        work=lambda _task: service.review_queue(store, today=today),
        name="review_queue",
        key="review_queue",
    )


def approve_intake(
    *, parent: QWidget, session: Session, intake_id: str, client_id: str
) -> Op[Intake]:
    """Goedkeuren, by the session's user; refused (a DomainError) while a thread is open, for
    the writer's own intake, or when the intake no longer waits."""
    store = session.store
    reviewer = session.username
    return Op(
        parent=parent,
        context=session,
        work=lambda _task: service.approve_intake(store, intake_id=intake_id, reviewer=reviewer),
        changes=_decision_changes(client_id),
        name="approve_intake",
    )


def return_intake(
    *, parent: QWidget, session: Session, intake_id: str, client_id: str
) -> Op[Intake]:
    """Terugsturen with the open threads, by the session's user; refused (a DomainError)
    without an open thread, for the writer's own intake, or when it no longer waits."""
    store = session.store
    reviewer = session.username
    return Op(
        parent=parent,
        context=session,
        work=lambda _task: service.return_intake(store, intake_id=intake_id, reviewer=reviewer),
        changes=_decision_changes(client_id),
        name="return_intake",
    )
