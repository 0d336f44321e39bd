"""The brede intake: self-sufficiency per life domain, the participation ladder, the client's
situation and consent, the parts of the Participatiewet and the Wmo onderzoek, and the review
cycle (submitted in rounds, approved or returned by the team lead)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cache
from typing import Any, ClassVar, Self

from app.domain.errors import DomainError, ValidationError
from app.domain.fields import (
    Fields,
    aware,
    date_in,
    datetime_in,
    datetime_out,
    enum_in,
    text_in,
)
from app.domain.ids import new_id
from app.domain.intake_fields import (
    PW_DATES,
    PW_EXPLAINED,
    PW_TAALEIS_DATES,
    PW_TAALEIS_EXEMPTION,
    WMO_CHECKS,
    WMO_DATES,
    WMO_REPORT_GIVEN,
    WMO_TOLD,
    IntakeSection,
    consent_field,
    content_fields,
    participatiewet_fields,
    remark_field,
    score_field,
    section_fields,
    taal_field,
    topic_field,
    wmo_fields,
)
from app.domain.reference import (
    LADDER_STEPS,
    SCORES,
    Scheme,
    all_domain_keys,
    default_domain_version,
    scheme_codes,
    self_sufficiency_domains,
    taaleis_results,
    taaleis_skills,
    wmo_topics,
)
from app.domain.states import INTAKE, IntakeStatus

__all__ = ["DomainScore", "Intake", "IntakeSection"]

_DATE_PARTS = frozenset(
    {*PW_DATES, *PW_TAALEIS_DATES, *WMO_DATES, WMO_REPORT_GIVEN},
)
_BOOL_PARTS = frozenset({*PW_EXPLAINED, *WMO_TOLD, *WMO_CHECKS})
_EMPTY_IS_NONE = _DATE_PARTS | _BOOL_PARTS


@cache
def _taal_results() -> frozenset[str]:
    return frozenset(r.key for r in taaleis_results())


@dataclass(frozen=True, slots=True)
class DomainScore:
    score: int | None = None
    remark: str = ""

    def __post_init__(self) -> None:
        if self.score is not None and self.score not in SCORES:
            raise ValidationError(
                "invalid_score",
                "Een zelfredzaamheidsscore ligt tussen 1 en 5.",
                "A self-sufficiency score is between 1 and 5.",
            )


def _check_ladder(step: int | None) -> None:
    if step is not None and step not in LADDER_STEPS:
        raise ValidationError(
            "invalid_ladder_step",
            "De trede op de participatieladder moet tussen 1 en 6 liggen.",
            "The participation ladder step must be between 1 and 6.",
        )


def _part_value(name: str, value: Any) -> Any:
    """A scheme part's answer in its field-dict form, checked: ISO dates, yes/no, known codes."""
    if value is None or value == "":
        return None if name in _EMPTY_IS_NONE else ""
    if name in _DATE_PARTS:
        parsed = date_in(value, name)
        return parsed.isoformat() if parsed else None
    if name in _BOOL_PARTS:
        if not isinstance(value, bool):
            raise ValidationError(
                "invalid_choice",
                f"Ongeldige keuze in veld '{name}'.",
                f"Invalid choice in field '{name}'.",
            )
        return value
    if name.startswith("pw_taal_") and value not in _taal_results():
        raise ValidationError(
            "invalid_choice",
            f"Ongeldige keuze in veld '{name}'.",
            f"Invalid choice in field '{name}'.",
        )
    return str(value)


@dataclass(frozen=True, slots=True)
class Intake:
    ENTITY: ClassVar[str] = "intake"

    client_id: str
    caseworker: str
    domain_version: str = field(default_factory=default_domain_version)
    scores: dict[str, DomainScore] = field(default_factory=dict)
    ladder_current: int | None = None
    ladder_target: int | None = None
    barriers: str = ""
    strengths: str = ""
    household_situation: str = ""
    # Scheme code -> did the client consent (None: not asked yet).
    consent: dict[str, bool | None] = field(default_factory=dict)
    # The Participatiewet and Wmo parts, by field name, in their field-dict form.
    parts: dict[str, Any] = field(default_factory=dict)
    status: IntakeStatus = IntakeStatus.DRAFT
    # How often it was submitted: round N is the N-th submission, kept as an IntakeRound.
    round: int = 0
    submitted_at: datetime | None = None
    reviewer: str | None = None
    reviewed_at: datetime | None = None
    id: str = field(default_factory=new_id)

    def __post_init__(self) -> None:
        keys = {d.key for d in self.domains()}
        if set(self.scores) - keys:
            raise ValidationError(
                "unknown_domain",
                "Onbekend levensdomein voor deze versie van de matrix.",
                "Unknown life domain for this version of the matrix.",
            )
        _check_ladder(self.ladder_current)
        _check_ladder(self.ladder_target)
        if set(self.consent) - set(scheme_codes()):
            raise ValidationError("unknown_scheme", "Onbekende regeling.", "Unknown scheme.")
        known = set(participatiewet_fields()) | set(wmo_fields())
        if set(self.parts) - known:
            raise ValidationError(
                "unknown_field",
                "Onbekend veld in de intake.",
                "Unknown field in the intake.",
            )
        object.__setattr__(
            self, "parts", {name: _part_value(name, v) for name, v in self.parts.items()}
        )

    def domains(self) -> tuple[Any, ...]:
        return self_sufficiency_domains(self.domain_version)

    @property
    def editable(self) -> bool:
        return self.status in (IntakeStatus.DRAFT, IntakeStatus.RETURNED)

    def _ensure_editable(self) -> None:
        if not self.editable:
            raise DomainError(
                "intake_not_editable",
                "Een ingediende of goedgekeurde intake kan niet meer worden gewijzigd.",
                "A submitted or approved intake can no longer be changed.",
            )

    # ------------------------------------------------------------------ answers

    def part(self, name: str) -> Any:
        """A scheme part's answer as stored (ISO date string, bool, text), None if empty."""
        value = self.parts.get(name)
        return None if value == "" else value

    def part_date(self, name: str) -> date | None:
        return date_in(self.parts.get(name), name)

    def with_score(self, domain: str, score: int | None, remark: str = "") -> Intake:
        self._ensure_editable()
        return replace(self, scores={**self.scores, domain: DomainScore(score, remark)})

    def with_participation(self, *, current: int | None, target: int | None) -> Intake:
        self._ensure_editable()
        return replace(self, ladder_current=current, ladder_target=target)

    def with_text(self, *, barriers: str | None = None, strengths: str | None = None) -> Intake:
        self._ensure_editable()
        return replace(
            self,
            barriers=self.barriers if barriers is None else barriers,
            strengths=self.strengths if strengths is None else strengths,
        )

    def edited(self, values: Mapping[str, Any]) -> Intake:
        """The intake with some answers changed, named as fields ("score_financien",
        "wmo_melding_date"): the form saves one field at a time, as sync merges them."""
        self._ensure_editable()
        unknown = set(values) - set(content_fields())
        if unknown:
            raise ValidationError(
                "not_a_form_field",
                "Dit veld hoort niet bij het intakeformulier.",
                "This field is not part of the intake form.",
            )
        return type(self).from_fields(self.id, {**self.to_fields(), **values})

    # ------------------------------------------------------------------ completeness

    def missing(self, schemes: Collection[str] = ()) -> list[str]:
        """The fields still to fill in before submitting, in form order: every domain score,
        both ladder steps, consent for each of the client's schemes, and the part of each
        scheme the client has (Participatiewet, Wmo)."""
        gaps = [
            score_field(d.key)
            for d in self.domains()
            if d.key not in self.scores or self.scores[d.key].score is None
        ]
        gaps += [
            name
            for name, value in (
                ("ladder_current", self.ladder_current),
                ("ladder_target", self.ladder_target),
            )
            if value is None
        ]
        gaps += [
            consent_field(code)
            for code in scheme_codes()
            if code in schemes and self.consent.get(code) is None
        ]
        if Scheme.PARTICIPATIEWET in schemes:
            gaps += self._missing_participatiewet()
        if Scheme.WMO in schemes:
            gaps += self._missing_wmo()
        return gaps

    def _missing_participatiewet(self) -> list[str]:
        gaps = [name for name in PW_DATES if self.part(name) is None]
        # Explained means explained: "no" is not an answer that lets the intake through.
        gaps += [name for name in PW_EXPLAINED if self.part(name) is not True]
        if not self.part(PW_TAALEIS_EXEMPTION):
            results = {s.key: self.part(taal_field(s.key)) for s in taaleis_skills()}
            gaps += [taal_field(key) for key, result in results.items() if result is None]
            if "voldoet_niet" in results.values() and self.part(PW_TAALEIS_DATES[0]) is None:
                gaps.append(PW_TAALEIS_DATES[0])
        return gaps

    def _missing_wmo(self) -> list[str]:
        gaps = [] if self.part(WMO_DATES[0]) else [WMO_DATES[0]]
        gaps += [name for name in WMO_TOLD if self.part(name) is not True]
        gaps += [
            topic_field(t.key)
            for t in wmo_topics()
            if not str(self.part(topic_field(t.key)) or "").strip()
        ]
        if self.part(WMO_CHECKS[0]) is not True:
            gaps.append(WMO_CHECKS[0])
        if self.part(WMO_CHECKS[1]) is None:
            gaps.append(WMO_CHECKS[1])
        return gaps

    # ------------------------------------------------------------------ review cycle

    def submit(self, *, at: datetime, schemes: Collection[str] = ()) -> Intake:
        INTAKE.check(self.status, IntakeStatus.SUBMITTED)
        if self.missing(schemes):
            raise DomainError(
                "intake_incomplete",
                "Vul voor het indienen alle verplichte onderdelen van de intake in.",
                "Fill in every required part of the intake before submitting.",
            )
        return replace(
            self,
            status=IntakeStatus.SUBMITTED,
            submitted_at=aware(at),
            round=self.round + 1,
            reviewer=None,
            reviewed_at=None,
        )

    def approve(self, *, reviewer: str, at: datetime, open_threads: int = 0) -> Intake:
        INTAKE.check(self.status, IntakeStatus.APPROVED)
        self._ensure_other_reviewer(reviewer)
        if open_threads:
            raise DomainError(
                "open_review_threads",
                "Er staan nog open opmerkingen. Los ze op of stuur de intake terug.",
                "There are open comments. Resolve them or return the intake.",
            )
        return replace(self, status=IntakeStatus.APPROVED, reviewer=reviewer, reviewed_at=aware(at))

    def return_for_changes(self, *, reviewer: str, at: datetime, open_threads: int) -> Intake:
        INTAKE.check(self.status, IntakeStatus.RETURNED)
        self._ensure_other_reviewer(reviewer)
        if not open_threads:
            raise DomainError(
                "review_comment_required",
                "Geef bij het terugsturen in een opmerking aan wat er moet veranderen.",
                "Say in a comment what has to change when returning an intake.",
            )
        return replace(self, status=IntakeStatus.RETURNED, reviewer=reviewer, reviewed_at=aware(at))

    def _ensure_other_reviewer(self, reviewer: str) -> None:
        # Four eyes: the caseworker who wrote the intake does not review it.
        if reviewer == self.caseworker:
            raise DomainError(
                "own_intake_review",
                "U kunt uw eigen intake niet beoordelen.",
                "You cannot review your own intake.",
            )

    # ------------------------------------------------------------------ field dicts

    def content(self) -> Fields:
        """The answers only (what a round keeps and what rounds are compared on)."""
        fields = self.to_fields()
        return {name: fields[name] for name in content_fields()}

    def to_fields(self) -> Fields:
        fields: Fields = {
            "client_id": self.client_id,
            "caseworker": self.caseworker,
            "domain_version": self.domain_version,
        }
        for key in all_domain_keys():
            value = self.scores.get(key)
            fields[score_field(key)] = value.score if value else None
            fields[remark_field(key)] = value.remark if value else ""
        fields["ladder_current"] = self.ladder_current
        fields["ladder_target"] = self.ladder_target
        fields["barriers"] = self.barriers
        fields["strengths"] = self.strengths
        fields["household_situation"] = self.household_situation
        for code in scheme_codes():
            fields[consent_field(code)] = self.consent.get(code)
        for name in (*participatiewet_fields(), *wmo_fields()):
            fields[name] = _part_value(name, self.parts.get(name))
        fields.update(
            {
                "status": self.status.value,
                "round": self.round,
                "submitted_at": datetime_out(self.submitted_at),
                "reviewer": self.reviewer,
                "reviewed_at": datetime_out(self.reviewed_at),
            }
        )
        return fields

    @classmethod
    def from_fields(cls, record_id: str, data: dict[str, Any]) -> Self:
        version = text_in(data.get("domain_version")) or default_domain_version()
        scores: dict[str, DomainScore] = {}
        for key in all_domain_keys():
            score, remark = data.get(score_field(key)), text_in(data.get(remark_field(key)))
            if score is not None or remark:
                scores[key] = DomainScore(int(score) if score is not None else None, remark)
        return cls(
            id=record_id,
            client_id=text_in(data.get("client_id")),
            caseworker=text_in(data.get("caseworker")),
            domain_version=version,
            scores=scores,
            ladder_current=data.get("ladder_current"),
            ladder_target=data.get("ladder_target"),
            barriers=text_in(data.get("barriers")),
            strengths=text_in(data.get("strengths")),
            household_situation=text_in(data.get("household_situation")),
            consent={
                code: data.get(consent_field(code))
                for code in scheme_codes()
                if data.get(consent_field(code)) is not None
            },
            parts={
                name: data[name]
                for name in (*participatiewet_fields(), *wmo_fields())
                if data.get(name) not in (None, "")
            },
            status=enum_in(IntakeStatus, data.get("status"), "status"),
            round=int(data.get("round") or 0),
            submitted_at=datetime_in(data.get("submitted_at"), "submitted_at"),
            reviewer=data.get("reviewer"),
            reviewed_at=datetime_in(data.get("reviewed_at"), "reviewed_at"),
        )


def sections_for(schemes: Collection[str]) -> tuple[IntakeSection, ...]:
    """The sections the form shows for a client with these schemes."""
    shown = []
    for section in IntakeSection:
        if section is IntakeSection.PARTICIPATIEWET and Scheme.PARTICIPATIEWET not in schemes:
            continue
        if section is IntakeSection.WMO and Scheme.WMO not in schemes:
            continue
        if section is IntakeSection.GENERAL:
            continue
        shown.append(section)
    return tuple(shown)


__all__ += ["section_fields", "sections_for"]
