"""`veldwerk-server console-totp --user NAME`: give an administrator a (new) second factor for
the console. The secret is shown once, as text and as an otpauth:// address for an
authenticator app; only the server keeps it after that."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from sqlalchemy.orm import Session

from server.console import second_factor


def _handle(args: argparse.Namespace, session: Session) -> int:
    from server.cli import _operator  # the one definition; server.cli imports this module

    secret, uri = second_factor.set_up(session, username=args.user, by=_operator())
    sys.stdout.write(
        f"Tweede factor voor {args.user} / second factor for {args.user}\n"
        f"  sleutel / key: {secret}\n"
        f"  {uri}\n"
        "Zet deze sleutel in een authenticator-app; hij wordt niet nog eens getoond.\n"
        "Add this key to an authenticator app; it is not shown again.\n"
    )
    return 0


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "console-totp",
        help="give an administrator a new second factor (TOTP) for the console /beheer",
    )
    parser.add_argument("--user", required=True, help="the administrator's user name")
    parser.set_defaults(handler=_handle)
