"""Databases of every released schema must open and migrate losslessly (SECURITY.md S15).

Each file under `released/` is a small encrypted database written by the app at that schema,
holding generated people only, under a published test key. When a migration is added, these files
stay as they are: this test then proves the upgrade keeps every row, the journal and the audit
chain. Add a file for each schema that ships.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, MetaData, Table, inspect, select

from app.storage.engine import open_engine
from app.storage.migrations.runner import current_revision, head_revision, upgrade_database
from app.storage.store import Store
from app.storage.tables import ENTITY_TABLES, journal

flatten_scores = importlib.import_module(
    "app.storage.migrations.versions.0003_intake_review"
).flatten_scores

RELEASED = sorted((Path(__file__).parent / "released").glob("schema-*.db"))
TEST_KEY = bytes(range(32))
# The entries written at that schema, plus (from 0004 on) a create per action of a plan that was
# never synced: an action is a record of its own, sent on its own.
EXPECTED_PENDING = {"schema-0001.db": 118 + 29}
EXPECTED_ACTIONS = {"schema-0001.db": 29}


# Columns a later migration reshapes on purpose; what they held is compared on its own below.
RESHAPED = {"intakes": {"scores", "review_comments"}, "journal": {"base_values", "new_values"}}


def _content(
    engine: Engine, kept: dict[str, set[str]] | None = None, *, journal_upto: int | None = None
) -> dict[str, tuple[int, str]]:
    """Row count and a hash of the rows' values in every column that exists both before and
    after the upgrade, per table (bookkeeping included). `kept` is filled with the columns
    compared, or (after the upgrade) says which to compare. `journal_upto`: only the journal
    entries up to this sequence number (those the migration may add come after)."""
    result = {}
    with engine.connect() as conn:
        for name in [*(t.name for t in ENTITY_TABLES.values()), journal.name]:
            if not inspect(conn).has_table(name):
                continue
            table = Table(name, MetaData(), autoload_with=conn)
            columns = sorted(
                c
                for c in (column.name for column in table.c)
                if c in _LATEST[name]
                and c not in RESHAPED.get(name, ())
                and (kept is None or name not in kept or c in kept[name])
            )
            if kept is not None:
                kept.setdefault(name, set(columns))
            query = select(*(table.c[c] for c in columns)).order_by(*table.primary_key.columns)
            if name == journal.name and journal_upto is not None:
                query = query.where(table.c.seq <= journal_upto)
            rows = conn.execute(query).all()
            digest = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
            result[name] = (len(rows), digest)
    return result


_LATEST = {t.name: set(t.c.keys()) for t in [*ENTITY_TABLES.values(), journal]}


def _scores(engine: Engine) -> dict[str, dict[str, object]]:
    """Each intake's answers per life domain, from the old JSON or the new columns."""
    with engine.connect() as conn:
        table = Table("intakes", MetaData(), autoload_with=conn)
        found: dict[str, dict[str, object]] = {}
        for row in conn.execute(select(table)).mappings():
            if "scores" in row:
                found[row["id"]] = flatten_scores(row["scores"])
            else:
                found[row["id"]] = {
                    k: v
                    for k, v in row.items()
                    if (k.startswith("score_") and v is not None)
                    or (k.startswith("remark_") and f"score_{k[7:]}" in row)
                    and (v or row[f"score_{k[7:]}"] is not None)
                }
        return found


def _journal_values(engine: Engine) -> list[tuple[int, dict[str, object], dict[str, object]]]:
    """The journal's values, with an old scores JSON read as the per-domain fields and a plan's
    old actions list left out (its actions are compared as records of their own)."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(journal.c.seq, journal.c.base_values, journal.c.new_values).order_by(
                journal.c.seq
            )
        )
        return [(seq, _flat(base), _flat(new)) for seq, base, new in rows.all()]


def _flat(values: dict[str, object]) -> dict[str, object]:
    values = {k: v for k, v in values.items() if k != "actions"}
    if "scores" not in values:
        return values
    rest = {k: v for k, v in values.items() if k not in ("scores", "review_comments")}
    return {**rest, **flatten_scores(values["scores"])}


def _old_actions(engine: Engine) -> dict[str, tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Before 0004: per plan id, the plan's row and its JSON list of actions."""
    with engine.connect() as conn:
        table = Table("client_plans", MetaData(), autoload_with=conn)
        if "actions" not in table.c:
            return {}
        return {
            str(row["id"]): (dict(row), list(_json(row["actions"]) or ()))
            for row in conn.execute(select(table)).mappings()
        }


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _expected_row(plan: dict[str, Any], action: dict[str, Any], rank: int) -> dict[str, Any]:
    """An old JSON action as the plan_actions row it must become: the same id, words, due date
    and progress, its owner read as client, caseworker or partner, in the list's order."""
    owner = str(action.get("owner") or "")
    if owner.casefold() in {"cliënt", "client", "de cliënt", "klant"} or not owner:
        who, partner = "client", ""
    elif owner == plan["caseworker"]:
        who, partner = "caseworker", ""
    else:
        who, partner = "partner", owner
    return {
        "id": action["id"],
        "client_id": plan["client_id"],
        "plan_id": plan["id"],
        "description": action["description"],
        "owner": who,
        "partner": partner,
        "due_date": action.get("due_date"),
        "status": action["status"],
        "rank": rank,
        "version": 1 if plan["version"] is not None else None,
        "updated_at": plan["updated_at"],
        "deleted": False,
    }


def test_every_released_schema_has_a_file() -> None:
    assert [p.name for p in RELEASED] == ["schema-0001.db"]


@pytest.mark.parametrize("released", RELEASED, ids=lambda p: p.name)
def test_released_database_migrates_losslessly(released: Path, tmp_path: Path) -> None:
    path = tmp_path / "veldwerk.db"
    shutil.copyfile(released, path)
    engine = open_engine(path, TEST_KEY)
    compared: dict[str, set[str]] = {}
    before = _content(engine, compared), _scores(engine), _journal_values(engine)
    last_seq = max((seq for seq, _, _ in before[2]), default=0)
    plans = _old_actions(engine)
    upgrade_database(engine, backup_dir=tmp_path / "backups")
    assert current_revision(engine) == head_revision()
    journal_after = _journal_values(engine)
    after = (
        _content(engine, compared, journal_upto=last_seq),
        _scores(engine),
        journal_after[: len(before[2])],
    )
    new_tables = {name: after[0].pop(name) for name in set(after[0]) - set(before[0])}
    actions = new_tables.pop("plan_actions")
    assert after == before
    assert all(count == 0 for count, _ in new_tables.values())
    assert any(before[1].values()), "the released file holds scored intakes"

    # Every action of every plan became a row of its own, nothing else did.
    expected = {
        action["id"]: _expected_row(plan, action, rank)
        for plan, old in plans.values()
        for rank, action in enumerate(old)
    }
    assert actions[0] == len(expected) == EXPECTED_ACTIONS[released.name]
    with engine.connect() as conn:
        rows = {
            row["id"]: dict(row)
            for row in conn.execute(select(ENTITY_TABLES["plan_action"])).mappings()
        }
        added = conn.execute(
            select(journal).where(journal.c.seq > last_seq).order_by(journal.c.seq)
        ).mappings()
        added_entries = [dict(entry) for entry in added]
    assert rows == expected
    # An action of a plan not sent yet goes up with it: a create entry of its own, carrying
    # the row's fields; an action of a synced plan is on the server already.
    unsynced = {k: v for k, v in expected.items() if v["version"] is None}
    assert sorted((e["entity"], e["op"], e["record_id"]) for e in added_entries) == sorted(
        ("plan_action", "create", action_id) for action_id in unsynced
    )
    for entry in added_entries:
        row = unsynced[entry["record_id"]]
        assert entry["client_id"] == row["client_id"]
        assert entry["base_version"] is None and entry["base_values"] == {}
        assert entry["new_values"] == {
            k: v for k, v in row.items() if k not in ("id", "version", "updated_at", "deleted")
        }
    assert [(seq, base, new) for seq, base, new in journal_after[len(before[2]) :]] == [
        (e["seq"], e["base_values"], e["new_values"]) for e in added_entries
    ]
    store = Store(engine, actor="k.dijkstra")
    try:
        assert store.pending_count() == EXPECTED_PENDING[released.name]
        assert store.verify_audit() > 0
        assert store.search("a")  # the search index came along
    finally:
        store.close()
