"""Screens load while sync writes: Vandaag, Conflicten and the caseload read in read transactions,
which never take (or wait for) SQLite's write lock.

Before issue #10 Vandaag and Conflicten began their reads with BEGIN IMMEDIATE: with sync holding
the lock they waited the busy timeout out and failed with "database is locked".
Every name, address and BSN here is made up.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from app.domain.client import Client
from app.domain.values import Address, Bsn, PersonName, Postcode
from app.domain.visit import Visit, VisitPurpose
from app.services.caseload import CaseloadQuery, filter_options, load_caseload
from app.services.conflicts import list_conflicts
from app.services.today import today_items
from app.storage import sync_state
from app.storage.store import Store
from tests import store_access
from tests.services.profiles import opened_profile

TODAY = date(2026, 11, 23)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with opened_profile(tmp_path, "lock", username="k.dijkstra", role="caseworker") as opened:
        yield opened


def _client() -> Client:
    return Client(
        bsn=Bsn("123456782"),
        name=PersonName(surname="Dijkstra", first_names="Anna"),
        date_of_birth=date(1980, 5, 17),
        address=Address(
            street="Hoofdstraat",
            house_number=3,
            postcode=Postcode("9974 AB"),
            village="Zoutkamp",
            municipality="Het Hogeland",
        ),
        caseworker="k.dijkstra",
    )


def _with_a_day_and_a_conflict(store: Store) -> Client:
    client = store.create(_client())
    store.create(
        Visit(
            client_id=client.id,
            planned_at=datetime(2026, 11, 23, 9, 30, tzinfo=UTC),
            purpose=VisitPurpose.VOORTGANG,
            caseworker=store.actor,
        )
    )
    entries = store.journal_entries()
    sync_state.acknowledge(
        store,
        [sync_state.Verdict(seq=e.seq, status="applied", version=1) for e in entries],
        entries=entries,
    )
    store.update(
        dataclasses.replace(client, name=dataclasses.replace(client.name, surname="Wierenga"))
    )
    entries = store.journal_entries()
    sync_state.acknowledge(
        store,
        [
            sync_state.Verdict(
                seq=entries[0].seq,
                status="conflict",
                version=2,
                conflicts=[
                    {"field": "surname", "base": "Dijkstra", "device": "Wierenga", "server": "Bos"}
                ],
                server_values={"surname": "Bos"},
            )
        ],
        entries=entries,
    )
    return client


def test_screens_load_while_another_connection_holds_the_write_lock(store: Store) -> None:
    client = _with_a_day_and_a_conflict(store)
    with store_access.write_lock_held(store):
        day = today_items(store, TODAY)
        assert [v.client_id for g in day.villages for v in g.visits] == [client.id]

        (conflict,) = list_conflicts(store)
        assert (conflict.field, conflict.client_name) == ("surname", "Anna Bos")

        assert [r.client_id for r in load_caseload(store, CaseloadQuery(), today=TODAY)] == [
            client.id
        ]
        assert [r.client_id for r in load_caseload(store, CaseloadQuery(text="bos"), today=TODAY)]
        assert filter_options(store, today=TODAY).villages == ("Zoutkamp",)
