"""The actions of one plan version as a table: Wat · Wie · Wanneer · Status.

The model holds frozen `PlanAction`s from the plan service and never writes: an edit in place
(what, in a draft; the status, in a draft or the active plan) is shown at once and leaves
through `edited(action id, {field: value})` for the screen to save. Reading the version again
after the save (or a sync round) brings the stored values back; rows that kept their ids keep
their place, their selection and an open editor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from app.domain.formatting import capitalised, date_text
from app.domain.plan import ActionOwner, PlanAction
from app.domain.schema import field_label
from app.domain.states import ACTION, ActionStatus
from app.ui.messages import ui_language
from app.ui.theme import colours

__all__ = [
    "ActionTableModel",
    "ChoicesRole",
    "IdRole",
    "RecordRole",
    "owner_text",
    "status_choices",
    "status_text",
]

RecordRole = Qt.ItemDataRole.UserRole + 1
IdRole = Qt.ItemDataRole.UserRole + 2
# The values an editor may offer for a cell: [(text, value)], the current one first.
ChoicesRole = Qt.ItemDataRole.UserRole + 3

Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_EDIT = Qt.ItemDataRole.EditRole
_OPEN = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


def owner_text(owner: ActionOwner, partner: str = "") -> str:
    """Who carries an action out, as the table and the printed plan say it."""
    if owner is ActionOwner.PARTNER:
        return partner
    if owner is ActionOwner.CASEWORKER:
        return QCoreApplication.translate("ActionTableModel", "Klantmanager")
    return QCoreApplication.translate("ActionTableModel", "Cliënt")


def status_text(status: ActionStatus) -> str:
    return capitalised(status.label(ui_language()))


def status_choices(current: ActionStatus) -> list[tuple[str, str]]:
    """The statuses an action may be given from `current` (itself first), as (text, value)."""
    allowed = [current, *(s for s in ActionStatus if ACTION.can(current, s))]
    return [(status_text(s), s.value) for s in allowed]


class ActionTableModel(QAbstractTableModel):
    """The actions of one plan version (see the module note)."""

    DESCRIPTION, OWNER, DUE, STATUS = range(4)
    COLUMN_COUNT = 4
    STRETCH = DESCRIPTION
    _FIELDS = ("description", "owner", "due_date", "status")

    edited = Signal(str, object)  # action id, {field: value}

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[PlanAction] = []
        self._content_editable = False
        self._status_editable = False
        self._today: date | None = None

    # ---------------------------------------------------------------------------- shape

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.COLUMN_COUNT:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return field_label("plan_action", self._FIELDS[section], ui_language())
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.is_editable(index):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def is_editable(self, index: Index) -> bool:
        """Only what and status are edited in place; who and when through the dialog."""
        if not index.isValid() or index.row() >= len(self._rows):
            return False
        column = index.column()
        if column == self.DESCRIPTION:
            return self._content_editable
        if column == self.STATUS:
            return self._status_editable and self._rows[index.row()].status in _OPEN
        return False

    # ----------------------------------------------------------------------------- data

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        action, column = self._rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(action, column)
        if role == _EDIT:
            if column == self.DESCRIPTION:
                return action.description
            if column == self.STATUS:
                return action.status.value
            return self._text(action, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.DUE and self._late(action):
            return QBrush(QColor(colours().overdue))
        if role == ChoicesRole and column == self.STATUS:
            return status_choices(action.status)
        if role == RecordRole:
            return action
        if role == IdRole:
            return action.id
        return None

    def setData(self, index: Index, value: Any, role: int = _EDIT) -> bool:
        if role != _EDIT or not self.is_editable(index):
            return False
        row = index.row()
        action = self._rows[row]
        if index.column() == self.DESCRIPTION:
            text = str(value or "").strip()
            if not text or text == action.description:
                return False
            changed, values = replace(action, description=text), {"description": text}
        else:
            try:
                status = ActionStatus(str(value))
            except ValueError:
                return False
            if status is action.status or not ACTION.can(action.status, status):
                return False
            changed, values = replace(action, status=status), {"status": status.value}
        self._rows[row] = changed
        self.dataChanged.emit(index, index)
        self.edited.emit(action.id, values)
        return True

    def _text(self, action: PlanAction, column: int) -> str:
        if column == self.DESCRIPTION:
            return action.description
        if column == self.OWNER:
            return owner_text(action.owner, action.partner)
        if column == self.DUE:
            return date_text(action.due_date)
        return status_text(action.status)

    def _late(self, action: PlanAction) -> bool:
        today = self._today
        return (
            today is not None
            and action.due_date is not None
            and action.due_date < today
            and action.status in _OPEN
        )

    # ------------------------------------------------------------------------- contents

    def set_actions(
        self,
        actions: Sequence[PlanAction],
        *,
        content_editable: bool,
        status_editable: bool,
        today: date | None = None,
    ) -> None:
        """Show a version's actions. The same actions in the same order are updated in place
        (a selection and an open editor stay); anything else resets the table."""
        rows = list(actions)
        editable = (content_editable, status_editable)
        same_shape = [a.id for a in rows] == [a.id for a in self._rows]
        changed_flags = editable != (self._content_editable, self._status_editable)
        self._content_editable, self._status_editable = editable
        self._today = today
        if not same_shape:
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()
            return
        for number, (old, new) in enumerate(zip(self._rows, rows, strict=True)):
            if old != new or changed_flags:
                self._rows[number] = new
                self.dataChanged.emit(
                    self.index(number, 0), self.index(number, self.COLUMN_COUNT - 1)
                )

    def actions(self) -> tuple[PlanAction, ...]:
        return tuple(self._rows)

    def row_of(self, action_id: str) -> int:
        return next((n for n, a in enumerate(self._rows) if a.id == action_id), -1)

    def action_at(self, row: int) -> PlanAction | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.COLUMN_COUNT - 1)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, self.COLUMN_COUNT - 1)
            )
