"""The one label table: every entity, field and action has a Dutch and an English name."""

from __future__ import annotations

import pytest

from app.domain.schema import (
    ACTION_LABELS,
    ENTITY_LABELS,
    FIELD_LABELS,
    FIELDS,
    action_label,
    entity_label,
    field_label,
    field_names,
)

LANGUAGES = ("nl", "en")


def test_every_entity_has_labels_in_both_languages() -> None:
    assert set(ENTITY_LABELS) == set(FIELDS)
    for entity in FIELDS:
        for language in LANGUAGES:
            for plural in (False, True):
                label = entity_label(entity, language, plural)
                assert label and label != entity and label[0].isupper(), (entity, language)


@pytest.mark.parametrize("entity", sorted(FIELDS))
def test_every_field_has_a_label_in_both_languages(entity: str) -> None:
    # No field without a label, and no label left behind for a field that is gone.
    assert set(FIELD_LABELS[entity]) == set(field_names(entity))
    for spec in FIELDS[entity]:
        for language in LANGUAGES:
            label = field_label(entity, spec.name, language)
            assert label and label != spec.name, (entity, spec.name, language)
            assert label == label.strip() and label[0].isupper(), (entity, spec.name, label)


def test_one_wording_per_field() -> None:
    assert field_label("client", "phone") == "Telefoonnummer"
    assert field_label("client", "phone", "en") == "Phone number"
    assert field_label("visit", "legal_identification_shown") == "Legitimatie getoond"
    # A field shared by several entities is called the same everywhere.
    for name in ("bsn", "surname", "caseworker", "status", "client_id", "date_of_birth"):
        labels = {
            (field_label(e, name, "nl"), field_label(e, name, "en"))
            for e in FIELDS
            if name in field_names(e)
        }
        assert len(labels) == 1, (name, labels)


def test_mid_sentence_form() -> None:
    assert field_label("client", "postcode", mid_sentence=True) == "postcode"
    assert field_label("client", "phone", "en", mid_sentence=True) == "phone number"
    assert field_label("client", "bsn", mid_sentence=True) == "BSN"
    assert entity_label("visit", mid_sentence=True) == "huisbezoek"


def test_entity_forms() -> None:
    assert entity_label("visit") == "Huisbezoek"
    assert entity_label("visit", "nl", plural=True) == "Huisbezoeken"
    assert entity_label("client_plan", "en", True) == "Client plans"
    assert entity_label("client", details=True) == "Cliëntgegevens"
    assert entity_label("note", details=True) == "Notitie"


def test_actions_as_command_and_as_done() -> None:
    assert action_label("submit") == "Indienen"
    assert action_label("submit", "en") == "Submit"
    assert action_label("submit", done=True) == "Ingediend"
    assert action_label("update", done=True, mid_sentence=True) == "gewijzigd"
    # The history names a resolved conflict in words, not by its code.
    assert action_label("resolve_conflict", done=True, mid_sentence=True) == "conflict opgelost"
    assert action_label("resolve_conflict", "en", done=True) == "Conflict resolved"
    for action in ACTION_LABELS:
        for language in LANGUAGES:
            for done in (False, True):
                assert action_label(action, language, done=done) != action


def test_pseudo_fields_of_a_refused_change() -> None:
    assert field_label("intake", "*") == "Hele wijziging"
    assert field_label("intake", "command", "en") == "Action"


def test_unknown_codes_are_shown_as_they_are() -> None:
    assert entity_label("device") == "device"
    assert field_label("client", "shoe_size") == "shoe_size"
    assert action_label("rewind_time") == "rewind_time"
