"""`veldwerk demo`: an embedded central server with demo data, both profiles enrolled through it."""

from __future__ import annotations

from pathlib import Path

from app.services.demo import CASEWORKER_PROFILE, TEAM_LEAD_PROFILE
from app.services.demo_server import start_demo
from app.services.sync import server_reachable
from app.storage.profiles import find_profile, list_profiles
from app.storage.vault import KdfParams

FAST = KdfParams(1024, 1, 1)


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
