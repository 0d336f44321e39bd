"""The Beoordelen queue as a table: one row per submitted intake, in the service's order (the
longest waiting first).

Cliënt · Woonplaats · Klantmanager · Ingediend · Wacht · Ronde · Termijn · Open opmerkingen.
The statutory term is shown in red once it is overdue.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.domain.clocks import ClockState, describe, due_text
from app.domain.formatting import date_text
from app.domain.local_time import local_today
from app.services.review import QueueItem
from app.ui.messages import ui_language
from app.ui.theme import colours

_Index = QModelIndex | QPersistentModelIndex

NAME, VILLAGE, CASEWORKER, SUBMITTED, WAITING, ROUND, CLOCK, OPEN_THREADS = range(8)
COLUMN_COUNT = 8


class QueueModel(QAbstractTableModel):
    """Rows of `QueueItem`s; `today` counts the statutory terms."""

    IntakeIdRole = Qt.ItemDataRole.UserRole + 1
    ClientIdRole = Qt.ItemDataRole.UserRole + 2
    ItemRole = Qt.ItemDataRole.UserRole + 3

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[QueueItem] = []
        self._today = local_today()
        self._language = ui_language()
        self._overdue = QBrush(QColor(colours().overdue))
        self._headers = self._header_texts()

    # ------------------------------------------------------------------------- public API

    def set_items(self, items: Sequence[QueueItem], *, today: date | None = None) -> None:
        self.beginResetModel()
        self._items = list(items)
        self._today = today or local_today()
        # Picked up here, so a language or palette switch shows at the next load.
        self._language = ui_language()
        self._overdue = QBrush(QColor(colours().overdue))
        self._headers = self._header_texts()
        self.endResetModel()

    def retranslate(self) -> None:
        """Headers and cells in the language now installed (a model gets no LanguageChange)."""
        self._language = ui_language()
        self._headers = self._header_texts()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, COLUMN_COUNT - 1)
        if self._items:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._items) - 1, COLUMN_COUNT - 1)
            )

    def item(self, row: int) -> QueueItem | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def items(self) -> list[QueueItem]:
        return list(self._items)

    def row_of(self, intake_id: str) -> int:
        """The row showing this intake, or -1."""
        return next((i for i, item in enumerate(self._items) if item.intake_id == intake_id), -1)

    def waiting_text(self, days: int) -> str:
        if days == 1:
            return self.tr("1 dag")
        return self.tr("%1 dagen").replace("%1", str(days))

    def clock_text(self, item: QueueItem) -> str:
        return describe(item.clock, self._today, self._language) if item.clock else ""

    def overdue(self, item: QueueItem) -> bool:
        return item.clock is not None and item.clock.state(self._today) is ClockState.OVERDUE

    # ------------------------------------------------------------------- Qt's model API

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < COLUMN_COUNT:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._headers[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        item = self.item(index.row())
        if item is None or not 0 <= index.column() < COLUMN_COUNT:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self._headers[column]}: {self._display(item, column)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._overdue if column == CLOCK and self.overdue(item) else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (ROUND, OPEN_THREADS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == self.IntakeIdRole:
            return item.intake_id
        if role == self.ClientIdRole:
            return item.client_id
        if role == self.ItemRole:
            return item
        return None

    # ---------------------------------------------------------------------------- texts

    def _header_texts(self) -> tuple[str, ...]:
        return (
            self.tr("Cliënt"),
            self.tr("Woonplaats"),
            self.tr("Klantmanager"),
            self.tr("Ingediend"),
            self.tr("Wacht"),
            self.tr("Ronde"),
            self.tr("Termijn"),
            self.tr("Open opmerkingen"),
        )

    def _display(self, item: QueueItem, column: int) -> str:
        texts = (
            item.sort_name,  # NAME
            item.village,  # VILLAGE
            item.caseworker,  # CASEWORKER
            date_text(item.submitted_at),  # SUBMITTED
            self.waiting_text(item.waiting_days),  # WAITING
            str(item.round),  # ROUND
            self.clock_text(item),  # CLOCK
            str(item.open_threads),  # OPEN_THREADS
        )
        return texts[column]

    def _tooltip(self, item: QueueItem, column: int) -> str | None:
        if column == NAME:
            return item.client_name
        if column == CLOCK and item.clock is not None:
            return f"{self.clock_text(item)} ({due_text(item.clock, self._language)})"
        return None
