"""What `veldwerk-server` prints, in the language of the locale: the desktop's rule
(app/domain/languages.py): LC_ALL, LC_MESSAGES, LANGUAGE, LANG in that order, the first that names
a language decides; none (or C, POSIX) gives Dutch.

Every command prints through `out` and `err` (the one definition): given two texts the locale
chooses, given one the line is the same in both languages (a code, a path, a row of data). The
help and argparse's own words (usage, option titles, its error messages) come from `Parser`.
Machine-readable output (JSON, CSV, a code on its own line) is never translated.

Errors print one language, never both: a VeldwerkError carries both texts. An ApiError carries
English only (the API's language, server/errors.py); the codes the commands can raise have their
Dutch here, and an unknown code prints its English text after the code rather than nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from typing import Any, NoReturn

from app.domain.errors import VeldwerkError
from app.domain.languages import environment_language
from app.domain.roles import Role
from server.errors import ApiError
from server.security import MIN_PASSWORD_LENGTH

__all__ = ["Parser", "err", "error_text", "language", "out", "text"]


def language() -> str:
    """'nl' or 'en', read at each call so that a test or a wrapper script may set the locale."""
    return environment_language(os.environ) or "nl"


def text(nl: str, en: str) -> str:
    return nl if language() == "nl" else en


def out(nl: str, en: str | None = None) -> None:
    """A line on standard output: `nl` and `en` for the locale to choose from, or one text that
    is the same in both languages."""
    sys.stdout.write((nl if en is None else text(nl, en)) + "\n")


def err(nl: str, en: str | None = None) -> None:
    """A line on standard error, as `out`."""
    sys.stderr.write((nl if en is None else text(nl, en)) + "\n")


# The ApiErrors the administration commands raise (server/crud, server/seed, server/cli). The
# English stays in the crud code, where the API returns it; a missing code falls back to it.
_API_DUTCH: dict[str, str] = {
    "invalid_username": "Een gebruikersnaam is 2-64 kleine letters, cijfers, '.', '_' of '-', "
    "beginnend met een letter.",
    "invalid_role": f"Die rol bestaat niet; kies uit: {', '.join(role.value for role in Role)}.",
    "weak_password": f"Een wachtwoord heeft minstens {MIN_PASSWORD_LENGTH} tekens.",
    "password_mismatch": "De twee wachtwoorden verschillen.",
    "user_exists": "Er is al een gebruiker met deze naam.",
    "user_inactive": "Deze gebruiker is niet actief.",
    "invalid_team_name": "Een teamnaam is 1-100 letters, cijfers, spaties, '-', '.', ',', '(', "
    "')' of apostroffen.",
    "team_exists": "Er is al een team met deze naam.",
    "not_a_team_lead": "De leider van een team moet de rol team_lead hebben.",
    "not_a_caseworker": "Dit kan alleen met een actieve klantmanager (rol caseworker).",
    "already_in_team": "Deze klantmanager hoort al bij een ander team.",
    "not_found": "Niet gevonden: dit bestaat niet (of niet voor u).",
    "demo_exists": "Deze database bevat de demogegevens al.",
}


# A device, user, team or client that is not there: the English names which (server/errors.py).
_NOT_FOUND_DUTCH: dict[str, str] = {
    "user": "Deze gebruiker bestaat niet.",
    "team": "Dit team bestaat niet.",
    "client": "Deze cliënt bestaat niet.",
    "device": "Dit apparaat bestaat niet.",
}
_NOT_FOUND = re.compile(r"No such (\w+), or not yours to see\.")


def error_text(error: ApiError | VeldwerkError) -> str:
    """One line for standard error: the code, then the message in the locale's language."""
    if isinstance(error, VeldwerkError):
        return f"{error.code}: {error.message(language())}"
    if language() != "nl":
        return f"{error.code}: {error.message}"
    missing = _NOT_FOUND.fullmatch(error.message) if error.code == "not_found" else None
    dutch = _NOT_FOUND_DUTCH.get(missing.group(1), "") if missing else ""
    dutch = dutch or _API_DUTCH.get(error.code, "")
    return f"{error.code}: {dutch or error.message}"


# ---------------------------------------------------------------------------------- argparse

# argparse's own messages (Python 3.11), the English in front, the Dutch after. A message not
# here (a newer Python's wording) stays English: better than nothing.
_ARGPARSE_DUTCH: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(english, re.DOTALL), dutch)
    for english, dutch in (
        (r"the following arguments are required: (.*)", r"deze argumenten ontbreken: \1"),
        (r"one of the arguments (.*) is required", r"een van de argumenten \1 is nodig"),
        (r"unrecognized arguments: (.*)", r"onbekende argumenten: \1"),
        (r"ambiguous option: (.*) could match (.*)", r"optie \1 is niet eenduidig: \2"),
        (r"unexpected option string: (.*)", r"onverwachte optie: \1"),
        (r"invalid choice: (.*) \(choose from (.*)\)", r"ongeldige keuze: \1 (kies uit \2)"),
        (r"invalid int value: (.*)", r"geen geheel getal: \1"),
        (r"invalid fromisoformat value: (.*)", r"geen datum in de vorm JJJJ-MM-DD: \1"),
        (r"invalid \S+ value: (.*)", r"ongeldige waarde: \1"),
        (r"expected one argument", r"hier hoort één waarde bij"),
        (r"expected at most one argument", r"hier hoort hoogstens één waarde bij"),
        (r"expected at least one argument", r"hier hoort minstens één waarde bij"),
        (r"expected (\d+) arguments?", r"hier horen \1 waarden bij"),
        (r"not allowed with argument (.*)", r"niet samen met argument \1"),
        (r"ignored explicit argument (.*)", r"overbodige waarde \1"),
    )
)
_ARGUMENT = re.compile(r"argument (\S+): (.*)", re.DOTALL)


def _argparse_dutch(message: str) -> str:
    argument = _ARGUMENT.fullmatch(message)
    prefix, rest = (f"argument {argument[1]}: ", argument[2]) if argument else ("", message)
    for english, dutch in _ARGPARSE_DUTCH:
        if english.fullmatch(rest):
            return prefix + english.sub(dutch, rest)
    return message


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help, with 'usage:' in the locale's language."""

    def add_usage(
        self,
        usage: str | None,
        actions: Any,
        groups: Any,
        prefix: str | None = None,
    ) -> None:
        super().add_usage(
            usage, actions, groups, text("gebruik: ", "usage: ") if prefix is None else prefix
        )


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that speaks the locale's language: the usage line, the titles of the
    argument lists, -h and the errors argparse itself reports. Subcommands' parsers are of this
    class too (add_subparsers makes them of the parent's class). The texts a command gives
    (help, description, metavar) are chosen with `text` when the parser is built."""

    def __init__(self, *, add_help: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(add_help=False, **kwargs)
        self._positionals.title = text("argumenten", "positional arguments")
        self._optionals.title = text("opties", "options")
        if add_help:
            self.add_argument(
                "-h",
                "--help",
                action="help",
                default=argparse.SUPPRESS,
                help=text("deze hulptekst tonen en stoppen", "show this help message and exit"),
            )

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        if language() == "nl":
            self.exit(2, f"{self.prog}: fout: {_argparse_dutch(message)}\n")
        self.exit(2, f"{self.prog}: error: {message}\n")
