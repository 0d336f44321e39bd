"""The visit report: one page, and a long report still complete on more."""

from __future__ import annotations

from pathlib import Path

from app.reports import visit_report_pdf
from tests.reports.pdf_tools import PdfFile, flat
from tests.reports.samples import CLIENT_NAME, sample_visit


def test_a_visit_report_is_one_page(visit_pdf: PdfFile) -> None:
    assert visit_pdf.info()["Pages"] == "1"
    text = flat(visit_pdf.text())
    for expected in (
        "Verslag huisbezoek",
        CLIENT_NAME,
        "Soort bezoek Voortgang",
        "Datum en tijd 22-11-2026 10:30",
        "Bij cliënt thuis, Reitdiepskade 14, Zoutkamp",
        "Volgend bezoek 06-12-2026 10:00",
        "Ûniek Leerhuis",
        "Pagina 1 van 1",
        "Referentie VISIT-2026-01288",
    ):
        assert expected in text, expected


def test_unsigned_and_paper_signatures(visit_pdf: PdfFile) -> None:
    text = flat(visit_pdf.text())
    assert "Handtekening" in text
    assert "Datum: ____" in text
    assert "Getekend op papier op 22-11-2026" in text


def test_a_long_report_flows_onto_the_next_page(tmp_path: Path) -> None:
    report = "\n\n".join(
        f"Alinea {n}: de cliënt vertelt uitgebreid over de week, de buren en de kinderen." * 3
        for n in range(40)
    )
    pdf = PdfFile.write(visit_report_pdf(sample_visit(report)), tmp_path)
    pages = int(pdf.info()["Pages"])
    assert pages >= 2
    first = flat(pdf.pages_text()[0])
    assert "Alinea 0:" in first  # the report starts under its heading on page 1
    text = flat(pdf.text())
    assert "Alinea 39: de cliënt" in text
    assert f"Pagina {pages} van {pages}" in text


def test_a_visit_report_without_place_next_visit_or_signatures(tmp_path: Path) -> None:
    from dataclasses import replace

    doc = replace(sample_visit(), place="", next_visit=None, signatures=())
    text = flat(PdfFile.write(visit_report_pdf(doc), tmp_path).text())
    assert "Plaats" not in text
    assert "Volgend bezoek" not in text
    assert "Ondertekening" not in text
