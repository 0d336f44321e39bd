"""The access report the client receives: the letterhead of the plan, the client and the period,
every access with who did it, page numbers, and only embedded fonts. Invented people only."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from app.reports import AccessReportDocument, AccessRow, DocumentMeta, Party, access_report_pdf
from app.reports.access_report import NOTHING, TITLE
from tests.reports.pdf_tools import PdfFile, flat
from tests.reports.samples import CLIENT_NAME, CONTENT_HASH, DAY

USERS = ("Femke Spijkerman-Doornbos", "Sjoerd de Boer", "cli:beheerder")


def _row(n: int) -> AccessRow:
    who = USERS[n % len(USERS)]
    return AccessRow(
        moment=f"{1 + n % 28:02d}-11-2026 {8 + n % 10:02d}:15",
        category=("Inzien", "Wijzigen", "Exporteren")[n % 3],
        what=("Dossier geopend", "Notitie toegevoegd", "Cliëntgegevens geëxporteerd")[n % 3],
        who=who,
        role="Beheer centrale server" if who.startswith("cli:") else "Klantmanager",
        on_behalf_of="Team Noord" if not who.startswith("cli:") else who,
        device="laptop van Femke" if n % 2 else "Centrale server",
    )


def sample_access(rows: int = 6) -> AccessReportDocument:
    return AccessReportDocument(
        meta=DocumentMeta(
            municipality="Het Hogeland",
            document_date=DAY,
            reference="8f1c2d3e-0000-4000-8000-000000000417",
            author="Werk, Inkomen en Zorg",
            content_hash=CONTENT_HASH,
        ),
        client=Party(name=CLIENT_NAME, lines=("BSN ******782",)),
        period="01-11-2026 t/m 30-11-2026",
        rows=tuple(_row(n) for n in range(rows)),
    )


@pytest.fixture(scope="module")
def access_pdf(tmp_path_factory: pytest.TempPathFactory) -> PdfFile:
    return PdfFile.write(access_report_pdf(sample_access()), tmp_path_factory.mktemp("access"))


def test_the_report_names_the_client_the_period_and_every_user(access_pdf: PdfFile) -> None:
    assert access_pdf.info()["Pages"] == "1"
    text = flat(access_pdf.text())
    for expected in (
        "Gemeente Het Hogeland",  # the plan's letterhead
        "Werk, Inkomen en Zorg",
        TITLE,
        CLIENT_NAME,
        "BSN ******782",
        "Periode 01-11-2026 t/m 30-11-2026",
        "Datum 22-11-2026",  # the day it was printed
        "Aantal keer 6",
        "Wanneer Wat Door Namens Apparaat",
        "01-11-2026 08:15 Inzien Dossier geopend Femke Spijkerman-Doornbos Klantmanager Team Noord",
        "Cliëntgegevens geëxporteerd",
        "Team Noord",
        "laptop van Femke",
        "Centrale server",
        "Pagina 1 van 1",
        "Kenmerk 3fa9c2d41b07",
    ):
        assert expected in text, expected
    for user in USERS:
        assert user in text, user


def test_fonts_are_embedded_and_the_metadata_is_dutch(access_pdf: PdfFile) -> None:
    fonts = access_pdf.fonts()
    assert fonts and all(f.embedded and "DejaVuSans" in f.name for f in fonts), fonts
    assert b"Helvetica" not in access_pdf.path.read_bytes()
    info = access_pdf.info()
    assert info["Title"] == TITLE
    assert info["Author"] == "Werk, Inkomen en Zorg"


def test_a_long_report_repeats_the_header_and_numbers_its_pages(tmp_path: Path) -> None:
    pdf = PdfFile.write(access_report_pdf(sample_access(rows=120)), tmp_path)
    pages = int(pdf.info()["Pages"])
    assert pages >= 3
    texts = [flat(t) for t in pdf.pages_text()]
    for number, page in enumerate(texts, start=1):
        assert f"Pagina {number} van {pages}" in page
        if number > 1:
            assert "Toegang tot uw dossier" in page  # the running header of later pages
    assert all("Wanneer Wat Door Namens Apparaat" in page for page in texts[:-1])  # repeated


def test_a_period_without_access_says_so(tmp_path: Path) -> None:
    doc = replace(sample_access(), rows=())
    text = flat(PdfFile.write(access_report_pdf(doc), tmp_path).text())
    assert NOTHING in text and "Aantal keer 0" in text
    assert "Wanneer Wat Door" not in text
