"""Attachment bytes: PUT /v1/sync/blobs/{sha256} is content-addressed, idempotent and resumable;
GET .../data gives the bytes only to a device whose scope holds an attachment naming them; a
pushed attachment entry naming bytes the server does not hold is refused (blob_missing) without
being recorded, so the same entry is applied once the bytes have arrived.
"""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine, func, insert, select, text
from sqlalchemy.orm import Session

from app.domain.notes import Attachment, Note
from app.sync.protocol import MAX_BLOB_BYTES
from server.models import Blob, BlobChunk, Conflict, DeviceMutation, DeviceSync, attachments
from tests.server.conftest import Device
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
    # m.bakker attaches the same file: the server holds the bytes, so nothing is sent first.
    theirs = new_client(api, second, 2, "123456782")
    attach(api, second, theirs, data, seq=2, upload=False)
    assert session.scalar(select(func.count()).select_from(Blob)) == 1
    session.rollback()
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
    """Two uploads of the same bytes at the same moment (the same scan on two devices, or a
    retry while the first request is still running): the later one must get 409 blob_offset
    and continue from the server's offset, never a 500."""
    device = enrolled("k.dijkstra", "caseworker")
    racing = TestClient(app, raise_server_exceptions=False)
    data = payload(2000)
    sha = digest(data)
    got: list[Response] = []
    with engine.connect() as first:
        transaction = first.begin()
        # The first upload's chunk, written but not yet committed.
        first.execute(
            insert(BlobChunk).values(sha256=sha, offset=0, total=len(data), data=data[:1000])
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
