"""The self-sufficiency radar chart on paper, from the same `RadarGeometry` as the screen.

app.domain.radar decides every coordinate (with ``y_up=True``, a PDF page's axis); this module
only measures the labels with reportlab's font metrics and draws: the grid, the previous intake
as a dashed grey outline, the current one as a tinted area with an accent outline and dots, an
unscored domain's name in grey and a gap in the outline there.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from reportlab.graphics.shapes import (  # type: ignore[import-untyped]
    Circle,
    Drawing,
    Line,
    Polygon,
    PolyLine,
    Rect,
    String,
)
from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]

from app.domain.radar import Box, HAlign, RadarGeometry
from app.domain.radar import Point as ChartPoint
from app.reports.documents import RadarChartData
from app.reports.fonts import REGULAR, text_width
from app.reports.layout import INK, MUTED, RULE, WHITE

__all__ = ["radar_drawing"]

LABEL_SIZE = 7.5
LABEL_LINE = LABEL_SIZE * 1.2
LEVEL_SIZE = 6
LEGEND_SIZE = 7.5
LEGEND_HEIGHT = 8 * mm
SPLIT_WIDTH = 62.0  # a label wider than this (points) is set on two balanced lines
LABEL_GAP = 5.0
DOT = 2.2
PREVIOUS_DOT = 1.6
PREVIOUS_GREY = colors.HexColor("#7A7F85")

_ANCHOR = {HAlign.LEFT: "start", HAlign.CENTER: "middle", HAlign.RIGHT: "end"}


def radar_drawing(
    data: RadarChartData, width: float, height: float, accent: Any, accent_tint: Any
) -> Drawing:
    """The chart in a `width` x `height` drawing (a flowable), its legend along the bottom."""
    _check(data)
    drawing = Drawing(width, height, initialFontName=REGULAR, initialFontSize=LABEL_SIZE)
    geometry, lines, boxes = _layout(data.labels, data.max_score, width, height)
    for area in geometry.fill(data.current):
        drawing.add(Polygon(_flat(area), fillColor=accent_tint, strokeColor=None))
    _grid(drawing, geometry)
    if data.previous is not None:
        _outline(drawing, geometry, data.previous, PREVIOUS_GREY, 1.0, (3, 2), PREVIOUS_DOT)
    _outline(drawing, geometry, data.current, accent, 1.6, None, DOT)
    for i, (texts, box) in enumerate(zip(lines, boxes, strict=True)):
        align = geometry.label_anchor(i)[2]
        x = {HAlign.LEFT: box.x0, HAlign.CENTER: (box.x0 + box.x1) / 2, HAlign.RIGHT: box.x1}[align]
        colour = INK if data.current[i] is not None else MUTED
        for n, text in enumerate(texts):
            # Baseline a fifth of the line above its bottom: about the font's descent.
            baseline = box.y1 - (n + 1) * LABEL_LINE + 0.22 * LABEL_LINE
            drawing.add(_string(x, baseline, text, LABEL_SIZE, colour, _ANCHOR[align]))
    _legend(drawing, data, width, accent, accent_tint)
    return drawing


@lru_cache(maxsize=16)
def _layout(
    labels: tuple[str, ...], max_score: int, width: float, height: float
) -> tuple[RadarGeometry, tuple[tuple[str, ...], ...], tuple[Box, ...]]:
    """The chart's geometry, each label's lines and box. The same for every plan with the same
    domain list, so fitted once: the fit tries dozens of radii."""
    lines = tuple(_label_lines(label) for label in labels)
    widths = [max(text_width(t, REGULAR, LABEL_SIZE) for t in ls) + 1 for ls in lines]
    heights = [len(ls) * LABEL_LINE for ls in lines]
    geometry = RadarGeometry.fit(
        len(labels),
        width,
        height - LEGEND_HEIGHT,
        widths,
        heights,
        x=0.0,
        y=LEGEND_HEIGHT,
        max_score=max_score,
        y_up=True,
        label_gap=LABEL_GAP,
    )
    return geometry, lines, tuple(geometry.label_boxes(widths, heights))


def _check(data: RadarChartData) -> None:
    n = len(data.labels)
    if len(data.current) != n or (data.previous is not None and len(data.previous) != n):
        raise ValueError("a radar chart needs one score per label, current and previous alike")
    for score in (*data.current, *(data.previous or ())):
        if score is not None and not 1 <= score <= data.max_score:
            raise ValueError(f"a score lies between 1 and {data.max_score}, not {score}")


def _label_lines(label: str) -> tuple[str, ...]:
    """One line, or two of balanced width for a long name of several words."""
    words = label.split()
    if len(words) < 2 or text_width(label, REGULAR, LABEL_SIZE) <= SPLIT_WIDTH:
        return (label,)
    best = min(
        range(1, len(words)),
        key=lambda cut: max(
            text_width(" ".join(words[:cut]), REGULAR, LABEL_SIZE),
            text_width(" ".join(words[cut:]), REGULAR, LABEL_SIZE),
        ),
    )
    return " ".join(words[:best]), " ".join(words[best:])


def _flat(points: Sequence[ChartPoint]) -> list[float]:
    return [c for p in points for c in p]


def _string(x: float, y: float, text: str, size: float, colour: Any, anchor: str) -> String:
    return String(x, y, text, fontName=REGULAR, fontSize=size, fillColor=colour, textAnchor=anchor)


def _grid(drawing: Drawing, geometry: RadarGeometry) -> None:
    for level in range(1, geometry.max_score + 1):
        width = 0.8 if level == geometry.max_score else 0.5
        drawing.add(
            Polygon(
                _flat(geometry.ring(level)), fillColor=None, strokeColor=RULE, strokeWidth=width
            )
        )
    for i in range(geometry.axes):
        (x0, y0), (x1, y1) = geometry.spoke(i)
        drawing.add(Line(x0, y0, x1, y1, strokeColor=RULE, strokeWidth=0.5))
    # The scale along the first axis, just right of it: every level when the rings are far
    # enough apart for the digits, else the odd ones.
    step = 1 if geometry.radius / geometry.max_score >= LEVEL_SIZE * 1.2 else 2
    for level in range(1, geometry.max_score + 1, step):
        x, y = geometry.point(0, level)
        drawing.add(_string(x + 2, y - LEVEL_SIZE - 0.5, str(level), LEVEL_SIZE, MUTED, "start"))


def _outline(
    drawing: Drawing,
    geometry: RadarGeometry,
    scores: Sequence[int | None],
    colour: Any,
    width: float,
    dash: tuple[float, float] | None,
    dot: float,
) -> None:
    for run in geometry.outline(scores):
        drawing.add(
            PolyLine(
                _flat(run),
                strokeColor=colour,
                strokeWidth=width,
                strokeDashArray=list(dash) if dash else None,
                strokeLineJoin=1,
                strokeLineCap=1,
            )
        )
    for p in geometry.polygon(scores):
        if p is not None:
            drawing.add(
                Circle(p[0], p[1], dot, fillColor=colour, strokeColor=WHITE, strokeWidth=0.4)
            )


def _legend(drawing: Drawing, data: RadarChartData, width: float, accent: Any, tint: Any) -> None:
    """Swatch and caption for each intake shown, and the grey names explained, centred."""
    items: list[tuple[str, str]] = [("current", data.current_caption)]
    if data.previous is not None:
        items.append(("previous", data.previous_caption))
    if any(score is None for score in data.current):
        items.append(("unscored", "Domein in grijs: geen score"))
    swatch, gap, space = 14.0, 4.0, 16.0
    widths = [
        (0.0 if kind == "unscored" else swatch + gap) + text_width(text, REGULAR, LEGEND_SIZE)
        for kind, text in items
    ]
    x = (width - sum(widths) - space * (len(items) - 1)) / 2
    y = 2.5 * mm
    for (kind, text), item_width in zip(items, widths, strict=True):
        text_x = x + swatch + gap
        if kind == "current":
            drawing.add(
                Rect(x, y - 1, swatch, 7, fillColor=tint, strokeColor=accent, strokeWidth=1.2)
            )
        elif kind == "previous":
            drawing.add(
                Line(
                    x,
                    y + 2.5,
                    x + swatch,
                    y + 2.5,
                    strokeColor=PREVIOUS_GREY,
                    strokeWidth=1.0,
                    strokeDashArray=[3, 2],
                )
            )
        else:
            text_x = x
        colour = MUTED if kind == "unscored" else INK
        drawing.add(_string(text_x, y, text, LEGEND_SIZE, colour, "start"))
        x += item_width + space
