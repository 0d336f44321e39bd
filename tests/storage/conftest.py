"""Fixtures for the storage tests: a fresh encrypted profile per test and valid, fake records.

Every name, address and BSN here is made up (the BSNs are generated to pass the 11-check); no real
personal data is used anywhere in the test suite.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import keyring
import keyring.backends.null
import pytest
from sqlalchemy import Engine
from stdnum.nl import bsn as stdnum_bsn

from app.domain.client import Client, Enrollment, HouseholdMember, Relation
from app.domain.intake import DomainScore, Intake, IntakeSection
from app.domain.notes import Attachment, Note
from app.domain.plan import (
    ActionOwner,
    ClientPlan,
    PlanAction,
    Signature,
    SignatureMethod,
    SignerRole,
    content_hash,
)
from app.domain.records import Record
from app.domain.reference import Scheme, self_sufficiency_domains
from app.domain.review import Decision, IntakeRound, ReviewComment
from app.domain.states import ActionStatus
from app.domain.values import Address, Bsn, EmailAddress, PersonName, PhoneNumber, Postcode
from app.domain.visit import EntryConsent, LegalBasis, Visit, VisitPurpose
from app.storage.engine import check_open, open_engine
from app.storage.profiles import Profile
from app.storage.store import Store
from app.storage.vault import KdfParams

# Cheap Argon2id parameters: a derivation takes about a millisecond.
FAST = KdfParams(1024, 1, 1)
PASSPHRASE = "oefen wachtwoordzin voor de tests 42"
USERNAME = "k.dijkstra"
PROFILE_NAME = "test"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class TickingClock:
    """A fake clock for Store/Profile: every call returns a time one second later than the last,
    so `updated_at` orders writes deterministically without sleeping."""

    def __init__(self, start: datetime = START, step: timedelta = timedelta(seconds=1)) -> None:
        self.now = start
        self.step = step

    def __call__(self) -> datetime:
        current = self.now
        self.now = current + self.step
        return current


class FakeTime:
    """A fake `time.time` for the vault's failure delays."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


# --------------------------------------------------------------------------------------- BSNs


def bsn_from_prefix(prefix: int) -> str | None:
    """The valid BSN starting with these 8 digits, or None when no check digit makes it valid."""
    head = f"{prefix:08d}"
    for check in "0123456789":
        candidate = head + check
        if stdnum_bsn.is_valid(candidate):
            return candidate
    return None


def valid_bsns(count: int, *, start: int = 20_000_000) -> list[str]:
    """`count` distinct valid, made-up BSNs in increasing order."""
    found: list[str] = []
    prefix = start
    while len(found) < count:
        candidate = bsn_from_prefix(prefix)
        if candidate is not None:
            found.append(candidate)
        prefix += 1
    return found


def random_bsn() -> str:
    """A valid BSN no other test run uses (for marker scans that must not collide)."""
    while True:
        candidate = bsn_from_prefix(secrets.randbelow(80_000_000) + 10_000_000)
        if candidate is not None:
            return candidate


# ------------------------------------------------------------------------------------ records


def make_client(
    *,
    bsn: str = "111222333",
    surname: str = "Dijkstra",
    first_names: str = "Jan Willem",
    prefix: str = "",
    street: str = "Hoofdstraat",
    house_number: int = 12,
    postcode: str = "9974 AB",
    village: str = "Zoutkamp",
    municipality: str = "Het Hogeland",
    caseworker: str = USERNAME,
    participation_step: int | None = 2,
) -> Client:
    return Client(
        bsn=Bsn(bsn),
        name=PersonName(surname=surname, first_names=first_names, prefix=prefix),
        date_of_birth=date(1984, 5, 17),
        address=Address(
            street=street,
            house_number=house_number,
            postcode=Postcode(postcode),
            village=village,
            municipality=municipality,
        ),
        caseworker=caseworker,
        phone=PhoneNumber("0595 123456"),
        email=EmailAddress("j.dijkstra@example.org"),
        participation_step=participation_step,
    )


def make_member(client_id: str) -> HouseholdMember:
    return HouseholdMember(
        client_id=client_id,
        relation=Relation.CHILD,
        name=PersonName(surname="Dijkstra", first_names="Fenna"),
        date_of_birth=date(2015, 9, 1),
        bsn=Bsn("123456782"),
    )


def make_enrollment(client_id: str) -> Enrollment:
    return Enrollment(
        client_id=client_id,
        scheme=Scheme.PARTICIPATIEWET,
        start_date=date(2026, 1, 5),
        caseworker=USERNAME,
        consent_given=True,
        consent_date=date(2026, 1, 5),
    )


def make_visit(client_id: str, *, notes: str = "") -> Visit:
    return Visit(
        client_id=client_id,
        planned_at=datetime(2026, 3, 10, 13, 30, tzinfo=UTC),
        purpose=VisitPurpose.VOORTGANG,
        caseworker=USERNAME,
        notes=notes,
    )


def make_intake(client_id: str) -> Intake:
    first, second = (d.key for d in self_sufficiency_domains()[:2])
    return Intake(
        client_id=client_id,
        caseworker=USERNAME,
        scores={first: DomainScore(3, "Schulden in beeld"), second: DomainScore(2)},
        ladder_current=2,
        ladder_target=4,
        barriers="Geen rijbewijs",
        strengths="Handig met hout",
    )


def make_round(intake: Intake) -> IntakeRound:
    for domain in intake.domains():
        intake = intake.with_score(domain.key, 3, "")
    return IntakeRound.of(intake.submit(at=datetime(2026, 3, 11, 9, 0, tzinfo=UTC)))


def make_comment(intake: Intake, text: str = "Graag de schulden toelichten.") -> ReviewComment:
    return ReviewComment(
        client_id=intake.client_id,
        intake_id=intake.id,
        section=IntakeSection.SCORES,
        round=1,
        author="t.lead",
        author_role="team_lead",
        text=text,
        written_at=datetime(2026, 3, 12, 9, 0, tzinfo=UTC),
    )


def make_plan(client_id: str) -> ClientPlan:
    return ClientPlan(
        client_id=client_id,
        caseworker=USERNAME,
        goals=("Vrijwilligerswerk bij de ijsclub",),
        agreements="Elke twee weken een gesprek",
    )


def make_plan_action(
    plan: ClientPlan, description: str = "Gesprek met de ijsclub", rank: int = 0
) -> PlanAction:
    return PlanAction(
        client_id=plan.client_id,
        plan_id=plan.id,
        description=description,
        owner=ActionOwner.CASEWORKER,
        due_date=date(2026, 4, 1),
        rank=rank,
    )


def make_note(client_id: str, text: str = "Cliënt belde over de afspraak.") -> Note:
    return Note(
        client_id=client_id,
        text=text,
        author=USERNAME,
        written_at=datetime(2026, 3, 3, 10, 15, tzinfo=UTC),
    )


ATTACHMENT_BYTES = b"%PDF-1.7 fake scan of a (made-up) rental contract"


def make_attachment(client_id: str, data: bytes = ATTACHMENT_BYTES) -> Attachment:
    return Attachment(
        client_id=client_id,
        name="huurcontract.pdf",
        media_type="application/pdf",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def one_of_each(client: Client) -> list[Record]:
    """The client and one valid record of every other record type, parents first."""
    return [
        client,
        make_member(client.id),
        make_enrollment(client.id),
        make_visit(client.id),
        intake := make_intake(client.id),
        make_round(intake),
        make_comment(intake),
        plan := make_plan(client.id),
        make_plan_action(plan),
        make_note(client.id),
        make_attachment(client.id),
    ]


def rich_records(client: Client) -> list[Record]:
    """Records further along their life cycle: signatures, legal basis, review comments,
    booleans and nested JSON, so a round trip exercises every column kind."""
    at = datetime(2026, 3, 12, 14, 5, tzinfo=UTC)
    visit = make_visit(client.id, notes="").record(
        at=at,
        notes="Gesprek aan de keukentafel",
        outcome="Afspraken gemaakt",
        legal_basis=LegalBasis(
            reason="Twijfel over woonsituatie",
            identification_shown=True,
            purpose_stated=True,
            entry_consent=EntryConsent.GIVEN,
        ),
    )
    visit = dataclasses.replace(visit, purpose=VisitPurpose.HANDHAVING)
    intake = make_intake(client.id)
    for domain in intake.domains():
        intake = intake.with_score(domain.key, 4, "")
    intake = dataclasses.replace(
        intake,
        household_situation="Woont met partner en twee kinderen",
        consent={"participatiewet": True, "wmo": False},
        parts={"wmo_melding_date": "2026-02-02", "pw_art9_explained": True},
    )
    intake = intake.submit(at=at).return_for_changes(reviewer="t.lead", at=at, open_threads=1)
    decided = make_round(intake).decided(Decision.RETURNED, reviewer="t.lead", at=at)
    thread = make_comment(intake).resolved(by=USERNAME, at=at)
    signature = Signature(
        signer="Jan Dijkstra", method=SignatureMethod.PAPER, signed_at=at, paper_date=at.date()
    )
    draft = make_plan(client.id).edited(
        obligations=("werk_verkrijgen", "reistijd"),
        own_words="Ik wil weer onder de mensen komen.",
        single_parent_exemption=True,
    )
    action = dataclasses.replace(
        make_plan_action(draft),
        owner=ActionOwner.PARTNER,
        partner="Werkleerbedrijf Hogeland",
    )
    content = content_hash(draft, [action])
    plan = draft.sign(SignerRole.CLIENT, signature, content=content).sign(
        SignerRole.CASEWORKER,
        Signature(
            signer=USERNAME,
            method=SignatureMethod.DIGITAL,
            signed_at=at,
            strokes=(((10.0, 10.0, 0.5, 0), (20.0, 12.0, 0.5, 8)),),
            pad_width=560.0,
            pad_height=220.0,
        ),
        content=content,
    )
    plan = plan.activate(at=at)
    action = action.moved_to(ActionStatus.IN_PROGRESS)
    member = dataclasses.replace(make_member(client.id), bsn=None, relation=Relation.PARTNER)
    enrollment = Enrollment(
        client_id=client.id,
        scheme=Scheme.WMO,
        start_date=date(2025, 1, 1),
        end_date=date(2025, 12, 31),
        caseworker=USERNAME,
        consent_given=False,
    )
    return [visit, intake, decided, thread, plan, action, member, enrollment]


# ------------------------------------------------------------------------------------ fixtures


@pytest.fixture
def no_os_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep failure counts out of the developer's real OS credential store."""
    null_backend = cast(Any, keyring.backends.null.Keyring)()  # keyring is untyped
    monkeypatch.setattr(keyring, "get_keyring", lambda: null_backend)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_os_keyring: None) -> Path:
    path = tmp_path / "home"
    monkeypatch.setenv("VELDWERK_HOME", str(path))
    return path


@pytest.fixture
def clock() -> TickingClock:
    return TickingClock()


@dataclass
class OpenProfile:
    profile: Profile
    store: Store


@pytest.fixture
def opened(home: Path, clock: TickingClock) -> Iterator[OpenProfile]:
    profile, store = Profile.create(
        PROFILE_NAME,
        passphrase=PASSPHRASE,
        username=USERNAME,
        role="caseworker",
        params=FAST,
        home=home,
        clock=clock,
    )
    try:
        yield OpenProfile(profile, store)
    finally:
        store.close()


@pytest.fixture
def profile(opened: OpenProfile) -> Profile:
    return opened.profile


@pytest.fixture
def store(opened: OpenProfile) -> Store:
    return opened.store


@pytest.fixture
def client(store: Store) -> Client:
    """A client already saved in the store."""
    return store.create(make_client())


@pytest.fixture
def bare_engine(tmp_path: Path) -> Iterator[Engine]:
    """An encrypted device database with no schema yet, for the tests that migrate one step by
    step."""
    path = tmp_path / "bare" / "veldwerk.db"
    path.parent.mkdir(mode=0o700)
    engine = open_engine(path, os.urandom(32))
    check_open(engine)
    yield engine
    engine.dispose()
