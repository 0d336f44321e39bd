"""Vandaag: today's home visits as cards in route order by village, then what is overdue.

Each card opens the client's dossier: a click, or Enter/Space when it has focus (Tab and the arrow
keys move between cards). The data is read on the storage lane.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain.local_time import ZONE
from app.services.today import OverdueItem, TodayView, TodayVisit, today_items
from app.ui.messages import error_text, ui_language
from app.ui.session import Session
from app.ui.theme import MARGIN, SPACING, colours


def local_today() -> date:
    return datetime.now(ZONE).date()


def _label(text: str, object_name: str = "") -> QLabel:
    label = QLabel(text)
    if object_name:
        label.setObjectName(object_name)
    return label


class TodayCard(QFrame):
    """A focusable card that opens a client's dossier."""

    activated = Signal(str)  # client id

    def __init__(self, client_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.client_id = client_id
        self.setObjectName("card")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFrameShape(QFrame.Shape.StyledPanel)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.activated.emit(self.client_id)
            event.accept()
        elif key in (Qt.Key.Key_Down, Qt.Key.Key_Right):
            self.focusNextPrevChild(True)
            event.accept()
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Left):
            self.focusNextPrevChild(False)
            event.accept()
        else:
            super().keyPressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            self.activated.emit(self.client_id)
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        # Let the scroll area bring a card reached by keyboard into view.
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(self, 8, 8)


class TodayPage(QWidget):
    """Today's visits grouped by village in route order, then "Achterstallig"."""

    client_opened = Signal(str)
    loaded = Signal(object)  # TodayView

    # Cards built at once: a widget per card, so thousands (a 5,000-client demo caseload has
    # 1,700 overdue items) took seconds and 180 MiB; the rest come with a button.
    visit_cards = 40
    overdue_cards = 25

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
        self.view: TodayView | None = None

        self.title = _label(self.tr("Vandaag"), "pageTitle")
        self.message = _label("", "fieldError")
        self.message.setWordWrap(True)
        self.message.hide()

        self._content = QWidget()
        self._content_layout = QVBoxLayout(self._content)
        self._content_layout.setContentsMargins(0, 0, SPACING, 0)
        self._content_layout.setSpacing(SPACING)
        self._content_layout.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(self._content)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        layout.setSpacing(SPACING)
        layout.addWidget(self.title)
        layout.addWidget(self.message)
        layout.addWidget(self.scroll_area, 1)

    # ------------------------------------------------------------------------------ loading

    def refresh(self) -> None:
        """Load today's visits and the overdue items on the storage lane."""
        store = self._session.store
        day = self._today()
        caseworker = self._session.username
        language = ui_language()
        self._session.lanes.storage.submit(
            lambda: today_items(store, day, caseworker=caseworker, language=language),
            done=self._on_load_finished,
            failed=self._on_load_failed,
            name="today_items",
            owner=self,
        )

    def _on_load_failed(self, exc: BaseException) -> None:
        self.message.setText(error_text(exc))
        self.message.show()

    def _on_load_finished(self, view: TodayView) -> None:
        self.view = view
        self.message.hide()
        self.title.setText(self.tr("Vandaag, {day}").format(day=view.day.strftime("%d-%m-%Y")))
        self._clear()
        add = self._content_layout.insertWidget
        position = 0

        def put(widget: QWidget) -> None:
            nonlocal position
            add(position, widget)
            widget.show()  # now, not at the next turn of the event loop
            position += 1

        if not view.villages:
            put(self._note(self.tr("Er staan vandaag geen huisbezoeken gepland.")))
        shown_visits = 0
        hidden_visits = 0
        for group in view.villages:
            if shown_visits >= self.visit_cards:
                hidden_visits += len(group.visits)
                continue
            heading = _label(group.village, "sectionTitle")
            heading.setProperty("heading", "village")
            put(heading)
            for visit in group.visits:
                if shown_visits >= self.visit_cards:
                    hidden_visits += 1
                    continue
                put(self._visit_card(visit))
                shown_visits += 1
        if hidden_visits:
            # A day this full is rare; building every card would make the window wait.
            put(
                self._more_button(
                    self.tr("Alle huisbezoeken van vandaag tonen (nog {count})").format(
                        count=hidden_visits
                    ),
                    self._show_all_visits,
                )
            )

        overdue_heading = _label(self.tr("Achterstallig"), "sectionTitle")
        overdue_heading.setProperty("heading", "overdue")
        if view.overdue:
            overdue_heading.setText(
                self.tr("Achterstallig ({count})").format(count=len(view.overdue))
            )
        put(overdue_heading)
        if not view.overdue:
            put(self._note(self.tr("Er is niets achterstallig.")))
        self._overdue_left = list(view.overdue)
        self._overdue_position = position
        self._more_overdue: QPushButton | None = None
        self._add_overdue(self.overdue_cards)
        self._content_layout.activate()
        self.loaded.emit(view)

    def _more_button(self, text: str, action: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName("moreButton")
        button.clicked.connect(action)
        return button

    def _show_all_visits(self) -> None:
        shown, self.visit_cards = self.visit_cards, 10**9
        if self.view is not None:
            self._on_load_finished(self.view)
        self.visit_cards = shown

    def _add_overdue(self, count: int, *, focus: bool = False) -> None:
        """The next `count` overdue cards, then a button for the rest if any are left."""
        layout = self._content_layout
        if self._more_overdue is not None:
            layout.removeWidget(self._more_overdue)
            self._more_overdue.deleteLater()
            self._more_overdue = None
        batch, self._overdue_left = self._overdue_left[:count], self._overdue_left[count:]
        first_new: TodayCard | None = None
        for item in batch:
            card = self._overdue_card(item)
            layout.insertWidget(self._overdue_position, card)
            card.show()
            self._overdue_position += 1
            first_new = first_new or card
        if self._overdue_left:
            self._more_overdue = self._more_button(
                self.tr("Meer achterstallige punten tonen (nog {count})").format(
                    count=len(self._overdue_left)
                ),
                lambda: self._add_overdue(self.overdue_cards, focus=True),
            )
            layout.insertWidget(self._overdue_position, self._more_overdue)
            self._more_overdue.show()
        if focus and first_new is not None:
            first_new.setFocus()  # the keyboard continues where the new cards begin

    def _clear(self) -> None:
        # Everything but the final stretch.
        while self._content_layout.count() > 1:
            item = self._content_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()

    def cards(self) -> list[TodayCard]:
        """The cards in the order shown: today's visits, then the overdue items."""
        found = []
        for i in range(self._content_layout.count()):
            item = self._content_layout.itemAt(i)
            widget = item.widget() if item is not None else None
            if isinstance(widget, TodayCard):
                found.append(widget)
        return found

    @staticmethod
    def _note(text: str) -> QLabel:
        label = _label(text, "muted")
        label.setWordWrap(True)
        return label

    # ------------------------------------------------------------------------------- cards

    def _card(self, client_id: str) -> tuple[TodayCard, QVBoxLayout]:
        card = TodayCard(client_id)
        card.activated.connect(self.client_opened)
        body = QVBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(SPACING // 2)
        return card, body

    def _visit_card(self, visit: TodayVisit) -> TodayCard:
        card, body = self._card(visit.client_id)
        time_text = visit.planned_at.strftime("%H:%M")
        top = QHBoxLayout()
        top.setSpacing(SPACING)
        top.addWidget(_label(time_text, "cardTitle"))
        top.addWidget(QLabel(visit.purpose_label))
        top.addStretch(1)
        if visit.status != "planned":
            status = _label(visit.status_label, "muted")
            top.addWidget(status)
        body.addLayout(top)
        body.addWidget(_label(visit.client_name, "cardTitle"))
        address = f"{visit.street_line}, {visit.postcode} {visit.village}"
        body.addWidget(QLabel(address))
        outer = QHBoxLayout(card)
        outer.setContentsMargins(SPACING, SPACING, SPACING, SPACING)
        outer.addLayout(body, 1)
        card.setAccessibleName(
            f"{time_text}, {visit.client_name}, {address}, {visit.purpose_label}"
        )
        card.setAccessibleDescription(self.tr("Enter opent het dossier"))
        card.setToolTip(self.tr("Dossier openen"))
        return card

    def _overdue_card(self, item: OverdueItem) -> TodayCard:
        card, body = self._card(item.client_id)
        card.setProperty("overdue", True)
        marker = QFrame()
        marker.setObjectName("overdueMarker")
        marker.setStyleSheet(
            f"QFrame#overdueMarker {{ background: {colours().overdue}; border: none; "
            "border-radius: 2px; }"
        )
        marker.setFixedWidth(4)
        title = _label(item.title, "overdue")
        body.addWidget(title)
        body.addWidget(QLabel(f"{item.client_name}, {item.village}"))
        detail = QLabel(item.detail)
        detail.setWordWrap(True)
        body.addWidget(detail)
        since = item.since.strftime("%d-%m-%Y")
        if item.days_overdue == 1:
            late = self.tr("Sinds {since}, 1 dag").format(since=since)
        else:
            late = self.tr("Sinds {since}, {days} dagen").format(
                since=since, days=item.days_overdue
            )
        late_label = _label(late, "overdue")
        body.addWidget(late_label)
        outer = QHBoxLayout(card)
        outer.setContentsMargins(SPACING, SPACING, SPACING, SPACING)
        outer.setSpacing(SPACING)
        outer.addWidget(marker)
        outer.addLayout(body, 1)
        card.setAccessibleName(
            self.tr("Achterstallig: {title}, {client}, {detail}, {late}").format(
                title=item.title, client=item.client_name, detail=item.detail, late=late
            )
        )
        card.setAccessibleDescription(self.tr("Enter opent het dossier"))
        card.setToolTip(self.tr("Dossier openen"))
        return card
