"""Enrolling this device, syncing a profile, and telling how sync stands."""

from __future__ import annotations

import math
import platform
import threading
import weakref
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from app.domain.errors import VeldwerkError
from app.domain.roles import DEVICE_ROLES
from app.storage import sync_state
from app.storage.profiles import Profile
from app.storage.store import Store
from app.storage.vault import KdfParams
from app.sync.client import DeviceRevoked as DeviceRevoked
from app.sync.client import SyncCancelled as SyncCancelled
from app.sync.client import Transport
from app.sync.engine import Progress, SyncEngine
from app.sync.engine import SyncReport as SyncReport
from app.sync.engine import warning_text as warning_text
from app.sync.protocol import Enrolled, EnrollRequest

TOKEN = "sync.token"
DEVICE = "sync.device_id"
SERVER = "sync.server_url"
CA_BUNDLE = "sync.ca_bundle"
DISPLAY_NAME = "user.display_name"
LEASE_DAYS = 14
# A progress phase: the network is gone and the round waits for it (done: seconds to the next
# try); the round goes on by itself, or stops when cancelled.
WAITING = "waiting"


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
    """Exchange password and one-time code for a device token, then make the local profile.
    The token is kept inside the encrypted database, never in a plain file."""
    transport = Transport(server_url, ca_bundle=ca_bundle, attempts=2)
    try:
        enrolled = transport.request(
            "POST",
            "/v1/enroll",
            Enrolled,
            body=EnrollRequest(
                username=username,
                password=password,
                enrollment_code=code,
                device_name=platform.node()[:100] or "laptop",
            ),
        )
    finally:
        transport.close()
    role = enrolled.role if enrolled.role in DEVICE_ROLES else ""
    if not role:
        raise VeldwerkError(
            "role_without_device_data",
            "Deze rol werkt niet met dossiers op een apparaat.",
            "This role does not keep dossiers on a device.",
        )
    name = profile_name or enrolled.username.replace(".", "-")
    profile, store = Profile.create(
        name,
        passphrase=passphrase,
        username=enrolled.username,
        role=role,
        server_url=transport.base_url,
        params=params,
        home=home,
    )
    with store.transaction() as tx:
        tx.set_setting(TOKEN, enrolled.token)
        tx.set_setting(DEVICE, enrolled.device_id)
        tx.set_setting(SERVER, transport.base_url)
        tx.set_setting(CA_BUNDLE, str(ca_bundle) if ca_bundle else None)
        tx.set_setting(DISPLAY_NAME, enrolled.display_name or enrolled.username)
        tx.record_event("enroll", "device", record_id=enrolled.device_id)
    return profile, store


def transport_for(store: Store, **kwargs: Any) -> Transport:
    ca = store.setting(CA_BUNDLE)
    return Transport(
        str(store.setting(SERVER)),
        token=str(store.setting(TOKEN)),
        ca_bundle=Path(ca) if ca else None,
        **kwargs,
    )


# One connection per unlocked profile, kept between rounds: a round on a village hotspot then
# starts without a TCP and TLS handshake (the server keeps idle connections open longer than
# the window's 30 s reachability check leaves them idle), and a new connection resumes the TLS
# session. Gone with the store (weakly held) or closed by `forget_connection`.
_CONNECTIONS: weakref.WeakKeyDictionary[Store, Transport] = weakref.WeakKeyDictionary()
_CONNECTIONS_LOCK = threading.Lock()


def connection(store: Store) -> Transport:
    """This profile's connection to its server (made on first use, remade if the server, the
    token or the trusted CA changed)."""
    known = store.settings(CA_BUNDLE, SERVER, TOKEN)
    ca = known[CA_BUNDLE]
    wanted = (str(known[SERVER]), str(known[TOKEN]), Path(ca) if ca else None)
    with _CONNECTIONS_LOCK:
        kept = _CONNECTIONS.get(store)
        if kept is not None and (kept.base_url, kept.token, kept.ca_bundle) == wanted:
            return kept
        if kept is not None:
            kept.close()
        made = transport_for(store)
        _CONNECTIONS[store] = made
        return made


def forget_connection(store: Store) -> None:
    """Close this profile's connection (locking, a revoked device)."""
    with _CONNECTIONS_LOCK:
        kept = _CONNECTIONS.pop(store, None)
    if kept is not None:
        kept.close()


def sync_profile(
    profile: Profile,
    store: Store,
    *,
    progress: Progress | None = None,
    transport: Transport | None = None,
    cancel: threading.Event | None = None,
    on_answer: Callable[[], None] | None = None,
) -> SyncReport:
    """One sync round. A device the server revoked is wiped here and then reported.

    `cancel` (set from any thread) stops the round between requests and abandons the one in
    flight (`SyncCancelled`); `on_answer` hears of each answer from the server (a sign of life,
    for a screen that must tell a slow sync from a server that does not answer)."""
    link = transport or connection(store)

    def waiting(seconds: float) -> None:
        if progress is not None:
            # Whole seconds, rounded up: a wait of 0.3 s is not "over 0 s".
            progress(WAITING, max(1, math.ceil(seconds)), 0)

    try:
        with link.watching(cancel=cancel, on_answer=on_answer, on_wait=waiting):
            engine = SyncEngine(
                store,
                link,
                device_id=str(store.setting(DEVICE)),
                progress=progress,
                cancel=cancel,
            )
            report = engine.sync()
        # Outside the encrypted database too, so the unlock screen can say when it was.
        profile.note_synced(datetime.now(UTC))
        return report
    except DeviceRevoked:
        forget_connection(store)
        store.close()
        profile.destroy()
        raise


@dataclass(frozen=True, slots=True)
class SyncStatus:
    profile: str
    server: str | None
    pending_entries: int
    open_conflicts: int
    last_sync: str | None
    cursor_age_days: float | None
    lease_days: int
    lease_expired: bool

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def status(profile: Profile, store: Store, *, now: datetime | None = None) -> SyncStatus:
    last = store.setting(sync_state.LAST_SYNC)
    age = None
    enrolled = store.setting(SERVER) is not None
    # Never synced since enrollment: the lease runs from the enrollment.
    since = last or (profile.info.created_at if enrolled else None)
    if since:
        moment = now or datetime.now(UTC)
        age = round((moment - datetime.fromisoformat(str(since))).total_seconds() / 86400, 2)
    return SyncStatus(
        profile=profile.name,
        server=store.setting(SERVER),
        pending_entries=store.pending_count(),
        open_conflicts=len(sync_state.open_conflicts(store)),
        last_sync=str(last) if last else None,
        cursor_age_days=age,
        lease_days=LEASE_DAYS,
        lease_expired=enrolled and age is not None and age > LEASE_DAYS,
    )


class LeaseExpired(VeldwerkError):
    def __init__(self, days: int) -> None:
        super().__init__(
            "offline_lease_expired",
            f"Dit apparaat heeft {days} dagen niet gesynchroniseerd. Synchroniseer eerst; daarna "
            "kunt u weer werken.",
            f"This device has not synced for {days} days. Sync first; then you can work again.",
        )


def unlock_for_work(profile: Profile, passphrase: str, *, now: datetime | None = None) -> Store:
    """Unlock to work with the dossiers. An enrolled device that has not synced for longer than
    the offline lease refuses: a lost or stolen laptop stops being useful on its own, and a
    revocation gets its chance to arrive. Syncing (unlock_for_sync) stays possible."""
    store = profile.unlock(passphrase)
    state = status(profile, store, now=now)
    if state.lease_expired:
        store.close()
        raise LeaseExpired(LEASE_DAYS)
    return store


def unlock_for_sync(profile: Profile, passphrase: str) -> Store:
    return profile.unlock(passphrase)


class _Health(BaseModel):
    status: str


def server_reachable(store: Store, *, timeout: float = 3.0) -> bool:
    """One quick health check, no retries: is the central office server there right now? On
    the profile's own connection, so the check also keeps it open for the next round."""
    if store.setting(SERVER) is None:
        return False
    try:
        answer = connection(store).request(
            "GET", "/v1/health", _Health, attempts=1, timeout=(timeout, timeout)
        )
        return answer.status == "ok"
    except VeldwerkError:
        return False
