"""Intake verbs: read a client's intake, start one, save answers as they are typed, submit it;
and the comment threads on its sections (written here by the caseworker, and by the team lead on
the review screen: the comment verbs take the author and role from the session).

    intake.save_answers(
        parent=self, session=self._session, intake_id=iid, client_id=cid, values={name: value}
    ).run()

Every write names the intake's client in its Changes: "intake" for the form and its state,
"review_comment" for comments and threads.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from PySide6.QtWidgets import QWidget

from app.domain.changes import Changes
from app.domain.intake import Intake
from app.domain.intake_fields import IntakeSection
from app.domain.review import ReviewComment
from app.services import intake as service
from app.services.intake import IntakeView
from app.ui.operations.op import Op, QueryOp
from app.ui.session import Session

__all__ = [
    "add_comment",
    "load_intake",
    "reopen_thread",
    "resolve_thread",
    "save_answers",
    "start_intake",
    "submit_intake",
]


def _intake_changes(client_id: str) -> Changes:
    return Changes.of(Intake.ENTITY, client_id=client_id)


def _comment_changes(client_id: str) -> Changes:
    return Changes.of(ReviewComment.ENTITY, client_id=client_id)


def load_intake(
    *,
    parent: QWidget,
    session: Session,
    client_id: str,
    intake_id: str | None = None,
    today: date | None = None,
    key: str = "intake",
) -> QueryOp[IntakeView]:
    """The client's intake (the given one, or the newest) with its rounds, threads and history.
    Only the newest answer per `key` reaches the screen; a screen that must see one particular
    answer (the check before submitting) asks under a key of its own."""
    store = session.store
    return QueryOp(
        parent=parent,
        context=session,
        work=lambda _task: service.intake_view(store, client_id, intake_id=intake_id, today=today),
        name="load_intake",
        key=key,
    )


def start_intake(*, parent: QWidget, session: Session, client_id: str) -> Op[Intake]:
    """A new draft intake by the session's user; refused (`intake_open`) while an earlier one is
    not approved yet."""
    store, caseworker = session.store, session.username
    return Op(
        parent=parent,
        context=session,
        work=lambda _task: service.start_intake(store, client_id=client_id, caseworker=caseworker),
        changes=_intake_changes(client_id),
        name="start_intake",
    )


def save_answers(
    *,
    parent: QWidget,
    session: Session,
    intake_id: str,
    client_id: str,
    values: Mapping[str, Any],
) -> Op[Intake]:
    """Save some answers, named as fields ({"score_financien": 3}); only what changed is
    journalled. A submitted intake refuses with `intake_not_editable`."""
    store, answers = session.store, dict(values)
    return Op(
        parent=parent,
        context=session,
        work=lambda _task: service.save_answers(store, intake_id=intake_id, values=answers),
        changes=_intake_changes(client_id),
        name="save_answers",
    )


def submit_intake(
    *,
    parent: QWidget,
    session: Session,
    intake_id: str,
    client_id: str,
    schemes: tuple[str, ...],
) -> Op[Intake]:
    """Indienen; refused with `intake_incomplete` while a required answer is missing."""
    store = session.store
    return Op(
        parent=parent,
        context=session,
        work=lambda _task: service.submit_intake(store, intake_id=intake_id, schemes=schemes),
        changes=_intake_changes(client_id),
        name="submit_intake",
    )


def add_comment(
    *,
    parent: QWidget,
    session: Session,
    intake_id: str,
    client_id: str,
    section: IntakeSection,
    text: str,
    thread_id: str | None = None,
) -> Op[ReviewComment]:
    """A new thread on a section or, with `thread_id`, an answer in that thread, written by the
    session's user in their role."""
    store, author, role = session.store, session.username, session.role
    return Op(
        parent=parent,
        context=session,
        work=lambda _task: service.add_comment(
            store,
            intake_id=intake_id,
            section=section,
            text=text,
            author=author,
            role=role,
            thread_id=thread_id,
        ),
        changes=_comment_changes(client_id),
        name="add_comment",
    )


def resolve_thread(
    *, parent: QWidget, session: Session, thread_id: str, client_id: str
) -> Op[ReviewComment]:
    """Mark a thread resolved by the session's user."""
    store, by = session.store, session.username
    return Op(
        parent=parent,
        context=session,
        work=lambda _task: service.resolve_thread(store, thread_id=thread_id, by=by),
        changes=_comment_changes(client_id),
        name="resolve_thread",
    )


def reopen_thread(
    *, parent: QWidget, session: Session, thread_id: str, client_id: str
) -> Op[ReviewComment]:
    store = session.store
    return Op(
        parent=parent,
        context=session,
        work=lambda _task: service.reopen_thread(store, thread_id=thread_id),
        changes=_comment_changes(client_id),
        name="reopen_thread",
    )
