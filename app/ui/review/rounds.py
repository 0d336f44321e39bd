"""The review screen's side panel pieces: what changed since the last decided round, and every
round of the intake with its decision.

`ChangesList` shows each changed answer as "Caption: old → new"; choosing one (click, Enter)
emits `field_chosen(name)` so the screen can put the form on that field. `RoundsTable` lists
the rounds: number, submitted, decision, reviewer, decided at.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.formatting import first_line, moment_text
from app.domain.review import Decision, IntakeRound
from app.domain.schema import field_label
from app.services.conflicts import format_value
from app.ui.messages import ui_language
from app.ui.theme import SPACING, dense_table
from app.ui.widgets import with_key

# A changed text answer is cut to this many characters in the list; its tooltip has it whole.
VALUE_CHARS = 40

FieldRole = Qt.ItemDataRole.UserRole + 1


class ChangesList(QWidget):
    """ "Wat is er veranderd sinds ronde N": one entry per changed answer, in form order."""

    field_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._since: int | None = None
        self._changes: list[tuple[str, Any, Any]] = []
        self.title = QLabel()
        self.title.setObjectName("sectionTitle")
        self.title.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("changesList")
        # One line per answer, cut short at the list's edge; the tooltip has it whole.
        self.list.setWordWrap(False)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.itemActivated.connect(self._on_list_item_chosen)
        self.list.itemClicked.connect(self._on_list_item_chosen)
        self.title.setBuddy(self.list)
        self.empty_label = QLabel()
        self.empty_label.setObjectName("muted")
        self.empty_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING)
        layout.addWidget(self.title)
        layout.addWidget(self.list)
        layout.addWidget(self.empty_label)
        self._retranslate()

    def set_changes(
        self,
        since_round: int | None,
        names: Sequence[str],
        before: Mapping[str, Any],
        after: Mapping[str, Any],
    ) -> None:
        """The answers `names` that differ between round `since_round`'s content (`before`)
        and the intake now (`after`); hidden when there is no earlier decided round."""
        self._since = since_round
        self._changes = [(name, before.get(name), after.get(name)) for name in names]
        self.setVisible(since_round is not None)
        self._fill()

    def field_names(self) -> list[str]:
        return [name for name, _old, _new in self._changes]

    def item_texts(self) -> list[str]:
        return [self.list.item(row).text() for row in range(self.list.count())]

    def _fill(self) -> None:
        language = ui_language()
        self.list.clear()
        for name, old, new in self._changes:
            caption = field_label("intake", name, language)
            old_text = format_value("intake", name, old, language)
            new_text = format_value("intake", name, new, language)
            short = f"{caption}: {first_line(old_text, VALUE_CHARS)} → "
            short += first_line(new_text, VALUE_CHARS)
            item = QListWidgetItem(short)
            item.setData(FieldRole, name)
            item.setToolTip(
                self.tr("%1\nWas: %2\nNu: %3")
                .replace("%1", caption)
                .replace("%2", old_text)
                .replace("%3", new_text)
            )
            self.list.addItem(item)
        self.list.setVisible(bool(self._changes))
        self.empty_label.setVisible(not self._changes)
        # As tall as its entries, up to eight; more scroll inside the list.
        rows = min(max(len(self._changes), 1), 8)
        height = sum(self.list.sizeHintForRow(r) for r in range(min(rows, self.list.count())))
        self.list.setFixedHeight(max(height, self.fontMetrics().height()) + 2 * SPACING)
        self._retranslate()

    def _retranslate(self) -> None:
        since = str(self._since or "")
        self.title.setText(self.tr("&Wat is er veranderd sinds ronde %1").replace("%1", since))
        self.list.setAccessibleName(
            self.tr("Wat is er veranderd sinds ronde %1").replace("%1", since)
        )
        self.list.setToolTip(
            with_key(self.tr("Naar het veld in het formulier"), QKeySequence(Qt.Key.Key_Enter))
        )
        self.empty_label.setText(
            self.tr("Er is niets veranderd sinds ronde %1.").replace("%1", since)
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and self._changes:
            self._fill()
        elif event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _on_list_item_chosen(self, item: QListWidgetItem) -> None:
        name = item.data(FieldRole)
        if isinstance(name, str):
            self.field_chosen.emit(name)


class RoundsTable(QTableWidget):
    """Every round of the intake: Ronde · Ingediend · Besluit · Door · Op."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 5, parent)
        self.setObjectName("roundsTable")
        dense_table(self)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setTabKeyNavigation(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self._rounds: tuple[IntakeRound, ...] = ()
        self._retranslate()

    def set_rounds(self, rounds: Sequence[IntakeRound]) -> None:
        self._rounds = tuple(sorted(rounds, key=lambda r: r.number))
        self._fill()

    def row_texts(self) -> list[list[str]]:
        return [
            [
                cell.text() if (cell := self.item(row, column)) is not None else ""
                for column in range(self.columnCount())
            ]
            for row in range(self.rowCount())
        ]

    def decision_text(self, decision: Decision | None) -> str:
        if decision is Decision.APPROVED:
            return self.tr("Goedgekeurd")
        if decision is Decision.RETURNED:
            return self.tr("Teruggestuurd")
        return self.tr("Wacht op beoordeling")

    def _fill(self) -> None:
        self.setRowCount(len(self._rounds))
        for row, kept in enumerate(self._rounds):
            cells = (
                str(kept.number),
                moment_text(kept.submitted_at),
                self.decision_text(kept.decision),
                kept.reviewer or "",
                moment_text(kept.decided_at),
            )
            for column, text in enumerate(cells):
                self.setItem(row, column, QTableWidgetItem(text))
        rows = max(len(self._rounds), 1)
        height = self.horizontalHeader().sizeHint().height()
        height += rows * self.verticalHeader().defaultSectionSize()
        scrollbar = self.horizontalScrollBar().sizeHint().height()
        self.setFixedHeight(height + 2 * self.frameWidth() + scrollbar)

    def _retranslate(self) -> None:
        self.setHorizontalHeaderLabels(
            [
                self.tr("Ronde"),
                self.tr("Ingediend"),
                self.tr("Besluit"),
                self.tr("Door"),
                self.tr("Op"),
            ]
        )
        self.setAccessibleName(self.tr("Rondes"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self._fill()
        super().changeEvent(event)
