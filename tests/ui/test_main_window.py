"""The whole window as a caseworker uses it: unlock, caseload, dossier, pending count, sync
against a real central server, lock by button and by inactivity."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.demo.profiles import CASEWORKER_PROFILE
from app.demo.server import EmbeddedServer, start_demo
from app.domain.client import Client
from app.domain.notes import Note
from app.ui.caseload_model import CaseloadModel
from app.ui.main_window import MainWindow, Workspace
from app.ui.operations.sync import ServerState
from app.ui.tasks import Lanes
from tests.ui.conftest import FAST


@pytest.fixture
def demo_server(tmp_path: Path, home: Path) -> Iterator[EmbeddedServer]:
    server = start_demo(clients=30, seed=11, home=home, params=FAST)
    yield server
    server.stop()


@pytest.fixture
def window(qtbot: QtBot, home: Path, lanes: Lanes, tmp_path: Path) -> Iterator[MainWindow]:
    settings = QSettings(str(tmp_path / "veldwerk.ini"), QSettings.Format.IniFormat)
    shown = MainWindow(lanes, home=home, settings=settings, idle_minutes=10)
    qtbot.addWidget(shown)
    shown.show()
    yield shown
    if shown.workspace is not None:
        shown.lock()


def _click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)  # type: ignore[no-untyped-call]


def _unlock(qtbot: QtBot, window: MainWindow, passphrase: str) -> Workspace:
    page = window.unlock_page
    page.reload()
    assert page.select_profile(CASEWORKER_PROFILE)
    page.passphrase_edit.setText(passphrase)
    _click(qtbot, page.unlock_button)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=15_000)
    assert window.workspace is not None
    return window.workspace


def test_unlock_work_sync_and_lock(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    caseworker = next(a for a in demo_server.accounts if a.role == "caseworker")

    # Wrong passphrase first: the attempts left are shown, nothing opens.
    page = window.unlock_page
    page.reload()
    assert page.select_profile(CASEWORKER_PROFILE)
    page.passphrase_edit.setText("niet de goede wachtwoordzin")
    _click(qtbot, page.unlock_button)
    qtbot.waitUntil(lambda: "pogingen" in page.message_label.text(), timeout=15_000)
    assert window.workspace is None

    workspace = _unlock(qtbot, window, caseworker.passphrase)
    assert workspace.current_page() is workspace.today
    qtbot.waitUntil(lambda: workspace.online is True, timeout=15_000)

    # The caseload, then a dossier opened from it.
    workspace.navigation.setCurrentRow(1)
    assert workspace.current_page() is workspace.caseload
    qtbot.waitUntil(lambda: workspace.caseload.model.rowCount() > 0, timeout=15_000)
    client_id = workspace.caseload.model.index(0, 0).data(CaseloadModel.ClientIdRole)
    store = workspace.session.store
    client = store.get(Client, str(client_id))
    assert client is not None
    workspace.open_client(client.id)
    assert workspace.current_page() is workspace.dossier
    qtbot.waitUntil(lambda: workspace.dossier.client_id == client.id, timeout=15_000)

    # An edit makes the pending count rise in the status bar; syncing sends it.
    step = (client.participation_step or 0) % 5 + 1
    store.update(replace(client, participation_step=step))
    workspace.sync.refresh()
    qtbot.waitUntil(lambda: "1 wijziging" in workspace.pending_label.text(), timeout=15_000)
    _click(qtbot, workspace.sync_button)
    qtbot.waitUntil(lambda: "0 wijzigingen" in workspace.pending_label.text(), timeout=30_000)
    assert "Laatst gesynchroniseerd" in workspace.last_sync_label.text()
    assert store.pending_count() == 0

    # Back from the dossier, then lock: the workspace and its store are gone.
    workspace.go_back()
    assert workspace.current_page() is workspace.caseload
    _click(qtbot, workspace.lock_button)
    assert window.workspace is None
    assert window.stack.currentWidget() is window.unlock_page
    qtbot.waitUntil(lambda: not store.is_open, timeout=10_000)


def test_inactivity_locks(qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer) -> None:
    caseworker = next(a for a in demo_server.accounts if a.role == "caseworker")
    workspace = _unlock(qtbot, window, caseworker.passphrase)
    store = workspace.session.store
    window.idle.set_interval_ms(200)
    qtbot.waitUntil(lambda: window.workspace is None, timeout=10_000)
    qtbot.waitUntil(lambda: not store.is_open, timeout=10_000)
    assert window.stack.currentWidget() is window.unlock_page


def test_coming_back_online_syncs_by_itself(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    caseworker = next(a for a in demo_server.accounts if a.role == "caseworker")
    workspace = _unlock(qtbot, window, caseworker.passphrase)
    qtbot.waitUntil(lambda: workspace.online is True, timeout=15_000)
    store = workspace.session.store
    client = store.get(Client, store.caseload()[0].id)
    assert client is not None
    store.update(replace(client, participation_step=(client.participation_step or 0) % 5 + 1))
    assert store.pending_count() == 1

    # The laptop was out of reach; the next check finds the server again and syncs unasked.
    workspace._on_server_state_changed(ServerState.OFFLINE)
    assert workspace.online_text.text() == "Offline"
    workspace.check_reachable()
    qtbot.waitUntil(lambda: store.pending_count() == 0, timeout=30_000)
    assert workspace.online is True


def test_a_note_typed_just_before_the_lock_is_kept(
    qtbot: QtBot, window: MainWindow, demo_server: EmbeddedServer
) -> None:
    caseworker = next(a for a in demo_server.accounts if a.role == "caseworker")
    workspace = _unlock(qtbot, window, caseworker.passphrase)
    store = workspace.session.store
    client_id = store.caseload()[0].id
    with qtbot.waitSignal(workspace.dossier.loaded, timeout=15_000):
        workspace.open_client(client_id)
    notes = workspace.dossier.notes_tab
    workspace.dossier.tabs.setCurrentWidget(notes)
    notes.start_new()
    qtbot.keyClicks(notes.editor, "Afspraak verzet naar dinsdag")  # type: ignore[no-untyped-call]
    # Locked at once, well before the note's own save would have run.
    _click(qtbot, workspace.lock_button)
    qtbot.waitUntil(lambda: not store.is_open, timeout=10_000)

    again = _unlock(qtbot, window, caseworker.passphrase)
    texts = [n.text for n in again.session.store.for_client(Note, client_id)]
    assert "Afspraak verzet naar dinsdag" in texts
