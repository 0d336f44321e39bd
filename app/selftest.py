"""`veldwerk --selftest`: does this installation have what a caseworker's laptop needs?

Run after an install (and by the installer's own test on the built bundle), offscreen or on a
screen. Each check prints one line with its time; the exit code is 0 when every check passed,
1 otherwise, with the reason on the failed check's line. The checks use the product's own code
paths on a throwaway profile in a temporary folder: generated demo data, nothing real, and the
folder is removed at the end whatever happened.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO, TypeVar

from app.demo.caseload import generate_caseload
from app.domain.client import Client
from app.domain.plan import ClientPlan
from app.domain.records import Record
from app.services.documents import plan_pdf
from app.storage.profiles import Profile
from app.storage.store import Store

T = TypeVar("T")
PROFILE = "zelftest"
PASSPHRASE = "zelftest: een wachtzin die alleen deze controle kent"
USERNAME = "zelftest"


class CheckFailed(Exception):
    """A check found something wrong; the message says what, in the UI language."""


@dataclass
class Scratch:
    """What the checks hand on to each other: the profile folder, the store, a PDF."""

    home: Path
    language: str
    profile: Profile | None = None
    store: Store | None = None
    client: Client | None = None
    plan: ClientPlan | None = None
    pdf: bytes = b""
    printed: list[Path] = field(default_factory=list)

    def say(self, nl: str, en: str) -> str:
        return nl if self.language == "nl" else en


Check = tuple[str, str, Callable[[Scratch], str]]


def _records_of_one_client() -> tuple[Client, ClientPlan, list[Record]]:
    caseload = generate_caseload(clients=12, seed=7)
    plan = caseload.plans[0]
    client = next(c for c in caseload.clients if c.id == plan.client_id)
    records = [r for r in caseload.all_records() if r.client_id == client.id]
    return client, plan, records


def check_store(scratch: Scratch) -> str:
    client, plan, records = _records_of_one_client()
    profile, store = Profile.create(
        PROFILE, passphrase=PASSPHRASE, username=USERNAME, role="caseworker", home=scratch.home
    )
    with store.transaction() as tx:
        for record in records:
            tx.apply_remote(record, version=1)
    store.close()
    # Open it again from the passphrase, as a caseworker does every morning.
    store = profile.unlock(PASSPHRASE)
    scratch.profile, scratch.store, scratch.client, scratch.plan = profile, store, client, plan
    found = store.get(Client, client.id)
    if found is None or found.name != client.name:
        raise CheckFailed(
            scratch.say(
                "de cliënt die zojuist is opgeslagen, kan niet worden teruggelezen",
                "the client just stored cannot be read back",
            )
        )
    return scratch.say(
        f"{len(records)} records geschreven en teruggelezen",
        f"{len(records)} records written and read back",
    )


def check_no_plaintext(scratch: Scratch) -> str:
    client = _need(scratch.client, scratch)
    # The store is open: what lies in its write-ahead log is scanned too.
    known = [
        client.bsn.value,
        client.name.surname,
        client.address.street,
        client.address.postcode.value,
    ]
    needles = [text.encode("utf-8") for text in known if text and len(text) >= 4]
    files = [path for path in scratch.home.rglob("*") if path.is_file()]
    for path in files:
        data = path.read_bytes()
        for needle in needles:
            if needle in data:
                raise CheckFailed(
                    scratch.say(
                        f"leesbare persoonsgegevens in {path.name}",
                        f"readable personal data in {path.name}",
                    )
                )
    return scratch.say(
        f"{len(files)} bestanden, geen leesbare persoonsgegevens",
        f"{len(files)} files, no readable personal data",
    )


def check_pdf(scratch: Scratch) -> str:
    store, plan = _need(scratch.store, scratch), _need(scratch.plan, scratch)
    scratch.pdf = plan_pdf(store, plan_id=plan.id, caseworker_name="Zelftest")
    if not scratch.pdf.startswith(b"%PDF-"):
        raise CheckFailed(scratch.say("het plan is geen PDF", "the plan is not a PDF"))
    return scratch.say(
        f"cliëntplan, {len(scratch.pdf) // 1024} kB", f"client plan, {len(scratch.pdf) // 1024} kB"
    )


def check_render(scratch: Scratch) -> str:
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QColor

    from app.ui.plan.pdf_preview import pdf_document

    document = pdf_document(scratch.pdf)
    if document is None:
        raise CheckFailed(
            scratch.say("QtPdf kan het plan niet lezen", "QtPdf cannot read the plan")
        )
    try:
        pages = document.pageCount()
        size = document.pagePointSize(0).toSize()
        image = document.render(0, QSize(size.width(), size.height()))
    finally:
        document.close()
    inked = sum(
        1
        for y in range(0, image.height(), 8)
        for x in range(0, image.width(), 8)
        if QColor(image.pixel(x, y)).lightness() < 128
    )
    if image.isNull() or inked == 0:
        raise CheckFailed(
            scratch.say("de eerste pagina blijft leeg", "the first page renders blank")
        )
    return scratch.say(
        f"{pages} pagina's, pagina 1 op {image.width()}x{image.height()}",
        f"{pages} pages, page 1 at {image.width()}x{image.height()}",
    )


def check_print(scratch: Scratch) -> str:
    from PySide6.QtGui import QPageSize
    from PySide6.QtPrintSupport import QPrinter

    from app.ui.plan.printing import print_pdf

    target = scratch.home / "afdruk.pdf"
    scratch.printed.append(target)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(target))
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setResolution(150)  # enough to see it print, quick to make
    pages = print_pdf(scratch.pdf, printer)
    if pages < 1 or not target.exists() or not target.read_bytes().startswith(b"%PDF-"):
        raise CheckFailed(
            scratch.say("afdrukken naar een PDF-bestand mislukte", "printing to a PDF file failed")
        )
    size = target.stat().st_size
    target.unlink()  # a printed plan holds personal data: nothing stays behind
    return scratch.say(
        f"{pages} pagina's via QPrinter ({size // 1024} kB, daarna gewist)",
        f"{pages} pages through QPrinter ({size // 1024} kB, then erased)",
    )


def check_translations(scratch: Scratch) -> str:
    from PySide6.QtCore import QTranslator

    from app.ui.i18n import app_translation_file, qt_translation_file

    found = []
    for path, what in (
        (qt_translation_file("nl"), "Qt (nl)"),
        (app_translation_file("en"), "Veldwerk (en)"),
    ):
        translator = QTranslator()
        if not translator.load(str(path)):
            raise CheckFailed(
                scratch.say(
                    f"vertaling {what} ontbreekt: {path}", f"translation {what} missing: {path}"
                )
            )
        found.append(what)
    return ", ".join(found)


CHECKS: tuple[Check, ...] = (
    ("Versleutelde opslag", "Encrypted store", check_store),
    ("Niets leesbaar op schijf", "Nothing readable on disk", check_no_plaintext),
    ("PDF maken (reportlab)", "PDF made (reportlab)", check_pdf),
    ("PDF tonen (QtPdf)", "PDF shown (QtPdf)", check_render),
    ("Afdrukken (QPrinter)", "Printing (QPrinter)", check_print),
    ("Vertalingen", "Translations", check_translations),
)


def _need(value: T | None, scratch: Scratch) -> T:
    if value is None:
        raise CheckFailed(scratch.say("een eerdere controle mislukte", "an earlier check failed"))
    return value


@contextmanager
def _scratch(language: str) -> Iterator[Scratch]:
    with tempfile.TemporaryDirectory(prefix="veldwerk-zelftest-") as folder:
        scratch = Scratch(Path(folder), language)
        try:
            yield scratch
        finally:
            if scratch.store is not None:
                scratch.store.close()
            if scratch.profile is not None:
                scratch.profile.destroy()
            for path in scratch.printed:
                path.unlink(missing_ok=True)


def run(
    language: str,
    out: TextIO = sys.stdout,
    checks: tuple[Check, ...] = CHECKS,
) -> int:
    """Every check in order, one line each; 0 when all passed."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["veldwerk", "--selftest"])
    del app  # kept alive by Qt; the PDF and printing checks need one
    failed = 0
    started = time.perf_counter()
    with _scratch(language) as scratch:
        for name_nl, name_en, check in checks:
            name = scratch.say(name_nl, name_en)
            began = time.perf_counter()
            try:
                detail, ok = check(scratch), True
            except Exception as error:  # noqa: BLE001 - every failure is reported, then the next
                detail, ok = _reason(error), False
                failed += 1
            took = time.perf_counter() - began
            mark = "ok  " if ok else scratch.say("FOUT", "FAIL")
            print(f"{mark} {took:6.2f} s  {name}: {detail}", file=out, flush=True)
        total = time.perf_counter() - started
        summary = (
            scratch.say(
                f"Alle {len(checks)} controles geslaagd", f"All {len(checks)} checks passed"
            )
            if not failed
            else scratch.say(
                f"{failed} van {len(checks)} controles mislukt",
                f"{failed} of {len(checks)} checks failed",
            )
        )
        print(f"{summary} ({total:.1f} s)", file=out, flush=True)
    return 0 if not failed else 1


def _reason(error: Exception) -> str:
    if isinstance(error, CheckFailed):
        return str(error)
    return f"{type(error).__name__}: {error}"
