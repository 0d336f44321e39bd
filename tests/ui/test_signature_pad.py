"""The signature pad and its dialog: mouse, pen and touch input, the point budget, keys, and
what the dialog returns for a signature on screen, on paper or refused."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import (
    QColor,
    QInputDevice,
    QMouseEvent,
    QPointingDevice,
    QTabletEvent,
)
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.domain.plan import Point
from app.ui.plan import signature_pad
from app.ui.plan.signature_pad import (
    DEFAULT_PRESSURE,
    DIGITAL,
    PAPER,
    REFUSED,
    SignatureDialog,
    SignatureInput,
    SignaturePad,
    is_synthesized_mouse,
)
from app.ui.theme import LIGHT, build_palette

LEFT = Qt.MouseButton.LeftButton
NONE = Qt.KeyboardModifier.NoModifier
TODAY = date(2026, 11, 22)


@pytest.fixture
def pad(qtbot: QtBot) -> SignaturePad:
    widget = SignaturePad()
    qtbot.addWidget(widget)
    # The light palette whatever theme an earlier test left: ink must be dark on white here.
    widget.setPalette(build_palette(LIGHT))
    widget.resize(560, 220)
    widget.show()
    assert QTest.qWaitForWindowExposed(widget)
    return widget


@pytest.fixture
def pen() -> Iterator[QPointingDevice]:
    device = QPointingDevice(
        "Test pen",
        4711,
        QInputDevice.DeviceType.Stylus,
        QPointingDevice.PointerType.Pen,
        QInputDevice.Capability.Position | QInputDevice.Capability.Pressure,
        1,
        2,
    )
    yield device


def drag(widget: QWidget, points: list[tuple[int, int]]) -> None:
    """A left-button drag through `points`, as a mouse makes it (QTest: real mouse events)."""
    first, *rest = points
    QTest.mousePress(widget, LEFT, NONE, QPoint(*first))
    for x, y in rest:
        QTest.mouseMove(widget, QPoint(x, y))
    QTest.mouseRelease(widget, LEFT, NONE, QPoint(*rest[-1] if rest else first))


def tablet(
    widget: QWidget,
    device: QPointingDevice,
    kind: QEvent.Type,
    x: float,
    y: float,
    pressure: float,
    stamp: int,
) -> QTabletEvent:
    buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.TabletRelease else LEFT
    event = QTabletEvent(
        kind,
        device,
        QPointF(x, y),
        QPointF(x, y),
        pressure,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        NONE,
        LEFT,
        buttons,
    )
    event.setTimestamp(stamp)
    QApplication.sendEvent(widget, event)
    return event


def synthesized_mouse(
    widget: QWidget, device: QPointingDevice, kind: QEvent.Type, x: float, y: float
) -> QMouseEvent:
    """The mouse event Qt makes from a pen: the Qt 6 constructor with a source and a device."""
    buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else LEFT
    button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else LEFT
    event = QMouseEvent(
        kind,
        QPointF(x, y),
        QPointF(x, y),
        QPointF(x, y),
        button,
        buttons,
        NONE,
        Qt.MouseEventSource.MouseEventSynthesizedByQt,
        device,
    )
    QApplication.sendEvent(widget, event)
    return event


def mouse_at(widget: QWidget, kind: QEvent.Type, x: float, y: float) -> None:
    """A genuine mouse event at a fractional position (QTest only has whole pixels)."""
    buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else LEFT
    button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else LEFT
    event = QMouseEvent(kind, QPointF(x, y), QPointF(x, y), button, buttons, NONE)
    QApplication.sendEvent(widget, event)


def darkness(colour: QColor) -> int:
    return 255 - round(0.299 * colour.red() + 0.587 * colour.green() + 0.114 * colour.blue())


# ------------------------------------------------------------------------------------ mouse


def test_a_mouse_drag_makes_one_stroke_at_half_pressure_in_time_order(
    qtbot: QtBot, pad: SignaturePad
) -> None:
    assert pad.is_empty()
    with qtbot.waitSignal(pad.strokes_changed):
        drag(pad, [(20, 30), (60, 50), (110, 80), (180, 90), (240, 70)])

    strokes = pad.strokes()
    assert len(strokes) == 1 and not pad.is_empty()
    stroke = strokes[0]
    assert [(x, y) for x, y, _, _ in stroke] == [
        (20.0, 30.0),
        (60.0, 50.0),
        (110.0, 80.0),
        (180.0, 90.0),
        (240.0, 70.0),
    ]
    assert all(p == DEFAULT_PRESSURE == 0.5 for _, _, p, _ in stroke)
    times = [t for *_, t in stroke]
    assert times[0] == 0 and times == sorted(times) and len(set(times)) == len(times)
    assert pad.pad_size() == (560.0, 220.0)

    drag(pad, [(300, 100), (340, 120)])
    second = pad.strokes()[1]
    assert second[0][3] > times[-1], "t runs on over the whole signature"


def test_points_closer_than_the_step_are_skipped(pad: SignaturePad) -> None:
    mouse_at(pad, QEvent.Type.MouseButtonPress, 10.0, 10.0)
    for x in (10.3, 10.6, 10.9, 11.2, 11.5, 11.8, 12.1, 20.04):
        mouse_at(pad, QEvent.Type.MouseMove, x, 10.0)
    mouse_at(pad, QEvent.Type.MouseButtonRelease, 20.04, 10.0)

    xs = [x for x, *_ in pad.strokes()[0]]
    assert xs == [10.0, 10.9, 11.8, 20.0]  # 0.9 apart at least; rounded to 0.1 px


def test_a_right_button_draws_nothing(pad: SignaturePad) -> None:
    QTest.mousePress(pad, Qt.MouseButton.RightButton, NONE, QPoint(20, 20))
    QTest.mouseMove(pad, QPoint(80, 80))
    QTest.mouseRelease(pad, Qt.MouseButton.RightButton, NONE, QPoint(80, 80))
    assert pad.is_empty()


# -------------------------------------------------------------------------------------- pen


def test_a_pen_stroke_keeps_its_pressure_and_the_mouse_copies_are_ignored(
    pad: SignaturePad, pen: QPointingDevice
) -> None:
    tablet(pad, pen, QEvent.Type.TabletPress, 50, 60, 0.2, 1000)
    synthesized_mouse(pad, pen, QEvent.Type.MouseButtonPress, 50, 60)
    tablet(pad, pen, QEvent.Type.TabletMove, 90, 70, 0.55, 1016)
    synthesized_mouse(pad, pen, QEvent.Type.MouseMove, 400, 200)
    tablet(pad, pen, QEvent.Type.TabletMove, 130, 95, 0.8765, 1032)
    synthesized_mouse(pad, pen, QEvent.Type.MouseMove, 450, 10)
    tablet(pad, pen, QEvent.Type.TabletRelease, 130, 95, 0.0, 1040)
    synthesized_mouse(pad, pen, QEvent.Type.MouseButtonRelease, 130, 95)

    assert pad.strokes() == (
        ((50.0, 60.0, 0.2, 0), (90.0, 70.0, 0.55, 16), (130.0, 95.0, 0.88, 32)),
    )


def test_mouse_events_from_a_pen_are_recognised_in_either_qt6_form(
    pad: SignaturePad, pen: QPointingDevice
) -> None:
    """Qt's own copies carry a source flag; a platform's may only name the pen as device."""
    mouse = QPointingDevice.primaryPointingDevice()
    kinds: list[tuple[Qt.MouseEventSource, QPointingDevice, bool]] = [
        (Qt.MouseEventSource.MouseEventNotSynthesized, mouse, False),
        (Qt.MouseEventSource.MouseEventSynthesizedByQt, pen, True),
        (Qt.MouseEventSource.MouseEventSynthesizedBySystem, mouse, True),
        (Qt.MouseEventSource.MouseEventNotSynthesized, pen, True),
    ]
    for source, device, expected in kinds:
        event = QMouseEvent(
            QEvent.Type.MouseButtonPress,
            QPointF(5, 5),
            QPointF(5, 5),
            QPointF(5, 5),
            LEFT,
            LEFT,
            NONE,
            source,
            device,
        )
        assert is_synthesized_mouse(event) is expected, (source, device.type())

    # The platform's form of a copy (no source flag, the pen as device) draws nothing either.
    press = QMouseEvent(
        QEvent.Type.MouseButtonPress, QPointF(9, 9), QPointF(9, 9), LEFT, LEFT, NONE, pen
    )
    QApplication.sendEvent(pad, press)
    QTest.mouseMove(pad, QPoint(90, 90))
    assert pad.is_empty()


def test_a_pen_without_pressure_draws_at_the_middle_width(pad: SignaturePad) -> None:
    device = QPointingDevice(
        "Pen without pressure",
        4712,
        QInputDevice.DeviceType.Stylus,
        QPointingDevice.PointerType.Pen,
        QInputDevice.Capability.Position,
        1,
        1,
    )
    tablet(pad, device, QEvent.Type.TabletPress, 20, 20, 1.0, 5)
    tablet(pad, device, QEvent.Type.TabletMove, 40, 30, 1.0, 9)
    tablet(pad, device, QEvent.Type.TabletRelease, 40, 30, 0.0, 12)
    assert [p for _, _, p, _ in pad.strokes()[0]] == [0.5, 0.5]


def test_the_eraser_end_draws_nothing(pad: SignaturePad) -> None:
    eraser = QPointingDevice(
        "Eraser",
        4713,
        QInputDevice.DeviceType.Stylus,
        QPointingDevice.PointerType.Eraser,
        QInputDevice.Capability.Position | QInputDevice.Capability.Pressure,
        1,
        1,
    )
    event = tablet(pad, eraser, QEvent.Type.TabletPress, 20, 20, 0.7, 5)
    tablet(pad, eraser, QEvent.Type.TabletMove, 60, 60, 0.7, 9)
    tablet(pad, eraser, QEvent.Type.TabletRelease, 60, 60, 0.0, 12)
    assert event.isAccepted() and pad.is_empty()


# ------------------------------------------------------------------------------------ touch


def test_one_finger_draws_and_a_second_one_is_ignored(pad: SignaturePad) -> None:
    screen = QTest.createTouchDevice()
    touch = QTest.touchEvent(pad, screen)
    touch.press(0, QPoint(30, 40), pad).commit()
    touch.move(0, QPoint(80, 60), pad).press(1, QPoint(300, 150), pad).commit()
    touch.move(0, QPoint(130, 90), pad).move(1, QPoint(350, 190), pad).commit()
    touch.release(0, QPoint(130, 90), pad).release(1, QPoint(350, 190), pad).commit()

    assert [(x, y, p) for x, y, p, _ in pad.strokes()[0]] == [
        (30.0, 40.0, 0.5),
        (80.0, 60.0, 0.5),
        (130.0, 90.0, 0.5),
    ]
    assert len(pad.strokes()) == 1


# -------------------------------------------------------------------------------------- keys


def test_backspace_and_delete_wipe_and_ctrl_z_takes_the_last_stroke(
    qtbot: QtBot, pad: SignaturePad
) -> None:
    drag(pad, [(20, 20), (60, 60)])
    drag(pad, [(100, 20), (140, 60)])
    drag(pad, [(200, 20), (240, 60)])
    assert len(pad.strokes()) == 3
    first_two = pad.strokes()[:2]

    with qtbot.waitSignal(pad.strokes_changed):
        QTest.keyClick(pad, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert pad.strokes() == first_two

    QTest.keyClick(pad, Qt.Key.Key_Backspace)
    assert pad.is_empty() and pad.strokes() == ()

    drag(pad, [(20, 20), (60, 60)])
    QTest.keyClick(pad, Qt.Key.Key_Delete)
    assert pad.is_empty()
    assert pad.focusPolicy() == Qt.FocusPolicy.StrongFocus
    assert pad.accessibleName() == "Handtekening" and "Ctrl+Z" in pad.accessibleDescription()


# ------------------------------------------------------------------------- stored signatures


def test_set_strokes_round_trips_and_read_only_ignores_every_input(
    pad: SignaturePad, pen: QPointingDevice
) -> None:
    drag(pad, [(20, 30), (60, 50), (110, 80)])
    drag(pad, [(200, 40), (260, 90)])
    stored, size = pad.strokes(), pad.pad_size()

    shown = SignaturePad()
    shown.resize(280, 110)  # half the size: drawn scaled, the data unchanged
    shown.set_strokes(stored, size)
    assert shown.read_only
    assert shown.strokes() == stored and shown.pad_size() == size

    pad.set_strokes(stored, size)
    assert pad.read_only and pad.strokes() == stored
    drag(pad, [(300, 100), (400, 150)])
    tablet(pad, pen, QEvent.Type.TabletPress, 50, 60, 0.5, 1)
    tablet(pad, pen, QEvent.Type.TabletRelease, 90, 60, 0.5, 9)
    QTest.keyClick(pad, Qt.Key.Key_Backspace)
    QTest.keyClick(pad, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert pad.strokes() == stored

    pad.read_only = False
    drag(pad, [(300, 100), (400, 150)])
    assert len(pad.strokes()) == 3
    assert pad.strokes()[2][0][3] >= stored[-1][-1][3], "t goes on after the stored strokes"
    with pytest.raises(ValueError):
        pad.set_strokes(stored, (0.0, 10.0))
    shown.deleteLater()


def test_a_stored_signature_is_drawn_scaled_into_a_smaller_pad(qtbot: QtBot) -> None:
    shown = SignaturePad()
    qtbot.addWidget(shown)
    shown.setPalette(build_palette(LIGHT))
    shown.resize(280, 110)
    shown.set_strokes([[(60.0, 110.0, 0.5, 0), (500.0, 110.0, 0.5, 90)]], (560.0, 220.0))
    image = shown.grab().toImage()
    assert darkness(image.pixelColor(140, 55)) > 120  # the middle of the half-size line
    assert darkness(image.pixelColor(140, 20)) < 40


# ---------------------------------------------------------------------------------- budget


def test_the_point_budget_stops_the_pad_and_says_so(
    qtbot: QtBot, pad: SignaturePad, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(signature_pad, "MAX_POINTS", 5)
    with qtbot.waitSignal(pad.limit_reached):
        drag(pad, [(10 + 10 * i, 50) for i in range(9)])
    assert pad.point_count() == 5 and pad.is_full()
    assert len(pad.strokes()[0]) == 5
    with qtbot.assertNotEmitted(pad.limit_reached):
        drag(pad, [(10, 150), (80, 150)])
    assert pad.point_count() == 5 and len(pad.strokes()) == 1
    QTest.keyClick(pad, Qt.Key.Key_Delete)
    assert not pad.is_full()


def test_a_full_budget_of_points_fits_the_record() -> None:
    """The worst case the cap allows still fits the record's 100,000 characters of JSON."""
    widest: Point = (1919.9, 1079.9, 0.55, 9_999_999)
    per_point = signature_pad._point_chars(widest)
    assert min(signature_pad.MAX_POINTS * per_point, signature_pad.MAX_JSON_CHARS) < 100_000


# ---------------------------------------------------------------------------------- drawing


def test_the_drawn_stroke_is_dark_ink_on_the_pad(pad: SignaturePad) -> None:
    drag(pad, [(40, 100), (120, 100), (200, 100), (300, 100), (400, 100)])
    pad.clearFocus()
    image = pad.grab().toImage()
    scale = image.width() / pad.width()
    for x in (60, 150, 250, 350):
        assert darkness(image.pixelColor(round(x * scale), round(100 * scale))) > 150, x
    assert darkness(image.pixelColor(round(250 * scale), round(40 * scale))) < 40


def test_an_empty_pad_shows_its_line_and_hint(pad: SignaturePad) -> None:
    pad.clearFocus()
    image = pad.grab().toImage()
    line_y = int(220 * signature_pad.BASELINE)
    assert darkness(image.pixelColor(280, line_y)) > 20  # the signing line
    below = [
        darkness(image.pixelColor(x, y))
        for x in range(24, 110)
        for y in range(line_y + 4, line_y + 24)
    ]
    assert max(below) > 80  # the "Handtekening" hint under it


# ----------------------------------------------------------------------------------- dialog


@pytest.fixture
def dialog(qtbot: QtBot) -> SignatureDialog:
    window = SignatureDialog("Cliënt", "Jan de Vries", allow_refusal=True, today=TODAY)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    assert QTest.qWaitForWindowActive(window)
    return window


def test_the_dialog_names_role_and_signer_and_finishes_only_with_a_signature(
    qtbot: QtBot, dialog: SignatureDialog
) -> None:
    assert dialog.windowTitle() == "Tekenen — Cliënt"
    assert dialog.name_label.text() == "Jan de Vries"
    assert not dialog.done_button.isEnabled() and not dialog.done_action.isEnabled()
    assert dialog.done_button.toolTip() == "Gereed (Ctrl+Return)"
    assert dialog.clear_button.toolTip() == "Wissen (Alt+W)"
    assert dialog.undo_button.toolTip() == "Laatste streek weg (Ctrl+Z)"
    assert dialog.cancel_button.toolTip() == "Annuleren (Esc)"
    assert dialog.pad.hasFocus()

    QTest.keyClick(dialog.pad, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible() and dialog.result_input() is None

    drag(dialog.pad, [(40, 100), (120, 120), (200, 90)])
    drag(dialog.pad, [(260, 60), (300, 140)])
    assert dialog.done_button.isEnabled()
    QTest.keyClick(dialog.pad, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(dialog.pad.strokes()) == 1
    QTest.keyClick(dialog.pad, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(dialog.pad.is_empty)  # a button's key clicks it after a short animation
    assert not dialog.done_button.isEnabled()

    drag(dialog.pad, [(40, 100), (120, 120), (200, 90)])
    strokes, size = dialog.pad.strokes(), dialog.pad.pad_size()
    with qtbot.waitSignal(dialog.accepted):
        QTest.keyClick(dialog.pad, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result_input() == SignatureInput(
        DIGITAL, strokes=strokes, pad_width=size[0], pad_height=size[1]
    )


def test_signed_on_paper_gives_the_date_and_no_strokes(
    qtbot: QtBot, dialog: SignatureDialog
) -> None:
    drag(dialog.pad, [(40, 100), (120, 120)])
    assert dialog.date_edit.displayFormat() == "dd-MM-yyyy"
    assert dialog.date_edit.text() == "22-11-2026"
    QTest.keyClick(dialog.pad, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(dialog.paper_radio.isChecked)
    assert not dialog.pad.isEnabled()
    assert dialog.date_edit.hasFocus() and dialog.done_button.isEnabled()

    dialog.date_edit.setDate(dialog.date_edit.date().addDays(5))  # not after today
    assert dialog.date_edit.text() == "22-11-2026"
    dialog.date_edit.setDate(dialog.date_edit.date().addDays(-3))
    with qtbot.waitSignal(dialog.accepted):
        QTest.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result_input() == SignatureInput(PAPER, paper_date=date(2026, 11, 19))


def test_a_refusal_needs_a_reason(qtbot: QtBot, dialog: SignatureDialog) -> None:
    QTest.keyClick(dialog.pad, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(dialog.refused_radio.isChecked)
    assert dialog.reason_edit.hasFocus()
    assert not dialog.done_button.isEnabled()
    assert dialog.hint_label.text() == "Vul de reden in."
    QTest.keyClicks(dialog.reason_edit, "   ")
    assert not dialog.done_button.isEnabled()
    QTest.keyClicks(dialog.reason_edit, "Wil eerst met zijn dochter overleggen ")
    assert dialog.done_button.isEnabled()
    with qtbot.waitSignal(dialog.accepted):
        QTest.keyClick(dialog.reason_edit, Qt.Key.Key_Return)
    assert dialog.result_input() == SignatureInput(
        REFUSED, reason="Wil eerst met zijn dochter overleggen"
    )


def test_the_caseworker_cannot_refuse(qtbot: QtBot) -> None:
    window = SignatureDialog("Klantmanager", "Sanne Bakker", today=TODAY)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    assert QTest.qWaitForWindowActive(window)
    assert window.windowTitle() == "Tekenen — Klantmanager"
    assert window.refused_radio.isHidden() and window.reason_edit.isHidden()
    assert window.paper_radio.isVisible()
    QTest.keyClick(window.pad, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    QTest.keyClick(window.pad, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(window.paper_radio.isChecked)  # Alt+N did nothing before Alt+P did
    assert window.method() == PAPER


def test_escape_cancels_without_a_result(qtbot: QtBot, dialog: SignatureDialog) -> None:
    drag(dialog.pad, [(40, 100), (120, 120)])
    with qtbot.waitSignal(dialog.rejected):
        QTest.keyClick(dialog.pad, Qt.Key.Key_Escape)
    assert dialog.result_input() is None


def test_the_dialog_fits_a_small_screen(dialog: SignatureDialog) -> None:
    hint = dialog.sizeHint()
    assert hint.width() <= 1366 - 32 and hint.height() <= 768 - 80
    assert dialog.pad.width() >= 540 and dialog.pad.height() >= 200


def test_strokes_keep_the_frame_of_the_first_stroke_when_the_pad_is_resized(
    pad: SignaturePad,
) -> None:
    drag(pad, [(40, 40), (80, 80)])
    pad.resize(280, 110)  # half the size: the pad now shows the frame at half scale
    drag(pad, [(100, 50), (120, 60)])
    assert pad.pad_size() == (560.0, 220.0)
    assert [(x, y) for x, y, _, _ in pad.strokes()[1]] == [(200.0, 100.0), (240.0, 120.0)]
    QTest.keyClick(pad, Qt.Key.Key_Delete)
    assert pad.pad_size() == (280.0, 110.0), "an empty pad takes its size as it is"
