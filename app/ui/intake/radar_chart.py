"""The self-sufficiency radar chart: one axis per life domain, scores 1 to 5.

`RadarChart.set_data(labels=..., current=..., previous=...)` shows the scores of this intake as
a filled shape in the accent colour and, when given, those of the previous intake as a dashed
grey outline. An unscored domain (None) breaks the outline there (app.domain.radar explains
why); a chart without any score shows the empty grid and "Nog geen scores ingevuld".

Every coordinate comes from app.domain.radar's `RadarGeometry`, which a printed report uses as
well, so screen and paper show the same chart. Colours are read when painting, so the chart
follows a switch between the light and the dark theme.

For screen readers the widget's accessible description lists each domain with its score (and
the previous one), the numbers the picture shows. It takes keyboard focus with Tab, so a
screen reader can reach it, and then shows the usual focus border.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QWidget

from app.domain.radar import Box, HAlign, Point, RadarGeometry
from app.ui.theme import SPACING, Colours, colours

MAX_SCORE = 5
FILL_ALPHA = 64  # about 25%: the grid stays readable through the current scores
LABEL_SHARE = 0.34  # the widest a label may be, as a share of the chart's width; longer is elided
SPLIT_SHARE = 0.2  # a label wider than this share of the chart's width takes two lines
MAX_LABEL_LINES = 2
DOT_RADIUS = 3.5
LEGEND_SWATCH = 2 * SPACING
PREVIOUS_DOT_RADIUS = 2.5
EDGE = 2.0  # keeps antialiased edges and the focus border inside the widget

_ALIGN = {
    HAlign.LEFT: Qt.AlignmentFlag.AlignLeft,
    HAlign.CENTER: Qt.AlignmentFlag.AlignHCenter,
    HAlign.RIGHT: Qt.AlignmentFlag.AlignRight,
}


@dataclass(frozen=True)
class _Label:
    lines: tuple[str, ...]
    box: Box
    align: HAlign


@dataclass(frozen=True)
class _LegendItem:
    current: bool  # the current intake's swatch, else the previous one's dashed line
    text: str
    rect: QRectF  # swatch and text


@dataclass(frozen=True)
class _Layout:
    geometry: RadarGeometry
    labels: tuple[_Label, ...]
    legend: tuple[_LegendItem, ...]


# ------------------------------------------------------------------------------ shared helpers


def accent(c: Colours) -> QColor:
    """The accent for lines and shapes on the window background. In the dark theme the accent
    itself is too dark against the window; its text tone (link) is the same hue made visible."""
    return QColor(c.link)


def qpoint(p: Point) -> QPointF:
    return QPointF(p[0], p[1])


def draw_focus_frame(painter: QPainter, widget: QWidget, c: Colours) -> None:
    """The 2-px accent border the stylesheet gives every focused control."""
    painter.save()
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(QColor(c.accent), 2))
    painter.drawRoundedRect(QRectF(widget.rect()).adjusted(1, 1, -1, -1), 3, 3)
    painter.restore()


def wrapped_lines(text: str, metrics: QFontMetricsF, width: float, max_lines: int) -> list[str]:
    """`text` broken at spaces into at most `max_lines` lines of at most `width`; what does not
    fit is elided with "…" (a long single word too)."""
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and metrics.horizontalAdvance(candidate) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])]
    elided = [metrics.elidedText(line, Qt.TextElideMode.ElideRight, width) for line in lines]
    return [line for line in elided if line]


def two_line_width(text: str, metrics: QFontMetricsF) -> float:
    """The narrowest width in which `text` takes two lines (one when it has a single word)."""
    words = text.split()
    best = metrics.horizontalAdvance(text)
    for cut in range(1, len(words)):
        first, rest = " ".join(words[:cut]), " ".join(words[cut:])
        best = min(best, max(metrics.horizontalAdvance(first), metrics.horizontalAdvance(rest)))
    return best


def smaller_font(font: QFont, factor: float = 0.8) -> QFont:
    small = QFont(font)
    if font.pointSizeF() > 0:
        small.setPointSizeF(max(font.pointSizeF() * factor, 6.0))
    else:
        small.setPixelSize(max(round(font.pixelSize() * factor), 8))
    return small


# ---------------------------------------------------------------------------------- the chart


class RadarChart(QWidget):
    """Self-sufficiency scores per life domain as a radar chart (see the module note)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._labels: tuple[str, ...] = ()
        self._current: tuple[int | None, ...] = ()
        self._previous: tuple[int | None, ...] | None = None
        self._captions = ("", "")
        self._cache: tuple[object, _Layout | None] | None = None
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self._retranslate()

    def set_data(
        self,
        *,
        labels: Sequence[str],
        current: Sequence[int | None],
        previous: Sequence[int | None] | None = None,
        current_caption: str = "",
        previous_caption: str = "",
    ) -> None:
        """Show one score (1..5, None when not scored) per label; `previous` is the last intake's
        scores for the same labels. The captions name the two in a legend ("Nu (02-12-2026)")."""
        if len(current) != len(labels) or (previous is not None and len(previous) != len(labels)):
            raise ValueError("give one score per label, for current and previous alike")
        for score in (*current, *(previous or ())):
            if score is not None and not 1 <= score <= MAX_SCORE:
                raise ValueError(f"a score lies between 1 and {MAX_SCORE}, not {score}")
        self._labels = tuple(labels)
        self._current = tuple(current)
        self._previous = tuple(previous) if previous is not None else None
        self._captions = (current_caption, previous_caption)
        self._cache = None
        self._retranslate()
        self.update()

    def chart_geometry(self) -> RadarGeometry | None:
        """The geometry the chart is drawn with at the widget's current size (None without
        labels): where a score lies on screen, for a test or a tooltip."""
        layout = self._layout()
        return layout.geometry if layout is not None else None

    def drawn_labels(self) -> list[tuple[str, QRectF]]:
        """Each axis's label as drawn at the current size: its lines joined by a space (with
        "…" where it was cut) and the box it takes."""
        layout = self._layout()
        if layout is None:
            return []
        return [
            (
                " ".join(label.lines),
                QRectF(label.box.x0, label.box.y0, label.box.width, label.box.height),
            )
            for label in layout.labels
        ]

    def has_scores(self) -> bool:
        return any(s is not None for s in (*self._current, *(self._previous or ())))

    def sizeHint(self) -> QSize:
        return QSize(380, 340)

    def minimumSizeHint(self) -> QSize:
        return QSize(260, 240)

    # ------------------------------------------------------------------------- language

    def _retranslate(self) -> None:
        self.setAccessibleName(self.tr("Zelfredzaamheid, radardiagram"))
        self.setAccessibleDescription(self.description())

    def description(self) -> str:
        """Each label with its score (and the previous one), as a screen reader reads them."""
        if not self.has_scores():
            return self.tr("Nog geen scores ingevuld")
        previous = self._previous or (None,) * len(self._labels)
        parts = []
        for label, now, before in zip(self._labels, self._current, previous, strict=True):
            score = str(now) if now is not None else self.tr("geen score")
            if before is None:
                parts.append(self.tr("{label}: {score}").format(label=label, score=score))
            else:
                parts.append(
                    self.tr("{label}: {score} (vorige intake: {previous})").format(
                        label=label, score=score, previous=before
                    )
                )
        return "; ".join(parts)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # --------------------------------------------------------------------------- layout

    def _layout(self) -> _Layout | None:
        key = (self.size().toTuple(), self.font().key(), self._labels, self._captions)
        if self._cache is None or self._cache[0] != key:
            self._cache = (key, self._make_layout() if self._labels else None)
        return self._cache[1]

    def _make_layout(self) -> _Layout:
        metrics = QFontMetricsF(self.font())
        line = metrics.lineSpacing()
        area = QRectF(self.rect()).adjusted(EDGE, EDGE, -EDGE, -EDGE)
        legend = self._legend(metrics, area)
        if legend:
            area.setBottom(min(item.rect.top() for item in legend) - SPACING / 2)
        widest = max(area.width() * LABEL_SHARE, metrics.averageCharWidth() * 8)
        texts: list[list[str]] = []
        for text in self._labels:
            if metrics.horizontalAdvance(text) <= area.width() * SPLIT_SHARE or " " not in text:
                texts.append(wrapped_lines(text, metrics, widest, 1))
            else:
                # Two balanced lines: width is what pushes the rim inwards, and there is height
                # to spare beside the chart. (+1: a width exactly the text's can elide it.)
                width = min(two_line_width(text, metrics) + 1, widest)
                texts.append(wrapped_lines(text, metrics, width, MAX_LABEL_LINES))
        # Rounded up: a box exactly as wide as its text can make Qt elide the text after all.
        widths = [
            math.ceil(max((metrics.horizontalAdvance(t) for t in lines), default=0.0)) + 1
            for lines in texts
        ]
        heights = [len(lines) * line for lines in texts]
        geometry = RadarGeometry.fit(
            len(self._labels),
            area.width(),
            area.height(),
            widths,
            heights,
            x=area.left(),
            y=area.top(),
            max_score=MAX_SCORE,
            label_gap=SPACING * 0.75,
        )
        boxes = geometry.label_boxes(widths, heights)
        labels = tuple(
            _Label(tuple(lines), box, geometry.label_anchor(i)[2])
            for i, (lines, box) in enumerate(zip(texts, boxes, strict=True))
        )
        return _Layout(geometry, labels, legend)

    def _legend(self, metrics: QFontMetricsF, area: QRectF) -> tuple[_LegendItem, ...]:
        """The captions along the bottom: side by side when they fit, else one under the other
        (each elided to the width if need be)."""
        captions = [(True, self._captions[0]), (False, self._captions[1])]
        shown = [(current, text) for current, text in captions if text]
        text_room = area.width() - LEGEND_SWATCH - SPACING / 2
        texts = [metrics.elidedText(t, Qt.TextElideMode.ElideRight, text_room) for _, t in shown]
        widths = [LEGEND_SWATCH + SPACING / 2 + metrics.horizontalAdvance(t) + 1 for t in texts]
        line = metrics.lineSpacing()
        row = sum(widths) + SPACING * (len(widths) - 1)
        items = []
        if row <= area.width():
            x = area.left() + (area.width() - row) / 2
            for (current, _), text, width in zip(shown, texts, widths, strict=True):
                items.append(
                    _LegendItem(current, text, QRectF(x, area.bottom() - line, width, line))
                )
                x += width + SPACING
        else:
            x = area.left() + max((area.width() - max(widths)) / 2, 0.0)
            top = area.bottom() - len(shown) * line
            for n, ((current, _), text, width) in enumerate(zip(shown, texts, widths, strict=True)):
                items.append(_LegendItem(current, text, QRectF(x, top + n * line, width, line)))
        return tuple(items)

    # ---------------------------------------------------------------------------- paint

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
        layout = self._layout()
        if layout is not None:
            geometry = layout.geometry
            self._paint_grid(painter, geometry, c)
            if self._previous is not None:
                self._paint_previous(painter, geometry, self._previous, c)
            self._paint_current(painter, geometry, self._current, c)
            self._paint_labels(painter, layout.labels)
            self._paint_legend(painter, layout.legend, c)
        if not self.has_scores():
            self._paint_empty(painter, layout.geometry if layout is not None else None, c)
        if self.hasFocus():
            draw_focus_frame(painter, self, c)

    def _paint_grid(self, painter: QPainter, geometry: RadarGeometry, c: Colours) -> None:
        painter.setPen(QPen(QColor(c.border), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for level in range(1, MAX_SCORE + 1):
            painter.drawPolygon(QPolygonF([qpoint(p) for p in geometry.ring(level)]))
        for i in range(geometry.axes):
            centre, rim = geometry.spoke(i)
            painter.drawLine(qpoint(centre), qpoint(rim))
        small = smaller_font(self.font())
        metrics = QFontMetricsF(small)
        # Every level number needs its own height between two rings, else only the odd ones.
        step = 1 if geometry.radius / MAX_SCORE >= metrics.ascent() else 2
        painter.setFont(small)
        painter.setPen(QColor(c.muted))
        for level in range(1, MAX_SCORE + 1, step):
            x, y = geometry.point(0, level)
            painter.drawText(QPointF(x + 3, y + 1 + metrics.ascent()), str(level))
        painter.setFont(self.font())

    def _paint_previous(
        self, painter: QPainter, geometry: RadarGeometry, scores: Sequence[int | None], c: Colours
    ) -> None:
        grey = QColor(c.muted)
        pen = QPen(grey, 1.5, Qt.PenStyle.DashLine)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for run in geometry.outline(scores):
            painter.drawPolyline(QPolygonF([qpoint(p) for p in run]))
        self._paint_dots(painter, geometry.polygon(scores), grey, PREVIOUS_DOT_RADIUS)

    def _paint_current(
        self, painter: QPainter, geometry: RadarGeometry, scores: Sequence[int | None], c: Colours
    ) -> None:
        colour = accent(c)
        fill = QColor(colour)
        fill.setAlpha(FILL_ALPHA)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(fill))
        for area in geometry.fill(scores):
            painter.drawPolygon(QPolygonF([qpoint(p) for p in area]))
        pen = QPen(colour, 2)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for run in geometry.outline(scores):
            painter.drawPolyline(QPolygonF([qpoint(p) for p in run]))
        self._paint_dots(painter, geometry.polygon(scores), colour, DOT_RADIUS)

    @staticmethod
    def _paint_dots(
        painter: QPainter, points: Sequence[Point | None], colour: QColor, radius: float
    ) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(colour))
        for p in points:
            if p is not None:
                painter.drawEllipse(qpoint(p), radius, radius)

    def _paint_labels(self, painter: QPainter, labels: Sequence[_Label]) -> None:
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        line = QFontMetricsF(self.font()).lineSpacing()
        flags = Qt.TextFlag.TextSingleLine | Qt.TextFlag.TextDontClip
        for label in labels:
            for n, text in enumerate(label.lines):
                rect = QRectF(label.box.x0, label.box.y0 + n * line, label.box.width, line)
                painter.drawText(
                    rect, int(_ALIGN[label.align] | Qt.AlignmentFlag.AlignVCenter | flags), text
                )

    def _paint_legend(self, painter: QPainter, items: Sequence[_LegendItem], c: Colours) -> None:
        colour = accent(c)
        for item in items:
            middle = item.rect.center().y()
            x = item.rect.left()
            if item.current:
                fill = QColor(colour)
                fill.setAlpha(FILL_ALPHA)
                painter.setPen(QPen(colour, 2))
                painter.setBrush(QBrush(fill))
                painter.drawRect(QRectF(x + 1, middle - 4, LEGEND_SWATCH - 2, 8))
            else:
                painter.setPen(QPen(QColor(c.muted), 1.5, Qt.PenStyle.DashLine))
                painter.drawLine(QPointF(x, middle), QPointF(x + LEGEND_SWATCH, middle))
            painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
            painter.drawText(
                item.rect.adjusted(LEGEND_SWATCH + SPACING / 2, 0, 0, 0),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                item.text,
            )

    def _paint_empty(self, painter: QPainter, geometry: RadarGeometry | None, c: Colours) -> None:
        text = self.tr("Nog geen scores ingevuld")
        metrics = QFontMetricsF(self.font())
        if geometry is not None:
            centre = QPointF(geometry.cx, geometry.cy)
            width = max(geometry.radius * 1.6, metrics.averageCharWidth() * 12)
        else:
            centre = QRectF(self.rect()).center()
            width = self.width() - 2 * SPACING
        flags = int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        bounds = metrics.boundingRect(QRectF(0, 0, width, 1000), flags, text)
        bounds.moveCenter(centre)
        # A patch of background keeps the sentence readable over the grid lines.
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.palette().color(self.backgroundRole()))
        painter.drawRoundedRect(bounds.adjusted(-6, -3, 6, 3), 3, 3)
        painter.setPen(QColor(c.muted))
        painter.drawText(bounds, flags, text)
