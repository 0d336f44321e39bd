from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.nl import bsn as stdnum_bsn

from app.domain.errors import ValidationError
from app.domain.values import Address, Bsn, EmailAddress, PersonName, PhoneNumber, Postcode


@pytest.mark.parametrize("value", ["111222333", "123456782", "1112.22.333", " 111222333 "])
def test_valid_bsn_is_kept_compact(value: str) -> None:
    assert Bsn(value).value in {"111222333", "123456782"}


@pytest.mark.parametrize("value", ["111222334", "12345678", "abcdefghi", "", "0000000000"])
def test_invalid_bsn_is_refused_without_echoing_it(value: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Bsn(value)
    assert caught.value.code == "invalid_bsn"
    assert value.strip() == "" or value not in str(caught.value)
    assert value.strip() == "" or value not in caught.value.message_nl


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_bsn_agrees_with_the_eleven_check(digits: str) -> None:
    if stdnum_bsn.is_valid(digits):
        assert Bsn(digits).value == digits
    else:
        with pytest.raises(ValidationError):
            Bsn(digits)


def test_bsn_formatting() -> None:
    assert Bsn("111222333").formatted() == "1112.22.333"


@pytest.mark.parametrize(("raw", "normal"), [("9974ab", "9974 AB"), ("9974 AB", "9974 AB")])
def test_postcode_is_normalised(raw: str, normal: str) -> None:
    postcode = Postcode(raw)
    assert postcode.value == normal
    assert postcode.digits == "9974"


@pytest.mark.parametrize("raw", ["9974 SA", "0974 AB", "99741AB", "ABCD EF", ""])
def test_invalid_postcode(raw: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Postcode(raw)
    assert caught.value.code == "invalid_postcode"


def test_person_name_display_and_formal_forms() -> None:
    name = PersonName(surname="Vries", first_names="Jan Pieter", prefix="de")
    assert name.display() == "Jan de Vries"
    assert name.formal() == "Vries, J.P. de"
    assert name.initials == "J.P."


def test_prefix_sorts_apart_from_surname() -> None:
    names = [
        PersonName(surname="Berg", first_names="Anna", prefix="van der"),
        PersonName(surname="Abbing", first_names="Sietske"),
        PersonName(surname="Vries", first_names="Jan", prefix="de"),
        PersonName(surname="Dijkstra", first_names="Klaas"),
    ]
    ordered = [n.surname for n in sorted(names, key=PersonName.sort_key)]
    assert ordered == ["Abbing", "Berg", "Dijkstra", "Vries"]


def test_name_without_first_names_uses_initials() -> None:
    name = PersonName(surname="Mulder", initials="t.h")
    assert name.initials == "T.H."
    assert name.display() == "T.H. Mulder"
    assert name.formal() == "Mulder, T.H."


def test_name_whitespace_is_cleaned_and_prefix_lowercased() -> None:
    name = PersonName(surname="  Berg ", first_names=" Anna  Maria ", prefix="Van  Der")
    assert name.surname == "Berg"
    assert name.first_names == "Anna Maria"
    assert name.prefix == "van der"


def test_surname_required() -> None:
    with pytest.raises(ValidationError) as caught:
        PersonName(surname="  ")
    assert caught.value.code == "surname_required"


def test_address() -> None:
    address = Address(
        street="Hoofdstraat",
        house_number=12,
        house_number_addition="a",
        postcode=Postcode("9974ab"),
        village="Zoutkamp",
        municipality="De Marne",
    )
    assert str(address) == "Hoofdstraat 12A, 9974 AB Zoutkamp"


@pytest.mark.parametrize(
    ("written", "stored", "line"),
    [
        ("", "", "Hoofdstraat 12"),
        ("a", "A", "Hoofdstraat 12A"),
        ("-a", "A", "Hoofdstraat 12A"),
        ("1", "1", "Hoofdstraat 12-1"),
        ("hs", "HS", "Hoofdstraat 12-HS"),
        ("a-1", "A-1", "Hoofdstraat 12A-1"),
        ("a 2", "A-2", "Hoofdstraat 12A-2"),
        ("1 hg", "1HG", "Hoofdstraat 12-1HG"),
        # A value stored before the BAG rule (six letters or digits) still loads and shows.
        ("1hoog", "1HOOG", "Hoofdstraat 12-1HOOG"),
    ],
)
def test_address_stores_the_addition_as_the_bag_has_it(
    written: str, stored: str, line: str
) -> None:
    address = Address("Hoofdstraat", 12, Postcode("9974 AB"), "Zoutkamp", "De Marne", written)

    assert address.house_number_addition == stored
    assert address.street_line() == line
    # The stored form reads back unchanged: a record that syncs back and forth stays the same.
    assert Address("Hoofdstraat", 12, Postcode("9974 AB"), "Zoutkamp", "De Marne", stored) == (
        address
    )


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("house_number", 0, "invalid_house_number"),
        ("street", " ", "street_required"),
        ("house_number_addition", "toolong1", "invalid_house_number_addition"),
        ("house_number_addition", "a.1", "invalid_house_number_addition"),
        ("house_number_addition", "a 12345", "invalid_house_number_addition"),
        ("village", "", "village_required"),
    ],
)
def test_invalid_address(field: str, value: object, code: str) -> None:
    values: dict[str, object] = {
        "street": "Hoofdstraat",
        "house_number": 1,
        "postcode": Postcode("9974 AB"),
        "village": "Zoutkamp",
        "municipality": "De Marne",
        field: value,
    }
    with pytest.raises(ValidationError) as caught:
        Address(**values)  # type: ignore[arg-type]
    assert caught.value.code == code


def test_phone_and_email() -> None:
    assert PhoneNumber("0595 - 42 12 34").value == "0595421234"
    assert PhoneNumber("+31 6 12345678").value == "+31612345678"
    assert EmailAddress(" iemand@example.nl ").value == "iemand@example.nl"
    for bad_phone in ("12", "06-abc", ""):
        with pytest.raises(ValidationError):
            PhoneNumber(bad_phone)
    for bad_email in ("iemand", "iemand@", "@example.nl", "a b@example.nl"):
        with pytest.raises(ValidationError):
            EmailAddress(bad_email)


def test_errors_speak_both_languages() -> None:
    with pytest.raises(ValidationError) as caught:
        Postcode("x")
    assert caught.value.message("nl") != caught.value.message("en")
    assert caught.value.message("nl_NL") == caught.value.message_nl
    assert caught.value.message("en_GB") == caught.value.message_en
