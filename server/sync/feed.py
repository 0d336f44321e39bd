"""The change feed: positions in commit order, opaque cursors with an epoch, pull pages.

Every write marks the entities it touched and leaves `position` null on the rows it wrote. Just
before the transaction commits, `stamp_positions` takes the next value of the one counter row
(an UPDATE, so the row lock is held until commit) and writes it on those rows. Writers therefore
get positions in the order they commit, and a pull that has seen position N can never later meet
a row committed with a position below N. A pull reads in one snapshot.
"""

from __future__ import annotations

import base64
import functools
import json
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, Literal, cast

import pydantic_core
from sqlalchemy import (
    BigInteger,
    ColumnElement,
    CompoundSelect,
    Integer,
    Select,
    String,
    Table,
    and_,
    any_,
    bindparam,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import ARRAY, aggregate_order_by
from sqlalchemy.orm import Session

from app.domain.schema import FIELDS
from app.sync.protocol import MAX_SEQ
from server.db import RAW_TEXT
from server.errors import ApiError
from server.models import (
    RECORD_BOOKKEEPING,
    RECORD_TABLES,
    DeviceClient,
    ScopeClock,
    ServerState,
    SyncCounter,
)
from server.policy import visible_entities
from server.sync.id_sets import among, chunks, uses_arrays

_TOUCHED = "veldwerk.touched_entities"


def mark_touched(session: Session, entity: str) -> None:
    session.info.setdefault(_TOUCHED, set()).add(entity)


def stamp_positions(session: Session) -> int | None:
    touched: set[str] = session.info.pop(_TOUCHED, set())
    if not touched:
        return None
    position = int(
        session.execute(
            update(SyncCounter)
            .where(SyncCounter.id == 1)
            .values(value=SyncCounter.value + 1)
            .returning(SyncCounter.value)
        ).scalar_one()
    )
    for entity in touched:
        table = RECORD_TABLES[entity]
        session.execute(update(table).where(table.c.position.is_(None)).values(position=position))
    return position


def server_state(session: Session) -> ServerState:
    return session.get_one(ServerState, 1)


def current_position(session: Session) -> int:
    return int(session.execute(select(SyncCounter.value).where(SyncCounter.id == 1)).scalar_one())


# A page number no cursor reaches: an enter marked with it is sent again.
NEVER_SEEN = -1


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where a device stands: it applied every change up to `position` and every page that
    carried clients in or out up to its page number `page` (see DeviceClient)."""

    epoch: str
    position: int
    page: int = 0

    def encode(self) -> str:
        data: dict[str, Any] = {"e": self.epoch, "p": self.position}
        if self.page:
            data["n"] = self.page
        raw = json.dumps(data, separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    def has_seen(
        self, position: ColumnElement[Any], page: ColumnElement[Any]
    ) -> ColumnElement[bool]:
        """Whether the device applied the page that carried an enter or exit. Rows written
        before pages were numbered (page 0) are judged by their position, as then."""
        return _applied(
            position, page, literal(self.page, Integer), literal(self.position, BigInteger)
        )

    @staticmethod
    def seen_bound(position: ColumnElement[Any], page: ColumnElement[Any]) -> ColumnElement[bool]:
        """`has_seen` for a statement built once, with the cursor's values bound when it runs
        (`bound`)."""
        return _applied(
            position,
            page,
            bindparam("seen_page", type_=Integer),
            bindparam("seen_position", type_=BigInteger),
        )

    def bound(self) -> dict[str, int]:
        """The values `seen_bound` names."""
        return {"seen_page": self.page, "seen_position": self.position}


def _applied(
    position: ColumnElement[Any],
    page: ColumnElement[Any],
    seen_page: ColumnElement[Any],
    seen_position: ColumnElement[Any],
) -> ColumnElement[bool]:
    """`Cursor.has_seen`, whether its values are known now or bound later."""
    return or_(
        and_(page > 0, page <= seen_page),
        and_(page == 0, position <= seen_position),
    )


def reset_required(reason: str) -> ApiError:
    return ApiError(409, "reset_required", f"Download everything again: {reason}.")


@dataclass(frozen=True, slots=True)
class FeedNow:
    """The feed as one read sees it: its epoch, tombstone horizon and head position. A pull
    reads it once (its snapshot does not move); asking each time cost a statement each."""

    epoch: str
    horizon: int
    head: int
    scope_clock: int  # server.models.ScopeClock


def feed_now(session: Session) -> FeedNow:
    epoch, horizon, head, clock = session.execute(
        select(ServerState.epoch, ServerState.horizon, SyncCounter.value, ScopeClock.version)
        .select_from(ServerState)
        .join(SyncCounter, SyncCounter.id == 1)  # one row each
        .join(ScopeClock, ScopeClock.id == 1)
        .where(ServerState.id == 1)
    ).one()
    return FeedNow(str(epoch), int(horizon), int(head), int(clock))


def parse_cursor(session: Session, text: str | None, now: FeedNow | None = None) -> Cursor:
    """The cursor a device sent, checked against the feed (`now`, read here when not given)."""
    state = now or feed_now(session)
    if not text:
        return Cursor(state.epoch, 0)
    try:
        padded = text + "=" * (-len(text) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        cursor = Cursor(str(data["e"]), int(data["p"]), int(data.get("n", 0)))
        if not 0 <= cursor.page <= MAX_SEQ or cursor.position < 0:
            raise ValueError("out of range")
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ApiError(
            422, "invalid_cursor", "The cursor is not one this server handed out."
        ) from exc
    if cursor.epoch != state.epoch:
        raise reset_required("the server's data was recreated or restored")
    if cursor.position > state.head:
        raise reset_required("the cursor is ahead of the server (restored from a backup?)")
    if 0 < cursor.position < state.horizon:
        raise reset_required("the device was away longer than deleted records are kept")
    return cursor


# A record as it goes on the wire (`app.sync.protocol.RecordState`), as JSON, or a run of
# several such records separated by commas (`whole_records` on PostgreSQL): a first sync is tens
# of thousands of rows, and what the database holds was checked on the way in, so no model is
# built per row and a page is spliced together from these (`server.sync.pull.PageOut`).
RecordOut = bytes


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where a table's values sit in a row of `select(table)`, read by position: a first sync
    reads tens of thousands of rows, and access by name costs more than the rest of the row."""

    fields: tuple[tuple[str, int], ...]  # plain str names (sqlalchemy's own name type is slow
    # for the JSON encoder to recognise)
    id: int
    client_id: int
    version: int
    deleted: int

    @classmethod
    def of(cls, entity: str, table: Table) -> _Layout:
        names = [str(c.name) for c in table.columns]
        return cls(
            fields=tuple((n, i) for i, n in enumerate(names) if n not in RECORD_BOOKKEEPING),
            id=names.index("id"),
            client_id=names.index("id" if entity == "client" else "client_id"),
            version=names.index("version"),
            deleted=names.index("deleted"),
        )


_LAYOUTS = {entity: _Layout.of(entity, table) for entity, table in RECORD_TABLES.items()}


def record_out(entity: str, row: Any, *, json_text: bool = False) -> RecordOut:
    """A row of `select(RECORD_TABLES[entity])` as it goes on the wire; with `json_text`, its
    JSON fields as their JSON text (app.sync.protocol.JSON_TEXT_HEADER)."""
    layout = _LAYOUTS[entity]
    fields = {name: row[index] for name, index in layout.fields}
    if json_text:
        for name in _JSON_FIELDS[entity]:
            if fields[name] is not None:
                fields[name] = pydantic_core.to_json(fields[name]).decode()
    return pydantic_core.to_json(
        {
            "entity": entity,
            "id": str(row[layout.id]),
            "client_id": str(row[layout.client_id]),
            "version": int(row[layout.version]),
            "deleted": bool(row[layout.deleted]),
            "fields": fields,
        }
    )


# Per record kind, its fields of kind "json" (plans' goals and signatures, intake answers).
_JSON_FIELDS = {
    entity: tuple(spec.name for spec in FIELDS[entity] if spec.kind == "json")
    for entity in RECORD_TABLES
}


def _document_sql(entity: str, table: Table, *, json_text: bool) -> str:
    """PostgreSQL's expression for `record_out` of a row of `table`: the database writes the
    record's JSON itself (about 55,000 rows/s here, against about 6,000 for reading the values
    into Python and encoding them there). JSON columns go in as stored, or with `json_text` as
    the text stored; `row_to_json` names the fields by their columns, and unlike
    `json_build_object` takes any number of them (an intake has 78)."""
    quote = postgresql.dialect().identifier_preparer.quote  # type: ignore[no-untyped-call]
    name = quote(table.name)
    as_text = _JSON_FIELDS[entity] if json_text else ()

    def field(column: str) -> str:
        value = f"{name}.{quote(column)}"
        return f"{value}::text AS {quote(column)}" if column in as_text else value

    fields = ", ".join(
        field(str(c.name)) for c in table.columns if c.name not in RECORD_BOOKKEEPING
    )
    key = "id" if entity == "client" else "client_id"
    return (
        f"json_build_object('entity', '{entity}', 'id', {name}.id, 'client_id', {name}.{key}, "
        f"'version', {name}.version, 'deleted', {name}.deleted, "
        f"'fields', (SELECT row_to_json(f) FROM (SELECT {fields}) AS f))::text"
    )


_DOCUMENTS: dict[tuple[str, bool], ColumnElement[Any]] = {
    (entity, json_text): literal_column(_document_sql(entity, table, json_text=json_text))
    for entity, table in RECORD_TABLES.items()
    for json_text in (False, True)
}


def _read_records(
    session: Session,
    entity: str,
    *where: ColumnElement[bool],
    order_by: Any,
    limit: int | None = None,
    json_text: bool = False,
) -> list[tuple[str, int, RecordOut]]:
    """(client id, position, record) of the rows of `entity` that match `where`."""
    table = RECORD_TABLES[entity]
    if uses_arrays(session):  # PostgreSQL
        document = _DOCUMENTS[entity, json_text]
        query = select(_client_key(entity, table), table.c.position, document)
        query = query.where(*where).order_by(order_by).limit(limit)
        return [(cid, position, doc.encode()) for cid, position, doc in session.execute(query)]
    layout = _LAYOUTS[entity]
    at = list(table.columns).index(table.c.position)
    rows = session.execute(select(table).where(*where).order_by(order_by).limit(limit))
    return [
        (str(row[layout.client_id]), row[at], record_out(entity, row, json_text=json_text))
        for row in rows
    ]


def _client_key(entity: str, table: Table) -> Any:
    return table.c.id if entity == "client" else table.c.client_id


def entities_for(role: str) -> tuple[str, ...]:
    return visible_entities(role)


def _live_or(table: Table, tombstones_of: ColumnElement[bool] | None) -> ColumnElement[bool]:
    """Rows sent with a whole client: the live ones, and the tombstones where `tombstones_of`
    (the clients a device may still hold deleted rows of; none when None)."""
    live = table.c.deleted.is_(False)
    return live if tombstones_of is None else or_(live, tombstones_of)


def _sent_whole(
    session: Session, entity: str, chunk: list[str], tombstones: Collection[str]
) -> list[ColumnElement[bool]]:
    """Rows of these clients a device gets when it receives them whole: the live ones, and the
    tombstones of clients named in `tombstones` (a device that may still hold their deleted
    rows; one ignores tombstones of records it never held, so sending them to others is only
    waste)."""
    table = RECORD_TABLES[entity]
    key = _client_key(entity, table)
    wanted = [cid for cid in chunk if cid in tombstones]
    held = among(session, key, wanted) if wanted else None
    return [among(session, key, chunk), _live_or(table, held)]


def whole_counts(
    session: Session, client_ids: Collection[str], role: str, *, tombstones: Collection[str] = ()
) -> dict[str, int]:
    """How many records `whole_clients` would send of each of these clients (one statement
    for all record kinds)."""
    counts = dict.fromkeys(client_ids, 0)
    for chunk in chunks(session, client_ids):
        if uses_arrays(session):
            counts.update(_counted_per_client(session, chunk, role, tombstones))
            continue
        keys = union_all(
            *(
                select(_client_key(entity, RECORD_TABLES[entity]).label("cid")).where(
                    *_sent_whole(session, entity, chunk, tombstones)
                )
                for entity in entities_for(role)
            )
        ).subquery()
        for cid, count in session.execute(select(keys.c.cid, func.count()).group_by(keys.c.cid)):
            counts[str(cid)] += int(count)
    return counts


def _counted_per_client(
    session: Session, chunk: list[str], role: str, tombstones: Collection[str]
) -> dict[str, int]:
    """`whole_counts` on PostgreSQL: per client, one index lookup per record kind. Counting
    the union of all kinds' rows took 75 ms for 500 clients of a 10,000-client database, this
    23 ms (the union read whole tables in parallel workers; these are a few index pages each)."""
    ids = select(func.unnest(literal(chunk, ARRAY(String))).label("id")).subquery("ids")
    wanted = [cid for cid in chunk if cid in tombstones]
    total: ColumnElement[Any] | None = None
    for entity in entities_for(role):
        table = RECORD_TABLES[entity]
        key = _client_key(entity, table)
        sent = _live_or(table, among(session, key, wanted) if wanted else None)
        count = select(func.count()).where(key == ids.c.id, sent).scalar_subquery()
        total = count if total is None else total + count
    if total is None:  # a role that sees no records of a client
        return dict.fromkeys(chunk, 0)
    return {str(cid): int(n) for cid, n in session.execute(select(ids.c.id, total))}


def whole_records(
    session: Session,
    client_ids: list[str],
    role: str,
    *,
    tombstones: Collection[str] = (),
    json_text: bool = False,
) -> tuple[list[RecordOut], int]:
    """Everything of these clients (see `_sent_whole`), kind by kind in the order of
    `entities_for` (parents first), each kind by id; and how many records that is."""
    found: list[RecordOut] = []
    count = 0
    if uses_arrays(session):
        for chunk in chunks(session, client_ids):
            for n, run in _whole_in_one(session, chunk, role, tombstones, json_text):
                found.append(run)
                count += n
        return found, count
    for entity in entities_for(role):
        table = RECORD_TABLES[entity]
        for chunk in chunks(session, client_ids):
            where = _sent_whole(session, entity, chunk, tombstones)
            for _cid, _position, record in _read_records(
                session, entity, *where, order_by=table.c.id, json_text=json_text
            ):
                found.append(record)
                count += 1
    return found, count


def _whole_in_one(
    session: Session, chunk: list[str], role: str, tombstones: Collection[str], json_text: bool
) -> list[tuple[int, RecordOut]]:
    """`whole_records` of a chunk on PostgreSQL: (count, run) per record kind that has any, a
    run being the kind's records joined by the database (`RecordOut`), in one statement that
    takes the ids once. A statement per kind sent (and psycopg quoted) the same thousands of
    ids eleven times, and a row per record cost more in Python than the database took to write
    it: on a first sync of 5,000 clients, the same pages took 1.65 s this way against 2.15 s
    as a row each."""
    ids = bindparam("ids", chunk, type_=ARRAY(String))
    wanted = [cid for cid in chunk if cid in tombstones]
    held_ids = bindparam("held", wanted, type_=ARRAY(String))
    branches = []
    for order, entity in enumerate(entities_for(role)):
        table = RECORD_TABLES[entity]
        key = _client_key(entity, table)
        sent = _live_or(table, key == any_(held_ids) if wanted else None)
        rows = (
            select(table.c.id.label("id"), _DOCUMENTS[entity, json_text].label("document"))
            .where(key == any_(ids), sent)
            .subquery(f"rows_{order}")
        )
        run = func.string_agg(rows.c.document, aggregate_order_by(literal(","), rows.c.id))
        branches.append(
            select(literal(order).label("kind"), func.count().label("n"), run).select_from(rows)
        )
    if not branches:  # a role that sees no records of a client
        return []
    found = sorted(
        session.execute(union_all(*branches), execution_options={RAW_TEXT: True}),
        key=lambda row: int(row[0]),
    )
    return [(int(n), bytes(run)) for _kind, n, run in found if n]


def _held_and_applied(entity: str, table: Table, device_id: str, cursor: Cursor) -> Any:
    """A row of a client the device holds and has applied (its cursor has seen the enter), and
    changed after that client's whole records were read."""
    held = cast(Table, DeviceClient.__table__)
    return exists().where(
        held.c.device_id == device_id,
        held.c.client_id == _client_key(entity, table),
        held.c.exited_at.is_(None),
        cursor.has_seen(held.c.entered_at, held.c.entered_page),
        table.c.position > held.c.entered_at,
    )


# An incremental pull reads the keys of every row changed after its cursor, whoever's they are;
# past this many (a device away for weeks) the database joins them with the held clients instead.
_CHANGED_KEYS_LIMIT = 2000


@functools.cache
def _changed_keys_query(role: str) -> CompoundSelect[Any]:
    """(kind, client, position) of the rows changed after `after`, at most `limit`: the
    statement built once per role (building the union cost more than running it)."""
    kinds = entities_for(role)
    return union_all(
        *(
            select(
                literal(order).label("kind"),
                _client_key(entity, RECORD_TABLES[entity]).label("client_id"),
                RECORD_TABLES[entity].c.position.label("position"),
            ).where(RECORD_TABLES[entity].c.position > bindparam("after", type_=BigInteger))
            for order, entity in enumerate(kinds)
        )
    ).limit(bindparam("limit", type_=BigInteger))


@functools.cache
def _changed_kinds_query(role: str) -> Select[Any]:
    """The kinds with a change for a device, the changed rows joined with its held clients in
    the database (for many changed rows)."""
    held = cast(Table, DeviceClient.__table__)
    changed = _changed_keys_query(role).subquery("changed")
    return (
        select(changed.c.kind)
        .distinct()
        .join_from(
            changed,
            held,
            and_(
                held.c.device_id == bindparam("device_id", type_=String),
                held.c.client_id == changed.c.client_id,
                held.c.exited_at.is_(None),
                Cursor.seen_bound(held.c.entered_at, held.c.entered_page),
                changed.c.position > held.c.entered_at,
            ),
        )
    )


def _entities_changed(
    session: Session, *, device_id: str, role: str, cursor: Cursor, after: int
) -> set[str]:
    """Which record kinds have a change for this device after `after` (an incremental pull
    usually finds one or two, often none).

    The changed rows are few, and each is looked up among the device's held clients by key, so
    the work follows the changes, not the caseload. Left to the planner, a join of the two
    (or an EXISTS per kind) went wrong in both directions: the EXISTS took 2.5-6 ms to plan on
    every pull, and with statistics from before a first sync the join looped over the 2,500
    held clients, the changed rows inside (25 ms)."""
    kinds = entities_for(role)
    if not kinds:
        return set()
    changed = session.execute(
        _changed_keys_query(role), {"after": after, "limit": _CHANGED_KEYS_LIMIT + 1}
    ).all()
    if len(changed) > _CHANGED_KEYS_LIMIT:
        many = session.scalars(
            _changed_kinds_query(role),
            {"after": after, "limit": 1 << 62, "device_id": device_id, **cursor.bound()},
        )
        return {kinds[int(kind)] for kind in many}
    if not changed:
        return set()
    held = cast(Table, DeviceClient.__table__)
    entered: dict[str, int] = {}
    for chunk in chunks(session, {str(cid) for _kind, cid, _position in changed}):
        entered.update(
            (str(cid), int(at))
            for cid, at in session.execute(
                select(held.c.client_id, held.c.entered_at).where(
                    held.c.device_id == device_id,
                    among(session, held.c.client_id, chunk),
                    held.c.exited_at.is_(None),
                    cursor.has_seen(held.c.entered_at, held.c.entered_page),
                )
            )
        )
    return {
        kinds[int(kind)]
        for kind, cid, position in changed
        if str(cid) in entered and int(position) > entered[str(cid)]
    }


def _changed_rows(
    session: Session,
    *,
    device_id: str,
    role: str,
    cursor: Cursor,
    after: int,
    entities: Collection[str],
    up_to: int | None = None,
    limit: int | None = None,
    json_text: bool = False,
) -> list[tuple[int, int, RecordOut]]:
    """(position, entity order, record) of rows of `entities` changed in (after, up_to] for
    this device (`_held_and_applied`). The position index finds the few changed rows and each is
    checked against the device's held clients by primary key, so the work follows the changes,
    not the size of the caseload."""
    found: list[tuple[int, int, RecordOut]] = []
    for order, entity in enumerate(entities_for(role)):
        if entity not in entities:
            continue
        table = RECORD_TABLES[entity]
        where = [table.c.position > after, _held_and_applied(entity, table, device_id, cursor)]
        if up_to is not None:
            where.append(table.c.position <= up_to)
        found.extend(
            (int(position), order, record)
            for _cid, position, record in _read_records(
                session,
                entity,
                *where,
                order_by=table.c.position,
                limit=limit,
                json_text=json_text,
            )
        )
    found.sort(key=lambda c: (c[0], c[1]))
    return found


def held_floor(session: Session, device_id: str, cursor: Cursor) -> int | None:
    """The lowest feed position at which a client the device holds (and has applied) was read
    whole; None when it holds none. Nothing at or below it is sent as a change."""
    held = cast(Table, DeviceClient.__table__)
    floor = session.execute(
        select(func.min(held.c.entered_at)).where(
            held.c.device_id == device_id,
            held.c.exited_at.is_(None),
            cursor.has_seen(held.c.entered_at, held.c.entered_page),
        )
    ).scalar_one()
    return None if floor is None else int(floor)


def changes_after(
    session: Session,
    *,
    cursor: Cursor,
    device_id: str,
    role: str,
    limit: int,
    head: int | None = None,
    floor: int | None | Literal["ask"] = "ask",
    json_text: bool = False,
) -> tuple[list[RecordOut], int, bool]:
    """Records changed after the cursor for the clients the device holds (`device_clients`), in
    whole positions: a page never splits one transaction's changes, and parents come before
    children within a position. `head`: the feed's position in this read (asked when not given).
    `floor`: `held_floor`, when the caller knows it. `json_text`: JSON fields as their text.

    Returns (records, the position the next page starts after, more)."""
    if head is None:
        head = current_position(session)

    busy: set[str] = set()

    def changed(after: int, up_to: int | None = None, limit: int | None = None) -> list[Any]:
        return _changed_rows(
            session,
            device_id=device_id,
            role=role,
            cursor=cursor,
            after=after,
            entities=busy,
            up_to=up_to,
            limit=limit,
            json_text=json_text,
        )

    # Nothing at or below where the device's clients were read whole is sent as a change, so
    # the scan may start at the lowest of those (after a first sync: near the head, instead of
    # the start of the feed).
    if floor == "ask":
        floor = held_floor(session, device_id, cursor)
    if floor is None:
        return [], head, False  # it holds nothing yet
    start = max(cursor.position, floor)
    busy |= _entities_changed(session, device_id=device_id, role=role, cursor=cursor, after=start)
    if not busy:
        return [], head, False
    probe = changed(start, limit=limit + 1)
    if not probe:
        return [], head, False
    positions = sorted({c[0] for c in probe})
    cut = positions[0]
    counted = 0
    for pos in positions:
        counted += sum(1 for c in probe if c[0] == pos)
        if counted > limit and pos != positions[0]:
            break
        cut = pos
    if cut == positions[-1] and len(probe) <= limit:
        rows, more = probe, False  # the probe found everything there is
    else:
        rows = changed(start, up_to=cut)
        more = bool(changed(cut, limit=1))
    return [record for _p, _o, record in rows], (cut if more else head), more


def ensure_state(session: Session) -> None:
    """The epoch row, the counter row and the scope clock exist (the migration makes them; a
    wiped test database or a hand-made one may lack them)."""
    if session.get(ServerState, 1) is None:
        session.add(ServerState(id=1, epoch=str(uuid.uuid4()), horizon=0))
    if session.get(SyncCounter, 1) is None:
        session.add(SyncCounter(id=1, value=0))
    if session.get(ScopeClock, 1) is None:
        session.add(ScopeClock(id=1, version=0))
    session.flush()
