"""Crash-safe replacement and best-effort destruction of small files.

A reader sees either the old or the new content of a file, never a torn mix, because the new
content goes to a temporary file in the same directory first and is then renamed over the old one
(the pattern of Electrum's storage.py).
"""

from __future__ import annotations

import errno
import logging
import os
import secrets
from pathlib import Path

__all__ = ["atomic_write_bytes", "destroy_file"]

_log = logging.getLogger(__name__)

_CHUNK = 1 << 20


def atomic_write_bytes(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Replace `path` with `data` so that a crash leaves either the old or the new file.

    The temporary file is created with `mode` already applied, so the content is never readable by
    others, not even for a moment. The temporary file is removed if anything fails before the
    rename.
    """
    directory = path.parent
    tmp = directory / f".{path.name}.{secrets.token_hex(8)}.tmp"
    # O_EXCL: never reuse (or follow a symlink planted at) an existing name.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(tmp, flags, mode)
    replaced = False
    try:
        try:
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
