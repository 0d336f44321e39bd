"""The Cliënten page, driven through its real widgets over the demo caseworker's encrypted profile.

What comes back from the storage lane is compared with the service's own answer for the same
query: the table shows SQL's rows in SQL's order and never sorts by itself.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.demo.caseload import DEMO_TODAY
from app.domain.client import Client
from app.domain.intake import Intake
from app.domain.values import Address, Bsn, PersonName, Postcode
from app.services.caseload import CaseloadQuery, CaseloadRow, SortColumn, load_caseload
from app.ui.caseload_model import CaseloadModel
from app.ui.caseload_page import HEADER_STATE_KEY, CaseloadPage
from app.ui.session import Session

WAIT_MS = 20_000

# The offscreen platform says this whenever a top-level widget is shown; it is not our warning.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture(autouse=True)
def dutch(qapp: QApplication) -> Iterator[None]:
    before = qapp.property("veldwerk_language")
    qapp.setProperty("veldwerk_language", "nl")
    yield
    qapp.setProperty("veldwerk_language", before)


# pytest-qt's key and mouse helpers are untyped; typed wrappers keep mypy's checks on the rest.
def click(qtbot: QtBot, widget: QWidget, pos: QPoint | None = None) -> None:
    if pos is None:
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)  # type: ignore[no-untyped-call]
    else:
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)  # type: ignore[no-untyped-call]


def press(qtbot: QtBot, widget: QWidget, key: Qt.Key, modifier: Any = None) -> None:
    if modifier is None:
        qtbot.keyClick(widget, key)  # type: ignore[no-untyped-call]
    else:
        qtbot.keyClick(widget, key, modifier)  # type: ignore[no-untyped-call]


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """ASCII only: qtbot.keyClicks aborts on other characters."""
    assert text.isascii()
    qtbot.keyClicks(widget, text)  # type: ignore[no-untyped-call]


def expected(session: Session, **query: Any) -> list[CaseloadRow]:
    return load_caseload(session.store, CaseloadQuery(**query), today=DEMO_TODAY)


def ids(rows: list[CaseloadRow]) -> list[str]:
    return [r.client_id for r in rows]


def shown(page: CaseloadPage) -> list[str]:
    return ids(page.model.rows())


def wait_idle(qtbot: QtBot, page: CaseloadPage, session: Session) -> None:
    """Until nothing is queued: no debounce pending, the lane empty, the last result applied."""
    qtbot.waitUntil(
        lambda: not page._debounce.isActive() and not session.lanes.storage.busy, timeout=WAIT_MS
    )
    QApplication.processEvents()


def make_page(qtbot: QtBot, session: Session, settings: QSettings) -> CaseloadPage:
    page = CaseloadPage(session, settings=settings, today=lambda: DEMO_TODAY)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: page.queries_run >= 1, timeout=WAIT_MS)
    wait_idle(qtbot, page, session)
    return page


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "veldwerk-ui.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def page(qtbot: QtBot, session: Session, settings: QSettings) -> Iterator[CaseloadPage]:
    made = make_page(qtbot, session, settings)
    yield made
    wait_idle(qtbot, made, session)


# ------------------------------------------------------------------------------------ model


def test_model_passes_the_model_tester(qtmodeltester: Any, session: Session) -> None:
    model = CaseloadModel()
    qtmodeltester.check(model)
    rows = expected(session)
    assert rows
    model.set_rows(rows)
    qtmodeltester.check(model)
    assert model.rowCount() == len(rows) and model.columnCount() == 8
    first = model.index(0, 0)
    assert model.data(first, CaseloadModel.ClientIdRole) == rows[0].client_id
    assert model.data(first) == rows[0].sort_name
    assert model.data(model.index(0, 1)) == rows[0].masked_bsn
    assert str(model.data(model.index(0, 1))).startswith("******")
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(8)]
    assert headers == [
        "Naam",
        "BSN",
        "Dorp",
        "Regelingen",
        "Trede",
        "Laatste bezoek",
        "Termijn",
        "Volgende actie",
    ]


def test_model_shows_dates_and_overdue_in_red(session: Session) -> None:
    model = CaseloadModel()
    rows = expected(session, sort=SortColumn.NEXT_ACTION)
    model.set_rows(rows)
    next_column = CaseloadModel.column_of(SortColumn.NEXT_ACTION)
    overdue = [n for n, r in enumerate(rows) if r.overdue]
    on_time = [n for n, r in enumerate(rows) if r.next_action and not r.overdue]
    assert overdue and on_time
    late = rows[overdue[0]]
    assert late.next_action is not None
    text = model.data(model.index(overdue[0], next_column))
    assert text.startswith(late.next_action.on.strftime("%d-%m-%Y"))
    brush = model.data(model.index(overdue[0], next_column), Qt.ItemDataRole.ForegroundRole)
    assert brush.color().name() == "#b3261e"
    assert "achterstallig" in model.data(
        model.index(overdue[0], next_column), Qt.ItemDataRole.AccessibleTextRole
    )
    assert model.data(model.index(on_time[0], next_column), Qt.ItemDataRole.ForegroundRole) is None
    with_visit = next(n for n, r in enumerate(rows) if r.last_visit)
    last = model.data(model.index(with_visit, CaseloadModel.column_of(SortColumn.LAST_VISIT)))
    assert last == rows[with_visit].last_visit.strftime("%d-%m-%Y")  # type: ignore[union-attr]


def test_model_sort_only_asks(qtbot: QtBot, session: Session) -> None:
    model = CaseloadModel()
    rows = expected(session)
    model.set_rows(rows)
    village = CaseloadModel.column_of(SortColumn.VILLAGE)
    with qtbot.waitSignal(model.sort_requested) as asked:
        model.sort(village, Qt.SortOrder.DescendingOrder)
    assert asked.args == ["village", True]
    assert ids(model.rows()) == ids(rows)  # nothing moved in Python


# ------------------------------------------------------------------------------------- page


def test_page_shows_the_caseload_with_a_count(page: CaseloadPage, session: Session) -> None:
    rows = expected(session)
    assert shown(page) == ids(rows)
    assert page.count_label.text() == f"{len(rows)} cliënten"
    assert page.table.editTriggers() == page.table.EditTrigger.NoEditTriggers
    assert page.table.alternatingRowColors()


def test_typing_in_search_narrows_the_table(
    qtbot: QtBot, page: CaseloadPage, session: Session
) -> None:
    rows = expected(session)
    target = next(r for r in rows if r.sort_name.isascii() and len(r.sort_name) > 6)
    surname = target.sort_name.split(",")[0]
    before = page.queries_run
    type_text(qtbot, page.search, surname.lower())
    wait_idle(qtbot, page, session)
    found = expected(session, text=surname.lower())
    assert target.client_id in shown(page)
    assert shown(page) == ids(found) and len(found) < len(rows)
    # Debounced: fewer queries than keystrokes.
    assert page.queries_run - before < len(surname)
    assert page.count_label.text() in (f"{len(found)} cliënten", "1 cliënt")


def test_one_character_waits_for_the_second(
    qtbot: QtBot, page: CaseloadPage, session: Session
) -> None:
    rows = expected(session)
    before = page.queries_run
    type_text(qtbot, page.search, "b")
    qtbot.wait(400)  # longer than the debounce: no query was started
    assert page.queries_run == before
    assert shown(page) == ids(rows)
    type_text(qtbot, page.search, "r")
    wait_idle(qtbot, page, session)
    assert page.queries_run == before + 1
    assert shown(page) == ids(expected(session, text="br"))


def test_search_ignores_diacritics_typed_or_stored(
    qtbot: QtBot, page: CaseloadPage, session: Session
) -> None:
    zoe = session.store.create(
        Client(
            bsn=Bsn("111222333"),
            name=PersonName(surname="Berg", first_names="Zoë", prefix="van der"),
            date_of_birth=date(1990, 2, 3),
            address=Address(
                street="Dijkstraat",
                house_number=7,
                postcode=Postcode("9971 AB"),
                village="Ulrum",
                municipality="De Marne",
            ),
            caseworker=session.username,
        )
    )
    page.search.setFocus()
    type_text(qtbot, page.search, "zo")
    QTest.sendKeyEvent(
        QTest.KeyAction.Click, page.search, Qt.Key.Key_unknown, "ë", Qt.KeyboardModifier.NoModifier
    )
    assert page.search.text() == "zoë"
    wait_idle(qtbot, page, session)
    assert zoe.id in shown(page)
    assert shown(page) == ids(expected(session, text="zoe"))
    row = page.model.row_of(zoe.id)
    assert page.model.data(page.model.index(row, 0)) == "Berg, Zoë van der"


def test_escape_clears_the_search(qtbot: QtBot, page: CaseloadPage, session: Session) -> None:
    everyone = shown(page)
    type_text(qtbot, page.search, "zzqx")
    wait_idle(qtbot, page, session)
    assert shown(page) == []
    assert page.count_label.text() == "Geen cliënten gevonden"
    press(qtbot, page.search, Qt.Key.Key_Escape)
    assert page.search.text() == ""
    wait_idle(qtbot, page, session)
    assert shown(page) == everyone


def test_checkable_chips_filter(qtbot: QtBot, page: CaseloadPage, session: Session) -> None:
    everyone = shown(page)
    click(qtbot, page.overdue_chip)
    assert page.overdue_chip.isChecked()
    wait_idle(qtbot, page, session)
    overdue = expected(session, visit_overdue=True)
    assert shown(page) == ids(overdue) and 0 < len(overdue) < len(everyone)
    assert all(r.visit_overdue for r in page.model.rows())
    assert page.clear_filters.isVisible()

    click(qtbot, page.overdue_chip)
    click(qtbot, page.returned_chip)
    wait_idle(qtbot, page, session)
    assert shown(page) == ids(expected(session, intake_returned=True))

    click(qtbot, page.clear_filters)
    wait_idle(qtbot, page, session)
    assert not page.returned_chip.isChecked() and shown(page) == everyone


def test_drop_down_chips_filter(qtbot: QtBot, page: CaseloadPage, session: Session) -> None:
    qtbot.waitUntil(lambda: len(page.filter_actions("village")) > 2, timeout=WAIT_MS)
    actions = page.filter_actions("village")
    assert actions[0].text() == "Alle dorpen" and actions[0].isChecked()
    village = str(actions[1].data())
    actions[1].trigger()
    wait_idle(qtbot, page, session)
    assert shown(page) == ids(expected(session, village=village))
    assert {r.village for r in page.model.rows()} == {village}
    assert page.village_chip.text() == f"Dorp: {village}" and page.village_chip.isChecked()

    steps = page.filter_actions("ladder_step")
    step = steps[1].data()
    steps[1].trigger()
    wait_idle(qtbot, page, session)
    assert shown(page) == ids(expected(session, village=village, ladder_step=step))

    page.filter_actions("village")[0].trigger()  # "Alle dorpen"
    wait_idle(qtbot, page, session)
    assert shown(page) == ids(expected(session, ladder_step=step))
    assert page.village_chip.text() == "Dorp" and not page.village_chip.isChecked()

    schemes = page.filter_actions("scheme")
    schemes[1].trigger()
    wait_idle(qtbot, page, session)
    assert shown(page) == ids(expected(session, ladder_step=step, scheme=schemes[1].data()))


def test_header_click_sorts_in_sql(qtbot: QtBot, page: CaseloadPage, session: Session) -> None:
    header = page.table.horizontalHeader()
    column = CaseloadModel.column_of(SortColumn.VILLAGE)
    before = page.queries_run
    by_name = shown(page)
    middle = QPoint(header.sectionViewportPosition(column) + 10, header.height() // 2)
    click(qtbot, header.viewport(), middle)
    wait_idle(qtbot, page, session)
    assert page.query.sort is SortColumn.VILLAGE
    assert page.queries_run == before + 1  # the new order came from a new query
    by_village = expected(session, sort=SortColumn.VILLAGE)
    assert shown(page) == ids(by_village) != by_name
    villages = [r.village for r in page.model.rows()]
    assert villages == sorted(villages)

    click(qtbot, header.viewport(), middle)
    wait_idle(qtbot, page, session)
    assert page.query.descending and page.queries_run == before + 2
    assert shown(page) == ids(expected(session, sort=SortColumn.VILLAGE, descending=True))


def test_keyboard_search_table_and_open(qtbot: QtBot, page: CaseloadPage, session: Session) -> None:
    rows = page.model.rows()
    page.table.setFocus()
    press(qtbot, page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search.hasFocus()

    press(qtbot, page.search, Qt.Key.Key_Down)
    assert page.table.hasFocus()
    assert page.current_client_id() == rows[0].client_id
    press(qtbot, page.table, Qt.Key.Key_Down)
    press(qtbot, page.table, Qt.Key.Key_Down)
    assert page.current_client_id() == rows[2].client_id
    with qtbot.waitSignal(page.client_opened) as opened:
        press(qtbot, page.table, Qt.Key.Key_Return)
    assert opened.args == [rows[2].client_id]

    press(qtbot, page.table, Qt.Key.Key_Up)
    press(qtbot, page.table, Qt.Key.Key_Up)
    press(qtbot, page.table, Qt.Key.Key_Up)  # from the first row back to the search field
    assert page.search.hasFocus()


def test_enter_in_search_opens_the_match(
    qtbot: QtBot, page: CaseloadPage, session: Session
) -> None:
    target = page.model.rows()[5]
    bsn = session.store.get(Client, target.client_id)
    assert bsn is not None
    page.search.setFocus()
    type_text(qtbot, page.search, bsn.bsn.value)
    with qtbot.waitSignal(page.client_opened, timeout=WAIT_MS) as opened:
        press(qtbot, page.search, Qt.Key.Key_Return)  # before the pause ends: waits for it
    assert opened.args == [target.client_id]


def test_double_click_opens(qtbot: QtBot, page: CaseloadPage) -> None:
    rows = page.model.rows()
    rect = page.table.visualRect(page.model.index(1, 0))
    # A real double click is press, release, then the double-click event: the view only opens
    # the row the first press landed on.
    click(qtbot, page.table.viewport(), rect.center())
    with qtbot.waitSignal(page.client_opened) as opened:
        qtbot.mouseDClick(  # type: ignore[no-untyped-call]
            page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
        )
    assert opened.args == [rows[1].client_id]


def test_a_stale_result_is_never_shown(qtbot: QtBot, page: CaseloadPage, session: Session) -> None:
    """Two queries issued while the lane is busy: only the newer one runs and is shown."""
    gate = threading.Event()
    session.lanes.storage.submit(lambda: gate.wait(10))
    before = page.queries_run
    page.search.setText("zzqx")
    page._run_query()  # no client matches this one
    click(qtbot, page.overdue_chip)  # a second query (still with "zzqx")
    page.search.clear()
    page._run_query()  # the newest: overdue visits, no text
    gate.set()
    wait_idle(qtbot, page, session)
    assert page.queries_run == before + 1
    assert shown(page) == ids(expected(session, visit_overdue=True))


def test_refresh_keeps_the_selected_client(
    qtbot: QtBot, page: CaseloadPage, session: Session
) -> None:
    rows = page.model.rows()
    page.table.selectRow(3)
    before = page.queries_run
    page.refresh()
    qtbot.waitUntil(lambda: page.queries_run == before + 1, timeout=WAIT_MS)
    wait_idle(qtbot, page, session)
    assert page.current_client_id() == rows[3].client_id


def test_column_layout_survives_a_new_page(
    qtbot: QtBot, session: Session, settings: QSettings
) -> None:
    first = make_page(qtbot, session, settings)
    header = first.table.horizontalHeader()
    village = CaseloadModel.column_of(SortColumn.VILLAGE)
    header.resizeSection(village, 333)
    header.moveSection(header.visualIndex(village), 0)
    header.setSortIndicator(village, Qt.SortOrder.DescendingOrder)
    # Saved by itself shortly after the change.
    qtbot.waitUntil(lambda: settings.value(HEADER_STATE_KEY) is not None, timeout=WAIT_MS)
    wait_idle(qtbot, first, session)
    settings.sync()
    first.close()

    again = QSettings(settings.fileName(), QSettings.Format.IniFormat)
    second = make_page(qtbot, session, again)
    restored = second.table.horizontalHeader()
    assert restored.sectionSize(village) == 333
    assert restored.visualIndex(village) == 0
    assert restored.sortIndicatorSection() == village
    # The restored sort is the one the page queried with.
    assert second.query.sort is SortColumn.VILLAGE and second.query.descending
    assert shown(second) == ids(expected(session, sort=SortColumn.VILLAGE, descending=True))


# ---------------------------------------------------------------------------- statutory terms


def add_terms(session: Session) -> tuple[str, str]:
    """Two clients without a running term get one: a Participatiewet decision ten days overdue
    (aanvraag Friday 18 September, due Friday 13 November) and a Wmo decision with fourteen days
    left (aanvraag Saturday 21 November, due Monday 7 December)."""
    late, calm = [r.client_id for r in expected(session) if r.term is None][:2]
    for client_id, field, day in (
        (late, "pw_aanvraag_date", "2026-09-18"),
        (calm, "wmo_aanvraag_date", "2026-11-21"),
    ):
        session.store.create(
            Intake(client_id=client_id, caseworker=session.username, parts={field: day})
        )
    return late, calm


def test_model_shows_the_term_and_an_overdue_one_in_red(session: Session) -> None:
    late, calm = add_terms(session)
    model = CaseloadModel()
    rows = expected(session, sort=SortColumn.TERM)
    model.set_rows(rows)
    column = CaseloadModel.column_of(SortColumn.TERM)
    assert model.headerData(column, Qt.Orientation.Horizontal) == "Termijn"
    assert column == CaseloadModel.column_of(SortColumn.NEXT_ACTION) - 1

    def cell(client_id: str, role: Qt.ItemDataRole = Qt.ItemDataRole.DisplayRole) -> Any:
        return model.data(model.index(model.row_of(client_id), column), role)

    assert cell(late) == "10 dagen te laat"
    assert cell(late, Qt.ItemDataRole.ForegroundRole).color().name() == "#b3261e"
    tip = "Beslissing Participatiewet: 10 dagen te laat, uiterlijk 13-11-2026 (art. 4:13 Awb)"
    assert cell(late, Qt.ItemDataRole.ToolTipRole) == tip
    assert cell(late, Qt.ItemDataRole.AccessibleTextRole) == tip
    assert cell(calm) == "nog 14 dagen"
    assert cell(calm, Qt.ItemDataRole.ForegroundRole) is None
    assert "uiterlijk 07-12-2026" in cell(calm, Qt.ItemDataRole.ToolTipRole)
    empty = next(r.client_id for r in rows if r.term is None)
    assert cell(empty) == "" and cell(empty, Qt.ItemDataRole.ToolTipRole) is None
    # Sorted by days left, the most overdue first, clients without a term last.
    left = [r.term_left for r in rows]
    present = [d for d in left if d is not None]
    assert present == sorted(present) and present[0] <= -10
    assert left == present + [None] * (len(left) - len(present))


def test_term_texts_count_days(session: Session) -> None:
    model = CaseloadModel()
    row = expected(session)[0]
    texts = {}
    for left in (-2, -1, 0, 1, 2):
        model.set_rows([row._replace(term_left=left)])
        texts[left] = model.data(model.index(0, CaseloadModel.column_of(SortColumn.TERM)))
    assert texts == {
        -2: "2 dagen te laat",
        -1: "1 dag te laat",
        0: "vandaag",
        1: "nog 1 dag",
        2: "nog 2 dagen",
    }


def test_the_term_chip_and_column(qtbot: QtBot, session: Session, settings: QSettings) -> None:
    late, calm = add_terms(session)
    page = make_page(qtbot, session, settings)
    column = CaseloadModel.column_of(SortColumn.TERM)
    header = page.table.horizontalHeader()
    assert page.model.headerData(column, Qt.Orientation.Horizontal) == "Termijn"
    # The longest text fits its default width.
    metrics = page.table.fontMetrics()
    assert metrics.horizontalAdvance("12 dagen te laat") + 16 <= header.sectionSize(column)
    assert page.term_chip.text() == "Termijn loopt af"
    assert page.term_chip.toolTip().endswith("(Alt+L)")

    click(qtbot, page.term_chip)
    wait_idle(qtbot, page, session)
    due = expected(session, term_due=True)
    assert page.query.term_due and shown(page) == ids(due)
    assert late in shown(page) and calm not in shown(page)
    assert all(r.term_due for r in page.model.rows()) and page.clear_filters.isVisible()

    # Combined with another chip, and Alt+L (from the search field) takes it off again.
    click(qtbot, page.returned_chip)
    wait_idle(qtbot, page, session)
    assert shown(page) == ids(expected(session, term_due=True, intake_returned=True))
    page.activateWindow()
    page.search.setFocus()
    qtbot.waitUntil(page.search.hasFocus)
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        press(qtbot, page.search, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
    assert not page.term_chip.isChecked() and not page.query.term_due
    assert shown(page) == ids(expected(session, intake_returned=True))
    click(qtbot, page.clear_filters)
    wait_idle(qtbot, page, session)

    # A click on the header sorts on the term, in SQL.
    middle = QPoint(header.sectionViewportPosition(column) + 10, header.height() // 2)
    click(qtbot, header.viewport(), middle)
    wait_idle(qtbot, page, session)
    assert page.query.sort is SortColumn.TERM
    assert shown(page) == ids(expected(session, sort=SortColumn.TERM))
    first = page.model.rows()[0]
    assert first.term_left is not None and first.term_left <= -10
    assert page.model.data(page.model.index(0, column), Qt.ItemDataRole.ForegroundRole) is not None


def test_the_chips_wrap_on_a_narrow_page(qtbot: QtBot, page: CaseloadPage) -> None:
    chips = [
        page.municipality_chip,
        page.village_chip,
        page.scheme_chip,
        page.ladder_chip,
        page.overdue_chip,
        page.returned_chip,
        page.term_chip,
    ]
    # A row of chips never makes the page (and the window) wider than its widest chip.
    assert page.minimumSizeHint().width() < sum(c.sizeHint().width() for c in chips)
    page.resize(520, 700)
    qtbot.waitUntil(lambda: max(c.geometry().right() for c in chips) < page.width())
    assert len({c.geometry().top() for c in chips}) >= 2
    for one, other in zip(chips, chips[1:], strict=False):
        assert not one.geometry().intersects(other.geometry())
    assert min(c.geometry().top() for c in chips) > page.search.geometry().bottom()
    assert page.records.geometry().top() > max(c.geometry().bottom() for c in chips)
    page.resize(1100, 700)
    qtbot.waitUntil(lambda: len({c.geometry().top() for c in chips}) == 1)
