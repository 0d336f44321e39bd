"""What a caseworker meets in the first hour, each as a test (issue #10): typing at the unlock
screen, reaching Vandaag's cards by keyboard and landing where an item is dealt with, a long
backlog in groups, a sync that hangs and can be stopped, the language switching live on every
page, Dutch under a C locale and in Qt's own dialogs, settings that fit their words, pages that
say why they are empty, and shortcuts named in tooltips.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QPalette
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app import cli
from app.demo.caseload import DEMO_TODAY
from app.demo.profiles import DemoProfile
from app.domain.changes import JOURNAL, SYNC, Changes
from app.services import sync as sync_service
from app.services.today import OverdueItem, TodayView, today_items
from app.ui import i18n
from app.ui.caseload_page import CaseloadPage
from app.ui.conflicts_page import ConflictsPage
from app.ui.operations import today as today_verbs
from app.ui.operations.sync import ServerState
from app.ui.session import Session
from app.ui.settings_dialog import SettingsDialog
from app.ui.sync_page import SyncPage
from app.ui.tasks import Lanes
from app.ui.today_page import TAB_INTAKE, TAB_PLAN, TAB_VISITS, TodayCard, TodayPage
from app.ui.unlock_page import UnlockPage
from tests.central import Central, running_central
from tests.e2e.test_sync_network import FaultProxy
from tests.ui.conftest import FAST

WAIT_MS = 20_000

# The offscreen platform says this whenever a top-level widget is shown; it is not our warning.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def language(qapp: QApplication) -> Iterator[QApplication]:
    """Dutch translators before and after; a test may switch to English in between."""
    i18n.install_translators(qapp, "nl")
    yield qapp
    i18n.install_translators(qapp, "nl")


@pytest.fixture
def themed(language: QApplication) -> Iterator[QApplication]:
    """The application's look (light theme) for one test; as it was afterwards."""
    from app.ui import theme

    style = language.style().name() or "fusion"
    palette = QPalette(language.palette())
    font = language.font()
    sheet = language.styleSheet()
    dark = language.property("veldwerk_dark")
    theme.apply_theme(language, dark=False)
    yield language
    language.setStyleSheet(sheet)
    language.setStyle(style)
    language.setPalette(palette)
    language.setFont(font)
    language.setProperty("veldwerk_dark", dark)
    if language.property("veldwerk_theme_follows_system") is not None:
        language.setProperty("veldwerk_theme_follows_system", False)


# pytest-qt's key and mouse helpers are untyped; typed wrappers keep mypy's checks on the rest.
def press(qtbot: QtBot, widget: QWidget, key: Qt.Key) -> None:
    qtbot.keyClick(widget, key)  # type: ignore[no-untyped-call]


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    assert text.isascii()
    qtbot.keyClicks(widget, text)  # type: ignore[no-untyped-call]


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has keyboard focus"
    return widget


def switch_language(qtbot: QtBot, app: QApplication, page: QWidget, lang: str) -> None:
    """Install `lang` and wait until `page` has had its LanguageChange event."""
    seen: list[bool] = []
    original = page.changeEvent

    def watch(event: Any) -> None:
        original(event)
        if event.type() == event.Type.LanguageChange:
            seen.append(True)

    page.changeEvent = watch  # type: ignore[method-assign]
    i18n.install_translators(app, lang)
    qtbot.waitUntil(lambda: bool(seen), timeout=WAIT_MS)
    page.changeEvent = original  # type: ignore[method-assign]


def visible_texts(widget: QWidget) -> list[str]:
    texts = [w.text() for w in widget.findChildren(QLabel) if w.isVisibleTo(widget)]
    texts += [w.text() for w in widget.findChildren(QPushButton) if w.isVisibleTo(widget)]
    return texts


# ---------------------------------------------------------------------------------- Vandaag


def _today_page(qtbot: QtBot, session: Session) -> tuple[QWidget, QListWidget, TodayPage]:
    """Vandaag beside a navigation list, as in the window."""
    window = QWidget()
    navigation = QListWidget()
    navigation.addItems(["Vandaag", "Cliënten"])
    page = TodayPage(session, today=lambda: DEMO_TODAY)
    layout = QVBoxLayout(window)
    layout.addWidget(navigation)
    layout.addWidget(page, 1)
    qtbot.addWidget(window)
    window.resize(1000, 800)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.refresh()
    return window, navigation, page


def test_today_cards_are_reached_with_tab_and_open_where_the_item_is_dealt_with(
    qtbot: QtBot, session: Session
) -> None:
    window, navigation, page = _today_page(qtbot, session)
    window.activateWindow()
    navigation.setFocus()
    qtbot.waitUntil(navigation.hasFocus)

    press(qtbot, navigation, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), TodayCard))
    first = focused()
    assert isinstance(first, TodayCard) and first is page.cards()[0]
    assert "(Enter)" in first.toolTip()
    with qtbot.waitSignal(page.client_opened) as opened:
        press(qtbot, first, Qt.Key.Key_Return)
    assert opened.args == [first.client_id, TAB_VISITS]

    # Every card can be reached with Tab, and each opens the tab where its item is dealt with.
    targets: dict[str, str] = {}
    for _ in page.cards()[1:]:
        press(qtbot, focused(), Qt.Key.Key_Tab)
        card = focused()
        if not isinstance(card, TodayCard):
            continue  # a "Toon alle" button between the groups
        with qtbot.waitSignal(page.client_opened) as opened:
            press(qtbot, card, Qt.Key.Key_Enter)
        assert opened.args[0] == card.client_id
        kind = str(card.property("kind") or "today")
        targets[kind] = opened.args[1]
    assert targets.get("visit", TAB_VISITS) == TAB_VISITS
    assert targets.get("plan_action", TAB_PLAN) == TAB_PLAN
    assert targets.get("intake_returned", TAB_INTAKE) == TAB_INTAKE
    assert len(targets) >= 2


def _returned(count: int, day: date) -> tuple[OverdueItem, ...]:
    return tuple(
        OverdueItem(
            kind="intake_returned",
            record_id=f"intake-{n}",
            client_id=f"client-{n}",
            client_name=f"Cliënt {n}",
            village="Winsum",
            title="Intake teruggestuurd",
            detail="Door t.lead: graag aanvullen",
            since=day - timedelta(days=n),
            days_overdue=n,
        )
        for n in range(1, count + 1)
    )


def test_a_long_backlog_comes_in_groups_with_counts(
    qtbot: QtBot, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = today_items(session.store, DEMO_TODAY, caseworker=session.username)
    returned = _returned(105, DEMO_TODAY)
    others = tuple(i for i in real.overdue if i.kind != "intake_returned")
    backlog = replace(real, overdue=others + returned)
    monkeypatch.setattr(today_verbs, "today_items", lambda *_a, **_k: backlog)

    window, _navigation, page = _today_page(qtbot, session)
    headings = [h.text() for h in page.group_headings()]
    assert "Intakes teruggestuurd (105)" in headings
    assert f"Achterstallig ({len(backlog.overdue)})" in visible_texts(page)

    def returned_cards() -> list[TodayCard]:
        return [c for c in page.cards() if c.property("kind") == "intake_returned"]

    # The oldest few are open, the rest one key press away; never 105 cards at once.
    assert len(returned_cards()) == page.group_preview
    [more] = page.group_buttons("intake_returned")
    assert more.text() == f"Meer tonen (nog {105 - page.group_preview})"
    more.setFocus()
    press(qtbot, more, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: len(returned_cards()) == page.overdue_cards)
    assert focused() is returned_cards()[page.group_preview]  # the keyboard goes on there
    buttons = {b.text() for b in page.group_buttons("intake_returned")}
    assert buttons == {f"Meer tonen (nog {105 - page.overdue_cards})", "Minder tonen"}
    assert len(page.cards()) < 40

    less = next(b for b in page.group_buttons("intake_returned") if b.text() == "Minder tonen")
    less.setFocus()
    press(qtbot, less, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: len(returned_cards()) == page.group_preview)
    window.close()


def test_vandaag_says_when_there_is_nothing_to_do(
    qtbot: QtBot, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = TodayView(day=DEMO_TODAY, villages=(), overdue=())
    monkeypatch.setattr(today_verbs, "today_items", lambda *_a, **_k: empty)
    _window, _navigation, page = _today_page(qtbot, session)
    texts = visible_texts(page)
    assert page.cards() == []
    assert any(t.startswith("Er staan vandaag geen huisbezoeken gepland.") for t in texts)
    assert any("tabblad Bezoeken" in t for t in texts)
    assert "Er is niets achterstallig." in texts


# -------------------------------------------------------------------------------- Cliënten


def _caseload(qtbot: QtBot, session: Session, tmp_path: Path) -> CaseloadPage:
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    page = CaseloadPage(session, settings=settings, today=lambda: DEMO_TODAY, debounce_ms=0)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.refresh()
    return page


def test_a_search_without_hits_says_so_and_what_to_do(
    qtbot: QtBot, session: Session, tmp_path: Path
) -> None:
    page = _caseload(qtbot, session, tmp_path)
    assert page.records.currentWidget() is page.table
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS) as loaded:
        page.search.setText("zzqxwv")
    assert loaded.args == [0]
    assert page.records.currentWidget() is page.records.empty_label
    sentence = page.records.empty_label.text()
    assert sentence.startswith("Geen cliënten gevonden bij deze zoekopdracht.")
    assert "(Esc)" in sentence
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        press(qtbot, page.search, Qt.Key.Key_Escape)
    assert page.records.currentWidget() is page.table


def test_caseload_actions_name_their_keys(qtbot: QtBot, session: Session, tmp_path: Path) -> None:
    page = _caseload(qtbot, session, tmp_path)
    assert page.search.toolTip() == "Zoeken (Ctrl+F)"
    assert page.village_chip.toolTip() == "Filteren op dorp (Alt+D)"
    assert page.overdue_chip.toolTip().endswith("(Alt+A)")
    assert page.clear_filters.toolTip() == "Filters wissen (Alt+W)"
    assert "(Enter)" in page.table.toolTip() or "(Return)" in page.table.toolTip()

    # The keys work: Alt+A filters on overdue visits, Alt+W clears, Ctrl+F goes to the search.
    page.activateWindow()
    page.table.setFocus()
    qtbot.waitUntil(page.table.hasFocus)
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        qtbot.keyClick(page.table, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)  # type: ignore[no-untyped-call]
    assert page.overdue_chip.isChecked() and page.query.visit_overdue
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        qtbot.keyClick(page.table, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)  # type: ignore[no-untyped-call]
    assert not page.query.visit_overdue
    qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(page.search.hasFocus)


# ------------------------------------------------------------------------------- Conflicten


def test_no_conflicts_says_so(qtbot: QtBot, session: Session) -> None:
    page = ConflictsPage(session)
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS) as loaded:
        page.refresh()
    assert loaded.args == [0]
    assert page.body.currentWidget() is page.empty_label
    assert page.empty_label.text().startswith("Er zijn geen open conflicten; er is niets te doen.")
    assert page.keep_mine_button.toolTip() == "Mijn waarde behouden (Alt+M)"
    assert page.keep_theirs_button.toolTip() == "Waarde van kantoor behouden (Alt+K)"
    assert page.edit_button.toolTip() == "Bewerken (Alt+B)"
    assert page.cancel_button.toolTip() == "Annuleren (Esc)"


def test_a_conflict_resolved_elsewhere_redraws_the_list(qtbot: QtBot, session: Session) -> None:
    """The page listens to the bus: a change to conflicts published anywhere makes it read."""
    from app.domain.changes import CONFLICT

    page = ConflictsPage(session)
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.refresh()
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        session.bus.publish(Changes.of(CONFLICT))
    with qtbot.assertNotEmitted(page.loaded, wait=200):
        session.bus.publish(Changes.of("note", client_id="x"))


# ------------------------------------------------------------------------- language and Qt


LOCALES = [
    {"LANG": "C"},
    {"LANG": "C.UTF-8"},
    {"LANG": "POSIX"},
    {},
    {"LANG": "nl_NL.UTF-8"},
    {"LANG": "en_GB.UTF-8"},
    {"LANG": "de_DE.UTF-8"},
    {"LC_ALL": "C", "LANG": "en_US.UTF-8"},
    {"LC_MESSAGES": "nl_BE.UTF-8", "LANG": "en_US.UTF-8"},
    {"LANGUAGE": "nl:en", "LANG": "C"},
]


@pytest.mark.parametrize("environment", LOCALES, ids=lambda e: ",".join(map("=".join, e.items())))
def test_window_and_command_line_choose_the_same_language(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str]
) -> None:
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert i18n.choose_language(None) == cli._language()


def test_a_c_locale_speaks_dutch(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C")
    assert i18n.choose_language(None) == "nl" == cli._language()
    # Without locale variables (Windows, macOS) Qt's locale decides; C means none: Dutch.
    monkeypatch.delenv("LANG")
    from PySide6.QtCore import QLocale

    monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale(QLocale.Language.C)))
    assert i18n.choose_language(None) == "nl"


def test_qt_own_dialogs_speak_dutch(qtbot: QtBot, language: QApplication) -> None:
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Vraag",
        "Doorgaan?",
        QMessageBox.StandardButton.Yes
        | QMessageBox.StandardButton.No
        | QMessageBox.StandardButton.Cancel,
    )
    qtbot.addWidget(box)
    assert sorted(b.text() for b in box.buttons()) == ["&Ja", "&Nee", "Annuleren"]

    files = QFileDialog(None, "Bijlage kiezen")
    files.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(files)
    assert {b.text() for b in files.findChildren(QPushButton)} >= {"&Openen", "Annuleren"}

    printer = QPrinter()
    dialog = QPrintDialog(printer)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Afdrukken"
    assert "Annuleren" in {b.text() for b in dialog.findChildren(QPushButton)}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_settings_combo_boxes_fit_their_words(
    qtbot: QtBot, themed: QApplication, tmp_path: Path, lang: str
) -> None:
    i18n.install_translators(themed, lang)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    for combo in (dialog.language_combo, dialog.theme_combo):
        metrics = combo.fontMetrics()
        widest = max(metrics.horizontalAdvance(combo.itemText(i)) for i in range(combo.count()))
        # Room for the widest item beside the drop-down arrow, and the layout gives it that room.
        assert combo.sizeHint().width() >= widest + 20, [combo.itemText(i) for i in range(3)]
        assert combo.width() >= combo.sizeHint().width()
    assert "Donker" in [dialog.theme_combo.itemText(i) for i in range(3)] or lang == "en"
    assert dialog.language_combo.toolTip().endswith("(Alt+T)") or lang == "en"


# ------------------------------------------------------------------- live language switch


def test_every_page_switches_language_live(
    qtbot: QtBot, language: QApplication, session: Session, tmp_path: Path
) -> None:
    today = TodayPage(session, today=lambda: DEMO_TODAY)
    caseload = _caseload(qtbot, session, tmp_path)
    conflicts = ConflictsPage(session)
    sync = SyncPage(session)
    for page in (today, conflicts, sync):
        qtbot.addWidget(page)
        page.show()
    with qtbot.waitSignal(today.loaded, timeout=WAIT_MS):
        today.refresh()
    with qtbot.waitSignal(conflicts.loaded, timeout=WAIT_MS):
        conflicts.refresh()
    with qtbot.waitSignal(sync.status_loaded, timeout=WAIT_MS):
        sync.refresh()
    rows = caseload.model.rowCount()

    switch_language(qtbot, language, caseload, "en")
    # Cliënten: title, placeholder, chips, headers, count, tooltips.
    assert caseload.title.text() == "Clients"
    assert caseload.search.placeholderText().startswith("Search by name")
    assert caseload.village_chip.text() == "Village"
    assert caseload.overdue_chip.text() == "Overdue visit"
    assert caseload.model.headerData(0, Qt.Orientation.Horizontal) == "Name"
    assert caseload.count_label.text() == f"{rows} clients"
    assert caseload.search.toolTip() == "Search (Ctrl+F)"
    assert caseload.filter_actions("village")[0].text() == "All villages"
    # Vandaag: its words at once, the service's labels after the reload.
    qtbot.waitUntil(lambda: today.title.text() == "Today, 23-11-2026", timeout=WAIT_MS)
    assert any(t.startswith("Overdue (") for t in visible_texts(today))
    # Conflicten and Synchronisatie.
    assert conflicts.title.text() == "Conflicts"
    assert conflicts.keep_mine_button.text() == "Keep &my value"
    assert conflicts.empty_label.text().startswith("There are no open conflicts")
    assert sync.title.text() == "Sync"
    assert sync.sync_button.text() == "&Sync now"
    assert sync.pending_label.text() == "No pending changes"
    assert sync.cancel_button.text() == "Cancel"
    assert sync.report_when.text().startswith("This device has never synced")

    switch_language(qtbot, language, caseload, "nl")
    assert caseload.title.text() == "Cliënten"
    assert caseload.village_chip.text() == "Dorp"
    assert caseload.model.headerData(0, Qt.Orientation.Horizontal) == "Naam"
    qtbot.waitUntil(lambda: today.title.text() == "Vandaag, 23-11-2026", timeout=WAIT_MS)
    assert conflicts.title.text() == "Conflicten"
    assert sync.title.text() == "Synchronisatie"
    assert sync.pending_label.text() == "Geen wijzigingen in de wachtrij"


def test_the_settings_dialog_switches_language_live(
    qtbot: QtBot, language: QApplication, tmp_path: Path
) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    dialog.show()
    switch_language(qtbot, language, dialog, "en")
    assert dialog.windowTitle() == "Settings"
    assert [dialog.theme_combo.itemText(i) for i in range(3)] == ["System", "Light", "Dark"]
    assert dialog.language_combo.toolTip().endswith("(Alt+L)")


# ------------------------------------------------------------------------------- unlock


def test_typing_at_the_unlock_screen_goes_to_the_passphrase(
    qtbot: QtBot, lanes: Lanes, home: Path, demo_profiles: list[DemoProfile]
) -> None:
    # In a stack as in the window: the unlock page, or (after an unlock) something else.
    stack = QStackedWidget()
    other = QLineEdit()
    page = UnlockPage(lanes, home)
    stack.addWidget(other)
    stack.addWidget(page)
    qtbot.addWidget(stack)
    stack.show()
    qtbot.waitExposed(stack)
    stack.activateWindow()
    other.setFocus()
    qtbot.waitUntil(other.hasFocus)
    stack.setCurrentWidget(page)
    # Shown: the cursor is in the passphrase field, whatever had focus before.
    qtbot.waitUntil(page.passphrase_edit.hasFocus)
    type_text(qtbot, focused(), "abc")
    assert page.passphrase_edit.text() == "abc"

    # In the profile list, arrows still choose, and typing goes to the passphrase.
    page.profile_view.setFocus()
    qtbot.waitUntil(page.profile_view.hasFocus)
    press(qtbot, page.profile_view, Qt.Key.Key_Down)
    assert page.profile_view.hasFocus()
    type_text(qtbot, page.profile_view, "de")
    assert page.passphrase_edit.hasFocus()
    assert page.passphrase_edit.text() == "abcde"

    # Choosing a profile with the mouse puts the cursor back in the passphrase field.
    page.profile_view.setFocus()
    rect = page.profile_view.visualRect(page.model.index(0, 0))
    qtbot.mouseClick(  # type: ignore[no-untyped-call]
        page.profile_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
    )
    qtbot.waitUntil(page.passphrase_edit.hasFocus)
    assert page.unlock_button.toolTip() == "Ontgrendelen (Enter)"
    assert page.passphrase_edit.toolTip() == "Wachtwoordzin (Alt+W)"

    # Away and back (a lock after work): the passphrase field again.
    stack.setCurrentWidget(other)
    other.setFocus()
    qtbot.waitUntil(other.hasFocus)
    stack.setCurrentWidget(page)
    qtbot.waitUntil(page.passphrase_edit.hasFocus)


def test_the_unlock_screen_says_when_a_profile_last_synced(
    qtbot: QtBot, lanes: Lanes, home: Path, demo_profiles: list[DemoProfile]
) -> None:
    # Before the database is open: from profile.json, written when a round finished.
    demo_profiles[0].profile.note_synced(datetime(2026, 11, 23, 14, 5, tzinfo=UTC))
    page = UnlockPage(lanes, home)
    qtbot.addWidget(page)
    page.reload()
    texts = [page.model.index(row, 0).data() for row in range(page.model.rowCount())]
    assert any("laatst gesynchroniseerd 23-11-2026 15:05" in text for text in texts), texts


# --------------------------------------------------------------------------------- sync


@pytest.fixture(scope="module")
def central(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Central]:
    database_url = f"sqlite:///{tmp_path_factory.mktemp('central') / 'central.db'}"
    with running_central(database_url, clients=8, seed=3) as running:
        yield running


@pytest.fixture
def proxy(central: Central) -> Iterator[FaultProxy]:
    faulty = FaultProxy(int(central.url.rsplit(":", 1)[1]))
    yield faulty
    faulty.close()


@pytest.fixture
def behind_proxy(
    central: Central, proxy: FaultProxy, home: Path, lanes: Lanes
) -> Iterator[Session]:
    """A caseworker's device enrolled with the real server, through the fault proxy."""
    proxy.set("pass")
    profile, store = sync_service.enroll(
        server_url=proxy.url,
        username="k.dijkstra",
        password=central.passwords["k.dijkstra"],
        code=central.code("k.dijkstra"),
        passphrase="een lange wachtzin voor de test",
        profile_name=f"k-{uuid.uuid4().hex[:6]}",
        home=home,
        params=FAST,
    )
    yield Session(profile=profile, store=store, lanes=lanes)
    store.close()


def test_a_server_that_never_answers_is_named_and_the_sync_can_be_stopped(
    qtbot: QtBot, proxy: FaultProxy, behind_proxy: Session
) -> None:
    page = SyncPage(behind_proxy)
    page.no_answer_after_s = 1.0  # 15 s in the window
    qtbot.addWidget(page)
    page.resize(800, 600)
    page.show()
    with qtbot.waitSignal(page.status_loaded, timeout=WAIT_MS):
        page.refresh()
    # Never synced: the page says what to do.
    assert page.report_when.text().startswith("Dit apparaat is nog nooit gesynchroniseerd.")
    assert "(Alt+N)" in page.report_when.text()
    states: list[str] = []
    page.server_state_changed.connect(states.append)

    # The round's first request (a push: the enrollment's audit event, with the hello) is taken
    # and never answered.
    proxy.set("blackhole", "/v1/sync/p")
    assert page.start_sync()
    assert page.cancel_button.isVisible() and page.cancel_button.isEnabled()
    assert page.cancel_button.toolTip() == "Synchroniseren stoppen (Esc)"
    assert page.progress_label.text() == "Verbinden met de server…"
    qtbot.waitUntil(lambda: page.server_state is ServerState.NO_ANSWER, timeout=WAIT_MS)
    assert states == ["no_answer"]
    assert page.progress_label.text().startswith("De server antwoordt niet.")
    assert proxy.faulted == ["/v1/sync/push"]

    # Esc stops it at once, although the request is still waiting for its answer.
    page.cancel_button.setFocus()
    started = time.monotonic()
    with qtbot.waitSignal(page.sync_cancelled, timeout=5_000):
        press(qtbot, page.cancel_button, Qt.Key.Key_Escape)
    assert time.monotonic() - started < 3
    assert not page.is_syncing and not page.cancel_button.isVisible()
    assert page.sync_button.isEnabled() and not page.error_label.isVisible()
    assert page.notice_label.text() == "Synchroniseren is gestopt. Uw wijzigingen blijven bewaard."
    assert page.server_state is ServerState.NO_ANSWER  # still true: it never answered
    # The network lane is free again: the worker clears its busy flag just after the job's
    # last signal is queued, so the window may see the signal a moment before.
    qtbot.waitUntil(lambda: not behind_proxy.lanes.network.busy, timeout=2_000)

    # Through a good network the next sync goes through, and the server is there again.
    proxy.set("pass")
    with qtbot.waitSignal(page.synced, timeout=60_000) as synced:
        assert page.start_sync()
    assert synced.args[0].received > 0
    assert page.server_state.value == "online"
    assert states == ["no_answer", "online"]
    assert not page.notice_label.isVisible()


def test_a_lost_network_is_waited_for_and_the_round_goes_on_by_itself(
    qtbot: QtBot, proxy: FaultProxy, behind_proxy: Session
) -> None:
    page = SyncPage(behind_proxy)
    qtbot.addWidget(page)
    page.resize(800, 600)
    page.show()
    with qtbot.waitSignal(page.status_loaded, timeout=WAIT_MS):
        page.refresh()
    states: list[str] = []
    page.server_state_changed.connect(states.append)
    told: list[str] = []
    page.progress_changed.connect(lambda text, _done, _total: told.append(text))

    proxy.set("reset", "/v1/sync/p")  # every answer cut off: the network keeps dropping
    with qtbot.waitSignal(page.synced, timeout=60_000) as synced:
        assert page.start_sync()
        qtbot.waitUntil(lambda: page.server_state is ServerState.WAITING, timeout=WAIT_MS)
        assert page.progress_label.text().startswith("Wacht op verbinding… Opnieuw proberen over")
        assert "Wacht op verbinding…" in told  # the status bar's words
        assert page.cancel_button.isVisible() and page.cancel_button.isEnabled()
        proxy.set("pass")  # the network is back: no second press
    assert synced.args[0].received > 0
    assert states[0] == "waiting" and states[-1] == "online"
    assert not page.error_label.isVisible()


def test_a_sync_publishes_what_it_changed(
    qtbot: QtBot, proxy: FaultProxy, behind_proxy: Session
) -> None:
    page = SyncPage(behind_proxy)
    qtbot.addWidget(page)
    page.show()
    published: list[Changes] = []
    behind_proxy.bus.changed.connect(published.append)
    with qtbot.waitSignal(page.synced, timeout=60_000):
        assert page.start_sync()
    [changes] = published
    assert changes.touches("client") and changes.touches(SYNC) and changes.touches(JOURNAL)
    held = behind_proxy.store.caseload()[0].id
    assert changes.touches("client", client_id=held)
