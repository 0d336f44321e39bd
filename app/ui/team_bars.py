"""Per caseworker a stacked horizontal bar: intakes waiting for review, returned, and approved
this month, for the team lead's overview (UI.md: "per-caseworker bars on the team lead overview").

    bars.set_members([MemberFigures(...), ...])

All bars share one scale (the largest total), so a longer bar is more work. A segment shows its
count where it has room; the accessible description reads every caseworker's three numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.services.team import MemberFigures
from app.ui.theme import SPACING, Colours, colours

EDGE = 2.0  # keeps antialiased edges and the focus border inside the widget
NAME_SHARE = 0.3  # the widest a caseworker's name may be, as a share of the widget
SWATCH = 10.0


@dataclass(frozen=True)
class Bar:
    """One caseworker's three numbers, in the order they are stacked."""

    username: str
    waiting: int
    returned: int
    approved: int

    @property
    def total(self) -> int:
        return self.waiting + self.returned + self.approved


def segment_colours(c: Colours) -> tuple[QColor, QColor, QColor]:
    """Waiting, returned, approved: the accent (its readable tone in the dark theme), the muted
    grey and the success green. Red stays for what is overdue."""
    return QColor(c.link), QColor(c.muted), QColor(c.success)


def text_on(fill: QColor) -> QColor:
    """Black or white, whichever reads better on `fill`."""
    luminance = 0.2126 * fill.redF() + 0.7152 * fill.greenF() + 0.0722 * fill.blueF()
    return QColor("#000000") if luminance > 0.5 else QColor("#ffffff")


class TeamBars(QWidget):
    """The stacked bars (see the module note)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bars: tuple[Bar, ...] = ()
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._retranslate()

    def set_members(self, members: Sequence[MemberFigures]) -> None:
        self._bars = tuple(
            Bar(m.username, m.intakes_waiting, m.intakes_returned, m.approved_this_month)
            for m in members
        )
        self._retranslate()
        self.updateGeometry()
        self.update()

    @property
    def bars(self) -> tuple[Bar, ...]:
        return self._bars

    def legend_texts(self) -> tuple[str, str, str]:
        return (
            self.tr("Wacht op beoordeling"),
            self.tr("Teruggestuurd"),
            self.tr("Goedgekeurd deze maand"),
        )

    def description(self) -> str:
        """Each caseworker's numbers, as a screen reader reads them."""
        if not self._bars:
            return self.tr("Nog geen klantmanagers in dit team")
        return "; ".join(
            self.tr(
                "{name}: {waiting} wacht op beoordeling, {returned} teruggestuurd, "
                "{approved} goedgekeurd deze maand"
            ).format(
                name=bar.username,
                waiting=bar.waiting,
                returned=bar.returned,
                approved=bar.approved,
            )
            for bar in self._bars
        )

    def _retranslate(self) -> None:
        self.setAccessibleName(self.tr("Intakes per klantmanager, staafdiagram"))
        self.setAccessibleDescription(self.description())
        self.setToolTip(self.description().replace("; ", "\n"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # ----------------------------------------------------------------------------- layout

    def _row_height(self) -> float:
        return QFontMetricsF(self.font()).lineSpacing() + SPACING / 2

    def _legend_height(self) -> float:
        return QFontMetricsF(self.font()).lineSpacing() + SPACING / 2

    def sizeHint(self) -> QSize:
        rows = max(len(self._bars), 1)
        height = EDGE * 2 + self._legend_height() + rows * self._row_height() + SPACING / 2
        return QSize(480, round(height))

    def minimumSizeHint(self) -> QSize:
        return QSize(240, self.sizeHint().height())

    def bar_rects(self) -> list[tuple[QRectF, QRectF, QRectF]]:
        """Where each caseworker's three segments are drawn (for a test or a tooltip)."""
        metrics = QFontMetricsF(self.font())
        area = QRectF(self.rect()).adjusted(EDGE, EDGE, -EDGE, -EDGE)
        name_width = min(
            max((metrics.horizontalAdvance(b.username) for b in self._bars), default=0.0),
            area.width() * NAME_SHARE,
        )
        left = area.left() + name_width + SPACING
        width = max(area.right() - left, 1.0)
        scale = max((b.total for b in self._bars), default=0) or 1
        top = area.top() + self._legend_height()
        row = self._row_height()
        height = row - SPACING / 2
        rects = []
        for n, bar in enumerate(self._bars):
            y = top + n * row
            x = left
            segments = []
            for value in (bar.waiting, bar.returned, bar.approved):
                w = width * value / scale
                segments.append(QRectF(x, y, w, height))
                x += w
            rects.append((segments[0], segments[1], segments[2]))
        return rects

    # ------------------------------------------------------------------------------ paint

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            self._paint(painter)
        finally:
            # Also after an error: a painter left open on the widget crashes Qt.
            painter.end()

    def _paint(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        c = colours()
        fills = segment_colours(c)
        metrics = QFontMetricsF(self.font())
        text_colour = self.palette().color(QPalette.ColorRole.WindowText)
        area = QRectF(self.rect()).adjusted(EDGE, EDGE, -EDGE, -EDGE)
        self._paint_legend(painter, area, metrics, fills, text_colour)
        if not self._bars:
            painter.setPen(QColor(c.muted))
            body = area.adjusted(0, self._legend_height(), 0, 0)
            painter.drawText(body, int(Qt.AlignmentFlag.AlignLeft), self.description())
        for bar, segments in zip(self._bars, self.bar_rects(), strict=True):
            first = segments[0]
            name_rect = QRectF(area.left(), first.top(), first.left() - SPACING - area.left(), 0)
            name_rect.setHeight(first.height())
            painter.setPen(text_colour)
            name = metrics.elidedText(bar.username, Qt.TextElideMode.ElideRight, name_rect.width())
            painter.drawText(
                name_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), name
            )
            for rect, fill, value in zip(
                segments, fills, (bar.waiting, bar.returned, bar.approved), strict=True
            ):
                if value <= 0:
                    continue
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(fill)
                painter.drawRect(rect)
                label = str(value)
                if metrics.horizontalAdvance(label) + 4 <= rect.width():
                    painter.setPen(text_on(fill))
                    painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), label)
        if self.hasFocus():
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor(c.accent), 2))
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 3, 3)

    def _paint_legend(
        self,
        painter: QPainter,
        area: QRectF,
        metrics: QFontMetricsF,
        fills: tuple[QColor, QColor, QColor],
        text_colour: QColor,
    ) -> None:
        x = area.left()
        line = metrics.lineSpacing()
        for text, fill in zip(self.legend_texts(), fills, strict=True):
            room = area.right() - x - SWATCH - SPACING / 2
            if room <= 0:
                break
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRect(QRectF(x, area.top() + (line - SWATCH) / 2, SWATCH, SWATCH))
            x += SWATCH + SPACING / 2
            shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
            painter.setPen(text_colour)
            painter.drawText(
                QRectF(x, area.top(), room, line),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                shown,
            )
            x += metrics.horizontalAdvance(shown) + SPACING * 2
