"""Sync verbs: how this device stands, a sync round, and whether the server is there.

    sync.sync_now(parent=self, session=s).progress(self._on_progress).success(self._on_done).run()

A round publishes what it changed (the report's record kinds and clients; after a reset any
client) on the change bus, and also after a failure or a cancel: part of it may have been done
(pushed entries answered, pulled pages applied), so the screens read again. A device the server
revoked publishes nothing: its store is closed and its profile gone.

A round reports `HEARTBEAT` as its progress phase for each answer from the server; a screen that
heard nothing for `NO_ANSWER_AFTER_S` says the server does not answer (`ServerState.NO_ANSWER`)
rather than showing "connecting" for minutes.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtWidgets import QWidget

from app.domain.changes import CONFLICT, JOURNAL, SYNC, Changes
from app.domain.schema import FIELDS
from app.services import sync as service
from app.services.sync import DeviceRevoked, SyncReport, SyncStatus
from app.ui.operations.op import Op, QueryOp, Task
from app.ui.session import Session

__all__ = [
    "HEARTBEAT",
    "WAITING",
    "NO_ANSWER_AFTER_S",
    "STATUS_TOPICS",
    "ServerState",
    "changes_of",
    "check_server",
    "sync_now",
    "sync_status",
]

# A progress phase that is no progress: an answer from the server arrived.
HEARTBEAT = "answer"
# A progress phase: the network is gone; the round waits `done` seconds, then tries again.
WAITING = service.WAITING
# Seconds without any answer after which a screen says the server does not answer.
NO_ANSWER_AFTER_S = 15.0
# What the sync status shows (pending changes, open conflicts, last sync).
STATUS_TOPICS: tuple[str, ...] = (JOURNAL, CONFLICT, SYNC)


class ServerState(StrEnum):
    """What the window may say about the central office server."""

    UNKNOWN = "unknown"
    ONLINE = "online"  # it answered just now
    NO_ANSWER = "no_answer"  # it took the connection but has not answered for a while
    OFFLINE = "offline"  # it could not be reached
    WAITING = "waiting"  # a round lost the network and waits for it to return (cancellable)


def changes_of(report: SyncReport) -> Changes:
    """What a finished round changed: the record kinds and clients it received, sent or
    removed, and always the queue, the conflicts and the sync state."""
    return Changes.for_clients(
        {*report.changed_entities, SYNC, JOURNAL, CONFLICT}, report.changed_clients
    )


# Anything may have changed: a round that failed or was stopped halfway.
_ANYTHING = Changes.for_clients({*FIELDS, SYNC, JOURNAL, CONFLICT}, None)


class _SyncOp(Op[SyncReport]):
    """A sync round: publishes what it changed also when it did not finish."""

    _published = False
    _revoked = False

    def _deliver(self, result: SyncReport) -> None:
        self._published = True
        super()._deliver(result)

    def _on_failed(self, error: BaseException) -> None:
        self._revoked = isinstance(error, DeviceRevoked)
        super()._on_failed(error)

    def _end(self) -> None:
        try:
            super()._end()
        finally:
            if not self._published and not self._revoked:
                self._context.bus.publish(_ANYTHING)


def sync_now(*, parent: QWidget, session: Session) -> Op[SyncReport]:
    """One sync round on the network lane. `cancel()` stops it at once, also in the middle of
    a request the server never answers; a cancelled round reports neither success nor failure.
    A revoked device fails with `DeviceRevoked` after its data has been wiped."""
    profile, store = session.profile, session.store

    def work(task: Task) -> SyncReport:
        return service.sync_profile(
            profile,
            store,
            progress=task.report,
            cancel=task.cancel_event,
            on_answer=lambda: task.report(HEARTBEAT, 0, 0),
        )

    return _SyncOp(
        parent=parent,
        context=session,
        work=work,
        changes=changes_of,
        name="sync",
        network=True,
    )


def sync_status(*, parent: QWidget, session: Session) -> QueryOp[SyncStatus]:
    """Pending changes, last sync, server, open conflicts and the offline lease."""
    profile, store = session.profile, session.store
    return QueryOp(
        parent=parent,
        context=session,
        work=lambda _task: service.status(profile, store),
        name="sync_status",
    )


def check_server(*, parent: QWidget, session: Session, timeout: float = 3.0) -> QueryOp[bool]:
    """One quick health check of the central office server (no retries)."""
    store = session.store
    return QueryOp(
        parent=parent,
        context=session,
        work=lambda _task: service.server_reachable(store, timeout=timeout),
        name="server_reachable",
        network=True,
    )
