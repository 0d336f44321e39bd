"""House numbers as people write them, read into the BAG's huisnummer, huisletter and
huisnummertoevoeging (app/domain/house_numbers.py)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.errors import ValidationError
from app.domain.house_numbers import (
    HouseNumberAddition,
    house_number_text,
    parse_house_number,
    stored_addition,
)


@pytest.mark.parametrize(
    ("written", "number", "letter", "suffix", "stored", "shown"),
    [
        ("12", 12, "", "", "", "12"),
        (" 12 ", 12, "", "", "", "12"),
        ("012", 12, "", "", "", "12"),
        ("12a", 12, "A", "", "A", "12A"),
        ("12A", 12, "A", "", "A", "12A"),
        ("12 A", 12, "A", "", "A", "12A"),
        ("12-a", 12, "A", "", "A", "12A"),
        ("12 - a", 12, "A", "", "A", "12A"),
        ("12\u00a0a", 12, "A", "", "A", "12A"),  # Excel's non-breaking space
        ("12-1", 12, "", "1", "1", "12-1"),
        ("12 -1", 12, "", "1", "1", "12-1"),
        ("12 1", 12, "", "1", "1", "12-1"),
        ("12/1", 12, "", "1", "1", "12-1"),
        ("12\u20131", 12, "", "1", "1", "12-1"),  # an en dash Word or Excel made of a hyphen
        ("12 bis", 12, "", "BIS", "BIS", "12-BIS"),
        ("7bis", 7, "", "BIS", "BIS", "7-BIS"),
        ("12 hs", 12, "", "HS", "HS", "12-HS"),
        ("12-II", 12, "", "II", "II", "12-II"),
        ("12 1 hg", 12, "", "1HG", "1HG", "12-1HG"),
        ("12a-1", 12, "A", "1", "A-1", "12A-1"),
        ("12A 1", 12, "A", "1", "A-1", "12A-1"),
        ("12 a 2", 12, "A", "2", "A-2", "12A-2"),
        ("12 a-bis", 12, "A", "BIS", "A-BIS", "12A-BIS"),
        # One run of letters and digits is not split: that would be a guess.
        ("12a1", 12, "", "A1", "A1", "12-A1"),
        ("12-", 12, "", "", "", "12"),
        ("99999", 99999, "", "", "", "99999"),
        ("1 a 1234", 1, "A", "1234", "A-1234", "1A-1234"),
    ],
)
def test_real_world_spellings(
    written: str, number: int, letter: str, suffix: str, stored: str, shown: str
) -> None:
    parsed_number, addition = parse_house_number(written)

    assert (parsed_number, addition.letter, addition.suffix) == (number, letter, suffix)
    assert addition.stored == stored
    assert addition.after(parsed_number) == shown
    assert house_number_text(parsed_number, stored) == shown


@pytest.mark.parametrize(
    ("written", "letter", "suffix"),
    [
        ("", "", ""),
        ("a", "A", ""),
        ("A", "A", ""),
        ("-a", "A", ""),
        (" 2 ", "", "2"),
        ("-1", "", "1"),
        ("hs", "", "HS"),
        ("HS", "", "HS"),
        ("1 hg", "", "1HG"),
        ("a-1", "A", "1"),
        ("II", "", "II"),
    ],
)
def test_addition_in_a_column_of_its_own(written: str, letter: str, suffix: str) -> None:
    assert HouseNumberAddition.parse(written) == HouseNumberAddition(letter, suffix)


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("", "invalid_house_number"),
        ("twaalf", "invalid_house_number"),
        ("a12", "invalid_house_number"),
        ("nr. 12", "invalid_house_number"),
        ("0", "invalid_house_number"),
        ("0a", "invalid_house_number"),
        ("100000", "invalid_house_number"),
        ("123456789012", "invalid_house_number"),
        # "1 hoog" is no BAG toevoeging (at most four characters); 1HG is.
        ("12 1 hoog", "invalid_house_number_addition"),
        ("12 abcde", "invalid_house_number_addition"),
        ("12a 12345", "invalid_house_number_addition"),
        ("12.1", "invalid_house_number_addition"),
        ("12,1", "invalid_house_number_addition"),
        ("12 é", "invalid_house_number_addition"),
        ("12 (achter)", "invalid_house_number_addition"),
        # 12 1 2: toevoeging 12 or 1-2? Not guessed.
        ("12 1 2", "invalid_house_number_addition"),
        ("12 a 1 2", "invalid_house_number_addition"),
    ],
)
def test_what_no_bag_address_can_be_is_refused(written: str, code: str) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_house_number(written)

    assert refused.value.code == code
    assert refused.value.message_nl != refused.value.message_en
    # Messages never repeat the value: it is part of an address.
    for part in written.split():
        if len(part) > 2:
            said = refused.value.message_nl + " " + refused.value.message_en
            assert not re.search(rf"(?<!\w){re.escape(part)}(?!\w)", said)


@pytest.mark.parametrize(
    ("letter", "suffix", "expected"),
    [
        ("a", "", HouseNumberAddition("A", "")),
        (" B ", "2", HouseNumberAddition("B", "2")),
        ("", "a", HouseNumberAddition("", "A")),  # the toevoeging column is all toevoeging
        ("c", "-hs", HouseNumberAddition("C", "HS")),
        ("", "", HouseNumberAddition()),
    ],
)
def test_bag_extract_columns(letter: str, suffix: str, expected: HouseNumberAddition) -> None:
    assert HouseNumberAddition.from_columns(letter, suffix) == expected


@pytest.mark.parametrize(
    ("letter", "code"),
    [("ab", "invalid_house_letter"), ("1", "invalid_house_letter"), ("é", "invalid_house_letter")],
)
def test_bag_letter_column_is_one_letter(letter: str, code: str) -> None:
    with pytest.raises(ValidationError) as refused:
        HouseNumberAddition.from_columns(letter, "")
    assert refused.value.code == code


def test_the_parts_are_checked_when_made_directly() -> None:
    with pytest.raises(ValidationError):
        HouseNumberAddition("AB", "")
    with pytest.raises(ValidationError):
        HouseNumberAddition("", "12345")
    with pytest.raises(ValidationError):
        HouseNumberAddition("", "1-2")


def test_older_stored_values_still_load_and_show() -> None:
    # Six letters or digits were allowed before the BAG rule; such a record must stay readable.
    assert stored_addition("1hoog") == "1HOOG"
    assert house_number_text(12, "1HOOG") == "12-1HOOG"
    with pytest.raises(ValidationError):
        stored_addition("1234567")
    with pytest.raises(ValidationError):
        stored_addition("1 hoog")  # never stored that way: new input follows the BAG rule


_LETTERS = st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_SUFFIXES = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=4)


@given(
    letter=st.one_of(st.just(""), _LETTERS),
    suffix=st.one_of(st.just(""), _SUFFIXES),
    number=st.integers(min_value=1, max_value=99999),
)
def test_stored_form_reads_back_unchanged(letter: str, suffix: str, number: int) -> None:
    if not letter and len(suffix) == 1 and suffix.isalpha():
        # A lone letter is the huisletter: a one-letter toevoeging without one cannot be written.
        letter, suffix = suffix, ""
    addition = HouseNumberAddition(letter, suffix)

    assert HouseNumberAddition.parse(addition.stored) == addition
    assert stored_addition(addition.stored) == addition.stored
    assert len(addition.stored) <= 6  # the client table's column
    assert parse_house_number(addition.after(number)) == (number, addition)
    assert parse_house_number(f"{number} {addition.stored.lower()}") == (number, addition)
