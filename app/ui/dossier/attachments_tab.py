"""Bijlagen: scans and photos of the client's papers, stored encrypted in the database.

Adding reads the chosen file on the storage lane (the size is checked before it is read);
opening shows the attachment in a Veldwerk window from bytes in memory, never from a file.
"""

from __future__ import annotations

from collections.abc import Sequence

import shiboken6
from PySide6.QtCore import QEvent, QModelIndex, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from app.domain.formatting import size_text
from app.domain.notes import Attachment
from app.services import dossier as service
from app.ui.dossier.attachment_viewer import AttachmentViewer
from app.ui.dossier.models import AttachmentTableModel, RecordRole
from app.ui.messages import error_text, ui_language
from app.ui.operations import attachments as ops
from app.ui.operations.attachments import OpenedAttachment
from app.ui.session import Session
from app.ui.theme import MARGIN, SPACING
from app.ui.widgets import (
    ActionButton,
    FieldError,
    ListPane,
    SavedHint,
    ScreenAction,
    choose_file,
    fit_columns,
    key_text,
    record_table,
    restore_focus,
)


class AttachmentsTab(QWidget):
    viewer_opened = Signal(object)  # the AttachmentViewer

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._client_id: str | None = None
        self._max_bytes = service.DEFAULT_MAX_ATTACHMENT_BYTES
        self._viewer: AttachmentViewer | None = None
        self._busy = False

        self.add_action = ScreenAction(
            self, self._on_add_triggered, shortcut="Ctrl+N", object_name="addAttachmentAction"
        )
        self.open_action = ScreenAction(
            self, self.open_selected, shortcut="Ctrl+O", object_name="openAttachmentAction"
        )
        self.add_button = ActionButton(self.add_action, "addAttachment")
        self.open_button = ActionButton(self.open_action, "openAttachment")
        self.model = AttachmentTableModel(self)
        self.view = record_table("attachmentTable", stretch=AttachmentTableModel.STRETCH)
        self.view.setModel(self.model)
        fit_columns(self.view)
        self.view.activated.connect(self._on_view_activated)
        self.view.selectionModel().selectionChanged.connect(self._on_view_selection_changed)
        self.list_pane = ListPane(
            self.view,
            buttons=[self.open_button, self.add_button],
            margins=(MARGIN, MARGIN, MARGIN, 0),
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING)
        layout.addWidget(self.list_pane, 1)
        layout.addLayout(self._footer())
        self._retranslate()
        self._update_actions()

    def _footer(self) -> QVBoxLayout:
        """Progress, the error of the last attempt, the size limit and "Opgeslagen"."""
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(SPACING)
        self.progress.hide()
        self.error_label = FieldError(self.view)
        self.limit_label = QLabel()
        self.limit_label.setObjectName("muted")
        self.saved_hint = SavedHint()
        footer = QVBoxLayout()
        footer.setContentsMargins(MARGIN, 0, MARGIN, MARGIN)
        footer.setSpacing(SPACING)
        footer.addWidget(self.progress)
        footer.addWidget(self.error_label)
        row = QHBoxLayout()
        row.addWidget(self.limit_label, 1)
        row.addWidget(self.saved_hint)
        footer.addLayout(row)
        return footer

    def _retranslate(self) -> None:
        self.add_action.set_caption(self.tr("Bijlage &toevoegen…"))
        self.open_action.set_caption(self.tr("&Openen"))
        self.list_pane.set_texts(
            title=self.tr("&Bijlagen"),
            accessible=self.tr("Bijlagen"),
            empty=self.tr("Nog geen bijlagen. Voeg een scan of foto toe met %1.").replace(
                "%1", key_text(self.add_action.shortcut())
            ),
        )
        self.limit_label.setText(
            self.tr(
                "Scans en foto's, hoogstens %1 per bijlage. Ze worden versleuteld bewaard."
            ).replace("%1", size_text(self._max_bytes, ui_language()))
        )
        self.progress.setAccessibleName(self.tr("Bezig met de bijlage"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self.model.retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------------------------ contents

    def set_attachments(
        self, client_id: str, attachments: Sequence[Attachment], *, max_bytes: int
    ) -> None:
        """A dossier was opened."""
        self._client_id = client_id
        self.model.set_rows(attachments)
        self.error_label.clear_error()
        self.saved_hint.hide()
        self._set_limit(max_bytes)

    def update_attachments(self, attachments: Sequence[Attachment], *, max_bytes: int) -> None:
        """The attachments changed (a sync round, an addition): the selection stays."""
        self.model.merge(attachments)
        self._set_limit(max_bytes)

    def _set_limit(self, max_bytes: int) -> None:
        self._max_bytes = max_bytes
        self._retranslate()
        self._update_actions()

    def selected_attachment(self) -> Attachment | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        found = rows[0].data(RecordRole)
        return found if isinstance(found, Attachment) else None

    def _on_view_selection_changed(self, *_args: object) -> None:
        self._update_actions()

    def _update_actions(self) -> None:
        self.open_action.setEnabled(self.selected_attachment() is not None and not self._busy)
        self.add_action.setEnabled(self._client_id is not None and not self._busy)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.progress.setVisible(busy)
        self._update_actions()

    def _on_busy_ended(self) -> None:
        self._set_busy(False)
        if self.isVisible():
            restore_focus(self.view if self.view.isVisible() else self.add_button)

    # ---------------------------------------------------------------------------------- add

    def _on_add_triggered(self) -> None:
        if self._client_id is None:
            return
        path = choose_file(
            self,
            self.tr("Bijlage toevoegen"),
            [
                self.tr(
                    "Scans en foto's (*.pdf *.png *.jpg *.jpeg *.tif *.tiff *.gif *.bmp *.webp)"
                ),
                self.tr("Alle bestanden (*)"),
            ],
        )
        if path:
            self.add_file(path)

    def add_file(self, path: str) -> None:
        """Read and store a file as an attachment of the open dossier (on the storage lane)."""
        client_id = self._client_id
        if client_id is None:
            return
        self.error_label.clear_error()
        self.saved_hint.hide()
        self._set_busy(True)
        ops.add_attachment(
            parent=self, session=self._session, client_id=client_id, path=path
        ).success(self._on_added).failure(self._on_failed).finally_(self._on_busy_ended).run()

    def _on_added(self, attachment: Attachment) -> None:
        if attachment.client_id != self._client_id:
            return
        self.view.selectRow(self.model.upsert(attachment))
        self.saved_hint.show()

    def _on_failed(self, error: BaseException) -> None:
        self.error_label.show_error(error_text(error))

    # --------------------------------------------------------------------------------- open

    def _on_view_activated(self, _index: QModelIndex) -> None:
        self.open_selected()

    def open_selected(self) -> None:
        attachment = self.selected_attachment()
        if attachment is None or self._busy:
            return
        self.error_label.clear_error()
        self._set_busy(True)
        ops.open_attachment(parent=self, session=self._session, attachment=attachment).success(
            self._on_opened
        ).failure(self._on_failed).finally_(self._on_busy_ended).run()

    def _on_opened(self, opened: OpenedAttachment) -> None:
        if self.viewer is not None:
            self.viewer.close()
        viewer = AttachmentViewer(opened.attachment, opened.data, self)
        self._viewer = viewer
        viewer.open()
        self.viewer_opened.emit(viewer)

    @property
    def viewer(self) -> AttachmentViewer | None:
        """The viewer opened last, while it is open."""
        viewer = self._viewer
        return viewer if viewer is not None and shiboken6.isValid(viewer) else None
