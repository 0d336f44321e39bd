"""Work off the UI thread: one lane (thread) for storage work, one for the network.

Each lane runs its jobs one after another, in the order they were submitted. A job's result or
error comes back to the UI thread as a Qt signal, so widgets are only ever touched there and the
window never waits for the database or the server.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from functools import partial
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal, Slot

# A job may report progress by calling the function it is given: (text, done, total).
ProgressFn = Callable[[str, int, int], None]


class Job(QObject):
    """The UI-thread side of one submitted job. Give the callbacks to `Lane.submit`: a signal
    emitted before a later connection was made does not reach that connection."""

    finished = Signal(object)
    failed = Signal(object)
    progressed = Signal(str, int, int)

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.done = False


class _Keeper(QObject):
    """Holds each job until its result has reached the UI thread, then lets it go.

    Without a holder a job nobody keeps would be freed while its result is still queued (and the
    result dropped); holding it through a closure over the job itself made a cycle through C++
    that Python never frees, keeping every job's callbacks, and the pages and rows they point
    at, alive after a lock."""

    def __init__(self) -> None:
        super().__init__()
        self.jobs: set[Job] = set()

    def hold(self, job: Job) -> None:
        self.jobs.add(job)
        # Connected last, so it runs after the caller's own callbacks.
        job.finished.connect(self.release)
        job.failed.connect(self.release)

    @Slot(object)
    def release(self, _value: object) -> None:
        job = self.sender()
        if isinstance(job, Job):
            # Let go after this delivery has finished, never in the middle of it.
            QTimer.singleShot(0, partial(self.jobs.discard, job))


def _while_alive(owner: QObject, callback: Callable[..., None] | None) -> Any:
    if callback is None:
        return None

    def call(*args: Any) -> None:
        if shiboken6.isValid(owner):
            callback(*args)

    return call


_STOP = object()


class Lane:
    """A named worker thread with a FIFO of jobs."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._queue: queue.Queue[Any] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name=f"veldwerk-{name}", daemon=True)
        self._busy = threading.Event()
        self._keeper = _Keeper()
        self._thread.start()

    def submit(
        self,
        fn: Callable[..., Any],
        *,
        done: Callable[[Any], None] | None = None,
        failed: Callable[[BaseException], None] | None = None,
        progress: Callable[[str, int, int], None] | None = None,
        with_progress: bool = False,
        name: str = "",
        owner: QObject | None = None,
    ) -> Job:
        """Run `fn()` (or `fn(report)` when `with_progress`) on this lane's thread. With an
        `owner` (the widget that asked), the callbacks are skipped once it has been deleted:
        a screen thrown away at a lock must not be touched by a late result."""
        if owner is not None:
            done, failed, progress = (
                _while_alive(owner, callback) for callback in (done, failed, progress)
            )
        job = Job(name or getattr(fn, "__name__", "job"))
        if done is not None:
            job.finished.connect(done)
        if failed is not None:
            job.failed.connect(failed)
        if progress is not None:
            job.progressed.connect(progress)
        self._keeper.hold(job)
        self._queue.put((job, fn, with_progress))
        return job

    @property
    def busy(self) -> bool:
        return self._busy.is_set() or not self._queue.empty()

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            self._busy.set()
            try:
                self._execute(*item)
            finally:
                self._busy.clear()
                # Nothing of the job (its result may be a caseload) stays on this thread; the
                # keeper holds the job until its result is delivered.
                del item

    @staticmethod
    def _execute(job: Job, fn: Callable[..., Any], with_progress: bool) -> None:
        try:
            result = fn(job.progressed.emit) if with_progress else fn()
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the UI
            job.done = True
            # Without its traceback: the frames in it would keep the job (and what it
            # produced) alive for as long as the receiver keeps the error.
            job.failed.emit(exc.with_traceback(None))
        else:
            job.done = True
            job.finished.emit(result)

    def stop(self, timeout: float = 30.0) -> None:
        """Finish the jobs already queued, then end the thread."""
        self._queue.put(_STOP)
        self._thread.join(timeout)


class Lanes:
    """The two lanes of one running client."""

    def __init__(self) -> None:
        self.storage = Lane("storage")
        self.network = Lane("network")

    def stop(self) -> None:
        self.storage.stop()
        self.network.stop()
