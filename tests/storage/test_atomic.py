from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from app.storage.atomic import atomic_write_bytes, destroy_file


def test_atomic_write_creates_file_with_content(tmp_path: Path) -> None:
    target = tmp_path / "key.json"
    atomic_write_bytes(target, b"first")
    assert target.read_bytes() == b"first"
    assert os.listdir(tmp_path) == ["key.json"]


def test_atomic_write_replaces_content_and_leaves_no_temp_files(tmp_path: Path) -> None:
    target = tmp_path / "key.json"
    target.write_bytes(b"old content that is longer")
    atomic_write_bytes(target, b"new")
    atomic_write_bytes(target, b"newer")
    assert target.read_bytes() == b"newer"
    assert os.listdir(tmp_path) == ["key.json"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_atomic_write_sets_mode_regardless_of_umask(tmp_path: Path) -> None:
    target = tmp_path / "key.json"
    old_umask = os.umask(0o000)
    try:
        atomic_write_bytes(target, b"x")
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600

    atomic_write_bytes(target, b"y", mode=0o640)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_atomic_write_failure_keeps_old_content_and_removes_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "key.json"
    target.write_bytes(b"old")

    def failing_fsync(fd: int) -> None:
        raise OSError("disk on fire")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="disk on fire"):
        atomic_write_bytes(target, b"new")
    monkeypatch.undo()

    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["key.json"]


def test_atomic_write_into_missing_directory_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        atomic_write_bytes(tmp_path / "missing" / "key.json", b"x")


def test_destroy_file_removes_file(tmp_path: Path) -> None:
    target = tmp_path / "key.json"
    target.write_bytes(b"secret wrapped key" * 100)
    destroy_file(target)
    assert not target.exists()
    assert os.listdir(tmp_path) == []


def test_destroy_file_overwrites_before_unlinking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "key.json"
    original = b"MARKER-" * 50
    target.write_bytes(original)
    seen: list[bytes] = []
    real_unlink = Path.unlink

    def spying_unlink(self: Path, missing_ok: bool = False) -> None:
        seen.append(self.read_bytes())
        real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", spying_unlink)
    destroy_file(target)

    assert len(seen) == 1
    assert len(seen[0]) == len(original)
    assert b"MARKER" not in seen[0]
    assert not target.exists()


def test_destroy_file_missing_is_fine(tmp_path: Path) -> None:
    destroy_file(tmp_path / "never-existed")


def test_destroy_file_on_symlink_removes_only_the_link(tmp_path: Path) -> None:
    victim = tmp_path / "other.txt"
    victim.write_bytes(b"keep me")
    link = tmp_path / "key.json"
    try:
        link.symlink_to(victim)
    except OSError:
        pytest.skip("symlinks not available")
    destroy_file(link)
    assert not link.is_symlink()
    assert victim.read_bytes() == b"keep me"
