"""The report as a PDF for the councils: per figure a short Dutch text on what it shows, its
table, a chart where a picture says it quicker (ladder movement, visits per month, terms kept),
and how its counts were protected. Made with the documents' own page (app.reports.layout: the
letterhead, DejaVu Sans embedded, "Pagina n van m").
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.platypus import Flowable, Paragraph, TableStyle  # type: ignore[import-untyped]
from reportlab.platypus import Table as RLTable

from app.domain.clocks import TERMS, ClockKind
from app.domain.formatting import date_text
from app.domain.reference import all_domain_keys, domain_labels, self_sufficiency_domains
from app.reports.documents import DocumentMeta
from app.reports.fonts import REGULAR
from app.reports.layout import (
    CONTENT_WIDTH,
    RULE,
    Styles,
    build_pdf,
    facts_table,
    markup,
    section,
    spacer,
    title_block,
)
from server.council.cells import Value
from server.council.charts import Bar, Segment, share_bars, stacked_bars
from server.council.disclosure import BASE, THRESHOLD
from server.council.report import Report
from server.council.tables import KINDS, PERIOD_TOTAL, Table
from server.council.texts import FIGURES, LIMITATIONS, suppression_note

__all__ = ["report_pdf"]

AUTHOR = "Werk, Inkomen en Zorg"
SUBJECT = (
    "Raadsinformatie: beleids- en managementinformatie sociaal domein, zonder persoonsgegevens"
)
KIND_NAMES = ("Intake", "Voortgang", "Heronderzoek", "Handhaving")
RULES = (
    f"Dit rapport bevat geen persoonsgegevens: geen namen, BSN's, geboortedata, adressen of "
    f"vrije tekst. Aantallen kleiner dan {THRESHOLD} zijn weggelaten (x). Zo nodig zijn ook "
    f"andere aantallen weggelaten, zodat een weggelaten aantal niet uit totalen of verschillen "
    f"van totalen kan worden teruggerekend. Alle andere aantallen zijn afgerond op een veelvoud "
    f"van {BASE}, ieder vanuit het werkelijke aantal; delen tellen daardoor niet altijd precies "
    f"op tot hun totaal. Gemiddelden gaan alleen over groepen van ten minste {THRESHOLD} "
    f"cliënten waarvan het aantal gepubliceerd is, en een percentage staat er alleen als alle "
    f"aantallen waaruit het bestaat gepubliceerd zijn."
)


def _count(value: Value) -> str:
    if value is None:
        return "x"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return str(value)


def _share(value: Value) -> str:
    return "x" if value is None else f"{value}%"


def _days(value: Value) -> str:
    return "x" if value is None else f"{int(value)}" if isinstance(value, float) else str(value)


def _find(table: Table, **where: str) -> list[dict[str, Value]]:
    return [r for r in table.records() if all(r[k] == v for k, v in where.items())]


def _one(table: Table, **where: str) -> dict[str, Value]:
    found = _find(table, **where)
    return found[0] if found else dict.fromkeys(table.columns)


class _Story:
    def __init__(self, report: Report, styles: Styles) -> None:
        self.report = report
        self.styles = styles
        self.now = report.period.label
        self.then = report.previous.label
        self.areas = report.areas
        self.whole = report.whole

    def text(self, text: str) -> Paragraph:
        return Paragraph(escape(text), self.styles.body)

    def note(self, *tables: Table) -> Paragraph:
        counts = sum(t.counts for t in tables)
        withheld = sum(t.withheld for t in tables)
        return Paragraph(escape(suppression_note(withheld, counts)), self.styles.small)

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        first: float = 0.28,
        shares: Sequence[float] | None = None,
    ) -> Flowable:
        """Figures under a tinted header, a size smaller than the text: tables of up to nine
        columns keep their captions on whole lines (a newline in a caption breaks it)."""
        rest = (1 - first) / max(1, len(header) - 1)
        widths = shares or (first, *([rest] * (len(header) - 1)))
        head = ParagraphStyle(
            "council_head", parent=self.styles.cell_head, fontSize=7.5, leading=9.5
        )
        cell = ParagraphStyle("council_cell", parent=self.styles.cell, fontSize=8.5, leading=11)
        table = RLTable(
            [
                [Paragraph(markup(h), head) for h in header],
                *[[Paragraph(escape(c), cell) for c in row] for row in rows],
            ],
            colWidths=[CONTENT_WIDTH * w for w in widths],
            repeatRows=1,
            splitInRow=0,
        )
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BACKGROUND", (0, 0), (-1, 0), self.styles.accent_tint),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.8, self.styles.accent),
                    ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
                    ("LEFTPADDING", (0, 0), (-1, -1), 2),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                    ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        return table

    def figure(self, name: str, content: list[Flowable], *tables: Table) -> list[Flowable]:
        text = FIGURES[name]
        return section(
            self.styles,
            text.title[0],
            [self.text(text.about[0]), *content, self.note(*tables), spacer(2 * mm)],
        )

    # ------------------------------------------------------------------------- figures

    def clients(self) -> list[Flowable]:
        table = self.report.table("clients_per_scheme")
        rows = []
        for record in _find(table, period=self.now, area=self.whole):
            before = _one(table, period=self.then, area=self.whole, scheme=str(record["scheme"]))
            rows.append(
                (
                    str(record["scheme_name"]),
                    _count(record["clients"]),
                    _count(before["clients"]),
                    _count(record["new_clients"]),
                    _count(record["gone_clients"]),
                )
            )
        header = (
            "Regeling",
            f"Cliënten {self.now}",
            f"Cliënten {self.then}",
            "Instroom",
            "Uitstroom",
        )
        content: list[Flowable] = [self.table(header, rows, 0.32)]
        if len(self.areas) > 1:
            per_area = []
            for record in _find(table, period=self.now, area=self.areas[0]):
                scheme = str(record["scheme"])
                per_area.append(
                    (
                        str(record["scheme_name"]),
                        *(
                            _count(_one(table, period=self.now, area=a, scheme=scheme)["clients"])
                            for a in self.areas
                        ),
                    )
                )
            content += [
                spacer(2 * mm),
                self.table(("Cliënten " + self.now, *self.areas), per_area, 0.3),
            ]
        return self.figure("clients_per_scheme", content, table)

    def steps(self) -> list[Flowable]:
        table = self.report.table("ladder_steps")
        header = ("Gebied", *(f"Trede\n{n}" for n in range(1, 7)), "Onbekend", "Totaal")
        rows = [
            (f"{r['area']} ({r['period']})", *(_count(r[c]) for c in table.columns[2:]))
            for r in [
                *_find(table, period=self.now),
                *_find(table, period=self.then, area=self.whole),
            ]
        ]
        shares = (0.26, *([0.08] * 6), 0.13, 0.13)
        return self.figure("ladder_steps", [self.table(header, rows, shares=shares)], table)

    def movement(self) -> list[Flowable]:
        table = self.report.table("ladder_movement")
        records = [*_find(table, period=self.now), *_find(table, period=self.then, area=self.whole)]
        header = (
            "Gebied",
            "Gemeten",
            "Eerste meting",
            "Omhoog",
            "Gelijk",
            "Omlaag",
            "Doel bereikt",
        )
        rows = [
            (
                f"{r['area']} ({r['period']})",
                *(_count(r[c]) for c in ("measured", "first_measurement", "up", "same", "down")),
                _share(r["share_target_reached"]),
            )
            for r in records
        ]
        bars = [
            Bar(
                f"{r['area']} ({r['period']})",
                tuple(
                    Segment(name, _int(r[c]))
                    for name, c in zip(
                        ("Omhoog", "Gelijk", "Omlaag"), ("up", "same", "down"), strict=True
                    )
                ),
            )
            for r in records
        ]
        chart = stacked_bars(
            bars,
            ("Omhoog", "Gelijk", "Omlaag"),
            width=CONTENT_WIDTH,
            height=16 + 16 * len(bars),
            horizontal=True,
            percent=True,
        )
        lead = self.text(
            "De balken tonen per gebied de verdeling over omhoog, gelijk en omlaag (in procenten "
            "van de vergeleken cliënten); een gebied met een weggelaten aantal heeft geen balk."
        )
        return self.figure(
            "ladder_movement", [self.table(header, rows, 0.26), spacer(2 * mm), lead, chart], table
        )

    def scores(self) -> list[Flowable]:
        table = self.report.table("self_sufficiency")
        labels = domain_labels()
        shown_areas = self.areas if len(self.areas) > 1 else ()
        header = (
            "Leefgebied",
            f"Gem.\n{self.now}",
            f"Gem.\n{self.then}",
            f"Verschil\n{self.now}",
            *(f"{a}\n{self.now}" for a in shown_areas if a != self.whole),
        )
        rows = []
        for domain in all_domain_keys():
            now = _one(table, period=self.now, area=self.whole, domain=domain)
            if (
                now["clients_scored"] is None
                and now["mean_score"] is None
                and domain not in _default_domains()
            ):
                continue
            then = _one(table, period=self.then, area=self.whole, domain=domain)
            rows.append(
                (
                    labels[domain].nl,
                    _count(now["mean_score"]),
                    _count(then["mean_score"]),
                    _signed(now["mean_change"]),
                    *(
                        _count(_one(table, period=self.now, area=a, domain=domain)["mean_score"])
                        for a in shown_areas
                        if a != self.whole
                    ),
                )
            )
        lead = self.text(
            f"Gem.: gemiddelde score. De eerste drie kolommen gelden voor {self.whole}; de "
            "andere voor elk gebied."
        )
        return self.figure("self_sufficiency", [lead, self.table(header, rows, 0.18)], table)

    def visits(self) -> list[Flowable]:
        table = self.report.table("home_visits")
        bars = []
        for period in (self.then, self.now):
            for r in _find(table, period=period, area=self.whole):
                if r["month"] == PERIOD_TOTAL:
                    continue
                month = str(r["month"])
                bars.append(
                    Bar(
                        f"{month[5:7]}-{month[2:4]}",
                        tuple(
                            Segment(n, _int(r[k])) for n, k in zip(KIND_NAMES, KINDS, strict=True)
                        ),
                        _int(r["visits"]),
                    )
                )
        chart = stacked_bars(
            bars, KIND_NAMES, width=CONTENT_WIDTH, height=62 * mm, horizontal=False
        )
        header = ("Maand", *KIND_NAMES, "Totaal")
        rows = [
            (str(r["month_name"]), *(_count(r[k]) for k in (*KINDS, "visits")))
            for r in _find(table, period=self.now, area=self.whole)
        ]
        lead = self.text(
            f"{self.whole}, per maand van {self.then} en {self.now} (tot en met "
            f"{date_text(self.report.as_of)}); grijs: het deel van een gepubliceerd totaal "
            "waarvan de soort is weggelaten."
        )
        content: list[Flowable] = [lead, chart, spacer(2 * mm), self.table(header, rows, 0.24)]
        if len(self.areas) > 1:
            per_area = [
                (
                    a,
                    *(
                        _count(_one(table, period=self.now, area=a, month=PERIOD_TOTAL)[k])
                        for k in (*KINDS, "visits")
                    ),
                )
                for a in self.areas
            ]
            content += [
                spacer(2 * mm),
                self.table((f"Gebied, {self.now}", *KIND_NAMES, "Totaal"), per_area, 0.24),
            ]
        return self.figure("home_visits", content, table)

    def seen(self) -> list[Flowable]:
        table = self.report.table("seen_at_home")
        header = (
            "Gebied",
            f"Cliënten {self.now}",
            "Thuis bezocht",
            f"% {self.now}",
            f"% {self.then}",
        )
        rows = [
            (
                str(r["area"]),
                _count(r["clients"]),
                _count(r["seen"]),
                _share(r["share_seen"]),
                _share(_one(table, period=self.then, area=str(r["area"]))["share_seen"]),
            )
            for r in _find(table, period=self.now)
        ]
        return self.figure("seen_at_home", [self.table(header, rows, 0.3)], table)

    def terms(self) -> list[Flowable]:
        table = self.report.table("statutory_terms")
        header = (
            "Termijn",
            "Afgerond",
            "Binnen termijn",
            "Te laat",
            "Binnen (%)",
            "Gem. dagen",
            "Open en verlopen",
        )
        rows = []
        groups = []
        for kind in ClockKind:
            term = TERMS[kind]
            now = _one(table, period=self.now, area=self.whole, term=kind.value)
            then = _one(table, period=self.then, area=self.whole, term=kind.value)
            rows.append(
                (
                    f"{term.labels[0]} ({term.weeks} weken, {term.source})",
                    *(_count(now[c]) for c in ("stopped", "within_term", "late")),
                    _share(now["share_within_term"]),
                    _days(now["mean_days"]),
                    _count(now["overdue_open"]),
                )
            )
            groups.append(
                (
                    term.labels[0],
                    (
                        (self.now, _int(now["share_within_term"])),
                        (self.then, _int(then["share_within_term"])),
                    ),
                )
            )
        chart = share_bars(
            groups, width=CONTENT_WIDTH, height=14 + 13 * 9, series=(self.now, self.then)
        )
        lead = self.text(
            f"Binnen de termijn gebleven, {self.whole}: {self.now} tegenover {self.then}."
        )
        content: list[Flowable] = [self.table(header, rows, 0.3), spacer(2 * mm), lead, chart]
        if len(self.areas) > 1:
            per_area = [
                (
                    a,
                    *(
                        _share(
                            _one(table, period=self.now, area=a, term=k.value)["share_within_term"]
                        )
                        for k in ClockKind
                    ),
                )
                for a in self.areas
            ]
            content += [
                spacer(2 * mm),
                self.table(
                    (f"Binnen termijn (%), {self.now}", *(TERMS[k].labels[0] for k in ClockKind)),
                    per_area,
                    0.34,
                ),
            ]
        return self.figure("statutory_terms", content, table)

    def plans(self) -> list[Flowable]:
        table = self.report.table("client_plans")
        header = (
            "Gebied",
            "Actief",
            "Evaluaties gepland",
            "Op tijd",
            "Niet op tijd",
            "Op tijd (%)",
        )
        rows = [
            (
                f"{r['area']} ({r['period']})",
                *(
                    _count(r[c])
                    for c in (
                        "plans_active",
                        "evaluations_due",
                        "evaluated_on_time",
                        "evaluated_late",
                    )
                ),
                _share(r["share_on_time"]),
            )
            for r in [
                *_find(table, period=self.now),
                *_find(table, period=self.then, area=self.whole),
            ]
        ]
        return self.figure("client_plans", [self.table(header, rows, 0.28)], table)

    def health(self) -> list[Flowable]:
        table = self.report.table("process_health")
        header = ("Gebied", "Conflicten ontstaan", "Verweesde wijzigingen open")
        rows = [
            (
                f"{r['area']} ({r['period']})",
                _count(r["conflicts_arisen"]),
                _count(r["late_edits_open"]),
            )
            for r in [
                *_find(table, period=self.now),
                *_find(table, period=self.then, area=self.whole),
            ]
        ]
        content: list[Flowable] = [self.table(header, rows, 0.4)]
        whole = _one(table, period=self.now, area=self.whole)
        if self.whole == self.report.scope.total:
            content += [
                spacer(2 * mm),
                facts_table(
                    self.styles,
                    [
                        (
                            "Laptops > 14 dagen niet gesynchroniseerd",
                            _count(whole["devices_not_synced"]),
                        ),
                        ("Open conflicten op laptops", _count(whole["open_conflicts_on_devices"])),
                    ],
                ),
            ]
        return self.figure("process_health", content, table)

    def limitations(self) -> list[Flowable]:
        table = self.report.table("limitations")
        content: list[Flowable] = [self.text(FIGURES["limitations"].about[0])]
        for record in table.records():
            key = str(record["key"])
            text = LIMITATIONS[key][0]
            if "count" in record and key in ("outside_region", "unknown_village"):
                text += f" Aantal: {_count(record['count'])}."
            content.append(Paragraph(escape(text), self.styles.body))
        return section(self.styles, FIGURES["limitations"].title[0], content)

    def story(self) -> list[Flowable]:
        report = self.report
        facts = [
            ("Periode", f"{report.period.label}: {report.period.text_nl()}"),
            ("Vergeleken met", f"{report.previous.label}: {report.previous.text_nl()}"),
            ("Geteld tot en met", date_text(report.as_of)),
            ("Gebieden", ", ".join(self.areas)),
        ]
        story: list[Flowable] = [
            *title_block(
                self.styles,
                f"Raadsinformatie {self.whole} {report.period.label}",
                "Beleids- en managementinformatie Werk, Inkomen en Zorg",
            ),
            facts_table(self.styles, facts),
            spacer(3 * mm),
            *section(self.styles, "Zo is de privacy beschermd", [self.text(RULES)]),
        ]
        for part in (
            self.clients,
            self.steps,
            self.movement,
            self.scores,
            self.visits,
            self.seen,
            self.terms,
            self.plans,
            self.health,
            self.limitations,
        ):
            story += part()
        return story


def _int(value: Value) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _signed(value: Value) -> str:
    if value is None:
        return "x"
    number = float(value) if isinstance(value, int | float) else 0.0
    return ("+" if number > 0 else "") + f"{number:.1f}".replace(".", ",")


def _default_domains() -> frozenset[str]:
    """The domains of the matrix in use: shown even when withheld; older ones only with data."""
    return frozenset(d.key for d in self_sufficiency_domains())


def report_pdf(report: Report) -> bytes:
    """The report as PDF bytes, on the letterhead of Het Hogeland (or of the one former
    municipality it is about)."""
    whole = report.whole
    meta = DocumentMeta(
        municipality=whole,
        document_date=report.made_at.date(),
        reference=f"Raadsinformatie {report.period.label}",
        author=AUTHOR,
    )
    return build_pdf(
        meta=meta,
        title=f"Raadsinformatie {whole} {report.period.label}",
        subject=SUBJECT,
        running_title=f"Raadsinformatie {report.period.label}",
        story=lambda styles: _Story(report, styles).story(),
    )
