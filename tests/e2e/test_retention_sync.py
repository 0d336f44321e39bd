"""A file destroyed at central office leaves the device at its next sync, pages included
(issue #15; SECURITY.md S16), against a real server process on SQLite and on PostgreSQL.

A caseworker's device holds the demo caseload and adds a note and an attachment to one client.
At central office every provision of that client ended long ago; the retention run destroys the
file. After the device's next sync the client and everything of it are gone from the device, and
none of its known plaintext (BSN, name, the note, the attachment's bytes) is in any page of the
database file, decrypted with the device's own key: secure_delete zeroed what the rows held, and
the search index kept nothing (device migration 0005).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from app.demo.caseload import DEMO_TODAY
from app.domain.client import Client, HouseholdMember
from app.domain.records import RECORD_TYPES
from app.services import dossier
from app.services import sync as sync_service
from app.storage.store import Store
from app.storage.vault import KdfParams, MemoryAttemptCounter
from server.models import DestroyedClient, enrollments
from server.retention.run import run
from tests.central import Central, central_on
from tests.decrypted_pages import decrypted_pages, plaintext_hits

FAST = KdfParams(1024, 1, 1)
PASSPHRASE = "een lange wachtzin voor de test"
NOTE = "Qqzgeheim: schuld bij de buurman, afspraak op de keukentafel"
SCAN = b"Qqzscan van een loonstrook met het rekeningnummer NL00TEST0123456789"


@pytest.fixture(params=["sqlite", "postgresql"], scope="module")
def central(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Central]:
    with central_on(request.param, tmp_path_factory.mktemp("central"), clients=24, seed=5) as c:
        yield c


def _end_every_provision_long_ago(session: Session, *, client_id: str) -> None:
    session.execute(
        update(enrollments)
        .where(enrollments.c.client_id == client_id)
        .values(end_date="2001-01-01", outcome="granted")
    )


def _needles(store: Store, client: Client) -> dict[bytes, str]:
    """What must not be left of the client: its BSN, the note, the scan, and its surname and
    its household's names where no other client or household member shares them."""
    found = {
        client.bsn.value.encode(): "bsn",
        NOTE.encode(): "note",
        NOTE.encode("utf-16-le"): "note (utf-16)",
        SCAN: "attachment bytes",
    }
    others: set[str] = set()
    for summary in store.caseload():
        if summary.id == client.id:
            continue
        other = store.get(Client, summary.id)
        assert other is not None
        others.add(other.name.surname)
        others |= {m.name.surname for m in store.for_client(HouseholdMember, summary.id)}
    if client.name.surname not in others:
        found[client.name.surname.encode()] = "surname"
    for member in store.for_client(HouseholdMember, client.id):
        if member.bsn is not None:
            found[member.bsn.value.encode()] = "household member's bsn"
    return found


def test_a_destroyed_file_is_purged_from_the_device_and_its_pages(
    central: Central, tmp_path: Path
) -> None:
    profile, store = sync_service.enroll(
        server_url=central.url,
        username="k.dijkstra",
        password=central.passwords["k.dijkstra"],
        code=central.code("k.dijkstra"),
        passphrase=PASSPHRASE,
        profile_name=f"r-{uuid.uuid4().hex[:6]}",
        home=tmp_path / "home",
        params=FAST,
    )
    try:
        assert sync_service.sync_profile(profile, store).received > 0
        client_id = sorted(c.id for c in store.caseload())[0]
        client = store.get(Client, client_id)
        assert client is not None
        dossier.add_note(store, client_id=client_id, text=NOTE)
        dossier.add_attachment(store, client_id, "loonstrook.txt", SCAN)
        pushed = sync_service.sync_profile(profile, store)
        assert pushed.applied >= 2 and pushed.blobs_sent == 1
        needles = _needles(store, client)
        kept_id = next(c.id for c in store.caseload() if c.id != client_id)
        # The scan sees what the device holds: before the destruction, all of it is there.
        store.close()
        key = profile.vault(counter=MemoryAttemptCounter()).unlock(PASSPHRASE)
        before = plaintext_hits(profile.db_path, key, needles)
        stored_as_utf8 = {label for label in needles.values() if "utf-16" not in label}
        assert {hit.split(" on page")[0] for hit in before} == stored_as_utf8, before
        store = profile.unlock(PASSPHRASE, vault=profile.vault(counter=MemoryAttemptCounter()))

        central.run(_end_every_provision_long_ago, client_id=client_id)
        result = central.run(
            run,
            today=DEMO_TODAY,  # the day the demo caseload is built around: a fixed clock
            now=datetime.now(UTC),
            by="cli:test",
            dry_run=False,
        )
        assert client_id in result.plan.destruction.client_ids
        assert central.run(lambda session: session.get(DestroyedClient, client_id) is not None)

        report = sync_service.sync_profile(profile, store)
        assert report.purged >= 1 and "audit_chain_broken" not in report.warnings
        assert store.get(Client, client_id) is None
        for record_type in RECORD_TYPES:
            if record_type is not Client:
                assert store.for_client(record_type, client_id) == []
        assert client_id not in {c.id for c in store.search(client.bsn.value)}
        assert store.get(Client, kept_id) is not None
        # The purge event reached central office: the device's chain is intact.
        assert sync_service.sync_profile(profile, store).warnings == []
    finally:
        store.close()

    database = profile.db_path
    assert not database.with_name(database.name + "-wal").exists()
    # Page 1 decrypts to SQLite's header (after the salt): page size 4096, big-endian.
    assert next(decrypted_pages(database, key))[1][:2] == b"\x10\x00"
    assert plaintext_hits(database, key, needles) == []
    raw = database.read_bytes()
    assert not [label for needle, label in needles.items() if needle in raw]
