"""Home visits, including the legal basis an enforcement (handhaving) visit must record."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar, Self

from app.domain.errors import ValidationError
from app.domain.fields import Fields, aware, datetime_in, datetime_out, enum_in, text_in
from app.domain.ids import new_id
from app.domain.states import VISIT, VisitStatus


class VisitPurpose(StrEnum):
    INTAKE = "intake"
    VOORTGANG = "voortgang"
    HERONDERZOEK = "heronderzoek"
    HANDHAVING = "handhaving"

    def label(self, language: str = "nl") -> str:
        nl = {
            "intake": "Intake",
            "voortgang": "Voortgang",
            "heronderzoek": "Heronderzoek",
            "handhaving": "Handhaving",
        }
        en = {
            "intake": "Intake",
            "voortgang": "Progress",
            "heronderzoek": "Review",
            "handhaving": "Enforcement",
        }
        return (nl if language.startswith("nl") else en)[self.value]


class EntryConsent(StrEnum):
    GIVEN = "given"
    REFUSED = "refused"


@dataclass(frozen=True, slots=True)
class LegalBasis:
    """What must be on record before an enforcement visit counts: why, and how entry was agreed."""

    reason: str
    identification_shown: bool
    purpose_stated: bool
    entry_consent: EntryConsent

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise ValidationError(
                "legal_reason_required",
                "Vul de reden van het huisbezoek in.",
                "Fill in the reason for the home visit.",
            )
        if not (self.identification_shown and self.purpose_stated):
            raise ValidationError(
                "legal_basis_incomplete",
                "Bij een handhavingsbezoek moet u zich legitimeren en het doel noemen.",
                "On an enforcement visit you must show identification and state the purpose.",
            )


@dataclass(frozen=True, slots=True)
class Visit:
    ENTITY: ClassVar[str] = "visit"

    client_id: str
    planned_at: datetime
    purpose: VisitPurpose
    caseworker: str
    status: VisitStatus = VisitStatus.PLANNED
    legal_basis: LegalBasis | None = None
    notes: str = ""
    outcome: str = ""
    recorded_at: datetime | None = None
    id: str = field(default_factory=new_id)

    def __post_init__(self) -> None:
        object.__setattr__(self, "planned_at", aware(self.planned_at))
        if (
            self.purpose is VisitPurpose.HANDHAVING
            and self.status is VisitStatus.DONE
            and self.legal_basis is None
        ):
            raise ValidationError(
                "legal_basis_required",
                "Een handhavingsbezoek kan alleen worden vastgelegd met de wettelijke grondslag.",
                "An enforcement visit can only be recorded with its legal basis.",
            )

    def record(
        self, *, at: datetime, notes: str, outcome: str, legal_basis: LegalBasis | None = None
    ) -> Visit:
        """The visit took place: notes and outcome are kept, for handhaving with the legal basis."""
        VISIT.check(self.status, VisitStatus.DONE)
        return replace(
            self,
            status=VisitStatus.DONE,
            notes=notes,
            outcome=outcome,
            legal_basis=legal_basis or self.legal_basis,
            recorded_at=aware(at),
        )

    def cancel(self, *, at: datetime, reason: str = "") -> Visit:
        VISIT.check(self.status, VisitStatus.CANCELLED)
        return replace(self, status=VisitStatus.CANCELLED, outcome=reason, recorded_at=aware(at))

    def client_not_home(self, *, at: datetime, notes: str = "") -> Visit:
        VISIT.check(self.status, VisitStatus.NOT_HOME)
        return replace(self, status=VisitStatus.NOT_HOME, notes=notes, recorded_at=aware(at))

    def is_overdue(self, now: datetime) -> bool:
        return self.status is VisitStatus.PLANNED and self.planned_at < aware(now)

    def to_fields(self) -> Fields:
        basis = self.legal_basis
        return {
            "client_id": self.client_id,
            "planned_at": datetime_out(self.planned_at),
            "purpose": self.purpose.value,
            "status": self.status.value,
            "caseworker": self.caseworker,
            "legal_reason": basis.reason if basis else None,
            "legal_identification_shown": basis.identification_shown if basis else None,
            "legal_purpose_stated": basis.purpose_stated if basis else None,
            "legal_entry_consent": basis.entry_consent.value if basis else None,
            "notes": self.notes,
            "outcome": self.outcome,
            "recorded_at": datetime_out(self.recorded_at),
        }

    @classmethod
    def from_fields(cls, record_id: str, data: dict[str, Any]) -> Self:
        basis = None
        if data.get("legal_reason"):
            basis = LegalBasis(
                reason=text_in(data.get("legal_reason")),
                identification_shown=bool(data.get("legal_identification_shown")),
                purpose_stated=bool(data.get("legal_purpose_stated")),
                entry_consent=enum_in(
                    EntryConsent, data.get("legal_entry_consent"), "legal_entry_consent"
                ),
            )
        planned_at = datetime_in(data.get("planned_at"), "planned_at")
        if planned_at is None:
            raise ValidationError(
                "planned_at_required",
                "Het tijdstip van het bezoek is verplicht.",
                "The time of the visit is required.",
            )
        return cls(
            id=record_id,
            client_id=text_in(data.get("client_id")),
            planned_at=planned_at,
            purpose=enum_in(VisitPurpose, data.get("purpose"), "purpose"),
            status=enum_in(VisitStatus, data.get("status"), "status"),
            caseworker=text_in(data.get("caseworker")),
            legal_basis=basis,
            notes=text_in(data.get("notes")),
            outcome=text_in(data.get("outcome")),
            recorded_at=datetime_in(data.get("recorded_at"), "recorded_at"),
        )
