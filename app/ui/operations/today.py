"""Vandaag verbs: today's visits in route order and what is overdue.

today.load_today(parent=self, session=s, day=day, language="nl").success(self._on_view).run()
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QWidget

from app.domain.changes import SYNC
from app.services.today import TodayView, today_items
from app.ui.operations.op import QueryOp
from app.ui.session import Session

__all__ = ["TODAY_ENTITIES", "load_today"]

# What the Vandaag page is made of (names and addresses come from the client record).
TODAY_ENTITIES: tuple[str, ...] = ("client", "visit", "client_plan", "intake", SYNC)


def load_today(
    *, parent: QWidget, session: Session, day: date, language: str
) -> QueryOp[TodayView]:
    """The caseworker's own visits of `day` and their overdue items, labels in `language`."""
    store = session.store
    caseworker = session.username
    return QueryOp(
        parent=parent,
        context=session,
        work=lambda _task: today_items(store, day, caseworker=caseworker, language=language),
        name="today_items",
    )
