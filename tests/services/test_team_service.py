"""The team lead's overview from the device: figures and late edits fetched from a real server
process (uvicorn over SQLite with the demo organisation, as in tests/e2e), a late edit marked
handled, and what happens without a connection or without the role."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import keyring
import keyring.backends.null
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.errors import VeldwerkError
from app.services import sync as sync_service
from app.services.team import (
    NotEnrolled,
    SyncError,
    mark_orphan_handled,
    orphaned_changes,
    team_overview,
)
from app.storage.store import Store
from app.storage.vault import KdfParams
from app.sync import protocol
from server.crud import team as team_crud
from server.models import Assignment, AuditEntry, OrphanedMutation, User
from server.policy import Actor
from server.seed import DEMO_TEAM
from tests.central import Central, free_port, running_central

FAST = KdfParams(1024, 1, 1)
PASSPHRASE = "een lange wachtzin voor de test"
NOTE_TEXT = "Gesprek over de schulden, zeer vertrouwelijk."


@pytest.fixture(autouse=True)
def no_os_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep failure counts out of the developer's real OS credential store."""
    null_backend = cast(Any, keyring.backends.null.Keyring)()  # keyring is untyped
    monkeypatch.setattr(keyring, "get_keyring", lambda: null_backend)


@pytest.fixture(scope="module")
def central(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Central]:
    database_url = f"sqlite:///{tmp_path_factory.mktemp('central') / 'central.db'}"
    with running_central(database_url, clients=8, seed=11) as running:
        yield running


def _enroll(central: Central, home: Path, username: str) -> Store:
    _profile, store = sync_service.enroll(
        server_url=central.url,
        username=username,
        password=central.passwords[username],
        code=central.code(username),
        passphrase=PASSPHRASE,
        profile_name=f"d-{uuid.uuid4().hex[:8]}",
        home=home,
        params=FAST,
    )
    return store


@pytest.fixture
def lead(central: Central, tmp_path: Path) -> Iterator[Store]:
    store = _enroll(central, tmp_path, "t.mulder")
    yield store
    store.close()


def _figures_on_the_server(session: Session) -> dict[str, Any]:
    user = session.scalars(select(User).where(User.username == "t.mulder")).one()
    return team_crud.figures(session, Actor(user.id, user.username, user.role))


def _late_edits(session: Session, *, sender: str) -> dict[str, int]:
    """A late note and a late enrollment edit of a client of k.dijkstra, sent by the device
    `sender` (made by hand, as push does for a client that left the device's scope)."""
    client_id = session.scalars(
        select(Assignment.client_id)
        .join(User, User.id == Assignment.caseworker_id)
        .where(User.username == "k.dijkstra", Assignment.ended_at.is_(None))
        .order_by(Assignment.client_id)
    ).first()
    assert client_id is not None
    made = {}
    now = datetime.now(UTC)
    for age, entity, op, values in (
        (
            2,
            "note",
            protocol.Op.CREATE,
            {"client_id": client_id, "text": NOTE_TEXT, "author": "m.bakker"},
        ),
        (1, "enrollment", protocol.Op.UPDATE, {"scheme": "wmo", "end_date": "2026-01-31"}),
    ):
        entry = protocol.Entry(
            seq=1,
            mutation_id=str(uuid.uuid4()),
            entity=entity,
            record_id=str(uuid.uuid4()),
            client_id=client_id,
            op=op,
            new_values=values,
        )
        row = OrphanedMutation(
            device_id=sender,
            client_id=client_id,
            entry=entry.model_dump(mode="json"),
            created_at=now - timedelta(hours=age),
        )
        session.add(row)
        session.flush()
        made[entity] = row.id
    return made


def _handled_audits(session: Session) -> list[tuple[str, str]]:
    found = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "orphaned_change_handled")
    )
    return [(a.actor, a.entity) for a in found]


def test_overview_holds_the_servers_figures(central: Central, lead: Store) -> None:
    before = datetime.now(UTC)
    overview = team_overview(lead)
    assert overview.team == DEMO_TEAM
    assert before <= overview.fetched_at <= datetime.now(UTC)
    expected = central.run(_figures_on_the_server)
    assert [m.username for m in overview.members] == [m["username"] for m in expected["members"]]
    assert [m.username for m in overview.members] == ["k.dijkstra", "m.bakker"]
    for member, want in zip(overview.members, expected["members"], strict=True):
        for name in (
            "clients",
            "intakes_waiting",
            "intakes_returned",
            "approved_this_month",
            "clocks_due_soon",
            "clocks_overdue",
            "devices",
            "devices_not_synced_3_days",
            "devices_not_synced_14_days",
            "open_conflicts",
            "orphaned_changes",
        ):
            assert getattr(member, name) == want[name], (member.username, name)
    assert sum(m.clients for m in overview.members) == 8


def test_overview_holds_the_teams_council_figures(central: Central, lead: Store) -> None:
    """The team as a whole, as the council report counts it (issue #16): the tables as the
    server published them, withheld values as None."""
    overview = team_overview(lead)
    expected = central.run(_figures_on_the_server)
    assert overview.period == expected["period"] and overview.period.endswith(("-H1", "-H2"))
    assert overview.previous_period == expected["previous_period"]
    assert overview.counted_until == expected["counted_until"]
    assert [t.name for t in overview.figures] == [t["name"] for t in expected["figures"]]
    for table, want in zip(overview.figures, expected["figures"], strict=True):
        assert list(table.columns) == want["columns"]
        assert [list(row) for row in table.rows] == want["rows"]
        assert (table.counts, table.withheld) == (want["counts"], want["withheld"])
    steps = overview.figure("ladder_steps")
    assert steps is not None
    # A demo of 8 clients: every count of the team is below 10, so all are withheld.
    assert steps.value("clients", period=overview.period, area=DEMO_TEAM) is None
    assert steps.withheld == steps.counts


def test_late_edits_listed_and_marked_handled(
    central: Central, lead: Store, tmp_path: Path
) -> None:
    sender = _enroll(central, tmp_path, "m.bakker")
    try:
        made = central.run(_late_edits, sender=str(sender.setting(sync_service.DEVICE)))
    finally:
        sender.close()
    by_id = {c.id: c for c in orphaned_changes(lead, language="nl")}
    note, enrollment = by_id[made["note"]], by_id[made["enrollment"]]

    assert enrollment.entity_label == "Regeling"
    assert enrollment.sent_by == "m.bakker"
    assert enrollment.current_caseworker == "k.dijkstra"
    assert enrollment.client_name and "." in enrollment.client_name  # "T. de Vries"
    assert enrollment.values_shown and not enrollment.handled
    assert [(f.name, f.label, f.value) for f in enrollment.fields] == [
        ("scheme", "Regeling", "Wmo"),
        ("end_date", "Einddatum", "31-01-2026"),
    ]
    # A note's fields are named, its text never reaches the team lead's device.
    assert note.entity_label == "Notitie" and not note.values_shown
    assert [(f.name, f.value) for f in note.fields] == [("text", None), ("author", None)]
    assert all(NOTE_TEXT not in repr(change) for change in by_id.values())
    english = {c.id: c for c in orphaned_changes(lead, language="en")}
    assert english[made["note"]].entity_label == "Note"

    mark_orphan_handled(lead, change_id=made["note"])
    mark_orphan_handled(lead, change_id=made["note"])  # again: nothing changes
    after = orphaned_changes(lead)
    assert [c.id for c in after][-1] == made["note"]  # handled ones come last
    assert {c.id: c for c in after}[made["note"]].handled
    assert central.run(_handled_audits) == [("t.mulder", "note")]
    overview = team_overview(lead)
    assert {m.username: m.orphaned_changes for m in overview.members}["k.dijkstra"] == 1

    with pytest.raises(SyncError) as unknown:
        mark_orphan_handled(lead, change_id=2_000_000)
    assert unknown.value.code == "not_found"


def test_without_a_connection_the_error_says_so(lead: Store) -> None:
    lead.set_setting(sync_service.SERVER, f"http://127.0.0.1:{free_port()}")
    for call in (team_overview, orphaned_changes):
        with pytest.raises(SyncError) as raised:
            call(lead)
        assert raised.value.code == "server_unreachable"
        assert "niet bereikbaar" in raised.value.message("nl")
    with pytest.raises(SyncError):
        mark_orphan_handled(lead, change_id=1)


def test_not_enrolled_and_not_a_team_lead(central: Central, lead: Store, tmp_path: Path) -> None:
    caseworker = _enroll(central, tmp_path, "k.dijkstra")
    try:
        with pytest.raises(SyncError) as refused:
            team_overview(caseworker)
        assert refused.value.code == "forbidden"
    finally:
        caseworker.close()
    lead.set_setting(sync_service.SERVER, None)
    with pytest.raises(NotEnrolled) as not_enrolled:
        orphaned_changes(lead)
    assert isinstance(not_enrolled.value, VeldwerkError)
    assert not_enrolled.value.code == "not_enrolled"
