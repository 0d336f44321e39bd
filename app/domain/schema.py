"""The shape of every record's field dict, as data: the device's tables and the server's tables are
both built from this, so the two can never disagree about which fields a record has.

Kinds: "str" (with a length), "text", "int", "bool", "date" and "datetime" (ISO strings in field
dicts), "json" (lists and dicts), "uuid" (a reference to another record).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from app.domain import formatting
from app.domain.intake_fields import (
    PW_DATES,
    PW_EXPLAINED,
    PW_TAALEIS_DATES,
    PW_TAALEIS_EXEMPTION,
    WMO_CHECKS,
    WMO_DATES,
    WMO_REPORT_GIVEN,
    WMO_TOLD,
    consent_field,
    remark_field,
    score_field,
    taal_field,
    topic_field,
)
from app.domain.reference import (
    all_domain_keys,
    domain_labels,
    scheme_codes,
    scheme_labels,
    taaleis_skills,
    wmo_topics,
)

Kind = Literal["str", "text", "int", "bool", "date", "datetime", "json", "uuid"]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    kind: Kind
    length: int | None = None
    nullable: bool = False


def _f(name: str, kind: Kind, length: int | None = None, *, null: bool = False) -> FieldSpec:
    return FieldSpec(name, kind, length, null)


_CLIENT_REF = _f("client_id", "uuid")

_NAME = (
    _f("initials", "str", 20),
    _f("first_names", "str", 200),
    _f("name_prefix", "str", 20),
    _f("surname", "str", 200),
)


def _intake_fields() -> tuple[FieldSpec, ...]:
    """The intake: every answer a field of its own (see app.domain.intake_fields)."""
    answers: list[FieldSpec] = []
    for key in all_domain_keys():
        answers += [_f(score_field(key), "int", null=True), _f(remark_field(key), "text")]
    answers += [
        _f("ladder_current", "int", null=True),
        _f("ladder_target", "int", null=True),
        _f("barriers", "text"),
        _f("strengths", "text"),
        _f("household_situation", "text"),
    ]
    answers += [_f(consent_field(code), "bool", null=True) for code in scheme_codes()]
    answers += [_f(name, "date", null=True) for name in PW_DATES]
    answers += [_f(name, "bool", null=True) for name in PW_EXPLAINED]
    answers.append(_f(PW_TAALEIS_EXEMPTION, "text"))
    answers += [_f(taal_field(s.key), "str", 20, null=True) for s in taaleis_skills()]
    answers += [_f(name, "date", null=True) for name in PW_TAALEIS_DATES]
    answers += [_f(name, "date", null=True) for name in WMO_DATES]
    answers += [_f(name, "bool", null=True) for name in WMO_TOLD]
    answers += [_f(topic_field(t.key), "text") for t in wmo_topics()]
    answers += [_f(name, "bool", null=True) for name in WMO_CHECKS]
    answers.append(_f(WMO_REPORT_GIVEN, "date", null=True))
    return (
        _CLIENT_REF,
        _f("caseworker", "str", 100),
        _f("domain_version", "str", 20),
        *answers,
        _f("status", "str", 20),
        _f("round", "int"),
        _f("submitted_at", "datetime", null=True),
        _f("reviewer", "str", 100, null=True),
        _f("reviewed_at", "datetime", null=True),
    )


FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "client": (
        _f("bsn", "str", 9),
        *_NAME,
        _f("date_of_birth", "date"),
        _f("street", "str", 200),
        _f("house_number", "int"),
        _f("house_number_addition", "str", 6),
        _f("postcode", "str", 7),
        _f("village", "str", 100),
        _f("municipality", "str", 100),
        _f("phone", "str", 20, null=True),
        _f("email", "str", 254, null=True),
        _f("participation_step", "int", null=True),
        _f("caseworker", "str", 100),
    ),
    "household_member": (
        _CLIENT_REF,
        _f("relation", "str", 20),
        *_NAME,
        _f("date_of_birth", "date"),
        _f("bsn", "str", 9, null=True),
    ),
    "enrollment": (
        _CLIENT_REF,
        _f("scheme", "str", 30),
        _f("start_date", "date"),
        _f("end_date", "date", null=True),
        _f("caseworker", "str", 100),
        _f("consent_given", "bool"),
        _f("consent_date", "date", null=True),
        # granted / refused / broken_off (app.domain.reference.EnrollmentOutcome): retention.
        _f("outcome", "str", 20),
    ),
    "visit": (
        _CLIENT_REF,
        _f("planned_at", "datetime"),
        _f("purpose", "str", 20),
        _f("status", "str", 20),
        _f("caseworker", "str", 100),
        _f("legal_reason", "text", null=True),
        _f("legal_identification_shown", "bool", null=True),
        _f("legal_purpose_stated", "bool", null=True),
        _f("legal_entry_consent", "str", 10, null=True),
        _f("notes", "text"),
        _f("outcome", "text"),
        _f("recorded_at", "datetime", null=True),
    ),
    "intake": _intake_fields(),
    "intake_round": (
        _CLIENT_REF,
        _f("intake_id", "uuid"),
        _f("number", "int"),
        _f("submitted_at", "datetime"),
        _f("submitted_by", "str", 100),
        _f("content", "json"),
        _f("decision", "str", 20, null=True),
        _f("reviewer", "str", 100, null=True),
        _f("decided_at", "datetime", null=True),
    ),
    "review_comment": (
        _CLIENT_REF,
        _f("intake_id", "uuid"),
        _f("thread_id", "uuid"),
        _f("section", "str", 30),
        _f("round", "int"),
        _f("author", "str", 100),
        _f("author_role", "str", 20),
        _f("text", "text"),
        _f("written_at", "datetime"),
        _f("status", "str", 20),
        _f("resolved_by", "str", 100, null=True),
        _f("resolved_at", "datetime", null=True),
    ),
    "client_plan": (
        _CLIENT_REF,
        _f("caseworker", "str", 100),
        _f("municipality", "str", 100),
        _f("revision", "int"),
        _f("previous_id", "uuid", null=True),
        _f("status", "str", 20),
        _f("service_layer", "str", 30),
        _f("support_offered", "text"),
        _f("obligations", "json"),
        _f("consequences", "text"),
        _f("goals", "json"),
        _f("agreements", "text"),
        _f("tegenprestatie", "text"),
        _f("own_words", "text"),
        _f("single_parent_exemption", "bool"),
        _f("next_evaluation", "date", null=True),
        _f("content_hash", "str", 64, null=True),
        _f("client_signature", "json", null=True),
        _f("caseworker_signature", "json", null=True),
        _f("activated_at", "datetime", null=True),
        _f("closed_at", "datetime", null=True),
    ),
    "plan_action": (
        _CLIENT_REF,
        _f("plan_id", "uuid"),
        _f("description", "text"),
        _f("owner", "str", 20),
        _f("partner", "str", 200),
        _f("due_date", "date", null=True),
        _f("status", "str", 20),
        _f("rank", "int"),
    ),
    "note": (
        _CLIENT_REF,
        _f("text", "text"),
        _f("author", "str", 100),
        _f("written_at", "datetime"),
    ),
    "attachment": (
        _CLIENT_REF,
        _f("name", "str", 255),
        _f("media_type", "str", 100),
        _f("size", "int"),
        _f("sha256", "str", 64),
    ),
}

# Fields that only change through a command checked by the domain (submit, review, activate),
# never as a plain field edit from a device.
COMMAND_FIELDS: dict[str, frozenset[str]] = {
    "intake": frozenset({"status", "round", "submitted_at", "reviewer", "reviewed_at"}),
    "review_comment": frozenset({"status", "resolved_by", "resolved_at", "author_role"}),
    "client_plan": frozenset(
        {
            "status",
            "activated_at",
            "closed_at",
            "content_hash",
            "client_signature",
            "caseworker_signature",
        }
    ),
}

# What a record starts as when a device creates it, whatever the device says: a draft,
# unreviewed and unsigned. The command fields above move on only through their commands.
CREATED_AS: dict[str, dict[str, Any]] = {
    "intake": {
        "status": "draft",
        "submitted_at": None,
        "reviewer": None,
        "reviewed_at": None,
        "round": 0,
    },
    "review_comment": {"status": "open", "resolved_by": None, "resolved_at": None},
    "client_plan": {
        "status": "draft",
        "activated_at": None,
        "closed_at": None,
        "content_hash": None,
        "client_signature": None,
        "caseworker_signature": None,
    },
}

# Who a record belongs to: set from the signed-in user when the record is created, never taken
# from a device, and not changed by a field edit afterwards (a client's caseworker changes by
# assignment at central office).
OWNER_FIELDS: dict[str, str] = {
    "client": "caseworker",
    "enrollment": "caseworker",
    "visit": "caseworker",
    "intake": "caseworker",
    "client_plan": "caseworker",
    "note": "author",
    "review_comment": "author",
}

# Fields that, like the parent and the owner, never change after create: the version a plan
# replaces and its number, the plan an action belongs to.
FIXED_AFTER_CREATE: dict[str, frozenset[str]] = {
    "client_plan": frozenset({"previous_id", "revision"}),
    "plan_action": frozenset({"plan_id"}),
}

# Records only the server writes (a round is kept when an intake is submitted); devices read them.
SERVER_WRITTEN: frozenset[str] = frozenset({"intake_round"})

# Every record hangs under one client; that key never changes after create.
PARENT_FIELD = "client_id"

# Longest values accepted for the kinds without a length of their own (a visit report, a note,
# the goals and actions of a plan), so one record cannot grow storage without bound.
MAX_TEXT_CHARS = 20_000
MAX_JSON_CHARS = 100_000


def too_long(entity: str, values: Mapping[str, Any]) -> tuple[str, int] | None:
    """The first field whose value is longer than its kind allows, with that maximum."""
    specs = {spec.name: spec for spec in FIELDS[entity]}
    for name, value in values.items():
        spec = specs.get(name)
        if spec is None or value is None:
            continue
        if spec.kind in ("str", "text") and isinstance(value, str):
            limit = spec.length if spec.kind == "str" and spec.length else MAX_TEXT_CHARS
            if len(value) > limit:
                return name, limit
        elif (
            spec.kind == "json"
            and len(json.dumps(value, default=str, ensure_ascii=False)) > MAX_JSON_CHARS
        ):
            return name, MAX_JSON_CHARS
    return None


def field_names(entity: str) -> tuple[str, ...]:
    return tuple(spec.name for spec in FIELDS[entity])


# ------------------------------------------------------------------------------------ labels
# What people call every entity, field and action, in Dutch and English: the one table that
# services, screens and documents use, so a field has one name wherever it appears. A label is a
# caption ("Telefoonnummer"); `mid_sentence=True` gives it as it reads inside a sentence
# ("telefoonnummer", while "BSN" stays "BSN").

Label = tuple[str, str]  # (Dutch, English)


@dataclass(frozen=True, slots=True)
class EntityLabel:
    one: Label
    many: Label
    # The record's data as the subject of a change ("Cliëntgegevens gewijzigd"), where the
    # entity's own name would name the person instead of their details.
    details: Label | None = None


ENTITY_LABELS: dict[str, EntityLabel] = {
    "client": EntityLabel(
        ("Cliënt", "Client"), ("Cliënten", "Clients"), ("Cliëntgegevens", "Client details")
    ),
    "household_member": EntityLabel(
        ("Gezinslid", "Household member"), ("Gezinsleden", "Household members")
    ),
    "enrollment": EntityLabel(("Regeling", "Scheme"), ("Regelingen", "Schemes")),
    "visit": EntityLabel(("Huisbezoek", "Home visit"), ("Huisbezoeken", "Home visits")),
    "intake": EntityLabel(("Intake", "Intake"), ("Intakes", "Intakes")),
    "intake_round": EntityLabel(
        ("Beoordelingsronde", "Review round"), ("Beoordelingsrondes", "Review rounds")
    ),
    "review_comment": EntityLabel(("Opmerking", "Comment"), ("Opmerkingen", "Comments")),
    "client_plan": EntityLabel(
        ("Plan van aanpak", "Client plan"), ("Plannen van aanpak", "Client plans")
    ),
    "plan_action": EntityLabel(("Actie uit het plan", "Plan action"), ("Acties", "Actions")),
    "note": EntityLabel(("Notitie", "Note"), ("Notities", "Notes")),
    "attachment": EntityLabel(("Bijlage", "Attachment"), ("Bijlagen", "Attachments")),
}

_CLIENT_REF_LABEL: dict[str, Label] = {"client_id": ("Cliënt", "Client")}
_NAME_LABELS: dict[str, Label] = {
    "initials": ("Voorletters", "Initials"),
    "first_names": ("Voornamen", "First names"),
    "name_prefix": ("Tussenvoegsel", "Name prefix"),
    "surname": ("Achternaam", "Surname"),
}
_CASEWORKER_LABEL: dict[str, Label] = {"caseworker": ("Klantmanager", "Caseworker")}
_STATUS_LABEL: dict[str, Label] = {"status": ("Status", "Status")}


def _intake_answer_labels() -> dict[str, Label]:
    labels: dict[str, Label] = {}
    for key, domain in domain_labels().items():
        labels[score_field(key)] = (domain.nl, domain.en)
        labels[remark_field(key)] = (
            f"Toelichting {formatting.mid_sentence(domain.nl)}",
            f"Remark on {formatting.mid_sentence(domain.en)}",
        )
    labels.update(
        {
            "ladder_current": ("Huidige trede", "Current step"),
            "ladder_target": ("Doeltrede", "Target step"),
            "barriers": ("Belemmeringen", "Barriers"),
            "strengths": ("Krachten", "Strengths"),
            "household_situation": ("Thuissituatie", "Household situation"),
        }
    )
    for code, scheme in scheme_labels().items():
        labels[consent_field(code)] = (f"Toestemming {scheme.nl}", f"Consent {scheme.en}")
    labels.update(
        {
            "pw_melding_date": (
                "Datum melding (Participatiewet)",
                "Date of report (Participation Act)",
            ),
            "pw_aanvraag_date": (
                "Datum aanvraag (Participatiewet)",
                "Date of application (Participation Act)",
            ),
            "pw_art9_explained": (
                "Arbeidsverplichtingen (art. 9 lid 1) uitgelegd",
                "Work obligations (art. 9(1)) explained",
            ),
            "pw_art18_explained": (
                "Gevolgen bij niet nakomen (art. 18 lid 4) uitgelegd",
                "Consequences of not meeting them (art. 18(4)) explained",
            ),
            "pw_taaleis_exemption": (
                "Reden ontheffing taaleis",
                "Reason for exemption from the language requirement",
            ),
            "pw_taaleis_notice_date": (
                "Datum schriftelijke mededeling taaleis",
                "Date of the written notice (language requirement)",
            ),
            "pw_taaleis_agreed_date": (
                "Datum afspraak taal leren",
                "Date the client agreed to learn the language",
            ),
            "wmo_melding_date": ("Datum melding (Wmo)", "Date of report (Wmo)"),
            "wmo_aanvraag_date": ("Datum aanvraag (Wmo)", "Date of application (Wmo)"),
            "wmo_clientondersteuning_told": (
                "Gewezen op gratis cliëntondersteuning",
                "Told of free client support",
            ),
            "wmo_personal_plan_told": (
                "Gewezen op persoonlijk plan (binnen 7 dagen)",
                "Told of the personal plan (within 7 days)",
            ),
            "wmo_identity_checked": ("Identiteit vastgesteld", "Identity checked"),
            "wmo_mantelzorger_present": ("Mantelzorger aanwezig", "Informal carer present"),
            "wmo_report_given_date": (
                "Datum verslag aan cliënt gegeven",
                "Date the report was given to the client",
            ),
        }
    )
    for skill in taaleis_skills():
        labels[taal_field(skill.key)] = (
            f"Taaleis: {skill.nl}",
            f"Language requirement: {skill.en}",
        )
    for topic in wmo_topics():
        labels[topic_field(topic.key)] = (topic.nl, topic.en)
    return labels


# Per entity, every field of FIELDS (a test holds the two together).
FIELD_LABELS: dict[str, dict[str, Label]] = {
    "client": {
        "bsn": ("BSN", "BSN"),
        **_NAME_LABELS,
        "date_of_birth": ("Geboortedatum", "Date of birth"),
        "street": ("Straat", "Street"),
        "house_number": ("Huisnummer", "House number"),
        "house_number_addition": ("Huisnummertoevoeging", "House number addition"),
        "postcode": ("Postcode", "Postcode"),
        "village": ("Woonplaats", "Village"),
        "municipality": ("Gemeente", "Municipality"),
        "phone": ("Telefoonnummer", "Phone number"),
        "email": ("E-mailadres", "E-mail address"),
        "participation_step": ("Trede participatieladder", "Participation ladder step"),
        **_CASEWORKER_LABEL,
    },
    "household_member": {
        **_CLIENT_REF_LABEL,
        "relation": ("Relatie", "Relationship"),
        **_NAME_LABELS,
        "date_of_birth": ("Geboortedatum", "Date of birth"),
        "bsn": ("BSN", "BSN"),
    },
    "enrollment": {
        **_CLIENT_REF_LABEL,
        "scheme": ("Regeling", "Scheme"),
        "start_date": ("Begindatum", "Start date"),
        "end_date": ("Einddatum", "End date"),
        **_CASEWORKER_LABEL,
        "consent_given": ("Toestemming gegeven", "Consent given"),
        "consent_date": ("Datum toestemming", "Date of consent"),
        "outcome": ("Uitkomst", "Outcome"),
    },
    "visit": {
        **_CLIENT_REF_LABEL,
        "planned_at": ("Gepland op", "Planned for"),
        "purpose": ("Soort bezoek", "Type of visit"),
        **_STATUS_LABEL,
        **_CASEWORKER_LABEL,
        "legal_reason": ("Reden van het bezoek", "Reason for the visit"),
        "legal_identification_shown": ("Legitimatie getoond", "Identification shown"),
        "legal_purpose_stated": ("Doel van het bezoek genoemd", "Purpose of the visit stated"),
        "legal_entry_consent": ("Toestemming binnentreden", "Consent to entry"),
        "notes": ("Aantekeningen", "Notes"),
        "outcome": ("Uitkomst", "Outcome"),
        "recorded_at": ("Vastgelegd op", "Recorded at"),
    },
    "intake": {
        **_CLIENT_REF_LABEL,
        **_CASEWORKER_LABEL,
        "domain_version": ("Versie zelfredzaamheidsmatrix", "Self-sufficiency matrix version"),
        **_intake_answer_labels(),
        **_STATUS_LABEL,
        "round": ("Ronde", "Round"),
        "submitted_at": ("Ingediend op", "Submitted at"),
        "reviewer": ("Beoordelaar", "Reviewer"),
        "reviewed_at": ("Beoordeeld op", "Reviewed at"),
    },
    "intake_round": {
        **_CLIENT_REF_LABEL,
        "intake_id": ("Intake", "Intake"),
        "number": ("Ronde", "Round"),
        "submitted_at": ("Ingediend op", "Submitted at"),
        "submitted_by": ("Ingediend door", "Submitted by"),
        "content": ("Inhoud", "Content"),
        "decision": ("Besluit", "Decision"),
        "reviewer": ("Beoordelaar", "Reviewer"),
        "decided_at": ("Besloten op", "Decided at"),
    },
    "review_comment": {
        **_CLIENT_REF_LABEL,
        "intake_id": ("Intake", "Intake"),
        "thread_id": ("Discussie", "Thread"),
        "section": ("Onderdeel", "Section"),
        "round": ("Ronde", "Round"),
        "author": ("Auteur", "Author"),
        "author_role": ("Rol", "Role"),
        "text": ("Tekst", "Text"),
        "written_at": ("Geschreven op", "Written at"),
        **_STATUS_LABEL,
        "resolved_by": ("Opgelost door", "Resolved by"),
        "resolved_at": ("Opgelost op", "Resolved at"),
    },
    "client_plan": {
        **_CLIENT_REF_LABEL,
        **_CASEWORKER_LABEL,
        "municipality": ("Gemeente", "Municipality"),
        "revision": ("Versie", "Version"),
        "previous_id": ("Vorige versie", "Previous version"),
        **_STATUS_LABEL,
        "service_layer": ("Dienstverleningslaag", "Service layer"),
        "support_offered": ("Ondersteuning", "Support offered"),
        "obligations": ("Verplichtingen gericht op werk", "Obligations aimed at work"),
        "consequences": ("Gevolgen bij niet nakomen", "Consequences of not meeting them"),
        "goals": ("Doelen", "Goals"),
        "agreements": ("Afspraken", "Agreements"),
        "tegenprestatie": (
            "Tegenprestatie en maatschappelijke participatie",
            "Community service and participation",
        ),
        "own_words": ("Wat wil ik zelf", "What I want myself"),
        "single_parent_exemption": (
            "Vrijstelling alleenstaande ouder (art. 9a)",
            "Single parent exemption (art. 9a)",
        ),
        "next_evaluation": ("Volgende evaluatie", "Next evaluation"),
        "content_hash": ("Kenmerk van de inhoud", "Content fingerprint"),
        "client_signature": ("Handtekening cliënt", "Client's signature"),
        "caseworker_signature": ("Handtekening klantmanager", "Caseworker's signature"),
        "activated_at": ("Actief sinds", "Active since"),
        "closed_at": ("Afgesloten op", "Closed on"),
    },
    "plan_action": {
        **_CLIENT_REF_LABEL,
        "plan_id": ("Plan", "Plan"),
        "description": ("Wat", "What"),
        "owner": ("Wie", "Who"),
        "partner": ("Partnerorganisatie", "Partner organisation"),
        "due_date": ("Wanneer", "When"),
        **_STATUS_LABEL,
        "rank": ("Volgorde", "Order"),
    },
    "note": {
        **_CLIENT_REF_LABEL,
        "text": ("Tekst", "Text"),
        "author": ("Auteur", "Author"),
        "written_at": ("Geschreven op", "Written at"),
    },
    "attachment": {
        **_CLIENT_REF_LABEL,
        "name": ("Bestandsnaam", "File name"),
        "media_type": ("Bestandstype", "File type"),
        "size": ("Grootte", "Size"),
        "sha256": ("Controlegetal", "Checksum"),
    },
}

# What a change can name that is not a field of the record: a refused entry as a whole, or the
# command it carried (sync's conflict rows use these as their field).
PSEUDO_FIELD_LABELS: dict[str, Label] = {
    "*": ("Hele wijziging", "The whole change"),
    "command": ("Actie", "Action"),
    "comments": ("Opmerkingen", "Comments"),
}


@dataclass(frozen=True, slots=True)
class ActionLabel:
    command: Label  # as a button or a choice: "Indienen"
    done: Label  # what happened, as the history tells it: "Ingediend"


# The audit actions a dossier's history shows, and the commands a device sends.
ACTION_LABELS: dict[str, ActionLabel] = {
    "create": ActionLabel(("Toevoegen", "Add"), ("Toegevoegd", "Added")),
    "update": ActionLabel(("Wijzigen", "Change"), ("Gewijzigd", "Changed")),
    "delete": ActionLabel(("Verwijderen", "Delete"), ("Verwijderd", "Deleted")),
    "view": ActionLabel(("Openen", "Open"), ("Geopend", "Opened")),
    "export": ActionLabel(("Exporteren", "Export"), ("Geëxporteerd", "Exported")),
    "print": ActionLabel(("Afdrukken", "Print"), ("Afgedrukt", "Printed")),
    "submit": ActionLabel(("Indienen", "Submit"), ("Ingediend", "Submitted")),
    "approve": ActionLabel(("Goedkeuren", "Approve"), ("Goedgekeurd", "Approved")),
    "return": ActionLabel(("Terugsturen", "Return"), ("Teruggestuurd", "Returned")),
    # A team lead's decision through the server's review API (the access report names them).
    "approve_intake": ActionLabel(("Goedkeuren", "Approve"), ("Goedgekeurd", "Approved")),
    "return_intake": ActionLabel(("Terugsturen", "Return"), ("Teruggestuurd", "Returned")),
    "resolve": ActionLabel(("Oplossen", "Resolve"), ("Opgelost", "Resolved")),
    "reopen": ActionLabel(("Heropenen", "Reopen"), ("Heropend", "Reopened")),
    "activate": ActionLabel(("Activeren", "Activate"), ("Geactiveerd", "Activated")),
    "sign": ActionLabel(("Tekenen", "Sign"), ("Ondertekend", "Signed")),
    "close": ActionLabel(("Afsluiten", "Close"), ("Afgesloten", "Closed")),
    "resolve_conflict": ActionLabel(
        ("Conflict oplossen", "Resolve conflict"), ("Conflict opgelost", "Conflict resolved")
    ),
    "purge": ActionLabel(
        ("Van dit apparaat verwijderen", "Remove from this device"),
        ("Van dit apparaat verwijderd", "Removed from this device"),
    ),
}


def _text(label: Label, language: str, mid_sentence: bool) -> str:
    text = label[0] if language.startswith("nl") else label[1]
    return formatting.mid_sentence(text) if mid_sentence else text


def entity_label(
    entity: str,
    language: str = "nl",
    plural: bool = False,
    *,
    details: bool = False,
    mid_sentence: bool = False,
) -> str:
    """What an entity is called: "Huisbezoek" ("Huisbezoeken" plural); with `details` the
    record's data as the subject of a change ("Cliëntgegevens"). An unknown entity is shown as
    its code."""
    labels = ENTITY_LABELS.get(entity)
    if labels is None:
        return entity
    label = labels.many if plural else (labels.details or labels.one) if details else labels.one
    return _text(label, language, mid_sentence)


def field_label(
    entity: str, field: str, language: str = "nl", *, mid_sentence: bool = False
) -> str:
    """A field's caption: "Telefoonnummer" for ("client", "phone"); also the pseudo-fields of
    a refused change. An unknown field is shown as its code."""
    label = FIELD_LABELS.get(entity, {}).get(field) or PSEUDO_FIELD_LABELS.get(field)
    return _text(label, language, mid_sentence) if label else field


def action_label(
    action: str, language: str = "nl", *, done: bool = False, mid_sentence: bool = False
) -> str:
    """An action's name: "Indienen" (the command), or with `done` "Ingediend" (what the
    history says happened). An unknown action is shown as its code."""
    labels = ACTION_LABELS.get(action)
    if labels is None:
        return action
    return _text(labels.done if done else labels.command, language, mid_sentence)
