"""Pull: what a device must change to match the server for its scope, page by page.

Scope bookkeeping (which clients the device holds) is done with set queries in the database, so
an incremental pull costs the same for a device holding 50 clients as for one holding 5,000.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

import pydantic_core
from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Select,
    String,
    Table,
    bindparam,
    delete,
    func,
    insert,
    literal,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from app.sync.protocol import ORDER_REFUSAL
from server.errors import ApiError
from server.models import DeviceClient, DeviceHeldClient, DeviceSync
from server.policy import Actor, scope_client_ids
from server.sync.feed import (
    NEVER_SEEN,
    Cursor,
    FeedNow,
    RecordOut,
    changes_after,
    feed_now,
    held_floor,
    parse_cursor,
    whole_counts,
    whole_records,
)
from server.sync.id_sets import among, chunks, uses_arrays

# Written on held rows exited by the page being built, until its position is known.
PENDING = -1
held = cast(Table, DeviceClient.__table__)


_KEPT_STATES = "veldwerk.device_sync"


def device_sync(session: Session, device_id: str) -> DeviceSync:
    """The device's sync state, kept for the rest of the transaction: the session's identity
    map holds objects weakly, and a push request's hello, entries, audit events and page each
    read it from the database again. Not beyond it: a later transaction reads it afresh."""
    transaction = session.get_transaction()
    kept = session.info.get(_KEPT_STATES)
    if kept is None or kept[0] is not transaction:
        kept = (transaction, {})
    states: dict[str, DeviceSync] = kept[1]
    state = states.get(device_id)
    if state is not None and state in session:
        return state
    # Read afresh even when the identity map still has it from an earlier transaction (the
    # read autoflushes first, so nothing of this one is lost).
    state = session.get(DeviceSync, device_id, populate_existing=True)
    if state is None:
        state = DeviceSync(device_id=device_id, last_seq=0)
        session.add(state)
        session.flush()
    states[device_id] = state
    # The transaction as it is now: a read outside one has just begun one.
    session.info[_KEPT_STATES] = (session.get_transaction(), states)
    return state


def take_order(session: Session, device_id: str, order: int | None) -> None:
    """A page request numbered `order` (ORDER_HEADER) is answered only when no request numbered
    after it was: an older one was given up by the device, and its cursor, older than the pages
    applied since, would owe their clients again (they would be downloaded twice). Refused, it
    changes nothing; the device that did wait for it asks again, numbered after `last_order`."""
    if order is None:
        return
    state = device_sync(session, device_id)
    if order < state.last_order:
        raise ApiError(
            409,
            ORDER_REFUSAL,
            "A later request of this device was answered first; ask again.",
            extra={"last_order": state.last_order},
        )
    state.last_order = order


def remember_held(session: Session, device_id: str, client_ids: Iterable[str]) -> None:
    """Record that the device holds these clients (kept for good: its late edits and audit
    events for a client it held are taken in, for one it never held refused)."""
    ever = cast(Table, DeviceHeldClient.__table__)
    for chunk in chunks(session, client_ids):
        known = _ids(
            session,
            select(ever.c.client_id).where(
                ever.c.device_id == device_id, among(session, ever.c.client_id, chunk)
            ),
        )
        fresh = [cid for cid in chunk if cid not in known]
        if fresh:
            session.execute(
                insert(ever), [{"device_id": device_id, "client_id": cid} for cid in fresh]
            )


def owe_client_again(session: Session, device_id: str, client_id: str) -> None:
    """Treat the page that carried this client to the device as never applied, so the next pull
    carries it again (whole, or as an exit)."""
    session.execute(
        update(held)
        .where(held.c.device_id == device_id, held.c.client_id == client_id)
        .values(entered_page=NEVER_SEEN)
    )
    unsettle(session, device_id)


def unsettle(session: Session, device_id: str) -> None:
    """What the device holds may no longer be its scope: the next pull compares them again."""
    session.execute(
        update(DeviceSync).where(DeviceSync.device_id == device_id).values(settled_clock=None)
    )


def _ids(session: Session, query: Select[Any]) -> set[str]:
    return {str(cid) for cid in session.scalars(query)}


@functools.lru_cache(maxsize=512)
def _scope_changes_query(person: Actor, with_cursor: bool) -> CompoundSelect[Any]:
    """The statement of `_scope_changes` for one person, built once (building it cost about as
    much as running it); the device and its cursor are bound when it runs. The scope is
    `scope_client_ids`, the one definition, as SQL: it is evaluated when the statement runs."""
    wanted = scope_client_ids(person).cte("wanted")
    in_scope = select(wanted.c[0])
    # The device's rows, read once for the four questions (each read them again before).
    holding = (
        select(held.c.client_id, held.c.entered_at, held.c.entered_page, held.c.exited_at)
        .where(held.c.device_id == bindparam("device_id", type_=String))
        .cte("holding")
    )
    active = holding.c.exited_at.is_(None)
    unapplied: list[ColumnElement[bool]] = [active, holding.c.client_id.in_(in_scope)]
    if with_cursor:
        unapplied.append(~Cursor.seen_bound(holding.c.entered_at, holding.c.entered_page))
    return union_all(
        select(literal(0), wanted.c[0]).where(
            wanted.c[0].not_in(select(holding.c.client_id).where(active))
        ),
        select(literal(1), holding.c.client_id).where(*unapplied),
        select(literal(2), holding.c.client_id).where(active, holding.c.client_id.not_in(in_scope)),
        select(literal(3), holding.c.client_id).where(
            holding.c.exited_at.is_not(None), holding.c.client_id.not_in(in_scope)
        ),
    )


def _scope_changes(
    session: Session, actor: Actor, cursor_text: str | None, cursor: Cursor
) -> tuple[set[str], set[str], set[str], set[str]]:
    """How the device's scope moved, in one statement (an incremental pull asks every time and
    nearly always finds nothing): (entering: in scope, not held; again: held and in scope, but
    carried by a page the device may not have applied, or everything when it has no cursor
    (new, or reset); leaving: held, out of scope; exited: exits written earlier, still out of
    scope, that the device has not applied)."""
    person = Actor(actor.user_id, actor.username, actor.role)
    query = _scope_changes_query(person, cursor_text is not None)
    kinds = ("enter", "again", "leave", "exited")
    found: dict[str, set[str]] = {kind: set() for kind in kinds}
    for kind, client_id in session.execute(query, {"device_id": actor.device_id, **cursor.bound()}):
        found[kinds[kind]].add(str(client_id))
    return found["enter"], found["again"], found["leave"], found["exited"]


@dataclass(frozen=True, slots=True)
class PageOut:
    """A pull page as it goes on the wire (`app.sync.protocol.Page`), its records already JSON
    (`server.sync.feed.RecordOut`: a record, or a run of them)."""

    records: list[RecordOut]
    scope_enter: list[str]
    scope_exit: list[str]
    cursor: str
    more: bool
    last_applied_seq: int
    json_text: bool = False  # JSON fields as their text (app.sync.protocol.JSON_TEXT_HEADER)

    def to_json(self, extra: dict[str, Any] | None = None) -> bytes:
        """The page's JSON, with `extra` members beside its own (the round's hello)."""
        return b"".join(self.pieces(extra))

    def pieces(self, extra: dict[str, Any] | None = None) -> list[bytes]:
        """`to_json` in pieces, for one join where the page is spliced into an answer: a page
        of a first sync is megabytes, and each concatenation copied all of it again into fresh
        memory (about 17 ms a 5,000-record page, where one join takes about 2)."""
        rest = pydantic_core.to_json(
            {
                "scope_enter": self.scope_enter,
                "scope_exit": self.scope_exit,
                "cursor": self.cursor,
                "more": self.more,
                "last_applied_seq": self.last_applied_seq,
                # Only when asked for: a device that did not ask refuses members it does not know.
                **({"json_text": True} if self.json_text else {}),
                **(extra or {}),
            }
        )
        pieces = [b'{"records":[']
        for record in self.records:
            pieces += (record, b",")
        if self.records:
            pieces.pop()  # the last comma
        pieces += (b"],", rest[1:])
        return pieces


def _take_whole_clients(
    session: Session, device: str, owed: list[str], role: str, *, budget: int, json_text: bool
) -> tuple[list[str], list[RecordOut], int]:
    """As many owed clients, whole, as fit in `budget` records (at least one, however large).
    Their records are counted first, so none is read that the page cannot carry; and only about
    as many clients are counted as the page can take (a first sync of 5,000 clients is many
    pages, and counting them all for each page made it quadratic)."""
    taken: list[str] = []
    may_hold: set[str] = set()
    size = 0
    index = 0
    per_client = 10.0  # records per client, guessed until some are counted
    while index < len(owed):
        room = max(1, int((budget - size) / per_client) + 1)
        chunk = owed[index : index + room]
        index += len(chunk)
        # A device that may still hold old rows of a client gets its tombstones too.
        held_here: set[str] = set()
        for ids in chunks(session, chunk):
            held_here |= _ids(
                session,
                select(held.c.client_id).where(
                    held.c.device_id == device, among(session, held.c.client_id, ids)
                ),
            )
        may_hold |= held_here
        counts = whole_counts(session, chunk, role, tombstones=held_here)
        for cid in chunk:
            if taken and size + counts[cid] > budget:
                index = len(owed)  # full
                break
            taken.append(cid)
            size += counts[cid]
        per_client = max(1.0, size / len(taken))
    records, count = whole_records(session, taken, role, tombstones=may_hold, json_text=json_text)
    return taken, records, count


def pull(
    session: Session,
    actor: Actor,
    *,
    cursor_text: str | None,
    limit: int,
    applied_text: str | None = None,
    now: FeedNow | None = None,
    json_text: bool = False,
) -> PageOut:
    """One page for this device after its cursor (`now`: the feed as this transaction read
    it, when the caller did already).

    Clients it must receive whole (newly in scope, or carried by a page it never applied) come
    first, in bounded pages of whole clients that leave the cursor's position where it is;
    once none are owed, the changes of the clients it holds follow. Every page that carries
    clients in or out gets the device's next page number, which the cursor then names, so a
    page applied is never sent again and a page lost is.

    `applied_text`: the cursor of the last page the device applied, when it asks for the page
    after one it is still applying (it fetches the next page meanwhile). Pages follow `cursor`
    as always, but only what `applied` has seen is done with: a device that dies before
    applying the page named by `cursor` asks again from `applied`, and gets that page's clients
    and exits again.

    `json_text`: JSON fields go as their JSON text, in a string (JSON_TEXT_HEADER)."""
    assert actor.device_id is not None
    device = actor.device_id
    now = now or feed_now(session)
    cursor = parse_cursor(session, cursor_text, now)
    applied = _applied_cursor(session, cursor, applied_text, now)
    state = device_sync(session, device)
    mine = held.c.device_id == device

    settled = _still_settled(state, cursor_text, cursor, now)
    if settled:
        # Nothing that could change a scope was written since the device was found holding
        # exactly its own, and it has applied that pull's cursor: no exits wait, and comparing
        # the scope with its clients would find nothing (the one part of an incremental pull
        # that grew with the caseload).
        entering, again, leaving, exited = _no_scope_changes()
    else:
        # Exits this device has applied are done with.
        session.execute(
            delete(held).where(
                mine,
                held.c.exited_at.is_not(None),
                applied.has_seen(held.c.exited_at, held.c.exited_page),
            )
        )
        # The scope is scope_client_ids(actor), the one definition (server.policy).
        entering, again, leaving, exited = _scope_changes(session, actor, cursor_text, cursor)
    # Leaving clients are out of the change feed from now on (their exit is written below).
    for chunk in chunks(session, leaving):
        session.execute(
            update(held)
            .where(mine, among(session, held.c.client_id, chunk))
            .values(exited_at=PENDING)
        )

    head = now.head
    owed = sorted(entering | again)
    taken: list[str] = []
    records: list[RecordOut] = []
    sent = 0
    if owed:
        taken, records, sent = _take_whole_clients(
            session, device, owed, actor.role, budget=limit, json_text=json_text
        )
    # Page numbers say "applied up to": once this page is applied, its number passes those of
    # unapplied pages whose clients it could not carry (more than one page was lost, or pages
    # are smaller now). Those stay owed, whatever page number a cursor reaches.
    for chunk in chunks(session, again.difference(taken)):
        session.execute(
            update(held)
            .where(mine, among(session, held.c.client_id, chunk))
            .values(entered_page=NEVER_SEEN)
        )
    if len(taken) == len(owed):
        floor = state.settled_floor if settled else held_floor(session, device, cursor)
        changes, position, more = changes_after(
            session,
            cursor=cursor,
            device_id=device,
            role=actor.role,
            limit=max(1, limit - sent),
            head=head,
            floor=floor,
            json_text=json_text,
        )
        records.extend(changes)
        if cursor_text is not None and not (entering or again or leaving or exited):
            _settle(state, cursor, now, floor)
        else:
            state.settled_clock = None
    else:
        position, more = cursor.position, True  # changes wait until every client is here
        state.settled_clock = None

    page = cursor.page
    if taken or leaving:
        state.pages += 1
        page = state.pages
        _enter(session, device, taken, read_at=head, page=page)
        session.execute(
            update(held)
            .where(mine, held.c.exited_at == PENDING)
            .values(exited_at=position, exited_page=page)
        )
    state.last_pull_at = datetime.now(UTC)
    return PageOut(
        records=records,
        scope_enter=taken,
        scope_exit=sorted(leaving | exited),
        cursor=Cursor(now.epoch, position, page).encode(),
        more=more,
        last_applied_seq=state.last_seq,
        json_text=json_text,
    )


def _no_scope_changes() -> tuple[set[str], set[str], set[str], set[str]]:
    return set(), set(), set(), set()


def _still_settled(
    state: DeviceSync, cursor_text: str | None, cursor: Cursor, now: FeedNow
) -> bool:
    """Whether the device still holds exactly its scope, as the pull that settled it found:
    the scope clock has not moved since (server migration 0012: every write that can change a
    scope moves it, in the same transaction), nothing was handed out or owed again since
    (`unsettle`), and the device has applied that pull's cursor, or a later one. A device
    without a cursor, or with an older one (it lost a page, or its disk was restored), is
    compared in full."""
    return (
        cursor_text is not None
        and state.settled_clock is not None
        and state.settled_clock == now.scope_clock
        and state.settled_page is not None
        and state.settled_position is not None
        and cursor.page >= max(state.settled_page, state.pages)
        and cursor.position >= state.settled_position
    )


def _settle(state: DeviceSync, cursor: Cursor, now: FeedNow, floor: int | None) -> None:
    """Remember that this pull found the device holding exactly its scope, nothing owed."""
    state.settled_clock = now.scope_clock
    state.settled_page = cursor.page
    state.settled_position = cursor.position
    state.settled_floor = floor


def _applied_cursor(
    session: Session, cursor: Cursor, applied_text: str | None, now: FeedNow
) -> Cursor:
    """What the device has applied: the page `cursor` names, unless it says otherwise ("" for
    nothing yet)."""
    if applied_text is None:
        return cursor
    applied = parse_cursor(session, applied_text, now)
    if applied.page > cursor.page or applied.position > cursor.position:
        raise ApiError(422, "invalid_cursor", "The applied cursor is ahead of the cursor.")
    return applied


def _enter(
    session: Session, device: str, client_ids: list[str], *, read_at: int, page: int
) -> None:
    """Mark these clients held, carried by `page` and read whole at feed position `read_at`."""
    if not client_ids:
        return
    values = {"entered_at": read_at, "entered_page": page, "exited_at": None, "exited_page": 0}
    if uses_arrays(session):
        _enter_all(session, device, client_ids, values)
        return
    mine = held.c.device_id == device
    returning: set[str] = set()
    for chunk in chunks(session, client_ids):
        known = among(session, held.c.client_id, chunk)
        returning |= _ids(session, select(held.c.client_id).where(mine, known))
        session.execute(update(held).where(mine, known).values(**values))
    new = sorted(set(client_ids) - returning)
    if new:
        session.execute(
            insert(held), [{"device_id": device, "client_id": cid, **values} for cid in new]
        )
        remember_held(session, device, new)


def _enter_all(
    session: Session, device: str, client_ids: list[str], values: dict[str, Any]
) -> None:
    """`_enter` on PostgreSQL: one upsert per table from the ids as one array, where a row per
    client cost a first sync of 5,000 clients about 0.2 s."""
    ever = cast(Table, DeviceHeldClient.__table__)
    for chunk in chunks(session, client_ids):
        ids = select(
            literal(device, String).label("device_id"),
            func.unnest(literal(chunk, ARRAY(String))).label("client_id"),
        ).subquery()
        rows = select(
            ids.c.device_id,
            ids.c.client_id,
            *(literal(value, held.c[name].type).label(name) for name, value in values.items()),
        )
        session.execute(
            pg_insert(held)
            .from_select(["device_id", "client_id", *values], rows)
            .on_conflict_do_update(index_elements=["device_id", "client_id"], set_=values)
        )
        session.execute(
            pg_insert(ever)
            .from_select(["device_id", "client_id"], select(ids.c.device_id, ids.c.client_id))
            .on_conflict_do_nothing(index_elements=["device_id", "client_id"])
        )
