"""Beoordelen (team leads): the intakes the team submitted, the longest waiting first, and the
review screen of one of them in the same place.

The page is a stack of two: the queue, and the `ReviewScreen` of the intake opened from it
(Enter or a double click on a row). The review screen's "Terug naar de lijst" (Esc) and a
decision bring the queue back; a decision leaves a short message above it. Both read again by
themselves when the change bus reports a change to intakes, rounds, comments or a sync round.

Keyboard: Alt+W goes to the queue, Enter opens the selected intake.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from app.domain.local_time import local_today
from app.services.review import QueueItem
from app.ui.messages import error_text
from app.ui.operations import review as verbs
from app.ui.operations.bus import RedrawOnChange
from app.ui.review.queue_model import NAME, QueueModel
from app.ui.review.review_screen import ReviewScreen
from app.ui.session import Session
from app.ui.theme import MARGIN, SPACING
from app.ui.widgets import FieldError, RecordStack, fit_columns, mnemonic, record_table, with_key


class ReviewQueuePage(QWidget):
    """The queue, or the review screen of one intake of it."""

    # An intake was opened for review (client id, intake id).
    review_requested = Signal(str, str)
    loaded = Signal(int)  # number of intakes in the queue

    def __init__(
        self,
        session: Session,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = local_today,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._today = today
        self.loaded_once = False

        self.model = QueueModel(self)
        self.queue = self._build_queue()
        self.review = ReviewScreen(session, today=today)
        self.review.closed.connect(self.show_queue)
        self.review.decided.connect(self._on_review_decided)
        self.review.unavailable.connect(self._on_review_unavailable)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.queue)
        self.stack.addWidget(self.review)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        self._retranslate()
        self._follow = RedrawOnChange(
            self.queue, session.bus, topics=verbs.REVIEW_TOPICS, redraw=self.refresh_queue
        )

    def _build_queue(self) -> QWidget:
        queue = QWidget()
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.message = QLabel()  # after a decision
        self.message.setObjectName("savedHint")
        self.message.setWordWrap(True)
        self.message.hide()
        self.error_message = FieldError()
        self.list_label = QLabel()
        self.list_label.setObjectName("sectionTitle")
        self.table = record_table("reviewQueue", stretch=NAME)
        self.table.setModel(self.model)
        self.table.setTabKeyNavigation(False)
        self.table.activated.connect(self._on_table_activated)
        fit_columns(self.table)
        self.list_label.setBuddy(self.table)
        self.records = RecordStack(self.table)
        layout = QVBoxLayout(queue)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        layout.setSpacing(SPACING)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addWidget(self.message)
        layout.addWidget(self.error_message)
        layout.addWidget(self.list_label)
        layout.addWidget(self.records, 1)
        return queue

    # --------------------------------------------------------------------------- public API

    def refresh(self) -> None:
        """Read the queue again (and the intake under review, when one is open)."""
        self.refresh_queue()
        if self.stack.currentWidget() is self.review:
            self.review.reload()

    def refresh_queue(self) -> None:
        if not self._session.store.is_open:
            return
        self._follow.mark_fresh()
        verbs.load_queue(parent=self, session=self._session, today=self._today()).success(
            self._on_queue_loaded
        ).failure(self._on_queue_failed).run()

    def focus_first(self) -> None:
        """Where Alt+number puts the keyboard: the queue, or the intake under review."""
        if self.stack.currentWidget() is self.review:
            self.review.focus_first()
        else:
            self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def open_review(self, client_id: str, intake_id: str) -> None:
        """Show the review screen of this intake (from the queue, or from elsewhere)."""
        self.message.hide()
        self.error_message.clear_error()
        self.review.show_intake(client_id, intake_id)
        self.stack.setCurrentWidget(self.review)
        self.review.focus_first()
        self.review_requested.emit(client_id, intake_id)

    def show_queue(self) -> None:
        """Back to the queue, with the keyboard in it."""
        self.stack.setCurrentWidget(self.queue)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def is_reviewing(self) -> bool:
        return self.stack.currentWidget() is self.review

    def current_item(self) -> QueueItem | None:
        index = self.table.currentIndex()
        return self.model.item(index.row()) if index.isValid() else None

    def open_current(self) -> None:
        """Open the selected intake (the first when none is selected)."""
        if self.model.rowCount() == 0:
            return
        if not self.table.currentIndex().isValid():
            self._select_row(0)
        item = self.current_item()
        if item is not None:
            self.open_review(item.client_id, item.intake_id)

    # ------------------------------------------------------------------------------ loading

    def _on_queue_loaded(self, items: tuple[QueueItem, ...]) -> None:
        self.loaded_once = True
        current = self.current_item()
        self.model.set_items(items, today=self._today())
        if items:
            row = self.model.row_of(current.intake_id) if current is not None else -1
            self._select_row(max(row, 0))
        self.loaded.emit(len(items))

    def _on_queue_failed(self, exc: BaseException) -> None:
        self.error_message.show_error(error_text(exc))

    def _select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

    def _on_table_activated(self, index: QModelIndex) -> None:
        item = self.model.item(index.row()) if index.isValid() else None
        if item is not None:
            self.open_review(item.client_id, item.intake_id)

    def _on_review_decided(self, text: str) -> None:
        self.show_queue()
        self.error_message.clear_error()
        self.message.setText(text)
        self.message.show()

    def _on_review_unavailable(self, text: str) -> None:
        self.show_queue()
        self.message.hide()
        self.error_message.show_error(text)
        self.refresh_queue()

    # ----------------------------------------------------------------------------- language

    def _retranslate(self) -> None:
        self.title.setText(self.tr("Beoordelen"))
        self.intro.setText(
            self.tr(
                "Ingediende intakes van uw team, de langst wachtende bovenaan. Open een intake "
                "met Enter of een dubbelklik."
            )
        )
        self.list_label.setText(self.tr("&Wachtende intakes"))
        self.table.setAccessibleName(self.tr("Wachtende intakes"))
        self.table.setToolTip(
            with_key(self.tr("Intake beoordelen"), QKeySequence(Qt.Key.Key_Enter))
            + "\n"
            + with_key(self.tr("Naar de lijst"), mnemonic(self.list_label.text()))
        )
        self.records.set_empty_text(
            self.tr(
                "Er wachten geen intakes op beoordeling. Nieuwe intakes komen binnen bij het "
                "synchroniseren."
            )
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self.model.retranslate()
        super().changeEvent(event)
