"""Resolving conflicts: keep mine, keep theirs, or type a new value.

The first test makes real conflicts: two devices of one caseworker sync with a real server process
(uvicorn over SQLite, as in tests/e2e) after changing the same fields differently. The others make
a conflict the way a sync does when the server's push answer reports one: a local edit (journal
entry), then `sync_state.acknowledge` with that answer, exactly as `SyncEngine._push` calls it.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import keyring
import keyring.backends.null
import pytest
from sqlalchemy import select

from app.demo.caseload import generate_caseload
from app.domain.client import Client
from app.domain.errors import ValidationError
from app.domain.intake import Intake
from app.domain.schema import FIELDS, field_label
from app.domain.values import PhoneNumber, Postcode
from app.domain.visit import Visit
from app.services import sync as sync_service
from app.services.conflicts import (
    ChoiceNotPossible,
    ConflictGone,
    ConflictView,
    format_value,
    list_conflicts,
    resolve_conflict,
)
from app.storage import sync_state
from app.storage.profiles import Profile
from app.storage.store import Store
from app.storage.tables import conflicts as conflicts_table
from app.storage.vault import KdfParams
from app.sync.engine import SyncReport
from tests import store_access
from tests.central import Central, running_central

FAST = KdfParams(1024, 1, 1)
PASSPHRASE = "een lange wachtzin voor de test"


@pytest.fixture(autouse=True)
def no_os_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep failure counts out of the developer's real OS credential store."""
    null_backend = cast(Any, keyring.backends.null.Keyring)()  # keyring is untyped
    monkeypatch.setattr(keyring, "get_keyring", lambda: null_backend)


# ------------------------------------------------------------------------- a real server


@pytest.fixture(scope="module")
def central(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Central]:
    database_url = f"sqlite:///{tmp_path_factory.mktemp('central') / 'central.db'}"
    with running_central(database_url, clients=8, seed=5) as running:
        yield running


@dataclass
class Device:
    profile: Profile
    store: Store

    def sync(self) -> SyncReport:
        return sync_service.sync_profile(self.profile, self.store)


def _enroll(central: Central, home: Path, username: str) -> Device:
    profile, store = sync_service.enroll(
        server_url=central.url,
        username=username,
        password=central.passwords[username],
        code=central.code(username),
        passphrase=PASSPHRASE,
        profile_name=f"d-{uuid.uuid4().hex[:8]}",
        home=home,
        params=FAST,
    )
    return Device(profile, store)


def _client(store: Store, client_id: str) -> Client:
    found = store.get(Client, client_id)
    assert found is not None
    return found


def resolution_of(store: Store, conflict_id: int) -> dict[str, Any] | None:
    """What was chosen for a conflict; None while it is open."""
    with store_access.connect(store) as conn:
        row = conn.execute(
            select(conflicts_table.c.resolved_at, conflicts_table.c.resolution).where(
                conflicts_table.c.id == conflict_id
            )
        ).first()
    assert row is not None
    return None if row.resolved_at is None else {"at": row.resolved_at, **row.resolution}


def _by_field(views: list[ConflictView]) -> dict[str, ConflictView]:
    return {v.field: v for v in views}


def test_real_conflicts_resolved_with_each_choice(central: Central, tmp_path: Path) -> None:
    a = _enroll(central, tmp_path, "k.dijkstra")
    b = _enroll(central, tmp_path, "k.dijkstra")
    try:
        a.sync()
        b.sync()
        client_id = sorted(c.id for c in a.store.caseload())[0]

        # The same three fields changed differently on two devices; a syncs first.
        on_a = _client(a.store, client_id)
        a_step, b_step = [n for n in range(1, 7) if n != on_a.participation_step][:2]
        a.store.update(
            dataclasses.replace(
                on_a,
                phone=PhoneNumber("0595111111"),
                participation_step=a_step,
                address=dataclasses.replace(on_a.address, street="Testpad"),
            )
        )
        on_b = _client(b.store, client_id)
        b.store.update(
            dataclasses.replace(
                on_b,
                phone=PhoneNumber("0595222222"),
                participation_step=b_step,
                address=dataclasses.replace(on_b.address, street="Proefweg"),
            )
        )
        assert a.sync().applied >= 1
        report = b.sync()
        assert report.conflicts == 1  # one entry, three conflicted fields

        views = _by_field(list_conflicts(b.store))
        assert set(views) == {"phone", "participation_step", "street"}
        phone = views["phone"]
        name = _client(b.store, client_id).name.display()
        assert (phone.entity_label, phone.field_label, phone.client_name) == (
            "Cliënt",
            "Telefoonnummer",
            name,
        )
        assert (phone.mine, phone.theirs) == ("0595222222", "0595111111")
        assert (phone.mine_text, phone.theirs_text) == ("0595222222", "0595111111")
        assert phone.mine_by == "k.dijkstra" and phone.mine_at is not None
        assert phone.mine_at <= phone.detected_at
        assert phone.kind == "conflict" and phone.can_keep_mine and phone.can_edit
        step = views["participation_step"]
        assert step.mine_text.startswith(f"{b_step} – ")
        assert step.theirs_text.startswith(f"{a_step} – ")
        # Sync left the office's values current on b.
        current = _client(b.store, client_id)
        assert current.phone is not None and current.phone.value == "0595111111"
        assert current.participation_step == a_step and current.address.street == "Testpad"
        assert b.store.pending_count() == 0
        audit_before = len(b.store.audit_events(client_id=client_id))

        # Mine: an ordinary update of that field, journal and audit.
        resolve_conflict(b.store, phone.id, choice="mine")
        [entry] = b.store.journal_entries()
        assert (entry.op, entry.entity, entry.record_id) == ("update", "client", client_id)
        assert entry.base_values == {"phone": "0595111111"}
        assert entry.new_values == {"phone": "0595222222"}

        # Theirs: no data changes, no journal entry.
        resolve_conflict(b.store, step.id, choice="theirs")
        assert b.store.pending_count() == 1

        # New: a typed value, validated and written like any edit.
        resolve_conflict(b.store, views["street"].id, choice="new", value="  Nieuwe Dijk ")
        entries = b.store.journal_entries()
        assert len(entries) == 2
        assert entries[1].new_values == {"street": "Nieuwe Dijk"}
        assert entries[1].base_values == {"street": "Testpad"}

        now = _client(b.store, client_id)
        assert now.phone is not None and now.phone.value == "0595222222"
        assert now.participation_step == a_step
        assert now.address.street == "Nieuwe Dijk"
        assert list_conflicts(b.store) == []
        assert sync_state.open_conflicts(b.store) == []
        assert (resolution_of(b.store, phone.id) or {}).get("by") == "k.dijkstra"
        assert {
            v.field: (resolution_of(b.store, v.id) or {}).get("choice") for v in views.values()
        } == {"phone": "mine", "participation_step": "theirs", "street": "new"}

        events = b.store.audit_events(client_id=client_id)[audit_before:]
        assert [(e.action, e.details.get("fields"), e.details.get("choice")) for e in events] == [
            ("update", ["phone"], None),
            ("resolve_conflict", None, "mine"),
            ("resolve_conflict", None, "theirs"),
            ("update", ["street"], None),
            ("resolve_conflict", None, "new"),
        ]
        assert all(e.actor == "k.dijkstra" for e in events)
        assert b.store.verify_audit() > 0

        # The resolutions sync like any edit: the office and the other device take them.
        sent = b.sync()
        assert sent.sent == 2 and sent.conflicts == 0 and sent.rejected == 0
        a.sync()
        on_a = _client(a.store, client_id)
        assert on_a.phone is not None and on_a.phone.value == "0595222222"
        assert on_a.participation_step == a_step and on_a.address.street == "Nieuwe Dijk"
        assert b.store.pending_count() == 0
    finally:
        a.store.close()
        b.store.close()


# ------------------------------------------------------------- conflicts from a push answer


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A profile holding a small synced caseload (version 1, nothing pending)."""
    _profile, opened = Profile.create(
        "conflicts",
        passphrase=PASSPHRASE,
        username="k.dijkstra",
        role="caseworker",
        params=FAST,
        home=tmp_path,
    )
    caseload = generate_caseload(clients=4, seed=11, caseworkers=("k.dijkstra",))
    with opened.transaction() as tx:
        for record in caseload.all_records():
            tx.apply_remote(record, version=1)
    try:
        yield opened
    finally:
        opened.close()


def _first_client(store: Store) -> Client:
    return _client(store, store.caseload()[0].id)


def conflict_from_push(
    store: Store,
    before: Any,
    after: Any,
    theirs: dict[str, Any],
    *,
    status: str = "conflict",
    code: str | None = None,
) -> None:
    """Edit locally, then take in the server's answer for that entry as sync does."""
    store.update(after)
    [entry] = store.journal_entries()
    old, new = before.to_fields(), after.to_fields()
    verdict = sync_state.Verdict(
        seq=entry.seq,
        status=status,
        version=None if status == "rejected" else 2,
        conflicts=[
            {"field": k, "base": old[k], "device": new[k], "server": theirs[k]} for k in theirs
        ]
        if status == "conflict"
        else [],
        server_values=theirs if status == "conflict" and code is None else None,
        code=code,
    )
    sync_state.acknowledge(store, [verdict], entries=[entry])
    assert store.pending_count() == 0


def test_a_new_value_is_validated_by_the_domain(store: Store) -> None:
    client = _first_client(store)
    edited = dataclasses.replace(
        client, address=dataclasses.replace(client.address, house_number=12)
    )
    conflict_from_push(store, client, edited, {"house_number": 14})
    [view] = list_conflicts(store)
    assert (view.field_label, view.edit_kind, view.edit_text) == ("Huisnummer", "int", "12")
    with pytest.raises(ValidationError) as not_a_number:
        resolve_conflict(store, view.id, choice="new", value="twaalf")
    assert not_a_number.value.code == "invalid_number"
    with pytest.raises(ValidationError) as out_of_range:
        resolve_conflict(store, view.id, choice="new", value="0")
    assert out_of_range.value.code == "invalid_house_number"
    # Nothing changed: the conflict is open, nothing waits to be pushed.
    assert store.pending_count() == 0
    assert [v.id for v in list_conflicts(store)] == [view.id]
    assert _first_client(store).address.house_number == 14

    resolve_conflict(store, view.id, choice="new", value="16")
    assert _first_client(store).address.house_number == 16
    [entry] = store.journal_entries()
    assert entry.new_values == {"house_number": 16} and entry.base_values == {"house_number": 14}
    with pytest.raises(ConflictGone):
        resolve_conflict(store, view.id, choice="theirs")


def test_postcode_typed_is_normalised_and_checked(store: Store) -> None:
    client = _first_client(store)
    edited = dataclasses.replace(
        client, address=dataclasses.replace(client.address, postcode=Postcode("9981 AB"))
    )
    conflict_from_push(store, client, edited, {"postcode": "9981 CD"})
    [view] = list_conflicts(store)
    with pytest.raises(ValidationError) as wrong:
        resolve_conflict(store, view.id, choice="new", value="99 AB")
    assert wrong.value.code == "invalid_postcode"
    resolve_conflict(store, view.id, choice="new", value="9981ef")
    assert _first_client(store).address.postcode.value == "9981 EF"


def test_a_refused_command_field_can_only_be_left(store: Store) -> None:
    """An entry the server refused: every value it carried is kept as a conflict, but sending it
    again would be refused again, so only the office's value can be kept."""
    client = _first_client(store)
    edited = dataclasses.replace(
        client, participation_step=6 if client.participation_step != 6 else 1
    )
    conflict_from_push(store, client, edited, {}, status="rejected", code="forbidden")
    [view] = list_conflicts(store)
    assert view.kind == "rejected" and "geweigerd" in view.explanation
    assert not view.can_keep_mine and not view.can_edit
    assert view.theirs_text == "(leeg)"
    with pytest.raises(ChoiceNotPossible):
        resolve_conflict(store, view.id, choice="mine")
    intake = next(i for c in store.caseload() for i in store.for_client(Intake, c.id))
    with store.transaction() as tx:
        tx.conn.execute(
            conflicts_table.insert().values(
                entity="intake",
                record_id=intake.id,
                client_id=intake.client_id,
                field="status",
                kind="rejected",
                base="draft",
                mine="approved",
                theirs=None,
                mutation_id=str(uuid.uuid4()),
                code="command_field",
                created_at="2026-11-22T08:41:00+00:00",
            )
        )
    status_view = next(v for v in list_conflicts(store) if v.entity == "intake")
    assert not status_view.can_keep_mine and not status_view.can_edit
    assert status_view.field_label == "Status" and status_view.mine_text == "goedgekeurd"
    with pytest.raises(ChoiceNotPossible):
        resolve_conflict(store, status_view.id, choice="mine")
    with pytest.raises(ChoiceNotPossible):
        resolve_conflict(store, status_view.id, choice="new", value="approved")
    events = len(store.audit_events())
    resolve_conflict(store, status_view.id, choice="theirs")
    assert store.get(Intake, intake.id) == intake
    assert store.pending_count() == 0
    [event] = store.audit_events()[events:]
    assert (event.action, event.entity, event.details["choice"]) == (
        "resolve_conflict",
        "intake",
        "theirs",
    )


def test_an_edit_of_a_record_deleted_at_the_office(store: Store) -> None:
    client = _first_client(store)
    visit = store.for_client(Visit, client.id)[0]
    edited = dataclasses.replace(visit, notes="Nieuwe aantekening.")
    store.update(edited)
    [entry] = store.journal_entries()
    conflict = {"field": "notes", "base": visit.notes, "device": edited.notes, "server": None}
    verdict = sync_state.Verdict(
        seq=entry.seq, status="conflict", version=2, conflicts=[conflict], code="record_deleted"
    )
    sync_state.acknowledge(store, [verdict], entries=[entry])
    # The pull that follows brings the office's tombstone.
    tombstone = sync_state.PulledRecord(
        entity="visit", id=visit.id, client_id=client.id, version=2, deleted=True, fields={}
    )
    sync_state.apply_page(store, records=[tombstone], scope_exit=[], cursor="c1", epoch="e1")
    assert store.get(Visit, visit.id) is None
    [view] = list_conflicts(store)
    assert (view.entity_label, view.field_label) == ("Huisbezoek", "Aantekeningen")
    assert not view.record_exists and not view.can_keep_mine and not view.can_edit
    assert "verwijderd" in view.explanation
    with pytest.raises(ChoiceNotPossible):
        resolve_conflict(store, view.id, choice="mine")
    resolve_conflict(store, view.id, choice="theirs")
    assert list_conflicts(store) == [] and store.pending_count() == 0


def test_older_conflicts_on_the_same_field_are_settled_together(store: Store) -> None:
    client = _first_client(store)
    first = dataclasses.replace(client, phone=PhoneNumber("0595333333"))
    conflict_from_push(store, client, first, {"phone": "0595444444"})
    now = _first_client(store)
    second = dataclasses.replace(now, phone=PhoneNumber("0595555555"))
    conflict_from_push(store, now, second, {"phone": "0595666666"})
    older, newer = list_conflicts(store)
    assert (older.mine, newer.mine) == ("0595333333", "0595555555")
    resolve_conflict(store, newer.id, choice="mine")
    assert list_conflicts(store) == []
    assert (resolution_of(store, older.id) or {}).get("settled_with") == newer.id
    assert _first_client(store).phone == PhoneNumber("0595555555")


def test_english_labels_when_asked(store: Store) -> None:
    client = _first_client(store)
    edited = dataclasses.replace(client, phone=PhoneNumber("0595777777"))
    conflict_from_push(store, client, edited, {"phone": None})
    [view] = list_conflicts(store, language="en")
    assert (view.entity_label, view.field_label, view.theirs_text) == (
        "Client",
        "Phone number",
        "(empty)",
    )
    assert "differently" in view.explanation


def test_every_field_has_a_label() -> None:
    for entity, specs in FIELDS.items():
        for spec in specs:
            for language in ("nl", "en"):
                label = field_label(entity, spec.name, language)
                assert label and label != spec.name, (entity, spec.name)


def test_values_are_shown_as_people_read_them() -> None:
    assert format_value("client", "date_of_birth", "1980-11-22") == "22-11-1980"
    assert format_value("visit", "planned_at", "2026-11-22T08:41:00+00:00") == "22-11-2026 09:41"
    assert format_value("enrollment", "consent_given", True) == "Ja"
    assert format_value("visit", "purpose", "handhaving") == "Handhaving"
    assert format_value("visit", "status", "done") == "afgerond"
    assert format_value("client", "participation_step", 3).startswith("3 – Deelname")
    assert format_value("client", "phone", None) == "(leeg)"
    assert format_value("client_plan", "goals", ["Werk vinden", "Schulden"]) == (
        "Werk vinden; Schulden"
    )
    assert format_value("intake", "command", "submit") == "Indienen"
