"""The audit hash chain, shared by the device (which writes it) and the server (which checks the
events devices send): each event's hash covers its content and the previous event's hash."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

GENESIS = "0" * 64

# Fields the hash covers, in this order.
HASHED_FIELDS = ("event_id", "at", "actor", "action", "entity", "record_id", "client_id", "details")


def event_hash(prev_hash: str, fields: Mapping[str, Any]) -> str:
    payload = json.dumps(
        [prev_hash, *(fields[name] for name in HASHED_FIELDS)],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
    )
    return hashlib.sha256(payload.encode("ascii")).hexdigest()


def first_break(events: Iterable[Mapping[str, Any]], *, head: str = GENESIS) -> int | None:
    """The index of the first event that does not continue the chain from `head`, or None."""
    prev = head
    for index, event in enumerate(events):
        if event["prev_hash"] != prev or event_hash(prev, event) != event["hash"]:
            return index
        prev = str(event["hash"])
    return None
