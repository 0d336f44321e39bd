"""One action of the plan, added or changed in a small dialog: Wat, Wie (the client, the
caseworker or a partner organisation by name), Wanneer (may stay empty) and, for an action that
exists, its Status.

In the active plan only the status changes (what was agreed is signed); the other fields are
shown read-only. `values()` gives what changed, named as the fields of `PlanAction`, for the
screen to save; the dialog itself writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QEvent, QStringListModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.plan import ActionOwner, PlanAction
from app.domain.states import ActionStatus
from app.ui.intake.form import DateField
from app.ui.plan.actions_model import owner_text, status_choices
from app.ui.theme import MARGIN, SPACING
from app.ui.widgets import ActionButton, FormGrid, ScreenAction

__all__ = ["ActionDialog"]

DESCRIPTION_MAX = 500
PARTNER_MAX = 200


class ActionDialog(QDialog):
    """Add an action (`action` None) or change one (see the module note)."""

    def __init__(
        self,
        *,
        action: PlanAction | None = None,
        content_editable: bool = True,
        partners: Sequence[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("actionDialog")
        self._action = action
        self._content_editable = content_editable
        self._values: dict[str, Any] = {}
        self.accept_action = ScreenAction(
            self, self._on_accept_triggered, shortcut=("Ctrl+Return", "Ctrl+Enter")
        )
        self.cancel_action = ScreenAction(self, self.reject, shortcut="Esc")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        layout.setSpacing(MARGIN)
        layout.addLayout(self._fields(partners))
        layout.addLayout(self._buttons())
        self._retranslate()
        self._show(action)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 80)
        first = self.description_edit if content_editable else self.status_combo
        first.setFocus(Qt.FocusReason.OtherFocusReason)

    def _fields(self, partners: Sequence[str]) -> FormGrid:
        grid = FormGrid()
        self.description_edit = QLineEdit()
        self.description_edit.setObjectName("actionDescription")
        self.description_edit.setMaxLength(DESCRIPTION_MAX)
        self.description_caption, self.description_error = grid.add_field(self.description_edit)
        self.owner_combo = QComboBox()
        self.owner_combo.setObjectName("actionOwner")
        for owner in ActionOwner:
            self.owner_combo.addItem("", owner.value)
        self.owner_combo.currentIndexChanged.connect(self._on_owner_combo_changed)
        self.owner_caption, _ = grid.add_field(self.owner_combo)
        self.partner_edit = QLineEdit()
        self.partner_edit.setObjectName("actionPartner")
        self.partner_edit.setMaxLength(PARTNER_MAX)
        completer = QCompleter(QStringListModel(sorted(set(partners)), self), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.partner_edit.setCompleter(completer)
        self.partner_caption, self.partner_error = grid.add_field(self.partner_edit)
        self.due_field = DateField()
        self.due_field.setObjectName("actionDue")
        self.due_caption, _ = grid.add_field(self.due_field)
        self.due_caption.setBuddy(self.due_field.edit)
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("actionStatus")
        self.status_caption, _ = grid.add_field(self.status_combo)
        self.read_only_label = QLabel()
        self.read_only_label.setObjectName("muted")
        self.read_only_label.setWordWrap(True)
        grid.add_wide(self.read_only_label)
        return grid

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(SPACING)
        row.addStretch(1)
        self.cancel_button = ActionButton(self.cancel_action, "cancelAction")
        self.accept_button = ActionButton(self.accept_action, "primary")
        self.cancel_button.setAutoDefault(False)
        self.accept_button.setDefault(True)
        row.addWidget(self.cancel_button)
        row.addWidget(self.accept_button)
        return row

    # ------------------------------------------------------------------------------ language

    def _retranslate(self) -> None:
        adding = self._action is None
        self.setWindowTitle(self.tr("Actie toevoegen") if adding else self.tr("Actie wijzigen"))
        self.description_caption.setText(self.tr("&Wat"))
        self.description_edit.setPlaceholderText(self.tr("Wat gaat er gebeuren?"))
        self.owner_caption.setText(self.tr("W&ie"))
        for index, owner in enumerate(ActionOwner):
            text = (
                self.tr("Partnerorganisatie") if owner is ActionOwner.PARTNER else owner_text(owner)
            )
            self.owner_combo.setItemText(index, text)
        self.partner_caption.setText(self.tr("&Naam organisatie"))
        self.partner_edit.setPlaceholderText(self.tr("Bijvoorbeeld Schuldhulp Noord-Groningen"))
        self.due_caption.setText(self.tr("Wann&eer"))
        self.status_caption.setText(self.tr("&Status"))
        self.read_only_label.setText(
            self.tr(
                "Dit plan is ondertekend: alleen de status van de actie verandert hier. "
                "Voor een andere afspraak maakt u een nieuwe versie."
            )
        )
        self.accept_action.set_caption(self.tr("&Toevoegen") if adding else self.tr("&Opslaan"))
        self.cancel_action.set_caption(self.tr("Annuleren"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------------------------- values

    def _show(self, action: PlanAction | None) -> None:
        if action is not None:
            self.description_edit.setText(action.description)
            self.owner_combo.setCurrentIndex(self.owner_combo.findData(action.owner.value))
            self.partner_edit.setText(action.partner)
            self.due_field.set_value(action.due_date)
            for text, value in status_choices(action.status):
                self.status_combo.addItem(text, value)
        content = self._content_editable
        self.description_edit.setReadOnly(not content)
        self.owner_combo.setEnabled(content)
        self.partner_edit.setReadOnly(not content)
        self.due_field.set_read_only(not content)
        has_status = action is not None
        self.status_caption.setVisible(has_status)
        self.status_combo.setVisible(has_status)
        self.status_combo.setEnabled(has_status and self.status_combo.count() > 1)
        self.read_only_label.setVisible(not content)
        self._on_owner_combo_changed()

    def owner(self) -> ActionOwner:
        return ActionOwner(self.owner_combo.currentData())

    def _on_owner_combo_changed(self, _index: int = 0) -> None:
        partner = self.owner() is ActionOwner.PARTNER
        self.partner_caption.setVisible(partner)
        self.partner_edit.setVisible(partner)
        if not partner:
            self.partner_error.clear_error()

    def _collect(self) -> dict[str, Any] | None:
        """Every field as entered, or None (with a message beside the field) when one is not
        valid."""
        description = self.description_edit.text().strip()
        owner = self.owner()
        partner = self.partner_edit.text().strip() if owner is ActionOwner.PARTNER else ""
        valid = True
        if not description:
            self.description_error.show_error(self.tr("Beschrijf de actie."))
            valid = False
        else:
            self.description_error.clear_error()
        if owner is ActionOwner.PARTNER and not partner:
            self.partner_error.show_error(self.tr("Welke organisatie voert de actie uit?"))
            valid = False
        else:
            self.partner_error.clear_error()
        if not self.due_field.commit():
            valid = False
        if not valid:
            return None
        due: date | None = self.due_field.value()
        values: dict[str, Any] = {
            "description": description,
            "owner": owner,
            "partner": partner,
            "due_date": due,
        }
        if self._action is not None and self.status_combo.currentIndex() >= 0:
            values["status"] = ActionStatus(self.status_combo.currentData())
        return values

    def values(self) -> dict[str, Any]:
        """After Toevoegen/Opslaan: for a new action every field, for one that exists only
        what changed (only the status, when the content is fixed)."""
        return dict(self._values)

    def _on_accept_triggered(self) -> None:
        values = self._collect()
        if values is None:
            return
        action = self._action
        if action is not None:
            before: dict[str, Any] = {
                "description": action.description,
                "owner": action.owner,
                "partner": action.partner,
                "due_date": action.due_date,
                "status": action.status,
            }
            if not self._content_editable:
                values = {"status": values["status"]} if "status" in values else {}
            values = {k: v for k, v in values.items() if before.get(k) != v}
        self._values = values
        self.accept()
