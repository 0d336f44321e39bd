"""Auto-lock (idle time, suspend, desktop session lock over a private D-Bus) and the process
hardening that keeps core dumps from writing the key or the caseload to disk."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtDBus import QDBusConnection, QDBusMessage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from app.ui.idle import DEFAULT_MINUTES, IdleLock, logind_session_path

# The offscreen platform warns about every shown window with a size constraint; nothing to see.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def idle(qapp: QApplication) -> Iterator[IdleLock]:
    lock = IdleLock(application=qapp, watch_dbus=False)
    yield lock
    lock.close()


def test_defaults_to_ten_minutes_and_is_configurable(idle: IdleLock) -> None:
    assert DEFAULT_MINUTES == 10
    assert idle.minutes == 10
    assert idle.interval_ms == 600_000
    idle.set_minutes(2.5)
    assert idle.interval_ms == 150_000
    with pytest.raises(ValueError):
        idle.set_minutes(0)
    assert IdleLock(1, watch_dbus=False).interval_ms == 60_000


def test_inactivity_requests_a_lock_once(qtbot: QtBot, idle: IdleLock) -> None:
    started = time.monotonic()
    with qtbot.waitSignal(idle.lock_requested, timeout=2000):
        idle.set_interval_ms(100)
    assert time.monotonic() - started >= 0.09
    assert idle.paused
    # Locked: no second request until the main window resumes it after the unlock.
    with qtbot.assertNotEmitted(idle.lock_requested, wait=300):
        pass
    with qtbot.waitSignal(idle.lock_requested, timeout=2000):
        idle.resume()
        assert not idle.paused


def test_user_activity_resets_the_count(qtbot: QtBot, idle: IdleLock) -> None:
    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()
    qtbot.waitExposed(field)
    idle.set_interval_ms(300)
    idle.resume()
    last = time.monotonic()
    with qtbot.assertNotEmitted(idle.lock_requested):
        # Keep typing and moving the mouse for well over the idle time.
        deadline = time.monotonic() + 0.9
        while time.monotonic() < deadline:
            QTest.keyClick(field, Qt.Key.Key_A)
            QTest.mouseMove(field, QPoint(5 + int(time.monotonic() * 10) % 20, 5))
            last = time.monotonic()
            qtbot.wait(100)
    assert field.text().startswith("aaaa")
    with qtbot.waitSignal(idle.lock_requested, timeout=2000):
        pass
    assert time.monotonic() - last >= 0.28


def test_pause_stops_counting(qtbot: QtBot, idle: IdleLock, qapp: QApplication) -> None:
    idle.set_interval_ms(100)
    idle.pause()
    with qtbot.assertNotEmitted(idle.lock_requested, wait=400):
        qapp.applicationStateChanged.emit(Qt.ApplicationState.ApplicationSuspended)


def test_application_suspended_requests_a_lock(
    qtbot: QtBot, idle: IdleLock, qapp: QApplication
) -> None:
    with qtbot.assertNotEmitted(idle.lock_requested, wait=50):
        qapp.applicationStateChanged.emit(Qt.ApplicationState.ApplicationInactive)
    with qtbot.waitSignal(idle.lock_requested, timeout=500):
        qapp.applicationStateChanged.emit(Qt.ApplicationState.ApplicationSuspended)


def test_close_removes_the_watching(qtbot: QtBot, qapp: QApplication) -> None:
    lock = IdleLock(application=qapp, watch_dbus=False)
    lock.close()
    with qtbot.assertNotEmitted(lock.lock_requested, wait=50):
        qapp.applicationStateChanged.emit(Qt.ApplicationState.ApplicationSuspended)


def test_without_a_bus_nothing_is_watched_and_nothing_warns(
    qtbot: QtBot, qapp: QApplication
) -> None:
    nowhere = QDBusConnection.connectToBus("unix:path=/nonexistent/veldwerk-bus", "veldwerk-none")
    try:
        assert not nowhere.isConnected()
        lock = IdleLock(application=qapp, session_bus=nowhere, system_bus=nowhere)
        assert lock.watched_dbus_signals == []
        with qtbot.waitSignal(lock.lock_requested, timeout=2000):
            lock.set_interval_ms(50)
        lock.close()
        # The default buses (none reachable in a container; the real ones on a desktop).
        default = IdleLock(application=qapp)
        default.close()
    finally:
        QDBusConnection.disconnectFromBus("veldwerk-none")


def test_logind_session_paths() -> None:
    assert logind_session_path("c7") == "/org/freedesktop/login1/session/c7"
    assert logind_session_path("2") == "/org/freedesktop/login1/session/_32"
    assert logind_session_path("12") == "/org/freedesktop/login1/session/_312"
    assert logind_session_path("a-b") == "/org/freedesktop/login1/session/a_2db"


@pytest.fixture
def private_bus() -> Iterator[str]:
    """A D-Bus daemon of our own standing in for both the session bus and the system bus."""
    daemon = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert daemon.stdout is not None
        address = daemon.stdout.readline().strip()
        assert address.startswith("unix:"), address
        yield address
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)


def _signal(bus: QDBusConnection, path: str, interface: str, name: str, *args: object) -> None:
    message = QDBusMessage.createSignal(path, interface, name)
    if args:
        message.setArguments(list(args))
    assert bus.send(message)


def test_session_lock_sleep_and_screen_saver_request_a_lock(
    qtbot: QtBot, qapp: QApplication, private_bus: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_SESSION_ID", "c7")
    listen = QDBusConnection.connectToBus(private_bus, "veldwerk-listen")
    emit = QDBusConnection.connectToBus(private_bus, "veldwerk-emit")
    lock = None
    try:
        assert listen.isConnected() and emit.isConnected()
        for service in ("org.freedesktop.login1", "org.freedesktop.ScreenSaver"):
            assert emit.registerService(service)
        lock = IdleLock(application=qapp, session_bus=listen, system_bus=listen)
        watched = lock.watched_dbus_signals
        session = "/org/freedesktop/login1/session/c7"
        assert f"org.freedesktop.login1.Session.Lock at {session}" in watched
        assert (
            "org.freedesktop.login1.Manager.PrepareForSleep at /org/freedesktop/login1" in watched
        )
        saver = "org.freedesktop.ScreenSaver.ActiveChanged at /org/freedesktop/ScreenSaver"
        assert saver in watched

        with qtbot.waitSignal(lock.lock_requested, timeout=3000):
            _signal(emit, session, "org.freedesktop.login1.Session", "Lock")
        lock.resume()
        # Another session's lock, waking up, and the screen saver going away: no lock.
        with qtbot.assertNotEmitted(lock.lock_requested, wait=300):
            _signal(
                emit, "/org/freedesktop/login1/session/c8", "org.freedesktop.login1.Session", "Lock"
            )
            _signal(
                emit,
                "/org/freedesktop/login1",
                "org.freedesktop.login1.Manager",
                "PrepareForSleep",
                False,
            )
            _signal(
                emit,
                "/org/freedesktop/ScreenSaver",
                "org.freedesktop.ScreenSaver",
                "ActiveChanged",
                False,
            )
        with qtbot.waitSignal(lock.lock_requested, timeout=3000):
            _signal(
                emit,
                "/org/freedesktop/login1",
                "org.freedesktop.login1.Manager",
                "PrepareForSleep",
                True,
            )
        lock.resume()
        with qtbot.waitSignal(lock.lock_requested, timeout=3000):
            _signal(
                emit,
                "/org/freedesktop/ScreenSaver",
                "org.freedesktop.ScreenSaver",
                "ActiveChanged",
                True,
            )
        lock.close()
        assert lock.watched_dbus_signals == []
        lock.resume()
        with qtbot.assertNotEmitted(lock.lock_requested, wait=300):
            _signal(emit, session, "org.freedesktop.login1.Session", "Lock")
        lock.pause()
    finally:
        if lock is not None:
            lock.close()
        QDBusConnection.disconnectFromBus("veldwerk-listen")
        QDBusConnection.disconnectFromBus("veldwerk-emit")


# ---------------------------------------------------------------------------------- hardening

_CHILD = """
import ctypes, resource, sys
soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))  # as permissive as this process may be
before = resource.getrlimit(resource.RLIMIT_CORE)
libc = ctypes.CDLL(None)
dumpable_before = libc.prctl(3, 0, 0, 0, 0)
from app.ui.hardening import disable_core_dumps
ok = disable_core_dumps()
print(before[0], dumpable_before, ok, *resource.getrlimit(resource.RLIMIT_CORE),
      libc.prctl(3, 0, 0, 0, 0))
"""


def test_disable_core_dumps_in_a_subprocess() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    allowed_before, dumpable_before, ok, soft, hard, dumpable = done.stdout.split()
    # Here the child could write cores of any size (-1 is unlimited) and was dumpable ...
    assert allowed_before == "-1"
    assert dumpable_before == "1"
    # ... and after the call it cannot, nor raise the limit again without privileges.
    assert ok == "True"
    assert (soft, hard) == ("0", "0")
    assert dumpable == "0"
