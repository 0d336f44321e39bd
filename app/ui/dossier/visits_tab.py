"""Bezoeken: the client's home visits, and a form to plan one or to record one.

With no visit selected the form describes a new visit: "Plannen" puts it in the agenda,
"Vastleggen" records a visit that has just taken place. With a planned visit selected,
"Vastleggen", "Niet thuis" and "Annuleren" act on that visit. Recording moves the visit through
the domain's state machine; a handhaving visit needs its legal basis, whose fields show only for
that type and are checked before anything is saved.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QDate, QEvent, QItemSelection, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import ValidationError
from app.domain.local_time import ZONE
from app.domain.local_time import local as to_local
from app.domain.states import VisitStatus
from app.domain.visit import EntryConsent, LegalBasis, Visit, VisitPurpose
from app.services import dossier as service
from app.ui.dossier.formatting import fmt_datetime
from app.ui.dossier.jobs import submit
from app.ui.dossier.models import RecordRole, VisitTableModel
from app.ui.messages import error_text, ui_language
from app.ui.session import Session
from app.ui.tasks import Job
from app.ui.theme import MARGIN, SPACING, dense_table


def _draft_key(client_id: str) -> str:
    return f"draft.visit.{client_id}"


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("fieldError")
    label.setWordWrap(True)
    label.hide()
    return label


class VisitsTab(QWidget):
    saved = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._jobs: set[Job] = set()
        self._client_id: str | None = None
        self._busy = False
        self._has_draft = False

        # The list.
        self.model = VisitTableModel(self)
        self.view = QTableView()
        self.view.setObjectName("visitTable")
        self.view.setModel(self.model)
        dense_table(self.view)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.selectionModel().selectionChanged.connect(self._on_view_selection_changed)
        self._list_title = QLabel()
        self._list_title.setObjectName("sectionTitle")
        self._list_title.setBuddy(self.view)
        self.new_button = QPushButton()
        self.new_button.setObjectName("newVisit")
        self.new_button.clicked.connect(self.start_new)
        list_side = QWidget()
        list_layout = QVBoxLayout(list_side)
        list_layout.setContentsMargins(MARGIN, MARGIN, SPACING, MARGIN)
        list_layout.setSpacing(SPACING)
        list_head = QHBoxLayout()
        list_head.addWidget(self._list_title, 1)
        list_head.addWidget(self.new_button)
        list_layout.addLayout(list_head)
        list_layout.addWidget(self.view, 1)

        # The form.
        self.form_box = QGroupBox()
        grid = QGridLayout(self.form_box)
        grid.setHorizontalSpacing(MARGIN)
        grid.setVerticalSpacing(SPACING // 2)
        self.mode_label = QLabel()
        self.mode_label.setObjectName("muted")
        self.mode_label.setWordWrap(True)
        grid.addWidget(self.mode_label, 0, 0, 1, 2)

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
        self.purpose_combo.currentIndexChanged.connect(self._on_purpose_changed)
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setObjectName("visitNotes")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setMinimumHeight(80)
        self.outcome_edit = QLineEdit()
        self.outcome_edit.setObjectName("visitOutcome")

        self._date_label, self._time_label = QLabel(), QLabel()
        self._purpose_label, self._notes_label = QLabel(), QLabel()
        self._outcome_label = QLabel()
        rows: list[tuple[QLabel, QWidget]] = [
            (self._date_label, self.date_edit),
            (self._time_label, self.time_edit),
            (self._purpose_label, self.purpose_combo),
            (self._notes_label, self.notes_edit),
            (self._outcome_label, self.outcome_edit),
        ]
        for number, (label, widget) in enumerate(rows, start=1):
            label.setBuddy(widget)
            grid.addWidget(
                label,
                number,
                0,
                Qt.AlignmentFlag.AlignTop
                if widget is self.notes_edit
                else Qt.AlignmentFlag.AlignVCenter,
            )
            grid.addWidget(widget, number, 1)

        # The legal basis of a handhaving visit.
        self.legal_box = QGroupBox()
        self.legal_box.setObjectName("legalBasis")
        legal = QGridLayout(self.legal_box)
        legal.setHorizontalSpacing(MARGIN)
        legal.setVerticalSpacing(SPACING // 2)
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("legalReason")
        self._reason_label = QLabel()
        self._reason_label.setBuddy(self.reason_edit)
        self.reason_error = _error_label()
        self.identification_check = QCheckBox()
        self.identification_check.setObjectName("legalIdentification")
        self.purpose_check = QCheckBox()
        self.purpose_check.setObjectName("legalPurposeStated")
        self.checks_error = _error_label()
        self.consent_combo = QComboBox()
        self.consent_combo.setObjectName("legalConsent")
        self.consent_combo.addItem("", EntryConsent.GIVEN.value)
        self.consent_combo.addItem("", EntryConsent.REFUSED.value)
        self.consent_combo.setCurrentIndex(-1)
        self._consent_label = QLabel()
        self._consent_label.setBuddy(self.consent_combo)
        self.consent_error = _error_label()
        legal.addWidget(self._reason_label, 0, 0)
        legal.addWidget(self.reason_edit, 0, 1)
        legal.addWidget(self.reason_error, 1, 1)
        legal.addWidget(self.identification_check, 2, 1)
        legal.addWidget(self.purpose_check, 3, 1)
        legal.addWidget(self.checks_error, 4, 1)
        legal.addWidget(self._consent_label, 5, 0)
        legal.addWidget(self.consent_combo, 5, 1)
        legal.addWidget(self.consent_error, 6, 1)
        legal.setColumnStretch(1, 1)
        grid.addWidget(self.legal_box, len(rows) + 1, 0, 1, 2)

        self.form_error = _error_label()
        grid.addWidget(self.form_error, len(rows) + 2, 0, 1, 2)
        self.saved_hint = QLabel()
        self.saved_hint.setObjectName("savedHint")
        self.saved_hint.hide()
        grid.addWidget(self.saved_hint, len(rows) + 3, 0, 1, 2)

        self.plan_button = QPushButton()
        self.plan_button.setObjectName("planVisit")
        self.plan_button.clicked.connect(self._on_plan_clicked)
        self.record_button = QPushButton()
        self.record_button.setObjectName("primary")
        self.record_button.clicked.connect(self._on_record_clicked)
        self.not_home_button = QPushButton()
        self.not_home_button.setObjectName("notHome")
        self.not_home_button.clicked.connect(self._on_not_home_clicked)
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("cancelVisit")
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        buttons = QHBoxLayout()
        buttons.setSpacing(SPACING)
        buttons.addWidget(self.plan_button)
        buttons.addWidget(self.not_home_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.record_button)
        grid.addLayout(buttons, len(rows) + 4, 0, 1, 2)
        grid.setColumnStretch(1, 1)

        form_side = QWidget()
        form_layout = QVBoxLayout(form_side)
        form_layout.setContentsMargins(SPACING, MARGIN, MARGIN, MARGIN)
        form_layout.addWidget(self.form_box)
        form_layout.addStretch(1)
        form_scroll = QScrollArea()
        form_scroll.setWidget(form_side)
        form_scroll.setWidgetResizable(True)
        form_scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(list_side)
        splitter.addWidget(form_scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

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
            self.record_button,
        ]
        for first, second in zip(order, order[1:], strict=False):
            self.setTabOrder(first, second)
        self._retranslate()
        self.start_new()

    def _retranslate(self) -> None:
        self._list_title.setText(self.tr("&Huisbezoeken"))
        self.view.setAccessibleName(self.tr("Huisbezoeken"))
        self.new_button.setText(self.tr("&Nieuw huisbezoek"))
        self.form_box.setTitle(self.tr("Huisbezoek"))
        self._date_label.setText(self.tr("&Datum"))
        self._time_label.setText(self.tr("&Tijd"))
        self._purpose_label.setText(self.tr("&Soort"))
        self._notes_label.setText(self.tr("&Aantekeningen"))
        self.notes_edit.setAccessibleName(self.tr("Aantekeningen"))
        self._outcome_label.setText(self.tr("&Uitkomst"))
        language = ui_language()
        for index in range(self.purpose_combo.count()):
            purpose = VisitPurpose(self.purpose_combo.itemData(index))
            self.purpose_combo.setItemText(index, purpose.label(language))
        self.legal_box.setTitle(self.tr("Wettelijke grondslag (handhaving)"))
        self._reason_label.setText(self.tr("&Reden"))
        self.identification_check.setText(self.tr("&Legitimatie getoond"))
        self.purpose_check.setText(self.tr("Doel van het bezoek &genoemd"))
        self._consent_label.setText(self.tr("T&oestemming binnentreden"))
        self.consent_combo.setItemText(0, self.tr("Gegeven"))
        self.consent_combo.setItemText(1, self.tr("Geweigerd"))
        self.consent_combo.setPlaceholderText(self.tr("Kies…"))
        self.plan_button.setText(self.tr("&Plannen"))
        self.record_button.setText(self.tr("&Vastleggen"))
        self.not_home_button.setText(self.tr("Niet thu&is"))
        self.cancel_button.setText(self.tr("Bezoek annul&eren"))
        self.saved_hint.setText(self.tr("Opgeslagen"))
        self._show_mode()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self.model.retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------------------------ contents

    def set_visits(self, client_id: str, visits: Sequence[Visit]) -> None:
        self._client_id = client_id
        self.model.set_rows(visits)
        self.view.resizeColumnsToContents()
        self.saved_hint.hide()
        self.start_new()
        store, key = self._session.store, _draft_key(client_id)
        self._session.lanes.storage.submit(
            lambda: store.setting(key),
            done=lambda draft: self._restore_draft(client_id, draft),
            owner=self,
        )

    # ------------------------------------------------------------------------------ drafts
    # A visit typed but not yet planned or recorded is kept as a draft in the encrypted
    # database (a local setting, never synced) when the dossier closes, locks or switches, and
    # put back in the form when the dossier opens again: nothing typed is lost.

    def _draft(self) -> dict[str, Any] | None:
        notes, outcome = self.notes_edit.toPlainText(), self.outcome_edit.text()
        visit = self.selected_visit()
        if visit is not None and (
            visit.status is not VisitStatus.PLANNED
            or (notes == visit.notes and outcome == visit.outcome)
        ):
            return None
        if visit is None and not (notes.strip() or outcome.strip()):
            return None
        moment = self._planned_at()
        return {
            "visit_id": visit.id if visit is not None else None,
            "purpose": self._purpose().value,
            "at": moment.isoformat(),
            "notes": notes,
            "outcome": outcome,
        }

    def flush(self) -> None:
        """Keep what is typed in the form as a draft (or drop a draft that is no longer)."""
        client_id = self._client_id
        if client_id is None or self._busy:
            return
        draft = self._draft()
        if draft is None and not self._has_draft:
            return
        self._has_draft = draft is not None
        store, key = self._session.store, _draft_key(client_id)
        self._session.lanes.storage.submit(lambda: store.set_setting(key, draft))

    def _restore_draft(self, client_id: str, draft: Any) -> None:
        if client_id != self._client_id or not isinstance(draft, dict):
            return
        self._has_draft = True
        visit_id = draft.get("visit_id")
        if visit_id is not None:
            row = self.model.row_of(str(visit_id))
            if row < 0:
                return
            self.view.selectRow(row)
        else:
            moment = to_local(datetime.fromisoformat(str(draft["at"])))
            self.date_edit.setDate(QDate(moment.year, moment.month, moment.day))
            self.time_edit.setTime(QTime(moment.hour, moment.minute))
            self.purpose_combo.setCurrentIndex(self.purpose_combo.findData(draft["purpose"]))
        self._fill(notes=str(draft.get("notes", "")), outcome=str(draft.get("outcome", "")))
        self.mode_label.setText(
            self.mode_label.text() + " " + self.tr("Niet vastgelegde invoer is teruggezet.")
        )

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
        self.date_edit.setDate(QDate(now.year, now.month, now.day))
        self.time_edit.setTime(QTime(now.hour, now.minute - now.minute % 15))
        self.purpose_combo.setCurrentIndex(
            self.purpose_combo.findData(VisitPurpose.VOORTGANG.value)
        )
        self._fill(notes="", outcome="")
        self._clear_legal()
        self._update_form()

    def _fill(self, *, notes: str, outcome: str) -> None:
        self.notes_edit.setPlainText(notes)
        self.outcome_edit.setText(outcome)

    def _clear_legal(self) -> None:
        self.reason_edit.clear()
        self.identification_check.setChecked(False)
        self.purpose_check.setChecked(False)
        self.consent_combo.setCurrentIndex(-1)

    def _on_view_selection_changed(self, _selected: QItemSelection, _old: QItemSelection) -> None:
        visit = self.selected_visit()
        self._clear_errors()
        if visit is None:
            self._update_form()
            return
        local = to_local(visit.planned_at)
        self.date_edit.setDate(QDate(local.year, local.month, local.day))
        self.time_edit.setTime(QTime(local.hour, local.minute))
        self.purpose_combo.setCurrentIndex(self.purpose_combo.findData(visit.purpose.value))
        self._fill(notes=visit.notes, outcome=visit.outcome)
        basis = visit.legal_basis
        if basis is None:
            self._clear_legal()
        else:
            self.reason_edit.setText(basis.reason)
            self.identification_check.setChecked(basis.identification_shown)
            self.purpose_check.setChecked(basis.purpose_stated)
            self.consent_combo.setCurrentIndex(
                self.consent_combo.findData(basis.entry_consent.value)
            )
        self._update_form()

    def _on_purpose_changed(self, _index: int) -> None:
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
        self.plan_button.setEnabled(new and not self._busy)
        self.plan_button.setVisible(new)
        self.record_button.setEnabled(editable)
        self.not_home_button.setVisible(planned)
        self.cancel_button.setVisible(planned)
        self.not_home_button.setEnabled(planned and not self._busy)
        self.cancel_button.setEnabled(planned and not self._busy)
        self._show_mode()

    def _show_mode(self) -> None:
        visit = self.selected_visit()
        if visit is None:
            text = self.tr("Nieuw huisbezoek: plan het, of leg een bezoek vast dat net is geweest.")
        elif visit.status is VisitStatus.PLANNED:
            text = self.tr("Gepland huisbezoek van %1.").replace(
                "%1", fmt_datetime(visit.planned_at)
            )
        else:
            text = self.tr("Huisbezoek van %1: %2.").replace("%1", fmt_datetime(visit.planned_at))
            text = text.replace("%2", visit.status.label(ui_language()))
        self.mode_label.setText(text)

    # --------------------------------------------------------------------------------- input

    def _planned_at(self) -> datetime:
        day = self.date_edit.date().toPython()
        moment = self.time_edit.time().toPython()
        return datetime.combine(day, moment).replace(tzinfo=ZONE)  # type: ignore[arg-type]

    def _clear_errors(self) -> None:
        for label in (self.reason_error, self.checks_error, self.consent_error, self.form_error):
            label.clear()
            label.hide()

    def _show_error(self, label: QLabel, text: str) -> None:
        label.setText(text)
        label.show()

    def _legal_basis(self) -> tuple[LegalBasis | None, bool]:
        """The legal basis from the form, for handhaving; (None, False) after showing errors."""
        if self._purpose() is not VisitPurpose.HANDHAVING:
            return None, True
        ok = True
        consent_value = self.consent_combo.currentData()
        if self.consent_combo.currentIndex() < 0 or consent_value is None:
            self._show_error(
                self.consent_error,
                self.tr("Kies of de cliënt toestemming gaf om binnen te komen."),
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
            self._show_error(target or self.checks_error, error_text(error))
            if target is not None and not (
                self.identification_check.isChecked() and self.purpose_check.isChecked()
            ):
                self._show_error(
                    self.checks_error,
                    self.tr(
                        "Bij een handhavingsbezoek moet u zich legitimeren en het doel noemen."
                    ),
                )
            return None, False
        return (basis, True) if ok else (None, False)

    def _on_plan_clicked(self) -> None:
        client_id = self._client_id
        if client_id is None or self.selected_visit() is not None:
            return
        self._clear_errors()
        store, planned_at, purpose = self._session.store, self._planned_at(), self._purpose()
        self._run(
            lambda: service.plan_visit(
                store, client_id=client_id, planned_at=planned_at, purpose=purpose
            )
        )

    def _on_record_clicked(self) -> None:
        client_id = self._client_id
        if client_id is None:
            return
        self._clear_errors()
        basis, ok = self._legal_basis()
        if not ok:
            return
        store = self._session.store
        notes, outcome = self.notes_edit.toPlainText(), self.outcome_edit.text()
        visit = self.selected_visit()
        if visit is None:
            held_at, purpose = self._planned_at(), self._purpose()
            self._run(
                lambda: service.record_new_visit(
                    store,
                    client_id=client_id,
                    held_at=held_at,
                    purpose=purpose,
                    notes=notes,
                    outcome=outcome,
                    legal_basis=basis,
                )
            )
        else:
            visit_id = visit.id
            self._run(
                lambda: service.record_visit(
                    store, visit_id=visit_id, notes=notes, outcome=outcome, legal_basis=basis
                )
            )

    def _on_not_home_clicked(self) -> None:
        visit = self.selected_visit()
        if visit is None:
            return
        self._clear_errors()
        store, visit_id, notes = self._session.store, visit.id, self.notes_edit.toPlainText()
        self._run(lambda: service.mark_not_home(store, visit_id=visit_id, notes=notes))

    def _on_cancel_clicked(self) -> None:
        visit = self.selected_visit()
        if visit is None:
            return
        self._clear_errors()
        store, visit_id, reason = self._session.store, visit.id, self.outcome_edit.text()
        self._run(lambda: service.cancel_visit(store, visit_id=visit_id, reason=reason))

    def _run(self, fn: Callable[[], Any]) -> None:
        self._busy = True
        self.saved_hint.hide()
        self._update_form()
        submit(
            self,
            self._session.lanes.storage,
            self._jobs,
            fn,
            done=self._on_saved,
            failed=self._on_save_failed,
        )

    def _on_saved(self, visit: Visit) -> None:
        self._busy = False
        if visit.client_id != self._client_id:
            return
        if self._has_draft:
            self._has_draft = False
            store, key = self._session.store, _draft_key(visit.client_id)
            self._session.lanes.storage.submit(lambda: store.set_setting(key, None))
        self.model.upsert(visit)
        self.view.resizeColumnsToContents()
        self.start_new()
        self.view.selectRow(self.model.row_of(visit.id))
        self.view.scrollTo(self.model.index(self.model.row_of(visit.id), 0))
        self.saved_hint.show()
        self.saved.emit()

    def _on_save_failed(self, error: BaseException) -> None:
        self._busy = False
        self._update_form()
        code = getattr(error, "code", "")
        if code == "legal_reason_required":
            self._show_error(self.reason_error, error_text(error))
        elif code in ("legal_basis_incomplete", "legal_basis_required"):
            self._show_error(self.checks_error, error_text(error))
        else:
            self._show_error(self.form_error, error_text(error))
