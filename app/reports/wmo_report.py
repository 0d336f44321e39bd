"""The written report of the Wmo onderzoek (art. 2.3.2 Wmo 2015) that the client receives.

What the law asks the report to show: the topics of lid 4 with what was found, that the client
was told of free cliëntondersteuning and of the right to hand in a personal plan, and the
conclusion; the client may respond to it, and the report says so.
"""

from __future__ import annotations

from functools import partial
from xml.sax.saxutils import escape

from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle  # type: ignore[import-untyped]

from app.domain.formatting import date_text
from app.reports.documents import WmoReportDocument
from app.reports.fonts import REGULAR
from app.reports.layout import (
    CONTENT_WIDTH,
    RULE,
    Styles,
    build_pdf,
    data_table,
    facts_table,
    meta_line,
    parties,
    section,
    spacer,
    text_flowables,
    title_block,
)
from app.reports.signatures import signature_table

__all__ = ["TITLE", "wmo_report_pdf"]

TITLE = "Verslag Wmo-onderzoek"
SUBJECT = "Verslag van het onderzoek (artikel 2.3.2 Wet maatschappelijke ondersteuning 2015)"
TOPIC_SHARES = (0.36, 0.64)
ANSWER_WIDTH = 16 * mm
RESPONSE = (
    "U mag op dit verslag reageren. Bent u het ergens niet mee eens, of wilt u iets aanvullen? "
    "Laat het uw klantmanager weten; wij voegen uw reactie bij het verslag."
)


def wmo_report_pdf(doc: WmoReportDocument) -> bytes:
    """The Wmo report as PDF bytes (A4, letterhead of `doc.meta.municipality`)."""
    return build_pdf(
        meta=doc.meta,
        title=TITLE,
        subject=SUBJECT,
        running_title=f"{TITLE} · {doc.client.name}",
        story=partial(_story, doc),
    )


def _story(doc: WmoReportDocument, styles: Styles) -> list[Flowable]:
    dates = [
        (label, date_text(day))
        for label, day in (
            ("Datum melding", doc.melding_date),
            ("Datum onderzoek", doc.onderzoek_date),
            ("Verslag uitgereikt op", doc.report_given_on),
        )
        if day is not None
    ]
    topics = [(topic, found) for topic, found in doc.topics if topic.strip() or found.strip()]
    story: list[Flowable] = [
        *title_block(styles, TITLE, meta_line(doc.meta, "Artikel 2.3.2 Wmo 2015")),
        parties(styles, doc.client, doc.caseworker),
        spacer(2 * mm),
    ]
    story += section(styles, "Melding en onderzoek", [facts_table(styles, dates)] if dates else [])
    if topics:
        table = data_table(
            styles, ("Onderwerp", "Wat wij hebben vastgesteld"), topics, TOPIC_SHARES
        )
        story += section(styles, "Wat wij samen hebben onderzocht", [table])
    story += section(styles, "Tijdens het gesprek", [_checklist(doc, styles)])
    story += section(styles, "Conclusie", text_flowables(doc.conclusion, styles.body))
    story += section(styles, "Uw reactie", [Paragraph(RESPONSE, styles.body)])
    signatures = signature_table(styles, doc.signatures)
    if signatures is not None:
        story += section(styles, "Ondertekening", [signatures], whole=True)
    return story


def _checklist(doc: WmoReportDocument, styles: Styles) -> Flowable:
    items = (
        ("U bent gewezen op gratis cliëntondersteuning.", doc.told_client_support),
        (
            "U bent gewezen op uw recht om binnen 7 dagen na de melding een persoonlijk plan "
            "in te dienen.",
            doc.told_personal_plan,
        ),
        ("Uw identiteit is vastgesteld.", doc.identity_checked),
        ("Er was een mantelzorger bij het gesprek.", doc.mantelzorger_present),
    )
    table = Table(
        [
            [Paragraph(escape(text), styles.body), Paragraph(_answer(value), styles.body)]
            for text, value in items
        ],
        colWidths=[CONTENT_WIDTH - ANSWER_WIDTH, ANSWER_WIDTH],
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
            ]
        )
    )
    return table


def _answer(value: bool) -> str:
    return "<b>ja</b>" if value else "nee"
