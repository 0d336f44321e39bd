"""Journal entries as a device sends them, for tests that push through the API."""

from __future__ import annotations

import uuid
from typing import Any


def jsonable(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in fields.items()}


def entry(
    seq: int,
    entity: str,
    record_id: str,
    client_id: str,
    op: str,
    new: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "seq": seq,
        "mutation_id": str(uuid.uuid4()),
        "entity": entity,
        "record_id": record_id,
        "client_id": client_id,
        "op": op,
        "new_values": jsonable(new or {}),
    }
