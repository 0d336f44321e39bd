"""The caseload table model: rows from `app.services.caseload`, already filtered and sorted by SQL.

`sort()` does not reorder anything: it emits `sort_requested(column_key, descending)` and the
page asks the service again (an ORDER BY in SQLite costs milliseconds; sorting 10,000 rows through
Python comparisons cost over a second).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from app.domain.clocks import TERMS
from app.domain.formatting import date_text
from app.domain.reference import Scheme, ladder_label
from app.services.caseload import CaseloadRow, SortColumn
from app.ui.messages import ui_language
from app.ui.theme import colours

_Index = QModelIndex | QPersistentModelIndex


def format_day(day: date | None) -> str:
    return date_text(day)


class CaseloadModel(QAbstractTableModel):
    """Naam · BSN · Dorp · Regelingen · Trede · Laatste bezoek · Termijn · Volgende actie."""

    ClientIdRole = Qt.ItemDataRole.UserRole + 1

    # The service's sort key behind each column, in column order.
    COLUMNS: tuple[SortColumn, ...] = (
        SortColumn.NAME,
        SortColumn.BSN,
        SortColumn.VILLAGE,
        SortColumn.SCHEMES,
        SortColumn.LADDER_STEP,
        SortColumn.LAST_VISIT,
        SortColumn.TERM,
        SortColumn.NEXT_ACTION,
    )

    sort_requested = Signal(str, bool)  # SortColumn value, descending

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[CaseloadRow] = []
        self._overdue = self._overdue_brush()
        self._language = ui_language()
        self._headers = self._header_texts()
        self._short_schemes = self._scheme_names()

    # ------------------------------------------------------------------------- public API

    def set_rows(self, rows: Sequence[CaseloadRow]) -> None:
        """Show these rows, in this order (the order the service's SQL gave them)."""
        self.beginResetModel()
        self._rows = list(rows)
        # Picked up here so a language or palette switch shows at the next load.
        self._overdue = self._overdue_brush()
        self._language = ui_language()
        self._headers = self._header_texts()
        self._short_schemes = self._scheme_names()
        self.endResetModel()

    def retranslate(self) -> None:
        """Headers, scheme names and next actions in the language now installed (the page calls
        this on a language change: a model gets no LanguageChange event of its own)."""
        self._language = ui_language()
        self._headers = self._header_texts()
        self._short_schemes = self._scheme_names()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.COLUMNS) - 1)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(self.COLUMNS) - 1)
            )

    def row_at(self, row: int) -> CaseloadRow:
        return self._rows[row]

    def rows(self) -> list[CaseloadRow]:
        return list(self._rows)

    def row_of(self, client_id: str) -> int:
        """The row showing this client, or -1."""
        for number, row in enumerate(self._rows):
            if row.client_id == client_id:
                return number
        return -1

    @classmethod
    def column_of(cls, key: SortColumn) -> int:
        return cls.COLUMNS.index(key)

    # ------------------------------------------------------------------- Qt's model API

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.COLUMNS):
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
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == self.ClientIdRole:
            return row.client_id
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._accessible(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column is SortColumn.NEXT_ACTION and row.overdue:
                return self._overdue
            if column is SortColumn.TERM and row.term_overdue:
                return self._overdue
            return None
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Ask for another order; the rows stay as they are until SQL sends the new ones."""
        if 0 <= column < len(self.COLUMNS):
            descending = order == Qt.SortOrder.DescendingOrder
            self.sort_requested.emit(self.COLUMNS[column].value, descending)

    # ---------------------------------------------------------------------------- texts

    @staticmethod
    def _overdue_brush() -> QBrush:
        """The palette's overdue red (light or dark, whichever is in force)."""
        return QBrush(QColor(colours().overdue))

    def _header_texts(self) -> tuple[str, ...]:
        return (
            self.tr("Naam"),
            self.tr("BSN"),
            self.tr("Dorp"),
            self.tr("Regelingen"),
            self.tr("Trede"),
            self.tr("Laatste bezoek"),
            self.tr("Termijn"),
            self.tr("Volgende actie"),
        )

    def _scheme_names(self) -> dict[str, str]:
        """Short names for the dense table; the tooltip has the full ones."""
        return {
            Scheme.PARTICIPATIEWET.value: self.tr("Participatiewet"),
            Scheme.WSW.value: self.tr("Wsw"),
            Scheme.WAJONG.value: self.tr("Wajong"),
            Scheme.INBURGERING.value: self.tr("Inburgering"),
            Scheme.KINDEROPVANG.value: self.tr("Kinderopvang"),
            Scheme.WMO.value: self.tr("Wmo"),
            Scheme.JEUGD.value: self.tr("Jeugd"),
            Scheme.LEERPLICHT_RMC.value: self.tr("Leerplicht/RMC"),
        }

    def _next_action_text(self, row: CaseloadRow) -> str:
        action = row.next_action
        if action is None:
            return ""
        return f"{format_day(action.on)} · {action.text(self._language)}"

    def _term_text(self, row: CaseloadRow) -> str:
        """Days left of the most urgent statutory term: "nog 12 dagen", "3 dagen te laat"."""
        left = row.term_left
        if left is None:
            return ""
        if left == 0:
            return self.tr("vandaag")
        if left == 1:
            return self.tr("nog 1 dag")
        if left > 0:
            return self.tr("nog {count} dagen").format(count=left)
        if left == -1:
            return self.tr("1 dag te laat")
        return self.tr("{count} dagen te laat").format(count=-left)

    def _term_tooltip(self, row: CaseloadRow) -> str | None:
        """Which term, how it stands, its due day and its legal source."""
        clock = row.term
        if clock is None:
            return None
        return self.tr("{term}: {status}, uiterlijk {due} ({source})").format(
            term=clock.kind.label(self._language),
            status=self._term_text(row),
            due=format_day(clock.due),
            source=TERMS[clock.kind].source,
        )

    def _display(self, row: CaseloadRow, column: SortColumn) -> str:
        if column is SortColumn.NAME:
            return row.sort_name
        if column is SortColumn.BSN:
            return row.masked_bsn
        if column is SortColumn.VILLAGE:
            return row.village
        if column is SortColumn.SCHEMES:
            return ", ".join(self._short_schemes.get(s, s) for s in row.schemes)
        if column is SortColumn.LADDER_STEP:
            return str(row.ladder_step) if row.ladder_step is not None else ""
        if column is SortColumn.LAST_VISIT:
            return format_day(row.last_visit)
        if column is SortColumn.TERM:
            return self._term_text(row)
        return self._next_action_text(row)

    def _scheme_label(self, code: str) -> str:
        try:
            return Scheme(code).label(self._language)
        except ValueError:
            return code

    def _tooltip(self, row: CaseloadRow, column: SortColumn) -> str | None:
        if column is SortColumn.NAME:
            return row.display_name
        if column is SortColumn.BSN:
            return self.tr("Alleen de laatste drie cijfers worden getoond.")
        if column is SortColumn.VILLAGE:
            return self.tr("{village}, gemeente {municipality}").format(
                village=row.village, municipality=row.municipality
            )
        if column is SortColumn.SCHEMES:
            return "\n".join(self._scheme_label(s) for s in row.schemes) or None
        if column is SortColumn.LADDER_STEP:
            if row.ladder_step is None:
                return None
            return self.tr("Trede {step}: {label}").format(
                step=row.ladder_step, label=ladder_label(row.ladder_step, self._language)
            )
        if column is SortColumn.LAST_VISIT:
            return None
        if column is SortColumn.TERM:
            return self._term_tooltip(row)
        text = self._next_action_text(row)
        if text and row.overdue:
            return self.tr("{action} (achterstallig)").format(action=text)
        return text or None

    def _accessible(self, row: CaseloadRow, column: SortColumn) -> str:
        if column is SortColumn.NAME:
            return row.display_name
        if column is SortColumn.BSN:
            return self.tr("BSN eindigend op {digits}").format(digits=row.masked_bsn[-3:])
        if column is SortColumn.NEXT_ACTION and row.overdue:
            return self._tooltip(row, column) or ""
        if column is SortColumn.TERM:
            return self._term_tooltip(row) or ""
        if column is SortColumn.SCHEMES:
            return ", ".join(self._scheme_label(s) for s in row.schemes)
        return self._display(row, column)
