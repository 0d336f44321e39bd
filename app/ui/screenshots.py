"""Pictures of every main screen, rendered offscreen from demo data, for review.

    python -m app.ui.screenshots OUTDIR [--language nl|en | --all-languages] [--dark]
                                        [--scale 1.0|1.5] [--clients N]

The demo world comes from app/demo/showcase.py: the embedded central server (the same one `veldwerk
demo` runs) with the generated caseload, a caseworker and a team lead enrolled through it into a
temporary VELDWERK_HOME, a few scanned papers in the dossier shown, a second device of the same
caseworker that changes a client the caseworker also changed, so the sync shown on the
Synchronisatie page finds a real conflict, and late edits of that second device to a client the
office gave to another caseworker (orphaned changes, on the team lead's Team page). This module
only renders: the real MainWindow is driven the way a user would. As the caseworker: unlock, sync,
Conflicten, Vandaag, Cliënten, a search, the dossier found with it and its tabs Overzicht,
Huishouden, Bezoeken, Notities with a note typed, Bijlagen and Historie, Instellingen; the Intake
tab of a client whose intake the team lead returned (scrolled to an open thread), the Intake tab of
a draft after Indienen (what is still missing); and Conflicten again once every conflict is
resolved: its empty state. Then locked, and as the team lead (synced first): Beoordelen (the queue
of submitted intakes), the review screen of an intake in its second round (the first change chosen
in "Wat is er veranderd", which puts the form on it), and Team (the figures fetched from the server
and the late edits; then its tab with the team's council figures). Last, the server is ended and
a sync started, which waits for the connection ("Wacht op verbinding…", on the page and in the
status bar) until stopped. Each screen is grabbed at 1366×768 (logical pixels; ×1.5 with --scale
1.5) into OUTDIR as PNG; the file names are numbered in SCREENS, which is not the order they are
taken in. One line per file written goes to stdout; the
exit code is 1 when a screen failed or came out blank (a single colour). A picture taken although
its screen does not show all it should (the review screen's form not at the change chosen) is named
on stderr as a WARNING; that alone does not fail the run. With --all-languages every language is
rendered into OUTDIR/<language>.

Nothing of the user's is touched: profiles live in a temporary folder that is removed at the end,
the window's settings go to a file there, and for the run the OS credential store is swapped for
keyring's null backend and the time zone is the caseworkers' (Europe/Amsterdam). The demo seed and
"today" (Vandaag, overdue markers in the caseload, waiting days and terms in Beoordelen) are
fixed. What still follows the real clock: the times of the sync itself (last sync, when a
conflict was seen, the history), the age in the dossier header, when the team figures were
fetched and when the late edits arrived; and the embedded server's port shows on the
Synchronisatie page.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, MutableMapping, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, cast

import keyring
import keyring.backends.null
from PySide6.QtCore import QLocale, QPoint, QRect, QSettings, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPalette, QPixmap
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from app.demo.profiles import CASEWORKER_PROFILE, TEAM_LEAD_PROFILE
from app.demo.showcase import MIN_CLIENTS, TODAY, Showcase, ShowcaseError, start_showcase
from app.domain.errors import VeldwerkError
from app.domain.intake_fields import IntakeSection
from app.domain.states import IntakeStatus
from app.domain.visit import Visit
from app.ui.caseload_model import CaseloadModel
from app.ui.dossier import DossierPage
from app.ui.dossier.intake_tab import IntakeTab
from app.ui.dossier.models import RecordRole
from app.ui.enroll_wizard import EnrollWizard
from app.ui.i18n import SUPPORTED, install_translators, remove_translators
from app.ui.intake.form import IntakeForm
from app.ui.main_window import MainWindow, Workspace
from app.ui.operations.sync import ServerState
from app.ui.plan.plan_tab import PlanTab
from app.ui.review import ReviewQueuePage
from app.ui.settings_dialog import SettingsDialog
from app.ui.tasks import Lanes
from app.ui.theme import MARGIN, SPACING, apply_theme

SCREENS: tuple[str, ...] = (
    "01-ontgrendelen",
    "02-aanmelden",
    "03-vandaag",
    "04-clienten",
    "05-clienten-zoeken",
    "06-dossier-overzicht",
    "07-dossier-huishouden",
    "08-dossier-bezoeken",
    "09-dossier-notities",
    "10-dossier-bijlagen",
    "11-dossier-historie",
    "12-synchronisatie",
    "13-conflicten",
    "14-instellingen",
    "15-conflicten-opgelost",
    "16-dossier-intake",
    "17-intake-indienen",
    "18-beoordelen",
    "19-beoordelen-intake",
    "20-team",
    "21-team-cijfers",
    "22-dossier-plan",
    "23-plan-tekenen",
    "24-plan-voorbeeld",
    "25-wacht-op-verbinding",
)
# The dossier's tabs, in SCREENS: they need the dossier open.
DOSSIER_TABS = SCREENS[6:11]
# The team lead's screens, in SCREENS: they need the team lead's profile unlocked.
TEAM_LEAD_SCREENS = SCREENS[17:21]
# The caseworker's Plan tab, in SCREENS: the editor, signing, and the printed page.
PLAN_SCREENS = SCREENS[21:24]
# A sync that lost the server and waits for it.
WAITING_SCREEN = SCREENS[24]
WINDOW_SIZE = QSize(1366, 768)  # logical pixels; the PNGs are this times --scale
SCALES = (1.0, 1.5)
DEFAULT_CLIENTS = 60
WAIT_SECONDS = 30.0  # for any one thing to appear; a stuck screen fails, the run goes on
# Typed into the dossier on the Notities screen.
NOTE_TEXT = "Telefonisch contact gehad. Afspraak voor het volgende huisbezoek bevestigd."
# The caseworkers' time zone, for the times the dossier shows in the system's zone.
TIME_ZONE = "Europe/Amsterdam"
# Where the window sits on the (offscreen) screen: away from the pointer at 0,0, which would
# otherwise hover the first navigation entry in every picture.
WINDOW_POSITION = QPoint(64, 64)


class ScreenError(Exception):
    """A screen could not be brought up or grabbed; the message says which and why."""


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
    grabbing the window alone leaves out its top-level dialogs. The window manager's title bar
    is not in a grab either, so a plain one with the dialog's title is drawn above it."""
    picture = QPixmap(base)
    shot = dialog.grab()
    palette = dialog.palette()
    title_height = dialog.fontMetrics().height() + 2 * SPACING
    x = max(0, (window.width() - dialog.width()) // 2)
    y = max(title_height, (window.height() - dialog.height() + title_height) // 2)
    painter = QPainter(picture)
    try:
        painter.fillRect(0, 0, window.width(), window.height(), QColor(0, 0, 0, 64))
        bar = QRect(x, y - title_height, dialog.width(), title_height)
        painter.fillRect(bar, palette.color(QPalette.ColorRole.Button))
        painter.setPen(palette.color(QPalette.ColorRole.ButtonText))
        painter.setFont(dialog.font())
        painter.drawText(
            bar.adjusted(SPACING, 0, -SPACING, 0),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            dialog.windowTitle(),
        )
        painter.drawPixmap(QPoint(x, y), shot)
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawRect(
            x, y - title_height, dialog.width() - 1, dialog.height() + title_height - 1
        )
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
        world: Showcase,
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
        # Pictures written that do not show everything they should (a screen's own fault).
        self.warnings: dict[str, str] = {}
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
        self.caseworker_screens()
        if not self.shoot("team lead", self.unlock_team_lead):
            reason = self.failures.pop("team lead")
            for name in TEAM_LEAD_SCREENS:
                self.failures[name] = f"the team lead's profile was not unlocked: {reason}"
            self.failures[WAITING_SCREEN] = f"no profile unlocked: {reason}"
            return
        self.shoot("18-beoordelen", self.queue_screen)
        self.shoot("19-beoordelen-intake", self.review_screen)
        if self.shoot("20-team", self.team_screen):
            self.shoot("21-team-cijfers", self.team_figures_screen)
        else:
            self.failures["21-team-cijfers"] = "the Team page did not load"
        # Last: it ends the server.
        self.shoot(WAITING_SCREEN, self.waiting_screen)

    def caseworker_screens(self) -> None:
        # Sync first, so every later screen shows the same status bar (last sync, conflicts).
        self.shoot("12-synchronisatie", self.sync_screen)
        self.shoot("13-conflicten", self.conflicts_screen)
        self.shoot("03-vandaag", self.today_screen)
        self.shoot("04-clienten", self.caseload_screen)
        self.shoot("05-clienten-zoeken", self.search_screen)
        if self.shoot("06-dossier-overzicht", self.dossier_screen):
            self.shoot("07-dossier-huishouden", self.household_screen)
            self.shoot("08-dossier-bezoeken", self.visits_screen)
            self.shoot("09-dossier-notities", self.notes_screen)
            self.shoot("10-dossier-bijlagen", self.attachments_screen)
            self.shoot("11-dossier-historie", self.history_screen)
        else:
            for name in DOSSIER_TABS:
                self.failures[name] = "the dossier did not open"
        self.shoot("14-instellingen", self.settings_screen)
        # Two other clients' intakes; nothing in them is saved, so the pictures before and
        # after are the same as without them.
        self.shoot("16-dossier-intake", self.intake_screen)
        self.shoot("17-intake-indienen", self.submit_screen)
        # A draft plan: nothing is signed or saved in these pictures.
        if self.shoot("22-dossier-plan", self.plan_screen):
            self.shoot("23-plan-tekenen", self.sign_screen)
            self.shoot("24-plan-voorbeeld", self.preview_screen)
        else:
            for name in PLAN_SCREENS[1:]:
                self.failures[name] = "the plan did not open"
        # Last: with the conflicts resolved the status bar no longer shows them.
        self.shoot("15-conflicten-opgelost", self.resolved_screen)

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

    def _unlock_profile(self, name: str, passphrase: str, who: str) -> Workspace:
        page = self.window.unlock_page
        if not page.select_profile(name):
            raise ScreenError(f"the {who}'s profile is not listed")
        page.passphrase_edit.setText(passphrase)
        QTest.mouseClick(page.unlock_button, Qt.MouseButton.LeftButton)
        wait_until(lambda: self.window.workspace is not None, f"the {who}'s unlocked workspace")
        return self.workspace

    def unlock(self) -> None:
        workspace = self._unlock_profile(
            CASEWORKER_PROFILE, self.world.caseworker.passphrase, "caseworker"
        )
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
        self.grab("12-synchronisatie")

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
        self.grab("13-conflicten")

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
        typed = self.world.dossier_search
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
        dossier = self._open_listed(self.world.dossier_client)
        dossier.tabs.setCurrentIndex(DossierPage.OVERVIEW)
        self.grab("06-dossier-overzicht")

    def _open_listed(self, client_id: str) -> DossierPage:
        """Open the dossier of a client in Cliënten's list: the row chosen, then Enter."""
        workspace = self.workspace
        caseload = workspace.caseload
        row = caseload.model.row_of(client_id)
        if row < 0:
            raise ScreenError("the client is not in the list")
        index = caseload.model.index(row, 0)
        if index.data(CaseloadModel.ClientIdRole) != client_id:
            raise ScreenError("the caseload model gave another client for the row")
        caseload.table.setCurrentIndex(index)
        caseload.table.setFocus(Qt.FocusReason.OtherFocusReason)
        QTest.keyClick(caseload.table, Qt.Key.Key_Return)
        dossier = workspace.dossier
        wait_until(
            lambda: (
                workspace.current_page() is dossier
                and dossier.client_id == client_id
                and dossier.dossier is not None
            ),
            "the dossier",
        )
        return dossier

    def _open_tab(self, client_id: str, tab: int) -> DossierPage:
        """Cliënten with the search emptied (select all, Delete), the client's dossier opened
        from the list on one of its tabs."""
        workspace = self.workspace
        workspace.show_page(workspace.caseload)
        page = workspace.caseload
        before = page.queries_run
        searched = bool(page.search.text())
        if searched:
            page.focus_search()
            QTest.keyClick(page.search, Qt.Key.Key_Delete)
        wait_until(
            lambda: (
                page.query.text == ""
                and (page.queries_run > before or not searched)
                and page.model.row_of(client_id) >= 0
            ),
            "the whole list",
        )
        dossier = self._open_listed(client_id)
        dossier.tabs.setCurrentIndex(tab)
        return dossier

    def _open_intake(self, client_id: str) -> IntakeTab:
        """The client's Intake tab, once the intake is on it."""
        if not client_id:
            raise ScreenError("the demo has no such intake")
        tab = self._open_tab(client_id, DossierPage.INTAKE).intake_tab

        def shown() -> bool:
            view = tab.view
            return (
                view is not None
                and view.client.id == client_id
                and view.intake is not None
                and tab.form.intake_id == view.intake.id
            )

        wait_until(shown, "the intake")
        settle(self.lanes)
        return tab

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
        self.grab("08-dossier-bezoeken")

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
        self.grab("09-dossier-notities")

    def history_screen(self) -> None:
        dossier = self.workspace.dossier
        dossier.tabs.setCurrentIndex(DossierPage.HISTORY)
        # Opened, and the note added on the previous screen.
        wait_until(lambda: dossier.history_model.rowCount() > 1, "the history")
        self.grab("11-dossier-historie")

    def household_screen(self) -> None:
        dossier = self.workspace.dossier
        dossier.tabs.setCurrentIndex(DossierPage.HOUSEHOLD)
        wait_until(lambda: dossier.household_model.rowCount() > 0, "the household members")
        self.grab("07-dossier-huishouden")

    def attachments_screen(self) -> None:
        """The scanned papers the set-up added, the first one selected (Openen enabled)."""
        dossier = self.workspace.dossier
        dossier.tabs.setCurrentIndex(DossierPage.ATTACHMENTS)
        tab = dossier.attachments_tab
        wanted = len(self.world.attachments)
        wait_until(lambda: wanted > 0 and tab.model.rowCount() >= wanted, "the attachments")
        tab.view.selectRow(0)
        wait_until(tab.open_button.isEnabled, "the attachment to be selected")
        self.grab("10-dossier-bijlagen")

    def settings_screen(self) -> None:
        """Instellingen, opened with its status-bar button over Vandaag."""
        workspace = self.workspace
        workspace.show_page(workspace.today)
        QTest.mouseClick(workspace.settings_button, Qt.MouseButton.LeftButton)
        wait_until(
            lambda: any(d.isVisible() for d in self.window.findChildren(SettingsDialog)),
            "the settings dialog",
        )
        dialog = next(d for d in self.window.findChildren(SettingsDialog) if d.isVisible())
        try:
            settle(self.lanes)
            self.save("14-instellingen", _with_dialog(self.window.grab(), self.window, dialog))
        finally:
            dialog.reject()  # Annuleren: nothing is written
            QTest.qWait(10)

    def intake_screen(self) -> None:
        """The intake the team lead returned, scrolled to a section with an open thread."""
        tab = self._open_intake(self.world.returned_client)
        view = tab.view
        assert view is not None and view.intake is not None
        if view.intake.status is not IntakeStatus.RETURNED:
            raise ScreenError(f"the intake is {view.intake.status.value}, not returned")
        sections = {thread.section for thread in view.threads if thread.open}
        if not sections:
            raise ScreenError("the returned intake has no open thread")
        _scroll_to_thread(tab.form, sections)
        self.grab("16-dossier-intake")

    def submit_screen(self) -> None:
        """A draft after Indienen: the answers still missing, by section."""
        tab = self._open_intake(self.world.draft_client)
        view = tab.view
        assert view is not None and view.intake is not None
        if view.intake.status is not IntakeStatus.DRAFT or not view.missing:
            raise ScreenError("the intake is not a draft with answers missing")
        wait_until(tab.submit_button.isEnabled, "Indienen to be enabled")
        QTest.mouseClick(tab.submit_button, Qt.MouseButton.LeftButton)
        wait_until(
            lambda: not tab.missing_panel.isHidden() and bool(tab.missing_fields()),
            "the list of missing answers",
        )
        self.grab("17-intake-indienen")

    def _open_plan(self, client_id: str) -> PlanTab:
        """The client's Plan tab, once the plan is on it."""
        if not client_id:
            raise ScreenError("the demo has no client with a plan")
        tab = self._open_tab(client_id, DossierPage.PLAN).plan_tab

        def shown() -> bool:
            view = tab.view
            return view is not None and view.client.id == client_id and view.current is not None

        wait_until(shown, "the plan")
        settle(self.lanes)
        return tab

    def plan_screen(self) -> None:
        """The plan of a client whose active plan is being renewed: the draft version with its
        actions, and the versions beside it."""
        tab = self._open_plan(self.world.plan_client)
        self.plan_tab = tab
        self.grab("22-dossier-plan")

    def sign_screen(self) -> None:
        """Tekenen als cliënt, with a signature drawn on the pad (the strokes of a signature
        the demo holds); cancelled afterwards, so nothing is signed."""
        tab = self.plan_tab
        view = tab.view
        assert view is not None
        drawn = [
            s
            for v in view.versions
            for s in (v.plan.client_signature, v.plan.caseworker_signature)
            if s is not None and s.strokes
        ]
        if not drawn:
            raise ScreenError("the demo plan has no drawn signature to show")
        tab.sign_client_action.trigger()
        wait_until(
            lambda: tab.signature_dialog is not None and tab.signature_dialog.isVisible(),
            "the signature dialog",
        )
        dialog = tab.signature_dialog
        assert dialog is not None
        try:
            dialog.pad.set_strokes(
                drawn[0].strokes, (drawn[0].pad_width, drawn[0].pad_height), read_only=False
            )
            settle(self.lanes)
            self.save("23-plan-tekenen", _with_dialog(self.window.grab(), self.window, dialog))
        finally:
            dialog.reject()  # Annuleren: nothing is signed
            QTest.qWait(10)

    def preview_screen(self) -> None:
        """Voorbeeld: the plan's first page, rendered from memory."""
        tab = self.plan_tab
        tab.preview_action.trigger()
        wait_until(
            lambda: (
                tab.preview_dialog is not None
                and tab.preview_dialog.isVisible()
                and tab.preview_dialog.preview.page_count() > 0
            ),
            "the preview",
            timeout=2 * WAIT_SECONDS,
        )
        dialog = tab.preview_dialog
        assert dialog is not None
        try:
            settle(self.lanes)
            QTest.qWait(200)  # QPdfView renders pages after it is shown
            self.save("24-plan-voorbeeld", _with_dialog(self.window.grab(), self.window, dialog))
        finally:
            dialog.reject()
            QTest.qWait(10)

    def resolved_screen(self) -> None:
        """The empty state: every conflict resolved as a user would, keeping the office's
        value, until Conflicten says there are none."""
        workspace = self.workspace
        workspace.show_page(workspace.conflicts)
        page = workspace.conflicts
        wait_until(lambda: page.model.rowCount() > 0, "the open conflicts")
        button = page.keep_theirs_button

        def ready() -> bool:
            return page.selected_conflict() is not None and button.isEnabled()

        while (before := page.model.rowCount()) > 0:
            wait_until(ready, "a conflict to resolve")
            QTest.mouseClick(button, Qt.MouseButton.LeftButton)

            def fewer(left: int = before) -> bool:
                return page.model.rowCount() < left

            wait_until(fewer, "the conflict to be resolved")
        wait_until(
            lambda: page.empty_label.isVisible() and not workspace.conflict_badge.isVisible(),
            "the empty conflicts page",
        )
        self.grab("15-conflicten-opgelost")

    # The team lead's screens.

    def unlock_team_lead(self) -> None:
        """Locked with Vergrendelen, the team lead's profile unlocked and synced first."""
        QTest.mouseClick(self.workspace.lock_button, Qt.MouseButton.LeftButton)
        wait_until(lambda: self.window.workspace is None, "the lock")
        workspace = self._unlock_profile(
            TEAM_LEAD_PROFILE, self.world.team_lead.passphrase, "team lead"
        )
        if workspace.review is None or workspace.team is None:
            raise ScreenError("the team lead's workspace has no Beoordelen or Team")
        wait_until(lambda: workspace.online is not None, "the server reachability check")
        settle(self.lanes)
        page = workspace.sync
        self._sync_error = None
        page.sync_failed.connect(self._on_sync_failed)
        if not workspace.sync_button.isEnabled():
            raise ScreenError("the sync button is disabled")
        QTest.mouseClick(workspace.sync_button, Qt.MouseButton.LeftButton)
        wait_until(
            lambda: (
                self._sync_error is not None
                or (page.last_report is not None and not page.is_syncing)
            ),
            "the team lead's sync",
        )
        if self._sync_error is not None:
            raise ScreenError(f"the sync failed: {self._sync_error}")
        settle(self.lanes)

    def _review_page(self) -> ReviewQueuePage:
        page = self.workspace.review
        if page is None:
            raise ScreenError("the workspace has no Beoordelen")
        # Like Vandaag: waiting days and statutory terms counted on the demo's day.
        for with_day in (page, page.review):
            if not hasattr(with_day, "_today"):
                raise ScreenError(f"{type(with_day).__name__} has no '_today' to fix")
            with_day._today = lambda: TODAY  # noqa: SLF001
        return page

    def queue_screen(self) -> None:
        """Beoordelen: the submitted intakes, the longest waiting first, the first selected."""
        workspace = self.workspace
        page = self._review_page()
        workspace.show_page(page)  # reads the queue again
        if page.is_reviewing():
            page.show_queue()
        wanted = self.world.review_intake
        wait_until(
            lambda: (
                page.loaded_once
                and page.model.rowCount() > 0
                and (not wanted or page.model.row_of(wanted) >= 0)
            ),
            "the review queue",
        )
        page.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.grab("18-beoordelen")

    def review_screen(self) -> None:
        """The intake in its second round opened from the queue (its row, Enter), and the first
        entry of "Wat is er veranderd" chosen: the form goes to that answer."""
        page = self._review_page()
        intake_id = self.world.review_intake
        if not intake_id:
            raise ScreenError("the demo has no intake waiting for review")
        row = page.model.row_of(intake_id)
        if row < 0:
            raise ScreenError("the intake is not in the queue")
        page.table.setCurrentIndex(page.model.index(row, 0))
        page.table.setFocus(Qt.FocusReason.OtherFocusReason)
        QTest.keyClick(page.table, Qt.Key.Key_Return)
        screen = page.review

        def shown() -> bool:
            view = screen.view
            return (
                page.is_reviewing()
                and view is not None
                and view.intake is not None
                and view.intake.id == intake_id
                and screen.form.intake_id == intake_id
            )

        wait_until(shown, "the intake under review")
        settle(self.lanes)
        names = screen.changes.field_names()
        if not names:
            raise ScreenError("nothing changed since the last round")
        if not screen.side_by_side:
            screen.tabs.setCurrentWidget(screen.side)
        changes = screen.changes.list
        changes.setCurrentRow(0)
        changes.setFocus(Qt.FocusReason.OtherFocusReason)
        QTest.keyClick(changes, Qt.Key.Key_Return)
        editor = screen.form.editor(names[0])
        if editor is None:
            raise ScreenError(f"the form has no field {names[0]!r}")
        form = screen.form
        try:
            wait_until(
                lambda: form.isVisible() and _in_view(form.scroll_area, editor),
                "the form at the first change",
                timeout=5.0,
            )
        except ScreenError:
            # Taken all the same: the picture shows what a reviewer would see.
            self.warnings["19-beoordelen-intake"] = (
                f"the form does not show the first change (form shown: {form.isVisible()}, "
                f"side panel shown: {screen.side.isVisible()})"
            )
        self.grab("19-beoordelen-intake")

    def team_screen(self) -> None:
        """Team, its tab Werkverdeling: the figures per caseworker and the late edits, the
        first one selected."""
        workspace = self.workspace
        page = workspace.team
        if page is None:
            raise ScreenError("the workspace has no Team")
        page.show_tab(page.WORKLOAD)
        workspace.show_page(page)  # fetches from the server
        wait_until(lambda: page.loaded_once and not page.is_loading, "the team overview")
        if page.offline:
            raise ScreenError("the server could not be reached")
        if page.model.rowCount() == 0:
            raise ScreenError("the team overview has no caseworkers")
        if self.world.orphan_client and page.orphan_model.rowCount() == 0:
            raise ScreenError("the late edits are not listed")
        page.orphan_view.setFocus(Qt.FocusReason.OtherFocusReason)
        self.grab("20-team")

    def team_figures_screen(self) -> None:
        """Team, its tab Cijfers van het team (Ctrl+2): the team's figures as the council
        report counts them, with what an "x" means."""
        page = self.workspace.team
        if page is None:
            raise ScreenError("the workspace has no Team")
        page.show_tab(page.FIGURES)
        if not page.team_figures_model.has_figures:
            raise ScreenError("the server sent no figures for the team")
        if not page.team_figures_table.isVisible():
            raise ScreenError("the figures' tab does not show their table")
        self.grab("21-team-cijfers")
        page.show_tab(page.WORKLOAD)

    def waiting_screen(self) -> None:
        """Synchronisatie while the network is gone: the server is ended (connections refused,
        as when the laptop loses its network), a sync started with the button, grabbed once it
        waits for the connection, and stopped with Annuleren. The server comes back afterwards
        (the next language's pictures need it)."""
        workspace = self.workspace
        page = workspace.sync
        self.world.server.cut_off()
        try:
            workspace.show_page(page)
            self._sync_error = None
            QTest.mouseClick(workspace.sync_button, Qt.MouseButton.LeftButton)
            wait_until(
                lambda: self._sync_error is not None or page.server_state is ServerState.WAITING,
                "the sync waiting for the connection",
            )
            if self._sync_error is not None:
                raise ScreenError(f"the sync failed instead of waiting: {self._sync_error}")
            page.cancel_button.setFocus(Qt.FocusReason.OtherFocusReason)
            QApplication.processEvents()
            # Not settled: the sync is still running.
            self.save(WAITING_SCREEN, self.window.grab())
        finally:
            try:
                if page.is_syncing:
                    QTest.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
                    wait_until(lambda: not page.is_syncing, "the sync to stop (Annuleren)")
            finally:
                self.world.server.resume()


def _in_view(area: QScrollArea, widget: QWidget) -> bool:
    """Whether `widget` is whole in the visible part of the scroll area."""
    viewport = area.viewport()
    top = widget.mapTo(viewport, QPoint(0, 0)).y()
    return widget.isVisible() and top >= 0 and top + widget.height() <= viewport.height()


def _scroll_to_thread(form: IntakeForm, sections: set[IntakeSection]) -> None:
    """Scroll the form so a section with an open thread shows with its threads: the first (in
    form order) that fits the view whole, else the first, its threads at the bottom of the
    view (or at the top, when they alone are taller than the view)."""
    area = form.scroll_area
    content = area.widget()
    if content is None:
        raise ScreenError("the form has no content")
    height = area.viewport().height()
    blocks: list[tuple[int, int, int]] = []  # (top, bottom, top of the threads)
    for section in (IntakeSection.GENERAL, *form.sections_shown()):
        panel = form.thread_panel(section)
        if section not in sections or panel is None or not panel.isVisible():
            continue
        group = form.group(section)
        parts: list[QWidget] = [panel] if group is None else [group, panel]
        tops = [part.mapTo(content, QPoint(0, 0)).y() for part in parts]
        bottoms = [top + part.height() for top, part in zip(tops, parts, strict=True)]
        blocks.append((min(tops), max(bottoms), tops[-1]))
    if not blocks:
        raise ScreenError("no open thread is shown beside its section")
    fitting = [block for block in blocks if block[1] - block[0] + 2 * MARGIN <= height]
    top, bottom, threads = fitting[0] if fitting else blocks[0]
    if fitting:
        value = top - MARGIN
    elif bottom - threads + MARGIN <= height:
        value = bottom + MARGIN - height
    else:
        value = threads - MARGIN
    area.verticalScrollBar().setValue(max(0, value))


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
    world: Showcase,
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
        lanes,
        home=world.home,
        settings=settings,
        idle_minutes=24 * 60,
        enroll_params=world.kdf_params,
    )
    shooter = Shooter(window, lanes, world, outdir, scale=scale, emit=emit)
    try:
        window.move(WINDOW_POSITION)
        window.show()
        wait_until(window.isVisible, "the window")
        # After showing: the window fits itself to the screen when first shown, and the
        # offscreen screen is smaller than the size the pictures are taken at.
        window.resize(WINDOW_SIZE)
        wait_until(lambda: window.size() == WINDOW_SIZE, "the window size")
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
    warnings: dict[str, str] = {}
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="veldwerk-shots-")))
        stack.enter_context(_private_run(folder / "home"))
        app = stack.enter_context(_application(scale))
        hints = QGuiApplication.styleHints()
        stack.callback(hints.setCursorFlashTime, hints.cursorFlashTime())
        hints.setCursorFlashTime(0)  # a steady caret: the same picture every time
        world = start_showcase(folder, clients=clients)
        stack.callback(world.stop)
        lanes = Lanes()
        stack.callback(lanes.stop)
        for number, language in enumerate(languages):
            target = outdir / language if len(languages) > 1 else outdir
            target.mkdir(parents=True, exist_ok=True)
            for name in SCREENS:  # no picture of an earlier run may pass for this one's
                (target / f"{name}.png").unlink(missing_ok=True)
            world.make_conflict(number)
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
            for name, text in shooter.warnings.items():
                if name in written:
                    warnings[f"{language}/{name}"] = text
            for name in SCREENS:
                if name not in written:
                    reason = shooter.failures.get(name, "not rendered")
                    failures[f"{language}/{name}"] = reason
    for name, text in warnings.items():
        report(f"WARNING {name}: {text}")
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
    except (ScreenError, ShowcaseError, VeldwerkError, OSError) as exc:
        report(f"screenshots: {exc}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
