"""The window as a new user meets it at 1366×768: it fits (at 100% and at 150%), its title names
the user once, the keys go where the user looks, and every shortcut can be looked up (F1)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QSettings, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.demo.profiles import DemoProfile
from app.services.sync import SyncStatus
from app.ui.dossier import DossierPage
from app.ui.i18n import install_translators
from app.ui.main_window import MainWindow, Workspace
from app.ui.session import Session
from app.ui.shortcuts_dialog import ShortcutsDialog, shortcut_rows
from app.ui.sync_page import SyncPage
from app.ui.tasks import Lanes

# A 1366×768 laptop screen less a 48-pixel task bar, in Qt's (device-independent) pixels.
SCREEN = QSize(1366, 768 - 48)


def available(scale: float) -> QSize:
    return QSize(int(SCREEN.width() / scale), int(SCREEN.height() / scale))


@pytest.fixture
def window(
    qtbot: QtBot, home: Path, lanes: Lanes, tmp_path: Path, demo_profiles: list[DemoProfile]
) -> Iterator[MainWindow]:
    settings = QSettings(str(tmp_path / "veldwerk.ini"), QSettings.Format.IniFormat)
    shown = MainWindow(lanes, home=home, settings=settings, idle_minutes=10)
    qtbot.addWidget(shown)
    shown.show()
    shown.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is shown, timeout=5000)
    yield shown
    if shown.workspace is not None:
        shown.lock()


@pytest.fixture
def workspace(window: MainWindow, session: Session, qtbot: QtBot) -> Workspace:
    window._on_unlocked(session.profile, session.store)
    assert window.workspace is not None
    return window.workspace


def _fits(size: QSize, room: QSize) -> bool:
    return size.width() <= room.width() and size.height() <= room.height()


@pytest.mark.parametrize("scale", [1.0, 1.5])
def test_every_main_screen_fits_a_1366x768_laptop(
    qtbot: QtBot, window: MainWindow, workspace: Workspace, scale: float
) -> None:
    room = available(scale)
    assert _fits(window.unlock_page.minimumSizeHint(), room)
    client_id = workspace.session.store.caseload(limit=1)[0].id
    pages: list[QWidget] = [
        workspace.today,
        workspace.caseload,
        workspace.sync,
        workspace.conflicts,
    ]
    for page in pages:
        workspace.show_page(page)
        assert workspace.current_page() is page
        assert _fits(window.minimumSizeHint(), room), (type(page).__name__, scale)
    workspace.open_client(client_id)
    assert _fits(window.minimumSizeHint(), room), ("dossier", scale)
    # With every page in the stack, the window's minimum is the largest page's.
    assert _fits(window.minimumSize().expandedTo(window.minimumSizeHint()), room)


def test_the_window_opens_within_the_screen(window: MainWindow) -> None:
    screen = window.screen() or QGuiApplication.primaryScreen()
    free = screen.availableGeometry()
    assert window.width() <= free.width()
    assert window.height() <= free.height()


def test_the_title_names_the_user_once(window: MainWindow, workspace: Workspace) -> None:
    # Qt shows "<title> — <display name>": the name of the application comes from Qt alone.
    assert window.windowTitle() == workspace.session.username
    assert "Veldwerk" not in window.windowTitle()
    window.lock()
    assert window.windowTitle() == ""


def test_alt_number_puts_the_keyboard_in_the_page(
    qtbot: QtBot, window: MainWindow, workspace: Workspace
) -> None:
    workspace.navigation.setFocus()
    qtbot.keyClick(  # type: ignore[no-untyped-call]
        window, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier
    )
    qtbot.waitUntil(lambda: workspace.current_page() is workspace.caseload, timeout=5000)
    focused = QApplication.focusWidget()
    assert focused is not None
    assert workspace.caseload.isAncestorOf(focused)
    # The page's own keys now work: Ctrl+F goes to the search field.
    qtbot.keyClick(  # type: ignore[no-untyped-call]
        focused, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier
    )
    qtbot.waitUntil(lambda: QApplication.focusWidget() is workspace.caseload.search, timeout=5000)


def test_lock_has_a_key(qtbot: QtBot, window: MainWindow, workspace: Workspace) -> None:
    qtbot.keyClick(  # type: ignore[no-untyped-call]
        window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier
    )
    qtbot.waitUntil(lambda: window.workspace is None, timeout=5000)
    assert window.stack.currentWidget() is window.unlock_page


def test_a_status_arriving_after_the_lock_reaches_no_deleted_widget(
    qtbot: QtBot, window: MainWindow, workspace: Workspace
) -> None:
    """A status load still on its way when the window locks used to reach the status bar's
    labels after they were deleted (a RuntimeError in the event loop, seen in CI)."""
    labels = [workspace.pending_label, workspace.last_sync_label, workspace.conflict_badge]
    window.lock()
    for label in labels:  # the deletions lock() queued, carried out now
        QCoreApplication.sendPostedEvents(label, QEvent.Type.DeferredDelete)
    late = SyncStatus(
        profile="late",
        server=None,
        pending_entries=3,
        open_conflicts=1,
        last_sync=None,
        cursor_age_days=None,
        lease_days=30,
        lease_expired=False,
    )
    workspace.sync.status_loaded.emit(late)
    workspace.sync.progress_changed.emit("pull", 1, 2)
    qtbot.wait(50)
    assert window.workspace is None


def test_a_reachability_answer_after_the_lock_reaches_no_deleted_widget(
    qtbot: QtBot, window: MainWindow, workspace: Workspace
) -> None:
    """A check whether the server answers, still on its way when the window locks, used to
    set the status bar's connection label after it was deleted (a RuntimeError in CI)."""
    qtbot.waitUntil(lambda: not workspace.sync.is_syncing, timeout=10_000)
    workspace.check_reachable()
    # The check is done on its lane meanwhile; its answer waits for the event loop, which
    # runs again only after the lock.
    time.sleep(1.0)
    label = workspace.online_text
    window.lock()
    QCoreApplication.sendPostedEvents(label, QEvent.Type.DeferredDelete)
    qtbot.wait(500)  # the check's answer arrives, and must find nothing to set
    assert window.workspace is None


def test_every_shortcut_is_shown_in_a_tooltip_and_in_the_f1_list(
    qtbot: QtBot, window: MainWindow, workspace: Workspace
) -> None:
    assert "F5" in workspace.sync_button.toolTip()
    assert "Ctrl+L" in workspace.lock_button.toolTip()
    assert "Ctrl+," in workspace.settings_button.toolTip()
    assert "Alt+1" in workspace.navigation.item(0).toolTip()
    rows = {text: keys for keys, text in shortcut_rows(window)}
    assert rows["Nu synchroniseren"] == "F5"
    assert rows["Vergrendelen"] == "Ctrl+L"
    assert rows["Naar Cliënten"] == "Alt+2"
    assert rows["Instellingen"] == "Ctrl+,"
    qtbot.keyClick(  # type: ignore[no-untyped-call]
        window, Qt.Key.Key_F1
    )
    qtbot.waitUntil(lambda: bool(window.findChildren(ShortcutsDialog)), timeout=5000)
    dialog = window.findChildren(ShortcutsDialog)[0]
    items = [dialog.table.item(row, 1) for row in range(dialog.table.rowCount())]
    shown = {item.text() for item in items if item is not None}
    assert {"Nu synchroniseren", "Vergrendelen", "Naar Vandaag", "Sneltoetsen"} <= shown
    dialog.reject()


def test_a_server_that_does_not_answer_is_named_in_the_status_bar(workspace: Workspace) -> None:
    workspace.sync.server_state_changed.emit("online")
    assert workspace.online_text.text() == "Online"
    workspace.sync.server_state_changed.emit("no_answer")
    assert workspace.online_text.text() == "Server antwoordt niet"
    assert workspace.online is False


def test_while_a_round_runs_the_sync_button_and_f5_stop_it(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    stopped: list[bool] = []

    def cancel(_page: SyncPage) -> bool:
        stopped.append(True)
        return True

    monkeypatch.setattr(SyncPage, "is_syncing", property(lambda _page: True))
    monkeypatch.setattr(SyncPage, "cancel_sync", cancel)
    workspace._show_sync_button()
    assert workspace.sync_button.text() == "Synchroniseren stoppen"
    assert workspace.sync_button.isEnabled()
    assert "F5" in workspace.sync_button.toolTip()
    workspace.sync_action.trigger()
    assert stopped == [True]


def test_a_today_card_opens_the_dossier_where_its_item_is_dealt_with(
    qtbot: QtBot, workspace: Workspace
) -> None:
    client_id = workspace.session.store.caseload(limit=1)[0].id
    workspace.today.client_opened.emit(client_id, "visits")
    assert workspace.current_page() is workspace.dossier
    assert workspace.dossier.tabs.currentIndex() == DossierPage.VISITS
    qtbot.waitUntil(lambda: workspace.dossier.dossier is not None, timeout=10_000)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_navigation_shows_every_entry_whole(
    qtbot: QtBot, qapp: QApplication, workspace: Workspace, language: str
) -> None:
    install_translators(qapp, language)
    try:
        navigation = workspace.navigation
        title = "Sync" if language == "en" else "Synchronisatie"
        qtbot.waitUntil(lambda: navigation.item(2).text() == title, timeout=5000)
        assert navigation.sizeHintForColumn(0) <= navigation.viewport().width()
        assert navigation.horizontalScrollBar().maximum() == 0
    finally:
        install_translators(qapp, "nl")


def test_the_dossier_page_is_made_after_the_first_page_is_shown_not_at_unlock(
    qtbot: QtBot, workspace: Workspace
) -> None:
    # A third of the workspace's widgets: made while the user reads Vandaag, so neither
    # the unlock nor the first dossier waits for it.
    assert workspace._dossier is None
    qtbot.waitUntil(lambda: workspace._dossier is not None, timeout=10_000)
    assert workspace.pages.indexOf(workspace.dossier) >= 0


@pytest.fixture
def lead_workspace(window: MainWindow, team_lead_session: Session) -> Workspace:
    window._on_unlocked(team_lead_session.profile, team_lead_session.store)
    assert window.workspace is not None
    return window.workspace


def test_a_team_lead_starts_on_beoordelen_and_has_a_team_page(
    qtbot: QtBot, lead_workspace: Workspace
) -> None:
    navigation = lead_workspace.navigation
    titles = [navigation.item(row).text() for row in range(navigation.count())]
    assert titles == [
        "Vandaag",
        "Cliënten",
        "Beoordelen",
        "Team",
        "Synchronisatie",
        "Conflicten",
    ]
    assert lead_workspace.current_page() is lead_workspace.review
    QTest.keyClick(lead_workspace, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: lead_workspace.current_page() is lead_workspace.team, timeout=5000)


def test_a_caseworker_has_no_review_or_team_page(workspace: Workspace) -> None:
    navigation = workspace.navigation
    titles = [navigation.item(row).text() for row in range(navigation.count())]
    assert "Beoordelen" not in titles and "Team" not in titles
    assert workspace.review is None and workspace.team is None


@pytest.mark.parametrize("scale", [1.0, 1.5])
def test_the_team_leads_pages_fit_a_1366x768_laptop(
    window: MainWindow, lead_workspace: Workspace, scale: float
) -> None:
    room = available(scale)
    for page in (lead_workspace.review, lead_workspace.team):
        assert page is not None
        lead_workspace.show_page(page)
        assert _fits(window.minimumSizeHint(), room), (type(page).__name__, scale)
