"""Plan actions become records of their own: device migration 0004 and server migration 0007.

Device: a database at 0003 holding a synced plan and a plan never sent, each with its old JSON
list of actions, and the journal entries that carried such lists; upgraded to head, every action
is a `plan_actions` row with the same id, in the list's order, its free-text owner read as the
client, the plan's caseworker or a partner organisation; the pending entries no longer carry the
list and entries of the action records follow them; downgraded again, the list is back.

Server (SQLite and PostgreSQL): plans at 0006 with action lists, live and deleted; upgraded, the
rows have the same ids at version 1 in one new feed position, a deleted plan's actions deleted;
downgraded, the lists are back.

Every name and BSN here is made up.
"""

from __future__ import annotations

import importlib
import json
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import Engine, MetaData, Table, inspect, select

from app.domain.plan import ActionOwner, PlanAction
from app.domain.states import ActionStatus
from app.services import plan as plan_service
from app.storage.migrations.runner import current_revision, head_revision
from app.storage.store import Store, derived_columns
from app.storage.tables import ENTITY_TABLES, journal
from server.migrations.runner import alembic_config as server_alembic_config
from server.migrations.runner import upgrade as server_upgrade
from server.models import plan_actions as server_plan_actions
from tests.server import test_intake_review as intake_review
from tests.server.test_policy_matrix import fake_client

from .conftest import USERNAME, TickingClock, make_client
from .test_migrations import run_alembic

device_0004 = importlib.import_module("app.storage.migrations.versions.0004_plan_versions")
server_0007 = importlib.import_module("server.migrations.versions.0007_plan_versions")

# An empty server database of each kind, no schema yet (the 0005 test's fixture).
blank_engine = intake_review.blank_engine

PARTNER = "Taalhuis Hogeland"
AT = "2026-11-30T09:00:00+00:00"
ANY_VERSION = object()


def old_action(
    description: str, owner: str, *, due: str | None = None, status: str = "open"
) -> dict[str, Any]:
    """An action as the old plan kept it in its JSON list."""
    return {
        "id": str(uuid.uuid4()),
        "description": description,
        "owner": owner,
        "due_date": due,
        "status": status,
    }


def old_plan(client_id: str, actions: list[dict[str, Any]], **changes: Any) -> dict[str, Any]:
    """A plan's fields as they were before the actions left the list."""
    return {
        "client_id": client_id,
        "caseworker": USERNAME,
        "revision": 1,
        "status": "draft",
        "service_layer": "school_werk",
        "goals": ["Werk in de zorg"],
        "actions": actions,
        "agreements": "Elke twee weken een gesprek.",
        "tegenprestatie": "",
        "client_signature": None,
        "caseworker_signature": None,
        "activated_at": None,
        "closed_at": None,
        **changes,
    }


def as_row(
    action: dict[str, Any],
    plan_id: str,
    client_id: str,
    rank: int,
    *,
    owner: str,
    partner: str = "",
) -> dict[str, Any]:
    """The plan_action fields an old action must become."""
    return {
        "client_id": client_id,
        "plan_id": plan_id,
        "description": action["description"],
        "owner": owner,
        "partner": partner,
        "due_date": action["due_date"],
        "status": action["status"],
        "rank": rank,
    }


def _insert(conn: sa.Connection, name: str, values: dict[str, Any]) -> None:
    """A row of the table as it is in the database now (columns it lacks are left out)."""
    table = Table(name, MetaData(), autoload_with=conn)
    conn.execute(sa.insert(table).values({k: v for k, v in values.items() if k in table.c}))


def _columns(engine: Engine, table: str) -> set[str]:
    with engine.connect() as conn:
        return {c["name"] for c in inspect(conn).get_columns(table)}


def test_both_migrations_read_an_old_owner_alike() -> None:
    """The device and the server turn the same list into the same rows (same ids: no download)."""
    for owner, expected in (
        ("cliënt", ("client", "")),
        ("Klant", ("client", "")),
        ("", ("client", "")),
        (USERNAME, ("caseworker", "")),
        ("klantmanager", ("caseworker", "")),
        (PARTNER, ("partner", PARTNER)),
        ("x" * 250, ("partner", "x" * 200)),
    ):
        action = old_action("Taalles volgen", owner, due="2027-01-15", status="in_progress")
        made = [
            module.action_fields(action, client_id="c", plan_id="p", caseworker=USERNAME, rank=4)
            for module in (device_0004, server_0007)
        ]
        assert made[0] == made[1]
        assert (made[0]["owner"], made[0]["partner"]) == expected, owner
        assert (made[0]["rank"], made[0]["status"], made[0]["due_date"]) == (
            4,
            "in_progress",
            "2027-01-15",
        )
        # Each is an action the domain takes as it is.
        PlanAction.from_fields(action["id"], made[0])


# ------------------------------------------------------------------------------------ device


@pytest.fixture
def device_engine(bare_engine: Engine) -> Engine:
    return bare_engine


def _journal_rows(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(select(journal).order_by(journal.c.seq)).mappings().all()
    return [dict(r) for r in rows]


def _device_plan_list(engine: Engine, plan_id: str) -> Any:
    """A plan's JSON list of actions (at 0003)."""
    with engine.connect() as conn:
        text = conn.execute(
            sa.text("SELECT actions FROM client_plans WHERE id = :id").bindparams(id=plan_id)
        ).scalar_one()
    return json.loads(text) if isinstance(text, str) else text


def test_device_migration_0004_makes_actions_rows_and_journal_entries(
    device_engine: Engine,
) -> None:
    engine = device_engine
    run_alembic(engine, "upgrade", "0003")
    assert current_revision(engine) == "0003"
    client = make_client()
    synced_id, unsynced_id = str(uuid.uuid4()), str(uuid.uuid4())
    # The synced plan as the server has it, and as the device holds it now: the first action's
    # due date moved, the second removed, a fourth added, the agreements changed (not pushed).
    first = old_action("Cv bijwerken", "cliënt", due="2026-12-15")
    second = old_action("Gesprek met het werkleerbedrijf", USERNAME, status="in_progress")
    third = old_action("Taalles volgen", PARTNER, due="2027-02-01")
    fourth = old_action("Intake schuldhulp", "Schuldhulp Noord-Groningen")
    first_now = {**first, "due_date": "2027-01-10"}
    on_server = [first, second, third]
    held = [first_now, third, fourth]
    # The plan never sent: its create carries the list.
    own = old_action("Solliciteren bij de zorg", "de cliënt", status="done")
    caseworkers = old_action("Werkgever bellen", USERNAME, due="2026-12-20")
    fresh = old_plan(client.id, [own, caseworkers], agreements="Eerste versie.")
    synced = old_plan(client.id, held, agreements="Elke week een gesprek.")

    with engine.begin() as conn:
        fields = client.to_fields()
        _insert(
            conn,
            "clients",
            {
                "id": client.id,
                **fields,
                **derived_columns("client", fields),
                "version": 3,
                "updated_at": AT,
                "deleted": False,
            },
        )
        _insert(
            conn,
            "client_plans",
            {"id": synced_id, **synced, "version": 1, "updated_at": AT, "deleted": False},
        )
        _insert(
            conn,
            "client_plans",
            {"id": unsynced_id, **fresh, "version": None, "updated_at": AT, "deleted": False},
        )
        for op, record_id, base_version, base, new in (
            ("create", unsynced_id, None, {}, fresh),
            (
                "update",
                synced_id,
                1,
                {"actions": on_server, "agreements": "Elke twee weken een gesprek."},
                {"actions": held, "agreements": "Elke week een gesprek."},
            ),
        ):
            _insert(
                conn,
                "journal",
                {
                    "mutation_id": str(uuid.uuid4()),
                    "entity": "client_plan",
                    "record_id": record_id,
                    "client_id": client.id,
                    "op": op,
                    "base_version": base_version,
                    "base_values": base,
                    "new_values": new,
                    "created_at": AT,
                },
            )
    before = _journal_rows(engine)
    assert [e["seq"] for e in before] == [1, 2]

    run_alembic(engine, "upgrade", "head")
    assert current_revision(engine) == head_revision()
    assert "actions" not in _columns(engine, "client_plans")

    # Every action a row of its own: the same id, the list's order, the owner read as a party.
    with engine.connect() as conn:
        rows = {
            str(r["id"]): dict(r)
            for r in conn.execute(select(ENTITY_TABLES["plan_action"])).mappings()
        }
    bookkeeping = ("id", "version", "updated_at", "deleted")
    expected = {
        first["id"]: (as_row(first_now, synced_id, client.id, 0, owner="client"), 1),
        third["id"]: (
            as_row(third, synced_id, client.id, 1, owner="partner", partner=PARTNER),
            1,
        ),
        fourth["id"]: (
            as_row(
                fourth,
                synced_id,
                client.id,
                2,
                owner="partner",
                partner="Schuldhulp Noord-Groningen",
            ),
            # Added by the unpushed update: not on the server yet, though its plan is (its
            # create entry follows below; the server's answer sets the version).
            ANY_VERSION,
        ),
        own["id"]: (as_row(own, unsynced_id, client.id, 0, owner="client"), None),
        caseworkers["id"]: (
            as_row(caseworkers, unsynced_id, client.id, 1, owner="caseworker"),
            None,
        ),
    }
    assert set(rows) == set(expected)
    for action_id, (values, version) in expected.items():
        row = rows[action_id]
        assert {k: v for k, v in row.items() if k not in bookkeeping} == values, action_id
        if version is not ANY_VERSION:
            assert row["version"] == version, action_id
        assert (row["updated_at"], row["deleted"]) == (AT, False)

    # The pending entries keep their place and everything but the list ...
    after = _journal_rows(engine)
    kept = after[: len(before)]
    assert [(e["seq"], e["mutation_id"], e["op"], e["record_id"]) for e in kept] == [
        (e["seq"], e["mutation_id"], e["op"], e["record_id"]) for e in before
    ]
    assert kept[0]["new_values"] == {k: v for k, v in fresh.items() if k != "actions"}
    assert kept[0]["base_values"] == {}
    assert (kept[1]["base_values"], kept[1]["new_values"]) == (
        {"agreements": "Elke twee weken een gesprek."},
        {"agreements": "Elke week een gesprek."},
    )
    assert all(
        "actions" not in e["new_values"] and "actions" not in e["base_values"] for e in after
    )
    # ... and the actions' changes follow them, in order: the new plan's actions created with
    # it; of the synced plan the changed one (and the one that moved up) updated, the new one
    # created, the removed one deleted.
    added = after[len(before) :]
    assert [e["seq"] for e in added] == list(range(3, 3 + len(added)))
    assert [
        (e["entity"], e["op"], e["record_id"], e["base_values"], e["new_values"]) for e in added
    ] == [
        ("plan_action", "create", own["id"], {}, expected[own["id"]][0]),
        ("plan_action", "create", caseworkers["id"], {}, expected[caseworkers["id"]][0]),
        (
            "plan_action",
            "update",
            first["id"],
            {"due_date": "2026-12-15"},
            {"due_date": "2027-01-10"},
        ),
        ("plan_action", "update", third["id"], {"rank": 2}, {"rank": 1}),
        ("plan_action", "create", fourth["id"], {}, expected[fourth["id"]][0]),
        ("plan_action", "delete", second["id"], {}, {}),
    ]
    for entry in added:
        assert entry["client_id"] == client.id and entry["base_version"] is None
        assert entry["created_at"]
    assert len({e["mutation_id"] for e in after}) == len(after)

    # The app reads it all: the plan tab's versions with their actions, and the journal.
    store = Store(engine, actor=USERNAME, clock=TickingClock())
    try:
        view = plan_service.plan_view(store, client.id)
        version = view.version(synced_id)
        assert version is not None
        assert [(a.id, a.owner, a.partner, a.rank) for a in version.actions] == [
            (first["id"], ActionOwner.CLIENT, "", 0),
            (third["id"], ActionOwner.PARTNER, PARTNER, 1),
            (fourth["id"], ActionOwner.PARTNER, "Schuldhulp Noord-Groningen", 2),
        ]
        fresh_version = view.version(unsynced_id)
        assert fresh_version is not None
        assert [(a.id, a.owner, a.status) for a in fresh_version.actions] == [
            (own["id"], ActionOwner.CLIENT, ActionStatus.DONE),
            (caseworkers["id"], ActionOwner.CASEWORKER, ActionStatus.OPEN),
        ]
        assert [(e.entity, e.op) for e in store.journal_entries()] == [
            (e["entity"], e["op"]) for e in after
        ]
    finally:
        store.close()

    # Back to 0003: each plan's list again, from its rows, in their order.
    run_alembic(engine, "downgrade", "0003")
    assert current_revision(engine) == "0003"
    assert "plan_actions" not in inspect(engine).get_table_names()
    assert {"actions"} <= _columns(engine, "client_plans")

    def listed(action: dict[str, Any], owner: str) -> dict[str, Any]:
        return {**action, "owner": owner}

    assert _device_plan_list(engine, synced_id) == [
        listed(first_now, "client"),
        listed(third, PARTNER),
        listed(fourth, "Schuldhulp Noord-Groningen"),
    ]
    assert _device_plan_list(engine, unsynced_id) == [
        listed(own, "client"),
        listed(caseworkers, "caseworker"),
    ]


# ------------------------------------------------------------------------------------ server


def _downgrade_to(engine: Engine, revision: str) -> None:
    config = server_alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)


def _server_plans(engine: Engine) -> dict[str, dict[str, Any]]:
    with engine.connect() as conn:
        table = Table("client_plans", MetaData(), autoload_with=conn)
        return {str(r["id"]): dict(r) for r in conn.execute(select(table)).mappings()}


def _counter(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(sa.text("SELECT value FROM sync_counter WHERE id = 1")).scalar_one()
        )


def _server_fixture(engine: Engine) -> dict[str, Any]:
    """At 0006: a client with a live plan (three actions), a deleted plan (two) and a plan
    without actions."""
    intake_review._upgrade_to(engine, "0006")
    client = fake_client(1, "111222333", caseworker=USERNAME)
    stamp = {
        "version": 2,
        "deleted": False,
        "updated_at": datetime(2026, 11, 30, 9, 0, tzinfo=UTC),
        "updated_by": USERNAME,
        "position": 4,
    }
    live = [
        old_action("Cv bijwerken", "cliënt", due="2026-12-15"),
        old_action("Gesprek met het werkleerbedrijf", USERNAME, status="in_progress"),
        old_action("Taalles volgen", PARTNER, due="2027-02-01"),
    ]
    gone = [old_action("Oude actie", "klant"), old_action("Nog een", "Werkplein")]
    ids = {"live": str(uuid.uuid4()), "gone": str(uuid.uuid4()), "empty": str(uuid.uuid4())}
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE sync_counter SET value = 7 WHERE id = 1"))
        _insert(conn, "clients", {"id": client.id, **client.to_fields(), **stamp})
        _insert(conn, "client_plans", {"id": ids["live"], **old_plan(client.id, live), **stamp})
        _insert(
            conn,
            "client_plans",
            {
                "id": ids["gone"],
                **old_plan(client.id, gone, revision=2),
                **stamp,
                "deleted": True,
            },
        )
        _insert(conn, "client_plans", {"id": ids["empty"], **old_plan(client.id, []), **stamp})
    return {"client": client, "ids": ids, "live": live, "gone": gone}


def _server_actions(engine: Engine) -> dict[str, dict[str, Any]]:
    with engine.connect() as conn:
        return {str(r["id"]): dict(r) for r in conn.execute(select(server_plan_actions)).mappings()}


def test_server_migration_0007_makes_actions_rows_in_one_feed_position(
    blank_engine: Engine,
) -> None:
    engine = blank_engine
    made = _server_fixture(engine)
    client_id, ids, live, gone = made["client"].id, made["ids"], made["live"], made["gone"]
    old = _server_plans(engine)

    server_upgrade(engine)
    assert "actions" not in _columns(engine, "client_plans")
    rows = _server_actions(engine)
    expected = {
        live[0]["id"]: (as_row(live[0], ids["live"], client_id, 0, owner="client"), False),
        live[1]["id"]: (as_row(live[1], ids["live"], client_id, 1, owner="caseworker"), False),
        live[2]["id"]: (
            as_row(live[2], ids["live"], client_id, 2, owner="partner", partner=PARTNER),
            False,
        ),
        gone[0]["id"]: (as_row(gone[0], ids["gone"], client_id, 0, owner="client"), True),
        gone[1]["id"]: (
            as_row(gone[1], ids["gone"], client_id, 1, owner="partner", partner="Werkplein"),
            True,
        ),
    }
    assert set(rows) == set(expected)
    bookkeeping = ("id", "version", "deleted", "updated_at", "updated_by", "position")
    for action_id, (values, deleted) in expected.items():
        row = rows[action_id]
        assert {k: v for k, v in row.items() if k not in bookkeeping} == values, action_id
        assert (row["version"], row["deleted"], row["updated_by"]) == (1, deleted, "migration")
        assert row["updated_at"] is not None
    # One new position for the batch, after everything before it: devices pull them.
    assert {row["position"] for row in rows.values()} == {8}
    assert _counter(engine) == 8
    # The plans themselves are as they were.
    plans = _server_plans(engine)
    for plan_id, was in old.items():
        assert {k: v for k, v in plans[plan_id].items() if k in was} == {
            k: v for k, v in was.items() if k != "actions" and k in plans[plan_id]
        }
    assert plans[ids["gone"]]["deleted"] is True

    # Back to 0006: each plan's list again, from its rows (a deleted plan's too).
    _downgrade_to(engine, "0006")
    plans = _server_plans(engine)
    assert "plan_actions" not in inspect(engine).get_table_names()

    def listed(action: dict[str, Any], owner: str) -> dict[str, Any]:
        return {**action, "owner": owner}

    assert plans[ids["live"]]["actions"] == [
        listed(live[0], "client"),
        listed(live[1], "caseworker"),
        listed(live[2], PARTNER),
    ]
    assert plans[ids["gone"]]["actions"] == [
        listed(gone[0], "client"),
        listed(gone[1], "Werkplein"),
    ]
    assert plans[ids["empty"]]["actions"] == []


def test_server_downgrade_leaves_out_an_action_removed_since(blank_engine: Engine) -> None:
    engine = blank_engine
    made = _server_fixture(engine)
    live, plan_id = made["live"], made["ids"]["live"]
    server_upgrade(engine)
    # A device removes the second action of the live plan (as push does: a tombstone).
    with engine.begin() as conn:
        conn.execute(
            sa.update(server_plan_actions)
            .where(server_plan_actions.c.id == live[1]["id"])
            .values(deleted=True, version=2, position=None, updated_by=USERNAME)
        )
    _downgrade_to(engine, "0006")
    assert [a["id"] for a in _server_plans(engine)[plan_id]["actions"]] == [
        live[0]["id"],
        live[2]["id"],
    ]
