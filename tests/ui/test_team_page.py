"""The Team screen (team leads), driven through its real widgets over a stubbed service: the team
service is replaced where the team verbs call it, so the page's loading, offline handling and
marking run on the real lanes and change bus without a server (tests/services/test_team_service.py
covers the service against one)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

import pytest
from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QTableView
from pytestqt.qtbot import QtBot

from app.domain.formatting import moment_text
from app.services import team as team_service
from app.services.team import (
    ChangedField,
    FigureTable,
    MemberFigures,
    OrphanedChange,
    SyncError,
    TeamOverview,
)
from app.ui import i18n
from app.ui.session import Session
from app.ui.shortcuts_dialog import shortcut_rows
from app.ui.team_bars import TeamBars
from app.ui.team_figures_model import ROWS, TeamFiguresTableModel
from app.ui.team_model import OrphanListModel, TeamColumn, TeamTableModel
from app.ui.team_page import TeamPage
from app.ui.theme import colours

TIMEOUT = 10_000
FETCHED = datetime(2026, 3, 12, 13, 5, tzinfo=UTC)
# The page's share of a 1366×768 window: less the navigation column (at most 200 pixels in
# either language) and the status bar. At 150% the same screen has two thirds of it.
PAGE = QSize(1366 - 200, 768 - 40)
PAGE_150 = QSize(int(1366 / 1.5) - 200, int((768 - 48) / 1.5) - 40)

# The offscreen platform says this whenever a top-level widget is shown; it is not our warning.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def member(username: str, **counts: Any) -> MemberFigures:
    figures: dict[str, Any] = {
        "username": username,
        "clients": 12,
        "intakes_waiting": 0,
        "intakes_returned": 0,
        "approved_this_month": 0,
        "clocks_due_soon": 0,
        "clocks_overdue": 0,
        "devices": 1,
        "devices_not_synced_3_days": 0,
        "devices_not_synced_14_days": 0,
        "last_contact": FETCHED,
        "open_conflicts": 0,
        "orphaned_changes": 0,
    }
    figures.update(counts)
    return MemberFigures(**figures)


OVERVIEW = TeamOverview(
    team="Team Hogeland-Noord",
    members=(
        member(
            "k.dijkstra",
            intakes_waiting=2,
            intakes_returned=1,
            approved_this_month=3,
            clocks_due_soon=1,
            clocks_overdue=2,
            devices_not_synced_3_days=1,
            open_conflicts=4,
            orphaned_changes=1,
        ),
        member("m.bakker", intakes_waiting=1, orphaned_changes=1),
    ),
    fetched_at=FETCHED,
)


def _figure(name: str, columns: tuple[str, ...], *rows: tuple[Any, ...]) -> FigureTable:
    return FigureTable(name, ("period", "area", *columns), tuple(rows), 0, 0)


TEAM = "Team Hogeland-Noord"
FIGURES = (
    _figure(
        "clients_per_scheme",
        ("scheme", "clients", "new_clients", "gone_clients"),
        ("2026-H2", TEAM, "all", 120, 15, None),
        ("2026-H1", TEAM, "all", 110, None, None),
    ),
    _figure(
        "ladder_movement",
        ("up", "same", "down", "share_target_reached"),
        ("2026-H2", TEAM, 20, 35, 10, 41),
        ("2026-H1", TEAM, None, 30, None, None),
    ),
    _figure("seen_at_home", ("share_seen",), ("2026-H2", TEAM, 52), ("2026-H1", TEAM, 55)),
)
WITH_FIGURES = replace(
    OVERVIEW,
    period="2026-H2",
    previous_period="2026-H1",
    counted_until=date(2026, 12, 3),
    figures=FIGURES,
)

ENROLLMENT = OrphanedChange(
    id=7,
    created_at=datetime(2026, 3, 12, 9, 30, tzinfo=UTC),
    handled_at=None,
    sent_by="k.dijkstra",
    entity="enrollment",
    entity_label="Regeling",
    op="update",
    record_id="r-7",
    client_id="c-1",
    client_name="T. Proefpersoon1",
    current_caseworker="m.bakker",
    values_shown=True,
    fields=(
        ChangedField("scheme", "Regeling", "Wmo"),
        ChangedField("end_date", "Einddatum", "31-01-2026"),
    ),
)
NOTE = OrphanedChange(
    id=5,
    created_at=datetime(2026, 3, 11, 8, 0, tzinfo=UTC),
    handled_at=None,
    sent_by="j.dekker",
    entity="note",
    entity_label="Notitie",
    op="create",
    record_id="r-5",
    client_id="c-0",
    client_name="T. Proefpersoon0",
    current_caseworker="k.dijkstra",
    values_shown=False,
    fields=(ChangedField("text", "Tekst", None), ChangedField("author", "Auteur", None)),
)


@dataclass
class FakeServer:
    """What the team service would answer; marking works on its list."""

    overview: TeamOverview = OVERVIEW
    changes: list[OrphanedChange] = field(default_factory=lambda: [ENROLLMENT, NOTE])
    offline: bool = False
    gate: threading.Event | None = None  # a load waits for it when set
    loads: int = 0
    marked: list[int] = field(default_factory=list)

    def _check(self) -> None:
        if self.gate is not None:
            self.gate.wait(TIMEOUT / 1000)
        if self.offline:
            raise SyncError(
                "server_unreachable",
                "De centrale server is niet bereikbaar. Uw wijzigingen blijven bewaard.",
                "The central office server cannot be reached. Your changes are kept.",
            )

    def team_overview(self, _store: Any, **_kwargs: Any) -> TeamOverview:
        self.loads += 1
        self._check()
        return self.overview

    def orphaned_changes(self, _store: Any, **_kwargs: Any) -> tuple[OrphanedChange, ...]:
        self._check()
        return tuple(sorted(self.changes, key=lambda c: c.handled))

    def mark_orphan_handled(self, _store: Any, *, change_id: int, **_kwargs: Any) -> None:
        self._check()
        self.marked.append(change_id)
        self.changes = [
            replace(c, handled_at=datetime.now(UTC)) if c.id == change_id else c
            for c in self.changes
        ]


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> FakeServer:
    fake = FakeServer()
    for name in ("team_overview", "orphaned_changes", "mark_orphan_handled"):
        # The verbs look the functions up on the service module when they run.
        monkeypatch.setattr(team_service, name, getattr(fake, name))
    return fake


@pytest.fixture
def page(qtbot: QtBot, team_lead_session: Session) -> Iterator[TeamPage]:
    widget = TeamPage(team_lead_session)
    qtbot.addWidget(widget)
    widget.resize(PAGE)
    widget.show()
    widget.activateWindow()
    assert QTest.qWaitForWindowActive(widget)
    yield widget


def load(qtbot: QtBot, page: TeamPage) -> None:
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        page.refresh()


def press(
    qtbot: QtBot, widget: Any, key: Qt.Key, modifier: Any = Qt.KeyboardModifier.NoModifier
) -> None:
    qtbot.keyClick(widget, key, modifier)  # type: ignore[no-untyped-call]


def answer_question(accept: bool) -> list[str]:
    """Answer the next confirmation box when it shows; returns its texts once answered."""
    seen: list[str] = []

    def look() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, look)
            return
        seen.extend([box.windowTitle(), box.text(), box.informativeText()])
        wanted = "Markeren als afgehandeld" if accept else "Annuleren"
        button = next(b for b in box.findChildren(QPushButton) if b.text() == wanted)
        button.click()

    QTimer.singleShot(0, look)
    return seen


# ------------------------------------------------------------------------------ models


def test_table_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    model = TeamTableModel()
    model.set_members(OVERVIEW.members)
    qtmodeltester.check(model)
    assert model.rowCount() == 2 and model.columnCount() == 9
    headers = [
        model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.AccessibleTextRole)
        for c in range(model.columnCount())
    ]
    assert headers == [
        "Klantmanager",
        "Wacht op beoordeling",
        "Teruggestuurd",
        "Goedgekeurd deze maand",
        "Termijn bijna verlopen",
        "Termijn verlopen",
        "Apparaten > 3 dagen niet gesynchroniseerd",
        "Open conflicten",
        "Verweesde wijzigingen",
    ]
    overdue = model.column_of(TeamColumn.OVERDUE)
    red = model.data(model.index(0, overdue), Qt.ItemDataRole.ForegroundRole)
    assert red.color() == QColor(colours().overdue)
    # No red where nothing is overdue, nor in any other column.
    assert model.data(model.index(1, overdue), Qt.ItemDataRole.ForegroundRole) is None
    due = model.column_of(TeamColumn.DUE_SOON)
    assert model.data(model.index(0, due), Qt.ItemDataRole.ForegroundRole) is None
    model.set_members([])
    qtmodeltester.check(model)


def test_team_figures_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    model = TeamFiguresTableModel()
    qtmodeltester.check(model)
    assert model.rowCount() == 0  # an older server sent no figures
    model.set_overview(WITH_FIGURES)
    qtmodeltester.check(model)
    assert model.rowCount() == len(ROWS) and model.columnCount() == 4
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)]
    assert headers == ["Cijfer", "2026-H2", "2026-H1", "Wat telt mee"]
    assert model.counted_text() == "2026-H2 t/m 03-12-2026"
    cells = {
        model.index(r, 0).data(): (model.index(r, 1).data(), model.index(r, 2).data())
        for r in range(4)
    }
    assert cells == {
        "Cliënten in zorg": ("120", "110"),
        "Instroom": ("15", "x"),
        "Uitstroom": ("x", "x"),
        "Trede omhoog": ("20", "x"),
    }
    target = next(r for r, row in enumerate(ROWS) if row.column == "share_target_reached")
    assert model.index(target, 1).data() == "41%"
    # Withheld: an "x" that says why, also to a screen reader; a published one has no tooltip.
    tip = model.data(model.index(2, 1), Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Weggelaten: minder dan 10")
    assert model.data(model.index(0, 1), Qt.ItemDataRole.ToolTipRole) is None
    spoken = model.data(model.index(2, 1), Qt.ItemDataRole.AccessibleTextRole)
    assert spoken == "Uitstroom, 2026-H2 t/m 03-12-2026: weggelaten"
    # An "x" in the muted grey; a published number in the table's own text colour.
    muted = model.data(model.index(2, 1), Qt.ItemDataRole.ForegroundRole)
    assert muted.color() == QColor(colours().muted)
    assert model.data(model.index(0, 1), Qt.ItemDataRole.ForegroundRole) is None
    # A withheld percentage says that its counts were withheld, not that it is below 10.
    assert model.index(target, 2).data() == "x"
    share_tip = model.data(model.index(target, 2), Qt.ItemDataRole.ToolTipRole)
    assert share_tip.startswith("Weggelaten: het percentage rust op aantallen")
    # Each figure says what it counts; the line is also the caption's tooltip, whole.
    about = model.index(2, TeamFiguresTableModel.ABOUT).data()
    assert about == "In zorg in deze periode, niet meer in de volgende of na de peildatum"
    assert model.data(model.index(2, 0), Qt.ItemDataRole.ToolTipRole) == f"Uitstroom: {about}"
    abouts = [model.index(r, TeamFiguresTableModel.ABOUT).data() for r in range(len(ROWS))]
    assert all(abouts)
    # A table the server did not send (older server, other figures): withheld-looking, no crash.
    plans = next(r for r, row in enumerate(ROWS) if row.table == "client_plans")
    assert model.index(plans, 1).data() == "x"


def test_orphan_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    model = OrphanListModel()
    model.set_changes([ENROLLMENT, replace(NOTE, handled_at=FETCHED)])
    qtmodeltester.check(model)
    first = model.data(model.index(0, 0))
    assert "k.dijkstra" in first and "T. Proefpersoon1" in first
    assert "Regeling (gewijzigd): Regeling, Einddatum" in first
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole) == (
        "Regeling: Wmo\nEinddatum: 31-01-2026"
    )
    assert model.data(model.index(1, 0)).endswith("(afgehandeld)")
    assert model.data(model.index(1, 0), Qt.ItemDataRole.ToolTipRole) == "Tekst\nAuteur"
    assert model.open_count() == 1


# ---------------------------------------------------------------------------- the page


def test_page_shows_the_figures_and_the_late_edits(
    qtbot: QtBot, page: TeamPage, server: FakeServer
) -> None:
    assert not page.body.isVisible()  # nothing to show before the first answer
    load(qtbot, page)

    assert page.body.isVisible() and not page.offline_label.isVisible()
    assert page.subtitle.text() == f"Team Hogeland-Noord · opgehaald {moment_text(FETCHED)}"
    model = page.table.model()
    cells = [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]
    assert cells == [
        ["k.dijkstra", "2", "1", "3", "1", "2", "1", "4", "1"],
        ["m.bakker", "1", "0", "0", "0", "0", "0", "0", "1"],
    ]
    assert page.bars.bars[0].total == 6

    orphans = page.orphan_view.model()
    assert orphans.rowCount() == 2
    assert page.selected_change() == ENROLLMENT
    detail = page.detail_label.text()
    assert "Verstuurd door: k.dijkstra" in detail
    assert "Cliënt: T. Proefpersoon1" in detail and "Klantmanager nu: m.bakker" in detail
    assert "Regeling: Wmo" in detail and "Einddatum: 31-01-2026" in detail
    assert page.mark_button.isEnabled()
    page.orphan_view.setCurrentIndex(orphans.index(1, 0))
    detail = page.detail_label.text()
    assert "Soort gegevens: Notitie (nieuw)" in detail
    assert "worden aan teamleiders niet getoond" in detail
    assert "Tekst" in detail and "Tekst:" not in detail


def test_page_shows_the_teams_council_figures(
    qtbot: QtBot, page: TeamPage, server: FakeServer
) -> None:
    server.overview = WITH_FIGURES
    load(qtbot, page)
    # The figures have a tab of their own, behind the caseworkers.
    assert page.tabs.currentIndex() == page.WORKLOAD
    assert not page.team_figures_table.isVisible()
    assert page.tabs.tabText(page.FIGURES) == "Cijfers van het team"
    assert page.tabs.tabToolTip(page.FIGURES) == "Cijfers van het team (Ctrl+2)"
    assert page.tabs.tabText(page.WORKLOAD) == "Werkverdeling"
    assert page.tabs.tabToolTip(page.WORKLOAD) == "Werkverdeling (Ctrl+1)"
    qtbot.mouseClick(  # type: ignore[no-untyped-call]
        page.tabs.tabBar(),
        Qt.MouseButton.LeftButton,
        pos=page.tabs.tabBar().tabRect(page.FIGURES).center(),
    )
    assert page.team_figures_table.isVisible() and not page.table.isVisible()
    assert page.team_figures_records.currentWidget() is page.team_figures_table
    model = page.team_figures_table.model()
    assert model.index(0, 0).data() == "Cliënten in zorg"
    assert model.index(0, 1).data() == "120"
    assert page.team_figures_counted.text() == "Geteld: 2026-H2 t/m 03-12-2026, naast 2026-H1."
    # What an "x" means stands right under the table, not only in a tooltip.
    note = page.team_figures_note
    assert note.isVisible() and note.text().startswith("x = weggelaten.")
    assert "kleiner dan 10" in note.text() and "afgerond op 5" in note.text()
    table_bottom = page.team_figures_records.mapTo(
        page, page.team_figures_records.rect().bottomLeft()
    )
    assert 0 < note.mapTo(page, note.rect().topLeft()).y() - table_bottom.y() <= 2 * 8
    assert page.team_figures_table.accessibleDescription() == note.text()


def test_without_council_figures_the_page_says_so(
    qtbot: QtBot, page: TeamPage, server: FakeServer
) -> None:
    load(qtbot, page)  # OVERVIEW: an older server's answer
    page.show_tab(page.FIGURES)
    assert page.team_figures_records.currentWidget() is page.team_figures_records.empty_label
    assert page.team_figures_records.empty_label.isVisible()
    assert "geen cijfers van het team" in page.team_figures_records.empty_label.text()
    assert page.team_figures_counted.text() == ""
    # With no table the keyboard waits on the tab bar, from where Ctrl+Tab goes on.
    assert QApplication.focusWidget() is page.tabs.tabBar()


def test_offline_says_where_the_figures_come_from(
    qtbot: QtBot, page: TeamPage, server: FakeServer
) -> None:
    server.offline = True
    load(qtbot, page)
    message = "Het teamoverzicht komt van de centrale server. Maak verbinding en kies Vernieuwen."
    assert page.offline and page.offline_label.isVisible()
    assert page.offline_label.text() == message
    assert not page.body.isVisible()
    assert not page.error_label.isVisible()

    server.offline = False
    load(qtbot, page)
    assert not page.offline_label.isVisible() and page.body.isVisible()

    server.offline = True
    load(qtbot, page)
    # What was fetched stays on screen, with when it was fetched.
    assert page.offline_label.text() == f"{message} Laatst opgehaald: {moment_text(FETCHED)}."
    assert page.body.isVisible() and page.table.model().rowCount() == 2
    assert page.last_loaded() == FETCHED


def test_a_refusal_is_shown_as_an_error(
    qtbot: QtBot, page: TeamPage, server: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(_store: Any, **_kwargs: Any) -> TeamOverview:
        raise SyncError("forbidden", "De server weigerde het verzoek (forbidden).", "Refused.")

    monkeypatch.setattr(team_service, "team_overview", refuse)
    load(qtbot, page)
    assert page.error_label.isVisible()
    assert page.error_label.text() == "De server weigerde het verzoek (forbidden)."
    assert not page.offline_label.isVisible()
    assert not page.body.isVisible()


def test_mark_a_late_edit_handled_by_keyboard(
    qtbot: QtBot, page: TeamPage, server: FakeServer
) -> None:
    load(qtbot, page)
    page.orphan_view.setFocus()
    page.orphan_view.setCurrentIndex(page.orphan_view.model().index(0, 0))
    assert page.mark_button.toolTip() == "Markeren als afgehandeld (Ctrl+Return)"

    # Ctrl+Enter, and the confirmation declined: nothing is sent.
    seen = answer_question(accept=False)
    press(qtbot, page.orphan_view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert seen and seen[0] == "Markeren als afgehandeld"
    assert "k.dijkstra" in seen[1] and "T. Proefpersoon1" in seen[1]
    assert "niet toegepast" in seen[2]
    assert server.marked == []
    # Back from the box (the offscreen platform does not hand activation back by itself).
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.orphan_view, timeout=TIMEOUT)

    # Enter, and the confirmation accepted: marked, then the page reads the server again.
    seen = answer_question(accept=True)
    with (
        qtbot.waitSignal(page.marked, timeout=TIMEOUT) as marked,
        qtbot.waitSignal(page.loaded, timeout=TIMEOUT),
    ):
        press(qtbot, page.orphan_view, Qt.Key.Key_Return)
    assert seen and marked.args == [ENROLLMENT.id]
    assert server.marked == [ENROLLMENT.id]
    assert page.notice_label.text() == "Gemarkeerd als afgehandeld."
    # The handled one stays selected, says so, and cannot be marked again.
    selected = page.selected_change()
    assert selected is not None and selected.id == ENROLLMENT.id and selected.handled
    assert "Afgehandeld op" in page.detail_label.text()
    assert not page.mark_button.isEnabled()
    assert page.orphan_view.model().index(0, 0).data().startswith(moment_text(NOTE.created_at))


def test_f5_on_the_page_reloads(qtbot: QtBot, page: TeamPage, server: FakeServer) -> None:
    load(qtbot, page)
    assert server.loads == 1
    page.table.setFocus()
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        press(qtbot, page.table, Qt.Key.Key_F5)
    assert server.loads == 2
    assert page.refresh_button.toolTip() == "Vernieuwen (F5)"


def test_a_slow_load_shows_progress(qtbot: QtBot, page: TeamPage, server: FakeServer) -> None:
    server.gate = threading.Event()
    page.progress_after_ms = 50
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        page.refresh()
        qtbot.waitUntil(page.progress_bar.isVisible, timeout=TIMEOUT)
        assert page.progress_label.text() == "Teamoverzicht ophalen…"
        server.gate.set()
    assert not page.progress_bar.isVisible()


def test_a_fast_load_shows_no_progress(qtbot: QtBot, page: TeamPage, server: FakeServer) -> None:
    seen: list[bool] = []
    page.loaded.connect(lambda: seen.append(page.progress_bar.isVisible()))
    load(qtbot, page)
    assert seen == [False]


# ------------------------------------------------------------------------ tabs and keys


def test_the_keyboard_goes_between_the_tabs(
    qtbot: QtBot, page: TeamPage, server: FakeServer
) -> None:
    server.overview = WITH_FIGURES
    load(qtbot, page)
    page.table.setFocus()

    # Ctrl+2 from the caseworkers' table: the figures, with the keyboard in their table.
    press(qtbot, page.table, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert page.tabs.currentIndex() == page.FIGURES
    assert QApplication.focusWidget() is page.team_figures_table
    # Ctrl+1 back, into the caseworkers' table.
    press(qtbot, page.team_figures_table, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert page.tabs.currentIndex() == page.WORKLOAD
    assert QApplication.focusWidget() is page.table

    # Ctrl+Tab and Ctrl+Shift+Tab from inside a tab, as in any tabbed window.
    press(qtbot, page.table, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert page.tabs.currentIndex() == page.FIGURES
    assert QApplication.focusWidget() is page.team_figures_table
    press(
        qtbot,
        page.team_figures_table,
        Qt.Key.Key_Backtab,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert page.tabs.currentIndex() == page.WORKLOAD
    assert QApplication.focusWidget() is page.table

    # The late edits keep their Alt+W on their tab, and F5 reloads from the figures too.
    press(qtbot, page.table, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is page.orphan_view
    page.show_tab(page.FIGURES)
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        press(qtbot, page.team_figures_table, Qt.Key.Key_F5)
    assert server.loads == 2
    # A reload keeps the tab the user is on.
    assert page.tabs.currentIndex() == page.FIGURES


def test_the_tabs_are_in_the_list_of_shortcuts(page: TeamPage) -> None:
    rows = shortcut_rows(page)
    assert ("Ctrl+1", "Werkverdeling") in rows
    assert ("Ctrl+2", "Cijfers van het team") in rows
    assert ("Ctrl+Tab / Ctrl+PgDown", "Volgende tab") in rows
    assert ("Ctrl+Shift+Tab / Ctrl+PgUp", "Vorige tab") in rows


# --------------------------------------------------------------------- fit at 1366×768


def _cut_columns(table: QTableView) -> list[str]:
    """The columns narrower than their widest cell or their header: those that are elided."""
    header = table.horizontalHeader()
    model = table.model()
    return [
        str(model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.AccessibleTextRole))
        for c in range(model.columnCount())
        if header.sectionSize(c) < max(header.sectionSizeHint(c), table.sizeHintForColumn(c))
    ]


def _scrolls_sideways(table: QTableView) -> bool:
    bar = table.horizontalScrollBar()
    return bar.isVisible() or bar.maximum() > 0


# A team with a long name among them, every count in two digits.
BIG_TEAM = replace(
    WITH_FIGURES,
    members=tuple(
        member(
            name,
            intakes_waiting=12,
            intakes_returned=10,
            approved_this_month=25,
            clocks_due_soon=11,
            clocks_overdue=10,
            devices_not_synced_3_days=10,
            open_conflicts=14,
            orphaned_changes=13,
        )
        for name in ("a.van.der.heide-kuipers", "k.dijkstra", "m.bakker", "j.de.vries", "t.smit")
    ),
)


@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    before = qapp.property(i18n.LANGUAGE_PROPERTY)
    assert i18n.install_translators(qapp, "en") == "en"
    yield
    i18n.remove_translators(qapp)
    qapp.setProperty(i18n.LANGUAGE_PROPERTY, before)


def settle(qtbot: QtBot) -> None:
    """Let the views finish their delayed layout (scroll bars follow a posted event)."""
    for _ in range(5):
        QApplication.processEvents()
        qtbot.wait(10)


def _check_fit(qtbot: QtBot, page: TeamPage) -> None:
    """At the page's share of a 1366×768 window: the caseworkers' table without a sideways
    scroll bar and no column cut short, the names' column taking what is left; every figure
    whole, all of them in view."""
    settle(qtbot)
    table = page.table
    assert table.model().rowCount() == 5
    assert not _scrolls_sideways(table)
    assert _cut_columns(table) == []
    assert table.horizontalHeader().length() == table.viewport().width()
    # All five caseworkers in view, and the bars right under them.
    assert table.verticalScrollBar().maximum() == 0
    assert page.bars.isVisible() and page.orphan_view.isVisible()

    page.show_tab(page.FIGURES)
    settle(qtbot)
    figures = page.team_figures_table
    assert not _scrolls_sideways(figures)
    assert _cut_columns(figures) == []  # "Beslissing Participatiewet binnen termijn" whole
    assert figures.verticalScrollBar().maximum() == 0  # every figure without scrolling
    assert page.team_figures_note.isVisible()


def test_dutch_fits_1366x768_without_sideways_scrolling(
    qtbot: QtBot, page: TeamPage, server: FakeServer
) -> None:
    server.overview = BIG_TEAM
    load(qtbot, page)
    assert page.table.model().headerData(0, Qt.Orientation.Horizontal) == "Klantmanager"
    _check_fit(qtbot, page)


def test_english_fits_1366x768_without_sideways_scrolling(
    qtbot: QtBot, english: None, team_lead_session: Session, server: FakeServer
) -> None:
    server.overview = BIG_TEAM
    page = TeamPage(team_lead_session)  # made in English, as after a restart in English
    qtbot.addWidget(page)
    page.resize(PAGE)
    page.show()
    load(qtbot, page)
    assert page.tabs.tabText(page.FIGURES) == "Team figures"
    assert page.table.model().headerData(0, Qt.Orientation.Horizontal) == "Caseworker"
    _check_fit(qtbot, page)


def test_at_150_percent_names_and_figures_stay_whole(
    qtbot: QtBot, page: TeamPage, server: FakeServer
) -> None:
    """On a 1366×768 laptop at 150% the page has two thirds of the room: the numbers may
    scroll sideways, but no name, header or figure is cut short."""
    server.overview = BIG_TEAM
    page.resize(PAGE_150)
    load(qtbot, page)
    settle(qtbot)
    assert _cut_columns(page.table) == []
    page.show_tab(page.FIGURES)
    settle(qtbot)
    figures = page.team_figures_table
    header = figures.horizontalHeader()
    caption = TeamFiguresTableModel.CAPTION
    assert header.sectionSize(caption) >= figures.sizeHintForColumn(caption)
    # Only "Wat telt mee" gives way, and its whole line is in the caption's tooltip.
    assert _cut_columns(figures) in ([], ["Wat telt mee"])
    assert not _scrolls_sideways(figures)


# ------------------------------------------------------------------------------- bars


def test_bars_describe_their_numbers(qtbot: QtBot) -> None:
    bars = TeamBars()
    qtbot.addWidget(bars)
    assert bars.accessibleDescription() == "Nog geen klantmanagers in dit team"
    bars.set_members(OVERVIEW.members)
    assert bars.accessibleName() == "Intakes per klantmanager, staafdiagram"
    assert bars.accessibleDescription() == (
        "k.dijkstra: 2 wacht op beoordeling, 1 teruggestuurd, 3 goedgekeurd deze maand; "
        "m.bakker: 1 wacht op beoordeling, 0 teruggestuurd, 0 goedgekeurd deze maand"
    )
    bars.resize(600, bars.sizeHint().height())
    (waiting, returned, approved), (other, _, _) = bars.bar_rects()
    # One scale for all: k.dijkstra's 6 intakes fill the width that m.bakker's 1 takes a sixth of.
    assert waiting.width() == pytest.approx(2 * returned.width())
    assert approved.width() == pytest.approx(3 * returned.width())
    assert other.width() == pytest.approx(returned.width())
    assert returned.left() == pytest.approx(waiting.right())
    assert not bars.grab().isNull()
