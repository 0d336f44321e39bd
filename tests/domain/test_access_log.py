"""NEN 7513's categories for Veldwerk's audit actions: an explicit table that covers every action
the code writes, and an unknown action that is kept under its own name, as a read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.domain.access_log import (
    ACTION_CATEGORIES,
    UNKNOWN_ACTION_CATEGORY,
    AccessCategory,
    category_of,
    describe_event,
)
from app.domain.languages import SUPPORTED

ROOT = Path(__file__).resolve().parents[2]

# How the code names an audit action where it writes one (server and device).
WRITERS = (
    re.compile(r"""\baction=["'](\w+)["']"""),  # audit.record(..., action="view")
    re.compile(r"""\baction=["']\w+["'] if \w+ else ["'](\w+)["']"""),  # ... else "return_intake"
    re.compile(r"""["']action["']: ["'](\w+)["']"""),  # rows inserted in bulk
    re.compile(r"""\brecord_event\(\s*["'](\w+)["']"""),  # the device's store
    re.compile(r"""\b_audit\(\s*["'](\w+)["']"""),  # store.update / store.delete
    re.compile(r"""\bbatch\.audit\(\s*["'](\w+)["']"""),  # the server applying a push
    re.compile(r"""\bcommand=["'](\w+)["']"""),  # device commands, audited under their name
)
ARGPARSE_ACTIONS = {
    "store_true",
    "store_false",
    "store_const",
    "append",
    "count",
    "version",
    "help",
}


def written_actions() -> set[str]:
    found: set[str] = set()
    for folder in ("app", "server"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            for pattern in WRITERS:
                found.update(pattern.findall(text))
    return found - ARGPARSE_ACTIONS


def test_every_action_the_code_writes_has_a_category() -> None:
    written = written_actions()
    # The scan finds the writers at all (a renamed helper would otherwise pass this silently).
    assert {"view", "create", "update", "delete", "export", "print", "purge", "assign"} <= written
    assert {"approve_intake", "return_intake", "sign", "resolve_conflict"} <= written
    missing = sorted(written - set(ACTION_CATEGORIES))
    assert missing == [], f"add these audit actions to app.domain.access_log: {missing}"


@pytest.mark.parametrize(
    ("action", "category"),
    [
        ("create", AccessCategory.CREATE),
        ("view", AccessCategory.READ),
        ("update", AccessCategory.UPDATE),
        ("sign", AccessCategory.UPDATE),
        ("assign", AccessCategory.UPDATE),
        ("delete", AccessCategory.DELETE),
        ("purge", AccessCategory.DELETE),
        ("export", AccessCategory.EXPORT),
        ("print", AccessCategory.EXPORT),
    ],
)
def test_the_table(action: str, category: AccessCategory) -> None:
    assert category_of(action) is category


def test_an_unknown_action_is_a_read_under_its_own_name() -> None:
    assert UNKNOWN_ACTION_CATEGORY is AccessCategory.READ
    assert category_of("archive") is AccessCategory.READ
    assert describe_event("archive", "note") == "Notitie: archive"


def test_categories_have_labels_in_every_language() -> None:
    assert AccessCategory.READ.label() == "Inzien"
    assert AccessCategory.EXPORT.label("en") == "Export"
    for category in AccessCategory:
        for language in SUPPORTED:
            assert category.label(language) not in ("", category.value)


def test_events_in_words() -> None:
    assert describe_event("view", "client") == "Dossier geopend"
    assert describe_event("view", "attachment") == "Bijlage geopend"
    assert (
        describe_event("update", "client", ("phone",))
        == "Cliëntgegevens gewijzigd (telefoonnummer)"
    )
    assert describe_event("approve_intake", "intake") == "Intake goedgekeurd"
    assert describe_event("assign", "client", (), "en") == "Dossier assigned to a caseworker"
    assert describe_event("purge", "client") == "Cliëntgegevens van dit apparaat verwijderd"
