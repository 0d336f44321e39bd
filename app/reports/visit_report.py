"""The report of one home visit: one page in normal use; a long report flows onto the next."""

from __future__ import annotations

from functools import partial

from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.platypus import Flowable  # type: ignore[import-untyped]

from app.domain.formatting import moment_text
from app.reports.documents import VisitReportDocument
from app.reports.layout import (
    Styles,
    build_pdf,
    facts_table,
    meta_line,
    parties,
    section,
    spacer,
    text_flowables,
    title_block,
)
from app.reports.signatures import signature_table

__all__ = ["TITLE", "visit_report_pdf"]

TITLE = "Verslag huisbezoek"
SUBJECT = "Verslag van een huisbezoek"


def visit_report_pdf(doc: VisitReportDocument) -> bytes:
    """The visit report as PDF bytes (A4, letterhead of `doc.meta.municipality`)."""
    return build_pdf(
        meta=doc.meta,
        title=TITLE,
        subject=SUBJECT,
        running_title=f"{TITLE} · {doc.client.name}",
        story=partial(_story, doc),
    )


def _story(doc: VisitReportDocument, styles: Styles) -> list[Flowable]:
    facts = [("Soort bezoek", doc.kind), ("Datum en tijd", moment_text(doc.visited_at))]
    if doc.place.strip():
        facts.append(("Plaats", doc.place.strip()))
    if doc.next_visit is not None:
        facts.append(("Volgend bezoek", moment_text(doc.next_visit)))
    story: list[Flowable] = [
        *title_block(styles, TITLE, meta_line(doc.meta)),
        parties(styles, doc.client, doc.caseworker),
        spacer(2 * mm),
    ]
    story += section(styles, "Bezoek", [facts_table(styles, facts)])
    story += section(styles, "Verslag", text_flowables(doc.report, styles.body))
    signatures = signature_table(styles, doc.signatures)
    if signatures is not None:
        story += section(styles, "Ondertekening", [signatures], whole=True)
    return story
