"""The composition root of the desktop client: vault → store → services → sync → UI, with the
worker lanes and the one change bus the screens share.

Everything the window needs is made here and handed down; no module keeps a global window, store
or session. `run()` is what `veldwerk` (no subcommand) and `veldwerk demo` start.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from app.demo.server import EmbeddedServer
from app.ui.hardening import disable_core_dumps
from app.ui.i18n import install_translators
from app.ui.main_window import MainWindow
from app.ui.operations.bus import ChangeBus
from app.ui.tasks import Lanes
from app.ui.theme import apply_theme

ORGANISATION = "Veldwerk"
APPLICATION = "Veldwerk"


def settings() -> QSettings:
    """The window's own settings (language, idle minutes, column layout): nothing personal."""
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION
    )


def make_application(argv: Sequence[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(list(argv or sys.argv[:1]))
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APPLICATION)
    return app


def run(
    argv: Sequence[str] | None = None,
    *,
    home: Path | None = None,
    embedded: EmbeddedServer | None = None,
) -> int:
    """Start the desktop client and return its exit code. An embedded (demo) server is stopped
    when the window closes."""
    disable_core_dumps()  # before any key or dossier is in memory
    app = make_application(argv)
    config = settings()
    language = config.value("ui/language")
    install_translators(app, str(language) if language else None)
    dark = config.value("ui/dark")
    apply_theme(app, dark=None if dark is None else str(dark).lower() == "true")
    lanes = Lanes()
    # The one change broadcast: every write and sync round is announced here, every screen
    # listens here.
    bus = ChangeBus()
    window = MainWindow(lanes, home=home, settings=config, bus=bus)
    window.show()
    _quit_on_signals(app, window)
    try:
        return app.exec()
    finally:
        lanes.stop()
        if embedded is not None:
            embedded.stop()


def _quit_on_signals(app: QApplication, window: MainWindow) -> None:
    """Ctrl+C or a TERM closes the window the normal way (typed work saved, store closed, an
    embedded server stopped). Python sees signals only when it runs, so a timer lets it."""

    def close(_signum: int, _frame: object) -> None:
        window.close()
        app.quit()

    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, close)
    heartbeat = QTimer(app)
    heartbeat.timeout.connect(lambda: None)
    heartbeat.start(250)


def main() -> int:
    home = os.environ.get("VELDWERK_HOME")
    return run(home=Path(home) if home else None)
