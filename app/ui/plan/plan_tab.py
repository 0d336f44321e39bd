"""Plan: the client plan (plan van aanpak), written with the client, signed, printed.

On top, which version is shown and where it stands ("Versie 2 — concept", "Versie 1 — actief
sinds 12-10-2026, evaluatie op 12-10-2027", "… ondertekend door de klantmanager; wacht op de
cliënt"), the small "Opgeslagen", and what can be done: Plan starten / Nieuwe versie (while no
draft is open), Tekenen (a draft: as the client or as the caseworker, each until that party
signed), Voorbeeld, Afdrukken… and Opslaan als PDF….

Under it the version's content as a form saved as it is typed (app.ui.plan.plan_form). A version
that is signed, active or closed is read-only, and a line says why and that a new version is the
way to change it; an action's status is still kept up to date in the active plan. Beside the form
(under it when the tab is narrow): every version, and what changed in the version shown since the
version before it. Choosing an older version shows it, read-only.

The printed plan is made in memory for the preview and the printer: nothing reaches the disk
unless the caseworker saves it as a PDF, and every print and save is audited.

Everything is read and written through app.ui.operations.plan; the tab redraws from the change
bus when plans or their actions change (here, or in a sync round).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QModelIndex, QStandardPaths, Qt, Signal
from PySide6.QtGui import QHideEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.formatting import date_text
from app.domain.local_time import local_today
from app.domain.plan import ActionOwner, ClientPlan, PlanAction, SignatureMethod, SignerRole
from app.domain.states import PlanStatus
from app.services.plan import PlanVersion, PlanView
from app.ui.icons import icon
from app.ui.operations import plan as ops
from app.ui.operations.bus import RedrawOnChange
from app.ui.operations.op import show_failure
from app.ui.operations.plan import LoadedPlan, PlanPdf, SignatureChoice
from app.ui.plan import printing
from app.ui.plan.action_dialog import ActionDialog
from app.ui.plan.pdf_preview import PdfPreviewDialog
from app.ui.plan.plan_form import PlanForm
from app.ui.plan.signature_pad import SignatureDialog
from app.ui.plan.versions import (
    ChangeDelegate,
    ChangeTableModel,
    VersionTableModel,
    version_state,
    version_title,
)
from app.ui.session import Session
from app.ui.theme import MARGIN, SPACING
from app.ui.widgets import (
    ActionButton,
    ListPane,
    SavedHint,
    ScreenAction,
    confirm,
    fit_columns,
    key_text,
    mnemonic,
    record_table,
    restore_focus,
    scrolled,
    sentence_or_split,
    with_key,
)

__all__ = ["PlanTab", "confirm"]

# What the tab shows; a change to any of these redraws it.
TOPICS = (ClientPlan.ENTITY, PlanAction.ENTITY)
# From this width on, the versions stand beside the form rather than under it.
SIDE_BY_SIDE_WIDTH = 1000
SIDE_SHARE = 0.36
# The versions list shows this many before it scrolls.
VISIBLE_VERSIONS = 5


class PlanTab(QWidget):
    """The Plan tab of a dossier (see the module note)."""

    loaded = Signal(str)  # the plan of this client id is on screen

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("planTab")
        self._session = session
        self._client_id: str | None = None
        self._loaded: LoadedPlan | None = None
        self._shown_id: str | None = None  # an older version chosen in the list
        self._load_on_show = False
        self._focus_first = False  # a version was just started: into its first field
        self._select_action: str | None = None  # an action just added: select it when shown
        self._saving = 0
        self._busy = False
        self._choosing_version = False
        self._split_done = False
        self.signature_dialog: SignatureDialog | None = None
        self.preview_dialog: PdfPreviewDialog | None = None
        self.action_dialog: ActionDialog | None = None

        self._make_actions()
        self.form = PlanForm()
        self.form.valueChanged.connect(self._on_form_value_changed)
        self._connect_actions_pane()
        self.stack = self._body()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING)
        layout.addWidget(self._top_bar())
        layout.addWidget(self._message_panel())
        layout.addWidget(self.stack, 1)

        self.redraw = RedrawOnChange(self, session.bus, topics=TOPICS, redraw=self._reload)
        self._retranslate()

    # ------------------------------------------------------------------------------ building

    def _make_actions(self) -> None:
        self.start_action = ScreenAction(
            self, self._on_start_triggered, shortcut="Ctrl+Shift+N", object_name="startPlan"
        )
        self.sign_client_action = ScreenAction(
            self, lambda: self._sign(SignerRole.CLIENT), object_name="signAsClient"
        )
        self.sign_caseworker_action = ScreenAction(
            self, lambda: self._sign(SignerRole.CASEWORKER), object_name="signAsCaseworker"
        )
        self.preview_action = ScreenAction(
            self, self._on_preview_triggered, shortcut="Ctrl+Shift+P", object_name="previewPlan"
        )
        self.print_action = ScreenAction(
            self,
            self._on_print_triggered,
            shortcut=QKeySequence.StandardKey.Print,
            object_name="printPlan",
        )
        self.pdf_action = ScreenAction(
            self, self._on_pdf_triggered, shortcut="Ctrl+Shift+S", object_name="savePlanPdf"
        )
        self.print_action.setIcon(icon("print"))
        self.preview_action.setIcon(icon("eye"))

    def _connect_actions_pane(self) -> None:
        pane = self.form.actions_pane
        pane.add_requested.connect(self._on_actions_add_requested)
        pane.edit_requested.connect(self._on_actions_edit_requested)
        pane.remove_requested.connect(self._on_actions_remove_requested)
        pane.move_requested.connect(self._on_actions_move_requested)
        pane.action_edited.connect(self._on_actions_action_edited)

    def _top_bar(self) -> QWidget:
        bar = QWidget()
        bar.setObjectName("planBar")
        layout = QHBoxLayout(bar)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, 0)
        layout.setSpacing(SPACING)
        self.status_label = QLabel()
        self.status_label.setObjectName("planStatus")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.saved_hint = SavedHint()
        self.busy_label = QLabel()
        self.busy_label.setObjectName("muted")
        self.busy_bar = QProgressBar()
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setMaximumWidth(MARGIN * 6)
        self.start_button = ActionButton(self.start_action, "startPlanButton")
        self.sign_menu = QMenu(self)
        self.sign_menu.addAction(self.sign_client_action)
        self.sign_menu.addAction(self.sign_caseworker_action)
        self.sign_button = QPushButton()
        self.sign_button.setObjectName("primary")
        self.sign_button.setMenu(self.sign_menu)
        self.preview_button = ActionButton(self.preview_action, "previewButton")
        self.print_button = ActionButton(self.print_action, "printButton")
        self.pdf_button = ActionButton(self.pdf_action, "pdfButton")
        layout.addWidget(self.status_label, 1)
        for widget in (self.saved_hint, self.busy_label, self.busy_bar):
            layout.addWidget(widget)
            widget.hide()
        for button in (
            self.start_button,
            self.sign_button,
            self.preview_button,
            self.print_button,
            self.pdf_button,
        ):
            layout.addWidget(button)
        return bar

    def _message_panel(self) -> QWidget:
        """Why the version shown cannot change, and what just happened (signed, printed)."""
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(MARGIN, 0, MARGIN, 0)
        layout.setSpacing(SPACING // 2)
        self.notice_label = QLabel()
        self.notice_label.setObjectName("planNotice")
        self.notice_label.setWordWrap(True)
        self.reason_label = QLabel()
        self.reason_label.setObjectName("muted")
        self.reason_label.setWordWrap(True)
        layout.addWidget(self.notice_label)
        layout.addWidget(self.reason_label)
        self.notice_label.hide()
        self.reason_label.hide()
        return panel

    def _body(self) -> QStackedWidget:
        """A sentence while there is no plan; else the form with the versions beside it."""
        stack, self.empty_label, self.splitter = sentence_or_split(
            self.form, self._side(), stretch=(2, 1)
        )
        return stack

    def _side(self) -> QWidget:
        side = QWidget()
        side.setObjectName("planSide")
        self.version_model = VersionTableModel(self)
        self.version_view = record_table("versionTable", stretch=VersionTableModel.STRETCH)
        self.version_view.setModel(self.version_model)
        fit_columns(self.version_view)
        self.version_view.selectionModel().currentRowChanged.connect(
            self._on_version_current_changed
        )
        self.versions_pane = ListPane(self.version_view, margins=(0, 0, 0, 0))
        self.change_model = ChangeTableModel(self)
        self.change_view = QListView()
        self.change_view.setObjectName("changeList")
        self.change_view.setModel(self.change_model)
        self.change_view.setItemDelegate(ChangeDelegate(self.change_view))
        self.change_view.setWordWrap(True)
        self.change_view.setUniformItemSizes(False)
        self.change_view.setResizeMode(QListView.ResizeMode.Adjust)
        self.change_view.setAlternatingRowColors(True)
        self.change_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.change_view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.changes_pane = ListPane(self.change_view, margins=(0, 0, 0, 0))
        layout = QVBoxLayout(side)
        layout.setContentsMargins(SPACING, MARGIN, MARGIN, MARGIN)
        layout.setSpacing(MARGIN)
        layout.addWidget(self.versions_pane)
        layout.addWidget(self.changes_pane, 1)
        self.version_model.modelReset.connect(self._fit_versions)
        self._fit_versions()
        # Scrolled rather than squeezed when the window is small (1366x768 at 150%).
        self.side = scrolled(side)
        self.side.setObjectName("planSideScroll")
        return self.side

    def _fit_versions(self) -> None:
        """The versions list as tall as its rows (up to a few): the changes take the rest."""
        rows = min(max(self.version_model.rowCount(), 1), VISIBLE_VERSIONS)
        view = self.version_view
        height = view.horizontalHeader().sizeHint().height()
        height += rows * view.verticalHeader().defaultSectionSize() + 2 * view.frameWidth() + 2
        view.setFixedHeight(height)
        self.versions_pane.records.setFixedHeight(height)

    # ------------------------------------------------------------------------------ language

    def _retranslate(self) -> None:
        self.sign_client_action.set_caption(self.tr("Als &cliënt…"))
        self.sign_caseworker_action.set_caption(self.tr("Als &klantmanager…"))
        self.preview_action.set_caption(self.tr("Voorbeeld"))
        self.print_action.set_caption(self.tr("Afdrukken…"))
        self.pdf_action.set_caption(self.tr("Opslaan als PDF…"))
        text = self.tr("&Tekenen")
        self.sign_button.setText(text)
        self.sign_button.setToolTip(with_key(text, mnemonic(text)))
        self.busy_bar.setAccessibleName(self.tr("Bezig"))
        self.versions_pane.set_texts(
            title=self.tr("Ver&sies"),
            accessible=self.tr("Versies van het plan"),
            empty=self.tr("Nog geen versies."),
        )
        self._show_view()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self.version_model.retranslate()
            self.change_model.retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------------------------ contents

    @property
    def client_id(self) -> str | None:
        return self._client_id

    @property
    def view(self) -> PlanView | None:
        """The plan as last read."""
        return self._loaded.view if self._loaded is not None else None

    def shown_version(self) -> PlanVersion | None:
        """The version on screen: one chosen in the list, else the current one."""
        view = self.view
        if view is None:
            return None
        chosen = view.version(self._shown_id) if self._shown_id else None
        return chosen or view.current

    def set_client(self, client_id: str) -> None:
        """A dossier was opened: its plan is read when the tab is on screen."""
        if client_id != self._client_id:
            self.flush()
            self._client_id = client_id
            self._loaded = None
            self._shown_id = None
            self.saved_hint.hide()
            self.notice_label.hide()
            self._show_view()
            self.form.scroll_area.verticalScrollBar().setValue(0)
        if self.isVisible():
            self._reload()
        else:
            self._load_on_show = True

    def show_version(self, plan_id: str | None) -> None:
        """Show a version (None: the current one), as choosing it in the list does."""
        view = self.view
        current = view.current if view is not None else None
        self.form.flush()
        self._shown_id = None if current is None or plan_id == current.plan.id else plan_id
        self._show_view()

    def flush(self) -> None:
        """Save what is still being typed (before a lock, a close, a switch)."""
        self.form.flush()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._load_on_show:
            self._reload()
        self._place_side()

    def hideEvent(self, event: QHideEvent) -> None:
        self.flush()
        super().hideEvent(event)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._place_side()

    def _place_side(self) -> None:
        """Versions beside the form (about a third of the width), or under it when narrow; the
        user may move the divider."""
        wide = self.width() >= SIDE_BY_SIDE_WIDTH
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if self.splitter.orientation() == orientation and self._split_done:
            return
        self.splitter.setOrientation(orientation)
        total = max(self.width() if wide else self.stack.height(), 1)
        side = int(total * SIDE_SHARE) if wide else total // 3
        self.splitter.setSizes([total - side, side])
        self._split_done = self.isVisible()

    def _reload(self) -> None:
        client_id = self._client_id
        self._load_on_show = False
        self.redraw.mark_fresh()
        if client_id is None:
            return
        ops.load_plan(parent=self, session=self._session, client_id=client_id).success(
            self._on_loaded
        ).run()

    def _on_loaded(self, loaded: LoadedPlan) -> None:
        if loaded.view.client.id != self._client_id:
            return
        self._loaded = loaded
        if self._shown_id and loaded.view.version(self._shown_id) is None:
            self._shown_id = None
        self._show_view()
        if self._focus_first and self._editable():
            self._focus_first = False
            self.form.focus_field("service_layer")
        self.loaded.emit(loaded.view.client.id)

    # ------------------------------------------------------------------------------ showing

    def _editable(self) -> bool:
        version = self.shown_version()
        return version is not None and version.plan.editable and not self._shown_id

    def _show_view(self) -> None:
        view, version = self.view, self.shown_version()
        self._show_actions(view, version)
        if view is None or version is None:
            self.status_label.setText("")
            self.reason_label.hide()
            self.version_model.set_versions(())
            self.change_model.set_changes(())
            self.form.set_plan(None, read_only=True)
            self.stack.setCurrentWidget(self.empty_label)
            self.empty_label.setText(
                self.tr("Plan laden…")
                if view is None
                else self.tr(
                    "Nog geen plan van aanpak voor deze cliënt. Start het plan met %1."
                ).replace("%1", key_text(self.start_action.shortcut()))
            )
            return
        plan = version.plan
        self.status_label.setText(f"{version_title(plan)} — {version_state(plan)}")
        editable = self._editable()
        self.form.set_plan(plan, read_only=not editable)
        # Progress is no part of what was signed: the active plan's actions move on, also
        # while a new version is being written.
        status_editable = editable or plan.status is PlanStatus.ACTIVE
        self.form.actions_pane.set_actions(
            version.actions,
            content_editable=editable,
            status_editable=status_editable,
            today=view.today,
        )
        if self._select_action and self.form.actions_pane.select(self._select_action):
            self._select_action = None
            self.form.actions_pane.view.setFocus(Qt.FocusReason.OtherFocusReason)
        self._show_reason(view, version, editable)
        self._show_versions(view, version)
        self.stack.setCurrentWidget(self.splitter)

    def _show_actions(self, view: PlanView | None, version: PlanVersion | None) -> None:
        """What the header offers for the version shown."""
        idle = not self._busy
        can_start = view is not None and view.can_start_version
        self.start_action.set_caption(
            self.tr("Nieuwe versie")
            if view is not None and view.versions
            else self.tr("Plan starten")
        )
        self.start_action.setVisible(can_start)
        self.start_action.setEnabled(can_start and idle)
        plan = version.plan if version is not None else None
        draft = plan is not None and plan.status is PlanStatus.DRAFT and not self._shown_id
        self.sign_button.setVisible(draft)
        client_open = draft and plan is not None and plan.client_signature is None
        worker_open = draft and plan is not None and plan.caseworker_signature is None
        self.sign_client_action.setEnabled(client_open and idle)
        self.sign_caseworker_action.setEnabled(worker_open and idle)
        self.sign_button.setEnabled((client_open or worker_open) and idle)
        for action in (self.preview_action, self.print_action, self.pdf_action):
            action.setVisible(plan is not None)
            action.setEnabled(plan is not None and idle)

    def _show_reason(self, view: PlanView, version: PlanVersion, editable: bool) -> None:
        """Why the version shown is read-only, and how it changes."""
        plan = version.plan
        if editable:
            self.reason_label.hide()
            return
        how = self.tr("Wijzigen kan alleen met een nieuwe versie (%1).").replace(
            "%1", key_text(self.start_action.shortcut())
        )
        draft = next((v for v in view.versions if v.plan.status is PlanStatus.DRAFT), None)
        if draft is not None and draft.plan.id != plan.id:
            how = self.tr("Wijzigingen staan in de conceptversie (versie %1).").replace(
                "%1", str(draft.plan.revision)
            )
        if plan.status is PlanStatus.DRAFT:
            why = self.tr("Deze versie is ondertekend; de inhoud ligt vast.")
            how = self.tr(
                "Na de tweede handtekening is dit het actieve plan; daarna wijzigt u het met "
                "een nieuwe versie (%1)."
            ).replace("%1", key_text(self.start_action.shortcut()))
        elif plan.status is PlanStatus.ACTIVE:
            why = self.tr("Dit is het actieve plan; het is ondertekend en verandert niet meer.")
            how += " " + self.tr("De status van een actie kunt u wel bijwerken.")
        else:
            why = self.tr("Deze versie is afgesloten op %1.").replace(
                "%1", date_text(plan.closed_at)
            )
        self.reason_label.setText(f"{why} {how}")
        self.reason_label.show()

    def _show_versions(self, view: PlanView, version: PlanVersion) -> None:
        self.version_model.set_versions(view.versions)
        row = self.version_model.row_of(version.plan.id)
        if row >= 0 and self.version_view.currentIndex().row() != row:
            self._choosing_version = True
            try:
                self.version_view.setCurrentIndex(self.version_model.index(row, 0))
            finally:
                self._choosing_version = False
        self.change_model.set_changes(version.changes)
        previous = view.version(version.plan.previous_id or "")
        if previous is None:
            title = self.tr("Wij&zigingen")
            empty = self.tr("Dit is de eerste versie van het plan.")
        else:
            number = str(previous.plan.revision)
            title = self.tr("Wij&zigingen sinds versie %1").replace("%1", number)
            empty = self.tr("Niets gewijzigd sinds versie %1.").replace("%1", number)
        self.changes_pane.set_texts(title=title, accessible=title.replace("&", ""), empty=empty)

    def _on_version_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._choosing_version:
            return
        version = self.version_model.version_at(current.row())
        if version is not None:
            self.show_version(version.plan.id)

    def _notify(self, text: str) -> None:
        self.notice_label.setText(text)
        self.notice_label.setVisible(bool(text))

    # ---------------------------------------------------------------------------- starting

    def _on_start_triggered(self) -> None:
        client_id = self._client_id
        if client_id is None or not self.start_action.isEnabled() or not self.isVisible():
            return
        self.start_action.setEnabled(False)
        self._focus_first = True
        self._shown_id = None
        self._notify("")
        ops.start_plan(parent=self, session=self._session, client_id=client_id).finally_(
            self._show_view
        ).run()

    # ------------------------------------------------------------------------------ saving

    def _on_form_value_changed(self, name: str, value: object) -> None:
        view, plan_id = self.view, self.form.plan_id
        if view is None or plan_id is None:
            return
        self.saved_hint.hide()
        self._saving += 1
        ops.save_plan(
            parent=self,
            session=self._session,
            plan_id=plan_id,
            client_id=view.client.id,
            values={name: value},
        ).success(lambda _plan: self._on_saved()).failure(
            lambda error: self._on_save_failed([name], error)
        ).finally_(self._on_save_ended).run()

    def _on_saved(self) -> None:
        if self._saving <= 1 and not self.form.has_unsent:
            self.saved_hint.show()

    def _on_save_ended(self) -> None:
        self._saving -= 1

    def _on_save_failed(self, names: list[str], error: BaseException) -> None:
        self.saved_hint.hide()
        self.form.save_failed(names)
        show_failure(self, error)
        self._reload()

    # ----------------------------------------------------------------------------- actions

    def _action(self, action_id: str) -> PlanAction | None:
        version = self.shown_version()
        if version is None:
            return None
        return next((a for a in version.actions if a.id == action_id), None)

    def _partners(self) -> list[str]:
        view = self.view
        versions = view.versions if view is not None else ()
        return [a.partner for v in versions for a in v.actions if a.owner is ActionOwner.PARTNER]

    def _open_action_dialog(self, action: PlanAction | None) -> None:
        shown = self.action_dialog
        if shown is not None and shiboken6.isValid(shown) and shown.isVisible():
            return
        dialog = ActionDialog(
            action=action,
            content_editable=self._editable(),
            partners=self._partners(),
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._on_action_dialog_accepted(dialog, action))
        dialog.finished.connect(lambda _result: restore_focus(self.form.actions_pane.view))
        self.action_dialog = dialog
        dialog.open()

    def _on_actions_add_requested(self) -> None:
        if self._editable():
            self._open_action_dialog(None)

    def _on_actions_edit_requested(self, action_id: str) -> None:
        action = self._action(action_id)
        if action is not None:
            self._open_action_dialog(action)

    def _on_action_dialog_accepted(self, dialog: ActionDialog, action: PlanAction | None) -> None:
        view, version, values = self.view, self.shown_version(), dialog.values()
        if view is None or version is None or not values:
            return
        client_id = view.client.id
        if action is not None:
            self._save_action(action.id, values)
            return
        ops.add_action(
            parent=self,
            session=self._session,
            plan_id=version.plan.id,
            client_id=client_id,
            description=values["description"],
            owner=values["owner"],
            partner=values["partner"],
            due_date=values["due_date"],
        ).success(self._on_action_added).run()

    def _on_action_added(self, action: PlanAction) -> None:
        self._select_action = action.id
        if not self.form.actions_pane.select(action.id):
            return
        self._select_action = None

    def _on_actions_action_edited(self, action_id: str, values: object) -> None:
        if isinstance(values, dict):
            self._save_action(action_id, values)

    def _save_action(self, action_id: str, values: dict[str, Any]) -> None:
        view = self.view
        if view is None:
            return
        ops.save_action(
            parent=self,
            session=self._session,
            action_id=action_id,
            client_id=view.client.id,
            values=values,
        ).failure(self._on_action_failed).run()

    def _on_action_failed(self, error: BaseException) -> None:
        show_failure(self, error)
        self._reload()

    def _on_actions_remove_requested(self, action_id: str) -> None:
        action, view = self._action(action_id), self.view
        if action is None or view is None or not self._editable():
            return
        if not confirm(
            self,
            title=self.tr("Actie verwijderen"),
            text=self.tr("De actie „%1” uit het plan verwijderen?").replace(
                "%1", action.description
            ),
            accept=self.tr("Verwijderen"),
        ):
            return
        ops.remove_action(
            parent=self, session=self._session, action_id=action_id, client_id=view.client.id
        ).failure(self._on_action_failed).finally_(
            lambda: restore_focus(self.form.actions_pane.view)
        ).run()

    def _on_actions_move_requested(self, action_id: str, offset: int) -> None:
        view = self.view
        if view is None or not self._editable():
            return
        ops.move_action(
            parent=self,
            session=self._session,
            action_id=action_id,
            client_id=view.client.id,
            offset=offset,
        ).failure(self._on_action_failed).run()

    # ----------------------------------------------------------------------------- signing

    def _sign(self, role: SignerRole) -> None:
        loaded, version = self._loaded, self.shown_version()
        if loaded is None or version is None or self._busy or self._shown_id:
            return
        plan = version.plan
        signed = plan.client_signature if role is SignerRole.CLIENT else plan.caseworker_signature
        if plan.status is not PlanStatus.DRAFT or signed is not None:
            return
        # What is still being typed belongs to what is signed: it is saved first (the storage
        # lane keeps order, and the signature's hash is taken from what is stored).
        self.form.flush()
        client = role is SignerRole.CLIENT
        name = loaded.view.client.name.display() if client else loaded.caseworker_name
        dialog = SignatureDialog(
            self.tr("Cliënt") if client else self.tr("Klantmanager"),
            name,
            allow_refusal=client,
            today=local_today(),
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: self._on_signature_finished(role, name, dialog))
        self.signature_dialog = dialog
        dialog.open()

    def _on_signature_finished(self, role: SignerRole, name: str, dialog: SignatureDialog) -> None:
        given, view, version = dialog.result_input(), self.view, self.shown_version()
        if given is None or view is None or version is None:
            return
        choice = SignatureChoice(
            method=SignatureMethod(given.method),
            signer=name,
            strokes=given.strokes,
            pad_width=given.pad_width,
            pad_height=given.pad_height,
            paper_date=given.paper_date,
            reason=given.reason,
        )
        self._start_busy(self.tr("Ondertekenen…"))
        ops.sign_plan(
            parent=self,
            session=self._session,
            plan_id=version.plan.id,
            client_id=view.client.id,
            role=role,
            choice=choice,
        ).success(self._on_signed).finally_(self._end_busy).run()

    def _on_signed(self, plan: ClientPlan) -> None:
        if plan.status is PlanStatus.ACTIVE:
            text = self.tr("Beide handtekeningen staan erop: versie %1 is nu het actieve plan.")
            text = text.replace("%1", str(plan.revision))
            evaluation = plan.evaluation_due()
            if evaluation is not None:
                text += " " + self.tr("Evaluatie op %1.").replace("%1", date_text(evaluation))
        elif plan.caseworker_signature is not None:
            text = self.tr("Ondertekend door de klantmanager. Nu tekent de cliënt.")
        else:
            text = self.tr("De handtekening van de cliënt staat erop. Nu tekent de klantmanager.")
        self._notify(text)

    # ------------------------------------------------------------------- preview and print

    def _start_busy(self, text: str, *, total: int = 0) -> None:
        self._busy = True
        self.busy_label.setText(text)
        self.busy_bar.setRange(0, total)
        self.busy_bar.setValue(0)
        self.busy_label.show()
        self.busy_bar.show()
        self._show_actions(self.view, self.shown_version())

    def _end_busy(self) -> None:
        self._busy = False
        self.busy_label.hide()
        self.busy_bar.hide()
        self._show_actions(self.view, self.shown_version())
        restore_focus(self.form.scroll_area)

    def _build_pdf(self, text: str, then: Any) -> None:
        version = self.shown_version()
        if version is None or self._busy or not self.isVisible():
            return
        self.form.flush()
        self._start_busy(text)
        ops.build_plan_pdf(parent=self, session=self._session, plan_id=version.plan.id).success(
            then
        ).failure(self._on_pdf_failed).run()

    def _on_pdf_failed(self, error: BaseException) -> None:
        self._end_busy()
        show_failure(self, error)

    def _on_preview_triggered(self) -> None:
        self._build_pdf(self.tr("Voorbeeld maken…"), self._on_preview_built)

    def _on_preview_built(self, pdf: PlanPdf) -> None:
        self._end_busy()
        version = self.view.version(pdf.plan_id) if self.view is not None else None
        number = str(version.plan.revision) if version is not None else ""
        title = self.tr("Voorbeeld — plan van aanpak, versie %1").replace("%1", number)
        dialog = PdfPreviewDialog(title, pdf.data, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.print_requested.connect(lambda: self._print(pdf, dialog))
        self.preview_dialog = dialog
        dialog.open()

    def _on_print_triggered(self) -> None:
        self._build_pdf(self.tr("Afdrukken voorbereiden…"), self._on_print_built)

    def _on_print_built(self, pdf: PlanPdf) -> None:
        self._end_busy()
        self._print(pdf, self)

    def _print(self, pdf: PlanPdf, parent: QWidget) -> None:
        view = self.view
        if view is None or self._busy:
            return
        printer = printing.choose_printer(
            parent, self.tr("Plan van aanpak afdrukken"), pages=pdf.pages
        )
        if printer is None:
            return
        self._start_busy(self.tr("Bezig met afdrukken…"), total=max(pdf.pages, 1))
        ops.print_plan(
            parent=self, session=self._session, pdf=pdf, client_id=view.client.id, printer=printer
        ).progress(self._on_print_progress).success(self._on_printed).failure(
            self._on_print_failed
        ).finally_(self._end_busy).run()

    def _on_print_progress(self, _text: str, done: int, total: int) -> None:
        self.busy_bar.setRange(0, max(total, 1))
        self.busy_bar.setValue(done)
        self.busy_label.setText(
            self.tr("Afdrukken… pagina %1 van %2")
            .replace("%1", str(done))
            .replace("%2", str(total))
        )

    def _on_printed(self, pages: int) -> None:
        if pages == 1:
            self._notify(self.tr("Afgedrukt: 1 pagina."))
        else:
            self._notify(self.tr("Afgedrukt: %1 pagina's.").replace("%1", str(pages)))

    def _on_print_failed(self, error: BaseException) -> None:
        if isinstance(error, printing.PrintError):
            QMessageBox.warning(self.window(), self.tr("Afdrukken is niet gelukt"), str(error))
        else:
            show_failure(self, error)

    def _on_pdf_triggered(self) -> None:
        version, view = self.shown_version(), self.view
        if version is None or view is None or self._busy or not self.isVisible():
            return
        self.form.flush()
        # No client name in the suggested name: a file name shows in lists and backups.
        name = f"plan-van-aanpak-v{version.plan.revision}.pdf"
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        path, _chosen = QFileDialog.getSaveFileName(
            self,
            self.tr("Plan van aanpak opslaan als PDF"),
            str(Path(folder or Path.home()) / name),
            self.tr("PDF-bestanden (*.pdf)"),
            "",
            QFileDialog.Option.DontUseNativeDialog,
        )
        if not path:
            return
        target = Path(path)
        if target.suffix.casefold() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        self._start_busy(self.tr("PDF maken…"))
        ops.save_plan_pdf(
            parent=self,
            session=self._session,
            plan_id=version.plan.id,
            client_id=view.client.id,
            path=target,
        ).success(
            lambda saved: self._notify(self.tr("Opgeslagen als %1.").replace("%1", saved.name))
        ).finally_(self._end_busy).run()
