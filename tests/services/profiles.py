"""A fresh encrypted profile for a service test."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.storage.profiles import Profile
from app.storage.store import Store
from app.storage.vault import KdfParams

PASSPHRASE = "een lange wachtzin voor de test"
# Cheap key derivation: the tests are about services, not about the vault.
FAST_KDF = KdfParams(1024, 1, 1)


@contextmanager
def opened_profile(home: Path, name: str, *, username: str, role: str) -> Iterator[Store]:
    """A new profile in `home`, unlocked; closed afterwards."""
    _profile, store = Profile.create(
        name, passphrase=PASSPHRASE, username=username, role=role, params=FAST_KDF, home=home
    )
    try:
        yield store
    finally:
        store.close()
