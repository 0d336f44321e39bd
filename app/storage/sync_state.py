"""What sync does to the local database: acknowledging pushed entries, applying pulled pages,
keeping conflicts, purging clients that left this device's scope.

Every function here runs in one local transaction, so a crash leaves either the state before or
the state after, never half: a journal entry disappears only together with what its answer
changed, and a pulled page only together with the new cursor.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any, Protocol, TypeVar

from sqlalchemy import (
    JSON,
    Connection,
    Row,
    Table,
    and_,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)

from app.storage import audit
from app.storage.gc_pause import paused_gc
from app.storage.store import JournalEntry, Store, Transaction, derived_columns, write_setting
from app.storage.tables import (
    DERIVED_COLUMNS,
    ENTITY_TABLES,
    NOT_FIELDS,
    attachment_blobs,
    attachments,
    conflicts,
)
from app.storage.tables import journal as journal_table
from app.storage.tables import settings as settings_table

CURSOR = "sync.cursor"
EPOCH = "sync.epoch"
LAST_SYNC = "sync.last_sync_at"
LAST_ACKED = "sync.last_acked_seq"
PENDING_EXITS = "sync.pending_exits"
# Set while a full download after `reset_required` is under way: one broken off starts again
# from the beginning next round (only a complete one tells which rows the server no longer has).
RESET_PENDING = "sync.reset_pending"

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Verdict:
    """The server's answer to one entry, as the storage layer needs it."""

    seq: int
    status: str  # applied | merged | conflict | rejected | orphaned
    version: int | None
    conflicts: Sequence[Mapping[str, Any]] = ()
    server_values: Mapping[str, Any] | None = None
    code: str | None = None


class Pulled(Protocol):
    """A record as a pulled page carries it: a `PulledRecord`, or the sync protocol's own
    record read from the page as it is (no copy per record)."""

    @property
    def entity(self) -> str: ...
    @property
    def id(self) -> str: ...
    @property
    def client_id(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def deleted(self) -> bool: ...
    @property
    def fields(self) -> Mapping[str, Any]: ...


@dataclass(frozen=True, slots=True)
class PulledRecord:
    entity: str
    id: str
    client_id: str
    version: int
    deleted: bool
    fields: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class OpenConflict:
    id: int
    entity: str
    record_id: str
    client_id: str
    field: str
    kind: str
    base: Any
    mine: Any
    theirs: Any
    code: str | None
    created_at: str


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _setting(conn: Connection, key: str, value: Any) -> None:
    write_setting(conn, key, value)


def _get_setting(conn: Connection, key: str) -> Any:
    row = conn.execute(select(settings_table.c.value).where(settings_table.c.key == key)).first()
    return row.value if row else None


def purge_pending_exits(store: Store) -> list[str]:
    """Purge clients that left this device's scope while entries of theirs still waited."""
    if not store.setting(PENDING_EXITS):
        return []  # the usual round: a read, not a write transaction and its commit
    with store.transaction() as tx:
        pending = set(_get_setting(tx.conn, PENDING_EXITS) or [])
        purged = [
            cid for cid in sorted(pending) if _purge_if_settled(tx.conn, cid, actor=store.actor)
        ]
        _setting(tx.conn, PENDING_EXITS, sorted(pending - set(purged)))
    return purged


def acknowledge(
    store: Store,
    verdicts: Iterable[Verdict],
    *,
    entries: Sequence[JournalEntry],
    settings: Mapping[str, Any] | None = None,
) -> None:
    """Remove answered entries and take in what their answers say, in one transaction, with
    `settings` that go with the same answer (the audit events it took)."""
    by_seq = {e.seq: e for e in entries}
    with store.transaction() as tx:
        conn = tx.conn
        updates = _Updates(conn)
        answered: list[int] = []
        for verdict in verdicts:
            entry = by_seq.get(verdict.seq)
            if entry is None:
                continue
            table = ENTITY_TABLES[entry.entity]
            if verdict.status in ("conflict", "rejected"):
                _keep_conflicts(conn, entry, verdict)
            # A refused entry comes back with the record as the server holds it: the refused
            # values (kept above as conflicts) leave the device's copy.
            if verdict.version is not None:
                values: dict[str, Any] = {"version": verdict.version}
                # The server value stays current for a conflicted field, unless a later
                # unpushed edit of ours already changed it again.
                later = {
                    k
                    for e in entries
                    if e.record_id == entry.record_id and e.seq > entry.seq
                    for k in e.new_values
                }
                for field, value in (verdict.server_values or {}).items():
                    if field in table.c and field not in NOT_FIELDS and field not in later:
                        values[field] = value
                updates.add(table, entry.record_id, values)
                if entry.entity == "client" and set(values) & {
                    "surname",
                    "initials",
                    "name_prefix",
                }:
                    updates.flush()
                    row = conn.execute(select(table).where(table.c.id == entry.record_id)).first()
                    if row is not None:
                        conn.execute(
                            update(table)
                            .where(table.c.id == entry.record_id)
                            .values(**derived_columns(entry.entity, dict(row._mapping)))
                        )
            answered.append(verdict.seq)
        updates.flush()
        for chunk in _chunks(answered):
            conn.execute(delete(journal_table).where(journal_table.c.seq.in_(chunk)))
        if answered:
            _setting(conn, LAST_ACKED, max(answered))
        for key, value in (settings or {}).items():
            _setting(conn, key, value)


class _Updates:
    """Updates by record id, in order, each run of the same table and columns sent as one
    executemany: a round's acknowledgements are mostly a new version for each record pushed,
    and a statement each cost more than the rest of taking the answer in."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._shape: tuple[Table, tuple[str, ...]] | None = None
        self._rows: list[dict[str, Any]] = []

    def add(self, table: Table, record_id: str, values: dict[str, Any]) -> None:
        shape = (table, tuple(sorted(values)))
        if shape != self._shape:
            self.flush()
            self._shape = shape
        self._rows.append({"_id": record_id, **values})

    def flush(self) -> None:
        if self._shape is not None and self._rows:
            table, columns = self._shape
            statement = (
                update(table)
                .where(table.c.id == bindparam("_id"))
                .values({column: bindparam(column) for column in columns})
            )
            self._conn.execute(statement, self._rows)
        self._shape, self._rows = None, []


def _keep_conflicts(conn: Connection, entry: JournalEntry, verdict: Verdict) -> None:
    now = _now()
    found = list(verdict.conflicts)
    if verdict.status == "rejected" or not found:
        # The whole entry was not taken: keep every value it carried, with the reason.
        found = [
            {
                "field": field,
                "base": entry.base_values.get(field),
                "device": value,
                "server": (verdict.server_values or {}).get(field),
            }
            for field, value in (entry.new_values or {"*": None}).items()
        ]
    for item in found:
        conn.execute(
            insert(conflicts).values(
                entity=entry.entity,
                record_id=entry.record_id,
                client_id=entry.client_id,
                field=str(item.get("field")),
                kind=verdict.status,
                base=item.get("base"),
                mine=item.get("device"),
                theirs=item.get("server"),
                mutation_id=entry.mutation_id,
                code=verdict.code,
                created_at=now,
            )
        )


def apply_page(
    store: Store,
    *,
    records: Sequence[Pulled],
    scope_exit: Sequence[str],
    cursor: str,
    epoch: str,
    whole: Sequence[str] = (),
    json_text: bool = False,
) -> tuple[int, list[str]]:
    """Apply one pulled page and its cursor in one transaction.

    `json_text`: the records' JSON fields are their JSON text (the page's `json_text`).
    `whole`: clients the page carries whole (`scope_enter`); what this device holds of them
    beyond that is stale (a row the server never took, say) and goes, unless it waits to be
    pushed. Returns (records applied, clients purged). A client leaving scope is purged only
    once none of its entries wait to be pushed; otherwise it stays until a later sync, after
    they are answered.
    """
    with paused_gc(), store.transaction() as tx:
        conn = tx.conn
        _drop_beyond_whole(conn, whole, records)
        applied = _apply_records(conn, records, json_text)
        # The server sends an exit until our cursor passes it; a client whose entries still wait
        # is remembered here and purged once they are answered (purge_pending_exits).
        waiting = set(_get_setting(conn, PENDING_EXITS) or [])
        pending = set(waiting)
        purged = []
        for cid in sorted(set(scope_exit) | pending):
            if _purge_if_settled(conn, cid, actor=store.actor):
                purged.append(cid)
                pending.discard(cid)
            elif cid in scope_exit:
                pending.add(cid)
        if pending != waiting:
            _setting(conn, PENDING_EXITS, sorted(pending))
        _setting(conn, CURSOR, cursor)
        _setting(conn, EPOCH, epoch)
    return applied, purged


def _chunks(items: Sequence[T], size: int = 900) -> list[list[T]]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def _pending_by_record(conn: Connection, ids: list[str]) -> dict[tuple[str, str], dict[str, Any]]:
    """Unpushed edits of these records, later entries winning; a pending delete shows as
    {"__deleted__": True}. The journal's few record ids are read first, so a page of thousands
    of records (a first sync) asks for the values of only those it shares with the journal."""
    waiting = {str(r) for r in conn.execute(select(journal_table.c.record_id).distinct()).scalars()}
    if not waiting:
        return {}
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for chunk in _chunks(sorted(waiting.intersection(ids))):
        rows = conn.execute(
            select(
                journal_table.c.entity,
                journal_table.c.record_id,
                journal_table.c.op,
                journal_table.c.new_values,
            )
            .where(journal_table.c.record_id.in_(chunk))
            .order_by(journal_table.c.seq)
        )
        for entity, record_id, op, new_values in rows:
            values = merged.setdefault((entity, record_id), {})
            if op == "delete":
                values["__deleted__"] = True
            elif op != "command":
                values.update(new_values or {})
    return merged


def _existing_ids(conn: Connection, table: Table, ids: list[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(ids):
        found.update(
            str(r.id) for r in conn.execute(select(table.c.id).where(table.c.id.in_(chunk)))
        )
    return found


def _drop_beyond_whole(
    conn: Connection, client_ids: Sequence[str], records: Sequence[Pulled]
) -> None:
    held = _existing_ids(conn, ENTITY_TABLES["client"], list(client_ids)) if client_ids else set()
    if not held:
        return  # a first sync: nothing here yet to compare
    sent = {(r.entity, r.id) for r in records if r.client_id in held}
    waiting = {
        (row.entity, row.record_id)
        for chunk in _chunks(sorted(held))
        for row in conn.execute(
            select(journal_table.c.entity, journal_table.c.record_id).where(
                journal_table.c.client_id.in_(chunk)
            )
        )
    }
    for entity, table in reversed(list(ENTITY_TABLES.items())):
        if entity == "client":
            continue  # the client row itself is always in the page
        for chunk in _chunks(sorted(held)):
            for row in conn.execute(select(table.c.id).where(table.c.client_id.in_(chunk))):
                key = (entity, str(row.id))
                if key not in sent and key not in waiting:
                    conn.execute(delete(table).where(table.c.id == row.id))


@dataclass(frozen=True, slots=True)
class _Layout:
    """A table's field columns, for turning pulled field dicts into rows without asking the
    table about each key (a first sync writes tens of thousands of rows)."""

    fields: tuple[str, ...]  # table order
    field_set: frozenset[str]
    take: Callable[[Mapping[str, Any]], Any]  # the field values, in `fields` order
    derived: tuple[str, ...]
    # A whole row's columns: the order every row's values are given in (a partial row keeps
    # it, so rows with the same columns share one statement, in page order).
    order: tuple[str, ...]
    json: frozenset[str]  # fields stored as JSON text

    @classmethod
    def of(cls, table: Table) -> _Layout:
        names = tuple(str(c.name) for c in table.columns if c.name not in NOT_FIELDS)
        derived = tuple(sorted(DERIVED_COLUMNS.get(table.name, ())))
        return cls(
            fields=names,
            field_set=frozenset(names),
            take=itemgetter(*names),
            derived=derived,
            order=("id", *names, "version", "updated_at", "deleted", *derived),
            json=frozenset(n for n in names if isinstance(table.c[n].type, JSON)),
        )


_LAYOUTS = {entity: _Layout.of(table) for entity, table in ENTITY_TABLES.items()}


# Values bound in one statement: SQLite's default limit before 3.32 (32,766 since), so a build
# that keeps either default takes it. More rows per statement made no difference; a statement
# per row cost a first sync of 5,000 clients about 0.5 s of the device's CPU (`_upsert_rows`).
_MAX_PARAMETERS = 999


def _upsert_rows(
    conn: Connection,
    table: Table,
    groups: dict[tuple[str, ...], list[list[Any]]],
    as_text: frozenset[str] = frozenset(),
) -> None:
    """Upsert rows, grouped by their set of columns, as many rows per statement as fit in
    `_MAX_PARAMETERS`: each statement pays SQLite's statement journal and savepoints and the
    driver's per-execution work, which a statement per row paid 66,000 times in a first sync
    of 5,000 clients. Straight to the driver: SQLAlchemy's parameter handling cost more than
    SQLCipher's own work. The column types' bind processors (JSON text, booleans) are applied
    here exactly as SQLAlchemy would, except to the JSON columns in `as_text`, whose values are
    their JSON text already (but for None)."""
    quote = conn.dialect.identifier_preparer.quote
    for keys, rows in groups.items():
        processors: list[tuple[int, Callable[[Any], Any]]] = [
            (i, _text_or_null(bind) if key in as_text else bind)
            for i, key in enumerate(keys)
            if (bind := table.c[key].type.bind_processor(conn.dialect)) is not None
        ]
        for row in rows:
            for i, process in processors:
                row[i] = process(row[i])
        names = ", ".join(quote(k) for k in keys)
        sets = ", ".join(f"{quote(k)} = excluded.{quote(k)}" for k in keys if k != "id")
        values = f"({', '.join('?' * len(keys))})"
        per = max(1, _MAX_PARAMETERS // len(keys))
        for start in range(0, len(rows), per):
            chunk = rows[start : start + per]
            statement = (
                f"INSERT INTO {quote(table.name)} ({names}) VALUES "
                f"{', '.join([values] * len(chunk))} "
                f"ON CONFLICT ({quote('id')}) DO UPDATE SET {sets}"
            )
            conn.exec_driver_sql(statement, tuple(value for row in chunk for value in row))


def _text_or_null(to_json: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A JSON column's bind processor for values that are JSON text already: None is still
    written as the column writes it."""
    null = to_json(None)

    def processor(value: Any) -> Any:
        return null if value is None else value

    return processor


def _apply_records(conn: Connection, records: Sequence[Pulled], json_text: bool = False) -> int:
    """Write pulled records: one upsert statement per table (parents first), tombstones for what
    we hold, and our own unpushed edits kept on top (rebase). `json_text`: the records' JSON
    fields are their JSON text (sync protocol JSON_TEXT_HEADER), written as they are."""
    by_entity: dict[str, list[Pulled]] = {}
    for record in records:
        by_entity.setdefault(record.entity, []).append(record)
    pending = _pending_by_record(conn, [r.id for r in records])
    now = _now()
    applied = 0
    for entity, table in ENTITY_TABLES.items():
        mine = by_entity.get(entity)
        if not mine:
            continue
        layout = _LAYOUTS[entity]
        as_text = layout.json if json_text else frozenset()
        deleted_ids = [r.id for r in mine if r.deleted]
        held = _existing_ids(conn, table, deleted_ids) if deleted_ids else set()
        tombstones = []
        upserts: dict[tuple[str, ...], list[list[Any]]] = {}
        for record in mine:
            applied += 1
            if record.deleted:
                if record.id in held:  # a tombstone for something we never held is ignored
                    # A delete wins over our unpushed edits; the push reports those as conflicts.
                    tombstones.append(
                        {"row_id": record.id, "row_version": record.version, "row_at": now}
                    )
                continue
            given = record.fields
            ours = pending.get((entity, record.id)) if pending else None
            if ours is None and given.keys() == layout.field_set:
                # The usual case: every field, nothing of ours to keep on top.
                values = layout.take(given)
                if len(layout.fields) == 1:
                    values = (values,)
                keys = layout.order
                row = [record.id, *values, record.version, now, False]
                if layout.derived:
                    derived = derived_columns(entity, given)
                    row.extend(derived[k] for k in layout.derived)
            else:
                fields = {k: v for k, v in given.items() if k in layout.field_set}
                mine_too = dict(ours or {})
                deleted = bool(mine_too.pop("__deleted__", False))
                fields.update({k: v for k, v in mine_too.items() if k in layout.field_set})
                for key in as_text.intersection(mine_too):
                    # Ours are values: as text, like the page's own beside them.
                    fields[key] = _json_text(conn, table, key, fields[key])
                named = {
                    "id": record.id,
                    **fields,
                    **derived_columns(entity, fields),
                    "version": record.version,
                    "updated_at": now,
                    "deleted": deleted,
                }
                keys = tuple(k for k in layout.order if k in named)
                row = [named[k] for k in keys]
            upserts.setdefault(keys, []).append(row)
        if tombstones:
            conn.execute(
                update(table)
                .where(table.c.id == bindparam("row_id"))
                .values(
                    deleted=True, version=bindparam("row_version"), updated_at=bindparam("row_at")
                ),
                tombstones,
            )
        _upsert_rows(conn, table, upserts, as_text)
    return applied


def _json_text(conn: Connection, table: Table, key: str, value: Any) -> Any:
    to_json = table.c[key].type.bind_processor(conn.dialect)
    return value if to_json is None else to_json(value)


def _purge_if_settled(conn: Connection, client_id: str, *, actor: str) -> bool:
    waiting = conn.execute(
        select(func.count())
        .select_from(journal_table)
        .where(journal_table.c.client_id == client_id)
    ).scalar_one()
    if waiting:
        return False
    purge_client(conn, client_id, actor=actor)
    return True


def purge_client(conn: Connection, client_id: str, *, actor: str) -> None:
    """Remove a client and everything of it: rows, attachment bytes, search index entries
    (a trigger), conflicts. secure_delete overwrites the freed pages.

    The event names the device's own user: the server takes a device's audit events only in
    that name, and a purge signed "sync" read there as a broken chain."""
    shas = [
        row.sha256
        for row in conn.execute(
            select(attachments.c.sha256).where(attachments.c.client_id == client_id)
        )
    ]
    for entity, table in reversed(list(ENTITY_TABLES.items())):
        if entity == "client":
            continue
        conn.execute(delete(table).where(table.c.client_id == client_id))
    conn.execute(delete(ENTITY_TABLES["client"]).where(ENTITY_TABLES["client"].c.id == client_id))
    conn.execute(delete(conflicts).where(conflicts.c.client_id == client_id))
    # The audit trail keeps that the dossier left this device (ids only, no content).
    audit.append(conn, at=_now(), actor=actor, action="purge", entity="client", record_id=client_id)
    for sha in shas:
        still_used = conn.execute(
            select(attachments.c.id).where(attachments.c.sha256 == sha)
        ).first()
        if still_used is None:
            conn.execute(delete(attachment_blobs).where(attachment_blobs.c.sha256 == sha))


def held_client_ids(store: Store) -> set[str]:
    table = ENTITY_TABLES["client"]
    with store.read_transaction() as conn:
        return {str(r.id) for r in conn.execute(select(table.c.id))}


def _open_conflict(r: Row[Any]) -> OpenConflict:
    return OpenConflict(
        id=r.id,
        entity=r.entity,
        record_id=r.record_id,
        client_id=r.client_id,
        field=r.field,
        kind=r.kind,
        base=r.base,
        mine=r.mine,
        theirs=r.theirs,
        code=r.code,
        created_at=r.created_at,
    )


def open_conflicts_in(conn: Connection) -> list[OpenConflict]:
    """The open conflicts, oldest first (inside a transaction the caller holds)."""
    rows = conn.execute(
        select(conflicts).where(conflicts.c.resolved_at.is_(None)).order_by(conflicts.c.id)
    ).all()
    return [_open_conflict(r) for r in rows]


def open_conflicts(store: Store) -> list[OpenConflict]:
    with store.read_transaction() as conn:
        return open_conflicts_in(conn)


def open_conflict_count(store: Store) -> int:
    with store.read_transaction() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(conflicts).where(conflicts.c.resolved_at.is_(None))
            ).scalar_one()
        )


def open_conflict(tx: Transaction, conflict_id: int) -> OpenConflict | None:
    """One open conflict, read inside the write transaction that is about to settle it."""
    row = tx.conn.execute(
        select(conflicts).where(conflicts.c.id == conflict_id, conflicts.c.resolved_at.is_(None))
    ).first()
    return _open_conflict(row) if row is not None else None


def mark_resolved(
    tx: Transaction, conflict: OpenConflict, *, choice: str, by: str, at: str
) -> list[int]:
    """Mark a conflict resolved, with the open conflicts of the same field of the same record
    (an earlier sync's disagreement about a field is settled by choosing its value now).
    Returns the ids marked."""
    same = and_(
        conflicts.c.entity == conflict.entity,
        conflicts.c.record_id == conflict.record_id,
        conflicts.c.field == conflict.field,
        conflicts.c.resolved_at.is_(None),
    )
    ids = [int(r.id) for r in tx.conn.execute(select(conflicts.c.id).where(same))]
    for conflict_id in ids:
        resolution: dict[str, Any] = {"choice": choice, "by": by}
        if conflict_id != conflict.id:
            resolution["settled_with"] = conflict.id
        tx.conn.execute(
            update(conflicts)
            .where(conflicts.c.id == conflict_id)
            .values(resolved_at=at, resolution=resolution)
        )
    return ids


def reset_cursor(store: Store) -> None:
    """After `reset_required`: forget the cursor and remember that a full download is due; the
    journal stays and is pushed again."""
    with store.transaction() as tx:
        tx.conn.execute(delete(settings_table).where(settings_table.c.key.in_([CURSOR, EPOCH])))
        _setting(tx.conn, RESET_PENDING, True)


def reset_done(store: Store) -> None:
    with store.transaction() as tx:
        tx.conn.execute(delete(settings_table).where(settings_table.c.key == RESET_PENDING))


def purge_settled(store: Store, client_ids: Iterable[str]) -> list[str]:
    """Purge these clients where nothing of theirs waits to be pushed; returns those purged."""
    with store.transaction() as tx:
        return [cid for cid in client_ids if _purge_if_settled(tx.conn, cid, actor=store.actor)]


def drop_unreceived(store: Store, received: set[tuple[str, str]]) -> int:
    """After a full download: remove rows the server did not send, except those with entries
    still waiting to be pushed (they are ours and will reach the server)."""
    dropped = 0
    with store.transaction() as tx:
        conn = tx.conn
        waiting = {
            (r.entity, r.record_id)
            for r in conn.execute(select(journal_table.c.entity, journal_table.c.record_id))
        }
        for entity, table in reversed(list(ENTITY_TABLES.items())):
            for row in conn.execute(select(table.c.id)).all():
                key = (entity, str(row.id))
                if key in received or key in waiting:
                    continue
                if entity == "client":
                    purge_client(conn, str(row.id), actor=store.actor)
                else:
                    conn.execute(delete(table).where(table.c.id == row.id))
                dropped += 1
    return dropped


def missing_blobs(store: Store) -> list[str]:
    """Digests of attachments held here whose bytes are not (an attachment pulled from the
    server arrives as a record first; its content follows)."""
    with store.read_transaction() as conn:
        rows = conn.execute(
            select(attachments.c.sha256)
            .where(
                attachments.c.deleted.is_(False),
                attachments.c.sha256.not_in(select(attachment_blobs.c.sha256)),
            )
            .distinct()
            .order_by(attachments.c.sha256)
        )
        return [str(r.sha256) for r in rows]
