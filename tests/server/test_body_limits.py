"""Request bodies are capped before anything reads them: a declared Content-Length above the cap
is a 413 without authentication or a database session; a body that streams past it (chunked, or
gzip that inflates) is cut off at the cap. A real server process refuses a 150 MB body without
its memory growing by more than a few MiB."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import select
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlalchemy import select as sql_select
from sqlalchemy.orm import Session

from server.config import Settings
from server.db import make_engine
from server.main import create_app
from server.models import Blob, LoginFailure
from server.models import Device as DeviceRow
from tests.central import SERVER_COMMAND, free_port, stop_server
from tests.server.conftest import Device, enroll, make_user

JSON_CAP = 64 * 1024
BLOB_CAP = 128 * 1024
BLOB_PATH = "/v1/sync/blobs/{}"


@dataclass
class Limited:
    app: FastAPI
    api: TestClient
    sessions_opened: list[int]


@pytest.fixture
def limited(database_url: str) -> Iterator[Limited]:
    """An app with small caps, counting the database sessions its requests open."""
    app = create_app(
        Settings(
            database_url=database_url,
            max_json_body_bytes=JSON_CAP,
            max_blob_chunk_bytes=BLOB_CAP,
            log_level="WARNING",
        )
    )
    opened: list[int] = []
    make_session = app.state.sessionmaker

    def counting() -> Session:
        opened.append(1)
        session: Session = make_session()
        return session

    app.state.sessionmaker = counting
    try:
        yield Limited(app, TestClient(app), opened)
    finally:
        app.state.engine.dispose()


def json_of_size(size: int) -> bytes:
    """A valid JSON object of exactly `size` bytes."""
    head = b'{"pad": "'
    return head + b"x" * (size - len(head) - 2) + b'"}'


def assert_refused(response: Any, code: str = "too_large") -> None:
    assert response.status_code == 413, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert set(response.json()) == {"code", "message"}
    assert response.json()["code"] == code


def _device(limited: Limited) -> Device:
    make_user(limited.app, "k.dijkstra", "caseworker")
    return enroll(limited.api, limited.app, "k.dijkstra")


def _last_seen(session: Session, device: Device) -> Any:
    session.rollback()
    return session.scalar(sql_select(DeviceRow.last_seen).where(DeviceRow.id == device.device_id))


def _failures(session: Session) -> int:
    session.rollback()
    return int(session.scalar(sql_select(func.count()).select_from(LoginFailure)) or 0)


def test_an_oversized_body_is_refused_before_authentication_and_the_database(
    limited: Limited, session: Session
) -> None:
    device = _device(limited)
    seen = _last_seen(session, device)
    limited.sessions_opened.clear()
    big = json_of_size(JSON_CAP + 1)
    json_type = {"Content-Type": "application/json"}
    for path, headers in [
        ("/v1/enroll", {}),
        ("/v1/sync/push", {}),
        ("/v1/sync/push", {"Authorization": "Bearer not-a-token"}),
        ("/v1/sync/push", device.headers),
        ("/v1/sync/hello", device.headers),
        ("/v1/admin/users", device.headers),
    ]:
        assert_refused(limited.api.post(path, content=big, headers={**json_type, **headers}))
    assert limited.sessions_opened == [], "a refused request opened a database session"
    assert _failures(session) == 0
    assert _last_seen(session, device) == seen


def test_a_body_without_a_length_is_cut_off_at_the_cap(limited: Limited, session: Session) -> None:
    device = _device(limited)
    limited.sessions_opened.clear()

    def chunked(size: int) -> Iterator[bytes]:
        body = json_of_size(size)
        for start in range(0, len(body), 8192):
            yield body[start : start + 8192]

    for headers in ({}, device.headers):
        response = limited.api.post(
            "/v1/sync/push",
            content=chunked(JSON_CAP + 1),
            headers={"Content-Type": "application/json", **headers},
        )
        assert_refused(response)
    # FastAPI reads a JSON body before it resolves the dependencies: no session either.
    assert limited.sessions_opened == []
    assert _failures(session) == 0


def test_an_oversized_blob_chunk_is_refused(limited: Limited, session: Session) -> None:
    device = _device(limited)
    limited.sessions_opened.clear()
    data = os.urandom(BLOB_CAP + 1)
    sha = hashlib.sha256(data).hexdigest()
    octets = {"Content-Type": "application/octet-stream"}
    for headers in ({}, device.headers):
        declared = limited.api.put(BLOB_PATH.format(sha), content=data, headers=headers | octets)
        assert_refused(declared, "chunk_too_large")
    assert limited.sessions_opened == []
    streamed = limited.api.put(
        BLOB_PATH.format(sha), content=iter([data[:65536], data[65536:]]), headers=device.headers
    )
    assert_refused(streamed, "chunk_too_large")
    session.rollback()
    assert session.get(Blob, sha) is None
    # A JSON route's cap is not the chunk cap, and the other way round.
    assert BLOB_CAP > JSON_CAP
    assert_refused(limited.api.post("/v1/sync/push", content=data[: JSON_CAP + 1], headers=octets))


def test_a_gzip_body_that_inflates_past_the_cap_is_refused(
    limited: Limited, session: Session
) -> None:
    device = _device(limited)
    limited.sessions_opened.clear()
    bomb = gzip.compress(json_of_size(50 * JSON_CAP))
    assert len(bomb) < JSON_CAP // 10
    for headers in ({}, device.headers):
        response = limited.api.post(
            "/v1/sync/push",
            content=bomb,
            headers={"Content-Type": "application/json", "Content-Encoding": "gzip", **headers},
        )
        assert_refused(response)
    just_over = gzip.compress(json_of_size(JSON_CAP + 1))
    gz = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
    assert_refused(limited.api.post("/v1/sync/hello", content=just_over, headers=gz))
    assert limited.sessions_opened == []
    assert _failures(session) == 0


def test_bodies_up_to_the_cap_pass_through(limited: Limited, session: Session) -> None:
    device = _device(limited)
    json_type = {"Content-Type": "application/json"}
    at_cap = json_of_size(JSON_CAP)
    # Past the limit, to the app: it answers (no token, or not a hello) instead of a 413.
    assert limited.api.post("/v1/sync/hello", content=at_cap, headers=json_type).status_code == 401
    answer = limited.api.post(
        "/v1/sync/hello", content=at_cap, headers={**json_type, **device.headers}
    )
    assert answer.status_code == 422, answer.text
    gz = {**json_type, "Content-Encoding": "gzip"}
    compressed = gzip.compress(at_cap)
    assert limited.api.post("/v1/sync/hello", content=compressed, headers=gz).status_code == 401
    data = os.urandom(BLOB_CAP)
    sha = hashlib.sha256(data).hexdigest()
    stored = limited.api.put(BLOB_PATH.format(sha), content=data, headers=device.headers)
    assert stored.status_code == 200, stored.text
    assert stored.json()["complete"] is True


def test_the_default_caps_come_from_the_settings(app: FastAPI, api: TestClient) -> None:
    settings: Settings = app.state.settings
    json_type = {"Content-Type": "application/json"}
    big = json_of_size(settings.max_json_body_bytes + 1)
    assert_refused(api.post("/v1/sync/push", content=big, headers=json_type))
    chunk = b"\x00" * (settings.max_blob_chunk_bytes + 1)
    assert_refused(api.put(BLOB_PATH.format("0" * 64), content=chunk), "chunk_too_large")
    under = b"\x00" * settings.max_blob_chunk_bytes
    assert api.put(BLOB_PATH.format("0" * 64), content=under).status_code == 401


# ------------------------------------------------------------------------- a real server

BIG_BODY = 150 * 1024 * 1024
RSS_GROWTH_BOUND_KIB = 30 * 1024


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    port: int
    database_url: str
    stderr: Path


def init_db(database_url: str) -> None:
    subprocess.run(
        [*SERVER_COMMAND, "--database-url", database_url, "init-db"],
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=120,
    )


def serve(database_url: str, stderr: Path, **env: str) -> Served:
    port = free_port()
    with stderr.open("wb") as log:
        process = subprocess.Popen(
            [*SERVER_COMMAND, "--database-url", database_url, "serve", "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=log,
            env={**os.environ, "VELDWERK_LOG_LEVEL": "INFO", **env},
        )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server stopped with {process.returncode}: {stderr.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return Served(process, port, database_url, stderr)
        except OSError:
            time.sleep(0.1)
    process.kill()
    process.wait()
    pytest.fail("the server did not start")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One real server (SQLite) for this module's raw-socket tests, with default settings."""
    directory = tmp_path_factory.mktemp("served")
    database_url = f"sqlite:///{directory / 'central.db'}"
    init_db(database_url)
    server = serve(database_url, directory / "stderr.log")
    try:
        yield server
    finally:
        stop_server(server.process)


def reset_peak(pid: int) -> None:
    """Start VmHWM afresh (Linux: "5" to clear_refs), so it is the peak of what follows and not
    of the server's start-up."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def memory_kib(pid: int) -> dict[str, int]:
    """VmRSS (now) and VmHWM (the peak so far) of a process, in KiB."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = int(value.split()[0])
    return found


def _response_complete(data: bytes) -> bool:
    head, found, body = data.partition(b"\r\n\r\n")
    if not found:
        return False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(body) >= int(value)
    return False


def send_raw(port: int, head: bytes, chunks: Iterator[bytes]) -> tuple[int, dict[str, Any], int]:
    """Send a request over a plain socket, all of its body unless the server closes; returns
    the status, the JSON answer and how many body bytes went out."""
    received = b""
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head)
        for chunk in chunks:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable and not _response_complete(received):
                received += sock.recv(65536)
            try:
                sock.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(chunk)
        deadline = time.monotonic() + 30
        while not _response_complete(received) and time.monotonic() < deadline:
            more = sock.recv(65536)
            if not more:
                break
            received += more
    assert _response_complete(received), received[:500]
    status_line, _, rest = received.partition(b"\r\n")
    body = rest.partition(b"\r\n\r\n")[2]
    return int(status_line.split()[1]), json.loads(body), sent


def _plain(total: int) -> Iterator[bytes]:
    block = b"x" * (1024 * 1024)
    for start in range(0, total, len(block)):
        yield block[: min(len(block), total - start)]


def _chunked(total: int) -> Iterator[bytes]:
    for block in _plain(total):
        yield b"%x\r\n" % len(block) + block + b"\r\n"
    yield b"0\r\n\r\n"


def _head(path: str, port: int, extra: str) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: application/json\r\n{extra}\r\n"
    ).encode()


@pytest.mark.parametrize("framing", ["content-length", "chunked"])
@pytest.mark.parametrize("token", [False, True], ids=["no-token", "token"])
def test_a_real_server_refuses_150_mb_without_growing(
    served: Served, framing: str, token: bool
) -> None:
    extra = "Authorization: Bearer not-a-real-token\r\n" if token else ""
    if framing == "chunked":
        extra += "Transfer-Encoding: chunked\r\n"
        chunks = _chunked(BIG_BODY)
    else:
        extra += f"Content-Length: {BIG_BODY}\r\n"
        chunks = _plain(BIG_BODY)
    reset_peak(served.process.pid)
    before = memory_kib(served.process.pid)
    started = time.monotonic()
    status, answer, sent = send_raw(served.port, _head("/v1/sync/push", served.port, extra), chunks)
    seconds = time.monotonic() - started
    after = memory_kib(served.process.pid)
    assert status == 413 and answer["code"] == "too_large", answer
    grew = after["VmHWM"] - before["VmHWM"]
    sys.stderr.write(
        f"\n{framing}, token={token}: sent {sent / 2**20:.0f} MiB in {seconds:.1f} s; "
        f"RSS {before['VmRSS']} -> {after['VmRSS']} KiB, peak {before['VmHWM']} -> "
        f"{after['VmHWM']} KiB (+{grew} KiB)\n"
    )
    assert served.process.poll() is None
    assert sent >= BIG_BODY or framing == "content-length"
    assert grew < RSS_GROWTH_BOUND_KIB, f"the server's peak memory grew by {grew} KiB"
    assert after["VmRSS"] - before["VmRSS"] < RSS_GROWTH_BOUND_KIB


def _enroll_failure_addresses(database_url: str) -> list[str]:
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            return list(session.scalars(sql_select(LoginFailure.address)))
    finally:
        engine.dispose()


def _failed_enrollment(port: int) -> int:
    body = json.dumps({"username": "niemand", "password": "x", "enrollment_code": "AAAA-BBBB-CCCC"})
    head = _head(
        "/v1/enroll",
        port,
        f"X-Forwarded-For: 203.0.113.9\r\nX-Forwarded-Proto: https\r\n"
        f"Content-Length: {len(body)}\r\n",
    )
    status, _answer, _sent = send_raw(port, head, iter([body.encode()]))
    return status


def test_forwarded_headers_are_ignored_unless_the_proxy_is_trusted(
    served: Served, tmp_path: Path
) -> None:
    """By default the peer address counts, whatever X-Forwarded-For claims: failed enrollments
    are counted per address, and a claimed address would dodge that limit."""
    already = _enroll_failure_addresses(served.database_url)
    assert _failed_enrollment(served.port) == 401
    assert _enroll_failure_addresses(served.database_url)[len(already) :] == ["127.0.0.1"]

    database_url = f"sqlite:///{tmp_path / 'central.db'}"
    init_db(database_url)
    behind_proxy = serve(
        database_url, tmp_path / "stderr.log", VELDWERK_TRUSTED_PROXIES="127.0.0.1"
    )
    try:
        assert _failed_enrollment(behind_proxy.port) == 401
    finally:
        stop_server(behind_proxy.process)
    assert _enroll_failure_addresses(database_url) == ["203.0.113.9"]


def test_everything_the_served_process_writes_to_stderr_is_json(served: Served) -> None:
    # uvicorn's own warning for a request it cannot parse, besides our request lines.
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as sock:
        sock.sendall(b"NOT HTTP AT ALL\r\n\r\n")
        assert sock.recv(4096).startswith(b"HTTP/1.1 400")
    hello = _head("/v1/sync/hello", served.port, "Content-Length: 2\r\n")
    assert send_raw(served.port, hello, iter([b"{}"]))[0] == 401
    # Refused before routing, and still logged by its route.
    too_big = _head("/v1/sync/push", served.port, f"Content-Length: {BIG_BODY}\r\n")
    assert send_raw(served.port, too_big, iter([]))[0] == 413
    deadline = time.monotonic() + 10  # a log line follows its answer
    while '"status": 413' not in served.stderr.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    lines = [line for line in served.stderr.read_text().splitlines() if line.strip()]
    entries = []
    for line in lines:
        try:
            entries.append(json.loads(line))
        except ValueError:
            pytest.fail(f"a line on the server's stderr is not JSON: {line[:300]!r}")
    assert all(isinstance(e, dict) and e.get("level") and e.get("at") for e in entries)
    assert "Traceback" not in "\n".join(lines)
    assert "Invalid HTTP request received." in [e["event"] for e in entries]
    requests = [(e["method"], e["route"], e["status"]) for e in entries if e["event"] == "request"]
    assert ("POST", "/v1/sync/hello", 401) in requests
    assert ("POST", "/v1/sync/push", 413) in requests
