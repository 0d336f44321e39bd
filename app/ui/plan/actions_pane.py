"""The actions of the plan as a table with its buttons: Actie toevoegen (Ctrl+N), Wijzigen…
(Ctrl+E, or Enter on a row), Verwijderen (Delete, in the table), Omhoog and Omlaag (Alt+Up,
Alt+Down, in the table).

What and Status are edited in place too (F2 or a double click; the status as a choice of the
statuses the action may move to). The pane asks and the screen acts: every request leaves as a
signal with the action's id.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.plan import PlanAction
from app.ui.icons import icon
from app.ui.plan.actions_model import ActionTableModel, ChoicesRole
from app.ui.theme import SPACING
from app.ui.widgets import (
    ActionButton,
    RecordStack,
    ScreenAction,
    fit_columns,
    key_text,
    record_table,
)

__all__ = ["ActionsPane", "ChoiceDelegate"]

Index = QModelIndex | QPersistentModelIndex
# The table shows this many rows before it scrolls (the form around it scrolls too).
MAX_VISIBLE_ROWS = 10
MIN_VISIBLE_ROWS = 2


class ChoiceDelegate(QStyledItemDelegate):
    """Cells whose model gives `ChoicesRole` are edited with a choice of those values."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        choices = index.data(ChoicesRole)
        if not choices:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        combo.setObjectName("choiceEditor")
        for text, value in choices:
            combo.addItem(text, value)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)


class ActionsPane(QWidget):
    """The actions table and its buttons (see the module note)."""

    add_requested = Signal()
    edit_requested = Signal(str)  # action id
    remove_requested = Signal(str)  # action id
    move_requested = Signal(str, int)  # action id, -1 up or +1 down
    action_edited = Signal(str, object)  # action id, {field: value}: an edit in place

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("actionsPane")
        self._content_editable = False
        self._status_editable = False
        self.model = ActionTableModel(self)
        self.model.edited.connect(self.action_edited)
        self.view = self._table()
        self._make_actions()
        self.records = RecordStack(self.view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING)
        layout.addWidget(self.records)
        layout.addLayout(self._button_row())
        for signal in (self.model.modelReset, self.model.rowsInserted, self.model.rowsRemoved):
            signal.connect(self._on_model_changed)
        self._retranslate()
        self._on_model_changed()

    def _table(self) -> QTableView:
        view = record_table("actionTable", stretch=ActionTableModel.STRETCH)
        view.setModel(self.model)
        fit_columns(view)
        view.setItemDelegate(ChoiceDelegate(view))
        view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        view.setTabKeyNavigation(False)
        # Enter, and a double click on a cell without an editor of its own (who, when).
        view.activated.connect(self._on_view_activated)
        view.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        return view

    def _make_actions(self) -> None:
        in_table = Qt.ShortcutContext.WidgetWithChildrenShortcut
        self.add_action = ScreenAction(
            self, self.add_requested.emit, shortcut="Ctrl+N", object_name="addPlanAction"
        )
        self.edit_action = ScreenAction(
            self, self._on_edit_triggered, shortcut="Ctrl+E", object_name="editPlanAction"
        )
        # Delete and Alt+arrows belong to the table: in a text field they edit the text.
        self.remove_action = ScreenAction(
            self.view,
            self._on_remove_triggered,
            shortcut="Del",
            context=in_table,
            object_name="removePlanAction",
        )
        self.up_action = ScreenAction(
            self.view, lambda: self._move(-1), shortcut="Alt+Up", context=in_table
        )
        self.down_action = ScreenAction(
            self.view, lambda: self._move(+1), shortcut="Alt+Down", context=in_table
        )
        self.up_action.setIcon(icon("chevron-up"))
        self.down_action.setIcon(icon("chevron-down"))

    def _button_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(SPACING)
        self.add_action.setIcon(icon("add"))
        self.add_button = ActionButton(self.add_action, "addAction")
        self.edit_button = ActionButton(self.edit_action, "editAction")
        self.remove_button = ActionButton(self.remove_action, "removeAction")
        self.up_button = ActionButton(self.up_action, "moveActionUp")
        self.down_button = ActionButton(self.down_action, "moveActionDown")
        for button in (
            self.add_button,
            self.edit_button,
            self.remove_button,
            self.up_button,
            self.down_button,
        ):
            button.setAutoDefault(False)
            row.addWidget(button)
        row.addStretch(1)
        self.hint_label = QLabel()
        self.hint_label.setObjectName("muted")
        row.addWidget(self.hint_label)
        return row

    # ------------------------------------------------------------------------------ language

    def _retranslate(self) -> None:
        self.add_action.set_caption(self.tr("Actie toevoegen"))
        self.edit_action.set_caption(self.tr("Wijzigen…"))
        self.remove_action.set_caption(self.tr("Verwijderen"))
        self.up_action.set_caption(self.tr("Omhoog"))
        self.down_action.set_caption(self.tr("Omlaag"))
        self.view.setAccessibleName(self.tr("Acties"))
        self._show_empty_text()
        self.hint_label.setText(
            self.tr("Status bijwerken: F2 op de status") if self._status_only() else ""
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self.model.retranslate()
        super().changeEvent(event)

    def _show_empty_text(self) -> None:
        if self._content_editable:
            text = self.tr("Nog geen acties. Voeg een actie toe met %1.").replace(
                "%1", key_text(self.add_action.shortcut())
            )
        else:
            text = self.tr("Geen acties in deze versie.")
        self.records.set_empty_text(text)

    # ------------------------------------------------------------------------------ contents

    def set_actions(
        self,
        actions: tuple[PlanAction, ...],
        *,
        content_editable: bool,
        status_editable: bool,
        today: Any = None,
    ) -> None:
        """Show a version's actions; the current row stays on the same action."""
        current = self.current_action()
        self._content_editable = content_editable
        self._status_editable = status_editable
        self.model.set_actions(
            actions,
            content_editable=content_editable,
            status_editable=status_editable,
            today=today,
        )
        if current is not None:
            self.select(current.id)
        self._retranslate()
        self._update_actions()

    def current_action(self) -> PlanAction | None:
        index = self.view.currentIndex()
        return self.model.action_at(index.row()) if index.isValid() else None

    def select(self, action_id: str) -> bool:
        row = self.model.row_of(action_id)
        if row < 0:
            return False
        column = max(self.view.currentIndex().column(), 0)
        self.view.setCurrentIndex(self.model.index(row, column))
        return True

    def _status_only(self) -> bool:
        return self._status_editable and not self._content_editable

    def _update_actions(self) -> None:
        action = self.current_action()
        row = self.model.row_of(action.id) if action is not None else -1
        content = self._content_editable
        self.add_action.setEnabled(content)
        self.add_action.setVisible(content)
        self.edit_action.setVisible(content or self._status_editable)
        self.edit_action.setEnabled(action is not None and (content or self._status_editable))
        for each in (self.remove_action, self.up_action, self.down_action):
            each.setVisible(content)
        self.remove_action.setEnabled(content and action is not None)
        self.up_action.setEnabled(content and row > 0)
        self.down_action.setEnabled(content and 0 <= row < self.model.rowCount() - 1)

    def _fit_height(self) -> None:
        """As tall as its rows (within bounds), so the form scrolls rather than the table."""
        rows = min(max(self.model.rowCount(), MIN_VISIBLE_ROWS), MAX_VISIBLE_ROWS)
        header = self.view.horizontalHeader().sizeHint().height()
        row_height = self.view.verticalHeader().defaultSectionSize()
        frame = 2 * self.view.frameWidth()
        height = header + rows * row_height + frame + 2
        self.view.setFixedHeight(height)
        self.records.setFixedHeight(height)

    # ------------------------------------------------------------------------------ slots

    def _on_model_changed(self, *_args: object) -> None:
        self._fit_height()
        self._update_actions()

    def _on_current_row_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_actions()

    def _on_view_activated(self, index: QModelIndex) -> None:
        action = self.model.action_at(index.row())
        if action is not None and (self._content_editable or self._status_editable):
            self.edit_requested.emit(action.id)

    def _on_edit_triggered(self) -> None:
        action = self.current_action()
        if action is not None and self.edit_action.isEnabled():
            self.edit_requested.emit(action.id)

    def _on_remove_triggered(self) -> None:
        action = self.current_action()
        if action is not None and self.remove_action.isEnabled():
            self.remove_requested.emit(action.id)

    def _move(self, offset: int) -> None:
        action = self.current_action()
        enabled = self.up_action if offset < 0 else self.down_action
        if action is not None and enabled.isEnabled():
            self.move_requested.emit(action.id, offset)
