"""How strong a new passphrase looks: a plain score from 0 to 4 and a Dutch label for it.

A rough guide for people choosing a passphrase, not an entropy estimate: it rewards length, a
mix of kinds of characters and several words, and marks down repetition, runs such as "1234"
and the passwords everybody tries first. The enrollment wizard requires `MIN_STRENGTH` and
`MIN_LENGTH`; the real barrier against guessing is the Argon2id cost in app/storage/vault.py.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication

MIN_LENGTH = 12
MIN_STRENGTH = 3
MAX_STRENGTH = 4

# Lower-case fragments that make a passphrase easy to guess wherever they appear in it.
_COMMON = (
    "wachtwoord",
    "password",
    "passw0rd",
    "welkom",
    "welcome",
    "qwerty",
    "azerty",
    "letmein",
    "admin",
    "veldwerk",
    "groningen",
    "geheim",
)
_WORD = re.compile(r"[^\W\d_]{3,}")
_SEQUENCES = ("abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiop", "asdfghjkl", "zxcvbnm")


def _has_run(text: str, length: int = 4) -> bool:
    """A run such as 'abcd', '4321' or 'qwer' of at least `length` characters."""
    lowered = text.lower()
    for sequence in _SEQUENCES:
        for forward in (sequence, sequence[::-1]):
            for start in range(len(forward) - length + 1):
                if forward[start : start + length] in lowered:
                    return True
    return False


def character_classes(passphrase: str) -> int:
    """How many of: lower-case letters, upper-case letters, digits, anything else (spaces too)."""
    return sum(
        (
            any(c.islower() for c in passphrase),
            any(c.isupper() for c in passphrase),
            any(c.isdigit() for c in passphrase),
            any(not c.isalnum() for c in passphrase),
        )
    )


def word_count(passphrase: str) -> int:
    """Distinct words of three or more letters."""
    return len({w.lower() for w in _WORD.findall(passphrase)})


def score_passphrase(passphrase: str) -> int:
    """0 (very weak) to 4 (very strong)."""
    length = len(passphrase)
    if length < 8:
        return 0
    points = sum((length >= MIN_LENGTH, length >= 16, length >= 24))
    classes = character_classes(passphrase)
    points += (classes >= 3) + (classes >= 4)
    words = word_count(passphrase)
    points += (words >= 3) + (words >= 4)

    lowered = passphrase.lower()
    distinct = len(set(lowered))
    if distinct * 3 < length:
        points -= 2  # mostly the same few characters over and over
    elif distinct * 2 < length and words < 3:
        points -= 1
    if any(common in lowered for common in _COMMON):
        points -= 2
    if _has_run(passphrase):
        points -= 1

    score = max(0, min(MAX_STRENGTH, points))
    if length < MIN_LENGTH:
        score = min(score, 1)
    return score


def strength_label(score: int) -> str:
    """The label for a score, in the UI language."""
    labels = (
        QCoreApplication.translate("passphrase_strength", "Zeer zwak"),
        QCoreApplication.translate("passphrase_strength", "Zwak"),
        QCoreApplication.translate("passphrase_strength", "Redelijk"),
        QCoreApplication.translate("passphrase_strength", "Sterk"),
        QCoreApplication.translate("passphrase_strength", "Zeer sterk"),
    )
    return labels[max(0, min(MAX_STRENGTH, score))]


def is_acceptable(passphrase: str) -> bool:
    """Long enough and at least `MIN_STRENGTH`."""
    return len(passphrase) >= MIN_LENGTH and score_passphrase(passphrase) >= MIN_STRENGTH
