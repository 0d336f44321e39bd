"""One sync round: hello, push, then pull.

The entries to push are fixed when the push starts (edits made during a sync go in the next
round). An entry leaves the journal only together with its answer (storage.sync_state), and a
pulled page only together with its cursor, so a crash anywhere leaves a state the next round
continues from: replayed entries get their stored answers, a page is pulled again.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import (
    FIRST_COMPLETED,
    Future,
    InvalidStateError,
    ThreadPoolExecutor,
    wait,
)
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from app.domain.version import app_version
from app.storage import sync_state
from app.storage.audit import AuditEvent
from app.storage.gc_pause import paused_gc
from app.storage.migrations.runner import head_revision
from app.storage.store import JournalEntry, Store
from app.storage.tables import ENTITY_TABLES
from app.sync.client import ResetRequired, SyncCancelled, SyncError, Transport, invalid_answer
from app.sync.protocol import (
    BLOB_CHUNK_BYTES,
    MAX_AUDIT_EVENTS,
    MAX_CLOCK_SKEW_SECONDS,
    MAX_PAGE_SIZE,
    MAX_PUSH_BYTES,
    MAX_PUSH_ENTRIES,
    NEXT_CURSOR_HEADER,
    PROTOCOL_VERSION,
    PULL_HEADER,
    AuditAnswer,
    AuditEventOut,
    BlobStatus,
    Entry,
    Hello,
    HelloAnswer,
    Op,
    Page,
    PullRequest,
    Push,
    PushAnswer,
)

# Records per pulled page: about 60-100 kB compressed, under a second on a 1 Mbit/s hotspot, so a
# broken download loses little; large enough that a first sync is a handful of requests.
PAGE_SIZE = 1000
# The protocol whose pulls may name the last page applied (PullRequest.applied).
FETCH_AHEAD_PROTOCOL = 3
AUDIT_SEQ = "sync.audit_seq"
Progress = Callable[[str, int, int], None]
# The record kinds a device holds (what a purge or a reset may change).
ENTITIES: tuple[str, ...] = tuple(ENTITY_TABLES)
# Audit events beside one push's entries: well inside the server's body cap with a full batch.
MAX_AUDIT_BYTES = 400_000
# Answers that say "not now" rather than answering the entry: it stays in the journal.
_NOT_ANSWERED = ("sequence_gap", "blob_missing")


# What a sync round can warn about, for people (the report keeps the codes).
WARNINGS: dict[str, tuple[str, str]] = {
    "clock_skew": (
        "De klok van dit apparaat loopt meer dan 5 minuten af; zet de tijd goed.",
        "The clock of this device is off by more than 5 minutes; please correct it.",
    ),
    "audit_chain_broken": (
        "De server meldt een onderbroken auditlogboek van dit apparaat.",
        "The server reports a break in this device's audit log.",
    ),
    "attachment_missing_on_server": (
        "Van een bijlage ontbreekt de inhoud op de server; die wordt de volgende keer opnieuw "
        "opgevraagd.",
        "The content of an attachment is missing on the server; it is asked for again next time.",
    ),
    "attachment_damaged": (
        "Een bijlage kwam beschadigd binnen; die wordt de volgende keer opnieuw opgevraagd.",
        "An attachment arrived damaged; it is asked for again next time.",
    ),
}


def warning_text(code: str, language: str = "nl") -> str:
    """A warning for people; a message the server wrote itself is passed on as it is."""
    texts = WARNINGS.get(code)
    if texts is None:
        return code
    return texts[0] if language.startswith("nl") else texts[1]


@dataclass
class SyncReport:
    sent: int = 0
    applied: int = 0
    merged: int = 0
    conflicts: int = 0
    rejected: int = 0
    orphaned: int = 0
    received: int = 0
    purged: int = 0
    reset: bool = False
    audit_events: int = 0
    blobs_sent: int = 0
    blobs_received: int = 0
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        # What the round changed on this device, for the screens that show it: record kinds
        # (entity names) and the clients they belong to (None: any client, after a reset).
        # Not fields: the report's fields are its counts, as printed and sent as JSON.
        self.changed_entities: set[str] = set()
        self.changed_clients: set[str] | None = set()

    def touched(self, entity: str, client_id: str | None) -> None:
        self.changed_entities.add(entity)
        if self.changed_clients is not None and client_id:
            self.changed_clients.add(client_id)

    def purged_clients(self, client_ids: list[str]) -> None:
        """Clients removed whole: every kind of their records changed."""
        if client_ids:
            self.changed_entities.update(ENTITIES)
            if self.changed_clients is not None:
                self.changed_clients.update(client_ids)


def _wire(entry: JournalEntry) -> Entry:
    return Entry(
        seq=entry.seq,
        mutation_id=entry.mutation_id,
        entity=entry.entity,
        record_id=entry.record_id,
        client_id=entry.client_id,
        op=Op(entry.op),
        base_version=entry.base_version,
        base_values=entry.base_values,
        new_values=entry.new_values,
    )


def batches(entries: list[JournalEntry]) -> list[list[JournalEntry]]:
    """At most MAX_PUSH_ENTRIES entries or about MAX_PUSH_BYTES of JSON per push."""
    result: list[list[JournalEntry]] = []
    current: list[JournalEntry] = []
    size = 0
    for entry in entries:
        weight = len(_wire(entry).model_dump_json())
        if current and (len(current) >= MAX_PUSH_ENTRIES or size + weight > MAX_PUSH_BYTES):
            result.append(current)
            current, size = [], 0
        current.append(entry)
        size += weight
    if current:
        result.append(current)
    return result


class SyncEngine:
    def __init__(
        self,
        store: Store,
        transport: Transport,
        *,
        device_id: str,
        page_size: int = PAGE_SIZE,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
    ) -> None:
        self._store = store
        self._transport = transport
        self._device_id = device_id
        self._page_size = page_size
        self._progress = progress or (lambda _phase, _done, _total: None)
        self._cancel = cancel
        self._server_protocol = 0  # the newest the server speaks, once its hello is answered

    def _check(self) -> None:
        """Between requests: stop when asked. Everything answered so far is already stored
        with its answer, so the next round continues from here."""
        if self._cancel is not None and self._cancel.is_set():
            raise SyncCancelled()

    def sync(self) -> SyncReport:
        """One round in as few requests as it can: nothing to send costs one request (the pull
        carries hello); with edits or audit events, one push carrying the hello, the audit
        events and (protocol 4) the request for the first page, which comes in its answer;
        more only when there is more than a request holds."""
        report = SyncReport()
        self._check()
        known = self._store.settings(
            sync_state.LAST_ACKED, sync_state.CURSOR, sync_state.RESET_PENDING
        )
        hello = self._hello(known)
        # A full download that was broken off starts again: only a whole one tells which rows
        # the server no longer has. Its first page is not asked for with the push.
        resetting = bool(known[sync_state.RESET_PENDING])
        # Two pages at most in flight: the page awaited and the one after it. No cyclic
        # collection while pages live (see _pull): the first may come with the push's answer.
        with (
            paused_gc(),
            ThreadPoolExecutor(max_workers=2, thread_name_prefix="veldwerk-pull") as pool,
        ):
            cursor = known[sync_state.CURSOR]
            folded = None
            if not resetting:
                folded = _PageWithPush(
                    PullRequest(cursor=cursor),
                    lambda after: self._start(
                        pool, after, hello=None, applied=cursor or "", early=True
                    ),
                )
            greeting = self._push(report, hello, folded)
            if greeting is not None:
                self._heard(report, greeting)
            reset = resetting or (greeting is not None and greeting.reset_required)
            if reset:
                folded = None
                self._begin_reset(report)
            first = folded.arrived(cursor) if folded is not None else None
            try:
                self._pull(
                    report, pool, hello=None if greeting else hello, reset=reset, first=first
                )
            except ResetRequired:
                # Keep the journal; download everything again. The entries were answered above.
                self._begin_reset(report)
                self._pull(report, pool, hello=None, reset=True)
        exits = sync_state.purge_pending_exits(self._store)
        report.purged += len(exits)
        report.purged_clients(exits)
        self._download_blobs(report)
        self._store.set_setting(sync_state.LAST_SYNC, datetime.now(UTC).isoformat())
        return report

    def _hello(self, known: Mapping[str, Any]) -> Hello:
        return Hello(
            device_id=self._device_id,
            protocol=PROTOCOL_VERSION,
            schema_version=head_revision() or "",
            app_version=app_version(),
            client_time=datetime.now(UTC),
            last_acked_seq=int(known[sync_state.LAST_ACKED] or 0),
            cursor=known[sync_state.CURSOR],
            open_conflicts=sync_state.open_conflict_count(self._store),
        )

    def _heard(self, report: SyncReport, greeting: HelloAnswer) -> None:
        self._server_protocol = greeting.protocol_max
        if abs(greeting.clock_skew_seconds or 0) > MAX_CLOCK_SKEW_SECONDS:
            report.warnings.append("clock_skew")
        elif greeting.message:
            report.warnings.append(greeting.message)

    def _begin_reset(self, report: SyncReport) -> None:
        report.reset = True
        report.changed_entities.update(ENTITIES)
        report.changed_clients = None
        sync_state.reset_cursor(self._store)

    def _push(
        self, report: SyncReport, hello: Hello, folded: _PageWithPush | None
    ) -> HelloAnswer | None:
        """Journal entries in batches, the round's hello with the first and the device's audit
        events with each; nothing is sent when there is nothing to send (the pull then carries
        the hello). The last batch asks for `folded`'s page in its answer (PULL_HEADER; a
        server before protocol 4 ignores that). Returns the server's answer to the hello, if it
        went here."""
        frozen = self._store.journal_entries()  # fixed now: later edits go in the next round
        total = len(frozen)
        done = 0
        self._upload_blobs(frozen, report)
        greeting: HelloAnswer | None = None
        pending = batches(frozen)
        first = True
        events_left = True  # until a push carried every event there was
        while True:
            self._check()
            batch = pending.pop(0) if pending else []
            events, events_left = self._audit_events() if events_left else ([], False)
            if not batch and not events:
                return greeting
            # The last batch asks, once: a later push carries audit events only.
            asking = folded if folded is not None and not pending and not folded.asked else None
            headers = {}
            if asking is not None:
                asking.asked = True
                request = asking.request.model_copy(update={"limit": self._limit()})
                headers[PULL_HEADER] = request.model_dump_json(exclude_defaults=True)
            answer = self._transport.request(
                "POST",
                "/v1/sync/push",
                PushAnswer,
                body=Push(
                    entries=[_wire(e) for e in batch],
                    hello=hello if first else None,
                    audit=[_audit_out(e) for e in events],
                ),
                headers=headers,
                on_headers=asking.heard if asking is not None else None,
            )
            first = False
            greeting = greeting or answer.hello
            took = self._took_audit(report, events, answer.audit)
            if batch:
                self._answered(report, batch, answer, settings=took)
                done += len(batch)
                self._progress("push", done, total)
            else:
                for key, value in took.items():
                    self._store.set_setting(key, value)
            if asking is not None:
                asking.page = answer.page

    def _answered(
        self,
        report: SyncReport,
        batch: list[JournalEntry],
        answer: PushAnswer,
        *,
        settings: Mapping[str, Any],
    ) -> None:
        sent = {e.seq for e in batch}
        verdicts = [
            sync_state.Verdict(
                seq=a.seq,
                status=a.status.value,
                version=a.version,
                conflicts=[c.model_dump() for c in a.conflicts],
                server_values=a.server_values,
                code=a.code,
            )
            for a in answer.answers
            if a.seq in sent and a.code not in _NOT_ANSWERED
        ]
        sync_state.acknowledge(self._store, verdicts, entries=batch, settings=settings)
        for entry in batch:
            report.touched(entry.entity, entry.client_id)
        for a in answer.answers:
            if a.code == "blob_missing":
                raise SyncError(
                    "blob_missing",
                    "De server heeft de inhoud van een bijlage nog niet; probeer het opnieuw.",
                    "The server does not have an attachment's content yet; try again.",
                )
            if a.code == "sequence_gap":
                raise SyncError(
                    "sequence_gap",
                    "De server mist eerdere wijzigingen van dit apparaat.",
                    "The server is missing earlier changes of this device.",
                )
        for v in verdicts:
            report.sent += 1
            if v.status == "applied":
                report.applied += 1
            elif v.status == "merged":
                report.merged += 1
            elif v.status == "conflict":
                report.conflicts += 1
            elif v.status == "rejected":
                report.rejected += 1
            elif v.status == "orphaned":
                report.orphaned += 1

    def _upload_blobs(self, entries: list[JournalEntry], report: SyncReport) -> None:
        """The bytes of every attachment about to be pushed, before the entries that name them.
        Content-addressed: bytes the server holds already are not sent again, and an upload cut
        off halfway continues where the server says it stopped."""
        digests = sorted(
            {
                str(e.new_values["sha256"])
                for e in entries
                if e.entity == "attachment" and isinstance(e.new_values.get("sha256"), str)
            }
        )
        for number, digest in enumerate(digests, start=1):
            self._check()
            path = f"/v1/sync/blobs/{digest}"
            held = self._transport.request("GET", path, BlobStatus)
            if held.complete:
                continue
            data = self._store.get_blob(digest)
            if data is None:
                continue  # the entry will be refused as blob_missing and kept for later
            offset = held.received if held.size == len(data) else 0
            if not data:
                # An empty file has no byte range to name: send it whole.
                held = self._transport.put_bytes(path, data, BlobStatus, headers={})
            while not held.complete:
                chunk = data[offset : offset + BLOB_CHUNK_BYTES]
                end = offset + len(chunk) - 1
                try:
                    held = self._transport.put_bytes(
                        path,
                        chunk,
                        BlobStatus,
                        headers={"Content-Range": f"bytes {offset}-{end}/{len(data)}"},
                    )
                except SyncError as error:
                    if error.code != "blob_offset":
                        raise
                    held = self._transport.request("GET", path, BlobStatus)
                offset = held.received
            report.blobs_sent += 1
            self._progress("attachments", number, len(digests))

    def _download_blobs(self, report: SyncReport) -> None:
        """Bytes of attachments this device holds the records of but not the content."""
        missing = sync_state.missing_blobs(self._store)
        for number, digest in enumerate(missing, start=1):
            self._check()
            # One attachment whose bytes cannot be had now (never uploaded by a lost device, or
            # damaged on the way) must not fail the whole round: the records stay, the bytes are
            # asked for again next time, and the report says so.
            try:
                data = self._transport.get_bytes(f"/v1/sync/blobs/{digest}/data")
            except SyncError as error:
                if error.code != "not_found":
                    raise
                report.warnings.append("attachment_missing_on_server")
                continue
            if hashlib.sha256(data).hexdigest() != digest:
                report.warnings.append("attachment_damaged")
                continue
            self._store.put_blob(data)
            report.changed_entities.add("attachment")
            report.changed_clients = None  # a blob does not say whose it is
            report.blobs_received += 1
            self._progress("attachments", number, len(missing))

    def _audit_events(self) -> tuple[list[AuditEvent], bool]:
        """The device's audit events after the last the server took, in chain order: as many
        as one push carries beside its entries; and whether more wait after them (events
        recorded during the round go with the next: not asking again after a push that
        carried them all saves a round with edits two reads of 1-2 ms)."""
        after = int(self._store.setting(AUDIT_SEQ, 0) or 0)
        events = self._store.audit_events_after(after, limit=MAX_AUDIT_EVENTS)
        size = 0
        for count, event in enumerate(events):
            size += len(json.dumps(event.details)) + 400
            if size > MAX_AUDIT_BYTES:
                return events[: max(1, count)], True
        return events, len(events) == MAX_AUDIT_EVENTS

    def _took_audit(
        self, report: SyncReport, events: list[AuditEvent], answer: AuditAnswer | None
    ) -> dict[str, Any]:
        """The settings that record the server took these events (written by the caller, with
        the push's acknowledgements when it carried entries: a write transaction and its
        commit fewer)."""
        if not events:
            return {}
        if answer is None:
            raise invalid_answer()  # a server that ignored them: sent again next round
        if not answer.chain_ok and "audit_chain_broken" not in report.warnings:
            report.warnings.append("audit_chain_broken")
        report.audit_events += len(events)
        return {AUDIT_SEQ: events[-1].seq}

    def _limit(self) -> int:
        # On a fast link a page's cost is the server's work per request, not the bytes: larger
        # pages. On a slow one, pages small enough that a broken download loses little.
        return MAX_PAGE_SIZE if self._transport.fast_link else self._page_size

    def _fetch(
        self,
        cursor: str | None,
        *,
        hello: Hello | None,
        applied: str | None,
        ahead: _Ahead,
        attempts: int | None,
    ) -> Page:
        return self._transport.request(
            "POST",
            "/v1/sync/pull",
            Page,
            body=PullRequest(hello=hello, cursor=cursor, applied=applied, limit=self._limit()),
            attempts=attempts,
            on_headers=ahead.heard,
        )

    def _start(
        self,
        pool: ThreadPoolExecutor,
        cursor: str | None,
        *,
        hello: Hello | None,
        applied: str | None,
        early: bool = False,
    ) -> _InFlight:
        # A page asked for on the headers' word is tried once: a retry reaching the server
        # after a later page was handed out would make it hand out that page's clients again.
        ahead = _Ahead()
        page = pool.submit(
            self._fetch,
            cursor,
            hello=hello,
            applied=applied,
            ahead=ahead,
            attempts=1 if early else None,
        )
        return _InFlight(cursor, page, ahead.cursor, early)

    def _pull(
        self,
        report: SyncReport,
        pool: ThreadPoolExecutor,
        *,
        hello: Hello | None,
        reset: bool,
        first: tuple[_InFlight, _InFlight | None] | None = None,
    ) -> None:
        """Pages until the server has no more, each applied with its cursor in one transaction:
        a download broken off continues after the last page applied. The first request carries
        the round's hello when no push did; if that hello finds the device must download
        everything again, the server answers with the first page of it.

        With a server of protocol 3 the next page is fetched while one is applied, naming the
        last page applied: the server then keeps owing what an unapplied page carried, so a
        device stopped between the two gets it again (server.sync.pull). When the answer's
        headers name the next cursor, that page is asked for as soon as they arrive, while this
        page's body is still on its way (a slow link then never waits for a request); never
        more than one page ahead of the last applied. `first`: the first page, when it came
        with the push (protocol 4), and the page after it if the push's headers named it."""
        known = self._store.settings(sync_state.CURSOR, sync_state.EPOCH)
        cursor = None if reset else known[sync_state.CURSOR]
        epoch = str(known[sync_state.EPOCH] or "")
        seen: set[str] = set()
        received: set[tuple[str, str]] = set()
        upcoming: _InFlight | None = None
        try:
            while True:
                self._check()
                # No cyclic collection from the request until the page is freed again: its
                # tens of thousands of objects hold no cycles, and collections walking them
                # while they lived cost about as much as parsing them.
                with paused_gc():
                    if first is not None:
                        current, upcoming = first
                        first = None
                    else:
                        current = upcoming or self._start(pool, cursor, hello=hello, applied=None)
                        upcoming = None
                    either: list[Future[Any]] = [current.page, current.next_cursor]
                    wait(either, return_when=FIRST_COMPLETED)
                    if not current.page.done():
                        # Announced by the headers: ask while this body arrives.
                        upcoming = self._start(
                            pool,
                            current.next_cursor.result(),
                            hello=None,
                            applied=cursor or "",
                            early=True,
                        )
                    try:
                        page = current.page.result()
                    except (SyncCancelled, ResetRequired):
                        raise
                    except SyncError as error:
                        if not (current.early and error.retryable):
                            raise
                        # Its one try failed: everything in flight is let go, and the
                        # page is asked for again after the last one applied, with the
                        # usual patience.
                        if upcoming is not None:
                            wait([upcoming.page])
                            upcoming = None
                        continue
                    if upcoming is not None and upcoming.after != page.cursor:
                        # The page came by a retry that ended elsewhere than the headers
                        # first said: what was asked on their word does not follow it.
                        wait([upcoming.page])
                        upcoming = None
                    if page.hello is not None:
                        hello = None
                        self._heard(report, page.hello)
                        epoch = page.hello.epoch
                        if page.hello.reset_required and not reset:
                            # The server answered with the first page of a full download.
                            reset = True
                            self._begin_reset(report)
                    if (
                        upcoming is None
                        and page.more
                        and self._server_protocol >= FETCH_AHEAD_PROTOCOL
                    ):
                        upcoming = self._start(pool, page.cursor, hello=None, applied=cursor or "")
                    records = page.records
                    if reset:
                        seen.update(page.scope_enter)
                        seen.update(r.client_id for r in records)
                        received.update((r.entity, r.id) for r in records)
                    # Once per client and kind, not per record: a first sync's pages hold
                    # thousands.
                    for entity, client_id in {(r.entity, r.client_id) for r in records}:
                        report.touched(entity, client_id)
                    applied, purged = sync_state.apply_page(
                        self._store,
                        records=records,
                        scope_exit=page.scope_exit,
                        cursor=page.cursor,
                        epoch=epoch or _epoch_of(page.cursor),
                        whole=page.scope_enter,
                        json_text=page.json_text,
                    )
                    report.received += applied
                    report.purged += len(purged)
                    report.purged_clients(purged)
                    self._progress("pull", report.received, report.received)
                    cursor = page.cursor
                    more = page.more
                    del page, records
                if not more:
                    break
        finally:
            if upcoming is not None:
                # Stopped early (cancelled, or a page that could not be applied): what the
                # page fetched ahead carries stays owed; its answer, or error, is not needed.
                upcoming.page.cancel()
                wait([upcoming.page])
        if reset:
            # After a full download, clients the server no longer sends are not ours any more.
            stale = sync_state.held_client_ids(self._store) - seen
            settled = sync_state.purge_settled(self._store, stale)
            report.purged += len(settled)
            report.purged_clients(settled)
            # Rows the server no longer has (it was restored): gone here too, unless ours wait.
            sync_state.drop_unreceived(self._store, received)
            sync_state.reset_done(self._store)


def _epoch_of(cursor: str) -> str:
    """The epoch inside a server's cursor (when no hello said it this round)."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        return str(json.loads(base64.urlsafe_b64decode(padded.encode()))["e"])
    except (ValueError, KeyError, TypeError):
        return ""


def _audit_out(event: AuditEvent) -> AuditEventOut:
    return AuditEventOut(
        seq=event.seq,
        event_id=event.event_id,
        at=event.at,
        actor=event.actor,
        action=event.action,
        entity=event.entity,
        record_id=event.record_id,
        client_id=event.client_id,
        details=event.details,
        prev_hash=event.prev_hash,
        hash=event.hash,
    )


class _PageWithPush:
    """The round's first page, asked for with its last push (protocol 4). When the answer's
    headers name the next cursor, that page is asked for at once (`start`), while the push's
    answer still arrives, as a pull's headers would have it asked for."""

    def __init__(self, request: PullRequest, start: Callable[[str], _InFlight]) -> None:
        self.request = request
        self.asked = False
        self.page: Page | None = None
        self._start = start
        self._next: _InFlight | None = None
        self._lock = threading.Lock()

    def heard(self, headers: Mapping[str, str]) -> None:
        announced = headers.get(NEXT_CURSOR_HEADER)
        with self._lock:
            if announced and self._next is None:  # a retried push's answer names it again
                self._next = self._start(announced)

    def arrived(self, cursor: str | None) -> tuple[_InFlight, _InFlight | None] | None:
        """The page as the pull loop awaits pages, and the one asked for after it; None when
        none came (the server does not speak protocol 4, or left the page to a pull)."""
        with self._lock:
            if self.page is None:
                return None
            done: Future[Page] = Future()
            done.set_result(self.page)
            return _InFlight(cursor, done, Future(), early=False), self._next


class _Ahead:
    """The next page's cursor as a pull answer's headers name it (NEXT_CURSOR_HEADER), heard
    on the request's thread before the body is read; the first one heard counts."""

    def __init__(self) -> None:
        self.cursor: Future[str] = Future()

    def heard(self, headers: Mapping[str, str]) -> None:
        announced = headers.get(NEXT_CURSOR_HEADER)
        if announced:
            with suppress(InvalidStateError):
                self.cursor.set_result(announced)


@dataclass(frozen=True, slots=True)
class _InFlight:
    """A pull request under way: the cursor it continues after, its page, and the cursor its
    headers announce for the page after it (never set by a server that does not)."""

    after: str | None
    page: Future[Page]
    next_cursor: Future[str]
    early: bool  # asked for on the headers' word, before the page before it was whole
