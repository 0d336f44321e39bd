"""The client plan (plan van aanpak): goals, actions, agreements and the signatures."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar, Self

from app.domain.errors import DomainError, ValidationError
from app.domain.fields import (
    Fields,
    aware,
    date_in,
    date_out,
    datetime_in,
    datetime_out,
    enum_in,
    text_in,
)
from app.domain.ids import new_id
from app.domain.reference import service_layers
from app.domain.states import ACTION, PLAN, ActionStatus, PlanStatus


class SignatureMethod(StrEnum):
    DIGITAL = "digital"
    PAPER = "paper"


@dataclass(frozen=True, slots=True)
class Signature:
    """Who signed and when; a plan signed on paper records the date of the paper signature."""

    signer: str
    method: SignatureMethod
    signed_at: datetime

    def __post_init__(self) -> None:
        if not self.signer.strip():
            raise ValidationError("signer_required", "Wie heeft getekend?", "Who signed?")
        object.__setattr__(self, "signed_at", aware(self.signed_at))

    def to_json(self) -> dict[str, str]:
        return {
            "signer": self.signer,
            "method": self.method.value,
            "signed_at": datetime_out(self.signed_at) or "",
        }

    @classmethod
    def from_json(cls, data: object) -> Signature | None:
        if not isinstance(data, dict) or not data:
            return None
        signed_at = datetime_in(data.get("signed_at"), "signed_at")
        if signed_at is None:
            return None
        return cls(
            signer=text_in(data.get("signer")),
            method=enum_in(SignatureMethod, data.get("method"), "method"),
            signed_at=signed_at,
        )


@dataclass(frozen=True, slots=True)
class PlanAction:
    description: str
    owner: str
    due_date: date | None = None
    status: ActionStatus = ActionStatus.OPEN
    id: str = field(default_factory=new_id)

    def __post_init__(self) -> None:
        if not self.description.strip():
            raise ValidationError(
                "action_description_required",
                "Beschrijf de actie.",
                "Describe the action.",
            )

    def moved_to(self, status: ActionStatus) -> PlanAction:
        return replace(self, status=ACTION.check(self.status, status))

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "description": self.description,
            "owner": self.owner,
            "due_date": date_out(self.due_date),
            "status": self.status.value,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PlanAction:
        return cls(
            id=text_in(data.get("id")) or new_id(),
            description=text_in(data.get("description")),
            owner=text_in(data.get("owner")),
            due_date=date_in(data.get("due_date"), "due_date"),
            status=enum_in(ActionStatus, data.get("status"), "status"),
        )


@dataclass(frozen=True, slots=True)
class ClientPlan:
    ENTITY: ClassVar[str] = "client_plan"

    client_id: str
    caseworker: str
    revision: int = 1
    status: PlanStatus = PlanStatus.DRAFT
    service_layer: str = "school_werk"
    goals: tuple[str, ...] = ()
    actions: tuple[PlanAction, ...] = ()
    agreements: str = ""
    tegenprestatie: str = ""
    client_signature: Signature | None = None
    caseworker_signature: Signature | None = None
    activated_at: datetime | None = None
    closed_at: datetime | None = None
    id: str = field(default_factory=new_id)

    def __post_init__(self) -> None:
        if self.revision < 1:
            raise ValidationError(
                "invalid_revision", "Ongeldige planversie.", "Invalid plan revision."
            )
        if self.service_layer not in {layer.key for layer in service_layers()}:
            raise ValidationError(
                "invalid_service_layer",
                "Onbekende dienstverleningslaag.",
                "Unknown service layer.",
            )

    def _ensure_draft(self) -> None:
        if self.status is not PlanStatus.DRAFT:
            raise DomainError(
                "plan_not_editable",
                "Alleen een concept-plan kan worden gewijzigd; maak een nieuwe versie.",
                "Only a draft plan can be changed; make a new revision.",
            )

    def edited(
        self,
        *,
        goals: tuple[str, ...] | None = None,
        actions: tuple[PlanAction, ...] | None = None,
        agreements: str | None = None,
        tegenprestatie: str | None = None,
        service_layer: str | None = None,
    ) -> ClientPlan:
        self._ensure_draft()
        return replace(
            self,
            goals=self.goals if goals is None else tuple(g.strip() for g in goals if g.strip()),
            actions=self.actions if actions is None else actions,
            agreements=self.agreements if agreements is None else agreements,
            tegenprestatie=self.tegenprestatie if tegenprestatie is None else tegenprestatie,
            service_layer=self.service_layer if service_layer is None else service_layer,
        )

    def signed(
        self, *, client: Signature | None = None, caseworker: Signature | None = None
    ) -> ClientPlan:
        self._ensure_draft()
        return replace(
            self,
            client_signature=client or self.client_signature,
            caseworker_signature=caseworker or self.caseworker_signature,
        )

    def activate(self, *, at: datetime) -> ClientPlan:
        PLAN.check(self.status, PlanStatus.ACTIVE)
        if not self.goals:
            raise DomainError(
                "plan_without_goals",
                "Een plan heeft minstens één doel nodig.",
                "A plan needs at least one goal.",
            )
        if self.client_signature is None or self.caseworker_signature is None:
            raise DomainError(
                "plan_not_signed",
                "Het plan moet door de cliënt en de klantmanager zijn ondertekend.",
                "The plan must be signed by the client and the caseworker.",
            )
        return replace(self, status=PlanStatus.ACTIVE, activated_at=aware(at))

    def close(self, *, at: datetime) -> ClientPlan:
        PLAN.check(self.status, PlanStatus.CLOSED)
        return replace(self, status=PlanStatus.CLOSED, closed_at=aware(at))

    def next_revision(self) -> ClientPlan:
        """A new draft that starts from this plan's content, unsigned."""
        return replace(
            self,
            id=new_id(),
            revision=self.revision + 1,
            status=PlanStatus.DRAFT,
            client_signature=None,
            caseworker_signature=None,
            activated_at=None,
            closed_at=None,
        )

    def to_fields(self) -> Fields:
        return {
            "client_id": self.client_id,
            "caseworker": self.caseworker,
            "revision": self.revision,
            "status": self.status.value,
            "service_layer": self.service_layer,
            "goals": list(self.goals),
            "actions": [a.to_json() for a in self.actions],
            "agreements": self.agreements,
            "tegenprestatie": self.tegenprestatie,
            "client_signature": (
                self.client_signature.to_json() if self.client_signature else None
            ),
            "caseworker_signature": (
                self.caseworker_signature.to_json() if self.caseworker_signature else None
            ),
            "activated_at": datetime_out(self.activated_at),
            "closed_at": datetime_out(self.closed_at),
        }

    @classmethod
    def from_fields(cls, record_id: str, data: dict[str, Any]) -> Self:
        return cls(
            id=record_id,
            client_id=text_in(data.get("client_id")),
            caseworker=text_in(data.get("caseworker")),
            revision=int(data.get("revision") or 1),
            status=enum_in(PlanStatus, data.get("status"), "status"),
            service_layer=text_in(data.get("service_layer")) or "school_werk",
            goals=tuple(str(g) for g in data.get("goals") or ()),
            actions=tuple(PlanAction.from_json(a) for a in data.get("actions") or ()),
            agreements=text_in(data.get("agreements")),
            tegenprestatie=text_in(data.get("tegenprestatie")),
            client_signature=Signature.from_json(data.get("client_signature")),
            caseworker_signature=Signature.from_json(data.get("caseworker_signature")),
            activated_at=datetime_in(data.get("activated_at"), "activated_at"),
            closed_at=datetime_in(data.get("closed_at"), "closed_at"),
        )
