"""Shared fixtures for the desktop tests: a small demo caseload in a real encrypted profile.

Qt runs offscreen (set in pyproject's pytest env or by scripts/test.sh); every test gets its own
VELDWERK_HOME under tmp_path, so nothing touches the user's profiles.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.demo.profiles import DemoProfile, create_demo_profiles  # noqa: E402
from app.storage.vault import KdfParams  # noqa: E402
from app.ui.session import Session  # noqa: E402
from app.ui.tasks import Lanes  # noqa: E402

FAST = KdfParams(1024, 1, 1)


@pytest.fixture(autouse=True)
def dutch_ui(qapp: Any) -> Iterator[None]:
    """The UI speaks Dutch in tests whatever the machine's locale (messages.ui_language)."""
    qapp.setProperty("veldwerk_language", "nl")
    yield
    qapp.setProperty("veldwerk_language", "nl")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "home"
    monkeypatch.setenv("VELDWERK_HOME", str(path))
    return path


@pytest.fixture
def demo_profiles(home: Path) -> list[DemoProfile]:
    """Caseworker (index 0) and team lead (index 1) profiles over 40 generated clients."""
    return create_demo_profiles(clients=40, seed=7, home=home, params=FAST)


@pytest.fixture
def lanes() -> Iterator[Lanes]:
    running = Lanes()
    yield running
    running.stop()


@pytest.fixture
def session(demo_profiles: list[DemoProfile], lanes: Lanes) -> Iterator[Session]:
    """The caseworker's profile, unlocked."""
    demo = demo_profiles[0]
    store = demo.profile.unlock(demo.passphrase)
    yield Session(profile=demo.profile, store=store, lanes=lanes)
    store.close()


@pytest.fixture
def team_lead_session(demo_profiles: list[DemoProfile], lanes: Lanes) -> Iterator[Session]:
    demo = demo_profiles[1]
    store = demo.profile.unlock(demo.passphrase)
    yield Session(profile=demo.profile, store=store, lanes=lanes)
    store.close()
