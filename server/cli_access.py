"""`veldwerk-server access-report`: who viewed or changed one client's dossier (issue #15).

The PDF is for the client, JSON and CSV for the privacy officer. The report is personal data: it
is written only to the `--out` path the operator gives, and making it is itself an access to the
dossier, audited as an export in the operator's name. Bad input (no such client, an invalid BSN,
a malformed date, a period that ends before it starts, an unusable path) is refused before
anything is read or written, in Dutch or English as the locale says (server/terminal.py).
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from app.domain.errors import VeldwerkError
from app.domain.local_time import local_today
from server.access.document import report_pdf
from server.access.events import access_events
from server.access.exports import csv_bytes, json_bytes
from server.access.lookup import find_client
from server.access.output import check_output, write_report
from server.access.period import Period, parse_day
from server.cli import _operator
from server.crud import audit
from server.terminal import Parser, err, error_text, out, text

__all__ = ["FORMATS", "access_report", "add_access_report"]

FORMATS = ("pdf", "json", "csv")
BAD_INPUT = 2


def add_access_report(commands: argparse._SubParsersAction[Parser]) -> None:
    day = text("JJJJ-MM-DD", "YYYY-MM-DD")
    report = commands.add_parser(
        "access-report",
        help=text(
            "wie het dossier van één cliënt heeft ingezien of gewijzigd (NEN 7513), voor de "
            "cliënt of de privacyfunctionaris",
            "who viewed or changed one client's dossier (NEN 7513), for the client or the "
            "privacy officer",
        ),
    )
    client = report.add_mutually_exclusive_group(required=True)
    client.add_argument(
        "--client", metavar="ID", help=text("het id van de cliënt", "the client's id")
    )
    client.add_argument(
        "--bsn", metavar="BSN", help=text("het BSN van de cliënt", "the client's BSN")
    )
    report.add_argument(
        "--from",
        dest="first",
        metavar=day,
        help=text("eerste dag (standaard: vanaf het begin)", "first day (default: the beginning)"),
    )
    report.add_argument(
        "--to",
        dest="last",
        metavar=day,
        help=text(
            "laatste dag, die meetelt (standaard: vandaag)", "last day, included (default: today)"
        ),
    )
    report.add_argument(
        "--format",
        choices=FORMATS,
        required=True,
        help=text(
            "pdf voor de cliënt, json of csv voor de privacyfunctionaris",
            "pdf for the client, json or csv for the privacy officer",
        ),
    )
    report.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar=text("BESTAND", "FILE"),
        help=text("het bestand dat wordt geschreven", "the file to write"),
    )
    report.set_defaults(handler=access_report)


def _refuse(error: VeldwerkError) -> int:
    err(error_text(error))
    return BAD_INPUT


def access_report(args: argparse.Namespace, session: Session) -> int:
    try:
        period = Period(parse_day(args.first, "--from"), parse_day(args.last, "--to"))
        client = find_client(session, client_id=args.client, bsn=args.bsn)
        check_output(args.out)
    except VeldwerkError as error:
        return _refuse(error)
    operator = _operator()
    made_at = datetime.now(UTC)
    # Audited before the events are read, so the report lists its own making when the period
    # reaches today (as the device's export of a dossier does).
    audit.record(
        session,
        actor=operator,
        action="export",
        entity="client",
        record_id=client.id,
        report="access",
        format=args.format,
        period_from=period.first.isoformat() if period.first else None,
        period_to=period.last.isoformat() if period.last else None,
    )
    events = access_events(session, client.id, period.start, period.end)
    if args.format == "pdf":
        data = report_pdf(client, period, events, printed_on=local_today())
    elif args.format == "json":
        data = json_bytes(
            client_id=client.id, period=period, events=events, made_at=made_at, made_by=operator
        )
    else:
        data = csv_bytes(events)
    write_report(args.out, data, before_rename=session.commit)
    count = len(events)
    out(
        f"inzageoverzicht geschreven: {count} gebeurtenis{'' if count == 1 else 'sen'} "
        f"({args.format})",
        f"access report written: {count} event{'' if count == 1 else 's'} ({args.format})",
    )
    return 0
