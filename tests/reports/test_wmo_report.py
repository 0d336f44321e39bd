"""The Wmo report: topics of art. 2.3.2 lid 4, the checklist, the client's right to respond."""

from __future__ import annotations

import re

from tests.reports.pdf_tools import PdfFile, flat


def test_the_wmo_report_has_its_parts(wmo_pdf: PdfFile) -> None:
    text = flat(wmo_pdf.text())
    for expected in (
        "Gemeente Winsum",
        "Verslag Wmo-onderzoek",
        "Geertruida (Truus) Wiersema-Ëlzinga",
        "Datum melding 02-11-2026",
        "Datum onderzoek 12-11-2026",
        "Verslag uitgereikt op 19-11-2026",
        "Onderwerp Wat wij hebben vastgesteld",
        "Eigen kracht",
        "Zoon komt twee keer per week uit Groningen.",
        "Conclusie",
        "U mag op dit verslag reageren.",
        "Pagina 1 van 1",
    ):
        assert expected in text, expected


def test_the_checklist_answers_ja_or_nee(wmo_pdf: PdfFile) -> None:
    lines = [flat(line) for line in wmo_pdf.text(layout=True).splitlines()]
    answers = {
        "U bent gewezen op gratis cliëntondersteuning.": "ja",
        "Uw identiteit is vastgesteld.": "ja",
        "Er was een mantelzorger bij het gesprek.": "nee",
    }
    for item, answer in answers.items():
        assert any(re.fullmatch(rf"{re.escape(item)} {answer}", line) for line in lines), item
    # The long item wraps; its answer stands beside its first line.
    assert any("persoonlijk plan in" in line and line.endswith(" ja") for line in lines)
