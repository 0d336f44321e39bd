"""app.storage.queries and the read transaction they run in.

Every name, address and BSN here is made up (see conftest.py).
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy.exc

from app.domain.client import Client
from app.domain.states import VisitStatus
from app.domain.visit import Visit, VisitPurpose
from app.storage import sync_state
from app.storage.queries.caseload import CaseloadQuery, caseload_records, present_values
from app.storage.queries.conflicts import conflict_sources
from app.storage.queries.today import today_sources
from app.storage.store import Store
from tests import store_access

from .conftest import make_client, make_note

TODAY = date(2026, 3, 2)
DAY_START = "2026-03-01T23:00:00+00:00"
DAY_END = "2026-03-02T23:00:00+00:00"


def _conflicted(store: Store, client: Client) -> None:
    """A surname conflict on the client, as a sync that met the office's edit leaves it."""
    sync_state.acknowledge(
        store,
        [
            sync_state.Verdict(seq=e.seq, status="applied", version=1)
            for e in store.journal_entries()
        ],
        entries=store.journal_entries(),
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


def test_a_read_transaction_cannot_write(store: Store) -> None:
    with (
        pytest.raises(sqlalchemy.exc.OperationalError, match="readonly"),
        store.read_transaction() as conn,
    ):
        conn.exec_driver_sql("DELETE FROM settings")


def test_connections_write_again_after_a_read_transaction(store: Store) -> None:
    # More reads than the pool has connections, so every pooled connection was a reader once.
    for _ in range(12):
        assert store.setting("missing") is None
    for number in range(12):
        store.set_setting(f"after.read.{number}", number)
    assert store.setting("after.read.11") == 11


def test_reads_go_on_while_a_writer_holds_the_lock(store: Store, client: Client) -> None:
    store.create(make_note(client.id))
    store.create(
        Visit(
            client_id=client.id,
            planned_at=datetime(2026, 3, 2, 10, 0, tzinfo=UTC),
            purpose=VisitPurpose.VOORTGANG,
            caseworker=store.actor,
        )
    )
    _conflicted(store, client)
    with store_access.write_lock_held(store):
        assert [r.client_id for r in caseload_records(store, CaseloadQuery(), today=TODAY)] == [
            client.id
        ]
        assert present_values(store, today=TODAY).villages == (client.address.village,)
        day = today_sources(store, start=DAY_START, end=DAY_END)
        assert [v.client_id for v in day.visits] == [client.id]
        assert len(conflict_sources(store).conflicts) == 1
        assert store.get(Client, client.id) is not None
        assert store.read_dossier(client.id).client.id == client.id
        assert store.setting("missing", "none") == "none"


def test_today_sources(store: Store) -> None:
    here = make_client(bsn="123456782", surname="Bosma")
    store.create(here)
    mine = [
        Visit(
            client_id=here.id,
            planned_at=at,
            purpose=VisitPurpose.VOORTGANG,
            caseworker=store.actor,
            status=status,
            recorded_at=None if status is VisitStatus.PLANNED else at,
        )
        for at, status in (
            (datetime(2026, 3, 2, 9, 0, tzinfo=UTC), VisitStatus.PLANNED),  # today
            (datetime(2026, 3, 2, 8, 0, tzinfo=UTC), VisitStatus.CANCELLED),  # today, cancelled
            (datetime(2026, 2, 20, 9, 0, tzinfo=UTC), VisitStatus.PLANNED),  # never recorded
            (datetime(2026, 2, 21, 9, 0, tzinfo=UTC), VisitStatus.DONE),  # recorded
            (datetime(2026, 3, 3, 9, 0, tzinfo=UTC), VisitStatus.PLANNED),  # tomorrow
        )
    ]
    theirs = dataclasses.replace(mine[0], caseworker="m.bakker", id="other-visit")
    with store.transaction() as tx:
        tx.create_many([*mine, theirs])

    everyone = today_sources(store, start=DAY_START, end=DAY_END)
    assert [v.id for v in everyone.visits] == [mine[1].id, mine[0].id, theirs.id]
    assert [v.id for v in everyone.unrecorded] == [mine[2].id]
    line = everyone.visits[0]
    assert line.client.name.surname == "Bosma"
    assert (line.client.village, line.client.postcode) == (
        here.address.village,
        here.address.postcode.value,
    )
    own = today_sources(store, start=DAY_START, end=DAY_END, caseworker=store.actor)
    assert theirs.id not in [v.id for v in own.visits]

    store.delete(Client, here.id)
    assert today_sources(store, start=DAY_START, end=DAY_END).visits == ()


def test_conflict_sources(store: Store, client: Client) -> None:
    assert conflict_sources(store).conflicts == ()
    _conflicted(store, client)
    sources = conflict_sources(store)
    (conflict,) = sources.conflicts
    assert (conflict.entity, conflict.field, conflict.mine, conflict.theirs) == (
        "client",
        "surname",
        "Wierenga",
        "Bos",
    )
    assert sources.client_names[client.id].surname == "Bos"
    assert sources.live_records == {("client", client.id)}
    assert [(e.action, e.fields) for e in sources.edits] == [
        ("create", None),
        ("update", ("surname",)),
    ]
    assert sources.edits[0].at <= sources.edits[1].at


def test_read_dossier_audits_nothing(store: Store, client: Client) -> None:
    note = store.create(make_note(client.id))
    before = len(store.audit_events())
    dossier = store.read_dossier(client.id)
    assert dossier.notes == (note,)
    assert len(store.audit_events()) == before
    store.open_dossier(client.id)
    assert [e.action for e in store.audit_events()][-1] == "view"


def test_caseload_records_are_plain_values(store: Store, client: Client) -> None:
    (record,) = caseload_records(store, CaseloadQuery(), today=TODAY + timedelta(days=1))
    assert record.client_id == client.id
    assert record.surname == client.name.surname
    assert record.schemes is None and record.first_visit is None and record.returned == 0
