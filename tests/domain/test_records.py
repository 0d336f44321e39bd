from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from app.domain import reference
from app.domain.client import Client, Enrollment, HouseholdMember, Relation
from app.domain.errors import DomainError, TransitionError, ValidationError
from app.domain.intake import Intake, IntakeSection
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
from app.domain.records import BY_ENTITY, RECORD_TYPES, Record
from app.domain.reference import Scheme
from app.domain.review import IntakeRound, ReviewComment
from app.domain.states import ActionStatus, IntakeStatus, PlanStatus, VisitStatus
from app.domain.values import Address, Bsn, PersonName, Postcode
from app.domain.visit import EntryConsent, LegalBasis, Visit, VisitPurpose

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def make_client() -> Client:
    return Client(
        bsn=Bsn("111222333"),
        name=PersonName(surname="Berg", first_names="Zoë", prefix="van der"),
        date_of_birth=date(1984, 3, 7),
        address=Address(
            street="Hoofdstraat",
            house_number=4,
            postcode=Postcode("9974 AB"),
            village="Zoutkamp",
            municipality="De Marne",
        ),
        caseworker="k.dijkstra",
        participation_step=2,
    )


def full_intake(client_id: str) -> Intake:
    intake = Intake(client_id=client_id, caseworker="k.dijkstra")
    for domain in intake.domains():
        intake = intake.with_score(domain.key, 3, "")
    return intake.with_participation(current=2, target=4)


def signature(who: str) -> Signature:
    return Signature(signer=who, method=SignatureMethod.PAPER, signed_at=NOW, paper_date=NOW.date())


def every_record() -> list[Record]:
    client = make_client()
    cid = client.id
    draft = ClientPlan(client_id=cid, caseworker="k.dijkstra", goals=("Schulden op orde",))
    action = PlanAction(
        client_id=cid,
        plan_id=draft.id,
        description="Afspraak budgetcoach",
        owner=ActionOwner.CLIENT,
        due_date=date(2026, 12, 15),
    )
    content = content_hash(draft, [action])
    plan = (
        draft.sign(SignerRole.CLIENT, signature("Z. van der Berg"), content=content)
        .sign(SignerRole.CASEWORKER, signature("K. Dijkstra"), content=content)
        .activate(at=NOW)
    )
    return [
        client,
        HouseholdMember(
            client_id=cid,
            relation=Relation.CHILD,
            name=PersonName(surname="Berg", first_names="Sem", prefix="van der"),
            date_of_birth=date(2015, 5, 1),
        ),
        Enrollment(
            client_id=cid,
            scheme=Scheme.PARTICIPATIEWET,
            start_date=date(2024, 1, 1),
            caseworker="k.dijkstra",
            consent_given=True,
            consent_date=date(2024, 1, 1),
        ),
        Visit(
            client_id=cid,
            planned_at=NOW,
            purpose=VisitPurpose.HANDHAVING,
            caseworker="k.dijkstra",
        ).record(
            at=NOW,
            notes="Gesprek aan de keukentafel.",
            outcome="Geen bijzonderheden.",
            legal_basis=LegalBasis(
                reason="Signaal samenwoning",
                identification_shown=True,
                purpose_stated=True,
                entry_consent=EntryConsent.GIVEN,
            ),
        ),
        full_intake(cid).submit(at=NOW),
        plan,
        action,
        rounds := IntakeRound.of(full_intake(cid).submit(at=NOW)),
        ReviewComment(
            client_id=cid,
            intake_id=rounds.intake_id,
            section=IntakeSection.SCORES,
            round=1,
            author="t.mulder",
            author_role="team_lead",
            text="Onderbouw de score financiën.",
            written_at=NOW,
        ),
        Note(client_id=cid, text="Belt volgende week terug.", author="k.dijkstra", written_at=NOW),
        Attachment(
            client_id=cid, name="scan.pdf", media_type="application/pdf", size=10, sha256="a" * 64
        ),
    ]


def test_every_record_type_is_registered_once() -> None:
    assert {type(r) for r in every_record()} == set(RECORD_TYPES)
    assert set(BY_ENTITY) == {t.ENTITY for t in RECORD_TYPES}


@pytest.mark.parametrize("record", every_record(), ids=lambda r: r.ENTITY)
def test_fields_round_trip(record: Record) -> None:
    fields = record.to_fields()
    again = type(record).from_fields(record.id, fields)
    assert again == record
    assert again.to_fields() == fields


def test_children_point_at_their_client() -> None:
    records = every_record()
    assert {r.client_id for r in records} == {records[0].id}


def test_ladder_step_out_of_range() -> None:
    with pytest.raises(ValidationError) as caught:
        replace(make_client(), participation_step=7)
    assert caught.value.code == "invalid_ladder_step"


def test_from_fields_refuses_bad_input_with_codes() -> None:
    fields = make_client().to_fields()
    with pytest.raises(ValidationError) as caught:
        Client.from_fields("x", {**fields, "date_of_birth": "31-02-1990"})
    assert caught.value.code == "invalid_date"
    with pytest.raises(ValidationError) as caught:
        HouseholdMember.from_fields("x", {**every_record()[1].to_fields(), "relation": "cousin"})
    assert caught.value.code == "invalid_choice"


def test_enrollment_rules() -> None:
    with pytest.raises(ValidationError):
        Enrollment(
            client_id="c",
            scheme=Scheme.WMO,
            start_date=date(2025, 1, 1),
            end_date=date(2024, 1, 1),
            caseworker="k",
            consent_given=False,
        )
    with pytest.raises(ValidationError) as caught:
        Enrollment(
            client_id="c",
            scheme=Scheme.WMO,
            start_date=date(2025, 1, 1),
            caseworker="k",
            consent_given=True,
        )
    assert caught.value.code == "consent_date_required"
    enrollment = Enrollment(
        client_id="c",
        scheme=Scheme.WMO,
        start_date=date(2025, 1, 1),
        caseworker="k",
        consent_given=False,
        end_date=date(2025, 12, 31),
    )
    assert enrollment.active_on(date(2025, 6, 1))
    assert not enrollment.active_on(date(2026, 1, 1))


def test_handhaving_visit_needs_its_legal_basis() -> None:
    visit = Visit(client_id="c", planned_at=NOW, purpose=VisitPurpose.HANDHAVING, caseworker="k")
    with pytest.raises(ValidationError) as caught:
        visit.record(at=NOW, notes="", outcome="")
    assert caught.value.code == "legal_basis_required"
    with pytest.raises(ValidationError) as caught:
        LegalBasis(
            reason="Signaal",
            identification_shown=False,
            purpose_stated=True,
            entry_consent=EntryConsent.REFUSED,
        )
    assert caught.value.code == "legal_basis_incomplete"


def test_visit_state_machine() -> None:
    visit = Visit(client_id="c", planned_at=NOW, purpose=VisitPurpose.VOORTGANG, caseworker="k")
    assert visit.is_overdue(NOW + timedelta(hours=1))
    done = visit.record(at=NOW, notes="Goed gesprek.", outcome="Afspraken gemaakt.")
    assert done.status is VisitStatus.DONE
    assert not done.is_overdue(NOW + timedelta(days=1))
    with pytest.raises(TransitionError):
        done.cancel(at=NOW)
    assert visit.client_not_home(at=NOW).status is VisitStatus.NOT_HOME


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        Visit(
            client_id="c",
            planned_at=datetime(2026, 1, 1, 9, 0),
            purpose=VisitPurpose.INTAKE,
            caseworker="k",
        )
    assert caught.value.code == "naive_datetime"


def test_intake_cycle() -> None:
    draft = Intake(client_id="c", caseworker="k.dijkstra")
    assert len(draft.domains()) == 13
    with pytest.raises(DomainError) as caught:
        draft.submit(at=NOW)
    assert caught.value.code == "intake_incomplete"
    assert "score_financien" in draft.missing()
    assert draft.missing()[:2] == ["score_financien", "score_werk_opleiding"]

    submitted = full_intake("c").submit(at=NOW)
    assert submitted.status is IntakeStatus.SUBMITTED
    with pytest.raises(DomainError) as caught:
        submitted.with_score("financien", 1)
    assert caught.value.code == "intake_not_editable"

    with pytest.raises(DomainError) as caught:
        submitted.approve(reviewer="k.dijkstra", at=NOW)
    assert caught.value.code == "own_intake_review"

    with pytest.raises(DomainError) as caught:
        submitted.return_for_changes(reviewer="t.mulder", at=NOW, open_threads=0)
    assert caught.value.code == "review_comment_required"
    with pytest.raises(DomainError) as caught:
        submitted.approve(reviewer="t.mulder", at=NOW, open_threads=1)
    assert caught.value.code == "open_review_threads"

    assert submitted.round == 1
    returned = submitted.return_for_changes(reviewer="t.mulder", at=NOW, open_threads=2)
    assert returned.status is IntakeStatus.RETURNED
    assert returned.reviewer == "t.mulder"
    resubmitted = returned.with_text(barriers="Schulden; schuldhulp aangevraagd.").submit(at=NOW)
    assert resubmitted.round == 2 and resubmitted.reviewer is None
    approved = resubmitted.approve(reviewer="t.mulder", at=NOW, open_threads=0)
    assert approved.status is IntakeStatus.APPROVED
    with pytest.raises(TransitionError) as transition:
        approved.submit(at=NOW)
    assert transition.value.code == "intake_transition_not_allowed"


def test_intake_scores_are_validated() -> None:
    intake = Intake(client_id="c", caseworker="k")
    with pytest.raises(ValidationError):
        intake.with_score("financien", 6)
    with pytest.raises(ValidationError) as caught:
        intake.with_score("dagbesteding", 3)  # a ZRM-2013 domain, not in the 2017 version
    assert caught.value.code == "unknown_domain"
    old = Intake(client_id="c", caseworker="k", domain_version="zrm-2013")
    assert len(old.domains()) == 11
    assert old.with_score("dagbesteding", 3).scores["dagbesteding"].score == 3


def test_plan_cycle() -> None:
    plan = ClientPlan(client_id="c", caseworker="k.dijkstra")
    with pytest.raises(DomainError) as caught:
        plan.activate(at=NOW)
    assert caught.value.code == "plan_without_goals"
    plan = plan.edited(goals=("Vrijwilligerswerk vinden", "  "), tegenprestatie="Buurthuis")
    assert plan.goals == ("Vrijwilligerswerk vinden",)
    with pytest.raises(DomainError) as caught:
        plan.activate(at=NOW)
    assert caught.value.code == "plan_not_signed"
    content = content_hash(plan, ())
    signed = plan.sign(SignerRole.CLIENT, signature("cliënt"), content=content).sign(
        SignerRole.CASEWORKER, signature("K. Dijkstra"), content=content
    )
    active = signed.activate(at=NOW)
    assert active.status is PlanStatus.ACTIVE
    with pytest.raises(DomainError) as caught:
        active.edited(agreements="x")
    assert caught.value.code == "plan_not_editable"
    following = active.next_revision()
    assert following.revision == 2
    assert following.status is PlanStatus.DRAFT
    assert following.client_signature is None
    assert following.id != active.id
    assert following.previous_id == active.id
    assert active.close(at=NOW).status is PlanStatus.CLOSED


def test_plan_actions_follow_their_state_machine() -> None:
    action = PlanAction(
        client_id="c", plan_id="p", description="Cv opstellen", owner=ActionOwner.CLIENT
    )
    started = action.moved_to(ActionStatus.IN_PROGRESS)
    assert started.moved_to(ActionStatus.DONE).status is ActionStatus.DONE
    with pytest.raises(TransitionError):
        started.moved_to(ActionStatus.DONE).moved_to(ActionStatus.OPEN)


def test_attachment_metadata_is_validated() -> None:
    with pytest.raises(ValidationError):
        Attachment(client_id="c", name="../etc/passwd", media_type="x", size=1, sha256="a" * 64)
    with pytest.raises(ValidationError):
        Attachment(client_id="c", name="a.pdf", media_type="x", size=1, sha256="xyz")


def test_reference_data() -> None:
    assert reference.municipalities() == ("Bedum", "De Marne", "Winsum", "Eemsmond")
    assert reference.village("zoutkamp").postcode_digits == "9974"
    assert reference.village("Ezinge").current_municipality == "Westerkwartier"
    assert reference.village("Uithuizen").current_municipality == "Het Hogeland"
    with pytest.raises(ValidationError):
        reference.village("Amsterdam")
    for v in reference.villages():
        Postcode(f"{v.postcode_digits} AB")
    assert {s.value for s in Scheme} == {
        "participatiewet",
        "wsw",
        "wajong",
        "inburgering",
        "kinderopvang",
        "wmo",
        "jeugd",
        "leerplicht_rmc",
    }
    assert all(s.label("nl") and s.label("en") for s in Scheme)
    assert reference.ladder_label(1) == "Geïsoleerd"
    assert reference.ladder_label(6, "en") == "Paid work"
    assert reference.score_label(3) == "Beperkt zelfredzaam"
    keys = [d.key for d in reference.self_sufficiency_domains()]
    assert len(keys) == 13 and keys[0] == "financien" and keys[-1] == "justitie"
    assert [layer.key for layer in reference.service_layers()] == [
        "school_werk",
        "werkleeromgeving",
        "leefbaarheid",
    ]


@pytest.mark.parametrize("record", every_record(), ids=lambda r: r.ENTITY)
def test_schema_lists_exactly_the_fields_of_each_record(record: Record) -> None:
    from app.domain.schema import FIELDS, field_names

    assert set(FIELDS) == set(BY_ENTITY)
    assert field_names(record.ENTITY) == tuple(record.to_fields())
