"""The dossier's Plan tab over a demo caseload in a real encrypted profile: a plan started and
written as it is typed (read back through the plan service), its actions by keyboard, both
signatures, a new version with what changed, the preview and print from memory, and the PDF
saved only when asked. Offscreen, through the widgets and the keyboard; waiting on signals and
conditions, never on sleeps."""

from __future__ import annotations

import stat
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence, QPageSize
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.domain.changes import Changes
from app.domain.client import Client
from app.domain.plan import ActionOwner, PlanAction, Signature, SignatureMethod, SignerRole
from app.domain.states import ActionStatus, PlanStatus
from app.services import documents
from app.services import plan as service
from app.services.plan import PlanView
from app.ui.dossier import DossierPage
from app.ui.plan import plan_tab as plan_tab_module
from app.ui.plan import printing
from app.ui.plan.actions_model import ActionTableModel
from app.ui.plan.plan_tab import PlanTab
from app.ui.session import Session
from app.ui.widgets import key_text
from tests import store_access

TIMEOUT = 10_000
LEFT = Qt.MouseButton.LeftButton
NO_KEY = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)

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


# ---------------------------------------------------------------------------------- helpers


def views(session: Session) -> list[PlanView]:
    return [service.plan_view(session.store, s.id) for s in session.store.caseload()]


def client_without_plan(session: Session) -> Client:
    view = next(v for v in views(session) if not v.versions)
    return view.client


def written_draft(session: Session) -> PlanView:
    """A client with a fresh draft plan: goals, support and two actions."""
    store = session.store
    client = client_without_plan(session)
    plan = service.start_plan(store, client_id=client.id, caseworker=session.username)
    service.save_plan(
        store,
        plan_id=plan.id,
        values={
            "goals": ("Financiële rust", "Werk in de zorg"),
            "support_offered": "Begeleiding naar werk, twee uur per week.",
            "obligations": ("werk_verkrijgen",),
        },
    )
    service.add_action(store, plan_id=plan.id, description="Cv bijwerken")
    service.add_action(
        store,
        plan_id=plan.id,
        description="Intake schuldhulp",
        owner=ActionOwner.PARTNER,
        partner="Schuldhulp Noord-Groningen",
    )
    return service.plan_view(store, client.id)


def active_plan(session: Session) -> PlanView:
    """A client whose only plan is active: both signed it on paper."""
    view = written_draft(session)
    assert view.current is not None
    plan_id = view.current.plan.id
    for role, name in ((SignerRole.CASEWORKER, "Klantmanager"), (SignerRole.CLIENT, "Cliënt")):
        signature = Signature(name, SignatureMethod.PAPER, NOW, paper_date=date(2026, 11, 20))
        service.sign_plan(session.store, plan_id=plan_id, role=role, signature=signature, at=NOW)
    return service.plan_view(session.store, view.client.id)


def open_plan(qtbot: QtBot, page: DossierPage, client_id: str) -> PlanTab:
    tab = page.plan_tab
    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        page.show_client(client_id, "plan")
    assert page.tabs.currentWidget() is tab
    return tab


def saved(qtbot: QtBot, session: Session, tab: PlanTab) -> Any:
    """Wait for one write and the tab's redraw after it."""
    return qtbot.waitSignals([session.bus.changed, tab.loaded], timeout=TIMEOUT)


def stored(session: Session, client_id: str) -> PlanView:
    return service.plan_view(session.store, client_id)


def drag(widget: QWidget, points: list[tuple[int, int]]) -> None:
    first, *rest = points
    QTest.mousePress(widget, LEFT, NO_KEY, QPoint(*first))
    for x, y in rest:
        QTest.mouseMove(widget, QPoint(x, y))
    QTest.mouseRelease(widget, LEFT, NO_KEY, QPoint(*rest[-1]))


def back_in(page: DossierPage) -> None:
    """The offscreen platform leaves no window active when a dialog closes; a desktop's window
    manager gives the dossier its focus back."""
    page.activateWindow()
    assert QTest.qWaitForWindowActive(page)


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


# ------------------------------------------------------------------------------------ place


def test_the_tab_stands_between_intake_and_notities_and_ctrl_5_opens_it(
    qtbot: QtBot, page: DossierPage, session: Session
) -> None:
    view = written_draft(session)
    tab = open_plan(qtbot, page, view.client.id)
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
    assert page.tabs.indexOf(tab) == page.PLAN == page.TAB_NAMES["plan"] == 4
    assert page.tabs.tabToolTip(page.PLAN) == "Plan (Ctrl+5)"
    QTest.keyClick(page.tabs, Qt.Key.Key_1, CTRL)
    assert page.tabs.currentIndex() == page.OVERVIEW
    QTest.keyClick(page.tabs, Qt.Key.Key_5, CTRL)
    assert page.tabs.currentWidget() is tab
    QTest.keyClick(page.tabs, Qt.Key.Key_6, CTRL)
    assert page.tabs.currentIndex() == page.NOTES
    QTest.keyClick(page.tabs, Qt.Key.Key_8, CTRL)
    assert page.tabs.currentIndex() == page.HISTORY
    page.tabs.setCurrentWidget(tab)
    # Every button names its key (in the notation of the UI's language: Qt's own translation
    # may call Alt+Up "Alt+Pijl omhoog").
    pane = tab.form.actions_pane
    for button, text, key in (
        (tab.preview_button, "Voorbeeld", "Ctrl+Shift+P"),
        (tab.print_button, "Afdrukken…", "Ctrl+P"),
        (tab.pdf_button, "Opslaan als PDF…", "Ctrl+Shift+S"),
        (tab.sign_button, "Tekenen", "Alt+T"),
        (pane.add_button, "Actie toevoegen", "Ctrl+N"),
        (pane.edit_button, "Wijzigen…", "Ctrl+E"),
        (pane.remove_button, "Verwijderen", "Del"),
        (pane.up_button, "Omhoog", "Alt+Up"),
        (pane.down_button, "Omlaag", "Alt+Down"),
        (tab.form.goals.add_button, "Doel toevoegen", "Alt+V"),
    ):
        assert button.toolTip() == f"{text} ({key_text(QKeySequence(key))})"
    assert [a.text() for a in tab.sign_menu.actions()] == ["Als &cliënt…", "Als &klantmanager…"]


# ----------------------------------------------------------------------------------- saving


def test_a_plan_is_started_and_saved_as_it_is_typed(
    qtbot: QtBot, page: DossierPage, session: Session
) -> None:
    client = client_without_plan(session)
    tab = open_plan(qtbot, page, client.id)
    assert tab.empty_label.isVisible()
    assert tab.empty_label.text() == (
        "Nog geen plan van aanpak voor deze cliënt. Start het plan met Ctrl+Shift+N."
    )
    assert tab.start_button.isVisible() and tab.start_button.text() == "Plan starten"
    assert not tab.sign_button.isVisible() and not tab.preview_button.isVisible()

    with saved(qtbot, session, tab):
        QTest.keyClick(tab, Qt.Key.Key_N, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert tab.status_label.text() == "Versie 1 — concept"
    assert not tab.start_button.isVisible() and tab.sign_button.isVisible()
    layer = tab.form.editor("service_layer")
    assert isinstance(layer, QComboBox)
    qtbot.waitUntil(layer.hasFocus, timeout=TIMEOUT)  # the keyboard is in the first field
    assert not tab.form.read_only and not tab.reason_label.isVisible()

    with saved(qtbot, session, tab):
        layer.setCurrentIndex(layer.findData("leefbaarheid"))
    support = tab.form.editor("support_offered")
    assert isinstance(support, QPlainTextEdit)
    support.setFocus()
    with saved(qtbot, session, tab):  # after the pause in typing
        QTest.keyClicks(support, "Twee uur per week begeleiding")
    assert tab.saved_hint.isVisible()

    boxes = tab.form.obligations.boxes()
    boxes["registratie_werkzoekende"].setFocus()
    with saved(qtbot, session, tab):
        QTest.keyClick(boxes["registratie_werkzoekende"], Qt.Key.Key_Space)

    goals = tab.form.goals
    goals.view.setFocus()
    QTest.keyClick(goals.view, Qt.Key.Key_Insert)
    editor = focused()
    assert isinstance(editor, QLineEdit)
    QTest.keyClicks(editor, "Werk vinden in de zorg")
    with saved(qtbot, session, tab):
        QTest.keyClick(editor, Qt.Key.Key_Return)
    QTest.keyClick(goals.view, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit), timeout=TIMEOUT)
    with saved(qtbot, session, tab):
        QTest.keyClicks(focused(), "Schulden op orde")
        QTest.keyClick(focused(), Qt.Key.Key_Return)

    evaluation = tab.form.evaluation_field
    assert tab.form.evaluation_hint.isVisible()
    assert "standaard 12 maanden na ondertekening" in tab.form.evaluation_hint.text()
    evaluation.edit.setFocus()
    with saved(qtbot, session, tab):
        QTest.keyClicks(evaluation.edit, "01-06-2027")
        QTest.keyClick(evaluation.edit, Qt.Key.Key_Tab)
    assert not tab.form.evaluation_hint.isVisible()

    view = stored(session, client.id)
    assert view.current is not None
    plan = view.current.plan
    assert plan.status is PlanStatus.DRAFT and plan.caseworker == session.username
    assert plan.service_layer == "leefbaarheid"
    assert plan.support_offered == "Twee uur per week begeleiding"
    assert plan.obligations == ("registratie_werkzoekende",)
    assert plan.goals == ("Werk vinden in de zorg", "Schulden op orde")
    assert plan.next_evaluation == date(2027, 6, 1)
    # Each answer was one change of one field.
    entry = session.store.journal_entries()[-1]
    assert (entry.entity, entry.record_id) == ("client_plan", plan.id)
    assert entry.new_values == {"next_evaluation": "2027-06-01"}

    # A goal goes with Delete in the list.
    goals.view.setFocus()
    goals.view.setCurrentIndex(goals.model.index(0))
    with saved(qtbot, session, tab):
        QTest.keyClick(goals.view, Qt.Key.Key_Delete)
    assert stored(session, client.id).versions[-1].plan.goals == ("Schulden op orde",)


# ---------------------------------------------------------------------------------- actions


def test_actions_are_added_changed_moved_and_removed_with_the_keyboard(
    qtbot: QtBot,
    page: DossierPage,
    session: Session,
    qtmodeltester: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    view = written_draft(session)
    tab = open_plan(qtbot, page, view.client.id)
    pane = tab.form.actions_pane
    qtmodeltester.check(pane.model)
    assert pane.model.rowCount() == 2

    pane.view.setFocus()
    QTest.keyClick(pane.view, Qt.Key.Key_N, CTRL)
    dialog = tab.action_dialog
    assert dialog is not None
    assert QTest.qWaitForWindowActive(dialog)
    assert dialog.windowTitle() == "Actie toevoegen"
    qtbot.waitUntil(dialog.description_edit.hasFocus, timeout=TIMEOUT)
    QTest.keyClicks(dialog.description_edit, "Werkervaringsplaats regelen")
    QTest.keyClick(dialog.description_edit, Qt.Key.Key_Tab)
    assert dialog.owner_combo.hasFocus()
    QTest.keyClick(dialog.owner_combo, Qt.Key.Key_Down)
    QTest.keyClick(dialog.owner_combo, Qt.Key.Key_Down)
    assert dialog.owner() is ActionOwner.PARTNER and dialog.partner_edit.isVisible()
    # Without the organisation's name the dialog stays open and says what is missing.
    QTest.keyClick(dialog.owner_combo, Qt.Key.Key_Return, CTRL)
    assert dialog.isVisible() and dialog.partner_error.isVisible()
    QTest.keyClicks(dialog.partner_edit, "Werkleerbedrijf Hogeland")
    QTest.keyClicks(dialog.due_field.edit, "15-01-2027")
    with saved(qtbot, session, tab):
        QTest.keyClick(dialog.due_field.edit, Qt.Key.Key_Return, CTRL)
    back_in(page)
    qtbot.waitUntil(pane.view.hasFocus, timeout=TIMEOUT)  # on the action just added
    added = pane.current_action()
    assert added is not None and added.description == "Werkervaringsplaats regelen"
    assert added.owner is ActionOwner.PARTNER and added.partner == "Werkleerbedrijf Hogeland"
    assert added.due_date == date(2027, 1, 15)
    assert pane.model.index(2, ActionTableModel.OWNER).data() == "Werkleerbedrijf Hogeland"

    # Alt+Up moves it before the second action; the order is stored.
    with saved(qtbot, session, tab):
        QTest.keyClick(pane.view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    order = [a.description for a in stored(session, view.client.id).versions[-1].actions]
    assert order == ["Cv bijwerken", "Werkervaringsplaats regelen", "Intake schuldhulp"]
    assert pane.current_action() is not None
    assert pane.current_action().description == "Werkervaringsplaats regelen"  # type: ignore[union-attr]

    # Ctrl+E changes it in the dialog (Enter on the row does too).
    QTest.keyClick(pane.view, Qt.Key.Key_E, CTRL)
    dialog = tab.action_dialog
    assert dialog is not None
    assert QTest.qWaitForWindowActive(dialog)
    assert dialog.windowTitle() == "Actie wijzigen"
    dialog.description_edit.selectAll()
    QTest.keyClicks(dialog.description_edit, "Werkervaringsplaats in de groenploeg")
    with saved(qtbot, session, tab):
        QTest.keyClick(dialog.description_edit, Qt.Key.Key_Return)
    entry = session.store.journal_entries()[-1]
    assert entry.new_values == {"description": "Werkervaringsplaats in de groenploeg"}
    back_in(page)

    # Delete asks first; no is no.
    asked: list[str] = []
    answer = [False]

    def confirm(_parent: QWidget, *, title: str, text: str, accept: str) -> bool:
        asked.append(text)
        return answer[0]

    monkeypatch.setattr(plan_tab_module, "confirm", confirm)
    pane.view.setFocus()
    QTest.keyClick(pane.view, Qt.Key.Key_Delete)
    assert asked == ["De actie „Werkervaringsplaats in de groenploeg” uit het plan verwijderen?"]
    assert pane.model.rowCount() == 3
    answer[0] = True
    with saved(qtbot, session, tab):
        QTest.keyClick(pane.view, Qt.Key.Key_Delete)
    remaining = [a.description for a in stored(session, view.client.id).versions[-1].actions]
    assert remaining == ["Cv bijwerken", "Intake schuldhulp"]
    assert pane.model.rowCount() == 2
    qtmodeltester.check(pane.model)


# --------------------------------------------------------------------------------- signing


def test_signed_by_the_caseworker_the_form_is_read_only_and_the_client_on_paper_activates_it(
    qtbot: QtBot, page: DossierPage, session: Session
) -> None:
    view = written_draft(session)
    client_id = view.client.id
    tab = open_plan(qtbot, page, client_id)
    assert tab.sign_client_action.isEnabled() and tab.sign_caseworker_action.isEnabled()

    tab.sign_caseworker_action.trigger()
    dialog = tab.signature_dialog
    assert dialog is not None
    assert QTest.qWaitForWindowExposed(dialog)
    assert dialog.windowTitle() == "Tekenen — Klantmanager"
    assert dialog.name_label.text() == documents.caseworker_name(session.store)
    assert dialog.refused_radio.isHidden()
    drag(dialog.pad, [(40, 100), (120, 130), (200, 90), (260, 120)])
    with saved(qtbot, session, tab):
        QTest.keyClick(dialog.pad, Qt.Key.Key_Return, CTRL)

    plan = stored(session, client_id).versions[-1].plan
    assert plan.status is PlanStatus.DRAFT and plan.content_hash
    signature = plan.caseworker_signature
    assert signature is not None and signature.method is SignatureMethod.DIGITAL
    assert signature.strokes and signature.pad_width > 0
    assert tab.status_label.text() == (
        "Versie 1 — ondertekend door de klantmanager; wacht op de cliënt"
    )
    assert tab.notice_label.text() == "Ondertekend door de klantmanager. Nu tekent de cliënt."
    assert tab.form.read_only
    support = tab.form.editor("support_offered")
    assert isinstance(support, QPlainTextEdit) and support.isReadOnly()
    assert tab.reason_label.isVisible()
    assert tab.reason_label.text().startswith("Deze versie is ondertekend; de inhoud ligt vast.")
    assert "nieuwe versie" in tab.reason_label.text()
    assert not tab.form.actions_pane.add_button.isVisible()
    assert not tab.sign_caseworker_action.isEnabled() and tab.sign_client_action.isEnabled()

    tab.sign_client_action.trigger()
    dialog = tab.signature_dialog
    assert dialog is not None
    assert QTest.qWaitForWindowExposed(dialog)
    assert dialog.windowTitle() == "Tekenen — Cliënt"
    assert dialog.name_label.text() == view.client.name.display()
    assert not dialog.refused_radio.isHidden()
    QTest.keyClick(dialog.pad, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(dialog.paper_radio.isChecked, timeout=TIMEOUT)
    with saved(qtbot, session, tab):
        QTest.keyClick(dialog, Qt.Key.Key_Return, CTRL)

    plan = stored(session, client_id).versions[-1].plan
    assert plan.status is PlanStatus.ACTIVE
    assert plan.client_signature is not None
    assert plan.client_signature.method is SignatureMethod.PAPER
    assert "versie 1 is nu het actieve plan" in tab.notice_label.text()
    assert tab.status_label.text().startswith("Versie 1 — actief sinds ")
    assert not tab.sign_button.isVisible()
    assert tab.start_button.isVisible() and tab.start_button.text() == "Nieuwe versie"


def test_an_action_of_the_active_plan_gets_its_status_in_place(
    qtbot: QtBot, page: DossierPage, session: Session
) -> None:
    view = active_plan(session)
    tab = open_plan(qtbot, page, view.client.id)
    assert tab.form.read_only
    assert tab.reason_label.text().startswith("Dit is het actieve plan;")
    assert "De status van een actie kunt u wel bijwerken." in tab.reason_label.text()
    pane = tab.form.actions_pane
    assert not pane.add_button.isVisible() and pane.edit_button.isVisible()
    status = pane.model.index(0, ActionTableModel.STATUS)
    pane.view.setFocus()
    pane.view.setCurrentIndex(status)
    QTest.keyClick(pane.view, Qt.Key.Key_F2)
    editor = focused()
    assert isinstance(editor, QComboBox) and editor.currentData() == "open"
    QTest.keyClick(editor, Qt.Key.Key_Down)
    with saved(qtbot, session, tab):
        QTest.keyClick(editor, Qt.Key.Key_Return)
    action = stored(session, view.client.id).versions[-1].actions[0]
    assert action.status is ActionStatus.IN_PROGRESS
    assert pane.model.index(0, ActionTableModel.STATUS).data() == "Bezig"
    # What was agreed stays as signed.
    assert not pane.model.flags(pane.model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable


def test_a_new_version_copies_the_plan_and_an_older_version_is_shown_read_only(
    qtbot: QtBot, page: DossierPage, session: Session
) -> None:
    view = active_plan(session)
    client_id = view.client.id
    first = view.versions[0].plan
    tab = open_plan(qtbot, page, client_id)
    assert "nieuwe versie (Ctrl+Shift+N)" in tab.reason_label.text()

    with saved(qtbot, session, tab):
        QTest.keyClick(tab, Qt.Key.Key_N, CTRL | Qt.KeyboardModifier.ShiftModifier)
    versions = stored(session, client_id).versions
    assert [v.plan.status for v in versions] == [PlanStatus.ACTIVE, PlanStatus.DRAFT]
    draft = versions[1].plan
    assert tab.form.plan_id == draft.id and not tab.form.read_only
    assert tab.status_label.text() == "Versie 2 — concept"
    support = tab.form.editor("support_offered")
    assert isinstance(support, QPlainTextEdit)
    assert support.toPlainText() == first.support_offered
    assert tab.form.goals.goals() == first.goals
    assert tab.form.actions_pane.model.rowCount() == 2
    assert tab.version_model.rowCount() == 2
    assert tab.changes_pane.records.empty_label.text() == "Niets gewijzigd sinds versie 1."

    own = tab.form.editor("own_words")
    assert isinstance(own, QPlainTextEdit)
    own.setFocus()
    with saved(qtbot, session, tab):
        QTest.keyClicks(own, "Ik wil in de zorg werken.")
    changes = tab.change_model.changes()
    assert [(c.kind, c.name) for c in changes] == [("field", "own_words")]
    index = tab.change_model.index(0, 0)
    assert index.data() == "Wat wil ik zelf"
    assert tab.change_model.index(0, 2).data() == "Ik wil in de zorg werken."
    assert tab.changes_pane.title.text().replace("&", "") == "Wijzigingen sinds versie 1"

    # Versie 1 in the list: shown, read-only, and saying where the changes are made.
    tab.version_view.setFocus()
    tab.version_view.setCurrentIndex(tab.version_model.index(tab.version_model.row_of(first.id), 0))
    assert tab.form.plan_id == first.id and tab.form.read_only
    assert tab.status_label.text().startswith("Versie 1 — actief sinds")
    assert "Wijzigingen staan in de conceptversie (versie 2)." in tab.reason_label.text()
    assert own.toPlainText() == first.own_words
    assert not tab.sign_button.isVisible() and tab.preview_button.isVisible()
    assert tab.changes_pane.records.empty_label.text() == "Dit is de eerste versie van het plan."

    tab.version_view.setCurrentIndex(tab.version_model.index(tab.version_model.row_of(draft.id), 0))
    assert tab.form.plan_id == draft.id and not tab.form.read_only
    assert own.toPlainText() == "Ik wil in de zorg werken."


# ------------------------------------------------------------------- preview, print, save


def _pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setResolution(150)
    return printer


def test_the_preview_shows_the_pages_and_its_print_is_audited(
    qtbot: QtBot,
    page: DossierPage,
    session: Session,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    home: Path,
) -> None:
    view = written_draft(session)
    client_id = view.client.id
    tab = open_plan(qtbot, page, client_id)
    QTest.keyClick(tab, Qt.Key.Key_P, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert tab.busy_label.isVisible() and not tab.preview_action.isEnabled()
    qtbot.waitUntil(lambda: tab.preview_dialog is not None, timeout=TIMEOUT)
    dialog = tab.preview_dialog
    assert dialog is not None
    assert QTest.qWaitForWindowExposed(dialog)
    assert dialog.preview.page_count() > 0
    assert dialog.windowTitle() == "Voorbeeld — plan van aanpak, versie 1"
    assert not tab.busy_label.isVisible() and tab.preview_action.isEnabled()

    out = tmp_path / "printer" / "plan.pdf"
    out.parent.mkdir()
    chosen: list[tuple[Any, ...]] = []

    def choose(parent: Any, title: str | None = None, *, pages: int = 0) -> QPrinter:
        chosen.append((parent, title, pages))
        return _pdf_printer(out)

    monkeypatch.setattr(printing, "choose_printer", choose)
    with qtbot.waitSignal(session.bus.changed, timeout=TIMEOUT):
        QTest.keyClick(dialog, Qt.Key.Key_P, CTRL)
    assert chosen == [(dialog, "Plan van aanpak afdrukken", dialog.preview.page_count())]
    qtbot.waitUntil(lambda: tab.notice_label.text().startswith("Afgedrukt"), timeout=TIMEOUT)
    assert out.exists() and out.read_bytes().startswith(b"%PDF")
    prints = [e for e in session.store.audit_events(client_id=client_id) if e.action == "print"]
    assert len(prints) == 1
    assert prints[0].details["pages"] == dialog.preview.page_count()
    assert prints[0].details["copies"] == 1
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT)

    # Ctrl+P on the tab prints without a preview.
    back_in(page)
    with qtbot.waitSignal(session.bus.changed, timeout=TIMEOUT):
        QTest.keyClick(tab, Qt.Key.Key_P, CTRL)
    prints = [e for e in session.store.audit_events(client_id=client_id) if e.action == "print"]
    qtbot.waitUntil(lambda: not tab.busy_label.isVisible(), timeout=TIMEOUT)
    assert len(prints) == 2 and chosen[-1][0] is tab
    # Neither the preview nor the printing left a document in the profile.
    assert not [p for p in home.rglob("*") if p.suffix.casefold() == ".pdf"]


def test_save_as_pdf_writes_a_file_only_the_user_can_read(
    qtbot: QtBot,
    page: DossierPage,
    session: Session,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    view = written_draft(session)
    client_id = view.client.id
    tab = open_plan(qtbot, page, client_id)
    asked: list[tuple[Any, ...]] = []

    def ask(*args: Any, **kwargs: Any) -> tuple[str, str]:
        asked.append(args)
        return str(tmp_path / "plan-voor-het-gesprek"), "PDF"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(ask))
    with qtbot.waitSignal(session.bus.changed, timeout=TIMEOUT):
        QTest.keyClick(tab, Qt.Key.Key_S, CTRL | Qt.KeyboardModifier.ShiftModifier)
    suggested = str(asked[0][2])
    assert suggested.endswith("plan-van-aanpak-v1.pdf")
    assert view.client.name.surname not in suggested
    path = tmp_path / "plan-voor-het-gesprek.pdf"
    assert path.read_bytes().startswith(b"%PDF")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    qtbot.waitUntil(
        lambda: tab.notice_label.text() == "Opgeslagen als plan-voor-het-gesprek.pdf.",
        timeout=TIMEOUT,
    )
    exports = [e for e in session.store.audit_events(client_id=client_id) if e.action == "export"]
    assert len(exports) == 1 and exports[0].details["format"] == "pdf"

    # Cancelled: nothing is written.
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    tab.pdf_action.trigger()
    assert not tab.busy_label.isVisible()
    assert (
        len([e for e in session.store.audit_events(client_id=client_id) if e.action == "export"])
        == 1
    )


# ---------------------------------------------------------------------------- the change bus


def test_a_sync_round_bringing_an_action_redraws_the_tab(
    qtbot: QtBot, page: DossierPage, session: Session
) -> None:
    view = written_draft(session)
    tab = open_plan(qtbot, page, view.client.id)
    own = tab.form.editor("own_words")
    assert isinstance(own, QPlainTextEdit)
    own.setFocus()
    QTest.keyClicks(own, "Nog aan het")
    assert view.current is not None
    colleague = store_access.as_user(session.store, "a.bakker")
    theirs = service.add_action(
        colleague, plan_id=view.current.plan.id, description="Van kantoor: taalles"
    )
    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        session.bus.publish(Changes.for_clients([PlanAction.ENTITY], None))
    assert tab.form.actions_pane.model.row_of(theirs.id) == 2
    assert own.toPlainText() == "Nog aan het"  # what is typed stays


def test_the_tab_fits_a_small_screen(qtbot: QtBot, page: DossierPage, session: Session) -> None:
    view = active_plan(session)
    tab = open_plan(qtbot, page, view.client.id)
    # 1366x768 at 150%, less the navigation column and the task bar.
    room = (1366 * 2 // 3 - 200, (768 - 48) * 2 // 3 - 60)
    hint = page.minimumSizeHint()
    assert hint.width() <= room[0] and hint.height() <= room[1], hint
    assert tab.splitter.orientation() == Qt.Orientation.Horizontal
    page.resize(*room)
    qtbot.waitUntil(lambda: tab.splitter.orientation() == Qt.Orientation.Vertical)
    assert tab.form.isVisible() and tab.version_view.isVisible()
