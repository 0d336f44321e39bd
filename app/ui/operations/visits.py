"""Home visit verbs: plan, record (a planned visit or one that just took place), not at home,
cancel; and the draft of the visit form (kept locally, never synced).

Every write names the visit's client in its Changes, taken from the saved visit.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QWidget

from app.domain.changes import Changes
from app.domain.visit import LegalBasis, Visit, VisitPurpose
from app.services import dossier as service
from app.services import drafts
from app.services.drafts import VisitDraft
from app.ui.operations.op import Op, QueryOp
from app.ui.session import Session

__all__ = [
    "cancel_visit",
    "discard_visit_draft",
    "load_visit_draft",
    "mark_not_home",
    "plan_visit",
    "record_new_visit",
    "record_visit",
    "save_visit_draft",
]


def _changes(visit: Visit) -> Changes:
    return Changes.of(Visit.ENTITY, client_id=visit.client_id)


def plan_visit(
    *,
    parent: QWidget,
    session: Session,
    client_id: str,
    planned_at: datetime,
    purpose: VisitPurpose,
) -> Op[Visit]:
    store = session.store
    return Op(
        parent=parent,
        context=session,
        work=lambda _task: service.plan_visit(
            store, client_id=client_id, planned_at=planned_at, purpose=purpose
        ),
        changes=_changes,
        name="plan_visit",
    )


def record_visit(
    *,
    parent: QWidget,
    session: Session,
    visit_id: str,
    notes: str,
    outcome: str,
    legal_basis: LegalBasis | None,
) -> Op[Visit]:
    """A planned visit took place."""
    store = session.store
    return Op(
        parent=parent,
        context=session,
        work=lambda _task: service.record_visit(
            store, visit_id=visit_id, notes=notes, outcome=outcome, legal_basis=legal_basis
        ),
        changes=_changes,
        name="record_visit",
    )


def record_new_visit(
    *,
    parent: QWidget,
    session: Session,
    client_id: str,
    held_at: datetime,
    purpose: VisitPurpose,
    notes: str,
    outcome: str,
    legal_basis: LegalBasis | None,
) -> Op[Visit]:
    """A visit that was not planned in advance, planned and recorded in one step."""
    store = session.store
    return Op(
        parent=parent,
        context=session,
        work=lambda _task: service.record_new_visit(
            store,
            client_id=client_id,
            held_at=held_at,
            purpose=purpose,
            notes=notes,
            outcome=outcome,
            legal_basis=legal_basis,
        ),
        changes=_changes,
        name="record_new_visit",
    )


def mark_not_home(*, parent: QWidget, session: Session, visit_id: str, notes: str) -> Op[Visit]:
    store = session.store
    return Op(
        parent=parent,
        context=session,
        work=lambda _task: service.mark_not_home(store, visit_id=visit_id, notes=notes),
        changes=_changes,
        name="mark_not_home",
    )


def cancel_visit(*, parent: QWidget, session: Session, visit_id: str, reason: str) -> Op[Visit]:
    store = session.store
    return Op(
        parent=parent,
        context=session,
        work=lambda _task: service.cancel_visit(store, visit_id=visit_id, reason=reason),
        changes=_changes,
        name="cancel_visit",
    )


# ------------------------------------------------------------------------------------ drafts
# A draft is a local setting that no other screen shows: its writes publish no Changes.


def load_visit_draft(
    *, parent: QWidget, session: Session, client_id: str
) -> QueryOp[VisitDraft | None]:
    store = session.store
    return QueryOp(
        parent=parent,
        context=session,
        work=lambda _task: drafts.load_visit_draft(store, client_id),
        name="load_visit_draft",
    )


def save_visit_draft(*, parent: QWidget, session: Session, draft: VisitDraft) -> Op[None]:
    store = session.store
    return Op(
        parent=parent,
        context=session,
        work=lambda _task: drafts.save_visit_draft(store, draft),
        changes=Changes(),
        name="save_visit_draft",
    )


def discard_visit_draft(*, parent: QWidget, session: Session, client_id: str) -> Op[None]:
    store = session.store
    return Op(
        parent=parent,
        context=session,
        work=lambda _task: drafts.discard_visit_draft(store, client_id),
        changes=Changes(),
        name="discard_visit_draft",
    )
