"""A small line chart of one value over time, for an intake's history.

Meant for the step on the participation ladder (1 to 6) and the mean self-sufficiency score
(1 to 5) over the client's intakes: `TrendChart.set_series(title=..., points=[(day, value)],
y_min=1, y_max=6, y_labels={...})`. Points are placed by date, not by number, so a gap of a
year looks like one. A single intake is a dot; none gives "Nog geen eerdere intakes".

The accessible description lists "date: value" per point, the numbers the line shows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QEvent, QLocale, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QWidget

from app.domain.formatting import date_text
from app.ui.intake.radar_chart import accent, draw_focus_frame, smaller_font
from app.ui.theme import SPACING, Colours, colours

DOT_RADIUS = 3.5
Y_LABEL_SHARE = 0.35  # the widest a y label may be, as a share of the widget; longer is elided
EDGE = 2.0  # keeps antialiased edges and the focus border inside the widget


@dataclass(frozen=True)
class _Plot:
    area: QRectF  # where the values go: y_min at the bottom, y_max at the top
    title: QRectF


def value_text(value: float) -> str:
    """A whole number as it is ("4"), else one decimal in the UI's locale ("3,4")."""
    if float(value).is_integer():
        return str(int(value))
    return QLocale().toString(float(value), "f", 1)


class TrendChart(QWidget):
    """One value over time as a line with dots (see the module note)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = ""
        self._points: tuple[tuple[date, float], ...] = ()
        self._y_min = 0.0
        self._y_max = 1.0
        self._y_labels: dict[float, str] = {}
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self._retranslate()

    def set_series(
        self,
        *,
        title: str,
        points: Sequence[tuple[date, float]],
        y_min: float,
        y_max: float,
        y_labels: Mapping[float, str] | None = None,
    ) -> None:
        """Show `points` (in any order) on a y axis from y_min to y_max, with a gridline and a
        label at every whole number between; `y_labels` replaces the number's label (a ladder
        step's name, say)."""
        if not y_max > y_min:
            raise ValueError("y_max must be greater than y_min")
        self._title = title
        self._points = tuple(sorted(points, key=lambda p: p[0]))
        self._y_min, self._y_max = float(y_min), float(y_max)
        self._y_labels = {float(k): v for k, v in (y_labels or {}).items()}
        self._retranslate()
        self.update()

    def description(self) -> str:
        """Each point as "date: value", oldest first, as a screen reader reads them."""
        if not self._points:
            return self.tr("Nog geen eerdere intakes")
        return "; ".join(
            self.tr("{date}: {value}").format(date=date_text(day), value=value_text(value))
            for day, value in self._points
        )

    def sizeHint(self) -> QSize:
        return QSize(320, 160)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, 120)

    def _retranslate(self) -> None:
        self.setAccessibleName(
            self.tr("{title}, lijndiagram").format(title=self._title)
            if self._title
            else self.tr("Lijndiagram")
        )
        self.setAccessibleDescription(self.description())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # ----------------------------------------------------------------------------- layout

    def _ticks(self) -> list[float]:
        return [float(v) for v in range(math.ceil(self._y_min), math.floor(self._y_max) + 1)]

    def _y_label(self, value: float) -> str:
        return self._y_labels.get(value, value_text(value))

    def _plot(self, small: QFontMetricsF) -> _Plot:
        bold = QFont(self.font())
        bold.setBold(True)
        title_height = QFontMetricsF(bold).lineSpacing() if self._title else 0.0
        rect = QRectF(self.rect()).adjusted(EDGE, EDGE, -EDGE, -EDGE)
        title = QRectF(rect.left(), rect.top(), rect.width(), title_height)
        line = small.lineSpacing()
        y_label_width = min(
            max((small.horizontalAdvance(self._y_label(v)) for v in self._ticks()), default=0.0),
            rect.width() * Y_LABEL_SHARE,
        )
        # A date label is centred under its point: the first and last need half its width free.
        half_date = small.horizontalAdvance("00-00-0000") / 2
        left = rect.left() + max(y_label_width + SPACING / 2, half_date)
        right = rect.right() - half_date
        # Above the top gridline: room for a value over a dot at y_max; below: the dates.
        top = title.bottom() + line + DOT_RADIUS
        bottom = rect.bottom() - line - SPACING / 2
        return _Plot(QRectF(left, top, max(right - left, 1.0), max(bottom - top, 1.0)), title)

    def _x(self, area: QRectF, day: date) -> float:
        first, last = self._points[0][0], self._points[-1][0]
        span = (last - first).days
        if span == 0:
            return area.center().x()
        return area.left() + area.width() * (day - first).days / span

    def _y(self, area: QRectF, value: float) -> float:
        share = (value - self._y_min) / (self._y_max - self._y_min)
        return area.bottom() - area.height() * share

    def point_positions(self) -> list[QPointF]:
        """Where each point is drawn (oldest first), for a test or a tooltip."""
        plot = self._plot(QFontMetricsF(smaller_font(self.font())))
        return [QPointF(self._x(plot.area, d), self._y(plot.area, v)) for d, v in self._points]

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
        small = smaller_font(self.font())
        metrics = QFontMetricsF(small)
        plot = self._plot(metrics)
        text_colour = self.palette().color(QPalette.ColorRole.WindowText)
        if self._title:
            bold = QFont(self.font())
            bold.setBold(True)
            painter.setFont(bold)
            painter.setPen(text_colour)
            title = QFontMetricsF(bold).elidedText(
                self._title, Qt.TextElideMode.ElideRight, plot.title.width()
            )
            painter.drawText(plot.title, int(Qt.AlignmentFlag.AlignLeft), title)
        painter.setFont(small)
        self._paint_grid(painter, plot.area, metrics, c)
        if self._points:
            self._paint_line(painter, plot.area, metrics, c)
        else:
            painter.setFont(self.font())
            painter.setPen(QColor(c.muted))
            painter.drawText(
                plot.area,
                int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                self.tr("Nog geen eerdere intakes"),
            )
        if self.hasFocus():
            draw_focus_frame(painter, self, c)

    def _paint_grid(
        self, painter: QPainter, area: QRectF, metrics: QFontMetricsF, c: Colours
    ) -> None:
        width = area.left() - SPACING / 2 - EDGE
        for value in self._ticks():
            y = self._y(area, value)
            painter.setPen(QPen(QColor(c.border), 1))
            painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
            painter.setPen(QColor(c.muted))
            text = metrics.elidedText(self._y_label(value), Qt.TextElideMode.ElideRight, width)
            painter.drawText(
                QRectF(EDGE, y - metrics.height() / 2, width, metrics.height()),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                text,
            )

    def _paint_line(
        self, painter: QPainter, area: QRectF, metrics: QFontMetricsF, c: Colours
    ) -> None:
        colour = accent(c)
        points = [QPointF(self._x(area, d), self._y(area, v)) for d, v in self._points]
        painter.setPen(QPen(colour, 2))
        for start, end in zip(points, points[1:], strict=False):
            painter.drawLine(start, end)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(colour))
        for p in points:
            painter.drawEllipse(p, DOT_RADIUS, DOT_RADIUS)
        # Values over the dots and dates under them, each only where it has room: the newest
        # first, then the oldest, then the rest, so a crowded chart still shows the ends.
        order = [len(points) - 1, *range(len(points) - 1)]
        taken: list[QRectF] = []
        line = metrics.lineSpacing()
        for n in order:
            day, value = self._points[n]
            p = points[n]
            # A value stays right of the y labels; a date may reach under them.
            above = self._text_rect(
                metrics, value_text(value), p.x(), p.y() - DOT_RADIUS - line, area.left()
            )
            below = self._text_rect(
                metrics, date_text(day), p.x(), area.bottom() + SPACING / 2, EDGE
            )
            for rect, text, pen in (
                (above, value_text(value), self.palette().color(QPalette.ColorRole.WindowText)),
                (below, date_text(day), QColor(c.muted)),
            ):
                if any(rect.intersects(other) for other in taken):
                    continue
                taken.append(rect)
                painter.setPen(pen)
                painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text)

    def _text_rect(
        self, metrics: QFontMetricsF, text: str, centre_x: float, top: float, min_left: float
    ) -> QRectF:
        width = metrics.horizontalAdvance(text) + 2
        left = min(max(centre_x - width / 2, min_left), self.width() - EDGE - width)
        return QRectF(left, top, width, metrics.lineSpacing())
