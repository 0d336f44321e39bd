"""The SQLCipher engine: keyed with a raw key, refusing a wrong one quietly, pragmas in force."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Engine

from app.storage.engine import (
    KEY_BYTES,
    READ_ONLY,
    WrongKeyError,
    check_open,
    open_engine,
    read_transaction,
)
from app.storage.migrations.runner import upgrade_database
from app.storage.store import Store

from .conftest import TickingClock, make_client


@pytest.fixture
def key() -> bytes:
    return os.urandom(KEY_BYTES)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "veldwerk.db"


@pytest.fixture
def migrated(db_path: Path, key: bytes) -> Iterator[Engine]:
    engine = open_engine(db_path, key)
    check_open(engine)
    upgrade_database(engine, backup_dir=db_path.parent / "backups")
    store = Store(engine, actor="k.dijkstra", clock=TickingClock())
    store.create(make_client())
    yield engine
    engine.dispose()


def pragma(engine: Engine, name: str) -> Any:
    with engine.connect() as conn:
        return conn.exec_driver_sql(f"PRAGMA {name}").scalar_one()


def test_a_wrong_key_is_refused_quietly(
    migrated: Engine, db_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    migrated.dispose()
    size = db_path.stat().st_size
    capfd.readouterr()
    wrong = open_engine(db_path, os.urandom(KEY_BYTES))
    with pytest.raises(WrongKeyError) as caught:
        check_open(wrong)
    assert caught.value.code == "database_key_rejected"
    out, err = capfd.readouterr()
    # SQLCipher logs a wrong key to stderr by default; the engine silences that.
    assert err == ""
    assert out == ""
    assert db_path.stat().st_size == size


def test_a_wrong_key_on_each_new_connection_is_refused(migrated: Engine, db_path: Path) -> None:
    migrated.dispose()
    wrong = open_engine(db_path, b"\x00" * KEY_BYTES)
    for _ in range(2):
        with pytest.raises(WrongKeyError):
            check_open(wrong)


def test_the_right_key_opens_again(migrated: Engine, db_path: Path, key: bytes) -> None:
    migrated.dispose()
    again = open_engine(db_path, key)
    try:
        check_open(again)
        with again.connect() as conn:
            surname = conn.exec_driver_sql("SELECT surname FROM clients").scalar_one()
        assert surname == "Dijkstra"
    finally:
        again.dispose()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("journal_mode", "wal"),
        ("synchronous", 2),  # FULL
        ("foreign_keys", 1),
        ("secure_delete", 1),
        ("temp_store", 2),  # MEMORY: SQLCipher does not encrypt temp files
        ("busy_timeout", 5000),
    ],
)
def test_pragmas_in_force_on_a_pooled_connection(
    migrated: Engine, name: str, expected: object
) -> None:
    assert pragma(migrated, name) == expected


def test_pragmas_hold_on_every_connection_of_the_pool(migrated: Engine) -> None:
    # Readers (deferred BEGIN), so the three can be open at once; each is a distinct connection.
    connections = [migrated.connect().execution_options(**{READ_ONLY: True}) for _ in range(3)]
    try:
        for conn in connections:
            values = [
                conn.exec_driver_sql(f"PRAGMA {name}").scalar_one()
                for name in ("temp_store", "secure_delete", "foreign_keys", "synchronous")
            ]
            assert values == [2, 1, 1, 2]
        raw = {id(conn.connection.dbapi_connection) for conn in connections}
        assert len(raw) == 3
    finally:
        for conn in connections:
            conn.close()


def test_a_none_is_bound_as_null_through_the_registered_adapter(migrated: Engine) -> None:
    """sqlcipher3 binds None quickly only through an adapter (app.storage.engine registers
    one): it must be found in the registry, and what it binds must still be NULL, in a
    statement beside other values and in a row written through the store."""
    assert (type(None), sqlcipher.PrepareProtocol) in sqlcipher.adapters
    store = Store(migrated, actor="k.dijkstra", clock=TickingClock())
    client = store.create(make_client(bsn="123456782", participation_step=None))
    with migrated.connect() as conn:
        row = conn.exec_driver_sql(
            "SELECT ?, typeof(?), ?, typeof(?)", (None, None, 7, "zeven")
        ).one()
        stored = conn.exec_driver_sql(
            "SELECT typeof(participation_step) FROM clients WHERE id = ?", (client.id,)
        ).scalar_one()
    assert tuple(row) == (None, "null", 7, "text")
    assert stored == "null"


def test_a_read_transaction_neither_takes_nor_waits_for_the_write_lock(migrated: Engine) -> None:
    with migrated.begin() as writer:  # BEGIN IMMEDIATE: the write lock, held
        writer.exec_driver_sql("UPDATE clients SET village = 'Ulrum'")
        with read_transaction(migrated) as reader:
            # The snapshot from before the writer's uncommitted change.
            village = reader.exec_driver_sql("SELECT village FROM clients").scalar_one()
            assert village == "Zoutkamp"
            assert reader.exec_driver_sql("PRAGMA query_only").scalar_one() == 1
    # Back in the pool every connection (the reader's among them) may write again.
    connections = [migrated.connect().execution_options(**{READ_ONLY: True}) for _ in range(5)]
    try:
        assert [c.exec_driver_sql("PRAGMA query_only").scalar_one() for c in connections] == [0] * 5
    finally:
        for conn in connections:
            conn.close()


def test_it_is_sqlcipher_4(migrated: Engine) -> None:
    version = str(pragma(migrated, "cipher_version"))
    assert version.startswith("4.")
    assert pragma(migrated, "cipher_log_level") == "NONE"


def test_the_file_has_no_plaintext_header(migrated: Engine, db_path: Path) -> None:
    migrated.dispose()
    assert db_path.read_bytes()[:16] != b"SQLite format 3\x00"


@pytest.mark.parametrize("length", [0, 16, 31, 33, 64])
def test_a_key_of_the_wrong_length_is_refused(db_path: Path, length: int) -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        open_engine(db_path, b"k" * length)
    assert not db_path.exists()


def test_a_text_key_is_refused_before_any_sql(db_path: Path) -> None:
    """A passphrase can never reach the PRAGMA: the key must be bytes."""
    typed = "x' ; ATTACH DATABASE 'p.db' AS p KEY ''; --"
    typed = (typed + " " * KEY_BYTES)[:KEY_BYTES]
    assert len(typed) == KEY_BYTES
    with pytest.raises((TypeError, AttributeError)):
        open_engine(db_path, cast(Any, typed))
    assert not db_path.exists()
    assert not (db_path.parent / "p.db").exists()


def test_a_key_made_of_quote_bytes_works(db_path: Path) -> None:
    """The key is formatted as hex digits, so bytes that look like quotes cannot break out."""
    key = (b"'\";x" * KEY_BYTES)[:KEY_BYTES]
    engine = open_engine(db_path, key)
    try:
        check_open(engine)
        upgrade_database(engine, backup_dir=db_path.parent / "backups")
        Store(engine, actor="k.dijkstra").create(make_client())
    finally:
        engine.dispose()
    again = open_engine(db_path, key)
    try:
        check_open(again)
        with again.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM clients").scalar_one() == 1
    finally:
        again.dispose()
    assert db_path.read_bytes()[:16] != b"SQLite format 3\x00"


def test_check_open_passes_for_a_new_file(db_path: Path, key: bytes) -> None:
    engine = open_engine(db_path, key)
    try:
        check_open(engine)
        assert pragma(engine, "journal_mode") == "wal"
    finally:
        engine.dispose()
    assert db_path.exists()
