"""SVG icons from one set (Lucide, ISC licence: resources/icons/LICENSE), in the palette's colours.

`icon("lock")` gives a QIcon that draws the SVG at whatever size and scaling it is asked for, in
the current palette's text colour (the highlighted-text colour when selected, the disabled colour
when disabled), so it stays sharp at 150% and follows a switch between light and dark. Where an
item view paints it, the view's own palette counts (so the navigation's selected row works).
`icon("conflict", color=theme.ERROR)` fixes the colour instead.

Names are the Lucide file names in resources/icons (see its README.md), plus aliases for what
the screens call them: see `ICON_NAMES` and `ALIASES`. An unknown name raises `UnknownIconError`.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from PySide6.QtCore import QByteArray, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QWidget

# The SVG files in resources/icons (Lucide names).
FILES: tuple[str, ...] = (
    "calendar",
    "check",
    "chevron-down",
    "chevron-right",
    "chevron-up",
    "clipboard-check",
    "eye",
    "eye-off",
    "file",
    "funnel",
    "history",
    "house",
    "lock",
    "lock-open",
    "log-out",
    "mail",
    "map-pin",
    "paperclip",
    "pencil",
    "phone",
    "plus",
    "printer",
    "refresh-cw",
    "search",
    "settings",
    "sticky-note",
    "triangle-alert",
    "user",
    "users",
    "wifi",
    "wifi-off",
    "x",
)

# What the screens call them -> the file.
ALIASES: dict[str, str] = {
    "today": "calendar",
    "clients": "users",
    "review": "clipboard-check",
    "sync": "refresh-cw",
    "unlock": "lock-open",
    "filter": "funnel",
    "home": "house",
    "household": "house",
    "note": "sticky-note",
    "attachment": "paperclip",
    "conflict": "triangle-alert",
    "alert-triangle": "triangle-alert",
    "edit": "pencil",
    "online": "wifi",
    "offline": "wifi-off",
    "close": "x",
    "add": "plus",
    "print": "printer",
}

ICON_NAMES: tuple[str, ...] = tuple(sorted((*FILES, *ALIASES)))


class UnknownIconError(KeyError):
    """Asked for an icon that is not in resources/icons."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name

    def __str__(self) -> str:
        return (
            f"no icon named {self.name!r}; known icons: {', '.join(ICON_NAMES)} "
            "(add the Lucide SVG to resources/icons and its name to app/ui/icons.py)"
        )


@cache
def svg_text(name: str) -> str:
    """The SVG source of an icon (after resolving an alias)."""
    file = ALIASES.get(name, name)
    if file not in FILES:
        raise UnknownIconError(name)
    return resources.files("resources.icons").joinpath(f"{file}.svg").read_text(encoding="utf-8")


@cache
def _renderer(name: str, colour: str) -> QSvgRenderer:
    data = svg_text(name).replace("currentColor", colour)
    renderer = QSvgRenderer(QByteArray(data.encode("utf-8")))
    if not renderer.isValid():
        raise ValueError(f"icon {name!r}: resources/icons holds an SVG Qt cannot read")
    return renderer


def _palette_colour(mode: QIcon.Mode, palette: QPalette) -> QColor:
    if mode == QIcon.Mode.Disabled:
        return palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
    if mode == QIcon.Mode.Selected:
        return palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.HighlightedText)
    return palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText)


class _SvgIconEngine(QIconEngine):
    """Renders one SVG on demand, recoloured; no pixmaps are kept per size."""

    def __init__(self, name: str, colour: str | None) -> None:
        super().__init__()
        self._name = name
        self._colour = colour

    def _colour_for(self, mode: QIcon.Mode, palette: QPalette) -> str:
        if self._colour is not None and mode != QIcon.Mode.Disabled:
            return self._colour
        return _palette_colour(mode, palette).name()

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        # Painted straight onto a widget (item views do this): use that widget's palette, so a
        # selected row's icon takes the colour of the selected row's text.
        device = painter.device()
        palette = device.palette() if isinstance(device, QWidget) else QGuiApplication.palette()
        self._paint(painter, rect, mode, palette)

    def _paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, palette: QPalette) -> None:
        side = min(rect.width(), rect.height())
        square = QRectF(
            rect.x() + (rect.width() - side) / 2, rect.y() + (rect.height() - side) / 2, side, side
        )
        _renderer(self._name, self._colour_for(mode, palette)).render(painter, square)

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(
        self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float
    ) -> QPixmap:
        pixmap = QPixmap(size * scale)
        pixmap.setDevicePixelRatio(scale)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint(painter, QRect(QPoint(0, 0), size), mode, QGuiApplication.palette())
        painter.end()
        return pixmap

    def actualSize(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QSize:
        side = min(size.width(), size.height())
        return QSize(side, side)

    def clone(self) -> QIconEngine:
        return _SvgIconEngine(self._name, self._colour)

    def key(self) -> str:
        return "veldwerk-svg"

    def iconName(self) -> str:
        return self._name


def icon(name: str, *, color: QColor | str | None = None) -> QIcon:
    """The named icon, drawn in the palette's text colour unless `color` is given."""
    svg_text(name)  # raises UnknownIconError now rather than at the first paint
    colour = QColor(color).name() if color is not None else None
    return QIcon(_SvgIconEngine(name, colour))
