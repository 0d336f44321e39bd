"""The profiles on this device as the unlock screen and the enrollment wizard see them, and the
ways to open one.

Before an unlock only what `profile.json` holds is known (name, user name, role, server, when the
device was enrolled) and whether the profile was wiped: nothing of the caseload, and not when it
last synced (that is kept inside the encrypted database). After an unlock `summarize` adds it.

The UI holds a `Profile` and an open `Store` as handles it got from here and passes them back
to services; it imports their names from this module, never from app.storage.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from app.domain.roles import Role
from app.services import sync as sync_service
from app.services.sync import LeaseExpired as LeaseExpired
from app.storage import sync_state
from app.storage.profiles import Profile as Profile
from app.storage.profiles import ProfileError as ProfileError
from app.storage.profiles import list_profiles as _stored_profiles
from app.storage.profiles import profiles_dir
from app.storage.store import Store as Store
from app.storage.vault import KdfParams as KdfParams
from app.storage.vault import ProfileWiped as ProfileWiped
from app.storage.vault import UnlockDelayed as UnlockDelayed
from app.storage.vault import VaultCorrupt as VaultCorrupt
from app.storage.vault import WrongPassphrase as WrongPassphrase
from app.sync.client import DeviceRevoked as DeviceRevoked

__all__ = [
    "DeviceRevoked",
    "KdfParams",
    "LeaseExpired",
    "Profile",
    "ProfileError",
    "ProfileSummary",
    "ProfileWiped",
    "Store",
    "UnlockDelayed",
    "VaultCorrupt",
    "WrongPassphrase",
    "enroll",
    "is_wiped",
    "list_profiles",
    "new_profile_name",
    "summarize",
    "unlock",
    "unlock_for_sync",
]

# Longest base for a new profile's folder name: room for "-<n>" within the 64 profiles allow.
_PROFILE_NAME_MAX = 56


@dataclass(frozen=True, slots=True)
class ProfileSummary:
    """One profile on this device, as the unlock screen lists it."""

    name: str
    username: str
    role: Role
    server_url: str
    created_at: datetime | None  # when this device was enrolled for the user (aware)
    wiped: bool  # the key is gone after too many failed unlocks: it can never be opened again
    last_sync: datetime | None  # when a sync round last finished on this device, if ever
    # The handle `unlock` takes; not part of what a summary is.
    profile: Profile = field(repr=False, compare=False)


def _aware(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def is_wiped(profile: Profile) -> bool:
    """A profile whose key file is gone can never be opened again (see app.storage.vault)."""
    return not profile.key_path.exists()


def summarize(profile: Profile, store: Store | None = None) -> ProfileSummary:
    """The profile's summary; with its open store it includes when it last synced."""
    info = profile.info
    last_sync = _aware(profile.last_sync)
    if store is not None and store.is_open:
        stored = store.setting(sync_state.LAST_SYNC)
        last_sync = _aware(str(stored)) if stored else last_sync
    return ProfileSummary(
        name=profile.name,
        username=info.username,
        role=Role(info.role),
        server_url=info.server_url,
        created_at=_aware(info.created_at),
        wiped=is_wiped(profile),
        last_sync=last_sync,
        profile=profile,
    )


def list_profiles(home: Path | None = None) -> list[ProfileSummary]:
    """The profiles on this device, by name; wiped ones included (the screen says so)."""
    return [summarize(p) for p in _stored_profiles(home)]


def new_profile_name(username: str, home: Path | None = None) -> str:
    """A free profile folder name derived from the user name ("k.dijkstra" -> "k-dijkstra",
    then "k-dijkstra-2", ...). Chosen before the server is asked: the one-time code is spent by
    the exchange, so the profile must not fail afterwards on a name that is taken."""
    base = re.sub(r"[^a-z0-9_-]+", "-", username.strip().lower()).strip("-_")
    base = base[:_PROFILE_NAME_MAX].rstrip("-_") or "profiel"
    root = profiles_dir(home)
    # Any folder counts, not only complete profiles: a half-made one still holds the name.
    taken = set(os.listdir(root)) if root.is_dir() else set()
    name, number = base, 2
    while name in taken:
        name = f"{base}-{number}"
        number += 1
    return name


def unlock(profile: Profile, passphrase: str, *, now: datetime | None = None) -> Store:
    """Unlock to work with the dossiers (Argon2id, then opening and migrating the database).

    Raises WrongPassphrase, UnlockDelayed, ProfileWiped, or LeaseExpired when an enrolled device
    has not synced for longer than the offline lease (it may still sync: `unlock_for_sync`).
    """
    return sync_service.unlock_for_work(profile, passphrase, now=now)


def unlock_for_sync(profile: Profile, passphrase: str) -> Store:
    """Unlock only to sync, also past the offline lease; the caller closes the store."""
    return sync_service.unlock_for_sync(profile, passphrase)


def enroll(
    *,
    server_url: str,
    username: str,
    password: str,
    code: str,
    passphrase: str,
    profile_name: str | None = None,
    ca_bundle: Path | None = None,
    home: Path | None = None,
    params: KdfParams | None = None,
) -> tuple[Profile, Store]:
    """Enroll this device for the user and make their profile; returns it with its store open
    (the caller owns the store). The profile's name is chosen before the server is asked."""
    return sync_service.enroll(
        server_url=server_url,
        username=username,
        password=password,
        code=code,
        passphrase=passphrase,
        profile_name=profile_name or new_profile_name(username, home),
        ca_bundle=ca_bundle,
        home=home,
        params=params,
    )
