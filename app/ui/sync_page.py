"""Synchronisatie: how this device stands with the central office, "Nu synchroniseren", and a way
to stop a sync that does not get on.

The status (pending changes, last sync, server, open conflicts, offline days left) is read through
the sync verbs and read again whenever a change on the bus concerns it (an edit queued, a
conflict settled, a sync round). A sync runs on the network lane and reports its progress; it can
be cancelled at any moment (Annuleren or Esc), also while it waits for a server that took the
connection but never answers: after `no_answer_after_s` seconds without any answer the page says
so and `server_state` becomes `ServerState.NO_ANSWER` (the window shows it instead of "Online").
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.domain.changes import Changes
from app.domain.errors import VeldwerkError
from app.domain.formatting import moment_text
from app.services import DeviceRevoked
from app.services import sync as sync_service
from app.services.sync import SyncReport, warning_text
from app.ui.messages import error_text, ui_language
from app.ui.operations import sync as verbs
from app.ui.operations.op import Op
from app.ui.operations.sync import ServerState
from app.ui.session import Session
from app.ui.theme import MARGIN, SPACING
from app.ui.widgets import FieldError, ScreenAction, mnemonic, with_key

# Failures that mean the server was not there (rather than there and saying no).
_UNREACHABLE = ("server_unreachable", "invalid_answer")


class SyncPage(QWidget):
    """Sync status, the sync button with its progress and Annuleren, and what the last sync did."""

    synced = Signal(object)  # SyncReport
    sync_failed = Signal(object)  # the exception
    sync_cancelled = Signal()
    device_wiped = Signal()
    progress_changed = Signal(str, int, int)  # text, done, total (total 0: unknown)
    status_loaded = Signal(object)  # app.services.sync.SyncStatus
    server_state_changed = Signal(str)  # a ServerState value

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._op: Op[SyncReport] | None = None
        self._status: sync_service.SyncStatus | None = None
        self._wiped = False
        self._stale = False
        self._error: BaseException | None = None
        self._progress: tuple[str, int, int] | None = None
        self._waiting_s = 0
        self._server_state = ServerState.UNKNOWN
        self.last_report: SyncReport | None = None
        self._report_at = ""
        self.no_answer_after_s = verbs.NO_ANSWER_AFTER_S

        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.status_box = self._build_status_box()
        sync_row = self._build_sync_row()
        self.progress_label = self._build_progress_label()
        self.error_label = FieldError()
        self.notice_label = self._build_notice_label()
        self.report_box = self._build_report_box()
        self._no_answer = self._build_no_answer_timer()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        layout.setSpacing(SPACING)
        layout.addWidget(self.title)
        layout.addWidget(self.status_box)
        layout.addLayout(sync_row)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.notice_label)
        layout.addWidget(self.report_box)
        layout.addStretch(1)

        self._retranslate()
        session.bus.changed.connect(self._on_bus_changed)

    # ---------------------------------------------------------------------------- building

    def _build_status_box(self) -> QGroupBox:
        self.pending_label = QLabel()
        self.last_sync_label = QLabel()
        self.server_label = QLabel()
        self.server_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.conflicts_label = QLabel()
        self.lease_label = QLabel()
        self.lease_label.setWordWrap(True)
        self.lease_expired_label = FieldError()
        box = QGroupBox()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(SPACING, SPACING, SPACING, SPACING)
        layout.setSpacing(SPACING)
        for label in (
            self.pending_label,
            self.last_sync_label,
            self.server_label,
            self.conflicts_label,
            self.lease_label,
            self.lease_expired_label,
        ):
            layout.addWidget(label)
        return box

    def _build_sync_row(self) -> QHBoxLayout:
        """Nu synchroniseren, the progress bar beside it while a sync runs, and Annuleren."""
        self.sync_button = QPushButton()
        self.sync_button.setObjectName("primary")
        self.sync_button.clicked.connect(self.start_sync)
        self.sync_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.cancel_sync)
        self.cancel_button.hide()
        # Esc stops a running sync wherever the focus is on this page.
        self.cancel_action = ScreenAction(
            self,
            lambda: None if self.cancel_sync() else None,
            shortcut=QKeySequence(Qt.Key.Key_Escape),
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
            object_name="cancelSync",
        )
        self.cancel_action.setEnabled(False)
        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(False)
        self.progress_bar.hide()
        row = QHBoxLayout()
        row.setSpacing(SPACING)
        row.addWidget(self.sync_button)
        row.addWidget(self.progress_bar, 1)
        row.addWidget(self.cancel_button)
        row.addStretch(0)  # takes the room while the progress bar is hidden
        return row

    def _build_progress_label(self) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.hide()
        return label

    def _build_notice_label(self) -> QLabel:
        """Says that a sync was stopped: news, not an error, so it is not shown in red."""
        label = QLabel()
        label.setWordWrap(True)
        label.setObjectName("muted")
        label.hide()
        return label

    def _build_report_box(self) -> QGroupBox:
        self.report_when = QLabel()
        self.report_when.setObjectName("muted")
        self.report_when.setWordWrap(True)
        self.sent_value = QLabel("–")
        self.received_value = QLabel("–")
        self.merged_value = QLabel("–")
        self.conflicts_value = QLabel("–")
        self.rejected_value = QLabel("–")
        self.purged_value = QLabel("–")
        self.warnings_label = QLabel()
        self.warnings_label.setWordWrap(True)
        self.warnings_label.hide()
        self._form = QFormLayout()
        self._form.setHorizontalSpacing(MARGIN)
        self._form.setVerticalSpacing(SPACING)
        # The captions get their text in _retranslate, in this order.
        self._captions: list[QLabel] = []
        for value in (
            self.sent_value,
            self.received_value,
            self.merged_value,
            self.conflicts_value,
            self.rejected_value,
            self.purged_value,
        ):
            caption = QLabel()
            self._captions.append(caption)
            self._form.addRow(caption, value)
        box = QGroupBox()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(SPACING, SPACING, SPACING, SPACING)
        layout.setSpacing(SPACING)
        layout.addWidget(self.report_when)
        layout.addLayout(self._form)
        layout.addWidget(self.warnings_label)
        return box

    def _build_no_answer_timer(self) -> QTimer:
        """Fires when a request has had no answer for `no_answer_after_s` seconds."""
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(self._on_no_answer_timeout)
        return timer

    # ------------------------------------------------------------------------------ status

    @property
    def is_syncing(self) -> bool:
        return self._op is not None

    @property
    def server_state(self) -> ServerState:
        """What the last sync learned about the server (UNKNOWN before the first)."""
        return self._server_state

    def refresh(self) -> None:
        """Read the sync status again."""
        if self._wiped or not self._session.store.is_open:
            return
        self._stale = False
        verbs.sync_status(parent=self, session=self._session).success(
            self._on_status_finished
        ).failure(self._on_status_failed).run()

    def _on_bus_changed(self, changes: Changes) -> None:
        if changes.touches(*verbs.STATUS_TOPICS):
            # Always read: the window's status bar shows this page's status even when hidden.
            self.refresh()

    def _on_status_finished(self, state: sync_service.SyncStatus) -> None:
        self._status = state
        self._show_status()
        self.status_loaded.emit(state)

    def _show_status(self) -> None:
        state = self._status
        if state is None:
            return
        pending = state.pending_entries
        if pending == 0:
            self.pending_label.setText(self.tr("Geen wijzigingen in de wachtrij"))
        elif pending == 1:
            self.pending_label.setText(self.tr("1 wijziging in de wachtrij"))
        else:
            self.pending_label.setText(
                self.tr("{count} wijzigingen in de wachtrij").format(count=pending)
            )
        if state.last_sync:
            self.last_sync_label.setText(
                self.tr("Laatst gesynchroniseerd {when}").format(when=moment_text(state.last_sync))
            )
        else:
            self.last_sync_label.setText(self.tr("Nog nooit gesynchroniseerd"))
        if state.server:
            self.server_label.setText(self.tr("Server: {url}").format(url=state.server))
        else:
            self.server_label.setText(self.tr("Dit profiel is niet aan een server gekoppeld."))
        if state.open_conflicts == 0:
            self.conflicts_label.setText(self.tr("Geen open conflicten"))
        elif state.open_conflicts == 1:
            self.conflicts_label.setText(self.tr("1 open conflict"))
        else:
            self.conflicts_label.setText(
                self.tr("{count} open conflicten").format(count=state.open_conflicts)
            )
        self.lease_expired_label.setVisible(state.server is not None and state.lease_expired)
        if state.server is None or state.cursor_age_days is None or state.lease_expired:
            self.lease_label.hide()
        else:
            left = max(0, math.floor(state.lease_days - state.cursor_age_days))
            if left == 1:
                self.lease_label.setText(self.tr("Nog 1 dag offline werken mogelijk"))
            else:
                self.lease_label.setText(
                    self.tr("Nog {days} dagen offline werken mogelijk").format(days=left)
                )
            self.lease_label.show()
        self.sync_button.setEnabled(
            not self.is_syncing and not self._wiped and state.server is not None
        )
        self._show_report()

    def _on_status_failed(self, exc: BaseException) -> None:
        self._show_error(error_text(exc))

    # -------------------------------------------------------------------------------- sync

    def start_sync(self) -> bool:
        """Start a sync; False when one is running or sync is not possible."""
        if self.is_syncing or self._wiped or not self._session.store.is_open:
            return False
        if self._status is not None and self._status.server is None:
            self._show_error(
                self.tr("Dit profiel is niet aan een server gekoppeld; synchroniseren kan niet.")
            )
            return False
        self._show_error("")
        self.notice_label.hide()
        self._progress = None
        self.sync_button.setEnabled(False)
        self.cancel_button.show()
        self.cancel_button.setEnabled(True)
        self.cancel_action.setEnabled(True)
        self.progress_bar.setRange(0, 0)  # busy until the first report
        self.progress_bar.show()
        self.progress_label.show()
        self._no_answer.start(round(self.no_answer_after_s * 1000))
        self._show_progress()
        self._op = (
            verbs.sync_now(parent=self, session=self._session)
            .progress(self._on_sync_progressed)
            .success(self._on_sync_finished)
            .failure(self._on_sync_failed)
            .finally_(self._on_sync_ended)
        )
        self._op.run()
        return True

    def cancel_sync(self) -> bool:
        """Stop the running sync at once (what was answered is kept); False when none runs."""
        if self._op is None or self._op.cancelled:
            return False
        self._op.cancel()
        self.cancel_button.setEnabled(False)
        self.progress_label.setText(self.tr("Synchroniseren wordt gestopt…"))
        return True

    def _on_sync_progressed(self, phase: str, done: int, total: int) -> None:
        if phase == verbs.WAITING:
            # No sign of life: the network is gone, and the round waits for it by itself.
            self._no_answer.stop()
            self._waiting_s = done
            self._set_server_state(ServerState.WAITING)
            if self._op is not None and not self._op.cancelled:
                self._show_progress()
            return
        # Any other report means the server answered: a sign of life.
        self._no_answer.start(round(self.no_answer_after_s * 1000))
        self._set_server_state(ServerState.ONLINE)
        if phase != verbs.HEARTBEAT:
            self._progress = (phase, done, total)
        if self._op is not None and not self._op.cancelled:
            self._show_progress()

    def _show_progress(self) -> None:
        if self._server_state is ServerState.WAITING:
            text = self.tr(
                "Wacht op verbinding… Opnieuw proberen over {seconds} s. U kunt doorwerken of "
                "stoppen (Esc); uw wijzigingen blijven bewaard."
            ).format(seconds=self._waiting_s)
            self.progress_label.setText(text)
            self.progress_bar.setRange(0, 0)
            self.progress_changed.emit(self.tr("Wacht op verbinding…"), 0, 0)
            return
        if self._server_state is ServerState.NO_ANSWER:
            self.progress_label.setText(
                self.tr(
                    "De server antwoordt niet. U kunt wachten of het synchroniseren stoppen "
                    "(Esc); uw wijzigingen blijven bewaard."
                )
            )
            return
        if self._progress is None:
            self.progress_label.setText(self.tr("Verbinden met de server…"))
            return
        phase, done, total = self._progress
        if phase == "push":
            text = self.tr("Wijzigingen versturen: {done} van {total}").format(
                done=done, total=total
            )
            self.progress_bar.setRange(0, max(total, 1))
            self.progress_bar.setValue(min(done, max(total, 1)))
            shown_total = total
        elif phase == "attachments":
            text = self.tr("Bijlagen: {done} van {total}").format(done=done, total=total)
            self.progress_bar.setRange(0, max(total, 1))
            self.progress_bar.setValue(min(done, max(total, 1)))
            shown_total = total
        else:
            # Pulling: the number of records still to come is not known beforehand.
            text = self.tr("Gegevens ophalen: {done} ontvangen").format(done=done)
            self.progress_bar.setRange(0, 0)
            shown_total = 0
        self.progress_label.setText(text)
        self.progress_changed.emit(text, done, shown_total)

    def _on_no_answer_timeout(self) -> None:
        if self._op is None or self._op.cancelled:
            return
        self._set_server_state(ServerState.NO_ANSWER)
        self._show_progress()

    def _set_server_state(self, state: ServerState) -> None:
        if state is not self._server_state:
            self._server_state = state
            self.server_state_changed.emit(state.value)

    def _finish(self) -> None:
        self._op = None
        self._no_answer.stop()
        self.progress_bar.hide()
        self.progress_label.hide()
        self.cancel_button.hide()
        self.cancel_action.setEnabled(False)
        self.sync_button.setEnabled(not self._wiped)

    def _on_sync_ended(self) -> None:
        """After success, failure or cancel; only a cancelled sync is still open here."""
        if self._op is None:
            return
        self._finish()
        self.notice_label.setText(self._stopped_text())
        self.notice_label.show()
        self.sync_cancelled.emit()

    def _stopped_text(self) -> str:
        return self.tr("Synchroniseren is gestopt. Uw wijzigingen blijven bewaard.")

    def _on_sync_finished(self, report: SyncReport) -> None:
        self._finish()
        self.last_report = report
        self._report_at = moment_text(datetime.now(UTC))
        self._set_server_state(ServerState.ONLINE)
        self._show_report()
        self.synced.emit(report)

    def _on_sync_failed(self, exc: BaseException) -> None:
        self._error = exc
        # sync_now has closed the store and wiped the profile of a revoked device.
        self._wiped = isinstance(exc, DeviceRevoked)
        self._finish()
        if self._wiped:
            self._show_error(error_text(exc))
            self.sync_failed.emit(exc)
            self.device_wiped.emit()
            return
        if isinstance(exc, VeldwerkError) and exc.code in _UNREACHABLE:
            self._set_server_state(ServerState.OFFLINE)
        self._show_error(error_text(exc))
        self.sync_failed.emit(exc)

    # ------------------------------------------------------------------------------ report

    def _show_report(self) -> None:
        report = self.last_report
        if report is None:
            if self._status is not None and not self._status.last_sync:
                self.report_when.setText(
                    self.tr(
                        "Dit apparaat is nog nooit gesynchroniseerd. Kies Nu synchroniseren "
                        "({key}) om uw wijzigingen te versturen en de gegevens van kantoor op "
                        "te halen."
                    ).format(key=self._sync_key())
                )
            else:
                self.report_when.setText(
                    self.tr("Nog niet gesynchroniseerd sinds het ontgrendelen.")
                )
            return
        self.report_when.setText(self.tr("Om {when}").format(when=self._report_at))
        self.sent_value.setText(str(report.sent))
        self.received_value.setText(str(report.received))
        self.merged_value.setText(str(report.merged))
        self.conflicts_value.setText(str(report.conflicts))
        self.rejected_value.setText(str(report.rejected + report.orphaned))
        self.purged_value.setText(str(report.purged))
        notes = []
        if report.reset:
            notes.append(self.tr("Alle gegevens zijn opnieuw opgehaald."))
        notes.extend(warning_text(w, ui_language()) for w in report.warnings)
        self.warnings_label.setText("\n".join(notes))
        self.warnings_label.setVisible(bool(notes))

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    # ---------------------------------------------------------------------------- language

    def _sync_key(self) -> str:
        key = mnemonic(self.sync_button.text())
        return key.toString(QKeySequence.SequenceFormat.NativeText) if key else ""

    def _retranslate(self) -> None:
        self.title.setText(self.tr("Synchronisatie"))
        self.status_box.setTitle(self.tr("Stand van zaken"))
        self.lease_expired_label.setText(
            self.tr(
                "Dit apparaat heeft te lang niet gesynchroniseerd. Synchroniseer nu om weer "
                "met de dossiers te kunnen werken."
            )
        )
        self.sync_button.setText(self.tr("&Nu synchroniseren"))
        self.sync_button.setToolTip(
            with_key(self.sync_button.text(), mnemonic(self.sync_button.text()))
        )
        self.cancel_action.set_caption(self.tr("Synchroniseren stoppen"))
        self.cancel_button.setText(self.tr("Annuleren"))
        self.cancel_button.setToolTip(self.cancel_action.toolTip())
        self.progress_bar.setAccessibleName(self.tr("Voortgang van de synchronisatie"))
        self.report_box.setTitle(self.tr("Laatste synchronisatie"))
        for caption, text in zip(
            self._captions,
            (
                self.tr("Verstuurd"),
                self.tr("Ontvangen"),
                self.tr("Samengevoegd"),
                self.tr("Conflicten"),
                self.tr("Geweigerd"),
                self.tr("Van dit apparaat verwijderd"),
            ),
            strict=True,
        ):
            caption.setText(text)
        self._show_status()
        self._show_report()
        if self.is_syncing:
            self._show_progress()
        if self._error is not None and self.error_label.isVisible():
            self._show_error(error_text(self._error))
        if self.notice_label.isVisibleTo(self):
            self.notice_label.setText(self._stopped_text())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
