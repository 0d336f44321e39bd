"""The SQLCipher engine: SQLAlchemy 2 over the `sqlcipher3` DB-API module, keyed with a raw key.

Every pooled connection is keyed in SQLAlchemy's `connect` event before anything else touches it.
The key is formatted only from bytes (hex digits), never from text a person typed, so no quote can
break out of the PRAGMA.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pydantic_core
import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import ConnectionPoolEntry

from app.domain.errors import VeldwerkError

KEY_BYTES = 32


def _bound_as_null(_value: None) -> None:
    return None


# sqlcipher3 binds a None it has no adapter for only after looking for one on the value and on
# the protocol, about 40x an integer's cost (0.9 against 0.02 us a value): a first sync of 5,000
# clients binds 183,000 of them. With an adapter registered the lookup is found at once, and
# what is bound is the same NULL.
sqlcipher.register_adapter(type(None), _bound_as_null)

# Execution option that marks a connection as a reader (see the "begin" event).
READ_ONLY = "veldwerk_read_only"

# Per connection, in this order: the key, then silence SQLCipher's own logging (it writes to
# stderr by default, e.g. on a wrong key), then durability and the things that keep plaintext off
# disk. temp_store=MEMORY because SQLCipher does not encrypt temp files (sorts, temp tables): with
# file temp storage a large ORDER BY left a BSN in plaintext in a deleted-but-open temp file.
_PRAGMAS = (
    "PRAGMA cipher_log_level = NONE",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA secure_delete = ON",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA cache_size = -32000",
    "PRAGMA busy_timeout = 5000",
)


class WrongKeyError(VeldwerkError):
    def __init__(self) -> None:
        super().__init__(
            "database_key_rejected",
            "De database kan met deze sleutel niet worden geopend.",
            "The database cannot be opened with this key.",
        )


def _key_pragma(key: bytes) -> str:
    if len(key) != KEY_BYTES:
        raise ValueError("the data key must be 32 bytes")
    return f"PRAGMA key = \"x'{key.hex()}'\""


def key_connection(dbapi_connection: Any, key: bytes) -> None:
    """Key a raw sqlcipher3 connection and prove the key opens it (used by backups too)."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(_key_pragma(key))
        cursor.execute("PRAGMA cipher_log_level = NONE")
        try:
            cursor.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher.DatabaseError as exc:
            raise WrongKeyError() from exc
    finally:
        cursor.close()


def _json_text(value: Any) -> str:
    return pydantic_core.to_json(value).decode("utf-8")


def open_engine(path: Path, key: bytes, *, pool_size: int = 5) -> Engine:
    """An engine for the encrypted database at `path`; the file is created when missing."""
    # Refuse a bad key early, before SQLAlchemy's pool wraps the error in its own.
    if not isinstance(key, bytes):
        raise TypeError("the data key must be bytes")
    _key_pragma(key)
    # SQLite gives -wal and -shm the database file's mode, so creating it private covers all three.
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    engine = create_engine(
        f"sqlite+pysqlite:///{path}",
        module=sqlcipher,
        connect_args={"check_same_thread": False},
        pool_size=pool_size,
        max_overflow=0,
        # JSON columns (signature strokes, intake snapshots, journal values) are written and read
        # by the thousand in a first sync: pydantic's encoder and parser (Rust, already a
        # dependency) do it several times faster than the standard library's.
        json_serializer=_json_text,
        json_deserializer=pydantic_core.from_json,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        key_connection(dbapi_connection, key)
        cursor = dbapi_connection.cursor()
        try:
            for pragma in _PRAGMAS:
                cursor.execute(pragma)
        finally:
            cursor.close()
        # We emit BEGIN ourselves (below): the DB-API module's implicit transactions would start
        # too late for SQLite's locking and break SAVEPOINT handling.
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers take the write lock at the start (IMMEDIATE), so two writers queue instead of
        # failing with "database is locked" when a read transaction tries to become a write.
        # Readers begin deferred and, in WAL mode, never wait for a writer.
        read_only = conn.get_execution_options().get(READ_ONLY, False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


@contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    """One read transaction: a deferred BEGIN (the READ_ONLY option), so in WAL mode it reads a
    consistent snapshot and never takes, or waits for, SQLite's write lock.

    `query_only` makes a write in it fail at once: a deferred transaction that writes would
    try to take the write lock halfway, and fail with "database is locked" when a writer holds
    it, which is the very thing readers must never do.
    """
    with engine.connect() as conn, conn.execution_options(**{READ_ONLY: True}).begin():
        conn.exec_driver_sql("PRAGMA query_only = ON")
        try:
            yield conn
        finally:
            # The connection goes back to the pool, where a writer may get it next.
            conn.exec_driver_sql("PRAGMA query_only = OFF")


def check_open(engine: Engine) -> None:
    """Open one connection now, so a wrong key fails here with WrongKeyError."""
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except WrongKeyError:
        engine.dispose()
        raise
    except Exception as exc:  # SQLAlchemy wraps errors raised inside the connect event
        engine.dispose()
        if isinstance(getattr(exc, "orig", None), WrongKeyError) or isinstance(
            exc.__cause__, WrongKeyError
        ):
            raise WrongKeyError() from None
        raise
