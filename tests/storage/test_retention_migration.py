"""Device migration 0005 (issue #15): enrollments gain their outcome, and the client search index
forgets what is removed from it.

At 0004 a purged client's name stayed behind as terms in the FTS5 index's segments (a delete
only adds a marker). Upgraded, those terms are gone, later deletes remove theirs at once, and the
enrollments held before read as granted. Every name and BSN here is made up.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Connection, Engine, delete, text

from app.domain.client import Enrollment
from app.domain.reference import EnrollmentOutcome, Scheme
from app.storage.store import Store
from app.storage.tables import ENTITY_TABLES

from .conftest import TickingClock, make_client, valid_bsns
from .test_migrations import run_alembic

GONE = "Qqzvernietigd"
LATER = "Qqzlaterweg"


@pytest.fixture
def engine(bare_engine: Engine) -> Engine:
    return bare_engine


def _index_holds(conn: Connection, word: str) -> bool:
    blocks = conn.execute(text("SELECT block FROM client_search_data")).scalars()
    return any(word.lower().encode() in bytes(block or b"") for block in blocks)


def _drop_client(engine: Engine, client_id: str) -> None:
    with engine.begin() as conn:
        conn.execute(
            delete(ENTITY_TABLES["client"]).where(ENTITY_TABLES["client"].c.id == client_id)
        )


def test_0005_reads_old_enrollments_as_granted_and_clears_the_search_index(
    engine: Engine,
) -> None:
    run_alembic(engine, "upgrade", "0004")
    store = Store(engine, actor="k.dijkstra", clock=TickingClock())
    kept, gone, later = (
        make_client(bsn=bsn, surname=name)
        for bsn, name in zip(valid_bsns(3), ("Blijftstaan", GONE, LATER), strict=True)
    )
    for client in (kept, gone, later):
        store.create(client)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO enrollments (id, client_id, scheme, start_date, end_date, "
                "caseworker, consent_given, consent_date, version, updated_at, deleted) "
                "VALUES ('e1', :client, 'wmo', '2020-01-01', '2024-01-01', 'k.dijkstra', 0, "
                "NULL, 1, '2026-01-01T00:00:00+00:00', 0)"
            ),
            {"client": kept.id},
        )
    _drop_client(engine, gone.id)  # as a purge does
    with engine.connect() as conn:
        assert _index_holds(conn, GONE), "at 0004 a removed name stays in the index"

    run_alembic(engine, "upgrade", "0005")
    with engine.connect() as conn:
        assert not _index_holds(conn, GONE)
        assert _index_holds(conn, LATER) and _index_holds(conn, "Blijftstaan")
        secure = conn.execute(
            text("SELECT v FROM client_search_config WHERE k = 'secure-delete'")
        ).scalar()
        assert secure == 1
    [old] = Store(engine, actor="k.dijkstra").for_client(Enrollment, kept.id)
    assert old.outcome is EnrollmentOutcome.GRANTED and old.scheme is Scheme.WMO
    assert [c.id for c in Store(engine, actor="k.dijkstra").search(LATER)] == [later.id]

    _drop_client(engine, later.id)
    with engine.connect() as conn:
        assert not _index_holds(conn, LATER), "a delete now removes the terms at once"

    run_alembic(engine, "downgrade", "0004")
    with engine.connect() as conn:
        columns = [row[1] for row in conn.execute(text("PRAGMA table_info(enrollments)"))]
        assert "outcome" not in columns
    run_alembic(engine, "upgrade", "head")
