"""The intake form and its comment threads, driven through their widgets (offscreen), over the
intakes of a demo caseload as the intake service reads them.

Typing goes through the keyboard (ASCII only); waiting is on signals and conditions.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from app.domain.formatting import moment_text
from app.domain.intake_fields import IntakeSection, remark_field, score_field
from app.domain.reference import Scheme, self_sufficiency_domains
from app.services import intake as service
from app.services.intake import IntakeView
from app.ui.intake.form import TEXT_DELAY_MS, DateField, IntakeForm, parse_date
from app.ui.intake.threads import ThreadPanel
from app.ui.session import Session

TIMEOUT = 5_000

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def all_views(session: Session) -> list[IntakeView]:
    store = session.store
    return [service.intake_view(store, summary.id) for summary in store.caseload()]


def find_view(session: Session, wanted: Callable[[IntakeView], bool]) -> IntakeView:
    found = next((view for view in all_views(session) if wanted(view)), None)
    assert found is not None, "the demo caseload has such a client"
    return found


def draft_view(session: Session, wanted: Callable[[IntakeView], bool]) -> IntakeView:
    """A client as `wanted` with an editable intake (a draft or a returned one; one is started
    when there is none or the last was approved)."""
    view = find_view(
        session,
        lambda v: wanted(v) and (v.intake is None or v.intake.status.value != "submitted"),
    )
    if view.intake is None or not view.intake.editable:
        service.start_intake(session.store, client_id=view.client.id, caseworker=session.username)
        view = service.intake_view(session.store, view.client.id)
    assert view.intake is not None and view.intake.editable
    return view


def with_answers(view: IntakeView, **values: object) -> IntakeView:
    """The same intake with some answers changed elsewhere (a sync round), not saved."""
    assert view.intake is not None
    return dataclasses.replace(view, intake=view.intake.edited(values))


@pytest.fixture
def form(qtbot: QtBot) -> IntakeForm:
    widget = IntakeForm()
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    widget.show()
    widget.activateWindow()
    assert QTest.qWaitForWindowActive(widget)
    return widget


def combo(form: IntakeForm, name: str) -> QComboBox:
    widget = form.editor(name)
    assert isinstance(widget, QComboBox), name
    return widget


def line(form: IntakeForm, name: str) -> QLineEdit:
    widget = form.editor(name)
    assert isinstance(widget, QLineEdit), name
    return widget


def first_domain(view: IntakeView) -> str:
    assert view.intake is not None
    return self_sufficiency_domains(view.intake.domain_version)[0].key


# ----------------------------------------------------------------------------------- parts


def test_the_scheme_parts_follow_the_clients_schemes(
    qtbot: QtBot, form: IntakeForm, session: Session
) -> None:
    wmo = find_view(session, lambda v: v.intake is not None and Scheme.WMO in v.schemes)
    form.set_view(wmo, read_only=False)
    assert IntakeSection.WMO in form.sections_shown()
    group = form.group(IntakeSection.WMO)
    assert group is not None and group.title() == "Wmo-onderzoek"
    assert isinstance(form.editor("wmo_topic_needs"), QPlainTextEdit)
    assert isinstance(form.editor("wmo_identity_checked"), QCheckBox)
    assert isinstance(form.editor("wmo_melding_date"), DateField)
    mantelzorger = combo(form, "wmo_mantelzorger_present")
    assert [mantelzorger.itemText(i) for i in range(mantelzorger.count())] == [
        "Onbekend",
        "Ja",
        "Nee",
    ]
    assert form.focus_field("wmo_melding_date")

    other = find_view(session, lambda v: v.intake is not None and Scheme.WMO not in v.schemes)
    form.set_view(other, read_only=False)
    assert IntakeSection.WMO not in form.sections_shown()
    assert form.editor("wmo_melding_date") is None
    assert not form.focus_field("wmo_melding_date")
    # Participatiewet likewise, and consent only for the schemes the client has.
    assert (IntakeSection.PARTICIPATIEWET in form.sections_shown()) == (
        Scheme.PARTICIPATIEWET in other.schemes
    )
    consents = {n for n in form.fields_shown() if n.startswith("consent_")}
    assert consents == {f"consent_{code}" for code in other.schemes}
    assert form.sections_shown()[:6] == (
        IntakeSection.SCORES,
        IntakeSection.PARTICIPATION,
        IntakeSection.BARRIERS,
        IntakeSection.STRENGTHS,
        IntakeSection.HOUSEHOLD,
        IntakeSection.CONSENT,
    )


def test_the_form_shows_an_intake_without_sending_it_back(
    qtbot: QtBot, form: IntakeForm, session: Session
) -> None:
    view = find_view(session, lambda v: v.intake is not None and len(v.intake.scores) > 3)
    intake = view.intake
    assert intake is not None
    with qtbot.assertNotEmitted(form.answerChanged):
        form.set_view(view, read_only=False)
    for key, score in intake.scores.items():
        shown = combo(form, score_field(key))
        assert shown.currentData() == score.score
        assert line(form, remark_field(key)).text() == score.remark
    domain = first_domain(view)
    scores = combo(form, score_field(domain))
    texts = [scores.itemText(i) for i in range(scores.count())]
    assert texts[0] == "Nog niet gescoord"
    assert "3 – Beperkt zelfredzaam" in texts
    assert scores.accessibleName() == self_sufficiency_domains()[0].nl
    ladder = combo(form, "ladder_current")
    assert ladder.itemText(1) == "1 – Geïsoleerd"
    assert ladder.currentData() == intake.ladder_current
    barriers = form.editor("barriers")
    assert isinstance(barriers, QPlainTextEdit)
    assert barriers.toPlainText() == intake.barriers
    assert not form.has_pending


def test_choices_are_sent_at_once_and_text_after_a_pause(
    qtbot: QtBot, form: IntakeForm, session: Session
) -> None:
    view = draft_view(session, lambda v: True)
    form.set_view(view, read_only=False)
    domain = first_domain(view)
    scores = combo(form, score_field(domain))
    assert form.focus_field(score_field(domain))
    assert scores.hasFocus()
    scores.setCurrentIndex(scores.findData(2))
    with qtbot.waitSignal(form.answerChanged, timeout=TIMEOUT) as sent:
        QTest.keyClick(scores, Qt.Key.Key_Down)
    assert sent.args == [score_field(domain), 3]

    remark = line(form, remark_field(domain))
    remark.setFocus()
    remark.selectAll()  # typed over whatever the demo draft holds
    with qtbot.assertNotEmitted(form.answerChanged, wait=TEXT_DELAY_MS // 3):
        QTest.keyClicks(remark, "Schulden bij de energieleverancier")
    with qtbot.waitSignal(form.answerChanged, timeout=TIMEOUT) as typed:
        pass  # the pause after typing
    assert typed.args == [remark_field(domain), "Schulden bij de energieleverancier"]

    # Leaving a text field sends it at once.
    barriers = form.editor("barriers")
    assert isinstance(barriers, QPlainTextEdit)
    barriers.setFocus()
    barriers.moveCursor(QTextCursor.MoveOperation.End)
    QTest.keyClicks(barriers, "Geen vervoer")
    with qtbot.waitSignal(form.answerChanged, timeout=TEXT_DELAY_MS // 2) as left:
        scores.setFocus()
    assert view.intake is not None
    assert left.args == ["barriers", view.intake.barriers + "Geen vervoer"]

    # A check box at once too; typing a text back to what it was sends nothing.
    check = next(
        (form.editor(n) for n in form.fields_shown() if isinstance(form.editor(n), QCheckBox)),
        None,
    )
    if check is not None:
        assert isinstance(check, QCheckBox)
        with qtbot.waitSignal(form.answerChanged, timeout=TIMEOUT) as checked:
            check.setChecked(not check.isChecked())
        assert checked.args[1] is check.isChecked()
    remark.setFocus()
    QTest.keyClick(remark, Qt.Key.Key_X)
    QTest.keyClick(remark, Qt.Key.Key_Backspace)
    with qtbot.assertNotEmitted(form.answerChanged, wait=TEXT_DELAY_MS * 2):
        form.flush()


# A popup (the calendar) asks the offscreen platform for what it cannot do.
@pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints",
    "This plugin does not support raise",
    "This plugin does not support grabbing",
)
def test_dates_can_be_typed_picked_or_left_empty(
    qtbot: QtBot, form: IntakeForm, session: Session
) -> None:
    assert parse_date("12032026") == date(2026, 3, 12)
    assert parse_date("1-2-2026") == date(2026, 2, 1)
    assert parse_date("  ") is None
    for wrong in ("31-02-2026", "12-13-2026", "morgen", "12-03-26"):
        with pytest.raises(ValueError):
            parse_date(wrong)

    view = draft_view(session, lambda v: Scheme.WMO in v.schemes)
    form.set_view(view, read_only=False)
    field = form.editor("wmo_report_given_date")
    assert isinstance(field, DateField)
    field.edit.clear()
    form.focus_field("wmo_report_given_date")
    assert field.edit.hasFocus()
    QTest.keyClicks(field.edit, "12032026")
    with qtbot.waitSignal(form.answerChanged, timeout=TIMEOUT) as sent:
        QTest.keyClick(field.edit, Qt.Key.Key_Tab)
    assert sent.args == ["wmo_report_given_date", "2026-03-12"]
    assert field.edit.text() == "12-03-2026"

    # Not a date: said under the field, nothing sent.
    field.edit.setFocus()
    field.edit.selectAll()
    with qtbot.assertNotEmitted(form.answerChanged, wait=50):
        QTest.keyClicks(field.edit, "31-02-2026")
        QTest.keyClick(field.edit, Qt.Key.Key_Tab)
    assert field.error.isVisible()
    assert "dd-mm-jjjj" in field.error.text()
    assert field.edit.accessibleDescription() == field.error.text()

    # Emptied: "not filled in".
    field.edit.setFocus()
    field.edit.selectAll()
    QTest.keyClick(field.edit, Qt.Key.Key_Delete)
    with qtbot.waitSignal(form.answerChanged, timeout=TIMEOUT) as emptied:
        QTest.keyClick(field.edit, Qt.Key.Key_Tab)
    assert emptied.args == ["wmo_report_given_date", None]
    assert not field.error.isVisible()

    # Alt+Down opens the calendar; Enter takes the day it shows.
    field.edit.setFocus()
    QTest.keyClick(field.edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: field.findChild(QWidget, "qt_calendar_calendarview") is not None)
    calendar = field.findChildren(QWidget, "qt_calendar_calendarview")[0]
    with qtbot.waitSignal(form.answerChanged, timeout=TIMEOUT) as picked:
        QTest.keyClick(calendar, Qt.Key.Key_Return)
    assert picked.args[0] == "wmo_report_given_date"
    assert parse_date(field.edit.text()) is not None


def test_a_read_only_form_can_be_read_but_not_changed(
    qtbot: QtBot, form: IntakeForm, session: Session
) -> None:
    view = find_view(
        session, lambda v: v.intake is not None and v.intake.status.value == "submitted"
    )
    with qtbot.assertNotEmitted(form.answerChanged, wait=50):
        form.set_view(view, read_only=True)
        domain = first_domain(view)
        scores = combo(form, score_field(domain))
        before = scores.currentIndex()
        assert form.focus_field(score_field(domain))
        assert scores.hasFocus()
        QTest.keyClick(scores, Qt.Key.Key_Down)
        QTest.mouseClick(scores, Qt.MouseButton.LeftButton)
        assert scores.currentIndex() == before
        remark = line(form, remark_field(domain))
        assert remark.isReadOnly() and remark.focusPolicy() != Qt.FocusPolicy.NoFocus
        # Tab moves on through the read-only fields.
        QTest.keyClick(scores, Qt.Key.Key_Tab)
        assert remark.hasFocus()
        QTest.keyClicks(remark, "nieuw")
        assert "nieuw" not in remark.text()
        checks = [form.editor(n) for n in form.fields_shown()]
        for check in checks:
            if isinstance(check, QCheckBox):
                state = check.isChecked()
                QTest.mouseClick(check, Qt.MouseButton.LeftButton)
                QTest.keyClick(check, Qt.Key.Key_Space)
                assert check.isChecked() is state
            elif isinstance(check, DateField):
                assert check.edit.isReadOnly() and not check.button.isVisible()
        form.flush()


def test_changed_answers_are_highlighted(qtbot: QtBot, form: IntakeForm, session: Session) -> None:
    view = draft_view(session, lambda v: True)
    domain = first_domain(view)
    changed = frozenset({score_field(domain), "barriers"})
    form.set_view(view, read_only=True, highlighted=changed)
    assert form.is_highlighted(score_field(domain))
    assert form.is_highlighted(remark_field(domain))  # the same row
    assert form.is_highlighted("barriers")
    assert not form.is_highlighted("ladder_current")
    scores = combo(form, score_field(domain))
    assert scores.accessibleDescription() == "Gewijzigd sinds de vorige ronde"
    assert line(form, remark_field(domain)).accessibleDescription() == ""
    row = scores.parentWidget()
    assert row is not None and row.property("changed") is True
    image = row.grab().toImage()
    assert (
        image.pixelColor(1, image.height() // 2).name()
        != image.pixelColor(image.width() - 2, image.height() // 2).name()
    ), "an accent bar on the left"
    form.set_view(view, read_only=True)
    assert not form.is_highlighted(score_field(domain))


# ---------------------------------------------------------------------------------- redraws


def test_a_redraw_keeps_what_is_typed_and_where(
    qtbot: QtBot, form: IntakeForm, session: Session
) -> None:
    view = draft_view(session, lambda v: True)
    form.set_view(view, read_only=False)
    domain, other = (d.key for d in self_sufficiency_domains()[:2])
    remark = line(form, remark_field(domain))
    remark.setFocus()
    remark.clear()
    QTest.keyClicks(remark, "Huur achter")
    remark.setCursorPosition(4)

    # A sync round changed this remark and another score while the user types.
    elsewhere = with_answers(view, **{remark_field(domain): "Op kantoor", score_field(other): 5})
    with qtbot.assertNotEmitted(form.answerChanged, wait=10):
        form.set_view(elsewhere, read_only=False)
    assert remark.hasFocus() and remark.text() == "Huur achter" and remark.cursorPosition() == 4
    assert combo(form, score_field(other)).currentData() == 5

    # Sent; an older view (read before the save) leaves the field alone.
    with qtbot.waitSignal(form.answerChanged, timeout=TIMEOUT) as sent:
        form.flush()
    assert sent.args == [remark_field(domain), "Huur achter"]
    assert form.has_pending
    form.set_view(elsewhere, read_only=False)
    assert remark.text() == "Huur achter" and remark.cursorPosition() == 4
    # Seen back saved; from then on a newer value from elsewhere is shown.
    saved = with_answers(view, **{remark_field(domain): "Huur achter"})
    form.set_view(saved, read_only=False)
    assert not form.has_pending
    form.set_view(with_answers(view, **{remark_field(domain): "Huur betaald"}), read_only=False)
    assert remark.text() == "Huur betaald" and remark.hasFocus()

    # A save that failed: the next view shows what is stored.
    remark.selectAll()
    QTest.keyClicks(remark, "Mislukt")
    form.flush()
    form.save_failed([remark_field(domain)])
    form.set_view(view, read_only=False)
    assert view.intake is not None
    stored = view.intake.scores.get(domain)
    assert remark.text() == (stored.remark if stored is not None else "")


def test_hiding_the_form_sends_what_is_typed(
    qtbot: QtBot, form: IntakeForm, session: Session
) -> None:
    view = draft_view(session, lambda v: True)
    form.set_view(view, read_only=False)
    strengths = form.editor("strengths")
    assert isinstance(strengths, QPlainTextEdit)
    strengths.setFocus()
    strengths.moveCursor(QTextCursor.MoveOperation.End)
    QTest.keyClicks(strengths, " Sportief")
    with qtbot.waitSignal(form.answerChanged, timeout=TEXT_DELAY_MS // 2) as sent:
        form.hide()
    assert sent.args[0] == "strengths" and sent.args[1].endswith(" Sportief")


# ---------------------------------------------------------------------------------- threads


def test_threads_stand_by_their_sections_and_ask_for_answers(
    qtbot: QtBot, form: IntakeForm, session: Session
) -> None:
    view = find_view(
        session,
        lambda v: (
            v.intake is not None
            and v.intake.status.value == "returned"
            and any(t.section in v.sections for t in v.threads)
        ),
    )
    form.resize(1400, 800)
    form.set_view(view, read_only=False, me=session.username)
    for section in form.sections_shown():
        panel = form.thread_panel(section)
        assert isinstance(panel, ThreadPanel)
        mine = [t for t in view.threads if t.section is section]
        assert panel.thread_ids() == tuple(t.start.id for t in mine)
        assert panel.isVisible() == bool(mine)
        assert not panel.start_button.isVisible()
    # Threads on the intake as a whole (or a part not shown) stand on top of the form.
    general = form.thread_panel(IntakeSection.GENERAL)
    assert general is not None
    others = [t for t in view.threads if t.section not in form.sections_shown()]
    assert general.thread_ids() == tuple(t.start.id for t in others)
    assert general.isVisible() == bool(others)
    thread = next(t for t in view.threads if t.section in form.sections_shown())
    panel = form.thread_panel(thread.section)
    assert panel is not None
    group = form.group(thread.section)
    assert group is not None
    # Beside its section on a wide form.
    assert (
        panel.mapTo(form, panel.rect().topLeft()).x()
        > group.mapTo(form, group.rect().topLeft()).x()
    )
    shown = panel.thread_view(thread.start.id)
    assert shown is not None
    assert shown.state_label.text() == (
        "Open"
        if thread.open
        else f"Opgelost door {thread.start.resolved_by} op {moment_text(thread.start.resolved_at)}"
    )
    labels = [label.text() for label in shown.findChildren(QLabel)]
    assert thread.start.text in labels
    written = moment_text(thread.start.written_at)
    assert f"{thread.start.author} · Teamleider · {written}" in labels

    shown.reply_button.click()
    assert shown.reply_box.isVisible() and shown.reply_box.editor.hasFocus()
    assert shown.reply_box.send_button.toolTip() == "Versturen (Alt+V)"
    assert "Ctrl+Enter verstuurt" in shown.reply_box.editor.placeholderText()
    QTest.keyClicks(shown.reply_box.editor, "Aangepast in de belemmeringen.")
    with qtbot.waitSignal(form.commentSubmitted, timeout=TIMEOUT) as answered:
        QTest.keyClick(
            shown.reply_box.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
        )
    assert answered.args == [
        thread.section.value,
        thread.start.id,
        "Aangepast in de belemmeringen.",
    ]
    assert not shown.reply_box.isVisible()

    button = shown.resolve_button if thread.open else shown.reopen_button
    signal = form.resolveRequested if thread.open else form.reopenRequested
    with qtbot.waitSignal(signal, timeout=TIMEOUT) as asked:
        button.click()
    assert asked.args == [thread.start.id]

    # A reviewer starts a thread on any section.
    form.set_view(view, read_only=True, can_start_threads=True, me="t.mulder")
    strengths = form.thread_panel(IntakeSection.STRENGTHS)
    assert strengths is not None and strengths.start_button.isVisible()
    strengths.start_button.click()
    QTest.keyClicks(strengths.new_box.editor, "Wat gaat er goed?")
    with qtbot.waitSignal(form.commentSubmitted, timeout=TIMEOUT) as started:
        strengths.new_box.send_button.click()
    assert started.args == ["strengths", "", "Wat gaat er goed?"]


def test_a_reply_being_typed_survives_a_redraw(
    qtbot: QtBot, form: IntakeForm, session: Session
) -> None:
    view = find_view(
        session, lambda v: v.intake is not None and v.intake.status.value == "returned"
    )
    form.set_view(view, read_only=False)
    thread = view.threads[0]
    panel = form.thread_panel(thread.section)
    assert panel is not None
    shown = panel.thread_view(thread.start.id)
    assert shown is not None
    shown.reply_button.click()
    QTest.keyClicks(shown.reply_box.editor, "Half af")
    form.set_view(view, read_only=False)
    assert panel.thread_view(thread.start.id) is shown
    assert shown.reply_box.isVisible()
    assert shown.reply_box.editor.toPlainText() == "Half af"
    assert shown.reply_box.editor.hasFocus()
