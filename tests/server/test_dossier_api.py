"""Dossiers and intake review through the API: a caseworker's caseload and dossier, a team lead's
review of submitted intakes (approve, or return with comments per section)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.demo.caseload import generate_caseload
from app.domain.intake import Intake
from app.domain.notes import Attachment, Note
from app.domain.records import BY_ENTITY, Record
from app.domain.values import PersonName
from server.crud import assignments
from server.crud.records import upsert_record
from server.models import AuditEntry, clients
from tests.server.conftest import Device
from tests.server.test_policy_matrix import (
    Org,
    add_device,
    add_user,
    build_organisation,
    submitted_intake,
)


def assert_error(response: Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["code"] == code, response.text


def review(api: TestClient, org: Org, intake_id: str, payload: dict[str, Any]) -> Response:
    response: Response = api.post(
        f"/v1/intakes/{intake_id}/review", json=payload, headers=org.devices["t.mulder"].headers
    )
    return response


def as_json(fields: dict[str, Any]) -> Any:
    return json.loads(json.dumps(fields))


def review_records(
    api: TestClient, device: Device, client_id: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The client's intake rounds and review comments as its dossier shows them (fields, with
    the record's id)."""
    response = api.get(f"/v1/clients/{client_id}", headers=device.headers)
    assert response.status_code == 200, response.text
    records = response.json()["records"]
    return (
        [{"id": r["id"], **r["fields"]} for r in records["intake_round"]],
        [{"id": r["id"], **r["fields"]} for r in records["review_comment"]],
    )


def test_caseworker_sees_their_caseload_with_versions(api: TestClient, session: Session) -> None:
    org = build_organisation(session)
    own = org.people["own"]
    response = api.get("/v1/clients", headers=org.devices["k.dijkstra"].headers)
    assert response.status_code == 200, response.text
    assert response.json() == [
        {
            "id": own.id,
            "bsn": own.bsn.value,
            "initials": own.name.initials,
            "name_prefix": "",
            "surname": own.name.surname,
            "village": "Leens",
            "version": 1,
            "caseworker": "k.dijkstra",
        }
    ]
    moved = replace(own, name=PersonName(surname="Anders", first_names="Testa", prefix="van"))
    assert upsert_record(session, moved, by="beheer") == (2, True)
    session.commit()
    [summary] = api.get("/v1/clients", headers=org.devices["k.dijkstra"].headers).json()
    assert (summary["version"], summary["surname"], summary["name_prefix"]) == (2, "Anders", "van")
    lead = api.get("/v1/clients", headers=org.devices["t.mulder"].headers).json()
    assert {row["id"]: row["caseworker"] for row in lead} == {
        own.id: "k.dijkstra",
        org.clients["teammate"]: "m.bakker",
    }


def test_dossier_holds_every_record_type_with_versions_and_is_audited(
    api: TestClient, session: Session
) -> None:
    caseworker = add_user(session, "k.dijkstra", "caseworker")
    device = add_device(session, caseworker)
    caseload = generate_caseload(clients=3, caseworkers=("k.dijkstra",), team_lead="t.mulder")
    client = caseload.clients[0]
    note = Note(
        client_id=client.id, text="Gebeld.", author="k.dijkstra", written_at=datetime.now(UTC)
    )
    extra: list[Record] = [
        note,
        Attachment(
            client_id=client.id,
            name="scan.pdf",
            media_type="application/pdf",
            size=4,
            sha256=hashlib.sha256(b"scan").hexdigest(),
        ),
    ]
    records = [*caseload.all_records(), *extra]
    for record in records:
        upsert_record(session, record, by="import")
    session.flush()
    for each in caseload.clients:
        assignments.assign(session, client_id=each.id, caseworker="k.dijkstra", by="beheer")
    session.commit()

    response = api.get(f"/v1/clients/{client.id}", headers=device.headers)
    assert response.status_code == 200, response.text
    dossier = response.json()["records"]
    assert set(dossier) == set(BY_ENTITY)
    for entity in BY_ENTITY:
        mine = {r.id: r for r in records if entity == r.ENTITY and r.client_id == client.id}
        got = {row["id"]: row for row in dossier[entity]}
        assert set(got) == set(mine), f"{entity}: records of this client, and only those"
        for record_id, row in got.items():
            assert row["version"] == 1
            assert row["fields"] == as_json(mine[record_id].to_fields()), entity
    assert all(dossier[entity] for entity in ("client", "note", "attachment"))

    changed = replace(note, text="Gebeld, geen gehoor.")
    upsert_record(session, changed, by="k.dijkstra")
    session.commit()
    again = api.get(f"/v1/clients/{client.id}", headers=device.headers).json()["records"]
    [stored] = [row for row in again["note"] if row["id"] == changed.id]
    assert (stored["version"], stored["fields"]["text"]) == (2, "Gebeld, geen gehoor.")

    views = session.scalars(select(AuditEntry).where(AuditEntry.action == "view")).all()
    session.commit()
    assert [(v.actor, v.entity, v.record_id, v.device_id) for v in views] == [
        ("k.dijkstra", "client", client.id, device.device_id)
    ] * 2
    assert all(client.bsn.value not in json.dumps(v.details) for v in views)


def test_team_lead_lists_submitted_intakes_of_the_team(api: TestClient, session: Session) -> None:
    org = build_organisation(session)
    draft = Intake(client_id=org.clients["own"], caseworker="k.dijkstra")
    upsert_record(session, draft, by="k.dijkstra")
    session.commit()
    lead = org.devices["t.mulder"].headers
    submitted = api.get("/v1/intakes?status=submitted", headers=lead)
    assert submitted.status_code == 200, submitted.text
    rows = submitted.json()
    assert {r["id"] for r in rows} == {org.intakes["own"], org.intakes["teammate"]}
    assert all(r["fields"]["status"] == "submitted" and r["version"] == 1 for r in rows)
    assert all(r["fields"]["submitted_at"] for r in rows)
    everything = {r["id"] for r in api.get("/v1/intakes", headers=lead).json()}
    assert everything == {org.intakes["own"], org.intakes["teammate"], draft.id}
    drafts = api.get("/v1/intakes?status=draft", headers=lead).json()
    assert [r["id"] for r in drafts] == [draft.id]
    assert_error(api.get("/v1/intakes?status=bogus", headers=lead), 422, "invalid_request")


def test_approve(api: TestClient, session: Session) -> None:
    org = build_organisation(session)
    intake_id = org.intakes["own"]
    before = datetime.now(UTC)
    response = review(api, org, intake_id, {"decision": "approve"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["id"] == intake_id
    assert body["version"] == 2
    fields = body["fields"]
    assert fields["status"] == "approved"
    assert fields["reviewer"] == "t.mulder"
    assert datetime.fromisoformat(fields["reviewed_at"]) >= before
    assert fields["round"] == 1
    # The round is kept, decided; an approval opens no thread.
    rounds, threads = review_records(api, org.devices["k.dijkstra"], org.clients["own"])
    assert [
        (r["intake_id"], r["number"], r["decision"], r["reviewer"], r["decided_at"]) for r in rounds
    ] == [(intake_id, 1, "approved", "t.mulder", fields["reviewed_at"])]
    assert threads == []
    lead = org.devices["t.mulder"].headers
    # Decided, the intake leaves the team lead's scope (what waits for review): one definition
    # for REST and sync.
    assert api.get("/v1/intakes?status=approved", headers=lead).json() == []
    still = {r["id"] for r in api.get("/v1/intakes?status=submitted", headers=lead).json()}
    assert still == {org.intakes["teammate"]}
    # The caseworker's dossier shows the decision with the new version.
    dossier = api.get(
        f"/v1/clients/{org.clients['own']}", headers=org.devices["k.dijkstra"].headers
    )
    [seen] = dossier.json()["records"]["intake"]
    assert (seen["version"], seen["fields"]["status"]) == (2, "approved")
    decisions = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "approve_intake")
    ).all()
    session.commit()
    assert [(d.actor, d.record_id) for d in decisions] == [("t.mulder", intake_id)]


def test_return_with_comments_per_section(api: TestClient, session: Session) -> None:
    org = build_organisation(session)
    comments = {
        "scores": "Onderbouw de score financiën.",
        "general": "  Bel even.  ",
        "barriers": " ",
    }
    response = review(
        api, org, org.intakes["teammate"], {"decision": "return", "comments": comments}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["version"] == 2
    assert body["fields"]["status"] == "returned"
    assert body["fields"]["reviewer"] == "t.mulder"
    assert body["fields"]["reviewed_at"] and body["fields"]["round"] == 1
    # Each comment opens a thread by the team lead, in the round it was decided; blank ones
    # open none.
    rounds, threads = review_records(api, org.devices["m.bakker"], org.clients["teammate"])
    assert [(r["number"], r["decision"], r["reviewer"]) for r in rounds] == [
        (1, "returned", "t.mulder")
    ]
    assert sorted(
        (t["section"], t["text"], t["author"], t["author_role"], t["status"], t["round"])
        for t in threads
    ) == [
        ("general", "Bel even.", "t.mulder", "team_lead", "open", 1),
        ("scores", "Onderbouw de score financiën.", "t.mulder", "team_lead", "open", 1),
    ]
    assert all(
        t["intake_id"] == org.intakes["teammate"] and t["thread_id"] == t["id"] for t in threads
    )
    lead = org.devices["t.mulder"].headers
    assert api.get("/v1/intakes?status=returned", headers=lead).json() == []
    mine = api.get("/v1/intakes?status=returned", headers=org.devices["m.bakker"].headers).json()
    assert [r["id"] for r in mine] == [org.intakes["teammate"]]


def test_return_needs_a_comment(api: TestClient, session: Session) -> None:
    org = build_organisation(session)
    intake_id = org.intakes["own"]
    for payload in (
        {"decision": "return"},
        {"decision": "return", "comments": {}},
        {"decision": "return", "comments": {"general": "   ", "scores": ""}},
    ):
        assert_error(review(api, org, intake_id, payload), 409, "review_comment_required")
    lead = org.devices["t.mulder"].headers
    [unchanged] = [r for r in api.get("/v1/intakes", headers=lead).json() if r["id"] == intake_id]
    assert (unchanged["version"], unchanged["fields"]["status"]) == (1, "submitted")


def test_a_decided_intake_cannot_be_reviewed_again(api: TestClient, session: Session) -> None:
    org = build_organisation(session)
    intake_id = org.intakes["own"]
    assert review(api, org, intake_id, {"decision": "approve"}).status_code == 200
    # Decided, it left the lead's scope: it answers as any intake that is not theirs.
    assert_error(review(api, org, intake_id, {"decision": "approve"}), 404, "not_found")
    back = review(
        api, org, intake_id, {"decision": "return", "comments": {"general": "Toch niet."}}
    )
    assert_error(back, 404, "not_found")
    # While another intake of the same client waits, the client is in scope and the decided
    # intake is refused by the state machine.
    upsert_record(session, submitted_intake(org.clients["own"], "k.dijkstra"), by="k.dijkstra")
    session.commit()
    again = review(api, org, intake_id, {"decision": "approve"})
    assert_error(again, 409, "intake_transition_not_allowed")


def test_a_draft_cannot_be_reviewed(api: TestClient, session: Session) -> None:
    org = build_organisation(session)
    draft = Intake(client_id=org.clients["own"], caseworker="k.dijkstra")
    upsert_record(session, draft, by="k.dijkstra")
    session.commit()
    assert_error(
        review(api, org, draft.id, {"decision": "approve"}), 409, "intake_transition_not_allowed"
    )


def test_review_request_is_validated(api: TestClient, session: Session) -> None:
    org = build_organisation(session)
    intake_id = org.intakes["own"]
    for payload in (
        {"decision": "return", "comments": {"hobbies": "Meer sporten."}},
        {"decision": "maybe"},
        {"decision": "approve", "reviewer": "k.dijkstra"},
        {},
    ):
        assert_error(review(api, org, intake_id, payload), 422, "invalid_request")
    lead = org.devices["t.mulder"].headers
    [unchanged] = [r for r in api.get("/v1/intakes", headers=lead).json() if r["id"] == intake_id]
    assert (unchanged["version"], unchanged["fields"]["status"]) == (1, "submitted")


def test_a_deleted_client_has_no_dossier(api: TestClient, session: Session) -> None:
    """A soft-deleted client is gone for everyone, as the admin's assignment history says (404),
    not an empty dossier that still lists the client's visits and intakes."""
    org = build_organisation(session)
    client_id = org.clients["own"]
    session.execute(update(clients).where(clients.c.id == client_id).values(deleted=True))
    session.commit()
    caseworker = org.devices["k.dijkstra"].headers
    assert client_id not in {row["id"] for row in api.get("/v1/clients", headers=caseworker).json()}
    history = api.get(
        f"/v1/admin/clients/{client_id}/assignments", headers=org.devices["beheer"].headers
    )
    assert_error(history, 404, "not_found")
    assert_error(api.get(f"/v1/clients/{client_id}", headers=caseworker), 404, "not_found")
