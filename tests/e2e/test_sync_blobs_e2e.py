"""Attachment bytes end to end, through the real server process (uvicorn on 127.0.0.1, SQLite and
PostgreSQL) and the real device code: a device adds a scan and syncs, the bytes go up before the
entry that names them, a second device of the same caseworker downloads them; an upload cut off
halfway continues from the server's offset on the next sync and its entry is applied once; the
team lead's device, another caseworker and an admin cannot download them.

Proof of possession from the device's side: a device whose bytes the server holds from someone
else is told "not complete" and sends them whole; bytes the server lost after the device sent
them are sent again; an entry refused as `blob_missing` stays in the journal and the next round
uploads the bytes and has it applied.

The `central` fixture (server process, seeded demo data) and the enrollment helper come from
test_sync_e2e.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest
import requests
from pydantic import BaseModel
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.domain.notes import Attachment
from app.services import dossier
from app.services import sync as sync_service
from app.storage import sync_state
from app.sync.client import SyncError
from app.sync.engine import SyncReport
from app.sync.protocol import BLOB_CHUNK_BYTES
from server.db import make_engine
from server.models import Blob, BlobChunk, BlobUpload, DeviceMutation, attachments
from tests.central import Central
from tests.e2e import test_sync_e2e as e2e
from tests.e2e.test_sync_e2e import Device
from tests.e2e.test_sync_scenarios import Recording, admin_headers, bearer

# The module-scoped server fixture (both backends); a fixture from a test module is found by
# pytest only when it is a name in this module too.
central = e2e.central

CASEWORKER = "k.dijkstra"
OTHER_CASEWORKER = "m.bakker"
TEAM_LEAD = "t.mulder"

M = TypeVar("M", bound=BaseModel)


class Wire(Recording):
    """The device's real transport, keeping the Content-Range of every chunk it sent, the push
    answers and the downloads; `cut_after` chunks it fails like a dropped connection (after the
    server took the chunk)."""

    def __init__(self, base_url: str, *, token: str, cut_after: int | None = None) -> None:
        super().__init__(base_url, token=token, attempts=2)
        self.cut_after = cut_after
        self.ranges: list[str] = []
        self.downloads: list[str] = []

    def put_bytes(
        self, path: str, data: bytes, answer: type[M], *, headers: Mapping[str, str]
    ) -> M:
        result = super().put_bytes(path, data, answer, headers=headers)
        self.ranges.append(headers.get("Content-Range", "<whole>"))
        if self.cut_after is not None and len(self.ranges) >= self.cut_after:
            raise SyncError(
                "server_unreachable",
                "De verbinding viel weg (test).",
                "The connection dropped (test).",
            )
        return result

    def get_bytes(self, path: str) -> bytes:
        data = super().get_bytes(path)
        self.downloads.append(path)
        return data


def _wire(device: Device, cut_after: int | None = None) -> Wire:
    store = device.store
    return Wire(
        str(store.setting(sync_service.SERVER)),
        token=str(store.setting(sync_service.TOKEN)),
        cut_after=cut_after,
    )


def _sync(device: Device, wire: Wire) -> SyncReport:
    try:
        return sync_service.sync_profile(device.profile, device.store, transport=wire)
    finally:
        wire.close()


def _enroll(central: Central, home: Path, username: str) -> Device:
    return e2e._enroll(central, home, username, f"{username[0]}-{uuid.uuid4().hex[:8]}")


def _download(central: Central, headers: Mapping[str, str], sha256: str) -> requests.Response:
    return requests.get(
        f"{central.url}/v1/sync/blobs/{sha256}/data", headers=dict(headers), timeout=10
    )


@contextmanager
def _server(central: Central) -> Iterator[Session]:
    engine = make_engine(central.database_url)
    try:
        with Session(engine) as session:
            yield session
    finally:
        engine.dispose()


def _server_blob(central: Central, sha256: str) -> tuple[bytes | None, int]:
    """(the complete bytes the server holds, or None; the number of chunks still waiting)."""
    with _server(central) as session:
        blob = session.get(Blob, sha256)
        chunks = session.scalar(
            select(func.count()).select_from(BlobChunk).where(BlobChunk.sha256 == sha256)
        )
        return (bytes(blob.data) if blob is not None else None), int(chunks or 0)


def _attachment_rows(central: Central, attachment_id: str) -> list[tuple[int, bool]]:
    with _server(central) as session:
        return [
            (int(r.version), bool(r.deleted))
            for r in session.execute(
                select(attachments.c.version, attachments.c.deleted).where(
                    attachments.c.id == attachment_id
                )
            )
        ]


def _answers_stored(central: Central, device_id: str, mutation_id: str) -> list[dict[str, Any]]:
    with _server(central) as session:
        return [
            dict(answer)
            for answer in session.scalars(
                select(DeviceMutation.answer).where(
                    DeviceMutation.device_id == device_id,
                    DeviceMutation.mutation_id == mutation_id,
                )
            )
        ]


def _a_client(device: Device) -> str:
    caseload = sorted(c.id for c in device.store.caseload())
    assert caseload, "the demo caseload did not arrive"
    return caseload[0]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def test_an_attachment_reaches_the_other_device_of_the_same_caseworker(
    central: Central, home: Path
) -> None:
    first = _enroll(central, home, CASEWORKER)
    second = _enroll(central, home, CASEWORKER)
    try:
        first.sync()
        second.sync()
        data = os.urandom(300_000)
        added = dossier.add_attachment(first.store, _a_client(first), "scan.pdf", data)
        assert added.sha256 == hashlib.sha256(data).hexdigest()

        sent_wire = _wire(first)
        sent = _sync(first, sent_wire)
        assert sent.blobs_sent == 1 and sent.applied == 1 and sent.rejected == 0
        assert sent_wire.ranges == [f"bytes 0-{len(data) - 1}/{len(data)}"]
        assert _server_blob(central, added.sha256) == (data, 0)
        assert _attachment_rows(central, added.id) == [(1, False)]

        got_wire = _wire(second)
        got = _sync(second, got_wire)
        assert got.blobs_received == 1
        assert got_wire.downloads == [f"/v1/sync/blobs/{added.sha256}/data"]
        arrived = second.store.get(Attachment, added.id)
        assert arrived is not None and arrived.sha256 == added.sha256
        assert second.store.get_blob(added.sha256) == data
        assert dossier.attachment_bytes(second.store, added.id) == data

        # Nothing travels twice: both devices hold the bytes now.
        for device in (first, second):
            wire = _wire(device)
            again = _sync(device, wire)
            assert (again.blobs_sent, again.blobs_received) == (0, 0)
            assert wire.ranges == [] and wire.downloads == []
    finally:
        first.store.close()
        second.store.close()


def test_bytes_the_server_lost_do_not_stop_the_sync(central: Central, home: Path) -> None:
    first = _enroll(central, home, CASEWORKER)
    second = _enroll(central, home, CASEWORKER)
    try:
        first.sync()
        second.sync()
        data = os.urandom(2000)
        added = dossier.add_attachment(first.store, _a_client(first), "brief.pdf", data)
        assert first.sync().blobs_sent == 1
        # The bytes are gone on the server (say, restored without them); the record is there.
        with _server(central) as session:
            session.execute(delete(Blob).where(Blob.sha256 == added.sha256))
            session.commit()

        report = second.sync()
        assert "attachment_missing_on_server" in report.warnings
        assert report.blobs_received == 0
        assert second.store.get(Attachment, added.id) is not None
        assert second.store.get_blob(added.sha256) is None
        # The round completed: the sync time is set, so the offline lease runs from now.
        assert second.store.setting(sync_state.LAST_SYNC) is not None

        # Once the bytes are back, the next round fetches them.
        with _server(central) as session:
            session.add(
                Blob(sha256=added.sha256, size=len(data), data=data, stored_at=datetime.now(UTC))
            )
            session.commit()
        assert second.sync().blobs_received == 1
        assert second.store.get_blob(added.sha256) == data
    finally:
        first.store.close()
        second.store.close()


def test_an_interrupted_upload_resumes_and_the_entry_is_applied_once(
    central: Central, home: Path
) -> None:
    device = _enroll(central, home, CASEWORKER)
    try:
        device.sync()
        size = 2 * BLOB_CHUNK_BYTES + BLOB_CHUNK_BYTES // 2  # three chunks
        data = os.urandom(size)
        added = dossier.add_attachment(device.store, _a_client(device), "scan.pdf", data)
        [journal] = [e for e in device.store.journal_entries() if e.record_id == added.id]
        device_id = str(device.store.setting(sync_service.DEVICE))

        cut = _wire(device, cut_after=1)
        with pytest.raises(SyncError) as dropped:
            _sync(device, cut)
        assert dropped.value.code == "server_unreachable"
        assert cut.ranges == [f"bytes 0-{BLOB_CHUNK_BYTES - 1}/{size}"]
        assert cut.pushes == []  # the bytes go first: the entry was not sent
        # The server kept the first chunk and says so.
        held = requests.get(
            f"{central.url}/v1/sync/blobs/{added.sha256}", headers=bearer(device), timeout=10
        ).json()
        assert held == {
            "sha256": added.sha256,
            "size": size,
            "received": BLOB_CHUNK_BYTES,
            "complete": False,
        }
        assert _server_blob(central, added.sha256) == (None, 1)
        assert _attachment_rows(central, added.id) == []
        assert device.store.pending_count() >= 1

        resumed = _wire(device)
        report = _sync(device, resumed)
        # Only what the server did not hold yet.
        assert resumed.ranges == [
            f"bytes {BLOB_CHUNK_BYTES}-{2 * BLOB_CHUNK_BYTES - 1}/{size}",
            f"bytes {2 * BLOB_CHUNK_BYTES}-{size - 1}/{size}",
        ]
        assert report.blobs_sent == 1 and report.rejected == 0
        verdicts = [
            (a.status.value, a.code)
            for push in resumed.pushes
            for a in push.answers
            if a.seq == journal.seq
        ]
        assert verdicts == [("applied", None)]
        assert _server_blob(central, added.sha256) == (data, 0)
        assert _attachment_rows(central, added.id) == [(1, False)]
        stored = _answers_stored(central, device_id, journal.mutation_id)
        assert [a["status"] for a in stored] == ["applied"]
        assert device.store.pending_count() == 0

        quiet = _wire(device)
        after = _sync(device, quiet)
        assert after.blobs_sent == 0 and quiet.ranges == [] and quiet.pushes == []
        assert _attachment_rows(central, added.id) == [(1, False)]
    finally:
        device.store.close()


def test_another_caseworker_and_an_admin_cannot_download_the_bytes(
    central: Central, home: Path
) -> None:
    owner = _enroll(central, home, CASEWORKER)
    other = _enroll(central, home, OTHER_CASEWORKER)
    try:
        owner.sync()
        other.sync()
        data = os.urandom(5000)
        added = dossier.add_attachment(owner.store, _a_client(owner), "brief.pdf", data)
        assert owner.sync().blobs_sent == 1
        assert _download(central, bearer(owner), added.sha256).content == data

        refused = _download(central, bearer(other), added.sha256)
        assert refused.status_code == 404, refused.text
        assert refused.json()["code"] == "not_found"
        report = other.sync()
        assert report.blobs_received == 0
        assert other.store.get(Attachment, added.id) is None
        assert other.store.get_blob(added.sha256) is None

        admin = _download(central, admin_headers(central), added.sha256)
        assert admin.status_code == 403, admin.text
        assert admin.json()["code"] == "forbidden"
    finally:
        owner.store.close()
        other.store.close()


def test_the_team_leads_device_cannot_download_the_bytes(central: Central, home: Path) -> None:
    """The team lead's device holds the clients whose intakes wait for review, and never their
    attachments: its scope holds no attachment that names these bytes."""
    owner = _enroll(central, home, CASEWORKER)
    lead = _enroll(central, home, TEAM_LEAD)
    try:
        owner.sync()
        lead.sync()
        data = os.urandom(5000)
        added = dossier.add_attachment(owner.store, _a_client(owner), "brief.pdf", data)
        assert owner.sync().blobs_sent == 1
        report = lead.sync()
        assert report.blobs_received == 0
        assert lead.store.get_blob(added.sha256) is None

        answer = _download(central, bearer(lead), added.sha256)
        assert answer.status_code == 404, (
            f"the team lead's device got {answer.status_code} "
            f"({len(answer.content)} bytes) of a caseworker's attachment"
        )
    finally:
        owner.store.close()
        lead.store.close()


def test_an_empty_attachment_syncs(central: Central, home: Path) -> None:
    """An empty file is a valid attachment (size 0 passes the domain and add_attachment); it
    must not block the device's journal."""
    first = _enroll(central, home, CASEWORKER)
    second = _enroll(central, home, CASEWORKER)
    try:
        first.sync()
        second.sync()
        added = dossier.add_attachment(first.store, _a_client(first), "leeg.txt", b"")
        assert added.size == 0
        report = first.sync()
        assert report.rejected == 0 and first.store.pending_count() == 0
        assert _server_blob(central, added.sha256) == (b"", 0)
        assert _attachment_rows(central, added.id) == [(1, False)]
        assert second.sync().blobs_received == 1
        assert second.store.get_blob(added.sha256) == b""
    finally:
        first.store.close()
        second.store.close()


def _uploaders(central: Central, sha256: str) -> list[str]:
    with _server(central) as session:
        return sorted(
            session.scalars(select(BlobUpload.device_id).where(BlobUpload.sha256 == sha256))
        )


def _lose_bytes(central: Central, sha256: str) -> None:
    """The server loses the bytes and every proof of them (as `purge-blobs` would)."""
    with _server(central) as session:
        session.execute(delete(BlobUpload).where(BlobUpload.sha256 == sha256))
        session.execute(delete(Blob).where(Blob.sha256 == sha256))
        session.commit()


def test_a_device_sends_bytes_the_server_holds_from_someone_else(
    central: Central, home: Path
) -> None:
    """The same scan on two caseworkers' laptops: the server holds it from the first, and still
    the second is told "not complete" and sends it whole, then its entry is applied."""
    owner = _enroll(central, home, CASEWORKER)
    other = _enroll(central, home, OTHER_CASEWORKER)
    try:
        owner.sync()
        other.sync()
        data = os.urandom(5000)
        first = dossier.add_attachment(owner.store, _a_client(owner), "brief.pdf", data)
        assert owner.sync().blobs_sent == 1
        second = dossier.add_attachment(other.store, _a_client(other), "brief.pdf", data)
        assert second.sha256 == first.sha256

        wire = _wire(other)
        report = _sync(other, wire)
        assert wire.ranges == [f"bytes 0-{len(data) - 1}/{len(data)}"]
        assert report.blobs_sent == 1 and report.applied == 1 and report.rejected == 0
        assert [a.code for p in wire.pushes for a in p.answers] == [None]
        assert _attachment_rows(central, second.id) == [(1, False)]
        assert _server_blob(central, first.sha256) == (data, 0)
        ids = [str(d.store.setting(sync_service.DEVICE)) for d in (owner, other)]
        assert _uploaders(central, first.sha256) == sorted(ids)
        assert _download(central, bearer(other), first.sha256).content == data
    finally:
        owner.store.close()
        other.store.close()


def test_bytes_the_server_lost_after_the_upload_are_sent_again(
    central: Central, home: Path
) -> None:
    """The device sent the bytes, the connection dropped before the push, and the server no
    longer has them (removed as unreferenced): the next round asks, hears "not complete"
    although the device sent them before, and sends them again."""
    device = _enroll(central, home, CASEWORKER)
    try:
        device.sync()
        data = os.urandom(3000)
        added = dossier.add_attachment(device.store, _a_client(device), "scan.pdf", data)
        cut = _wire(device, cut_after=1)
        with pytest.raises(SyncError):
            _sync(device, cut)
        assert cut.pushes == [] and _server_blob(central, added.sha256) == (data, 0)
        _lose_bytes(central, added.sha256)

        again = _wire(device)
        report = _sync(device, again)
        assert again.ranges == [f"bytes 0-{len(data) - 1}/{len(data)}"]
        assert report.blobs_sent == 1 and report.applied == 1 and report.rejected == 0
        assert _server_blob(central, added.sha256) == (data, 0)
        assert _attachment_rows(central, added.id) == [(1, False)]
        assert device.store.pending_count() == 0
    finally:
        device.store.close()


class LosingWire(Wire):
    """Loses the bytes on the server right after the device completed its upload, once: the
    push that follows names bytes the server no longer has."""

    def __init__(self, base_url: str, *, token: str, central: Central) -> None:
        super().__init__(base_url, token=token)
        self.central = central
        self.lost = False

    def put_bytes(
        self, path: str, data: bytes, answer: type[M], *, headers: Mapping[str, str]
    ) -> M:
        result = super().put_bytes(path, data, answer, headers=headers)
        if not self.lost and getattr(result, "complete", False):
            _lose_bytes(self.central, path.rsplit("/", 1)[-1])
            self.lost = True
        return result


def test_a_blob_missing_answer_leads_to_an_upload_and_a_retry(central: Central, home: Path) -> None:
    device = _enroll(central, home, CASEWORKER)
    try:
        device.sync()
        data = os.urandom(4000)
        added = dossier.add_attachment(device.store, _a_client(device), "scan.pdf", data)
        [journal] = [e for e in device.store.journal_entries() if e.record_id == added.id]
        device_id = str(device.store.setting(sync_service.DEVICE))

        losing = LosingWire(
            str(device.store.setting(sync_service.SERVER)),
            token=str(device.store.setting(sync_service.TOKEN)),
            central=central,
        )
        with pytest.raises(SyncError) as refused:
            _sync(device, losing)
        assert refused.value.code == "blob_missing"
        assert [(a.status.value, a.code) for p in losing.pushes for a in p.answers] == [
            ("rejected", "blob_missing")
        ]
        # Not acknowledged, not recorded: the entry waits in the journal for its bytes.
        assert [e.seq for e in device.store.journal_entries()] == [journal.seq]
        assert _answers_stored(central, device_id, journal.mutation_id) == []
        assert _attachment_rows(central, added.id) == []

        retry = _wire(device)
        report = _sync(device, retry)
        assert retry.ranges == [f"bytes 0-{len(data) - 1}/{len(data)}"]
        assert report.blobs_sent == 1 and report.applied == 1 and report.rejected == 0
        assert _attachment_rows(central, added.id) == [(1, False)]
        stored = _answers_stored(central, device_id, journal.mutation_id)
        assert [a["status"] for a in stored] == ["applied"]
        assert device.store.pending_count() == 0
        assert _server_blob(central, added.sha256) == (data, 0)
    finally:
        device.store.close()
