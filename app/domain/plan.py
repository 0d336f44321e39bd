"""The client plan (plan van aanpak, art. 44a Participatiewet): what is offered, the obligations
aimed at work and what not meeting them means, goals, actions (records of their own, so two
devices changing different actions merge), agreements, the client's own words, the next
evaluation, and the signatures.

A plan is written as a draft. The first signature fixes its content: the signature carries a
hash of the version's content (`content_hash`), and from then on the version cannot change;
an edit makes a new version (`next_revision`) that needs new signatures. Signed by client and
caseworker (or on paper, or the client declined with a reason), the draft becomes the active
plan; the one it replaces is closed. An action's progress (its status) is not part of what was
signed: marking it done changes no agreement, and needs no new signatures.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
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
from app.domain.local_time import ZONE
from app.domain.reference import plan_obligations, service_layers
from app.domain.states import ACTION, PLAN, ActionStatus, PlanStatus

__all__ = [
    "ActionOwner",
    "ClientPlan",
    "PlanAction",
    "PlanChange",
    "Signature",
    "SignatureMethod",
    "SignerRole",
    "content_hash",
    "default_evaluation",
    "plan_changes",
]

# A signature drawn on screen: strokes of points (x, y, pressure 0..1, milliseconds since the
# first point), in the pad's coordinates with y pointing down.
Point = tuple[float, float, float, int]
Stroke = tuple[Point, ...]

MAX_SIGNATURE_POINTS = 4_000
# Single parents exempted from the work obligations (art. 9a Participatiewet) are seen again
# every six months; everyone else at least once a year.
EXEMPTION_REVIEW_MONTHS = 6
EVALUATION_MONTHS = 12


class SignatureMethod(StrEnum):
    DIGITAL = "digital"  # drawn on the screen
    PAPER = "paper"  # signed on a printed copy, on `paper_date`
    REFUSED = "refused"  # the client declined to sign, for `reason`


class SignerRole(StrEnum):
    CLIENT = "client"
    CASEWORKER = "caseworker"


class ActionOwner(StrEnum):
    CLIENT = "client"
    CASEWORKER = "caseworker"
    PARTNER = "partner"  # a partner organisation, named in `partner`


def _strokes_in(value: Any) -> tuple[Stroke, ...]:
    strokes: list[Stroke] = []
    for raw in value or ():
        points: list[Point] = []
        for p in raw or ():
            x, y, pressure, t = p
            points.append((float(x), float(y), float(pressure), int(t)))
        if points:
            strokes.append(tuple(points))
    return tuple(strokes)


@dataclass(frozen=True, slots=True)
class Signature:
    """One party's signature of one plan version: drawn, on paper, or declined."""

    signer: str
    method: SignatureMethod
    signed_at: datetime
    content_hash: str = ""  # of the version signed (see `content_hash`)
    strokes: tuple[Stroke, ...] = ()
    pad_width: float = 0.0
    pad_height: float = 0.0
    paper_date: date | None = None
    reason: str = ""

    def __post_init__(self) -> None:
        if not self.signer.strip():
            raise ValidationError("signer_required", "Wie heeft getekend?", "Who signed?")
        object.__setattr__(self, "signed_at", aware(self.signed_at))
        if self.method is SignatureMethod.DIGITAL:
            points = sum(len(s) for s in self.strokes)
            if points == 0:
                raise ValidationError(
                    "signature_empty",
                    "Er is nog niets getekend.",
                    "Nothing has been drawn yet.",
                )
            if points > MAX_SIGNATURE_POINTS:
                raise ValidationError(
                    "signature_too_long",
                    "Deze handtekening is te lang; wis haar en teken opnieuw.",
                    "This signature is too long; clear it and sign again.",
                )
        if self.method is SignatureMethod.PAPER and self.paper_date is None:
            raise ValidationError(
                "paper_date_required",
                "Op welke datum is op papier getekend?",
                "On what date was it signed on paper?",
            )
        if self.method is SignatureMethod.REFUSED and not self.reason.strip():
            raise ValidationError(
                "refusal_reason_required",
                "Geef aan waarom de cliënt niet tekent.",
                "Say why the client does not sign.",
            )

    @property
    def signed_on(self) -> date:
        """The date the signature stands for: the paper's date, or the day it was drawn (in the
        municipalities' time: a signature at 00:30 is of that day, not of yesterday in UTC)."""
        return self.paper_date or self.signed_at.astimezone(ZONE).date()

    def to_json(self) -> dict[str, Any]:
        return {
            "signer": self.signer,
            "method": self.method.value,
            "signed_at": datetime_out(self.signed_at) or "",
            "content_hash": self.content_hash,
            "strokes": [[list(p) for p in s] for s in self.strokes],
            "pad_width": self.pad_width,
            "pad_height": self.pad_height,
            "paper_date": date_out(self.paper_date),
            "reason": self.reason,
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
            content_hash=text_in(data.get("content_hash")),
            strokes=_strokes_in(data.get("strokes")),
            pad_width=float(data.get("pad_width") or 0),
            pad_height=float(data.get("pad_height") or 0),
            paper_date=date_in(data.get("paper_date"), "paper_date"),
            reason=text_in(data.get("reason")),
        )


@dataclass(frozen=True, slots=True)
class PlanAction:
    """One action of one plan version: what, who, by when, and how far it is."""

    ENTITY: ClassVar[str] = "plan_action"

    client_id: str
    plan_id: str
    description: str
    owner: ActionOwner = ActionOwner.CLIENT
    partner: str = ""
    due_date: date | None = None
    status: ActionStatus = ActionStatus.OPEN
    rank: int = 0  # order within the plan
    id: str = field(default_factory=new_id)

    def __post_init__(self) -> None:
        if not self.description.strip():
            raise ValidationError(
                "action_description_required", "Beschrijf de actie.", "Describe the action."
            )
        if self.owner is ActionOwner.PARTNER and not self.partner.strip():
            raise ValidationError(
                "action_partner_required",
                "Welke partnerorganisatie voert deze actie uit?",
                "Which partner organisation carries out this action?",
            )

    def moved_to(self, status: ActionStatus) -> PlanAction:
        return replace(self, status=ACTION.check(self.status, status))

    def copied_to(self, plan_id: str) -> PlanAction:
        """The same action in a new version of the plan."""
        return replace(self, plan_id=plan_id, id=new_id())

    def content(self) -> dict[str, Any]:
        """What was agreed (signed): not the progress."""
        return {
            "description": self.description,
            "owner": self.owner.value,
            "partner": self.partner,
            "due_date": date_out(self.due_date),
            "rank": self.rank,
        }

    def to_fields(self) -> Fields:
        return {
            "client_id": self.client_id,
            "plan_id": self.plan_id,
            "description": self.description,
            "owner": self.owner.value,
            "partner": self.partner,
            "due_date": date_out(self.due_date),
            "status": self.status.value,
            "rank": self.rank,
        }

    @classmethod
    def from_fields(cls, record_id: str, data: dict[str, Any]) -> Self:
        return cls(
            id=record_id,
            client_id=text_in(data.get("client_id")),
            plan_id=text_in(data.get("plan_id")),
            description=text_in(data.get("description")),
            owner=enum_in(ActionOwner, data.get("owner") or "client", "owner"),
            partner=text_in(data.get("partner")),
            due_date=date_in(data.get("due_date"), "due_date"),
            status=enum_in(ActionStatus, data.get("status") or "open", "status"),
            rank=int(data.get("rank") or 0),
        )


# The plan's own fields that make up what is signed (with its actions' content).
CONTENT_FIELDS: tuple[str, ...] = (
    "service_layer",
    "support_offered",
    "obligations",
    "consequences",
    "goals",
    "agreements",
    "tegenprestatie",
    "own_words",
    "single_parent_exemption",
    "next_evaluation",
)


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def default_evaluation(start: date, *, single_parent_exemption: bool) -> date:
    """When a plan starting on `start` is evaluated, unless the caseworker sets another date."""
    months = EXEMPTION_REVIEW_MONTHS if single_parent_exemption else EVALUATION_MONTHS
    return _add_months(start, months)


@dataclass(frozen=True, slots=True)
class ClientPlan:
    ENTITY: ClassVar[str] = "client_plan"

    client_id: str
    caseworker: str
    municipality: str = ""  # whose letterhead it is printed on (the client's, when it was made)
    revision: int = 1
    previous_id: str | None = None  # the version this one replaces
    status: PlanStatus = PlanStatus.DRAFT
    service_layer: str = "school_werk"
    support_offered: str = ""
    obligations: tuple[str, ...] = ()  # keys of resources/reference/plan_obligations.json
    consequences: str = ""
    goals: tuple[str, ...] = ()
    agreements: str = ""
    tegenprestatie: str = ""
    own_words: str = ""  # "wat wil ik zelf", in the client's words
    single_parent_exemption: bool = False  # art. 9a Participatiewet
    next_evaluation: date | None = None
    content_hash: str | None = None  # set by the first signature: the content is fixed then
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
        known = {o.key for o in plan_obligations()}
        unknown = [key for key in self.obligations if key not in known]
        if unknown:
            raise ValidationError(
                "unknown_obligation",
                "Onbekende verplichting in het plan.",
                "Unknown obligation in the plan.",
            )
        if self.caseworker_signature is not None and (
            self.caseworker_signature.method is SignatureMethod.REFUSED
        ):
            raise ValidationError(
                "caseworker_must_sign",
                "De klantmanager tekent het plan altijd.",
                "The caseworker always signs the plan.",
            )

    # ------------------------------------------------------------------------------ state

    @property
    def signed(self) -> bool:
        """Whether anyone signed this version: its content is fixed from then on."""
        return self.client_signature is not None or self.caseworker_signature is not None

    @property
    def editable(self) -> bool:
        return self.status is PlanStatus.DRAFT and not self.signed

    @property
    def fully_signed(self) -> bool:
        return self.client_signature is not None and self.caseworker_signature is not None

    def _ensure_editable(self) -> None:
        if self.status is not PlanStatus.DRAFT:
            raise DomainError(
                "plan_not_editable",
                "Een actief of afgesloten plan verandert alleen met een nieuwe versie.",
                "An active or closed plan changes only by a new version.",
            )
        if self.signed:
            raise DomainError(
                "plan_signed",
                "Deze versie is ondertekend en verandert niet meer; maak een nieuwe versie.",
                "This version is signed and cannot change; make a new version.",
            )

    def edited(self, **changes: Any) -> ClientPlan:
        """The draft with some content fields changed."""
        self._ensure_editable()
        unknown = set(changes) - set(CONTENT_FIELDS)
        if unknown:
            raise ValueError(f"not plan content: {sorted(unknown)}")
        if "goals" in changes:
            changes["goals"] = tuple(g.strip() for g in changes["goals"] if g.strip())
        if "obligations" in changes:
            changes["obligations"] = tuple(dict.fromkeys(changes["obligations"]))
        return replace(self, **changes)

    def sign(self, role: SignerRole, signature: Signature, *, content: str) -> ClientPlan:
        """This version signed by one party. `content` is the hash of the content as it is now
        (with its actions); every signature of a version is of the same content."""
        if self.status is not PlanStatus.DRAFT:
            raise DomainError(
                "plan_not_editable",
                "Alleen een concept-plan wordt ondertekend.",
                "Only a draft plan is signed.",
            )
        if self.content_hash is not None and self.content_hash != content:
            raise DomainError(
                "signed_content_changed",
                "De inhoud is veranderd sinds de eerste handtekening; maak een nieuwe versie.",
                "The content changed since the first signature; make a new version.",
            )
        if signature.content_hash and signature.content_hash != content:
            raise DomainError(
                "signed_content_changed",
                "De handtekening hoort bij een andere inhoud van het plan.",
                "The signature belongs to other content of the plan.",
            )
        signature = replace(signature, content_hash=content)
        if role is SignerRole.CLIENT:
            return replace(self, content_hash=content, client_signature=signature)
        if signature.method is SignatureMethod.REFUSED:
            raise DomainError(
                "caseworker_must_sign",
                "De klantmanager tekent het plan altijd.",
                "The caseworker always signs the plan.",
            )
        return replace(self, content_hash=content, caseworker_signature=signature)

    def activate(self, *, at: datetime) -> ClientPlan:
        PLAN.check(self.status, PlanStatus.ACTIVE)
        if not self.goals:
            raise DomainError(
                "plan_without_goals",
                "Een plan heeft minstens één doel nodig.",
                "A plan needs at least one goal.",
            )
        if not self.fully_signed:
            raise DomainError(
                "plan_not_signed",
                "Het plan moet door de cliënt en de klantmanager zijn ondertekend.",
                "The plan must be signed by the client and the caseworker.",
            )
        # The evaluation date is part of what was signed, so activating leaves it as it is;
        # an empty one is counted from the signatures (`evaluation_due`).
        return replace(self, status=PlanStatus.ACTIVE, activated_at=aware(at))

    def close(self, *, at: datetime) -> ClientPlan:
        PLAN.check(self.status, PlanStatus.CLOSED)
        return replace(self, status=PlanStatus.CLOSED, closed_at=aware(at))

    def next_revision(self) -> ClientPlan:
        """A new draft that starts from this plan's content (the planned evaluation included),
        unsigned."""
        return replace(
            self,
            id=new_id(),
            revision=self.revision + 1,
            previous_id=self.id,
            status=PlanStatus.DRAFT,
            content_hash=None,
            client_signature=None,
            caseworker_signature=None,
            activated_at=None,
            closed_at=None,
        )

    @property
    def agreed_on(self) -> date | None:
        """The day of the later signature: when the agreement started."""
        if self.client_signature is None or self.caseworker_signature is None:
            return None
        return max(self.client_signature.signed_on, self.caseworker_signature.signed_on)

    def evaluation_due(self) -> date | None:
        """When an active plan is to be evaluated: the date agreed, or by default 12 months (6
        with the art. 9a exemption) after the later signature, the same on every device and on
        the server whenever the activation reached it."""
        if self.status is not PlanStatus.ACTIVE:
            return None
        if self.next_evaluation is not None:
            return self.next_evaluation
        agreed = self.agreed_on
        if agreed is None:
            return None
        return default_evaluation(agreed, single_parent_exemption=self.single_parent_exemption)

    # ------------------------------------------------------------------------------ fields

    def content(self) -> dict[str, Any]:
        fields = self.to_fields()
        return {name: fields[name] for name in CONTENT_FIELDS}

    def to_fields(self) -> Fields:
        return {
            "client_id": self.client_id,
            "caseworker": self.caseworker,
            "municipality": self.municipality,
            "revision": self.revision,
            "previous_id": self.previous_id,
            "status": self.status.value,
            "service_layer": self.service_layer,
            "support_offered": self.support_offered,
            "obligations": list(self.obligations),
            "consequences": self.consequences,
            "goals": list(self.goals),
            "agreements": self.agreements,
            "tegenprestatie": self.tegenprestatie,
            "own_words": self.own_words,
            "single_parent_exemption": self.single_parent_exemption,
            "next_evaluation": date_out(self.next_evaluation),
            "content_hash": self.content_hash,
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
            municipality=text_in(data.get("municipality")),
            revision=int(data.get("revision") or 1),
            previous_id=text_in(data.get("previous_id")) or None,
            status=enum_in(PlanStatus, data.get("status"), "status"),
            service_layer=text_in(data.get("service_layer")) or "school_werk",
            support_offered=text_in(data.get("support_offered")),
            obligations=tuple(str(o) for o in data.get("obligations") or ()),
            consequences=text_in(data.get("consequences")),
            goals=tuple(str(g) for g in data.get("goals") or ()),
            agreements=text_in(data.get("agreements")),
            tegenprestatie=text_in(data.get("tegenprestatie")),
            own_words=text_in(data.get("own_words")),
            single_parent_exemption=bool(data.get("single_parent_exemption")),
            next_evaluation=date_in(data.get("next_evaluation"), "next_evaluation"),
            content_hash=text_in(data.get("content_hash")) or None,
            client_signature=Signature.from_json(data.get("client_signature")),
            caseworker_signature=Signature.from_json(data.get("caseworker_signature")),
            activated_at=datetime_in(data.get("activated_at"), "activated_at"),
            closed_at=datetime_in(data.get("closed_at"), "closed_at"),
        )


def ordered(actions: Iterable[PlanAction]) -> tuple[PlanAction, ...]:
    return tuple(sorted(actions, key=lambda a: (a.rank, a.id)))


def content_hash(plan: ClientPlan, actions: Iterable[PlanAction]) -> str:
    """SHA-256 of what a signature stands for: the plan's content fields and its actions'
    content, in their order, as canonical JSON (the same bytes on every device and server)."""
    body = {
        "plan": plan.content(),
        "actions": [a.content() for a in ordered(a for a in actions if a.plan_id == plan.id)],
    }
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class PlanChange:
    """One difference between two versions: a content field, or an action added, removed or
    changed (`action` is its description)."""

    kind: str  # "field" | "action_added" | "action_removed" | "action_changed"
    name: str  # the field name, or the action's description
    before: Any = None
    after: Any = None


def plan_changes(
    before: ClientPlan,
    before_actions: Sequence[PlanAction],
    after: ClientPlan,
    after_actions: Sequence[PlanAction],
) -> tuple[PlanChange, ...]:
    """What changed from one version to the next. Actions are matched by description first
    (a copied action keeps its words), then by position."""
    changes = [
        PlanChange("field", name, before.content()[name], after.content()[name])
        for name in CONTENT_FIELDS
        if before.content()[name] != after.content()[name]
    ]
    old = list(ordered(before_actions))
    for action in ordered(after_actions):
        match = next((a for a in old if a.description == action.description), None)
        if match is None:
            changes.append(PlanChange("action_added", action.description, None, action.content()))
            continue
        old.remove(match)
        was, now = match.content(), action.content()
        was.pop("rank")
        now.pop("rank")
        if was != now:
            changes.append(PlanChange("action_changed", action.description, was, now))
    changes += [PlanChange("action_removed", a.description, a.content(), None) for a in old]
    return tuple(changes)
