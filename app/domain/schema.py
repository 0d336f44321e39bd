"""The shape of every record's field dict, as data: the device's tables and the server's tables are
both built from this, so the two can never disagree about which fields a record has.

Kinds: "str" (with a length), "text", "int", "bool", "date" and "datetime" (ISO strings in field
dicts), "json" (lists and dicts), "uuid" (a reference to another record).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["str", "text", "int", "bool", "date", "datetime", "json", "uuid"]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    kind: Kind
    length: int | None = None
    nullable: bool = False


def _f(name: str, kind: Kind, length: int | None = None, *, null: bool = False) -> FieldSpec:
    return FieldSpec(name, kind, length, null)


_CLIENT_REF = _f("client_id", "uuid")

_NAME = (
    _f("initials", "str", 20),
    _f("first_names", "str", 200),
    _f("name_prefix", "str", 20),
    _f("surname", "str", 200),
)

FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "client": (
        _f("bsn", "str", 9),
        *_NAME,
        _f("date_of_birth", "date"),
        _f("street", "str", 200),
        _f("house_number", "int"),
        _f("house_number_addition", "str", 6),
        _f("postcode", "str", 7),
        _f("village", "str", 100),
        _f("municipality", "str", 100),
        _f("phone", "str", 20, null=True),
        _f("email", "str", 254, null=True),
        _f("participation_step", "int", null=True),
        _f("caseworker", "str", 100),
    ),
    "household_member": (
        _CLIENT_REF,
        _f("relation", "str", 20),
        *_NAME,
        _f("date_of_birth", "date"),
        _f("bsn", "str", 9, null=True),
    ),
    "enrollment": (
        _CLIENT_REF,
        _f("scheme", "str", 30),
        _f("start_date", "date"),
        _f("end_date", "date", null=True),
        _f("caseworker", "str", 100),
        _f("consent_given", "bool"),
        _f("consent_date", "date", null=True),
    ),
    "visit": (
        _CLIENT_REF,
        _f("planned_at", "datetime"),
        _f("purpose", "str", 20),
        _f("status", "str", 20),
        _f("caseworker", "str", 100),
        _f("legal_reason", "text", null=True),
        _f("legal_identification_shown", "bool", null=True),
        _f("legal_purpose_stated", "bool", null=True),
        _f("legal_entry_consent", "str", 10, null=True),
        _f("notes", "text"),
        _f("outcome", "text"),
        _f("recorded_at", "datetime", null=True),
    ),
    "intake": (
        _CLIENT_REF,
        _f("caseworker", "str", 100),
        _f("domain_version", "str", 20),
        _f("scores", "json"),
        _f("ladder_current", "int", null=True),
        _f("ladder_target", "int", null=True),
        _f("barriers", "text"),
        _f("strengths", "text"),
        _f("status", "str", 20),
        _f("submitted_at", "datetime", null=True),
        _f("reviewer", "str", 100, null=True),
        _f("reviewed_at", "datetime", null=True),
        _f("review_comments", "json"),
    ),
    "client_plan": (
        _CLIENT_REF,
        _f("caseworker", "str", 100),
        _f("revision", "int"),
        _f("status", "str", 20),
        _f("service_layer", "str", 30),
        _f("goals", "json"),
        _f("actions", "json"),
        _f("agreements", "text"),
        _f("tegenprestatie", "text"),
        _f("client_signature", "json", null=True),
        _f("caseworker_signature", "json", null=True),
        _f("activated_at", "datetime", null=True),
        _f("closed_at", "datetime", null=True),
    ),
    "note": (
        _CLIENT_REF,
        _f("text", "text"),
        _f("author", "str", 100),
        _f("written_at", "datetime"),
    ),
    "attachment": (
        _CLIENT_REF,
        _f("name", "str", 255),
        _f("media_type", "str", 100),
        _f("size", "int"),
        _f("sha256", "str", 64),
    ),
}

# Fields that only change through a command checked by the domain (submit, review, activate),
# never as a plain field edit from a device.
COMMAND_FIELDS: dict[str, frozenset[str]] = {
    "intake": frozenset({"status", "submitted_at", "reviewer", "reviewed_at", "review_comments"}),
    "client_plan": frozenset(
        {"status", "activated_at", "closed_at", "client_signature", "caseworker_signature"}
    ),
}

# What a record starts as when a device creates it, whatever the device says: a draft,
# unreviewed and unsigned. The command fields above move on only through their commands.
CREATED_AS: dict[str, dict[str, Any]] = {
    "intake": {
        "status": "draft",
        "submitted_at": None,
        "reviewer": None,
        "reviewed_at": None,
        "review_comments": {},
    },
    "client_plan": {
        "status": "draft",
        "activated_at": None,
        "closed_at": None,
        "client_signature": None,
        "caseworker_signature": None,
    },
}

# Who a record belongs to: set from the signed-in user when the record is created, never taken
# from a device, and not changed by a field edit afterwards (a client's caseworker changes by
# assignment at central office).
OWNER_FIELDS: dict[str, str] = {
    "client": "caseworker",
    "enrollment": "caseworker",
    "visit": "caseworker",
    "intake": "caseworker",
    "client_plan": "caseworker",
    "note": "author",
}

# Every record hangs under one client; that key never changes after create.
PARENT_FIELD = "client_id"

# Longest values accepted for the kinds without a length of their own (a visit report, a note,
# the goals and actions of a plan), so one record cannot grow storage without bound.
MAX_TEXT_CHARS = 20_000
MAX_JSON_CHARS = 100_000


def too_long(entity: str, values: Mapping[str, Any]) -> tuple[str, int] | None:
    """The first field whose value is longer than its kind allows, with that maximum."""
    specs = {spec.name: spec for spec in FIELDS[entity]}
    for name, value in values.items():
        spec = specs.get(name)
        if spec is None or value is None:
            continue
        if spec.kind in ("str", "text") and isinstance(value, str):
            limit = spec.length if spec.kind == "str" and spec.length else MAX_TEXT_CHARS
            if len(value) > limit:
                return name, limit
        elif (
            spec.kind == "json"
            and len(json.dumps(value, default=str, ensure_ascii=False)) > MAX_JSON_CHARS
        ):
            return name, MAX_JSON_CHARS
    return None


def field_names(entity: str) -> tuple[str, ...]:
    return tuple(spec.name for spec in FIELDS[entity])
