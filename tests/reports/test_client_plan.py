"""The plan van aanpak as printed: words, order, pages, empty sections, user text, layout."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from app.reports import ActionRow, RadarChartData, client_plan_pdf
from tests.reports.pdf_tools import PdfFile, flat
from tests.reports.samples import CLIENT_NAME, DOMAINS, empty_plan, sample_plan

HEADINGS = (
    "Ondersteuning die wij bieden",
    "Verplichtingen gericht op werk",
    "Doelen",
    "Acties",
    "Afspraken",
    "Tegenprestatie en maatschappelijke participatie",
    "Wat wil ik zelf",
    "Volgende evaluatie",
    "Zelfredzaamheid",
    "Ondertekening",
)


def test_the_plan_prints_dutch_names_and_letters(plan_pdf: PdfFile) -> None:
    text = flat(plan_pdf.text())
    for expected in (
        "Plan van aanpak",
        CLIENT_NAME,  # IJ as capitals, never "Ijsbrand"
        "Zoutkamp",
        "BSN ******333",
        "Financiële rust",
        "Cursus Nederlands bij het Ûniek Leerhuis",
        "geïnteresseerd",
        "maar één keer",
        "Femke Spijkerman-Doornbos",
        "Dienstverlening: Begeleiding naar school of werk",
    ):
        assert expected in text, expected
    assert "Ijsbrand" not in text


def test_the_plan_has_three_pages_each_numbered_of_three(plan_pdf: PdfFile) -> None:
    pages = plan_pdf.pages_text()
    assert len(pages) == 3
    assert plan_pdf.info()["Pages"] == "3"
    for number, page in enumerate(pages, start=1):
        assert f"Pagina {number} van 3" in page


def test_every_page_has_the_footer_with_version_date_reference_and_hash(
    plan_pdf: PdfFile,
) -> None:
    for page in plan_pdf.pages_text():
        text = flat(page)
        assert "Plan van aanpak · Versie 2 · 22-11-2026" in text
        assert "Referentie PLAN-2026-00417 · Kenmerk 3fa9c2d41b07" in text
        assert "3fa9c2d41b07e" not in text  # twelve characters, no more


def test_the_letterhead_is_on_page_one_and_a_running_header_after(plan_pdf: PdfFile) -> None:
    first, *later = plan_pdf.pages_text()
    assert "Gemeente Het Hogeland" in first
    assert "Werk, Inkomen en Zorg" in first
    assert "Postbus 13" in first
    for page in later:
        assert "Gemeente Het Hogeland" in page
        assert f"Plan van aanpak · {CLIENT_NAME}" in page
        assert "Postbus" not in page


def test_sections_come_in_order(plan_pdf: PdfFile) -> None:
    lines = [line.strip() for line in plan_pdf.text().splitlines()]
    positions = [lines.index(heading) for heading in HEADINGS]
    assert positions == sorted(positions)


def test_goals_are_numbered_and_obligations_ticked(plan_pdf: PdfFile) -> None:
    text = flat(plan_pdf.text())
    assert "1. Financiële rust" in text
    assert "2. Cursus Nederlands" in text
    assert text.count("☑") == 4
    assert "Als u deze verplichtingen niet nakomt" in text


def test_the_actions_table_repeats_its_header_on_the_next_page(plan_pdf: PdfFile) -> None:
    pages = plan_pdf.pages_text()
    header = re.compile(r"Wat\s+Wie\s+Wanneer\s+Status")
    assert header.search(pages[0])
    assert header.search(pages[1])  # the table runs on: its header row again
    text = flat(plan_pdf.text())
    for row in ("Evaluatie van de proefplaatsing met werkgever en cliënt", "Werkbedrijf"):
        assert row in text
    assert "29-11-2026" in text and "Doorlopend" in text


def test_the_radar_and_signatures_are_printed(plan_pdf: PdfFile) -> None:
    text = flat(plan_pdf.text())
    for label in DOMAINS:
        assert all(word in text for word in label.split()), label
    assert "Deze intake (22-11-2026)" in text
    assert "Vorige intake (12-05-2026)" in text
    assert "Domein in grijs: geen score" in text
    assert "Cliënt wil niet tekenen: Wil het plan eerst met zijn dochter bespreken." in text
    assert "Digitaal getekend op 22-11-2026" in text


def test_empty_sections_are_left_out(tmp_path: Path) -> None:
    pdf = PdfFile.write(client_plan_pdf(empty_plan()), tmp_path)
    lines = {line.strip() for line in pdf.text().splitlines()}
    for heading in HEADINGS:
        assert heading not in lines, heading
    assert "Plan van aanpak" in lines
    assert CLIENT_NAME in lines
    assert pdf.info()["Pages"] == "1"


def test_a_section_with_only_some_parts_prints_those(tmp_path: Path) -> None:
    doc = replace(empty_plan(), consequences="Uw uitkering kan worden verlaagd.")
    text = flat(PdfFile.write(client_plan_pdf(doc), tmp_path).text())
    assert "Verplichtingen gericht op werk" in text
    assert "Deze verplichtingen gelden voor u" not in text
    assert "Uw uitkering kan worden verlaagd." in text


def test_markup_in_user_text_prints_literally(tmp_path: Path) -> None:
    doc = replace(
        sample_plan(),
        goals=("<b>Fiets & bus</b> regelen", "a < b > c &amp; d"),
        agreements="Eerste regel\nTweede regel",
        own_words='Ik zeg: "<i>nee</i>" & dat is zo',
        actions=(ActionRow("<font size=30>groot</font>", "A&B <Zorg>", None, "Open"),),
    )
    pdf = PdfFile.write(client_plan_pdf(doc), tmp_path)
    text = flat(pdf.text())
    for literal in (
        "<b>Fiets & bus</b> regelen",
        "a < b > c &amp; d",
        'Ik zeg: "<i>nee</i>" & dat is zo',
        "<font size=30>groot</font>",
        "A&B <Zorg>",
    ):
        assert literal in text, literal
    lines = [line.strip() for line in pdf.text().splitlines()]
    # A newline in the text is a line break on paper.
    assert lines[lines.index("Eerste regel") + 1] == "Tweede regel"


def test_long_texts_flow_onto_further_pages(tmp_path: Path) -> None:
    story = " ".join(f"Zin {n} van wat de cliënt zelf wil vertellen." for n in range(600))
    doc = replace(sample_plan(), own_words=story)
    pdf = PdfFile.write(client_plan_pdf(doc), tmp_path)
    pages = int(pdf.info()["Pages"])
    assert pages >= 5
    text = flat(pdf.text())
    assert "Zin 0 van" in text and "Zin 599 van wat de cliënt zelf wil vertellen." in text
    assert f"Pagina {pages} van {pages}" in text


@pytest.mark.parametrize(
    ("actions", "own_sentences"),
    [(0, 3), (3, 3), (6, 3), (9, 3), (12, 3), (17, 3), (22, 3), (3, 120), (12, 160)],
)
def test_no_page_ends_with_a_heading(tmp_path: Path, actions: int, own_sentences: int) -> None:
    base = sample_plan()
    rows = tuple(base.actions[n % len(base.actions)] for n in range(actions))
    own = " ".join(
        f"Zin {n} in mijn eigen woorden over werk en geld." for n in range(own_sentences)
    )
    pdf = PdfFile.write(client_plan_pdf(replace(base, actions=rows, own_words=own)), tmp_path)
    for page in pdf.pages_text()[:-1]:
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        footer = next(n for n, line in enumerate(lines) if re.search(r"Pagina \d+ van", line))
        assert lines[footer - 1] not in HEADINGS, lines[footer - 3 : footer]
        # Nor does a page end in a lead-in line that belongs to what follows.
        assert lines[footer - 1] != "In de woorden van de cliënt:"


def test_a_radar_with_the_wrong_number_of_scores_is_refused() -> None:
    radar = RadarChartData(labels=DOMAINS, current=(3,) * 12)
    with pytest.raises(ValueError, match="one score per label"):
        client_plan_pdf(replace(sample_plan(), radar=radar))


def test_a_radar_score_out_of_range_is_refused() -> None:
    radar = RadarChartData(labels=DOMAINS, current=(6,) + (3,) * 12)
    with pytest.raises(ValueError, match="between 1 and 5"):
        client_plan_pdf(replace(sample_plan(), radar=radar))


def test_a_radar_without_any_score_is_left_out(tmp_path: Path) -> None:
    radar = RadarChartData(labels=DOMAINS, current=(None,) * 13)
    doc = replace(sample_plan(), radar=radar, next_evaluation=date(2027, 1, 5))
    text = flat(PdfFile.write(client_plan_pdf(doc), tmp_path).text())
    assert "Zelfredzaamheid" not in text
    assert "05-01-2027" in text


def test_a_radar_without_previous_scores_has_no_previous_legend(tmp_path: Path) -> None:
    radar = RadarChartData(labels=DOMAINS, current=(3,) * 13)
    text = flat(
        PdfFile.write(client_plan_pdf(replace(sample_plan(), radar=radar)), tmp_path).text()
    )
    assert "Zelfredzaamheid" in text
    assert "Deze intake" in text
    assert "Vorige intake" not in text
    assert "geen score" not in text
