"""The intake's charts: the self-sufficiency radar and the trend lines, drawn offscreen."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from itertools import combinations

import pytest
from PySide6.QtCore import QPointF, QSize
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.domain.radar import RadarGeometry
from app.domain.reference import self_sufficiency_domains
from app.ui import theme
from app.ui.intake.radar_chart import FILL_ALPHA, RadarChart, accent
from app.ui.intake.trend_chart import TrendChart

LABELS = [d.nl for d in self_sufficiency_domains()]
CURRENT: list[int | None] = [5, 5, 4, None, 2, 5, 5, 4, 3, 2, 1, 3, 4]
PREVIOUS: list[int | None] = [3, 3, 3, 3, 4, None, 4, 4, 2, 2, 2, 3, 2]


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    """The shared application, its theme put back as it was afterwards."""
    palette = QPalette(qapp.palette())
    font = qapp.font()
    sheet = qapp.styleSheet()
    dark = qapp.property("veldwerk_dark")
    yield qapp
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)
    qapp.setFont(font)
    qapp.setProperty("veldwerk_dark", dark)
    if qapp.property("veldwerk_theme_follows_system") is not None:
        qapp.setProperty("veldwerk_theme_follows_system", False)


def radar(qtbot: QtBot, width: int = 380, height: int = 340) -> RadarChart:
    chart = RadarChart()
    qtbot.addWidget(chart)
    chart.resize(width, height)
    chart.set_data(
        labels=LABELS,
        current=CURRENT,
        previous=PREVIOUS,
        current_caption="Nu (02-12-2026)",
        previous_caption="Vorige intake (14-05-2026)",
    )
    return chart


def geometry_of(chart: RadarChart) -> RadarGeometry:
    geometry = chart.chart_geometry()
    assert geometry is not None
    return geometry


def between(a: tuple[float, float], b: tuple[float, float], t: float = 0.5) -> QPointF:
    return QPointF(a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def pixel(image: QImage, p: QPointF, scale: float = 1.0) -> QColor:
    return image.pixelColor(round(p.x() * scale), round(p.y() * scale))


def rgb(colour: QColor) -> tuple[int, int, int]:
    return colour.red(), colour.green(), colour.blue()


def blend(under: QColor, over: QColor, alpha: int) -> QColor:
    share = alpha / 255
    return QColor(
        *(round(a * (1 - share) + b * share) for a, b in zip(rgb(under), rgb(over), strict=True))
    )


def close(a: QColor, b: QColor, tolerance: int = 10) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(rgb(a), rgb(b), strict=True))


def fill_sample(chart: RadarChart) -> QPointF:
    """A point inside the current scores' fill and clear of every line: halfway out, between
    axes 5 and 6 (both scored 5, no previous line there)."""
    g = geometry_of(chart)
    return between(g.point(5, 2.5), g.point(6, 2.5))


# --- the radar chart ----------------------------------------------------------------------------


def test_current_scores_are_filled_in_the_accent_colour(qtbot: QtBot) -> None:
    chart = radar(qtbot)
    image = chart.grab().toImage()
    assert image.size() == QSize(380, 340)
    background = image.pixelColor(1, 1)
    expected = blend(background, accent(theme.colours()), FILL_ALPHA)

    sample = pixel(image, fill_sample(chart))

    assert close(sample, expected), (sample.name(), expected.name())
    assert not close(sample, background, 20)


def test_previous_intake_is_a_grey_line_where_the_current_has_none(qtbot: QtBot) -> None:
    chart = radar(qtbot)
    g = geometry_of(chart)
    image = chart.grab().toImage()
    # Axis 3 has no current score; the previous runs from 3 on axis 3 to 4 on axis 4, between
    # the rings. Sampled along it, since the line is dashed.
    samples = [pixel(image, between(g.point(3, 3), g.point(4, 4), t / 20)) for t in range(4, 17)]
    ring_grey = QColor(theme.colours().border)
    assert min(s.lightness() for s in samples) < ring_grey.lightness() - 40
    assert all(abs(s.red() - s.blue()) < 30 for s in samples)  # grey, not the accent


def test_screen_readers_get_every_score(qtbot: QtBot) -> None:
    chart = radar(qtbot)
    assert chart.accessibleName() == "Zelfredzaamheid, radardiagram"
    description = chart.accessibleDescription()
    assert description.startswith("Financiën: 5 (vorige intake: 3); Werk & opleiding: 5")
    for label, now, before in zip(LABELS, CURRENT, PREVIOUS, strict=True):
        score = "geen score" if now is None else str(now)
        expected = f"{label}: {score}" + (f" (vorige intake: {before})" if before else "")
        assert expected in description.split("; ")

    chart.set_data(labels=LABELS[:3], current=[1, None, 4])
    assert chart.accessibleDescription() == (
        "Financiën: 1; Werk & opleiding: geen score; Tijdsbesteding: 4"
    )


def test_no_scores_show_the_grid_and_say_so(qtbot: QtBot) -> None:
    chart = RadarChart()
    qtbot.addWidget(chart)
    chart.resize(380, 340)
    assert chart.chart_geometry() is None
    chart.grab()  # without labels: only the sentence

    chart.set_data(labels=LABELS, current=[None] * len(LABELS))
    image = chart.grab().toImage()

    assert not chart.has_scores()
    assert chart.accessibleDescription() == "Nog geen scores ingevuld"
    g = geometry_of(chart)
    words = [
        image.pixelColor(round(g.cx) + dx, round(g.cy) + dy).lightness()
        for dx in range(-40, 41, 2)
        for dy in range(-8, 9)
    ]
    assert min(words) < 160  # the sentence's text, in the middle of the grid
    rim = between(g.point(0, 5), g.point(1, 5))
    assert pixel(image, rim) != image.pixelColor(1, 1)


def test_thirteen_labels_stay_whole_and_apart_at_360_by_320(qtbot: QtBot) -> None:
    chart = radar(qtbot, 360, 320)
    labels = chart.drawn_labels()
    bounds = chart.rect().toRectF()

    assert [text.replace("…", "") for text, _ in labels] == [text for text, _ in labels], (
        "a label was cut"
    )
    assert [text for text, _ in labels] == LABELS
    for (_, a), (_, b) in combinations(labels, 2):
        assert not a.intersects(b), (a, b)
    for _, box in labels:
        assert bounds.contains(box), box
    assert geometry_of(chart).radius >= 60


def test_draws_at_150_percent(qtbot: QtBot) -> None:
    chart = radar(qtbot)
    image = QImage(QSize(570, 510), QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(1.5)
    image.fill(chart.palette().color(QPalette.ColorRole.Window))

    chart.render(image)

    background = image.pixelColor(1, 1)
    expected = blend(background, accent(theme.colours()), FILL_ALPHA)
    sample = pixel(image, fill_sample(chart), 1.5)
    assert close(sample, expected) and not close(sample, background, 20)


def test_follows_the_dark_theme(app: QApplication, qtbot: QtBot) -> None:
    chart = radar(qtbot)
    theme.apply_theme(app, dark=True)

    image = chart.grab().toImage()

    background = image.pixelColor(1, 1)
    assert close(background, QColor(theme.DARK.window))
    expected = blend(background, QColor(theme.DARK.link), FILL_ALPHA)
    sample = pixel(image, fill_sample(chart))
    assert close(sample, expected) and not close(sample, background, 20)


def test_scores_must_match_the_labels(qtbot: QtBot) -> None:
    chart = RadarChart()
    qtbot.addWidget(chart)
    with pytest.raises(ValueError):
        chart.set_data(labels=["a", "b", "c"], current=[1, 2])
    with pytest.raises(ValueError):
        chart.set_data(labels=["a", "b", "c"], current=[1, 2, 3], previous=[1])
    with pytest.raises(ValueError):
        chart.set_data(labels=["a", "b", "c"], current=[1, 2, 6])
    assert chart.sizeHint() == QSize(380, 340)
    assert chart.minimumSizeHint() == QSize(260, 240)


# --- the trend chart ----------------------------------------------------------------------------


LADDER = [
    (date(2026, 12, 2), 4.0),
    (date(2025, 3, 1), 2.0),
    (date(2025, 9, 14), 3.0),
    (date(2026, 5, 14), 3.0),
]


def trend(qtbot: QtBot, points: list[tuple[date, float]]) -> TrendChart:
    chart = TrendChart()
    qtbot.addWidget(chart)
    chart.resize(chart.sizeHint())
    chart.set_series(title="Trede op de participatieladder", points=points, y_min=1, y_max=6)
    return chart


def test_trend_without_points_says_so(qtbot: QtBot) -> None:
    chart = trend(qtbot, [])
    chart.grab()
    assert chart.accessibleName() == "Trede op de participatieladder, lijndiagram"
    assert chart.accessibleDescription() == "Nog geen eerdere intakes"
    assert chart.point_positions() == []


def test_trend_with_one_point_is_a_dot_in_the_middle(qtbot: QtBot) -> None:
    chart = trend(qtbot, [(date(2026, 12, 2), 3.0)])
    image = chart.grab().toImage()
    (dot,) = chart.point_positions()
    assert abs(dot.x() - chart.width() / 2) < chart.width() * 0.1
    assert close(pixel(image, dot), accent(theme.colours()), 30)
    assert chart.accessibleDescription() == "02-12-2026: 3"


def test_trend_places_points_by_date_and_describes_them(qtbot: QtBot) -> None:
    chart = trend(qtbot, LADDER)
    image = chart.grab().toImage()
    positions = chart.point_positions()

    assert chart.accessibleDescription() == (
        "01-03-2025: 2; 14-09-2025: 3; 14-05-2026: 3; 02-12-2026: 4"
    )
    days = [(d - date(2025, 3, 1)).days for d, _ in sorted(LADDER)]
    span = positions[-1].x() - positions[0].x()
    for p, day in zip(positions, days, strict=True):
        assert abs(p.x() - positions[0].x() - span * day / days[-1]) < 0.5
        assert close(pixel(image, p), accent(theme.colours()), 30)
    assert positions[0].y() > positions[1].y() == positions[2].y() > positions[3].y()


def test_trend_draws_at_150_percent_and_rejects_an_empty_range(qtbot: QtBot) -> None:
    chart = trend(qtbot, LADDER)
    chart.set_series(
        title="Gemiddelde zelfredzaamheid",
        points=[(date(2026, 5, 14), 2.5), (date(2026, 12, 2), 3.25)],
        y_min=1,
        y_max=5,
        y_labels={1: "1", 5: "5 – volledig zelfredzaam"},
    )
    image = QImage(QSize(480, 240), QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(1.5)
    chart.render(image)
    assert chart.sizeHint() == QSize(320, 160)
    with pytest.raises(ValueError):
        chart.set_series(title="x", points=[], y_min=3, y_max=3)
