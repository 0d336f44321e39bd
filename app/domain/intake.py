"""The intake: self-sufficiency per life domain, the participation ladder, and the review cycle."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar, Self

from app.domain.errors import DomainError, ValidationError
from app.domain.fields import Fields, aware, datetime_in, datetime_out, enum_in, text_in
from app.domain.ids import new_id
from app.domain.reference import (
    LADDER_STEPS,
    SCORES,
    default_domain_version,
    self_sufficiency_domains,
)
from app.domain.states import INTAKE, IntakeStatus


class IntakeSection(StrEnum):
    """Parts of the intake a team lead can comment on when returning it."""

    SCORES = "scores"
    PARTICIPATION = "participation"
    BARRIERS = "barriers"
    STRENGTHS = "strengths"
    GENERAL = "general"


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
    status: IntakeStatus = IntakeStatus.DRAFT
    submitted_at: datetime | None = None
    reviewer: str | None = None
    reviewed_at: datetime | None = None
    review_comments: dict[IntakeSection, str] = field(default_factory=dict)
    id: str = field(default_factory=new_id)

    def __post_init__(self) -> None:
        keys = {d.key for d in self.domains()}
        unknown = set(self.scores) - keys
        if unknown:
            raise ValidationError(
                "unknown_domain",
                "Onbekend levensdomein voor deze versie van de matrix.",
                "Unknown life domain for this version of the matrix.",
            )
        _check_ladder(self.ladder_current)
        _check_ladder(self.ladder_target)

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

    def with_score(self, domain: str, score: int | None, remark: str = "") -> Intake:
        self._ensure_editable()
        scores = dict(self.scores)
        scores[domain] = DomainScore(score, remark)
        return replace(self, scores=scores)

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

    def missing(self) -> list[str]:
        """What still has to be filled in before the intake can be submitted (domain keys etc.)."""
        gaps = [
            d.key
            for d in self.domains()
            if d.key not in self.scores or self.scores[d.key].score is None
        ]
        if self.ladder_current is None:
            gaps.append("ladder_current")
        if self.ladder_target is None:
            gaps.append("ladder_target")
        return gaps

    def submit(self, *, at: datetime) -> Intake:
        INTAKE.check(self.status, IntakeStatus.SUBMITTED)
        if self.missing():
            raise DomainError(
                "intake_incomplete",
                "Vul voor het indienen alle levensdomeinen en de participatieladder in.",
                "Fill in every life domain and the participation ladder before submitting.",
            )
        return replace(self, status=IntakeStatus.SUBMITTED, submitted_at=aware(at))

    def approve(self, *, reviewer: str, at: datetime) -> Intake:
        INTAKE.check(self.status, IntakeStatus.APPROVED)
        self._ensure_other_reviewer(reviewer)
        return replace(
            self,
            status=IntakeStatus.APPROVED,
            reviewer=reviewer,
            reviewed_at=aware(at),
            review_comments={},
        )

    def return_for_changes(
        self, *, reviewer: str, at: datetime, comments: dict[IntakeSection, str]
    ) -> Intake:
        INTAKE.check(self.status, IntakeStatus.RETURNED)
        self._ensure_other_reviewer(reviewer)
        kept = {section: text.strip() for section, text in comments.items() if text.strip()}
        if not kept:
            raise DomainError(
                "review_comment_required",
                "Geef bij het terugsturen aan wat er moet veranderen.",
                "Say what has to change when returning an intake.",
            )
        return replace(
            self,
            status=IntakeStatus.RETURNED,
            reviewer=reviewer,
            reviewed_at=aware(at),
            review_comments=kept,
        )

    def _ensure_other_reviewer(self, reviewer: str) -> None:
        # Four eyes: the caseworker who wrote the intake does not review it.
        if reviewer == self.caseworker:
            raise DomainError(
                "own_intake_review",
                "U kunt uw eigen intake niet beoordelen.",
                "You cannot review your own intake.",
            )

    def to_fields(self) -> Fields:
        return {
            "client_id": self.client_id,
            "caseworker": self.caseworker,
            "domain_version": self.domain_version,
            "scores": {
                key: {"score": value.score, "remark": value.remark}
                for key, value in sorted(self.scores.items())
            },
            "ladder_current": self.ladder_current,
            "ladder_target": self.ladder_target,
            "barriers": self.barriers,
            "strengths": self.strengths,
            "status": self.status.value,
            "submitted_at": datetime_out(self.submitted_at),
            "reviewer": self.reviewer,
            "reviewed_at": datetime_out(self.reviewed_at),
            "review_comments": {k.value: v for k, v in sorted(self.review_comments.items())},
        }

    @classmethod
    def from_fields(cls, record_id: str, data: dict[str, Any]) -> Self:
        raw_scores = data.get("scores") or {}
        raw_comments = data.get("review_comments") or {}
        return cls(
            id=record_id,
            client_id=text_in(data.get("client_id")),
            caseworker=text_in(data.get("caseworker")),
            domain_version=text_in(data.get("domain_version")) or default_domain_version(),
            scores={
                str(key): DomainScore(
                    int(value["score"]) if value.get("score") is not None else None,
                    text_in(value.get("remark")),
                )
                for key, value in raw_scores.items()
            },
            ladder_current=data.get("ladder_current"),
            ladder_target=data.get("ladder_target"),
            barriers=text_in(data.get("barriers")),
            strengths=text_in(data.get("strengths")),
            status=enum_in(IntakeStatus, data.get("status"), "status"),
            submitted_at=datetime_in(data.get("submitted_at"), "submitted_at"),
            reviewer=data.get("reviewer"),
            reviewed_at=datetime_in(data.get("reviewed_at"), "reviewed_at"),
            review_comments={
                enum_in(IntakeSection, key, "review_comments"): text_in(value)
                for key, value in raw_comments.items()
            },
        )
