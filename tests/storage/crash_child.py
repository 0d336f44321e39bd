"""A process for the kill tests to kill: it unlocks a profile (or writes one file) and stops at a
named point, announces it, and waits there until the test SIGKILLs it.

The test side is `Child`. The child side runs as a script:

    python crash_child.py unlock --home H --profile NAME --time T --counter FILE --stop-at POINT
    python crash_child.py write --path FILE --stop-at POINT

`unlock` reads the passphrase from the first line of stdin (never argv, which `ps` shows). The
fake time `T` stands in for the clock, so the delay between attempts is the test's to control.
Stop points, where the key file writes are numbered from 1 within this process:

    derive      inside the key derivation, before it runs
    verdict     right after the derivation, before its verdict is recorded
    write-N     inside the N-th write of the key file (for `write`: of the file): the temporary
                file is written and fsynced, not yet renamed into place
    written-N   right after the N-th write of the key file completed
    none        no stop: print the outcome as one JSON line and exit

At a stop the child prints `stopped POINT` and blocks reading stdin, so it is still inside the
unlock when it is killed: no sleeps, and nothing in the product knows about this. If stdin ends
instead (the test process died), the child exits without finishing.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import queue
import signal
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

SCRIPT = Path(__file__).resolve()
TIMEOUT = 60.0  # seconds for a child to reach its stop point or to end; generous for slow CI


class FileAttemptCounter:
    """Stands in for the OS credential store across processes: the count in a small file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def get(self) -> int:
        try:
            return int(self.path.read_text(encoding="ascii"))
        except FileNotFoundError:
            return 0

    def set(self, value: int) -> None:
        from app.storage.atomic import atomic_write_bytes

        atomic_write_bytes(self.path, str(value).encode("ascii"))

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


# ------------------------------------------------------------------------------------ test side


class Child:
    """A running `crash_child.py`; use as a context manager so it never outlives its test."""

    def __init__(self, *args: str, stdin_line: str = "") -> None:
        env = dict(os.environ)
        # Keep any real OS credential store out of it; the tests pass their own counter.
        env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
        self._proc = subprocess.Popen(
            [sys.executable, str(SCRIPT), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert self._proc.stdin is not None
        # stdin stays open: the child blocks on it at its stop point.
        self._proc.stdin.write(stdin_line + "\n")
        self._proc.stdin.flush()
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read_stdout, daemon=True)
        self._reader.start()

    def _read_stdout(self) -> None:
        assert self._proc.stdout is not None
        for line in self._proc.stdout:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def next_line(self) -> str:
        """The child's next line of output, waiting at most TIMEOUT for it."""
        try:
            line = self._lines.get(timeout=TIMEOUT)
        except queue.Empty:
            raise AssertionError(f"the child said nothing within {TIMEOUT} s") from None
        if line is None:
            self._proc.wait(timeout=TIMEOUT)
            assert self._proc.stderr is not None
            raise AssertionError(
                f"the child ended (rc={self._proc.returncode}) without a line: "
                + self._proc.stderr.read()
            )
        return line

    def wait_until_stopped(self, point: str) -> None:
        assert self.next_line() == f"stopped {point}"

    def outcome(self) -> dict[str, Any]:
        """The JSON outcome of a child run with `--stop-at none`, after it has exited."""
        document: dict[str, Any] = json.loads(self.next_line())
        assert self._proc.wait(timeout=TIMEOUT) == 0
        return document

    def kill(self) -> None:
        """SIGKILL the child (as the crash soak does) and wait until it is gone."""
        self._proc.kill()
        returncode = self._proc.wait(timeout=TIMEOUT)
        if os.name == "posix":
            assert returncode == -signal.SIGKILL

    def __enter__(self) -> Child:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait(timeout=TIMEOUT)
        for pipe in (self._proc.stdin, self._proc.stdout, self._proc.stderr):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()
        self._reader.join(timeout=TIMEOUT)


# ----------------------------------------------------------------------------------- child side


def _stop(point: str) -> None:
    sys.stdout.write(f"stopped {point}\n")
    sys.stdout.flush()
    sys.stdin.read()  # the test kills us while we wait here
    os._exit(70)  # stdin ended: the test is gone; never go on with a half-observed unlock


def _install_write_stops(stop_at: str, target: Path) -> None:
    """Patch the write path (in this child only) so that `write-N` and `written-N` stop."""
    from app.storage import atomic, vault

    real_write = atomic.atomic_write_bytes
    real_fsync = os.fsync
    state = {"writes": 0, "inside": 0}

    def write(path: Path, data: bytes, mode: int = 0o600) -> None:
        if Path(path) != target:
            real_write(path, data, mode)
            return
        state["writes"] += 1
        state["inside"] = state["writes"]
        try:
            real_write(path, data, mode)
        finally:
            state["inside"] = 0
        if stop_at == f"written-{state['writes']}":
            _stop(stop_at)

    def fsync(fd: int) -> None:
        real_fsync(fd)
        # The regular file fsynced inside a write is its temporary file, before the rename.
        inside = state["inside"]
        if inside and stop_at == f"write-{inside}" and stat.S_ISREG(os.fstat(fd).st_mode):
            _stop(stop_at)

    # setattr: these replace module functions in this child process only, like monkeypatch.
    setattr(vault, "atomic_write_bytes", write)  # noqa: B010
    setattr(atomic, "atomic_write_bytes", write)  # noqa: B010
    setattr(os, "fsync", fsync)  # noqa: B010


def _unlock(args: argparse.Namespace) -> None:
    from app.domain.errors import VeldwerkError
    from app.storage import vault
    from app.storage.profiles import find_profile
    from app.storage.vault import KdfParams, UnlockDelayed, WrongPassphrase

    passphrase = sys.stdin.readline().rstrip("\n")
    profile = find_profile(args.profile, Path(args.home))
    _install_write_stops(args.stop_at, profile.key_path)

    real_derive: Callable[[str, bytes, KdfParams], bytes] = vault._derive_kek

    def derive(secret: str, salt: bytes, params: KdfParams) -> bytes:
        if args.stop_at == "derive":
            _stop("derive")
        kek = real_derive(secret, salt, params)
        if args.stop_at == "verdict":
            _stop("verdict")
        return kek

    setattr(vault, "_derive_kek", derive)  # noqa: B010
    fixed_time = float(args.time)
    unlocking = profile.vault(
        counter=FileAttemptCounter(Path(args.counter)), clock=lambda: fixed_time
    )
    outcome: dict[str, Any]
    try:
        store = profile.unlock(passphrase, vault=unlocking)
    except WrongPassphrase as exc:
        outcome = {"outcome": exc.code, "remaining_attempts": exc.remaining_attempts}
    except UnlockDelayed as exc:
        outcome = {"outcome": exc.code, "seconds_remaining": exc.seconds_remaining}
    except VeldwerkError as exc:
        outcome = {"outcome": exc.code}
    else:
        store.close()
        outcome = {"outcome": "unlocked"}
    print(json.dumps(outcome), flush=True)


def _write(args: argparse.Namespace) -> None:
    from app.storage import atomic

    target = Path(args.path)
    _install_write_stops(args.stop_at, target)
    atomic.atomic_write_bytes(target, b"written by the crash child\n")
    print(json.dumps({"outcome": "written"}), flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    unlock = commands.add_parser("unlock")
    unlock.add_argument("--home", required=True)
    unlock.add_argument("--profile", required=True)
    unlock.add_argument("--time", required=True)
    unlock.add_argument("--counter", required=True)
    unlock.add_argument("--stop-at", required=True)
    write = commands.add_parser("write")
    write.add_argument("--path", required=True)
    write.add_argument("--stop-at", required=True)
    args = parser.parse_args(argv)
    if args.command == "unlock":
        _unlock(args)
    else:
        _write(args)


if __name__ == "__main__":
    main()
