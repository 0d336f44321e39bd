"""The visit report and the Wmo report as printed documents: built in memory from the store, on
the client's letterhead with the BSN masked, refused where there is nothing to report, and every
print and save audited, the saved file readable by the user alone.

Every name here is made up; the BSN is generated to pass the 11-check.
"""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from app.domain.client import Client
from app.domain.errors import DomainError
from app.domain.intake import Intake
from app.domain.intake_fields import topic_field
from app.domain.values import Address, Bsn, PersonName, Postcode
from app.domain.visit import Visit, VisitPurpose
from app.services import documents
from app.storage.store import Store
from tests.services.profiles import opened_profile

CASEWORKER = "k.dijkstra"
TODAY = date(2026, 11, 23)
HELD = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with opened_profile(tmp_path, "reports", username=CASEWORKER, role="caseworker") as opened:
        yield opened


@pytest.fixture
def client(store: Store) -> Client:
    return store.create(
        Client(
            bsn=Bsn("111222333"),
            name=PersonName(surname="Eijk", first_names="ijsbrand", initials="IJ.", prefix="van"),
            date_of_birth=date(1984, 2, 29),
            address=Address(
                street="Reitdiepskade",
                house_number=12,
                postcode=Postcode("9974 PJ"),
                village="Zoutkamp",
                municipality="Het Hogeland",
            ),
            caseworker=CASEWORKER,
        )
    )


def _pdftotext(data: bytes, tmp_path: Path) -> str:
    source = tmp_path / "report.pdf"
    source.write_bytes(data)
    found = subprocess.run(
        ["pdftotext", str(source), "-"], check=True, capture_output=True, text=True
    )
    source.unlink()
    return " ".join(found.stdout.split())  # a table cell may wrap


def recorded_visit(store: Store, client: Client) -> Visit:
    planned = store.create(
        Visit(
            client_id=client.id,
            planned_at=HELD,
            purpose=VisitPurpose.VOORTGANG,
            caseworker=CASEWORKER,
        )
    )
    return store.update(
        planned.record(
            at=HELD,
            notes="Keuken opgeruimd, post geopend met de cliënt.",
            outcome="Afspraak met de budgetcoach gemaakt.",
        )
    )


def test_the_visit_report_says_what_was_found_and_when_the_next_visit_is(
    store: Store, client: Client, tmp_path: Path
) -> None:
    visit = recorded_visit(store, client)
    store.create(
        Visit(
            client_id=client.id,
            planned_at=datetime(2026, 12, 4, 13, 0, tzinfo=UTC),
            purpose=VisitPurpose.VOORTGANG,
            caseworker=CASEWORKER,
        )
    )
    before = len(store.audit_events(client_id=client.id))
    data = documents.visit_report_pdf(
        store, visit_id=visit.id, caseworker_name="Karin Dijkstra", printed_on=TODAY
    )
    assert data.startswith(b"%PDF")
    # Building the document is not an act: nothing audited.
    assert len(store.audit_events(client_id=client.id)) == before
    text = _pdftotext(data, tmp_path)
    for expected in (
        "IJsbrand van Eijk",
        "Keuken opgeruimd, post geopend met de cliënt.",
        "Afspraak met de budgetcoach gemaakt.",
        "Voortgang",
        "Gemeente Het Hogeland",
        "******333",
        "04-12-2026",  # the next planned visit
    ):
        assert expected in text, expected
    assert "111222333" not in text


def test_only_a_recorded_visit_has_a_report(store: Store, client: Client) -> None:
    planned = store.create(
        Visit(
            client_id=client.id,
            planned_at=HELD,
            purpose=VisitPurpose.VOORTGANG,
            caseworker=CASEWORKER,
        )
    )
    with pytest.raises(DomainError) as refused:
        documents.visit_report_pdf(store, visit_id=planned.id, caseworker_name="Karin Dijkstra")
    assert refused.value.code == "visit_not_recorded"
    assert refused.value.message("nl") != refused.value.message("en")
    not_home = store.update(planned.client_not_home(at=HELD))
    with pytest.raises(DomainError):
        documents.visit_report_pdf(store, visit_id=not_home.id, caseworker_name="Karin Dijkstra")


def test_the_wmo_report_lists_the_topics_and_what_the_client_was_told(
    store: Store, client: Client, tmp_path: Path
) -> None:
    empty = store.create(Intake(client_id=client.id, caseworker=CASEWORKER))
    assert not documents.has_wmo_answers(empty)
    with pytest.raises(DomainError) as refused:
        documents.wmo_report_pdf(store, intake_id=empty.id, caseworker_name="Karin Dijkstra")
    assert refused.value.code == "wmo_not_answered"

    intake = store.update(
        empty.edited(
            {
                "wmo_melding_date": "2026-11-02",
                "wmo_clientondersteuning_told": True,
                "wmo_personal_plan_told": False,
                topic_field("needs"): "Hulp bij het huishouden, twee uur per week.",
                "wmo_identity_checked": True,
            }
        )
    )
    assert documents.has_wmo_answers(intake)
    data = documents.wmo_report_pdf(
        store, intake_id=intake.id, caseworker_name="Karin Dijkstra", printed_on=TODAY
    )
    text = _pdftotext(data, tmp_path)
    for expected in (
        "Verslag Wmo-onderzoek",
        "IJsbrand van Eijk",
        "******333",
        "Gemeente Het Hogeland",
        "Behoeften, persoonskenmerken en voorkeuren",
        "Hulp bij het huishouden, twee uur per week.",
        "02-11-2026",
        "23-11-2026",  # a draft: the onderzoek is dated the day of printing
        "ja",
        "nee",
    ):
        assert expected in text, expected
    # A topic without a finding is left out.
    assert "Bijdrage in de kosten" not in text
    assert "111222333" not in text


def test_printing_and_saving_a_report_are_audited_and_the_file_is_the_users_alone(
    store: Store, client: Client, tmp_path: Path
) -> None:
    visit = recorded_visit(store, client)
    before = len(store.audit_events(client_id=client.id))
    data = documents.visit_report_pdf(store, visit_id=visit.id, caseworker_name="Karin Dijkstra")
    documents.record_document_printed(
        store,
        entity=Visit.ENTITY,
        record_id=visit.id,
        client_id=client.id,
        document=documents.VISIT_REPORT,
        copies=2,
        pages=1,
    )
    target = tmp_path / "uit" / "verslag.pdf"
    target.parent.mkdir()
    documents.save_document_pdf(
        store,
        entity=Visit.ENTITY,
        record_id=visit.id,
        client_id=client.id,
        document=documents.VISIT_REPORT,
        data=data,
        path=target,
    )
    assert target.read_bytes() == data
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    events = store.audit_events(client_id=client.id)[before:]
    acts = [(e.action, e.entity, e.record_id, e.details) for e in events]
    assert acts == [
        ("print", "visit", visit.id, {"document": "visit_report", "copies": 2, "pages": 1}),
        ("export", "visit", visit.id, {"document": "visit_report", "format": "pdf"}),
    ]
    assert str(target) not in str(acts)
