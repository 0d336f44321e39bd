"""The Plan tab's service: a draft written with the client, actions as records, the signatures
that fix a version's content, activation that closes the plan it replaces, new versions with
what changed, and the printed document built in memory with every print and save audited.

Every name here is made up; the BSNs are generated to pass the 11-check.
"""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from app.domain.client import Client
from app.domain.errors import DomainError
from app.domain.plan import (
    ActionOwner,
    ClientPlan,
    PlanAction,
    Signature,
    SignatureMethod,
    SignerRole,
    content_hash,
)
from app.domain.states import ActionStatus, PlanStatus
from app.domain.values import Address, Bsn, PersonName, Postcode
from app.services import documents
from app.services import plan as service
from app.storage.store import Store
from tests.services.profiles import opened_profile

CASEWORKER = "k.dijkstra"
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)
STROKES = (((10.0, 40.0, 0.5, 0), (60.0, 20.0, 0.6, 16), (120.0, 45.0, 0.5, 32)),)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with opened_profile(tmp_path, "plan", username=CASEWORKER, role="caseworker") as opened:
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


def drawn(signer: str) -> Signature:
    return Signature(signer, SignatureMethod.DIGITAL, NOW, strokes=STROKES, pad_width=560.0)


def written_plan(store: Store, client: Client) -> ClientPlan:
    plan = service.start_plan(store, client_id=client.id, caseworker=CASEWORKER, today=TODAY)
    service.save_plan(
        store,
        plan_id=plan.id,
        values={
            "goals": ("Financiële rust", "Werk in de zorg"),
            "support_offered": "Begeleiding naar werk",
            "obligations": ("werk_verkrijgen", "registratie_werkzoekende"),
            "own_words": "Ik wil weer zelf mijn rekeningen betalen.",
        },
    )
    service.add_action(
        store, plan_id=plan.id, description="Cv bijwerken", due_date=date(2026, 12, 15)
    )
    service.add_action(
        store,
        plan_id=plan.id,
        description="Intake schuldhulp",
        owner=ActionOwner.PARTNER,
        partner="Schuldhulp Noord-Groningen",
    )
    return plan


def journal(store: Store) -> list[tuple[str, str, dict[str, Any]]]:
    return [(e.entity, e.op, e.new_values) for e in store.journal_entries()]


def test_a_first_plan_is_a_draft_on_the_clients_letterhead(store: Store, client: Client) -> None:
    plan = service.start_plan(store, client_id=client.id, caseworker=CASEWORKER, today=TODAY)
    assert (plan.revision, plan.status, plan.previous_id) == (1, PlanStatus.DRAFT, None)
    assert plan.municipality == "Het Hogeland"
    assert plan.consequences  # the default text of the reference data, to adapt
    with pytest.raises(DomainError) as refused:
        service.start_plan(store, client_id=client.id, caseworker=CASEWORKER, today=TODAY)
    assert refused.value.code == "plan_draft_open"
    # Before the merger the letterhead was the former municipality's.
    store.delete(ClientPlan, plan.id)
    old = service.start_plan(
        store, client_id=client.id, caseworker=CASEWORKER, today=date(2018, 6, 1)
    )
    assert old.municipality == "De Marne"


def test_actions_are_records_of_their_own_each_change_its_own_entry(
    store: Store, client: Client
) -> None:
    plan = written_plan(store, client)
    view = service.plan_view(store, client.id, today=TODAY)
    current = view.current
    assert current is not None and current.plan.id == plan.id
    assert [a.description for a in current.actions] == ["Cv bijwerken", "Intake schuldhulp"]
    first, second = current.actions
    assert (second.owner, second.partner, second.rank) == (
        ActionOwner.PARTNER,
        "Schuldhulp Noord-Groningen",
        1,
    )
    before = len(store.journal_entries())
    service.save_action(store, action_id=first.id, values={"due_date": date(2027, 1, 5)})
    entries = store.journal_entries()[before:]
    assert [(e.entity, e.record_id, e.op, e.new_values) for e in entries] == [
        ("plan_action", first.id, "update", {"due_date": "2027-01-05"})
    ]
    moved = service.move_action(store, action_id=second.id, offset=-1)
    assert [a.description for a in moved] == ["Intake schuldhulp", "Cv bijwerken"]
    service.remove_action(store, action_id=first.id)
    assert [a.id for a in store.for_client(PlanAction, client.id)] == [second.id]
    with pytest.raises(DomainError):
        service.add_action(
            store, plan_id=plan.id, description="Bij wie?", owner=ActionOwner.PARTNER
        )


def test_signatures_fix_the_content_and_activation_closes_the_plan_it_replaces(
    store: Store, client: Client
) -> None:
    plan = written_plan(store, client)
    first = service.sign_plan(
        store, plan_id=plan.id, role=SignerRole.CASEWORKER, signature=drawn("K. Dijkstra")
    )
    actions = store.for_client(PlanAction, client.id)
    assert first.content_hash == content_hash(first, actions)
    assert first.caseworker_signature is not None
    assert first.caseworker_signature.content_hash == first.content_hash
    assert first.status is PlanStatus.DRAFT and not first.editable
    # Signed: neither the plan nor its actions change; a new version is the way.
    with pytest.raises(DomainError) as refused:
        service.save_plan(store, plan_id=plan.id, values={"agreements": "Anders"})
    assert refused.value.code == "plan_signed"
    for change in (
        lambda: service.add_action(store, plan_id=plan.id, description="Nog iets"),
        lambda: service.save_action(
            store, action_id=actions[0].id, values={"description": "Ander cv"}
        ),
        lambda: service.remove_action(store, action_id=actions[0].id),
    ):
        with pytest.raises(DomainError):
            change()
    paper = Signature(
        "IJsbrand van Eijk", SignatureMethod.PAPER, NOW, paper_date=date(2026, 11, 20)
    )
    active = service.sign_plan(
        store, plan_id=plan.id, role=SignerRole.CLIENT, signature=paper, at=NOW
    )
    assert active.status is PlanStatus.ACTIVE
    # Evaluated a year after the later signature (the paper's date counts for the client).
    assert active.evaluation_due() == date(2027, 11, 23)
    assert active.content_hash == content_hash(active, store.for_client(PlanAction, client.id))
    commands = [v.get("command") for e, op, v in journal(store) if e == "client_plan"]
    assert commands[-3:] == ["sign", "sign", "activate"]
    sign = [v for e, op, v in journal(store) if v.get("command") == "sign"][-1]
    assert sign["role"] == "client" and sign["signature"]["content_hash"] == active.content_hash

    # Progress on an active plan is not a change of what was signed.
    service.save_action(store, action_id=actions[0].id, values={"status": "in_progress"})
    stored = store.get(PlanAction, actions[0].id)
    assert stored is not None and stored.status is ActionStatus.IN_PROGRESS

    # A new version copies the content and the open actions; signed, it replaces the old one.
    second = service.start_plan(store, client_id=client.id, caseworker=CASEWORKER, today=TODAY)
    assert (second.revision, second.previous_id, second.status) == (2, plan.id, PlanStatus.DRAFT)
    assert second.goals == active.goals and second.client_signature is None
    service.save_plan(store, plan_id=second.id, values={"agreements": "Elke maand een gesprek"})
    view = service.plan_view(store, client.id, today=TODAY)
    assert view.current is not None and view.current.plan.id == second.id
    copied = view.current.actions
    assert {a.description for a in copied} == {"Cv bijwerken", "Intake schuldhulp"}
    assert all(a.status is ActionStatus.OPEN and a.plan_id == second.id for a in copied)
    assert [(c.kind, c.name) for c in view.current.changes] == [("field", "agreements")]
    for role, who in ((SignerRole.CLIENT, "IJsbrand van Eijk"), (SignerRole.CASEWORKER, "K.")):
        service.sign_plan(store, plan_id=second.id, role=role, signature=drawn(who), at=NOW)
    plans = {p.id: p for p in store.for_client(ClientPlan, client.id)}
    assert (plans[plan.id].status, plans[second.id].status) == (
        PlanStatus.CLOSED,
        PlanStatus.ACTIVE,
    )


def test_the_caseworker_cannot_decline_and_a_refusal_needs_a_reason(
    store: Store, client: Client
) -> None:
    plan = written_plan(store, client)
    with pytest.raises(DomainError):
        Signature("Cliënt", SignatureMethod.REFUSED, NOW)
    refusal = Signature(
        "IJsbrand van Eijk", SignatureMethod.REFUSED, NOW, reason="Wil eerst overleggen"
    )
    with pytest.raises(DomainError) as refused:
        service.sign_plan(store, plan_id=plan.id, role=SignerRole.CASEWORKER, signature=refusal)
    assert refused.value.code == "caseworker_must_sign"
    signed = service.sign_plan(store, plan_id=plan.id, role=SignerRole.CLIENT, signature=refusal)
    assert signed.client_signature is not None
    assert signed.client_signature.method is SignatureMethod.REFUSED


def _pdftotext(data: bytes, tmp_path: Path) -> str:
    source = tmp_path / "plan.pdf"
    source.write_bytes(data)
    found = subprocess.run(
        ["pdftotext", str(source), "-"], check=True, capture_output=True, text=True
    )
    source.unlink()
    return " ".join(found.stdout.split())  # a table cell may wrap


def test_the_plan_prints_from_memory_and_printing_and_saving_are_audited(
    store: Store, client: Client, tmp_path: Path
) -> None:
    plan = written_plan(store, client)
    service.sign_plan(
        store, plan_id=plan.id, role=SignerRole.CASEWORKER, signature=drawn("Karin Dijkstra")
    )
    events_before = len(store.audit_events(client_id=client.id))
    data = documents.plan_pdf(
        store, plan_id=plan.id, caseworker_name="Karin Dijkstra", printed_on=TODAY
    )
    assert data.startswith(b"%PDF")
    # Building the document is not an act: nothing audited, nothing on disk.
    assert len(store.audit_events(client_id=client.id)) == events_before
    text = _pdftotext(data, tmp_path)
    for expected in (
        "IJsbrand van Eijk",
        "Financiële rust",
        "Schuldhulp Noord-Groningen",
        "Ik wil weer zelf mijn rekeningen betalen.",
        "Gemeente Het Hogeland",
        "******333",  # the BSN printed masked
    ):
        assert expected in text, expected
    assert "111222333" not in text
    stored = store.get(ClientPlan, plan.id)
    assert stored is not None and stored.content_hash is not None
    assert stored.content_hash[:12] in text

    documents.record_plan_printed(store, plan_id=plan.id, copies=2, pages=3)
    target = tmp_path / "uit" / "plan.pdf"
    target.parent.mkdir()
    documents.save_plan_pdf(store, plan_id=plan.id, data=data, path=target)
    assert target.read_bytes() == data
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    acts = [(e.action, e.details) for e in store.audit_events(client_id=client.id)[events_before:]]
    assert acts == [
        ("print", {"revision": 1, "copies": 2, "pages": 3}),
        ("export", {"revision": 1, "format": "pdf"}),
    ]
    assert str(target) not in str(acts)
