"""Device migration 0006: the client search index is rewritten only when a value it holds (or
whether the client is deleted) changes, not on every update of a client (acknowledging a pushed
edit, storing a pulled client again as it was). Search still follows every change that matters,
before and after the migration. Every name and BSN here is made up."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import Engine, text, update

from app.domain.client import Client
from app.storage.store import Store
from app.storage.tables import ENTITY_TABLES

from .conftest import TickingClock, make_client, valid_bsns
from .test_migrations import run_alembic

clients = ENTITY_TABLES["client"]


@pytest.fixture
def engine(bare_engine: Engine) -> Engine:
    return bare_engine


def _index_writes(engine: Engine, statement: object) -> int:
    """How many rows of the index's own tables one statement wrote (SQLite counts a trigger's
    writes in total_changes, not in the statement's rowcount)."""
    with engine.begin() as conn:
        before = conn.execute(text("SELECT total_changes()")).scalar_one()
        result = conn.execute(statement)  # type: ignore[call-overload]
        after = conn.execute(text("SELECT total_changes()")).scalar_one()
        return int(after - before - result.rowcount)


def _found(store: Store, words: str) -> list[str]:
    return [c.id for c in store.search(words)]


@pytest.mark.parametrize("revision", ["0005", "head"])
def test_search_follows_the_searched_values_and_deletes(engine: Engine, revision: str) -> None:
    run_alembic(engine, "upgrade", revision)
    store = Store(engine, actor="k.dijkstra", clock=TickingClock())
    client = make_client(bsn=valid_bsns(1)[0], surname="Qqzeerstenaam")
    store.create(client)
    assert _found(store, "Qqzeerstenaam") == [client.id]

    moved = dataclasses.replace(
        client,
        name=dataclasses.replace(client.name, surname="Qqztweedenaam"),
        address=dataclasses.replace(client.address, village="Warffum"),
    )
    store.update(moved)
    assert _found(store, "Qqzeerstenaam") == []
    assert _found(store, "Qqztweedenaam Warffum") == [client.id]

    with engine.begin() as conn:
        conn.execute(update(clients).where(clients.c.id == client.id).values(deleted=True))
    assert _found(store, "Qqztweedenaam") == []
    with engine.begin() as conn:
        conn.execute(update(clients).where(clients.c.id == client.id).values(deleted=False))
    assert _found(store, "Qqztweedenaam") == [client.id]


def test_an_update_of_values_the_index_does_not_hold_leaves_it_alone(engine: Engine) -> None:
    run_alembic(engine, "upgrade", "0005")
    store = Store(engine, actor="k.dijkstra", clock=TickingClock())
    client = make_client(bsn=valid_bsns(1)[0], surname="Qqzongemoeid")
    store.create(client)
    acknowledge = update(clients).where(clients.c.id == client.id).values(version=7)
    assert _index_writes(engine, acknowledge) > 0, "at 0005 every update rewrote the index"

    run_alembic(engine, "upgrade", "head")
    assert _index_writes(engine, acknowledge.values(version=8)) == 0
    same = update(clients).where(clients.c.id == client.id).values(surname="Qqzongemoeid")
    assert _index_writes(engine, same) == 0
    step = update(clients).where(clients.c.id == client.id).values(participation_step=3)
    assert _index_writes(engine, step) == 0
    renamed = update(clients).where(clients.c.id == client.id).values(surname="Qqzhernoemd")
    assert _index_writes(engine, renamed) > 0
    assert _found(store, "Qqzhernoemd") == [client.id]
    stored = store.get(Client, client.id)
    assert stored is not None and stored.participation_step == 3

    run_alembic(engine, "downgrade", "0005")
    assert _index_writes(engine, acknowledge.values(version=9)) > 0
    run_alembic(engine, "upgrade", "head")
