"""Local migrations: Alembic over the keyed connection, with an encrypted backup beforehand."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3.dbapi2 as sqlcipher
from alembic import command
from sqlalchemy import Engine, inspect

from app.domain.errors import VeldwerkError
from app.storage.engine import check_open, open_engine
from app.storage.migrations import runner
from app.storage.migrations.runner import (
    KEEP_BACKUPS,
    alembic_config,
    backup_database,
    current_revision,
    head_revision,
    upgrade_database,
)
from app.storage.store import Store
from app.storage.tables import metadata

from .conftest import TickingClock, make_client, make_note, one_of_each, valid_bsns

SQLITE_HEADER = b"SQLite format 3\x00"
TRIGGERS = {
    "clients_search_insert",
    "clients_search_update",
    "clients_search_delete",
    "audit_events_no_update",
    "audit_events_no_delete",
}
MODEL_TABLES = set(metadata.tables)


@pytest.fixture
def key() -> bytes:
    return os.urandom(32)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "migrate" / "veldwerk.db"


@pytest.fixture
def backup_dir(tmp_path: Path) -> Path:
    return tmp_path / "migrate" / "backups"


@pytest.fixture
def engine(db_path: Path, key: bytes) -> Iterator[Engine]:
    db_path.parent.mkdir(mode=0o700)
    engine = open_engine(db_path, key)
    check_open(engine)
    yield engine
    engine.dispose()


def schema(engine: Engine, kind: str) -> set[str]:
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite_%'", (kind,)
        ).all()
    return {str(row[0]) for row in rows}


def run_alembic(engine: Engine, action: str, target: str) -> None:
    """Run an Alembic command the way runner.upgrade_database does: on a keyed connection."""
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        getattr(command, action)(config, target)


def fill(engine: Engine) -> None:
    store = Store(engine, actor="k.dijkstra", clock=TickingClock())
    for bsn in valid_bsns(5):
        for record in one_of_each(make_client(bsn=bsn, surname=f"Migratie{bsn[:3]}")):
            store.create(record)
    client = store.caseload(limit=1)[0]
    store.create(make_note(client.id, "Nog een notitie"))


def row_counts_of(conn: Any) -> dict[str, int]:
    return {
        table: int(conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
        for table in sorted(MODEL_TABLES)
    }


def row_counts(engine: Engine) -> dict[str, int]:
    raw = engine.raw_connection()
    try:
        return row_counts_of(raw.cursor())
    finally:
        raw.close()


def open_raw(path: Path, key: bytes | None) -> sqlcipher.Connection:
    conn = sqlcipher.connect(str(path))
    if key is not None:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute("PRAGMA cipher_log_level = NONE")
    return conn


# ---------------------------------------------------------------------------------- upgrading


def test_an_empty_database_is_migrated_to_head(engine: Engine, backup_dir: Path) -> None:
    assert current_revision(engine) is None
    assert upgrade_database(engine, backup_dir=backup_dir) is True
    assert head_revision() is not None
    assert current_revision(engine) == head_revision()
    tables = schema(engine, "table")
    assert tables >= MODEL_TABLES
    assert {"alembic_version", "client_search"} <= tables
    assert schema(engine, "trigger") >= TRIGGERS
    with engine.connect() as conn:
        (sql,) = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE name = 'client_search'"
        ).one()
    assert "fts5" in sql and "remove_diacritics 2" in sql
    # A brand-new database has nothing worth backing up.
    assert not backup_dir.exists()


def test_upgrading_a_database_at_head_is_a_no_op(engine: Engine, backup_dir: Path) -> None:
    upgrade_database(engine, backup_dir=backup_dir)
    fill(engine)
    before = (schema(engine, "table"), schema(engine, "trigger"), schema(engine, "index"))
    counts = row_counts(engine)
    assert upgrade_database(engine, backup_dir=backup_dir) is False
    assert not backup_dir.exists()
    assert (schema(engine, "table"), schema(engine, "trigger"), schema(engine, "index")) == before
    assert row_counts(engine) == counts


def test_downgrade_to_base_and_upgrade_again(engine: Engine, backup_dir: Path) -> None:
    upgrade_database(engine, backup_dir=backup_dir)
    fill(engine)
    run_alembic(engine, "downgrade", "base")
    assert current_revision(engine) is None
    assert schema(engine, "table") == {"alembic_version"}
    assert schema(engine, "trigger") == set()
    assert schema(engine, "index") == set()

    assert upgrade_database(engine, backup_dir=backup_dir) is True
    assert current_revision(engine) == head_revision()
    assert schema(engine, "trigger") >= TRIGGERS
    store = Store(engine, actor="k.dijkstra", clock=TickingClock())
    client = store.create(make_client(surname="Opnieuw"))
    assert [s.id for s in store.search("opnieuw")] == [client.id]
    assert store.verify_audit() == 1
    assert store.count(type(client)) == 1


def test_alembic_check_finds_no_difference_between_models_and_migrations(
    engine: Engine, backup_dir: Path
) -> None:
    upgrade_database(engine, backup_dir=backup_dir)
    config = alembic_config()
    with engine.connect() as conn:
        config.attributes["connection"] = conn
        command.check(config)  # raises AutogenerateDiffsDetected on any difference


def test_the_schema_matches_the_models_column_for_column(engine: Engine, backup_dir: Path) -> None:
    upgrade_database(engine, backup_dir=backup_dir)
    with engine.connect() as conn:
        inspector = inspect(conn)
        for name, table in metadata.tables.items():
            columns = {c["name"]: c["nullable"] for c in inspector.get_columns(name)}
            assert columns == {c.name: c.nullable for c in table.columns}, name


def test_a_failing_migration_leaves_the_database_as_it_was(
    engine: Engine, backup_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_upgrade = command.upgrade

    def upgrade_then_fail(config: Any, revision: str, **kwargs: Any) -> None:
        real_upgrade(config, revision, **kwargs)
        raise RuntimeError("power cut at the end of the migration")

    monkeypatch.setattr(command, "upgrade", upgrade_then_fail)
    with pytest.raises(RuntimeError, match="power cut"):
        upgrade_database(engine, backup_dir=backup_dir)
    assert current_revision(engine) is None
    assert schema(engine, "table") == set()


def test_a_pending_migration_is_preceded_by_an_encrypted_backup(
    engine: Engine, backup_dir: Path, key: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    upgrade_database(engine, backup_dir=backup_dir)
    fill(engine)
    counts = row_counts(engine)
    at_migration: list[list[Path]] = []
    real_upgrade = command.upgrade

    def spy(config: Any, revision: str, **kwargs: Any) -> None:
        at_migration.append(sorted(backup_dir.glob("*.db")))
        real_upgrade(config, revision, **kwargs)

    # Pretend the app ships a newer revision than the database has.
    real_head = runner.head_revision()
    monkeypatch.setattr(runner, "head_revision", lambda: "9999_pending")
    monkeypatch.setattr(command, "upgrade", spy)
    assert upgrade_database(engine, backup_dir=backup_dir) is True

    (backups_seen,) = at_migration
    (backup,) = backups_seen  # the backup existed before the migration started
    assert backup.name.endswith(f"-before-{real_head}.db")
    assert backup.read_bytes()[:16] != SQLITE_HEADER
    conn = open_raw(backup, key)
    try:
        assert row_counts_of(conn) == counts
    finally:
        conn.close()


def test_a_database_from_a_newer_app_is_refused_untouched(engine: Engine, backup_dir: Path) -> None:
    """A database stamped by a newer release (the user went back to an older app) must give a
    clear Veldwerk error, and must not take (and prune) backups on every unlock attempt."""
    upgrade_database(engine, backup_dir=backup_dir)
    fill(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    counts = row_counts(engine)
    for _ in range(KEEP_BACKUPS + 1):
        with pytest.raises(VeldwerkError):
            upgrade_database(engine, backup_dir=backup_dir)
    assert not backup_dir.exists() or list(backup_dir.iterdir()) == []
    assert row_counts(engine) == counts
    assert current_revision(engine) == "9999_from_the_future"


# ------------------------------------------------------------------------------------ backups


def test_backup_is_encrypted_private_and_complete(
    engine: Engine, backup_dir: Path, key: bytes
) -> None:
    upgrade_database(engine, backup_dir=backup_dir)
    fill(engine)
    counts = row_counts(engine)
    assert (
        counts["clients"] == 5 and counts["audit_events"] == 56
    )  # one create per record of one_of_each, plus the view

    backup = backup_database(engine, backup_dir, label="handmatig")

    assert backup.exists() and backup.parent == backup_dir
    assert backup.name.endswith("-handmatig.db")
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert stat.S_IMODE(backup_dir.stat().st_mode) == 0o700
    assert list(backup_dir.glob("*.partial")) == []
    head = backup.read_bytes()[:16]
    assert head != SQLITE_HEADER
    assert b"SQLite" not in head

    conn = open_raw(backup, key)
    try:
        assert row_counts_of(conn) == counts
        (bsn,) = conn.execute("SELECT bsn FROM clients ORDER BY bsn LIMIT 1").fetchone()
        assert bsn == valid_bsns(1)[0]
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()


@pytest.mark.parametrize("wrong", [None, b"\x00" * 32], ids=["no key", "wrong key"])
def test_backup_does_not_open_without_the_key(
    engine: Engine, backup_dir: Path, wrong: bytes | None
) -> None:
    upgrade_database(engine, backup_dir=backup_dir)
    fill(engine)
    backup = backup_database(engine, backup_dir, label="x")
    conn = open_raw(backup, wrong)
    try:
        with pytest.raises(sqlcipher.DatabaseError):
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        conn.close()


def test_only_the_newest_backups_are_kept(engine: Engine, backup_dir: Path) -> None:
    upgrade_database(engine, backup_dir=backup_dir)
    made = [backup_database(engine, backup_dir, label=f"n{i}") for i in range(KEEP_BACKUPS + 2)]
    assert sorted(backup_dir.glob("*.db")) == made[-KEEP_BACKUPS:]
