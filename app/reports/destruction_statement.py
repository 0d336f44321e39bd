"""The destruction statement (verklaring van vernietiging) central office prints, signs and keeps:
what a retention run or an erasure destroyed, counted per category and destruction month. It
names no client: categories, terms, months and counts only (server.retention.statements).
Dutch, like the other documents of record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial
from xml.sax.saxutils import escape

from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.platypus import Flowable, Paragraph  # type: ignore[import-untyped]

from app.reports.documents import DocumentMeta
from app.reports.layout import (
    Styles,
    build_pdf,
    data_table,
    facts_table,
    meta_line,
    section,
    spacer,
    text_flowables,
    title_block,
)

__all__ = [
    "DestructionStatementDocument",
    "StatementRow",
    "destruction_statement_pdf",
]

TITLE = "Verklaring van vernietiging"
SUBJECT = "Vernietiging van dossiers sociaal domein (Archiefwet, Selectielijst 2020)"
HEADER = ("Categorie", "Bewaartermijn", "Maand", "Dossiers", "Records")
SHARES = (0.4, 0.2, 0.14, 0.13, 0.13)
TOTALS_HEADER = ("Totaal", "Aantal")
TOTALS_SHARES = (0.8, 0.2)
NO_PERSONAL_DATA = (
    "Deze verklaring bevat geen persoonsgegevens: zij telt de vernietigde dossiers per "
    "categorie en maand van vernietiging. Welke dossiers het waren, is na de vernietiging nergens "
    "meer na te gaan."
)
SIGN = (
    "Voor akkoord, de verantwoordelijke voor het archief (DIV):\n\n"
    "Naam: ______________________________\n\n"
    "Handtekening: ______________________     Datum: ______________"
)


@dataclass(frozen=True, slots=True)
class StatementRow:
    category: str  # the category's Dutch name
    term: str  # "10 jaar"
    month: str  # "2024-06"
    files: int
    records: int


@dataclass(frozen=True, slots=True)
class DestructionStatementDocument:
    meta: DocumentMeta
    number: int
    basis: str  # "Bewaartermijn verstreken" / "Op verzoek van de cliënt"
    source: str  # the selection list the terms come from
    as_of: date
    made: str  # "03-12-2026 19:22 door cli:beheer"
    rows: tuple[StatementRow, ...]
    totals: tuple[tuple[str, int], ...]  # (Dutch caption, count)


def destruction_statement_pdf(doc: DestructionStatementDocument) -> bytes:
    return build_pdf(
        meta=doc.meta,
        title=TITLE,
        subject=SUBJECT,
        running_title=f"{TITLE} nr. {doc.number}",
        story=partial(_story, doc),
    )


def _story(doc: DestructionStatementDocument, styles: Styles) -> list[Flowable]:
    facts = [
        ("Nummer", str(doc.number)),
        ("Grondslag", doc.basis),
        ("Bron", doc.source),
        ("Peildatum", f"{doc.as_of:%d-%m-%Y}"),
        ("Opgemaakt", doc.made),
    ]
    rows = [(r.category, r.term, r.month, str(r.files), str(r.records)) for r in doc.rows] or [
        ("Niets vernietigd", "", "", "0", "0")
    ]
    totals = [(caption, str(count)) for caption, count in doc.totals]
    return [
        *title_block(styles, f"{TITLE} nr. {doc.number}", meta_line(doc.meta)),
        facts_table(styles, facts),
        spacer(3 * mm),
        *section(styles, "Vernietigd", [data_table(styles, HEADER, rows, SHARES)]),
        spacer(2 * mm),
        *section(styles, "Totalen", [data_table(styles, TOTALS_HEADER, totals, TOTALS_SHARES)]),
        spacer(2 * mm),
        Paragraph(escape(NO_PERSONAL_DATA), styles.body),
        spacer(6 * mm),
        *section(styles, "Ondertekening", text_flowables(SIGN, styles.body), whole=True),
    ]
