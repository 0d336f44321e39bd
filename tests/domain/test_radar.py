"""The radar chart's geometry: one set of rules for the screen (y down) and a PDF page (y up)."""

from __future__ import annotations

import math
from itertools import combinations, pairwise

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from app.domain.radar import Box, HAlign, Point, RadarGeometry

TOLERANCE = 1e-6


def chart(axes: int = 4, *, y_up: bool = False, radius: float = 100.0) -> RadarGeometry:
    return RadarGeometry(axes, cx=200.0, cy=150.0, radius=radius, y_up=y_up)


def close(a: Point, b: Point) -> bool:
    return math.isclose(a[0], b[0], abs_tol=TOLERANCE) and math.isclose(
        a[1], b[1], abs_tol=TOLERANCE
    )


def distance(a: Point, b: Point) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


def paper(p: Point, geometry: RadarGeometry) -> Point:
    """A point relative to the centre with y pointing up, as it looks on paper."""
    dy = p[1] - geometry.cy
    return p[0] - geometry.cx, dy if geometry.y_up else -dy


# --- axes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("y_up", [False, True], ids=["screen", "pdf"])
def test_axis_zero_points_straight_up(y_up: bool) -> None:
    g = chart(7, y_up=y_up)
    top = (200.0, 50.0) if not y_up else (200.0, 250.0)
    assert g.angle(0) == 0
    assert close(g.point(0, 5), top)
    assert close(g.spoke(0)[1], top)


@pytest.mark.parametrize("y_up", [False, True], ids=["screen", "pdf"])
def test_four_axes_go_up_right_down_left(y_up: bool) -> None:
    g = chart(4, y_up=y_up)
    down = 1 if not y_up else -1
    assert close(g.point(1, 5), (300.0, 150.0))
    assert close(g.point(2, 5), (200.0, 150.0 + down * 100))
    assert close(g.point(3, 5), (100.0, 150.0))


@pytest.mark.parametrize("y_up", [False, True], ids=["screen", "pdf"])
@pytest.mark.parametrize("axes", [3, 5, 8, 13])
def test_axes_follow_each_other_clockwise_on_paper(axes: int, y_up: bool) -> None:
    g = chart(axes, y_up=y_up)
    rim = [paper(p, g) for p in g.ring(5)]
    for a, b in pairwise([*rim, rim[0]]):
        # Clockwise seen from above with y up: each step turns right (negative cross product).
        assert a[0] * b[1] - a[1] * b[0] < 0
    assert g.angle(axes) == g.angle(0)


@pytest.mark.parametrize("y_up", [False, True], ids=["screen", "pdf"])
def test_values_run_from_the_centre_to_the_rim(y_up: bool) -> None:
    g = chart(13, y_up=y_up)
    centre = (g.cx, g.cy)
    for i in range(13):
        assert close(g.point(i, 0), centre)
        assert math.isclose(distance(g.point(i, 5), centre), g.radius)
        assert g.spoke(i) == (centre, g.point(i, 5))
        for level in range(1, 6):
            assert math.isclose(distance(g.ring(level)[i], centre), g.radius * level / 5)


def test_max_score_sets_the_rim() -> None:
    g = RadarGeometry(6, 0.0, 0.0, 60.0, max_score=6)
    assert math.isclose(distance(g.point(2, 6), (0.0, 0.0)), 60.0)
    assert math.isclose(distance(g.point(2, 3), (0.0, 0.0)), 30.0)


def test_impossible_charts_are_refused() -> None:
    for args in [(0, 0.0, 0.0, 10.0), (3, 0.0, 0.0, -1.0)]:
        with pytest.raises(ValueError):
            RadarGeometry(*args)
    with pytest.raises(ValueError):
        RadarGeometry(3, 0.0, 0.0, 10.0, max_score=0)


# --- scores -------------------------------------------------------------------------------------


def test_polygon_has_no_point_for_an_unscored_axis() -> None:
    g = chart(4)
    assert g.polygon([5, None, 0, 2]) == [g.point(0, 5), None, g.point(2, 0), g.point(3, 2)]
    with pytest.raises(ValueError):
        g.polygon([1, 2, 3])


def test_every_axis_scored_is_one_closed_shape() -> None:
    g = chart(4)
    scores = [1, 2, 3, 4]
    points = [g.point(i, s) for i, s in enumerate(scores)]
    assert g.outline(scores) == [[*points, points[0]]]
    assert g.fill(scores) == [points]


def test_gaps_break_the_outline_and_the_fill_never_crosses_them() -> None:
    g = chart(6)
    scores = [4, 5, None, 3, None, 2]
    p = [None if s is None else g.point(i, s) for i, s in enumerate(scores)]
    # The run 5, 0, 1 wraps past the last axis and stays one line; axis 3 alone is only a dot.
    assert g.outline(scores) == [[p[5], p[0], p[1]]]
    assert g.fill(scores) == [[(g.cx, g.cy), p[5], p[0], p[1]]]
    assert g.outline([None] * 6) == [] and g.fill([None] * 6) == []
    assert g.outline([3, None, 3, None, 3, None]) == []


# --- labels -------------------------------------------------------------------------------------


@pytest.mark.parametrize("y_up", [False, True], ids=["screen", "pdf"])
def test_labels_grow_away_from_the_chart(y_up: bool) -> None:
    g = chart(4, y_up=y_up)
    aligns = [g.label_anchor(i)[2] for i in range(4)]
    assert aligns == [HAlign.CENTER, HAlign.LEFT, HAlign.CENTER, HAlign.RIGHT]
    x, y, _ = g.label_anchor(1, 10)
    assert close((x, y), (310.0, 150.0))
    right = g.label_box(1, 80, 20, 10)
    assert right.x0 == x and right.width == 80 and math.isclose(right.y0 + 10, 150.0)
    left = g.label_box(3, 80, 20, 10)
    assert math.isclose(left.x1, 90.0) and left.width == 80
    top, bottom = g.label_box(0, 80, 20), g.label_box(2, 80, 20)
    anchor_top, anchor_bottom = g.label_anchor(0)[1], g.label_anchor(2)[1]
    if not y_up:  # above the chart means smaller y on screen
        assert math.isclose(top.y1, anchor_top) and math.isclose(bottom.y0, anchor_bottom)
    else:
        assert math.isclose(top.y0, anchor_top) and math.isclose(bottom.y1, anchor_bottom)
    assert math.isclose(top.x0, 160.0)


def test_labels_of_thirteen_axes_sit_left_and_right_by_side() -> None:
    g = chart(13)
    aligns = [g.label_anchor(i)[2] for i in range(13)]
    assert aligns == [HAlign.CENTER] + [HAlign.LEFT] * 6 + [HAlign.RIGHT] * 6


@pytest.mark.parametrize("y_up", [False, True], ids=["screen", "pdf"])
def test_crowded_labels_move_outwards_until_clear(y_up: bool) -> None:
    g = chart(13, y_up=y_up, radius=60)
    plain = [g.label_box(i, 90, 32) for i in range(13)]
    assert any(a.overlaps(b) for a, b in combinations(plain, 2))
    boxes = g.label_boxes(90, 32)
    assert not any(a.overlaps(b) for a, b in combinations(boxes, 2))
    for before, after in zip(plain, boxes, strict=True):
        assert (after.x0, after.x1) == (before.x0, before.x1)
        assert math.isclose(after.height, before.height)
    # The axes pointing sideways keep their place.
    assert boxes[3] == plain[3] and boxes[10] == plain[10]


def test_box_overlap_means_more_than_an_edge() -> None:
    assert Box(0, 0, 10, 10).overlaps(Box(9, 9, 20, 20))
    assert not Box(0, 0, 10, 10).overlaps(Box(10, 0, 20, 10))
    assert Box(0, 0, 10, 10).moved(5, -5) == Box(5, -5, 15, 5)


# --- fitting a box ------------------------------------------------------------------------------


def inside(box: Box, x: float, y: float, width: float, height: float) -> bool:
    return (
        box.x0 >= x - TOLERANCE
        and box.y0 >= y - TOLERANCE
        and box.x1 <= x + width + TOLERANCE
        and box.y1 <= y + height + TOLERANCE
    )


def rim_points(g: RadarGeometry, per_edge: int = 24) -> list[Point]:
    rim = g.ring(g.max_score)
    return [
        (a[0] + (b[0] - a[0]) * t / per_edge, a[1] + (b[1] - a[1]) * t / per_edge)
        for a, b in pairwise([*rim, rim[0]])
        for t in range(per_edge)
    ]


def test_without_labels_the_chart_fills_the_shorter_side() -> None:
    g = RadarGeometry.fit(4, 400, 300, 0, 0, label_gap=0)
    assert math.isclose(g.radius, 150, abs_tol=1e-6)
    assert math.isclose(g.cx, 200) and math.isclose(g.cy, 150)


def test_labels_too_big_for_the_box_leave_a_point() -> None:
    g = RadarGeometry.fit(6, 100, 100, 80, 40)
    assert g.radius == 0


def test_lopsided_labels_move_the_centre() -> None:
    # Five axes: one label on top, two low ones; the chart sits where the space is.
    tall = RadarGeometry.fit(5, 400, 400, 40, 60)
    assert tall.cy != 200
    g = RadarGeometry.fit(4, 400, 300, [10, 120, 10, 10], 20)
    assert g.cx < 200  # the wide label is on the right


@settings(max_examples=200, deadline=None)
@given(
    axes=st.integers(3, 16),
    width=st.integers(200, 1000),
    height=st.integers(200, 1000),
    label_share=st.floats(0.0, 0.25),
    label_height=st.floats(8.0, 40.0),
    y_up=st.booleans(),
    origin=st.tuples(st.floats(-500, 500), st.floats(-500, 500)),
)
def test_fit_keeps_the_chart_and_its_labels_inside_the_box(
    axes: int,
    width: int,
    height: int,
    label_share: float,
    label_height: float,
    y_up: bool,
    origin: tuple[float, float],
) -> None:
    x, y = origin
    label_width = width * label_share
    g = RadarGeometry.fit(axes, width, height, label_width, label_height, x=x, y=y, y_up=y_up)

    assert g.y_up == y_up
    # Labels about as tall as the box shared by half the axes leave no room; below that, some.
    assert g.radius > 0 or label_height * axes > height
    assume(g.radius > 0)
    boxes = g.label_boxes(label_width, label_height)
    for box in boxes:
        assert inside(box, x, y, width, height), (box, g)
    for px, py in g.ring(g.max_score):
        assert inside(Box(px, py, px, py), x, y, width, height)
    # Labels cover neither each other nor the rim.
    assert not any(a.overlaps(b) for a, b in combinations(boxes, 2))
    for px, py in rim_points(g):
        assert not any(b.overlaps(Box(px - 0.5, py - 0.5, px + 0.5, py + 0.5)) for b in boxes)

    # The largest such chart: the drawing touches the box's sides in one direction, or a chart
    # a hair larger does not fit (where crowded labels are moved apart, the drawing's reach
    # jumps by a label's height as the radius grows, so the largest chart may not touch).
    def spans(chart: RadarGeometry) -> tuple[float, float]:
        chart_boxes = chart.label_boxes(label_width, label_height)
        ring = chart.ring(chart.max_score)
        xs = [v for b in chart_boxes for v in (b.x0, b.x1)] + [p[0] for p in ring]
        ys = [v for b in chart_boxes for v in (b.y0, b.y1)] + [p[1] for p in ring]
        return max(xs) - min(xs), max(ys) - min(ys)

    span_x, span_y = spans(g)
    if not (span_x > width - 1 or span_y > height - 1):
        larger = RadarGeometry(axes, g.cx, g.cy, g.radius + 0.01, g.max_score, g.y_up, g.label_gap)
        larger_x, larger_y = spans(larger)
        assert larger_x > width or larger_y > height, (span_x, span_y, larger_x, larger_y)
