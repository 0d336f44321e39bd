"""`veldwerk-server retention …` and `veldwerk-server erasure …` (issue #15).

    retention run [--dry-run]         destroy what is due, purge login data, write a statement
    retention due                     what a run would destroy today, per category
    retention hold add --client ID --reason TEXT
    retention hold lift --client ID
    retention hold list
    retention statements              the destruction statements
    retention statement --id N [--out FILE.pdf|FILE.txt]
    erasure request --client ID --received YYYY-MM-DD
    erasure list [--all]              requests with the days left on their clock
    erasure decide --request N (--carry-out | --refuse --reason TEXT)

A client is named by its id or BSN; output names clients by id only, never by name or BSN.
Messages are Dutch or English as the locale says (server/terminal.py). A refused command
changes nothing. Every change is written to the audit log in the operator's name
(`server.cli._operator`), without personal data.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app.domain.errors import VeldwerkError
from app.domain.local_time import local_today
from app.domain.retention import schedule
from server import terminal
from server.retention import erasure, holds, statements
from server.retention.files import survey
from server.retention.run import RunPlan, run
from server.terminal import err, error_text, out

Handler = Callable[[argparse.Namespace, Session], int]
say = terminal.text


def _today() -> date:
    """The day retention counts with: the local date of central office."""
    return local_today()


def _now() -> datetime:
    return datetime.now(UTC)


def _operator() -> str:
    from server.cli import _operator as operator  # the one definition; server.cli imports us

    return operator()


def _refusing(handler: Handler) -> Handler:
    """Run the command in a savepoint: a refusal undoes whatever it began, and is told."""

    def run_it(args: argparse.Namespace, session: Session) -> int:
        try:
            with session.begin_nested():
                return handler(args, session)
        except VeldwerkError as error:
            err(error_text(error))
            return 1

    return run_it


def _category(code: str) -> str:
    found = schedule().categories.get(code)
    if found is not None:
        return found.label.text(terminal.language())
    return say("zonder regeling", "without a provision") if code == erasure.NO_PROVISION else code


def _day(day: date) -> str:
    return f"{day:%d-%m-%Y}"


def _print_plan(plan: RunPlan, *, dry_run: bool) -> None:
    day = _day(plan.today)
    if dry_run:
        out(f"Proefdraai per {day}: er verandert niets.", f"Dry run as of {day}: nothing changes.")
    else:
        out(f"Vernietiging per {day}.", f"Destruction as of {day}.")
    for line in plan.lines:
        what = f"  {_category(line.category)}, {line.month}: "
        out(
            f"{what}{line.files} dossiers, {line.records} records",
            f"{what}{line.files} files, {line.records} records",
        )
    t = plan.totals
    out(
        f"Dossiers: {t['files']}; records: {t['records']}; bijlagebestanden: {t['attachments']}",
        f"Files: {t['files']}; records: {t['records']}; attachment files: {t['attachments']}",
    )
    out(
        f"Overgeslagen wegens bewaarplicht (legal hold): {t['held']}",
        f"Skipped under a legal hold: {t['held']}",
    )
    out(
        f"Zonder regeling, ter beoordeling: {t['for_review']}",
        f"Without a provision, for review: {t['for_review']}",
    )
    out(
        f"Auditregels ontdaan van persoonsgegevens: {t['audit_scrubbed']}",
        f"Audit entries scrubbed of personal data: {t['audit_scrubbed']}",
    )
    cutoff = _day(plan.contact.cutoff.date())
    out(
        f"Inloggegevens en apparaatcontact van voor {cutoff}: "
        f"{t['login_failures']} mislukte aanmeldingen, {t['enrollment_codes']} koppelcodes, "
        f"{t['device_contact_times']} contactmomenten, {t['push_answers_stripped']} antwoorden",
        f"Login and device-contact data from before {cutoff}: "
        f"{t['login_failures']} failed sign-ins, {t['enrollment_codes']} enrollment codes, "
        f"{t['device_contact_times']} contact times, {t['push_answers_stripped']} answers",
    )


def _run(args: argparse.Namespace, session: Session) -> int:
    result = run(session, today=_today(), now=_now(), by=_operator(), dry_run=bool(args.dry_run))
    _print_plan(result.plan, dry_run=result.dry_run)
    number = result.statement_id
    if number is not None:
        out(
            f"Verklaring van vernietiging nr. {number} opgeslagen.",
            f"Destruction statement no. {number} stored.",
        )
    elif not result.dry_run:
        out("Niets te vernietigen.", "Nothing to destroy.")
    return 0


def _due(_args: argparse.Namespace, session: Session) -> int:
    today = _today()
    found = survey(session, today=today, schedule=schedule())
    out(f"Te vernietigen per {_day(today)}:", f"Due for destruction as of {_day(today)}:")
    per_category = Counter(f.category for f in found.due)
    for code, count in sorted(per_category.items()):
        out(f"  {_category(code)}: {count}")
    if not per_category:
        out("  (geen)", "  (none)")
    out(
        f"Overgeslagen wegens bewaarplicht (legal hold): {len(found.held)}",
        f"Skipped under a legal hold: {len(found.held)}",
    )
    out(f"Nog niet verstreken: {found.scheduled}", f"Not yet due: {found.scheduled}")
    out(
        f"Met een lopende regeling: {found.running}",
        f"With a running provision: {found.running}",
    )
    review = len(found.no_provision)
    out(
        f"Zonder regeling, ter beoordeling: {review}",
        f"Without a provision, for review: {review}",
    )
    for client_id in found.no_provision:
        out(f"  {client_id}")
    return 0


def _hold_add(args: argparse.Namespace, session: Session) -> int:
    hold = holds.place(session, client=args.client, reason=args.reason, by=_operator(), now=_now())
    out(
        f"Bewaarplicht (legal hold) vastgelegd voor cliënt {hold.client_id}.",
        f"Legal hold placed for client {hold.client_id}.",
    )
    return 0


def _hold_lift(args: argparse.Namespace, session: Session) -> int:
    hold = holds.lift(session, client=args.client, by=_operator(), now=_now())
    out(
        f"Bewaarplicht (legal hold) opgeheven voor cliënt {hold.client_id}.",
        f"Legal hold lifted for client {hold.client_id}.",
    )
    return 0


def _hold_list(_args: argparse.Namespace, session: Session) -> int:
    found = holds.in_force(session)
    if not found:
        out("Geen bewaarplicht van kracht.", "No legal hold in force.")
    for hold in found:
        out(f"{hold.client_id}  {_day(hold.placed_at.date())}  {hold.placed_by}")
    return 0


def _statements(_args: argparse.Namespace, session: Session) -> int:
    found = statements.listed(session)
    if not found:
        out("Nog geen verklaringen van vernietiging.", "No destruction statements yet.")
    for statement in found:
        totals: dict[str, Any] = statement.totals
        files, records = totals.get("files", 0), totals.get("records", 0)
        start = f"{statement.id:>4}  {statement.made_at:%d-%m-%Y %H:%M}  {statement.kind:<9}  "
        out(
            f"{start}{files} dossiers, {records} records  {statement.made_by}",
            f"{start}{files} files, {records} records  {statement.made_by}",
        )
    return 0


def _statement(args: argparse.Namespace, session: Session) -> int:
    found = statements.get(session, args.id)
    language = terminal.language()
    if not args.out:
        sys.stdout.write(statements.text(found, schedule(), language))
        return 0
    target = Path(args.out)
    if target.suffix.lower() == ".pdf":
        target.write_bytes(statements.pdf(found, schedule()))
    else:
        target.write_text(statements.text(found, schedule(), language), encoding="utf-8")
    out(f"Opgeslagen in {target}.", f"Saved to {target}.")
    return 0


def _erasure_request(args: argparse.Namespace, session: Session) -> int:
    request = erasure.record_request(
        session,
        client=args.client,
        received=args.received,
        today=_today(),
        by=_operator(),
        now=_now(),
    )
    due = _day(request.due_on)
    out(
        f"Verzoek nr. {request.id} vastgelegd; uiterlijk {due} besluiten en uitvoeren.",
        f"Request no. {request.id} recorded; decide and carry out by {due}.",
    )
    if not request.statutory:
        out(
            "Let op: geen Wmo- of jeugddossier; de wettelijke bewaarplicht gaat meestal voor.",
            "Note: not a Wmo or youth file; the legal duty to keep it usually prevails.",
        )
    return 0


def _clock(view: erasure.RequestView) -> tuple[str, str]:
    status = view.request.status
    if view.days_left is None:
        if status == erasure.CARRIED_OUT:
            return "uitgevoerd", "carried out"
        return "geweigerd", "refused"
    if view.overdue:
        late = -view.days_left
        return f"TE LAAT: {late} dagen over de termijn", f"OVERDUE by {late} days"
    return f"nog {view.days_left} dagen", f"{view.days_left} days left"


def _erasure_list(args: argparse.Namespace, session: Session) -> int:
    found = erasure.listing(session, today=_today(), include_decided=bool(args.all))
    if not found:
        out("Geen verzoeken om vernietiging.", "No erasure requests.")
    for view in found:
        r = view.request
        notes_nl, notes_en = [], []
        if not r.statutory:
            notes_nl.append("geen Wmo/jeugd")
            notes_en.append("not Wmo/youth")
        if view.on_hold:
            notes_nl.append("bewaarplicht")
            notes_en.append("legal hold")
        if view.kept_for:
            names = ", ".join(_category(code) for code in view.kept_for)
            notes_nl.append(f"ook: {names}")
            notes_en.append(f"also: {names}")
        clock_nl, clock_en = _clock(view)
        start = f"{r.id:>4}  {r.client_id}  "
        out(
            f"{start}ontvangen {_day(r.received_on)}  uiterlijk {_day(r.due_on)}  {clock_nl}"
            + (f"  [{'; '.join(notes_nl)}]" if notes_nl else ""),
            f"{start}received {_day(r.received_on)}  due {_day(r.due_on)}  {clock_en}"
            + (f"  [{'; '.join(notes_en)}]" if notes_en else ""),
        )
    return 0


def _erasure_decide(args: argparse.Namespace, session: Session) -> int:
    if args.carry_out:
        if args.reason:
            raise VeldwerkError(
                "reason_with_carry_out",
                "Een reden hoort bij --refuse, niet bij --carry-out.",
                "A reason goes with --refuse, not with --carry-out.",
            )
        request = erasure.carry_out(
            session, request_id=args.request, by=_operator(), now=_now(), today=_today()
        )
        number = request.statement_id
        out(
            f"Verzoek nr. {request.id} uitgevoerd: dossier vernietigd, verklaring nr. {number}.",
            f"Request no. {request.id} carried out: file destroyed, statement no. {number}.",
        )
        return 0
    request = erasure.refuse(
        session, request_id=args.request, reason=args.reason, by=_operator(), now=_now()
    )
    out(
        f"Verzoek nr. {request.id} geweigerd; de reden is vastgelegd.",
        f"Request no. {request.id} refused; the reason is recorded.",
    )
    return 0


def _client_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--client",
        required=True,
        metavar=say("CLIËNT", "CLIENT"),
        help=say("id of BSN van de cliënt", "the client's id or BSN"),
    )


def register(commands: Any) -> None:
    """Add `retention` and `erasure` to veldwerk-server's commands."""
    retention = commands.add_parser(
        "retention", help=say("bewaartermijnen en vernietiging", "retention and destruction")
    )
    command = say("OPDRACHT", "COMMAND")
    sub = retention.add_subparsers(dest="retention_command", required=True, metavar=command)
    run_parser = sub.add_parser(
        "run", help=say("vernietig wat verlopen is (dagelijks)", "destroy what is due (daily)")
    )
    run_parser.add_argument(
        "--dry-run",
        action="store_true",
        help=say(
            "toon wat een run zou doen, verander niets", "show what a run does, change nothing"
        ),
    )
    run_parser.set_defaults(handler=_refusing(_run))
    due = sub.add_parser(
        "due", help=say("wat een run nu zou vernietigen", "what a run would destroy now")
    )
    due.set_defaults(handler=_refusing(_due))

    hold = sub.add_parser("hold", help=say("bewaarplicht (legal hold)", "legal hold"))
    hold_sub = hold.add_subparsers(dest="hold_command", required=True, metavar=command)
    add = hold_sub.add_parser("add", help=say("leg een bewaarplicht op", "place a legal hold"))
    _client_argument(add)
    add.add_argument(
        "--reason", required=True, metavar=say("REDEN", "REASON"), help=say("waarom", "why")
    )
    add.set_defaults(handler=_refusing(_hold_add))
    lift = hold_sub.add_parser("lift", help=say("hef de bewaarplicht op", "lift the legal hold"))
    _client_argument(lift)
    lift.set_defaults(handler=_refusing(_hold_lift))
    listing = hold_sub.add_parser("list", help=say("bewaarplichten van kracht", "holds in force"))
    listing.set_defaults(handler=_refusing(_hold_list))

    every = sub.add_parser(
        "statements", help=say("verklaringen van vernietiging", "destruction statements")
    )
    every.set_defaults(handler=_refusing(_statements))
    one = sub.add_parser("statement", help=say("één verklaring, om af te drukken", "one, to print"))
    one.add_argument(
        "--id",
        type=int,
        required=True,
        metavar=say("NR", "NUMBER"),
        help=say("het nummer van de verklaring", "the statement's number"),
    )
    one.add_argument(
        "--out",
        metavar=say("BESTAND", "FILE"),
        help=say("bestand: .pdf om te tekenen, anders tekst", "file: .pdf to sign, else text"),
    )
    one.set_defaults(handler=_refusing(_statement))

    requests = commands.add_parser(
        "erasure", help=say("vernietiging op verzoek van de cliënt", "erasure on request")
    )
    erasure_sub = requests.add_subparsers(dest="erasure_command", required=True, metavar=command)
    record = erasure_sub.add_parser("request", help=say("leg een verzoek vast", "record a request"))
    _client_argument(record)
    record.add_argument(
        "--received",
        required=True,
        type=date.fromisoformat,
        metavar=say("JJJJ-MM-DD", "YYYY-MM-DD"),
        help=say("ontvangen op", "received on"),
    )
    record.set_defaults(handler=_refusing(_erasure_request))
    listed = erasure_sub.add_parser(
        "list", help=say("verzoeken en hun termijn", "requests and their clock")
    )
    listed.add_argument("--all", action="store_true", help=say("ook besliste", "decided too"))
    listed.set_defaults(handler=_refusing(_erasure_list))
    decide = erasure_sub.add_parser("decide", help=say("besluit over een verzoek", "decide"))
    decide.add_argument(
        "--request",
        type=int,
        required=True,
        metavar=say("NR", "NUMBER"),
        help=say("het nummer van het verzoek", "the request's number"),
    )
    choice = decide.add_mutually_exclusive_group(required=True)
    choice.add_argument("--carry-out", action="store_true", help=say("uitvoeren", "carry out"))
    choice.add_argument("--refuse", action="store_true", help=say("weigeren", "refuse"))
    decide.add_argument(
        "--reason",
        metavar=say("REDEN", "REASON"),
        help=say("reden van weigering", "reason for refusing"),
    )
    decide.set_defaults(handler=_refusing(_erasure_decide))
