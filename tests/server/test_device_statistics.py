"""A device's held clients are looked up by client, whatever PostgreSQL last sampled of the
devices (server migration 0014).

ANALYZE sees the devices of its day. With statistics of `device_id`, a device enrolled since is
estimated at one row, and the planner then reads all of that device's rows for every client it
looks up: an incremental sync cost more the more clients the device holds."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, event, insert, select, text, update
from sqlalchemy.orm import Session

from server.db import ServerSession
from server.models import RECORD_TABLES, Device, DeviceClient, DeviceHeldClient, User
from server.seed import DEMO_CASEWORKERS, seed_demo
from server.sync import feed
from tests.server.test_intake_review import blank_engine
from tests.server.test_retention_migration import _alembic

__all__ = ["blank_engine"]

HELD_TABLES = ("device_clients", "device_held_clients")


def _device(session: Session, user_id: int) -> str:
    device = str(uuid.uuid4())
    session.add(
        Device(
            id=device,
            user_id=user_id,
            name=f"laptop {device[:4]}",
            token_hash=uuid.uuid4().hex * 2,
            enrolled_at=datetime.now(UTC),
        )
    )
    session.flush()
    return device


def _hold(session: Session, device: str, client_ids: list[str], *, entered_at: int) -> None:
    session.execute(
        insert(DeviceClient),
        [
            {"device_id": device, "client_id": c, "entered_at": entered_at, "entered_page": 1}
            for c in client_ids
        ],
    )
    session.execute(
        insert(DeviceHeldClient), [{"device_id": device, "client_id": c} for c in client_ids]
    )


def _other_clients(n: int) -> list[str]:
    """Ids of clients held elsewhere (`device_clients` names no client table)."""
    return [str(uuid.uuid4()) for _ in range(n)]


def _plans(session: Session, statements: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    """The plan PostgreSQL runs each statement by (EXPLAIN, with its own parameters)."""
    driver = session.connection().connection.driver_connection
    assert driver is not None
    cursor = driver.cursor()
    plans = []
    for statement, parameters in statements:
        cursor.execute("EXPLAIN (FORMAT JSON) " + statement, parameters)
        plans.append(cursor.fetchone()[0][0]["Plan"])  # psycopg reads the JSON
    return plans


def _scans_of(plan: dict[str, Any], table: str) -> list[dict[str, Any]]:
    found = [plan] if plan.get("Relation Name") == table else []
    for child in plan.get("Plans", []):
        found.extend(_scans_of(child, table))
    return found


def test_a_device_enrolled_after_analyze_has_its_clients_looked_up_by_key(
    pg_engine: Engine,
) -> None:
    with ServerSession(pg_engine) as session:
        seed_demo(session, clients=80, seed=3)
        session.commit()
        user_id = session.scalars(select(User.id).where(User.username == DEMO_CASEWORKERS[0])).one()
        clients = RECORD_TABLES["client"]
        ids = sorted(str(c) for c in session.scalars(select(clients.c.id)))
        read_at = feed.current_position(session)  # where their whole records were read
        # Large enough that PostgreSQL reads it by index: clients held by an earlier device.
        first = _device(session, user_id)
        _hold(session, first, _other_clients(20_000), entered_at=read_at)
        session.commit()
        session.execute(text("ANALYZE"))
        # Enrolled since: ANALYZE never saw it.
        later = _device(session, user_id)
        _hold(session, later, sorted([*ids, *_other_clients(4_000)]), entered_at=read_at)
        session.commit()

        # No statistics of which devices there are, collected or left from before.
        kept = session.execute(
            text(
                "SELECT tablename FROM pg_stats"
                " WHERE tablename = ANY(:tables) AND attname = 'device_id'"
            ),
            {"tables": list(HELD_TABLES)},
        ).all()
        assert kept == []

        # An incremental pull of the later device: ten of its clients changed.
        changed = ids[::8][:10]
        session.execute(
            update(clients)
            .where(clients.c.id.in_(changed))
            .values(participation_step=3, position=None)
        )
        feed.mark_touched(session, "client")  # as a write does: the commit stamps its position
        session.commit()
        now = feed.feed_now(session)
        statements: list[tuple[str, Any]] = []

        def seen(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
            if "device_clients" in statement:
                statements.append((statement, parameters))

        event.listen(pg_engine, "before_cursor_execute", seen)
        try:
            records, _position, more = feed.changes_after(
                session,
                cursor=feed.Cursor(now.epoch, read_at, 1),
                device_id=later,
                role="caseworker",
                limit=100,
            )
        finally:
            event.remove(pg_engine, "before_cursor_execute", seen)
        assert sorted(json.loads(r)["id"] for r in records) == changed
        assert not more

        # The statements that look clients up among the device's (the others ask about the
        # device as a whole: its lowest position).
        lookups = [
            (statement, parameters)
            for statement, parameters in statements
            if "device_clients.client_id = " in statement
        ]
        assert len(lookups) >= 2  # the changed clients' held rows, and the changed rows' check
        for plan in _plans(session, lookups):
            scans = _scans_of(plan, "device_clients")
            assert scans
            for scan in scans:
                # Each client probed by the whole key, not all of the device's rows filtered.
                assert "client_id" in scan.get("Index Cond", ""), scan


def _statistics_targets(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT attrelid::regclass::text, attstattarget FROM pg_attribute"
                " WHERE attrelid = ANY(CAST(:tables AS regclass[])) AND attname = 'device_id'"
            ),
            {"tables": list(HELD_TABLES)},
        )
        return {str(table): int(target) for table, target in rows}


def test_the_statistics_setting_goes_with_its_migration(blank_engine: Engine) -> None:
    """Up, down and up again on both backends (on SQLite there is nothing to set)."""
    postgres = blank_engine.dialect.name == "postgresql"
    _alembic(blank_engine, "upgrade", "head")
    if postgres:
        assert _statistics_targets(blank_engine) == dict.fromkeys(HELD_TABLES, 0)
    _alembic(blank_engine, "downgrade", "0013")
    if postgres:
        assert _statistics_targets(blank_engine) == dict.fromkeys(HELD_TABLES, -1)
    _alembic(blank_engine, "upgrade", "head")
    if postgres:
        assert _statistics_targets(blank_engine) == dict.fromkeys(HELD_TABLES, 0)
