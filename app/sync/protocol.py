"""The sync wire protocol, shared by the device and the server (versioned under /v1).

Every body is a pydantic model, so both sides validate what they receive the same way. A field
dict travels as the domain's `to_fields()` output: JSON-like values, dates as ISO strings.
"""

from __future__ import annotations

import json
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from app.domain.schema import FIELDS

# 2: hello rides with the round's first push or pull, audit events with the push (a round with
# nothing to send is one request), and a caseload arrives in bounded pages.
# 3: a pull may name the last page applied (`PullRequest.applied`), so the next page is fetched
# while one is applied; its answer names the next cursor in a header too (NEXT_CURSOR_HEADER).
# 4: a push may ask for the round's first pull page in its answer (PULL_HEADER, PushAnswer.page),
# so a round with edits is one request too.
# Servers speak all four.
PROTOCOL_VERSION = 4
SUPPORTED_PROTOCOLS = (1, 4)
PROTOCOL_HEADER = "X-Veldwerk-Protocol"
# Protocol 4: on a push, the pull that should follow it (a PullRequest's JSON: cursor and limit,
# never a hello or an applied cursor), answered in PushAnswer.page once the push is committed.
# A header rather than a field of the push: a server that does not know it ignores it, and the
# device then pulls as before, with no need to know the server's protocol before its first push.
PULL_HEADER = "X-Veldwerk-Pull"
# A pull answer with more to come names the next page's cursor here too, ahead of its body: a
# device on a slow link asks for that page (on a second connection) while this one is still
# arriving, so the link never waits for a request. Servers of protocol 3 send it; a device
# that does not see it asks after the body, as before.
NEXT_CURSOR_HEADER = "X-Veldwerk-Next-Cursor"
# Every request of a device is numbered here, increasing, one number per attempt. A request
# given up can still reach the server after later ones: TCP goes on delivering what a closed
# socket had sent into an outage. A page asked for on such an old cursor would take the pages
# the device applied since as unapplied, and owe their clients again. So the server answers a
# page request numbered below the last it answered with 409 `out_of_order` (ORDER_REFUSAL),
# changing nothing; its body names the last number (`last_order`), which a device that is
# behind (its clock went back) continues after. Optional, as the other headers: a server that
# does not know it ignores it, and a request without it is not compared.
ORDER_HEADER = "X-Veldwerk-Order"
ORDER_REFUSAL = "out_of_order"
# A device that sends this header ("1") takes a page's JSON fields (a plan's goals and
# signatures, an intake round's answers) as their JSON text in a string, and the page says so
# (`Page.json_text`). A third of a first sync's bytes are such values: parsed into objects only
# to be written back as text, they cost the device about as much as the rest of the page. A
# server that does not know the header sends objects, as does this one to a device that does
# not send it.
JSON_TEXT_HEADER = "X-Veldwerk-Json-Text"
MAX_PUSH_ENTRIES = 100
MAX_PUSH_BYTES = 1_000_000
# As many keys as the largest record has fields (the brede intake: one field per answer), so a
# create always fits one entry; anything beyond names fields no record has.
MAX_ENTRY_KEYS = max(len(fields) for fields in FIELDS.values())
MAX_CLOCK_SKEW_SECONDS = 300
DEFAULT_PAGE_SIZE = 500
MAX_PAGE_SIZE = 5000
# Numbers that fit a 64-bit column and survive JSON in any language (2**53).
MAX_SEQ = 9_007_199_254_740_992


def has_nul(value: Any) -> bool:
    # JSON text escapes every NUL as \u0000, and the C encoder reads a whole page of records
    # far faster than a walk in Python; only a hit (or a literal backslash-u0000) is walked.
    try:
        text = json.dumps(value, default=str)
    except (TypeError, ValueError):
        return _walk_has_nul(value)
    return "\\u0000" in text and _walk_has_nul(value)


def _walk_has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_walk_has_nul(k) or _walk_has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_walk_has_nul(v) for v in value)
    return False


class Message(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    # What the server sends a device from its database (checked on the way in) is not looked
    # through again: a first sync's pages are tens of thousands of values.
    _from_server_store: ClassVar[bool] = False

    @model_validator(mode="before")
    @classmethod
    def _refuse_nul(cls, data: Any) -> Any:
        # PostgreSQL cannot store NUL in text: refuse it at the boundary, on both sides.
        if not cls._from_server_store and has_nul(data):
            raise ValueError("text may not contain NUL characters")
        return data


class EnrollRequest(Message):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=1024)
    enrollment_code: str = Field(min_length=1, max_length=40)
    device_name: str = Field(default="", max_length=100)


class Enrolled(Message):
    device_id: str
    token: str
    username: str
    role: str
    # The name printed on documents ("Klantmanager: Karin Dijkstra"); empty from older servers.
    display_name: str = ""


class Hello(Message):
    device_id: str = Field(max_length=36)
    protocol: int = Field(ge=1)
    schema_version: str = Field(max_length=40)
    app_version: str = Field(max_length=40)
    # Aware only: a naive time cannot be compared with the server's clock (422, not a 500).
    client_time: AwareDatetime
    # What the device knows of the server: the last entry it saw acknowledged and its cursor.
    # A server restored from a backup is behind on both; hello tells the device to reset.
    last_acked_seq: int = Field(default=0, ge=0, le=MAX_SEQ)
    cursor: str | None = Field(default=None, max_length=200)
    # Conflicts are settled on the device (choosing the server's value sends nothing), so the
    # device says how many still wait for its user; the team lead's overview counts these.
    open_conflicts: int | None = Field(default=None, ge=0, le=1_000_000)


class HelloAnswer(Message):
    epoch: str
    protocol_min: int
    protocol_max: int
    server_time: datetime
    min_app_version: str
    clock_skew_seconds: float
    message: str | None = None
    reset_required: bool = False


class Op(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    COMMAND = "command"


class Entry(Message):
    """One journal entry: a change the device made, with what it was based on."""

    seq: int = Field(ge=1, le=MAX_SEQ, description="the device's own increasing mutation number")
    mutation_id: str = Field(max_length=36)
    entity: str = Field(max_length=30)
    record_id: str = Field(max_length=36)
    client_id: str = Field(max_length=36)
    op: Op
    base_version: int | None = Field(default=None, ge=0, le=MAX_SEQ)
    # At most as many keys as the largest record has fields, and then some: a refused entry
    # must not be able to make the server do (or keep) work per key without bound.
    base_values: dict[str, Any] = Field(default_factory=dict, max_length=MAX_ENTRY_KEYS)
    new_values: dict[str, Any] = Field(default_factory=dict, max_length=MAX_ENTRY_KEYS)


class AuditEventOut(Message):
    """A device's own audit event (a dossier opened offline included), hash-chained."""

    seq: int = Field(ge=1, le=MAX_SEQ)
    event_id: str = Field(max_length=36)
    at: str = Field(max_length=40)
    actor: str = Field(max_length=100)
    action: str = Field(max_length=30)
    entity: str = Field(max_length=30)
    record_id: str | None = Field(default=None, max_length=64)
    client_id: str | None = Field(default=None, max_length=36)
    details: dict[str, Any] = Field(default_factory=dict)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


MAX_AUDIT_EVENTS = 500


class AuditPush(Message):
    events: list[AuditEventOut] = Field(max_length=MAX_AUDIT_EVENTS)


class AuditAnswer(Message):
    accepted: int
    chain_ok: bool
    head: str
    # Events refused: naming another actor, or a client this device never held.
    refused: int = 0


class Push(Message):
    entries: list[Entry] = Field(max_length=MAX_PUSH_ENTRIES)
    # Protocol 2: the round's hello when this is its first request (answered before the
    # entries), and audit events to store after them.
    hello: Hello | None = None
    audit: list[AuditEventOut] = Field(default_factory=list, max_length=MAX_AUDIT_EVENTS)


class Status(StrEnum):
    APPLIED = "applied"
    MERGED = "merged"
    CONFLICT = "conflict"
    REJECTED = "rejected"
    ORPHANED = "orphaned"


class FieldConflictOut(Message):
    field: str
    base: Any = None
    device: Any = None
    server: Any = None


class Answer(Message):
    """The server's verdict on one entry; a replayed entry gets its stored answer back."""

    seq: int
    mutation_id: str
    status: Status
    version: int | None = None
    conflicts: list[FieldConflictOut] = Field(default_factory=list)
    server_values: dict[str, Any] = Field(default_factory=dict)
    code: str | None = None
    reason: str | None = None


class RecordState(Message):
    _from_server_store: ClassVar[bool] = True
    entity: str
    id: str
    client_id: str
    version: int
    deleted: bool
    fields: dict[str, Any] = Field(default_factory=dict)


class PullRequest(Message):
    """Protocol 2's pull (POST): with the round's hello when it is the first request. When
    that hello answers `reset_required`, the page is the first of a full download."""

    hello: Hello | None = None
    cursor: str | None = Field(default=None, max_length=200)
    limit: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    # Protocol 3: the cursor of the last page the device applied ("" for none), when `cursor`
    # names a page it is still applying: what that page carried stays owed until a pull names
    # it applied (server.sync.pull).
    applied: str | None = Field(default=None, max_length=200)


class Page(Message):
    _from_server_store: ClassVar[bool] = True
    records: list[RecordState] = Field(default_factory=list)
    scope_enter: list[str] = Field(default_factory=list)
    scope_exit: list[str] = Field(default_factory=list)
    cursor: str
    more: bool
    last_applied_seq: int
    hello: HelloAnswer | None = None
    # JSON fields come as their JSON text (JSON_TEXT_HEADER).
    json_text: bool = False


class PushAnswer(Message):
    # Not looked through whole: its answers are (Answer is checked as it is parsed), and its
    # page is the server's database, checked on the way in.
    _from_server_store: ClassVar[bool] = True
    answers: list[Answer]
    last_applied_seq: int
    hello: HelloAnswer | None = None
    audit: AuditAnswer | None = None
    # Protocol 4: the page the push asked for (PULL_HEADER), read after the push was committed;
    # None when none was asked for or it could not be given (the device then pulls as before).
    page: Page | None = None


class ErrorBody(Message):
    code: str
    message: str


ResetCode = Literal["reset_required"]


MAX_BLOB_BYTES = 64 * 1024 * 1024
BLOB_CHUNK_BYTES = 1024 * 1024


class BlobStatus(Message):
    """How much of an attachment's bytes the server holds; uploads resume at `received`."""

    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int | None = Field(default=None, ge=0, le=MAX_BLOB_BYTES)
    received: int = Field(ge=0, le=MAX_BLOB_BYTES)
    complete: bool
