"""Work off the UI thread: one lane (thread) for storage work, one for the network.

Each lane runs its jobs one after another, in the order they were submitted. A job's result or
error comes back to the UI thread as a Qt signal, so widgets are only ever touched there and the
window never waits for the database or the server.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

# A job may report progress by calling the function it is given: (text, done, total).
ProgressFn = Callable[[str, int, int], None]


class Job(QObject):
    """The UI-thread side of one submitted job. Connect before the event loop runs again."""

    finished = Signal(object)
    failed = Signal(object)
    progressed = Signal(str, int, int)

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.done = False


_STOP = object()


class Lane:
    """A named worker thread with a FIFO of jobs."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._queue: queue.Queue[Any] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name=f"veldwerk-{name}", daemon=True)
        self._busy = threading.Event()
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
    ) -> Job:
        """Run `fn()` (or `fn(report)` when `with_progress`) on this lane's thread."""
        job = Job(name or getattr(fn, "__name__", "job"))
        if done is not None:
            job.finished.connect(done)
        if failed is not None:
            job.failed.connect(failed)
        if progress is not None:
            job.progressed.connect(progress)
        job.finished.connect(lambda _r: setattr(job, "done", True))
        job.failed.connect(lambda _e: setattr(job, "done", True))
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
            job, fn, with_progress = item
            self._busy.set()
            try:
                result = fn(job.progressed.emit) if with_progress else fn()
            except BaseException as exc:  # noqa: BLE001 - every failure goes back to the UI
                job.failed.emit(exc)
            else:
                job.finished.emit(result)
            finally:
                self._busy.clear()

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
