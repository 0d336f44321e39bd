"""Writing a report to the one path the operator named, and nowhere else.

The content goes to a temporary file in the same folder (readable by the owner only), is flushed
to disk, and only then renamed over the path; on any error the temporary file is removed, so
there is never a half report, nor a stray copy of personal data beside it. `before_rename` runs
between the two: the report's audit entry is committed there, so a report never exists without
its entry (an entry without a report, when the rename itself fails, is the safe side).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from server.access.errors import InvalidOutput

__all__ = ["check_output", "write_report"]


def check_output(path: Path) -> None:
    """Refuse, before anything is done, a path that cannot be written as a file."""
    if not path.parent.is_dir() or path.is_dir():
        raise InvalidOutput()


def write_report(path: Path, data: bytes, *, before_rename: Callable[[], None]) -> None:
    temp = path.parent / f".{path.name}.{secrets.token_hex(8)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(temp, flags, 0o600)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        before_rename()
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise
