"""On PostgreSQL the database writes each pulled record's JSON itself (server.sync.feed); on
SQLite Python does. Both must put the same record on the wire, whatever the text holds."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine, select, text, update
from sqlalchemy.orm import Session

from app.sync.protocol import Page
from server.db import RAW_TEXT, ServerSession
from server.models import RECORD_TABLES
from server.seed import seed_demo
from server.sync import feed
from server.sync.pull import PageOut

# What text in a dossier can hold: quotes, backslashes, control characters, line and paragraph
# separators, accents, an emoji (outside the BMP), markup.
AWKWARD = "Zeg \"nee\"\\ \n\ttab \x01\x1f ë ĳ \u2028\u2029 😀 </script> ''; --"
AWKWARD_JSON = {
    "nested": {"list": [1, 2.5, None, True, AWKWARD], "empty": {}},
    "ünïcode": AWKWARD,
    "big": 2**53,
}


def _python_records(session: Session, entity: str) -> dict[str, dict[str, object]]:
    table = RECORD_TABLES[entity]
    rows = session.execute(select(table))
    return {str(row.id): json.loads(feed.record_out(entity, row)) for row in rows}


def _database_records(session: Session, entity: str) -> dict[str, dict[str, object]]:
    table = RECORD_TABLES[entity]
    found = feed._read_records(session, entity, order_by=table.c.id)
    records = {}
    for client_id, _position, record in found:
        parsed = json.loads(record)
        assert parsed["client_id"] == client_id
        records[parsed["id"]] = parsed
    return records


def test_postgresql_writes_the_records_python_would(pg_engine: Engine) -> None:
    with ServerSession(pg_engine) as session:
        seed_demo(session, clients=12, seed=7)
        session.commit()
        clients, notes, plans, rounds = (
            RECORD_TABLES[e] for e in ("client", "note", "client_plan", "intake_round")
        )
        session.execute(update(clients).values(surname=AWKWARD))
        session.execute(update(notes).values(text=AWKWARD))
        session.execute(update(plans).values(goals=AWKWARD_JSON, client_signature=None))
        session.execute(update(rounds).values(content=[AWKWARD_JSON, AWKWARD]))
        session.commit()

        compared = 0
        for entity in RECORD_TABLES:
            python = _python_records(session, entity)
            database = _database_records(session, entity)
            assert database == python, entity
            compared += len(python)
        assert compared > 100
        note = next(iter(_database_records(session, "note").values()))
        assert note["fields"]["text"] == AWKWARD  # type: ignore[index]


def test_a_page_of_database_records_is_a_protocol_page(pg_engine: Engine) -> None:
    with ServerSession(pg_engine) as session:
        seed_demo(session, clients=4, seed=3)
        session.commit()
        session.execute(update(RECORD_TABLES["note"]).values(text=AWKWARD))
        session.commit()
        records = [
            record
            for entity in RECORD_TABLES
            for _cid, _pos, record in feed._read_records(
                session, entity, order_by=RECORD_TABLES[entity].c.id
            )
        ]
    out = PageOut(
        records=records,
        scope_enter=["a"],
        scope_exit=[],
        cursor="c",
        more=True,
        last_applied_seq=3,
    )
    hello = {
        "epoch": "e",
        "protocol_min": 1,
        "protocol_max": 2,
        "server_time": "2026-12-03T10:00:00Z",
        "min_app_version": "0.1.0",
        "clock_skew_seconds": 0.0,
    }
    page = Page.model_validate_json(out.to_json({"hello": hello}))
    assert page.hello is not None and page.hello.epoch == "e"
    assert len(page.records) == len(records)
    assert page.more is True and page.scope_enter == ["a"] and page.last_applied_seq == 3
    assert AWKWARD in [r.fields.get("text") for r in page.records]
    empty = Page.model_validate_json(
        PageOut(
            records=[], scope_enter=[], scope_exit=[], cursor="c", more=False, last_applied_seq=0
        ).to_json()
    )
    assert empty.records == []


@pytest.mark.parametrize("role", ["caseworker", "team_lead"])
def test_postgresql_counts_per_client_what_a_whole_client_page_carries(
    pg_engine: Engine, role: str
) -> None:
    """A first-sync page counts its clients' records before reading them (on PostgreSQL by one
    index lookup per client and kind): the counts must be what `whole_records` then sends,
    tombstones of clients a device may still hold included, and 0 for an unknown id; and it
    sends them kind by kind, parents first, each kind by id."""
    with ServerSession(pg_engine) as session:
        seed_demo(session, clients=16, seed=11)
        session.commit()
        ids = [str(cid) for cid in session.scalars(select(RECORD_TABLES["client"].c.id))]
        notes = RECORD_TABLES["note"]
        with_notes = sorted({str(c) for c in session.scalars(select(notes.c.client_id))})
        assert len(with_notes) >= 2
        # A deleted note for two clients; one of them is one the device held.
        for cid in with_notes[:2]:
            first = session.scalars(
                select(notes.c.id).where(notes.c.client_id == cid).limit(1)
            ).one()
            session.execute(update(notes).where(notes.c.id == first).values(deleted=True))
        session.commit()
        held = {with_notes[0]}
        unknown = "00000000-0000-4000-8000-000000000000"

        counts = feed.whole_counts(session, [*ids, unknown], role, tombstones=held)
        runs, count = feed.whole_records(session, ids, role, tombstones=held)
        records = json.loads(b"[" + b",".join(runs) + b"]")
        sent: dict[str, list[dict[str, object]]] = {cid: [] for cid in ids}
        for record in records:
            sent[record["client_id"]].append(record)
        assert count == len(records)
        assert counts == {**{cid: len(sent[cid]) for cid in ids}, unknown: 0}
        assert sum(counts.values()) > len(ids)
        order = {entity: n for n, entity in enumerate(feed.entities_for(role))}
        keys = [(order[r["entity"]], r["id"]) for r in records]
        assert keys == sorted(keys)
        if "note" in feed.entities_for(role):
            # The held client's tombstone is counted and sent; the other client's is not.
            def tombstones_of(cid: str) -> int:
                return sum(1 for r in sent[cid] if r["deleted"])

            assert tombstones_of(with_notes[0]) == 1
            assert tombstones_of(with_notes[1]) == 0


def test_whole_clients_come_as_the_bytes_postgresql_wrote(pg_engine: Engine) -> None:
    """A first sync's runs of records are read as the bytes PostgreSQL sent (RAW_TEXT), never
    decoded and encoded again: their UTF-8 is the records' text, and only the statement that
    asks gets bytes, though the next one runs on the same connection."""
    with ServerSession(pg_engine) as session:
        seed_demo(session, clients=4, seed=3)
        session.commit()
        session.execute(update(RECORD_TABLES["note"]).values(text=AWKWARD))
        session.commit()
        ids = [str(cid) for cid in session.scalars(select(RECORD_TABLES["client"].c.id))]
        runs, count = feed.whole_records(session, ids, "caseworker")
        assert runs and all(type(run) is bytes for run in runs)
        records = json.loads(b"[" + b",".join(runs) + b"]")
        assert count == len(records)
        assert AWKWARD in [r["fields"].get("text") for r in records if r["entity"] == "note"]
        word = text("SELECT 'zoë'::text")
        assert session.execute(word).scalar_one() == "zoë"
        asked = session.execute(word, execution_options={RAW_TEXT: True}).scalar_one()
        assert asked == "zoë".encode()
        assert session.execute(word).scalar_one() == "zoë"


def _decoded(record: dict[str, object]) -> dict[str, object]:
    """A record with JSON fields as text (JSON_TEXT_HEADER), its fields read back as values."""
    fields = dict(record["fields"])  # type: ignore[call-overload]
    for name in feed._JSON_FIELDS[str(record["entity"])]:
        assert fields[name] is None or isinstance(fields[name], str), name
        if fields[name] is not None:
            fields[name] = json.loads(fields[name])
    return {**record, "fields": fields}


def test_json_fields_as_text_hold_the_same_values_on_both_backends(pg_engine: Engine) -> None:
    with ServerSession(pg_engine) as session:
        seed_demo(session, clients=12, seed=7)
        session.commit()
        plans, rounds = (RECORD_TABLES[e] for e in ("client_plan", "intake_round"))
        session.execute(update(plans).values(goals=AWKWARD_JSON, client_signature=None))
        session.execute(update(rounds).values(content=[AWKWARD_JSON, AWKWARD]))
        session.commit()
        as_text = 0
        for entity in RECORD_TABLES:
            table = RECORD_TABLES[entity]
            values = _python_records(session, entity)
            python = {
                str(row.id): json.loads(feed.record_out(entity, row, json_text=True))
                for row in session.execute(select(table))
            }
            database = {
                json.loads(record)["id"]: json.loads(record)
                for _cid, _pos, record in feed._read_records(
                    session, entity, order_by=table.c.id, json_text=True
                )
            }
            assert {k: _decoded(v) for k, v in python.items()} == values, entity
            assert {k: _decoded(v) for k, v in database.items()} == values, entity
            as_text += sum(
                isinstance(r["fields"][name], str)
                for r in database.values()
                for name in feed._JSON_FIELDS[entity]
            )
        assert as_text > 20


def test_a_bulk_load_leaves_statistics_that_find_a_commits_unstamped_rows_by_index(
    pg_engine: Engine,
) -> None:
    """Every commit stamps its rows' feed positions by looking for the unstamped ones. After a
    bulk load (the demo seed, an import) the statistics must already know that nearly none are
    unstamped: taken before the stamping, they said all were, and each commit read whole tables
    until autovacuum came by."""
    with ServerSession(pg_engine) as session:
        seed_demo(session, clients=60, seed=5)
        session.commit()
        for entity in ("client", "visit", "note"):
            table = RECORD_TABLES[entity].name
            null_frac = session.execute(
                text(
                    "SELECT null_frac FROM pg_stats WHERE tablename = :t AND attname = 'position'"
                ),
                {"t": table},
            ).scalar_one()
            assert null_frac == 0, table
            plan = "\n".join(
                session.scalars(
                    text(f"EXPLAIN UPDATE {table} SET position = 1 WHERE position IS NULL")
                )
            )
            assert "Seq Scan" not in plan, plan
