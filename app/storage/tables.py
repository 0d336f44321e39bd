"""Tables of the local database. Column names equal the domain's field names (`to_fields`), so a row
is a field dict plus the sync bookkeeping columns; a test keeps the two in step.

Dates are ISO strings and times ISO strings in UTC, exactly as the domain's field dicts carry them,
so what is compared for merging is what is stored.
"""

from __future__ import annotations

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


def _sync_columns() -> list[Column[object]]:
    """Bookkeeping every syncable row has: server version (null until the server has it),
    last local change, and a tombstone flag (deletes must sync too)."""
    return [
        Column("version", Integer, nullable=True),
        Column("updated_at", ISO_TIME, nullable=False),
        Column("deleted", Boolean, nullable=False, default=False),
    ]


def _client_ref() -> Column[object]:
    return Column("client_id", UUID, ForeignKey("clients.id"), nullable=False, index=True)


def _name_columns() -> list[Column[object]]:
    return [
        Column("initials", String(20), nullable=False, default=""),
        Column("first_names", String(200), nullable=False, default=""),
        Column("name_prefix", String(20), nullable=False, default=""),
        Column("surname", String(200), nullable=False),
    ]


clients = Table(
    "clients",
    metadata,
    Column("id", UUID, primary_key=True),
    Column("bsn", String(9), nullable=False, unique=True),
    *_name_columns(),
    Column("date_of_birth", ISO_DATE, nullable=False),
    Column("street", String(200), nullable=False),
    Column("house_number", Integer, nullable=False),
    Column("house_number_addition", String(6), nullable=False, default=""),
    Column("postcode", String(7), nullable=False),
    Column("village", String(100), nullable=False),
    Column("municipality", String(100), nullable=False),
    Column("phone", String(20), nullable=True),
    Column("email", String(254), nullable=True),
    Column("participation_step", Integer, nullable=True),
    Column("caseworker", String(100), nullable=False),
    *_sync_columns(),
    Index("ix_clients_sort_name", "surname", "initials", "name_prefix"),
    Index("ix_clients_village", "village"),
)

household_members = Table(
    "household_members",
    metadata,
    Column("id", UUID, primary_key=True),
    _client_ref(),
    Column("relation", String(20), nullable=False),
    *_name_columns(),
    Column("date_of_birth", ISO_DATE, nullable=False),
    Column("bsn", String(9), nullable=True),
    *_sync_columns(),
)

enrollments = Table(
    "enrollments",
    metadata,
    Column("id", UUID, primary_key=True),
    _client_ref(),
    Column("scheme", String(30), nullable=False),
    Column("start_date", ISO_DATE, nullable=False),
    Column("end_date", ISO_DATE, nullable=True),
    Column("caseworker", String(100), nullable=False),
    Column("consent_given", Boolean, nullable=False),
    Column("consent_date", ISO_DATE, nullable=True),
    *_sync_columns(),
)

visits = Table(
    "visits",
    metadata,
    Column("id", UUID, primary_key=True),
    _client_ref(),
    Column("planned_at", ISO_TIME, nullable=False, index=True),
    Column("purpose", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("caseworker", String(100), nullable=False),
    Column("legal_reason", Text, nullable=True),
    Column("legal_identification_shown", Boolean, nullable=True),
    Column("legal_purpose_stated", Boolean, nullable=True),
    Column("legal_entry_consent", String(10), nullable=True),
    Column("notes", Text, nullable=False, default=""),
    Column("outcome", Text, nullable=False, default=""),
    Column("recorded_at", ISO_TIME, nullable=True),
    *_sync_columns(),
)

intakes = Table(
    "intakes",
    metadata,
    Column("id", UUID, primary_key=True),
    _client_ref(),
    Column("caseworker", String(100), nullable=False),
    Column("domain_version", String(20), nullable=False),
    Column("scores", JSON, nullable=False),
    Column("ladder_current", Integer, nullable=True),
    Column("ladder_target", Integer, nullable=True),
    Column("barriers", Text, nullable=False, default=""),
    Column("strengths", Text, nullable=False, default=""),
    Column("status", String(20), nullable=False, index=True),
    Column("submitted_at", ISO_TIME, nullable=True),
    Column("reviewer", String(100), nullable=True),
    Column("reviewed_at", ISO_TIME, nullable=True),
    Column("review_comments", JSON, nullable=False),
    *_sync_columns(),
)

client_plans = Table(
    "client_plans",
    metadata,
    Column("id", UUID, primary_key=True),
    _client_ref(),
    Column("caseworker", String(100), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("status", String(20), nullable=False),
    Column("service_layer", String(30), nullable=False),
    Column("goals", JSON, nullable=False),
    Column("actions", JSON, nullable=False),
    Column("agreements", Text, nullable=False, default=""),
    Column("tegenprestatie", Text, nullable=False, default=""),
    Column("client_signature", JSON, nullable=True),
    Column("caseworker_signature", JSON, nullable=True),
    Column("activated_at", ISO_TIME, nullable=True),
    Column("closed_at", ISO_TIME, nullable=True),
    *_sync_columns(),
)

notes = Table(
    "notes",
    metadata,
    Column("id", UUID, primary_key=True),
    _client_ref(),
    Column("text", Text, nullable=False),
    Column("author", String(100), nullable=False),
    Column("written_at", ISO_TIME, nullable=False),
    *_sync_columns(),
)

attachments = Table(
    "attachments",
    metadata,
    Column("id", UUID, primary_key=True),
    _client_ref(),
    Column("name", String(255), nullable=False),
    Column("media_type", String(100), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    *_sync_columns(),
)

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
    "client_plan": client_plans,
    "note": notes,
    "attachment": attachments,
}

SYNC_COLUMNS = frozenset({"id", "version", "updated_at", "deleted"})
