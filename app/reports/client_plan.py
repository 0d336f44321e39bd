"""The plan van aanpak (art. 44a Participatiewet) as the client receives and signs it.

Sections in the order of the conversation at the kitchen table: what we offer, the obligations
aimed at work and what not meeting them means, goals, actions, agreements, the tegenprestatie,
the client's own words, the next evaluation; then the self-sufficiency chart and the signatures.
A section without content is left out.
"""

from __future__ import annotations

from functools import partial
from xml.sax.saxutils import escape

from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle  # type: ignore[import-untyped]

from app.domain.formatting import date_text
from app.reports.documents import ClientPlanDocument, RadarChartData
from app.reports.fonts import REGULAR
from app.reports.layout import (
    CONTENT_WIDTH,
    Styles,
    build_pdf,
    data_table,
    markup,
    meta_line,
    parties,
    section,
    spacer,
    text_flowables,
    title_block,
)
from app.reports.radar import radar_drawing
from app.reports.signatures import signature_table

__all__ = ["TITLE", "client_plan_pdf"]

TITLE = "Plan van aanpak"
SUBJECT = "Plan van aanpak (artikel 44a Participatiewet)"
TICK = "\u2611"  # ☑ BALLOT BOX WITH CHECK, in DejaVu Sans
RADAR_HEIGHT = 100 * mm
ACTION_SHARES = (0.52, 0.2, 0.13, 0.15)


def client_plan_pdf(doc: ClientPlanDocument) -> bytes:
    """The plan as PDF bytes (A4, letterhead of `doc.meta.municipality`)."""
    return build_pdf(
        meta=doc.meta,
        title=TITLE,
        subject=SUBJECT,
        running_title=f"{TITLE} · {doc.client.name}",
        story=partial(_story, doc),
    )


def _story(doc: ClientPlanDocument, styles: Styles) -> list[Flowable]:
    story: list[Flowable] = [
        *title_block(styles, TITLE, meta_line(doc.meta, "Artikel 44a Participatiewet")),
        parties(styles, doc.client, doc.caseworker),
        spacer(2 * mm),
    ]
    story += section(styles, "Ondersteuning die wij bieden", _support(doc, styles))
    story += section(styles, "Verplichtingen gericht op werk", _obligations(doc, styles))
    story += section(styles, "Doelen", _goals(doc, styles))
    if doc.actions:
        rows = [
            (a.description, a.who, date_text(a.due) if a.due else "–", a.status)
            for a in doc.actions
        ]
        table = data_table(styles, ("Wat", "Wie", "Wanneer", "Status"), rows, ACTION_SHARES)
        story += section(styles, "Acties", [table])
    story += section(styles, "Afspraken", text_flowables(doc.agreements, styles.body))
    story += section(
        styles,
        "Tegenprestatie en maatschappelijke participatie",
        text_flowables(doc.tegenprestatie, styles.body),
    )
    own = text_flowables(doc.own_words, styles.quote)
    if own:
        note = Paragraph("In de woorden van de cliënt:", styles.lead_label)
        story += section(styles, "Wat wil ik zelf", [note, *own])
    if doc.next_evaluation is not None:
        when = date_text(doc.next_evaluation)
        text = f"Wij bespreken dit plan met u opnieuw, uiterlijk op <b>{when}</b>."
        story += section(styles, "Volgende evaluatie", [Paragraph(text, styles.body)])
    if doc.radar is not None and _has_scores(doc.radar):
        chart = radar_drawing(
            doc.radar, CONTENT_WIDTH, RADAR_HEIGHT, styles.accent, styles.accent_tint
        )
        intro = Paragraph(
            "Score per leefgebied: 1 acute problematiek, 2 niet, 3 beperkt, 4 voldoende, "
            "5 volledig zelfredzaam.",
            styles.lead_label,
        )
        story += section(styles, "Zelfredzaamheid", [intro, chart], whole=True)
    signatures = signature_table(styles, doc.signatures)
    if signatures is not None:
        intro = Paragraph(
            "Met hun handtekening verklaren cliënt en klantmanager dat zij dit plan van aanpak "
            "samen hebben besproken en de afspraken erin kennen.",
            styles.body,
        )
        story += section(styles, "Ondertekening", [intro, spacer(2 * mm), signatures], whole=True)
    return story


def _has_scores(radar: RadarChartData) -> bool:
    """A chart without a single score is an empty section: left out like the others."""
    return bool(radar.labels) and any(
        score is not None for score in (*radar.current, *(radar.previous or ()))
    )


def _support(doc: ClientPlanDocument, styles: Styles) -> list[Flowable]:
    blocks: list[Flowable] = []
    if doc.service_layer.strip():
        blocks.append(
            Paragraph(f"<b>Dienstverlening:</b> {escape(doc.service_layer.strip())}", styles.body)
        )
    return blocks + text_flowables(doc.support_offered, styles.body)


def _obligations(doc: ClientPlanDocument, styles: Styles) -> list[Flowable]:
    blocks: list[Flowable] = []
    ticked = [text for text in doc.obligations if text.strip()]
    if ticked:
        accent = styles.accent.hexval()[2:]
        mark = Paragraph(f'<font color="#{accent}">{TICK}</font>', styles.body)
        table = Table(
            [[mark, Paragraph(markup(text.strip()), styles.body)] for text in ticked],
            colWidths=[6 * mm, CONTENT_WIDTH - 6 * mm],
        )
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        blocks += [
            Paragraph("Deze verplichtingen gelden voor u:", styles.lead),
            table,
        ]
    consequences = text_flowables(doc.consequences, styles.body)
    if consequences:
        blocks += [
            spacer(1.5 * mm),
            Paragraph("<b>Als u deze verplichtingen niet nakomt</b>", styles.lead),
            *consequences,
        ]
    return blocks


def _goals(doc: ClientPlanDocument, styles: Styles) -> list[Flowable]:
    goals = [goal.strip() for goal in doc.goals if goal.strip()]
    return [
        Paragraph(markup(goal), styles.numbered, bulletText=f"{n}.")
        for n, goal in enumerate(goals, start=1)
    ]
