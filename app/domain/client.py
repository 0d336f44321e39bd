"""The client, their household and their enrollments in schemes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, ClassVar, Self

from app.domain.errors import ValidationError
from app.domain.fields import Fields, date_in, date_out, enum_in, required_date, text_in
from app.domain.ids import new_id
from app.domain.reference import LADDER_STEPS, EnrollmentOutcome, Scheme
from app.domain.values import Address, Bsn, EmailAddress, PersonName, PhoneNumber, Postcode


def _optional_bsn(value: object) -> Bsn | None:
    return Bsn(str(value)) if value else None


def _name_fields(name: PersonName) -> Fields:
    return {
        "initials": name.initials,
        "first_names": name.first_names,
        "name_prefix": name.prefix,
        "surname": name.surname,
    }


def _name_in(data: dict[str, Any]) -> PersonName:
    return PersonName(
        surname=text_in(data.get("surname")),
        first_names=text_in(data.get("first_names")),
        initials=text_in(data.get("initials")),
        prefix=text_in(data.get("name_prefix")),
    )


@dataclass(frozen=True, slots=True)
class Client:
    ENTITY: ClassVar[str] = "client"

    bsn: Bsn
    name: PersonName
    date_of_birth: date
    address: Address
    caseworker: str
    phone: PhoneNumber | None = None
    email: EmailAddress | None = None
    participation_step: int | None = None
    id: str = field(default_factory=new_id)

    def __post_init__(self) -> None:
        if self.participation_step is not None and self.participation_step not in LADDER_STEPS:
            raise ValidationError(
                "invalid_ladder_step",
                "De trede op de participatieladder moet tussen 1 en 6 liggen.",
                "The participation ladder step must be between 1 and 6.",
            )

    @property
    def client_id(self) -> str:
        return self.id

    def to_fields(self) -> Fields:
        return {
            "bsn": self.bsn.value,
            **_name_fields(self.name),
            "date_of_birth": date_out(self.date_of_birth),
            "street": self.address.street,
            "house_number": self.address.house_number,
            "house_number_addition": self.address.house_number_addition,
            "postcode": self.address.postcode.value,
            "village": self.address.village,
            "municipality": self.address.municipality,
            "phone": self.phone.value if self.phone else None,
            "email": self.email.value if self.email else None,
            "participation_step": self.participation_step,
            "caseworker": self.caseworker,
        }

    @classmethod
    def from_fields(cls, record_id: str, data: dict[str, Any]) -> Self:
        return cls(
            id=record_id,
            bsn=Bsn(text_in(data.get("bsn"))),
            name=_name_in(data),
            date_of_birth=required_date(data.get("date_of_birth"), "date_of_birth"),
            address=Address(
                street=text_in(data.get("street")),
                house_number=int(data.get("house_number") or 0),
                house_number_addition=text_in(data.get("house_number_addition")),
                postcode=Postcode(text_in(data.get("postcode"))),
                village=text_in(data.get("village")),
                municipality=text_in(data.get("municipality")),
            ),
            phone=PhoneNumber(str(data["phone"])) if data.get("phone") else None,
            email=EmailAddress(str(data["email"])) if data.get("email") else None,
            participation_step=(
                int(data["participation_step"])
                if data.get("participation_step") is not None
                else None
            ),
            caseworker=text_in(data.get("caseworker")),
        )


class Relation(StrEnum):
    PARTNER = "partner"
    CHILD = "child"
    OTHER = "other"

    def label(self, language: str = "nl") -> str:
        nl = {"partner": "Partner", "child": "Kind", "other": "Overig"}
        en = {"partner": "Partner", "child": "Child", "other": "Other"}
        return (nl if language.startswith("nl") else en)[self.value]


@dataclass(frozen=True, slots=True)
class HouseholdMember:
    ENTITY: ClassVar[str] = "household_member"

    client_id: str
    relation: Relation
    name: PersonName
    date_of_birth: date
    bsn: Bsn | None = None
    id: str = field(default_factory=new_id)

    def to_fields(self) -> Fields:
        return {
            "client_id": self.client_id,
            "relation": self.relation.value,
            **_name_fields(self.name),
            "date_of_birth": date_out(self.date_of_birth),
            "bsn": self.bsn.value if self.bsn else None,
        }

    @classmethod
    def from_fields(cls, record_id: str, data: dict[str, Any]) -> Self:
        return cls(
            id=record_id,
            client_id=text_in(data.get("client_id")),
            relation=enum_in(Relation, data.get("relation"), "relation"),
            name=_name_in(data),
            date_of_birth=required_date(data.get("date_of_birth"), "date_of_birth"),
            bsn=_optional_bsn(data.get("bsn")),
        )


@dataclass(frozen=True, slots=True)
class Enrollment:
    """A client's participation in one scheme, with their consent for that scheme's data use.

    `outcome`: a provision granted (the usual case), an application refused, or a case broken
    off before a decision. For the last two, `start_date` is when the application came in and
    `end_date` the date of the refusal or of breaking off; such an enrollment was never active.
    The outcome and the end date decide how long the file is kept (app.domain.retention)."""

    ENTITY: ClassVar[str] = "enrollment"

    client_id: str
    scheme: Scheme
    start_date: date
    caseworker: str
    consent_given: bool
    consent_date: date | None = None
    end_date: date | None = None
    outcome: EnrollmentOutcome = EnrollmentOutcome.GRANTED
    id: str = field(default_factory=new_id)

    def __post_init__(self) -> None:
        if self.end_date is not None and self.end_date < self.start_date:
            raise ValidationError(
                "end_before_start",
                "De einddatum ligt voor de begindatum.",
                "The end date is before the start date.",
            )
        if self.consent_given and self.consent_date is None:
            raise ValidationError(
                "consent_date_required",
                "Vul de datum van de toestemming in.",
                "Fill in the date the consent was given.",
            )
        if self.outcome is not EnrollmentOutcome.GRANTED and self.end_date is None:
            # Its retention runs from that date: without it the file would be kept forever.
            raise ValidationError(
                "decision_date_required",
                "Vul als einddatum de datum van de afwijzing of van het afbreken in.",
                "Fill in the date of the refusal or of breaking off as the end date.",
            )

    def active_on(self, day: date) -> bool:
        if self.outcome is not EnrollmentOutcome.GRANTED:
            return False
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)

    def to_fields(self) -> Fields:
        return {
            "client_id": self.client_id,
            "scheme": self.scheme.value,
            "start_date": date_out(self.start_date),
            "end_date": date_out(self.end_date),
            "caseworker": self.caseworker,
            "consent_given": self.consent_given,
            "consent_date": date_out(self.consent_date),
            "outcome": self.outcome.value,
        }

    @classmethod
    def from_fields(cls, record_id: str, data: dict[str, Any]) -> Self:
        return cls(
            id=record_id,
            client_id=text_in(data.get("client_id")),
            scheme=enum_in(Scheme, data.get("scheme"), "scheme"),
            # A device from before outcomes sends none: what it holds was granted.
            outcome=enum_in(EnrollmentOutcome, data.get("outcome") or "granted", "outcome"),
            start_date=required_date(data.get("start_date"), "start_date"),
            end_date=date_in(data.get("end_date"), "end_date"),
            caseworker=text_in(data.get("caseworker")),
            consent_given=bool(data.get("consent_given")),
            consent_date=date_in(data.get("consent_date"), "consent_date"),
        )
