"""The Conflicten, Synchronisatie and Vandaag screens, driven through their real widgets.

SyncPage talks to a real server process (uvicorn over SQLite on 127.0.0.1, as in tests/e2e).
Conflicts are made the way a sync makes them when the push answer reports one: a local edit, then
`sync_state.acknowledge` with that answer (what `SyncEngine._push` does).
"""

from __future__ import annotations

import dataclasses
import re
import uuid
from collections.abc import Iterator
from datetime import datetime
from datetime import time as clock_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.demo.caseload import DEMO_TODAY
from app.demo.profiles import DemoProfile
from app.domain.client import Client
from app.domain.intake import Intake
from app.domain.values import PhoneNumber
from app.domain.visit import Visit, VisitPurpose
from app.services import sync as sync_service
from app.services.today import route_key, today_items
from app.storage import sync_state
from app.storage.store import Store
from app.ui.conflicts_page import ConflictsPage
from app.ui.session import Session
from app.ui.sync_page import SyncPage
from app.ui.tasks import Lanes
from app.ui.today_page import OVERDUE_KINDS, TAB_INTAKE, TAB_VISITS, TodayCard, TodayPage
from server.crud import devices
from tests.central import Central, free_port, running_central
from tests.ui.conftest import FAST

SYNC_TIMEOUT_MS = 60_000

# The offscreen platform says this whenever a top-level widget is shown; it is not our warning.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture(autouse=True)
def dutch(qapp: QApplication) -> Iterator[None]:
    """The screens in Dutch, whatever the machine's locale (error_text follows this)."""
    before = qapp.property("veldwerk_language")
    qapp.setProperty("veldwerk_language", "nl")
    yield
    qapp.setProperty("veldwerk_language", before)


# pytest-qt's key and mouse helpers are untyped; typed wrappers keep mypy's checks on the rest.
def click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)  # type: ignore[no-untyped-call]


def press(qtbot: QtBot, widget: QWidget, key: Qt.Key) -> None:
    qtbot.keyClick(widget, key)  # type: ignore[no-untyped-call]


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """ASCII only: qtbot.keyClicks aborts on other characters."""
    assert text.isascii()
    qtbot.keyClicks(widget, text)  # type: ignore[no-untyped-call]


def _label_texts(widget: Any) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel)]


# ------------------------------------------------------------------------------ conflicts


def _conflict(store: Store, before: Client, after: Client, theirs: dict[str, Any]) -> None:
    """A local edit, then the server's push answer reporting a conflict, taken in as sync does."""
    store.update(after)
    entry = store.journal_entries()[-1]
    old, new = before.to_fields(), after.to_fields()
    verdict = sync_state.Verdict(
        seq=entry.seq,
        status="conflict",
        version=2,
        conflicts=[
            {"field": k, "base": old[k], "device": new[k], "server": v} for k, v in theirs.items()
        ],
        server_values=theirs,
    )
    sync_state.acknowledge(store, [verdict], entries=[entry])


def _get(store: Store, client_id: str) -> Client:
    found = store.get(Client, client_id)
    assert found is not None
    return found


def test_resolve_conflicts_by_clicking(qtbot: QtBot, qtmodeltester: Any, session: Session) -> None:
    store = session.store
    first, second, third = (c.id for c in store.caseload()[:3])
    one = _get(store, first)
    _conflict(
        store,
        one,
        dataclasses.replace(one, phone=PhoneNumber("0595222222")),
        {"phone": "0595111111"},
    )
    two = _get(store, second)
    _conflict(
        store,
        two,
        dataclasses.replace(two, address=dataclasses.replace(two.address, house_number=12)),
        {"house_number": 14},
    )
    three = _get(store, third)
    _conflict(
        store,
        three,
        dataclasses.replace(three, phone=PhoneNumber("0595333333")),
        {"phone": "0595444444"},
    )
    assert store.pending_count() == 0

    page = ConflictsPage(session)
    qtbot.addWidget(page)
    page.resize(1000, 640)
    page.show()
    resolved: list[bool] = []
    page.resolved.connect(lambda: resolved.append(True))
    with qtbot.waitSignal(page.loaded, timeout=10_000) as loaded:
        page.refresh()
    assert loaded.args == [3]
    qtmodeltester.check(page.model)
    assert page.model.rowCount() == 3
    shown = page.model.data(page.model.index(0, 0))
    assert shown == f"{one.name.display()} · Cliënt: Telefoonnummer"

    # The first conflict is selected: both values side by side.
    assert page.list_view.currentIndex().row() == 0
    assert page.mine_box.title() == "Uw waarde"
    assert page.theirs_box.title() == "Waarde op kantoor"
    assert page.mine_value.text() == "0595222222"
    assert page.theirs_value.text() == "0595111111"
    assert page.mine_meta.text().startswith("Door k.dijkstra op ")
    assert "Gewijzigd op kantoor" in page.theirs_meta.text()
    assert re.search(r"\d\d-\d\d-\d{4} \d\d:\d\d", page.theirs_meta.text())
    assert page.keep_mine_button.isEnabled() and page.edit_button.isEnabled()

    # "Mijn waarde behouden": saved at once as an edit that syncs.
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        click(qtbot, page.keep_mine_button)
    assert resolved == [True]
    assert _get(store, first).phone == PhoneNumber("0595222222")
    [entry] = store.journal_entries()
    assert entry.new_values == {"phone": "0595222222"}
    qtmodeltester.check(page.model)
    assert page.model.rowCount() == 2
    assert page.selected_conflict() is not None
    assert page.theirs_value.text() == "14"
    assert page.message.text().startswith("Opgeslagen")

    # "Bewerken": a wrong value is refused inline, a right one saved.
    click(qtbot, page.edit_button)
    assert page.edit_panel.isVisible()
    qtbot.waitUntil(lambda: page.new_value_line.hasFocus())
    assert page.new_value_line.text() == "12"
    page.new_value_line.clear()
    type_text(qtbot, page.new_value_line, "twaalf")
    press(qtbot, page.new_value_line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.edit_error.isVisible(), timeout=10_000)
    assert page.edit_error.text() == "Vul een geheel getal in."
    assert page.model.rowCount() == 2 and store.pending_count() == 1
    page.new_value_line.clear()
    type_text(qtbot, page.new_value_line, "21")
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        click(qtbot, page.save_button)
    assert _get(store, second).address.house_number == 21
    assert store.pending_count() == 2
    assert not page.edit_panel.isVisible()

    # "Waarde van kantoor behouden", by keyboard: nothing changes but the conflict.
    assert page.mine_value.text() == "0595333333"
    page.keep_theirs_button.setFocus()
    with qtbot.waitSignal(page.loaded, timeout=10_000) as emptied:
        press(qtbot, page.keep_theirs_button, Qt.Key.Key_Space)
    assert emptied.args == [0]
    assert _get(store, third).phone == PhoneNumber("0595444444")
    assert store.pending_count() == 2
    assert resolved == [True, True, True]
    assert page.model.rowCount() == 0
    assert page.body.currentWidget() is page.empty_label
    assert sync_state.open_conflicts(store) == []
    qtmodeltester.check(page.model)


# --------------------------------------------------------------------------------- server


@pytest.fixture(scope="module")
def central(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Central]:
    database_url = f"sqlite:///{tmp_path_factory.mktemp('central') / 'central.db'}"
    with running_central(database_url, clients=12, seed=5) as running:
        yield running


@pytest.fixture
def enrolled(central: Central, home: Path, lanes: Lanes) -> Iterator[Session]:
    """A caseworker's device enrolled with the real server, not synced yet."""
    profile, store = sync_service.enroll(
        server_url=central.url,
        username="k.dijkstra",
        password=central.passwords["k.dijkstra"],
        code=central.run(devices.issue_enrollment_code, username="k.dijkstra", by="test"),
        passphrase="een lange wachtzin voor de test",
        profile_name=f"k-{uuid.uuid4().hex[:6]}",
        home=home,
        params=FAST,
    )
    yield Session(profile=profile, store=store, lanes=lanes)
    store.close()


def _sync_page(qtbot: QtBot, session: Session) -> SyncPage:
    page = SyncPage(session)
    qtbot.addWidget(page)
    page.resize(800, 600)
    page.show()
    with qtbot.waitSignal(page.status_loaded, timeout=10_000):
        page.refresh()
    return page


def test_sync_now_against_a_real_server(qtbot: QtBot, enrolled: Session) -> None:
    page = _sync_page(qtbot, enrolled)
    assert page.pending_label.text() == "Geen wijzigingen in de wachtrij"
    assert page.last_sync_label.text() == "Nog nooit gesynchroniseerd"
    assert page.server_label.text() == f"Server: {enrolled.store.setting(sync_service.SERVER)}"
    assert page.conflicts_label.text() == "Geen open conflicten"
    assert page.lease_label.text() == "Nog 14 dagen offline werken mogelijk"
    assert page.sync_button.text() == "&Nu synchroniseren"

    progress: list[tuple[str, int, int, int]] = []
    page.progress_changed.connect(
        lambda text, done, total: progress.append((text, done, total, page.progress_bar.maximum()))
    )
    # First sync: the caseload arrives.
    with qtbot.waitSignal(page.synced, timeout=SYNC_TIMEOUT_MS) as first:
        click(qtbot, page.sync_button)
        assert page.is_syncing and page.progress_bar.isVisible()
        assert not page.sync_button.isEnabled()
    report = first.args[0]
    assert report.received > 0
    assert any(text.startswith("Gegevens ophalen: ") for text, *_ in progress)
    assert not page.progress_bar.isVisible() and page.sync_button.isEnabled()
    assert page.received_value.text() == str(report.received)
    qtbot.waitUntil(lambda: page.last_sync_label.text().startswith("Laatst"), timeout=10_000)
    assert re.fullmatch(
        r"Laatst gesynchroniseerd \d\d-\d\d-\d{4} \d\d:\d\d", page.last_sync_label.text()
    )

    # An edit waits in the queue until the next sync sends it.
    client = enrolled.store.caseload()[0]
    record = _get(enrolled.store, client.id)
    enrolled.store.update(dataclasses.replace(record, phone=PhoneNumber("0595987654")))
    with qtbot.waitSignal(page.status_loaded, timeout=10_000):
        page.refresh()
    assert page.pending_label.text() == "1 wijziging in de wachtrij"

    progress.clear()
    with qtbot.waitSignal(page.synced, timeout=SYNC_TIMEOUT_MS) as second:
        page.start_sync()
    assert second.args[0].sent == 1
    assert ("Wijzigingen versturen: 1 van 1", 1, 1, 1) in progress
    qtbot.waitUntil(
        lambda: page.pending_label.text() == "Geen wijzigingen in de wachtrij", timeout=10_000
    )
    assert page.sent_value.text() == "1"
    assert page.conflicts_value.text() == "0"
    assert enrolled.store.pending_count() == 0
    assert not page.error_label.isVisible()


def test_an_unreachable_server_gives_a_dutch_message(
    qtbot: QtBot,
    session: Session,
    demo_profiles: list[DemoProfile],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A round waits out an outage for minutes (tests/e2e/test_village_link.py); here it gives
    # up after a few seconds of waiting, to see what the person is told then.
    real = sync_service.transport_for
    monkeypatch.setattr(
        sync_service, "transport_for", lambda store, **kw: real(store, patience=3.0, **kw)
    )
    with session.store.transaction() as tx:
        tx.set_setting(sync_service.SERVER, f"http://127.0.0.1:{free_port()}")
        tx.set_setting(sync_service.TOKEN, "token")
        tx.set_setting(sync_service.DEVICE, str(uuid.uuid4()))
    page = _sync_page(qtbot, session)
    failures: list[BaseException] = []
    page.sync_failed.connect(failures.append)
    states: list[str] = []
    page.server_state_changed.connect(states.append)

    with qtbot.waitSignal(page.sync_failed, timeout=SYNC_TIMEOUT_MS):
        assert page.start_sync()
        assert not page.start_sync()  # one sync at a time
        # The window keeps working while the network lane waits for the server.
        with qtbot.waitSignal(page.status_loaded, timeout=10_000):
            page.refresh()
        assert page.is_syncing
    assert len(failures) == 1
    assert states[0] == "waiting"  # "Wacht op verbinding…" first, the failure after
    assert page.error_label.isVisible()
    assert page.error_label.text() == (
        "De centrale server is niet bereikbaar. Uw wijzigingen blijven bewaard."
    )
    assert page.sync_button.isEnabled() and not page.progress_bar.isVisible()
    assert not page.is_syncing
    assert page.last_sync_label.text() == "Nog nooit gesynchroniseerd"


def test_a_revoked_device_is_wiped(qtbot: QtBot, central: Central, enrolled: Session) -> None:
    page = _sync_page(qtbot, enrolled)
    device_id = enrolled.store.setting(sync_service.DEVICE)
    central.run(devices.revoke_device, device_id=device_id, by="test")
    with qtbot.waitSignals([page.device_wiped, page.sync_failed], timeout=SYNC_TIMEOUT_MS):
        click(qtbot, page.sync_button)
    assert not enrolled.store.is_open
    assert not enrolled.profile.path.exists()
    assert page.error_label.text().startswith("Dit apparaat is ingetrokken")
    assert not page.sync_button.isEnabled()
    assert not page.start_sync()


# ---------------------------------------------------------------------------------- today


def test_today_cards_in_route_order(qtbot: QtBot, session: Session) -> None:
    store = session.store
    by_village: dict[str, str] = {}
    for summary in store.caseload():
        by_village.setdefault(summary.village, summary.id)
    villages = sorted(by_village)[:4]
    assert len(villages) == 4
    # Four more visits today, in villages along the route, at times out of route order.
    for hour, village in zip((9, 11, 13, 15), reversed(villages), strict=True):
        store.create(
            Visit(
                client_id=by_village[village],
                planned_at=_amsterdam(hour),
                purpose=VisitPurpose.VOORTGANG,
                caseworker=session.username,
            )
        )
    expected = today_items(store, DEMO_TODAY, caseworker=session.username)
    assert expected.visit_count >= 4 and expected.overdue

    page = TodayPage(session, today=lambda: DEMO_TODAY)
    qtbot.addWidget(page)
    page.resize(900, 700)
    page.show()
    opened: list[tuple[str, str]] = []
    page.client_opened.connect(lambda client_id, tab: opened.append((client_id, tab)))
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.refresh()

    assert page.title.text() == "Vandaag, 23-11-2026"
    headings = [w.text() for w in page.findChildren(QLabel) if w.property("heading") == "village"]
    assert headings == [g.village for g in expected.villages]
    routed = [route_key(g.village, g.postcode_digits) for g in expected.villages]
    assert routed == sorted(routed)
    cards = page.cards()
    visit_cards = [c for c in cards if not c.property("overdue")]
    overdue_cards = [c for c in cards if c.property("overdue")]
    in_order = [v for g in expected.villages for v in g.visits]
    assert [c.client_id for c in visit_cards] == [v.client_id for v in in_order]
    # Overdue items by kind, the oldest few of each kind shown.
    grouped = [
        item
        for kind in OVERDUE_KINDS
        for item in [i for i in expected.overdue if i.kind == kind][: page.group_preview]
    ]
    assert [c.client_id for c in overdue_cards] == [i.client_id for i in grouped]
    assert all(c.objectName() == "card" for c in cards)
    assert all(c.focusPolicy() & Qt.FocusPolicy.TabFocus for c in cards)
    first = in_order[0]
    texts = _label_texts(visit_cards[0])
    assert first.planned_at.strftime("%H:%M") in texts
    assert first.client_name in texts and first.purpose_label in texts
    assert f"{first.street_line}, {first.postcode} {first.village}" in texts
    assert f"Achterstallig ({len(expected.overdue)})" in _label_texts(page)
    assert visit_cards[0].accessibleName().startswith(first.planned_at.strftime("%H:%M"))

    # Keyboard: Enter opens the focused card's client; the arrow keys move between cards.
    visit_cards[0].setFocus()
    qtbot.waitUntil(visit_cards[0].hasFocus)
    with qtbot.waitSignal(page.client_opened) as enter:
        press(qtbot, visit_cards[0], Qt.Key.Key_Return)
    assert enter.args == [in_order[0].client_id, TAB_VISITS]
    press(qtbot, visit_cards[0], Qt.Key.Key_Down)
    qtbot.waitUntil(visit_cards[1].hasFocus)
    press(qtbot, visit_cards[1], Qt.Key.Key_Enter)
    assert opened[-1] == (in_order[1].client_id, TAB_VISITS)

    # A click on an overdue card opens that client too.
    with qtbot.waitSignal(page.client_opened) as clicked:
        click(qtbot, overdue_cards[0])
    assert clicked.args[0] == grouped[0].client_id
    assert overdue_cards[0].findChild(QFrame, "overdueMarker") is not None

    # A refresh rebuilds the cards from the store.
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.refresh()
    assert [c.client_id for c in page.cards() if not c.property("overdue")] == [
        v.client_id for v in in_order
    ]
    assert isinstance(page.cards()[0], TodayCard)


def _amsterdam(hour: int) -> datetime:
    return datetime.combine(DEMO_TODAY, clock_time(hour, 0), tzinfo=ZoneInfo("Europe/Amsterdam"))


def test_a_long_day_builds_its_cards_in_batches(qtbot: QtBot, session: Session) -> None:
    expected = today_items(session.store, DEMO_TODAY, caseworker=session.username)
    counts = {k: sum(1 for i in expected.overdue if i.kind == k) for k in OVERDUE_KINDS}
    kind = max(counts, key=lambda k: counts[k])
    items = [i for i in expected.overdue if i.kind == kind]
    assert len(items) >= 2

    page = TodayPage(session, today=lambda: DEMO_TODAY)
    page.group_preview = 1
    page.overdue_cards = 2
    qtbot.addWidget(page)
    page.resize(900, 700)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.refresh()

    def shown() -> list[TodayCard]:
        return [c for c in page.cards() if c.property("kind") == kind]

    assert len(shown()) == 1
    [more] = page.group_buttons(kind)
    if len(items) <= 2:
        assert more.text() == f"Toon alle {len(items)}"
    else:
        assert more.text() == f"Meer tonen (nog {len(items) - 1})"
    space = QKeySequence(Qt.Key.Key_Space).toString(QKeySequence.SequenceFormat.NativeText)
    assert more.toolTip().endswith(f"({space})")  # the key, in the UI's language
    more.setFocus()  # by keyboard: Space on the button
    press(qtbot, more, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: len(shown()) == 2)
    # The keyboard goes on at the first new card.
    qtbot.waitUntil(shown()[1].hasFocus)
    assert [c.client_id for c in shown()] == [i.client_id for i in items[:2]]
    # And back to the few.
    less = next(b for b in page.group_buttons(kind) if b.objectName() == "lessButton")
    click(qtbot, less)
    qtbot.waitUntil(lambda: len(shown()) == 1)


def test_statutory_terms_are_listed_and_open_the_intake(qtbot: QtBot, session: Session) -> None:
    store = session.store
    late_client, soon_client = [summary.id for summary in store.caseload()][:2]
    # Eight weeks from Friday 18 September end on Friday 13 November: ten days overdue. Six
    # weeks from Saturday 10 October end on Saturday 21 November, so (Atw) Monday the 23rd:
    # due today.
    late = store.create(
        Intake(
            client_id=late_client,
            caseworker=session.username,
            parts={"pw_aanvraag_date": "2026-09-18"},
        )
    )
    soon = store.create(
        Intake(
            client_id=soon_client,
            caseworker=session.username,
            parts={"wmo_melding_date": "2026-10-10"},
        )
    )
    expected = today_items(store, DEMO_TODAY, caseworker=session.username)
    terms = [i for i in expected.overdue if i.kind == "statutory_term"]
    assert {late.id, soon.id} <= {i.record_id for i in terms}

    page = TodayPage(session, today=lambda: DEMO_TODAY)
    page.group_preview = len(expected.overdue)  # every card, so both are there to find
    qtbot.addWidget(page)
    page.resize(900, 700)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.refresh()

    kinds = [h.property("kind") for h in page.group_headings()]
    assert kinds == [k for k in OVERDUE_KINDS if any(i.kind == k for i in expected.overdue)]
    heading = next(h for h in page.group_headings() if h.property("kind") == "statutory_term")
    assert heading.text() == f"Wettelijke termijnen ({len(terms)})"
    cards = [c for c in page.cards() if c.property("kind") == "statutory_term"]
    assert [c.client_id for c in cards] == [i.client_id for i in terms]

    def card_of(client_id: str, title: str) -> TodayCard:
        return next(c for c in cards if c.client_id == client_id and title in _label_texts(c))

    overdue = card_of(late_client, "Wettelijke termijn: Beslissing Participatiewet")
    assert not overdue.property("due_soon")
    red = [w for w in overdue.findChildren(QLabel) if w.objectName() == "overdue"]
    assert [w.text() for w in red] == [
        "Wettelijke termijn: Beslissing Participatiewet",
        "Sinds 13-11-2026, 10 dagen",
    ]
    assert "Beslissing Participatiewet: 10 dagen te laat, uiterlijk 13-11-2026" in _label_texts(
        overdue
    )
    due = card_of(soon_client, "Wettelijke termijn: Wmo-onderzoek")
    assert due.property("due_soon")
    assert not [w for w in due.findChildren(QLabel) if w.objectName() == "overdue"]
    assert {"Wmo-onderzoek: vandaag, uiterlijk 23-11-2026", "Loopt af op 23-11-2026"} <= set(
        _label_texts(due)
    )
    assert due.accessibleName().startswith("Binnenkort: ")
    assert overdue.accessibleName().startswith("Achterstallig: ")
    assert "Intake openen" in overdue.toolTip()

    # A click or Enter opens the client's dossier at the intake, like a returned intake.
    with qtbot.waitSignal(page.client_opened) as clicked:
        click(qtbot, overdue)
    assert clicked.args == [late_client, TAB_INTAKE]
    due.setFocus()
    qtbot.waitUntil(due.hasFocus)
    with qtbot.waitSignal(page.client_opened) as entered:
        press(qtbot, due, Qt.Key.Key_Return)
    assert entered.args == [soon_client, TAB_INTAKE]
