"""Which language a person gets when they have not chosen one: the one rule for the command
line and the window alike. Dutch first: a locale variable decides only when it names a language
(C and POSIX name none)."""

from __future__ import annotations

from collections.abc import Mapping

SUPPORTED = ("nl", "en")
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "LANG")
NO_LANGUAGE = ("C", "POSIX", "C.UTF-8")


def environment_language(environ: Mapping[str, str]) -> str | None:
    """'nl' or 'en' from the first locale variable that names a language; None when none does."""
    for name in LOCALE_VARIABLES:
        value = environ.get(name, "")
        if value and value not in NO_LANGUAGE:
            return "nl" if value.lower().startswith("nl") else "en"
    return None
