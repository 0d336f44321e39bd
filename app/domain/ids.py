"""Record ids are UUIDs made where the record is born, so a device can create records offline."""

from __future__ import annotations

import uuid


def new_id() -> str:
    return str(uuid.uuid4())
