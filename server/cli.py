"""`veldwerk-server`: run and administer the central office service.

Every command works on the database in VELDWERK_DATABASE_URL (or --database-url). Output names
users, devices and counts; it never prints a client's name or BSN. Help, messages and errors are
Dutch or English as the locale says (server/terminal.py: `text`, `out`, `err`, `Parser`).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import uuid
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.domain.errors import VeldwerkError
from app.domain.roles import Role
from server import terminal
from server.client_import import MAX_FILE_BYTES
from server.config import Settings
from server.crud import assignments, audit, devices, users
from server.db import make_engine, make_sessionmaker, session_scope
from server.errors import ApiError
from server.migrations.runner import upgrade
from server.seed import import_clients, seed_demo
from server.sync.feed import server_state
from server.terminal import Parser, err, out, text

Handler = Callable[[argparse.Namespace, Session], int]


def _read_secret(path: str | None, prompt: str) -> str:
    if path:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
        return lines[0] if lines else ""
    first = getpass.getpass(prompt)
    if getpass.getpass(text("Nogmaals: ", "Again: ")) != first:
        raise ApiError(422, "password_mismatch", "The two passwords differ.")
    return first


def _operator() -> str:
    """Who gives a command on the server itself, for the audit log: the system account that runs
    it (central office's administrators sign in to the server machine personally)."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _create_user(args: argparse.Namespace, session: Session) -> int:
    password = _read_secret(
        args.password_file,
        text(f"Wachtwoord voor {args.username}: ", f"Password for {args.username}: "),
    )
    users.create_user(
        session,
        username=args.username,
        display_name=args.display_name or args.username,
        role=args.role,
        password=password,
        by=_operator(),
    )
    out(
        f"gebruiker {args.username} aangemaakt met rol {args.role}",
        f"created {args.role} {args.username}",
    )
    return 0


def _create_team(args: argparse.Namespace, session: Session) -> int:
    users.create_team(session, name=args.name, lead=args.lead, by=_operator())
    out(f"team {args.name} aangemaakt", f"created team {args.name}")
    return 0


def _add_to_team(args: argparse.Namespace, session: Session) -> int:
    users.add_to_team(session, team=args.team, username=args.username, by=_operator())
    out(f"{args.username} zit in team {args.team}", f"{args.username} is in team {args.team}")
    return 0


def _assign(args: argparse.Namespace, session: Session) -> int:
    from server.crud.records import client_id_by_bsn

    client_id = client_id_by_bsn(session, args.client) or args.client
    assignments.assign(session, client_id=client_id, caseworker=args.caseworker, by=_operator())
    out(
        f"cliënt {client_id} toegewezen aan {args.caseworker}",
        f"client {client_id} assigned to {args.caseworker}",
    )
    return 0


def _enrollment_code(args: argparse.Namespace, session: Session) -> int:
    code = devices.issue_enrollment_code(
        session, username=args.username, by=_operator(), hours=args.settings.enrollment_code_hours
    )
    hours = args.settings.enrollment_code_hours
    out(
        f"koppelcode voor {args.username} ({hours} uur geldig, eenmalig):",
        f"enrollment code for {args.username} (valid {hours} h, once):",
    )
    out(code)  # the last line: the desktop demo reads the code there (app/demo/server.py)
    return 0


def _devices(_args: argparse.Namespace, session: Session) -> int:
    rows = devices.list_devices(session)
    if not rows:
        out("geen apparaten", "no devices")
    # Dates as the desktop writes them in Dutch (22-11-2026 14:05), ISO in English as before.
    for device, username in rows:
        start = f"{device.id}  {username:<14} {device.name:<20}"
        seen, revoked = device.last_seen, device.revoked_at
        out(
            f"{start} laatste contact {f'{seen:%d-%m-%Y %H:%M}' if seen else '-'}  "
            + (f"ingetrokken {revoked:%d-%m-%Y}" if revoked else "in gebruik"),
            f"{start} last seen {f'{seen:%Y-%m-%d %H:%M}' if seen else '-'}  "
            + (f"revoked {revoked:%Y-%m-%d}" if revoked else "active"),
        )
    return 0


def _revoke(args: argparse.Namespace, session: Session) -> int:
    devices.revoke_device(session, device_id=args.device_id, by=_operator())
    out(
        f"apparaat {args.device_id} ingetrokken: het wist zijn gegevens bij het volgende contact",
        f"revoked {args.device_id}: it wipes its data at its next contact",
    )
    return 0


def _import(args: argparse.Namespace, session: Session) -> int:
    path = Path(args.file)
    megabytes = MAX_FILE_BYTES // (1024 * 1024)
    if path.stat().st_size > MAX_FILE_BYTES:
        err(
            f"bestand: groter dan {megabytes} MB; niets geïmporteerd",
            f"file: larger than {megabytes} MB; nothing imported",
        )
        return 1
    report = import_clients(
        session,
        path.read_bytes(),
        dry_run=args.dry_run,
        skip_invalid=args.skip_invalid,
        by=_operator(),
    )
    language = terminal.language()
    for line in report.messages(language):
        err(line)
    if report.ignored_columns:
        names = ", ".join(f"'{name}'" for name in report.ignored_columns)
        err(f"let op, genegeerde kolommen: {names}", f"note, columns ignored: {names}")
    out(report.summary(language))
    return report.exit_code


def _demo_seed(args: argparse.Namespace, session: Session) -> int:
    seeded = seed_demo(session, clients=args.clients, seed=args.seed, today=args.today)
    out(
        f"demogegevens: {seeded.clients} cliënten, {seeded.records} records",
        f"demo data: {seeded.clients} clients, {seeded.records} records",
    )
    # The same in both languages: the desktop demo reads the accounts from these lines
    # (app/demo/server.py, _PASSWORD_LINE).
    for username, role, password in seeded.accounts:
        out(f"  {role:<11} {username:<12} password: {password}")
    return 0


def _rotate_epoch(_args: argparse.Namespace, session: Session) -> int:
    state = server_state(session)
    state.epoch = str(uuid.uuid4())
    audit.record(session, actor=_operator(), action="rotate_epoch", entity="server")
    out(
        "nieuwe epoch: elk apparaat haalt bij de volgende synchronisatie alles opnieuw op",
        "new epoch: every device downloads everything again at its next sync",
    )
    return 0


def _purge_tombstones(args: argparse.Namespace, session: Session) -> int:
    from server.sync.tombstones import purge_tombstones

    if args.days < 180:
        err(
            "verwijderde records (tombstones) blijven minstens 180 dagen bewaard",
            "tombstones are kept at least 180 days",
        )
        return 2
    purged = purge_tombstones(session, days=args.days)
    audit.record(
        session,
        actor=_operator(),
        action="purge_tombstones",
        entity="server",
        removed=purged.removed,
    )
    total = sum(purged.removed.values())
    out(
        f"{total} verwijderde records (tombstones) ouder dan {args.days} dagen opgeruimd; de "
        f"horizon is nu {purged.horizon}",
        f"removed {total} tombstones older than {args.days} days; horizon is now {purged.horizon}",
    )
    return 0


def _purge_blobs(args: argparse.Namespace, session: Session) -> int:
    from server.sync.blobs import purge_unreferenced

    days = args.settings.blob_unreferenced_days if args.days is None else args.days
    if days < 1:
        err("--days moet minstens 1 zijn", "--days must be at least 1")
        return 2
    removed = purge_unreferenced(session, days=days)
    audit.record(
        session,
        actor=_operator(),
        action="purge_blobs",
        entity="server",
        removed=removed,
        days=days,
    )
    out(
        f"{removed} bijlagebestanden verwijderd waar geen record meer naar verwijst, ouder dan "
        f"{days} dagen",
        f"removed {removed} attachment files no record names, older than {days} days",
    )
    return 0


def _database_url(args: argparse.Namespace) -> str:
    return str(args.database_url or Settings().database_url)


def _init_db(args: argparse.Namespace) -> int:
    engine = make_engine(_database_url(args))
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    out(
        "de database heeft het nieuwste schema; referentiegegevens geladen",
        "database is at the newest schema; reference data loaded",
    )
    return 0


def _serve(args: argparse.Namespace) -> int:
    import logging

    import uvicorn

    from server.logs import uvicorn_log_config

    if args.database_url:
        os.environ["VELDWERK_DATABASE_URL"] = args.database_url
    if bool(args.tls_cert) != bool(args.tls_key):
        err("--tls-cert en --tls-key horen bij elkaar", "--tls-cert and --tls-key go together")
        return 2
    # X-Forwarded-For/-Proto only from the configured proxies; uvicorn's own default would
    # believe them from 127.0.0.1, so anything on this host could claim any address.
    trusted = ",".join(
        part.strip() for part in args.settings.trusted_proxies.split(",") if part.strip()
    )
    logging.captureWarnings(True)
    uvicorn.run(
        "server.main:app_from_environment",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        ssl_certfile=args.tls_cert,
        ssl_keyfile=args.tls_key,
        access_log=False,  # our own middleware logs requests without raw paths
        http="server.http_nodelay:NoDelayH11Protocol",
        timeout_keep_alive=args.settings.keep_alive_seconds,
        log_config=uvicorn_log_config("warning"),
        log_level="warning",
        proxy_headers=bool(trusted),
        forwarded_allow_ips=trusted or "",
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The commands, their help in the locale's language (chosen when the parser is built)."""
    parser = Parser(
        prog="veldwerk-server",
        description=text(
            "De centrale dienst van Veldwerk draaien en beheren. Elke opdracht werkt op de "
            "database in VELDWERK_DATABASE_URL (of --database-url). De uitvoer noemt gebruikers, "
            "apparaten en aantallen, nooit de naam of het BSN van een cliënt.",
            "Run and administer the central office service. Every command works on the database "
            "in VELDWERK_DATABASE_URL (or --database-url). Output names users, devices and "
            "counts; it never prints a client's name or BSN.",
        ),
    )
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help=text(
            "standaard: $VELDWERK_DATABASE_URL of SQLite in de huidige map",
            "default: $VELDWERK_DATABASE_URL or SQLite here",
        ),
    )
    commands = parser.add_subparsers(
        dest="command", required=True, metavar=text("OPDRACHT", "COMMAND")
    )
    user_name = text("GEBRUIKERSNAAM", "USERNAME")

    commands.add_parser(
        "init-db",
        help=text(
            "migraties uitvoeren, referentiegegevens laden",
            "run migrations, load reference data",
        ),
    )

    serve = commands.add_parser(
        "serve", help=text("de API draaien met uvicorn", "run the API with uvicorn")
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        metavar=text("ADRES", "HOST"),
        help=text(
            "luisteren op dit adres (standaard: 127.0.0.1)", "listen here (default: 127.0.0.1)"
        ),
    )
    serve.add_argument(
        "--port",
        type=int,
        default=8000,
        metavar=text("POORT", "PORT"),
        help=text("standaard: 8000", "default: 8000"),
    )
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar=text("AANTAL", "COUNT"),
        help=text("aantal serverprocessen (standaard: 1)", "server processes (default: 1)"),
    )
    serve.add_argument(
        "--tls-cert",
        metavar=text("BESTAND", "FILE"),
        help=text("certificaat (PEM), samen met --tls-key", "certificate (PEM), with --tls-key"),
    )
    serve.add_argument(
        "--tls-key",
        metavar=text("BESTAND", "FILE"),
        help=text("privésleutel (PEM), samen met --tls-cert", "private key (PEM), with --tls-cert"),
    )

    user = commands.add_parser("create-user", help=text("een gebruiker aanmaken", "add a user"))
    user.add_argument(
        "username",
        metavar=user_name,
        help=text(
            "2-64 kleine letters, cijfers, '.', '_' of '-', beginnend met een letter",
            "2-64 lower-case letters, digits, '.', '_' or '-', starting with a letter",
        ),
    )
    user.add_argument(
        "--role",
        choices=[role.value for role in Role],
        required=True,
        help=text("de rol van de gebruiker", "the user's role"),
    )
    user.add_argument(
        "--display-name",
        default="",
        metavar=text("NAAM", "NAME"),
        help=text(
            "de naam zoals anderen hem zien (standaard: de gebruikersnaam)",
            "the name others see (default: the user name)",
        ),
    )
    user.add_argument(
        "--password-file",
        metavar=text("BESTAND", "FILE"),
        help=text(
            "de eerste regel is het wachtwoord (standaard: erom vragen)",
            "first line is the password (default: prompt)",
        ),
    )
    user.set_defaults(handler=_create_user)

    team = commands.add_parser("create-team", help=text("een team aanmaken", "add a team"))
    team.add_argument(
        "name", metavar=text("NAAM", "NAME"), help=text("naam van het team", "the team's name")
    )
    team.add_argument(
        "--lead",
        metavar=user_name,
        help=text("gebruikersnaam van de teamleider", "user name of the team lead"),
    )
    team.set_defaults(handler=_create_team)

    member = commands.add_parser(
        "add-to-team",
        help=text("een klantmanager in een team zetten", "put a caseworker in a team"),
    )
    member.add_argument("team", metavar="TEAM", help=text("naam van het team", "the team's name"))
    member.add_argument(
        "username",
        metavar=user_name,
        help=text("gebruikersnaam van de klantmanager", "the caseworker's user name"),
    )
    member.set_defaults(handler=_add_to_team)

    imports = commands.add_parser(
        "import-clients",
        help=text(
            "cliënten importeren uit het CSV-bestand van de centrale administratie",
            "import clients from central office's CSV file",
        ),
        description=text(
            "Leest het CSV-bestand (UTF-8 of Windows-1252; ';', ',' of tab; koppen in het "
            "Nederlands of Engels) en importeert het alleen als het geen fouten heeft. Elke "
            "fout noemt regel en kolom.",
            "Reads the CSV file (UTF-8 or Windows-1252; ';', ',' or tab; Dutch or English "
            "headers) and imports it only when it has no errors. Every error names its line "
            "and column.",
        ),
    )
    imports.add_argument(
        "file",
        metavar=text("BESTAND", "FILE"),
        help=text("het CSV-bestand, hoogstens {mb} MB", "the CSV file, at most {mb} MB").format(
            mb=MAX_FILE_BYTES // (1024 * 1024)
        ),
    )
    imports.add_argument(
        "--dry-run",
        action="store_true",
        help=text("controleren en melden, niets veranderen", "check and report, change nothing"),
    )
    imports.add_argument(
        "--skip-invalid",
        action="store_true",
        help=text(
            "de goede regels importeren ondanks foute regels",
            "import the good rows despite bad ones",
        ),
    )
    imports.set_defaults(handler=_import)

    assign = commands.add_parser(
        "assign",
        help=text(
            "een klantmanager verantwoordelijk maken voor een cliënt",
            "make a caseworker responsible for a client",
        ),
    )
    assign.add_argument(
        "client",
        metavar=text("CLIËNT", "CLIENT"),
        help=text("het BSN of id van de cliënt", "the client's BSN or id"),
    )
    assign.add_argument(
        "caseworker",
        metavar=text("KLANTMANAGER", "CASEWORKER"),
        help=text("gebruikersnaam van de klantmanager", "the caseworker's user name"),
    )
    assign.set_defaults(handler=_assign)

    code = commands.add_parser(
        "enrollment-code",
        help=text(
            "eenmalige koppelcode om een apparaat te koppelen",
            "one-time code to enroll a device",
        ),
    )
    code.add_argument(
        "username",
        metavar=user_name,
        help=text("voor wie de koppelcode is", "the user the code is for"),
    )
    code.set_defaults(handler=_enrollment_code)

    commands.add_parser(
        "devices", help=text("gekoppelde apparaten tonen", "list enrolled devices")
    ).set_defaults(handler=_devices)

    revoke = commands.add_parser(
        "revoke-device",
        help=text(
            "een apparaat intrekken; het wist zijn gegevens bij het volgende contact",
            "revoke a device; it wipes at next contact",
        ),
    )
    revoke.add_argument(
        "device_id",
        metavar=text("APPARAAT-ID", "DEVICE_ID"),
        help=text("het id uit de lijst van 'devices'", "the id from the list of 'devices'"),
    )
    revoke.set_defaults(handler=_revoke)

    epoch = commands.add_parser(
        "rotate-epoch",
        help=text(
            "na het terugzetten van een back-up: elk apparaat alles opnieuw laten ophalen",
            "after restoring a backup: make every device download again",
        ),
    )
    epoch.set_defaults(handler=_rotate_epoch)

    purge = commands.add_parser(
        "purge-tombstones",
        help=text(
            "verwijderde records (tombstones) opruimen die ouder zijn dan de bewaartermijn "
            "(dagelijkse taak)",
            "remove deleted records older than the retention (daily job)",
        ),
    )
    purge.add_argument(
        "--days",
        type=int,
        default=180,
        metavar=text("DAGEN", "DAYS"),
        help=text("bewaartermijn in dagen, minstens 180", "retention in days, at least 180"),
    )
    purge.set_defaults(handler=_purge_tombstones)

    blobs = commands.add_parser(
        "purge-blobs",
        help=text(
            "bijlagebestanden opruimen waar geen record meer naar verwijst (dagelijkse taak)",
            "remove attachment bytes no record names any more (daily job)",
        ),
    )
    blobs.add_argument(
        "--days",
        type=int,
        default=None,
        metavar=text("DAGEN", "DAYS"),
        help=text(
            "zo lang blijven bestanden zonder record bewaard (standaard: "
            "VELDWERK_BLOB_UNREFERENCED_DAYS, 7)",
            "keep unnamed bytes this long (default: VELDWERK_BLOB_UNREFERENCED_DAYS, 7)",
        ),
    )
    blobs.set_defaults(handler=_purge_blobs)

    demo = commands.add_parser(
        "demo-seed",
        help=text(
            "de database vullen met realistische demogegevens",
            "fill the database with realistic demo data",
        ),
    )
    demo.add_argument(
        "--clients",
        type=int,
        default=400,
        metavar=text("AANTAL", "COUNT"),
        help=text("aantal cliënten (standaard: 400)", "number of clients (default: 400)"),
    )
    demo.add_argument(
        "--seed",
        type=int,
        default=2026,
        metavar=text("GETAL", "NUMBER"),
        help=text(
            "startgetal van de toevalsgenerator: hetzelfde getal geeft dezelfde gegevens "
            "(standaard: 2026)",
            "seed of the random generator: the same seed gives the same data (default: 2026)",
        ),
    )
    demo.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        metavar=text("JJJJ-MM-DD", "YYYY-MM-DD"),
        help=text(
            "de dag waar de caseload omheen is gebouwd (standaard: een vaste dag, zodat runs "
            "vergelijkbaar zijn; de desktopdemo geeft de echte datum mee)",
            "the day the caseload is built around (default: a fixed day, so runs compare; the "
            "desktop demo passes the real date)",
        ),
    )
    demo.set_defaults(handler=_demo_seed)

    # Imported here: server.cli_access and the others use this module's _operator.
    from server.cli_access import add_access_report

    add_access_report(commands)

    from server.cli_retention import register as add_retention  # same reason as above

    add_retention(commands)

    from server.console.cli import register as add_console  # same reason as above

    add_console(commands)

    from server.cli_council import register as add_council  # same reason as above

    add_council(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.settings = Settings()
    try:
        if args.command == "init-db":
            return _init_db(args)
        if args.command == "serve":
            return _serve(args)
        engine = make_engine(_database_url(args))
        try:
            with session_scope(make_sessionmaker(engine)) as session:
                code = int(args.handler(args, session))
        finally:
            engine.dispose()
        return code
    except (ApiError, VeldwerkError) as error:
        err(terminal.error_text(error))
        return 1
    except OSError as error:
        err(
            f"kan een bestand niet lezen of schrijven: {error.strerror}",
            f"cannot read or write a file: {error.strerror}",
        )
        return 1
    except SQLAlchemyError as error:
        # Never the statement or its parameters: they hold BSNs and names.
        original = getattr(error, "orig", None)
        name = type(original or error).__name__
        err(
            f"database_error: de database gaf een fout ({name})",
            f"database_error: the database reported an error ({name})",
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
