"""The console's retention pages (issue #15's back end through issue #17's console): legal
holds, erasure requests on their three-month clock, the "due" overview with its dry run and
the confirmed run, and the destruction statements as PDF. On SQLite and PostgreSQL, with a fake
day; every act audited in the administrator's name; clients named by their random id only;
refused input changes nothing and keeps the form. Every name and BSN here is made up."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.client import Client
from app.domain.reference import Scheme
from server.console.text import TEXT
from server.crud.assignments import assign_many
from server.crud.records import insert_records
from server.models import (
    AuditEntry,
    DestroyedClient,
    DestructionStatement,
    ErasureRequest,
    clients,
)
from server.retention import holds
from tests.reports.pdf_tools import PdfFile, flat
from tests.server.conftest import make_user
from tests.server.console_browser import browser, form_token, make_admin, sign_in
from tests.server.test_console_pages import nl, text_of
from tests.server.test_policy_matrix import fake_client
from tests.server.test_retention import enrollment, valid_bsns
from tests.server.test_retention import snapshot as every_row

ADMIN = "b.admin"
CASEWORKER = "k.dijkstra"
TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@dataclass
class People:
    due: Client  # Participatiewet ended 30-06-2014: due since 30-06-2024
    held: Client  # Wsw ended 2010: due, and the tests place a hold on it
    wmo: Client  # a running Wmo provision: a statutory erasure request
    other: Client  # a running Participatiewet benefit: a request that is not statutory

    def all(self) -> list[Client]:
        return [self.due, self.held, self.wmo, self.other]

    def personal(self) -> list[str]:
        """What must never show on a page or in a statement."""
        found = []
        for person in self.all():
            found += [person.bsn.value, person.name.surname, person.bsn.formatted()]
        return found


@pytest.fixture
def people(app: FastAPI, session: Session, monkeypatch: pytest.MonkeyPatch) -> People:
    monkeypatch.setattr("server.console.retention_page._today", lambda: TODAY)
    make_user(app, CASEWORKER, "caseworker")
    bsns = valid_bsns(4, start=230_000_000)
    due, held, wmo, other = (
        fake_client(n, bsns[n], caseworker=CASEWORKER, surname=f"Bewaarbaar{n}q") for n in range(4)
    )
    insert_records(
        session,
        [
            due,
            held,
            wmo,
            other,
            enrollment(due, Scheme.PARTICIPATIEWET, date(2011, 1, 1), date(2014, 6, 30)),
            enrollment(held, Scheme.WSW, date(2001, 1, 1), date(2010, 1, 1)),
            enrollment(wmo, Scheme.WMO, date(2020, 1, 1), None),
            enrollment(other, Scheme.PARTICIPATIEWET, date(2020, 1, 1), None),
        ],
        by="test",
    )
    assign_many(session, [(c.id, CASEWORKER) for c in (due, held, wmo, other)], by="test")
    session.commit()
    return People(due, held, wmo, other)


@pytest.fixture
def console(app: FastAPI) -> TestClient:
    secret = make_admin(app, ADMIN)
    client = browser(app)
    sign_in(client, ADMIN, secret)
    return client


def send(tab: TestClient, page: str, path: str, **data: str) -> Response:
    """A form of `page` posted to `path` with the page's CSRF token."""
    token = form_token(tab.get(page))
    answer: Response = tab.post(path, data={**data, "csrf_token": token})
    return answer


def follow(tab: TestClient, answer: Response) -> str:
    assert answer.status_code == 303, answer.text
    page = tab.get(answer.headers["location"])
    assert page.status_code == 200
    return text_of(page)


def audited(session: Session, *actions: str) -> list[tuple[str, str, str | None]]:
    session.commit()
    found = [
        (str(row.actor), str(row.action), row.record_id)
        for row in session.execute(
            select(AuditEntry.actor, AuditEntry.action, AuditEntry.record_id)
            .where(AuditEntry.action.in_(actions))
            .order_by(AuditEntry.id)
        )
    ]
    session.commit()
    return found


def count(session: Session, what: type) -> int:
    session.commit()
    found = int(session.scalar(select(func.count()).select_from(what)) or 0)
    session.commit()
    return found


def client_rows(session: Session, client_id: str) -> int:
    session.commit()
    found = int(
        session.scalar(select(func.count()).select_from(clients).where(clients.c.id == client_id))
        or 0
    )
    session.commit()
    return found


def snapshot(session: Session) -> dict[str, list[str]]:
    """Every row of every table but the console's sessions (each page touches its own)."""
    found = every_row(session)
    del found["console_sessions"]
    return found


def assert_nothing_personal(page: str, people: People) -> None:
    for needle in people.personal():
        assert needle not in page, needle


HOLDS = "/beheer/bewaren/bewaarplicht"
REQUESTS = "/beheer/bewaren/verzoeken"


# ----------------------------------------------------------------------------- legal holds


def test_a_hold_is_placed_by_bsn_and_lifted_shown_by_id_and_audited(
    console: TestClient, session: Session, people: People
) -> None:
    reason = "Bezwaarprocedure 2026-0412 loopt"
    placed = send(
        console, HOLDS, HOLDS, client=people.held.bsn.value, reason=reason
    )  # found by BSN, as the command line accepts
    page = follow(console, placed)
    assert nl("holds.placed", name=people.held.id) in page
    assert people.held.id in page and reason not in page
    assert_nothing_personal(page, people)
    session.commit()
    assert [h.client_id for h in holds.in_force(session)] == [people.held.id]
    session.commit()

    lifted = send(console, HOLDS, f"{HOLDS}/{people.held.id}/opheffen")
    page = follow(console, lifted)
    assert nl("holds.lifted", name=people.held.id) in page
    assert nl("holds.none") in page
    session.commit()
    assert holds.in_force(session) == []
    session.commit()
    assert audited(session, "legal_hold_placed", "legal_hold_lifted") == [
        (ADMIN, "legal_hold_placed", people.held.id),
        (ADMIN, "legal_hold_lifted", people.held.id),
    ]


def test_a_refused_hold_says_why_keeps_the_form_and_changes_nothing(
    console: TestClient, session: Session, people: People
) -> None:
    holds.place(session, client=people.held.id, reason="Loopt al", by="test", now=NOW)
    session.commit()
    before = snapshot(session)
    cases = [
        ({"client": "geen-client", "reason": "Zaak 12"}, "error.unknown_client"),
        ({"client": people.due.id, "reason": "   "}, "error.reason_required"),
        ({"client": people.due.id, "reason": "x" * 2001}, "error.reason_too_long"),
        ({"client": people.held.id, "reason": "Nog een keer"}, "error.hold_exists"),
        ({"client": "123456789", "reason": "Zaak 12"}, "error.invalid_bsn"),
    ]
    for data, key in cases:
        answer = send(console, HOLDS, HOLDS, **data)
        assert answer.status_code == 422, data
        shown = text_of(answer)
        assert nl(key) in shown, key
        assert TEXT[key][0] in shown
        assert f'value="{data["client"]}"' in answer.text  # the form is kept
    lift = send(console, HOLDS, f"{HOLDS}/{people.due.id}/opheffen")
    assert lift.status_code == 422 and nl("error.no_hold") in text_of(lift)
    assert snapshot(session) == before


# ------------------------------------------------------------------------ erasure requests


def test_the_erasure_lifecycle_through_the_pages(
    console: TestClient, session: Session, people: People
) -> None:
    # A Wmo file: statutory, three months from 01-10-2026 is 01-01-2027, 39 days from today.
    recorded = send(console, REQUESTS, REQUESTS, client=people.wmo.id, received="2026-10-01")
    page = follow(console, recorded)
    assert nl("erasure.recorded", name="1", team="01-01-2027") in page
    assert nl("erasure.days_left", count=39) in page and people.wmo.id in page
    assert_nothing_personal(page, people)

    # Carrying it out asks first, and says what goes.
    confirm = console.get(f"{REQUESTS}/1/uitvoeren")
    assert confirm.status_code == 200
    shown = text_of(confirm)
    assert nl("erasure.carry_out_confirm", client=people.wmo.id) in shown
    assert client_rows(session, people.wmo.id) == 1  # asking changed nothing
    done = send(console, f"{REQUESTS}/1/uitvoeren", f"{REQUESTS}/1/uitvoeren")
    page = follow(console, done)
    assert nl("erasure.done", name="1", count="1") in page
    assert client_rows(session, people.wmo.id) == 0
    session.commit()
    assert session.get(DestroyedClient, people.wmo.id) is not None
    request = session.get(ErasureRequest, 1)
    assert request is not None and request.status == "carried_out" and request.statement_id == 1
    session.commit()

    # Another file (a running benefit): recorded as not statutory, then refused with a reason.
    recorded = send(
        console, REQUESTS, REQUESTS, client=people.other.bsn.value, received="23-11-2026"
    )
    page = follow(console, recorded)
    assert nl("erasure.recorded_not_statutory", name="2", team="23-02-2027") in page
    assert nl("erasure.not_statutory") in page
    refuse = f"{REQUESTS}/2/weigeren"
    empty = send(console, refuse, refuse, reason="  ")
    assert empty.status_code == 422 and nl("error.reason_required") in text_of(empty)
    long_reason = "Participatiewet: bewaarplicht 10 jaar. " * 60
    too_long = send(console, refuse, refuse, reason=long_reason)
    assert too_long.status_code == 422 and nl("error.reason_too_long") in text_of(too_long)
    assert long_reason.strip()[:100] in text_of(too_long)  # what was typed is kept
    reason = "De Participatiewet verplicht tot bewaren (10 jaar na einde uitkering)."
    page = follow(console, send(console, refuse, refuse, reason=reason))
    assert nl("erasure.refused_now", name="2") in page
    session.commit()
    refused = session.get(ErasureRequest, 2)
    assert refused is not None and refused.status == "refused" and refused.reason == reason
    session.commit()
    assert client_rows(session, people.other.id) == 1

    # Decided requests leave the open list, show with "also decided", and cannot be decided again.
    assert nl("erasure.none") in text_of(console.get(REQUESTS))
    everything = text_of(console.get(f"{REQUESTS}?alles=1"))
    assert nl("erasure.carried_out") in everything and nl("erasure.refused") in everything
    assert reason not in everything
    again = send(console, REQUESTS, f"{REQUESTS}/2/uitvoeren")
    assert again.status_code == 422 and nl("error.erasure_decided") in text_of(again)
    assert nl("erasure.decided_already", what=nl("erasure.refused")) in text_of(console.get(refuse))
    assert audited(session, "erasure_requested", "erasure_carried_out", "erasure_refused") == [
        (ADMIN, "erasure_requested", people.wmo.id),
        (ADMIN, "erasure_carried_out", people.wmo.id),
        (ADMIN, "erasure_requested", people.other.id),
        (ADMIN, "erasure_refused", people.other.id),
    ]


def test_a_hold_stops_carrying_out_an_erasure(
    console: TestClient, session: Session, people: People
) -> None:
    follow(console, send(console, REQUESTS, REQUESTS, client=people.wmo.id, received="2026-11-01"))
    follow(console, send(console, HOLDS, HOLDS, client=people.wmo.id, reason="Rechtszaak"))
    confirm = text_of(console.get(f"{REQUESTS}/1/uitvoeren"))
    assert nl("erasure.hold_warning") in confirm and nl("erasure.carry_out_now") not in confirm
    before = snapshot(session)
    answer = send(console, REQUESTS, f"{REQUESTS}/1/uitvoeren")
    assert answer.status_code == 422 and nl("error.legal_hold") in text_of(answer)
    assert snapshot(session) == before


def test_bad_erasure_input_says_why_keeps_the_form_and_changes_nothing(
    console: TestClient, session: Session, people: People
) -> None:
    follow(console, send(console, REQUESTS, REQUESTS, client=people.wmo.id, received="2026-11-01"))
    before = snapshot(session)
    cases = [
        ({"client": people.wmo.id, "received": "31-02-2026"}, "erasure.invalid_date"),
        ({"client": people.wmo.id, "received": ""}, "erasure.invalid_date"),
        ({"client": people.other.id, "received": "2026-11-24"}, "error.received_in_future"),
        ({"client": "onbekend", "received": "2026-11-01"}, "error.unknown_client"),
        ({"client": people.wmo.id, "received": "2026-11-02"}, "error.erasure_request_open"),
    ]
    for data, key in cases:
        answer = send(console, REQUESTS, REQUESTS, **data)
        assert answer.status_code == 422, data
        assert nl(key) in text_of(answer), key
        assert f'value="{data["client"]}"' in answer.text
        assert f'value="{data["received"]}"' in answer.text
    for path in (f"{REQUESTS}/99/uitvoeren", f"{REQUESTS}/99/weigeren"):
        assert console.get(path).status_code == 404
        gone = send(console, REQUESTS, path, reason="Zomaar")
        assert gone.status_code == 404 and nl("error.unknown_request") in text_of(gone)
    assert console.get(f"{REQUESTS}/0/uitvoeren").status_code == 422  # not a number of ours
    assert snapshot(session) == before


# -------------------------------------------------------------- what is due, and the run


def _plan(page: Response) -> str:
    found = re.search(r'name="plan" value="([0-9a-f]{64})"', page.text)
    assert found is not None, page.text
    return found.group(1)


def test_the_due_overview_and_the_dry_run_change_nothing_and_the_run_does_what_they_showed(
    console: TestClient, session: Session, people: People
) -> None:
    follow(console, send(console, HOLDS, HOLDS, client=people.held.id, reason="Zaak 7"))
    before = snapshot(session)
    overview = console.get("/beheer/bewaren")
    assert overview.status_code == 200
    shown = text_of(overview)
    assert "Verleende voorziening" in shown  # the due file's category, from the reference data
    assert re.search(r"Verlopen, maar onder bewaarplicht \(legal hold\)</dt><dd><a [^>]+>1<", shown)
    assert_nothing_personal(shown, people)
    dry = console.get("/beheer/bewaren/proefdraai")
    assert dry.status_code == 200
    shown = text_of(dry)
    assert nl("retention.dry_run_intro", day="23-11-2026") in shown and "2024-06" in shown
    assert_nothing_personal(shown, people)
    assert snapshot(session) == before  # looking changes nothing
    plan = _plan(dry)

    # A hold placed after the dry run: the run refuses, destroys nothing, shows the new plan.
    follow(console, send(console, HOLDS, HOLDS, client=people.due.id, reason="Zaak 8"))
    changed = send(console, "/beheer/bewaren/proefdraai", "/beheer/bewaren/vernietigen", plan=plan)
    assert changed.status_code == 409 and nl("retention.changed") in text_of(changed)
    assert client_rows(session, people.due.id) == 1
    assert count(session, DestructionStatement) == 0
    assert nl("retention.nothing_to_run") in text_of(changed)  # both due files are held now

    follow(console, send(console, HOLDS, HOLDS + f"/{people.due.id}/opheffen"))
    dry = console.get("/beheer/bewaren/proefdraai")
    ran = send(
        console, "/beheer/bewaren/proefdraai", "/beheer/bewaren/vernietigen", plan=_plan(dry)
    )
    page = follow(console, ran)
    assert nl("retention.done", count="1", name="1") in page
    assert client_rows(session, people.due.id) == 0
    assert client_rows(session, people.held.id) == 1
    assert audited(session, "retention_run", "destroy") == [
        (ADMIN, "destroy", people.due.id),
        (ADMIN, "retention_run", "1"),
    ]
    assert nl("retention.nothing_to_run") in text_of(console.get("/beheer/bewaren/proefdraai"))


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_a_statement_downloads_as_a_pdf_without_personal_data_and_audited(
    console: TestClient, session: Session, people: People, tmp_path: Path
) -> None:
    dry = console.get("/beheer/bewaren/proefdraai")
    follow(
        console,
        send(console, "/beheer/bewaren/proefdraai", "/beheer/bewaren/vernietigen", plan=_plan(dry)),
    )
    listing = text_of(console.get("/beheer/bewaren/verklaringen"))
    assert nl("statements.kind_retention") in listing and "/verklaringen/1/pdf" in listing
    answer = console.get("/beheer/bewaren/verklaringen/1/pdf")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert "verklaring-van-vernietiging-1.pdf" in answer.headers["content-disposition"]
    assert answer.headers["cache-control"] == "no-store"
    assert answer.content.startswith(b"%PDF")
    text = flat(PdfFile.write(answer.content, tmp_path).text())
    assert "Verklaring van vernietiging" in text
    for needle in [*people.personal(), *(p.id for p in people.all())]:
        assert needle not in text, needle
    assert audited(session, "export") == [(ADMIN, "export", "1")]
    missing = console.get("/beheer/bewaren/verklaringen/2/pdf")
    assert missing.status_code == 404 and nl("error.unknown_statement") in text_of(missing)


def test_every_retention_page_shows_ids_only_and_the_section_tabs(
    console: TestClient, session: Session, people: People
) -> None:
    follow(console, send(console, HOLDS, HOLDS, client=people.held.id, reason="Zaak 9"))
    follow(console, send(console, REQUESTS, REQUESTS, client=people.wmo.id, received="2026-11-01"))
    for path in (
        "/beheer/bewaren",
        "/beheer/bewaren/proefdraai",
        HOLDS,
        REQUESTS,
        f"{REQUESTS}?alles=1",
        f"{REQUESTS}/1/uitvoeren",
        f"{REQUESTS}/1/weigeren",
        "/beheer/bewaren/verklaringen",
    ):
        answer = console.get(path)
        assert answer.status_code == 200, path
        page = text_of(answer)
        assert_nothing_personal(page, people)
        assert nl("retention.tab_statements") in page
        assert 'aria-current="page">' + nl("nav.retention") in page or (
            'aria-current="true">' + nl("nav.retention") in page
        )
    assert console.get(f"/beheer/taal/en?terug={HOLDS}").status_code == 303
    english = text_of(console.get(HOLDS))
    assert TEXT["holds.title"][1] in english and TEXT["holds.intro"][1] in english


def test_every_refusal_of_the_back_ends_has_its_words_in_the_console() -> None:
    """A code server.retention or server.council refuses with is worded for a page (not the
    command line's "--period …") in Dutch and English; none falls back to the generic text."""
    root = Path(__file__).parents[2] / "server"
    retention_codes = set()
    for source in (root / "retention").glob("*.py"):
        retention_codes |= set(re.findall(r'Error\(\s*"([a-z_]+)"', source.read_text()))
    assert {"unknown_client", "legal_hold", "reason_required"} <= retention_codes
    missing = {code for code in retention_codes if f"error.{code}" not in TEXT}
    assert missing == set()
    council_codes = {"invalid_period", "future_period", "unknown_municipality"}
    assert all(f"council.{code}" in TEXT for code in council_codes)
    for key in [f"error.{c}" for c in retention_codes] + [f"council.{c}" for c in council_codes]:
        assert "--" not in TEXT[key][0] and "--" not in TEXT[key][1], key
