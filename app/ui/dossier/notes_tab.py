"""Notities: the client's notes, and an editor that saves as you type.

There is no Save button to forget: the text is saved 500 ms after the last keystroke, when the
editor loses focus, when another note is chosen and when the dossier closes. A small
"Opgeslagen" confirms it. A colleague's note is shown read-only.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QItemSelection, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QListView,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.domain.formatting import moment_text
from app.domain.ids import new_id
from app.domain.notes import Note
from app.ui.dossier.models import NoteListModel, RecordRole
from app.ui.messages import error_text
from app.ui.operations import notes as ops
from app.ui.session import Session
from app.ui.theme import MARGIN, SPACING
from app.ui.widgets import (
    ActionButton,
    FieldError,
    ListPane,
    SavedHint,
    ScreenAction,
    key_text,
)

SAVE_DELAY_MS = 500


class NotesTab(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._client_id: str | None = None
        self._note_id = new_id()
        self._note: Note | None = None  # the stored note in the editor; None for a new one
        self._dirty = False
        self._saving = 0  # saves of the editor's note on their way
        self._quiet = False  # set while the tab itself changes the editor or the selection

        self.new_action = ScreenAction(
            self, self.start_new, shortcut="Ctrl+N", object_name="newNoteAction"
        )
        self.new_button = ActionButton(self.new_action, "newNote")
        self.model = NoteListModel(self)
        self.list_view = self._note_list()
        self.list_pane = ListPane(
            self.list_view, buttons=[self.new_button], margins=(MARGIN, MARGIN, SPACING, MARGIN)
        )
        self.meta_label = QLabel()
        self.meta_label.setObjectName("muted")
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("noteEditor")
        self.editor.setTabChangesFocus(True)
        self.editor.textChanged.connect(self._on_editor_text_changed)
        self.editor.installEventFilter(self)
        self.error_label = FieldError(self.editor)
        self.saved_hint = SavedHint()

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.list_pane)
        splitter.addWidget(self._editor_side())
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

    def _note_list(self) -> QListView:
        view = QListView()
        view.setObjectName("noteList")
        view.setModel(self.model)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.setWordWrap(True)
        view.setSpacing(SPACING // 2)
        view.selectionModel().selectionChanged.connect(self._on_list_selection_changed)
        return view

    def _editor_side(self) -> QWidget:
        side = QWidget()
        layout = QVBoxLayout(side)
        layout.setContentsMargins(SPACING, MARGIN, MARGIN, MARGIN)
        layout.setSpacing(SPACING)
        layout.addWidget(self.meta_label)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.saved_hint, 0, Qt.AlignmentFlag.AlignRight)
        return side

    def _retranslate(self) -> None:
        self.new_action.set_caption(self.tr("Nieu&we notitie"))
        self.list_pane.set_texts(
            title=self.tr("&Notities"),
            accessible=self.tr("Notities"),
            empty=self.tr("Nog geen notities. Schrijf een notitie met %1.").replace(
                "%1", key_text(self.new_action.shortcut())
            ),
        )
        self.editor.setAccessibleName(self.tr("Notitie"))
        self.editor.setPlaceholderText(
            self.tr("Typ hier uw notitie. Wat u typt, wordt meteen bewaard.")
        )
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
        """A dossier was opened: its notes, and an empty editor for a new one."""
        self._client_id = client_id
        self.model.set_notes(notes)
        self._load(None)

    def update_notes(self, notes: Sequence[Note]) -> None:
        """The notes changed (a sync round, a save): the list follows, the editor keeps what is
        being typed, and shows a newer text of its note only when nothing is pending."""
        self._quiet = True
        try:
            self.model.merge(notes)
        finally:
            self._quiet = False
        fresh = next((n for n in notes if n.id == self._note_id), None)
        if fresh is None or self._dirty or self._saving:
            return
        if fresh.text != self.editor.toPlainText():
            self._load(fresh)
        else:
            self._note = fresh
            self._show_meta()

    def start_new(self) -> None:
        """An empty editor for a new note (Ctrl+N); what was typed before is saved first."""
        self.flush()
        self._load(None)
        self.editor.setFocus()

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
        self.error_label.clear_error()
        self.saved_hint.hide()
        self._show_meta()

    def _show_meta(self) -> None:
        note = self._note
        if note is None:
            self.meta_label.setText(self.tr("Nieuwe notitie"))
            return
        if note.author != self._session.store.actor:
            text = self.tr("Notitie van %1, %2 (alleen lezen)")
        else:
            text = self.tr("Notitie van %1, %2")
        self.meta_label.setText(
            text.replace("%1", note.author).replace("%2", moment_text(note.written_at))
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
        note_id = self._note_id
        self._saving += 1
        ops.save_note(
            parent=self, session=self._session, client_id=client_id, note_id=note_id, text=text
        ).success(self._on_saved).failure(
            lambda error: self._on_save_failed(note_id, error)
        ).finally_(self._on_save_ended).run()

    def _on_save_ended(self) -> None:
        self._saving -= 1

    def _on_saved(self, note: Note) -> None:
        if note.client_id != self._client_id:
            return
        row = self.model.upsert(note)
        if note.id != self._note_id:
            return
        self._note = note
        self.error_label.clear_error()
        if not self._dirty:
            self.saved_hint.show()
        self._show_meta()
        self._quiet = True
        try:
            self.list_view.setCurrentIndex(self.model.index(row, 0))
        finally:
            self._quiet = False

    def _on_save_failed(self, note_id: str, error: BaseException) -> None:
        if note_id != self._note_id:
            return  # the editor moved on; the note it was about stays as last saved
        self._dirty = True  # the text is not saved: try again at the next flush
        self.saved_hint.hide()
        self.error_label.show_error(error_text(error))
