"""Dossier verbs: open a client's dossier, read it again after a change, read its history,
change a contact detail.

    dossier.load_dossier(parent=self, session=self._session, client_id=cid).success(
        self._on_loaded
    ).run()
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from app.domain.changes import Changes
from app.domain.client import Client, Enrollment, HouseholdMember
from app.domain.intake import Intake
from app.domain.notes import Attachment, Note
from app.domain.review import IntakeRound, ReviewComment
from app.domain.visit import Visit
from app.services import dossier as service
from app.services.dossier import DossierView, HistoryEntry
from app.ui.operations.op import Op, QueryOp
from app.ui.session import Session

__all__ = [
    "AUDIT",
    "DOSSIER_ENTITIES",
    "LoadedDossier",
    "load_dossier",
    "load_history",
    "reload_dossier",
    "update_contact",
]

# An audited act that changed no record (an attachment opened): only the history shows it.
# A topic beside those of app.domain.changes until it joins them there.
AUDIT = "audit"

# What a dossier shows; a change to any of these for its client redraws it.
DOSSIER_ENTITIES: tuple[str, ...] = (
    Client.ENTITY,
    HouseholdMember.ENTITY,
    Enrollment.ENTITY,
    Visit.ENTITY,
    Intake.ENTITY,
    IntakeRound.ENTITY,
    ReviewComment.ENTITY,
    Note.ENTITY,
    Attachment.ENTITY,
)


@dataclass(frozen=True, slots=True)
class LoadedDossier:
    view: DossierView
    max_attachment_bytes: int


def load_dossier(*, parent: QWidget, session: Session, client_id: str) -> QueryOp[LoadedDossier]:
    """Open the dossier (the opening is audited). Shares its key with `reload_dossier`: only the
    answer for the dossier asked for last reaches the screen."""
    store = session.store
    return QueryOp(
        parent=parent,
        context=session,
        work=lambda _task: LoadedDossier(
            service.load_dossier(store, client_id), service.max_attachment_bytes(store)
        ),
        name="load_dossier",
        key="dossier",
    )


def reload_dossier(*, parent: QWidget, session: Session, client_id: str) -> QueryOp[LoadedDossier]:
    """Read an open dossier again after something in it changed; not audited as an opening."""
    store = session.store
    return QueryOp(
        parent=parent,
        context=session,
        work=lambda _task: LoadedDossier(
            service.reload_dossier(store, client_id), service.max_attachment_bytes(store)
        ),
        name="reload_dossier",
        key="dossier",
    )


def load_history(
    *, parent: QWidget, session: Session, client_id: str
) -> QueryOp[tuple[HistoryEntry, ...]]:
    """The dossier's audit trail, newest first."""
    store = session.store
    return QueryOp(
        parent=parent,
        context=session,
        work=lambda _task: service.dossier_history(store, client_id),
        name="load_history",
        key="history",
    )


def update_contact(
    *, parent: QWidget, session: Session, client_id: str, field: str, text: str
) -> Op[Client]:
    """Change one name, address or contact field. An invalid value fails with
    `service.FieldValidationError`, which names the field to show it under."""
    store = session.store
    return Op(
        parent=parent,
        context=session,
        work=lambda _task: service.update_client_contact(
            store, client_id=client_id, changes={field: text}
        ),
        changes=Changes.of(Client.ENTITY, client_id=client_id),
        name="update_contact",
    )
