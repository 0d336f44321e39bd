"""The window a caseworker lives in: the unlock screen, or the workspace of one unlocked profile.

`MainWindow` holds either the `UnlockPage` or a `Workspace`. A Workspace exists only while a
profile is unlocked: locking flushes what is being typed, closes the store and throws the whole
workspace away, so nothing of the caseload stays on screen or in a widget.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence, QShowEvent
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

from app.domain.formatting import moment_text
from app.services import sync as sync_service
from app.services.profiles import Profile, Store
from app.ui.caseload_page import CaseloadPage
from app.ui.conflicts_page import ConflictsPage
from app.ui.dossier import DossierPage
from app.ui.enroll_wizard import EnrollWizard
from app.ui.i18n import (
    TranslationMissingError,
    install_translators,
)
from app.ui.icons import icon
from app.ui.idle import IdleLock
from app.ui.messages import error_text
from app.ui.operations import sync as ops_sync
from app.ui.operations.bus import ChangeBus
from app.ui.operations.op import QueryOp
from app.ui.operations.profiles import Device, close_store, sync_expired_profile
from app.ui.operations.sync import ServerState
from app.ui.review import ReviewQueuePage
from app.ui.session import Session
from app.ui.settings_dialog import LANGUAGE_KEY, SettingsDialog
from app.ui.shortcuts_dialog import ShortcutsDialog
from app.ui.sync_page import SyncPage
from app.ui.tasks import Lanes
from app.ui.team_page import TeamPage
from app.ui.theme import MARGIN, SPACING, apply_theme, set_style_property, styled
from app.ui.today_page import TodayPage
from app.ui.unlock_page import UnlockPage
from app.ui.widgets import with_key

# How often the workspace asks whether the central office server is reachable.
REACHABILITY_MS = 30_000

SYNC_KEY = QKeySequence("F5")
LOCK_KEY = QKeySequence("Ctrl+L")
SETTINGS_KEY = QKeySequence("Ctrl+,")
SHORTCUTS_KEY = QKeySequence("F1")

# The window never opens larger than this, and never larger than the screen it opens on.
PREFERRED_SIZE = QSize(1280, 760)

# After the first page has shown, the dossier page is made this much later.
DOSSIER_WARMUP_MS = 1000

# Where a Vandaag card's item is dealt with: the dossier tab it opens on.
TODAY_TABS = DossierPage.TAB_NAMES


def focus_into(page: QWidget) -> None:
    """Give the keyboard to the page's own first field (its `focus_first` when it has one,
    else the first visible widget that takes Tab)."""
    first = getattr(page, "focus_first", None)
    if callable(first):
        first()
        return
    widget: QWidget | None = page.nextInFocusChain()
    for _ in range(2000):  # the chain is the window's: bounded, in case it does not lead back
        if widget is None or widget is page:
            break
        if (
            page.isAncestorOf(widget)
            and widget.isVisible()
            and widget.isEnabled()
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        ):
            widget.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return
        widget = widget.nextInFocusChain()
    page.setFocus(Qt.FocusReason.ShortcutFocusReason)


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
        self._server_state = ServerState.UNKNOWN
        self._status: sync_service.SyncStatus | None = None
        self._back: list[QWidget] = []

        self.today = TodayPage(session)
        self.caseload = CaseloadPage(session, settings=settings)
        # Made when the first dossier is opened: a third of the workspace's widgets, and an
        # unlock shows Vandaag and Cliënten first.
        self._dossier: DossierPage | None = None
        self.sync = SyncPage(session)
        self.conflicts = ConflictsPage(session)
        # A team lead reviews their team's intakes and watches the team's figures.
        self.review = ReviewQueuePage(session) if session.is_team_lead else None
        self.team = TeamPage(session) if session.is_team_lead else None

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._build_navigation())
        layout.addWidget(self.pages, 1)
        self._build_status_widgets()
        self._follow_pages()
        self._build_actions()
        self.retranslate()

        # The check under way, if any: cancelled at the lock, as its answer would reach the
        # status bar's labels after they are gone.
        self._reachable_check: QueryOp[bool] | None = None
        self._closed = False  # close_session was called: no new checks
        self._reachability = QTimer(self)
        self._reachability.setInterval(REACHABILITY_MS)
        self._reachability.timeout.connect(self.check_reachable)
        self._reachability.start()
        self.navigation.setCurrentRow(self._nav_pages.index(self.review) if self.review else 0)
        QTimer.singleShot(0, self.check_reachable)
        self.sync.refresh()

    def _build_navigation(self) -> QListWidget:
        """The list on the left and the stack of pages it switches (the dossier has no entry:
        it is opened from a client)."""
        self.pages = QStackedWidget()
        self.navigation = styled(QListWidget(), "navigation")
        self.navigation.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._nav_pages: list[QWidget] = []
        entries: list[tuple[str, QWidget | None]] = [
            ("today", self.today),
            ("clients", self.caseload),
            ("review", self.review),
            ("user", self.team),
            ("sync", self.sync),
            ("conflict", self.conflicts),
        ]
        for name, page in entries:
            if page is None:
                continue
            self.navigation.addItem(QListWidgetItem(icon(name), ""))
            self._nav_pages.append(page)
            self.pages.addWidget(page)
        self.navigation.currentRowChanged.connect(self._navigate)
        return self.navigation

    def _on_first_page_loaded(self, _what: object) -> None:
        """Once the first page (Vandaag or Cliënten) is on screen, make the dossier page while
        the user reads it (a second later: that page is painted first), so the first dossier
        opens as fast as the next. A dossier opened sooner makes it on the spot."""
        self.today.loaded.disconnect(self._on_first_page_loaded)
        self.caseload.loaded.disconnect(self._on_first_page_loaded)
        QTimer.singleShot(DOSSIER_WARMUP_MS, self, self._make_dossier)

    def _make_dossier(self) -> None:
        if self.session.store.is_open:
            self.dossier  # noqa: B018 - made on first use

    @property
    def dossier(self) -> DossierPage:
        """The dossier page, made on first use (with Esc/Back to leave it)."""
        if self._dossier is None:
            self._dossier = DossierPage(self.session)
            self._dossier.addAction(self._back_action)
            self.pages.addWidget(self._dossier)
        return self._dossier

    def _build_status_widgets(self) -> None:
        """Status-bar widgets; the window puts them in its status bar."""
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
        self.sync_button.clicked.connect(self._on_sync_button_clicked)
        self.settings_button = QPushButton(icon("settings"), "")
        self.settings_button.clicked.connect(self.settings_requested)
        self.lock_button = QPushButton(icon("lock"), "")
        self.lock_button.clicked.connect(self.lock_requested)

    def _follow_pages(self) -> None:
        """Screens redraw themselves from the change bus; the window only opens dossiers and
        follows the sync."""
        self.today.client_opened.connect(self._on_today_client_opened)
        self.caseload.client_opened.connect(self.open_client)
        self.today.loaded.connect(self._on_first_page_loaded)
        self.caseload.loaded.connect(self._on_first_page_loaded)
        # The status bar's widgets follow the sync page until the session closes (unfollowed
        # in close_session: a status still on its way must not reach deleted widgets).
        self._sync_links = [
            (self.sync.status_loaded, self._show_status),
            (self.sync.progress_changed, self._show_progress),
            (self.sync.synced, self._on_sync_ended),
            (self.sync.sync_failed, self._on_sync_ended),
            (self.sync.sync_cancelled, self._on_sync_ended),
            (self.sync.server_state_changed, self._on_server_state_changed),
        ]
        for signal, slot in self._sync_links:
            signal.connect(slot)
        self.sync.device_wiped.connect(self.wiped)

    def _build_actions(self) -> None:
        """Back (Esc) in the dossier, Alt+1…4 to the pages, F5 sync, Ctrl+L lock."""
        self._back_action = back = QAction(self)
        back.setShortcuts([QKeySequence(QKeySequence.StandardKey.Back), QKeySequence("Esc")])
        back.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back.triggered.connect(self.go_back)
        self._jump_actions: list[QAction] = []
        for number, _page in enumerate(self._nav_pages, start=1):
            jump = QAction(self)
            jump.setShortcut(QKeySequence(f"Alt+{number}"))
            jump.triggered.connect(lambda _=False, row=number - 1: self.jump_to(row))
            self.addAction(jump)
            self._jump_actions.append(jump)
        self.sync_action = self._window_action(SYNC_KEY, self._on_sync_button_clicked)
        self.lock_action = self._window_action(LOCK_KEY, self.lock_requested.emit)

    def _window_action(self, key: QKeySequence, slot: Any) -> QAction:
        action = QAction(self)
        action.setShortcut(key)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _=False: slot())
        self.addAction(action)
        return action

    # ------------------------------------------------------------------------------ language

    def retranslate(self) -> None:
        """(Re)set the navigation's and the status bar's texts in the current UI language."""
        self.navigation.setAccessibleName(self.tr("Navigatie"))
        names: dict[QWidget | None, str] = {
            self.today: self.tr("Vandaag"),
            self.caseload: self.tr("Cliënten"),
            self.review: self.tr("Beoordelen"),
            self.team: self.tr("Team"),
            self.sync: self.tr("Synchronisatie"),
            self.conflicts: self.tr("Conflicten"),
        }
        titles = tuple(names[page] for page in self._nav_pages)
        for row, title in enumerate(titles):
            item = self.navigation.item(row)
            item.setText(title)
            item.setToolTip(with_key(title, self._jump_actions[row].shortcut()))
            self._jump_actions[row].setText(self.tr("Naar %1").replace("%1", title))
        self._fit_navigation(titles)
        self.conflict_badge.setToolTip(self.tr("Conflicten oplossen"))
        self.sync_action.setText(self.tr("Nu synchroniseren"))
        self.settings_button.setText(self.tr("Instellingen"))
        self.settings_button.setToolTip(with_key(self.tr("Instellingen"), SETTINGS_KEY))
        lock_text = self.tr("Vergrendelen")
        self.lock_button.setText(lock_text)
        self.lock_button.setToolTip(with_key(lock_text, LOCK_KEY))
        self.lock_action.setText(lock_text)
        self._back_action.setText(self.tr("Terug"))
        self._show_server_state()
        self._show_sync_button()
        if self._status is not None:
            self._show_status(self._status)

    def _fit_navigation(self, titles: tuple[str, ...]) -> None:
        """As wide as its longest entry in this language (icon, padding and all), not a fixed
        200 pixels: at 150% on a 1366×768 screen every pixel of width goes to the page."""
        del titles  # the entries hold them; the style measures them with their padding
        self.navigation.doItemsLayout()
        entries = self.navigation.sizeHintForColumn(0)
        frame = 2 * self.navigation.frameWidth()
        self.navigation.setFixedWidth(max(entries + frame + 2 * SPACING, 140))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------------------------ pages

    def _navigate(self, row: int) -> None:
        if 0 <= row < len(self._nav_pages):
            self._show(self._nav_pages[row])

    def jump_to(self, row: int) -> None:
        """Alt+1…4: show the page and put the keyboard in it, so its own keys (Ctrl+F) work
        at once instead of the navigation list keeping the focus."""
        self.navigation.setCurrentRow(row)
        if 0 <= row < len(self._nav_pages):
            focus_into(self._nav_pages[row])

    def _show(self, page: QWidget) -> None:
        dossier = self._dossier
        if dossier is not None and self.pages.currentWidget() is dossier and page is not dossier:
            dossier.flush()
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

    def open_client(self, client_id: str, tab: int | None = None) -> None:
        current = self.pages.currentWidget()
        if current is not None and current is not self._dossier:
            self._back.append(current)
        self.dossier.show_client(client_id, tab)
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
            self.last_sync_label.setText(
                self.tr("Laatst gesynchroniseerd %1").replace("%1", moment_text(state.last_sync))
            )
        else:
            self.last_sync_label.setText(self.tr("Nog niet gesynchroniseerd"))
        self.conflict_badge.setText(
            self.tr("Conflicten: %1").replace("%1", str(state.open_conflicts))
        )
        set_style_property(self.conflict_badge, "alert", state.open_conflicts > 0)
        self.conflict_badge.setVisible(state.open_conflicts > 0)
        self._show_sync_button()

    def _show_sync_button(self) -> None:
        """'Nu synchroniseren' (F5), or while a round runs 'Synchronisatie stoppen' (F5 again):
        a server that takes the connection but never answers must not hold the user."""
        syncing = self.sync.is_syncing
        text = self.tr("Synchroniseren stoppen") if syncing else self.tr("Nu synchroniseren")
        self.sync_button.setText(text)
        self.sync_button.setToolTip(with_key(text, SYNC_KEY))
        has_server = self._status is None or self._status.server is not None
        self.sync_button.setEnabled(syncing or has_server)

    def _on_sync_button_clicked(self) -> None:
        if self.sync.is_syncing:
            self.sync.cancel_sync()
        else:
            self.sync.start_sync()
        self._show_sync_button()

    def _show_progress(self, text: str, done: int, total: int) -> None:
        self.progress.show()
        self.progress.setMaximum(max(total, 0))
        self.progress.setValue(min(done, total) if total else 0)
        self.progress.setToolTip(text)
        self._show_sync_button()

    def _on_sync_ended(self, *_result: object) -> None:
        self.progress.hide()
        self._show_sync_button()

    def check_reachable(self) -> None:
        """Ask the server for a sign of life, unless a sync round is already talking to it (the
        round says itself whether the server answers)."""
        if self._closed or not self.session.store.is_open or self.sync.is_syncing:
            return
        self._reachable_check = (
            ops_sync.check_server(parent=self, session=self.session)
            .success(self._on_reachable_checked)
            .failure(lambda _error: self._on_reachable_checked(False))
            .run()
        )

    def _on_reachable_checked(self, online: bool) -> None:
        if not self.sync.is_syncing:
            self._on_server_state_changed(ServerState.ONLINE if online else ServerState.OFFLINE)

    def _on_server_state_changed(self, state: str) -> None:
        was = self._online
        self._server_state = ServerState(state)
        self._online = None if state == ServerState.UNKNOWN else state == ServerState.ONLINE
        self._show_server_state()
        # Back in reach: sync in the background without being asked (send what waits, fetch
        # the team lead's decisions).
        if self._online and was is False and self.session.store.is_open:
            self.sync.start_sync()

    def _show_server_state(self) -> None:
        texts = {
            ServerState.UNKNOWN: self.tr("Verbinding onbekend"),
            ServerState.ONLINE: self.tr("Online"),
            ServerState.OFFLINE: self.tr("Offline"),
            ServerState.NO_ANSWER: self.tr("Server antwoordt niet"),
            ServerState.WAITING: self.tr("Wacht op verbinding…"),
        }
        self.online_text.setText(texts[self._server_state])
        set_style_property(self.online_dot, "online", self._server_state == ServerState.ONLINE)

    def _on_today_client_opened(self, client_id: str, place: str = "") -> None:
        """A Vandaag card opens the dossier where its item is dealt with."""
        self.open_client(client_id, TODAY_TABS.get(place))

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
        self._closed = True
        self._reachability.stop()
        if self._reachable_check is not None:
            self._reachable_check.cancel()
        for signal, slot in self._sync_links:
            signal.disconnect(slot)
        self._sync_links = []
        if self._dossier is not None:
            self._dossier.flush()
        close_store(parent=self, session=self.session).run()


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
        bus: ChangeBus | None = None,
    ) -> None:
        super().__init__()
        self.lanes = lanes
        self.bus = bus if bus is not None else ChangeBus()
        self.home = home
        self.settings = settings or QSettings()
        self._enroll_params = enroll_params
        # Qt adds the application's display name ("k.dijkstra — Veldwerk"): no name of our own.
        self.setWindowTitle("")

        self._fitted = False
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
        self._shortcuts_action = QAction(self)
        self._shortcuts_action.setShortcut(SHORTCUTS_KEY)
        self._shortcuts_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self._shortcuts_action.triggered.connect(self.show_shortcuts)
        self.addAction(self._shortcuts_action)
        self._retranslate_actions()
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

    def _retranslate_actions(self) -> None:
        self._settings_action.setText(self.tr("Instellingen"))
        self._shortcuts_action.setText(self.tr("Sneltoetsen"))

    def show_shortcuts(self) -> ShortcutsDialog:
        dialog = ShortcutsDialog(self, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def fit_to_screen(self) -> None:
        """Open at the preferred size, but never larger than the screen's free area (a
        1366×768 laptop, at 150% only 910×512 of Qt's pixels), and centred on it."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            self.resize(PREFERRED_SIZE)
            return
        free = screen.availableGeometry()
        # The frame (title bar, borders) is not known before the first show: leave room.
        room = QSize(max(free.width() - 16, 0), max(free.height() - 40, 0))
        size = PREFERRED_SIZE.boundedTo(room).expandedTo(self.minimumSizeHint().boundedTo(room))
        self.resize(size)
        self.move(free.center() - self.rect().center())

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        if not self._fitted:
            self._fitted = True
            self.fit_to_screen()
        super().showEvent(event)

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
        return page

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate_actions()
        super().changeEvent(event)

    def _on_unlocked(self, profile: Profile, store: Store) -> None:
        session = Session(profile=profile, store=store, lanes=self.lanes, bus=self.bus)
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
        self.setWindowTitle(profile.info.username)
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
        self.stack.setCurrentWidget(self.unlock_page)
        self.setWindowTitle("")
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

        def failed(exc: BaseException) -> None:
            QMessageBox.warning(self, self.tr("Synchroniseren mislukt"), error_text(exc))

        sync_expired_profile(
            parent=self,
            device=Device(self.lanes, self.bus),
            profile=profile,
            passphrase=passphrase,
        ).success(lambda _none: self.unlock_page.reload()).failure(failed).run()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self.workspace is not None:
            self.workspace.close_session()
        self.idle.close()
        super().closeEvent(event)
