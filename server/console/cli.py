"""`veldwerk-server console-totp --user NAME`: give an administrator a (new) second factor for
the console. The secret is shown once, as text and as an otpauth:// address for an
authenticator app; only the server keeps it after that.

It speaks the locale's language, as every `veldwerk-server` command (server/terminal.py); the
secret and the address are the same in both."""

from __future__ import annotations

import argparse
from typing import Any

from sqlalchemy.orm import Session

from server.console import second_factor
from server.errors import ApiError
from server.terminal import err, out, text


def _handle(args: argparse.Namespace, session: Session) -> int:
    from server.cli import _operator  # the one definition; server.cli imports this module

    try:
        secret, uri = second_factor.set_up(session, username=args.user, by=_operator())
    except ApiError as error:
        if error.code != "not_an_admin":
            raise  # server.cli says it, in the locale's language
        err(
            f"{error.code}: alleen functioneel beheer (rol admin) meldt zich aan in het beheer.",
            f"{error.code}: only administrators (role admin) sign in to the console.",
        )
        return 1
    out(f"tweede factor voor {args.user}:", f"second factor for {args.user}:")
    out(f"  {text('sleutel', 'key')}: {secret}")
    out(f"  {uri}")
    out(
        "Zet deze sleutel in een authenticator-app; hij wordt niet nog eens getoond.",
        "Add this key to an authenticator app; it is not shown again.",
    )
    return 0


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "console-totp",
        help=text(
            "een beheerder een nieuwe tweede factor (TOTP) geven voor het beheer /beheer",
            "give an administrator a new second factor (TOTP) for the console /beheer",
        ),
    )
    parser.add_argument(
        "--user",
        required=True,
        metavar=text("GEBRUIKERSNAAM", "USERNAME"),
        help=text("de gebruikersnaam van de beheerder", "the administrator's user name"),
    )
    parser.set_defaults(handler=_handle)
