"""Value types: each one validates on construction, so a value that exists is a valid value.

Validation messages never repeat the rejected value: they can end up in logs.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.nl import bsn as stdnum_bsn
from stdnum.nl import postcode as stdnum_postcode

from app.domain.errors import ValidationError
from app.domain.formatting import full_name
from app.domain.house_numbers import MAX_HOUSE_NUMBER, house_number_text, stored_addition


@dataclass(frozen=True, slots=True)
class Bsn:
    """Burgerservicenummer: nine digits passing the 11-check."""

    value: str

    def __post_init__(self) -> None:
        try:
            compact = stdnum_bsn.validate(self.value)
        except (StdnumValidationError, TypeError) as exc:
            raise ValidationError(
                "invalid_bsn",
                "Dit is geen geldig BSN (negen cijfers die de elfproef doorstaan).",
                "This is not a valid BSN (nine digits passing the 11-check).",
            ) from exc
        object.__setattr__(self, "value", compact)

    def __str__(self) -> str:
        return self.value

    def formatted(self) -> str:
        """The way it is printed on letters: 1234.56.782."""
        return str(stdnum_bsn.format(self.value))


@dataclass(frozen=True, slots=True)
class Postcode:
    """Dutch postcode, normalised to '9974 AB'."""

    value: str

    def __post_init__(self) -> None:
        try:
            normalised = stdnum_postcode.validate(self.value)
        except (StdnumValidationError, TypeError) as exc:
            raise ValidationError(
                "invalid_postcode",
                "Dit is geen geldige postcode (vier cijfers en twee letters, zoals 9974 AB).",
                "This is not a valid postcode (four digits and two letters, like 9974 AB).",
            ) from exc
        object.__setattr__(self, "value", normalised)

    @property
    def digits(self) -> str:
        return self.value[:4]

    def __str__(self) -> str:
        return self.value


def _clean(text: str) -> str:
    return " ".join(text.split())


def fold(text: str) -> str:
    """Text as a Dutch list sorts and searches it: accents dropped, case folded ("Öz" ~ "oz")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@dataclass(frozen=True, slots=True)
class PersonName:
    """A Dutch name: the prefix ("van der") sorts apart from the surname.

    Display: "Jan de Vries"; formal and sort form: "Vries, J. de".
    """

    surname: str
    first_names: str = ""
    initials: str = ""
    prefix: str = ""

    def __post_init__(self) -> None:
        surname = _clean(self.surname)
        if not surname:
            raise ValidationError(
                "surname_required", "Achternaam is verplicht.", "Surname is required."
            )
        object.__setattr__(self, "surname", surname)
        object.__setattr__(self, "first_names", _clean(self.first_names))
        object.__setattr__(self, "prefix", _clean(self.prefix).lower())
        initials = self.initials or "".join(part[0] for part in self.first_names.split())
        letters = [c.upper() for c in initials if c.isalpha()]
        object.__setattr__(self, "initials", "".join(f"{c}." for c in letters))

    @property
    def given_name(self) -> str:
        """The first of the first names: the name people use."""
        return self.first_names.split()[0] if self.first_names else ""

    def display(self) -> str:
        return full_name(
            surname=self.surname,
            first_names=self.first_names,
            initials=self.initials,
            name_prefix=self.prefix,
        )

    def formal(self) -> str:
        tail = " ".join(p for p in (self.initials, self.prefix) if p)
        return f"{self.surname}, {tail}" if tail else self.surname

    def sort_key(self) -> tuple[str, str, str]:
        return (fold(self.surname), fold(self.initials), fold(self.prefix))

    def __str__(self) -> str:
        return self.display()


@dataclass(frozen=True, slots=True)
class Address:
    """A Dutch address. `house_number_addition` is the BAG's huisletter and
    huisnummertoevoeging in their stored form ("A", "1", "HS", "A-1"); whatever way they are
    written ("a", "-1", "a 2") is normalised to it (app/domain/house_numbers.py)."""

    street: str
    house_number: int
    postcode: Postcode
    village: str
    municipality: str
    house_number_addition: str = ""

    def __post_init__(self) -> None:
        if not _clean(self.street):
            raise ValidationError("street_required", "Straat is verplicht.", "Street is required.")
        if not 1 <= self.house_number <= MAX_HOUSE_NUMBER:
            raise ValidationError(
                "invalid_house_number",
                "Het huisnummer moet tussen 1 en 99999 liggen.",
                "The house number must be between 1 and 99999.",
            )
        addition = stored_addition(self.house_number_addition)
        if not _clean(self.village) or not _clean(self.municipality):
            raise ValidationError(
                "village_required",
                "Woonplaats en gemeente zijn verplicht.",
                "Village and municipality are required.",
            )
        object.__setattr__(self, "street", _clean(self.street))
        object.__setattr__(self, "village", _clean(self.village))
        object.__setattr__(self, "municipality", _clean(self.municipality))
        object.__setattr__(self, "house_number_addition", addition)

    def street_line(self) -> str:
        return f"{self.street} {house_number_text(self.house_number, self.house_number_addition)}"

    def __str__(self) -> str:
        return f"{self.street_line()}, {self.postcode} {self.village}"


_PHONE = re.compile(r"^\+?[0-9]{9,15}$")


@dataclass(frozen=True, slots=True)
class PhoneNumber:
    """A phone number, stored without spaces or dashes: '0595123456' or '+31595123456'."""

    value: str

    def __post_init__(self) -> None:
        compact = re.sub(r"[\s\-().]", "", self.value)
        if not _PHONE.match(compact):
            raise ValidationError(
                "invalid_phone",
                "Dit is geen geldig telefoonnummer.",
                "This is not a valid phone number.",
            )
        object.__setattr__(self, "value", compact)

    def __str__(self) -> str:
        return self.value


# Deliberately simple: mail servers decide what exists; we only catch typing mistakes.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]{2,}$")


@dataclass(frozen=True, slots=True)
class EmailAddress:
    value: str

    def __post_init__(self) -> None:
        value = self.value.strip()
        if len(value) > 254 or not _EMAIL.match(value):
            raise ValidationError(
                "invalid_email",
                "Dit is geen geldig e-mailadres.",
                "This is not a valid e-mail address.",
            )
        object.__setattr__(self, "value", value)

    def __str__(self) -> str:
        return self.value
