"""Profile verbs, before any profile is open: unlock one, enroll this device, sync a profile
whose offline lease ran out.

There is no session yet, so these run in a `Device` context: the window's lanes and a bus of its
own (nothing is shown that could go stale; an unlock or an enrollment publishes nothing).

    profiles.unlock_profile(parent=self, device=Device(lanes), profile=p, passphrase=s).success(
        self._on_unlocked
    ).run()
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtWidgets import QWidget

from app.domain.changes import Changes
from app.services import profiles as service
from app.services import sync as sync_service
from app.services.profiles import KdfParams, Profile, Store
from app.ui.operations.bus import ChangeBus
from app.ui.operations.op import Op, Task
from app.ui.session import Session
from app.ui.tasks import Lanes

__all__ = ["Device", "UnlockFn", "enroll_device", "sync_expired_profile", "unlock_profile"]

UnlockFn = Callable[[Profile, str], Store]
_NOTHING = Changes()


@dataclass
class Device:
    """The context of the operations before a profile is open."""

    lanes: Lanes
    bus: ChangeBus = field(default_factory=ChangeBus)


def unlock_profile(
    *,
    parent: QWidget,
    device: Device,
    profile: Profile,
    passphrase: str,
    unlock: UnlockFn = service.unlock,
) -> Op[Store]:
    """Derive the key and open the profile's store (the receiver owns it). Fails with
    WrongPassphrase, UnlockDelayed, ProfileWiped or LeaseExpired."""
    return Op(
        parent=parent,
        context=device,
        work=lambda _task: unlock(profile, passphrase),
        changes=_NOTHING,
        name="unlock",
    )


def enroll_device(
    *,
    parent: QWidget,
    device: Device,
    server_url: str,
    username: str,
    password: str,
    code: str,
    passphrase: str,
    profile_name: str | None = None,
    ca_bundle: Path | None = None,
    home: Path | None = None,
    params: KdfParams | None = None,
) -> Op[tuple[Profile, Store]]:
    """Exchange the one-time code with the server and make the profile (the receiver owns the
    open store). On the network lane."""
    return Op(
        parent=parent,
        context=device,
        work=lambda _task: service.enroll(
            server_url=server_url,
            username=username,
            password=password,
            code=code,
            passphrase=passphrase,
            profile_name=profile_name,
            ca_bundle=ca_bundle,
            home=home,
            params=params,
        ),
        changes=_NOTHING,
        name="enroll",
        network=True,
    )


def sync_expired_profile(
    *, parent: QWidget, device: Device, profile: Profile, passphrase: str
) -> Op[None]:
    """A profile past its offline lease may still sync: open it for that only, sync, close."""

    def work(_task: object) -> None:
        store = service.unlock_for_sync(profile, passphrase)
        try:
            sync_service.sync_profile(profile, store)
        finally:
            store.close()

    return Op(
        parent=parent,
        context=device,
        work=work,
        changes=_NOTHING,
        name="sync_expired_profile",
        network=True,
    )


def close_store(*, parent: QWidget, session: Session) -> Op[None]:
    """Close the unlocked profile's store at a lock. Queued on the storage lane behind the
    saves already there (first in, first out), so what was typed just before is written first;
    it runs also when `parent` is thrown away before it does."""
    store = session.store

    def close(_task: Task) -> None:
        # The server connection goes with the store: a locked laptop keeps no session open.
        sync_service.forget_connection(store)
        store.close()

    return Op(
        parent=parent,
        context=session,
        work=close,
        changes=_NOTHING,
        name="close_store",
    )
