"""The version a device names in its hello is the one pyproject.toml sets."""

from __future__ import annotations

import tomllib
from pathlib import Path

from app.domain.version import app_version

ROOT = Path(__file__).resolve().parents[2]


def test_the_app_version_is_the_one_pyproject_sets() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert app_version() == project["version"]
