"""Profiles: one folder per enrolled user on this device.

<VELDWERK_HOME or the platform data dir>/profiles/<name>/
    profile.json   who and where (user name, role, server): no client data
    key.json       the wrapped data key (see vault.py)
    veldwerk.db    the SQLCipher database (+ -wal, -shm)
    backups/       encrypted copies taken before migrations

Listing or finding a profile (what every start does) also removes temporary files that a process
killed during an atomic write left in its folder (see `remove_leftover_temp_files`).
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

from app.domain.errors import VeldwerkError
from app.domain.roles import DEVICE_ROLES
from app.storage.atomic import atomic_write_bytes, destroy_file, remove_leftover_temp_files
from app.storage.engine import check_open, open_engine
from app.storage.migrations.runner import upgrade_database
from app.storage.store import Clock, Store, utc_now
from app.storage.vault import AttemptCounter, KdfParams, KeyringAttemptCounter, Vault

PROFILE_FILE = "profile.json"
STATUS_FILE = "status.json"
KEY_FILE = "key.json"
DB_FILE = "veldwerk.db"
BACKUP_DIR = "backups"
ROLES = DEVICE_ROLES
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")

_log = logging.getLogger(__name__)


class ProfileError(VeldwerkError):
    pass


def veldwerk_home() -> Path:
    """Where Veldwerk keeps its profiles; `VELDWERK_HOME` overrides the platform default."""
    override = os.environ.get("VELDWERK_HOME")
    return Path(override) if override else Path(platformdirs.user_data_dir("Veldwerk", False))


def profiles_dir(home: Path | None = None) -> Path:
    return (home or veldwerk_home()) / "profiles"


@dataclass(frozen=True, slots=True)
class ProfileInfo:
    name: str
    username: str
    role: str
    server_url: str
    device_id: str
    created_at: str


class Profile:
    def __init__(self, path: Path, info: ProfileInfo) -> None:
        self.path = path
        self.info = info

    @property
    def name(self) -> str:
        return self.info.name

    @property
    def key_path(self) -> Path:
        return self.path / KEY_FILE

    @property
    def db_path(self) -> Path:
        return self.path / DB_FILE

    @property
    def backup_dir(self) -> Path:
        return self.path / BACKUP_DIR

    @classmethod
    def create(
        cls,
        name: str,
        *,
        passphrase: str,
        username: str,
        role: str,
        server_url: str = "",
        params: KdfParams | None = None,
        home: Path | None = None,
        clock: Clock = utc_now,
    ) -> tuple[Profile, Store]:
        if not _NAME.fullmatch(name):
            raise ProfileError(
                "invalid_profile_name",
                "Een profielnaam bestaat uit kleine letters, cijfers, - en _.",
                "A profile name consists of lowercase letters, digits, - and _.",
            )
        if role not in ROLES:
            raise ProfileError("invalid_role", "Onbekende rol.", "Unknown role.")
        path = profiles_dir(home) / name
        if path.exists():
            raise ProfileError(
                "profile_exists",
                "Er bestaat al een profiel met deze naam.",
                "A profile with this name already exists.",
            )
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.mkdir(mode=0o700)
        info = ProfileInfo(
            name=name,
            username=username,
            role=role,
            server_url=server_url,
            device_id=str(uuid.uuid4()),
            created_at=datetime.now(UTC).isoformat(),
        )
        try:
            atomic_write_bytes(path / PROFILE_FILE, json.dumps(asdict(info), indent=2).encode())
            _vault, key = Vault.create(
                path / KEY_FILE,
                passphrase,
                profile_id=info.device_id,
                params=params,
                counter=KeyringAttemptCounter(info.device_id),
            )
            profile = cls(path, info)
            store = profile._open(key, clock=clock)
        except BaseException:
            shutil.rmtree(path, ignore_errors=True)
            raise
        return profile, store

    @classmethod
    def load(cls, path: Path) -> Profile:
        """The profile in the folder `path`; first tidies what killed writes left there."""
        remove_leftovers(path)
        try:
            data = json.loads((path / PROFILE_FILE).read_text(encoding="utf-8"))
            return cls(path, ProfileInfo(**data))
        except (OSError, ValueError, TypeError) as exc:
            raise ProfileError(
                "profile_unreadable",
                "Dit profiel is onleesbaar of onvolledig.",
                "This profile is unreadable or incomplete.",
            ) from exc

    def note_synced(self, at: datetime) -> None:
        """Remember when a sync round finished, outside the encrypted database, so the unlock
        screen can say it. A file of its own: profile.json stays readable by older versions.
        Not personal: the same moment for every client on the device."""
        atomic_write_bytes(
            self.path / STATUS_FILE, json.dumps({"last_sync": at.isoformat()}).encode()
        )

    @property
    def last_sync(self) -> str | None:
        """When a sync round last finished on this device (ISO, UTC), or None."""
        try:
            value = json.loads((self.path / STATUS_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        found = value.get("last_sync") if isinstance(value, dict) else None
        return found if isinstance(found, str) else None

    def vault(
        self,
        *,
        counter: AttemptCounter | None = None,
        clock: Callable[[], float] = time.time,
        max_attempts: int = 10,
    ) -> Vault:
        return Vault(
            self.key_path,
            counter=counter if counter is not None else KeyringAttemptCounter(self.info.device_id),
            clock=clock,
            max_attempts=max_attempts,
            on_wipe=self._remove_data_files,
        )

    def unlock(
        self, passphrase: str, *, vault: Vault | None = None, clock: Clock = utc_now
    ) -> Store:
        key = (vault or self.vault()).unlock(passphrase)
        return self._open(key, clock=clock)

    def _open(self, key: bytes, *, clock: Clock) -> Store:
        engine = open_engine(self.db_path, key)
        try:
            check_open(engine)
            upgrade_database(engine, backup_dir=self.backup_dir)
        except BaseException:
            engine.dispose()
            raise
        return Store(engine, actor=self.info.username, clock=clock)

    def data_files(self) -> list[Path]:
        """The database with its WAL and shared-memory files, and every backup."""
        files = [self.db_path.with_name(DB_FILE + suffix) for suffix in ("", "-wal", "-shm")]
        if self.backup_dir.exists():
            files.extend(sorted(self.backup_dir.iterdir()))
        return [f for f in files if f.exists()]

    def _remove_data_files(self) -> None:
        for path in self.data_files():
            destroy_file(path)

    def destroy(self) -> None:
        """Explicit removal: the wrap first (without it the database is noise), then the rest."""
        destroy_file(self.key_path)
        self._remove_data_files()
        shutil.rmtree(self.path, ignore_errors=True)


def remove_leftovers(path: Path) -> int:
    """Remove old temporary files of killed atomic writes from one profile folder.

    Runs whenever a profile is loaded, which every start does through `list_profiles` or
    `find_profile`. Never raises: tidying up must not stand between a caseworker and their data.
    """
    try:
        return remove_leftover_temp_files(path)
    except OSError:
        # No path in the message: profile folder names can be user names.
        _log.warning("could not tidy up leftover temporary files in a profile folder")
        return 0


def list_profiles(home: Path | None = None) -> list[Profile]:
    root = profiles_dir(home)
    if not root.exists():
        return []
    found = []
    for path in sorted(root.iterdir()):
        if (path / PROFILE_FILE).exists():
            found.append(Profile.load(path))
    return found


def find_profile(name: str, home: Path | None = None) -> Profile:
    path = profiles_dir(home) / name
    if not (path / PROFILE_FILE).exists():
        raise ProfileError(
            "profile_not_found",
            "Dit profiel bestaat niet op dit apparaat.",
            "This profile does not exist on this device.",
        )
    return Profile.load(path)
