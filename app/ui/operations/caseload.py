"""Caseload verbs (Cliënten): the rows of one query, and the values the filter chips offer.

    caseload.load_caseload(parent=self, session=s, query=q, today=day).success(self._on_rows).run()

Both are reads keyed per page: a newer query from the same page supersedes an older one (its
answer is dropped, and cancelling it keeps it from running at all when it still waits).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QWidget

from app.domain.changes import SYNC
from app.services import caseload as service
from app.services.caseload import CaseloadQuery, CaseloadRow, FilterOptions
from app.ui.operations.op import QueryOp, Task
from app.ui.session import Session

__all__ = ["CASELOAD_ENTITIES", "load_caseload", "load_filter_options"]

# What a caseload row is made of; a change to any of these (or a sync round) redraws the list.
CASELOAD_ENTITIES: tuple[str, ...] = (
    "client",
    "enrollment",
    "visit",
    "client_plan",
    "intake",
    SYNC,
)


def load_caseload(
    *, parent: QWidget, session: Session, query: CaseloadQuery, today: date
) -> QueryOp[list[CaseloadRow]]:
    """The rows matching `query`, filtered and sorted by SQL."""
    store = session.store

    def work(task: Task) -> list[CaseloadRow]:
        task.check()  # superseded while it waited in the lane: do not run at all
        return service.load_caseload(store, query, today=today)

    return QueryOp(parent=parent, context=session, work=work, name="caseload")


def load_filter_options(
    *, parent: QWidget, session: Session, today: date
) -> QueryOp[FilterOptions]:
    """Municipalities, villages, schemes and ladder steps present in the caseload."""
    store = session.store
    return QueryOp(
        parent=parent,
        context=session,
        work=lambda _task: service.filter_options(store, today=today),
        name="caseload_filter_options",
    )
