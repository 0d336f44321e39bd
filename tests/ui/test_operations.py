"""Operations: typed results on the UI thread, the default failure path, the newest read wins,
cancellation, and writes publishing what they changed."""

from __future__ import annotations

import gc
import logging
import threading
import weakref
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.domain.changes import JOURNAL, Changes
from app.domain.errors import VeldwerkError
from app.ui.operations import ChangeBus, Op, QueryOp, Task
from app.ui.operations.bus import RedrawOnChange
from app.ui.tasks import Lanes


class Ctx:
    def __init__(self, lanes: Lanes) -> None:
        self.lanes = lanes
        self.bus = ChangeBus()


class Refused(VeldwerkError):
    def __init__(self) -> None:
        super().__init__("refused_for_test", "Geweigerd door de test", "Refused by the test")


@pytest.fixture
def ctx(lanes: Lanes) -> Ctx:
    return Ctx(lanes)


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def test_a_write_delivers_its_result_then_publishes_its_changes(
    qtbot: QtBot, ctx: Ctx, parent: QWidget
) -> None:
    order: list[object] = []
    ctx.bus.changed.connect(lambda changes: order.append(changes))
    op = Op(
        parent=parent,
        context=ctx,
        work=lambda _task: 42,
        changes=Changes.of("note", client_id="c1"),
        name="save_note",
    )
    op.success(order.append).run()
    qtbot.waitUntil(lambda: len(order) == 2, timeout=5000)
    assert order[0] == 42
    changes = order[1]
    assert isinstance(changes, Changes)
    assert changes.touches("note", client_id="c1")
    assert changes.touches(JOURNAL)
    assert not changes.touches("note", client_id="c2")
    assert not changes.touches("visit")


def test_changes_may_depend_on_the_result(qtbot: QtBot, ctx: Ctx, parent: QWidget) -> None:
    seen: list[Changes] = []
    ctx.bus.changed.connect(seen.append)
    Op(
        parent=parent,
        context=ctx,
        work=lambda _task: "c9",
        changes=lambda client_id: Changes.of("client", client_id=client_id),
        name="create_client",
    ).run()
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen[0].client_ids == frozenset({"c9"})


def test_the_default_failure_path_shows_the_message_and_logs_only_the_code(
    qtbot: QtBot,
    ctx: Ctx,
    parent: QWidget,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    shown: list[tuple[Any, ...]] = []
    monkeypatch.setattr(
        "app.ui.operations.op.QMessageBox.warning", lambda *args: shown.append(args)
    )

    def work(_task: Task) -> None:
        raise Refused

    published: list[Changes] = []
    ctx.bus.changed.connect(published.append)
    with caplog.at_level(logging.WARNING):
        Op(parent=parent, context=ctx, work=work, changes=Changes.of("note"), name="n").run()
        qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert shown[0][2] == "Geweigerd door de test"  # the user's language (Dutch in tests)
    assert "refused_for_test" in caplog.text
    assert "Refused by" not in caplog.text
    assert published == []  # nothing was written, so nothing changed


def test_an_unexpected_error_never_shows_or_logs_its_text(
    qtbot: QtBot,
    ctx: Ctx,
    parent: QWidget,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    shown: list[tuple[Any, ...]] = []
    monkeypatch.setattr(
        "app.ui.operations.op.QMessageBox.warning", lambda *args: shown.append(args)
    )

    def work(_task: Task) -> None:
        raise ValueError("BSN 123456782 bestaat niet")

    with caplog.at_level(logging.WARNING):
        QueryOp(parent=parent, context=ctx, work=work, name="load").run()
        qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert "123456782" not in shown[0][2]
    assert "ValueError" in caplog.text
    assert "123456782" not in caplog.text


def test_a_screen_can_take_its_failures_itself(qtbot: QtBot, ctx: Ctx, parent: QWidget) -> None:
    failures: list[BaseException] = []
    ended: list[bool] = []

    def work(_task: Task) -> None:
        raise Refused

    QueryOp(parent=parent, context=ctx, work=work, name="q").failure(failures.append).finally_(
        lambda: ended.append(True)
    ).run()
    qtbot.waitUntil(lambda: bool(ended), timeout=5000)
    assert isinstance(failures[0], Refused)


def test_the_newest_read_wins(qtbot: QtBot, ctx: Ctx, parent: QWidget) -> None:
    release = threading.Event()
    results: list[str] = []

    def slow(_task: Task) -> str:
        release.wait(5)
        return "old"

    QueryOp(parent=parent, context=ctx, work=slow, name="search").success(results.append).run()
    QueryOp(parent=parent, context=ctx, work=lambda _t: "new", name="search").success(
        results.append
    ).run()
    # A different key is a different question: its answer is not dropped.
    QueryOp(parent=parent, context=ctx, work=lambda _t: "other", name="count").success(
        results.append
    ).run()
    release.set()
    qtbot.waitUntil(lambda: len(results) == 2, timeout=5000)
    assert results == ["new", "other"]


def test_a_deleted_parent_gets_no_callbacks_but_a_write_still_publishes(
    qtbot: QtBot, ctx: Ctx
) -> None:
    parent = QWidget()
    release = threading.Event()
    delivered: list[object] = []
    published: list[Changes] = []
    ctx.bus.changed.connect(published.append)

    def work(_task: Task) -> int:
        release.wait(5)
        return 1

    Op(parent=parent, context=ctx, work=work, changes=Changes.of("note"), name="n").success(
        delivered.append
    ).run()
    parent.deleteLater()
    qtbot.waitUntil(lambda: not _valid(parent), timeout=5000)
    release.set()
    qtbot.waitUntil(lambda: bool(published), timeout=5000)
    assert delivered == []


def _valid(widget: QWidget) -> bool:
    import shiboken6

    return shiboken6.isValid(widget)


def test_cancelled_work_reports_neither_success_nor_failure(
    qtbot: QtBot, ctx: Ctx, parent: QWidget
) -> None:
    started = threading.Event()
    outcome: list[str] = []
    ended: list[bool] = []

    def work(task: Task) -> str:
        started.set()
        task.cancel_event.wait(5)
        task.check()
        return "finished"

    op = (
        QueryOp(parent=parent, context=ctx, work=work, name="sync", network=True)
        .success(lambda _r: outcome.append("success"))
        .failure(lambda _e: outcome.append("failure"))
        .finally_(lambda: ended.append(True))
        .run()
    )
    assert started.wait(5)
    op.cancel()
    qtbot.waitUntil(lambda: bool(ended), timeout=5000)
    assert outcome == []
    assert op.cancelled


def test_progress_reaches_the_ui_thread(qtbot: QtBot, ctx: Ctx, parent: QWidget) -> None:
    steps: list[tuple[str, int, int]] = []
    threads: list[bool] = []
    main = threading.get_ident()

    def work(task: Task) -> None:
        task.report("Ophalen", 1, 2)
        task.report("Ophalen", 2, 2)

    def on_progress(text: str, done: int, total: int) -> None:
        steps.append((text, done, total))
        threads.append(threading.get_ident() == main)

    QueryOp(parent=parent, context=ctx, work=work, name="p").progress(on_progress).run()
    qtbot.waitUntil(lambda: len(steps) == 2, timeout=5000)
    assert steps == [("Ophalen", 1, 2), ("Ophalen", 2, 2)]
    assert all(threads)


def test_a_finished_operation_leaves_nothing_behind(qtbot: QtBot, ctx: Ctx) -> None:
    parent = QWidget()
    results: list[int] = []

    class Rows:
        pass

    rows = Rows()

    def work(_task: Task, kept: Rows = rows) -> int:
        return 1

    op = QueryOp(parent=parent, context=ctx, work=work, name="rows")
    op.success(results.append).run()
    refs: list[weakref.ref[Any]] = [weakref.ref(op), weakref.ref(rows)]
    del op, rows, work
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    parent.deleteLater()

    def freed() -> bool:
        gc.collect()
        return all(ref() is None for ref in refs)

    qtbot.waitUntil(freed, timeout=5000)


def test_work_that_finds_the_store_closed_after_a_lock_shows_nothing(
    qtbot: QtBot, ctx: Ctx, parent: QWidget, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[tuple[Any, ...]] = []
    monkeypatch.setattr(
        "app.ui.operations.op.QMessageBox.warning", lambda *args: shown.append(args)
    )
    ended: list[bool] = []

    def work(_task: Task) -> None:
        raise VeldwerkError("store_closed", "Het profiel is vergrendeld.", "Locked.")

    QueryOp(parent=parent, context=ctx, work=work, name="late").finally_(
        lambda: ended.append(True)
    ).run()
    qtbot.waitUntil(lambda: bool(ended), timeout=5000)
    assert shown == []


def test_a_screen_redraws_at_once_when_shown_and_on_its_next_show_when_hidden(
    qtbot: QtBot, ctx: Ctx
) -> None:
    screen = QWidget()
    qtbot.addWidget(screen)
    redraws: list[bool] = []
    RedrawOnChange(screen, ctx.bus, topics=("note",), redraw=lambda: redraws.append(True))

    ctx.bus.publish(Changes.of("note"))  # hidden: remembered, nothing read yet
    assert redraws == []
    screen.show()
    qtbot.waitUntil(lambda: len(redraws) == 1, timeout=5000)
    ctx.bus.publish(Changes.of("visit"))  # not its concern
    ctx.bus.publish(Changes.of("note"))  # on screen: at once
    assert len(redraws) == 2
    screen.hide()
    screen.show()  # nothing new while hidden: no read
    assert len(redraws) == 2
