"""Team (team leads), in two tabs. Werkverdeling: per caseworker what waits for review, what was
returned or approved this month, statutory clocks due soon or overdue, devices that went quiet,
open conflicts and late edits, as a table over the page's whole width and a bar per caseworker;
under them the late edits of the team's clients ("verweesde wijzigingen", SYNC.md rule 9), each of
which the lead can mark as handled. Cijfers van het team: the team's figures as the council report
counts them (this half year beside the last, under the report's disclosure rules), a line per
figure with what it counts, and what a withheld "x" means.

Everything here comes from the central office server (the team verbs, on the network lane) and
nothing of it is kept on the device. Without a connection the page says so and keeps what it
showed, with the time it was fetched. A load that takes longer than a second shows a busy bar.

Keyboard: Ctrl+1 and Ctrl+2 open the tabs (as the dossier's Ctrl+1…8) and put the keyboard in
their table; Ctrl+Tab and Ctrl+Shift+Tab go to the next or previous tab. F5 (anywhere on the
page) or Alt+V reloads; on Werkverdeling Alt+K goes to the table and Alt+W to the late edits;
Enter or Ctrl+Enter on a late edit (or Alt+M) marks it handled, after a confirmation.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from PySide6.QtCore import QEvent, QItemSelection, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import VeldwerkError
from app.domain.formatting import moment_text
from app.services.team import OrphanedChange, TeamOverview
from app.ui.messages import error_text, ui_language
from app.ui.operations import team as verbs
from app.ui.operations.bus import RedrawOnChange
from app.ui.session import Session
from app.ui.team_bars import TeamBars
from app.ui.team_figures_model import ROWS as TEAM_FIGURE_ROWS
from app.ui.team_figures_model import TeamFiguresTableModel
from app.ui.team_model import OrphanListModel, TeamTableModel
from app.ui.theme import MARGIN, SPACING
from app.ui.widgets import (
    ActionButton,
    FieldError,
    ListPane,
    RecordStack,
    ScreenAction,
    fit_columns,
    mnemonic,
    record_table,
    restore_focus,
    with_key,
)

# Failures that mean the server was not there (rather than there and saying no).
_UNREACHABLE = ("server_unreachable", "invalid_answer")
REFRESH_KEY = QKeySequence(Qt.Key.Key_F5)
MARK_KEYS = ("Ctrl+Return", "Ctrl+Enter", "Return", "Enter")
# The caseworkers shown without scrolling (a team is a handful of people).
CASEWORKER_ROWS = 12


def _unreachable(error: BaseException) -> bool:
    return isinstance(error, VeldwerkError) and error.code in _UNREACHABLE


class TeamPage(QWidget):
    """The team lead's overview (see the module note). Shown through `refresh()`, which the
    window calls when the page is opened."""

    loaded = Signal()  # a load has ended, whatever its outcome
    marked = Signal(int)  # a late edit was marked handled (its id)

    # A load that takes longer than this shows the busy bar.
    progress_after_ms = 1000
    # The tabs, in order.
    WORKLOAD, FIGURES = range(2)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._overview: TeamOverview | None = None
        self._current: OrphanedChange | None = None
        self._pending = 0
        self._offline = False
        self._error: BaseException | None = None
        self._marking = False
        self._select_after_load: int | None = None
        self.loaded_once = False

        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.subtitle = QLabel()
        self.subtitle.setObjectName("muted")
        self.subtitle.setWordWrap(True)
        self.offline_label = QLabel()
        self.offline_label.setWordWrap(True)
        self.offline_label.hide()
        self.error_label = FieldError()
        self.notice_label = QLabel()
        self.notice_label.setObjectName("savedHint")
        self.notice_label.hide()
        self.body = self._build_body()
        self.body.hide()  # until the first answer

        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        layout.setSpacing(SPACING)
        layout.addLayout(self._build_head())
        layout.addWidget(self.subtitle)
        layout.addLayout(self._build_progress_row())
        layout.addWidget(self.offline_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.notice_label)
        layout.addWidget(self.body, 1)

        self._slow = QTimer(self)
        self._slow.setSingleShot(True)
        self._slow.timeout.connect(self._on_slow_timeout)
        self._retranslate()
        self._show_change(None)
        self._follow = RedrawOnChange(
            self, session.bus, topics=verbs.TEAM_TOPICS, redraw=self.refresh
        )

    # ------------------------------------------------------------------------------ building

    def _build_head(self) -> QHBoxLayout:
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.refresh)
        self.refresh_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        head = QHBoxLayout()
        head.setSpacing(SPACING)
        head.addWidget(self.title, 1)
        head.addWidget(self.refresh_button)
        return head

    def _build_progress_row(self) -> QHBoxLayout:
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 0)  # busy: how long the server takes is not known
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setMaximumWidth(200)
        self.progress_bar.hide()
        self.progress_label = QLabel()
        self.progress_label.hide()
        row = QHBoxLayout()
        row.setSpacing(SPACING)
        row.addWidget(self.progress_bar)
        row.addWidget(self.progress_label, 1)
        return row

    def _build_body(self) -> QTabWidget:
        """Werkverdeling (the caseworkers above the late edits) and Cijfers van het team."""
        self.tabs = QTabWidget()
        self.tabs.setObjectName("teamTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self._build_workload(), "")
        self.tabs.addTab(self._build_team_figures(), "")
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.tab_actions = [
            ScreenAction(
                self,
                partial(self.show_tab, number),
                shortcut=f"Ctrl+{number + 1}",
                object_name=name,
            )
            for number, name in enumerate(("showWorkload", "showTeamFigures"))
        ]
        # Ctrl+Tab as in any tabbed window, also from inside a table (which would otherwise
        # take it to move between its cells).
        self.next_tab_action = ScreenAction(
            self,
            partial(self._step_tab, 1),
            shortcut=("Ctrl+Tab", "Ctrl+PgDown"),
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
            object_name="nextTeamTab",
        )
        self.previous_tab_action = ScreenAction(
            self,
            partial(self._step_tab, -1),
            shortcut=("Ctrl+Shift+Tab", "Ctrl+PgUp"),
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
            object_name="previousTeamTab",
        )
        return self.tabs

    def _build_workload(self) -> QSplitter:
        """The caseworkers (table and bars) above the late edits."""
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._build_caseworkers())
        splitter.addWidget(self._build_orphans())
        # The caseworkers keep their own height; the late edits take what is left.
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        return splitter

    def _build_caseworkers(self) -> QWidget:
        self.model = TeamTableModel(self)
        self.table = record_table("teamTable", stretch=0)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        # Every column as wide as its contents, the names' column also taking what is left;
        # set again whenever the table's width, rows or language change.
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.viewport().installEventFilter(self)
        self.model.modelReset.connect(self._fit_columns)
        self.model.headerDataChanged.connect(self._fit_columns)
        self.table_label = QLabel()
        self.table_label.setObjectName("sectionTitle")
        self.table_label.setBuddy(self.table)
        self.table_records = RecordStack(self.table)
        self.bars = TeamBars()
        section = QWidget()
        layout = QVBoxLayout(section)
        layout.setContentsMargins(0, SPACING, 0, 0)
        layout.setSpacing(SPACING)
        layout.addWidget(self.table_label)
        # The table as tall as its rows (up to its maximum) before the empty space below grows.
        layout.addWidget(self.table_records, 1)
        layout.addWidget(self.bars)
        layout.addStretch(0)
        return section

    def _build_team_figures(self) -> QWidget:
        """The team as a whole, as the council report counts it: this half year and the last,
        each figure with what it counts, and what an "x" means."""
        self.team_figures_model = TeamFiguresTableModel(self)
        self.team_figures_table = record_table(
            "teamFiguresTable", stretch=TeamFiguresTableModel.ABOUT
        )
        self.team_figures_table.setModel(self.team_figures_model)
        self.team_figures_table.setWordWrap(False)
        fit_columns(self.team_figures_table)
        self.team_figures_counted = QLabel()
        self.team_figures_counted.setObjectName("muted")
        self.team_figures_counted.setWordWrap(True)
        self.team_figures_records = RecordStack(self.team_figures_table)
        self.team_figures_note = QLabel()
        self.team_figures_note.setObjectName("muted")
        self.team_figures_note.setWordWrap(True)
        self.team_figures_note.setTextFormat(Qt.TextFormat.PlainText)
        section = QWidget()
        layout = QVBoxLayout(section)
        layout.setContentsMargins(0, SPACING, 0, 0)
        layout.setSpacing(SPACING)
        layout.addWidget(self.team_figures_counted)
        layout.addWidget(self.team_figures_records, 1)
        layout.addWidget(self.team_figures_note)
        layout.addStretch(0)
        return section

    def _counted_text(self) -> str:
        """ "Geteld: 2026-H2 t/m 03-12-2026, naast 2026-H1." """
        overview = self._overview
        counted = self.team_figures_model.counted_text()
        if overview is None or not counted:
            return ""
        if overview.previous_period:
            return self.tr("Geteld: {period}, naast {previous}.").format(
                period=counted, previous=overview.previous_period
            )
        return self.tr("Geteld: {period}.").format(period=counted)

    def _figures_note(self) -> str:
        """What an "x" means, under the table."""
        return self.tr(
            "x = weggelaten. Zoals in de raadsinformatie: aantallen kleiner dan 10 zijn "
            "weggelaten, net als aantallen waaruit die terug te rekenen zijn; de andere zijn "
            "afgerond op 5. Een percentage staat er alleen als de aantallen waarop het rust "
            "gepubliceerd zijn."
        )

    def _fit_columns(self) -> None:
        """The caseworkers' table: each column as wide as its widest cell or header; the names'
        column takes the width that is left. Only a window too narrow for the numbers scrolls
        sideways; no column is ever cut short."""
        table = self.table
        header = table.horizontalHeader()
        widths = [
            max(header.sectionSizeHint(column), table.sizeHintForColumn(column))
            for column in range(self.model.columnCount())
        ]
        if not widths:
            return
        widths[0] += max(table.viewport().width() - sum(widths), 0)
        for column, width in enumerate(widths):
            header.resizeSection(column, width)
        # Room for a sideways scroll bar only while it is needed.
        self._fit_table_height(table, self.table_records, CASEWORKER_ROWS)

    def _fit_table_height(self, table: QTableView, records: QWidget, most: int) -> None:
        """As tall as its rows (up to `most`), so what follows sits right under it; more rows
        scroll. Room for a sideways scroll bar only when the columns are wider than the table."""
        rows = min(max(table.model().rowCount(), 1), most)
        height = (
            table.horizontalHeader().sizeHint().height()
            + rows * table.verticalHeader().defaultSectionSize()
            + 2 * table.frameWidth()
        )
        if table.horizontalHeader().length() > table.viewport().width():
            height += table.style().pixelMetric(table.style().PixelMetric.PM_ScrollBarExtent)
        records.setMaximumHeight(height)
        # A few rows at least, so the page still fits a small screen.
        shown = min(rows, 4)
        records.setMinimumHeight(
            height - (rows - shown) * table.verticalHeader().defaultSectionSize()
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return super().eventFilter(watched, event)

    def _build_orphans(self) -> QWidget:
        self.orphan_model = OrphanListModel(self)
        self.orphan_view = QListView()
        self.orphan_view.setObjectName("orphanList")
        self.orphan_view.setModel(self.orphan_model)
        self.orphan_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.orphan_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.orphan_view.setWordWrap(True)
        self.orphan_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.orphan_view.setResizeMode(QListView.ResizeMode.Adjust)
        self.orphan_view.selectionModel().selectionChanged.connect(
            self._on_orphan_selection_changed
        )
        # Enter or Ctrl+Enter on the list marks the selected late edit (after a confirmation).
        self.mark_action = ScreenAction(
            self.orphan_view,
            self._on_mark_action_triggered,
            shortcut=MARK_KEYS,
            context=Qt.ShortcutContext.WidgetShortcut,
            object_name="markOrphanHandled",
        )
        self.mark_button = ActionButton(self.mark_action, "markOrphanButton")
        self.orphans = ListPane(
            self.orphan_view, buttons=[self.mark_button], margins=(0, SPACING, 0, 0)
        )
        self.detail_label = QLabel()
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextFormat(Qt.TextFormat.PlainText)
        self.detail_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.detail_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        section = QWidget()
        layout = QHBoxLayout(section)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(MARGIN)
        layout.addWidget(self.orphans, 3)
        layout.addWidget(self.detail_label, 2)
        return section

    # ------------------------------------------------------------------------------- tabs

    def show_tab(self, number: int) -> None:
        """Ctrl+1 / Ctrl+2: open a tab and put the keyboard in its table."""
        self.tabs.setCurrentIndex(number)
        self.focus_tab()

    def _step_tab(self, step: int) -> None:
        self.show_tab((self.tabs.currentIndex() + step) % self.tabs.count())

    def focus_tab(self) -> None:
        """The keyboard to the current tab's table (or, while it has none, the tab bar)."""
        view = self.table if self.tabs.currentIndex() == self.WORKLOAD else self.team_figures_table
        target = view if view.isVisible() else self.tabs.tabBar()
        target.setFocus(Qt.FocusReason.TabFocusReason)

    def _on_tab_changed(self, _number: int) -> None:
        # Keys that switched the tab (Ctrl+Tab from inside it) leave the keyboard in the tab
        # that came; only the tab bar keeps it, to go on along the tabs.
        focused = QApplication.focusWidget()
        if (
            focused is not None
            and self.tabs.isAncestorOf(focused)
            and focused is not self.tabs.tabBar()
        ):
            self.focus_tab()

    # ------------------------------------------------------------------------------ loading

    @property
    def is_loading(self) -> bool:
        return self._pending > 0

    @property
    def offline(self) -> bool:
        """The last load could not reach the server."""
        return self._offline

    @property
    def overview(self) -> TeamOverview | None:
        """The figures as last fetched."""
        return self._overview

    def refresh(self) -> None:
        """Fetch the figures and the late edits from the server again."""
        if not self._session.store.is_open:
            return
        self._follow.mark_fresh()
        self._pending = 2
        self._offline = False
        self._error = None
        self._slow.start(self.progress_after_ms)
        verbs.load_team_overview(parent=self, session=self._session).success(
            self._on_overview_loaded
        ).failure(self._on_load_failed).finally_(self._on_load_ended).run()
        verbs.load_orphans(parent=self, session=self._session, language=ui_language()).success(
            self._on_orphans_loaded
        ).failure(self._on_load_failed).finally_(self._on_load_ended).run()

    def _on_slow_timeout(self) -> None:
        if self.is_loading:
            self.progress_bar.show()
            self.progress_label.show()

    def _on_overview_loaded(self, overview: TeamOverview) -> None:
        self._overview = overview
        self.model.set_members(overview.members)
        self.bars.set_members(overview.members)
        self.team_figures_model.set_overview(overview)
        self.team_figures_counted.setText(self._counted_text())
        self._fit_heights()
        self.loaded_once = True

    def _fit_heights(self) -> None:
        self._fit_columns()
        self._fit_table_height(
            self.team_figures_table, self.team_figures_records, len(TEAM_FIGURE_ROWS)
        )

    def _on_orphans_loaded(self, items: tuple[OrphanedChange, ...]) -> None:
        keep = self._select_after_load
        if keep is None and self._current is not None:
            keep = self._current.id
        self.orphan_model.set_changes(items)
        row = self.orphan_model.row_of(keep) if keep is not None else -1
        if items:
            self.orphan_view.setCurrentIndex(self.orphan_model.index(max(row, 0), 0))
        else:
            self._show_change(None)
        self._select_after_load = None

    def _on_load_failed(self, error: BaseException) -> None:
        if _unreachable(error):
            self._offline = True
        else:
            self._error = error

    def _on_load_ended(self) -> None:
        self._pending = max(self._pending - 1, 0)
        if self._pending:
            return
        self._slow.stop()
        self.progress_bar.hide()
        self.progress_label.hide()
        self._show_state()
        self.loaded.emit()

    def _show_state(self) -> None:
        """The team's name and when it was fetched; offline or an error; the body once there is
        something to show."""
        overview = self._overview
        if overview is not None:
            self.subtitle.setText(
                self.tr("{team} · opgehaald {when}").format(
                    team=overview.team, when=moment_text(overview.fetched_at)
                )
            )
        self.subtitle.setVisible(overview is not None)
        self.offline_label.setText(self._offline_text())
        self.offline_label.setVisible(self._offline)
        if self._error is not None and not self._offline:
            self.error_label.show_error(error_text(self._error))
        else:
            self.error_label.clear_error()
        self.body.setVisible(overview is not None)

    def _offline_text(self) -> str:
        text = self.tr(
            "Het teamoverzicht komt van de centrale server. Maak verbinding en kies Vernieuwen."
        )
        if self._overview is not None:
            text += " " + self.tr("Laatst opgehaald: {when}.").format(
                when=moment_text(self._overview.fetched_at)
            )
        return text

    def last_loaded(self) -> datetime | None:
        """When the figures were last fetched, or None."""
        return self._overview.fetched_at if self._overview is not None else None

    # ----------------------------------------------------------------------------- late edits

    def _on_orphan_selection_changed(self, selected: QItemSelection, _old: object) -> None:
        indexes = selected.indexes()
        self._show_change(self.orphan_model.change(indexes[0].row()) if indexes else None)

    def selected_change(self) -> OrphanedChange | None:
        return self._current

    def _show_change(self, change: OrphanedChange | None) -> None:
        self._current = change
        self.detail_label.setText(self._detail_text(change))
        self._update_actions()

    def _detail_text(self, change: OrphanedChange | None) -> str:
        if change is None:
            return ""
        model = self.orphan_model
        lines = [
            self.tr("Ontvangen: {when}").format(when=moment_text(change.created_at)),
            self.tr("Verstuurd door: {who}").format(
                who=change.sent_by or self.tr("onbekend apparaat")
            ),
            self.tr("Cliënt: {name}").format(name=change.client_name),
        ]
        if change.current_caseworker:
            lines.append(self.tr("Klantmanager nu: {who}").format(who=change.current_caseworker))
        lines.append(
            self.tr("Soort gegevens: {kind} ({op})").format(
                kind=change.entity_label, op=model.op_text(change.op)
            )
        )
        if change.fields:
            lines.append(self.tr("Velden:"))
            lines.extend(f"  {line}" for line in model.values_text(change).splitlines())
        if change.fields and not change.values_shown:
            lines.append(
                self.tr("De waarden van dit soort gegevens worden aan teamleiders niet getoond.")
            )
        if change.handled_at is not None:
            lines.append(
                self.tr("Afgehandeld op {when}").format(when=moment_text(change.handled_at))
            )
        return "\n".join(lines)

    def _update_actions(self) -> None:
        change = self._current
        self.mark_action.setEnabled(change is not None and not change.handled and not self._marking)

    def _confirm(self, change: OrphanedChange) -> bool:
        """Ask before marking: the edit itself is never applied."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Markeren als afgehandeld"))
        box.setText(
            self.tr(
                "De wijziging van {who} voor {client} ({kind}) als afgehandeld markeren?"
            ).format(
                who=change.sent_by or self.tr("onbekend apparaat"),
                client=change.client_name,
                kind=change.entity_label,
            )
        )
        box.setInformativeText(
            self.tr(
                "De wijziging wordt niet toegepast. Neem wat nodig is eerst over in het dossier "
                "of bespreek het met de klantmanager."
            )
        )
        accept = box.addButton(
            self.tr("Markeren als afgehandeld"), QMessageBox.ButtonRole.AcceptRole
        )
        cancel = box.addButton(self.tr("Annuleren"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(accept)
        box.setEscapeButton(cancel)
        try:
            box.exec()
            return box.clickedButton() is accept
        finally:
            box.deleteLater()
            # Back on the list, whatever was answered: the keyboard goes on where it was.
            self.orphan_view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_mark_action_triggered(self) -> None:
        self.mark_selected()

    def mark_selected(self) -> bool:
        """Mark the selected late edit handled, after a confirmation; False when nothing was
        started (none selected, handled already, busy, or not confirmed)."""
        change = self._current
        if change is None or change.handled or self._marking:
            return False
        if not self._confirm(change):
            return False
        self._marking = True
        self._update_actions()
        self.notice_label.hide()
        self._select_after_load = change.id
        verbs.mark_orphan_handled(parent=self, session=self._session, change=change).success(
            lambda _none: self._on_marked(change.id)
        ).failure(self._on_mark_failed).finally_(self._on_mark_ended).run()
        return True

    def _on_marked(self, change_id: int) -> None:
        self.notice_label.setText(self.tr("Gemarkeerd als afgehandeld."))
        self.notice_label.show()
        self.marked.emit(change_id)

    def _on_mark_failed(self, error: BaseException) -> None:
        self._select_after_load = None
        if _unreachable(error):
            self._offline = True
            self.offline_label.setText(self._offline_text())
            self.offline_label.show()
        else:
            self.error_label.show_error(error_text(error))

    def _on_mark_ended(self) -> None:
        self._marking = False
        self._update_actions()
        restore_focus(self.orphan_view)

    # ------------------------------------------------------------------------------- keys

    def event(self, event: QEvent) -> bool:
        # F5 is the window's "sync now"; on this page it reloads the page. Claiming the key
        # here, where it travels up from the focused widget, keeps the window's shortcut from
        # taking it while the focus is on this page, and nowhere else.
        if event.type() == QEvent.Type.ShortcutOverride and self._is_refresh_key(event):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._is_refresh_key(event):
            event.accept()
            self.refresh()
            return
        super().keyPressEvent(event)

    @staticmethod
    def _is_refresh_key(event: QEvent) -> bool:
        return (
            isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_F5
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        )

    # ----------------------------------------------------------------------------- language

    def _retranslate(self) -> None:
        self.title.setText(self.tr("Team"))
        self.refresh_button.setText(self.tr("&Vernieuwen"))
        self.refresh_button.setToolTip(with_key(self.refresh_button.text(), REFRESH_KEY))
        self.progress_bar.setAccessibleName(self.tr("Teamoverzicht ophalen"))
        self.progress_label.setText(self.tr("Teamoverzicht ophalen…"))
        self.table_label.setText(self.tr("&Klantmanagers"))
        self.table.setAccessibleName(self.tr("Klantmanagers"))
        self.table.setToolTip(
            with_key(self.table.accessibleName(), mnemonic(self.table_label.text()))
        )
        self.table_records.set_empty_text(self.tr("Er zijn nog geen klantmanagers in uw team."))
        self.next_tab_action.set_caption(self.tr("Volgende tab"))
        self.previous_tab_action.set_caption(self.tr("Vorige tab"))
        titles = (self.tr("Werkverdeling"), self.tr("Cijfers van het team"))
        for number, (title, action) in enumerate(zip(titles, self.tab_actions, strict=True)):
            action.set_caption(title)
            self.tabs.setTabText(number, title)
            self.tabs.setTabToolTip(number, action.toolTip())
        self.team_figures_table.setAccessibleName(self.tr("Cijfers van het team"))
        self.team_figures_table.setAccessibleDescription(self._figures_note())
        self.team_figures_table.setToolTip(self.tab_actions[self.FIGURES].toolTip())
        self.team_figures_records.set_empty_text(
            self.tr("De server levert (nog) geen cijfers van het team als geheel.")
        )
        self.team_figures_model.retranslate()
        self.team_figures_counted.setText(self._counted_text())
        self.team_figures_note.setText(self._figures_note())
        self.orphans.set_texts(
            title=self.tr("Verweesde &wijzigingen"),
            accessible=self.tr("Verweesde wijzigingen"),
            empty=self.tr(
                "Er zijn geen verweesde wijzigingen. Stuurt een apparaat een wijziging voor een "
                "cliënt die inmiddels bij een andere klantmanager hoort, dan verschijnt die hier."
            ),
        )
        self.mark_action.set_caption(self.tr("&Markeren als afgehandeld"))
        self.model.retranslate()
        self._show_state()
        self.detail_label.setText(self._detail_text(self._current))
        if self.notice_label.isVisibleTo(self):
            self.notice_label.setText(self.tr("Gemarkeerd als afgehandeld."))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            if self.loaded_once:
                self.refresh()  # the service's captions of kinds and fields
        super().changeEvent(event)
