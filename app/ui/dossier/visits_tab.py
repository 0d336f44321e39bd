"""Bezoeken: the client's home visits, and a form to plan one or to record one.

With no visit selected the form describes a new visit: "Plannen" puts it in the agenda,
"Vastleggen" records a visit that has just taken place. With a planned visit selected,
"Vastleggen", "Niet thuis" and "Annuleren" act on that visit. Recording moves the visit through
the domain's state machine; a handhaving visit needs its legal basis, whose fields show only for
that type and are checked before anything is saved.

What is typed but not yet planned or recorded is kept as a draft (app.services.drafts) when the
dossier closes, locks or switches, and put back when it opens again: nothing typed is lost.

With a recorded visit selected, "Verslag…" shows its report (built in memory) in a preview whose
"Afdrukken…" prints it; every print is audited, and nothing is written to disk.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import QDate, QEvent, QItemSelection, Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSplitter,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import ValidationError
from app.domain.formatting import moment_text
from app.domain.local_time import ZONE
from app.domain.local_time import local as to_local
from app.domain.schema import field_label
from app.domain.states import VisitStatus
from app.domain.visit import EntryConsent, LegalBasis, Visit, VisitPurpose
from app.services import drafts
from app.services.drafts import VisitDraft
from app.ui.dossier.models import RecordRole, VisitTableModel
from app.ui.messages import error_text, ui_language
from app.ui.operations import documents as document_ops
from app.ui.operations import visits as ops
from app.ui.operations.documents import ReportPdf
from app.ui.operations.op import Op, show_failure
from app.ui.plan import printing
from app.ui.plan.pdf_preview import PdfPreviewDialog
from app.ui.session import Session
from app.ui.theme import MARGIN, SPACING
from app.ui.widgets import (
    ActionButton,
    FieldError,
    FormGrid,
    ListPane,
    SavedHint,
    ScreenAction,
    fit_columns,
    key_text,
    record_table,
    restore_focus,
    scrolled,
    with_mnemonics,
)

_VISIT = Visit.ENTITY


class VisitsTab(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._client_id: str | None = None
        self._busy = False
        self._has_draft = False  # a draft is stored for this client
        self._restored = False  # the form shows a draft put back
        self._reporting = False  # a report is being built or printed
        self.preview_dialog: PdfPreviewDialog | None = None

        self._make_actions()
        self.model = VisitTableModel(self)
        self.view = record_table("visitTable", stretch=VisitTableModel.STRETCH)
        self.view.setModel(self.model)
        fit_columns(self.view)
        self.view.selectionModel().selectionChanged.connect(self._on_view_selection_changed)
        self.list_pane = ListPane(
            self.view, buttons=[self.new_button], margins=(MARGIN, MARGIN, SPACING, MARGIN)
        )
        self.form_box = self._form()

        form_side = QWidget()
        form_layout = QVBoxLayout(form_side)
        form_layout.setContentsMargins(SPACING, MARGIN, MARGIN, MARGIN)
        form_layout.addWidget(self.form_box)
        form_layout.addStretch(1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.list_pane)
        splitter.addWidget(scrolled(form_side))
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self._set_tab_order()
        self._retranslate()
        self.start_new()

    # ------------------------------------------------------------------------------- building

    def _make_actions(self) -> None:
        self.new_action = ScreenAction(self, self._on_new_triggered, shortcut="Ctrl+N")
        self.plan_action = ScreenAction(self, self._on_plan_triggered)
        self.record_action = ScreenAction(
            self, self._on_record_triggered, shortcut=("Ctrl+Return", "Ctrl+Enter")
        )
        self.not_home_action = ScreenAction(self, self._on_not_home_triggered)
        self.cancel_action = ScreenAction(self, self._on_cancel_triggered)
        self.report_action = ScreenAction(
            self, self._on_report_triggered, shortcut="Ctrl+Shift+R", object_name="visitReport"
        )
        self.new_button = ActionButton(self.new_action, "newVisit")
        self.plan_button = ActionButton(self.plan_action, "planVisit")
        self.record_button = ActionButton(self.record_action, "primary")
        self.not_home_button = ActionButton(self.not_home_action, "notHome")
        self.cancel_button = ActionButton(self.cancel_action, "cancelVisit")
        self.report_button = ActionButton(self.report_action, "visitReportButton")

    def _form(self) -> QGroupBox:
        box = QGroupBox()
        grid = FormGrid(box)
        self.mode_label = QLabel()
        self.mode_label.setObjectName("muted")
        self.mode_label.setWordWrap(True)
        grid.add_wide(self.mode_label)
        self.date_edit = QDateEdit()
        self.date_edit.setObjectName("visitDate")
        self.date_edit.setDisplayFormat("dd-MM-yyyy")
        self.date_edit.setCalendarPopup(True)
        self.time_edit = QTimeEdit()
        self.time_edit.setObjectName("visitTime")
        self.time_edit.setDisplayFormat("HH:mm")
        self.purpose_combo = QComboBox()
        self.purpose_combo.setObjectName("visitPurpose")
        for purpose in VisitPurpose:
            self.purpose_combo.addItem("", purpose.value)
        self.purpose_combo.currentIndexChanged.connect(self._on_purpose_combo_changed)
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setObjectName("visitNotes")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setMinimumHeight(80)
        self.outcome_edit = QLineEdit()
        self.outcome_edit.setObjectName("visitOutcome")
        self._date_label, _ = grid.add_field(self.date_edit)
        self._time_label, _ = grid.add_field(self.time_edit)
        self._purpose_label, _ = grid.add_field(self.purpose_combo)
        self._notes_label, _ = grid.add_field(self.notes_edit, top=True)
        self._outcome_label, _ = grid.add_field(self.outcome_edit)
        self.legal_box = self._legal_form()
        grid.add_wide(self.legal_box)
        self.form_error = FieldError()
        grid.add_wide(self.form_error)
        self.saved_hint = SavedHint()
        grid.add_wide(self.saved_hint)
        buttons = QHBoxLayout()
        buttons.setSpacing(SPACING)
        for button in (
            self.plan_button,
            self.not_home_button,
            self.cancel_button,
            self.report_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.record_button)
        grid.addLayout(buttons, grid.rowCount(), 0, 1, 2)
        return box

    def _legal_form(self) -> QGroupBox:
        """The legal basis of a handhaving visit."""
        box = QGroupBox()
        box.setObjectName("legalBasis")
        grid = FormGrid(box)
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("legalReason")
        self._reason_label, self.reason_error = grid.add_field(self.reason_edit)
        self.identification_check = QCheckBox()
        self.identification_check.setObjectName("legalIdentification")
        grid.add_beside(self.identification_check)
        self.purpose_check = QCheckBox()
        self.purpose_check.setObjectName("legalPurposeStated")
        grid.add_beside(self.purpose_check)
        self.checks_error = FieldError(self.purpose_check)
        grid.add_beside(self.checks_error)
        self.consent_combo = QComboBox()
        self.consent_combo.setObjectName("legalConsent")
        self.consent_combo.addItem("", EntryConsent.GIVEN.value)
        self.consent_combo.addItem("", EntryConsent.REFUSED.value)
        self.consent_combo.setCurrentIndex(-1)
        self._consent_label, self.consent_error = grid.add_field(self.consent_combo)
        return box

    def _set_tab_order(self) -> None:
        order: list[QWidget] = [
            self.view,
            self.new_button,
            self.date_edit,
            self.time_edit,
            self.purpose_combo,
            self.notes_edit,
            self.outcome_edit,
            self.reason_edit,
            self.identification_check,
            self.purpose_check,
            self.consent_combo,
            self.plan_button,
            self.not_home_button,
            self.cancel_button,
            self.report_button,
            self.record_button,
        ]
        for first, second in zip(order, order[1:], strict=False):
            self.setTabOrder(first, second)

    # ------------------------------------------------------------------------------ language

    def _retranslate(self) -> None:
        language = ui_language()
        self.new_action.set_caption(self.tr("&Nieuw huisbezoek"))
        self.list_pane.set_texts(
            title=self.tr("&Huisbezoeken"),
            accessible=self.tr("Huisbezoeken"),
            empty=self.tr(
                "Nog geen huisbezoeken. Plan een bezoek of leg er een vast met %1."
            ).replace("%1", key_text(self.new_action.shortcut())),
        )
        self.form_box.setTitle(self.tr("Huisbezoek"))
        self._retranslate_captions(language)
        for index in range(self.purpose_combo.count()):
            purpose = VisitPurpose(self.purpose_combo.itemData(index))
            self.purpose_combo.setItemText(index, purpose.label(language))
        self.legal_box.setTitle(self.tr("Wettelijke grondslag (handhaving)"))
        self.consent_combo.setItemText(0, self.tr("Gegeven"))
        self.consent_combo.setItemText(1, self.tr("Geweigerd"))
        self.consent_combo.setPlaceholderText(self.tr("Kies…"))
        self.plan_action.set_caption(self.tr("&Plannen"))
        self.record_action.set_caption(self.tr("&Vastleggen"))
        self.not_home_action.set_caption(self.tr("Niet thu&is"))
        self.cancel_action.set_caption(self.tr("Bezoek annul&eren"))
        self.report_action.set_caption(self.tr("Verslag…"))
        self._show_mode()

    def _retranslate_captions(self, language: str) -> None:
        """Field captions come from the label table; each gets an Alt+letter of its own."""
        fixed = [
            self.tr("&Huisbezoeken"),
            self.tr("&Nieuw huisbezoek"),
            self.tr("&Plannen"),
            self.tr("&Vastleggen"),
            self.tr("Niet thu&is"),
            self.tr("Bezoek annul&eren"),
            self.tr("&Datum"),
            self.tr("&Tijd"),
        ]
        fields = {
            "purpose": (self._purpose_label, self.purpose_combo),
            "notes": (self._notes_label, self.notes_edit),
            "outcome": (self._outcome_label, self.outcome_edit),
            "legal_reason": (self._reason_label, self.reason_edit),
            "legal_identification_shown": (None, self.identification_check),
            "legal_purpose_stated": (None, self.purpose_check),
            "legal_entry_consent": (self._consent_label, self.consent_combo),
        }
        names = [field_label(_VISIT, field, language) for field in fields]
        captions = with_mnemonics([*fixed, *names])
        self._date_label.setText(captions[6])
        self._time_label.setText(captions[7])
        for (label, widget), name, caption in zip(
            fields.values(), names, captions[len(fixed) :], strict=True
        ):
            if label is not None:
                label.setText(caption)
            elif isinstance(widget, QCheckBox):
                widget.setText(caption)
            widget.setAccessibleName(name)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self.model.retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------------------------ contents

    def set_visits(self, client_id: str, visits: Sequence[Visit]) -> None:
        """A dossier was opened: its visits, an empty form, and a draft put back if any."""
        self._client_id = client_id
        self._has_draft = False
        self.model.set_rows(visits)
        self.saved_hint.hide()
        self.start_new()
        ops.load_visit_draft(parent=self, session=self._session, client_id=client_id).success(
            self._restore_draft
        ).run()

    def update_visits(self, visits: Sequence[Visit]) -> None:
        """The visits changed (a sync round, a save): the list follows; the form keeps what is
        typed and only its buttons follow the selected visit's new state."""
        self.model.merge(visits)
        self._update_form()

    def selected_visit(self) -> Visit | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        visit = rows[0].data(RecordRole)
        return visit if isinstance(visit, Visit) else None

    def start_new(self) -> None:
        """Empty the form for a new visit (now, rounded to the quarter)."""
        self.view.clearSelection()
        now = datetime.now(ZONE)
        self._set_moment(now.replace(minute=now.minute - now.minute % 15))
        self.purpose_combo.setCurrentIndex(
            self.purpose_combo.findData(VisitPurpose.VOORTGANG.value)
        )
        self._fill(notes="", outcome="")
        self._clear_legal()
        self._restored = False
        self._update_form()

    def _on_new_triggered(self) -> None:
        self.start_new()
        self.date_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _set_moment(self, moment: datetime) -> None:
        local = to_local(moment)
        self.date_edit.setDate(QDate(local.year, local.month, local.day))
        self.time_edit.setTime(QTime(local.hour, local.minute))

    def _fill(self, *, notes: str, outcome: str) -> None:
        self.notes_edit.setPlainText(notes)
        self.outcome_edit.setText(outcome)

    def _clear_legal(self) -> None:
        self._fill_legal(None)

    def _fill_legal(self, basis: LegalBasis | None) -> None:
        self.reason_edit.setText(basis.reason if basis else "")
        self.identification_check.setChecked(basis.identification_shown if basis else False)
        self.purpose_check.setChecked(basis.purpose_stated if basis else False)
        self.consent_combo.setCurrentIndex(
            self.consent_combo.findData(basis.entry_consent.value) if basis else -1
        )

    def _on_view_selection_changed(self, _selected: QItemSelection, _old: QItemSelection) -> None:
        visit = self.selected_visit()
        self._clear_errors()
        if visit is not None:
            self._set_moment(visit.planned_at)
            self.purpose_combo.setCurrentIndex(self.purpose_combo.findData(visit.purpose.value))
            self._fill(notes=visit.notes, outcome=visit.outcome)
            self._fill_legal(visit.legal_basis)
        self._update_form()

    def _on_purpose_combo_changed(self, _index: int) -> None:
        self._update_form()

    def _purpose(self) -> VisitPurpose:
        return VisitPurpose(self.purpose_combo.currentData())

    def _update_form(self) -> None:
        visit = self.selected_visit()
        planned = visit is not None and visit.status is VisitStatus.PLANNED
        new = visit is None
        editable = (new or planned) and not self._busy
        when: tuple[QWidget, ...] = (self.date_edit, self.time_edit, self.purpose_combo)
        for widget in when:
            widget.setEnabled(new and not self._busy)
        what: tuple[QWidget, ...] = (self.notes_edit, self.outcome_edit, self.legal_box)
        for widget in what:
            widget.setEnabled(editable)
        self.legal_box.setVisible(self._purpose() is VisitPurpose.HANDHAVING)
        self.plan_action.setVisible(new)
        self.plan_action.setEnabled(new and not self._busy)
        self.record_action.setEnabled(editable)
        for action in (self.not_home_action, self.cancel_action):
            action.setVisible(planned)
            action.setEnabled(planned and not self._busy)
        done = visit is not None and visit.status is VisitStatus.DONE
        self.report_action.setVisible(done)
        self.report_action.setEnabled(done and not self._busy and not self._reporting)
        self._show_mode()

    def _show_mode(self) -> None:
        visit = self.selected_visit()
        if visit is None:
            text = self.tr("Nieuw huisbezoek: plan het, of leg een bezoek vast dat net is geweest.")
        elif visit.status is VisitStatus.PLANNED:
            text = self.tr("Gepland huisbezoek van %1.").replace(
                "%1", moment_text(visit.planned_at)
            )
        else:
            text = self.tr("Huisbezoek van %1: %2.").replace("%1", moment_text(visit.planned_at))
            text = text.replace("%2", visit.status.label(ui_language()))
        if self._restored:
            text += " " + self.tr("Niet vastgelegde invoer is teruggezet.")
        self.mode_label.setText(text)

    # ------------------------------------------------------------------------------ drafts

    def _draft(self) -> VisitDraft | None:
        """What the form holds, when it is worth keeping."""
        client_id = self._client_id
        if client_id is None:
            return None
        visit = self.selected_visit()
        consent = (
            self.consent_combo.currentData() if self.consent_combo.currentIndex() >= 0 else None
        )
        draft = VisitDraft(
            client_id=client_id,
            visit_id=visit.id if visit is not None else None,
            planned_at=self._planned_at(),
            purpose=self._purpose(),
            notes=self.notes_edit.toPlainText(),
            outcome=self.outcome_edit.text(),
            legal_reason=self.reason_edit.text(),
            identification_shown=self.identification_check.isChecked(),
            purpose_stated=self.purpose_check.isChecked(),
            entry_consent=EntryConsent(consent) if consent is not None else None,
        )
        return draft if drafts.worth_keeping(draft, visit) else None

    def flush(self) -> None:
        """Keep what is typed in the form as a draft (or drop a draft that is no longer)."""
        client_id = self._client_id
        if client_id is None or self._busy:
            return
        draft = self._draft()
        if draft is not None:
            self._has_draft = True
            ops.save_visit_draft(parent=self, session=self._session, draft=draft).run()
        elif self._has_draft:
            self._discard_draft(client_id)

    def _discard_draft(self, client_id: str) -> None:
        self._has_draft = False
        ops.discard_visit_draft(parent=self, session=self._session, client_id=client_id).run()

    def _restore_draft(self, draft: VisitDraft | None) -> None:
        if draft is None or draft.client_id != self._client_id:
            return
        self._has_draft = True
        if draft.visit_id is not None:
            row = self.model.row_of(draft.visit_id)
            if row < 0:
                return
            self.view.selectRow(row)
        else:
            self._set_moment(draft.planned_at)
            if draft.purpose is not None:
                self.purpose_combo.setCurrentIndex(self.purpose_combo.findData(draft.purpose.value))
        self._fill(notes=draft.notes, outcome=draft.outcome)
        self.reason_edit.setText(draft.legal_reason)
        self.identification_check.setChecked(draft.identification_shown)
        self.purpose_check.setChecked(draft.purpose_stated)
        self.consent_combo.setCurrentIndex(
            self.consent_combo.findData(draft.entry_consent.value) if draft.entry_consent else -1
        )
        self._restored = True
        self._show_mode()

    # --------------------------------------------------------------------------------- input

    def _planned_at(self) -> datetime:
        day = self.date_edit.date().toPython()
        moment = self.time_edit.time().toPython()
        return datetime.combine(day, moment).replace(tzinfo=ZONE)  # type: ignore[arg-type]

    def _clear_errors(self) -> None:
        for label in (self.reason_error, self.checks_error, self.consent_error, self.form_error):
            label.clear_error()

    def _legal_basis(self) -> tuple[LegalBasis | None, bool]:
        """The legal basis from the form, for handhaving; (None, False) after showing errors."""
        if self._purpose() is not VisitPurpose.HANDHAVING:
            return None, True
        ok = True
        consent_value = self.consent_combo.currentData()
        if self.consent_combo.currentIndex() < 0 or consent_value is None:
            self.consent_error.show_error(
                self.tr("Kies of de cliënt toestemming gaf om binnen te komen.")
            )
            ok = False
        try:
            basis = LegalBasis(
                reason=self.reason_edit.text(),
                identification_shown=self.identification_check.isChecked(),
                purpose_stated=self.purpose_check.isChecked(),
                entry_consent=EntryConsent(consent_value or EntryConsent.REFUSED.value),
            )
        except ValidationError as error:
            target = self.reason_error if error.code == "legal_reason_required" else None
            (target or self.checks_error).show_error(error_text(error))
            if target is not None and not (
                self.identification_check.isChecked() and self.purpose_check.isChecked()
            ):
                self.checks_error.show_error(
                    self.tr("Bij een handhavingsbezoek moet u zich legitimeren en het doel noemen.")
                )
            return None, False
        return (basis, True) if ok else (None, False)

    # ------------------------------------------------------------------------------- actions

    def _on_plan_triggered(self) -> None:
        client_id = self._client_id
        if client_id is None or self.selected_visit() is not None:
            return
        self._clear_errors()
        self._run(
            ops.plan_visit(
                parent=self,
                session=self._session,
                client_id=client_id,
                planned_at=self._planned_at(),
                purpose=self._purpose(),
            )
        )

    def _on_record_triggered(self) -> None:
        client_id = self._client_id
        if client_id is None or not self.record_action.isEnabled():
            return
        self._clear_errors()
        basis, ok = self._legal_basis()
        if not ok:
            return
        notes, outcome = self.notes_edit.toPlainText(), self.outcome_edit.text()
        visit = self.selected_visit()
        if visit is None:
            op = ops.record_new_visit(
                parent=self,
                session=self._session,
                client_id=client_id,
                held_at=self._planned_at(),
                purpose=self._purpose(),
                notes=notes,
                outcome=outcome,
                legal_basis=basis,
            )
        else:
            op = ops.record_visit(
                parent=self,
                session=self._session,
                visit_id=visit.id,
                notes=notes,
                outcome=outcome,
                legal_basis=basis,
            )
        self._run(op)

    def _on_not_home_triggered(self) -> None:
        visit = self.selected_visit()
        if visit is None:
            return
        self._clear_errors()
        self._run(
            ops.mark_not_home(
                parent=self,
                session=self._session,
                visit_id=visit.id,
                notes=self.notes_edit.toPlainText(),
            )
        )

    def _on_cancel_triggered(self) -> None:
        visit = self.selected_visit()
        if visit is None:
            return
        self._clear_errors()
        self._run(
            ops.cancel_visit(
                parent=self,
                session=self._session,
                visit_id=visit.id,
                reason=self.outcome_edit.text(),
            )
        )

    def _run(self, op: Op[Visit]) -> None:
        self._busy = True
        self.saved_hint.hide()
        self._update_form()
        op.success(self._on_saved).failure(self._on_save_failed).finally_(self._on_run_ended).run()

    def _on_run_ended(self) -> None:
        self._busy = False
        self._update_form()
        if self.isVisible():
            restore_focus(self.view if self.view.isVisible() else self.new_button)

    def _on_saved(self, visit: Visit) -> None:
        if visit.client_id != self._client_id:
            return
        if self._has_draft:
            self._discard_draft(visit.client_id)
        row = self.model.upsert(visit)
        self.start_new()
        self.view.selectRow(row)
        self.view.scrollTo(self.model.index(row, 0))
        self.saved_hint.show()

    def _on_save_failed(self, error: BaseException) -> None:
        code = getattr(error, "code", "")
        if code == "legal_reason_required":
            self.reason_error.show_error(error_text(error))
        elif code in ("legal_basis_incomplete", "legal_basis_required"):
            self.checks_error.show_error(error_text(error))
        else:
            self.form_error.show_error(error_text(error))

    # ------------------------------------------------------------------------------- report

    def _on_report_triggered(self) -> None:
        visit = self.selected_visit()
        if (
            visit is None
            or visit.status is not VisitStatus.DONE
            or self._busy
            or self._reporting
            or not self.isVisible()
        ):
            return
        self._clear_errors()
        self._set_reporting(True)
        document_ops.build_visit_report(
            parent=self, session=self._session, visit_id=visit.id, client_id=visit.client_id
        ).success(self._on_report_built).failure(self._on_report_failed).finally_(
            lambda: self._set_reporting(False)
        ).run()

    def _set_reporting(self, reporting: bool) -> None:
        self._reporting = reporting
        self._update_form()

    def _on_report_failed(self, error: BaseException) -> None:
        self.form_error.show_error(error_text(error))

    def _on_report_built(self, pdf: ReportPdf) -> None:
        visit = self.selected_visit()
        when = (
            moment_text(visit.planned_at) if visit is not None and visit.id == pdf.record_id else ""
        )
        title = self.tr("Voorbeeld — verslag huisbezoek %1").replace("%1", when).strip()
        dialog = PdfPreviewDialog(title, pdf.data, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.print_requested.connect(lambda: self._print_report(pdf, dialog))
        self.preview_dialog = dialog
        dialog.open()

    def _print_report(self, pdf: ReportPdf, parent: QWidget) -> None:
        if self._reporting:
            return
        printer = printing.choose_printer(
            parent, self.tr("Verslag huisbezoek afdrukken"), pages=pdf.pages
        )
        if printer is None:
            return
        self._set_reporting(True)
        document_ops.print_report(
            parent=self, session=self._session, pdf=pdf, printer=printer
        ).failure(self._on_print_failed).finally_(lambda: self._set_reporting(False)).run()

    def _on_print_failed(self, error: BaseException) -> None:
        if isinstance(error, printing.PrintError):
            QMessageBox.warning(self.window(), self.tr("Afdrukken is niet gelukt"), str(error))
        else:
            show_failure(self, error)
