"""The client dossier: a header (name, age, address, schemes, household) and the tabs
Overzicht · Huishouden · Bezoeken · Notities · Bijlagen · Historie.

The dossier is read and every edit is saved on the storage lane, never on the UI thread.
Opening a dossier is audited by the store. After every saved edit the page emits `changed`
(the main window updates its pending count) and reloads the history.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QCloseEvent, QHideEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.client import Client
from app.services import dossier as service
from app.services.dossier import DossierView, HistoryEntry
from app.ui.dossier.attachments_tab import AttachmentsTab
from app.ui.dossier.jobs import submit
from app.ui.dossier.models import HistoryTableModel, HouseholdTableModel
from app.ui.dossier.notes_tab import NotesTab
from app.ui.dossier.overview_tab import OverviewTab
from app.ui.dossier.visits_tab import VisitsTab
from app.ui.icons import icon
from app.ui.messages import error_text, ui_language
from app.ui.session import Session
from app.ui.tasks import Job
from app.ui.theme import MARGIN, SPACING, dense_table


@dataclass(frozen=True, slots=True)
class _Loaded:
    token: int
    view: DossierView
    max_attachment_bytes: int


def _table(name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    dense_table(view)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class DossierPage(QWidget):
    """One client's dossier. Give it a Session; call `show_client(client_id)` to open one."""

    changed = Signal()  # an edit was saved (journal and audit written)
    loaded = Signal(str)  # the dossier of this client id is on screen

    OVERVIEW, HOUSEHOLD, VISITS, NOTES, ATTACHMENTS, HISTORY = range(6)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dossierPage")
        self._session = session
        self._jobs: set[Job] = set()
        self._token = 0
        self._client_id: str | None = None
        self._view: DossierView | None = None
        self._client: Client | None = None

        # While loading, or when a dossier cannot be opened.
        self._status = QWidget()
        status_layout = QVBoxLayout(self._status)
        status_layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        status_layout.setSpacing(SPACING)
        status_layout.addStretch(1)
        self.status_label = QLabel()
        self.status_label.setObjectName("dossierStatus")
        self.status_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status_label.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setMaximumWidth(320)
        status_layout.addWidget(self.status_label)
        status_layout.addWidget(self.progress, 0, Qt.AlignmentFlag.AlignHCenter)
        status_layout.addStretch(2)

        # The dossier.
        self._content = QWidget()
        content_layout = QVBoxLayout(self._content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.setSpacing(SPACING)
        header = QWidget()
        header.setObjectName("dossierHeader")
        header_layout = QVBoxLayout(header)
        header_layout.setContentsMargins(MARGIN, MARGIN, MARGIN, 0)
        header_layout.setSpacing(SPACING // 2)
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
        header_layout.addWidget(self.name_label)
        header_layout.addWidget(self.details_label)
        header_layout.addLayout(tags_row)
        content_layout.addWidget(header)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("dossierTabs")
        self.tabs.setDocumentMode(True)
        self.overview_tab = OverviewTab(session)
        self.household_model = HouseholdTableModel(self)
        self.household_view = _table("householdTable")
        self.household_view.setModel(self.household_model)
        self.visits_tab = VisitsTab(session)
        self.notes_tab = NotesTab(session)
        self.attachments_tab = AttachmentsTab(session)
        self.history_model = HistoryTableModel(self)
        self.history_view = _table("historyTable")
        self.history_view.setModel(self.history_model)
        household_page = QWidget()
        household_layout = QVBoxLayout(household_page)
        household_layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        household_layout.addWidget(self.household_view)
        history_page = QWidget()
        history_layout = QVBoxLayout(history_page)
        history_layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        history_layout.addWidget(self.history_view)
        for widget, icon_name in (
            (self.overview_tab, "user"),
            (household_page, "users"),
            (self.visits_tab, "home"),
            (self.notes_tab, "note"),
            (self.attachments_tab, "attachment"),
            (history_page, "history"),
        ):
            self.tabs.addTab(widget, icon(icon_name), "")
        content_layout.addWidget(self.tabs, 1)
        for number in range(self.tabs.count()):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{number + 1}"), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda n=number: self._on_tab_shortcut(n))

        self._stack = QStackedWidget()
        self._stack.addWidget(self._status)
        self._stack.addWidget(self._content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._stack)

        self.overview_tab.saved.connect(self._on_tab_saved)
        self.overview_tab.client_changed.connect(self._on_overview_client_changed)
        self.visits_tab.saved.connect(self._on_tab_saved)
        self.notes_tab.saved.connect(self._on_tab_saved)
        self.attachments_tab.saved.connect(self._on_tab_saved)
        self.attachments_tab.audited.connect(self._refresh_history)
        self._retranslate()
        self._show_status(self.tr("Kies een cliënt om het dossier te openen."), busy=False)

    # ------------------------------------------------------------------------------ language

    def _retranslate(self) -> None:
        titles = (
            self.tr("Overzicht"),
            self.tr("Huishouden"),
            self.tr("Bezoeken"),
            self.tr("Notities"),
            self.tr("Bijlagen"),
            self.tr("Historie"),
        )
        for number, title in enumerate(titles):
            self.tabs.setTabText(number, title)
            self.tabs.setTabToolTip(number, f"{title} (Ctrl+{number + 1})")
        self.household_view.setAccessibleName(self.tr("Huishouden"))
        self.history_view.setAccessibleName(self.tr("Historie van dit dossier"))
        self.progress.setAccessibleName(self.tr("Dossier laden"))
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
        """The dossier as last loaded (edits since then are in the tabs' models)."""
        return self._view

    def show_client(self, client_id: str) -> None:
        """Open a client's dossier: read on the storage lane, shown when it arrives."""
        self.flush()
        self._token += 1
        token = self._token
        self._client_id = client_id
        self._view = None
        self._client = None
        self._show_status(self.tr("Dossier laden…"), busy=True)
        store = self._session.store
        submit(
            self,
            self._session.lanes.storage,
            self._jobs,
            lambda: _Loaded(
                token, service.load_dossier(store, client_id), service.max_attachment_bytes(store)
            ),
            done=self._on_loaded,
            failed=lambda error: self._on_load_failed(token, error),
        )

    def flush(self) -> None:
        """Save what is still being typed (a note, a visit not yet recorded). Call before
        locking or closing."""
        self.notes_tab.flush()
        self.visits_tab.flush()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.flush()
        super().closeEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self.flush()
        super().hideEvent(event)

    # ------------------------------------------------------------------------------ loading

    def _show_status(self, text: str, *, busy: bool) -> None:
        self.status_label.setText(text)
        self.progress.setVisible(busy)
        self._stack.setCurrentWidget(self._status)

    def _on_loaded(self, loaded: _Loaded) -> None:
        if loaded.token != self._token:
            return  # another dossier was asked for meanwhile
        view = loaded.view
        self._view = view
        self._client = view.client
        client_id = view.client.id
        self._show_header()
        self.overview_tab.set_client(view.client, view.enrollments)
        self.household_model.set_members(view.household, view.today)
        self.visits_tab.set_visits(client_id, view.visits)
        self.notes_tab.set_notes(client_id, view.notes)
        self.attachments_tab.set_attachments(
            client_id, view.attachments, max_bytes=loaded.max_attachment_bytes
        )
        self.history_model.set_rows(view.history)
        for table in (self.household_view, self.history_view):
            table.resizeColumnsToContents()
        self._stack.setCurrentWidget(self._content)
        focused = QApplication.focusWidget()
        if focused is None or not self.isAncestorOf(focused):
            # Keyboard users land on the tab bar: arrows move between the tabs.
            self.tabs.tabBar().setFocus(Qt.FocusReason.OtherFocusReason)
        self.loaded.emit(client_id)

    def _on_load_failed(self, token: int, error: BaseException) -> None:
        if token != self._token:
            return
        self._client_id = None
        self._show_status(error_text(error), busy=False)

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
        parts = [
            self.tr("%1 jaar").replace("%1", str(view.age)),
            str(client.address),
            household,
        ]
        self.details_label.setText(" · ".join(parts))
        for label in self._tag_labels:
            self._tags.removeWidget(label)
            label.deleteLater()
        self._tag_labels = []
        language = ui_language()
        for scheme in view.active_schemes:
            tag = QLabel(scheme.label(language))
            tag.setObjectName("tag")
            self._tags.addWidget(tag)
            self._tag_labels.append(tag)
        if not view.active_schemes:
            none = QLabel(self.tr("Geen lopende regeling"))
            none.setObjectName("muted")
            self._tags.addWidget(none)
            self._tag_labels.append(none)

    def tag_texts(self) -> list[str]:
        """The scheme tags in the header, as shown."""
        return [label.text() for label in self._tag_labels if label.objectName() == "tag"]

    # -------------------------------------------------------------------------------- edits

    def _on_tab_shortcut(self, number: int) -> None:
        if self._stack.currentWidget() is self._content:
            self.tabs.setCurrentIndex(number)

    def _on_overview_client_changed(self, client: Client) -> None:
        if self._client is not None and client.id == self._client.id:
            self._client = client
            self._show_header()

    def _on_tab_saved(self) -> None:
        self.changed.emit()
        self._refresh_history()

    def _refresh_history(self) -> None:
        client_id = self._client_id
        if client_id is None:
            return
        store = self._session.store
        submit(
            self,
            self._session.lanes.storage,
            self._jobs,
            lambda: (client_id, service.dossier_history(store, client_id)),
            done=self._on_history,
            failed=self._on_history_failed,
        )

    def _on_history(self, result: tuple[str, tuple[HistoryEntry, ...]]) -> None:
        client_id, history = result
        if client_id == self._client_id:
            self.history_model.set_rows(history)

    def _on_history_failed(self, _error: BaseException) -> None:
        # The history is read-only and refreshed after the next edit; the edit itself was saved.
        return
