"""The one look of Veldwerk: Fusion, a calm palette (light or dark) and a small stylesheet.

Call `apply_theme(app)` once at start-up, before any window is shown. Without `dark=` it follows
the system colour scheme (and follows it again when the system switches); with `dark=True/False`
it is fixed (a setting, a screenshot, a test).

Colours: `ACCENT` (municipal blue), `ERROR` and `OVERDUE` (the only reds: errors and overdue
items), `MUTED` (secondary text), `SUCCESS` (the "Opgeslagen" hint, the online dot) are the light
palette's values; `colours()` gives the set in force (light or dark) for custom painting, e.g. a
chart. Spacing is a grid of 8 px: use `SPACING` (8) and `MARGIN` (16) for layouts.

Object names the stylesheet knows. Set them with `widget.setObjectName("...")`; nothing else is
needed unless a property is mentioned:

==================================  ==========================================================
``QLabel#pageTitle``                 the title at the top of a page ("Vandaag", "Cliënten")
``QLabel#sectionTitle``              a heading inside a page ("Achterstallig")
``QLabel#muted``                     secondary text (last sync time, a hint under a field)
``QLabel#tag``                       a scheme or other tag, e.g. in the dossier header
``QPushButton#chip``                 a filter chip; make it checkable (``setCheckable(True)``),
                                     checked = filter on
``QLabel#badge`` /                   a small count pill (e.g. open conflicts); set the property
``QPushButton#badge``                ``alert=true`` for the red variant (conflicts, overdue)
``QLabel#onlineDot``                 the status-bar dot; property ``online`` = true/false
``QLabel#fieldError``                an inline validation message under a field (red)
``QLabel#savedHint``                 the small "Opgeslagen" confirmation after an edit
``QLabel#overdue``                   text of an overdue item (red, bold)
``QListWidget#navigation``           the left navigation column of the main window
``QFrame#card``                      a card on the Vandaag page; ``QLabel#cardTitle`` inside it
``QPushButton#primary``              the one main action of a dialog or page (accent filled)
==================================  ==========================================================

Set the name before the widget is first shown or laid out; an item view (``#navigation``) must
also be polished before items are laid out, or its rows keep the unstyled height: create it as
``styled(QListWidget(), "navigation")``, which sets the name and polishes at once.

A property changed after the widget is shown (``online``, ``alert``) needs a re-polish: use
`set_style_property(widget, name, value)`, which does both.

Focus is always visible: inputs, buttons, chips, cards and item views get a 2-px accent border
while they have keyboard focus (a card must be given a focus policy to take focus). Lay out the
inside of a card with 8-px margins. For a data table call `dense_table(view)`: one-line rows of
about 24 px at 100% that grow with the font and the scaling, alternating rows, no grid.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QDir, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QDateTimeEdit,
    QProxyStyle,
    QStyleFactory,
    QTableView,
    QWidget,
)

from app.ui.icons import svg_text

SPACING = 8
MARGIN = 16
FONT_POINT_SIZE = 10


@dataclass(frozen=True)
class Colours:
    """One palette's colours, as '#rrggbb' strings."""

    dark: bool
    window: str
    window_text: str
    base: str
    alternate_base: str
    text: str
    button: str
    button_text: str
    accent: str  # selection background, primary buttons, focus
    accent_text: str  # text on the accent colour
    link: str  # accent-coloured text on base/window
    accent_soft: str  # checked chips, tags, hovered navigation
    accent_soft_text: str
    border: str
    light: str
    midlight: str
    mid: str
    shadow_dark: str
    shadow: str
    muted: str
    placeholder: str
    disabled_text: str
    disabled_button: str
    error: str
    overdue: str
    success: str
    offline: str
    tooltip_base: str
    tooltip_text: str


LIGHT = Colours(
    dark=False,
    window="#f3f4f6",
    window_text="#1d232b",
    base="#ffffff",
    alternate_base="#f5f7fa",
    text="#1d232b",
    button="#e9ecf0",
    button_text="#1d232b",
    accent="#1f5f99",
    accent_text="#ffffff",
    link="#1f5f99",
    accent_soft="#dde8f4",
    accent_soft_text="#17497a",
    border="#c4cad2",
    light="#ffffff",
    midlight="#f7f8fa",
    mid="#c4cad2",
    shadow_dark="#9aa3ae",
    shadow="#5f6b78",
    muted="#56616d",
    placeholder="#6b7480",
    disabled_text="#8e96a0",
    disabled_button="#eef0f3",
    error="#b3261e",
    overdue="#b3261e",
    success="#2e6b34",
    offline="#8e96a0",
    tooltip_base="#2b3139",
    tooltip_text="#f3f4f6",
)

DARK = Colours(
    dark=True,
    window="#1e2227",
    window_text="#e4e7eb",
    base="#16191d",
    alternate_base="#1b1f24",
    text="#e4e7eb",
    button="#2c3138",
    button_text="#e4e7eb",
    accent="#2a6aa8",
    accent_text="#ffffff",
    link="#7fb2e5",
    accent_soft="#22384f",
    accent_soft_text="#cfe2f6",
    border="#434a54",
    light="#3a4049",
    midlight="#30353d",
    mid="#434a54",
    shadow_dark="#101215",
    shadow="#000000",
    muted="#a5aeb8",
    placeholder="#8f99a4",
    disabled_text="#6c747e",
    disabled_button="#25292f",
    error="#f28b82",
    overdue="#f28b82",
    success="#81c995",
    offline="#7d8590",
    tooltip_base="#e4e7eb",
    tooltip_text="#1d232b",
)

ACCENT = LIGHT.accent
ERROR = LIGHT.error
OVERDUE = LIGHT.overdue
MUTED = LIGHT.muted
SUCCESS = LIGHT.success

_DARK_PROPERTY = "veldwerk_dark"
_FOLLOW_PROPERTY = "veldwerk_theme_follows_system"


def colours(app: QGuiApplication | None = None) -> Colours:
    """The colours in force: dark when `apply_theme` chose the dark palette, else light."""
    instance = app if app is not None else QGuiApplication.instance()
    if instance is not None and bool(instance.property(_DARK_PROPERTY)):
        return DARK
    return LIGHT


def system_prefers_dark() -> bool:
    """True when the platform reports a dark colour scheme (unknown counts as light)."""
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def build_palette(c: Colours) -> QPalette:
    """A complete QPalette (all groups) from one set of colours."""
    palette = QPalette()
    role = QPalette.ColorRole
    group = QPalette.ColorGroup
    shared: dict[QPalette.ColorRole, str] = {
        role.Window: c.window,
        role.WindowText: c.window_text,
        role.Base: c.base,
        role.AlternateBase: c.alternate_base,
        role.Text: c.text,
        role.Button: c.button,
        role.ButtonText: c.button_text,
        role.BrightText: c.accent_text,
        role.Highlight: c.accent,
        role.HighlightedText: c.accent_text,
        role.Link: c.link,
        role.LinkVisited: c.link,
        role.Light: c.light,
        role.Midlight: c.midlight,
        role.Mid: c.mid,
        role.Dark: c.shadow_dark,
        role.Shadow: c.shadow,
        role.PlaceholderText: c.placeholder,
        role.ToolTipBase: c.tooltip_base,
        role.ToolTipText: c.tooltip_text,
        role.Accent: c.accent,
    }
    for colour_group in (group.Active, group.Inactive, group.Disabled):
        for colour_role, value in shared.items():
            palette.setColor(colour_group, colour_role, QColor(value))
    # Disabled: grey text on a flat background; Inactive stays as Active, so a selection keeps
    # its colours when the window loses focus.
    for colour_role in (role.WindowText, role.Text, role.ButtonText, role.HighlightedText):
        palette.setColor(group.Disabled, colour_role, QColor(c.disabled_text))
    palette.setColor(group.Disabled, role.Button, QColor(c.disabled_button))
    palette.setColor(group.Disabled, role.Highlight, QColor(c.mid))
    palette.setColor(group.Disabled, role.Base, QColor(c.window))
    return palette


def stylesheet(c: Colours) -> str:
    """The application stylesheet for one set of colours (see the module docstring)."""
    return _STYLESHEET.format(c=c, mode="dark" if c.dark else "light")


# The stylesheet's arrows (combo box, spin box, date edit) are files: a stylesheet can only name
# an image by path. They are Lucide's chevrons, cropped and drawn in the palette's muted colour;
# `arrow_svg` makes them, and a test checks the committed files in resources/icons/qss match it.
QSS_SEARCH_PREFIX = "veldwerkqss"
QSS_ARROWS: tuple[str, ...] = ("chevron-up", "chevron-down")


def arrow_svg(name: str, c: Colours) -> str:
    """The SVG text of resources/icons/qss/<name>-<light|dark>.svg."""
    text = svg_text(name)
    for original, replacement in (
        ('viewBox="0 0 24 24"', 'viewBox="4 4 16 16"'),
        ('width="24"', 'width="16"'),
        ('height="24"', 'height="16"'),
        ('stroke-width="2"', 'stroke-width="2.5"'),
        ("currentColor", c.muted),
    ):
        if original not in text:
            raise ValueError(f"icon {name!r} does not have {original}")
        text = text.replace(original, replacement, 1)
    return text


def arrow_file_name(name: str, c: Colours) -> str:
    return f"{name}-{'dark' if c.dark else 'light'}.svg"


def write_arrow_files(folder: Path) -> list[Path]:
    """(Re)write the stylesheet's arrow files; after a colour change run
    ``python -c "from pathlib import Path; from app.ui.theme import write_arrow_files;
    write_arrow_files(Path('resources/icons/qss'))"``."""
    written = []
    for name in QSS_ARROWS:
        for c in (LIGHT, DARK):
            path = folder / arrow_file_name(name, c)
            path.write_text(arrow_svg(name, c), encoding="utf-8")
            written.append(path)
    return written


def _register_qss_files() -> None:
    folder = resources.files("resources.icons.qss")
    path = Path(str(folder))
    missing = [
        arrow_file_name(name, c)
        for name in QSS_ARROWS
        for c in (LIGHT, DARK)
        if not (path / arrow_file_name(name, c)).is_file()
    ]
    if missing:
        raise FileNotFoundError(f"stylesheet images missing in {path}: {', '.join(missing)}")
    QDir.setSearchPaths(QSS_SEARCH_PREFIX, [str(path)])


_STYLESHEET = """
/* --- inputs: a calm frame, a clear focus border -------------------------------------- */
QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox, QComboBox {{
    background: {c.base};
    color: {c.text};
    border: 1px solid {c.border};
    border-radius: 3px;
    padding: 3px 6px;
    selection-background-color: {c.accent};
    selection-color: {c.accent_text};
}}
QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus, QAbstractSpinBox:focus, QComboBox:focus {{
    border: 2px solid {c.accent};
    padding: 2px 5px;
}}
QLineEdit:disabled, QPlainTextEdit:disabled, QTextEdit:disabled, QAbstractSpinBox:disabled,
QComboBox:disabled {{
    background: {c.window};
    color: {c.disabled_text};
}}
QLineEdit:read-only {{
    background: {c.window};
}}
QComboBox::drop-down {{
    border: none;
    width: 20px;
}}
QComboBox::down-arrow, QDateTimeEdit::down-arrow {{
    image: url(veldwerkqss:chevron-down-{mode}.svg);
    width: 12px;
    height: 12px;
}}
QAbstractSpinBox::up-button, QAbstractSpinBox::down-button {{
    border: none;
    width: 16px;
}}
QAbstractSpinBox::up-arrow {{
    image: url(veldwerkqss:chevron-up-{mode}.svg);
    width: 10px;
    height: 10px;
}}
QAbstractSpinBox::down-arrow {{
    image: url(veldwerkqss:chevron-down-{mode}.svg);
    width: 10px;
    height: 10px;
}}
QDateTimeEdit::drop-down {{
    border: none;
    width: 20px;
}}
QComboBox QAbstractItemView {{
    border: 1px solid {c.border};
    selection-background-color: {c.accent};
    selection-color: {c.accent_text};
}}

/* --- buttons ----------------------------------------------------------------------------- */
QPushButton {{
    background: {c.button};
    color: {c.button_text};
    border: 1px solid {c.border};
    border-radius: 3px;
    padding: 4px 12px;
    min-height: 18px;
}}
QPushButton:hover {{
    border-color: {c.accent};
}}
QPushButton:pressed {{
    background: {c.accent_soft};
}}
QPushButton:focus {{
    border: 2px solid {c.accent};
    padding: 3px 11px;
}}
QPushButton:disabled {{
    background: {c.disabled_button};
    color: {c.disabled_text};
    border-color: {c.mid};
}}
QPushButton#primary {{
    background: {c.accent};
    color: {c.accent_text};
    border-color: {c.accent};
}}
QPushButton#primary:focus {{
    border: 2px solid {c.window_text};
}}
QPushButton#primary:disabled {{
    background: {c.mid};
    color: {c.disabled_text};
    border-color: {c.mid};
}}
QToolButton {{
    border: 1px solid transparent;
    border-radius: 3px;
    padding: 3px;
}}
QToolButton:hover {{
    border-color: {c.border};
    background: {c.button};
}}
QToolButton:focus {{
    border: 2px solid {c.accent};
    padding: 2px;
}}
QToolButton:checked {{
    background: {c.accent_soft};
}}

/* --- filter chips and tags --------------------------------------------------------------- */
QPushButton#chip {{
    background: {c.base};
    color: {c.text};
    border: 1px solid {c.border};
    border-radius: 12px;
    padding: 2px 12px;
    min-height: 18px;
}}
QPushButton#chip:hover {{
    border-color: {c.accent};
}}
QPushButton#chip:checked {{
    background: {c.accent_soft};
    color: {c.accent_soft_text};
    border-color: {c.accent};
}}
QPushButton#chip:focus {{
    border: 2px solid {c.accent};
    padding: 1px 11px;
}}
QLabel#tag {{
    background: {c.accent_soft};
    color: {c.accent_soft_text};
    border-radius: 3px;
    padding: 1px 8px;
}}

/* --- badges, status dot, hints ----------------------------------------------------------- */
QLabel#badge, QPushButton#badge {{
    background: {c.accent};
    color: {c.accent_text};
    border: none;
    border-radius: 9px;
    padding: 1px 8px;
    min-height: 16px;
    font-weight: bold;
}}
QLabel#badge[alert="true"], QPushButton#badge[alert="true"] {{
    background: {c.error};
    color: {c.base};
}}
QPushButton#badge:focus {{
    border: 2px solid {c.window_text};
    padding: 0px 6px;
}}
QLabel#onlineDot {{
    min-width: 10px;
    max-width: 10px;
    min-height: 10px;
    max-height: 10px;
    border-radius: 5px;
    background: {c.offline};
}}
QLabel#onlineDot[online="true"] {{
    background: {c.success};
}}
QLabel#fieldError {{
    color: {c.error};
}}
QLabel#savedHint {{
    color: {c.success};
}}
QLabel#overdue {{
    color: {c.overdue};
    font-weight: bold;
}}
QLabel#muted {{
    color: {c.muted};
}}
QLabel#pageTitle {{
    font-size: 15pt;
    font-weight: bold;
    padding-bottom: 8px;
}}
QLabel#sectionTitle {{
    font-size: 12pt;
    font-weight: bold;
    padding-top: 8px;
}}

/* --- navigation column ------------------------------------------------------------------- */
QListWidget#navigation {{
    background: {c.window};
    border: none;
    border-right: 1px solid {c.border};
    outline: none;
    selection-background-color: {c.accent_soft};
    selection-color: {c.accent_soft_text};
}}
QListWidget#navigation::item {{
    min-height: 32px;
    padding-left: 13px;
    padding-right: 16px;
    border: none;
    border-left: 3px solid transparent;
    color: {c.window_text};
}}
QListWidget#navigation::item:hover {{
    background: {c.accent_soft};
}}
QListWidget#navigation::item:selected {{
    background: {c.accent_soft};
    color: {c.accent_soft_text};
    border-left: 3px solid {c.accent};
}}
QListWidget#navigation:focus {{
    border-right: 2px solid {c.accent};
}}

/* --- cards on the Vandaag page ----------------------------------------------------------- */
QFrame#card {{
    background: {c.base};
    border: 1px solid {c.border};
    border-radius: 6px;
    padding: 1px;
}}
QFrame#card:focus {{
    border: 2px solid {c.accent};
    padding: 0px;
}}
QLabel#cardTitle {{
    font-weight: bold;
}}

/* --- dense tables ------------------------------------------------------------------------ */
QTableView, QTreeView, QListView {{
    background: {c.base};
    alternate-background-color: {c.alternate_base};
    border: 1px solid {c.border};
    gridline-color: {c.midlight};
    selection-background-color: {c.accent};
    selection-color: {c.accent_text};
}}
QTableView:focus, QTreeView:focus, QListView:focus {{
    border: 2px solid {c.accent};
}}
QTableView::item, QTreeView::item {{
    padding: 2px 6px;
}}
QHeaderView::section {{
    background: {c.window};
    color: {c.window_text};
    border: none;
    border-right: 1px solid {c.border};
    border-bottom: 1px solid {c.border};
    padding: 4px 6px;
    font-weight: bold;
}}
QHeaderView::section:last {{
    border-right: none;
}}

/* --- group boxes, status bar, tooltips -------------------------------------------------- */
QGroupBox {{
    font-weight: bold;
}}
QStatusBar {{
    border-top: 1px solid {c.border};
}}
QStatusBar::item {{
    border: none;
}}
QToolTip {{
    background: {c.tooltip_base};
    color: {c.tooltip_text};
    border: none;
    padding: 4px 8px;
}}
"""


def apply_theme(app: QApplication, *, dark: bool | None = None) -> None:
    """Fusion, the palette (dark as given, else the system's scheme), font and stylesheet."""
    follow = dark is None
    use_dark = system_prefers_dark() if follow else bool(dark)
    chosen = DARK if use_dark else LIGHT

    if not any(isinstance(s, _VeldwerkStyle) for s in app.findChildren(QProxyStyle)):
        fusion = QStyleFactory.create("Fusion")
        if fusion is None:  # Fusion is built into every Qt; this is a broken installation
            raise RuntimeError("Qt's Fusion style is not available")
        app.setStyle(_VeldwerkStyle(fusion))
    app.setPalette(build_palette(chosen))

    font = QFont(app.font())
    font.setPointSize(FONT_POINT_SIZE)
    app.setFont(font)

    _register_qss_files()
    app.setStyleSheet(stylesheet(chosen))
    app.setProperty(_DARK_PROPERTY, use_dark)

    _follow_system_scheme(app, follow)


class _VeldwerkStyle(QProxyStyle):
    """Fusion, plus what a stylesheet cannot say: text in a spin or date box keeps off the border.

    (Qt places the editor of a styled QAbstractSpinBox flush against its left border whatever
    the padding, so the text margin is set here, once per widget when it is polished.)
    """

    def polish(self, arg: Any) -> Any:
        popup = isinstance(arg, QDateTimeEdit) and arg.calendarPopup()  # that one is placed right
        if isinstance(arg, QAbstractSpinBox) and not popup:
            editor = arg.lineEdit()
            if editor is not None and editor.textMargins().isNull():
                editor.setTextMargins(SPACING - 2, 0, 0, 0)
        return super().polish(arg)


def _follow_system_scheme(app: QApplication, follow: bool) -> None:
    """Re-apply the theme when the system switches light/dark, while the theme follows it."""
    already_connected = bool(app.property(_FOLLOW_PROPERTY) is not None)
    app.setProperty(_FOLLOW_PROPERTY, follow)
    if already_connected:
        return
    hints = QGuiApplication.styleHints()

    def on_scheme_changed(_scheme: Qt.ColorScheme) -> None:
        if bool(app.property(_FOLLOW_PROPERTY)):
            apply_theme(app)

    hints.colorSchemeChanged.connect(on_scheme_changed)


_W = TypeVar("_W", bound=QWidget)


def styled(widget: _W, object_name: str) -> _W:
    """Give `widget` one of the object names above and polish it now; returns the widget."""
    widget.setObjectName(object_name)
    widget.ensurePolished()
    return widget


def set_style_property(widget: QWidget, name: str, value: object) -> None:
    """Set a dynamic property the stylesheet matches on (``online``, ``alert``) and re-polish."""
    widget.setProperty(name, value)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def dense_table(view: QTableView) -> None:
    """Readable dense rows for a data table: one line per row, alternating rows, no grid.

    The row height follows the font (so it grows at 150% scaling and with larger fonts): the
    text height plus 8 px, about 24 px at 10 pt and 100%.
    """
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setMinimumSectionSize(1)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + SPACING)
    view.horizontalHeader().setHighlightSections(False)
    view.horizontalHeader().setDefaultAlignment(
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    )
