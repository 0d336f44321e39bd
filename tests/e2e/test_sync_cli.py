"""`veldwerk enroll`, `veldwerk sync` and `veldwerk status` as a caseworker runs them, against a
real server process (the `central` fixture: uvicorn on 127.0.0.1, SQLite and PostgreSQL).

Secrets go in through files (--password-file, --passphrase-file) and the one-time code through
--code, the way a script would; the prompts are tested with a stand-in for getpass.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import socket
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol

import pytest

from app import cli
from app.domain.client import Client
from app.services import sync as sync_service
from app.storage import vault
from app.storage.profiles import find_profile
from app.storage.store import Store
from server.crud import devices

FAST = vault.KdfParams(1024, 1, 1)
PASSPHRASE = "een lange wachtzin voor de cli"
USER = "k.dijkstra"


def _fixtures() -> ModuleType:
    """The `central` fixture lives in tests/e2e/conftest.py once it is shared; until then in
    test_sync_e2e.py. Whichever holds it is used."""
    for name in ("tests.e2e.conftest", "tests.e2e.test_sync_e2e"):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        if hasattr(module, "central"):
            return module
    raise RuntimeError("no `central` fixture in tests/e2e")


_source = _fixtures()
if _source.__name__ != "tests.e2e.conftest":
    # A fixture from a conftest is found by pytest itself; one from a test module is not.
    central = _source.central


class CentralLike(Protocol):
    url: str
    passwords: dict[str, str]

    def code(self, username: str) -> str: ...

    def run(self, fn: object, **kwargs: object) -> object: ...


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("VELDWERK_HOME", str(home))
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "nl_NL.UTF-8")
    # Calibrating Argon2id to a one-second unlock is right for people and wrong for a test suite.
    monkeypatch.setattr(vault, "calibrate_kdf", lambda **_: FAST)
    return home


@dataclasses.dataclass
class Secrets:
    password: Path
    passphrase: Path


@pytest.fixture
def secrets(tmp_path: Path, central: CentralLike) -> Secrets:
    password = tmp_path / "password.txt"
    password.write_text(central.passwords[USER] + "\n", encoding="utf-8")
    passphrase = tmp_path / "passphrase.txt"
    passphrase.write_text(PASSPHRASE + "\n", encoding="utf-8")
    return Secrets(password, passphrase)


Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    def run(*argv: str) -> tuple[int, str, str]:
        code = cli.main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def _enroll(run: Run, central: CentralLike, secrets: Secrets, name: str) -> None:
    code, out, err = run(
        "enroll",
        "--server",
        central.url,
        "--user",
        USER,
        "--profile",
        name,
        "--password-file",
        str(secrets.password),
        "--code",
        central.code(USER),
        "--passphrase-file",
        str(secrets.passphrase),
    )
    assert code == 0, err
    assert f"Profiel {name}" in out


def _status(run: Run, name: str, secrets: Secrets) -> dict[str, Any]:
    code, out, err = run(
        "status", "--profile", name, "--passphrase-file", str(secrets.passphrase), "--json"
    )
    assert code == 0, err
    result: dict[str, Any] = json.loads(out)
    return result


def _counts(out: str) -> dict[str, int]:
    """'verstuurd 1 / ontvangen 20 / ...' -> {'verstuurd': 1, 'ontvangen': 20, ...}"""
    line = next(line for line in out.splitlines() if line.startswith("verstuurd "))
    return {word: int(number) for word, number in (part.split() for part in line.split(" / "))}


def _edit(name: str, *, step: int) -> None:
    """A local edit through the Store: one journal entry waiting to be pushed."""
    store: Store = find_profile(name).unlock(PASSPHRASE)
    try:
        summary = store.caseload()[0]
        client = store.get(Client, summary.id)
        assert client is not None
        store.update(dataclasses.replace(client, participation_step=step))
    finally:
        store.close()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed again when the block ends


def _name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:6]}"


def test_enroll_sync_and_status(
    home: Path, central: CentralLike, secrets: Secrets, run: Run
) -> None:
    name = _name("cli")
    _enroll(run, central, secrets, name)
    before = _status(run, name, secrets)
    assert before["last_sync"] is None and before["pending_entries"] == 0

    code, out, err = run("sync", "--profile", name, "--passphrase-file", str(secrets.passphrase))
    assert code == 0, err
    counts = _counts(out)
    assert counts["verstuurd"] == 0 and counts["ontvangen"] > 0
    assert counts["conflicten"] == 0 and counts["opgeruimd"] == 0
    assert "toegepast 0" in out
    assert "ophalen" in err  # progress goes to stderr

    synced = _status(run, name, secrets)
    assert synced["pending_entries"] == 0
    assert synced["last_sync"] is not None and synced["cursor_age_days"] == 0
    assert synced["open_conflicts"] == 0 and synced["server"] == central.url

    _edit(name, step=4)
    assert _status(run, name, secrets)["pending_entries"] > 0

    code, out, err = run("sync", "--profile", name, "--passphrase-file", str(secrets.passphrase))
    assert code == 0, err
    assert _counts(out)["verstuurd"] == 1
    assert "toegepast 1" in out
    assert "versturen 1/1" in err
    assert _status(run, name, secrets)["pending_entries"] == 0

    code, out, _err = run("status", "--profile", name, "--passphrase-file", str(secrets.passphrase))
    assert code == 0
    assert "Wachtend op verzending:" in out and "Open conflicten:" in out


def test_wrong_passphrase_is_refused_in_dutch(
    home: Path, central: CentralLike, secrets: Secrets, run: Run, tmp_path: Path
) -> None:
    name = _name("wrong")
    _enroll(run, central, secrets, name)
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("dit is niet de goede zin", encoding="utf-8")
    for command in ("sync", "status"):
        code, out, err = run(command, "--profile", name, "--passphrase-file", str(wrong))
        assert code == 1
        assert "Onjuiste wachtwoordzin" in err
        assert out == "" and "Traceback" not in err


def test_unreachable_server_keeps_the_edit(
    home: Path,
    central: CentralLike,
    secrets: Secrets,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    name = _name("away")
    _enroll(run, central, secrets, name)
    assert run("sync", "--profile", name, "--passphrase-file", str(secrets.passphrase))[0] == 0
    _edit(name, step=3)
    store = find_profile(name).unlock(PASSPHRASE)
    try:
        store.set_setting(sync_service.SERVER, f"http://127.0.0.1:{_closed_port()}")
    finally:
        store.close()
    # The transport retries with jittered backoff (seconds in all); the test need not wait.
    real = sync_service.transport_for
    monkeypatch.setattr(
        sync_service, "transport_for", lambda store: real(store, sleep=lambda _s: None)
    )

    code, out, err = run("sync", "--profile", name, "--passphrase-file", str(secrets.passphrase))
    assert code == 1
    assert "niet bereikbaar" in err and "blijven bewaard" in err
    assert "verstuurd" not in out
    assert _status(run, name, secrets)["pending_entries"] == 1


def test_revoked_device_is_wiped(
    home: Path, central: CentralLike, secrets: Secrets, run: Run
) -> None:
    name = _name("gone")
    _enroll(run, central, secrets, name)
    profile = find_profile(name)
    store = profile.unlock(PASSPHRASE)
    device_id = str(store.setting(sync_service.DEVICE))
    store.close()
    central.run(devices.revoke_device, device_id=device_id, by="test")

    code, out, err = run("sync", "--profile", name, "--passphrase-file", str(secrets.passphrase))
    assert code == 1
    assert "ingetrokken" in err and "gewist" in err
    assert not profile.path.exists()


def test_enroll_refuses_a_bad_new_passphrase_before_spending_the_code(
    home: Path,
    central: CentralLike,
    secrets: Secrets,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    one_time = central.code(USER)
    base = ["enroll", "--server", central.url, "--user", USER, "--profile", _name("ask")]

    def answers(*values: str) -> None:
        it: Iterator[str] = iter(values)
        monkeypatch.setattr("getpass.getpass", lambda _prompt="": next(it))

    password = central.passwords[USER]
    answers(password, one_time, PASSPHRASE, PASSPHRASE + "x")
    code, _out, err = run(*base)
    assert code == 1 and "verschillen" in err

    answers(password, one_time, "te kort", "te kort")
    code, _out, err = run(*base)
    assert code == 1 and "minstens 12 tekens" in err

    short = secrets.passphrase.with_name("short.txt")
    short.write_text("kort\n", encoding="utf-8")
    code, _out, err = run(
        *base,
        "--password-file",
        str(secrets.password),
        "--code",
        one_time,
        "--passphrase-file",
        str(short),
    )
    assert code == 1 and "minstens 12 tekens" in err

    # Nothing reached the server: the same one-time code still works, asked at the prompts.
    answers(password, one_time, PASSPHRASE, PASSPHRASE)
    code, out, err = run(*base)
    assert code == 0, err
    assert "aangemeld" in out and password not in out + err and PASSPHRASE not in out + err


def test_english_messages(
    home: Path,
    central: CentralLike,
    secrets: Secrets,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    name = _name("en")
    _enroll_en = run(
        "enroll",
        "--server",
        central.url,
        "--user",
        USER,
        "--profile",
        name,
        "--password-file",
        str(secrets.password),
        "--code",
        central.code(USER),
        "--passphrase-file",
        str(secrets.passphrase),
    )
    assert _enroll_en[0] == 0 and "This device is enrolled" in _enroll_en[1]
    code, out, err = run("sync", "--profile", name, "--passphrase-file", str(secrets.passphrase))
    assert code == 0, err
    assert out.startswith("sent 0 / received ")
    code, out, _err = run("status", "--profile", name, "--passphrase-file", str(secrets.passphrase))
    assert "Pending changes:" in out
