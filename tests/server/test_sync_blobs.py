"""Attachment bytes: PUT /v1/sync/blobs/{sha256} is content-addressed, idempotent and resumable;
GET .../data gives the bytes only to a device whose scope holds an attachment naming them; a
pushed attachment entry naming bytes the server does not hold is refused (blob_missing) without
being recorded, so the same entry is applied once the bytes have arrived.

Proof of possession: a hash is no key. A device may name bytes only when it uploaded them whole
itself or they are attached in its scope already; anything else, the status probe included,
answers exactly as bytes never seen. Partial uploads are per device: another device never sees,
continues or resets them.
"""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine, delete, func, insert, select, text, update
from sqlalchemy.orm import Session

from app.domain.notes import Attachment, Note
from app.sync.protocol import MAX_BLOB_BYTES
from server.cli import main
from server.models import (
    AuditEntry,
    Blob,
    BlobChunk,
    BlobUpload,
    Conflict,
    DeviceMutation,
    DeviceSync,
    attachments,
)
from server.models import Device as DeviceRow
from server.policy import Actor
from server.sync.blobs import purge_unreferenced, usable
from tests.server.conftest import Device, enroll
from tests.server.sync_entries import entry
from tests.server.test_policy_matrix import fake_client

TEAM = "Team Hogeland-Noord"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def payload(size: int, salt: str = "") -> bytes:
    """Bytes of the given size that differ per test (content-addressed: no accidental sharing)."""
    seed = (salt or uuid.uuid4().hex).encode()
    out = bytearray()
    counter = 0
    while len(out) < size:
        out += hashlib.sha256(seed + counter.to_bytes(8, "big")).digest()
        counter += 1
    return bytes(out[:size])


def put(
    api: TestClient, device: Device, sha256: str, data: bytes, content_range: str | None = None
) -> Response:
    headers = {**device.headers, "Content-Type": "application/octet-stream"}
    if content_range is not None:
        headers["Content-Range"] = content_range
    response: Response = api.put(f"/v1/sync/blobs/{sha256}", content=data, headers=headers)
    return response


def put_range(
    api: TestClient, device: Device, sha256: str, whole: bytes, start: int, end: int
) -> Response:
    """The chunk whole[start:end] (end exclusive) with its Content-Range."""
    return put(api, device, sha256, whole[start:end], f"bytes {start}-{end - 1}/{len(whole)}")


def blob_status(api: TestClient, device: Device, sha256: str) -> dict[str, Any]:
    response = api.get(f"/v1/sync/blobs/{sha256}", headers=device.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def stored(session: Session, sha256: str) -> tuple[bytes | None, int]:
    """(the complete blob's bytes or None, the number of chunks still waiting)."""
    blob = session.get(Blob, sha256)
    data = bytes(blob.data) if blob is not None else None
    chunks = session.scalar(
        select(func.count()).select_from(BlobChunk).where(BlobChunk.sha256 == sha256)
    )
    session.rollback()  # end the read: on SQLite it holds the write lock (BEGIN IMMEDIATE)
    return data, int(chunks or 0)


def never_seen(sha256: str) -> dict[str, Any]:
    return {"sha256": sha256, "size": None, "received": 0, "complete": False}


def uploaders(session: Session, sha256: str) -> list[str]:
    """The devices recorded as having sent these bytes whole."""
    found = sorted(session.scalars(select(BlobUpload.device_id).where(BlobUpload.sha256 == sha256)))
    session.rollback()
    return found


def stored_time(session: Session, sha256: str) -> datetime | None:
    at = session.scalar(select(Blob.stored_at).where(Blob.sha256 == sha256))
    session.rollback()
    return at


# -------------------------------------------------------------------------------- uploads


def test_an_unknown_blob_has_nothing_received(
    api: TestClient, enrolled: Callable[..., Device]
) -> None:
    device = enrolled("k.dijkstra", "caseworker")
    sha = digest(b"never sent")
    assert blob_status(api, device, sha) == {
        "sha256": sha,
        "size": None,
        "received": 0,
        "complete": False,
    }
    assert api.get(f"/v1/sync/blobs/{sha.upper()}", headers=device.headers).status_code == 422


def test_a_whole_blob_without_content_range(
    api: TestClient, enrolled: Callable[..., Device], session: Session
) -> None:
    device = enrolled("k.dijkstra", "caseworker")
    data = payload(5000)
    sha = digest(data)
    answer = put(api, device, sha, data)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"sha256": sha, "size": 5000, "received": 5000, "complete": True}
    assert blob_status(api, device, sha)["complete"] is True
    assert stored(session, sha) == (data, 0)

    # The empty file too (no Content-Range can describe zero bytes; the whole body can).
    empty = digest(b"")
    answer = put(api, device, empty, b"")
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"sha256": empty, "size": 0, "received": 0, "complete": True}
    assert stored(session, empty) == (b"", 0)


def test_a_blob_in_three_chunks(
    api: TestClient, enrolled: Callable[..., Device], session: Session
) -> None:
    device = enrolled("k.dijkstra", "caseworker")
    data = payload(2500)
    sha = digest(data)
    first = put_range(api, device, sha, data, 0, 1000)
    assert first.status_code == 200, first.text
    assert first.json() == {"sha256": sha, "size": 2500, "received": 1000, "complete": False}
    second = put_range(api, device, sha, data, 1000, 2000)
    assert second.json() == {"sha256": sha, "size": 2500, "received": 2000, "complete": False}
    assert stored(session, sha) == (None, 2)
    assert blob_status(api, device, sha) == second.json()
    last = put_range(api, device, sha, data, 2000, 2500)
    assert last.status_code == 200, last.text
    assert last.json() == {"sha256": sha, "size": 2500, "received": 2500, "complete": True}
    # Joined once, in order; the chunks are gone.
    assert stored(session, sha) == (data, 0)


def test_an_interrupted_upload_resumes_where_the_server_stopped(
    api: TestClient, enrolled: Callable[..., Device], session: Session
) -> None:
    device = enrolled("k.dijkstra", "caseworker")
    data = payload(3000)
    sha = digest(data)
    assert put_range(api, device, sha, data, 0, 1200).status_code == 200
    # The connection died here; the device asks what arrived and continues from there.
    held = blob_status(api, device, sha)
    assert held == {"sha256": sha, "size": 3000, "received": 1200, "complete": False}
    # The chunk it is not sure about, sent again, is refused: it continues at `received`.
    again = put_range(api, device, sha, data, 0, 1200)
    assert again.status_code == 409 and again.json()["code"] == "blob_offset"
    rest = put_range(api, device, sha, data, held["received"], 3000)
    assert rest.status_code == 200, rest.text
    assert rest.json()["complete"] is True
    assert stored(session, sha) == (data, 0)


def test_another_total_for_the_same_name_starts_over(
    api: TestClient, enrolled: Callable[..., Device], session: Session
) -> None:
    device = enrolled("k.dijkstra", "caseworker")
    data = payload(2000)
    sha = digest(data)
    longer = data + b"x" * 500
    assert put_range(api, device, sha, longer, 0, 1000).status_code == 200
    restart = put_range(api, device, sha, data, 0, 1000)
    assert restart.status_code == 200, restart.text
    assert restart.json() == {"sha256": sha, "size": 2000, "received": 1000, "complete": False}
    assert put_range(api, device, sha, data, 1000, 2000).json()["complete"] is True
    assert stored(session, sha) == (data, 0)


def test_a_chunk_at_the_wrong_offset_is_refused(
    api: TestClient, enrolled: Callable[..., Device], session: Session
) -> None:
    device = enrolled("k.dijkstra", "caseworker")
    data = payload(3000)
    sha = digest(data)
    ahead = put_range(api, device, sha, data, 1000, 2000)
    assert ahead.status_code == 409, ahead.text
    assert ahead.json()["code"] == "blob_offset"
    assert blob_status(api, device, sha)["received"] == 0
    assert put_range(api, device, sha, data, 0, 1000).status_code == 200
    skipped = put_range(api, device, sha, data, 2000, 3000)
    assert skipped.status_code == 409 and skipped.json()["code"] == "blob_offset"
    behind = put_range(api, device, sha, data, 500, 1500)
    assert behind.status_code == 409 and behind.json()["code"] == "blob_offset"
    assert blob_status(api, device, sha) == {
        "sha256": sha,
        "size": 3000,
        "received": 1000,
        "complete": False,
    }
    assert stored(session, sha) == (None, 1)


@pytest.mark.parametrize(
    "content_range",
    [
        "bytes=0-9/10",  # the Range request syntax, not Content-Range
        "bytes 0-9",  # no total
        "bytes 0-9/*",  # unknown total
        "items 0-9/10",
        "bytes 5-2/10",  # end before start
        "bytes 0-8/10",  # says 9 bytes, the body has 10
        "bytes 0-10/11",  # says 11 bytes, the body has 10
        "bytes 0-9/9",  # ends past the total
        "bytes -1-8/10",
        "",
    ],
)
def test_a_bad_content_range_is_refused(
    api: TestClient, enrolled: Callable[..., Device], session: Session, content_range: str
) -> None:
    device = enrolled("k.dijkstra", "caseworker")
    data = payload(10)
    sha = digest(data)
    answer = put(api, device, sha, data, content_range)
    assert answer.status_code == 416, answer.text
    assert answer.json()["code"] == "invalid_range"
    assert blob_status(api, device, sha)["received"] == 0
    assert stored(session, sha) == (None, 0)


def test_bytes_that_do_not_match_their_name_are_discarded(
    api: TestClient, enrolled: Callable[..., Device], session: Session
) -> None:
    device = enrolled("k.dijkstra", "caseworker")
    data = payload(3000)
    sha = digest(data)
    damaged = data[:1500] + bytes([data[1500] ^ 0xFF]) + data[1501:]
    assert put_range(api, device, sha, damaged, 0, 1000).status_code == 200
    assert put_range(api, device, sha, damaged, 1000, 2000).status_code == 200
    last = put_range(api, device, sha, damaged, 2000, 3000)
    assert last.status_code == 422, last.text
    assert last.json()["code"] == "blob_checksum"
    # Every chunk went: the device starts again from zero.
    assert blob_status(api, device, sha) == {
        "sha256": sha,
        "size": None,
        "received": 0,
        "complete": False,
    }
    assert stored(session, sha) == (None, 0)

    whole = put(api, device, sha, damaged)
    assert whole.status_code == 422 and whole.json()["code"] == "blob_checksum"
    assert stored(session, sha) == (None, 0)

    good = put(api, device, sha, data)
    assert good.status_code == 200 and good.json()["complete"] is True
    assert stored(session, sha) == (data, 0)


def test_sending_a_complete_blob_again_changes_nothing(
    api: TestClient, enrolled: Callable[..., Device], session: Session
) -> None:
    device = enrolled("k.dijkstra", "caseworker")
    other = enrolled("m.bakker", "caseworker")
    data = payload(2000)
    sha = digest(data)
    assert put(api, device, sha, data).status_code == 200
    first = session.get(Blob, sha)
    assert first is not None
    stored_at = first.stored_at
    session.rollback()
    complete = {"sha256": sha, "size": 2000, "received": 2000, "complete": True}
    for again in (
        put(api, device, sha, data),
        put_range(api, device, sha, data, 0, 1000),
        put_range(api, device, sha, data, 1000, 2000),
        put(api, other, sha, data),  # another device with the same file
    ):
        assert again.status_code == 200, again.text
        assert again.json() == complete
    assert session.scalar(select(func.count()).select_from(Blob)) == 1
    blob = session.get(Blob, sha)
    assert blob is not None and blob.stored_at == stored_at and bytes(blob.data) == data
    session.rollback()
    assert stored(session, sha) == (data, 0)
    # Both sent the bytes whole: both hold them, recorded once each.
    assert uploaders(session, sha) == sorted([device.device_id, other.device_id])


def test_too_large_is_refused(
    api: TestClient, enrolled: Callable[..., Device], session: Session
) -> None:
    device = enrolled("k.dijkstra", "caseworker")
    data = payload(1000)
    sha = digest(data)
    total = MAX_BLOB_BYTES + 1
    answer = put(api, device, sha, data, f"bytes 0-999/{total}")
    assert answer.status_code == 413, answer.text
    assert answer.json()["code"] == "blob_too_large"
    # Exactly the limit is fine (a first chunk of it).
    assert put(api, device, sha, data, f"bytes 0-999/{MAX_BLOB_BYTES}").status_code == 200

    big = b"\x00" * (8 * 1024 * 1024 + 1)
    chunk = put(api, device, digest(big), big)
    assert chunk.status_code == 413, chunk.text
    assert chunk.json()["code"] == "chunk_too_large"
    assert stored(session, digest(big)) == (None, 0)


def test_only_devices_that_write_dossiers_send_bytes(
    api: TestClient, enrolled: Callable[..., Device], session: Session
) -> None:
    lead = enrolled("t.mulder", "team_lead", team=TEAM)
    admin = enrolled("beheer", "admin")
    data = payload(100)
    sha = digest(data)
    for device in (lead, admin):
        for response in (
            api.get(f"/v1/sync/blobs/{sha}", headers=device.headers),
            put(api, device, sha, data),
        ):
            assert response.status_code == 403, f"{device.role}: {response.text}"
            assert response.json()["code"] == "forbidden"
    assert stored(session, sha) == (None, 0)


# -------------------------------------------------------------------------------- entries


def push(api: TestClient, device: Device, *entries: dict[str, Any]) -> dict[str, Any]:
    response = api.post("/v1/sync/push", json={"entries": list(entries)}, headers=device.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def statuses(answer: dict[str, Any]) -> list[tuple[int, str, str | None]]:
    return [(a["seq"], a["status"], a["code"]) for a in answer["answers"]]


def new_client(api: TestClient, device: Device, number: int, bsn: str, seq: int = 1) -> str:
    client = fake_client(number, bsn, caseworker=device.username)
    created = push(
        api, device, entry(seq, "client", client.id, client.id, "create", client.to_fields())
    )
    assert statuses(created) == [(seq, "applied", None)], created
    return client.id


def attachment_of(client_id: str, data: bytes, name: str = "scan.pdf") -> Attachment:
    return Attachment(
        client_id=client_id,
        name=name,
        media_type="application/pdf",
        size=len(data),
        sha256=digest(data),
    )


def attach(
    api: TestClient, device: Device, client_id: str, data: bytes, seq: int, *, upload: bool = True
) -> Attachment:
    """An attachment of the client, its bytes sent first (as the device does)."""
    if upload:
        assert put(api, device, digest(data), data).status_code == 200
    attachment = attachment_of(client_id, data)
    answer = push(
        api,
        device,
        entry(seq, "attachment", attachment.id, client_id, "create", attachment.to_fields()),
    )
    assert statuses(answer) == [(seq, "applied", None)], answer
    return attachment


def test_an_entry_before_its_bytes_is_refused_and_not_remembered(
    api: TestClient, enrolled: Callable[..., Device], session: Session
) -> None:
    device = enrolled("k.dijkstra", "caseworker")
    client_id = new_client(api, device, 1, "111222333")
    data = payload(4000)
    sha = digest(data)
    attachment = attachment_of(client_id, data)
    create = entry(2, "attachment", attachment.id, client_id, "create", attachment.to_fields())
    written = Note(
        client_id=client_id,
        text="Scan gemaakt.",
        author="k.dijkstra",
        written_at=datetime(2026, 11, 23, 9, 0, tzinfo=UTC),
    )
    note = entry(3, "note", written.id, client_id, "create", written.to_fields())

    def bookkeeping() -> tuple[list[int], int | None, int, int]:
        seqs = sorted(
            session.scalars(
                select(DeviceMutation.seq).where(DeviceMutation.device_id == device.device_id)
            )
        )
        last_seq = session.scalar(
            select(DeviceSync.last_seq).where(DeviceSync.device_id == device.device_id)
        )
        rows = session.scalar(
            select(func.count()).select_from(attachments).where(attachments.c.id == attachment.id)
        )
        kept = session.scalar(select(func.count()).select_from(Conflict))
        session.rollback()
        return seqs, last_seq, int(rows or 0), int(kept or 0)

    for _ in range(2):  # refused again and again, never turned into a stored answer
        refused = push(api, device, create, note)
        # The batch stops at the refused entry: the note after it is not answered yet.
        assert statuses(refused) == [(2, "rejected", "blob_missing")], refused
        assert refused["last_applied_seq"] == 1
        assert bookkeeping() == ([1], 1, 0, 0)

    assert put(api, device, sha, data).status_code == 200
    applied = push(api, device, create, note)
    assert statuses(applied) == [(2, "applied", None), (3, "applied", None)], applied
    assert applied["last_applied_seq"] == 3
    assert bookkeeping() == ([1, 2, 3], 3, 1, 0)
    row = session.execute(select(attachments).where(attachments.c.id == attachment.id)).one()
    session.rollback()
    assert (row.sha256, row.size, row.version) == (sha, 4000, 1)

    # A replay gets the stored answer and changes nothing.
    replay = push(api, device, create)
    assert statuses(replay) == [(2, "applied", None)]
    assert bookkeeping() == ([1, 2, 3], 3, 1, 0)

    # An update that names other bytes waits for them as well.
    other = payload(10)
    update = entry(
        4,
        "attachment",
        attachment.id,
        client_id,
        "update",
        {"sha256": digest(other), "size": len(other)},
    )
    update["base_values"] = {"sha256": sha, "size": 4000}
    waiting = push(api, device, update)
    assert statuses(waiting) == [(4, "rejected", "blob_missing")]
    assert waiting["last_applied_seq"] == 3
    assert bookkeeping() == ([1, 2, 3], 3, 1, 0)


def data_of(api: TestClient, device: Device, sha256: str) -> Response:
    response: Response = api.get(f"/v1/sync/blobs/{sha256}/data", headers=device.headers)
    return response


def test_the_bytes_go_only_to_devices_whose_scope_names_them(
    api: TestClient, enrolled: Callable[..., Device]
) -> None:
    owner = enrolled("k.dijkstra", "caseworker")
    other = enrolled("m.bakker", "caseworker")
    admin = enrolled("beheer", "admin")
    client_id = new_client(api, owner, 1, "111222333")
    data = payload(3000)
    sha = digest(data)
    attachment = attach(api, owner, client_id, data, seq=2)

    mine = data_of(api, owner, sha)
    assert mine.status_code == 200, mine.text
    assert mine.content == data
    assert mine.headers["content-type"].startswith("application/octet-stream")

    refused = data_of(api, other, sha)
    assert refused.status_code == 404, refused.text
    assert refused.json()["code"] == "not_found"
    forbidden = data_of(api, admin, sha)
    assert forbidden.status_code == 403, forbidden.text
    assert forbidden.json()["code"] == "forbidden"

    # Bytes the server holds that no attachment names are nobody's to read.
    loose = payload(50)
    assert put(api, owner, digest(loose), loose).status_code == 200
    assert data_of(api, owner, digest(loose)).status_code == 404

    # A deleted attachment no longer opens its bytes.
    gone = push(api, owner, entry(3, "attachment", attachment.id, client_id, "delete"))
    assert statuses(gone) == [(3, "applied", None)]
    assert data_of(api, owner, sha).status_code == 404


def test_the_same_bytes_of_another_caseworker_are_stored_once(
    api: TestClient, enrolled: Callable[..., Device], session: Session
) -> None:
    first = enrolled("k.dijkstra", "caseworker")
    second = enrolled("m.bakker", "caseworker")
    data = payload(1500)
    sha = digest(data)
    attach(api, first, new_client(api, first, 1, "111222333"), data, seq=2)
    stored_at = stored_time(session, sha)
    # m.bakker attaches the same file: the server holds the bytes, but m.bakker's device has to
    # send them (as if they were new) before it may name them.
    theirs = new_client(api, second, 2, "123456782")
    assert blob_status(api, second, sha) == never_seen(sha)
    attach(api, second, theirs, data, seq=2)
    assert session.scalar(select(func.count()).select_from(Blob)) == 1
    session.rollback()
    assert stored_time(session, sha) == stored_at  # not stored again
    answer = data_of(api, second, sha)
    assert answer.status_code == 200 and answer.content == data


def test_a_team_lead_cannot_download_a_caseworkers_attachment(
    api: TestClient, enrolled: Callable[..., Device]
) -> None:
    """A team lead's device holds the clients whose intakes wait for review, and never their
    attachments (the feed sends a team lead client, household, enrollment and intake records
    only): its scope holds no attachment naming the bytes."""
    lead = enrolled("t.mulder", "team_lead", team=TEAM)
    caseworker = enrolled("k.dijkstra", "caseworker", team=TEAM)
    data = payload(800)
    attach(api, caseworker, new_client(api, caseworker, 1, "111222333"), data, seq=2)
    assert data_of(api, caseworker, digest(data)).status_code == 200
    answer = data_of(api, lead, digest(data))
    assert answer.status_code == 404, (
        f"the team lead got {answer.status_code} ({len(answer.content)} bytes) for an attachment "
        f"its device scope does not hold"
    )


# -------------------------------------------------------------------------------- concurrency


def _wait_until_blocked(engine: Engine, worker: threading.Thread) -> None:
    """Until the request in `worker` waits for our uncommitted row (PostgreSQL: a lock wait;
    SQLite: its BEGIN IMMEDIATE waits for our write lock, which cannot be observed from here)."""
    deadline = time.monotonic() + 10
    if engine.dialect.name != "postgresql":
        time.sleep(0.5)
        return
    with engine.connect() as probe:
        while time.monotonic() < deadline and worker.is_alive():
            waiting = probe.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            )
            probe.rollback()
            if waiting:
                return
            time.sleep(0.02)


def test_the_same_chunk_sent_twice_at_once_is_refused_not_a_server_error(
    app: FastAPI, enrolled: Callable[..., Device], engine: Engine
) -> None:
    """Two uploads of the same chunk from one device at the same moment (a retry while the
    first request is still running): the later one must get 409 blob_offset and continue from
    the server's offset, never a 500."""
    device = enrolled("k.dijkstra", "caseworker")
    racing = TestClient(app, raise_server_exceptions=False)
    data = payload(2000)
    sha = digest(data)
    got: list[Response] = []
    with engine.connect() as first:
        transaction = first.begin()
        # The first upload's chunk, written but not yet committed.
        first.execute(
            insert(BlobChunk).values(
                device_id=device.device_id, sha256=sha, offset=0, total=len(data), data=data[:1000]
            )
        )
        worker = threading.Thread(
            target=lambda: got.append(put_range(racing, device, sha, data, 0, 1000))
        )
        worker.start()
        _wait_until_blocked(engine, worker)
        transaction.commit()
        worker.join(timeout=30)
    assert got, "the racing upload never answered"
    assert got[0].status_code == 409, f"{got[0].status_code}: {got[0].text}"
    assert got[0].json()["code"] == "blob_offset"
    assert put_range(racing, device, sha, data, 1000, 2000).json()["complete"] is True


# -------------------------------------------------------------------------------- possession


def actor_of(session: Session, device: Device) -> Actor:
    row = session.get(DeviceRow, device.device_id)
    assert row is not None
    session.rollback()
    return Actor(
        user_id=row.user_id, username=device.username, role=device.role, device_id=device.device_id
    )


def test_naming_another_caseworkers_hash_does_not_open_the_bytes(
    api: TestClient, enrolled: Callable[..., Device], session: Session
) -> None:
    """The hash-only download: m.bakker's device pushes an attachment on its own client naming
    the SHA-256 of k.dijkstra's scan, without ever sending the bytes. It is refused exactly like
    bytes the server does not hold, nothing is recorded, and the bytes stay closed to it."""
    owner = enrolled("k.dijkstra", "caseworker")
    thief = enrolled("m.bakker", "caseworker")
    data = payload(2000)
    sha = digest(data)
    attach(api, owner, new_client(api, owner, 1, "111222333"), data, seq=2)

    theirs = new_client(api, thief, 2, "123456782")
    claimed = attachment_of(theirs, data)
    create = entry(2, "attachment", claimed.id, theirs, "create", claimed.to_fields())
    refused = push(api, thief, create)
    assert statuses(refused) == [(2, "rejected", "blob_missing")], refused
    assert refused["last_applied_seq"] == 1
    assert (
        session.scalar(
            select(func.count()).select_from(attachments).where(attachments.c.id == claimed.id)
        )
        == 0
    )
    session.rollback()

    # The download answers as for bytes that do not exist at all.
    stolen = data_of(api, thief, sha)
    nowhere = data_of(api, thief, digest(b"never stored anywhere"))
    assert stolen.status_code == nowhere.status_code == 404, stolen.text
    assert stolen.json() == nowhere.json()
    assert uploaders(session, sha) == [owner.device_id]


def test_the_status_probe_tells_nothing_of_another_devices_bytes(
    api: TestClient, enrolled: Callable[..., Device]
) -> None:
    """Whatever the hash: complete bytes of another caseworker, another device's partial upload
    and bytes never seen all answer the same to a device that may not name them."""
    owner = enrolled("k.dijkstra", "caseworker")
    prober = enrolled("m.bakker", "caseworker")
    whole = payload(1800)
    attach(api, owner, new_client(api, owner, 1, "111222333"), whole, seq=2)
    loose = payload(900)  # uploaded by the owner, attached nowhere
    assert put(api, owner, digest(loose), loose).status_code == 200
    partial = payload(3000)
    assert put_range(api, owner, digest(partial), partial, 0, 1000).status_code == 200
    assert blob_status(api, owner, digest(whole))["complete"] is True
    assert blob_status(api, owner, digest(loose))["complete"] is True
    assert blob_status(api, owner, digest(partial))["received"] == 1000

    for sha in (digest(whole), digest(loose), digest(partial), digest(payload(10))):
        assert blob_status(api, prober, sha) == never_seen(sha), sha


def test_another_device_never_continues_or_resets_a_partial_upload(
    api: TestClient, enrolled: Callable[..., Device], session: Session
) -> None:
    owner = enrolled("k.dijkstra", "caseworker")
    other = enrolled("m.bakker", "caseworker")
    data = payload(3000)
    sha = digest(data)
    assert put_range(api, owner, sha, data, 0, 1000).status_code == 200

    # Continuing at the owner's offset is refused: the other device holds nothing of its own.
    cont = put_range(api, other, sha, data, 1000, 2000)
    assert cont.status_code == 409 and cont.json()["code"] == "blob_offset"
    assert "0 bytes" in cont.json()["message"]
    # Another total and other bytes from the other device start its own upload, nobody else's.
    longer = data + b"y" * 700
    assert put_range(api, other, sha, longer, 0, 1000).json() == {
        "sha256": sha,
        "size": 3700,
        "received": 1000,
        "complete": False,
    }
    junk = payload(3000)
    assert put_range(api, other, sha, junk, 0, 1000).json()["size"] == 3000  # restarts its own
    assert put_range(api, other, sha, junk, 1000, 2000).status_code == 200
    broken = put_range(api, other, sha, junk, 2000, 3000)
    assert broken.status_code == 422 and broken.json()["code"] == "blob_checksum"
    assert put_range(api, other, sha, data, 0, 500).json()["received"] == 500  # left behind

    # The owner's upload is untouched and resumes where it stopped.
    assert blob_status(api, owner, sha) == {
        "sha256": sha,
        "size": 3000,
        "received": 1000,
        "complete": False,
    }
    assert put_range(api, owner, sha, data, 1000, 2000).json()["received"] == 2000
    done = put_range(api, owner, sha, data, 2000, 3000)
    assert done.status_code == 200 and done.json()["complete"] is True
    assert stored(session, sha) == (data, 1)  # the other device's own 500 bytes still wait
    assert uploaders(session, sha) == [owner.device_id]
    # The bytes are there now, and still not the other device's.
    assert blob_status(api, other, sha) == {
        "sha256": sha,
        "size": 3000,
        "received": 500,
        "complete": False,
    }


def test_sending_the_same_bytes_whole_earns_the_right_to_name_them(
    api: TestClient, enrolled: Callable[..., Device], session: Session
) -> None:
    owner = enrolled("k.dijkstra", "caseworker")
    other = enrolled("m.bakker", "caseworker")
    data = payload(2500)
    sha = digest(data)
    attach(api, owner, new_client(api, owner, 1, "111222333"), data, seq=2)
    stored_at = stored_time(session, sha)
    theirs = new_client(api, other, 2, "123456782")
    claimed = attachment_of(theirs, data)
    create = entry(2, "attachment", claimed.id, theirs, "create", claimed.to_fields())
    assert statuses(push(api, other, create)) == [(2, "rejected", "blob_missing")]

    # Existing bytes give no short cut: every chunk is taken and checked like a new upload.
    assert put_range(api, other, sha, data, 0, 1000).json() == {
        "sha256": sha,
        "size": 2500,
        "received": 1000,
        "complete": False,
    }
    wrong = data[:1000] + payload(1500)
    bad = put_range(api, other, sha, wrong, 1000, 2500)
    assert bad.status_code == 422 and bad.json()["code"] == "blob_checksum"
    assert uploaders(session, sha) == [owner.device_id]
    assert statuses(push(api, other, create)) == [(2, "rejected", "blob_missing")]
    # A whole upload without Content-Range is no short cut either.
    assert put(api, other, sha, wrong).status_code == 422

    assert put_range(api, other, sha, data, 0, 1200).status_code == 200
    assert put_range(api, other, sha, data, 1200, 2500).json()["complete"] is True
    assert uploaders(session, sha) == sorted([owner.device_id, other.device_id])
    assert stored(session, sha) == (data, 0)
    assert stored_time(session, sha) == stored_at  # content-addressed: not stored again
    assert blob_status(api, other, sha)["complete"] is True
    # Idempotent from now on: any chunk of the same bytes answers complete.
    assert put_range(api, other, sha, data, 0, 1000).json()["complete"] is True

    assert statuses(push(api, other, create)) == [(2, "applied", None)]
    got = data_of(api, other, sha)
    assert got.status_code == 200 and got.content == data


def test_bytes_attached_in_scope_are_usable_without_sending_them(
    api: TestClient, app: FastAPI, enrolled: Callable[..., Device], session: Session
) -> None:
    """The caseworker's second laptop already holds what is attached to the caseload: it may
    name those bytes (attach the scan to another client too) without sending them again. Bytes
    the first laptop uploaded but attached nowhere are still the first laptop's alone."""
    first = enrolled("k.dijkstra", "caseworker")
    second = enroll(api, app, "k.dijkstra")
    lead = enrolled("t.mulder", "team_lead", team=TEAM)
    data = payload(1200)
    sha = digest(data)
    attach(api, first, new_client(api, first, 1, "111222333"), data, seq=2)
    loose = payload(300)
    assert put(api, first, digest(loose), loose).status_code == 200

    assert blob_status(api, second, sha)["complete"] is True
    assert blob_status(api, second, digest(loose)) == never_seen(digest(loose))
    other_client = new_client(api, second, 2, "123456782")
    attach(api, second, other_client, data, seq=2, upload=False)
    assert uploaders(session, sha) == [first.device_id]

    never = digest(b"nothing")
    wanted = {sha, digest(loose), never}
    assert usable(session, actor_of(session, first), wanted) == {sha, digest(loose)}
    assert usable(session, actor_of(session, second), wanted) == {sha}
    assert usable(session, actor_of(session, lead), wanted) == set()
    assert usable(session, actor_of(session, first), set()) == set()
    session.rollback()

    # Once the attachment is deleted, its bytes open nothing any more for the second laptop.
    [attached] = session.scalars(
        select(attachments.c.id).where(
            attachments.c.sha256 == sha, attachments.c.client_id == other_client
        )
    )
    session.rollback()
    gone = push(api, second, entry(3, "attachment", attached, other_client, "delete"))
    assert statuses(gone) == [(3, "applied", None)]
    assert usable(session, actor_of(session, second), {sha}) == {sha}  # the first still names it
    session.rollback()


def test_bytes_the_server_lost_must_be_sent_again(
    api: TestClient, enrolled: Callable[..., Device], session: Session
) -> None:
    """A proof of possession without the bytes proves nothing: the device is told to upload."""
    device = enrolled("k.dijkstra", "caseworker")
    data = payload(700)
    sha = digest(data)
    assert put(api, device, sha, data).json()["complete"] is True
    session.execute(delete(Blob).where(Blob.sha256 == sha))
    session.commit()
    assert blob_status(api, device, sha) == never_seen(sha)
    assert put(api, device, sha, data).json()["complete"] is True
    assert stored(session, sha) == (data, 0)
    assert uploaders(session, sha) == [device.device_id]


# -------------------------------------------------------------------------------- purge


def _age(session: Session, sha256: str, days: int) -> None:
    """Pretend these bytes (and every upload of them) arrived `days` days ago."""
    then = datetime.now(UTC) - timedelta(days=days)
    session.execute(update(Blob).where(Blob.sha256 == sha256).values(stored_at=then))
    session.execute(update(BlobUpload).where(BlobUpload.sha256 == sha256).values(at=then))
    session.commit()


def test_purge_removes_old_unnamed_bytes_and_keeps_named_ones(
    api: TestClient, app: FastAPI, enrolled: Callable[..., Device], session: Session
) -> None:
    owner = enrolled("k.dijkstra", "caseworker")
    other = enrolled("m.bakker", "caseworker")
    client_id = new_client(api, owner, 1, "111222333")
    named, loose, dropped, fresh, renewed = (payload(100 + n) for n in range(5))
    attach(api, owner, client_id, named, seq=2)
    gone = attach(api, owner, client_id, dropped, seq=3)
    assert statuses(push(api, owner, entry(4, "attachment", gone.id, client_id, "delete"))) == [
        (4, "applied", None)
    ]
    for data in (loose, fresh, renewed):
        assert put(api, owner, digest(data), data).status_code == 200
    for data in (named, loose, dropped, renewed):
        _age(session, digest(data), days=8)
    # Old bytes that a device has just sent whole again (for an entry it is about to push).
    assert put(api, other, digest(renewed), renewed).json()["complete"] is True

    # Partial uploads: the owner's own, still going, stays; those of a revoked device, of a
    # device not seen for longer than the period and of no known device go.
    partial = payload(2000)
    assert put_range(api, owner, digest(partial), partial, 0, 1000).status_code == 200
    # An active device's upload that has waited longer than the period for its rest.
    abandoned = payload(3000)
    assert put_range(api, owner, digest(abandoned), abandoned, 0, 1000).status_code == 200
    revoked = enroll(api, app, "k.dijkstra")
    silent = enroll(api, app, "m.bakker")
    for device in (revoked, silent):
        assert put_range(api, device, digest(partial), partial, 0, 1000).status_code == 200
    long_ago = datetime.now(UTC) - timedelta(days=30)
    session.execute(
        update(DeviceRow).where(DeviceRow.id == revoked.device_id).values(revoked_at=long_ago)
    )
    session.execute(
        update(DeviceRow)
        .where(DeviceRow.id == silent.device_id)
        .values(last_seen=long_ago, enrolled_at=long_ago)
    )
    session.execute(
        insert(BlobChunk).values(
            device_id=str(uuid.uuid4()), sha256=digest(partial), offset=0, total=2000, data=b"x"
        )
    )
    session.execute(
        update(BlobChunk).where(BlobChunk.sha256 == digest(abandoned)).values(received_at=long_ago)
    )
    session.commit()

    assert purge_unreferenced(session, days=7) == 2
    session.commit()
    held = set(session.scalars(select(Blob.sha256)))
    assert held == {digest(named), digest(fresh), digest(renewed)}
    assert set(session.scalars(select(BlobUpload.sha256))) == held
    chunk_devices = list(session.scalars(select(BlobChunk.device_id)))
    session.rollback()
    assert chunk_devices == [owner.device_id]

    # The named bytes still open; the removed ones are gone as if never seen, and the device
    # that still holds them simply sends them again.
    assert data_of(api, owner, digest(named)).content == named
    assert blob_status(api, owner, digest(loose)) == never_seen(digest(loose))
    assert put(api, owner, digest(loose), loose).json()["complete"] is True
    # The owner's interrupted upload resumes.
    assert put_range(api, owner, digest(partial), partial, 1000, 2000).json()["complete"] is True
    # Nothing left to remove a second time.
    assert purge_unreferenced(session, days=7) == 0
    session.rollback()


def test_purge_blobs_command(
    api: TestClient,
    enrolled: Callable[..., Device],
    session: Session,
    database_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    device = enrolled("k.dijkstra", "caseworker")
    data = payload(400)
    sha = digest(data)
    assert put(api, device, sha, data).status_code == 200
    _age(session, sha, days=10)

    # The default period comes from the settings: 30 days keeps bytes 10 days old.
    monkeypatch.setenv("VELDWERK_BLOB_UNREFERENCED_DAYS", "30")
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")  # the command's English (it follows the locale)
    assert main(["--database-url", database_url, "purge-blobs"]) == 0
    assert "removed 0 " in capsys.readouterr().out
    assert stored(session, sha) == (data, 0)

    assert main(["--database-url", database_url, "purge-blobs", "--days", "0"]) == 2
    assert main(["--database-url", database_url, "purge-blobs", "--days", "7"]) == 0
    out = capsys.readouterr().out
    assert "removed 1 " in out and sha not in out
    assert stored(session, sha) == (None, 0)
    audited = [
        (row.actor.split(":")[0], row.details)
        for row in session.scalars(
            select(AuditEntry).where(AuditEntry.action == "purge_blobs").order_by(AuditEntry.id)
        )
    ]
    session.rollback()
    assert audited == [("cli", {"removed": 0, "days": 30}), ("cli", {"removed": 1, "days": 7})]
