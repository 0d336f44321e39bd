"""The demo world the screenshots show (app/ui/screenshots.py renders it; this sets it up).

`start_showcase(folder, clients=N)` starts the embedded central server with the demo caseload
(app/demo/server.py), enrolls the caseworker and the team lead into `folder/home` and a second
device of the same caseworker into `folder/other-device`, and picks what the pictures show: the
richest dossier of the caseworker (household, recorded visits, notes), which gets a few scanned
papers as attachments, and another client for a sync conflict. `Showcase.make_conflict(n)` lets
the second device and this one change that client's phone and ladder step differently, so the
next sync on this device finds a real conflict.

Nothing in it is real: the caseload comes from the generator, the attachments are generated here.
Every profile uses a cheap key derivation (fake people, and the run must be quick).
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from app.demo.caseload import DEMO_TODAY
from app.demo.profiles import CASEWORKER, CASEWORKER_PROFILE, TEAM_LEAD_PROFILE
from app.demo.server import DemoAccount, EmbeddedServer, start_demo
from app.domain.client import Client, HouseholdMember
from app.domain.notes import Note
from app.domain.values import PhoneNumber
from app.domain.visit import Visit
from app.services.conflicts import list_conflicts, resolve_conflict
from app.services.dossier import add_attachment
from app.services.sync import sync_profile
from app.storage.profiles import Profile, find_profile
from app.storage.store import Store
from app.storage.vault import KdfParams

SEED = 2026  # the demo's own default seed: the same caseload `veldwerk demo` shows
TODAY = DEMO_TODAY  # the day the demo caseload is generated around
MIN_CLIENTS = 4  # two caseworkers share the caseload; ours needs two clients
# Fake people behind a passphrase nobody needs to guess: a cheap key derivation keeps it quick.
FAST_KDF = KdfParams(1024, 1, 1)
OTHER_DEVICE = "demo-caseworker-laptop-2"

Progress = Callable[[str], None]


class ShowcaseError(Exception):
    """The demo world could not be set up as the pictures need it; the message says why."""


@dataclass
class Showcase:
    """The embedded server, the two profiles on "this device" and a second caseworker device."""

    server: EmbeddedServer
    home: Path
    caseworker: DemoAccount
    team_lead: DemoAccount
    other_device: DemoAccount
    other_home: Path
    kdf_params: KdfParams = FAST_KDF
    dossier_client: str = ""
    # What a user types in Cliënten to find the dossier client: the start of the surname.
    dossier_search: str = ""
    conflict_client: str = ""
    attachments: tuple[str, ...] = ()

    @property
    def accounts(self) -> list[DemoAccount]:
        """The demo profiles on this device (those the unlock screen lists)."""
        return [self.caseworker, self.team_lead]

    def caseworker_profile(self) -> Profile:
        return find_profile(CASEWORKER_PROFILE, self.home)

    def other_profile(self) -> Profile:
        return find_profile(OTHER_DEVICE, self.other_home)

    def stop(self) -> None:
        self.server.stop()

    def make_conflict(self, round_number: int) -> None:
        """The second device changes a client's phone and ladder step and syncs; this device
        changes the same fields differently and has not synced since: its next sync finds the
        conflict.

        What an earlier round left on this device is settled first (open conflicts resolved as
        "theirs", the note typed then sent), so every round's sync sends one change, receives
        one and finds one conflict."""
        mine = self.caseworker_profile()
        store = mine.unlock(self.caseworker.passphrase)
        try:
            for conflict in list_conflicts(store):
                resolve_conflict(store, conflict.id, choice="theirs")
            sync_profile(mine, store)
        finally:
            store.close()

        other = self.other_profile()
        store = other.unlock(self.other_device.passphrase)
        try:
            sync_profile(other, store)
            before = _client(store, self.conflict_client)
            office_step = next(s for s in range(1, 7) if s != before.participation_step)
            store.update(
                replace(
                    before,
                    phone=PhoneNumber(f"059524187{round_number % 10}"),
                    participation_step=office_step,
                )
            )
            sync_profile(other, store)
        finally:
            store.close()

        store = mine.unlock(self.caseworker.passphrase)
        try:
            before = _client(store, self.conflict_client)
            my_step = next(
                s for s in range(1, 7) if s not in (before.participation_step, office_step)
            )
            store.update(
                replace(
                    before,
                    phone=PhoneNumber(f"061234567{round_number % 10}"),
                    participation_step=my_step,
                )
            )
        finally:
            store.close()


def start_showcase(
    folder: Path,
    *,
    clients: int,
    seed: int = SEED,
    progress: Progress = lambda _message: None,
) -> Showcase:
    """Start the embedded server with the demo data and enroll the devices (as `veldwerk demo`
    does, plus a second device of the caseworker) under `folder`; the caller stops it."""
    if clients < MIN_CLIENTS:
        raise ShowcaseError(f"the showcase needs at least {MIN_CLIENTS} clients")
    home = folder / "home"
    other_home = folder / "other-device"
    server = start_demo(clients=clients, seed=seed, home=home, params=FAST_KDF, progress=progress)
    try:
        accounts = {account.profile_name: account for account in server.accounts}
        progress(f"Enrolling {OTHER_DEVICE}, a second device of the caseworker")
        other = server.enroll(
            CASEWORKER, profile_name=OTHER_DEVICE, home=other_home, params=FAST_KDF
        )
        showcase = Showcase(
            server=server,
            home=home,
            caseworker=accounts[CASEWORKER_PROFILE],
            team_lead=accounts[TEAM_LEAD_PROFILE],
            other_device=other,
            other_home=other_home,
        )
        _choose_clients(showcase)
        _add_attachments(showcase)
        return showcase
    except BaseException:
        server.stop()
        raise


# ------------------------------------------------------------------------------ the set-up


def _client(store: Store, client_id: str) -> Client:
    found = store.get(Client, client_id)
    if found is None:
        raise ShowcaseError("a chosen client is missing from a device")
    return found


def _choose_clients(showcase: Showcase) -> None:
    """The dossier to show: the richest one (household, recorded visits, notes); the conflict:
    another client."""
    store = showcase.caseworker_profile().unlock(showcase.caseworker.passphrase)
    try:
        ids = [summary.id for summary in store.caseload()]
        if len(ids) < 2:
            raise ShowcaseError("the caseworker needs at least two clients; use more clients")

        def richness(client_id: str) -> tuple[bool, bool, bool, int, int]:
            household = store.for_client(HouseholdMember, client_id)
            visits = store.for_client(Visit, client_id)
            notes = store.for_client(Note, client_id)
            recorded = any(v.notes for v in visits)
            # A household of two or three fills the Huishouden tab without crowding it.
            return (
                bool(household),
                recorded,
                bool(notes),
                min(len(household), 3),
                len(visits) + len(notes),
            )

        showcase.dossier_client = max(ids, key=richness)
        showcase.conflict_client = next(i for i in ids if i != showcase.dossier_client)
        surname = _client(store, showcase.dossier_client).name.surname
        words = re.findall(r"\w+", surname)
        showcase.dossier_search = (words[0] if words else surname)[:4].lower()
    finally:
        store.close()


def _add_attachments(showcase: Showcase) -> None:
    """Scanned papers in the dossier, added on this device as the caseworker would; they go to
    the central office with the next sync."""
    store = showcase.caseworker_profile().unlock(showcase.caseworker.passphrase)
    try:
        for name, data in _papers():
            add_attachment(store, showcase.dossier_client, name, data)
        showcase.attachments = tuple(name for name, _data in _papers())
    finally:
        store.close()


# ------------------------------------------------------------------------------ the papers


def _papers() -> list[tuple[str, bytes]]:
    """Generic papers a client hands over at a home visit: no names, no numbers of anyone."""
    return [
        (
            "Huurovereenkomst.pdf",
            _letter(
                "Huurovereenkomst woonruimte",
                (
                    "Huurder: zie dossier",
                    "Ingangsdatum: 1 maart 2025",
                    "Kale huur per maand: € 612,40",
                    "Servicekosten per maand: € 38,00",
                ),
            ),
        ),
        (
            "Loonstrook oktober 2026.pdf",
            _letter(
                "Salarisspecificatie oktober 2026",
                (
                    "Gewerkte uren: 64",
                    "Bruto loon: € 1.021,76",
                    "Netto uit te betalen: € 912,30",
                ),
            ),
        ),
        (
            "Brief budgetcoach.pdf",
            _letter(
                "Afspraken budgetbeheer",
                (
                    "Vaste lasten worden vanaf de eerste van de maand betaald.",
                    "Leefgeld: € 60,00 per week.",
                    "Evaluatie na drie maanden.",
                ),
            ),
        ),
        ("Foto meterstanden.png", _png(96, 64)),
    ]


def _letter(title: str, lines: tuple[str, ...]) -> bytes:
    """A one-page A4 PDF with a title and a few lines, in the standard Helvetica (every PDF
    reader has it, so nothing is embedded). Written by hand: a few objects and their offsets."""

    def text(x: int, y: int, size: int, font: str, words: str) -> bytes:
        escaped = words.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return (
            f"BT /{font} {size} Tf {x} {y} Td (".encode() + escaped.encode("cp1252") + b") Tj ET\n"
        )

    content = text(72, 746, 14, "F2", title)
    for number, line in enumerate(lines):
        content += text(72, 710 - 18 * number, 11, "F1", line)
    content += text(
        72, 48, 8, "F1", "Voorbeelddocument voor de demo van Veldwerk; geen echte gegevens."
    )
    font = "<< /Type /Font /Subtype /Type1 /BaseFont /{} /Encoding /WinAnsiEncoding >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
        font.format("Helvetica").encode(),
        font.format("Helvetica-Bold").encode(),
    ]
    pdf = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return pdf


def _png(width: int, height: int) -> bytes:
    """A small greyish picture (a gradient), written without an imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(
        b"\x00" + bytes(v for x in range(width) for v in (150 + x // 2, 160 + y, 170))
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
