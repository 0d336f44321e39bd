"""Turn errors into text for people, in the language the UI runs in."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale

from app.domain.errors import VeldwerkError


def ui_language() -> str:
    """'nl' or 'en': the language the translator installed at start-up speaks."""
    app = QCoreApplication.instance()
    language = app.property("veldwerk_language") if app is not None else None
    if isinstance(language, str) and language:
        return language
    return "nl" if QLocale().language() == QLocale.Language.Dutch else "en"


def error_text(exc: BaseException) -> str:
    """A message fit for the screen. Unexpected errors never show their text: it may hold data."""
    if isinstance(exc, VeldwerkError):
        return exc.message(ui_language())
    return QCoreApplication.translate(
        "messages",
        "Er ging iets mis. Uw werk is bewaard; probeer het opnieuw.",
    )
