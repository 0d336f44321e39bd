"""The review screen of one submitted intake (Beoordelen, team leads).

On top who and what: the client, the caseworker, the round, when it was submitted, how long it
waits and the statutory terms. Below it the intake form, read-only, with the answers that
changed since the last decided round highlighted and the comment threads beside their sections;
the team lead starts a thread on a section, answers, resolves or reopens one there. Beside the
form: what changed since that round (choosing an entry puts the form on the field), the radar
chart against the previous approved intake, and every round with its decision.

Goedkeuren (Ctrl+Shift+G) waits until no thread is open; Terugsturen (Ctrl+Shift+T) needs an
open thread that says what must change. Both ask first. "Terug naar de lijst" is Esc.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.clocks import ClockState, describe, due_text
from app.domain.formatting import date_text, moment_text
from app.domain.intake import Intake
from app.domain.intake_fields import IntakeSection
from app.domain.local_time import local_today
from app.domain.states import IntakeStatus
from app.services.clocks import clocks_of
from app.services.intake import IntakeView
from app.ui.intake.form import IntakeForm
from app.ui.intake.radar_chart import RadarChart
from app.ui.messages import error_text, ui_language
from app.ui.operations import intake as intake_verbs
from app.ui.operations import review as verbs
from app.ui.operations.bus import RedrawOnChange
from app.ui.review.rounds import ChangesList, RoundsTable
from app.ui.session import Session
from app.ui.theme import MARGIN, SPACING
from app.ui.widgets import (
    ActionButton,
    FieldError,
    ScreenAction,
    confirm,
    restore_focus,
    scrolled,
    with_key,
)

APPROVE_KEY = "Ctrl+Shift+G"
RETURN_KEY = "Ctrl+Shift+T"
# The side panel's narrowest: the radar chart's minimum and a scroll bar; and its share of the
# width, up to its widest, until the user drags the splitter.
SIDE_MIN_WIDTH = 280
SIDE_SHARE = 0.36
SIDE_MAX_WIDTH = 440
# The form's narrowest before it is built (its rows: caption, score and remark).
FORM_MIN_WIDTH = 560


def _restyle(label: QLabel, object_name: str) -> None:
    if label.objectName() != object_name:
        label.setObjectName(object_name)
        label.style().unpolish(label)
        label.style().polish(label)


class ReviewScreen(QWidget):
    """One submitted intake under review; `show_intake` chooses it."""

    closed = Signal()  # Terug naar de lijst
    decided = Signal(str)  # approved or returned: the message for the queue
    unavailable = Signal(str)  # the intake cannot be shown (gone from this device)
    loaded = Signal()  # the intake is on screen

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
        self._client_id = ""
        self._intake_id = ""
        self._view: IntakeView | None = None
        self._busy = False

        self._make_actions()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        layout.setSpacing(SPACING)
        layout.addLayout(self._build_header())
        layout.addWidget(self._build_body(), 1)
        self.error_message = FieldError()
        layout.addWidget(self.error_message)
        layout.addLayout(self._build_buttons())

        self._retranslate()
        self._follow = RedrawOnChange(
            self, session.bus, topics=verbs.REVIEW_TOPICS, redraw=self.reload
        )

    # ------------------------------------------------------------------------------ building

    def _make_actions(self) -> None:
        self.approve_action = ScreenAction(
            self, self.approve, shortcut=APPROVE_KEY, object_name="approveIntakeAction"
        )
        self.return_action = ScreenAction(
            self, self.return_for_changes, shortcut=RETURN_KEY, object_name="returnIntakeAction"
        )
        self.back_action = ScreenAction(
            self,
            self.closed.emit,
            shortcut=QKeySequence(Qt.Key.Key_Escape),
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
            object_name="backToQueueAction",
        )

    def _build_header(self) -> QVBoxLayout:
        self.name_label = QLabel()
        self.name_label.setObjectName("pageTitle")
        self.name_label.setWordWrap(True)
        self.details_label = QLabel()
        self.details_label.setWordWrap(True)
        self.clock_label = QLabel()
        self.clock_label.setObjectName("muted")
        self.clock_label.setWordWrap(True)
        header = QVBoxLayout()
        header.setSpacing(SPACING // 2)
        header.addWidget(self.name_label)
        header.addWidget(self.details_label)
        header.addWidget(self.clock_label)
        return header

    def _build_body(self) -> QStackedWidget:
        """The form beside the side panel (a splitter) where the screen is wide enough for
        both, else the two as tabs (at 150% on a 1366x768 laptop)."""
        self.form = IntakeForm()
        self.form.commentSubmitted.connect(self._on_form_comment_submitted)
        self.form.resolveRequested.connect(self._on_form_resolve_requested)
        self.form.reopenRequested.connect(self._on_form_reopen_requested)
        self.side = scrolled(self._build_side())
        self.side.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.side.setMinimumWidth(SIDE_MIN_WIDTH)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.form)
        self.splitter.addWidget(self.side)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.splitterMoved.connect(self._on_splitter_moved)
        self._split_by_user = False
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.body = QStackedWidget()
        self.body.addWidget(self.splitter)
        self.body.addWidget(self.tabs)
        return self.body

    def _build_side(self) -> QWidget:
        """What changed, the radar chart and the rounds, one under the other."""
        self.changes = ChangesList()
        self.changes.field_chosen.connect(self._on_changes_field_chosen)
        self.radar_title = QLabel()
        self.radar_title.setObjectName("sectionTitle")
        self.radar = RadarChart()
        self.rounds_title = QLabel()
        self.rounds_title.setObjectName("sectionTitle")
        self.rounds = RoundsTable()
        self.rounds_title.setBuddy(self.rounds)
        side = QWidget()
        layout = QVBoxLayout(side)
        layout.setContentsMargins(0, 0, SPACING, 0)
        layout.setSpacing(SPACING)
        layout.addWidget(self.changes)
        layout.addWidget(self.radar_title)
        layout.addWidget(self.radar)
        layout.addWidget(self.rounds_title)
        layout.addWidget(self.rounds)
        layout.addStretch(1)
        return side

    def _build_buttons(self) -> QHBoxLayout:
        self.back_button = ActionButton(self.back_action, "backToQueue")
        self.return_button = ActionButton(self.return_action, "returnIntake")
        self.approve_button = ActionButton(self.approve_action, "primary")
        buttons = QHBoxLayout()
        buttons.setSpacing(SPACING)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.return_button)
        buttons.addWidget(self.approve_button)
        return buttons

    # --------------------------------------------------------------------------- public API

    @property
    def view(self) -> IntakeView | None:
        return self._view

    @property
    def intake_id(self) -> str:
        return self._intake_id

    def show_intake(self, client_id: str, intake_id: str) -> None:
        """Read and show this intake (what was shown before is cleared at once)."""
        self._client_id, self._intake_id = client_id, intake_id
        self._view = None
        self._busy = False
        self.error_message.clear_error()
        self.name_label.clear()
        self.details_label.clear()
        self.clock_label.clear()
        self._update_actions()
        self.reload()

    def reload(self) -> None:
        """Read the intake under review again (a comment, a sync round)."""
        if not self._intake_id or not self._session.store.is_open:
            return
        self._follow.mark_fresh()
        intake_verbs.load_intake(
            parent=self,
            session=self._session,
            client_id=self._client_id,
            intake_id=self._intake_id,
            today=self._today(),
            key="review_intake",
        ).success(self._on_intake_loaded).failure(self._on_intake_failed).run()

    def focus_first(self) -> None:
        """The keyboard to the list of changes when there is one, else into the form."""
        if self.changes.isVisible() and self.changes.list.count():
            self.changes.list.setFocus(Qt.FocusReason.OtherFocusReason)
        elif not any(self.form.focus_field(name) for name in self.form.fields_shown()[:1]):
            self.back_button.setFocus(Qt.FocusReason.OtherFocusReason)

    # ------------------------------------------------------------------------------ showing

    def _on_intake_loaded(self, view: IntakeView) -> None:
        intake = view.intake
        if intake is None or intake.id != self._intake_id:
            self.unavailable.emit(self.tr("Deze intake staat niet (meer) op dit apparaat."))
            return
        self._view = view
        self._show_header(view)
        changed = view.changed_since_last_round()
        self.form.set_view(
            view,
            read_only=True,
            highlighted=frozenset(changed),
            can_start_threads=True,
            me=self._session.username,
        )
        last = view.last_decided_round()
        self.changes.set_changes(
            last.number if last is not None else None,
            changed,
            last.content if last is not None else {},
            intake.content(),
        )
        self._show_radar(view)
        self.rounds.set_rounds(view.rounds)
        self._update_actions()
        self._arrange()  # the form's width is known now it is built
        self.loaded.emit()

    def _on_intake_failed(self, exc: BaseException) -> None:
        self.unavailable.emit(error_text(exc))

    def _show_header(self, view: IntakeView) -> None:
        intake = view.intake
        assert intake is not None
        self.name_label.setText(view.client.name.display())
        parts = [
            self.tr("Klantmanager %1").replace("%1", intake.caseworker),
            self.tr("Ronde %1").replace("%1", str(intake.round)),
        ]
        if intake.submitted_at is not None:
            parts.append(self.tr("Ingediend %1").replace("%1", moment_text(intake.submitted_at)))
            # Counted as the queue counts it (app.services.review), so both say the same.
            submitted = intake.submitted_at.astimezone(UTC).date()
            parts.append(self._waiting_text(view.today, submitted))
        self.details_label.setText(" · ".join(parts))
        language = ui_language()
        clocks = clocks_of(intake)
        if not clocks:
            self.clock_label.setText(self.tr("Geen wettelijke termijn"))
            _restyle(self.clock_label, "muted")
            return
        self.clock_label.setText(
            " · ".join(
                f"{describe(c, view.today, language)} ({due_text(c, language)})" for c in clocks
            )
        )
        overdue = any(c.state(view.today) is ClockState.OVERDUE for c in clocks)
        _restyle(self.clock_label, "overdue" if overdue else "muted")

    def _waiting_text(self, today: date, submitted: date) -> str:
        days = max(0, (today - submitted).days)
        if days == 1:
            return self.tr("wacht 1 dag")
        return self.tr("wacht %1 dagen").replace("%1", str(days))

    def _show_radar(self, view: IntakeView) -> None:
        """This intake's scores against those of the previous approved intake."""
        intake = view.intake
        assert intake is not None
        language = ui_language()
        domains = intake.domains()

        def scores(of: Intake) -> list[int | None]:
            return [
                found.score if (found := of.scores.get(d.key)) is not None else None
                for d in domains
            ]

        previous = view.previous
        self.radar.set_data(
            labels=[d.text(language) for d in domains],
            current=scores(intake),
            previous=scores(previous) if previous is not None else None,
            current_caption=self.tr("Deze intake (%1)").replace(
                "%1", date_text(intake.submitted_at)
            ),
            previous_caption=(
                self.tr("Vorige goedgekeurde intake (%1)").replace(
                    "%1", date_text(previous.reviewed_at or previous.submitted_at)
                )
                if previous is not None
                else ""
            ),
        )

    # ------------------------------------------------------------------------------ actions

    def _blocked_reason(self) -> tuple[str, str]:
        """Why Goedkeuren and Terugsturen cannot be chosen now ("" when they can)."""
        view = self._view
        if view is None or view.intake is None:
            return "", ""
        intake = view.intake
        if intake.status is not IntakeStatus.SUBMITTED:
            gone = self.tr("Deze intake wacht niet meer op beoordeling.")
            return gone, gone
        if intake.caseworker == self._session.username:
            own = self.tr("U kunt uw eigen intake niet beoordelen.")
            return own, own
        approve = (
            self.tr("Los eerst de open opmerkingen op of stuur de intake terug")
            if view.open_threads
            else ""
        )
        send_back = (
            ""
            if view.open_threads
            else self.tr("Plaats eerst een opmerking bij het onderdeel dat moet veranderen")
        )
        return approve, send_back

    def _update_actions(self) -> None:
        approve_reason, return_reason = self._blocked_reason()
        ready = self._view is not None and not self._busy
        for action, reason in (
            (self.approve_action, approve_reason),
            (self.return_action, return_reason),
        ):
            action.setEnabled(ready and not reason)
            tip = with_key(action.text(), action.key())
            action.setToolTip(f"{tip}\n{reason}" if reason else tip)

    def approve(self) -> None:
        """Goedkeuren, after asking."""
        view = self._view
        if view is None or self._busy or not self.approve_action.isEnabled():
            return
        if not confirm(
            self.window(),
            title=self.tr("Intake goedkeuren"),
            text=self.tr(
                "De intake van %1 (ronde %2) goedkeuren? Daarna kan hij niet meer worden gewijzigd."
            )
            .replace("%1", view.client.name.display())
            .replace("%2", str(view.intake.round if view.intake else "")),
            accept=self.tr("Goedkeuren"),
        ):
            return
        self._decide(approve=True)

    def return_for_changes(self) -> None:
        """Terugsturen with the open threads, after asking."""
        view = self._view
        if view is None or self._busy or not self.return_action.isEnabled():
            return
        if not confirm(
            self.window(),
            title=self.tr("Intake terugsturen"),
            text=self._count_text(
                view.open_threads,
                self.tr("De intake van %1 terugsturen met 1 open opmerking?"),
                self.tr("De intake van %1 terugsturen met %2 open opmerkingen?"),
            ).replace("%1", view.client.name.display()),
            accept=self.tr("Terugsturen"),
        ):
            return
        self._decide(approve=False)

    @staticmethod
    def _count_text(count: int, one: str, many: str) -> str:
        return one if count == 1 else many.replace("%2", str(count))

    def _decide(self, *, approve: bool) -> None:
        view = self._view
        if view is None:
            return
        comments = view.open_threads
        self._busy = True
        self._update_actions()
        verb = verbs.approve_intake if approve else verbs.return_intake
        verb(
            parent=self,
            session=self._session,
            intake_id=self._intake_id,
            client_id=self._client_id,
        ).success(lambda _intake: self._on_decided(approve, comments)).failure(
            self._on_decision_failed
        ).run()

    def _on_decided(self, approved: bool, comments: int) -> None:
        self._busy = False
        self._intake_id = ""
        if approved:
            text = self.tr("Goedgekeurd. De klantmanager ziet het na de volgende synchronisatie.")
        else:
            text = self._count_text(
                comments,
                self.tr(
                    "Teruggestuurd met 1 opmerking. De klantmanager ziet die na de volgende "
                    "synchronisatie."
                ),
                self.tr(
                    "Teruggestuurd met %2 opmerkingen. De klantmanager ziet ze na de volgende "
                    "synchronisatie."
                ),
            )
        self.decided.emit(text)

    def _on_decision_failed(self, exc: BaseException) -> None:
        self._busy = False
        self._show_error(exc)
        self._update_actions()
        restore_focus(self.back_button)
        self.reload()

    def _show_error(self, exc: BaseException) -> None:
        self.error_message.show_error(error_text(exc))

    # ----------------------------------------------------------------------------- comments

    def _on_form_comment_submitted(self, section: str, thread_id: str, text: str) -> None:
        if not self._intake_id:
            return
        try:
            part = IntakeSection(section)
        except ValueError:
            return
        self.error_message.clear_error()
        intake_verbs.add_comment(
            parent=self,
            session=self._session,
            intake_id=self._intake_id,
            client_id=self._client_id,
            section=part,
            text=text,
            thread_id=thread_id or None,
        ).failure(self._show_error).run()

    def _on_form_resolve_requested(self, thread_id: str) -> None:
        self.error_message.clear_error()
        intake_verbs.resolve_thread(
            parent=self, session=self._session, thread_id=thread_id, client_id=self._client_id
        ).failure(self._show_error).run()

    def _on_form_reopen_requested(self, thread_id: str) -> None:
        self.error_message.clear_error()
        intake_verbs.reopen_thread(
            parent=self, session=self._session, thread_id=thread_id, client_id=self._client_id
        ).failure(self._show_error).run()

    def _on_changes_field_chosen(self, name: str) -> None:
        if not self.side_by_side:
            self.tabs.setCurrentWidget(self.form)
        self.form.focus_field(name)

    # ------------------------------------------------------------------------------- layout

    def _on_splitter_moved(self, _position: int, _index: int) -> None:
        self._split_by_user = True

    @property
    def side_by_side(self) -> bool:
        """Whether the form and the side panel stand beside each other (else they are tabs)."""
        return self.body.currentWidget() is self.splitter

    def _needed_width(self) -> int:
        """The width at which the form's rows fit beside the side panel."""
        content = self.form.scroll_area.widget()
        form = content.minimumSizeHint().width() if content is not None else 0
        scrollbar = self.form.scroll_area.verticalScrollBar().sizeHint().width()
        form = max(form, FORM_MIN_WIDTH) + scrollbar
        return form + self.splitter.handleWidth() + SIDE_MIN_WIDTH

    def _arrange(self) -> None:
        wide = self.body.width() >= self._needed_width()
        if wide and not self.side_by_side:
            self.tabs.clear()
            self.splitter.insertWidget(0, self.form)
            self.splitter.insertWidget(1, self.side)
            # The tab widget hid the page that was not current; a splitter leaves a widget as
            # hidden as it came, so both are shown again here.
            self.form.show()
            self.side.show()
            self.body.setCurrentWidget(self.splitter)
        elif not wide and (self.side_by_side or self.tabs.count() == 0):
            self.tabs.addTab(self.form, "")
            self.tabs.addTab(self.side, "")
            self.body.setCurrentWidget(self.tabs)
            self._retranslate_tabs()
        if self.side_by_side and not self._split_by_user:
            width = self.splitter.width() - self.splitter.handleWidth()
            side = min(max(round(width * SIDE_SHARE), SIDE_MIN_WIDTH), SIDE_MAX_WIDTH)
            self.splitter.setSizes([max(width - side, 0), side])

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange()

    # ----------------------------------------------------------------------------- language

    def _retranslate(self) -> None:
        self.approve_action.set_caption(self.tr("Goedkeuren"))
        self.return_action.set_caption(self.tr("Terugsturen"))
        self.back_action.set_caption(self.tr("Terug naar de lijst"))
        self.radar_title.setText(self.tr("Zelfredzaamheid"))
        self.rounds_title.setText(self.tr("&Rondes"))
        self._retranslate_tabs()
        self._update_actions()

    def _retranslate_tabs(self) -> None:
        for widget, text in (
            (self.form, self.tr("&Intake")),
            (self.side, self.tr("&Overzicht: wijzigingen, scores en rondes")),
        ):
            index = self.tabs.indexOf(widget)
            if index >= 0:
                self.tabs.setTabText(index, text)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            if self._view is not None:
                self._on_intake_loaded(self._view)
        super().changeEvent(event)


__all__ = ["APPROVE_KEY", "RETURN_KEY", "ReviewScreen", "confirm"]
