"""The one change broadcast of a running client.

Made once in `bootstrap.py` and handed down. An operation that wrote emits what it changed after
its result is delivered, and so does every sync round; a screen connects once and redraws only
when the `Changes` concern what it shows. No screen refreshes another by hand.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from app.domain.changes import Changes

log = logging.getLogger(__name__)


class ChangeBus(QObject):
    changed = Signal(object)  # Changes

    def publish(self, changes: Changes) -> None:
        if changes:
            log.debug("changes published: %s", sorted(changes.entities))
            self.changed.emit(changes)
