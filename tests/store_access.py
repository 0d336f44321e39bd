"""Test-only access to what a Store keeps to itself: its engine.

Outside app.storage nothing touches the engine: Store methods, `Store.read_transaction` and
app.storage.queries are the way in. Tests still need it to look at raw rows, plant a trigger,
hold SQLite's write lock, take a backup, or act as a second user on the same database.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Connection, Engine

from app.storage.store import Store


def engine_of(store: Store) -> Engine:
    return store._bound()


@contextmanager
def connect(store: Store) -> Iterator[Connection]:
    """A connection as the store's writers get one: its first statement begins IMMEDIATE."""
    with engine_of(store).connect() as conn:
        yield conn


@contextmanager
def begin(store: Store) -> Iterator[Connection]:
    """A write transaction, begun at once (SQLite's write lock is held until it ends)."""
    with engine_of(store).begin() as conn:
        yield conn


def as_user(store: Store, actor: str) -> Store:
    """Another user on the same open database (closing either closes both)."""
    return Store(engine_of(store), actor=actor)


@contextmanager
def write_lock_held(store: Store) -> Iterator[None]:
    """Another connection holds SQLite's write lock (BEGIN IMMEDIATE, left open), as sync does
    while it applies a page. Proven held before the body runs: a writer that does not wait is
    refused with "database is locked"."""
    with begin(store):
        raw = engine_of(store).raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute("PRAGMA busy_timeout = 0")
            try:
                cursor.execute("BEGIN IMMEDIATE")
            except sqlcipher.OperationalError as refused:
                if "locked" not in str(refused):
                    raise
            else:
                raise AssertionError("the write lock is not held")
            finally:
                cursor.execute("PRAGMA busy_timeout = 5000")
                cursor.close()
        finally:
            raw.close()
        yield
