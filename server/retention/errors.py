"""Refusals of retention commands: a stable code and a Dutch and English message, never a name
or BSN (a client is named by its random id at most)."""

from __future__ import annotations

from app.domain.errors import VeldwerkError


class RetentionError(VeldwerkError):
    """A retention, hold or erasure command that was refused; nothing was changed."""


def unknown_client() -> RetentionError:
    return RetentionError(
        "unknown_client",
        "Er is geen cliënt met dit id of BSN.",
        "There is no client with this id or BSN.",
    )


def already_destroyed() -> RetentionError:
    return RetentionError(
        "client_destroyed",
        "Het dossier van deze cliënt is al vernietigd.",
        "This client's file has been destroyed already.",
    )
