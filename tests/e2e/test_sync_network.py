"""Sync over a bad network (S13) and over TLS (S7), against a real server process.

A TCP fault proxy sits between the device and `veldwerk-server serve`: it passes through,
delays, black-holes, resets mid-body, truncates, or plays a Wi-Fi captive portal. Whatever
happens, the journal keeps every entry whose answer did not arrive, and a later sync through a
good network converges with each edit on the server exactly once.

The TLS tests make their own CA with `cryptography` and start the server with --tls-cert and
--tls-key: the right CA bundle works; an unknown CA, a wrong host name and an expired
certificate are refused with `certificate_refused`, and nothing is enrolled or sent.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import re
import socket
import struct
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
import requests
from cryptography import x509
from pydantic import BaseModel
from sqlalchemy import func, select

from app.domain.client import Client
from app.services import sync as sync_service
from app.storage.profiles import Profile, list_profiles
from app.storage.store import Store
from app.storage.vault import KdfParams
from app.sync.client import SyncError, Transport
from app.sync.protocol import PULL_HEADER
from server.crud import devices
from server.crud.records import fields_of
from server.db import make_engine, make_sessionmaker, session_scope
from server.models import Device as DeviceRow
from server.models import DeviceMutation, clients
from tests.central import free_port, start_server, stop_server
from tests.pki import ca_pem, make_ca, make_leaf

M = TypeVar("M", bound=BaseModel)

FAST = KdfParams(1024, 1, 1)
PASSPHRASE = "een lange wachtzin voor de test"
SERVER_CLI = str(Path(sys.executable).parent / "veldwerk-server")
CA_ENV = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")
SYSTEM_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"


# --- the central server -----------------------------------------------------------------------


@dataclass
class Database:
    url: str
    passwords: dict[str, str]

    def run(self, fn: Callable[..., Any], **kwargs: Any) -> Any:
        engine = make_engine(self.url)
        try:
            with session_scope(make_sessionmaker(engine)) as session:
                return fn(session, **kwargs)
        finally:
            engine.dispose()

    def code(self, username: str) -> str:
        return str(self.run(devices.issue_enrollment_code, username=username, by="test"))

    def device_count(self) -> int:
        return int(self.run(lambda s: s.scalar(select(func.count()).select_from(DeviceRow))))

    def mutations(self, device_id: str) -> list[str]:
        return list(
            self.run(
                lambda s: s.scalars(
                    select(DeviceMutation.mutation_id).where(DeviceMutation.device_id == device_id)
                ).all()
            )
        )

    def client(self, client_id: str) -> tuple[int, dict[str, Any]]:
        def read(session: Any) -> tuple[int, dict[str, Any]]:
            row = session.execute(select(clients).where(clients.c.id == client_id)).one()
            return int(row.version), fields_of(row)

        result: tuple[int, dict[str, Any]] = self.run(read)
        return result


def _cli(database_url: str, *args: str) -> str:
    done = subprocess.run(
        [SERVER_CLI, "--database-url", database_url, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _start_server(database_url: str, port: int, *tls: str) -> subprocess.Popen[bytes]:
    # The installed command, as a site would run it.
    return start_server(database_url, port, *tls, command=(SERVER_CLI,))


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Database:
    url = f"sqlite:///{tmp_path_factory.mktemp('central') / 'central.db'}"
    _cli(url, "init-db")
    out = _cli(url, "demo-seed", "--clients", "12", "--seed", "7")
    passwords = dict(re.findall(r"^\s+\S+\s+(\S+)\s+password: (\S+)$", out, re.MULTILINE))
    assert "k.dijkstra" in passwords, out
    return Database(url, passwords)


@pytest.fixture(scope="module")
def central(database: Database) -> Iterator[str]:
    port = free_port()
    server = _start_server(database.url, port)
    url = f"http://127.0.0.1:{port}"
    assert requests.get(url + "/v1/health", timeout=5).status_code == 200
    yield url
    stop_server(server)


# --- the fault proxy --------------------------------------------------------------------------

CAPTIVE_PAGE = (
    b"<!DOCTYPE html><html><head><title>Welkom bij Gratis WiFi</title></head><body>"
    b"<h1>Log in</h1><form method='post' action='/login'><input name='email'>"
    b"<button>Akkoord met de voorwaarden</button></form></body></html>"
)
MODES = ("pass", "delay", "blackhole", "reset", "truncate", "captive")


class FaultProxy:
    """TCP proxy on 127.0.0.1 that reads each HTTP request, and, if its path starts with
    `target`, applies `mode` to it; other requests pass through. Every request goes upstream on
    its own connection (`Connection: close`), so the whole response is known before the fault
    is applied to it."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.mode = "pass"
        self.target = "/"
        self.forwarded: list[str] = []  # paths that reached the server
        self.faulted: list[str] = []
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._threads: list[threading.Thread] = []
        accept = threading.Thread(target=self._accept, daemon=True)
        accept.start()
        self._threads.append(accept)

    def set(self, mode: str, target: str = "/") -> None:
        assert mode in MODES
        self.mode, self.target = mode, target
        self.forwarded.clear()
        self.faulted.clear()

    def close(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)
        self._listener.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            worker = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            worker.start()
            self._threads.append(worker)

    def _serve(self, conn: socket.socket) -> None:
        try:
            self._one(conn)
        except OSError:
            pass  # the device gave up (its timeout), or we broke the connection on purpose
        finally:
            conn.close()

    def _one(self, conn: socket.socket) -> None:
        conn.settimeout(30)
        request = _read_request(conn)
        if request is None:
            return
        head, body = request
        path = head.split(b" ", 2)[1].decode()
        mode = self.mode if path.startswith(self.target) else "pass"
        if mode != "pass":
            self.faulted.append(path)
        if mode == "captive":
            conn.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                + f"Content-Length: {len(CAPTIVE_PAGE)}\r\n".encode()
                + b"Connection: close\r\n\r\n"
                + CAPTIVE_PAGE
            )
            return
        if mode == "blackhole":
            self._stop.wait()  # accepted, read, never answered
            return
        response = self._upstream(head, body)
        self.forwarded.append(path)
        start = response.index(b"\r\n\r\n") + 4
        size = len(response) - start
        if mode == "pass":
            conn.sendall(response)
        elif mode == "delay":
            for i in range(0, len(response), 8192):
                time.sleep(0.2)
                conn.sendall(response[i : i + 8192])
        elif mode == "truncate":
            conn.sendall(response[: start + size // 2])
            conn.shutdown(socket.SHUT_WR)  # a clean end, too early
        elif mode == "reset":
            conn.sendall(response[: start + max(1, size // 3)])
            time.sleep(0.05)
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            # close() now sends RST

    def _upstream(self, head: bytes, body: bytes) -> bytes:
        lines = [
            line for line in head.split(b"\r\n") if not line.lower().startswith(b"connection:")
        ]
        request = b"\r\n".join([*lines, b"Connection: close"]) + b"\r\n\r\n" + body
        with socket.create_connection(("127.0.0.1", self.upstream_port), timeout=30) as up:
            up.sendall(request)
            chunks = []
            while chunk := up.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks)


def _read_request(conn: socket.socket) -> tuple[bytes, bytes] | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    match = re.search(rb"^content-length:\s*(\d+)", head, re.IGNORECASE | re.MULTILINE)
    length = int(match.group(1)) if match else 0
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        body += chunk
    return head, body


@pytest.fixture(scope="module")
def proxy(central: str) -> Iterator[FaultProxy]:
    port = int(central.rsplit(":", 1)[1])
    faulty = FaultProxy(port)
    yield faulty
    faulty.close()


# --- devices ----------------------------------------------------------------------------------


@dataclass
class Device:
    profile: Profile
    store: Store

    @property
    def id(self) -> str:
        return str(self.store.setting(sync_service.DEVICE))


def _enroll(database: Database, url: str, home: Path, *, ca_bundle: Path | None = None) -> Device:
    profile, store = sync_service.enroll(
        server_url=url,
        username="k.dijkstra",
        password=database.passwords["k.dijkstra"],
        code=database.code("k.dijkstra"),
        passphrase=PASSPHRASE,
        profile_name=f"k-{uuid.uuid4().hex[:8]}",
        ca_bundle=ca_bundle,
        home=home,
        params=FAST,
    )
    return Device(profile, store)


def _edit(device: Device, count: int = 3) -> list[str]:
    """Move `count` clients one step on the participation ladder; returns their ids."""
    edited = []
    for summary in sorted(device.store.caseload(), key=lambda c: c.id)[:count]:
        client = device.store.get(Client, summary.id)
        assert client is not None
        step = (client.participation_step or 0) % 6 + 1
        device.store.update(dataclasses.replace(client, participation_step=step))
        edited.append(client.id)
    assert len(edited) == count
    return edited


def _same_as_server(database: Database, device: Device, client_id: str) -> None:
    mine = device.store.get(Client, client_id)
    assert mine is not None
    _version, fields = database.client(client_id)
    assert mine.to_fields() == Client.from_fields(client_id, fields).to_fields()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


# --- S13: network faults lose nothing ---------------------------------------------------------

# Hello rides with the round's first push or pull (protocol 2): no request of its own to break.
FAULTS = [
    ("blackhole", "/v1/sync/push"),
    ("blackhole", "/v1/sync/pull"),
    ("reset", "/v1/sync/push"),
    ("reset", "/v1/sync/pull"),
    ("truncate", "/v1/sync/push"),
    ("truncate", "/v1/sync/pull"),
    ("captive", "/"),
]


def _without_page_in_push(transport: Transport) -> None:
    plain = transport.request

    def request(method: str, path: str, answer: type[M], **kwargs: Any) -> M:
        headers = dict(kwargs.pop("headers", None) or {})
        headers.pop(PULL_HEADER, None)
        return plain(method, path, answer, headers=headers, **kwargs)

    transport.request = request  # type: ignore[method-assign]


@pytest.mark.parametrize(("mode", "target"), FAULTS, ids=[f"{m}-{t}" for m, t in FAULTS])
def test_a_fault_loses_nothing_and_the_next_sync_converges(
    database: Database, proxy: FaultProxy, home: Path, mode: str, target: str
) -> None:
    proxy.set("pass")
    device = _enroll(database, proxy.url, home)
    try:
        assert sync_service.sync_profile(device.profile, device.store).received > 0
        edited = _edit(device)
        before = {cid: database.client(cid)[0] for cid in edited}
        journal = {e.mutation_id for e in device.store.journal_entries()}
        assert len(journal) == len(edited) == device.store.pending_count()

        proxy.set(mode, target)
        transport = sync_service.transport_for(
            device.store, read_timeout=1.0, attempts=2, sleep=lambda _s: None
        )
        if target == "/v1/sync/pull":
            # The pull after a push, as a server before protocol 4 has the device make it (a
            # newer one answers with the page in the push's answer: the push faults cover it).
            _without_page_in_push(transport)
        started = time.monotonic()
        try:
            with pytest.raises(SyncError) as raised:
                sync_service.sync_profile(device.profile, device.store, transport=transport)
        finally:
            transport.close()
        assert time.monotonic() - started < 30
        assert proxy.faulted, "the fault was never applied"
        assert raised.value.code in ("server_unreachable", "invalid_answer")
        assert raised.value.retryable
        if mode == "captive":
            assert raised.value.code == "invalid_answer"
            assert proxy.forwarded == []  # the portal never contacted the server
            assert database.mutations(device.id) == []

        answered = target == "/v1/sync/pull"  # the push answer arrived before the fault
        if answered:
            assert device.store.pending_count() == 0
        else:
            # No valid answer, no acknowledgement: every entry is still in the journal.
            assert device.store.pending_count() == len(edited)
            assert {e.mutation_id for e in device.store.journal_entries()} == journal

        proxy.set("pass")
        sync_service.sync_profile(device.profile, device.store)
        assert device.store.pending_count() == 0
        assert sorted(database.mutations(device.id)) == sorted(journal)  # each exactly once
        for client_id in edited:
            version, _fields = database.client(client_id)
            assert version == before[client_id] + 1
            _same_as_server(database, device, client_id)
    finally:
        device.store.close()


def test_a_slow_network_still_syncs(database: Database, proxy: FaultProxy, home: Path) -> None:
    proxy.set("pass")
    device = _enroll(database, proxy.url, home)
    try:
        sync_service.sync_profile(device.profile, device.store)
        edited = _edit(device)
        journal = {e.mutation_id for e in device.store.journal_entries()}
        proxy.set("delay")
        transport = sync_service.transport_for(
            device.store, read_timeout=5.0, attempts=2, sleep=lambda _s: None
        )
        try:
            report = sync_service.sync_profile(device.profile, device.store, transport=transport)
        finally:
            transport.close()
        assert proxy.faulted
        assert report.applied == len(edited)
        assert device.store.pending_count() == 0
        assert sorted(database.mutations(device.id)) == sorted(journal)
        for client_id in edited:
            _same_as_server(database, device, client_id)
    finally:
        device.store.close()


# --- S7: TLS verified against the configured CA -----------------------------------------------


@dataclass
class Pki:
    ca: Path
    certs: dict[str, tuple[str, str]]  # kind -> (cert path, key path)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    root = tmp_path_factory.mktemp("pki")
    ca = make_ca("Veldwerk Test CA")
    other = make_ca("Somebody Else's CA")
    (root / "ca.pem").write_bytes(ca_pem(ca))
    local: list[x509.GeneralName] = [
        x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
        x509.DNSName("localhost"),
    ]
    made = {
        "good": make_leaf(ca, local),
        "expired": make_leaf(ca, local, expired=True),
        "wrong_host": make_leaf(ca, [x509.DNSName("wrong.example")]),
        "unknown_ca": make_leaf(other, local),
    }
    certs = {}
    for kind, (cert, key) in made.items():
        (root / f"{kind}.pem").write_bytes(cert)
        (root / f"{kind}.key").write_bytes(key)
        certs[kind] = (str(root / f"{kind}.pem"), str(root / f"{kind}.key"))
    return Pki(root / "ca.pem", certs)


@pytest.fixture(scope="module")
def tls(database: Database, pki: Pki) -> Iterator[dict[str, str]]:
    """One HTTPS server per certificate, all on the same database."""
    servers = {}
    urls = {}
    try:
        for kind, (cert, key) in pki.certs.items():
            port = free_port()
            servers[kind] = _start_server(database.url, port, cert, key)
            urls[kind] = f"https://127.0.0.1:{port}"
        health = requests.get(urls["good"] + "/v1/health", timeout=5, verify=str(pki.ca))
        assert health.status_code == 200
        yield urls
    finally:
        for server in servers.values():
            stop_server(server)


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in CA_ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("env", ["no CA variables", "REQUESTS_CA_BUNDLE set"])
def test_tls_with_the_configured_ca_enrolls_and_syncs(
    database: Database,
    tls: dict[str, str],
    pki: Pki,
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
    env: str,
) -> None:
    for name in CA_ENV:
        monkeypatch.delenv(name, raising=False)
    if env == "REQUESTS_CA_BUNDLE set":
        # Common on Linux machines and in containers: it must not replace the configured CA.
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", SYSTEM_BUNDLE)
    device = _enroll(database, tls["good"], home, ca_bundle=pki.ca)
    try:
        assert device.store.setting(sync_service.SERVER) == tls["good"]
        assert sync_service.sync_profile(device.profile, device.store).received > 0
        edited = _edit(device, 1)
        assert sync_service.sync_profile(device.profile, device.store).applied == 1
        assert device.store.pending_count() == 0
        _same_as_server(database, device, edited[0])
    finally:
        device.store.close()


REFUSED = {
    "expired": "expired",
    "wrong_host": "wrong host name",
    "unknown_ca": "unknown issuer",
}


@pytest.mark.parametrize("kind", sorted(REFUSED))
@pytest.mark.usefixtures("clean_env")
def test_a_bad_certificate_is_refused_and_nothing_is_enrolled(
    database: Database, tls: dict[str, str], pki: Pki, home: Path, kind: str
) -> None:
    devices_before = database.device_count()
    with pytest.raises(SyncError) as raised:
        _enroll(database, tls[kind], home, ca_bundle=pki.ca)
    assert raised.value.code == "certificate_refused"
    assert not raised.value.retryable
    assert REFUSED[kind] in raised.value.message_en, raised.value.message_en
    assert "Nothing was sent" in raised.value.message_en
    assert database.device_count() == devices_before
    assert list_profiles(home) == []


@pytest.mark.parametrize("kind", sorted(REFUSED))
@pytest.mark.usefixtures("clean_env")
def test_a_bad_certificate_is_refused_and_nothing_is_sent(
    database: Database, tls: dict[str, str], pki: Pki, home: Path, kind: str
) -> None:
    device = _enroll(database, tls["good"], home, ca_bundle=pki.ca)
    try:
        sync_service.sync_profile(device.profile, device.store)
        _edit(device, 2)
        pending = device.store.pending_count()
        transport = Transport(
            tls[kind],
            token=str(device.store.setting(sync_service.TOKEN)),
            ca_bundle=pki.ca,
            attempts=2,
            sleep=lambda _s: None,
        )
        try:
            with pytest.raises(SyncError) as raised:
                sync_service.sync_profile(device.profile, device.store, transport=transport)
        finally:
            transport.close()
        assert raised.value.code == "certificate_refused"
        assert REFUSED[kind] in raised.value.message_en, raised.value.message_en
        assert device.store.pending_count() == pending
        assert database.mutations(device.id) == []
    finally:
        device.store.close()


@pytest.mark.parametrize("env", ["no CA variables", "REQUESTS_CA_BUNDLE set"])
def test_system_trust_refuses_the_test_ca(
    database: Database,
    tls: dict[str, str],
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
    env: str,
) -> None:
    for name in CA_ENV:
        monkeypatch.delenv(name, raising=False)
    if env == "REQUESTS_CA_BUNDLE set":
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", SYSTEM_BUNDLE)
    devices_before = database.device_count()
    with pytest.raises(SyncError) as raised:
        _enroll(database, tls["good"], home)
    assert raised.value.code == "certificate_refused"
    assert "unknown issuer" in raised.value.message_en, raised.value.message_en
    assert database.device_count() == devices_before
    assert list_profiles(home) == []
