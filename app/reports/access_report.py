"""The access report a client receives: who viewed or changed their dossier in a period.

Every access in one table, oldest first, with NEN 7513's kind of access, who (name and role), on
whose behalf and on which device, so a dossier opened on a laptop without a network is there too.
Dutch only, like the other documents the client receives.
"""

from __future__ import annotations

from functools import partial
from xml.sax.saxutils import escape

from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.platypus import Flowable, Paragraph  # type: ignore[import-untyped]

from app.reports.documents import AccessReportDocument
from app.reports.layout import (
    Styles,
    build_pdf,
    data_table,
    facts_table,
    meta_line,
    section,
    spacer,
    title_block,
)

__all__ = ["TITLE", "access_report_pdf"]

TITLE = "Wie heeft uw dossier bekeken of gewijzigd?"
RUNNING_TITLE = "Toegang tot uw dossier"
SUBJECT = "Overzicht van toegang tot een dossier (artikel 15 AVG, NEN 7513)"
HEADER = ("Wanneer", "Wat", "Door", "Namens", "Apparaat")
SHARES = (0.15, 0.26, 0.25, 0.15, 0.19)

INTRO = (
    "Dit overzicht laat zien wie uw dossier heeft bekeken, aangevuld, gewijzigd, verwijderd of "
    "geëxporteerd. Ook wat een klantmanager op een laptop zonder internetverbinding deed, staat "
    "erin: de laptop stuurt dat later naar ons. U heeft recht op dit overzicht (artikel 15 AVG). "
    "Alle tijden zijn Nederlandse tijd."
)
NOTHING = "In deze periode heeft niemand uw dossier bekeken of gewijzigd."
EXPLANATION = (
    "Wat: eerst de soort handeling (aanmaken, inzien, wijzigen, verwijderen of exporteren, ook "
    "afdrukken), dan wat er gebeurde. "
    "Namens: het team waarvoor de medewerker werkte, of de medewerker zelf. "
    "Apparaat: de laptop waarop het gebeurde, of de centrale server. "
    "Heeft u vragen over dit overzicht, of denkt u dat iemand uw dossier zonder reden heeft "
    "bekeken? Neem dan contact met ons op."
)


def access_report_pdf(doc: AccessReportDocument) -> bytes:
    """The report as PDF bytes (A4, letterhead of `doc.meta.municipality`)."""
    return build_pdf(
        meta=doc.meta,
        title=TITLE,
        subject=SUBJECT,
        running_title=f"{RUNNING_TITLE} · {doc.client.name}",
        story=partial(_story, doc),
    )


def _story(doc: AccessReportDocument, styles: Styles) -> list[Flowable]:
    client = "\n".join((doc.client.name, *doc.client.lines))
    facts = [("Cliënt", client), ("Periode", doc.period), ("Aantal keer", str(len(doc.rows)))]
    story: list[Flowable] = [
        *title_block(styles, TITLE, meta_line(doc.meta)),
        Paragraph(escape(INTRO), styles.body),
        spacer(2 * mm),
        facts_table(styles, facts),
        spacer(2 * mm),
    ]
    if doc.rows:
        rows = [
            (r.moment, f"{r.category}\n{r.what}", f"{r.who}\n{r.role}", r.on_behalf_of, r.device)
            for r in doc.rows
        ]
        story += section(
            styles, "Toegang in deze periode", [data_table(styles, HEADER, rows, SHARES)]
        )
    else:
        story += section(
            styles, "Toegang in deze periode", [Paragraph(escape(NOTHING), styles.body)]
        )
    story += section(styles, "Uitleg", [Paragraph(escape(EXPLANATION), styles.body)])
    return story
