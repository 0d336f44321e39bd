"""The sync Transport against a tiny scripted HTTP server on 127.0.0.1 (no real server).

Each test scripts the answers; `sleep` and `rng` are injected, so backoff is recorded, not
waited for.
"""

from __future__ import annotations

import gzip
import inspect
import json
import lzma
import socket
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from app.sync.client import (
    MAX_ORDER_REFUSALS,
    ClientTooOld,
    DeviceRevoked,
    LinkSpeed,
    ResetRequired,
    SyncError,
    Transport,
    check_server_url,
    judge_link,
)
from app.sync.protocol import ORDER_HEADER, ORDER_REFUSAL, PROTOCOL_HEADER, Hello, HelloAnswer

HELLO_ANSWER = {
    "epoch": "e1",
    "protocol_min": 1,
    "protocol_max": 1,
    "server_time": "2026-01-05T10:00:00+00:00",
    "min_app_version": "0.1.0",
    "clock_skew_seconds": 0.0,
}
CAPTIVE = (
    b"<!DOCTYPE html><html><head><title>Gratis wifi</title></head>"
    b"<body><form action='/login'>Accepteer de voorwaarden</form></body></html>"
)


@dataclass
class Reply:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    # When set, the headers go out at once and the body only once this is set (10 s at most).
    hold: threading.Event | None = None


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class Scripted:
    """A local HTTP server that gives the scripted replies in order (the last one repeats)."""

    def __init__(self) -> None:
        self.replies: list[Reply] = []
        self.seen: list[Seen] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                outer.seen.append(Seen(self.command, self.path, dict(self.headers.items()), body))
                index = min(len(outer.seen), len(outer.replies)) - 1
                reply = outer.replies[index]
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                if reply.hold is not None:
                    self.wfile.flush()
                    reply.hold.wait(10)
                self.wfile.write(reply.body)

            do_GET = _answer
            do_POST = _answer

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def script(self, *replies: Reply) -> None:
        self.replies = list(replies)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _json(status: int, payload: object, **headers: str) -> Reply:
    return Reply(
        status, json.dumps(payload).encode(), {"Content-Type": "application/json", **headers}
    )


@pytest.fixture
def server() -> Iterator[Scripted]:
    scripted = Scripted()
    yield scripted
    scripted.close()


class Recorder:
    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def _transport(url: str, sleep: Recorder, *, attempts: int = 5, **kwargs: object) -> Transport:
    # The scripted server stands for one across a network, though it listens on loopback.
    kwargs.setdefault("local", False)
    return Transport(
        url,
        token="t0k3n",
        attempts=attempts,
        connect_timeout=2.0,
        read_timeout=5.0,
        sleep=sleep,
        rng=lambda: 1.0,
        **kwargs,  # type: ignore[arg-type]
    )


def _hello() -> Hello:
    return Hello(
        device_id="d1",
        protocol=1,
        schema_version="0001",
        app_version="0.1.0",
        client_time="2026-01-05T10:00:00+00:00",  # type: ignore[arg-type]
    )


def _refused_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"  # nothing listens here any more


# --- retries and backoff ----------------------------------------------------------------------


def test_connection_refused_backs_off_exponentially_then_gives_up() -> None:
    sleep = Recorder()
    transport = _transport(_refused_url(), sleep, attempts=5)
    with pytest.raises(SyncError) as raised:
        transport.request("GET", "/v1/sync/pull", HelloAnswer)
    assert raised.value.code == "server_unreachable"
    assert raised.value.retryable is True
    # Full jitter with rng() == 1.0 is the ceiling: 0.5, 1, 2, 4 ... There is no sleep after
    # the last attempt: nobody should wait for an error that is already certain.
    assert sleep.delays == [0.5, 1.0, 2.0, 4.0]


def test_backoff_is_capped_and_jittered(server: Scripted) -> None:
    server.script(Reply(503))
    sleep = Recorder()
    transport = _transport(server.url, sleep, attempts=9, max_backoff=3.0)
    with pytest.raises(SyncError) as raised:
        transport.request("GET", "/v1/sync/pull", HelloAnswer)
    assert raised.value.code == "server_unreachable"
    assert len(server.seen) == 9
    assert sleep.delays[:4] == [0.5, 1.0, 2.0, 3.0]
    assert max(sleep.delays) == 3.0

    half = Transport(server.url, attempts=3, sleep=(rec := Recorder()), rng=lambda: 0.5)
    with pytest.raises(SyncError):
        half.request("GET", "/v1/sync/pull", HelloAnswer)
    assert rec.delays[:2] == [0.25, 0.5]  # full jitter: a fraction of the ceiling


def test_503_then_success_is_retried(server: Scripted) -> None:
    server.script(Reply(503), Reply(502), _json(200, HELLO_ANSWER))
    sleep = Recorder()
    answer = _transport(server.url, sleep).request("POST", "/v1/sync/hello", HelloAnswer)
    assert answer.epoch == "e1"
    assert len(server.seen) == 3
    assert sleep.delays == [0.5, 1.0]


def test_429_waits_for_retry_after(server: Scripted) -> None:
    server.script(
        _json(429, {"code": "too_many", "message": "slow down"}, **{"Retry-After": "7"}),
        Reply(503, headers={"Retry-After": "2"}),
        _json(200, HELLO_ANSWER),
    )
    sleep = Recorder()
    answer = _transport(server.url, sleep).request("POST", "/v1/sync/hello", HelloAnswer)
    assert answer.epoch == "e1"
    assert sleep.delays == [7.0, 2.0]


def test_gives_up_after_attempts_on_429(server: Scripted) -> None:
    server.script(Reply(429, headers={"Retry-After": "1"}))
    sleep = Recorder()
    with pytest.raises(SyncError) as raised:
        _transport(server.url, sleep, attempts=3).request("GET", "/v1/sync/pull", HelloAnswer)
    assert raised.value.code == "server_unreachable" and raised.value.retryable
    assert len(server.seen) == 3


def test_throttled_logins_are_told_at_once(server: Scripted) -> None:
    server.script(
        _json(
            429,
            {"code": "too_many_attempts", "message": "Too many failed attempts."},
            **{"Retry-After": "600"},
        )
    )
    sleep = Recorder()
    with pytest.raises(SyncError) as raised:
        _transport(server.url, sleep, attempts=3).request("POST", "/v1/enroll", HelloAnswer)
    assert raised.value.code == "too_many_attempts" and not raised.value.retryable
    assert "Te veel mislukte pogingen" in raised.value.message_nl
    assert sleep.delays == [] and len(server.seen) == 1


# --- only a valid answer counts ---------------------------------------------------------------


def test_captive_portal_200_is_an_invalid_answer(server: Scripted) -> None:
    server.script(Reply(200, CAPTIVE, {"Content-Type": "text/html; charset=utf-8"}))
    with pytest.raises(SyncError) as raised:
        _transport(server.url, Recorder()).request(
            "POST", "/v1/sync/hello", HelloAnswer, body=_hello()
        )
    assert raised.value.code == "invalid_answer"
    assert "login" in raised.value.message_en.lower()


def test_captive_portal_claiming_json_is_an_invalid_answer(server: Scripted) -> None:
    server.script(Reply(200, CAPTIVE, {"Content-Type": "application/json"}))
    with pytest.raises(SyncError) as raised:
        _transport(server.url, Recorder()).request("POST", "/v1/sync/hello", HelloAnswer)
    assert raised.value.code == "invalid_answer"


@pytest.mark.parametrize(
    "payload",
    [
        {"status": "ok"},
        {**HELLO_ANSWER, "epoch": None},
        {**HELLO_ANSWER, "unexpected": 1},
        [HELLO_ANSWER],
        "ok",
        None,
    ],
)
def test_200_json_not_matching_the_model_is_an_invalid_answer(
    server: Scripted, payload: object
) -> None:
    server.script(_json(200, payload))
    with pytest.raises(SyncError) as raised:
        _transport(server.url, Recorder()).request("POST", "/v1/sync/hello", HelloAnswer)
    assert raised.value.code == "invalid_answer"


def test_device_revoked(server: Scripted) -> None:
    server.script(_json(401, {"code": "device_revoked", "message": "revoked"}))
    with pytest.raises(DeviceRevoked) as raised:
        _transport(server.url, Recorder()).request("POST", "/v1/sync/hello", HelloAnswer)
    assert raised.value.code == "device_revoked" and not raised.value.retryable
    assert len(server.seen) == 1


def test_other_401_is_not_revocation(server: Scripted) -> None:
    server.script(_json(401, {"code": "invalid_token", "message": "bad token"}))
    with pytest.raises(SyncError) as raised:
        _transport(server.url, Recorder()).request("POST", "/v1/sync/hello", HelloAnswer)
    assert not isinstance(raised.value, DeviceRevoked)
    assert raised.value.code == "invalid_token"


def test_reset_required(server: Scripted) -> None:
    server.script(_json(409, {"code": "reset_required", "message": "epoch changed"}))
    with pytest.raises(ResetRequired) as raised:
        _transport(server.url, Recorder()).request("GET", "/v1/sync/pull", HelloAnswer)
    assert raised.value.code == "reset_required"


# --- request numbers (ORDER_HEADER) -------------------------------------------------------------


def _orders(server: Scripted) -> list[int]:
    return [int(seen.headers[ORDER_HEADER]) for seen in server.seen]


def test_every_attempt_is_numbered_after_the_one_before(server: Scripted) -> None:
    server.script(Reply(503), _json(200, HELLO_ANSWER))
    transport = _transport(server.url, Recorder())
    transport.request("POST", "/v1/sync/hello", HelloAnswer)
    transport.request("POST", "/v1/sync/hello", HelloAnswer)
    numbers = _orders(server)
    assert len(numbers) == 3 and numbers == sorted(set(numbers))
    # A later start of the app continues above: the numbers start at the clock.
    later = _transport(server.url, Recorder())
    later.request("POST", "/v1/sync/hello", HelloAnswer)
    assert _orders(server)[-1] > numbers[-1]


def test_refused_as_out_of_order_it_is_asked_again_at_once_numbered_after_the_server(
    server: Scripted,
) -> None:
    # The clock of this laptop went back: the server answered higher numbers before.
    ahead = 10**18
    server.script(
        _json(409, {"code": ORDER_REFUSAL, "message": "later first", "last_order": ahead}),
        _json(200, HELLO_ANSWER),
    )
    sleep = Recorder()
    answer = _transport(server.url, sleep).request("POST", "/v1/sync/hello", HelloAnswer)
    assert answer.epoch == "e1"
    assert _orders(server)[1] > ahead
    assert sleep.delays == []  # nothing to wait for


def test_a_request_tried_once_and_refused_as_out_of_order_fails_retryable(
    server: Scripted,
) -> None:
    server.script(_json(409, {"code": ORDER_REFUSAL, "message": "later first", "last_order": 5}))
    transport = _transport(server.url, Recorder())
    with pytest.raises(SyncError) as raised:
        transport.request("POST", "/v1/sync/pull", HelloAnswer, attempts=1)
    assert raised.value.code == ORDER_REFUSAL and raised.value.retryable
    assert len(server.seen) == 1


def test_refusals_as_out_of_order_do_not_go_on_for_ever(server: Scripted) -> None:
    server.script(
        _json(409, {"code": ORDER_REFUSAL, "message": "later first", "last_order": 10**18})
    )
    with pytest.raises(SyncError) as raised:
        _transport(server.url, Recorder(), attempts=100).request(
            "POST", "/v1/sync/hello", HelloAnswer
        )
    assert raised.value.code == ORDER_REFUSAL
    assert len(server.seen) == MAX_ORDER_REFUSALS + 1


def test_client_too_old(server: Scripted) -> None:
    server.script(_json(426, {"code": "client_too_old", "message": "Install 0.2.0."}))
    with pytest.raises(ClientTooOld) as raised:
        _transport(server.url, Recorder()).request("POST", "/v1/sync/hello", HelloAnswer)
    assert raised.value.code == "client_too_old" and not raised.value.retryable
    assert raised.value.message_en == "Install 0.2.0."


# --- what goes on the wire --------------------------------------------------------------------


def test_request_body_is_gzip_compressed(server: Scripted) -> None:
    server.script(_json(200, HELLO_ANSWER))
    hello = _hello()
    _transport(server.url, Recorder()).request("POST", "/v1/sync/hello", HelloAnswer, body=hello)
    [seen] = server.seen
    headers = {k.lower(): v for k, v in seen.headers.items()}
    assert headers["content-encoding"] == "gzip"
    assert headers["content-type"] == "application/json"
    assert headers["authorization"] == "Bearer t0k3n"
    assert headers[PROTOCOL_HEADER.lower()] == "1" or headers[PROTOCOL_HEADER.lower()].isdigit()
    assert seen.body[:2] == b"\x1f\x8b"
    assert Hello.model_validate_json(gzip.decompress(seen.body)) == hello


def test_get_has_no_body_and_sends_params(server: Scripted) -> None:
    server.script(_json(200, HELLO_ANSWER))
    _transport(server.url, Recorder()).request(
        "GET", "/v1/sync/pull", HelloAnswer, params={"limit": 5, "cursor": "c9"}
    )
    [seen] = server.seen
    assert seen.method == "GET" and seen.body == b""
    assert seen.path == "/v1/sync/pull?limit=5&cursor=c9"


# --- server address and TLS -------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org",
        "http://10.0.0.1:8000",
        "http://192.168.1.5",
        "http://veldwerk.gemeente.nl/",
        "ftp://127.0.0.1",
        "127.0.0.1:8000",
        "https://",
    ],
)
def test_insecure_server_urls_are_refused(url: str) -> None:
    with pytest.raises(SyncError) as raised:
        check_server_url(url)
    assert raised.value.code == "insecure_server_url" and not raised.value.retryable
    with pytest.raises(SyncError):
        Transport(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://veldwerk.gemeente.nl/", "https://veldwerk.gemeente.nl"),
        ("https://10.0.0.1:8443", "https://10.0.0.1:8443"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("http://localhost:8000/", "http://localhost:8000"),
        ("http://[::1]:8000", "http://[::1]:8000"),
    ],
)
def test_https_and_loopback_http_are_accepted(url: str, expected: str) -> None:
    assert check_server_url(url) == expected


def test_verification_cannot_be_switched_off(tmp_path: Path) -> None:
    assert "verify" not in inspect.signature(Transport).parameters
    with pytest.raises(TypeError):
        Transport("https://veldwerk.example", verify=False)  # type: ignore[call-arg]
    assert Transport("https://veldwerk.example")._session.verify is True
    bundle = tmp_path / "ca.pem"
    assert Transport("https://veldwerk.example", ca_bundle=bundle)._session.verify == str(bundle)


# --- compression by link, patience -------------------------------------------------------------


def _xz(payload: object) -> Reply:
    body = lzma.compress(json.dumps(payload).encode(), format=lzma.FORMAT_XZ)
    return Reply(200, body, {"Content-Type": "application/json", "Content-Encoding": "xz"})


def test_an_xz_answer_is_inflated_and_a_slow_link_keeps_asking_for_it(server: Scripted) -> None:
    server.script(_xz(HELLO_ANSWER))
    transport = _transport(server.url, Recorder())
    assert transport.request("POST", "/v1/sync/hello", HelloAnswer).epoch == "e1"
    assert server.seen[0].headers["Accept-Encoding"] == "xz, gzip"


def test_a_fast_link_asks_for_gzip_only(server: Scripted) -> None:
    # A large answer whose body arrives at loopback speed: xz would cost the server more time
    # than it saves on the wire.
    padded = {**HELLO_ANSWER, "message": "x" * 200_000}
    server.script(_json(200, padded), _json(200, HELLO_ANSWER))
    transport = _transport(server.url, Recorder())
    transport.request("POST", "/v1/sync/hello", HelloAnswer)
    transport.request("POST", "/v1/sync/hello", HelloAnswer)
    assert [s.headers["Accept-Encoding"] for s in server.seen] == ["xz, gzip", "gzip"]


def test_a_server_on_this_machine_gets_asked_for_no_compression(server: Scripted) -> None:
    # Compressing a page would cost more than sending it across loopback.
    padded = {**HELLO_ANSWER, "message": "x" * 200_000}
    server.script(_json(200, padded), _json(200, HELLO_ANSWER))
    transport = Transport(server.url)
    assert transport.link is LinkSpeed.LOCAL and transport.fast_link
    transport.request("POST", "/v1/sync/hello", HelloAnswer)
    transport.request("POST", "/v1/sync/hello", HelloAnswer)
    assert [s.headers["Accept-Encoding"] for s in server.seen] == ["identity", "identity"]


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://127.0.0.1:8000", True),
        ("http://localhost:8000", True),
        ("http://[::1]:8000", True),
        ("https://veldwerk.example", False),
        ("https://10.0.0.5", False),
    ],
)
def test_only_a_loopback_server_counts_as_local(url: str, local: bool) -> None:
    assert (Transport(url).link is LinkSpeed.LOCAL) is local


@pytest.mark.parametrize(
    ("wire_bytes", "seconds", "expected"),
    [
        (10_000, 0.0, None),  # too small to tell anything
        (100_000, 1.0, LinkSpeed.SLOW),  # a hotspot: 100 kB/s
        (1_000_000, 0.1, LinkSpeed.FAST),  # 10 MB/s
        (5_000_000, 0.04, LinkSpeed.FAST),  # a gigabit LAN at full speed: 125 MB/s
        (5_000_000, 0.0, LinkSpeed.FAST),  # faster than the clock ticks
    ],
)
def test_links_are_judged_by_their_bytes_per_second(
    wire_bytes: int, seconds: float, expected: LinkSpeed | None
) -> None:
    assert judge_link(wire_bytes, seconds) is expected


def test_a_damaged_xz_answer_is_no_answer(server: Scripted) -> None:
    broken = _xz(HELLO_ANSWER)
    broken.body = broken.body[:-8]
    server.script(broken)
    with pytest.raises(SyncError) as raised:
        _transport(server.url, Recorder(), attempts=2).request(
            "POST", "/v1/sync/hello", HelloAnswer
        )
    assert raised.value.code == "server_unreachable" and len(server.seen) == 2


def test_without_an_attempt_limit_retries_spread_over_the_patience() -> None:
    sleep = Recorder()
    transport = Transport(_refused_url(), sleep=sleep, rng=lambda: 0.5, patience=120.0)
    with pytest.raises(SyncError) as raised:
        transport.request("GET", "/v1/sync/pull", HelloAnswer)
    assert raised.value.code == "server_unreachable"
    assert 100 <= sum(sleep.delays) <= 120  # a couple of minutes, then the window takes over
    assert max(sleep.delays) == 15.0  # the 30 s ceiling, jittered


# --- headers ahead of the body ----------------------------------------------------------------


def test_on_headers_hears_an_answer_before_its_body_arrives(server: Scripted) -> None:
    # The body is held back until the headers were heard: were they heard only after it, the
    # request would wait for the held body and the server would give up after 10 s.
    release = threading.Event()
    server.script(
        Reply(
            200,
            json.dumps(HELLO_ANSWER).encode(),
            {"Content-Type": "application/json", "X-Next": "c2"},
            hold=release,
        )
    )
    heard: list[tuple[str | None, bool]] = []

    def on_headers(headers: Mapping[str, str]) -> None:
        heard.append((headers.get("X-Next"), release.is_set()))
        release.set()

    answer = _transport(server.url, Recorder()).request(
        "POST", "/v1/sync/hello", HelloAnswer, on_headers=on_headers
    )
    assert answer.epoch == "e1"
    assert heard == [("c2", False)]


def test_on_headers_hears_no_error_answer_and_each_try_of_a_retried_one(
    server: Scripted,
) -> None:
    server.script(
        Reply(503, headers={"X-Next": "refused"}),
        _json(200, HELLO_ANSWER, **{"X-Next": "c1"}),
        _json(200, HELLO_ANSWER, **{"X-Next": "c2"}),
    )
    heard: list[str | None] = []

    def hear(headers: Mapping[str, str]) -> None:
        heard.append(headers.get("X-Next"))

    transport = _transport(server.url, Recorder())
    for _ in range(2):
        transport.request("POST", "/v1/sync/hello", HelloAnswer, on_headers=hear)
    assert heard == ["c1", "c2"]
    server.script(_json(401, {"code": "unauthorized", "message": "no"}, **{"X-Next": "c3"}))
    with pytest.raises(SyncError):
        transport.request("POST", "/v1/sync/hello", HelloAnswer, on_headers=hear)
    assert heard == ["c1", "c2"]
