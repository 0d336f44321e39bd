"""The dossier on the shared foundation (issue #10): operations and the change bus instead of
hand-kept jobs and refreshes, shared widgets, and what a new user ran into: a cut-off type
column, a file dialog in two languages, blank tabs, two ways to write a ladder step, tabs that
stayed Dutch after a language switch, and actions without a key in their tooltip.

Waiting is on signals and conditions, never on sleeps.
"""

from __future__ import annotations

import ast
import dataclasses
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QAbstractListModel, QCoreApplication, QLocale, Qt, QTimer
from PySide6.QtGui import QAction, QColor, QImage, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QFileDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.domain.changes import Changes
from app.domain.client import Client, HouseholdMember
from app.domain.ids import new_id
from app.domain.notes import Attachment, Note
from app.domain.reference import ladder_label
from app.domain.values import Bsn
from app.domain.visit import VisitPurpose
from app.services import conflicts, drafts
from app.services import dossier as service
from app.ui import i18n
from app.ui.dossier import DossierPage
from app.ui.dossier.models import AttachmentTableModel
from app.ui.session import Session
from app.ui.widgets import RecordStack, mnemonic
from tests import store_access

TIMEOUT = 10_000
ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "veldwerk_en.ts"
DOSSIER_SOURCES = sorted((ROOT / "app" / "ui" / "dossier").glob("*.py"))
WIDGETS = ROOT / "app" / "ui" / "widgets.py"

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


# ---------------------------------------------------------------------------------- fixtures


@pytest.fixture
def page(qtbot: QtBot, session: Session) -> DossierPage:
    widget = DossierPage(session)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)  # the smallest screen Veldwerk must work on, at 100%
    widget.show()
    widget.activateWindow()
    assert QTest.qWaitForWindowActive(widget)
    return widget


@pytest.fixture
def language(qapp: QApplication) -> Iterator[QApplication]:
    """Leave the translators and the default locale as they were."""
    locale = QLocale()
    before = qapp.property(i18n.LANGUAGE_PROPERTY)
    yield qapp
    i18n.remove_translators(qapp)
    QLocale.setDefault(locale)
    qapp.setProperty(i18n.LANGUAGE_PROPERTY, before)


def open_dossier(qtbot: QtBot, page: DossierPage, client_id: str) -> None:
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        page.show_client(client_id)


def _free_bsn(session: Session) -> Bsn:
    """A valid BSN (11-check) that no client on this device has."""
    for number in range(100_000_000, 999_999_999, 7919):
        digits = f"{number:09d}"
        total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
        if (total - int(digits[8])) % 11 == 0:
            bsn = Bsn(digits)
            if session.store.client_by_bsn(bsn) is None:
                return bsn
    raise AssertionError("no free BSN")


def new_client(session: Session, *, step: int | None = 4) -> Client:
    """A client with nothing yet: no household, schemes, visits, notes or attachments."""
    model = session.store.get(Client, session.store.caseload()[0].id)
    assert model is not None
    client = dataclasses.replace(
        model, id=new_id(), bsn=_free_bsn(session), participation_step=step
    )
    return session.store.create(client)


def busiest_client(session: Session) -> Client:
    """The client with the largest household (and so visits, schemes and notes too)."""
    store = session.store
    best = max(store.caseload(), key=lambda s: len(store.for_client(HouseholdMember, s.id)))
    client = store.get(Client, best.id)
    assert client is not None
    return client


def png(path: Path) -> Path:
    image = QImage(32, 24, QImage.Format.Format_RGB32)
    image.fill(QColor("steelblue"))
    assert image.save(str(path))
    return path


# ------------------------------------------------------------------- columns at 1366 x 768


def assert_columns_fit(view: QTableView) -> None:
    """Every column but the one that takes the rest shows its widest cell and its header."""
    header = view.horizontalHeader()
    stretch = view.property("stretch_column")
    for column in range(view.model().columnCount()):
        if column == stretch:
            continue
        needed = max(view.sizeHintForColumn(column), header.sectionSizeHint(column))
        assert view.columnWidth(column) >= needed, (view.objectName(), column)


def test_the_attachment_type_column_shows_the_whole_type(
    qtbot: QtBot, page: DossierPage, session: Session, tmp_path: Path, monkeypatch: Any
) -> None:
    client = new_client(session)
    open_dossier(qtbot, page, client.id)
    page.tabs.setCurrentWidget(page.attachments_tab)
    tab = page.attachments_tab
    # The list was empty when the dossier opened; the image comes in afterwards.
    chosen = str(png(tmp_path / "paspoort.png"))
    monkeypatch.setattr("app.ui.dossier.attachments_tab.choose_file", lambda *_a, **_k: chosen)
    with qtbot.waitSignal(session.bus.changed, timeout=TIMEOUT):
        tab.add_action.trigger()
    kind = tab.model.index(0, AttachmentTableModel.KIND)
    assert kind.data() == "Afbeelding (PNG)"
    qtbot.waitUntil(
        lambda: (
            tab.view.columnWidth(AttachmentTableModel.KIND)
            > tab.view.fontMetrics().horizontalAdvance("Afbeelding (PNG)")
        ),
        timeout=TIMEOUT,
    )
    assert_columns_fit(tab.view)
    assert tab.view.visualRect(kind).width() == tab.view.columnWidth(AttachmentTableModel.KIND)
    # The other tables of the dossier size their columns the same way.
    open_dossier(qtbot, page, busiest_client(session).id)
    for index, view in (
        (page.VISITS, page.visits_tab.view),
        (page.HOUSEHOLD, page.household_view),
        (page.HISTORY, page.history_view),
    ):
        page.tabs.setCurrentIndex(index)
        qtbot.waitUntil(view.isVisible, timeout=TIMEOUT)
        assert_columns_fit(view)


# ------------------------------------------------------------------------------ file dialog


def test_the_file_dialog_speaks_one_language(
    qtbot: QtBot, page: DossierPage, session: Session, language: QApplication
) -> None:
    assert i18n.install_translators(language, "nl") == "nl"  # Qt's own Dutch, qtbase_nl
    open_dossier(qtbot, page, busiest_client(session).id)
    page.tabs.setCurrentWidget(page.attachments_tab)
    seen: dict[str, Any] = {}

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(10, look)
            return
        seen["native"] = not dialog.testOption(QFileDialog.Option.DontUseNativeDialog)
        seen["title"] = dialog.windowTitle()
        seen["texts"] = {
            w.text().replace("&", "")
            for w in dialog.findChildren(QWidget)
            if isinstance(w, QLabel | QAbstractButton) and w.isVisible() and w.text()
        }
        seen["filters"] = dialog.nameFilters()
        dialog.reject()

    QTimer.singleShot(0, look)
    page.attachments_tab.add_action.trigger()
    qtbot.waitUntil(lambda: "texts" in seen, timeout=TIMEOUT)

    assert seen["native"] is False  # Qt's dialog, so Qt's translation is used
    assert seen["title"] == "Bijlage toevoegen"
    assert seen["filters"][0].startswith("Scans en foto's")
    texts = seen["texts"]
    assert {"Openen", "Annuleren"} <= texts, texts
    assert {"Zoeken in:", "Bestandsnaam:", "Bestanden van type:"} <= texts, texts
    english = {"Open", "Cancel", "Look in:", "File name:", "Files of type:"}
    assert not texts & english


# ---------------------------------------------------------------------------- empty states


def test_every_empty_tab_says_so_and_what_to_do(
    qtbot: QtBot, page: DossierPage, session: Session, monkeypatch: Any
) -> None:
    client = new_client(session)
    open_dossier(qtbot, page, client.id)
    expected = {
        page.HOUSEHOLD: "Geen gezinsleden bekend.",
        page.VISITS: "Nog geen huisbezoeken. Plan een bezoek of leg er een vast met Ctrl+N.",
        page.NOTES: "Nog geen notities. Schrijf een notitie met Ctrl+N.",
        page.ATTACHMENTS: "Nog geen bijlagen. Voeg een scan of foto toe met Ctrl+N.",
    }
    for index, sentence in expected.items():
        page.tabs.setCurrentIndex(index)
        stacks = [s for s in page.tabs.currentWidget().findChildren(RecordStack) if s.isVisible()]
        assert len(stacks) == 1, index
        stack = stacks[0]
        assert stack.is_empty and stack.empty_label.isVisible()
        assert not stack.view.isVisible(), "no blank table"
        assert stack.empty_label.text().startswith(sentence), stack.empty_label.text()
    page.tabs.setCurrentIndex(page.OVERVIEW)
    schemes = page.overview_tab.schemes.records
    assert schemes.empty_label.isVisible()
    assert schemes.empty_label.text().startswith("Geen regelingen bekend.")
    # The history is never empty once the dossier is opened, but says so when it is.
    page.history_model.set_rows([])
    assert page.history_pane.records.empty_label.text().startswith("Nog niets vastgelegd")

    # What the notes sentence says works: Ctrl+N writes a note, and the list replaces it.
    QTest.keyClick(page.tabs, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(page.tabs.tabBar(), Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    notes = page.notes_tab
    assert notes.editor.hasFocus()
    with qtbot.waitSignal(session.bus.changed, timeout=TIMEOUT):
        QTest.keyClicks(notes.editor, "Eerste kennismaking")
    assert notes.list_pane.records.view.isVisible()
    assert not notes.list_pane.records.empty_label.isVisible()


# ------------------------------------------------------------------------- ladder and score


def test_a_ladder_step_is_written_like_on_every_other_screen(
    qtbot: QtBot, page: DossierPage, session: Session
) -> None:
    client = new_client(session, step=4)
    open_dossier(qtbot, page, client.id)
    shown = page.overview_tab.findChild(QLabel, "fact_participation_step")
    assert shown is not None
    assert shown.text() == f"4 – {ladder_label(4, 'nl')}"
    # The conflicts screen (and the caseload filter) write it the same way.
    assert shown.text() == conflicts.format_value("client", "participation_step", 4, "nl")
    assert "·" not in shown.text()


# ------------------------------------------------------------------------------- language


DOSSIER_CONTEXTS = {
    "AttachmentTableModel",
    "AttachmentViewer",
    "AttachmentsTab",
    "DossierPage",
    "EnrollmentTableModel",
    "HistoryTableModel",
    "HouseholdTableModel",
    "NotesTab",
    "OverviewTab",
    "SavedHint",
    "VisitTableModel",
    "VisitsTab",
}


def _ts_dutch_sources() -> list[re.Pattern[str]]:
    """Every Dutch source of the dossier's contexts in the .ts whose English differs, as a
    pattern over visible text (mnemonics dropped, %1 standing for anything)."""
    patterns = []
    contexts = ET.parse(TS).getroot().iter("context")
    messages = [
        m for c in contexts if c.findtext("name") in DOSSIER_CONTEXTS for m in c.iter("message")
    ]
    for message in messages:
        source = (message.findtext("source") or "").replace("&", "")
        english = (message.findtext("translation") or "").replace("&", "")
        if source and english and source != english:
            body = re.escape(source)
            patterns.append(re.compile("^" + re.sub(r"%\d", ".*", body) + "$"))
    return patterns


def visible_texts(root: QWidget) -> list[str]:
    """What a person sees on `root` now: captions, buttons, titles, placeholders, headers and
    the cells of visible lists."""
    texts: list[str] = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
            texts.append(widget.toolTip())
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title())
        elif isinstance(widget, QLineEdit | QPlainTextEdit):
            texts.append(widget.placeholderText())
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount()
            for column in range(columns):
                texts.append(str(model.headerData(column, Qt.Orientation.Horizontal) or ""))
                for row in range(min(model.rowCount(), 5)):
                    texts.append(str(model.index(row, column).data() or ""))
    return [t.replace("&", "") for t in texts if t and t.strip()]


def test_every_dossier_tab_switches_language_live(
    qtbot: QtBot, page: DossierPage, session: Session, language: QApplication, tmp_path: Path
) -> None:
    client = busiest_client(session)
    service.add_attachment(
        session.store, client.id, "scan.png", png(tmp_path / "s.png").read_bytes()
    )
    service.add_note(session.store, client_id=client.id, text="Voor de taaltest")
    open_dossier(qtbot, page, client.id)
    dutch = _ts_dutch_sources()
    assert dutch

    assert i18n.install_translators(language, "en") == "en"
    qtbot.waitUntil(lambda: page.tabs.tabText(0) == "Overview", timeout=TIMEOUT)
    assert [page.tabs.tabText(n) for n in range(page.tabs.count())] == [
        "Overview",
        "Household",
        "Visits",
        "Intake",
        "Plan",
        "Notes",
        "Attachments",
        "History",
    ]
    assert page.tabs.tabToolTip(page.NOTES) == "Notes (Ctrl+6)"
    for index in range(page.tabs.count()):
        page.tabs.setCurrentIndex(index)
        texts = visible_texts(page)
        left = [t for t in texts if any(p.match(t) for p in dutch)]
        assert not left, (page.tabs.tabText(index), left)

    overview = page.overview_tab
    assert overview._captions["phone"].text().replace("&", "") == "Phone number"
    assert overview.enrollment_model.headerData(0, Qt.Orientation.Horizontal) == "Scheme"
    visits = page.visits_tab
    assert visits.record_button.text().replace("&", "") == "Record"
    assert visits.purpose_combo.itemText(
        visits.purpose_combo.findData(VisitPurpose.VOORTGANG.value)
    ) == ("Progress")
    assert page.history_model.index(0, 2).data() == "Dossier opened"
    assert page.notes_tab.saved_hint.text() == "Saved"
    assert "(Ctrl+N)" in page.notes_tab.new_button.toolTip()
    assert page.attachments_tab.limit_label.text().startswith("Scans and photos")

    # And back: Dutch again, without reopening anything.
    assert i18n.install_translators(language, "nl") == "nl"
    qtbot.waitUntil(lambda: page.tabs.tabText(0) == "Overzicht", timeout=TIMEOUT)
    assert overview._captions["phone"].text().replace("&", "") == "Telefoonnummer"
    assert page.history_model.index(0, 2).data() == "Dossier geopend"
    assert page.notes_tab.saved_hint.text() == "Opgeslagen"


def test_the_status_text_switches_language_too(
    qtbot: QtBot, page: DossierPage, language: QApplication
) -> None:
    page.show_client("no-such-client")
    qtbot.waitUntil(lambda: not page.progress.isVisible(), timeout=TIMEOUT)
    dutch = page.status_label.text()
    i18n.install_translators(language, "en")
    qtbot.waitUntil(lambda: page.status_label.text() != dutch, timeout=TIMEOUT)
    assert page.status_label.text() == "This record does not exist (any more) on this device."


# ---------------------------------------------------------------------------------- keys


def _button_key(button: QAbstractButton) -> QKeySequence | None:
    action = getattr(button, "action", None) or getattr(button, "defaultAction", lambda: None)()
    if isinstance(action, QAction) and not action.shortcut().isEmpty():
        return action.shortcut()
    return mnemonic(button.text())


def test_every_action_has_a_key_shown_in_its_tooltip(
    qtbot: QtBot, page: DossierPage, session: Session, monkeypatch: Any, tmp_path: Path
) -> None:
    client = busiest_client(session)
    service.add_attachment(
        session.store, client.id, "scan.png", png(tmp_path / "s.png").read_bytes()
    )
    open_dossier(qtbot, page, client.id)
    for button in page.findChildren(QAbstractButton):
        if isinstance(button, QCheckBox) or isinstance(button.parent(), QTabBar | QTableView):
            continue  # a check box is a field; Qt's own buttons scroll the tabs, select all
        key = _button_key(button)
        assert key is not None, button.objectName() or button.text()
        native = key.toString(QKeySequence.SequenceFormat.NativeText)
        assert button.toolTip().endswith(f"({native})"), (button.text(), button.toolTip())
    for number in range(page.tabs.count()):
        assert page.tabs.tabToolTip(number).endswith(f"(Ctrl+{number + 1})")
    # No two actions answer the same key on one tab.
    for index in range(page.tabs.count()):
        tab = page.tabs.widget(index)
        assert tab is not None
        keys = [
            a.shortcut().toString()
            for a in [*tab.findChildren(QAction), *page.tab_actions]
            if not a.shortcut().isEmpty()
        ]
        assert len(keys) == len(set(keys)), keys

    # The keys do what the tooltips say.
    QTest.keyClick(page.tabs, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    visits = page.visits_tab
    QTest.keyClick(page.tabs.tabBar(), Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert visits.date_edit.hasFocus() and visits.selected_visit() is None
    QTest.keyClick(visits.date_edit, Qt.Key.Key_Tab)
    QTest.keyClick(visits.time_edit, Qt.Key.Key_Tab)
    QTest.keyClick(visits.purpose_combo, Qt.Key.Key_Tab)
    QTest.keyClicks(visits.notes_edit, "Met het toetsenbord vastgelegd")
    rows = visits.model.rowCount()
    with qtbot.waitSignal(session.bus.changed, timeout=TIMEOUT):
        QTest.keyClick(visits.notes_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert visits.model.rowCount() == rows + 1

    # The form is read-only now; the keyboard is not left without a place.
    assert visits.view.hasFocus()
    QTest.keyClick(visits.view, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    attachments = page.attachments_tab
    assert page.tabs.currentWidget() is attachments
    attachments.view.selectRow(0)
    with qtbot.waitSignal(attachments.viewer_opened, timeout=TIMEOUT) as opened:
        QTest.keyClick(attachments.view, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    viewer = opened.args[0]
    for button in viewer.zoom_buttons:
        key = _button_key(button)
        assert key is not None and button.toolTip().endswith(
            f"({key.toString(QKeySequence.SequenceFormat.NativeText)})"
        )
    before = viewer.image_label.pixmap().width()
    QTest.keyClick(viewer, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert viewer.image_label.pixmap().width() > before
    viewer.close()


# --------------------------------------------------------------------------- the change bus


def test_a_sync_round_bringing_a_note_redraws_the_notes_tab(
    qtbot: QtBot, page: DossierPage, session: Session
) -> None:
    client = busiest_client(session)
    open_dossier(qtbot, page, client.id)
    page.tabs.setCurrentWidget(page.notes_tab)
    tab = page.notes_tab
    tab.editor.setFocus()
    QTest.keyClicks(tab.editor, "Nog aan het typen")
    rows = tab.model.rowCount()
    history = page.history_model.rowCount()

    # A sync round wrote a colleague's note; it says so on the bus, for any client.
    colleague = store_access.as_user(session.store, "a.bakker")
    theirs = service.add_note(colleague, client_id=client.id, text="Van kantoor")
    session.bus.publish(Changes.for_clients([Note.ENTITY], None))
    qtbot.waitUntil(lambda: tab.model.row_of(theirs.id) >= 0, timeout=TIMEOUT)
    assert tab.model.rowCount() >= rows + 1
    assert tab.editor.toPlainText() == "Nog aan het typen"  # what is typed stays
    qtbot.waitUntil(lambda: page.history_model.rowCount() > history, timeout=TIMEOUT)


def test_changes_for_another_client_leave_the_dossier_alone(
    qtbot: QtBot, page: DossierPage, session: Session, monkeypatch: Any
) -> None:
    client = busiest_client(session)
    other = next(s for s in session.store.caseload() if s.id != client.id)
    open_dossier(qtbot, page, client.id)
    reads: list[str] = []
    real = service.reload_dossier

    def reload(store: Any, client_id: str, **kwargs: Any) -> service.DossierView:
        reads.append(client_id)
        return real(store, client_id, **kwargs)

    monkeypatch.setattr(service, "reload_dossier", reload)
    session.bus.publish(Changes.of(Note.ENTITY, client_id=other.id))
    session.bus.publish(Changes.for_clients(["sync"], None))  # no record kind: nothing to read
    session.bus.publish(Changes.of(Attachment.ENTITY, client_id=client.id))
    qtbot.waitUntil(lambda: reads == [client.id], timeout=TIMEOUT)

    # A hidden dossier (another page is on screen) reads again only when it is shown.
    page.hide()
    session.bus.publish(Changes.of(Note.ENTITY, client_id=client.id))
    QCoreApplication.processEvents()
    assert reads == [client.id]
    page.show()
    qtbot.waitUntil(lambda: reads == [client.id, client.id], timeout=TIMEOUT)


def test_a_draft_that_cannot_be_kept_says_so(
    qtbot: QtBot, page: DossierPage, session: Session, monkeypatch: Any
) -> None:
    """The visit draft used to be saved fire-and-forget: a failure vanished."""
    shown: list[tuple[Any, ...]] = []
    monkeypatch.setattr("app.ui.operations.op.QMessageBox.warning", lambda *a: shown.append(a))

    def refuse(*_args: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(drafts, "save_visit_draft", refuse)
    client = busiest_client(session)
    other = next(s for s in session.store.caseload() if s.id != client.id)
    open_dossier(qtbot, page, client.id)
    page.tabs.setCurrentWidget(page.visits_tab)
    page.visits_tab.notes_edit.setFocus()
    QTest.keyClicks(page.visits_tab.notes_edit, "Halverwege")
    open_dossier(qtbot, page, other.id)
    qtbot.waitUntil(lambda: bool(shown), timeout=TIMEOUT)
    assert shown[0][2] == "Er ging iets mis. Uw werk is bewaard; probeer het opnieuw."
    assert "disk full" not in str(shown)


# ------------------------------------------------------------------------------- structure


# Every module of the UI but the lanes themselves and the operations built on them.
UI_SOURCES = sorted(
    path
    for path in (ROOT / "app" / "ui").rglob("*.py")
    if path.relative_to(ROOT).as_posix() not in ("app/ui/tasks.py", "app/ui/operations/op.py")
)


def test_screens_run_work_only_through_operations() -> None:
    assert not (ROOT / "app" / "ui" / "dossier" / "jobs.py").exists()
    for path in UI_SOURCES:
        text = path.read_text(encoding="utf-8")
        for forbidden in (".submit(", "_jobs", "_token"):
            assert forbidden not in text, (path.name, forbidden)


def test_no_constructor_is_longer_than_a_screen() -> None:
    for path in sorted((ROOT / "app" / "ui").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name == "__init__":
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                assert length <= 50, (path.name, node.lineno, length)
