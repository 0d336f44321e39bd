"""Client plans over `/v1/sync/push` and `/v1/sync/pull` (both backends): a plan and its actions
as records of their own, an action under a plan of its own client, signatures checked against the
content the server holds, a signed version that cannot change (an active plan's actions only in
their progress), and the fields only the commands set.

The organisation is test_policy_matrix's: team A (lead t.mulder; k.dijkstra, m.bakker), team B
(lead r.smit; j.dekker); each target client has a submitted intake, so the team lead t.mulder
reads k.dijkstra's and m.bakker's clients (what is shown beside an intake, no plan).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.plan import (
    ActionOwner,
    ClientPlan,
    PlanAction,
    Signature,
    SignatureMethod,
    content_hash,
)
from app.domain.roles import Role
from app.domain.states import ActionStatus, PlanStatus
from app.sync.protocol import JSON_TEXT_HEADER, Page
from server.crud import assignments
from server.crud.records import fields_of, upsert_record
from server.models import client_plans, plan_actions
from server.policy import ROLE_ACTIONS, TEAM_LEAD_ENTITIES, Action, visible_entities
from tests.server.test_intake_review import APPLIED, UNKNOWN, Pusher, Sent, outcomes, pulled
from tests.server.test_policy_matrix import Org, build_organisation, fake_client

KD, MB, TM, RS, JD = "k.dijkstra", "m.bakker", "t.mulder", "r.smit", "j.dekker"
NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
STROKES = (((10.0, 40.0, 0.5, 0), (60.0, 20.0, 0.6, 16), (120.0, 45.0, 0.5, 32)),)
PLAN_ENTITIES = ("client_plan", "plan_action")


# ------------------------------------------------------------------------------ arranging


def second_client(session: Session) -> str:
    """Another client of k.dijkstra (made up; the BSN passes the 11-check)."""
    client = fake_client(7, "135724685", caseworker=KD, surname="Proefpersoon7")
    upsert_record(session, client, by="test")
    session.flush()
    assignments.assign(session, client_id=client.id, caseworker=KD, by="test")
    session.commit()
    return client.id


def draft_for(client_id: str, caseworker: str = KD, **changes: Any) -> ClientPlan:
    values: dict[str, Any] = {
        "client_id": client_id,
        "caseworker": caseworker,
        "municipality": "Het Hogeland",
        "goals": ("Werk in de zorg", "Financiële rust"),
        "support_offered": "Begeleiding naar werk.",
        "obligations": ("werk_verkrijgen",),
        "agreements": "Elke twee weken een gesprek.",
        "own_words": "Ik wil weer zelf mijn rekeningen betalen.",
        "next_evaluation": date(2027, 6, 1),
        **changes,
    }
    return ClientPlan(**values)


def actions_for(plan: ClientPlan) -> list[PlanAction]:
    return [
        PlanAction(
            client_id=plan.client_id,
            plan_id=plan.id,
            description="Cv bijwerken",
            due_date=date(2026, 12, 15),
            rank=0,
        ),
        PlanAction(
            client_id=plan.client_id,
            plan_id=plan.id,
            description="Gesprek met het werkleerbedrijf plannen",
            owner=ActionOwner.CASEWORKER,
            rank=1,
        ),
        PlanAction(
            client_id=plan.client_id,
            plan_id=plan.id,
            description="Intake schuldhulp",
            owner=ActionOwner.PARTNER,
            partner="Schuldhulp Noord-Groningen",
            rank=2,
        ),
    ]


def created(plan: ClientPlan, actions: list[PlanAction]) -> list[Sent]:
    return [
        ("client_plan", plan.id, plan.client_id, "create", plan.to_fields()),
        *(("plan_action", a.id, a.client_id, "create", a.to_fields()) for a in actions),
    ]


def drawn(signer: str, content: str = "") -> Signature:
    return Signature(
        signer,
        SignatureMethod.DIGITAL,
        NOW,
        content_hash=content,
        strokes=STROKES,
        pad_width=560.0,
        pad_height=220.0,
    )


def on_paper(signer: str, content: str = "") -> Signature:
    return Signature(
        signer, SignatureMethod.PAPER, NOW, content_hash=content, paper_date=NOW.date()
    )


def sign(plan: ClientPlan, role: str, signature: Signature) -> Sent:
    values = {"command": "sign", "role": role, "signature": signature.to_json()}
    return ("client_plan", plan.id, plan.client_id, "command", values)


def update(record: ClientPlan | PlanAction, **new: Any) -> Sent:
    """A field edit of a record, with its values as the device last had them as base."""
    fields = record.to_fields()
    changed = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in new.items()}
    return (
        record.ENTITY,
        record.id,
        record.client_id,
        "update",
        changed,
        {k: fields[k] for k in new},
    )


def stored_plan(session: Session, plan_id: str) -> tuple[int, ClientPlan] | None:
    """(version, plan) as the server holds it; None when absent or deleted."""
    row = session.execute(select(client_plans).where(client_plans.c.id == plan_id)).first()
    session.commit()
    if row is None or row.deleted:
        return None
    return int(row.version), ClientPlan.from_fields(plan_id, fields_of(row))


def plan_of(session: Session, plan_id: str) -> ClientPlan:
    found = stored_plan(session, plan_id)
    assert found is not None
    return found[1]


def stored_actions(session: Session, plan_id: str) -> list[PlanAction]:
    """The plan's live actions as the server holds them, in their order."""
    rows = session.execute(
        select(plan_actions)
        .where(plan_actions.c.plan_id == plan_id, plan_actions.c.deleted.is_(False))
        .order_by(plan_actions.c.rank, plan_actions.c.id)
    ).all()
    session.commit()
    return [PlanAction.from_fields(str(r.id), fields_of(r)) for r in rows]


def action_row(session: Session, action_id: str) -> Any:
    row = session.execute(select(plan_actions).where(plan_actions.c.id == action_id)).first()
    session.commit()
    return row


def server_hash(session: Session, plan_id: str) -> str:
    """The content hash computed from the server's own rows of the plan and its actions."""
    return content_hash(plan_of(session, plan_id), stored_actions(session, plan_id))


def fields(records: list[PlanAction]) -> list[tuple[str, dict[str, Any]]]:
    return [(r.id, r.to_fields()) for r in records]


def plan_rows(seen: dict[tuple[str, str], dict[str, Any]]) -> set[tuple[str, str]]:
    return {key for key in seen if key[0] in PLAN_ENTITIES}


def rejected(code: str) -> tuple[str, str]:
    return ("rejected", code)


def made_plan(
    push: Pusher, org: Org, who: str = KD, target: str = "own", **changes: Any
) -> tuple[ClientPlan, list[PlanAction]]:
    plan = draft_for(org.clients[target], who, **changes)
    actions = actions_for(plan)
    assert outcomes(push(who, *created(plan, actions))) == [APPLIED] * (1 + len(actions))
    return plan, actions


# ------------------------------------------------------------------------------ creating, pulling


def test_a_plan_and_its_actions_are_created_and_reach_only_the_devices_in_scope(
    api: TestClient, session: Session
) -> None:
    org = build_organisation(session)
    push = Pusher(api, org)
    plan = draft_for(org.clients["own"])
    actions = actions_for(plan)

    answers = push(KD, *created(plan, actions))
    assert outcomes(answers) == [APPLIED] * 4
    assert [a["version"] for a in answers] == [1] * 4
    found = stored_plan(session, plan.id)
    assert found is not None
    assert found == (1, plan)
    assert fields(stored_actions(session, plan.id)) == fields(actions)
    # m.bakker's plan of the teammate client, for the pulls below.
    theirs, their_actions = made_plan(push, org, MB, "teammate")

    # Each caseworker's device gets its own client's plan and every action of it, as stored.
    seen = pulled(api, org.devices[KD])
    assert plan_rows(seen) == {("client_plan", plan.id), *(("plan_action", a.id) for a in actions)}
    for action in actions:
        assert PlanAction.from_fields(action.id, seen[("plan_action", action.id)]) == action
    assert ClientPlan.from_fields(plan.id, seen[("client_plan", plan.id)]) == plan
    assert plan_rows(pulled(api, org.devices[MB])) == {
        ("client_plan", theirs.id),
        *(("plan_action", a.id) for a in their_actions),
    }
    # Another team's caseworker and lead: none. The team lead reads both clients (their intakes
    # wait for review) but only what is shown beside an intake: no plan, no action.
    assert plan_rows(pulled(api, org.devices[JD])) == set()
    assert plan_rows(pulled(api, org.devices[RS])) == set()
    lead = pulled(api, org.devices[TM])
    assert ("client", org.clients["own"]) in lead and ("client", org.clients["teammate"]) in lead
    assert plan_rows(lead) == set()


def test_the_team_lead_may_not_write_plans(api: TestClient, session: Session) -> None:
    # What policy says: a team lead sees only what is shown beside an intake, and may not write
    # dossiers at all. A plan of a client in the lead's scope answers as a record that does not
    # exist (the generic answer), whatever is done to it.
    assert not set(PLAN_ENTITIES) & set(TEAM_LEAD_ENTITIES)
    assert visible_entities(Role.TEAM_LEAD) == TEAM_LEAD_ENTITIES
    assert Action.WRITE_DOSSIER not in ROLE_ACTIONS[Role.TEAM_LEAD]
    assert Action.READ_DOSSIER in ROLE_ACTIONS[Role.TEAM_LEAD]

    org = build_organisation(session)
    push = Pusher(api, org)
    own = org.clients["own"]
    pulled(api, org.devices[TM])  # the lead's device holds the client (its intake waits)

    forged = draft_for(own, TM)
    forged_actions = actions_for(forged)
    assert push(TM, *created(forged, forged_actions)) == [UNKNOWN] * 4
    assert stored_plan(session, forged.id) is None
    assert all(action_row(session, a.id) is None for a in forged_actions)

    plan, actions = made_plan(push, org)
    extra = PlanAction(client_id=own, plan_id=plan.id, description="Door de teamleider", rank=3)
    answers = push(
        TM,
        update(plan, agreements="Door de teamleider aangepast."),
        ("plan_action", extra.id, own, "create", extra.to_fields()),
        update(actions[0], status="done"),
        ("plan_action", actions[1].id, own, "delete", {}),
        sign(plan, "caseworker", drawn(TM)),
        ("client_plan", plan.id, own, "delete", {}),
    )
    assert answers == [UNKNOWN] * 6
    assert stored_plan(session, plan.id) == (1, plan)
    assert fields(stored_actions(session, plan.id)) == fields(actions)
    assert action_row(session, extra.id) is None


# ------------------------------------------------------------------------------ what it names


def test_an_action_names_a_plan_of_its_own_client(api: TestClient, session: Session) -> None:
    org = build_organisation(session)
    push = Pusher(api, org)
    own, teammate, other_team = (org.clients[t] for t in ("own", "teammate", "other_team"))
    second = second_client(session)
    plan, actions = made_plan(push, org)
    elsewhere = draft_for(second)
    assert outcomes(push(KD, *created(elsewhere, []))) == [APPLIED]
    theirs, their_actions = made_plan(push, org, MB, "teammate")
    gone = draft_for(second, revision=2, previous_id=elsewhere.id)
    assert outcomes(push(KD, *created(gone, []))) == [APPLIED]
    assert outcomes(push(KD, ("client_plan", gone.id, second, "delete", {}))) == [APPLIED]

    # Under a plan of another client (in scope or not), of nobody, or deleted: the same answer,
    # so a plan's existence cannot be probed through an action.
    def action(plan_id: str, client_id: str = own) -> PlanAction:
        return PlanAction(client_id=client_id, plan_id=plan_id, description="Solliciteren")

    refused = []
    for plan_id in (elsewhere.id, theirs.id, str(uuid.uuid4()), gone.id):
        made = action(plan_id)
        [answer] = push(KD, ("plan_action", made.id, own, "create", made.to_fields()))
        assert outcomes([answer]) == [rejected("no_such_plan")], plan_id
        assert action_row(session, made.id) is None
        refused.append(answer)
    assert all(answer == refused[0] for answer in refused)
    assert (refused[0]["version"], refused[0]["server_values"]) == (None, {})

    # An action of a client outside the device's scope: the generic answer, as for nothing.
    for client_id, plan_id in ((teammate, theirs.id), (other_team, str(uuid.uuid4()))):
        made = action(plan_id, client_id)
        assert push(KD, ("plan_action", made.id, client_id, "create", made.to_fields())) == [
            UNKNOWN
        ]
        assert action_row(session, made.id) is None
    for sent in (
        update(their_actions[0], status="done"),
        update(their_actions[0], description="Anders"),
        ("plan_action", their_actions[1].id, teammate, "delete", {}),
    ):
        assert push(KD, sent) == [UNKNOWN]
    assert fields(stored_actions(session, theirs.id)) == fields(their_actions)

    # An action stays under its plan: moving it, even to another plan of the same client, is
    # refused; it keeps its plan.
    sibling = draft_for(own, revision=2, previous_id=plan.id)
    assert outcomes(push(KD, *created(sibling, []))) == [APPLIED]
    for plan_id in (sibling.id, elsewhere.id):
        [moved] = push(KD, update(actions[0], plan_id=plan_id))
        assert outcomes([moved]) == [rejected("immutable_field")]
        assert moved["server_values"]["plan_id"] == plan.id
    assert fields(stored_actions(session, plan.id)) == fields(actions)
    assert stored_actions(session, sibling.id) == []


def test_a_new_version_names_a_previous_version_of_the_same_client(
    api: TestClient, session: Session
) -> None:
    org = build_organisation(session)
    push = Pusher(api, org)
    own = org.clients["own"]
    second = second_client(session)
    plan, _ = made_plan(push, org)
    elsewhere = draft_for(second)
    assert outcomes(push(KD, *created(elsewhere, []))) == [APPLIED]
    theirs, _ = made_plan(push, org, MB, "teammate")

    refused = []
    for previous in (elsewhere.id, theirs.id, str(uuid.uuid4())):
        version = draft_for(own, revision=2, previous_id=previous)
        [answer] = push(KD, *created(version, []))
        assert outcomes([answer]) == [rejected("no_such_plan")], previous
        assert stored_plan(session, version.id) is None
        refused.append(answer)
    assert all(answer == refused[0] for answer in refused)

    version = draft_for(own, revision=2, previous_id=plan.id)
    assert outcomes(push(KD, *created(version, []))) == [APPLIED]
    assert plan_of(session, version.id).previous_id == plan.id


def test_a_draft_cannot_be_made_to_name_another_clients_plan_by_an_edit(
    api: TestClient, session: Session
) -> None:
    """The rule for a new version's previous version holds for an edit of a draft too: otherwise
    a version of one client names a plan of another client (or of nobody) after all."""
    org = build_organisation(session)
    push = Pusher(api, org)
    own = org.clients["own"]
    second = second_client(session)
    plan, _ = made_plan(push, org)
    elsewhere = draft_for(second)
    assert outcomes(push(KD, *created(elsewhere, []))) == [APPLIED]
    version = draft_for(own, revision=2, previous_id=plan.id)
    assert outcomes(push(KD, *created(version, []))) == [APPLIED]

    [answer] = push(KD, update(version, previous_id=elsewhere.id))
    assert answer["status"] == "rejected", answer
    assert plan_of(session, version.id).previous_id == plan.id


# ------------------------------------------------------------------------------ signing


def test_a_signature_is_checked_against_the_content_the_server_holds(
    api: TestClient, session: Session
) -> None:
    org = build_organisation(session)
    push = Pusher(api, org)
    plan, actions = made_plan(push, org)
    expected = content_hash(plan, actions)
    assert server_hash(session, plan.id) == expected

    # What the device signed is not what the server holds (other agreements; an action the
    # server has that the device did not know of; another order): refused, nothing stored.
    for content in (
        content_hash(replace(plan, agreements="Eens per maand een gesprek."), actions),
        content_hash(plan, actions[:2]),
        content_hash(plan, [replace(a, rank=2 - a.rank) for a in actions]),
    ):
        assert content != expected
        [answer] = push(KD, sign(plan, "caseworker", drawn(KD, content)))
        assert outcomes([answer]) == [rejected("signed_content_changed")]
        # The refusal carries the plan as the server holds it: unsigned.
        assert answer["version"] == 1
        assert answer["server_values"]["caseworker_signature"] is None
        assert answer["server_values"]["content_hash"] is None
        assert stored_plan(session, plan.id) == (1, plan)

    # Signed over the content the server holds: stored with the server's own computation.
    [signed] = push(KD, sign(plan, "caseworker", drawn(KD, expected)))
    assert outcomes([signed]) == [APPLIED]
    assert signed["server_values"]["content_hash"] == expected
    found = stored_plan(session, plan.id)
    assert found is not None
    version, stored = found
    assert version == 2
    assert stored.content_hash == expected == server_hash(session, plan.id)
    assert stored.caseworker_signature is not None
    assert stored.caseworker_signature.content_hash == expected
    assert stored.caseworker_signature.strokes == STROKES
    assert (stored.client_signature, stored.status) == (None, PlanStatus.DRAFT)

    # The second signature is of the same content: another hash is refused ...
    other = content_hash(replace(plan, own_words="Iets anders."), actions)
    [answer] = push(KD, sign(plan, "client", on_paper("Testa Proefpersoon0", other)))
    assert outcomes([answer]) == [rejected("signed_content_changed")]
    assert plan_of(session, plan.id).client_signature is None
    # ... a signature that names no hash gets the fixed one.
    [answer] = push(KD, sign(plan, "client", on_paper("Testa Proefpersoon0")))
    assert outcomes([answer]) == [APPLIED]
    stored = plan_of(session, plan.id)
    assert stored.client_signature is not None
    assert stored.client_signature.content_hash == expected == stored.content_hash
    assert stored.fully_signed and stored.status is PlanStatus.DRAFT


def test_a_signature_counts_the_changes_pushed_before_it_in_the_same_push(
    api: TestClient, session: Session
) -> None:
    """Offline the caseworker changes the draft and then signs: the entries arrive in one push,
    and the signature is checked against the content with those changes (the fast path keeps
    updates back until the end of the push; the hash must see them)."""
    org = build_organisation(session)
    push = Pusher(api, org)
    own = org.clients["own"]
    plan, actions = made_plan(push, org)
    changed_plan = replace(plan, agreements="Elke week een gesprek.")
    changed = [replace(actions[0], due_date=date(2027, 1, 10)), *actions[1:2]]
    added = PlanAction(client_id=own, plan_id=plan.id, description="Taalles volgen", rank=2)
    expected = content_hash(changed_plan, [*changed, added])
    answers = push(
        KD,
        update(plan, agreements=changed_plan.agreements),
        update(actions[0], due_date="2027-01-10"),
        ("plan_action", actions[2].id, own, "delete", {}),
        ("plan_action", added.id, own, "create", added.to_fields()),
        sign(plan, "caseworker", drawn(KD, expected)),
    )
    assert outcomes(answers) == [APPLIED] * 5
    stored = plan_of(session, plan.id)
    assert stored.content_hash == expected == server_hash(session, plan.id)
    assert fields(stored_actions(session, plan.id)) == fields([*changed, added])


def test_the_sign_command_names_a_role_and_a_valid_signature(
    api: TestClient, session: Session
) -> None:
    org = build_organisation(session)
    push = Pusher(api, org)
    own = org.clients["own"]
    plan, actions = made_plan(push, org)
    expected = content_hash(plan, actions)
    good = drawn(KD, expected).to_json()

    def command(**values: Any) -> Sent:
        return ("client_plan", plan.id, own, "command", {"command": "sign", **values})

    for sent, code in (
        (command(role="witness", signature=good), "invalid_entry"),
        (command(role="", signature=good), "invalid_entry"),
        (command(signature=good), "invalid_entry"),
        (command(role="caseworker"), "invalid_entry"),
        (command(role="caseworker", signature={}), "invalid_entry"),
        (command(role="caseworker", signature={**good, "signed_at": ""}), "invalid_entry"),
        (command(role="caseworker", signature={**good, "strokes": []}), "signature_empty"),
        # The old shape (both signatures as fields) is not a sign command any more.
        (command(caseworker_signature=good), "unknown_field"),
        (command(role="caseworker", signature=good, content_hash=expected), "unknown_field"),
    ):
        [answer] = push(KD, sent)
        assert outcomes([answer]) == [rejected(code)], sent
    assert stored_plan(session, plan.id) == (1, plan)

    # The caseworker always signs; only the client may decline (with a reason).
    refusal = Signature(
        KD, SignatureMethod.REFUSED, NOW, content_hash=expected, reason="Wil niet tekenen."
    )
    [answer] = push(KD, sign(plan, "caseworker", refusal))
    assert outcomes([answer]) == [rejected("caseworker_must_sign")]
    assert stored_plan(session, plan.id) == (1, plan)
    declined = replace(refusal, signer="Testa Proefpersoon0")
    assert outcomes(push(KD, sign(plan, "client", declined))) == [APPLIED]
    stored = plan_of(session, plan.id)
    assert stored.client_signature is not None
    assert stored.client_signature.method is SignatureMethod.REFUSED
    assert stored.client_signature.reason == "Wil niet tekenen."
    assert stored.content_hash == expected


def test_a_signed_version_does_not_change_and_an_active_one_only_in_its_progress(
    api: TestClient, session: Session
) -> None:
    org = build_organisation(session)
    push = Pusher(api, org)
    own = org.clients["own"]
    plan, actions = made_plan(push, org)
    expected = content_hash(plan, actions)
    assert outcomes(push(KD, sign(plan, "caseworker", drawn(KD, expected)))) == [APPLIED]
    before = stored_plan(session, plan.id)
    assert before is not None and before[1].signed
    extra = PlanAction(client_id=own, plan_id=plan.id, description="Taalles volgen", rank=3)

    def fixed_after(sent: list[Sent]) -> None:
        """Each entry refused: a field of the plan as not editable, an action as part of a
        signed version."""
        assert outcomes(push(KD, *sent)) == [
            rejected("not_editable" if s[0] == "client_plan" else "plan_signed") for s in sent
        ]

    # Signed, still a draft: no field of the plan, no action (not even its progress) changes.
    signed_refusals: list[Sent] = [
        update(plan, agreements="Eens per maand een gesprek."),
        update(plan, goals=["Alleen werk"]),
        update(plan, next_evaluation="2027-03-01"),
        ("plan_action", extra.id, own, "create", extra.to_fields()),
        update(actions[0], description="Cv en brief bijwerken"),
        update(actions[0], due_date="2027-01-15"),
        update(actions[1], status="in_progress"),
        ("plan_action", actions[2].id, own, "delete", {}),
    ]
    fixed_after(signed_refusals)
    [refused] = push(KD, update(plan, agreements="Toch anders."))
    assert refused["server_values"]["agreements"] == plan.agreements  # the server's copy
    assert stored_plan(session, plan.id) == before
    assert fields(stored_actions(session, plan.id)) == fields(actions)
    assert action_row(session, extra.id) is None

    # Both signed and activated: the active plan.
    answers = push(
        KD,
        sign(plan, "client", on_paper("Testa Proefpersoon0", expected)),
        ("client_plan", plan.id, own, "command", {"command": "activate"}),
    )
    assert outcomes(answers) == [APPLIED, APPLIED]
    active = plan_of(session, plan.id)
    assert active.status is PlanStatus.ACTIVE and active.activated_at is not None
    assert active.content_hash == expected

    # Its progress moves: a status-only update is applied ...
    [moved] = push(KD, update(actions[0], status="done"))
    assert outcomes([moved]) == [APPLIED]
    progressed = stored_actions(session, plan.id)
    assert progressed[0].status is ActionStatus.DONE
    # ... anything that was signed is not, also together with a status.
    active_refusals: list[Sent] = [
        update(plan, agreements="Eens per maand een gesprek."),
        update(actions[1], description="Gesprek met de werkgever"),
        update(actions[1], status="in_progress", description="Gesprek met de werkgever"),
        update(actions[2], owner="client"),
        ("plan_action", actions[2].id, own, "delete", {}),
        ("plan_action", extra.id, own, "create", extra.to_fields()),
    ]
    fixed_after(active_refusals)
    assert fields(stored_actions(session, plan.id)) == fields(
        [replace(actions[0], status=ActionStatus.DONE), *actions[1:]]
    )
    assert plan_of(session, plan.id) == active
    # Progress is not part of what was signed: the content still hashes as signed.
    assert server_hash(session, plan.id) == expected
    # Signing again is for drafts only.
    [again] = push(KD, sign(plan, "caseworker", drawn(KD, expected)))
    assert outcomes([again]) == [rejected("plan_not_editable")]


def test_activation_leaves_the_signed_content_as_it_was(api: TestClient, session: Session) -> None:
    """A plan signed with the evaluation date left empty (the default applies) and activated:
    what the server holds must still be the content both parties signed."""
    org = build_organisation(session)
    push = Pusher(api, org)
    own = org.clients["own"]
    plan, actions = made_plan(push, org, next_evaluation=None)
    expected = content_hash(plan, actions)
    answers = push(
        KD,
        sign(plan, "caseworker", drawn(KD, expected)),
        sign(plan, "client", on_paper("Testa Proefpersoon0", expected)),
        ("client_plan", plan.id, own, "command", {"command": "activate"}),
    )
    assert outcomes(answers) == [APPLIED] * 3
    active = plan_of(session, plan.id)
    assert active.status is PlanStatus.ACTIVE and active.content_hash == expected
    assert server_hash(session, plan.id) == expected


def test_a_signed_plan_is_kept_not_deleted(api: TestClient, session: Session) -> None:
    """An unsigned draft may go; once signed, the version is the record of the agreement."""
    org = build_organisation(session)
    push = Pusher(api, org)
    own = org.clients["own"]
    loose, _ = made_plan(push, org)
    assert outcomes(push(KD, ("client_plan", loose.id, own, "delete", {}))) == [APPLIED]
    plan, actions = made_plan(push, org)
    expected = content_hash(plan, actions)
    assert outcomes(push(KD, sign(plan, "caseworker", drawn(KD, expected)))) == [APPLIED]
    [refused] = push(KD, ("client_plan", plan.id, own, "delete", {}))
    assert outcomes([refused]) == [rejected("plan_signed")]
    kept = stored_plan(session, plan.id)
    assert kept is not None and kept[1].content_hash == expected
    assert len(stored_actions(session, plan.id)) == len(actions)


def test_status_hash_and_signatures_are_set_only_by_the_commands(
    api: TestClient, session: Session
) -> None:
    org = build_organisation(session)
    push = Pusher(api, org)
    own = org.clients["own"]
    plan = draft_for(own)
    actions = actions_for(plan)
    expected = content_hash(plan, actions)
    forged_hash = "f" * 64

    # At create: the device's status, hash, signatures and dates are replaced by a draft's, and
    # the owner is the signed-in user.
    sent = {
        **plan.to_fields(),
        "caseworker": MB,
        "status": "active",
        "content_hash": forged_hash,
        "client_signature": on_paper("Testa Proefpersoon0", forged_hash).to_json(),
        "caseworker_signature": drawn(KD, forged_hash).to_json(),
        "activated_at": NOW.isoformat(),
        "closed_at": NOW.isoformat(),
    }
    answers = push(
        KD,
        ("client_plan", plan.id, own, "create", sent),
        *(("plan_action", a.id, own, "create", a.to_fields()) for a in actions),
    )
    assert outcomes(answers) == [APPLIED] * 4
    # The answer carries what the server stored instead, so the device's copy follows.
    corrected = answers[0]["server_values"]
    forged = {"caseworker", "status", "content_hash", "client_signature", "caseworker_signature"}
    assert forged | {"activated_at", "closed_at"} <= set(corrected)
    assert corrected == {k: plan.to_fields()[k] for k in corrected}
    assert stored_plan(session, plan.id) == (1, plan)
    # The forged hash did not fix the content: the draft still changes.
    assert outcomes(push(KD, update(plan, tegenprestatie="Vrijwilligerswerk bij de ijsclub."))) == [
        APPLIED
    ]
    plan = plan_of(session, plan.id)
    expected = content_hash(plan, actions)

    # By a field edit: refused, before and after signing.
    edits: list[Sent] = [
        update(plan, content_hash=forged_hash),
        update(plan, status="active"),
        update(plan, client_signature=on_paper("Testa Proefpersoon0", forged_hash).to_json()),
        update(plan, caseworker_signature=drawn(KD, expected).to_json()),
        update(plan, activated_at=NOW.isoformat()),
        update(plan, closed_at=NOW.isoformat()),
    ]
    assert outcomes(push(KD, *edits)) == [rejected("command_field")] * len(edits)
    assert stored_plan(session, plan.id) == (2, plan)
    assert outcomes(push(KD, sign(plan, "caseworker", drawn(KD, expected)))) == [APPLIED]
    signed = plan_of(session, plan.id)
    assert outcomes(push(KD, *edits)) == [rejected("command_field")] * len(edits)
    assert plan_of(session, plan.id) == signed
    assert signed.content_hash == expected == server_hash(session, plan.id)

    # The device pulls the server's values.
    seen = pulled(api, org.devices[KD])
    on_device = ClientPlan.from_fields(plan.id, seen[("client_plan", plan.id)])
    assert on_device == signed


def test_a_device_that_asks_gets_a_plans_json_fields_as_their_text(
    api: TestClient, session: Session
) -> None:
    """JSON_TEXT_HEADER: goals and signatures as their JSON text in strings, and the page says
    so; a device that does not ask gets values, and no member it would not know."""
    org = build_organisation(session)
    push = Pusher(api, org)
    plan, actions = made_plan(push, org)
    [answer] = push(KD, sign(plan, "caseworker", drawn(KD, content_hash(plan, actions))))
    assert outcomes([answer]) == [APPLIED]
    device = org.devices[KD]

    def plan_page(headers: dict[str, str]) -> dict[str, Any]:
        page = api.post("/v1/sync/pull", json={"limit": 1000}, headers=headers)
        assert page.status_code == 200, page.text
        body: dict[str, Any] = page.json()
        return body

    as_values = plan_page(device.headers)
    as_text = plan_page({**device.headers, JSON_TEXT_HEADER: "1"})
    assert "json_text" not in as_values and as_text["json_text"] is True
    [valued] = [r for r in as_values["records"] if r["id"] == plan.id]
    [texted] = [r for r in as_text["records"] if r["id"] == plan.id]
    json_fields = ("obligations", "goals", "client_signature", "caseworker_signature")
    assert valued["fields"]["caseworker_signature"]["strokes"]
    for name in json_fields:
        text = texted["fields"][name]
        assert text is None or isinstance(text, str), name
        assert (None if text is None else json.loads(text)) == valued["fields"][name], name
    rest = {k: v for k, v in texted["fields"].items() if k not in json_fields}
    assert rest == {k: v for k, v in valued["fields"].items() if k not in json_fields}
    # A page the device's own model reads as it is, whichever it asked for.
    assert Page.model_validate(as_text).json_text and not Page.model_validate(as_values).json_text
