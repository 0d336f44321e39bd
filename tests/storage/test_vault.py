from __future__ import annotations

import base64
import json
import os
import shutil
import stat
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import keyring
import pytest

from app.domain.errors import VeldwerkError
from app.storage import vault as vault_module
from app.storage.vault import (
    MIN_KDF_PARAMS,
    EmptyPassphrase,
    KdfParams,
    KeyringAttemptCounter,
    MemoryAttemptCounter,
    ProfileWiped,
    UnlockDelayed,
    Vault,
    VaultCorrupt,
    VaultExists,
    WrongPassphrase,
    calibrate_kdf,
)

# Cheap parameters keep every derivation in the test suite to about a millisecond.
FAST = KdfParams(1024, 1, 1)
PASSPHRASE = "correct horse battery staple"
WRONG = "wrong horse battery staple"
MAX_DELAY = 300.0


class FakeClock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def key_path(tmp_path: Path) -> Path:
    return tmp_path / "vault.json"


def make_vault(
    key_path: Path,
    clock: FakeClock,
    *,
    counter: MemoryAttemptCounter | None = None,
    on_wipe: Callable[[], None] | None = None,
    max_attempts: int = 10,
) -> tuple[Vault, bytes]:
    Vault.create(key_path, PASSPHRASE, profile_id="profile-1", params=FAST, clock=clock)
    vault = Vault(
        key_path, counter=counter, clock=clock, max_attempts=max_attempts, on_wipe=on_wipe
    )
    return vault, vault.unlock(PASSPHRASE)


def fail(vault: Vault, clock: FakeClock, times: int) -> None:
    """Enter the wrong passphrase `times` times, waiting out every delay."""
    for _ in range(times):
        clock.advance(MAX_DELAY + 1)
        with pytest.raises(WrongPassphrase):
            vault.unlock(WRONG)


def load(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(path.read_text())
    return document


def save(path: Path, document: dict[str, Any]) -> None:
    path.write_text(json.dumps(document))


# ------------------------------------------------------------------------------------ KDF params


def test_min_kdf_params_are_64_mib_3_iterations_4_lanes() -> None:
    assert MIN_KDF_PARAMS.memory_cost_kib == 64 * 1024
    assert MIN_KDF_PARAMS.iterations == 3
    assert MIN_KDF_PARAMS.lanes == 4


def test_at_least_compares_every_field() -> None:
    base = KdfParams(2048, 2, 2)
    assert base.at_least(base)
    assert base.at_least(KdfParams(1024, 1, 1))
    assert not base.at_least(KdfParams(4096, 1, 1))
    assert not base.at_least(KdfParams(1024, 3, 1))
    assert not base.at_least(KdfParams(1024, 1, 4))


@pytest.mark.parametrize(
    ("seconds_at_min", "low", "high", "expected"),
    [
        # 0.15 s at the minimum: memory doubles twice (0.3 s, 0.6 s) and stops inside the window.
        (0.15, 0.5, 1.0, KdfParams(262144, 3, 4)),
        # Very fast machine: memory reaches the 1 GiB cap (0.2 s), then iterations rise to 8.
        (0.2 / 16, 0.5, 1.0, KdfParams(1048576, 8, 4)),
        # Doubling memory would overshoot `high`, so iterations are raised instead.
        (0.45, 0.5, 0.65, KdfParams(65536, 4, 4)),
        # Slow machine: the minimum already exceeds `high`, and is still never undercut.
        (2.0, 0.5, 1.0, MIN_KDF_PARAMS),
    ],
)
def test_calibrate_kdf_searches_with_a_fake_timer(
    seconds_at_min: float, low: float, high: float, expected: KdfParams
) -> None:
    fake_time = [0.0]
    tried: list[KdfParams] = []

    def derive(params: KdfParams) -> None:
        # Argon2 time is about linear in memory and in iterations.
        tried.append(params)
        fake_time[0] += (
            seconds_at_min
            * (params.memory_cost_kib / MIN_KDF_PARAMS.memory_cost_kib)
            * (params.iterations / MIN_KDF_PARAMS.iterations)
        )

    result = calibrate_kdf(low=low, high=high, timer=lambda: fake_time[0], derive=derive)

    assert result == expected
    assert result.at_least(MIN_KDF_PARAMS)
    assert tried[0] == MIN_KDF_PARAMS
    assert all(p.memory_cost_kib <= 1048576 for p in tried)


def test_calibrate_kdf_terminates_with_a_timer_that_never_moves() -> None:
    result = calibrate_kdf(timer=lambda: 0.0, derive=lambda params: None)
    assert result.memory_cost_kib == 1048576
    assert result.at_least(MIN_KDF_PARAMS)


# --------------------------------------------------------------------------------- create/unlock


def test_right_passphrase_returns_the_key_from_create(key_path: Path, clock: FakeClock) -> None:
    _, created_key = Vault.create(key_path, PASSPHRASE, profile_id="p", params=FAST, clock=clock)
    assert isinstance(created_key, bytes)
    assert len(created_key) == 32

    assert Vault(key_path, clock=clock).unlock(PASSPHRASE) == created_key
    assert Vault(key_path, clock=clock).unlock(PASSPHRASE) == created_key


def test_create_writes_the_documented_format(key_path: Path, clock: FakeClock) -> None:
    vault, _ = Vault.create(key_path, PASSPHRASE, profile_id="profile-7", params=FAST, clock=clock)
    document = load(key_path)
    assert document["format"] == "veldwerk-vault"
    assert document["version"] == 1
    header = document["header"]
    assert header["profile_id"] == "profile-7"
    assert header["kdf"] == "argon2id"
    assert (header["memory_cost_kib"], header["iterations"], header["lanes"]) == (1024, 1, 1)
    assert len(base64.b64decode(header["salt"])) == 16
    assert header["created_at"].startswith("2027-01-15T")
    assert len(base64.b64decode(document["wrap"]["nonce"])) == 12
    assert document["attempts"] == {"failed": 0, "unfinished": 0, "last_failure_at": None}
    assert vault.params == FAST
    assert vault.profile_id == "profile-7"
    assert vault.failed_attempts == 0


def test_each_vault_gets_its_own_random_key_and_salt(tmp_path: Path) -> None:
    _, key_a = Vault.create(tmp_path / "a.json", PASSPHRASE, profile_id="a", params=FAST)
    _, key_b = Vault.create(tmp_path / "b.json", PASSPHRASE, profile_id="b", params=FAST)
    assert key_a != key_b
    assert (
        load(tmp_path / "a.json")["header"]["salt"] != load(tmp_path / "b.json")["header"]["salt"]
    )


def test_wrong_passphrase_reports_remaining_attempts(key_path: Path, clock: FakeClock) -> None:
    vault, _ = make_vault(key_path, clock)
    with pytest.raises(WrongPassphrase) as caught:
        vault.unlock(WRONG)
    assert caught.value.code == "wrong_passphrase"
    assert caught.value.remaining_attempts == 9
    assert "9" in caught.value.message("nl")
    assert "9" in caught.value.message("en")
    assert vault.failed_attempts == 1
    assert load(key_path)["attempts"] == {
        "failed": 1,
        "unfinished": 0,
        "last_failure_at": clock.now,
    }

    with pytest.raises(WrongPassphrase) as caught:
        vault.unlock(WRONG)
    assert caught.value.remaining_attempts == 8


def test_success_resets_the_failure_count(key_path: Path, clock: FakeClock) -> None:
    counter = MemoryAttemptCounter()
    vault, key = make_vault(key_path, clock, counter=counter)
    fail(vault, clock, 4)
    assert vault.failed_attempts == 4
    assert counter.get() == 4

    clock.advance(MAX_DELAY)
    assert vault.unlock(PASSPHRASE) == key
    assert vault.failed_attempts == 0
    assert counter.get() == 0
    assert load(key_path)["attempts"] == {"failed": 0, "unfinished": 0, "last_failure_at": None}


def test_passphrase_is_unicode_normalised(key_path: Path, clock: FakeClock) -> None:
    composed = unicodedata.normalize("NFC", "Geïsoleerd café")
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    _, key = Vault.create(key_path, composed, profile_id="p", params=FAST, clock=clock)
    assert Vault(key_path, clock=clock).unlock(decomposed) == key


def test_create_refuses_to_overwrite(key_path: Path, clock: FakeClock) -> None:
    Vault.create(key_path, PASSPHRASE, profile_id="p", params=FAST, clock=clock)
    before = key_path.read_bytes()
    with pytest.raises(VaultExists) as caught:
        Vault.create(key_path, "another passphrase", profile_id="p", params=FAST, clock=clock)
    assert caught.value.code == "vault_exists"
    assert key_path.read_bytes() == before


def test_empty_passphrase_is_refused(key_path: Path, clock: FakeClock) -> None:
    with pytest.raises(EmptyPassphrase) as caught:
        Vault.create(key_path, "", profile_id="p", params=FAST, clock=clock)
    assert caught.value.code == "empty_passphrase"
    assert not key_path.exists()

    vault, key = make_vault(key_path, clock)
    with pytest.raises(EmptyPassphrase):
        vault.change_passphrase(PASSPHRASE, "")
    # An empty passphrase can never be right, so it does not cost an attempt.
    with pytest.raises(EmptyPassphrase):
        vault.unlock("")
    assert vault.failed_attempts == 0
    assert vault.unlock(PASSPHRASE) == key


def test_create_clears_a_stale_counter(key_path: Path, clock: FakeClock) -> None:
    counter = MemoryAttemptCounter(7)
    vault, _ = Vault.create(
        key_path, PASSPHRASE, profile_id="p", params=FAST, counter=counter, clock=clock
    )
    assert counter.get() == 0
    assert vault.failed_attempts == 0


def test_key_file_contains_neither_key_nor_passphrase(key_path: Path, clock: FakeClock) -> None:
    vault, key = Vault.create(key_path, PASSPHRASE, profile_id="p", params=FAST, clock=clock)
    vault.unlock(PASSPHRASE, minimum=KdfParams(2048, 1, 1))
    with pytest.raises(WrongPassphrase):
        vault.unlock(WRONG)
    raw = key_path.read_bytes()
    forbidden = [
        key,
        key.hex().encode(),
        key.hex().upper().encode(),
        base64.b64encode(key),
        base64.b64encode(key).rstrip(b"="),
        base64.urlsafe_b64encode(key).rstrip(b"="),
        PASSPHRASE.encode(),
        WRONG.encode(),
        PASSPHRASE.encode().hex().encode(),
        base64.b64encode(PASSPHRASE.encode()),
    ]
    for needle in forbidden:
        assert needle not in raw


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_key_file_mode_is_0600(key_path: Path, clock: FakeClock) -> None:
    vault, _ = make_vault(key_path, clock)
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    with pytest.raises(WrongPassphrase):
        vault.unlock(WRONG)
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    assert os.listdir(key_path.parent) == [key_path.name]


def test_nothing_secret_in_errors_or_reprs(key_path: Path, clock: FakeClock) -> None:
    vault, key = make_vault(key_path, clock, counter=MemoryAttemptCounter())
    with pytest.raises(WrongPassphrase) as caught:
        vault.unlock(WRONG)
    error = caught.value
    texts = [
        str(error),
        repr(error),
        error.message("nl"),
        error.message("en"),
        repr(vault),
        repr(vault.params),
        repr(KeyringAttemptCounter("p")),
    ]
    for text in texts:
        assert WRONG not in text
        assert PASSPHRASE not in text
        assert key.hex() not in text
    assert error.__cause__ is None
    assert error.__suppress_context__


# ------------------------------------------------------------------------------ change passphrase


def test_change_passphrase_rewraps_only(key_path: Path, clock: FakeClock) -> None:
    vault, key = make_vault(key_path, clock)
    database = key_path.parent / "profile.db"
    database.write_bytes(os.urandom(256 * 1024))
    database_before = database.read_bytes()
    header_before = load(key_path)["header"]

    vault.change_passphrase(PASSPHRASE, "a brand new passphrase")

    assert database.read_bytes() == database_before
    header_after = load(key_path)["header"]
    assert header_after["salt"] != header_before["salt"]
    assert header_after["created_at"] == header_before["created_at"]
    assert vault.params == FAST
    with pytest.raises(WrongPassphrase):
        vault.unlock(PASSPHRASE)
    assert vault.unlock("a brand new passphrase") == key
    assert Vault(key_path, clock=clock).unlock("a brand new passphrase") == key


def test_change_passphrase_can_set_new_params(key_path: Path, clock: FakeClock) -> None:
    vault, key = make_vault(key_path, clock)
    vault.change_passphrase(PASSPHRASE, "new one", params=KdfParams(2048, 2, 1))
    assert vault.params == KdfParams(2048, 2, 1)
    assert vault.unlock("new one") == key


def test_change_passphrase_with_wrong_old_counts_as_failure(
    key_path: Path, clock: FakeClock
) -> None:
    vault, key = make_vault(key_path, clock)
    before = load(key_path)["header"]
    with pytest.raises(WrongPassphrase) as caught:
        vault.change_passphrase(WRONG, "new one")
    assert caught.value.remaining_attempts == 9
    assert load(key_path)["header"] == before
    assert vault.unlock(PASSPHRASE) == key


# ------------------------------------------------------------------------------------ tampering


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda h: h.update(iterations=2), id="iterations"),
        pytest.param(lambda h: h.update(memory_cost_kib=512), id="memory"),
        pytest.param(lambda h: h.update(lanes=2), id="lanes"),
        pytest.param(lambda h: h.update(salt=base64.b64encode(b"\x00" * 16).decode()), id="salt"),
        pytest.param(lambda h: h.update(profile_id="someone-else"), id="profile_id"),
        pytest.param(lambda h: h.update(created_at="2020-01-01T00:00:00+00:00"), id="created_at"),
        pytest.param(lambda h: h.update(extra="field"), id="added_field"),
    ],
)
def test_tampered_header_rejects_the_right_passphrase(
    key_path: Path, clock: FakeClock, tamper: Callable[[dict[str, Any]], None]
) -> None:
    Vault.create(key_path, PASSPHRASE, profile_id="p", params=KdfParams(1024, 1, 1), clock=clock)
    document = load(key_path)
    tamper(document["header"])
    save(key_path, document)
    with pytest.raises(WrongPassphrase):
        Vault(key_path, clock=clock).unlock(PASSPHRASE)


def test_tampered_ciphertext_rejects_the_right_passphrase(key_path: Path, clock: FakeClock) -> None:
    Vault.create(key_path, PASSPHRASE, profile_id="p", params=FAST, clock=clock)
    document = load(key_path)
    ciphertext = bytearray(base64.b64decode(document["wrap"]["ciphertext"]))
    ciphertext[0] ^= 1
    document["wrap"]["ciphertext"] = base64.b64encode(bytes(ciphertext)).decode()
    save(key_path, document)
    with pytest.raises(WrongPassphrase):
        Vault(key_path, clock=clock).unlock(PASSPHRASE)


def _set(section: str, field: str, value: object) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        document[section][field] = value

    return change


def _drop(section: str, field: str | None = None) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        if field is None:
            del document[section]
        else:
            del document[section][field]

    return change


@pytest.mark.parametrize(
    "corrupt",
    [
        pytest.param(lambda d: d.update(format="something-else"), id="format"),
        pytest.param(lambda d: d.update(version=2), id="version"),
        pytest.param(lambda d: d.update(version=True), id="version_bool"),
        pytest.param(_drop("wrap"), id="no_wrap"),
        pytest.param(_drop("attempts"), id="no_attempts"),
        pytest.param(_drop("header", "salt"), id="no_salt"),
        pytest.param(_set("header", "kdf", "scrypt"), id="other_kdf"),
        pytest.param(_set("header", "iterations", "3"), id="iterations_string"),
        pytest.param(_set("header", "iterations", True), id="iterations_bool"),
        pytest.param(_set("header", "iterations", 0), id="iterations_zero"),
        pytest.param(_set("header", "memory_cost_kib", 2**40), id="memory_huge"),
        pytest.param(_set("header", "salt", "not base64!"), id="salt_not_b64"),
        pytest.param(_set("header", "salt", base64.b64encode(b"s" * 8).decode()), id="salt_8"),
        pytest.param(_set("wrap", "nonce", base64.b64encode(b"n" * 16).decode()), id="nonce_16"),
        pytest.param(_set("wrap", "ciphertext", "AAAA"), id="ciphertext_short"),
        pytest.param(_set("attempts", "failed", -1), id="failed_negative"),
        pytest.param(_set("attempts", "unfinished", -1), id="unfinished_negative"),
        pytest.param(_set("attempts", "unfinished", True), id="unfinished_bool"),
        pytest.param(_set("attempts", "unfinished", 1.5), id="unfinished_float"),
        pytest.param(_set("attempts", "last_failure_at", "yesterday"), id="last_failure_text"),
        pytest.param(_set("header", "profile_id", 5), id="profile_id_int"),
    ],
)
def test_malformed_fields_are_corrupt(
    key_path: Path, clock: FakeClock, corrupt: Callable[[dict[str, Any]], None]
) -> None:
    Vault.create(key_path, PASSPHRASE, profile_id="p", params=FAST, clock=clock)
    document = load(key_path)
    corrupt(document)
    save(key_path, document)
    with pytest.raises(VaultCorrupt) as caught:
        Vault(key_path, clock=clock).unlock(PASSPHRASE)
    assert caught.value.code == "vault_corrupt"


@pytest.mark.parametrize(
    "content",
    [b"", b"{not json", b"[]", b"null", b"\xff\xfe\x00", b"[" * 100_000, b'{"format": NaN}'],
    ids=["empty", "broken", "list", "null", "not_utf8", "deep", "nan"],
)
def test_malformed_file_is_corrupt(key_path: Path, clock: FakeClock, content: bytes) -> None:
    key_path.write_bytes(content)
    with pytest.raises(VaultCorrupt):
        Vault(key_path, clock=clock).unlock(PASSPHRASE)


def test_truncated_file_is_corrupt(key_path: Path, clock: FakeClock) -> None:
    Vault.create(key_path, PASSPHRASE, profile_id="p", params=FAST, clock=clock)
    key_path.write_bytes(key_path.read_bytes()[:-40])
    with pytest.raises(VaultCorrupt):
        Vault(key_path, clock=clock).unlock(PASSPHRASE)


def test_missing_key_file_is_wiped(key_path: Path, clock: FakeClock) -> None:
    with pytest.raises(ProfileWiped) as caught:
        Vault(key_path, clock=clock).unlock(PASSPHRASE)
    assert caught.value.code == "profile_wiped"


# ---------------------------------------------------------------------------------- delay, wipe


def test_growing_delay_from_the_third_failure(key_path: Path, clock: FakeClock) -> None:
    vault, key = make_vault(key_path, clock)
    for _ in range(3):
        with pytest.raises(WrongPassphrase):
            vault.unlock(WRONG)
    assert vault.failed_attempts == 3

    # Even the right passphrase is not tried during the delay, and no attempt is counted.
    with pytest.raises(UnlockDelayed) as caught:
        vault.unlock(PASSPHRASE)
    assert caught.value.code == "unlock_delayed"
    assert caught.value.seconds_remaining == pytest.approx(1.0)
    assert vault.failed_attempts == 3

    clock.advance(0.5)
    with pytest.raises(UnlockDelayed) as caught:
        vault.unlock(WRONG)
    assert caught.value.seconds_remaining == pytest.approx(0.5)
    assert vault.failed_attempts == 3

    clock.advance(0.5)
    with pytest.raises(WrongPassphrase) as wrong:
        vault.unlock(WRONG)
    assert wrong.value.remaining_attempts == 6
    assert vault.failed_attempts == 4

    # After four failures the wait is two seconds.
    clock.advance(1.9)
    with pytest.raises(UnlockDelayed):
        vault.unlock(PASSPHRASE)
    clock.advance(0.1)
    assert vault.unlock(PASSPHRASE) == key


def test_delay_doubles_up_to_five_minutes(key_path: Path, clock: FakeClock) -> None:
    vault, _ = make_vault(key_path, clock, max_attempts=100)
    for failures in range(1, 14):
        fail(vault, clock, 1)
        expected = 0.0 if failures < 3 else min(2.0 ** (failures - 3), MAX_DELAY)
        if expected:
            with pytest.raises(UnlockDelayed) as caught:
                vault.unlock(WRONG)
            assert caught.value.seconds_remaining == pytest.approx(expected)
    assert vault.failed_attempts == 13


def test_clock_set_back_restarts_the_wait_instead_of_locking_out(
    key_path: Path, clock: FakeClock
) -> None:
    vault, key = make_vault(key_path, clock)
    fail(vault, clock, 3)
    clock.advance(-86400)
    with pytest.raises(UnlockDelayed) as caught:
        vault.unlock(PASSPHRASE)
    assert caught.value.seconds_remaining == pytest.approx(1.0)
    clock.advance(1.0)
    assert vault.unlock(PASSPHRASE) == key


def test_wipe_at_the_tenth_failure(key_path: Path, clock: FakeClock) -> None:
    wipes: list[str] = []
    vault, _ = make_vault(key_path, clock, on_wipe=lambda: wipes.append("db"))
    fail(vault, clock, 9)
    assert key_path.exists()
    assert wipes == []

    clock.advance(MAX_DELAY + 1)
    with pytest.raises(ProfileWiped):
        vault.unlock(WRONG)
    assert wipes == ["db"]
    assert not key_path.exists()
    assert os.listdir(key_path.parent) == []

    clock.advance(MAX_DELAY + 1)
    with pytest.raises(ProfileWiped):
        vault.unlock(PASSPHRASE)
    with pytest.raises(ProfileWiped):
        Vault(key_path, clock=clock).unlock(PASSPHRASE)
    assert wipes == ["db"]


def test_max_attempts_is_configurable(key_path: Path, clock: FakeClock) -> None:
    wipes: list[str] = []
    vault, _ = make_vault(key_path, clock, max_attempts=3, on_wipe=lambda: wipes.append("db"))
    fail(vault, clock, 2)
    clock.advance(MAX_DELAY + 1)
    with pytest.raises(ProfileWiped):
        vault.unlock(WRONG)
    assert wipes == ["db"]
    assert not key_path.exists()


def test_restored_key_file_does_not_reset_the_count_with_a_counter(
    key_path: Path, clock: FakeClock
) -> None:
    counter = MemoryAttemptCounter()
    vault, key = make_vault(key_path, clock, counter=counter)
    backup = key_path.parent / "backup.json"
    shutil.copy2(key_path, backup)

    fail(vault, clock, 5)
    shutil.copy2(backup, key_path)
    assert load(key_path)["attempts"]["failed"] == 0

    restored = Vault(key_path, counter=counter, clock=clock)
    assert restored.failed_attempts == 5
    # The restored file has no failure time, so the wait starts now instead of being skipped.
    with pytest.raises(UnlockDelayed) as caught:
        restored.unlock(WRONG)
    assert caught.value.seconds_remaining == pytest.approx(4.0)
    clock.advance(4.0)
    with pytest.raises(WrongPassphrase) as wrong:
        restored.unlock(WRONG)
    assert wrong.value.remaining_attempts == 4
    assert load(key_path)["attempts"]["failed"] == 6
    clock.advance(MAX_DELAY)
    assert restored.unlock(PASSPHRASE) == key


def test_restored_key_file_after_a_wipe_stays_wiped_with_a_counter(
    key_path: Path, clock: FakeClock
) -> None:
    counter = MemoryAttemptCounter()
    wipes: list[str] = []
    vault, _ = make_vault(key_path, clock, counter=counter, on_wipe=lambda: wipes.append("db"))
    backup = key_path.parent / "backup.json"
    shutil.copy2(key_path, backup)
    with pytest.raises(ProfileWiped):
        fail(vault, clock, 10)
    shutil.copy2(backup, key_path)

    restored = Vault(key_path, counter=counter, clock=clock, on_wipe=lambda: wipes.append("db"))
    with pytest.raises(ProfileWiped):
        restored.unlock(PASSPHRASE)
    assert not key_path.exists()
    assert wipes == ["db", "db"]


def test_restored_key_file_without_a_counter_resets_the_count(
    key_path: Path, clock: FakeClock
) -> None:
    # Documents the limit: without an OS credential store the key file is the only record.
    vault, _ = make_vault(key_path, clock)
    backup = key_path.parent / "backup.json"
    shutil.copy2(key_path, backup)
    fail(vault, clock, 5)
    shutil.copy2(backup, key_path)
    assert Vault(key_path, clock=clock).failed_attempts == 0


def _power_cut(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    raise KeyboardInterrupt


def test_attempt_is_recorded_as_unfinished_before_the_passphrase_is_tried(
    key_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    counter = MemoryAttemptCounter()
    vault, _ = make_vault(key_path, clock, counter=counter)

    monkeypatch.setattr(vault_module, "_derive_kek", _power_cut)
    with pytest.raises(KeyboardInterrupt):
        vault.unlock(WRONG)
    # Nothing is known about the passphrase: no failure, but the attempt is on record.
    assert load(key_path)["attempts"] == {
        "failed": 0,
        "unfinished": 1,
        "last_failure_at": clock.now,
    }
    assert counter.get() == 0
    assert vault.failed_attempts == 0
    assert vault.unfinished_attempts == 1


def test_unfinished_attempts_feed_the_delay_but_never_the_wipe(
    key_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    wipes: list[str] = []
    counter = MemoryAttemptCounter()
    vault, key = make_vault(key_path, clock, counter=counter, on_wipe=lambda: wipes.append("db"))
    real_derive = vault_module._derive_kek

    monkeypatch.setattr(vault_module, "_derive_kek", _power_cut)
    for attempt in range(1, 13):
        with pytest.raises(KeyboardInterrupt):
            vault.unlock(PASSPHRASE)
        expected = min(2.0 ** (attempt - 3), MAX_DELAY) if attempt >= 3 else 0.0
        if expected:
            # The next try, right away, is delayed exactly as after that many failures.
            with pytest.raises(UnlockDelayed) as caught:
                vault.unlock(PASSPHRASE)
            assert caught.value.seconds_remaining == pytest.approx(expected)
        clock.advance(MAX_DELAY + 1)
    assert vault.unfinished_attempts == 12
    assert vault.failed_attempts == 0
    assert counter.get() == 0
    assert wipes == []

    monkeypatch.setattr(vault_module, "_derive_kek", real_derive)
    assert vault.unlock(PASSPHRASE) == key
    assert load(key_path)["attempts"] == {"failed": 0, "unfinished": 0, "last_failure_at": None}


def test_failed_and_unfinished_attempts_add_up_for_the_delay(
    key_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault, _ = make_vault(key_path, clock)
    with pytest.raises(WrongPassphrase):
        vault.unlock(WRONG)
    with pytest.raises(WrongPassphrase):
        vault.unlock(WRONG)
    real_derive = vault_module._derive_kek
    monkeypatch.setattr(vault_module, "_derive_kek", _power_cut)
    with pytest.raises(KeyboardInterrupt):
        vault.unlock(WRONG)
    monkeypatch.setattr(vault_module, "_derive_kek", real_derive)

    with pytest.raises(UnlockDelayed) as caught:
        vault.unlock(WRONG)
    assert caught.value.seconds_remaining == pytest.approx(1.0)
    clock.advance(1.0)
    # A verified failure moves nothing out of the unfinished count, and only it nears the wipe.
    with pytest.raises(WrongPassphrase) as wrong:
        vault.unlock(WRONG)
    assert wrong.value.remaining_attempts == 7
    assert (vault.failed_attempts, vault.unfinished_attempts) == (3, 1)
    with pytest.raises(UnlockDelayed) as caught:
        vault.unlock(WRONG)
    assert caught.value.seconds_remaining == pytest.approx(2.0)


def test_unfinished_attempts_do_not_bring_the_wipe_closer(
    key_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    wipes: list[str] = []
    counter = MemoryAttemptCounter()
    vault, _ = make_vault(key_path, clock, counter=counter, on_wipe=lambda: wipes.append("db"))
    real_derive = vault_module._derive_kek
    monkeypatch.setattr(vault_module, "_derive_kek", _power_cut)
    for _ in range(15):
        clock.advance(MAX_DELAY + 1)
        with pytest.raises(KeyboardInterrupt):
            vault.unlock(WRONG)
    monkeypatch.setattr(vault_module, "_derive_kek", real_derive)

    for attempt in range(1, 10):
        clock.advance(MAX_DELAY + 1)
        with pytest.raises(WrongPassphrase) as wrong:
            vault.unlock(WRONG)
        assert wrong.value.remaining_attempts == 10 - attempt
        assert counter.get() == attempt
    assert wipes == []
    clock.advance(MAX_DELAY + 1)
    with pytest.raises(ProfileWiped):
        vault.unlock(WRONG)
    assert wipes == ["db"]
    assert not key_path.exists()


def test_a_key_file_without_an_unfinished_count_still_opens(
    key_path: Path, clock: FakeClock
) -> None:
    # Written by a version that did not tell unfinished attempts apart: its count stays failures.
    vault, key = make_vault(key_path, clock)
    document = load(key_path)
    document["attempts"] = {"failed": 2, "last_failure_at": clock.now}
    save(key_path, document)
    assert (vault.failed_attempts, vault.unfinished_attempts) == (2, 0)
    with pytest.raises(WrongPassphrase) as wrong:
        vault.unlock(WRONG)
    assert wrong.value.remaining_attempts == 7
    clock.advance(1.0)
    assert vault.unlock(PASSPHRASE) == key
    assert load(key_path)["attempts"] == {"failed": 0, "unfinished": 0, "last_failure_at": None}


def test_a_crash_during_the_parameter_upgrade_is_no_unfinished_attempt(
    key_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault, key = make_vault(key_path, clock)
    real_derive = vault_module._derive_kek
    calls: list[KdfParams] = []

    def crash_on_rewrap(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
        calls.append(params)
        if len(calls) > 1:
            raise KeyboardInterrupt
        return real_derive(passphrase, salt, params)

    monkeypatch.setattr(vault_module, "_derive_kek", crash_on_rewrap)
    with pytest.raises(KeyboardInterrupt):
        vault.unlock(PASSPHRASE, minimum=KdfParams(2048, 2, 1))
    assert calls == [FAST, KdfParams(2048, 2, 1)]
    # The correct unlock was recorded before the slow re-wrap started.
    assert load(key_path)["attempts"] == {"failed": 0, "unfinished": 0, "last_failure_at": None}
    assert vault.params == FAST
    monkeypatch.setattr(vault_module, "_derive_kek", real_derive)
    assert vault.unlock(PASSPHRASE) == key


def test_wipe_also_destroys_leftover_copies_of_the_key_file(
    key_path: Path, clock: FakeClock
) -> None:
    vault, _ = make_vault(key_path, clock, max_attempts=1)
    # A write killed before its rename leaves a complete copy of the key file; young or old, it
    # must not outlive the wipe. A temporary file of another file is not the vault's business.
    leftover = key_path.parent / f".{key_path.name}.0123456789abcdef.tmp"
    leftover.write_bytes(key_path.read_bytes())
    other = key_path.parent / ".profile.json.0123456789abcdef.tmp"
    other.write_bytes(b"{}")
    with pytest.raises(ProfileWiped):
        vault.unlock(WRONG)
    assert sorted(os.listdir(key_path.parent)) == [other.name]


def test_destroy_removes_the_key_file(key_path: Path, clock: FakeClock) -> None:
    counter = MemoryAttemptCounter()
    vault, _ = make_vault(key_path, clock, counter=counter)
    fail(vault, clock, 2)
    vault.destroy()
    assert not key_path.exists()
    assert counter.get() == 0
    with pytest.raises(ProfileWiped):
        vault.unlock(PASSPHRASE)


# ------------------------------------------------------------------------------ parameter upgrade


def test_unlock_with_minimum_upgrades_the_parameters(key_path: Path, clock: FakeClock) -> None:
    vault, key = make_vault(key_path, clock)
    old_header = load(key_path)["header"]
    minimum = KdfParams(2048, 2, 1)

    assert vault.unlock(PASSPHRASE, minimum=minimum) == key

    new_header = load(key_path)["header"]
    assert (new_header["memory_cost_kib"], new_header["iterations"], new_header["lanes"]) == (
        2048,
        2,
        1,
    )
    assert new_header["salt"] != old_header["salt"]
    assert vault.params == minimum
    assert vault.unlock(PASSPHRASE) == key

    # The old parameters are gone: putting them back into the header breaks the wrap.
    document = load(key_path)
    document["header"].update(memory_cost_kib=1024, iterations=1)
    save(key_path, document)
    with pytest.raises(WrongPassphrase):
        vault.unlock(PASSPHRASE)


def test_upgrade_takes_the_maximum_of_each_field(key_path: Path, clock: FakeClock) -> None:
    Vault.create(key_path, PASSPHRASE, profile_id="p", params=KdfParams(4096, 1, 1), clock=clock)
    vault = Vault(key_path, clock=clock)
    key = vault.unlock(PASSPHRASE, minimum=KdfParams(1024, 2, 2))
    assert vault.params == KdfParams(4096, 2, 2)
    assert vault.unlock(PASSPHRASE) == key


def test_no_upgrade_when_parameters_suffice(key_path: Path, clock: FakeClock) -> None:
    vault, _ = make_vault(key_path, clock)
    salt = load(key_path)["header"]["salt"]
    vault.unlock(PASSPHRASE, minimum=FAST)
    assert load(key_path)["header"]["salt"] == salt


def test_wrong_passphrase_never_upgrades(key_path: Path, clock: FakeClock) -> None:
    vault, _ = make_vault(key_path, clock)
    with pytest.raises(WrongPassphrase):
        vault.unlock(WRONG, minimum=KdfParams(2048, 2, 1))
    assert vault.params == FAST


# --------------------------------------------------------------------------------------- keyring


def test_keyring_counter_is_a_harmless_no_op_without_a_store() -> None:
    counter = KeyringAttemptCounter("profile-1")
    assert counter.get() == 0
    counter.set(3)
    counter.clear()
    assert counter.get() == 0


def test_vault_works_with_the_keyring_counter(key_path: Path, clock: FakeClock) -> None:
    counter = KeyringAttemptCounter("profile-1", service="veldwerk-test")
    _, key = Vault.create(
        key_path, PASSPHRASE, profile_id="profile-1", params=FAST, counter=counter, clock=clock
    )
    vault = Vault(key_path, counter=counter, clock=clock)
    with pytest.raises(WrongPassphrase):
        vault.unlock(WRONG)
    assert vault.unlock(PASSPHRASE) == key


class _BrokenBackend:
    priority = 5

    def get_password(self, service: str, username: str) -> str:
        raise keyring.errors.KeyringLocked("locked")


def test_keyring_counter_survives_a_failing_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object) -> None:
        raise keyring.errors.KeyringError("D-Bus went away")

    monkeypatch.setattr(keyring, "get_keyring", lambda: _BrokenBackend())
    monkeypatch.setattr(keyring, "get_password", explode)
    monkeypatch.setattr(keyring, "set_password", explode)
    monkeypatch.setattr(keyring, "delete_password", explode)
    counter = KeyringAttemptCounter("profile-1")
    assert counter.enabled
    assert counter.get() == 0
    counter.set(4)
    counter.clear()

    def broken_lookup() -> object:
        raise RuntimeError("no backend")

    monkeypatch.setattr(keyring, "get_keyring", broken_lookup)
    assert not KeyringAttemptCounter("profile-1").enabled


def test_keyring_counter_stores_only_the_integer(monkeypatch: pytest.MonkeyPatch) -> None:
    store: dict[tuple[str, str], str] = {}

    def set_password(service: str, username: str, password: str) -> None:
        store[(service, username)] = password

    def delete_password(service: str, username: str) -> None:
        if (service, username) not in store:
            raise keyring.errors.PasswordDeleteError("none")
        del store[(service, username)]

    monkeypatch.setattr(keyring, "get_keyring", lambda: _BrokenBackend())
    monkeypatch.setattr(keyring, "get_password", lambda s, u: store.get((s, u)))
    monkeypatch.setattr(keyring, "set_password", set_password)
    monkeypatch.setattr(keyring, "delete_password", delete_password)

    counter = KeyringAttemptCounter("profile-1")
    assert counter.get() == 0
    counter.set(4)
    assert list(store.values()) == ["4"]
    assert counter.get() == 4
    counter.clear()
    assert store == {}
    counter.clear()
    assert counter.get() == 0


# ---------------------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "error",
    [
        ProfileWiped(),
        VaultCorrupt(),
        VaultExists(),
        EmptyPassphrase(),
        UnlockDelayed(1.5),
        WrongPassphrase(1),
        vault_module.VaultIOError(),
    ],
    ids=lambda e: type(e).__name__,
)
def test_errors_have_codes_and_both_languages(error: VeldwerkError) -> None:
    assert isinstance(error, VeldwerkError)
    assert error.code.replace("_", "").isalpha()
    assert error.code == error.code.lower()
    assert error.message("nl") != error.message("en")
    assert error.message("nl") and error.message("en")
