"""The central office console in a real Chromium (Debian's package, driven by Playwright)
against a real server process: sign in with password and TOTP, create a user and a team,
import a file with problems (the dry run, the fix, the apply), reassign clients and see a
laptop's next sync take them away, revoke that laptop and see it wiped. axe-core (shipped in
the axe-playwright-python wheel) checks the main pages; every page is kept as a screenshot in
$VELDWERK_CONSOLE_SCREENSHOTS (default: the test's temporary folder)."""

from __future__ import annotations

import os
import re
import shutil
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pyotp
import pytest
from sqlalchemy import select

from app.demo.caseload import generate_caseload
from app.domain.client import Client
from app.services import sync as sync_service
from app.storage.store import Store
from app.storage.vault import KdfParams
from server.console import screenshots, second_factor
from server.models import clients
from tests.central import Central, central_on
from tests.server.test_import_apply import as_row, csv_bytes, failing_bsn, with_value

playwright_api = pytest.importorskip("playwright.sync_api")
axe_api = pytest.importorskip("axe_playwright_python.sync_playwright")

CHROMIUM = Path("/usr/bin/chromium")
FAST = KdfParams(1024, 1, 1)
PASSPHRASE = "een lange wachtzin voor de browsertest"
ADMIN = "beheer"  # the demo seed's administrator

# CI installs it (scripts/test.sh): there a missing browser fails the run instead.
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() and not os.environ.get("CI"),
    reason="Debian's chromium is not installed (VELDWERK_BROWSER_TESTS=1 scripts/install.sh)",
)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def central(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Central]:
    """A real server process over each backend (PostgreSQL: a database of its own, dropped
    afterwards), as every server test runs on both."""
    with central_on(request.param, tmp_path_factory.mktemp("central"), clients=12, seed=7) as c:
        yield c


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("VELDWERK_CONSOLE_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def page(shots: Path) -> Iterator[Any]:
    with playwright_api.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="nl-NL")
        tab = context.new_page()
        tab.set_default_timeout(15_000)
        try:
            yield tab
        finally:
            context.close()
            browser.close()


class Console:
    """The steps a person takes, with a screenshot of every page seen."""

    def __init__(self, page: Any, url: str, shots: Path) -> None:
        self.page = page
        self.url = url
        self.shots = shots
        self.count = 0

    def open(self, path: str) -> None:
        self.page.goto(f"{self.url}/beheer{path}")

    def shoot(self, name: str) -> None:
        self.count += 1
        self.page.screenshot(path=str(self.shots / f"{self.count:02d}-{name}.png"), full_page=True)

    def text(self) -> str:
        return str(self.page.inner_text("main"))

    def accessible(self, name: str) -> None:
        """axe-core finds nothing on this page (WCAG 2.x A and AA rules, best practices)."""
        results = axe_api.Axe().run(self.page)
        violations = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in results.response["violations"]
        ]
        assert violations == [], f"{name}: {violations}"

    def submit(self, button: str) -> None:
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=button, exact=True).click()


def _enroll(central: Central, home: Path, code: str) -> tuple[Any, Store]:
    profile, store = sync_service.enroll(
        server_url=central.url,
        username="k.dijkstra",
        password=central.passwords["k.dijkstra"],
        code=code,
        passphrase=PASSPHRASE,
        profile_name=f"browser-{uuid.uuid4().hex[:6]}",
        home=home,
        params=FAST,
    )
    return profile, store


def _code(secret: str) -> str:
    # A code is used once: wait for the next step if this one's was used already.
    return str(pyotp.TOTP(secret).now())


def test_central_office_works_through_the_console_in_a_real_browser(
    central: Central, page: Any, shots: Path, tmp_path: Path
) -> None:
    secret, _uri = central.run(second_factor.set_up, username=ADMIN, by="test")
    console = Console(page, central.url, shots)

    console.open("")
    assert page.url.endswith("/beheer/aanmelden?melding=sign_in.expired")
    console.shoot("aanmelden")
    console.accessible("aanmelden")

    # Sign in: password, then the authenticator's code.
    page.get_by_label("Gebruikersnaam").fill(ADMIN)
    page.get_by_label("Wachtwoord").fill(central.passwords[ADMIN])
    console.submit("Verder")
    console.shoot("code")
    page.get_by_label("Code (6 cijfers)").fill(_code(secret))
    console.submit("Aanmelden")
    assert page.url.endswith("/beheer")
    assert "Overzicht" in console.text()
    # Keyboard first: the first Tab reaches the skip link, which then shows; Enter goes to
    # the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    box = page.locator("a.skip").bounding_box()
    assert box is not None and box["x"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhoud"
    console.shoot("overzicht")
    console.accessible("overzicht")

    # A user and a team.
    console.open("/gebruikers")
    page.get_by_label("Gebruikersnaam", exact=True).fill("j.dekker")
    page.get_by_label("Naam", exact=True).fill("J. Dekker")
    page.get_by_label("Rol", exact=True).select_option("caseworker")
    page.get_by_label("Eerste wachtwoord").fill("een goed eerste wachtwoord")
    console.submit("Gebruiker aanmaken")
    assert "Gebruiker j.dekker is aangemaakt." in console.text()
    page.get_by_label("Naam van het team").fill("Zuid")
    console.submit("Team aanmaken")
    assert "Team Zuid is aangemaakt." in console.text()
    console.shoot("gebruikers")
    console.accessible("gebruikers")

    # An import with problems: the dry run names them; the fixed file is applied.
    stored = central.run(lambda session: set(session.scalars(select(clients.c.bsn))))
    fresh = [c for c in _demo_people(seed=41) if c.bsn.value not in stored][:4]
    assert len(fresh) == 4
    good = [as_row(c, "j.dekker") for c in fresh]
    bad = list(good)
    bad[1] = with_value(bad[1], "bsn", failing_bsn(fresh[1].bsn.value))
    bad[2] = with_value(bad[2], "geboortedatum", "31-02-1980")
    wrong_file = tmp_path / "clienten.csv"
    wrong_file.write_bytes(csv_bytes(bad))
    console.open("/import")
    console.accessible("import")
    page.get_by_label("CSV-bestand").set_input_files(str(wrong_file))
    console.submit("Proefdraai bekijken")
    problems = page.locator("#problemen + table tbody tr").all_inner_texts()
    assert [row.split("\t")[:2] for row in problems] == [["3", "bsn"], ["4", "geboortedatum"]]
    assert "Er is niets geïmporteerd" in console.text()
    console.shoot("import-problemen")
    console.accessible("import-problemen")

    fixed = tmp_path / "clienten-hersteld.csv"
    fixed.write_bytes(csv_bytes(good))
    page.locator("#opnieuw-bestand").set_input_files(str(fixed))
    console.submit("Proefdraai bekijken")
    shown = console.text()
    assert "er is nog niets veranderd" in shown and shown.count("Nieuwe cliënt") == 4
    console.shoot("import-proefdraai")
    console.accessible("import-proefdraai")
    page.get_by_label("Hetzelfde CSV-bestand").set_input_files(str(fixed))
    console.submit("Importeren")
    assert "De import is uitgevoerd." in console.text()
    assert re.search(r"/beheer/import/\d+\?", page.url)
    console.shoot("importverslag")

    # k.dijkstra's laptop, enrolled with a code from the console, syncs its caseload.
    console.open("/apparaten")
    page.get_by_label("Voor gebruiker").select_option("k.dijkstra")
    console.submit("Koppelcode maken")
    code = page.locator("p.code").inner_text().strip()
    console.shoot("koppelcode")
    home = tmp_path / "home"
    profile, store = _enroll(central, home, code)
    try:
        sync_service.sync_profile(profile, store)
        held = {c.id for c in store.caseload()}
        assert held

        # Reassign two of them to m.bakker, in the console.
        console.open("/caseload?klantmanager=k.dijkstra")
        console.accessible("caseload")
        boxes = page.locator('input[name="client"]')
        moving = [boxes.nth(i).get_attribute("value") for i in range(2)]
        assert set(moving) <= held
        for i in range(2):
            boxes.nth(i).check()
        page.get_by_label("Aan klantmanager").select_option("m.bakker")
        console.shoot("caseload")
        console.submit("Toewijzen")
        assert "2 cliënt(en) toegewezen aan m.bakker." in console.text()
        console.shoot("caseload-toegewezen")

        report = sync_service.sync_profile(profile, store)
        assert report.purged >= 2
        left = {c.id for c in store.caseload()}
        assert left == held - set(moving)

        # Revoke the laptop: with a confirmation first; its next sync wipes it.
        console.open("/apparaten")
        console.accessible("apparaten")
        console.shoot("apparaten")
        page.get_by_role("link", name=re.compile(r"^Intrekken .*k\.dijkstra")).first.click()
        console.shoot("intrekken")
        console.accessible("intrekken")
        console.submit("Apparaat intrekken")
        assert "is ingetrokken" in console.text()
        with pytest.raises(sync_service.DeviceRevoked):
            sync_service.sync_profile(profile, store)
        assert not profile.path.exists()
    finally:
        if profile.path.exists():
            store.close()
            shutil.rmtree(home, ignore_errors=True)

    # Retention: a legal hold, an erasure request on its clock, carried out after the
    # confirmation; the dry run; the statement and the council figures as downloads.
    first, second = central.run(
        lambda session: [str(i) for i in session.scalars(select(clients.c.id).limit(2))]
    )
    console.open("/bewaren")
    console.shoot("bewaren")
    console.accessible("bewaren")
    page.get_by_role("link", name="Proefdraai bekijken").click()
    assert "er is nog niets veranderd" in console.text()
    console.shoot("bewaren-proefdraai")
    console.accessible("bewaren-proefdraai")
    console.open("/bewaren/bewaarplicht")
    page.get_by_label("Cliënt-id of BSN").fill(first)
    page.get_by_label("Reden").fill("Bezwaarprocedure, zaak 2026-88")
    console.submit("Vastleggen")
    assert f"Bewaarplicht vastgelegd voor cliënt {first}." in console.text()
    console.shoot("bewaarplicht")
    console.accessible("bewaarplicht")
    console.open("/bewaren/verzoeken")
    page.get_by_label("Cliënt-id of BSN").fill(second)
    page.get_by_label("Ontvangen op").fill((date.today() - timedelta(days=10)).isoformat())
    console.submit("Vastleggen")
    assert "Verzoek nr. 1 vastgelegd" in console.text() and second in console.text()
    console.shoot("verzoeken")
    console.accessible("verzoeken")
    page.get_by_role("link", name=re.compile(r"^Uitvoeren")).click()
    console.shoot("verzoek-uitvoeren")
    console.accessible("verzoek-uitvoeren")
    console.submit("Dossier vernietigen")
    assert "Verzoek nr. 1 uitgevoerd" in console.text()
    console.open("/bewaren/verklaringen")
    console.shoot("verklaringen")
    console.accessible("verklaringen")
    with page.expect_download() as statement:
        page.get_by_role("link", name=re.compile(r"^PDF")).click()
    assert Path(statement.value.path()).read_bytes().startswith(b"%PDF")
    console.open("/raadsinformatie")
    console.shoot("raadsinformatie")
    console.accessible("raadsinformatie")
    with page.expect_download() as report:
        page.get_by_role("button", name="PDF-rapport").click()
    assert report.value.suggested_filename.startswith("raadsinformatie-")
    assert Path(report.value.path()).read_bytes().startswith(b"%PDF")

    # The audit log, filtered, and the findings page.
    console.open("/audit?gebruiker=beheer&actie=assign")
    assert console.text().count("assign") >= 2
    console.shoot("audit")
    console.accessible("audit")
    console.open("/signalen")
    console.shoot("signalen")
    console.accessible("signalen")

    # In English on request.
    page.get_by_role("link", name="English").click()
    assert "Late changes" in console.text()
    console.shoot("signalen-en")
    assert len(list(shots.glob("*.png"))) >= console.count


def _demo_people(seed: int) -> tuple[Client, ...]:
    return generate_caseload(
        clients=8, seed=seed, caseworkers=("k.dijkstra", "m.bakker"), team_lead="t.mulder"
    ).clients


def test_the_screenshot_tool_shows_every_page_in_both_languages(tmp_path: Path) -> None:
    taken = screenshots.take(tmp_path / "console")
    names = {path.name.split("-", 2)[2] for path in taken}
    assert {"aanmelden.png", "overzicht.png", "import-problemen.png", "intrekken.png"} <= names
    assert {
        "bewaren.png",
        "bewaren-proefdraai.png",
        "bewaarplicht.png",
        "verzoeken.png",
        "verzoek-uitvoeren.png",
        "verzoek-weigeren.png",
        "verklaringen.png",
        "raadsinformatie.png",
    } <= names
    assert {path.name[:3] for path in taken} == {"nl-", "en-"}
