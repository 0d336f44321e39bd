"""`veldwerk-server council-report`: figures for the councils' information platform (issue #16).

    veldwerk-server council-report --period 2026-H2 [--municipality "De Marne"] --out DIR

Writes three files into DIR, all or none: `raadsinformatie-<period>[-<area>].db` (SQLite, one
table per figure), `.pdf` (the same figures with a short Dutch text each) and `metadata.json`
(Datasette: `datasette DIR`). No file holds a name, BSN, date of birth, postcode or free text:
only counts (below 10 withheld, others rounded to 5) and means over groups of at least 10.
Bad input (a period that is not YYYY-H1/H2 or has not begun, an unknown municipality, a folder
that is not there) is refused before anything is read or written, in Dutch or English as the
locale says (server/terminal.py).
"""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path

from sqlalchemy.orm import Session

from app.domain.errors import VeldwerkError
from app.domain.local_time import local_today
from server.cli import _operator
from server.council.areas import choose_areas
from server.council.files import Outputs, check_folder
from server.council.outputs_pdf import report_pdf
from server.council.outputs_sqlite import (
    METADATA,
    database_name,
    make_database,
    metadata_bytes,
)
from server.council.periods import Period
from server.council.report import FuturePeriod, council_report
from server.crud import audit
from server.terminal import Parser, err, error_text, out, text

__all__ = ["council_report_command", "register"]

BAD_INPUT = 2


class InvalidDay(VeldwerkError):
    def __init__(self) -> None:
        super().__init__(
            "invalid_date",
            "--as-of: geen geldige datum; schrijf JJJJ-MM-DD, zoals 2026-12-31. Er is niets "
            "geschreven.",
            "--as-of: not a valid date; write YYYY-MM-DD, like 2026-12-31. Nothing was written.",
        )


def register(commands: argparse._SubParsersAction[Parser]) -> None:
    council = commands.add_parser(
        "council-report",
        help=text(
            "cijfers voor de gemeenteraden, zonder persoonsgegevens: SQLite (Datasette) en PDF",
            "figures for the councils without personal data: SQLite (Datasette) and PDF",
        ),
    )
    council.add_argument(
        "--period",
        required=True,
        metavar=text("JJJJ-H1|JJJJ-H2", "YYYY-H1|YYYY-H2"),
        help=text("het halfjaar, bijvoorbeeld 2026-H2", "the half year, e.g. 2026-H2"),
    )
    council.add_argument(
        "--municipality",
        metavar=text("NAAM", "NAME"),
        help=text(
            "één voormalige gemeente (Bedum, De Marne, Winsum, Eemsmond); standaard: alle vier "
            "en Het Hogeland",
            "one former municipality (Bedum, De Marne, Winsum, Eemsmond); default: all four "
            "and Het Hogeland",
        ),
    )
    council.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar=text("MAP", "FOLDER"),
        help=text("de map waarin de bestanden komen", "the folder to write into"),
    )
    council.add_argument(
        "--as-of",
        dest="as_of",
        metavar=text("JJJJ-MM-DD", "YYYY-MM-DD"),
        help=text(
            "een lopende periode tellen tot en met deze dag (standaard: vandaag)",
            "count a running period up to this day (default: today)",
        ),
    )
    council.set_defaults(handler=council_report_command)


def _refuse(error: VeldwerkError) -> int:
    err(error_text(error))
    return BAD_INPUT


def _as_of(text: str | None) -> date:
    if text is None:
        return local_today()
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidDay() from None


def council_report_command(args: argparse.Namespace, session: Session) -> int:
    try:
        period = Period.parse(args.period)
        choose_areas(args.municipality)
        as_of = _as_of(args.as_of)
        if period.first > as_of:
            raise FuturePeriod(period)
        check_folder(args.out)
    except VeldwerkError as error:
        return _refuse(error)
    report = council_report(
        session, period, municipality=args.municipality, as_of=as_of, now=datetime.now(UTC)
    )
    name = database_name(report)
    outputs = Outputs(args.out)
    try:
        outputs.build(f"{name}.db", partial(make_database, report))
        outputs.write(f"{name}.pdf", report_pdf(report))
        outputs.write(METADATA, metadata_bytes(report, args.out))
        written = outputs.commit()
    except BaseException:
        outputs.discard()
        raise
    audit.record(
        session,
        actor=_operator(),
        action="council_report",
        entity="server",
        period=period.label,
        areas=list(report.areas),
        files=[path.name for path in written],
    )
    withheld = sum(table.withheld for table in report.tables)
    counts = sum(table.counts for table in report.tables)
    names = ", ".join(path.name for path in written)
    out(
        f"raadsinformatie {period.label} ({report.whole}, geteld tot en met "
        f"{report.as_of:%d-%m-%Y}): "
        f"{names} in {args.out}; {withheld} van de {counts} aantallen weggelaten",
        f"council report {period.label} ({report.whole}, counted up to {report.as_of}): "
        f"{names} in {args.out}; {withheld} of {counts} counts withheld",
    )
    return 0
