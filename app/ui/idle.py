"""Auto-lock: ask for a lock after a while without mouse or keyboard, or when the machine or the
desktop session is about to go away from the user.

`IdleLock` watches every input event of the application (an application event filter) and keeps
the moment of the last one; a single timer checks whether the idle time has run out. It also
asks for a lock when:

- Qt reports `Qt.ApplicationSuspended` (mobile-style platforms tell Qt this);
- on Linux, logind announces that this session is being locked (`org.freedesktop.login1.Session`
  `Lock`) or that the machine is going to sleep (`org.freedesktop.login1.Manager`
  `PrepareForSleep(true)`), or the desktop's screen saver becomes active
  (`org.freedesktop.ScreenSaver` / `org.gnome.ScreenSaver` `ActiveChanged(true)`).

Without a D-Bus (a container, another OS) those are simply not watched, silently.

It emits `lock_requested()` once and then stays quiet until `resume()`: the main window locks on
the signal, and calls `resume()` after the next unlock (and `pause()` while it is locked for
another reason).
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

from PySide6.QtCore import SLOT, QCoreApplication, QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication

DEFAULT_MINUTES = 10.0

_ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TouchEnd,
        QEvent.Type.TabletPress,
        QEvent.Type.TabletMove,
        QEvent.Type.InputMethod,
        QEvent.Type.Shortcut,
    }
)

_LOGIN1 = "org.freedesktop.login1"
_LOGIN1_PATH = "/org/freedesktop/login1"
_LOGIN1_MANAGER = "org.freedesktop.login1.Manager"
_LOGIN1_SESSION = "org.freedesktop.login1.Session"
# (service, path, interface) of the screen savers that announce ActiveChanged(bool).
_SCREEN_SAVERS = (
    ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver"),
    ("org.freedesktop.ScreenSaver", "/ScreenSaver", "org.freedesktop.ScreenSaver"),
    ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver"),
)


def logind_session_path(session_id: str) -> str:
    """The object path logind gives a session id (systemd's bus label escaping)."""
    if not session_id:
        return _LOGIN1_PATH + "/session/_"
    label = []
    for index, char in enumerate(session_id):
        if ("a" <= char <= "z" or "A" <= char <= "Z") or (index > 0 and "0" <= char <= "9"):
            label.append(char)
        else:
            label.extend(f"_{byte:02x}" for byte in char.encode("utf-8"))
    return _LOGIN1_PATH + "/session/" + "".join(label)


class IdleLock(QObject):
    """Emits `lock_requested()` after `minutes` without input, on suspend and on session lock."""

    lock_requested = Signal()

    def __init__(
        self,
        minutes: float = DEFAULT_MINUTES,
        *,
        application: QCoreApplication | None = None,
        session_bus: Any = None,
        system_bus: Any = None,
        watch_dbus: bool = True,
        parent: QObject | None = None,
    ) -> None:
        """`session_bus` / `system_bus` are QDBusConnection objects; by default (on Linux) the
        user's session bus and the system bus. `watch_dbus=False` watches neither."""
        super().__init__(parent)
        self._interval_ms = self._to_ms(minutes)
        self._armed = True
        self._last_activity = time.monotonic()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._dbus: list[tuple[Any, tuple[str, str, str, str, str]]] = []

        app = application if application is not None else QCoreApplication.instance()
        self._app = app
        if app is not None:
            app.installEventFilter(self)
            if isinstance(app, QGuiApplication):
                app.applicationStateChanged.connect(self._on_application_state_changed)
        if watch_dbus:
            self._watch_dbus(session_bus, system_bus)
        self._timer.start(self._interval_ms)

    # ------------------------------------------------------------------------------ settings

    @staticmethod
    def _to_ms(minutes: float) -> int:
        if minutes <= 0:
            raise ValueError("the idle time must be positive")
        return max(1, round(minutes * 60_000))

    @property
    def minutes(self) -> float:
        return self._interval_ms / 60_000

    @property
    def interval_ms(self) -> int:
        return self._interval_ms

    def set_minutes(self, minutes: float) -> None:
        """Change the idle time; the time already idle counts towards the new one."""
        self.set_interval_ms(self._to_ms(minutes))

    def set_interval_ms(self, interval_ms: int) -> None:
        if interval_ms <= 0:
            raise ValueError("the idle time must be positive")
        self._interval_ms = int(interval_ms)
        if self._armed:
            self._schedule()

    @property
    def paused(self) -> bool:
        return not self._armed

    @property
    def watched_dbus_signals(self) -> list[str]:
        """'interface.Signal at path' for each D-Bus signal being watched (for diagnostics)."""
        return [f"{iface}.{name} at {path}" for _bus, (_s, path, iface, name, _slot) in self._dbus]

    # -------------------------------------------------------------------------------- control

    def pause(self) -> None:
        """Stop counting and ignore suspend and session locks (e.g. while already locked)."""
        self._armed = False
        self._timer.stop()

    def resume(self) -> None:
        """Start counting afresh (after an unlock)."""
        self._armed = True
        self._last_activity = time.monotonic()
        self._timer.start(self._interval_ms)

    def close(self) -> None:
        """Stop watching: remove the event filter and disconnect from Qt and D-Bus."""
        self.pause()
        if self._app is not None:
            self._app.removeEventFilter(self)
            if isinstance(self._app, QGuiApplication):
                self._app.applicationStateChanged.disconnect(self._on_application_state_changed)
            self._app = None
        for bus, (service, path, interface, name, slot) in self._dbus:
            bus.disconnect(service, path, interface, name, self, SLOT(slot))
        self._dbus.clear()

    # ------------------------------------------------------------------------------- watching

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if self._armed and event.type() in _ACTIVITY:
            self._last_activity = time.monotonic()
        return False

    def _schedule(self) -> None:
        idle_ms = (time.monotonic() - self._last_activity) * 1000.0
        remaining = self._interval_ms - idle_ms
        if remaining <= 1:
            self._request_lock()
        else:
            self._timer.start(max(1, int(remaining + 0.5)))

    def _on_timer_timeout(self) -> None:
        if self._armed:
            self._schedule()

    def _request_lock(self) -> None:
        if not self._armed:
            return
        self.pause()
        self.lock_requested.emit()

    def _on_application_state_changed(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationSuspended:
            self._request_lock()

    @Slot()
    def _on_session_lock(self) -> None:
        self._request_lock()

    @Slot(bool)
    def _on_prepare_for_sleep(self, going_to_sleep: bool) -> None:
        if going_to_sleep:
            self._request_lock()

    @Slot(bool)
    def _on_screen_saver_active_changed(self, active: bool) -> None:
        if active:
            self._request_lock()

    # ---------------------------------------------------------------------------------- D-Bus

    def _watch_dbus(self, session_bus: Any, system_bus: Any) -> None:
        explicit = session_bus is not None or system_bus is not None
        if not explicit and not sys.platform.startswith("linux"):
            return
        try:
            from PySide6.QtDBus import QDBusConnection
        except ImportError:  # a build without QtDBus
            return
        if not explicit:
            session_bus = QDBusConnection.sessionBus()
            system_bus = QDBusConnection.systemBus()
        if system_bus is not None and system_bus.isConnected():
            self._connect(
                system_bus,
                _LOGIN1,
                _LOGIN1_PATH,
                _LOGIN1_MANAGER,
                "PrepareForSleep",
                "_on_prepare_for_sleep(bool)",
            )
            session_path = self._logind_session(system_bus)
            if session_path:
                self._connect(
                    system_bus, _LOGIN1, session_path, _LOGIN1_SESSION, "Lock", "_on_session_lock()"
                )
        if session_bus is not None and session_bus.isConnected():
            for service, path, interface in _SCREEN_SAVERS:
                self._connect(
                    session_bus,
                    service,
                    path,
                    interface,
                    "ActiveChanged",
                    "_on_screen_saver_active_changed(bool)",
                )

    def _connect(
        self, bus: Any, service: str, path: str, interface: str, name: str, slot: str
    ) -> None:
        if bus.connect(service, path, interface, name, self, SLOT(slot)):
            self._dbus.append((bus, (service, path, interface, name, slot)))

    @staticmethod
    def _logind_session(system_bus: Any) -> str:
        """This process's logind session: from XDG_SESSION_ID, else asked of logind."""
        session_id = os.environ.get("XDG_SESSION_ID", "")
        if session_id:
            return logind_session_path(session_id)
        from PySide6.QtDBus import QDBus, QDBusMessage

        # "auto": the session of the caller (logind resolves it from our process).
        call = QDBusMessage.createMethodCall(_LOGIN1, _LOGIN1_PATH, _LOGIN1_MANAGER, "GetSession")
        call.setArguments(["auto"])
        reply = system_bus.call(call, QDBus.CallMode.Block, 1000)
        if reply.type() != QDBusMessage.MessageType.ReplyMessage or not reply.arguments():
            return ""
        path = reply.arguments()[0]
        text = path.path() if hasattr(path, "path") else str(path)
        return text if text.startswith(_LOGIN1_PATH + "/session/") else ""
