"""The key file of one profile: a random data key, wrapped under a passphrase.

Threat model: against someone who copies the files (a lost laptop, a backup), the Argon2id cost of
each passphrase guess is the only barrier, so the parameters are calibrated and can be raised
later. Against someone guessing through the app, the failure count with its growing delay and the
wipe after too many failures are the barrier; an OS credential store keeps that count even when an
older key file is restored from a backup.

Two counts are kept. An attempt is recorded as *unfinished* before the key derivation starts, and
its verdict is recorded right after it, before anything is shown. Only verified wrong passphrases
count towards the wipe: a crash (or a kill) during a correct unlock is not a wrong guess, and must
not destroy a caseworker's unsynced work. Unfinished attempts do lengthen the delay, so killing the
app mid-attempt never buys a faster try; it buys nothing else either, because the kill comes before
any verdict could be seen. A correct unlock resets both counts.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import math
import os
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import keyring
import keyring.backends.fail
import keyring.backends.null
import keyring.errors
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from app.domain.errors import VeldwerkError
from app.storage.atomic import atomic_write_bytes, destroy_file, remove_leftover_temp_files

__all__ = [
    "MAX_CALIBRATED_MEMORY_KIB",
    "MIN_KDF_PARAMS",
    "AttemptCounter",
    "EmptyPassphrase",
    "KdfParams",
    "KeyringAttemptCounter",
    "MemoryAttemptCounter",
    "ProfileWiped",
    "UnlockDelayed",
    "Vault",
    "VaultCorrupt",
    "VaultError",
    "VaultExists",
    "VaultIOError",
    "WrongPassphrase",
    "calibrate_kdf",
]

_log = logging.getLogger(__name__)

FORMAT = "veldwerk-vault"
VERSION = 1
DATA_KEY_BYTES = 32
SALT_BYTES = 16
NONCE_BYTES = 12
_WRAPPED_BYTES = DATA_KEY_BYTES + 16  # AES-GCM appends a 16-byte tag
_MAX_KEY_FILE_BYTES = 64 * 1024

MAX_CALIBRATED_MEMORY_KIB = 1024 * 1024  # 1 GiB
# Upper bounds on what a key file may ask for. The header is only authenticated after the
# derivation, so without bounds an edited file could make unlock allocate unbounded memory or hang.
_MAX_MEMORY_KIB = 4 * 1024 * 1024
_MAX_ITERATIONS = 100
_MAX_LANES = 64

_FIRST_DELAYED_FAILURE = 3
_MAX_DELAY_SECONDS = 300.0


# --------------------------------------------------------------------------------------- errors


class VaultError(VeldwerkError):
    """Something about the key file of a profile."""


class ProfileWiped(VaultError):
    def __init__(self) -> None:
        super().__init__(
            "profile_wiped",
            "Dit profiel is gewist. Meld dit apparaat opnieuw aan om verder te werken.",
            "This profile has been wiped. Enrol this device again to continue.",
        )


class VaultCorrupt(VaultError):
    def __init__(self) -> None:
        super().__init__(
            "vault_corrupt",
            "Het sleutelbestand van dit profiel is beschadigd of heeft een onbekende vorm.",
            "The key file of this profile is damaged or in an unknown format.",
        )


class VaultExists(VaultError):
    def __init__(self) -> None:
        super().__init__(
            "vault_exists",
            "Er bestaat al een sleutelbestand voor dit profiel; het wordt niet overschreven.",
            "A key file already exists for this profile; it will not be overwritten.",
        )


class VaultIOError(VaultError):
    def __init__(self) -> None:
        super().__init__(
            "vault_io_error",
            "Het sleutelbestand kon niet worden gelezen of opgeslagen.",
            "The key file could not be read or saved.",
        )


class EmptyPassphrase(VaultError):
    def __init__(self) -> None:
        super().__init__(
            "empty_passphrase",
            "De wachtwoordzin mag niet leeg zijn.",
            "The passphrase must not be empty.",
        )


class UnlockDelayed(VaultError):
    def __init__(self, seconds_remaining: float) -> None:
        self.seconds_remaining = seconds_remaining
        shown = max(1, math.ceil(seconds_remaining))
        nl_unit = "seconde" if shown == 1 else "seconden"
        en_unit = "second" if shown == 1 else "seconds"
        super().__init__(
            "unlock_delayed",
            f"Te veel mislukte pogingen. Probeer het over {shown} {nl_unit} opnieuw.",
            f"Too many failed attempts. Try again in {shown} {en_unit}.",
        )


class WrongPassphrase(VaultError):
    def __init__(self, remaining_attempts: int) -> None:
        self.remaining_attempts = remaining_attempts
        nl_unit = "poging" if remaining_attempts == 1 else "pogingen"
        en_unit = "attempt" if remaining_attempts == 1 else "attempts"
        super().__init__(
            "wrong_passphrase",
            f"Onjuiste wachtwoordzin. Nog {remaining_attempts} {nl_unit} voordat dit profiel "
            "wordt gewist.",
            f"Wrong passphrase. {remaining_attempts} {en_unit} left before this profile is wiped.",
        )


# ------------------------------------------------------------------------------------ KDF params


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost. Memory is in KiB, as Argon2 (RFC 9106) counts it."""

    memory_cost_kib: int
    iterations: int
    lanes: int

    def __post_init__(self) -> None:
        for value in (self.memory_cost_kib, self.iterations, self.lanes):
            # bool is an int subclass; a JSON `true` must not pass as 1.
            if not isinstance(value, int) or isinstance(value, bool):
                raise ValueError("KDF parameters must be integers")
        if not 1 <= self.lanes <= _MAX_LANES:
            raise ValueError("lanes out of range")
        if not 1 <= self.iterations <= _MAX_ITERATIONS:
            raise ValueError("iterations out of range")
        # Argon2 needs at least 8 KiB per lane.
        if not 8 * self.lanes <= self.memory_cost_kib <= _MAX_MEMORY_KIB:
            raise ValueError("memory cost out of range")

    def at_least(self, other: KdfParams) -> bool:
        return (
            self.memory_cost_kib >= other.memory_cost_kib
            and self.iterations >= other.iterations
            and self.lanes >= other.lanes
        )

    def raised_to(self, other: KdfParams) -> KdfParams:
        return KdfParams(
            max(self.memory_cost_kib, other.memory_cost_kib),
            max(self.iterations, other.iterations),
            max(self.lanes, other.lanes),
        )


MIN_KDF_PARAMS = KdfParams(memory_cost_kib=65536, iterations=3, lanes=4)


def _derive_kek(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    kdf = Argon2id(
        salt=salt,
        length=32,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_cost_kib,
    )
    return kdf.derive(_passphrase_bytes(passphrase))


def _passphrase_bytes(passphrase: str) -> bytes:
    # The same passphrase typed on another OS or keyboard may arrive in another Unicode
    # normalisation (macOS input often gives decomposed accents); NFC makes them equal.
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def _benchmark_derive(params: KdfParams) -> None:
    _derive_kek("calibration", os.urandom(SALT_BYTES), params)


def calibrate_kdf(
    *,
    low: float = 0.5,
    high: float = 1.0,
    timer: Callable[[], float] = time.perf_counter,
    derive: Callable[[KdfParams], object] | None = None,
) -> KdfParams:
    """Find Argon2id parameters that take between `low` and `high` seconds on this machine.

    Memory is raised first because it is what makes guessing on GPUs and ASICs expensive; only at
    the memory cap are iterations raised. The result is never below MIN_KDF_PARAMS, even on a
    machine where that already takes longer than `high`. `timer` and `derive` are injectable so
    the search can be tested with a fake clock.
    """
    if not 0 < low <= high:
        raise ValueError("need 0 < low <= high")
    run = derive if derive is not None else _benchmark_derive

    def measure(candidate: KdfParams) -> float:
        # The faster of two runs: load from other programs only ever makes a run slower, and a
        # slow measurement would settle on parameters that unlock faster than intended later.
        timings = []
        for _ in range(2):
            start = timer()
            run(candidate)
            timings.append(timer() - start)
        return min(timings)

    params = MIN_KDF_PARAMS
    elapsed = measure(params)

    while elapsed < low and params.memory_cost_kib < MAX_CALIBRATED_MEMORY_KIB:
        memory = min(params.memory_cost_kib * 2, MAX_CALIBRATED_MEMORY_KIB)
        # Argon2 time grows about linearly with memory; skip a run that would clearly overshoot.
        if elapsed * memory / params.memory_cost_kib > high:
            break
        candidate = replace(params, memory_cost_kib=memory)
        took = measure(candidate)
        if took > high:
            break
        params, elapsed = candidate, took

    while elapsed < low and params.iterations < _MAX_ITERATIONS:
        iterations = params.iterations + 1
        if elapsed * iterations / params.iterations > high:
            break
        candidate = replace(params, iterations=iterations)
        took = measure(candidate)
        if took > high:
            break
        params, elapsed = candidate, took

    return params


# ------------------------------------------------------------------------------ attempt counters


class AttemptCounter(Protocol):
    """A second home for the failure count, outside the key file (e.g. the OS credential store)."""

    def get(self) -> int: ...

    def set(self, value: int) -> None: ...

    def clear(self) -> None: ...


class MemoryAttemptCounter:
    """Keeps the count in memory; stands in for an OS credential store in tests."""

    def __init__(self, value: int = 0) -> None:
        self.value = value

    def get(self) -> int:
        return self.value

    def set(self, value: int) -> None:
        self.value = value

    def clear(self) -> None:
        self.value = 0


class KeyringAttemptCounter:
    """Keeps the count in the OS credential store through `keyring`.

    Without a usable store (a headless machine, a locked or broken backend) it silently counts
    nothing: the key file's own count still applies, and a missing store must never stop a
    caseworker from unlocking.
    """

    def __init__(self, profile_id: str, *, service: str = "veldwerk") -> None:
        self._service = service
        self._username = f"failed-unlocks:{profile_id}"
        self._enabled = _usable_keyring()

    @property
    def enabled(self) -> bool:
        return self._enabled

    def get(self) -> int:
        if not self._enabled:
            return 0
        try:
            stored = keyring.get_password(self._service, self._username)
        except Exception:
            _log.warning("OS credential store unavailable; failure count not read from it")
            return 0
        if stored is None:
            return 0
        try:
            value = int(stored)
        except ValueError:
            return 0
        return max(value, 0)

    def set(self, value: int) -> None:
        if not self._enabled:
            return
        try:
            keyring.set_password(self._service, self._username, str(int(value)))
        except Exception:
            _log.warning("OS credential store unavailable; failure count not stored in it")

    def clear(self) -> None:
        if not self._enabled:
            return
        try:
            keyring.delete_password(self._service, self._username)
        except keyring.errors.PasswordDeleteError:
            pass  # nothing was stored, so the count is already clear
        except Exception:
            _log.warning("OS credential store unavailable; failure count not cleared in it")

    def __repr__(self) -> str:
        return f"KeyringAttemptCounter(enabled={self._enabled})"


def _usable_keyring() -> bool:
    # Broad except on purpose: keyring backends raise all sorts (D-Bus, import, locked store).
    try:
        backend: Any = keyring.get_keyring()
        if isinstance(backend, keyring.backends.fail.Keyring | keyring.backends.null.Keyring):
            return False
        priority = float(getattr(backend, "priority", 0))
        return priority >= 1
    except Exception:
        return False


# ------------------------------------------------------------------------------------- key file


@dataclass(frozen=True)
class _KeyFile:
    header: dict[str, Any]  # exactly as stored: its canonical JSON is the AES-GCM associated data
    params: KdfParams
    salt: bytes
    nonce: bytes
    ciphertext: bytes
    failed: int  # verified wrong passphrases since the last correct unlock: the wipe counts these
    # Attempts whose verdict was never recorded (the process died during them): only the delay
    # counts these.
    unfinished: int
    # When the last failed or unfinished attempt was recorded; the delay runs from here. The name
    # predates the unfinished count and is kept so older versions can still read the file.
    last_failure_at: float | None

    def __repr__(self) -> str:
        counts = f"failed={self.failed}, unfinished={self.unfinished}"
        return f"_KeyFile(params={self.params!r}, {counts})"

    @property
    def associated_data(self) -> bytes:
        return _canonical_json(self.header)

    def to_bytes(self) -> bytes:
        document = {
            "format": FORMAT,
            "version": VERSION,
            "header": self.header,
            "wrap": {"nonce": _b64(self.nonce), "ciphertext": _b64(self.ciphertext)},
            "attempts": {
                "failed": self.failed,
                "unfinished": self.unfinished,
                "last_failure_at": self.last_failure_at,
            },
        }
        return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=True) + "\n").encode()


def _canonical_json(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode(
        "utf-8"
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(value: object, length: int | None = None) -> bytes:
    if not isinstance(value, str):
        raise ValueError("not a base64 string")
    try:
        data = base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise ValueError("bad base64") from None
    if length is not None and len(data) != length:
        raise ValueError("wrong length")
    return data


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not valid JSON")


def _parse_key_file(raw: bytes) -> _KeyFile:
    try:
        document = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
        if not isinstance(document, dict):
            raise ValueError("not an object")
        if document.get("format") != FORMAT:
            raise ValueError("unknown format")
        version = document.get("version")
        if isinstance(version, bool) or version != VERSION:
            raise ValueError("unsupported version")
        header = document["header"]
        wrap = document["wrap"]
        attempts = document["attempts"]
        if not all(isinstance(part, dict) for part in (header, wrap, attempts)):
            raise ValueError("sections must be objects")
        if not isinstance(header["profile_id"], str) or not isinstance(header["created_at"], str):
            raise ValueError("bad header strings")
        if header["kdf"] != "argon2id":
            raise ValueError("unknown kdf")
        params = KdfParams(header["memory_cost_kib"], header["iterations"], header["lanes"])
        salt = _unb64(header["salt"], SALT_BYTES)
        nonce = _unb64(wrap["nonce"], NONCE_BYTES)
        ciphertext = _unb64(wrap["ciphertext"], _WRAPPED_BYTES)
        failed = attempts["failed"]
        if not isinstance(failed, int) or isinstance(failed, bool) or failed < 0:
            raise ValueError("bad failure count")
        # Absent in key files written before unfinished attempts were told apart from failures.
        unfinished = attempts.get("unfinished", 0)
        if not isinstance(unfinished, int) or isinstance(unfinished, bool) or unfinished < 0:
            raise ValueError("bad unfinished count")
        last = attempts["last_failure_at"]
        if last is not None and (not isinstance(last, int | float) or isinstance(last, bool)):
            raise ValueError("bad failure time")
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, RecursionError):
        # The detail stays out of the error: it is not useful to a caseworker, and `from None`
        # keeps file content out of chained tracebacks.
        raise VaultCorrupt() from None
    return _KeyFile(
        header=header,
        params=params,
        salt=salt,
        nonce=nonce,
        ciphertext=ciphertext,
        failed=failed,
        unfinished=unfinished,
        last_failure_at=None if last is None else float(last),
    )


def _wrap(
    data_key: bytes,
    passphrase: str,
    params: KdfParams,
    *,
    profile_id: str,
    created_at: str,
) -> _KeyFile:
    """A key file holding `data_key` under a fresh salt and nonce, with no failures recorded."""
    salt = os.urandom(SALT_BYTES)
    nonce = os.urandom(NONCE_BYTES)
    header: dict[str, Any] = {
        "profile_id": profile_id,
        "kdf": "argon2id",
        "memory_cost_kib": params.memory_cost_kib,
        "iterations": params.iterations,
        "lanes": params.lanes,
        "salt": _b64(salt),
        "created_at": created_at,
    }
    kek = _derive_kek(passphrase, salt, params)
    ciphertext = AESGCM(kek).encrypt(nonce, data_key, _canonical_json(header))
    return _KeyFile(
        header, params, salt, nonce, ciphertext, failed=0, unfinished=0, last_failure_at=None
    )


# ----------------------------------------------------------------------------------------- vault


class Vault:
    """The key file of one profile. Holds no secret itself: every unlock reads and derives anew."""

    def __init__(
        self,
        key_path: Path,
        *,
        counter: AttemptCounter | None = None,
        clock: Callable[[], float] = time.time,
        max_attempts: int = 10,
        on_wipe: Callable[[], None] | None = None,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self._path = Path(key_path)
        self._counter = counter
        self._clock = clock
        self._max_attempts = max_attempts
        self._on_wipe = on_wipe
        self._wiped = False

    def __repr__(self) -> str:
        return f"Vault({self._path.name!r})"

    @classmethod
    def create(
        cls,
        key_path: Path,
        passphrase: str,
        *,
        profile_id: str,
        params: KdfParams | None = None,
        counter: AttemptCounter | None = None,
        clock: Callable[[], float] = time.time,
        max_attempts: int = 10,
        on_wipe: Callable[[], None] | None = None,
    ) -> tuple[Vault, bytes]:
        """Write a new key file with a fresh random data key; return the vault and that key.

        Explicit `params` are used as given (tests use cheap ones); None calibrates on this
        machine, which takes a few seconds.
        """
        if not passphrase:
            raise EmptyPassphrase()
        vault = cls(
            key_path, counter=counter, clock=clock, max_attempts=max_attempts, on_wipe=on_wipe
        )
        if vault._path.exists() or vault._path.is_symlink():
            raise VaultExists()
        chosen = params if params is not None else calibrate_kdf()
        data_key = os.urandom(DATA_KEY_BYTES)
        created_at = datetime.fromtimestamp(clock(), UTC).isoformat(timespec="seconds")
        key_file = _wrap(data_key, passphrase, chosen, profile_id=profile_id, created_at=created_at)
        vault._write(key_file)
        if counter is not None:
            # A count left by an earlier profile with this id must not count against the new key.
            counter.clear()
        return vault, data_key

    # ------------------------------------------------------------------------------ properties

    @property
    def key_path(self) -> Path:
        return self._path

    @property
    def profile_id(self) -> str:
        return str(self._read().header["profile_id"])

    @property
    def params(self) -> KdfParams:
        return self._read().params

    @property
    def failed_attempts(self) -> int:
        """Verified wrong passphrases since the last correct unlock: what the wipe counts."""
        return self._effective_failures(self._read())

    @property
    def unfinished_attempts(self) -> int:
        """Attempts that never reached a verdict (the process died): they only add delay."""
        return self._read().unfinished

    @property
    def max_attempts(self) -> int:
        return self._max_attempts

    # --------------------------------------------------------------------------------- actions

    def unlock(self, passphrase: str, *, minimum: KdfParams | None = None) -> bytes:
        """Return the data key, or raise. Verified wrong passphrases count towards the wipe.

        With `minimum`, a header below it is re-wrapped under the raised parameters after a
        successful unlock, so profiles created on older versions or slower machines catch up.
        """
        data_key, key_file = self._unlock(passphrase)
        # The reset is written first, straight after the derivation as a wrong verdict would be:
        # the moment of that write tells nothing, and a crash in the slow re-wrap below no longer
        # leaves the attempt unfinished.
        key_file = replace(key_file, failed=0, unfinished=0, last_failure_at=None)
        self._write(key_file)
        if self._counter is not None:
            self._counter.clear()
        if minimum is not None and not key_file.params.at_least(minimum):
            self._write(
                _wrap(
                    data_key,
                    passphrase,
                    key_file.params.raised_to(minimum),
                    profile_id=str(key_file.header["profile_id"]),
                    created_at=str(key_file.header["created_at"]),
                )
            )
        return data_key

    def change_passphrase(self, old: str, new: str, *, params: KdfParams | None = None) -> None:
        """Re-wrap the same data key under `new`; the database is not touched.

        A wrong `old` counts as a failed unlock, so this cannot be used to guess around the limit.
        """
        if not new:
            raise EmptyPassphrase()
        data_key, key_file = self._unlock(old)
        rewrapped = _wrap(
            data_key,
            new,
            params if params is not None else key_file.params,
            profile_id=str(key_file.header["profile_id"]),
            created_at=str(key_file.header["created_at"]),
        )
        self._write(rewrapped)
        if self._counter is not None:
            self._counter.clear()

    def destroy(self) -> None:
        """Destroy the key file on purpose (profile removal); the database becomes unreadable."""
        self._wiped = True
        self._destroy_key_file()
        if self._counter is not None:
            self._counter.clear()

    # -------------------------------------------------------------------------------- internals

    def _unlock(self, passphrase: str) -> tuple[bytes, _KeyFile]:
        """Check the passphrase with full attempt accounting.

        On success the key file still records this attempt as unfinished; the caller writes the
        reset. The returned key file is the one read before the attempt.
        """
        key_file = self._read()
        if not passphrase:
            # Create refuses empty passphrases, so this can never be right: no attempt is spent.
            raise EmptyPassphrase()
        failures = self._effective_failures(key_file)
        if failures >= self._max_attempts:
            # Reached when an older key file was restored after a wipe the counter remembers.
            self._wipe()
        self._enforce_delay(key_file, failures + key_file.unfinished)

        # Record the attempt before trying it, as unfinished: if the process dies during the
        # derivation (a crash, or a kill to try again sooner), the attempt still adds to the
        # delay, but nothing is known about the passphrase, so it does not count towards the wipe.
        self._write(
            replace(key_file, unfinished=key_file.unfinished + 1, last_failure_at=self._clock())
        )

        try:
            kek = _derive_kek(passphrase, key_file.salt, key_file.params)
            data_key = AESGCM(kek).decrypt(
                key_file.nonce, key_file.ciphertext, key_file.associated_data
            )
        except InvalidTag:
            # The verdict is durable before anyone can see it (before this error is raised), so
            # killing the app once a wrong guess shows can no longer keep it from the wipe count.
            # The attempt moves from unfinished to failed.
            failures += 1
            self._write(replace(key_file, failed=failures, last_failure_at=self._clock()))
            if self._counter is not None:
                self._counter.set(failures)
            if failures >= self._max_attempts:
                self._wipe()
            raise WrongPassphrase(self._max_attempts - failures) from None
        if len(data_key) != DATA_KEY_BYTES:
            raise VaultCorrupt()
        return data_key, key_file

    def _enforce_delay(self, key_file: _KeyFile, attempts: int) -> None:
        """`attempts`: failed plus unfinished attempts since the last correct unlock."""
        if attempts < _FIRST_DELAYED_FAILURE:
            return
        wait = min(2.0 ** (attempts - _FIRST_DELAYED_FAILURE), _MAX_DELAY_SECONDS)
        now = self._clock()
        last = key_file.last_failure_at
        if last is None or now < last:
            # No usable reference: the count came from the credential store after a key file was
            # restored, or the clock was set back. Start the wait now rather than skip it, and
            # rather than lock the caseworker out until the clock catches up.
            self._write(replace(key_file, last_failure_at=now))
            raise UnlockDelayed(wait)
        remaining = last + wait - now
        if remaining > 0:
            raise UnlockDelayed(remaining)

    def _effective_failures(self, key_file: _KeyFile) -> int:
        # The counter holds verified failures only, like `failed`: a restored key file must not
        # undo a wipe that is due, while unfinished attempts never bring one closer.
        stored = self._counter.get() if self._counter is not None else 0
        return max(key_file.failed, stored)

    def _wipe(self) -> None:
        _log.warning("too many failed unlocks: wiping the profile key")
        self._wiped = True
        try:
            self._destroy_key_file()
        finally:
            # The database goes even if the key file could not be removed: better both.
            if self._on_wipe is not None:
                self._on_wipe()
        raise ProfileWiped()

    def _destroy_key_file(self) -> None:
        try:
            destroy_file(self._path)
        except OSError:
            raise VaultIOError() from None
        # A write killed before its rename leaves a full copy of the key file, possibly one
        # wrapped under an earlier passphrase: it goes too, whatever its age.
        try:
            remove_leftover_temp_files(self._path.parent, target=self._path.name, min_age_seconds=0)
        except OSError:
            # The key file itself is gone, so the wipe stands; a surviving copy is still wrapped.
            _log.warning("could not remove leftover copies of the key file")

    def _read(self) -> _KeyFile:
        if self._wiped:
            raise ProfileWiped()
        try:
            with self._path.open("rb") as handle:
                raw = handle.read(_MAX_KEY_FILE_BYTES + 1)
        except FileNotFoundError:
            raise ProfileWiped() from None
        except IsADirectoryError:
            raise VaultCorrupt() from None
        except OSError:
            raise VaultIOError() from None
        if len(raw) > _MAX_KEY_FILE_BYTES:
            raise VaultCorrupt()
        return _parse_key_file(raw)

    def _write(self, key_file: _KeyFile) -> None:
        try:
            atomic_write_bytes(self._path, key_file.to_bytes(), 0o600)
        except OSError:
            raise VaultIOError() from None
