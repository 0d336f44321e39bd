"""The review cycle on the server (both backends): every submission kept as a round, decided by
the team lead; comments as threads that must be resolved before approving; who may do what; the
client's schemes in the completeness check; and migration 0005 from the old intake shape.

The organisation is test_policy_matrix's: team A (lead t.mulder; k.dijkstra, m.bakker), team B
(lead r.smit; j.dekker), each target client with a submitted intake.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, get_args

import pytest
import sqlalchemy as sa
from alembic import command
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.domain.client import Enrollment
from app.domain.errors import DomainError
from app.domain.intake import Intake
from app.domain.intake_fields import IntakeSection, content_fields
from app.domain.reference import Scheme
from app.domain.review import (
    Decision,
    IntakeRound,
    ReviewComment,
    ThreadStatus,
    changed_fields,
    open_thread_count,
    threads,
)
from app.domain.states import IntakeStatus
from server.api.schemas import ReviewRequest
from server.crud.records import fields_of, upsert_record
from server.db import make_engine
from server.migrations.runner import alembic_config, upgrade
from server.models import intake_rounds, intakes, review_comments
from tests.intake_answers import completing
from tests.server.conftest import BACKENDS, POSTGRES_ADMIN_URL, Device
from tests.server.sync_entries import jsonable
from tests.server.test_policy_matrix import Org, build_organisation, fake_client

KD, MB, TM, RS = "k.dijkstra", "m.bakker", "t.mulder", "r.smit"
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
UNKNOWN: dict[str, Any] = {
    "status": "rejected",
    "version": None,
    "conflicts": [],
    "server_values": {},
    "code": "not_found",
    "reason": "No such record, or not yours to change.",
}

# (entity, record id, client id, op, new values[, base values])
Sent = tuple[Any, ...]


class Pusher:
    """Pushes batches of entries for each device with consecutive sequence numbers; the answers
    come back without seq and mutation id."""

    def __init__(self, api: TestClient, org: Org) -> None:
        self.api = api
        self.org = org
        self.seq: dict[str, int] = {}

    def __call__(self, who: str, *sent: Sent) -> list[dict[str, Any]]:
        entries = []
        for entity, record_id, client_id, op, new, *base in sent:
            self.seq[who] = self.seq.get(who, 0) + 1
            entries.append(
                {
                    "seq": self.seq[who],
                    "mutation_id": str(uuid.uuid4()),
                    "entity": entity,
                    "record_id": record_id,
                    "client_id": client_id,
                    "op": op,
                    "base_values": jsonable(base[0] if base else {}),
                    "new_values": jsonable(new),
                }
            )
        response = self.api.post(
            "/v1/sync/push", json={"entries": entries}, headers=self.org.devices[who].headers
        )
        assert response.status_code == 200, response.text
        answers: list[dict[str, Any]] = response.json()["answers"]
        assert len(answers) == len(entries), response.text
        for answer in answers:
            answer.pop("seq")
            answer.pop("mutation_id")
        return answers


def outcomes(answers: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    return [(a["status"], a.get("code")) for a in answers]


APPLIED = ("applied", None)


def review(api: TestClient, org: Org, who: str, intake_id: str, body: dict[str, Any]) -> Response:
    response: Response = api.post(
        f"/v1/intakes/{intake_id}/review", json=body, headers=org.devices[who].headers
    )
    return response


def draft_for(client_id: str, caseworker: str) -> Intake:
    """A draft with every life domain scored and the ladder set: complete for a client without
    schemes."""
    intake = Intake(client_id=client_id, caseworker=caseworker)
    for number, domain in enumerate(intake.domains()):
        intake = intake.with_score(domain.key, number % 5 + 1)
    return intake.with_participation(current=2, target=4).with_text(barriers="Geen vervoer.")


def stored_intake(session: Session, intake_id: str) -> Intake:
    row = session.execute(select(intakes).where(intakes.c.id == intake_id)).one()
    session.commit()
    return Intake.from_fields(intake_id, fields_of(row))


def rounds_of(session: Session, intake_id: str) -> list[IntakeRound]:
    rows = session.execute(
        select(intake_rounds)
        .where(intake_rounds.c.intake_id == intake_id)
        .order_by(intake_rounds.c.number)
    ).all()
    session.commit()
    return [IntakeRound.from_fields(str(r.id), fields_of(r)) for r in rows]


def comments_of(session: Session, intake_id: str) -> list[ReviewComment]:
    rows = session.execute(
        select(review_comments).where(review_comments.c.intake_id == intake_id)
    ).all()
    session.commit()
    return [ReviewComment.from_fields(str(r.id), fields_of(r)) for r in rows]


def pulled(api: TestClient, device: Device) -> dict[tuple[str, str], dict[str, Any]]:
    """Everything a device would get from a first pull: (entity, id) -> fields."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    cursor: str | None = None
    while True:
        params = {"cursor": cursor} if cursor else {}
        page = api.get("/v1/sync/pull", params=params, headers=device.headers)
        assert page.status_code == 200, page.text
        body = page.json()
        for record in body["records"]:
            found[(record["entity"], record["id"])] = record["fields"]
        cursor = str(body["cursor"])
        if not body["more"]:
            return found


def thread_view(found: list[ReviewComment]) -> list[tuple[Any, ...]]:
    return [
        (
            t.section.value,
            t.start.text,
            t.start.author,
            t.start.author_role,
            t.start.status.value,
            t.start.round,
            len(t.answers),
        )
        for t in threads(found)
    ]


# ------------------------------------------------------------------------------ the cycle


def test_every_round_is_kept_and_approval_waits_for_resolved_threads(
    api: TestClient, session: Session
) -> None:
    org = build_organisation(session)
    push = Pusher(api, org)
    own = org.clients["own"]
    draft = draft_for(own, KD)

    # Submitted over push (created in the same batch): round 1 keeps what was submitted.
    answers = push(
        KD,
        ("intake", draft.id, own, "create", draft.to_fields()),
        ("intake", draft.id, own, "command", {"command": "submit"}),
    )
    assert outcomes(answers) == [APPLIED, APPLIED]
    assert (answers[1]["server_values"]["status"], answers[1]["server_values"]["round"]) == (
        "submitted",
        1,
    )
    submitted = stored_intake(session, draft.id)
    assert (submitted.status, submitted.round) == (IntakeStatus.SUBMITTED, 1)
    [first] = rounds_of(session, draft.id)
    assert (first.number, first.client_id, first.submitted_by) == (1, own, KD)
    assert (first.decision, first.reviewer, first.decided_at) == (None, None, None)
    assert first.submitted_at == submitted.submitted_at
    assert first.content == submitted.content() == draft.content()

    # Returned by the team lead's push command with comments: the round is decided, and each
    # comment opens a thread by the lead.
    said = {"scores": "Onderbouw de score financiën.", "general": "Bel de cliënt even."}
    [stray] = push(
        TM,
        ("intake", draft.id, own, "command", {"command": "return", "comments": {"zorg": "?"}}),
    )
    assert outcomes([stray]) == [("rejected", "unknown_section")]
    assert stored_intake(session, draft.id).status is IntakeStatus.SUBMITTED
    [back] = push(TM, ("intake", draft.id, own, "command", {"command": "return", "comments": said}))
    assert outcomes([back]) == [APPLIED]
    returned = stored_intake(session, draft.id)
    assert (returned.status, returned.round, returned.reviewer) == (IntakeStatus.RETURNED, 1, TM)
    [first] = rounds_of(session, draft.id)
    assert (first.decision, first.reviewer) == (Decision.RETURNED, TM)
    assert first.decided_at == returned.reviewed_at
    assert first.content == draft.content()
    opened = threads(comments_of(session, draft.id))
    assert thread_view(comments_of(session, draft.id)) == [
        ("scores", said["scores"], TM, "team_lead", "open", 1, 0),
        ("general", said["general"], TM, "team_lead", "open", 1, 0),
    ]
    # The caseworker's device gets the round and the threads.
    seen = pulled(api, org.devices[KD])
    assert {key for key in seen if key[0] in ("intake_round", "review_comment")} == {
        ("intake_round", first.id),
        *(("review_comment", t.start.id) for t in opened),
    }

    # The caseworker answers a thread, changes a score and submits again: round 2. (The device
    # names another section for its answer: the answer stays in its thread's.)
    scores_thread = opened[0].start
    reply = ReviewComment(
        client_id=own,
        intake_id=draft.id,
        section=IntakeSection.GENERAL,
        round=1,
        author=KD,
        text="Schulden bij drie schuldeisers, zie verslag.",
        written_at=NOW,
        thread_id=scores_thread.id,
    )
    change = {"score_financien": 5, "remark_financien": "Drie schuldeisers."}
    base = {k: returned.to_fields()[k] for k in change}
    answers = push(
        KD,
        ("review_comment", reply.id, own, "create", reply.to_fields()),
        ("intake", draft.id, own, "update", change, base),
        ("intake", draft.id, own, "command", {"command": "submit"}),
    )
    assert outcomes(answers) == [APPLIED] * 3
    assert answers[0]["server_values"]["section"] == "scores"
    again = stored_intake(session, draft.id)
    assert (again.status, again.round, again.reviewer) == (IntakeStatus.SUBMITTED, 2, None)
    first, second = rounds_of(session, draft.id)
    assert (first.number, first.decision, first.content) == (1, Decision.RETURNED, draft.content())
    assert (second.number, second.decision, second.content) == (2, None, again.content())
    assert changed_fields(first.content, second.content) == ("score_financien", "remark_financien")

    # Approving waits while a thread is open ...
    [refused] = push(TM, ("intake", draft.id, own, "command", {"command": "approve"}))
    assert outcomes([refused]) == [("rejected", "open_review_threads")]
    assert stored_intake(session, draft.id).status is IntakeStatus.SUBMITTED
    assert [r.decision for r in rounds_of(session, draft.id)] == [Decision.RETURNED, None]

    # ... and goes through once the threads are resolved earlier in the same push (their
    # resolution is written before the approval counts open threads).
    answers = push(
        TM,
        *(("review_comment", t.start.id, own, "command", {"command": "resolve"}) for t in opened),
        ("intake", draft.id, own, "command", {"command": "approve"}),
    )
    assert outcomes(answers) == [APPLIED] * 3
    approved = stored_intake(session, draft.id)
    assert (approved.status, approved.round, approved.reviewer) == (IntakeStatus.APPROVED, 2, TM)
    kept = rounds_of(session, draft.id)
    assert [(r.number, r.decision, r.reviewer) for r in kept] == [
        (1, Decision.RETURNED, TM),
        (2, Decision.APPROVED, TM),
    ]
    assert kept[1].decided_at == approved.reviewed_at
    after = comments_of(session, draft.id)
    assert open_thread_count(after) == 0
    assert {(c.status, c.resolved_by) for c in after if c.starts_thread} == {
        (ThreadStatus.RESOLVED, TM)
    }
    assert thread_view(after)[0][-1] == 1  # the answer stays in its thread


def test_a_return_over_rest_decides_the_round_and_opens_threads_by_the_lead(
    api: TestClient, session: Session
) -> None:
    org = build_organisation(session)
    push = Pusher(api, org)
    own = org.clients["own"]
    draft = draft_for(own, KD)
    answers = push(
        KD,
        ("intake", draft.id, own, "create", draft.to_fields()),
        ("intake", draft.id, own, "command", {"command": "submit"}),
    )
    assert outcomes(answers) == [APPLIED, APPLIED]

    comments = {"barriers": "  Welke schulden?  ", "household": "Wie woont er nog?", "wmo": " "}
    response = review(api, org, TM, draft.id, {"decision": "return", "comments": comments})
    assert response.status_code == 200, response.text
    assert (response.json()["fields"]["status"], response.json()["fields"]["round"]) == (
        "returned",
        1,
    )
    returned = stored_intake(session, draft.id)
    [first] = rounds_of(session, draft.id)
    assert (first.number, first.decision, first.reviewer, first.decided_at) == (
        1,
        Decision.RETURNED,
        TM,
        returned.reviewed_at,
    )
    assert first.content == draft.content()
    assert thread_view(comments_of(session, draft.id)) == [
        ("barriers", "Welke schulden?", TM, "team_lead", "open", 1, 0),
        ("household", "Wie woont er nog?", TM, "team_lead", "open", 1, 0),
    ]

    # Submitted again, the REST approval waits for the threads too.
    assert outcomes(push(KD, ("intake", draft.id, own, "command", {"command": "submit"}))) == [
        APPLIED
    ]
    refused = review(api, org, TM, draft.id, {"decision": "approve"})
    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "open_review_threads"
    assert [r.decision for r in rounds_of(session, draft.id)] == [Decision.RETURNED, None]


# ------------------------------------------------------------------------------ who may do what


def test_who_may_decide_write_rounds_and_comment(api: TestClient, session: Session) -> None:
    org = build_organisation(session)
    push = Pusher(api, org)
    own, teammate = org.clients["own"], org.clients["teammate"]
    intake_id = org.intakes["own"]

    # A caseworker may not decide on their own intake: the role refuses, in scope.
    [own_approval] = push(KD, ("intake", intake_id, own, "command", {"command": "approve"}))
    assert outcomes([own_approval]) == [("rejected", "forbidden")]
    rest = review(api, org, KD, intake_id, {"decision": "approve"})
    assert (rest.status_code, rest.json()["code"]) == (403, "forbidden")
    # Another team's lead: the intake is outside their scope, the generic answer.
    [stranger] = push(RS, ("intake", intake_id, own, "command", {"command": "approve"}))
    assert stranger == UNKNOWN
    rest = review(api, org, RS, intake_id, {"decision": "approve"})
    assert (rest.status_code, rest.json()["code"]) == (404, "not_found")
    assert stored_intake(session, intake_id).status is IntakeStatus.SUBMITTED

    # Rounds are the server's: no device creates one, whatever its role.
    forged = IntakeRound(
        client_id=own,
        intake_id=intake_id,
        number=1,
        submitted_at=NOW,
        submitted_by=KD,
        content={},
        decision=Decision.APPROVED,
        reviewer=TM,
        decided_at=NOW,
    )
    for who in (TM, KD):
        [written] = push(who, ("intake_round", forged.id, own, "create", forged.to_fields()))
        assert outcomes([written]) == [("rejected", "server_written")]
    assert rounds_of(session, intake_id) == []

    def comment(**changes: Any) -> ReviewComment:
        values: dict[str, Any] = {
            "client_id": own,
            "intake_id": intake_id,
            "section": IntakeSection.SCORES,
            "round": 1,
            "author": KD,
            "text": "Graag toelichten.",
            "written_at": NOW,
            **changes,
        }
        return ReviewComment(**values)

    # A comment hangs under an intake of its own client ...
    elsewhere = comment(intake_id=org.intakes["teammate"])
    nowhere = comment(intake_id=str(uuid.uuid4()))
    for who, made in ((TM, elsewhere), (KD, nowhere)):
        [refused] = push(who, ("review_comment", made.id, own, "create", made.to_fields()))
        assert outcomes([refused]) == [("rejected", "no_such_intake")]
    # ... and an answer under an existing thread of that intake.
    start = comment(author=TM, author_role="team_lead")
    assert outcomes(push(TM, ("review_comment", start.id, own, "create", start.to_fields()))) == [
        APPLIED
    ]
    reply = comment(thread_id=start.id, text="Is gedaan.")
    assert outcomes(push(KD, ("review_comment", reply.id, own, "create", reply.to_fields()))) == [
        APPLIED
    ]
    for thread_id in (str(uuid.uuid4()), reply.id):  # nothing, or an answer rather than a thread
        orphan = comment(thread_id=thread_id, text="Waar hoort dit bij?")
        [refused] = push(KD, ("review_comment", orphan.id, own, "create", orphan.to_fields()))
        assert outcomes([refused]) == [("rejected", "no_such_thread")]
    other_thread = ReviewComment(
        client_id=teammate,
        intake_id=org.intakes["teammate"],
        section=IntakeSection.GENERAL,
        round=1,
        author=TM,
        author_role="team_lead",
        text="Andere cliënt.",
        written_at=NOW,
    )
    assert outcomes(
        push(TM, ("review_comment", other_thread.id, teammate, "create", other_thread.to_fields()))
    ) == [APPLIED]
    crossed = comment(thread_id=other_thread.id, author=TM, author_role="team_lead")
    [refused] = push(TM, ("review_comment", crossed.id, own, "create", crossed.to_fields()))
    assert outcomes([refused]) == [("rejected", "no_such_thread")]

    # Who wrote a comment, in what role, and its state come from the server, not the device.
    for who, role, claimed in ((KD, "caseworker", TM), (TM, "team_lead", KD)):
        forged_comment = comment(author=claimed, round=7, text=f"Van {who}.")
        sent = {
            **forged_comment.to_fields(),
            "author_role": "team_lead" if role == "caseworker" else "caseworker",
            "status": "resolved",
            "resolved_by": claimed,
            "resolved_at": NOW.isoformat(),
        }
        [created] = push(who, ("review_comment", forged_comment.id, own, "create", sent))
        assert outcomes([created]) == [APPLIED]
        values = created["server_values"]
        assert (values["author"], values["author_role"], values["status"], values["round"]) == (
            who,
            role,
            "open",
            1,
        )
        [stored] = [c for c in comments_of(session, intake_id) if c.id == forged_comment.id]
        assert (stored.author, stored.author_role, stored.status, stored.resolved_by) == (
            who,
            role,
            ThreadStatus.OPEN,
            None,
        )
        assert stored.round == 1

    # A comment's words are its author's: no one else edits, re-creates or removes them, even in
    # scope; its author may. Resolving the thread is not an edit.
    for op, new in (
        ("update", {"text": "Anders gezegd."}),
        ("delete", {}),
        ("create", {**reply.to_fields(), "text": "Overschreven."}),
    ):
        [refused] = push(TM, ("review_comment", reply.id, own, op, new))
        assert outcomes([refused]) == [("rejected", "not_author")]
    assert [c.text for c in comments_of(session, intake_id) if c.id == reply.id] == ["Is gedaan."]
    [edited] = push(
        KD,
        (
            "review_comment",
            reply.id,
            own,
            "update",
            {"text": "Is gedaan, zie map."},
            {"text": "Is gedaan."},
        ),
    )
    assert outcomes([edited]) == [APPLIED]
    [resolved] = push(KD, ("review_comment", start.id, own, "command", {"command": "resolve"}))
    assert outcomes([resolved]) == [APPLIED]
    [removed] = push(TM, ("review_comment", start.id, own, "delete", {}))
    assert outcomes([removed]) == [APPLIED]


# ------------------------------------------------------------------------------ completeness


def test_submitting_needs_the_parts_of_the_clients_current_schemes(
    api: TestClient, session: Session
) -> None:
    org = build_organisation(session)
    push = Pusher(api, org)
    own = org.clients["own"]
    today = date.today()
    for scheme, start, end in (
        (Scheme.WMO, date(2025, 1, 1), None),  # current: its part is required
        (Scheme.PARTICIPATIEWET, date(2024, 1, 1), today - timedelta(days=1)),  # ended
        (Scheme.JEUGD, today + timedelta(days=30), None),  # not started yet
    ):
        enrollment = Enrollment(
            client_id=own,
            scheme=scheme,
            start_date=start,
            end_date=end,
            caseworker=KD,
            consent_given=True,
            consent_date=start,
        )
        upsert_record(session, enrollment, by="test")
    session.commit()
    draft = draft_for(own, KD).edited({"consent_wmo": True})
    assert draft.missing() == [] and draft.missing([Scheme.WMO])

    answers = push(
        KD,
        ("intake", draft.id, own, "create", draft.to_fields()),
        ("intake", draft.id, own, "command", {"command": "submit"}),
    )
    assert outcomes(answers) == [APPLIED, ("rejected", "intake_incomplete")]
    assert stored_intake(session, draft.id).status is IntakeStatus.DRAFT
    assert rounds_of(session, draft.id) == []

    # With the Wmo part filled in (and nothing of the ended or future schemes) it goes.
    wmo = completing(draft, [Scheme.WMO])
    assert wmo and all(name.startswith("wmo_") for name in wmo)
    answers = push(
        KD,
        ("intake", draft.id, own, "update", wmo, {k: draft.to_fields()[k] for k in wmo}),
        ("intake", draft.id, own, "command", {"command": "submit"}),
    )
    assert outcomes(answers) == [APPLIED, APPLIED]
    submitted = stored_intake(session, draft.id)
    assert (submitted.status, submitted.round) == (IntakeStatus.SUBMITTED, 1)
    [first] = rounds_of(session, draft.id)
    assert first.content == submitted.content()
    assert all(first.content[name] == value for name, value in wmo.items())


def test_the_rest_review_request_knows_every_section() -> None:
    annotation = ReviewRequest.model_fields["comments"].annotation
    keys, _text = get_args(annotation)
    assert list(get_args(keys)) == [section.value for section in IntakeSection]


# ------------------------------------------------------------------------------ migration 0005


@pytest.fixture(params=BACKENDS)
def blank_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database of each kind, no schema yet."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
        yield engine
        engine.dispose()
        return
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"veldwerk_mig_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(admin.url.set(database=name).render_as_string(hide_password=False))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _upgrade_to(engine: Engine, revision: str) -> None:
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def _insert(conn: sa.Connection, name: str, values: dict[str, Any]) -> None:
    """A row of the schema as it is in the database now (columns it lacks are left out)."""
    table = sa.Table(name, sa.MetaData(), autoload_with=conn)
    conn.execute(sa.insert(table).values({k: v for k, v in values.items() if k in table.c}))


def test_migration_0005_turns_old_intakes_into_fields_rounds_and_threads(
    blank_engine: Engine,
) -> None:
    _upgrade_to(blank_engine, "0004")
    client = fake_client(1, "111222333", caseworker=KD)
    returned_id, draft_id = str(uuid.uuid4()), str(uuid.uuid4())
    stamp = {"version": 1, "deleted": False, "updated_at": NOW, "updated_by": "test", "position": 3}
    old_intake = {
        "client_id": client.id,
        "caseworker": KD,
        "domain_version": "zrm-2017",
        "ladder_current": 2,
        "ladder_target": 4,
        "barriers": "Geen vervoer.",
        "strengths": "Gemotiveerd.",
        **stamp,
    }
    with blank_engine.begin() as conn:
        _insert(conn, "clients", {"id": client.id, **client.to_fields(), **stamp})
        _insert(
            conn,
            "intakes",
            {
                **old_intake,
                "id": returned_id,
                "scores": {
                    "financien": {"score": 2, "remark": "Schulden"},
                    "huisvesting": {"score": 4, "remark": ""},
                },
                "status": "returned",
                "submitted_at": "2026-11-20T09:00:00+00:00",
                "reviewer": TM,
                "reviewed_at": "2026-11-21T14:30:00+00:00",
                "review_comments": {
                    "scores": "Onderbouw de score financiën.",
                    "general": "Bel de cliënt even.",
                },
            },
        )
        _insert(
            conn,
            "intakes",
            {
                **old_intake,
                "id": draft_id,
                "scores": {"werk_opleiding": {"score": 3, "remark": "Zoekt werk"}},
                "status": "draft",
                "submitted_at": None,
                "reviewer": None,
                "reviewed_at": None,
                "review_comments": {},
            },
        )

    upgrade(blank_engine)

    with blank_engine.connect() as conn:
        columns = {c.name for c in sa.Table("intakes", sa.MetaData(), autoload_with=conn).c}
        rows = {str(r.id): dict(r._mapping) for r in conn.execute(select(intakes))}
        rounds = conn.execute(select(intake_rounds)).all()
        comments = conn.execute(select(review_comments)).all()
    assert "scores" not in columns and "review_comments" not in columns

    returned = Intake.from_fields(returned_id, fields_of(rows[returned_id]))
    assert (rows[returned_id]["score_financien"], rows[returned_id]["remark_financien"]) == (
        2,
        "Schulden",
    )
    assert (rows[returned_id]["score_huisvesting"], rows[returned_id]["remark_huisvesting"]) == (
        4,
        "",
    )
    assert rows[returned_id]["score_werk_opleiding"] is None
    assert (returned.status, returned.round, returned.reviewer) == (IntakeStatus.RETURNED, 1, TM)
    assert (returned.ladder_current, returned.barriers) == (2, "Geen vervoer.")
    draft = Intake.from_fields(draft_id, fields_of(rows[draft_id]))
    assert (draft.status, draft.round) == (IntakeStatus.DRAFT, 0)
    assert (draft.scores["werk_opleiding"].score, draft.scores["werk_opleiding"].remark) == (
        3,
        "Zoekt werk",
    )

    # One round, for the intake that was submitted, decided as it was.
    [kept_row] = rounds
    assert kept_row.position is not None
    kept = IntakeRound.from_fields(str(kept_row.id), fields_of(kept_row))
    assert (kept.intake_id, kept.client_id, kept.number, kept.submitted_by) == (
        returned_id,
        client.id,
        1,
        KD,
    )
    assert (kept.decision, kept.reviewer, kept.decided_at) == (
        Decision.RETURNED,
        TM,
        returned.reviewed_at,
    )
    assert kept.submitted_at == returned.submitted_at
    # Every answer, as it stood (an empty choice may read None rather than "": the same).
    assert set(kept.content) == set(content_fields())
    assert changed_fields(kept.content, returned.content()) == ()
    assert kept.content["score_financien"] == 2

    # The old comments: open threads by the reviewer, one per section.
    assert len(comments) == 2 and all(c.position is not None for c in comments)
    found = [ReviewComment.from_fields(str(c.id), fields_of(c)) for c in comments]
    assert all(c.intake_id == returned_id and c.client_id == client.id for c in found)
    assert all(c.written_at == returned.reviewed_at for c in found)
    assert thread_view(found) == [
        ("scores", "Onderbouw de score financiën.", TM, "team_lead", "open", 1, 0),
        ("general", "Bel de cliënt even.", TM, "team_lead", "open", 1, 0),
    ]
    # Submitted again, the intake waits for them before it can be approved.
    assert open_thread_count(found) == 2
    again = replace(returned, status=IntakeStatus.SUBMITTED, round=2, reviewer=None)
    with pytest.raises(DomainError) as refused:
        again.approve(reviewer=TM, at=NOW, open_threads=open_thread_count(found))
    assert refused.value.code == "open_review_threads"
