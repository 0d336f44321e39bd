"""The review screen (Beoordelen, team leads), driven through its real widgets.

The store is an empty team lead's profile filled the way a sync fills it: the client, the
submitted intake, its rounds and the comment threads arrive as synced records (`apply_remote`);
what the team lead writes here (comments, decisions) waits in the journal. The confirmation
before a decision is answered by a stand-in for `review_screen.confirm`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.domain.client import Client, Enrollment
from app.domain.clocks import Clock, ClockKind, describe, due_text
from app.domain.intake import DomainScore, Intake
from app.domain.intake_fields import IntakeSection
from app.domain.local_time import local_today
from app.domain.records import Record
from app.domain.reference import Scheme
from app.domain.review import Decision, IntakeRound, ReviewComment, ThreadStatus
from app.domain.states import IntakeStatus
from app.domain.values import Address, Bsn, PersonName, Postcode
from app.storage.profiles import Profile
from app.storage.store import Store
from app.ui.review import review_screen as screen_module
from app.ui.review.queue_page import ReviewQueuePage
from app.ui.review.review_screen import ReviewScreen
from app.ui.session import Session
from app.ui.tasks import Lanes
from tests.ui.conftest import FAST

LEAD = "t.mulder"
CASEWORKER = "k.dijkstra"
TIMEOUT = 10_000
WINDOW = QSize(1200, 760)

# The offscreen platform says this whenever a top-level widget is shown; it is not our warning.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


# ------------------------------------------------------------------------------ the store


@pytest.fixture
def lead(tmp_path: Path, lanes: Lanes) -> Iterator[Session]:
    """An empty team lead's profile, unlocked: each test puts in what it needs."""
    profile, store = Profile.create(
        "teamleider",
        passphrase="een lange wachtzin voor de test",
        username=LEAD,
        role="team_lead",
        params=FAST,
        home=tmp_path / "home",
    )
    session = Session(profile=profile, store=store, lanes=lanes)
    assert session.is_team_lead
    yield session
    store.close()


_serial = iter(range(30_000_000, 99_999_999, 7919))


def bsn() -> Bsn:
    while True:
        head = str(next(_serial))
        total = sum(int(d) * w for d, w in zip(head, range(9, 1, -1), strict=True))
        if total % 11 < 10:
            return Bsn(head + str(total % 11))


def make_client(surname: str, village: str, postcode: str, prefix: str = "") -> Client:
    return Client(
        bsn=bsn(),
        name=PersonName(surname=surname, first_names="Anna", prefix=prefix),
        date_of_birth=date(1980, 5, 17),
        address=Address(
            street="Hoofdstraat",
            house_number=3,
            postcode=Postcode(postcode),
            village=village,
            municipality="Het Hogeland",
        ),
        caseworker=CASEWORKER,
    )


def days_ago(days: int, hour: int = 12) -> datetime:
    """Noon UTC `days` days before the real today (the screens count from the real today)."""
    return datetime.combine(date.today() - timedelta(days=days), time(hour), UTC)


def enrollment(client: Client, scheme: Scheme) -> Enrollment:
    return Enrollment(
        client_id=client.id,
        scheme=scheme,
        start_date=date.today() - timedelta(days=90),
        caseworker=CASEWORKER,
        consent_given=True,
        consent_date=date.today() - timedelta(days=90),
    )


def submitted(client: Client, *, days: int, round_: int = 1, **fields: Any) -> Intake:
    return Intake(
        client_id=client.id,
        caseworker=CASEWORKER,
        status=IntakeStatus.SUBMITTED,
        round=round_,
        submitted_at=days_ago(days),
        **fields,
    )


def synced(store: Store, records: list[Record]) -> None:
    """Records as a sync brings them from the central office: no journal entries."""
    with store.transaction() as tx:
        for record in records:
            tx.apply_remote(record, version=1)


def thread(
    intake: Intake,
    section: IntakeSection,
    text: str,
    *,
    days: int,
    round_: int,
    resolved: bool = False,
) -> ReviewComment:
    comment = ReviewComment(
        client_id=intake.client_id,
        intake_id=intake.id,
        section=section,
        round=round_,
        author=LEAD,
        author_role="team_lead",
        text=text,
        written_at=days_ago(days, 9),
    )
    if resolved:
        comment = comment.resolved(by=CASEWORKER, at=days_ago(days - 1, 10))
    return comment


@dataclass(frozen=True)
class RoundTwo:
    client: Client
    intake: Intake
    previous: Intake
    first_round: IntakeRound
    threads: tuple[ReviewComment, ...]


def round_two(store: Store, *, open_threads: int = 0) -> RoundTwo:
    """A client whose intake was returned in round 1 and submitted again three days ago with a
    different financial score and barriers; an earlier intake of theirs was approved last year.
    Round 1's thread was resolved by the caseworker; `open_threads` more are open on round 2."""
    client = make_client("Vries", "Bedum", "9781 AB", prefix="de")
    previous = Intake(
        client_id=client.id,
        caseworker=CASEWORKER,
        scores={"financien": DomainScore(2), "huisvesting": DomainScore(3)},
        status=IntakeStatus.APPROVED,
        round=1,
        submitted_at=days_ago(400),
        reviewer=LEAD,
        reviewed_at=days_ago(396),
    )
    as_returned = Intake(
        client_id=client.id,
        caseworker=CASEWORKER,
        scores={"financien": DomainScore(2), "huisvesting": DomainScore(4)},
        ladder_current=2,
        ladder_target=4,
        barriers="Schulden.",
        status=IntakeStatus.SUBMITTED,
        round=1,
        submitted_at=days_ago(10),
        # Wmo melding 60 days ago: the six weeks of the Wmo assessment are over.
        parts={"wmo_melding_date": (date.today() - timedelta(days=60)).isoformat()},
    )
    first_round = IntakeRound.of(as_returned).decided(
        Decision.RETURNED, reviewer=LEAD, at=days_ago(8)
    )
    intake = replace(
        as_returned,
        scores={"financien": DomainScore(3), "huisvesting": DomainScore(4)},
        barriers="Schulden bij de woningcorporatie; een betalingsregeling loopt sinds maart.",
        round=2,
        submitted_at=days_ago(3),
    )
    second_round = IntakeRound.of(intake)
    threads = [
        thread(intake, IntakeSection.SCORES, "Licht de score toe.", days=8, round_=1, resolved=True)
    ]
    threads += [
        thread(intake, section, f"Opmerking {n}.", days=1, round_=2)
        for n, section in enumerate(
            (IntakeSection.BARRIERS, IntakeSection.STRENGTHS)[:open_threads]
        )
    ]
    wmo = enrollment(client, Scheme.WMO)
    synced(store, [client, wmo, previous, intake, first_round, second_round, *threads])
    return RoundTwo(client, intake, previous, first_round, tuple(threads))


# ------------------------------------------------------------------------------ helpers


def press(qtbot: QtBot, widget: QWidget, key: Qt.Key, modifiers: Any = None) -> None:
    if modifiers is None:
        qtbot.keyClick(widget, key)  # type: ignore[no-untyped-call]
    else:
        qtbot.keyClick(widget, key, modifiers)  # type: ignore[no-untyped-call]


def click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)  # type: ignore[no-untyped-call]


CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def shown_active(qtbot: QtBot, widget: QWidget, size: QSize = WINDOW) -> None:
    """On screen in the active window: window shortcuts need that."""
    qtbot.addWidget(widget)
    widget.resize(size)
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget, timeout=TIMEOUT)


def open_screen(qtbot: QtBot, session: Session, data: RoundTwo) -> ReviewScreen:
    screen = ReviewScreen(session)
    shown_active(qtbot, screen)
    with qtbot.waitSignal(screen.loaded, timeout=TIMEOUT):
        screen.show_intake(data.client.id, data.intake.id)
    return screen


class Confirmations:
    """Stands in for the question before a decision; answers `answer` and keeps what it was
    asked."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.answer = True
        self.asked: list[dict[str, str]] = []
        monkeypatch.setattr(screen_module, "confirm", self)

    def __call__(self, _parent: QWidget, *, title: str, text: str, accept: str) -> bool:
        self.asked.append({"title": title, "text": text, "accept": accept})
        return self.answer


@pytest.fixture
def confirmations(monkeypatch: pytest.MonkeyPatch) -> Confirmations:
    return Confirmations(monkeypatch)


def stored(store: Store, intake: Intake) -> Intake:
    found = store.get(Intake, intake.id)
    assert found is not None
    return found


# ------------------------------------------------------------------------------ the screen


def test_round_two_shows_what_changed_since_round_one(qtbot: QtBot, lead: Session) -> None:
    data = round_two(lead.store)
    screen = open_screen(qtbot, lead, data)

    # The header: who, which round, since when, and the statutory clock (overdue: red).
    assert screen.name_label.text() == "Anna de Vries"
    details = screen.details_label.text()
    assert details.startswith("Klantmanager k.dijkstra · Ronde 2 · Ingediend ")
    assert details.endswith(" · wacht 3 dagen")
    melding = date.today() - timedelta(days=60)
    clock = Clock.of(ClockKind.WMO_ONDERZOEK, melding)
    # The screen counts in central office's days (near midnight UTC that is already tomorrow).
    assert screen.clock_label.text() == (
        f"{describe(clock, local_today(), 'nl')} ({due_text(clock, 'nl')})"
    )
    assert "te laat" in screen.clock_label.text()
    assert screen.clock_label.objectName() == "overdue"

    # The form: read-only, the changed answers highlighted, the others not.
    form = screen.form
    assert form.read_only
    assert form.is_highlighted("score_financien")
    assert form.is_highlighted("barriers")
    assert not form.is_highlighted("score_huisvesting")
    assert not form.is_highlighted("ladder_current")

    # The list of changes: old → new, in form order.
    changes = screen.changes
    assert changes.isVisible()
    assert changes.title.text() == "&Wat is er veranderd sinds ronde 1"
    assert changes.field_names() == ["score_financien", "barriers"]
    texts = changes.item_texts()
    assert texts[0] == "Financiën: 2 – Niet zelfredzaam → 3 – Beperkt zelfredzaam"
    assert texts[1].startswith("Belemmeringen: Schulden. → Schulden bij de woningcorporatie")
    assert texts[1].endswith("…")  # cut short; the tooltip has it whole
    tip = changes.list.item(1).toolTip()
    assert "een betalingsregeling loopt sinds maart." in tip

    # Choosing an entry puts the form on that field.
    click_item = changes.list.visualItemRect(changes.list.item(1)).center()
    qtbot.mouseClick(  # type: ignore[no-untyped-call]
        changes.list.viewport(), Qt.MouseButton.LeftButton, pos=click_item
    )
    barriers = form.editor("barriers")
    assert barriers is not None
    qtbot.waitUntil(barriers.hasFocus, timeout=TIMEOUT)
    changes.list.setFocus()
    changes.list.setCurrentRow(0)
    press(qtbot, changes.list, Qt.Key.Key_Return)
    score = form.editor("score_financien")
    assert score is not None
    qtbot.waitUntil(score.hasFocus, timeout=TIMEOUT)

    # The radar chart against the previous approved intake.
    description = screen.radar.description()
    assert "Financiën: 3 (vorige intake: 2)" in description
    assert "Huisvesting: 4 (vorige intake: 3)" in description

    # Every round: number, submitted, decision, by whom, when.
    rows = screen.rounds.row_texts()
    assert [row[0] for row in rows] == ["1", "2"]
    assert rows[0][2:4] == ["Teruggestuurd", LEAD]
    assert rows[0][4] != ""
    assert rows[1][2:] == ["Wacht op beoordeling", "", ""]

    # Round 1's thread is in the form, beside its section, resolved.
    panel = form.thread_panel(IntakeSection.SCORES)
    assert panel is not None
    assert panel.thread_ids() == (data.threads[0].id,)


def test_a_first_round_has_no_list_of_changes(qtbot: QtBot, lead: Session) -> None:
    client = make_client("Bakker", "Winsum", "9951 AA")
    intake = submitted(client, days=1, barriers="Geen vervoer.")
    pw = enrollment(client, Scheme.PARTICIPATIEWET)
    synced(lead.store, [client, pw, intake, IntakeRound.of(intake)])
    screen = ReviewScreen(lead)
    shown_active(qtbot, screen)
    with qtbot.waitSignal(screen.loaded, timeout=TIMEOUT):
        screen.show_intake(client.id, intake.id)

    assert not screen.changes.isVisible()
    assert not screen.form.is_highlighted("barriers")
    assert screen.details_label.text().endswith(" · wacht 1 dag")
    assert screen.clock_label.text() == "Geen wettelijke termijn"
    assert screen.clock_label.objectName() == "muted"
    assert "vorige intake" not in screen.radar.description()
    assert screen.rounds.row_texts()[0][2] == "Wacht op beoordeling"


def test_the_buttons_follow_the_open_threads(qtbot: QtBot, lead: Session) -> None:
    data = round_two(lead.store)
    screen = open_screen(qtbot, lead, data)

    # Only a resolved thread: approving can, returning needs a comment first.
    assert screen.approve_button.isEnabled()
    assert screen.approve_button.toolTip() == "Goedkeuren (Ctrl+Shift+G)"
    assert not screen.return_button.isEnabled()
    assert screen.return_button.toolTip() == (
        "Terugsturen (Ctrl+Shift+T)\n"
        "Plaats eerst een opmerking bij het onderdeel dat moet veranderen"
    )
    assert screen.back_button.toolTip() == "Terug naar de lijst (Esc)"

    # The team lead starts a thread on Belemmeringen in the form (Ctrl+Enter sends it).
    panel = screen.form.thread_panel(IntakeSection.BARRIERS)
    assert panel is not None
    click(qtbot, panel.start_button)
    editor = panel.new_box.editor
    assert editor.hasFocus()
    qtbot.keyClicks(editor, "Noem de schuldeiser.")  # type: ignore[no-untyped-call]
    with qtbot.waitSignal(screen.loaded, timeout=TIMEOUT):
        press(qtbot, editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    view = screen.view
    assert view is not None and view.open_threads == 1
    assert not screen.approve_button.isEnabled()
    assert screen.approve_button.toolTip() == (
        "Goedkeuren (Ctrl+Shift+G)\nLos eerst de open opmerkingen op of stuur de intake terug"
    )
    assert screen.return_button.isEnabled()
    assert screen.return_button.toolTip() == "Terugsturen (Ctrl+Shift+T)"
    [comment] = [c for c in lead.store.read_dossier(data.client.id).review_comments if c.round == 2]
    assert (comment.section, comment.text) == (IntakeSection.BARRIERS, "Noem de schuldeiser.")
    assert (comment.author, comment.author_role) == (LEAD, "team_lead")
    assert panel.thread_ids() == (comment.id,)

    # Resolved again: approving can.
    thread_view = panel.thread_view(comment.id)
    assert thread_view is not None
    with qtbot.waitSignal(screen.loaded, timeout=TIMEOUT):
        click(qtbot, thread_view.resolve_button)
    assert screen.approve_button.isEnabled()
    assert not screen.return_button.isEnabled()
    resolved = lead.store.get(ReviewComment, comment.id)
    assert resolved is not None and resolved.status is ThreadStatus.RESOLVED


def test_approve_with_the_keyboard_after_confirming(
    qtbot: QtBot, lead: Session, confirmations: Confirmations
) -> None:
    data = round_two(lead.store)
    page = ReviewQueuePage(lead)
    shown_active(qtbot, page)
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        page.refresh()
    page.table.setFocus()
    with qtbot.waitSignal(page.review.loaded, timeout=TIMEOUT):
        press(qtbot, page.table, Qt.Key.Key_Return)
    assert page.is_reviewing()
    focus = QApplication.focusWidget()
    assert focus is not None and page.review.isAncestorOf(focus)

    # Asked, and cancelled: nothing happens.
    confirmations.answer = False
    press(qtbot, focus, Qt.Key.Key_G, CTRL_SHIFT)
    assert confirmations.asked == [
        {
            "title": "Intake goedkeuren",
            "text": "De intake van Anna de Vries (ronde 2) goedkeuren? Daarna kan hij niet meer "
            "worden gewijzigd.",
            "accept": "Goedkeuren",
        }
    ]
    assert page.is_reviewing()
    assert stored(lead.store, data.intake).status is IntakeStatus.SUBMITTED

    # Asked again and confirmed: approved, and back in the (now empty) queue with a message.
    confirmations.answer = True
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        press(qtbot, focus, Qt.Key.Key_G, CTRL_SHIFT)
    assert not page.is_reviewing()
    assert page.message.isVisible()
    assert page.message.text() == (
        "Goedgekeurd. De klantmanager ziet het na de volgende synchronisatie."
    )
    approved = stored(lead.store, data.intake)
    assert (approved.status, approved.reviewer) == (IntakeStatus.APPROVED, LEAD)
    assert page.model.rowCount() == 0
    assert page.records.currentWidget() is page.records.empty_label
    [entry] = lead.store.journal_entries()
    assert (entry.entity, entry.new_values) == ("intake", {"command": "approve"})


def test_return_with_the_keyboard_after_confirming(
    qtbot: QtBot, lead: Session, confirmations: Confirmations
) -> None:
    data = round_two(lead.store, open_threads=2)
    page = ReviewQueuePage(lead)
    shown_active(qtbot, page)
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        page.refresh()
    with qtbot.waitSignal(page.review.loaded, timeout=TIMEOUT):
        page.open_current()
    screen = page.review
    assert not screen.approve_button.isEnabled()
    assert screen.return_button.isEnabled()

    # Ctrl+Shift+G does nothing while threads are open: it is not even asked.
    press(qtbot, screen.back_button, Qt.Key.Key_G, CTRL_SHIFT)
    assert confirmations.asked == []

    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        press(qtbot, screen.back_button, Qt.Key.Key_T, CTRL_SHIFT)
    assert confirmations.asked == [
        {
            "title": "Intake terugsturen",
            "text": "De intake van Anna de Vries terugsturen met 2 open opmerkingen?",
            "accept": "Terugsturen",
        }
    ]
    assert not page.is_reviewing()
    assert page.message.text() == (
        "Teruggestuurd met 2 opmerkingen. De klantmanager ziet ze na de volgende synchronisatie."
    )
    assert stored(lead.store, data.intake).status is IntakeStatus.RETURNED
    [entry] = lead.store.journal_entries()
    assert (entry.entity, entry.new_values) == ("intake", {"command": "return"})


def test_a_comment_written_here_travels_before_the_return(
    qtbot: QtBot, lead: Session, confirmations: Confirmations
) -> None:
    data = round_two(lead.store)
    screen = open_screen(qtbot, lead, data)
    panel = screen.form.thread_panel(IntakeSection.STRENGTHS)
    assert panel is not None
    panel.start_thread()
    panel.new_box.editor.setPlainText("Noem ook wat wel lukt.")
    with qtbot.waitSignal(screen.loaded, timeout=TIMEOUT):
        click(qtbot, panel.new_box.send_button)
    decided: list[str] = []
    screen.decided.connect(decided.append)

    press(qtbot, screen.back_button, Qt.Key.Key_T, CTRL_SHIFT)
    qtbot.waitUntil(lambda: bool(decided), timeout=TIMEOUT)

    assert confirmations.asked[0]["text"] == (
        "De intake van Anna de Vries terugsturen met 1 open opmerking?"
    )
    assert decided == [
        "Teruggestuurd met 1 opmerking. De klantmanager ziet die na de volgende synchronisatie."
    ]
    assert [(e.entity, e.op) for e in lead.store.journal_entries()] == [
        ("review_comment", "create"),
        ("intake", "command"),
    ]


def test_esc_goes_back_to_the_queue(qtbot: QtBot, lead: Session) -> None:
    data = round_two(lead.store)
    page = ReviewQueuePage(lead)
    shown_active(qtbot, page)
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        page.refresh()
    with qtbot.waitSignal(page.review.loaded, timeout=TIMEOUT):
        page.open_review(data.client.id, data.intake.id)
    focus = QApplication.focusWidget()
    assert focus is not None and page.review.isAncestorOf(focus)

    press(qtbot, focus, Qt.Key.Key_Escape)

    assert not page.is_reviewing()
    assert page.table.hasFocus()
    assert page.model.rowCount() == 1
    assert stored(lead.store, data.intake).status is IntakeStatus.SUBMITTED


def test_a_team_lead_does_not_review_their_own_intake(qtbot: QtBot, lead: Session) -> None:
    client = make_client("Smit", "Leens", "9965 AA")
    own = replace(submitted(client, days=2), caseworker=LEAD)
    synced(lead.store, [client, enrollment(client, Scheme.WMO), own])
    screen = ReviewScreen(lead)
    shown_active(qtbot, screen)
    with qtbot.waitSignal(screen.loaded, timeout=TIMEOUT):
        screen.show_intake(client.id, own.id)

    for button in (screen.approve_button, screen.return_button):
        assert not button.isEnabled()
        assert button.toolTip().endswith("\nU kunt uw eigen intake niet beoordelen.")


@pytest.mark.parametrize("scale", [1.0, 1.5])
def test_the_review_screen_fits_a_1366x768_laptop(
    qtbot: QtBot, lead: Session, scale: float
) -> None:
    # The room the main window leaves a page: the screen less the task bar, the window's
    # frame, navigation column and status bar (at most 200 and 60 pixels at 100%).
    room = QSize(int(1366 / scale) - 200, int((768 - 48) / scale) - 60)
    data = round_two(lead.store, open_threads=1)
    page = ReviewQueuePage(lead)
    shown_active(qtbot, page, room)
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        page.refresh()
    for state in ("queue", "review"):
        hint = page.minimumSizeHint()
        assert hint.width() <= room.width(), (state, hint, room)
        assert hint.height() <= room.height(), (state, hint, room)
        if state == "queue":
            with qtbot.waitSignal(page.review.loaded, timeout=TIMEOUT):
                page.open_review(data.client.id, data.intake.id)

    # Wide enough, the form and the side panel stand side by side; at 150% they are tabs,
    # and choosing a change shows the form on that field.
    screen = page.review
    assert screen.side_by_side is (scale == 1.0)
    if not screen.side_by_side:
        assert [screen.tabs.tabText(i) for i in range(2)] == [
            "&Intake",
            "&Overzicht: wijzigingen, scores en rondes",
        ]
        screen.tabs.setCurrentWidget(screen.side)
        screen.changes.list.setFocus()
        screen.changes.list.setCurrentRow(1)
        press(qtbot, screen.changes.list, Qt.Key.Key_Return)
        assert screen.tabs.currentWidget() is screen.form
    editor = screen.form.editor("barriers")
    assert editor is not None
    if screen.side_by_side:
        screen.changes.list.setFocus()
        screen.changes.list.setCurrentRow(1)
        press(qtbot, screen.changes.list, Qt.Key.Key_Return)
    qtbot.waitUntil(editor.hasFocus, timeout=TIMEOUT)
    editor_right = editor.mapTo(screen, editor.rect().topRight()).x()
    assert editor_right <= screen.width(), "the form's rows are cut off"


def test_a_screen_laid_out_as_tabs_shows_both_parts_once_wide(qtbot: QtBot, lead: Session) -> None:
    # Laid out narrow first (as tabs, the side panel a hidden page), then given the room of a
    # 1366x768 window: form and side panel must both be on screen, not left hidden by the tabs.
    data = round_two(lead.store, open_threads=1)
    page = ReviewQueuePage(lead)
    shown_active(qtbot, page, QSize(600, 500))
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        page.refresh()
    with qtbot.waitSignal(page.review.loaded, timeout=TIMEOUT):
        page.open_review(data.client.id, data.intake.id)
    screen = page.review
    assert not screen.side_by_side
    page.resize(WINDOW)
    qtbot.waitUntil(lambda: screen.side_by_side, timeout=TIMEOUT)
    assert screen.form.isVisible() and screen.side.isVisible()
    assert min(screen.splitter.sizes()) > 0
