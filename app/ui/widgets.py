"""Pieces the screens share, so every list, form and action looks and behaves the same way.

- `ScreenAction` / `ActionButton`: an action with its key, and a button that mirrors it; the
  tooltip always names the key ("Nieuwe notitie (Ctrl+N)"), or the Alt+letter of a button that
  has only a mnemonic.
- `RecordStack` / `ListPane`: a record view that shows a sentence in its place while it has no
  rows ("Nog geen notities. ..."), with a title and buttons above it.
- `record_table` / `fit_columns`: a dense read-only table whose columns are as wide as their
  contents (the header included), with one column taking the rest of the width.
- `FormGrid`, `FieldError`, `SavedHint`: caption, field and its error message under it; the
  small "Opgeslagen" after an edit was saved.
- `choose_file`: Qt's own file dialog, whose texts come from Qt's translation of the UI language
  (the platform's dialog would speak the system's language beside our Dutch title and filters).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.ui.theme import MARGIN, SPACING, dense_table

Key = QKeySequence | QKeySequence.StandardKey | str

_MNEMONIC = re.compile(r"&([^&\s])")


def plain(text: str) -> str:
    """A caption without its mnemonic marker: "Nieu&we notitie" -> "Nieuwe notitie"."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def mnemonic(text: str) -> QKeySequence | None:
    """The Alt+letter a caption's mnemonic gives ("Niet thu&is" -> Alt+I), or None."""
    found = _MNEMONIC.search(text.replace("&&", ""))
    return QKeySequence(f"Alt+{found.group(1).upper()}") if found else None


def with_mnemonics(captions: Sequence[str]) -> list[str]:
    """The captions of one screen, each with an Alt+letter: a caption that has one keeps it,
    the others get the first free letter, a word's first letter preferred. For captions from
    a label table ("Telefoonnummer"), which come without one, in whatever language."""
    taken = {found.group(1).casefold() for c in captions if (found := _MNEMONIC.search(c))}
    result: list[str] = []
    for caption in captions:
        if _MNEMONIC.search(caption.replace("&&", "")):
            result.append(caption)
            continue
        text = caption.replace("&", "&&")
        starts = [i for i, c in enumerate(text) if c.isalnum() and (i == 0 or text[i - 1] == " ")]
        others = [i for i, c in enumerate(text) if c.isalnum() and i not in starts]
        for i in starts + others:
            if text[i].casefold() not in taken and text[i].isascii():
                taken.add(text[i].casefold())
                text = f"{text[:i]}&{text[i:]}"
                break
        result.append(text)
    return result


def key_text(key: QKeySequence) -> str:
    return key.toString(QKeySequence.SequenceFormat.NativeText)


def with_key(text: str, key: QKeySequence | None) -> str:
    """A tooltip that names its key: "Vastleggen (Ctrl+Return)"; the text alone without one."""
    caption = plain(text)
    if key is None or key.isEmpty():
        return caption
    return f"{caption} ({key_text(key)})"


# ---------------------------------------------------------------------------------- actions


class ScreenAction(QAction):
    """An action of a screen. It is added to `owner` and works while `owner` is visible in the
    active window (a dossier tab: only the tab on screen answers its keys, so two tabs may use
    Ctrl+N for their own "new"). The F1 list of shortcuts reads these actions."""

    def __init__(
        self,
        owner: QWidget,
        triggered: Callable[[], None],
        *,
        shortcut: Key | Sequence[Key] | None = None,
        context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut,
        object_name: str = "",
    ) -> None:
        super().__init__(owner)
        if object_name:
            self.setObjectName(object_name)
        keys: Sequence[Key]
        if shortcut is None:
            keys = ()
        elif isinstance(shortcut, (QKeySequence, QKeySequence.StandardKey, str)):
            keys = (shortcut,)
        else:
            keys = shortcut
        sequences: list[QKeySequence] = []
        for key in keys:
            if isinstance(key, QKeySequence.StandardKey):
                sequences.extend(QKeySequence.keyBindings(key))
            else:
                sequences.append(QKeySequence(key))
        self.setShortcuts(sequences)
        self.setShortcutContext(context)
        owner.addAction(self)
        self.triggered.connect(lambda _checked=False: triggered())

    def key(self) -> QKeySequence | None:
        """The key the tooltip names: the first shortcut, else the caption's Alt+letter."""
        shortcut = self.shortcut()
        return shortcut if not shortcut.isEmpty() else mnemonic(self.text())

    def set_caption(self, text: str) -> None:
        """Set the (translated) caption; the tooltip follows with the key in it."""
        self.setText(text)
        self.setToolTip(with_key(text, self.key()))


class ActionButton(QPushButton):
    """A push button that shows an action: its caption, tooltip, enabled and visible state."""

    def __init__(self, action: QAction, object_name: str = "") -> None:
        super().__init__()
        if object_name:
            self.setObjectName(object_name)
        self.action = action
        self.clicked.connect(self._on_self_clicked)
        action.changed.connect(self._on_action_changed)
        self._on_action_changed()

    def _on_self_clicked(self) -> None:
        self.action.trigger()

    def _on_action_changed(self) -> None:
        action = self.action
        self.setText(action.text())
        self.setToolTip(action.toolTip())
        self.setIcon(action.icon())
        self.setEnabled(action.isEnabled())
        self._sync_visible()

    def _sync_visible(self) -> None:
        if self.parentWidget() is not None:
            self.setVisible(self.action.isVisible())
        elif not self.action.isVisible():
            # Showing a widget without a parent would open it as a window of its own; it is
            # shown with the widget it is put in (ParentChange below).
            self.hide()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ParentChange:
            self._sync_visible()
        return super().event(event)


def restore_focus(target: QWidget) -> None:
    """After work that disabled the focused control (a button, a form while it saved): give
    the keyboard a place again, so its shortcuts keep working."""
    focused = QApplication.focusWidget()
    if focused is None or not focused.isEnabled() or not focused.isVisible():
        target.setFocus(Qt.FocusReason.OtherFocusReason)


# ------------------------------------------------------------------------------ record lists


class RecordStack(QStackedWidget):
    """A record view, or in its place a sentence saying there is nothing yet and what to do."""

    def __init__(self, view: QAbstractItemView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.empty_label = QLabel()
        self.empty_label.setObjectName("muted")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.empty_label.setContentsMargins(0, SPACING, 0, 0)
        self.addWidget(view)
        self.addWidget(self.empty_label)
        model = view.model()
        for signal in (
            model.rowsInserted,
            model.rowsRemoved,
            model.modelReset,
            model.layoutChanged,
        ):
            signal.connect(self._on_model_changed)
        self._update()

    @property
    def is_empty(self) -> bool:
        return self.view.model().rowCount() == 0

    def set_empty_text(self, text: str) -> None:
        self.empty_label.setText(text)
        self.empty_label.setAccessibleName(text)

    def _on_model_changed(self, *_args: object) -> None:
        self._update()

    def _update(self) -> None:
        self.setCurrentWidget(self.empty_label if self.is_empty else self.view)


class ListPane(QWidget):
    """A titled list: the title (its mnemonic moves the focus to the list), buttons beside it,
    and the records or the sentence in their place."""

    def __init__(
        self,
        view: QAbstractItemView,
        *,
        buttons: Sequence[QWidget] = (),
        title: bool = True,
        margins: tuple[int, int, int, int] = (MARGIN, MARGIN, MARGIN, MARGIN),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.view = view
        self.records = RecordStack(view)
        self.title = QLabel()
        self.title.setObjectName("sectionTitle")
        self.title.setBuddy(view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(*margins)
        layout.setSpacing(SPACING)
        head = QHBoxLayout()
        head.setSpacing(SPACING)
        head.addWidget(self.title, 1)
        for button in buttons:
            head.addWidget(button)
        if title or buttons:
            layout.addLayout(head)
        self.title.setVisible(title)
        layout.addWidget(self.records, 1)

    def set_texts(self, *, title: str, accessible: str, empty: str) -> None:
        self.title.setText(title)
        self.view.setAccessibleName(accessible)
        self.records.set_empty_text(empty)


def record_table(name: str, *, stretch: int) -> QTableView:
    """A dense, read-only, single-selection table. Give it its model, then `fit_columns`."""
    view = QTableView()
    view.setObjectName(name)
    dense_table(view)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setProperty("stretch_column", stretch)
    return view


def fit_columns(view: QTableView) -> None:
    """Every column as wide as its widest cell or header, kept so as rows come and go and the
    language changes; the table's stretch column takes the width that is left (and is the one
    cut short when the window is narrow)."""
    header = view.horizontalHeader()
    stretch = view.property("stretch_column")
    header.setStretchLastSection(False)
    header.setMinimumSectionSize(SPACING * 6)
    for column in range(view.model().columnCount()):
        header.setSectionResizeMode(
            column,
            QHeaderView.ResizeMode.Stretch
            if column == stretch
            else QHeaderView.ResizeMode.ResizeToContents,
        )


# ------------------------------------------------------------------------------------- forms


class FieldError(QLabel):
    """The message under a field, hidden while there is none. The field's accessible
    description carries it too, so a screen reader says it with the field."""

    def __init__(self, field: QWidget | None = None) -> None:
        super().__init__()
        self.setObjectName("fieldError")
        self.setWordWrap(True)
        self.hide()
        self._field = field

    def show_error(self, text: str) -> None:
        self.setText(text)
        self.show()
        if self._field is not None:
            self._field.setAccessibleDescription(text)

    def clear_error(self) -> None:
        self.clear()
        self.hide()
        if self._field is not None:
            self._field.setAccessibleDescription("")


class SavedHint(QLabel):
    """The small "Opgeslagen" shown after an edit was saved (there is no Save button)."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("savedHint")
        self.hide()
        self._retranslate()

    def _retranslate(self) -> None:
        self.setText(self.tr("Opgeslagen"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)


class FormGrid(QGridLayout):
    """Captions in the first column, fields in the second, each field's error under it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHorizontalSpacing(MARGIN)
        self.setVerticalSpacing(SPACING // 2)
        self.setColumnStretch(1, 1)

    def add_field(self, field: QWidget, *, top: bool = False) -> tuple[QLabel, FieldError]:
        """A captioned field (the caption's mnemonic focuses it) and its error label."""
        caption = QLabel()
        caption.setBuddy(field)
        error = FieldError(field)
        row = self.rowCount()
        alignment = Qt.AlignmentFlag.AlignTop if top else Qt.AlignmentFlag.AlignVCenter
        self.addWidget(caption, row, 0, alignment)
        self.addWidget(field, row, 1)
        self.addWidget(error, row + 1, 1)
        return caption, error

    def add_wide(self, widget: QWidget) -> None:
        """A widget across both columns (a message, a group, a row of buttons in a widget)."""
        self.addWidget(widget, self.rowCount(), 0, 1, 2)

    def add_beside(self, widget: QWidget) -> None:
        """A widget in the field column without a caption (a check box)."""
        self.addWidget(widget, self.rowCount(), 1)


def scrolled(widget: QWidget) -> QScrollArea:
    """`widget` in a frameless scroll area: a form that fits at 1366x768 and scrolls at 150%."""
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    return area


# ------------------------------------------------------------------------------------ files


def choose_file(parent: QWidget, title: str, filters: Sequence[str]) -> str:
    """Ask for one existing file; "" when the user cancels. Always Qt's own dialog, so its
    buttons and labels speak the UI language through Qt's translation (qtbase_nl)."""
    dialog = QFileDialog(parent, title, "", ";;".join(filters))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    # Qt 6 gave two labels a mnemonic ("&Look in:") that its Dutch catalogue does not know yet;
    # the catalogue has them without one ("Look in:"), so use that rather than English.
    for label, current, older in (
        (QFileDialog.DialogLabel.LookIn, "&Look in:", "Look in:"),
        (QFileDialog.DialogLabel.FileType, "Files of &type:", "Files of type:"),
    ):
        translated = QCoreApplication.translate("QFileDialog", older)
        if QCoreApplication.translate("QFileDialog", current) == current and translated != older:
            dialog.setLabelText(label, translated)
    try:
        if dialog.exec() != QFileDialog.DialogCode.Accepted:
            return ""
        chosen = dialog.selectedFiles()
        return chosen[0] if chosen else ""
    finally:
        dialog.deleteLater()


def confirm(parent: QWidget, *, title: str, text: str, accept: str) -> bool:
    """Ask before something that cannot be undone: `accept` or Annuleren (the default, and
    Esc)."""
    box = QMessageBox(
        QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent
    )
    yes = box.addButton(accept, QMessageBox.ButtonRole.AcceptRole)
    no = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    try:
        box.exec()
        return box.clickedButton() is yes
    finally:
        box.deleteLater()


def sentence_or_split(
    main: QWidget, side: QWidget, *, stretch: tuple[int, int]
) -> tuple[QStackedWidget, QLabel, QSplitter]:
    """A tab's body: a sentence while there is nothing to show (page 0), else `main` with
    `side` beside it in a splitter (page 1), sharing the width as `stretch` says."""
    stack = QStackedWidget()
    sentence = QLabel()
    sentence.setObjectName("muted")
    sentence.setWordWrap(True)
    sentence.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    sentence.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
    stack.addWidget(sentence)
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.setChildrenCollapsible(False)
    splitter.addWidget(main)
    splitter.addWidget(side)
    splitter.setStretchFactor(0, stretch[0])
    splitter.setStretchFactor(1, stretch[1])
    stack.addWidget(splitter)
    return stack, sentence, splitter
