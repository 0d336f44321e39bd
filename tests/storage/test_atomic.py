from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from app.storage import atomic
from app.storage.atomic import (
    LEFTOVER_MIN_AGE_SECONDS,
    atomic_write_bytes,
    destroy_file,
    is_temp_name,
    remove_leftover_temp_files,
)

from .crash_child import Child

HEX = "0123456789abcdef"


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


# ----------------------------------------------------------------------------- leftover temp files


def make_old(path: Path, content: bytes = b"left behind", age: float = 3600.0) -> Path:
    path.write_bytes(content)
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def test_the_temp_name_pattern_is_exactly_what_atomic_write_uses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    used: list[str] = []
    real_replace = os.replace

    def spying_replace(src: str | Path, dst: str | Path) -> None:
        used.append(Path(src).name)
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spying_replace)
    atomic_write_bytes(tmp_path / "key.json", b"x")
    (name,) = used
    assert is_temp_name(name)
    assert is_temp_name(name, "key.json")
    assert not is_temp_name(name, "profile.json")
    assert is_temp_name(f".veldwerk.db.{HEX}.tmp", "veldwerk.db")

    for other in (
        "key.json",
        ".key.json.tmp",
        f"key.json.{HEX}.tmp",
        f".key.json.{HEX.upper()}.tmp",
        f".key.json.{HEX[:-1]}.tmp",
        f".key.json.{HEX}0.tmp",
        f".key.json.{HEX}.tmp.bak",
        f".key.json.{HEX}.temp",
        f".{HEX}.tmp",
        "notes.tmp",
    ):
        assert not is_temp_name(other), other


def test_only_old_leftovers_with_the_exact_pattern_are_removed(tmp_path: Path) -> None:
    old_key = make_old(tmp_path / f".key.json.{HEX}.tmp")
    old_profile = make_old(tmp_path / f".profile.json.{'f' * 16}.tmp")
    young = tmp_path / f".key.json.{'a' * 16}.tmp"
    young.write_bytes(b"being written right now")
    untouched = [
        make_old(tmp_path / "key.json"),
        make_old(tmp_path / ".key.json.tmp"),
        make_old(tmp_path / "notes.tmp"),
        make_old(tmp_path / f".key.json.{HEX.upper()}.tmp"),
        make_old(tmp_path / f"key.json.{HEX}.tmp"),
    ]
    folder = tmp_path / f".sub.{HEX}.tmp"
    folder.mkdir()
    contents = {path: path.read_bytes() for path in [young, *untouched]}

    assert remove_leftover_temp_files(tmp_path) == 2

    assert not old_key.exists() and not old_profile.exists()
    for path, content in contents.items():
        assert path.read_bytes() == content
    assert folder.is_dir()
    assert sorted(os.listdir(tmp_path)) == sorted(p.name for p in [young, *untouched, folder])


def test_the_age_limit_and_the_target_can_be_chosen(tmp_path: Path) -> None:
    key_leftover = tmp_path / f".key.json.{HEX}.tmp"
    key_leftover.write_bytes(b"young")
    other = tmp_path / f".profile.json.{HEX}.tmp"
    other.write_bytes(b"young")
    assert remove_leftover_temp_files(tmp_path, target="key.json") == 0
    assert remove_leftover_temp_files(tmp_path, target="key.json", min_age_seconds=0) == 1
    assert not key_leftover.exists()
    assert other.exists()
    assert remove_leftover_temp_files(tmp_path, now=time.time() + LEFTOVER_MIN_AGE_SECONDS + 1) == 1
    assert os.listdir(tmp_path) == []


def test_a_missing_directory_has_no_leftovers(tmp_path: Path) -> None:
    assert remove_leftover_temp_files(tmp_path / "missing") == 0


def test_a_symlink_with_the_pattern_is_not_followed_or_removed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"keep me")
    link = tmp_path / f".key.json.{HEX}.tmp"
    link.symlink_to(victim)
    assert remove_leftover_temp_files(tmp_path, min_age_seconds=0) == 0
    assert link.is_symlink()
    assert victim.read_bytes() == b"keep me"


def test_leftovers_are_overwritten_before_they_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    leftover = make_old(tmp_path / f".key.json.{HEX}.tmp", b"WRAPPED-KEY" * 20)
    destroyed: list[tuple[str, bytes]] = []
    real_destroy = atomic.destroy_file

    def spying_destroy(path: Path) -> None:
        destroyed.append((path.name, path.read_bytes()))
        real_destroy(path)

    monkeypatch.setattr(atomic, "destroy_file", spying_destroy)
    assert remove_leftover_temp_files(tmp_path) == 1
    ((name, content),) = destroyed
    # Renamed away first (to a fresh name of the same pattern), so a writer that is alive after
    # all cannot rename the overwritten bytes into place; then destroyed like any key material.
    assert name != leftover.name
    assert is_temp_name(name, "key.json")
    assert content == b"WRAPPED-KEY" * 20
    assert os.listdir(tmp_path) == []


def test_a_live_writer_keeps_its_temp_file_until_it_is_killed(tmp_path: Path) -> None:
    target = tmp_path / "key.json"
    target.write_bytes(b"old content")
    with Child("write", "--path", str(target), "--stop-at", "write-1") as child:
        # The child is inside atomic_write_bytes: temporary file written, not yet renamed.
        child.wait_until_stopped("write-1")
        (temp,) = [p for p in tmp_path.iterdir() if p != target]
        assert is_temp_name(temp.name, "key.json")
        if os.name == "posix":
            # Its lock says it is alive, whatever the age.
            assert remove_leftover_temp_files(tmp_path, min_age_seconds=0) == 0
            assert temp.read_bytes() == b"written by the crash child\n"
        child.kill()

    # Killed before the rename: the old content stands, and the leftover is now just that.
    assert target.read_bytes() == b"old content"
    assert temp.exists()
    assert remove_leftover_temp_files(tmp_path, min_age_seconds=0) == 1
    assert os.listdir(tmp_path) == ["key.json"]
    assert target.read_bytes() == b"old content"
