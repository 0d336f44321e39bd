"""`veldwerk --selftest`: the installed command in a clean environment, and what it says when
a check fails."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import selftest
from app.selftest import CHECKS, CheckFailed, Scratch, check_no_plaintext, check_store


def _veldwerk() -> str:
    return str(Path(sys.executable).with_name("veldwerk"))


@pytest.mark.parametrize(
    ("lang", "passed"),
    [("", "Alle 6 controles geslaagd"), ("en_GB.UTF-8", "All 6 checks passed")],
)
def test_the_installed_command_passes_in_a_clean_environment(
    tmp_path: Path, lang: str, passed: str
) -> None:
    """As an installer's check runs it: `env -i` with only a temporary HOME and offscreen Qt
    (and the locale, for the English run). Nothing is left in HOME or the temporary folder."""
    home, temp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    temp.mkdir()
    env = {"HOME": str(home), "TMPDIR": str(temp), "QT_QPA_PLATFORM": "offscreen"}
    if lang:
        env["LANG"] = lang
    result = subprocess.run(
        [_veldwerk(), "--selftest"],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines[:-1]] == ["ok"] * len(CHECKS), result.stdout
    assert lines[-1].startswith(passed)
    assert "Traceback" not in result.stderr
    assert not any(temp.iterdir()), list(temp.iterdir())
    assert [p for p in home.rglob("*") if p.is_file()] == []


def test_a_failing_check_is_reported_with_its_reason_and_the_others_still_run(
    qapp: object,
) -> None:
    seen: list[Path] = []

    def refuses(scratch: Scratch) -> str:
        seen.append(scratch.home)
        raise CheckFailed(scratch.say("de printer zegt nee", "the printer says no"))

    def breaks(_scratch: Scratch) -> str:
        raise RuntimeError("no such plugin")

    def passes(_scratch: Scratch) -> str:
        return "goed"

    out = io.StringIO()
    checks = (("Eén", "One", refuses), ("Twee", "Two", breaks), ("Drie", "Three", passes))
    assert selftest.run("nl", out=out, checks=checks) == 1
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("FOUT") and lines[0].endswith("Eén: de printer zegt nee")
    assert lines[1].startswith("FOUT") and lines[1].endswith("Twee: RuntimeError: no such plugin")
    assert lines[2].startswith("ok") and lines[2].endswith("Drie: goed")
    assert lines[3].startswith("2 van 3 controles mislukt")
    assert seen and not seen[0].exists()  # the scratch folder is gone

    out = io.StringIO()
    assert selftest.run("en", out=out, checks=checks[:1]) == 1
    assert out.getvalue().splitlines()[0].endswith("One: the printer says no")


def test_the_plaintext_check_finds_a_name_left_readable(qapp: object) -> None:
    """The check looks for real: a client's surname written to a file in the profile's folder
    fails it."""

    def leaks(scratch: Scratch) -> str:
        assert scratch.client is not None
        (scratch.home / "crash.log").write_text(f"fout bij {scratch.client.name.surname}\n")
        return "geschreven"

    out = io.StringIO()
    checks = (
        ("Opslag", "Store", check_store),
        ("Lek", "Leak", leaks),
        ("Niets leesbaar", "Nothing readable", check_no_plaintext),
    )
    assert selftest.run("nl", out=out, checks=checks) == 1
    lines = out.getvalue().splitlines()
    assert lines[2].startswith("FOUT")
    assert lines[2].endswith("leesbare persoonsgegevens in crash.log")


def test_the_command_line_names_the_selftest() -> None:
    env = {**os.environ, "LANG": "en_GB.UTF-8"}
    result = subprocess.run(
        [_veldwerk(), "--help"], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0
    assert "--selftest" in result.stdout
