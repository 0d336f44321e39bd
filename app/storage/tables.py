"""Tables of the local database. Column names equal the domain's field names (`to_fields`), so a row
is a field dict plus the sync bookkeeping columns; a test keeps the two in step.

Dates are ISO strings and times ISO strings in UTC, exactly as the domain's field dicts carry them,
so what is compared for merging is what is stored.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.types import TypeEngine

from app.domain.schema import FIELDS, FieldSpec

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ISO_DATE = String(10)
ISO_TIME = String(40)
UUID = String(36)


def _sync_columns() -> list[Column[Any]]:
    """Bookkeeping every syncable row has: server version (null until the server has it),
    last local change, and a tombstone flag (deletes must sync too)."""
    return [
        Column("version", Integer, nullable=True),
        Column("updated_at", ISO_TIME, nullable=False),
        Column("deleted", Boolean, nullable=False, default=False),
    ]


def _column_type(spec: FieldSpec) -> TypeEngine[Any]:
    match spec.kind:
        case "str":
            return String(spec.length)
        case "text":
            return Text()
        case "int":
            return Integer()
        case "bool":
            return Boolean()
        case "date":
            return ISO_DATE
        case "datetime":
            return ISO_TIME
        case "json":
            return JSON()
        case "uuid":
            return UUID
    raise ValueError(spec.kind)


# Per entity: which fields get an index here (lookups the device does often), which are unique.
_INDEXED = {
    "visit": {"planned_at"},
    "intake": {"status"},
    "intake_round": {"intake_id"},
    "review_comment": {"intake_id"},
    "plan_action": {"plan_id"},
    "attachment": {"sha256"},
}
_UNIQUE = {"client": {"bsn"}}


def _entity_table(name: str, entity: str, *extra: Column[Any] | Index) -> Table:
    columns: list[Column[Any]] = [Column("id", UUID, primary_key=True)]
    for spec in FIELDS[entity]:
        if spec.name == "client_id":
            columns.append(
                Column("client_id", UUID, ForeignKey("clients.id"), nullable=False, index=True)
            )
            continue
        columns.append(
            Column(
                spec.name,
                _column_type(spec),
                nullable=spec.nullable,
                index=spec.name in _INDEXED.get(entity, ()) or None,
                unique=spec.name in _UNIQUE.get(entity, ()) or None,
            )
        )
    return Table(name, metadata, *columns, *_sync_columns(), *extra)


clients = _entity_table(
    "clients",
    "client",
    # Derived here, not a field: surname, initials, prefix folded (see PersonName.sort_key), so
    # the caseload sorts "Öztürk" under O in SQL, with an index, without a Python collation.
    Column("sort_key", String(250), nullable=False),
    Index("ix_clients_sort_key", "sort_key"),
    Index("ix_clients_village", "village"),
)
household_members = _entity_table("household_members", "household_member")
enrollments = _entity_table("enrollments", "enrollment")
visits = _entity_table("visits", "visit")
intakes = _entity_table("intakes", "intake")
intake_rounds = _entity_table("intake_rounds", "intake_round")
review_comments = _entity_table("review_comments", "review_comment")
client_plans = _entity_table("client_plans", "client_plan")
plan_actions = _entity_table("plan_actions", "plan_action")
notes = _entity_table("notes", "note")
attachments = _entity_table("attachments", "attachment")

# Attachment bytes, content-addressed, inside the encrypted database: never a plaintext file.
attachment_blobs = Table(
    "attachment_blobs",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("data", LargeBinary, nullable=False),
)

# The outbox. `seq` is the device's own increasing mutation number; `mutation_id` the idempotency
# key the server stores its answer under.
journal = Table(
    "journal",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("mutation_id", UUID, nullable=False, unique=True),
    Column("entity", String(30), nullable=False),
    Column("record_id", UUID, nullable=False),
    Column("client_id", UUID, nullable=False, index=True),
    Column("op", String(10), nullable=False),
    Column("base_version", Integer, nullable=True),
    Column("base_values", JSON, nullable=False),
    Column("new_values", JSON, nullable=False),
    Column("created_at", ISO_TIME, nullable=False),
    # AUTOINCREMENT: a plain rowid would hand out a number again once the journal is empty, and
    # the server would answer a new entry with the stored answer of the old one.
    sqlite_autoincrement=True,
)

# Append-only, hash-chained: each event's hash covers its content and the previous hash.
audit_events = Table(
    "audit_events",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("event_id", UUID, nullable=False, unique=True),
    Column("at", ISO_TIME, nullable=False),
    Column("actor", String(100), nullable=False),
    Column("action", String(30), nullable=False),
    Column("entity", String(30), nullable=False),
    Column("record_id", String(64), nullable=True),
    Column("client_id", UUID, nullable=True, index=True),
    Column("details", JSON, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

# Field values of ours the server did not take (the same field changed on both sides, an edit
# of a deleted record, a rejected entry). Kept until a person resolves them: nothing typed is lost.
conflicts = Table(
    "conflicts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entity", String(30), nullable=False),
    Column("record_id", UUID, nullable=False),
    Column("client_id", UUID, nullable=False, index=True),
    Column("field", String(60), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("base", JSON, nullable=True),
    Column("mine", JSON, nullable=True),
    Column("theirs", JSON, nullable=True),
    Column("mutation_id", UUID, nullable=False),
    Column("code", String(60), nullable=True),
    Column("created_at", ISO_TIME, nullable=False),
    Column("resolved_at", ISO_TIME, nullable=True),
    Column("resolution", JSON, nullable=True),
)

# Small device state: sync cursor, device id, settings. Values are JSON.
settings = Table(
    "settings",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("value", JSON, nullable=False),
)

# Entity name -> table, in parent-before-child order.
ENTITY_TABLES: dict[str, Table] = {
    "client": clients,
    "household_member": household_members,
    "enrollment": enrollments,
    "visit": visits,
    "intake": intakes,
    "intake_round": intake_rounds,
    "review_comment": review_comments,
    "client_plan": client_plans,
    "plan_action": plan_actions,
    "note": notes,
    "attachment": attachments,
}

SYNC_COLUMNS = frozenset({"id", "version", "updated_at", "deleted"})

# Columns the device derives from fields; never part of a field dict, never synced.
DERIVED_COLUMNS: dict[str, frozenset[str]] = {"clients": frozenset({"sort_key"})}
NOT_FIELDS = SYNC_COLUMNS | frozenset().union(*DERIVED_COLUMNS.values())
