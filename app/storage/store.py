"""The local store: repositories over the encrypted database.

Every create, update and delete writes, in one transaction, the row, a change-journal entry (the
outbox sync pushes) and a hash-chained audit event. Nothing leaves this module as an ORM object or
a connection: callers get frozen domain records and small frozen summaries.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, Row, Table, func, insert, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from app.domain.client import Client, Enrollment, HouseholdMember
from app.domain.errors import VeldwerkError
from app.domain.house_numbers import house_number_text
from app.domain.intake import Intake
from app.domain.merge import same_value
from app.domain.notes import Attachment, Note
from app.domain.plan import ClientPlan, PlanAction
from app.domain.records import Record
from app.domain.review import IntakeRound, ReviewComment
from app.domain.values import Bsn, PersonName
from app.domain.visit import Visit
from app.storage import audit
from app.storage.engine import read_transaction
from app.storage.search import match_query
from app.storage.tables import (
    ENTITY_TABLES,
    NOT_FIELDS,
    attachment_blobs,
    clients,
    journal,
    settings,
)

R = TypeVar("R", bound=Record)

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class RecordNotFound(VeldwerkError):
    def __init__(self, entity: str) -> None:
        super().__init__(
            "record_not_found",
            "Dit gegeven bestaat niet (meer) op dit apparaat.",
            "This record does not exist (any more) on this device.",
        )
        self.entity = entity


class DuplicateBsn(VeldwerkError):
    def __init__(self) -> None:
        super().__init__(
            "duplicate_bsn",
            "Er is al een cliënt met dit BSN.",
            "There already is a client with this BSN.",
        )


@dataclass(frozen=True, slots=True)
class JournalEntry:
    seq: int
    mutation_id: str
    entity: str
    record_id: str
    client_id: str
    op: str
    base_version: int | None
    base_values: dict[str, Any]
    new_values: dict[str, Any]
    created_at: str


@dataclass(frozen=True, slots=True)
class ClientSummary:
    """One line of the caseload: enough to list, sort, filter and open a dossier."""

    id: str
    bsn: str
    formal_name: str
    display_name: str
    date_of_birth: str
    street_line: str
    postcode: str
    village: str
    municipality: str
    participation_step: int | None


@dataclass(frozen=True, slots=True)
class Dossier:
    client: Client
    household: tuple[HouseholdMember, ...]
    enrollments: tuple[Enrollment, ...]
    visits: tuple[Visit, ...]
    intakes: tuple[Intake, ...]
    plans: tuple[ClientPlan, ...]
    notes: tuple[Note, ...]
    attachments: tuple[Attachment, ...]
    # Every intake's rounds and review comments, oldest first.
    intake_rounds: tuple[IntakeRound, ...] = ()
    review_comments: tuple[ReviewComment, ...] = ()
    # Every plan version's actions, in their order.
    plan_actions: tuple[PlanAction, ...] = ()


def _fields_of(row: Row[Any]) -> dict[str, Any]:
    return {k: v for k, v in row._mapping.items() if k not in NOT_FIELDS}


_NAME_FIELDS = ("surname", "initials", "name_prefix")


def derived_columns(entity: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    """Columns the device keeps beside a record's fields (see tables.DERIVED_COLUMNS)."""
    if entity != Client.ENTITY:
        return {}
    name = PersonName(
        surname=fields["surname"], initials=fields["initials"], prefix=fields["name_prefix"]
    )
    return {"sort_key": "\x1f".join(name.sort_key())}


def _record_from_row(record_type: type[R], row: Row[Any]) -> R:
    return record_type.from_fields(str(row.id), _fields_of(row))


def _get_in(conn: Connection, record_type: type[R], record_id: str) -> R | None:
    table = ENTITY_TABLES[record_type.ENTITY]
    row = conn.execute(
        select(table).where(table.c.id == record_id, table.c.deleted.is_(False))
    ).first()
    return _record_from_row(record_type, row) if row else None


def _for_client_in(conn: Connection, record_type: type[R], client_id: str) -> list[R]:
    table = ENTITY_TABLES[record_type.ENTITY]
    rows = conn.execute(
        select(table)
        .where(table.c.client_id == client_id, table.c.deleted.is_(False))
        .order_by(table.c.updated_at, table.c.id)
    ).all()
    return [_record_from_row(record_type, row) for row in rows]


def _dossier_in(conn: Connection, client_id: str) -> Dossier:
    client = _get_in(conn, Client, client_id)
    if client is None:
        raise RecordNotFound(Client.ENTITY)
    return Dossier(
        client=client,
        household=tuple(_for_client_in(conn, HouseholdMember, client_id)),
        enrollments=tuple(_for_client_in(conn, Enrollment, client_id)),
        visits=tuple(sorted(_for_client_in(conn, Visit, client_id), key=lambda v: v.planned_at)),
        intakes=tuple(_for_client_in(conn, Intake, client_id)),
        plans=tuple(sorted(_for_client_in(conn, ClientPlan, client_id), key=lambda p: p.revision)),
        notes=tuple(sorted(_for_client_in(conn, Note, client_id), key=lambda n: n.written_at)),
        attachments=tuple(_for_client_in(conn, Attachment, client_id)),
        intake_rounds=tuple(
            sorted(_for_client_in(conn, IntakeRound, client_id), key=lambda r: r.number)
        ),
        review_comments=tuple(
            sorted(
                _for_client_in(conn, ReviewComment, client_id),
                key=lambda c: (c.written_at, c.id),
            )
        ),
        plan_actions=tuple(
            sorted(_for_client_in(conn, PlanAction, client_id), key=lambda a: (a.rank, a.id))
        ),
    )


_SUMMARY_COLUMNS = (
    clients.c.id,
    clients.c.bsn,
    clients.c.initials,
    clients.c.first_names,
    clients.c.name_prefix,
    clients.c.surname,
    clients.c.date_of_birth,
    clients.c.street,
    clients.c.house_number,
    clients.c.house_number_addition,
    clients.c.postcode,
    clients.c.village,
    clients.c.municipality,
    clients.c.participation_step,
)


def _summary(row: Row[*tuple[Any, ...]]) -> ClientSummary:
    name = PersonName(
        surname=row.surname,
        first_names=row.first_names,
        initials=row.initials,
        prefix=row.name_prefix,
    )
    number = house_number_text(row.house_number, row.house_number_addition)
    return ClientSummary(
        id=row.id,
        bsn=row.bsn,
        formal_name=name.formal(),
        display_name=name.display(),
        date_of_birth=row.date_of_birth,
        street_line=f"{row.street} {number}",
        postcode=row.postcode,
        village=row.village,
        municipality=row.municipality,
        participation_step=row.participation_step,
    )


def write_setting(conn: Connection, key: str, value: Any) -> None:
    """One statement, not a delete and an insert: a sync round writes several settings."""
    conn.execute(
        sqlite_insert(settings)
        .values(key=key, value=value)
        .on_conflict_do_update(index_elements=[settings.c.key], set_={"value": value})
    )


class Transaction:
    """Writes inside one database transaction; made by `Store.transaction()`."""

    def __init__(self, conn: Connection, *, actor: str, clock: Clock) -> None:
        self.conn = conn
        self._actor = actor
        self._clock = clock

    def _now(self) -> str:
        return self._clock().astimezone(UTC).isoformat()

    @staticmethod
    def _journal_row(
        *,
        entity: str,
        record_id: str,
        client_id: str,
        op: str,
        base_version: int | None,
        base_values: Mapping[str, Any],
        new_values: Mapping[str, Any],
        at: str,
    ) -> dict[str, Any]:
        return {
            "mutation_id": str(uuid.uuid4()),
            "entity": entity,
            "record_id": record_id,
            "client_id": client_id,
            "op": op,
            "base_version": base_version,
            "base_values": dict(base_values),
            "new_values": dict(new_values),
            "created_at": at,
        }

    def _audit(
        self,
        action: str,
        entity: str,
        record_id: str | None,
        client_id: str | None,
        **details: Any,
    ) -> None:
        # The chain's end is looked up each time (a primary-key lookup) rather than remembered:
        # a rolled-back savepoint may have removed the event we would remember.
        audit.append(
            self.conn,
            at=self._now(),
            actor=self._actor,
            action=action,
            entity=entity,
            record_id=record_id,
            client_id=client_id,
            details=details,
        )

    def create(self, record: R) -> R:
        self.create_many([record])
        return record

    def create_many(self, records: Sequence[Record]) -> None:
        """Create records (parents before children) with one journal entry and one audit event
        each, written with one statement per table: the fast path for imports and bulk work."""
        if not records:
            return
        at = self._now()
        rows: dict[str, list[dict[str, Any]]] = {}
        journal_rows: list[dict[str, Any]] = []
        for record in records:
            fields = record.to_fields()
            rows.setdefault(record.ENTITY, []).append(
                {
                    "id": record.id,
                    **fields,
                    **derived_columns(record.ENTITY, fields),
                    "version": None,
                    "updated_at": at,
                    "deleted": False,
                }
            )
            journal_rows.append(
                self._journal_row(
                    entity=record.ENTITY,
                    record_id=record.id,
                    client_id=record.client_id,
                    op="create",
                    base_version=None,
                    base_values={},
                    new_values=fields,
                    at=at,
                )
            )
        # Tables in parent-before-child order, so foreign keys hold at every statement.
        for entity, table in ENTITY_TABLES.items():
            if entity in rows:
                self._insert(table, rows[entity])
        self.conn.execute(insert(journal), journal_rows)
        head = audit.last_hash(self.conn)
        events = []
        for record in records:
            event = audit.new_event(
                head,
                at=at,
                actor=self._actor,
                action="create",
                entity=record.ENTITY,
                record_id=record.id,
                client_id=record.client_id,
            )
            events.append(event)
            head = event["hash"]
        audit.append_rows(self.conn, events)

    def for_client(self, record_type: type[R], client_id: str) -> list[R]:
        return _for_client_in(self.conn, record_type, client_id)

    def get(self, record_type: type[R], record_id: str) -> R | None:
        """The record as this transaction sees it (None when missing or deleted)."""
        return _get_in(self.conn, record_type, record_id)

    def update(self, record: R) -> R:
        table = ENTITY_TABLES[record.ENTITY]
        row = self.conn.execute(
            select(table).where(table.c.id == record.id, table.c.deleted.is_(False))
        ).first()
        if row is None:
            raise RecordNotFound(record.ENTITY)
        old = _fields_of(row)
        new = record.to_fields()
        changed = sorted(k for k in new if not same_value(old.get(k), new[k]))
        if not changed:
            return record
        if (
            isinstance(record, Client)
            and "bsn" in changed
            and self._bsn_taken(record.bsn, exclude=record.id)
        ):
            raise DuplicateBsn()
        at = self._now()
        self.conn.execute(
            update(table)
            .where(table.c.id == record.id)
            .values(
                **{k: new[k] for k in changed},
                **(derived_columns(record.ENTITY, new) if set(changed) & set(_NAME_FIELDS) else {}),
                updated_at=at,
            )
        )
        self._write_journal(
            entity=record.ENTITY,
            record_id=record.id,
            client_id=record.client_id,
            op="update",
            base_version=row.version,
            base_values={k: old.get(k) for k in changed},
            new_values={k: new[k] for k in changed},
            at=at,
        )
        self._audit("update", record.ENTITY, record.id, record.client_id, fields=changed)
        return record

    def command(self, before: R, after: R, *, command: str, **payload: Any) -> R:
        """A state change with rules (submit, approve, return, activate, close): the domain made
        `after` from `before`; the row shows it at once, and the journal carries the command, not
        the fields, so the server checks the rule again instead of taking status as an edit."""
        table = ENTITY_TABLES[after.ENTITY]
        old, new = before.to_fields(), after.to_fields()
        changed = {k: v for k, v in new.items() if not same_value(old.get(k), v)}
        row = self.conn.execute(select(table.c.version).where(table.c.id == after.id)).first()
        if row is None:
            raise RecordNotFound(after.ENTITY)
        at = self._now()
        self.conn.execute(
            update(table).where(table.c.id == after.id).values(**changed, updated_at=at)
        )
        self._write_journal(
            entity=after.ENTITY,
            record_id=after.id,
            client_id=after.client_id,
            op="command",
            base_version=row.version,
            base_values={},
            new_values={"command": command, **payload},
            at=at,
        )
        self._audit(command, after.ENTITY, after.id, after.client_id)
        return after

    def delete(self, record_type: type[Record], record_id: str) -> None:
        """A tombstone, not a removal: the delete has to reach the server like any edit."""
        table = ENTITY_TABLES[record_type.ENTITY]
        row = self.conn.execute(
            select(table).where(table.c.id == record_id, table.c.deleted.is_(False))
        ).first()
        if row is None:
            raise RecordNotFound(record_type.ENTITY)
        client_id = str(row.id if record_type is Client else row.client_id)
        at = self._now()
        self.conn.execute(
            update(table).where(table.c.id == record_id).values(deleted=True, updated_at=at)
        )
        self._write_journal(
            entity=record_type.ENTITY,
            record_id=record_id,
            client_id=client_id,
            op="delete",
            base_version=row.version,
            base_values={},
            new_values={},
            at=at,
        )
        self._audit("delete", record_type.ENTITY, record_id, client_id)

    def apply_remote(self, record: Record, *, version: int) -> None:
        """Write a record as the server holds it: synced (with its version), so no journal entry.

        Used for records that arrive from the central office rather than being typed here.
        """
        table = ENTITY_TABLES[record.ENTITY]
        fields = record.to_fields()
        values = {
            **fields,
            **derived_columns(record.ENTITY, fields),
            "version": version,
            "updated_at": self._now(),
        }
        upsert = sqlite_insert(table).values(id=record.id, deleted=False, **values)
        self.conn.execute(
            upsert.on_conflict_do_update(
                index_elements=[table.c.id], set_={**values, "deleted": False}
            )
        )

    def record_event(
        self,
        action: str,
        entity: str,
        *,
        record_id: str | None = None,
        client_id: str | None = None,
        **details: Any,
    ) -> None:
        """An audited act that changes no record: viewing a dossier, exporting, printing."""
        self._audit(action, entity, record_id, client_id, **details)

    def _write_journal(self, **entry: Any) -> None:
        self.conn.execute(insert(journal), self._journal_row(**entry))

    def put_blob(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        exists = self.conn.execute(
            select(attachment_blobs.c.sha256).where(attachment_blobs.c.sha256 == digest)
        ).first()
        if exists is None:
            self.conn.execute(insert(attachment_blobs).values(sha256=digest, data=data))
        return digest

    def set_setting(self, key: str, value: Any) -> None:
        write_setting(self.conn, key, value)

    def _insert(self, table: Table, rows: list[dict[str, Any]]) -> None:
        try:
            self.conn.execute(insert(table), rows)
        except IntegrityError as error:
            # The unique index on clients.bsn decides; asking first would cost a query per row.
            if table is clients and "clients.bsn" in str(error.orig):
                raise DuplicateBsn() from None
            raise

    def _bsn_taken(self, bsn: Bsn, *, exclude: str | None) -> bool:
        query = select(clients.c.id).where(clients.c.bsn == bsn.value)
        if exclude is not None:
            query = query.where(clients.c.id != exclude)
        return self.conn.execute(query).first() is not None


class Store:
    """One unlocked profile's database, acting for one user."""

    def __init__(self, engine: Engine, *, actor: str, clock: Clock = utc_now) -> None:
        self._engine: Engine | None = engine
        self.actor = actor
        self._clock = clock

    def _bound(self) -> Engine:
        # The engine stays inside the storage package: services and the UI reach the database
        # only through Store methods and app.storage.queries.
        if self._engine is None:
            raise VeldwerkError(
                "store_closed",
                "De gegevens zijn vergrendeld.",
                "The data is locked.",
            )
        return self._engine

    @property
    def is_open(self) -> bool:
        return self._engine is not None

    def close(self) -> None:
        """Close every connection; with the engine goes the only reference to the key here."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """A write transaction: it takes SQLite's write lock at its start (BEGIN IMMEDIATE)."""
        with self._bound().begin() as conn:
            yield Transaction(conn, actor=self.actor, clock=self._clock)

    @contextmanager
    def read_transaction(self) -> Iterator[Connection]:
        """A read transaction for the storage package's own reads (Store methods and
        app.storage.queries); services call those, never this.

        It begins deferred and, in WAL mode, reads one snapshot without taking or waiting for
        the write lock, so screens load while sync writes. It cannot write (query_only).
        """
        with read_transaction(self._bound()) as conn:
            yield conn

    # Writes, each in its own transaction.
    def create(self, record: R) -> R:
        with self.transaction() as tx:
            return tx.create(record)

    def update(self, record: R) -> R:
        with self.transaction() as tx:
            return tx.update(record)

    def command(self, before: R, after: R, *, command: str, **payload: Any) -> R:
        with self.transaction() as tx:
            return tx.command(before, after, command=command, **payload)

    def delete(self, record_type: type[Record], record_id: str) -> None:
        with self.transaction() as tx:
            tx.delete(record_type, record_id)

    def record_event(self, action: str, entity: str, **kwargs: Any) -> None:
        with self.transaction() as tx:
            tx.record_event(action, entity, **kwargs)

    def put_blob(self, data: bytes) -> str:
        with self.transaction() as tx:
            return tx.put_blob(data)

    def set_setting(self, key: str, value: Any) -> None:
        with self.transaction() as tx:
            tx.set_setting(key, value)

    # Reads.
    def get(self, record_type: type[R], record_id: str) -> R | None:
        with self.read_transaction() as conn:
            return _get_in(conn, record_type, record_id)

    def for_client(self, record_type: type[R], client_id: str) -> list[R]:
        with self.read_transaction() as conn:
            return _for_client_in(conn, record_type, client_id)

    def client_by_bsn(self, bsn: Bsn) -> Client | None:
        with self.read_transaction() as conn:
            row = conn.execute(
                select(clients).where(clients.c.bsn == bsn.value, clients.c.deleted.is_(False))
            ).first()
        return _record_from_row(Client, row) if row else None

    def read_dossier(self, client_id: str) -> Dossier:
        """Everything about one client, read in one snapshot, without auditing an opening
        (for reading an opened dossier again after an edit)."""
        with self.read_transaction() as conn:
            return _dossier_in(conn, client_id)

    def open_dossier(self, client_id: str) -> Dossier:
        """Everything about one client. Opening a dossier is audited, offline included."""
        dossier = self.read_dossier(client_id)
        self.record_event("view", Client.ENTITY, record_id=client_id, client_id=client_id)
        return dossier

    def caseload(self, *, limit: int | None = None, offset: int = 0) -> list[ClientSummary]:
        """The caseload sorted like a Dutch list of names: surname, then initials, then prefix."""
        query = (
            select(*_SUMMARY_COLUMNS)
            .where(clients.c.deleted.is_(False))
            .order_by(clients.c.sort_key, clients.c.id)
            .offset(offset)
        )
        if limit is not None:
            query = query.limit(limit)
        with self.read_transaction() as conn:
            return [_summary(row) for row in conn.execute(query)]

    def search(self, text: str, *, limit: int = 50) -> list[ClientSummary]:
        """Search-as-you-type over name, BSN, address, postcode and village (diacritics ignored)."""
        match = match_query(text)
        if match is None:
            return []
        with self.read_transaction() as conn:
            rows = conn.exec_driver_sql(
                "SELECT c.id, c.bsn, c.initials, c.first_names, c.name_prefix, c.surname, "
                "c.date_of_birth, c.street, c.house_number, c.house_number_addition, "
                "c.postcode, c.village, c.municipality, c.participation_step "
                "FROM client_search JOIN clients c ON c.rowid = client_search.rowid "
                "WHERE client_search MATCH ? AND c.deleted = 0 "
                "ORDER BY client_search.rank LIMIT ?",
                (match, limit),
            ).all()
        return [_summary(row) for row in rows]

    def count(self, record_type: type[Record]) -> int:
        table = ENTITY_TABLES[record_type.ENTITY]
        with self.read_transaction() as conn:
            return int(
                conn.execute(
                    select(func.count()).select_from(table).where(table.c.deleted.is_(False))
                ).scalar_one()
            )

    def journal_entries(self, *, limit: int | None = None) -> list[JournalEntry]:
        query = select(journal).order_by(journal.c.seq)
        if limit is not None:
            query = query.limit(limit)
        with self.read_transaction() as conn:
            return [JournalEntry(**row._asdict()) for row in conn.execute(query)]

    def pending_count(self) -> int:
        with self.read_transaction() as conn:
            return int(conn.execute(select(func.count()).select_from(journal)).scalar_one())

    def audit_events(self, *, client_id: str | None = None) -> list[audit.AuditEvent]:
        with self.read_transaction() as conn:
            return audit.events(conn, client_id=client_id)

    def audit_events_after(self, seq: int, *, limit: int) -> list[audit.AuditEvent]:
        with self.read_transaction() as conn:
            return audit.events_after(conn, seq, limit=limit)

    def verify_audit(self) -> int:
        with self.read_transaction() as conn:
            return audit.verify_chain(conn)

    def get_blob(self, sha256: str) -> bytes | None:
        with self.read_transaction() as conn:
            row = conn.execute(
                select(attachment_blobs.c.data).where(attachment_blobs.c.sha256 == sha256)
            ).first()
        return bytes(row.data) if row else None

    def setting(self, key: str, default: Any = None) -> Any:
        with self.read_transaction() as conn:
            row = conn.execute(select(settings.c.value).where(settings.c.key == key)).first()
        return row.value if row else default

    def settings(self, *keys: str) -> dict[str, Any]:
        """Several settings in one read (None for a missing one): each read is a transaction."""
        with self.read_transaction() as conn:
            rows = conn.execute(
                select(settings.c.key, settings.c.value).where(settings.c.key.in_(keys))
            )
            found = {str(key): value for key, value in rows}
        return {key: found.get(key) for key in keys}
