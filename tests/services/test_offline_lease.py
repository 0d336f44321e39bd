"""An enrolled device that has not synced for longer than the lease refuses to unlock for work."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.services import sync as sync_service
from app.storage import sync_state
from app.storage.profiles import Profile
from app.storage.vault import KdfParams

PASSPHRASE = "een lange wachtzin voor de test"


def _enrolled_profile(home: Path, *, last_sync: datetime | None) -> Profile:
    profile, store = Profile.create(
        "lease",
        passphrase=PASSPHRASE,
        username="k.dijkstra",
        role="caseworker",
        params=KdfParams(1024, 1, 1),
        home=home,
    )
    with store.transaction() as tx:
        tx.set_setting(sync_service.SERVER, "https://centraal.example")
        tx.set_setting(sync_service.TOKEN, "token")
        if last_sync is not None:
            tx.set_setting(sync_state.LAST_SYNC, last_sync.isoformat())
    store.close()
    return profile


def test_recent_sync_unlocks(tmp_path: Path) -> None:
    now = datetime.now(UTC)
    profile = _enrolled_profile(tmp_path, last_sync=now - timedelta(days=13))
    store = sync_service.unlock_for_work(profile, PASSPHRASE, now=now)
    try:
        state = sync_service.status(profile, store, now=now)
        assert not state.lease_expired and state.cursor_age_days == pytest.approx(13, abs=0.01)
    finally:
        store.close()


def test_past_the_lease_only_sync_may_unlock(tmp_path: Path) -> None:
    now = datetime.now(UTC)
    profile = _enrolled_profile(tmp_path, last_sync=now - timedelta(days=15))
    with pytest.raises(sync_service.LeaseExpired) as refused:
        sync_service.unlock_for_work(profile, PASSPHRASE, now=now)
    assert refused.value.code == "offline_lease_expired"
    assert "14 dagen" in refused.value.message("nl")
    store = sync_service.unlock_for_sync(profile, PASSPHRASE)
    store.close()


def test_never_synced_counts_from_enrollment(tmp_path: Path) -> None:
    profile = _enrolled_profile(tmp_path, last_sync=None)
    later = datetime.now(UTC) + timedelta(days=20)
    with pytest.raises(sync_service.LeaseExpired):
        sync_service.unlock_for_work(profile, PASSPHRASE, now=later)
    soon = datetime.now(UTC) + timedelta(days=2)
    sync_service.unlock_for_work(profile, PASSPHRASE, now=soon).close()


def test_a_profile_that_never_enrolled_has_no_lease(tmp_path: Path) -> None:
    profile, store = Profile.create(
        "demo",
        passphrase=PASSPHRASE,
        username="k.dijkstra",
        role="caseworker",
        params=KdfParams(1024, 1, 1),
        home=tmp_path,
    )
    store.close()
    far = datetime.now(UTC) + timedelta(days=400)
    sync_service.unlock_for_work(profile, PASSPHRASE, now=far).close()
