"""Instellingen: the language of the UI, light or dark, and after how long the window locks itself.

`SettingsDialog(settings)` shows the values stored in the window's QSettings (nothing personal:
see app/bootstrap.py) and, when the user presses OK, writes them back:

==========================  ========================================================
``ui/language``             ``nl`` or ``en``; absent: follow the system locale
``ui/dark``                 ``true`` or ``false``; absent: follow the system scheme
``lock/idle_minutes``       minutes without input before the window locks (1–60, default 10)
==========================  ========================================================

The dialog only stores the choice; the main window applies it (`MainWindow.open_settings`).
Annuleren (or Esc) writes nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.ui.i18n import SUPPORTED, SYSTEM
from app.ui.idle import DEFAULT_MINUTES
from app.ui.theme import MARGIN, SPACING
from app.ui.widgets import mnemonic, with_key

LANGUAGE_KEY = "ui/language"
DARK_KEY = "ui/dark"
IDLE_MINUTES_KEY = "lock/idle_minutes"

MIN_IDLE_MINUTES = 1
MAX_IDLE_MINUTES = 60

_LIGHT = "light"
_DARK = "dark"

# Each language is named in its own language, whatever the UI speaks (not translated).
_LANGUAGE_NAMES: dict[str, str] = {"nl": "Nederlands", "en": "English"}


def stored_language(settings: QSettings) -> str | None:
    """The language chosen in `settings` ('nl'/'en'), or None to follow the system."""
    value = settings.value(LANGUAGE_KEY)
    text = str(value).strip().lower() if value is not None else ""
    return text if text in SUPPORTED else None


def stored_dark(settings: QSettings) -> bool | None:
    """True for dark, False for light, None to follow the system's colour scheme."""
    value = settings.value(DARK_KEY)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text == "true":
        return True
    if text == "false":
        return False
    return None


def stored_idle_minutes(settings: QSettings) -> int:
    """Whole minutes before the auto-lock, within 1–60; 10 when unset or unreadable."""
    value = settings.value(IDLE_MINUTES_KEY)
    try:
        minutes = round(float(str(value))) if value is not None else round(DEFAULT_MINUTES)
    except (ValueError, OverflowError):  # not a number, NaN, infinity
        minutes = round(DEFAULT_MINUTES)
    return max(MIN_IDLE_MINUTES, min(MAX_IDLE_MINUTES, minutes))


class SettingsDialog(QDialog):
    """Taal, Weergave and Automatisch vergrendelen; OK writes them to `settings`."""

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings

        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        layout.setSpacing(MARGIN)
        layout.addLayout(self._build_form())
        layout.addWidget(self._build_buttons())

        self._retranslate()
        self.language_combo.setCurrentIndex(
            max(0, self.language_combo.findData(stored_language(settings) or SYSTEM))
        )
        dark = stored_dark(settings)
        scheme = SYSTEM if dark is None else (_DARK if dark else _LIGHT)
        self.theme_combo.setCurrentIndex(max(0, self.theme_combo.findData(scheme)))
        self.idle_spin.setValue(stored_idle_minutes(settings))
        self.language_combo.setFocus()

    # ------------------------------------------------------------------------------ building

    def _build_form(self) -> QFormLayout:
        self.language_combo = QComboBox()
        self.language_combo.addItem("", SYSTEM)
        for code in SUPPORTED:
            self.language_combo.addItem(_LANGUAGE_NAMES[code], code)
        self.theme_combo = QComboBox()
        for scheme in (SYSTEM, _LIGHT, _DARK):
            self.theme_combo.addItem("", scheme)
        # As wide as their longest item in the language shown ("Nederlands", "Donker"): the
        # first-show default kept the width of the language the dialog opened in.
        for combo in (self.language_combo, self.theme_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.idle_spin = QSpinBox()
        self.idle_spin.setRange(MIN_IDLE_MINUTES, MAX_IDLE_MINUTES)

        self.language_label = QLabel()
        self.language_label.setBuddy(self.language_combo)
        self.theme_label = QLabel()
        self.theme_label.setBuddy(self.theme_combo)
        self.idle_label = QLabel()
        self.idle_label.setBuddy(self.idle_spin)

        form = QFormLayout()
        form.setHorizontalSpacing(SPACING * 2)
        form.setVerticalSpacing(SPACING)
        form.addRow(self.language_label, self.language_combo)
        form.addRow(self.theme_label, self.theme_combo)
        form.addRow(self.idle_label, self.idle_spin)
        return form

    def _build_buttons(self) -> QDialogButtonBox:
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        return self.buttons

    # ------------------------------------------------------------------------------ choices

    @property
    def language(self) -> str | None:
        """'nl' or 'en', or None for the system's language."""
        code = self.language_combo.currentData()
        return code if code in SUPPORTED else None

    @property
    def dark(self) -> bool | None:
        """True (Donker), False (Licht) or None (follow the system)."""
        scheme = self.theme_combo.currentData()
        return None if scheme == SYSTEM else scheme == _DARK

    @property
    def idle_minutes(self) -> int:
        return self.idle_spin.value()

    # ------------------------------------------------------------------------------ storing

    def accept(self) -> None:
        self.idle_spin.interpretText()  # a number typed without Enter counts too
        self.write()
        super().accept()

    def write(self) -> None:
        """Store the choices in the settings (a 'follow the system' choice removes the key)."""
        if self.language is None:
            self._settings.remove(LANGUAGE_KEY)
        else:
            self._settings.setValue(LANGUAGE_KEY, self.language)
        if self.dark is None:
            self._settings.remove(DARK_KEY)
        else:
            self._settings.setValue(DARK_KEY, "true" if self.dark else "false")
        self._settings.setValue(IDLE_MINUTES_KEY, self.idle_minutes)
        self._settings.sync()

    # ------------------------------------------------------------------------------ language

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Instellingen"))
        self.language_label.setText(self.tr("&Taal"))
        self.theme_label.setText(self.tr("&Weergave"))
        self.idle_label.setText(self.tr("Automatisch &vergrendelen na"))
        self.language_combo.setItemText(0, self.tr("Systeem"))
        for index, text in enumerate((self.tr("Systeem"), self.tr("Licht"), self.tr("Donker"))):
            self.theme_combo.setItemText(index, text)
        self.idle_spin.setSuffix(self.tr(" minuten"))
        idle_tip = self.tr("Na deze tijd zonder muis of toetsenbord wordt het venster vergrendeld.")
        # Each field's tooltip names the Alt+letter of its caption.
        for label, field, tip in (
            (self.language_label, self.language_combo, self.tr("De taal van het venster")),
            (self.theme_label, self.theme_combo, self.tr("Licht of donker")),
            (self.idle_label, self.idle_spin, idle_tip),
        ):
            field.setToolTip(with_key(tip, mnemonic(label.text())))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
