"""Destruction statements (verklaringen van vernietiging): what a destruction removed, counted
per category and destruction month, for central office to print and keep for good.

A statement holds no client id, name, BSN or free text: categories, months, counts and who made
it. Months, not days: with small counts a day could single out one person's file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.retention import Schedule
from app.reports.destruction_statement import (
    DestructionStatementDocument,
    StatementRow,
    destruction_statement_pdf,
)
from app.reports.documents import DocumentMeta
from server.models import DestructionStatement
from server.retention.errors import RetentionError

RETENTION = "retention"
ERASURE = "erasure"


@dataclass(frozen=True, slots=True)
class Line:
    category: str
    month: str  # YYYY-MM
    files: int
    records: int

    def as_json(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "month": self.month,
            "files": self.files,
            "records": self.records,
        }


def lines_of(files: Iterable[tuple[str, date, int]]) -> tuple[Line, ...]:
    """(category, destruction date, records) per file, counted per category and month."""
    count: Counter[tuple[str, str]] = Counter()
    records: Counter[tuple[str, str]] = Counter()
    for category, day, rows in files:
        key = (category, f"{day:%Y-%m}")
        count[key] += 1
        records[key] += rows
    return tuple(Line(c, m, count[(c, m)], records[(c, m)]) for c, m in sorted(count))


def write(
    session: Session,
    *,
    kind: str,
    as_of: date,
    lines: tuple[Line, ...],
    totals: dict[str, int],
    by: str,
    now: datetime,
) -> DestructionStatement:
    statement = DestructionStatement(
        made_at=now,
        made_by=by,
        kind=kind,
        as_of=as_of,
        lines=[line.as_json() for line in lines],
        totals=dict(totals),
    )
    session.add(statement)
    session.flush()
    return statement


def listed(session: Session) -> list[DestructionStatement]:
    return list(session.scalars(select(DestructionStatement).order_by(DestructionStatement.id)))


def get(session: Session, statement_id: int) -> DestructionStatement:
    found = session.get(DestructionStatement, statement_id)
    if found is None:
        raise RetentionError(
            "unknown_statement",
            "Er is geen verklaring van vernietiging met dit nummer.",
            "There is no destruction statement with this number.",
        )
    return found


_TOTALS: dict[str, tuple[str, str]] = {
    "files": ("Dossiers vernietigd", "Files destroyed"),
    "records": ("Gegevens (records) vernietigd", "Records destroyed"),
    "attachments": ("Bijlagebestanden vernietigd", "Attachment files destroyed"),
    "held": ("Niet vernietigd wegens bewaarplicht (legal hold)", "Kept under a legal hold"),
    "for_review": (
        "Dossiers zonder regeling (ter beoordeling)",
        "Files without a provision (for review)",
    ),
    "audit_scrubbed": ("Auditregels ontdaan van persoonsgegevens", "Audit entries scrubbed"),
    "login_failures": ("Mislukte aanmeldingen verwijderd", "Failed sign-ins removed"),
    "enrollment_codes": ("Verlopen koppelcodes verwijderd", "Expired enrollment codes removed"),
    "device_contact_times": (
        "Contactmomenten van apparaten gewist",
        "Device contact times cleared",
    ),
    "push_answers_stripped": (
        "Opgeslagen antwoorden ontdaan van gegevens",
        "Stored answers stripped of values",
    ),
}


# The joint organisation's letterhead: a statement is about files of all four former
# municipalities at once.
LETTERHEAD = "Het Hogeland"
_BASIS = {
    RETENTION: ("Bewaartermijn verstreken", "Retention period ended"),
    ERASURE: ("Vernietiging op verzoek van de cliënt", "Destruction at the client's request"),
}
_NO_PROVISION = ("Zonder regeling", "Without a provision")
_UNKNOWN = ("Onbekend", "Unknown")


def _category(code: str, schedule: Schedule) -> tuple[tuple[str, str], str]:
    """((Dutch, English) name, the term in Dutch) of a statement line's category."""
    category = schedule.categories.get(code)
    if category is None:
        return (_NO_PROVISION if code == "no_provision" else (code, code)), ""
    return (category.label.nl, category.label.en), category.term.text("nl")


def document(statement: DestructionStatement, schedule: Schedule) -> DestructionStatementDocument:
    rows = []
    for line in statement.lines:
        (name, _), term = _category(str(line["category"]), schedule)
        rows.append(
            StatementRow(name, term, str(line["month"]), int(line["files"]), int(line["records"]))
        )
    return DestructionStatementDocument(
        meta=DocumentMeta(
            municipality=LETTERHEAD,
            document_date=statement.made_at.date(),
            reference=f"vernietiging-{statement.id}",
            author=statement.made_by,
        ),
        number=statement.id,
        basis=_BASIS.get(statement.kind, _UNKNOWN)[0],
        source=schedule.source,
        as_of=statement.as_of,
        made=f"{statement.made_at:%d-%m-%Y %H:%M} UTC door {statement.made_by}",
        rows=tuple(rows),
        totals=tuple(
            (nl, int(statement.totals[key]))
            for key, (nl, _en) in _TOTALS.items()
            if key in statement.totals
        ),
    )


def pdf(statement: DestructionStatement, schedule: Schedule) -> bytes:
    return destruction_statement_pdf(document(statement, schedule))


def text(statement: DestructionStatement, schedule: Schedule, language: str = "nl") -> str:
    """The statement as plain text in one language, ready to print and sign."""
    dutch = language.startswith("nl")

    def pick(pair: tuple[str, str]) -> str:
        return pair[0] if dutch else pair[1]

    made = f"{statement.made_at:%d-%m-%Y %H:%M} UTC"
    out = [
        pick(
            (
                f"Verklaring van vernietiging nr. {statement.id}",
                f"Destruction statement no. {statement.id}",
            )
        ),
        "",
        f"{pick(('Grondslag', 'Basis'))}: {pick(_BASIS.get(statement.kind, _UNKNOWN))}",
        f"{pick(('Bron', 'Source'))}: {schedule.source}",
        f"{pick(('Peildatum', 'As of'))}: {statement.as_of:%d-%m-%Y}",
        pick(
            (f"Opgemaakt: {made} door {statement.made_by}", f"Made: {made} by {statement.made_by}")
        ),
        "",
        pick(
            (
                "Categorie | Bewaartermijn | Maand | Dossiers | Records",
                "Category | Retention | Month | Files | Records",
            )
        ),
    ]
    for line in statement.lines:
        names, term = _category(str(line["category"]), schedule)
        if term and not dutch:
            category = schedule.categories[str(line["category"])]
            term = category.term.text("en")
        out.append(
            f"{pick(names)} | {term or '-'} | {line['month']} | {line['files']} | {line['records']}"
        )
    if not statement.lines:
        out.append(pick(("(geen)", "(none)")))
    out.append("")
    for key, captions in _TOTALS.items():
        if key in statement.totals:
            out.append(f"{pick(captions)}: {statement.totals[key]}")
    out += [
        "",
        pick(
            (
                "Deze verklaring bevat geen persoonsgegevens.",
                "This statement holds no personal data.",
            )
        ),
        "",
        pick(
            (
                "Handtekening: ______________________    Datum: ____________",
                "Signature: ______________________    Date: ____________",
            )
        ),
    ]
    return "\n".join(out) + "\n"
