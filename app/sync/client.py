"""The HTTP side of sync: one `requests` session kept alive between rounds, TLS sessions resumed,
retries with backoff and jitter that wait out an outage, stall detection, `Retry-After`, gzip,
TLS that cannot be switched off.

Only an answer that parses into the expected protocol type counts: a Wi-Fi captive portal that
answers 200 with its own page is a network problem, never an acknowledgement.
"""

from __future__ import annotations

import enum
import gzip
import ipaddress
import json
import lzma
import random
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import pydantic_core
import requests
from pydantic import BaseModel, ValidationError

from app.domain.errors import VeldwerkError
from app.storage.gc_pause import paused_gc
from app.sync.protocol import (
    JSON_TEXT_HEADER,
    ORDER_HEADER,
    ORDER_REFUSAL,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
)
from app.sync.tls import mount_tls

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")
Sleep = Callable[[float], None]


class SyncError(VeldwerkError):
    """Something between this device and the central office; `retryable` says whether trying
    again later can help."""

    def __init__(self, code: str, nl: str, en: str, *, retryable: bool = True) -> None:
        super().__init__(code, nl, en)
        self.retryable = retryable


def _unreachable() -> SyncError:
    return SyncError(
        "server_unreachable",
        "De centrale server is niet bereikbaar. Uw wijzigingen blijven bewaard.",
        "The central office server cannot be reached. Your changes are kept.",
    )


def _tls_refused(detail: str) -> SyncError:
    return SyncError(
        "certificate_refused",
        f"Het certificaat van de server wordt niet vertrouwd ({detail}). Er is niets verstuurd.",
        f"The server's certificate is not trusted ({detail}). Nothing was sent.",
        retryable=False,
    )


def invalid_answer() -> SyncError:
    return SyncError(
        "invalid_answer",
        "De server gaf een onbruikbaar antwoord (bijvoorbeeld een wifi-inlogpagina).",
        "The server gave an unusable answer (a Wi-Fi login page, for example).",
    )


class SyncCancelled(SyncError):
    """The person stopped the sync. What was answered before is kept; the rest goes next time."""

    def __init__(self) -> None:
        super().__init__(
            "sync_cancelled",
            "Synchroniseren is gestopt. Uw wijzigingen blijven bewaard.",
            "Sync was stopped. Your changes are kept.",
        )


class DeviceRevoked(SyncError):
    def __init__(self) -> None:
        super().__init__(
            "device_revoked",
            "Dit apparaat is ingetrokken door de centrale administratie en wordt gewist.",
            "This device was revoked by central office; its data is being wiped.",
            retryable=False,
        )


class ResetRequired(SyncError):
    def __init__(self) -> None:
        super().__init__(
            "reset_required",
            "De server vraagt om alles opnieuw op te halen; uw wijzigingen blijven bewaard.",
            "The server asks to download everything again; your changes are kept.",
        )


class ClientTooOld(SyncError):
    def __init__(self, message: str) -> None:
        super().__init__(
            "client_too_old",
            "Deze Veldwerk is te oud voor de centrale server. Installeer de nieuwe versie.",
            message or "This Veldwerk is too old for the central office server.",
            retryable=False,
        )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_server_url(url: str) -> str:
    """https, or http to this machine only (the demo and the tests)."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url.rstrip("/")
    if parts.scheme == "http" and parts.hostname and _is_loopback(parts.hostname):
        return url.rstrip("/")
    raise SyncError(
        "insecure_server_url",
        "Het serveradres moet met https:// beginnen.",
        "The server address must start with https://.",
        retryable=False,
    )


# How often a request waiting for its answer looks whether it was cancelled.
_CANCEL_POLL_S = 0.05
# How long a round keeps trying while the server cannot be reached (a dead spot on the road, a
# hotspot that drops out), before it fails and leaves the next try to the window.
PATIENCE_S = 180.0
# No byte for this long on an open connection: it is stalled, and the request is tried again on
# a new one (requests' read timeout counts between bytes, not for the whole answer).
STALL_S = 10.0
# While waiting out an outage, how often to knock at the server's port, so that a network that
# comes back is used within seconds instead of at the end of a long backoff.
KNOCK_EVERY_S = 2.0
KNOCK_TIMEOUT_S = 1.5
# Refused as out of order this often in one exchange, even after continuing past the server's
# number: another request of ours keeps overtaking it, and the round gives up and says so.
MAX_ORDER_REFUSALS = 3
# Answers this large tell how fast the link is; above this rate it counts as fast.
_JUDGE_BYTES = 32 * 1024
_FAST_LINK_BYTES_PER_S = 4_000_000
MAX_INFLATED_BYTES = 256 * 1024 * 1024


class Transport:
    """One device's connection to its server, meant to live as long as the unlocked profile:
    the connection is kept alive between rounds and a new one resumes the TLS session.

    A request that cannot reach the server is tried again with backoff and jitter for
    `patience` seconds (or `attempts` times, when given); while it waits, the server's port is
    knocked at every few seconds so a network that returns is used at once. A connection
    without a byte for `read_timeout` seconds is given up as stalled and tried again.

    Per round (`watching`): `cancel`, set from any thread, ends the request in flight at once
    (and any later one) with `SyncCancelled`; the waiting happens on a helper thread, so a server
    that accepted the connection but never answers cannot hold the caller for the whole read
    timeout. `on_answer` is called after each answer that arrived (whatever it says): a sign of
    life for a screen that tells "busy" from "the server does not answer". `on_wait` hears the
    seconds of each wait for the network before a retry."""

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        ca_bundle: Path | None = None,
        connect_timeout: float = 5.0,
        read_timeout: float = STALL_S,
        attempts: int | None = None,
        patience: float = PATIENCE_S,
        max_backoff: float = 30.0,
        sleep: Sleep = time.sleep,
        rng: Callable[[], float] = random.random,
        cancel: threading.Event | None = None,
        on_answer: Callable[[], None] | None = None,
        on_wait: Callable[[float], None] | None = None,
        local: bool | None = None,
    ) -> None:
        self.base_url = check_server_url(base_url)
        self._session = requests.Session()
        # Environment variables (REQUESTS_CA_BUNDLE, proxies) must not decide whom a device
        # trusts or where its dossiers travel.
        self._session.trust_env = False
        self.tls = mount_tls(self._session, ca_bundle)
        # Verification is always on; a CA bundle only narrows whom we trust. Passed with every
        # request too, because requests lets the environment override the session's setting.
        self._verify: str | bool = str(ca_bundle) if ca_bundle else True
        self._session.verify = self._verify
        self._session.headers[PROTOCOL_HEADER] = str(PROTOCOL_VERSION)
        self._session.headers[JSON_TEXT_HEADER] = "1"
        if token:
            self._session.headers["Authorization"] = f"Bearer {token}"
        self._timeout = (connect_timeout, read_timeout)
        self._attempts = attempts
        self._patience = patience
        self._max_backoff = max_backoff
        self._sleep = sleep
        self._rng = rng
        self._cancel = cancel
        self._on_answer = on_answer
        self._on_wait = on_wait
        self.token = token
        self.ca_bundle = ca_bundle
        # A server on this machine (`local` None: at a loopback address; the demo's, a
        # developer's): sending its pages costs less than compressing them (gzip at level 1
        # packs about 100 MB/s on one core here), so none is asked for. Any other link is
        # judged by its answers.
        if local is None:
            local = _is_loopback(urlsplit(self.base_url).hostname or "")
        self._link = LinkSpeed.LOCAL if local else LinkSpeed.SLOW
        self._orders = _Orders()

    def close(self) -> None:
        self._session.close()

    @contextmanager
    def watching(
        self,
        *,
        cancel: threading.Event | None = None,
        on_answer: Callable[[], None] | None = None,
        on_wait: Callable[[float], None] | None = None,
    ) -> Iterator[Transport]:
        """This round's cancel and listeners, for a transport that outlives its rounds."""
        saved = (self._cancel, self._on_answer, self._on_wait)
        self._cancel = cancel or self._cancel
        self._on_answer = on_answer or self._on_answer
        self._on_wait = on_wait or self._on_wait
        try:
            yield self
        finally:
            self._cancel, self._on_answer, self._on_wait = saved

    def _check(self) -> None:
        if self._cancel is not None and self._cancel.is_set():
            raise SyncCancelled()

    def _pause(self, seconds: float, *, knock: bool = False) -> None:
        """Wait before a retry; a cancel ends the wait. With `knock` (the server could not be
        reached), the wait also ends as soon as the server's port answers again."""
        if self._on_wait is not None:
            self._on_wait(seconds)
        if self._sleep is not time.sleep:
            self._sleep(seconds)  # the tests' own clock
            self._check()
            return
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            step = min(left, KNOCK_EVERY_S) if knock else left
            if self._cancel is not None:
                if self._cancel.wait(step):
                    raise SyncCancelled()
            else:
                time.sleep(step)
            if knock and end - time.monotonic() > 0 and self._port_answers():
                return

    def _port_answers(self) -> bool:
        """Whether a TCP connection to the server opens now: cheap (no TLS, no request), and
        enough to know the network is back."""
        parts = urlsplit(self.base_url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            with socket.create_connection((parts.hostname or "", port), KNOCK_TIMEOUT_S):
                return True
        except OSError:
            return False

    @property
    def fast_link(self) -> bool:
        """Whether the last sizeable answer came in fast (a LAN, not a hotspot)."""
        return self._link is not LinkSpeed.SLOW

    @property
    def link(self) -> LinkSpeed:
        return self._link

    def _encodings(self) -> str:
        # xz makes a page about half gzip's size (its window spans the whole page, so repeated
        # signatures and intake answers cost little) for some more server time: worth it when
        # bytes are what is slow, not on a fast link; on a local one, compressing at all is.
        return _ENCODINGS[self._link]

    def _measure(self, response: requests.Response, took: float) -> None:
        """Judge the link by how fast the last sizeable answer's body came in (the time before
        its headers is the server's), in the bytes that crossed it."""
        if self._link is LinkSpeed.LOCAL:
            return
        judged = judge_link(len(response.content), took - response.elapsed.total_seconds())
        if judged is not None:
            self._link = judged

    def _may_retry(self, attempt: int, limit: int | None, waited: float, delay: float) -> bool:
        # Patience counts the waits between attempts, not the attempts themselves: the same
        # schedule whatever each failure took to arrive (and the tests' clock need not tick).
        if limit is not None:
            return attempt + 1 < limit
        return waited + delay <= self._patience

    def _http_request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """One HTTP exchange. With a cancel event it runs on a daemon helper thread while this
        one watches the event: a cancel returns at once and closes the session, and the helper
        ends by itself (at the latest at its read timeout) without touching anything else."""
        if self._cancel is None:
            return self._whole(method, url, **kwargs)
        self._check()
        done = threading.Event()
        outcome: dict[str, Any] = {}

        def run() -> None:
            try:
                outcome["response"] = self._whole(method, url, **kwargs)
            except BaseException as error:  # noqa: BLE001 - handed to the waiting thread
                outcome["error"] = error
            finally:
                done.set()

        threading.Thread(target=run, name="veldwerk-http", daemon=True).start()
        while not done.wait(_CANCEL_POLL_S):
            if self._cancel.is_set():
                # The answer of a request given up may still reach the server: pushes are
                # idempotent per mutation number, so the next round learns the outcome.
                self._session.close()
                raise SyncCancelled()
        if "error" in outcome:
            raise outcome["error"]
        response: requests.Response = outcome["response"]
        return response

    def _whole(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """The answer with its body read in one call, where requests reads a body 10 kB at a
        time: for a 6 MB page of a first sync that cost this thread 6-9 ms against 2-3, while
        it holds the GIL the page before is applied under. Reading through `iter_content`
        turns a broken or stalled body into requests' own errors, as before."""
        response = self._session.request(method, url, stream=True, **kwargs)
        body = b"".join(response.iter_content(chunk_size=None))
        response._content = body  # noqa: SLF001 - requests has no public way to set the body
        return response

    def _backoff(self, attempt: int, retry_after: str | None) -> float:
        if retry_after is not None:
            try:
                return min(float(retry_after), self._max_backoff * 4)
            except ValueError:
                pass
        # Full jitter: many devices coming back online at once must not retry in step.
        return float(self._rng()) * min(self._max_backoff, 0.5 * 2.0**attempt)

    def request(
        self,
        method: str,
        path: str,
        answer: type[M],
        *,
        body: BaseModel | None = None,
        params: Mapping[str, Any] | None = None,
        attempts: int | None = None,
        timeout: tuple[float, float] | None = None,
        on_headers: Callable[[Mapping[str, str]], None] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> M:
        """One exchange; `attempts` and `timeout` override the transport's for this request
        (a quick reachability check on the round's connection). `on_headers` hears the headers
        of each successful answer as soon as they arrive, before its body (once per attempt:
        a retried request may be heard twice, with other values). `headers` go with it."""
        data = None
        sent = dict(headers or {})
        if body is not None:
            raw = body.model_dump_json().encode("utf-8")
            data = gzip.compress(raw, compresslevel=5)
            sent.update({"Content-Type": "application/json", "Content-Encoding": "gzip"})
        return self._exchange(
            method,
            path,
            data=data,
            headers=sent,
            params=params,
            parse=lambda response: self._parse(response, answer),
            attempts=attempts,
            timeout=timeout,
            on_headers=on_headers,
        )

    def put_bytes(
        self, path: str, data: bytes, answer: type[M], *, headers: Mapping[str, str]
    ) -> M:
        """Raw bytes (an attachment chunk) with the given headers; a JSON answer back."""
        return self._exchange(
            "PUT",
            path,
            data=data,
            headers={"Content-Type": "application/octet-stream", **headers},
            params=None,
            parse=lambda response: self._parse(response, answer),
        )

    def get_bytes(self, path: str) -> bytes:
        """Raw bytes (an attachment); an error answer raises like any other request."""

        def parse(response: requests.Response) -> bytes:
            if response.status_code == 200 and response.headers.get("Content-Type", "").startswith(
                "application/octet-stream"
            ):
                return response.content
            # Errors come as JSON; anything else at 200 (a captive portal) is no answer.
            self._parse(response, BaseModel)
            raise invalid_answer()

        return self._exchange("GET", path, data=None, headers={}, params=None, parse=parse)

    def _exchange(
        self,
        method: str,
        path: str,
        *,
        data: bytes | None,
        headers: Mapping[str, str],
        params: Mapping[str, Any] | None,
        parse: Callable[[requests.Response], T],
        attempts: int | None = None,
        timeout: tuple[float, float] | None = None,
        on_headers: Callable[[Mapping[str, str]], None] | None = None,
    ) -> T:
        hooks = {} if on_headers is None else {"response": _headers_hook(on_headers)}
        last: SyncError = _unreachable()
        limit = attempts if attempts is not None else self._attempts
        waited = 0.0
        refused = 0
        attempt = -1
        while True:
            attempt += 1
            try:
                asked = time.monotonic()
                numbered = {ORDER_HEADER: self._orders.take(), **headers}
                response = self._http_request(
                    method,
                    self.base_url + path,
                    data=data,
                    params=params,
                    headers={"Accept-Encoding": self._encodings(), **numbered},
                    timeout=timeout or self._timeout,
                    verify=self._verify,
                    hooks=hooks,
                )
                self._measure(response, time.monotonic() - asked)
                _inflate_xz(response)
            except requests.exceptions.SSLError as error:
                raise _tls_refused(_tls_reason(error)) from None
            except (
                requests.ConnectionError,
                requests.Timeout,
                # A connection dropped or cut short in the middle of the answer.
                requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError,
            ):
                last = _unreachable()
                delay = self._backoff(attempt, None)
                if not self._may_retry(attempt, limit, waited, delay):
                    raise last from None
                waited += delay
                self._pause(delay, knock=True)
                continue
            if self._on_answer is not None:
                self._on_answer()
            if response.status_code == 429 and _code_of(response) == "too_many_attempts":
                # Failed logins throttled on purpose: waiting here would only hide it; the
                # person must hear it now (and the wait is minutes, not seconds).
                raise SyncError(
                    "too_many_attempts",
                    "Te veel mislukte pogingen. Probeer het over enkele minuten opnieuw.",
                    "Too many failed attempts. Try again in a few minutes.",
                    retryable=False,
                )
            if response.status_code == 409 and _code_of(response) == ORDER_REFUSAL:
                # The server answered a request numbered after this one (ours given up in an
                # outage, or numbers from a clock set back): asked again at once, numbered
                # after the last it answered.
                self._orders.past(_last_order(response))
                last = _out_of_order()
                refused += 1
                if refused > MAX_ORDER_REFUSALS or not self._may_retry(attempt, limit, waited, 0):
                    raise last
                continue
            if response.status_code in (429, 502, 503, 504) or response.status_code >= 500:
                last = _unreachable()
                delay = self._backoff(attempt, response.headers.get("Retry-After"))
                if not self._may_retry(attempt, limit, waited, delay):
                    raise last
                waited += delay
                self._pause(delay)
                continue
            try:
                return parse(response)
            except (
                requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError,
            ):
                last = _unreachable()
                delay = self._backoff(attempt, None)
                if not self._may_retry(attempt, limit, waited, delay):
                    raise last from None
                waited += delay
                self._pause(delay, knock=True)

    def _parse(self, response: requests.Response, answer: type[M]) -> M:
        with paused_gc():
            return self._parse_body(response, answer)

    def _parse_body(self, response: requests.Response, answer: type[M]) -> M:
        code = ""
        try:
            payload = _json_body(response)
        except (ValueError, json.JSONDecodeError):
            raise invalid_answer() from None
        if isinstance(payload, dict):
            code = str(payload.get("code", ""))
        if response.status_code == 401 and code == "device_revoked":
            raise DeviceRevoked()
        if response.status_code == 409 and code == "reset_required":
            raise ResetRequired()
        if response.status_code == 426:
            raise ClientTooOld(str(payload.get("message", "")) if isinstance(payload, dict) else "")
        if response.status_code >= 400:
            message = str(payload.get("message", "")) if isinstance(payload, dict) else ""
            raise SyncError(
                code or f"http_{response.status_code}",
                f"De server weigerde het verzoek ({code or response.status_code}).",
                message or f"The server refused the request ({response.status_code}).",
                retryable=False,
            )
        try:
            return answer.model_validate(payload)
        except ValidationError:
            raise invalid_answer() from None


def _headers_hook(
    on_headers: Callable[[Mapping[str, str]], None],
) -> Callable[..., None]:
    # requests calls its response hooks when the headers are in and before it reads the body.
    def hook(response: requests.Response, *_args: Any, **_kwargs: Any) -> None:
        if response.status_code == 200:
            on_headers(response.headers)

    return hook


def _json_body(response: requests.Response) -> Any:
    """The answer's JSON. pydantic's parser (Rust) reads a page of a first sync about twice as
    fast as the standard library; a body it refuses (not UTF-8, a byte order mark) is left to
    requests, which guesses the encoding as before."""
    try:
        return pydantic_core.from_json(response.content)
    except ValueError:
        return response.json()


class LinkSpeed(enum.Enum):
    SLOW = "slow"  # a hotspot: bytes are what is slow
    FAST = "fast"  # Wi-Fi, a LAN
    LOCAL = "local"  # the server runs on this machine


_ENCODINGS = {LinkSpeed.SLOW: "xz, gzip", LinkSpeed.FAST: "gzip", LinkSpeed.LOCAL: "identity"}


def judge_link(size: int, seconds: float) -> LinkSpeed | None:
    """What an answer's body says of the link: `size` bytes came in `seconds` after its
    headers. None when the body is too small to tell."""
    if size < _JUDGE_BYTES:
        return None
    return LinkSpeed.FAST if size / max(seconds, 1e-3) > _FAST_LINK_BYTES_PER_S else LinkSpeed.SLOW


def _inflate_xz(response: requests.Response) -> None:
    """Decompress an xz body (requests knows only gzip and deflate), bounded: a body that
    inflates beyond the largest page the protocol allows is no answer."""
    if response.headers.get("Content-Encoding", "").strip().lower() != "xz":
        return
    inflater = lzma.LZMADecompressor(format=lzma.FORMAT_XZ)
    try:
        data = inflater.decompress(response.content, max_length=MAX_INFLATED_BYTES)
    except lzma.LZMAError:
        raise requests.exceptions.ContentDecodingError("damaged xz body") from None
    if not inflater.eof:
        raise requests.exceptions.ContentDecodingError("xz body cut short or too large")
    response._content = data  # noqa: SLF001 - requests has no public way to set the body
    del response.headers["Content-Encoding"]


class _Orders:
    """Numbers for ORDER_HEADER, increasing for the life of the transport. They start at the
    microseconds since the epoch, so a later start of the app continues above an earlier one
    without anything stored (a clock set back costs one refused request, whose answer says
    where to continue)."""

    def __init__(self) -> None:
        self._next = time.time_ns() // 1000
        self._lock = threading.Lock()  # pages are asked for from two threads

    def take(self) -> str:
        with self._lock:
            self._next += 1
            return str(self._next)

    def past(self, last: int) -> None:
        with self._lock:
            self._next = max(self._next, last)


def _last_order(response: requests.Response) -> int:
    try:
        return int(response.json().get("last_order", 0))
    except (ValueError, TypeError, AttributeError):
        return 0


def _out_of_order() -> SyncError:
    return SyncError(
        ORDER_REFUSAL,
        "De server kreeg een ouder verzoek na een nieuwer; het wordt opnieuw gevraagd.",
        "The server got an older request after a newer one; it is asked again.",
    )


def _code_of(response: requests.Response) -> str:
    try:
        payload = response.json()
    except ValueError:
        return ""
    return str(payload.get("code", "")) if isinstance(payload, dict) else ""


def _tls_reason(error: Exception) -> str:
    text = str(error).lower()
    if "expired" in text:
        return "verlopen / expired"
    if "hostname" in text or "doesn't match" in text or "not valid for" in text:
        return "verkeerde naam / wrong host name"
    if "self-signed" in text or "unable to get local issuer" in text or "unknown ca" in text:
        return "onbekende uitgever / unknown issuer"
    return "TLS"
