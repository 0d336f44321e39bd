"""Background work for screens: `Op` for writes, `QueryOp` for reads (after Anki's
`CollectionOp`/`QueryOp`).

An operation is bound to the widget that asked for it: its callbacks run on the UI thread, and
not at all once that widget is gone (a dossier closed, a workspace thrown away at a lock). A
failure nobody handles reaches the default failure path: the message in the user's language
where the user is looking, and the error's code (never its text, which may hold data) in the log.
A write that succeeds publishes what it changed on the change bus.

    save_note(parent=self, context=self.session, client_id=cid, text=text).success(
        self._on_note_saved
    ).run()
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable
from typing import Generic, Protocol, Self, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QMessageBox, QWidget

from app.domain.changes import Changes
from app.domain.errors import VeldwerkError
from app.ui.messages import error_text
from app.ui.operations.bus import ChangeBus
from app.ui.tasks import Lane, Lanes

T = TypeVar("T")
# Failures the default path logs but never shows.
QUIET_CODES = frozenset({"store_closed"})
log = logging.getLogger(__name__)


class Context(Protocol):
    """What an operation needs of the running client (a `Session` is one)."""

    @property
    def lanes(self) -> Lanes: ...

    @property
    def bus(self) -> ChangeBus: ...


class Cancelled(Exception):
    """Raised inside work that noticed `Task.cancelled`; the op then reports no failure."""


class Task:
    """Handed to work that reports progress or can be cancelled; safe to use from the worker."""

    def __init__(self, report: Callable[[str, int, int], None]) -> None:
        self._report = report
        self._cancel = threading.Event()

    def report(self, text: str, done: int, total: int) -> None:
        self._report(text, done, total)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    @property
    def cancel_event(self) -> threading.Event:
        """For services that wait on the network and can stop early."""
        return self._cancel

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled


def error_code(error: BaseException) -> str:
    """What the log may say about a failure: a stable code, or the exception's type."""
    if isinstance(error, VeldwerkError):
        return error.code
    return type(error).__name__


def show_failure(parent: QWidget, error: BaseException) -> None:
    """The default failure path: one sentence in the user's language, where they are looking."""
    window = parent.window() if shiboken6.isValid(parent) else None
    QMessageBox.warning(
        window,
        QCoreApplication.translate("operations", "Dat is niet gelukt"),
        error_text(error),
    )


class _Base(Generic[T]):
    def __init__(
        self,
        *,
        parent: QWidget,
        context: Context,
        work: Callable[[Task], T],
        name: str,
        network: bool,
    ) -> None:
        self._parent = parent
        self._context = context
        self._work = work
        self._name = name
        self._lane: Lane = context.lanes.network if network else context.lanes.storage
        self._success: Callable[[T], None] | None = None
        self._failure: Callable[[BaseException], None] | None = None
        self._progress: Callable[[str, int, int], None] | None = None
        self._finally: Callable[[], None] | None = None
        self._task = Task(lambda *_args: None)

    def success(self, callback: Callable[[T], None]) -> Self:
        self._success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> Self:
        """Replace the default failure path (a form that shows the error beside a field)."""
        self._failure = callback
        return self

    def progress(self, callback: Callable[[str, int, int], None]) -> Self:
        self._progress = callback
        return self

    def finally_(self, callback: Callable[[], None]) -> Self:
        """Runs after success, failure or cancellation while the parent lives (re-enable a
        button)."""
        self._finally = callback
        return self

    @property
    def name(self) -> str:
        return self._name

    def cancel(self) -> None:
        """Ask the work to stop; it stops at its next `Task.check` (or sooner, for work that
        waits on `Task.cancel_event`). A cancelled op reports neither success nor failure."""
        self._task.cancel()

    @property
    def cancelled(self) -> bool:
        return self._task.cancelled

    def _alive(self) -> bool:
        return shiboken6.isValid(self._parent)

    def _deliver(self, result: T) -> None:
        if self._alive() and self._success is not None:
            self._success(result)

    def _on_done(self, result: T) -> None:
        try:
            if not self._task.cancelled:
                self._deliver(result)
        finally:
            self._end()

    def _on_failed(self, error: BaseException) -> None:
        try:
            if isinstance(error, Cancelled) or self._task.cancelled:
                return
            code = error_code(error)
            log.warning("operation %s failed: %s", self._name, code)
            # Work that was still queued when the profile was locked finds its store closed:
            # the user chose that, and nothing of it is theirs to act on.
            if not self._alive() or code in QUIET_CODES:
                return
            if self._failure is not None:
                self._failure(error)
            else:
                show_failure(self._parent, error)
        finally:
            self._end()

    def _on_progress(self, text: str, done: int, total: int) -> None:
        if self._alive() and self._progress is not None:
            self._progress(text, done, total)

    def _end(self) -> None:
        if self._alive() and self._finally is not None:
            self._finally()

    def run(self) -> Self:
        task, work = self._task, self._work

        def execute(report: Callable[[str, int, int], None]) -> T:
            task._report = report
            task.check()
            return work(task)

        # Callbacks check the parent themselves: a write's changes are published even when the
        # screen that asked is gone by the time it is done.
        # Plain closures, not bound methods: the connection must hold this op until it reports.
        self._lane.submit(
            execute,
            done=lambda result: self._on_done(result),
            failed=lambda error: self._on_failed(error),
            progress=lambda text, done, total: self._on_progress(text, done, total),
            with_progress=True,
            name=self._name,
        )
        return self


class Op(_Base[T]):
    """A write. On success the changes are published on the bus after the success callback (the
    screen that asked sees its own result first), also when that screen is gone by then: other
    screens still show the old state."""

    def __init__(
        self,
        *,
        parent: QWidget,
        context: Context,
        work: Callable[[Task], T],
        changes: Changes | Callable[[T], Changes],
        name: str,
        network: bool = False,
    ) -> None:
        super().__init__(parent=parent, context=context, work=work, name=name, network=network)
        self._changes = changes

    def _deliver(self, result: T) -> None:
        try:
            super()._deliver(result)
        finally:
            changes = self._changes(result) if callable(self._changes) else self._changes
            self._context.bus.publish(changes)


# The newest QueryOp per (owner, key): answers to older ones are dropped when they arrive.
_latest: weakref.WeakKeyDictionary[QObject, dict[str, int]] = weakref.WeakKeyDictionary()


class QueryOp(_Base[T]):
    """A read. When the same parent asks again under the same key before the first answer is
    back, only the newest answer is delivered (typing in a search box, switching dossiers)."""

    def __init__(
        self,
        *,
        parent: QWidget,
        context: Context,
        work: Callable[[Task], T],
        name: str,
        key: str | None = None,
        network: bool = False,
    ) -> None:
        super().__init__(parent=parent, context=context, work=work, name=name, network=network)
        self._key = key or name
        self._generation = 0

    def run(self) -> Self:
        generations = _latest.setdefault(self._parent, {})
        self._generation = generations.get(self._key, 0) + 1
        generations[self._key] = self._generation
        return super().run()

    def _alive(self) -> bool:
        return super()._alive() and self._newest()

    def _newest(self) -> bool:
        return _latest.get(self._parent, {}).get(self._key) == self._generation
