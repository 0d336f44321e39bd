"""What every service test shares: no OS credential store."""

from __future__ import annotations

from typing import Any, cast

import keyring
import keyring.backends.null
import pytest


@pytest.fixture(autouse=True)
def no_os_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    null_backend = cast(Any, keyring.backends.null.Keyring)()  # keyring is untyped
    monkeypatch.setattr(keyring, "get_keyring", lambda: null_backend)
