"""The audit log is append-only and hash-chained: edits, removals and reordering are detected."""

from __future__ import annotations

import json

import pytest
import sqlalchemy.exc

from app.domain.client import Client
from app.storage import audit
from app.storage.audit import GENESIS, AuditChainBroken, event_hash
from app.storage.store import Store
from tests import store_access

from .conftest import USERNAME, make_client, make_note, valid_bsns

EVENTS = 60


@pytest.fixture
def logged(store: Store) -> Store:
    """A store whose audit log holds EVENTS events of mixed kinds."""
    bsns = valid_bsns(EVENTS // 3)
    for i, bsn in enumerate(bsns):
        client = store.create(make_client(bsn=bsn, surname=f"Auditnaam{i}"))
        store.create(make_note(client.id, f"Notitie {i}"))
        store.record_event("export", "client", record_id=client.id, client_id=client.id, fmt="pdf")
    assert len(store.audit_events()) == EVENTS
    return store


def sql(store: Store, statement: str, params: tuple[object, ...] = ()) -> None:
    with store_access.begin(store) as conn:
        conn.exec_driver_sql(statement, params)


def broken_at(store: Store) -> int:
    with pytest.raises(AuditChainBroken) as caught:
        store.verify_audit()
    assert caught.value.code == "audit_chain_broken"
    # The standalone checker agrees with the store's.
    with store_access.connect(store) as conn, pytest.raises(AuditChainBroken) as again:
        audit.verify_chain(conn)
    assert again.value.seq == caught.value.seq
    return caught.value.seq


def test_a_long_chain_verifies_and_links_every_event(logged: Store) -> None:
    events = logged.audit_events()
    assert logged.verify_audit() == EVENTS
    assert events[0].prev_hash == GENESIS
    for previous, current in zip(events, events[1:], strict=False):
        assert current.prev_hash == previous.hash
        assert current.seq > previous.seq
    assert len({e.hash for e in events}) == EVENTS
    assert len({e.event_id for e in events}) == EVENTS
    assert {e.actor for e in events} == {USERNAME}
    assert [e.action for e in events[:3]] == ["create", "create", "export"]
    assert events[2].details == {"fmt": "pdf"}


def test_each_hash_covers_the_content_and_the_previous_hash(logged: Store) -> None:
    for event in logged.audit_events():
        fields = {
            "event_id": event.event_id,
            "at": event.at,
            "actor": event.actor,
            "action": event.action,
            "entity": event.entity,
            "record_id": event.record_id,
            "client_id": event.client_id,
            "details": event.details,
        }
        assert event_hash(event.prev_hash, fields) == event.hash
        assert event_hash(GENESIS if event.prev_hash != GENESIS else "f" * 64, fields) != event.hash


def test_empty_log_verifies(store: Store) -> None:
    assert store.verify_audit() == 0


def test_events_filter_by_client(logged: Store) -> None:
    client = logged.caseload(limit=1)[0]
    events = logged.audit_events(client_id=client.id)
    assert [e.action for e in events] == ["create", "create", "export"]
    assert {e.client_id for e in events} == {client.id}


def test_update_and_delete_are_refused_by_the_database(logged: Store) -> None:
    with pytest.raises(sqlalchemy.exc.DBAPIError, match="append-only"):
        sql(logged, "UPDATE audit_events SET details = '{}' WHERE seq = 5")
    with pytest.raises(sqlalchemy.exc.DBAPIError, match="append-only"):
        sql(logged, "DELETE FROM audit_events WHERE seq = 5")
    with pytest.raises(sqlalchemy.exc.DBAPIError, match="append-only"):
        sql(logged, "DELETE FROM audit_events")
    assert logged.verify_audit() == EVENTS


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("details", json.dumps({"fields": ["surname"], "fmt": "paper"})),
        ("actor", "iemand.anders"),
        ("action", "view"),
        ("at", "2020-01-01T00:00:00+00:00"),
        ("client_id", None),
    ],
)
def test_editing_an_event_is_detected_at_that_event(
    logged: Store, column: str, value: object
) -> None:
    # An attacker holding the key removes the protection first ...
    sql(logged, "DROP TRIGGER audit_events_no_update")
    target = logged.audit_events()[20].seq
    sql(logged, f"UPDATE audit_events SET {column} = ? WHERE seq = ?", (value, target))
    # ... and the chain still gives the edit away, at exactly that event.
    assert broken_at(logged) == target


def test_rehashing_an_edited_event_moves_the_break_to_the_next_one(logged: Store) -> None:
    sql(logged, "DROP TRIGGER audit_events_no_update")
    events = logged.audit_events()
    victim, successor = events[30], events[31]
    forged = {
        "event_id": victim.event_id,
        "at": victim.at,
        "actor": "iemand.anders",
        "action": victim.action,
        "entity": victim.entity,
        "record_id": victim.record_id,
        "client_id": victim.client_id,
        "details": victim.details,
    }
    sql(
        logged,
        "UPDATE audit_events SET actor = ?, hash = ? WHERE seq = ?",
        (forged["actor"], event_hash(victim.prev_hash, forged), victim.seq),
    )
    assert broken_at(logged) == successor.seq


def test_deleting_an_event_in_the_middle_is_detected(logged: Store) -> None:
    sql(logged, "DROP TRIGGER audit_events_no_delete")
    events = logged.audit_events()
    sql(logged, "DELETE FROM audit_events WHERE seq = ?", (events[25].seq,))
    assert broken_at(logged) == events[26].seq


def test_deleting_the_first_event_is_detected(logged: Store) -> None:
    sql(logged, "DROP TRIGGER audit_events_no_delete")
    events = logged.audit_events()
    sql(logged, "DELETE FROM audit_events WHERE seq = ?", (events[0].seq,))
    assert broken_at(logged) == events[1].seq


def test_swapping_two_events_is_detected(logged: Store) -> None:
    sql(logged, "DROP TRIGGER audit_events_no_update")
    events = logged.audit_events()
    first, second = events[10].seq, events[11].seq
    sql(logged, "UPDATE audit_events SET seq = -1 WHERE seq = ?", (first,))
    sql(logged, "UPDATE audit_events SET seq = ? WHERE seq = ?", (first, second))
    sql(logged, "UPDATE audit_events SET seq = ? WHERE seq = -1", (second,))
    reordered = logged.audit_events()
    assert reordered[10].event_id == events[11].event_id
    assert broken_at(logged) == first


def test_appending_after_verification_keeps_the_chain(logged: Store) -> None:
    last = logged.audit_events()[-1]
    client = logged.get(Client, last.client_id or "")
    assert client is not None
    logged.open_dossier(client.id)
    newest = logged.audit_events()[-1]
    assert newest.prev_hash == last.hash
    assert logged.verify_audit() == EVENTS + 1


def test_a_rolled_back_savepoint_leaves_a_valid_chain(store: Store) -> None:
    """An import that tries each row in a savepoint and skips the bad ones must still commit a
    chain that verifies: the skipped row's audit event is gone, so nothing may chain onto it."""
    client = store.create(make_client())
    with store.transaction() as tx:
        for text, bad in (("eerste", False), ("kapot", True), ("derde", False)):
            try:
                with tx.conn.begin_nested():
                    tx.create(make_note(client.id, text))
                    if bad:
                        raise ValueError("row skipped by the import")
            except ValueError:
                pass
        tx.record_event("import", "client", client_id=client.id, rows=3)
    events = store.audit_events()
    assert [e.action for e in events] == ["create", "create", "create", "import"]
    assert store.verify_audit() == 4
