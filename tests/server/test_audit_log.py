"""The server's audit log is append-only in the database itself, on both backends."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from server.crud import audit
from server.models import AuditEntry


def _one_entry(session: Session) -> None:
    audit.record(session, actor="beheer", action="create", entity="user", record_id="k.dijkstra")
    session.commit()


def test_entries_are_written(session: Session) -> None:
    _one_entry(session)
    [entry] = audit.recent(session)
    assert (entry.actor, entry.action, entry.record_id) == ("beheer", "create", "k.dijkstra")
    assert entry.at.replace(tzinfo=entry.at.tzinfo or UTC) <= datetime.now(UTC)


@pytest.mark.parametrize(
    "statement",
    [update(AuditEntry).values(actor="someone else"), delete(AuditEntry)],
    ids=["update", "delete"],
)
def test_entries_cannot_be_changed_or_removed(session: Session, statement: object) -> None:
    _one_entry(session)
    with pytest.raises(DBAPIError, match="append-only"):
        session.execute(statement)  # type: ignore[call-overload]
    session.rollback()
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == 1
