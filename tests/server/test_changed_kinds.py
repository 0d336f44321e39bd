"""An incremental pull finds the changed rows of the clients a device holds whichever way it
looks: by the few changed rows' keys (the usual case) or, past a limit, by a join in the
database. Both ways must send the same records, and none of a client the device does not hold."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from server.db import ServerSession
from server.models import RECORD_TABLES, Device, DeviceClient, User
from server.policy import Actor
from server.seed import DEMO_CASEWORKERS, seed_demo
from server.sync import feed
from server.sync.pull import pull


def _first_sync(session: Session, actor: Actor) -> str:
    cursor: str | None = None
    while True:
        page = pull(session, actor, cursor_text=cursor, limit=500, applied_text=cursor)
        session.commit()
        cursor = page.cursor
        if not page.more:
            return cursor


def _touch(session: Session, entity: str, ids: list[str]) -> None:
    table = RECORD_TABLES[entity]
    session.execute(update(table).where(table.c.id.in_(ids)).values(version=table.c.version + 1))
    feed.mark_touched(session, entity)
    session.execute(update(table).where(table.c.id.in_(ids)).values(position=None))
    session.commit()


@pytest.mark.parametrize("limit", [feed._CHANGED_KEYS_LIMIT, 0])
def test_both_ways_send_the_changes_of_held_clients_only(
    engine: Engine, limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(feed, "_CHANGED_KEYS_LIMIT", limit)
    with ServerSession(engine, expire_on_commit=False) as session:
        seed_demo(session, clients=24, seed=11)
        session.commit()
        user = session.scalars(select(User).where(User.username == DEMO_CASEWORKERS[0])).one()
        device = Device(
            id=str(uuid.uuid4()),
            user_id=user.id,
            name="test",
            token_hash=uuid.uuid4().hex,
            enrolled_at=datetime.now(UTC),
        )
        session.add(device)
        session.commit()
        actor = Actor(user.id, user.username, user.role, device.id)
        cursor = _first_sync(session, actor)

        held = {
            str(cid)
            for cid in session.scalars(
                select(RECORD_TABLES["client"].c.id).where(
                    RECORD_TABLES["client"].c.id.in_(
                        select(DeviceClient.client_id).where(DeviceClient.device_id == device.id)
                    )
                )
            )
        }
        clients = RECORD_TABLES["client"]
        everyone = [str(cid) for cid in session.scalars(select(clients.c.id))]
        mine = sorted(held)[:3]
        other = sorted(set(everyone) - held)[:2]
        assert len(mine) == 3 and len(other) == 2
        notes = RECORD_TABLES["note"]
        my_note = session.scalars(select(notes.c.id).where(notes.c.client_id == mine[0])).first()
        assert my_note is not None
        _touch(session, "client", mine + other)
        _touch(session, "note", [str(my_note)])

        page = pull(session, actor, cursor_text=cursor, limit=500)
        session.commit()
        got = [json.loads(record) for record in page.records]
        assert sorted((r["entity"], r["id"]) for r in got) == sorted(
            [("client", cid) for cid in mine] + [("note", str(my_note))]
        )
        # Nothing changed since: nothing again.
        again = pull(session, actor, cursor_text=page.cursor, limit=500)
        assert again.records == []
