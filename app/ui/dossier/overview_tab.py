"""Overzicht: the person, their address and contact details (edited in place) and schemes.

A changed field is saved when it loses focus or on Enter: no Save button. The domain validates
each value; an invalid one gets an inline message under the field and is not saved.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.client import Client, Enrollment
from app.domain.reference import ladder_label
from app.services import dossier as service
from app.ui.dossier.formatting import fmt_date
from app.ui.dossier.jobs import submit
from app.ui.dossier.models import EnrollmentTableModel
from app.ui.messages import error_text, ui_language
from app.ui.session import Session
from app.ui.tasks import Job
from app.ui.theme import MARGIN, SPACING, dense_table

# The editable fields in the order of the form, grouped.
NAME_FIELDS = ("first_names", "initials", "name_prefix", "surname")
ADDRESS_FIELDS = (
    "street",
    "house_number",
    "house_number_addition",
    "postcode",
    "village",
    "municipality",
)
CONTACT_FIELDS = ("phone", "email")


class OverviewTab(QWidget):
    saved = Signal()
    client_changed = Signal(object)  # the saved Client

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._jobs: set[Job] = set()
        self._client: Client | None = None
        self._saved_values: dict[str, str] = {}
        self._in_flight: dict[str, str] = {}
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        self._labels: dict[str, QLabel] = {}

        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        column.setSpacing(MARGIN)

        self._person_box = QGroupBox()
        person = QGridLayout(self._person_box)
        person.setHorizontalSpacing(MARGIN)
        person.setVerticalSpacing(SPACING)
        self._facts: dict[str, QLabel] = {}
        self._fact_labels: dict[str, QLabel] = {}
        for row, key in enumerate(("bsn", "born", "caseworker", "ladder")):
            caption = QLabel()
            value = QLabel()
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setObjectName(f"fact_{key}")
            person.addWidget(caption, row, 0)
            person.addWidget(value, row, 1)
            self._fact_labels[key] = caption
            self._facts[key] = value
        person.setColumnStretch(1, 1)

        self._name_box = self._field_group(NAME_FIELDS)
        self._address_box = self._field_group(ADDRESS_FIELDS)
        self._contact_box = self._field_group(CONTACT_FIELDS)

        top = QHBoxLayout()
        top.setSpacing(MARGIN)
        left = QVBoxLayout()
        left.setSpacing(MARGIN)
        left.addWidget(self._person_box)
        left.addWidget(self._name_box)
        left.addStretch(1)
        right = QVBoxLayout()
        right.setSpacing(MARGIN)
        right.addWidget(self._address_box)
        right.addWidget(self._contact_box)
        right.addStretch(1)
        top.addLayout(left, 1)
        top.addLayout(right, 1)
        column.addLayout(top)

        self.saved_hint = QLabel()
        self.saved_hint.setObjectName("savedHint")
        self.saved_hint.hide()
        column.addWidget(self.saved_hint)

        self._schemes_title = QLabel()
        self._schemes_title.setObjectName("sectionTitle")
        column.addWidget(self._schemes_title)
        self.enrollment_model = EnrollmentTableModel(self)
        self.enrollment_view = QTableView()
        self.enrollment_view.setModel(self.enrollment_model)
        dense_table(self.enrollment_view)
        self.enrollment_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.enrollment_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.enrollment_view.horizontalHeader().setStretchLastSection(True)
        self.enrollment_view.setMinimumHeight(120)
        self._schemes_title.setBuddy(self.enrollment_view)
        column.addWidget(self.enrollment_view, 1)

        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self._retranslate()

    def _field_group(self, fields: Sequence[str]) -> QGroupBox:
        box = QGroupBox()
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(MARGIN)
        grid.setVerticalSpacing(SPACING // 2)
        for number, field in enumerate(fields):
            label = QLabel()
            edit = QLineEdit()
            edit.setObjectName(f"edit_{field}")
            label.setBuddy(edit)
            error = QLabel()
            error.setObjectName("fieldError")
            error.setWordWrap(True)
            error.hide()
            grid.addWidget(label, number * 2, 0)
            grid.addWidget(edit, number * 2, 1)
            grid.addWidget(error, number * 2 + 1, 1)
            edit.editingFinished.connect(lambda f=field: self._on_field_edited(f))
            edit.textEdited.connect(lambda _text, f=field: self._on_field_typed(f))
            self.edits[field] = edit
            self.errors[field] = error
            self._labels[field] = label
        grid.setColumnStretch(1, 1)
        return box

    def _retranslate(self) -> None:
        self._person_box.setTitle(self.tr("Persoonsgegevens"))
        self._name_box.setTitle(self.tr("Naam"))
        self._address_box.setTitle(self.tr("Adres"))
        self._contact_box.setTitle(self.tr("Contact"))
        facts = {
            "bsn": self.tr("BSN"),
            "born": self.tr("Geboortedatum"),
            "caseworker": self.tr("Klantmanager"),
            "ladder": self.tr("Trede participatieladder"),
        }
        for key, text in facts.items():
            self._fact_labels[key].setText(text)
        captions = {
            "first_names": self.tr("&Voornamen"),
            "initials": self.tr("Voor&letters"),
            "name_prefix": self.tr("&Tussenvoegsel"),
            "surname": self.tr("&Achternaam"),
            "street": self.tr("&Straat"),
            "house_number": self.tr("&Huisnummer"),
            "house_number_addition": self.tr("T&oevoeging"),
            "postcode": self.tr("&Postcode"),
            "village": self.tr("&Woonplaats"),
            "municipality": self.tr("&Gemeente"),
            "phone": self.tr("Tele&foon"),
            "email": self.tr("&E-mail"),
        }
        for field, text in captions.items():
            self._labels[field].setText(text)
            self.edits[field].setAccessibleName(text.replace("&", ""))
        self._schemes_title.setText(self.tr("&Regelingen en toestemming"))
        self.enrollment_view.setAccessibleName(self.tr("Regelingen en toestemming"))
        self.saved_hint.setText(self.tr("Opgeslagen"))
        if self._client is not None:
            self._show_facts(self._client)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self.enrollment_model.retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------------------------ contents

    def set_client(self, client: Client, enrollments: Sequence[Enrollment]) -> None:
        self._client = client
        self._saved_values = service.contact_values(client)
        self._in_flight.clear()
        for field, edit in self.edits.items():
            edit.setText(self._saved_values[field])
            edit.setCursorPosition(0)
            self._set_error(field, None)
        self.saved_hint.hide()
        self._show_facts(client)
        self.enrollment_model.set_rows(enrollments)
        self.enrollment_view.resizeColumnsToContents()

    def _show_facts(self, client: Client) -> None:
        self._facts["bsn"].setText(client.bsn.formatted())
        self._facts["born"].setText(fmt_date(client.date_of_birth))
        self._facts["caseworker"].setText(client.caseworker)
        step = client.participation_step
        self._facts["ladder"].setText(
            f"{step} · {ladder_label(step, ui_language())}" if step is not None else "—"
        )

    # --------------------------------------------------------------------------------- edits

    def _on_field_typed(self, field: str) -> None:
        self.saved_hint.hide()

    def _on_field_edited(self, field: str) -> None:
        client = self._client
        if client is None:
            return
        text = self.edits[field].text()
        if self._in_flight.get(field) == text:
            return
        if text == self._saved_values.get(field) and self.errors[field].isHidden():
            return
        self._in_flight[field] = text
        store, client_id = self._session.store, client.id
        submit(
            self,
            self._session.lanes.storage,
            self._jobs,
            lambda: (
                field,
                text,
                service.update_client_contact(store, client_id=client_id, changes={field: text}),
            ),
            done=self._on_saved,
            failed=lambda error: self._on_save_failed(field, text, error),
        )

    def _on_saved(self, result: tuple[str, str, Client]) -> None:
        field, text, client = result
        if self._client is None or client.id != self._client.id:
            return
        if self._in_flight.get(field) == text:
            del self._in_flight[field]
        self._client = client
        self._saved_values = service.contact_values(client)
        edit = self.edits[field]
        if edit.text() == text:
            # Show the value as the domain normalised it ("9974ac" -> "9974 AC").
            edit.setText(self._saved_values[field])
        self._set_error(field, None)
        self._show_facts(client)
        self.saved_hint.show()
        self.client_changed.emit(client)
        self.saved.emit()

    def _on_save_failed(self, field: str, text: str, error: BaseException) -> None:
        if self._in_flight.get(field) == text:
            del self._in_flight[field]
        target = error.field if isinstance(error, service.FieldValidationError) else field
        self._set_error(target if target in self.errors else field, error_text(error))
        self.saved_hint.hide()

    def _set_error(self, field: str, text: str | None) -> None:
        label = self.errors[field]
        edit = self.edits[field]
        if text:
            label.setText(text)
            label.show()
            edit.setAccessibleDescription(text)
        else:
            label.clear()
            label.hide()
            edit.setAccessibleDescription("")
