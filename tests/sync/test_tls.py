"""`app.sync.tls` against a small HTTPS server on 127.0.0.1 with a throwaway CA.

The server counts its TLS connections and whether each resumed a session; it can close its
idle keep-alive connections on demand (as a server does after its keep-alive timeout), which
keeps the tests free of sleeps.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import select
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
from cryptography import x509
from urllib3.util.ssl_ import create_urllib3_context

from app.sync.tls import ResumingTLSAdapter, mount_tls
from tests.pki import ca_pem, make_ca, make_leaf

# --- a throwaway PKI ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Pki:
    ca: Path  # the CA the client is configured with
    other_ca: Path  # somebody else's
    certs: dict[str, tuple[Path, Path]]  # kind -> (cert, key)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    root = tmp_path_factory.mktemp("pki")
    ca = make_ca("Veldwerk Test CA")
    other = make_ca("Somebody Else's CA")
    (root / "ca.pem").write_bytes(ca_pem(ca))
    (root / "other_ca.pem").write_bytes(ca_pem(other))
    local: list[x509.GeneralName] = [
        x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
        x509.DNSName("localhost"),
    ]
    made = {
        "good": make_leaf(ca, local),
        "wrong_host": make_leaf(ca, [x509.DNSName("wrong.example")]),
        "unknown_ca": make_leaf(other, local),
    }
    certs = {}
    for kind, (cert, key) in made.items():
        (root / f"{kind}.pem").write_bytes(cert)
        (root / f"{kind}.key").write_bytes(key)
        certs[kind] = (root / f"{kind}.pem", root / f"{kind}.key")
    return Pki(root / "ca.pem", root / "other_ca.pem", certs)


# --- the server --------------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive
    server: TLSServer

    def setup(self) -> None:
        # The handshake runs here, on the connection's own thread, not in the accept loop.
        self.request.do_handshake()
        self.server.opened(self.request)
        super().setup()

    def handle(self) -> None:
        self.close_connection = True
        self.handle_one_request()
        while not self.close_connection and self.server.next_request(self.request):
            self.handle_one_request()

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.ended(self.request)

    def do_GET(self) -> None:
        body = json.dumps({"ok": True, "version": self.request.version()}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class TLSServer(ThreadingHTTPServer):
    """`reused` holds, per completed handshake, whether it resumed a session. With
    `refuse_resumption` every connection gets a fresh context without tickets: neither a
    session ID nor a ticket from an earlier connection can be honoured."""

    daemon_threads = True

    def __init__(
        self,
        cert: tuple[Path, Path],
        *,
        max_version: ssl.TLSVersion | None = None,
        refuse_resumption: bool = False,
    ) -> None:
        self._cert = cert
        self._max_version = max_version
        self._refuse = refuse_resumption
        self._shared = self._context()
        self._changed = threading.Condition()
        self._live: set[ssl.SSLSocket] = set()
        self._closing: str | None = None
        self.reused: list[bool] = []
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.server_address[1]}"

    def _context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*self._cert)
        if self._max_version is not None:
            context.maximum_version = self._max_version
        if self._refuse:
            context.options |= ssl.OP_NO_TICKET
        return context

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, address = self.socket.accept()
        context = self._context() if self._refuse else self._shared
        return context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), address

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # refused handshakes are what some tests are about

    def opened(self, sock: ssl.SSLSocket) -> None:
        with self._changed:
            self._live.add(sock)
            self.reused.append(bool(sock.session_reused))

    def ended(self, sock: ssl.SSLSocket) -> None:
        with self._changed:
            self._live.discard(sock)
            self._changed.notify_all()

    def next_request(self, sock: ssl.SSLSocket) -> bool:
        """Wait on an idle connection: True when the next request comes in, False once told
        to close it (after sending close_notify if the close is to be clean)."""
        while not (sock.pending() or select.select([sock], [], [], 0.01)[0]):
            if self._closing == "clean":
                # As uvicorn and nginx do: an OpenSSL server keeps a TLS 1.2 session in its
                # cache only if it said close_notify; the client's answer is not waited for.
                sock.setblocking(False)
                with contextlib.suppress(ssl.SSLWantReadError):
                    sock.unwrap()
                return False
            if self._closing == "abrupt":
                # Here, not later in `shutdown_request`: the client must see the connection
                # end before `close_idle_connections` returns.
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
                return False
        return True

    def close_idle_connections(self, *, clean: bool = True) -> None:
        """What a server does after its keep-alive timeout; `clean=False` is a connection
        that just ends, as after a network drop."""
        with self._changed:
            self._closing = "clean" if clean else "abrupt"
            try:
                assert self._changed.wait_for(lambda: not self._live, timeout=5)
            finally:
                self._closing = None


@pytest.fixture
def serve() -> Iterator[Callable[..., TLSServer]]:
    started: list[TLSServer] = []

    def start(cert: tuple[Path, Path], **kwargs: Any) -> TLSServer:
        server = TLSServer(cert, **kwargs)
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.shutdown()
        server.server_close()


@pytest.fixture
def session() -> Iterator[requests.Session]:
    with requests.Session() as session:
        # As in `Transport`: the environment does not decide whom we trust.
        session.trust_env = False
        yield session


def _get(session: requests.Session, url: str, **kwargs: Any) -> dict[str, Any]:
    response = session.get(url + "/v1/health", timeout=5, **kwargs)
    assert response.status_code == 200
    payload: dict[str, Any] = response.json()
    return payload


# --- verification ------------------------------------------------------------------------------


def test_the_configured_ca_is_trusted(
    pki: Pki, serve: Callable[..., TLSServer], session: requests.Session
) -> None:
    server = serve(pki.certs["good"])
    adapter = mount_tls(session, pki.ca)
    assert _get(session, server.url)["ok"] is True
    assert (adapter.handshakes, adapter.resumed) == (1, 0)


def test_a_certificate_from_another_ca_is_refused(
    pki: Pki, serve: Callable[..., TLSServer], session: requests.Session
) -> None:
    server = serve(pki.certs["unknown_ca"])
    adapter = mount_tls(session, pki.ca)
    with pytest.raises(requests.exceptions.SSLError, match="certificate verify failed"):
        _get(session, server.url)
    assert adapter.handshakes == 0
    assert server.reused == []


def test_a_certificate_for_another_host_is_refused(
    pki: Pki, serve: Callable[..., TLSServer], session: requests.Session
) -> None:
    server = serve(pki.certs["wrong_host"])
    mount_tls(session, pki.ca)
    # `Transport` tells this case apart by these words in the error.
    with pytest.raises(requests.exceptions.SSLError, match="not valid for '127.0.0.1'"):
        _get(session, server.url)


def test_without_a_bundle_a_private_ca_is_not_trusted(
    pki: Pki, serve: Callable[..., TLSServer], session: requests.Session
) -> None:
    server = serve(pki.certs["good"])
    mount_tls(session, None)
    with pytest.raises(requests.exceptions.SSLError, match="certificate verify failed"):
        _get(session, server.url)


def test_a_per_request_verify_trusts_exactly_that_bundle(
    pki: Pki, serve: Callable[..., TLSServer], session: requests.Session
) -> None:
    ours = serve(pki.certs["good"])
    theirs = serve(pki.certs["unknown_ca"])
    mount_tls(session, pki.ca)
    # What `Transport` passes with every request.
    assert _get(session, ours.url, verify=str(pki.ca))["ok"] is True
    assert _get(session, ours.url, verify=True)["ok"] is True
    assert _get(session, theirs.url, verify=str(pki.other_ca))["ok"] is True
    # Trusting the other CA for one request widened nothing for the others.
    for verify in (True, str(pki.ca)):
        with pytest.raises(requests.exceptions.SSLError):
            _get(session, theirs.url, verify=verify)
    with pytest.raises(requests.exceptions.SSLError):
        _get(session, ours.url, verify=str(pki.other_ca))


def test_verification_cannot_be_switched_off(
    pki: Pki, serve: Callable[..., TLSServer], session: requests.Session
) -> None:
    server = serve(pki.certs["unknown_ca"])
    adapter = mount_tls(session, pki.ca)
    with pytest.raises(ValueError, match="cannot be switched off"):
        _get(session, server.url, verify=False)
    assert server.reused == []  # not even connected
    context = adapter.ssl_context()
    with pytest.raises(ValueError):
        context.check_hostname = False
    with pytest.raises(ValueError):
        context.verify_mode = ssl.CERT_NONE
    with pytest.raises(ValueError):
        context.load_verify_locations(cafile=str(pki.other_ca))
    with pytest.raises(ValueError):
        context.load_default_certs()
    with pytest.raises(ValueError):
        context.set_default_verify_paths()
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname is True


def test_the_context_has_urllib3s_settings(pki: Pki) -> None:
    ours = ResumingTLSAdapter(pki.ca).ssl_context()
    theirs = create_urllib3_context()
    assert ours.minimum_version == ssl.TLSVersion.TLSv1_2
    for name in (
        "options",
        "maximum_version",
        "verify_flags",
        "verify_mode",
        "check_hostname",
        "hostname_checks_common_name",
        "post_handshake_auth",
    ):
        assert getattr(ours, name) == getattr(theirs, name), name
    # Only our CA, none of the system's or certifi's.
    assert [cert["subject"] for cert in ours.get_ca_certs()] == [
        ((("commonName", "Veldwerk Test CA"),),)
    ]


# --- keep-alive and resumption -----------------------------------------------------------------


def test_requests_in_a_row_share_one_connection(
    pki: Pki, serve: Callable[..., TLSServer], session: requests.Session
) -> None:
    server = serve(pki.certs["good"])
    adapter = mount_tls(session, pki.ca)
    _get(session, server.url)
    _get(session, server.url)
    assert adapter.handshakes == 1
    assert server.reused == [False]


VERSIONS = [
    pytest.param(None, "TLSv1.3", id="tls1.3"),
    pytest.param(ssl.TLSVersion.TLSv1_2, "TLSv1.2", id="tls1.2"),
]


@pytest.mark.parametrize(
    ("max_version", "version", "clean"),
    [
        pytest.param(None, "TLSv1.3", True, id="tls1.3"),
        # A server that just drops the connection, as after a network drop.
        pytest.param(None, "TLSv1.3", False, id="tls1.3-dropped"),
        pytest.param(ssl.TLSVersion.TLSv1_2, "TLSv1.2", True, id="tls1.2"),
    ],
)
def test_a_reconnect_after_the_server_closed_an_idle_connection_resumes(
    pki: Pki,
    serve: Callable[..., TLSServer],
    session: requests.Session,
    max_version: ssl.TLSVersion | None,
    version: str,
    clean: bool,
) -> None:
    server = serve(pki.certs["good"], max_version=max_version)
    adapter = mount_tls(session, pki.ca)
    assert _get(session, server.url)["version"] == version
    server.close_idle_connections(clean=clean)
    assert _get(session, server.url)["version"] == version
    assert (adapter.handshakes, adapter.resumed) == (2, 1)
    assert server.reused == [False, True]
    # And again: the resumed connection left a session of its own.
    server.close_idle_connections(clean=clean)
    _get(session, server.url)
    assert (adapter.handshakes, adapter.resumed) == (3, 2)
    assert server.reused == [False, True, True]


def test_a_reconnect_after_session_close_resumes(
    pki: Pki, serve: Callable[..., TLSServer], session: requests.Session
) -> None:
    """`Transport` closes its session when a sync is cancelled. TLS 1.3 only: the client closes
    without close_notify, and an OpenSSL server then drops the TLS 1.2 session from its cache
    (a full handshake follows, as in the refusing-server test)."""
    server = serve(pki.certs["good"])
    adapter = mount_tls(session, pki.ca)
    _get(session, server.url)
    session.close()
    _get(session, server.url)
    assert (adapter.handshakes, adapter.resumed) == (2, 1)
    assert server.reused == [False, True]


@pytest.mark.parametrize(("max_version", "version"), VERSIONS)
def test_a_server_that_refuses_resumption_gets_a_full_handshake(
    pki: Pki,
    serve: Callable[..., TLSServer],
    session: requests.Session,
    max_version: ssl.TLSVersion | None,
    version: str,
) -> None:
    server = serve(pki.certs["good"], max_version=max_version, refuse_resumption=True)
    adapter = mount_tls(session, pki.ca)
    _get(session, server.url)
    server.close_idle_connections()
    assert _get(session, server.url)["version"] == version
    assert (adapter.handshakes, adapter.resumed) == (2, 0)
    assert server.reused == [False, False]


def test_a_session_is_only_offered_to_the_host_name_it_was_verified_for(
    pki: Pki, serve: Callable[..., TLSServer], session: requests.Session
) -> None:
    server = serve(pki.certs["good"])
    adapter = mount_tls(session, pki.ca)
    port = server.server_address[1]
    _get(session, f"https://127.0.0.1:{port}")
    session.close()
    _get(session, f"https://localhost:{port}")
    assert (adapter.handshakes, adapter.resumed) == (2, 0)
    assert server.reused == [False, False]
