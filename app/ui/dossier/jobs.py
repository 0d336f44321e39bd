"""Submitting dossier work to a lane: the job is kept alive until it reports back, and its
result is dropped when the widget that asked for it is gone by then (a closed dossier)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject

from app.ui.tasks import Job, Lane


def submit(
    owner: QObject,
    lane: Lane,
    keep: set[Job],
    fn: Callable[[], Any],
    *,
    done: Callable[[Any], None],
    failed: Callable[[BaseException], None],
) -> Job:
    """`lane.submit` for `owner`: the callbacks run on the UI thread only while `owner` lives."""

    # The job is reached through this list, emptied at delivery: a closure over the job itself
    # would tie it to its own connections for good.
    held: list[Job] = []

    def on_done(result: Any) -> None:
        keep.difference_update(held)
        held.clear()
        if shiboken6.isValid(owner):
            done(result)

    def on_failed(error: BaseException) -> None:
        keep.difference_update(held)
        held.clear()
        if shiboken6.isValid(owner):
            failed(error)

    job = lane.submit(fn, done=on_done, failed=on_failed)
    held.append(job)
    keep.add(job)
    return job
