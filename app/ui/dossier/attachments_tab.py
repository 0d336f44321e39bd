"""Bijlagen: scans and photos of the client's papers, stored encrypted in the database.

Adding reads the chosen file on the storage lane (the size is checked before it is read);
opening shows the attachment in a Veldwerk window from bytes in memory, never from a file.
"""

from __future__ import annotations

from collections.abc import Sequence

import shiboken6
from PySide6.QtCore import QEvent, QModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.notes import Attachment
from app.services import dossier as service
from app.ui.dossier.attachment_viewer import AttachmentViewer
from app.ui.dossier.jobs import submit
from app.ui.dossier.models import AttachmentTableModel, RecordRole
from app.ui.messages import error_text, ui_language
from app.ui.session import Session
from app.ui.tasks import Job
from app.ui.theme import MARGIN, SPACING, dense_table


class AttachmentsTab(QWidget):
    saved = Signal()  # an attachment was added
    audited = Signal()  # an attachment was opened (the history has a new line)
    viewer_opened = Signal(object)  # the AttachmentViewer

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._jobs: set[Job] = set()
        self._client_id: str | None = None
        self._max_bytes = service.DEFAULT_MAX_ATTACHMENT_BYTES
        self._viewer: AttachmentViewer | None = None

        self.model = AttachmentTableModel(self)
        self.view = QTableView()
        self.view.setObjectName("attachmentTable")
        self.view.setModel(self.model)
        dense_table(self.view)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(AttachmentTableModel.NAME, QHeaderView.ResizeMode.Stretch)
        self.view.activated.connect(self._on_view_activated)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self._title = QLabel()
        self._title.setObjectName("sectionTitle")
        self._title.setBuddy(self.view)
        self.add_button = QPushButton()
        self.add_button.setObjectName("addAttachment")
        self.add_button.clicked.connect(self._on_add_clicked)
        self.open_button = QPushButton()
        self.open_button.setObjectName("openAttachment")
        self.open_button.clicked.connect(self.open_selected)
        self.limit_label = QLabel()
        self.limit_label.setObjectName("muted")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(SPACING)
        self.progress.hide()
        self.error_label = QLabel()
        self.error_label.setObjectName("fieldError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.saved_hint = QLabel()
        self.saved_hint.setObjectName("savedHint")
        self.saved_hint.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        layout.setSpacing(SPACING)
        head = QHBoxLayout()
        head.setSpacing(SPACING)
        head.addWidget(self._title, 1)
        head.addWidget(self.open_button)
        head.addWidget(self.add_button)
        layout.addLayout(head)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.error_label)
        foot = QHBoxLayout()
        foot.addWidget(self.limit_label, 1)
        foot.addWidget(self.saved_hint)
        layout.addLayout(foot)
        self._retranslate()
        self._update_buttons()

    def _retranslate(self) -> None:
        self._title.setText(self.tr("&Bijlagen"))
        self.view.setAccessibleName(self.tr("Bijlagen"))
        self.add_button.setText(self.tr("Bijlage &toevoegen…"))
        self.open_button.setText(self.tr("&Openen"))
        self.limit_label.setText(
            self.tr(
                "Scans en foto's, hoogstens %1 per bijlage. Ze worden versleuteld bewaard."
            ).replace("%1", service.size_text(self._max_bytes, ui_language()))
        )
        self.progress.setAccessibleName(self.tr("Bezig met de bijlage"))
        self.saved_hint.setText(self.tr("Opgeslagen"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self.model.retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------------------------ contents

    def set_attachments(
        self, client_id: str, attachments: Sequence[Attachment], *, max_bytes: int
    ) -> None:
        self._client_id = client_id
        self._max_bytes = max_bytes
        self.model.set_rows(attachments)
        self.view.resizeColumnsToContents()
        self.error_label.hide()
        self.saved_hint.hide()
        self._retranslate()
        self._update_buttons()

    def selected_attachment(self) -> Attachment | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        found = rows[0].data(RecordRole)
        return found if isinstance(found, Attachment) else None

    def _update_buttons(self, *_args: object) -> None:
        busy = self.progress.isVisible()
        self.open_button.setEnabled(self.selected_attachment() is not None and not busy)
        self.add_button.setEnabled(self._client_id is not None and not busy)

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self._update_buttons()

    # ---------------------------------------------------------------------------------- add

    def _on_add_clicked(self) -> None:
        client_id = self._client_id
        if client_id is None:
            return
        path, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Bijlage toevoegen"),
            "",
            self.tr("Scans en foto's (*.pdf *.png *.jpg *.jpeg *.tif *.tiff *.gif *.bmp *.webp)")
            + ";;"
            + self.tr("Alle bestanden (*)"),
        )
        if not path:
            return
        self.add_file(path)

    def add_file(self, path: str) -> None:
        """Read and store a file as an attachment of the open dossier (on the storage lane)."""
        client_id = self._client_id
        if client_id is None:
            return
        self.error_label.hide()
        self.saved_hint.hide()
        self._set_busy(True)
        store = self._session.store
        submit(
            self,
            self._session.lanes.storage,
            self._jobs,
            lambda: service.add_attachment_from_file(store, client_id, path),
            done=self._on_added,
            failed=self._on_failed,
        )

    def _on_added(self, attachment: Attachment) -> None:
        self._set_busy(False)
        if attachment.client_id != self._client_id:
            return
        row = self.model.upsert(attachment)
        self.view.selectRow(row)
        self.saved_hint.show()
        self.saved.emit()

    def _on_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.error_label.setText(error_text(error))
        self.error_label.show()

    # --------------------------------------------------------------------------------- open

    def _on_view_activated(self, _index: QModelIndex) -> None:
        self.open_selected()

    def open_selected(self) -> None:
        attachment = self.selected_attachment()
        if attachment is None:
            return
        self.error_label.hide()
        self._set_busy(True)
        store, attachment_id = self._session.store, attachment.id
        submit(
            self,
            self._session.lanes.storage,
            self._jobs,
            lambda: (attachment, service.attachment_bytes(store, attachment_id)),
            done=self._on_opened,
            failed=self._on_failed,
        )

    def _on_opened(self, result: tuple[Attachment, bytes]) -> None:
        self._set_busy(False)
        attachment, data = result
        if self.viewer is not None:
            self.viewer.close()
        viewer = AttachmentViewer(attachment, data, self)
        self._viewer = viewer
        viewer.open()
        self.viewer_opened.emit(viewer)
        self.audited.emit()

    @property
    def viewer(self) -> AttachmentViewer | None:
        """The viewer opened last, while it is open."""
        viewer = self._viewer
        return viewer if viewer is not None and shiboken6.isValid(viewer) else None
