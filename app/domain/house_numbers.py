"""House numbers as the BAG has them, and the ways people write them.

The BAG (Basisregistratie Adressen en Gebouwen) gives an address a huisnummer (1-99999), an
optional huisletter (one letter A-Z) and an optional huisnummertoevoeging (up to four letters or
digits). People write these in many ways: "12a", "12 A", "12-a", "12-1", "12 -1", "12/1",
"12 bis", "12-II", "12a-1", "12 a 2", or the addition in its own column as "-a", "hs", " 2 ",
"1 hg". `parse_house_number` and `HouseNumberAddition.parse` read all of them; what is refused
is what cannot be a BAG address: no number, 0 or more than 99999, a toevoeging longer than four,
characters that are no letter or digit (other than the separators " ", "-", "/").

Reading rule
    After the number, the addition is split at the separators into runs of letters and digits.
    When the first run is a single letter, it is the huisletter and the rest (joined) is the
    toevoeging: "12 a 2" and "12a-1" are letter A with toevoeging 1/2. Otherwise everything is
    the toevoeging: "12 bis" -> BIS, "12-1" -> 1, "12 1 hg" -> 1HG, "12a1" -> A1 (written as one
    run, so not split: nothing is guessed). Two numbers that would run together ("12 1 2") are
    refused: 12 or 1-2 cannot be told apart. Letters are stored upper case.

Stored form (the client's `house_number_addition`, at most six characters)
    huisletter alone "A"; toevoeging alone "1", "BIS", "HS", "II"; both "A-1" (the hyphen keeps
    "A-1" apart from the toevoeging "A1"). The stored form reads back through the same rule, so
    normalising twice changes nothing. Shown after the number as the post writes it: 12A, 12-1,
    12-BIS, 12A-1 (`house_number_text`).

Older records
    Before this rule an addition was any six letters or digits. The few values the rule refuses
    (five or six characters, such as "1HOOG") still load and show, so that no dossier becomes
    unreadable; new input must follow the rule (`Address` keeps them, input points parse).

Messages never repeat the value (it is part of an address).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.domain.errors import ValidationError

__all__ = [
    "MAX_HOUSE_NUMBER",
    "MAX_SUFFIX",
    "HouseNumberAddition",
    "house_number_text",
    "parse_house_number",
    "stored_addition",
]

MAX_HOUSE_NUMBER = 99999
MAX_SUFFIX = 4

# Excel and Word turn a typed hyphen into an en dash and a space into a non-breaking one now and
# then; Windows-1252 has both (0x96, 0xA0).
_SEPARATORS = " \t\u00a0-/\u2010\u2011\u2013"
_ALLOWED = re.compile(rf"[A-Za-z0-9{re.escape(_SEPARATORS)}]*")
_RUN = re.compile(r"[A-Za-z0-9]+")
_NUMBER_FIRST = re.compile(r"([0-9]+)(.*)", re.DOTALL)
_LEGACY = re.compile(r"[A-Z0-9]{5,6}")


def _invalid_number() -> ValidationError:
    return ValidationError(
        "invalid_house_number",
        "Het huisnummer moet met een getal beginnen (12, 12a of 12-1).",
        "The house number must start with a number (12, 12a or 12-1).",
    )


def _out_of_range() -> ValidationError:
    return ValidationError(
        "invalid_house_number",
        "Het huisnummer moet tussen 1 en 99999 liggen.",
        "The house number must be between 1 and 99999.",
    )


def _bad_characters() -> ValidationError:
    return ValidationError(
        "invalid_house_number_addition",
        "Een huisletter of toevoeging bestaat uit letters (A-Z) en cijfers, hoogstens "
        "gescheiden door een spatie, streepje of schuine streep.",
        "A house letter or addition consists of letters (A-Z) and digits, separated at most "
        "by a space, hyphen or slash.",
    )


def _too_long() -> ValidationError:
    return ValidationError(
        "invalid_house_number_addition",
        f"De huisnummertoevoeging is hoogstens {MAX_SUFFIX} letters of cijfers, na een "
        "eventuele huisletter (zoals A, 1, HS, 1HG, BIS of A-1).",
        f"The house number addition is at most {MAX_SUFFIX} letters or digits, after an "
        "optional house letter (like A, 1, HS, 1HG, BIS or A-1).",
    )


def _numbers_run_together() -> ValidationError:
    return ValidationError(
        "invalid_house_number_addition",
        "De toevoeging heeft losse getallen achter elkaar; aaneengeschreven zouden ze een ander "
        "getal zijn. Schrijf de toevoeging zoals de BAG haar kent.",
        "The addition has separate numbers in a row; written together they would be another "
        "number. Write the addition as the BAG has it.",
    )


def _bad_letter() -> ValidationError:
    return ValidationError(
        "invalid_house_letter",
        "De huisletter is één letter, A tot en met Z.",
        "The house letter is one letter, A to Z.",
    )


def _joined(runs: list[str]) -> str:
    for before, after in zip(runs, runs[1:], strict=False):
        if before[-1].isdigit() and after[0].isdigit():
            raise _numbers_run_together()
    suffix = "".join(runs).upper()
    if len(suffix) > MAX_SUFFIX:
        raise _too_long()
    return suffix


def _runs(text: str) -> list[str]:
    if not _ALLOWED.fullmatch(text):
        raise _bad_characters()
    return _RUN.findall(text)


@dataclass(frozen=True, slots=True)
class HouseNumberAddition:
    """The huisletter and huisnummertoevoeging of one address; both may be empty."""

    letter: str = ""
    suffix: str = ""

    def __post_init__(self) -> None:
        if self.letter and not (
            len(self.letter) == 1 and self.letter.isascii() and self.letter.isalpha()
        ):
            raise _bad_letter()
        if self.suffix and not (
            len(self.suffix) <= MAX_SUFFIX and self.suffix.isascii() and self.suffix.isalnum()
        ):
            raise _too_long() if len(self.suffix) > MAX_SUFFIX else _bad_characters()
        object.__setattr__(self, "letter", self.letter.upper())
        object.__setattr__(self, "suffix", self.suffix.upper())

    @classmethod
    def parse(cls, text: str) -> HouseNumberAddition:
        """The addition as people write it after a number or in a column of its own ("a",
        "-1", "a 2", "hs", "1 hg"), by the module's reading rule; raises ValidationError."""
        runs = _runs(text.strip())
        if runs and len(runs[0]) == 1 and runs[0].isalpha():
            return cls(runs[0], _joined(runs[1:]))
        return cls("", _joined(runs))

    @classmethod
    def from_columns(cls, letter: str, suffix: str) -> HouseNumberAddition:
        """From a huisletter and a huisnummertoevoeging written apart (a BAG extract has them
        in two columns): the second is all toevoeging, whatever it starts with."""
        letter = letter.strip()
        if letter and not (len(letter) == 1 and letter.isascii() and letter.isalpha()):
            raise _bad_letter()
        return cls(letter, _joined(_runs(suffix.strip())))

    @property
    def stored(self) -> str:
        """The form kept in a client's `house_number_addition` (see the module's note)."""
        if self.letter and self.suffix:
            return f"{self.letter}-{self.suffix}"
        return self.letter or self.suffix

    def after(self, number: int) -> str:
        """The number with this addition as an address line shows it: 12A, 12-1, 12A-1."""
        return f"{number}{self.letter}" + (f"-{self.suffix}" if self.suffix else "")

    def __bool__(self) -> bool:
        return bool(self.letter or self.suffix)


def parse_house_number(text: str) -> tuple[int, HouseNumberAddition]:
    """A house number as people write it, with or without the addition glued on ("12",
    "12a", "12 -1", "12a-1", "12 bis"); raises ValidationError."""
    match = _NUMBER_FIRST.fullmatch(text.strip())
    if not match:
        raise _invalid_number()
    digits = match[1].lstrip("0")
    if not digits or len(digits) > len(str(MAX_HOUSE_NUMBER)) or int(digits) > MAX_HOUSE_NUMBER:
        raise _out_of_range()
    return int(digits), HouseNumberAddition.parse(match[2])


def stored_addition(text: str) -> str:
    """The stored form of an addition as written; an older record's longer value is kept
    (see the module's note). Raises ValidationError for anything else."""
    try:
        return HouseNumberAddition.parse(text).stored
    except ValidationError:
        legacy = text.strip().upper()
        if _LEGACY.fullmatch(legacy):
            return legacy
        raise


def house_number_text(number: int, addition: str | None) -> str:
    """A stored number and addition as an address line shows them: 12, 12A, 12-1, 12A-1."""
    if not addition:
        return str(number)
    try:
        return HouseNumberAddition.parse(addition).after(number)
    except ValidationError:
        return f"{number}-{addition}"
