"""The brede intake's parts per scheme, its completeness, and the review rounds and threads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.domain.errors import DomainError, ValidationError
from app.domain.intake import Intake, sections_for
from app.domain.intake_fields import (
    IntakeSection,
    content_fields,
    section_fields,
    section_of,
)
from app.domain.reference import taaleis_skills, wmo_topics
from app.domain.review import (
    Decision,
    IntakeRound,
    ReviewComment,
    ThreadStatus,
    changed_fields,
    changed_sections,
    open_thread_count,
    threads,
)
from app.domain.schema import FIELDS, field_label

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
PW, WMO = "participatiewet", "wmo"


def scored() -> Intake:
    intake = Intake(client_id="c", caseworker="k.dijkstra")
    for domain in intake.domains():
        intake = intake.with_score(domain.key, 3, "")
    return intake.with_participation(current=2, target=4)


def wmo_complete(intake: Intake) -> Intake:
    values = {
        "consent_wmo": True,
        "wmo_melding_date": "2026-11-02",
        "wmo_clientondersteuning_told": True,
        "wmo_personal_plan_told": True,
        "wmo_identity_checked": True,
        "wmo_mantelzorger_present": False,
    }
    values |= {f"wmo_topic_{t.key}": "Besproken aan de keukentafel." for t in wmo_topics()}
    return intake.edited(values)


def test_every_form_field_is_a_column_with_a_label_and_a_section() -> None:
    columns = {spec.name for spec in FIELDS["intake"]}
    assert set(content_fields()) <= columns
    for name in content_fields():
        assert field_label("intake", name) != name
        assert name in section_fields(section_of(name))
    # A score and its remark merge separately from every other domain's.
    assert "score_financien" in columns and "remark_financien" in columns
    assert "scores" not in columns


def test_an_answer_is_saved_per_field_and_only_form_fields_are_edited() -> None:
    intake = scored()
    edited = intake.edited({"score_financien": 1, "remark_financien": "Schulden"})
    assert edited.scores["financien"].score == 1
    assert edited.to_fields()["remark_financien"] == "Schulden"
    with pytest.raises(ValidationError) as caught:
        intake.edited({"status": "approved"})
    assert caught.value.code == "not_a_form_field"
    with pytest.raises(ValidationError):
        intake.edited({"score_financien": 7})
    with pytest.raises(ValidationError):
        intake.edited({"pw_taal_lezen": "bijna"})
    with pytest.raises(ValidationError):
        intake.edited({"wmo_melding_date": "31-02-2026"})


def test_parts_round_trip_through_field_dicts() -> None:
    intake = wmo_complete(scored()).edited(
        {"pw_taal_lezen": "voldoet_niet", "pw_aanvraag_date": "2026-11-20"}
    )
    again = Intake.from_fields(intake.id, intake.to_fields())
    assert again == intake
    assert again.part_date("pw_aanvraag_date") is not None
    assert again.consent == {"wmo": True}


def test_completeness_asks_only_for_the_parts_of_the_clients_schemes() -> None:
    intake = scored()
    assert intake.missing(()) == []
    missing = intake.missing((WMO,))
    assert missing[0] == "consent_wmo"
    assert "wmo_melding_date" in missing
    assert {f"wmo_topic_{t.key}" for t in wmo_topics()} <= set(missing)
    assert not any(name.startswith("pw_") for name in missing)
    assert wmo_complete(intake).missing((WMO,)) == []


def test_explained_means_yes_and_the_taaleis_needs_an_exemption_or_every_skill() -> None:
    intake = scored().edited(
        {
            "consent_participatiewet": True,
            "pw_melding_date": "2026-11-02",
            "pw_aanvraag_date": "2026-11-04",
            "pw_art9_explained": True,
            "pw_art18_explained": False,
        }
    )
    missing = intake.missing((PW,))
    assert "pw_art18_explained" in missing
    assert {f"pw_taal_{s.key}" for s in taaleis_skills()} <= set(missing)
    exempt = intake.edited(
        {"pw_art18_explained": True, "pw_taaleis_exemption": "Nederlands als moedertaal"}
    )
    assert exempt.missing((PW,)) == []
    tested = intake.edited(
        {"pw_art18_explained": True} | {f"pw_taal_{s.key}": "voldoet" for s in taaleis_skills()}
    )
    assert tested.missing((PW,)) == []
    # A skill below 1F needs the date of the written notice.
    failed = tested.edited({"pw_taal_schrijven": "voldoet_niet"})
    assert failed.missing((PW,)) == ["pw_taaleis_notice_date"]
    assert failed.edited({"pw_taaleis_notice_date": "2026-11-10"}).missing((PW,)) == []


def test_submit_checks_the_parts_and_counts_rounds() -> None:
    with pytest.raises(DomainError) as caught:
        scored().submit(at=NOW, schemes=(WMO,))
    assert caught.value.code == "intake_incomplete"
    submitted = wmo_complete(scored()).submit(at=NOW, schemes=(WMO,))
    assert submitted.round == 1 and not submitted.editable
    with pytest.raises(DomainError):
        submitted.edited({"barriers": "Te laat"})


def test_sections_follow_the_schemes() -> None:
    assert IntakeSection.WMO in sections_for((WMO,))
    assert IntakeSection.PARTICIPATIEWET not in sections_for((WMO,))
    assert IntakeSection.GENERAL not in sections_for((WMO, PW))
    assert sections_for(())[0] is IntakeSection.SCORES


def test_a_round_keeps_what_was_submitted_and_is_decided_once() -> None:
    with pytest.raises(DomainError):
        IntakeRound.of(scored())
    submitted = scored().submit(at=NOW)
    kept = IntakeRound.of(submitted)
    assert kept.number == 1 and kept.content == submitted.content()
    assert "status" not in kept.content
    decided = kept.decided(Decision.RETURNED, reviewer="t.mulder", at=NOW)
    with pytest.raises(DomainError) as caught:
        decided.decided(Decision.APPROVED, reviewer="t.mulder", at=NOW)
    assert caught.value.code == "round_decided"
    assert IntakeRound.from_fields(decided.id, decided.to_fields()) == decided


def comment(section: IntakeSection, text: str, minutes: int, **kwargs: object) -> ReviewComment:
    return ReviewComment(
        client_id="c",
        intake_id="i",
        section=section,
        round=1,
        author="t.mulder",
        text=text,
        written_at=NOW + timedelta(minutes=minutes),
        **kwargs,  # type: ignore[arg-type]
    )


def test_threads_group_answers_in_form_order_and_only_threads_resolve() -> None:
    wmo = comment(IntakeSection.WMO, "Topic d ontbreekt.", 1)
    scores = comment(IntakeSection.SCORES, "Onderbouw financiën.", 2)
    answer = comment(IntakeSection.SCORES, "Toegelicht.", 5, thread_id=scores.id)
    found = threads([answer, wmo, scores])
    assert [t.section for t in found] == [IntakeSection.SCORES, IntakeSection.WMO]
    assert found[0].answers == (answer,) and found[0].open
    with pytest.raises(DomainError) as caught:
        answer.resolved(by="k.dijkstra", at=NOW)
    assert caught.value.code == "not_a_thread"
    resolved = scores.resolved(by="k.dijkstra", at=NOW)
    assert resolved.status is ThreadStatus.RESOLVED and resolved.resolved_by == "k.dijkstra"
    assert open_thread_count([resolved, wmo, answer]) == 1
    assert resolved.reopened().status is ThreadStatus.OPEN
    with pytest.raises(ValidationError):
        comment(IntakeSection.GENERAL, "   ", 0)


def test_changed_fields_compare_answers_not_empty_spellings() -> None:
    before = scored().content()
    after = scored().edited({"score_financien": 1, "barriers": "Geen vervoer"}).content()
    assert changed_fields(before, after) == ("score_financien", "barriers")
    assert changed_sections(before, after) == {IntakeSection.SCORES, IntakeSection.BARRIERS}
    # A field a newer version added (missing in an old round) equals an empty answer.
    older = {k: v for k, v in before.items() if k != "household_situation"}
    assert changed_fields(older, before) == ()
