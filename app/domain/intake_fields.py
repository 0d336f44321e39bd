"""The fields of the brede intake, by name and by section.

Every answer on the form is a field of its own (a domain's score, its remark, a consent, a date of
the Wmo part), so two devices editing different parts of one intake merge field by field instead
of conflicting over one JSON value. Names are built from reference keys that never change once
released; `app.domain.schema` builds the tables from this list.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache

from app.domain.reference import (
    all_domain_keys,
    scheme_codes,
    self_sufficiency_domains,
    taaleis_skills,
    wmo_topics,
)


class IntakeSection(StrEnum):
    """Parts of the form: what a team lead comments on, and what the screen groups."""

    SCORES = "scores"
    PARTICIPATION = "participation"
    BARRIERS = "barriers"
    STRENGTHS = "strengths"
    HOUSEHOLD = "household"
    CONSENT = "consent"
    PARTICIPATIEWET = "participatiewet"
    WMO = "wmo"
    GENERAL = "general"

    def label(self, language: str = "nl") -> str:
        nl, en = SECTION_LABELS[self]
        return nl if language.startswith("nl") else en


SECTION_LABELS: dict[IntakeSection, tuple[str, str]] = {
    IntakeSection.SCORES: ("Zelfredzaamheid", "Self-sufficiency"),
    IntakeSection.PARTICIPATION: ("Participatieladder", "Participation ladder"),
    IntakeSection.BARRIERS: ("Belemmeringen", "Barriers"),
    IntakeSection.STRENGTHS: ("Krachten", "Strengths"),
    IntakeSection.HOUSEHOLD: ("Thuissituatie", "Household situation"),
    IntakeSection.CONSENT: ("Toestemming", "Consent"),
    IntakeSection.PARTICIPATIEWET: ("Participatiewet", "Participation Act"),
    IntakeSection.WMO: ("Wmo-onderzoek", "Wmo assessment"),
    IntakeSection.GENERAL: ("Algemeen", "General"),
}


def score_field(domain: str) -> str:
    return f"score_{domain}"


def remark_field(domain: str) -> str:
    return f"remark_{domain}"


def consent_field(scheme: str) -> str:
    return f"consent_{scheme}"


def taal_field(skill: str) -> str:
    return f"pw_taal_{skill}"


def topic_field(topic: str) -> str:
    return f"wmo_topic_{topic}"


PW_DATES = ("pw_melding_date", "pw_aanvraag_date")
PW_EXPLAINED = ("pw_art9_explained", "pw_art18_explained")
PW_TAALEIS_EXEMPTION = "pw_taaleis_exemption"
PW_TAALEIS_DATES = ("pw_taaleis_notice_date", "pw_taaleis_agreed_date")
WMO_DATES = ("wmo_melding_date", "wmo_aanvraag_date")
WMO_TOLD = ("wmo_clientondersteuning_told", "wmo_personal_plan_told")
WMO_CHECKS = ("wmo_identity_checked", "wmo_mantelzorger_present")
WMO_REPORT_GIVEN = "wmo_report_given_date"
TEXT_FIELDS = {
    IntakeSection.BARRIERS: "barriers",
    IntakeSection.STRENGTHS: "strengths",
    IntakeSection.HOUSEHOLD: "household_situation",
}


@cache
def participatiewet_fields() -> tuple[str, ...]:
    return (
        *PW_DATES,
        *PW_EXPLAINED,
        PW_TAALEIS_EXEMPTION,
        *(taal_field(s.key) for s in taaleis_skills()),
        *PW_TAALEIS_DATES,
    )


@cache
def wmo_fields() -> tuple[str, ...]:
    return (
        *WMO_DATES,
        *WMO_TOLD,
        *(topic_field(t.key) for t in wmo_topics()),
        *WMO_CHECKS,
        WMO_REPORT_GIVEN,
    )


@cache
def section_fields(section: IntakeSection, domain_version: str | None = None) -> tuple[str, ...]:
    """The fields of one section in the order the form shows them; the score section of a
    matrix version holds only that version's domains."""
    match section:
        case IntakeSection.SCORES:
            keys = (
                [d.key for d in self_sufficiency_domains(domain_version)]
                if domain_version
                else list(all_domain_keys())
            )
            return tuple(name for key in keys for name in (score_field(key), remark_field(key)))
        case IntakeSection.PARTICIPATION:
            return ("ladder_current", "ladder_target")
        case IntakeSection.CONSENT:
            return tuple(consent_field(code) for code in scheme_codes())
        case IntakeSection.PARTICIPATIEWET:
            return participatiewet_fields()
        case IntakeSection.WMO:
            return wmo_fields()
        case IntakeSection.GENERAL:
            return ()
    return (TEXT_FIELDS[section],)


@cache
def content_fields() -> tuple[str, ...]:
    """Every answer field of the form (all matrix versions), in form order."""
    return tuple(name for section in IntakeSection for name in section_fields(section))


@cache
def _sections() -> dict[str, IntakeSection]:
    return {name: section for section in IntakeSection for name in section_fields(section)}


def section_of(field: str) -> IntakeSection:
    """The section a form field belongs to; anything else (status, dates of the review) is
    'general'."""
    return _sections().get(field, IntakeSection.GENERAL)
