"""Engine and sessions. SQLite gets the pragmas it needs to behave like a real database."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pydantic_core
from psycopg.abc import Buffer
from psycopg.adapt import Loader
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

# PostgreSQL's SQLSTATEs for a transaction that lost to a concurrent one: serialization failure
# (two REPEATABLE READ page requests of one device updating its sync state), deadlock, and a
# lock not available.
_LOST_STATES = frozenset({"40001", "40P01", "55P03"})


def lost_to_concurrent(error: BaseException) -> bool:
    """Whether a database error says the transaction lost to a concurrent one, not that
    anything is wrong: rolled back, the same request can be sent again as it was."""
    if not isinstance(error, DBAPIError):
        return False
    cause = error.orig
    if getattr(cause, "sqlstate", None) in _LOST_STATES:
        return True
    # SQLite: another writer held the database past the busy timeout.
    return isinstance(cause, sqlite3.OperationalError) and "database is locked" in str(cause)


# Execution option: the statement's text values come back as the bytes PostgreSQL sent. A
# first sync's pages are records the database already wrote as JSON, megabytes a page, which go
# on the wire as they are: decoding them into str and encoding them back cost the server about
# 8 of the 88 ms it took to read the records of a 5,000-record page.
RAW_TEXT = "veldwerk_raw_text"


class _RawText(Loader):
    def load(self, data: Buffer) -> bytes:
        return bytes(data)


def _raw_text_when_asked(
    _conn: Any, cursor: Any, _statement: str, _parameters: Any, context: Any, _many: bool
) -> None:
    # Registered on this statement's cursor only (psycopg looks loaders up per cursor).
    if context is not None and context.execution_options.get(RAW_TEXT):
        cursor.adapters.register_loader("text", _RawText)


def make_engine(url: str, **kwargs: Any) -> Engine:
    # JSON columns are read by the thousand in a first sync's pages: pydantic's parser (in Rust,
    # already a dependency) reads them several times faster than the standard library's.
    kwargs.setdefault("json_deserializer", pydantic_core.from_json)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            for pragma in (
                "PRAGMA foreign_keys = ON",
                "PRAGMA journal_mode = WAL",
                "PRAGMA synchronous = FULL",
                "PRAGMA busy_timeout = 10000",
            ):
                cursor.execute(pragma)
            cursor.close()
            # Let SQLAlchemy's BEGIN (below) decide when a transaction starts.
            dbapi_connection.isolation_level = None

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    # The feed's queries are prepared by psycopg after a few runs, and PostgreSQL then plans them
    # once for any parameters: for "changed after position N" such a generic plan reads whole
    # tables (13-20 ms where the plan made for N takes 0.2 ms), so every run gets its own plan.
    connect_args = dict(kwargs.pop("connect_args", {}))
    connect_args.setdefault("options", "-c plan_cache_mode=force_custom_plan")
    engine = create_engine(url, pool_pre_ping=True, connect_args=connect_args, **kwargs)
    event.listen(engine, "before_cursor_execute", _raw_text_when_asked)
    return engine


class ServerSession(Session):
    """Our sessions: record positions in the change feed are stamped just before commit."""


@event.listens_for(ServerSession, "before_commit")
def _stamp(session: Session) -> None:
    from server.sync.feed import stamp_positions  # the feed needs the models, which need us

    # SQLAlchemy calls before_commit for a savepoint's release too. Stamping there would take the
    # counter row lock at a push's first entry and hold it for the whole request, making every
    # other writer wait; positions are taken once, when the real transaction commits.
    if session.in_nested_transaction():
        return
    stamp_positions(session)


def make_sessionmaker(engine: Engine) -> sessionmaker[ServerSession]:
    return sessionmaker(engine, class_=ServerSession, expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker[ServerSession]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    with factory() as session, session.begin():
        yield session
