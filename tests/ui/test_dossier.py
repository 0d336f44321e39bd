"""The dossier screen, driven through its real widgets (offscreen) over a demo caseload.

Typing goes through the keyboard (qtbot.keyClicks with ASCII text only: non-ASCII would abort
the process); waiting is on signals and conditions, never on sleeps.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPdfWriter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app.domain.client import Client, Enrollment, HouseholdMember
from app.domain.local_time import local as to_local
from app.domain.notes import Attachment, Note
from app.domain.states import VisitStatus
from app.domain.visit import EntryConsent, Visit, VisitPurpose
from app.services import dossier as service
from app.ui.dossier import DossierPage
from app.ui.dossier.attachment_viewer import AttachmentViewer
from app.ui.session import Session
from tests import store_access

TIMEOUT = 10_000

# Qt's offscreen platform warns whenever a top-level window with a layout is shown; that warning
# says nothing about the code under test.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture(autouse=True)
def dutch(qapp: QApplication) -> Iterator[None]:
    """The UI speaks Dutch (the source language) in these tests."""
    before = qapp.property("veldwerk_language")
    qapp.setProperty("veldwerk_language", "nl")
    yield
    qapp.setProperty("veldwerk_language", before if before is not None else "")


@pytest.fixture
def page(qtbot: QtBot, session: Session) -> DossierPage:
    widget = DossierPage(session)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    widget.activateWindow()
    assert QTest.qWaitForWindowActive(widget)
    return widget


def busiest_client(session: Session) -> Client:
    """The caseload's client with the most household members and active schemes."""
    store = session.store
    today = date.today()

    def weight(client_id: str) -> tuple[int, int]:
        active = [e for e in store.for_client(Enrollment, client_id) if e.active_on(today)]
        return (len(active), len(store.for_client(HouseholdMember, client_id)))

    best = max(store.caseload(), key=lambda summary: weight(summary.id))
    client = store.get(Client, best.id)
    assert client is not None
    return client


def open_dossier(qtbot: QtBot, page: DossierPage, client_id: str) -> None:
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT) as blocker:
        page.show_client(client_id)
    assert blocker.args == [client_id]


def visible_errors(widget: QWidget) -> list[str]:
    return [
        label.text()
        for label in widget.findChildren(QLabel, "fieldError")
        if label.isVisible() and label.text()
    ]


def tab_to(qtbot: QtBot, start: QWidget, target: QWidget) -> None:
    """Move the keyboard focus from `start` with Tab until `target` has it."""
    start.setFocus()
    qtbot.waitUntil(start.hasFocus, timeout=TIMEOUT)
    for _ in range(30):
        if target.hasFocus():
            return
        focused = QApplication.focusWidget()
        assert focused is not None
        QTest.keyClick(focused, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {target.objectName()}")


# ---------------------------------------------------------------------------------- opening


def test_opening_shows_the_header_and_the_tabs(
    qtbot: QtBot, page: DossierPage, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = busiest_client(session)
    threads: list[str] = []
    real_load = service.load_dossier

    def load(store: object, client_id: str) -> service.DossierView:
        threads.append(threading.current_thread().name)
        return real_load(session.store, client_id)

    monkeypatch.setattr(service, "load_dossier", load)
    open_dossier(qtbot, page, client.id)

    assert threads == ["veldwerk-storage"]  # read on the storage lane, not the UI thread
    view = page.dossier
    assert view is not None
    assert page.name_label.text() == client.name.display()
    details = page.details_label.text()
    assert f"{view.age} jaar" in details
    assert str(client.address) in details
    assert f"Huishouden: {view.household_size} personen" in details
    assert view.active_schemes, "the demo client has a scheme"
    assert page.tag_texts() == [s.label("nl") for s in view.active_schemes]
    tags = [label for label in page.findChildren(QLabel, "tag") if label.isVisible()]
    assert sorted(t.text() for t in tags) == sorted(page.tag_texts())
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
    assert page.household_model.rowCount() == len(view.household)
    assert page.visits_tab.model.rowCount() == len(view.visits)
    # Opening is audited, and the history tab shows it, newest first.
    assert session.store.audit_events(client_id=client.id)[-1].action == "view"
    when, who, what = (page.history_model.index(0, column).data() for column in range(3))
    assert (who, what) == (session.username, "Dossier geopend")
    assert when.count("-") == 2 and ":" in when  # "16-05-2026 14:05"
    # The tabs are reachable by keyboard.
    page.tabs.setFocus()
    QTest.keyClick(page.tabs, Qt.Key.Key_8, Qt.KeyboardModifier.ControlModifier)
    assert page.tabs.currentIndex() == page.HISTORY


def test_an_unknown_client_shows_a_message(qtbot: QtBot, page: DossierPage) -> None:
    page.show_client("no-such-client")
    qtbot.waitUntil(lambda: not page.progress.isVisible(), timeout=TIMEOUT)
    assert page.status_label.text() == "Dit gegeven bestaat niet (meer) op dit apparaat."
    assert page.client_id is None


def test_every_model_passes_the_model_tester(
    qtbot: QtBot, page: DossierPage, session: Session, qtmodeltester: object
) -> None:
    client = busiest_client(session)
    service.add_note(session.store, client_id=client.id, text="Voor de modeltest")
    service.add_attachment(session.store, client.id, "scan.pdf", b"%PDF-1.4 test")
    overdue = service.plan_visit(
        session.store,
        client_id=client.id,
        planned_at=datetime(2020, 1, 6, 9, 30, tzinfo=UTC),
        purpose=VisitPurpose.VOORTGANG,
    )
    open_dossier(qtbot, page, client.id)
    visits = page.visits_tab.model
    row = visits.row_of(overdue.id)
    assert visits.index(row, visits.STATUS).data() == "Gepland, achterstallig"
    assert visits.index(row, 0).data(Qt.ItemDataRole.ForegroundRole) is not None
    models = [
        page.overview_tab.enrollment_model,
        page.household_model,
        page.visits_tab.model,
        page.notes_tab.model,
        page.attachments_tab.model,
        page.history_model,
    ]
    for model in models:
        assert model.rowCount() > 0, type(model).__name__
        qtmodeltester.check(model)  # type: ignore[attr-defined]


# ----------------------------------------------------------------------------------- visits


def test_record_a_visit_through_the_form(qtbot: QtBot, page: DossierPage, session: Session) -> None:
    client = busiest_client(session)
    open_dossier(qtbot, page, client.id)
    tab = page.visits_tab
    QTest.keyClick(page.tabs, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert page.tabs.currentWidget() is tab
    before_rows = tab.model.rowCount()
    pending = session.store.pending_count()

    QTest.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    tab_to(qtbot, tab.new_button, tab.date_edit)
    QTest.keyClicks(tab.date_edit, "12032026")
    QTest.keyClick(tab.date_edit, Qt.Key.Key_Tab)
    assert tab.time_edit.hasFocus()
    QTest.keyClicks(tab.time_edit, "1405")
    QTest.keyClick(tab.time_edit, Qt.Key.Key_Tab)
    assert tab.purpose_combo.hasFocus()
    QTest.keyClicks(tab.purpose_combo, "He")  # keyboard search: Heronderzoek
    assert tab.purpose_combo.currentData() == VisitPurpose.HERONDERZOEK.value
    assert not tab.legal_box.isVisible()
    QTest.keyClick(tab.purpose_combo, Qt.Key.Key_Tab)
    assert tab.notes_edit.hasFocus()
    QTest.keyClicks(tab.notes_edit, "Gesprek over werk en inkomen")
    QTest.keyClick(tab.notes_edit, Qt.Key.Key_Tab)
    assert tab.outcome_edit.hasFocus()
    QTest.keyClicks(tab.outcome_edit, "Uitkering loopt door")

    with qtbot.waitSignal(session.bus.changed, timeout=TIMEOUT):
        QTest.mouseClick(tab.record_button, Qt.MouseButton.LeftButton)

    assert tab.model.rowCount() == before_rows + 1
    assert session.store.pending_count() == pending + 1
    assert tab.saved_hint.isVisible() and tab.saved_hint.text() == "Opgeslagen"
    visit = tab.selected_visit()
    assert visit is not None
    stored = session.store.get(Visit, visit.id)
    assert stored == visit
    assert stored.status is VisitStatus.DONE
    assert stored.purpose is VisitPurpose.HERONDERZOEK
    assert stored.notes == "Gesprek over werk en inkomen"
    assert stored.outcome == "Uitkering loopt door"
    local = to_local(stored.planned_at)
    assert (local.day, local.month, local.year, local.hour, local.minute) == (12, 3, 2026, 14, 5)
    row = tab.model.row_of(visit.id)
    cells = [tab.model.index(row, column).data() for column in range(5)]
    assert cells == ["12-03-2026", "14:05", "Heronderzoek", "Afgerond", "Uitkering loopt door"]
    qtbot.waitUntil(
        lambda: page.history_model.index(0, 2).data() == "Huisbezoek toegevoegd",
        timeout=TIMEOUT,
    )


def test_handhaving_needs_its_legal_basis(
    qtbot: QtBot, page: DossierPage, session: Session
) -> None:
    client = busiest_client(session)
    open_dossier(qtbot, page, client.id)
    page.tabs.setCurrentWidget(page.visits_tab)
    tab = page.visits_tab
    pending = session.store.pending_count()

    tab_to(qtbot, tab.new_button, tab.purpose_combo)
    QTest.keyClicks(tab.purpose_combo, "Ha")  # Handhaving
    assert tab.purpose_combo.currentData() == VisitPurpose.HANDHAVING.value
    assert tab.legal_box.isVisible()
    QTest.keyClick(tab.purpose_combo, Qt.Key.Key_Tab)
    QTest.keyClicks(tab.notes_edit, "Controle woonsituatie")

    QTest.mouseClick(tab.record_button, Qt.MouseButton.LeftButton)
    errors = visible_errors(tab)
    assert "Vul de reden van het huisbezoek in." in errors
    assert "Kies of de cli\u00ebnt toestemming gaf om binnen te komen." in errors
    assert "Bij een handhavingsbezoek moet u zich legitimeren en het doel noemen." in errors
    assert session.store.pending_count() == pending

    tab_to(qtbot, tab.outcome_edit, tab.reason_edit)
    QTest.keyClicks(tab.reason_edit, "Melding samenwonen")
    QTest.keyClick(tab.reason_edit, Qt.Key.Key_Tab)
    assert tab.identification_check.hasFocus()
    QTest.keyClick(tab.identification_check, Qt.Key.Key_Space)
    QTest.keyClick(tab.identification_check, Qt.Key.Key_Tab)
    QTest.keyClick(tab.purpose_check, Qt.Key.Key_Space)
    QTest.keyClick(tab.purpose_check, Qt.Key.Key_Tab)
    assert tab.consent_combo.hasFocus()
    QTest.keyClicks(tab.consent_combo, "G")  # Gegeven
    assert tab.consent_combo.currentData() == EntryConsent.GIVEN.value

    with qtbot.waitSignal(session.bus.changed, timeout=TIMEOUT):
        QTest.mouseClick(tab.record_button, Qt.MouseButton.LeftButton)
    assert visible_errors(tab) == []
    visit = tab.selected_visit()
    assert visit is not None and visit.legal_basis is not None
    stored = session.store.get(Visit, visit.id)
    assert stored is not None and stored.status is VisitStatus.DONE
    assert stored.legal_basis == visit.legal_basis
    assert stored.legal_basis.reason == "Melding samenwonen"
    assert stored.legal_basis.entry_consent is EntryConsent.GIVEN
    entry = session.store.journal_entries()[-1]
    assert entry.record_id == visit.id and entry.new_values["legal_reason"] == "Melding samenwonen"
    assert session.store.pending_count() == pending + 1


def test_plan_a_visit_then_record_it(qtbot: QtBot, page: DossierPage, session: Session) -> None:
    client = busiest_client(session)
    open_dossier(qtbot, page, client.id)
    page.tabs.setCurrentWidget(page.visits_tab)
    tab = page.visits_tab
    tab_to(qtbot, tab.new_button, tab.date_edit)
    QTest.keyClicks(tab.date_edit, "01062031")
    with qtbot.waitSignal(session.bus.changed, timeout=TIMEOUT):
        QTest.mouseClick(tab.plan_button, Qt.MouseButton.LeftButton)
    planned = tab.selected_visit()
    assert planned is not None and planned.status is VisitStatus.PLANNED
    assert tab.model.row_of(planned.id) == 0  # the furthest ahead comes first
    assert tab.model.index(0, 3).data() == "Gepland"
    assert tab.cancel_button.isVisible() and not tab.plan_button.isVisible()
    assert not tab.date_edit.isEnabled()

    tab_to(qtbot, tab.new_button, tab.notes_edit)
    QTest.keyClicks(tab.notes_edit, "Alles besproken")
    with qtbot.waitSignal(session.bus.changed, timeout=TIMEOUT):
        QTest.mouseClick(tab.record_button, Qt.MouseButton.LeftButton)
    stored = session.store.get(Visit, planned.id)
    assert stored is not None and stored.status is VisitStatus.DONE
    assert stored.notes == "Alles besproken"
    assert tab.model.rowCount() == len(session.store.for_client(Visit, client.id))
    # A recorded visit is shown, not edited.
    assert not tab.record_button.isEnabled() and not tab.notes_edit.isEnabled()


# ------------------------------------------------------------------------------------ notes


def test_a_note_saves_as_you_type(qtbot: QtBot, page: DossierPage, session: Session) -> None:
    client = busiest_client(session)
    open_dossier(qtbot, page, client.id)
    QTest.keyClick(page.tabs, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    tab = page.notes_tab
    assert not [b for b in tab.findChildren(QPushButton) if "opslaan" in b.text().casefold()], (
        "no Save button to forget"
    )
    pending = session.store.pending_count()
    rows = tab.model.rowCount()

    tab.editor.setFocus()
    with qtbot.waitSignal(session.bus.changed, timeout=TIMEOUT):
        QTest.keyClicks(tab.editor, "Belde over de energierekening")
    qtbot.waitUntil(tab.saved_hint.isVisible, timeout=TIMEOUT)
    assert tab.saved_hint.text() == "Opgeslagen"
    note = session.store.get(Note, tab.note_id)
    assert note is not None and note.text == "Belde over de energierekening"
    assert note.author == session.username
    assert tab.model.rowCount() == rows + 1
    assert session.store.pending_count() == pending + 1

    # Typing on edits the same note; leaving the editor saves without waiting.
    QTest.keyClicks(tab.editor, ", betaalt in termijnen")
    assert not tab.saved_hint.isVisible()
    with qtbot.waitSignal(session.bus.changed, timeout=TIMEOUT):
        tab.new_button.setFocus()
    saved = session.store.get(Note, note.id)
    assert saved is not None
    assert saved.text == "Belde over de energierekening, betaalt in termijnen"
    assert session.store.journal_entries()[-1].op == "update"
    assert tab.model.rowCount() == rows + 1


def test_closing_the_dossier_keeps_what_was_typed(
    qtbot: QtBot, page: DossierPage, session: Session
) -> None:
    client = busiest_client(session)
    other = next(s for s in session.store.caseload() if s.id != client.id)
    open_dossier(qtbot, page, client.id)
    page.tabs.setCurrentWidget(page.notes_tab)
    tab = page.notes_tab
    tab.editor.setFocus()
    QTest.keyClicks(tab.editor, "Net op tijd")
    note_id = tab.note_id
    open_dossier(qtbot, page, other.id)  # before the 500 ms were over
    note = session.store.get(Note, note_id)
    assert note is not None and note.client_id == client.id and note.text == "Net op tijd"

    page.tabs.setCurrentWidget(page.notes_tab)
    tab.editor.setFocus()
    QTest.keyClicks(tab.editor, "Bij het sluiten")
    last_id = tab.note_id
    page.close()
    qtbot.waitUntil(lambda: session.store.get(Note, last_id) is not None, timeout=TIMEOUT)


def test_a_visit_typed_but_not_recorded_comes_back(
    qtbot: QtBot, page: DossierPage, session: Session
) -> None:
    client = busiest_client(session)
    other = next(s for s in session.store.caseload() if s.id != client.id)
    open_dossier(qtbot, page, client.id)
    tab = page.visits_tab
    page.tabs.setCurrentWidget(tab)
    QTest.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    tab.purpose_combo.setCurrentIndex(tab.purpose_combo.findData(VisitPurpose.HERONDERZOEK.value))
    tab.notes_edit.setFocus()
    QTest.keyClicks(tab.notes_edit, "Halverwege het gesprek")
    key = f"draft.visit.{client.id}"

    # Another dossier opens before the visit was recorded: the form is kept as a draft.
    open_dossier(qtbot, page, other.id)
    qtbot.waitUntil(lambda: session.store.setting(key) is not None, timeout=TIMEOUT)
    assert tab.notes_edit.toPlainText() == ""

    open_dossier(qtbot, page, client.id)
    qtbot.waitUntil(
        lambda: tab.notes_edit.toPlainText() == "Halverwege het gesprek", timeout=TIMEOUT
    )
    assert tab.purpose_combo.currentData() == VisitPurpose.HERONDERZOEK.value
    assert "teruggezet" in tab.mode_label.text()

    # Recorded: the draft goes.
    with qtbot.waitSignal(session.bus.changed, timeout=TIMEOUT):
        QTest.mouseClick(tab.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: session.store.setting(key) is None, timeout=TIMEOUT)
    recorded = tab.selected_visit()
    assert recorded is not None and recorded.notes == "Halverwege het gesprek"


def test_a_colleagues_note_is_read_only(qtbot: QtBot, page: DossierPage, session: Session) -> None:
    client = busiest_client(session)
    colleague = store_access.as_user(session.store, "a.bakker")
    theirs = service.add_note(colleague, client_id=client.id, text="Van een collega")
    open_dossier(qtbot, page, client.id)
    tab = page.notes_tab
    page.tabs.setCurrentWidget(tab)
    tab.list_view.setCurrentIndex(tab.model.index(tab.model.row_of(theirs.id), 0))
    assert tab.note_id == theirs.id
    assert tab.editor.toPlainText() == "Van een collega"
    assert tab.editor.isReadOnly()
    assert "alleen lezen" in tab.meta_label.text()


def test_emptying_a_note_shows_an_inline_error(
    qtbot: QtBot, page: DossierPage, session: Session
) -> None:
    client = busiest_client(session)
    mine = service.add_note(session.store, client_id=client.id, text="Weg")
    open_dossier(qtbot, page, client.id)
    tab = page.notes_tab
    page.tabs.setCurrentWidget(tab)
    tab.list_view.setCurrentIndex(tab.model.index(tab.model.row_of(mine.id), 0))
    tab.editor.setFocus()
    QTest.keyClick(tab.editor, Qt.Key.Key_End)
    for _ in "Weg":
        QTest.keyClick(tab.editor, Qt.Key.Key_Backspace)
    qtbot.waitUntil(tab.error_label.isVisible, timeout=TIMEOUT)
    assert tab.error_label.text() == "De notitie is leeg."
    assert session.store.get(Note, mine.id) == mine


# ------------------------------------------------------------------------------ attachments


def random_png(path: Path) -> bytes:
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    noise = secrets.token_bytes(64 * 48 * 3)
    for y in range(48):
        for x in range(64):
            i = (y * 64 + x) * 3
            image.setPixelColor(x, y, QColor(noise[i], noise[i + 1], noise[i + 2]))
    assert image.save(str(path))  # PNG, from the suffix
    return path.read_bytes()


def one_page_pdf(path: Path) -> bytes:
    writer = QPdfWriter(str(path))
    painter = QPainter(writer)
    painter.drawText(200, 200, "Huurcontract (verzonnen)")
    painter.end()
    return path.read_bytes()


def files_containing(root: Path, needles: list[bytes], *, skip: Path) -> list[Path]:
    found = []
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            if skip in path.parents or not path.is_file():
                continue
            content = path.read_bytes()
            if any(needle in content for needle in needles):
                found.append(path)
    return found


def test_attachment_is_stored_encrypted_and_viewed_in_the_app(
    qtbot: QtBot,
    page: DossierPage,
    session: Session,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Everything a process might write goes under tmp_path, so the scan below sees it.
    for variable in ("HOME", "TMPDIR", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        folder = tmp_path / f"env-{variable.lower()}"
        folder.mkdir()
        monkeypatch.setenv(variable, str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "env-tmpdir"))
    source = tmp_path / "bron"
    source.mkdir()
    png = random_png(source / "paspoort.png")
    pdf = one_page_pdf(source / "huurcontract.pdf")
    chosen: list[str] = []
    monkeypatch.setattr(
        "app.ui.dossier.attachments_tab.choose_file", lambda *_args, **_kw: chosen[-1]
    )

    client = busiest_client(session)
    open_dossier(qtbot, page, client.id)
    QTest.keyClick(page.tabs, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    tab = page.attachments_tab
    assert "25 MB" in tab.limit_label.text()
    pending = session.store.pending_count()

    chosen.append(str(source / "paspoort.png"))
    with qtbot.waitSignal(session.bus.changed, timeout=TIMEOUT):
        QTest.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    assert tab.saved_hint.isVisible()
    added = tab.selected_attachment()
    assert added is not None
    assert (added.name, added.media_type, added.size) == ("paspoort.png", "image/png", len(png))
    assert session.store.get(Attachment, added.id) == added
    assert service.attachment_bytes(session.store, added.id) == png
    assert session.store.pending_count() == pending + 1

    # Open it with the keyboard: Enter on the selected row.
    tab.view.setFocus()
    with qtbot.waitSignal(tab.viewer_opened, timeout=TIMEOUT) as opened:
        QTest.keyClick(tab.view, Qt.Key.Key_Return)
    viewer = opened.args[0]
    assert isinstance(viewer, AttachmentViewer) and viewer.isVisible()
    assert viewer.kind == "image" and viewer.windowTitle() == "paspoort.png"
    assert viewer.image_label is not None
    assert viewer.image_label.pixmap().size().toTuple() == (64, 48)
    viewer.close()

    chosen.append(str(source / "huurcontract.pdf"))
    with qtbot.waitSignal(session.bus.changed, timeout=TIMEOUT):
        QTest.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    assert tab.model.rowCount() == 2
    with qtbot.waitSignal(tab.viewer_opened, timeout=TIMEOUT) as opened:
        QTest.mouseClick(tab.open_button, Qt.MouseButton.LeftButton)
    pdf_viewer = opened.args[0]
    assert pdf_viewer.kind == "pdf" and pdf_viewer.page_count == 1
    assert pdf_viewer.pdf_view is not None and pdf_viewer.pdf_view.isVisible()
    qtbot.waitUntil(
        lambda: page.history_model.index(0, 2).data() == "Bijlage geopend", timeout=TIMEOUT
    )
    pdf_viewer.close()

    # A note too, then: no file outside the encrypted database holds the plaintext.
    page.tabs.setCurrentWidget(page.notes_tab)
    marker = f"Controlemarkering {secrets.token_hex(8)}"
    page.notes_tab.editor.setFocus()
    with qtbot.waitSignal(session.bus.changed, timeout=TIMEOUT):
        QTest.keyClicks(page.notes_tab.editor, marker)
    page.close()
    QCoreApplication.processEvents()
    needles = [marker.encode(), marker.encode("utf-16-le"), png[-200:-12], pdf[len(pdf) // 2 :]]
    assert files_containing(tmp_path, needles, skip=source) == []
    # The scan does see plaintext where it is: in the files the user picked.
    assert len(files_containing(source, needles, skip=tmp_path / "nowhere")) == 2


def test_too_large_attachment_is_refused_with_a_message(
    qtbot: QtBot,
    page: DossierPage,
    session: Session,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    session.store.set_setting(service.MAX_ATTACHMENT_SETTING, 1024)
    big = tmp_path / "scan.pdf"
    big.write_bytes(b"%PDF-1.4 " + b"0" * 4096)
    monkeypatch.setattr("app.ui.dossier.attachments_tab.choose_file", lambda *_a, **_k: str(big))
    client = busiest_client(session)
    open_dossier(qtbot, page, client.id)
    page.tabs.setCurrentWidget(page.attachments_tab)
    tab = page.attachments_tab
    assert "1 kB" in tab.limit_label.text()
    pending = session.store.pending_count()
    QTest.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(tab.error_label.isVisible, timeout=TIMEOUT)
    assert tab.error_label.text() == "Dit bestand is 4 kB; een bijlage mag hoogstens 1 kB zijn."
    assert "scan.pdf" not in {a.name for a in tab.model.rows()}
    assert "scan.pdf" not in {a.name for a in session.store.for_client(Attachment, client.id)}
    assert session.store.pending_count() == pending
    assert tab.add_button.isEnabled()


# --------------------------------------------------------------------------- client details


def test_an_invalid_value_shows_an_inline_dutch_error(
    qtbot: QtBot, page: DossierPage, session: Session
) -> None:
    client = busiest_client(session)
    open_dossier(qtbot, page, client.id)
    tab = page.overview_tab
    postcode = tab.edits["postcode"]
    pending = session.store.pending_count()

    postcode.setFocus()
    postcode.selectAll()
    QTest.keyClicks(postcode, "12")
    QTest.keyClick(postcode, Qt.Key.Key_Tab)
    qtbot.waitUntil(tab.errors["postcode"].isVisible, timeout=TIMEOUT)
    assert tab.errors["postcode"].text() == (
        "Dit is geen geldige postcode (vier cijfers en twee letters, zoals 9974 AB)."
    )
    assert visible_errors(page) == [tab.errors["postcode"].text()]
    assert session.store.get(Client, client.id) == client
    assert session.store.pending_count() == pending

    postcode.setFocus()
    postcode.selectAll()
    QTest.keyClicks(postcode, "9974ac")
    with qtbot.waitSignal(session.bus.changed, timeout=TIMEOUT):
        QTest.keyClick(postcode, Qt.Key.Key_Return)
    assert not tab.errors["postcode"].isVisible()
    assert postcode.text() == "9974 AC"
    assert tab.saved_hint.isVisible() and tab.saved_hint.text() == "Opgeslagen"
    stored = session.store.get(Client, client.id)
    assert stored is not None and stored.address.postcode.value == "9974 AC"
    # The header redraws from the change bus, like every screen that shows the client.
    qtbot.waitUntil(lambda: "9974 AC" in page.details_label.text(), timeout=TIMEOUT)
    assert session.store.pending_count() == pending + 1
    qtbot.waitUntil(
        lambda: page.history_model.index(0, 2).data() == "Cli\u00ebntgegevens gewijzigd (postcode)",
        timeout=TIMEOUT,
    )


def test_house_number_and_email_errors_stay_with_their_field(
    qtbot: QtBot, page: DossierPage, session: Session
) -> None:
    client = busiest_client(session)
    open_dossier(qtbot, page, client.id)
    tab = page.overview_tab
    for field, text, message in (
        ("house_number", "twaalf", "Het huisnummer moet met een getal beginnen (12, 12a of 12-1)."),
        ("email", "iemand@", "Dit is geen geldig e-mailadres."),
    ):
        edit = tab.edits[field]
        edit.setFocus()
        edit.selectAll()
        QTest.keyClicks(edit, text)
        QTest.keyClick(edit, Qt.Key.Key_Return)
        qtbot.waitUntil(tab.errors[field].isVisible, timeout=TIMEOUT)
        assert tab.errors[field].text() == message
    assert session.store.get(Client, client.id) == client


def test_schemes_and_household_tabs_show_the_records(
    qtbot: QtBot, page: DossierPage, session: Session
) -> None:
    client = busiest_client(session)
    open_dossier(qtbot, page, client.id)
    enrollments = session.store.for_client(Enrollment, client.id)
    model = page.overview_tab.enrollment_model
    schemes = {model.index(row, 0).data() for row in range(model.rowCount())}
    assert schemes == {e.scheme.label("nl") for e in enrollments}
    consent = {model.index(row, 3).data() for row in range(model.rowCount())}
    expected = {
        f"Ja, sinds {e.consent_date:%d-%m-%Y}" if e.consent_given and e.consent_date else "Nee"
        for e in enrollments
    }
    assert consent == expected
    members = session.store.for_client(HouseholdMember, client.id)
    names = {page.household_model.index(row, 1).data() for row in range(len(members))}
    assert names == {m.name.display() for m in members}
