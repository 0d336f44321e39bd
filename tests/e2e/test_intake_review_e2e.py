"""The intake review cycle end to end, through the services the screens call
(`app.services.intake`, `app.services.review`, `app.services.sync`) and a real server process
(uvicorn on 127.0.0.1, SQLite and PostgreSQL):

- the full loop: a caseworker fills an intake offline field by field and submits it, the team
  lead comments on two sections and returns it, the caseworker answers one thread, resolves the
  other, edits two answers and resubmits, the team lead sees exactly what changed, resolves the
  last thread and approves; rounds and threads travel both ways, the client leaves the team
  lead's device;
- the decision arriving at a second device of the caseworker that edited its stale draft copy
  offline: the edit is not lost, the team lead's threads arrive;
- two devices of one caseworker editing one draft: different domains merge, the same domain
  score becomes one conflict on the later device.

Every client here is made up on the caseworker's device (generated names and BSNs, nothing
real), so these tests do not depend on the demo caseload the server is seeded with.
"""

from __future__ import annotations

import random
import string
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from app.domain.client import Client, Enrollment
from app.domain.errors import DomainError
from app.domain.intake import Intake
from app.domain.intake_fields import (
    IntakeSection,
    consent_field,
    remark_field,
    score_field,
    taal_field,
    topic_field,
)
from app.domain.reference import (
    Scheme,
    self_sufficiency_domains,
    taaleis_skills,
    wmo_topics,
)
from app.domain.review import Decision, IntakeRound, ThreadStatus
from app.domain.roles import Role
from app.domain.states import IntakeStatus
from app.domain.values import Address, Bsn, PersonName, Postcode
from app.services import conflicts as conflicts_service
from app.services import intake as intake_service
from app.services import review as review_service
from app.storage import sync_state
from app.storage.store import Store
from app.sync.engine import SyncReport
from server.policy import TEAM_LEAD_ENTITIES
from tests.central import POSTGRES_ADMIN, Central, running_central
from tests.e2e import test_sync_scenarios as scenarios
from tests.e2e.test_sync_e2e import Device

CASEWORKER = "k.dijkstra"
TEAM_LEAD = "t.mulder"
SCHEMES = (Scheme.PARTICIPATIEWET.value, Scheme.WMO.value)
# Generated names and BSNs only; seeded so a failing run can be repeated.
_names = random.Random(20240611)


@pytest.fixture(params=["sqlite", "postgresql"], scope="module")
def central(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Central]:
    """The same server as the other end-to-end tests, seeded with a small demo caseload (the
    clients under review here are made on the devices)."""
    admin = None
    if request.param == "sqlite":
        database_url = f"sqlite:///{tmp_path_factory.mktemp('central') / 'central.db'}"
    else:
        admin = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
        name = f"veldwerk_e2e_{uuid.uuid4().hex[:10]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        database_url = admin.url.set(database=name).render_as_string(hide_password=False)
    with running_central(database_url, clients=4, seed=11) as running:
        yield running
    if admin is not None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


# --------------------------------------------------------------------------------------------
# Helpers: a made-up client, an intake filled in field by field, sync with what the server said.


def _bsn() -> Bsn:
    """Nine digits passing the 11-check; random, so no real person's number on purpose."""
    while True:
        head = str(_names.randrange(10_000_000, 100_000_000))
        check = sum((9 - i) * int(d) for i, d in enumerate(head)) % 11
        if check < 10:
            return Bsn(head + str(check))


def _word(length: int) -> str:
    return "".join(_names.choices(string.ascii_lowercase, k=length)).capitalize()


def _new_client(device: Device, schemes: tuple[str, ...] = SCHEMES) -> Client:
    """A client registered on the caseworker's device (offline), enrolled in `schemes`."""
    today = date.today()
    client = device.store.create(
        Client(
            bsn=_bsn(),
            name=PersonName(surname=f"Proef{_word(6).lower()}", first_names=_word(5)),
            date_of_birth=date(1984, 3, 9),
            address=Address(
                street="Proefstraat",
                house_number=_names.randrange(1, 200),
                postcode=Postcode("9974 AB"),
                village="Zoutkamp",
                municipality="De Marne",
            ),
            caseworker=CASEWORKER,
            participation_step=2,
        )
    )
    for scheme in schemes:
        device.store.create(
            Enrollment(
                client_id=client.id,
                scheme=Scheme(scheme),
                start_date=today - timedelta(days=20),
                caseworker=CASEWORKER,
                consent_given=True,
                consent_date=today - timedelta(days=20),
            )
        )
    return client


def _answers(schemes: tuple[str, ...]) -> dict[str, Any]:
    """Every answer the form asks of a client with these schemes, one field each."""
    today = date.today()
    values: dict[str, Any] = {}
    for n, domain in enumerate(self_sufficiency_domains()):
        values[score_field(domain.key)] = n % 5 + 1
        values[remark_field(domain.key)] = f"Opmerking over {domain.key}."
    values |= {
        "ladder_current": 2,
        "ladder_target": 4,
        "barriers": "Schulden bij twee schuldeisers.",
        "strengths": "Wil graag aan de slag.",
        "household_situation": "Woont alleen.",
    }
    values |= {consent_field(code): True for code in schemes}
    if Scheme.PARTICIPATIEWET in schemes:
        values |= {
            "pw_melding_date": (today - timedelta(days=12)).isoformat(),
            "pw_aanvraag_date": (today - timedelta(days=10)).isoformat(),
            "pw_art9_explained": True,
            "pw_art18_explained": True,
        }
        values |= {taal_field(s.key): "voldoet" for s in taaleis_skills()}
    if Scheme.WMO in schemes:
        values |= {
            "wmo_melding_date": (today - timedelta(days=9)).isoformat(),
            "wmo_aanvraag_date": (today - timedelta(days=8)).isoformat(),
            "wmo_clientondersteuning_told": True,
            "wmo_personal_plan_told": True,
            "wmo_identity_checked": True,
            "wmo_mantelzorger_present": False,
        }
        values |= {topic_field(t.key): f"Besproken: {t.key}." for t in wmo_topics()}
    return values


def _fill(store: Store, intake_id: str, values: dict[str, Any]) -> Intake:
    """As the form saves: one field at a time, each its own journal entry."""
    saved = None
    for name, value in values.items():
        saved = intake_service.save_answers(store, intake_id=intake_id, values={name: value})
    assert saved is not None
    return saved


def _draft(device: Device, schemes: tuple[str, ...] = SCHEMES) -> tuple[Client, Intake]:
    client = _new_client(device, schemes)
    draft = intake_service.start_intake(device.store, client_id=client.id, caseworker=CASEWORKER)
    return client, draft


def _sync(device: Device) -> tuple[SyncReport, list[tuple[str, str | None]], scenarios.Recording]:
    report, wire = scenarios._sync(device)
    return report, wire.statuses, wire


def _enroll(central: Central, home: Path, username: str) -> Device:
    return scenarios._enroll(central, home, username)


def _view(device: Device, client_id: str) -> intake_service.IntakeView:
    return intake_service.intake_view(device.store, client_id)


def _round(view: intake_service.IntakeView, number: int) -> IntakeRound:
    [found] = [r for r in view.rounds if r.number == number]
    return found


def _queued(device: Device, intake_id: str) -> review_service.QueueItem:
    [item] = [q for q in review_service.review_queue(device.store) if q.intake_id == intake_id]
    return item


def _all_applied(statuses: list[tuple[str, str | None]]) -> None:
    assert statuses and all(s == ("applied", None) for s in statuses), statuses


# --------------------------------------------------------------------------------------------
# 1. The full loop.


def test_intake_review_loop_through_the_services(central: Central, home: Path) -> None:
    cw = _enroll(central, home, CASEWORKER)
    lead = _enroll(central, home, TEAM_LEAD)
    try:
        _sync(cw)
        _sync(lead)

        # Offline: a new client with a Participatiewet and a Wmo enrollment, and the intake.
        client, draft = _draft(cw)
        view = _view(cw, client.id)
        assert set(view.schemes) == set(SCHEMES)
        assert IntakeSection.WMO in view.sections
        answers = _answers(view.schemes)
        assert set(view.missing) <= set(answers)
        assert len([n for n in answers if n.startswith("score_")]) == 13
        before = cw.store.pending_count()
        _fill(cw.store, draft.id, answers)
        assert cw.store.pending_count() == before + len(answers)
        assert _view(cw, client.id).missing == ()
        submitted = intake_service.submit_intake(cw.store, intake_id=draft.id, schemes=view.schemes)
        assert submitted.status is IntakeStatus.SUBMITTED and submitted.round == 1
        assert not submitted.editable

        report, statuses, _ = _sync(cw)
        _all_applied(statuses)
        assert report.rejected == report.conflicts == 0 and cw.store.pending_count() == 0
        on_server = scenarios._server_record(central, Intake, draft.id)
        assert on_server is not None
        assert on_server[1].status is IntakeStatus.SUBMITTED and on_server[1].round == 1
        # The caseworker's device received the round the server wrote on submitting.
        assert [(r.number, r.decision) for r in _view(cw, client.id).rounds] == [(1, None)]

        # The team lead's device gets the client (it waits for review) and queues the intake.
        _, _, wire = _sync(lead)
        assert client.id in wire.entered
        item = _queued(lead, draft.id)
        assert (item.round, item.open_threads, item.caseworker) == (1, 0, CASEWORKER)
        assert item.client_id == client.id and item.client_name == client.name.display()
        # Returning needs something that has to change.
        with pytest.raises(DomainError) as refused:
            review_service.return_intake(lead.store, intake_id=draft.id, reviewer=TEAM_LEAD)
        assert refused.value.code == "review_comment_required"
        said = {
            IntakeSection.SCORES: "De score voor financiën past niet bij de schulden.",
            IntakeSection.WMO: "Graag de behoefte concreter beschrijven.",
        }
        started = {
            section: intake_service.add_comment(
                lead.store,
                intake_id=draft.id,
                section=section,
                text=words,
                author=TEAM_LEAD,
                role=Role.TEAM_LEAD,
            )
            for section, words in said.items()
        }
        assert _queued(lead, draft.id).open_threads == 2
        returned = review_service.return_intake(lead.store, intake_id=draft.id, reviewer=TEAM_LEAD)
        assert returned.status is IntakeStatus.RETURNED
        report, statuses, wire = _sync(lead)
        _all_applied(statuses)
        assert len(statuses) == 3
        # A returned intake waits for nobody's review: the client leaves the lead's device.
        assert client.id in wire.exited
        assert lead.store.get(Client, client.id) is None

        # The caseworker's device: returned, both threads beside their sections, round 1 decided.
        _sync(cw)
        view = _view(cw, client.id)
        assert view.intake is not None
        assert view.intake.status is IntakeStatus.RETURNED and view.intake.editable
        assert view.intake.reviewer == TEAM_LEAD
        assert {t.section: t.start.text for t in view.threads} == said
        for thread in view.threads:
            assert thread.open and thread.answers == ()
            assert thread.start.id == started[thread.section].id == thread.start.thread_id
            assert (thread.start.author, thread.start.author_role) == (TEAM_LEAD, Role.TEAM_LEAD)
            assert thread.start.round == 1
        [first] = view.rounds
        assert (first.number, first.decision, first.reviewer) == (1, Decision.RETURNED, TEAM_LEAD)
        assert first.content == submitted.content()
        assert view.last_decided_round() == first
        assert view.changed_since_last_round() == ()

        # The caseworker answers the scores thread, resolves the Wmo one, edits two answers.
        scores_thread = started[IntakeSection.SCORES].id
        wmo_thread = started[IntakeSection.WMO].id
        answer = intake_service.add_comment(
            cw.store,
            intake_id=draft.id,
            section=IntakeSection.GENERAL,  # ignored for an answer: the thread's section holds
            text="Aangepast: er lopen twee betalingsregelingen.",
            author=CASEWORKER,
            role=Role.CASEWORKER,
            thread_id=scores_thread,
        )
        assert answer.section is IntakeSection.SCORES and answer.thread_id == scores_thread
        intake_service.resolve_thread(cw.store, thread_id=wmo_thread, by=CASEWORKER)
        edits = {
            score_field("financien"): 2 if answers[score_field("financien")] != 2 else 3,
            topic_field("needs"): "Hulp bij het huishouden, twee ochtenden per week.",
        }
        old = {name: answers[name] for name in edits}
        _fill(cw.store, draft.id, edits)
        assert _view(cw, client.id).changed_since_last_round() == tuple(edits)
        again = intake_service.submit_intake(cw.store, intake_id=draft.id, schemes=view.schemes)
        assert again.round == 2
        report, statuses, _ = _sync(cw)
        _all_applied(statuses)
        assert len(statuses) == 5  # answer, resolve, two answers, submit

        # The team lead: round 2 in the queue, exactly the two edits, both rounds kept.
        _, _, wire = _sync(lead)
        assert client.id in wire.entered
        item = _queued(lead, draft.id)
        assert (item.round, item.open_threads) == (2, 1)
        view = _view(lead, client.id)
        assert view.intake is not None and view.intake.status is IntakeStatus.SUBMITTED
        assert view.changed_since_last_round() == tuple(edits)
        assert [(r.number, r.decision) for r in view.rounds] == [
            (1, Decision.RETURNED),
            (2, None),
        ]
        for name, value in old.items():
            assert _round(view, 1).content[name] == value
            assert _round(view, 2).content[name] == edits[name]
        threads = {t.section: t for t in view.threads}
        assert threads[IntakeSection.SCORES].open
        assert [c.id for c in threads[IntakeSection.SCORES].answers] == [answer.id]
        assert threads[IntakeSection.SCORES].answers[0].author == CASEWORKER
        wmo = threads[IntakeSection.WMO]
        assert not wmo.open and wmo.start.resolved_by == CASEWORKER
        # Approving waits for the open thread.
        with pytest.raises(DomainError) as refused:
            review_service.approve_intake(lead.store, intake_id=draft.id, reviewer=TEAM_LEAD)
        assert refused.value.code == "open_review_threads"
        intake_service.resolve_thread(lead.store, thread_id=scores_thread, by=TEAM_LEAD)
        approved = review_service.approve_intake(lead.store, intake_id=draft.id, reviewer=TEAM_LEAD)
        assert approved.status is IntakeStatus.APPROVED
        report, statuses, wire = _sync(lead)
        _all_applied(statuses)
        assert len(statuses) == 2
        # Nothing of the client waits for review any more: it leaves the lead's device whole.
        assert client.id in wire.exited
        assert lead.store.get(Client, client.id) is None
        assert lead.store.get(Intake, draft.id) is None
        assert scenarios._device_rows(lead.store, client.id, TEAM_LEAD_ENTITIES) == {}
        assert draft.id not in {q.intake_id for q in review_service.review_queue(lead.store)}

        # The caseworker: approved by the lead, round 2 approved, every thread resolved.
        _sync(cw)
        view = _view(cw, client.id)
        assert view.intake is not None
        assert view.intake.status is IntakeStatus.APPROVED and view.intake.round == 2
        assert view.intake.reviewer == TEAM_LEAD and view.intake.reviewed_at is not None
        assert [(r.number, r.decision, r.reviewer) for r in view.rounds] == [
            (1, Decision.RETURNED, TEAM_LEAD),
            (2, Decision.APPROVED, TEAM_LEAD),
        ]
        assert _round(view, 1).content[score_field("financien")] == old[score_field("financien")]
        assert view.open_threads == 0 and len(view.threads) == 2
        assert all(t.start.status is ThreadStatus.RESOLVED for t in view.threads)
        resolved_by = {t.section: t.start.resolved_by for t in view.threads}
        assert resolved_by == {IntakeSection.SCORES: TEAM_LEAD, IntakeSection.WMO: CASEWORKER}
        # The caseworker's device holds the client exactly as the server does.
        scenarios._assert_holds_whole(central, cw, client.id)
        assert sync_state.open_conflicts(cw.store) == []
    finally:
        cw.store.close()
        lead.store.close()


# --------------------------------------------------------------------------------------------
# 2. The decision arrives at a second device that edited its stale draft copy offline.


def test_stale_draft_edit_on_a_second_device_survives_the_return(
    central: Central, home: Path
) -> None:
    a = _enroll(central, home, CASEWORKER)
    b = _enroll(central, home, CASEWORKER)
    lead = _enroll(central, home, TEAM_LEAD)
    try:
        _sync(a)
        _sync(lead)
        client, draft = _draft(a, (Scheme.WMO.value,))
        answers = _answers((Scheme.WMO.value,))
        remark = remark_field("huisvesting")
        answers[remark] = ""  # left open on A; B fills it in later
        _fill(a.store, draft.id, answers)
        _, statuses, _ = _sync(a)
        _all_applied(statuses)
        # B syncs while the intake is still a draft.
        _, _, wire = _sync(b)
        assert client.id in wire.entered
        stale = b.store.get(Intake, draft.id)
        assert stale is not None and stale.status is IntakeStatus.DRAFT

        # A submits; the team lead returns it with one thread.
        intake_service.submit_intake(a.store, intake_id=draft.id, schemes=(Scheme.WMO.value,))
        _all_applied(_sync(a)[1])
        _sync(lead)
        thread = intake_service.add_comment(
            lead.store,
            intake_id=draft.id,
            section=IntakeSection.SCORES,
            text="Graag de huisvesting toelichten.",
            author=TEAM_LEAD,
            role=Role.TEAM_LEAD,
        )
        review_service.return_intake(lead.store, intake_id=draft.id, reviewer=TEAM_LEAD)
        _all_applied(_sync(lead)[1])

        # B, offline, on its stale draft copy, writes the remark.
        words = "Huurachterstand van drie maanden, regeling loopt."
        intake_service.save_answers(b.store, intake_id=draft.id, values={remark: words})
        report, statuses, _ = _sync(b)
        # The system merges it into the returned intake (no conflict: nobody else changed it).
        assert statuses == [("applied", None)]
        assert report.conflicts == report.rejected == 0
        assert sync_state.open_conflicts(b.store) == []
        on_b = _view(b, client.id)
        assert on_b.intake is not None
        assert on_b.intake.status is IntakeStatus.RETURNED and on_b.intake.round == 1
        assert on_b.intake.to_fields()[remark] == words
        assert on_b.intake.reviewer == TEAM_LEAD
        # The lead's thread and the decided round arrived on B.
        assert [(t.start.id, t.start.text, t.open) for t in on_b.threads] == [
            (thread.id, thread.text, True)
        ]
        assert [(r.number, r.decision) for r in on_b.rounds] == [(1, Decision.RETURNED)]
        on_server = scenarios._server_record(central, Intake, draft.id)
        assert on_server is not None and on_server[1].to_fields()[remark] == words
        assert scenarios._server_conflicts(central, draft.id) == []
        scenarios._assert_holds_whole(central, b, client.id)
        # And A gets it too.
        _sync(a)
        on_a = a.store.get(Intake, draft.id)
        assert on_a is not None and on_a.to_fields()[remark] == words
        scenarios._assert_holds_whole(central, a, client.id)
    finally:
        for device in (a, b, lead):
            device.store.close()


# --------------------------------------------------------------------------------------------
# 3. Two devices of one caseworker on one draft: different domains merge, the same one conflicts.


def test_two_devices_edit_one_draft(central: Central, home: Path) -> None:
    a = _enroll(central, home, CASEWORKER)
    b = _enroll(central, home, CASEWORKER)
    try:
        _sync(a)
        client, draft = _draft(a, (Scheme.WMO.value,))
        _all_applied(_sync(a)[1])
        _sync(b)
        assert b.store.get(Intake, draft.id) is not None

        # Different domains, offline on each device: both survive, no conflict anywhere.
        on_a = {score_field("financien"): 2, remark_field("financien"): "Schulden in beeld."}
        on_b = {score_field("huisvesting"): 4, remark_field("huisvesting"): "Woont stabiel."}
        _fill(a.store, draft.id, on_a)
        _fill(b.store, draft.id, on_b)
        _all_applied(_sync(a)[1])
        report, statuses, _ = _sync(b)
        assert report.conflicts == report.rejected == 0
        assert all(s[0] in ("applied", "merged") for s in statuses) and len(statuses) == 2
        _sync(a)
        both = on_a | on_b
        on_server = scenarios._server_record(central, Intake, draft.id)
        assert on_server is not None
        for record in (on_server[1], a.store.get(Intake, draft.id), b.store.get(Intake, draft.id)):
            assert record is not None
            assert {k: record.to_fields()[k] for k in both} == both
        assert scenarios._server_conflicts(central, draft.id) == []
        assert sync_state.open_conflicts(a.store) == sync_state.open_conflicts(b.store) == []

        # The same domain score, differently: the first to sync holds, the later device keeps
        # its own value as a conflict.
        werk = score_field("werk_opleiding")
        intake_service.save_answers(a.store, intake_id=draft.id, values={werk: 2})
        intake_service.save_answers(b.store, intake_id=draft.id, values={werk: 5})
        _all_applied(_sync(a)[1])
        report, statuses, _ = _sync(b)
        assert statuses == [("conflict", None)] and report.conflicts == 1
        _sync(a)
        for device in (a, b):
            held = device.store.get(Intake, draft.id)
            assert held is not None and held.to_fields()[werk] == 2
        [kept] = sync_state.open_conflicts(b.store)
        assert (kept.record_id, kept.field, kept.base, kept.mine, kept.theirs) == (
            draft.id,
            werk,
            None,
            5,
            2,
        )
        assert sync_state.open_conflicts(a.store) == []
        assert scenarios._server_conflicts(central, draft.id) == [
            (werk, None, 5, 2, scenarios._device_id(b))
        ]
        # The conflict waits on b, and b says so when it syncs; keeping the other device's value
        # sends no data, and the next sync tells the team lead's overview it is settled.
        _sync(b)
        assert scenarios._reported_conflicts(central, b) == 1
        conflicts_service.resolve_conflict(b.store, kept.id, choice="theirs")
        _sync(b)
        assert scenarios._reported_conflicts(central, b) == 0
        for device in (a, b):
            scenarios._assert_holds_whole(central, device, client.id)
    finally:
        a.store.close()
        b.store.close()
