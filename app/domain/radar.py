"""The geometry of a radar ("spider") chart: N axes, scores 0..max_score along each.

Pure numbers, so that the desktop widget (QPainter, y axis pointing down) and a printed report
(reportlab, y axis pointing up: ``y_up=True``) draw the same chart from the same rules. Nothing
here draws; every coordinate a painter needs comes from a `RadarGeometry`.

Conventions, the same in both coordinate systems as seen on paper:

- axis 0 points straight up; the next axes follow clockwise, evenly spaced;
- a value of 0 is the centre, ``max_score`` is the rim; the rings are polygons through the axes
  (``ring(level)``), as on the paper self-sufficiency matrix;
- an unscored axis (None) has no point. The outline is then broken: it connects only
  neighbouring scored axes (`outline`), and the filled area is the fan from the centre under
  those segments (`fill`), so the picture never suggests a score of 0 or a line through a gap.
  A lone scored axis between two unscored ones is only its dot.

Labels sit outside the rim, `label_gap` away. Their horizontal alignment follows the axis
(`label_anchor`): right of the chart a label starts at the anchor and grows away from it (LEFT),
left of the chart it ends at the anchor (RIGHT), straight up or down it is centred. Vertically a
label slides from just above the anchor (axis 0) through centred (a sideways axis) to just below
it (the axis pointing down), so it never covers the rim (`label_box`). With many axes the labels
near 12 and 6 o'clock crowd each other; `label_boxes` moves those outwards until they are clear.
`fit` picks the centre and radius so the rim and those label boxes fit a given box. A caller
measures its label texts (wrapped to the widths it chose), fits, and draws each text in its box.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Self

__all__ = ["Box", "HAlign", "Point", "RadarGeometry"]

Point = tuple[float, float]

# Below this |sin| an axis counts as vertical and its label is centred on it: about 6 degrees,
# less than half the spacing of any chart up to 30 axes, so only the axes at 12 and 6 o'clock.
_VERTICAL_SINE = 0.1

# The coarse scale of radii `fit` tries, then enough halvings to pin the radius well below a
# pixel for any page or screen size.
_STEPS = 40
_BISECTIONS = 30


class HAlign(StrEnum):
    """Where a label's anchor is on the label: its left edge, its middle or its right edge."""

    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


@dataclass(frozen=True, slots=True)
class Box:
    """An axis-aligned rectangle as its smallest and largest x and y, in whichever coordinate
    system the geometry uses (so ``y0`` is the top on screen and the bottom on a PDF page)."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def moved(self, dx: float, dy: float) -> Box:
        return Box(self.x0 + dx, self.y0 + dy, self.x1 + dx, self.y1 + dy)

    def overlaps(self, other: Box) -> bool:
        """True when the two share more than an edge."""
        return (
            self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1
        )


@dataclass(frozen=True, slots=True)
class RadarGeometry:
    """A radar chart of `axes` axes centred on (cx, cy) with the rim `radius` away.

    ``y_up=False`` is screen coordinates (y grows downwards), ``y_up=True`` is a PDF page's.
    """

    axes: int
    cx: float
    cy: float
    radius: float
    max_score: int = 5
    y_up: bool = False
    label_gap: float = 6.0

    def __post_init__(self) -> None:
        if self.axes < 1:
            raise ValueError("a radar chart needs at least one axis")
        if self.max_score < 1:
            raise ValueError("max_score must be at least 1")
        if self.radius < 0 or self.label_gap < 0:
            raise ValueError("radius and label_gap cannot be negative")

    # ------------------------------------------------------------------------------ axes

    def angle(self, i: int) -> float:
        """Axis i's bearing in radians: 0 straight up, growing clockwise on paper."""
        return 2 * math.pi * (i % self.axes) / self.axes

    def direction(self, i: int) -> Point:
        """The unit vector along axis i in this coordinate system."""
        bearing = self.angle(i)
        up = math.cos(bearing)
        return math.sin(bearing), up if self.y_up else -up

    def point(self, i: int, value: float) -> Point:
        """Where `value` lies on axis i: 0 at the centre, max_score on the rim."""
        dx, dy = self.direction(i)
        r = self.radius * value / self.max_score
        return self.cx + r * dx, self.cy + r * dy

    def spoke(self, i: int) -> tuple[Point, Point]:
        """Axis i as a line from the centre to the rim."""
        return (self.cx, self.cy), self.point(i, self.max_score)

    def ring(self, level: float) -> list[Point]:
        """The polygon through `level` on every axis, in axis order (not closed)."""
        return [self.point(i, level) for i in range(self.axes)]

    # ---------------------------------------------------------------------------- scores

    def polygon(self, scores: Sequence[float | None]) -> list[Point | None]:
        """Each axis's point, None where the axis has no score. Draw a dot at every point; for
        lines and fill use `outline` and `fill`, which skip the gaps."""
        self._check(scores)
        return [None if s is None else self.point(i, s) for i, s in enumerate(scores)]

    def outline(self, scores: Sequence[float | None]) -> list[list[Point]]:
        """The polylines joining neighbouring scored axes. All axes scored: one closed ring (the
        first point repeated at the end). A run of one point gives no line (draw its dot)."""
        points = self.polygon(scores)
        if all(p is not None for p in points):
            closed = [p for p in points if p is not None]
            return [[*closed, closed[0]]] if len(closed) > 1 else []
        return [run for run in self._runs(points) if len(run) > 1]

    def fill(self, scores: Sequence[float | None]) -> list[list[Point]]:
        """The polygons to fill: the whole polygon when every axis is scored, else per run of
        scored neighbours the fan from the centre under it (never across an unscored axis)."""
        points = self.polygon(scores)
        if all(p is not None for p in points):
            whole = [p for p in points if p is not None]
            return [whole] if len(whole) > 2 else []
        centre = (self.cx, self.cy)
        return [[centre, *run] for run in self._runs(points) if len(run) > 1]

    def _check(self, scores: Sequence[float | None]) -> None:
        if len(scores) != self.axes:
            raise ValueError(f"{len(scores)} scores for a chart of {self.axes} axes")

    def _runs(self, points: list[Point | None]) -> list[list[Point]]:
        # Start just after a gap, so a run that wraps past the last axis stays one run.
        start = next(i for i, p in enumerate(points) if p is None) + 1
        runs: list[list[Point]] = [[]]
        for k in range(self.axes):
            p = points[(start + k) % self.axes]
            if p is None:
                runs.append([])
            else:
                runs[-1].append(p)
        return [run for run in runs if run]

    # ---------------------------------------------------------------------------- labels

    def label_anchor(self, i: int, gap: float | None = None) -> tuple[float, float, HAlign]:
        """The point `gap` (default `label_gap`) beyond the rim on axis i, and how a label is
        aligned on it horizontally so that it grows away from the chart."""
        sine = math.sin(self.angle(i))
        align = (
            HAlign.CENTER
            if abs(sine) < _VERTICAL_SINE
            else HAlign.LEFT
            if sine > 0
            else HAlign.RIGHT
        )
        x, y = self._beyond_rim(i, self.label_gap if gap is None else gap)
        return x, y, align

    def label_box(self, i: int, width: float, height: float, gap: float | None = None) -> Box:
        """Where a label of this size goes for axis i (see the module note)."""
        x, y, align = self.label_anchor(i, gap)
        if align is HAlign.LEFT:
            x0 = x
        elif align is HAlign.RIGHT:
            x0 = x - width
        else:
            x0 = x - width / 2
        # The label's middle moves along the axis by half its height times the axis's vertical
        # component: fully above the anchor at 12 o'clock, centred at 3, fully below at 6.
        middle = y + height / 2 * self.direction(i)[1]
        return Box(x0, middle - height / 2, x0 + width, middle + height / 2)

    def label_boxes(
        self, widths: float | Sequence[float], heights: float | Sequence[float]
    ) -> list[Box]:
        """Where every axis's label goes, given each label's size (one size for all or one per
        axis): `label_box`, except that a label which would overlap a neighbour's moves away
        from the chart vertically until it is clear. Labels nearest the horizontal keep their
        place; those towards 12 and 6 o'clock, where neighbours crowd, give way."""
        w = _per_axis(widths, self.axes, "widths")
        h = _per_axis(heights, self.axes, "heights")
        boxes = [self.label_box(i, w[i], h[i]) for i in range(self.axes)]
        ups = [math.cos(self.angle(i)) for i in range(self.axes)]
        placed: list[int] = []
        for i in sorted(range(self.axes), key=lambda k: abs(ups[k])):
            outward = (1.0 if ups[i] > 0 else -1.0) * (1.0 if self.y_up else -1.0)
            moved = True
            while moved:
                moved = False
                for j in placed:
                    if boxes[i].overlaps(boxes[j]):
                        edge = (
                            boxes[j].y1 - boxes[i].y0 if outward > 0 else boxes[j].y0 - boxes[i].y1
                        )
                        # A hair beyond the edge, so rounding cannot leave them overlapping.
                        boxes[i] = boxes[i].moved(0.0, edge + outward * 1e-9)
                        moved = True
            placed.append(i)
        return boxes

    def _beyond_rim(self, i: int, distance: float) -> Point:
        dx, dy = self.direction(i)
        r = self.radius + distance
        return self.cx + r * dx, self.cy + r * dy

    # ------------------------------------------------------------------------------- fit

    @classmethod
    def fit(
        cls,
        axes: int,
        width: float,
        height: float,
        label_width: float | Sequence[float],
        label_height: float | Sequence[float],
        *,
        x: float = 0.0,
        y: float = 0.0,
        max_score: int = 5,
        y_up: bool = False,
        label_gap: float = 6.0,
    ) -> Self:
        """The largest chart whose rim and labels (placed by `label_boxes`, one label size for
        all or one per axis) fit the box of `width` x `height` at (x, y), its lowest corner
        in the coordinate system. The leftover space is shared equally on both sides, so the
        centre moves off the box's middle when the labels are lopsided. When no chart leaves room
        for the labels, the radius is 0 and the labels overflow the box."""
        widths = _per_axis(label_width, axes, "label_width")
        heights = _per_axis(label_height, axes, "label_height")
        unit = cls(axes, 0.0, 0.0, 0.0, max_score, True, label_gap)

        def extents(radius: float) -> tuple[float, float, float, float]:
            # Centre at the origin, y up: the chart's and labels' reach in each direction.
            chart = unit._at(radius)
            boxes = chart.label_boxes(widths, heights)
            rim = [*chart.ring(max_score), (0.0, 0.0)]  # the centre too: one axis is a spoke
            return (
                min(min(b.x0 for b in boxes), min(p[0] for p in rim)),
                min(min(b.y0 for b in boxes), min(p[1] for p in rim)),
                max(max(b.x1 for b in boxes), max(p[0] for p in rim)),
                max(max(b.y1 for b in boxes), max(p[1] for p in rim)),
            )

        def fits(radius: float) -> bool:
            x0, y0, x1, y1 = extents(radius)
            return x1 - x0 <= width and y1 - y0 <= height

        # A chart is at least its radius tall (axis 0 runs up from the centre), so no radius
        # above the box's longer side fits. Labels crowding a small chart are moved apart, which
        # can make a small radius fail where a larger one fits: so first the largest fitting
        # radius on a coarse scale, then halving between it and the next step up.
        top = max(width, height, 0.0)
        step = top / _STEPS
        low = next((top - k * step for k in range(_STEPS + 1) if fits(top - k * step)), 0.0)
        high = min(low + step, top)
        for _ in range(_BISECTIONS if fits(low) else 0):
            middle = (low + high) / 2
            if fits(middle):
                low = middle
            else:
                high = middle
        x0, y0, x1, y1 = extents(low)
        cx = x + (width - x1 - x0) / 2
        # Centred between the reaches: on screen the largest upward reach is nearest y.
        cy = y + (height - y1 - y0) / 2 if y_up else y + (height + y1 + y0) / 2
        return cls(axes, cx, cy, low, max_score, y_up, label_gap)

    def _at(self, radius: float) -> RadarGeometry:
        return RadarGeometry(
            self.axes, self.cx, self.cy, radius, self.max_score, self.y_up, self.label_gap
        )


def _per_axis(value: float | Sequence[float], axes: int, name: str) -> list[float]:
    if isinstance(value, (int, float)):
        return [float(value)] * axes
    if len(value) != axes:
        raise ValueError(f"{name}: {len(value)} values for {axes} axes")
    return [float(v) for v in value]
