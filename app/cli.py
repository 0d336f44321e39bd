"""The `veldwerk` command.

    veldwerk                 (opens the desktop client)
    veldwerk demo [--headless] [--clients N] [--seed S] [--replace]
    veldwerk export --client BSN --format json [--profile NAME] [--passphrase-file FILE]
                    [--output FILE]
    veldwerk profiles
    veldwerk enroll --server URL --user NAME [--profile NAME] [--ca-bundle FILE]
                    [--password-file FILE] [--code CODE] [--passphrase-file FILE]
    veldwerk sync [--profile NAME] [--passphrase-file FILE]
    veldwerk status [--profile NAME] [--passphrase-file FILE] [--json]

Messages follow the user's language (Dutch unless the locale says otherwise). Nothing personal is
printed except what the user asked to export.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from app.demo.profiles import create_demo_profiles
from app.domain.errors import VeldwerkError
from app.domain.languages import environment_language
from app.domain.local_time import local_today
from app.domain.values import Bsn
from app.domain.version import app_version
from app.services.export import export_client
from app.services.sync import (
    WAITING,
    DeviceRevoked,
    SyncReport,
    enroll,
    status,
    sync_profile,
    unlock_for_work,
    warning_text,
)
from app.storage.atomic import atomic_write_bytes
from app.storage.profiles import Profile, ProfileError, find_profile, list_profiles, veldwerk_home

MIN_PASSPHRASE = 12


def _language() -> str:
    """The window's rule (app/domain/languages.py): Dutch unless a locale variable says so."""
    return environment_language(os.environ) or "nl"


def _say(nl: str, en: str) -> None:
    print(nl if _language() == "nl" else en)


def _progress(message: str) -> None:
    print(f"  … {message}", file=sys.stderr, flush=True)


def _cmd_demo(args: argparse.Namespace) -> int:
    if not args.headless:
        return _demo_with_window(args)
    made = create_demo_profiles(
        clients=args.clients, seed=args.seed, replace=args.replace, progress=_progress
    )
    _say(
        f"Demoprofielen aangemaakt in {veldwerk_home()}:",
        f"Demo profiles created in {veldwerk_home()}:",
    )
    for item in made:
        info = item.profile.info
        print(
            f"  {info.name:<18} {info.role:<11} {info.username:<12} "
            f"{item.clients:>6} clients {item.records:>7} records   passphrase: {item.passphrase}"
        )
    _say(
        "Probeer: veldwerk export --profile demo-caseworker --client <BSN> --format json",
        "Try: veldwerk export --profile demo-caseworker --client <BSN> --format json",
    )
    return 0


def _demo_with_window(args: argparse.Namespace) -> int:
    """The embedded central server with demo data, both demo profiles enrolled through it, and
    the desktop client at the unlock screen. Closing the window stops the server."""
    from app.bootstrap import run  # Qt only when a window is wanted
    from app.demo.server import start_demo

    # Built around the real date, so Vandaag has today's visits and recent overdue items.
    server = start_demo(
        clients=args.clients, seed=args.seed, today=local_today(), progress=_progress
    )
    _say(
        f"Centrale demoserver draait op {server.url}. Demoprofielen:",
        f"Embedded central server runs at {server.url}. Demo profiles:",
    )
    for account in server.accounts:
        print(
            f"  {account.profile_name:<18} {account.role:<11} {account.username:<12} "
            f"passphrase: {account.passphrase}"
        )
    return run(embedded=server)


def _gui(_args: argparse.Namespace) -> int:
    from app.bootstrap import run

    return run()


def _selftest(_args: argparse.Namespace) -> int:
    from app.selftest import run  # Qt only when asked for

    return run(_language())


def _pick_profile(name: str | None) -> Profile:
    if name:
        return find_profile(name)
    profiles = list_profiles()
    if len(profiles) == 1:
        return profiles[0]
    raise ProfileError(
        "profile_required",
        "Kies een profiel met --profile (zie: veldwerk profiles).",
        "Choose a profile with --profile (see: veldwerk profiles).",
    )


def _read_passphrase(path: str | None) -> str:
    if path:
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise VeldwerkError(
                "passphrase_file_unreadable",
                "Het bestand met de wachtwoordzin kan niet worden gelezen.",
                "The passphrase file cannot be read.",
            ) from exc
        # Only the first line: editors add a trailing newline nobody meant to type.
        return lines[0] if lines else ""
    prompt = "Wachtwoordzin: " if _language() == "nl" else "Passphrase: "
    return getpass.getpass(prompt)


def _cmd_export(args: argparse.Namespace) -> int:
    bsn = Bsn(args.client)
    profile = _pick_profile(args.profile)
    # Past the offline lease an enrolled device syncs first; then it may export again.
    store = unlock_for_work(profile, _read_passphrase(args.passphrase_file))
    try:
        document = export_client(store, bsn=bsn)
    finally:
        store.close()
    data = (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    if args.output and args.output != "-":
        # The user chose to write personal data to this file; it is made private and atomic.
        atomic_write_bytes(Path(args.output), data, mode=0o600)
        _say(f"Export geschreven naar {args.output}", f"Export written to {args.output}")
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0


def _read_secret(path: str | None, nl_prompt: str, en_prompt: str) -> str:
    """The first line of a file (scripted use), or asked without echo."""
    if path:
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise VeldwerkError(
                "secret_file_unreadable",
                f"Het bestand {path} kan niet worden gelezen.",
                f"The file {path} cannot be read.",
            ) from exc
        return lines[0] if lines else ""
    return getpass.getpass(nl_prompt if _language() == "nl" else en_prompt)


def _new_passphrase(path: str | None) -> str:
    if path:
        passphrase = _read_secret(path, "", "")
    else:
        passphrase = _read_secret(
            None, "Nieuwe wachtwoordzin voor dit profiel: ", "New passphrase for this profile: "
        )
        again = _read_secret(None, "Nogmaals: ", "Again: ")
        if again != passphrase:
            raise VeldwerkError(
                "passphrase_mismatch",
                "De twee wachtwoordzinnen verschillen. Er is niets aangemaakt.",
                "The two passphrases differ. Nothing was created.",
            )
    if len(passphrase) < MIN_PASSPHRASE:
        raise VeldwerkError(
            "passphrase_too_short",
            f"Kies een wachtwoordzin van minstens {MIN_PASSPHRASE} tekens, "
            "bijvoorbeeld een paar woorden achter elkaar. Er is niets aangemaakt.",
            f"Choose a passphrase of at least {MIN_PASSPHRASE} characters, a few words in a "
            "row for example. Nothing was created.",
        )
    return passphrase


def _cmd_enroll(args: argparse.Namespace) -> int:
    ca_bundle = Path(args.ca_bundle) if args.ca_bundle else None
    if ca_bundle is not None and not ca_bundle.is_file():
        raise VeldwerkError(
            "ca_bundle_missing",
            f"Het CA-bestand {ca_bundle} bestaat niet.",
            f"The CA bundle {ca_bundle} does not exist.",
        )
    password = _read_secret(
        args.password_file, f"Wachtwoord van {args.user}: ", f"Password of {args.user}: "
    )
    code = args.code or _read_secret(None, "Koppelcode: ", "Enrollment code: ")
    # Asked before the server is contacted: the one-time code is spent by the exchange.
    passphrase = _new_passphrase(args.passphrase_file)
    profile, store = enroll(
        server_url=args.server,
        username=args.user,
        password=password,
        code=code.strip(),
        passphrase=passphrase,
        profile_name=args.profile,
        ca_bundle=ca_bundle,
    )
    store.close()
    _say(
        f"Dit apparaat is aangemeld. Profiel {profile.name} ({profile.info.role}) is aangemaakt.",
        f"This device is enrolled. Profile {profile.name} ({profile.info.role}) was created.",
    )
    _say(
        f"Haal de dossiers op met: veldwerk sync --profile {profile.name}",
        f"Fetch the dossiers with: veldwerk sync --profile {profile.name}",
    )
    return 0


def _sync_progress(phase: str, done: int, total: int) -> None:
    nl = _language() == "nl"
    if phase == "push":
        _progress(f"{'versturen' if nl else 'sending'} {done}/{total}")
    elif phase == "pull":
        _progress(f"{'ophalen' if nl else 'receiving'} {done}")
    elif phase == WAITING:
        _progress(
            f"wacht op verbinding, opnieuw over {done} s"
            if nl
            else f"waiting for the network, trying again in {done} s"
        )
    else:
        _progress(f"{phase} {done}/{total}")


def _print_report(report: SyncReport) -> None:
    _say(
        f"verstuurd {report.sent} / ontvangen {report.received} / samengevoegd {report.merged}"
        f" / conflicten {report.conflicts} / opgeruimd {report.purged}",
        f"sent {report.sent} / received {report.received} / merged {report.merged}"
        f" / conflicts {report.conflicts} / purged {report.purged}",
    )
    _say(
        f"  toegepast {report.applied}, geweigerd {report.rejected}, verweesd {report.orphaned}",
        f"  applied {report.applied}, rejected {report.rejected}, orphaned {report.orphaned}",
    )
    if report.reset:
        _say(
            "  De server vroeg om alles opnieuw op te halen; dat is gebeurd.",
            "  The server asked to download everything again; that was done.",
        )
    if report.conflicts:
        _say(
            "  Er zijn conflicten bewaard: bekijk ze in de applicatie (zie: veldwerk status).",
            "  Conflicts were kept: review them in the application (see: veldwerk status).",
        )
    for warning in report.warnings:
        _say(f"  Let op: {warning_text(warning, 'nl')}", f"  Note: {warning_text(warning, 'en')}")


def _cmd_sync(args: argparse.Namespace) -> int:
    profile = _pick_profile(args.profile)
    store = profile.unlock(_read_passphrase(args.passphrase_file))
    try:
        report = sync_profile(profile, store, progress=_sync_progress)
    except DeviceRevoked:
        # sync_profile has closed the store and destroyed the profile already.
        print(
            f"Dit apparaat is ingetrokken door de centrale administratie. "
            f"Het profiel {profile.name} is van dit apparaat gewist."
            if _language() == "nl"
            else f"This device was revoked by central office. "
            f"Profile {profile.name} was wiped from this device.",
            file=sys.stderr,
        )
        return 1
    except BaseException:
        store.close()
        raise
    store.close()
    _print_report(report)
    return 0


def _cmd_status(args: argparse.Namespace) -> int:
    profile = _pick_profile(args.profile)
    store = profile.unlock(_read_passphrase(args.passphrase_file))
    try:
        current = status(profile, store)
    finally:
        store.close()
    if args.json:
        print(json.dumps(current.as_dict(), ensure_ascii=False, indent=2))
        return 0
    nl = _language() == "nl"
    never = "nooit" if nl else "never"
    age = "-" if current.cursor_age_days is None else f"{current.cursor_age_days:g}"
    rows = [
        ("Profiel" if nl else "Profile", current.profile),
        ("Server", current.server or "-"),
        ("Wachtend op verzending" if nl else "Pending changes", str(current.pending_entries)),
        ("Laatste synchronisatie" if nl else "Last sync", current.last_sync or never),
        ("Leeftijd cursor (dagen)" if nl else "Cursor age (days)", age),
        ("Open conflicten" if nl else "Open conflicts", str(current.open_conflicts)),
    ]
    for label, value in rows:
        print(f"{label + ':':<26}{value}")
    if current.lease_expired:
        _say(
            f"Langer dan {current.lease_days} dagen niet gesynchroniseerd: synchroniseer nu.",
            f"Not synced for more than {current.lease_days} days: sync now.",
        )
    return 0


def _cmd_profiles(_args: argparse.Namespace) -> int:
    profiles = list_profiles()
    if not profiles:
        _say(f"Geen profielen in {veldwerk_home()}.", f"No profiles in {veldwerk_home()}.")
    for profile in profiles:
        info = profile.info
        print(f"{info.name:<20} {info.role:<11} {info.username:<14} {info.server_url or '-'}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    # Help in the user's language, chosen when the parser is built (argparse's own words, such
    # as "usage:", stay English: Python ships no Dutch for them).
    nl = _language() == "nl"

    def say(dutch: str, english: str) -> str:
        return dutch if nl else english

    parser = argparse.ArgumentParser(
        prog="veldwerk",
        description=say(
            "Veldwerk: casemanagement aan de keukentafel, offline eerst.",
            "Veldwerk: casework at the kitchen table, offline first.",
        ),
    )
    parser.add_argument("--version", action="version", version=f"veldwerk {app_version()}")
    parser.add_argument(
        "--selftest",
        action="store_true",
        help=say(
            "deze installatie controleren (versleutelde opslag, PDF, afdrukken, vertalingen) "
            "en stoppen",
            "check this installation (encrypted store, PDF, printing, translations) and exit",
        ),
    )
    commands = parser.add_subparsers(dest="command")

    demo = commands.add_parser(
        "demo",
        help=say(
            "demoprofielen maken, gevuld met gegenereerde gegevens",
            "create demo profiles filled with generated data",
        ),
    )
    demo.add_argument(
        "--headless",
        action="store_true",
        help=say(
            "geen venster en geen server: lokale demoprofielen maken en stoppen",
            "no window and no server: create local demo profiles and exit",
        ),
    )
    demo.add_argument(
        "--clients",
        type=int,
        default=400,
        help=say("cliënten in de caseload", "clients in the caseload"),
    )
    demo.add_argument(
        "--seed",
        type=int,
        default=2026,
        help=say("startwaarde van de generator", "seed of the generator"),
    )
    demo.add_argument(
        "--replace",
        action="store_true",
        help=say("bestaande demoprofielen vervangen", "replace existing demo profiles"),
    )
    demo.set_defaults(handler=_cmd_demo)

    export = commands.add_parser(
        "export",
        help=say("inzage-export van één cliënt (AVG)", "subject-access export of one client"),
    )
    export.add_argument("--client", required=True, metavar="BSN")
    export.add_argument("--format", choices=["json"], default="json")
    export.add_argument("--profile", metavar=say("NAAM", "NAME"))
    export.add_argument("--passphrase-file", metavar=say("BESTAND", "FILE"))
    export.add_argument(
        "--output",
        metavar=say("BESTAND", "FILE"),
        help=say("standaard: de standaarduitvoer", "default: standard output"),
    )
    export.set_defaults(handler=_cmd_export)

    profiles = commands.add_parser(
        "profiles",
        help=say("de profielen op dit apparaat tonen", "list the profiles on this device"),
    )
    profiles.set_defaults(handler=_cmd_profiles)

    enroll_cmd = commands.add_parser(
        "enroll",
        help=say(
            "dit apparaat aanmelden en een profiel maken",
            "enroll this device and create a profile",
        ),
    )
    enroll_cmd.add_argument("--server", required=True, metavar="URL")
    enroll_cmd.add_argument("--user", required=True, metavar=say("NAAM", "NAME"))
    enroll_cmd.add_argument(
        "--profile",
        metavar=say("NAAM", "NAME"),
        help=say("standaard: afgeleid van de gebruikersnaam", "default: from the user name"),
    )
    enroll_cmd.add_argument(
        "--ca-bundle",
        metavar=say("BESTAND", "FILE"),
        help=say("alleen deze CA vertrouwen", "trust only this CA"),
    )
    enroll_cmd.add_argument(
        "--password-file",
        metavar=say("BESTAND", "FILE"),
        help=say("standaard: wordt gevraagd", "default: asked"),
    )
    enroll_cmd.add_argument(
        "--code",
        metavar="CODE",
        help=say("eenmalige code; standaard: wordt gevraagd", "one-time code; default: asked"),
    )
    enroll_cmd.add_argument(
        "--passphrase-file",
        metavar=say("BESTAND", "FILE"),
        help=say("standaard: wordt twee keer gevraagd", "default: asked twice"),
    )
    enroll_cmd.set_defaults(handler=_cmd_enroll)

    sync = commands.add_parser(
        "sync",
        help=say(
            "lokale wijzigingen versturen en de caseload ophalen",
            "send local changes and fetch the caseload",
        ),
    )
    sync.add_argument("--profile", metavar=say("NAAM", "NAME"))
    sync.add_argument("--passphrase-file", metavar=say("BESTAND", "FILE"))
    sync.set_defaults(handler=_cmd_sync)

    status_cmd = commands.add_parser(
        "status",
        help=say(
            "wachtende wijzigingen, laatste synchronisatie, conflicten",
            "pending changes, last sync, conflicts",
        ),
    )
    status_cmd.add_argument("--profile", metavar=say("NAAM", "NAME"))
    status_cmd.add_argument("--passphrase-file", metavar=say("BESTAND", "FILE"))
    status_cmd.add_argument(
        "--json", action="store_true", help=say("voor programma's leesbaar", "machine-readable")
    )
    status_cmd.set_defaults(handler=_cmd_status)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.selftest:
        args.handler = _selftest
    elif args.command is None:
        args.handler = _gui  # plain `veldwerk` opens the desktop client
    if getattr(args, "clients", 1) < 1:
        parser.error(
            "--clients moet minstens 1 zijn"
            if _language() == "nl"
            else "--clients must be at least 1"
        )
    try:
        return int(args.handler(args))
    except VeldwerkError as error:
        print(error.message(_language()), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
