"""Putting a report's files into the operator's folder all at once, or not at all.

Each file is made under a temporary name in the same folder, flushed to disk, and only when all
of them are complete are they renamed into place (the pattern of Electrum's storage: temp file,
fsync, os.replace). On any error the temporary files are removed, so the folder never holds half
a report.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from app.domain.errors import VeldwerkError

__all__ = ["InvalidFolder", "Outputs", "check_folder"]

MODE = 0o644  # figures without personal data, made to be handed on


class InvalidFolder(VeldwerkError):
    def __init__(self) -> None:
        super().__init__(
            "invalid_output",
            "--out: de map bestaat niet of is geen map; er is niets geschreven.",
            "--out: the folder does not exist or is not a folder; nothing was written.",
        )


def check_folder(folder: Path) -> None:
    if not folder.is_dir():
        raise InvalidFolder()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Outputs:
    """Temporary files for one folder, renamed into place together by `commit`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._pending: list[tuple[Path, Path]] = []

    def temporary(self, name: str) -> Path:
        """A fresh path to build the file `name` in (created empty, readable as MODE)."""
        temp = self.folder / f".{name}.{secrets.token_hex(8)}.tmp"
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), MODE)
        os.close(fd)
        self._pending.append((temp, self.folder / name))
        return temp

    def write(self, name: str, data: bytes) -> None:
        temp = self.temporary(name)
        with temp.open("wb") as file:
            file.write(data)

    def build(self, name: str, make: Callable[[Path], None]) -> None:
        """`make` fills the temporary file (a database library that wants a path)."""
        temp = self.temporary(name)
        temp.unlink()  # sqlite-utils makes its own file; the name stays reserved by _pending
        make(temp)

    def commit(self) -> list[Path]:
        for temp, _final in self._pending:
            _fsync(temp)
        for temp, final in self._pending:
            os.replace(temp, final)
        done = [final for _temp, final in self._pending]
        self._pending = []
        if hasattr(os, "O_DIRECTORY"):
            with contextlib.suppress(OSError):
                fd = os.open(self.folder, os.O_RDONLY | os.O_DIRECTORY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
        return done

    def discard(self) -> None:
        for temp, _final in self._pending:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
        self._pending = []
