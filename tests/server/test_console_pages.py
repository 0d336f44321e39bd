"""The console's pages behind the sign-in: devices and enrollment codes, caseload, audit log,
duplicate registrations and late changes, and the client import with its dry run. On SQLite
and PostgreSQL; every act audited under the administrator's name; nothing of a dossier shown."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.demo.caseload import generate_caseload
from app.domain.access_log import ACTION_CATEGORIES
from app.domain.client import Client
from app.domain.local_time import local_today
from server.config import Settings
from server.console.audit_page import action_words, entity_words
from server.console.import_page import ACTION as IMPORT_ACTION
from server.console.text import TEXT
from server.crud import devices
from server.db import session_scope
from server.models import (
    Assignment,
    AuditEntry,
    Device,
    OrphanedMutation,
    UniquenessCollision,
    User,
    clients,
)
from server.retention import erasure, holds
from server.seed import import_clients, seed_demo
from tests.domain.test_access_log import written_actions
from tests.server.conftest import PASSWORD, enroll, make_user
from tests.server.console_browser import browser, form_token, make_admin, sign_in
from tests.server.test_console_auth import FORMS
from tests.server.test_import_apply import as_row, csv_bytes, failing_bsn, with_value

ADMIN = "b.admin"


def nl(key: str, **values: object) -> str:
    return TEXT[key][0].format(**values) if values else TEXT[key][0]


def text_of(page: Response) -> str:
    return html.unescape(page.text)


def people(count: int = 6, seed: int = 11) -> tuple[Client, ...]:
    return generate_caseload(
        clients=count, seed=seed, caseworkers=("k.dijkstra", "m.bakker"), team_lead="t.mulder"
    ).clients


@pytest.fixture
def console(app: FastAPI) -> TestClient:
    secret = make_admin(app, ADMIN)
    client = browser(app)
    sign_in(client, ADMIN, secret)
    return client


def post(tab: TestClient, page: str, path: str, **data: str | list[str]) -> Response:
    token = form_token(tab.get(page))
    answer: Response = tab.post(path, data={**data, "csrf_token": token})
    return answer


def upload(
    client: TestClient, path: str, data: bytes, name: str = "clienten.csv", **fields: str
) -> Response:
    token = form_token(client.get("/beheer/import"))
    answer: Response = client.post(
        path,
        data={**fields, "csrf_token": token},
        files={"bestand": (name, data, "text/csv")},
    )
    return answer


def load(app: FastAPI, rows: Sequence[Sequence[str]]) -> None:
    with session_scope(app.state.sessionmaker) as session:
        report = import_clients(
            session, csv_bytes(rows), dry_run=False, skip_invalid=False, by="test"
        )
        assert not report.problems


def audited(session: Session, action: str) -> list[AuditEntry]:
    session.commit()
    found = list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == action, AuditEntry.actor == ADMIN)
            .order_by(AuditEntry.id)
        )
    )
    session.commit()  # a transaction left open would hold SQLite's write lock
    return found


# ------------------------------------------------------------------------------ security


@pytest.mark.parametrize("path", FORMS.values())
def test_every_form_refuses_a_post_without_its_csrf_token(console: TestClient, path: str) -> None:
    answer = console.post(path, data={"username": "k.dijkstra", "zoek": "Vries"})
    assert answer.status_code == 403
    assert nl("error.csrf") in text_of(answer)


def test_an_upload_without_its_token_or_from_another_site_is_refused(
    console: TestClient, session: Session
) -> None:
    data = csv_bytes([as_row(people(1)[0], "")])
    files = {"bestand": ("a.csv", data, "text/csv")}
    assert console.post("/beheer/import/proef", files=files).status_code == 403
    token = form_token(console.get("/beheer/import"))
    elsewhere = console.post(
        "/beheer/import/proef",
        data={"csrf_token": token},
        files=files,
        headers={"Origin": "https://evil.example"},
    )
    assert elsewhere.status_code == 403


# ------------------------------------------------------------------------------- devices


def test_devices_per_user_with_contact_and_version_and_a_confirmed_revocation(
    app: FastAPI, api: TestClient, console: TestClient, session: Session
) -> None:
    make_user(app, "k.dijkstra", "caseworker")
    laptop = enroll(api, app, "k.dijkstra")
    session.execute(update(Device).where(Device.id == laptop.device_id).values(app_version="1.4.2"))
    session.commit()
    page = text_of(console.get("/beheer/apparaten"))
    assert "laptop of k.dijkstra" in page and "1.4.2" in page and nl("devices.in_use") in page

    confirm = console.get(f"/beheer/apparaten/{laptop.device_id}/intrekken")
    assert confirm.status_code == 200
    assert nl("devices.revoke_now") in confirm.text
    assert session.get(Device, laptop.device_id).revoked_at is None  # type: ignore[union-attr]
    session.commit()

    answer = post(
        console,
        f"/beheer/apparaten/{laptop.device_id}/intrekken",
        f"/beheer/apparaten/{laptop.device_id}/intrekken",
    )
    assert answer.status_code == 303
    shown = text_of(console.get(answer.headers["location"]))
    assert nl("devices.revoked", name="laptop of k.dijkstra") in shown
    session.expire_all()
    assert session.get(Device, laptop.device_id).revoked_at is not None  # type: ignore[union-attr]
    session.commit()
    assert [e.record_id for e in audited(session, "revoke")] == [laptop.device_id]
    # The device hears it at its next contact.
    refused = api.get("/v1/me", headers=laptop.headers)
    assert refused.status_code == 401 and refused.json()["code"] == "device_revoked"
    # Asking again shows that it is done; an unknown device is "not found", in Dutch.
    again = console.get(f"/beheer/apparaten/{laptop.device_id}/intrekken")
    assert "al ingetrokken" in again.text
    unknown = console.get("/beheer/apparaten/onbekend/intrekken")
    assert unknown.status_code == 404 and nl("devices.gone") in text_of(unknown)


def test_an_enrollment_code_is_shown_once_uncached_and_works(
    app: FastAPI, api: TestClient, console: TestClient, session: Session
) -> None:
    make_user(app, "k.dijkstra", "caseworker")
    answer = post(console, "/beheer/apparaten", "/beheer/koppelcodes", username="k.dijkstra")
    assert answer.status_code == 200  # the answer itself: the code is in no address
    assert answer.headers["cache-control"] == "no-store"
    found = re.search(r'<p class="code">([A-Z0-9-]+)</p>', answer.text)
    assert found is not None
    code = found.group(1)
    assert code not in console.get("/beheer/apparaten").text
    assert [e.record_id for e in audited(session, "issue_enrollment_code")] == ["k.dijkstra"]
    enrolled = api.post(
        "/v1/enroll",
        json={
            "username": "k.dijkstra",
            "password": PASSWORD,
            "enrollment_code": code,
            "device_name": "nieuwe laptop",
        },
    )
    assert enrolled.status_code == 201, enrolled.text
    unknown = post(console, "/beheer/apparaten", "/beheer/koppelcodes", username="niemand")
    assert unknown.status_code == 422 and nl("devices.no_such_user") in text_of(unknown)


# ------------------------------------------------------------------------------ caseload


def test_search_by_bsn_or_name_and_reassign_many_audited(
    app: FastAPI, console: TestClient, session: Session
) -> None:
    make_user(app, "k.dijkstra", "caseworker")
    make_user(app, "m.bakker", "caseworker")
    group = people(6)
    load(app, [as_row(c, "k.dijkstra") for c in group])
    first = group[0]

    by_bsn = post(console, "/beheer/caseload", "/beheer/caseload/zoeken", zoek=first.bsn.value)
    assert by_bsn.status_code == 200
    assert by_bsn.text.count('name="client"') == 1
    page = text_of(by_bsn)
    assert "******" + first.bsn.value[-3:] in page and first.bsn.value not in page
    assert first.name.surname in page and "k.dijkstra" in page
    # Nothing of the dossier: no street, date of birth or phone.
    assert first.address.street not in page
    assert first.date_of_birth.strftime("%d-%m-%Y") not in page

    wrong = post(
        console, "/beheer/caseload", "/beheer/caseload/zoeken", zoek=failing_bsn(first.bsn.value)
    )
    assert wrong.status_code == 422 and nl("error.invalid_bsn") in text_of(wrong)
    short = post(console, "/beheer/caseload", "/beheer/caseload/zoeken", zoek="V")
    assert short.status_code == 422 and nl("caseload.too_short") in text_of(short)
    by_name = post(
        console, "/beheer/caseload", "/beheer/caseload/zoeken", zoek=first.name.surname.upper()
    )
    assert first.name.surname in text_of(by_name)

    listing = console.get("/beheer/caseload?klantmanager=k.dijkstra")
    ids = re.findall(r'name="client" value="([^"]+)"', listing.text)
    assert len(ids) == 6
    chosen = ids[:4]
    answer = post(
        console,
        "/beheer/caseload?klantmanager=k.dijkstra",
        "/beheer/caseload/toewijzen",
        client=chosen,
        caseworker="m.bakker",
        terug="k.dijkstra",
    )
    assert answer.status_code == 303
    shown = console.get(answer.headers["location"])
    assert nl("caseload.assigned", count=4, name="m.bakker") in text_of(shown)
    assert sorted(re.findall(r'name="client" value="([^"]+)"', shown.text)) == sorted(chosen)
    session.commit()
    held = session.scalars(
        select(Assignment.client_id)
        .join(User, User.id == Assignment.caseworker_id)
        .where(Assignment.ended_at.is_(None), User.username == "m.bakker")
    )
    assert set(held) == set(chosen)
    session.commit()
    moves = audited(session, "assign")
    assert sorted(str(e.record_id) for e in moves) == sorted(chosen)
    assert {e.details["caseworker"] for e in moves} == {"m.bakker"}
    # Each listing that named clients is a view of them, with their ids.
    views = audited(session, "view")
    assert views and all(e.entity == "caseload" and e.details["clients"] for e in views)

    nothing = post(
        console,
        "/beheer/caseload",
        "/beheer/caseload/toewijzen",
        caseworker="m.bakker",
        terug="",
    )
    assert nothing.status_code == 422 and nl("caseload.none_chosen") in text_of(nothing)
    gone = post(
        console,
        "/beheer/caseload",
        "/beheer/caseload/toewijzen",
        client=["bestaat-niet"],
        caseworker="m.bakker",
    )
    assert gone.status_code == 422 and nl("caseload.gone") in text_of(gone)
    not_a_caseworker = post(
        console, "/beheer/caseload", "/beheer/caseload/toewijzen", client=ids[:1], caseworker=ADMIN
    )
    assert not_a_caseworker.status_code == 422
    assert nl("error.not_a_caseworker") in text_of(not_a_caseworker)


def test_who_holds_what_counts_every_caseworker_and_the_unassigned(
    app: FastAPI, console: TestClient
) -> None:
    make_user(app, "k.dijkstra", "caseworker")
    group = people(5)
    load(app, [as_row(c, "k.dijkstra" if i < 3 else "") for i, c in enumerate(group)])
    page = console.get("/beheer/caseload")
    row = re.search(r"k\.dijkstra</th>.*?<td class=\"number\">(\d+)</td>", page.text, re.S)
    assert row is not None and row.group(1) == "3"
    nobody = console.get("/beheer/caseload?klantmanager=-")
    assert nobody.text.count('name="client"') == 2


# ----------------------------------------------------------------------------- audit log


def test_the_audit_log_filters_by_user_client_action_and_period(
    app: FastAPI, console: TestClient, session: Session
) -> None:
    old = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    session.add_all(
        [
            AuditEntry(
                at=old + timedelta(minutes=i),
                actor="k.dijkstra" if i % 2 else "m.bakker",
                action="view" if i % 3 else "update",
                entity="client",
                record_id=f"client-{i % 4}",
                details={},
            )
            for i in range(230)
        ]
    )
    session.commit()
    everything = console.get("/beheer/audit")
    assert everything.text.count("<tr>") == 101  # the header row and 100 entries
    assert "pagina=2" in everything.text
    third = console.get("/beheer/audit?pagina=3")
    assert third.status_code == 200 and "pagina=4" not in third.text

    mine = console.get(
        "/beheer/audit?gebruiker=k.dijkstra&actie=update&van=2026-03-02&tot=02-03-2026"
    )
    rows = re.findall(
        r'<td>k\.dijkstra</td>\s*<td class="what">Gewijzigd<br>'
        r'<code class="codename">update</code>',
        mine.text,
    )
    assert len(rows) == len([i for i in range(230) if i % 2 and not i % 3])
    assert "m.bakker</td>" not in mine.text
    client = console.get("/beheer/audit?client=client-1&van=2026-03-02&tot=2026-03-02")
    assert client.text.count("client-1<") == len([i for i in range(230) if i % 4 == 1])
    before = console.get("/beheer/audit?tot=2026-03-01")
    assert nl("audit.none") in text_of(before)

    wrong = console.get("/beheer/audit?van=31-02-2026")
    assert wrong.status_code == 422 and nl("audit.invalid_date") in text_of(wrong)
    backwards = console.get("/beheer/audit?van=2026-03-05&tot=2026-03-01")
    assert backwards.status_code == 422 and nl("audit.invalid_period") in text_of(backwards)


def test_the_audit_log_names_actions_and_kinds_in_words_and_keeps_the_codes(
    console: TestClient, session: Session
) -> None:
    at = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    session.add_all(
        [
            AuditEntry(
                at=at, actor=ADMIN, action=action, entity=entity, record_id=record, details={}
            )
            for action, entity, record in (
                ("erasure_carried_out", "client", "5f0c8a1e-4d2b-4c8e-9a57-0d3b6c1e2f40"),
                ("set_second_factor", "user", "b.admin"),
                ("view", "caseload", None),
                ("update", "visit", "visit-1"),
                ("archive_everything", "spaceship", "x-1"),
                ("import_clients", "client_import", "9f" * 32),  # a file's hash
            )
        ]
    )
    session.commit()
    dutch = console.get("/beheer/audit")
    page = text_of(dutch)
    for words, code in (
        ("Gegevens verwijderd op verzoek van de cliënt", "erasure_carried_out"),
        ("Tweede factor ingesteld", "set_second_factor"),
        ("Geopend", "view"),
        ("Caseloadoverzicht", "caseload"),
        ("Gewijzigd", "update"),
        ("Huisbezoek", "visit"),
        ("Gebruiker", "user"),
    ):
        # The words, with the code beside them (to match the log with an export).
        assert f'{words}<br><code class="codename">{code}</code>' in page, code
    # An unknown action or kind is shown as its code, once.
    assert '<td class="what">archive_everything</td>' in page and "<td>spaceship</td>" in page
    assert 'codename">archive_everything' not in page
    # The filter offers words; its values stay codes.
    assert '<option value="set_second_factor">Tweede factor ingesteld</option>' in page
    assert '<option value="archive_everything">archive_everything</option>' in page
    # The moment and the record's id on one line each.
    assert re.search(r'<td class="when">\d\d-\d\d-2026 \d\d:\d\d</td>', page)
    assert '<td class="id whole">5f0c8a1e-4d2b-4c8e-9a57-0d3b6c1e2f40</td>' in page
    assert f'<td class="id">{"9f" * 32}</td>' in page  # longer than an id: it may break
    assert 'Cliënten geïmporteerd<br><code class="codename">import_clients</code>' in page

    assert console.get("/beheer/taal/en?terug=/beheer/audit").status_code == 303
    english = text_of(console.get("/beheer/audit"))
    for words, code in (
        ("Data erased at the client&#39;s request", "erasure_carried_out"),
        ("Second factor set up", "set_second_factor"),
        ("Caseload listing", "caseload"),
        ("Changed", "update"),
        ("Home visit", "visit"),
    ):
        assert f'{html.unescape(words)}<br><code class="codename">{code}</code>' in english, code
    assert "Tweede factor ingesteld" not in english
    assert '<option value="erasure_carried_out">Data erased at the client' in english


def test_every_audit_action_the_code_writes_has_words_in_both_languages() -> None:
    # "help": argparse's action in server/terminal.py, which the scan also finds.
    written = (written_actions() - {"help"}) | set(ACTION_CATEGORIES) | {IMPORT_ACTION}
    assert {"console_sign_in", "set_second_factor", "erasure_carried_out", "view"} <= written
    for language in ("nl", "en"):
        unnamed = sorted(a for a in written if action_words(a, language) in (a, ""))
        assert unnamed == [], f"{language}: give these audit actions words: {unnamed}"
    entities = {
        "client",
        "visit",
        "intake",
        "user",
        "team",
        "device",
        "server",
        "caseload",
        "orphaned_change",
        "destruction_statement",
        "client_import",
    }
    for language in ("nl", "en"):
        assert all(entity_words(e, language) != e for e in entities), language


def test_every_action_in_a_seeded_database_is_shown_in_words(
    console: TestClient, session: Session
) -> None:
    """The demo seed (as the screenshots and the end-to-end tests use it), a device enrolled,
    the console used, and the retention's acts."""
    seeded = seed_demo(session, clients=6, seed=17)
    password = {name: secret for name, _role, secret in seeded.accounts}["k.dijkstra"]
    code = devices.issue_enrollment_code(session, username="k.dijkstra", by=ADMIN)
    devices.enroll(
        session,
        username="k.dijkstra",
        password=password,
        code=code,
        device_name="LT-1",
        address="127.0.0.1",
    )
    first, second = session.scalars(select(clients.c.id).limit(2))
    holds.place(session, client=str(first), reason="Bezwaar", by=ADMIN, now=datetime.now(UTC))
    today = local_today()
    request = erasure.record_request(
        session, client=str(second), received=today, today=today, by=ADMIN, now=datetime.now(UTC)
    )
    erasure.carry_out(session, request_id=request.id, by=ADMIN, now=datetime.now(UTC), today=today)
    session.commit()
    assert console.get("/beheer/caseload?zoek=Vries").status_code == 200

    actions = set(session.scalars(select(AuditEntry.action).distinct()))
    entities = set(session.scalars(select(AuditEntry.entity).distinct()))
    session.commit()
    assert {"create", "assign", "console_sign_in", "enroll", "erasure_carried_out"} <= actions
    page = console.get("/beheer/audit")
    options = dict(re.findall(r'<option value="(\w+)"[^>]*>([^<]*)</option>', page.text))
    assert set(options) == actions
    assert [a for a, words in options.items() if words == a] == []
    for language in ("nl", "en"):
        assert [a for a in actions if action_words(a, language) == a] == []
        assert [e for e in entities if entity_words(e, language) == e] == []


# ----------------------------------------------------------------------------- findings


def test_collisions_are_marked_handled_and_late_changes_shown_as_counts_only(
    app: FastAPI, api: TestClient, console: TestClient, session: Session
) -> None:
    make_user(app, "k.dijkstra", "caseworker")
    make_user(app, "m.bakker", "caseworker")
    laptop = enroll(api, app, "k.dijkstra")
    group = people(2)
    load(app, [as_row(group[0], "m.bakker"), as_row(group[1], "m.bakker")])
    client_id = session.scalar(select(clients.c.id).where(clients.c.bsn == group[0].bsn.value))
    now = datetime.now(UTC)
    session.add(
        UniquenessCollision(
            at=now,
            device_id=laptop.device_id,
            username="k.dijkstra",
            entity="client",
            record_id="nieuw-record",
            field="bsn",
            existing_client_id=str(client_id),
        )
    )
    session.add(
        OrphanedMutation(
            device_id=laptop.device_id,
            client_id=str(client_id),
            entry={
                "entity": "note",
                "record_id": "n1",
                "op": "update",
                "new_values": {"text": "Geheime notitie over schulden"},
            },
            created_at=now,
        )
    )
    session.commit()
    page = console.get("/beheer/signalen")
    shown = text_of(page)
    assert str(client_id) in shown and "m.bakker" in shown
    assert "Geheime notitie" not in shown and "schulden" not in shown
    collision_id = session.scalar(select(UniquenessCollision.id))
    session.commit()
    answer = post(
        console,
        "/beheer/signalen",
        f"/beheer/signalen/dubbel/{collision_id}/afgehandeld",
    )
    assert answer.status_code == 303
    assert nl("findings.handled") in text_of(console.get(answer.headers["location"]))
    assert [e.record_id for e in audited(session, "collision_handled")] == [str(client_id)]
    assert nl("findings.no_collisions") in text_of(console.get("/beheer/signalen"))
    assert "Afgehandeld op" in text_of(console.get("/beheer/signalen?alles=1"))
    missing = post(console, "/beheer/signalen", "/beheer/signalen/dubbel/9999/afgehandeld")
    assert missing.status_code == 404 and nl("findings.gone") in text_of(missing)


# -------------------------------------------------------------------------------- import


def client_count(session: Session) -> int:
    session.commit()
    count = int(session.scalar(select(func.count()).select_from(clients)) or 0)
    session.commit()
    return count


def test_import_shows_the_dry_run_then_applies_exactly_that_file(
    app: FastAPI, console: TestClient, session: Session
) -> None:
    make_user(app, "k.dijkstra", "caseworker")
    group = people(5)
    existing = group[0]
    load(app, [as_row(existing, "k.dijkstra")])
    good = [as_row(c, "k.dijkstra") for c in group]
    good[0] = with_value(good[0], "straat", "Nieuwe Straat")
    bad = list(good)
    bad[2] = with_value(bad[2], "bsn", failing_bsn(group[2].bsn.value))
    bad[3] = with_value(bad[3], "klantmanager", "x.onbekend")

    dry = upload(console, "/beheer/import/proef", csv_bytes(bad))
    assert dry.status_code == 200
    page = text_of(dry)
    # Every problem with its line, its column as the file names it, and the Dutch message.
    assert '<td class="number">4</td><td>bsn</td><td>Het BSN voldoet niet' in page
    assert '<td class="number">5</td><td>klantmanager</td><td>Deze gebruikersnaam' in page
    assert nl("import.has_problems", count=2) in page
    assert 'action="/beheer/import/toepassen"' not in page  # nothing to apply
    assert client_count(session) == 1

    fixed = csv_bytes(good)
    dry = upload(console, "/beheer/import/proef", fixed)
    page = text_of(dry)
    assert dry.status_code == 200 and nl("import.ready") in page
    assert page.count(nl("import.new")) == 4
    assert nl("import.changed_fields", fields="street") in page
    assert client_count(session) == 1  # a dry run changes nothing
    sha256 = re.search(r'name="sha256" value="([0-9a-f]{64})"', dry.text)
    ticket = re.search(r'name="ticket" value="([^"]+)"', dry.text)
    assert sha256 is not None and ticket is not None

    other = upload(
        console,
        "/beheer/import/toepassen",
        csv_bytes(good[:2]),
        sha256=sha256.group(1),
        ticket=ticket.group(1),
    )
    assert other.status_code == 409 and nl("import.not_seen") in text_of(other)
    forged = upload(
        console, "/beheer/import/toepassen", fixed, sha256=sha256.group(1), ticket="1.abc"
    )
    assert forged.status_code == 409
    assert client_count(session) == 1

    applied = upload(
        console,
        "/beheer/import/toepassen",
        fixed,
        name="clienten-fixed.csv",
        sha256=sha256.group(1),
        ticket=ticket.group(1),
    )
    assert applied.status_code == 303
    record = console.get(applied.headers["location"])
    shown = text_of(record)
    assert nl("import.done") in shown and sha256.group(1) in shown
    assert client_count(session) == 5
    [entry] = audited(session, "import_clients")
    assert entry.record_id == sha256.group(1)
    assert (entry.details["created"], entry.details["updated"], entry.details["rows"]) == (4, 1, 5)
    assert "clienten-fixed.csv" in text_of(console.get("/beheer/import"))


def test_a_realistic_client_file_fits_the_request_body_cap(
    app: FastAPI, console: TestClient
) -> None:
    """2,000 clients of the export, every column filled, in one upload (server.body_limit)."""
    make_user(app, "k.dijkstra", "caseworker")
    rows = [as_row(c, "k.dijkstra") for c in people(2000, seed=3)]
    data = csv_bytes(rows)
    assert len(data) < Settings().max_json_body_bytes / 2
    dry = upload(console, "/beheer/import/proef", data)
    assert dry.status_code == 200 and nl("import.ready") in text_of(dry)


def test_a_file_refused_as_a_whole_says_so_without_a_line(console: TestClient) -> None:
    dry = upload(console, "/beheer/import/proef", b"PK\x03\x04 een werkmap")
    page = text_of(dry)
    assert '<td class="number">Bestand</td><td>–</td><td>Dit is een Excel-werkmap' in page
    assert nl("import.has_problem") in page


def test_the_referrer_policy_lets_a_browser_name_this_origin(console: TestClient) -> None:
    """Under "no-referrer" a browser sends `Origin: null` with a form's POST, which the
    console refuses: every sign-in from a real browser would fail."""
    assert console.get("/beheer").headers["referrer-policy"] == "same-origin"
    token = form_token(console.get("/beheer/gebruikers"))
    answer = console.post(
        "/beheer/koppelcodes",
        data={"csrf_token": token, "username": "niemand"},
        headers={"Origin": "https://testserver"},
    )
    assert answer.status_code == 422  # past the origin check; the user is unknown


def test_an_empty_upload_and_an_unknown_record_say_so(console: TestClient) -> None:
    empty = upload(console, "/beheer/import/proef", b"", name="")
    assert empty.status_code == 422 and nl("import.no_file") in text_of(empty)
    assert console.get("/beheer/import/987654").status_code == 404
