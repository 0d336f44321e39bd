"""The council report in the console (issue #16's back end, issue #17's page): a half year and
optionally one former municipality in, the PDF, the SQLite file or both in a zip out — and in
none of them a demo client's BSN, name, date of birth or postcode. On SQLite and PostgreSQL;
every download audited in the administrator's name; bad input refused in Dutch with the form
kept, and then nothing is made or audited."""

from __future__ import annotations

import io
import re
import shutil
import sqlite3
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.demo.caseload import DEMO_TODAY, generate_caseload
from app.domain.formatting import date_text
from server.db import session_scope
from server.models import AuditEntry
from server.seed import seed_demo
from tests.reports.pdf_tools import PdfFile
from tests.server.console_browser import browser, form_token, make_admin, sign_in
from tests.server.test_console_pages import nl, text_of

ADMIN = "b.admin"
CLIENTS = 60
SEED = 31
PAGE = "/beheer/raadsinformatie"


@pytest.fixture
def signed_in(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setattr("server.console.council_page._today", lambda: DEMO_TODAY)
    secret = make_admin(app, ADMIN)
    client = browser(app)
    sign_in(client, ADMIN, secret)
    return client


@pytest.fixture
def console(app: FastAPI, signed_in: TestClient) -> TestClient:
    """Signed in, over the demo seed (fake people with BSNs that pass the 11-check)."""
    with session_scope(app.state.sessionmaker) as session:
        seed_demo(session, clients=CLIENTS, seed=SEED)
    return signed_in


def download(console: TestClient, **data: str) -> Response:
    token = form_token(console.get(PAGE))
    answer: Response = console.post(PAGE, data={**data, "csrf_token": token})
    return answer


def personal_strings() -> Iterator[str]:
    """What identifies a person of the demo seed."""
    caseload = generate_caseload(clients=CLIENTS, seed=SEED)
    for client in caseload.clients:
        name = client.name
        yield client.bsn.value
        yield name.display()
        yield name.formal()
        yield client.date_of_birth.isoformat()
        yield date_text(client.date_of_birth)
        yield client.address.postcode.value
        yield client.address.postcode.value.replace(" ", "")
    for member in caseload.household_members:
        if member.bsn is not None:
            yield member.bsn.value
        yield member.name.display()


def readable(name: str, data: bytes, folder: Path) -> list[str]:
    """Everything a file could show: its bytes, a PDF's text and unpacked streams, every
    value of an SQLite file."""
    found = [data.decode("latin-1"), data.decode("utf-8", errors="ignore")]
    path = folder / name
    path.write_bytes(data)
    if name.endswith(".pdf"):
        found.append(PdfFile(path).text())
        for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
            try:
                found.append(zlib.decompress(stream).decode("latin-1"))
            except zlib.error:
                continue
    if name.endswith(".db"):
        db = sqlite3.connect(path)
        try:
            found.append("\n".join(db.iterdump()))
        finally:
            db.close()
    return found


def audited(session: Session) -> list[AuditEntry]:
    session.commit()
    found = list(
        session.scalars(
            select(AuditEntry).where(AuditEntry.action == "council_report").order_by(AuditEntry.id)
        )
    )
    session.commit()
    return found


def test_the_form_offers_the_half_year_and_the_municipalities(signed_in: TestClient) -> None:
    page = signed_in.get(PAGE)
    assert page.status_code == 200
    assert 'name="period"' in page.text and 'value="2026-H2"' in page.text
    for area in ("Bedum", "De Marne", "Winsum", "Eemsmond"):
        assert f'<option value="{area}">{area}</option>' in page.text
    assert nl("council.pdf") in text_of(page)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_sqlite_and_zip_downloads_hold_no_personal_data_and_are_audited(
    console: TestClient, session: Session, tmp_path: Path
) -> None:
    pdf = download(console, period="2026-H2", municipality="", bestand="pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert 'filename="raadsinformatie-2026-H2.pdf"' in pdf.headers["content-disposition"]
    assert pdf.headers["cache-control"] == "no-store"
    assert pdf.content.startswith(b"%PDF")

    database = download(console, period="2026-H2", municipality="", bestand="sqlite")
    assert database.status_code == 200
    assert 'filename="raadsinformatie-2026-H2.db"' in database.headers["content-disposition"]
    assert database.content.startswith(b"SQLite format 3\x00")

    packed = download(console, period="2026-H1", municipality="Winsum", bestand="zip")
    assert packed.status_code == 200 and packed.headers["content-type"] == "application/zip"
    assert 'filename="raadsinformatie-2026-H1-winsum.zip"' in packed.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(packed.content)) as archive:
        inside = {name: archive.read(name) for name in archive.namelist()}
    assert sorted(inside) == [
        "metadata.json",
        "raadsinformatie-2026-H1-winsum.db",
        "raadsinformatie-2026-H1-winsum.pdf",
    ]
    assert b"Raadsinformatie Winsum 2026-H1" in inside["metadata.json"]

    texts = readable("rapport.pdf", pdf.content, tmp_path)
    texts += readable("rapport.db", database.content, tmp_path)
    for name, data in inside.items():
        texts += readable(name, data, tmp_path)
    assert any("Het Hogeland" in text for text in texts)
    needles = list(personal_strings())
    assert len(needles) > 5 * CLIENTS
    hits = [needle for needle in needles if any(needle in text for text in texts)]
    assert hits == []

    entries = audited(session)
    assert [(e.actor, e.details["period"], e.details["files"]) for e in entries] == [
        (ADMIN, "2026-H2", ["raadsinformatie-2026-H2.pdf"]),
        (ADMIN, "2026-H2", ["raadsinformatie-2026-H2.db"]),
        (
            ADMIN,
            "2026-H1",
            [
                "raadsinformatie-2026-H1-winsum.db",
                "raadsinformatie-2026-H1-winsum.pdf",
                "metadata.json",
            ],
        ),
    ]
    assert entries[2].details["areas"] == ["Winsum"]


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"period": "2026-H3", "municipality": "", "bestand": "pdf"}, "council.invalid_period"),
        ({"period": "", "municipality": "", "bestand": "pdf"}, "council.invalid_period"),
        ({"period": "2027-H1", "municipality": "", "bestand": "zip"}, "council.future_period"),
        (
            {"period": "2026-H2", "municipality": "Ezinge", "bestand": "pdf"},
            "council.unknown_municipality",
        ),
        ({"period": "2026-H2", "municipality": "", "bestand": "exe"}, "council.unknown_kind"),
    ],
)
def test_bad_input_is_refused_in_dutch_with_the_form_kept_and_nothing_made(
    signed_in: TestClient, session: Session, data: dict[str, str], key: str
) -> None:
    answer = download(signed_in, **data)
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("text/html")
    assert nl(key) in text_of(answer)
    assert f'value="{data["period"]}"' in answer.text
    assert audited(session) == []
