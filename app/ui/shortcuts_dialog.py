"""Sneltoetsen (F1): every keyboard shortcut of the window, read from its actions, so the list
can never disagree with what the keys do."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.ui.theme import MARGIN, SPACING


def shortcut_rows(root: QWidget) -> list[tuple[str, str]]:
    """(keys, what they do) for every named action under `root` that has a shortcut, in the
    platform's notation; one row per action, sorted by what they do."""
    rows: dict[tuple[str, str], None] = {}
    for action in root.findChildren(QAction):
        keys = [
            key.toString(QKeySequence.SequenceFormat.NativeText)
            for key in action.shortcuts()
            if not key.isEmpty()
        ]
        text = action.text().replace("&", "").strip()
        if keys and text:
            rows[(" / ".join(keys), text)] = None
    return sorted(rows, key=lambda row: row[1].casefold())


class ShortcutsDialog(QDialog):
    def __init__(self, root: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sneltoetsen"))
        rows = shortcut_rows(root)
        self.table = QTableWidget(len(rows), 2)
        self.table.setHorizontalHeaderLabels([self.tr("Toets"), self.tr("Actie")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        for row, (keys, text) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(keys))
            self.table.setItem(row, 1, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName(self.tr("Sneltoetsen"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        layout.setSpacing(SPACING)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(520, 420)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
