"""The demo with everything: an embedded central server on 127.0.0.1 with generated data, and a
caseworker and a team lead enrolled on this device through it, exactly as a real device enrolls.

The server runs as a child process (`python -m server.cli`) on a free loopback port with its own
SQLite database in a private temporary folder; `stop()` ends it and removes the folder. Nothing in
it is real: the data comes from the same generator as every other demo.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from app.domain.errors import VeldwerkError
from app.services.demo import (
    CASEWORKER,
    CASEWORKER_PROFILE,
    TEAM_LEAD,
    TEAM_LEAD_PROFILE,
    Progress,
    demo_passphrase,
)
from app.services.sync import enroll, sync_profile
from app.storage.profiles import ProfileError, find_profile, list_profiles
from app.storage.vault import KdfParams

_PASSWORD_LINE = re.compile(r"^\s*(\S+)\s+(\S+)\s+password:\s+(\S+)\s*$")


class DemoServerError(VeldwerkError):
    def __init__(self) -> None:
        super().__init__(
            "demo_server_failed",
            "De demoserver kon niet starten.",
            "The demo server could not start.",
        )


@dataclass
class DemoAccount:
    profile_name: str
    username: str
    role: str
    passphrase: str


@dataclass
class EmbeddedServer:
    url: str
    folder: Path
    process: subprocess.Popen[bytes]
    accounts: list[DemoAccount] = field(default_factory=list)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def _die_with_parent() -> None:
    """In the child, before exec: end when the demo process ends, however it ends (a kill
    included), so no server is left running behind a closed demo."""
    import ctypes
    import signal

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _server_cli(database_url: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "server.cli", "--database-url", database_url, *args],
        capture_output=True,
        check=False,
        env={**os.environ, "VELDWERK_LOG_LEVEL": "WARNING"},
    )
    if result.returncode != 0:
        raise DemoServerError()
    return result.stdout.decode()


def _wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise DemoServerError()
        try:
            if requests.get(url + "/v1/health", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    process.kill()
    raise DemoServerError()


def start_demo(
    *,
    clients: int = 400,
    seed: int = 2026,
    home: Path | None = None,
    params: KdfParams | None = None,
    progress: Progress = lambda _message: None,
) -> EmbeddedServer:
    """Start the embedded server with demo data and enroll both demo profiles through it,
    replacing demo profiles left from an earlier run (they belonged to that run's server)."""
    folder = Path(tempfile.mkdtemp(prefix="veldwerk-demo-server-"))
    database_url = f"sqlite:///{folder / 'central.db'}"
    process: subprocess.Popen[bytes] | None = None
    try:
        progress("Starting the embedded central server")
        _server_cli(database_url, "init-db")
        seeded = _server_cli(
            database_url, "demo-seed", "--clients", str(clients), "--seed", str(seed)
        )
        passwords = {
            m.group(2): m.group(3)
            for m in (_PASSWORD_LINE.match(line) for line in seeded.splitlines())
            if m is not None
        }
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "server.cli",
                "--database-url",
                database_url,
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "VELDWERK_LOG_LEVEL": "WARNING"},
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
        _wait_until_up(url, process)
        server = EmbeddedServer(url=url, folder=folder, process=process)

        existing = {p.name for p in list_profiles(home)}
        for name in (CASEWORKER_PROFILE, TEAM_LEAD_PROFILE):
            if name in existing:
                find_profile(name, home).destroy()
        for name, username, role in (
            (CASEWORKER_PROFILE, CASEWORKER, "caseworker"),
            (TEAM_LEAD_PROFILE, TEAM_LEAD, "team_lead"),
        ):
            if username not in passwords:
                raise DemoServerError()
            code = _server_cli(database_url, "enrollment-code", username)
            passphrase = demo_passphrase()
            progress(f"Enrolling {name} and downloading its caseload")
            profile, store = enroll(
                server_url=url,
                username=username,
                password=passwords[username],
                code=code.strip().splitlines()[-1].strip(),
                passphrase=passphrase,
                profile_name=name,
                home=home,
                params=params,
            )
            try:
                sync_profile(profile, store)
            finally:
                store.close()
            server.accounts.append(DemoAccount(name, username, role, passphrase))
        return server
    except (OSError, ProfileError, VeldwerkError):
        if process is not None and process.poll() is None:
            process.kill()
        shutil.rmtree(folder, ignore_errors=True)
        raise
