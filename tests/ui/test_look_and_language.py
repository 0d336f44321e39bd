"""The look (theme, icons) and the language machinery (translators, the .ts and .qm files)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QSize, Qt, QTranslator
from PySide6.QtGui import QColor, QIcon, QImage, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProxyStyle,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.ui import i18n, icons, theme
from app.ui.messages import error_text

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "veldwerk_en.ts"
QM = ROOT / "resources" / "translations" / "veldwerk_en.qm"
ICON_DIR = ROOT / "resources" / "icons"
SCRIPT = ROOT / "scripts" / "translations.sh"


# --- fixtures: leave the shared QApplication as we found it -----------------------------------


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    style = qapp.style().name() or "fusion"
    palette = QPalette(qapp.palette())
    font = qapp.font()
    sheet = qapp.styleSheet()
    dark = qapp.property("veldwerk_dark")
    yield qapp
    qapp.setStyleSheet(sheet)
    qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setFont(font)
    qapp.setProperty("veldwerk_dark", dark)
    if qapp.property("veldwerk_theme_follows_system") is not None:
        qapp.setProperty("veldwerk_theme_follows_system", False)


@pytest.fixture
def language(qapp: QApplication) -> Iterator[QApplication]:
    locale = QLocale()
    before = qapp.property(i18n.LANGUAGE_PROPERTY)
    yield qapp
    i18n.remove_translators(qapp)
    QLocale.setDefault(locale)
    qapp.setProperty(i18n.LANGUAGE_PROPERTY, before)


# --- helpers ----------------------------------------------------------------------------------


def contrast(a: QColor | str, b: QColor | str) -> float:
    """WCAG 2.x contrast ratio of two colours."""

    def luminance(colour: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(colour.redF())
            + 0.7152 * channel(colour.greenF())
            + 0.0722 * channel(colour.blueF())
        )

    high, low = sorted((luminance(QColor(a)), luminance(QColor(b))), reverse=True)
    return (high + 0.05) / (low + 0.05)


def close(actual: QColor, expected: str, tolerance: int = 12) -> bool:
    want = QColor(expected)
    return (
        abs(actual.red() - want.red()) <= tolerance
        and abs(actual.green() - want.green()) <= tolerance
        and abs(actual.blue() - want.blue()) <= tolerance
    )


def opaque_pixels(image: QImage) -> list[QColor]:
    return [
        image.pixelColor(x, y)
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() > 200
    ]


Key = tuple[str, str, str]
# Qt's %1 / %n / %L1 and Python's {name} placeholders: a translation keeps exactly the source's.
PLACEHOLDER = re.compile(r"%(?:\d+|n|L\d+)|\{\w*\}")


def ts_messages(path: Path) -> dict[Key, ET.Element]:
    """(context, source, disambiguation comment) -> <message> of a .ts file."""
    found: dict[Key, ET.Element] = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            key = (name, message.findtext("source") or "", message.findtext("comment") or "")
            found[key] = message
    return found


def run_script(command: str, ts: Path) -> str:
    env = dict(os.environ)
    env["VELDWERK_TS"] = str(ts)
    env["VELDWERK_VENV"] = str(Path(sys.executable).parent.parent)
    result = subprocess.run(
        ["bash", str(SCRIPT), command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


# --- theme ------------------------------------------------------------------------------------


def test_theme_is_fusion_with_the_light_palette_and_base_font(app: QApplication) -> None:
    theme.apply_theme(app, dark=False)

    # With a stylesheet, app.style() is Qt's internal stylesheet style; ours is the app's child.
    (style,) = [s for s in app.findChildren(QProxyStyle) if type(s).__name__ == "_VeldwerkStyle"]
    assert style.baseStyle().name().lower() == "fusion"
    theme.apply_theme(app, dark=False)  # again: the same style object stays
    assert app.findChildren(QProxyStyle) == [style]
    palette = app.palette()
    assert palette.color(QPalette.ColorRole.Window) == QColor(theme.LIGHT.window)
    assert palette.color(QPalette.ColorRole.Highlight) == QColor(theme.ACCENT)
    assert 10 <= app.font().pointSizeF() <= 11
    assert theme.colours() is theme.LIGHT
    assert "QPushButton#chip" in app.styleSheet()


def test_dark_palette_differs_and_the_system_scheme_chooses(
    app: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    theme.apply_theme(app, dark=False)
    light_window = app.palette().color(QPalette.ColorRole.Window)
    theme.apply_theme(app, dark=True)
    dark_window = app.palette().color(QPalette.ColorRole.Window)

    assert light_window != dark_window
    assert dark_window.lightness() < light_window.lightness()
    assert theme.colours() is theme.DARK

    monkeypatch.setattr(theme, "system_prefers_dark", lambda: False)
    theme.apply_theme(app)
    assert theme.colours() is theme.LIGHT
    monkeypatch.setattr(theme, "system_prefers_dark", lambda: True)
    theme.apply_theme(app)
    assert theme.colours() is theme.DARK
    assert app.palette().color(QPalette.ColorRole.Base) == QColor(theme.DARK.base)


@pytest.mark.parametrize("colours", [theme.LIGHT, theme.DARK], ids=["light", "dark"])
def test_text_has_wcag_aa_contrast(colours: theme.Colours) -> None:
    palette = theme.build_palette(colours)
    role = QPalette.ColorRole
    for foreground, background in [
        (role.WindowText, role.Window),
        (role.Text, role.Base),
        (role.Text, role.AlternateBase),
        (role.ButtonText, role.Button),
        (role.HighlightedText, role.Highlight),
        (role.PlaceholderText, role.Base),
        (role.Link, role.Base),
        (role.ToolTipText, role.ToolTipBase),
    ]:
        ratio = contrast(palette.color(foreground), palette.color(background))
        assert ratio >= 4.5, f"{foreground.name} on {background.name}: {ratio:.2f}"
    c = colours
    for foreground_colour, background_colour in [
        (c.error, c.base),
        (c.error, c.window),
        (c.overdue, c.base),
        (c.muted, c.window),
        (c.muted, c.base),
        (c.success, c.window),
        (c.success, c.base),
        (c.link, c.window),
        (c.accent_soft_text, c.accent_soft),
        (c.text, c.accent_soft),
        (c.base, c.error),  # alert badge
        (c.accent_text, c.accent),  # badge, primary button
    ]:
        ratio = contrast(foreground_colour, background_colour)
        assert ratio >= 4.5, f"{foreground_colour} on {background_colour}: {ratio:.2f}"


def _gallery() -> tuple[QWidget, dict[str, QWidget]]:
    """One widget for every object name the stylesheet knows."""
    root = QWidget()
    layout = QVBoxLayout(root)
    named: dict[str, QWidget] = {}

    def add(widget: QWidget, name: str) -> None:
        named[name] = theme.styled(widget, name)
        layout.addWidget(widget)

    add(QLabel("Cliënten"), "pageTitle")
    add(QLabel("Achterstallig"), "sectionTitle")
    add(QLabel("Laatst gesynchroniseerd 09:41"), "muted")
    add(QLabel("Wmo"), "tag")
    chip = QPushButton("Achterstallig bezoek")
    chip.setCheckable(True)
    add(chip, "chip")
    add(QLabel("3"), "badge")
    badge = QPushButton("2 conflicten")
    add(badge, "badge")
    theme.set_style_property(badge, "alert", True)
    dot = QLabel()
    dot.setAccessibleName("Online")
    add(dot, "onlineDot")
    add(QLabel("Postcode onjuist"), "fieldError")
    add(QLabel("Opgeslagen"), "savedHint")
    add(QLabel("Achterstallig sinds 02-11-2026"), "overdue")
    navigation = QListWidget()
    for text, name in [("Vandaag", "today"), ("Cliënten", "clients")]:
        navigation.addItem(QListWidgetItem(icons.icon(name), text))
    add(navigation, "navigation")
    card = QFrame()
    QHBoxLayout(card).addWidget(theme.styled(QLabel("09:30 · Winsum"), "cardTitle"))
    add(card, "card")
    add(QPushButton("Goedkeuren"), "primary")
    line = QLineEdit()
    line.setAccessibleName("Zoeken")
    layout.addWidget(line)
    named["line"] = line
    return root, named


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_named_widgets_render_in_the_palette(app: QApplication, qtbot: QtBot, dark: bool) -> None:
    theme.apply_theme(app, dark=dark)
    c = theme.colours()
    root, named = _gallery()
    qtbot.addWidget(root)
    root.show()
    qtbot.waitExposed(root)
    root.grab()  # every rule is parsed and drawn: an unknown property would warn (and fail)

    chip = named["chip"]
    assert isinstance(chip, QPushButton)
    y = chip.height() // 2
    assert close(chip.grab().toImage().pixelColor(6, y), c.base)
    QTest.mouseClick(chip, Qt.MouseButton.LeftButton)
    assert chip.isChecked()
    assert close(chip.grab().toImage().pixelColor(6, y), c.accent_soft)

    dot = named["onlineDot"]
    assert dot.width() == 10
    assert close(dot.grab().toImage().pixelColor(5, 5), c.offline)
    theme.set_style_property(dot, "online", True)
    assert close(dot.grab().toImage().pixelColor(5, 5), c.success)

    badge = named["badge"]  # the last one named so: the clickable, alerting one
    assert close(badge.grab().toImage().pixelColor(badge.width() // 2, 2), c.error)

    for name, colour in [("fieldError", c.error), ("savedHint", c.success), ("muted", c.muted)]:
        label = named[name]
        assert label.palette().color(label.foregroundRole()) == QColor(colour), name

    navigation = named["navigation"]
    assert isinstance(navigation, QListWidget)
    row_height = navigation.visualItemRect(navigation.item(0)).height()
    assert row_height >= 32
    assert navigation.visualItemRect(navigation.item(1)).top() >= row_height


def test_focus_is_visible_on_inputs_and_buttons(app: QApplication, qtbot: QtBot) -> None:
    theme.apply_theme(app, dark=False)
    root, named = _gallery()
    qtbot.addWidget(root)
    root.show()
    qtbot.waitExposed(root)
    root.activateWindow()
    qtbot.waitUntil(root.isActiveWindow)

    line = named["line"]
    assert not close(line.grab().toImage().pixelColor(1, line.height() // 2), theme.ACCENT)
    line.setFocus()
    qtbot.waitUntil(line.hasFocus)
    assert close(line.grab().toImage().pixelColor(1, line.height() // 2), theme.ACCENT)

    chip = named["chip"]
    chip.setFocus()
    qtbot.waitUntil(chip.hasFocus)
    assert close(chip.grab().toImage().pixelColor(chip.width() // 2, 1), theme.ACCENT)


def test_dense_table_rows_follow_the_font(app: QApplication, qtbot: QtBot) -> None:
    theme.apply_theme(app, dark=False)
    table = QTableWidget(3, 2)
    qtbot.addWidget(table)
    theme.dense_table(table)

    height = table.verticalHeader().defaultSectionSize()
    assert height == table.fontMetrics().height() + theme.SPACING
    assert 20 <= height <= 32
    assert table.alternatingRowColors()
    assert not table.verticalHeader().isVisible()


def test_spin_and_date_boxes_keep_text_off_the_border(app: QApplication, qtbot: QtBot) -> None:
    theme.apply_theme(app, dark=False)
    spin = QSpinBox()
    date = QDateEdit()
    popup = QDateEdit()
    popup.setCalendarPopup(True)
    for box in (spin, date, popup):
        qtbot.addWidget(box)
        box.show()
        qtbot.waitExposed(box)
        editor = box.lineEdit()
        text_left = editor.geometry().left() + editor.textMargins().left()
        assert text_left >= 5, type(box).__name__


def test_stylesheet_arrow_files_are_current(tmp_path: Path) -> None:
    written = theme.write_arrow_files(tmp_path)
    for path in written:
        committed = ICON_DIR / "qss" / path.name
        assert committed.read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), (
            f"{committed} is stale: rewrite it with app.ui.theme.write_arrow_files"
        )


# --- icons ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", icons.ICON_NAMES)
def test_every_icon_loads_in_the_text_colour(app: QApplication, name: str) -> None:
    theme.apply_theme(app, dark=False)
    icon = icons.icon(name)

    assert not icon.isNull()
    image = icon.pixmap(QSize(24, 24)).toImage()
    painted = opaque_pixels(image)
    assert len(painted) > 10
    assert all(close(p, theme.LIGHT.window_text, 40) for p in painted)

    scaled = icon.pixmap(QSize(24, 24), 1.5)
    assert scaled.size() == QSize(36, 36)
    assert scaled.devicePixelRatio() == 1.5


def test_icons_follow_the_palette_mode_and_explicit_colour(app: QApplication) -> None:
    theme.apply_theme(app, dark=True)
    lock = icons.icon("lock")
    assert all(
        close(p, theme.DARK.window_text, 40) for p in opaque_pixels(lock.pixmap(24).toImage())
    )

    disabled = lock.pixmap(QSize(24, 24), QIcon.Mode.Disabled).toImage()
    assert all(close(p, theme.DARK.disabled_text, 40) for p in opaque_pixels(disabled))

    red = icons.icon("conflict", color=theme.ERROR).pixmap(24).toImage()
    assert all(close(p, theme.ERROR, 40) for p in opaque_pixels(red))


def test_selected_navigation_icon_takes_the_selected_text_colour(
    app: QApplication, qtbot: QtBot
) -> None:
    theme.apply_theme(app, dark=False)
    navigation = theme.styled(QListWidget(), "navigation")
    qtbot.addWidget(navigation)
    navigation.setIconSize(QSize(20, 20))
    navigation.addItem(QListWidgetItem(icons.icon("today"), "Vandaag"))
    navigation.addItem(QListWidgetItem(icons.icon("clients"), "Cliënten"))
    navigation.setCurrentRow(1)
    navigation.resize(220, 120)
    navigation.show()
    qtbot.waitExposed(navigation)

    image = navigation.viewport().grab().toImage()
    rect = navigation.visualItemRect(navigation.item(1))
    icon_pixels = [
        image.pixelColor(x, y)
        for x in range(rect.left() + 4, rect.left() + 40)
        for y in range(rect.top(), rect.bottom())
    ]
    soft_text = [p for p in icon_pixels if close(p, theme.LIGHT.accent_soft_text, 30)]
    white = [p for p in icon_pixels if close(p, "#ffffff", 10)]
    assert len(soft_text) > 10  # drawn in the selected row's text colour, not invisible white
    assert not white


def test_unknown_icon_is_a_clear_error() -> None:
    with pytest.raises(icons.UnknownIconError) as error:
        icons.icon("calender")
    assert "calender" in str(error.value)
    assert "calendar" in str(error.value)  # lists what exists


def test_icon_set_is_one_licensed_set_with_nothing_missing_or_extra() -> None:
    licence = (ICON_DIR / "LICENSE").read_text(encoding="utf-8")
    assert "ISC License" in licence
    assert "Lucide" in licence

    on_disk = {path.stem for path in ICON_DIR.glob("*.svg")}
    assert on_disk == set(icons.FILES)
    readme = (ICON_DIR / "README.md").read_text(encoding="utf-8")
    versions = {
        re.search(r"lucide-static v([\d.]+)", path.read_text(encoding="utf-8")).group(1)  # type: ignore[union-attr]
        for path in ICON_DIR.glob("*.svg")
    }
    assert len(versions) == 1
    assert versions.pop() in readme
    for alias, target in icons.ALIASES.items():
        assert target in icons.FILES, alias
        assert alias not in icons.FILES, alias


# --- translators ------------------------------------------------------------------------------


def test_english_translates_our_strings(language: QApplication) -> None:
    messages = ts_messages(TS)
    (context, source, _), message = next(iter(messages.items()))
    english = message.findtext("translation")

    assert i18n.install_translators(language, "en") == "en"

    assert english
    assert QCoreApplication.translate(context, source) == english
    assert language.property("veldwerk_language") == "en"
    assert QLocale().language() == QLocale.Language.English
    assert error_text(RuntimeError("secret detail")) == (
        "Something went wrong. Your work has been saved; please try again."
    )


def test_dutch_loads_qt_own_strings_and_keeps_ours(language: QApplication) -> None:
    assert i18n.install_translators(language, "nl") == "nl"

    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Annuleren"
    assert QCoreApplication.translate("QShortcut", "Close") == "Sluiten"
    assert (
        error_text(RuntimeError()) == "Er ging iets mis. Uw werk is bewaard; probeer het opnieuw."
    )
    assert language.property("veldwerk_language") == "nl"
    assert QLocale().language() == QLocale.Language.Dutch


class _LanguageWatcher(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.changes = 0

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.changes += 1
        super().changeEvent(event)


def test_switching_language_at_runtime_replaces_the_translators(
    language: QApplication, qtbot: QtBot
) -> None:
    watcher = _LanguageWatcher()
    qtbot.addWidget(watcher)
    source = "Er ging iets mis. Uw werk is bewaard; probeer het opnieuw."

    def switch(lang: str) -> None:
        before = watcher.changes
        i18n.install_translators(language, lang)
        qtbot.waitUntil(lambda: watcher.changes > before)  # screens re-translate on this

    switch("en")
    assert QCoreApplication.translate("messages", source).startswith("Something went wrong")
    switch("nl")
    assert QCoreApplication.translate("messages", source) == source
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Annuleren"
    switch("en")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    assert QCoreApplication.translate("messages", source).startswith("Something went wrong")

    assert len(language.findChildren(QTranslator, "veldwerk_translator")) == 1


def test_language_follows_the_system_unless_chosen(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "LANG"):
        monkeypatch.delenv(name, raising=False)  # Qt's locale decides only without these

    def system_is(lang: QLocale.Language) -> None:
        monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale(lang)))

    system_is(QLocale.Language.Dutch)
    assert i18n.choose_language() == "nl"
    assert i18n.choose_language("system") == "nl"
    assert i18n.choose_language("EN") == "en"
    system_is(QLocale.Language.German)
    assert i18n.choose_language(None) == "en"
    assert i18n.choose_language("nl") == "nl"
    with pytest.raises(ValueError, match="unsupported UI language 'fr'"):
        i18n.choose_language("fr")
    assert i18n.SUPPORTED == ("nl", "en")


def test_missing_english_qm_fails_loudly_and_changes_nothing(
    language: QApplication, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    i18n.install_translators(language, "nl")
    monkeypatch.setattr(i18n, "app_translation_file", lambda _lang: tmp_path / "gone.qm")

    with pytest.raises(i18n.TranslationMissingError, match=r"translations\.sh build"):
        i18n.install_translators(language, "en")

    assert language.property("veldwerk_language") == "nl"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Annuleren"


# --- the committed .ts and the built .qm ------------------------------------------------------


def test_committed_ts_holds_every_string_of_the_sources(tmp_path: Path) -> None:
    fresh = tmp_path / "veldwerk_en.ts"
    shutil.copy(TS, fresh)

    output = run_script("update", fresh)

    assert "unfinished" in output
    committed, current = set(ts_messages(TS)), set(ts_messages(fresh))
    new, gone = sorted(current - committed), sorted(committed - current)
    assert not new and not gone, (
        f"resources/translations/veldwerk_en.ts is not current: {len(new)} new, e.g. {new[:5]}; "
        f"{len(gone)} gone, e.g. {gone[:5]}. Run: bash scripts/translations.sh update, translate "
        "the unfinished entries, bash scripts/translations.sh build, and commit the .ts"
    )


def test_every_message_has_an_english_translation() -> None:
    messages = ts_messages(TS)
    assert messages
    for (context, source, _), message in messages.items():
        translation = message.find("translation")
        assert translation is not None, (context, source)
        assert translation.get("type") is None, (
            f"{context}: {source!r} is {translation.get('type')}"
        )
        if message.get("numerus") == "yes":
            texts = [form.text or "" for form in translation.iter("numerusform")]
        else:
            texts = [translation.text or ""]
        assert texts and all(text.strip() for text in texts), (context, source)
        placeholders = sorted(PLACEHOLDER.findall(source))
        for text in texts:
            assert sorted(PLACEHOLDER.findall(text)) == placeholders, (context, source, text)


def test_built_qm_is_not_stale(tmp_path: Path) -> None:
    copy = tmp_path / "veldwerk_en.ts"
    shutil.copy(TS, copy)

    run_script("build", copy)

    assert QM.is_file(), f"{QM} is missing: run bash scripts/translations.sh build"
    assert (tmp_path / "veldwerk_en.qm").read_bytes() == QM.read_bytes(), (
        f"{QM} is older than the .ts: run bash scripts/translations.sh build"
    )


def test_translation_files_are_found_where_the_package_puts_them() -> None:
    assert i18n.app_translation_file("en") == QM
    assert i18n.qt_translation_file("nl").is_file()
