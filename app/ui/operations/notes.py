"""Note verbs. A note is saved as it is typed: the first save creates it under the id the
editor gave it, later saves change its text."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.domain.changes import Changes
from app.domain.notes import Note
from app.services import dossier as service
from app.ui.operations.op import Op
from app.ui.session import Session

__all__ = ["save_note"]


def save_note(
    *, parent: QWidget, session: Session, client_id: str, note_id: str, text: str
) -> Op[Note]:
    """Create or change one's own note. An empty text fails with the domain's `note_empty`; a
    colleague's note with `note_not_yours`."""
    store = session.store
    return Op(
        parent=parent,
        context=session,
        work=lambda _task: service.save_note(
            store, client_id=client_id, note_id=note_id, text=text
        ),
        changes=Changes.of(Note.ENTITY, client_id=client_id),
        name="save_note",
    )
