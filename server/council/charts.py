"""The report's three charts, drawn with reportlab's own graphics: ladder movement per area,
home visits per month by kind, statutory terms kept. Every string is set in DejaVu Sans (no
standard PDF font gets into the file); a withheld value is drawn as an "x", never as a bar, and
a part of a bar that is only known as "the rest of a published total" is hatched grey.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.graphics.shapes import Drawing, Line, Rect, String  # type: ignore[import-untyped]
from reportlab.lib import colors  # type: ignore[import-untyped]

from app.reports.fonts import REGULAR, text_width
from app.reports.layout import INK, MUTED, RULE

__all__ = ["Bar", "Segment", "share_bars", "stacked_bars"]

LABEL = 7.5
SMALL = 6.5
WITHHELD = colors.HexColor("#B8BDC2")
PALETTE = (
    colors.HexColor("#1F4E79"),
    colors.HexColor("#7FA7C9"),
    colors.HexColor("#C0504D"),
    colors.HexColor("#9BBB59"),
)


@dataclass(frozen=True, slots=True)
class Segment:
    label: str
    value: int | None  # None: withheld


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    segments: tuple[Segment, ...]
    total: int | None = None  # the published total, when the segments may not all be known


def _string(x: float, y: float, text: str, size: float = LABEL, **kw: Any) -> String:
    return String(
        x, y, text, fontName=REGULAR, fontSize=size, fillColor=kw.pop("colour", INK), **kw
    )


def _legend(drawing: Drawing, names: Sequence[str], fills: Sequence[Any], y: float) -> None:
    x = 0.0
    for name, fill in [*zip(names, fills, strict=True), ("weggelaten", WITHHELD)]:
        drawing.add(Rect(x, y, 7, 7, fillColor=fill, strokeColor=None))
        drawing.add(_string(x + 10, y + 0.5, name, SMALL))
        x += 18 + text_width(name, REGULAR, SMALL)


def stacked_bars(
    bars: Sequence[Bar],
    names: Sequence[str],
    *,
    width: float,
    height: float,
    horizontal: bool,
    percent: bool = False,
) -> Drawing:
    """Bars made of segments in the order of `names`. With `percent`, every bar is scaled to
    100% of its own published sum (a bar with a withheld segment is then an "x")."""
    fills = PALETTE[: len(names)]
    drawing = Drawing(width, height, initialFontName=REGULAR, initialFontSize=LABEL)
    legend = 12.0
    _legend(drawing, names, fills, 0)
    label_room = max((text_width(b.label, REGULAR, LABEL) for b in bars), default=0) + 6
    top = height - 4
    if horizontal:
        area_x, area_w = label_room, width - label_room - 28
        step = (top - legend - 6) / max(1, len(bars))
        biggest = 100.0 if percent else float(max((_sum(b) for b in bars), default=1) or 1)
        for n, bar in enumerate(bars):
            y = top - (n + 1) * step + step * 0.2
            h = step * 0.6
            drawing.add(_string(area_x - 6, y + h / 2 - 2.5, bar.label, textAnchor="end"))
            parts = _parts(bar, percent)
            if parts is None:
                drawing.add(_string(area_x + 2, y + h / 2 - 2.5, "x (weggelaten)", colour=MUTED))
                continue
            x = area_x
            for (value, fill), _name in zip(parts, (*names, "rest"), strict=False):
                w = area_w * value / biggest
                drawing.add(
                    Rect(x, y, w, h, fillColor=fill, strokeColor=colors.white, strokeWidth=0.4)
                )
                x += w
            drawing.add(
                _string(x + 3, y + h / 2 - 2.5, _total_text(bar, percent), SMALL, colour=MUTED)
            )
        drawing.add(Line(area_x, legend + 4, area_x, top, strokeColor=RULE, strokeWidth=0.5))
        return drawing
    base = legend + 16
    area_h = top - base - 10
    step = width / max(1, len(bars))
    biggest = float(max((_sum(b) for b in bars), default=1) or 1)
    drawing.add(Line(0, base, width, base, strokeColor=RULE, strokeWidth=0.5))
    for n, bar in enumerate(bars):
        x = n * step + step * 0.18
        w = step * 0.64
        drawing.add(_string(x + w / 2, base - 10, bar.label, SMALL, textAnchor="middle"))
        parts = _parts(bar, False)
        if parts is None:
            drawing.add(_string(x + w / 2, base + 3, "x", colour=MUTED, textAnchor="middle"))
            continue
        y = base
        for value, fill in parts:
            h = area_h * value / biggest
            drawing.add(Rect(x, y, w, h, fillColor=fill, strokeColor=colors.white, strokeWidth=0.4))
            y += h
        drawing.add(
            _string(
                x + w / 2, y + 2, _total_text(bar, False), SMALL, colour=MUTED, textAnchor="middle"
            )
        )
    return drawing


def _sum(bar: Bar) -> int:
    known = sum(s.value or 0 for s in bar.segments)
    return max(known, bar.total or 0)


def _parts(bar: Bar, percent: bool) -> list[tuple[float, Any]] | None:
    """The drawn pieces: known segments, and the rest of a published total as withheld; None
    when nothing can be drawn honestly."""
    fills = PALETTE[: len(bar.segments)]
    known = [(float(s.value), fill) for s, fill in zip(bar.segments, fills, strict=True) if s.value]
    missing = any(s.value is None for s in bar.segments)
    if percent:
        if missing:
            return None
        whole = sum(v for v, _ in known)
        return [(100.0 * v / whole, f) for v, f in known] if whole else None
    if missing:
        if bar.total is None:
            return None
        rest = bar.total - sum(v for v, _ in known)
        if rest > 0:
            known.append((float(rest), WITHHELD))
    return known or None


def _total_text(bar: Bar, percent: bool) -> str:
    if percent:
        return ""
    if bar.total is not None:
        return str(bar.total)
    if all(s.value is not None for s in bar.segments):
        return str(sum(s.value or 0 for s in bar.segments))
    return ""


def share_bars(
    groups: Sequence[tuple[str, Sequence[tuple[str, int | None]]]],
    *,
    width: float,
    height: float,
    series: Sequence[str],
) -> Drawing:
    """Horizontal bars of percentages, per group one bar per series ("2026-H2", "2026-H1")."""
    drawing = Drawing(width, height, initialFontName=REGULAR, initialFontSize=LABEL)
    fills = PALETTE[: len(series)]
    legend = 12.0
    x = 0.0
    for name, fill in zip(series, fills, strict=True):
        drawing.add(Rect(x, 0, 7, 7, fillColor=fill, strokeColor=None))
        drawing.add(_string(x + 10, 0.5, name, SMALL))
        x += 18 + text_width(name, REGULAR, SMALL)
    label_room = max((text_width(g, REGULAR, LABEL) for g, _ in groups), default=0) + 6
    area_x, area_w = label_room, width - label_room - 30
    top = height - 4
    rows = sum(len(values) for _, values in groups) + len(groups)
    step = (top - legend - 6) / max(1, rows)
    y = top
    for group, values in groups:
        y -= step
        drawing.add(_string(area_x - 6, y - step * len(values) / 2 + 2, group, textAnchor="end"))
        for (_name, value), fill in zip(values, fills, strict=True):
            y -= step
            h = step * 0.75
            if value is None:
                drawing.add(_string(area_x + 2, y + 1, "x (weggelaten)", SMALL, colour=MUTED))
                continue
            drawing.add(Rect(area_x, y, area_w * value / 100, h, fillColor=fill, strokeColor=None))
            drawing.add(
                _string(area_x + area_w * value / 100 + 3, y + 1, f"{value}%", SMALL, colour=MUTED)
            )
    for tick in (0, 50, 100):
        tx = area_x + area_w * tick / 100
        drawing.add(Line(tx, legend + 4, tx, top, strokeColor=RULE, strokeWidth=0.4))
        drawing.add(_string(tx, legend - 3, f"{tick}%", SMALL, colour=MUTED, textAnchor="middle"))
    return drawing
