"""Two scenarios of issue #4 end to end, through the real server process (uvicorn on 127.0.0.1,
SQLite and PostgreSQL) and the real device code:

- a client reassigned while the old caseworker's device is offline with unsynced edits, and
  back again (SYNC.md scenarios 8 and 9);
- a team lead's return-with-comments decision, pushed from the team lead's device, arriving
  while the caseworker edits the same intake offline (SYNC.md scenario 10).

The `central` fixture (server process, seeded demo data) and the enrollment helper come from
test_sync_e2e. Assignments are changed through the server's admin API with an admin's token.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest
import requests
from pydantic import BaseModel
from sqlalchemy import select

from app.domain.client import Client
from app.domain.intake import DomainScore, Intake, IntakeSection
from app.domain.notes import Attachment, Note
from app.domain.records import BY_ENTITY, Record
from app.domain.roles import Role
from app.domain.schema import field_names
from app.domain.states import IntakeStatus
from app.domain.visit import Visit, VisitPurpose
from app.services import intake as intake_service
from app.services import review as review_service
from app.services import sync as sync_service
from app.storage import sync_state
from app.storage.search import match_query
from app.storage.store import Store
from app.storage.tables import ENTITY_TABLES
from app.storage.tables import conflicts as device_conflicts
from app.sync.client import Transport
from app.sync.engine import Progress, SyncReport
from app.sync.protocol import Page, PushAnswer
from server.db import make_engine
from server.models import RECORD_TABLES, Conflict, DeviceSync, OrphanedMutation
from server.policy import TEAM_LEAD_ENTITIES
from tests import store_access
from tests.central import Central
from tests.e2e import test_sync_e2e as e2e
from tests.e2e.test_sync_e2e import Device
from tests.intake_answers import completing

# The module-scoped server fixture (both backends); a fixture from a test module is found by
# pytest only when it is a name in this module too.
central = e2e.central

CASEWORKER_A = "k.dijkstra"
CASEWORKER_B = "m.bakker"
TEAM_LEAD = "t.mulder"
ADMIN = "beheer"
ALL_ENTITIES = tuple(ENTITY_TABLES)

M = TypeVar("M", bound=BaseModel)
R = TypeVar("R", bound=Record)


# --------------------------------------------------------------------------------------------
# Helpers: a transport that keeps what the server answered, the admin API, both sides' rows.


class Recording(Transport):
    """The device's real transport, keeping each push answer and pull page it received."""

    def __init__(self, base_url: str, *, token: str, **options: Any) -> None:
        super().__init__(base_url, token=token, **options)
        self.pushes: list[PushAnswer] = []
        self.pages: list[Page] = []

    def request(
        self,
        method: str,
        path: str,
        answer: type[M],
        *,
        body: BaseModel | None = None,
        params: Mapping[str, Any] | None = None,
        attempts: int | None = None,
        timeout: tuple[float, float] | None = None,
        on_headers: Callable[[Mapping[str, str]], None] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> M:
        result = super().request(
            method,
            path,
            answer,
            body=body,
            params=params,
            on_headers=on_headers,
            headers=headers,
        )
        if isinstance(result, PushAnswer):
            self.pushes.append(result)
            if result.page is not None:
                self.pages.append(result.page)
        elif isinstance(result, Page):
            self.pages.append(result)
        return result

    @property
    def entered(self) -> set[str]:
        return {cid for page in self.pages for cid in page.scope_enter}

    @property
    def exited(self) -> set[str]:
        return {cid for page in self.pages for cid in page.scope_exit}

    @property
    def statuses(self) -> list[tuple[str, str | None]]:
        return [(a.status.value, a.code) for p in self.pushes for a in p.answers]


def _sync(device: Device, progress: Progress | None = None) -> tuple[SyncReport, Recording]:
    store = device.store
    wire = Recording(
        str(store.setting(sync_service.SERVER)), token=str(store.setting(sync_service.TOKEN))
    )
    try:
        report = sync_service.sync_profile(device.profile, store, progress=progress, transport=wire)
    finally:
        wire.close()
    return report, wire


def _enroll(central: Central, home: Path, username: str) -> Device:
    return e2e._enroll(central, home, username, f"{username[0]}-{uuid.uuid4().hex[:8]}")


def _step_other_than(*taken: int | None) -> int:
    """A participation ladder step (1..6) none of `taken` holds."""
    return next(step for step in range(1, 7) if step not in taken)


Reassign = Callable[[str, str], None]


def admin_headers(central: Central) -> dict[str, str]:
    """An admin's device token (an admin keeps no dossiers, so no profile: the API directly)."""
    enrolled = requests.post(
        central.url + "/v1/enroll",
        json={
            "username": ADMIN,
            "password": central.passwords[ADMIN],
            "enrollment_code": central.code(ADMIN),
            "device_name": "beheer-pc",
        },
        timeout=10,
    )
    assert enrolled.status_code == 201, enrolled.text
    return {"Authorization": f"Bearer {enrolled.json()['token']}"}


def bearer(device: Device) -> dict[str, str]:
    return {"Authorization": f"Bearer {device.store.setting(sync_service.TOKEN)}"}


def _orphaned_changes(central: Central, device: Device, client_id: str) -> requests.Response:
    return requests.get(
        f"{central.url}/v1/clients/{client_id}/orphaned-changes",
        headers=bearer(device),
        timeout=10,
    )


@pytest.fixture
def reassign(central: Central) -> Reassign:
    """Move a client to a caseworker through POST /v1/admin/assignments, as central office."""
    headers = admin_headers(central)

    def move(client_id: str, caseworker: str) -> None:
        answer = requests.post(
            central.url + "/v1/admin/assignments",
            json={"client_id": client_id, "caseworker": caseworker},
            headers=headers,
            timeout=10,
        )
        assert answer.status_code == 201, answer.text
        assert answer.json()["caseworker"] == caseworker

    return move


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def _normalised(entity: str, record_id: str, row: Any) -> dict[str, Any]:
    fields = {k: row[k] for k in field_names(entity)}
    return BY_ENTITY[entity].from_fields(record_id, dict(fields)).to_fields()


Rows = dict[tuple[str, str], tuple[int, dict[str, Any]]]


def _server_rows(
    central: Central, client_id: str, entities: tuple[str, ...] = ALL_ENTITIES
) -> Rows:
    """Every live record of one client on the server: (entity, id) -> (version, fields)."""
    engine = make_engine(central.database_url)
    found: Rows = {}
    try:
        with engine.connect() as conn:
            for entity in entities:
                table = RECORD_TABLES[entity]
                key = table.c.id if entity == "client" else table.c.client_id
                for row in conn.execute(
                    select(table).where(key == client_id, table.c.deleted.is_(False))
                ):
                    m = row._mapping
                    found[(entity, str(m["id"]))] = (
                        int(m["version"]),
                        _normalised(entity, str(m["id"]), m),
                    )
    finally:
        engine.dispose()
    return found


def _device_rows(store: Store, client_id: str, entities: tuple[str, ...] = ALL_ENTITIES) -> Rows:
    """Every row of one client on a device, tombstones included (they should not be there)."""
    found: Rows = {}
    with store_access.connect(store) as conn:
        for entity in entities:
            table = ENTITY_TABLES[entity]
            key = table.c.id if entity == "client" else table.c.client_id
            for row in conn.execute(select(table).where(key == client_id)):
                m = row._mapping
                assert not m["deleted"], f"a tombstone of {entity} {m['id']} is left on the device"
                found[(entity, str(m["id"]))] = (
                    int(m["version"]) if m["version"] is not None else -1,
                    _normalised(entity, str(m["id"]), m),
                )
    return found


def _server_record(central: Central, kind: type[R], record_id: str) -> tuple[int, R] | None:
    """(version, record) of a live record on the server; None when absent or deleted."""
    engine = make_engine(central.database_url)
    try:
        with engine.connect() as conn:
            table = RECORD_TABLES[kind.ENTITY]
            row = conn.execute(select(table).where(table.c.id == record_id)).first()
    finally:
        engine.dispose()
    if row is None or row._mapping["deleted"]:
        return None
    m = row._mapping
    return int(m["version"]), kind.from_fields(
        record_id, {k: m[k] for k in field_names(kind.ENTITY)}
    )


def _orphans(central: Central, client_id: str) -> list[OrphanedMutation]:
    engine = make_engine(central.database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(OrphanedMutation.__table__)
                .where(OrphanedMutation.client_id == client_id)
                .order_by(OrphanedMutation.id)
            ).all()
    finally:
        engine.dispose()
    return [
        OrphanedMutation(
            device_id=r.device_id,
            client_id=r.client_id,
            entry=r.entry,
            created_at=r.created_at,
            handled_at=r.handled_at,
        )
        for r in rows
    ]


def _server_conflicts(central: Central, record_id: str) -> list[tuple[str, Any, Any, Any, str]]:
    """(field, base, device value, server value, device id) of a record's server conflicts."""
    engine = make_engine(central.database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(Conflict.__table__)
                .where(Conflict.record_id == record_id)
                .order_by(Conflict.field)
            ).all()
    finally:
        engine.dispose()
    return [(r.field, r.base, r.device_value, r.server_value, r.device_id) for r in rows]


def _reported_conflicts(central: Central, device: Device) -> int | None:
    """The open conflicts the device said in its last hello it holds."""
    engine = make_engine(central.database_url)
    try:
        with engine.connect() as conn:
            found = conn.execute(
                select(DeviceSync.__table__.c.open_conflicts).where(
                    DeviceSync.device_id == _device_id(device)
                )
            ).scalar_one()
    finally:
        engine.dispose()
    return None if found is None else int(found)


def _index_hits(store: Store, text: str) -> int:
    """Rows of the device's full-text index (not joined to clients) matching `text`."""
    match = match_query(text)
    assert match is not None
    with store_access.connect(store) as conn:
        return int(
            conn.exec_driver_sql(
                "SELECT count(*) FROM client_search WHERE client_search MATCH ?", (match,)
            ).scalar_one()
        )


def _conflict_rows(store: Store, client_id: str) -> int:
    with store_access.connect(store) as conn:
        return len(
            conn.execute(
                select(device_conflicts.c.id).where(device_conflicts.c.client_id == client_id)
            ).all()
        )


def _device_id(device: Device) -> str:
    return str(device.store.setting(sync_service.DEVICE))


def _assert_holds_whole(central: Central, device: Device, client_id: str) -> Rows:
    """The device holds the client exactly as the server does: every live record, same
    versions, same values, nothing more."""
    on_server = _server_rows(central, client_id)
    on_device = _device_rows(device.store, client_id)
    assert on_device.keys() == on_server.keys()
    for key, value in on_server.items():
        assert on_device[key] == value, key
    return on_server


def _assert_purged(device: Device, client: Client, blobs: tuple[str, ...] = ()) -> None:
    """Rows, attachment bytes, search index entries and conflicts of the client: all gone."""
    store = device.store
    assert _device_rows(store, client.id) == {}
    assert _conflict_rows(store, client.id) == 0
    assert _index_hits(store, client.bsn.value) == 0
    assert _index_hits(store, client.name.surname) == 0
    assert client.id not in {c.id for c in store.search(client.bsn.value)}
    for sha in blobs:
        assert store.get_blob(sha) is None


# --------------------------------------------------------------------------------------------
# Scenario: reassignment while the old device is offline with unsynced edits, and back again.


def test_reassignment_while_old_device_offline_with_edits_and_back(
    central: Central, home: Path, reassign: Reassign
) -> None:
    a = _enroll(central, home, CASEWORKER_A)
    b = _enroll(central, home, CASEWORKER_B)
    try:
        _sync(a)
        _sync(b)
        # A client of A's with notes and visits and no intake work in progress.
        x_id = next(
            c.id
            for c in a.store.caseload()
            if len(a.store.for_client(Note, c.id)) > 0
            and len(a.store.for_client(Visit, c.id)) > 0
            and not any(i.editable for i in a.store.for_client(Intake, c.id))
        )
        before = _assert_holds_whole(central, a, x_id)
        x = a.store.get(Client, x_id)
        assert x is not None and x.caseworker == CASEWORKER_A
        assert _device_rows(b.store, x_id) == {}

        # A, offline: three fields of the client, a new note, a new visit, a scan.
        now = datetime.now(UTC).replace(microsecond=0)
        a_step = _step_other_than(x.participation_step)
        b_step = _step_other_than(x.participation_step, a_step)
        a_fields = {
            "phone": "0612345678",
            "house_number": x.address.house_number + 200,
            "participation_step": a_step,
        }
        assert all(x.to_fields()[k] != v for k, v in a_fields.items())
        a.store.update(Client.from_fields(x_id, {**x.to_fields(), **a_fields}))
        a_note = a.store.create(
            Note(
                client_id=x_id,
                text="Offline: schulden besproken.",
                author=CASEWORKER_A,
                written_at=now,
            )
        )
        a_visit = a.store.create(
            Visit(
                client_id=x_id,
                planned_at=now + timedelta(days=7),
                purpose=VisitPurpose.VOORTGANG,
                caseworker=CASEWORKER_A,
            )
        )
        scan = b"%PDF-1.4 offline scan " + uuid.uuid4().bytes
        sha = a.store.put_blob(scan)
        a_scan = a.store.create(
            Attachment(
                client_id=x_id,
                name="brief.pdf",
                media_type="application/pdf",
                size=len(scan),
                sha256=sha,
            )
        )
        assert a.store.pending_count() == 4
        assert _index_hits(a.store, x.bsn.value) == 1

        # Central office moves X to B; B syncs and gets X whole, without A's unsynced edits.
        reassign(x_id, CASEWORKER_B)
        report_b, wire_b = _sync(b)
        assert x_id in wire_b.entered and x_id not in wire_b.exited
        assert report_b.rejected == 0
        arrived = _assert_holds_whole(central, b, x_id)
        assert arrived.keys() == before.keys()
        on_b = b.store.get(Client, x_id)
        assert on_b is not None
        assert on_b.caseworker == CASEWORKER_B
        assert on_b.to_fields() == {**x.to_fields(), "caseworker": CASEWORKER_B}
        assert b.store.get(Note, a_note.id) is None

        # B works on X: the same field A changed, another field, and a note of B's own.
        b.store.update(
            Client.from_fields(
                x_id, {**on_b.to_fields(), "participation_step": b_step, "email": "x@voorbeeld.nl"}
            )
        )
        b_note = b.store.create(
            Note(
                client_id=x_id, text="Overgenomen van collega.", author=CASEWORKER_B, written_at=now
            )
        )
        report_b, _ = _sync(b)
        assert (report_b.applied, report_b.conflicts, report_b.rejected) == (2, 0, 0)

        # A syncs at last. While it syncs, right after its push, A types one more note on X:
        # that entry waits, so X must stay on A (not purged) until the entry is answered.
        late: list[Note] = []

        def edit_after_push(phase: str, done: int, total: int) -> None:
            if phase == "push" and done == total and not late:
                late.append(
                    a.store.create(
                        Note(
                            client_id=x_id,
                            text="Nog een notitie tijdens sync.",
                            author=CASEWORKER_A,
                            written_at=now,
                        )
                    )
                )

        report_a, wire_a = _sync(a, progress=edit_after_push)
        assert late, "the progress callback did not run after the push"
        # Nothing of A's was applied: X left A's scope before the edits arrived, so each entry
        # was kept on the server as an orphaned mutation, never dropped.
        assert wire_a.statuses == [("orphaned", "not_in_scope")] * 4
        assert (report_a.sent, report_a.orphaned, report_a.applied) == (4, 4, 0)
        assert x_id in wire_a.exited
        # The exit waits for the note typed during the sync.
        assert a.store.pending_count() == 1
        assert a.store.get(Client, x_id) is not None
        assert a.store.get(Note, late[0].id) is not None
        assert a.store.setting(sync_state.PENDING_EXITS) == [x_id]

        report_a, wire_a = _sync(a)
        assert wire_a.statuses == [("orphaned", "not_in_scope")]
        assert report_a.purged >= 1
        assert a.store.pending_count() == 0
        assert not a.store.setting(sync_state.PENDING_EXITS)
        _assert_purged(a, x, blobs=(sha,))
        assert x_id not in {c.id for c in a.store.caseload()}

        # On the server: B's values current, none of A's; A's five edits kept as orphans, in
        # order, with the values A typed, waiting for a person.
        server_x = _server_record(central, Client, x_id)
        assert server_x is not None
        assert server_x[1].to_fields() == {
            **x.to_fields(),
            "caseworker": CASEWORKER_B,
            "participation_step": b_step,
            "email": "x@voorbeeld.nl",
        }
        for record in (a_note, a_visit, a_scan, late[0]):
            assert _server_record(central, type(record), record.id) is None
        orphans = _orphans(central, x_id)
        assert [o.device_id for o in orphans] == [_device_id(a)] * 5
        assert all(o.handled_at is None for o in orphans)
        kept = [(o.entry["op"], o.entry["entity"], o.entry["record_id"]) for o in orphans]
        assert kept == [
            ("update", "client", x_id),
            ("create", "note", a_note.id),
            ("create", "visit", a_visit.id),
            ("create", "attachment", a_scan.id),
            ("create", "note", late[0].id),
        ]
        assert orphans[0].entry["new_values"] == a_fields
        assert orphans[0].entry["base_values"] == {k: x.to_fields()[k] for k in a_fields}
        assert orphans[1].entry["new_values"] == a_note.to_fields()
        assert orphans[2].entry["new_values"] == a_visit.to_fields()
        assert orphans[3].entry["new_values"] == a_scan.to_fields()
        assert orphans[4].entry["new_values"] == late[0].to_fields()
        assert _server_conflicts(central, x_id) == []

        # The new caseworker finds A's work through the API and can mark it dealt with; A, who
        # no longer holds X, cannot see it.
        listed = _orphaned_changes(central, b, x_id)
        assert listed.status_code == 200, listed.text
        assert [(c["op"], c["entity"], c["record_id"]) for c in listed.json()] == kept
        assert {c["username"] for c in listed.json()} == {CASEWORKER_A}
        assert listed.json()[1]["new_values"] == a_note.to_fields()
        assert _orphaned_changes(central, a, x_id).status_code == 404
        handled = requests.post(
            f"{central.url}/v1/clients/{x_id}/orphaned-changes/{listed.json()[0]['id']}/handled",
            headers=bearer(b),
            timeout=10,
        )
        assert handled.status_code == 200 and handled.json()["handled_at"] is not None

        # B syncs: nothing of A's arrives (it was not applied), B's own work stands.
        _sync(b)
        assert _assert_holds_whole(central, b, x_id).keys() == before.keys() | {("note", b_note.id)}

        # And back again: X returns to A, B loses it, A gets it whole with B's work.
        reassign(x_id, CASEWORKER_A)
        report_b, wire_b = _sync(b)
        assert x_id in wire_b.exited and report_b.purged >= 1
        _assert_purged(b, on_b)
        report_a, wire_a = _sync(a)
        assert x_id in wire_a.entered and x_id not in wire_a.exited
        # A's purge of X reached the server in A's own name: A's audit chain reads as whole.
        assert report_a.audit_events >= 1
        assert "audit_chain_broken" not in report_a.warnings
        back = _assert_holds_whole(central, a, x_id)
        assert back.keys() == before.keys() | {("note", b_note.id)}
        returned = a.store.get(Client, x_id)
        assert returned is not None
        assert returned.to_fields() == {
            **x.to_fields(),
            "participation_step": b_step,
            "email": "x@voorbeeld.nl",
        }
        on_a_note = a.store.get(Note, b_note.id)
        assert on_a_note is not None and on_a_note.text == "Overgenomen van collega."
        for record in (a_note, a_visit, a_scan, late[0]):
            assert a.store.get(type(record), record.id) is None
        assert _index_hits(a.store, x.bsn.value) == 1
        assert [c.id for c in a.store.search(x.bsn.value)] == [x_id]
        assert sync_state.open_conflicts(a.store) == []
    finally:
        a.store.close()
        b.store.close()


def test_reassigned_away_and_back_while_old_device_stays_offline(
    central: Central, home: Path, reassign: Reassign
) -> None:
    """A -> B -> A while A never syncs: A's edits are pushed into its own scope again and merge
    field by field with B's; where both changed a field, B's value stays and A's is a conflict."""
    a = _enroll(central, home, CASEWORKER_A)
    b = _enroll(central, home, CASEWORKER_B)
    try:
        _sync(a)
        _sync(b)
        x_id = next(
            c.id
            for c in reversed(a.store.caseload())
            if not any(i.editable for i in a.store.for_client(Intake, c.id))
        )
        x = a.store.get(Client, x_id)
        assert x is not None
        original = x.to_fields()
        a_step = _step_other_than(x.participation_step)
        b_step = _step_other_than(x.participation_step, a_step)
        house = x.address.house_number + 300
        assert original["phone"] != "0598123456"
        a.store.update(
            Client.from_fields(
                x_id, {**original, "participation_step": a_step, "house_number": house}
            )
        )
        a_note = a.store.create(
            Note(
                client_id=x_id,
                text="Van A, offline.",
                author=CASEWORKER_A,
                written_at=datetime.now(UTC),
            )
        )

        reassign(x_id, CASEWORKER_B)
        _, wire_b = _sync(b)
        assert x_id in wire_b.entered
        on_b = b.store.get(Client, x_id)
        assert on_b is not None
        b.store.update(
            Client.from_fields(
                x_id, {**on_b.to_fields(), "participation_step": b_step, "phone": "0598123456"}
            )
        )
        assert _sync(b)[0].applied == 1
        reassign(x_id, CASEWORKER_A)
        _, wire_b = _sync(b)
        assert x_id in wire_b.exited
        _assert_purged(b, on_b)

        report, wire_a = _sync(a)
        # X never left A as far as A can tell: no exit, no purge; A's entries are in scope.
        assert x_id not in wire_a.exited and report.purged == 0
        assert wire_a.statuses == [("conflict", None), ("applied", None)]
        assert _orphans(central, x_id) == []
        merged = a.store.get(Client, x_id)
        assert merged is not None
        assert merged.to_fields() == {
            **original,
            "participation_step": b_step,  # B's: both changed it, the server value stays
            "house_number": house,  # A's
            "phone": "0598123456",  # B's
        }
        assert a.store.get(Note, a_note.id) == a_note
        _assert_holds_whole(central, a, x_id)
        [kept] = sync_state.open_conflicts(a.store)
        assert (kept.record_id, kept.field, kept.base, kept.mine, kept.theirs) == (
            x_id,
            "participation_step",
            original["participation_step"],
            a_step,
            b_step,
        )
        assert _server_conflicts(central, x_id) == [
            ("participation_step", original["participation_step"], a_step, b_step, _device_id(a))
        ]
    finally:
        a.store.close()
        b.store.close()


# --------------------------------------------------------------------------------------------
# Scenario: the team lead returns an intake while the caseworker edits it offline.


def _schemes(device: Device, intake: Intake) -> tuple[str, ...]:
    """The client's schemes as the device sees them: the parts the intake must have."""
    return intake_service.intake_view(device.store, intake.client_id, intake_id=intake.id).schemes


def _submitted(device: Device, draft: Intake) -> Intake:
    schemes = _schemes(device, draft)
    complete = draft
    for domain in complete.domains():
        complete = complete.with_score(domain.key, 3, "")
    complete = complete.with_participation(current=2, target=4)
    # Consent and the scheme parts the client's enrollments ask for (the server checks them).
    complete = complete.edited(completing(complete, schemes))
    device.store.update(complete)
    submitted = complete.submit(at=datetime.now(UTC), schemes=schemes)
    device.store.command(complete, submitted, command="submit")
    return submitted


Opened = dict[str, tuple[IntakeSection, str, str, str, str]]


def _threads_on_server(central: Central, intake: Intake) -> Opened:
    """The first comments of an intake's threads on the server: id -> (section, text, author,
    author role, status)."""
    found: Opened = {}
    for (_, record_id), (_, fields) in _server_rows(
        central, intake.client_id, ("review_comment",)
    ).items():
        if fields["intake_id"] == intake.id and fields["thread_id"] == record_id:
            found[record_id] = (
                IntakeSection(fields["section"]),
                fields["text"],
                fields["author"],
                fields["author_role"],
                fields["status"],
            )
    return found


def _threads_on_device(device: Device, intake: Intake) -> Opened:
    view = intake_service.intake_view(device.store, intake.client_id, intake_id=intake.id)
    return {
        t.start.id: (t.section, t.start.text, t.start.author, t.start.author_role, t.start.status)
        for t in view.threads
    }


def test_return_with_comments_while_caseworker_edits_offline(central: Central, home: Path) -> None:
    cw = _enroll(central, home, CASEWORKER_A)
    lead = _enroll(central, home, TEAM_LEAD)
    try:
        _sync(cw)
        _sync(lead)
        drafts = [
            i for c in cw.store.caseload() for i in cw.store.for_client(Intake, c.id) if i.editable
        ]
        assert len(drafts) >= 2
        one, two = drafts[0], drafts[1]
        assert one.client_id != two.client_id
        # (A returned demo intake has threads of its earlier round: they stay as they are.)
        earlier = {i.id: _threads_on_device(cw, i) for i in (one, two)}
        for draft in (one, two):
            _submitted(cw, draft)
        report, _ = _sync(cw)
        assert (report.applied, report.rejected) == (4, 0)

        # The team lead's device receives both submitted intakes (their clients enter scope).
        _, wire = _sync(lead)
        assert {one.client_id, two.client_id} <= wire.entered
        comments = {
            one.id: {IntakeSection.BARRIERS: "Graag de schulden toelichten."},
            two.id: {
                IntakeSection.PARTICIPATION: "Trede 2 klopt niet met het verslag.",
                IntakeSection.GENERAL: "Zie opmerking.",
            },
        }
        # The lead's comments are threads of their own, written offline on the lead's device
        # and sent before the decision that needs them.
        opened: dict[str, Opened] = {}
        reviewed_at = {}
        for intake_id, said in comments.items():
            held = lead.store.get(Intake, intake_id)
            assert held is not None and held.status is IntakeStatus.SUBMITTED
            opened[intake_id] = {}
            for section, text in said.items():
                thread = intake_service.add_comment(
                    lead.store,
                    intake_id=intake_id,
                    section=section,
                    text=text,
                    author=TEAM_LEAD,
                    role=Role.TEAM_LEAD,
                )
                opened[intake_id][thread.id] = (
                    section,
                    text,
                    TEAM_LEAD,
                    "team_lead",
                    "open",
                )
            review_service.return_intake(lead.store, intake_id=intake_id, reviewer=TEAM_LEAD)
            on_lead = lead.store.get(Intake, intake_id)
            assert on_lead is not None and on_lead.status is IntakeStatus.RETURNED

        # Meanwhile the caseworker, offline, edits the same (still submitted, here) intakes.
        # (1) Intake one: content fields only, none of which the review touches.
        mine_one = cw.store.get(Intake, one.id)
        assert mine_one is not None and mine_one.status is IntakeStatus.SUBMITTED
        first_domain = mine_one.domains()[0].key
        edited_one = dataclasses.replace(
            mine_one,
            barriers="Schulden bij drie schuldeisers.",
            strengths="Sterk netwerk in het dorp.",
            ladder_target=5,
            scores={**mine_one.scores, first_domain: DomainScore(2, "Achterstand huur")},
        )
        cw.store.update(edited_one)
        # (2) Intake two: one content edit, then a plain edit of what the review decides
        # (status, reviewer) together with one more content field: that entry is refused
        # whole, its values kept as conflicts, never taken.
        mine_two = cw.store.get(Intake, two.id)
        assert mine_two is not None
        cw.store.update(dataclasses.replace(mine_two, strengths="Wil graag werken."))
        mine_two = cw.store.get(Intake, two.id)
        assert mine_two is not None
        cw.store.update(
            dataclasses.replace(
                mine_two,
                status=IntakeStatus.DRAFT,
                reviewer=CASEWORKER_A,
                ladder_current=3,
            )
        )
        assert cw.store.pending_count() == 3

        # The team lead's decision reaches central office first.
        report, wire = _sync(lead)
        assert wire.statuses == [("applied", None)] * 5
        # Returned intakes wait for nobody's review: their clients leave the lead's scope.
        assert {one.client_id, two.client_id} <= wire.exited
        for intake in (one, two):
            assert lead.store.get(Intake, intake.id) is None
            assert _device_rows(lead.store, intake.client_id, TEAM_LEAD_ENTITIES) == {}
        for intake in (one, two):
            on_server = _server_record(central, Intake, intake.id)
            assert on_server is not None
            decided = on_server[1]
            assert decided.status is IntakeStatus.RETURNED and decided.round == intake.round + 1
            assert decided.reviewer == TEAM_LEAD and decided.reviewed_at is not None
            reviewed_at[intake.id] = decided.reviewed_at
            # The lead's threads are open on the server, authored by the lead; earlier ones
            # are untouched.
            assert _threads_on_server(central, intake) == {
                **earlier[intake.id],
                **opened[intake.id],
            }

        # Then the caseworker syncs.
        report, wire = _sync(cw)
        assert wire.statuses == [
            ("applied", None),
            ("applied", None),
            ("rejected", "command_field"),
        ]
        assert (report.applied, report.conflicts, report.rejected) == (2, 0, 1)
        assert cw.store.pending_count() == 0

        # (1) Returned, the lead's threads open beside it, and every offline edit of the
        # caseworker.
        final_one = cw.store.get(Intake, one.id)
        assert final_one is not None
        assert final_one == dataclasses.replace(
            edited_one,
            status=IntakeStatus.RETURNED,
            reviewer=TEAM_LEAD,
            reviewed_at=reviewed_at[one.id],
        )
        assert final_one.editable
        for intake in (one, two):
            assert _threads_on_device(cw, intake) == {**earlier[intake.id], **opened[intake.id]}
        # (2) Returned; the content edit merged; the refused entry's values neither taken nor
        # lost.
        final_two = cw.store.get(Intake, two.id)
        assert final_two is not None
        expected_two = dataclasses.replace(
            mine_two,
            strengths="Wil graag werken.",
            status=IntakeStatus.RETURNED,
            reviewer=TEAM_LEAD,
            reviewed_at=reviewed_at[two.id],
        )
        assert mine_two.ladder_current == 2
        assert final_two == expected_two
        refused = {
            c.field: (c.kind, c.code, c.mine, c.theirs)
            for c in sync_state.open_conflicts(cw.store)
            if c.record_id == two.id
        }
        # The refusal carries the office's values, shown beside the refused ones.
        assert refused == {
            "status": ("rejected", "command_field", "draft", "returned"),
            "reviewer": ("rejected", "command_field", CASEWORKER_A, TEAM_LEAD),
            "ladder_current": ("rejected", "command_field", 3, 2),
        }
        assert not [c for c in sync_state.open_conflicts(cw.store) if c.record_id == one.id]
        device = _device_id(cw)
        assert _server_conflicts(central, two.id) == [
            ("ladder_current", 2, 3, None, device),
            ("reviewer", None, CASEWORKER_A, None, device),
            ("status", "submitted", "draft", None, device),
        ]
        assert _server_conflicts(central, one.id) == []

        # Device and server agree on both clients, record for record, version for version.
        for intake in (one, two):
            _assert_holds_whole(central, cw, intake.client_id)
        server_one = _server_record(central, Intake, one.id)
        assert server_one is not None and server_one[1] == final_one

        # The caseworker takes the comments in, with the domain this time, and resubmits; the
        # lead's device gets intake one back, with everything typed offline, as its next round.
        fixed = final_one.with_participation(current=3, target=5)
        cw.store.update(fixed)
        cw.store.command(
            fixed, fixed.submit(at=datetime.now(UTC), schemes=_schemes(cw, fixed)), command="submit"
        )
        assert _sync(cw)[0].applied == 2
        _, wire = _sync(lead)
        assert one.client_id in wire.entered
        again = lead.store.get(Intake, one.id)
        assert again is not None and again.status is IntakeStatus.SUBMITTED
        assert again.round == one.round + 2
        assert _threads_on_device(lead, again) == {**earlier[one.id], **opened[one.id]}
        assert again.barriers == "Schulden bij drie schuldeisers."
        assert again.scores[first_domain] == DomainScore(2, "Achterstand huur")
        assert again.ladder_current == 3 and again.ladder_target == 5
        server_rows = _server_rows(central, one.client_id, TEAM_LEAD_ENTITIES)
        assert _device_rows(lead.store, one.client_id, TEAM_LEAD_ENTITIES) == server_rows
    finally:
        cw.store.close()
        lead.store.close()


def test_refused_review_edit_arriving_before_the_decision_is_undone_on_the_device(
    central: Central, home: Path
) -> None:
    """The other arrival order: the caseworker's offline edits reach central office before the
    team lead's decision. The plain status edit is refused (kept as a conflict), so the
    caseworker's device must show what the server holds — a submitted intake — not the refused
    value, and then the decision arrives on top."""
    cw = _enroll(central, home, CASEWORKER_A)
    lead = _enroll(central, home, TEAM_LEAD)
    try:
        _sync(cw)
        # The last editable intake of the caseload (the test above takes the first two).
        draft = [
            i for c in cw.store.caseload() for i in cw.store.for_client(Intake, c.id) if i.editable
        ][-1]
        earlier = _threads_on_device(cw, draft)
        submitted = _submitted(cw, draft)
        report, _ = _sync(cw)
        assert report.rejected == 0 and cw.store.pending_count() == 0
        _, wire = _sync(lead)
        assert draft.client_id in wire.entered
        held = lead.store.get(Intake, draft.id)
        assert held is not None and held.status is IntakeStatus.SUBMITTED

        # Offline, the caseworker pulls the intake back to draft by a plain edit, with a text.
        mine = cw.store.get(Intake, draft.id)
        assert mine is not None
        cw.store.update(
            dataclasses.replace(mine, status=IntakeStatus.DRAFT, barriers="Nog aanvullen.")
        )
        report, wire = _sync(cw)
        assert wire.statuses == [("rejected", "command_field")]
        assert report.rejected == 1
        on_server = _server_record(central, Intake, draft.id)
        assert on_server is not None
        assert on_server[1].status is IntakeStatus.SUBMITTED
        assert on_server[1].barriers == submitted.barriers
        assert {c.field: c.mine for c in sync_state.open_conflicts(cw.store)} == {
            "status": "draft",
            "barriers": "Nog aanvullen.",
        }
        # The refused values are kept as conflicts; the record itself must be the server's.
        on_device = cw.store.get(Intake, draft.id)
        assert on_device is not None
        assert (on_device.status, on_device.barriers) == (
            IntakeStatus.SUBMITTED,
            submitted.barriers,
        ), "the device still shows the values the server refused"
        _assert_holds_whole(central, cw, draft.client_id)

        # The team lead's decision follows and lands on the caseworker's device. Sent the way
        # older devices send it, the comments in the command: the server opens the thread.
        said = {IntakeSection.SCORES: "Score werk onderbouwen."}
        lead.store.command(
            held,
            held.return_for_changes(
                reviewer=TEAM_LEAD, at=datetime.now(UTC), open_threads=len(said)
            ),
            command="return",
            comments={k.value: v for k, v in said.items()},
        )
        assert _sync(lead)[1].statuses == [("applied", None)]
        _sync(cw)
        final = cw.store.get(Intake, draft.id)
        assert final is not None
        assert final.status is IntakeStatus.RETURNED and final.round == submitted.round
        assert final.barriers == submitted.barriers
        threads = _threads_on_device(cw, final)
        new = {k: v for k, v in threads.items() if k not in earlier}
        assert {k: v for k, v in threads.items() if k in earlier} == earlier
        assert list(new.values()) == [
            (IntakeSection.SCORES, "Score werk onderbouwen.", TEAM_LEAD, "team_lead", "open")
        ]
        assert _threads_on_server(central, final) == threads
        _assert_holds_whole(central, cw, draft.client_id)
    finally:
        cw.store.close()
        lead.store.close()
