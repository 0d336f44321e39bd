"""Conflict verbs (Conflicten): the open conflicts, and settling one.

conflicts.resolve_conflict(parent=self, session=s, conflict=item, choice="mine").success(
    self._on_resolved
).run()
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from app.domain.changes import CONFLICT, JOURNAL, SYNC, Changes
from app.services import conflicts as service
from app.services.conflicts import Choice, ConflictView
from app.ui.operations.op import Op, QueryOp
from app.ui.session import Session

__all__ = ["CONFLICT_TOPICS", "list_conflicts", "resolve_conflict"]

# What changes the conflicts list: a conflict settled, or a sync round that found new ones.
CONFLICT_TOPICS: tuple[str, ...] = (CONFLICT, SYNC)


def list_conflicts(
    *, parent: QWidget, session: Session, language: str
) -> QueryOp[list[ConflictView]]:
    """The open conflicts, ready to show in `language`."""
    store = session.store
    return QueryOp(
        parent=parent,
        context=session,
        work=lambda _task: service.list_conflicts(store, language=language),
        name="list_conflicts",
    )


def resolve_conflict(
    *,
    parent: QWidget,
    session: Session,
    conflict: ConflictView,
    choice: Choice,
    value: Any = None,
) -> Op[None]:
    """Keep "mine", keep "theirs", or a "new" value. Mine and new write the field as an ordinary
    edit (it joins the queue of changes to send); theirs changes no data. A value that does not
    fit the field fails with the domain's error for it."""
    store = session.store
    entities = {CONFLICT, conflict.entity}
    if choice != "theirs":
        entities.add(JOURNAL)
    return Op(
        parent=parent,
        context=session,
        work=lambda _task: service.resolve_conflict(store, conflict.id, choice=choice, value=value),
        changes=Changes.for_clients(entities, [conflict.client_id]),
        name="resolve_conflict",
    )
