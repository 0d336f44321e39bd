"""Process hardening at start-up: a crash must never write the key or the caseload to disk.

Call `disable_core_dumps()` first thing in the client's entry point, before a profile is
unlocked. It uses no Qt, so it can run before the application object exists.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys

_log = logging.getLogger(__name__)

_PR_SET_DUMPABLE = 4
_PR_GET_DUMPABLE = 3


def _limit_core_size() -> bool:
    try:
        import resource
    except ImportError:  # Windows: no rlimits
        return False
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        return resource.getrlimit(resource.RLIMIT_CORE) == (0, 0)
    except (ValueError, OSError):
        return False


def _linux_not_dumpable() -> bool:
    """prctl(PR_SET_DUMPABLE, 0): no core dump even if a core pattern pipes to a helper (which
    ignores RLIMIT_CORE), and no ptrace attach or /proc/<pid>/mem reads by other processes of
    the same user."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):
        return False
    prctl.restype = ctypes.c_int
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    if prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
        return False
    return bool(prctl(_PR_GET_DUMPABLE, 0, 0, 0, 0) == 0)


def disable_core_dumps() -> bool:
    """Forbid core dumps of this process where the OS allows it; True when that took effect.

    On Linux both the core size limit and the dumpable flag must be set; on other Unix systems
    the core size limit; on Windows nothing is done (crash dumps there are opt-in per machine)
    and False is returned.
    """
    if sys.platform == "win32":
        return False
    limited = _limit_core_size()
    if sys.platform.startswith("linux"):
        not_dumpable = _linux_not_dumpable()
        if not (limited and not_dumpable):
            _log.warning("core dumps could not be fully disabled")
        return limited and not_dumpable
    if not limited:
        _log.warning("core dumps could not be disabled")
    return limited
