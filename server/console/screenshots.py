"""`python -m server.console.screenshots OUT`: every console page as a PNG, in Dutch and English,
at 1366×768, from a demo server (demo data only: nothing in it is real).

It starts `veldwerk-server serve` on a free port over a scratch SQLite database filled by the
demo seed, gives the demo administrator a second factor, and drives Debian's Chromium with
Playwright (a test dependency; this is a developer's tool, not part of the running server)."""

from __future__ import annotations

import argparse
import csv
import io
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyotp
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.demo.caseload import generate_caseload
from app.domain.client import Client
from app.domain.local_time import local_today
from server.client_import import EXPORT_HEADER
from server.console import second_factor
from server.crud import devices
from server.db import make_engine, make_sessionmaker, session_scope
from server.migrations.runner import upgrade
from server.models import Device, UniquenessCollision, clients, enrollments
from server.retention import erasure, holds
from server.seed import DEMO_ADMIN, seed_demo

CHROMIUM = "/usr/bin/chromium"


@dataclass(frozen=True)
class Demo:
    url: str
    password: str
    secret: str
    good_file: Path
    bad_file: Path


def _row(client: Client, caseworker: str) -> list[str]:
    address = client.address
    return [
        client.bsn.value,
        client.name.initials,
        client.name.first_names,
        client.name.prefix,
        client.name.surname,
        client.date_of_birth.strftime("%d-%m-%Y"),
        address.street,
        str(address.house_number),
        address.house_number_addition,
        address.postcode.value,
        address.village,
        address.municipality,
        client.phone.value if client.phone else "",
        client.email.value if client.email else "",
        caseworker,
    ]


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(EXPORT_HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _retention(session: Session, ids: list[str]) -> None:
    """A legal hold, open erasure requests and one carried out (so a statement exists), and two
    files whose provisions ended long ago (so the dry run has something to destroy)."""
    now, today = datetime.now(UTC), local_today()
    session.execute(
        update(enrollments)
        .where(enrollments.c.client_id.in_(ids[4:6]))
        .values(end_date="2001-01-31")
    )
    holds.place(session, client=ids[0], reason="Bezwaarprocedure (demo)", by=DEMO_ADMIN, now=now)
    for client_id, days_ago in ((ids[1], 20), (ids[2], 100)):
        erasure.record_request(
            session,
            client=client_id,
            received=today - timedelta(days=days_ago),
            today=today,
            by=DEMO_ADMIN,
            now=now,
        )
    done = erasure.record_request(
        session, client=ids[3], received=today, today=today, by=DEMO_ADMIN, now=now
    )
    erasure.carry_out(session, request_id=done.id, by=DEMO_ADMIN, now=now, today=today)


def _prepare(database_url: str, folder: Path) -> tuple[str, str, Path, Path]:
    engine = make_engine(database_url)
    try:
        upgrade(engine)
        with session_scope(make_sessionmaker(engine)) as session:
            seeded = seed_demo(session, clients=30, seed=17)
            passwords = {name: password for name, _role, password in seeded.accounts}
            secret, _uri = second_factor.set_up(session, username=DEMO_ADMIN, by="screenshots")
            code = devices.issue_enrollment_code(session, username="k.dijkstra", by="screenshots")
            laptop = devices.enroll(
                session,
                username="k.dijkstra",
                password=passwords["k.dijkstra"],
                code=code,
                device_name="LT-HOGELAND-014",
                address="127.0.0.1",
            )
            session.execute(
                update(Device).where(Device.id == laptop.device_id).values(app_version="1.4.2")
            )
            held = session.scalars(select(clients.c.id).limit(1)).one()
            _retention(session, list(session.scalars(select(clients.c.id).limit(6))))
            session.add(
                UniquenessCollision(
                    at=datetime.now(UTC),
                    device_id=laptop.device_id,
                    username="k.dijkstra",
                    entity="client",
                    record_id="00000000-0000-4000-8000-000000000001",
                    field="bsn",
                    existing_client_id=str(held),
                )
            )
    finally:
        engine.dispose()
    people = generate_caseload(
        clients=6, seed=99, caseworkers=("k.dijkstra", "m.bakker"), team_lead="t.mulder"
    ).clients
    good = [_row(person, "m.bakker") for person in people]
    bad = [list(row) for row in good]
    bad[1][0] = bad[1][0][:-1] + str((int(bad[1][0][-1]) + 1) % 10)  # fails the 11-check
    bad[3][5] = "31-02-1980"
    good_file, bad_file = folder / "clienten-hersteld.csv", folder / "clienten.csv"
    good_file.write_bytes(_csv(good))
    bad_file.write_bytes(_csv(bad))
    return passwords[DEMO_ADMIN], secret, good_file, bad_file


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def demo_server() -> Iterator[Demo]:
    with tempfile.TemporaryDirectory(prefix="veldwerk-console-") as scratch:
        folder = Path(scratch)
        database_url = f"sqlite:///{folder / 'demo.db'}"
        password, secret, good_file, bad_file = _prepare(database_url, folder)
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "server.cli", "--database-url", database_url, "serve"]
            + ["--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "VELDWERK_LOG_LEVEL": "WARNING"},
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("the demo server did not start") from None
                    time.sleep(0.1)
            yield Demo(f"http://127.0.0.1:{port}", password, secret, good_file, bad_file)
        finally:
            server.terminate()
            server.wait(timeout=10)


class Camera:
    def __init__(self, page: Any, demo: Demo, out: Path, language: str) -> None:
        self.page, self.demo, self.out, self.language = page, demo, out, language
        self.count = 0

    def go(self, path: str) -> None:
        self.page.goto(f"{self.demo.url}/beheer{path}")

    def shoot(self, name: str) -> None:
        self.count += 1
        target = self.out / f"{self.language}-{self.count:02d}-{name}.png"
        self.page.screenshot(path=str(target), full_page=True)

    def press(self, selector: str) -> None:
        with self.page.expect_navigation():
            self.page.click(selector)


def _code(secret: str, used: set[str]) -> str:
    """A code not used before: each is accepted once, so wait for the next step if need be."""
    while (code := pyotp.TOTP(secret).now()) in used:
        time.sleep(1)
    used.add(code)
    return str(code)


def _tour(camera: Camera, used: set[str]) -> None:
    page, demo = camera.page, camera.demo
    camera.go(f"/taal/{camera.language}?terug=/beheer/aanmelden")
    camera.shoot("aanmelden")
    page.fill("#username", DEMO_ADMIN)
    page.fill("#password", demo.password)
    camera.press("main button[type=submit]")
    camera.shoot("code")
    page.fill("#code", _code(demo.secret, used))
    camera.press("main button[type=submit]")
    camera.shoot("overzicht")
    for path, name in (
        ("/gebruikers", "gebruikers"),
        ("/apparaten", "apparaten"),
        ("/caseload", "caseload"),
        ("/caseload?klantmanager=k.dijkstra", "caseload-klantmanager"),
        ("/signalen", "signalen"),
        ("/audit", "audit"),
        ("/import", "import"),
        ("/bewaren", "bewaren"),
        ("/bewaren/proefdraai", "bewaren-proefdraai"),
        ("/bewaren/bewaarplicht", "bewaarplicht"),
        ("/bewaren/verzoeken", "verzoeken"),
        ("/bewaren/verzoeken?alles=1", "verzoeken-alle"),
        ("/bewaren/verzoeken/1/uitvoeren", "verzoek-uitvoeren"),
        ("/bewaren/verzoeken/2/weigeren", "verzoek-weigeren"),
        ("/bewaren/verklaringen", "verklaringen"),
        ("/raadsinformatie", "raadsinformatie"),
    ):
        camera.go(path)
        camera.shoot(name)
    camera.go("/bewaren/bewaarplicht")
    page.fill("#hold-client", "000000000")
    page.fill("#hold-reason", "Zaak 2026-17")
    camera.press("form[action$='/bewaarplicht'] button")
    camera.shoot("bewaarplicht-fout")
    camera.go("/raadsinformatie")
    page.fill("#period", "2026-H3")
    camera.press("form[action$='/raadsinformatie'] button[value=pdf]")
    camera.shoot("raadsinformatie-fout")
    camera.go("/caseload")
    page.fill("#zoek", "de")
    camera.press("form.search button")
    camera.shoot("caseload-zoeken")
    camera.go("/import")
    page.set_input_files("#bestand", str(demo.bad_file))
    camera.press("main form button")
    camera.shoot("import-problemen")
    page.set_input_files("#opnieuw-bestand", str(demo.good_file))
    camera.press("form[action$='/import/proef'] button")
    camera.shoot("import-proefdraai")
    if camera.language == "nl":  # once: a second import of the same file changes nothing
        page.set_input_files("#bestand", str(demo.good_file))
        camera.press("form[action$='/import/toepassen'] button")
        camera.shoot("importverslag")
    camera.go("/apparaten")
    page.select_option("#code-user", "m.bakker")
    camera.press("form[action$='/koppelcodes'] button")
    camera.shoot("koppelcode")
    camera.go("/apparaten")
    camera.press("main td a")
    camera.shoot("intrekken")
    camera.go("")
    camera.press("form[action$='/afmelden'] button")


def take(out: Path) -> list[Path]:
    """Screenshots of every page, Dutch then English, into `out`; returns the files."""
    from playwright.sync_api import sync_playwright  # a test dependency, needed only here

    out.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    with demo_server() as demo, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            for language in ("nl", "en"):
                # The browser's own words (a date field's placeholder) in the same language.
                locale = "nl-NL" if language == "nl" else "en-GB"
                context = browser.new_context(
                    viewport={"width": 1366, "height": 768}, locale=locale
                )
                _tour(Camera(context.new_page(), demo, out, language), used)
                context.close()
        finally:
            browser.close()
    return sorted(out.glob("*.png"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m server.console.screenshots",
        description="screenshots of every console page, Dutch and English, 1366x768",
    )
    parser.add_argument("out", type=Path, help="folder for the PNG files")
    args = parser.parse_args(argv)
    taken = take(args.out)
    sys.stdout.write(f"{len(taken)} screenshots in {args.out}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
