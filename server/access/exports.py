"""The access report for the privacy officer: JSON, and CSV for Excel.

Both carry the same fields per event, under the same names (the JSON keys are the CSV header), so
a script reads either. Times are ISO 8601 in UTC, with the local (Dutch) time beside them.

The CSV is what Dutch Excel opens with a double click: UTF-8 with a byte order mark (without it
Excel reads the file as Windows-1252 and "Cliënt" comes out garbled) and semicolons (with a
decimal comma, Dutch Excel takes the semicolon as the list separator). A cell that starts like a
formula (=, +, -, @, tab, CR) gets a leading apostrophe, so a device named "=HYPERLINK(...)"
shows as text instead of running: device names are chosen by whoever enrolls a laptop.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from app.domain.formatting import moment_text
from server.access.events import AccessEvent
from server.access.period import Period

__all__ = ["COLUMNS", "FORMAT", "VERSION", "csv_bytes", "event_record", "json_bytes"]

FORMAT = "veldwerk-access-report"
VERSION = 1
COLUMNS = (
    "event_id",
    "at",
    "at_local",
    "category",
    "action",
    "entity",
    "record_id",
    "fields",
    "user",
    "user_name",
    "role",
    "on_behalf_of",
    "device_id",
    "device_name",
    "source",
    "offline",
    "chain_ok",
    "server_entry_id",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def event_record(event: AccessEvent) -> dict[str, Any]:
    """One event as JSON values, keyed by `COLUMNS`."""
    return {
        "event_id": event.event_id,
        "at": event.at.isoformat() if event.at is not None else None,
        "at_local": moment_text(event.at) if event.at is not None else None,
        "category": event.category.value,
        "action": event.action,
        "entity": event.entity,
        "record_id": event.record_id,
        "fields": list(event.fields),
        "user": event.user,
        "user_name": event.user_name,
        "role": event.role,
        "on_behalf_of": event.on_behalf_of,
        "device_id": event.device_id,
        "device_name": event.device_name,
        "source": event.source,
        "offline": event.offline,
        "chain_ok": event.chain_ok,
        "server_entry_id": event.server_entry_id,
    }


def json_bytes(
    *,
    client_id: str,
    period: Period,
    events: Sequence[AccessEvent],
    made_at: datetime,
    made_by: str,
) -> bytes:
    document = {
        "format": FORMAT,
        "version": VERSION,
        "client_id": client_id,
        "period": {
            "from": period.first.isoformat() if period.first else None,
            "to": period.last.isoformat() if period.last else None,
        },
        "made_at": made_at.isoformat(),
        "made_by": made_by,
        "events": [event_record(e) for e in events],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = ",".join(str(v) for v in value)
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def csv_bytes(events: Sequence[AccessEvent]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for event in events:
        record = event_record(event)
        writer.writerow([_cell(record[column]) for column in COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")
