"""The demo with everything: an embedded central server on 127.0.0.1 with generated data, and a
caseworker and a team lead enrolled on this device through it, exactly as a real device enrolls.

    start_demo(...)        the server and both demo profiles (`veldwerk demo`)
    start_server(...)      only the server, with the demo data
    server.enroll(user)    one more device of a demo user, enrolled and synced
    server.stop()          the server ends and its folder is removed

The server runs as a child process (`python -m server.cli`) on a free loopback port with its own
SQLite database in a private temporary folder; `stop()` ends it and removes the folder. Nothing in
it is real: the data comes from the same generator as every other demo.

The database is plaintext (SECURITY.md S2 allows no plaintext temp files), and a demo that is
killed (SIGKILL, a crash, a power cut) never reaches `stop()`. So the folder names its owner: the
demo process's id in `owner.pid`. Every start first removes the demo folders in the temp directory
whose owner no longer runs, or that have no owner file and are older than a minute (a demo that is
starting right now has not written it yet). Folders of running demos are left alone.

Kept on disk rather than in memory: the server is seeded by separate `server.cli` processes and
serves from another, and an SQLite memory database lives in one process only; running the server
inside the desktop process instead would make the client import the server and its optional
dependencies, and share the UI's interpreter. A RAM file system (/dev/shm) is Linux-only and
outlives a killed demo all the same, so the sweep would still be needed.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import requests

from app.demo.profiles import (
    CASEWORKER,
    CASEWORKER_PROFILE,
    TEAM_LEAD,
    TEAM_LEAD_PROFILE,
    Progress,
    demo_passphrase,
)
from app.domain.errors import VeldwerkError
from app.services.sync import enroll, sync_profile
from app.storage.profiles import find_profile, list_profiles
from app.storage.vault import KdfParams

_PASSWORD_LINE = re.compile(r"^\s*(\S+)\s+(\S+)\s+password:\s+(\S+)\s*$")
FOLDER_PREFIX = "veldwerk-demo-server-"
OWNER_FILE = "owner.pid"
DATABASE_FILE = "central.db"
# A folder without an owner file is left alone this long: its demo may be starting right now.
UNOWNED_GRACE_SECONDS = 60.0


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
    """A running embedded central server with the demo data. Its users' passwords are kept so
    that more devices can enroll (`enroll`); `accounts` lists the demo profiles enrolled by
    `start_demo`."""

    url: str
    folder: Path
    process: subprocess.Popen[bytes]
    accounts: list[DemoAccount] = field(default_factory=list)
    passwords: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.folder / DATABASE_FILE}"

    def enroll(
        self,
        username: str,
        *,
        profile_name: str,
        home: Path | None = None,
        params: KdfParams | None = None,
    ) -> DemoAccount:
        """Enroll a device of a demo user, exactly as a real device enrolls (central office
        hands out a one-time code, the user types password and code), and download its
        caseload. The profile gets a fresh demo passphrase, returned in the account."""
        if username not in self.passwords:
            raise DemoServerError()
        code = _server_cli(self.database_url, "enrollment-code", username)
        passphrase = demo_passphrase()
        profile, store = enroll(
            server_url=self.url,
            username=username,
            password=self.passwords[username],
            code=code.strip().splitlines()[-1].strip(),
            passphrase=passphrase,
            profile_name=profile_name,
            home=home,
            params=params,
        )
        try:
            sync_profile(profile, store)
        finally:
            store.close()
        return DemoAccount(profile_name, username, profile.info.role, passphrase)

    def cut_off(self) -> None:
        """End the server process but keep its data (stop() removes both): its port refuses
        connections from now on, as a server behind a lost network would seem to."""
        self._end_process()

    def resume(self) -> None:
        """After `cut_off`: the server again, on the same address with the same data."""
        if self.process.poll() is not None:
            self.process = _serve(self.database_url, self.url)

    def stop(self) -> None:
        self._end_process()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _end_process(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _die_with_parent() -> None:
    """In the child, before exec: end when the demo process ends, however it ends (a kill
    included), so no server is left running behind a closed demo."""
    import ctypes
    import signal

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _process_runs(pid: int) -> bool:
    """Whether a process with this id exists (a zombie, which is dead but not yet reaped, does
    not count). When unsure, yes: keeping a folder is safe, removing a live demo's is not."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        import ctypes

        process_query_limited_information = 0x1000
        still_active = 259
        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(process_query_limited_information, False, pid)
        if not handle:
            # Access denied means it exists (someone else's); otherwise there is no such process.
            return bool(ctypes.GetLastError() == 5)
        try:
            exit_code = ctypes.c_ulong()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(exit_code)):
                return True
            return exit_code.value == still_active
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, as another user's process
    try:
        line = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc (macOS): the signal said it exists
    # The state follows the command name, which is in parentheses and may contain anything.
    return line[line.rfind(")") + 2 :][:1] != "Z"


def _write_owner(folder: Path) -> None:
    # Written aside and renamed into place, so a sweep never reads half an id (which could name
    # another process, one that has ended).
    aside = folder / (OWNER_FILE + ".new")
    aside.write_text(f"{os.getpid()}\n", encoding="ascii")
    os.replace(aside, folder / OWNER_FILE)


def _owner(folder: Path) -> int | None:
    try:
        text = (folder / OWNER_FILE).read_text(encoding="ascii")
    except (OSError, ValueError):
        return None  # none yet
    # Only a whole line counts: anything else was not written by _write_owner.
    return int(text[:-1]) if text.endswith("\n") and text[:-1].isdigit() else None


def remove_stale_demo_folders(
    temp_dir: Path | None = None, *, now: float | None = None
) -> list[Path]:
    """Remove the demo server folders left in `temp_dir` (default: the temp directory) by demos
    that no longer run; return those removed. Folders of running demos, and folders of other
    users or symbolic links under the demo's name (a shared /tmp), are not touched."""
    temp_dir = Path(tempfile.gettempdir()) if temp_dir is None else temp_dir
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        candidates = sorted(temp_dir.glob(FOLDER_PREFIX + "*"))
    except OSError:
        return removed
    for folder in candidates:
        try:
            info = folder.lstat()
            if not stat.S_ISDIR(info.st_mode):
                continue  # a symbolic link or a file: not a folder we made
            if hasattr(os, "getuid") and info.st_uid != os.getuid():
                continue
            owner = _owner(folder)
            if owner is None:
                if now - info.st_mtime < UNOWNED_GRACE_SECONDS:
                    continue
            elif _process_runs(owner):
                continue
            shutil.rmtree(folder)
        except OSError:
            continue  # gone meanwhile, or not ours to remove: never a reason to fail the demo
        removed.append(folder)
    return removed


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


def start_server(
    *,
    clients: int = 400,
    seed: int = 2026,
    today: date | None = None,
    progress: Progress = lambda _message: None,
) -> EmbeddedServer:
    """Start the embedded central server with the demo caseload of `clients` clients (the
    generator's `seed`, built around `today`: default the generator's fixed day, so that runs
    compare; the demo a person looks at passes the real date) and wait until it answers. No
    device is enrolled yet. Server folders left by killed demos are removed first (see the
    module docstring)."""
    remove_stale_demo_folders()
    folder = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX))
    database_url = f"sqlite:///{folder / DATABASE_FILE}"
    process: subprocess.Popen[bytes] | None = None
    try:
        # Before any data is written: a demo killed from here on leaves a folder with an owner.
        _write_owner(folder)
        progress("Starting the embedded central server")
        _server_cli(database_url, "init-db")
        day = ["--today", today.isoformat()] if today is not None else []
        seeded = _server_cli(
            database_url, "demo-seed", "--clients", str(clients), "--seed", str(seed), *day
        )
        passwords = {
            m.group(2): m.group(3)
            for m in (_PASSWORD_LINE.match(line) for line in seeded.splitlines())
            if m is not None
        }
        url = f"http://127.0.0.1:{_free_port()}"
        process = _serve(database_url, url)
        return EmbeddedServer(url=url, folder=folder, process=process, passwords=passwords)
    except BaseException:
        # Ctrl+C included: the folder must not outlive a start that did not finish.
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _serve(database_url: str, url: str) -> subprocess.Popen[bytes]:
    """`veldwerk-server serve` on the port of `url`, once it answers."""
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
            str(urlsplit(url).port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "VELDWERK_LOG_LEVEL": "WARNING"},
        preexec_fn=_die_with_parent if sys.platform == "linux" else None,
    )
    try:
        _wait_until_up(url, process)
    except BaseException:
        process.kill()
        process.wait()
        raise
    return process


def start_demo(
    *,
    clients: int = 400,
    seed: int = 2026,
    today: date | None = None,
    home: Path | None = None,
    params: KdfParams | None = None,
    progress: Progress = lambda _message: None,
) -> EmbeddedServer:
    """Start the embedded server with demo data and enroll both demo profiles through it,
    replacing demo profiles left from an earlier run (they belonged to that run's server)."""
    server = start_server(clients=clients, seed=seed, today=today, progress=progress)
    try:
        existing = {p.name for p in list_profiles(home)}
        for name in (CASEWORKER_PROFILE, TEAM_LEAD_PROFILE):
            if name in existing:
                find_profile(name, home).destroy()
        for name, username in ((CASEWORKER_PROFILE, CASEWORKER), (TEAM_LEAD_PROFILE, TEAM_LEAD)):
            progress(f"Enrolling {name} and downloading its caseload")
            server.accounts.append(
                server.enroll(username, profile_name=name, home=home, params=params)
            )
        return server
    except BaseException:
        server.stop()
        raise
