"""Instellingen: language, light/dark and the auto-lock time, chosen in the dialog and applied
live to the main window (locked and unlocked)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLocale, QSettings, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from app.demo.profiles import CASEWORKER_PROFILE, DemoProfile
from app.ui import i18n, theme
from app.ui import main_window as main_window_module
from app.ui.main_window import MainWindow, Workspace
from app.ui.settings_dialog import (
    DARK_KEY,
    IDLE_MINUTES_KEY,
    LANGUAGE_KEY,
    SettingsDialog,
)
from app.ui.tasks import Lanes

# --- fixtures: Dutch before and after, and the application's look as it was -----------------


@pytest.fixture
def ui(qapp: QApplication) -> Iterator[QApplication]:
    locale = QLocale()
    style = qapp.style().name() or "fusion"
    palette = QPalette(qapp.palette())
    font = qapp.font()
    sheet = qapp.styleSheet()
    dark = qapp.property("veldwerk_dark")
    i18n.install_translators(qapp, "nl")
    yield qapp
    i18n.install_translators(qapp, "nl")
    QLocale.setDefault(locale)
    qapp.setStyleSheet(sheet)
    qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setFont(font)
    qapp.setProperty("veldwerk_dark", dark)
    if qapp.property("veldwerk_theme_follows_system") is not None:
        qapp.setProperty("veldwerk_theme_follows_system", False)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "veldwerk.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(
    qtbot: QtBot,
    ui: QApplication,
    home: Path,
    demo_profiles: list[DemoProfile],
    lanes: Lanes,
    settings: QSettings,
) -> Iterator[MainWindow]:
    shown = MainWindow(lanes, home=home, settings=settings, idle_minutes=10)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    shown.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is shown)
    yield shown
    if shown.workspace is not None:
        shown.lock()


# --- helpers ----------------------------------------------------------------------------------


def _click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)  # type: ignore[no-untyped-call]


def _key(
    qtbot: QtBot,
    widget: QWidget | None,
    key: Qt.Key,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    assert widget is not None
    qtbot.keyClick(widget, key, modifier)  # type: ignore[no-untyped-call]


def _open_by_shortcut(qtbot: QtBot, window: MainWindow) -> SettingsDialog:
    """Ctrl+, typed where the focus is, as a user would."""
    target = QApplication.focusWidget() or window
    _key(qtbot, target, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.findChild(SettingsDialog) is not None)
    dialog = window.findChild(SettingsDialog)
    assert isinstance(dialog, SettingsDialog)
    qtbot.waitExposed(dialog)
    return dialog


def _choose(qtbot: QtBot, combo: Any, text: str) -> None:
    """Pick an entry by keyboard: focus the box, Home, then Down until `text` is current."""
    combo.setFocus()
    _key(qtbot, combo, Qt.Key.Key_Home)
    for _ in range(combo.count()):
        if combo.currentText() == text:
            return
        _key(qtbot, combo, Qt.Key.Key_Down)
    assert combo.currentText() == text, [combo.itemText(i) for i in range(combo.count())]


def _ok(qtbot: QtBot, window: MainWindow, dialog: SettingsDialog) -> None:
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    _click(qtbot, button)
    _closed(qtbot, window)


def _closed(qtbot: QtBot, window: MainWindow) -> None:
    """Wait until the dialog is gone, then give the window back its activation (a window
    manager does that; the offscreen platform does not)."""
    qtbot.waitUntil(lambda: window.findChild(SettingsDialog) is None)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def _unlock(qtbot: QtBot, window: MainWindow, passphrase: str) -> Workspace:
    page = window.unlock_page
    assert page.select_profile(CASEWORKER_PROFILE)
    page.passphrase_edit.setText(passphrase)
    _click(qtbot, page.unlock_button)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=15_000)
    assert window.workspace is not None
    return window.workspace


# --- the dialog on its own --------------------------------------------------------------------


def test_dialog_shows_stored_values_and_defaults(
    qtbot: QtBot, ui: QApplication, settings: QSettings
) -> None:
    fresh = SettingsDialog(settings)
    qtbot.addWidget(fresh)
    assert fresh.windowTitle() == "Instellingen"
    assert fresh.language_combo.currentText() == "Systeem"
    assert fresh.theme_combo.currentText() == "Systeem"
    assert [fresh.theme_combo.itemText(i) for i in range(3)] == ["Systeem", "Licht", "Donker"]
    assert [fresh.language_combo.itemText(i) for i in range(3)] == [
        "Systeem",
        "Nederlands",
        "English",
    ]
    assert (fresh.language, fresh.dark, fresh.idle_minutes) == (None, None, 10)
    assert (fresh.idle_spin.minimum(), fresh.idle_spin.maximum()) == (1, 60)
    # Qt's own buttons in Dutch (qtbase_nl.qm).
    cancel = fresh.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert cancel.text() == "Annuleren"
    # Every input has a label that names it for screen readers and gives a mnemonic.
    assert fresh.language_label.buddy() is fresh.language_combo
    assert fresh.theme_label.buddy() is fresh.theme_combo
    assert fresh.idle_label.buddy() is fresh.idle_spin
    assert fresh.idle_label.text() == "Automatisch &vergrendelen na"

    settings.setValue(LANGUAGE_KEY, "en")
    settings.setValue(DARK_KEY, "false")
    settings.setValue(IDLE_MINUTES_KEY, "25")
    stored = SettingsDialog(settings)
    qtbot.addWidget(stored)
    assert stored.language_combo.currentText() == "English"
    assert stored.theme_combo.currentText() == "Licht"
    assert (stored.language, stored.dark, stored.idle_minutes) == ("en", False, 25)

    settings.setValue(IDLE_MINUTES_KEY, 500)  # out of range: the nearest allowed value
    settings.setValue(DARK_KEY, "true")
    settings.setValue(LANGUAGE_KEY, "fr")  # unsupported: follow the system
    odd = SettingsDialog(settings)
    qtbot.addWidget(odd)
    assert (odd.language, odd.dark, odd.idle_minutes) == (None, True, 60)
    for unreadable in ("tien", "inf", "nan"):
        settings.setValue(IDLE_MINUTES_KEY, unreadable)
        unreadable_dialog = SettingsDialog(settings)
        qtbot.addWidget(unreadable_dialog)
        assert unreadable_dialog.idle_minutes == 10


def test_dialog_is_driven_by_keyboard_and_retranslates_while_open(
    qtbot: QtBot, ui: QApplication, settings: QSettings
) -> None:
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.language_combo.hasFocus())

    # Tab walks language -> look -> minutes -> the buttons.
    order: list[QWidget | None] = [dialog.language_combo]
    for _ in range(3):
        _key(qtbot, QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order[1] is dialog.theme_combo
    assert order[2] in (dialog.idle_spin, dialog.idle_spin.lineEdit())
    assert order[3] in dialog.buttons.buttons()

    i18n.install_translators(ui, "en")
    qtbot.waitUntil(lambda: dialog.windowTitle() == "Settings")
    assert dialog.language_label.text() == "&Language"
    assert dialog.theme_combo.itemText(2) == "Dark"
    assert dialog.idle_spin.suffix() == " minutes"
    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    qtbot.waitUntil(lambda: cancel.text() == "Cancel")

    # Esc is Annuleren: nothing is written.
    _choose(qtbot, dialog.theme_combo, "Dark")
    _key(qtbot, dialog.theme_combo, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert settings.allKeys() == []


# --- applied live to the main window ----------------------------------------------------------


def test_english_by_shortcut_on_the_locked_window(
    qtbot: QtBot, window: MainWindow, settings: QSettings, ui: QApplication
) -> None:
    assert window.unlock_page.unlock_button.text() == "Ontgrendelen"
    window.unlock_page.passphrase_edit.setFocus()
    qtbot.waitUntil(lambda: window.unlock_page.passphrase_edit.hasFocus())
    window.unlock_page.passphrase_edit.setText("half getypt")

    dialog = _open_by_shortcut(qtbot, window)
    assert window.open_settings() is dialog  # a second request brings the same one forward
    _choose(qtbot, dialog.language_combo, "English")
    _ok(qtbot, window, dialog)

    assert settings.value(LANGUAGE_KEY) == "en"
    assert ui.property("veldwerk_language") == "en"
    qtbot.waitUntil(lambda: window.unlock_page.unlock_button.text() == "Unlock")
    page = window.unlock_page
    assert window.stack.currentWidget() is page
    assert page.enroll_button.text() == "Enroll a new profile / device"
    selected = page.selected_profile()
    assert selected is not None and selected.name == CASEWORKER_PROFILE
    assert page.passphrase_edit.text() == "half getypt"  # what was typed survives the switch

    # The dialog itself now speaks English; back to Dutch through it.
    dialog = _open_by_shortcut(qtbot, window)
    assert dialog.windowTitle() == "Settings"
    assert dialog.language_combo.currentText() == "English"
    _choose(qtbot, dialog.language_combo, "Nederlands")
    _ok(qtbot, window, dialog)
    assert settings.value(LANGUAGE_KEY) == "nl"
    qtbot.waitUntil(lambda: window.unlock_page.unlock_button.text() == "Ontgrendelen")

    # "Systeem" removes the key (bootstrap then follows the locale).
    dialog = _open_by_shortcut(qtbot, window)
    _choose(qtbot, dialog.language_combo, "Systeem")
    _ok(qtbot, window, dialog)
    assert not settings.contains(LANGUAGE_KEY)
    assert ui.property("veldwerk_language") == i18n.system_language()


def test_dark_light_and_system_look(
    qtbot: QtBot,
    window: MainWindow,
    settings: QSettings,
    ui: QApplication,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(theme, "system_prefers_dark", lambda: False)
    theme.apply_theme(ui, dark=False)

    dialog = _open_by_shortcut(qtbot, window)
    _choose(qtbot, dialog.theme_combo, "Donker")
    _ok(qtbot, window, dialog)
    assert settings.value(DARK_KEY) == "true"
    window_colour = ui.palette().color(QPalette.ColorRole.Window)
    assert window_colour == QColor(theme.DARK.window)
    assert window_colour.lightness() < 100
    assert window.palette().color(QPalette.ColorRole.Window) == window_colour

    dialog = _open_by_shortcut(qtbot, window)
    assert dialog.theme_combo.currentText() == "Donker"
    _choose(qtbot, dialog.theme_combo, "Licht")
    _ok(qtbot, window, dialog)
    assert settings.value(DARK_KEY) == "false"
    assert ui.palette().color(QPalette.ColorRole.Window) == QColor(theme.LIGHT.window)

    dialog = _open_by_shortcut(qtbot, window)
    _choose(qtbot, dialog.theme_combo, "Donker")
    _ok(qtbot, window, dialog)
    dialog = _open_by_shortcut(qtbot, window)
    _choose(qtbot, dialog.theme_combo, "Systeem")  # the system here says light
    _ok(qtbot, window, dialog)
    assert not settings.contains(DARK_KEY)
    assert ui.palette().color(QPalette.ColorRole.Window) == QColor(theme.LIGHT.window)


def test_idle_minutes_typed_in_apply_to_the_auto_lock(
    qtbot: QtBot, window: MainWindow, settings: QSettings, ui: QApplication
) -> None:
    assert window.idle.minutes == 10
    dialog = _open_by_shortcut(qtbot, window)
    assert dialog.idle_minutes == 10
    spin = dialog.idle_spin
    spin.setFocus()
    _key(qtbot, spin, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(spin, "3")  # type: ignore[no-untyped-call]
    _ok(qtbot, window, dialog)

    assert window.idle.minutes == 3
    assert int(str(settings.value(IDLE_MINUTES_KEY))) == 3

    # A new window reads it back.
    again = MainWindow(window.lanes, home=window.home, settings=settings)
    qtbot.addWidget(again)
    assert again.idle.minutes == 3


def test_cancel_writes_and_changes_nothing(
    qtbot: QtBot, window: MainWindow, settings: QSettings, ui: QApplication
) -> None:
    theme.apply_theme(ui, dark=False)
    dialog = _open_by_shortcut(qtbot, window)
    _choose(qtbot, dialog.language_combo, "English")
    _choose(qtbot, dialog.theme_combo, "Donker")
    dialog.idle_spin.setValue(42)
    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert cancel.text() == "Annuleren"
    _click(qtbot, cancel)
    _closed(qtbot, window)

    assert settings.allKeys() == []
    assert ui.property("veldwerk_language") == "nl"
    assert ui.palette().color(QPalette.ColorRole.Window) == QColor(theme.LIGHT.window)
    assert window.idle.minutes == 10
    assert window.unlock_page.unlock_button.text() == "Ontgrendelen"


def test_missing_translation_keeps_dutch_and_says_so(
    qtbot: QtBot,
    window: MainWindow,
    settings: QSettings,
    ui: QApplication,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(_app: object, _language: str | None = None) -> str:
        raise i18n.TranslationMissingError("veldwerk_en.qm is missing")

    warnings: list[tuple[str, str]] = []

    def warn(_parent: QWidget, title: str, text: str) -> QMessageBox.StandardButton:
        warnings.append((title, text))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(main_window_module, "install_translators", broken)
    monkeypatch.setattr(QMessageBox, "warning", warn)
    settings.setValue(LANGUAGE_KEY, "nl")

    dialog = _open_by_shortcut(qtbot, window)
    _choose(qtbot, dialog.language_combo, "English")
    _ok(qtbot, window, dialog)

    assert settings.value(LANGUAGE_KEY) == "nl"  # the next start does not fail either
    assert ui.property("veldwerk_language") == "nl"
    assert warnings and warnings[0][0] == "Taal niet gewijzigd"
    assert window.unlock_page.unlock_button.text() == "Ontgrendelen"


def test_unlocked_workspace_has_the_button_and_retranslates(
    qtbot: QtBot,
    window: MainWindow,
    settings: QSettings,
    ui: QApplication,
    demo_profiles: list[DemoProfile],
) -> None:
    workspace = _unlock(qtbot, window, demo_profiles[0].passphrase)
    bar = window.statusBar()
    assert workspace.settings_button.parent() is bar
    assert workspace.settings_button.text() == "Instellingen"
    assert workspace.navigation.item(0).text() == "Vandaag"
    qtbot.waitUntil(lambda: "wachtrij" in workspace.pending_label.text(), timeout=15_000)
    qtbot.waitUntil(lambda: workspace.online is not None, timeout=15_000)

    _click(qtbot, workspace.settings_button)
    qtbot.waitUntil(lambda: window.findChild(SettingsDialog) is not None)
    dialog = window.findChild(SettingsDialog)
    assert isinstance(dialog, SettingsDialog)
    _choose(qtbot, dialog.language_combo, "English")
    dialog.idle_spin.setValue(5)
    _ok(qtbot, window, dialog)

    assert window.idle.minutes == 5
    assert not window.idle.paused  # still counting while unlocked
    qtbot.waitUntil(lambda: workspace.navigation.item(0).text() == "Today")
    assert [workspace.navigation.item(i).text() for i in range(4)] == [
        "Today",
        "Clients",
        "Sync",
        "Conflicts",
    ]
    assert workspace.navigation.accessibleName() == "Navigation"
    assert workspace.lock_button.text() == "Lock"
    assert workspace.sync_button.text() == "Sync now"
    assert workspace.settings_button.text() == "Settings"
    assert "pending" in workspace.pending_label.text()
    assert workspace.online_text.text() in {"Online", "Offline"}

    # Ctrl+, works while unlocked too; back to Dutch.
    dialog = _open_by_shortcut(qtbot, window)
    _choose(qtbot, dialog.language_combo, "Nederlands")
    _ok(qtbot, window, dialog)
    qtbot.waitUntil(lambda: workspace.navigation.item(0).text() == "Vandaag")
    assert "wachtrij" in workspace.pending_label.text()
    assert workspace.online_text.text() in {"Online", "Offline"}

    # A switch while unlocked reaches the (hidden) unlock page too.
    i18n.install_translators(ui, "en")
    qtbot.waitUntil(lambda: workspace.navigation.item(0).text() == "Today")
    _click(qtbot, workspace.lock_button)
    assert window.workspace is None
    assert window.unlock_page.unlock_button.text() == "Unlock"
    assert window.stack.currentWidget() is window.unlock_page
