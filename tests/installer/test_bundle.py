"""The installer's one-folder bundle (installer/build.sh): built as a release would be, then
started as an installer's check starts it, in a clean environment with no Python of ours."""

from __future__ import annotations

import os
import subprocess
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUDGET_MB = 250
# What the bundle must not carry (the list): QML/Quick, the virtual keyboard, WebEngine.
UNWANTED = ("Qml", "Quick", "VirtualKeyboard", "virtualkeyboard", "WebEngine", "Qt63D")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("installer")
    result = subprocess.run(
        ["bash", str(ROOT / "installer" / "build.sh"), str(out)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert "largest parts:" in result.stdout
    yield out / "dist" / "veldwerk"


def _files(folder: Path) -> list[Path]:
    # PyInstaller links some libraries into place: a link is not a second copy.
    return [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]


def _selftest_passes(program: Path, scratch: Path) -> None:
    """`program --selftest` as an installer's check runs it: `env -i` with only a temporary
    HOME and TMPDIR and offscreen Qt; every check passes and nothing is left in either."""
    home, temp = scratch / "home", scratch / "tmp"
    home.mkdir()
    temp.mkdir()
    clean = ["env", "-i", f"HOME={home}", f"TMPDIR={temp}", "QT_QPA_PLATFORM=offscreen"]
    result = subprocess.run(
        [*clean, str(program), "--selftest"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=scratch,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 7 and all(line.startswith("ok") for line in lines[:-1]), result.stdout
    assert lines[-1].startswith("Alle 6 controles geslaagd")
    assert _files(home) == [] and _files(temp) == []


def test_the_bundle_passes_its_selftest_in_a_clean_environment(
    bundle: Path, tmp_path: Path
) -> None:
    _selftest_passes(bundle / "veldwerk", tmp_path)


def test_the_bundle_names_the_version_pyproject_sets(bundle: Path) -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    result = subprocess.run(
        [str(bundle / "veldwerk"), "--version"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"HOME": str(bundle.parent), "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"veldwerk {version}"


def test_the_bundled_desktop_client_starts_and_stays_up(bundle: Path, tmp_path: Path) -> None:
    """The window itself (no profile yet: the enrollment wizard), offscreen: every screen's
    module and resource is found in the bundle, or it would stop at once."""
    env = {"HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    with subprocess.Popen(
        [str(bundle / "veldwerk")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as window:
        try:
            window.wait(timeout=6)
        except subprocess.TimeoutExpired:
            window.terminate()
            _out, err = window.communicate(timeout=30)
        else:
            _out, err = window.communicate()
            pytest.fail(f"the client stopped by itself ({window.returncode}): {err[-2000:]}")
    assert "Traceback" not in err and "Error" not in err, err[-2000:]


def test_the_bundle_holds_what_it_needs_and_nothing_it_must_not(bundle: Path) -> None:
    files = _files(bundle)
    names = [str(p.relative_to(bundle)) for p in files]
    size_mb = sum(p.stat().st_size for p in files) / 2**20
    assert size_mb < BUDGET_MB, f"{size_mb:.0f} MB"
    assert not [n for n in names if any(part in n for part in UNWANTED)]
    qt_translations = [n for n in names if "/Qt/translations/" in n]
    assert "_internal/PySide6/Qt/translations/qtbase_nl.qm" in qt_translations
    assert all(n.endswith("_nl.qm") for n in qt_translations), qt_translations
    for needed in (
        "_internal/resources/translations/veldwerk_en.qm",
        "_internal/resources/fonts/DejaVuSans.ttf",
        "_internal/resources/reference/municipalities.json",
        "_internal/app/storage/migrations/env.py",
    ):
        assert needed in names, needed
    assert any(n.startswith("_internal/sqlcipher3/") and n.endswith(".so") for n in names)
    assert any("PySide6/Qt/plugins/platforms/libqxcb.so" in n for n in names)
    assert os.access(bundle / "veldwerk", os.X_OK)


@pytest.fixture(scope="module")
def deb(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("deb")
    result = subprocess.run(
        ["bash", str(ROOT / "installer" / "build_deb.sh"), str(bundle), str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return Path(result.stdout.strip().splitlines()[-1])


def _dpkg_deb(*args: str) -> str:
    return subprocess.run(
        ["dpkg-deb", *args], capture_output=True, text=True, timeout=120, check=True
    ).stdout


def test_the_deb_names_its_version_architecture_and_the_libraries_it_needs(deb: Path) -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    arch = subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert deb.name == f"veldwerk_{version}_{arch}.deb"
    fields = {
        f: _dpkg_deb("-f", str(deb), f).strip() for f in ("Package", "Version", "Architecture")
    }
    assert fields == {"Package": "veldwerk", "Version": version, "Architecture": arch}
    depends = {part.strip() for part in _dpkg_deb("-f", str(deb), "Depends").split(",")}
    for library in ("libxcb-cursor0", "libxkbcommon-x11-0", "libegl1", "libfontconfig1"):
        assert library in depends, depends
    assert "libglib2.0-0 | libglib2.0-0t64" in depends
    assert int(_dpkg_deb("-f", str(deb), "Installed-Size")) > 100_000  # kB


def test_the_deb_installs_under_opt_with_a_command_and_a_menu_entry(
    deb: Path, tmp_path: Path
) -> None:
    listing = _dpkg_deb("-c", str(deb))
    assert "./usr/bin/veldwerk -> /opt/veldwerk/veldwerk" in listing
    for path in (
        "./opt/veldwerk/veldwerk",
        "./opt/veldwerk/_internal/resources/translations/veldwerk_en.qm",
        "./usr/share/applications/veldwerk.desktop",
        "./usr/share/icons/hicolor/scalable/apps/veldwerk.svg",
    ):
        assert path in listing, path
    root = tmp_path / "root"
    _dpkg_deb("-x", str(deb), str(root))
    desktop = (root / "usr/share/applications/veldwerk.desktop").read_text()
    assert "\nExec=veldwerk\n" in desktop and "\nIcon=veldwerk\n" in desktop
    # What was packed still runs: permissions and links survived.
    _selftest_passes(root / "opt/veldwerk/veldwerk", tmp_path)
