"""Client plans end to end, through the services the Plan tab calls (`app.services.plan`) and a
real server process (uvicorn on 127.0.0.1, SQLite and PostgreSQL), with two devices of one
caseworker:

- different actions of one draft changed offline on each device merge (actions are records of
  their own); the same action field changed on both is one conflict on the later device;
- a signature on one device fixes the version: the other device's offline edit of the signed
  version is refused by the server, kept on that device as a conflict with what was typed, and
  the device ends up holding the signed version unchanged;
- signed by both (the client on paper) and activated offline on one device: the server holds the
  active plan with the content hash of its own rows, and the other device pulls it active; its
  progress then moves on either device.

Every client here is made up on the caseworker's device (generated names and BSNs).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.domain.client import Client
from app.domain.plan import (
    ActionOwner,
    ClientPlan,
    PlanAction,
    Signature,
    SignatureMethod,
    SignerRole,
    content_hash,
)
from app.domain.schema import field_names
from app.domain.states import ActionStatus, PlanStatus
from app.services import plan as plan_service
from app.storage import sync_state
from app.sync.engine import SyncReport
from server.db import make_engine
from server.models import plan_actions
from tests.central import Central
from tests.e2e import test_intake_review_e2e as intake_e2e
from tests.e2e import test_sync_scenarios as scenarios
from tests.e2e.test_sync_e2e import Device

# The module-scoped server (both backends, a small demo caseload); a fixture from another test
# module is found by pytest only when it is a name in this module too.
central = intake_e2e.central
home = intake_e2e.home

CASEWORKER = "k.dijkstra"
STROKES = (((10.0, 40.0, 0.5, 0), (60.0, 20.0, 0.6, 16), (120.0, 45.0, 0.5, 32)),)


# --------------------------------------------------------------------------------------------
# Helpers: a written draft, signatures, both sides' view of a plan.


def _sync(device: Device) -> tuple[SyncReport, list[tuple[str, str | None]]]:
    report, wire = scenarios._sync(device)
    return report, wire.statuses


def _enroll(central: Central, home: Path, username: str) -> Device:
    return scenarios._enroll(central, home, username)


def _client(device: Device) -> Client:
    return intake_e2e._new_client(device, ())


def _written_draft(device: Device, client: Client) -> tuple[ClientPlan, list[PlanAction]]:
    """A draft as the Plan tab writes it: field by field, then two actions."""
    store = device.store
    plan = plan_service.start_plan(store, client_id=client.id, caseworker=CASEWORKER)
    for name, value in (
        ("goals", ("Werk in de zorg", "Financiële rust")),
        ("support_offered", "Begeleiding naar werk."),
        ("obligations", ("werk_verkrijgen",)),
        ("agreements", "Elke twee weken een gesprek."),
        ("own_words", "Ik wil weer zelf mijn rekeningen betalen."),
    ):
        plan = plan_service.save_plan(store, plan_id=plan.id, values={name: value})
    first = plan_service.add_action(
        store, plan_id=plan.id, description="Cv bijwerken", due_date=date.today() + timedelta(30)
    )
    second = plan_service.add_action(
        store,
        plan_id=plan.id,
        description="Intake schuldhulp",
        owner=ActionOwner.PARTNER,
        partner="Schuldhulp Noord-Groningen",
    )
    return plan, [first, second]


def _drawn(signer: str) -> Signature:
    return Signature(
        signer,
        SignatureMethod.DIGITAL,
        datetime.now(UTC),
        strokes=STROKES,
        pad_width=560.0,
        pad_height=220.0,
    )


def _on_paper(signer: str) -> Signature:
    return Signature(signer, SignatureMethod.PAPER, datetime.now(UTC), paper_date=date.today())


def _version(device: Device, client_id: str, plan_id: str) -> plan_service.PlanVersion:
    found = plan_service.plan_view(device.store, client_id).version(plan_id)
    assert found is not None
    return found


def _action_fields(actions: tuple[PlanAction, ...] | list[PlanAction]) -> list[dict[str, Any]]:
    return [{"id": a.id, **a.to_fields()} for a in actions]


def _server_plan(central: Central, plan_id: str) -> ClientPlan:
    found = scenarios._server_record(central, ClientPlan, plan_id)
    assert found is not None
    return found[1]


def _server_actions(central: Central, plan_id: str) -> list[PlanAction]:
    """The plan's live actions as the server's own rows hold them, in their order."""
    engine = make_engine(central.database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(plan_actions)
                .where(plan_actions.c.plan_id == plan_id, plan_actions.c.deleted.is_(False))
                .order_by(plan_actions.c.rank, plan_actions.c.id)
            ).all()
    finally:
        engine.dispose()
    names = field_names(PlanAction.ENTITY)
    return [PlanAction.from_fields(str(r.id), {k: r._mapping[k] for k in names}) for r in rows]


def _all_applied(statuses: list[tuple[str, str | None]]) -> None:
    assert statuses and all(s == ("applied", None) for s in statuses), statuses


# --------------------------------------------------------------------------------------------
# 1. Two devices on one draft: different actions merge, the same action field conflicts.


def test_two_devices_edit_the_actions_of_one_draft(central: Central, home: Path) -> None:
    a = _enroll(central, home, CASEWORKER)
    b = _enroll(central, home, CASEWORKER)
    try:
        _sync(a)
        client = _client(a)
        plan, (first, second) = _written_draft(a, client)
        _all_applied(_sync(a)[1])
        _sync(b)
        assert _action_fields(_version(b, client.id, plan.id).actions) == _action_fields(
            [first, second]
        )

        # Offline: a moves the first action's due date; b starts the second, rewords it, and
        # adds a third.
        due = date.today() + timedelta(days=45)
        on_a = plan_service.save_action(a.store, action_id=first.id, values={"due_date": due})
        on_b = plan_service.save_action(
            b.store,
            action_id=second.id,
            values={"status": "in_progress", "description": "Intake schuldhulp, met de partner"},
        )
        third = plan_service.add_action(
            b.store, plan_id=plan.id, description="Taalles volgen", owner=ActionOwner.CLIENT
        )
        assert (on_a.due_date, on_b.status, third.rank) == (due, ActionStatus.IN_PROGRESS, 2)

        _all_applied(_sync(a)[1])
        report, statuses = _sync(b)
        assert report.conflicts == report.rejected == 0
        assert len(statuses) == 2 and all(s[0] in ("applied", "merged") for s in statuses)
        _sync(a)

        # Both devices and the server hold every change, nothing else.
        expected = _action_fields([on_a, on_b, third])
        assert _action_fields(_server_actions(central, plan.id)) == expected
        for device in (a, b):
            assert _action_fields(_version(device, client.id, plan.id).actions) == expected
            assert sync_state.open_conflicts(device.store) == []
            scenarios._assert_holds_whole(central, device, client.id)
        assert scenarios._server_conflicts(central, first.id) == []
        assert scenarios._server_conflicts(central, second.id) == []

        # The same field of the same action, differently: the first to sync holds; the later
        # device keeps its own words as exactly one conflict on that field.
        plan_service.save_action(
            a.store, action_id=third.id, values={"description": "Taalles volgen bij het Taalhuis"}
        )
        plan_service.save_action(
            b.store, action_id=third.id, values={"description": "Taalles volgen, twee avonden"}
        )
        _all_applied(_sync(a)[1])
        report, statuses = _sync(b)
        assert statuses == [("conflict", None)] and report.conflicts == 1
        [kept] = sync_state.open_conflicts(b.store)
        assert (kept.entity, kept.record_id, kept.client_id, kept.field) == (
            "plan_action",
            third.id,
            client.id,
            "description",
        )
        assert (kept.base, kept.mine, kept.theirs) == (
            "Taalles volgen",
            "Taalles volgen, twee avonden",
            "Taalles volgen bij het Taalhuis",
        )
        assert sync_state.open_conflicts(a.store) == []
        _sync(a)
        for device in (a, b):
            held = [x for x in _version(device, client.id, plan.id).actions if x.id == third.id]
            assert [x.description for x in held] == ["Taalles volgen bij het Taalhuis"]
            scenarios._assert_holds_whole(central, device, client.id)
    finally:
        a.store.close()
        b.store.close()


# --------------------------------------------------------------------------------------------
# 2. Signed on one device; the other edits its stale draft copy offline.


def test_an_edit_of_a_version_signed_elsewhere_is_refused_and_kept(
    central: Central, home: Path
) -> None:
    a = _enroll(central, home, CASEWORKER)
    b = _enroll(central, home, CASEWORKER)
    try:
        _sync(a)
        client = _client(a)
        plan, (first, _second) = _written_draft(a, client)
        _all_applied(_sync(a)[1])
        _sync(b)

        # a: the caseworker signs (the content is fixed from now on) and syncs.
        signed = plan_service.sign_plan(
            a.store, plan_id=plan.id, role=SignerRole.CASEWORKER, signature=_drawn(CASEWORKER)
        )
        assert signed.signed and signed.status is PlanStatus.DRAFT
        _all_applied(_sync(a)[1])
        on_server = _server_plan(central, plan.id)
        assert on_server.content_hash == signed.content_hash is not None

        # b, offline and not pulled yet, still sees an unsigned draft and changes the agreements
        # and the first action's words.
        stale = _version(b, client.id, plan.id).plan
        assert not stale.signed and stale.editable
        typed = "Elke week een gesprek, ook over de kinderopvang."
        worded = "Cv bijwerken met de klantmanager"
        plan_service.save_plan(b.store, plan_id=plan.id, values={"agreements": typed})
        plan_service.save_action(b.store, action_id=first.id, values={"description": worded})

        report, statuses = _sync(b)
        # The server refuses both: a signed version's fields, and its actions.
        assert statuses == [("rejected", "not_editable"), ("rejected", "plan_signed")]
        assert report.rejected == 2 and report.conflicts == 0
        assert b.store.pending_count() == 0

        # b holds the signed version unchanged, exactly as the server does ...
        held = _version(b, client.id, plan.id)
        assert held.plan == on_server
        assert held.plan.agreements == signed.agreements
        assert [x.description for x in held.actions] == ["Cv bijwerken", "Intake schuldhulp"]
        assert content_hash(held.plan, held.actions) == on_server.content_hash
        scenarios._assert_holds_whole(central, b, client.id)
        # ... and nothing typed is lost: each refused value waits on b as a conflict, with the
        # server's reason and the value the server kept.
        kept = {
            (c.entity, c.record_id, c.field): (c.kind, c.code, c.mine, c.theirs)
            for c in sync_state.open_conflicts(b.store)
        }
        assert kept == {
            ("client_plan", plan.id, "agreements"): (
                "rejected",
                "not_editable",
                typed,
                signed.agreements,
            ),
            ("plan_action", first.id, "description"): (
                "rejected",
                "plan_signed",
                worded,
                "Cv bijwerken",
            ),
        }
        # The server keeps them too (the device may lose the client before anyone looks).
        assert [c[:3] for c in scenarios._server_conflicts(central, plan.id)] == [
            ("agreements", "Elke twee weken een gesprek.", typed)
        ]
        assert [c[:3] for c in scenarios._server_conflicts(central, first.id)] == [
            ("description", "Cv bijwerken", worded)
        ]
        # a is not touched by any of it.
        _sync(a)
        assert sync_state.open_conflicts(a.store) == []
        scenarios._assert_holds_whole(central, a, client.id)
    finally:
        a.store.close()
        b.store.close()


# --------------------------------------------------------------------------------------------
# 3. Signed by both and activated offline on one device; the other pulls the active plan.


def test_a_plan_signed_by_both_offline_becomes_active_everywhere(
    central: Central, home: Path
) -> None:
    a = _enroll(central, home, CASEWORKER)
    b = _enroll(central, home, CASEWORKER)
    try:
        _sync(a)
        _sync(b)
        # All offline on a: the client, the draft, the client's signature on paper and the
        # caseworker's on screen (the second signature activates the plan).
        client = _client(a)
        plan, actions = _written_draft(a, client)
        # The caseworker sets the evaluation date (one left empty is filled in on activation,
        # after the content was fixed: see test_plan_sync's evaluation test).
        evaluation = date.today() + timedelta(days=180)
        plan_service.save_plan(a.store, plan_id=plan.id, values={"next_evaluation": evaluation})
        expected = content_hash(_version(a, client.id, plan.id).plan, actions)
        plan_service.sign_plan(
            a.store,
            plan_id=plan.id,
            role=SignerRole.CLIENT,
            signature=_on_paper(client.name.display()),
        )
        active = plan_service.sign_plan(
            a.store, plan_id=plan.id, role=SignerRole.CASEWORKER, signature=_drawn(CASEWORKER)
        )
        assert active.status is PlanStatus.ACTIVE and active.content_hash == expected

        report, statuses = _sync(a)
        _all_applied(statuses)
        assert report.rejected == report.conflicts == 0

        # The server: active, both signatures of the content it holds itself.
        on_server = _server_plan(central, plan.id)
        server_actions = _server_actions(central, plan.id)
        assert on_server.status is PlanStatus.ACTIVE and on_server.activated_at is not None
        assert on_server.next_evaluation == evaluation
        assert on_server.content_hash == content_hash(on_server, server_actions) == expected
        assert on_server.client_signature is not None
        assert on_server.caseworker_signature is not None
        assert on_server.client_signature.method is SignatureMethod.PAPER
        assert on_server.client_signature.content_hash == expected
        assert on_server.caseworker_signature.content_hash == expected
        assert _action_fields(server_actions) == _action_fields(actions)

        # b pulls it active; both devices hold what the server holds.
        _sync(b)
        on_b = _version(b, client.id, plan.id)
        assert on_b.plan == on_server and on_b.plan.status is PlanStatus.ACTIVE
        assert plan_service.plan_view(b.store, client.id).active == on_b
        for device in (a, b):
            scenarios._assert_holds_whole(central, device, client.id)

        # Progress is not part of what was signed: b marks an action started, it reaches a.
        plan_service.save_action(
            b.store, action_id=actions[0].id, values={"status": ActionStatus.IN_PROGRESS.value}
        )
        _all_applied(_sync(b)[1])
        _sync(a)
        on_a = _version(a, client.id, plan.id)
        assert on_a.actions[0].status is ActionStatus.IN_PROGRESS
        assert on_a.plan.content_hash == content_hash(on_a.plan, on_a.actions) == expected
        for device in (a, b):
            assert sync_state.open_conflicts(device.store) == []
            scenarios._assert_holds_whole(central, device, client.id)
    finally:
        a.store.close()
        b.store.close()
