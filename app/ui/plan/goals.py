"""The plan's goals: a list with one line per goal, edited in place.

Doel toevoegen (its Alt+letter, or Insert in the list) adds a line and opens it for typing;
Enter or F2 on a goal edits it; Doel verwijderen (its Alt+letter, or Delete in the list) takes
the selected goal away. A line left empty is dropped. Every change leaves as
`goals_edited(goals)` with the whole list, for the form to save.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListView,
    QVBoxLayout,
    QWidget,
)

from app.ui.icons import icon
from app.ui.theme import SPACING
from app.ui.widgets import ActionButton, ScreenAction

__all__ = ["GoalListModel", "GoalsEditor"]

Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
GOAL_MAX = 300
MIN_VISIBLE_ROWS = 3
MAX_VISIBLE_ROWS = 8


class GoalListModel(QAbstractListModel):
    """Goals as lines of text; editable while the plan is."""

    edited = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[str] = []
        self._editable = False

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.EditRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return self._rows[index.row()]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags | Qt.ItemFlag.ItemNeverHasChildren

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not self._editable or not index.isValid():
            return False
        text = " ".join(str(value or "").split())[:GOAL_MAX]
        if text == self._rows[index.row()]:
            return False
        self._rows[index.row()] = text
        self.dataChanged.emit(index, index)
        self.edited.emit()
        return True

    @property
    def editable(self) -> bool:
        return self._editable

    def set_editable(self, editable: bool) -> None:
        if editable != self._editable:
            self._editable = editable
            if self._rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))

    def set_goals(self, goals: Sequence[str]) -> None:
        rows = list(goals)
        if rows == self._rows:
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def goals(self) -> tuple[str, ...]:
        """The goals as the plan keeps them: without empty lines."""
        return tuple(g for g in self._rows if g.strip())

    def append_empty(self) -> QModelIndex:
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append("")
        self.endInsertRows()
        return self.index(row, 0)

    def remove(self, row: int) -> bool:
        if not 0 <= row < len(self._rows):
            return False
        had_text = bool(self._rows[row].strip())
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self.endRemoveRows()
        if had_text:
            self.edited.emit()
        return True

    def drop_empty(self) -> None:
        for row in reversed(range(len(self._rows))):
            if not self._rows[row].strip():
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()


class GoalsEditor(QWidget):
    """The goals list and its two buttons (see the module note)."""

    goals_edited = Signal(object)  # tuple[str, ...]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("goalsEditor")
        self.model = GoalListModel(self)
        self.model.edited.connect(self._on_model_edited)
        self.view = QListView()
        self.view.setObjectName("goalList")
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(True)
        self.view.setSpacing(2)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.view.installEventFilter(self)
        self.view.itemDelegate().closeEditor.connect(self._on_delegate_close_editor)
        self.view.activated.connect(self._on_view_activated)
        self.add_action = ScreenAction(self, self.add_goal, object_name="addGoal")
        self.remove_action = ScreenAction(self, self.remove_current, object_name="removeGoal")
        self.add_action.setIcon(icon("add"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING)
        layout.addWidget(self.view)
        layout.addLayout(self._buttons())
        self.model.modelReset.connect(self._fit_height)
        self.model.rowsInserted.connect(self._fit_height)
        self.model.rowsRemoved.connect(self._fit_height)
        self.view.selectionModel().currentChanged.connect(self._update_actions)
        self._retranslate()
        self._fit_height()
        self._update_actions()

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(SPACING)
        self.add_button = ActionButton(self.add_action, "addGoalButton")
        self.remove_button = ActionButton(self.remove_action, "removeGoalButton")
        for button in (self.add_button, self.remove_button):
            button.setAutoDefault(False)
            row.addWidget(button)
        row.addStretch(1)
        return row

    def _retranslate(self) -> None:
        # Alt+letters the plan form leaves free (its captions take the others).
        self.add_action.set_caption(self.tr("Doel toe&voegen"))
        self.remove_action.set_caption(self.tr("Doel verwi&jderen"))
        self.view.setAccessibleName(self.tr("Doelen"))
        self.view.setAccessibleDescription(
            self.tr("Insert voegt een doel toe, Delete verwijdert het, F2 wijzigt het.")
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------------------------ contents

    @property
    def editing(self) -> bool:
        """A goal is being typed (its editor is open)."""
        return self.view.state() == QAbstractItemView.State.EditingState

    def set_goals(self, goals: Sequence[str]) -> None:
        """Show stored goals; while a goal is being typed the list stays as it is."""
        if not self.editing:
            self.model.set_goals(goals)
            self._update_actions()

    def set_editable(self, editable: bool) -> None:
        if not editable and self.editing:
            # The version was signed meanwhile: what is being typed can no longer be kept.
            self.view.reset()
        self.model.set_editable(editable)
        self.add_action.setVisible(editable)
        self.remove_action.setVisible(editable)
        self._update_actions()

    def goals(self) -> tuple[str, ...]:
        return self.model.goals()

    def add_goal(self) -> None:
        if not self.model.editable:
            return
        index = self.model.append_empty()
        self.view.setCurrentIndex(index)
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.view.edit(index)

    def remove_current(self) -> None:
        index = self.view.currentIndex()
        if self.model.editable and index.isValid():
            row = index.row()
            self.model.remove(row)
            if self.model.rowCount():
                self.view.setCurrentIndex(self.model.index(min(row, self.model.rowCount() - 1)))
            self._update_actions()

    def _fit_height(self, *_args: object) -> None:
        rows = min(max(self.model.rowCount(), MIN_VISIBLE_ROWS), MAX_VISIBLE_ROWS)
        row_height = max(self.view.sizeHintForRow(0), self.fontMetrics().height()) + 4
        self.view.setFixedHeight(rows * row_height + 2 * self.view.frameWidth() + 4)

    def _update_actions(self, *_args: object) -> None:
        editable = self.model.editable
        self.add_action.setEnabled(editable)
        self.remove_action.setEnabled(editable and self.view.currentIndex().isValid())

    # ------------------------------------------------------------------------------ events

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.view
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and not self.editing
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        ):
            if event.key() == Qt.Key.Key_Insert:
                self.add_goal()
                return True
            if event.key() == Qt.Key.Key_Delete:
                self.remove_current()
                return True
        return super().eventFilter(watched, event)

    def _on_view_activated(self, index: QModelIndex) -> None:
        if self.model.editable and index.isValid():
            self.view.edit(index)

    def _on_delegate_close_editor(self, *_args: object) -> None:
        # After the editor has gone: a line left empty is no goal.
        QTimer.singleShot(0, self, self._after_edit)

    def _after_edit(self) -> None:
        self.model.drop_empty()
        self._update_actions()

    def _on_model_edited(self) -> None:
        self.goals_edited.emit(self.goals())
