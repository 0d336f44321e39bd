"""`veldwerk demo`: an embedded central server with demo data, both profiles enrolled through it."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from app.demo import server as demo_server
from app.demo.profiles import CASEWORKER, CASEWORKER_PROFILE, TEAM_LEAD_PROFILE
from app.demo.server import (
    FOLDER_PREFIX,
    OWNER_FILE,
    DemoServerError,
    remove_stale_demo_folders,
    start_demo,
)
from app.services.sync import server_reachable
from app.storage.profiles import find_profile, list_profiles
from app.storage.vault import KdfParams

FAST = KdfParams(1024, 1, 1)
ROOT = Path(__file__).resolve().parents[2]


def dead_pid() -> int:
    """The id of a process that has ended and been reaped."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def demo_folder(temp_dir: Path, name: str, owner: int | None) -> Path:
    folder = temp_dir / f"{FOLDER_PREFIX}{name}"
    folder.mkdir(mode=0o700)
    (folder / "central.db").write_bytes(b"plaintext demo data")
    if owner is not None:
        (folder / OWNER_FILE).write_text(f"{owner}\n", encoding="ascii")
    return folder


def test_demo_server_enrolls_both_profiles_and_stops_cleanly(tmp_path: Path) -> None:
    home = tmp_path / "home"
    server = start_demo(clients=30, seed=3, home=home, params=FAST)
    try:
        assert server.url.startswith("http://127.0.0.1:")
        assert {a.profile_name for a in server.accounts} == {CASEWORKER_PROFILE, TEAM_LEAD_PROFILE}
        assert {p.name for p in list_profiles(home)} == {CASEWORKER_PROFILE, TEAM_LEAD_PROFILE}
        caseworker = next(a for a in server.accounts if a.role == "caseworker")
        store = find_profile(CASEWORKER_PROFILE, home).unlock(caseworker.passphrase)
        try:
            # Enrolled and synced: the caseload came from the embedded server.
            assert len(store.caseload()) > 0
            assert store.pending_count() == 0
            assert server_reachable(store)
        finally:
            store.close()

        # One more device of the caseworker enrolls through the same server, with its own
        # passphrase and caseload; a user the demo does not have cannot.
        second = server.enroll(
            CASEWORKER, profile_name="second-device", home=tmp_path / "other", params=FAST
        )
        assert (second.username, second.role) == (CASEWORKER, "caseworker")
        store = find_profile("second-device", tmp_path / "other").unlock(second.passphrase)
        try:
            assert len(store.caseload()) > 0
        finally:
            store.close()
        with pytest.raises(DemoServerError):
            server.enroll("nobody", profile_name="x", home=tmp_path / "x", params=FAST)

        # A second run replaces the profiles of the first (they belonged to its server).
        again = start_demo(clients=10, seed=4, home=home, params=FAST)
        again.stop()
    finally:
        server.stop()
    assert server.process.poll() is not None
    assert not server.folder.exists()


def test_stopping_the_demo_window_stops_its_server(tmp_path: Path) -> None:
    """`veldwerk demo` with its window (offscreen); a TERM closes it the normal way and the
    embedded server and its folder go with it."""
    import os
    import signal
    import subprocess
    import sys
    import time

    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "VELDWERK_HOME": str(tmp_path / "home"),
        "TMPDIR": str(tmp_path),
    }
    demo = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "demo", "--clients", "10"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    try:
        assert demo.stdout is not None
        lines = [demo.stdout.readline() for _ in range(3)]
        assert all("passphrase:" in line for line in lines[1:]), lines
        folders = list(tmp_path.glob("veldwerk-demo-server-*"))
        assert len(folders) == 1
        time.sleep(1)  # the window is up
        demo.send_signal(signal.SIGTERM)
        assert demo.wait(timeout=30) == 0
    finally:
        if demo.poll() is None:
            demo.kill()
    deadline = time.monotonic() + 10
    while folders[0].exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not folders[0].exists()


def test_a_start_removes_the_folders_of_demos_that_no_longer_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A killed demo never reaches stop(); the next start removes what it left. Folders of
    running demos, of demos starting right now (no owner file yet), and anything that is not a
    plain folder of ours under the demo's name stay."""
    temp_dir = tmp_path / "tmp"
    temp_dir.mkdir()
    dead = demo_folder(temp_dir, "dead", dead_pid())
    alive = demo_folder(temp_dir, "alive", os.getpid())
    old_unowned = demo_folder(temp_dir, "old", None)
    an_hour_ago = time.time() - 3600
    os.utime(old_unowned, (an_hour_ago, an_hour_ago))
    starting = demo_folder(temp_dir, "starting", None)
    garbled = demo_folder(temp_dir, "garbled", None)
    (garbled / OWNER_FILE).write_text("12", encoding="ascii")  # not a whole line: no owner
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("not the demo's")
    link = temp_dir / f"{FOLDER_PREFIX}link"
    link.symlink_to(elsewhere, target_is_directory=True)

    # The start fails at once after the sweep; it removes its own new folder as it fails.
    monkeypatch.setattr(tempfile, "tempdir", str(temp_dir))

    def refuse(*_args: str) -> str:
        raise DemoServerError()

    monkeypatch.setattr(demo_server, "_server_cli", refuse)
    with pytest.raises(DemoServerError):
        start_demo(clients=10, home=tmp_path / "home", params=FAST)

    left = {path.name for path in temp_dir.iterdir()}
    assert left == {alive.name, starting.name, garbled.name, link.name}
    assert not dead.exists() and not old_unowned.exists()
    assert (elsewhere / "keep.txt").exists()
    # Once its owner has ended, the live demo's folder goes too; one without a whole owner line
    # goes when it is older than a minute.
    (alive / OWNER_FILE).write_text(f"{dead_pid()}\n", encoding="ascii")
    in_a_minute = time.time() + demo_server.UNOWNED_GRACE_SECONDS
    assert remove_stale_demo_folders(temp_dir, now=in_a_minute) == [alive, garbled, starting]


def test_nothing_of_a_killed_demo_is_left_in_the_temp_directory(tmp_path: Path) -> None:
    """SIGKILL a running demo (it never reaches stop()), then the next start's sweep: its
    plaintext server database is gone, and no file in the temp directory holds demo data."""
    temp_dir = tmp_path / "tmp"
    temp_dir.mkdir()
    # The demo, killed once its server is up with the data: it then waits where the enrollment
    # of the profiles would start.
    script = textwrap.dedent(
        """
        import sys, tempfile, time
        from pathlib import Path

        from app.demo import server as demo_server
        from app.storage.vault import KdfParams

        wait_until_up = demo_server._wait_until_up

        def announce(url, process, timeout=30.0):
            wait_until_up(url, process, timeout)
            temp_dir = Path(tempfile.gettempdir())
            [folder] = temp_dir.glob(demo_server.FOLDER_PREFIX + "*")
            print(folder, process.pid, flush=True)
            time.sleep(300)

        demo_server._wait_until_up = announce
        fast = KdfParams(1024, 1, 1)
        demo_server.start_demo(clients=10, seed=5, home=Path(sys.argv[1]), params=fast)
        """
    )
    errors = tmp_path / "demo-stderr.txt"
    # Its errors go to a file, not a pipe nobody reads while waiting (a full pipe would stall
    # it), and outside the temp directory, which is scanned.
    with errors.open("wb") as stderr:
        demo = subprocess.Popen(
            [sys.executable, "-c", script, str(tmp_path / "home")],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=stderr,
            env={**os.environ, "TMPDIR": str(temp_dir), "VELDWERK_LOG_LEVEL": "WARNING"},
            text=True,
        )
    server_pid = 0
    try:
        assert demo.stdout is not None
        line = demo.stdout.readline()
        assert line, errors.read_text(errors="replace")
        folder_name, pid = line.split()
        folder, server_pid = Path(folder_name), int(pid)
        assert folder.parent == temp_dir
        assert (folder / OWNER_FILE).read_text().strip() == str(demo.pid)
        # A marker only the demo data holds: a generated client's BSN, in plaintext on disk.
        db = sqlite3.connect(f"file:{folder / 'central.db'}?mode=ro", uri=True)
        try:
            (bsn,) = db.execute("SELECT bsn FROM clients WHERE bsn IS NOT NULL LIMIT 1").fetchone()
        finally:
            db.close()
        marker = str(bsn).encode()
        assert files_holding(temp_dir, marker), "the marker is not in the demo's files"

        demo.send_signal(signal.SIGKILL)
        demo.wait(timeout=10)
        # The embedded server follows its demo (PR_SET_PDEATHSIG); the folder stays behind.
        deadline = time.monotonic() + 15
        while demo_server._process_runs(server_pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not demo_server._process_runs(server_pid), "the embedded server outlived its demo"
        assert folder.exists()

        assert remove_stale_demo_folders(temp_dir) == [folder]
        assert not folder.exists()
        assert files_holding(temp_dir, marker) == []
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.wait()
        if demo.stdout is not None:
            demo.stdout.close()
        if server_pid and demo_server._process_runs(server_pid):
            os.kill(server_pid, signal.SIGKILL)


def files_holding(root: Path, marker: bytes) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file() and marker in path.read_bytes()]
