"""The brede intake as one scrollable form, one group per section, saved as it is typed.

The form holds no intake of its own: `set_view(view, read_only=...)` shows one, and every answer
the user gives leaves through `answerChanged(field, value)` (a JSON-like value: an int, a bool,
text, an ISO date, or None for "not filled in") for the screen to save. Choices, check boxes and
dates are sent at once; text is sent after a short pause in typing, when the field loses focus,
when the form is hidden, and on `flush()`, so nothing typed is lost when a dossier closes or the
laptop locks.

Redrawing after a save (or a sync round) leaves the user where they are: a field being typed in,
or one whose save is still on its way, keeps what it shows; only fields that really changed
elsewhere are filled in again, without any answer being sent back.

The parts follow the client's schemes: the Participatiewet part only for a client who has it, the
Wmo onderzoek only for a Wmo client, consent per scheme of the client. Captions are the field
names of the one label table (app.domain.schema), so the form, the history, the review screen and
the list of missing answers say the same word.

Comment threads of a section stand beside it (below it when the form is narrow): see
app.ui.intake.threads.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from app.domain.formatting import date_text
from app.domain.intake import Intake
from app.domain.intake_fields import (
    PW_DATES,
    PW_EXPLAINED,
    PW_TAALEIS_DATES,
    PW_TAALEIS_EXEMPTION,
    TEXT_FIELDS,
    WMO_CHECKS,
    WMO_DATES,
    WMO_REPORT_GIVEN,
    WMO_TOLD,
    IntakeSection,
    consent_field,
    remark_field,
    score_field,
    taal_field,
    topic_field,
)
from app.domain.local_time import local_today
from app.domain.reference import (
    LADDER_STEPS,
    SCORES,
    default_domain_version,
    ladder_label,
    scheme_codes,
    score_label,
    self_sufficiency_domains,
    taaleis_results,
    taaleis_skills,
    wmo_topics,
)
from app.domain.schema import field_label
from app.services.intake import IntakeView
from app.ui.icons import icon
from app.ui.intake.threads import ThreadPanel
from app.ui.messages import ui_language
from app.ui.theme import MARGIN, SPACING, colours
from app.ui.widgets import FieldError

__all__ = ["TEXT_DELAY_MS", "DateField", "IntakeForm"]

# Text is sent this long after the last keystroke.
TEXT_DELAY_MS = 600
# From this width on, a section's threads stand beside it rather than under it.
SIDE_BY_SIDE_WIDTH = 1000

_INTAKE = Intake.ENTITY
Kind = Literal["choice", "check", "date", "line", "text"]
# Typed dates: 12-03-2026, 12-3-2026, 12/03/2026, 12.03.2026, or 12032026.
_DATE = re.compile(r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\s*$")
_DIGITS = re.compile(r"^\s*(\d{2})(\d{2})(\d{4})\s*$")


def step_text(number: int, label: str) -> str:
    """A score or step with its name, as the other screens write it: "3 – Beperkt zelfredzaam"."""
    return f"{number} – {label}"


def parse_date(text: str) -> date | None:
    """A typed date (see `_DATE`); None for an empty text. Raises ValueError for anything else."""
    if not text.strip():
        return None
    found = _DATE.match(text) or _DIGITS.match(text)
    if found is None:
        raise ValueError(text)
    day, month, year = (int(part) for part in found.groups())
    if not 1900 <= year <= 2200:
        raise ValueError(text)
    return date(year, month, day)


# ------------------------------------------------------------------------------------ pieces


class _CalendarIcon(QLabel):
    """The calendar beside a date, for the mouse; the keyboard opens it with Alt+Down in the
    field (which the tooltip says), so it takes no place in the Tab order."""

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setContentsMargins(SPACING // 2, 0, SPACING // 2, 0)
        self._paint_icon()

    def _paint_icon(self) -> None:
        side = self.fontMetrics().height()
        self.setPixmap(icon("calendar").pixmap(side, side))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self._paint_icon()
        super().changeEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.clicked.emit()
        super().mouseReleaseEvent(event)


class DateField(QWidget):
    """A date that may be left empty: typed as dd-mm-jjjj (12032026 will do), or picked from a
    calendar (the button, or Alt+Down in the field). An empty field means "not filled in"."""

    committed = Signal(object)  # the date as an ISO string, or None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._value: date | None = None
        self.edit = QLineEdit()
        self.edit.setMaxLength(10)
        self.edit.setMaximumWidth(
            self.edit.fontMetrics().horizontalAdvance("00-00-00000") + 3 * SPACING
        )
        self.edit.editingFinished.connect(self.commit)
        self.edit.installEventFilter(self)
        self.button = _CalendarIcon()
        self.button.clicked.connect(self.open_calendar)
        self.error = FieldError(self.edit)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(SPACING // 2)
        row.addWidget(self.edit)
        row.addWidget(self.button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.error)
        self.setFocusProxy(self.edit)
        self._retranslate()

    def _retranslate(self) -> None:
        self.edit.setPlaceholderText(self.tr("dd-mm-jjjj"))
        self.button.setToolTip(self.tr("Kalender (Alt+Omlaag)"))
        self.button.setAccessibleName(self.tr("Kalender"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
            and event.modifiers() & Qt.KeyboardModifier.AltModifier
            and not self.edit.isReadOnly()
        ):
            self.open_calendar()
            return True
        return super().eventFilter(watched, event)

    def value(self) -> date | None:
        """The date as last committed or set."""
        return self._value

    @property
    def pending(self) -> bool:
        """The text differs from the date it holds (being typed, or not a date)."""
        return self.edit.text().strip() != date_text(self._value)

    def set_value(self, value: date | None) -> None:
        """Show a stored date; sends nothing."""
        self._value = value
        text = date_text(value)
        if self.edit.text() != text:
            self.edit.setText(text)
        self.error.clear_error()

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)
        self.button.setVisible(not read_only)

    def commit(self) -> bool:
        """Take what is typed: a valid date (or nothing) is committed and sent when it changed;
        anything else shows a message under the field. False when the text is not a date."""
        if self.edit.isReadOnly():
            return True
        try:
            value = parse_date(self.edit.text())
        except ValueError:
            self.error.show_error(
                self.tr("Vul een datum in als dd-mm-jjjj, bijvoorbeeld 12-03-2026.")
            )
            return False
        self.error.clear_error()
        text = date_text(value)
        if self.edit.text() != text:
            self.edit.setText(text)
        if value != self._value:
            self._value = value
            self.committed.emit(value.isoformat() if value is not None else None)
        return True

    def open_calendar(self) -> None:
        """Pick the date from a month calendar (Enter or a click takes it, Esc closes)."""
        if self.edit.isReadOnly():
            return
        menu = QMenu(self)
        calendar = QCalendarWidget()
        calendar.setGridVisible(False)
        shown = self._value or local_today()
        calendar.setSelectedDate(QDate(shown.year, shown.month, shown.day))
        action = QWidgetAction(menu)
        action.setDefaultWidget(calendar)
        menu.addAction(action)

        def take(day: QDate) -> None:
            picked: date = day.toPython()  # type: ignore[assignment]
            self.edit.setText(date_text(picked))
            menu.close()
            self.commit()
            self.edit.setFocus(Qt.FocusReason.PopupFocusReason)

        calendar.activated.connect(take)
        calendar.clicked.connect(take)
        menu.aboutToHide.connect(menu.deleteLater)
        menu.popup(self.edit.mapToGlobal(self.edit.rect().bottomLeft()))
        calendar.setFocus(Qt.FocusReason.PopupFocusReason)


class _FieldRow(QWidget):
    """One line of the form: a caption and its field(s). A row whose answer changed since the
    team lead's last round gets an accent bar on its left and a tinted background."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("intakeRow")
        self.changed = False

    def set_changed(self, changed: bool) -> None:
        if changed != self.changed:
            self.changed = changed
            self.setProperty("changed", changed)
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.changed:
            c = colours()
            painter = QPainter(self)
            tint = QColor(c.accent_soft)
            painter.fillRect(self.rect(), tint)
            painter.fillRect(0, 0, 3, self.height(), QColor(c.accent))
            painter.end()
        super().paintEvent(event)


@dataclass
class _Field:
    """One answer of the form and the widget that edits it."""

    name: str
    section: IntakeSection
    kind: Kind
    editor: QWidget  # what takes the keyboard (for a date: its DateField)
    row: _FieldRow
    caption: QLabel | None = None
    # A choice's items: (text in the UI language, value).
    options: Callable[[], Sequence[tuple[str, Any]]] | None = None
    stored: Any = None  # the value of the last view shown

    def focus_target(self) -> QWidget:
        return self.editor.edit if isinstance(self.editor, DateField) else self.editor


def _normal(kind: Kind, value: Any) -> Any:
    """A stored or shown value in the one form the form compares: no answer is None (a choice,
    a date) or "" (text) or False (a check box)."""
    if kind == "check":
        return value is True
    if kind in ("line", "text"):
        return "" if value is None else str(value)
    if value == "":
        return None
    return value


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def _index_of(combo: QComboBox, value: Any) -> int:
    for index in range(combo.count()):
        if _same(combo.itemData(index), value):
            return index
    return -1


class _ReadOnlyGuard(QObject):
    """Keeps combo boxes and check boxes of a read-only form readable but unchangeable: they
    keep their focus (a screen reader reads them, Tab moves on) and ignore what would change
    them. Also, a wheel turned over a combo box the user is not in scrolls the form instead of
    changing the answer under the pointer."""

    def __init__(self, form: IntakeForm) -> None:
        super().__init__(form)
        self._form = form

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if not isinstance(watched, QWidget):
            return False
        if kind == QEvent.Type.Wheel:
            if self._form.read_only or not watched.hasFocus():
                QApplication.sendEvent(self._form.scroll_area.verticalScrollBar(), event)
                return True
            return False
        if not self._form.read_only:
            return False
        if kind in (
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseButtonDblClick,
        ):
            watched.setFocus(Qt.FocusReason.MouseFocusReason)
            return True
        if kind == QEvent.Type.MouseButtonRelease:
            return True
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return event.key() not in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
        return False


# -------------------------------------------------------------------------------------- form


class IntakeForm(QWidget):
    """The brede intake (see the module note)."""

    answerChanged = Signal(str, object)  # field name, JSON-like value
    commentSubmitted = Signal(str, str, str)  # section value, thread id ("" = new), text
    resolveRequested = Signal(str)  # thread id
    reopenRequested = Signal(str)  # thread id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("intakeForm")
        self._fields: dict[str, _Field] = {}
        self._sections: tuple[IntakeSection, ...] = ()
        self._panels: dict[IntakeSection, ThreadPanel] = {}
        self._general_panel = ThreadPanel(IntakeSection.GENERAL, self)
        self._general_panel.hide()
        self._groups: dict[IntakeSection, QGroupBox] = {}
        self._section_boxes: list[QBoxLayout] = []
        self._structure: tuple[Any, ...] | None = None
        self._intake_id: str | None = None
        self._read_only = True
        self._quiet = False
        self._dirty: set[str] = set()  # text typed and not sent yet
        self._sent: dict[str, Any] = {}  # sent, and not yet seen back in a view
        self._guard = _ReadOnlyGuard(self)
        # Set while the form is built: the section whose fields are added, the captions' width.
        self._section = IntakeSection.GENERAL
        self._caption_width = 0
        self._no_schemes: QLabel | None = None  # "no scheme, no consent needed"

        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("intakeScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(QWidget())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll_area)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TEXT_DELAY_MS)
        self._timer.timeout.connect(self.flush)

    # -------------------------------------------------------------------------------- public

    @property
    def intake_id(self) -> str | None:
        """The intake shown, if any."""
        return self._intake_id

    @property
    def read_only(self) -> bool:
        return self._read_only

    def set_view(
        self,
        view: IntakeView,
        *,
        read_only: bool,
        highlighted: frozenset[str] = frozenset(),
        can_start_threads: bool = False,
        me: str = "",
    ) -> None:
        """Show an intake. The same intake again (after a save, a sync round) only updates the
        fields that changed and that the user is not typing in or saving; nothing is sent."""
        intake = view.intake
        version = intake.domain_version if intake is not None else default_domain_version()
        structure = (version, view.sections, view.schemes)
        intake_id = intake.id if intake is not None else None
        fresh = intake_id != self._intake_id or structure != self._structure
        if fresh:
            self.flush()  # what is typed belongs to the intake shown until now
            self._dirty.clear()
            self._sent.clear()
        if structure != self._structure:
            self._build(version, view.sections, view.schemes)
            self._structure = structure
        elif intake_id != self._intake_id:
            for panel in (self._general_panel, *self._panels.values()):
                panel.forget_drafts()
        self._intake_id = intake_id
        values = intake.to_fields() if intake is not None else {}
        self._quiet = True
        try:
            for entry in self._fields.values():
                self._show_value(entry, values.get(entry.name), fresh=fresh)
        finally:
            self._quiet = False
        self._set_read_only(read_only or intake is None)
        self._highlight(highlighted)
        for panel in (self._general_panel, *self._panels.values()):
            panel.set_threads(view.threads, can_start_threads=can_start_threads, me=me)
        self._place_panels()

    def focus_field(self, name: str) -> bool:
        """Scroll to a field and give it the keyboard (a domain's score: its choice). False when
        the form does not show that field."""
        entry = self._fields.get(name)
        if entry is None or entry.row.isHidden():
            return False
        target = entry.focus_target()
        self.scroll_area.ensureWidgetVisible(entry.row, MARGIN, MARGIN * 2)
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def sections_shown(self) -> tuple[IntakeSection, ...]:
        return self._sections

    def fields_shown(self) -> tuple[str, ...]:
        return tuple(name for name, entry in self._fields.items() if not entry.row.isHidden())

    def editor(self, name: str) -> QWidget | None:
        """The widget that edits a field (for a date, its DateField), or None."""
        entry = self._fields.get(name)
        return entry.editor if entry is not None else None

    def caption(self, name: str) -> str:
        """A field's name as the form shows it, in the UI language."""
        return field_label(_INTAKE, name, ui_language())

    def is_highlighted(self, name: str) -> bool:
        entry = self._fields.get(name)
        return entry is not None and entry.row.changed

    def thread_panel(self, section: IntakeSection) -> ThreadPanel | None:
        """The panel that shows the threads of a section: beside the section, or for the
        intake as a whole (GENERAL, and the sections the form does not show) on top."""
        return self._panels.get(section) or self._general_panel

    def group(self, section: IntakeSection) -> QGroupBox | None:
        return self._groups.get(section)

    @property
    def has_unsent(self) -> bool:
        """Something typed is not sent yet (text in its pause, a date not yet left)."""
        return bool(self._dirty) or any(
            isinstance(e.editor, DateField) and e.editor.pending for e in self._fields.values()
        )

    @property
    def has_pending(self) -> bool:
        """Something typed is not sent yet, or sent and not yet seen back saved."""
        return self.has_unsent or bool(self._sent)

    def save_failed(self, names: Iterable[str]) -> None:
        """The save of these fields failed: the next view shows what is stored for them."""
        for name in names:
            self._sent.pop(name, None)

    def flush(self) -> None:
        """Send what is typed and not sent yet (text during its pause, a date not yet left)."""
        self._timer.stop()
        if self._intake_id is None or self._read_only:
            self._dirty.clear()
            return
        for entry in self._fields.values():
            if isinstance(entry.editor, DateField) and entry.editor.pending:
                entry.editor.commit()
        for name in [n for n in self._fields if n in self._dirty]:
            self._dirty.discard(name)
            self._send(self._fields[name], self._value(self._fields[name]))

    # ------------------------------------------------------------------------------ events

    def hideEvent(self, event: Any) -> None:
        self.flush()
        super().hideEvent(event)

    def closeEvent(self, event: Any) -> None:
        self.flush()
        super().closeEvent(event)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._place_panels()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and self._dirty:
            self.flush()
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # ---------------------------------------------------------------------------- building

    def _build(
        self, version: str, sections: Sequence[IntakeSection], schemes: Sequence[str]
    ) -> None:
        """The widgets for a matrix version and these sections (once per intake, mostly)."""
        if self._general_panel.parentWidget() is self:
            self._general_panel.deleteLater()  # the stand-in until the first intake
        self._fields = {}
        self._panels = {}
        self._groups = {}
        self._section_boxes = []
        self._no_schemes = None
        self._caption_width = self.fontMetrics().averageCharWidth() * 26
        content = QWidget()
        content.setObjectName("intakeFormContent")
        column = QVBoxLayout(content)
        column.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        column.setSpacing(MARGIN)
        builders: dict[IntakeSection, Callable[[QVBoxLayout], None]] = {
            IntakeSection.SCORES: lambda box: self._build_scores(box, version),
            IntakeSection.PARTICIPATION: self._build_participation,
            IntakeSection.CONSENT: lambda box: self._build_consent(box, schemes),
            IntakeSection.PARTICIPATIEWET: self._build_participatiewet,
            IntakeSection.WMO: self._build_wmo,
        }
        # Threads on the intake as a whole (or on a part this client no longer has) on top.
        general = ThreadPanel(
            IntakeSection.GENERAL, also=[s for s in IntakeSection if s not in sections]
        )
        self._connect_panel(general)
        column.addWidget(general)
        self._general_panel = general
        shown: list[IntakeSection] = []
        for section in sections:
            group = QGroupBox()
            group.setObjectName(f"section_{section.value}")
            rows = QVBoxLayout(group)
            rows.setSpacing(SPACING // 2)
            self._section = section
            if section in TEXT_FIELDS:
                self._text_row(rows, TEXT_FIELDS[section], caption=False)
            else:
                builders[section](rows)
            panel = ThreadPanel(section)
            self._connect_panel(panel)
            box = QBoxLayout(QBoxLayout.Direction.TopToBottom)
            box.setSpacing(MARGIN)
            box.addWidget(group, 3)
            box.addWidget(panel, 2)
            column.addLayout(box)
            self._section_boxes.append(box)
            self._groups[section] = group
            self._panels[section] = panel
            shown.append(section)
        column.addStretch(1)
        self._sections = tuple(shown)
        self.scroll_area.setWidget(content)  # the old content goes with it
        self._retranslate()

    def _connect_panel(self, panel: ThreadPanel) -> None:
        panel.commentSubmitted.connect(self.commentSubmitted)
        panel.resolveRequested.connect(self.resolveRequested)
        panel.reopenRequested.connect(self.reopenRequested)

    def _add(
        self,
        name: str,
        kind: Kind,
        editor: QWidget,
        row: _FieldRow,
        *,
        caption: QLabel | None = None,
        options: Callable[[], Sequence[tuple[str, Any]]] | None = None,
    ) -> _Field:
        entry = _Field(name, self._section, kind, editor, row, caption, options)
        editor.setObjectName(f"field_{name}")
        self._fields[name] = entry
        if isinstance(editor, QComboBox):
            editor.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            editor.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            editor.setMinimumContentsLength(14)
            editor.installEventFilter(self._guard)
            for _text, value in options() if options is not None else ():
                editor.addItem("", value)
            editor.currentIndexChanged.connect(lambda _i, e=entry: self._on_choice_changed(e))
        elif isinstance(editor, QCheckBox):
            editor.installEventFilter(self._guard)
            editor.toggled.connect(lambda _on, e=entry: self._on_choice_changed(e))
        elif isinstance(editor, DateField):
            editor.committed.connect(lambda value, e=entry: self._on_date_committed(e, value))
        elif isinstance(editor, QLineEdit):
            editor.textEdited.connect(lambda _t, e=entry: self._on_text_changed(e))
            editor.installEventFilter(self)
        elif isinstance(editor, QPlainTextEdit):
            editor.textChanged.connect(lambda e=entry: self._on_text_changed(e))
            editor.installEventFilter(self)
        return entry

    def _row(self, box: QVBoxLayout, *, stacked: bool = False) -> tuple[_FieldRow, QBoxLayout]:
        row = _FieldRow()
        direction = (
            QBoxLayout.Direction.TopToBottom if stacked else QBoxLayout.Direction.LeftToRight
        )
        layout = QBoxLayout(direction, row)
        layout.setContentsMargins(SPACING, SPACING // 2, SPACING // 2, SPACING // 2)
        layout.setSpacing(SPACING // 2 if stacked else SPACING)
        box.addWidget(row)
        return row, layout

    def _caption(self, layout: QBoxLayout, buddy: QWidget, *, inline: bool = True) -> QLabel:
        caption = QLabel()
        caption.setWordWrap(True)
        caption.setBuddy(buddy)
        if inline:
            caption.setFixedWidth(self._caption_width)
            layout.addWidget(caption, 0, Qt.AlignmentFlag.AlignVCenter)
        else:
            layout.addWidget(caption)
        return caption

    def _choice_row(
        self, box: QVBoxLayout, name: str, options: Callable[[], Sequence[tuple[str, Any]]]
    ) -> _Field:
        row, layout = self._row(box)
        combo = QComboBox()
        caption = self._caption(layout, combo)
        layout.addWidget(combo, 1)
        return self._add(name, "choice", combo, row, caption=caption, options=options)

    def _check_row(self, box: QVBoxLayout, name: str) -> _Field:
        row, layout = self._row(box)
        check = QCheckBox()
        spacer = QWidget()
        spacer.setFixedWidth(self._caption_width)
        layout.addWidget(spacer)
        layout.addWidget(check, 1)
        return self._add(name, "check", check, row)

    def _date_row(self, box: QVBoxLayout, name: str) -> _Field:
        row, layout = self._row(box)
        edit = DateField()
        caption = self._caption(layout, edit.edit)
        layout.addWidget(edit, 1)
        return self._add(name, "date", edit, row, caption=caption)

    def _line_row(self, box: QVBoxLayout, name: str) -> _Field:
        row, layout = self._row(box)
        edit = QLineEdit()
        caption = self._caption(layout, edit)
        layout.addWidget(edit, 1)
        return self._add(name, "line", edit, row, caption=caption)

    def _text_row(self, box: QVBoxLayout, name: str, *, caption: bool = True) -> _Field:
        row, layout = self._row(box, stacked=True)
        edit = QPlainTextEdit()
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 4 + 2 * SPACING)
        edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        label = self._caption(layout, edit, inline=False) if caption else None
        layout.addWidget(edit)
        return self._add(name, "text", edit, row, caption=label)

    def _build_scores(self, box: QVBoxLayout, version: str) -> None:
        def options() -> list[tuple[str, Any]]:
            language = ui_language()
            return [
                (self.tr("Nog niet gescoord"), None),
                *((step_text(n, score_label(n, language)), n) for n in SCORES),
            ]

        for domain in self_sufficiency_domains(version):
            row, layout = self._row(box)
            combo = QComboBox()
            caption = self._caption(layout, combo)
            remark = QLineEdit()
            layout.addWidget(combo)
            layout.addWidget(remark, 1)
            self._add(
                score_field(domain.key), "choice", combo, row, caption=caption, options=options
            )
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            self._add(remark_field(domain.key), "line", remark, row)

    def _build_participation(self, box: QVBoxLayout) -> None:
        def options() -> list[tuple[str, Any]]:
            language = ui_language()
            return [
                (self.tr("Nog niet gekozen"), None),
                *((step_text(n, ladder_label(n, language)), n) for n in LADDER_STEPS),
            ]

        for name in ("ladder_current", "ladder_target"):
            self._choice_row(box, name, options)

    def _yes_no(self, unknown: Callable[[], str]) -> Callable[[], list[tuple[str, Any]]]:
        return lambda: [(unknown(), None), (self.tr("Ja"), True), (self.tr("Nee"), False)]

    def _build_consent(self, box: QVBoxLayout, schemes: Sequence[str]) -> None:
        options = self._yes_no(lambda: self.tr("Nog niet gevraagd"))
        held = [code for code in scheme_codes() if code in schemes]
        for code in held:
            self._choice_row(box, consent_field(code), options)
        no_schemes = QLabel()
        no_schemes.setObjectName("muted")
        no_schemes.setWordWrap(True)
        # Into the layout before it is shown: a widget without a parent would open a window.
        box.addWidget(no_schemes)
        no_schemes.setVisible(not held)
        self._no_schemes = no_schemes

    def _build_participatiewet(self, box: QVBoxLayout) -> None:
        for name in PW_DATES:
            self._date_row(box, name)
        for name in PW_EXPLAINED:
            self._check_row(box, name)
        self._line_row(box, PW_TAALEIS_EXEMPTION)

        def results() -> list[tuple[str, Any]]:
            language = ui_language()
            return [
                (self.tr("Niet beoordeeld"), None),
                *((r.text(language), r.key) for r in taaleis_results()),
            ]

        for skill in taaleis_skills():
            self._choice_row(box, taal_field(skill.key), results)
        for name in PW_TAALEIS_DATES:
            self._date_row(box, name)

    def _build_wmo(self, box: QVBoxLayout) -> None:
        for name in WMO_DATES:
            self._date_row(box, name)
        for name in WMO_TOLD:
            self._check_row(box, name)
        for topic in wmo_topics():
            self._text_row(box, topic_field(topic.key))
        self._check_row(box, WMO_CHECKS[0])
        self._choice_row(box, WMO_CHECKS[1], self._yes_no(lambda: self.tr("Onbekend")))
        self._date_row(box, WMO_REPORT_GIVEN)

    # ------------------------------------------------------------------------------ language

    def _retranslate(self) -> None:
        language = ui_language()
        for section, group in self._groups.items():
            group.setTitle(section.label(language))
        no_schemes = self._no_schemes
        if no_schemes is not None:
            no_schemes.setText(self.tr("Geen lopende regeling: er is geen toestemming nodig."))
        self._quiet = True
        try:
            for entry in self._fields.values():
                self._retranslate_field(entry, language)
        finally:
            self._quiet = False

    def _retranslate_field(self, entry: _Field, language: str) -> None:
        name = field_label(_INTAKE, entry.name, language)
        editor = entry.editor
        target = entry.focus_target()
        target.setAccessibleName(name)
        # A caption's "&" is not a mnemonic: "Werk & opleiding".
        if entry.caption is not None:
            entry.caption.setText(name.replace("&", "&&"))
        if isinstance(editor, QCheckBox):
            editor.setText(name.replace("&", "&&"))
        elif isinstance(editor, QComboBox) and entry.options is not None:
            for index, (text, _value) in enumerate(entry.options()):
                editor.setItemText(index, text)
        elif isinstance(editor, QLineEdit) and entry.name.startswith("remark_"):
            editor.setPlaceholderText(self.tr("Toelichting"))

    # ------------------------------------------------------------------------------ values

    def _value(self, entry: _Field) -> Any:
        editor = entry.editor
        if isinstance(editor, QComboBox):
            return editor.currentData() if editor.currentIndex() >= 0 else None
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        if isinstance(editor, DateField):
            value = editor.value()
            return value.isoformat() if value is not None else None
        if isinstance(editor, QLineEdit):
            return editor.text()
        if isinstance(editor, QPlainTextEdit):
            return editor.toPlainText()
        raise TypeError(type(editor).__name__)

    def _show_value(self, entry: _Field, stored: Any, *, fresh: bool) -> None:
        name, value = entry.name, _normal(entry.kind, stored)
        entry.stored = value
        if not fresh:
            if name in self._dirty:
                return  # being typed: the text on screen is newer
            if name in self._sent:
                if not _same(_normal(entry.kind, self._sent[name]), value):
                    return  # our own save is still on its way
                del self._sent[name]
            editor = entry.editor
            if isinstance(editor, DateField) and editor.pending and editor.edit.hasFocus():
                return  # a date being typed
        if _same(_normal(entry.kind, self._value(entry)), value):
            return
        self._put(entry, value)

    def _put(self, entry: _Field, value: Any) -> None:
        """Show a value in a field without sending it (the caller holds `_quiet`)."""
        editor = entry.editor
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(_index_of(editor, value), 0))
        elif isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        elif isinstance(editor, DateField):
            editor.set_value(date.fromisoformat(value) if value else None)
        elif isinstance(editor, QLineEdit):
            position = editor.cursorPosition()
            editor.setText(value)
            editor.setCursorPosition(min(position, len(value)) if editor.hasFocus() else 0)
        elif isinstance(editor, QPlainTextEdit):
            cursor = editor.textCursor()
            position = cursor.position()
            editor.setPlainText(value)
            if editor.hasFocus():
                cursor = editor.textCursor()
                cursor.setPosition(min(position, len(value)))
                editor.setTextCursor(cursor)

    def _set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        if read_only:
            self._timer.stop()
            self._dirty.clear()
        for entry in self._fields.values():
            editor = entry.editor
            if isinstance(editor, QLineEdit | QPlainTextEdit):
                editor.setReadOnly(read_only)
            elif isinstance(editor, DateField):
                editor.set_read_only(read_only)
            elif isinstance(editor, QComboBox | QCheckBox):
                editor.setProperty("readOnly", read_only)

    def _highlight(self, highlighted: frozenset[str]) -> None:
        text = self.tr("Gewijzigd sinds de vorige ronde")
        rows: dict[int, tuple[_FieldRow, bool]] = {}
        for entry in self._fields.values():
            changed = entry.name in highlighted
            target = entry.focus_target()
            target.setAccessibleDescription(text if changed else "")
            key = id(entry.row)
            rows[key] = (entry.row, changed or rows.get(key, (entry.row, False))[1])
        for row, changed in rows.values():
            row.set_changed(changed)

    def _place_panels(self) -> None:
        wide = self.scroll_area.viewport().width() >= SIDE_BY_SIDE_WIDTH
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        for box, panel in zip(self._section_boxes, self._panels.values(), strict=True):
            if box.direction() != direction:
                box.setDirection(direction)
            panel.setVisible(panel.has_content)
        self._general_panel.setVisible(self._general_panel.has_content)

    # ---------------------------------------------------------------------------- sending

    def _send(self, entry: _Field, value: Any) -> None:
        if self._intake_id is None or self._read_only:
            return
        known = self._sent.get(entry.name, entry.stored)
        if entry.kind in ("line", "text") and _same(_normal(entry.kind, known), value):
            return  # typed and typed back: nothing to save
        self._sent[entry.name] = value
        self.answerChanged.emit(entry.name, value)

    def _on_choice_changed(self, entry: _Field) -> None:
        if self._quiet or self._read_only:
            return
        self._send(entry, self._value(entry))

    def _on_date_committed(self, entry: _Field, value: str | None) -> None:
        if self._quiet or self._read_only:
            return
        self._send(entry, value)

    def _on_text_changed(self, entry: _Field) -> None:
        if self._quiet or self._read_only:
            return
        self._dirty.add(entry.name)
        self._timer.start()
