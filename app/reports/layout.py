"""The page every document shares: A4, letterhead on page 1, a slim running header after it, a
footer on every page, the paragraph styles, and `build_pdf` that turns a story into bytes.

The footer says "Pagina n van m", and m is only known when the last page is laid out: the canvas
keeps every page until `save` and then draws the footers (reportlab's NumberedCanvas recipe).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, partial
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.enums import TA_LEFT  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.domain.formatting import date_text
from app.reports.documents import DocumentMeta, Party
from app.reports.fonts import BOLD, ITALIC, REGULAR, register_fonts
from app.reports.letterhead import Letterhead, letterhead_for

__all__ = [
    "CONTENT_WIDTH",
    "INK",
    "MUTED",
    "RULE",
    "WHITE",
    "Styles",
    "build_pdf",
    "data_table",
    "facts_table",
    "markup",
    "meta_line",
    "parties",
    "section",
    "spacer",
    "styles_for",
    "text_flowables",
    "title_block",
]

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 22 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
LETTERHEAD_HEIGHT = 40 * mm  # page 1: the letterhead above the text
RUNNING_HEADER_HEIGHT = 20 * mm  # later pages
FOOTER_HEIGHT = 22 * mm
HASH_SHOWN = 12  # characters of the content hash in the footer: enough to tell versions apart

INK = colors.HexColor("#1A1A1A")
MUTED = colors.HexColor("#5F6368")
RULE = colors.HexColor("#C4C9CE")
WHITE = colors.white

# A heading stays with its first block when both fit in this much; a longer first block may
# start under the heading on this page and flow on, as long as a few lines of it fit here.
KEEP_WHOLE = 70 * mm
KEEP_START = 28 * mm


def tint(hex_colour: str, share: float) -> Any:
    """`hex_colour` mixed with white: `share` of the colour. A light tint instead of transparency
    prints the same on every printer and keeps lines drawn over it visible."""
    base = colors.HexColor(hex_colour)
    return colors.Color(
        1 - share * (1 - base.red), 1 - share * (1 - base.green), 1 - share * (1 - base.blue)
    )


# ---------------------------------------------------------------------------------- styles


@dataclass(frozen=True, slots=True)
class Styles:
    accent: Any  # reportlab Color
    accent_tint: Any
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    heading_alone: ParagraphStyle  # no keepWithNext: the section places the heading itself
    body: ParagraphStyle
    quote: ParagraphStyle
    numbered: ParagraphStyle  # with bulletText="1."
    label: ParagraphStyle
    lead: ParagraphStyle  # a lead-in line that stays with what follows
    lead_label: ParagraphStyle
    name: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle


@cache
def styles_for(accent_hex: str) -> Styles:
    """The paragraph styles of a document on a letterhead of this accent colour. Every style
    names a DejaVu face, so no standard PDF font ends up in the file."""
    register_fonts()
    accent = colors.HexColor(accent_hex)
    body = ParagraphStyle(
        "body",
        fontName=REGULAR,
        fontSize=9.5,
        leading=13.5,
        textColor=INK,
        alignment=TA_LEFT,
        bulletFontName=REGULAR,  # the default bullet font is Helvetica
        spaceAfter=4,
        allowWidows=0,
        allowOrphans=0,
    )
    heading = ParagraphStyle(
        "heading",
        parent=body,
        fontName=BOLD,
        fontSize=11.5,
        leading=15,
        textColor=accent,
        spaceBefore=12,
        spaceAfter=4,
        keepWithNext=1,
    )
    return Styles(
        accent=accent,
        accent_tint=tint(accent_hex, 0.12),
        title=ParagraphStyle(
            "title",
            parent=body,
            fontName=BOLD,
            fontSize=18,
            leading=22,
            textColor=INK,
            spaceBefore=0,
            spaceAfter=2,
        ),
        subtitle=ParagraphStyle(
            "subtitle", parent=body, fontSize=9.5, leading=13, textColor=MUTED, spaceAfter=10
        ),
        heading=heading,
        heading_alone=ParagraphStyle("heading_alone", parent=heading, keepWithNext=0),
        body=body,
        quote=ParagraphStyle(
            "quote",
            parent=body,
            fontName=ITALIC,
            leftIndent=8,
        ),
        numbered=ParagraphStyle("numbered", parent=body, leftIndent=16, bulletIndent=2),
        label=ParagraphStyle(
            "label", parent=body, fontSize=7.5, leading=10, textColor=MUTED, spaceAfter=1
        ),
        lead=ParagraphStyle("lead", parent=body, keepWithNext=1),
        lead_label=ParagraphStyle(
            "lead_label",
            parent=body,
            fontSize=7.5,
            leading=10,
            textColor=MUTED,
            spaceAfter=1,
            keepWithNext=1,
        ),
        name=ParagraphStyle("name", parent=body, fontName=BOLD, spaceAfter=1),
        small=ParagraphStyle("small", parent=body, fontSize=8, leading=10.5, spaceAfter=0),
        cell=ParagraphStyle("cell", parent=body, fontSize=9, leading=12, spaceAfter=0),
        cell_head=ParagraphStyle(
            "cell_head", parent=body, fontName=BOLD, fontSize=9, leading=12, spaceAfter=0
        ),
    )


# ------------------------------------------------------------------------------------ text

_BLANK_LINES = re.compile(r"\n\s*\n")


def markup(text: str) -> str:
    """User text as Paragraph markup: <, > and & print as themselves, a newline breaks the line."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "<br/>".join(escape(line) for line in lines)


def text_flowables(text: str, style: ParagraphStyle) -> list[Flowable]:
    """One paragraph per blank-line-separated block of `text` (none for blank text), so a long
    text breaks across pages between or inside its paragraphs."""
    blocks = [b.strip("\n") for b in _BLANK_LINES.split(text.strip())]
    return [Paragraph(markup(b), style) for b in blocks if b.strip()]


def section(
    styles: Styles, heading: str, content: Sequence[Flowable], *, whole: bool = False
) -> list[Flowable]:
    """A heading and its content, or nothing when there is no content (an empty section is left
    out). The heading never ends a page alone: with a short first block it moves along with
    it (keepWithNext); before a long one it needs room for the block's first lines. `whole`
    keeps everything on one page (a chart, the signatures)."""
    if not content:
        return []
    if whole:
        return [KeepTogether([Paragraph(escape(heading), styles.heading_alone), *content])]
    # The first block, with the lead-in lines it keeps with it ("Deze verplichtingen …").
    leads = 0
    first_height = 0.0
    for block in content:
        first_height += block.wrap(CONTENT_WIDTH, PAGE_HEIGHT)[1]
        if not block.getKeepWithNext():
            break
        leads += 1
    if first_height <= KEEP_WHOLE:
        return [Paragraph(escape(heading), styles.heading), *content]
    # Kept together, a lead-in and a long block would jump to the next page and leave the
    # heading behind; the room asked for below is enough for the lead-in and a few lines.
    for block in content[:leads]:
        block.keepWithNext = 0
    return [
        CondPageBreak(KEEP_START + styles.heading.leading + styles.heading.spaceBefore),
        Paragraph(escape(heading), styles.heading_alone),
        *content,
    ]


def party_cell(styles: Styles, caption: str, party: Party) -> list[Flowable]:
    cell = [
        Paragraph(escape(caption), styles.label),
        Paragraph(escape(party.name), styles.name),
    ]
    if party.lines:
        cell.append(Paragraph("<br/>".join(escape(line) for line in party.lines), styles.small))
    return cell


def parties(styles: Styles, client: Party, caseworker: Party) -> Flowable:
    """Client and caseworker side by side, each under a thin accent rule."""
    gap = 8 * mm
    half = (CONTENT_WIDTH - gap) / 2
    table = Table(
        [
            [
                party_cell(styles, "Cliënt", client),
                "",
                party_cell(styles, "Klantmanager", caseworker),
            ]
        ],
        colWidths=[half, gap, half],
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEABOVE", (0, 0), (0, 0), 1.2, styles.accent),
                ("LINEABOVE", (2, 0), (2, 0), 1.2, styles.accent),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def facts_table(styles: Styles, rows: Sequence[tuple[str, str]]) -> Flowable:
    """Label / value pairs as two aligned columns ("Datum en tijd", "22-11-2026 14:05")."""
    label_width = 42 * mm
    table = Table(
        [
            [Paragraph(escape(label), styles.cell_head), Paragraph(markup(value), styles.cell)]
            for label, value in rows
        ],
        colWidths=[label_width, CONTENT_WIDTH - label_width],
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
            ]
        )
    )
    return table


def data_table(
    styles: Styles,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    shares: Sequence[float],
) -> Flowable:
    """A table of user texts under a tinted header row that repeats on every page the table
    reaches; cells wrap, and a row is never split over two pages. `shares` of the width."""
    table = Table(
        [
            [Paragraph(escape(h), styles.cell_head) for h in header],
            *[[Paragraph(markup(cell), styles.cell) for cell in row] for row in rows],
        ],
        colWidths=[CONTENT_WIDTH * share for share in shares],
        repeatRows=1,
        splitInRow=0,
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), styles.accent_tint),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, styles.accent),
                ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 3.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def title_block(styles: Styles, title: str, subtitle: str) -> list[Flowable]:
    blocks = [Paragraph(escape(title), styles.title)]
    if subtitle:
        blocks.append(Paragraph(escape(subtitle), styles.subtitle))
    return blocks


def meta_line(meta: DocumentMeta, *extra: str) -> str:
    """ "Datum 22-11-2026 · Versie 2", as shown under a document's title."""
    parts = [f"Datum {date_text(meta.document_date)}"]
    if meta.version is not None:
        parts.append(f"Versie {meta.version}")
    parts.extend(e for e in extra if e)
    return " · ".join(parts)


def spacer(height: float) -> Flowable:
    return Spacer(1, height)


# ----------------------------------------------------------------------------------- pages


@dataclass(frozen=True, slots=True)
class _Footer:
    title: str
    meta: DocumentMeta

    def lines(self) -> tuple[str, str]:
        first = [self.title]
        if self.meta.version is not None:
            first.append(f"Versie {self.meta.version}")
        first.append(date_text(self.meta.document_date))
        second = [f"Referentie {self.meta.reference}"] if self.meta.reference else []
        if self.meta.content_hash:
            second.append(f"Kenmerk {self.meta.content_hash[:HASH_SHOWN]}")
        return " · ".join(first), " · ".join(second)


class _NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab has no type hints
    """Keeps every page until `save`, then draws each page's footer with the page count."""

    def __init__(self, *args: Any, footer: _Footer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._draw_footer(number, total)
            Canvas.showPage(self)
        Canvas.save(self)

    def _draw_footer(self, number: int, total: int) -> None:
        first, second = self._footer.lines()
        top = FOOTER_HEIGHT - 8 * mm
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN_X, top, PAGE_WIDTH - MARGIN_X, top)
        self.setFillColor(MUTED)
        self.setFont(REGULAR, 7.5)
        self.drawString(MARGIN_X, top - 10, first)
        if second:
            self.drawString(MARGIN_X, top - 19.5, second)
        self.setFont(BOLD, 7.5)
        self.drawRightString(PAGE_WIDTH - MARGIN_X, top - 10, f"Pagina {number} van {total}")
        self.restoreState()


def _draw_letterhead(head: Letterhead, canvas: Canvas, _doc: Any) -> None:
    """Page 1: a coloured bar with the municipality's name and the sender, and the contact
    block on the right. A neutral mark, no municipal logo."""
    accent = colors.HexColor(head.accent)
    top = PAGE_HEIGHT - 14 * mm
    canvas.saveState()
    canvas.setFillColor(accent)
    canvas.rect(MARGIN_X, top - 15 * mm, 2.2 * mm, 15 * mm, stroke=0, fill=1)
    x = MARGIN_X + 5.5 * mm
    canvas.setFillColor(INK)
    canvas.setFont(BOLD, 15)
    canvas.drawString(x, top - 6 * mm, head.display_name)
    canvas.setFillColor(accent)
    canvas.setFont(REGULAR, 9.5)
    canvas.drawString(x, top - 11.5 * mm, head.sender)
    canvas.setFillColor(MUTED)
    canvas.setFont(REGULAR, 8)
    right = PAGE_WIDTH - MARGIN_X
    for n, line in enumerate(head.contact_lines()):
        canvas.drawRightString(right, top - 2.6 * mm - n * 10.5, line)
    rule_y = top - 20 * mm
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN_X, rule_y, right, rule_y)
    canvas.restoreState()


def _draw_running_header(head: Letterhead, running_title: str, canvas: Canvas, _doc: Any) -> None:
    """Later pages: a short bar, the municipality and what the document is, so a loose page
    still says where it belongs."""
    accent = colors.HexColor(head.accent)
    base = PAGE_HEIGHT - 13 * mm
    canvas.saveState()
    canvas.setFillColor(accent)
    canvas.rect(MARGIN_X, base - 1.2 * mm, 1.4 * mm, 5 * mm, stroke=0, fill=1)
    canvas.setFillColor(INK)
    canvas.setFont(BOLD, 8.5)
    canvas.drawString(MARGIN_X + 3.5 * mm, base, head.display_name)
    canvas.setFillColor(MUTED)
    canvas.setFont(REGULAR, 8)
    canvas.drawRightString(PAGE_WIDTH - MARGIN_X, base, running_title)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN_X, base - 3.5 * mm, PAGE_WIDTH - MARGIN_X, base - 3.5 * mm)
    canvas.restoreState()


def _frame(top_reserve: float, name: str) -> Frame:
    return Frame(
        MARGIN_X,
        FOOTER_HEIGHT,
        CONTENT_WIDTH,
        PAGE_HEIGHT - FOOTER_HEIGHT - top_reserve,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id=name,
    )


def build_pdf(
    *,
    meta: DocumentMeta,
    title: str,
    subject: str,
    running_title: str,
    story: Callable[[Styles], list[Flowable]],
) -> bytes:
    """Lay out the flowables `story` makes with this letterhead's styles on A4 and return the
    PDF. Nothing is written to disk: the caller decides whether the bytes are saved or printed."""
    head = letterhead_for(meta.municipality)
    styles = styles_for(head.accent)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=RUNNING_HEADER_HEIGHT,
        bottomMargin=FOOTER_HEIGHT,
        title=title,
        author=meta.author,
        subject=subject,
        creator="Veldwerk",
        lang="nl-NL",
        displayDocTitle=True,
        # The canvas starts every page with a font selected; without this it is Helvetica.
        initialFontName=REGULAR,
        initialFontSize=9.5,
    )
    doc.addPageTemplates(
        [
            PageTemplate(
                id="first",
                frames=[_frame(LETTERHEAD_HEIGHT, "first")],
                onPage=partial(_draw_letterhead, head),
                autoNextPageTemplate="later",
            ),
            PageTemplate(
                id="later",
                frames=[_frame(RUNNING_HEADER_HEIGHT, "later")],
                onPage=partial(_draw_running_header, head, running_title),
            ),
        ]
    )
    footer = _Footer(title, meta)
    doc.build(story(styles), canvasmaker=partial(_NumberedCanvas, footer=footer))
    return buffer.getvalue()
