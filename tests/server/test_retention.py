"""Retention, legal hold, erasure on request and the purge of login data (issue #15), on SQLite
and PostgreSQL, with a fake clock (the day is passed in; nothing reads the real date).

One caseload holds a file of every standing: due (a provision ended in 2014), broken off more
than 42 days ago, due but on hold, not yet due (Wmo, 15 years), running, and without any
provision. A device holds them all, has pushed edits (stored answers, a conflict) and sent audit
events. Every name and BSN here is made up.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from stdnum.nl import bsn as stdnum_bsn

from app.domain.client import Client, Enrollment, HouseholdMember, Relation
from app.domain.errors import VeldwerkError
from app.domain.notes import Attachment, Note
from app.domain.reference import EnrollmentOutcome, Scheme, retention_schedule
from app.domain.retention import RetentionScheduleError, load_schedule, schedule
from app.domain.values import Bsn, PersonName
from app.domain.visit import Visit, VisitPurpose
from server.cli import main
from server.crud import audit
from server.crud.assignments import assign_many
from server.crud.records import insert_records
from server.models import (
    RECORD_TABLES,
    Assignment,
    AuditEntry,
    Blob,
    BlobUpload,
    Conflict,
    DestroyedClient,
    DestructionStatement,
    Device,
    DeviceAuditEvent,
    DeviceClient,
    DeviceHeldClient,
    DeviceMutation,
    DeviceSync,
    EnrollmentCode,
    ErasureRequest,
    LegalHold,
    LoginFailure,
    OrphanedMutation,
    UniquenessCollision,
    User,
    metadata,
)
from server.retention import erasure, holds, statements
from server.retention.errors import RetentionError
from server.retention.run import run
from tests.reports.pdf_tools import PdfFile, flat
from tests.server.conftest import Device as EnrolledDevice
from tests.server.sync_entries import entry
from tests.server.test_policy_matrix import fake_client
from tests.server.test_sync_audit import chain_of

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 21, 0, tzinfo=UTC)
CASEWORKER = "k.dijkstra"
NOTE_MARKER = "Schuldhulp via zus Wieteke Ploegmaker afgesproken"


def valid_bsns(count: int, start: int = 200_000_000) -> list[str]:
    found: list[str] = []
    number = start
    while len(found) < count:
        if stdnum_bsn.is_valid(str(number)):
            found.append(str(number))
        number += 1
    return found


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class World:
    device: EnrolledDevice
    due: Client  # Participatiewet ended 30-06-2014: due since 30-06-2024
    broken: Client  # broken off 01-10-2026: due on 12-11-2026
    held: Client  # ended 2010, but a legal hold
    later: Client  # Wmo ended 2014: due in 2029
    running: Client  # Participatiewet without an end date
    bare: Client  # no enrollment at all
    member_bsn: str
    own_blob: str  # only the due client's attachment names it
    shared_blob: str  # also attached to the running client
    cursor: str
    note_id: str

    def people(self) -> list[Client]:
        return [self.due, self.broken, self.held, self.later, self.running, self.bare]


def enrollment(
    client: Client,
    scheme: Scheme,
    start: date,
    end: date | None,
    outcome: EnrollmentOutcome = EnrollmentOutcome.GRANTED,
) -> Enrollment:
    return Enrollment(
        client_id=client.id,
        scheme=scheme,
        start_date=start,
        end_date=end,
        outcome=outcome,
        caseworker=CASEWORKER,
        consent_given=False,
    )


def pull_all(api: TestClient, device: EnrolledDevice, cursor: str | None = None) -> dict[str, Any]:
    """Pull until nothing more; what the pages carried in and out, and the last cursor."""
    exits: set[str] = set()
    enters: set[str] = set()
    while True:
        params = {"cursor": cursor} if cursor else {}
        page = api.get("/v1/sync/pull", params=params, headers=device.headers)
        assert page.status_code == 200, page.text
        body = page.json()
        exits |= set(body["scope_exit"])
        enters |= set(body["scope_enter"])
        cursor = str(body["cursor"])
        if not body["more"]:
            return {"cursor": cursor, "exit": exits, "enter": enters}


def push(api: TestClient, device: EnrolledDevice, *entries: dict[str, Any]) -> list[dict[str, Any]]:
    answer = api.post("/v1/sync/push", json={"entries": list(entries)}, headers=device.headers)
    assert answer.status_code == 200, answer.text
    answers: list[dict[str, Any]] = answer.json()["answers"]
    return answers


@pytest.fixture
def world(
    api: TestClient, app: FastAPI, session: Session, enrolled: Callable[..., EnrolledDevice]
) -> World:
    device = enrolled(CASEWORKER, "caseworker")
    bsns = valid_bsns(7)
    people = [
        fake_client(n, bsns[n], caseworker=CASEWORKER, surname=f"Vernietigbaar{n}x")
        for n in range(6)
    ]
    due, broken, held, later, running, bare = people
    member = HouseholdMember(
        client_id=due.id,
        relation=Relation.PARTNER,
        name=PersonName(surname="Ploegmaker", first_names="Wieteke"),
        date_of_birth=date(1979, 5, 5),
        bsn=Bsn(bsns[6]),
    )
    own, shared = b"scan of a payslip (made up)", b"leaflet everyone got (made up)"
    for data in (own, shared):
        put = api.put(
            f"/v1/sync/blobs/{_sha(data)}",
            content=data,
            headers={**device.headers, "Content-Type": "application/octet-stream"},
        )
        assert put.status_code == 200, put.text
    note = Note(client_id=due.id, text=NOTE_MARKER, author=CASEWORKER, written_at=NOW)
    records: list[Any] = [
        *people,
        member,
        enrollment(due, Scheme.PARTICIPATIEWET, date(2011, 1, 1), date(2014, 6, 30)),
        enrollment(due, Scheme.WMO, date(2013, 1, 1), date(2013, 2, 1), EnrollmentOutcome.REFUSED),
        enrollment(
            broken,
            Scheme.PARTICIPATIEWET,
            date(2026, 9, 1),
            date(2026, 10, 1),
            EnrollmentOutcome.BROKEN_OFF,
        ),
        enrollment(held, Scheme.WSW, date(2001, 1, 1), date(2010, 1, 1)),
        enrollment(later, Scheme.WMO, date(2010, 1, 1), date(2014, 1, 1)),
        enrollment(running, Scheme.PARTICIPATIEWET, date(2020, 1, 1), None),
        Visit(
            client_id=due.id,
            planned_at=datetime(2014, 3, 3, 10, tzinfo=UTC),
            purpose=VisitPurpose.VOORTGANG,
            caseworker=CASEWORKER,
        ),
        note,
        Attachment(due.id, "loonstrook.pdf", "application/pdf", len(own), _sha(own)),
        Attachment(due.id, "folder.pdf", "application/pdf", len(shared), _sha(shared)),
        Attachment(running.id, "folder.pdf", "application/pdf", len(shared), _sha(shared)),
    ]
    insert_records(session, records, by="test")
    assign_many(session, [(c.id, CASEWORKER) for c in people], by="test")
    session.commit()
    cursor = pull_all(api, device)["cursor"]

    # What the device did with the due client: an edit without its base (a conflict: the stored
    # answer and a conflict row hold its text), a refused create whose values are kept as
    # conflicts, and audit events (one with free text in its details).
    changed = note.to_fields() | {"text": f"{NOTE_MARKER}, bevestigd"}
    answers = push(
        api,
        device,
        entry(1, "note", note.id, due.id, "update", {"text": changed["text"]}),
        entry(
            2,
            "plan_action",
            "0f0f0f0f-0000-4000-8000-000000000001",
            due.id,
            "create",
            {"plan_id": "0f0f0f0f-0000-4000-8000-0000000000ff", "description": NOTE_MARKER},
        ),
    )
    assert [a["status"] for a in answers] == ["conflict", "rejected"], answers
    events = chain_of(
        [
            {"action": "view", "entity": "client", "record_id": due.id, "client_id": due.id},
            {
                "action": "print",
                "entity": "note",
                "record_id": note.id,
                "client_id": due.id,
                "details": {"copies": 1, "remark": NOTE_MARKER},
            },
        ]
    )
    sent = api.post("/v1/sync/audit", json={"events": events}, headers=device.headers)
    assert sent.json()["accepted"] == 2, sent.text

    # Central office's side: a server audit entry with free text, an orphaned change, a BSN
    # collision naming the due client, and a hold on the held one.
    audit.record(
        session, actor="test", action="update", entity="note", record_id=note.id, text=NOTE_MARKER
    )
    session.add(
        OrphanedMutation(
            device_id=device.device_id,
            client_id=due.id,
            entry={"entity": "note", "new_values": {"text": NOTE_MARKER}},
            created_at=NOW,
        )
    )
    session.add(
        UniquenessCollision(
            at=NOW,
            device_id=device.device_id,
            username=CASEWORKER,
            entity="client",
            record_id="0f0f0f0f-0000-4000-8000-000000000002",
            field="bsn",
            existing_client_id=due.id,
        )
    )
    holds.place(session, client=held.id, reason="Bezwaarprocedure loopt", by="test", now=NOW)
    session.commit()
    return World(
        device=device,
        due=due,
        broken=broken,
        held=held,
        later=later,
        running=running,
        bare=bare,
        member_bsn=bsns[6],
        own_blob=_sha(own),
        shared_blob=_sha(shared),
        cursor=cursor,
        note_id=note.id,
    )


def snapshot(session: Session) -> dict[str, list[str]]:
    """Every row of every table, as text: equal snapshots mean nothing changed."""
    found = {}
    for table in metadata.sorted_tables:
        rows = session.execute(select(table)).all()
        found[table.name] = sorted(repr(tuple(row)) for row in rows)
    session.rollback()
    return found


def rows_of(session: Session, client_id: str) -> dict[str, int]:
    counts = {}
    for entity, table in RECORD_TABLES.items():
        key = table.c.id if entity == "client" else table.c.client_id
        counts[entity] = int(
            session.execute(select(func.count()).where(key == client_id)).scalar_one()
        )
    return {k: v for k, v in counts.items() if v}


# ---------------------------------------------------------------------------------- runs


def test_a_due_file_is_destroyed_and_leaves_the_device_at_its_next_pull(
    api: TestClient, session: Session, world: World
) -> None:
    result = run(session, today=TODAY, now=NOW, by="cli:test", dry_run=False)
    session.commit()

    destroyed = {world.due.id, world.broken.id}
    assert set(result.plan.destruction.client_ids) == destroyed
    for client in (world.due, world.broken):
        assert rows_of(session, client.id) == {}
        assert session.get(DestroyedClient, client.id) is not None
    for client in (world.held, world.later, world.running, world.bare):
        assert rows_of(session, client.id)["client"] == 1
    assert not session.scalars(select(Assignment).where(Assignment.client_id.in_(destroyed))).all()
    assert not session.scalars(select(Conflict).where(Conflict.client_id == world.due.id)).all()
    assert not session.scalars(select(OrphanedMutation)).all()
    assert not session.scalars(select(UniquenessCollision)).all()
    # The due client's own bytes went; the bytes another client's attachment names stayed.
    assert session.get(Blob, world.own_blob) is None
    assert not session.scalars(select(BlobUpload).where(BlobUpload.sha256 == world.own_blob)).all()
    assert session.get(Blob, world.shared_blob) is not None
    totals = result.plan.totals
    assert (totals["files"], totals["held"], totals["for_review"]) == (2, 1, 1)
    assert totals["attachments"] == 1

    # Audit trails keep their rows, without free text; stored answers lose their values.
    entries = session.scalars(select(AuditEntry).where(AuditEntry.record_id == world.note_id)).all()
    assert entries and all(NOTE_MARKER not in str(e.details) for e in entries)
    assert any(e.details.get("scrubbed") for e in entries)
    events = session.scalars(
        select(DeviceAuditEvent).where(DeviceAuditEvent.client_id == world.due.id)
    ).all()
    assert len(events) == 2 and all(NOTE_MARKER not in str(e.details) for e in events)
    assert [e.details for e in events if e.action == "print"] == [{"copies": 1, "scrubbed": True}]
    answers = session.scalars(
        select(DeviceMutation).where(DeviceMutation.client_id == world.due.id)
    ).all()
    assert len(answers) == 2
    assert all(a.answer["server_values"] == {} and a.answer["conflicts"] == [] for a in answers)
    assert all(NOTE_MARKER not in str(a.answer) for a in answers)
    session.commit()

    # The device is told at its next pull, and then the client is done with.
    after = pull_all(api, world.device, world.cursor)
    assert after["exit"] == destroyed
    again = pull_all(api, world.device, after["cursor"])
    assert again["exit"] == set()
    held_now = set(
        session.scalars(
            select(DeviceClient.client_id).where(DeviceClient.device_id == world.device.device_id)
        )
    )
    assert held_now == {world.held.id, world.later.id, world.running.id, world.bare.id}
    assert destroyed <= set(
        session.scalars(
            select(DeviceHeldClient.client_id).where(
                DeviceHeldClient.device_id == world.device.device_id
            )
        )
    )
    session.rollback()

    # A late edit is refused and kept nowhere; the device's audit events are still taken in.
    late = push(
        api,
        world.device,
        entry(3, "note", world.note_id, world.due.id, "update", {"text": NOTE_MARKER}),
        entry(4, "client", world.due.id, world.due.id, "create", world.due.to_fields()),
    )
    assert [a["code"] for a in late] == ["client_destroyed", "client_destroyed"]
    assert all(not a["server_values"] for a in late)
    assert rows_of(session, world.due.id) == {}
    assert not session.scalars(select(OrphanedMutation)).all()
    head = session.get(DeviceSync, world.device.device_id)
    assert head is not None and head.audit_head is not None
    purge = chain_of(
        [{"action": "purge", "entity": "client", "record_id": world.due.id, "client_id": None}],
        head=head.audit_head,
        start=3,
    )
    session.rollback()
    taken = api.post("/v1/sync/audit", json={"events": purge}, headers=world.device.headers)
    assert taken.json() == {**taken.json(), "accepted": 1, "chain_ok": True}


def test_a_dry_run_changes_nothing_and_says_what_the_run_then_does(
    session: Session, world: World
) -> None:
    before = snapshot(session)
    dry = run(session, today=TODAY, now=NOW, by="cli:test", dry_run=True)
    session.commit()
    assert dry.statement_id is None
    assert snapshot(session) == before

    real = run(session, today=TODAY, now=NOW, by="cli:test", dry_run=False)
    session.commit()
    assert real.plan.lines == dry.plan.lines
    assert real.plan.totals == dry.plan.totals
    assert real.plan.destruction.client_ids == dry.plan.destruction.client_ids
    assert real.plan.destruction.records == dry.plan.destruction.records
    statement = session.get(DestructionStatement, real.statement_id)
    assert statement is not None
    assert statement.totals == dry.plan.totals
    assert [line["category"] for line in statement.lines] == ["broken_off", "provision"]
    assert sum(line["files"] for line in statement.lines) == 2


def test_the_cli_dry_run_prints_exactly_what_the_run_then_does(
    database_url: str,
    world: World,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setattr("server.cli_retention._today", lambda: TODAY)
    monkeypatch.setenv("LC_ALL", "nl_NL.UTF-8")
    capsys.readouterr()
    assert main(["--database-url", database_url, "retention", "run", "--dry-run"]) == 0
    dry = capsys.readouterr().out.splitlines()
    assert main(["--database-url", database_url, "retention", "run"]) == 0
    real = capsys.readouterr().out.splitlines()
    assert dry[0] == "Proefdraai per 23-11-2026: er verandert niets."
    assert real[-1] == "Verklaring van vernietiging nr. 1 opgeslagen."
    assert dry[1:] == real[1:-1]
    assert "Dossiers: 2; records:" in dry[-5] and "Overgeslagen wegens bewaarplicht" in dry[-4]
    assert main(["--database-url", database_url, "retention", "run", "--dry-run"]) == 0
    assert "Dossiers: 0;" in capsys.readouterr().out

    # The statement, listed and printed (a PDF to sign, or text).
    assert main(["--database-url", database_url, "retention", "statements"]) == 0
    assert "retention  2 dossiers, " in capsys.readouterr().out
    pdf = tmp_path / "verklaring.pdf"
    args = ["--database-url", database_url, "retention", "statement", "--id", "1"]
    assert main([*args, "--out", str(pdf)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    assert main(args) == 0
    assert "Verklaring van vernietiging nr. 1" in capsys.readouterr().out
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")
    assert main(args) == 0
    assert capsys.readouterr().out.startswith("Destruction statement no. 1\n")


def test_a_held_file_stays_until_the_hold_is_lifted(session: Session, world: World) -> None:
    first = run(session, today=TODAY, now=NOW, by="cli:test", dry_run=False)
    session.commit()
    assert [f.client_id for f in first.plan.survey.held] == [world.held.id]
    assert rows_of(session, world.held.id)["client"] == 1
    holds.lift(session, client=world.held.id, by="test", now=NOW)
    second = run(session, today=TODAY, now=NOW, by="cli:test", dry_run=False)
    session.commit()
    assert second.plan.destruction.client_ids == (world.held.id,)
    assert rows_of(session, world.held.id) == {}
    # The lifted hold (and its free-text reason) went with the file.
    assert not session.scalars(select(LegalHold).where(LegalHold.client_id == world.held.id)).all()


def test_a_file_goes_on_its_destruction_date_not_the_day_before(
    session: Session, world: World
) -> None:
    # Broken off on 01-10-2026: 42 days later is 12-11-2026.
    early = run(session, today=date(2026, 11, 11), now=NOW, by="t", dry_run=False)
    session.commit()
    assert world.broken.id not in early.plan.destruction.client_ids
    assert rows_of(session, world.broken.id)["enrollment"] == 1
    on_time = run(session, today=date(2026, 11, 12), now=NOW, by="t", dry_run=False)
    session.commit()
    assert on_time.plan.destruction.client_ids == (world.broken.id,)
    # The Wmo file (ended 01-01-2014, 15 years) waits until 01-01-2029; the running one and the
    # one without a provision are never due.
    late = run(session, today=date(2040, 1, 1), now=NOW, by="t", dry_run=False)
    session.commit()
    assert world.later.id in late.plan.destruction.client_ids
    assert world.running.id not in late.plan.destruction.client_ids
    assert list(late.plan.survey.no_provision) == [world.bare.id]
    assert rows_of(session, world.running.id)["client"] == 1
    assert rows_of(session, world.bare.id)["client"] == 1


def test_the_statement_holds_no_personal_data(
    session: Session, world: World, tmp_path: Path
) -> None:
    result = run(session, today=TODAY, now=NOW, by="cli:test", dry_run=False)
    session.commit()
    assert result.statement_id is not None
    statement = statements.get(session, result.statement_id)
    document = PdfFile.write(statements.pdf(statement, schedule()), tmp_path)
    assert document.info()["Title"] == "Verklaring van vernietiging"
    printed = "".join(
        (
            statements.text(statement, schedule(), "nl"),
            statements.text(statement, schedule(), "en"),
            flat(document.text()),
        )
    )
    stored = repr((statement.lines, statement.totals, statement.kind, statement.made_by))
    forbidden = [world.member_bsn, NOTE_MARKER, "Ploegmaker", "Wieteke"]
    for person in world.people():
        forbidden += [person.bsn.value, person.name.surname, person.id]
    for needle in forbidden:
        assert needle not in printed and needle not in stored, needle
    assert "Verklaring van vernietiging" in printed and "Destruction statement" in printed
    assert "Verleende voorziening" in printed and "2024-06" in printed
    assert "Afgebroken zaak 42 dagen 2026-11 1" in flat(document.text())


def test_statements_are_permanent(engine: Engine, session: Session, world: World) -> None:
    result = run(session, today=TODAY, now=NOW, by="cli:test", dry_run=False)
    session.commit()
    for statement in (
        update(DestructionStatement).values(made_by="someone else"),
        delete(DestructionStatement),
    ):
        with engine.connect() as conn, pytest.raises(DBAPIError):
            conn.execute(statement)
    assert statements.get(session, result.statement_id or 0).made_by == "cli:test"


def test_login_and_device_contact_data_older_than_six_months_go(
    api: TestClient, session: Session, world: World
) -> None:
    old, recent = datetime(2026, 5, 1, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC)
    session.add_all(
        [
            LoginFailure(username="k.dijkstra", address="10.0.0.1", at=old),
            LoginFailure(username="k.dijkstra", address="10.0.0.2", at=recent),
        ]
    )
    user = session.scalars(select(User).where(User.username == CASEWORKER)).one()
    session.add(
        EnrollmentCode(
            user_id=user.id,
            code_hash="0" * 64,
            created_by="test",
            created_at=old - timedelta(days=1),
            expires_at=old,
        )
    )
    session.commit()
    # An answer that carries values (a conflict), stored long ago, of a client that stays.
    [answer] = push(
        api,
        world.device,
        entry(3, "client", world.running.id, world.running.id, "update", {"surname": "Anders"}),
    )
    assert answer["status"] == "conflict" and answer["conflicts"]
    session.execute(
        update(DeviceMutation).where(DeviceMutation.client_id == world.running.id).values(at=old)
    )
    # Last seen after the push (which counts as contact).
    session.execute(update(Device).where(Device.id == world.device.device_id).values(last_seen=old))
    session.commit()
    dry = run(session, today=TODAY, now=NOW, by="t", dry_run=True)
    session.rollback()
    assert dry.plan.contact.counts() == {
        "login_failures": 1,
        "enrollment_codes": 1,
        "device_contact_times": 1,
        "push_answers_stripped": 1,
    }
    run(session, today=TODAY, now=NOW, by="t", dry_run=False)
    session.commit()
    assert [f.address for f in session.scalars(select(LoginFailure))] == ["10.0.0.2"]
    assert session.get(EnrollmentCode, 0) is None
    assert not session.scalars(select(EnrollmentCode).where(EnrollmentCode.expires_at == old)).all()
    assert session.scalars(select(EnrollmentCode)).all()  # the device's own, recent code stays
    device = session.get(Device, world.device.device_id)
    assert device is not None and device.last_seen is None
    [stripped] = session.scalars(
        select(DeviceMutation).where(DeviceMutation.client_id == world.running.id)
    ).all()
    assert stripped.answer["status"] == "conflict" and stripped.answer["conflicts"] == []


# ------------------------------------------------------------------------------- erasure


def test_the_erasure_request_lifecycle(session: Session, world: World) -> None:
    # A Wmo file: the three-month clock runs from the day the request came in.
    first = erasure.record_request(
        session,
        client=world.later.bsn.value,
        received=date(2026, 10, 1),
        today=TODAY,
        by="t",
        now=NOW,
    )
    assert first.client_id == world.later.id and first.statutory
    assert first.due_on == date(2027, 1, 1)
    [view] = erasure.listing(session, today=TODAY)
    assert (view.days_left, view.overdue, view.on_hold) == (39, False, False)
    [late] = erasure.listing(session, today=date(2027, 1, 5))
    assert late.overdue and late.days_left == -4

    # Refused, with its reason (a refusal without one is itself refused and changes nothing).
    with pytest.raises(RetentionError) as no_reason:
        erasure.refuse(session, request_id=first.id, reason="  ", by="t", now=NOW)
    assert no_reason.value.code == "reason_required"
    reason = "Lopende bezwaarprocedure van een derde (zwaarwegend belang)"
    refused = erasure.refuse(session, request_id=first.id, reason=reason, by="t", now=NOW)
    session.commit()
    assert (refused.status, refused.reason, refused.decided_by) == ("refused", reason, "t")
    assert erasure.listing(session, today=TODAY) == []
    assert rows_of(session, world.later.id)["client"] == 1
    with pytest.raises(RetentionError) as twice:
        erasure.carry_out(session, request_id=first.id, by="t", now=NOW, today=TODAY)
    assert twice.value.code == "erasure_decided"

    # Asked again, and carried out: the file goes by the same path as retention.
    second = erasure.record_request(
        session, client=world.later.id, received=date(2026, 11, 20), today=TODAY, by="t", now=NOW
    )
    done = erasure.carry_out(session, request_id=second.id, by="t", now=NOW, today=TODAY)
    session.commit()
    assert done.status == "carried_out" and done.carried_out_at == NOW
    assert rows_of(session, world.later.id) == {}
    assert session.get(DestroyedClient, world.later.id) is not None
    statement = session.get(DestructionStatement, done.statement_id)
    assert statement is not None and statement.kind == "erasure"
    assert statement.lines == [
        {"category": "wmo", "month": "2026-11", "files": 1, "records": statement.totals["records"]}
    ]
    # The earlier refusal stays as the record that it was answered, without its free text.
    kept = session.get(ErasureRequest, first.id)
    assert kept is not None and kept.status == "refused" and kept.reason is None
    decided = erasure.listing(session, today=TODAY, include_decided=True)
    assert [(v.request.id, v.request.status) for v in decided] == [
        (first.id, "refused"),
        (second.id, "carried_out"),
    ]


def test_an_erasure_of_another_file_is_recorded_as_not_statutory(
    session: Session, world: World
) -> None:
    request = erasure.record_request(
        session, client=world.running.id, received=TODAY, today=TODAY, by="t", now=NOW
    )
    assert not request.statutory and request.due_on == date(2027, 2, 23)
    [view] = erasure.listing(session, today=TODAY)
    assert view.kept_for == ("provision",)


def test_a_hold_stops_an_erasure_until_it_is_lifted(session: Session, world: World) -> None:
    request = erasure.record_request(
        session, client=world.held.id, received=TODAY, today=TODAY, by="t", now=NOW
    )
    session.commit()
    before = snapshot(session)
    with pytest.raises(RetentionError) as held:
        erasure.carry_out(session, request_id=request.id, by="t", now=NOW, today=TODAY)
    assert held.value.code == "legal_hold"
    session.rollback()
    assert snapshot(session) == before


# ------------------------------------------------------------------------------ bad input


def test_bad_input_is_refused_clearly_and_changes_nothing(session: Session, world: World) -> None:
    session.commit()
    before = snapshot(session)
    nobody = "00000000-0000-4000-8000-000000000000"
    attempts: list[tuple[str, Callable[[], object]]] = [
        (
            "unknown_client",
            lambda: holds.place(session, client=nobody, reason="x", by="t", now=NOW),
        ),
        (
            "unknown_client",
            lambda: holds.lift(session, client=valid_bsns(1, 300_000_000)[0], by="t", now=NOW),
        ),
        (
            "invalid_bsn",
            lambda: holds.place(session, client="123456789", reason="x", by="t", now=NOW),
        ),
        (
            "hold_exists",
            lambda: holds.place(session, client=world.held.id, reason="x", by="t", now=NOW),
        ),
        ("no_hold", lambda: holds.lift(session, client=world.due.id, by="t", now=NOW)),
        (
            "reason_required",
            lambda: holds.place(session, client=world.due.id, reason=" ", by="t", now=NOW),
        ),
        (
            "unknown_client",
            lambda: erasure.record_request(
                session, client=nobody, received=TODAY, today=TODAY, by="t", now=NOW
            ),
        ),
        (
            "received_in_future",
            lambda: erasure.record_request(
                session,
                client=world.later.id,
                received=TODAY + timedelta(days=1),
                today=TODAY,
                by="t",
                now=NOW,
            ),
        ),
        (
            "unknown_request",
            lambda: erasure.refuse(session, request_id=99, reason="x", by="t", now=NOW),
        ),
        ("unknown_statement", lambda: statements.get(session, 99)),
    ]
    for code, attempt in attempts:
        with pytest.raises(VeldwerkError) as refused:
            attempt()
        assert refused.value.code == code
        assert refused.value.message_nl and refused.value.message_en
        session.rollback()
    assert snapshot(session) == before


def test_a_category_missing_from_the_reference_data_stops_the_run(
    session: Session, world: World
) -> None:
    data = retention_schedule()
    broken = {
        **data,
        "provisions": {
            **data["provisions"],
            "granted": {k: v for k, v in data["provisions"]["granted"].items() if k != "wmo"},
        },
    }
    session.commit()
    before = snapshot(session)
    with pytest.raises(RetentionScheduleError) as refused:
        run(session, today=TODAY, now=NOW, by="t", dry_run=False, schedule=load_schedule(broken))
    session.rollback()
    assert "'wmo'" in refused.value.message_en
    assert snapshot(session) == before


def test_the_cli_refuses_in_dutch_or_english_and_changes_nothing(
    database_url: str,
    world: World,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    capsys.readouterr()
    request = ["--database-url", database_url, "erasure", "request", "--client", "nobody"]
    for locale, message in (
        ("nl_NL.UTF-8", "unknown_client: Er is geen cliënt met dit id of BSN.\n"),
        ("en_GB.UTF-8", "unknown_client: There is no client with this id or BSN.\n"),
    ):
        monkeypatch.setenv("LC_ALL", locale)
        assert main([*request, "--received", "2026-11-01"]) == 1
        assert capsys.readouterr().err == message
    monkeypatch.setenv("LC_ALL", "nl_NL.UTF-8")
    assert main([*request[:-1], world.later.id, "--received", "2026-11-01"]) == 0
    capsys.readouterr()
    decide = ["--database-url", database_url, "erasure", "decide", "--request", "1"]
    assert main([*decide, "--carry-out", "--reason", "x"]) == 1
    assert "reason_with_carry_out" in capsys.readouterr().err
    assert main([*decide, "--refuse"]) == 1
    assert "reason_required: Geef een reden" in capsys.readouterr().err
    assert main(["--database-url", database_url, "erasure", "list"]) == 0
    assert "ontvangen 01-11-2026" in capsys.readouterr().out
    assert main(["--database-url", database_url, "retention", "hold", "list"]) == 0
    listed = capsys.readouterr().out
    assert world.held.id in listed and "Bezwaar" not in listed
    assert main(["--database-url", database_url, "erasure", "list", "--all"]) == 0
    assert "nog " in capsys.readouterr().out  # still open: the refusals changed nothing


# --------------------------------------------------------------------------- audit log


def test_the_audit_log_takes_a_scrub_and_nothing_else(engine: Engine, session: Session) -> None:
    audit.record(
        session,
        actor="t",
        action="update",
        entity="note",
        record_id="n1",
        text="Jan",
        fields=["text"],
    )
    session.commit()
    entry_id = session.scalars(select(AuditEntry.id)).one()
    session.rollback()  # SQLite: the read holds the write lock
    refused = [
        update(AuditEntry).values(actor="someone else"),
        update(AuditEntry).values(record_id="n2"),
        update(AuditEntry).values(details={"text": "Jan", "fields": ["text"]}),  # not marked
        update(AuditEntry).values(details={"fields": ["other"], "scrubbed": True}),  # changed
        update(AuditEntry).values(details={"added": 1, "scrubbed": True}),  # added
        delete(AuditEntry),
    ]
    for statement in refused:
        with engine.connect() as conn, pytest.raises(DBAPIError):
            conn.execute(statement)
            conn.commit()
    with engine.begin() as conn:
        conn.execute(
            update(AuditEntry)
            .where(AuditEntry.id == entry_id)
            .values(details={"fields": ["text"], "scrubbed": True})
        )
    session.expire_all()
    kept = session.get(AuditEntry, entry_id)
    assert kept is not None and kept.details == {"fields": ["text"], "scrubbed": True}
    assert kept.actor == "t" and kept.record_id == "n1"
