"""Overzicht: the person, their address and contact details (edited in place) and schemes.

A changed field is saved when it loses focus or on Enter: no Save button. The domain validates
each value; an invalid one gets an inline message under the field and is not saved. Captions are
the fields' names from the one label table (app.domain.schema), so the form and the history say
the same word.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.client import Client, Enrollment
from app.domain.formatting import date_text
from app.domain.reference import ladder_label
from app.domain.schema import field_label
from app.services import dossier as service
from app.ui.dossier.models import EnrollmentTableModel
from app.ui.messages import error_text, ui_language
from app.ui.operations import dossier as ops
from app.ui.session import Session
from app.ui.theme import MARGIN, SPACING
from app.ui.widgets import (
    FieldError,
    FormGrid,
    ListPane,
    SavedHint,
    fit_columns,
    record_table,
    scrolled,
    with_mnemonics,
)

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
FACTS = ("bsn", "date_of_birth", "caseworker", "participation_step")


def step_text(step: int, label: str) -> str:
    """A step or score with its name, the way the other screens write it: "4 – Onbetaald werk"."""
    return f"{step} – {label}"


class OverviewTab(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._client: Client | None = None
        self._saved_values: dict[str, str] = {}
        self._in_flight: dict[str, str] = {}  # field -> text being saved (saved once only)
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, FieldError] = {}
        self._captions: dict[str, QLabel] = {}
        self._facts: dict[str, QLabel] = {}
        self._fact_captions: dict[str, QLabel] = {}
        self.saved_hint = SavedHint()

        self._person_box = self._facts_group()
        self._name_box = self._field_group(NAME_FIELDS)
        self._address_box = self._field_group(ADDRESS_FIELDS)
        self._contact_box = self._field_group(CONTACT_FIELDS)
        self.enrollment_model = EnrollmentTableModel(self)
        self.enrollment_view = record_table("enrollmentTable", stretch=EnrollmentTableModel.STRETCH)
        self.enrollment_view.setModel(self.enrollment_model)
        self.enrollment_view.setMinimumHeight(120)
        fit_columns(self.enrollment_view)
        self.schemes = ListPane(self.enrollment_view, margins=(0, 0, 0, 0))

        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        column.setSpacing(MARGIN)
        column.addLayout(self._columns())
        column.addWidget(self.saved_hint)
        column.addWidget(self.schemes, 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scrolled(content))
        self._retranslate()

    def _columns(self) -> QHBoxLayout:
        top = QHBoxLayout()
        top.setSpacing(MARGIN)
        for boxes in ((self._person_box, self._name_box), (self._address_box, self._contact_box)):
            side = QVBoxLayout()
            side.setSpacing(MARGIN)
            for box in boxes:
                side.addWidget(box)
            side.addStretch(1)
            top.addLayout(side, 1)
        return top

    def _facts_group(self) -> QGroupBox:
        box = QGroupBox()
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(MARGIN)
        grid.setVerticalSpacing(SPACING)
        for row, key in enumerate(FACTS):
            caption, value = QLabel(), QLabel()
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setObjectName(f"fact_{key}")
            grid.addWidget(caption, row, 0)
            grid.addWidget(value, row, 1)
            self._fact_captions[key] = caption
            self._facts[key] = value
        grid.setColumnStretch(1, 1)
        return box

    def _field_group(self, fields: Sequence[str]) -> QGroupBox:
        box = QGroupBox()
        grid = FormGrid(box)
        for field in fields:
            edit = QLineEdit()
            edit.setObjectName(f"edit_{field}")
            caption, error = grid.add_field(edit)
            edit.editingFinished.connect(lambda f=field: self._on_field_edited(f))
            edit.textEdited.connect(self._on_field_text_edited)
            self.edits[field] = edit
            self.errors[field] = error
            self._captions[field] = caption
        return box

    def _retranslate(self) -> None:
        language = ui_language()
        self._person_box.setTitle(self.tr("Persoonsgegevens"))
        self._name_box.setTitle(self.tr("Naam"))
        self._address_box.setTitle(self.tr("Adres"))
        self._contact_box.setTitle(self.tr("Contact"))
        for key, caption in self._fact_captions.items():
            caption.setText(field_label(Client.ENTITY, key, language))
        schemes_title = self.tr("&Regelingen en toestemming")
        names = [field_label(Client.ENTITY, field, language) for field in self.edits]
        for field, name, text in zip(
            self.edits, names, with_mnemonics([schemes_title, *names])[1:], strict=True
        ):
            self._captions[field].setText(text)
            self.edits[field].setAccessibleName(name)
        self.schemes.set_texts(
            title=schemes_title,
            accessible=self.tr("Regelingen en toestemming"),
            empty=self.tr(
                "Geen regelingen bekend. Regelingen en toestemming worden op kantoor vastgelegd."
            ),
        )
        if self._client is not None:
            self._show_facts(self._client)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self.enrollment_model.retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------------------------ contents

    def set_client(self, client: Client, enrollments: Sequence[Enrollment]) -> None:
        """A dossier was opened: every field as stored, no errors."""
        self._client = client
        self._saved_values = service.contact_values(client)
        self._in_flight.clear()
        for field, edit in self.edits.items():
            edit.setText(self._saved_values[field])
            edit.setCursorPosition(0)
            self.errors[field].clear_error()
        self.saved_hint.hide()
        self._show_facts(client)
        self.enrollment_model.set_rows(enrollments)

    def update_client(self, client: Client, enrollments: Sequence[Enrollment]) -> None:
        """The dossier changed (here or in a sync round): new values replace the fields the
        user left as they were; what they are typing stays."""
        before = self._saved_values
        self._client = client
        self._saved_values = service.contact_values(client)
        for field, edit in self.edits.items():
            if (
                edit.text() == before.get(field)
                and field not in self._in_flight
                and self.errors[field].isHidden()
            ):
                edit.setText(self._saved_values[field])
        self._show_facts(client)
        self.enrollment_model.set_rows(enrollments)

    def _show_facts(self, client: Client) -> None:
        self._facts["bsn"].setText(client.bsn.formatted())
        self._facts["date_of_birth"].setText(date_text(client.date_of_birth))
        self._facts["caseworker"].setText(client.caseworker)
        step = client.participation_step
        self._facts["participation_step"].setText(
            step_text(step, ladder_label(step, ui_language())) if step is not None else "—"
        )

    # --------------------------------------------------------------------------------- edits

    def _on_field_text_edited(self, _text: str) -> None:
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
        ops.update_contact(
            parent=self, session=self._session, client_id=client.id, field=field, text=text
        ).success(lambda saved: self._on_saved(field, text, saved)).failure(
            lambda error: self._on_save_failed(field, text, error)
        ).run()

    def _done(self, field: str, text: str) -> None:
        if self._in_flight.get(field) == text:
            del self._in_flight[field]

    def _on_saved(self, field: str, text: str, client: Client) -> None:
        self._done(field, text)
        if self._client is None or client.id != self._client.id:
            return
        self._client = client
        self._saved_values = service.contact_values(client)
        edit = self.edits[field]
        if edit.text() == text:
            # Show the value as the domain normalised it ("9974ac" -> "9974 AC").
            edit.setText(self._saved_values[field])
        self.errors[field].clear_error()
        self._show_facts(client)
        self.saved_hint.show()

    def _on_save_failed(self, field: str, text: str, error: BaseException) -> None:
        self._done(field, text)
        target = error.field if isinstance(error, service.FieldValidationError) else field
        self.errors[target if target in self.errors else field].show_error(error_text(error))
        self.saved_hint.hide()
