"""Processes really killed (SIGKILL) in the middle of an unlock (issue #10).

A kill during a correct unlock must never count towards the wipe, nor cost the unsynced journal;
it does count for the delay. A wrong passphrase counts towards the wipe as soon as it is known,
even when the process is killed before the error could be shown.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.domain.client import Client
from app.storage.profiles import Profile, find_profile, list_profiles
from app.storage.store import JournalEntry
from app.storage.vault import ProfileWiped, UnlockDelayed, Vault, WrongPassphrase

from .conftest import FAST, PASSPHRASE, PROFILE_NAME, USERNAME, FakeTime, make_client
from .crash_child import Child, FileAttemptCounter

WRONG = "dit is niet de wachtwoordzin"
MAX_DELAY = 300.0
# Kill inside the derivation, between the derivation and its verdict, and in the middle of the
# write that records the correct unlock (temporary file written, not yet renamed).
CORRECT_UNLOCK_KILL_POINTS = ("derive", "verdict", "write-2")


@dataclass
class Setup:
    home: Path
    profile: Profile
    counter_path: Path
    time: FakeTime
    client: Client
    journal: list[JournalEntry]

    def counter(self) -> FileAttemptCounter:
        return FileAttemptCounter(self.counter_path)

    def vault(self) -> Vault:
        return self.profile.vault(counter=self.counter(), clock=self.time)

    def child(self, passphrase: str, stop_at: str) -> Child:
        return Child(
            "unlock",
            "--home",
            str(self.home),
            "--profile",
            self.profile.name,
            "--time",
            repr(self.time.now),
            "--counter",
            str(self.counter_path),
            "--stop-at",
            stop_at,
            stdin_line=passphrase,
        )

    def kill_during_unlock(self, passphrase: str, stop_at: str) -> None:
        with self.child(passphrase, stop_at) as child:
            child.wait_until_stopped(stop_at)
            child.kill()


@pytest.fixture
def setup(home: Path, tmp_path: Path) -> Setup:
    """A profile with one unsynced client record in its journal, closed as at the end of a day."""
    profile, store = Profile.create(
        PROFILE_NAME,
        passphrase=PASSPHRASE,
        username=USERNAME,
        role="caseworker",
        params=FAST,
        home=home,
    )
    try:
        client = store.create(make_client())
        journal = store.journal_entries()
        assert store.pending_count() == len(journal) > 0
    finally:
        store.close()
    return Setup(home, profile, tmp_path / "os-counter", FakeTime(), client, journal)


def attempts(setup: Setup) -> tuple[int, int]:
    vault = setup.vault()
    return vault.failed_attempts, vault.unfinished_attempts


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_ten_kills_during_a_correct_unlock_neither_wipe_nor_lose_the_journal(
    setup: Setup,
) -> None:
    for number in range(1, 11):
        setup.time.advance(MAX_DELAY + 1)  # past any delay, so every child gets to its stop
        point = CORRECT_UNLOCK_KILL_POINTS[(number - 1) % len(CORRECT_UNLOCK_KILL_POINTS)]
        setup.kill_during_unlock(PASSPHRASE, point)
        assert attempts(setup) == (0, number)
        assert setup.counter().get() == 0
        assert setup.profile.key_path.exists()
        assert setup.profile.db_path.exists()

    setup.time.advance(MAX_DELAY + 1)
    store = setup.profile.unlock(PASSPHRASE, vault=setup.vault())
    try:
        assert store.get(Client, setup.client.id) == setup.client
        assert store.journal_entries() == setup.journal
        assert store.pending_count() == len(setup.journal)
    finally:
        store.close()
    # The correct unlock resets both counts.
    assert attempts(setup) == (0, 0)


def test_ten_wrong_passphrases_still_wipe_even_when_killed_before_the_error_shows(
    setup: Setup,
) -> None:
    # Killed right after the verdict was written, before the error could reach the screen: the
    # failure counts all the same, so killing the app cannot hide wrong guesses from the wipe.
    for number in range(1, 10):
        setup.time.advance(MAX_DELAY + 1)
        setup.kill_during_unlock(WRONG, "written-2")
        assert attempts(setup) == (number, 0)
        assert setup.profile.key_path.exists()

    setup.time.advance(MAX_DELAY + 1)
    with pytest.raises(ProfileWiped):
        setup.profile.unlock(WRONG, vault=setup.vault())
    assert not setup.profile.key_path.exists()
    assert setup.profile.data_files() == []
    with pytest.raises(ProfileWiped):
        setup.profile.unlock(PASSPHRASE, vault=setup.vault())


def test_ten_wrong_passphrases_wipe_after_kills_during_correct_unlocks(setup: Setup) -> None:
    for point in CORRECT_UNLOCK_KILL_POINTS:
        setup.time.advance(MAX_DELAY + 1)
        setup.kill_during_unlock(PASSPHRASE, point)
    assert attempts(setup) == (0, 3)

    # The unfinished attempts bring the wipe no closer: still exactly ten wrong passphrases.
    vault = setup.vault()
    for number in range(1, 10):
        setup.time.advance(MAX_DELAY + 1)
        with pytest.raises(WrongPassphrase) as caught:
            setup.profile.unlock(WRONG, vault=vault)
        assert caught.value.remaining_attempts == 10 - number
    assert setup.counter().get() == 9
    setup.time.advance(MAX_DELAY + 1)
    with pytest.raises(ProfileWiped):
        setup.profile.unlock(WRONG, vault=vault)
    assert not setup.profile.key_path.exists()
    assert setup.profile.data_files() == []


def test_attempts_killed_before_their_verdict_still_delay_the_next_one(setup: Setup) -> None:
    # Three kills in quick succession (the fake time stands still): no verdict was ever seen.
    for point in CORRECT_UNLOCK_KILL_POINTS:
        setup.kill_during_unlock(PASSPHRASE, point)
    assert attempts(setup) == (0, 3)

    # A fresh process has to wait, exactly as after three failures; no attempt is spent on it.
    with setup.child(PASSPHRASE, "none") as child:
        assert child.outcome() == {"outcome": "unlock_delayed", "seconds_remaining": 1.0}
    setup.time.advance(0.5)
    with pytest.raises(UnlockDelayed) as caught:
        setup.profile.unlock(PASSPHRASE, vault=setup.vault())
    assert caught.value.seconds_remaining == pytest.approx(0.5)
    assert attempts(setup) == (0, 3)

    # A fourth kill after the wait doubles it.
    setup.time.advance(0.5)
    setup.kill_during_unlock(PASSPHRASE, "derive")
    with pytest.raises(UnlockDelayed) as caught:
        setup.profile.unlock(PASSPHRASE, vault=setup.vault())
    assert caught.value.seconds_remaining == pytest.approx(2.0)

    setup.time.advance(2.0)
    with setup.child(PASSPHRASE, "none") as child:
        assert child.outcome() == {"outcome": "unlocked"}
    assert attempts(setup) == (0, 0)


def test_a_kill_during_the_key_file_write_leaves_a_temp_file_the_next_start_removes(
    setup: Setup,
) -> None:
    folder = setup.profile.path
    setup.time.advance(MAX_DELAY + 1)
    setup.kill_during_unlock(PASSPHRASE, "write-2")
    leftovers = [p for p in folder.iterdir() if p.name.startswith(".key.json.")]
    assert len(leftovers) == 1
    (leftover,) = leftovers
    assert leftover.name.endswith(".tmp")
    kept = {p.name: sha256_of(p) for p in folder.iterdir() if p.is_file() and p != leftover}
    assert {"key.json", "profile.json", "veldwerk.db"} <= set(kept)

    # Right after the crash the file may still belong to a writer that is alive: it stays.
    assert [p.name for p in list_profiles(setup.home)] == [PROFILE_NAME]
    assert leftover.exists()

    # Once it is old, the next start removes it, and only it.
    an_hour_ago = time.time() - 3600
    os.utime(leftover, (an_hour_ago, an_hour_ago))
    assert [p.name for p in list_profiles(setup.home)] == [PROFILE_NAME]
    assert not any(p.name.endswith(".tmp") for p in folder.iterdir())
    assert {p.name: sha256_of(p) for p in folder.iterdir() if p.is_file()} == kept

    setup.time.advance(MAX_DELAY + 1)
    store = find_profile(PROFILE_NAME, setup.home).unlock(PASSPHRASE, vault=setup.vault())
    try:
        assert store.journal_entries() == setup.journal
    finally:
        store.close()
