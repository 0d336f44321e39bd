"""The client plan's rules: what a signature stands for (the content hash), that a signed version
cannot change, activation and the evaluation date, new versions and what changed, and the
letterhead a plan carries. Every name here is made up."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from app.domain.errors import DomainError, ValidationError
from app.domain.plan import (
    MAX_SIGNATURE_POINTS,
    ActionOwner,
    ClientPlan,
    PlanAction,
    Signature,
    SignatureMethod,
    SignerRole,
    content_hash,
    default_evaluation,
    plan_changes,
)
from app.domain.reference import letterhead_municipality, plan_obligations
from app.domain.states import ActionStatus, PlanStatus

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
STROKE = ((10.0, 40.0, 0.5, 0), (60.0, 20.0, 0.6, 16))


def drawn(signer: str = "K. Dijkstra") -> Signature:
    return Signature(signer, SignatureMethod.DIGITAL, NOW, strokes=(STROKE,), pad_width=560.0)


def draft() -> tuple[ClientPlan, list[PlanAction]]:
    plan = ClientPlan(
        client_id="c1",
        caseworker="k.dijkstra",
        goals=("Financiële rust",),
        obligations=("werk_verkrijgen",),
        own_words="Ik wil weer werken.",
    )
    actions = [
        PlanAction(client_id="c1", plan_id=plan.id, description="Cv bijwerken", rank=0),
        PlanAction(
            client_id="c1",
            plan_id=plan.id,
            description="Intake schuldhulp",
            owner=ActionOwner.PARTNER,
            partner="Schuldhulp Noord-Groningen",
            rank=1,
        ),
    ]
    return plan, actions


def test_the_content_hash_covers_what_was_agreed_and_not_the_progress() -> None:
    plan, actions = draft()
    digest = content_hash(plan, actions)
    assert len(digest) == 64
    # The same content in another order of loading, or as stored fields read back: same hash.
    again = [PlanAction.from_fields(a.id, a.to_fields()) for a in reversed(actions)]
    assert content_hash(ClientPlan.from_fields(plan.id, plan.to_fields()), again) == digest
    # Progress is not part of it ...
    progressed = [actions[0].moved_to(ActionStatus.DONE), actions[1]]
    assert content_hash(plan, progressed) == digest
    # ... every agreed word, date, owner and the order are.
    for changed_plan, changed_actions in (
        (plan.edited(own_words="Ik wil weer werken!"), actions),
        (plan.edited(next_evaluation=date(2027, 5, 1)), actions),
        (plan, [replace(actions[0], due_date=date(2027, 1, 1)), actions[1]]),
        (plan, [replace(actions[0], owner=ActionOwner.CASEWORKER), actions[1]]),
        (plan, [replace(actions[0], rank=2), actions[1]]),
        (plan, actions[:1]),
    ):
        assert content_hash(changed_plan, changed_actions) != digest
    # Actions of another version do not count.
    other = replace(actions[0], plan_id="another", id="x")
    assert content_hash(plan, [*actions, other]) == digest


def test_the_first_signature_fixes_the_content_and_every_signature_is_of_that_content() -> None:
    plan, actions = draft()
    digest = content_hash(plan, actions)
    signed = plan.sign(SignerRole.CASEWORKER, drawn(), content=digest)
    assert signed.content_hash == digest and signed.signed and not signed.editable
    assert signed.caseworker_signature is not None
    assert signed.caseworker_signature.content_hash == digest
    with pytest.raises(DomainError) as refused:
        signed.edited(agreements="Later nog iets")
    assert refused.value.code == "plan_signed"
    with pytest.raises(DomainError) as changed:
        signed.sign(SignerRole.CLIENT, drawn("IJsbrand van Eijk"), content="0" * 64)
    assert changed.value.code == "signed_content_changed"
    # A signature made for other content (a device's word) is refused as well.
    stale = replace(drawn("IJsbrand van Eijk"), content_hash="1" * 64)
    with pytest.raises(DomainError):
        plan.sign(SignerRole.CLIENT, stale, content=digest)
    both = signed.sign(SignerRole.CLIENT, drawn("IJsbrand van Eijk"), content=digest)
    assert both.fully_signed


def test_signatures_of_each_kind_are_complete() -> None:
    with pytest.raises(ValidationError):
        Signature("K.", SignatureMethod.DIGITAL, NOW)  # nothing drawn
    too_long = tuple((float(i), 1.0, 0.5, i) for i in range(MAX_SIGNATURE_POINTS + 1))
    with pytest.raises(ValidationError) as long_refused:
        Signature("K.", SignatureMethod.DIGITAL, NOW, strokes=(too_long,))
    assert long_refused.value.code == "signature_too_long"
    with pytest.raises(ValidationError):
        Signature("K.", SignatureMethod.PAPER, NOW)  # no paper date
    with pytest.raises(ValidationError):
        Signature("K.", SignatureMethod.REFUSED, NOW, reason=" ")
    paper = Signature("K.", SignatureMethod.PAPER, NOW, paper_date=date(2026, 11, 20))
    assert paper.signed_on == date(2026, 11, 20)
    assert drawn().signed_on == NOW.date()
    for signature in (paper, drawn()):
        assert Signature.from_json(signature.to_json()) == signature
    plan, actions = draft()
    refusal = Signature("Cliënt", SignatureMethod.REFUSED, NOW, reason="Wil overleggen")
    with pytest.raises(DomainError):
        plan.sign(SignerRole.CASEWORKER, refusal, content=content_hash(plan, actions))


@pytest.mark.parametrize(
    ("signed_on", "exempt", "expected"),
    [
        (date(2026, 11, 23), False, date(2027, 11, 23)),
        (date(2026, 11, 23), True, date(2027, 5, 23)),
        (date(2026, 8, 31), True, date(2027, 2, 28)),  # no 31 February: the month's last day
        (date(2027, 8, 31), True, date(2028, 2, 29)),  # a leap year
        (date(2028, 2, 29), False, date(2029, 2, 28)),
    ],
)
def test_the_evaluation_follows_the_later_signature(
    signed_on: date, exempt: bool, expected: date
) -> None:
    assert default_evaluation(signed_on, single_parent_exemption=exempt) == expected
    plan, actions = draft()
    plan = plan.edited(single_parent_exemption=exempt)
    digest = content_hash(plan, actions)
    paper = Signature("IJsbrand", SignatureMethod.PAPER, NOW, paper_date=signed_on)
    earlier = Signature("K.", SignatureMethod.PAPER, NOW, paper_date=date(2020, 1, 1))
    signed = plan.sign(SignerRole.CLIENT, paper, content=digest).sign(
        SignerRole.CASEWORKER, earlier, content=digest
    )
    # Activated whenever the sync brings it: the date comes from the signatures, not from then,
    # and activating changes nothing of what was signed.
    active = signed.activate(at=datetime(2030, 1, 1, tzinfo=UTC))
    assert (active.status, active.evaluation_due()) == (PlanStatus.ACTIVE, expected)
    assert active.next_evaluation is None
    assert content_hash(active, actions) == active.content_hash
    assert signed.evaluation_due() is None  # not active yet
    chosen = plan.edited(next_evaluation=date(2027, 3, 1))
    digest = content_hash(chosen, actions)
    kept = (
        chosen.sign(SignerRole.CLIENT, paper, content=digest)
        .sign(SignerRole.CASEWORKER, earlier, content=digest)
        .activate(at=NOW)
    )
    assert kept.evaluation_due() == date(2027, 3, 1)


def test_activation_needs_goals_and_both_signatures() -> None:
    plan, actions = draft()
    digest = content_hash(plan, actions)
    with pytest.raises(DomainError) as unsigned:
        plan.sign(SignerRole.CLIENT, drawn(), content=digest).activate(at=NOW)
    assert unsigned.value.code == "plan_not_signed"
    goalless = plan.edited(goals=("  ",))
    digest = content_hash(goalless, actions)
    both = goalless.sign(SignerRole.CLIENT, drawn(), content=digest).sign(
        SignerRole.CASEWORKER, drawn(), content=digest
    )
    with pytest.raises(DomainError) as no_goals:
        both.activate(at=NOW)
    assert no_goals.value.code == "plan_without_goals"


def test_a_new_version_starts_unsigned_from_the_old_content_and_says_what_changed() -> None:
    plan, actions = draft()
    digest = content_hash(plan, actions)
    active = (
        plan.sign(SignerRole.CLIENT, drawn(), content=digest)
        .sign(SignerRole.CASEWORKER, drawn(), content=digest)
        .activate(at=NOW)
    )
    following = active.next_revision().edited(agreements="Elke maand een gesprek")
    assert (following.revision, following.previous_id, following.status) == (
        2,
        active.id,
        PlanStatus.DRAFT,
    )
    assert following.content_hash is None and following.client_signature is None
    assert following.editable and following.next_evaluation == active.next_evaluation
    carried = [a.copied_to(following.id) for a in actions]
    carried[0] = replace(carried[0], due_date=date(2027, 2, 1))
    added = PlanAction(
        client_id="c1", plan_id=following.id, description="Sollicitatietraining", rank=2
    )
    changes = plan_changes(active, actions, following, [carried[0], added])
    assert [(c.kind, c.name) for c in changes] == [
        ("field", "agreements"),
        ("action_changed", "Cv bijwerken"),
        ("action_added", "Sollicitatietraining"),
        ("action_removed", "Intake schuldhulp"),
    ]
    assert changes[1].before["due_date"] is None and changes[1].after["due_date"] == "2027-02-01"


def test_obligations_and_owners_are_checked() -> None:
    keys = [o.key for o in plan_obligations()]
    assert "werk_verkrijgen" in keys and len(keys) == len(set(keys))
    assert all(o.source.startswith("art. ") and o.nl and o.en for o in plan_obligations())
    with pytest.raises(ValidationError):
        ClientPlan(client_id="c1", caseworker="k", obligations=("iets_anders",))
    with pytest.raises(ValidationError):
        PlanAction(client_id="c1", plan_id="p", description="x", owner=ActionOwner.PARTNER)


def test_the_letterhead_is_the_municipality_of_the_time() -> None:
    assert letterhead_municipality("Zoutkamp", date(2026, 1, 5)) == "Het Hogeland"
    assert letterhead_municipality("Zoutkamp", date(2018, 12, 31)) == "De Marne"
    assert letterhead_municipality("Bedum", date(2018, 3, 1)) == "Bedum"
