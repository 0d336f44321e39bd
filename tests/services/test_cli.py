"""The `veldwerk` command as a user runs it: demo profiles, then a subject-access export."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from app import cli
from app.demo import profiles as demo
from app.storage import vault
from app.storage.profiles import find_profile, list_profiles
from app.storage.store import Store

FAST = vault.KdfParams(1024, 1, 1)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("VELDWERK_HOME", str(home))
    monkeypatch.setenv("LANG", "nl_NL.UTF-8")
    # Calibrating Argon2id to a one-second unlock is right for people and wrong for a test suite.
    monkeypatch.setattr(vault, "calibrate_kdf", lambda **_: FAST)
    return home


def _passphrases(output: str) -> dict[str, str]:
    found = {}
    for line in output.splitlines():
        if "passphrase:" in line:
            found[line.split()[0]] = line.rsplit("passphrase:", 1)[1].strip()
    return found


def _demo(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, str]:
    assert cli.main(["demo", "--headless", "--clients", "40", *args]) == 0
    return _passphrases(capsys.readouterr().out)


def test_demo_creates_both_profiles_with_synced_data(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    passphrases = _demo(capsys)
    assert set(passphrases) == {demo.CASEWORKER_PROFILE, demo.TEAM_LEAD_PROFILE}
    assert [p.name for p in list_profiles(home)] == sorted(passphrases)

    caseworker = find_profile(demo.CASEWORKER_PROFILE, home)
    store: Store = caseworker.unlock(passphrases[demo.CASEWORKER_PROFILE])
    try:
        caseload = store.caseload()
        assert 10 <= len(caseload) <= 30  # about half of 40, the other half is a colleague's
        # Demo data stands for the central office's data: nothing is waiting to be pushed.
        assert store.pending_count() == 0
        assert store.verify_audit() >= 1
    finally:
        store.close()

    lead = find_profile(demo.TEAM_LEAD_PROFILE, home)
    assert lead.info.role == "team_lead"
    lead_store = lead.unlock(passphrases[demo.TEAM_LEAD_PROFILE])
    try:
        assert len(lead_store.caseload()) >= 1
    finally:
        lead_store.close()


def test_demo_refuses_to_overwrite_unless_asked(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _demo(capsys)
    assert cli.main(["demo", "--headless", "--clients", "40"]) == 1
    assert "--replace" in capsys.readouterr().err
    second = _demo(capsys, "--replace")
    assert second.keys() == first.keys()


def test_export_of_one_client(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    passphrases = _demo(capsys)
    profile = find_profile(demo.CASEWORKER_PROFILE, home)
    store = profile.unlock(passphrases[demo.CASEWORKER_PROFILE])
    summary = store.caseload()[0]
    store.close()

    secret = tmp_path / "passphrase.txt"
    secret.write_text(passphrases[demo.CASEWORKER_PROFILE] + "\n", encoding="utf-8")
    output = tmp_path / "export.json"
    code = cli.main(
        [
            "export",
            "--profile",
            demo.CASEWORKER_PROFILE,
            "--client",
            summary.bsn,
            "--format",
            "json",
            "--passphrase-file",
            str(secret),
            "--output",
            str(output),
        ]
    )
    assert code == 0
    assert stat.S_IMODE(output.stat().st_mode) == 0o600
    document = json.loads(output.read_text(encoding="utf-8"))
    assert document["format"] == "veldwerk-subject-access-export"
    [client] = document["records"]["client"]
    assert client["bsn"] == summary.bsn
    assert client["id"] == summary.id
    assert all(r["client_id"] == summary.id for r in document["records"]["visit"])
    assert "export" in [e["action"] for e in document["audit_events"]]

    # The export is audited in the store too.
    store = profile.unlock(passphrases[demo.CASEWORKER_PROFILE])
    try:
        actions = [e.action for e in store.audit_events(client_id=summary.id)]
    finally:
        store.close()
    assert actions.count("export") == 1


def test_export_errors_are_clear(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    passphrases = _demo(capsys)
    secret = tmp_path / "passphrase.txt"
    secret.write_text("niet-de-goede-zin", encoding="utf-8")
    base = ["export", "--profile", demo.CASEWORKER_PROFILE, "--format", "json"]

    assert cli.main([*base, "--client", "111222334", "--passphrase-file", str(secret)]) == 1
    assert "BSN" in capsys.readouterr().err

    assert cli.main([*base, "--client", "111222333", "--passphrase-file", str(secret)]) == 1
    assert "wachtwoordzin" in capsys.readouterr().err.lower()

    secret.write_text(passphrases[demo.CASEWORKER_PROFILE], encoding="utf-8")
    assert cli.main([*base, "--client", "111222333", "--passphrase-file", str(secret)]) == 1
    assert "bestaat niet" in capsys.readouterr().err

    missing = str(tmp_path / "nope.txt")
    assert cli.main([*base, "--client", "111222333", "--passphrase-file", missing]) == 1
    assert "kan niet worden gelezen" in capsys.readouterr().err

    # Two profiles and none chosen: the user is told how to choose.
    assert cli.main(["export", "--client", "111222333", "--passphrase-file", str(secret)]) == 1
    assert "--profile" in capsys.readouterr().err


def test_english_messages(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert cli.main(["export", "--client", "123", "--passphrase-file", "x"]) == 1
    assert "not a valid BSN" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("nl_NL.UTF-8", "lokale wijzigingen versturen en de caseload ophalen"),
        (None, "lokale wijzigingen versturen en de caseload ophalen"),
        ("en_US.UTF-8", "send local changes and fetch the caseload"),
    ],
)
def test_help_follows_the_locale(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    lang: str | None,
    expected: str,
) -> None:
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "LANG"):
        monkeypatch.delenv(name, raising=False)
    if lang is not None:
        monkeypatch.setenv("LANG", lang)

    with pytest.raises(SystemExit):
        cli.main(["--help"])

    assert expected in " ".join(capsys.readouterr().out.split())


def test_installed_command_runs_the_headless_demo(tmp_path: Path) -> None:
    """The real console script, real Argon2id calibration: what a newcomer runs."""
    env = {**os.environ, "VELDWERK_HOME": str(tmp_path / "home"), "LANG": "en_US.UTF-8"}
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "demo", "--headless", "--clients", "20", "--seed", "7"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Demo profiles created in" in result.stdout
    assert len(_passphrases(result.stdout)) == 2
    assert "Traceback" not in result.stderr
