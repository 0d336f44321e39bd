"""The one change broadcast of a running client.

Made once in `bootstrap.py` and handed down. An operation that wrote emits what it changed after
its result is delivered, and so does every sync round; a screen connects once and redraws only
when the `Changes` concern what it shows. No screen refreshes another by hand.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QWidget

from app.domain.changes import Changes

log = logging.getLogger(__name__)


class ChangeBus(QObject):
    changed = Signal(object)  # Changes

    def publish(self, changes: Changes) -> None:
        if changes:
            log.debug("changes published: %s", sorted(changes.entities))
            self.changed.emit(changes)


class RedrawOnChange(QObject):
    """Keeps one screen up to date from the bus: when published changes touch one of its
    `topics`, it redraws at once if it is on screen, else the next time it is shown (a hidden
    screen reads nothing it may never show)."""

    def __init__(
        self,
        screen: QWidget,
        bus: ChangeBus,
        *,
        topics: Iterable[str],
        redraw: Callable[[], None],
    ) -> None:
        super().__init__(screen)
        self._screen = screen
        self._topics = tuple(topics)
        self._redraw = redraw
        self._stale = False
        bus.changed.connect(self._on_bus_changed)
        screen.installEventFilter(self)

    @property
    def stale(self) -> bool:
        return self._stale

    def mark_fresh(self) -> None:
        """The screen has just read what it shows (call from its refresh)."""
        self._stale = False

    def _on_bus_changed(self, changes: Changes) -> None:
        if not changes.touches(*self._topics):
            return
        if self._screen.isVisible():
            self._redraw()
        else:
            self._stale = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self._screen and event.type() == QEvent.Type.Show and self._stale:
            self._stale = False
            self._redraw()
        return False
