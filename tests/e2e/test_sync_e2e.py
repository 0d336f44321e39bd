"""Devices and a real server process (uvicorn on 127.0.0.1), on SQLite and on PostgreSQL.

Two devices of caseworker k.dijkstra, one of caseworker m.bakker and one of team lead t.mulder
enroll with one-time codes, sync the demo caseload, and go through the scenarios of SYNC.md:
same field on two devices, different fields, update against delete, reassignment, and a team
lead's decision arriving while the caseworker edits the same intake offline.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.domain.client import Client
from app.domain.intake import Intake, IntakeSection
from app.domain.review import Decision, IntakeRound, ReviewComment
from app.domain.roles import Role
from app.domain.states import IntakeStatus
from app.services import intake as intake_service
from app.services import review as review_service
from app.services import sync as sync_service
from app.storage import sync_state
from app.storage.profiles import Profile
from app.storage.store import Store
from app.storage.vault import KdfParams
from app.sync.engine import SyncReport
from server.crud import assignments
from tests.central import Central, central_on
from tests.intake_answers import completing

FAST = KdfParams(1024, 1, 1)


@pytest.fixture(params=["sqlite", "postgresql"], scope="module")
def central(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Central]:
    with central_on(request.param, tmp_path_factory.mktemp("central"), clients=24, seed=5) as c:
        yield c


@dataclass
class Device:
    profile: Profile
    store: Store

    def sync(self) -> SyncReport:
        return sync_service.sync_profile(self.profile, self.store)


def _enroll(central: Central, home: Path, username: str, name: str) -> Device:
    profile, store = sync_service.enroll(
        server_url=central.url,
        username=username,
        password=central.passwords[username],
        code=central.code(username),
        passphrase="een lange wachtzin voor de test",
        profile_name=name,
        home=home,
        params=FAST,
    )
    return Device(profile, store)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def test_devices_converge_through_the_server(central: Central, home: Path) -> None:
    a = _enroll(central, home, "k.dijkstra", f"a-{uuid.uuid4().hex[:6]}")
    b = _enroll(central, home, "k.dijkstra", f"b-{uuid.uuid4().hex[:6]}")
    other = _enroll(central, home, "m.bakker", f"o-{uuid.uuid4().hex[:6]}")
    try:
        assert a.profile.last_sync is None
        first = a.sync()
        assert first.received > 0
        # The unlock screen can say when it last synced without opening the database.
        assert Profile.load(a.profile.path).last_sync is not None
        # Its audit trail (the enrollment, the demo data) went to central office, chain intact.
        assert first.audit_events >= 1 and "audit_chain_broken" not in first.warnings
        b.sync()
        other.sync()
        mine = {c.id for c in a.store.caseload()}
        assert mine == {c.id for c in b.store.caseload()}
        assert mine.isdisjoint({c.id for c in other.store.caseload()})
        assert a.store.pending_count() == 0

        # Different fields on two devices: both survive.
        client_id = sorted(mine)[0]
        on_a = a.store.get(Client, client_id)
        on_b = b.store.get(Client, client_id)
        assert on_a is not None and on_b is not None
        # A step the demo client does not have yet, so the edit is a change to send.
        step = 5 if on_a.participation_step != 5 else 4
        a.store.update(dataclasses.replace(on_a, participation_step=step))
        b.store.update(
            dataclasses.replace(on_b, address=dataclasses.replace(on_b.address, house_number=77))
        )
        assert a.sync().applied == 1
        report = b.sync()
        assert report.merged + report.applied == 1 and report.conflicts == 0
        a.sync()
        for device in (a, b):
            now = device.store.get(Client, client_id)
            assert now is not None
            assert now.participation_step == step and now.address.house_number == 77

        # The same field on two devices: one value current, the other kept as a conflict.
        on_a = a.store.get(Client, client_id)
        on_b = b.store.get(Client, client_id)
        assert on_a is not None and on_b is not None
        a.store.update(dataclasses.replace(on_a, participation_step=2))
        b.store.update(dataclasses.replace(on_b, participation_step=6))
        a.sync()
        conflicted = b.sync()
        assert conflicted.conflicts == 1
        a.sync()
        for device in (a, b):
            now = device.store.get(Client, client_id)
            assert now is not None and now.participation_step == 2
        [kept] = sync_state.open_conflicts(b.store)
        assert (kept.field, kept.mine, kept.theirs) == ("participation_step", 6, 2)

        # Update against delete: the delete wins, the update becomes a conflict.
        intake = (
            next(i for i in a.store.for_client(Intake, client_id) if i.editable)
            if any(i.editable for i in a.store.for_client(Intake, client_id))
            else None
        )
        if intake is not None:
            a.store.delete(Intake, intake.id)
            b_intake = b.store.get(Intake, intake.id)
            assert b_intake is not None
            b.store.update(b_intake.with_text(barriers="Nieuwe belemmering."))
            a.sync()
            late = b.sync()
            assert late.conflicts == 1
            a.sync()
            assert a.store.get(Intake, intake.id) is None
            assert b.store.get(Intake, intake.id) is None

        # Reassignment: the client leaves k.dijkstra's devices and arrives whole at m.bakker's.
        central.run(assignments.assign, client_id=client_id, caseworker="m.bakker", by="test")
        moved_a = a.sync()
        b.sync()
        other.sync()
        assert moved_a.purged >= 1
        assert a.store.get(Client, client_id) is None
        assert b.store.get(Client, client_id) is None
        arrived = other.store.get(Client, client_id)
        assert arrived is not None and arrived.participation_step == 2
        assert other.store.caseload()
    finally:
        for device in (a, b, other):
            device.store.close()


def test_intake_review_cycle_across_devices(central: Central, home: Path) -> None:
    """The caseworker submits (a command), the team lead's device receives the intake and
    returns it with comments (a command), the caseworker's device gets the decision; a plain
    status edit from a device is refused, never taken."""
    caseworker = _enroll(central, home, "k.dijkstra", f"k-{uuid.uuid4().hex[:6]}")
    lead = _enroll(central, home, "t.mulder", f"t-{uuid.uuid4().hex[:6]}")
    try:
        caseworker.sync()
        lead.sync()
        draft = next(
            i
            for c in caseworker.store.caseload()
            for i in caseworker.store.for_client(Intake, c.id)
            if i.editable
        )
        # Complete for the client's schemes (the server checks them against the enrollments).
        before = intake_service.intake_view(caseworker.store, draft.client_id, intake_id=draft.id)
        schemes = before.schemes
        values = {"barriers": "Schulden bij twee schuldeisers.", **completing(draft, schemes)}
        intake_service.save_answers(caseworker.store, intake_id=draft.id, values=values)
        intake_service.submit_intake(caseworker.store, intake_id=draft.id, schemes=schemes)
        sent = caseworker.sync()
        assert sent.rejected == 0 and sent.applied == 2

        lead.sync()
        received = lead.store.get(Intake, draft.id)
        assert received is not None and received.status is IntakeStatus.SUBMITTED
        # The team lead's comment is a thread of its own, sent before the decision it allows.
        thread = intake_service.add_comment(
            lead.store,
            intake_id=draft.id,
            section=IntakeSection.GENERAL,
            text="Graag de schulden toelichten.",
            author="t.mulder",
            role=Role.TEAM_LEAD,
        )
        review_service.return_intake(lead.store, intake_id=draft.id, reviewer="t.mulder")
        assert lead.sync().applied == 2

        caseworker.sync()
        decided = caseworker.store.get(Intake, draft.id)
        assert decided is not None and decided.status is IntakeStatus.RETURNED
        assert decided.reviewer == "t.mulder" and decided.round == draft.round + 1
        view = intake_service.intake_view(caseworker.store, draft.client_id, intake_id=draft.id)
        # (A returned demo intake has threads of its earlier round already: they stay.)
        assert [t.start.id for t in view.threads if t.start.id != thread.id] == [
            t.start.id for t in before.threads
        ]
        assert [
            (t.section, t.start.text, t.start.author, t.start.author_role, t.open, t.start.id)
            for t in view.threads
            if t.start.id == thread.id
        ] == [
            (
                IntakeSection.GENERAL,
                "Graag de schulden toelichten.",
                "t.mulder",
                "team_lead",
                True,
                thread.id,
            )
        ]
        # Every submission is a round; this one decided by the team lead.
        assert [r.number for r in view.rounds] == list(range(1, decided.round + 1))
        kept = view.rounds[-1]
        assert (kept.decision, kept.reviewer) == (Decision.RETURNED, "t.mulder")
        assert kept.content == decided.content()
        # The returned intake left the team lead's scope (nothing waits for review).
        lead.sync()
        assert lead.store.get(Intake, draft.id) is None
        assert lead.store.get(ReviewComment, thread.id) is None
        assert lead.store.get(IntakeRound, kept.id) is None
    finally:
        caseworker.store.close()
        lead.store.close()
