"""The demo world the screenshots show (app/ui/screenshots.py renders it; this sets it up).

`start_showcase(folder, clients=N)` starts the embedded central server with the demo caseload
(app/demo/server.py), enrolls the caseworker and the team lead into `folder/home` and a second
device of the same caseworker into `folder/other-device`, and picks what the pictures show: the
richest dossier of the caseworker (household, recorded visits, notes), which gets a few scanned
papers as attachments, and another client for a sync conflict; of the caseworker's intakes one
the team lead returned with open threads (one with an earlier approved intake when there is one)
and a draft (when the caseload has none, one is started and partly filled in); of the team lead's
queue an intake in its second round (what changed since the first). `Showcase.make_conflict(n)`
lets the second device and this one change that client's phone and ladder step differently, so
the next sync on this device finds a real conflict.

A late edit for the team lead's Team page is made the way it happens: the central office gives
one of the caseworker's clients to the other caseworker, and the second device, which still holds
the client, changes its phone number and adds a note and syncs; the server keeps both as orphaned
changes (server/sync/push.py). The client is one the other pictures do not show (not on Vandaag, not
found by the search, not chosen above), the last of the list, so this device's list is one shorter
and otherwise the same; it leaves this device before the pictures are taken.

Nothing in it is real: the caseload comes from the generator, the attachments are generated here.
Every profile uses a cheap key derivation (fake people, and the run must be quick).
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

from app.demo.caseload import DEMO_TODAY
from app.demo.profiles import CASEWORKER, CASEWORKER_PROFILE, OTHER_CASEWORKER, TEAM_LEAD_PROFILE
from app.demo.server import DemoAccount, EmbeddedServer, _server_cli, start_demo
from app.domain.client import Client, HouseholdMember
from app.domain.errors import VeldwerkError
from app.domain.intake_fields import score_field
from app.domain.notes import Note
from app.domain.reference import self_sufficiency_domains
from app.domain.states import IntakeStatus, PlanStatus
from app.domain.values import PhoneNumber
from app.domain.visit import Visit
from app.services.conflicts import list_conflicts, resolve_conflict
from app.services.dossier import add_attachment, add_note, update_client_contact
from app.services.intake import IntakeView, intake_view, save_answers, start_intake
from app.services.plan import PlanView, add_action, plan_view, save_plan, start_plan
from app.services.review import review_queue
from app.services.sync import sync_profile
from app.services.today import today_items
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
    # The caseworker's Intake tab: an intake returned with open threads, and a draft.
    returned_client: str = ""
    draft_client: str = ""
    # The team lead's review screen: an intake waiting in its second round.
    review_client: str = ""
    review_intake: str = ""
    # The client of the late edits on the Team page ("" when no client could be spared).
    orphan_client: str = ""
    # The caseworker's Plan tab: a draft new version of an active plan, with actions.
    plan_client: str = ""

    @property
    def accounts(self) -> list[DemoAccount]:
        """The demo profiles on this device (those the unlock screen lists)."""
        return [self.caseworker, self.team_lead]

    def caseworker_profile(self) -> Profile:
        return find_profile(CASEWORKER_PROFILE, self.home)

    def team_lead_profile(self) -> Profile:
        return find_profile(TEAM_LEAD_PROFILE, self.home)

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
        _choose_intakes(showcase)
        _choose_plan(showcase)
        _choose_review(showcase)
        _make_orphans(showcase)  # before the attachments: see there
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


def _intake_of(store: Store, client_id: str) -> IntakeView:
    return intake_view(store, client_id, today=TODAY)


def _choose_intakes(showcase: Showcase) -> None:
    """Of the caseworker's clients (in list order): the intake returned with open threads, one
    with an earlier approved intake first (the radar shows it as an outline), then one of a client
    the other pictures do not show, then the most open threads; and the draft with the fewest
    answers still missing (the whole list fits), again of another client first. Without a draft,
    one is started for a client the other pictures do not show, one without an intake first (else
    one whose last intake was approved), and partly filled in as a caseworker would, on this
    device: it goes to the office with the next sync."""
    taken = {showcase.dossier_client, showcase.conflict_client}
    store = showcase.caseworker_profile().unlock(showcase.caseworker.passphrase)
    try:
        views = [_intake_of(store, s.id) for s in store.caseload()]

        def status(view: IntakeView) -> IntakeStatus | None:
            return view.intake.status if view.intake is not None else None

        def other(view: IntakeView) -> bool:
            return view.client.id not in taken

        returned = [v for v in views if status(v) is IntakeStatus.RETURNED and v.open_threads]
        if not returned:
            raise ShowcaseError("the caseworker has no returned intake with open threads")
        showcase.returned_client = max(
            returned, key=lambda v: (v.previous is not None, other(v), v.open_threads)
        ).client.id
        drafts = [v for v in views if status(v) is IntakeStatus.DRAFT and v.missing]
        if drafts:
            showcase.draft_client = min(
                drafts, key=lambda v: (not other(v), len(v.missing))
            ).client.id
            return
        free = [
            v
            for v in views
            if other(v)
            and v.client.id != showcase.returned_client
            and status(v) in (None, IntakeStatus.APPROVED)
        ]
        if not free:
            raise ShowcaseError("no client of the caseworker can start an intake")
        chosen = min(free, key=lambda v: status(v) is not None)  # no intake yet, first
        draft = start_intake(store, client_id=chosen.client.id, caseworker=CASEWORKER)
        domains = self_sufficiency_domains(draft.domain_version)
        answers: dict[str, object] = {
            score_field(d.key): score for d, score in zip(domains[:4], (3, 4, 2, 4), strict=False)
        }
        answers["ladder_current"] = 2
        save_answers(store, intake_id=draft.id, values=answers)
        showcase.draft_client = chosen.client.id
    finally:
        store.close()


def _choose_plan(showcase: Showcase) -> None:
    """Of the caseworker's clients not shown elsewhere: a draft version of a plan that replaces
    an active one (the versions list and what changed have something to show), with the most
    actions. Without one, a new version of the richest active plan is started on this device
    as a caseworker would (a goal added, an action agreed): it goes to the office with the next
    sync."""
    taken = {
        showcase.dossier_client,
        showcase.conflict_client,
        showcase.returned_client,
        showcase.draft_client,
    }
    store = showcase.caseworker_profile().unlock(showcase.caseworker.passphrase)
    try:
        views = [plan_view(store, s.id, today=TODAY) for s in store.caseload()]
        with_plans = [v for v in views if v.current is not None and v.current.actions]
        if not with_plans:
            raise ShowcaseError("the caseworker has no plan with actions")

        def richness(view: PlanView) -> tuple[bool, bool, int, int]:
            current = view.current
            assert current is not None
            return (
                view.client.id not in taken,
                current.plan.status is PlanStatus.DRAFT and len(view.versions) > 1,
                len(current.changes),
                len(current.actions),
            )

        chosen = max(with_plans, key=richness)
        showcase.plan_client = chosen.client.id
        current = chosen.current
        assert current is not None
        if current.plan.status is not PlanStatus.DRAFT:
            draft = start_plan(
                store, client_id=chosen.client.id, caseworker=CASEWORKER, today=TODAY
            )
            save_plan(
                store,
                plan_id=draft.id,
                values={"goals": (*draft.goals, "Twee dagdelen per week vrijwilligerswerk.")},
            )
            add_action(
                store,
                plan_id=draft.id,
                description="Kennismakingsgesprek bij het dorpshuis plannen",
                due_date=TODAY + timedelta(days=21),
            )
    finally:
        store.close()


def _choose_review(showcase: Showcase) -> None:
    """Of the team lead's queue: an intake in its second round (or later), one with an earlier
    approved intake first (the radar's outline), then the most answers changed since the round
    returned; without one, the longest waiting intake."""
    store = showcase.team_lead_profile().unlock(showcase.team_lead.passphrase)
    try:
        queue = review_queue(store, today=TODAY)
        if not queue:
            return  # the review screens say so
        again = [item for item in queue if item.round > 1]
        if not again:
            showcase.review_client, showcase.review_intake = queue[0].client_id, queue[0].intake_id
            return

        def richness(item_view: tuple[str, str, IntakeView]) -> tuple[bool, int]:
            view = item_view[2]
            return (view.previous is not None, len(view.changed_since_last_round()))

        views = [
            (
                item.client_id,
                item.intake_id,
                intake_view(store, item.client_id, today=TODAY, intake_id=item.intake_id),
            )
            for item in again
        ]
        showcase.review_client, showcase.review_intake, _view = max(views, key=richness)
    finally:
        store.close()


def _make_orphans(showcase: Showcase) -> None:
    """The late edits of the Team page (see the module note): a client of the caseworker is
    given to the other caseworker at the central office, then the second device, which still
    holds it, changes its phone number, adds a note and syncs. No client to spare: no late edit."""
    shown = {
        showcase.dossier_client,
        showcase.conflict_client,
        showcase.returned_client,
        showcase.draft_client,
        showcase.review_client,
        showcase.plan_client,
    }
    store = showcase.caseworker_profile().unlock(showcase.caseworker.passphrase)
    try:
        today = today_items(store, TODAY, caseworker=CASEWORKER)
        shown |= {v.client_id for village in today.villages for v in village.visits}
        shown |= {item.client_id for item in today.overdue}
        shown |= {s.id for s in store.search(showcase.dossier_search)}
        waiting = {item.client_id for item in review_queue(store, today=TODAY)}
        spare = [s.id for s in store.caseload() if s.id not in shown and s.id not in waiting]
    finally:
        store.close()
    if not spare:
        return
    client_id = spare[-1]
    try:
        _server_cli(showcase.server.database_url, "assign", client_id, OTHER_CASEWORKER)
    except VeldwerkError as exc:
        raise ShowcaseError(f"the client could not be given to {OTHER_CASEWORKER}") from exc
    other = showcase.other_profile()
    store = other.unlock(showcase.other_device.passphrase)
    try:
        update_client_contact(store, client_id=client_id, changes={"phone": "0612987654"})
        add_note(
            store,
            client_id=client_id,
            text="Cliënt gebeld over het huisbezoek van volgende week; afspraak bevestigd.",
        )
        report = sync_profile(other, store)
    finally:
        store.close()
    if report.orphaned < 2:
        raise ShowcaseError("the server did not keep the late edits as orphaned changes")
    showcase.orphan_client = client_id
    # This device lets go of the client now. Its audit record of that (actor "sync") is refused
    # by the server at the next sync, which then reports the device's audit chain as broken;
    # made before the attachments, that next sync is the settling one of `make_conflict`, not
    # the one the pictures show.
    mine = showcase.caseworker_profile()
    store = mine.unlock(showcase.caseworker.passphrase)
    try:
        sync_profile(mine, store)
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
