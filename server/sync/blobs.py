"""Attachment bytes: content-addressed, idempotent, resumable uploads in chunks.

A device sends `PUT /v1/sync/blobs/{sha256}` with `Content-Range: bytes start-end/total`; the
server appends the chunk when `start` is what it already holds and answers with what it holds
now, so an upload cut off by a dead connection resumes where it stopped. When the last chunk
arrives the bytes are joined, checked against the name and stored once; a journal entry that
names a blob the server does not hold yet is not applied until the blob is complete.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.sync.protocol import MAX_BLOB_BYTES, BlobStatus
from server.errors import ApiError
from server.models import Blob, BlobChunk, attachments
from server.policy import Actor
from server.sync.feed import entities_for
from server.sync.pull import scope_query

_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")


def has_blobs(session: Session, digests: set[str]) -> set[str]:
    if not digests:
        return set()
    return set(session.scalars(select(Blob.sha256).where(Blob.sha256.in_(sorted(digests)))))


def status(session: Session, sha256: str) -> BlobStatus:
    blob = session.execute(select(Blob.size).where(Blob.sha256 == sha256)).first()
    if blob is not None:
        return BlobStatus(
            sha256=sha256, size=int(blob.size), received=int(blob.size), complete=True
        )
    row = session.execute(
        select(
            func.coalesce(func.sum(func.length(BlobChunk.data)), 0), func.max(BlobChunk.total)
        ).where(BlobChunk.sha256 == sha256)
    ).one()
    received, total = int(row[0]), row[1]
    return BlobStatus(
        sha256=sha256,
        size=int(total) if total is not None else None,
        received=received,
        complete=False,
    )


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


def receive(session: Session, sha256: str, data: bytes, content_range: str | None) -> BlobStatus:
    start, total = parse_range(content_range, len(data))
    if total > MAX_BLOB_BYTES:
        raise ApiError(413, "blob_too_large", "This attachment is larger than the server accepts.")
    now = status(session, sha256)
    if now.complete:
        return now  # idempotent: the same bytes again change nothing
    if now.size is not None and now.size != total:
        # Another size for the same name: start over rather than mix two uploads.
        session.execute(delete(BlobChunk).where(BlobChunk.sha256 == sha256))
        now = BlobStatus(sha256=sha256, size=None, received=0, complete=False)
    if start != now.received:
        raise ApiError(
            409, "blob_offset", f"The server holds {now.received} bytes; continue from there."
        )
    if data:
        try:
            with session.begin_nested():
                session.add(BlobChunk(sha256=sha256, offset=start, total=total, data=data))
        except IntegrityError:
            # The same chunk arrived twice at once (a retry, or the same scan from two
            # devices): the other request stored it; this one continues from what is there.
            raise ApiError(
                409, "blob_offset", "This part arrived already; ask how much the server holds."
            ) from None
    if start + len(data) < total:
        return BlobStatus(sha256=sha256, size=total, received=start + len(data), complete=False)
    whole = b"".join(
        session.scalars(
            select(BlobChunk.data).where(BlobChunk.sha256 == sha256).order_by(BlobChunk.offset)
        )
    )
    session.execute(delete(BlobChunk).where(BlobChunk.sha256 == sha256))
    if hashlib.sha256(whole).hexdigest() != sha256:
        session.commit()  # the broken chunks go; the device sends the blob again
        raise ApiError(422, "blob_checksum", "The bytes do not match their SHA-256; send again.")
    try:
        with session.begin_nested():
            session.add(
                Blob(sha256=sha256, size=len(whole), data=whole, stored_at=datetime.now(UTC))
            )
    except IntegrityError:
        pass  # stored by a concurrent upload of the same bytes: content-addressed, so the same
    return BlobStatus(sha256=sha256, size=len(whole), received=len(whole), complete=True)


def readable(session: Session, actor: Actor, sha256: str) -> bytes:
    """The bytes, for a device that holds an attachment naming them: the caseworker's own
    clients. A team lead's device holds no attachments (it reviews intakes), so it gets none."""
    named = None
    if "attachment" in entities_for(actor.role):
        named = session.execute(
            select(attachments.c.id).where(
                attachments.c.sha256 == sha256,
                attachments.c.deleted.is_(False),
                attachments.c.client_id.in_(scope_query(actor)),
            )
        ).first()
    blob = session.get(Blob, sha256) if named is not None else None
    if blob is None:
        raise ApiError(404, "not_found", "No such attachment in your scope.")
    return bytes(blob.data)
