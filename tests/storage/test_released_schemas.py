"""Databases of every released schema must open and migrate losslessly (SECURITY.md S15).

Each file under `released/` is a small encrypted database written by the app at that schema,
holding generated people only, under a published test key. When a migration is added, these files
stay as they are: this test then proves the upgrade keeps every row, the journal and the audit
chain. Add a file for each schema that ships.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from app.storage.engine import open_engine
from app.storage.migrations.runner import current_revision, head_revision, upgrade_database
from app.storage.store import Store
from app.storage.tables import ENTITY_TABLES, journal

RELEASED = sorted((Path(__file__).parent / "released").glob("schema-*.db"))
TEST_KEY = bytes(range(32))
EXPECTED_PENDING = {"schema-0001.db": 118}


def _content(engine: Engine) -> dict[str, tuple[int, str]]:
    """Row count and a hash of the rows' field values, per table (bookkeeping included)."""
    result = {}
    with engine.connect() as conn:
        for table in [*ENTITY_TABLES.values(), journal]:
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).all()
            digest = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
            result[table.name] = (len(rows), digest)
    return result


def test_every_released_schema_has_a_file() -> None:
    assert [p.name for p in RELEASED] == ["schema-0001.db"]


@pytest.mark.parametrize("released", RELEASED, ids=lambda p: p.name)
def test_released_database_migrates_losslessly(released: Path, tmp_path: Path) -> None:
    path = tmp_path / "veldwerk.db"
    shutil.copyfile(released, path)
    engine = open_engine(path, TEST_KEY)
    before = _content(engine)
    upgrade_database(engine, backup_dir=tmp_path / "backups")
    assert current_revision(engine) == head_revision()
    after = _content(engine)
    assert after == before
    store = Store(engine, actor="k.dijkstra")
    try:
        assert store.pending_count() == EXPECTED_PENDING[released.name]
        assert store.verify_audit() > 0
        assert store.search("a")  # the search index came along
    finally:
        store.close()
