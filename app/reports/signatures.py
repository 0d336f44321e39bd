"""Signature blocks: caption, name, and what the signer did — drew on the pad, signed the paper
copy, declined — or, not signed yet, an empty line with "Handtekening" and "Datum" to sign the
printed copy by hand. Two blocks side by side, a block never split over two pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Circle, Drawing, Path  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    Flowable,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.domain.formatting import date_text
from app.reports.documents import SignatureMark, Stroke
from app.reports.fonts import REGULAR
from app.reports.layout import CONTENT_WIDTH, INK, RULE, Styles, markup

__all__ = ["signature_table", "stroke_drawing"]

GAP = 10 * mm
AREA_HEIGHT = 22 * mm
INSET = 1.5 * mm  # keeps the thickest line inside the area
BASE_WIDTH = 1.1  # points, at pressure 0.5
DIGITAL = "digital"
PAPER = "paper"
REFUSED = "refused"
METHODS = (DIGITAL, PAPER, REFUSED, None)


def signature_table(styles: Styles, marks: Sequence[SignatureMark]) -> Flowable | None:
    """The blocks two to a row; None without any signature field."""
    if not marks:
        return None
    width = (CONTENT_WIDTH - GAP) / 2
    blocks = [_block(styles, mark, width) for mark in marks]
    rows = [
        [blocks[i], "", blocks[i + 1] if i + 1 < len(blocks) else ""]
        for i in range(0, len(blocks), 2)
    ]
    table = Table(rows, colWidths=[width, GAP, width])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
            ]
        )
    )
    return table


def _block(styles: Styles, mark: SignatureMark, width: float) -> Table:
    if mark.method not in METHODS:
        raise ValueError(f"unknown signature method {mark.method!r}")
    area = _area(styles, mark, width)
    # A long reason for not signing makes the area taller rather than running out of it.
    area_height = max(AREA_HEIGHT, area.wrap(width, AREA_HEIGHT * 10)[1] + 4)
    rows: list[list[Any]] = [
        [Paragraph(escape(mark.role), styles.label)],
        [Paragraph(escape(mark.name), styles.name)],
        [area],
    ]
    under = _under_line(mark)
    rows.extend([Paragraph(escape(text), styles.label)] for text in under)
    block = Table(
        rows, colWidths=[width], rowHeights=[None, None, area_height, *[None] * len(under)]
    )
    block.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("VALIGN", (0, 2), (0, 2), "MIDDLE" if mark.method != DIGITAL else "BOTTOM"),
                ("LINEBELOW", (0, 2), (0, 2), 0.7, INK if mark.method is None else RULE),
                ("TOPPADDING", (0, 3), (0, 3), 2.5),
            ]
        )
    )
    return block


def _area(styles: Styles, mark: SignatureMark, width: float) -> Flowable:
    """What sits on the signature line."""
    if mark.method == DIGITAL:
        return stroke_drawing(mark, width, AREA_HEIGHT - 2)
    if mark.method == PAPER:
        return Paragraph(f"Getekend op papier{_on(mark.signed_on)}", styles.body)
    if mark.method == REFUSED:
        reason = f": {markup(mark.reason.strip())}" if mark.reason.strip() else ""
        return Paragraph(f"{escape(mark.role)} wil niet tekenen{reason}", styles.body)
    return Spacer(1, 1)


def _under_line(mark: SignatureMark) -> list[str]:
    if mark.method == DIGITAL:
        return [f"Digitaal getekend{_on(mark.signed_on)}"]
    if mark.method == REFUSED and mark.signed_on is not None:
        return [f"Datum: {date_text(mark.signed_on)}"]
    if mark.method is None:
        return ["Handtekening", "Datum: ______________________"]
    return []


def _on(day: date | None) -> str:
    return f" op {date_text(day)}" if day is not None else ""


# ----------------------------------------------------------------------------------- strokes


def stroke_drawing(mark: SignatureMark, width: float, height: float) -> Drawing:
    """The drawn strokes scaled into `width` x `height` keeping their aspect, centred. The pad's
    size sets the scale (the signature keeps its place on the pad); without it, the strokes'
    own extent does. Lines run through the midpoints between samples as quadratic curves, so
    the sampled polyline reads as a pen line, and are a little wider where pressed harder."""
    drawing = Drawing(width, height, initialFontName=REGULAR)
    strokes = [s for s in mark.strokes if s]
    if not strokes:
        return drawing
    xs = [p[0] for s in strokes for p in s]
    ys = [p[1] for s in strokes for p in s]
    if mark.pad_width > 0 and mark.pad_height > 0:
        left, top, span_x, span_y = 0.0, 0.0, mark.pad_width, mark.pad_height
    else:
        left, top = min(xs), min(ys)
        span_x, span_y = max(max(xs) - left, 1.0), max(max(ys) - top, 1.0)
    scale = min((width - 2 * INSET) / span_x, (height - 2 * INSET) / span_y)
    ox = (width - span_x * scale) / 2
    oy = (height - span_y * scale) / 2

    def place(x: float, y: float) -> tuple[float, float]:
        # Pad y points down, the page's up.
        return ox + (x - left) * scale, oy + (span_y - (y - top)) * scale

    for stroke in strokes:
        line_width = BASE_WIDTH * (0.7 + 0.6 * _pressure(stroke))
        points = [place(p[0], p[1]) for p in stroke]
        if len(points) == 1:
            x, y = points[0]
            drawing.add(Circle(x, y, line_width * 0.8, fillColor=INK, strokeColor=None))
            continue
        drawing.add(_smooth_path(points, line_width))
    return drawing


def _pressure(stroke: Stroke) -> float:
    """The stroke's mean pressure; a mouse or a pad without pressure reports 0: taken as 0.5."""
    pressed = [p[2] for p in stroke if p[2] > 0]
    return min(sum(pressed) / len(pressed), 1.0) if pressed else 0.5


def _smooth_path(points: list[tuple[float, float]], line_width: float) -> Path:
    path = Path(
        strokeColor=INK,
        strokeWidth=line_width,
        fillColor=None,
        strokeLineCap=1,
        strokeLineJoin=1,
    )
    path.moveTo(*points[0])
    if len(points) == 2:
        path.lineTo(*points[1])
        return path
    # Each sample is the control point of a quadratic from the previous midpoint to the next;
    # written as the cubic PDF knows (control points 2/3 of the way to the quadratic's).
    start = points[0]
    last = len(points) - 2
    for k in range(1, last + 1):
        qx, qy = points[k]
        nx, ny = points[k + 1]
        end = (nx, ny) if k == last else ((qx + nx) / 2, (qy + ny) / 2)
        c1 = (start[0] + 2 / 3 * (qx - start[0]), start[1] + 2 / 3 * (qy - start[1]))
        c2 = (end[0] + 2 / 3 * (qx - end[0]), end[1] + 2 / 3 * (qy - end[1]))
        path.curveTo(*c1, *c2, *end)
        start = end
    return path
