"""The access report "Wie heeft mijn dossier bekeken of gewijzigd?" (issue #15), on SQLite and
PostgreSQL: one client's accesses from the server's audit log and the devices' synced audit
events, the command that writes it as PDF, JSON or CSV, and the refusals of bad input.

The key test enrolls a real device store, lets it open dossiers and edit while it does not sync,
and syncs later through the in-process server. Every client and person here is made up.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.domain.access_log import AccessCategory
from app.domain.client import Client
from app.domain.errors import VeldwerkError
from app.domain.notes import Note
from app.domain.values import PhoneNumber
from app.services import sync as sync_service
from app.storage.profiles import Profile
from app.storage.store import Store
from app.storage.vault import KdfParams
from server.access.document import report_document
from server.access.errors import InvalidDate, InvalidOutput, InvalidPeriod, UnknownClient
from server.access.events import access_events
from server.access.exports import COLUMNS, event_record
from server.access.lookup import find_client
from server.access.output import write_report
from server.access.period import Period
from server.cli import main
from server.crud import assignments
from server.crud.records import upsert_record
from server.db import session_scope
from server.models import AuditEntry, Device, DeviceAuditEvent, OrphanedMutation, notes
from tests.reports.pdf_tools import PdfFile, flat
from tests.server.conftest import enroll, make_user
from tests.server.test_policy_matrix import fake_client
from tests.sync.test_sync_model import SERVER_URL, TestClientTransport

KD, MB, TM = "k.dijkstra", "m.bakker", "t.mulder"
TEAM = "Team Noord"
BSN_A, BSN_B, UNKNOWN_BSN, INVALID_BSN = "111222333", "123456782", "100000009", "123456789"
FAST = KdfParams(1024, 1, 1)
# The laptop's clock while it works without a network: a Monday in March (CET, UTC+1).
OFFLINE_AT = datetime(2026, 3, 2, 9, 15, tzinfo=UTC)


@dataclass(frozen=True)
class Org:
    a: str  # the client the report is about
    b: str  # another client of the same caseworker, on the same laptop


def _organisation(app: FastAPI) -> Org:
    make_user(app, TM, "team_lead", team=TEAM)
    make_user(app, KD, "caseworker", team=TEAM)
    make_user(app, MB, "caseworker")
    with session_scope(app.state.sessionmaker) as s:
        ids = []
        for number, bsn in ((1, BSN_A), (2, BSN_B)):
            client = fake_client(number, bsn, caseworker=KD)
            upsert_record(s, client, by="test")
            s.flush()
            assignments.assign(s, client_id=client.id, caseworker=KD, by="test")
            ids.append(client.id)
    return Org(*ids)


@pytest.fixture
def org(app: FastAPI) -> Org:
    return _organisation(app)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Laptop:
    device_id: str
    store: Store
    clock: Clock
    sync: Callable[[], object]


@pytest.fixture
def laptop(app: FastAPI, api: TestClient, org: Org, tmp_path: Path) -> Iterator[Laptop]:
    """k.dijkstra's enrolled laptop with a store of its own, synced once (it holds A and B)."""
    enrolled = enroll(api, app, KD)
    clock = Clock(datetime.now(UTC))
    profile, store = Profile.create(
        f"kd-{uuid.uuid4().hex[:6]}",
        passphrase="een lange wachtzin voor de test",
        username=KD,
        role="caseworker",
        server_url=SERVER_URL,
        params=FAST,
        home=tmp_path / "home",
        clock=clock,
    )
    with store.transaction() as tx:
        tx.set_setting(sync_service.TOKEN, enrolled.token)
        tx.set_setting(sync_service.DEVICE, enrolled.device_id)
        tx.set_setting(sync_service.SERVER, SERVER_URL)
    transport = TestClientTransport(api, enrolled.token)

    def sync() -> object:
        return sync_service.sync_profile(profile, store, transport=transport)

    sync()
    assert {c.id for c in store.caseload()} == {org.a, org.b}
    try:
        yield Laptop(enrolled.device_id, store, clock, sync)
    finally:
        store.close()


# ------------------------------------------------------------------------ the real flow


def test_an_offline_view_synced_later_is_in_the_report(
    app: FastAPI, api: TestClient, org: Org, laptop: Laptop, session: Session
) -> None:
    # No network for a while: the caseworker opens both dossiers, writes a note, edits a phone.
    laptop.clock.now = OFFLINE_AT
    laptop.store.open_dossier(org.a)
    laptop.store.open_dossier(org.b)
    note = laptop.store.create(
        Note(client_id=org.a, text="Gesprek gehad.", author=KD, written_at=OFFLINE_AT)
    )
    laptop.clock.now = OFFLINE_AT + timedelta(minutes=5)
    client = laptop.store.get(Client, org.a)
    assert client is not None
    laptop.store.update(dataclasses.replace(client, phone=PhoneNumber("0595123456")))
    # Back online: the edits and the audit trail reach central office.
    laptop.clock.now = datetime.now(UTC)
    laptop.sync()
    # A read on the server itself, through the API.
    token = laptop.store.setting(sync_service.TOKEN)
    answer = api.get(f"/v1/clients/{org.a}", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.text

    events = access_events(session, org.a)
    session.commit()
    views = [e for e in events if e.action == "view"]
    offline = [e for e in views if e.source == "device"]
    assert len(offline) == 1
    view = offline[0]
    assert view.at == OFFLINE_AT
    assert (view.category, view.entity, view.record_id) == (AccessCategory.READ, "client", org.a)
    assert (view.user, view.role, view.on_behalf_of) == (KD, "caseworker", TEAM)
    assert (view.device_id, view.device_name) == (laptop.device_id, f"laptop of {KD}")
    assert view.chain_ok is True and view.offline is None
    online = [e for e in views if e.source == "server"]
    assert [(e.user, e.device_id) for e in online] == [(KD, laptop.device_id)]

    # The note and the phone reached both logs (device and server): each is one access.
    created = [e for e in events if e.action == "create"]
    assert [(e.entity, e.record_id, e.source) for e in created] == [("note", note.id, "device")]
    assert created[0].server_entry_id is not None and created[0].category is AccessCategory.CREATE
    updates = [e for e in events if e.action == "update"]
    assert len(updates) == 1 and updates[0].source == "device"
    assert updates[0].fields == ("phone",) and updates[0].server_entry_id is not None
    assert updates[0].at == OFFLINE_AT + timedelta(minutes=5)
    # Central office's assignment is a change too, by whoever gave it.
    assigned = [e for e in events if e.action == "assign"]
    assert [(e.user, e.role, e.category) for e in assigned] == [
        ("test", None, AccessCategory.UPDATE)
    ]
    # Oldest first, and nothing of the other client.
    moments = [e.at for e in events if e.at is not None]
    assert moments == sorted(moments)
    assert {e.record_id for e in events} == {org.a, note.id}

    other = access_events(session, org.b)
    session.commit()
    assert [(e.action, e.source, e.at) for e in other if e.action == "view"] == [
        ("view", "device", OFFLINE_AT)
    ]
    assert all(e.record_id == org.b for e in other)

    # That Monday, in Dutch days: only what the laptop did then.
    monday = Period(date(2026, 3, 2), date(2026, 3, 2))
    that_day = access_events(session, org.a, monday.start, monday.end)
    session.commit()
    assert [e.action for e in that_day] == ["view", "create", "update"]


# ------------------------------------------------------------------------ whose events


def _entry(
    at: datetime, actor: str, action: str, entity: str, record_id: str | None, **extra: object
) -> AuditEntry:
    details = extra.pop("details", {})
    return AuditEntry(
        at=at,
        actor=actor,
        action=action,
        entity=entity,
        record_id=record_id,
        details=details,
        **extra,
    )


def _device_event(
    device_id: str, at: str, action: str, entity: str, record_id: str, client_id: str | None
) -> DeviceAuditEvent:
    return DeviceAuditEvent(
        device_id=device_id,
        event_id=str(uuid.uuid4()),
        at=at,
        actor=KD,
        action=action,
        entity=entity,
        record_id=record_id,
        client_id=client_id,
        details={},
        prev_hash="0" * 64,
        hash="1" * 64,
        chain_ok=True,
    )


AT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_a_record_of_the_client_is_the_clients_and_nothing_else_is(
    org: Org, session: Session
) -> None:
    note_a = Note(client_id=org.a, text="Van A.", author=KD, written_at=AT)
    note_b = Note(client_id=org.b, text="Van B.", author=KD, written_at=AT)
    gone = Note(client_id=org.a, text="Weggegooid.", author=KD, written_at=AT)
    for record in (note_a, note_b, gone):
        upsert_record(session, record, by="test")
    session.execute(update(notes).where(notes.c.id == gone.id).values(deleted=True))
    late = str(uuid.uuid4())  # a late edit's record the server never created
    session.add(
        OrphanedMutation(
            device_id="dev-1",
            client_id=org.a,
            entry={"entity": "visit", "record_id": late, "op": "create"},
            created_at=AT,
        )
    )
    session.add_all(
        [
            _entry(AT, TM, "view", "note", note_a.id),
            _entry(AT, TM, "view", "note", note_b.id),
            _entry(AT, TM, "delete", "note", gone.id),
            _entry(AT, TM, "orphaned_change_handled", "visit", late),
            _entry(AT, TM, "view", "orphaned_change", None, details={"clients": [org.a, org.b]}),
            _entry(AT, TM, "view", "orphaned_change", None, details={"clients": [org.b]}),
            # The console's caseload listing showed the client's name and BSN to an admin.
            _entry(AT, "beheer", "view", "caseload", None, details={"clients": [org.a]}),
            _entry(AT, "beheer", "view", "caseload", None, details={"clients": [org.b]}),
            # The client's id as a record of another kind is not the client's.
            _entry(AT, "beheer", "create", "user", org.a),
            _entry(AT, TM, "archive", "client", org.a),  # an action this version does not know
            _device_event("dev-1", AT.isoformat(), "view", "note", note_a.id, org.a),
            _device_event("dev-1", AT.isoformat(), "view", "client", org.b, org.b),
            # A device's purge names the client only as its record.
            _device_event("dev-1", AT.isoformat(), "purge", "client", org.a, None),
            _device_event("dev-1", AT.isoformat(), "purge", "client", org.b, None),
            _device_event("dev-1", "not a time", "view", "client", org.a, org.a),
        ]
    )
    session.commit()
    events = [e for e in access_events(session, org.a) if e.action != "assign"]  # the set-up's
    seen = [(e.source, e.action, e.entity, e.record_id) for e in events]
    assert sorted(seen, key=str) == sorted(
        [
            ("server", "view", "note", note_a.id),
            ("server", "delete", "note", gone.id),
            ("server", "orphaned_change_handled", "visit", late),
            ("server", "view", "orphaned_change", None),
            ("server", "view", "caseload", None),
            ("server", "archive", "client", org.a),
            ("device", "view", "note", note_a.id),
            ("device", "purge", "client", org.a),
            ("device", "view", "client", org.a),
        ],
        key=str,
    )
    unknown = next(e for e in events if e.action == "archive")
    assert unknown.category is AccessCategory.READ  # kept, under its own name
    purge = next(e for e in events if e.action == "purge")
    assert purge.category is AccessCategory.DELETE
    # A time the device wrote that cannot be read is kept, last, in any period.
    assert events[-1].at is None and events[-1].action == "view"
    march = Period(date(2026, 3, 1), date(2026, 3, 31))
    assert [e.at for e in access_events(session, org.a, march.start, march.end)] == [None]


def test_a_change_in_both_logs_is_one_access(org: Org, session: Session) -> None:
    laptop, other = "dev-laptop", "dev-other"
    note = Note(client_id=org.a, text="Tekst.", author=KD, written_at=AT)
    upsert_record(session, note, by="test")
    session.add_all(
        [
            # The laptop changed the note twice; the server applied one (the other conflicted).
            _device_event(laptop, AT.isoformat(), "update", "note", note.id, org.a),
            _device_event(
                laptop, (AT + timedelta(minutes=1)).isoformat(), "update", "note", note.id, org.a
            ),
            _entry(AT + timedelta(hours=2), KD, "update", "note", note.id, device_id=laptop),
            # Another device's change whose own events have not arrived yet: the server's.
            _entry(AT + timedelta(hours=3), KD, "update", "note", note.id, device_id=other),
        ]
    )
    session.commit()
    events = [e for e in access_events(session, org.a) if e.action == "update"]
    assert [(e.source, e.device_id, e.at) for e in events] == [
        ("device", laptop, AT),
        ("device", laptop, AT + timedelta(minutes=1)),
        ("server", other, AT + timedelta(hours=3)),
    ]
    assert events[0].server_entry_id is not None and events[1].server_entry_id is None


def test_who_on_whose_behalf_and_which_device(
    org: Org, session: Session, app: FastAPI, api: TestClient
) -> None:
    enrolled = enroll(api, app, MB)
    session.add_all(
        [
            _entry(AT, TM, "view", "client", org.a),
            _entry(AT, MB, "view", "client", org.a, device_id=enrolled.device_id),
            _entry(AT, "cli:root", "export", "client", org.a),
        ]
    )
    session.commit()
    found = {e.user: e for e in access_events(session, org.a) if e.action in ("view", "export")}
    assert (found[TM].role, found[TM].on_behalf_of, found[TM].device_name) == (
        "team_lead",
        TEAM,  # the team a lead leads
        None,
    )
    # No team: in their own name.
    assert (found[MB].on_behalf_of, found[MB].device_name) == (MB, f"laptop of {MB}")
    assert (found["cli:root"].role, found["cli:root"].category) == (None, AccessCategory.EXPORT)
    rows = {
        r.who: r
        for r in report_document(
            find_client(session, client_id=org.a, bsn=None),
            Period(None, None),
            list(found.values()),
            printed_on=date(2026, 12, 1),
        ).rows
    }
    assert (rows[TM].role, rows[TM].device, rows[TM].what) == (
        "Teamleider",
        "Centrale server",
        "Dossier geopend",
    )
    assert rows["cli:root"].role == "Beheer centrale server"
    assert rows[MB].device == f"laptop of {MB}"


@pytest.mark.parametrize(
    ("at", "inside"),
    [
        # Winter (UTC+1): 2 March runs from 1 March 23:00 to 2 March 23:00 UTC.
        (datetime(2026, 3, 1, 22, 59, 59, 999999, tzinfo=UTC), False),
        (datetime(2026, 3, 1, 23, 0, tzinfo=UTC), True),
        (datetime(2026, 3, 2, 22, 59, 59, 999999, tzinfo=UTC), True),
        (datetime(2026, 3, 2, 23, 0, tzinfo=UTC), False),
    ],
)
def test_the_period_is_whole_dutch_days(
    org: Org, session: Session, at: datetime, inside: bool
) -> None:
    session.add(_entry(at, TM, "view", "client", org.a))
    session.add(_device_event("dev-1", at.isoformat(), "view", "client", org.a, org.a))
    session.commit()
    day = Period(date(2026, 3, 2), date(2026, 3, 2))
    found = [e.source for e in access_events(session, org.a, day.start, day.end)]
    assert found == (["server", "device"] if inside else [])


def test_summer_time_days_start_at_22_utc() -> None:
    day = Period(date(2026, 7, 1), date(2026, 7, 1))
    assert day.start == datetime(2026, 6, 30, 22, 0, tzinfo=UTC)
    assert day.end == datetime(2026, 7, 1, 22, 0, tzinfo=UTC)
    assert Period(None, None).start is None and Period(None, None).end is None


def test_the_query_refuses_what_is_no_client_or_no_period(org: Org, session: Session) -> None:
    with pytest.raises(UnknownClient):
        access_events(session, str(uuid.uuid4()))
    with pytest.raises(InvalidPeriod):
        access_events(session, org.a, AT, AT - timedelta(seconds=1))
    with pytest.raises(ValueError, match="naive"):
        access_events(session, org.a, datetime(2026, 3, 1))


# ------------------------------------------------------------------------ the command


Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(database_url: str, capsys: pytest.CaptureFixture[str]) -> Run:
    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(["--database-url", database_url, "access-report", *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def _exports(session: Session) -> list[AuditEntry]:
    found = list(session.scalars(select(AuditEntry).where(AuditEntry.action == "export")))
    session.commit()
    return found


def test_json_for_the_privacy_officer(
    org: Org, laptop: Laptop, cli: Run, session: Session, tmp_path: Path
) -> None:
    laptop.store.open_dossier(org.a)
    laptop.sync()
    out = tmp_path / "report.json"
    code, stdout, stderr = cli("--client", org.a, "--format", "json", "--out", str(out))
    assert code == 0, stderr
    assert "Proefpersoon" not in stdout and BSN_A not in stdout
    document = json.loads(out.read_text(encoding="utf-8"))
    expected = access_events(session, org.a)
    session.commit()
    assert document["client_id"] == org.a and document["period"] == {"from": None, "to": None}
    assert document["events"] == [event_record(e) for e in expected]
    # Making the report is an access to the dossier, in the operator's name, and in the report.
    [export] = _exports(session)
    assert export.actor.startswith("cli") and export.record_id == org.a
    assert export.details["format"] == "json" and export.details["report"] == "access"
    assert document["events"][-1]["event_id"] == f"server:{export.id}"
    assert any(e["source"] == "device" and e["action"] == "view" for e in document["events"])
    assert out.stat().st_mode & 0o077 == 0  # personal data: the owner's only
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_csv_opens_in_dutch_excel_and_reads_back(
    org: Org, laptop: Laptop, cli: Run, session: Session, tmp_path: Path
) -> None:
    session.execute(
        update(Device)
        .where(Device.id == laptop.device_id)
        .values(name='=HYPERLINK("http://example.invalid")')
    )
    session.commit()
    laptop.store.open_dossier(org.a)
    laptop.sync()
    out = tmp_path / "report.csv"
    code, _, stderr = cli(
        "--bsn", BSN_A, "--from", "2000-01-01", "--format", "csv", "--out", str(out)
    )
    assert code == 0, stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # so Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert tuple(rows[0]) == COLUMNS
    parsed = [dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]]
    expected = access_events(session, org.a)
    session.commit()
    assert len(parsed) == len(expected)
    for row, event in zip(parsed, expected, strict=True):
        assert row["event_id"] == event.event_id
        assert row["at"] and datetime.fromisoformat(row["at"]) == event.at
        assert (row["category"], row["action"], row["user"]) == (
            event.category.value,
            event.action,
            event.user,
        )
        assert row["source"] == event.source and row["role"] == (event.role or "")
    view = next(r for r in parsed if r["source"] == "device" and r["action"] == "view")
    # A name that Excel would run as a formula is shown as text.
    assert view["device_name"] == '\'=HYPERLINK("http://example.invalid")'
    assert view["chain_ok"] == "true" and view["offline"] == ""


def test_pdf_for_the_client(
    org: Org, laptop: Laptop, cli: Run, session: Session, tmp_path: Path
) -> None:
    laptop.clock.now = OFFLINE_AT
    laptop.store.open_dossier(org.a)
    laptop.clock.now = datetime.now(UTC)
    laptop.sync()
    out = tmp_path / "inzage.pdf"
    code, _, stderr = cli(
        "--client",
        org.a,
        "--from",
        "2026-03-02",
        "--to",
        "2026-03-02",
        "--format",
        "pdf",
        "--out",
        str(out),
    )
    assert code == 0, stderr
    text = flat(PdfFile(out).text())
    assert "Wie heeft uw dossier bekeken of gewijzigd?" in text
    assert "Testa Proefpersoon1" in text
    assert "02-03-2026 t/m 02-03-2026" in text
    assert "02-03-2026 10:15" in text  # 09:15 UTC, in Dutch (winter) time
    assert "Dossier geopend" in text and f"laptop of {KD}" in text and TEAM in text
    assert BSN_A not in text  # masked
    # The period ends before today: the report's own making is not in it, but is audited.
    assert "Cliëntgegevens geëxporteerd" not in text and len(_exports(session)) == 1


BAD_INPUT = [
    # (case, arguments before --format and --out; "A" is the client; the path in a new folder)
    ("unknown client", ["--client", "no-such-client"], "r.pdf", UnknownClient()),
    ("unknown BSN", ["--bsn", UNKNOWN_BSN], "r.pdf", UnknownClient()),
    ("invalid BSN", ["--bsn", INVALID_BSN], "r.pdf", None),
    (
        "to before from",
        ["--client", "A", "--from", "2026-03-05", "--to", "2026-03-04"],
        "r.pdf",
        InvalidPeriod(),
    ),
    ("malformed from", ["--client", "A", "--from", "2026-13-01"], "r.pdf", InvalidDate("--from")),
    ("Dutch order", ["--client", "A", "--to", "05-03-2026"], "r.pdf", InvalidDate("--to")),
    ("compact date", ["--client", "A", "--from", "20260301"], "r.pdf", InvalidDate("--from")),
    ("no such folder", ["--client", "A"], "missing/r.pdf", InvalidOutput()),
    ("a folder", ["--client", "A"], ".", InvalidOutput()),
]


@pytest.mark.parametrize(
    ("args", "out", "error"), [c[1:] for c in BAD_INPUT], ids=[c[0] for c in BAD_INPUT]
)
def test_bad_input_is_refused_in_dutch_or_english_and_changes_nothing(
    org: Org,
    cli: Run,
    session: Session,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    out: str,
    error: VeldwerkError | None,
) -> None:
    before = session.scalar(select(func.count()).select_from(AuditEntry))
    session.commit()
    folder = tmp_path / "reports"
    folder.mkdir()
    given = [org.a if a == "A" else a for a in args]
    # One language, the locale's (server/terminal.py), as every command of veldwerk-server.
    for locale, language in (("nl_NL.UTF-8", "nl"), ("en_US.UTF-8", "en")):
        monkeypatch.setenv("LC_ALL", locale)
        code, stdout, stderr = cli(*given, "--format", "pdf", "--out", str(folder / out))
        assert code != 0 and stdout == ""
        if error is None:  # the BSN's own 11-check, with the domain's messages
            expected = "Dit is geen geldig BSN" if language == "nl" else "This is not a valid BSN"
            assert stderr.startswith(f"invalid_bsn: {expected}") and stderr.count("\n") == 1
        else:
            assert stderr == f"{error.code}: {error.message(language)}\n"
    assert list(folder.iterdir()) == []  # no report, no temporary file
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == before
    session.commit()


def test_a_failure_while_writing_leaves_no_file_and_no_trace(tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"

    def fail() -> None:
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        write_report(out, b"%PDF-1.4", before_rename=fail)
    assert list(tmp_path.iterdir()) == []
    write_report(out, b"new", before_rename=lambda: None)
    assert out.read_bytes() == b"new"
