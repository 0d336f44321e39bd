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
