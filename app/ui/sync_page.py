"""Synchronisatie: how this device stands with the central office, and "Nu synchroniseren".

The status (pending changes, last sync, server, open conflicts, offline days left) is read on the
storage lane; a sync runs on the network lane and reports its progress to the progress bar.
"""

from __future__ import annotations

import math
from datetime import datetime

from PySide6.QtCore import Qt, Signal
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

from app.domain.local_time import ZONE
from app.services import sync as sync_service
from app.sync.client import DeviceRevoked
from app.sync.engine import SyncReport, warning_text
from app.ui.messages import error_text, ui_language
from app.ui.session import Session
from app.ui.tasks import Job
from app.ui.theme import MARGIN, SPACING


def _when(text: str) -> str:
    moment = datetime.fromisoformat(text)
    return moment.astimezone(ZONE).strftime("%d-%m-%Y %H:%M")


class SyncPage(QWidget):
    """Sync status, the sync button with its progress, and what the last sync did."""

    synced = Signal(object)  # SyncReport
    sync_failed = Signal(object)  # the exception
    device_wiped = Signal()
    progress_changed = Signal(str, int, int)  # text, done, total (total 0: unknown)
    status_loaded = Signal(object)  # app.services.sync.SyncStatus

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._job: Job | None = None
        self._status: sync_service.SyncStatus | None = None
        self._wiped = False
        self.last_report: SyncReport | None = None

        title = QLabel(self.tr("Synchronisatie"))
        title.setObjectName("pageTitle")

        self.pending_label = QLabel()
        self.last_sync_label = QLabel()
        self.server_label = QLabel()
        self.server_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.conflicts_label = QLabel()
        self.lease_label = QLabel()
        self.lease_label.setWordWrap(True)
        self.lease_expired_label = QLabel(
            self.tr(
                "Dit apparaat heeft te lang niet gesynchroniseerd. Synchroniseer nu om weer "
                "met de dossiers te kunnen werken."
            )
        )
        self.lease_expired_label.setObjectName("fieldError")
        self.lease_expired_label.setWordWrap(True)
        self.lease_expired_label.hide()
        status_box = QGroupBox(self.tr("Stand van zaken"))
        status_layout = QVBoxLayout(status_box)
        status_layout.setContentsMargins(SPACING, SPACING, SPACING, SPACING)
        status_layout.setSpacing(SPACING)
        for label in (
            self.pending_label,
            self.last_sync_label,
            self.server_label,
            self.conflicts_label,
            self.lease_label,
            self.lease_expired_label,
        ):
            status_layout.addWidget(label)

        self.sync_button = QPushButton(self.tr("&Nu synchroniseren"))
        self.sync_button.setObjectName("primary")
        self.sync_button.clicked.connect(self.start_sync)
        self.sync_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.progress_bar = QProgressBar()
        self.progress_bar.setAccessibleName(self.tr("Voortgang van de synchronisatie"))
        self.progress_bar.setTextVisible(False)
        self.progress_bar.hide()
        self.progress_label = QLabel()
        self.progress_label.hide()
        action = QHBoxLayout()
        action.setSpacing(SPACING)
        action.addWidget(self.sync_button)
        action.addWidget(self.progress_bar, 1)
        action.addStretch(0)  # takes the room while the progress bar is hidden

        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setObjectName("fieldError")
        self.error_label.hide()

        self.report_box = QGroupBox(self.tr("Laatste synchronisatie"))
        self.report_when = QLabel(self.tr("Nog niet gesynchroniseerd sinds het ontgrendelen."))
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
        form = QFormLayout()
        form.setHorizontalSpacing(MARGIN)
        form.setVerticalSpacing(SPACING)
        form.addRow(self.tr("Verstuurd"), self.sent_value)
        form.addRow(self.tr("Ontvangen"), self.received_value)
        form.addRow(self.tr("Samengevoegd"), self.merged_value)
        form.addRow(self.tr("Conflicten"), self.conflicts_value)
        form.addRow(self.tr("Geweigerd"), self.rejected_value)
        form.addRow(self.tr("Van dit apparaat verwijderd"), self.purged_value)
        report_layout = QVBoxLayout(self.report_box)
        report_layout.setContentsMargins(SPACING, SPACING, SPACING, SPACING)
        report_layout.setSpacing(SPACING)
        report_layout.addWidget(self.report_when)
        report_layout.addLayout(form)
        report_layout.addWidget(self.warnings_label)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        layout.setSpacing(SPACING)
        layout.addWidget(title)
        layout.addWidget(status_box)
        layout.addLayout(action)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.report_box)
        layout.addStretch(1)

    # ------------------------------------------------------------------------------ status

    @property
    def is_syncing(self) -> bool:
        return self._job is not None

    def refresh(self) -> None:
        """Read the sync status on the storage lane."""
        if self._wiped or not self._session.store.is_open:
            return
        profile, store = self._session.profile, self._session.store
        self._session.lanes.storage.submit(
            lambda: sync_service.status(profile, store),
            done=self._on_status_finished,
            failed=self._on_status_failed,
            name="sync_status",
            owner=self,
        )

    def _on_status_finished(self, state: sync_service.SyncStatus) -> None:
        self._status = state
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
                self.tr("Laatst gesynchroniseerd {when}").format(when=_when(state.last_sync))
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
        self.sync_button.setEnabled(not self.is_syncing and state.server is not None)
        self.status_loaded.emit(state)

    def _on_status_failed(self, exc: BaseException) -> None:
        self._show_error(error_text(exc))

    # -------------------------------------------------------------------------------- sync

    def start_sync(self) -> bool:
        """Start a sync on the network lane; False when one is running or sync is not possible."""
        if self.is_syncing or self._wiped or not self._session.store.is_open:
            return False
        if self._status is not None and self._status.server is None:
            self._show_error(
                self.tr("Dit profiel is niet aan een server gekoppeld; synchroniseren kan niet.")
            )
            return False
        profile, store = self._session.profile, self._session.store
        self._show_error("")
        self.sync_button.setEnabled(False)
        self.progress_bar.setRange(0, 0)  # busy until the first report
        self.progress_bar.show()
        self.progress_label.setText(self.tr("Verbinden met de server…"))
        self.progress_label.show()
        self._job = self._session.lanes.network.submit(
            lambda report: sync_service.sync_profile(profile, store, progress=report),
            with_progress=True,
            done=self._on_sync_finished,
            failed=self._on_sync_failed,
            progress=self._on_sync_progressed,
            name="sync",
            owner=self,
        )
        return True

    def _on_sync_progressed(self, phase: str, done: int, total: int) -> None:
        if phase == "push":
            text = self.tr("Wijzigingen versturen: {done} van {total}").format(
                done=done, total=total
            )
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

    def _finish(self) -> None:
        self._job = None
        self.progress_bar.hide()
        self.progress_label.hide()
        self.sync_button.setEnabled(not self._wiped)

    def _on_sync_finished(self, report: SyncReport) -> None:
        self._finish()
        self.last_report = report
        self._show_report(report)
        self.refresh()
        self.synced.emit(report)

    def _on_sync_failed(self, exc: BaseException) -> None:
        if isinstance(exc, DeviceRevoked):
            # sync_profile has closed the store and wiped the profile.
            self._wiped = True
            self._finish()
            self.sync_button.setEnabled(False)
            self._show_error(error_text(exc))
            self.sync_failed.emit(exc)
            self.device_wiped.emit()
            return
        self._finish()
        self._show_error(error_text(exc))
        self.refresh()
        self.sync_failed.emit(exc)

    def _show_report(self, report: SyncReport) -> None:
        self.report_when.setText(
            self.tr("Om {when}").format(when=datetime.now(ZONE).strftime("%d-%m-%Y %H:%M"))
        )
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
