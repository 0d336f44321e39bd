"""Item models of the dossier screen. They hold frozen records from the dossier service.

Each table model names its columns as constants; `RecordRole` gives the record of a row and
`IdRole` its id, so views and tests never parse display text.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from app.domain.client import Enrollment, HouseholdMember
from app.domain.formatting import (
    capitalised,
    date_text,
    first_line,
    moment_text,
    size_text,
    time_text,
)
from app.domain.local_time import local_today
from app.domain.notes import Attachment, Note
from app.domain.visit import Visit
from app.services.dossier import HistoryEntry, age_on
from app.ui.messages import ui_language
from app.ui.theme import colours

RecordRole = Qt.ItemDataRole.UserRole + 1
IdRole = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class _RowsTableModel(QAbstractTableModel):
    """Rows of records with a fixed set of columns. Subclasses give the headers and cell text
    (and are the only place that calls `tr`, so each keeps its own translation context)."""

    COLUMN_COUNT = 0
    RIGHT_ALIGNED: frozenset[int] = frozenset()
    # The column that takes the width the others leave (see widgets.fit_columns).
    STRETCH = 0

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    # Subclass hooks.
    def _headers(self) -> Sequence[str]:
        raise NotImplementedError

    def _text(self, row: Any, column: int) -> str:
        raise NotImplementedError

    def _sort_key(self, row: Any) -> Any:
        """For models kept in order by `upsert` and `merge`: a row's place (ascending)."""
        raise NotImplementedError

    # Shape.
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(row, index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if index.column() in self.RIGHT_ALIGNED else _LEFT
        if role == RecordRole:
            return row
        if role == IdRole:
            return getattr(row, "id", None)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.COLUMN_COUNT:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers()[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if section in self.RIGHT_ALIGNED else _LEFT
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # Contents.
    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def retranslate(self) -> None:
        """Headers and labels again, after the UI language changed."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.COLUMN_COUNT - 1)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, self.COLUMN_COUNT - 1)
            )

    def rows(self) -> tuple[Any, ...]:
        return tuple(self._rows)

    def row_of(self, record_id: str) -> int:
        """The row of the record with this id, or -1."""
        for number, row in enumerate(self._rows):
            if getattr(row, "id", None) == record_id:
                return number
        return -1

    def upsert(self, record: Any) -> int:
        """Replace the row with the record's id, or insert it where `sort_key` keeps the order
        (ascending keys); returns its row."""
        key = self._sort_key
        number = self.row_of(record.id)
        if number >= 0 and key(self._rows[number]) == key(record):
            self._rows[number] = record
            self.dataChanged.emit(self.index(number, 0), self.index(number, self.COLUMN_COUNT - 1))
            return number
        if number >= 0:
            self.beginRemoveRows(QModelIndex(), number, number)
            del self._rows[number]
            self.endRemoveRows()
        position = bisect.bisect_right([key(r) for r in self._rows], key(record))
        self.beginInsertRows(QModelIndex(), position, position)
        self._rows.insert(position, record)
        self.endInsertRows()
        return position

    def merge(self, records: Sequence[Any]) -> None:
        """Show `records` in place of the rows, row by row: rows that stay keep their selection
        and current index (a redraw after a sync round must not move the user's place)."""
        wanted = {record.id for record in records}
        for number in reversed(range(len(self._rows))):
            if self._rows[number].id not in wanted:
                self.beginRemoveRows(QModelIndex(), number, number)
                del self._rows[number]
                self.endRemoveRows()
        for record in records:
            number = self.row_of(record.id)
            if number < 0 or self._rows[number] != record:
                self.upsert(record)


class HouseholdTableModel(_RowsTableModel):
    RELATION, NAME, BORN, AGE, BSN = range(5)
    COLUMN_COUNT = 5
    RIGHT_ALIGNED = frozenset({AGE})
    STRETCH = NAME

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._today = local_today()

    def set_members(self, members: Sequence[HouseholdMember], today: date) -> None:
        self._today = today
        self.set_rows(members)

    def _headers(self) -> Sequence[str]:
        return (
            self.tr("Relatie"),
            self.tr("Naam"),
            self.tr("Geboortedatum"),
            self.tr("Leeftijd"),
            self.tr("BSN"),
        )

    def _text(self, row: HouseholdMember, column: int) -> str:
        if column == self.RELATION:
            return row.relation.label(ui_language())
        if column == self.NAME:
            return row.name.display()
        if column == self.BORN:
            return date_text(row.date_of_birth)
        if column == self.AGE:
            return str(age_on(row.date_of_birth, self._today))
        return row.bsn.formatted() if row.bsn else ""


class EnrollmentTableModel(_RowsTableModel):
    SCHEME, START, END, CONSENT, OUTCOME = range(5)
    COLUMN_COUNT = 5
    STRETCH = SCHEME

    def _headers(self) -> Sequence[str]:
        return (
            self.tr("Regeling"),
            self.tr("Begin"),
            self.tr("Einde"),
            self.tr("Toestemming"),
            self.tr("Uitkomst"),
        )

    def _text(self, row: Enrollment, column: int) -> str:
        if column == self.SCHEME:
            return row.scheme.label(ui_language())
        if column == self.START:
            return date_text(row.start_date)
        if column == self.END:
            return date_text(row.end_date)
        if column == self.OUTCOME:
            return row.outcome.label(ui_language())
        if row.consent_given:
            return self.tr("Ja, sinds %1").replace("%1", date_text(row.consent_date))
        return self.tr("Nee")


class VisitTableModel(_RowsTableModel):
    """Visits, the latest (or furthest planned) first."""

    DATE, TIME, PURPOSE, STATUS, OUTCOME = range(5)
    COLUMN_COUNT = 5
    STRETCH = OUTCOME

    def _sort_key(self, row: Visit) -> float:
        return -row.planned_at.timestamp()

    def _headers(self) -> Sequence[str]:
        return (
            self.tr("Datum"),
            self.tr("Tijd"),
            self.tr("Soort"),
            self.tr("Status"),
            self.tr("Uitkomst"),
        )

    def _text(self, row: Visit, column: int) -> str:
        if column == self.DATE:
            return date_text(row.planned_at)
        if column == self.TIME:
            return time_text(row.planned_at)
        if column == self.PURPOSE:
            return row.purpose.label(ui_language())
        if column == self.STATUS:
            status = capitalised(row.status.label(ui_language()))
            if row.is_overdue(datetime.now(UTC)):
                # Said in words too, not only in red.
                return self.tr("%1, achterstallig").replace("%1", status)
            return status
        return first_line(row.outcome)

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and index.isValid()
            and index.row() < len(self._rows)
            and self._rows[index.row()].is_overdue(datetime.now(UTC))
        ):
            # A planned visit whose time has passed: the one red of the palette.
            return QBrush(QColor(colours().overdue))
        return super().data(index, role)


class AttachmentTableModel(_RowsTableModel):
    NAME, KIND, SIZE = range(3)
    COLUMN_COUNT = 3
    RIGHT_ALIGNED = frozenset({SIZE})
    STRETCH = NAME

    def _sort_key(self, row: Attachment) -> str:
        return row.name.casefold()

    def _headers(self) -> Sequence[str]:
        return (self.tr("Naam"), self.tr("Soort"), self.tr("Grootte"))

    def _text(self, row: Attachment, column: int) -> str:
        if column == self.NAME:
            return row.name
        if column == self.KIND:
            if row.media_type == "application/pdf":
                return "PDF"
            if row.media_type.startswith("image/"):
                return self.tr("Afbeelding (%1)").replace(
                    "%1", row.media_type.split("/", 1)[1].upper()
                )
            return row.media_type
        return size_text(row.size, ui_language())


class HistoryTableModel(_RowsTableModel):
    """The dossier's audit trail, newest first. Read-only."""

    WHEN, WHO, WHAT = range(3)
    COLUMN_COUNT = 3
    STRETCH = WHAT

    def _headers(self) -> Sequence[str]:
        return (self.tr("Wanneer"), self.tr("Wie"), self.tr("Wat"))

    def _text(self, row: HistoryEntry, column: int) -> str:
        if column == self.WHEN:
            return moment_text(row.at)
        if column == self.WHO:
            return row.actor
        return row.describe(ui_language())

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if role == IdRole and index.isValid() and index.row() < len(self._rows):
            return self._rows[index.row()].seq
        return super().data(index, role)


class NoteListModel(QAbstractListModel):
    """Notes, newest first: the date and author, then the first line of the text."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._notes: list[Note] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._notes)

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid() or index.row() >= len(self._notes):
            return None
        note = self._notes[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{moment_text(note.written_at)} · {note.author}\n{first_line(note.text)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return first_line(note.text, 200)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{moment_text(note.written_at)}, {note.author}: {first_line(note.text)}"
        if role == RecordRole:
            return note
        if role == IdRole:
            return note.id
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def set_notes(self, notes: Sequence[Note]) -> None:
        self.beginResetModel()
        self._notes = sorted(notes, key=lambda n: n.written_at, reverse=True)
        self.endResetModel()

    def notes(self) -> tuple[Note, ...]:
        return tuple(self._notes)

    def row_of(self, note_id: str) -> int:
        for number, note in enumerate(self._notes):
            if note.id == note_id:
                return number
        return -1

    def upsert(self, note: Note) -> int:
        """Show a saved note: replace it in place, or insert it at its place by time."""
        number = self.row_of(note.id)
        if number >= 0 and self._notes[number].written_at == note.written_at:
            self._notes[number] = note
            changed = self.index(number, 0)
            self.dataChanged.emit(changed, changed)
            return number
        if number >= 0:
            self.beginRemoveRows(QModelIndex(), number, number)
            del self._notes[number]
            self.endRemoveRows()
        keys = [-n.written_at.timestamp() for n in self._notes]
        position = bisect.bisect_right(keys, -note.written_at.timestamp())
        self.beginInsertRows(QModelIndex(), position, position)
        self._notes.insert(position, note)
        self.endInsertRows()
        return position

    def merge(self, notes: Sequence[Note]) -> None:
        """Show `notes` in place of the rows, row by row, so the selection stays put."""
        wanted = {note.id for note in notes}
        for number in reversed(range(len(self._notes))):
            if self._notes[number].id not in wanted:
                self.beginRemoveRows(QModelIndex(), number, number)
                del self._notes[number]
                self.endRemoveRows()
        for note in notes:
            number = self.row_of(note.id)
            if number < 0 or self._notes[number] != note:
                self.upsert(note)
