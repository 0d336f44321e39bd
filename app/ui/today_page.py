"""Vandaag: today's home visits as cards in route order by village, then what is overdue.

Overdue items are grouped by kind (visits not recorded, plan actions past their date, statutory
terms of intakes, intakes returned), each group with its count: the oldest few are shown, the
rest are one click away ("Toon alle N", in batches), so a long backlog never becomes an endless
list. A statutory term that is only due soon (not past its day) is listed, but not in red.

Each card opens the place where it is dealt with: `client_opened(client_id, tab)` names the
dossier tab (`TAB_VISITS`, `TAB_PLAN`, `TAB_INTAKE`). A click opens it, or Enter/Space when the
card has focus (Tab and the arrow keys move between cards). The page reads its data through the
today verbs and redraws itself when a change on the bus concerns it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain.formatting import date_text, time_text
from app.domain.local_time import local_today
from app.services.today import OverdueItem, TodayView, TodayVisit
from app.ui.messages import error_text, ui_language
from app.ui.operations import today as verbs
from app.ui.operations.bus import RedrawOnChange
from app.ui.session import Session
from app.ui.theme import MARGIN, SPACING, colours
from app.ui.widgets import with_key

# The dossier tabs a card can open (main_window maps them onto the dossier's tabs).
TAB_VISITS = "visits"
TAB_PLAN = "plan"
TAB_INTAKE = "intake"

# Overdue kinds in the order their groups are shown, and where each is dealt with.
OVERDUE_KINDS: tuple[str, ...] = (
    "visit",
    "plan_action",
    "plan_evaluation",
    "statutory_term",
    "intake_returned",
)
_TAB_OF_KIND = {
    "visit": TAB_VISITS,
    "plan_action": TAB_PLAN,
    "plan_evaluation": TAB_PLAN,
    "statutory_term": TAB_INTAKE,
    "intake_returned": TAB_INTAKE,
}


def _label(text: str, object_name: str = "") -> QLabel:
    label = QLabel(text)
    if object_name:
        label.setObjectName(object_name)
    return label


class TodayCard(QFrame):
    """A focusable card that opens a client's dossier at the tab where the item is dealt with."""

    activated = Signal(str, str)  # client id, dossier tab

    def __init__(self, client_id: str, tab: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.client_id = client_id
        self.tab = tab
        self.setObjectName("card")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFrameShape(QFrame.Shape.StyledPanel)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.activated.emit(self.client_id, self.tab)
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
            self.activated.emit(self.client_id, self.tab)
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
    """Today's visits grouped by village in route order, then "Achterstallig" by kind."""

    client_opened = Signal(str, str)  # client id, dossier tab (TAB_*)
    loaded = Signal(object)  # TodayView

    # Cards built at once: a widget per card, so thousands took seconds and much memory.
    visit_cards = 40
    # Overdue cards per group before "Toon alle", and per batch after it.
    group_preview = 3
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
        self._all_visits = False
        self._shown: dict[str, int] = {}  # overdue cards shown per kind once expanded

        self.title = _label("", "pageTitle")
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

        self._follow = RedrawOnChange(
            self, session.bus, topics=verbs.TODAY_ENTITIES, redraw=self.refresh
        )
        self._retranslate()

    # ------------------------------------------------------------------------------ loading

    def refresh(self) -> None:
        """Read today's visits and the overdue items again."""
        if not self._session.store.is_open:
            return
        self._follow.mark_fresh()
        verbs.load_today(
            parent=self, session=self._session, day=self._today(), language=ui_language()
        ).success(self._on_load_finished).failure(self._on_load_failed).run()

    def _on_load_failed(self, exc: BaseException) -> None:
        self.message.setText(error_text(exc))
        self.message.show()

    def _on_load_finished(self, view: TodayView) -> None:
        self.view = view
        self.message.hide()
        self._render()
        self.loaded.emit(view)

    # ------------------------------------------------------------------------------ language

    def _retranslate(self) -> None:
        if self.view is not None:
            self.title.setText(self.tr("Vandaag, {day}").format(day=date_text(self.view.day)))
        else:
            self.title.setText(self.tr("Vandaag"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            if self.view is not None:
                self._render()  # our own words now; the service's labels with the reload
                self.refresh()
        super().changeEvent(event)

    # ------------------------------------------------------------------------------ drawing

    def _render(self, focus: tuple[str, int] | None = None) -> None:
        """Build the cards from `self.view`; `focus` = (kind, index): the card to focus after."""
        view = self.view
        if view is None:
            return
        self._retranslate()
        self._clear()
        layout = self._content_layout
        position = 0
        focus_widget: QWidget | None = None

        def put(widget: QWidget) -> None:
            nonlocal position
            layout.insertWidget(position, widget)
            widget.show()  # now, not at the next turn of the event loop
            position += 1

        if not view.villages:
            put(
                self._note(
                    self.tr(
                        "Er staan vandaag geen huisbezoeken gepland. Een bezoek plant u in het "
                        "dossier van de cliënt, op het tabblad Bezoeken."
                    )
                )
            )
        shown_visits = 0
        hidden_visits = 0
        limit = 10**9 if self._all_visits else self.visit_cards
        for group in view.villages:
            if shown_visits >= limit:
                hidden_visits += len(group.visits)
                continue
            heading = _label(group.village, "sectionTitle")
            heading.setProperty("heading", "village")
            put(heading)
            for visit in group.visits:
                if shown_visits >= limit:
                    hidden_visits += 1
                    continue
                put(self._visit_card(visit))
                shown_visits += 1
        if hidden_visits:
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
            # Everything listed under it, terms only due soon included (they show as such).
            overdue_heading.setText(
                self.tr("Achterstallig ({count})").format(count=len(view.overdue))
            )
        put(overdue_heading)
        if not view.overdue:
            put(self._note(self.tr("Er is niets achterstallig.")))
        for kind in OVERDUE_KINDS:
            items = [item for item in view.overdue if item.kind == kind]
            if not items:
                continue
            heading = _label(self._group_title(kind, len(items)), "groupTitle")
            bold = heading.font()
            bold.setBold(True)
            heading.setFont(bold)
            heading.setProperty("heading", "overdue_group")
            heading.setProperty("kind", kind)
            put(heading)
            shown = self._shown.get(kind, self.group_preview)
            for index, item in enumerate(items[:shown]):
                card = self._overdue_card(item)
                put(card)
                if focus == (kind, index):
                    focus_widget = card
            left = len(items) - shown
            if left > 0:
                if shown <= self.group_preview and len(items) <= self._next_batch(shown):
                    text = self.tr("Toon alle {count}").format(count=len(items))
                else:
                    text = self.tr("Meer tonen (nog {count})").format(count=left)
                more = self._more_button(text, lambda _=False, k=kind, n=shown: self._expand(k, n))
                more.setProperty("kind", kind)
                put(more)
            if shown > self.group_preview:
                less = self._more_button(
                    self.tr("Minder tonen"), lambda _=False, k=kind: self._collapse(k)
                )
                less.setObjectName("lessButton")
                less.setProperty("kind", kind)
                put(less)
                if focus == (kind, -1):
                    focus_widget = less
        layout.activate()
        if focus_widget is not None:
            focus_widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def _group_title(self, kind: str, count: int) -> str:
        if kind == "visit":
            return self.tr("Huisbezoeken niet vastgelegd ({count})").format(count=count)
        if kind == "plan_action":
            return self.tr("Acties uit het plan van aanpak over datum ({count})").format(
                count=count
            )
        if kind == "plan_evaluation":
            return self.tr("Evaluaties plan van aanpak ({count})").format(count=count)
        if kind == "statutory_term":
            return self.tr("Wettelijke termijnen ({count})").format(count=count)
        return self.tr("Intakes teruggestuurd ({count})").format(count=count)

    def _next_batch(self, shown: int) -> int:
        """How many cards of a group show after its button: a batch, never the whole backlog."""
        if shown <= self.group_preview:
            return max(self.overdue_cards, shown + 1)
        return shown + self.overdue_cards

    def _expand(self, kind: str, shown: int) -> None:
        """One more batch of a group; the keyboard goes on at the first new card."""
        self._shown[kind] = self._next_batch(shown)
        self._render(focus=(kind, shown))

    def _collapse(self, kind: str) -> None:
        self._shown.pop(kind, None)
        self._render(focus=(kind, 0))

    def _show_all_visits(self) -> None:
        self._all_visits = True
        self._render()

    def _more_button(self, text: str, action: Callable[..., None]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName("moreButton")
        button.setToolTip(with_key(text, QKeySequence(Qt.Key.Key_Space)))
        button.clicked.connect(action)
        return button

    def _clear(self) -> None:
        # Everything but the final stretch.
        while self._content_layout.count() > 1:
            item = self._content_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()

    def _widgets(self) -> list[QWidget]:
        found = []
        for i in range(self._content_layout.count()):
            item = self._content_layout.itemAt(i)
            widget = item.widget() if item is not None else None
            if widget is not None:
                found.append(widget)
        return found

    def cards(self) -> list[TodayCard]:
        """The cards in the order shown: today's visits, then the overdue items."""
        return [w for w in self._widgets() if isinstance(w, TodayCard)]

    def group_headings(self) -> list[QLabel]:
        """The headings of the overdue groups, in the order shown."""
        return [
            w
            for w in self._widgets()
            if isinstance(w, QLabel) and w.property("heading") == "overdue_group"
        ]

    def group_buttons(self, kind: str) -> list[QPushButton]:
        """The "Toon alle" / "Meer tonen" / "Minder tonen" buttons of a group."""
        return [
            w for w in self._widgets() if isinstance(w, QPushButton) and w.property("kind") == kind
        ]

    def focus_first_card(self) -> None:
        cards = self.cards()
        if cards:
            cards[0].setFocus(Qt.FocusReason.ShortcutFocusReason)

    @staticmethod
    def _note(text: str) -> QLabel:
        label = _label(text, "muted")
        label.setWordWrap(True)
        return label

    # ------------------------------------------------------------------------------- cards

    def _card(self, client_id: str, tab: str) -> tuple[TodayCard, QVBoxLayout]:
        card = TodayCard(client_id, tab)
        card.activated.connect(self.client_opened)
        body = QVBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(SPACING // 2)
        return card, body

    def _open_hint(self, tab: str) -> str:
        if tab == TAB_PLAN:
            return self.tr("Plan van aanpak openen")
        if tab == TAB_INTAKE:
            return self.tr("Intake openen")
        return self.tr("Bezoeken in het dossier openen")

    def _finish_card(self, card: TodayCard, accessible: str) -> None:
        hint = self._open_hint(card.tab)
        card.setAccessibleName(accessible)
        card.setAccessibleDescription(with_key(hint, QKeySequence(Qt.Key.Key_Enter)))
        card.setToolTip(with_key(hint, QKeySequence(Qt.Key.Key_Enter)))

    def _visit_card(self, visit: TodayVisit) -> TodayCard:
        card, body = self._card(visit.client_id, TAB_VISITS)
        when = time_text(visit.planned_at)
        top = QHBoxLayout()
        top.setSpacing(SPACING)
        top.addWidget(_label(when, "cardTitle"))
        top.addWidget(QLabel(visit.purpose_label))
        top.addStretch(1)
        if visit.status != "planned":
            top.addWidget(_label(visit.status_label, "muted"))
        body.addLayout(top)
        body.addWidget(_label(visit.client_name, "cardTitle"))
        address = f"{visit.street_line}, {visit.postcode} {visit.village}"
        body.addWidget(QLabel(address))
        outer = QHBoxLayout(card)
        outer.setContentsMargins(SPACING, SPACING, SPACING, SPACING)
        outer.addLayout(body, 1)
        self._finish_card(card, f"{when}, {visit.client_name}, {address}, {visit.purpose_label}")
        return card

    def _overdue_card(self, item: OverdueItem) -> TodayCard:
        card, body = self._card(item.client_id, _TAB_OF_KIND.get(item.kind, TAB_VISITS))
        card.setProperty("overdue", True)
        card.setProperty("kind", item.kind)
        card.setProperty("due_soon", item.due_soon)
        # Red only for what is overdue; a term due soon is marked in the accent colour.
        marker = QFrame()
        marker.setObjectName("overdueMarker")
        marker.setStyleSheet(
            "QFrame#overdueMarker { "
            f"background: {colours().accent if item.due_soon else colours().overdue}; "
            "border: none; border-radius: 2px; }"
        )
        marker.setFixedWidth(4)
        body.addWidget(_label(item.title, "cardTitle" if item.due_soon else "overdue"))
        body.addWidget(QLabel(f"{item.client_name}, {item.village}"))
        detail = QLabel(item.detail)
        detail.setWordWrap(True)
        body.addWidget(detail)
        since = date_text(item.since)
        if item.due_soon and item.kind == "plan_evaluation":
            late = self.tr("Gepland op {due}").format(due=since)
        elif item.due_soon:
            late = self.tr("Loopt af op {due}").format(due=since)
        elif item.days_overdue == 1:
            late = self.tr("Sinds {since}, 1 dag").format(since=since)
        else:
            late = self.tr("Sinds {since}, {days} dagen").format(
                since=since, days=item.days_overdue
            )
        body.addWidget(_label(late, "muted" if item.due_soon else "overdue"))
        outer = QHBoxLayout(card)
        outer.setContentsMargins(SPACING, SPACING, SPACING, SPACING)
        outer.setSpacing(SPACING)
        outer.addWidget(marker)
        outer.addLayout(body, 1)
        self._finish_card(
            card,
            (
                self.tr("Binnenkort: {title}, {client}, {detail}, {late}")
                if item.due_soon
                else self.tr("Achterstallig: {title}, {client}, {detail}, {late}")
            ).format(title=item.title, client=item.client_name, detail=item.detail, late=late),
        )
        return card
