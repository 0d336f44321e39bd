"""The profiles on this device as the unlock screen lists them, unlocking and naming new ones."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import keyring
import keyring.backends.null
import pytest

import app.services
from app.services import profiles
from app.services import sync as sync_service
from app.storage import sync_state
from app.storage.profiles import Profile
from app.storage.vault import KdfParams, MemoryAttemptCounter

FAST = KdfParams(1024, 1, 1)
PASSPHRASE = "een lange wachtzin voor de test"


@pytest.fixture(autouse=True)
def no_os_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    null_backend = cast(Any, keyring.backends.null.Keyring)()  # keyring is untyped
    monkeypatch.setattr(keyring, "get_keyring", lambda: null_backend)


def _create(home: Path, name: str, username: str, role: str = "caseworker") -> Profile:
    profile, store = Profile.create(
        name, passphrase=PASSPHRASE, username=username, role=role, params=FAST, home=home
    )
    store.close()
    return profile


def test_list_profiles_summarizes_what_profile_json_holds(tmp_path: Path) -> None:
    assert profiles.list_profiles(tmp_path) == []
    _create(tmp_path, "z-mulder", "t.mulder", role="team_lead")
    kd = _create(tmp_path, "k-dijkstra", "k.dijkstra")
    found = profiles.list_profiles(tmp_path)
    assert [(s.name, s.username, s.role, s.wiped) for s in found] == [
        ("k-dijkstra", "k.dijkstra", "caseworker", False),
        ("z-mulder", "t.mulder", "team_lead", False),
    ]
    first = found[0]
    assert first.created_at is not None and first.created_at.tzinfo is not None
    assert first.last_sync is None  # never synced
    assert first.profile.path == kd.path
    assert "profile=" not in repr(first)


def test_a_profile_without_its_key_is_wiped(tmp_path: Path) -> None:
    profile = _create(tmp_path, "k-dijkstra", "k.dijkstra")
    profile.key_path.unlink()
    (summary,) = profiles.list_profiles(tmp_path)
    assert summary.wiped and profiles.is_wiped(profile)


def test_summarize_with_the_open_store_knows_the_last_sync(tmp_path: Path) -> None:
    profile = _create(tmp_path, "k-dijkstra", "k.dijkstra")
    store = profiles.unlock(profile, PASSPHRASE)
    try:
        assert profiles.summarize(profile, store).last_sync is None
        store.set_setting(sync_state.LAST_SYNC, "2026-11-23T08:15:00+00:00")
        summary = profiles.summarize(profile, store)
        assert summary.last_sync == datetime(2026, 11, 23, 8, 15, tzinfo=UTC)
    finally:
        store.close()
    # Closed, and no round has finished on this device: not known.
    assert profiles.summarize(profile, store).last_sync is None


def test_the_last_sync_is_known_before_an_unlock(tmp_path: Path) -> None:
    profile = _create(tmp_path, "k-dijkstra", "k.dijkstra")
    profile.note_synced(datetime(2026, 11, 23, 8, 15, tzinfo=UTC))
    (summary,) = profiles.list_profiles(tmp_path)
    assert summary.last_sync == datetime(2026, 11, 23, 8, 15, tzinfo=UTC)
    # profile.json stays as older versions wrote it; a damaged status file means "not known".
    assert "last_sync" not in (profile.path / "profile.json").read_text(encoding="utf-8")
    (profile.path / "status.json").write_text("{niet", encoding="utf-8")
    (summary,) = profiles.list_profiles(tmp_path)
    assert summary.last_sync is None


def test_unlock_errors_come_from_app_services(tmp_path: Path) -> None:
    profile = _create(tmp_path, "k-dijkstra", "k.dijkstra")
    vault = profile.vault(counter=MemoryAttemptCounter())
    with pytest.raises(app.services.WrongPassphrase):
        profile.unlock("niet de goede", vault=vault)
    with pytest.raises(app.services.WrongPassphrase):
        profiles.unlock(profile, "niet de goede")
    for name in (
        "WrongPassphrase",
        "UnlockDelayed",
        "ProfileWiped",
        "LeaseExpired",
        "DeviceRevoked",
        "SyncCancelled",
    ):
        assert issubclass(getattr(app.services, name), Exception), name
    assert sync_service.SyncReport is not None and callable(sync_service.warning_text)


def test_an_expired_lease_refuses_work_but_not_sync(tmp_path: Path) -> None:
    profile = _create(tmp_path, "k-dijkstra", "k.dijkstra")
    store = profiles.unlock(profile, PASSPHRASE)
    store.set_setting(sync_service.SERVER, "http://127.0.0.1:9")  # as if enrolled
    store.set_setting(sync_state.LAST_SYNC, "2026-01-01T00:00:00+00:00")
    store.close()
    later = datetime(2026, 3, 1, tzinfo=UTC)
    with pytest.raises(app.services.LeaseExpired):
        profiles.unlock(profile, PASSPHRASE, now=later)
    profiles.unlock_for_sync(profile, PASSPHRASE).close()


def test_new_profile_names_are_free_folder_names(tmp_path: Path) -> None:
    assert profiles.new_profile_name("K.Dijkstra", tmp_path) == "k-dijkstra"
    _create(tmp_path, "k-dijkstra", "k.dijkstra")
    assert profiles.new_profile_name("k.dijkstra", tmp_path) == "k-dijkstra-2"
    (tmp_path / "profiles" / "k-dijkstra-2").mkdir()  # a half-made profile holds its name too
    assert profiles.new_profile_name("k.dijkstra", tmp_path) == "k-dijkstra-3"
    assert profiles.new_profile_name("...", tmp_path) == "profiel"
    assert len(profiles.new_profile_name("x" * 200, tmp_path)) <= 56
