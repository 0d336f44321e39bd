"""The version of this installation, as `pyproject.toml` gave it to the package (and the
installer's bundle carries the package's metadata), so a release's number is set in one place
and the hello a device sends names it: what the server's minimum app version is checked against."""

from __future__ import annotations

from functools import cache
from importlib.metadata import PackageNotFoundError, version

DISTRIBUTION = "veldwerk"


@cache
def app_version() -> str:
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        # A source tree that was never installed: no release number to claim.
        return "0.0.0"
