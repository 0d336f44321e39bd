"""The repositories: every mutation writes row, journal entry and audit event in one transaction."""

from __future__ import annotations

import dataclasses
import hashlib
import threading
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy.exc
from sqlalchemy import Connection, func, select

from app.domain.client import Client, HouseholdMember
from app.domain.errors import VeldwerkError
from app.domain.intake import Intake
from app.domain.notes import Note
from app.domain.plan import ClientPlan
from app.domain.records import RECORD_TYPES, Record
from app.domain.values import Address, Bsn, PersonName, Postcode
from app.domain.visit import Visit
from app.storage import audit
from app.storage.store import DuplicateBsn, RecordNotFound, Store
from app.storage.tables import ENTITY_TABLES, attachment_blobs, audit_events, journal
from tests import store_access

from .conftest import (
    USERNAME,
    make_client,
    make_intake,
    make_member,
    make_note,
    make_plan,
    make_visit,
    one_of_each,
    rich_records,
    valid_bsns,
)

# ------------------------------------------------------------------------------------ helpers


def raw_count(store: Store, sql: str, params: tuple[Any, ...] = ()) -> int:
    with store_access.connect(store) as conn:
        return int(conn.exec_driver_sql(sql, params).scalar_one())


def table_count(conn: Connection, table: Any) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def totals(store: Store) -> tuple[int, int, int]:
    """(rows over every entity table incl. tombstones, journal entries, audit events)."""
    with store_access.connect(store) as conn:
        rows = sum(table_count(conn, table) for table in ENTITY_TABLES.values())
        return rows, table_count(conn, journal), table_count(conn, audit_events)


def renamed(client: Client, surname: str) -> Client:
    return dataclasses.replace(client, name=dataclasses.replace(client.name, surname=surname))


def moved(client: Client, *, street: str, house_number: int) -> Client:
    address = dataclasses.replace(client.address, street=street, house_number=house_number)
    return dataclasses.replace(client, address=address)


# -------------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("record_type", RECORD_TYPES, ids=lambda t: t.ENTITY)
def test_create_then_get_returns_an_equal_record(store: Store, record_type: type[Record]) -> None:
    records = {r.ENTITY: r for r in one_of_each(make_client())}
    for record in records.values():  # parents first, so every foreign key holds
        store.create(record)
    original = records[record_type.ENTITY]
    loaded = store.get(record_type, original.id)
    assert loaded is not None
    assert loaded == original
    assert loaded is not original
    assert loaded.to_fields() == original.to_fields()


def test_records_late_in_their_life_cycle_round_trip(store: Store, client: Client) -> None:
    for record in rich_records(client):
        store.create(record)
        loaded = store.get(type(record), record.id)
        assert loaded == record, record.ENTITY
        assert loaded is not None and loaded.to_fields() == record.to_fields()


def test_create_writes_row_journal_and_audit(store: Store) -> None:
    client = store.create(make_client())
    (entry,) = store.journal_entries()
    assert entry.op == "create"
    assert entry.entity == "client"
    assert entry.record_id == client.id
    assert entry.client_id == client.id
    assert entry.base_version is None
    assert entry.base_values == {}
    assert entry.new_values == client.to_fields()
    (event,) = store.audit_events()
    assert (event.action, event.entity, event.record_id, event.client_id, event.actor) == (
        "create",
        "client",
        client.id,
        client.id,
        USERNAME,
    )


def test_child_record_journal_and_audit_carry_the_client_id(store: Store, client: Client) -> None:
    note = store.create(make_note(client.id))
    entry = store.journal_entries()[-1]
    assert (entry.entity, entry.record_id, entry.client_id) == ("note", note.id, client.id)
    assert store.audit_events(client_id=client.id)[-1].record_id == note.id


def test_for_client_and_count_and_client_by_bsn(store: Store, client: Client) -> None:
    other = store.create(make_client(bsn="123456782", surname="Bosma"))
    notes = [store.create(make_note(client.id, f"Notitie {i}")) for i in range(3)]
    store.create(make_note(other.id))
    assert store.for_client(Note, client.id) == notes
    assert store.count(Note) == 4
    assert store.count(Client) == 2
    assert store.client_by_bsn(Bsn("123456782")) == other
    assert store.client_by_bsn(Bsn("100000009")) is None


def test_get_of_an_unknown_id_is_none(store: Store) -> None:
    assert store.get(Client, "00000000-0000-0000-0000-000000000000") is None


def test_create_many_writes_a_journal_entry_and_audit_event_per_record(store: Store) -> None:
    records = one_of_each(make_client())
    with store.transaction() as tx:
        tx.create_many(records)
    assert totals(store) == (len(records), len(records), len(records))
    entries = store.journal_entries()
    assert [(e.op, e.entity, e.record_id) for e in entries] == [
        ("create", r.ENTITY, r.id) for r in records
    ]
    assert [e.new_values for e in entries] == [r.to_fields() for r in records]
    events = store.audit_events()
    assert [(e.action, e.record_id) for e in events] == [("create", r.id) for r in records]
    assert store.verify_audit() == len(records)
    for record in records:
        assert store.get(type(record), record.id) == record


def test_create_many_refuses_a_bsn_twice_in_one_batch(store: Store) -> None:
    twins = [make_client(surname="Eerste"), make_client(surname="Tweede")]
    with pytest.raises(DuplicateBsn), store.transaction() as tx:
        tx.create_many(twins)
    assert totals(store) == (0, 0, 0)


# ------------------------------------------------------------------------------------- update


def test_update_journals_only_the_changed_fields(store: Store, client: Client) -> None:
    changed = moved(renamed(client, "Dijkstra-Bos"), street="Dorpsstraat", house_number=3)
    store.update(changed)
    entry = store.journal_entries()[-1]
    assert entry.op == "update"
    assert entry.record_id == client.id
    assert entry.base_version is None  # never synced yet
    assert entry.base_values == {
        "surname": "Dijkstra",
        "street": "Hoofdstraat",
        "house_number": 12,
    }
    assert entry.new_values == {
        "surname": "Dijkstra-Bos",
        "street": "Dorpsstraat",
        "house_number": 3,
    }
    assert store.get(Client, client.id) == changed


def test_update_base_version_is_the_rows_server_version(store: Store) -> None:
    client = make_client()
    with store.transaction() as tx:
        tx.apply_remote(client, version=7)
    store.update(renamed(client, "Wierenga"))
    (entry,) = store.journal_entries()
    assert entry.base_version == 7
    assert entry.base_values == {"surname": "Dijkstra"}
    assert entry.new_values == {"surname": "Wierenga"}


def test_update_writes_one_audit_event_naming_the_changed_fields(
    store: Store, client: Client
) -> None:
    before = len(store.audit_events())
    store.update(moved(renamed(client, "Wierenga"), street="Dorpsstraat", house_number=3))
    events = store.audit_events()
    assert len(events) == before + 1
    event = events[-1]
    assert (event.action, event.entity, event.record_id, event.client_id) == (
        "update",
        "client",
        client.id,
        client.id,
    )
    assert event.details == {"fields": ["house_number", "street", "surname"]}
    # Names of fields only: the audit log carries no values.
    assert "Wierenga" not in repr(event)
    assert "Dorpsstraat" not in repr(event)


def test_update_of_json_fields_journals_the_old_and_new_values(
    store: Store, client: Client
) -> None:
    plan = store.create(make_plan(client.id))
    intake = store.create(make_intake(client.id))
    old_goals = plan.to_fields()["goals"]
    edited = plan.edited(goals=(*plan.goals, "Fietsles"))
    store.update(edited)
    entry = store.journal_entries()[-1]
    assert entry.base_values == {"goals": old_goals}
    assert entry.new_values == {"goals": [*old_goals, "Fietsles"]}
    domain = next(iter(intake.scores))
    store.update(intake.with_score(domain, 5, "Opgelost"))
    entry = store.journal_entries()[-1]
    # One domain's answer is two fields of their own: another domain's edit merges beside it.
    assert entry.new_values == {f"score_{domain}": 5, f"remark_{domain}": "Opgelost"}
    assert entry.base_values == {
        f"score_{domain}": intake.scores[domain].score,
        f"remark_{domain}": intake.scores[domain].remark,
    }
    # Unchanged JSON read back from the database is recognised as unchanged.
    before = store.pending_count()
    for record in (store.get(ClientPlan, plan.id), store.get(Intake, intake.id)):
        assert record is not None
        store.update(record)
    assert store.pending_count() == before


def test_update_without_changes_writes_nothing(store: Store, client: Client) -> None:
    row_before = _client_row(store, client.id)
    before = (len(store.journal_entries()), len(store.audit_events()))
    # Equal values arriving in a fresh object (as after an edit dialog that changed nothing).
    same = Client.from_fields(client.id, dict(client.to_fields()))
    assert store.update(same) == client
    assert (len(store.journal_entries()), len(store.audit_events())) == before
    assert _client_row(store, client.id) == row_before


def _client_row(store: Store, client_id: str) -> tuple[Any, ...]:
    with store_access.connect(store) as conn:
        return tuple(conn.exec_driver_sql("SELECT * FROM clients WHERE id = ?", (client_id,)).one())


def test_update_of_a_missing_record_raises(store: Store) -> None:
    with pytest.raises(RecordNotFound) as caught:
        store.update(make_client())
    assert caught.value.code == "record_not_found"
    assert totals(store) == (0, 0, 0)


# ------------------------------------------------------------------------------------- delete


def test_delete_leaves_a_tombstone(store: Store, client: Client) -> None:
    note = store.create(make_note(client.id))
    store.delete(Note, note.id)
    assert store.get(Note, note.id) is None
    assert store.for_client(Note, client.id) == []
    assert store.count(Note) == 0
    assert raw_count(store, "SELECT count(*) FROM notes WHERE id = ? AND deleted = 1", (note.id,))
    entry = store.journal_entries()[-1]
    assert (entry.op, entry.entity, entry.record_id, entry.client_id) == (
        "delete",
        "note",
        note.id,
        client.id,
    )
    assert entry.new_values == {}
    event = store.audit_events()[-1]
    assert (event.action, event.record_id, event.client_id) == ("delete", note.id, client.id)


def test_deleting_a_client_tombstones_it(store: Store, client: Client) -> None:
    store.delete(Client, client.id)
    assert store.get(Client, client.id) is None
    assert store.client_by_bsn(client.bsn) is None
    assert store.caseload() == []
    entry = store.journal_entries()[-1]
    assert (entry.op, entry.client_id) == ("delete", client.id)


def test_delete_twice_or_update_after_delete_raises(store: Store, client: Client) -> None:
    store.delete(Client, client.id)
    before = totals(store)
    with pytest.raises(RecordNotFound):
        store.delete(Client, client.id)
    with pytest.raises(RecordNotFound):
        store.update(renamed(client, "Bosma"))
    assert totals(store) == before


def test_delete_carries_the_server_version(store: Store) -> None:
    client = make_client()
    with store.transaction() as tx:
        tx.apply_remote(client, version=3)
    store.delete(Client, client.id)
    (entry,) = store.journal_entries()
    assert (entry.op, entry.base_version) == ("delete", 3)


# ---------------------------------------------------------------------------------------- BSN


def test_duplicate_bsn_is_refused_on_create(store: Store, client: Client) -> None:
    before = totals(store)
    with pytest.raises(DuplicateBsn) as caught:
        store.create(make_client(bsn=client.bsn.value, surname="Anders"))
    assert caught.value.code == "duplicate_bsn"
    assert client.bsn.value not in str(caught.value)
    assert totals(store) == before


def test_duplicate_bsn_is_refused_on_update(store: Store, client: Client) -> None:
    other = store.create(make_client(bsn="123456782", surname="Bosma"))
    before = totals(store)
    with pytest.raises(DuplicateBsn) as caught:
        store.update(dataclasses.replace(other, bsn=client.bsn))
    assert caught.value.code == "duplicate_bsn"
    assert totals(store) == before
    assert store.get(Client, other.id) == other


# ------------------------------------------------------------------------------ apply_remote


def test_apply_remote_writes_the_version_and_no_journal_entry(store: Store) -> None:
    client = make_client()
    with store.transaction() as tx:
        tx.apply_remote(client, version=4)
        tx.apply_remote(make_member(client.id), version=9)
    assert store.get(Client, client.id) == client
    assert store.journal_entries() == []
    assert store.pending_count() == 0
    assert raw_count(store, "SELECT version FROM clients WHERE id = ?", (client.id,)) == 4
    # A newer server state of the same record overwrites it (upsert), still without a journal.
    with store.transaction() as tx:
        tx.apply_remote(renamed(client, "Wierenga"), version=5)
    loaded = store.get(Client, client.id)
    assert loaded is not None and loaded.name.surname == "Wierenga"
    assert raw_count(store, "SELECT version FROM clients WHERE id = ?", (client.id,)) == 5
    assert store.journal_entries() == []
    assert store.count(Client) == 1


def test_apply_remote_revives_a_tombstone(store: Store, client: Client) -> None:
    store.delete(Client, client.id)
    with store.transaction() as tx:
        tx.apply_remote(client, version=2)
    assert store.get(Client, client.id) == client
    assert [s.id for s in store.search("dijkstra")] == [client.id]


# ------------------------------------------------------------------------------------ dossier


def test_open_dossier_returns_everything_and_audits_the_view(store: Store) -> None:
    records = one_of_each(make_client())
    client, member, enrollment, visit, intake, kept, comment, plan, action, note, attachment = (
        records
    )
    for record in records:
        store.create(record)
    stranger = store.create(make_client(bsn="123456782", surname="Bosma"))
    store.create(make_note(stranger.id, "Over iemand anders"))
    before = len(store.audit_events())
    pending = store.pending_count()

    dossier = store.open_dossier(client.id)

    assert dossier.client == client
    assert dossier.household == (member,)
    assert dossier.enrollments == (enrollment,)
    assert dossier.visits == (visit,)
    assert dossier.intakes == (intake,)
    assert dossier.plans == (plan,)
    assert dossier.plan_actions == (action,)
    assert dossier.notes == (note,)
    assert dossier.attachments == (attachment,)
    assert dossier.intake_rounds == (kept,)
    assert dossier.review_comments == (comment,)
    events = store.audit_events()
    assert len(events) == before + 1
    view = events[-1]
    assert (view.action, view.entity, view.record_id, view.client_id, view.actor) == (
        "view",
        "client",
        client.id,
        client.id,
        USERNAME,
    )
    assert store.verify_audit() == len(events)
    # A view is not a change: nothing to push.
    assert store.pending_count() == pending


def test_open_dossier_leaves_out_deleted_records(store: Store, client: Client) -> None:
    kept = store.create(make_note(client.id, "Blijft"))
    gone = store.create(make_note(client.id, "Weg"))
    store.delete(Note, gone.id)
    assert store.open_dossier(client.id).notes == (kept,)


def test_open_dossier_of_an_unknown_client_raises_and_audits_nothing(store: Store) -> None:
    with pytest.raises(RecordNotFound):
        store.open_dossier("00000000-0000-0000-0000-000000000000")
    assert store.audit_events() == []


# ----------------------------------------------------------------------------------- caseload


def _client_named(bsn: str, surname: str, first: str, prefix: str = "") -> Client:
    return make_client(bsn=bsn, surname=surname, first_names=first, prefix=prefix)


def test_caseload_sorts_by_surname_ignoring_prefix_and_case(store: Store) -> None:
    bsns = valid_bsns(7)
    names = [
        ("Vries", "Jan", "de"),
        ("Zwart", "Anna", ""),
        ("Berg", "Pieter", "van der"),
        ("bakker", "Sietske", ""),  # a surname typed in lower case still sorts under B
        ("Aalders", "Wim", ""),
        ("Jansen", "Bram", ""),
        ("Jansen", "Anne", ""),
    ]
    for bsn, (surname, first, prefix) in zip(bsns, names, strict=True):
        store.create(_client_named(bsn, surname, first, prefix))
    assert [s.formal_name for s in store.caseload()] == [
        "Aalders, W.",
        "bakker, S.",
        "Berg, P. van der",
        "Jansen, A.",
        "Jansen, B.",
        "Vries, J. de",
        "Zwart, A.",
    ]
    assert [s.display_name for s in store.caseload(limit=2, offset=2)] == [
        "Pieter van der Berg",
        "Anne Jansen",
    ]


def test_caseload_sorts_surnames_with_diacritics_under_their_base_letter(store: Store) -> None:
    """A Dutch list of names puts Öztürk among the O's and Çelik among the C's, not after Z."""
    bsns = valid_bsns(6)
    names = ["Zwart", "Öztürk", "Oosterhuis", "Pietersen", "Çelik", "Dijkstra"]
    for bsn, surname in zip(bsns, names, strict=True):
        store.create(_client_named(bsn, surname, "Test"))
    assert [s.formal_name.split(",")[0] for s in store.caseload()] == [
        "Çelik",
        "Dijkstra",
        "Oosterhuis",
        "Öztürk",
        "Pietersen",
        "Zwart",
    ]


def test_caseload_summary_lines(store: Store) -> None:
    client = store.create(
        dataclasses.replace(
            make_client(),
            address=Address(
                street="Reitdiepskade",
                house_number=4,
                house_number_addition="a",
                postcode=Postcode("9974PA"),
                village="Zoutkamp",
                municipality="Het Hogeland",
            ),
            name=PersonName(surname="Vries", first_names="Jan Hendrik", prefix="de"),
        )
    )
    (summary,) = store.caseload()
    assert summary.id == client.id
    assert summary.bsn == client.bsn.value
    assert summary.formal_name == "Vries, J.H. de"
    assert summary.display_name == "Jan de Vries"
    assert summary.street_line == "Reitdiepskade 4A"
    assert summary.postcode == "9974 PA"
    assert summary.participation_step == 2


# ------------------------------------------------------------------------------------ journal


def test_journal_seq_strictly_increases_and_pending_count_matches(
    store: Store, client: Client
) -> None:
    note = store.create(make_note(client.id))
    store.update(dataclasses.replace(note, text="Aangepaste notitie"))
    store.create(make_visit(client.id))
    store.delete(Note, note.id)
    store.update(renamed(client, "Bosma"))
    entries = store.journal_entries()
    assert [e.op for e in entries] == ["create", "create", "update", "create", "delete", "update"]
    seqs = [e.seq for e in entries]
    assert all(a < b for a, b in zip(seqs, seqs[1:], strict=False))
    assert len({e.mutation_id for e in entries}) == len(entries)
    assert store.pending_count() == len(entries) == 6
    assert [e.seq for e in store.journal_entries(limit=2)] == seqs[:2]


# -------------------------------------------------------------------------------------- blobs


def test_blobs_are_content_addressed_and_idempotent(store: Store) -> None:
    data = b"\x00\x01 scan bytes \xff" * 100
    digest = store.put_blob(data)
    assert digest == hashlib.sha256(data).hexdigest()
    assert store.put_blob(data) == digest
    assert raw_count(store, "SELECT count(*) FROM attachment_blobs") == 1
    assert store.get_blob(digest) == data
    assert store.get_blob(hashlib.sha256(b"other").hexdigest()) is None
    with store_access.connect(store) as conn:
        assert table_count(conn, attachment_blobs) == 1


def test_settings_round_trip(store: Store) -> None:
    assert store.setting("sync_cursor", "none") == "none"
    store.set_setting("sync_cursor", {"seq": 41})
    store.set_setting("sync_cursor", {"seq": 42})
    assert store.setting("sync_cursor") == {"seq": 42}


def test_closed_store_refuses_work(store: Store) -> None:
    store.close()
    assert not store.is_open
    with pytest.raises(VeldwerkError) as caught:
        store.caseload()
    assert caught.value.code == "store_closed"
    store.close()  # closing twice is harmless


# --------------------------------------------------------------------------------- atomicity


class AuditFailure(RuntimeError):
    pass


@dataclass
class AuditProbe:
    """What the database held, inside the failing transaction, when the audit write was tried."""

    calls: int = 0
    journal: int = -1
    rows: int = -1
    deleted_notes: int = -1


def break_audit(monkeypatch: pytest.MonkeyPatch) -> AuditProbe:
    """Make every audit writer fail, after recording what the transaction had written so far.

    The store writes audit events through `audit.append` (and, for creates, `audit.append_rows`);
    both are patched, so the test does not depend on which one a repository method uses.
    """
    probe = AuditProbe()

    def explode(conn: Connection, *args: Any, **kwargs: Any) -> str:
        probe.calls += 1
        probe.journal = table_count(conn, journal)
        probe.rows = sum(table_count(conn, t) for t in ENTITY_TABLES.values())
        probe.deleted_notes = int(
            conn.exec_driver_sql("SELECT count(*) FROM notes WHERE deleted = 1").scalar_one()
        )
        raise AuditFailure("the disk filled up while writing the audit event")

    monkeypatch.setattr(audit, "append", explode)
    monkeypatch.setattr(audit, "append_rows", explode, raising=False)
    return probe


def test_failed_audit_rolls_back_a_create(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    client = make_client()
    probe = break_audit(monkeypatch)
    with pytest.raises(AuditFailure):
        store.create(client)
    # Inside the transaction the row and the journal entry had been written ...
    assert (probe.calls, probe.rows, probe.journal) == (1, 1, 1)
    # ... and the failure took all of it back.
    assert totals(store) == (0, 0, 0)
    assert store.get(Client, client.id) is None
    assert store.search("dijkstra") == []


def test_failed_audit_rolls_back_an_update(
    store: Store, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = totals(store)
    probe = break_audit(monkeypatch)
    with pytest.raises(AuditFailure):
        store.update(renamed(client, "Wierenga"))
    assert (probe.calls, probe.journal) == (1, 2)
    assert totals(store) == before
    assert store.get(Client, client.id) == client
    assert [s.id for s in store.search("dijkstra")] == [client.id]
    assert store.search("wierenga") == []


def test_failed_audit_rolls_back_a_delete(
    store: Store, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    note = store.create(make_note(client.id))
    before = totals(store)
    probe = break_audit(monkeypatch)
    with pytest.raises(AuditFailure):
        store.delete(Note, note.id)
    assert (probe.calls, probe.journal, probe.deleted_notes) == (1, 3, 1)
    assert totals(store) == before
    assert store.get(Note, note.id) == note
    assert raw_count(store, "SELECT count(*) FROM notes WHERE deleted = 1") == 0


@pytest.mark.parametrize("operation", ["create", "update", "delete", "event", "batch"])
def test_an_audit_insert_refused_by_the_database_rolls_back_everything(
    store: Store, client: Client, operation: str
) -> None:
    """The same guarantee at the SQL level, whatever Python function writes the audit rows."""
    note = store.create(make_note(client.id))
    before = totals(store)
    with store_access.begin(store) as conn:
        conn.exec_driver_sql(
            "CREATE TRIGGER test_audit_disk_full BEFORE INSERT ON audit_events "
            "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
        )
    newcomer = make_client(bsn="123456782", surname="Bosma")
    with pytest.raises(sqlalchemy.exc.DBAPIError, match="disk full"):
        if operation == "create":
            store.create(newcomer)
        elif operation == "update":
            store.update(renamed(client, "Wierenga"))
        elif operation == "delete":
            store.delete(Note, note.id)
        elif operation == "event":
            store.record_event("export", "client", record_id=client.id, client_id=client.id)
        else:
            with store.transaction() as tx:
                tx.create(newcomer)
                tx.create(make_note(newcomer.id))
    with store_access.begin(store) as conn:
        conn.exec_driver_sql("DROP TRIGGER test_audit_disk_full")
    assert totals(store) == before
    assert store.get(Client, client.id) == client
    assert store.get(Note, note.id) == note
    assert store.get(Client, newcomer.id) is None
    assert store.verify_audit() == before[2]


def test_failure_in_the_middle_of_a_transaction_rolls_back_all_of_it(store: Store) -> None:
    client = make_client()
    member = make_member(client.id)
    with pytest.raises(RuntimeError, match="power cut"), store.transaction() as tx:
        tx.create(client)
        tx.create(member)
        tx.record_event("print", "client", record_id=client.id, client_id=client.id)
        raise RuntimeError("power cut")
    assert totals(store) == (0, 0, 0)
    assert store.get(Client, client.id) is None
    assert store.get(HouseholdMember, member.id) is None
    assert store.verify_audit() == 0


def test_domain_error_in_a_transaction_rolls_back_earlier_writes(
    store: Store, client: Client
) -> None:
    before = totals(store)
    newcomer = make_client(bsn="123456782", surname="Bosma")
    with pytest.raises(DuplicateBsn), store.transaction() as tx:
        tx.create(newcomer)
        tx.create(make_note(newcomer.id))
        tx.create(make_client(bsn=client.bsn.value, surname="Dubbel"))
    assert totals(store) == before
    assert store.get(Client, newcomer.id) is None


def test_foreign_keys_are_enforced_and_a_violation_writes_nothing(store: Store) -> None:
    orphan = make_note("00000000-0000-0000-0000-000000000000")
    with pytest.raises(sqlalchemy.exc.IntegrityError):
        store.create(orphan)
    assert totals(store) == (0, 0, 0)


def test_a_successful_transaction_commits_everything_together(store: Store) -> None:
    client = make_client()
    with store.transaction() as tx:
        tx.create(client)
        tx.create(make_note(client.id))
        tx.create(make_visit(client.id))
    assert totals(store) == (3, 3, 3)
    assert store.verify_audit() == 3


# ------------------------------------------------------------------------------- concurrency


def test_two_threads_writing_through_one_store_both_succeed(store: Store) -> None:
    per_thread = 25
    bsns = valid_bsns(2 * per_thread)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []
    created: dict[int, list[str]] = {0: [], 1: []}

    def writer(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            for bsn in bsns[index::2]:
                client = store.create(make_client(bsn=bsn, surname=f"Schrijver{index}"))
                store.create(make_visit(client.id))
                store.update(renamed(client, f"Herschreven{index}"))
                created[index].append(client.id)
        except BaseException as exc:  # reported below, so a failing thread fails the test
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    assert len(created[0]) == len(created[1]) == per_thread
    assert store.count(Client) == 2 * per_thread
    assert store.count(Visit) == 2 * per_thread
    entries = store.journal_entries()
    assert len(entries) == 3 * 2 * per_thread
    seqs = [e.seq for e in entries]
    assert seqs == sorted(set(seqs))
    assert store.verify_audit() == 3 * 2 * per_thread
