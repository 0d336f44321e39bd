"""What sync does to the local database, without a server: acknowledgements, pages, exits."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, event

from app.domain.client import Client
from app.domain.notes import Note
from app.domain.plan import ClientPlan
from app.domain.records import Record
from app.storage import sync_state
from app.storage.profiles import Profile
from app.storage.store import Store
from app.storage.tables import ENTITY_TABLES
from tests import store_access

from .conftest import (
    FAST,
    PASSPHRASE,
    USERNAME,
    make_client,
    make_note,
    make_plan,
    one_of_each,
    rich_records,
    valid_bsns,
)


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


def _pulled(record: Record, *, version: int, fields: dict[str, Any] | None = None) -> Any:
    return sync_state.PulledRecord(
        entity=record.ENTITY,
        id=record.id,
        client_id=record.id if isinstance(record, Client) else record.client_id,
        version=version,
        deleted=False,
        fields=record.to_fields() if fields is None else fields,
    )


def _raw_rows(store: Store, records: list[Record]) -> dict[str, dict[str, Any]]:
    """Rows as SQLite holds them (JSON as its text, booleans as numbers), without the columns
    that differ by how a row got here."""
    found = {}
    with store_access.connect(store) as conn:
        for record in records:
            table = ENTITY_TABLES[record.ENTITY]
            row = conn.exec_driver_sql(
                f"SELECT * FROM {table.name} WHERE id = ?", (record.id,)
            ).one()
            found[record.id] = {
                k: v for k, v in row._mapping.items() if k not in ("version", "updated_at")
            }
    return found


def test_a_large_page_is_stored_as_created_with_our_pending_edits_on_top(
    store: Store, client: Client, tmp_path: Path
) -> None:
    # A page as a first sync brings it: many whole clients with every kind of record (JSON
    # signatures, booleans, the derived sort key), beside records this device edits offline.
    others = [
        make_client(bsn=bsn, surname=f"Öztürk{n}", prefix="van" if n % 2 else "")
        for n, bsn in enumerate(valid_bsns(40))
    ]
    records: list[Record] = [
        r for other in others for r in [*one_of_each(other), *rich_records(other)]
    ]
    entries = store.journal_entries()
    sync_state.acknowledge(
        store,
        [sync_state.Verdict(seq=e.seq, status="applied", version=1) for e in entries],
        entries=entries,
    )
    store.update(dataclasses.replace(client, participation_step=5))
    mine = make_note(client.id, "Getypt onderweg, nog niet verstuurd.")
    store.create(mine)  # unanswered: the server has it from a push whose answer got lost
    theirs = dataclasses.replace(mine, text="Zoals de server het heeft.")
    partial = {k: v for k, v in client.to_fields().items() if k != "email"}
    partial.update(phone="0595999999", participation_step=1)
    page = [
        _pulled(client, version=3, fields=partial),
        *(_pulled(r, version=7) for r in records),
        _pulled(theirs, version=2),
    ]

    applied, purged = sync_state.apply_page(
        store,
        records=page,
        scope_exit=[],
        cursor="c1",
        epoch="e",
        whole=[o.id for o in others],
    )

    assert (applied, purged) == (len(page), [])
    assert store.setting(sync_state.CURSOR) == "c1"
    for record in records:
        assert store.get(type(record), record.id) == record, record.ENTITY
    # Ours on top: the pending create's text and the pending edit's step; the rest theirs, and a
    # field the page left out kept as it was.
    assert store.get(Note, mine.id) == mine
    now = store.get(Client, client.id)
    assert now is not None
    assert now.participation_step == 5
    assert now.phone is not None and now.phone.value == "0595999999"
    assert now.email == client.email
    # The derived sort key: "Öztürk" sorts under O, after Dijkstra.
    assert store.caseload()[0].id == client.id
    # Byte for byte what the store writes when the same records are created here.
    _profile, twin = Profile.create(
        "twin",
        passphrase=PASSPHRASE,
        username=USERNAME,
        role="caseworker",
        params=FAST,
        home=tmp_path / "twin",
    )
    try:
        with twin.transaction() as tx:
            tx.create_many(records)
        assert _raw_rows(store, records) == _raw_rows(twin, records)
    finally:
        twin.close()


def _as_text(record: Record, version: int) -> Any:
    """A pulled record as a server sends it to a device that asks for JSON fields as text
    (sync protocol JSON_TEXT_HEADER): their JSON text in strings, as PostgreSQL holds them."""
    json_fields = ENTITY_TABLES[record.ENTITY].c
    fields = {
        k: json.dumps(v) if v is not None and isinstance(json_fields[k].type, JSON) else v
        for k, v in record.to_fields().items()
    }
    return _pulled(record, version=version, fields=fields)


def test_a_page_with_json_fields_as_text_is_stored_as_one_with_values(
    store: Store, client: Client
) -> None:
    others = [make_client(bsn=bsn, surname=f"Bakker{n}") for n, bsn in enumerate(valid_bsns(6))]
    records: list[Record] = [
        r for other in others for r in [*one_of_each(other), *rich_records(other)]
    ]
    texted = [_as_text(r, 7) for r in records]
    assert any(
        isinstance(v, str) and v.startswith(("[", "{")) for r in texted for v in r.fields.values()
    ), "the records must carry JSON fields"
    # Ours, unpushed, on top of one of them: a plan's goals, edited here.
    plan = make_plan(client.id)
    store.create(plan)
    entries = store.journal_entries()
    sync_state.acknowledge(
        store,
        [sync_state.Verdict(seq=e.seq, status="applied", version=1) for e in entries],
        entries=entries,
    )
    ours = dataclasses.replace(plan, goals=("Fietsen naar het werk", "Zwemdiploma"))
    store.update(ours)
    theirs = dataclasses.replace(plan, goals=("Zoals de server het heeft",), agreements="Nieuw")

    applied, _purged = sync_state.apply_page(
        store,
        records=[*texted, _as_text(theirs, 2)],
        scope_exit=[],
        cursor="c1",
        epoch="e",
        whole=[o.id for o in others],
        json_text=True,
    )

    assert applied == len(records) + 1
    for record in records:
        assert store.get(type(record), record.id) == record, record.ENTITY
    assert store.get(ClientPlan, plan.id) == dataclasses.replace(theirs, goals=ours.goals)
    # A JSON field without a value is written as the store writes one.
    with store_access.connect(store) as conn:
        nulls = conn.exec_driver_sql(
            "SELECT client_signature FROM client_plans WHERE id = ?", (plan.id,)
        ).scalar_one()
    assert nulls == "null"


def test_an_acknowledgement_writes_what_else_the_answer_took_in_the_same_transaction(
    store: Store, client: Client
) -> None:
    """A push's answer says which entries and which audit events the server took; both are
    written in one transaction, so neither is remembered without the other."""
    entries = store.journal_entries()
    verdicts = [sync_state.Verdict(seq=e.seq, status="applied", version=1) for e in entries]
    engine = store_access.engine_of(store)
    commits: list[object] = []

    def commit(connection: object) -> None:
        commits.append(connection)

    event.listen(engine, "commit", commit)
    try:
        sync_state.acknowledge(store, verdicts, entries=entries, settings={"sync.audit_seq": 41})
    finally:
        event.remove(engine, "commit", commit)
    assert len(commits) == 1
    assert store.journal_entries() == []
    assert store.setting("sync.audit_seq") == 41
    assert store.setting(sync_state.LAST_ACKED) == max(e.seq for e in entries)


def test_a_page_is_written_many_rows_to_a_statement(store: Store, client: Client) -> None:
    """A page's rows go in as many to a statement as SQLite binds at once: a statement per row
    cost a first sync of 5,000 clients half a second of the device's CPU. Rows beyond one
    statement, rows it already holds and rows with our edits on top all arrive as sent."""
    notes = ENTITY_TABLES["note"]
    per = sync_state._MAX_PARAMETERS // len(notes.c)
    held = make_note(client.id, "Al op dit apparaat, door de server gewijzigd.")
    store.create(held)
    ours = make_note(client.id, "Hier getypt, nog niet beantwoord.")
    store.create(ours)
    entries = [e for e in store.journal_entries() if e.record_id != ours.id]
    sync_state.acknowledge(
        store,
        [sync_state.Verdict(seq=e.seq, status="applied", version=1) for e in entries],
        entries=entries,
    )
    new = [
        make_note(client.id, f"Huisbezoek {n}: afspraken doorgenomen.") for n in range(2 * per + 3)
    ]
    changed = dataclasses.replace(held, text="Zoals de server het nu heeft.")
    page = [
        *(_pulled(n, version=1) for n in new[:per]),
        _pulled(changed, version=4),
        _pulled(dataclasses.replace(ours, text="Van de server."), version=2),
        *(_pulled(n, version=1) for n in new[per:]),
    ]
    engine = store_access.engine_of(store)
    inserts: list[int] = []

    def counted(
        conn: object, cursor: object, statement: str, parameters: Any, *args: object
    ) -> None:
        if statement.startswith(f"INSERT INTO {notes.name} "):
            inserts.append(len(parameters))

    event.listen(engine, "before_cursor_execute", counted)
    try:
        applied, _purged = sync_state.apply_page(
            store, records=page, scope_exit=[], cursor="c1", epoch="e"
        )
    finally:
        event.remove(engine, "before_cursor_execute", counted)

    assert applied == len(page)
    for note in new:
        assert store.get(Note, note.id) == note
    assert store.get(Note, held.id) == changed
    assert store.get(Note, ours.id) == ours  # our unanswered create stays on top
    # Every row has every column here, ours rebased too: full statements of `per` rows.
    assert [n // len(notes.c) for n in inserts] == [per, per, len(page) - 2 * per]
    assert all(n <= sync_state._MAX_PARAMETERS for n in inserts)
