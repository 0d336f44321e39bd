"""The comment threads on one section of an intake, beside that section on the form.

A thread is the team lead's first comment and the answers to it, oldest first, with its state:
"Open", or "Opgelost door t.mulder op 03-12-2026 14:05". Each thread can be answered
(Beantwoorden opens a small text box; Versturen or Ctrl+Enter sends it), resolved or reopened; a
reviewer can start a new thread with "Opmerking plaatsen". The panel only asks: its signals are
passed on by the form, and the screen that holds the form writes.

Redrawing keeps what is being typed in an open text box: a thread's widgets are updated in
place, never rebuilt.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.formatting import moment_text
from app.domain.intake_fields import IntakeSection
from app.domain.review import ReviewComment, Thread
from app.domain.roles import role_label
from app.ui.messages import ui_language
from app.ui.theme import SPACING
from app.ui.widgets import mnemonic, with_key

__all__ = ["SEND_KEYS", "ReplyBox", "ThreadPanel", "ThreadView", "set_caption"]

SEND_KEYS = ("Ctrl+Return", "Ctrl+Enter")
_READABLE = (
    Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
)


def set_caption(button: QPushButton, text: str) -> None:
    """A button's caption with its Alt+letter, named in its tooltip ("Oplossen (Alt+O)")."""
    button.setText(text)
    button.setToolTip(with_key(text, mnemonic(text)))


class ReplyBox(QWidget):
    """A small text box with Versturen (Ctrl+Enter in the box) and Annuleren; hidden until
    asked for. Ctrl+Enter is a shortcut of the box's editor alone, so the boxes of several
    threads never compete for it."""

    sent = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("replyEditor")
        self.editor.setTabChangesFocus(True)
        self.editor.setFixedHeight(self.editor.fontMetrics().lineSpacing() * 4 + 2 * SPACING)
        self.editor.textChanged.connect(self._on_editor_text_changed)
        for key in SEND_KEYS:
            shortcut = QShortcut(QKeySequence(key), self.editor)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self.send)
        self.send_button = QPushButton()
        self.send_button.setObjectName("sendComment")
        self.send_button.clicked.connect(self.send)
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("cancelComment")
        self.cancel_button.clicked.connect(self.close_box)
        buttons = QHBoxLayout()
        buttons.setSpacing(SPACING)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, SPACING // 2, 0, 0)
        layout.setSpacing(SPACING // 2)
        layout.addWidget(self.editor)
        layout.addLayout(buttons)
        self._on_editor_text_changed()
        self.hide()

    def retranslate(self, *, accessible: str, placeholder: str) -> None:
        set_caption(self.send_button, self.tr("&Versturen"))
        set_caption(self.cancel_button, self.tr("&Annuleren"))
        self.editor.setAccessibleName(accessible)
        self.editor.setAccessibleDescription(self.tr("Ctrl+Enter verstuurt"))
        self.editor.setPlaceholderText(
            self.tr("%1 (Ctrl+Enter verstuurt)").replace("%1", placeholder)
        )

    def open_box(self) -> None:
        self.show()
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def close_box(self) -> None:
        self.editor.clear()
        self.hide()

    def _on_editor_text_changed(self) -> None:
        self.send_button.setEnabled(bool(self.editor.toPlainText().strip()))

    def send(self) -> None:
        """Send what is typed (nothing happens while the box is empty or closed)."""
        text = self.editor.toPlainText().strip()
        if not text or self.isHidden():
            return
        self.close_box()
        self.sent.emit(text)


class _CommentView(QWidget):
    """One comment: who, in which role, when; and the text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.header = QLabel()
        self.header.setObjectName("muted")
        self.header.setWordWrap(True)
        self.text = QLabel()
        self.text.setObjectName("commentText")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setTextInteractionFlags(_READABLE)
        self.text.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.header)
        layout.addWidget(self.text)

    def show_comment(self, comment: ReviewComment, *, me: str) -> None:
        author = comment.author
        if me and author == me:
            author = self.tr("%1 (u)").replace("%1", author)
        header = " · ".join(
            (
                author,
                role_label(comment.author_role, ui_language()),
                moment_text(comment.written_at),
            )
        )
        self.header.setText(header)
        self.text.setText(comment.text)
        self.text.setAccessibleName(header)
        self.text.setAccessibleDescription(comment.text)


class ThreadView(QFrame):
    """One thread: its state, its comments, and what can be done with it."""

    answered = Signal(str, str)  # thread id, text
    resolve_clicked = Signal(str)
    reopen_clicked = Signal(str)

    def __init__(self, thread: Thread, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self._thread = thread
        self._me = ""
        self._comments: list[_CommentView] = []
        self.state_label = QLabel()
        self.state_label.setObjectName("threadState")
        self.state_label.setWordWrap(True)
        self._comment_layout = QVBoxLayout()
        self._comment_layout.setSpacing(SPACING)
        self.reply_button = QPushButton()
        self.reply_button.setObjectName("replyComment")
        self.reply_button.clicked.connect(self._on_reply_clicked)
        self.resolve_button = QPushButton()
        self.resolve_button.setObjectName("resolveThread")
        self.resolve_button.clicked.connect(self._on_resolve_clicked)
        self.reopen_button = QPushButton()
        self.reopen_button.setObjectName("reopenThread")
        self.reopen_button.clicked.connect(self._on_reopen_clicked)
        self.reply_box = ReplyBox()
        self.reply_box.sent.connect(self._on_reply_sent)
        buttons = QHBoxLayout()
        buttons.setSpacing(SPACING)
        buttons.addWidget(self.reply_button)
        buttons.addStretch(1)
        buttons.addWidget(self.resolve_button)
        buttons.addWidget(self.reopen_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACING, SPACING, SPACING, SPACING)
        layout.setSpacing(SPACING)
        layout.addWidget(self.state_label)
        layout.addLayout(self._comment_layout)
        layout.addLayout(buttons)
        layout.addWidget(self.reply_box)
        self._can_answer = True
        self._retranslate()
        self.set_thread(thread, me="", can_answer=True)

    @property
    def shown_thread(self) -> Thread:
        return self._thread

    @property
    def thread_id(self) -> str:
        return self._thread.start.id

    def set_thread(self, thread: Thread, *, me: str, can_answer: bool) -> None:
        """Show the thread as it is now; an answer being typed stays."""
        self._thread = thread
        self._me = me
        self._can_answer = can_answer
        comments = thread.comments
        while len(self._comments) > len(comments):
            view = self._comments.pop()
            self._comment_layout.removeWidget(view)
            view.deleteLater()
        while len(self._comments) < len(comments):
            view = _CommentView(self)
            self._comment_layout.addWidget(view)
            view.show()  # a child added to a shown widget is shown only when asked
            self._comments.append(view)
        for view, comment in zip(self._comments, comments, strict=True):
            view.show_comment(comment, me=me)
        self._show_state()

    def _show_state(self) -> None:
        start = self._thread.start
        if self._thread.open:
            state = self.tr("Open")
        else:
            state = (
                self.tr("Opgelost door %1 op %2")
                .replace("%1", start.resolved_by or "")
                .replace("%2", moment_text(start.resolved_at))
            )
        self.state_label.setText(state)
        section = start.section.label(ui_language())
        self.setAccessibleName(
            self.tr("Opmerking bij %1: %2").replace("%1", section).replace("%2", state)
        )
        self.reply_button.setVisible(self._can_answer)
        if not self._can_answer:
            self.reply_box.close_box()
        self.resolve_button.setVisible(self._thread.open)
        self.reopen_button.setVisible(not self._thread.open)

    def _retranslate(self) -> None:
        set_caption(self.reply_button, self.tr("&Beantwoorden"))
        set_caption(self.resolve_button, self.tr("&Oplossen"))
        set_caption(self.reopen_button, self.tr("&Heropenen"))
        self.reply_button.setAccessibleDescription(self.tr("Een antwoord op deze opmerking"))
        self.reply_box.retranslate(
            accessible=self.tr("Antwoord"), placeholder=self.tr("Uw antwoord op deze opmerking")
        )
        self._show_state()
        for view, comment in zip(self._comments, self._thread.comments, strict=False):
            view.show_comment(comment, me=self._me)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _on_reply_clicked(self) -> None:
        self.reply_box.open_box()

    def _on_reply_sent(self, text: str) -> None:
        self.answered.emit(self.thread_id, text)
        self.reply_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_resolve_clicked(self) -> None:
        self.resolve_clicked.emit(self.thread_id)

    def _on_reopen_clicked(self) -> None:
        self.reopen_clicked.emit(self.thread_id)


class ThreadPanel(QWidget):
    """The threads of one section (see the module note)."""

    commentSubmitted = Signal(str, str, str)  # section, thread id ("" = new), text
    resolveRequested = Signal(str)  # thread id
    reopenRequested = Signal(str)  # thread id

    def __init__(
        self,
        section: IntakeSection,
        parent: QWidget | None = None,
        *,
        also: Iterable[IntakeSection] = (),
    ) -> None:
        """The threads of `section`, and of the sections in `also` (the form's panel for the
        whole intake also holds the threads of sections it does not show)."""
        super().__init__(parent)
        self.setObjectName("threadPanel")
        self.section = section
        self._sections = frozenset({section, *also})
        self._views: dict[str, ThreadView] = {}
        self._can_start = False
        self.title = QLabel()
        self.title.setObjectName("threadTitle")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self._thread_layout = QVBoxLayout()
        self._thread_layout.setSpacing(SPACING)
        self.start_button = QPushButton()
        self.start_button.setObjectName("startThread")
        self.start_button.clicked.connect(self.start_thread)
        self.new_box = ReplyBox()
        self.new_box.sent.connect(self._on_new_sent)
        start_row = QHBoxLayout()
        start_row.addWidget(self.start_button)
        start_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING)
        layout.addWidget(self.title)
        layout.addLayout(self._thread_layout)
        layout.addLayout(start_row)
        layout.addWidget(self.new_box)
        self._retranslate()
        self.set_threads((), can_start_threads=False)

    # ------------------------------------------------------------------------------ contents

    def set_threads(
        self,
        threads: Sequence[Thread],
        *,
        can_start_threads: bool,
        can_answer: bool = True,
        me: str = "",
    ) -> None:
        """Show those of these threads that are on this panel's sections, oldest first; a
        thread already shown is updated in place, so an answer being typed in it stays."""
        mine = [t for t in threads if t.section in self._sections]
        wanted = {t.start.id for t in mine}
        for thread_id in [tid for tid in self._views if tid not in wanted]:
            gone = self._views.pop(thread_id)
            self._thread_layout.removeWidget(gone)
            gone.deleteLater()
        for position, thread in enumerate(mine):
            view = self._views.get(thread.start.id)
            if view is None:
                view = ThreadView(thread, self)
                view.answered.connect(self._on_answered)
                view.resolve_clicked.connect(self.resolveRequested)
                view.reopen_clicked.connect(self.reopenRequested)
                self._views[thread.start.id] = view
            self._thread_layout.insertWidget(position, view)
            view.set_thread(thread, me=me, can_answer=can_answer)
            view.show()
        self._can_start = can_start_threads
        self.start_button.setVisible(can_start_threads)
        if not can_start_threads:
            self.new_box.close_box()
        self.title.setVisible(bool(mine) or can_start_threads)

    def forget_drafts(self) -> None:
        """Another intake is shown: a new comment half typed belonged to the one before."""
        self.new_box.close_box()

    @property
    def has_content(self) -> bool:
        """Whether there is anything to show (threads, or the means to start one)."""
        return bool(self._views) or self._can_start

    def thread_ids(self) -> tuple[str, ...]:
        return tuple(self._views)

    def thread_view(self, thread_id: str) -> ThreadView | None:
        return self._views.get(thread_id)

    def start_thread(self) -> None:
        """Open the box for a new comment on this section (a reviewer's "Opmerking plaatsen")."""
        if self._can_start:
            self.new_box.open_box()

    # ------------------------------------------------------------------------------ language

    def _retranslate(self) -> None:
        section = self.section.label(ui_language())
        if self.section is IntakeSection.GENERAL:
            self.title.setText(self.tr("Opmerkingen bij de intake"))
        else:
            self.title.setText(self.tr("Opmerkingen bij %1").replace("%1", section))
        set_caption(self.start_button, self.tr("Opmerking &plaatsen"))
        self.start_button.setAccessibleName(
            self.tr("Opmerking plaatsen bij %1").replace("%1", section)
        )
        self.new_box.retranslate(
            accessible=self.tr("Nieuwe opmerking bij %1").replace("%1", section),
            placeholder=self.tr("Wat moet er aan dit onderdeel veranderen?"),
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------------------------ signals

    def _emit(self, thread_id: str, text: str) -> None:
        self.commentSubmitted.emit(self.section.value, thread_id, text)

    def _on_answered(self, thread_id: str, text: str) -> None:
        self._emit(thread_id, text)

    def _on_new_sent(self, text: str) -> None:
        self._emit("", text)
        self.start_button.setFocus(Qt.FocusReason.OtherFocusReason)
