"""`veldwerk-server`: run and administer the central office service.

Every command works on the database in VELDWERK_DATABASE_URL (or --database-url). Output names
users, devices and counts; it never prints a client's name or BSN.
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

Handler = Callable[[argparse.Namespace, Session], int]


def _out(text: str, en: str | None = None) -> None:
    """Print a line; given two texts, `text` is the Dutch and `en` the English, and the locale
    chooses (server/terminal.py)."""
    sys.stdout.write((text if en is None else terminal.text(text, en)) + "\n")


def _err(text: str, en: str | None = None) -> None:
    sys.stderr.write((text if en is None else terminal.text(text, en)) + "\n")


def _read_secret(path: str | None, prompt: str) -> str:
    if path:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
        return lines[0] if lines else ""
    first = getpass.getpass(prompt)
    if getpass.getpass("Again: ") != first:
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
    password = _read_secret(args.password_file, f"Password for {args.username}: ")
    users.create_user(
        session,
        username=args.username,
        display_name=args.display_name or args.username,
        role=args.role,
        password=password,
        by=_operator(),
    )
    _out(f"created {args.role} {args.username}")
    return 0


def _create_team(args: argparse.Namespace, session: Session) -> int:
    users.create_team(session, name=args.name, lead=args.lead, by=_operator())
    _out(f"created team {args.name}")
    return 0


def _add_to_team(args: argparse.Namespace, session: Session) -> int:
    users.add_to_team(session, team=args.team, username=args.username, by=_operator())
    _out(f"{args.username} is in team {args.team}")
    return 0


def _assign(args: argparse.Namespace, session: Session) -> int:
    from server.crud.records import client_id_by_bsn

    client_id = client_id_by_bsn(session, args.client) or args.client
    assignments.assign(session, client_id=client_id, caseworker=args.caseworker, by=_operator())
    _out(f"client {client_id} assigned to {args.caseworker}")
    return 0


def _enrollment_code(args: argparse.Namespace, session: Session) -> int:
    code = devices.issue_enrollment_code(
        session, username=args.username, by=_operator(), hours=args.settings.enrollment_code_hours
    )
    hours = args.settings.enrollment_code_hours
    _out(f"enrollment code for {args.username} (valid {hours} h, once):")
    _out(code)
    return 0


def _devices(_args: argparse.Namespace, session: Session) -> int:
    rows = devices.list_devices(session)
    if not rows:
        _out("no devices")
    for device, username in rows:
        state = f"revoked {device.revoked_at:%Y-%m-%d}" if device.revoked_at else "active"
        seen = f"{device.last_seen:%Y-%m-%d %H:%M}" if device.last_seen else "-"
        _out(f"{device.id}  {username:<14} {device.name:<20} last seen {seen}  {state}")
    return 0


def _revoke(args: argparse.Namespace, session: Session) -> int:
    devices.revoke_device(session, device_id=args.device_id, by=_operator())
    _out(f"revoked {args.device_id}: it wipes its data at its next contact")
    return 0


def _import(args: argparse.Namespace, session: Session) -> int:
    path = Path(args.file)
    megabytes = MAX_FILE_BYTES // (1024 * 1024)
    if path.stat().st_size > MAX_FILE_BYTES:
        _err(
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
        _err(line)
    if report.ignored_columns:
        names = ", ".join(f"'{name}'" for name in report.ignored_columns)
        _err(f"let op, genegeerde kolommen: {names}", f"note, columns ignored: {names}")
    _out(report.summary(language))
    return report.exit_code


def _demo_seed(args: argparse.Namespace, session: Session) -> int:
    seeded = seed_demo(session, clients=args.clients, seed=args.seed, today=args.today)
    _out(f"demo data: {seeded.clients} clients, {seeded.records} records")
    for username, role, password in seeded.accounts:
        _out(f"  {role:<11} {username:<12} password: {password}")
    return 0


def _rotate_epoch(_args: argparse.Namespace, session: Session) -> int:
    state = server_state(session)
    state.epoch = str(uuid.uuid4())
    audit.record(session, actor=_operator(), action="rotate_epoch", entity="server")
    _out("new epoch: every device downloads everything again at its next sync")
    return 0


def _purge_tombstones(args: argparse.Namespace, session: Session) -> int:
    from server.sync.tombstones import purge_tombstones

    if args.days < 180:
        _err("tombstones are kept at least 180 days")
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
    _out(f"removed {total} tombstones older than {args.days} days; horizon is now {purged.horizon}")
    return 0


def _purge_blobs(args: argparse.Namespace, session: Session) -> int:
    from server.sync.blobs import purge_unreferenced

    days = args.settings.blob_unreferenced_days if args.days is None else args.days
    if days < 1:
        _err("--days must be at least 1")
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
    _out(f"removed {removed} attachment files no record names, older than {days} days")
    return 0


def _database_url(args: argparse.Namespace) -> str:
    return str(args.database_url or Settings().database_url)


def _init_db(args: argparse.Namespace) -> int:
    engine = make_engine(_database_url(args))
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    _out("database is at the newest schema; reference data loaded")
    return 0


def _serve(args: argparse.Namespace) -> int:
    import logging

    import uvicorn

    from server.logs import uvicorn_log_config

    if args.database_url:
        os.environ["VELDWERK_DATABASE_URL"] = args.database_url
    if bool(args.tls_cert) != bool(args.tls_key):
        _err("--tls-cert and --tls-key go together")
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
    parser = argparse.ArgumentParser(prog="veldwerk-server", description=__doc__)
    parser.add_argument("--database-url", help="default: $VELDWERK_DATABASE_URL or SQLite here")
    commands = parser.add_subparsers(dest="command", required=True)

    commands.add_parser("init-db", help="run migrations, load reference data")

    serve = commands.add_parser("serve", help="run the API with uvicorn")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--tls-cert")
    serve.add_argument("--tls-key")

    user = commands.add_parser("create-user", help="add a user")
    user.add_argument("username")
    user.add_argument("--role", choices=[role.value for role in Role], required=True)
    user.add_argument("--display-name", default="")
    user.add_argument("--password-file", help="first line is the password (default: prompt)")
    user.set_defaults(handler=_create_user)

    team = commands.add_parser("create-team", help="add a team")
    team.add_argument("name")
    team.add_argument("--lead", help="user name of the team lead")
    team.set_defaults(handler=_create_team)

    member = commands.add_parser("add-to-team", help="put a caseworker in a team")
    member.add_argument("team")
    member.add_argument("username")
    member.set_defaults(handler=_add_to_team)

    say = terminal.text  # help in the locale's language, chosen when the parser is built
    imports = commands.add_parser(
        "import-clients",
        help=say(
            "cliënten importeren uit het CSV-bestand van de centrale administratie",
            "import clients from central office's CSV file",
        ),
        description=say(
            "Leest het CSV-bestand (UTF-8 of Windows-1252; ';', ',' of tab; koppen in het "
            "Nederlands of Engels) en importeert het alleen als het geen fouten heeft. Elke "
            "fout noemt regel en kolom.",
            "Reads the CSV file (UTF-8 or Windows-1252; ';', ',' or tab; Dutch or English "
            "headers) and imports it only when it has no errors. Every error names its line "
            "and column.",
        ),
    )
    imports.add_argument("file", metavar=say("BESTAND", "FILE"))
    imports.add_argument(
        "--dry-run",
        action="store_true",
        help=say("controleren en melden, niets veranderen", "check and report, change nothing"),
    )
    imports.add_argument(
        "--skip-invalid",
        action="store_true",
        help=say(
            "de goede regels importeren ondanks foute regels",
            "import the good rows despite bad ones",
        ),
    )
    imports.set_defaults(handler=_import)

    assign = commands.add_parser("assign", help="make a caseworker responsible for a client")
    assign.add_argument("client", help="the client's BSN or id")
    assign.add_argument("caseworker")
    assign.set_defaults(handler=_assign)

    code = commands.add_parser("enrollment-code", help="one-time code to enroll a device")
    code.add_argument("username")
    code.set_defaults(handler=_enrollment_code)

    commands.add_parser("devices", help="list enrolled devices").set_defaults(handler=_devices)

    revoke = commands.add_parser("revoke-device", help="revoke a device; it wipes at next contact")
    revoke.add_argument("device_id")
    revoke.set_defaults(handler=_revoke)

    epoch = commands.add_parser(
        "rotate-epoch", help="after restoring a backup: make every device download again"
    )
    epoch.set_defaults(handler=_rotate_epoch)

    purge = commands.add_parser(
        "purge-tombstones", help="remove deleted records older than the retention (daily job)"
    )
    purge.add_argument("--days", type=int, default=180, help="retention in days, at least 180")
    purge.set_defaults(handler=_purge_tombstones)

    blobs = commands.add_parser(
        "purge-blobs", help="remove attachment bytes no record names any more (daily job)"
    )
    blobs.add_argument(
        "--days",
        type=int,
        default=None,
        help="keep unnamed bytes this long (default: VELDWERK_BLOB_UNREFERENCED_DAYS, 7)",
    )
    blobs.set_defaults(handler=_purge_blobs)

    demo = commands.add_parser("demo-seed", help="fill the database with realistic demo data")
    demo.add_argument("--clients", type=int, default=400)
    demo.add_argument("--seed", type=int, default=2026)
    demo.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        help="the day the caseload is built around, YYYY-MM-DD (default: a fixed day, so "
        "runs compare; the desktop demo passes the real date)",
    )
    demo.set_defaults(handler=_demo_seed)

    # Imported here: server.cli_access uses this module's helpers (_operator, _out, _err).
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
        _err(terminal.error_text(error))
        return 1
    except OSError as error:
        _err(
            f"kan een bestand niet lezen of schrijven: {error.strerror}",
            f"cannot read or write a file: {error.strerror}",
        )
        return 1
    except SQLAlchemyError as error:
        # Never the statement or its parameters: they hold BSNs and names.
        original = getattr(error, "orig", None)
        _err(f"database_error: {type(original or error).__name__}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
