"""Cliënten: the caseload as a dense table with search-as-you-type and filter chips.

Every change (a keystroke after a short pause, a chip, a header click) becomes one
`CaseloadQuery`, read through the caseload verbs; SQL filters and sorts, the model only shows the
rows. Only the newest query's answer is shown, and a query still waiting in the lane when a newer
one is issued does not run at all.

Keyboard: Ctrl+F goes to the search field, Down moves from there into the table (Up on the first
row goes back), Enter opens the selected client (from the search field: the selected or first
one), Escape clears the search. Alt+G, Alt+D, Alt+R and Alt+T open the drop-down chips, Alt+A,
Alt+I and Alt+L toggle the other three, Alt+W clears the filters. The column layout (widths,
order, sort) is kept in QSettings.

The page reads again by itself when a change on the bus concerns the caseload (an edit, a sync
round); `refresh()` reads again now.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QItemSelectionModel,
    QLocale,
    QObject,
    QPoint,
    QRect,
    QSettings,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QActionGroup, QHideEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.clocks import DUE_SOON_DAYS
from app.domain.local_time import local_today
from app.domain.reference import Scheme, ladder_label
from app.services.caseload import CaseloadQuery, CaseloadRow, FilterOptions, SortColumn
from app.ui.caseload_model import CaseloadModel
from app.ui.messages import error_text, ui_language
from app.ui.operations import caseload as verbs
from app.ui.operations.bus import RedrawOnChange
from app.ui.operations.op import QueryOp
from app.ui.session import Session
from app.ui.theme import MARGIN, SPACING, dense_table
from app.ui.widgets import FieldError, RecordStack, ScreenAction, with_key

# v2: the Termijn column came before Volgende actie; a v1 layout would put widths and the sort
# on the wrong columns.
HEADER_STATE_KEY = "caseload/header_state_v2"
SEARCH_DEBOUNCE_MS = 150
_SAVE_DELAY_MS = 400

# Default column widths (px at 100%) before the user changes them.
_WIDTHS = {
    SortColumn.NAME: 220,
    SortColumn.BSN: 90,
    SortColumn.VILLAGE: 130,
    SortColumn.SCHEMES: 200,
    SortColumn.LADDER_STEP: 56,
    SortColumn.LAST_VISIT: 124,
    SortColumn.TERM: 120,  # "123 dagen te laat", "123 days overdue"
}


class ChipFlow(QLayout):
    """Widgets left to right, on as many lines as the width needs (Qt's flow layout example):
    its minimum width is the widest widget's, so a row of chips never widens the window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self.setContentsMargins(0, 0, 0, 0)
        self.setSpacing(SPACING)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        """All on one line."""
        shown = [item.sizeHint() for item in self._items if not item.isEmpty()]
        width = sum(hint.width() for hint in shown) + self.spacing() * max(len(shown) - 1, 0)
        return QSize(width, max((hint.height() for hint in shown), default=0))

    def minimumSize(self) -> QSize:
        """One widget a line."""
        size = QSize()
        for item in self._items:
            if not item.isEmpty():
                size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        """Place the items (when `move`) and return the height they take in `rect`'s width."""
        x, y, line = rect.x(), rect.y(), 0
        for item in self._items:
            if item.isEmpty():  # a hidden widget takes no place
                continue
            hint = item.sizeHint()
            if x > rect.x() and x + hint.width() > rect.right() + 1:
                x, y, line = rect.x(), y + line + self.spacing(), 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self.spacing()
            line = max(line, hint.height())
        return y + line - rect.y()


class CaseloadPage(QWidget):
    """The caseload: search field, filter chips, the table and a count."""

    client_opened = Signal(str)
    loaded = Signal(int)  # rows now shown, after each query that was applied

    def __init__(
        self,
        session: Session,
        parent: QWidget | None = None,
        *,
        settings: QSettings | None = None,
        organization: str = "Veldwerk",
        application: str = "Veldwerk",
        today: Callable[[], date] = local_today,
        debounce_ms: int = SEARCH_DEBOUNCE_MS,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._settings = settings if settings is not None else QSettings(organization, application)
        self._today = today
        self._query_op: QueryOp[list[CaseloadRow]] | None = None
        self._options = FilterOptions((), (), (), ())
        self.query = CaseloadQuery()
        self.queries_run = 0  # queries whose result was shown (tests, diagnostics)

        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.search = self._build_search(debounce_ms)
        heading, chips = self._build_chips()
        table = self._build_table()
        self._save_timer = self._build_save_timer()
        # The table, or a sentence in its place while no client is shown.
        self.records = RecordStack(table)
        self.message = FieldError()
        self._make_actions()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        layout.setSpacing(SPACING)
        layout.addLayout(heading)
        layout.addWidget(self.search)
        layout.addLayout(chips)
        layout.addWidget(self.message)
        layout.addWidget(self.records, 1)
        self.setFocusProxy(self.search)

        self._follow = RedrawOnChange(
            self, session.bus, topics=verbs.CASELOAD_ENTITIES, redraw=self.refresh
        )
        self._retranslate()

    # ------------------------------------------------------------------------------ building

    def _build_search(self, debounce_ms: int) -> QLineEdit:
        search = QLineEdit()
        search.setClearButtonEnabled(True)
        search.installEventFilter(self)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(debounce_ms)
        self._debounce.timeout.connect(self._run_query)
        search.textChanged.connect(self._on_search_changed)
        self._open_when_loaded = False
        return search

    def _build_chips(self) -> tuple[QHBoxLayout, ChipFlow]:
        """The title line (title, the button that clears the filters, the count at the far end)
        and the filter chips, which wrap onto a second line when the page is too narrow for them
        (a 1366×768 screen at 150%, a chip showing a long village name)."""
        # Drop-down chips: a menu of the values present in the caseload, plus "all".
        self.municipality_chip = self._menu_chip()
        self.village_chip = self._menu_chip()
        self.scheme_chip = self._menu_chip()
        self.ladder_chip = self._menu_chip()
        self._groups: dict[str, QActionGroup] = {}
        # Checkable chips.
        self.overdue_chip = self._toggle_chip()
        self.returned_chip = self._toggle_chip()
        self.term_chip = self._toggle_chip()
        self.clear_filters = QPushButton()
        self.clear_filters.setFlat(True)
        self.clear_filters.clicked.connect(self.reset_filters)
        self.clear_filters.hide()
        self.count_label = QLabel()
        self.count_label.setObjectName("muted")

        heading = QHBoxLayout()
        heading.setSpacing(SPACING)
        heading.addWidget(self.title)
        heading.addStretch(1)
        heading.addWidget(self.clear_filters)
        heading.addWidget(self.count_label)
        row = ChipFlow()
        for chip in (
            self.municipality_chip,
            self.village_chip,
            self.scheme_chip,
            self.ladder_chip,
            self.overdue_chip,
            self.returned_chip,
            self.term_chip,
        ):
            row.addWidget(chip)
        return heading, row

    def _build_table(self) -> QTableView:
        self.model = CaseloadModel(self)
        self.table = QTableView()
        self.table.setObjectName("caseloadTable")
        self.table.setModel(self.model)
        dense_table(self.table)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.installEventFilter(self)
        self.table.activated.connect(self._on_table_activated)
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for key, width in _WIDTHS.items():
            header.resizeSection(CaseloadModel.column_of(key), width)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self._restore_layout()
        self.query = replace(self.query, **self._sort_from_header())
        # Enabling sorting makes the view call model.sort() once; the model only emits a
        # signal, and it is not connected yet, so no query runs before refresh().
        self.table.setSortingEnabled(True)
        self.model.sort_requested.connect(self._on_sort_requested)
        return self.table

    def _build_save_timer(self) -> QTimer:
        """Dragging a column fires many changes: the layout is stored once they pause."""
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(_SAVE_DELAY_MS)
        timer.timeout.connect(self.save_layout)
        header = self.table.horizontalHeader()
        header.sectionResized.connect(timer.start)
        header.sectionMoved.connect(timer.start)
        header.sortIndicatorChanged.connect(timer.start)
        return timer

    def _make_actions(self) -> None:
        # Keys of the page's actions; each tooltip names its key.
        self.find_action = ScreenAction(
            self, self.focus_search, shortcut=QKeySequence.StandardKey.Find
        )
        self._chip_actions: dict[QPushButton, ScreenAction] = {
            chip: ScreenAction(self, chip.showMenu, shortcut=key)
            for chip, key in (
                (self.municipality_chip, "Alt+G"),
                (self.village_chip, "Alt+D"),
                (self.scheme_chip, "Alt+R"),
                (self.ladder_chip, "Alt+T"),
            )
        }
        self._chip_actions[self.overdue_chip] = ScreenAction(
            self, self.overdue_chip.toggle, shortcut="Alt+A"
        )
        self._chip_actions[self.returned_chip] = ScreenAction(
            self, self.returned_chip.toggle, shortcut="Alt+I"
        )
        self._chip_actions[self.term_chip] = ScreenAction(
            self, self.term_chip.toggle, shortcut="Alt+L"
        )
        self.clear_action = ScreenAction(self, self._on_clear_action, shortcut="Alt+W")

    # --------------------------------------------------------------------------- public API

    def refresh(self) -> None:
        """Run the current query again and reload the filter values."""
        if not self._session.store.is_open:
            return
        self._follow.mark_fresh()
        self._debounce.stop()
        self._run_query()
        verbs.load_filter_options(parent=self, session=self._session, today=self._today()).success(
            self._on_options_loaded
        ).failure(self._on_failed).run()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def reset_filters(self) -> None:
        self.query = replace(
            self.query,
            municipality=None,
            village=None,
            scheme=None,
            ladder_step=None,
            visit_overdue=False,
            intake_returned=False,
            term_due=False,
        )
        for chip in self._toggle_chips():
            chip.blockSignals(True)
            chip.setChecked(False)
            chip.blockSignals(False)
        self._sync_chips()
        self._run_query()

    def current_client_id(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        value = self.model.data(index, CaseloadModel.ClientIdRole)
        return str(value) if value is not None else None

    def save_layout(self) -> None:
        """Keep the column widths, order and sort for the next time (no personal data)."""
        self._save_timer.stop()
        self._settings.setValue(HEADER_STATE_KEY, self.table.horizontalHeader().saveState())

    # ------------------------------------------------------------------------------ chips

    def _menu_chip(self) -> QPushButton:
        chip = QPushButton()
        chip.setObjectName("chip")
        chip.setCheckable(True)
        menu = QMenu(chip)
        # Opening and closing the menu must not leave the chip checked or unchecked by itself.
        menu.aboutToHide.connect(lambda: QTimer.singleShot(0, self._sync_chips))
        chip.setMenu(menu)
        return chip

    def _toggle_chip(self) -> QPushButton:
        chip = QPushButton()
        chip.setObjectName("chip")
        chip.setCheckable(True)
        chip.toggled.connect(self._on_toggle_chip)
        return chip

    def _fill_menu(
        self, key: str, chip: QPushButton, values: list[tuple[Any, str]], all_text: str
    ) -> None:
        """Rebuild a chip's menu: "all" first, then one checkable action per value."""
        menu = chip.menu()
        menu.clear()
        group = QActionGroup(menu)
        group.setExclusive(True)
        self._groups[key] = group
        current = getattr(self.query, key)
        choices: list[tuple[Any, str]] = [(None, all_text), *values]
        if current is not None and current not in {value for value, _ in values}:
            # Keep a chosen value selectable even when the caseload no longer has it.
            choices.append((current, self._value_text(key, current)))
        for value, label in choices:
            action = QAction(label, menu)
            action.setCheckable(True)
            action.setChecked(value == current)
            action.setData(value)
            action.triggered.connect(lambda _checked=False, k=key, v=value: self.set_filter(k, v))
            group.addAction(action)
            menu.addAction(action)
            if value is None:
                menu.addSeparator()

    def filter_actions(self, key: str) -> list[QAction]:
        """The menu actions of a drop-down chip ("municipality", "village", "scheme",
        "ladder_step"), "all" first."""
        group = self._groups.get(key)
        return list(group.actions()) if group is not None else []

    def set_filter(self, key: str, value: Any) -> None:
        """Set a drop-down filter (None for all) and run the query."""
        if key not in ("municipality", "village", "scheme", "ladder_step"):
            raise ValueError(key)
        self.query = replace(self.query, **{key: value})
        self._sync_chips()
        self._run_query()

    def _value_text(self, key: str, value: Any) -> str:
        language = ui_language()
        if key == "scheme":
            try:
                return Scheme(value).label(language)
            except ValueError:
                return str(value)
        if key == "ladder_step":
            try:
                return f"{value} – {ladder_label(int(value), language)}"
            except (KeyError, ValueError):
                return str(value)
        return str(value)

    def _chip_text(self, key: str, value: Any) -> str:
        if key == "ladder_step":
            return str(value)
        return self._value_text(key, value)

    def _sync_chips(self) -> None:
        """Chip captions and checked states follow the query."""
        for key, chip in self._menu_chips().items():
            value = getattr(self.query, key)
            base = str(chip.property("base_text"))
            chip.setText(base if value is None else f"{base}: {self._chip_text(key, value)}")
            chip.setChecked(value is not None)
            for action in self.filter_actions(key):
                action.setChecked(action.data() == value)
        self.clear_filters.setVisible(self._filtered())

    def _menu_chips(self) -> dict[str, QPushButton]:
        return {
            "municipality": self.municipality_chip,
            "village": self.village_chip,
            "scheme": self.scheme_chip,
            "ladder_step": self.ladder_chip,
        }

    def _filtered(self) -> bool:
        q = self.query
        return (
            any(v is not None for v in (q.municipality, q.village, q.scheme, q.ladder_step))
            or q.visit_overdue
            or q.intake_returned
            or q.term_due
        )

    def _toggle_chips(self) -> tuple[QPushButton, ...]:
        return (self.overdue_chip, self.returned_chip, self.term_chip)

    def _on_toggle_chip(self, _checked: bool) -> None:
        self.query = replace(
            self.query,
            visit_overdue=self.overdue_chip.isChecked(),
            intake_returned=self.returned_chip.isChecked(),
            term_due=self.term_chip.isChecked(),
        )
        self.clear_filters.setVisible(self._filtered())
        self._run_query()

    def _on_options_loaded(self, options: FilterOptions) -> None:
        self._options = options
        language = ui_language()
        self._fill_menu(
            "municipality",
            self.municipality_chip,
            [(m, m) for m in options.municipalities],
            self.tr("Alle gemeenten"),
        )
        self._fill_menu(
            "village", self.village_chip, [(v, v) for v in options.villages], self.tr("Alle dorpen")
        )
        schemes = []
        for code in options.schemes:
            try:
                schemes.append((code, Scheme(code).label(language)))
            except ValueError:
                schemes.append((code, code))
        self._fill_menu("scheme", self.scheme_chip, schemes, self.tr("Alle regelingen"))
        self._fill_menu(
            "ladder_step",
            self.ladder_chip,
            [(step, self._value_text("ladder_step", step)) for step in options.ladder_steps],
            self.tr("Alle treden"),
        )
        self._sync_chips()

    # ---------------------------------------------------------------------------- queries

    def _on_search_changed(self, text: str) -> None:
        # Typing, the clear button, Escape: the query runs once the typing pauses. One character
        # narrows nothing (it matches a third of a caseload) and was the slowest query per key:
        # the list waits for the second.
        if len(text.strip()) == 1:
            self._debounce.stop()
            return
        self._debounce.start()

    def _on_sort_requested(self, key: str, descending: bool) -> None:
        self.query = replace(self.query, sort=SortColumn(key), descending=descending)
        self._run_query()

    def _sort_from_header(self) -> dict[str, Any]:
        header = self.table.horizontalHeader()
        section = header.sortIndicatorSection()
        if not 0 <= section < len(CaseloadModel.COLUMNS):
            section = 0
        return {
            "sort": CaseloadModel.COLUMNS[section],
            "descending": header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder,
        }

    def _run_query(self) -> None:
        self._debounce.stop()
        self.query = replace(self.query, text=self.search.text())
        if self._query_op is not None:
            self._query_op.cancel()  # superseded: it does not run if it still waits
        self._query_op = (
            verbs.load_caseload(
                parent=self, session=self._session, query=self.query, today=self._today()
            )
            .success(self._on_loaded)
            .failure(self._on_failed)
            .run()
        )

    def _on_loaded(self, rows: list[CaseloadRow]) -> None:
        keep = self.current_client_id()
        self.message.hide()
        self.model.set_rows(rows)
        self.queries_run += 1
        if keep is not None:
            row = self.model.row_of(keep)
            if row >= 0:
                self._select_row(row, scroll=True)
        self._show_count(len(rows))
        self.loaded.emit(len(rows))
        if self._open_when_loaded:
            self._open_when_loaded = False
            self._open_current_or_first()

    def _on_failed(self, exc: BaseException) -> None:
        self.message.setText(error_text(exc))
        self.message.show()

    def _show_count(self, count: int) -> None:
        searched = bool(self.query.text.strip()) or self._filtered()
        if count == 0 and searched:
            text = self.tr("Geen cliënten gevonden")
        elif count == 1:
            text = self.tr("1 cliënt")
        else:
            text = self.tr("{count} cliënten").format(count=QLocale().toString(count))
        self.count_label.setText(text)
        if searched:
            self.records.set_empty_text(
                self.tr(
                    "Geen cliënten gevonden bij deze zoekopdracht. Controleer de spelling, "
                    "wis de zoekterm (Esc) of wis de filters (Alt+W)."
                )
            )
        else:
            self.records.set_empty_text(
                self.tr(
                    "Er staan nog geen cliënten op dit apparaat. Synchroniseer op de pagina "
                    "Synchronisatie om uw caseload op te halen."
                )
            )

    # ----------------------------------------------------------------------------- language

    def _retranslate(self) -> None:
        self.title.setText(self.tr("Cliënten"))
        self.search.setPlaceholderText(self.tr("Zoek op naam, BSN, adres, postcode of dorp"))
        self.search.setAccessibleName(self.tr("Zoeken in cliënten"))
        self.find_action.set_caption(self.tr("Zoeken"))
        self.search.setToolTip(self.find_action.toolTip())
        self.table.setAccessibleName(self.tr("Cliënten"))
        self.table.setToolTip(with_key(self.tr("Dossier openen"), QKeySequence(Qt.Key.Key_Enter)))
        captions = {
            self.municipality_chip: self.tr("Gemeente"),
            self.village_chip: self.tr("Dorp"),
            self.scheme_chip: self.tr("Regeling"),
            self.ladder_chip: self.tr("Trede"),
            self.overdue_chip: self.tr("Achterstallig bezoek"),
            self.returned_chip: self.tr("Intake teruggestuurd"),
            self.term_chip: self.tr("Termijn loopt af"),
        }
        tips = {
            self.municipality_chip: self.tr("Filteren op gemeente"),
            self.village_chip: self.tr("Filteren op dorp"),
            self.scheme_chip: self.tr("Filteren op regeling"),
            self.ladder_chip: self.tr("Filteren op trede van de participatieladder"),
            self.overdue_chip: self.tr("Alleen cliënten met een achterstallig huisbezoek"),
            self.returned_chip: self.tr("Alleen cliënten met een teruggestuurde intake"),
            self.term_chip: self.tr(
                "Alleen cliënten met een wettelijke termijn die verstreken is of binnen {days} "
                "dagen afloopt"
            ).format(days=DUE_SOON_DAYS),
        }
        for chip, caption in captions.items():
            chip.setProperty("base_text", caption)
            if chip in self._toggle_chips():
                chip.setText(caption)
            action = self._chip_actions[chip]
            action.set_caption(tips[chip])
            chip.setToolTip(action.toolTip())
        self.clear_filters.setText(self.tr("Filters wissen"))
        self.clear_action.set_caption(self.tr("Filters wissen"))
        self.clear_filters.setToolTip(self.clear_action.toolTip())
        self.model.retranslate()
        self._on_options_loaded(self._options)  # the menus' words ("Alle dorpen", schemes)
        if self.queries_run:
            self._show_count(self.model.rowCount())
        else:
            # Nothing read yet: no count, and no "no clients" before the first answer.
            self.count_label.clear()
            self.records.set_empty_text("")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _on_clear_action(self) -> None:
        if self._filtered():
            self.reset_filters()

    # --------------------------------------------------------------------------- keyboard

    def _select_row(self, row: int, *, scroll: bool = False) -> None:
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        if scroll:
            self.table.scrollTo(index)

    def _open_current_or_first(self) -> None:
        if self.model.rowCount() == 0:
            return
        if not self.table.currentIndex().isValid():
            self._select_row(0)
        client_id = self.current_client_id()
        if client_id is not None:
            self.client_opened.emit(client_id)

    def _on_table_activated(self, index: Any) -> None:
        value = self.model.data(index, CaseloadModel.ClientIdRole)
        if value is not None:
            self.client_opened.emit(str(value))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if watched is self.search:
                return self._search_key(event)
            if watched is self.table:
                return self._table_key(event)
        return super().eventFilter(watched, event)

    def _search_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key == Qt.Key.Key_Down:
            if self.model.rowCount() == 0:
                return False
            if not self.table.currentIndex().isValid():
                self._select_row(0, scroll=True)
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self._debounce.isActive() or self.query.text != self.search.text():
                # What was typed counts, not the list of a moment ago: open when it is loaded.
                self._open_when_loaded = True
                self._run_query()
            else:
                self._open_current_or_first()
            return True
        if key == Qt.Key.Key_Escape and self.search.text():
            self.search.clear()
            return True
        return False

    def _table_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key == Qt.Key.Key_Up and self.table.currentIndex().row() <= 0:
            self.search.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        if key == Qt.Key.Key_Escape and self.search.text():
            self.search.clear()
            self.search.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        return False

    # ----------------------------------------------------------------------------- layout

    def _restore_layout(self) -> None:
        state = self._settings.value(HEADER_STATE_KEY)
        if isinstance(state, QByteArray | bytes) and state:
            self.table.horizontalHeader().restoreState(QByteArray(state))

    def hideEvent(self, event: QHideEvent) -> None:
        if self._save_timer.isActive():
            self.save_layout()
        super().hideEvent(event)
