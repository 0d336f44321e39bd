"""The scope clock (server migration 0012) and the pulls that rely on it.

An incremental pull skips comparing a device's clients with its scope when the scope clock has
not moved since a pull found the two equal. That is only safe if every write that can change a
scope moves the clock, in the same transaction. So: each such write moves it, on both backends,
whoever writes it (the tests write with plain SQL, as a hand-made fix or a later code path
would); writes that cannot change a scope leave it alone; and over random histories of
assignments, deletions, intake reviews and team changes, a device that keeps pulling holds
exactly its scope after every round, with the skip taken whenever nothing changed.
"""

from __future__ import annotations

import dataclasses
import random
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from app.sync.protocol import MAX_PAGE_SIZE
from server.crud import assignments
from server.crud.records import upsert_record
from server.errors import ApiError
from server.models import RECORD_TABLES, Assignment, DeviceSync, ScopeClock, TeamMember, User
from server.policy import Actor, scope_client_ids
from server.sync import pull as pull_module
from tests.server.conftest import Device
from tests.server.test_policy_matrix import Org, build_organisation, fake_client, submitted_intake

clients = RECORD_TABLES["client"]
intakes = RECORD_TABLES["intake"]


def clock(session: Session) -> int:
    session.commit()  # read what is committed, as a pull does
    return int(session.execute(select(ScopeClock.version).where(ScopeClock.id == 1)).scalar_one())


def moves(session: Session, write: Callable[[], Any]) -> bool:
    before = clock(session)
    write()
    session.commit()
    return clock(session) != before


def _test_bsn(number: int) -> str:
    """A made-up number that passes the 11-check, unlike any build_organisation uses."""
    while True:
        stem = f"{40_000_000 + number:08d}"
        digit = sum(int(d) * (9 - i) for i, d in enumerate(stem)) % 11
        if digit != 10:
            return stem + str(digit)
        number += 1000


def _a_client(session: Session, number: int) -> str:
    client = fake_client(number, _test_bsn(number))
    upsert_record(session, client, by="test")
    session.commit()
    return client.id


def test_every_write_that_can_change_a_scope_moves_the_clock(session: Session) -> None:
    org = build_organisation(session)
    own, other = org.clients["own"], org.clients["other_team"]
    kdijkstra = session.scalar(select(User).where(User.username == "k.dijkstra"))
    assert kdijkstra is not None
    scope_writes: dict[str, Callable[[], Any]] = {
        "assign": lambda: assignments.assign(
            session, client_id=org.clients["unassigned"], caseworker="m.bakker", by="test"
        ),
        "end an assignment": lambda: session.execute(
            update(Assignment)
            .where(Assignment.client_id == own, Assignment.ended_at.is_(None))
            .values(ended_at=datetime.now(UTC))
        ),
        "move an assignment": lambda: session.execute(
            update(Assignment)
            .where(Assignment.client_id == other)
            .values(caseworker_id=kdijkstra.id)
        ),
        "delete an assignment": lambda: session.execute(
            text("DELETE FROM assignments WHERE client_id = :c"), {"c": other}
        ),
        "delete a client": lambda: session.execute(
            clients.update().where(clients.c.id == org.clients["teammate"]).values(deleted=True)
        ),
        "restore a client": lambda: session.execute(
            clients.update().where(clients.c.id == org.clients["teammate"]).values(deleted=False)
        ),
        "new client": lambda: _a_client(session, 20),
        "intake status": lambda: session.execute(
            intakes.update().where(intakes.c.id == org.intakes["own"]).values(status="approved")
        ),
        "intake deleted": lambda: session.execute(
            intakes.update().where(intakes.c.id == org.intakes["teammate"]).values(deleted=True)
        ),
        "intake of another client": lambda: session.execute(
            intakes.update()
            .where(intakes.c.id == org.intakes["other_team"])
            .values(client_id=org.clients["own"])
        ),
        "team member moved": lambda: session.execute(
            update(TeamMember)
            .where(TeamMember.user_id == kdijkstra.id)
            .values(team_id=TeamMember.team_id)  # same value: a statement still counts
        ),
        "team lead changed": lambda: session.execute(text("UPDATE teams SET lead_id = NULL")),
        "role changed": lambda: session.execute(
            update(User).where(User.username == "m.bakker").values(role="team_lead")
        ),
        "device given to another person": lambda: session.execute(
            text("UPDATE devices SET user_id = :u WHERE id = :d"),
            {"u": kdijkstra.id, "d": org.spare_device},
        ),
    }
    for name, write in scope_writes.items():
        assert moves(session, write), f"{name} did not move the scope clock"


def test_writes_that_cannot_change_a_scope_leave_the_clock(session: Session) -> None:
    org = build_organisation(session)
    own = org.clients["own"]
    quiet: dict[str, Callable[[], Any]] = {
        "a client's details, `deleted` named but unchanged": lambda: session.execute(
            clients.update().where(clients.c.id == own).values(participation_step=3, deleted=False)
        ),
        "an intake's answers": lambda: session.execute(
            intakes.update()
            .where(intakes.c.id == org.intakes["own"])
            .values(barriers="Anders.", status="submitted")
        ),
        "a person's display name": lambda: session.execute(
            update(User).where(User.username == "k.dijkstra").values(display_name="K. Dijkstra")
        ),
        "a device's last contact": lambda: session.execute(
            text("UPDATE devices SET last_seen = :t"), {"t": datetime.now(UTC)}
        ),
        "a device's sync state": lambda: session.execute(update(DeviceSync).values(pages=0)),
    }
    for name, write in quiet.items():
        assert not moves(session, write), f"{name} moved the scope clock"


# ------------------------------------------------------------------------------ pulls


def _actor(session: Session, device: Device) -> Actor:
    user_id = session.scalar(select(User.id).where(User.username == device.username))
    assert user_id is not None
    role = session.scalar(select(User.role).where(User.username == device.username))
    return Actor(int(user_id), device.username, str(role), device.device_id)


class Holder:
    """A device that keeps pulling, and what it holds by the pages it applied."""

    def __init__(self, api: TestClient, device: Device) -> None:
        self.api = api
        self.device = device
        self.cursor: str | None = None
        self.held: set[str] = set()
        self.received: list[dict[str, Any]] = []  # the records of the last sync

    def sync(self) -> None:
        self.received = []
        for _ in range(100):
            params: dict[str, Any] = {"limit": MAX_PAGE_SIZE}
            if self.cursor is not None:
                params["cursor"] = self.cursor
            answer = self.api.get("/v1/sync/pull", params=params, headers=self.device.headers)
            assert answer.status_code == 200, answer.text
            page = answer.json()
            self.held |= set(page["scope_enter"])
            self.held -= set(page["scope_exit"])
            self.received += page["records"]
            self.cursor = page["cursor"]
            if not page["more"]:
                return
        raise AssertionError("a pull that never ends")


@pytest.fixture
def compares(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The devices whose pull compared their clients with their scope, in order."""
    seen: list[str] = []
    original = pull_module._scope_changes

    def counted(session: Session, actor: Actor, *args: Any) -> Any:
        seen.append(str(actor.device_id))
        return original(session, actor, *args)

    monkeypatch.setattr(pull_module, "_scope_changes", counted)
    return seen


def test_a_settled_device_skips_the_compare_until_a_scope_changes(
    api: TestClient, session: Session, compares: list[str]
) -> None:
    org = build_organisation(session)
    device = Holder(api, org.devices["k.dijkstra"])
    device.sync()  # first sync: compared
    device.sync()  # the first incremental pull finds nothing to change: settled
    compares.clear()
    for _ in range(3):
        device.sync()
    assert compares == [], "a settled device compared its scope again"
    # A change to a client in scope is still delivered, without a compare.
    upsert_record(session, dataclasses.replace(org.people["own"], participation_step=4), by="test")
    session.commit()
    device.sync()
    assert compares == []
    assert [(r["id"], r["fields"]["participation_step"]) for r in device.received] == [
        (org.clients["own"], 4)
    ]

    # Someone else's client is assigned to k.dijkstra: the clock moves, the next pull compares
    # and carries the client in.
    assignments.assign(
        session, client_id=org.clients["unassigned"], caseworker="k.dijkstra", by="test"
    )
    session.commit()
    device.sync()
    assert compares == [device.device.device_id]
    assert org.clients["unassigned"] in device.held
    assert device.held == {
        str(c) for c in session.scalars(scope_client_ids(_actor(session, device.device)))
    }


def test_an_older_cursor_is_compared_in_full(
    api: TestClient, session: Session, compares: list[str]
) -> None:
    """A device that comes back with an older cursor than the one it was settled at (it lost
    the pages after it, or its disk was restored) gets what those pages carried again."""
    org = build_organisation(session)
    device = Holder(api, org.devices["k.dijkstra"])
    device.sync()
    old_cursor = device.cursor
    assignments.assign(
        session, client_id=org.clients["unassigned"], caseworker="k.dijkstra", by="test"
    )
    session.commit()
    device.sync()  # carries the new client in
    device.sync()  # settled
    compares.clear()
    device.cursor = old_cursor  # the page that carried the client was lost
    device.held.discard(org.clients["unassigned"])
    device.sync()
    assert compares == [device.device.device_id]
    assert org.clients["unassigned"] in device.held


# ------------------------------------------------------------------------------ random histories

TEAMS = ("Team Noord", "Team Zuid")


def _team_ids(session: Session) -> list[int]:
    rows = session.execute(text("SELECT id FROM teams ORDER BY name")).all()
    return [int(r[0]) for r in rows]


def _step(session: Session, org: Org, people: list[str], rng: random.Random) -> str:
    """One random write; returns what it was."""
    person = rng.choice(people)
    action = rng.choice(
        (
            "assign",
            "assign",
            "unassign",
            "delete",
            "restore",
            "intake",
            "review",
            "edit",
            "edit",
            "nothing",
            "move",
            "lead",
        )
    )
    now = datetime.now(UTC)
    if action == "assign":
        name = rng.choice(("k.dijkstra", "m.bakker", "j.dekker"))
        try:
            assignments.assign(session, client_id=person, caseworker=name, by="test")
            action += f" {name}"
        except ApiError:  # a deleted client is not assigned
            session.rollback()
            action += " refused"
    elif action == "unassign":
        session.execute(
            update(Assignment)
            .where(Assignment.client_id == person, Assignment.ended_at.is_(None))
            .values(ended_at=now)
        )
    elif action in ("delete", "restore"):
        session.execute(
            clients.update().where(clients.c.id == person).values(deleted=action == "delete")
        )
    elif action == "intake":
        upsert_record(session, submitted_intake(person, "k.dijkstra"), by="test")
    elif action == "review":
        ids = [
            str(i)
            for i in session.scalars(select(intakes.c.id).where(intakes.c.client_id == person))
        ]
        if ids:
            status = rng.choice(("approved", "returned", "submitted"))
            session.execute(
                intakes.update().where(intakes.c.id == rng.choice(ids)).values(status=status)
            )
            action += f" {status}"
    elif action == "edit":
        session.execute(
            clients.update()
            .where(clients.c.id == person)
            .values(participation_step=rng.randint(1, 5), deleted=clients.c.deleted)
        )
    elif action == "move":
        user = session.scalar(select(User).where(User.username == "m.bakker"))
        assert user is not None
        team = rng.choice(_team_ids(session))
        session.execute(
            update(TeamMember).where(TeamMember.user_id == user.id).values(team_id=team)
        )
    elif action == "lead":
        lead = session.scalar(select(User.id).where(User.username == "r.smit"))
        team = rng.choice(_team_ids(session))
        session.execute(text("UPDATE teams SET lead_id = :l WHERE id = :t"), {"l": lead, "t": team})
        other = session.scalar(select(User.id).where(User.username == "t.mulder"))
        session.execute(
            text("UPDATE teams SET lead_id = :l WHERE id <> :t"), {"l": other, "t": team}
        )
    session.commit()
    return f"{action} {person[:8]}"


def test_devices_hold_exactly_their_scope_over_random_histories(
    api: TestClient, session: Session, compares: list[str]
) -> None:
    org = build_organisation(session)
    people = [org.clients[t] for t in ("own", "teammate", "other_team", "unassigned")]
    people += [_a_client(session, n) for n in (11, 12)]
    holders = {
        name: Holder(api, org.devices[name])
        for name in ("k.dijkstra", "m.bakker", "j.dekker", "t.mulder", "r.smit")
    }
    rng = random.Random(13)
    skipped = 0
    history: list[str] = []
    for _round in range(60):
        history.append(_step(session, org, people, rng))
        compares.clear()
        for name, holder in holders.items():
            holder.sync()
            wanted = {
                str(c) for c in session.scalars(scope_client_ids(_actor(session, holder.device)))
            }
            session.commit()
            assert holder.held == wanted, f"{name} after {history}"
        skipped += len(holders) - len(compares)
    # The skip is taken (nothing that moves the clock happened in some rounds), and never at
    # the cost of a wrong caseload (asserted above).
    assert skipped > 0


def test_an_orphaned_edit_unsettles_the_device(session: Session) -> None:
    org = build_organisation(session)
    device = org.devices["k.dijkstra"].device_id
    state = session.get(DeviceSync, device) or DeviceSync(device_id=device, last_seq=0)
    state.settled_clock, state.settled_page, state.settled_position = 0, 0, 0
    session.add(state)
    session.commit()
    pull_module.owe_client_again(session, device, str(uuid.uuid4()))
    session.commit()
    session.refresh(state)
    assert state.settled_clock is None
