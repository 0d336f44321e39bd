"""Signing the client plan on screen, at the kitchen table: with a mouse, a finger or a pen.

`SignaturePad` keeps a signature as vectors, not as a picture: `strokes()` gives per stroke its
points ``(x, y, pressure, t)`` in the pad's own coordinates (pixels, y down, 0.1 px), pressure
0..1 (0.5 for a mouse or a finger) and t in ms since the first point of the signature. With
`pad_size()` that is all a printed plan needs to draw the signature again at any size.
`set_strokes(strokes, pad_size)` shows a stored signature, read-only by default, scaled to the
widget keeping its aspect.

A pen on a tablet sends QTabletEvents; when the platform (or Qt, for an unhandled tablet or
touch event) also turns the pen into mouse events, those are recognised and ignored
(`is_synthesized_mouse`), else every pen stroke would be drawn twice. Touch counts one finger:
the first that touches the pad (a resting palm does not start a second line).

The signature must fit in the plan's record (a JSON text of at most 100,000 characters), so
points closer than `MIN_STEP` to the previous one are skipped and a signature holds at most
`MAX_POINTS` points or `MAX_JSON_CHARS` characters of JSON; at that limit the pad stops taking
points, `is_full()` turns true and `limit_reached` is emitted once.

Keys, while the pad has focus: Delete or Backspace wipes it ("Wissen"), Ctrl+Z takes the last
stroke away.

`SignatureDialog` puts the pad in a dialog with the signer's name and the two alternatives to
signing on screen: signed on paper (with the date) and, for the client only, refused (with the
reason). `result_input()` gives the choice as a `SignatureInput`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from PySide6.QtCore import QDate, QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QEventPoint,
    QFocusEvent,
    QFontMetricsF,
    QGuiApplication,
    QInputDevice,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
    QPointingDevice,
    QResizeEvent,
    QTabletEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateEdit,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.domain.plan import MAX_SIGNATURE_POINTS, Point, Stroke
from app.ui.theme import MARGIN, SPACING, colours
from app.ui.widgets import ActionButton, ScreenAction, mnemonic, with_key

Strokes = tuple[Stroke, ...]

SignatureMethod = Literal["digital", "paper", "refused"]
DIGITAL: SignatureMethod = "digital"
PAPER: SignatureMethod = "paper"
REFUSED: SignatureMethod = "refused"

PAD_WIDTH, PAD_HEIGHT = 560, 220
MIN_STEP = 0.75  # px: closer points add nothing a printed signature could show
MAX_POINTS = MAX_SIGNATURE_POINTS  # the domain refuses more
# The record holds at most 100,000 characters of JSON; the rest is left for the pad size and
# the other fields of the signature.
MAX_JSON_CHARS = 90_000
DEFAULT_PRESSURE = 0.5  # mouse and touch: no pressure, drawn at the pen's middle width
INK_WIDTH = 2.4  # px at pressure 0.5, drawn at 100%
MIN_INK_WIDTH = 0.8
BASELINE = 0.74  # the signing line, as a share of the pad's height
REASON_MAX_LENGTH = 500

# Pointing devices whose own events the pad reads; a mouse event from one of them is a copy.
_PEN_AND_TOUCH = frozenset(
    {
        QInputDevice.DeviceType.Stylus,
        QInputDevice.DeviceType.Airbrush,
        QInputDevice.DeviceType.Puck,
        QInputDevice.DeviceType.TouchScreen,
    }
)
_TOUCH_EVENTS = frozenset(
    {
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TouchEnd,
        QEvent.Type.TouchCancel,
    }
)


def is_synthesized_mouse(event: QMouseEvent) -> bool:
    """True for a mouse event made from a pen or touch event rather than by a mouse.

    Qt 6 marks its own copies (and a platform's, where the platform says so) in `source()`,
    which is deprecated in C++ but still the one flag for it; every Qt 6 mouse event also
    names the device it came from, and a pen or a touch screen is never a mouse. Either test
    alone misses cases: a platform's copy may come with the mouse's source flag unset, and a
    touchpad is a genuine mouse whose device is not of the Mouse type.
    """
    if event.source() != Qt.MouseEventSource.MouseEventNotSynthesized:
        return True
    device = event.pointingDevice()
    return device is not None and device.type() in _PEN_AND_TOUCH


def _point_chars(point: Point) -> int:
    """Characters the point adds to the JSON of the strokes, its separator included."""
    return len(json.dumps(list(point))) + 2


def _normalised(strokes: Sequence[Sequence[Sequence[float]]]) -> Strokes:
    result = []
    for stroke in strokes:
        points = []
        for x, y, pressure, t in stroke:
            points.append(
                (
                    round(float(x), 1),
                    round(float(y), 1),
                    round(min(max(float(pressure), 0.0), 1.0), 2),
                    int(t),
                )
            )
        if points:
            result.append(tuple(points))
    return tuple(result)


# ---------------------------------------------------------------------------------- the pad


class SignaturePad(QWidget):
    """A signature drawn with mouse, touch or pen, kept as strokes (see the module note)."""

    strokes_changed = Signal()
    limit_reached = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signaturePad")
        self._strokes: list[list[Point]] = []
        self._pad_size: tuple[float, float] | None = None
        self._read_only = False
        # The stroke being drawn: which input draws it ("mouse", "tablet", "touch"), and for
        # touch the one finger it follows.
        self._source: str | None = None
        self._touch_id: int | None = None
        self._t0: int | None = None
        self._last_t = 0
        self._points = 0
        self._chars = 2
        self._full = False
        self._version = 0  # counts changes to the finished strokes, for the ink cache
        self._cache: tuple[tuple[object, ...], QPixmap] | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._update_cursor()
        self._retranslate()

    # ----------------------------------------------------------------------------- state

    def strokes(self) -> Strokes:
        """The strokes drawn (or set), each a tuple of (x, y, pressure, t) points."""
        return tuple(tuple(stroke) for stroke in self._strokes if stroke)

    def pad_size(self) -> tuple[float, float]:
        """The size of the frame the strokes' coordinates are in: the pad's size when the
        first stroke began (or the size given to `set_strokes`), else its current size."""
        if self._pad_size is not None:
            return self._pad_size
        return float(self.width()), float(self.height())

    def is_empty(self) -> bool:
        return not any(self._strokes)

    def is_full(self) -> bool:
        """True once the signature reached its point budget; it takes no more points."""
        return self._full

    def point_count(self) -> int:
        return self._points

    @property
    def read_only(self) -> bool:
        return self._read_only

    @read_only.setter
    def read_only(self, value: bool) -> None:
        if value == self._read_only:
            return
        if value:
            self._finish_stroke()
        self._read_only = value
        self._update_cursor()
        self._retranslate()
        self.update()

    def set_strokes(
        self,
        strokes: Sequence[Sequence[Sequence[float]]],
        pad_size: tuple[float, float],
        *,
        read_only: bool = True,
    ) -> None:
        """Show a stored signature: `strokes` as `strokes()` gives them, drawn on a pad of
        `pad_size`, scaled to this widget keeping the aspect."""
        width, height = float(pad_size[0]), float(pad_size[1])
        if not (width > 0 and height > 0 and math.isfinite(width) and math.isfinite(height)):
            raise ValueError(f"a pad has a positive size, not {pad_size!r}")
        self._source = None
        self._touch_id = None
        self._strokes = [list(stroke) for stroke in _normalised(strokes)]
        self._pad_size = (width, height) if self._strokes else None
        self._recount()
        self._t0 = None
        self._last_t = max((p[3] for s in self._strokes for p in s), default=0)
        self.read_only = read_only
        self._changed()

    def clear(self) -> None:
        """Wipe the signature."""
        if self.is_empty() and self._source is None:
            return
        self._source = None
        self._touch_id = None
        self._strokes = []
        self._pad_size = None
        self._t0 = None
        self._last_t = 0
        self._recount()
        self._changed()

    def remove_last_stroke(self) -> None:
        if self._source is not None or not self._strokes:
            return
        self._strokes.pop()
        if not self._strokes:
            self._pad_size = None
            self._t0 = None
            self._last_t = 0
        self._recount()
        self._changed()

    def _recount(self) -> None:
        self._points = sum(len(s) for s in self._strokes)
        self._chars = 2 + sum(2 + 2 + sum(_point_chars(p) for p in s) for s in self._strokes)
        self._full = self._points >= MAX_POINTS or self._chars >= MAX_JSON_CHARS

    def _changed(self) -> None:
        self._version += 1
        self._retranslate()
        self.update()
        self.strokes_changed.emit()

    def _editable(self) -> bool:
        return not self._read_only and self.isEnabled()

    def _update_cursor(self) -> None:
        if self._read_only:
            self.unsetCursor()
        else:
            self.setCursor(Qt.CursorShape.CrossCursor)

    # ---------------------------------------------------------------------- coordinates

    def _frame(self) -> tuple[float, float, float]:
        """(scale, dx, dy) from pad coordinates to widget coordinates."""
        width, height = self.pad_size()
        if width <= 0 or height <= 0:
            return 1.0, 0.0, 0.0
        scale = min(self.width() / width, self.height() / height)
        return (
            scale,
            (self.width() - width * scale) / 2,
            (self.height() - height * scale) / 2,
        )

    def _to_pad(self, position: QPointF) -> tuple[float, float]:
        scale, dx, dy = self._frame()
        width, height = self.pad_size()
        if scale <= 0:
            return 0.0, 0.0
        # A drag that leaves the pad keeps drawing along its edge, as on a paper's edge.
        x = min(max((position.x() - dx) / scale, 0.0), width)
        y = min(max((position.y() - dy) / scale, 0.0), height)
        return round(x, 1), round(y, 1)

    # --------------------------------------------------------------------------- strokes

    def _begin_stroke(self, source: str, position: QPointF, pressure: float, stamp: int) -> bool:
        if not self._editable() or self._source is not None:
            return False
        if self._full:
            return False
        if not self._strokes:
            self._pad_size = (float(self.width()), float(self.height()))
        self._strokes.append([])
        self._chars += 4
        self._source = source
        self._add_point(position, pressure, stamp, first=True)
        return True

    def _extend_stroke(self, position: QPointF, pressure: float, stamp: int) -> None:
        self._add_point(position, pressure, stamp, first=False)

    def _finish_stroke(self) -> None:
        if self._source is None:
            return
        self._source = None
        self._touch_id = None
        if self._strokes and not self._strokes[-1]:
            self._strokes.pop()
            self._recount()
        self._changed()

    def _cancel_stroke(self) -> None:
        if self._source is None:
            return
        self._source = None
        self._touch_id = None
        if self._strokes:
            self._strokes.pop()
        if not self._strokes:
            self._pad_size = None
            self._t0 = None
            self._last_t = 0
        self._recount()
        self._changed()

    def _time(self, stamp: int) -> int:
        """Milliseconds since the signature began, from the events' own timestamps (taken
        when the hand moved, not when Qt got round to it), never running backwards."""
        if self._t0 is None:
            self._t0 = stamp - self._last_t
        t = max(self._last_t, stamp - self._t0)
        self._last_t = t
        return t

    def _add_point(self, position: QPointF, pressure: float, stamp: int, *, first: bool) -> None:
        if self._full or not self._strokes:
            return
        stroke = self._strokes[-1]
        x, y = self._to_pad(position)
        if stroke and not first:
            px, py = stroke[-1][0], stroke[-1][1]
            if math.hypot(x - px, y - py) < MIN_STEP:
                return
        point: Point = (x, y, round(min(max(pressure, 0.0), 1.0), 2), self._time(stamp))
        cost = _point_chars(point)
        if self._points + 1 > MAX_POINTS or self._chars + cost > MAX_JSON_CHARS:
            self._full = True
            self._retranslate()
            self.limit_reached.emit()
            return
        stroke.append(point)
        self._points += 1
        self._chars += cost
        self._update_around(stroke)

    def _update_around(self, stroke: list[Point]) -> None:
        """Repaint only around the newest segment: a long stroke stays fluid on a slow tablet."""
        scale, dx, dy = self._frame()
        recent = stroke[-3:]
        xs = [dx + p[0] * scale for p in recent]
        ys = [dy + p[1] * scale for p in recent]
        pad = INK_WIDTH * 1.5 * max(scale, 1.0) + 2
        left, top = min(xs) - pad, min(ys) - pad
        area = QRectF(left, top, max(xs) + pad - left, max(ys) + pad - top)
        self.update(area.toAlignedRect())

    # ---------------------------------------------------------------------------- input

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if is_synthesized_mouse(event) or event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        if self._begin_stroke("mouse", event.position(), DEFAULT_PRESSURE, event.timestamp()):
            event.accept()
        else:
            event.ignore()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if is_synthesized_mouse(event) or self._source != "mouse":
            event.ignore()
            return
        self._extend_stroke(event.position(), DEFAULT_PRESSURE, event.timestamp())
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if (
            is_synthesized_mouse(event)
            or self._source != "mouse"
            or event.button() != Qt.MouseButton.LeftButton
        ):
            event.ignore()
            return
        self._extend_stroke(event.position(), DEFAULT_PRESSURE, event.timestamp())
        self._finish_stroke()
        event.accept()

    def tabletEvent(self, event: QTabletEvent) -> None:
        if not self._editable():
            event.ignore()
            return
        # Accepted even when unused (the eraser end, a hovering pen): an ignored tablet event
        # comes back as a mouse event.
        event.accept()
        if event.pointerType() == QPointingDevice.PointerType.Eraser:
            return
        pressure = self._pressure(event)
        kind = event.type()
        if kind == QEvent.Type.TabletPress:
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            self._begin_stroke("tablet", event.position(), pressure, event.timestamp())
        elif kind == QEvent.Type.TabletMove and self._source == "tablet":
            self._extend_stroke(event.position(), pressure, event.timestamp())
        elif kind == QEvent.Type.TabletRelease and self._source == "tablet":
            self._finish_stroke()

    @staticmethod
    def _pressure(event: QTabletEvent) -> float:
        device = event.pointingDevice()
        if device is not None and not (device.capabilities() & QInputDevice.Capability.Pressure):
            return DEFAULT_PRESSURE
        return float(event.pressure())

    def event(self, event: QEvent) -> bool:
        if event.type() in _TOUCH_EVENTS and isinstance(event, QTouchEvent):
            return self._touch(event)
        return super().event(event)

    def _touch(self, event: QTouchEvent) -> bool:
        if not self._editable():
            event.ignore()
            return False
        kind = event.type()
        if kind == QEvent.Type.TouchCancel:
            self._cancel_stroke()
            event.accept()
            return True
        points = event.points()
        if kind == QEvent.Type.TouchBegin and self._source is None and points:
            first = points[0]
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            if self._begin_stroke("touch", first.position(), DEFAULT_PRESSURE, event.timestamp()):
                self._touch_id = first.id()
        elif self._source == "touch":
            for point in points:
                if point.id() != self._touch_id:
                    continue
                self._extend_stroke(point.position(), DEFAULT_PRESSURE, event.timestamp())
                if point.state() == QEventPoint.State.Released or kind == QEvent.Type.TouchEnd:
                    self._finish_stroke()
        # Accepted, so Qt does not also send the touch as mouse events.
        event.accept()
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._editable():
            plain_key = event.modifiers() in (
                Qt.KeyboardModifier.NoModifier,
                Qt.KeyboardModifier.KeypadModifier,
            )
            if plain_key and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.clear()
                event.accept()
                return
            if event.matches(QKeySequence.StandardKey.Undo):
                self.remove_last_stroke()
                event.accept()
                return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        # A drag that loses the focus (a dialog popping up) ends its stroke where it was.
        self._finish_stroke()
        self.update()
        super().focusOutEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        kind = event.type()
        if kind == QEvent.Type.LanguageChange:
            self._retranslate()
        elif kind == QEvent.Type.EnabledChange:
            self._finish_stroke()
            self._cache = None
            self.update()
        elif kind in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._cache = None
        super().changeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._cache = None
        super().resizeEvent(event)

    def sizeHint(self) -> QSize:
        return QSize(PAD_WIDTH, PAD_HEIGHT)

    def minimumSizeHint(self) -> QSize:
        return QSize(PAD_WIDTH // 2, PAD_HEIGHT // 2)

    # ------------------------------------------------------------------------- language

    def _retranslate(self) -> None:
        self.setAccessibleName(self.tr("Handtekening"))
        self.setAccessibleDescription(self.description())

    def description(self) -> str:
        """What the pad shows and which keys it takes, as a screen reader reads it."""
        if self.is_empty():
            state = self.tr("Nog niet getekend.")
        else:
            count = len(self.strokes())
            if count == 1:
                state = self.tr("Getekend, één streek.")
            else:
                state = self.tr("Getekend, {count} streken.").format(count=count)
        if self._read_only:
            return state
        keys = self.tr(
            "Teken met muis, pen of vinger. Delete of Backspace wist; Ctrl+Z haalt de laatste "
            "streek weg."
        )
        if self._full:
            full = self.tr("Het vak is vol: er kan niets meer bij.")
            keys = f"{keys} {full}"
        return f"{state} {keys}"

    # ---------------------------------------------------------------------------- paint

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            self._paint(painter)
        finally:
            # Also after an error: a painter left open on the widget crashes Qt.
            painter.end()

    def _ink(self) -> QColor:
        group = QPalette.ColorGroup.Active if self.isEnabled() else QPalette.ColorGroup.Disabled
        return self.palette().color(group, QPalette.ColorRole.Text)

    def _paint(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        c = colours()
        bounds = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        group = QPalette.ColorGroup.Active if self.isEnabled() else QPalette.ColorGroup.Disabled
        painter.setPen(QPen(QColor(c.border), 1))
        painter.setBrush(self.palette().color(group, QPalette.ColorRole.Base))
        painter.drawRoundedRect(bounds, 3, 3)

        scale, dx, dy = self._frame()
        width, height = self.pad_size()
        self._paint_baseline(painter, scale, dx, dy, width, height)
        painter.drawPixmap(0, 0, self._ink_pixmap())
        if self._source is not None and self._strokes:
            _paint_stroke(painter, self._strokes[-1], scale, dx, dy, self._ink())
        if self.hasFocus():
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor(c.accent), 2))
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 3, 3)

    def _paint_baseline(
        self, painter: QPainter, scale: float, dx: float, dy: float, width: float, height: float
    ) -> None:
        c = colours()
        inset = min(MARGIN * 1.5, width * 0.08)
        # On a pixel's middle, so the thin line stays crisp rather than two grey rows.
        y = math.floor(dy + height * BASELINE * scale) + 0.5
        left, right = dx + inset * scale, dx + (width - inset) * scale
        painter.setPen(QPen(QColor(c.border), 1))
        painter.drawLine(QPointF(left, y), QPointF(right, y))
        if not self.is_empty():
            return
        # The hint sits under the line, like the caption under the line on a paper form.
        metrics = QFontMetricsF(self.font())
        painter.setPen(QColor(c.muted))
        painter.setFont(self.font())
        painter.drawText(QPointF(left, y + SPACING / 2 + metrics.ascent()), self.tr("Handtekening"))

    def _ink_pixmap(self) -> QPixmap:
        """The finished strokes, drawn once per change rather than on every repaint."""
        ratio = self.devicePixelRatioF()
        ink = self._ink()
        key = (self.size().toTuple(), ratio, self._version, ink.rgba(), self.pad_size())
        if self._cache is not None and self._cache[0] == key:
            return self._cache[1]
        pixmap = QPixmap(
            max(1, math.ceil(self.width() * ratio)), max(1, math.ceil(self.height() * ratio))
        )
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            scale, dx, dy = self._frame()
            finished = self._strokes[:-1] if self._source is not None else self._strokes
            for stroke in finished:
                _paint_stroke(painter, stroke, scale, dx, dy, ink)
        finally:
            painter.end()
        self._cache = (key, pixmap)
        return pixmap


def _ink_width(pressure: float, scale: float) -> float:
    # 0.6x at no pressure to 1.4x at full: the pen's pressure shows, a mouse line stays even.
    return max(MIN_INK_WIDTH, INK_WIDTH * scale * (0.6 + 0.8 * pressure))


def _paint_stroke(
    painter: QPainter,
    stroke: Sequence[Point],
    scale: float,
    dx: float,
    dy: float,
    colour: QColor,
) -> None:
    """One stroke as quadratic curves through the midpoints of its points (the points are the
    control points), each piece as wide as the pressure at its point."""
    if not stroke:
        return
    points = [QPointF(dx + p[0] * scale, dy + p[1] * scale) for p in stroke]
    pressures = [p[2] for p in stroke]
    pen = QPen(colour)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    if len(points) == 1:
        radius = _ink_width(pressures[0], scale) / 2
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawEllipse(points[0], radius, radius)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        return
    painter.setBrush(Qt.BrushStyle.NoBrush)
    mids = [(a + b) / 2 for a, b in zip(points, points[1:], strict=False)]
    count = len(points)
    for i in range(count):
        path = QPainterPath()
        if i == 0:
            path.moveTo(points[0])
            path.lineTo(mids[0] if count > 2 else points[1])
        elif i == count - 1:
            if count == 2:
                continue
            path.moveTo(mids[-1])
            path.lineTo(points[-1])
        else:
            path.moveTo(mids[i - 1])
            path.quadTo(points[i], mids[i])
        pen.setWidthF(_ink_width(pressures[i], scale))
        painter.setPen(pen)
        painter.drawPath(path)


# ------------------------------------------------------------------------------- the dialog


@dataclass(frozen=True)
class SignatureInput:
    """What the signer chose: signed here (with the strokes and the pad's size), signed on
    paper (with the date) or, for the client, refused (with the reason)."""

    method: SignatureMethod
    strokes: Strokes = ()
    pad_width: float = 0.0
    pad_height: float = 0.0
    paper_date: date | None = None
    reason: str = ""


def _to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class SignatureDialog(QDialog):
    """Tekenen — {role}: the pad, or signed on paper, or (client only) refused."""

    def __init__(
        self,
        role: str,
        signer_name: str,
        *,
        allow_refusal: bool = False,
        today: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("signatureDialog")
        self._role = role
        self._signer_name = signer_name
        self._allow_refusal = allow_refusal
        self._today = today if today is not None else date.today()
        self._result: SignatureInput | None = None

        self._make_actions()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        layout.setSpacing(SPACING)
        self.name_label = QLabel(signer_name)
        self.name_label.setObjectName("sectionTitle")
        self.name_label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.name_label)
        layout.addLayout(self._options())
        self.pad = SignaturePad()
        # Smaller only when the screen leaves no room (150% on 1366x768 still fits 560x220).
        self.pad.setMinimumSize(PAD_WIDTH * 3 // 4, PAD_HEIGHT * 3 // 4)
        self.pad.strokes_changed.connect(self._on_pad_strokes_changed)
        self.pad.limit_reached.connect(self._on_pad_limit_reached)
        layout.addWidget(self.pad, 1)
        self.hint_label = QLabel()
        self.hint_label.setObjectName("muted")
        self.hint_label.setWordWrap(True)
        layout.addWidget(self.hint_label)
        layout.addLayout(self._button_row())

        self._retranslate()
        self._update_state()
        self._fit_to_screen()
        self.pad.setFocus(Qt.FocusReason.OtherFocusReason)

    def _fit_to_screen(self) -> None:
        """As large as the layout asks (the pad at 560 x 220), within the screen. Qt's own
        first size would stop at two thirds of the screen's width."""
        hint = self.sizeHint()
        width, height = hint.width(), hint.height()
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            room = screen.availableGeometry()
            width = min(width, room.width() - 2 * MARGIN)
            height = min(height, room.height() - 4 * MARGIN)
        self.resize(width, height)

    # ------------------------------------------------------------------------------ building

    def _make_actions(self) -> None:
        self.clear_action = ScreenAction(self, self._on_clear_triggered)
        self.undo_action = ScreenAction(
            self, self._on_undo_triggered, shortcut=QKeySequence.StandardKey.Undo
        )
        self.done_action = ScreenAction(
            self, self._on_done_triggered, shortcut=("Ctrl+Return", "Ctrl+Enter")
        )
        self.cancel_action = ScreenAction(self, self.reject, shortcut="Esc")

    def _options(self) -> QGridLayout:
        self.digital_radio = QRadioButton()
        self.paper_radio = QRadioButton()
        self.refused_radio = QRadioButton()
        self.digital_radio.setChecked(True)
        self.method_group = QButtonGroup(self)
        for radio in (self.digital_radio, self.paper_radio, self.refused_radio):
            self.method_group.addButton(radio)
            radio.toggled.connect(self._on_radio_toggled)

        self.date_edit = QDateEdit()
        self.date_edit.setObjectName("paperDate")
        self.date_edit.setDisplayFormat("dd-MM-yyyy")
        self.date_edit.setCalendarPopup(True)
        today = QDate(self._today.year, self._today.month, self._today.day)
        self.date_edit.setMaximumDate(today)
        self.date_edit.setDate(today)
        self.date_label = QLabel()
        self.date_label.setBuddy(self.date_edit)

        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("refusalReason")
        self.reason_edit.setMaxLength(REASON_MAX_LENGTH)
        self.reason_edit.textChanged.connect(self._on_reason_edit_text_changed)
        self.reason_label = QLabel()
        self.reason_label.setBuddy(self.reason_edit)

        grid = QGridLayout()
        grid.setHorizontalSpacing(SPACING)
        grid.setVerticalSpacing(SPACING // 2)
        grid.addWidget(self.digital_radio, 0, 0, 1, 3)
        grid.addWidget(self.paper_radio, 1, 0)
        grid.addWidget(self.date_label, 1, 1)
        grid.addWidget(self.date_edit, 1, 2, Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(self.refused_radio, 2, 0)
        grid.addWidget(self.reason_label, 2, 1)
        grid.addWidget(self.reason_edit, 2, 2)
        grid.setColumnStretch(2, 1)
        # The caseworker signs or signed on paper; only the client may decline.
        for widget in (self.refused_radio, self.reason_label, self.reason_edit):
            widget.setVisible(self._allow_refusal)
            widget.setEnabled(self._allow_refusal)
        return grid

    def _button_row(self) -> QHBoxLayout:
        self.clear_button = ActionButton(self.clear_action, "clearSignature")
        self.undo_button = ActionButton(self.undo_action, "undoStroke")
        self.cancel_button = ActionButton(self.cancel_action, "cancelSignature")
        self.done_button = ActionButton(self.done_action, "primary")
        for button in (self.clear_button, self.undo_button, self.cancel_button):
            button.setAutoDefault(False)
        # Enter (from the pad or the reason) finishes, when Gereed is enabled.
        self.done_button.setDefault(True)
        row = QHBoxLayout()
        row.setSpacing(SPACING)
        row.addWidget(self.clear_button)
        row.addWidget(self.undo_button)
        row.addStretch(1)
        row.addWidget(self.cancel_button)
        row.addWidget(self.done_button)
        return row

    # ------------------------------------------------------------------------------ language

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Tekenen — {role}").format(role=self._role))
        self.name_label.setAccessibleName(
            self.tr("Ondertekenaar: {name}").format(name=self._signer_name)
        )
        self.digital_radio.setText(self.tr("&Hier tekenen"))
        self.paper_radio.setText(self.tr("Getekend op &papier"))
        self.refused_radio.setText(self.tr("Cliënt wil &niet tekenen"))
        self.date_label.setText(self.tr("&Datum"))
        self.reason_label.setText(self.tr("&Reden"))
        self.reason_edit.setPlaceholderText(self.tr("Waarom tekent de cliënt niet?"))
        for widget, label in (
            (self.digital_radio, self.digital_radio),
            (self.paper_radio, self.paper_radio),
            (self.refused_radio, self.refused_radio),
            (self.date_edit, self.date_label),
            (self.reason_edit, self.reason_label),
        ):
            widget.setToolTip(with_key(label.text(), mnemonic(label.text())))
        self.clear_action.set_caption(self.tr("&Wissen"))
        self.undo_action.set_caption(self.tr("&Laatste streek weg"))
        self.done_action.set_caption(self.tr("&Gereed"))
        self.cancel_action.set_caption(self.tr("Annuleren"))
        self._update_hint()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # ---------------------------------------------------------------------------------- state

    def method(self) -> SignatureMethod:
        if self.paper_radio.isChecked():
            return PAPER
        if self._allow_refusal and self.refused_radio.isChecked():
            return REFUSED
        return DIGITAL

    def can_finish(self) -> bool:
        method = self.method()
        if method == DIGITAL:
            return not self.pad.is_empty()
        if method == PAPER:
            return _to_date(self.date_edit.date()) <= self._today
        return bool(self.reason_edit.text().strip())

    def _update_state(self) -> None:
        method = self.method()
        self.pad.setEnabled(method == DIGITAL)
        self.date_edit.setEnabled(method == PAPER)
        self.date_label.setEnabled(method == PAPER)
        if self._allow_refusal:
            self.reason_edit.setEnabled(method == REFUSED)
            self.reason_label.setEnabled(method == REFUSED)
        drawn = method == DIGITAL and not self.pad.is_empty()
        self.clear_action.setEnabled(drawn)
        self.undo_action.setEnabled(drawn)
        self.done_action.setEnabled(self.can_finish())
        self._update_hint()

    def _update_hint(self) -> None:
        method = self.method()
        if method == DIGITAL and self.pad.is_full():
            text = self.tr("Het vak is vol: er kan niets meer bij. Wis het of kies Gereed.")
        elif method == DIGITAL and self.pad.is_empty():
            text = self.tr("Teken met muis, pen of vinger in het vak.")
        elif method == REFUSED and not self.reason_edit.text().strip():
            text = self.tr("Vul de reden in.")
        else:
            text = ""
        self.hint_label.setText(text)
        self.hint_label.setVisible(bool(text))

    def result_input(self) -> SignatureInput | None:
        """The signer's choice after Gereed; None when the dialog was cancelled."""
        return self._result if self.result() == QDialog.DialogCode.Accepted else None

    # ------------------------------------------------------------------------------- slots

    def _on_radio_toggled(self, checked: bool) -> None:
        if not checked:
            return
        self._update_state()
        method = self.method()
        if method == PAPER:
            self.date_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        elif method == REFUSED:
            self.reason_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_pad_strokes_changed(self) -> None:
        self._update_state()

    def _on_pad_limit_reached(self) -> None:
        self._update_hint()

    def _on_reason_edit_text_changed(self, _text: str) -> None:
        self._update_state()

    def _on_clear_triggered(self) -> None:
        self.pad.clear()
        self.pad.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _on_undo_triggered(self) -> None:
        if self.method() == DIGITAL:
            self.pad.remove_last_stroke()

    def _on_done_triggered(self) -> None:
        if not self.can_finish():
            return
        method = self.method()
        if method == DIGITAL:
            width, height = self.pad.pad_size()
            self._result = SignatureInput(
                DIGITAL, strokes=self.pad.strokes(), pad_width=width, pad_height=height
            )
        elif method == PAPER:
            self._result = SignatureInput(PAPER, paper_date=_to_date(self.date_edit.date()))
        else:
            self._result = SignatureInput(REFUSED, reason=self.reason_edit.text().strip())
        self.accept()
