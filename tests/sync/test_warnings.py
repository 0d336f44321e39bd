"""Sync warnings reach people as sentences in their language, never as bare codes."""

from __future__ import annotations

from app.sync.engine import WARNINGS, warning_text


def test_every_known_warning_has_a_dutch_and_an_english_sentence() -> None:
    for code, (dutch, english) in WARNINGS.items():
        assert warning_text(code, "nl") == dutch and dutch.endswith(".")
        assert warning_text(code, "en") == english and english.endswith(".")
        assert code not in dutch and code not in english


def test_a_message_the_server_wrote_is_passed_on() -> None:
    message = "Maintenance tonight from 22:00."
    assert warning_text(message, "nl") == message
