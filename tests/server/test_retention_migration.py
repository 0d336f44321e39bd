"""Server migration 0009 (issue #15), on SQLite and PostgreSQL: enrollments stored before read as
granted; stored push answers that carry record values learn their client (from a conflict row,
the client id among the values, or a client record's BSN); the audit log then takes a scrub
and nothing else; downgraded, it is strictly append-only again. Every name and BSN is made up."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from server.migrations.runner import alembic_config
from tests.server.test_intake_review import blank_engine
from tests.server.test_policy_matrix import fake_client

__all__ = ["blank_engine"]

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
STAMP = {"version": 1, "deleted": False, "updated_at": NOW, "updated_by": "test", "position": 1}


def _alembic(engine: Engine, action: str, revision: str) -> None:
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        getattr(command, action)(config, revision)


def _insert(conn: sa.Connection, name: str, values: dict[str, Any]) -> None:
    table = sa.Table(name, sa.MetaData(), autoload_with=conn)
    conn.execute(sa.insert(table).values({k: v for k, v in values.items() if k in table.c}))


def _answer(seq: int, **payload: Any) -> dict[str, Any]:
    return {
        "seq": seq,
        "mutation_id": str(uuid.uuid4()),
        "status": "rejected",
        "version": None,
        "conflicts": [],
        "server_values": {},
        "code": None,
        "reason": None,
        **payload,
    }


def test_0009_names_the_clients_of_stored_answers_and_guards_the_audit_log(
    blank_engine: Engine,
) -> None:
    _alembic(blank_engine, "upgrade", "0008")
    client = fake_client(1, "111222333", caseworker="k.dijkstra")
    other = fake_client(2, "123456782", caseworker="k.dijkstra")
    device = str(uuid.uuid4())
    by_values = _answer(1, server_values={"client_id": client.id, "text": "Notitie"})
    by_bsn = _answer(2, server_values={"bsn": other.bsn.value, "surname": "Proef"})
    by_conflict = _answer(
        3, conflicts=[{"field": "text", "base": None, "device": "Mijn tekst", "server": "Hun"}]
    )
    bare = _answer(4, status="applied", version=2)
    with blank_engine.begin() as conn:
        for person in (client, other):
            _insert(conn, "clients", {"id": person.id, **person.to_fields(), **STAMP})
        _insert(
            conn,
            "enrollments",
            {
                "id": str(uuid.uuid4()),
                "client_id": client.id,
                "scheme": "wmo",
                "start_date": "2020-01-01",
                "end_date": None,
                "caseworker": "k.dijkstra",
                "consent_given": False,
                **STAMP,
            },
        )
        _insert(
            conn,
            "users",
            {
                "id": 1,
                "username": "k.dijkstra",
                "display_name": "K",
                "role": "caseworker",
                "password_hash": "x",
                "active": True,
                "created_at": NOW,
            },
        )
        _insert(
            conn,
            "devices",
            {
                "id": device,
                "user_id": 1,
                "name": "laptop",
                "token_hash": "0" * 64,
                "enrolled_at": NOW,
            },
        )
        for answer in (by_values, by_bsn, by_conflict, bare):
            _insert(
                conn,
                "device_mutations",
                {
                    "device_id": device,
                    "seq": answer["seq"],
                    "mutation_id": answer["mutation_id"],
                    "answer": answer,
                    "at": NOW,
                },
            )
        _insert(
            conn,
            "conflicts",
            {
                "entity": "note",
                "record_id": str(uuid.uuid4()),
                "client_id": other.id,
                "field": "text",
                "device_id": device,
                "mutation_id": by_conflict["mutation_id"],
                "created_at": NOW,
            },
        )
        _insert(
            conn,
            "audit_log",
            {
                "at": NOW,
                "actor": "test",
                "action": "update",
                "entity": "note",
                "record_id": "n1",
                "details": {"fields": ["text"], "text": "Jan"},
            },
        )

    _alembic(blank_engine, "upgrade", "0009")
    with blank_engine.connect() as conn:
        assert conn.execute(sa.text("SELECT outcome FROM enrollments")).scalar_one() == "granted"
        rows = conn.execute(sa.text("SELECT seq, client_id FROM device_mutations")).all()
    named: dict[int, str | None] = {int(row[0]): row[1] for row in rows}
    assert named == {1: client.id, 2: other.id, 3: other.id, 4: None}
    audit_log = sa.table("audit_log", sa.column("actor"), sa.column("details", sa.JSON()))
    with blank_engine.begin() as conn:
        conn.execute(sa.update(audit_log).values(details={"fields": ["text"], "scrubbed": True}))
    with blank_engine.connect() as conn, pytest.raises(DBAPIError):
        conn.execute(sa.update(audit_log).values(actor="someone else"))

    _alembic(blank_engine, "downgrade", "0008")
    with blank_engine.connect() as conn, pytest.raises(DBAPIError):
        conn.execute(sa.update(audit_log).values(details={"scrubbed": True}))
    with blank_engine.connect() as conn:
        tables = set(sa.inspect(conn).get_table_names())
    assert not tables & {"legal_holds", "erasure_requests", "destruction_statements"}
    _alembic(blank_engine, "upgrade", "head")
