"""Conflicten: values of ours the central office did not take, side by side with the office's.

Per conflicted field the caseworker keeps "Uw waarde", keeps "Waarde op kantoor", or types a new
value. The choice is saved at once (the conflict verbs) and syncs like any edit. The list reads
again by itself when a change on the bus concerns conflicts (a choice saved, a sync round).

Keyboard: Alt+O goes to the list, Alt+M / Alt+K keep a value, Alt+B edits, Alt+S or Enter saves
the new value, Esc closes the editor.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import partial
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QItemSelection,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import VeldwerkError
from app.domain.formatting import moment_text
from app.services.conflicts import Choice, ConflictView
from app.ui.messages import error_text, ui_language
from app.ui.operations import conflicts as verbs
from app.ui.operations.bus import RedrawOnChange
from app.ui.session import Session
from app.ui.theme import MARGIN, SPACING
from app.ui.widgets import FieldError, mnemonic, with_key

ModelIndex = QModelIndex | QPersistentModelIndex


def _when(moment: datetime | None) -> str:
    return moment_text(moment)


class ConflictListModel(QAbstractListModel):
    """The open conflicts as a list: client, record kind and field per row."""

    ConflictRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[ConflictView] = []

    def set_conflicts(self, items: Sequence[ConflictView]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def conflict(self, row: int) -> ConflictView | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def row_of(self, conflict_id: int) -> int:
        return next((i for i, c in enumerate(self._items) if c.id == conflict_id), -1)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        item = self.conflict(index.row())
        if item is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            who = item.client_name or item.entity_label
            return f"{who} · {item.entity_label}: {item.field_label}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.explanation
        if role == self.ConflictRole:
            return item
        return None


class ConflictsPage(QWidget):
    """The list of open conflicts and, for the selected one, both values and the choices."""

    resolved = Signal()
    loaded = Signal(int)  # number of open conflicts shown

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._busy = False
        self._select_after_load: int | None = None
        self._current: ConflictView | None = None
        self.loaded_once = False

        self.model = ConflictListModel(self)
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.body = self._build_body()
        self.message = QLabel()  # "Opgeslagen"
        self.message.setObjectName("savedHint")
        self.message.setWordWrap(True)
        self.message.hide()
        self.error_message = FieldError()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        layout.setSpacing(SPACING)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addWidget(self.message)
        layout.addWidget(self.error_message)
        layout.addWidget(self.body, 1)

        self._retranslate()
        self._show_conflict(None)
        self._follow = RedrawOnChange(
            self, session.bus, topics=verbs.CONFLICT_TOPICS, redraw=self.refresh
        )

    # ------------------------------------------------------------------------------ building

    def _build_body(self) -> QStackedWidget:
        """The list beside the selected conflict, or a sentence while there is none."""
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._build_list())
        splitter.addWidget(self._build_detail())
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)
        self.empty_label = QLabel()
        self.empty_label.setObjectName("muted")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        body = QStackedWidget()
        body.addWidget(splitter)
        body.addWidget(self.empty_label)
        return body

    def _build_list(self) -> QWidget:
        self.list_label = QLabel()
        self.list_view = QListView()
        self.list_view.setModel(self.model)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list_view.setMinimumWidth(240)
        self.list_view.setWordWrap(True)
        self.list_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list_view.setResizeMode(QListView.ResizeMode.Adjust)
        self.list_label.setBuddy(self.list_view)
        self.list_view.selectionModel().selectionChanged.connect(
            self._on_selection_selection_changed
        )
        left = QWidget()
        layout = QVBoxLayout(left)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING)
        layout.addWidget(self.list_label)
        layout.addWidget(self.list_view)
        return left

    def _build_detail(self) -> QWidget:
        """The selected conflict: both values, the choices, and the editor for a new value."""
        self.heading = QLabel()
        self.heading.setObjectName("sectionTitle")
        self.heading.setWordWrap(True)
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.detail = QWidget()
        layout = QVBoxLayout(self.detail)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING)
        layout.addWidget(self.heading)
        layout.addWidget(self.explanation)
        layout.addLayout(self._build_value_boxes())
        layout.addLayout(self._build_choice_buttons())
        layout.addWidget(self._build_editor())
        layout.addStretch(1)
        return self.detail

    def _build_value_boxes(self) -> QHBoxLayout:
        self.mine_box, self.mine_value, self.mine_meta = self._value_box()
        self.theirs_box, self.theirs_value, self.theirs_meta = self._value_box()
        values = QHBoxLayout()
        values.setSpacing(MARGIN)
        values.addWidget(self.mine_box, 1)
        values.addWidget(self.theirs_box, 1)
        return values

    def _build_choice_buttons(self) -> QHBoxLayout:
        self.keep_mine_button = QPushButton()
        self.keep_theirs_button = QPushButton()
        self.edit_button = QPushButton()
        self.keep_mine_button.clicked.connect(partial(self._resolve, "mine"))
        self.keep_theirs_button.clicked.connect(partial(self._resolve, "theirs"))
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        buttons = QHBoxLayout()
        buttons.setSpacing(SPACING)
        buttons.addWidget(self.keep_mine_button)
        buttons.addWidget(self.keep_theirs_button)
        buttons.addWidget(self.edit_button)
        buttons.addStretch(1)
        return buttons

    def _build_editor(self) -> QWidget:
        """Typing a new value; hidden until "Bewerken"."""
        self.edit_panel = QWidget()
        layout = QVBoxLayout(self.edit_panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING)
        self.new_value_label = QLabel()
        self.new_value_line = QLineEdit()
        self.new_value_text = QPlainTextEdit()
        self.new_value_text.setTabChangesFocus(True)
        self.new_value_text.setMaximumHeight(120)
        self.new_value_text.hide()  # for long text fields; one line otherwise
        self.new_value_label.setBuddy(self.new_value_line)
        self.new_value_hint = QLabel()
        self.new_value_hint.setWordWrap(True)
        self.edit_error = FieldError()
        layout.addWidget(self.new_value_label)
        layout.addWidget(self.new_value_line)
        layout.addWidget(self.new_value_text)
        layout.addWidget(self.new_value_hint)
        layout.addWidget(self.edit_error)
        layout.addLayout(self._build_editor_buttons())
        self.edit_panel.hide()
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.edit_panel)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self._close_editor)
        return self.edit_panel

    def _build_editor_buttons(self) -> QHBoxLayout:
        self.save_button = QPushButton()
        self.cancel_button = QPushButton()
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.cancel_button.clicked.connect(self._close_editor)
        self.new_value_line.returnPressed.connect(self._on_save_button_clicked)
        buttons = QHBoxLayout()
        buttons.setSpacing(SPACING)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        return buttons

    def _value_box(self) -> tuple[QGroupBox, QLabel, QLabel]:
        box = QGroupBox()
        value = QLabel()
        value.setWordWrap(True)
        value.setTextFormat(Qt.TextFormat.PlainText)
        value.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        value.setObjectName("cardTitle")
        meta = QLabel()
        meta.setObjectName("muted")
        meta.setWordWrap(True)
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(SPACING, SPACING, SPACING, SPACING)
        box_layout.setSpacing(SPACING)
        box_layout.addWidget(value)
        box_layout.addWidget(meta)
        box_layout.addStretch(1)
        return box, value, meta

    # ------------------------------------------------------------------------------ loading

    def refresh(self) -> None:
        """Read the open conflicts again."""
        if not self._session.store.is_open:
            return
        self._follow.mark_fresh()
        verbs.list_conflicts(parent=self, session=self._session, language=ui_language()).success(
            self._on_load_finished
        ).failure(self._on_load_failed).run()

    # ----------------------------------------------------------------------------- language

    def _retranslate(self) -> None:
        self.title.setText(self.tr("Conflicten"))
        self.intro.setText(
            self.tr(
                "Deze waarden van u zijn niet overgenomen op kantoor. Kies per veld welke "
                "waarde blijft, of vul een nieuwe in. Uw keuze wordt bij de volgende "
                "synchronisatie verstuurd."
            )
        )
        self.list_label.setText(self.tr("&Open conflicten"))
        self.list_view.setAccessibleName(self.tr("Open conflicten"))
        self.list_view.setToolTip(
            with_key(self.list_view.accessibleName(), mnemonic(self.list_label.text()))
        )
        self.mine_box.setTitle(self.tr("Uw waarde"))
        self.theirs_box.setTitle(self.tr("Waarde op kantoor"))
        for button, text in (
            (self.keep_mine_button, self.tr("&Mijn waarde behouden")),
            (self.keep_theirs_button, self.tr("Waarde van &kantoor behouden")),
            (self.edit_button, self.tr("&Bewerken")),
            (self.save_button, self.tr("Op&slaan")),
        ):
            button.setText(text)
            button.setToolTip(with_key(text, mnemonic(text)))
        self.cancel_button.setText(self.tr("Annuleren"))
        self.cancel_button.setToolTip(
            with_key(self.cancel_button.text(), QKeySequence(Qt.Key.Key_Escape))
        )
        self.new_value_label.setText(self.tr("&Nieuwe waarde"))
        self.new_value_line.setAccessibleName(self.tr("Nieuwe waarde"))
        self.new_value_text.setAccessibleName(self.tr("Nieuwe waarde"))
        self.empty_label.setText(
            self.tr(
                "Er zijn geen open conflicten; er is niets te doen. Vindt een synchronisatie "
                "een waarde die op kantoor anders is gewijzigd, dan verschijnt die hier."
            )
        )
        self._update_buttons()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self._show_conflict(self._current)
            if self.loaded_once:
                self.refresh()  # the service's labels and explanations
        super().changeEvent(event)

    def _on_load_finished(self, items: list[ConflictView]) -> None:
        self.loaded_once = True
        keep = self._select_after_load
        if keep is None and self._current is not None:
            keep = self.model.row_of(self._current.id)
        self.model.set_conflicts(items)
        self.body.setCurrentIndex(0 if items else 1)
        if items:
            row = min(max(keep or 0, 0), len(items) - 1)
            self.list_view.setCurrentIndex(self.model.index(row, 0))
        else:
            self._show_conflict(None)
        self._select_after_load = None
        self.loaded.emit(len(items))

    def _on_load_failed(self, exc: BaseException) -> None:
        self._show_message(error_text(exc), error=True)

    # ----------------------------------------------------------------------------- showing

    def _on_selection_selection_changed(self, selected: QItemSelection, _old: Any) -> None:
        indexes = selected.indexes()
        self._show_conflict(self.model.conflict(indexes[0].row()) if indexes else None)

    def selected_conflict(self) -> ConflictView | None:
        return self._current

    def _show_conflict(self, item: ConflictView | None) -> None:
        self._current = item
        self._close_editor()
        self.detail.setEnabled(item is not None)
        if item is None:
            self.heading.clear()
            self.explanation.clear()
            for label in (self.mine_value, self.mine_meta, self.theirs_value, self.theirs_meta):
                label.clear()
            self._update_buttons()
            return
        client = f"{item.client_name} · " if item.client_name else ""
        self.heading.setText(f"{client}{item.entity_label}: {item.field_label}")
        self.explanation.setText(item.explanation)
        self.mine_value.setText(item.mine_text)
        self.theirs_value.setText(item.theirs_text)
        if item.mine_at is not None:
            self.mine_meta.setText(
                self.tr("Door {who} op {when}").format(
                    who=item.mine_by or self._session.username, when=_when(item.mine_at)
                )
            )
        else:
            self.mine_meta.setText(self.tr("Op dit apparaat"))
        if item.kind == "rejected":
            self.theirs_meta.setText(
                self.tr("Niet overgenomen; gezien bij de synchronisatie van {when}").format(
                    when=_when(item.detected_at)
                )
            )
        else:
            self.theirs_meta.setText(
                self.tr("Gewijzigd op kantoor; gezien bij de synchronisatie van {when}").format(
                    when=_when(item.detected_at)
                )
            )
        self.mine_box.setAccessibleDescription(f"{item.mine_text}. {self.mine_meta.text()}")
        self.theirs_box.setAccessibleDescription(f"{item.theirs_text}. {self.theirs_meta.text()}")
        self._update_buttons()

    def _update_buttons(self) -> None:
        item = self._current
        idle = not self._busy and item is not None
        self.keep_mine_button.setEnabled(idle and item is not None and item.can_keep_mine)
        self.keep_theirs_button.setEnabled(idle)
        self.edit_button.setEnabled(idle and item is not None and item.can_edit)
        self.save_button.setEnabled(idle)
        if item is not None and not item.can_keep_mine:
            self.keep_mine_button.setToolTip(
                self.tr("Uw waarde kan hier niet terugkomen; behoud de waarde van kantoor.")
            )
        else:
            text = self.keep_mine_button.text()
            self.keep_mine_button.setToolTip(with_key(text, mnemonic(text)))

    def _show_message(self, text: str, *, error: bool = False) -> None:
        shown, other = (
            (self.error_message, self.message) if error else (self.message, self.error_message)
        )
        shown.setText(text)
        shown.setVisible(bool(text))
        other.hide()

    # ----------------------------------------------------------------------------- editing

    def _on_edit_button_clicked(self) -> None:
        item = self._current
        if item is None or not item.can_edit:
            return
        multiline = item.edit_kind == "text"
        self.new_value_line.setVisible(not multiline)
        self.new_value_text.setVisible(multiline)
        editor: QWidget = self.new_value_text if multiline else self.new_value_line
        self.new_value_label.setBuddy(editor)
        if multiline:
            self.new_value_text.setPlainText(item.edit_text)
        else:
            self.new_value_line.setText(item.edit_text)
            self.new_value_line.selectAll()
        hints = {
            "date": self.tr("Een datum als 22-11-2026."),
            "int": self.tr("Een geheel getal."),
            "bool": self.tr("Ja of nee."),
        }
        self.new_value_hint.setText(hints.get(item.edit_kind or "", ""))
        self.new_value_hint.setVisible(bool(self.new_value_hint.text()))
        self.edit_error.hide()
        self.edit_panel.show()
        editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def _close_editor(self) -> None:
        self.edit_panel.hide()
        self.edit_error.hide()

    def _on_save_button_clicked(self) -> None:
        if not self.edit_panel.isVisible():
            return
        multiline = self.new_value_text.isVisibleTo(self.edit_panel)
        value = self.new_value_text.toPlainText() if multiline else self.new_value_line.text()
        self._resolve("new", value)

    # --------------------------------------------------------------------------- resolving

    def _resolve(self, choice: Choice, value: object = None) -> None:
        item = self._current
        if item is None or self._busy:
            return
        self._busy = True
        self._update_buttons()
        # The list reads again by itself: the write publishes the conflict's change.
        verbs.resolve_conflict(
            parent=self, session=self._session, conflict=item, choice=choice, value=value
        ).success(partial(self._on_resolve_finished, self.model.row_of(item.id))).failure(
            partial(self._on_resolve_failed, choice)
        ).run()

    def _on_resolve_finished(self, row: int, _result: object) -> None:
        self._busy = False
        self._select_after_load = row
        self._current = None
        self._close_editor()
        self._show_message(
            self.tr("Opgeslagen. Uw keuze wordt bij de volgende synchronisatie verstuurd.")
        )
        self.resolved.emit()

    def _on_resolve_failed(self, choice: Choice, exc: BaseException) -> None:
        self._busy = False
        self._update_buttons()
        if choice == "new" and isinstance(exc, VeldwerkError) and self.edit_panel.isVisible():
            self.edit_error.setText(error_text(exc))
            self.edit_error.show()
            return
        self._show_message(error_text(exc), error=True)
        self.refresh()
