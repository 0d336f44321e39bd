"""The Beoordelen queue (team leads): the model through Qt's model tester, the page oldest
first, Enter to open an intake, the empty state, and redrawing from the change bus.

The store is an empty team lead's profile filled as a sync fills it (see test_review_screen).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.domain.changes import SYNC, Changes
from app.domain.clocks import Clock, ClockKind, describe
from app.domain.formatting import date_text
from app.domain.intake_fields import IntakeSection
from app.domain.reference import Scheme
from app.services.review import QueueItem
from app.ui.review.queue_model import CLOCK, QueueModel
from app.ui.review.queue_page import ReviewQueuePage
from app.ui.session import Session
from app.ui.theme import colours
from tests.ui.test_review_screen import (
    CASEWORKER,
    TIMEOUT,
    days_ago,
    enrollment,
    lead,
    make_client,
    press,
    round_two,
    shown_active,
    submitted,
    synced,
    thread,
)

__all__ = ["lead"]  # the fixture, shared with test_review_screen

# The offscreen platform says this whenever a top-level widget is shown; it is not our warning.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

EMPTY = (
    "Er wachten geen intakes op beoordeling. Nieuwe intakes komen binnen bij het synchroniseren."
)


def _queue(session: Session) -> dict[str, str]:
    """Three intakes waiting 12, 5 and 1 days; the oldest has an overdue Wmo clock, the newest
    is its second round with one open thread. Their intake ids by surname."""
    store = session.store
    vries = make_client("Vries", "Bedum", "9781 AB", prefix="de")
    smit = make_client("Smit", "Leens", "9965 AA")
    bakker = make_client("Bakker", "Winsum", "9951 AA")
    melding = (date.today() - timedelta(days=60)).isoformat()
    oldest = submitted(vries, days=12, parts={"wmo_melding_date": melding})
    middle = submitted(smit, days=5)
    newest = submitted(bakker, days=1, round_=2)
    synced(
        store,
        [
            vries,
            smit,
            bakker,
            enrollment(vries, Scheme.WMO),
            enrollment(smit, Scheme.PARTICIPATIEWET),
            enrollment(bakker, Scheme.PARTICIPATIEWET),
            # Listed newest first: the queue puts them in order itself.
            newest,
            middle,
            oldest,
        ],
    )
    synced(store, [thread(newest, IntakeSection.BARRIERS, "Welke schulden?", days=1, round_=2)])
    return {"Vries": oldest.id, "Smit": middle.id, "Bakker": newest.id}


def _loaded_page(qtbot: QtBot, session: Session) -> ReviewQueuePage:
    page = ReviewQueuePage(session)
    shown_active(qtbot, page)
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        page.refresh()
    return page


def _texts(model: QueueModel, row: int) -> list[str]:
    return [str(model.data(model.index(row, c))) for c in range(model.columnCount())]


def test_the_model_passes_qt_model_tester(qtmodeltester: ModelTester) -> None:
    melding = date.today() - timedelta(days=60)
    items = [
        QueueItem(
            intake_id=f"intake-{n}",
            client_id=f"client-{n}",
            client_name=f"Anna {name}",
            sort_name=f"{name}, A.",
            village="Bedum",
            caseworker=CASEWORKER,
            submitted_at=days_ago(days),
            waiting_days=days,
            round=1,
            open_threads=n,
            clock=Clock.of(ClockKind.WMO_ONDERZOEK, melding) if n == 0 else None,
        )
        for n, (name, days) in enumerate((("Vries", 12), ("Smit", 1)))
    ]
    model = QueueModel()
    model.set_items(items)
    qtmodeltester.check(model)  # type: ignore[no-untyped-call]
    assert model.rowCount() == 2
    assert model.columnCount() == 8
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.data(QModelIndex()) is None
    assert model.data(model.index(0, 0), QueueModel.IntakeIdRole) == "intake-0"
    assert model.data(model.index(1, 0), QueueModel.ClientIdRole) == "client-1"
    assert model.data(model.index(1, 4)) == "1 dag"
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole) == "Anna Vries"
    model.set_items([])
    qtmodeltester.check(model)  # type: ignore[no-untyped-call]


def test_the_queue_oldest_first_with_waiting_time_and_clock(
    qtbot: QtBot, qtmodeltester: ModelTester, lead: Session
) -> None:
    ids = _queue(lead)
    page = _loaded_page(qtbot, lead)
    model = page.model
    qtmodeltester.check(model)  # type: ignore[no-untyped-call]

    assert page.title.text() == "Beoordelen"
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(8)] == [
        "Cliënt",
        "Woonplaats",
        "Klantmanager",
        "Ingediend",
        "Wacht",
        "Ronde",
        "Termijn",
        "Open opmerkingen",
    ]
    assert [model.data(model.index(r, 0), QueueModel.IntakeIdRole) for r in range(3)] == [
        ids["Vries"],
        ids["Smit"],
        ids["Bakker"],
    ]
    clock = Clock.of(ClockKind.WMO_ONDERZOEK, date.today() - timedelta(days=60))
    today = date.today()
    assert _texts(model, 0) == [
        "Vries, A. de",
        "Bedum",
        CASEWORKER,
        date_text(days_ago(12)),
        "12 dagen",
        "1",
        describe(clock, today, "nl"),
        "0",
    ]
    assert _texts(model, 1)[4:] == ["5 dagen", "1", "", "0"]
    assert _texts(model, 2)[4:] == ["1 dag", "2", "", "1"]

    # The overdue clock is red; nothing else is.
    red = model.data(model.index(0, CLOCK), Qt.ItemDataRole.ForegroundRole)
    assert isinstance(red, QBrush)
    assert red.color() == QColor(colours().overdue)
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ForegroundRole) is None
    tip = model.data(model.index(0, CLOCK), Qt.ItemDataRole.ToolTipRole)
    assert isinstance(tip, str) and "uiterlijk" in tip

    # The first row is selected; Down and Enter open the second.
    assert page.table.currentIndex().row() == 0
    opened: list[tuple[str, str]] = []
    page.review_requested.connect(lambda client, intake: opened.append((client, intake)))
    page.table.setFocus()
    press(qtbot, page.table, Qt.Key.Key_Down)
    with qtbot.waitSignal(page.review.loaded, timeout=TIMEOUT):
        press(qtbot, page.table, Qt.Key.Key_Return)
    assert page.is_reviewing()
    assert [intake for _client, intake in opened] == [ids["Smit"]]
    assert page.review.intake_id == ids["Smit"]
    assert page.review.name_label.text() == "Anna Smit"


def test_a_double_click_opens_the_review(qtbot: QtBot, lead: Session) -> None:
    ids = _queue(lead)
    page = _loaded_page(qtbot, lead)
    rect = page.table.visualRect(page.model.index(2, 0))
    # Qt's test double click is a click and then a double click, as a hand makes it.
    qtbot.mouseClick(  # type: ignore[no-untyped-call]
        page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
    )
    with qtbot.waitSignal(page.review.loaded, timeout=TIMEOUT):
        qtbot.mouseDClick(  # type: ignore[no-untyped-call]
            page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
        )
    assert page.review.intake_id == ids["Bakker"]


def test_an_empty_queue_says_so(qtbot: QtBot, lead: Session) -> None:
    page = _loaded_page(qtbot, lead)
    assert page.model.rowCount() == 0
    assert page.records.currentWidget() is page.records.empty_label
    assert page.records.empty_label.text() == EMPTY
    # Enter on an empty queue opens nothing.
    page.open_current()
    assert not page.is_reviewing()


def test_the_queue_redraws_when_a_sync_brings_intakes(qtbot: QtBot, lead: Session) -> None:
    page = _loaded_page(qtbot, lead)
    assert page.model.rowCount() == 0
    data = round_two(lead.store)

    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT) as loaded:
        lead.bus.publish(Changes.for_clients({SYNC, "intake"}, None))

    assert loaded.args == [1]
    assert page.records.currentWidget() is page.table
    assert page.model.data(page.model.index(0, 0), QueueModel.IntakeIdRole) == data.intake.id
    # A change that is not the queue's does not read it again.
    reads: list[int] = []
    page.loaded.connect(reads.append)
    lead.bus.publish(Changes.of("note", client_id=data.client.id))
    qtbot.wait(200)
    assert reads == []


def test_a_hidden_queue_reads_again_when_shown(qtbot: QtBot, lead: Session) -> None:
    page = _loaded_page(qtbot, lead)
    page.hide()
    data = round_two(lead.store)
    lead.bus.publish(Changes.for_clients({SYNC}, None))
    assert page.model.rowCount() == 0  # hidden: nothing read yet
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        page.show()
    assert page.model.row_of(data.intake.id) == 0
