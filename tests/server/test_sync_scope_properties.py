"""Properties of the sync scope, over random input (SECURITY.md S8, SYNC.md rule 8 and 9).

(a) Random push entries from random devices (caseworkers and team leads): random entity, op,
    record and client ids (in scope, out of scope, unknown), random keys and values. Whatever a
    device sends, no stored value of a record outside its scope appears in an answer, no such
    record changes, and nothing is kept (conflicts, orphans) for a client outside its scope,
    except an orphan for a client this device held before.
(b) A team lead's scope is one set: over random histories of assignments and intake reviews,
    the clients GET /v1/clients lists equal the clients a new device of theirs is told to hold
    (`scope_enter` of the pages of a first sync) and `server.policy`'s scope.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.intake import Intake, IntakeSection
from app.domain.review import ReviewComment
from app.domain.schema import field_names
from server.crud import assignments
from server.crud.records import fields_of, insert_records, upsert_record
from server.models import RECORD_TABLES, Conflict, DeviceHeldClient, OrphanedMutation, User
from server.policy import Actor, clients_in_scope, scope_client_ids, visible_entities
from tests.server.conftest import Device
from tests.server.test_policy_matrix import (
    TEAM_A,
    TEAM_B,
    Org,
    add_device,
    fake_client,
    submitted_intake,
)
from tests.server.test_sync_policy_matrix import (
    BLOB_SHA,
    ENTITIES,
    Arranger,
    Pusher,
    prepare,
    secrets_of,
    strings_in,
)

SENDERS = ("k.dijkstra", "m.bakker", "j.dekker", "t.mulder", "r.smit")
OPS = ("create", "update", "delete", "command")
COMMAND_NAMES = (
    "submit",
    "approve",
    "return",
    "sign",
    "activate",
    "close",
    "resolve",
    "reopen",
    "explode",
)
EXTRA_KEYS = ("colour", "command", "comments", "caseworker", "client_id", "status", "reviewer")
STATUSES = {"applied", "merged", "conflict", "rejected", "orphaned"}
SAFE_TEXT = st.text(
    alphabet=st.characters(blacklist_characters="\x00", codec="utf-8"),
    max_size=12,
)


def actor_of(session: Session, device: Device) -> Actor:
    user_id = session.scalar(select(User.id).where(User.username == device.username))
    assert user_id is not None
    return Actor(user_id, device.username, device.role, device.device_id)


# ------------------------------------------------------------------------------ (a) random pushes


def dossiers(session: Session, org: Org) -> list[str]:
    """Every target client of the organisation gets a record of every kind, plus a client that
    k.dijkstra's device held before it went to m.bakker. Returns all client ids."""
    arranger = Arranger(session)
    records: list[Any] = []
    for target in ("own", "teammate", "other_team", "unassigned"):
        client_id = org.clients[target]
        owner = {"own": "k.dijkstra", "teammate": "m.bakker", "other_team": "j.dekker"}.get(
            target, "m.bakker"
        )
        for entity in ENTITIES:
            if entity != "client":
                records.append(
                    arranger.record(
                        entity, "update", client_id, owner, intake_id=org.intakes[target]
                    )
                )
    insert_records(session, records, by="test")
    held, held_intake = arranger.client("held", org.devices["k.dijkstra"])
    for entity in ENTITIES:
        if entity not in ("client", "intake"):
            arranger.records.append(
                arranger.record(entity, "update", held.id, "k.dijkstra", intake_id=held_intake.id)
            )
    arranger.finish()
    return [*org.clients.values(), held.id]


def all_rows(session: Session) -> dict[tuple[str, str], dict[str, Any]]:
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for entity, table in RECORD_TABLES.items():
        for row in session.execute(select(table)):
            rows[(entity, str(row.id))] = dict(row._mapping)
    return rows


def client_of(entity: str, row: dict[str, Any]) -> str:
    return str(row["id"] if entity == "client" else row["client_id"])


@st.composite
def entries(draw: st.DrawFn, ids: list[str], client_ids: list[str]) -> dict[str, Any]:
    entity = draw(st.sampled_from(ENTITIES))
    op = draw(st.sampled_from(OPS))
    record_id = draw(st.one_of(st.sampled_from(ids), st.uuids().map(str)))
    client_id = draw(
        st.one_of(st.sampled_from(client_ids), st.just(record_id), st.uuids().map(str))
    )
    keys = st.sampled_from((*field_names(entity), *EXTRA_KEYS))
    values = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-3, 10**6),
        SAFE_TEXT,
        st.sampled_from(("2024-01-01", "partner", "participatiewet", "draft", BLOB_SHA)),
        st.sampled_from(client_ids),
    )
    new_values = draw(st.dictionaries(keys, values, max_size=4))
    if op == "command":
        new_values["command"] = draw(st.sampled_from(COMMAND_NAMES))
        if new_values["command"] == "return" and draw(st.booleans()):
            new_values["comments"] = {IntakeSection.SCORES.value: "Onderbouw."}
    return {
        "mutation_id": str(uuid.uuid4()),
        "entity": entity,
        "record_id": record_id,
        "client_id": client_id,
        "op": op,
        "base_values": draw(st.dictionaries(keys, values, max_size=2)),
        "new_values": new_values,
    }


def visible_keys(
    session: Session, actor: Actor, rows: dict[tuple[str, str], dict[str, Any]]
) -> set[tuple[str, str]]:
    """The stored records this actor may see now."""
    scope = clients_in_scope(session, actor, {client_of(e, r) for (e, _), r in rows.items()})
    entities = set(visible_entities(actor.role))
    return {
        (entity, record_id)
        for (entity, record_id), row in rows.items()
        if entity in entities and client_of(entity, row) in scope
    }


def test_random_pushes_never_reach_outside_scope(api: TestClient, session: Session) -> None:
    org = prepare(session)
    client_ids = dossiers(session, org)
    ids = sorted(str(record_id) for _, record_id in all_rows(session))
    session.commit()
    pusher = Pusher(api)

    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        sender=st.sampled_from(SENDERS),
        batch=st.lists(entries(ids, client_ids), min_size=1, max_size=6),
    )
    def check(sender: str, batch: list[dict[str, Any]]) -> None:
        device = org.devices[sender]
        actor = actor_of(session, device)
        before = all_rows(session)
        seen_before = visible_keys(session, actor, before)
        hidden = {key: row for key, row in before.items() if key not in seen_before}
        held = set(
            session.scalars(
                select(DeviceHeldClient.client_id).where(
                    DeviceHeldClient.device_id == device.device_id
                )
            )
        )
        last_conflict = max(session.scalars(select(Conflict.id)), default=0)
        last_orphan = max(session.scalars(select(OrphanedMutation.id)), default=0)
        session.commit()

        results = pusher.send(device, batch)

        after = all_rows(session)
        seen_after = visible_keys(session, actor, after)
        conflicts = session.execute(
            select(Conflict.entity, Conflict.client_id).where(Conflict.id > last_conflict)
        ).all()
        orphans = session.scalars(
            select(OrphanedMutation.client_id).where(OrphanedMutation.id > last_orphan)
        ).all()
        session.commit()

        # Values the device sent, or may see anyway, prove nothing when they come back.
        known = secrets_of(*(before[k] for k in seen_before), *(after[k] for k in seen_after))
        known |= {text for e in batch for text in strings_in(e)}
        secrets = secrets_of(*hidden.values()) - known
        for entry in batch:
            sent = results[entry["mutation_id"]]
            assert sent.http == 200, sent.text
            assert sent.answer["status"] in STATUSES, sent.text
            # Whole words: "client" (a plan action's 'who') is no leak inside "client_id".
            leaked = sorted(
                s for s in secrets if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", sent.text)
            )
            assert not leaked, f"{sender} {entry}: out-of-scope values in {sent.text}"
        changed = sorted(str(k) for k, row in hidden.items() if after.get(k) != row)
        assert not changed, f"{sender}: out-of-scope records changed: {changed}"
        scope_clients = {client_of(e, after.get((e, r)) or before[(e, r)]) for e, r in seen_before}
        scope_clients |= {client_of(e, after[(e, r)]) for e, r in seen_after}
        seeable = set(visible_entities(actor.role))
        wrong = [
            c for c in conflicts if c.client_id not in scope_clients or c.entity not in seeable
        ]
        assert not wrong, f"{sender}: conflicts kept for clients outside scope: {wrong}"
        stray = [c for c in orphans if c not in held]
        assert not stray, f"{sender}: orphans kept for clients this device never held: {stray}"
        if device.role != "caseworker":
            assert not orphans, f"{sender}: a team lead's entry was kept as an orphan"

    check()


# ------------------------------------------------------------------------------ (b) lead scope

CASEWORKERS = ("k.dijkstra", "m.bakker", "j.dekker")
LEADS = ("t.mulder", "r.smit")
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("assign"), st.integers(0, 3), st.sampled_from(CASEWORKERS)),
        st.tuples(st.just("intake"), st.integers(0, 3), st.just("")),
        st.tuples(
            st.sampled_from(("submit", "approve", "return", "delete")),
            st.integers(0, 7),
            st.just(""),
        ),
    ),
    max_size=14,
)


def _entered_by_a_first_sync(api: TestClient, headers: dict[str, str]) -> set[str]:
    """The clients a new device is told to hold: whole clients arrive in bounded pages."""
    entered: set[str] = set()
    params: dict[str, Any] = {"limit": 1}
    for _ in range(1000):
        pulled = api.get("/v1/sync/pull", params=params, headers=headers)
        assert pulled.status_code == 200, pulled.text
        page = pulled.json()
        entered |= set(page["scope_enter"])
        if not page["more"]:
            return entered
        params["cursor"] = page["cursor"]
    raise AssertionError("a first sync that never ends")


def test_team_lead_rest_scope_equals_sync_scope(api: TestClient, session: Session) -> None:
    org = prepare(session)
    users = {u.username: u for u in session.scalars(select(User))}
    number = iter(range(10_000))

    @settings(
        max_examples=15,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(steps=STEPS)
    def check(steps: list[tuple[str, int, str]]) -> None:
        people: list[Any] = []
        for _ in range(4):
            n = next(number)
            bsn = f"{40_000_000 + n:08d}"
            digit = sum(int(d) * (9 - i) for i, d in enumerate(bsn)) % 11
            while digit == 10:  # skip numbers without a check digit
                n = next(number)
                bsn = f"{40_000_000 + n:08d}"
                digit = sum(int(d) * (9 - i) for i, d in enumerate(bsn)) % 11
            people.append(fake_client(n % 27, bsn + str(digit)))
        insert_records(session, people, by="test")
        holder: dict[str, str] = {}
        intakes: list[Intake] = []
        deleted: set[str] = set()
        for action, index, name in steps:
            if action == "assign":
                person = people[index]
                assignments.assign(session, client_id=person.id, caseworker=name, by="test")
                holder[person.id] = name
            elif action == "intake":
                person = people[index]
                done = submitted_intake(person.id, holder.get(person.id, "k.dijkstra"))
                draft = Intake.from_fields(
                    done.id, {**done.to_fields(), "status": "draft", "submitted_at": None}
                )
                upsert_record(session, draft, by="test")
                intakes.append(draft)
            elif intakes:
                position = index % len(intakes)
                intake = intakes[position]
                if intake.id in deleted:
                    continue
                now = datetime.now(UTC)
                if action == "delete":
                    table = RECORD_TABLES["intake"]
                    session.execute(
                        table.update().where(table.c.id == intake.id).values(deleted=True)
                    )
                    deleted.add(intake.id)
                    continue
                if action == "submit" and intake.editable:
                    intake = intake.submit(at=now)
                elif action in ("approve", "return") and intake.status.value == "submitted":
                    reviewer = "t.mulder" if intake.caseworker != "t.mulder" else "r.smit"
                    intake = (
                        intake.approve(reviewer=reviewer, at=now)
                        if action == "approve"
                        else intake.return_for_changes(reviewer=reviewer, at=now, open_threads=1)
                    )
                    if action == "return":
                        # Returned with the thread that says what to change.
                        thread = ReviewComment(
                            client_id=intake.client_id,
                            intake_id=intake.id,
                            section=IntakeSection.GENERAL,
                            round=intake.round,
                            author=reviewer,
                            author_role="team_lead",
                            text="Aanvullen.",
                            written_at=now,
                        )
                        upsert_record(session, thread, by=reviewer)
                else:
                    continue
                upsert_record(session, intake, by="test")
                intakes[position] = intake
        session.commit()

        everyone = [str(c) for c in session.scalars(select(RECORD_TABLES["client"].c.id))]
        for lead in LEADS:
            device = add_device(session, users[lead])
            actor = actor_of(session, device)
            by_policy = clients_in_scope(session, actor, everyone)
            by_query = {str(c) for c in session.scalars(scope_client_ids(actor))}
            session.commit()
            listed = api.get("/v1/clients", headers=org.devices[lead].headers)
            assert listed.status_code == 200, listed.text
            rest = {c["id"] for c in listed.json()}
            sync = _entered_by_a_first_sync(api, device.headers)
            history = f"{lead} after {steps}"
            assert rest == sync, f"{history}: REST {sorted(rest)} != pull {sorted(sync)}"
            assert rest == by_policy == by_query, f"{history}: REST != policy"
            # Only team members' clients with an intake under review.
            team = {TEAM_A: ("k.dijkstra", "m.bakker"), TEAM_B: ("j.dekker",)}[
                TEAM_A if lead == "t.mulder" else TEAM_B
            ]
            for person in people:
                submitted = any(
                    i.client_id == person.id
                    and i.status.value == "submitted"
                    and i.id not in deleted
                    for i in intakes
                )
                want = submitted and holder.get(person.id) in team
                assert (person.id in rest) == want, f"{history}: {person.id} ({holder})"

    check()


def test_stored_rows_helper_sees_every_kind(session: Session) -> None:
    """The snapshot of (a) covers every kind of record (a new kind would escape it otherwise)."""
    org = prepare(session)
    dossiers(session, org)
    kinds = {entity for entity, _ in all_rows(session)}
    assert kinds == set(RECORD_TABLES)
    assert all(fields_of(row) for row in all_rows(session).values())
