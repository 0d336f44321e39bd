"""The visit report (Bezoeken) and the Wmo report (Intake) over a demo caseload in a real
encrypted profile: the button opens the preview with the pages built in memory, and its
Afdrukken… prints through the chosen printer and audits the print. Nothing but the printer's
own target file is written. Offscreen, waiting on signals and conditions, never on sleeps."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPageSize
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.domain.intake_fields import topic_field
from app.domain.reference import Scheme
from app.domain.states import IntakeStatus
from app.domain.visit import Visit, VisitPurpose
from app.services import documents
from app.services import intake as intake_service
from app.services.intake import IntakeView
from app.ui.dossier import DossierPage
from app.ui.plan import printing
from app.ui.plan.pdf_preview import PdfPreviewDialog
from app.ui.session import Session

TIMEOUT = 10_000
CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = CTRL | Qt.KeyboardModifier.ShiftModifier
HELD = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)

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


def _pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setResolution(150)
    return printer


def _print_from(
    qtbot: QtBot,
    session: Session,
    dialog: PdfPreviewDialog,
    monkeypatch: pytest.MonkeyPatch,
    out: Path,
) -> list[tuple[Any, ...]]:
    """Ctrl+P in the preview, the printer dialog answered with a PDF-file printer."""
    chosen: list[tuple[Any, ...]] = []

    def choose(parent: Any, title: str | None = None, *, pages: int = 0) -> QPrinter:
        chosen.append((parent, title, pages))
        return _pdf_printer(out)

    monkeypatch.setattr(printing, "choose_printer", choose)
    with qtbot.waitSignal(session.bus.changed, timeout=TIMEOUT):
        QTest.keyClick(dialog, Qt.Key.Key_P, CTRL)
    return chosen


def _only_pdf_is(home: Path, tmp_path: Path, out: Path) -> None:
    written = [p for p in tmp_path.rglob("*") if p.suffix.casefold() == ".pdf"]
    assert written == [out]
    assert not [p for p in home.rglob("*") if p.suffix.casefold() == ".pdf"]


def test_a_recorded_visit_has_a_report_to_preview_and_print(
    qtbot: QtBot,
    page: DossierPage,
    session: Session,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    home: Path,
) -> None:
    store = session.store
    client_id = store.caseload()[0].id
    planned = store.create(
        Visit(
            client_id=client_id,
            planned_at=HELD,
            purpose=VisitPurpose.VOORTGANG,
            caseworker=session.username,
        )
    )
    visit = store.update(planned.record(at=HELD, notes="Post samen geopend.", outcome="Goed."))
    tab = page.visits_tab
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        page.show_client(client_id, "visits")
    assert page.tabs.currentWidget() is tab

    # Nothing to report of a new visit.
    tab.start_new()
    assert not tab.report_button.isVisible()
    tab.view.selectRow(tab.model.row_of(visit.id))
    assert tab.report_button.isVisible() and tab.report_button.isEnabled()
    assert tab.report_button.text() == "Verslag…"
    assert tab.report_button.toolTip().endswith("(Ctrl+Shift+R)")

    QTest.keyClick(tab.view, Qt.Key.Key_R, CTRL_SHIFT)
    qtbot.waitUntil(lambda: tab.preview_dialog is not None, timeout=TIMEOUT)
    dialog = tab.preview_dialog
    assert dialog is not None
    assert QTest.qWaitForWindowExposed(dialog)
    assert dialog.preview.page_count() > 0
    assert dialog.windowTitle().startswith("Voorbeeld — verslag huisbezoek")

    out = tmp_path / "printer" / "verslag.pdf"
    out.parent.mkdir()
    chosen = _print_from(qtbot, session, dialog, monkeypatch, out)
    assert chosen == [(dialog, "Verslag huisbezoek afdrukken", dialog.preview.page_count())]
    assert out.read_bytes().startswith(b"%PDF")
    prints = [e for e in store.audit_events(client_id=client_id) if e.action == "print"]
    assert len(prints) == 1
    assert (prints[0].entity, prints[0].record_id) == ("visit", visit.id)
    assert prints[0].details == {
        "document": documents.VISIT_REPORT,
        "copies": 1,
        "pages": dialog.preview.page_count(),
    }
    qtbot.waitUntil(tab.report_button.isEnabled, timeout=TIMEOUT)
    _only_pdf_is(home, tmp_path, out)
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT)


def _wmo_client(session: Session) -> IntakeView:
    """A Wmo client whose intake has an answer of the Wmo part (given here when needed)."""
    store = session.store
    for summary in store.caseload():
        view = intake_service.intake_view(store, summary.id)
        if Scheme.WMO not in view.schemes:
            continue
        intake = view.intake
        if intake is None or intake.status is IntakeStatus.APPROVED:
            intake = intake_service.start_intake(
                store, client_id=view.client.id, caseworker=session.username
            )
        if not documents.has_wmo_answers(intake):
            if not intake.editable:
                continue
            intake_service.save_answers(
                store,
                intake_id=intake.id,
                values={
                    topic_field("needs"): "Hulp bij het huishouden.",
                    "wmo_clientondersteuning_told": True,
                },
            )
        return intake_service.intake_view(store, view.client.id)
    raise AssertionError("the demo caseload has a Wmo client")


def test_the_wmo_report_is_previewed_and_printed_from_the_intake_tab(
    qtbot: QtBot,
    page: DossierPage,
    session: Session,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    home: Path,
) -> None:
    view = _wmo_client(session)
    assert view.intake is not None
    client_id = view.client.id
    tab = page.intake_tab
    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        page.show_client(client_id, "intake")
    assert tab.wmo_report_button.isVisible() and tab.wmo_report_button.isEnabled()
    assert tab.wmo_report_button.text() == "Wmo-verslag…"

    QTest.keyClick(tab, Qt.Key.Key_W, CTRL_SHIFT)
    qtbot.waitUntil(lambda: tab.preview_dialog is not None, timeout=TIMEOUT)
    dialog = tab.preview_dialog
    assert dialog is not None
    assert QTest.qWaitForWindowExposed(dialog)
    assert dialog.preview.page_count() > 0

    out = tmp_path / "printer" / "wmo.pdf"
    out.parent.mkdir()
    chosen = _print_from(qtbot, session, dialog, monkeypatch, out)
    assert chosen == [(dialog, "Verslag Wmo-onderzoek afdrukken", dialog.preview.page_count())]
    assert out.read_bytes().startswith(b"%PDF")
    prints = [e for e in session.store.audit_events(client_id=client_id) if e.action == "print"]
    assert len(prints) == 1
    assert (prints[0].entity, prints[0].record_id) == ("intake", view.intake.id)
    assert prints[0].details["document"] == documents.WMO_REPORT
    qtbot.waitUntil(tab.wmo_report_button.isEnabled, timeout=TIMEOUT)
    _only_pdf_is(home, tmp_path, out)
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT)


def test_a_wmo_client_without_wmo_answers_cannot_print_the_report(
    qtbot: QtBot, page: DossierPage, session: Session
) -> None:
    store = session.store
    for summary in store.caseload():
        view = intake_service.intake_view(store, summary.id)
        if Scheme.WMO in view.schemes and (
            view.intake is None or view.intake.status is IntakeStatus.APPROVED
        ):
            break
    else:
        pytest.skip("no Wmo client without an open intake in this caseload")
    intake_service.start_intake(store, client_id=view.client.id, caseworker=session.username)
    tab = page.intake_tab
    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        page.show_client(view.client.id, "intake")
    started = tab.view
    assert started is not None and started.intake is not None
    if documents.has_wmo_answers(started.intake):
        pytest.skip("a new intake carries the Wmo answers over")
    assert tab.wmo_report_button.isVisible() and not tab.wmo_report_button.isEnabled()
