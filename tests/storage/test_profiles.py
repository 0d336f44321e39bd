"""Profiles: create, list, unlock, passphrase change, wipe after too many failures, destroy."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import time
from pathlib import Path

import pytest

from app.domain.client import Client
from app.storage import profiles as profiles_module
from app.storage.migrations.runner import backup_database
from app.storage.profiles import Profile as ProfileClass
from app.storage.profiles import (
    ProfileError,
    find_profile,
    list_profiles,
    profiles_dir,
    veldwerk_home,
)
from app.storage.store import Store
from app.storage.vault import (
    EmptyPassphrase,
    MemoryAttemptCounter,
    ProfileWiped,
    Vault,
    WrongPassphrase,
)
from tests import store_access

from .conftest import (
    FAST,
    PASSPHRASE,
    PROFILE_NAME,
    USERNAME,
    FakeTime,
    OpenProfile,
    TickingClock,
    make_client,
    make_note,
)

WRONG = "dit is niet de wachtwoordzin"
NEW_PASSPHRASE = "een nieuwe, langere wachtwoordzin 2026"
MAX_DELAY = 300.0


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def vault_of(profile: ProfileClass, fake_time: FakeTime) -> Vault:
    return profile.vault(counter=MemoryAttemptCounter(), clock=fake_time)


def create(home: Path, name: str = PROFILE_NAME) -> tuple[ProfileClass, Store]:
    return ProfileClass.create(
        name,
        passphrase=PASSPHRASE,
        username=USERNAME,
        role="caseworker",
        params=FAST,
        home=home,
    )


# ------------------------------------------------------------------------ create, list, unlock


def test_create_list_and_unlock(home: Path, opened: OpenProfile) -> None:
    client = opened.store.create(make_client())
    opened.store.create(make_note(client.id))
    opened.store.close()

    (listed,) = list_profiles(home)
    assert listed.name == PROFILE_NAME
    assert listed.path == opened.profile.path
    assert listed.info.username == USERNAME
    assert listed.info.role == "caseworker"
    assert listed.info == opened.profile.info
    assert find_profile(PROFILE_NAME, home).info == opened.profile.info

    clock = TickingClock()
    store = listed.unlock(PASSPHRASE, vault=vault_of(listed, FakeTime()), clock=clock)
    try:
        assert store.get(Client, client.id) == client
        assert store.open_dossier(client.id).notes[0].client_id == client.id
        assert store.actor == USERNAME
    finally:
        store.close()


def test_profile_files_and_folder_are_private(opened: OpenProfile, home: Path) -> None:
    path = opened.profile.path
    assert path == home / "profiles" / PROFILE_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    for name in ("key.json", "profile.json"):
        assert stat.S_IMODE((path / name).stat().st_mode) == 0o600
    assert opened.profile.db_path.exists()


def test_profile_json_holds_no_secret_and_no_client_data(opened: OpenProfile) -> None:
    opened.store.create(make_client())
    info = json.loads((opened.profile.path / "profile.json").read_text(encoding="utf-8"))
    assert set(info) == {
        "name",
        "username",
        "role",
        "server_url",
        "device_id",
        "created_at",
    }
    text = json.dumps(info)
    assert PASSPHRASE not in text and "Dijkstra" not in text and "111222333" not in text


def test_list_profiles_of_an_empty_home(home: Path) -> None:
    assert list_profiles(home) == []


def test_several_profiles_are_listed_by_name(home: Path) -> None:
    for name in ("zwart", "a-team", "b_2"):
        _, store = create(home, name)
        store.close()
    assert [p.name for p in list_profiles(home)] == ["a-team", "b_2", "zwart"]


def test_unlocking_twice_needs_no_migration_and_no_backup(opened: OpenProfile) -> None:
    opened.store.close()
    profile = opened.profile
    for _ in range(2):
        profile.unlock(PASSPHRASE, vault=vault_of(profile, FakeTime())).close()
    assert not profile.backup_dir.exists()


# -------------------------------------------------------------------------- wrong passphrases


def test_a_wrong_passphrase_is_refused_and_counted(opened: OpenProfile) -> None:
    opened.store.close()
    profile = opened.profile
    fake_time = FakeTime()
    vault = vault_of(profile, fake_time)
    with pytest.raises(WrongPassphrase) as caught:
        profile.unlock(WRONG, vault=vault)
    assert caught.value.code == "wrong_passphrase"
    assert caught.value.remaining_attempts == 9
    assert vault.failed_attempts == 1
    # Counted in the key file itself, so a fresh vault (another app start) sees it too.
    assert vault_of(profile, fake_time).failed_attempts == 1
    with pytest.raises(WrongPassphrase) as again:
        profile.unlock(WRONG, vault=vault)
    assert again.value.remaining_attempts == 8
    # The right passphrase still works and resets the count.
    profile.unlock(PASSPHRASE, vault=vault).close()
    assert vault.failed_attempts == 0


def test_ten_wrong_passphrases_wipe_the_profile(opened: OpenProfile) -> None:
    profile, store = opened.profile, opened.store
    store.create(make_client())
    backup_database(store_access.engine_of(store), profile.backup_dir, label="before-0001")
    # Leave a WAL and shared-memory file behind, as a crash of the app would.
    wal = profile.path / "veldwerk.db-wal"
    shm = profile.path / "veldwerk.db-shm"
    assert wal.exists() and shm.exists()
    kept = profile.path.parent / "kept"
    kept.mkdir()
    shutil.copy2(wal, kept / wal.name)
    shutil.copy2(shm, kept / shm.name)
    store.close()
    for leftover in kept.iterdir():
        shutil.copy2(leftover, profile.path / leftover.name)
    shutil.rmtree(kept)
    assert wal.exists() and shm.exists() and profile.db_path.exists()
    assert list(profile.backup_dir.glob("*.db"))

    fake_time = FakeTime()
    vault = vault_of(profile, fake_time)
    for attempt in range(1, 10):
        fake_time.advance(MAX_DELAY + 1)
        with pytest.raises(WrongPassphrase) as caught:
            profile.unlock(WRONG, vault=vault)
        assert caught.value.remaining_attempts == 10 - attempt
        assert profile.key_path.exists()
    fake_time.advance(MAX_DELAY + 1)
    with pytest.raises(ProfileWiped):
        profile.unlock(WRONG, vault=vault)

    assert not profile.key_path.exists()
    for gone in (profile.db_path, wal, shm):
        assert not gone.exists()
    assert not profile.backup_dir.exists() or list(profile.backup_dir.iterdir()) == []
    assert profile.data_files() == []
    assert {p.name for p in profile.path.iterdir()} <= {"profile.json", "backups"}

    # The right passphrase cannot bring anything back, in this session or the next.
    with pytest.raises(ProfileWiped) as wiped:
        profile.unlock(PASSPHRASE, vault=vault)
    assert wiped.value.code == "profile_wiped"
    with pytest.raises(ProfileWiped):
        profile.unlock(PASSPHRASE, vault=vault_of(profile, FakeTime()))
    assert not profile.db_path.exists()


# ------------------------------------------------------------------------- passphrase change


def test_changing_the_passphrase_rewraps_only(opened: OpenProfile) -> None:
    profile, store = opened.profile, opened.store
    clients = [store.create(make_client(surname="Wisselaar"))]
    store.close()  # closing checkpoints the WAL into the database file
    assert not (profile.path / "veldwerk.db-wal").exists()
    db_before = sha256_of(profile.db_path)
    key_before = sha256_of(profile.key_path)

    fake_time = FakeTime()
    vault = vault_of(profile, fake_time)
    vault.change_passphrase(PASSPHRASE, NEW_PASSPHRASE)

    assert sha256_of(profile.db_path) == db_before
    assert sha256_of(profile.key_path) != key_before
    with pytest.raises(WrongPassphrase):
        profile.unlock(PASSPHRASE, vault=vault)
    fake_time.advance(MAX_DELAY + 1)
    store = profile.unlock(NEW_PASSPHRASE, vault=vault)
    try:
        assert store.get(Client, clients[0].id) == clients[0]
    finally:
        store.close()


# ---------------------------------------------------------------------------------- destroy


def test_destroy_removes_the_profile(opened: OpenProfile, home: Path) -> None:
    profile, store = opened.profile, opened.store
    store.create(make_client())
    backup_database(store_access.engine_of(store), profile.backup_dir, label="x")
    store.close()
    profile.destroy()
    assert not profile.path.exists()
    assert list_profiles(home) == []
    with pytest.raises(ProfileError) as caught:
        find_profile(PROFILE_NAME, home)
    assert caught.value.code == "profile_not_found"


# ---------------------------------------------------------------------------- refused input


@pytest.mark.parametrize(
    "name",
    [
        "",
        "Test",
        "../escape",
        "a/b",
        "a\\b",
        ".hidden",
        "-dash",
        "_under",
        "met spatie",
        "zoë",
        "a" * 65,
        "naam\n",
        "..",
    ],
)
def test_invalid_profile_names_are_refused(home: Path, name: str) -> None:
    with pytest.raises(ProfileError) as caught:
        _, store = create(home, name)
        store.close()  # only reached when the name was wrongly accepted
    assert caught.value.code == "invalid_profile_name"
    assert not profiles_dir(home).exists() or list(profiles_dir(home).iterdir()) == []
    assert not (home.parent / "escape").exists()


def test_an_unknown_role_is_refused(home: Path) -> None:
    with pytest.raises(ProfileError) as caught:
        ProfileClass.create(
            "rol", passphrase=PASSPHRASE, username=USERNAME, role="admin", params=FAST, home=home
        )
    assert caught.value.code == "invalid_role"
    assert list_profiles(home) == []


def test_an_existing_profile_is_not_overwritten(opened: OpenProfile, home: Path) -> None:
    key_before = sha256_of(opened.profile.key_path)
    with pytest.raises(ProfileError) as caught:
        create(home)
    assert caught.value.code == "profile_exists"
    assert sha256_of(opened.profile.key_path) == key_before


def test_a_failed_create_leaves_no_folder(home: Path) -> None:
    with pytest.raises(EmptyPassphrase):
        ProfileClass.create(
            "leeg", passphrase="", username=USERNAME, role="caseworker", params=FAST, home=home
        )
    assert not (profiles_dir(home) / "leeg").exists()


def test_an_unreadable_profile_is_reported(home: Path) -> None:
    broken = profiles_dir(home) / "kapot"
    broken.mkdir(parents=True)
    (broken / "profile.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        list_profiles(home)
    assert caught.value.code == "profile_unreadable"


# --------------------------------------------------------------------------------- the home


def test_veldwerk_home_is_respected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "elders"
    monkeypatch.setenv("VELDWERK_HOME", str(elsewhere))
    assert veldwerk_home() == elsewhere
    assert profiles_dir() == elsewhere / "profiles"
    monkeypatch.delenv("VELDWERK_HOME")
    assert veldwerk_home() != elsewhere
    assert "veldwerk" in str(veldwerk_home()).lower()


def test_profiles_land_in_veldwerk_home_by_default(home: Path) -> None:
    assert os.environ["VELDWERK_HOME"] == str(home)
    profile, store = ProfileClass.create(
        "standaard", passphrase=PASSPHRASE, username=USERNAME, role="team_lead", params=FAST
    )
    store.close()
    assert profile.path == home / "profiles" / "standaard"
    assert [p.name for p in list_profiles()] == ["standaard"]
    assert find_profile("standaard").info.role == "team_lead"


# ------------------------------------------------------------------ leftovers of killed writes


def leave_behind(path: Path, *, age: float = 3600.0) -> Path:
    path.write_bytes(b"left behind by a killed write")
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): sha256_of(p) for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.mark.parametrize("start", [list_profiles, find_profile], ids=["list", "find"])
def test_a_start_removes_old_temp_leftovers_and_nothing_else(
    opened: OpenProfile, home: Path, start: object
) -> None:
    opened.store.close()
    folder = opened.profile.path
    leftovers = [
        leave_behind(folder / ".key.json.0123456789abcdef.tmp"),
        leave_behind(folder / ".profile.json.fedcba9876543210.tmp"),
    ]
    young = folder / ".key.json.aaaaaaaaaaaaaaaa.tmp"
    young.write_bytes(b"another process may be writing this right now")
    (folder / "backups").mkdir()
    for other in (
        folder / "notes.tmp",
        folder / ".key.json.tmp",
        folder / "key.json.0123456789abcdef.tmp",
        folder / "backups" / ".veldwerk.db.0123456789abcdef.tmp",
    ):
        leave_behind(other)
    expected = {
        name: digest
        for name, digest in snapshot(folder).items()
        if name not in {p.name for p in leftovers}
    }

    if start is list_profiles:
        (profile,) = list_profiles(home)
    else:
        profile = find_profile(PROFILE_NAME, home)

    assert profile.info == opened.profile.info
    assert snapshot(folder) == expected
    assert young.exists()
    profile.unlock(PASSPHRASE, vault=vault_of(profile, FakeTime())).close()


def test_a_failing_tidy_up_does_not_stop_the_start(
    opened: OpenProfile, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened.store.close()
    leftover = leave_behind(opened.profile.path / ".key.json.0123456789abcdef.tmp")

    def broken(directory: Path) -> int:
        raise PermissionError("not allowed")

    monkeypatch.setattr(profiles_module, "remove_leftover_temp_files", broken)
    assert [p.name for p in list_profiles(home)] == [PROFILE_NAME]
    assert leftover.exists()
