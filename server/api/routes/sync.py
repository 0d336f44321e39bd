"""Sync endpoints: hello, push, pull. The protocol types live in app.sync.protocol."""

from __future__ import annotations

import logging
import lzma
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Request, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from app.sync.protocol import (
    DEFAULT_PAGE_SIZE,
    JSON_TEXT_HEADER,
    MAX_CLOCK_SKEW_SECONDS,
    MAX_PAGE_SIZE,
    NEXT_CURSOR_HEADER,
    ORDER_HEADER,
    PULL_HEADER,
    SUPPORTED_PROTOCOLS,
    AuditAnswer,
    AuditPush,
    BlobStatus,
    Hello,
    HelloAnswer,
    Page,
    PullRequest,
    Push,
    PushAnswer,
)
from server.api.deps import CurrentActor, SessionDep
from server.api.routes.common import ERRORS
from server.crud.devices import remember_app_version
from server.errors import ApiError, forbidden
from server.logs import log
from server.policy import Action, Actor, allowed
from server.sync import blobs
from server.sync.audit_in import receive as receive_audit
from server.sync.feed import FeedNow, feed_now, parse_cursor
from server.sync.pull import PageOut, device_sync, take_order
from server.sync.pull import pull as pull_page
from server.sync.push import push_all
from server.version import MIN_APP_VERSION

router = APIRouter(prefix="/v1/sync", tags=["sync"], responses=ERRORS)

# The device's number for this request (ORDER_HEADER); pages are built only in that order.
Order = Annotated[int | None, Header(alias=ORDER_HEADER, ge=0, le=2**62)]
# Whether the device takes JSON fields as text (JSON_TEXT_HEADER).
JsonText = Annotated[str | None, Header(alias=JSON_TEXT_HEADER, max_length=8)]


def _as_text(header: str | None) -> bool:
    return header == "1"


def _version_tuple(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in text.split(".")[:3])
    except ValueError:
        return (0,)


@router.post("/hello", response_model=HelloAnswer)
def hello(body: Hello, actor: CurrentActor, session: SessionDep) -> HelloAnswer:
    """Compatibility and clock check before a sync (protocol 1; protocol 2 sends its hello with
    the round's first push or pull). Ordering never depends on device clocks."""
    answer = _hello(session, actor, body, feed_now(session))
    session.commit()
    return answer


def _hello(session: Session, actor: Actor, body: Hello, feed: FeedNow) -> HelloAnswer:
    """The answer to a round's hello; `feed` is the feed as the caller's transaction reads it."""
    low, high = SUPPORTED_PROTOCOLS
    if not low <= body.protocol <= high or _version_tuple(body.app_version) < _version_tuple(
        MIN_APP_VERSION
    ):
        raise ApiError(
            426,
            "client_too_old",
            f"This Veldwerk is too old for the central office; install version "
            f"{MIN_APP_VERSION} or newer.",
        )
    now = datetime.now(UTC)
    # Written in the caller's transaction, with the push or the page the hello came with.
    _remember_report(session, actor, body)
    reset = _behind_device(session, actor, body, feed)
    skew = (body.client_time - now).total_seconds()
    message = None
    if abs(skew) > MAX_CLOCK_SKEW_SECONDS:
        message = "The clock of this device is off by more than 5 minutes; please correct it."
    return HelloAnswer(
        epoch=feed.epoch,
        protocol_min=low,
        protocol_max=high,
        server_time=now,
        min_app_version=MIN_APP_VERSION,
        clock_skew_seconds=round(skew, 1),
        message=message,
        reset_required=reset,
    )


def _remember_report(session: Session, actor: Actor, body: Hello) -> None:
    """What the device says of itself: its version, and the conflicts that wait on it."""
    if actor.device_id is None:
        return
    remember_app_version(session, actor.device_id, body.app_version)
    if body.open_conflicts is not None:
        device_sync(session, actor.device_id).open_conflicts = body.open_conflicts


def _behind_device(session: Session, actor: Actor, body: Hello, feed: FeedNow) -> bool:
    """Whether this server knows less than the device: restored from an older backup.

    The device saw entries acknowledged that this server no longer has; they cannot be sent
    again, so the server continues numbering after them (logged), and the device downloads
    everything again. A cursor from another epoch or ahead of the feed says the same."""
    assert actor.device_id is not None
    state = device_sync(session, actor.device_id)
    behind = state.last_seq < body.last_acked_seq
    if behind:
        log(
            "device_ahead_of_server",
            logging.WARNING,
            device=actor.device_id,
            server_seq=state.last_seq,
            device_seq=body.last_acked_seq,
        )
        state.last_seq = body.last_acked_seq
    if body.cursor:
        try:
            parse_cursor(session, body.cursor, feed)
        except ApiError as error:
            if error.code != "reset_required":
                raise
            behind = True
    return behind


@router.post("/push", response_model=PushAnswer)
def push(
    request: Request,
    body: Push,
    actor: CurrentActor,
    session: SessionDep,
    pull_after: Annotated[str | None, Header(alias=PULL_HEADER, max_length=1000)] = None,
    order: Order = None,
    json_text: JsonText = None,
) -> Any:
    """Apply journal entries in order; each is answered, and a replay gets the same answer.
    A round's hello is answered first and its audit events are stored after the entries.
    Protocol 4: with PULL_HEADER, the answer carries that pull's page, read once the push is
    committed (a round with edits in one request)."""
    if not (allowed(actor, Action.WRITE_DOSSIER) or allowed(actor, Action.REVIEW_INTAKE)):
        raise forbidden()
    if body.audit and not allowed(actor, Action.READ_DOSSIER):
        raise forbidden()
    asked = _pull_asked(pull_after)  # refused before anything is written
    hello = body.hello
    audit = list(body.audit)

    def before(session: Session) -> HelloAnswer | None:
        return _hello(session, actor, hello, feed_now(session)) if hello is not None else None

    def after(session: Session) -> AuditAnswer | None:
        return receive_audit(session, actor, audit) if audit else None

    # One transaction for the hello, the entries and the audit events: each transaction cost
    # a BEGIN, a COMMIT and reading the device's state again.
    greeting, answer, audit_answer = push_all(
        session, actor, list(body.entries), before=before, after=after
    )
    answer = answer.model_copy(update={"hello": greeting, "audit": audit_answer})
    page = (
        None
        if asked is None
        else _page_after_push(session, actor, asked, greeting, order, _as_text(json_text))
    )
    # Without "page" unless there is one: a device before protocol 4 refuses members it does
    # not know.
    raw = answer.model_dump_json(exclude={"page"}).encode()
    if page is None:
        return _encoded(request, raw)
    # Spliced in as the pull route writes it: the records are already JSON (PageOut).
    return _encoded(
        request,
        b"".join([raw[:-1], b',"page":', *page.pieces(), b"}"]),
        next_cursor=page.cursor if page.more else None,
    )


def _pull_asked(header: str | None) -> PullRequest | None:
    """The pull a push asks to be answered with (PULL_HEADER): a cursor and a limit only (the
    hello rides in the push itself; a page fetched ahead is asked for by a pull)."""
    if header is None:
        return None
    try:
        asked = PullRequest.model_validate_json(header)
    except ValidationError:
        asked = None
    if asked is None or asked.hello is not None or asked.applied is not None:
        raise ApiError(422, "invalid_request", f"Invalid request: {PULL_HEADER} is not a pull.")
    return asked


def _page_after_push(
    session: Session,
    actor: Actor,
    asked: PullRequest,
    greeting: HelloAnswer | None,
    order: int | None,
    json_text: bool,
) -> PageOut | None:
    """The page a push asked for, or None where a pull of its own must decide: the device may
    not read dossiers (a role that only reviews never pulls), its hello found it must download
    everything again, or the cursor or the request's number is refused (the entries are
    committed and answered; the device's own pull then meets the refusal, and knows what to do
    with it)."""
    resetting = greeting is not None and greeting.reset_required
    if resetting or not allowed(actor, Action.READ_DOSSIER):
        return None
    try:
        return _page(
            session,
            actor,
            lambda _session: (asked.cursor, None, None),
            asked.limit,
            order=order,
            json_text=json_text,
        )
    except ApiError:
        session.rollback()
        return None


@router.post("/audit", response_model=AuditAnswer)
def audit(body: AuditPush, actor: CurrentActor, session: SessionDep) -> AuditAnswer:
    """The device's own audit events, so central office holds the complete access log."""
    if not allowed(actor, Action.READ_DOSSIER):
        raise forbidden()
    answer = receive_audit(session, actor, list(body.events))
    session.commit()
    return answer


def _page(
    session: Session,
    actor: Actor,
    cursors: Callable[[Session], tuple[str | None, str | None, FeedNow | None]],
    limit: int,
    *,
    order: int | None,
    json_text: bool,
) -> PageOut:
    """A page after the cursors `cursors` gives (cursor, applied, and the feed if it read
    it), asked in the page's transaction, which it may write in first (a hello); refused,
    with nothing written, when the device had a request numbered after `order` answered."""
    if session.get_bind().dialect.name == "postgresql":
        # One snapshot for the whole page: counter, rows and scope agree.
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    if actor.device_id is not None:
        take_order(session, actor.device_id, order)
    cursor, applied, feed = cursors(session)
    page = pull_page(
        session,
        actor,
        cursor_text=cursor,
        limit=limit,
        applied_text=applied,
        now=feed,
        json_text=json_text,
    )
    session.commit()
    return page


def _encoded(request: Request, body: bytes, *, next_cursor: str | None = None) -> Response:
    """A pull page (or a push answer carrying one) as JSON already built: a page is tens of
    thousands of values the database already holds checked, and validating them again through
    the response model would cost more than reading them."""
    headers = {"Vary": "Accept-Encoding"}
    if next_cursor is not None:
        headers[NEXT_CURSOR_HEADER] = next_cursor
    if "xz" in _codings(request) and len(body) > XZ_MIN_BYTES:
        # Asked for by a device on a slow link, where bytes are what is slow and the page is
        # compressed while the one before it is still on its way: about 0.4x gzip's size.
        headers["Content-Encoding"] = "xz"
        return Response(
            lzma.compress(body, format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC32, filters=XZ_FILTERS),
            media_type="application/json",
            headers=headers,
        )
    return Response(body, media_type="application/json", headers=headers)


def _json(request: Request, page: PageOut, extra: dict[str, Any] | None = None) -> Response:
    return _encoded(request, page.to_json(extra), next_cursor=page.cursor if page.more else None)


XZ_MIN_BYTES = 4096
# LZMA2 with a hash-chain match finder: on 1,000-record pages of the demo caseload 22% smaller
# than preset 1 for about 0.1 s more a page; preset 6's binary tree saves 7% more for twice that.
XZ_FILTERS = [
    {
        "id": lzma.FILTER_LZMA2,
        "dict_size": 8 << 20,
        "mf": lzma.MF_HC4,
        "nice_len": 32,
        "mode": lzma.MODE_NORMAL,
    }
]


def _codings(request: Request) -> set[str]:
    header = request.headers.get("accept-encoding", "")
    return {part.split(";")[0].strip().lower() for part in header.split(",")}


@router.get("/pull", response_model=Page)
def pull(
    request: Request,
    actor: CurrentActor,
    session: SessionDep,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    order: Order = None,
    json_text: JsonText = None,
) -> Response:
    """Changes after the cursor within the device's scope, with scope enters and exits."""
    if not allowed(actor, Action.READ_DOSSIER):
        raise forbidden()
    page = _page(
        session,
        actor,
        lambda _session: (cursor, None, None),
        limit,
        order=order,
        json_text=_as_text(json_text),
    )
    return _json(request, page)


@router.post("/pull", response_model=Page)
def pull_with_hello(
    request: Request,
    body: PullRequest,
    actor: CurrentActor,
    session: SessionDep,
    order: Order = None,
    json_text: JsonText = None,
) -> Response:
    """Protocol 2 and 3: a page, with the round's hello answered first when it comes along. A
    hello that answers `reset_required` gets the first page of a full download."""
    if not allowed(actor, Action.READ_DOSSIER):
        raise forbidden()
    greeting: HelloAnswer | None = None

    def before(session: Session) -> tuple[str | None, str | None, FeedNow]:
        nonlocal greeting
        # In the page's own snapshot (`_page`): one transaction where there were two, and the
        # feed read once for both.
        feed = feed_now(session)
        greeting = _hello(session, actor, body.hello, feed) if body.hello is not None else None
        reset = greeting is not None and greeting.reset_required
        # A reset starts from nothing: no page of the old download counts as applied.
        return (None, None, feed) if reset else (body.cursor, body.applied, feed)

    page = _page(session, actor, before, body.limit, order=order, json_text=_as_text(json_text))
    extra = {"hello": greeting.model_dump(mode="json")} if greeting is not None else None
    return _json(request, page, extra)


Sha256 = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")]


@router.get("/blobs/{sha256}", response_model=BlobStatus)
def blob_status(sha256: Sha256, actor: CurrentActor, session: SessionDep) -> BlobStatus:
    """`complete` when this device may name these bytes in an attachment (it uploaded them, or
    they are attached in its scope); otherwise how much of its own upload the server holds,
    where an interrupted upload continues. Other devices' bytes and uploads answer as if never
    seen, so a hash cannot be probed."""
    if not allowed(actor, Action.WRITE_DOSSIER):
        raise forbidden()
    return blobs.status(session, actor, sha256)


@router.put(
    "/blobs/{sha256}",
    response_model=BlobStatus,
    responses={
        409: {"description": "the chunk does not continue what the server holds"},
        413: {"description": "the chunk or the whole attachment is too large"},
        416: {"description": "Content-Range is malformed or does not match the body"},
        422: {"description": "the bytes do not match their SHA-256"},
    },
    openapi_extra={
        "requestBody": {
            "required": False,
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        }
    },
)
async def blob_upload(
    sha256: Sha256,
    request: Request,
    actor: CurrentActor,
    session: SessionDep,
    content_range: Annotated[str | None, Header(max_length=100)] = None,
) -> BlobStatus:
    """An attachment's bytes, whole or one chunk (Content-Range); sending them again is
    harmless, and a chunk that does not continue what the server holds of this device's upload
    is refused with 409. Completing them (checked against the hash) proves this device holds
    them, also when the server had them already from someone else."""
    if not allowed(actor, Action.WRITE_DOSSIER):
        raise forbidden()
    data = await request.body()  # at most max_blob_chunk_bytes: server.body_limit cut it there

    def store() -> BlobStatus:
        answer = blobs.receive(session, actor, sha256, data, content_range)
        session.commit()
        return answer

    # The database work runs on the thread pool, like the other (synchronous) endpoints.
    return await run_in_threadpool(store)


@router.get(
    "/blobs/{sha256}/data",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}}},
)
def blob_data(sha256: Sha256, actor: CurrentActor, session: SessionDep) -> Response:
    """The bytes of a live attachment of a client in this device's scope; 404 alike for bytes
    the server lacks and bytes that are not this device's to read."""
    if not allowed(actor, Action.READ_DOSSIER):
        raise forbidden()
    return Response(blobs.readable(session, actor, sha256), media_type="application/octet-stream")
