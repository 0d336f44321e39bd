"""The window a caseworker lives in: the unlock screen, or the workspace of one unlocked profile.

`MainWindow` holds either the `UnlockPage` or a `Workspace`. A Workspace exists only while a
profile is unlocked: locking flushes what is being typed, closes the store and throws the whole
workspace away, so nothing of the caseload stays on screen or in a widget.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QStatusBar,
    QWidget,
)

from app.domain.local_time import ZONE
from app.services import sync as sync_service
from app.storage.profiles import Profile
from app.storage.store import Store
from app.ui.caseload_page import CaseloadPage
from app.ui.conflicts_page import ConflictsPage
from app.ui.dossier import DossierPage
from app.ui.enroll_wizard import EnrollWizard
from app.ui.i18n import (
    TranslationMissingError,
    install_translators,
    installed_language,
)
from app.ui.icons import icon
from app.ui.idle import IdleLock
from app.ui.messages import error_text
from app.ui.session import Session
from app.ui.settings_dialog import LANGUAGE_KEY, SettingsDialog
from app.ui.sync_page import SyncPage
from app.ui.tasks import Lanes
from app.ui.theme import MARGIN, SPACING, apply_theme, set_style_property, styled
from app.ui.today_page import TodayPage
from app.ui.unlock_page import UnlockPage

# How often the workspace asks whether the central office server is reachable.
REACHABILITY_MS = 30_000


def _ui_language() -> str | None:
    app = QCoreApplication.instance()
    return installed_language(app) if app is not None else None


class Workspace(QWidget):
    """Navigation on the left, the pages on the right, the status bar's widgets below."""

    lock_requested = Signal()
    settings_requested = Signal()
    wiped = Signal()

    def __init__(
        self, session: Session, settings: QSettings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self._online: bool | None = None
        self._status: sync_service.SyncStatus | None = None
        self._back: list[QWidget] = []

        self.today = TodayPage(session)
        self.caseload = CaseloadPage(session, settings=settings)
        self.dossier = DossierPage(session)
        self.sync = SyncPage(session)
        self.conflicts = ConflictsPage(session)

        self.pages = QStackedWidget()
        self.navigation = styled(QListWidget(), "navigation")
        self._nav_pages: list[QWidget] = []
        for name, page in (
            ("today", self.today),
            ("clients", self.caseload),
            ("sync", self.sync),
            ("conflict", self.conflicts),
        ):
            item = QListWidgetItem(icon(name), "")
            self.navigation.addItem(item)
            self._nav_pages.append(page)
            self.pages.addWidget(page)
        self.pages.addWidget(self.dossier)
        self.navigation.setFixedWidth(200)
        self.navigation.currentRowChanged.connect(self._navigate)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.pages, 1)

        # Status-bar widgets; the window puts them in its status bar.
        self.online_dot = styled(QLabel("●"), "onlineDot")
        self.online_text = QLabel()
        self.pending_label = QLabel()
        self.last_sync_label = styled(QLabel(), "muted")
        self.conflict_badge = styled(QPushButton(), "badge")
        self.conflict_badge.clicked.connect(lambda: self.show_page(self.conflicts))
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(160)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.sync_button = QPushButton(icon("sync"), "")
        self.sync_button.clicked.connect(self.sync.start_sync)
        self.settings_button = QPushButton(icon("settings"), "")
        self.settings_button.clicked.connect(self.settings_requested)
        self.lock_button = QPushButton(icon("lock"), "")
        self.lock_button.clicked.connect(self.lock_requested)

        self.today.client_opened.connect(self.open_client)
        self.caseload.client_opened.connect(self.open_client)
        self.dossier.changed.connect(self.sync.refresh)
        self.conflicts.resolved.connect(self.sync.refresh)
        self.sync.status_loaded.connect(self._show_status)
        self.sync.progress_changed.connect(self._show_progress)
        self.sync.synced.connect(self._after_sync)
        self.sync.sync_failed.connect(self._sync_failed)
        self.sync.device_wiped.connect(self.wiped)

        self._back_action = back = QAction(self)
        back.setShortcuts([QKeySequence(QKeySequence.StandardKey.Back), QKeySequence("Esc")])
        back.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back.triggered.connect(self.go_back)
        self.dossier.addAction(back)
        self.retranslate()
        for number, _page in enumerate(self._nav_pages, start=1):
            jump = QAction(self)
            jump.setShortcut(QKeySequence(f"Alt+{number}"))
            jump.triggered.connect(
                lambda _=False, row=number - 1: self.navigation.setCurrentRow(row)
            )
            self.addAction(jump)

        self._reachability = QTimer(self)
        self._reachability.setInterval(REACHABILITY_MS)
        self._reachability.timeout.connect(self.check_reachable)
        self._reachability.start()
        self.navigation.setCurrentRow(0)
        QTimer.singleShot(0, self.check_reachable)
        self.sync.refresh()

    # ------------------------------------------------------------------------------ language

    def retranslate(self) -> None:
        """(Re)set the navigation's and the status bar's texts in the current UI language."""
        self.navigation.setAccessibleName(self.tr("Navigatie"))
        titles = (
            self.tr("Vandaag"),
            self.tr("Cliënten"),
            self.tr("Synchronisatie"),
            self.tr("Conflicten"),
        )
        for row, title in enumerate(titles):
            self.navigation.item(row).setText(title)
        self.conflict_badge.setToolTip(self.tr("Conflicten oplossen"))
        self.sync_button.setText(self.tr("Nu synchroniseren"))
        self.settings_button.setText(self.tr("Instellingen"))
        self.settings_button.setToolTip(self.tr("Instellingen (Ctrl+,)"))
        self.lock_button.setText(self.tr("Vergrendelen"))
        self._back_action.setText(self.tr("Terug"))
        if self._online is None:
            self.online_text.setText(self.tr("Verbinding onbekend"))
        else:
            self.online_text.setText(self.tr("Online") if self._online else self.tr("Offline"))
        if self._status is not None:
            self._show_status(self._status)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------------------------ pages

    def _navigate(self, row: int) -> None:
        if 0 <= row < len(self._nav_pages):
            self._show(self._nav_pages[row])

    def _show(self, page: QWidget) -> None:
        if self.pages.currentWidget() is self.dossier and page is not self.dossier:
            self.dossier.flush()
        self.pages.setCurrentWidget(page)
        refresh = getattr(page, "refresh", None)
        if callable(refresh):
            refresh()

    def show_page(self, page: QWidget) -> None:
        row = self._nav_pages.index(page) if page in self._nav_pages else -1
        if row >= 0 and self.navigation.currentRow() != row:
            self.navigation.setCurrentRow(row)  # shows the page through currentRowChanged
        else:
            self._show(page)
            if row >= 0:
                self.navigation.setCurrentRow(row)

    def open_client(self, client_id: str) -> None:
        current = self.pages.currentWidget()
        if current is not None and current is not self.dossier:
            self._back.append(current)
        self.dossier.show_client(client_id)
        self._show(self.dossier)
        # No navigation entry is current while a dossier shows, so any entry takes you away.
        self.navigation.blockSignals(True)
        self.navigation.setCurrentRow(-1)
        self.navigation.blockSignals(False)

    def go_back(self) -> None:
        target = self._back.pop() if self._back else self.caseload
        self.show_page(target)

    def current_page(self) -> QWidget | None:
        return self.pages.currentWidget()

    # ------------------------------------------------------------------------------ status

    def _show_status(self, state: sync_service.SyncStatus) -> None:
        self._status = state
        if state.pending_entries == 1:
            self.pending_label.setText(self.tr("1 wijziging in de wachtrij"))
        else:
            self.pending_label.setText(
                self.tr("%n wijzigingen in de wachtrij", "", state.pending_entries)
            )
        if state.last_sync:
            moment = datetime.fromisoformat(state.last_sync).astimezone(ZONE)
            self.last_sync_label.setText(
                self.tr("Laatst gesynchroniseerd %1").replace(
                    "%1", moment.strftime("%d-%m-%Y %H:%M")
                )
            )
        else:
            self.last_sync_label.setText(self.tr("Nog niet gesynchroniseerd"))
        self.conflict_badge.setText(
            self.tr("Conflicten: %1").replace("%1", str(state.open_conflicts))
        )
        set_style_property(self.conflict_badge, "alert", state.open_conflicts > 0)
        self.conflict_badge.setVisible(state.open_conflicts > 0)
        self.sync_button.setEnabled(state.server is not None and not self.sync.is_syncing)

    def _show_progress(self, text: str, done: int, total: int) -> None:
        self.progress.show()
        self.progress.setMaximum(max(total, 0))
        self.progress.setValue(min(done, total) if total else 0)
        self.progress.setToolTip(text)
        self.sync_button.setEnabled(False)

    def _after_sync(self, _report: Any) -> None:
        self.progress.hide()
        self.sync_button.setEnabled(True)
        self._set_online(True)
        for page in (self.today, self.caseload, self.conflicts):
            page.refresh()

    def _sync_failed(self, _exc: BaseException) -> None:
        self.progress.hide()
        self.sync_button.setEnabled(True)

    def check_reachable(self) -> None:
        store = self.session.store
        if not store.is_open:
            return
        self.session.lanes.network.submit(
            lambda: sync_service.server_reachable(store), done=self._set_online, owner=self
        )

    def _set_online(self, online: bool) -> None:
        was = self._online
        self._online = bool(online)
        set_style_property(self.online_dot, "online", self._online)
        self.online_text.setText(self.tr("Online") if online else self.tr("Offline"))
        # Back in reach: sync in the background without being asked (send what waits, fetch
        # the team lead's decisions).
        if online and was is False and self.session.store.is_open:
            self.sync.start_sync()

    @property
    def online(self) -> bool | None:
        return self._online

    def status_widgets(self) -> list[QWidget]:
        return [
            self.online_dot,
            self.online_text,
            self.pending_label,
            self.last_sync_label,
            self.conflict_badge,
        ]

    def permanent_widgets(self) -> list[QWidget]:
        return [self.progress, self.sync_button, self.settings_button, self.lock_button]

    def close_session(self) -> None:
        """Save what is being typed, stop background checks, close the store. The close is
        queued behind the saves on the storage lane (first in, first out), so a note typed
        just before the lock is written before the store goes."""
        self._reachability.stop()
        self.dossier.flush()
        self.session.lanes.storage.submit(self.session.store.close, name="close store")


class MainWindow(QMainWindow):
    """Unlock screen, or the workspace of the unlocked profile; nothing else."""

    locked = Signal()
    unlocked = Signal(object)  # Session

    def __init__(
        self,
        lanes: Lanes,
        *,
        home: Path | None = None,
        settings: QSettings | None = None,
        idle_minutes: float | None = None,
        enroll_params: Any = None,
    ) -> None:
        super().__init__()
        self.lanes = lanes
        self.home = home
        self.settings = settings or QSettings()
        self._enroll_params = enroll_params
        self.setWindowTitle("Veldwerk")
        self.resize(1280, 760)
        self.setMinimumSize(1000, 640)

        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.unlock_page = self._make_unlock_page()
        self.stack.addWidget(self.unlock_page)
        self.workspace: Workspace | None = None
        self._settings_dialog: SettingsDialog | None = None
        self._settings_action = QAction(self)
        self._settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self._settings_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self._settings_action.triggered.connect(self.open_settings)
        self.addAction(self._settings_action)
        self.setStatusBar(QStatusBar())
        self.statusBar().setContentsMargins(SPACING, 0, SPACING, 0)

        minutes = idle_minutes
        if minutes is None:
            minutes = float(self.settings.value("lock/idle_minutes", 10.0))  # type: ignore[arg-type]
        self.idle = IdleLock(minutes, parent=self)
        self.idle.lock_requested.connect(self.lock)
        self.idle.pause()
        self.unlock_page.reload()
        if not self.unlock_page.profiles():
            QTimer.singleShot(0, self.enroll)

    @property
    def session(self) -> Session | None:
        return self.workspace.session if self.workspace else None

    # --------------------------------------------------------------------------- settings

    def open_settings(self) -> SettingsDialog:
        """Instellingen (Ctrl+, or the status-bar button), locked or not. OK stores the choice
        (the dialog writes the QSettings) and applies it at once: language, look, auto-lock."""
        if self._settings_dialog is not None:
            self._settings_dialog.activateWindow()
            return self._settings_dialog
        dialog = SettingsDialog(self.settings, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        language_before, dark_before = dialog.language, dialog.dark

        def apply() -> None:
            app = QApplication.instance()
            if not isinstance(app, QApplication):
                return
            self.idle.set_minutes(dialog.idle_minutes)
            if dialog.dark != dark_before:
                apply_theme(app, dark=dialog.dark)
            if dialog.language != language_before:
                try:
                    install_translators(app, dialog.language)
                except TranslationMissingError:  # an incomplete installation: keep what works
                    if language_before is None:
                        self.settings.remove(LANGUAGE_KEY)
                    else:
                        self.settings.setValue(LANGUAGE_KEY, language_before)
                    QMessageBox.warning(
                        self,
                        self.tr("Taal niet gewijzigd"),
                        self.tr(
                            "De vertaling is niet gevonden; de installatie is onvolledig. "
                            "Neem contact op met de functioneel beheerder."
                        ),
                    )

        def forget() -> None:
            self._settings_dialog = None

        dialog.accepted.connect(apply)
        dialog.finished.connect(forget)
        self._settings_dialog = dialog
        dialog.open()
        return dialog

    def _make_unlock_page(self) -> UnlockPage:
        page = UnlockPage(self.lanes, self.home)
        page.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        page.unlocked.connect(self._on_unlocked)
        page.enroll_requested.connect(self.enroll)
        page.sync_requested.connect(self._sync_expired_lease)
        self._unlock_language = _ui_language()
        return page

    def _renew_unlock_page(self) -> None:
        """UnlockPage sets its texts once, so after a language switch a fresh one replaces it
        (keeping the chosen profile and what is typed); not while an unlock is under way."""
        old = self.unlock_page
        if old.busy or self._unlock_language == _ui_language():
            return
        profile = old.selected_profile()
        page = self._make_unlock_page()
        self.stack.insertWidget(self.stack.indexOf(old), page)
        if profile is not None:
            page.select_profile(profile.name)
        page.passphrase_edit.setText(old.passphrase_edit.text())
        showing = self.stack.currentWidget() is old
        self.unlock_page = page
        self.stack.removeWidget(old)
        old.deleteLater()
        if showing:
            self.stack.setCurrentWidget(page)
            page.focus_passphrase()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._renew_unlock_page()
        super().changeEvent(event)

    def _on_unlocked(self, profile: Profile, store: Store) -> None:
        session = Session(profile=profile, store=store, lanes=self.lanes)
        self.workspace = Workspace(session, self.settings)
        self.workspace.lock_requested.connect(self.lock)
        self.workspace.settings_requested.connect(self.open_settings)
        self.workspace.wiped.connect(self._wiped)
        self.stack.addWidget(self.workspace)
        self.stack.setCurrentWidget(self.workspace)
        bar = self.statusBar()
        for widget in self.workspace.status_widgets():
            bar.addWidget(widget)
        for widget in self.workspace.permanent_widgets():
            bar.addPermanentWidget(widget)
        self.setWindowTitle(f"Veldwerk — {profile.info.username}")
        self.idle.resume()
        self.unlocked.emit(session)

    def lock(self) -> None:
        """Back to the unlock screen: what is typed is saved, then the store closes."""
        workspace = self.workspace
        if workspace is None:
            return
        self.idle.pause()
        self.workspace = None
        workspace.close_session()
        for widget in [*workspace.status_widgets(), *workspace.permanent_widgets()]:
            self.statusBar().removeWidget(widget)
            widget.deleteLater()
        self.stack.removeWidget(workspace)
        workspace.deleteLater()
        self._renew_unlock_page()  # the language may have changed while it was unlocking
        self.stack.setCurrentWidget(self.unlock_page)
        self.setWindowTitle("Veldwerk")
        self.unlock_page.reload()
        self.unlock_page.focus_passphrase()
        self.locked.emit()

    def _wiped(self) -> None:
        self.lock()
        QMessageBox.warning(
            self,
            self.tr("Apparaat ingetrokken"),
            self.tr(
                "Dit apparaat is door de centrale administratie ingetrokken. De gegevens op dit "
                "apparaat zijn gewist."
            ),
        )

    def enroll(self) -> None:
        wizard = EnrollWizard(self.lanes, self.home, params=self._enroll_params, parent=self)
        wizard.enrolled.connect(self._on_unlocked)
        wizard.open()

    def _sync_expired_lease(self, profile: Profile, passphrase: str) -> None:
        """The offline lease ran out: sync first (allowed), then unlock as usual."""

        def run() -> None:
            store = sync_service.unlock_for_sync(profile, passphrase)
            try:
                sync_service.sync_profile(profile, store)
            finally:
                store.close()

        def failed(exc: BaseException) -> None:
            QMessageBox.warning(self, self.tr("Synchroniseren mislukt"), error_text(exc))

        self.lanes.network.submit(
            run, done=lambda _r: self.unlock_page.reload(), failed=failed, owner=self
        )

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self.workspace is not None:
            self.workspace.close_session()
        self.idle.close()
        super().closeEvent(event)
