"""What `veldwerk-server` prints, in the language of the locale: the desktop's rule
(app/domain/languages.py): LC_ALL, LC_MESSAGES, LANGUAGE, LANG in that order, the first that names
a language decides; none (or C, POSIX) gives Dutch.

Errors print one language, never both: a VeldwerkError carries both texts. An ApiError carries
English only (the API's language, server/errors.py); the codes the commands can raise have their
Dutch here, and an unknown code prints its English text after the code rather than nothing.
"""

from __future__ import annotations

import os

from app.domain.errors import VeldwerkError
from app.domain.languages import environment_language
from app.domain.roles import Role
from server.errors import ApiError
from server.security import MIN_PASSWORD_LENGTH

__all__ = ["error_text", "language", "text"]


def language() -> str:
    """'nl' or 'en', read at each call so that a test or a wrapper script may set the locale."""
    return environment_language(os.environ) or "nl"


def text(nl: str, en: str) -> str:
    return nl if language() == "nl" else en


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


def error_text(error: ApiError | VeldwerkError) -> str:
    """One line for standard error: the code, then the message in the locale's language."""
    if isinstance(error, VeldwerkError):
        return f"{error.code}: {error.message(language())}"
    dutch = _API_DUTCH.get(error.code)
    return f"{error.code}: {dutch if dutch and language() == 'nl' else error.message}"
