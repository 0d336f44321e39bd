"""The unlock screen over real encrypted demo profiles, and the enrollment wizard against a real
server process (`veldwerk-server serve`: uvicorn on 127.0.0.1 with SQLite; the database made with
`veldwerk-server init-db`, users and one-time codes made in-process as tests/e2e does).

Widgets are driven with the keyboard where a person would use it; secrets are ASCII so they can
be typed with qtbot.keyClicks.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QWidget, QWizard
from pytestqt.qtbot import QtBot

from app.demo.profiles import DemoProfile
from app.domain.errors import VeldwerkError
from app.domain.formatting import date_text
from app.services import sync as sync_service
from app.storage.profiles import Profile, find_profile, list_profiles
from app.storage.store import Store
from app.storage.vault import KdfParams, MemoryAttemptCounter
from app.ui.enroll_wizard import (
    PAGE_ACCOUNT,
    PAGE_CODE,
    PAGE_ENROLL,
    PAGE_PASSPHRASE,
    PAGE_SERVER,
    EnrollWizard,
    normalise_server_url,
    profile_name_for,
    server_url_acceptable,
)
from app.ui.passphrase_strength import (
    MIN_STRENGTH,
    is_acceptable,
    score_passphrase,
    strength_label,
)
from app.ui.tasks import Lanes
from app.ui.unlock_page import ProfileListModel, UnlockPage
from server.crud import devices, users
from server.db import make_engine, make_sessionmaker, session_scope
from tests.central import free_port, start_server, stop_server
from tests.pki import write_server_pki

# The offscreen platform warns about every shown window with a size constraint; nothing to see.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

FAST = KdfParams(1024, 1, 1)
PASSPHRASE = "kwelder garnaal zeedijk wulp"

# ----------------------------------------------------------------------------------- helpers


@pytest.fixture(autouse=True)
def dutch(qapp: QApplication) -> Iterator[None]:
    """The UI speaks Dutch (error texts from the services follow this property)."""
    before = qapp.property("veldwerk_language")
    qapp.setProperty("veldwerk_language", "nl")
    yield
    qapp.setProperty("veldwerk_language", before)


def _focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has keyboard focus"
    return widget


def _type(qtbot: QtBot, text: str) -> None:
    QTest.keyClicks(_focused(), text)


def _key(qtbot: QtBot, key: Qt.Key) -> None:
    QTest.keyClick(_focused(), key)


def _show(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget.window())


def _visible_text(widget: QWidget) -> str:
    """Everything a person (or a screen reader) can read on the widget, item views included."""
    parts: list[str] = []
    for label in widget.findChildren(QLabel):
        parts.extend((label.text(), label.accessibleName(), label.toolTip()))
    for child in widget.findChildren(QWidget):
        parts.extend((child.accessibleName(), child.toolTip()))
        text = getattr(child, "text", None)
        if callable(text):
            value = text()
            if isinstance(value, str):
                parts.append(value)
    for model in widget.findChildren(QAbstractItemModel):
        for row in range(model.rowCount()):
            index = model.index(row, 0)
            for role in (
                Qt.ItemDataRole.DisplayRole,
                Qt.ItemDataRole.ToolTipRole,
                Qt.ItemDataRole.AccessibleTextRole,
            ):
                value = index.data(role)
                if isinstance(value, str):
                    parts.append(value)
    return "\n".join(parts)


def _page(qtbot: QtBot, lanes: Lanes, home: Path, **kwargs: object) -> UnlockPage:
    page = UnlockPage(lanes, home, **kwargs)  # type: ignore[arg-type]
    page.resize(900, 640)
    _show(qtbot, page)
    return page


def _attempt(qtbot: QtBot, page: UnlockPage, passphrase: str) -> None:
    """Type a passphrase into the field and press Enter; wait for the unlock to finish."""
    page.passphrase_edit.setFocus()
    qtbot.waitUntil(lambda: page.passphrase_edit.hasFocus())
    _type(qtbot, passphrase)
    _key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not page.busy, timeout=10_000)


class FakeClock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def _vault_unlock(
    clock: FakeClock, counters: dict[str, MemoryAttemptCounter], *, max_attempts: int = 10
) -> Callable[[Profile, str], Store]:
    """An unlock like the real one, with the vault's clock and failure counters (one for each
    profile, standing in for the OS credential store) in the test's hand."""

    def unlock(profile: Profile, passphrase: str) -> Store:
        counter = counters.setdefault(profile.name, MemoryAttemptCounter())
        vault = profile.vault(counter=counter, clock=clock, max_attempts=max_attempts)
        return profile.unlock(passphrase, vault=vault)

    return unlock


# ------------------------------------------------------------------------------ unlock page


def test_profile_list_shows_role_in_dutch_and_nothing_of_the_caseload(
    qtbot: QtBot, qtmodeltester: object, demo_profiles: list[DemoProfile], lanes: Lanes, home: Path
) -> None:
    page = _page(qtbot, lanes, home)
    model = page.model
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.rowCount() == 2
    shown = {
        model.index(row, 0).data(): model.index(row, 0).data(Qt.ItemDataRole.AccessibleTextRole)
        for row in range(model.rowCount())
    }
    caseworker, team_lead = (d.profile for d in demo_profiles)
    lines = "\n".join(shown)
    assert f"{caseworker.name}\nKlantmanager · k.dijkstra" in lines
    assert f"{team_lead.name}\nTeamleider · t.mulder" in lines
    assert "caseworker" not in lines.replace(caseworker.name, "")
    # In the caseworkers' zone, as the screen shows it (between 23:00 and 01:00 UTC the laptop's
    # own zone may already be on another day).
    today = date_text(datetime.fromisoformat(caseworker.info.created_at))
    assert f"aangemaakt op {today}" in lines

    # Nothing of the caseload: no client's name, BSN, village or street anywhere on the screen.
    text = _visible_text(page)
    store = demo_profiles[0].profile.unlock(demo_profiles[0].passphrase)
    try:
        caseload = store.caseload()
    finally:
        store.close()
    assert len(caseload) > 10
    for client in caseload:
        for secret in (client.display_name, client.formal_name, client.bsn, client.street_line):
            assert secret not in text
    assert page.passphrase_edit.echoMode() == page.passphrase_edit.EchoMode.Password


def test_unlock_wrong_then_right_passphrase_with_the_keyboard(
    qtbot: QtBot, demo_profiles: list[DemoProfile], lanes: Lanes, home: Path
) -> None:
    demo = demo_profiles[0]
    page = _page(qtbot, lanes, home)
    assert page.selected_profile() is not None
    assert page.selected_profile().name == demo.profile.name  # type: ignore[union-attr]

    # Keyboard path: list -> passphrase -> Ontgrendelen -> ... with Tab.
    page.profile_view.setFocus()
    qtbot.waitUntil(lambda: page.profile_view.hasFocus())
    _key(qtbot, Qt.Key.Key_Tab)
    assert page.passphrase_edit.hasFocus()
    _key(qtbot, Qt.Key.Key_Tab)
    assert page.unlock_button.hasFocus()
    assert page.unlock_button.isDefault()
    _key(qtbot, Qt.Key.Key_Backtab)
    assert page.passphrase_edit.hasFocus()

    _type(qtbot, "niet-de-goede-zin")
    _key(qtbot, Qt.Key.Key_Return)
    assert page.busy and page.progress_bar.isVisible()
    assert not page.unlock_button.isEnabled()
    qtbot.waitUntil(lambda: not page.busy, timeout=10_000)
    assert page.message_label.text() == "Wachtwoordzin onjuist. Nog 9 pogingen."
    assert page.message_label.isVisible()
    assert page.passphrase_edit.text() == ""  # cleared after every attempt
    assert page.passphrase_edit.hasFocus()

    with qtbot.waitSignal(page.unlocked, timeout=10_000) as unlocked:
        _type(qtbot, demo.passphrase)
        _key(qtbot, Qt.Key.Key_Tab)
        assert page.unlock_button.hasFocus()
        _key(qtbot, Qt.Key.Key_Return)  # Enter on the focused default button
    profile, store = unlocked.args
    try:
        assert isinstance(store, Store) and store.is_open
        assert profile.name == demo.profile.name
        assert len(store.caseload()) > 10
        assert page.passphrase_edit.text() == ""
        assert not page.message_label.isVisible()
    finally:
        store.close()


def test_the_growing_delay_is_a_live_countdown(
    qtbot: QtBot, demo_profiles: list[DemoProfile], lanes: Lanes, home: Path
) -> None:
    clock, counters = FakeClock(), dict[str, MemoryAttemptCounter]()
    page = _page(qtbot, lanes, home, unlock=_vault_unlock(clock, counters))
    for _ in range(3):
        _attempt(qtbot, page, "fout")
    clock.now += 1  # the one-second wait after the third failure is over
    _attempt(qtbot, page, "fout")
    assert page.message_label.text() == "Wachtwoordzin onjuist. Nog 6 pogingen."
    counter = counters[demo_profiles[0].profile.name]
    assert counter.value == 4

    _attempt(qtbot, page, "fout")  # the vault now wants two seconds: no attempt is spent
    assert counter.value == 4
    assert page.message_label.text() == "Te veel mislukte pogingen."
    assert page.countdown_label.isVisible()
    assert page.countdown_label.text() == "Probeer het over 2 seconden opnieuw."
    assert not page.unlock_button.isEnabled()
    assert page.passphrase_edit.isEnabled()  # typing ahead is fine

    qtbot.waitUntil(
        lambda: page.countdown_label.text() == "Probeer het over 1 seconde opnieuw.", timeout=3000
    )
    assert not page.unlock_button.isEnabled()
    qtbot.waitUntil(lambda: page.unlock_button.isEnabled(), timeout=3000)
    assert not page.countdown_label.isVisible()
    assert not page.message_label.isVisible()

    clock.now += 2
    with qtbot.waitSignal(page.unlocked, timeout=10_000) as unlocked:
        _attempt(qtbot, page, demo_profiles[0].passphrase)
    unlocked.args[1].close()
    assert counter.value == 0


def test_a_countdown_belongs_to_its_profile(
    qtbot: QtBot, demo_profiles: list[DemoProfile], lanes: Lanes, home: Path
) -> None:
    clock = FakeClock()
    counters = {demo_profiles[0].profile.name: MemoryAttemptCounter(3)}
    page = _page(qtbot, lanes, home, unlock=_vault_unlock(clock, counters))
    _attempt(qtbot, page, "fout")  # the count of three says: wait first
    assert not page.unlock_button.isEnabled()
    assert page.select_profile(demo_profiles[1].profile.name)
    assert page.unlock_button.isEnabled()
    assert not page.countdown_label.isVisible()
    assert page.select_profile(demo_profiles[0].profile.name)
    assert not page.unlock_button.isEnabled()
    assert page.countdown_label.isVisible()


def test_a_wiped_profile_says_so_and_cannot_be_tried_again(
    qtbot: QtBot, demo_profiles: list[DemoProfile], lanes: Lanes, home: Path
) -> None:
    clock, counters = FakeClock(), dict[str, MemoryAttemptCounter]()
    page = _page(qtbot, lanes, home, unlock=_vault_unlock(clock, counters, max_attempts=3))
    _attempt(qtbot, page, "fout")
    assert page.message_label.text() == (
        "Wachtwoordzin onjuist. Nog 2 pogingen. Daarna wordt dit profiel van dit apparaat gewist."
    )
    _attempt(qtbot, page, "fout")
    assert page.message_label.text().startswith("Wachtwoordzin onjuist. Nog 1 poging.")
    _attempt(qtbot, page, "fout")
    assert page.message_label.text() == (
        "Dit profiel is gewist. Meld dit apparaat opnieuw aan om verder te werken."
    )
    wiped = demo_profiles[0].profile
    assert not wiped.key_path.exists() and not wiped.db_path.exists()
    assert page.selected_profile() is not None
    assert page.selected_profile().name == wiped.name  # type: ignore[union-attr]
    assert "Klantmanager · k.dijkstra · gewist" in page.profile_view.currentIndex().data()
    assert not page.passphrase_edit.isEnabled()
    assert not page.unlock_button.isEnabled()

    # The other profile on the device is untouched and still opens.
    page.select_profile(demo_profiles[1].profile.name)
    assert page.unlock_button.isEnabled() and not page.message_label.isVisible()
    with qtbot.waitSignal(page.unlocked, timeout=10_000) as unlocked:
        _attempt(qtbot, page, demo_profiles[1].passphrase)
    unlocked.args[1].close()


def test_an_expired_lease_offers_sync_now(
    qtbot: QtBot, demo_profiles: list[DemoProfile], lanes: Lanes, home: Path
) -> None:
    demo = demo_profiles[0]
    store = demo.profile.unlock(demo.passphrase)
    store.set_setting(sync_service.SERVER, "http://127.0.0.1:9")  # as if enrolled
    store.close()
    later = datetime.now(UTC) + timedelta(days=sync_service.LEASE_DAYS + 6)

    def unlock(profile: Profile, passphrase: str) -> Store:
        return sync_service.unlock_for_work(profile, passphrase, now=later)

    page = _page(qtbot, lanes, home, unlock=unlock)
    _attempt(qtbot, page, demo.passphrase)
    assert page.message_label.text().startswith("Dit apparaat heeft 14 dagen niet")
    assert page.sync_button.isVisible()
    assert page.passphrase_edit.text() == ""
    with qtbot.waitSignal(page.sync_requested) as requested:
        QTest.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)
    assert requested.args == [page.selected_profile(), demo.passphrase]
    assert not page.sync_button.isVisible()


def test_an_unexpected_failure_shows_no_details(
    qtbot: QtBot, demo_profiles: list[DemoProfile], lanes: Lanes, home: Path
) -> None:
    def unlock(_profile: Profile, _passphrase: str) -> Store:
        raise OSError("/home/k.dijkstra/Jan de Vries 123456782")

    page = _page(qtbot, lanes, home, unlock=unlock)
    _attempt(qtbot, page, demo_profiles[0].passphrase)
    assert page.message_label.text() == "Er ging iets mis. Uw werk is bewaard; probeer het opnieuw."
    assert page.unlock_button.isEnabled() and page.passphrase_edit.hasFocus()
    _attempt(qtbot, page, "")  # nothing typed: nothing tried
    assert page.message_label.text() == "Vul uw wachtwoordzin in."


def test_an_empty_device_points_to_enrollment(qtbot: QtBot, lanes: Lanes, home: Path) -> None:
    page = _page(qtbot, lanes, home)
    assert page.model.rowCount() == 0
    assert page.empty_label.isVisible() and not page.profile_view.isVisible()
    assert not page.passphrase_edit.isEnabled() and not page.unlock_button.isEnabled()
    page.focus_passphrase()
    assert page.enroll_button.hasFocus()
    with qtbot.waitSignal(page.enroll_requested):
        _key(qtbot, Qt.Key.Key_Space)


def test_reload_finds_a_new_profile_and_keeps_the_selection(
    qtbot: QtBot, lanes: Lanes, home: Path
) -> None:
    page = _page(qtbot, lanes, home)
    _profile, store = Profile.create(
        "z-tweede",
        passphrase=PASSPHRASE,
        username="z.tweede",
        role="team_lead",
        params=FAST,
        home=home,
    )
    store.close()
    page.reload()
    assert [p.name for p in page.profiles()] == ["z-tweede"]
    _profile, store = Profile.create(
        "a-eerste",
        passphrase=PASSPHRASE,
        username="a.eerste",
        role="caseworker",
        params=FAST,
        home=home,
    )
    store.close()
    page.reload()
    assert [p.name for p in page.profiles()] == ["a-eerste", "z-tweede"]
    assert page.selected_profile().name == "z-tweede"  # type: ignore[union-attr]


def test_profile_list_model_without_profiles(qtmodeltester: object) -> None:
    model = ProfileListModel()
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.rowCount() == 0


# ----------------------------------------------------------------------- passphrase strength


@pytest.mark.parametrize(
    ("passphrase", "low", "high"),
    [
        ("", 0, 0),
        ("kort", 0, 0),
        ("Zomer2026!", 0, 1),  # under twelve characters is never more than weak
        ("Welkom12345678", 0, 1),  # a common word and a run of digits
        ("aaaaaaaaaaaaaaaaaaaaaaaa", 0, 1),
        ("kortzin veilig", 0, 2),
        ("Kx9#mP2$vL8q", 3, 4),
        ("fiets boom regen wolk", 4, 4),
        ("een lange zin voor de dijk", 4, 4),
    ],
)
def test_passphrase_strength(passphrase: str, low: int, high: int) -> None:
    assert low <= score_passphrase(passphrase) <= high
    assert is_acceptable(passphrase) == (score_passphrase(passphrase) >= MIN_STRENGTH)


def test_strength_labels_are_dutch(qapp: QApplication) -> None:
    assert [strength_label(s) for s in range(5)] == [
        "Zeer zwak",
        "Zwak",
        "Redelijk",
        "Sterk",
        "Zeer sterk",
    ]


# --------------------------------------------------------------------- the central server


def _server_cli(database_url: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "server.cli", "--database-url", database_url, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@dataclass
class Central:
    database_url: str
    url: str
    tls_url: str
    ca: Path
    passwords: dict[str, str]

    def code(self, username: str) -> str:
        engine = make_engine(self.database_url)
        try:
            with session_scope(make_sessionmaker(engine)) as session:
                return devices.issue_enrollment_code(session, username=username, by="test")
        finally:
            engine.dispose()


USERS = {
    "k.visser": ("caseworker", "wachtwoord-van-visser-1"),
    "j.smit": ("caseworker", "wachtwoord-van-smit-22"),
    "t.bos": ("team_lead", "wachtwoord-van-bos-333"),
    "r.kok": ("caseworker", "wachtwoord-van-kok-4444"),
}


@pytest.fixture(scope="module")
def central(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Central]:
    root = tmp_path_factory.mktemp("central")
    database_url = f"sqlite:///{root / 'central.db'}"
    _server_cli(database_url, "init-db")
    engine = make_engine(database_url)
    try:
        with session_scope(make_sessionmaker(engine)) as session:
            for username, (role, password) in USERS.items():
                users.create_user(
                    session,
                    by="test",
                    username=username,
                    display_name=username,
                    role=role,
                    password=password,
                )
    finally:
        engine.dispose()
    ca, cert, key = write_server_pki(root, "127.0.0.1", common="veldwerk ui test server")
    port, tls_port = free_port(), free_port()
    plain = start_server(database_url, port)
    secure = start_server(database_url, tls_port, str(cert), str(key))
    try:
        url = f"http://127.0.0.1:{port}"
        assert requests.get(url + "/v1/health", timeout=5).status_code == 200
        yield Central(
            database_url,
            url,
            f"https://127.0.0.1:{tls_port}",
            ca,
            {name: password for name, (_role, password) in USERS.items()},
        )
    finally:
        stop_server(plain)
        stop_server(secure)


# -------------------------------------------------------------------------------- the wizard


def _wizard(qtbot: QtBot, lanes: Lanes, home: Path) -> EnrollWizard:
    wizard = EnrollWizard(lanes, home, params=FAST)
    _show(qtbot, wizard)
    assert wizard.currentId() == PAGE_SERVER
    qtbot.waitUntil(lambda: wizard.server_page.url.hasFocus())
    return wizard


def _next_button_enabled(wizard: EnrollWizard) -> bool:
    return wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def _fill_until_enrollment(
    qtbot: QtBot,
    wizard: EnrollWizard,
    *,
    url: str,
    username: str,
    password: str,
    code: str,
    ca: Path | None = None,
) -> None:
    """Every page by keyboard: type, Tab to the next field, Enter for Volgende."""
    _type(qtbot, url)
    if ca is not None:
        _key(qtbot, Qt.Key.Key_Tab)
        assert wizard.server_page.ca_bundle.hasFocus()
        _type(qtbot, str(ca))
    _key(qtbot, Qt.Key.Key_Return)
    assert wizard.currentId() == PAGE_ACCOUNT
    assert wizard.account_page.username.hasFocus()
    _type(qtbot, username)
    _key(qtbot, Qt.Key.Key_Tab)
    assert wizard.account_page.password.hasFocus()
    _type(qtbot, password)
    _key(qtbot, Qt.Key.Key_Return)
    assert wizard.currentId() == PAGE_CODE
    _type(qtbot, code)
    _key(qtbot, Qt.Key.Key_Return)
    assert wizard.currentId() == PAGE_PASSPHRASE
    assert wizard.passphrase_page.first.hasFocus()
    _type(qtbot, PASSPHRASE)
    _key(qtbot, Qt.Key.Key_Tab)
    assert wizard.passphrase_page.second.hasFocus()
    _type(qtbot, PASSPHRASE)
    assert wizard.passphrase_page.strength.text() == "Sterkte: Zeer sterk"
    _key(qtbot, Qt.Key.Key_Return)
    assert wizard.currentId() == PAGE_ENROLL


def _wait_enrollment(qtbot: QtBot, wizard: EnrollWizard) -> None:
    qtbot.waitUntil(lambda: not wizard.busy, timeout=30_000)


def test_enroll_against_the_real_server_by_keyboard(
    qtbot: QtBot, central: Central, lanes: Lanes, home: Path
) -> None:
    wizard = _wizard(qtbot, lanes, home)
    _fill_until_enrollment(
        qtbot,
        wizard,
        url=central.url,
        username="k.visser",
        password=central.passwords["k.visser"],
        code=central.code("k.visser"),
    )
    assert wizard.busy
    assert wizard.enroll_page.progress.isVisible()
    assert not wizard.button(QWizard.WizardButton.CancelButton).isEnabled()
    _wait_enrollment(qtbot, wizard)
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert finish.isEnabled() and finish.hasFocus()
    assert "Profiel k-visser (Klantmanager) is aangemaakt." in wizard.enroll_page.status.text()

    with qtbot.waitSignal(wizard.enrolled) as enrolled:
        _key(qtbot, Qt.Key.Key_Return)
    profile, store = enrolled.args
    try:
        assert not wizard.isVisible()
        assert isinstance(store, Store) and store.is_open
        assert profile.name == "k-visser"
        assert find_profile("k-visser", home).info.username == "k.visser"
        assert profile.info.role == "caseworker"
        assert store.setting(sync_service.TOKEN)
        assert store.setting(sync_service.SERVER) == central.url
        assert store.setting(sync_service.CA_BUNDLE) is None
    finally:
        store.close()
    # The profile opens with the new passphrase.
    find_profile("k-visser", home).unlock(PASSPHRASE).close()


GENERIC_FAILURE = (
    "De gebruikersnaam, het wachtwoord of de koppelcode is onjuist. Een koppelcode werkt één "
    "keer en verloopt; vraag zo nodig de centrale administratie om een nieuwe code."
)


def test_a_wrong_code_goes_back_to_the_account_page_and_can_be_corrected(
    qtbot: QtBot, central: Central, lanes: Lanes, home: Path
) -> None:
    """The server does not say which part was wrong (no password oracle): back to the first of
    them, with a message naming all three."""
    wizard = _wizard(qtbot, lanes, home)
    _fill_until_enrollment(
        qtbot,
        wizard,
        url=central.url,
        username="j.smit",
        password=central.passwords["j.smit"],
        code="AAAA-BBBB-CCCC",
    )
    _wait_enrollment(qtbot, wizard)
    assert wizard.currentId() == PAGE_ACCOUNT
    assert wizard.account_page.error.isVisible()
    assert wizard.account_page.error.text() == GENERIC_FAILURE
    assert list_profiles(home) == []

    # The account was right: on to the code and correct it; the passphrase typed before is
    # still there.
    _key(qtbot, Qt.Key.Key_Return)
    assert wizard.currentId() == PAGE_CODE
    wizard.code_page.code.setFocus()
    wizard.code_page.code.selectAll()
    _type(qtbot, central.code("j.smit"))
    assert not wizard.code_page.error.isVisible()
    _key(qtbot, Qt.Key.Key_Return)
    assert wizard.currentId() == PAGE_PASSPHRASE
    assert wizard.passphrase_page.passphrase() == PASSPHRASE
    with qtbot.waitSignal(wizard.enrolled, timeout=30_000) as enrolled:
        _key(qtbot, Qt.Key.Key_Return)
        _wait_enrollment(qtbot, wizard)
        _key(qtbot, Qt.Key.Key_Return)
    enrolled.args[1].close()
    assert [p.name for p in list_profiles(home)] == ["j-smit"]


def test_a_wrong_password_goes_back_to_the_account_page(
    qtbot: QtBot, central: Central, lanes: Lanes, home: Path
) -> None:
    wizard = _wizard(qtbot, lanes, home)
    _fill_until_enrollment(
        qtbot,
        wizard,
        url=central.url,
        username="t.bos",
        password="dit-is-het-niet-12",
        code=central.code("t.bos"),
    )
    _wait_enrollment(qtbot, wizard)
    assert wizard.currentId() == PAGE_ACCOUNT
    assert wizard.account_page.error.text() == GENERIC_FAILURE
    assert wizard.account_page.password.hasFocus()
    assert list_profiles(home) == []


def test_an_unreachable_server_is_reported_in_dutch(qtbot: QtBot, lanes: Lanes, home: Path) -> None:
    closed = f"http://127.0.0.1:{free_port()}"
    wizard = _wizard(qtbot, lanes, home)
    _fill_until_enrollment(
        qtbot,
        wizard,
        url=closed,
        username="k.visser",
        password="wat-dan-ook-123",
        code="ABCD-EFGH-JKLM",
    )
    _wait_enrollment(qtbot, wizard)
    assert wizard.currentId() == PAGE_SERVER
    assert wizard.server_page.error.text().startswith("De server is niet bereikbaar.")
    assert wizard.server_page.url.text() == closed
    assert list_profiles(home) == []


def test_an_untrusted_certificate_is_refused_and_the_ca_file_makes_it_work(
    qtbot: QtBot, central: Central, lanes: Lanes, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE"):
        monkeypatch.delenv(name, raising=False)
    wizard = _wizard(qtbot, lanes, home)
    _fill_until_enrollment(
        qtbot,
        wizard,
        url=central.tls_url,
        username="r.kok",
        password=central.passwords["r.kok"],
        code=central.code("r.kok"),
    )
    _wait_enrollment(qtbot, wizard)
    assert wizard.currentId() == PAGE_SERVER
    message = wizard.server_page.error.text()
    assert message.startswith("Het certificaat van de server wordt niet vertrouwd")
    assert "kies dan het CA-bestand" in message
    assert list_profiles(home) == []

    # Choose the organisation's CA file (typed; the Bladeren button opens a file dialog).
    wizard.server_page.ca_bundle.setFocus()
    _type(qtbot, str(central.ca))
    with qtbot.waitSignal(wizard.enrolled, timeout=30_000) as enrolled:
        for _page_id in (PAGE_ACCOUNT, PAGE_CODE, PAGE_PASSPHRASE, PAGE_ENROLL):
            _key(qtbot, Qt.Key.Key_Return)
            assert wizard.currentId() == _page_id
        _wait_enrollment(qtbot, wizard)
        _key(qtbot, Qt.Key.Key_Return)
    profile, store = enrolled.args
    try:
        assert store.setting(sync_service.SERVER) == central.tls_url
        assert store.setting(sync_service.CA_BUNDLE) == str(central.ca)
        assert profile.name == "r-kok"
    finally:
        store.close()


def test_the_passphrase_page_wants_a_strong_passphrase_typed_twice(
    qtbot: QtBot, lanes: Lanes, home: Path
) -> None:
    wizard = _wizard(qtbot, lanes, home)
    _type(qtbot, "veldwerk.voorbeeld.nl")
    _key(qtbot, Qt.Key.Key_Return)
    assert wizard.server_page.url.text() == "https://veldwerk.voorbeeld.nl"
    _type(qtbot, "k.visser")
    _key(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, "fiets boom regen wolk")
    _key(qtbot, Qt.Key.Key_Return)
    _type(qtbot, "ABCD-EFGH-JKLM")
    _key(qtbot, Qt.Key.Key_Return)
    page = wizard.passphrase_page
    assert wizard.currentId() == PAGE_PASSPHRASE
    assert not _next_button_enabled(wizard)

    _type(qtbot, "kort")
    assert page.strength.text() == "Sterkte: Zeer zwak"
    assert page.problem.text() == "De wachtwoordzin is te kort: minstens 12 tekens."
    assert page.meter.value() == 0
    page.first.clear()
    _type(qtbot, "wachtwoord123456")
    assert page.problem.text() == "Kies een sterkere wachtwoordzin, bijvoorbeeld een paar woorden."
    page.first.clear()
    _type(qtbot, "fiets boom regen wolk")  # the same as the server password
    assert page.meter.value() == 4
    assert page.problem.text() == "Kies een andere wachtwoordzin dan uw wachtwoord voor de server."
    page.first.clear()
    _type(qtbot, PASSPHRASE)
    _key(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, PASSPHRASE[:-1] + "x")
    assert page.problem.text() == "De twee wachtwoordzinnen zijn niet gelijk."
    assert not _next_button_enabled(wizard)
    _key(qtbot, Qt.Key.Key_Backspace)
    _type(qtbot, PASSPHRASE[-1])
    assert not page.problem.isVisible()
    assert _next_button_enabled(wizard)

    # Cancelling before the server was asked leaves nothing behind and emits nothing.
    with qtbot.assertNotEmitted(wizard.enrolled):
        wizard.reject()
    assert list_profiles(home) == []


def test_the_server_page_refuses_plain_http_to_another_machine(
    qtbot: QtBot, lanes: Lanes, home: Path, tmp_path: Path
) -> None:
    wizard = _wizard(qtbot, lanes, home)
    _type(qtbot, "http://veldwerk.voorbeeld.nl")
    _key(qtbot, Qt.Key.Key_Return)
    assert wizard.currentId() == PAGE_SERVER
    assert wizard.server_page.error.text().startswith("Het serveradres moet met https:// beginnen")
    wizard.server_page.url.clear()
    _type(qtbot, "https://veldwerk.voorbeeld.nl")
    assert not wizard.server_page.error.isVisible()
    wizard.server_page.ca_bundle.setText(str(tmp_path / "bestaat-niet.pem"))
    _key(qtbot, Qt.Key.Key_Return)
    assert wizard.currentId() == PAGE_SERVER
    assert wizard.server_page.error.text() == "Het gekozen CA-bestand bestaat niet."


def test_server_address_and_profile_name_helpers(home: Path) -> None:
    assert normalise_server_url(" veldwerk.nl/ ") == "https://veldwerk.nl"
    assert server_url_acceptable("https://veldwerk.nl")
    assert server_url_acceptable("http://127.0.0.1:8000")
    assert server_url_acceptable("http://localhost:8000")
    assert not server_url_acceptable("http://veldwerk.nl")
    assert not server_url_acceptable("ftp://veldwerk.nl")
    assert not server_url_acceptable("https://")
    assert profile_name_for("K.Dijkstra", home) == "k-dijkstra"
    _profile, store = Profile.create(
        "k-dijkstra",
        passphrase=PASSPHRASE,
        username="k.dijkstra",
        role="caseworker",
        params=FAST,
        home=home,
    )
    store.close()
    assert profile_name_for("k.dijkstra", home) == "k-dijkstra-2"
    assert profile_name_for("...", home) == "profiel"


def test_every_failure_has_a_page_and_a_dutch_message(
    qtbot: QtBot, lanes: Lanes, home: Path
) -> None:
    wizard = EnrollWizard(lanes, home, params=FAST)
    qtbot.addWidget(wizard)

    def failure(code: str) -> tuple[int, str]:
        return wizard.failure(VeldwerkError(code, f"nl {code}", f"en {code}"))

    assert failure("invalid_credentials")[0] == PAGE_ACCOUNT
    assert failure("too_many_attempts") == (
        PAGE_ACCOUNT,
        "Te veel mislukte pogingen. Wacht een kwartier en probeer het dan opnieuw.",
    )
    # An older server's separate code for a bad enrollment code: the same generic message.
    assert failure("invalid_enrollment_code") == failure("invalid_credentials")
    assert failure("server_unreachable")[0] == PAGE_SERVER
    assert failure("certificate_refused")[0] == PAGE_SERVER
    assert failure("invalid_answer") == (PAGE_SERVER, "nl invalid_answer")
    assert failure("http_404")[1] == (
        "Op dit adres antwoordt geen Veldwerk-server. Controleer het serveradres."
    )
    assert failure("profile_exists") == (PAGE_PASSPHRASE, "nl profile_exists")
    page, text = wizard.failure(RuntimeError("/home/k.dijkstra/geheim"))
    assert page == PAGE_PASSPHRASE and "geheim" not in text
