"""Errors with a stable code and a Dutch and English message.

The UI shows the message in the user's language; the server returns the code in JSON. Messages never
contain personal data (no BSN, no name), because errors can end up in logs.
"""

from __future__ import annotations


class VeldwerkError(Exception):
    """Base of every error we raise on purpose. `code` is stable; messages are for people."""

    def __init__(self, code: str, message_nl: str, message_en: str) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_nl = message_nl
        self.message_en = message_en

    def message(self, language: str = "nl") -> str:
        return self.message_nl if language.startswith("nl") else self.message_en


class DomainError(VeldwerkError):
    """A rule of the domain was broken."""


class ValidationError(DomainError):
    """A value does not have a valid form (BSN, postcode, date, score...)."""


class TransitionError(DomainError):
    """A state machine was asked for a transition it does not allow."""
