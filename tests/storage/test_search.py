"""Search-as-you-type over the encrypted FTS5 index, and the query builder behind it."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterator

import pytest
import sqlcipher3.dbapi2 as sqlcipher
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.client import Client
from app.domain.values import PersonName
from app.storage.search import MAX_TERMS, match_query
from app.storage.store import Store

from .conftest import make_client, valid_bsns


@pytest.fixture
def people(store: Store) -> dict[str, Client]:
    """A small caseload across two villages (all names made up)."""
    bsn = iter(["111222333", "123456782", *valid_bsns(6)])
    made = {
        "zoe": make_client(bsn=next(bsn), first_names="Zoë", surname="Berg", prefix="van der"),
        "zoe_plain": make_client(bsn=next(bsn), first_names="Zoe", surname="Kramer"),
        "jan_zoutkamp": make_client(bsn=next(bsn), first_names="Jan", surname="Dijkstra"),
        "jan_ulrum": make_client(
            bsn=next(bsn),
            first_names="Jan",
            surname="Bosma",
            street="Kerkstraat",
            postcode="9971 AA",
            village="Ulrum",
        ),
        "piet_zoutkamp": make_client(
            bsn=next(bsn), first_names="Piet", surname="Wierenga", street="Dorpsweg"
        ),
        "muller": make_client(
            bsn=next(bsn), first_names="Gerrit", surname="Müller", postcode="9974 PA"
        ),
    }
    return {key: store.create(client) for key, client in made.items()}


def found(store: Store, text: str) -> set[str]:
    return {summary.id for summary in store.search(text)}


def ids(people: dict[str, Client], *keys: str) -> set[str]:
    return {people[key].id for key in keys}


# -------------------------------------------------------------------------- through the store


def test_plain_letters_find_a_name_with_diacritics(store: Store, people: dict[str, Client]) -> None:
    assert found(store, "zoe") == ids(people, "zoe", "zoe_plain")
    assert found(store, "ZOE") == ids(people, "zoe", "zoe_plain")
    assert found(store, "muller") == ids(people, "muller")


def test_diacritics_in_the_query_find_the_plain_spelling_too(
    store: Store, people: dict[str, Client]
) -> None:
    assert found(store, "Zoë") == ids(people, "zoe", "zoe_plain")
    assert found(store, "zoë") == ids(people, "zoe", "zoe_plain")
    assert found(store, "Müller") == ids(people, "muller")


def test_a_query_in_decomposed_unicode_finds_the_name(
    store: Store, people: dict[str, Client]
) -> None:
    """macOS input and pasted text often arrive decomposed (NFD): 'u' + combining diaeresis."""
    decomposed = unicodedata.normalize("NFD", "Müller")
    assert decomposed != "Müller"
    assert found(store, decomposed) == ids(people, "muller")
    assert found(store, unicodedata.normalize("NFD", "Zoë")) == ids(people, "zoe", "zoe_plain")


def test_a_prefix_finds_the_surname(store: Store, people: dict[str, Client]) -> None:
    assert found(store, "dijk") == ids(people, "jan_zoutkamp")
    assert found(store, "Dijkstra") == ids(people, "jan_zoutkamp")
    assert found(store, "wier") == ids(people, "piet_zoutkamp")


def test_a_name_prefix_word_is_searchable(store: Store, people: dict[str, Client]) -> None:
    assert found(store, "zoe van der berg") == ids(people, "zoe")
    assert found(store, "berg") == ids(people, "zoe")


def test_a_bsn_and_a_bsn_prefix_find_the_client(store: Store, people: dict[str, Client]) -> None:
    bsn = people["jan_ulrum"].bsn.value
    assert found(store, bsn) == ids(people, "jan_ulrum")
    assert found(store, bsn[:4]) >= ids(people, "jan_ulrum")
    assert found(store, "1112") == ids(people, "zoe")
    assert found(store, "111222333") == ids(people, "zoe")
    assert found(store, "12345678") == ids(people, "zoe_plain")


def test_a_postcode_with_or_without_space_finds_it(store: Store, people: dict[str, Client]) -> None:
    in_9974_ab = ids(people, "zoe", "zoe_plain", "jan_zoutkamp", "piet_zoutkamp")
    assert found(store, "9974ab") == in_9974_ab
    assert found(store, "9974 AB") == in_9974_ab
    assert found(store, "9974AB") == in_9974_ab
    assert found(store, "9974 pa") == ids(people, "muller")
    assert found(store, "9971aa") == ids(people, "jan_ulrum")


def test_a_village_finds_its_clients(store: Store, people: dict[str, Client]) -> None:
    assert found(store, "zoutkamp") == ids(
        people, "zoe", "zoe_plain", "jan_zoutkamp", "piet_zoutkamp", "muller"
    )
    assert found(store, "Ulrum") == ids(people, "jan_ulrum")
    assert found(store, "hogeland") == set(ids(people, *people))


def test_two_words_narrow_the_result(store: Store, people: dict[str, Client]) -> None:
    assert found(store, "jan") == ids(people, "jan_zoutkamp", "jan_ulrum")
    assert found(store, "jan zoutkamp") == ids(people, "jan_zoutkamp")
    assert found(store, "zoutkamp jan") == ids(people, "jan_zoutkamp")
    assert found(store, "jan ulrum") == ids(people, "jan_ulrum")
    assert found(store, "piet ulrum") == set()


def test_a_street_and_house_number_find_the_address(
    store: Store, people: dict[str, Client]
) -> None:
    assert found(store, "kerkstraat") == ids(people, "jan_ulrum")
    assert found(store, "dorpsweg 12") == ids(people, "piet_zoutkamp")


@pytest.mark.parametrize(
    "text",
    [
        '"',
        '"jan',
        'jan"',
        '""',
        "*",
        "jan*",
        "*jan",
        "NEAR(",
        "NEAR(jan zoutkamp)",
        "NEAR(jan, 2)",
        "surname:",
        "surname:jan",
        "name:jan",
        "{name bsn}:jan",
        "-",
        "-jan",
        "jan -zoutkamp",
        "AND OR",
        "jan AND",
        "OR jan",
        "NOT",
        "jan NOT zoutkamp",
        "(",
        ")",
        "()",
        "^jan",
        "+",
        "jan + zoutkamp",
        "'",
        "';DROP TABLE clients;--",
        "\\",
        "\x00",
        "%",
        "_",
        "a" * 10_000,
        "ë" * 200,
        "🙂",
        "Zoë 🙂 9974ab",
        "٣٤٥",
        "\u200b",
        " ".join(["jan"] * 50),
    ],
)
def test_query_syntax_typed_by_a_user_never_raises(
    store: Store, people: dict[str, Client], text: str
) -> None:
    result = store.search(text)
    assert isinstance(result, list)
    assert store.count(Client) == len(people)


def test_fts_syntax_words_are_searched_as_words(store: Store, people: dict[str, Client]) -> None:
    # Operators are plain words: "near" is a word no client has, so nothing matches.
    assert found(store, "NEAR(jan zoutkamp)") == set()
    assert found(store, "(jan) (zoutkamp)") == ids(people, "jan_zoutkamp")
    assert found(store, '"jan" AND') == set()  # "and" is just a word no client has
    assert found(store, "surname:dijkstra") == set()  # "surname" is just a word too
    assert found(store, "dijkstra*") == ids(people, "jan_zoutkamp")
    assert found(store, "-dijkstra") == ids(people, "jan_zoutkamp")


def test_empty_and_punctuation_only_queries_find_nothing(
    store: Store, people: dict[str, Client]
) -> None:
    for text in ("", "   ", "***", '"', "-- --", "()"):
        assert store.search(text) == []


def test_deleted_clients_are_not_found(store: Store, people: dict[str, Client]) -> None:
    store.delete(Client, people["jan_zoutkamp"].id)
    assert found(store, "dijkstra") == set()
    assert found(store, "jan") == ids(people, "jan_ulrum")
    assert found(store, people["jan_zoutkamp"].bsn.value) == set()


def test_an_updated_surname_is_found_by_the_new_name_only(
    store: Store, people: dict[str, Client]
) -> None:
    client = people["piet_zoutkamp"]
    store.update(
        dataclasses.replace(client, name=dataclasses.replace(client.name, surname="Hoekstra"))
    )
    assert found(store, "hoekstra") == {client.id}
    assert found(store, "wierenga") == set()
    assert found(store, "wier") == set()
    assert found(store, "piet") == {client.id}


def test_a_moved_client_is_found_in_the_new_village(
    store: Store, people: dict[str, Client]
) -> None:
    client = people["jan_ulrum"]
    address = dataclasses.replace(client.address, village="Pieterburen")
    store.update(dataclasses.replace(client, address=address))
    assert found(store, "pieterburen") == {client.id}
    assert found(store, "ulrum") == set()


def test_search_results_are_summaries_and_respect_the_limit(
    store: Store, people: dict[str, Client]
) -> None:
    (summary,) = store.search("dijkstra")
    assert summary.display_name == "Jan Dijkstra"
    assert summary.village == "Zoutkamp"
    assert len(store.search("zoutkamp", limit=2)) == 2


def test_search_index_follows_a_replaced_name(store: Store) -> None:
    client = store.create(make_client(surname="Oldenhuis"))
    store.update(dataclasses.replace(client, name=PersonName(surname="Nieuwenhuis")))
    assert found(store, "oldenhuis") == set()
    assert found(store, "nieuwenhuis") == {client.id}


# ------------------------------------------------------------------------------- match_query


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("zoe", '"zoe"*'),
        ("Zoë van", '"zoë"* "van"*'),
        ("  Jan   Zoutkamp ", '"jan"* "zoutkamp"*'),
        ("9974ab", '"9974"* "ab"*'),
        ("9974AB", '"9974"* "ab"*'),
        ("9974 AB", '"9974"* "ab"*'),
        ("111222333", '"111222333"*'),
        ("NEAR(jan zoutkamp)", '"near"* "jan"* "zoutkamp"*'),
        ("surname:jan", '"surname"* "jan"*'),
        ('"jan" OR -piet*', '"jan"* "or"* "piet"*'),
        ("de_vries", '"devries"*'),
        ("Straße", '"strasse"*'),
    ],
)
def test_match_query_quotes_every_word_as_a_prefix(text: str, expected: str) -> None:
    assert match_query(text) == expected


@pytest.mark.parametrize("text", ["", "   ", '"', "*", "()", "-", "_", "__", "\u200b", "🙂"])
def test_match_query_of_nothing_searchable_is_none(text: str) -> None:
    assert match_query(text) is None


def test_match_query_keeps_at_most_max_terms() -> None:
    query = match_query(" ".join(f"woord{i}" for i in range(MAX_TERMS + 5)))
    assert query is not None
    assert query.split() == [f'"woord{i}"*' for i in range(MAX_TERMS)]


def test_match_query_treats_composed_and_decomposed_text_alike() -> None:
    for text in ("Müller", "Zoë", "Çelik", "Sørensen", "Şahin"):
        assert match_query(unicodedata.normalize("NFD", text)) == match_query(
            unicodedata.normalize("NFC", text)
        )


_TERM = re.compile(r'^"[^"\s]+"\*$')


@given(st.text(max_size=80))
def test_match_query_output_is_only_quoted_prefix_terms(text: str) -> None:
    query = match_query(text)
    if query is None:
        return
    terms = query.split(" ")
    assert 1 <= len(terms) <= MAX_TERMS
    for term in terms:
        assert _TERM.match(term), term


@pytest.fixture(scope="module")
def fts() -> Iterator[sqlcipher.Connection]:
    """A throwaway in-memory FTS5 table with the production tokenizer (no personal data)."""
    conn = sqlcipher.connect(":memory:")
    conn.execute(
        "CREATE VIRTUAL TABLE t USING fts5(name, bsn, tokenize = 'unicode61 remove_diacritics 2')"
    )
    conn.execute("INSERT INTO t VALUES ('Zoë van der Berg', '111222333')")
    yield conn
    conn.close()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_match_query_is_always_valid_fts5(fts: sqlcipher.Connection, text: str) -> None:
    query = match_query(text)
    if query is not None:
        fts.execute("SELECT rowid FROM t WHERE t MATCH ?", (query,)).fetchall()
