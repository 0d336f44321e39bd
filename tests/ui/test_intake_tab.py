"""The dossier's Intake tab over a demo caseload in a real encrypted profile: what it saves (read
back from the store and its change journal), submitting, the comment threads, the pictures, and
that nothing typed is lost at a lock. Offscreen, through the widgets and the keyboard."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from app.demo.profiles import DemoProfile
from app.domain.changes import Changes
from app.domain.formatting import date_text
from app.domain.intake import Intake
from app.domain.intake_fields import IntakeSection, remark_field, score_field, section_of
from app.domain.reference import self_sufficiency_domains
from app.domain.review import ReviewComment, ThreadStatus
from app.domain.roles import Role
from app.domain.schema import field_label
from app.domain.states import IntakeStatus
from app.services import intake as service
from app.services.intake import IntakeView
from app.storage.store import JournalEntry, Store
from app.ui.dossier import DossierPage
from app.ui.dossier.intake_tab import IntakeTab
from app.ui.intake.form import DateField
from app.ui.operations.profiles import close_store
from app.ui.session import Session

TIMEOUT = 10_000

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def page(qtbot: QtBot, session: Session) -> DossierPage:
    widget = DossierPage(session)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    widget.activateWindow()
    assert QTest.qWaitForWindowActive(widget)
    return widget


@pytest.fixture
def closing(session: Session) -> Iterator[list[Store]]:
    """Stores a test opens again; closed at the end."""
    opened: list[Store] = []
    yield opened
    for store in opened:
        store.close()


# ---------------------------------------------------------------------------------- helpers


def find_client(session: Session, wanted: Callable[[IntakeView], bool]) -> IntakeView:
    store = session.store
    for summary in store.caseload():
        view = service.intake_view(store, summary.id)
        if wanted(view):
            return view
    raise AssertionError("the demo caseload has such a client")


def with_status(status: IntakeStatus) -> Callable[[IntakeView], bool]:
    return lambda view: view.intake is not None and view.intake.status is status


def draft_client(session: Session) -> IntakeView:
    """A client with a draft intake that still misses answers (started when needed)."""
    view = find_client(
        session,
        lambda v: (
            v.intake is None or v.intake.status in (IntakeStatus.DRAFT, IntakeStatus.APPROVED)
        ),
    )
    if view.intake is None or not view.intake.editable:
        service.start_intake(session.store, client_id=view.client.id, caseworker=session.username)
        view = service.intake_view(session.store, view.client.id)
    assert view.intake is not None and view.missing
    return view


def answer_for(name: str) -> Any:
    """A valid answer for any field of the form."""
    if name.startswith(("score_", "ladder_")):
        return 3
    if name.startswith("consent_") or name.endswith(("_explained", "_told", "_checked")):
        return True
    if name.endswith("_date"):
        return "2026-03-02"
    if name.startswith("pw_taal_"):
        return "voldoet"
    if name == "wmo_mantelzorger_present":
        return False
    return "Besproken met de cliënt."


def open_intake(qtbot: QtBot, page: DossierPage, client_id: str) -> IntakeTab:
    tab = page.intake_tab
    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        page.show_client(client_id, "intake")
    assert page.tabs.currentWidget() is tab
    return tab


def last_entry(store: Store) -> JournalEntry:
    return store.journal_entries()[-1]


def saved_once(qtbot: QtBot, session: Session, tab: IntakeTab) -> Any:
    """Wait for one save and the redraw after it."""
    return qtbot.waitSignals([session.bus.changed, tab.loaded], timeout=TIMEOUT)


# ------------------------------------------------------------------------------------ place


def test_the_tab_stands_after_bezoeken_and_opens_by_name(
    qtbot: QtBot, page: DossierPage, session: Session
) -> None:
    view = find_client(session, lambda v: v.intake is not None)
    tab = open_intake(qtbot, page, view.client.id)
    titles = [page.tabs.tabText(n) for n in range(page.tabs.count())]
    assert titles == [
        "Overzicht",
        "Huishouden",
        "Bezoeken",
        "Intake",
        "Plan",
        "Notities",
        "Bijlagen",
        "Historie",
    ]
    assert page.tabs.indexOf(tab) == page.INTAKE == page.TAB_NAMES["intake"]
    assert page.tabs.tabToolTip(page.INTAKE) == "Intake (Ctrl+4)"
    QTest.keyClick(page.tabs, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert page.tabs.currentIndex() == page.OVERVIEW
    QTest.keyClick(page.tabs, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert page.tabs.currentWidget() is tab
    QTest.keyClick(page.tabs, Qt.Key.Key_8, Qt.KeyboardModifier.ControlModifier)
    assert page.tabs.currentIndex() == page.HISTORY
    assert "Ctrl+Shift+I" in tab.submit_button.toolTip()


def test_a_client_without_an_intake_can_start_one(
    qtbot: QtBot, page: DossierPage, session: Session
) -> None:
    views = [service.intake_view(session.store, s.id) for s in session.store.caseload()]
    view = next((v for v in views if v.intake is None), None) or find_client(
        session, with_status(IntakeStatus.APPROVED)
    )
    tab = open_intake(qtbot, page, view.client.id)
    assert tab.start_button.isVisible() and "Ctrl+N" in tab.start_button.toolTip()
    if view.intake is None:
        assert tab.empty_label.isVisible()
        assert tab.empty_label.text().startswith("Nog geen intake voor deze cliënt.")
    with saved_once(qtbot, session, tab):
        QTest.keyClick(tab, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    started = tab.view
    assert started is not None and started.intake is not None
    assert started.intake.status is IntakeStatus.DRAFT
    assert started.intake.caseworker == session.username
    assert tab.status_label.text() == "Concept"
    assert tab.round_label.text() == f"Ronde {started.intake.round + 1}"
    assert not tab.start_button.isVisible() and tab.submit_button.isEnabled()
    # The keyboard is in the form's first field.
    first = tab.form.editor(tab.form.fields_shown()[0])
    assert first is not None
    qtbot.waitUntil(first.hasFocus, timeout=TIMEOUT)


# ----------------------------------------------------------------------------------- saving


def test_a_score_is_saved_as_one_changed_field(
    qtbot: QtBot, page: DossierPage, session: Session
) -> None:
    view = draft_client(session)
    assert view.intake is not None
    tab = open_intake(qtbot, page, view.client.id)
    domain = self_sufficiency_domains(view.intake.domain_version)[0].key
    scores = tab.form.editor(score_field(domain))
    assert isinstance(scores, QComboBox)
    wanted = 2 if view.intake.scores.get(domain) and view.intake.scores[domain].score == 4 else 4
    before = session.store.pending_count()
    assert not tab.saved_hint.isVisible()
    with saved_once(qtbot, session, tab):
        scores.setCurrentIndex(scores.findData(wanted))
    entry = last_entry(session.store)
    assert session.store.pending_count() == before + 1
    assert (entry.entity, entry.record_id, entry.op) == ("intake", view.intake.id, "update")
    assert entry.new_values == {score_field(domain): wanted}
    stored = session.store.get(Intake, view.intake.id)
    assert stored is not None and stored.scores[domain].score == wanted
    assert tab.saved_hint.isVisible()
    assert scores.currentData() == wanted


def test_indienen_lists_what_is_missing_and_leads_to_it(
    qtbot: QtBot, page: DossierPage, session: Session, qtmodeltester: Any
) -> None:
    view = draft_client(session)
    tab = open_intake(qtbot, page, view.client.id)
    assert not tab.missing_panel.isVisible()
    QTest.keyClick(
        tab,
        Qt.Key.Key_I,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(tab.missing_panel.isVisible, timeout=TIMEOUT)
    assert tab.missing_fields() == view.missing
    count = len(view.missing)
    assert tab.missing_title.text() == (
        "Nog 1 antwoord nodig voor het indienen:"
        if count == 1
        else f"Nog {count} antwoorden nodig voor het indienen:"
    )
    # Grouped by section, each under its section's name, in the words of the form.
    tree = tab.missing_list
    sections = [tree.topLevelItem(n) for n in range(tree.topLevelItemCount())]
    assert [s.text(0) for s in sections if s is not None] == list(
        dict.fromkeys(section_of(name).label("nl") for name in view.missing)
    )
    head = sections[0]
    assert head is not None
    item = head.child(0)
    assert item is not None
    assert item.text(0) == field_label("intake", view.missing[0], "nl")
    qtmodeltester.check(tree.model())
    assert tree.hasFocus() and tree.currentItem() is item
    assert view.intake is not None
    still = session.store.get(Intake, view.intake.id)
    assert still is not None and still.status is view.intake.status  # nothing submitted

    # A click leads to the field (the last one, far down the form).
    last_section = sections[-1]
    assert last_section is not None
    target = last_section.child(last_section.childCount() - 1)
    assert target is not None
    name = target.data(0, Qt.ItemDataRole.UserRole + 1)
    rect = tree.visualItemRect(target)
    tree.scrollToItem(target)
    rect = tree.visualItemRect(target)
    QTest.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    widget = tab.form.editor(name)
    assert widget is not None
    focus = widget.edit if isinstance(widget, DateField) else widget
    qtbot.waitUntil(focus.hasFocus, timeout=TIMEOUT)
    assert focus.visibleRegion().boundingRect().height() > 0, "scrolled into view"
    # Enter on an entry does the same.
    tree.setFocus()
    tree.setCurrentItem(item)
    QTest.keyClick(tree, Qt.Key.Key_Return)
    first = tab.form.editor(view.missing[0])
    assert first is not None
    qtbot.waitUntil(
        lambda: (first.edit if isinstance(first, DateField) else first).hasFocus(), timeout=TIMEOUT
    )

    # Answering shortens the list while it is open.
    scores = tab.form.editor(view.missing[0])
    if isinstance(scores, QComboBox):
        with saved_once(qtbot, session, tab):
            scores.setCurrentIndex(scores.findData(3))
        assert tab.missing_fields() == view.missing[1:]
    tab.missing_close.click()
    assert not tab.missing_panel.isVisible()


def test_a_complete_intake_is_submitted_and_then_read_only(
    qtbot: QtBot, page: DossierPage, session: Session
) -> None:
    view = draft_client(session)
    assert view.intake is not None
    service.save_answers(
        session.store,
        intake_id=view.intake.id,
        values={name: answer_for(name) for name in view.missing},
    )
    tab = open_intake(qtbot, page, view.client.id)
    assert tab.view is not None and not tab.view.missing
    with qtbot.waitSignal(session.bus.changed, timeout=TIMEOUT):
        tab.submit_action.trigger()
    qtbot.waitUntil(
        lambda: (
            tab.view is not None
            and tab.view.intake is not None
            and tab.view.intake.status is IntakeStatus.SUBMITTED
        ),
        timeout=TIMEOUT,
    )
    stored = session.store.get(Intake, view.intake.id)
    assert stored is not None and stored.status is IntakeStatus.SUBMITTED
    entry = last_entry(session.store)
    assert (entry.op, entry.new_values) == ("command", {"command": "submit"})
    assert tab.status_label.text() == (
        f"Ingediend op {date_text(stored.submitted_at)} — wacht op beoordeling"
    )
    assert tab.round_label.text() == f"Ronde {stored.round}"
    assert tab.form.read_only
    assert not tab.submit_button.isEnabled()
    assert not tab.missing_panel.isVisible()
    barriers = tab.form.editor("barriers")
    assert isinstance(barriers, QPlainTextEdit) and barriers.isReadOnly()
    pending = session.store.pending_count()
    barriers.setFocus()
    QTest.keyClicks(barriers, "nog iets")
    tab.flush()
    QTest.qWait(100)
    assert session.store.pending_count() == pending
    focused = QApplication.focusWidget()
    assert focused is not None and focused.isEnabled()


# ----------------------------------------------------------------------- nothing typed lost


def test_text_typed_and_left_at_once_is_saved_when_the_tab_hides(
    qtbot: QtBot, page: DossierPage, session: Session
) -> None:
    view = draft_client(session)
    assert view.intake is not None
    tab = open_intake(qtbot, page, view.client.id)
    barriers = tab.form.editor("barriers")
    assert isinstance(barriers, QPlainTextEdit)
    barriers.setFocus()
    barriers.moveCursor(barriers.textCursor().MoveOperation.End)
    QTest.keyClicks(barriers, " Geen rijbewijs")
    with qtbot.waitSignal(session.bus.changed, timeout=TIMEOUT):
        QTest.keyClick(page.tabs, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert page.tabs.currentWidget() is page.notes_tab
    stored = session.store.get(Intake, view.intake.id)
    assert stored is not None and stored.barriers.endswith(" Geen rijbewijs")
    assert last_entry(session.store).new_values == {"barriers": stored.barriers}


def test_text_typed_just_before_a_lock_is_there_after_unlocking(
    qtbot: QtBot,
    page: DossierPage,
    session: Session,
    demo_profiles: list[DemoProfile],
    closing: list[Store],
) -> None:
    view = draft_client(session)
    assert view.intake is not None
    tab = open_intake(qtbot, page, view.client.id)
    domain = self_sufficiency_domains(view.intake.domain_version)[0].key
    remark = tab.form.editor(remark_field(domain))
    assert isinstance(remark, QLineEdit)
    remark.setFocus()
    remark.clear()
    QTest.keyClicks(remark, "Beslag op loon")
    # The lock, as the workspace does it: save what is typed, then close the store behind it.
    page.flush()
    done: list[bool] = []
    close_store(parent=page, session=session).success(lambda _r: done.append(True)).run()
    qtbot.waitUntil(lambda: bool(done), timeout=TIMEOUT)
    assert not session.store.is_open

    demo = demo_profiles[0]
    reopened = demo.profile.unlock(demo.passphrase)
    closing.append(reopened)
    stored = reopened.get(Intake, view.intake.id)
    assert stored is not None
    assert stored.scores[domain].remark == "Beslag op loon"


# ---------------------------------------------------------------------------------- threads


def test_a_returned_intake_shows_its_threads_to_answer_and_resolve(
    qtbot: QtBot, page: DossierPage, session: Session
) -> None:
    view = find_client(
        session,
        lambda v: with_status(IntakeStatus.RETURNED)(v) and any(t.open for t in v.threads),
    )
    assert view.intake is not None
    tab = open_intake(qtbot, page, view.client.id)
    open_count = sum(1 for t in view.threads if t.open)
    reviewer = view.intake.reviewer or ""
    expected = f"Teruggestuurd door {reviewer} op {date_text(view.intake.reviewed_at)} — "
    expected += "1 open opmerking" if open_count == 1 else f"{open_count} open opmerkingen"
    assert tab.status_label.text() == expected
    assert not tab.form.read_only
    thread = next(t for t in view.threads if t.open)
    panel = tab.form.thread_panel(thread.section)
    assert panel is not None and panel.isVisible()
    if thread.section in view.sections:
        assert panel.section is thread.section  # beside its section
    else:
        assert panel.section is IntakeSection.GENERAL  # on top of the form
    shown = panel.thread_view(thread.start.id)
    assert shown is not None and shown.isVisible()
    assert shown.state_label.text() == "Open"

    # Beantwoorden: a comment in the thread, by this caseworker, in their role.
    shown.reply_button.click()
    QTest.keyClicks(shown.reply_box.editor, "Uren per week toegevoegd.")
    with saved_once(qtbot, session, tab):
        QTest.keyClick(
            shown.reply_box.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
        )
    answers = [
        c
        for c in session.store.for_client(ReviewComment, view.client.id)
        if c.thread_id == thread.start.id and not c.starts_thread
    ]
    answer = max(answers, key=lambda c: c.written_at)
    assert answer.text == "Uren per week toegevoegd."
    assert (answer.author, answer.author_role) == (session.username, Role.CASEWORKER.value)
    assert answer.intake_id == view.intake.id and answer.section is thread.section
    entry = last_entry(session.store)
    assert (entry.entity, entry.op, entry.record_id) == ("review_comment", "create", answer.id)
    qtbot.waitUntil(lambda: len(shown.shown_thread.comments) == len(thread.comments) + 1)

    # Oplossen: a command, shown as resolved by whom.
    with saved_once(qtbot, session, tab):
        shown.resolve_button.click()
    entry = last_entry(session.store)
    assert (entry.entity, entry.op, entry.record_id) == (
        "review_comment",
        "command",
        thread.start.id,
    )
    assert entry.new_values == {"command": "resolve"}
    start = session.store.get(ReviewComment, thread.start.id)
    assert start is not None and start.status is ThreadStatus.RESOLVED
    assert start.resolved_by == session.username
    assert shown.state_label.text().startswith(f"Opgelost door {session.username} op ")
    assert shown.reopen_button.isVisible() and not shown.resolve_button.isVisible()
    if open_count == 1:
        assert tab.status_label.text().endswith("alle opmerkingen opgelost")

    # Heropenen.
    with saved_once(qtbot, session, tab):
        shown.reopen_button.click()
    assert last_entry(session.store).new_values == {"command": "reopen"}
    assert shown.state_label.text() == "Open"


# ---------------------------------------------------------------------------------- pictures


def test_the_pictures_show_this_intake_beside_the_previous_one(
    qtbot: QtBot, page: DossierPage, session: Session, qtmodeltester: Any
) -> None:
    view = find_client(session, with_status(IntakeStatus.APPROVED))
    previous = view.intake
    assert previous is not None
    started = service.start_intake(
        session.store, client_id=view.client.id, caseworker=session.username
    )
    domains = self_sufficiency_domains(started.domain_version)
    service.save_answers(
        session.store, intake_id=started.id, values={score_field(domains[0].key): 5}
    )
    tab = open_intake(qtbot, page, view.client.id)
    assert tab.view is not None and tab.view.previous is not None
    assert tab.view.previous.id == previous.id

    radar = tab.radar
    assert radar.isVisible()
    described = radar.description().split("; ")
    assert len(described) == len(domains)
    old = previous.scores.get(domains[0].key)
    first = f"{domains[0].nl}: 5"
    if old is not None and old.score is not None:
        first += f" (vorige intake: {old.score})"
    assert described[0] == first
    assert radar._captions == (  # the legend's texts
        "Nu",
        f"Vorige intake ({date_text(previous.reviewed_at)})",
    )
    # The trend of the ladder step and the mean score over the client's intakes.
    history = tab.view.history
    assert history
    ladder = tab.ladder_chart.description()
    for point in history:
        if point.ladder_step is not None:
            assert f"{date_text(point.day)}: {point.ladder_step}" in ladder
    assert tab.ladder_chart.accessibleName() == "Trede op de participatieladder, lijndiagram"
    assert tab.mean_chart.accessibleName() == "Gemiddelde zelfredzaamheid, lijndiagram"
    # The new intake has no rounds yet; the model still passes the tester.
    assert tab.round_model.rowCount() == 0
    qtmodeltester.check(tab.round_model)


def test_the_rounds_list_what_was_decided(
    qtbot: QtBot, page: DossierPage, session: Session, qtmodeltester: Any
) -> None:
    view = find_client(session, lambda v: with_status(IntakeStatus.RETURNED)(v) and bool(v.rounds))
    tab = open_intake(qtbot, page, view.client.id)
    model = tab.round_model
    assert model.rowCount() == len(view.rounds)
    last = max(view.rounds, key=lambda r: r.number)
    row = model.rowCount() - 1
    assert model.index(row, model.NUMBER).data() == str(last.number)
    assert model.index(row, model.DECISION).data() == "Teruggestuurd"
    assert model.index(row, model.REVIEWER).data() == last.reviewer
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Ronde"
    qtmodeltester.check(model)


# ----------------------------------------------------------------------------------- redraws


def test_a_redraw_from_the_bus_keeps_the_caret(
    qtbot: QtBot, page: DossierPage, session: Session
) -> None:
    view = draft_client(session)
    assert view.intake is not None
    tab = open_intake(qtbot, page, view.client.id)
    domains = self_sufficiency_domains(view.intake.domain_version)
    remark = tab.form.editor(remark_field(domains[0].key))
    assert isinstance(remark, QLineEdit)
    remark.setFocus()
    remark.clear()
    QTest.keyClicks(remark, "Schuldhulp loopt")
    remark.setCursorPosition(6)
    # A sync round brings another answer of the same intake.
    service.save_answers(
        session.store, intake_id=view.intake.id, values={score_field(domains[1].key): 1}
    )
    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        session.bus.publish(Changes.for_clients([Intake.ENTITY], None))
    other = tab.form.editor(score_field(domains[1].key))
    assert isinstance(other, QComboBox) and other.currentData() == 1
    assert remark.hasFocus()
    assert remark.text() == "Schuldhulp loopt" and remark.cursorPosition() == 6
    # Its own save and the redraw after it leave the caret where it is too.
    with saved_once(qtbot, session, tab):
        tab.flush()
    assert remark.hasFocus() and remark.cursorPosition() == 6
    stored = session.store.get(Intake, view.intake.id)
    assert stored is not None and stored.scores[domains[0].key].remark == "Schuldhulp loopt"


def test_the_tab_fits_a_small_screen(qtbot: QtBot, page: DossierPage, session: Session) -> None:
    view = find_client(session, lambda v: v.intake is not None)
    tab = open_intake(qtbot, page, view.client.id)
    # 1366x768 at 150%, less the navigation column and the task bar.
    room = (1366 * 2 // 3 - 200, (768 - 48) * 2 // 3 - 60)
    hint = page.minimumSizeHint()
    assert hint.width() <= room[0] and hint.height() <= room[1], hint
    assert tab.splitter.orientation() == Qt.Orientation.Horizontal
    page.resize(*room)
    qtbot.waitUntil(lambda: tab.splitter.orientation() == Qt.Orientation.Vertical)
    assert tab.form.isVisible() and tab.radar.isVisible()
    assert IntakeSection.SCORES in tab.form.sections_shown()
