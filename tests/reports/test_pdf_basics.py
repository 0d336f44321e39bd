"""What every document shares: embedded fonts only, metadata, language, the letterhead."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from app.reports import client_plan_pdf, letterhead_for, visit_report_pdf, wmo_report_pdf
from tests.reports.pdf_tools import PdfFile, flat
from tests.reports.samples import sample_meta, sample_plan, sample_visit, sample_wmo

MUNICIPALITIES = ("Het Hogeland", "Bedum", "De Marne", "Winsum", "Eemsmond")


@pytest.fixture(params=["plan", "visit", "wmo"])
def any_pdf(request: pytest.FixtureRequest) -> PdfFile:
    return request.getfixturevalue(f"{request.param}_pdf")  # type: ignore[no-any-return]


def test_every_font_is_embedded_dejavu_and_none_is_helvetica(any_pdf: PdfFile) -> None:
    fonts = any_pdf.fonts()
    assert fonts
    for font in fonts:
        assert font.embedded, font
        assert "DejaVuSans" in font.name, font
        assert font.type.startswith("TrueType"), font
    assert b"Helvetica" not in any_pdf.path.read_bytes()


def test_the_language_is_dutch(any_pdf: PdfFile) -> None:
    # The catalog is written uncompressed by reportlab.
    assert re.search(rb"/Lang \(nl-NL\)", any_pdf.path.read_bytes())


@pytest.mark.parametrize(
    ("name", "title", "author", "subject"),
    [
        (
            "plan",
            "Plan van aanpak",
            "Femke Spijkerman-Doornbos",
            "Plan van aanpak (artikel 44a Participatiewet)",
        ),
        ("visit", "Verslag huisbezoek", "Femke Spijkerman-Doornbos", "Verslag van een huisbezoek"),
        (
            "wmo",
            "Verslag Wmo-onderzoek",
            "Sjoerd de Boer",
            "Verslag van het onderzoek (artikel 2.3.2 Wet maatschappelijke ondersteuning 2015)",
        ),
    ],
)
def test_metadata(
    request: pytest.FixtureRequest, name: str, title: str, author: str, subject: str
) -> None:
    pdf: PdfFile = request.getfixturevalue(f"{name}_pdf")
    info = pdf.info()
    assert info["Title"] == title
    assert info["Author"] == author
    assert info["Subject"] == subject
    assert info["Creator"] == "Veldwerk"
    assert info["Page size"].startswith("595.276 x 841.89")  # A4


@pytest.mark.parametrize("municipality", MUNICIPALITIES)
def test_each_municipality_has_a_complete_letterhead(municipality: str) -> None:
    head = letterhead_for(municipality)
    assert head.municipality == municipality
    assert head.display_name == f"Gemeente {municipality}"
    assert head.sender == "Werk, Inkomen en Zorg"
    assert head.postal_address and head.phone and head.website
    assert re.fullmatch(r"#[0-9A-F]{6}", head.accent)


def test_a_plan_prints_the_letterhead_of_its_own_municipality(tmp_path: Path) -> None:
    bedum = flat(PdfFile.write(client_plan_pdf(sample_plan("Bedum")), tmp_path).text())
    hogeland = flat(PdfFile.write(client_plan_pdf(sample_plan("Het Hogeland")), tmp_path).text())
    assert "Gemeente Bedum" in bedum
    assert "Gemeente Het Hogeland" not in bedum
    assert "Postbus 38" in bedum
    assert "Gemeente Het Hogeland" in hogeland
    assert "Gemeente Bedum" not in hogeland


@pytest.mark.parametrize("name", ["Groningen", "", "het hogeland", "Ezinge"])
def test_an_unknown_municipality_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match="no letterhead"):
        letterhead_for(name)
    with pytest.raises(ValueError, match="no letterhead"):
        client_plan_pdf(replace(sample_plan(), meta=sample_meta(name)))
    with pytest.raises(ValueError, match="no letterhead"):
        visit_report_pdf(replace(sample_visit(), meta=sample_meta(name)))
    with pytest.raises(ValueError, match="no letterhead"):
        wmo_report_pdf(replace(sample_wmo(), meta=sample_meta(name)))


def test_without_version_and_hash_the_footer_leaves_them_out(tmp_path: Path) -> None:
    meta = replace(sample_meta(), version=None, content_hash="")
    text = flat(PdfFile.write(client_plan_pdf(replace(sample_plan(), meta=meta)), tmp_path).text())
    assert "Versie" not in text
    assert "Kenmerk" not in text
    assert "Plan van aanpak · 22-11-2026" in text
    assert "Referentie PLAN-2026-00417" in text


def test_the_documents_are_made_in_memory_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    data = client_plan_pdf(sample_plan())
    assert data.startswith(b"%PDF-")
    assert list(tmp_path.iterdir()) == []
