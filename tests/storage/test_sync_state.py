"""What sync does to the local database, without a server: acknowledgements, pages, exits."""

from __future__ import annotations

import dataclasses

from app.domain.client import Client
from app.domain.notes import Note
from app.storage import sync_state
from app.storage.store import Store

from .conftest import make_note


def _exit_page(store: Store, client_id: str, cursor: str) -> list[str]:
    _applied, purged = sync_state.apply_page(
        store, records=[], scope_exit=[client_id], cursor=cursor, epoch="e"
    )
    return purged


def test_a_client_leaving_scope_is_purged_with_everything_of_it(
    store: Store, client: Client
) -> None:
    store.create(make_note(client.id))
    sync_state.acknowledge(
        store,
        [
            sync_state.Verdict(seq=e.seq, status="applied", version=1)
            for e in store.journal_entries()
        ],
        entries=store.journal_entries(),
    )
    assert _exit_page(store, client.id, "c1") == [client.id]
    assert store.get(Client, client.id) is None
    assert store.for_client(Note, client.id) == []
    assert store.search(client.name.surname) == []
    assert ("purge", client.id, store.actor) in [
        (e.action, e.record_id, e.actor) for e in store.audit_events()
    ]
    assert store.verify_audit() > 0


def test_an_exit_waits_for_unanswered_entries_then_purges(store: Store, client: Client) -> None:
    entries = store.journal_entries()
    assert entries, "creating the client wrote journal entries"
    # The exit arrives while our entries still wait: the client stays, remembered as pending.
    assert _exit_page(store, client.id, "c1") == []
    assert store.get(Client, client.id) is not None
    assert store.setting(sync_state.PENDING_EXITS) == [client.id]
    # A later page no longer carries the exit (our cursor passed it), yet nothing is forgotten.
    sync_state.apply_page(store, records=[], scope_exit=[], cursor="c2", epoch="e")
    assert store.setting(sync_state.PENDING_EXITS) == [client.id]
    sync_state.acknowledge(
        store,
        [sync_state.Verdict(seq=e.seq, status="applied", version=1) for e in entries],
        entries=entries,
    )
    assert sync_state.purge_pending_exits(store) == [client.id]
    assert store.get(Client, client.id) is None
    assert store.setting(sync_state.PENDING_EXITS) == []


def test_a_pulled_record_keeps_our_unpushed_edit_on_top(store: Store, client: Client) -> None:
    sync_state.acknowledge(
        store,
        [
            sync_state.Verdict(seq=e.seq, status="applied", version=1)
            for e in store.journal_entries()
        ],
        entries=store.journal_entries(),
    )
    store.update(dataclasses.replace(client, participation_step=4))
    server_fields = {**client.to_fields(), "phone": "0595123456", "participation_step": 2}
    sync_state.apply_page(
        store,
        records=[
            sync_state.PulledRecord(
                entity="client",
                id=client.id,
                client_id=client.id,
                version=2,
                deleted=False,
                fields=server_fields,
            )
        ],
        scope_exit=[],
        cursor="c1",
        epoch="e",
    )
    now = store.get(Client, client.id)
    assert now is not None
    assert now.participation_step == 4  # ours, still to be pushed
    assert now.phone is not None and now.phone.value == "0595123456"  # theirs
