"""The Team screen's models: the figures per caseworker as a table, and the late edits of the
team's clients ("verweesde wijzigingen") as a list. Both hold frozen dataclasses from
`app.services.team` and are reset as a whole when a new answer from the server arrives."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from app.domain.formatting import moment_text
from app.services.team import MemberFigures, OrphanedChange
from app.ui.theme import colours

_Index = QModelIndex | QPersistentModelIndex


def two_lines(text: str) -> str:
    """A long caption on two lines, broken at the space nearest its middle ("Termijn bijna
    verlopen" -> "Termijn bijna\\nverlopen"), so a table of nine columns fits the screen."""
    if len(text) < 14 or " " not in text:
        return text
    middle = len(text) / 2
    spaces = [i for i, c in enumerate(text) if c == " "]
    cut = min(spaces, key=lambda i: abs(i - middle))
    return f"{text[:cut]}\n{text[cut + 1 :]}"


class TeamColumn(Enum):
    """The table's columns, in order; the value is the `MemberFigures` field shown."""

    CASEWORKER = "username"
    WAITING = "intakes_waiting"
    RETURNED = "intakes_returned"
    APPROVED = "approved_this_month"
    DUE_SOON = "clocks_due_soon"
    OVERDUE = "clocks_overdue"
    STALE_DEVICES = "devices_not_synced_3_days"
    CONFLICTS = "open_conflicts"
    ORPHANS = "orphaned_changes"


class TeamTableModel(QAbstractTableModel):
    """Klantmanager · Wacht op beoordeling · Teruggestuurd · Goedgekeurd deze maand · Termijn
    bijna verlopen · Termijn verlopen · Apparaten > 3 dagen niet gesynchroniseerd · Open
    conflicten · Verweesde wijzigingen. Overdue clocks are red."""

    MemberRole = Qt.ItemDataRole.UserRole + 1
    COLUMNS: tuple[TeamColumn, ...] = tuple(TeamColumn)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[MemberFigures] = []
        self._overdue = QBrush(QColor(colours().overdue))
        self._headers = self._header_texts()
        self._explanations = self._header_tooltips()

    # ------------------------------------------------------------------------- public API

    def set_members(self, members: Sequence[MemberFigures]) -> None:
        self.beginResetModel()
        self._rows = list(members)
        # Picked up here so a palette or language switch shows at the next load.
        self._overdue = QBrush(QColor(colours().overdue))
        self._headers = self._header_texts()
        self._explanations = self._header_tooltips()
        self.endResetModel()

    def retranslate(self) -> None:
        """Headers in the language now installed (a model gets no LanguageChange of its own)."""
        self._headers = self._header_texts()
        self._explanations = self._header_tooltips()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.COLUMNS) - 1)

    def member(self, row: int) -> MemberFigures | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def header_text(self, column: TeamColumn) -> str:
        """A column's caption on one line."""
        return self._headers[self.COLUMNS.index(column)]

    @classmethod
    def column_of(cls, column: TeamColumn) -> int:
        return cls.COLUMNS.index(column)

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
        if role == Qt.ItemDataRole.DisplayRole:
            return two_lines(self._headers[section])
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._headers[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._explanations[section]
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
        member = self.member(index.row())
        if member is None or not 0 <= index.column() < len(self.COLUMNS):
            return None
        column = self.COLUMNS[index.column()]
        value = getattr(member, column.value)
        if role == Qt.ItemDataRole.DisplayRole:
            return str(value)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if column is TeamColumn.CASEWORKER:
                return str(value)
            return f"{self._headers[index.column()]}: {value}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column is TeamColumn.CASEWORKER:
                return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._overdue if column is TeamColumn.OVERDUE and value > 0 else None
        if role == Qt.ItemDataRole.ToolTipRole and column is TeamColumn.CASEWORKER:
            return self._member_tooltip(member)
        if role == self.MemberRole:
            return member
        return None

    # ---------------------------------------------------------------------------- texts

    def _header_texts(self) -> tuple[str, ...]:
        return (
            self.tr("Klantmanager"),
            self.tr("Wacht op beoordeling"),
            self.tr("Teruggestuurd"),
            self.tr("Goedgekeurd deze maand"),
            self.tr("Termijn bijna verlopen"),
            self.tr("Termijn verlopen"),
            self.tr("Apparaten > 3 dagen niet gesynchroniseerd"),
            self.tr("Open conflicten"),
            self.tr("Verweesde wijzigingen"),
        )

    def _header_tooltips(self) -> tuple[str, ...]:
        return (
            self.tr("De klantmanager en het aantal cliënten dat aan hem of haar is toegewezen"),
            self.tr("Ingediende intakes die op uw beoordeling wachten"),
            self.tr("Intakes die u hebt teruggestuurd en die nog niet opnieuw zijn ingediend"),
            self.tr("Intakes die deze kalendermaand zijn goedgekeurd"),
            self.tr(
                "Intakes die nog niet zijn goedgekeurd en waarvan een wettelijke termijn "
                "binnen vijf dagen verloopt"
            ),
            self.tr(
                "Intakes die nog niet zijn goedgekeurd en waarvan een wettelijke termijn al "
                "verlopen is"
            ),
            self.tr(
                "Apparaten van de klantmanager die al meer dan drie dagen geen contact met de "
                "server hadden"
            ),
            self.tr("Conflicten op de apparaten van de klantmanager die nog niet zijn opgelost"),
            self.tr(
                "Wijzigingen die binnenkwamen nadat de cliënt naar een andere klantmanager "
                "was overgedragen, en nog niet zijn afgehandeld"
            ),
        )

    def _member_tooltip(self, member: MemberFigures) -> str:
        lines = [
            self.tr("1 cliënt")
            if member.clients == 1
            else self.tr("{count} cliënten").format(count=member.clients),
            self.tr(
                "Apparaten: {count}, waarvan {stale} al meer dan 14 dagen zonder contact"
            ).format(count=member.devices, stale=member.devices_not_synced_14_days),
        ]
        if member.last_contact is not None:
            lines.append(
                self.tr("Laatste contact {when}").format(when=moment_text(member.last_contact))
            )
        return "\n".join(lines)


class OrphanListModel(QAbstractListModel):
    """The late edits of the team's clients: when, sent by, client, kind of record and fields
    per row; a handled one says so."""

    ChangeRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[OrphanedChange] = []
        self._muted = QBrush(QColor(colours().muted))

    def set_changes(self, items: Sequence[OrphanedChange]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self._muted = QBrush(QColor(colours().muted))
        self.endResetModel()

    def change(self, row: int) -> OrphanedChange | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def row_of(self, change_id: int) -> int:
        return next((i for i, c in enumerate(self._items) if c.id == change_id), -1)

    def open_count(self) -> int:
        return sum(1 for c in self._items if not c.handled)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        item = self.change(index.row())
        if item is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.summary(item)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.values_text(item)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._muted if item.handled else None
        if role == self.ChangeRole:
            return item
        return None

    # ---------------------------------------------------------------------------- texts

    def op_text(self, op: str) -> str:
        texts = {
            "create": self.tr("nieuw"),
            "update": self.tr("gewijzigd"),
            "delete": self.tr("verwijderd"),
            "command": self.tr("handeling"),
        }
        return texts.get(op, op)

    def summary(self, item: OrphanedChange) -> str:
        """One line: "12-03-2026 14:05 · m.bakker · T. de Vries · Notitie (nieuw): Tekst"."""
        who = item.sent_by or self.tr("onbekend apparaat")
        kind = f"{item.entity_label} ({self.op_text(item.op)})"
        fields = ", ".join(f.label for f in item.fields)
        text = f"{moment_text(item.created_at)} · {who} · {item.client_name} · {kind}"
        if fields:
            text = f"{text}: {fields}"
        if item.handled:
            text = self.tr("{text} (afgehandeld)").format(text=text)
        return text

    def values_text(self, item: OrphanedChange) -> str:
        """The changed fields one per line, with their values when the server showed them."""
        if not item.fields:
            return self.tr("Geen velden")
        if not item.values_shown:
            return "\n".join(f.label for f in item.fields)
        return "\n".join(
            f"{f.label}: {f.value if f.value is not None else '–'}" for f in item.fields
        )
