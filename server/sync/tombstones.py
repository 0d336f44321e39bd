"""Deleted records are kept as tombstones so devices learn of the delete; after the retention
period (at least 180 days) they are removed and the horizon rises past them.

A device whose cursor is below the horizon may have missed a removed tombstone, so its next pull
answers `409 reset_required` (feed.parse_cursor) and it downloads its scope again, keeping its
own unsent changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, exists, func, select
from sqlalchemy.orm import Session

from server.models import RECORD_TABLES, Assignment, clients
from server.sync.feed import server_state

MIN_RETENTION_DAYS = 180


@dataclass(frozen=True, slots=True)
class Purged:
    removed: dict[str, int]
    horizon: int


def _old_tombstones(table: Any, cutoff: datetime) -> Any:
    return and_(table.c.deleted.is_(True), table.c.updated_at < cutoff)


def purge_tombstones(
    session: Session, *, days: int = MIN_RETENTION_DAYS, now: datetime | None = None
) -> Purged:
    if days < MIN_RETENTION_DAYS:
        raise ValueError(f"tombstones are kept at least {MIN_RETENTION_DAYS} days")
    cutoff = (now or datetime.now(UTC)) - timedelta(days=days)
    state = server_state(session)
    horizon = state.horizon
    removed: dict[str, int] = {}
    # Children first; a client's tombstone goes only when nothing refers to it any more
    # (its assignment history stays, and so does the client's tombstone then).
    for entity in reversed(list(RECORD_TABLES)):
        table = RECORD_TABLES[entity]
        condition = _old_tombstones(table, cutoff)
        if entity == "client":
            for child_entity, child in RECORD_TABLES.items():
                if child_entity != "client":
                    condition = and_(condition, ~exists().where(child.c.client_id == clients.c.id))
            condition = and_(condition, ~exists().where(Assignment.client_id == clients.c.id))
        top = session.execute(select(func.max(table.c.position)).where(condition)).scalar()
        if top is None:
            continue
        result = session.execute(delete(table).where(condition))
        removed[entity] = int(result.rowcount or 0)  # type: ignore[attr-defined]
        horizon = max(horizon, int(top))
    state.horizon = horizon
    return Purged(removed=removed, horizon=horizon)
