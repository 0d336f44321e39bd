"""Crash-safe replacement and best-effort destruction of small files.

A reader sees either the old or the new content of a file, never a torn mix, because the new
content goes to a temporary file in the same directory first and is then renamed over the old one
(the pattern of Electrum's storage.py).

A process killed in the middle of a write leaves its temporary file behind. Those leftovers are
removed later by `remove_leftover_temp_files`, which only takes files with the exact temporary name
pattern that are old and that no live writer holds (see there).
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import secrets
import stat
import sys
import time
from pathlib import Path

if sys.platform != "win32":
    import fcntl

__all__ = [
    "LEFTOVER_MIN_AGE_SECONDS",
    "atomic_write_bytes",
    "destroy_file",
    "is_temp_name",
    "remove_leftover_temp_files",
]

_log = logging.getLogger(__name__)

_CHUNK = 1 << 20
_TOKEN_BYTES = 8
# Exactly what `_temp_path` produces: ".<target name>.<16 hex digits>.tmp".
_TEMP_NAME = re.compile(rf"\.(?P<target>.+)\.[0-9a-f]{{{2 * _TOKEN_BYTES}}}\.tmp")

# A write of our small files takes milliseconds; a temporary file this old whose writer holds no
# lock was left by a process that died. The margin also covers the instant between a writer
# creating its file and locking it, and file systems without locks.
LEFTOVER_MIN_AGE_SECONDS = 300.0


def _temp_path(path: Path) -> Path:
    return path.parent / f".{path.name}.{secrets.token_hex(_TOKEN_BYTES)}.tmp"


def is_temp_name(name: str, target: str | None = None) -> bool:
    """Whether `name` is a temporary file of `atomic_write_bytes` (for the file `target`)."""
    match = _TEMP_NAME.fullmatch(name)
    return match is not None and (target is None or match.group("target") == target)


def atomic_write_bytes(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Replace `path` with `data` so that a crash leaves either the old or the new file.

    The temporary file is created with `mode` already applied, so the content is never readable by
    others, not even for a moment. The temporary file is removed if anything fails before the
    rename.
    """
    directory = path.parent
    tmp = _temp_path(path)
    # O_EXCL: never reuse (or follow a symlink planted at) an existing name.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(tmp, flags, mode)
    replaced = False
    try:
        try:
            _lock_while_writing(fd)
            if hasattr(os, "fchmod"):
                # The umask may have narrowed the mode; the caller asked for exactly this one.
                os.fchmod(fd, mode)
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        replaced = True
        # Without this the rename itself may be lost on power failure, bringing the old file back.
        _fsync_directory(directory)
    except BaseException:
        if not replaced:
            try:
                tmp.unlink()
            except FileNotFoundError:
                pass
            except OSError:
                _log.warning("could not remove a temporary file after a failed write")
        raise


def remove_leftover_temp_files(
    directory: Path,
    *,
    target: str | None = None,
    min_age_seconds: float = LEFTOVER_MIN_AGE_SECONDS,
    now: float | None = None,
) -> int:
    """Destroy temporary files that killed writers left in `directory`; return how many.

    Only regular files with the exact temporary name pattern (for `target`, when given) count, and
    only when their content is at least `min_age_seconds` old and, where the platform has file
    locks, no live writer holds them. A leftover is first renamed away and only then overwritten,
    so a writer that is alive after all can never rename overwritten bytes over its file: its
    rename fails instead, which it reports as an ordinary write error.
    """
    current = time.time() if now is None else now
    removed = 0
    try:
        entries = list(os.scandir(directory))
    except FileNotFoundError:
        return 0
    for entry in entries:
        match = _TEMP_NAME.fullmatch(entry.name)
        if match is None or (target is not None and match.group("target") != target):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue  # its writer renamed it into place, another process removed it, or no access
        if not stat.S_ISREG(info.st_mode):
            continue
        # With no minimum age the time is not compared at all: file times may be coarser than, or
        # run a little ahead of, time.time().
        if min_age_seconds > 0 and current - info.st_mtime < min_age_seconds:
            continue
        claimed = _claim_leftover(Path(entry.path), match.group("target"))
        if claimed is None:
            continue
        try:
            destroy_file(claimed)
        except OSError:
            _log.warning("could not remove a leftover temporary file")
            continue
        removed += 1
    return removed


def _lock_while_writing(fd: int) -> None:
    # The lock tells `remove_leftover_temp_files` in other processes that this file is being
    # written; the OS drops it when the process dies, which is what makes a leftover a leftover.
    if sys.platform == "win32":
        return  # an open file cannot be renamed or deleted there anyway
    # Without locks on this file system (some network mounts) the age rule still applies.
    with contextlib.suppress(OSError):
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _claim_leftover(path: Path, target: str) -> Path | None:
    """Rename a leftover to a fresh name of the same pattern; None if it is not ours to take.

    The fresh name keeps the pattern (and the rename keeps the age), so a leftover that this
    process fails to destroy is found again at the next start.
    """
    claimed = _temp_path(path.parent / target)
    if sys.platform == "win32":
        try:
            os.rename(path, claimed)
        except OSError:
            return None  # gone, or still open in a live writer (Windows refuses the rename)
        return claimed
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None  # gone meanwhile, or not a plain file we may read
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return None  # a live writer holds it
        except OSError:
            pass  # no locks on this file system: the age rule alone decides
        try:
            os.rename(path, claimed)
        except OSError:
            return None
        return claimed
    finally:
        os.close(fd)


def destroy_file(path: Path) -> None:
    """Overwrite the file with random bytes of the same length, fsync it, then delete it.

    A missing file is fine. On SSDs (wear levelling) and copy-on-write or journalling file systems
    (APFS, btrfs, ZFS, snapshots) overwriting in place is only best effort: old blocks may survive.
    That is why the data key is only ever stored wrapped under the passphrase, so a surviving copy
    of the key file is as hard to use as the key file itself.
    """
    try:
        is_link = path.is_symlink()
    except OSError:
        is_link = False
    if not is_link:
        # A symlink would make us overwrite whatever it points to; only the link is removed then.
        try:
            _overwrite_with_random(path)
        except FileNotFoundError:
            return
        except OSError:
            # Deleting is still worth doing when overwriting is impossible (e.g. read-only bits).
            _log.warning("could not overwrite a file before deleting it")
    try:
        path.unlink()
    except FileNotFoundError:
        return
    _fsync_directory(path.parent)


def _overwrite_with_random(path: Path) -> None:
    flags = os.O_WRONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        remaining = os.fstat(fd).st_size
        while remaining > 0:
            chunk = os.urandom(min(remaining, _CHUNK))
            view = memoryview(chunk)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            remaining -= len(chunk)
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_directory(directory: Path) -> None:
    if os.name != "posix":
        # Windows cannot open a directory as a file; NTFS journals the rename itself.
        return
    fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    except OSError as exc:
        # Some file systems (network mounts, FUSE) do not support fsync on directories at all.
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)
