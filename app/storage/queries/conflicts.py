"""What the Conflicten list reads: the open conflicts, with the names of their clients, which of
their records still exist here and who edited them, in one read transaction.

app.services.conflicts turns these into the rows a person chooses in; settling a conflict writes
through app.storage.sync_state (`open_conflict`, `mark_resolved`) in a write transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import Connection, select

from app.domain.values import PersonName
from app.storage.store import Store
from app.storage.sync_state import OpenConflict, open_conflicts_in
from app.storage.tables import ENTITY_TABLES, audit_events, clients

__all__ = ["ConflictSources", "RecordEdit", "conflict_sources"]

# SQLite allows 999 bound parameters per statement in older builds; stay under it.
_CHUNK = 900


@dataclass(frozen=True, slots=True)
class RecordEdit:
    """An audit event that created or updated a record here."""

    seq: int
    at: str  # ISO, as stored
    actor: str
    action: str  # "create" | "update"
    record_id: str
    fields: tuple[str, ...] | None  # the fields an update changed; None: not recorded


@dataclass(frozen=True, slots=True)
class ConflictSources:
    """The open conflicts and what it takes to show them, read in one snapshot."""

    conflicts: tuple[OpenConflict, ...]  # oldest first
    client_names: Mapping[str, PersonName]  # by client id, for the clients still here
    live_records: frozenset[tuple[str, str]]  # (entity, record id) pairs that exist, undeleted
    edits: tuple[RecordEdit, ...]  # creates and updates of the conflicts' records, oldest first


def _chunks(ids: Iterable[str]) -> Iterable[list[str]]:
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start : start + _CHUNK]


def _client_names(conn: Connection, client_ids: Iterable[str]) -> dict[str, PersonName]:
    names: dict[str, PersonName] = {}
    for chunk in _chunks(client_ids):
        rows = conn.execute(
            select(
                clients.c.id,
                clients.c.surname,
                clients.c.first_names,
                clients.c.initials,
                clients.c.name_prefix,
            ).where(clients.c.id.in_(chunk))
        )
        for row in rows:
            names[str(row.id)] = PersonName(
                surname=row.surname,
                first_names=row.first_names,
                initials=row.initials,
                prefix=row.name_prefix,
            )
    return names


def _live_records(
    conn: Connection, wanted: Iterable[tuple[str, str]]
) -> frozenset[tuple[str, str]]:
    by_entity: dict[str, set[str]] = {}
    for entity, record_id in wanted:
        if entity in ENTITY_TABLES:
            by_entity.setdefault(entity, set()).add(record_id)
    found: set[tuple[str, str]] = set()
    for entity, ids in by_entity.items():
        table = ENTITY_TABLES[entity]
        for chunk in _chunks(ids):
            rows = conn.execute(
                select(table.c.id).where(table.c.id.in_(chunk), table.c.deleted.is_(False))
            )
            found.update((entity, str(r.id)) for r in rows)
    return frozenset(found)


def _edits(conn: Connection, record_ids: Iterable[str]) -> tuple[RecordEdit, ...]:
    edits: list[RecordEdit] = []
    for chunk in _chunks(record_ids):
        rows = conn.execute(
            select(
                audit_events.c.seq,
                audit_events.c.at,
                audit_events.c.actor,
                audit_events.c.action,
                audit_events.c.record_id,
                audit_events.c.details,
            ).where(
                audit_events.c.record_id.in_(chunk),
                audit_events.c.action.in_(("create", "update")),
            )
        )
        for row in rows:
            fields = (row.details or {}).get("fields")
            edits.append(
                RecordEdit(
                    seq=int(row.seq),
                    at=str(row.at),
                    actor=str(row.actor),
                    action=str(row.action),
                    record_id=str(row.record_id),
                    fields=tuple(str(f) for f in fields) if isinstance(fields, list) else None,
                )
            )
    return tuple(sorted(edits, key=lambda e: e.seq))


def conflict_sources(store: Store) -> ConflictSources:
    """The open conflicts with their clients' names, their records' existence and edits."""
    with store.read_transaction() as conn:
        open_ = tuple(open_conflicts_in(conn))
        if not open_:
            return ConflictSources(open_, {}, frozenset(), ())
        return ConflictSources(
            conflicts=open_,
            client_names=_client_names(conn, (c.client_id for c in open_)),
            live_records=_live_records(conn, ((c.entity, c.record_id) for c in open_)),
            edits=_edits(conn, (c.record_id for c in open_)),
        )
