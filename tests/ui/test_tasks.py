"""The worker lanes: results reach the UI thread, and a finished job leaves nothing behind."""

from __future__ import annotations

import gc
import threading
import weakref

import shiboken6
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.ui.tasks import Job, Lanes


class Rows:
    """Stands for a page's rows: something a callback keeps alive if the job leaks."""


def test_results_and_errors_arrive_and_jobs_are_freed(qtbot: QtBot, lanes: Lanes) -> None:
    received: list[object] = []
    failures: list[BaseException] = []
    held = Rows()
    rows = weakref.ref(held)

    def keep(result: object, rows: Rows = held) -> None:
        received.append((result, rows is not None))

    job = lanes.storage.submit(lambda: 41 + 1, done=keep)
    broken = lanes.network.submit(lambda: 1 / 0, failed=failures.append)
    jobs = [weakref.ref(job), weakref.ref(broken)]
    del job, broken, keep, held
    qtbot.waitUntil(lambda: bool(received and failures), timeout=5000)
    assert received == [(42, True)]
    assert isinstance(failures[0], ZeroDivisionError)

    # Once delivered, the jobs and everything their callbacks held are gone.
    def freed() -> bool:
        gc.collect()
        return all(ref() is None for ref in jobs) and rows() is None

    qtbot.waitUntil(freed, timeout=5000)


def test_progress_reaches_the_ui_thread(qtbot: QtBot, lanes: Lanes) -> None:
    steps: list[tuple[str, int, int]] = []
    results: list[object] = []

    def work(report: object) -> str:
        assert callable(report)
        report("stap", 1, 2)
        report("stap", 2, 2)
        return "klaar"

    job: Job = lanes.network.submit(
        work, with_progress=True, progress=lambda *a: steps.append(a), done=results.append
    )
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    assert results == ["klaar"]
    assert steps == [("stap", 1, 2), ("stap", 2, 2)]
    assert job.done


def test_a_deleted_owner_gets_no_late_result(qtbot: QtBot, lanes: Lanes) -> None:
    owner = QWidget()
    called: list[object] = []
    other: list[object] = []
    release = threading.Event()
    lanes.storage.submit(lambda: release.wait(5), done=called.append, owner=owner)
    lanes.storage.submit(lambda: "next", done=other.append)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(owner), timeout=5000)
    release.set()
    qtbot.waitUntil(lambda: bool(other), timeout=5000)
    assert called == []
