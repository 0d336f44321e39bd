"""Which language the UI speaks, and the Qt translators that make it so.

Source strings are Dutch (``self.tr("Ontgrendelen")``); English comes from
resources/translations/veldwerk_en.qm, built from the committed veldwerk_en.ts by
``scripts/translations.sh build`` (the install step runs it). Qt's own strings (dialog buttons,
context menus, the file dialog) are English in Qt and come from Qt's qtbase_nl.qm for Dutch.

`install_translators(app)` picks the language from the system locale unless a language is given
(a setting): the same rule as the command line (app/cli.py), so a window and a terminal on one
machine speak one language. The locale variables LC_ALL, LC_MESSAGES, LANGUAGE and LANG are read
in that order; the first that names a language decides (Dutch -> 'nl', any other -> 'en'). A
locale that names none (C, POSIX: a bare server, a container) gives Dutch, the product's own
language, and so does a system without these variables whose locale is Dutch or unknown (Windows
and macOS ask Qt). It installs the translators, sets the default
QLocale and records the language in the application property ``veldwerk_language`` (which
app/ui/messages.py reads). Calling it again switches the language at runtime: the old
translators are removed and Qt sends every widget a LanguageChange event, on which a screen
re-applies its texts (``changeEvent`` -> ``retranslate``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.domain.languages import SUPPORTED as SUPPORTED
from app.domain.languages import environment_language as language_from_environment

SOURCE_LANGUAGE = "nl"
LANGUAGE_PROPERTY = "veldwerk_language"
SYSTEM = "system"  # a setting's value meaning "follow the system locale"

_TRANSLATOR_NAME = "veldwerk_translator"

# The locale set as default per language: numbers and dates as in the Netherlands either way
# (CLDR's en_NL: English words, Dutch conventions).
_LOCALES: dict[str, tuple[QLocale.Language, QLocale.Country]] = {
    "nl": (QLocale.Language.Dutch, QLocale.Country.Netherlands),
    "en": (QLocale.Language.English, QLocale.Country.Netherlands),
}


class TranslationMissingError(RuntimeError):
    """A translation file the chosen language needs is missing or unreadable."""


# Locale variables in the order the C library reads them for messages, as app/cli.py does, and
# the values that name no language.


def environment_language(environ: Mapping[str, str] | None = None) -> str | None:
    """'nl' or 'en' from the first locale variable that names a language; None when none does
    (the rule `veldwerk`'s command line follows too)."""
    return language_from_environment(os.environ if environ is None else environ)


def system_language() -> str:
    """The system's language by the rule in the module's note: Dutch unless something says
    otherwise."""
    chosen = environment_language()
    if chosen is not None:
        return chosen
    language = QLocale.system().language()
    if language in (QLocale.Language.Dutch, QLocale.Language.C, QLocale.Language.AnyLanguage):
        return "nl"
    return "en"


def choose_language(language: str | None = None) -> str:
    """The language to use: `language` if given (or 'system'/None for the system's)."""
    if language is None or language == "" or language == SYSTEM:
        return system_language()
    chosen = language.strip().lower()
    if chosen not in SUPPORTED:
        raise ValueError(
            f"unsupported UI language {language!r}; choose one of {', '.join(SUPPORTED)}"
        )
    return chosen


def app_translation_file(language: str) -> Path:
    """Where our compiled translation for `language` lives (it may not exist yet)."""
    folder = resources.files("resources.translations")
    return Path(str(folder.joinpath(f"veldwerk_{language}.qm")))


def qt_translation_file(language: str) -> Path:
    """Qt's own translation of its base module (qtbase_<language>.qm)."""
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    return Path(folder) / f"qtbase_{language}.qm"


def installed_language(app: QCoreApplication) -> str | None:
    """The language `install_translators` last installed on `app`, if any."""
    value = app.property(LANGUAGE_PROPERTY)
    return value if isinstance(value, str) and value else None


def install_translators(app: QCoreApplication, language: str | None = None) -> str:
    """Install Qt's and Veldwerk's translators for `language` (None: the system's).

    Returns the language installed, 'nl' or 'en'. Raises `TranslationMissingError` when a file
    it needs is missing (for English: run ``scripts/translations.sh build``); nothing is changed
    then. Raises ValueError for a language that is not in `SUPPORTED`.
    """
    chosen = choose_language(language)
    old = app.findChildren(QTranslator, _TRANSLATOR_NAME)
    new: list[QTranslator] = []
    try:
        if chosen != "en":
            new.append(_load(app, qt_translation_file(chosen), "Qt's own translation"))
        if chosen != SOURCE_LANGUAGE:
            new.append(
                _load(
                    app,
                    app_translation_file(chosen),
                    "Veldwerk's translation (build it with: bash scripts/translations.sh build)",
                )
            )
    except TranslationMissingError:
        for translator in new:
            translator.setParent(None)
        raise

    _remove(old)
    for translator in new:
        if not QCoreApplication.installTranslator(translator):
            raise TranslationMissingError(f"Qt refused the translator {translator.filePath()}")

    QLocale.setDefault(QLocale(*_LOCALES[chosen]))
    app.setProperty(LANGUAGE_PROPERTY, chosen)
    return chosen


def remove_translators(app: QCoreApplication) -> None:
    """Remove the translators an earlier `install_translators` put on `app`."""
    _remove(app.findChildren(QTranslator, _TRANSLATOR_NAME))


def _remove(translators: list[QTranslator]) -> None:
    for translator in translators:
        QCoreApplication.removeTranslator(translator)
        translator.setParent(None)


def _load(app: QCoreApplication, path: Path, what: str) -> QTranslator:
    translator = QTranslator(app)
    translator.setObjectName(_TRANSLATOR_NAME)
    if not path.is_file() or not translator.load(str(path)):
        translator.setParent(None)
        raise TranslationMissingError(f"{what} is missing or unreadable: {path}")
    return translator
