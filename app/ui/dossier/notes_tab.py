"""Notities: the client's notes, and an editor that saves as you type.

There is no Save button to forget: the text is saved 500 ms after the last keystroke, when the
editor loses focus, when another note is chosen and when the dossier closes. A small
"Opgeslagen" confirms it. A colleague's note is shown read-only.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QItemSelection, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.domain.ids import new_id
from app.domain.notes import Note
from app.services import dossier as service
from app.ui.dossier.formatting import fmt_datetime
from app.ui.dossier.jobs import submit
from app.ui.dossier.models import NoteListModel, RecordRole
from app.ui.messages import error_text
from app.ui.session import Session
from app.ui.tasks import Job
from app.ui.theme import MARGIN, SPACING

SAVE_DELAY_MS = 500


class NotesTab(QWidget):
    saved = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._jobs: set[Job] = set()
        self._client_id: str | None = None
        self._note_id = new_id()
        self._note: Note | None = None  # the stored note in the editor; None for a new one
        self._dirty = False
        self._quiet = False  # set while the tab itself changes the editor or the selection

        self.model = NoteListModel(self)
        self.list_view = QListView()
        self.list_view.setObjectName("noteList")
        self.list_view.setModel(self.model)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list_view.setAlternatingRowColors(True)
        self.list_view.setWordWrap(True)
        self.list_view.setSpacing(SPACING // 2)
        self.list_view.selectionModel().selectionChanged.connect(self._on_list_selection_changed)
        self._list_title = QLabel()
        self._list_title.setObjectName("sectionTitle")
        self._list_title.setBuddy(self.list_view)
        self.new_button = QPushButton()
        self.new_button.setObjectName("newNote")
        self.new_button.clicked.connect(self._on_new_clicked)
        list_side = QWidget()
        list_layout = QVBoxLayout(list_side)
        list_layout.setContentsMargins(MARGIN, MARGIN, SPACING, MARGIN)
        list_layout.setSpacing(SPACING)
        head = QHBoxLayout()
        head.addWidget(self._list_title, 1)
        head.addWidget(self.new_button)
        list_layout.addLayout(head)
        list_layout.addWidget(self.list_view, 1)

        self.meta_label = QLabel()
        self.meta_label.setObjectName("muted")
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("noteEditor")
        self.editor.setTabChangesFocus(True)
        self.editor.textChanged.connect(self._on_editor_text_changed)
        self.editor.installEventFilter(self)
        self.error_label = QLabel()
        self.error_label.setObjectName("fieldError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.saved_hint = QLabel()
        self.saved_hint.setObjectName("savedHint")
        self.saved_hint.hide()
        editor_side = QWidget()
        editor_layout = QVBoxLayout(editor_side)
        editor_layout.setContentsMargins(SPACING, MARGIN, MARGIN, MARGIN)
        editor_layout.setSpacing(SPACING)
        editor_layout.addWidget(self.meta_label)
        editor_layout.addWidget(self.editor, 1)
        editor_layout.addWidget(self.error_label)
        editor_layout.addWidget(self.saved_hint, 0, Qt.AlignmentFlag.AlignRight)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(list_side)
        splitter.addWidget(editor_side)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self._retranslate()

    def _retranslate(self) -> None:
        self._list_title.setText(self.tr("&Notities"))
        self.list_view.setAccessibleName(self.tr("Notities"))
        self.new_button.setText(self.tr("Nieu&we notitie"))
        self.editor.setAccessibleName(self.tr("Notitie"))
        self.editor.setPlaceholderText(
            self.tr("Typ hier uw notitie. Wat u typt, wordt meteen bewaard.")
        )
        self.saved_hint.setText(self.tr("Opgeslagen"))
        self._show_meta()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.editor and event.type() == QEvent.Type.FocusOut:
            self.flush()
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------------------------ contents

    @property
    def note_id(self) -> str:
        """The id of the note in the editor (a new note gets its id before its first save)."""
        return self._note_id

    @property
    def dirty(self) -> bool:
        return self._dirty

    def set_notes(self, client_id: str, notes: Sequence[Note]) -> None:
        self._client_id = client_id
        self.model.set_notes(notes)
        self._load(None)

    def start_new(self) -> None:
        self.flush()
        self._load(None)
        self.editor.setFocus()

    def _on_new_clicked(self) -> None:
        self.start_new()

    def _load(self, note: Note | None) -> None:
        """Put a stored note (or a new, empty one) in the editor."""
        self._timer.stop()
        self._dirty = False
        self._note = note
        self._note_id = note.id if note is not None else new_id()
        self._quiet = True
        try:
            self.editor.setPlainText(note.text if note is not None else "")
            self.editor.setReadOnly(note is not None and note.author != self._session.store.actor)
            if note is None:
                self.list_view.clearSelection()
        finally:
            self._quiet = False
        self.error_label.hide()
        self.saved_hint.hide()
        self._show_meta()

    def _show_meta(self) -> None:
        note = self._note
        if note is None:
            self.meta_label.setText(self.tr("Nieuwe notitie"))
        elif note.author != self._session.store.actor:
            self.meta_label.setText(
                self.tr("Notitie van %1, %2 (alleen lezen)")
                .replace("%1", note.author)
                .replace("%2", fmt_datetime(note.written_at))
            )
        else:
            self.meta_label.setText(
                self.tr("Notitie van %1, %2")
                .replace("%1", note.author)
                .replace("%2", fmt_datetime(note.written_at))
            )

    def _on_list_selection_changed(self, _selected: QItemSelection, _old: QItemSelection) -> None:
        if self._quiet:
            return
        rows = self.list_view.selectionModel().selectedRows()
        if not rows:
            return
        note = rows[0].data(RecordRole)
        if not isinstance(note, Note) or note.id == self._note_id:
            return
        self.flush()
        self._load(note)

    # --------------------------------------------------------------------------------- saving

    def _on_editor_text_changed(self) -> None:
        if self._quiet or self.editor.isReadOnly():
            return
        self._dirty = True
        self.saved_hint.hide()
        self._timer.start()

    def flush(self) -> None:
        """Save the editor's text now if it changed since the last save."""
        self._timer.stop()
        client_id = self._client_id
        if not self._dirty or client_id is None:
            return
        self._dirty = False
        text = self.editor.toPlainText()
        if self._note is None and not text.strip():
            return  # an untouched new note: nothing to keep
        store, note_id = self._session.store, self._note_id
        submit(
            self,
            self._session.lanes.storage,
            self._jobs,
            lambda: service.save_note(store, client_id=client_id, note_id=note_id, text=text),
            done=self._on_saved,
            failed=lambda error: self._on_save_failed(note_id, error),
        )

    def _on_saved(self, note: Note) -> None:
        if note.client_id != self._client_id:
            return
        row = self.model.upsert(note)
        if note.id == self._note_id:
            self._note = note
            self.error_label.hide()
            self.editor.setAccessibleDescription("")
            if not self._dirty:
                self.saved_hint.show()
            self._show_meta()
            self._quiet = True
            try:
                self.list_view.setCurrentIndex(self.model.index(row, 0))
            finally:
                self._quiet = False
        self.saved.emit()

    def _on_save_failed(self, note_id: str, error: BaseException) -> None:
        if note_id != self._note_id:
            return  # the editor moved on; the note it was about stays as last saved
        self._dirty = True  # the text is not saved: try again at the next flush
        self.saved_hint.hide()
        self.error_label.setText(error_text(error))
        self.error_label.show()
        self.editor.setAccessibleDescription(error_text(error))
