"""The one destruction path, for retention and for erasure on request.

Destroying a client's file removes, in the caller's transaction: every record of the client in
every record table (tombstones too), its assignments (so it is in no one's scope), its
conflicts, orphaned changes and the uniqueness collisions naming it, its lifted legal holds and
the free text of its earlier erasure decisions, and the attachment bytes no other client's live
attachment names (with the uploads' proofs and partial uploads of those bytes). What is kept is
said in `server.retention.scrub`. The client's id is remembered (`destroyed_clients`): a late
edit for it, or a new record under it, is refused.

`device_clients` and `device_held_clients` are left as they are, on purpose: a device that holds
the client gets it as a scope exit at its next pull (server.sync.pull sends an exit for every
held client that is no longer in scope) and purges it (secure_delete); the exit row goes once
the device has applied it. The audit events a device sends for the client afterwards (its
purge, a view made offline before) are still taken in, because it held the client.

`plan_destruction` reads everything first and changes nothing; `destroy` carries out a plan. A
dry run shows the plan, so it shows exactly what a real run then does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from server.models import (
    RECORD_TABLES,
    Assignment,
    Blob,
    BlobChunk,
    BlobUpload,
    Conflict,
    DestroyedClient,
    ErasureRequest,
    LegalHold,
    OrphanedMutation,
    UniquenessCollision,
    attachments,
)
from server.retention.scrub import ScrubPlan, apply_scrub, plan_scrub
from server.sync.id_sets import among, chunks


@dataclass(frozen=True, slots=True)
class DestructionPlan:
    client_ids: tuple[str, ...]
    records: Counter[str]  # rows per client, over every record table
    blobs: tuple[str, ...]  # digests of the bytes that go with them
    scrub: ScrubPlan

    @property
    def record_count(self) -> int:
        return sum(self.records.values())


def _key(entity: str) -> Any:
    table = RECORD_TABLES[entity]
    return table.c.id if entity == "client" else table.c.client_id


def plan_destruction(session: Session, client_ids: Sequence[str]) -> DestructionPlan:
    """What destroying these clients' files removes and scrubs; changes nothing."""
    ids = set(client_ids)
    records: Counter[str] = Counter()
    record_ids: set[str] = set()
    digests: set[str] = set()
    for chunk in chunks(session, ids):
        for entity, table in RECORD_TABLES.items():
            key = _key(entity)
            for row in session.execute(select(key, table.c.id).where(among(session, key, chunk))):
                records[str(row[0])] += 1
                record_ids.add(str(row[1]))
        digests |= {
            str(sha)
            for sha in session.scalars(
                select(attachments.c.sha256).where(among(session, attachments.c.client_id, chunk))
            )
        }
    # Bytes another client's live attachment names stay (content-addressed: one copy for all).
    named_elsewhere: set[str] = set()
    stored: set[str] = set()
    for chunk in chunks(session, digests):
        for row in session.execute(
            select(attachments.c.sha256, attachments.c.client_id).where(
                among(session, attachments.c.sha256, chunk), attachments.c.deleted.is_(False)
            )
        ):
            if str(row.client_id) not in ids:
                named_elsewhere.add(str(row.sha256))
        stored |= {
            str(sha)
            for sha in session.scalars(
                select(Blob.sha256).where(among(session, Blob.sha256, chunk))
            )
        }
    scrub = plan_scrub(session, record_ids=record_ids | ids, client_ids=ids)
    return DestructionPlan(
        client_ids=tuple(sorted(ids)),
        records=records,
        blobs=tuple(sorted((digests - named_elsewhere) & stored)),
        scrub=scrub,
    )


def destroy(session: Session, plan: DestructionPlan, *, now: datetime) -> None:
    """Carry out a plan (see the module docstring), in the caller's transaction."""
    for chunk in chunks(session, plan.client_ids):
        session.execute(delete(Assignment).where(among(session, Assignment.client_id, chunk)))
        # Children first: their rows refer to the client's.
        for entity in reversed(list(RECORD_TABLES)):
            table = RECORD_TABLES[entity]
            session.execute(delete(table).where(among(session, _key(entity), chunk)))
        session.execute(delete(Conflict).where(among(session, Conflict.client_id, chunk)))
        session.execute(
            delete(OrphanedMutation).where(among(session, OrphanedMutation.client_id, chunk))
        )
        session.execute(
            delete(UniquenessCollision).where(
                among(session, UniquenessCollision.existing_client_id, chunk)
            )
        )
        session.execute(delete(LegalHold).where(among(session, LegalHold.client_id, chunk)))
        # The request stays as proof it was answered; a refusal's free text goes with the file.
        session.execute(
            update(ErasureRequest)
            .where(among(session, ErasureRequest.client_id, chunk))
            .values(reason=None)
        )
        session.execute(
            insert(DestroyedClient), [{"client_id": cid, "destroyed_at": now} for cid in chunk]
        )
    for chunk in chunks(session, plan.blobs):
        session.execute(delete(BlobChunk).where(among(session, BlobChunk.sha256, chunk)))
        session.execute(delete(BlobUpload).where(among(session, BlobUpload.sha256, chunk)))
        session.execute(delete(Blob).where(among(session, Blob.sha256, chunk)))
    apply_scrub(session, plan.scrub)
