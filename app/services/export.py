"""Subject-access export: everything this device holds about one client (AVG art. 15)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from app.domain.client import Client
from app.domain.records import RECORD_TYPES
from app.domain.values import Bsn
from app.storage.store import RecordNotFound, Store

EXPORT_FORMAT = "veldwerk-subject-access-export"
EXPORT_VERSION = 1


def export_client(store: Store, *, bsn: Bsn) -> dict[str, Any]:
    """Every record and every audit event of the client; the export itself is audited first,
    so it appears in what it exports."""
    client = store.client_by_bsn(bsn)
    if client is None:
        raise RecordNotFound(Client.ENTITY)
    store.record_event(
        "export", Client.ENTITY, record_id=client.id, client_id=client.id, format="json"
    )
    records: dict[str, list[dict[str, Any]]] = {}
    for record_type in RECORD_TYPES:
        found = [client] if record_type is Client else store.for_client(record_type, client.id)
        records[record_type.ENTITY] = [{"id": r.id, **r.to_fields()} for r in found]
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": datetime.now(UTC).isoformat(),
        "exported_by": store.actor,
        "records": records,
        "audit_events": [
            {
                "at": e.at,
                "actor": e.actor,
                "action": e.action,
                "entity": e.entity,
                "record_id": e.record_id,
                "details": e.details,
                "hash": e.hash,
            }
            for e in store.audit_events(client_id=client.id)
        ],
    }
