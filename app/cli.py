"""The `veldwerk` command.

    veldwerk demo [--headless] [--clients N] [--seed S] [--replace]
    veldwerk export --client BSN --format json [--profile NAME] [--passphrase-file FILE]
                    [--output FILE]
    veldwerk profiles

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

from app.domain.errors import VeldwerkError
from app.domain.values import Bsn
from app.services.demo import create_demo_profiles
from app.services.export import export_client
from app.storage.atomic import atomic_write_bytes
from app.storage.profiles import Profile, ProfileError, find_profile, list_profiles, veldwerk_home


def _language() -> str:
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "LANG"):
        value = os.environ.get(name, "")
        if value and value not in ("C", "POSIX", "C.UTF-8"):
            return "nl" if value.lower().startswith("nl") else "en"
    return "nl"


def _say(nl: str, en: str) -> None:
    print(nl if _language() == "nl" else en)


def _progress(message: str) -> None:
    print(f"  … {message}", file=sys.stderr, flush=True)


def _cmd_demo(args: argparse.Namespace) -> int:
    if not args.headless:
        _say(
            "De desktopapplicatie is er nog niet; de demo maakt de profielen zonder venster.",
            "The desktop application is not there yet; the demo creates the profiles headless.",
        )
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
    store = profile.unlock(_read_passphrase(args.passphrase_file))
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


def _cmd_profiles(_args: argparse.Namespace) -> int:
    profiles = list_profiles()
    if not profiles:
        _say(f"Geen profielen in {veldwerk_home()}.", f"No profiles in {veldwerk_home()}.")
    for profile in profiles:
        info = profile.info
        print(f"{info.name:<20} {info.role:<11} {info.username:<14} {info.server_url or '-'}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="veldwerk", description="Veldwerk: casework at the kitchen table, offline first."
    )
    commands = parser.add_subparsers(dest="command")

    demo = commands.add_parser("demo", help="create demo profiles filled with generated data")
    demo.add_argument("--headless", action="store_true", help="no window: create and exit")
    demo.add_argument("--clients", type=int, default=400, help="clients in the caseload")
    demo.add_argument("--seed", type=int, default=2026, help="seed of the generator")
    demo.add_argument("--replace", action="store_true", help="replace existing demo profiles")
    demo.set_defaults(handler=_cmd_demo)

    export = commands.add_parser("export", help="subject-access export of one client")
    export.add_argument("--client", required=True, metavar="BSN")
    export.add_argument("--format", choices=["json"], default="json")
    export.add_argument("--profile", metavar="NAME")
    export.add_argument("--passphrase-file", metavar="FILE")
    export.add_argument("--output", metavar="FILE", help="default: standard output")
    export.set_defaults(handler=_cmd_export)

    profiles = commands.add_parser("profiles", help="list the profiles on this device")
    profiles.set_defaults(handler=_cmd_profiles)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    if getattr(args, "clients", 1) < 1:
        parser.error("--clients must be at least 1")
    try:
        return int(args.handler(args))
    except VeldwerkError as error:
        print(error.message(_language()), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
