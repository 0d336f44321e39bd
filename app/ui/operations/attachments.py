"""Attachment verbs: add a file the user chose, and open one (its bytes, read from the
encrypted store into memory; the opening is audited)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from app.domain.changes import Changes
from app.domain.notes import Attachment
from app.services import dossier as service
from app.ui.operations.dossier import AUDIT
from app.ui.operations.op import Op
from app.ui.session import Session

__all__ = ["OpenedAttachment", "add_attachment", "open_attachment"]


@dataclass(frozen=True, slots=True)
class OpenedAttachment:
    attachment: Attachment
    data: bytes


def add_attachment(
    *, parent: QWidget, session: Session, client_id: str, path: str
) -> Op[Attachment]:
    """Read the file and store it; too large a file fails with `AttachmentTooLarge` before it
    is read."""
    store = session.store
    return Op(
        parent=parent,
        context=session,
        work=lambda _task: service.add_attachment_from_file(store, client_id, path),
        changes=Changes.of(Attachment.ENTITY, client_id=client_id),
        name="add_attachment",
    )


def open_attachment(
    *, parent: QWidget, session: Session, attachment: Attachment
) -> Op[OpenedAttachment]:
    """A write only in that it adds a line to the dossier's history (nothing to sync)."""
    store, attachment_id = session.store, attachment.id
    return Op(
        parent=parent,
        context=session,
        work=lambda _task: OpenedAttachment(
            attachment, service.attachment_bytes(store, attachment_id)
        ),
        changes=Changes.for_clients([AUDIT], [attachment.client_id]),
        name="open_attachment",
    )
