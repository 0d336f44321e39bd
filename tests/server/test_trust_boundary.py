"""The trust boundary on the sync paths, one test per class of fault an outside review found
(issue #9). The full entity x op x role x target table is in test_sync_policy_matrix.py; these
are the reproductions, kept readable."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.intake import Intake
from app.domain.notes import Note
from server.crud import assignments
from server.crud.records import upsert_record
from server.models import (
    Conflict,
    DeviceHeldClient,
    OrphanedMutation,
    UniquenessCollision,
    clients,
    intakes,
    notes,
)
from tests.server.sync_entries import entry
from tests.server.test_policy_matrix import BSNS, Org, build_organisation, fake_client

KD, TM = "k.dijkstra", "t.mulder"
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)


class Pusher:
    """Pushes entries for each device with consecutive sequence numbers."""

    def __init__(self, api: TestClient, org: Org) -> None:
        self.api = api
        self.org = org
        self.seq: dict[str, int] = {}

    def __call__(self, who: str, *args: Any, **extra: Any) -> dict[str, Any]:
        self.seq[who] = self.seq.get(who, 0) + 1
        sent = entry(self.seq[who], *args)
        sent.update(extra)
        response = self.api.post(
            "/v1/sync/push", json={"entries": [sent]}, headers=self.org.devices[who].headers
        )
        assert response.status_code == 200, response.text
        [answer] = response.json()["answers"]
        answer.pop("seq")
        answer.pop("mutation_id")
        return dict(answer)


def _count(session: Session, model: Any) -> int:
    found = int(session.scalar(select(func.count()).select_from(model)) or 0)
    session.commit()
    return found


UNKNOWN: dict[str, Any] = {
    "status": "rejected",
    "version": None,
    "conflicts": [],
    "server_values": {},
    "code": "not_found",
    "reason": "No such record, or not yours to change.",
}


def test_1_a_refusal_outside_scope_carries_nothing(api: TestClient, session: Session) -> None:
    org = build_organisation(session)
    push = Pusher(api, org)
    stranger = org.clients["other_team"]
    before = session.execute(select(clients).where(clients.c.id == stranger)).one()
    session.commit()
    for who in (KD, TM):
        answer = push(who, "client", stranger, stranger, "update", {"phone": "0600000000"})
        assert answer == UNKNOWN
        # The same words as for an id that names nothing at all.
        nowhere = str(uuid.uuid4())
        assert push(who, "client", nowhere, nowhere, "update", {"phone": "0600000000"}) == UNKNOWN
    # A command the role may not give, on another team's intake: the same generic refusal.
    intake = org.intakes["other_team"]
    answer = push(KD, "intake", intake, stranger, "command", {"command": "approve"})
    assert answer == UNKNOWN
    assert BSNS["other_team"] not in json.dumps(answer)
    after = session.execute(select(clients).where(clients.c.id == stranger)).one()
    session.commit()
    assert after == before
    assert _count(session, Conflict) == 0
    assert _count(session, OrphanedMutation) == 0
    # In scope, the role decides: a caseworker may not approve their own client's intake.
    own = push(
        KD, "intake", org.intakes["own"], org.clients["own"], "command", {"command": "approve"}
    )
    assert (own["status"], own["code"]) == ("rejected", "forbidden")


def test_2_a_record_cannot_be_moved_or_created_into_another_dossier(
    api: TestClient, session: Session
) -> None:
    org = build_organisation(session)
    push = Pusher(api, org)
    own, stranger = org.clients["own"], org.clients["teammate"]
    note = Note(client_id=own, text="Gesprek over schulden.", author=KD, written_at=NOW)
    upsert_record(session, note, by=KD)
    session.commit()
    moved = push(KD, "note", note.id, own, "update", {"client_id": stranger})
    assert (moved["status"], moved["code"]) == ("rejected", "immutable_field")
    # A create checked against one client may not store another.
    other = Note(client_id=stranger, text="Ingeschoven.", author=KD, written_at=NOW)
    fields = other.to_fields()
    mixed = push(KD, "note", other.id, own, "create", fields)
    assert (mixed["status"], mixed["code"]) == ("rejected", "client_mismatch")
    direct = push(KD, "note", other.id, stranger, "create", fields)
    assert direct == UNKNOWN
    stored = session.execute(select(notes.c.id, notes.c.client_id)).all()
    session.commit()
    assert [(r.id, r.client_id) for r in stored] == [(note.id, own)]


def test_4_a_created_intake_starts_as_a_draft_whatever_it_says(
    api: TestClient, session: Session
) -> None:
    org = build_organisation(session)
    push = Pusher(api, org)
    own = org.clients["own"]
    intake_id = str(uuid.uuid4())
    forged: dict[str, Any] = {
        **Intake(client_id=own, caseworker="m.bakker").to_fields(),
        "score_financien": 2,
        "remark_financien": "Schulden",
        "status": "approved",
        "round": 3,
        "submitted_at": "2026-11-01T10:00:00+00:00",
        "reviewer": TM,
        "reviewed_at": "2026-11-02T10:00:00+00:00",
    }
    answer = push(KD, "intake", intake_id, own, "create", forged)
    assert (answer["status"], answer["version"]) == ("applied", 1)
    # The answer tells the device what was stored instead, so its copy follows.
    assert answer["server_values"]["status"] == "draft"
    assert answer["server_values"]["round"] == 0
    assert answer["server_values"]["reviewer"] is None
    assert answer["server_values"]["caseworker"] == KD
    row = session.execute(select(intakes).where(intakes.c.id == intake_id)).one()
    session.commit()
    assert (row.status, row.round, row.reviewer, row.reviewed_at, row.caseworker) == (
        "draft",
        0,
        None,
        None,
        KD,
    )
    # The answers themselves are taken, each a field of its own.
    assert (row.score_financien, row.remark_financien) == (2, "Schulden")


def test_5_a_bsn_outside_scope_is_no_oracle(api: TestClient, session: Session) -> None:
    org = build_organisation(session)
    push = Pusher(api, org)
    taken = fake_client(7, BSNS["other_team"], caseworker=KD)
    answer = push(KD, "client", taken.id, taken.id, "create", taken.to_fields())
    assert answer == UNKNOWN
    [collision] = session.scalars(select(UniquenessCollision)).all()
    session.commit()
    assert (collision.username, collision.existing_client_id) == (KD, org.clients["other_team"])
    admin = org.devices["beheer"].headers
    listed = api.get("/v1/admin/collisions", headers=admin).json()
    assert [(c["record_id"], c["existing_caseworker"]) for c in listed] == [(taken.id, "j.dekker")]
    handled = api.post(f"/v1/admin/collisions/{collision.id}/handled", headers=admin)
    assert handled.status_code == 200 and handled.json()["handled_at"]
    assert api.get("/v1/admin/collisions", headers=admin).json() == []
    # In the caseworker's own caseload the answer may explain itself.
    mine = fake_client(8, BSNS["own"], caseworker=KD)
    answer = push(KD, "client", mine.id, mine.id, "create", mine.to_fields())
    assert (answer["status"], answer["code"]) == ("rejected", "bsn_in_use")
    free = fake_client(9, "100000009", caseworker=KD)
    assert push(KD, "client", free.id, free.id, "create", free.to_fields())["status"] == "applied"


def test_7_strangers_leave_no_orphans_and_no_conflicts(api: TestClient, session: Session) -> None:
    org = build_organisation(session)
    push = Pusher(api, org)
    nowhere = str(uuid.uuid4())
    for target in (org.clients["teammate"], nowhere):
        answer = push(KD, "note", str(uuid.uuid4()), target, "update", {"text": "x"})
        assert answer == UNKNOWN
    assert _count(session, OrphanedMutation) == 0
    assert _count(session, Conflict) == 0
    # An entry with 20,000 keys is refused at the door, before anything is looked up.
    many = entry(push.seq.get(KD, 0) + 1, "client", nowhere, nowhere, "update")
    many["new_values"] = {f"k{i}": i for i in range(20_000)}
    refused = api.post("/v1/sync/push", json={"entries": [many]}, headers=org.devices[KD].headers)
    assert refused.status_code == 422
    assert _count(session, Conflict) == 0
    # A client this device held before: its late edit is kept for the new caseworker.
    held = org.clients["own"]
    session.add(DeviceHeldClient(device_id=org.devices[KD].device_id, client_id=held))
    assignments.assign(session, client_id=held, caseworker="m.bakker", by="test")
    session.commit()
    late = push(KD, "client", held, held, "update", {"phone": "0611111111"})
    assert (late["status"], late["code"]) == ("orphaned", "not_in_scope")
    [orphan] = session.scalars(select(OrphanedMutation)).all()
    session.commit()
    assert orphan.client_id == held


def test_text_fields_have_a_maximum_with_a_clear_error(api: TestClient, session: Session) -> None:
    org = build_organisation(session)
    push = Pusher(api, org)
    own = org.clients["own"]
    note = Note(client_id=own, text="kort", author=KD, written_at=NOW)
    fields = {**note.to_fields(), "text": "x" * 20_001}
    answer = push(KD, "note", note.id, own, "create", fields)
    assert (answer["status"], answer["code"]) == ("rejected", "too_long")
    assert "20000" in answer["reason"]


def test_team_lead_scope_is_the_same_over_rest(api: TestClient, session: Session) -> None:
    """Over REST a team lead sees the clients whose intake waits for review, and of them only
    what is shown beside the intake; a team client without a submitted intake is not theirs."""
    org = build_organisation(session)
    lead = org.devices[TM].headers
    quiet = fake_client(11, "100000010", caseworker=KD)
    upsert_record(session, quiet, by="test")
    session.flush()
    assignments.assign(session, client_id=quiet.id, caseworker=KD, by="test")
    session.commit()
    listed = {c["id"] for c in api.get("/v1/clients", headers=lead).json()}
    assert listed == {org.clients["own"], org.clients["teammate"]}
    assert api.get(f"/v1/clients/{quiet.id}", headers=lead).status_code == 404
    dossier = api.get(f"/v1/clients/{org.clients['own']}", headers=lead).json()["records"]
    assert set(dossier) == {
        "client",
        "household_member",
        "enrollment",
        "intake",
        "intake_round",
        "review_comment",
    }
