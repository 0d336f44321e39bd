"""Pictures of every main screen, rendered offscreen from demo data, for review.

    python -m app.ui.screenshots OUTDIR [--language nl|en | --all-languages] [--dark]
                                        [--scale 1.0|1.5] [--clients N]

An embedded central server (the same `python -m server.cli` the demo runs) gets the generated
demo caseload; a caseworker and a team lead enroll through it into a temporary VELDWERK_HOME, and
a second device of the same caseworker changes a client the caseworker also changed, so the sync
shown on the Synchronisatie page finds a real conflict. The real MainWindow is then driven the way
a user would (unlock, sync, Conflicten, Vandaag, Cliënten, a search, the dossier found with it and
its tabs, a note typed) and each screen is grabbed at 1366×768 (logical pixels; ×1.5 with
--scale 1.5) into OUTDIR as PNG. One line per file written goes to stdout; the exit code is 1
when a screen failed or came out blank (a single colour). With --all-languages every language is
rendered into OUTDIR/<language>.

Nothing of the user's is touched: profiles live in a temporary folder that is removed at the end,
the window's settings go to a file there, and for the run the OS credential store is swapped for
keyring's null backend and the time zone is the caseworkers' (Europe/Amsterdam). The demo seed and
"today" (Vandaag, overdue markers in the caseload) are fixed. What still follows the real clock:
the times of the sync itself (last sync, when a conflict was seen, the history), the age in the
dossier header; and the embedded server's port shows on the Synchronisatie page.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, MutableMapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, cast

import keyring
import keyring.backends.null
from PySide6.QtCore import QLocale, QPoint, QSettings, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPalette, QPixmap
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from app.domain.client import Client
from app.domain.demo_data import DEMO_TODAY
from app.domain.errors import VeldwerkError
from app.domain.notes import Note
from app.domain.values import PhoneNumber
from app.domain.visit import Visit
from app.services.conflicts import list_conflicts, resolve_conflict
from app.services.demo import (
    CASEWORKER,
    CASEWORKER_PROFILE,
    TEAM_LEAD,
    TEAM_LEAD_PROFILE,
    demo_passphrase,
)
from app.services.demo_server import (
    _PASSWORD_LINE,
    DemoAccount,
    EmbeddedServer,
    _free_port,
    _server_cli,
    _wait_until_up,
)
from app.services.sync import enroll, sync_profile
from app.storage.profiles import Profile, find_profile
from app.storage.store import Store
from app.storage.vault import KdfParams
from app.ui.caseload_model import CaseloadModel
from app.ui.dossier import DossierPage
from app.ui.dossier.models import RecordRole
from app.ui.enroll_wizard import EnrollWizard
from app.ui.i18n import SUPPORTED, install_translators, remove_translators
from app.ui.main_window import MainWindow, Workspace
from app.ui.tasks import Lanes
from app.ui.theme import apply_theme

SCREENS: tuple[str, ...] = (
    "01-ontgrendelen",
    "02-aanmelden",
    "03-vandaag",
    "04-clienten",
    "05-clienten-zoeken",
    "06-dossier-overzicht",
    "07-dossier-bezoeken",
    "08-dossier-notities",
    "09-dossier-historie",
    "10-synchronisatie",
    "11-conflicten",
)
WINDOW_SIZE = QSize(1366, 768)  # logical pixels; the PNGs are this times --scale
SCALES = (1.0, 1.5)
DEFAULT_CLIENTS = 60
MIN_CLIENTS = 4  # two caseworkers share the caseload; ours needs two clients
SEED = 2026  # the demo's own default seed: the same caseload `veldwerk demo` shows
TODAY = DEMO_TODAY  # the day the demo caseload is generated around
WAIT_SECONDS = 30.0  # for any one thing to appear; a stuck screen fails, the run goes on
# Fake people behind a passphrase nobody needs to guess: a cheap key derivation keeps it quick.
FAST_KDF = KdfParams(1024, 1, 1)

_OTHER_DEVICE = "demo-caseworker-laptop-2"
# Typed into the dossier on the Notities screen.
NOTE_TEXT = "Telefonisch contact gehad. Afspraak voor het volgende huisbezoek bevestigd."
# The caseworkers' time zone, for the times the dossier shows in the system's zone.
TIME_ZONE = "Europe/Amsterdam"
# Where the window sits on the (offscreen) screen: away from the pointer at 0,0, which would
# otherwise hover the first navigation entry in every picture.
WINDOW_POSITION = QPoint(64, 64)


class ScreenError(Exception):
    """A screen could not be brought up or grabbed; the message says which and why."""


# ------------------------------------------------------------------------------ the demo world


@dataclass
class DemoWorld:
    """The embedded server, the two profiles on "this device" and a second caseworker device."""

    server: EmbeddedServer
    home: Path
    caseworker: DemoAccount
    other_profile: Profile
    other_passphrase: str
    dossier_client: str = ""
    conflict_client: str = ""
    accounts: list[DemoAccount] = field(default_factory=list)

    def caseworker_profile(self) -> Profile:
        return find_profile(CASEWORKER_PROFILE, self.home)


def _enroll_and_sync(
    database_url: str,
    url: str,
    *,
    username: str,
    password: str,
    profile_name: str,
    home: Path,
) -> tuple[Profile, str]:
    code = _server_cli(database_url, "enrollment-code", username).strip().splitlines()[-1]
    passphrase = demo_passphrase()
    profile, store = enroll(
        server_url=url,
        username=username,
        password=password,
        code=code.strip(),
        passphrase=passphrase,
        profile_name=profile_name,
        home=home,
        params=FAST_KDF,
    )
    try:
        sync_profile(profile, store)
    finally:
        store.close()
    return profile, passphrase


def start_world(folder: Path, *, clients: int) -> DemoWorld:
    """Start the embedded server with the demo data and enroll the devices (as `veldwerk demo`
    does, plus a second device of the caseworker, which needs the caseworker's password)."""
    server_folder = folder / "server"
    server_folder.mkdir()
    home = folder / "home"
    database_url = f"sqlite:///{server_folder / 'central.db'}"
    _server_cli(database_url, "init-db")
    seeded = _server_cli(database_url, "demo-seed", "--clients", str(clients), "--seed", str(SEED))
    passwords = {
        m.group(2): m.group(3)
        for m in (_PASSWORD_LINE.match(line) for line in seeded.splitlines())
        if m is not None
    }
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "server.cli",
            "--database-url",
            database_url,
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "VELDWERK_LOG_LEVEL": "WARNING"},
    )
    server = EmbeddedServer(url=url, folder=server_folder, process=process)
    try:
        _wait_until_up(url, process)
        accounts = []
        for name, username, role in (
            (CASEWORKER_PROFILE, CASEWORKER, "caseworker"),
            (TEAM_LEAD_PROFILE, TEAM_LEAD, "team_lead"),
        ):
            _profile, passphrase = _enroll_and_sync(
                database_url,
                url,
                username=username,
                password=passwords[username],
                profile_name=name,
                home=home,
            )
            accounts.append(DemoAccount(name, username, role, passphrase))
        other, other_passphrase = _enroll_and_sync(
            database_url,
            url,
            username=CASEWORKER,
            password=passwords[CASEWORKER],
            profile_name=_OTHER_DEVICE,
            home=folder / "other-device",
        )
        world = DemoWorld(
            server=server,
            home=home,
            caseworker=accounts[0],
            other_profile=other,
            other_passphrase=other_passphrase,
            accounts=accounts,
        )
        _choose_clients(world)
        return world
    except BaseException:
        server.stop()
        raise


def _choose_clients(world: DemoWorld) -> None:
    """The dossier to show: the richest one (recorded visits, notes); the conflict: another."""
    store = world.caseworker_profile().unlock(world.caseworker.passphrase)
    try:
        ids = [summary.id for summary in store.caseload()]
        if len(ids) < 2:
            raise ScreenError("the caseworker needs at least two clients; use more --clients")

        def richness(client_id: str) -> tuple[bool, bool, int]:
            visits = store.for_client(Visit, client_id)
            notes = store.for_client(Note, client_id)
            recorded = any(v.notes for v in visits)
            return recorded, bool(notes), len(visits) + len(notes)

        world.dossier_client = max(ids, key=richness)
        world.conflict_client = next(i for i in ids if i != world.dossier_client)
    finally:
        store.close()


def _client(store: Store, client_id: str) -> Client:
    found = store.get(Client, client_id)
    if found is None:
        raise ScreenError("the conflict client is missing from a device")
    return found


def make_conflict(world: DemoWorld, round_number: int) -> None:
    """The second device changes a client's phone and ladder step and syncs; this device changes
    the same fields differently and has not synced since: its next sync finds the conflict.

    What an earlier round left on this device is settled first (open conflicts resolved as
    "theirs", the note typed then sent), so every round's sync sends one change, receives one
    and finds one conflict."""
    mine = world.caseworker_profile()
    store = mine.unlock(world.caseworker.passphrase)
    try:
        for conflict in list_conflicts(store):
            resolve_conflict(store, conflict.id, choice="theirs")
        sync_profile(mine, store)
    finally:
        store.close()

    other = world.other_profile
    store = other.unlock(world.other_passphrase)
    try:
        sync_profile(other, store)
        before = _client(store, world.conflict_client)
        office_step = next(s for s in range(1, 7) if s != before.participation_step)
        store.update(
            replace(
                before,
                phone=PhoneNumber(f"059524187{round_number % 10}"),
                participation_step=office_step,
            )
        )
        sync_profile(other, store)
    finally:
        store.close()

    store = mine.unlock(world.caseworker.passphrase)
    try:
        before = _client(store, world.conflict_client)
        my_step = next(s for s in range(1, 7) if s not in (before.participation_step, office_step))
        store.update(
            replace(
                before,
                phone=PhoneNumber(f"061234567{round_number % 10}"),
                participation_step=my_step,
            )
        )
    finally:
        store.close()


# ------------------------------------------------------------------------------ Qt plumbing


def wait_until(condition: Callable[[], bool], what: str, timeout: float = WAIT_SECONDS) -> None:
    """Run the event loop until `condition()` holds (lane results arrive as queued signals)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise ScreenError(f"timed out waiting for {what}")
        QTest.qWait(10)


def settle(lanes: Lanes, timeout: float = WAIT_SECONDS) -> None:
    """Until both lanes are idle and their results (and what those started) are on screen."""
    deadline = time.monotonic() + timeout
    quiet = 0
    while quiet < 3:
        if time.monotonic() > deadline:
            raise ScreenError("timed out waiting for background work to finish")
        QTest.qWait(10)
        quiet = 0 if lanes.storage.busy or lanes.network.busy else quiet + 1


def is_single_colour(image: QImage) -> bool:
    rgb = image.convertToFormat(QImage.Format.Format_RGB32)
    data = bytes(rgb.constBits())
    return len(data) < 4 or data == data[:4] * (len(data) // 4)


def expected_size(scale: float) -> QSize:
    return QSize(round(WINDOW_SIZE.width() * scale), round(WINDOW_SIZE.height() * scale))


def _with_dialog(base: QPixmap, window: QWidget, dialog: QWidget) -> QPixmap:
    """The window with a (window-modal) dialog drawn centred over it, as the user sees it:
    grabbing the window alone leaves out its top-level dialogs."""
    picture = QPixmap(base)
    shot = dialog.grab()
    x = max(0, (window.width() - dialog.width()) // 2)
    y = max(0, (window.height() - dialog.height()) // 2)
    painter = QPainter(picture)
    try:
        painter.fillRect(0, 0, window.width(), window.height(), QColor(0, 0, 0, 64))
        painter.drawPixmap(QPoint(x, y), shot)
        painter.setPen(dialog.palette().color(QPalette.ColorRole.Mid))
        painter.drawRect(x, y, dialog.width() - 1, dialog.height() - 1)
    finally:
        painter.end()
    return picture


def _type(widget: QWidget, text: str) -> None:
    """Type like a user, one key at a time. A non-ASCII character goes as a text key event:
    QTest.keyClicks aborts the process on one."""
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    for char in text:
        if char.isascii():
            QTest.keyClicks(widget, char)
        else:
            QTest.sendKeyEvent(
                QTest.KeyAction.Click,
                widget,
                Qt.Key.Key_unknown,
                char,
                Qt.KeyboardModifier.NoModifier,
            )


# ------------------------------------------------------------------------------ the screens


class Shooter:
    """Drives one MainWindow through the screens and writes a PNG of each."""

    def __init__(
        self,
        window: MainWindow,
        lanes: Lanes,
        world: DemoWorld,
        outdir: Path,
        *,
        scale: float,
        emit: Callable[[str], None],
    ) -> None:
        self.window = window
        self.lanes = lanes
        self.world = world
        self.outdir = outdir
        self.size = expected_size(scale)
        self.emit = emit
        self.written: list[Path] = []
        self.failures: dict[str, str] = {}
        self._sync_error: str | None = None

    # Writing a picture.

    def save(self, name: str, picture: QPixmap) -> None:
        image = picture.toImage()
        if image.isNull():
            raise ScreenError("the grab is empty")
        if image.size() != self.size:
            raise ScreenError(
                f"the picture is {image.width()}×{image.height()}, "
                f"not {self.size.width()}×{self.size.height()}"
            )
        if is_single_colour(image):
            raise ScreenError("the picture is blank (a single colour)")
        path = self.outdir / f"{name}.png"
        if not image.save(str(path)):
            raise ScreenError(f"could not write {path}")
        self.written.append(path)
        self.emit(str(path))

    def grab(self, name: str) -> None:
        settle(self.lanes)
        self.save(name, self.window.grab())

    def shoot(self, name: str, step: Callable[[], None]) -> bool:
        try:
            step()
        except ScreenError as exc:
            self.failures[name] = str(exc)
            return False
        except Exception as exc:  # noqa: BLE001 - reported per screen, the run goes on
            self.failures[name] = f"{type(exc).__name__}: {exc}"
            return False
        return True

    @property
    def workspace(self) -> Workspace:
        workspace = self.window.workspace
        if workspace is None:
            raise ScreenError("the profile is not unlocked")
        return workspace

    # The run.

    def run(self) -> None:
        self.shoot("01-ontgrendelen", self.unlock_screen)
        self.shoot("02-aanmelden", self.enroll_screen)
        if not self.shoot("unlock", self.unlock):
            reason = self.failures.pop("unlock")
            for name in SCREENS[2:]:
                self.failures[name] = f"not unlocked: {reason}"
            return
        # Sync first, so every later screen shows the same status bar (last sync, conflicts).
        self.shoot("10-synchronisatie", self.sync_screen)
        self.shoot("11-conflicten", self.conflicts_screen)
        self.shoot("03-vandaag", self.today_screen)
        self.shoot("04-clienten", self.caseload_screen)
        self.shoot("05-clienten-zoeken", self.search_screen)
        if not self.shoot("06-dossier-overzicht", self.dossier_screen):
            for name in SCREENS[6:9]:
                self.failures[name] = "the dossier did not open"
            return
        self.shoot("07-dossier-bezoeken", self.visits_screen)
        self.shoot("08-dossier-notities", self.notes_screen)
        self.shoot("09-dossier-historie", self.history_screen)

    def unlock_screen(self) -> None:
        page = self.window.unlock_page
        page.reload()
        if len(page.profiles()) < 2 or not page.select_profile(CASEWORKER_PROFILE):
            raise ScreenError("the unlock page does not list both demo profiles")
        page.focus_passphrase()
        self.grab("01-ontgrendelen")

    def enroll_screen(self) -> None:
        QTest.mouseClick(self.window.unlock_page.enroll_button, Qt.MouseButton.LeftButton)
        wait_until(
            lambda: any(w.isVisible() for w in self.window.findChildren(EnrollWizard)),
            "the enrollment wizard",
        )
        wizard = next(w for w in self.window.findChildren(EnrollWizard) if w.isVisible())
        try:
            settle(self.lanes)
            self.save("02-aanmelden", _with_dialog(self.window.grab(), self.window, wizard))
        finally:
            wizard.reject()
            wizard.deleteLater()
            QTest.qWait(10)

    def unlock(self) -> None:
        page = self.window.unlock_page
        if not page.select_profile(CASEWORKER_PROFILE):
            raise ScreenError("the caseworker's profile is not listed")
        page.passphrase_edit.setText(self.world.caseworker.passphrase)
        QTest.mouseClick(page.unlock_button, Qt.MouseButton.LeftButton)
        wait_until(lambda: self.window.workspace is not None, "the unlocked workspace")
        workspace = self.workspace
        # Workspace makes its pages with the system clock's today and has no hook for another
        # day; both pages take `today=` in their constructor and keep it here.
        for page_with_day in (workspace.today, workspace.caseload):
            if not hasattr(page_with_day, "_today"):
                raise ScreenError(f"{type(page_with_day).__name__} has no '_today' to fix")
            page_with_day._today = lambda: TODAY  # noqa: SLF001
        workspace.today.refresh()
        wait_until(lambda: workspace.online is not None, "the server reachability check")
        settle(self.lanes)

    def sync_screen(self) -> None:
        workspace = self.workspace
        workspace.show_page(workspace.sync)
        settle(self.lanes)
        page = workspace.sync
        page.sync_failed.connect(self._on_sync_failed)
        if not page.sync_button.isEnabled():
            raise ScreenError("the sync button is disabled")
        QTest.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)
        wait_until(
            lambda: (
                self._sync_error is not None
                or (page.last_report is not None and not page.is_syncing)
            ),
            "the sync",
        )
        if self._sync_error is not None:
            raise ScreenError(f"the sync failed: {self._sync_error}")
        report = page.last_report
        if report is None or report.conflicts < 1:
            raise ScreenError("the sync found no conflict")
        self.grab("10-synchronisatie")

    def _on_sync_failed(self, exc: BaseException) -> None:
        self._sync_error = f"{type(exc).__name__}: {exc}"

    def conflicts_screen(self) -> None:
        workspace = self.workspace
        workspace.show_page(workspace.conflicts)
        page = workspace.conflicts
        wait_until(
            lambda: page.model.rowCount() > 0 and page.selected_conflict() is not None,
            "the open conflicts",
        )
        if not workspace.conflict_badge.isVisible():
            raise ScreenError("the conflicts badge is not shown")
        self.grab("11-conflicten")

    def today_screen(self) -> None:
        workspace = self.workspace
        workspace.show_page(workspace.today)
        page = workspace.today
        wait_until(
            lambda: page.view is not None and page.view.day == TODAY and bool(page.cards()),
            "today's visits",
        )
        self.grab("03-vandaag")

    def caseload_screen(self) -> None:
        workspace = self.workspace
        workspace.show_page(workspace.caseload)
        page = workspace.caseload
        wait_until(lambda: page.model.rowCount() > 0, "the caseload rows")
        page.focus_search()
        self.grab("04-clienten")

    def search_screen(self) -> None:
        page = self.workspace.caseload
        store = self.workspace.session.store
        client = _client(store, self.world.dossier_client)
        words = re.findall(r"\w+", client.name.surname)
        typed = (words[0] if words else client.name.surname)[:4].lower()
        rows = page.model.rowCount()
        before = page.queries_run
        _type(page.search, typed)
        wait_until(
            lambda: (
                page.query.text == typed
                and page.queries_run > before
                and page.model.row_of(self.world.dossier_client) >= 0
            ),
            "the search results",
        )
        if page.model.rowCount() >= rows:
            raise ScreenError(f"searching for {typed!r} did not narrow the list")
        self.grab("05-clienten-zoeken")

    def dossier_screen(self) -> None:
        workspace = self.workspace
        caseload = workspace.caseload
        row = caseload.model.row_of(self.world.dossier_client)
        if row < 0:
            raise ScreenError("the dossier client is not in the list")
        index = caseload.model.index(row, 0)
        if index.data(CaseloadModel.ClientIdRole) != self.world.dossier_client:
            raise ScreenError("the caseload model gave another client for the row")
        caseload.table.setCurrentIndex(index)
        caseload.table.setFocus(Qt.FocusReason.OtherFocusReason)
        QTest.keyClick(caseload.table, Qt.Key.Key_Return)
        dossier = workspace.dossier
        wait_until(
            lambda: (
                workspace.current_page() is dossier
                and dossier.client_id == self.world.dossier_client
                and dossier.dossier is not None
            ),
            "the dossier",
        )
        dossier.tabs.setCurrentIndex(DossierPage.OVERVIEW)
        self.grab("06-dossier-overzicht")

    def visits_screen(self) -> None:
        dossier = self.workspace.dossier
        dossier.tabs.setCurrentIndex(DossierPage.VISITS)
        tab = dossier.visits_tab
        wait_until(lambda: tab.model.rowCount() > 0, "the visits")
        recorded = [
            row
            for row in range(tab.model.rowCount())
            if isinstance(visit := tab.model.index(row, 0).data(RecordRole), Visit) and visit.notes
        ]
        tab.view.selectRow(recorded[0] if recorded else 0)
        self.grab("07-dossier-bezoeken")

    def notes_screen(self) -> None:
        """A new note typed into the dossier: saved as it is typed, so it shows "Opgeslagen"."""
        dossier = self.workspace.dossier
        dossier.tabs.setCurrentIndex(DossierPage.NOTES)
        tab = dossier.notes_tab
        before = tab.model.rowCount()
        QTest.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
        _type(tab.editor, NOTE_TEXT)
        wait_until(
            lambda: tab.saved_hint.isVisible() and tab.model.rowCount() > before,
            "the typed note to be saved",
        )
        self.grab("08-dossier-notities")

    def history_screen(self) -> None:
        dossier = self.workspace.dossier
        dossier.tabs.setCurrentIndex(DossierPage.HISTORY)
        # Opened, and the note added on the previous screen.
        wait_until(lambda: dossier.history_model.rowCount() > 1, "the history")
        self.grab("09-dossier-historie")


# ------------------------------------------------------------------------------ the program


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m app.ui.screenshots",
        description="Render every main screen of the desktop client from demo data to PNG.",
    )
    parser.add_argument("outdir", type=Path, help="folder for the PNG files (made if missing)")
    languages = parser.add_mutually_exclusive_group()
    languages.add_argument("--language", choices=SUPPORTED, default="nl")
    languages.add_argument(
        "--all-languages",
        action="store_true",
        help="render every language, each into OUTDIR/<language>",
    )
    parser.add_argument("--dark", action="store_true", help="the dark palette")
    parser.add_argument(
        "--scale",
        type=float,
        choices=SCALES,
        default=1.0,
        help="Qt scale factor (QT_SCALE_FACTOR); 1.5 shows the layout at 150%%",
    )
    parser.add_argument(
        "--clients",
        type=int,
        default=DEFAULT_CLIENTS,
        help=f"clients in the demo caseload (at least {MIN_CLIENTS}; default {DEFAULT_CLIENTS})",
    )
    return parser


def prepare_environment(scale: float, environ: MutableMapping[str, str]) -> None:
    """Before the QApplication exists: offscreen unless a display was asked for and is there,
    and the scale factor."""
    display = environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY")
    no_display = sys.platform.startswith("linux") and not display
    if not environ.get("QT_QPA_PLATFORM") or no_display:
        environ["QT_QPA_PLATFORM"] = "offscreen"
    environ["QT_SCALE_FACTOR"] = f"{scale:g}"
    for other_scaling in ("QT_SCREEN_SCALE_FACTORS", "QT_FONT_DPI", "QT_AUTO_SCREEN_SCALE_FACTOR"):
        environ.pop(other_scaling, None)  # --scale alone decides


@contextmanager
def _application(scale: float) -> Iterator[QApplication]:
    """The QApplication; an existing one (tests) is used and given back as it was found."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        ratio = existing.devicePixelRatio()
        if abs(ratio - scale) > 0.01:
            raise ScreenError(
                f"--scale {scale:g} needs a process of its own (this one runs at {ratio:g})"
            )
        with _restored(existing):
            yield existing
        return
    prepare_environment(scale, os.environ)
    app = QApplication([sys.argv[0] if sys.argv else "screenshots"])
    app.setOrganizationName("Veldwerk")
    app.setApplicationName("Veldwerk screenshots")  # its own settings, never the user's
    yield app


@contextmanager
def _restored(app: QApplication) -> Iterator[None]:
    """Theme, language and cursor blink as they were, for a caller's QApplication."""
    style = app.style().name() or "fusion"
    palette = QPalette(app.palette())
    font = app.font()
    sheet = app.styleSheet()
    properties = {
        name: app.property(name)
        for name in ("veldwerk_dark", "veldwerk_theme_follows_system", "veldwerk_language")
    }
    locale = QLocale()
    try:
        yield
    finally:
        remove_translators(app)
        QLocale.setDefault(locale)
        app.setStyleSheet(sheet)
        app.setStyle(style)
        app.setPalette(palette)
        app.setFont(font)
        for name, value in properties.items():
            if name == "veldwerk_theme_follows_system" and value is None and app.property(name):
                value = False  # the scheme-change hook stays connected; keep it inert
            app.setProperty(name, value)


@contextmanager
def _private_run(home: Path) -> Iterator[None]:
    """For the run: VELDWERK_HOME in our temporary folder, no OS credential store, and the
    caseworkers' time zone (the dossier shows times in the system's zone, the rest in theirs)."""
    saved = {name: os.environ.get(name) for name in ("VELDWERK_HOME", "TZ")}
    old_keyring = keyring.get_keyring()
    os.environ["VELDWERK_HOME"] = str(home)
    os.environ["TZ"] = TIME_ZONE
    _tzset()
    keyring.set_keyring(cast(Any, keyring.backends.null.Keyring)())  # untyped
    try:
        yield
    finally:
        keyring.set_keyring(old_keyring)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        _tzset()


def _tzset() -> None:
    """Make the C library (and so `datetime.astimezone()`) read TZ again; Unix only."""
    tzset: Callable[[], None] | None = getattr(time, "tzset", None)
    if tzset is not None:
        tzset()


def render_language(
    app: QApplication,
    lanes: Lanes,
    world: DemoWorld,
    outdir: Path,
    *,
    language: str,
    dark: bool,
    scale: float,
    settings_file: Path,
    emit: Callable[[str], None],
) -> Shooter:
    install_translators(app, language)
    apply_theme(app, dark=dark)
    settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    window = MainWindow(
        lanes, home=world.home, settings=settings, idle_minutes=24 * 60, enroll_params=FAST_KDF
    )
    shooter = Shooter(window, lanes, world, outdir, scale=scale, emit=emit)
    try:
        window.resize(WINDOW_SIZE)
        window.move(WINDOW_POSITION)
        window.show()
        wait_until(window.isVisible, "the window")
        shooter.run()
    finally:
        window.lock()
        window.close()
        window.deleteLater()
        QTest.qWait(10)
    return shooter


def run(
    outdir: Path,
    *,
    languages: Sequence[str],
    dark: bool,
    scale: float,
    clients: int,
    emit: Callable[[str], None],
    report: Callable[[str], None],
) -> int:
    """Render `languages` into `outdir` (a folder per language when there are several)."""
    failures: dict[str, str] = {}
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="veldwerk-shots-")))
        stack.enter_context(_private_run(folder / "home"))
        app = stack.enter_context(_application(scale))
        hints = QGuiApplication.styleHints()
        stack.callback(hints.setCursorFlashTime, hints.cursorFlashTime())
        hints.setCursorFlashTime(0)  # a steady caret: the same picture every time
        world = start_world(folder, clients=clients)
        stack.callback(world.server.stop)
        lanes = Lanes()
        stack.callback(lanes.stop)
        for number, language in enumerate(languages):
            target = outdir / language if len(languages) > 1 else outdir
            target.mkdir(parents=True, exist_ok=True)
            for name in SCREENS:  # no picture of an earlier run may pass for this one's
                (target / f"{name}.png").unlink(missing_ok=True)
            make_conflict(world, number)
            shooter = render_language(
                app,
                lanes,
                world,
                target,
                language=language,
                dark=dark,
                scale=scale,
                settings_file=folder / f"window-{language}.ini",
                emit=emit,
            )
            written = {path.stem for path in shooter.written}
            for name in SCREENS:
                if name not in written:
                    reason = shooter.failures.get(name, "not rendered")
                    failures[f"{language}/{name}"] = reason
    for name, reason in failures.items():
        report(f"FAILED {name}: {reason}")
    return 1 if failures else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.clients < MIN_CLIENTS:
        sys.stderr.write(f"--clients must be at least {MIN_CLIENTS}\n")
        return 2
    languages: tuple[str, ...] = SUPPORTED if args.all_languages else (args.language,)

    def emit(line: str) -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    def report(line: str) -> None:
        sys.stderr.write(line + "\n")

    try:
        args.outdir.mkdir(parents=True, exist_ok=True)
        return run(
            args.outdir,
            languages=languages,
            dark=bool(args.dark),
            scale=float(args.scale),
            clients=int(args.clients),
            emit=emit,
            report=report,
        )
    except (ScreenError, VeldwerkError, OSError) as exc:
        report(f"screenshots: {exc}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
