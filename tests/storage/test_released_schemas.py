"""Databases of every released schema must open and migrate losslessly (SECURITY.md S15).

Each file under `released/` is a small encrypted database written by the app at that schema,
holding generated people only, under a published test key. When a migration is added, these files
stay as they are: this test then proves the upgrade keeps every row, the journal and the audit
chain. Add a file for each schema that ships.
"""

from __future__ import annotations

import hashlib
import importlib
import shutil
from pathlib import Path

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
EXPECTED_PENDING = {"schema-0001.db": 118}


# Columns a later migration reshapes on purpose; what they held is compared on its own below.
RESHAPED = {"intakes": {"scores", "review_comments"}, "journal": {"base_values", "new_values"}}


def _content(engine: Engine, kept: dict[str, set[str]] | None = None) -> dict[str, tuple[int, str]]:
    """Row count and a hash of the rows' values in every column that exists both before and
    after the upgrade, per table (bookkeeping included). `kept` is filled with the columns
    compared, or (after the upgrade) says which to compare."""
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
            rows = conn.execute(
                select(*(table.c[c] for c in columns)).order_by(*table.primary_key.columns)
            ).all()
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
    """The journal's values, with an old scores JSON read as the per-domain fields."""
    with engine.connect() as conn:
        rows = conn.execute(select(journal.c.seq, journal.c.base_values, journal.c.new_values))
        return [(seq, _flat(base), _flat(new)) for seq, base, new in rows.all()]


def _flat(values: dict[str, object]) -> dict[str, object]:
    if "scores" not in values:
        return values
    rest = {k: v for k, v in values.items() if k not in ("scores", "review_comments")}
    return {**rest, **flatten_scores(values["scores"])}


def test_every_released_schema_has_a_file() -> None:
    assert [p.name for p in RELEASED] == ["schema-0001.db"]


@pytest.mark.parametrize("released", RELEASED, ids=lambda p: p.name)
def test_released_database_migrates_losslessly(released: Path, tmp_path: Path) -> None:
    path = tmp_path / "veldwerk.db"
    shutil.copyfile(released, path)
    engine = open_engine(path, TEST_KEY)
    compared: dict[str, set[str]] = {}
    before = _content(engine, compared), _scores(engine), _journal_values(engine)
    upgrade_database(engine, backup_dir=tmp_path / "backups")
    assert current_revision(engine) == head_revision()
    after = _content(engine, compared), _scores(engine), _journal_values(engine)
    new_tables = {name: after[0].pop(name) for name in set(after[0]) - set(before[0])}
    assert after == before
    assert all(count == 0 for count, _ in new_tables.values())
    assert any(before[1].values()), "the released file holds scored intakes"
    store = Store(engine, actor="k.dijkstra")
    try:
        assert store.pending_count() == EXPECTED_PENDING[released.name]
        assert store.verify_audit() > 0
        assert store.search("a")  # the search index came along
    finally:
        store.close()
