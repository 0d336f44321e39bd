"""`python -m app.ui.screenshots`: every main screen rendered offscreen from demo data to PNG.

One real run (embedded server, both languages) checks the pictures; the cheap tests check the
parts around it (blank detection, the platform choice, refusing a scale it cannot give). A screen
counts as rendered only once what it shows is there (the household members, the attachments, the
settings dialog, the empty Conflicten page, a returned intake's open thread, the answers a draft
still misses, the team lead's queue, the intake under review with what changed, the team's
figures and late edits), so exit code 0 means every picture has its content.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from app.ui.screenshots import (
    DOSSIER_TABS,
    PLAN_SCREENS,
    SCREENS,
    TEAM_LEAD_SCREENS,
    WAITING_SCREEN,
    expected_size,
    is_single_colour,
    main,
    prepare_environment,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _png_size(path: Path) -> tuple[int, int]:
    """Width and height from the PNG header itself (IHDR is always the first chunk)."""
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE, path
    assert data[12:16] == b"IHDR", path
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def _image(path: Path) -> QImage:
    image = QImage(str(path))
    assert not image.isNull(), path
    return image


def test_every_screen_in_both_languages(
    qapp: QApplication, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home_before = os.environ.get("VELDWERK_HOME")
    tz_before = os.environ.get("TZ")
    out = tmp_path / "shots"

    code = main([str(out), "--all-languages", "--clients", "12"])

    printed = capsys.readouterr()
    assert code == 0, printed.err
    size = expected_size(1.0)
    assert (size.width(), size.height()) == (1366, 768)
    expected = {out / language / f"{name}.png" for language in ("nl", "en") for name in SCREENS}
    # One line per file written, and nothing else in the folders.
    assert {Path(line) for line in printed.out.splitlines()} == expected
    assert set(out.rglob("*")) == expected | {out / "nl", out / "en"}
    for path in expected:
        assert _png_size(path) == (1366, 768), path
        image = _image(path)
        assert (image.width(), image.height()) == (1366, 768)
        assert not is_single_colour(image), path

    # Every tab of the dossier, the settings dialog and an empty state are among them.
    assert DOSSIER_TABS == (
        "07-dossier-huishouden",
        "08-dossier-bezoeken",
        "09-dossier-notities",
        "10-dossier-bijlagen",
        "11-dossier-historie",
    )
    assert {"14-instellingen", "15-conflicten-opgelost"} <= set(SCREENS)
    # The caseworker's Intake tab twice, then the team lead's screens.
    assert SCREENS[15:17] == ("16-dossier-intake", "17-intake-indienen")
    assert TEAM_LEAD_SCREENS == (
        "18-beoordelen",
        "19-beoordelen-intake",
        "20-team",
        "21-team-cijfers",
    )
    assert PLAN_SCREENS == ("22-dossier-plan", "23-plan-tekenen", "24-plan-voorbeeld")
    assert WAITING_SCREEN == SCREENS[-1] == "25-wacht-op-verbinding"
    for language in ("nl", "en"):
        folder = out / language
        caseload = _image(folder / "04-clienten.png")
        assert _image(folder / "06-dossier-overzicht.png") != caseload
        assert _image(folder / "05-clienten-zoeken.png") != caseload
        tabs = [_image(folder / f"{name}.png") for name in ("06-dossier-overzicht", *DOSSIER_TABS)]
        assert all(a != b for i, a in enumerate(tabs) for b in tabs[i + 1 :])
        # The dialog is drawn over Vandaag; the empty Conflicten page is not the full one.
        assert _image(folder / "14-instellingen.png") != _image(folder / "03-vandaag.png")
        assert _image(folder / "15-conflicten-opgelost.png") != _image(folder / "13-conflicten.png")
        # Two intakes of other clients, and four different screens of the team lead.
        intakes = [
            _image(folder / f"{name}.png")
            for name in ("06-dossier-overzicht", "16-dossier-intake", "17-intake-indienen")
        ]
        assert all(a != b for i, a in enumerate(intakes) for b in intakes[i + 1 :])
        lead = [_image(folder / f"{name}.png") for name in TEAM_LEAD_SCREENS]
        assert all(a != b for i, a in enumerate(lead) for b in lead[i + 1 :])
        # The Plan tab, signing over it, and the printed page over it: three pictures.
        plan = [_image(folder / f"{name}.png") for name in PLAN_SCREENS]
        assert all(a != b for i, a in enumerate(plan) for b in plan[i + 1 :])
    # The English pictures are translated, not copies of the Dutch ones.
    for name in (
        "01-ontgrendelen",
        "07-dossier-huishouden",
        "10-dossier-bijlagen",
        "12-synchronisatie",
        "13-conflicten",
        "14-instellingen",
        "15-conflicten-opgelost",
        "16-dossier-intake",
        "17-intake-indienen",
        *TEAM_LEAD_SCREENS,
        *PLAN_SCREENS,
        WAITING_SCREEN,
    ):
        assert _image(out / "en" / f"{name}.png") != _image(out / "nl" / f"{name}.png")

    # The caller's application, environment and credential store are as they were.
    assert os.environ.get("VELDWERK_HOME") == home_before
    assert os.environ.get("TZ") == tz_before
    assert qapp.findChildren(QTranslator, "veldwerk_translator") == []
    assert qapp.property("veldwerk_language") == "nl"
    assert not QApplication.topLevelWidgets() or all(
        not w.isVisible() for w in QApplication.topLevelWidgets()
    )


def test_a_scale_the_running_application_cannot_give_is_refused(
    qapp: QApplication, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert qapp.devicePixelRatio() == 1.0
    out = tmp_path / "shots"

    assert main([str(out), "--scale", "1.5"]) == 1

    assert "--scale 1.5 needs a process of its own" in capsys.readouterr().err
    assert list(out.glob("*.png")) == []


def test_too_few_clients_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(tmp_path), "--clients", "2"]) == 2
    assert "--clients must be at least 4" in capsys.readouterr().err


def test_only_offered_scales_and_languages_are_accepted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for arguments, complaint in (
        (["--scale", "2"], "invalid choice"),
        (["--language", "de"], "invalid choice"),
        (["--language", "en", "--all-languages"], "not allowed with argument"),
    ):
        with pytest.raises(SystemExit) as stopped:
            main([str(tmp_path), *arguments])
        assert stopped.value.code == 2
        assert complaint in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_single_colour_counts_as_blank() -> None:
    image = QImage(64, 32, QImage.Format.Format_ARGB32)
    image.fill(QColor("#f2f4f7"))
    assert is_single_colour(image)
    image.setPixelColor(63, 31, QColor("#1f5f99"))
    assert not is_single_colour(image)


def test_offscreen_unless_a_display_is_there(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")

    headless: dict[str, str] = {"QT_QPA_PLATFORM": "xcb"}
    prepare_environment(1.5, headless)
    assert headless == {"QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": "1.5"}

    unset: dict[str, str] = {"DISPLAY": ":0"}
    prepare_environment(1.0, unset)
    assert unset["QT_QPA_PLATFORM"] == "offscreen"
    assert unset["QT_SCALE_FACTOR"] == "1"

    asked: dict[str, str] = {"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"}
    prepare_environment(1.0, asked)
    assert asked["QT_QPA_PLATFORM"] == "xcb"
