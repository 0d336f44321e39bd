"""The versions of a client plan, and what changed from one version to the next.

`VersionTableModel` lists every version (Versie n · state · dates), newest on top: the caseworker
looks for the current one first. `ChangeTableModel` shows one version's `PlanChange`s against the
version before it, in words: the field's caption from the one label table, before → after, and
the actions added, removed or changed. `version_title` / `version_state` are the sentences the
Plan tab's header uses, so the list and the header never disagree.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QSize,
    Qt,
)
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from app.domain.formatting import date_text
from app.domain.plan import ActionOwner, ClientPlan, PlanChange, SignatureMethod
from app.domain.reference import plan_obligations, service_layers
from app.domain.schema import field_label
from app.domain.states import ActionStatus, PlanStatus
from app.services.plan import PlanVersion
from app.ui.messages import ui_language
from app.ui.plan.actions_model import owner_text, status_text
from app.ui.theme import SPACING, colours

__all__ = [
    "ChangeDelegate",
    "ChangeTableModel",
    "VersionTableModel",
    "value_text",
    "version_state",
    "version_title",
]

RecordRole = Qt.ItemDataRole.UserRole + 1
IdRole = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_NOTHING = "—"
# How much of a long text a change shows in its cell (the tooltip has all of it).
_CELL_CHARS = 120


def version_title(plan: ClientPlan) -> str:
    return QCoreApplication.translate("PlanVersions", "Versie %1").replace("%1", str(plan.revision))


def _waiting(plan: ClientPlan) -> str:
    """A draft with one party's mark: who has, and who is still to sign."""
    client, caseworker = plan.client_signature, plan.caseworker_signature
    if client is not None and client.method is SignatureMethod.REFUSED:
        return QCoreApplication.translate(
            "PlanVersions", "de cliënt tekent niet; wacht op de klantmanager"
        )
    if client is not None:
        return QCoreApplication.translate(
            "PlanVersions", "ondertekend door de cliënt; wacht op de klantmanager"
        )
    if caseworker is not None:
        return QCoreApplication.translate(
            "PlanVersions", "ondertekend door de klantmanager; wacht op de cliënt"
        )
    return QCoreApplication.translate("PlanVersions", "concept")


def version_state(plan: ClientPlan, *, full: bool = True) -> str:
    """Where a version stands: "concept", "actief sinds 12-10-2026, evaluatie op 12-10-2027",
    "afgesloten op 03-12-2026". Without `full`, the short form the versions list shows."""
    status = plan.status
    if status is PlanStatus.DRAFT:
        if not full:
            return (
                QCoreApplication.translate("PlanVersions", "concept, ondertekend")
                if plan.signed
                else QCoreApplication.translate("PlanVersions", "concept")
            )
        return _waiting(plan)
    if status is PlanStatus.ACTIVE:
        since = date_text(plan.activated_at)
        if not full:
            return QCoreApplication.translate("PlanVersions", "actief")
        text = QCoreApplication.translate("PlanVersions", "actief sinds %1").replace("%1", since)
        evaluation = plan.evaluation_due()
        if evaluation is not None:
            text += ", " + QCoreApplication.translate("PlanVersions", "evaluatie op %1").replace(
                "%1", date_text(evaluation)
            )
        return text
    if not full:
        return QCoreApplication.translate("PlanVersions", "afgesloten")
    return QCoreApplication.translate("PlanVersions", "afgesloten op %1").replace(
        "%1", date_text(plan.closed_at)
    )


def _period(plan: ClientPlan) -> str:
    start, end = date_text(plan.activated_at), date_text(plan.closed_at)
    if start and end:
        return f"{start} – {end}"
    if start:
        return QCoreApplication.translate("PlanVersions", "sinds %1").replace("%1", start)
    if end:
        return QCoreApplication.translate("PlanVersions", "tot %1").replace("%1", end)
    signed = [s.signed_on for s in (plan.client_signature, plan.caseworker_signature) if s]
    return (
        QCoreApplication.translate("PlanVersions", "getekend %1").replace(
            "%1", date_text(max(signed))
        )
        if signed
        else ""
    )


class VersionTableModel(QAbstractTableModel):
    """Every version of the plan, the newest first."""

    NUMBER, STATE, PERIOD = range(3)
    COLUMN_COUNT = 3
    STRETCH = PERIOD

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[PlanVersion] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        version = self._rows[index.row()]
        plan = version.plan
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(plan, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{version_title(plan)} — {version_state(plan)}"
        if role == RecordRole:
            return version
        if role == IdRole:
            return plan.id
        return None

    def _text(self, plan: ClientPlan, column: int) -> str:
        if column == self.NUMBER:
            return version_title(plan)
        if column == self.STATE:
            return version_state(plan, full=False)
        return _period(plan)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.COLUMN_COUNT:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("Versie"), self.tr("Status"), self.tr("Periode"))[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def set_versions(self, versions: Sequence[PlanVersion]) -> None:
        rows = sorted(versions, key=lambda v: v.plan.revision, reverse=True)
        if rows == self._rows:
            return
        if [v.plan.id for v in rows] == [v.plan.id for v in self._rows]:
            self._rows = rows
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(rows) - 1, self.COLUMN_COUNT - 1)
            )
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row_of(self, plan_id: str) -> int:
        return next((n for n, v in enumerate(self._rows) if v.plan.id == plan_id), -1)

    def version_at(self, row: int) -> PlanVersion | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.COLUMN_COUNT - 1)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, self.COLUMN_COUNT - 1)
            )


# ---------------------------------------------------------------------------------- changes


def _yes_no(value: object) -> str:
    return (
        QCoreApplication.translate("PlanVersions", "Ja")
        if value
        else QCoreApplication.translate("PlanVersions", "Nee")
    )


def value_text(name: str, value: Any) -> str:
    """A stored content value of a plan (as `ClientPlan.content()` gives it) in words."""
    language = ui_language()
    if name == "single_parent_exemption":
        return _yes_no(value)
    if value in (None, "", [], ()):
        return _NOTHING
    if name == "service_layer":
        return next((s.text(language) for s in service_layers() if s.key == value), str(value))
    if name == "obligations":
        texts = {o.key: o.text(language) for o in plan_obligations()}
        return "\n".join(f"• {texts.get(key, key)}" for key in value)
    if name == "goals":
        return "\n".join(f"• {goal}" for goal in value)
    if name in ("next_evaluation", "due_date"):
        return date_text(value)
    if name == "owner":
        return owner_text(ActionOwner(value))
    if name == "status":
        return status_text(ActionStatus(value))
    return str(value)


def _action_text(content: dict[str, Any]) -> str:
    """An action's content in one line: who, and by when."""
    owner = ActionOwner(content.get("owner") or "client")
    parts = [owner_text(owner, str(content.get("partner") or ""))]
    if content.get("due_date"):
        parts.append(date_text(content["due_date"]))
    return " · ".join(parts)


def _action_fields(content: dict[str, Any], other: dict[str, Any]) -> str:
    """The parts of an action that differ from `other`, one per line: what, who, when."""
    language = ui_language()

    def who(of: dict[str, Any]) -> str:
        return owner_text(ActionOwner(of.get("owner") or "client"), str(of.get("partner") or ""))

    lines = []
    if content.get("description") != other.get("description"):
        lines.append(
            (field_label("plan_action", "description", language), content.get("description") or "")
        )
    if who(content) != who(other):
        lines.append((field_label("plan_action", "owner", language), who(content)))
    if content.get("due_date") != other.get("due_date"):
        lines.append(
            (
                field_label("plan_action", "due_date", language),
                date_text(content.get("due_date")) or _NOTHING,
            )
        )
    return "\n".join(f"{caption}: {value}" for caption, value in lines) or _NOTHING


class ChangeTableModel(QAbstractTableModel):
    """What changed in one version against the version before it: Wat · Was · Nu."""

    WHAT, BEFORE, AFTER = range(3)
    COLUMN_COUNT = 3
    STRETCH = AFTER

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[PlanChange] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        change = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            text = self.cell_text(change, index.column())
            return text if len(text) <= _CELL_CHARS else text[: _CELL_CHARS - 1].rstrip() + "…"
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.cell_text(change, index.column())
        if role == RecordRole:
            return change
        return None

    def cell_text(self, change: PlanChange, column: int) -> str:
        """A cell's whole text (the table may shorten a long one)."""
        language = ui_language()
        if change.kind == "field":
            if column == self.WHAT:
                return field_label(ClientPlan.ENTITY, change.name, language)
            value = change.before if column == self.BEFORE else change.after
            return value_text(change.name, value)
        if column == self.WHAT:
            label = {
                "action_added": self.tr("Actie toegevoegd"),
                "action_removed": self.tr("Actie vervallen"),
            }.get(change.kind, self.tr("Actie gewijzigd"))
            return f"{label}: {change.name}"
        before = change.before or {}
        after = change.after or {}
        if change.kind == "action_added":
            return _NOTHING if column == self.BEFORE else _action_text(after)
        if change.kind == "action_removed":
            return _action_text(before) if column == self.BEFORE else _NOTHING
        if column == self.BEFORE:
            return _action_fields(before, after)
        return _action_fields(after, before)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.COLUMN_COUNT:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("Wat"), self.tr("Was"), self.tr("Nu"))[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def set_changes(self, changes: Sequence[PlanChange]) -> None:
        rows = list(changes)
        if rows == self._rows:
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def changes(self) -> tuple[PlanChange, ...]:
        return tuple(self._rows)

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.COLUMN_COUNT - 1)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, self.COLUMN_COUNT - 1)
            )


class ChangeDelegate(QStyledItemDelegate):
    """A change as a small block in a narrow list: what, then Was and Nu under it, wrapped to
    the list's width (three columns side by side leave a narrow panel too little room)."""

    PAD = SPACING // 2

    def _document(self, option: QStyleOptionViewItem, index: Index, width: int) -> QTextDocument:
        model = index.model()
        row, parent = index.row(), index.parent()
        cells = [
            str(model.index(row, column, parent).data(Qt.ItemDataRole.ToolTipRole) or "")
            for column in range(ChangeTableModel.COLUMN_COUNT)
        ]
        heads = [
            str(model.headerData(column, Qt.Orientation.Horizontal) or "")
            for column in (ChangeTableModel.BEFORE, ChangeTableModel.AFTER)
        ]
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        muted = "" if selected else f"color:{colours().muted};"

        def text(value: str) -> str:
            return html.escape(value).replace("\n", "<br>")

        rows = "".join(
            f"<tr><td style='{muted}padding-right:{SPACING}px'>{text(head)}</td>"
            f"<td>{text(value)}</td></tr>"
            for head, value in zip(heads, cells[1:], strict=True)
        )
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setDocumentMargin(0)
        document.setHtml(f"<b>{text(cells[0])}</b><table cellspacing='0'>{rows}</table>")
        document.setTextWidth(max(width, 40))
        return document

    def _width(self, option: QStyleOptionViewItem) -> int:
        view = option.widget
        width = view.viewport().width() if isinstance(view, QAbstractScrollArea) else 0
        return (width or option.rect.width()) - 2 * self.PAD

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        shown = QStyleOptionViewItem(option)
        self.initStyleOption(shown, index)
        shown.text = ""
        widget = shown.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, shown, painter, widget)
        rect = shown.rect
        document = self._document(shown, index, rect.width() - 2 * self.PAD)
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(shown.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, shown.palette.color(role))
        painter.save()
        painter.translate(QPointF(rect.left() + self.PAD, rect.top() + self.PAD))
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        width = self._width(option)
        document = self._document(option, index, width)
        return QSize(width, int(document.size().height()) + 2 * self.PAD)
