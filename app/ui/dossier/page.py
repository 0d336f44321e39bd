"""The client dossier: a header (name, age, address, schemes, household) and the tabs
Overzicht · Huishouden · Bezoeken · Intake · Plan · Notities · Bijlagen · Historie (Ctrl+1 to
Ctrl+8).

The dossier is read and every edit is saved through the dossier operations (app.ui.operations),
never on the UI thread. Opening a dossier is audited by the store. The page redraws from the
change bus: whatever changed this client's records (an edit on one of its tabs, a sync round, a
conflict resolved elsewhere) is read again and merged into the tabs, which keep what is being
typed and where the user is. The Intake and Plan tabs read and redraw their intake and plan
themselves (from the same bus), when they are on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QCloseEvent, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.changes import Changes
from app.domain.client import Client
from app.services.dossier import DossierView, HistoryEntry
from app.ui.dossier.attachments_tab import AttachmentsTab
from app.ui.dossier.intake_tab import IntakeTab
from app.ui.dossier.models import HistoryTableModel, HouseholdTableModel
from app.ui.dossier.notes_tab import NotesTab
from app.ui.dossier.overview_tab import OverviewTab
from app.ui.dossier.visits_tab import VisitsTab
from app.ui.icons import icon
from app.ui.messages import error_text, ui_language
from app.ui.operations import dossier as ops
from app.ui.operations.dossier import AUDIT, DOSSIER_ENTITIES, LoadedDossier
from app.ui.plan.plan_tab import PlanTab
from app.ui.session import Session
from app.ui.theme import MARGIN, SPACING
from app.ui.widgets import ListPane, ScreenAction, fit_columns, record_table


class DossierPage(QWidget):
    """One client's dossier. Give it a Session; call `show_client(client_id)` to open one."""

    # Something in the open dossier was written (here or by a sync round). Kept for the main
    # window, which refreshes its pending count on it until it listens to the bus itself.
    changed = Signal()
    loaded = Signal(str)  # the dossier of this client id is on screen

    OVERVIEW, HOUSEHOLD, VISITS, INTAKE, PLAN, NOTES, ATTACHMENTS, HISTORY = range(8)
    # The tabs by name, as other screens ask for them (Vandaag's TAB_VISITS, TAB_PLAN, ...).
    TAB_NAMES: dict[str, int] = {
        "overview": OVERVIEW,
        "household": HOUSEHOLD,
        "visits": VISITS,
        "intake": INTAKE,
        "plan": PLAN,
        "notes": NOTES,
        "attachments": ATTACHMENTS,
        "history": HISTORY,
    }

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dossierPage")
        self._session = session
        self._client_id: str | None = None
        self._view: DossierView | None = None
        self._client: Client | None = None
        self._stale = False  # a change arrived while the dossier was being opened, or hidden
        self._status_text: Callable[[], str] = lambda: self.tr(
            "Kies een cliënt om het dossier te openen."
        )

        self._stack = QStackedWidget()
        self._stack.addWidget(self._status_pane())
        self._content = QWidget()
        content_layout = QVBoxLayout(self._content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.setSpacing(SPACING)
        content_layout.addWidget(self._header())
        content_layout.addWidget(self._tab_widget(), 1)
        self._stack.addWidget(self._content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._stack)

        session.bus.changed.connect(self._on_bus_changed)
        self._retranslate()
        self._show_status(busy=False)

    # ------------------------------------------------------------------------------ building

    def _status_pane(self) -> QWidget:
        """Shown while loading, or when a dossier cannot be opened."""
        pane = QWidget()
        layout = QVBoxLayout(pane)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        layout.setSpacing(SPACING)
        self.status_label = QLabel()
        self.status_label.setObjectName("dossierStatus")
        self.status_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status_label.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setMaximumWidth(320)
        layout.addStretch(1)
        layout.addWidget(self.status_label)
        layout.addWidget(self.progress, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        return pane

    def _header(self) -> QWidget:
        header = QWidget()
        header.setObjectName("dossierHeader")
        layout = QVBoxLayout(header)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, 0)
        layout.setSpacing(SPACING // 2)
        self.name_label = QLabel()
        self.name_label.setObjectName("pageTitle")
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_label = QLabel()
        self.details_label.setObjectName("muted")
        self.details_label.setWordWrap(True)
        self._tags = QHBoxLayout()
        self._tags.setSpacing(SPACING)
        self._tag_labels: list[QLabel] = []
        tags_row = QHBoxLayout()
        tags_row.setSpacing(SPACING)
        tags_row.addLayout(self._tags)
        tags_row.addStretch(1)
        layout.addWidget(self.name_label)
        layout.addWidget(self.details_label)
        layout.addLayout(tags_row)
        return header

    def _tab_widget(self) -> QTabWidget:
        self.tabs = QTabWidget()
        self.tabs.setObjectName("dossierTabs")
        self.tabs.setDocumentMode(True)
        self.overview_tab = OverviewTab(self._session)
        self.household_model = HouseholdTableModel(self)
        self.household_view = record_table("householdTable", stretch=HouseholdTableModel.STRETCH)
        self.household_view.setModel(self.household_model)
        fit_columns(self.household_view)
        self.household_pane = ListPane(self.household_view, title=False)
        self.visits_tab = VisitsTab(self._session)
        self.intake_tab = IntakeTab(self._session)
        self.plan_tab = PlanTab(self._session)
        self.notes_tab = NotesTab(self._session)
        self.attachments_tab = AttachmentsTab(self._session)
        self.history_model = HistoryTableModel(self)
        self.history_view = record_table("historyTable", stretch=HistoryTableModel.STRETCH)
        self.history_view.setModel(self.history_model)
        fit_columns(self.history_view)
        self.history_pane = ListPane(self.history_view, title=False)
        self.tab_actions: list[ScreenAction] = []
        for number, (widget, icon_name) in enumerate(
            (
                (self.overview_tab, "user"),
                (self.household_pane, "users"),
                (self.visits_tab, "home"),
                (self.intake_tab, "clipboard-check"),
                (self.plan_tab, "file"),
                (self.notes_tab, "note"),
                (self.attachments_tab, "attachment"),
                (self.history_pane, "history"),
            )
        ):
            self.tabs.addTab(widget, icon(icon_name), "")
            self.tab_actions.append(
                ScreenAction(
                    self,
                    partial(self._on_tab_action_triggered, number),
                    shortcut=f"Ctrl+{number + 1}",
                )
            )
        return self.tabs

    # ------------------------------------------------------------------------------ language

    def _retranslate(self) -> None:
        titles = (
            self.tr("Overzicht"),
            self.tr("Huishouden"),
            self.tr("Bezoeken"),
            self.tr("Intake"),
            self.tr("Plan"),
            self.tr("Notities"),
            self.tr("Bijlagen"),
            self.tr("Historie"),
        )
        for number, (title, action) in enumerate(zip(titles, self.tab_actions, strict=True)):
            action.set_caption(title)
            self.tabs.setTabText(number, title)
            self.tabs.setTabToolTip(number, action.toolTip())
        self.household_pane.set_texts(
            title="",
            accessible=self.tr("Huishouden"),
            empty=self.tr("Geen gezinsleden bekend. Gezinsleden worden op kantoor vastgelegd."),
        )
        self.history_pane.set_texts(
            title="",
            accessible=self.tr("Historie van dit dossier"),
            empty=self.tr("Nog niets vastgelegd in de historie van dit dossier."),
        )
        self.progress.setAccessibleName(self.tr("Dossier laden"))
        self.status_label.setText(self._status_text())
        if self._view is not None:
            self._show_header()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self.household_model.retranslate()
            self.history_model.retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------------------------- public

    @property
    def client_id(self) -> str | None:
        """The client whose dossier is open (or being opened)."""
        return self._client_id

    @property
    def dossier(self) -> DossierView | None:
        """The dossier as last read."""
        return self._view

    def show_client(self, client_id: str, tab: int | str | None = None) -> None:
        """Open a client's dossier: read on the storage lane, shown when it arrives (only the
        dossier asked for last is shown). `tab` (e.g. `DossierPage.VISITS`, or its name in
        `TAB_NAMES`: "intake") opens it where the thing that brought the user here is dealt
        with; an unknown name leaves the tab as it is."""
        index = self.TAB_NAMES.get(tab) if isinstance(tab, str) else tab
        if index is not None:
            self.tabs.setCurrentIndex(index)
        self.flush()
        self._client_id = client_id
        self._view = None
        self._client = None
        self._stale = False
        self._status_text = lambda: self.tr("Dossier laden…")
        self._show_status(busy=True)
        ops.load_dossier(parent=self, session=self._session, client_id=client_id).success(
            self._on_loaded
        ).failure(self._on_load_failed).run()

    def flush(self) -> None:
        """Save what is still being typed (a note, a visit not yet recorded). Call before
        locking or closing."""
        self.notes_tab.flush()
        self.visits_tab.flush()
        self.intake_tab.flush()
        self.plan_tab.flush()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.flush()
        super().closeEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self.flush()
        super().hideEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale and self._view is not None:
            self._reload()

    def tag_texts(self) -> list[str]:
        """The scheme tags in the header, as shown."""
        return [label.text() for label in self._tag_labels if label.objectName() == "tag"]

    # ------------------------------------------------------------------------------ loading

    def _show_status(self, *, busy: bool) -> None:
        self.status_label.setText(self._status_text())
        self.progress.setVisible(busy)
        self._stack.setCurrentIndex(0)

    def _on_loaded(self, loaded: LoadedDossier) -> None:
        view = loaded.view
        client_id = view.client.id
        if client_id != self._client_id:
            return
        self._show(view)
        self.overview_tab.set_client(view.client, view.enrollments)
        self.visits_tab.set_visits(client_id, view.visits)
        self.intake_tab.set_client(client_id)
        self.plan_tab.set_client(client_id)
        self.notes_tab.set_notes(client_id, view.notes)
        self.attachments_tab.set_attachments(
            client_id, view.attachments, max_bytes=loaded.max_attachment_bytes
        )
        self._stack.setCurrentWidget(self._content)
        focused = QApplication.focusWidget()
        if focused is None or not self.isAncestorOf(focused):
            # Keyboard users land on the tab bar: arrows move between the tabs.
            self.tabs.tabBar().setFocus(Qt.FocusReason.OtherFocusReason)
        self.loaded.emit(client_id)
        if self._stale:
            self._reload()

    def _on_reloaded(self, loaded: LoadedDossier) -> None:
        view = loaded.view
        if view.client.id != self._client_id or self._view is None:
            return
        self._show(view)
        self.overview_tab.update_client(view.client, view.enrollments)
        self.visits_tab.update_visits(view.visits)
        self.notes_tab.update_notes(view.notes)
        self.attachments_tab.update_attachments(
            view.attachments, max_bytes=loaded.max_attachment_bytes
        )

    def _show(self, view: DossierView) -> None:
        """The header and the read-only tabs."""
        self._view = view
        self._client = view.client
        self._show_header()
        self.household_model.set_members(view.household, view.today)
        self.history_model.set_rows(view.history)

    def _on_load_failed(self, error: BaseException) -> None:
        self._client_id = None
        self._view = None
        self._status_text = lambda: error_text(error)
        self._show_status(busy=False)

    def _show_header(self) -> None:
        view, client = self._view, self._client
        if view is None or client is None:
            return
        self.name_label.setText(client.name.display())
        size = view.household_size
        household = (
            self.tr("Huishouden: 1 persoon")
            if size == 1
            else self.tr("Huishouden: %1 personen").replace("%1", str(size))
        )
        parts = [self.tr("%1 jaar").replace("%1", str(view.age)), str(client.address), household]
        self.details_label.setText(" · ".join(parts))
        for label in self._tag_labels:
            self._tags.removeWidget(label)
            label.deleteLater()
        self._tag_labels = []
        language = ui_language()
        for scheme in view.active_schemes:
            self._add_tag(scheme.label(language), "tag")
        if not view.active_schemes:
            self._add_tag(self.tr("Geen lopende regeling"), "muted")

    def _add_tag(self, text: str, name: str) -> None:
        tag = QLabel(text)
        tag.setObjectName(name)
        self._tags.addWidget(tag)
        self._tag_labels.append(tag)

    # ------------------------------------------------------------------------------ changes

    def _on_tab_action_triggered(self, number: int) -> None:
        if self._stack.currentWidget() is self._content:
            self.tabs.setCurrentIndex(number)

    def _on_bus_changed(self, changes: Changes) -> None:
        client_id = self._client_id
        if client_id is None or not changes.touches(*DOSSIER_ENTITIES, AUDIT, client_id=client_id):
            return
        records = changes.touches(*DOSSIER_ENTITIES, client_id=client_id)
        if self._view is None or not self.isVisible():
            self._stale = True  # read again once it is open, and on screen
        elif records:
            self._reload()
        else:
            ops.load_history(parent=self, session=self._session, client_id=client_id).success(
                lambda history: self._on_history_loaded(client_id, history)
            ).run()
        if records:
            self.changed.emit()

    def _reload(self) -> None:
        client_id = self._client_id
        if client_id is None:
            return
        self._stale = False
        ops.reload_dossier(parent=self, session=self._session, client_id=client_id).success(
            self._on_reloaded
        ).failure(self._on_load_failed).run()

    def _on_history_loaded(self, client_id: str, history: tuple[HistoryEntry, ...]) -> None:
        if client_id == self._client_id:
            self.history_model.set_rows(history)
