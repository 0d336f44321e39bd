"""The content of one plan version as one scrollable form, saved as it is typed.

The form holds no plan of its own: `set_plan(plan, read_only=...)` shows one version, and every
change the user makes leaves through `valueChanged(field, value)` with the value as the plan
service takes it (text, a layer's key, a tuple of obligation keys or goals, a bool, a date or
None). Choices, check boxes, goals and dates are sent at once; text after a short pause in
typing, when the field loses focus, when the form is hidden, and on `flush()`, so nothing typed
is lost when the dossier closes or the laptop locks.

Showing the same version again (after a save, or a sync round) leaves the user where they are:
a field being typed in, or one whose save is still on its way, keeps what it shows.

Captions are the field names of the one label table (app.domain.schema), as the list of changes
between versions names them. The actions table sits in the form between the goals and the
agreements (`actions_pane`), but is filled by the screen, which saves its edits itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.domain.plan import ClientPlan
from app.domain.reference import plan_obligations, service_layers
from app.domain.schema import field_label
from app.ui.intake.form import DateField
from app.ui.messages import ui_language
from app.ui.plan.actions_pane import ActionsPane
from app.ui.plan.goals import GoalsEditor
from app.ui.theme import MARGIN, SPACING
from app.ui.widgets import plain, with_mnemonics

__all__ = ["TEXT_DELAY_MS", "ObligationsBox", "PlanForm"]

# Text is sent this long after the last keystroke.
TEXT_DELAY_MS = 600
TEXT_LINES = 4

_PLAN = ClientPlan.ENTITY
Kind = Literal["choice", "text", "check", "checks", "goals", "date"]
# The Alt+letter each caption prefers (the Plan tab's own buttons take t, s, z and the goals'
# v and j); a letter a translation lacks is chosen by `with_mnemonics`.
_LETTERS = {
    "service_layer": "d",
    "support_offered": "o",
    "obligations": "w",
    "consequences": "g",
    "goals": "l",
    "actions": "c",
    "agreements": "r",
    "tegenprestatie": "m",
    "own_words": "k",
    "single_parent_exemption": "i",
    "next_evaluation": "e",
}


def _marked(text: str, letter: str) -> str:
    found = text.casefold().find(letter)
    return text if found < 0 else f"{text[:found]}&{text[found:]}"


@dataclass
class _Field:
    name: str
    kind: Kind
    editor: QWidget
    caption: QLabel | QCheckBox | None = None
    stored: Any = None  # the value of the version last shown


def _normal(kind: Kind, value: Any) -> Any:
    """A value in the one form the form compares."""
    if kind == "text":
        return "" if value is None else str(value)
    if kind == "check":
        return value is True
    if kind in ("checks", "goals"):
        return tuple(value or ())
    return value or None


# -------------------------------------------------------------------------------- obligations


class ObligationsBox(QWidget):
    """A check box per obligation of `plan_obligations()`, its text beside it and the article
    it comes from under it, small. A click on the text ticks the box too."""

    toggled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("obligationsBox")
        self.read_only = False
        self._boxes: dict[str, QCheckBox] = {}
        self._texts: dict[str, QLabel] = {}
        self._sources: dict[str, QLabel] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(SPACING)
        grid.setVerticalSpacing(0)
        grid.setColumnStretch(1, 1)
        for number, obligation in enumerate(plan_obligations()):
            box = QCheckBox()
            box.setObjectName(f"obligation_{obligation.key}")
            box.toggled.connect(lambda _on: self.toggled.emit())
            text = QLabel()
            text.setWordWrap(True)
            text.installEventFilter(self)
            source = QLabel()
            source.setObjectName("muted")
            font = source.font()
            font.setPointSizeF(max(font.pointSizeF() - 1, 7.0))
            source.setFont(font)
            grid.addWidget(box, 2 * number, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(text, 2 * number, 1)
            grid.addWidget(source, 2 * number + 1, 1)
            grid.setRowMinimumHeight(2 * number + 1, source.sizeHint().height() + SPACING // 2)
            self._boxes[obligation.key] = box
            self._texts[obligation.key] = text
            self._sources[obligation.key] = source
        self._retranslate()

    def _retranslate(self) -> None:
        language = ui_language()
        for obligation in plan_obligations():
            text = obligation.text(language)
            self._texts[obligation.key].setText(text)
            self._boxes[obligation.key].setAccessibleName(text)
            self._boxes[obligation.key].setAccessibleDescription(obligation.source)
            self._sources[obligation.key].setText(obligation.source)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseButtonRelease and not self.read_only:
            for key, label in self._texts.items():
                if label is watched:
                    self._boxes[key].click()
                    self._boxes[key].setFocus(Qt.FocusReason.MouseFocusReason)
                    return True
        return super().eventFilter(watched, event)

    def boxes(self) -> dict[str, QCheckBox]:
        return dict(self._boxes)

    def first(self) -> QCheckBox:
        return next(iter(self._boxes.values()))

    def value(self) -> tuple[str, ...]:
        """The ticked obligations, in the order the plan prints them."""
        return tuple(key for key, box in self._boxes.items() if box.isChecked())

    def set_value(self, keys: Iterable[str]) -> None:
        wanted = set(keys)
        for key, box in self._boxes.items():
            box.setChecked(key in wanted)


# ------------------------------------------------------------------------------- read-only


class _ReadOnlyGuard(QObject):
    """Keeps choices and check boxes of a read-only form readable but unchangeable (they keep
    their focus, so a screen reader reads them and Tab moves on); and a wheel over a choice the
    user is not in scrolls the form instead of changing the answer under the pointer."""

    def __init__(self, form: PlanForm) -> None:
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
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
            watched.setFocus(Qt.FocusReason.MouseFocusReason)
            return True
        if kind == QEvent.Type.MouseButtonRelease:
            return True
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return event.key() not in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
        return False


# -------------------------------------------------------------------------------------- form


class PlanForm(QWidget):
    """The content of one plan version (see the module note)."""

    valueChanged = Signal(str, object)  # content field, value

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("planForm")
        self._fields: dict[str, _Field] = {}
        self._groups: list[QGroupBox] = []
        self._captions: dict[str, QLabel] = {}
        self._plan_id: str | None = None
        self._read_only = True
        self._quiet = False
        self._dirty: set[str] = set()  # text typed and not sent yet
        self._sent: dict[str, Any] = {}  # sent, and not yet seen back in a version
        self._guard = _ReadOnlyGuard(self)

        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("planScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(self._content())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll_area)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TEXT_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self._retranslate()
        self._set_read_only(True)

    # ---------------------------------------------------------------------------- building

    def _content(self) -> QWidget:
        content = QWidget()
        content.setObjectName("planFormContent")
        column = QVBoxLayout(content)
        column.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        column.setSpacing(MARGIN)
        offer = self._group(column)
        combo = QComboBox()
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for layer in service_layers():
            combo.addItem("", layer.key)
        self._add(offer, "service_layer", "choice", combo)
        self._add(offer, "support_offered", "text", self._text_edit())
        duties = self._group(column)
        self.obligations = ObligationsBox()
        self._add(duties, "obligations", "checks", self.obligations)
        self._add(duties, "consequences", "text", self._text_edit())
        goals = self._group(column)
        self.goals = GoalsEditor()
        self._add(goals, "goals", "goals", self.goals)
        self.actions_pane = ActionsPane()
        self._captions["actions"] = self._caption(goals, self.actions_pane.view)
        goals.addWidget(self.actions_pane)
        agreements = self._group(column)
        for name in ("agreements", "tegenprestatie", "own_words"):
            self._add(agreements, name, "text", self._text_edit())
        evaluation = self._group(column)
        self._add(evaluation, "single_parent_exemption", "check", QCheckBox())
        self.evaluation_field = DateField()
        self._add(evaluation, "next_evaluation", "date", self.evaluation_field)
        self.evaluation_hint = QLabel()
        self.evaluation_hint.setObjectName("muted")
        self.evaluation_hint.setWordWrap(True)
        evaluation.addWidget(self.evaluation_hint)
        column.addStretch(1)
        return content

    def _group(self, column: QVBoxLayout) -> QVBoxLayout:
        group = QGroupBox()
        group.setObjectName(f"planSection{len(self._groups)}")
        rows = QVBoxLayout(group)
        rows.setSpacing(SPACING // 2)
        column.addWidget(group)
        self._groups.append(group)
        return rows

    @staticmethod
    def _text_edit() -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(edit.fontMetrics().lineSpacing() * TEXT_LINES + 2 * SPACING)
        edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        return edit

    def _caption(self, rows: QVBoxLayout, buddy: QWidget) -> QLabel:
        caption = QLabel()
        caption.setWordWrap(True)
        caption.setBuddy(buddy)
        if rows.count():
            rows.addSpacing(SPACING // 2)
        rows.addWidget(caption)
        return caption

    def _add(self, rows: QVBoxLayout, name: str, kind: Kind, editor: QWidget) -> None:
        editor.setObjectName(f"plan_{name}")
        entry = _Field(name, kind, editor)
        self._fields[name] = entry
        if isinstance(editor, QCheckBox):
            entry.caption = editor
            rows.addWidget(editor)
        else:
            target = self.focus_target(entry)
            label = self._caption(rows, target)
            entry.caption = label
            self._captions[name] = label
            if kind == "choice":
                rows.addWidget(editor, 0, Qt.AlignmentFlag.AlignLeft)
            else:
                rows.addWidget(editor)
        if isinstance(editor, QComboBox):
            editor.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            editor.installEventFilter(self._guard)
            editor.currentIndexChanged.connect(lambda _i, e=entry: self._on_choice_changed(e))
        elif isinstance(editor, QCheckBox):
            editor.installEventFilter(self._guard)
            editor.toggled.connect(lambda _on, e=entry: self._on_choice_changed(e))
        elif isinstance(editor, ObligationsBox):
            for box in editor.boxes().values():
                box.installEventFilter(self._guard)
            editor.toggled.connect(lambda e=entry: self._on_choice_changed(e))
        elif isinstance(editor, GoalsEditor):
            editor.goals_edited.connect(lambda _goals, e=entry: self._on_choice_changed(e))
        elif isinstance(editor, DateField):
            editor.committed.connect(lambda _value, e=entry: self._on_choice_changed(e))
        elif isinstance(editor, QPlainTextEdit):
            editor.textChanged.connect(lambda e=entry: self._on_text_changed(e))
            editor.installEventFilter(self)

    # ------------------------------------------------------------------------------ language

    def _retranslate(self) -> None:
        language = ui_language()
        for group, title in zip(
            self._groups,
            (
                self.tr("Aanbod"),
                self.tr("Verplichtingen"),
                self.tr("Doelen en acties"),
                self.tr("Afspraken en participatie"),
                self.tr("Evaluatie"),
            ),
            strict=True,
        ):
            group.setTitle(title)
        names = list(_LETTERS)
        captions = [
            _marked(
                self.tr("Acties")
                if name == "actions"
                else field_label(_PLAN, name, language).replace("&", "&&"),
                _LETTERS[name],
            )
            for name in names
        ]
        for name, caption in zip(names, with_mnemonics(captions), strict=True):
            entry = self._fields.get(name)
            widget = entry.caption if entry is not None else self._captions.get(name)
            if widget is not None:
                widget.setText(caption)
            target = self.focus_target(entry) if entry is not None else self.actions_pane.view
            target.setAccessibleName(plain(caption))
        combo = self._fields["service_layer"].editor
        assert isinstance(combo, QComboBox)
        for index, layer in enumerate(service_layers()):
            combo.setItemText(index, layer.text(language))
        support = self._fields["support_offered"].editor
        assert isinstance(support, QPlainTextEdit)
        support.setPlaceholderText(self.tr("De ondersteuning die wij bieden: wat, hoe vaak, wie."))
        own = self._fields["own_words"].editor
        assert isinstance(own, QPlainTextEdit)
        own.setPlaceholderText(self.tr("In de woorden van de cliënt."))
        self.evaluation_hint.setText(
            self.tr("Leeg: standaard 12 maanden na ondertekening, 6 bij vrijstelling art. 9a.")
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # -------------------------------------------------------------------------------- public

    @property
    def plan_id(self) -> str | None:
        return self._plan_id

    @property
    def read_only(self) -> bool:
        return self._read_only

    @staticmethod
    def focus_target(entry: _Field) -> QWidget:
        editor = entry.editor
        if isinstance(editor, DateField):
            return editor.edit
        if isinstance(editor, ObligationsBox):
            return editor.first()
        if isinstance(editor, GoalsEditor):
            return editor.view
        return editor

    def editor(self, name: str) -> QWidget | None:
        """The widget that edits a content field (the obligations: their box), or None."""
        entry = self._fields.get(name)
        return entry.editor if entry is not None else None

    def caption(self, name: str) -> str:
        """A field's caption as shown, without its Alt+letter."""
        entry = self._fields.get(name)
        widget = entry.caption if entry is not None else self._captions.get(name)
        return widget.text().replace("&", "") if widget is not None else ""

    def focus_field(self, name: str) -> bool:
        entry = self._fields.get(name)
        if entry is None:
            return False
        target = self.focus_target(entry)
        self.scroll_area.ensureWidgetVisible(target, MARGIN, MARGIN * 2)
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def set_plan(self, plan: ClientPlan | None, *, read_only: bool) -> None:
        """Show a version. The same version again only updates the fields that changed and
        that the user is not typing in or saving; nothing is sent."""
        plan_id = plan.id if plan is not None else None
        fresh = plan_id != self._plan_id
        if fresh:
            self.flush()  # what is typed belongs to the version shown until now
            self._dirty.clear()
            self._sent.clear()
        self._plan_id = plan_id
        values = plan.content() if plan is not None else {}
        self._quiet = True
        try:
            for entry in self._fields.values():
                self._show_value(entry, self._stored(entry, values.get(entry.name)), fresh=fresh)
        finally:
            self._quiet = False
        self._set_read_only(read_only or plan is None)
        self._show_hint()

    @property
    def has_unsent(self) -> bool:
        """Something typed is not sent yet (text in its pause, a date not yet left)."""
        return bool(self._dirty) or self.evaluation_field.pending or self.goals.editing

    def save_failed(self, names: Iterable[str]) -> None:
        """The save of these fields failed: the next version shown shows what is stored."""
        for name in names:
            self._sent.pop(name, None)

    def flush(self) -> None:
        """Send what is typed and not sent yet (text during its pause, a date not yet left)."""
        self._timer.stop()
        if self._plan_id is None or self._read_only:
            self._dirty.clear()
            return
        if self.evaluation_field.pending:
            self.evaluation_field.commit()
        for name in [n for n in self._fields if n in self._dirty]:
            self._dirty.discard(name)
            entry = self._fields[name]
            self._send(entry, self._value(entry))

    # ------------------------------------------------------------------------------ values

    @staticmethod
    def _stored(entry: _Field, value: Any) -> Any:
        if entry.kind == "date":
            return date.fromisoformat(value) if isinstance(value, str) and value else None
        if entry.kind == "checks":
            wanted = set(value or ())
            return tuple(o.key for o in plan_obligations() if o.key in wanted)
        return _normal(entry.kind, value)

    def _value(self, entry: _Field) -> Any:
        editor = entry.editor
        if isinstance(editor, QComboBox):
            return editor.currentData()
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        if isinstance(editor, ObligationsBox):
            return editor.value()
        if isinstance(editor, GoalsEditor):
            return editor.goals()
        if isinstance(editor, DateField):
            return editor.value()
        if isinstance(editor, QPlainTextEdit):
            return editor.toPlainText()
        raise TypeError(type(editor).__name__)

    def _show_value(self, entry: _Field, value: Any, *, fresh: bool) -> None:
        name = entry.name
        entry.stored = value
        if not fresh:
            if name in self._dirty:
                return  # being typed: the text on screen is newer
            if name in self._sent:
                if _normal(entry.kind, self._sent[name]) != value:
                    return  # our own save is still on its way
                del self._sent[name]
            editor = entry.editor
            if isinstance(editor, DateField) and editor.pending and editor.edit.hasFocus():
                return  # a date being typed
        if _normal(entry.kind, self._value(entry)) == value:
            return
        self._put(entry, value)

    def _put(self, entry: _Field, value: Any) -> None:
        """Show a value without sending it (the caller holds `_quiet`)."""
        editor = entry.editor
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(editor.findData(value), 0))
        elif isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        elif isinstance(editor, ObligationsBox):
            editor.set_value(value)
        elif isinstance(editor, GoalsEditor):
            editor.set_goals(value)
        elif isinstance(editor, DateField):
            editor.set_value(value)
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
        self.obligations.read_only = read_only
        for entry in self._fields.values():
            editor = entry.editor
            if isinstance(editor, QPlainTextEdit):
                editor.setReadOnly(read_only)
            elif isinstance(editor, DateField):
                editor.set_read_only(read_only)
            elif isinstance(editor, GoalsEditor):
                editor.set_editable(not read_only)
            elif isinstance(editor, QComboBox | QCheckBox):
                editor.setProperty("readOnly", read_only)
        for box in self.obligations.boxes().values():
            box.setProperty("readOnly", read_only)

    def _show_hint(self) -> None:
        empty = self.evaluation_field.value() is None and not self.evaluation_field.pending
        self.evaluation_hint.setVisible(empty)

    # ---------------------------------------------------------------------------- sending

    def _send(self, entry: _Field, value: Any) -> None:
        if self._plan_id is None or self._read_only:
            return
        known = self._sent.get(entry.name, entry.stored)
        if _normal(entry.kind, known) == _normal(entry.kind, value):
            return  # changed and changed back: nothing to save
        self._sent[entry.name] = value
        self.valueChanged.emit(entry.name, value)

    def _on_choice_changed(self, entry: _Field) -> None:
        if entry.kind == "date":
            self._show_hint()
        if self._quiet or self._read_only:
            return
        self._send(entry, self._value(entry))

    def _on_text_changed(self, entry: _Field) -> None:
        if self._quiet or self._read_only:
            return
        self._dirty.add(entry.name)
        self._timer.start()

    # ------------------------------------------------------------------------------ events

    def hideEvent(self, event: Any) -> None:
        self.flush()
        super().hideEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and self._dirty:
            self.flush()
        return super().eventFilter(watched, event)
