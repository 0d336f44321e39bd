"""The central database.

Organisation data (users, teams, assignments, devices, audit) are ORM classes. Dossier records are
Core tables built from `app.domain.schema`, the same description the device builds its tables
from, so a record's field dict means the same on both sides.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator, TypeEngine

from app.domain.roles import Role
from app.domain.schema import FIELDS, FieldSpec

ROLES: tuple[Role, ...] = tuple(Role)


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_name)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
        }
    )


metadata = Base.metadata


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware in and out on every backend: SQLite hands back naive values otherwise."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime")
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


TIMESTAMP = UtcDateTime()


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP)


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)


class TeamMember(Base):
    """A caseworker belongs to at most one team."""

    __tablename__ = "team_members"

    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, unique=True)


class Assignment(Base):
    """Which caseworker holds a client, with history: the open row (ended_at null) is current."""

    __tablename__ = "assignments"
    __table_args__ = (
        Index(
            "uq_assignments_current",
            "client_id",
            unique=True,
            sqlite_where=text("ended_at IS NULL"),
            postgresql_where=text("ended_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id"), index=True)
    caseworker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_at: Mapped[datetime] = mapped_column(TIMESTAMP)
    assigned_by: Mapped[str] = mapped_column(String(100))
    ended_at: Mapped[datetime | None] = mapped_column(TIMESTAMP, nullable=True)


class Device(Base):
    __tablename__ = "devices"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    enrolled_at: Mapped[datetime] = mapped_column(TIMESTAMP)
    last_seen: Mapped[datetime | None] = mapped_column(TIMESTAMP, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(TIMESTAMP, nullable=True)
    # The Veldwerk version it last said hello with (for rolling out a new client version).
    app_version: Mapped[str | None] = mapped_column(String(40), nullable=True)


class EnrollmentCode(Base):
    """One-time codes an admin hands a user; stored hashed, valid for a day, used once."""

    __tablename__ = "enrollment_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP)
    expires_at: Mapped[datetime] = mapped_column(TIMESTAMP)
    used_at: Mapped[datetime | None] = mapped_column(TIMESTAMP, nullable=True)


class LoginFailure(Base):
    """Failed password attempts, counted per user name and per address within a window."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(TIMESTAMP, index=True)


class AuditEntry(Base):
    """Append-only: who did what to which record, from which device, when. No field values."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(TIMESTAMP, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    device_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Village(Base):
    """Reference data, loaded from resources/reference by `init-db`."""

    __tablename__ = "villages"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    postcode_digits: Mapped[str] = mapped_column(String(4))
    municipality: Mapped[str] = mapped_column(String(100))
    current_municipality: Mapped[str] = mapped_column(String(100))


class Scheme(Base):
    __tablename__ = "schemes"

    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    name_nl: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))


def _column_type(spec: FieldSpec) -> TypeEngine[Any]:
    # Dates and times stay ISO strings, exactly as the field dicts carry them, so comparing a
    # device's base value with the server's value is comparing equal things.
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
            return String(10)
        case "datetime":
            return String(40)
        case "json":
            return JSON()
        case "uuid":
            return String(36)
    raise ValueError(spec.kind)


def _record_table(name: str, entity: str) -> Table:
    columns: list[Column[Any]] = [Column("id", String(36), primary_key=True)]
    for spec in FIELDS[entity]:
        if spec.name == "client_id":
            columns.append(
                Column(
                    "client_id", String(36), ForeignKey("clients.id"), nullable=False, index=True
                )
            )
        else:
            columns.append(Column(spec.name, _column_type(spec), nullable=spec.nullable))
    return Table(
        name,
        metadata,
        *columns,
        Column("version", Integer, nullable=False),
        Column("deleted", Boolean, nullable=False),
        Column("updated_at", TIMESTAMP, nullable=False),
        Column("updated_by", String(100), nullable=False),
        # Where the record's latest change stands in the change feed devices pull from. Null
        # while the writing transaction is open; stamped just before its commit (server.sync.feed).
        Column("position", BigInteger, nullable=True, index=True),
    )


clients = _record_table("clients", "client")
clients.append_constraint(UniqueConstraint("bsn", name="uq_clients_bsn"))
household_members = _record_table("household_members", "household_member")
enrollments = _record_table("enrollments", "enrollment")
visits = _record_table("visits", "visit")
intakes = _record_table("intakes", "intake")
intake_rounds = _record_table("intake_rounds", "intake_round")
review_comments = _record_table("review_comments", "review_comment")
# Rounds and threads are read per intake (the review screen, the open-thread check on approve).
Index("ix_intake_rounds_intake_id", intake_rounds.c.intake_id)
Index("ix_review_comments_intake_id", review_comments.c.intake_id)
client_plans = _record_table("client_plans", "client_plan")
plan_actions = _record_table("plan_actions", "plan_action")
# A plan's actions are read with it (the editor, the signed content's hash).
Index("ix_plan_actions_plan_id", plan_actions.c.plan_id)
notes = _record_table("notes", "note")
attachments = _record_table("attachments", "attachment")

RECORD_TABLES: dict[str, Table] = {
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
RECORD_BOOKKEEPING = frozenset({"id", "version", "deleted", "updated_at", "updated_by", "position"})


class ServerState(Base):
    """One row: the epoch (new when the database is created or restored) and the tombstone
    horizon (positions at or below it may have lost their tombstones)."""

    __tablename__ = "server_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    epoch: Mapped[str] = mapped_column(String(36))
    horizon: Mapped[int] = mapped_column(BigInteger, default=0)


class SyncCounter(Base):
    """The change feed's position counter. Writers update this one row just before commit, so
    the row lock hands out positions in commit order and a late commit is never skipped."""

    __tablename__ = "sync_counter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class ScopeClock(Base):
    """One row, moved by database triggers on every write that can change anyone's scope
    (server migration 0012 lists them): a pull that finds it where it was when the device last
    held exactly its scope need not compare the two again."""

    __tablename__ = "scope_clock"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


class DeviceSync(Base):
    """Per device: the last mutation number applied, and the last audit hash received."""

    __tablename__ = "device_sync"

    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"), primary_key=True)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    audit_head: Mapped[str | None] = mapped_column(String(64), nullable=True)
    audit_broken_at: Mapped[datetime | None] = mapped_column(TIMESTAMP, nullable=True)
    last_pull_at: Mapped[datetime | None] = mapped_column(TIMESTAMP, nullable=True)
    # As the device last said in hello: conflicts wait on the device, where they are settled.
    open_conflicts: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Pages that carried clients in or out, numbered per device (DeviceClient.entered_page).
    pages: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The last pull that found the device holding exactly its scope, with nothing owed: the
    # scope clock then, its cursor's page and position, and the lowest position its clients
    # were read whole at (None: it holds none). Unset whenever what it holds may change.
    settled_clock: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    settled_page: Mapped[int | None] = mapped_column(Integer, nullable=True)
    settled_position: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    settled_floor: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    # The number of the last page request answered (app.sync.protocol.ORDER_HEADER).
    last_order: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class DeviceMutation(Base):
    """Each applied entry's answer, so a replayed entry gets the same answer and changes nothing."""

    __tablename__ = "device_mutations"

    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    mutation_id: Mapped[str] = mapped_column(String(36))
    answer: Mapped[dict[str, Any]] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(TIMESTAMP)
    # The client the entry was about: an answer may carry the record's values (a refusal, a
    # conflict, a command's result), and those go when the client's file is destroyed.
    client_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)


class DeviceClient(Base):
    """Which clients each device holds, so scope changes can be sent as enter and exit.

    `entered_page` / `exited_page` number the page that carried the change (per device,
    `DeviceSync.pages`): until the device pulls with a cursor at or past that page, it may have
    missed it (a crash before applying it), so the enter or exit is sent again. `entered_at` is
    the feed position the client's whole records were read at: changes at or below it are not
    sent again. Rows from before page numbers (page 0) use the positions for both.
    """

    __tablename__ = "device_clients"

    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    entered_at: Mapped[int] = mapped_column(BigInteger)
    exited_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    entered_page: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    exited_page: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Conflict(Base):
    """A device's value that did not become current: kept for a person to resolve."""

    __tablename__ = "conflicts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity: Mapped[str] = mapped_column(String(30))
    record_id: Mapped[str] = mapped_column(String(36), index=True)
    client_id: Mapped[str] = mapped_column(String(36), index=True)
    field: Mapped[str] = mapped_column(String(60))
    base: Mapped[Any] = mapped_column(JSON, nullable=True)
    server_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    device_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    device_id: Mapped[str] = mapped_column(String(36))
    mutation_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP)
    resolved_at: Mapped[datetime | None] = mapped_column(TIMESTAMP, nullable=True)


class OrphanedMutation(Base):
    """An edit that arrived after its client left the device's scope: never dropped, kept for
    the new caseworker and the team lead."""

    __tablename__ = "orphaned_mutations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[str] = mapped_column(String(36))
    client_id: Mapped[str] = mapped_column(String(36), index=True)
    entry: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP)
    handled_at: Mapped[datetime | None] = mapped_column(TIMESTAMP, nullable=True)


class Blob(Base):
    """An attachment's bytes, content-addressed: stored once, whoever sends them."""

    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    stored_at: Mapped[datetime] = mapped_column(TIMESTAMP)


class BlobChunk(Base):
    """Part of a blob still arriving, per device: an interrupted upload resumes after the last
    chunk, and no other device can see, continue or reset it."""

    __tablename__ = "blob_chunks"

    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    offset: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    total: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    # An upload that never finishes is removed after the same days as unreferenced bytes.
    received_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=lambda: datetime.now(UTC))


class DeviceAuditEvent(Base):
    """The devices' own audit events (dossiers opened offline included), append-only."""

    __tablename__ = "device_audit_events"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(36), index=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(30))
    entity: Mapped[str] = mapped_column(String(30))
    record_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    client_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    chain_ok: Mapped[bool] = mapped_column(Boolean)


class BlobUpload(Base):
    """Proof of possession: this device sent these bytes whole. An attachment may name a hash
    only if its device uploaded it, or the same bytes are attached to a record in its scope."""

    __tablename__ = "blob_uploads"

    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    at: Mapped[datetime] = mapped_column(TIMESTAMP)


class DeviceHeldClient(Base):
    """Every client a device has ever held (insert-only). Its late edits for a client that left
    it are kept as orphans; edits for a client it never held are refused and stored nowhere."""

    __tablename__ = "device_held_clients"

    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(36), primary_key=True)


class UniquenessCollision(Base):
    """A device created a record whose unique value (a BSN) belongs to a client outside its
    scope. The device gets the generic refusal; central office finds it here and acts on it."""

    __tablename__ = "uniqueness_collisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(TIMESTAMP, index=True)
    device_id: Mapped[str] = mapped_column(String(36))
    username: Mapped[str] = mapped_column(String(100))
    entity: Mapped[str] = mapped_column(String(30))
    record_id: Mapped[str] = mapped_column(String(36))
    field: Mapped[str] = mapped_column(String(60))
    existing_client_id: Mapped[str] = mapped_column(String(36))
    handled_at: Mapped[datetime | None] = mapped_column(TIMESTAMP, nullable=True)


# ------------------------------------------------------------------------------- retention


class LegalHold(Base):
    """Central office stops the destruction of one client's file, with a reason, until lifted.
    At most one hold per client is in force (lifted_at null)."""

    __tablename__ = "legal_holds"
    __table_args__ = (
        Index(
            "uq_legal_holds_current",
            "client_id",
            unique=True,
            sqlite_where=text("lifted_at IS NULL"),
            postgresql_where=text("lifted_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[str] = mapped_column(String(36), index=True)
    reason: Mapped[str] = mapped_column(Text)
    placed_by: Mapped[str] = mapped_column(String(100))
    placed_at: Mapped[datetime] = mapped_column(TIMESTAMP)
    lifted_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    lifted_at: Mapped[datetime | None] = mapped_column(TIMESTAMP, nullable=True)


class ErasureRequest(Base):
    """A client's request to destroy their file (server.retention.erasure): its clock, the
    decision and when it was carried out. Kept after the destruction as the proof that the
    request was answered; it names the client only by its random id."""

    __tablename__ = "erasure_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[str] = mapped_column(String(36), index=True)
    received_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    # The Wmo's and Jeugdwet's three-month right applies (the file holds such a provision).
    statutory: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(20))  # open / carried_out / refused
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(TIMESTAMP)
    decided_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(TIMESTAMP, nullable=True)
    carried_out_at: Mapped[datetime | None] = mapped_column(TIMESTAMP, nullable=True)
    statement_id: Mapped[int | None] = mapped_column(
        ForeignKey("destruction_statements.id"), nullable=True
    )


class DestructionStatement(Base):
    """What a destruction removed, for central office to print and keep: counts per category
    and destruction month, never a client id, name or BSN. Permanent (no update, no delete)."""

    __tablename__ = "destruction_statements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    made_at: Mapped[datetime] = mapped_column(TIMESTAMP)
    made_by: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))  # retention / erasure
    as_of: Mapped[date] = mapped_column(Date)
    # [{"category", "month" (YYYY-MM), "files", "records"}]
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    totals: Mapped[dict[str, int]] = mapped_column(JSON)


class DestroyedClient(Base):
    """The random ids of destroyed clients: a late edit or a re-create under such an id is
    refused (ids are never reused), while the devices that held the client still get its exit
    and may still send their audit events for it."""

    __tablename__ = "destroyed_clients"

    client_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    destroyed_at: Mapped[datetime] = mapped_column(TIMESTAMP)


class AdminSecondFactor(Base):
    """An administrator's TOTP secret (RFC 6238) for the console, set with `veldwerk-server
    console-totp`; `last_step` is the last time step accepted, so a code is used only once."""

    __tablename__ = "admin_second_factors"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    secret: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP)
    last_step: Mapped[int] = mapped_column(BigInteger, default=0)


class ConsoleSession(Base):
    """A browser signed in to the console (/beheer). The cookie carries a random token; only
    its hash is stored. A session is whole once its second factor was given."""

    __tablename__ = "console_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP)
    last_seen_at: Mapped[datetime] = mapped_column(TIMESTAMP)
    second_factor_at: Mapped[datetime | None] = mapped_column(TIMESTAMP, nullable=True)
    failed_codes: Mapped[int] = mapped_column(Integer, default=0)
    csrf_token: Mapped[str] = mapped_column(String(64))
