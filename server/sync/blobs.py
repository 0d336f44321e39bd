"""Attachment bytes: content-addressed, idempotent, resumable uploads in chunks, with proof of
possession.

A device sends `PUT /v1/sync/blobs/{sha256}` with `Content-Range: bytes start-end/total`; the
server appends the chunk when `start` is what this device already sent and answers with what it
holds of this device's upload now, so an upload cut off by a dead connection resumes where it
stopped. Partial uploads are kept per (device, sha256): no other device can see, continue or
reset them. When the last chunk arrives the bytes are joined, checked against the name and
stored once (content-addressed), and the device is recorded as having sent them (`BlobUpload`).

A hash alone is no key to the bytes. A device may name a digest in an attachment (and is told
"complete" by the status probe) only when the digest is `usable` for it: it uploaded those bytes
whole itself, or the same bytes are attached to a record of a client in its scope already. Any
other digest answers exactly as bytes the server never saw, so the probe reveals nothing of
another caseworker's files; the honest device then simply uploads the bytes it holds.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, exists, false, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.sync.protocol import MAX_BLOB_BYTES, BlobStatus
from server.errors import ApiError, forbidden
from server.models import Blob, BlobChunk, BlobUpload, Device, attachments
from server.policy import Actor, scope_client_ids
from server.sync.feed import entities_for

_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")
_CHUNK = 500  # digests per IN list: well below SQLite's parameter limit


def _chunks(digests: set[str]) -> Iterator[list[str]]:
    ordered = sorted(digests)
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start : start + _CHUNK]


def _attached_in_scope(actor: Actor) -> Any:
    """SQL condition: a live attachment of a client in the actor's scope names Blob.sha256. A
    role that sees no attachments (a team lead) gets a condition that is never true."""
    if "attachment" not in entities_for(actor.role):
        return false()
    return exists().where(
        attachments.c.sha256 == Blob.sha256,
        attachments.c.deleted.is_(False),
        attachments.c.client_id.in_(scope_client_ids(actor)),
    )


def _usable_sizes(session: Session, actor: Actor, digests: set[str]) -> dict[str, int]:
    """Size per usable digest (see `usable`)."""
    proofs = [_attached_in_scope(actor)]
    if actor.device_id is not None:
        proofs.append(
            exists().where(
                BlobUpload.device_id == actor.device_id, BlobUpload.sha256 == Blob.sha256
            )
        )
    sizes: dict[str, int] = {}
    for chunk in _chunks(digests):
        rows = session.execute(
            select(Blob.sha256, Blob.size).where(Blob.sha256.in_(chunk), or_(*proofs))
        )
        sizes.update({str(row.sha256): int(row.size) for row in rows})
    return sizes


def usable(session: Session, actor: Actor, digests: set[str]) -> set[str]:
    """The digests this device may name in an attachment: bytes the server holds that the
    device uploaded whole itself (proof of possession), or that a live attachment of a client in
    its scope names already (it can download them anyway). Anything else is answered like bytes
    the server does not have (`blob_missing`), so a device cannot get another caseworker's file
    by naming its hash; the honest device uploads its bytes and so proves it holds them."""
    if not digests:
        return set()
    return set(_usable_sizes(session, actor, digests))


def _own_partial(session: Session, device_id: str | None, sha256: str) -> BlobStatus:
    """What the server holds of this device's own unfinished upload of these bytes."""
    received, total = 0, None
    if device_id is not None:
        row = session.execute(
            select(
                func.coalesce(func.sum(func.length(BlobChunk.data)), 0), func.max(BlobChunk.total)
            ).where(BlobChunk.device_id == device_id, BlobChunk.sha256 == sha256)
        ).one()
        received, total = int(row[0]), row[1]
    return BlobStatus(
        sha256=sha256,
        size=int(total) if total is not None else None,
        received=received,
        complete=False,
    )


def status(session: Session, actor: Actor, sha256: str) -> BlobStatus:
    """`complete` for a usable digest; otherwise only this device's own partial upload. Bytes
    of others that this device may not name answer exactly like bytes never seen."""
    size = _usable_sizes(session, actor, {sha256}).get(sha256)
    if size is not None:
        return BlobStatus(sha256=sha256, size=size, received=size, complete=True)
    return _own_partial(session, actor.device_id, sha256)


def _bad_range(message: str) -> ApiError:
    return ApiError(416, "invalid_range", message)


def parse_range(header: str | None, length: int) -> tuple[int, int]:
    """(start, total) from a Content-Range header; no header means the whole blob at once."""
    if header is None:
        return 0, length
    match = _RANGE.match(header.strip())
    if match is None:
        raise _bad_range("Content-Range must read 'bytes start-end/total'.")
    start, end, total = (int(g) for g in match.groups())
    if end < start or end - start + 1 != length or end >= total:
        raise _bad_range("Content-Range does not match the body.")
    return start, total


def receive(
    session: Session, actor: Actor, sha256: str, data: bytes, content_range: str | None
) -> BlobStatus:
    device_id = actor.device_id
    if device_id is None:
        raise forbidden()  # uploads are per device: without one there is nowhere to keep them
    start, total = parse_range(content_range, len(data))
    if total > MAX_BLOB_BYTES:
        raise ApiError(413, "blob_too_large", "This attachment is larger than the server accepts.")
    now = status(session, actor, sha256)
    if now.complete:
        return now  # idempotent: this device may name these bytes already
    mine = and_(BlobChunk.device_id == device_id, BlobChunk.sha256 == sha256)
    if now.size is not None and now.size != total:
        # Another size for the same name: start this device's upload over rather than mix two.
        session.execute(delete(BlobChunk).where(mine))
        now = BlobStatus(sha256=sha256, size=None, received=0, complete=False)
    if start != now.received:
        raise ApiError(
            409, "blob_offset", f"The server holds {now.received} bytes; continue from there."
        )
    if data:
        try:
            with session.begin_nested():
                session.add(
                    BlobChunk(
                        device_id=device_id,
                        sha256=sha256,
                        offset=start,
                        total=total,
                        data=data,
                        received_at=datetime.now(UTC),
                    )
                )
        except IntegrityError:
            # The same chunk from this device arrived twice at once (a retry while the first
            # request still ran): that one stored it; this one continues from what is there.
            raise ApiError(
                409, "blob_offset", "This part arrived already; ask how much the server holds."
            ) from None
    if start + len(data) < total:
        return BlobStatus(sha256=sha256, size=total, received=start + len(data), complete=False)
    whole = b"".join(session.scalars(select(BlobChunk.data).where(mine).order_by(BlobChunk.offset)))
    session.execute(delete(BlobChunk).where(mine))
    if hashlib.sha256(whole).hexdigest() != sha256:
        session.commit()  # the broken chunks go; the device sends the blob again
        raise ApiError(422, "blob_checksum", "The bytes do not match their SHA-256; send again.")
    at = datetime.now(UTC)
    if session.scalar(select(Blob.sha256).where(Blob.sha256 == sha256)) is None:
        try:
            with session.begin_nested():
                session.add(Blob(sha256=sha256, size=len(whole), data=whole, stored_at=at))
        except IntegrityError:
            pass  # stored by a concurrent upload of the same bytes: content-addressed, the same
    # The device sent every byte and they hash right: it holds them. Kept once per device; a
    # later whole upload (the bytes were lost on the server) renews the time.
    proof = session.get(BlobUpload, (device_id, sha256))
    if proof is not None:
        proof.at = at
    else:
        try:
            with session.begin_nested():
                session.add(BlobUpload(device_id=device_id, sha256=sha256, at=at))
        except IntegrityError:
            pass  # the same device completed the same bytes in a parallel request
    return BlobStatus(sha256=sha256, size=len(whole), received=len(whole), complete=True)


def readable(session: Session, actor: Actor, sha256: str) -> bytes:
    """The bytes, for a device that holds a live attachment naming them: the caseworker's own
    clients. A team lead's device holds no attachments (it reviews intakes), so it gets none.
    Having uploaded the bytes is not enough: only an attachment opens them. "No such bytes" and
    "not yours" are one answer, so a hash cannot be probed."""
    blob = session.execute(
        select(Blob.data).where(Blob.sha256 == sha256, _attached_in_scope(actor))
    ).first()
    if blob is None:
        raise ApiError(404, "not_found", "No such attachment in your scope.")
    return bytes(blob.data)


def purge_unreferenced(session: Session, *, days: int, now: datetime | None = None) -> int:
    """Remove bytes no live attachment names that arrived more than `days` days ago (their
    proofs of possession with them), and partial uploads nobody will finish. Returns the
    number of blobs removed.

    "Arrived" is the newest of the blob's storing and its latest whole upload by any device, so
    bytes a device has just uploaded for an entry it is about to push are kept. Partial uploads
    go when their device is gone, revoked or not seen for `days` days (it cannot or did not
    continue them), when the device completed the same bytes since, or when a part has waited
    `days` days for the rest (an upload abandoned by a device that is otherwise active)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    cutoff = (now or datetime.now(UTC)) - timedelta(days=days)
    named = exists().where(attachments.c.sha256 == Blob.sha256, attachments.c.deleted.is_(False))
    fresh = exists().where(BlobUpload.sha256 == Blob.sha256, BlobUpload.at >= cutoff)
    unwanted = and_(Blob.stored_at < cutoff, ~named, ~fresh)
    doomed = sorted(session.scalars(select(Blob.sha256).where(unwanted)))
    removed = 0
    for start in range(0, len(doomed), _CHUNK):
        chunk = doomed[start : start + _CHUNK]
        # The conditions again at the delete: an attachment pushed since the select keeps its
        # bytes.
        result = session.execute(delete(Blob).where(Blob.sha256.in_(chunk), unwanted))
        removed += int(result.rowcount or 0)  # type: ignore[attr-defined]
    # Their proofs of possession go with them, and so do proofs whose bytes went another way
    # (removed by hand, a restore without them): they prove nothing any more, and the device
    # is told to upload again.
    session.execute(delete(BlobUpload).where(~exists().where(Blob.sha256 == BlobUpload.sha256)))
    live_device = exists().where(
        Device.id == BlobChunk.device_id,
        Device.revoked_at.is_(None),
        func.coalesce(Device.last_seen, Device.enrolled_at) >= cutoff,
    )
    completed = exists().where(
        BlobUpload.device_id == BlobChunk.device_id, BlobUpload.sha256 == BlobChunk.sha256
    )
    stale = BlobChunk.received_at < cutoff
    session.execute(delete(BlobChunk).where(or_(~live_device, completed, stale)))
    return removed
